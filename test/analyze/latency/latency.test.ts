/**
 * The latency analyzer: durations read in each emitter's layout, slow against their usual values
 * or an absolute floor, slow-log entries, and what is not a slow call (a timeout, a setting, a
 * threshold, startup work).
 */
import { describe, expect, it } from 'vitest';
import { analyzeLatency, callDurations, durationOf, readDuration, slowCalls } from '../../../functions/core/stages/analyze/index.js';
import { SLOW_WORDS_SIGNATURE } from '../../../functions/core/stages/analyze/latency/index.js';
import type { LogEvent } from '../../../functions/core/model/evidence.js';
import { logs } from '../kubernetes/fixtures/context.js';

describe('readDuration: each emitter\'s layout', () => {
  it.each([
    // words and prose
    ['2024-05-01 10:00:00.123 INFO c.e.OrderService - fetched inventory took 12.3s', 12300],
    ['apply request took 1m2.5s', 62500],
    ['WARN Slow query detected (5.2 seconds): SELECT * FROM orders', 5200],
    ['info: Microsoft.EntityFrameworkCore.Database.Command[20101] Executed DbCommand (5,234ms) [Parameters=[], CommandType=\'Text\'] SELECT 1', 5234],
    ['D/OkHttp: <-- 200 OK https://api.example.com/v1/items (12345ms, 45-byte body)', 12345],
    ['[OrdersClient#list] <--- HTTP/1.1 200 (8123ms)', 8123],
    ['System.Net.Http.HttpClient.inventory.ClientHandler: Information: Received HTTP response headers after 12034.5678ms - 200', 12034.5678],
    ['Trace[1234567]: "List" url:/api/v1/pods,user-agent:kubectl (07-Dec-2024 10:00:00.000) (total time: 12034ms):', 12034],
    ['Executed (default): SELECT * FROM "Orders"; Elapsed time: 7421ms', 7421],
    // fields, key=value and JSON, snake and camel case
    ['level=info msg="call to payments" elapsed=8.4s', 8400],
    ['{"msg":"http client call","latency_ms":9120,"status":200}', 9120],
    ['{"name":"GET /inventory","kind":"CLIENT","duration_ms":11234.5}', 11234.5],
    ['{"level":"warn","msg":"apply request took too long","took":"2.345678s","expected-duration":"100ms"}', 2345.678],
    ['{"requestId":"a","httpMethod":"GET","status":"200","responseLatency":"28500","integrationLatency":"28450"}', 28450],
    ['grpc.method=List grpc.code=OK grpc.time_ms=12345.6', 12345.6],
    ['INFO: [orders] webapp=/solr path=/select params={q=*:*} hits=0 status=0 QTime=12034', 12034],
    ['{"durationMs": 6500, "route": "/orders"}', 6500],
    // access logs by layout
    ['10.0.0.1:5000 [07/Dec/2024:10:00:00.000] web orders/srv1 0/0/1/12034/12035 200 512 - - ---- 1/1/0/0/0 0/0 "GET /v1/orders HTTP/1.1"', 12034],
    ['[2024-12-07T10:00:15.123Z] "GET /v1/orders HTTP/1.1" 200 - 0 512 14532 14530 "-" "curl/8.5.0" "3f0c" "orders:8080" "10.244.2.9:8080"', 14530],
    ['[2024-12-07T10:00:15.123Z] "GET /v1/orders HTTP/1.1" 200 - via_upstream - "-" 0 512 14532 14530 "-" "curl/8.5.0" "3f0c" "orders:8080" "10.244.2.9:8080"', 14530],
    ['{"latencies":{"kong":1,"proxy":12034,"request":12036},"request":{"method":"GET"}}', 12034],
    // databases and slow logs
    ['Elasticsearch [index.search.slowlog.query] [orders][0] took[12.3s], took_millis[12300], total_hits[100]', 12300],
    ['<SELECT * FROM ks.orders LIMIT 100>, time 5234 msec - slow timeout 500 msec', 5234],
    ['<SELECT * FROM ks.orders LIMIT 100>, was slow 2 times: avg/min/max 600/590/610 msec - slow timeout 500 msec', 610],
    ['Session Metrics { 12345678 nanoseconds spent acquiring 1 JDBC connections; 9823456789 nanoseconds spent executing 1 JDBC statements }', 9823.456789],
    ['[5234.123ms] [rows:1] SELECT * FROM `orders` WHERE status = "open"', 5234.123],
    ['execution time: 5234', 5234],
    ['Completed 200 OK in 12034ms (Views: 1.2ms | ActiveRecord: 11800.3ms | Allocations: 1234)', 11800.3],
    ['{"t":{"$date":"2024-12-07T10:00:00.123+00:00"},"s":"I","c":"COMMAND","id":51803,"ctx":"conn123","msg":"Slow query","attr":{"ns":"shop.orders","durationMillis":812}}', 812],
    ['2019-05-01T10:00:00.000+0000 I COMMAND  [conn12] command shop.orders command: find { find: "orders", filter: { status: "open" } } planSummary: COLLSCAN keysExamined:0 docsExamined:255829 numYields:1998 reslen:1234 protocol:op_msg 1234ms', 1234],
    [' Execution Time: 12034.567 ms', 12034.567],
    [' Seq Scan on orders  (cost=0.00..180000.00 rows=1 width=64) (actual time=0.012..12034.567 rows=1 loops=1)', 12034.567],
    ['Time: 12034.567 ms (00:12.035)', 12034.567],
    ['{ "opid" : 1234, "active" : true, "secs_running" : 125, "op" : "query", "ns" : "shop.orders" }', 125000],
    ["{'sql': 'SELECT COUNT(*) FROM base_translation', 'time': '1.362'}", 1362],
    ['2026-12-08 12:00:07.812  INFO 1 --- [nio-8080-exec-3] org.hibernate.SQL_SLOW : SlowQuery: 7812 milliseconds. SQL: \'select 1\'', 7812],
    ['min: 0, max: 812, avg: 54.30 (1123 samples) -- 15.00 seconds range', 812],
    ['GET /api/orders?customer=4823 200 7812.332 ms - 5002', 7812.332],
    ['::1 - GET /api/orders HTTP/1.1 200 5002 - 7812.332 ms', 7812.332],
    ['10.0.3.7 - - [08/Dec/2026:12:00:08 +0000] "GET /v1/orders HTTP/1.1" 200 5123 "-" "Mozilla/5.0" 420 7.815 [default-orders-8080] [] 10.244.2.7:8080 5123 7.812 200 9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e', 7812],
    ['10.0.3.7 - - [08/Dec/2026:12:00:09 +0000] "GET /v1/reports HTTP/1.1" 200 20480 "-" "curl/8.5.0" urt=0.004, 7.808 status=502, 200', 7808],
    ['2026-12-08T12:00:08.006641Z my-clb 10.0.3.8:51122 10.0.0.2:8080 0.000020 7.812345 0.000022 200 200 0 5123 "GET http://api.example.com:80/v1/orders HTTP/1.1" "curl/8.5.0" - -', 7812.345],
    ['dns=0.004012 connect=0.005118 tls=0.019233 ttfb=7.812441 total=7.813002 code=200', 7812.441],
    ['INFO  (OriginDuration=7812004112ns)', 7812.004],
    ['finished call (grpc.time_ms=4987.3, grpc.deadline_ms=5000)', 4987.3],
    ['| 4821 | app  | 10.0.0.5:51234 | shop | Query   |  125 | Sending data | SELECT * FROM orders |', 125000],
    [' 12345 | app | active | 00:05:12.5 | SELECT * FROM orders', 312500],
    ['DEBUG 2024-12-07 10:00:00,123 utils (2.362) SELECT "orders"."id" FROM "orders"; args=(1,); alias=default', 2362],
    ['3 rows in set (12.34 sec)', 12340],
    ['Query OK, 1 row affected (5.67 sec)', 5670],
    ['1 row in set. Elapsed: 12.345 sec. Processed 1.20 billion rows, 9.60 GB (97.21 million rows/s., 777.68 MB/s.)', 12345],
    ['Run Time: real 12.345 user 11.002 sys 1.203', 12345],
    [' SQL Server Execution Times:   CPU time = 1234 ms,  elapsed time = 12034 ms.', 12034],
    // SDK metrics and traces
    ['ApiCallDuration=PT12.034S, ServiceId=DynamoDB, OperationName=Query', 12034],
    ['ClientExecutionTime=[12034.5], HttpRequestTime=[12000.1]', 12034.5],
    ['{"name":"orders","start_time":1733565600.123,"end_time":1733565612.456,"namespace":"remote","http":{}}', 12333],
    ['{"traceId":"a","name":"SELECT","kind":3,"startTimeUnixNano":"1733565600000000000","endTimeUnixNano":"1733565609500000000"}', 9500],
    ['{"traceID":"a","spanID":"b","operationName":"GET /inventory","startTime":1733565600000000,"duration":12034000}', 12034],
    ['{"id":"b","name":"DynamoDB","start_time":1733565600.1,"end_time":1733565608.6,"namespace":"aws","aws":{"operation":"Query"}}', 8500],
  ])('%s → %d ms', (line, ms) => {
    expect(readDuration(line)?.ms).toBeCloseTo(ms, 1);
  });

  // Each layout is read whatever the cheap checks that let most lines of a large log skip the readers
  // (read.ts: a line that cannot carry a layout, a keyed field or a unit after a number): lines of
  // layouts read only through those checks, in the case each check must let through.
  it.each([
    ['time_namelookup=0.004 time_connect=0.012 time_starttransfer=12.034567 time_total=12.040000', 12034.567, 'call'],
    ['{"took":12034,"timed_out":false,"_shards":{"total":5,"successful":5,"failed":0}}', 12034, 'query'],
    ['Empty set (12.34 sec)', 12340, 'query'],
    ['REPORT RequestId: 3f1c duration: 1234.56 ms', 1234.56, undefined],
    ['10.0.0.1:51234 [07/Dec/2024:10:00:00.123] web~ api/api1 0/0/1/12034/12035 200 512 - - ---- 1/1/0/0/0 0/0 "GET /orders HTTP/1.1"', 12034, 'call'],
    ['2024-12-07T10:00:00.123456Z my-elb 10.0.0.1:51234 10.0.1.5:8080 0.000021 12.034000 0.000019 200 200 0 512 "GET http://example.com:80/orders HTTP/1.1" "curl/8.5.0"', 12034, 'call'],
    ['GET /orders 200 12034.518 ms - 512', 12034.518, 'request'],
  ] as const)('%s → %d ms, %s (a layout the cheap checks let through)', (line, ms, kind) => {
    const read = readDuration(line);
    expect(read?.ms).toBeCloseTo(ms, 1);
    expect(read?.kind).toBe(kind);
  });

  it('an X-Ray segment is the service\'s own work, and a whole trace document nests many: only a single downstream subsegment is a call', () => {
    expect(readDuration('{"id":"a","name":"orders","start_time":1733565600.1,"end_time":1733565612.4,"origin":"AWS::Lambda::Function"}')).toBeUndefined();
    expect(readDuration('{"id":"a","name":"orders","start_time":1733565600.1,"end_time":1733565612.4,"subsegments":[{"name":"DynamoDB","start_time":1733565600.2,"end_time":1733565600.3,"namespace":"aws"}]}')).toBeUndefined();
  });

  it('reads no limit, expectation, setting or threshold as a measured duration', () => {
    for (const line of [
      'spring.datasource.hikari.connection-timeout=30000',
      '{"max_latency_ms": 5000, "timeout_ms": 30000}',
      '2024/12/07 10:00:00 /app/orders.go:42 SLOW SQL >= 200ms',
      'time="2024-12-07T10:00:00Z" level=info msg="ok"',
      'slow timeout 500 msec',
    ]) expect([line, readDuration(line)]).toEqual([line, undefined]);
    // the expectation beside a measured duration is not read instead of it
    expect(readDuration('{"expected-duration":"100ms","took":"3.1s"}')?.ms).toBeCloseTo(3100, 3);
  });
});

describe('durationOf: a timed call, not a timeout, a failure or startup work', () => {
  it('skips a call that timed out or failed: its wait belongs to the error', () => {
    expect(durationOf('HikariPool-1 - Connection is not available, request timed out after 30000ms.')).toBeUndefined();
    expect(durationOf('GET http://inventory/items failed after 12034ms: connection refused')).toBeUndefined();
    expect(durationOf('2026-11-30T06:40:03Z ERROR Billing - no spare backend sessions in the pool after 15 s')).toBeUndefined();
  });
  it('skips startup, image pulls and checkpoints', () => {
    expect(durationOf('Successfully pulled image "nginx:1.27" in 32.1s (32.1s including waiting)')).toBeUndefined();
    expect(durationOf('Started Application in 12.345 seconds (JVM running for 13.2)')).toBeUndefined();
  });
  it('tells queries from downstream calls by the layout', () => {
    expect(durationOf('[5234.123ms] [rows:1] SELECT 1')?.kind).toBe('query');
    expect(durationOf('10.0.0.1:5000 [07/Dec/2024:10:00:00.000] web orders/srv1 0/0/1/12034/12035 200 512 - - ---- 1/1/0/0/0 0/0 "GET /x HTTP/1.1"')?.kind).toBe('call');
  });
});

describe('slow calls', () => {
  it('a single query over the 1 s floor is slow with no baseline; a call needs 5 s', () => {
    const slow = slowCalls(callDurations(logs('LOG:  duration: 1450.2 ms  statement: SELECT 1\nfetched prices from https://pricing took 3.2s')));
    expect(slow.map((s) => [s.kind, s.ms])).toEqual([['query', 1450.2]]);
  });

  it('a MySQL slow-log entry quotes its statement', () => {
    const [finding] = analyzeLatency({ logs: logs('# Time: 2024-12-07T10:00:00.123456Z\n# User@Host: app[app] @ [10.0.0.5]  Id: 4821\n# Query_time: 14.812345  Lock_time: 0.000123 Rows_sent: 1  Rows_examined: 4821337\nSET timestamp=1733565600;\nSELECT * FROM orders WHERE status = \'open\';') });
    expect(finding?.severity).toBe('critical');
    expect(finding?.evidence.map((e) => e.text)).toEqual(['# Query_time: 14.812345  Lock_time: 0.000123 Rows_sent: 1  Rows_examined: 4821337', 'SELECT * FROM orders WHERE status = \'open\';']);
  });

  it('a Redis SLOWLOG GET reply is a list of slow commands, each quoting its command and key', () => {
    const reply = [
      ' 1) 1) (integer) 484', '    2) (integer) 1693836071', '    3) (integer) 14540', '    4) 1) "keys"', '       2) "sessions:*"', '    5) "10.0.0.1:50000"', '    6) ""',
      ' 2) 1) (integer) 483', '    2) (integer) 1693833074', '    3) (integer) 15386', '    4) 1) "keys"', '       2) "sessions:*"', '    5) "10.0.0.1:50000"', '    6) ""',
    ].join('\n');
    const findings = analyzeLatency({ logs: logs(reply) });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.category).toBe('slow_dependency');
    expect(findings[0]!.evidence.map((e) => e.text)).toEqual(['3) (integer) 15386', '4) 1) "keys"', '2) "sessions:*"']);
    // a reply of other integers (no unix time before, no command after) is no slow log
    expect(analyzeLatency({ logs: logs('1) (integer) 1\n2) (integer) 2\n3) (integer) 15386') })).toEqual([]);
  });

  it('a MongoDB slow query is an entry of its slow log', () => {
    const [finding] = analyzeLatency({ logs: logs('{"t":{"$date":"2024-12-07T10:00:00.123+00:00"},"s":"I","c":"COMMAND","id":51803,"ctx":"conn1","msg":"Slow query","attr":{"ns":"shop.orders","durationMillis":812}}') });
    expect(finding?.category).toBe('slow_dependency');
  });

  it('entries of an emitter\'s slow log are slow from 500 ms whatever the others took', () => {
    const lines = ['<SELECT a>, time 600 msec - slow timeout 500 msec', '<SELECT a>, time 610 msec - slow timeout 500 msec', '<SELECT a>, time 620 msec - slow timeout 500 msec'].join('\n');
    expect(slowCalls(callDurations(logs(lines))).map((s) => s.ms)).toEqual([620, 610, 600]);
  });

  it('a request of the service itself is a warning from 10 s; a Lambda REPORT is the function\'s own work, no call', () => {
    const [own] = analyzeLatency({ logs: logs('2024-12-07 10:00:21.456 WARN 1 --- [main] c.e.Controller : request /orders completed in 21003 ms') });
    expect(own?.severity).toBe('warning');
    expect(analyzeLatency({ logs: logs('REPORT RequestId: 6c0b\tDuration: 28123.45 ms\tBilled Duration: 28124 ms\tMemory Size: 1024 MB\tMax Memory Used: 312 MB') })).toEqual([]);
  });
});

describe('layouts that span lines or carry no unit', () => {
  it('an OpenTelemetry Collector debug-exporter span: end − start, a client span with db.system is a query quoting its name', () => {
    const span = ['Span #0', '    Trace ID       : 5b8aa5a2d2c872e8321cf37308d69df2', '    ID             : 5fb397be34d26b51', '    Name           : SELECT shop.orders', '    Kind           : Client',
      '    Start time     : 2026-12-08 12:00:00.123456789 +0000 UTC', '    End time       : 2026-12-08 12:00:07.935802013 +0000 UTC', 'Attributes:', '     -> db.system: Str(postgresql)'].join('\n');
    const [d] = callDurations(logs(span));
    expect(d?.kind).toBe('query');
    expect(d?.ms).toBeCloseTo(7812.345, 2);
    expect(d?.context?.[0]?.text).toBe('Name           : SELECT shop.orders');
  });

  it('urllib3: the gap between opening a connection to a host and its response line', () => {
    const lines: LogEvent[] = [
      { message: '2026-12-08 12:00:00,052 DEBUG urllib3.connectionpool Starting new HTTPS connection (1): pricing.internal:443', source: 'a.log', line: 1, timestamp: Date.parse('2026-12-08T12:00:00.052Z') },
      { message: '2026-12-08 12:00:07,866 DEBUG urllib3.connectionpool https://pricing.internal:443 "GET /v1/price/SKU-1 HTTP/1.1" 200 128', source: 'a.log', line: 2, timestamp: Date.parse('2026-12-08T12:00:07.866Z') },
    ];
    expect(callDurations(lines).map((d) => [d.kind, d.ms])).toEqual([['call', 7814]]);
  });

  it('X-Ray trace summaries: one response time per trace, the slow one against the other', () => {
    const [f] = analyzeLatency({ logs: logs('{"TraceSummaries":[{"Id":"1-a","Duration":0.041,"ResponseTime":0.041},{"Id":"1-b","Duration":8.277,"ResponseTime":8.277}]}') });
    expect(f?.severity).toBe('warning');
  });

  it('an access log time without a unit is slow only far above the same log\'s usual requests', () => {
    const clf = (path: string, t: number) => `10.0.3.7 - - [08/Dec/2026:12:00:00 +0000] "GET ${path} HTTP/1.1" 200 512 ${t}`;
    expect(analyzeLatency({ logs: logs([clf('/a/1', 14211), clf('/a/2', 12876), clf('/a?c=1', 7812442)].join('\n')) })[0]?.category).toBe('slow_dependency');
    expect(analyzeLatency({ logs: logs([clf('/h', 98), clf('/h', 88), clf('/h', 130)].join('\n')) })).toEqual([]);
    expect(analyzeLatency({ logs: logs(clf('/a', 7812442)) })).toEqual([]);
  });

  it('a gRPC call that used most of its deadline was slow, one well within it was not', () => {
    expect(analyzeLatency({ logs: logs('finished call (grpc.time_ms=4987.3, grpc.deadline_ms=5000)') })).toHaveLength(1);
    expect(analyzeLatency({ logs: logs('finished call (grpc.time_ms=1987.3, grpc.deadline_ms=5000)') })).toEqual([]);
  });
});

describe('latency.slow-words', () => {
  const verdict = (text: string) => SLOW_WORDS_SIGNATURE.evaluate({ kind: 'log', text });
  it('an emitter calling its own call slow, whatever threshold it prints', () => {
    expect(verdict('2024/12/07 10:00:00 /app/orders.go:42 SLOW SQL >= 200ms')).toHaveLength(1);
    expect(verdict('{"level":"warn","msg":"apply request took too long","took":"2.345678s","expected-duration":"100ms"}')).toHaveLength(1);
    expect(verdict('query is slow: SELECT * FROM orders')).toHaveLength(1);
    expect(verdict('slow query took 820ms')).toEqual([]);
    expect(verdict('WARNING: [pool www] child 4821, script \'/var/www/html/index.php\' (request: "GET /index.php") executing too slow (5.123 sec), logging')).toHaveLength(1);
  });
  it('a connected call that timed out waiting for its answer, in each client\'s words (not a connect timeout)', () => {
    for (const line of [
      'httpx.ReadTimeout: The read operation timed out',
      'Get "https://inventory.internal/v1/items": net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
      'java.net.SocketTimeoutException: timeout',
      'io.lettuce.core.RedisCommandTimeoutException: Command timed out after 1 minute(s)',
      'StackExchange.Redis.RedisTimeoutException: Timeout performing GET orders:42 (5000ms), next: GET orders:43, inst: 0, qu: 0, qs: 12',
      'Microsoft.Data.SqlClient.SqlException (0x80131904): Execution Timeout Expired.  The timeout period elapsed prior to completion of the operation or the server is not responding.',
      'MongoServerError: Executor error during find command :: caused by :: operation exceeded time limit',
      'redis.exceptions.TimeoutError: Timeout reading from socket',
    ]) expect([line, verdict(line)[0]?.category]).toEqual([line, 'slow_dependency']);
    expect(verdict('Get "https://inventory.internal/v1/items": dial tcp 10.0.0.5:443: i/o timeout (Client.Timeout exceeded while dialing)')).toEqual([]);
    expect(verdict('java.net.SocketTimeoutException: connect timed out')).toEqual([]);
  });
  it('a peer reached but too slow, with no duration of a call: an open gRPC stream past its deadline, latency alerts and alarms', () => {
    expect(verdict('io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: deadline exceeded after 4.999857683s. [closed=[], open=[[buffered_nanos=212345, remote_addr=inventory/10.96.45.9:8080]]]')).toHaveLength(1);
    expect(verdict('io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: deadline exceeded after 4.999857683s. [name resolution delay was 4999 ns]')).toEqual([]);
    expect(verdict('{"status":"firing","alerts":[{"labels":{"alertname":"DependencyLatencyHigh"}}]}')).toHaveLength(1);
    expect(verdict('{"AlarmName":"db","NewStateValue":"ALARM","Trigger":{"MetricName":"ReadLatency","Namespace":"AWS/RDS"}}')).toHaveLength(1);
    expect(verdict('{"AlarmName":"db","NewStateValue":"OK","Trigger":{"MetricName":"ReadLatency","Namespace":"AWS/RDS"}}')).toEqual([]);
  });
});

describe('threads waiting on a peer (thread dumps)', () => {
  const jvm = (name: string, frames: string[]) => [`"${name}" #45 daemon prio=5 os_prio=0 cpu=1234.56ms elapsed=3600.12s tid=0x00007f8b2c00a000 nid=0x5b runnable  [0x00007f8b0a1f9000]`, '   java.lang.Thread.State: RUNNABLE', ...frames.map((f) => `\tat ${f}`), ''];
  const reading = ['sun.nio.ch.Net.poll(java.base@17.0.9/Native Method)', 'sun.nio.ch.NioSocketImpl.park(java.base@17.0.9/NioSocketImpl.java:186)', 'java.net.Socket$SocketInputStream.read(java.base@17.0.9/Socket.java:966)', 'org.postgresql.core.PGStream.receiveChar(PGStream.java:453)'];

  it('request threads reading a database driver\'s socket: a warning quoting the driver frame', () => {
    const [f, ...rest] = analyzeLatency({ logs: logs([...jvm('http-nio-8080-exec-10', reading), ...jvm('http-nio-8080-exec-11', reading)].join('\n')) });
    expect(rest).toEqual([]);
    expect(f?.severity).toBe('warning');
    expect(f?.message).toMatch(/^2 threads are waiting .* org\.postgresql\.core/);
    expect(f?.evidence[0]?.text).toBe('at org.postgresql.core.PGStream.receiveChar(PGStream.java:453)');
  });

  it('an acceptor waiting for connections, or a thread in a client not reading a socket, is no wait on a peer; nor is a thread\'s age a duration', () => {
    const acceptor = jvm('http-nio-8080-Acceptor', ['sun.nio.ch.Net.accept(java.base@17.0.9/Native Method)', 'org.apache.http.impl.Foo.bar(Foo.java:1)']);
    const busy = jvm('worker-1', ['org.postgresql.core.Utils.escape(Utils.java:1)']);
    expect(analyzeLatency({ logs: logs([...acceptor, ...busy].join('\n')) })).toEqual([]);
  });

  it('a goroutine in IO wait inside a database driver; an idle keep-alive reader is none', () => {
    const goroutine = ['goroutine 1234 [IO wait, 12 minutes]:', 'internal/poll.(*FD).Read(0xc000123400, {0xc000456000, 0x1000, 0x1000})', 'net.(*conn).Read(0xc00012a008, {0xc000456000?, 0x0?, 0x0?})', 'github.com/lib/pq.(*conn).recvMessage(0xc000200000, 0xc000321000)', ''];
    expect(analyzeLatency({ logs: logs(goroutine.join('\n')) })[0]?.message).toMatch(/github\.com\/lib\/pq/);
    const idle = ['goroutine 77 [IO wait]:', 'net.(*conn).Read(0xc00012a008, {0xc000456000?, 0x0?, 0x0?})', 'net/http.(*persistConn).readLoop(0xc0001b2000)', 'github.com/lib/pq.(*conn).recvMessage(0xc000200000, 0xc000321000)'];
    expect(analyzeLatency({ logs: logs(idle.join('\n')) })).toEqual([]);
  });
});

describe('usual values beyond one statement', () => {
  it('a query far slower than the other statements of its log is slow from 250 ms; one merely slower is not', () => {
    const q = (t: string, sql: string) => `DEBUG 2024-12-07 10:00:00,123 django.db.backends (${t}) ${sql}; args=(); alias=default`;
    const lines = [q('0.002', 'SELECT "a"."id" FROM "a"'), q('0.003', 'SELECT "b"."id" FROM "b"'), q('0.001', 'SELECT "c"."id" FROM "c"'), q('0.002', 'SELECT "d"."id" FROM "d"'), q('0.520', 'SELECT COUNT(*) FROM "translation" WHERE "user_id" = 42')];
    expect(analyzeLatency({ logs: logs(lines.join('\n')) }).map((f) => f.evidence[0]!.text)).toEqual([lines[4]]);
    expect(analyzeLatency({ logs: logs([...lines.slice(0, 4), q('0.020', 'SELECT 1')].join('\n')) })).toEqual([]);
  });

  it('the baseline period\'s durations are usual values; a slow call there is a step lower', () => {
    const [f] = analyzeLatency({ logs: [], baselineLogs: logs('LOG:  duration: 12034.5 ms  statement: SELECT 1') });
    expect(f?.severity).toBe('warning');
  });
});

describe('X-Ray segment documents', () => {
  it('each downstream subsegment is a call; the segment itself is the service\'s own work', () => {
    const doc = '{"id":"6b55","name":"orders-api","start_time":1796731200.125,"end_time":1796731208.402,"subsegments":[{"id":"a1","name":"DynamoDB","namespace":"aws","start_time":1796731200.131,"end_time":1796731208.388},{"id":"b2","name":"pricing.internal","namespace":"remote","start_time":1796731208.389,"end_time":1796731208.398}]}';
    expect(callDurations(logs(doc)).map((d) => [d.kind, Math.round(d.ms)])).toEqual([['call', 8257], ['call', 9]]);
    const batch = JSON.stringify({ Traces: [{ Id: '1-a', Segments: [{ Id: 's', Document: doc }] }] });
    expect(callDurations(logs(batch)).map((d) => Math.round(d.ms))).toEqual([8257, 9]);
  });
});

describe('a window is not a call duration', () => {
  it.each([
    '"description": "Container Insights: checkout pods in namespace shop restart more than twice in 5 minutes",',
    'alert when 5 errors in 60 seconds',
    'pod restarted 3 times in 10 minutes',
    'will retry after 5 minutes',
  ])('%s → no duration', (line) => {
    expect(readDuration(line)).toBeUndefined();
  });
  it.each([
    ['GET /api answered in 5234ms', 5234],
    ['call to payments in 3200 ms', 3200],
    ['report job completed in 5 minutes', 300_000],
  ])('%s → %d ms', (line, ms) => {
    expect(readDuration(line)?.ms).toBe(ms);
  });
});
