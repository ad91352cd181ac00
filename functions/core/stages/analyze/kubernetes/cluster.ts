/**
 * Node and PersistentVolumeClaim analyzers, and the ResourceQuota check.
 *
 * Node conditions: `Ready`, `MemoryPressure`, `DiskPressure`, `PIDPressure`, `NetworkUnavailable`
 * (Kubernetes docs, "Node status"). Describe blocks print them as a table under `Conditions:`.
 */
import type { Category } from '../../../model/categories.js';
import type { Finding } from '../../../model/analysis.js';
import {
  blockLines, blockRef, conditionsOf, containersOf, describeName, describeNamespace, describesOfKind, makeFinding,
  objectRef, objectsOfKind, parseBytes, parseCount, parseCpu, podTemplates, sameNamespace, type KubernetesAnalyzer,
} from './util.js';

const PRESSURE: Record<string, Category> = {
  MemoryPressure: 'memory_pressure_eviction',
  DiskPressure: 'disk_pressure_eviction',
  PIDPressure: 'pid_exhaustion',
  NetworkUnavailable: 'node_not_ready',
};

export const NodeAnalyzer: KubernetesAnalyzer = {
  name: 'NodeAnalyzer',
  kinds: ['Node'],
  analyze(context) {
    const out: Finding[] = [];
    for (const node of objectsOfKind(context, 'Node')) {
      const name = node.metadata?.name;
      for (const c of conditionsOf(node)) {
        if (c.type === 'Ready' && c.status !== 'True') {
          out.push(makeFinding('NodeAnalyzer', 'Node', name, undefined, 'critical', `node is not Ready (${c.status}): ${c.reason ?? ''} ${c.message ?? ''}`.trim(),
            [objectRef(node, 'status.conditions[Ready]', { status: c.status, reason: c.reason, message: c.message })], 'node_not_ready'));
        } else if (c.type in PRESSURE && c.status === 'True') {
          out.push(makeFinding('NodeAnalyzer', 'Node', name, undefined, 'critical', `node reports ${c.type}: ${c.message ?? c.reason ?? ''}`.trim(),
            [objectRef(node, `status.conditions[${c.type}]`, { status: c.status, reason: c.reason })], PRESSURE[c.type]));
        }
      }
      if (node.spec?.unschedulable === true) {
        out.push(makeFinding('NodeAnalyzer', 'Node', name, undefined, 'warning', 'node is cordoned (unschedulable)', [objectRef(node, 'spec.unschedulable', true)]));
      }
    }
    for (const block of describesOfKind(context, 'Node')) {
      const name = describeName(block);
      let inConditions = false;
      for (const row of blockLines(block)) {
        if (/^\S/.test(row.text)) inConditions = /^Conditions:/.test(row.text);
        if (/^Unschedulable:\s+true/.test(row.text)) out.push(makeFinding('NodeAnalyzer', 'Node', name, undefined, 'warning', 'node is cordoned (unschedulable)', [blockRef(block, row)]));
        if (!inConditions) continue;
        const m = /^\s+(\w+)\s+(True|False|Unknown)\s/.exec(row.text);
        if (!m) continue;
        if (m[1] === 'Ready' && m[2] !== 'True') {
          out.push(makeFinding('NodeAnalyzer', 'Node', name, undefined, 'critical', `node is not Ready (${m[2]})`, [blockRef(block, row)], 'node_not_ready'));
        } else if (m[1]! in PRESSURE && m[2] === 'True') {
          out.push(makeFinding('NodeAnalyzer', 'Node', name, undefined, 'critical', `node reports ${m[1]}`, [blockRef(block, row)], PRESSURE[m[1]!]));
        }
      }
    }
    return out;
  },
};

export const PersistentVolumeClaimAnalyzer: KubernetesAnalyzer = {
  name: 'PersistentVolumeClaimAnalyzer',
  kinds: ['PersistentVolumeClaim'],
  analyze(context) {
    const out: Finding[] = [];
    const classes = objectsOfKind(context, 'StorageClass').map((o) => o.metadata?.name);
    for (const pvc of objectsOfKind(context, 'PersistentVolumeClaim')) {
      const name = pvc.metadata?.name;
      const ns = pvc.metadata?.namespace;
      const sc = pvc.spec?.storageClassName;
      if (pvc.status?.phase === 'Pending' || pvc.status?.phase === 'Lost') {
        out.push(makeFinding('PersistentVolumeClaimAnalyzer', 'PersistentVolumeClaim', name, ns, 'critical',
          `claim is ${pvc.status.phase}${sc ? ` (storage class ${sc})` : ''}`, [objectRef(pvc, 'status.phase', pvc.status.phase)], 'pvc_pending'));
      }
      if (typeof sc === 'string' && sc !== '' && classes.length > 0 && !classes.includes(sc)) {
        out.push(makeFinding('PersistentVolumeClaimAnalyzer', 'PersistentVolumeClaim', name, ns, 'critical',
          `claim asks for storage class "${sc}", which is not among the collected storage classes (${classes.join(', ')}); it cannot be provisioned`,
          [objectRef(pvc, 'spec.storageClassName', sc)], 'pvc_pending'));
      }
    }
    for (const block of describesOfKind(context, 'PersistentVolumeClaim')) {
      const rows = blockLines(block);
      const status = rows.find((r) => /^Status:\s+(Pending|Lost)\b/.test(r.text));
      if (!status) continue;
      // WaitForFirstConsumer: Pending until a pod uses the claim is normal, unless provisioning fails.
      const waiting = rows.find((r) => /waiting for first consumer to be created before binding/.test(r.text));
      if (waiting && !rows.some((r) => /ProvisioningFailed|failed to provision/.test(r.text))) {
        out.push(makeFinding('PersistentVolumeClaimAnalyzer', 'PersistentVolumeClaim', describeName(block), describeNamespace(block), 'info',
          'claim waits for its first consumer (WaitForFirstConsumer binding): normal until a pod using it is scheduled', [blockRef(block, status), blockRef(block, waiting)]));
        continue;
      }
      const sc = rows.find((r) => /^StorageClass:\s+\S/.test(r.text));
      out.push(makeFinding('PersistentVolumeClaimAnalyzer', 'PersistentVolumeClaim', describeName(block), describeNamespace(block), 'critical',
        `claim is ${/Status:\s+(\w+)/.exec(status.text)![1]}${sc ? ` (${sc.text.replace(/\s+/g, ' ')})` : ''}`,
        [blockRef(block, status), ...(sc ? [blockRef(block, sc)] : [])], 'pvc_pending'));
    }
    return out;
  },
};

/** Resource keys of a ResourceQuota `spec.hard` this check can total, with the per-pod amount. */
const QUOTA_KEYS: Record<string, { parse: (v: unknown) => number; of: (c: any) => unknown }> = {
  'requests.cpu': { parse: parseCpu, of: (c) => c?.resources?.requests?.cpu ?? c?.resources?.limits?.cpu },
  cpu: { parse: parseCpu, of: (c) => c?.resources?.requests?.cpu ?? c?.resources?.limits?.cpu },
  'requests.memory': { parse: parseBytes, of: (c) => c?.resources?.requests?.memory ?? c?.resources?.limits?.memory },
  memory: { parse: parseBytes, of: (c) => c?.resources?.requests?.memory ?? c?.resources?.limits?.memory },
  'limits.cpu': { parse: parseCpu, of: (c) => c?.resources?.limits?.cpu },
  'limits.memory': { parse: parseBytes, of: (c) => c?.resources?.limits?.memory },
};

/**
 * ResourceQuota: totals what the collected workloads of the namespace ask for (replicas × the sum
 * of container requests/limits) against each `spec.hard` entry, and flags containers that set no
 * value for a quota'd resource (the API server rejects such pods: `must specify …`).
 * Current `status.used` is added when present.
 */
export const ResourceQuotaAnalyzer: KubernetesAnalyzer = {
  name: 'ResourceQuotaAnalyzer',
  kinds: ['ResourceQuota'],
  analyze(context) {
    const out: Finding[] = [];
    for (const quota of objectsOfKind(context, 'ResourceQuota')) {
      const ns = quota.metadata?.namespace;
      const hard: Record<string, unknown> = quota.spec?.hard ?? {};
      const templates = podTemplates(context, ['Deployment', 'StatefulSet', 'ReplicaSet', 'Job', 'Pod']).filter((t) => sameNamespace(t.namespace, ns));
      for (const [key, raw] of Object.entries(hard)) {
        if (key === 'pods') {
          const total = templates.reduce((n, t) => n + t.replicas, 0);
          if (total > parseCount(raw)) {
            out.push(makeFinding('ResourceQuotaAnalyzer', 'ResourceQuota', quota.metadata?.name, ns, 'critical', `workloads want ${total} pods but the quota allows ${raw}`,
              [objectRef(quota, 'spec.hard.pods', raw)], 'quota_exceeded'));
          }
          continue;
        }
        const rule = QUOTA_KEYS[key];
        if (!rule) continue;
        const limit = rule.parse(raw);
        if (!Number.isFinite(limit)) continue;
        let total = 0;
        const parts: string[] = [];
        for (const t of templates) {
          let perPod = 0;
          for (const { container, init } of containersOf(t.spec)) {
            if (init) continue;
            const value = rule.of(container);
            if (value === undefined) {
              out.push(makeFinding('ResourceQuotaAnalyzer', t.ownerKind, t.name, t.namespace, 'critical',
                `container ${container?.name} of ${t.ownerKind} ${t.name} sets no ${key} although ResourceQuota ${quota.metadata?.name} limits it: the API server rejects its pods (must specify ${key})`,
                [objectRef(quota, `spec.hard.${key}`, raw)], 'quota_exceeded'));
              continue;
            }
            perPod += rule.parse(value);
          }
          if (perPod > 0) { total += perPod * t.replicas; parts.push(`${t.ownerKind} ${t.name}: ${t.replicas} × ${fmt(key, perPod)}`); }
        }
        if (total > limit) {
          out.push(makeFinding('ResourceQuotaAnalyzer', 'ResourceQuota', quota.metadata?.name, ns, 'critical',
            `workloads in namespace ${ns ?? '(unset)'} need ${fmt(key, total)} of ${key} (${parts.join('; ')}) but ResourceQuota ${quota.metadata?.name} allows ${raw}: pods beyond the quota are rejected (exceeded quota)`,
            [objectRef(quota, `spec.hard.${key}`, raw)], 'quota_exceeded'));
        }
      }
    }
    return out;
  },
};

function fmt(key: string, value: number): string {
  if (key.includes('cpu')) return `${Math.round(value)}m`;
  return `${Math.round(value / 2 ** 20)}Mi`;
}
