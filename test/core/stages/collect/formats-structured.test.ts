import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseEvidenceText, parseLambdaReport, type ParsedLogEvent } from '../../../../functions/core/stages/collect/formats/index.js';
import { InputTooLargeError, InvalidInputError } from '../../../../functions/core/model/errors.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
const lineOf = (text: string, n: number): string => text.split('\n')[n - 1]!;

describe('CloudWatch Logs responses', () => {
  it('reads FilterLogEvents: timestamp in ms, message without its line terminator, stream, line of each event', () => {
    const text = fixture('filter-log-events.json');
    const ctx = parseEvidenceText(text, 'filter.json');
    expect(ctx.logs).toHaveLength(3);
    const timedOut = ctx.logs![1]!;
    expect(timedOut).toMatchObject({
      timestamp: 1796022064005,
      message: '2026-11-30T07:01:04.005Z 3f6b1c9e-2d4a-4e8b-9f0a-1b2c3d4e5f60 Task timed out after 3.00 seconds',
      logStream: '2026/11/30/[$LATEST]a1b2c3d4e5f60718293a4b5c6d7e8f90',
      source: 'filter.json',
    });
    // the line points at the event's opening brace; the message is two lines below
    expect(lineOf(text, timedOut.line!).trim()).toBe('{');
    expect(lineOf(text, timedOut.line! + 3)).toContain('Task timed out after 3.00 seconds');
  });

  it('reads a compact GetLogEvents response', () => {
    const ctx = parseEvidenceText(fixture('get-log-events.json'), 'get.json');
    expect(ctx.logs!.map((e) => [e.timestamp, e.line])).toEqual([[1796022001000, 1], [1796022002000, 1]]);
    expect(ctx.logs![1]!.message).toMatch(/^ERROR FATAL: remaining connection slots/);
  });

  it('reads Logs Insights GetQueryResults rows with @timestamp read as UTC', () => {
    const text = fixture('insights-results.json');
    const ctx = parseEvidenceText(text, 'insights.json');
    expect(ctx.logs).toHaveLength(2);
    expect(ctx.logs![0]).toMatchObject({
      timestamp: Date.parse('2026-11-30T07:05:11.250Z'), message: 'ERROR ThrottlingException: Rate exceeded', logStream: 'orders/orders/0a1b2c',
    });
    expect(lineOf(text, ctx.logs![1]!.line!).trim()).toBe('[');
    expect(ctx.logs![1]!.line).toBeGreaterThan(ctx.logs![0]!.line!);
  });

  it('reads a decoded subscription payload (logGroup, logStream, logEvents)', () => {
    const text = fixture('subscription-decoded.json');
    const ctx = parseEvidenceText(text, 'sub.json');
    expect(ctx.logs!.map((e) => e.message)).toEqual([
      'START RequestId: 9d1e0b7a-5c4f-4a3e-8d2c-1b0a9f8e7d6c Version: 12',
      'Runtime.OutOfMemory: Runtime exited with error: signal: killed',
      'REPORT RequestId: 9d1e0b7a-5c4f-4a3e-8d2c-1b0a9f8e7d6c\tDuration: 1500.00 ms\tBilled Duration: 1500 ms\tMemory Size: 256 MB\tMax Memory Used: 256 MB\t',
    ]);
    expect(ctx.logs!.every((e) => e.logStream === '2026/11/30/[$LATEST]0f9e8d7c6b5a49382716')).toBe(true);
    expect(ctx.logs!.every((e) => (e as ParsedLogEvent).logGroup === '/aws/lambda/image-resizer')).toBe(true);
    expect(lineOf(text, ctx.logs![1]!.line! + 3)).toContain('Runtime.OutOfMemory');
  });

  it('decodes the awslogs.data gzip+base64 form to the same events, at the line of the data field', () => {
    const text = fixture('subscription-event.json');
    const ctx = parseEvidenceText(text, 'event.json');
    const decoded = parseEvidenceText(fixture('subscription-decoded.json'), 'x');
    expect(ctx.logs!.map((e) => [e.timestamp, e.message])).toEqual(decoded.logs!.map((e) => [e.timestamp, e.message]));
    expect(lineOf(text, ctx.logs![0]!.line!)).toContain('"data"');
  });

  it('decodes subscription payloads carried by Kinesis Data Streams records', () => {
    const payload = gzipSync(Buffer.from(fixture('subscription-decoded.json'))).toString('base64');
    const event = JSON.stringify({ Records: [{ kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'p', data: payload }, eventSource: 'aws:kinesis' }] }, null, 2);
    const ctx = parseEvidenceText(event, 'kinesis.json');
    expect(ctx.logs!.map((e) => e.message)).toEqual(parseEvidenceText(fixture('subscription-decoded.json'), 'x').logs!.map((e) => e.message));
    expect(ctx.logs![0]!.line).toBe(3);
  });

  it('refuses an awslogs.data payload that inflates past the bound', () => {
    const big = gzipSync(Buffer.alloc(2 * 1024 * 1024, 'a')).toString('base64');
    expect(() => parseEvidenceText(JSON.stringify({ awslogs: { data: big } }), 'bomb.json', { maxInflatedBytes: 1024 * 1024 })).toThrow(InputTooLargeError);
  });

  it('refuses awslogs.data that is not gzip, naming the input', () => {
    expect(() => parseEvidenceText('{"awslogs":{"data":"aGVsbG8="}}', 'bad.json')).toThrow(/bad\.json: awslogs\.data is not gzip/);
  });

  it('records a CONTROL_MESSAGE as skipped instead of inventing events', () => {
    const ctx = parseEvidenceText('{"messageType":"CONTROL_MESSAGE","logGroup":"","logStream":"","logEvents":[{"id":"","timestamp":1,"message":"CWL CONTROL MESSAGE: Checking health of destination"}]}', 'c.json');
    expect(ctx.logs).toEqual([]);
    expect(ctx.degraded![0]).toMatchObject({ kind: 'skipped' });
  });
});

describe('Lambda error JSON and REPORT lines', () => {
  it('keeps a pretty-printed Lambda error as one multi-line event at the errorMessage line', () => {
    const text = fixture('lambda-error.json');
    const ctx = parseEvidenceText(text, 'err.json');
    expect(ctx.logs).toHaveLength(1);
    const e = ctx.logs![0]!;
    expect(e.message.split('\n')[0]).toBe("Runtime.ImportModuleError: Error: Cannot find module 'sharp'");
    expect(e.message).toContain('at _loadUserApp');
    expect(lineOf(text, e.line!)).toContain('"errorMessage"');
  });

  it('keeps Lambda log lines exactly, a one-line error JSON included', () => {
    const text = fixture('lambda-log.txt');
    const ctx = parseEvidenceText(text, 'lambda.log');
    expect(ctx.logs).toHaveLength(5);
    for (const e of ctx.logs!) expect(lineOf(text, e.line!)).toBe(e.message);
    expect(ctx.logs![1]!.timestamp).toBe(Date.parse('2026-11-30T07:01:01.020Z'));
  });

  it('parseLambdaReport reads durations and memory (tab- or space-separated, escaped tabs too)', () => {
    const line = fixture('lambda-log.txt').split('\n')[4]!;
    expect(parseLambdaReport(line)).toEqual({
      requestId: '3f6b1c9e-2d4a-4e8b-9f0a-1b2c3d4e5f60', durationMs: 2875.33, billedDurationMs: 2876, memorySizeMb: 512, maxMemoryUsedMb: 498, initDurationMs: 412.08,
    });
    expect(parseLambdaReport('REPORT RequestId: abc\\tDuration: 3003.16 ms\\tBilled Duration: 3000 ms\\tMemory Size: 128 MB\\tMax Memory Used: 48 MB\\t\\n'))
      .toMatchObject({ durationMs: 3003.16, memorySizeMb: 128, maxMemoryUsedMb: 48 });
    expect(parseLambdaReport('END RequestId: abc')).toBeUndefined();
    expect(parseLambdaReport('REPORT RequestId: abc Duration: 5 ms Billed Duration: 5 ms Memory Size: 128 MB Max Memory Used: 20 MB Status: timeout'))
      .toMatchObject({ durationMs: 5, status: 'timeout' });
  });
});

describe('JSON lines', () => {
  it('reads message, level, error and timestamp fields; keeps records without a message as the raw line', () => {
    const text = fixture('json-lines.txt');
    const ctx = parseEvidenceText(text, 'app.jsonl');
    expect(ctx.logs!.map((e) => [e.line, e.message, e.timestamp])).toEqual([
      [1, 'INFO server listening on :8080', 1796022000000],
      [2, 'ERROR query failed: pq: sorry, too many clients already', Date.parse('2026-11-30T07:00:03.500Z')],
      [3, 'panic: runtime error: invalid memory address or nil pointer dereference', Date.parse('2026-11-30T07:00:04Z')],
      [4, 'GET /api/orders 503', Date.parse('2026-11-30T07:00:05Z')],
      [5, lineOf(text, 5), undefined],
      [6, 'ERROR payment failed: TimeoutError: connect ETIMEDOUT 10.0.0.5:5432\n    at Socket.onTimeout (index.js:10:5)', Date.parse('2026-11-30T07:00:06Z')],
      [7, "ERROR Runtime.ImportModuleError: Error: Cannot find module 'sharp'\n    at _loadUserApp (file:///var/runtime/index.mjs:1087:17)", Date.parse('2026-11-30T07:00:07Z')],
      [8, 'REPORT RequestId: 79b4f56e-95b1-4643-9700-2807f4e68189\tDuration: 3000.12 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tStatus: timeout', Date.parse('2026-11-30T07:00:08Z')],
    ]);
    expect(parseLambdaReport(ctx.logs![7]!.message)).toMatchObject({ durationMs: 3000.12, memorySizeMb: 128, maxMemoryUsedMb: 64, status: 'timeout' });
  });
});

describe('Kubernetes objects', () => {
  it('reads a Pod as JSON with its status untouched', () => {
    const ctx = parseEvidenceText(fixture('pod.json'), 'pod.json');
    expect(ctx.kubernetesObjects).toHaveLength(1);
    const pod = ctx.kubernetesObjects![0]!;
    expect(pod).toMatchObject({ kind: 'Pod', metadata: { name: 'worker-6d4cf56db6-9xk2z', namespace: 'jobs' }, _source: 'pod.json', _line: 1 });
    expect(pod.status.containerStatuses[0].lastState.terminated.reason).toBe('OOMKilled');
  });

  it('reads a kind: List in YAML with the line of each item', () => {
    const text = fixture('list.yaml');
    const ctx = parseEvidenceText(text, 'list.yaml');
    expect(ctx.kubernetesObjects!.map((o) => [o.kind, o.metadata.name, o._line])).toEqual([
      ['PersistentVolumeClaim', 'data-postgres-0', 4],
      ['Deployment', 'api', 14],
    ]);
    expect(lineOf(text, 14)).toBe('- apiVersion: apps/v1');
  });

  it('reads multi-document YAML, skipping the comment and empty documents', () => {
    const text = fixture('multi.yaml');
    const ctx = parseEvidenceText(text, 'm.yaml');
    expect(ctx.kubernetesObjects!.map((o) => [o.kind, o._line])).toEqual([['Service', 3], ['Ingress', 15]]);
    expect(text.split('\n')[14]).toBe('apiVersion: networking.k8s.io/v1');
    expect(ctx.logs).toEqual([]);
  });

  it('turns an EventList into Kubernetes events', () => {
    const ctx = parseEvidenceText(fixture('event-list.json'), 'ev.json');
    expect(ctx.kubernetesObjects).toEqual([]);
    expect(ctx.kubernetesEvents).toEqual([{
      type: 'Warning', reason: 'FailedScheduling', message: '0/4 nodes are available: 4 node(s) had volume node affinity conflict.',
      object: 'Pod/db-0', namespace: 'db', count: 12, age: '2026-11-30T07:03:00Z', from: 'default-scheduler', source: 'ev.json', line: 5,
    }]);
  });

  it('refuses a YAML bomb with InputTooLargeError naming the input', () => {
    expect(() => parseEvidenceText(fixture('yaml-bomb.yaml'), 'bomb.yaml')).toThrow(InputTooLargeError);
    expect(() => parseEvidenceText(fixture('yaml-bomb.yaml'), 'bomb.yaml')).toThrow(/bomb\.yaml: .*aliases/);
  });

  it('keeps text that only looks like YAML as log lines', () => {
    const text = 'kind: of broken: line\nsomething else happened\n';
    const ctx = parseEvidenceText(text, 'notes.txt');
    expect(ctx.logs!.map((e) => e.message)).toEqual(['kind: of broken: line', 'something else happened']);
    expect(ctx.degraded![0]!.reason).toMatch(/invalid YAML at line 1/);
  });

  it('refuses invalid YAML that is the whole input, with its line', () => {
    const bad = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n';
    expect(() => parseEvidenceText(bad, 'bad.yaml')).toThrow(InvalidInputError);
    expect(() => parseEvidenceText(bad, 'bad.yaml')).toThrow(/bad\.yaml: invalid YAML at line \d/);
  });
});

describe('JSON wrappers', () => {
  it('finds a CloudWatch response and a Kubernetes object inside a wrapper, with their lines', () => {
    const text = JSON.stringify({
      tool: 'recorder',
      'recorded-content': {
        'filter-events': { events: [{ timestamp: 1796022001000, message: 'ERROR first' }, { timestamp: 1796022002000, message: 'ERROR second' }] },
        pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'n' }, status: { phase: 'Pending' } },
      },
      note: { message: 'not taken: a bare record inside other JSON' },
    }, null, 2);
    const ctx = parseEvidenceText(text, 'wrapped.json');
    expect(ctx.logs!.map((e) => [e.message, e.timestamp])).toEqual([['ERROR first', 1796022001000], ['ERROR second', 1796022002000]]);
    expect(lineOf(text, ctx.logs![1]!.line!).trim()).toBe('{');
    expect(lineOf(text, ctx.logs![1]!.line! + 2)).toContain('ERROR second');
    expect(ctx.kubernetesObjects!.map((o) => [o.kind, o.metadata.name])).toEqual([['Pod', 'a']]);
    expect(lineOf(text, ctx.kubernetesObjects![0]!._line!)).toContain('"pod"');
  });

  it('keeps JSON of no known shape as its lines', () => {
    const text = JSON.stringify({ detail: { reason: 'Essential container in task exited' }, other: [1, 2] }, null, 2);
    const ctx = parseEvidenceText(text, 'event.json');
    expect(ctx.logs!.map((e) => e.message)).toEqual(text.split('\n').filter((l) => l.trim()));
  });
});

describe('truncated and mixed input', () => {
  it('keeps truncated JSON that is the whole input as text, with a degraded note naming the line it opened on', () => {
    const text = fixture('truncated.json');
    const ctx = parseEvidenceText(text, 'truncated.json');
    expect(ctx.degraded![0]!.reason).toMatch(/^truncated JSON: the value opened at line 1 is not closed/);
    expect(ctx.logs!.length).toBe(text.split('\n').filter((l) => l.trim()).length);
  });

  it('reads a pasted Node.js error object (util.inspect: `{ [Error: …]`, unquoted keys) as text, not truncated JSON', () => {
    const text = "{ [ThrottlingException: Rate exceeded]\n  message: 'Rate exceeded',\n  code: 'ThrottlingException',\n  statusCode: 400,";
    const ctx = parseEvidenceText(text, 'paste.txt');
    expect(ctx.logs!.map((e) => e.message.trim())).toContain("code: 'ThrottlingException',");
  });

  it('keeps text that opens a brace but is no JSON as log lines', () => {
    const text = '{\nthis is a pasted note, not JSON\n';
    const ctx = parseEvidenceText(text, 'note.txt');
    expect(ctx.logs!.map((e) => e.message)).toEqual(['{', 'this is a pasted note, not JSON']);
  });

  it('keeps a truncated JSON value after other evidence as text, with a degraded note', () => {
    const text = `2026-11-30T07:00:00Z INFO before\n${fixture('truncated.json')}`;
    const ctx = parseEvidenceText(text, 'partial.txt');
    // every line from the unclosed value on is kept as text, exactly
    expect(ctx.logs!.length).toBe(text.split('\n').filter((l) => l.trim()).length);
    for (const e of ctx.logs!) expect(lineOf(text, e.line!)).toBe(e.message);
    expect(ctx.degraded).toHaveLength(1);
    expect(ctx.degraded![0]).toMatchObject({ kind: 'error', component: 'parse:partial.txt' });
    expect(ctx.degraded![0]!.reason).toMatch(/line 2/);
  });

  it('reads a describe, a stack trace, an events table and a JSON log line from one file', () => {
    const text = fixture('mixed.txt');
    const ctx = parseEvidenceText(text, 'mixed.txt');
    expect(ctx.describes).toHaveLength(1);
    expect(ctx.describes![0]!.fields['Containers.checkout.State.Reason']).toBe('CrashLoopBackOff');
    expect(ctx.kubernetesEvents!.map((e) => e.reason)).toEqual(['FailedScheduling', 'Pulling', 'Failed']);
    expect(ctx.logs!.map((e) => e.line)).toEqual([23, 24, 31]);
    expect(ctx.logs![0]!.message).toBe(lineOf(text, 23));
    expect(ctx.logs![2]!.message).toBe('WARN GC overhead limit exceeded');
    for (const e of ctx.kubernetesEvents!) expect(lineOf(text, e.line!)).toContain(e.reason);
  });
});
