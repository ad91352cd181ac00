/**
 * Latency analyzer: reads the durations logs print, as numbers, and finds the calls that are slow
 * against their usual values in the same evidence (the `slow_dependency` category of
 * `shared/spec/categories.md`).
 *
 * Durations are read by {@link readDuration} (`./read.ts`: PostgreSQL, MySQL, MongoDB, Django,
 * nginx, ALB, Lambda REPORT, key=value and JSON fields, prose), shared with `ask`'s latency answer.
 *
 * A duration is slow when it is at least 1 s (an emitter's own floor where its calls are far
 * faster: 100 ms for Redis round trips) and either five times the median of its own kind (the same
 * line template) when that kind was seen three times or more (a steady value is the usual, never
 * slow), twenty times the one other value of its kind, or above an absolute floor (1 s for a
 * database query, 5 s for any other call) when it was not. An entry of a slow log (MySQL,
 * Elasticsearch, Cassandra, Hibernate, mongod; a Redis SLOWLOG reply from 10 ms) is slow from
 * 500 ms whatever the others took: its emitter already judged it. A duration printed without a unit
 * (a trailing access-log number) is slow only at twenty times the usual value of its log.
 * Startup, GC pauses, backups, builds and other non-call durations are not calls and are skipped,
 * and so is the wait of a call that timed out or failed, or one logged at ERROR (an error of its
 * own: another category).
 *
 * Every pattern is linear (bounded numbers, literal alternations).
 */
import type { CollectedContext, EvidenceRef, LogEvent } from '../../../model/evidence.js';
import type { Finding } from '../../../model/analysis.js';
import type { Category } from '../../../model/categories.js';
import { readDuration } from './read.js';
import { waitingFindings } from './waiting.js';

export { readDuration } from './read.js';

/** One duration read from a line. */
export interface CallDuration {
  /** Milliseconds. */
  readonly ms: number;
  /** The line it was read from, exactly. */
  readonly ref: EvidenceRef;
  /** A database query (SQL, slow-query logs, MongoDB), or another downstream call. */
  readonly kind: 'query' | 'call' | 'request';
  /** The line with numbers masked: durations of one kind share it. */
  readonly key: string;
  /** How the duration was written, numbers masked (`(#) SELECT`, `duration: # ms`): durations of one layout in one source are comparable across statements. */
  readonly layout?: string;
  /**
   * Set for an entry of a slow log, which its emitter wrote because the call was slow: the floor
   * from which it counts as slow whatever the other entries took (ms).
   */
  readonly slowFloorMs?: number;
  /** The smallest duration that can be slow for its emitter (ms; default {@link SLOW_MIN_MS}). */
  readonly minSlowMs?: number;
  /** No unit was printed: slow only far above its usual value ({@link SLOW_FACTOR_ONE} times), never by a floor. */
  readonly unitless?: boolean;
  /** Lines that say what was timed when the duration's line does not (a slow log's statement, a Redis command). */
  readonly context?: readonly EvidenceRef[];
}

/** A slow call and what it was compared with. */
export interface SlowCall extends CallDuration {
  /** The usual duration of its kind in the same evidence (median, ms), when known. */
  readonly usualMs?: number;
}

const QUERY_WORDS = /\b(?:SELECT|INSERT|UPDATE|DELETE|query|queries|statement|executionTimeMillis|execute|Query_time|Slow query|sql|postgres|mysql|mongo|dynamodb|redis|elasticsearch|cassandra|ActiveRecord|JDBC|DbCommand)\b/i;
const CALL_WORDS = /\b(?:upstream|https?:\/\/|call(?:ing|ed)? to|request to|response from|rpc|grpc|GET|POST|PUT|PATCH|client|dependency|downstream|api|service|endpoint|fetch|invoke|lambda|s3|sqs|sns|kinesis|http)\b/i;
/** Durations that are not a call's: startup, GC, maintenance, build and image work. */
const NOT_A_CALL = /\b(?:start(?:ed|ing|up)?|boot(?:ed|ing)?|initiali[sz]|Init Duration|Billed Duration|GC|garbage|pause|backup|snapshot|compil|build|bundl|install|download|upload|pull(?:ed|ing)?|migrat|checkpoint|vacuum|warm(?:ing)?[- ]?up|sleep(?:ing)?|retry(?:ing)? in|backoff|timeout (?:is|of|set)|interval|cron|schedul|uptime|TTL|expires?|ago|cached since|generated in|rebalanc|elect(?:ion|ed)|lease|resync|heartbeat|changes in|Saving|saved on disk|packages?|audited)\b/i;
/**
 * A call that timed out or failed: its duration is how long it waited before the error, which
 * belongs to the error's own category (a timeout, an unreachable peer, a pool exhausted), not to
 * slowness (`shared/spec/categories.md`: `slow_dependency` is slow "with no error of its own").
 */
const FAILED_CALL = /\btime[ds]?[ -]?out\b|\btimeout\b|\bdeadline exceeded\b|\bDeadlineExceeded\b|\bcancel(?:l?ed|ing)\b|\brefused\b|\breset by peer\b|\bno route to host\b|\bunreachable\b|\bfailed\b|\bException\b/i;

/** A line its logger wrote at ERROR or FATAL level reports an error of its own (a level word near the start, `level=error`, `"level":"error"`). */
const ERROR_LEVEL = /^.{0,80}?(?:[\s[|](?:ERROR|FATAL|CRITICAL|error|fatal)[\]:\s]|\blevel=(?:error|fatal|critical)\b|"(?:level|severity)":\s?"(?:error|fatal|critical|ERROR|FATAL|CRITICAL)")/;
/** What every {@link TIMEOUT_SETTING} contains: a line without it has no setting to blank out. */
const TIMEOUT_WORD = /time-?out/i;
const TIMEOUT_SETTING = /\b(?:slow )?time-?out[\w.-]{0,30}"?\s{0,3}[=:]?\s{0,3}"?\d{1,9}(?:\.\d{1,9})?\s?(?:ms|msecs?|s|secs?|seconds?)?\b/gi;

/** The durations of one line (at most one: the first reader that applies). */
export function durationOf(text: string): { ms: number; kind: CallDuration['kind']; layout?: string; flaggedSlow?: boolean; minSlowMs?: number; unitless?: boolean } | undefined {
  if (text.length > 4000 || !/\d/.test(text)) return undefined;
  const read = readDuration(text);
  if (!read || !Number.isFinite(read.ms)) return undefined;
  const query = read.kind === 'query' || /^duration: |^\(\d/.test(read.written) || /\bLOG:\s+duration:/.test(text);
  if (!query && NOT_A_CALL.test(text)) return undefined;
  // a JVM thread dump's header (`cpu=1234.56ms elapsed=3600.12s tid=0x… nid=0x…`): the thread's age, no call
  if (/\bnid=0x[0-9a-f]/.test(text)) return undefined;
  // a timeout written as a setting (`timeout=30s`, Cassandra's `slow timeout 500 msec`) is no timeout event
  if (FAILED_CALL.test(TIMEOUT_WORD.test(text) ? text.replace(TIMEOUT_SETTING, ' ') : text) || ERROR_LEVEL.test(text)) return undefined;
  const kind: CallDuration['kind'] = query ? 'query' : read.kind ?? (QUERY_WORDS.test(text) ? 'query' : /^REPORT RequestId/.test(text) ? 'request' : CALL_WORDS.test(text) ? 'call' : 'request');
  return { ms: read.ms, kind, layout: `${kind} ${read.written.replace(/\d+(?:[.,]\d+)*/g, '#').slice(0, 60)}`, ...(read.flaggedSlow ? { flaggedSlow: true } : {}), ...(read.minSlowMs !== undefined ? { minSlowMs: read.minSlowMs } : {}), ...(read.unitless ? { unitless: true } : {}) };
}

function maskKey(text: string): string {
  return text.replace(/\d+(?:\.\d+)?/g, '#').replace(/\s+/g, ' ').slice(0, 200);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Lowest duration that can be slow, ms. */
export const SLOW_MIN_MS = 1000;
/** A duration this many times its kind's median is slow. */
export const SLOW_FACTOR = 5;
/** With a single other value of its kind to compare with, a duration this many times it is slow. */
export const SLOW_FACTOR_ONE = 20;
/** Lowest duration of a query slow against the other statements of its log (twenty times their median). */
export const SLOW_LAYOUT_QUERY_MS = 250;
/** Absolute floors when a kind has too few values to compare: query, other call. */
export const SLOW_QUERY_MS = 1000;
export const SLOW_CALL_MS = 5000;
/** A request of the service itself (no query or downstream named) this slow is a warning, not information. */
export const SLOW_REQUEST_MS = 10_000;
/** Floor of an entry of a slow log (the emitter already judged it slow against its own threshold). */
export const SLOW_FLAGGED_MS = 500;

/** Floor of a Redis SLOWLOG entry: the server's default `slowlog-log-slower-than` is 10 ms (commands usually take microseconds). */
export const SLOW_REDIS_MS = 10;

/** `redis-cli SLOWLOG GET` reply: `2) (integer) <unix time>`, `3) (integer) <microseconds>`, `4) 1) "<command>"`. */
const REDIS_SLOWLOG_TIME = /^\s{0,12}(?:\d{1,6}\)\s{1,6})?2\) \(integer\) \d{9,10}\s*$/;
const REDIS_SLOWLOG_MICROS = /^\s{0,12}3\) \(integer\) (\d{1,12})\s*$/;
const REDIS_SLOWLOG_COMMAND = /^\s{0,12}4\) 1\) "([A-Za-z.|_-]{1,40})"\s*$/;
/** A slow-log header whose statement follows on its own lines (MySQL/MariaDB `# Query_time`): skipped lines before the statement. */
const SLOW_LOG_PREAMBLE = /^\s*(?:#|SET timestamp=|use \w|$)/i;

/**
 * The physical lines of the logs, in order (a multi-line structure may span log events). A line's
 * reference is made when first asked for (most lines carry no duration) and then kept, so it is one
 * object per line.
 */
class Rows {
  readonly raw: string[] = [];
  private readonly log: LogEvent[] = [];
  private readonly part: number[] = [];
  private readonly refs: Array<EvidenceRef | undefined> = [];

  get length(): number { return this.raw.length; }

  push(raw: string, log: LogEvent, part: number): void {
    this.raw.push(raw);
    this.log.push(log);
    this.part.push(part);
    this.refs.push(undefined);
  }

  /** The line's reference: its text trimmed, its source and line number. */
  ref(i: number): EvidenceRef {
    let ref = this.refs[i];
    if (ref === undefined) {
      const log = this.log[i]!;
      const text = this.raw[i]!.trim();
      this.refs[i] = ref = log.line === undefined ? { text, source: log.source } : { text, source: log.source, line: log.line + this.part[i]! };
    }
    return ref;
  }

  /** The timestamp of a one-line event (ms). */
  at(i: number): number | undefined {
    const log = this.log[i]!;
    return log.timestamp !== undefined && this.part[i] === 0 && !log.message.includes('\n') ? log.timestamp : undefined;
  }

  /** The line `k` lines from line `i` when it is of the same source. */
  next(i: number, k: number): string | undefined {
    const j = i + k;
    return j >= 0 && j < this.raw.length && this.log[j]!.source === this.log[i]!.source ? this.raw[j] : undefined;
  }
}

const URLLIB3_START = /\bStarting new HTTPS? connection \(\d{1,6}\): ([\w.-]{1,253}(?::\d{1,5})?)\s*$/;
const URLLIB3_RESPONSE = /\bhttps?:\/\/([\w.-]{1,253}(?::\d{1,5})?) "[A-Z]{3,7} \S{1,2000} HTTP\/[\d.]{1,3}" \d{3}\b/;

/** OpenTelemetry Collector debug/logging exporter: `Start time : 2026-12-08 12:00:00.123456789 +0000 UTC`. */
const SPAN_TIME = /^\s{0,12}(Start|End) time\s{0,20}: (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,9}))? ([+-]\d\d)(\d\d)\b/;

function spanTime(m: RegExpExecArray): number {
  return Date.parse(`${m[2]}T${m[3]}${m[5]}:${m[6]}`) + Number(`0.${m[4] ?? '0'}`) * 1000;
}

/**
 * A span printed by the OpenTelemetry Collector's debug (or older logging) exporter, read at its
 * `End time` line: end − start, a client span a call (a query when it carries `db.system`), others a
 * request. Quotes the end line and the span's `Name`.
 */
function spanDuration(rows: Rows, i: number): CallDuration | undefined {
  const next = (i: number, k: number): string | undefined => rows.next(i, k);
  const end = SPAN_TIME.exec(rows.raw[i]!);
  if (!end || end[1] !== 'End') return undefined;
  let start: RegExpExecArray | null = null;
  let kind: CallDuration['kind'] = 'request';
  let name: EvidenceRef | undefined;
  for (let k = 1; k <= 8; k++) {
    const row = next(i, -k);
    if (row === undefined) break;
    start ??= SPAN_TIME.exec(row);
    if (/^\s{0,12}Kind\s{0,20}: (?:Client|SPAN_KIND_CLIENT|Producer|SPAN_KIND_PRODUCER)\s*$/.test(row)) kind = 'call';
    if (/^\s{0,12}Name\s{0,20}: \S/.test(row)) { name = rows.ref(i - k); break; }
  }
  if (!start || start[1] !== 'Start') return undefined;
  for (let k = 1; k <= 20 && kind === 'call'; k++) {
    const row = next(i, k);
    if (row === undefined || /^\s{0,12}Span #\d/.test(row)) break;
    if (/-> db\.system: /.test(row)) kind = 'query';
  }
  const ms = spanTime(end) - spanTime(start);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return { ms, kind, key: `otel span ${name?.text.replace(/\d+/g, '#') ?? ''}`, ref: rows.ref(i), ...(name ? { context: [name] } : {}) };
}

/**
 * The downstream subsegments of X-Ray segment documents on one line (a segment, or a
 * `BatchGetTraces` response whose `Document`s are JSON strings): `namespace` `aws` or `remote` is a
 * call, an `sql` block a query; the segments themselves are the service's own work. Undefined when
 * the line is no JSON.
 */
function xraySubsegments(raw: string): Array<{ ms: number; kind: CallDuration['kind']; name: string }> | undefined {
  if (raw.length > 200_000) return undefined;
  let root: unknown;
  try { root = JSON.parse(raw.trim()); } catch { return undefined; }
  const out: Array<{ ms: number; kind: CallDuration['kind']; name: string }> = [];
  let visited = 0;
  const walk = (v: unknown, depth: number): void => {
    if (depth > 12 || ++visited > 5000 || out.length >= 200 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) { for (const x of v) walk(x, depth + 1); return; }
    const o = v as Record<string, unknown>;
    if (typeof o['Document'] === 'string') { try { walk(JSON.parse(o['Document']), depth + 1); } catch { /* not a document */ } }
    const start = o['start_time'];
    const end = o['end_time'];
    const kind = o['namespace'] === 'aws' || o['namespace'] === 'remote' ? 'call' : o['sql'] && typeof o['sql'] === 'object' ? 'query' : undefined;
    if (kind && typeof start === 'number' && typeof end === 'number' && end >= start) out.push({ ms: (end - start) * 1000, kind, name: String(o['name'] ?? '') });
    for (const [k, x] of Object.entries(o)) if (k === 'subsegments' || k === 'Segments' || k === 'Traces' || Array.isArray(x)) walk(x, depth + 1);
  };
  walk(root, 0);
  return out;
}

/** Reads every duration of the logs (each physical line), at most `limit` (default 200 000 lines). */
export function callDurations(logs: readonly LogEvent[], limit = 200_000): CallDuration[] {
  // physical lines in order, each with its reference (a multi-line structure may span log events)
  const rows = new Rows();
  for (const log of logs) {
    if (rows.length >= limit) break;
    if (!log.message.includes('\n')) { rows.push(log.message, log, 0); continue; }
    const parts = log.message.split('\n');
    for (let i = 0; i < parts.length && rows.length < limit; i++) rows.push(parts[i]!, log, i);
  }
  const next = (i: number, k: number): string | undefined => rows.next(i, k);
  /** Equal keys as one string, so that grouping them (slowCalls) compares by identity. */
  const keys = new Map<string, string>();
  const intern = (key: string): string => {
    const known = keys.get(key);
    if (known !== undefined) return known;
    keys.set(key, key);
    return key;
  };
  const out: CallDuration[] = [];
  const opened = new Map<string, { at: number; ref: EvidenceRef }>();
  for (let i = 0; i < rows.length; i++) {
    const raw = rows.raw[i]!;
    const span = raw.includes('End time') ? spanDuration(rows, i) : undefined;
    if (span) {
      out.push(span);
      continue;
    }
    // urllib3 (DEBUG): `Starting new HTTPS connection (1): host:443` … `https://host:443 "GET /p HTTP/1.1" 200 128`: the gap is the call
    let u: RegExpExecArray | null;
    let at: number | undefined;
    if (raw.includes('Starting new') && (u = URLLIB3_START.exec(raw)) && (at = rows.at(i)) !== undefined) { const ref = rows.ref(i); opened.set(`${ref.source} ${u[1]}`, { at, ref }); continue; }
    if (opened.size > 0 && (u = URLLIB3_RESPONSE.exec(raw)) && (at = rows.at(i)) !== undefined) {
      const ref = rows.ref(i);
      const start = opened.get(`${ref.source} ${u[1]}`);
      if (start) {
        opened.delete(`${ref.source} ${u[1]}`);
        out.push({ ms: at - start.at, kind: 'call', key: `urllib3 ${u[1]}`, ref, context: [start.ref] });
        continue;
      }
    }
    // X-Ray segment documents (PutTraceSegments / BatchGetTraces `Document`): each downstream subsegment is a call
    if (raw.includes('start_time') && (raw.includes('subsegments') || raw.includes('"Document"'))) {
      const calls = xraySubsegments(raw);
      if (calls) {
        for (const c of calls) out.push({ ms: c.ms, kind: c.kind, key: `x-ray ${c.kind} ${c.name}`, ref: rows.ref(i) });
        continue;
      }
    }
    // X-Ray GetTraceSummaries: one response time (seconds) per trace
    if (raw.includes('"TraceSummaries"')) {
      const ref = rows.ref(i);
      for (const t of raw.slice(0, 100_000).matchAll(/"ResponseTime":\s?(\d{1,6}(?:\.\d{1,9})?)/g)) out.push({ ms: Number(t[1]) * 1000, kind: 'request', key: 'x-ray trace response time', ref });
      continue;
    }
    const integer = raw.includes('(integer)');
    const redis = integer && i > 0 && REDIS_SLOWLOG_TIME.test(next(i, -1) ?? '') ? REDIS_SLOWLOG_MICROS.exec(raw) : null;
    const command = redis ? REDIS_SLOWLOG_COMMAND.exec(next(i, 1) ?? '') : null;
    if (redis && command) {
      // the command and its first argument say what was slow: they are the lines to quote
      const context = [rows.ref(i + 1), ...(/^\s{0,12}2\) "/.test(next(i, 2) ?? '') ? [rows.ref(i + 2)] : [])];
      out.push({ ms: Number(redis[1]) / 1000, kind: 'query', key: `redis slowlog ${command[1]!.toLowerCase()}`, ref: rows.ref(i), context, slowFloorMs: SLOW_REDIS_MS });
      continue;
    }
    const d = durationOf(raw);
    if (!d) continue;
    const { flaggedSlow, ...rest } = d;
    const ref = rows.ref(i);
    let context: EvidenceRef[] | undefined;
    if (/^#\s*Query_time/.test(ref.text)) {
      // MySQL/MariaDB slow log: the statement follows the header lines
      for (let k = 1; k <= 5; k++) {
        const row = next(i, k);
        if (row === undefined) break;
        if (!SLOW_LOG_PREAMBLE.test(row)) { context = [rows.ref(i + k)]; break; }
      }
    }
    out.push({ ...rest, key: intern(maskKey(ref.text)), ref, ...(context ? { context } : {}), ...(flaggedSlow ? { slowFloorMs: SLOW_FLAGGED_MS } : {}) });
  }
  return out;
}

/** The slow calls among `durations`, slowest first (see the module comment for the rule). */
export function slowCalls(durations: readonly CallDuration[]): SlowCall[] {
  const byKey = new Map<string, number[]>();
  for (const d of durations) {
    const values = byKey.get(d.key);
    if (values) values.push(d.ms);
    else byKey.set(d.key, [d.ms]);
  }
  const usual = new Map<string, number>();
  for (const [key, values] of byKey) if (values.length >= 3) usual.set(key, median(values));
  const unitless = new Map<string, number[]>();
  for (const d of durations) {
    if (!d.unitless) continue;
    const values = unitless.get(d.ref.source);
    if (values) values.push(d.ms);
    else unitless.set(d.ref.source, [d.ms]);
  }
  const unitlessUsual = new Map<string, number>();
  const slow: SlowCall[] = [];
  for (const d of durations) {
    if (d.slowFloorMs !== undefined && d.ms >= d.slowFloorMs) {
      // a slow log lists only what its emitter found slow: its entries are never each other's baseline
      slow.push({ ...d });
      continue;
    }
    const values = byKey.get(d.key)!;
    const typical = usual.get(d.key);
    if (d.unitless) {
      // no unit: only far above the usual value of the same log's requests, whatever the number
      const same = unitless.get(d.ref.source) ?? [];
      let base = unitlessUsual.get(d.ref.source);
      if (base === undefined && same.length >= 2) unitlessUsual.set(d.ref.source, (base = same.length >= 3 ? median(same) : Math.min(...same)));
      if (base !== undefined && base > 0 && d.ms >= base * SLOW_FACTOR_ONE) slow.push({ ...d, usualMs: base });
      continue;
    }
    if (d.ms < (d.minSlowMs ?? SLOW_MIN_MS)) continue;
    // Against its usual value when its kind was seen often enough: a steady 10 s is the usual, not a
    // deviation; against a single other value of its kind only when far above it; otherwise
    // against the absolute floor of its kind.
    const other = values.length === 2 ? (values[0] === d.ms ? values[1]! : values[0]!) : undefined;
    if (typical !== undefined) {
      if (d.ms >= typical * SLOW_FACTOR) slow.push({ ...d, usualMs: typical });
    } else if (other !== undefined && other > 0 && d.ms >= other * SLOW_FACTOR_ONE) {
      slow.push({ ...d, usualMs: other });
    } else if (d.ms >= Math.max(d.minSlowMs ?? 0, d.kind === 'query' ? SLOW_QUERY_MS : SLOW_CALL_MS)) {
      slow.push({ ...d });
    }
  }
  // Queries of different statements logged alike (Django's `(0.001) SELECT …`, PostgreSQL's
  // `duration: … ms  statement: …`): one far slower than the others of its log is slow from
  // SLOW_LAYOUT_QUERY_MS, though no other ran the same statement.
  const byLayout = new Map<string, number[]>();
  for (const d of durations) {
    if (d.kind !== 'query' || !d.layout || d.slowFloorMs) continue;
    const k = `${d.ref.source}\u0000${d.layout}`;
    const values = byLayout.get(k);
    if (values) values.push(d.ms);
    else byLayout.set(k, [d.ms]);
  }
  const already = new Set(slow.map((d) => d.ref));
  const layoutMedian = new Map<string, number>();
  for (const d of durations) {
    if (d.kind !== 'query' || !d.layout || d.slowFloorMs || already.has(d.ref) || d.ms < SLOW_LAYOUT_QUERY_MS || (byKey.get(d.key)?.length ?? 0) >= 3) continue;
    const k = `${d.ref.source}\u0000${d.layout}`;
    const values = byLayout.get(k) ?? [];
    if (values.length < 4) continue;
    let usualMs = layoutMedian.get(k);
    if (usualMs === undefined) layoutMedian.set(k, (usualMs = median(values)));
    if (usualMs > 0 && d.ms >= usualMs * SLOW_FACTOR_ONE) slow.push({ ...d, usualMs });
  }
  return slow.sort((a, b) => b.ms - a.ms);
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

/**
 * Findings for slow downstream calls: one per kind of call (the slowest line of it), severity
 * `critical` from 10 s or twenty times the usual value, else `warning`; a duration of the service's
 * own requests (no query or downstream words) is `info` unless it took 10 s or twenty times its
 * usual value (`warning`). Durations of the baseline period (`baselineLogs`) are usual values too,
 * and a slow call there is one severity lower. Threads of a dump waiting on a peer
 * (`waiting.ts`) are findings too. (Lines that say `slow query` without a number, and read
 * timeouts of a connected call, are read by the signature `latency.slow-words`.)
 */
export function analyzeLatency(context: Pick<CollectedContext, 'logs'> & Partial<Pick<CollectedContext, 'baselineLogs'>>): Finding[] {
  // the baseline period's durations are usual values too, and its slow calls count a step lower (before the incident)
  const baseline = callDurations(context.baselineLogs ?? []);
  const before = new Set(baseline.map((d) => d.ref));
  const durations = [...baseline, ...callDurations(context.logs)];
  const slow = slowCalls(durations);
  const lower = (s: Finding['severity']): Finding['severity'] => (s === 'critical' ? 'warning' : 'info');
  const findings: Finding[] = [];
  const seenKeys = new Set<string>();
  for (const call of slow) {
    if (seenKeys.has(call.key) || findings.length >= 5) continue;
    seenKeys.add(call.key);
    const ratio = call.usualMs ? call.ms / call.usualMs : undefined;
    if (call.unitless) {
      findings.push({
        analyzer: 'LatencyAnalyzer', kind: 'Call', name: '?', severity: before.has(call.ref) ? 'info' : 'warning', category: 'slow_dependency',
        message: `a request took ${Math.round(ratio ?? 0)} times its usual time in this evidence (${call.ms} against ${call.usualMs}, no unit printed)`,
        evidence: [call.ref, ...(call.context ?? [])],
      });
      continue;
    }
    const own: Finding['severity'] = call.kind === 'request'
      // the service's own request: slow enough to matter from 10 s, or far above its usual value
      ? (call.ms >= SLOW_REQUEST_MS || (ratio ?? 0) >= SLOW_FACTOR_ONE ? 'warning' : 'info')
      : call.ms >= 10_000 || (ratio ?? 0) >= 20 ? 'critical' : 'warning';
    const severity = before.has(call.ref) ? lower(own) : own;
    const what = call.kind === 'query' ? 'a database query' : call.kind === 'call' ? 'a downstream call' : 'a request';
    findings.push({
      analyzer: 'LatencyAnalyzer', kind: 'Call', name: '?', severity, category: 'slow_dependency',
      message: `${what} took ${fmt(call.ms)}${call.usualMs ? ` (usually ${fmt(call.usualMs)} in this evidence)` : ''}`,
      evidence: [call.ref, ...(call.context ?? [])],
    });
  }
  // threads of a dump waiting on a peer's answer (no duration printed)
  for (const f of waitingFindings(context.logs)) if (findings.length < 6) findings.push(f);
  return findings;
}

/**
 * Lines that name a slow call outright: MongoDB 4.4+ `"msg":"Slow query"`, Redis SLOWLOG, GORM
 * `SLOW SQL >= 200ms`, TypeORM `query is slow:`, Elasticsearch `slowlog`, Cassandra `operations
 * were slow`, etcd/apiserver `request took too long`, ORMs' and APMs' `slow query` lines.
 */
const SLOW_WORDS = /"msg":"Slow query"|\bslow (?:query|queries|sql|statement|call|upstream|requests?|response|operations?|commands?)\b(?![ _-]?(?:log|threshold|time)\b)|\bquery is slow\b|\bexecuting too slow\b|\bSLOWLOG\b|\bslowlog\b|\boperations? (?:were|was) slow\b|\brequest took too long\b|\blong[- ]running (?:query|queries)\b/i;

/**
 * A peer that was reached but answered too slowly, in words no duration carries: grpc-java's
 * `DEADLINE_EXCEEDED: deadline exceeded after 4.99s. [closed=[], open=[[… remote_addr=…]]]` (the
 * stream was open: the peer was connected and did not answer in time), a firing Prometheus
 * alert whose name is about latency (Alertmanager webhook payload), and a CloudWatch alarm
 * notification in ALARM on a dependency's latency metric (RDS/Aurora `ReadLatency`, `WriteLatency`,
 * `CommitLatency`, `SelectLatency`, `DMLLatency`; DynamoDB `SuccessfulRequestLatency`; API Gateway
 * `IntegrationLatency`; OpenSearch `SearchLatency`, `IndexingLatency`).
 */
/**
 * A call that was connected and timed out waiting for its answer: the peer was slow, not
 * unreachable (`shared/spec/categories.md`: a read timeout is `slow_dependency`; a connect timeout
 * is `dependency_unreachable`). By emitter:
 * - Python: httpx/httpcore `ReadTimeout`, ssl `The read operation timed out`, redis-py `Timeout
 *   reading from socket`, aiohttp `Timeout on reading data from socket`;
 * - Go net/http: `Client.Timeout exceeded while awaiting headers` / `while reading body`,
 *   `timeout awaiting response headers` (not `while dialing`);
 * - Java: OkHttp's read timeout `SocketTimeoutException: timeout`, Lettuce
 *   `RedisCommandTimeoutException: Command timed out`;
 * - .NET: StackExchange.Redis `RedisTimeoutException: Timeout performing <command>`, SqlClient
 *   `Execution Timeout Expired` (a query that ran past its command timeout);
 * - databases: MongoDB `operation exceeded time limit` / `MaxTimeMSExpired`, MySQL `maximum
 *   statement execution time exceeded`;
 * - Node's request library `ESOCKETTIMEDOUT`.
 */
const READ_TIMEOUT = /\b(?:httpx|httpcore)\.ReadTimeout\b|\bThe read operation timed out\b|\bTimeout reading from socket\b|\bTimeout on reading data from socket\b|\bClient\.Timeout exceeded while (?:awaiting headers|reading body)\b|\btimeout awaiting response headers\b|\bSocketTimeoutException: timeout\b(?! ?[:\w])|\bRedisCommandTimeoutException: Command timed out\b|\bRedisTimeoutException: Timeout performing\b|\bExecution Timeout Expired\b|\boperation exceeded time limit\b|\bMaxTimeMSExpired\b|\bmaximum statement execution time exceeded\b|\bESOCKETTIMEDOUT\b/;
const SLOW_PEER_ALARM = /"NewStateValue":\s?"ALARM".{0,2000}?"MetricName":\s?"(?:ReadLatency|WriteLatency|CommitLatency|SelectLatency|DMLLatency|SuccessfulRequestLatency|IntegrationLatency|SearchLatency|IndexingLatency)"/;
const SLOW_PEER = /\bDEADLINE_EXCEEDED: deadline exceeded after \d{1,6}(?:\.\d{1,9})?s\. \[.{0,400}?\bopen=\[\[[^\]]{0,400}?\bremote_addr=|"status":\s?"firing".{0,400}?"alertname":\s?"[\w-]{0,60}(?:Latency|Slow|latency|slow)[\w-]{0,60}"/;

/**
 * Computed signature `latency.slow-words`: a log line that calls itself a slow query or call, unless
 * the duration it prints is under {@link SLOW_MIN_MS} (`slow query took 820ms` is a warning of the
 * application's own threshold, not a slow dependency; a database's own slow log is read by the
 * analyzer, from {@link SLOW_FLAGGED_MS}).
 */
export const SLOW_WORDS_SIGNATURE = {
  id: 'latency.slow-words',
  evaluate(line: { kind: string; text: string }): ReadonlyArray<{ category: Category; weight: number }> {
    if (line.text.length > 4000) return [];
    if (SLOW_PEER.test(line.text) || SLOW_PEER_ALARM.test(line.text) || READ_TIMEOUT.test(line.text)) return [{ category: 'slow_dependency', weight: 0.6 }];
    if (line.kind !== 'log' || !SLOW_WORDS.test(line.text)) return [];
    const d = durationOf(line.text);
    if (d && d.ms < SLOW_MIN_MS) return [];
    return [{ category: 'slow_dependency', weight: 0.55 }];
  },
};
