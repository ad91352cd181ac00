/**
 * The infer stage: ranks root-cause hypotheses over the category catalogue.
 *
 * Signals, per category:
 * - signature matches: the strongest match of each signature, combined with diminishing returns
 *   (the first counts fully, each further one half);
 * - analyzer findings carrying the category: critical 0.85, warning 0.6, info 0.3, times 0.8 for
 *   the events analyzer (it restates event lines that signatures already read) and times 0.6 when
 *   the finding is about a resource other than the one the incident names;
 * - the incident's `hintedCategory`;
 * - retrieval: passages declaring the category, weakly (at most +0.06);
 * - the optional classifier's probabilities on the strongest evidence lines (linear blend at 0.3;
 *   the model reorders, but never lifts a category the rules put below the unknown threshold).
 *
 * Precedence: generic symptoms (`app_crash`, `job_failed`, `rollout_stuck`,
 * `service_no_endpoints`) are discounted when a specific cause scores 0.5 or more; a cause that
 * explains an effect (a NetworkPolicy denying egress explains DNS failures and timeouts) is
 * ranked just above the effect it explains. Below 0.3, `unknown` leads with a low confidence
 * (see {@link unknownConfidence}), never below the weaker alternatives that follow it.
 */
import { CATEGORIES, isCategory, type Category } from '../../model/categories.js';
import { CATEGORY_REGISTRY, categoryTable } from '../../model/category-registry.js';
import type { CollectedContext, Degradation, EvidenceRef } from '../../model/evidence.js';
import type { Incident } from '../../model/incident.js';
import type { Analysis, FailureStateSeen, Finding, Hypothesis, Retrieval, RunbookRef } from '../../model/analysis.js';
import { describeError } from '../../model/errors.js';
import type { CategoryClassifier } from '../../ports/model.port.js';
import { LineIndex } from '../analyze/index.js';
import { redact } from '../compose/index.js';
import { incidentSubjects } from '../analyze/index.js';
import { actionNames, actionsFor, type ActionNames } from './actions.js';

export { ACTION_CATALOGUE, PLATFORM_ACTIONS, actionNames, actionsFor, failingContainer, fillTemplate, deploymentOfPod, platformOf } from './actions.js';
export type { ActionNames, Platform } from './actions.js';

/** Input of {@link infer}. */
export interface InferInput {
  readonly incident: Incident;
  readonly context: CollectedContext;
  readonly analysis: Analysis;
  readonly retrieval: Retrieval;
}

/** Output of {@link infer}. */
export interface InferResult {
  readonly hypotheses: Hypothesis[];
  readonly model?: { id: string; sha256: string };
  readonly degraded: Degradation[];
}

/** Generic symptom categories (`role: 'symptom'` in the registry): a specific cause outranks them. */
export const SYMPTOM_CATEGORIES: ReadonlySet<Category> = new Set(CATEGORIES.filter((c) => CATEGORY_REGISTRY[c].role === 'symptom'));

/** Causes and the effects they explain (each category's `explains` in the registry). */
export const EXPLAINS: Readonly<Partial<Record<Category, readonly Category[]>>> = Object.freeze(
  Object.fromEntries(CATEGORIES.filter((c) => CATEGORY_REGISTRY[c].explains.length > 0).map((c) => [c, CATEGORY_REGISTRY[c].explains])),
);

/** Below this, `unknown` leads the ranking. */
export const UNKNOWN_THRESHOLD = 0.3;

/**
 * Confidence of a leading `unknown` when the best category scores `best` (< {@link UNKNOWN_THRESHOLD}):
 * `max(0.1, best)`. `unknown` is the honest answer when the evidence is thin, and its confidence
 * says how thin: 0.1 with no evidence at all, rising to just under 0.3 as the best candidate nears
 * the threshold. It equals the best alternative's confidence, so it is never shown below an
 * alternative that follows it, and it never reads as a confident diagnosis.
 */
export function unknownConfidence(best: number): number {
  return round(Math.max(0.1, Math.min(best, UNKNOWN_THRESHOLD)));
}
/** Score of a change event followed by new or spiking error patterns (a weak, correlational signal). */
export const DEPLOY_REGRESSION_SCORE = 0.45;
/** Highest confidence the rules give. */
export const MAX_CONFIDENCE = 0.97;
/** Hypotheses returned at most. */
export const MAX_HYPOTHESES = 5;

const SEVERITY_WEIGHT = { critical: 0.85, warning: 0.6, info: 0.3 } as const;
const SYMPTOM_DISCOUNT = 0.6;
const MODEL_BLEND = 0.3;

/** Phrases for summaries: each category's `phrase` in the registry. */
const PHRASES: Partial<Record<Category, string>> = categoryTable((r) => r.phrase);

/** Diminishing combination: the first value counts fully, each further one half. */
function combine(values: readonly number[]): number {
  const sorted = [...values].filter((v) => v > 0).sort((a, b) => b - a);
  let s = 0;
  sorted.forEach((v, i) => { s = s + (1 - s) * v * (i === 0 ? 1 : 0.5); });
  return s;
}

const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);
/** Relevance of a workload finding clearly about another resource than the incident's. */
export const OTHER_RESOURCE_FACTOR = 0.3;

/**
 * Is the finding about the incident's resource? 1 when yes, when its message names it, or when
 * the incident names none; {@link OTHER_RESOURCE_FACTOR} for a workload with another name; 0.7
 * for other kinds (a policy, quota or node that may or may not affect it).
 */
function relevance(finding: Finding, subjects: readonly string[]): number {
  if (subjects.length === 0 || !finding.name || finding.name === '?') return 1;
  const name = finding.name;
  const same = (s: string): boolean => s === name || s.startsWith(`${name}-`) || name.startsWith(`${s}-`);
  if (subjects.some(same)) return 1;
  if (subjects.some((s) => new RegExp(`(?:^|[^\\w-])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|[^\\w-])`).test(finding.message))) return 1;
  return WORKLOAD_KINDS.has(finding.kind) ? OTHER_RESOURCE_FACTOR : 0.7;
}

/**
 * The workload a finding belongs to: pods collapse to their owner by name (`web-7c9d8f6b5-x2k4q`
 * → `web`, `job-abcde` → `job`, `db-0` → `db`), other kinds stay themselves.
 */
export function ownerOf(finding: Pick<Finding, 'kind' | 'name' | 'namespace'>): string {
  const name = finding.name ?? '?';
  const owner = finding.kind === 'Pod'
    ? name.replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, '').replace(/-[a-z0-9]{5}$/, '').replace(/-\d+$/, '')
    : `${finding.kind}/${name}`;
  return `${finding.namespace ?? ''}/${owner}`;
}

interface Candidate {
  category: Category;
  signatures: number;
  findings: number;
  hint: number;
  retrieval: number;
  model: number;
  score: number;
  evidence: Array<{ ref: EvidenceRef; weight: number }>;
  finding?: Finding;
  /** Set when the hypothesis comes from a failure state that no line explains (see {@link applyFailureStates}). */
  state?: { label: string; line: string; rank: number; corroborated: boolean };
}

/**
 * Ranks the categories for the incident without building hypotheses: category and calibrated
 * confidence, best first (all categories with any signal). Exposed for evaluations.
 */
export function rankCategories(input: InferInput, modelScores?: ReadonlyMap<Category, number>): Array<{ category: Category; confidence: number; scores: Record<string, number> }> {
  return Array.from(scoreCandidates(input, modelScores).values())
    .sort((a, b) => b.score - a.score)
    .map((c) => ({ category: c.category, confidence: round(c.score), scores: { signatures: round(c.signatures), findings: round(c.findings), hint: round(c.hint), retrieval: round(c.retrieval), model: round(c.model) } }));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A log line no signature matched, with the classifier's best category for it. */
interface ModelLine {
  readonly ref: EvidenceRef;
  readonly category: Category;
  readonly probability: number;
}

/** Probability the classifier needs on an unmatched error line to propose its category. */
export const MODEL_LINE_MIN_PROBABILITY = 0.75;
/** Distinct unmatched lines (different templates) that must agree before the model alone proposes a category. */
export const MODEL_LINE_MIN_AGREEING = 2;
/** Highest score a hypothesis resting on the model alone may reach (modest: no rule confirms it). */
export const MODEL_ONLY_MAX_SCORE = 0.45;

function scoreCandidates(input: InferInput, modelScores?: ReadonlyMap<Category, number>, modelLines: readonly ModelLine[] = []): Map<Category, Candidate> {
  const { incident, analysis, retrieval } = input;
  const candidates = new Map<Category, Candidate>();
  const get = (category: Category): Candidate => {
    let c = candidates.get(category);
    if (!c) { c = { category, signatures: 0, findings: 0, hint: 0, retrieval: 0, model: 0, score: 0, evidence: [] }; candidates.set(category, c); }
    return c;
  };

  // Signatures: strongest match per signature id.
  const perSignature = new Map<string, { category: Category; weight: number }>();
  for (const m of analysis.signatureMatches) {
    if (m.category === 'unknown') continue;
    const key = `${m.signatureId}\u0000${m.category}`;
    const prev = perSignature.get(key);
    if (!prev || m.weight > prev.weight) perSignature.set(key, { category: m.category, weight: m.weight });
    get(m.category).evidence.push({ ref: m.evidence, weight: m.weight });
  }
  const byCategory = new Map<Category, number[]>();
  for (const { category, weight } of perSignature.values()) byCategory.set(category, [...(byCategory.get(category) ?? []), weight]);
  for (const [category, weights] of byCategory) get(category).signatures = combine(weights);

  // Findings.
  const subjects = incidentSubjects(incident);
  // Per category and owner, the strongest finding: replicas of one workload are one observation.
  const perOwner = new Map<Category, Map<string, number>>();
  const otherWeights = new Map<Category, number>();
  for (const f of analysis.findings) {
    if (!f.category || f.category === 'unknown') continue;
    const r = relevance(f, subjects);
    const w = SEVERITY_WEIGHT[f.severity] * (f.analyzer === 'EventsAnalyzer' ? 0.8 : 1) * r;
    // Findings about other workloads never add up: only the strongest counts.
    if (r === OTHER_RESOURCE_FACTOR) otherWeights.set(f.category, Math.max(otherWeights.get(f.category) ?? 0, w));
    else {
      const owners = perOwner.get(f.category) ?? new Map<string, number>();
      const owner = ownerOf(f);
      owners.set(owner, Math.max(owners.get(owner) ?? 0, w));
      perOwner.set(f.category, owners);
    }
    const c = get(f.category);
    if (!c.finding || SEVERITY_WEIGHT[f.severity] > SEVERITY_WEIGHT[c.finding.severity]) c.finding = f;
    // For ordering, a signature line naming the cause goes before a finding's status lines.
    for (const ref of f.evidence) c.evidence.push({ ref, weight: w * 0.8 });
  }
  const findingWeights = new Map<Category, number[]>();
  for (const [category, owners] of perOwner) findingWeights.set(category, [...owners.values()]);
  for (const [category, w] of otherWeights) findingWeights.set(category, [...(findingWeights.get(category) ?? []), w]);
  for (const [category, weights] of findingWeights) get(category).findings = combine(weights);

  // Hint.
  if (incident.hintedCategory && incident.hintedCategory !== 'unknown') {
    const c = get(incident.hintedCategory);
    c.hint = 0.35;
    const text = incident.reason ?? incident.title;
    if (text) c.evidence.push({ ref: { text, source: 'event' }, weight: 0.35 });
  }

  // Retrieval (weak): passages declaring categories, by normalised score.
  const top = Math.max(0, ...retrieval.passages.map((p) => p.score));
  if (top > 0) {
    for (const p of retrieval.passages) {
      for (const category of p.categories) {
        if (category === 'unknown') continue;
        const c = candidates.get(category);
        if (!c) continue; // retrieval alone never creates a hypothesis
        c.retrieval = Math.max(c.retrieval, 0.06 * (p.score / top));
      }
    }
  }

  // A change just before errors that are new against the baseline: deploy_regression.
  const change = candidates.get('deploy_regression');
  const fresh = analysis.patterns.filter((p) => (p.isNew || p.isSpiking) && (p.level === 'ERROR' || p.level === 'FATAL'));
  if (change && change.signatures > 0 && fresh.length > 0) {
    change.signatures = Math.max(change.signatures, DEPLOY_REGRESSION_SCORE);
    for (const p of fresh.slice(0, 2)) if (p.samples[0]) change.evidence.push({ ref: p.samples[0], weight: 0.3 });
  }

  // Model.
  if (modelScores) for (const [category, p] of modelScores) if (category !== 'unknown' && p > 0) get(category).model = p;

  for (const c of candidates.values()) {
    let s = 1 - (1 - c.signatures) * (1 - 0.9 * c.findings);
    s = s + (1 - s) * c.hint;
    if (s >= UNKNOWN_THRESHOLD) s = s + (1 - s) * c.retrieval; // corroborates, never decides
    // The model moves rule scores towards its probability (both ways); alone it stays below the
    // unknown threshold: a model guess without evidence is not a diagnosis.
    // Evidence decides whether there is a diagnosis at all: a rule score below the threshold stays below it.
    if (modelScores) {
      const blended = (1 - MODEL_BLEND) * s + MODEL_BLEND * c.model;
      s = s >= UNKNOWN_THRESHOLD ? blended : Math.min(UNKNOWN_THRESHOLD - 0.01, s > 0 ? blended : MODEL_BLEND * c.model);
    }
    c.score = Math.min(MAX_CONFIDENCE, s);
  }

  // New phrasing: error lines no signature matched, which the model reads with confidence, make a
  // modest hypothesis of their own, quoting the line. Rules that already decide stay ahead.
  const agreeing = new Map<Category, number>();
  for (const line of modelLines) if (line.probability >= MODEL_LINE_MIN_PROBABILITY) agreeing.set(line.category, (agreeing.get(line.category) ?? 0) + 1);
  for (const line of modelLines) {
    if (line.category === 'unknown' || line.probability < MODEL_LINE_MIN_PROBABILITY) continue;
    // One line is a guess; several distinct error templates read the same way are a signal.
    if ((agreeing.get(line.category) ?? 0) < MODEL_LINE_MIN_AGREEING) continue;
    const c = get(line.category);
    c.model = Math.max(c.model, line.probability);
    c.evidence.push({ ref: line.ref, weight: 0.3 * line.probability });
    c.score = Math.max(c.score, Math.min(MODEL_ONLY_MAX_SCORE, MODEL_ONLY_MAX_SCORE * line.probability));
  }

  // Precedence: discount symptoms when a specific cause is established.
  const bestSpecific = Math.max(0, ...[...candidates.values()].filter((c) => !SYMPTOM_CATEGORIES.has(c.category)).map((c) => c.score));
  if (bestSpecific >= 0.5) for (const c of candidates.values()) if (SYMPTOM_CATEGORIES.has(c.category)) c.score *= SYMPTOM_DISCOUNT;
  // Causes rank just above the effects they explain, and quote them.
  for (const [cause, effects] of Object.entries(EXPLAINS) as Array<[Category, Category[]]>) {
    const c = candidates.get(cause);
    if (!c || c.score < 0.4) continue;
    for (const effect of effects) {
      const e = candidates.get(effect);
      if (!e || e.score === 0) continue;
      if (e.score + 0.03 > c.score) c.score = Math.min(MAX_CONFIDENCE, e.score + 0.03);
      c.evidence.push(...e.evidence.slice(0, 2).map((x) => ({ ref: x.ref, weight: x.weight * 0.5 })));
    }
  }
  return candidates;
}

/** Score of the most frequent cause of the most specific failure state seen (no rule reached {@link UNKNOWN_THRESHOLD}). */
export const STATE_SCORE = 0.4;
/** Each less frequent cause of a state scores this much less. */
export const STATE_CAUSE_STEP = 0.03;
/** Each less specific state scores this much less. */
export const STATE_STEP = 0.02;
/** A cause with weak evidence of its own gains this much (it leads its state's other causes). */
export const STATE_CORROBORATION = 0.05;
/** Highest score a state-derived hypothesis reaches: modest, no line names the cause. */
export const STATE_MAX_SCORE = 0.48;

/**
 * Honest ranking when a failure is visible but no signature names its cause: the plausible
 * causes of each failure state (most specific state first; within a state, most frequent cause
 * first) become hypotheses with modest confidence ({@link STATE_SCORE} and below), each quoting
 * the state line. A cause that already has weak evidence of its own is lifted by
 * {@link STATE_CORROBORATION}. Ties keep this order, so the ranking is deterministic.
 * Applied only when every rule score is below {@link UNKNOWN_THRESHOLD}.
 */
function applyFailureStates(candidates: Map<Category, Candidate>, states: readonly FailureStateSeen[]): void {
  states.forEach((st, si) => {
    st.causes.forEach((cause, i) => {
      const base = Math.max(0.15, STATE_SCORE - STATE_STEP * si - STATE_CAUSE_STEP * i);
      let c = candidates.get(cause);
      if (!c) {
        c = { category: cause, signatures: 0, findings: 0, hint: 0, retrieval: 0, model: 0, score: 0, evidence: [] };
        candidates.set(cause, c);
      }
      const corroborated = c.score > 0 && !c.state;
      const score = Math.min(STATE_MAX_SCORE, Math.max(c.score, base) + (corroborated ? STATE_CORROBORATION : 0));
      if (c.state && c.score >= score) return;
      c.score = score;
      c.evidence.push({ ref: st.evidence, weight: 0.2 });
      c.state = { label: st.label, line: st.evidence.text, rank: i, corroborated };
    });
  });
}

/** Summary of a state-derived hypothesis: what is visible, that no line names the cause, why this cause leads. */
function stateSummary(category: Category, subject: string, c: Candidate, evidence: readonly EvidenceRef[]): string {
  const st = c.state!;
  const line = redact(st.line.trim()).text;
  const quote = line.length > 140 ? `${line.slice(0, 137)}...` : line;
  const why = st.corroborated
    ? `the evidence also points to it${evidence[0] && evidence[0].text !== st.line ? ` ("${redact(evidence[0].text.trim()).text.slice(0, 100)}")` : ''}`
    : st.rank === 0 ? 'it is the most frequent cause of this state' : 'a less frequent cause of this state';
  return `${subject} shows ${st.label} (evidence: "${quote}"), but no line names its cause. Likely: it ${PHRASES[category] ?? category} — ${why}.`;
}

/** What a healthy verdict says was checked: pods and restarts, error patterns against the baseline. */
export function healthSummary(subject: string, context: CollectedContext, analysis: Analysis): string | undefined {
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
  const errorPatterns = analysis.patterns.filter((p) => p.level === 'ERROR' || p.level === 'FATAL');
  const hasBaseline = context.baselineLogs.length > 0;
  const fresh = errorPatterns.filter((p) => p.isNew || p.isSpiking);
  if (pods > 0 && running < pods) return undefined;
  if (hasBaseline ? fresh.length > 0 : errorPatterns.length > 0) return undefined;
  if (pods === 0 && context.logs.length === 0 && context.kubernetesEvents.length === 0) return undefined;
  const parts: string[] = [];
  if (pods > 0) parts.push(`${running} pod${running === 1 ? '' : 's'} Running`, `${restarts} restart${restarts === 1 ? '' : 's'}`);
  parts.push(errorPatterns.length === 0 ? 'no error patterns' : `${errorPatterns.length} error pattern${errorPatterns.length === 1 ? '' : 's'} steady at baseline`);
  if (context.logs.length > 0) parts.push(`${context.logs.length} log line${context.logs.length === 1 ? '' : 's'} read`);
  return `${subject} is healthy as far as this evidence shows: ${parts.join(', ')}; no failure state was seen.`;
}

/**
 * Evidence lines of a candidate: strongest first (an exact input line before a rendered object
 * field of equal strength), distinct, at most `max`.
 */
function evidenceOf(c: Candidate, exact: LineIndex, max = 8): EvidenceRef[] {
  const seen = new Set<string>();
  const out: EvidenceRef[] = [];
  const bonus = (ref: EvidenceRef): number => (exact.get(ref.source, ref.line) === ref.text || ref.source === 'event' || ref.source.startsWith('event:') ? 0.02 : 0);
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
function subjectOf(c: Candidate, incident: Incident, names: ActionNames): string {
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

function summaryOf(category: Category, subject: string, evidence: readonly EvidenceRef[]): string {
  const kind = subject.split(' ')[0] ?? '';
  const phrase = SELF_PHRASES[`${category}|${kind}`] ?? PHRASES[category] ?? category;
  // Masked before it is cut: a token cut in half would no longer look like one to the redaction.
  const first = evidence[0] ? redact(evidence[0].text.trim()).text : undefined;
  const quote = first ? ` (evidence: "${first.length > 160 ? `${first.slice(0, 157)}...` : first}")` : '';
  return `${subject} ${phrase}${quote}.`;
}

/** Passages ranking this high for the query may be attached without declared categories. */
export const UNCATEGORIZED_RUNBOOK_RANK = 3;
/** Runbook references a leading hypothesis carries at most. */
export const MAX_LEADING_RUNBOOKS = 5;

/**
 * Runbook references for the leading hypothesis: those of passages declaring its category
 * ({@link runbooksFor}), then the passages that declare no category (documents without
 * `categories:` front matter, e.g. a `--kb` folder of plain Markdown) and rank among the top
 * {@link UNCATEGORIZED_RUNBOOK_RANK} passages of the retrieval by score. At most
 * {@link MAX_LEADING_RUNBOOKS}, distinct by path and heading.
 */
export function leadingRunbooks(category: Category, retrieval: Retrieval): RunbookRef[] {
  const out = runbooksFor(category, retrieval);
  const seen = new Set(out.map((r) => `${r.path}#${r.heading}`));
  const top = retrieval.passages
    .map((p, i) => ({ p, i }))
    .sort((a, b) => b.p.score - a.p.score || a.i - b.i)
    .slice(0, UNCATEGORIZED_RUNBOOK_RANK)
    .map(({ p }) => p);
  for (const p of top) {
    if (p.categories.length > 0 || out.length >= MAX_LEADING_RUNBOOKS) continue;
    const key = `${p.path}#${p.heading}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ title: p.title, heading: p.heading, path: p.path });
  }
  return out;
}

/** Runbook references of passages declaring the category. */
function runbooksFor(category: Category, retrieval: Retrieval): RunbookRef[] {
  const seen = new Set<string>();
  const out: RunbookRef[] = [];
  for (const p of retrieval.passages) {
    if (!p.categories.includes(category)) continue;
    const key = `${p.path}#${p.heading}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ title: p.title, heading: p.heading, path: p.path });
    if (out.length >= 3) break;
  }
  return out;
}

/** The texts the classifier scores: the strongest signature lines and critical findings. */
function classifierTexts(analysis: Analysis, incident: Incident): string[] {
  const texts: string[] = [];
  for (const m of analysis.signatureMatches.slice(0, 5)) texts.push(m.evidence.text);
  for (const f of analysis.findings.filter((x) => x.severity === 'critical').slice(0, 3)) texts.push(f.message);
  if (texts.length === 0) {
    for (const p of analysis.patterns.filter((x) => x.level === 'ERROR' || x.level === 'FATAL').slice(0, 3)) texts.push(p.samples[0]?.text ?? p.template);
    if (incident.reason) texts.push(incident.reason);
  }
  return [...new Set(texts.map((t) => t.trim()).filter(Boolean))].slice(0, 8);
}

/** Error and warning log lines (pattern samples) that no signature matched: the model's own ground. */
function unmatchedErrorLines(analysis: Analysis, max = 6): EvidenceRef[] {
  const matched = new Set(analysis.signatureMatches.map((m) => m.evidence.text.trim()));
  const out: EvidenceRef[] = [];
  for (const p of analysis.patterns) {
    if (!/^(ERROR|FATAL|CRIT|CRITICAL|SEVERE|EMERG|ALERT|PANIC)$/i.test(p.level ?? '')) continue;
    const sample = p.samples[0];
    if (!sample || matched.has(sample.text.trim())) continue;
    out.push(sample);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * Ranks root-cause hypotheses for an incident.
 *
 * @param input the incident, collected context, analysis and retrieval
 * @param classifier optional category classifier; its scores on the strongest evidence lines are
 *   blended in. Its failure is recorded in `degraded` (component `infer:model`), never thrown.
 * @returns at most {@link MAX_HYPOTHESES} hypotheses, best first, confidences in [0, 1] and never
 *   increasing down the list. When no category reaches {@link UNKNOWN_THRESHOLD}, `unknown` comes
 *   first at a low confidence ({@link unknownConfidence}: `max(0.1, best)`), followed by the
 *   sub-threshold candidates with their own confidences (never higher).
 *   Every hypothesis except `unknown` quotes at least one exact evidence line. Runbooks: each
 *   hypothesis references passages declaring its category; the leading one also the top-ranked
 *   passages of documents declaring none ({@link leadingRunbooks}).
 * @example
 * const { hypotheses } = await infer({ incident, context, analysis, retrieval });
 */
export async function infer(input: InferInput, classifier?: CategoryClassifier): Promise<InferResult> {
  const degraded: Degradation[] = [];
  let modelScores: Map<Category, number> | undefined;
  let model: { id: string; sha256: string } | undefined;
  const modelLines: ModelLine[] = [];
  if (classifier) {
    const texts = classifierTexts(input.analysis, input.incident);
    if (texts.length > 0) {
      try {
        const results = await classifier.classify(texts);
        modelScores = new Map();
        for (const scores of results) {
          for (const { category, score } of scores) {
            if (!(CATEGORIES as readonly string[]).includes(category) || !Number.isFinite(score)) continue;
            modelScores.set(category, (modelScores.get(category) ?? 0) + score / results.length);
          }
        }
        model = { id: classifier.id, sha256: classifier.sha256 };
      } catch (error) {
        degraded.push({ component: 'infer:model', kind: 'error', reason: `classifier ${classifier.id} failed: ${describeError(error)}` });
        modelScores = undefined;
      }
    }
    const unmatched = unmatchedErrorLines(input.analysis);
    if (unmatched.length > 0 && !degraded.some((d) => d.component === 'infer:model')) {
      try {
        const results = await classifier.classify(unmatched.map((r) => r.text));
        results.forEach((scores, i) => {
          const top = scores[0];
          if (top && isCategory(top.category)) modelLines.push({ ref: unmatched[i]!, category: top.category, probability: top.score });
        });
        model = { id: classifier.id, sha256: classifier.sha256 };
      } catch (error) {
        degraded.push({ component: 'infer:model', kind: 'error', reason: `classifier ${classifier.id} failed: ${describeError(error)}` });
        // the rule-line scores above stay usable
      }
    }
  }

  const scored = scoreCandidates(input, modelScores, modelLines);
  const bestRule = Math.max(0, ...[...scored.values()].filter((c) => c.evidence.length > 0).map((c) => c.score));
  const states = input.analysis.failureStates ?? [];
  if (bestRule < UNKNOWN_THRESHOLD && states.length > 0) applyFailureStates(scored, states);
  const candidates = [...scored.values()].filter((c) => c.score > 0 && c.evidence.length > 0);
  candidates.sort((a, b) => b.score - a.score);
  const names = actionNames(input.incident, input.analysis.findings, input.context);
  const exact = new LineIndex(input.context);

  const hypotheses: Hypothesis[] = candidates.slice(0, MAX_HYPOTHESES).map((c) => {
    const evidence = evidenceOf(c, exact);
    return {
      category: c.category,
      confidence: round(Math.max(0, Math.min(1, c.score))),
      summary: c.state ? stateSummary(c.category, subjectOf(c, input.incident, names), c, evidence) : summaryOf(c.category, subjectOf(c, input.incident, names), evidence),
      evidence,
      actions: actionsFor(c.category, names),
      runbooks: runbooksFor(c.category, input.retrieval),
      scores: { signatures: round(c.signatures), findings: round(c.findings), hint: round(c.hint), retrieval: round(c.retrieval), model: round(c.model) },
    };
  });

  const best = hypotheses[0]?.confidence ?? 0;
  if (best < UNKNOWN_THRESHOLD) {
    const subject = subjectOf({ category: 'unknown', signatures: 0, findings: 0, hint: 0, retrieval: 0, model: 0, score: 0, evidence: [] }, input.incident, names);
    const healthy = states.length === 0 ? healthSummary(subject, input.context, input.analysis) : undefined;
    const considered = hypotheses.length > 0 ? ` Considered and below the threshold: ${hypotheses.map((h) => `${h.category} ${h.confidence.toFixed(2)}`).join(', ')}.` : '';
    const unknown: Hypothesis = {
      category: 'unknown',
      confidence: unknownConfidence(best),
      summary: `${healthy ?? `${subject} ${PHRASES.unknown}.`}${considered}`,
      evidence: hypotheses[0]?.evidence.slice(0, 2) ?? [],
      actions: actionsFor('unknown', names),
      runbooks: runbooksFor('unknown', input.retrieval),
    };
    hypotheses.unshift(unknown);
    if (hypotheses.length > MAX_HYPOTHESES) hypotheses.pop();
  }
  // Passages of documents that declare no category, ranking near the top for the query, go to
  // the leading hypothesis (no category to match them on, but the query found them relevant).
  const lead = hypotheses[0];
  if (lead) hypotheses[0] = { ...lead, runbooks: leadingRunbooks(lead.category, input.retrieval) };
  return model ? { hypotheses, model, degraded } : { hypotheses, degraded };
}
