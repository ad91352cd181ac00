/**
 * HorizontalPodAutoscaler analyzer (autoscaling/v2 and v1).
 *
 * Conditions: `AbleToScale`, `ScalingActive` (False with `FailedGetResourceMetric` when metrics
 * cannot be read), `ScalingLimited` (True with `TooManyReplicas` at the maximum) — Kubernetes docs,
 * "Horizontal Pod Autoscaling". A `Utilization` target on cpu/memory needs a request for that
 * resource in every container of the target (`missing request for cpu`), as k8sgpt's HPA
 * analyzer also checks.
 */
import type { Finding } from '../../../model/analysis.js';
import {
  blockLines, blockRef, conditionsOf, containersOf, describeName, describeNamespace, describesOfKind, makeFinding,
  objectRef, objectsOfKind, podTemplates, sameNamespace, type KubernetesAnalyzer,
} from './util.js';

export const HorizontalPodAutoscalerAnalyzer: KubernetesAnalyzer = {
  name: 'HorizontalPodAutoscalerAnalyzer',
  kinds: ['HorizontalPodAutoscaler'],
  analyze(context) {
    const out: Finding[] = [];
    for (const hpa of objectsOfKind(context, 'HorizontalPodAutoscaler')) {
      const name = hpa.metadata?.name;
      const ns = hpa.metadata?.namespace;
      for (const c of conditionsOf(hpa)) {
        if (c.type === 'ScalingActive' && c.status === 'False' && c.reason !== 'ScalingDisabled') {
          out.push(makeFinding('HorizontalPodAutoscalerAnalyzer', 'HorizontalPodAutoscaler', name, ns, 'critical', `autoscaler cannot compute replicas: ${c.reason ?? ''} ${c.message ?? ''}`.trim(),
            [objectRef(hpa, 'status.conditions[ScalingActive]', { status: c.status, reason: c.reason, message: c.message })], 'hpa_at_max'));
        } else if (c.type === 'ScalingLimited' && c.status === 'True') {
          out.push(makeFinding('HorizontalPodAutoscalerAnalyzer', 'HorizontalPodAutoscaler', name, ns, 'warning', `autoscaling is limited: ${c.reason ?? ''} ${c.message ?? ''}`.trim(),
            [objectRef(hpa, 'status.conditions[ScalingLimited]', { status: c.status, reason: c.reason })], 'hpa_at_max'));
        } else if (c.type === 'AbleToScale' && c.status === 'False') {
          out.push(makeFinding('HorizontalPodAutoscalerAnalyzer', 'HorizontalPodAutoscaler', name, ns, 'critical', `autoscaler is not able to scale: ${c.reason ?? ''} ${c.message ?? ''}`.trim(),
            [objectRef(hpa, 'status.conditions[AbleToScale]', { status: c.status, reason: c.reason })], 'hpa_at_max'));
        }
      }
      const max = Number(hpa.spec?.maxReplicas);
      const min = Number(hpa.spec?.minReplicas ?? 1);
      const current = Number(hpa.status?.currentReplicas);
      // Pinned at the maximum (a fixed-size autoscaler with min = max is not "pinned").
      if (Number.isFinite(max) && Number.isFinite(current) && max > min && current >= max) {
        out.push(makeFinding('HorizontalPodAutoscalerAnalyzer', 'HorizontalPodAutoscaler', name, ns, 'warning', `autoscaler runs at its maximum of ${max} replicas`,
          [objectRef(hpa, 'status.currentReplicas', current)], 'hpa_at_max'));
      }
      // Resource-utilization targets need requests in the target's containers.
      const ref = hpa.spec?.scaleTargetRef;
      const target = ref && podTemplates(context).find((t) => t.ownerKind === ref.kind && t.name === ref.name && sameNamespace(t.namespace, ns));
      if (!target) continue;
      const resources = new Set<string>();
      for (const m of Array.isArray(hpa.spec?.metrics) ? hpa.spec.metrics : []) {
        const r = m?.type === 'Resource' ? m.resource : m?.type === 'ContainerResource' ? m.containerResource : undefined;
        if (r?.name && (r.target?.type ?? 'Utilization') === 'Utilization' && r.target?.averageUtilization !== undefined) resources.add(r.name);
      }
      if (hpa.spec?.targetCPUUtilizationPercentage !== undefined) resources.add('cpu');
      for (const resource of resources) {
        const missing = containersOf(target.spec).filter(({ init, container }) => !init && container?.resources?.requests?.[resource] === undefined);
        if (missing.length === 0) continue;
        out.push(makeFinding('HorizontalPodAutoscalerAnalyzer', 'HorizontalPodAutoscaler', name, ns, 'critical',
          `autoscaler targets ${resource} utilization of ${target.ownerKind} ${target.name}, but container(s) ${missing.map((m) => m.container?.name).join(', ')} set no ${resource} request: utilization cannot be computed (missing request for ${resource}) and the autoscaler does not scale`,
          [objectRef(hpa, 'spec.metrics', [...resources]), objectRef(target.owner, `${target.specPath}.containers[${missing[0]!.index}].resources.requests.${resource}`, '<none>')],
          'hpa_at_max'));
      }
    }
    for (const block of describesOfKind(context, 'HorizontalPodAutoscaler')) {
      for (const row of blockLines(block)) {
        if ((/^\s+(?:ScalingActive|AbleToScale)\s+False\s/.test(row.text) && !/ScalingDisabled/.test(row.text)) || /^\s+ScalingLimited\s+True\s/.test(row.text)) {
          out.push(makeFinding('HorizontalPodAutoscalerAnalyzer', 'HorizontalPodAutoscaler', describeName(block), describeNamespace(block), 'critical',
            `autoscaler condition: ${row.text.trim().replace(/\s+/g, ' ')}`, [blockRef(block, row)], 'hpa_at_max'));
        }
      }
    }
    return out;
  },
};
