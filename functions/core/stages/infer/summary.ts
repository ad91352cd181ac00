/**
 * Summaries and quoted evidence of hypotheses: `<subject> <phrase> (evidence: "<line>").`, the
 * phrase being the category's in the category registry (`phrase`, or `selfPhrases` when the
 * subject is the very object the category is about); a state-derived hypothesis says what is
 * visible and why its cause leads; a healthy verdict says what was checked. Quoted lines are
 * redacted before they are cut.
 */
import { CATEGORIES, type Category } from '../../model/categories.js';
import { CATEGORY_REGISTRY, categoryTable } from '../../model/category-registry.js';
import type { CollectedContext, EvidenceRef } from '../../model/evidence.js';
import type { Incident } from '../../model/incident.js';
import type { Analysis } from '../../model/analysis.js';
import { LineIndex } from '../analyze/index.js';
import { redact } from '../compose/index.js';
import type { ActionNames } from './actions.js';
import type { Candidate } from './scoring.js';
import type { AlternativeOf, AlternativeSource } from './types.js';
import { WEIGHTS as W } from './weights.js';

/** Phrases for summaries: each category's `phrase` in the registry. */
export const PHRASES: Readonly<Partial<Record<Category, string>>> = categoryTable((r) => r.phrase);

/** Summary of a state-derived hypothesis: what is visible, that no line names the cause, why this cause leads. */
export function stateSummary(category: Category, subject: string, c: Candidate, evidence: readonly EvidenceRef[]): string {
  const st = c.state!;
  const line = redact(st.line.trim()).text;
  const quote = line.length > 140 ? `${line.slice(0, 137)}...` : line;
  const why = st.corroborated
    ? `the evidence also points to it${evidence[0] && evidence[0].text !== st.line ? ` ("${redact(evidence[0].text.trim()).text.slice(0, 100)}")` : ''}`
    : st.rank === 0 ? 'it is the most frequent cause of this state' : 'a less frequent cause of this state';
  return `${subject} shows ${st.label} (evidence: "${quote}"), but no line names its cause. Likely: it ${PHRASES[category] ?? category} — ${why}.`;
}

const SOURCE_WHY: Readonly<Record<AlternativeSource, string>> = {
  signature: 'the same line also names this cause',
  model: 'the classifier reads the same lines this way',
  confusion: 'this cause produces evidence that reads alike',
  state: 'it is another plausible cause of the failure state seen',
};

/**
 * Summary of an alternative: another reading of the lead's evidence, said to be less likely and why
 * it is considered (`Alternative to dns_resolution: … (evidence: "…") — the same line also names this cause.`).
 */
export function alternativeSummary(category: Category, subject: string, of: AlternativeOf, evidence: readonly EvidenceRef[]): string {
  const first = evidence[0] ? redact(evidence[0].text.trim()).text : undefined;
  const quote = first ? ` (evidence: "${first.length > 140 ? `${first.slice(0, 137)}...` : first}")` : '';
  const why = of.source === 'model' && of.probability !== undefined ? `${SOURCE_WHY.model} (p = ${of.probability.toFixed(2)})`
    : of.source === 'state' && of.state ? `it is another plausible cause of ${of.state}` : SOURCE_WHY[of.source];
  return `Less likely than ${of.lead}: ${subject} ${PHRASES[category] ?? category}${quote} — ${why}.`;
}

/**
 * What a healthy verdict says was checked: pods and restarts, error patterns against the baseline.
 * Error patterns whose every sample is a transient error that recovered (`recovered`, from
 * `recovery.ts`) are reported as such, not as errors, as are warning events a working pod started
 * after (`passedWarnings`).
 */
export function healthSummary(subject: string, context: CollectedContext, analysis: Analysis, recovered: (ref: EvidenceRef) => boolean = () => false, passedWarnings = 0): string | undefined {
  let pods = 0;
  let running = 0;
  let restarts = 0;
  for (const o of context.kubernetesObjects) {
    if (o.kind !== 'Pod') continue;
    pods++;
    const status = (o as { status?: { phase?: string; containerStatuses?: Array<{ restartCount?: number }> } }).status;
    if (status?.phase === 'Running' || status?.phase === 'Succeeded') running++;
    for (const cs of status?.containerStatuses ?? []) restarts += Number(cs.restartCount ?? 0);
  }
  for (const d of context.describes) {
    if ((d.kind ?? '').toLowerCase() !== 'pod') continue;
    pods++;
    if (/^(?:Running|Succeeded)\b/.test(d.fields['Status'] ?? '')) running++;
    for (const m of d.text.matchAll(/Restart Count:\s{0,40}(\d{1,6})/g)) restarts += Number(m[1]);
  }
  const errorLevel = analysis.patterns.filter((p) => p.level === 'ERROR' || p.level === 'FATAL');
  const transient = errorLevel.filter((p) => p.samples.length > 0 && p.samples.every(recovered));
  const errorPatterns = errorLevel.filter((p) => !transient.includes(p));
  const hasBaseline = context.baselineLogs.length > 0;
  const fresh = errorPatterns.filter((p) => p.isNew || p.isSpiking);
  if (pods > 0 && running < pods) return undefined;
  if (hasBaseline ? fresh.length > 0 : errorPatterns.length > 0) return undefined;
  if (pods === 0 && context.logs.length === 0 && context.kubernetesEvents.length === 0) return undefined;
  const parts: string[] = [];
  if (pods > 0) parts.push(`${running} pod${running === 1 ? '' : 's'} Running`, `${restarts} restart${restarts === 1 ? '' : 's'}`);
  parts.push(errorPatterns.length === 0 ? 'no error patterns' : `${errorPatterns.length} error pattern${errorPatterns.length === 1 ? '' : 's'} steady at baseline`);
  if (passedWarnings > 0) parts.push(`${passedWarnings} warning event${passedWarnings === 1 ? '' : 's'} before the pod started (it started after ${passedWarnings === 1 ? 'it' : 'them'})`);
  if (transient.length > 0) parts.push(`${transient.length} transient error pattern${transient.length === 1 ? '' : 's'} recovered (the component came up after them)`);
  if (context.logs.length > 0) parts.push(`${context.logs.length} log line${context.logs.length === 1 ? '' : 's'} read`);
  return `${subject} is healthy as far as this evidence shows: ${parts.join(', ')}; no failure state was seen.`;
}

/**
 * Evidence lines of a candidate: strongest first (an exact input line before a rendered object
 * field of equal strength), distinct, at most `max`.
 */
export function evidenceOf(c: Candidate, exact: LineIndex, max: number = W.evidence.perHypothesis): EvidenceRef[] {
  const seen = new Set<string>();
  const out: EvidenceRef[] = [];
  const bonus = (ref: EvidenceRef): number => (exact.get(ref.source, ref.line) === ref.text || ref.source === 'event' || ref.source.startsWith('event:') ? W.evidence.exactLineBonus : 0);
  const ordered = c.evidence.map((e, i) => ({ ...e, i, w: e.weight + bonus(e.ref) })).sort((a, b) => b.w - a.w || a.i - b.i);
  for (const { ref } of ordered) {
    const key = `${ref.source}\u0000${ref.line ?? ''}\u0000${ref.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ref);
    if (out.length >= max) break;
  }
  return out;
}

/** The resource a hypothesis is about, for its summary. */
export function subjectOf(c: Candidate, incident: Incident, names: ActionNames): string {
  const f = c.finding;
  if (f && f.name && f.name !== '?') return `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
  if (names.pod) return `Pod ${names.namespace ? `${names.namespace}/` : ''}${names.pod}`;
  if (names.deployment) return `Deployment ${names.namespace ? `${names.namespace}/` : ''}${names.deployment}`;
  if (names.job) return `Job ${names.namespace ? `${names.namespace}/` : ''}${names.job}`;
  if (names.function) return `Lambda function ${names.function}`;
  const r = incident.resources[0];
  if (r) return `${r.type} ${r.name}`;
  if (incident.namespace) return `namespace ${incident.namespace}`;
  return 'The workload';
}

/** Phrases when the subject is the very object the category is about (`PersistentVolumeClaim x cannot be bound`): the registry's `selfPhrases`. */
const SELF_PHRASES: Readonly<Record<string, string>> = Object.fromEntries(
  CATEGORIES.flatMap((c) => Object.entries(CATEGORY_REGISTRY[c].selfPhrases ?? {}).map(([kind, phrase]) => [`${c}|${kind}`, phrase])),
);

export function summaryOf(category: Category, subject: string, evidence: readonly EvidenceRef[]): string {
  const kind = subject.split(' ')[0] ?? '';
  const phrase = SELF_PHRASES[`${category}|${kind}`] ?? PHRASES[category] ?? category;
  // Masked before it is cut: a token cut in half would no longer look like one to the redaction.
  const first = evidence[0] ? redact(evidence[0].text.trim()).text : undefined;
  const quote = first ? ` (evidence: "${first.length > 160 ? `${first.slice(0, 157)}...` : first}")` : '';
  return `${subject} ${phrase}${quote}.`;
}
