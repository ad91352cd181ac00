/**
 * The diagnosis document: the product's output, versioned and described by
 * `schemas/diagnosis.schema.json`.
 */
import type { Incident } from './incident.js';
import type { Degradation, MetricSeries } from './evidence.js';
import type { Finding, Hypothesis, LogPattern, SimilarIncident } from './analysis.js';

/** Version of the diagnosis document; bump the minor on additive changes. */
export const DIAGNOSIS_SCHEMA_VERSION = '1.0';

/** What redaction masked, per kind (never the masked text itself). */
export interface Redaction {
  /** e.g. `aws-access-key-id`, `jwt`, `password-in-url`, `email`. */
  readonly kind: string;
  readonly count: number;
}

export interface Diagnosis {
  readonly schemaVersion: typeof DIAGNOSIS_SCHEMA_VERSION;
  readonly id: string;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  readonly incident: Incident;
  /** Ranked, best first; at least one entry (`unknown` when nothing fits). */
  readonly hypotheses: readonly Hypothesis[];
  readonly findings: readonly Finding[];
  readonly logPatterns: readonly LogPattern[];
  readonly similarIncidents: readonly SimilarIncident[];
  /** What could not be collected or analyzed, and why. */
  readonly degraded: readonly Degradation[];
  /** The model that scored hypotheses, when one ran. */
  readonly model?: { readonly id: string; readonly sha256: string };
  readonly redactions: readonly Redaction[];
  /** One paragraph for people: the leading hypothesis and its strongest evidence. */
  readonly summary: string;
  /** The alarm's metric (and related series) over the window, for the report's chart; may be absent. */
  readonly metrics?: readonly MetricSeries[];
  /** Pipeline timing per stage, milliseconds. */
  readonly timings: Readonly<Record<string, number>>;
}
