/**
 * The analyze stage: mines log templates over the incident window (and the baseline window),
 * runs the Kubernetes analyzers and matches the known-failure signatures.
 */
import type { Incident } from '../../model/incident.js';
import type { CollectedContext, Degradation, EvidenceRef, LogEvent, OmittedLogLines } from '../../model/evidence.js';
import type { Analysis, Finding, LogPattern } from '../../model/analysis.js';
import { TemplateMiner, detectHeader } from './templates/index.js';
import { LEVEL_RANK, RANK_LEVEL, levelRankOf } from './templates/level.js';
import { runKubernetesAnalyzers } from './kubernetes/index.js';
import { matchSignatures } from './signatures/index.js';
import { analyzeLatency } from './latency/index.js';
import { matchFailureStates } from './signatures/states.js';

export { runKubernetesAnalyzers } from './kubernetes/index.js';
export { matchSignatures, categorizeText, classifyLine, incidentSubjects, LineIndex, SIGNATURES, COMPUTED_SIGNATURES, type Signature, type ComputedSignature } from './signatures/index.js';
export { matchFailureStates, FAILURE_STATES, type FailureState, type FailureStateMatch } from './signatures/states.js';
export { detectLevel, levelRankOf, LEVEL_RANK } from './templates/level.js';
export { TemplateMiner, detectHeader } from './templates/index.js';
export { analyzeLatency, callDurations, slowCalls, durationOf, readDuration, type CallDuration, type SlowCall } from './latency/index.js';

/** Options of {@link analyze} and {@link minePatterns}. */
export interface AnalyzeOptions {
  /** Patterns kept (most frequent and most severe first); default 50. */
  readonly maxPatterns?: number;
  /** Timeline buckets over the window; default 30. */
  readonly timelineBuckets?: number;
  /** A pattern is spiking when its window rate is at least this many times its baseline rate; default 3. */
  readonly spikeFactor?: number;
}

interface Acc {
  readonly templateId: string;
  readonly template: string;
  count: number;
  baselineCount: number;
  first?: number;
  last?: number;
  levelRank: number;
  samples: EvidenceRef[];
  /** Counts per timeline bucket (window events with a timestamp); allocated on the first one. */
  counts?: number[];
}


/** The first line of a (possibly multi-line) event. */
function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  const line = nl < 0 ? message : message.slice(0, nl);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Mines templates over window logs and baseline logs and reports each template seen in the
 * window: count, baseline count, first/last seen (ISO-8601), highest level, 3 exact sample lines,
 * new/spiking against the baseline (only when baseline logs were collected; spiking compares
 * rates per ms of each window when timestamps allow, counts otherwise), and a timeline of counts
 * per bucket when timestamps are known.
 *
 * One pass mines every event (its first line, header removed) and keeps three numbers per event
 * (the template handle, the timestamp, the level); templates only merge as mining goes on, so a
 * second pass over those numbers maps each event to its final template and accumulates. Memory is
 * the templates plus 13 bytes per event; no per-event object is built.
 *
 * Lines of large inputs that were mined but not kept whole (`omitted`, see
 * {@link OmittedLogLines}) count like events: each as its exemplar's template at its own time and
 * level, in the baseline when its time falls in `windows.baseline`, else in the window.
 *
 * @param window the incident window (ISO-8601 strings), used for rates and the timeline.
 * @returns patterns sorted by level rank (ERROR first), then by count.
 */
export function minePatterns(
  logs: readonly LogEvent[],
  baselineLogs: readonly LogEvent[],
  windows: { window?: { start: string; end: string }; baseline?: { start: string; end: string } } = {},
  options: AnalyzeOptions = {},
  omitted: readonly OmittedLogLines[] = [],
): LogPattern[] {
  const omittedCount = omitted.reduce((n, o) => n + o.count, 0);
  if (logs.length === 0 && omittedCount === 0) return [];
  const miner = new TemplateMiner();
  const nBase = baselineLogs.length;
  const n = nBase + logs.length;
  const handles = new Uint32Array(n);
  const times = new Float64Array(n);
  const ranks = new Uint8Array(n);
  let minTime = Number.POSITIVE_INFINITY;
  let maxTime = Number.NEGATIVE_INFINITY;
  const handleOf = new Map<LogEvent, number>();
  for (let i = 0; i < n; i++) {
    const event = i < nBase ? baselineLogs[i]! : logs[i - nBase]!;
    const line = firstLine(event.message);
    const header = detectHeader(line, { timestamp: event.timestamp === undefined });
    const content = header.content.trim() === '' ? line : header.content;
    const timestamp = event.timestamp ?? header.timestampMs;
    handles[i] = miner.addIndex(content, timestamp);
    times[i] = timestamp ?? Number.NaN;
    if (omittedCount > 0) handleOf.set(event, handles[i]!);
    if (i >= nBase) {
      ranks[i] = levelRankOf(line, header.level);
      if (timestamp !== undefined) {
        if (timestamp < minTime) minTime = timestamp;
        if (timestamp > maxTime) maxTime = timestamp;
      }
    }
  }
  // Omitted lines: their exemplar's template (mined above, or now when the exemplar was not kept
  // in the end), baseline or window by their own time.
  const baseStart = windows.baseline ? Date.parse(windows.baseline.start) : Number.NaN;
  const baseEnd = windows.baseline ? Date.parse(windows.baseline.end) : Number.NaN;
  const omittedHandles = omitted.map((o) => new Uint32Array(o.count));
  const omittedInBaseline = omitted.map((o) => new Uint8Array(o.count));
  let omittedBaseline = 0;
  omitted.forEach((o, k) => {
    const hs = omittedHandles[k]!;
    const inBase = omittedInBaseline[k]!;
    for (let j = 0; j < o.count; j++) {
      const ex = o.exemplars[j]!;
      let h = handleOf.get(ex);
      if (h === undefined) {
        const line = firstLine(ex.message);
        const header = detectHeader(line);
        h = miner.addIndex(header.content.trim() === '' ? line : header.content, ex.timestamp ?? header.timestampMs);
        handleOf.set(ex, h);
      }
      hs[j] = h;
      const t = o.timestamps[j]!;
      if (t >= baseStart && t < baseEnd) {
        inBase[j] = 1;
        omittedBaseline++;
      } else if (t === t) {
        if (t < minTime) minTime = t;
        if (t > maxTime) maxTime = t;
      }
    }
  });

  const hasBaseline = baselineLogs.length > 0 || omittedBaseline > 0;
  const span = (w?: { start: string; end: string }): number | undefined => {
    if (!w) return undefined;
    const ms = Date.parse(w.end) - Date.parse(w.start);
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  };
  const windowMs = span(windows.window);
  const baselineMs = span(windows.baseline);
  const factor = options.spikeFactor ?? 3;
  const buckets = options.timelineBuckets ?? 30;
  const anyTime = minTime <= maxTime;
  const start = windows.window && Number.isFinite(Date.parse(windows.window.start)) ? Date.parse(windows.window.start) : anyTime ? minTime : undefined;
  const end = windows.window && Number.isFinite(Date.parse(windows.window.end)) ? Date.parse(windows.window.end) : anyTime ? maxTime + 1 : undefined;
  const timeline = start !== undefined && end !== undefined && end > start;
  const bucketMs = timeline ? Math.max(1, Math.ceil((end - start) / buckets)) : 1;

  // Each handle's final template, once per handle; templates of equal text are one pattern.
  const accOfHandle: Array<Acc | undefined> = [];
  const accs = new Map<string, Acc>();
  const accOf = (handle: number): Acc => {
    let acc = accOfHandle[handle];
    if (acc === undefined) {
      const { templateId, template } = miner.templateOf(handle);
      acc = accs.get(templateId);
      if (acc === undefined) {
        acc = { templateId, template, count: 0, baselineCount: 0, levelRank: 0, samples: [] };
        accs.set(templateId, acc);
      }
      accOfHandle[handle] = acc;
    }
    return acc;
  };
  const count = (acc: Acc, t: number, rank: number): void => {
    acc.count++;
    if (t === t) {
      if (acc.first === undefined || t < acc.first) acc.first = t;
      if (acc.last === undefined || t > acc.last) acc.last = t;
      if (timeline) {
        const b = Math.floor((t - start!) / bucketMs);
        if (b >= 0 && b < buckets) (acc.counts ??= new Array<number>(buckets).fill(0))[b]!++;
        else acc.counts ??= new Array<number>(buckets).fill(0);
      }
    }
    if (rank > acc.levelRank) acc.levelRank = rank;
  };
  for (let i = 0; i < nBase; i++) accOf(handles[i]!).baselineCount++;
  for (let i = nBase; i < n; i++) {
    const acc = accOf(handles[i]!);
    count(acc, times[i]!, ranks[i]!);
    if (acc.samples.length < 3) {
      const event = logs[i - nBase]!;
      const line = firstLine(event.message);
      if (!acc.samples.some((s) => s.text === line)) {
        acc.samples.push(event.line === undefined ? { text: line, source: event.source } : { text: line, source: event.source, line: event.line });
      }
    }
  }

  omitted.forEach((o, k) => {
    const hs = omittedHandles[k]!;
    const inBase = omittedInBaseline[k]!;
    for (let j = 0; j < o.count; j++) {
      const acc = accOf(hs[j]!);
      if (inBase[j] === 1) acc.baselineCount++;
      else count(acc, o.timestamps[j]!, o.levels[j]!);
    }
  });

  const patterns: LogPattern[] = [];
  for (const acc of accs.values()) {
    if (acc.count === 0) continue;
    let isSpiking = false;
    if (hasBaseline && acc.baselineCount > 0) {
      const windowRate = windowMs ? acc.count / windowMs : acc.count;
      const baseRate = baselineMs ? acc.baselineCount / baselineMs : acc.baselineCount;
      isSpiking = windowRate >= factor * baseRate;
    }
    const level = RANK_LEVEL[acc.levelRank];
    patterns.push({
      templateId: acc.templateId, template: acc.template, count: acc.count, baselineCount: acc.baselineCount,
      ...(acc.first !== undefined ? { firstSeen: new Date(acc.first).toISOString(), lastSeen: new Date(acc.last!).toISOString() } : {}),
      ...(level ? { level } : {}),
      samples: acc.samples,
      isNew: hasBaseline && acc.baselineCount === 0,
      isSpiking,
      ...(acc.counts ? { timeline: { bucketMs, start: start!, counts: acc.counts } } : {}),
    });
  }
  patterns.sort((a, b) => (LEVEL_RANK[b.level ?? ''] ?? 0) - (LEVEL_RANK[a.level ?? ''] ?? 0) || b.count - a.count);
  return patterns.slice(0, options.maxPatterns ?? 50);
}

/**
 * Runs the analyze stage.
 *
 * @returns patterns (template mining over `context.logs` against `context.baselineLogs`),
 *   findings of the Kubernetes analyzers, and signature matches (each quoting its exact line).
 *   An analyzer that throws does not stop the stage: it appears as an `info` finding of kind
 *   `Analyzer` (use {@link analyzeWithErrors} to get the errors as degradations instead).
 * @example
 * const analysis = analyze(incident, context);
 */
export function analyze(incident: Incident, context: CollectedContext, options: AnalyzeOptions = {}): Analysis {
  const { analysis, errors } = analyzeWithErrors(incident, context, options);
  if (errors.length === 0) return analysis;
  // The Analysis type has no `degraded`: a failed analyzer stays visible as an info finding.
  const failures: Finding[] = errors.map((e) => ({
    analyzer: e.component.replace(/^kubernetes:/, ''), kind: 'Analyzer', name: e.component, severity: 'info',
    message: `analyzer failed and was skipped: ${e.reason}`, evidence: [],
  }));
  return { ...analysis, findings: [...analysis.findings, ...failures] };
}

/** {@link analyze}, also returning the analyzers' errors as degradations. */
export function analyzeWithErrors(incident: Incident, context: CollectedContext, options: AnalyzeOptions = {}): { analysis: Analysis; errors: Degradation[] } {
  // Every template's samples go to the signatures (they stand for the lines of large inputs);
  // the analysis keeps the first `maxPatterns`.
  const all = minePatterns(context.logs, context.baselineLogs, { window: incident.window, baseline: incident.baseline }, { ...options, maxPatterns: Number.POSITIVE_INFINITY }, context.omittedLogs);
  const patterns = all.slice(0, options.maxPatterns ?? 50);
  const kubernetes = runKubernetesAnalyzers(context);
  const errors = kubernetes.errors;
  const findings = [...kubernetes.findings, ...analyzeLatency(context)];
  const signatureMatches = matchSignatures(context, all, findings, { incident });
  const failureStates = matchFailureStates(context, incident).map(({ state, evidence, more }) => ({ id: state.id, label: state.label, causes: state.causes, evidence, ...(more.length > 0 ? { more } : {}) }));
  return { analysis: { patterns, findings, signatureMatches, failureStates }, errors };
}
