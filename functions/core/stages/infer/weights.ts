/**
 * Every weight and constant of infer's scoring, in one table (as Drain3 keeps its tuning in one
 * config rather than in the middle of the algorithm). `scoring.ts` reads them; the formula they
 * enter is described there, next to the code. The named exports below the table
 * (`UNKNOWN_THRESHOLD`, `STATE_MAX_SCORE`, `MODEL_ONLY_MAX_SCORE`, …) are the same numbers under
 * the names other modules and tests already use.
 */

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The scoring's weights and constants; see `scoring.ts` for the formula. */
export const WEIGHTS = deepFreeze({
  signatures: {
    /**
     * Several signatures of one category combine with diminishing returns: the strongest counts
     * fully, each further one by this fraction (`s ← s + (1 − s) · w · fraction`).
     */
    furtherMatch: 0.5,
  },
  findings: {
    /** Weight of an analyzer finding by severity. */
    severity: { critical: 0.85, warning: 0.6, info: 0.3 },
    /** Factor of an events-analyzer finding: it restates event lines that signatures already read. */
    eventsAnalyzer: 0.8,
    /**
     * Relevance of a workload finding clearly about another workload than the incident's. Such
     * findings never add up: only the strongest counts.
     */
    otherWorkload: 0.3,
    /** Relevance of a finding about another object of another kind (a policy, quota or node that may or may not affect it). */
    otherKind: 0.7,
    /** Share of the findings signal in the rule score: `1 − (1 − signatures) · (1 − share · findings)`. */
    share: 0.9,
    /** A finding's evidence lines weigh this fraction of the finding, so a signature line naming the cause is quoted first. */
    evidenceOrder: 0.8,
  },
  hint: {
    /** Signal of the incident's `hintedCategory` (the event itself names the cause): `s ← s + (1 − s) · score`. */
    score: 0.35,
    /** Weight of the event's reason or title as evidence of the hinted category. */
    evidence: 0.35,
  },
  retrieval: {
    /**
     * Most a retrieved passage declaring the category adds, scaled by its score relative to the
     * top passage; only to categories that already score at least `unknown.threshold`
     * (it corroborates, never decides).
     */
    max: 0.06,
  },
  deployRegression: {
    /** Floor of `deploy_regression` when a change signature meets new or spiking error patterns (a weak, correlational signal). */
    score: 0.45,
    /** New or spiking error patterns quoted as evidence of the regression, at most. */
    freshPatterns: 2,
    /** Weight of each quoted pattern sample. */
    evidence: 0.3,
  },
  model: {
    /**
     * Linear blend of the classifier's probability into a rule score of at least
     * `unknown.threshold`: `(1 − blend) · s + blend · p`.
     */
    blend: 0.3,
    /**
     * Below `unknown.threshold`, the blended (or, without rule signal, `blend · p`) score stays at
     * most `unknown.threshold − belowThreshold`: the model alone never makes a diagnosis.
     */
    belowThreshold: 0.01,
    /** Probability the classifier needs on an unmatched error line to propose its category. */
    lineMinProbability: 0.75,
    /** Distinct unmatched lines (different templates) that must agree before the model alone proposes a category. */
    lineMinAgreeing: 2,
    /** Highest score a hypothesis resting on the model alone may reach (modest: no rule confirms it); it is `onlyMaxScore · p`. */
    onlyMaxScore: 0.45,
    /** Weight of an unmatched line as evidence, times its probability. */
    lineEvidence: 0.3,
    /** Texts the classifier scores: the strongest signature lines, critical findings, then (only when those are none) error patterns. */
    texts: { signatureLines: 5, criticalFindings: 3, errorPatterns: 3, max: 8 },
    /** Unmatched error lines the classifier reads, at most. */
    unmatchedLines: 6,
  },
  precedence: {
    /** A specific cause scoring this much or more discounts the generic symptoms (`role: 'symptom'` in the registry). */
    specificCause: 0.5,
    /** Factor applied to symptoms then. */
    symptomDiscount: 0.6,
    /** A cause scoring this much or more is lifted just above the effects it explains (`explains` in the registry)… */
    explainingCause: 0.4,
    /** …to the effect's score plus this margin (capped at `maxConfidence`). */
    causeMargin: 0.03,
    /** The cause quotes this many of the effect's evidence lines… */
    explainedLines: 2,
    /** …at this fraction of their weight. */
    explainedEvidence: 0.5,
  },
  unknown: {
    /** Below this best score, `unknown` leads the ranking. */
    threshold: 0.3,
    /** Confidence of `unknown` with no evidence at all: it is `max(minConfidence, min(best, threshold))`. */
    minConfidence: 0.1,
  },
  states: {
    /** Score of the most frequent cause of the most specific failure state seen (only when no rule reached `unknown.threshold`). */
    score: 0.4,
    /** Each less frequent cause of a state scores this much less. */
    causeStep: 0.03,
    /** Each less specific state scores this much less. */
    step: 0.02,
    /** …but never less than this. */
    floor: 0.15,
    /** A cause with weak evidence of its own gains this much (it leads its state's other causes). */
    corroboration: 0.05,
    /** Highest score a state-derived hypothesis reaches: modest, no line names the cause. */
    maxScore: 0.48,
    /** Weight of the state line as evidence. */
    evidence: 0.2,
  },
  transient: {
    /**
     * Factor of a connection-kind hypothesis (`dependency_unreachable`, `probe_failure`,
     * `dns_resolution`) whose every quoted line is followed in its log by the service coming up:
     * a start-up race, not a failure (`transient.ts`).
     */
    startupRace: 0.3,
  },
  alternatives: {
    /**
     * Scores of the alternatives to a lead resting on a signature or finding (`alternatives.ts`),
     * as fractions ("shares") of the lead's score, so that none reaches it. A second reading of the
     * lead's own lines (a signature of another category on them) shares `signature + signaturePerWeight · weight`.
     */
    signature: 0.45,
    signaturePerWeight: 0.15,
    /** Weight a second reading's signature needs at least. */
    signatureMinWeight: 0.3,
    /** A category the classifier gives the strongest lines: `model + modelPerProbability · p`. */
    model: 0.36,
    modelPerProbability: 0.2,
    /**
     * Mean probability the classifier needs to propose an alternative; at most `modelMax` of them.
     * On cases it was not trained on, its second categories below this are mostly noise.
     */
    modelMinProbability: 0.25,
    modelMax: 2,
    /** A known confusion of the lead's category, the table's first; each further one `confusionStep` less. */
    confusion: 0.44,
    confusionStep: 0.03,
    /** A cause of a failure state seen, the state's first; each further one `stateStep` less. */
    state: 0.38,
    stateStep: 0.03,
    /** Each further source proposing the same category adds this share. */
    agreement: 0.05,
    /** Highest share: an alternative stays well below its lead. */
    maxShare: 0.62,
    /**
     * Highest score of an alternative (reached at `maxShare`): below `unknown.threshold`, since no
     * line names it as its own cause; a category with evidence of its own at diagnosis level ranks above.
     */
    ceiling: 0.29,
    /** Lead's evidence lines an alternative quotes (and reads for second readings), at most. */
    quotedLines: 3,
    /** Weight of those lines as the alternative's evidence. */
    evidence: 0.2,
  },
  /** Highest confidence the rules give. */
  maxConfidence: 0.97,
  /** Hypotheses returned at most. */
  maxHypotheses: 5,
  evidence: {
    /** Ordering bonus of an exact input line (or an event's own text) over a rendered object field of equal weight. */
    exactLineBonus: 0.02,
    /** Evidence lines a hypothesis quotes at most. */
    perHypothesis: 8,
  },
} as const);

/** Below this, `unknown` leads the ranking ({@link WEIGHTS}`.unknown.threshold`). */
export const UNKNOWN_THRESHOLD = WEIGHTS.unknown.threshold;
/** Score of a change event followed by new or spiking error patterns ({@link WEIGHTS}`.deployRegression.score`). */
export const DEPLOY_REGRESSION_SCORE = WEIGHTS.deployRegression.score;
/** Highest confidence the rules give ({@link WEIGHTS}`.maxConfidence`). */
export const MAX_CONFIDENCE = WEIGHTS.maxConfidence;
/** Hypotheses returned at most ({@link WEIGHTS}`.maxHypotheses`). */
export const MAX_HYPOTHESES = WEIGHTS.maxHypotheses;
/** Relevance of a workload finding clearly about another workload than the incident's ({@link WEIGHTS}`.findings.otherWorkload`). */
export const OTHER_RESOURCE_FACTOR = WEIGHTS.findings.otherWorkload;
/** Probability the classifier needs on an unmatched error line ({@link WEIGHTS}`.model.lineMinProbability`). */
export const MODEL_LINE_MIN_PROBABILITY = WEIGHTS.model.lineMinProbability;
/** Distinct unmatched lines that must agree ({@link WEIGHTS}`.model.lineMinAgreeing`). */
export const MODEL_LINE_MIN_AGREEING = WEIGHTS.model.lineMinAgreeing;
/** Highest score of a hypothesis resting on the model alone ({@link WEIGHTS}`.model.onlyMaxScore`). */
export const MODEL_ONLY_MAX_SCORE = WEIGHTS.model.onlyMaxScore;
/** Score of the most frequent cause of the most specific failure state ({@link WEIGHTS}`.states.score`). */
export const STATE_SCORE = WEIGHTS.states.score;
/** Each less frequent cause of a state scores this much less ({@link WEIGHTS}`.states.causeStep`). */
export const STATE_CAUSE_STEP = WEIGHTS.states.causeStep;
/** Each less specific state scores this much less ({@link WEIGHTS}`.states.step`). */
export const STATE_STEP = WEIGHTS.states.step;
/** A corroborated cause of a state gains this much ({@link WEIGHTS}`.states.corroboration`). */
export const STATE_CORROBORATION = WEIGHTS.states.corroboration;
/** Highest score a state-derived hypothesis reaches ({@link WEIGHTS}`.states.maxScore`). */
export const STATE_MAX_SCORE = WEIGHTS.states.maxScore;
