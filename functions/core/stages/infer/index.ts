/**
 * The infer stage: ranks root-cause hypotheses over the category catalogue. It composes:
 * - `classification.ts`: the optional classifier over the strongest evidence and the error lines
 *   no signature matched;
 * - `scoring.ts`: one score per category from signatures, findings, the event's hint, retrieval
 *   and the classifier, then precedence (symptoms after causes, causes just above the effects they
 *   explain) and, when no rule reaches the unknown threshold, the causes of the failure states
 *   seen; every weight and constant is in one table, {@link WEIGHTS} (`weights.ts`), and the
 *   formula is described in `scoring.ts`;
 * - `alternatives.ts`: when the lead rests on a signature or finding, the plausible other readings
 *   of its evidence (second signatures on its lines, the classifier's ranking, known confusions,
 *   the failure states' other causes) follow it with lower confidence;
 * - `summary.ts`: each hypothesis' summary and quoted evidence;
 * - `transient.ts`: connection errors followed in their log by the service coming up are a
 *   start-up race, scaled down;
 * - `quotes.ts`: evidence quoted as written (a JSON record's line, a YAML value folded over lines);
 * - `runbooks.ts`: the runbook passages each hypothesis references;
 * - `actions.ts`: remediation steps for the incident's platform, with its names filled in.
 * Per-category facts (phrase, symptom or cause, effects explained, steps) come from the category
 * registry, `core/model/category-registry.ts`.
 *
 * The hypotheses: the best {@link MAX_HYPOTHESES} candidates with evidence. Below
 * {@link UNKNOWN_THRESHOLD} (0.3), `unknown` leads with a low confidence ({@link unknownConfidence}),
 * never below the weaker alternatives that follow it.
 */
import type { Hypothesis } from '../../model/analysis.js';
import type { EvidenceRef } from '../../model/evidence.js';
import type { CategoryClassifier } from '../../ports/model.port.js';
import { FAILURE_STATES, LineIndex } from '../analyze/index.js';
import { actionNames, actionsFor, withEndpoint } from './actions.js';
import { endpointOf } from './platform-evidence.js';
import { classify } from './classification.js';
import { applyRecovery } from './recovery.js';
import { leadingRunbooks, runbooksFor } from './runbooks.js';
import { addAlternatives } from './alternatives.js';
import { Requoter } from './quotes.js';
import { SYMPTOM_CATEGORIES, applyFailureStates, emptyCandidate, round, scoreCandidates, unknownConfidence, type Candidate } from './scoring.js';
import { PHRASES, alternativeSummary, evidenceOf, healthSummary, stateSummary, subjectOf, summaryOf } from './summary.js';
import type { InferInput, InferResult } from './types.js';
import { MAX_HYPOTHESES, STATE_MAX_SCORE, UNKNOWN_THRESHOLD, WEIGHTS } from './weights.js';

export { ACTION_CATALOGUE, PLATFORM_ACTIONS, actionNames, actionsFor, failingContainer, fillTemplate, deploymentOfPod, platformOf, withEndpoint } from './actions.js';
export { endpointOf, evidencePlatform, type Endpoint, type EvidencePlatform } from './platform-evidence.js';
export type { ActionNames, Platform } from './actions.js';
export type { InferInput, InferResult } from './types.js';
export {
  WEIGHTS, UNKNOWN_THRESHOLD, DEPLOY_REGRESSION_SCORE, MAX_CONFIDENCE, MAX_HYPOTHESES, OTHER_RESOURCE_FACTOR,
  MODEL_LINE_MIN_PROBABILITY, MODEL_LINE_MIN_AGREEING, MODEL_ONLY_MAX_SCORE,
  STATE_SCORE, STATE_CAUSE_STEP, STATE_STEP, STATE_CORROBORATION, STATE_MAX_SCORE,
} from './weights.js';
export { EXPLAINS, SYMPTOM_CATEGORIES, ownerOf, rankCategories, unknownConfidence } from './scoring.js';
export { healthSummary } from './summary.js';
export { CONFUSIONS, addAlternatives, secondReadings } from './alternatives.js';
export type { AlternativeOf, AlternativeSource } from './types.js';
export { MAX_LEADING_RUNBOOKS, UNCATEGORIZED_RUNBOOK_RANK, leadingRunbooks } from './runbooks.js';

/** References in order, each (source, line, text) once: two lines of one quoted value become one quote. */
function distinct(refs: readonly EvidenceRef[]): EvidenceRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.source}\u0000${r.line ?? ''}\u0000${r.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
  const { modelScores, modelLines, model, degraded } = await classify(input.analysis, input.incident, classifier);
  const scored = scoreCandidates(input, modelScores, modelLines);
  // start-up races (a client refused while its peer started, then came up: `recovery.ts`, with the
  // came-up wordings of `transient.ts`) and other transient errors that recovered count for little
  const recovery = applyRecovery(scored, input.analysis.failureStates ?? [], input.context);
  let states = recovery.states;
  const bestRule = Math.max(0, ...[...scored.values()].filter((c) => c.evidence.length > 0).map((c) => c.score));
  // A generic symptom (a restart loop, a failed Job, an unavailable Deployment) that leads on
  // analyzer findings alone, with no line naming a cause, is a failure state too: its confidence is
  // scaled into the failure-state range and the state's other plausible causes rank beside it.
  const leading = [...scored.values()].filter((c) => c.evidence.length > 0).sort((a, b) => b.score - a.score)[0];
  const symptomOnly = leading !== undefined && leading.score >= UNKNOWN_THRESHOLD && SYMPTOM_CATEGORIES.has(leading.category) && leading.signatures < WEIGHTS.precedence.specificCause;
  if (symptomOnly && states.length === 0) {
    // the symptom's own evidence (a `kubectl get pods` row, an object's status) shows the state
    for (const { ref } of leading.evidence) {
      const st = FAILURE_STATES.find((f) => f.pattern.test(ref.text));
      if (st) { states = [{ id: st.id, label: st.label, causes: st.causes, evidence: ref }]; break; }
    }
  }
  if (symptomOnly && states.length > 0) {
    // mapped into [states.score, maxScore − corroboration], keeping their order
    const room = STATE_MAX_SCORE - WEIGHTS.states.corroboration - WEIGHTS.states.score;
    for (const c of scored.values()) if (SYMPTOM_CATEGORIES.has(c.category) && c.signatures < WEIGHTS.precedence.specificCause) c.score = WEIGHTS.states.score + room * c.score;
  }
  if ((bestRule < UNKNOWN_THRESHOLD || symptomOnly) && states.length > 0) applyFailureStates(scored, states);
  const exact = LineIndex.of(input.context);
  const ranked = (): Candidate[] => [...scored.values()].filter((c) => c.score > 0 && c.evidence.length > 0).sort((a, b) => b.score - a.score);
  let candidates = ranked();
  // A lead resting on a signature or finding: the plausible other readings of its evidence follow it.
  const first = candidates[0];
  if (first && first.score >= UNKNOWN_THRESHOLD) {
    const added = addAlternatives(scored, first, { modelScores, states, leadEvidence: evidenceOf(first, exact, WEIGHTS.alternatives.quotedLines) });
    if (added.length > 0) candidates = ranked();
  }
  const names = actionNames(input.incident, input.analysis.findings, input.context);

  const quotes = new Requoter(input.context, exact);
  const hypotheses: Hypothesis[] = candidates.slice(0, MAX_HYPOTHESES).map((c) => {
    const evidence = distinct(evidenceOf(c, exact).map((ref) => quotes.requote(ref)));
    return {
      category: c.category,
      confidence: round(Math.max(0, Math.min(1, c.score))),
      summary: c.state ? stateSummary(c.category, subjectOf(c, input.incident, names), c, evidence)
        : c.alternative ? alternativeSummary(c.category, subjectOf(c, input.incident, names), c.alternative, evidence)
        : summaryOf(c.category, subjectOf(c, input.incident, names), evidence),
      evidence,
      actions: actionsFor(c.category, withEndpoint(names, endpointOf(evidence.map((e) => e.text)))),
      runbooks: runbooksFor(c.category, input.retrieval),
      scores: { signatures: round(c.signatures), findings: round(c.findings), hint: round(c.hint), retrieval: round(c.retrieval), model: round(c.model) },
    };
  });

  const best = hypotheses[0]?.confidence ?? 0;
  if (best < UNKNOWN_THRESHOLD) {
    const subject = subjectOf(emptyCandidate('unknown'), input.incident, names);
    const healthy = states.length === 0 ? healthSummary(subject, input.context, input.analysis, recovery.recovered, recovery.passedWarnings) : undefined;
    const considered = hypotheses.length > 0 ? ` Considered and below the threshold: ${hypotheses.map((h) => `${h.category} ${h.confidence.toFixed(2)}`).join(', ')}.` : '';
    const unknown: Hypothesis = {
      category: 'unknown',
      confidence: unknownConfidence(best),
      summary: `${healthy ?? `${subject} ${PHRASES.unknown}.`}${considered}`,
      evidence: hypotheses[0]?.evidence.slice(0, 2) ?? [],
      actions: actionsFor('unknown', withEndpoint(names, endpointOf((hypotheses[0]?.evidence.slice(0, 2) ?? []).map((e) => e.text)))),
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
