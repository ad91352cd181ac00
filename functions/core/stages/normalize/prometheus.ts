/**
 * Prometheus alerts, in the forms they reach us:
 *
 * - an Alertmanager webhook (`{version: '4', status, alerts[], commonLabels, …}`; Prometheus
 *   docs, "Alertmanager configuration: webhook_config");
 * - one alert as the Alertmanager API v2 returns it (`{labels, annotations, startsAt, endsAt,
 *   fingerprint, status}`);
 * - the Robusta/HolmesGPT wrappers recorded in HolmesGPT's tests: an alert under `raw`
 *   (`{name, source_type: 'prometheus', raw: {…}}`), a Robusta finding (`{title,
 *   aggregation_key, subject_name, subject_type, subject_namespace, cluster, priority, labels,
 *   annotations, evidence[]}`) and an investigate request (`{source, title, description,
 *   subject: {name, namespace, kind}, context}`).
 */
import type { ResourceRef } from '../../model/incident.js';
import type { IncidentDraft } from './draft.js';
import { alertSeverity, hintFromAlert } from './hints.js';
import { arr, digest, firstTime, isObject, obj, str, stringRecord, type JsonObject } from './util.js';

/** Label names that name a Kubernetes object, and the kind they name. */
const OBJECT_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['pod', 'Pod'], ['deployment', 'Deployment'], ['statefulset', 'StatefulSet'], ['daemonset', 'DaemonSet'],
  ['replicaset', 'ReplicaSet'], ['job_name', 'Job'], ['cronjob', 'CronJob'], ['node', 'Node'],
  ['persistentvolumeclaim', 'PersistentVolumeClaim'], ['horizontalpodautoscaler', 'HorizontalPodAutoscaler'],
];

/** Kubernetes kinds as Robusta writes `subject_type` (`pod`, `deployment`, …). */
function kindOf(subjectType: string | undefined): string | undefined {
  if (!subjectType) return undefined;
  const known: Record<string, string> = {
    pod: 'Pod', deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet', job: 'Job',
    cronjob: 'CronJob', node: 'Node', replicaset: 'ReplicaSet', service: 'Service', persistentvolumeclaim: 'PersistentVolumeClaim',
  };
  return known[subjectType.toLowerCase()];
}

/** Resources the labels of an alert name. The exporter's own pod (kube-state-metrics) is not one of them. */
function resourcesFromLabels(labels: Record<string, string>, cluster: string | undefined): ResourceRef[] {
  const namespace = labels['namespace'];
  const out: ResourceRef[] = [];
  for (const [label, kind] of OBJECT_LABELS) {
    const name = labels[label];
    if (!name) continue;
    if (label === 'pod' && /kube-state-metrics|node-exporter/.test(name)) continue;
    out.push({ type: kind, name, ...(namespace && kind !== 'Node' ? { namespace } : {}), ...(cluster ? { cluster } : {}) });
  }
  return out;
}

/**
 * Robusta evidence tables (`evidence[].data`: JSON, sometimes escaped once more) as lines:
 * `Warning Failed: Failed to pull image …`.
 */
function robustaEvidenceLines(evidence: unknown): string[] {
  const lines: string[] = [];
  for (const item of arr(evidence).filter(isObject)) {
    let data: unknown = item['data'];
    for (let i = 0; i < 2 && typeof data === 'string'; i++) {
      try {
        data = JSON.parse(data);
      } catch {
        try {
          data = JSON.parse(`"${data}"`);
        } catch {
          break;
        }
      }
    }
    for (const block of arr(data).filter(isObject)) {
      const table = obj(block['data']);
      if (block['type'] !== 'table' || !table) continue;
      const headers = arr(table['headers']).map((h) => String(h));
      const reasonAt = headers.indexOf('reason');
      const typeAt = headers.indexOf('type');
      const messageAt = headers.indexOf('message');
      if (messageAt < 0) continue;
      for (const row of arr(table['rows'])) {
        if (!Array.isArray(row)) continue;
        const message = typeof row[messageAt] === 'string' ? (row[messageAt] as string) : undefined;
        if (!message) continue;
        const prefix = [typeAt >= 0 ? row[typeAt] : undefined, reasonAt >= 0 ? row[reasonAt] : undefined].filter((v) => typeof v === 'string').join(' ');
        lines.push(prefix ? `${prefix}: ${message}` : message);
      }
    }
  }
  return lines;
}

interface AlertParts {
  readonly alertName?: string;
  readonly title: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly description?: string;
  readonly startsAt?: unknown;
  readonly resolved: boolean;
  readonly seed: string;
  readonly cluster?: string;
  readonly subject?: { name?: string; kind?: string; namespace?: string; node?: string };
  readonly priority?: string;
  readonly extraEvidence: string[];
}

function draftFromAlert(parts: AlertParts): IncidentDraft {
  const labels = parts.labels;
  const cluster = parts.cluster ?? labels['cluster'];
  const resources = resourcesFromLabels(labels, cluster);
  const subject = parts.subject;
  const namespace = labels['namespace'] ?? subject?.namespace;
  if (subject?.name) {
    const kind = subject.kind ?? 'Workload';
    if (!resources.some((r) => r.name === subject.name)) {
      resources.unshift({ type: kind, name: subject.name, ...(namespace && kind !== 'Node' ? { namespace } : {}), ...(cluster ? { cluster } : {}) });
    }
  }
  if (subject?.node && !resources.some((r) => r.type === 'Node')) resources.push({ type: 'Node', name: subject.node, ...(cluster ? { cluster } : {}) });
  const evidence: string[] = [];
  const description = parts.annotations['description'] ?? parts.description;
  if (description) evidence.push(description);
  if (parts.description && parts.description !== description) evidence.push(parts.description);
  for (const line of parts.extraEvidence) if (!evidence.includes(line)) evidence.push(line);
  const summary = parts.annotations['summary'];
  return {
    idSeed: parts.seed,
    source: 'prometheus-alert',
    title: parts.title,
    severity: alertSeverity(labels['severity'], parts.priority, parts.resolved),
    occurredAtMs: firstTime(parts.startsAt),
    state: parts.resolved ? 'resolved' : 'firing',
    reason: summary ?? description,
    resources,
    cluster,
    namespace,
    labels,
    inlineEvidence: evidence.length > 0 ? evidence : undefined,
    hintedCategory: hintFromAlert(parts.alertName ?? labels['alertname'], labels['reason']),
  };
}

function isResolved(status: unknown): boolean {
  if (typeof status === 'string') return status === 'resolved';
  const state = str(obj(status)?.['state']);
  return state === 'suppressed' ? false : state === 'resolved';
}

function fromSingleAlert(alert: JsonObject, extra: { cluster?: string; extraEvidence?: string[] } = {}): IncidentDraft {
  const labels = stringRecord(alert['labels']);
  const annotations = stringRecord(alert['annotations']);
  const alertName = labels['alertname'] ?? str(alert['name']);
  const summary = annotations['summary'];
  const startsAt = alert['startsAt'];
  const fingerprint = str(alert['fingerprint']);
  return draftFromAlert({
    alertName,
    title: `${alertName ?? 'Prometheus alert'}${summary ? `: ${summary}` : ''}`,
    labels,
    annotations,
    startsAt,
    resolved: isResolved(alert['status']),
    seed: fingerprint
      ? `prometheus:${fingerprint}|${String(startsAt ?? '')}`
      : `prometheus-digest:${digest(JSON.stringify([labels, String(startsAt ?? '')]))}`,
    cluster: extra.cluster,
    extraEvidence: extra.extraEvidence ?? [],
  });
}

/** Alertmanager webhook: the first firing alert leads; every alert's description is kept as evidence. */
export function fromAlertmanagerWebhook(payload: JsonObject): IncidentDraft | undefined {
  const alerts = arr(payload['alerts']).filter(isObject);
  if (alerts.length === 0) return undefined;
  const lead = alerts.find((a) => !isResolved(a['status'])) ?? alerts[0]!;
  const others = alerts.filter((a) => a !== lead);
  const extraEvidence = others
    .map((a) => stringRecord(a['annotations'])['description'])
    .filter((d): d is string => Boolean(d));
  const draft = fromSingleAlert(lead, { extraEvidence });
  const resources = [...draft.resources];
  for (const other of others) {
    for (const r of resourcesFromLabels(stringRecord(other['labels']), draft.cluster)) resources.push(r);
  }
  const group = str(payload['groupKey']);
  return {
    ...draft,
    title: others.length > 0 ? `${draft.title} (+${others.length} more alert${others.length > 1 ? 's' : ''})` : draft.title,
    idSeed: group ? `alertmanager:${group}|${draft.idSeed}` : draft.idSeed,
    resources,
  };
}

/** One Alertmanager alert (`{labels: {alertname}, annotations, startsAt}`). */
export function fromAlertmanagerAlert(alert: JsonObject): IncidentDraft {
  return fromSingleAlert(alert);
}

/** HolmesGPT/Robusta wrapper: `{name, source_type: 'prometheus', raw: <alert>}`. */
export function fromRobustaAlert(payload: JsonObject, raw: JsonObject): IncidentDraft {
  const draft = fromSingleAlert({ ...raw, name: raw['name'] ?? payload['name'] });
  const id = str(payload['id']) ?? str(raw['unique_id']);
  return id ? { ...draft, idSeed: `robusta:${id}` } : draft;
}

/** A Robusta finding (`subject_name`, `aggregation_key`, `priority`, `evidence[]`). */
export function fromRobustaFinding(payload: JsonObject): IncidentDraft {
  const labels = stringRecord(payload['labels']);
  const annotations = stringRecord(payload['annotations']);
  const alertName = labels['alertname'] ?? str(payload['aggregation_key']);
  const title = str(payload['title']) ?? alertName ?? 'Robusta finding';
  const id = str(payload['id']) ?? str(payload['fingerprint']);
  return draftFromAlert({
    alertName,
    title: alertName && alertName !== title ? `${alertName}: ${title}` : title,
    labels,
    annotations,
    description: str(payload['description']),
    startsAt: payload['starts_at'] ?? payload['start_timestamp'] ?? payload['creation_date'],
    resolved: payload['failure'] === false,
    seed: id ? `robusta:${id}` : `robusta-digest:${digest(JSON.stringify(payload))}`,
    cluster: str(payload['cluster']),
    subject: {
      name: str(payload['subject_name']),
      kind: kindOf(str(payload['subject_type'])),
      namespace: str(payload['subject_namespace']),
      node: str(payload['subject_node']),
    },
    priority: str(payload['priority']),
    extraEvidence: robustaEvidenceLines(payload['evidence']),
  });
}

/** A HolmesGPT investigate request (`{source, title, description, subject, context}`). */
export function fromInvestigateRequest(payload: JsonObject): IncidentDraft {
  const subject = obj(payload['subject']) ?? {};
  const context = obj(payload['context']) ?? {};
  const labels = stringRecord(subject['labels']);
  const annotations = stringRecord(subject['annotations']);
  const alertName = str(context['issue_type']) ?? str(payload['title']);
  const container = str(subject['container']);
  if (container) labels['container'] = container;
  const source = str(payload['source']);
  if (source) labels['alertSource'] = source;
  const id = str(context['robusta_issue_id']);
  return draftFromAlert({
    alertName,
    title: str(payload['title']) ?? alertName ?? 'Investigation request',
    labels,
    annotations,
    description: str(payload['description']),
    resolved: false,
    seed: id ? `robusta:${id}` : `investigate-digest:${digest(JSON.stringify(payload))}`,
    cluster: str(subject['cluster']),
    subject: {
      name: str(subject['name']),
      kind: kindOf(str(subject['kind']) ?? str(subject['subject_type'])),
      namespace: str(subject['namespace']),
      node: str(subject['node']),
    },
    extraEvidence: [],
  });
}
