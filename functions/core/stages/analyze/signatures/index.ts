/**
 * Known-failure signatures (analyze stage): matches the catalogue against every evidence line
 * of a collected context, its incident, the mined log patterns and the findings, and returns one
 * {@link SignatureMatch} per (signature, line) quoting the exact line.
 *
 * Relevance: a describe line or event about another workload than the one the incident names
 * weighs half ({@link OTHER_OBJECT_FACTOR}); a `FailedCreate` followed by `SuccessfulCreate` in
 * the same source was transient and weighs 0.6 of its signature.
 *
 * Precedence on one line: when several signatures match the same line, only the most specific
 * (highest weight) verdicts are kept, so `Failed to pull image … pull access denied` counts as
 * `image_pull_auth`, not also as a generic pull failure, and `MountVolume.SetUp failed … configmap
 * "x" not found` as `missing_config_reference`, not as `volume_mount_failure`.
 */
import type { Category } from '../../../model/categories.js';
import type { CollectedContext } from '../../../model/evidence.js';
import type { Incident } from '../../../model/incident.js';
import type { Finding, LogPattern, SignatureMatch } from '../../../model/analysis.js';
import { COMPUTED_SIGNATURES, SIGNATURES, type ComputedSignature, type Signature } from './catalogue.js';
import { isHandled } from './benign.js';
import { contextEvidenceLines, incidentLines, logEvidenceLines, LineIndex, refOf, type EvidenceLine } from './lines.js';
import { signatureIndexOf, PREFILTER_MIN_LINES, type SignatureIndex } from './prefilter.js';

export { SIGNATURES, COMPUTED_SIGNATURES, SCHEDULING_SIGNATURE, LAMBDA_REPORT_SIGNATURE, coveredCategories } from './catalogue.js';
export type { Signature, ComputedSignature } from './catalogue.js';
export { evidenceLines, contextEvidenceLines, logEvidenceLines, eventRef, eventText, incidentLines, refOf, LineIndex, type EvidenceLine, type LineKind } from './lines.js';

/** Options of {@link matchSignatures}. */
export interface MatchOptions {
  /** The incident, whose title, reason, alarm and labels are matched too. */
  readonly incident?: Incident;
  /** Matches kept per signature (distinct lines, first seen first); default 5. */
  readonly maxPerSignature?: number;
  /**
   * Above this many log events, log lines are not all matched one by one: the samples of the
   * mined patterns (every template keeps exemplars) stand for them, plus the first and last
   * `edgeLines` log lines. Describe lines, events and the incident are always matched in full.
   * Default 20 000 (about 0.5 s of matching).
   */
  readonly fullLogMatchLimit?: number;
  readonly edgeLines?: number;
  /** Replace the catalogue (tests). */
  readonly signatures?: readonly Signature[];
  readonly computed?: readonly ComputedSignature[];
}

const DEFAULT_KINDS = new Set(['log', 'describe', 'event', 'incident']);

/** Weight factor of a line about another workload than the one the incident names. */
export const OTHER_OBJECT_FACTOR = 0.5;

/** Names of the workloads an incident is about (resources and labels), for relevance. */
export function incidentSubjects(incident: Incident | undefined): string[] {
  if (!incident) return [];
  const names = new Set<string>();
  for (const r of incident.resources) if (!/::|^(?:Cluster|Namespace)$/.test(r.type)) names.add(r.name);
  for (const key of ['pod', 'deployment', 'job_name', 'statefulset', 'daemonset']) if (incident.labels[key]) names.add(incident.labels[key]!);
  return [...names].filter((n) => n.length > 2);
}

const WORKLOAD_KIND = /^(?:pods?|po|deployments?|deploy|replicasets?|rs|statefulsets?|sts|daemonsets?|ds|jobs?|cronjobs?)$/i;

/**
 * False only when the line is about a workload (pod, deployment, job, …) that is clearly not one
 * of the subjects. Lines about nodes, volumes or other kinds may affect any workload: kept.
 */
function aboutSubject(line: EvidenceLine, subjects: readonly string[]): boolean {
  if (subjects.length === 0 || !line.objectName) return true;
  const kind = /^([A-Za-z.]+)\//.exec(line.objectName)?.[1] ?? line.objectKind;
  if (kind && !WORKLOAD_KIND.test(kind)) return true;
  const name = line.objectName.replace(/^[A-Za-z.]+\//, '');
  return subjects.some((s) => s === name || name.startsWith(`${s}-`) || s.startsWith(`${name}-`));
}

/** A `FailedCreate` later followed by a `SuccessfulCreate` in the same source was transient. */
const FAILED_CREATE = /\bFailedCreate\b/;
const SUCCESSFUL_CREATE = /\bSuccessfulCreate\b|Created pod: /;
const TRANSIENT_FACTOR = 0.6;

/**
 * Verdicts of every signature on one line, most specific only. With `prefilter` (the signatures'
 * {@link prefilterOf}), only the signatures whose required literals the line holds are run: the
 * same verdicts, faster on many lines.
 * @returns (signature id, category, weight) triples, all of the line's top weight tier.
 */
export function classifyLine(
  line: EvidenceLine,
  signatures: readonly Signature[] = SIGNATURES,
  computed: readonly ComputedSignature[] = COMPUTED_SIGNATURES,
  prefilter?: SignatureIndex,
): Array<{ signatureId: string; category: Category; weight: number }> {
  const verdicts: Array<{ signatureId: string; category: Category; weight: number }> = [];
  // A message logged inside a JSON string keeps its quotes escaped (`User \"system:…\" cannot`):
  // match the message as its component wrote it; the evidence still quotes the exact line.
  if (line.text.includes('\\"')) line = { ...line, text: line.text.replace(/\\"/g, '"') };
  // A CloudWatch alarm notification going from ALARM back to OK reports a recovery, not a failure
  // (a flip from INSUFFICIENT_DATA is the alarm's own signal and stays).
  if ((/"NewStateValue":\s?"OK"/.test(line.text) && !/"OldStateValue":\s?"INSUFFICIENT_DATA"/.test(line.text)) || /\bState Change:\s+ALARM -> OK\b/.test(line.text)) return [];
  // Boilerplate is not evidence: a pod's tolerations (`node.kubernetes.io/memory-pressure:NoSchedule
  // op=Exists`, added to every DaemonSet pod by default) name conditions the pod merely tolerates.
  if (/\bop=(?:Exists|Equal)\b/.test(line.text)) return [];
  // An exception the application handled (mapped to a response, a client's malformed request): `benign.ts`.
  if (isHandled(line.text)) return [];
  // A retry that succeeded was transient: its error counts for little.
  if (SUCCESSFUL_RETRY.test(line.text)) {
    return classifyLine({ ...line, text: line.text.replace(SUCCESSFUL_RETRY_WORDS, ' ') }, signatures, computed, prefilter)
      .map((v) => ({ ...v, weight: Math.round(v.weight * RETRY_SUCCEEDED_FACTOR * 1000) / 1000 }));
  }
  // A multi-line message logged on one line keeps its newlines escaped (`Traceback …\n  File …`,
  // a JSON `errorMessage` or `stacktrace`): each embedded line is matched as the line it was.
  if (line.text.includes('\\n')) {
    const segments = line.text.split(/(?:\\r)?\\n/).filter((t) => t.trim() !== '').slice(0, MAX_SEGMENTS);
    if (segments.length > 1) {
      for (const text of segments) verdicts.push(...classifyLine({ ...line, text: text.replace(/\\t/g, '\t') }, signatures, computed, prefilter));
      return topTier(verdicts);
    }
  }
  // only the signatures whose required literals the line holds can match it
  const admitted = prefilter?.admit(line.text);
  for (const signature of admitted ? admitted.signatures : signatures) {
    const kinds = signature.on ?? null;
    if (kinds ? !kinds.includes(line.kind) : !DEFAULT_KINDS.has(line.kind)) continue;
    if (signature.reason && line.kind === 'event' && !signature.reason.test(line.reason ?? '')) continue;
    if (!signature.pattern.test(line.text)) continue;
    if (signature.unless?.test(line.text)) continue;
    verdicts.push({ signatureId: signature.id, category: signature.category, weight: signature.weight });
  }
  for (const signature of computed) {
    if (admitted && signature.requires && !admitted.computed.has(signature)) continue;
    for (const verdict of signature.evaluate(line)) verdicts.push({ signatureId: signature.id, ...verdict });
  }
  return topTier(verdicts);
}

/** A retry that succeeded, on the same line. */
const SUCCESSFUL_RETRY = /\bretr(?:y|ying|ied|ies)\b.{0,200}\b(?:succeeded|successful(?:ly)?|recovered)\b|\b(?:succeeded|recovered) (?:on|after) (?:retry|\d+ (?:retries|attempts))\b/i;
const SUCCESSFUL_RETRY_WORDS = /\b(?:succeeded|successful(?:ly)?|recovered)\b/gi;
/** A line reporting that a retried call then succeeded (`PutItem succeeded on attempt 2`, `succeeded after retry`). */
const SUCCEEDED_AFTER_RETRY = /\b(?:succeeded|successful(?:ly)?|recovered|completed)\b.{0,80}\b(?:retry|retries|retried|on attempt)\b|\b(?:succeeded|recovered) (?:on|after)\b/i;
/** Weight factor of a verdict on a line that reports its retry succeeded. */
export const RETRY_SUCCEEDED_FACTOR = 0.3;

/** Escaped lines of one log line matched at most (a stack trace's first frames name its cause). */
const MAX_SEGMENTS = 40;

/** The verdicts of a line's top weight tier (within 0.05 of the best), one per category. */
function topTier(verdicts: Array<{ signatureId: string; category: Category; weight: number }>): Array<{ signatureId: string; category: Category; weight: number }> {
  if (verdicts.length <= 1) return verdicts;
  const top = Math.max(...verdicts.map((v) => v.weight));
  // Keep the top verdict, and other categories only when the line names them as strongly
  // (a scheduler message listing two predicates of equal standing).
  const kept = new Map<Category, { signatureId: string; category: Category; weight: number }>();
  for (const verdict of verdicts.sort((a, b) => b.weight - a.weight)) {
    if (verdict.weight < top - 0.05) continue;
    if (!kept.has(verdict.category)) kept.set(verdict.category, verdict);
  }
  return [...kept.values()];
}

/**
 * Matches the known-failure signatures against a collected context.
 *
 * Lines looked at: log events (each physical line), `kubectl describe` lines, Kubernetes events,
 * the incident (when `options.incident` is given), the samples of mined log patterns and the
 * evidence lines of findings that are exact input lines. Each match quotes the exact line with its source and line number.
 *
 * @param context collected context (logs, describes, events …)
 * @param patterns mined log patterns; their sample lines are matched too
 * @param findings analyzer findings; their evidence lines are matched too
 * @returns matches sorted by weight (highest first), then by input order; at most
 *   `maxPerSignature` per signature, one per distinct line text.
 * @throws nothing: a line no signature matches is simply not reported.
 * @example
 * const matches = matchSignatures(context, analysis.patterns, findings, { incident });
 */
export function matchSignatures(
  context: CollectedContext,
  patterns: readonly LogPattern[],
  findings: readonly Finding[],
  options: MatchOptions = {},
): SignatureMatch[] {
  const maxPer = options.maxPerSignature ?? 5;
  const limit = options.fullLogMatchLimit ?? 20_000;
  const edge = options.edgeLines ?? 2_000;
  const sampled = context.logs.length > limit && patterns.length > 0;
  const logsToMatch = sampled ? [...context.logs.slice(0, edge), ...context.logs.slice(-edge)] : context.logs;
  const shared = contextEvidenceLines(context);
  const lines: EvidenceLine[] = [...shared.structured, ...(sampled ? logEvidenceLines(logsToMatch) : shared.logs), ...incidentLines(options.incident)];
  for (const pattern of patterns) {
    for (const sample of pattern.samples) lines.push({ kind: 'log', text: sample.text, source: sample.source, line: sample.line });
  }
  // Findings' evidence: only exact input lines (a rendered object field is the analyzer's own
  // reading, already carried by the finding's category).
  const exact = LineIndex.of(context);
  for (const finding of findings) {
    for (const ref of finding.evidence) {
      if (exact.get(ref.source, ref.line) !== ref.text) continue;
      lines.push({ kind: 'describe', text: ref.text, source: ref.source, line: ref.line, objectKind: finding.kind, objectName: finding.name });
    }
  }

  const sourcesWithCreate = new Set(lines.filter((l) => SUCCESSFUL_CREATE.test(l.text)).map((l) => l.source));
  // A line that reports a retry succeeded makes the error just before it (up to 3 lines) transient.
  const successAt = new Set(lines.filter((l) => l.line !== undefined && SUCCEEDED_AFTER_RETRY.test(l.text)).map((l) => `${l.source}\u0000${l.line}`));
  const retriedOk = (line: EvidenceLine): boolean => {
    if (successAt.size === 0 || line.line === undefined) return false;
    for (let k = 1; k <= 3; k++) if (successAt.has(`${line.source}\u0000${line.line + k}`)) return true;
    return false;
  };
  // The pre-filter pays for itself from a few thousand lines on; a cold start's few lines skip building it.
  const prefilter = lines.length >= PREFILTER_MIN_LINES ? signatureIndexOf(options.signatures ?? SIGNATURES, options.computed ?? COMPUTED_SIGNATURES) : undefined;
  const subjects = incidentSubjects(options.incident);
  const perSignature = new Map<string, SignatureMatch[]>();
  const seen = new Set<string>();
  const order: SignatureMatch[] = [];
  for (const line of lines) {
    for (const verdict of classifyLine(line, options.signatures, options.computed, prefilter)) {
      const dedupe = `${verdict.signatureId}\u0000${verdict.category}\u0000${line.text.trim()}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      const list = perSignature.get(verdict.signatureId) ?? [];
      if (list.length >= maxPer) continue;
      const transient = FAILED_CREATE.test(line.text) && sourcesWithCreate.has(line.source);
      let weight = transient ? verdict.weight * TRANSIENT_FACTOR : verdict.weight;
      if (retriedOk(line)) weight *= RETRY_SUCCEEDED_FACTOR;
      if (!aboutSubject(line, subjects)) weight *= OTHER_OBJECT_FACTOR;
      weight = Math.round(weight * 1000) / 1000;
      const match: SignatureMatch = { signatureId: verdict.signatureId, category: verdict.category, weight, evidence: refOf(line) };
      list.push(match);
      perSignature.set(verdict.signatureId, list);
      order.push(match);
    }
  }
  return order
    .map((match, index) => ({ match, index }))
    .sort((a, b) => b.match.weight - a.match.weight || a.index - b.index)
    .map(({ match }) => match);
}

/**
 * The category a single text points to, by the most specific signature matching it (as a log
 * line and as a structured line), or `undefined` when none reaches `minWeight` (default 0.5:
 * a generic symptom such as a restart loop does not name a cause).
 */
export function categorizeText(text: string, minWeight = 0.5): { category: Category; weight: number; signatureId: string } | undefined {
  let best: { category: Category; weight: number; signatureId: string } | undefined;
  for (const kind of ['describe', 'log'] as const) {
    for (const verdict of classifyLine({ kind, text, source: 'text' })) {
      if (verdict.weight >= minWeight && (!best || verdict.weight > best.weight)) best = verdict;
    }
  }
  return best;
}
