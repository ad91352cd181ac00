/**
 * The alarm-storm rule, pure: what an `ALARM` or `OK` transition does to the marker of its
 * alarm's open incident. The S3 and directory guards only read and write the marker.
 *
 * The window slides: a transition within `windowMs` of the marker's last one joins the open
 * incident (count + 1); a later one opens a new incident. At most 50 transitions are kept.
 */
import type { Incident } from '../model/incident.js';
import { stormMarkerKey } from '../model/store-layout.js';
import type { StormDecision, StormMarker } from './ports.js';

/** Default storm window: 30 minutes. */
export const DEFAULT_STORM_WINDOW_MS = 30 * 60_000;

/** The marker key of the alarm an incident names; undefined when it names no alarm. */
export function markerKeyOf(incident: Incident): string | undefined {
  const alarm = incident.alarm?.arn ?? incident.alarm?.name;
  return alarm ? stormMarkerKey(alarm) : undefined;
}

/**
 * The decision for an `ALARM` transition given the current marker, and the marker to write
 * (undefined: nothing to write).
 */
export function admitTransition(current: StormMarker | undefined, incident: Incident, key: string, windowMs: number): { decision: StormDecision; next?: StormMarker } {
  const m = current;
  if (m && m.incidentId === incident.id) return { decision: { kind: 'replay', incidentId: m.incidentId, count: m.count, key, firstAt: m.firstAt, lastAt: m.lastAt } };
  if (m && m.transitions.some((x) => x.id === incident.id)) return { decision: { kind: 'folded', incidentId: m.incidentId, count: m.count, key, firstAt: m.firstAt, lastAt: m.lastAt } };
  const at = incident.occurredAt;
  const t = Date.parse(at);
  const joins = m !== undefined && Math.abs(t - Date.parse(m.lastAt)) <= windowMs;
  const next: StormMarker = joins
    ? {
        ...m, count: m.count + 1,
        lastAt: t > Date.parse(m.lastAt) ? at : m.lastAt,
        transitions: [...m.transitions, { id: incident.id, state: 'ALARM', at }].slice(-50),
      }
    : {
        alarm: incident.alarm!.arn ?? incident.alarm!.name, incidentId: incident.id, firstAt: at, lastAt: at, count: 1,
        transitions: [{ id: incident.id, state: 'ALARM', at }],
      };
  return { decision: { kind: joins ? 'folded' : 'new', incidentId: next.incidentId, count: next.count, key, firstAt: next.firstAt, lastAt: next.lastAt }, next };
}

/**
 * The marker after an `OK` transition: `okAt` set and the transition listed; `changed: false`
 * when the transition was already recorded.
 */
export function recordOkTransition(current: StormMarker, incident: Incident): { marker: StormMarker; changed: boolean } {
  if (current.transitions.some((x) => x.id === incident.id)) return { marker: current, changed: false };
  return {
    marker: {
      ...current, okAt: incident.occurredAt,
      transitions: [...current.transitions, { id: incident.id, state: incident.state ?? 'OK', at: incident.occurredAt }].slice(-50),
    },
    changed: true,
  };
}
