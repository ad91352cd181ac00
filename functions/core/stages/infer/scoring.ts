/**
 * Scoring: one score per category from the rules' signals, optionally moved by the classifier.
 * Every number named here is a field of {@link WEIGHTS} (`weights.ts`), given with its value.
 *
 * Signals, per category ({@link scoreCandidates}):
 * - signatures: the strongest match of each signature; several signatures combine with
 *   diminishing returns, the strongest fully and each further one half (`signatures.furtherMatch`);
 * - findings carrying the category: severity weight (critical 0.85, warning 0.6, info 0.3), times
 *   0.8 for the events analyzer (it restates event lines that signatures already read), times the
 *   finding's relevance to the incident: 1 for its own resource (or one its message names, or when
 *   the incident names none), 0.3 for another workload (`findings.otherWorkload`), 0.7 for an
 *   object of another kind. Replicas of one workload are one observation (the strongest per
 *   owner, {@link ownerOf}); findings about other workloads never add up (only the strongest);
 *   the rest combine as signatures do;
 * - the incident's `hintedCategory`: 0.35;
 * - retrieval: a passage declaring the category adds at most 0.06, scaled by its score against the
 *   top passage's, only to categories with a signature, finding or hint (retrieval alone never
 *   creates a hypothesis);
 * - a change signature (`deploy_regression`) together with new or spiking ERROR/FATAL patterns:
 *   its signature score is raised to at least 0.45 and it quotes two of those patterns.
 *
 * Rule score: `s = 1 − (1 − signatures) · (1 − 0.9 · findings)`, then `s ← s + (1 − s) · hint`,
 * then, only when `s ≥ 0.3` (the unknown threshold), `s ← s + (1 − s) · retrieval`.
 * When the classifier answered, with its mean probability `p` over the strongest evidence lines
 * (0 for a category it does not name): at `s ≥ 0.3`, `s ← 0.7 · s + 0.3 · p` (`model.blend`, both
 * ways); below, `s ← min(0.29, s > 0 ? 0.7 · s + 0.3 · p : 0.3 · p)` (`model.belowThreshold`):
 * the classifier reorders but never lifts a category over the threshold. Capped at 0.97
 * (`maxConfidence`).
 *
 * Model lines: error lines no signature matched that the classifier reads with probability
 * ≥ 0.75, when at least 2 distinct lines agree on the category, make a hypothesis of their own at
 * up to `0.45 · p` (`model.onlyMaxScore`, above the threshold but below what rules reach), quoting
 * the lines. A category the rules score higher keeps its score.
 *
 * Precedence: when a specific cause scores 0.5 or more, generic symptoms (`role: 'symptom'` in
 * the category registry) are multiplied by 0.6; a cause scoring 0.4 or more that explains an
 * effect seen (`explains` in the registry) is raised to at least the effect's score + 0.03 (at
 * most 0.97) and quotes two of the effect's lines.
 *
 * Failure states ({@link applyFailureStates}, applied by `infer` only when no candidate with
 * evidence reaches 0.3): each plausible cause of a failure state scores
 * `max(0.15, 0.4 − 0.02 · state rank − 0.03 · cause rank)` (`states.*`; ranks from 0, most
 * specific state and most frequent cause first), or its own score when higher, + 0.05 for a cause
 * with weak evidence of its own, at most 0.48; each quotes the state line.
 */
import { CATEGORIES, type Category } from '../../model/categories.js';
import { CATEGORY_REGISTRY } from '../../model/category-registry.js';
import type { EvidenceRef } from '../../model/evidence.js';
import type { FailureStateSeen, Finding } from '../../model/analysis.js';
import { incidentSubjects } from '../analyze/index.js';
import type { ModelLine } from './classification.js';
import type { AlternativeOf, InferInput } from './types.js';
import { WEIGHTS as W, WEIGHTS } from './weights.js';

/** Generic symptom categories (`role: 'symptom'` in the category registry): a specific cause outranks them. */
export const SYMPTOM_CATEGORIES: ReadonlySet<Category> = new Set(CATEGORIES.filter((c) => CATEGORY_REGISTRY[c].role === 'symptom'));

/** Causes and the effects they explain (each category's `explains` in the category registry). */
export const EXPLAINS: Readonly<Partial<Record<Category, readonly Category[]>>> = Object.freeze(
  Object.fromEntries(CATEGORIES.filter((c) => CATEGORY_REGISTRY[c].explains.length > 0).map((c) => [c, CATEGORY_REGISTRY[c].explains])),
);

/** Diminishing combination: the first value counts fully, each further one by {@link WEIGHTS}`.signatures.furtherMatch`. */
function combine(values: readonly number[]): number {
  const sorted = [...values].filter((v) => v > 0).sort((a, b) => b - a);
  let s = 0;
  sorted.forEach((v, i) => { s = s + (1 - s) * v * (i === 0 ? 1 : W.signatures.furtherMatch); });
  return s;
}

const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/**
 * Is the finding about the incident's resource? 1 when yes, when its message names it, or when
 * the incident names none; `findings.otherWorkload` (0.3) for a workload with another
 * name; `findings.otherKind` (0.7) for other kinds (a policy, quota or node that may or may not affect it).
 */
function relevance(finding: Finding, subjects: readonly string[]): number {
  if (subjects.length === 0 || !finding.name || finding.name === '?') return 1;
  const name = finding.name;
  const same = (s: string): boolean => s === name || s.startsWith(`${name}-`) || name.startsWith(`${s}-`);
  if (subjects.some(same)) return 1;
  if (subjects.some((s) => new RegExp(`(?:^|[^\\w-])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|[^\\w-])`).test(finding.message))) return 1;
  return WORKLOAD_KINDS.has(finding.kind) ? W.findings.otherWorkload : W.findings.otherKind;
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

/** A category being scored: its signals, its score and the evidence it may quote. */
export interface Candidate {
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
  /** Set when the hypothesis is an alternative reading of the lead's evidence (see `alternatives.ts`). */
  alternative?: AlternativeOf;
}

/** A candidate with no signal yet. */
export function emptyCandidate(category: Category): Candidate {
  return { category, signatures: 0, findings: 0, hint: 0, retrieval: 0, model: 0, score: 0, evidence: [] };
}

/**
 * Confidence of a leading `unknown` when the best category scores `best` (< the unknown
 * threshold, 0.3): `max(0.1, best)` (`unknown.minConfidence`). `unknown` is the honest answer when
 * the evidence is thin, and its confidence says how thin: 0.1 with no evidence at all, rising to
 * just under 0.3 as the best candidate nears the threshold. It equals the best alternative's
 * confidence, so it is never shown below an alternative that follows it, and it never reads as a
 * confident diagnosis.
 */
export function unknownConfidence(best: number): number {
  return round(Math.max(W.unknown.minConfidence, Math.min(best, W.unknown.threshold)));
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

/** Rounds to three decimals (confidences and scores as reported). */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function scoreCandidates(input: InferInput, modelScores?: ReadonlyMap<Category, number>, modelLines: readonly ModelLine[] = []): Map<Category, Candidate> {
  const { incident, analysis, retrieval } = input;
  const candidates = new Map<Category, Candidate>();
  const get = (category: Category): Candidate => {
    let c = candidates.get(category);
    if (!c) { c = emptyCandidate(category); candidates.set(category, c); }
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
    const w = W.findings.severity[f.severity] * (f.analyzer === 'EventsAnalyzer' ? W.findings.eventsAnalyzer : 1) * r;
    // Findings about other workloads never add up: only the strongest counts.
    if (r === W.findings.otherWorkload) otherWeights.set(f.category, Math.max(otherWeights.get(f.category) ?? 0, w));
    else {
      const owners = perOwner.get(f.category) ?? new Map<string, number>();
      const owner = ownerOf(f);
      owners.set(owner, Math.max(owners.get(owner) ?? 0, w));
      perOwner.set(f.category, owners);
    }
    const c = get(f.category);
    if (!c.finding || W.findings.severity[f.severity] > W.findings.severity[c.finding.severity]) c.finding = f;
    // For ordering, a signature line naming the cause goes before a finding's status lines.
    for (const ref of f.evidence) c.evidence.push({ ref, weight: w * W.findings.evidenceOrder });
  }
  const findingWeights = new Map<Category, number[]>();
  for (const [category, owners] of perOwner) findingWeights.set(category, [...owners.values()]);
  for (const [category, w] of otherWeights) findingWeights.set(category, [...(findingWeights.get(category) ?? []), w]);
  for (const [category, weights] of findingWeights) get(category).findings = combine(weights);

  // Hint.
  if (incident.hintedCategory && incident.hintedCategory !== 'unknown') {
    const c = get(incident.hintedCategory);
    c.hint = W.hint.score;
    const text = incident.reason ?? incident.title;
    if (text) c.evidence.push({ ref: { text, source: 'event' }, weight: W.hint.evidence });
  }

  // Retrieval (weak): passages declaring categories, by normalised score.
  const top = Math.max(0, ...retrieval.passages.map((p) => p.score));
  if (top > 0) {
    for (const p of retrieval.passages) {
      for (const category of p.categories) {
        if (category === 'unknown') continue;
        const c = candidates.get(category);
        if (!c) continue; // retrieval alone never creates a hypothesis
        c.retrieval = Math.max(c.retrieval, W.retrieval.max * (p.score / top));
      }
    }
  }

  // A change signature with error patterns new (or spiking) against the baseline: deploy_regression.
  const change = candidates.get('deploy_regression');
  const fresh = analysis.patterns.filter((p) => (p.isNew || p.isSpiking) && (p.level === 'ERROR' || p.level === 'FATAL'));
  if (change && change.signatures > 0 && fresh.length > 0) {
    change.signatures = Math.max(change.signatures, W.deployRegression.score);
    for (const p of fresh.slice(0, W.deployRegression.freshPatterns)) if (p.samples[0]) change.evidence.push({ ref: p.samples[0], weight: W.deployRegression.evidence });
  }

  // Model.
  if (modelScores) for (const [category, p] of modelScores) if (category !== 'unknown' && p > 0) get(category).model = p;

  for (const c of candidates.values()) {
    let s = 1 - (1 - c.signatures) * (1 - W.findings.share * c.findings);
    s = s + (1 - s) * c.hint;
    if (s >= W.unknown.threshold) s = s + (1 - s) * c.retrieval; // corroborates, never decides
    // The model moves rule scores towards its probability (both ways); alone it stays below the
    // unknown threshold: a model guess without evidence is not a diagnosis.
    // Evidence decides whether there is a diagnosis at all: a rule score below the threshold stays below it.
    if (modelScores) {
      const blended = (1 - W.model.blend) * s + W.model.blend * c.model;
      s = s >= W.unknown.threshold ? blended : Math.min(W.unknown.threshold - W.model.belowThreshold, s > 0 ? blended : W.model.blend * c.model);
    }
    c.score = Math.min(W.maxConfidence, s);
  }

  // New phrasing: error lines no signature matched, which the model reads with confidence, make a
  // modest hypothesis of their own, quoting the line. Rules that already decide stay ahead.
  const agreeing = new Map<Category, number>();
  for (const line of modelLines) if (line.probability >= W.model.lineMinProbability) agreeing.set(line.category, (agreeing.get(line.category) ?? 0) + 1);
  for (const line of modelLines) {
    if (line.category === 'unknown' || line.probability < W.model.lineMinProbability) continue;
    // One line is a guess; several distinct error templates read the same way are a signal.
    if ((agreeing.get(line.category) ?? 0) < W.model.lineMinAgreeing) continue;
    const c = get(line.category);
    c.model = Math.max(c.model, line.probability);
    c.evidence.push({ ref: line.ref, weight: W.model.lineEvidence * line.probability });
    c.score = Math.max(c.score, Math.min(W.model.onlyMaxScore, W.model.onlyMaxScore * line.probability));
  }

  // Precedence: discount symptoms when a specific cause is established.
  const bestSpecific = Math.max(0, ...[...candidates.values()].filter((c) => !SYMPTOM_CATEGORIES.has(c.category)).map((c) => c.score));
  if (bestSpecific >= W.precedence.specificCause) for (const c of candidates.values()) if (SYMPTOM_CATEGORIES.has(c.category)) c.score *= W.precedence.symptomDiscount;
  // Causes rank just above the effects they explain, and quote them.
  for (const [cause, effects] of Object.entries(EXPLAINS) as Array<[Category, Category[]]>) {
    const c = candidates.get(cause);
    if (!c || c.score < W.precedence.explainingCause) continue;
    for (const effect of effects) {
      const e = candidates.get(effect);
      if (!e || e.score === 0) continue;
      if (e.score + W.precedence.causeMargin > c.score) c.score = Math.min(W.maxConfidence, e.score + W.precedence.causeMargin);
      c.evidence.push(...e.evidence.slice(0, W.precedence.explainedLines).map((x) => ({ ref: x.ref, weight: x.weight * W.precedence.explainedEvidence })));
    }
  }
  return candidates;
}

/**
 * Honest ranking when a failure is visible but no signature names its cause: the plausible
 * causes of each failure state (most specific state first; within a state, most frequent cause
 * first) become hypotheses with modest confidence (`states.score` and below), each quoting
 * the state line. A cause that already has weak evidence of its own is lifted by
 * `states.corroboration`. Ties keep this order, so the ranking is deterministic.
 * Applied only when every rule score is below `unknown.threshold`.
 */
export function applyFailureStates(candidates: Map<Category, Candidate>, states: readonly FailureStateSeen[]): void {
  states.forEach((st, si) => {
    st.causes.forEach((cause, i) => {
      const base = Math.max(W.states.floor, W.states.score - W.states.step * si - W.states.causeStep * i);
      let c = candidates.get(cause);
      if (!c) {
        c = emptyCandidate(cause);
        candidates.set(cause, c);
      }
      const corroborated = c.score > 0 && !c.state;
      const score = Math.min(W.states.maxScore, Math.max(c.score, base) + (corroborated ? W.states.corroboration : 0));
      if (c.state && c.score >= score) return;
      c.score = score;
      c.evidence.push({ ref: st.evidence, weight: W.states.evidence });
      // the state's further lines (a later one is often the more specific), just after it
      for (const ref of st.more ?? []) c.evidence.push({ ref, weight: W.states.evidence * 0.9 });
      c.state = { label: st.label, line: st.evidence.text, rank: i, corroborated };
    });
  });
}
