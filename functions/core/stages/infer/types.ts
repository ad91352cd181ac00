/**
 * Input and output of the infer stage.
 */
import type { CollectedContext, Degradation } from '../../model/evidence.js';
import type { Incident } from '../../model/incident.js';
import type { Analysis, Hypothesis, Retrieval } from '../../model/analysis.js';
import type { Category } from '../../model/categories.js';

/** Input of `infer`. */
export interface InferInput {
  readonly incident: Incident;
  readonly context: CollectedContext;
  readonly analysis: Analysis;
  readonly retrieval: Retrieval;
}

/** Output of `infer`. */
export interface InferResult {
  readonly hypotheses: Hypothesis[];
  readonly model?: { id: string; sha256: string };
  readonly degraded: Degradation[];
}

/** Where an alternative comes from, in order of strength. */
export type AlternativeSource = 'signature' | 'model' | 'confusion' | 'state';

/** What makes a candidate an alternative reading of the lead's evidence. */
export interface AlternativeOf {
  readonly lead: Category;
  readonly source: AlternativeSource;
  /** The classifier's mean probability, for `model`. */
  readonly probability?: number;
  /** The failure state's label, for `state`. */
  readonly state?: string;
}

