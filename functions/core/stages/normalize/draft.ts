/**
 * The intermediate record each shape reader returns: an {@link Incident} without the parts the
 * stage computes uniformly (id, window, baseline), plus the seed the id is derived from.
 */
import type { Category } from '../../model/categories.js';
import type { AlarmRef, Incident, IncidentSource, ResourceRef, Severity } from '../../model/incident.js';

export interface IncidentDraft {
  /** What the id is derived from (e.g. `alarm:<arn>|<ISO time>`, `event:<EventBridge id>`). */
  readonly idSeed: string;
  readonly source: IncidentSource;
  readonly title: string;
  readonly severity: Severity;
  /** ms since the epoch; `undefined` when the payload carries no time (then `options.now` is used). */
  readonly occurredAtMs?: number;
  readonly state?: string;
  readonly previousState?: string;
  readonly reason?: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly resources: readonly ResourceRef[];
  readonly alarm?: AlarmRef;
  readonly cluster?: string;
  readonly namespace?: string;
  readonly functionName?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly question?: string;
  readonly inlineEvidence?: readonly string[];
  readonly hintedCategory?: Category;
  /** Minimum look-back the source itself implies (an alarm's evaluation span), minutes. */
  readonly minLookbackMinutes?: number;
}

/** Fields of {@link Incident} that a draft fills; used to type the finishing step. */
export type DraftedIncident = Omit<Incident, 'id' | 'window' | 'baseline' | 'occurredAt'>;
