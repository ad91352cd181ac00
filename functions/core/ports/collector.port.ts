/**
 * Port of the collect stage: one source of context for an incident (a file, CloudWatch Logs,
 * CloudWatch metrics, the Kubernetes API, earlier diagnoses). Adapters implement it.
 */
import type { Incident } from '../model/incident.js';
import type { CollectedContext } from '../model/evidence.js';

/** Part of a {@link CollectedContext}: a collector fills only what it knows. */
export type PartialContext = { -readonly [K in keyof CollectedContext]?: CollectedContext[K] };

export interface Collector {
  /** Short stable name used in `degraded` entries, e.g. `cloudwatch-logs`, `file:pod.txt`. */
  readonly name: string;
  /**
   * Gathers context for `incident`. Must stop promptly when `signal` aborts (the stage's time
   * budget ran out). Throwing is allowed: the stage records the error and the others go on.
   * A collector may report partial failure itself through `degraded`.
   */
  collect(incident: Incident, signal: AbortSignal): Promise<PartialContext>;
}
