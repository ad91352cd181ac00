/**
 * Input and output of the infer stage.
 */
import type { CollectedContext, Degradation } from '../../model/evidence.js';
import type { Incident } from '../../model/incident.js';
import type { Analysis, Hypothesis, Retrieval } from '../../model/analysis.js';

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
