/**
 * Kubernetes analyzers in the k8sgpt manner: one pure function per resource kind from collected
 * objects and `kubectl` text to findings, a registry that chooses which run, and a runner that
 * records each analyzer's error instead of aborting.
 */
import type { CollectedContext, Degradation } from '../../../model/evidence.js';
import type { Finding } from '../../../model/analysis.js';
import { describeError } from '../../../model/errors.js';
import { EventsAnalyzer } from './events.js';
import { HorizontalPodAutoscalerAnalyzer } from './hpa.js';
import { NodeAnalyzer, PersistentVolumeClaimAnalyzer, ResourceQuotaAnalyzer } from './cluster.js';
import { IngressAnalyzer, NetworkPolicyAnalyzer, ServiceAnalyzer } from './networking.js';
import { RbacAnalyzer } from './rbac.js';
import { DeploymentAnalyzer, JobAnalyzer, PodAnalyzer, ReplicaSetAnalyzer, StatefulSetAnalyzer } from './workloads.js';
import { canonicalKind, describeKind, type KubernetesAnalyzer } from './util.js';

export type { KubernetesAnalyzer } from './util.js';
export {
  PodAnalyzer, DeploymentAnalyzer, ReplicaSetAnalyzer, StatefulSetAnalyzer, JobAnalyzer, NodeAnalyzer,
  PersistentVolumeClaimAnalyzer, ServiceAnalyzer, IngressAnalyzer, HorizontalPodAutoscalerAnalyzer, EventsAnalyzer,
  NetworkPolicyAnalyzer, ResourceQuotaAnalyzer, RbacAnalyzer,
};
export { kubectlNeeds } from './rbac.js';
export { describeKind, canonicalKind, parseCpu, parseBytes } from './util.js';

/** Every analyzer, in the order they run. */
export const ANALYZERS: readonly KubernetesAnalyzer[] = [
  PodAnalyzer, DeploymentAnalyzer, ReplicaSetAnalyzer, StatefulSetAnalyzer, JobAnalyzer, NodeAnalyzer,
  PersistentVolumeClaimAnalyzer, ServiceAnalyzer, IngressAnalyzer, HorizontalPodAutoscalerAnalyzer,
  NetworkPolicyAnalyzer, ResourceQuotaAnalyzer, RbacAnalyzer, EventsAnalyzer,
];

/** Kinds present in a context, from objects and describe blocks. */
export function presentKinds(context: CollectedContext): Set<string> {
  const kinds = new Set<string>();
  for (const o of context.kubernetesObjects) { const k = canonicalKind(o.kind); if (k) kinds.add(k); }
  for (const b of context.describes) { const k = describeKind(b); if (k) kinds.add(k); }
  return kinds;
}

/**
 * The registry: the analyzers that have something to read in `context` (objects or describe
 * blocks of one of their kinds; the events analyzer when there are events), optionally limited
 * to the named ones.
 */
export function selectAnalyzers(context: CollectedContext, only?: readonly string[]): KubernetesAnalyzer[] {
  const kinds = presentKinds(context);
  return ANALYZERS.filter((a) => {
    if (only && !only.includes(a.name)) return false;
    if (a.always) return a !== EventsAnalyzer || context.kubernetesEvents.length > 0;
    return a.kinds.some((k) => kinds.has(k));
  });
}

/**
 * Runs the selected analyzers over a collected context. An analyzer that throws is recorded as a
 * `Degradation` (`component: kubernetes:<name>`) and the others go on.
 *
 * @returns findings (critical first, then warning, then info; input order kept within a
 *   severity) and the analyzers' errors.
 * @example
 * const { findings, errors } = runKubernetesAnalyzers(context);
 */
export function runKubernetesAnalyzers(
  context: CollectedContext,
  options: { only?: readonly string[]; analyzers?: readonly KubernetesAnalyzer[] } = {},
): { findings: Finding[]; errors: Degradation[] } {
  const findings: Finding[] = [];
  const errors: Degradation[] = [];
  const chosen = options.analyzers ?? selectAnalyzers(context, options.only);
  for (const analyzer of chosen) {
    try {
      findings.push(...analyzer.analyze(context));
    } catch (error) {
      errors.push({ component: `kubernetes:${analyzer.name}`, kind: 'error', reason: describeError(error) });
    }
  }
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  const sorted = findings.map((f, i) => ({ f, i })).sort((a, b) => rank[a.f.severity] - rank[b.f.severity] || a.i - b.i).map((x) => x.f);
  return { findings: sorted, errors };
}
