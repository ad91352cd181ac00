/**
 * Events analyzer: one finding per (object, reason) of `Warning` events, from `kubectl get events`
 * tables, describe `Events:` sections or the API, with the category the message points to.
 */
import type { Finding } from '../../../model/analysis.js';
import type { EvidenceRef } from '../../../model/evidence.js';
import { categorizeText, eventRef, LineIndex } from '../signatures/index.js';
import { makeFinding, type KubernetesAnalyzer } from './util.js';

/** `kind/name` or `Kind/name` → kind and name. */
function splitObject(object: string | undefined): { kind: string; name?: string } {
  if (!object) return { kind: 'Event' };
  const [kind, ...rest] = object.split('/');
  return rest.length ? { kind: kind!.charAt(0).toUpperCase() + kind!.slice(1), name: rest.join('/') } : { kind: 'Event', name: object };
}

export const EventsAnalyzer: KubernetesAnalyzer = {
  name: 'EventsAnalyzer',
  kinds: [],
  always: true,
  analyze(context) {
    const index = LineIndex.of(context);
    const groups = new Map<string, { count: number; evidence: EvidenceRef[]; reason: string; message: string; object?: string; namespace?: string }>();
    for (const event of context.kubernetesEvents) {
      if (event.type !== 'Warning') continue;
      const key = `${event.namespace ?? ''}\u0000${event.object ?? ''}\u0000${event.reason}`;
      const group = groups.get(key) ?? { count: 0, evidence: [], reason: event.reason, message: event.message, object: event.object, namespace: event.namespace };
      group.count += event.count ?? 1;
      // the exact input row when the event was parsed from text (see eventRef)
      const ref: EvidenceRef = eventRef(event, index);
      if (group.evidence.length < 3 && !group.evidence.some((e) => e.text === ref.text)) group.evidence.push(ref);
      groups.set(key, group);
    }
    const out: Finding[] = [];
    for (const g of groups.values()) {
      const { kind, name } = splitObject(g.object);
      const category = categorizeText(`${g.reason} ${g.message}`)?.category;
      out.push(makeFinding('EventsAnalyzer', kind, name, g.namespace, 'warning',
        `${g.count} Warning event(s) ${g.reason}: ${g.message}`.slice(0, 400), g.evidence, category));
    }
    return out;
  },
};
