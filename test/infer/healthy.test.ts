/**
 * Healthy inputs lead `unknown` with what was checked: transient errors that recovered, settings
 * that name timeouts and error counts, handled exceptions logged at DEBUG; a failure after the
 * recovery still counts. Diagnosed as the CLI diagnoses pasted evidence (rules only).
 */
import { describe, expect, it } from 'vitest';
import { diagnoseEvidenceTexts } from '../../functions/composition/local.js';
import { matchFailureStates } from '../../functions/core/stages/analyze/index.js';
import { context, logs } from '../analyze/kubernetes/fixtures/context.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const diagnose = async (text: string) => (await diagnoseEvidenceTexts([{ name: 'evidence.txt', text }], { useModel: false, now: () => NOW })).hypotheses;

describe('transient errors that recovered', () => {
  it('a peer refused while it started, then the component came up: healthy, saying the errors recovered', async () => {
    const hypotheses = await diagnose([
      'app-1    | Error: connect ECONNREFUSED 10.0.0.3:6379',
      'app-1    |     at TCPConnectWrapper.afterConnect [as oncomplete] (node:net:1555:16)',
      'app-1    | [ioredis] Unhandled error event: Error: connect ECONNREFUSED 10.0.0.3:6379',
      'redis-1  | 1:M 07 Dec 2024 10:00:01.000 * Ready to accept connections tcp',
      'app-1    | Server listening on port 3000',
    ].join('\n'));
    expect(hypotheses[0]!.category).toBe('unknown');
    expect(hypotheses[0]!.summary).toMatch(/healthy as far as this evidence shows: .*recovered/);
  });

  it('the same error after the component came up is a failure', async () => {
    const hypotheses = await diagnose([
      'app-1    | Error: connect ECONNREFUSED 10.0.0.3:6379',
      'app-1    | Server listening on port 3000',
      'app-1    | Error: connect ECONNREFUSED 10.0.0.3:6379',
    ].join('\n'));
    expect(hypotheses[0]!.category).toBe('dependency_unreachable');
  });

  it('another component coming up is no recovery of this one', async () => {
    const hypotheses = await diagnose([
      'app-1    | Error: connect ECONNREFUSED 10.0.0.3:6379',
      'web-1    | Server listening on port 8080',
    ].join('\n'));
    expect(hypotheses[0]!.category).toBe('dependency_unreachable');
  });
});

describe('readiness probes that failed only while the container started', () => {
  const event = (age: string) => `  Warning  Unhealthy       ${age}  kubelet            Readiness probe failed: Get "http://10.0.0.1:8090/ready": dial tcp 10.0.0.1:8090: connect: connection refused`;
  it('a short burst long ago that did not recur is a slow start', async () => {
    expect((await diagnose(event('18m (x3 over 18m)')))[0]!.category).toBe('unknown');
  });
  it('failures that go on, or many of them, are a probe failure', async () => {
    expect((await diagnose(event('5s (x40 over 18m)')))[0]!.category).not.toBe('unknown');
    expect((await diagnose(event('18m (x30 over 18m)')))[0]!.category).not.toBe('unknown');
  });
  it('a liveness probe failure restarts the container: never a slow start', async () => {
    const line = '  Warning  Unhealthy       18m (x3 over 18m)  kubelet            Liveness probe failed: Get "http://10.0.0.1:8090/live": dial tcp 10.0.0.1:8090: connect: connection refused';
    expect((await diagnose(line))[0]!.category).not.toBe('unknown');
  });
});

describe('warnings a pod started after', () => {
  const pod = (state: string, events: string[]) => [
    'Name:             web-7d9f8c7b6d-abcde', 'Namespace:        default', 'Status:           Running', 'Containers:', '  web:', '    Image:          nginx:1.27',
    ...state.split('\n'), 'Events:', '  Type     Reason            Age    From               Message', '  ----     ------            ----   ----               -------', ...events,
  ].join('\n');
  const waited = ['  Warning  FailedScheduling  5m     default-scheduler  0/3 nodes are available: 3 Insufficient cpu.', '  Normal   Scheduled         3m     default-scheduler  Successfully assigned default/web-7d9f8c7b6d-abcde to node-3', '  Normal   Started           2m     kubelet            Started container web'];
  it('a pod that waited for a node, then started and is Running and Ready with no restart, is healthy; the summary says so', async () => {
    const [lead] = await diagnose(pod('    State:          Running\n    Ready:          True\n    Restart Count:  0', waited));
    expect(lead!.category).toBe('unknown');
    expect(lead!.summary).toMatch(/healthy as far as this evidence shows: 1 pod Running, 0 restarts, .*1 warning event before the pod started/);
  });
  it('the same warning on a pod not Ready, or restarted, or with no start after it, stays a cause', async () => {
    expect((await diagnose(pod('    State:          Running\n    Ready:          False\n    Restart Count:  0', waited)))[0]!.category).toBe('insufficient_cpu');
    expect((await diagnose(pod('    State:          Running\n    Ready:          True\n    Restart Count:  0', [...waited.slice(1), waited[0]!])))[0]!.category).toBe('insufficient_cpu');
  });
});

describe('what is not a failure state', () => {
  const states = (text: string) => matchFailureStates(context({ logs: logs(text) })).map((s) => s.state.id);
  it('settings naming timeouts, deadlines and zero error counts', () => {
    expect(states('spring.datasource.hikari.connection-timeout=30000')).toEqual([]);
    expect(states('config: {"timeout": "30s", "retries": 3, "errors": 0, "failed": 0}')).toEqual([]);
    expect(states('[2024-12-07 10:00:00,000] INFO Client environment:zookeeper.connection.timeout.ms=18000 (org.apache.zookeeper.ZooKeeper)')).toEqual([]);
    // a timeout event beside a setting stays one
    expect(states('upstream read timed out after 30s (proxy_read_timeout: 30)')).toEqual(['timeout']);
  });
  it('exceptions logged at DEBUG or TRACE were handled', () => {
    expect(states('2024-12-07 10:00:00 DEBUG c.e.OrderService - ignored optional header: java.lang.NumberFormatException: For input string: "abc"')).toEqual([]);
    expect(states('{"level":"debug","msg":"cache miss","error":"redis: nil"} TimeoutError: ')).toEqual([]);
    expect(states('2024-12-07 10:00:00 ERROR c.e.OrderService - java.lang.IllegalStateException: broken')).toEqual(['crash']);
  });
});

describe('benign inputs end to end', () => {
  it.each([
    ['a configuration dump', 'server.tomcat.connection-timeout=20s\nfeign.client.config.default.readTimeout=5000\nspring.kafka.consumer.properties.request.timeout.ms=30000'],
    ['a handled exception at DEBUG', '2024-12-07 10:00:00 DEBUG c.e.OrderService - handled exception while parsing optional header: java.lang.NumberFormatException: For input string: "abc"\n2024-12-07 10:00:00 DEBUG c.e.OrderService - falling back to default page size 20'],
    ['an nginx configuration dump', 'nginx: configuration file /etc/nginx/nginx.conf test is successful\nserver {\n    location / {\n        proxy_read_timeout 60s;\n        proxy_next_upstream error timeout http_502 http_503;\n    }\n}'],
    ['a Redis background save', '1:M 08 Dec 2026 12:00:00.012 * 100 changes in 300 seconds. Saving...\n1:M 08 Dec 2026 12:00:00.314 * Background saving terminated with success'],
    ['an npm install', 'npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported\n\nadded 612 packages, and audited 613 packages in 14s\n\nfound 0 vulnerabilities'],
    ['a timeout retried and succeeded', "2026-12-08T12:00:01.234Z[UTC]: Retry 'ordersClient', waiting PT0.5S until attempt '2'. Last attempt failed with exception 'java.net.SocketTimeoutException: Read timed out'.\n2026-12-08T12:00:01.781Z[UTC]: Retry 'ordersClient' recorded a successful retry attempt. Number of retry attempts: '1'."],
    ['a client\'s malformed request (Tomcat)', '2026-12-08 12:00:00.123  INFO 1 --- [nio-8080-exec-7] o.apache.coyote.http11.Http11Processor : Error parsing HTTP request header\njava.lang.IllegalArgumentException: Invalid character found in the request target [/api/\\x7b]. The valid characters are defined in RFC 7230 and RFC 3986'],
    ['an exception Spring resolved to a response', "2026-12-08T12:00:00.123Z  WARN 1 --- [nio-8080-exec-4] .w.s.m.s.DefaultHandlerExceptionResolver : Resolved [org.springframework.web.bind.MissingServletRequestParameterException: Required request parameter 'id' for method parameter type String is not present]"],
  ])('%s → unknown', async (_name, text) => {
    expect((await diagnose(text))[0]!.category).toBe('unknown');
  });
});

describe('a slow call ranks above the effects it explains', () => {
  it('a query far slower than usual leads a pool exhausted waiting for it; a Lambda timing out waiting on a downstream ranks it beside', async () => {
    const pool = await diagnose([
      "2024-12-07 10:00:00.123 UTC [4821] LOG:  duration: 28123.456 ms  statement: SELECT * FROM orders WHERE status = 'open'",
      '2024-12-07 10:00:30.123  WARN 1 --- [nio-8080-exec-5] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Connection is not available, request timed out after 30000ms.',
    ].join('\n'));
    expect(pool.slice(0, 2).map((h) => h.category)).toEqual(['slow_dependency', 'db_connection_exhaustion']);
    const lambda = await diagnose([
      '2024-12-07T10:00:12.123Z\t6c0b9b0e-1b1a-4d0e-9a1f-3b2c1d0e9f8a\tINFO\tfetched inventory from https://inventory.internal/v1/items took 12.4s',
      '2024-12-07T10:00:15.000Z 6c0b9b0e-1b1a-4d0e-9a1f-3b2c1d0e9f8a Task timed out after 15.02 seconds',
    ].join('\n'));
    // (rules alone score the timeout at the 0.97 cap, so the cause can only tie it there)
    expect(lambda.slice(0, 2).map((h) => h.category).sort()).toEqual(['lambda_timeout', 'slow_dependency']);
    // without the slow call, the effect leads alone
    expect((await diagnose('2024-12-07T10:00:15.000Z 6c0b9b0e-1b1a-4d0e-9a1f-3b2c1d0e9f8a Task timed out after 15.02 seconds'))[0]!.category).toBe('lambda_timeout');
  });
});
