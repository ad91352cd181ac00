/**
 * The duration a log line prints, read once for the whole product: the latency analyzer (diagnoses)
 * and the latency answer of `ask` both read through {@link readDuration}.
 *
 * Duration formats read (values in milliseconds after reading):
 * - words: `took 8.2s`, `query took 9.8 s`, `responded in 12000 ms`, `200 in 40ms`, `latency 1703ms`;
 * - fields: `duration=12000ms`, `duration_ms=176`, `elapsed_ms=`, `latency_ms=`, `response_time=1.2s`,
 *   nginx `request_time=0.532` / `upstream_response_time=` / `rt=` / `urt=` (seconds when no unit);
 * - PostgreSQL `duration: 9875.1 ms`; MySQL slow log `# Query_time: 12.3` (seconds);
 * - MongoDB 4.4+ `"durationMillis":1234`, older mongod `… 1234ms`; Django `(0.362) SELECT …` (seconds);
 * - Lambda `REPORT RequestId: … Duration: 1234.56 ms` (not `Billed Duration`);
 * - ALB access logs: `target_processing_time` (the 6th field, seconds; -1 when the target did not answer).
 */
const UNIT_MS: Record<string, number> = { ms: 1, msec: 1, millisecond: 1, milliseconds: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000, m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000, us: 0.001, µs: 0.001 };
const SECONDS_KEYS = /^(?:request_time|upstream_response_time|upstream_connect_time|upstream_header_time|rt|urt|uct|uht|response_time_s|time_taken_s)$/i;

/**
 * The duration a line prints, in milliseconds; undefined when it prints none (formats: see the module comment).
 * @example readDuration('# Query_time: 12.345678  Lock_time: 0.000120'); // → { ms: 12345.678, written: 'Query_time: 12.345678' }
 */
export function readDuration(text: string): { ms: number; written: string } | undefined {
  let m: RegExpExecArray | null;
  // ALB access log: type time elb client:port target:port request target response elb_status target_status …
  if ((m = /^(?:http|https|h2|grpcs|ws|wss)\s+\S+\s+\S+\s+\S+:\d+\s+\S+\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s+\d{3}\s/.exec(text))) {
    const target = Number(m[2]);
    return target >= 0 ? { ms: target * 1000, written: `target_processing_time ${m[2]} s` } : undefined;
  }
  if ((m = /(?<!Billed )\bDuration:\s*(\d+(?:\.\d+)?)\s*ms\b/i.exec(text))) return { ms: Number(m[1]), written: m[0] };
  if ((m = /\bQuery_time:?\s*(\d+(?:\.\d+)?)/.exec(text))) return { ms: Number(m[1]) * 1000, written: m[0] };
  // MongoDB 4.4+ structured log, Django `django.db.backends` (seconds), a trailing `1234ms` (older mongod)
  if ((m = /"durationMillis":\s?(\d{1,9})/.exec(text))) return { ms: Number(m[1]), written: m[0] };
  if ((m = /^\((\d{1,6}\.\d{1,6})\) (?:SELECT|INSERT|UPDATE|DELETE|WITH)\b/.exec(text))) return { ms: Number(m[1]) * 1000, written: m[0] };
  if ((m = /\btook\s+(\d+(?:\.\d+)?)\s*(ms|msec|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)\b/i.exec(text))) return { ms: Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!, written: m[0] };
  if ((m = /\b([a-z_]*(?:duration|elapsed|latency|response_time|request_time|time_taken|took|rt|urt)(_ms|_millis|ms|_s|_sec|_seconds)?)\s*[=:]\s*"?(\d+(?:\.\d+)?)\s*(ms|s|us|µs|sec|seconds?)?\b/i.exec(text))) {
    const key = m[1]!;
    const unit = m[4]?.toLowerCase() ?? (/_?ms$|_millis$/i.test(m[2] ?? '') ? 'ms' : /_s$|_sec$|_seconds$/i.test(m[2] ?? '') || SECONDS_KEYS.test(key) ? 's' : 'ms');
    return { ms: Number(m[3]) * (UNIT_MS[unit] ?? 1), written: m[0] };
  }
  if ((m = /\b(?:latency(?: of)?|responded in|completed in|finished in|answered in|returned in|in|after)\s+(\d+(?:\.\d+)?)\s*(ms|msec|milliseconds?|s|secs?|seconds?)\b/i.exec(text))) return { ms: Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!, written: m[0] };
  if ((m = /\s(\d{1,9})ms$/.exec(text))) return { ms: Number(m[1]), written: m[0].trim() };
  return undefined;
}

