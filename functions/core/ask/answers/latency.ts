/**
 * "Why is X slow?": the durations the evidence prints, grouped by call (one log template per
 * call), the slowest first, each compared with its usual (median) duration in the same evidence.
 * A downstream call far above its usual duration is named as the `slow_dependency` category.
 *
 * Duration formats read (values in milliseconds after reading):
 * - words: `took 8.2s`, `query took 9.8 s`, `responded in 12000 ms`, `200 in 40ms`, `latency 1703ms`;
 * - fields: `duration=12000ms`, `duration_ms=176`, `elapsed_ms=`, `latency_ms=`, `response_time=1.2s`,
 *   nginx `request_time=0.532` / `upstream_response_time=` / `rt=` / `urt=` (seconds when no unit);
 * - PostgreSQL `duration: 9875.1 ms`; MySQL slow log `# Query_time: 12.3` (seconds);
 * - Lambda `REPORT RequestId: … Duration: 1234.56 ms` (not `Billed Duration`);
 * - ALB access logs: `target_processing_time` (the 6th field, seconds; -1 when the target did not answer).
 */
import { readDuration } from '../../stages/analyze/index.js';
import { iso, locate, quoteText, type EvidenceLine, type ScopedEvidence } from './evidence.js';

export { readDuration } from '../../stages/analyze/index.js';
import { citeLine, quoteLine, summarizeMessages } from './logs.js';
import type { Citation, PartialAnswer } from './types.js';

/** A call is slow when its slowest duration is at least this many times its usual (median) one… */
export const SLOW_FACTOR = 5;
/** …and at least this many milliseconds. */
export const SLOW_MIN_MS = 1_000;
/** Calls listed, at most. */
export const MAX_CALLS = 5;

/** One duration read from a line. */
export interface TimedLine {
  readonly line: EvidenceLine;
  readonly ms: number;
  /** How the duration was written (`took 8.2s`, `duration: 9875.1 ms`). */
  readonly written: string;
}

/** A line that times a call to something else (a database, an HTTP service, a queue, a provider), not the workload's own request. */
const DEPENDENCY = /\b(?:client|repository|repo|dao|query|statement|select|insert|update|delete|upstream|Query_time|provider|dependency|downstream|redis|postgres(?:ql)?|mysql|mongo|dynamodb|s3|sqs|sns|kafka|rds|elasticsearch|opensearch|grpc|call(?:ing)? to|request to)\b|[a-z](?:Client|Repository|Dao|Gateway)\b|\bLOG:\s+duration:|https?:\/\/|\.svc\b|:\d{4,5}\//;

/** Lines that time the process itself, not a call: start-up and initialisation ("Started X in 6.2 seconds", Lambda `Init Duration`). */
const NOT_A_CALL = /\b(?:Started|Starting|Startup|Booted|Initialized|Initialised|Init Duration|process running for)\b/;

/** One call (a log template) and its durations. */
export interface CallTiming {
  readonly template: string;
  readonly count: number;
  /** Median duration, ms: the call's usual value in this evidence. */
  readonly usualMs: number;
  readonly maxMs: number;
  readonly slowest: TimedLine;
  readonly dependency: boolean;
  /** The call failed (an ERROR line, a timeout): an error of its own, not slowness. */
  readonly failed: boolean;
}

/** A line that reports a failed call: its duration is how long it waited before failing. */
const FAILED = /\b(?:time[ds]? ?out|timeout|timed-out|deadline exceeded|failed|refused|reset by peer)\b/i;

/** Reads every duration of `lines` and groups them by call, slowest call first. */
export function callTimings(lines: readonly EvidenceLine[]): { timed: TimedLine[]; calls: CallTiming[] } {
  const timed: TimedLine[] = [];
  for (const line of lines) {
    if (NOT_A_CALL.test(line.text) && !/^REPORT RequestId/.test(line.text)) continue;
    const d = readDuration(line.text);
    if (d && Number.isFinite(d.ms)) timed.push({ line, ms: d.ms, written: d.written });
  }
  // Access-log lines are grouped by request (method and path), not by their many fields.
  const keyed = timed.map((t) => ({ t, key: { ...t.line, content: accessLogCall(t.line.text) ?? t.line.content } }));
  const byLine = new Map(keyed.map(({ t, key }) => [key, t]));
  const calls = summarizeMessages(keyed.map(({ key }) => key)).map((m) => {
    const ms = m.lines.map((l) => byLine.get(l)!.ms).sort((a, b) => a - b);
    const slowest = m.lines.map((l) => byLine.get(l)!).reduce((a, b) => (b.ms > a.ms ? b : a));
    const mid = Math.floor(ms.length / 2);
    const usualMs = ms.length % 2 ? ms[mid]! : (ms[mid - 1]! + ms[mid]!) / 2;
    return { template: m.template, count: m.count, usualMs, maxMs: ms[ms.length - 1]!, slowest, dependency: DEPENDENCY.test(m.latest.text), failed: m.latest.level === 'ERROR' || FAILED.test(m.latest.content) };
  });
  return { timed, calls: calls.sort((a, b) => b.maxMs - a.maxMs) };
}

/** An ALB access-log line as a call: `ALB target time of GET /v1/catalog` (query string dropped); undefined for other lines. */
function accessLogCall(text: string): string | undefined {
  const m = /^(?:http|https|h2|grpcs|ws|wss)\s+\S+\s+\S+\s+\S+:\d+\s+\S+\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+\d{3}\s+\S+\s+\d+\s+\d+\s+"(\S+) (?:[a-z]+:\/\/[^/\s]+)?([^?\s"]*)/.exec(text);
  return m ? `ALB target time of ${m[1]} ${m[2] || '/'}` : undefined;
}

/** `1703 ms`, `8.2 s`. */
export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  if (ms >= 1_000) return `${(ms / 1000).toFixed(2).replace(/0$/, '').replace(/\.0$/, '')} s`;
  return `${Math.round(ms * 10) / 10} ms`;
}

/** The latency answer, with the slow dependency (when one is found) for callers and tests. */
export interface LatencyAnswer extends PartialAnswer {
  readonly slowDependency?: CallTiming;
}

/**
 * Answers "why is X slow" over the evidence about X: the slowest calls with their durations and
 * usual values, the slowest lines quoted, and `slow_dependency` when a downstream call is
 * {@link SLOW_FACTOR}× its usual duration and at least {@link SLOW_MIN_MS} (or, when the evidence
 * holds only slow entries of it — a slow-query log — takes at least {@link SLOW_MIN_MS}).
 * @param hint how to give evidence (`--evidence FILE` on the CLI), when the evidence does not cover X.
 * @example
 *   answerLatency('orders', scopeEvidence(context, { name: 'orders', kind: 'workload' }), hint).answer;
 *   // → 'Likely slow_dependency: it takes up to 9.88 s (duration: 9875.1 ms) against a usual 15.7 ms in the same evidence — …'
 */
export function answerLatency(who: string, scoped: ScopedEvidence, hint: string): LatencyAnswer {
  if (!scoped.covered) {
    return { answer: `The evidence I have (${scoped.sources.join(', ') || 'none'}) does not cover ${who}${scoped.otherNames.length ? `; it is about ${scoped.otherNames.slice(0, 4).join(', ')}` : ''}, so I cannot say why it is slow. To check ${who}, ${hint}.`, citations: [] };
  }
  const { timed, calls } = callTimings([...scoped.baseline, ...scoped.lines]);
  if (timed.length === 0) {
    return { answer: `No line of ${who} in the evidence prints a duration (took …, duration=…, Duration: … ms, Query_time, request times), so I cannot say which call is slow. Give logs that time requests or queries (${hint}).`, citations: [] };
  }
  const ratio = (c: CallTiming) => (c.usualMs > 0 ? c.maxMs / c.usualMs : Infinity);
  const isSlow = (c: CallTiming) => c.maxMs >= SLOW_MIN_MS && (c.count === 1 || ratio(c) >= SLOW_FACTOR || c.usualMs >= SLOW_MIN_MS);
  // The workload's own requests (inbound, Lambda invocations): are they slow at all?
  const own = calls.filter((c) => !c.dependency && !c.failed);
  const ownSlow = own.filter(isSlow);
  const ownNote = own.length && ownSlow.length === 0
    ? ` ${possessive(who)} own timed requests are not slow in this evidence: ${own.slice(0, 2).map((c) => `usually ${formatMs(c.usualMs)}, at most ${formatMs(c.maxMs)} ("${quoteText(c.template).slice(0, 80)}")`).join('; ')}.`
    : '';
  const slowDependency = calls.find((c) => c.dependency && !c.failed && isSlow(c));
  const listed = calls.slice(0, MAX_CALLS);
  const rows = listed.map((c, i) => `  ${i + 1}. ${formatMs(c.maxMs)} at most, usually ${formatMs(c.usualMs)} over ${c.count} call${c.count === 1 ? '' : 's'}${c.count > 1 ? ` (×${(c.maxMs / Math.max(c.usualMs, 0.001)).toFixed(1)})` : ''}${c.dependency ? ' [downstream]' : ''}${c.failed ? ' [failed: an error, not slowness]' : ''}: "${quoteText(c.template)}" — slowest ${locate(c.slowest.line)}${c.slowest.line.timestamp !== undefined ? ` at ${iso(c.slowest.line.timestamp)}` : ''}`);
  const slowestLines = [...timed].sort((a, b) => b.ms - a.ms).slice(0, 5);
  let verdict: string;
  if (slowDependency) {
    const usual = slowDependency.count > 1 && slowDependency.usualMs < SLOW_MIN_MS ? `against a usual ${formatMs(slowDependency.usualMs)} in the same evidence` : slowDependency.count > 1 ? `and usually ${formatMs(slowDependency.usualMs)}: every logged call of it is slow, so the evidence has no fast value to compare with` : 'and it appears only once, so the evidence has no usual value to compare with';
    verdict = `${ownNote ? 'A downstream call is slow (slow_dependency)' : 'Likely slow_dependency'}: it takes up to ${formatMs(slowDependency.maxMs)} (${slowDependency.slowest.written}) ${usual} — "${quoteText(slowDependency.template)}" (${locate(slowDependency.slowest.line)}).${ownNote}`;
  } else if (ownSlow.length) {
    const slow = ownSlow[0]!;
    verdict = `${possessive(who)} own requests are slow — ${formatMs(slow.maxMs)} against a usual ${formatMs(slow.usualMs)}: "${quoteText(slow.template)}" (${locate(slow.slowest.line)}) — but no downstream call the logs time is slow, so the time is spent in ${who} itself or in a call the logs do not time.`;
  } else {
    verdict = `No call stands out: the slowest durations are within ${SLOW_FACTOR}× of their usual values or under ${formatMs(SLOW_MIN_MS)}.`;
  }
  const citations: Citation[] = slowestLines.map((t) => ({ ...citeLine(t.line), title: `${formatMs(t.ms)} (${t.written})` }));
  return {
    answer: `${verdict}\nSlowest calls of ${who} in the evidence (${timed.length} timed lines, ${calls.length} kind${calls.length === 1 ? '' : 's'} of call):\n${rows.join('\n')}\nSlowest lines:\n${slowestLines.map((t) => quoteLine(t.line)).join('\n')}`,
    citations,
    ...(slowDependency ? { slowDependency } : {}),
  };
}

/** "checkout's", "payments'". */
function possessive(who: string): string {
  return who.endsWith('s') ? `${who}'` : `${who}'s`;
}
