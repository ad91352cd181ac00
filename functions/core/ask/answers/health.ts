/**
 * "Is X healthy now?": a verdict — healthy, degraded, failing, or cannot tell — from what the
 * evidence shows of X: its pods (Running/Ready, waiting reasons, last termination, restarts),
 * the failure findings of the Kubernetes analyzers, and its error messages in the most recent
 * part of the evidence against the part before (new, spiking, or steady at their usual rate).
 */
import type { CollectedContext, DescribeBlock, KubernetesObject } from '../../model/evidence.js';
import type { Finding } from '../../model/analysis.js';
import { runKubernetesAnalyzers } from '../../stages/analyze/kubernetes/index.js';
import { iso, locate, quoteText, type EvidenceLine, type ScopedEvidence } from './evidence.js';
import { citeLine, summarizeMessages } from './logs.js';
import type { Citation, PartialAnswer } from './types.js';

/** The answer to "is X healthy". */
export type HealthVerdict = 'healthy' | 'degraded' | 'failing' | 'cannot tell';

/** The most recent stretch of the evidence that stands for "now", in milliseconds (10 minutes). */
export const RECENT_MS = 10 * 60_000;
/** Evidence whose newest dated line is older than this (30 minutes) may not show the current state. */
export const STALE_MS = 30 * 60_000;
/** An error message is spiking when its recent rate is at least this many times its earlier rate. */
export const SPIKE_FACTOR = 3;
/** …and it occurred at least this often recently. */
export const SPIKE_MIN_COUNT = 3;

/** One pod as the evidence shows it. */
export interface PodState {
  readonly name: string;
  readonly phase?: string;
  readonly ready?: boolean;
  /** Waiting reason of a container (`CrashLoopBackOff`, `ImagePullBackOff`), if any. */
  readonly waiting?: string;
  /** Last termination reason and exit code (`OOMKilled (exit 137)`), if any. */
  readonly lastTerminated?: string;
  readonly restarts: number;
  readonly source: string;
  readonly line?: number;
  /** The exact lines that show the state (describe `Ready:`, `Reason:`, `Restart Count:`). */
  readonly lines: ReadonlyArray<{ readonly text: string; readonly line: number }>;
}

/** Pod states from `kubectl describe pod` blocks and Pod objects. */
export function podStates(describes: readonly DescribeBlock[], objects: readonly KubernetesObject[]): PodState[] {
  const pods: PodState[] = [];
  for (const d of describes) {
    if (d.kind && d.kind !== 'Pod') continue;
    const f = d.fields;
    const containers = [...new Set(Object.keys(f).filter((k) => /^Containers\.[^.]+\.Ready$/.test(k)).map((k) => k.split('.')[1]!))];
    if (containers.length === 0 && f['Status'] === undefined) continue;
    const ready = f['Conditions.Ready'] !== undefined ? f['Conditions.Ready'] === 'True' : containers.length ? containers.every((c) => f[`Containers.${c}.Ready`] === 'True') : undefined;
    const waitingIn = containers.find((c) => f[`Containers.${c}.State`] === 'Waiting' && f[`Containers.${c}.State.Reason`]);
    const waiting = waitingIn ? f[`Containers.${waitingIn}.State.Reason`] : undefined;
    const lastC = containers.find((c) => f[`Containers.${c}.Last State.Reason`]);
    const restarts = containers.reduce((n, c) => n + (Number(f[`Containers.${c}.Restart Count`]) || 0), 0);
    const textLines = d.text.split('\n');
    const lines = textLines
      .map((text, i) => ({ text, line: d.line + i }))
      .filter(({ text }) => /^\s*(?:Status:|Ready:|Reason:|Exit Code:|Restart Count:|State:|Last State:)/.test(text) && !/^\s*(?:Conditions|Type)\b/.test(text));
    pods.push({
      name: d.name ?? f['Name'] ?? 'pod', phase: f['Status'], ...(ready !== undefined ? { ready } : {}),
      ...(waiting ? { waiting } : {}),
      ...(lastC ? { lastTerminated: `${f[`Containers.${lastC}.Last State.Reason`]}${f[`Containers.${lastC}.Last State.Exit Code`] ? ` (exit ${f[`Containers.${lastC}.Last State.Exit Code`]})` : ''}` } : {}),
      restarts, source: d.source, line: d.line, lines,
    });
  }
  for (const o of objects) {
    if (o.kind !== 'Pod' || pods.some((p) => p.name === o.metadata?.name)) continue;
    const statuses = (o.status?.containerStatuses ?? []) as Array<{ ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string } }; lastState?: { terminated?: { reason?: string; exitCode?: number } } }>;
    const last = statuses.find((s) => s.lastState?.terminated?.reason)?.lastState?.terminated;
    const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason;
    pods.push({
      name: o.metadata?.name ?? 'pod', phase: o.status?.phase, ...(statuses.length ? { ready: statuses.every((s) => s.ready === true) } : {}),
      ...(waiting ? { waiting } : {}),
      ...(last ? { lastTerminated: `${last.reason}${last.exitCode !== undefined ? ` (exit ${last.exitCode})` : ''}` } : {}),
      restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0), source: o._source ?? 'kubernetes-api', ...(o._line !== undefined ? { line: o._line } : {}), lines: [],
    });
  }
  return pods;
}

/** How one error message behaves now against before. */
export interface ErrorTrend {
  readonly template: string;
  readonly recent: number;
  readonly earlier: number;
  readonly trend: 'new' | 'spiking' | 'steady' | 'gone';
  readonly latest: EvidenceLine;
}

/**
 * Error messages (ERROR lines) of the last {@link RECENT_MS} of the evidence (ending at its newest
 * dated line) against the stretch before it (and the collector's baseline lines): `new` when absent
 * before, `spiking` when the recent rate is {@link SPIKE_FACTOR}× the earlier rate and at least
 * {@link SPIKE_MIN_COUNT}, `gone` when seen only before, else `steady`.
 */
export function errorTrends(lines: readonly EvidenceLine[], baseline: readonly EvidenceLine[]): { trends: ErrorTrend[]; recentFrom?: number; end?: number; earlierMs: number } {
  const dated = lines.filter((l) => l.timestamp !== undefined);
  const errors = [...lines, ...baseline].filter((l) => l.level === 'ERROR');
  if (dated.length === 0) {
    return { trends: summarizeMessages(errors).map((m) => ({ template: m.template, recent: m.count, earlier: 0, trend: 'steady' as const, latest: m.latest })), earlierMs: 0 };
  }
  const end = Math.max(...dated.map((l) => l.timestamp!));
  const recentFrom = end - RECENT_MS;
  const start = Math.min(...[...dated, ...baseline.filter((l) => l.timestamp !== undefined)].map((l) => l.timestamp!));
  const earlierMs = Math.max(0, recentFrom - start);
  const isRecent = (l: EvidenceLine) => l.timestamp !== undefined && l.timestamp > recentFrom && !baseline.includes(l);
  const recentIds = new Set(errors.filter(isRecent));
  const trends: ErrorTrend[] = [];
  for (const m of summarizeMessages(errors)) {
    const recent = m.lines.filter((l) => recentIds.has(l)).length;
    const earlier = m.lines.length - recent;
    const recentRate = recent / RECENT_MS;
    const earlierRate = earlierMs > 0 ? earlier / earlierMs : 0;
    const trend = recent === 0 ? 'gone' : earlier === 0 ? (earlierMs > 0 ? 'new' : 'steady') : recent >= SPIKE_MIN_COUNT && recentRate >= SPIKE_FACTOR * earlierRate ? 'spiking' : 'steady';
    trends.push({ template: m.template, recent, earlier, trend, latest: m.latest });
  }
  return { trends, recentFrom, end, earlierMs };
}


const EMPTY: CollectedContext = { logs: [], baselineLogs: [], kubernetesObjects: [], kubernetesEvents: [], describes: [], metrics: [], priorDiagnoses: [], degraded: [] };

/** The health answer, with the verdict on its own for callers and tests. */
export interface HealthAnswer extends PartialAnswer {
  readonly verdict: HealthVerdict;
}

/**
 * Answers "is X healthy now" over the evidence about X.
 * - `cannot tell`: the evidence does not mention X (or holds nothing to check).
 * - `failing`: a pod is not Ready or waits in a back-off, or a critical finding.
 * - `degraded`: restarts, a warning finding, or error messages that are new or spiking now.
 * - `healthy`: pods Running and Ready without restarts, no finding, errors absent or steady at their usual rate.
 * @param who how the subject is written ("checkout").
 * @param hint how to give evidence (`--evidence FILE` on the CLI), for `cannot tell`.
 * @param now the clock: when the newest dated line is older than {@link STALE_MS}, the answer says the evidence may not show the current state.
 * @example
 *   answerHealth('checkout', scopeEvidence(context, { name: 'checkout', kind: 'workload' }), 'run again with --evidence FILE').verdict;
 *   // → 'failing' for examples/checkout-oom (CrashLoopBackOff after OOMKilled, pod not Ready)
 */
export function answerHealth(who: string, scoped: ScopedEvidence, hint: string, now?: Date): HealthAnswer {
  if (!scoped.covered) {
    return { verdict: 'cannot tell', answer: `Cannot tell: the evidence I have (${scoped.sources.join(', ') || 'none'}) does not cover ${who}${scoped.otherNames.length ? `; it is about ${scoped.otherNames.slice(0, 4).join(', ')}` : ''}. To check ${who}, ${hint}.`, citations: [] };
  }
  const pods = podStates(scoped.describes, scoped.objects);
  const analyzed = runKubernetesAnalyzers({ ...EMPTY, describes: scoped.describes, kubernetesEvents: scoped.events, kubernetesObjects: scoped.objects }).findings;
  // The same event shown by `kubectl describe` and `kubectl get events` is one finding here, with the lines of both.
  const same = (f: Finding, g: Finding) => g.severity === f.severity && g.kind === f.kind && g.name === f.name && g.message.replace(/^\d+ /, '') === f.message.replace(/^\d+ /, '');
  const findings = analyzed
    .filter((f, i) => analyzed.findIndex((g) => same(f, g)) === i)
    .map((f) => ({ ...f, evidence: analyzed.filter((g) => same(f, g)).flatMap((g) => g.evidence.slice(0, 2)) }));
  const trends = errorTrends(scoped.lines, scoped.baseline);
  const checked: string[] = [];
  const shown: Citation[] = [];
  const quoted: string[] = [];
  const cite = (text: string, source: string, line: number | undefined, title: string) => {
    const key = `${source}:${line}`;
    if (shown.some((c) => c.source === (line !== undefined ? key : source))) return;
    shown.push({ source: locate({ source, line }), title, text: quoteText(text) });
    quoted.push(`  ${locate({ source, line })}  ${quoteText(text.trim())}`);
  };

  let failing = false;
  let degraded = false;
  if (pods.length) {
    const notReady = pods.filter((p) => p.ready === false || /BackOff|Err|Error|CreateContainer/.test(p.waiting ?? ''));
    const restarting = pods.filter((p) => p.restarts > 0);
    failing ||= notReady.length > 0;
    degraded ||= restarting.length > 0;
    checked.push(`pods: ${pods.length} seen, ${pods.filter((p) => p.ready === true).length} Ready${pods.map((p) => `; ${p.name} ${p.phase ?? ''}${p.waiting ? `, waiting ${p.waiting}` : ''}${p.lastTerminated ? `, last terminated ${p.lastTerminated}` : ''}, ${p.restarts} restart${p.restarts === 1 ? '' : 's'}`).join('')}`);
    for (const p of [...notReady, ...restarting]) for (const l of p.lines.filter((x) => /Ready:|Reason:|Exit Code:|Restart Count:/.test(x.text)).slice(0, 4)) cite(l.text, p.source, l.line, `pod ${p.name}`);
  } else {
    checked.push('pods: none in the evidence (no kubectl describe or pod objects)');
  }
  const critical = findings.filter((f) => f.severity === 'critical');
  const warnings = findings.filter((f) => f.severity === 'warning');
  failing ||= critical.length > 0;
  degraded ||= warnings.length > 0;
  checked.push(findings.length ? `failure findings: ${findings.map((f: Finding) => `${f.severity} ${f.kind}/${f.name}: ${quoteText(f.message)}`).join('; ')}` : 'failure findings: none');
  for (const f of [...critical, ...warnings]) for (const e of f.evidence.slice(0, 2)) cite(e.text, e.source, e.line, `${f.analyzer} (${f.severity})`);

  const hot = trends.trends.filter((t) => t.trend === 'new' || t.trend === 'spiking');
  const steady = trends.trends.filter((t) => t.trend === 'steady');
  const gone = trends.trends.filter((t) => t.trend === 'gone');
  if (scoped.lines.length) {
    degraded ||= hot.length > 0;
    const span = trends.recentFrom !== undefined ? ` in the last ${RECENT_MS / 60_000} minutes of the evidence (${iso(trends.recentFrom)} to ${iso(trends.end)}) against the ${Math.round(trends.earlierMs / 60_000)} minutes before` : '';
    checked.push(`error messages${span}: ${trends.trends.length === 0 ? 'no ERROR lines' : `${hot.filter((t) => t.trend === 'new').length} new, ${hot.filter((t) => t.trend === 'spiking').length} spiking, ${steady.length} steady at their usual rate, ${gone.length} not seen recently`}${hot.length ? ` — ${hot.slice(0, 3).map((t) => `"${quoteText(t.template)}" ${t.trend} (${t.recent} recently, ${t.earlier} before)`).join('; ')}` : ''}`);
    for (const t of hot.slice(0, 3)) {
      const c = citeLine(t.latest);
      cite(t.latest.text, t.latest.source, t.latest.line, `${t.trend} error${c.title ? `, ${c.title}` : ''}`);
    }
  } else {
    checked.push('logs: none of this workload in the evidence');
  }

  const nothing = pods.length === 0 && findings.length === 0 && scoped.lines.length === 0;
  const verdict: HealthVerdict = nothing ? 'cannot tell' : failing ? 'failing' : degraded ? 'degraded' : 'healthy';
  if (verdict === 'healthy') {
    for (const p of pods) for (const l of p.lines.filter((x) => /Status:|Ready:|Restart Count:/.test(x.text)).slice(0, 3)) cite(l.text, p.source, l.line, `pod ${p.name}`);
    const t = steady[0];
    if (t) cite(t.latest.text, t.latest.source, t.latest.line, `steady error: ${t.recent} recently, ${t.earlier} before`);
    if (quoted.length === 0 && scoped.lines.length) {
      const l = scoped.lines[scoped.lines.length - 1]!;
      cite(l.text, l.source, l.line, 'latest line');
    }
  }
  const age = now && trends.end !== undefined ? now.getTime() - trends.end : 0;
  const stale = age > STALE_MS ? ` (The newest log line is from ${iso(trends.end)}, ${Math.round(age / 60_000)} minutes before now: the evidence may not show the current state.)` : '';
  const head = verdict === 'cannot tell'
    ? `Cannot tell whether ${who} is healthy: the evidence names it but holds no pod status, finding or log line to check. To check it, ${hint}.`
    : `${who}: ${verdict}${verdict === 'failing' ? ' now' : ''}.${stale}`;
  return {
    verdict,
    answer: `${head}\nChecked:\n${checked.map((c) => `- ${c}`).join('\n')}${quoted.length ? `\nLines that show it:\n${quoted.join('\n')}` : ''}`,
    citations: shown,
  };
}

