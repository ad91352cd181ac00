/**
 * The analyze stage: mines log templates over the incident window (and the baseline window),
 * runs the Kubernetes analyzers and matches the known-failure signatures.
 */
import type { Incident } from '../../model/incident.js';
import type { CollectedContext, Degradation, EvidenceRef, LogEvent } from '../../model/evidence.js';
import type { Analysis, Finding, LogPattern } from '../../model/analysis.js';
import { TemplateMiner, detectHeader } from './templates/index.js';
import { runKubernetesAnalyzers } from './kubernetes/index.js';
import { matchSignatures } from './signatures/index.js';
import { analyzeLatency } from './latency/index.js';
import { matchFailureStates } from './signatures/states.js';

export { runKubernetesAnalyzers } from './kubernetes/index.js';
export { matchSignatures, categorizeText, incidentSubjects, LineIndex } from './signatures/index.js';
export { matchFailureStates, FAILURE_STATES, type FailureState, type FailureStateMatch } from './signatures/states.js';
export { analyzeLatency, callDurations, slowCalls, durationOf, type CallDuration, type SlowCall } from './latency/index.js';

/** Options of {@link analyze} and {@link minePatterns}. */
export interface AnalyzeOptions {
  /** Patterns kept (most frequent and most severe first); default 50. */
  readonly maxPatterns?: number;
  /** Timeline buckets over the window; default 30. */
  readonly timelineBuckets?: number;
  /** A pattern is spiking when its window rate is at least this many times its baseline rate; default 3. */
  readonly spikeFactor?: number;
}

const LEVELS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:FATAL|CRITICAL|CRIT|EMERG(?:ENCY)?|ALERT|PANIC)\b/i, 'FATAL'],
  [/\b(?:ERROR|ERR|SEVERE|Exception|Traceback)\b/, 'ERROR'],
  [/\berror\b/, 'ERROR'],
  [/\b(?:WARN(?:ING)?|W\d{4} )\b/i, 'WARN'],
  [/\b(?:INFO|NOTICE)\b/i, 'INFO'],
  [/\b(?:DEBUG|TRACE|FINE)\b/i, 'DEBUG'],
];
const LEVEL_RANK: Record<string, number> = { FATAL: 5, ERROR: 4, WARN: 3, INFO: 2, DEBUG: 1 };

/** The log level of a line: from its header when it has one, else from words in the line. */
export function detectLevel(line: string, headerLevel?: string): string | undefined {
  if (headerLevel) {
    const h = headerLevel.toUpperCase();
    if (/^(?:F|FATAL|CRIT|CRITICAL|PANIC|EMERG)/.test(h)) return 'FATAL';
    if (/^(?:E|ERR|ERROR|SEVERE)$/.test(h)) return 'ERROR';
    if (/^(?:W|WARN|WARNING)$/.test(h)) return 'WARN';
    if (/^(?:I|INFO|NOTICE)$/.test(h)) return 'INFO';
    if (/^(?:D|DEBUG|TRACE|V)$/.test(h)) return 'DEBUG';
  }
  for (const [re, level] of LEVELS) if (re.test(line)) return level;
  return undefined;
}

interface Acc {
  count: number;
  baselineCount: number;
  first?: number;
  last?: number;
  level?: string;
  samples: EvidenceRef[];
  times: number[];
}

/** The first line of a (possibly multi-line) event. */
function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return (nl < 0 ? message : message.slice(0, nl)).replace(/\r$/, '');
}

/**
 * Mines templates over window logs and baseline logs and reports each template seen in the
 * window: count, baseline count, first/last seen (ISO-8601), highest level, 3 exact sample lines,
 * new/spiking against the baseline (only when baseline logs were collected; spiking compares
 * rates per ms of each window when timestamps allow, counts otherwise), and a timeline of counts
 * per bucket when timestamps are known.
 *
 * @param window the incident window (ISO-8601 strings), used for rates and the timeline.
 * @returns patterns sorted by level rank (ERROR first), then by count.
 */
export function minePatterns(
  logs: readonly LogEvent[],
  baselineLogs: readonly LogEvent[],
  windows: { window?: { start: string; end: string }; baseline?: { start: string; end: string } } = {},
  options: AnalyzeOptions = {},
): LogPattern[] {
  if (logs.length === 0) return [];
  const miner = new TemplateMiner();
  const parsed = (event: LogEvent) => {
    const line = firstLine(event.message);
    const header = detectHeader(line);
    const content = header.content.trim() === '' ? line : header.content;
    return { line, content, timestamp: event.timestamp ?? header.timestampMs, level: detectLevel(line, header.level) };
  };
  const base = baselineLogs.map(parsed);
  const win = logs.map(parsed);
  // Pass 1 mines; templates only merge as mining goes on, so every id handed out is then mapped
  // to its final template once, through one representative line (not every line again).
  const baseIds = base.map((p) => miner.add(p.content, p.timestamp).templateId);
  const winIds = win.map((p) => miner.add(p.content, p.timestamp).templateId);
  const representative = new Map<string, string>();
  base.forEach((p, i) => { if (!representative.has(baseIds[i]!)) representative.set(baseIds[i]!, p.content); });
  win.forEach((p, i) => { if (!representative.has(winIds[i]!)) representative.set(winIds[i]!, p.content); });
  const final = new Map<string, { templateId: string; template: string }>();
  for (const [id, content] of representative) {
    const m = miner.match(content);
    final.set(id, m ? { templateId: m.templateId, template: m.template } : { templateId: id, template: content });
  }

  const accs = new Map<string, { template: string; acc: Acc }>();
  const entry = (firstId: string) => {
    const match = final.get(firstId)!;
    let e = accs.get(match.templateId);
    if (!e) { e = { template: match.template, acc: { count: 0, baselineCount: 0, samples: [], times: [] } }; accs.set(match.templateId, e); }
    return e;
  };
  baseIds.forEach((id) => { entry(id).acc.baselineCount++; });
  win.forEach((p, i) => {
    const { acc } = entry(winIds[i]!);
    const event = logs[i]!;
    acc.count++;
    if (p.timestamp !== undefined) {
      acc.first = acc.first === undefined ? p.timestamp : Math.min(acc.first, p.timestamp);
      acc.last = acc.last === undefined ? p.timestamp : Math.max(acc.last, p.timestamp);
      acc.times.push(p.timestamp);
    }
    if (p.level && (!acc.level || LEVEL_RANK[p.level]! > LEVEL_RANK[acc.level]!)) acc.level = p.level;
    if (acc.samples.length < 3 && !acc.samples.some((s) => s.text === p.line)) {
      acc.samples.push(event.line === undefined ? { text: p.line, source: event.source } : { text: p.line, source: event.source, line: event.line });
    }
  });

  const hasBaseline = baselineLogs.length > 0;
  const span = (w?: { start: string; end: string }): number | undefined => {
    if (!w) return undefined;
    const ms = Date.parse(w.end) - Date.parse(w.start);
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  };
  const windowMs = span(windows.window);
  const baselineMs = span(windows.baseline);
  const factor = options.spikeFactor ?? 3;
  const buckets = options.timelineBuckets ?? 30;
  const allTimes = win.map((p) => p.timestamp).filter((t): t is number => t !== undefined);
  const start = windows.window && Number.isFinite(Date.parse(windows.window.start)) ? Date.parse(windows.window.start) : allTimes.length ? Math.min(...allTimes) : undefined;
  const end = windows.window && Number.isFinite(Date.parse(windows.window.end)) ? Date.parse(windows.window.end) : allTimes.length ? Math.max(...allTimes) + 1 : undefined;

  const patterns: LogPattern[] = [];
  for (const [templateId, { template, acc }] of accs) {
    if (acc.count === 0) continue;
    let isSpiking = false;
    if (hasBaseline && acc.baselineCount > 0) {
      const windowRate = windowMs ? acc.count / windowMs : acc.count;
      const baseRate = baselineMs ? acc.baselineCount / baselineMs : acc.baselineCount;
      isSpiking = windowRate >= factor * baseRate;
    }
    let timeline: LogPattern['timeline'];
    if (start !== undefined && end !== undefined && end > start && acc.times.length > 0) {
      const bucketMs = Math.max(1, Math.ceil((end - start) / buckets));
      const counts = new Array<number>(buckets).fill(0);
      for (const t of acc.times) {
        const i = Math.floor((t - start) / bucketMs);
        if (i >= 0 && i < buckets) counts[i]!++;
      }
      timeline = { bucketMs, start, counts };
    }
    patterns.push({
      templateId, template, count: acc.count, baselineCount: acc.baselineCount,
      ...(acc.first !== undefined ? { firstSeen: new Date(acc.first).toISOString(), lastSeen: new Date(acc.last!).toISOString() } : {}),
      ...(acc.level ? { level: acc.level } : {}),
      samples: acc.samples,
      isNew: hasBaseline && acc.baselineCount === 0,
      isSpiking,
      ...(timeline ? { timeline } : {}),
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
  const all = minePatterns(context.logs, context.baselineLogs, { window: incident.window, baseline: incident.baseline }, { ...options, maxPatterns: Number.POSITIVE_INFINITY });
  const patterns = all.slice(0, options.maxPatterns ?? 50);
  const kubernetes = runKubernetesAnalyzers(context);
  const errors = kubernetes.errors;
  const findings = [...kubernetes.findings, ...analyzeLatency(context)];
  const signatureMatches = matchSignatures(context, all, findings, { incident });
  const failureStates = matchFailureStates(context, incident).map(({ state, evidence }) => ({ id: state.id, label: state.label, causes: state.causes, evidence }));
  return { analysis: { patterns, findings, signatureMatches, failureStates }, errors };
}
