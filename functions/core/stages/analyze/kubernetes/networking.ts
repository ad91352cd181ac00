/**
 * Service, Ingress and NetworkPolicy analyzers.
 *
 * NetworkPolicy semantics: Kubernetes docs, "Network Policies" — a pod selected by a policy with
 * `Ingress` (or `Egress`) in `policyTypes` accepts only the traffic some rule allows; an empty
 * rule list denies everything in that direction (DNS to port 53 included).
 */
import type { Finding } from '../../../model/analysis.js';
import type { CollectedContext, KubernetesObject } from '../../../model/evidence.js';
import {
  blockLines, blockRef, containersOf, describeName, describeNamespace, describesOfKind, makeFinding, objectRef,
  objectsOfKind, podTemplates, sameNamespace, selectorMatches, type KubernetesAnalyzer, type PodTemplate,
} from './util.js';

/** Pod label sets of the namespace: bare pods and workload templates. */
function podLabelSets(context: CollectedContext, ns: string | undefined): Array<{ labels: Record<string, string>; t: PodTemplate }> {
  return podTemplates(context).filter((t) => sameNamespace(t.namespace, ns)).map((t) => ({ labels: { ...t.labels }, t }));
}

export const ServiceAnalyzer: KubernetesAnalyzer = {
  name: 'ServiceAnalyzer',
  kinds: ['Service', 'Endpoints'],
  analyze(context) {
    const out: Finding[] = [];
    const endpoints = objectsOfKind(context, 'Endpoints');
    for (const svc of objectsOfKind(context, 'Service')) {
      const name = svc.metadata?.name;
      const ns = svc.metadata?.namespace;
      const selector = svc.spec?.selector;
      if (svc.spec?.type === 'ExternalName' || !selector || Object.keys(selector).length === 0) continue;
      const ep = endpoints.find((e) => e.metadata?.name === name && sameNamespace(e.metadata?.namespace, ns));
      if (ep) {
        const subsets: any[] = Array.isArray((ep as any).subsets) ? (ep as any).subsets : [];
        const ready = subsets.reduce((n, s) => n + (Array.isArray(s?.addresses) ? s.addresses.length : 0), 0);
        if (ready === 0) {
          const notReady = subsets.reduce((n, s) => n + (Array.isArray(s?.notReadyAddresses) ? s.notReadyAddresses.length : 0), 0);
          out.push(makeFinding('ServiceAnalyzer', 'Service', name, ns, 'critical',
            `service has no ready endpoints${notReady ? ` (${notReady} not ready)` : ''}`, [objectRef(ep, 'subsets', subsets)], 'service_no_endpoints'));
        }
        continue;
      }
      const pods = podLabelSets(context, ns);
      if (pods.length === 0) continue; // no pods or workloads collected: nothing to compare
      if (!pods.some((p) => selectorMatches(selector, p.labels))) {
        out.push(makeFinding('ServiceAnalyzer', 'Service', name, ns, 'critical',
          `service selector ${JSON.stringify(selector)} matches none of the collected pods or workload templates of the namespace: it has no endpoints`,
          [objectRef(svc, 'spec.selector', selector)], 'service_no_endpoints'));
      }
    }
    for (const block of describesOfKind(context, 'Service')) {
      const row = blockLines(block).find((r) => /^Endpoints:\s*(<none>)?\s*$/.test(r.text));
      const selector = blockLines(block).find((r) => /^Selector:\s+\S/.test(r.text) && !/<none>/.test(r.text));
      if (row && selector) {
        out.push(makeFinding('ServiceAnalyzer', 'Service', describeName(block), describeNamespace(block), 'critical', 'service has no endpoints', [blockRef(block, row), blockRef(block, selector)], 'service_no_endpoints'));
      }
    }
    return out;
  },
};

function ingressBackends(ing: KubernetesObject): Array<{ service: string; port: unknown; path: string }> {
  const out: Array<{ service: string; port: unknown; path: string }> = [];
  const def = ing.spec?.defaultBackend ?? ing.spec?.backend;
  const push = (b: any, path: string): void => {
    const name = b?.service?.name ?? b?.serviceName;
    if (name) out.push({ service: name, port: b?.service?.port?.number ?? b?.service?.port?.name ?? b?.servicePort, path });
  };
  push(def, 'spec.defaultBackend');
  (Array.isArray(ing.spec?.rules) ? ing.spec.rules : []).forEach((r: any, i: number) => {
    (Array.isArray(r?.http?.paths) ? r.http.paths : []).forEach((p: any, j: number) => push(p?.backend, `spec.rules[${i}].http.paths[${j}].backend`));
  });
  return out;
}

export const IngressAnalyzer: KubernetesAnalyzer = {
  name: 'IngressAnalyzer',
  kinds: ['Ingress'],
  analyze(context) {
    const out: Finding[] = [];
    const classes = objectsOfKind(context, 'IngressClass').map((c) => c.metadata?.name);
    for (const ing of objectsOfKind(context, 'Ingress')) {
      const name = ing.metadata?.name;
      const ns = ing.metadata?.namespace;
      const cls = ing.spec?.ingressClassName ?? ing.metadata?.annotations?.['kubernetes.io/ingress.class'];
      if (typeof cls === 'string' && classes.length > 0 && !classes.includes(cls)) {
        out.push(makeFinding('IngressAnalyzer', 'Ingress', name, ns, 'critical',
          `ingress uses class "${cls}", which is not among the collected IngressClasses (${classes.join(', ')}): no controller serves it`,
          [objectRef(ing, ing.spec?.ingressClassName ? 'spec.ingressClassName' : 'metadata.annotations.kubernetes.io/ingress.class', cls)], 'ingress_misconfigured'));
      }
      const services = objectsOfKind(context, 'Service').filter((s) => sameNamespace(s.metadata?.namespace, ns));
      if (services.length === 0) continue;
      for (const b of ingressBackends(ing)) {
        const svc = services.find((s) => s.metadata?.name === b.service);
        if (!svc) {
          out.push(makeFinding('IngressAnalyzer', 'Ingress', name, ns, 'critical',
            `ingress backend service "${b.service}" is not among the collected services of the namespace (${services.map((s) => s.metadata?.name).join(', ')})`,
            [objectRef(ing, `${b.path}.service.name`, b.service)], 'ingress_misconfigured'));
          continue;
        }
        const ports: any[] = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
        if (b.port !== undefined && ports.length > 0 && !ports.some((p) => p.port === b.port || p.name === b.port)) {
          out.push(makeFinding('IngressAnalyzer', 'Ingress', name, ns, 'critical',
            `ingress sends traffic to port ${String(b.port)} of service ${b.service}, which exposes ${ports.map((p) => p.port).join(', ')}`,
            [objectRef(ing, `${b.path}.service.port`, b.port)], 'ingress_misconfigured'));
        }
      }
    }
    for (const block of describesOfKind(context, 'Ingress')) {
      for (const row of blockLines(block)) {
        if (/<error: endpoints "[^"]+" not found>|service "[^"]+" not found/.test(row.text)) {
          out.push(makeFinding('IngressAnalyzer', 'Ingress', describeName(block), describeNamespace(block), 'critical', `ingress backend is missing: ${row.text.trim()}`, [blockRef(block, row)], 'ingress_misconfigured'));
        }
      }
    }
    return out;
  },
};

/** True when an egress rule list lets DNS (port 53, or any port) out. */
function allowsDns(rules: any[]): boolean {
  return rules.some((r) => {
    const ports: any[] = Array.isArray(r?.ports) ? r.ports : [];
    return ports.length === 0 || ports.some((p) => p?.port === undefined || Number(p.port) === 53 || p.port === 'dns' || p.port === 'domain');
  });
}

/** True when an ingress rule admits a pod with these labels from the same namespace. */
function admits(rules: any[], labels: Record<string, string>): boolean {
  return rules.some((r) => {
    const from: any[] = Array.isArray(r?.from) ? r.from : [];
    if (from.length === 0) return true;
    return from.some((peer) => {
      if (peer?.ipBlock) return false; // pod-to-pod traffic does not use ipBlock peers as a rule
      if (peer?.namespaceSelector && !peer.podSelector) return true; // namespace labels are not collected: assume admitted
      if (peer?.podSelector) return Object.keys(peer.podSelector).length === 0 || selectorMatches(peer.podSelector, labels);
      return false;
    });
  });
}

/** Text of a pod template that could name a service: command, args, env values. */
function mentionsService(t: PodTemplate, service: string): boolean {
  const re = new RegExp(`(?:^|[^\\w.-])${service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|[^\\w-])`);
  return containersOf(t.spec).some(({ container }) => {
    const parts = [...(container?.command ?? []), ...(container?.args ?? []), ...((container?.env ?? []) as any[]).map((e) => e?.value ?? '')];
    return parts.some((p) => typeof p === 'string' && re.test(p));
  });
}

/**
 * NetworkPolicy: egress that denies DNS for the pods it selects; ingress that does not admit
 * collected workloads which address a service of the selected pods by name.
 */
export const NetworkPolicyAnalyzer: KubernetesAnalyzer = {
  name: 'NetworkPolicyAnalyzer',
  kinds: ['NetworkPolicy'],
  analyze(context) {
    const out: Finding[] = [];
    for (const policy of objectsOfKind(context, 'NetworkPolicy')) {
      const ns = policy.metadata?.namespace;
      const spec = policy.spec ?? {};
      const types: string[] = Array.isArray(spec.policyTypes) ? spec.policyTypes : (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
      const podSelector = spec.podSelector ?? {};
      const selectsAll = Object.keys(podSelector).length === 0 || (Object.keys(podSelector.matchLabels ?? {}).length === 0 && !podSelector.matchExpressions);
      const pods = podLabelSets(context, ns);
      const selected = pods.filter((p) => selectsAll || selectorMatches(podSelector, p.labels));
      const scope = selectsAll ? 'every pod of the namespace' : `pods matching ${JSON.stringify(podSelector.matchLabels ?? podSelector)}`;

      if (types.includes('Egress')) {
        const egress: any[] = Array.isArray(spec.egress) ? spec.egress : [];
        if (!allowsDns(egress)) {
          const names = selected.map((p) => `${p.t.ownerKind} ${p.t.name}`).join(', ');
          out.push(makeFinding('NetworkPolicyAnalyzer', 'NetworkPolicy', policy.metadata?.name, ns, selected.length > 0 ? 'critical' : 'warning',
            `NetworkPolicy ${policy.metadata?.name} denies ${egress.length === 0 ? 'all egress' : 'egress to DNS (port 53)'} for ${scope}${names ? ` (${names})` : ''}: name resolution and outbound connections from them fail`,
            [objectRef(policy, 'spec.egress', egress), objectRef(policy, 'spec.podSelector', podSelector)], 'network_policy_blocked'));
        }
      }
      if (types.includes('Ingress') && selected.length > 0) {
        const ingress: any[] = Array.isArray(spec.ingress) ? spec.ingress : [];
        const services = objectsOfKind(context, 'Service').filter((s) => sameNamespace(s.metadata?.namespace, ns) && s.spec?.selector
          && selected.some((p) => selectorMatches(s.spec.selector, p.labels)));
        for (const client of pods) {
          if (selected.includes(client) || admits(ingress, client.labels)) continue;
          const target = services.find((s) => mentionsService(client.t, s.metadata?.name ?? '\u0000'));
          if (!target) continue;
          out.push(makeFinding('NetworkPolicyAnalyzer', 'NetworkPolicy', policy.metadata?.name, ns, 'critical',
            `${client.t.ownerKind} ${client.t.name} (labels ${JSON.stringify(client.labels)}) calls service ${target.metadata?.name}, but NetworkPolicy ${policy.metadata?.name} admits ingress to its pods only from ${JSON.stringify(ingress.flatMap((r) => r?.from ?? []))}: its connections are dropped (timeouts)`,
            [objectRef(policy, 'spec.ingress', ingress), objectRef(client.t.owner, `${client.t.specPath === 'spec' ? 'metadata' : 'spec.template.metadata'}.labels`, client.labels)],
            'network_policy_blocked'));
        }
      }
    }
    return out;
  },
};
