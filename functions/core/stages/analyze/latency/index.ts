/**
 * Latency analyzer: reads the durations logs print, as numbers, and finds the calls that are slow
 * against their usual values in the same evidence (the `slow_dependency` category of
 * `shared/spec/categories.md`).
 *
 * Durations are read by {@link readDuration} (`./read.ts`: PostgreSQL, MySQL, MongoDB, Django,
 * nginx, ALB, Lambda REPORT, key=value and JSON fields, prose), shared with `ask`'s latency answer.
 *
 * A duration is slow when it is at least 1 s and either five times the median of its own kind
 * (the same line template) when that kind was seen three times or more (a steady value is the
 * usual, never slow), or above an absolute floor (2 s for a database query, 5 s for any other
 * call) when it was not. Startup, GC pauses,
 * backups, builds and other non-call durations are not calls and are skipped.
 *
 * Every pattern is linear (bounded numbers, literal alternations).
 */
import type { CollectedContext, EvidenceRef, LogEvent } from '../../../model/evidence.js';
import type { Finding } from '../../../model/analysis.js';
import type { Category } from '../../../model/categories.js';
import { readDuration } from './read.js';

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
}

/** A slow call and what it was compared with. */
export interface SlowCall extends CallDuration {
  /** The usual duration of its kind in the same evidence (median, ms), when known. */
  readonly usualMs?: number;
}

const QUERY_WORDS = /\b(?:SELECT|INSERT|UPDATE|DELETE|query|statement|execute|Query_time|Slow query|sql|postgres|mysql|mongo|dynamodb|redis|elasticsearch|cassandra)\b/i;
const CALL_WORDS = /\b(?:upstream|https?:\/\/|call(?:ing|ed)? to|request to|response from|rpc|grpc|GET|POST|PUT|PATCH|client|dependency|downstream|api|service|endpoint|fetch|invoke|lambda|s3|sqs|sns|kinesis|http)\b/i;
/** Durations that are not a call's: startup, GC, maintenance and build work. */
const NOT_A_CALL = /\b(?:start(?:ed|ing|up)?|boot(?:ed|ing)?|initiali[sz]|Init Duration|Billed Duration|GC|garbage|pause|backup|snapshot|compil|build|bundl|install|download|upload|migrat|checkpoint|vacuum|warm(?:ing)?[- ]?up|sleep(?:ing)?|retry(?:ing)? in|backoff|timeout (?:is|of|set)|interval|cron|schedul|uptime|TTL|expires?)\b/i;

/** The durations of one line (at most one: the first reader that applies). */
export function durationOf(text: string): { ms: number; kind: CallDuration['kind'] } | undefined {
  if (text.length > 4000 || !/\d/.test(text)) return undefined;
  const read = readDuration(text);
  if (!read || !Number.isFinite(read.ms)) return undefined;
  const query = /^duration: |Query_time|^\(\d/.test(read.written) || /\bLOG:\s+duration:/.test(text);
  if (!query && NOT_A_CALL.test(text)) return undefined;
  const kind: CallDuration['kind'] = query || QUERY_WORDS.test(text) ? 'query' : /^REPORT RequestId/.test(text) ? 'request' : CALL_WORDS.test(text) ? 'call' : 'request';
  return { ms: read.ms, kind };
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
/** Absolute floors when a kind has too few values to compare: query, other call. */
export const SLOW_QUERY_MS = 2000;
export const SLOW_CALL_MS = 5000;

/** Reads every duration of the logs (each physical line), at most `limit` (default 200 000 lines). */
export function callDurations(logs: readonly LogEvent[], limit = 200_000): CallDuration[] {
  const out: CallDuration[] = [];
  let seen = 0;
  for (const log of logs) {
    const rows = log.message.split('\n');
    for (let i = 0; i < rows.length && seen < limit; i++, seen++) {
      const row = rows[i]!;
      const d = durationOf(row);
      if (!d) continue;
      const text = row.trim();
      out.push({ ...d, key: maskKey(text), ref: log.line === undefined ? { text, source: log.source } : { text, source: log.source, line: log.line + i } });
    }
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
  const slow: SlowCall[] = [];
  for (const d of durations) {
    if (d.ms < SLOW_MIN_MS) continue;
    const typical = usual.get(d.key);
    // Against its usual value when its kind was seen often enough: a steady 10 s is the usual, not a
    // deviation; otherwise against the absolute floor of its kind.
    const isSlow = typical !== undefined
      ? d.ms >= typical * SLOW_FACTOR
      : d.ms >= (d.kind === 'query' ? SLOW_QUERY_MS : SLOW_CALL_MS);
    if (isSlow) slow.push({ ...d, ...(typical !== undefined ? { usualMs: typical } : {}) });
  }
  return slow.sort((a, b) => b.ms - a.ms);
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

/**
 * Findings for slow downstream calls: one per kind of call (the slowest line of it), severity
 * `critical` from 10 s or twenty times the usual value, else `warning`; a duration of the service's
 * own requests (no query or downstream words) is `info`. (Lines that say `slow query` without a
 * number are read by the signature `latency.slow-words`.)
 */
export function analyzeLatency(context: Pick<CollectedContext, 'logs'>): Finding[] {
  const durations = callDurations(context.logs);
  const slow = slowCalls(durations);
  const findings: Finding[] = [];
  const seenKeys = new Set<string>();
  for (const call of slow) {
    if (seenKeys.has(call.key) || findings.length >= 5) continue;
    seenKeys.add(call.key);
    const ratio = call.usualMs ? call.ms / call.usualMs : undefined;
    const severity: Finding['severity'] = call.kind === 'request' ? 'info' : call.ms >= 10_000 || (ratio ?? 0) >= 20 ? 'critical' : 'warning';
    const what = call.kind === 'query' ? 'a database query' : call.kind === 'call' ? 'a downstream call' : 'a request';
    findings.push({
      analyzer: 'LatencyAnalyzer', kind: 'Call', name: '?', severity, category: 'slow_dependency',
      message: `${what} took ${fmt(call.ms)}${call.usualMs ? ` (usually ${fmt(call.usualMs)} in this evidence)` : ''}`,
      evidence: [call.ref],
    });
  }
  return findings;
}

/** Lines that name a slow call outright: MongoDB 4.4+ `"msg":"Slow query"`, Redis SLOWLOG, ORMs' and APMs' `slow query` lines. */
const SLOW_WORDS = /"msg":"Slow query"|\bslow (?:query|queries|sql|statement|call|upstream)\b|\bSLOWLOG\b|\blong[- ]running (?:query|queries)\b/i;

/**
 * Computed signature `latency.slow-words`: a log line that calls itself a slow query or call, unless
 * the duration it prints is under {@link SLOW_MIN_MS} (`slow query took 820ms` is a warning of the
 * application's own threshold, not a slow dependency).
 */
export const SLOW_WORDS_SIGNATURE = {
  id: 'latency.slow-words',
  evaluate(line: { kind: string; text: string }): ReadonlyArray<{ category: Category; weight: number }> {
    if (line.kind !== 'log' || line.text.length > 4000 || !SLOW_WORDS.test(line.text)) return [];
    const d = durationOf(line.text);
    if (d && d.ms < SLOW_MIN_MS) return [];
    return [{ category: 'slow_dependency', weight: 0.55 }];
  },
};
