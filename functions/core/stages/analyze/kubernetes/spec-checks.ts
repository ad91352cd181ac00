/**
 * Static checks of a pod template (what a manifest says, before any status exists): probes aimed
 * at undeclared ports, references to ConfigMaps/Secrets/ServiceAccounts that are not among the
 * collected objects of the namespace, and required pod anti-affinity that needs more nodes than
 * there are.
 *
 * "Not among the collected objects" only counts when objects of that kind were collected for the
 * namespace (otherwise the collection simply did not look), and the finding says so.
 */
import type { CollectedContext } from '../../../model/evidence.js';
import type { Finding } from '../../../model/analysis.js';
import {
  containersOf, describesOfKind, makeFinding, objectRef, objectsOfKind, sameNamespace, type PodTemplate,
} from './util.js';

/** Probe ports that no container port declares (numeric or named). */
function probeChecks(analyzer: string, t: PodTemplate): Finding[] {
  const out: Finding[] = [];
  for (const { container, init, index } of containersOf(t.spec)) {
    if (init) continue;
    const ports: any[] = Array.isArray(container?.ports) ? container.ports : [];
    if (ports.length === 0) continue;
    const numbers = new Set(ports.map((p) => Number(p.containerPort)));
    const names = new Set(ports.map((p) => p.name).filter(Boolean));
    for (const probeName of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const probe = container[probeName];
      const handler = probe?.httpGet ?? probe?.tcpSocket ?? probe?.grpc;
      if (!handler || handler.port === undefined) continue;
      const port = handler.port;
      const declared = typeof port === 'number' || /^\d+$/.test(String(port)) ? numbers.has(Number(port)) : names.has(String(port));
      if (declared) continue;
      const kind = probe.httpGet ? 'httpGet' : probe.tcpSocket ? 'tcpSocket' : 'grpc';
      const path = `${t.specPath}.containers[${index}].${probeName}.${kind}.port`;
      const effect = probeName === 'readinessProbe' ? 'the pod never becomes ready' : 'the container is restarted';
      out.push(makeFinding(
        analyzer, t.ownerKind, t.name, t.namespace, probeName === 'readinessProbe' ? 'warning' : 'critical',
        `${probeName} of container ${container.name} targets port ${port}, which the container does not declare (declared: ${[...numbers].join(', ')}); if nothing listens there the probe fails and ${effect}`,
        [objectRef(t.owner, path, port), objectRef(t.owner, `${t.specPath}.containers[${index}].ports`, ports.map((p) => p.containerPort))],
        'probe_failure',
      ));
    }
  }
  return out;
}

interface Reference { kind: 'ConfigMap' | 'Secret' | 'ServiceAccount'; name: string; key?: string; path: string }

function referencesOf(t: PodTemplate): Reference[] {
  const refs: Reference[] = [];
  const spec = t.spec;
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: any, i: number) => {
    if (v?.configMap?.name && v.configMap.optional !== true) refs.push({ kind: 'ConfigMap', name: v.configMap.name, path: `${t.specPath}.volumes[${i}].configMap.name` });
    if (v?.secret?.secretName && v.secret.optional !== true) refs.push({ kind: 'Secret', name: v.secret.secretName, path: `${t.specPath}.volumes[${i}].secret.secretName` });
    (Array.isArray(v?.projected?.sources) ? v.projected.sources : []).forEach((s: any, j: number) => {
      if (s?.configMap?.name && s.configMap.optional !== true) refs.push({ kind: 'ConfigMap', name: s.configMap.name, path: `${t.specPath}.volumes[${i}].projected.sources[${j}].configMap.name` });
      if (s?.secret?.name && s.secret.optional !== true) refs.push({ kind: 'Secret', name: s.secret.name, path: `${t.specPath}.volumes[${i}].projected.sources[${j}].secret.name` });
    });
  });
  for (const { container, init, index } of containersOf(spec)) {
    const base = `${t.specPath}.${init ? 'initContainers' : 'containers'}[${index}]`;
    (Array.isArray(container?.envFrom) ? container.envFrom : []).forEach((e: any, i: number) => {
      if (e?.configMapRef?.name && e.configMapRef.optional !== true) refs.push({ kind: 'ConfigMap', name: e.configMapRef.name, path: `${base}.envFrom[${i}].configMapRef.name` });
      if (e?.secretRef?.name && e.secretRef.optional !== true) refs.push({ kind: 'Secret', name: e.secretRef.name, path: `${base}.envFrom[${i}].secretRef.name` });
    });
    (Array.isArray(container?.env) ? container.env : []).forEach((e: any, i: number) => {
      const cm = e?.valueFrom?.configMapKeyRef;
      const sec = e?.valueFrom?.secretKeyRef;
      if (cm?.name && cm.optional !== true) refs.push({ kind: 'ConfigMap', name: cm.name, key: cm.key, path: `${base}.env[${i}].valueFrom.configMapKeyRef.name` });
      if (sec?.name && sec.optional !== true) refs.push({ kind: 'Secret', name: sec.name, key: sec.key, path: `${base}.env[${i}].valueFrom.secretKeyRef.name` });
    });
  }
  const sa = spec.serviceAccountName ?? spec.serviceAccount;
  if (typeof sa === 'string' && sa !== 'default') refs.push({ kind: 'ServiceAccount', name: sa, path: `${t.specPath}.serviceAccountName` });
  return refs;
}

/** References to ConfigMaps, Secrets (and keys) and ServiceAccounts missing from the collected namespace objects. */
function referenceChecks(analyzer: string, t: PodTemplate, context: CollectedContext): Finding[] {
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const ref of referencesOf(t)) {
    const pool = objectsOfKind(context, ref.kind).filter((o) => sameNamespace(o.metadata?.namespace, t.namespace));
    if (pool.length === 0) continue; // this kind was not collected for the namespace: absence means nothing
    const target = pool.find((o) => o.metadata?.name === ref.name);
    const id = `${ref.kind}/${ref.name}/${target ? ref.key ?? '' : ''}`;
    if (reported.has(id)) continue;
    if (!target) {
      reported.add(id);
      const present = pool.map((o) => o.metadata?.name).filter(Boolean).join(', ');
      out.push(makeFinding(
        analyzer, t.ownerKind, t.name, t.namespace, 'critical',
        `${t.ownerKind} ${t.name} references ${ref.kind} "${ref.name}", which is not among the collected ${ref.kind}s of namespace ${t.namespace ?? '(unset)'} (${present}); pods cannot start until it exists`,
        [objectRef(t.owner, ref.path, ref.name)],
        'missing_config_reference',
      ));
      continue;
    }
    if (ref.key && ref.kind !== 'ServiceAccount') {
      const data = { ...(target as any).data, ...(target as any).binaryData, ...(target as any).stringData };
      if (!(ref.key in data)) {
        reported.add(id);
        out.push(makeFinding(
          analyzer, t.ownerKind, t.name, t.namespace, 'critical',
          `${t.ownerKind} ${t.name} reads key "${ref.key}" of ${ref.kind} "${ref.name}", which has no such key (keys: ${Object.keys(data).join(', ') || 'none'})`,
          [objectRef(t.owner, ref.path.replace(/\.name$/, '.key'), ref.key)],
          'missing_config_reference',
        ));
      }
    }
  }
  return out;
}

/** Required pod anti-affinity on the node hostname needs one node per replica. */
function antiAffinityChecks(analyzer: string, t: PodTemplate, context: CollectedContext): Finding[] {
  const terms: any[] = t.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  if (!Array.isArray(terms) || t.replicas <= 1) return [];
  const out: Finding[] = [];
  const nodes = objectsOfKind(context, 'Node').length || describesOfKind(context, 'Node').length;
  terms.forEach((term, i) => {
    if (term?.topologyKey !== 'kubernetes.io/hostname') return;
    const selector = term.labelSelector?.matchLabels ?? {};
    const selectsOwnPods = Object.entries(selector).every(([k, v]) => t.labels[k] === String(v)) && Object.keys(selector).length > 0;
    if (!selectsOwnPods) return;
    if (nodes > 0 && nodes >= t.replicas) return;
    const known = nodes > 0 ? `only ${nodes} node(s) were collected` : 'no node list was collected';
    out.push(makeFinding(
      analyzer, t.ownerKind, t.name, t.namespace, nodes > 0 ? 'critical' : 'warning',
      `${t.ownerKind} ${t.name} wants ${t.replicas} replicas with required pod anti-affinity on kubernetes.io/hostname, so it needs ${t.replicas} schedulable nodes (${known}); replicas beyond the node count stay Pending`,
      [objectRef(t.owner, `${t.specPath}.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[${i}].topologyKey`, term.topologyKey),
        objectRef(t.owner, 'spec.replicas', t.replicas)],
      'node_selector_mismatch',
    ));
  });
  return out;
}

/** All static checks of one pod template. */
export function checkPodTemplate(analyzer: string, template: PodTemplate, context: CollectedContext): Finding[] {
  return [
    ...probeChecks(analyzer, template),
    ...referenceChecks(analyzer, template, context),
    ...antiAffinityChecks(analyzer, template, context),
  ];
}

