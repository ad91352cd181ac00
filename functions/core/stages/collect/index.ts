/**
 * The collect stage: runs the incident's collectors concurrently under one time budget and merges
 * what they return into one {@link CollectedContext}.
 *
 * - Every collector gets an `AbortSignal` that fires when the budget runs out (or the caller's
 *   signal aborts). The stage does not wait for a collector past the budget: it is recorded in
 *   `degraded` as `timeout` and its late result is discarded.
 * - A collector that throws is recorded as `permission` (AccessDenied, Forbidden, Unauthorized,
 *   expired credentials), `throttled` (Throttling, TooManyRequests, Rate exceeded), `timeout`
 *   (AbortError, TimeoutError) or `error`; the others go on.
 * - Log events are split by timestamp into the incident window and the baseline window (when the
 *   incident has one); undated events and events outside the baseline count as window events.
 * - Identical log events from different sources (same timestamp and message) are kept once, as are
 *   Kubernetes events that two sources both show (describe `Events:` and `kubectl get events`) and
 *   objects read both whole and from a `kubectl get` table (the whole object wins).
 * - Bounds: at most `maxLogEvents` log events (the most recent are kept), `maxKubernetesObjects`
 *   objects and `maxKubernetesEvents` events; anything cut is recorded as `truncated`. Lines of
 *   large files that a collector read and mined without keeping them whole (`omittedLogs`) are
 *   passed on: they count in the log patterns.
 */
import type { Incident } from '../../model/incident.js';
import type {
  CollectedContext, Degradation, DescribeBlock, KubernetesEvent, KubernetesObject, LogEvent, MetricSeries, PriorDiagnosis,
} from '../../model/evidence.js';
import { InvalidInputError, describeError } from '../../model/errors.js';
import type { Collector, PartialContext } from '../../ports/collector.port.js';
import { parseEvidenceText } from './formats/index.js';

export { parseEvidenceText, describeKindOfText } from './formats/index.js';

/** Options of {@link collect}. */
export interface CollectOptions {
  /** Time budget for all collectors together, milliseconds. */
  readonly budgetMs: number;
  /** Aborts collection early (e.g. a Lambda's remaining time ran low). */
  readonly signal?: AbortSignal | undefined;
  /** Most log events kept (window and baseline together); default 200 000. */
  readonly maxLogEvents?: number;
  /** Most Kubernetes objects kept; default 50 000. */
  readonly maxKubernetesObjects?: number;
  /** Most Kubernetes events kept; default 100 000. */
  readonly maxKubernetesEvents?: number;
  /**
   * When true, an {@link InvalidInputError} thrown by a collector (an unreadable evidence file:
   * empty, binary, truncated JSON, YAML bomb) rejects `collect` with that error instead of being
   * recorded, so a CLI can exit non-zero naming the input. Default false.
   */
  readonly strictInput?: boolean;
}

/** Default bound on log events (window + baseline). */
export const DEFAULT_MAX_LOG_EVENTS = 200_000;

/** Name of the error a collector's signal carries when the budget runs out. */
export class CollectTimeoutError extends Error {
  constructor(budgetMs: number) {
    super(`did not finish within the collect budget of ${budgetMs} ms`);
    this.name = 'TimeoutError';
  }
}

const PERMISSION_RE = /AccessDenied|Unauthori[sz]ed|Forbidden|NotAuthorized|UnrecognizedClient|ExpiredToken|InvalidClientTokenId|InvalidSignature|SignatureDoesNotMatch|CredentialsProviderError|\bEACCES\b|\bEPERM\b/i;
const THROTTLE_RE = /Throttl|TooManyRequests|RequestLimitExceeded|Rate exceeded|SlowDown|\b429\b/i;

/**
 * Classifies a collector's error for `degraded`: by the error's `name`, `code`, `Code` and
 * `$metadata.httpStatusCode` (AWS SDK v3) and its message.
 */
export function degradationKind(error: unknown): Degradation['kind'] {
  const e = error as { name?: unknown; code?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: number } } | undefined;
  const id = [e?.name, e?.code, e?.Code].filter((v) => typeof v === 'string').join(' ');
  const status = e?.$metadata?.httpStatusCode;
  if (id === 'AbortError' || id === 'TimeoutError' || /\bTimeoutError\b|\bAbortError\b/.test(id)) return 'timeout';
  if (PERMISSION_RE.test(id) || status === 401 || status === 403) return 'permission';
  if (THROTTLE_RE.test(id) || status === 429) return 'throttled';
  const message = error instanceof Error ? error.message : String(error);
  if (/AccessDenied|not authorized to perform|Forbidden|permission denied/i.test(message)) return 'permission';
  if (/Throttl|Rate exceeded|TooManyRequests/i.test(message)) return 'throttled';
  return 'error';
}

/**
 * The evidence source name of the `index`-th (0-based) of `count` inline evidence strings of an
 * incident (API submissions, EventBridge details): `event` when there is only one, otherwise
 * `event:evidence[<index>]`, so every string's lines are numbered from 1 within it.
 */
export function inlineEvidenceSource(index: number, count: number): string {
  return count <= 1 ? 'event' : `event:evidence[${index}]`;
}

type Outcome =
  | { readonly status: 'ok'; readonly value: PartialContext }
  | { readonly status: 'failed'; readonly error: unknown }
  | { readonly status: 'timeout' };

/**
 * Runs `collectors` concurrently for `incident` under `options.budgetMs` and merges their output
 * (see the module comment for timeouts, errors, windows, deduplication and bounds). Each string
 * of the incident's `inlineEvidence` is parsed like a file of its own and merged too: source
 * `event` when there is one string, `event:evidence[0]`, `event:evidence[1]`, … when there are
 * several (see {@link inlineEvidenceSource}); line numbers count within each string.
 *
 * Resolves within `budgetMs` plus a few milliseconds even when a collector ignores its signal.
 *
 * @throws InvalidInputError only with `strictInput` (see {@link CollectOptions.strictInput})
 * @example
 * const context = await collect(incident, [fileCollector('pod.txt')], { budgetMs: 10_000 });
 */
export async function collect(incident: Incident, collectors: readonly Collector[], options: CollectOptions): Promise<CollectedContext> {
  const budgetMs = Math.max(0, options.budgetMs);
  const controller = new AbortController();
  const timeoutError = new CollectTimeoutError(budgetMs);
  let onOuterAbort: (() => void) | undefined;
  let pastDeadline = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    const fire = (reason: unknown): void => {
      pastDeadline = true;
      if (!controller.signal.aborted) controller.abort(reason);
      resolve('deadline');
    };
    timer = setTimeout(() => fire(timeoutError), budgetMs);
    if (options.signal) {
      if (options.signal.aborted) fire(options.signal.reason ?? timeoutError);
      onOuterAbort = () => fire(options.signal!.reason ?? timeoutError);
      options.signal.addEventListener('abort', onOuterAbort, { once: true });
    }
  });

  const outcomes: Outcome[] = collectors.map(() => ({ status: 'timeout' }));
  const runs = collectors.map(async (collector, k) => {
    if (pastDeadline) return;
    try {
      const value = await collector.collect(incident, controller.signal);
      if (!pastDeadline) outcomes[k] = { status: 'ok', value: value ?? {} };
    } catch (error) {
      // an error after the deadline (typically the abort itself) leaves the collector `timeout`
      if (!pastDeadline) outcomes[k] = { status: 'failed', error };
    }
  });
  let finishedInTime = false;
  try {
    await Promise.race([Promise.all(runs).then(() => { finishedInTime = true; }), deadline]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (onOuterAbort && options.signal) options.signal.removeEventListener('abort', onOuterAbort);
    if (!controller.signal.aborted) controller.abort(timeoutError);
  }

  const degraded: Degradation[] = [];
  const parts: PartialContext[] = [];
  collectors.forEach((collector, k) => {
    const outcome = outcomes[k]!;
    if (outcome.status === 'ok') {
      parts.push(outcome.value);
      return;
    }
    if (outcome.status === 'timeout') {
      const aborted = options.signal?.aborted === true;
      degraded.push({
        component: collector.name,
        kind: 'timeout',
        reason: aborted && !finishedInTime ? 'collection was cancelled before it finished' : timeoutError.message,
      });
      return;
    }
    if (options.strictInput && outcome.error instanceof InvalidInputError) throw outcome.error;
    degraded.push({ component: collector.name, kind: degradationKind(outcome.error), reason: describeError(outcome.error) });
  });

  const inline = incident.inlineEvidence ?? [];
  inline.forEach((text, i) => {
    if (text.trim().length === 0) return;
    const source = inlineEvidenceSource(i, inline.length);
    try {
      parts.push(parseEvidenceText(text, source));
    } catch (error) {
      degraded.push({ component: source, kind: 'error', reason: describeError(error) });
    }
  });
  return mergeContexts(incident, parts, degraded, options);
}

function dedupeKeyOfEvent(e: KubernetesEvent): string {
  return [e.namespace ?? '', (e.object ?? '').toLowerCase(), e.type, e.reason, e.message].join('\u0000');
}

function identityOf(o: KubernetesObject): string {
  return [o.kind, o.metadata?.namespace ?? '', o.metadata?.name ?? ''].join('\u0000');
}

/**
 * Merges partial contexts in the given order: concatenates, dedupes, splits window/baseline and
 * applies the bounds of `options` (see {@link collect}). Exported for adapters that merge several
 * files themselves.
 */
export function mergeContexts(
  incident: Pick<Incident, 'baseline'>,
  parts: readonly PartialContext[],
  degradedIn: readonly Degradation[] = [],
  options: Pick<CollectOptions, 'maxLogEvents' | 'maxKubernetesObjects' | 'maxKubernetesEvents'> = {},
): CollectedContext {
  const degraded: Degradation[] = [...degradedIn];
  const metrics: MetricSeries[] = [];
  const priorDiagnoses: PriorDiagnosis[] = [];
  const describes: DescribeBlock[] = [];
  for (const p of parts) {
    // loops, not spreads: a spread of 100 000+ items overflows the call stack
    for (const d of p.degraded ?? []) degraded.push(d);
    for (const m of p.metrics ?? []) metrics.push(m);
    for (const d of p.priorDiagnoses ?? []) priorDiagnoses.push(d);
    for (const d of p.describes ?? []) describes.push(d);
  }

  // log events: dedupe across sources, split by window
  const baselineStart = incident.baseline ? Date.parse(incident.baseline.start) : NaN;
  const baselineEnd = incident.baseline ? Date.parse(incident.baseline.end) : NaN;
  const hasBaseline = Number.isFinite(baselineStart) && Number.isFinite(baselineEnd);
  const seen = new Map<string, string>(); // timestamp+message → first source
  const exact = new Set<string>(); // source+line
  const windowLogs: LogEvent[] = [];
  const baselineLogs: LogEvent[] = [];
  let duplicates = 0;
  // deduplication only matters when more than one part brought log events
  const dedupe = parts.filter((p) => (p.logs?.length ?? 0) + (p.baselineLogs?.length ?? 0) > 0).length > 1;
  const consider = (e: LogEvent, forcedBaseline: boolean): void => {
    if (dedupe) {
      if (isDuplicate(e)) {
        duplicates++;
        return;
      }
    }
    const inBaseline = forcedBaseline || (hasBaseline && e.timestamp !== undefined && e.timestamp >= baselineStart && e.timestamp < baselineEnd);
    (inBaseline ? baselineLogs : windowLogs).push(e);
  };
  const isDuplicate = (e: LogEvent): boolean => {
    if (e.line !== undefined) {
      const k = `${e.source}\u0000${e.line}`;
      if (exact.has(k)) return true;
      exact.add(k);
    }
    if (e.timestamp !== undefined) {
      const k = `${e.timestamp}\u0000${e.message}`;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, e.source);
      else if (first !== e.source) return true;
    }
    return false;
  };
  for (const p of parts) {
    for (const e of p.baselineLogs ?? []) consider(e, true);
    for (const e of p.logs ?? []) consider(e, false);
  }
  if (duplicates > 0) {
    degraded.push({ component: 'collect', kind: 'skipped', reason: `${duplicates} duplicate log events from overlapping sources were kept once` });
  }
  const maxLogs = options.maxLogEvents ?? DEFAULT_MAX_LOG_EVENTS;
  let logs = windowLogs;
  let baseline = baselineLogs;
  if (logs.length + baseline.length > maxLogs) {
    const before = logs.length + baseline.length;
    // keep the most recent: window events first (they matter most), then the newest baseline ones
    if (logs.length > maxLogs) {
      logs = keepMostRecent(logs, maxLogs);
      baseline = [];
    } else {
      baseline = keepMostRecent(baseline, maxLogs - logs.length);
    }
    degraded.push({
      component: 'collect', kind: 'truncated',
      reason: `${before} log events exceed the bound of ${maxLogs}; the ${before - logs.length - baseline.length} oldest were dropped`,
    });
  }

  // Kubernetes objects: whole objects win over rows of `kubectl get` tables
  const objects: KubernetesObject[] = [];
  const byIdentity = new Map<string, number>();
  for (const p of parts) {
    for (const o of p.kubernetesObjects ?? []) {
      const id = identityOf(o);
      const at = byIdentity.get(id);
      if (at === undefined) {
        byIdentity.set(id, objects.length);
        objects.push(o);
      } else if (objects[at]!['_fromTable'] === true && o['_fromTable'] !== true) {
        objects[at] = o;
      }
    }
  }
  const maxObjects = options.maxKubernetesObjects ?? 50_000;
  let kubernetesObjects = objects;
  if (objects.length > maxObjects) {
    kubernetesObjects = objects.slice(0, maxObjects);
    degraded.push({ component: 'collect', kind: 'truncated', reason: `${objects.length} Kubernetes objects exceed the bound of ${maxObjects}; the last ${objects.length - maxObjects} were dropped` });
  }

  const events: KubernetesEvent[] = [];
  const eventKeys = new Set<string>();
  for (const p of parts) {
    for (const e of p.kubernetesEvents ?? []) {
      const k = dedupeKeyOfEvent(e);
      if (eventKeys.has(k)) continue;
      eventKeys.add(k);
      events.push(e);
    }
  }
  const maxEvents = options.maxKubernetesEvents ?? 100_000;
  let kubernetesEvents = events;
  if (events.length > maxEvents) {
    kubernetesEvents = events.slice(events.length - maxEvents);
    degraded.push({ component: 'collect', kind: 'truncated', reason: `${events.length} Kubernetes events exceed the bound of ${maxEvents}; the first ${events.length - maxEvents} were dropped` });
  }

  logs = cutLongLines(logs, degraded);
  baseline = cutLongLines(baseline, degraded);
  const omittedLogs = parts.flatMap((p) => p.omittedLogs ?? []);
  return {
    logs, baselineLogs: baseline, kubernetesObjects, kubernetesEvents, describes, metrics, priorDiagnoses, degraded,
    ...(omittedLogs.length > 0 ? { omittedLogs } : {}),
  };
}

/** Characters of one log event kept whole; a longer one is cut ({@link cutLongLine}). */
export const MAX_KEPT_LINE_CHARS = 16_384;

/** Words that name a failure: looked for in the part of a long line that is cut, and kept with their context. */
const FAILURE_WORDS = /OOMKill(?:ed|ing)|OutOfMemory|out of memory|Killed|panic:|FATAL|Fatal|fatal error|Traceback|Exception|Error:|ERROR|CrashLoopBackOff|ImagePullBackOff|ErrImagePull|Evicted|timed out|deadline exceeded|connection refused|denied|forbidden|exit code:? ?\d{1,3}|status code:? ?[45]\d\d/g;

/**
 * A log event longer than {@link MAX_KEPT_LINE_CHARS}: its head, then each failure word found in
 * the rest (at most 8, with 160 characters around each), so `… 5 MB … OOMKilled` is still an
 * OOM. One pass over the line.
 */
export function cutLongLine(message: string, max = MAX_KEPT_LINE_CHARS): { message: string; kept: string[] } {
  if (message.length <= max) return { message, kept: [] };
  const head = message.slice(0, max);
  const pieces: string[] = [];
  const kept: string[] = [];
  let last = max;
  FAILURE_WORDS.lastIndex = max;
  for (let m = FAILURE_WORDS.exec(message); m && pieces.length < 8; m = FAILURE_WORDS.exec(message)) {
    const from = Math.max(last, m.index - 160);
    const to = Math.min(message.length, m.index + m[0].length + 160);
    if (to <= last) continue;
    pieces.push(message.slice(from, to));
    kept.push(m[0]);
    last = to;
    FAILURE_WORDS.lastIndex = to;
  }
  return { message: `${head} … [${message.length - max - pieces.reduce((n, p) => n + p.length, 0)} characters cut] …${pieces.map((p) => ` ${p} …`).join('')}`, kept };
}

function cutLongLines(events: readonly LogEvent[], degraded: Degradation[]): LogEvent[] {
  if (!events.some((e) => e.message.length > MAX_KEPT_LINE_CHARS)) return events as LogEvent[];
  return events.map((e) => {
    if (e.message.length <= MAX_KEPT_LINE_CHARS) return e;
    const { message, kept } = cutLongLine(e.message);
    degraded.push({
      component: 'collect', kind: 'truncated',
      reason: `${e.source}${e.line !== undefined ? ` line ${e.line}` : ''}: a ${e.message.length}-character line was cut to its first ${MAX_KEPT_LINE_CHARS} characters${kept.length ? `, keeping the failure words found after them (${[...new Set(kept)].join(', ')})` : ''}`,
    });
    return { ...e, message };
  });
}

/**
 * Keeps the `n` most recent events: the latest-dated ones, undated events counting as newest;
 * the kept events stay in their input order.
 */
function keepMostRecent(events: readonly LogEvent[], n: number): LogEvent[] {
  if (n <= 0) return [];
  if (events.length <= n) return [...events];
  const indices = events.map((_, k) => k);
  indices.sort((a, b) => {
    const ta = events[a]!.timestamp ?? Number.POSITIVE_INFINITY;
    const tb = events[b]!.timestamp ?? Number.POSITIVE_INFINITY;
    return ta === tb ? a - b : ta - tb;
  });
  const keep = indices.slice(indices.length - n).sort((a, b) => a - b);
  return keep.map((k) => events[k]!);
}
