/**
 * Collector of earlier diagnoses for the same resource, read from the S3 store's index, for
 * "seen before" and similar-incident retrieval.
 */
import type { Collector, PartialContext } from '../../core/ports/collector.port.js';
import type { Incident } from '../../core/model/incident.js';
import type { PriorDiagnosis } from '../../core/model/evidence.js';
import type { S3DiagnosisStore } from './s3-diagnosis.store.js';
import { degradationFor } from './aws-errors.js';

export interface PriorDiagnosesCollectorOptions {
  readonly store: Pick<S3DiagnosisStore, 'priorDiagnoses'>;
  /** Most earlier diagnoses kept; default 5. */
  readonly limit?: number;
  /** How far back to look, days; default 30. */
  readonly sinceDays?: number;
  /** Most resources looked up; default 3. */
  readonly maxResources?: number;
  /** Clock; default `() => new Date()`. */
  readonly now?: () => Date;
}

/** The resource names an incident is best known by: alarm, function, cluster, then resources. */
export function resourceKeysOf(incident: Incident): string[] {
  const keys = new Set<string>();
  if (incident.alarm?.name) keys.add(incident.alarm.name);
  if (incident.functionName) keys.add(incident.functionName);
  for (const r of incident.resources) if (r.name && r.type !== 'AWS::CloudWatch::Alarm') keys.add(r.name);
  if (incident.cluster) keys.add(incident.cluster);
  return [...keys];
}

/**
 * @example
 * const collector = new PriorDiagnosesCollector({ store });
 * const { priorDiagnoses } = await collector.collect(incident, signal);
 */
export class PriorDiagnosesCollector implements Collector {
  readonly name = 'prior-diagnoses';
  constructor(private readonly options: PriorDiagnosesCollectorOptions) {}

  /** Never throws for S3 errors: they become `degraded` entries. */
  async collect(incident: Incident, signal: AbortSignal): Promise<PartialContext> {
    const limit = this.options.limit ?? 5;
    const found = new Map<string, PriorDiagnosis>();
    for (const resource of resourceKeysOf(incident).slice(0, this.options.maxResources ?? 3)) {
      if (signal.aborted || found.size >= limit) break;
      try {
        const prior = await this.options.store.priorDiagnoses(resource, { excludeId: incident.id, limit, sinceDays: this.options.sinceDays, now: this.options.now?.() });
        for (const p of prior) if (!found.has(p.id)) found.set(p.id, p);
      } catch (error) {
        return { priorDiagnoses: [...found.values()], degraded: [degradationFor(this.name, 's3:GetObject', `index entries for ${resource}`, error)] };
      }
    }
    const priorDiagnoses = [...found.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
    return { priorDiagnoses };
  }
}
