/**
 * The intermediate record each shape reader returns: an {@link Incident} without the parts the
 * stage computes uniformly (id, window, baseline), plus the seed the id is derived from.
 */
import type { Incident } from '../../model/incident.js';

/** Fields of {@link Incident} that a draft fills; used to type the finishing step. */
export type DraftedIncident = Omit<Incident, 'id' | 'window' | 'baseline' | 'occurredAt'>;

export interface IncidentDraft extends DraftedIncident {
  /** What the id is derived from (e.g. `alarm:<arn>|<ISO time>`, `event:<EventBridge id>`). */
  readonly idSeed: string;
  /** ms since the epoch; `undefined` when the payload carries no time (then `options.now` is used). */
  readonly occurredAtMs?: number;
  /** Minimum look-back the source itself implies (an alarm's evaluation span), minutes. */
  readonly minLookbackMinutes?: number;
}
