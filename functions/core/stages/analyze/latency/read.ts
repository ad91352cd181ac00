/**
 * The duration a log line prints, read once for the whole product: the latency analyzer (diagnoses)
 * and the latency answer of `ask` both read through {@link readDuration}.
 *
 * Duration formats read (values in milliseconds after reading), each from its emitter:
 * - access logs by layout: ALB `target_processing_time` (6th field, seconds; -1 when the target did
 *   not answer), HAProxy's timers `Tq/Tw/Tc/Tr/Ta` (the server's `Tr`, ms), Envoy/Istio's default
 *   format (`%DURATION%` and `%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%`, ms), Kong's `latencies.proxy`;
 * - Lambda `REPORT RequestId: … Duration: 1234.56 ms` (not `Billed Duration`), Prisma `Duration: 12ms`;
 * - databases: PostgreSQL `duration: 9875.1 ms`; MySQL/MariaDB slow log `# Query_time: 12.3`
 *   (seconds); MongoDB 4.4+ `"durationMillis":1234`, older mongod `… 1234ms`; Django
 *   `(0.362) SELECT …` (seconds); Elasticsearch slow log `took[12.3s], took_millis[12300]`; Solr
 *   `QTime=12034`; Cassandra's slow-query monitor `time 5234 msec` and `avg/min/max 1/2/3 msec`
 *   (the max); Hibernate session metrics `9823456789 nanoseconds spent executing 1 JDBC
 *   statements`; GORM `[5234.123ms] [rows:1] SELECT …`; TypeORM `execution time: 5234`; Rails
 *   `Completed 200 OK in 12034ms (Views: 1.2ms | ActiveRecord: 11800.3ms)` (the ActiveRecord share
 *   when it is most of the request);
 * - clients and tracers: OkHttp/Feign `<-- 200 OK https://… (12345ms)`, EF Core `Executed DbCommand
 *   (5,234ms)`, .NET HttpClient `Received HTTP response headers after 12034.5ms`, kube-apiserver
 *   traces `(total time: 12034ms)`, AWS SDK for Java metrics (v2 `ApiCallDuration=PT12.034S`, v1
 *   `ClientExecutionTime=[12034.5]`), X-Ray segments (`start_time`/`end_time`, seconds), OTLP spans
 *   (`startTimeUnixNano`/`endTimeUnixNano`), Jaeger/Zipkin span JSON (`duration` in microseconds);
 * - words: `took 8.2s`, `took 1m5.2s` (Go durations), `query took 9.8 s`, `responded in 12000 ms`,
 *   `200 in 40ms`, `latency 1703ms`, `(5.2 seconds)`, `after 12034.5ms`, a trailing `1234ms`;
 * - fields, key=value or JSON (`"key":value` and `"key":"2.3s"`), snake or camel case:
 *   `duration=12000ms`, `duration_ms=176`, `elapsed=8.4s`, `latency_ms`, `durationMs`,
 *   `integrationLatency` / `responseLatency` (API Gateway access logs, ms), `response_time=1.2s`,
 *   `grpc.time_ms`, `"took":"2.345s"` (etcd, zap), nginx `request_time=0.532` /
 *   `upstream_response_time=` / `rt=` / `urt=` (seconds when no unit). Keys that name a limit or an
 *   expectation (`expected-duration`, `max_latency`, `timeout`, `threshold`) are not durations, nor
 *   is a threshold written `>= 200ms` / `over 1s`.
 * Every pattern is linear: bounded repetitions, literal alternations, no nested quantifiers.
 */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6, nanos: 1e-6, nanoseconds: 1e-6, us: 0.001, µs: 0.001, micros: 0.001, microseconds: 0.001,
  ms: 1, msec: 1, msecs: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
};
const UNITS = 'ns|nanos|nanoseconds|us|µs|micros|microseconds|ms|msecs?|millis|milliseconds?|s|secs?|seconds?|m|mins?|minutes?';
const SECONDS_KEYS = /^(?:request_time|upstream_response_time|upstream_connect_time|upstream_header_time|rt|urt|uct|uht|response_time_s|time_taken_s|target_processing_time|request_processing_time|response_processing_time)$/i;
/** Keys that name a limit, an expectation or a setting, not a measured duration. */
const NOT_MEASURED_KEY = /^(?:expected|max|min|limit|threshold|target_?(?:latency|duration)|slow|avg_?threshold|timeout|deadline|budget|sla|p\d\d|start|end|begin|finish|creat|updat|modif|expir|last|first|event|local|utc|unix|epoch|wall)|(?:timeout|threshold|limit|_?max|_?min)$/i;

/** What a reader found: the duration in ms, the text it was read from, and what the layout says of it. */
export interface ReadDuration {
  readonly ms: number;
  /** The part of the line the duration was read from, as written. */
  readonly written: string;
  /** The layout says what was timed: a database query, a downstream call, the service's own request. */
  readonly kind?: 'query' | 'call' | 'request';
  /** The emitter logged the line because it was slow (a slow log: MySQL, Elasticsearch, Cassandra, Hibernate), or the call used most of its deadline. */
  readonly flaggedSlow?: boolean;
  /** The layout prints no unit (`ms` is the number as written): the duration is compared with its usual value only, never with a floor. */
  readonly unitless?: boolean;
  /** The smallest duration that can be slow for this emitter when its usual value is far lower (ms; default the analyzer's 1 s). */
  readonly minSlowMs?: number;
}

const num = (s: string): number => Number(s.replace(/,/g, ''));

/** A Go or unit duration written as one token: `2.345678s`, `1m5.2s`, `345.6ms`, `12µs`; undefined otherwise. */
function goDuration(token: string): number | undefined {
  const m = /^(?:(\d{1,4})h)?(?:(\d{1,4})m(?!s))?(?:(\d{1,9}(?:\.\d{1,9})?)(ns|us|µs|ms|s))?$/.exec(token);
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  return Number(m[1] ?? 0) * 3_600_000 + Number(m[2] ?? 0) * 60_000 + (m[3] ? Number(m[3]) * UNIT_MS[m[4]!]! : 0);
}

/**
 * Necessary conditions of the layout readers below, so that a line no layout can read (most lines
 * of a large log) skips all ~40 of them: each reader's pattern (or its `includes` guard) cannot
 * match without one of these. Anchored layouts are told by their first character; the others by a
 * literal they contain, or a few number shapes. Keep them in step when a reader is added.
 */
const LAYOUT_START = /^(?:(?:https?|h2|grpcs|wss?)\s|\[|Time: |Run Time: real )/;
const LAYOUT_LITERAL = /integrationLatency|latencies|durationMillis|planSummary|protocol:op_|Execution Time|actual time|secs_running|took_millis|Query|active|in set|Empty set|affected|CPU time|timed_out|SlowQuery|samples|grpc\.deadline_ms|OriginDuration|time_starttransfer|ttfb|time_to_first_byte|msec|nanoseconds spent|execution time|ActiveRecord|=PT|Time=\[|end_time|endTimeUnixNano|sql|trace_?I[Dd]/;
const LAYOUT_SHAPE = /\d ms|\d\/[-\d]|[Dd][Uu][Rr][Aa][Tt][Ii][Oo][Nn]:|\] \[|\.\d{1,9} -?\d{1,6}\.\d|" [1-5]\d\d |\) (?:SELECT|INSERT|UPDATE|DELETE|WITH)\b/;
const LAYOUT_FIRST = new Set(['h', 'g', 'w', '[', 'T', 'R']);

/** Can any layout reader apply (a necessary condition, cheap: no reader applies when false)? */
function mayHaveLayout(text: string): boolean {
  return (LAYOUT_FIRST.has(text[0]!) && LAYOUT_START.test(text)) || LAYOUT_LITERAL.test(text) || LAYOUT_SHAPE.test(text);
}

/** Readers of whole layouts, tried first: their fields say exactly what was timed. */
function readLayout(text: string): ReadDuration | undefined {
  if (!mayHaveLayout(text)) return undefined;
  let m: RegExpExecArray | null;
  // ALB access log: type time elb client:port target:port request target response elb_status target_status …
  if ((m = /^(?:http|https|h2|grpcs|ws|wss)\s+\S+\s+\S+\s+\S+:\d+\s+\S+\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s+\d{3}\s/.exec(text))) {
    const target = Number(m[2]);
    return target >= 0 ? { ms: target * 1000, written: `target_processing_time ${m[2]} s`, kind: 'call' } : undefined;
  }
  // HAProxy HTTP log: … frontend backend/server Tq/Tw/Tc/Tr/Ta status … (Tr: the server's response time, ms; -1 when none)
  if (text.includes('/') && (m = /\s(-1|\d{1,9})\/(-1|\d{1,9})\/(-1|\d{1,9})\/(-1|\d{1,9})\/\+?(\d{1,9})\s+\d{3}\s/.exec(text))) {
    return m[4] !== '-1' ? { ms: Number(m[4]), written: m[0].trim(), kind: 'call' } : undefined;
  }
  // Envoy / Istio default access log: [start] "METHOD path proto" code flags [details termination "reason"] rx tx duration upstream-service-time "xff" …
  if ((m = /^\[[^\]]{10,40}\] "[A-Z]{3,10} \S{1,2000} [^"]{1,20}" \d{1,3} \S{1,40} (?:\S{1,200} \S{1,200} "[^"]{0,200}" )?\d{1,12} \d{1,12} (\d{1,9}) (\d{1,9}|-) "/.exec(text))) {
    return m[2] !== '-' ? { ms: Number(m[2]), written: `upstream service time ${m[2]} ms`, kind: 'call' } : { ms: Number(m[1]), written: `duration ${m[1]} ms`, kind: 'request' };
  }
  // API Gateway access log ($context.integrationLatency, ms): the integration's share of the request
  if (text.includes('integrationLatency') && (m = /"integrationLatency":\s?"?(\d{1,9})\b/.exec(text))) return { ms: Number(m[1]), written: m[0], kind: 'call' };
  // Kong: "latencies":{"kong":1,"proxy":12034,"request":12036} (proxy: the upstream's share)
  if (text.includes('latencies') && (m = /"latencies":\{[^}]{0,120}?"proxy":(\d{1,9})/.exec(text))) return { ms: Number(m[1]), written: `latencies.proxy ${m[1]}`, kind: 'call' };
  if ((m = /(?<!Billed |Init |Restore )\bDuration:\s*(\d+(?:\.\d+)?)\s*ms\b/i.exec(text))) return { ms: Number(m[1]), written: m[0] };
  if (text.includes('Query_time') && (m = /\bQuery_time:?\s*(\d+(?:\.\d+)?)/.exec(text))) return { ms: Number(m[1]) * 1000, written: m[0], kind: 'query', flaggedSlow: true };
  // MongoDB 4.4+ structured log, Django `django.db.backends` (seconds), GORM `[5234.123ms] [rows:1] SQL`
  // mongod logs an operation when it is slower than `slowms` (100 ms by default): 4.4+ `"msg":"Slow query"`, older `… protocol:op_msg 1234ms`
  if (text.includes('durationMillis') && (m = /"durationMillis":\s?(\d{1,9})/.exec(text))) return { ms: Number(m[1]), written: m[0], ...(/"msg":\s?"Slow query"/.test(text) ? { kind: 'query' as const, flaggedSlow: true } : {}) };
  if ((text.includes('planSummary') || text.includes('protocol:op_')) && (m = /\b(?:planSummary: \S.{0,2000}?|protocol:op_\w{1,12}) (\d{1,9})ms$/.exec(text))) return { ms: Number(m[1]), written: `${m[1]}ms`, kind: 'query', flaggedSlow: true };
  // PostgreSQL EXPLAIN ANALYZE: `Execution Time: 12034.567 ms`, a plan node's `(actual time=0.012..12034.567 rows=…`; psql's `\timing`: `Time: 12034.567 ms`
  if (text.includes('Execution Time') && (m = /\bExecution Time: (\d{1,12}(?:\.\d{1,6})?) ms\b/.exec(text))) return { ms: Number(m[1]), written: m[0], kind: 'query' };
  if (text.includes('actual time') && (m = /\(actual time=\d{1,12}(?:\.\d{1,6})?\.\.(\d{1,12}(?:\.\d{1,6})?) rows=/.exec(text))) return { ms: Number(m[1]), written: m[0].slice(1), kind: 'query' };
  if ((m = /^Time: (\d{1,12}(?:\.\d{1,6})?) ms\b/.exec(text))) return { ms: Number(m[1]), written: m[0], kind: 'query' };
  // MongoDB currentOp: "secs_running" : 125 / "microsecs_running" : NumberLong(125000000)
  if (text.includes('secs_running') && (m = /"(micro)?secs_running"\s?:\s?(?:NumberLong\()?"?(\d{1,15})/.exec(text))) return { ms: Number(m[2]) * (m[1] ? 0.001 : 1000), written: m[0], kind: 'query' };
  // Django `connection.queries`: {'sql': 'SELECT …', 'time': '0.362'} (seconds)
  if (/['"]sql['"]:\s?['"]/.test(text) && (m = /['"]time['"]:\s?['"](\d{1,6}\.\d{1,6})['"]/.exec(text))) return { ms: Number(m[1]) * 1000, written: m[0], kind: 'query' };
  if (text.includes(') ') && (m = /(?:^|\s)\((\d{1,6}\.\d{3,6})\) (?:SELECT|INSERT|UPDATE|DELETE|WITH)\b/.exec(text))) return { ms: Number(m[1]) * 1000, written: m[0].trim(), kind: 'query' };
  // MySQL SHOW [FULL] PROCESSLIST row: | Id | User | Host | db | Query | Time (s) | State | Info |
  if (text.includes('Query') && (m = /\|\s{0,20}Query\s{0,20}\|\s{0,20}(\d{1,9})\s{0,20}\|[^|]{0,80}\|\s{0,20}(?:SELECT|UPDATE|INSERT|DELETE|WITH|CALL|REPLACE)\b/i.exec(text))) return { ms: Number(m[1]) * 1000, written: `Query | ${m[1]} s`, kind: 'query' };
  // pg_stat_activity row: … | active | 00:05:12.123456 | SELECT … (now() - query_start)
  if (text.includes('active') && (m = /\|\s{0,20}active\s{0,20}\|\s{0,20}(?:(\d{1,4}) days? )?(\d{2}):(\d{2}):(\d{2}(?:\.\d{1,6})?)\s{0,20}\|\s{0,20}(?:SELECT|UPDATE|INSERT|DELETE|WITH|CALL)\b/i.exec(text))) {
    return { ms: ((Number(m[1] ?? 0) * 24 + Number(m[2])) * 3600 + Number(m[3]) * 60 + Number(m[4])) * 1000, written: `active ${m[2]}:${m[3]}:${m[4]}`, kind: 'query' };
  }
  if ((m = /^\[(\d{1,9}(?:\.\d{1,6})?)ms\] \[rows:/.exec(text))) return { ms: Number(m[1]), written: m[0], kind: 'query' };
  // Elasticsearch / OpenSearch slow logs: took[12.3s], took_millis[12300]; JSON layout "took_millis": "7812"
  if (text.includes('took_millis') && (m = /\btook_millis(?:\[|=|":\s?"?)(\d{1,12})\b/.exec(text))) return { ms: Number(m[1]), written: m[0], kind: 'query', flaggedSlow: true };
  // database clients' own timing of a statement: mysql `3 rows in set (12.34 sec)` / `Query OK, 1 row affected (5.67 sec)`,
  // clickhouse-client `… rows in set. Elapsed: 12.345 sec.`, sqlite3 `.timer on` `Run Time: real 12.345`, SQL Server
  // `SET STATISTICS TIME ON` `CPU time = 12 ms,  elapsed time = 12034 ms.`
  if ((text.includes(' set') || text.includes('affected')) && (m = /\b(?:rows? in set|Empty set|rows? affected)(?: \(\d{1,3} warnings?\))? \((\d{1,9}(?:\.\d{1,6})?) sec\)/.exec(text))) return { ms: Number(m[1]) * 1000, written: m[0], kind: 'query' };
  if (text.includes('Elapsed') && (m = /\brows? in set\. Elapsed: (\d{1,9}(?:\.\d{1,6})?) sec\b/.exec(text))) return { ms: Number(m[1]) * 1000, written: m[0], kind: 'query' };
  if ((m = /^Run Time: real (\d{1,9}(?:\.\d{1,6})?) user\b/.exec(text))) return { ms: Number(m[1]) * 1000, written: m[0], kind: 'query' };
  if (text.includes('CPU time') && (m = /\bCPU time = \d{1,12} ms,\s{1,4}elapsed time = (\d{1,12}) ms\b/.exec(text))) return { ms: Number(m[1]), written: m[0], kind: 'query' };
  // Elasticsearch search response: {"took":12034,"timed_out":false,…} (ms)
  if (text.includes('timed_out') && (m = /"took":\s?(\d{1,12}),\s?"timed_out":\s?false\b/.exec(text))) return { ms: Number(m[1]), written: `"took":${m[1]}`, kind: 'query' };
  // Hibernate's slow-query log (`hibernate.log_slow_query`): 6.x `Slow query took 7812 milliseconds [sql]` (read as words), older `SlowQuery: 7812 milliseconds. SQL:`
  if (text.includes('SlowQuery') && (m = /\bSlowQuery: (\d{1,12}) milliseconds\b/.exec(text))) return { ms: Number(m[1]), written: m[0], kind: 'query', flaggedSlow: true };
  // redis-cli --latency / --latency-history: `min: 0, max: 812, avg: 54.30 (1123 samples)` (round trips in ms; Redis answers in microseconds, so from 100 ms a spike is slow)
  if (text.includes('samples') && (m = /\bmin: \d{1,9}, max: (\d{1,9}), avg: \d{1,9}(?:\.\d{1,6})? \(\d{1,12} samples\)/.exec(text))) return { ms: Number(m[1]), written: m[0], kind: 'query', minSlowMs: 100 };
  // go-grpc-middleware: grpc.time_ms with the call's deadline budget (grpc.deadline_ms, from grpc.start_time and grpc.request.deadline): a call that used 80 % of its deadline was slow
  if (text.includes('grpc.deadline_ms') && (m = /\bgrpc\.time_ms=(\d{1,12}(?:\.\d{1,6})?)\b.{0,200}?\bgrpc\.deadline_ms=(\d{1,12})\b/.exec(text))) {
    const ms = Number(m[1]);
    return { ms, written: `grpc.time_ms=${m[1]}`, kind: 'call', ...(ms >= 0.8 * Number(m[2]) ? { flaggedSlow: true } : {}) };
  }
  // Traefik access log (JSON): OriginDuration, the backend's time, in nanoseconds
  if (text.includes('OriginDuration') && (m = /\bOriginDuration(?:=|":\s?)(\d{1,15})(?:ns)?\b/.exec(text))) return { ms: Number(m[1]) / 1e6, written: m[0], kind: 'call' };
  // Classic ELB access log: time elb client:port backend:port request_processing_time backend_processing_time response_processing_time elb_status backend_status …
  if ((m = /^\d{4}-\d\d-\d\dT[\d:.]{8,20}Z \S{1,100} \S{1,60}:\d{1,5} \S{1,60} (-?\d{1,6}\.\d{1,9}) (-?\d{1,6}\.\d{1,9}) (-?\d{1,6}\.\d{1,9}) (?:\d{3}|-) /.exec(text))) {
    return Number(m[2]) >= 0 ? { ms: Number(m[2]) * 1000, written: `backend_processing_time ${m[2]} s`, kind: 'call' } : undefined;
  }
  // ingress-nginx default log-format-upstream: … $request_length $request_time [$proxy_upstream_name] [$alternative] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id
  if (text.includes('] [') && (m = /" \d{1,9} (\d{1,6}\.\d{3}) \[[^\]]{0,200}\] \[[^\]]{0,200}\] \S{1,200}(?:, \S{1,200}){0,9} \S{1,20}(?:, \S{1,20}){0,9} ((?:\d{1,6}\.\d{3}|-)(?:, (?:\d{1,6}\.\d{3}|-)){0,9}) /.exec(text))) {
    const times = m[2]!.split(', ').filter((t) => t !== '-').map(Number);
    return times.length > 0 ? { ms: Math.max(...times) * 1000, written: `upstream_response_time ${m[2]}`, kind: 'call' } : { ms: Number(m[1]) * 1000, written: `request_time ${m[1]}`, kind: 'request' };
  }
  // morgan (Express): 'dev' `GET /p 200 12.518 ms - 5123`, 'tiny'/'short' `… 200 5123 - 12.518 ms`
  if (text.includes(' ms') && (m = /\b[A-Z]{3,7} \S{1,2000}(?: HTTP\/[\d.]{1,3})? [1-5]\d\d (?:(?:\d{1,12}|-) - )?(\d{1,9}(?:\.\d{1,3})?) ms\b/.exec(text))) return { ms: Number(m[1]), written: `${m[1]} ms`, kind: 'request' };
  // Common/combined log format with a trailing request time and no unit (Apache/Tomcat %D: microseconds or milliseconds by version, %T seconds): compared with its usual value only
  if (text.includes('" ') && (m = /" [1-5]\d\d (?:\d{1,12}|-)(?: "[^"]{0,2000}" "[^"]{0,2000}")? (\d{1,12})$/.exec(text))) return { ms: Number(m[1]), written: m[1]!, kind: 'request', unitless: true };
  // curl -w timing variables (seconds): time_starttransfer / time_total, and their usual labels ttfb= total=
  if ((text.includes('ttfb') || text.includes('time_')) && (m = /\b(?:time_starttransfer|ttfb|time_to_first_byte)[=:]\s?(\d{1,6}\.\d{1,9})s?\b/.exec(text))) return { ms: Number(m[1]) * 1000, written: m[0], kind: 'call' };
  // Cassandra slow-query monitor: `<SELECT …>, time 5234 msec - slow timeout 500 msec`, `was slow 2 times: avg/min/max 600/590/610 msec`
  if (text.includes('msec') && (m = /\bavg\/min\/max (\d{1,9})\/(\d{1,9})\/(\d{1,9}) msec\b/.exec(text))) return { ms: Number(m[3]), written: m[0], kind: 'query', flaggedSlow: true };
  if (text.includes('msec') && (m = /, time (\d{1,9}) msec\b/.exec(text))) return { ms: Number(m[1]), written: m[0].slice(2), kind: 'query', flaggedSlow: true };
  // Hibernate StatisticalLoggingSessionEventListener
  if (text.includes('nanoseconds') && (m = /\b(\d{1,15}) nanoseconds spent executing \d{1,9} JDBC statements?\b/.exec(text))) return { ms: Number(m[1]) / 1e6, written: m[0], kind: 'query' };
  // TypeORM's logQuerySlow: `query is slow: …` then `execution time: 5234` (ms)
  if (text.includes('execution time') && (m = /\bexecution time: (\d{1,9})\b(?!\s*(?:s|sec|seconds?)\b)/.exec(text))) return { ms: Number(m[1]), written: m[0], kind: 'query' };
  // Rails: Completed 200 OK in 12034ms (Views: 1.2ms | ActiveRecord: 11800.3ms …)
  if (text.includes('ActiveRecord') && (m = /\bCompleted \d{3} .{0,40}? in (\d{1,9}(?:\.\d{1,3})?)ms \(.{0,80}?\bActiveRecord: (\d{1,9}(?:\.\d{1,3})?)ms/.exec(text))) {
    const total = Number(m[1]);
    const db = Number(m[2]);
    return db >= total / 2 ? { ms: db, written: `ActiveRecord: ${m[2]}ms`, kind: 'query' } : { ms: total, written: `Completed in ${m[1]}ms`, kind: 'request' };
  }
  // AWS SDK for Java metrics: v2 ApiCallDuration=PT12.034S, ServiceCallDuration=PT1M2S; v1 ClientExecutionTime=[12034.5]
  if (text.includes('=PT') && (m = /\b(ApiCallDuration|ServiceCallDuration|TimeToFirstByte|TimeToLastByte)=PT(?:(\d{1,4})M)?(\d{1,9}(?:\.\d{1,9})?)S\b/.exec(text))) return { ms: Number(m[2] ?? 0) * 60_000 + Number(m[3]) * 1000, written: m[0], kind: 'call' };
  if (text.includes('Time=[') && (m = /\b(?:ClientExecutionTime|HttpRequestTime|HttpClientReceiveResponseTime)=\[(\d{1,9}(?:\.\d{1,9})?)\]/.exec(text))) return { ms: Number(m[1]), written: m[0], kind: 'call' };
  // X-Ray (sub)segment: "start_time": 1733565600.123, … "end_time": 1733565612.456 (seconds since epoch). Only a single
  // subsegment for a downstream (`"namespace":"remote"|"aws"`) or a query (`"sql":{`) is a call: a segment is the service's
  // own work, and a whole trace document nests many (its first times are the root's).
  if (text.includes('end_time') && text.indexOf('"start_time"') === text.lastIndexOf('"start_time"') && (m = /"start_time":\s?(\d{9,10}(?:\.\d{1,9})?),.{0,600}?"end_time":\s?(\d{9,10}(?:\.\d{1,9})?)/.exec(text))) {
    const ms = (Number(m[2]) - Number(m[1])) * 1000;
    const kind = /"namespace":\s?"(?:remote|aws)"/.test(text) ? 'call' as const : /"sql":\s?\{/.test(text) ? 'query' as const : undefined;
    return ms >= 0 && kind ? { ms, written: m[0].length > 120 ? `end_time − start_time ${(ms / 1000).toFixed(3)} s` : m[0], kind } : undefined;
  }
  // OTLP JSON span: "startTimeUnixNano":"…","endTimeUnixNano":"…"
  if (text.includes('endTimeUnixNano') && (m = /"startTimeUnixNano":\s?"?(\d{16,19})"?,.{0,600}?"endTimeUnixNano":\s?"?(\d{16,19})/.exec(text))) {
    const ms = Number(BigInt(m[2]!) - BigInt(m[1]!)) / 1e6;
    return ms >= 0 ? { ms, written: `endTimeUnixNano − startTimeUnixNano ${ms.toFixed(1)} ms`, ...(/"db\.system"|"key":\s?"db\.system"/.test(text) ? { kind: 'query' as const } : /"kind":\s?(?:3|"SPAN_KIND_CLIENT")/.test(text) ? { kind: 'call' as const } : {}) } : undefined;
  }
  // Jaeger / Zipkin span JSON: "duration" in microseconds
  if (/"trace_?I[Dd]"\s?:/.test(text) && /"operationName"|"localEndpoint"|"remoteEndpoint"/.test(text) && (m = /"duration":\s?(\d{1,12})\b/.exec(text))) {
    return { ms: Number(m[1]) / 1000, written: m[0], ...(/"remoteEndpoint"|"span\.kind","(?:type":"string","value":")?client"|"kind":"CLIENT"/.test(text) ? { kind: 'call' as const } : {}) };
  }
  return undefined;
}

/** `key=value` and JSON fields naming a measured duration. */
const KEYED = /(?<![\w.-])"?((?:[A-Za-z][\w.-]{0,40}?)?(?:[Dd]uration|DURATION|[Ee]lapsed|[Ll]atency|LATENCY|[Rr]esponse_?[Tt]ime|[Rr]equest_?[Tt]ime|[Tt]ime_?[Tt]aken|[Tt]ook|[Ee]xec(?:ution)?_?[Tt]ime|[Qq]uery_?[Tt]ime|QTime|[Ss]ervice_?[Tt]ime|[Pp]rocessing_?[Tt]ime|(?<![A-Za-z])time|(?<![A-Za-z])rt|(?<![A-Za-z])urt)(?:_?(?:ms|MS|Ms|millis|Millis|s|sec|seconds|us|Us|ns|Ns|nanos|Nanos))?)"?\s{0,3}[=:]\s{0,3}"?(\d{1,15}(?:\.\d{1,9})?)\s?(ns|us|µs|ms|s|sec|seconds?|m(?!s)|min)?(?:(\d{1,9}(?:\.\d{1,9})?)(ms|s))?\b/g;

/** A necessary condition of {@link KEYED}, far cheaper to scan: how a key's name ends (any case), its unit suffix, the separator and a digit. */
const KEYED_HINT = /(?:uration|lapsed|atency|time|taken|took|rt)(?:_?(?:ms|millis|s|sec|seconds|us|ns|nanos))?"?\s{0,3}[=:]\s{0,3}"?\d/i;

function readKeyed(text: string): ReadDuration | undefined {
  if (!KEYED_HINT.test(text)) return undefined;
  KEYED.lastIndex = 0;
  for (let m = KEYED.exec(text), n = 0; m && n < 8; m = KEYED.exec(text), n++) {
    const key = m[1]!;
    if (NOT_MEASURED_KEY.test(key.replace(/^.*[.-]/, '')) || NOT_MEASURED_KEY.test(key)) continue;
    // a bare `time` / `rt` key only with a unit or a millisecond suffix: `time=12:00:01` is a clock
    const bareTime = /^(?:time|rt|urt)$/i.test(key.replace(/^.*[.-]/, ''));
    const suffix = /(?:_?(ms|millis|s|sec|seconds|us|ns|nanos))$/i.exec(key)?.[1]?.toLowerCase();
    let unit = m[3]?.toLowerCase() ?? (suffix === 'ms' || suffix === 'millis' ? 'ms' : suffix === 'us' ? 'us' : suffix === 'ns' || suffix === 'nanos' ? 'ns' : suffix ? 's' : undefined);
    if (bareTime && !unit && !/^(?:rt|urt)$/i.test(key)) continue;
    // a clock, not a duration: a unit-less number the size of seconds or milliseconds since the epoch
    if (!unit && Number(m[2]) >= 1e9) continue;
    if (!unit) unit = SECONDS_KEYS.test(key) || /_s$/i.test(key) ? 's' : 'ms';
    // nginx writes one value per upstream attempt (`urt=0.004, 7.808`): the slowest counts
    const more = /^(?:, ?"?\d{1,12}(?:\.\d{1,9})?){1,9}/.exec(text.slice(m.index + m[0].length));
    const value = more ? Math.max(Number(m[2]), ...more[0].split(',').slice(1).map((v) => Number(v.replace(/[\s"]/g, '')))) : Number(m[2]);
    let ms = value * (UNIT_MS[unit] ?? 1);
    // Go durations: "took":"1m2.5s" (minutes then seconds)
    if (m[4] && (unit === 'm' || unit === 'min')) ms += Number(m[4]) * UNIT_MS[m[5]!]!;
    return { ms, written: m[0].replace(/^"/, '') };
  }
  return undefined;
}

/** A threshold written before a number (`>= 200ms`, `over 1s`, `slower than 500 ms`) is not a measured duration. */
const THRESHOLD_BEFORE = /(?:>=?|≥|\bover|\bexceed(?:s|ed|ing)?|\bthan|\bthreshold(?: of)?|\blimit(?: of)?|\bevery|\bup to|\bmax(?:imum)?)\s{0,3}$/i;

/** A necessary condition of the prose readers (`took …`, {@link PROSE}): a number's last digit, then a unit. */
const UNIT_AFTER_DIGIT = new RegExp(`\\d\\s?(?:${UNITS})\\b`, 'i');

const PROSE = new RegExp(`(\\(|\\b(?:latency(?: of)?|responded in|completed in|finished in|answered in|returned in|in|after|time:?|total time:?|took)\\s{1,3})(\\d{1,3}(?:,\\d{3})+(?:\\.\\d{1,9})?|\\d{1,12}(?:\\.\\d{1,9})?)\\s?(${UNITS})\\b`, 'gi');

/** A count or frequency just before `in <duration>`: the duration is the window it is counted over. */
const RATE_BEFORE = /(?:\b(?:once|twice|thrice|times|errors?|failures?|restarts?|requests?|events?|attempts?|retries)|\b\d+\s?x)\s{1,3}$/i;

/** Prose: `took 8.2s`, `in 5234ms`, `(5.2 seconds)`, `after 12034.5ms`, `latency of 2 s`, `time 5 s`. */
function readWords(text: string): ReadDuration | undefined {
  let m: RegExpExecArray | null;
  const unit = UNIT_AFTER_DIGIT.test(text);
  if (unit && (m = /\btook\s{1,3}(\d{1,4}h)?(\d{1,4}m(?!s))?(\d{1,12}(?:\.\d{1,9})?)\s?(ns|us|µs|ms|msecs?|millis|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)\b/i.exec(text))) {
    const go = m[1] || m[2] ? goDuration(`${m[1] ?? ''}${m[2] ?? ''}${m[3]}${m[4]!.toLowerCase()}`) : undefined;
    return { ms: go ?? Number(m[3]) * UNIT_MS[m[4]!.toLowerCase()]!, written: m[0] };
  }
  const keyed = readKeyed(text);
  if (keyed) return keyed;
  const prose = PROSE;
  prose.lastIndex = 0;
  for (let p = unit ? prose.exec(text) : null, n = 0; p && n < 8; p = prose.exec(text), n++) {
    if (THRESHOLD_BEFORE.test(text.slice(Math.max(0, p.index - 24), p.index))) continue;
    const unit = p[3]!.toLowerCase();
    if (unit === 'm' || unit === 'min' || unit === 'mins') continue; // `in 5 m` is rare and often a distance or a size
    // A window, not a call: `restarts more than twice in 5 minutes`, `5 errors in 60 seconds`, `retry after 5 minutes`
    // (a call that long is written `took 5 minutes`, `completed in 5 minutes`).
    const lead = p[1]!.trim().toLowerCase();
    if ((lead === 'in' || lead === 'after') && (unit.startsWith('minute') || RATE_BEFORE.test(text.slice(Math.max(0, p.index - 40), p.index)))) continue;
    return { ms: num(p[2]!) * UNIT_MS[unit]!, written: p[0].replace(/^\(/, '') };
  }
  if (text.endsWith('ms') && (m = /\s(\d{1,9}(?:\.\d{1,6})?) ?ms$/.exec(text)) && !THRESHOLD_BEFORE.test(text.slice(Math.max(0, m.index - 24), m.index))) return { ms: Number(m[1]), written: m[0].trim() };
  return undefined;
}

/**
 * The duration a line prints, in milliseconds; undefined when it prints none (formats: see the module comment).
 * @example readDuration('# Query_time: 12.345678  Lock_time: 0.000120'); // → { ms: 12345.678, written: 'Query_time: 12.345678', kind: 'query', flaggedSlow: true }
 */
export function readDuration(text: string): ReadDuration | undefined {
  if (text.length > 8000) text = text.slice(0, 8000);
  return readLayout(text) ?? readWords(text);
}
