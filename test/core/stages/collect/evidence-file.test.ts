import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fileCollector, preloadEvidenceFiles, readEvidenceFile, binaryReason } from '../../../../functions/adapters/local/evidence-file.collector.js';
import { InputTooLargeError, InvalidInputError } from '../../../../functions/core/model/errors.js';
import { collect } from '../../../../functions/core/stages/collect/index.js';
import type { Incident } from '../../../../functions/core/model/incident.js';

const dir = mkdtempSync(join(tmpdir(), 'ops-collect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixturePath = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const write = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const errorOf = async (p: Promise<unknown>): Promise<InvalidInputError> => {
  try {
    await p;
  } catch (error) {
    return error as InvalidInputError;
  }
  throw new Error('expected a rejection');
};

describe('readEvidenceFile: formats through the file adapter', () => {
  it('parses a describe file whole, with line numbers of the file', async () => {
    const ctx = await readEvidenceFile(fixturePath('describe-oom.txt'));
    expect(ctx.describes).toHaveLength(1);
    expect(ctx.kubernetesEvents!.at(-1)!.line).toBe(47);
    expect(ctx.describes![0]!.source).toBe(fixturePath('describe-oom.txt'));
  });

  it('reads stdin for `-` and names it stdin', async () => {
    const text = 'LAST SEEN   TYPE      REASON    OBJECT      MESSAGE\n5s          Warning   BackOff   pod/a-1     Back-off restarting failed container\n';
    const ctx = await readEvidenceFile('-', { stdin: Readable.from([Buffer.from(text)]) });
    expect(ctx.kubernetesEvents).toEqual([expect.objectContaining({ reason: 'BackOff', source: 'stdin', line: 2 })]);
  });

  it('fileCollector is named file:<path> and feeds the collect stage', async () => {
    const incident: Incident = {
      id: 'inc-1', source: 'manual', title: 't', severity: 'low', occurredAt: '2026-11-30T07:00:00Z',
      window: { start: '2026-11-30T06:00:00Z', end: '2026-11-30T08:00:00Z' }, resources: [], labels: {},
    };
    const missing = join(dir, 'missing.txt');
    const collector = fileCollector(fixturePath('app-log.txt'));
    expect(collector.name).toBe(`file:${fixturePath('app-log.txt')}`);
    const ctx = await collect(incident, [collector, fileCollector(missing)], { budgetMs: 5000 });
    expect(ctx.logs).toHaveLength(5);
    expect(ctx.degraded).toEqual([{ component: `file:${missing}`, kind: 'error', reason: `${missing}: cannot read the evidence file: no such file` }]);
  });
});

describe('preloadEvidenceFiles', () => {
  it('reads all inputs first and throws for the first unreadable one, naming it', async () => {
    const good = fixturePath('app-log.txt');
    const empty = write('empty-pre.txt', '');
    await expect(preloadEvidenceFiles([good, empty])).rejects.toThrow(`${empty}: is empty`);
    const documents = await preloadEvidenceFiles([good, '-'], { stdin: Readable.from([Buffer.from('from stdin\n')]) });
    expect(documents.map((c) => c.name)).toEqual([`file:${good}`, 'file:stdin']);
    expect(documents[1]!.sha256).toBe(createHash('sha256').update('from stdin\n').digest('hex'));
    const collectors = documents.map((d) => ({ name: d.name, collect: async () => d.parts }));
    const incident = { id: 'i', source: 'manual', title: 't', severity: 'low', occurredAt: '2026-11-30T07:00:00Z', window: { start: '2026-11-30T06:00:00Z', end: '2026-11-30T08:00:00Z' }, resources: [], labels: {} } as Incident;
    const ctx = await collect(incident, collectors, { budgetMs: 1000 });
    expect(ctx.logs.map((e) => e.source)).toEqual([...Array(5).fill(good), 'stdin']);
  });
});

describe('readEvidenceFile: bad input', () => {
  it('refuses an empty file and a whitespace-only file, naming the file', async () => {
    const empty = write('empty.txt', '');
    const blank = write('blank.txt', '\n  \n\t\n');
    const e1 = await errorOf(readEvidenceFile(empty));
    expect(e1).toBeInstanceOf(InvalidInputError);
    expect(e1.message).toBe(`${empty}: is empty`);
    expect(e1.code).toBe('EMPTY_INPUT');
    expect((await errorOf(readEvidenceFile(blank))).message).toBe(`${blank}: holds only whitespace`);
    expect((await errorOf(readEvidenceFile('-', { stdin: Readable.from([]) }))).message).toBe('stdin: is empty');
  });

  it('refuses binary garbage, gzip data and UTF-16 text as binary', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    const garbage = write('garbage.bin', bytes);
    const e = await errorOf(readEvidenceFile(garbage));
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e.code).toBe('BINARY_INPUT');
    expect(e.message).toMatch(new RegExp(`^${garbage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not text evidence: it contains NUL bytes`));
    expect((await errorOf(readEvidenceFile(write('app.log.gz', gzipSync('hello\n'))))).message).toMatch(/gzip-compressed/);
    // UTF-16 without a byte order mark has NUL bytes
    expect((await errorOf(readEvidenceFile(write('utf16.txt', Buffer.from('hello world\n', 'utf16le'))))).message).toMatch(/NUL bytes/);
    // control characters without NUL
    expect(binaryReason(Buffer.from('\x01\x02\x03\x04abc\x05\x06'))).toMatch(/control characters/);
    expect(binaryReason(Buffer.from('plain text\twith tab\r\n\x1b[31mred\x1b[0m\n'))).toBeUndefined();
  });

  it('reads UTF-16 text with a byte order mark (PowerShell redirects), whole and streamed', async () => {
    const text = readFileSync(fixturePath('describe-oom.txt'), 'utf8');
    const le = write('pod-utf16le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const ctx = await readEvidenceFile(le);
    expect(ctx.describes![0]!.fields['Containers.checkout.Last State.Reason']).toBe('OOMKilled');
    expect(ctx.kubernetesEvents!.at(-1)!.line).toBe(47);
    expect(ctx.degraded).toBeUndefined();
    const be = Buffer.from(text, 'utf16le').swap16();
    const streamed = await readEvidenceFile('-', { stdin: Readable.from([Buffer.from([0xfe, 0xff]), be]), wholeParseLimitBytes: 100 });
    expect(streamed.logs![0]).toEqual({ message: text.split('\n')[0], source: 'stdin', line: 1 });
    expect(streamed.degraded!.map((d) => d.kind)).toEqual(['skipped']);
  });

  it('decodes invalid UTF-8 with replacement characters and a degraded note instead of failing', async () => {
    const path = write('latin1.log', Buffer.concat([
      Buffer.from('2026-11-30T07:00:00Z INFO ok\n'),
      Buffer.from('2026-11-30T07:00:01Z ERROR caf'), Buffer.from([0xe9]), Buffer.from(' not reachable\n'),
      Buffer.from('real replacement char \uFFFD stays\n'),
    ]));
    const ctx = await readEvidenceFile(path);
    expect(ctx.logs!.map((e) => e.message)).toEqual([
      '2026-11-30T07:00:00Z INFO ok', '2026-11-30T07:00:01Z ERROR caf\uFFFD not reachable', 'real replacement char \uFFFD stays',
    ]);
    expect(ctx.degraded).toEqual([{ component: `file:${path}`, kind: 'error', reason: '1 bytes of invalid UTF-8 were replaced with U+FFFD (first on line 2)' }]);
  });

  it('reports invalid UTF-8 in a streamed file too, and decodes characters split across chunks', async () => {
    const line = 'naïve café 東京 ok\n';
    const chunks: Buffer[] = [];
    const all = Buffer.from(line.repeat(50));
    for (let i = 0; i < all.length; i += 7) chunks.push(all.subarray(i, i + 7)); // splits multi-byte characters
    const ok = await readEvidenceFile('-', { stdin: Readable.from(chunks), wholeParseLimitBytes: 64 });
    expect(ok.logs).toHaveLength(50);
    expect(ok.logs!.every((e) => e.message === line.trimEnd())).toBe(true);
    expect(ok.logs!.map((e) => e.line)).toEqual(Array.from({ length: 50 }, (_, k) => k + 1));
    expect(ok.degraded!.map((d) => d.kind)).toEqual(['skipped']);
    const bad = await readEvidenceFile('-', { stdin: Readable.from([Buffer.from('a\n'.repeat(40)), Buffer.from([0xff, 0x0a])]), wholeParseLimitBytes: 16 });
    expect(bad.degraded).toContainEqual({ component: 'file:stdin', kind: 'error', reason: '1 bytes of invalid UTF-8 were replaced with U+FFFD (first near line 41)' });
  });

  it('reads a truncated JSON file as text with a degraded note; refuses a YAML bomb with a typed error naming the file', async () => {
    const truncated = await readEvidenceFile(fixturePath('truncated.json'));
    expect(truncated.degraded?.[0]?.reason).toMatch(/truncated JSON/);
    expect(truncated.logs?.length).toBeGreaterThan(0);
    const bomb = await errorOf(readEvidenceFile(fixturePath('yaml-bomb.yaml')));
    expect(bomb).toBeInstanceOf(InputTooLargeError);
    expect(bomb.input).toBe(fixturePath('yaml-bomb.yaml'));
  });

  it('refuses a missing file and a directory', async () => {
    expect((await errorOf(readEvidenceFile(join(dir, 'nope.txt')))).message).toMatch(/nope\.txt: cannot read the evidence file: no such file/);
    const sub = join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    expect((await errorOf(readEvidenceFile(sub))).message).toBe(`${sub}: is a directory, not an evidence file`);
  });

  it('cuts an over-long line and keeps the following line numbers right', async () => {
    const path = write('long.log', `first\n${'x'.repeat(5000)}\nthird\n`);
    const ctx = await readEvidenceFile(path, { wholeParseLimitBytes: 10, maxLineChars: 1000 });
    expect(ctx.logs!.map((e) => [e.line, e.message.length])).toEqual([[1, 5], [2, 1000], [3, 5]]);
    expect(ctx.degraded).toContainEqual(expect.objectContaining({ kind: 'truncated', reason: '1 lines longer than 1000 characters were cut' }));
  });

  it('stops reading when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('budget spent'));
    const path = write('small.log', 'a\nb\n');
    await expect(readEvidenceFile(path, { signal: controller.signal })).rejects.toThrow('budget spent');
  });
});

/** Writes a log of `mb` MiB line by line (never whole in memory); returns its path and line count. */
async function generateLog(mb: number): Promise<{ path: string; lines: number }> {
  const path = join(dir, `big-${mb}.log`);
  const out = createWriteStream(path);
  const target = mb * 1024 * 1024;
  const base = Date.parse('2026-11-30T00:00:00Z');
  let written = 0;
  let k = 0;
  while (written < target) {
    let chunk = '';
    for (let j = 0; j < 2000; j++, k++) {
      chunk += `${new Date(base + k * 10).toISOString()} INFO request id=${k} path=/api/orders/${k % 977} status=${k % 1000 === 0 ? 503 : 200} latency_ms=${k % 300}\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { path, lines: k };
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

async function streamBigLog(mb: number): Promise<void> {
  const { path, lines } = await generateLog(mb);
  collectGarbage();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
  const started = performance.now();
  const ctx = await readEvidenceFile(path);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const growthMb = (peak - before) / 1048576;
  console.log(`streamed ${mb} MiB (${lines} lines) in ${Math.round(performance.now() - started)} ms, RSS growth ${growthMb.toFixed(0)} MiB`);
  // one template: its first 3 events and the 50 000 most recent kept whole, every other line as template, time and level
  expect(ctx.logs).toHaveLength(50_003);
  expect(ctx.logs!.slice(0, 4).map((e) => e.line)).toEqual([1, 2, 3, lines - 50_000 + 1]);
  expect(ctx.logs!.at(-1)!.line).toBe(lines);
  expect(ctx.logs!.at(-1)!.timestamp).toBe(Date.parse('2026-11-30T00:00:00Z') + (lines - 1) * 10);
  expect(ctx.omittedLogs).toHaveLength(1);
  expect(ctx.omittedLogs![0]!.count).toBe(lines - 50_003);
  expect(ctx.omittedLogs![0]!.timestamps[0]).toBe(Date.parse('2026-11-30T00:00:00Z') + 3 * 10);
  expect(ctx.omittedLogs![0]!.exemplars[0]).toBe(ctx.logs![0]);
  expect(ctx.degraded!.map((d) => d.kind)).toEqual(['skipped', 'skipped']);
  expect(ctx.degraded![1]!.reason).toBe(`${lines} log events read and mined, every one counted in the log patterns; 50003 kept whole (the first 3 of each template and the 50000 most recent), the other ${lines - 50_003} as their template, time and level`);
  expect(growthMb).toBeLessThan(300);
  rmSync(path);
}

describe('readEvidenceFile: large inputs stream in bounded memory', () => {
  it('streams a 50 MiB log, every line mined, keeping the first of each template and the 50 000 most recent whole', async () => {
    await streamBigLog(50);
  }, 60_000);

  it.runIf(process.env['OPS_SLOW_TESTS'] === '1')('streams a 200 MiB log (OPS_SLOW_TESTS=1)', async () => {
    await streamBigLog(200);
  }, 120_000);
});

describe('readEvidenceFile: a quiet stdin', () => {
  it('stops waiting when the signal aborts', async () => {
    const quiet = new Readable({ read() { /* never produces data */ } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('collect budget spent')), 50);
    const started = performance.now();
    await expect(readEvidenceFile('-', { stdin: quiet, signal: controller.signal })).rejects.toThrow('collect budget spent');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('readEvidenceFile: large JSON documents stream element by element', () => {
  const base = Date.parse('2026-11-30T06:00:00Z');
  const filterLogEvents = (n: number): string => JSON.stringify({
    events: Array.from({ length: n }, (_, k) => ({
      logStreamName: `stream-${k % 3}`, timestamp: base + k * 1000, message: `2026-11-30 line ${k} "quoted" \\ backslash {brace} [bracket]\n`, eventId: String(k),
    })),
    searchedLogStreams: [],
  }, null, 4);
  const chunked = (text: string, size: number): Readable => {
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    return Readable.from(chunks);
  };

  it('keeps the most recent events of a FilterLogEvents export with the line of each event', async () => {
    const text = filterLogEvents(3000);
    const ctx = await readEvidenceFile('-', { stdin: chunked(text, 4093), wholeParseLimitBytes: 64 * 1024, maxEvents: 500 });
    // the first 3 of the one template, then the 500 most recent
    expect(ctx.logs).toHaveLength(503);
    expect(ctx.omittedLogs![0]!.count).toBe(3000 - 503);
    const lines = text.split('\n');
    ctx.logs!.forEach((e, i) => {
      const k = i < 3 ? i : 2500 + i - 3;
      expect(e).toMatchObject({ timestamp: base + k * 1000, logStream: `stream-${k % 3}`, message: `2026-11-30 line ${k} "quoted" \\ backslash {brace} [bracket]`, source: 'stdin' });
      expect(lines[e.line! - 1]!.trim()).toBe('{');
      expect(lines[e.line! + 2]).toContain(`line ${k} `);
    });
    expect(ctx.degraded!.map((d) => d.kind)).toEqual(['skipped', 'skipped']);
    expect(ctx.degraded![0]!.reason).toMatch(/read element by element/);
  });

  it('gives the same events whatever the chunking (strings and escapes split across chunks)', async () => {
    const text = filterLogEvents(40);
    const small = await readEvidenceFile('-', { stdin: chunked(text, 3), wholeParseLimitBytes: 16 });
    const whole = await readEvidenceFile('-', { stdin: chunked(text, 1 << 20) });
    expect(small.logs).toEqual(whole.logs);
  });

  it('streams a kind: List of pods and an EventList into objects and events', async () => {
    const pods = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Array.from({ length: 50 }, (_, k) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${k}`, namespace: 'n' }, status: { phase: k === 7 ? 'Pending' : 'Running' } })) }, null, 2);
    const ctx = await readEvidenceFile('-', { stdin: chunked(pods, 1000), wholeParseLimitBytes: 1024 });
    expect(ctx.kubernetesObjects).toHaveLength(50);
    expect(ctx.kubernetesObjects![7]).toMatchObject({ kind: 'Pod', metadata: { name: 'p-7' }, status: { phase: 'Pending' } });
    expect(pods.split('\n')[ctx.kubernetesObjects![7]!._line! - 1]!.trim()).toBe('{');
    const events = JSON.stringify({ kind: 'EventList', apiVersion: 'v1', items: [{ kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p-7' }, type: 'Warning', reason: 'FailedScheduling', message: '0/3 nodes are available' }], metadata: {} }, null, 2);
    const ev = await readEvidenceFile('-', { stdin: chunked(events, 50), wholeParseLimitBytes: 64 });
    expect(ev.kubernetesEvents).toEqual([expect.objectContaining({ reason: 'FailedScheduling', object: 'Pod/p-7' })]);
  });

  it('keeps the complete events of a truncated export and reports the truncation', async () => {
    const text = filterLogEvents(100);
    const cut = text.slice(0, Math.floor(text.length * 0.6));
    const ctx = await readEvidenceFile('-', { stdin: chunked(cut, 4096), wholeParseLimitBytes: 1024 });
    expect(ctx.logs!.length).toBeGreaterThan(50);
    expect(ctx.logs!.length).toBeLessThan(61);
    expect(ctx.degraded).toContainEqual(expect.objectContaining({ kind: 'truncated', reason: expect.stringMatching(/JSON document is truncated/) }));
  });

  it('refuses a large JSON document without any array it can read', async () => {
    const text = JSON.stringify({ something: { else: 'x'.repeat(5000) } }, null, 2);
    await expect(readEvidenceFile('-', { stdin: chunked(text, 512), wholeParseLimitBytes: 1024 })).rejects.toThrow(/stdin: is a .* JSON document with no log events/);
  });

  it('reads large JSON lines line by line', async () => {
    const text = Array.from({ length: 200 }, (_, k) => JSON.stringify({ level: 'error', msg: `failure ${k}`, time: base + k })).join('\n');
    const ctx = await readEvidenceFile('-', { stdin: chunked(text, 100), wholeParseLimitBytes: 1024 });
    expect(ctx.logs).toHaveLength(200);
    expect(ctx.logs![199]).toMatchObject({ message: 'ERROR failure 199', line: 200, timestamp: base + 199 });
    expect(ctx.degraded![0]!.reason).toMatch(/read line by line/);
  });
});

describe('readEvidenceFile: a large CloudWatch export (OPS_SLOW_TESTS=1)', () => {
  it.runIf(process.env['OPS_SLOW_TESTS'] === '1')('streams a 100 MiB FilterLogEvents export in bounded memory', async () => {
    const path = join(dir, 'export.json');
    const out = createWriteStream(path);
    const base = Date.parse('2026-11-30T00:00:00Z');
    out.write('{\n    "events": [\n');
    let written = 0;
    let k = 0;
    while (written < 100 * 1024 * 1024) {
      let chunk = '';
      for (let j = 0; j < 1000; j++, k++) {
        chunk += `${k ? ',\n' : ''}        {\n            "logStreamName": "s",\n            "timestamp": ${base + k},\n            "message": "INFO request id=${k}\\n",\n            "eventId": "${k}"\n        }`;
      }
      written += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.write('\n    ]\n}\n');
    out.end();
    await once(out, 'finish');
    collectGarbage();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
    const started = performance.now();
    const ctx = await readEvidenceFile(path);
    clearInterval(sampler);
    console.log(`streamed a 100 MiB export (${k} events) in ${Math.round(performance.now() - started)} ms, RSS growth ${((peak - before) / 1048576).toFixed(0)} MiB`);
    expect(ctx.logs).toHaveLength(200_000);
    expect(ctx.logs!.at(-1)).toMatchObject({ message: `INFO request id=${k - 1}`, timestamp: base + k - 1, logStream: 's' });
    expect((peak - before) / 1048576).toBeLessThan(300);
    rmSync(path);
  }, 120_000);
});

describe('readEvidenceFile: large Kubernetes YAML streams one document or List item at a time', () => {
  const chunked = (text: string, size: number): Readable => {
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    return Readable.from(chunks);
  };
  // the layout of `kubectl get pods -o yaml`: apiVersion, items as column-0 `- ` blocks, kind: List, metadata
  const podList = (n: number): string => [
    'apiVersion: v1',
    'items:',
    ...Array.from({ length: n }, (_, k) => [
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata:',
      `    name: web-${k}`,
      '    namespace: shop',
      '  spec:',
      '    containers:',
      '    - name: web',
      '      image: nginx:1.27',
      '  status:',
      `    phase: ${k % 10 === 3 ? 'Pending' : 'Running'}`,
      '    containerStatuses:',
      '    - name: web',
      `      restartCount: ${k % 7}`,
      '      state:',
      k % 10 === 5 ? '        waiting:\n          reason: CrashLoopBackOff' : '        running: {}',
    ].join('\n')),
    'kind: List',
    'metadata:',
    '  resourceVersion: ""',
    '',
  ].join('\n');

  it('gives the same objects and lines as the whole parse', async () => {
    const text = podList(120);
    const streamed = await readEvidenceFile('-', { stdin: chunked(text, 777), wholeParseLimitBytes: 2048 });
    const whole = await readEvidenceFile('-', { stdin: chunked(text, 1 << 20) });
    expect(whole.kubernetesObjects).toHaveLength(120);
    expect(streamed.kubernetesObjects).toEqual(whole.kubernetesObjects);
    expect(streamed.logs).toEqual([]);
    expect(streamed.degraded!.map((d) => d.kind)).toEqual(['skipped']);
    expect(streamed.degraded![0]!.reason).toMatch(/YAML was read one document/);
    const crash = streamed.kubernetesObjects!.find((o) => o.metadata.name === 'web-5')!;
    expect(crash.status.containerStatuses[0].state.waiting.reason).toBe('CrashLoopBackOff');
    expect(text.split('\n')[crash._line! - 1]).toBe('- apiVersion: v1');
  });

  it('reads `---` separated manifests and refuses a YAML bomb among them', async () => {
    const manifests = Array.from({ length: 30 }, (_, k) => `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${k}\nspec:\n  selector:\n    app: a${k}\n`).join('');
    const ctx = await readEvidenceFile('-', { stdin: chunked(manifests, 100), wholeParseLimitBytes: 512 });
    expect(ctx.kubernetesObjects!.map((o) => o.metadata.name)).toEqual(Array.from({ length: 30 }, (_, k) => `svc-${k}`));
    expect(ctx.kubernetesObjects![29]!._line).toBe(29 * 8 + 2);
    const bomb = `${manifests}---\n${readFileSync(fixturePath('yaml-bomb.yaml'), 'utf8')}`;
    await expect(readEvidenceFile('-', { stdin: chunked(bomb, 100), wholeParseLimitBytes: 512 })).rejects.toBeInstanceOf(InputTooLargeError);
  });
});
