/**
 * Collector of Amazon EKS and Kubernetes context: the cluster's status and health, its node
 * groups' and add-ons' health issues (as log events, so signatures and analyzers see the exact
 * codes), then read-only Kubernetes API calls in the namespaces the incident names.
 *
 * API reference: https://docs.aws.amazon.com/eks/latest/APIReference/ — `DescribeCluster`
 * (`status`, `version`, `health.issues`, `endpoint`, `certificateAuthority.data`),
 * `ListNodegroups`/`DescribeNodegroup` (`health.issues[].code|message|resourceIds`),
 * `ListAddons`/`DescribeAddon` (`health.issues`).
 */
import {
  DescribeAddonCommand, DescribeClusterCommand, DescribeNodegroupCommand, ListAddonsCommand, ListNodegroupsCommand,
  type EKSClient,
} from '@aws-sdk/client-eks';
import type { Collector, PartialContext } from '../../core/ports/collector.port.js';
import type { Incident } from '../../core/model/incident.js';
import type { Degradation, LogEvent } from '../../core/model/evidence.js';
import { degradationFor } from './aws-errors.js';
import { mapLimit } from './bounds.js';
import { readKubernetes, type KubernetesReadResult } from './kubernetes-api.reader.js';
import { KUBERNETES_RESOURCE_KINDS } from '../../core/model/kubernetes-kinds.js';

export interface EksCollectorOptions {
  readonly client: EKSClient;
  /** Cluster to read when the incident names none (`CLUSTER_NAME`). */
  readonly clusterName?: string;
  /** Namespaces read when the incident names none; default `['default']`. */
  readonly defaultNamespaces?: readonly string[];
  /** Most node groups and add-ons described each; default 10. */
  readonly maxDescribes?: number;
  /** Skip the Kubernetes API (only EKS APIs); default false. */
  readonly skipKubernetes?: boolean;
  /** Injected for tests; default {@link readKubernetes}. */
  readonly readKubernetes?: typeof readKubernetes;
}

const NAME = 'eks';

/**
 * @example
 * const collector = new EksCollector({ client: new EKSClient({}), clusterName: 'prod' });
 * const { logs, kubernetesObjects, kubernetesEvents } = await collector.collect(incident, signal);
 */
export class EksCollector implements Collector {
  readonly name = NAME;
  constructor(private readonly options: EksCollectorOptions) {}

  /**
   * The cluster the incident is about: its `cluster`, a `ClusterName` dimension, an EKS resource,
   * or — only for a Kubernetes-flavoured incident (EKS source, a namespace, a Kubernetes resource,
   * a Container Insights metric) — the configured one.
   */
  clusterOf(incident: Incident): string | undefined {
    if (incident.source === 'ecs') return undefined; // an ECS cluster, not EKS
    const named = incident.cluster
      ?? incident.alarm?.metrics.map((m) => m.dimensions.ClusterName).find(Boolean)
      ?? incident.resources.find((r) => r.cluster)?.cluster
      ?? incident.resources.find((r) => r.type === 'AWS::EKS::Cluster')?.name;
    if (named) return named;
    return this.options.clusterName && isKubernetesIncident(incident) ? this.options.clusterName : undefined;
  }

  /** Never throws for AWS or Kubernetes errors: they become `degraded` entries. */
  async collect(incident: Incident, signal: AbortSignal): Promise<PartialContext> {
    const cluster = this.clusterOf(incident);
    if (!cluster) return { degraded: [{ component: NAME, kind: 'skipped', reason: 'the incident names no EKS cluster and CLUSTER_NAME is not set' }] };
    const client = this.options.client;
    const logs: LogEvent[] = [];
    const degraded: Degradation[] = [];
    const source = `eks:${cluster}`;
    const note = (message: string) => logs.push({ message, source, timestamp: Date.parse(incident.occurredAt) });

    let described;
    try {
      described = (await client.send(new DescribeClusterCommand({ name: cluster }), { abortSignal: signal })).cluster;
    } catch (error) {
      degraded.push(degradationFor(NAME, 'eks:DescribeCluster', `cluster ${cluster}`, error));
      return { degraded };
    }
    if (described?.status && described.status !== 'ACTIVE') note(`cluster ${cluster} status ${described.status} (Kubernetes ${described.version ?? '?'})`);
    for (const issue of described?.health?.issues ?? []) note(`cluster ${cluster} ${issue.code ?? 'Issue'}: ${issue.message ?? ''}`.trim());

    const max = this.options.maxDescribes ?? 10;
    await Promise.all([
      (async () => {
        try {
          const names = (await client.send(new ListNodegroupsCommand({ clusterName: cluster, maxResults: max }), { abortSignal: signal })).nodegroups ?? [];
          await mapLimit(names.slice(0, max), 4, async (nodegroupName) => {
            try {
              const ng = (await client.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName }), { abortSignal: signal })).nodegroup;
              if (ng?.status && ng.status !== 'ACTIVE') note(`nodegroup ${nodegroupName} status ${ng.status}`);
              for (const issue of ng?.health?.issues ?? []) {
                note(`nodegroup ${nodegroupName} ${issue.code ?? 'Issue'}: ${issue.message ?? ''}${issue.resourceIds?.length ? ` (resources: ${issue.resourceIds.slice(0, 10).join(', ')})` : ''}`);
              }
            } catch (error) {
              degraded.push(degradationFor(NAME, 'eks:DescribeNodegroup', `nodegroup ${cluster}/${nodegroupName}`, error));
            }
          });
        } catch (error) {
          degraded.push(degradationFor(NAME, 'eks:ListNodegroups', `cluster ${cluster}`, error));
        }
      })(),
      (async () => {
        try {
          const names = (await client.send(new ListAddonsCommand({ clusterName: cluster, maxResults: max }), { abortSignal: signal })).addons ?? [];
          await mapLimit(names.slice(0, max), 4, async (addonName) => {
            try {
              const addon = (await client.send(new DescribeAddonCommand({ clusterName: cluster, addonName }), { abortSignal: signal })).addon;
              if (addon?.status && addon.status !== 'ACTIVE') note(`addon ${addonName} status ${addon.status}`);
              for (const issue of addon?.health?.issues ?? []) note(`addon ${addonName} ${issue.code ?? 'Issue'}: ${issue.message ?? ''}`);
            } catch (error) {
              degraded.push(degradationFor(NAME, 'eks:DescribeAddon', `addon ${cluster}/${addonName}`, error));
            }
          });
        } catch (error) {
          degraded.push(degradationFor(NAME, 'eks:ListAddons', `cluster ${cluster}`, error));
        }
      })(),
    ]);

    let k8s: KubernetesReadResult | undefined;
    if (!this.options.skipKubernetes && described?.endpoint && !signal.aborted) {
      const namespaces = namespacesOf(incident, this.options.defaultNamespaces ?? ['default']);
      try {
        const config = client.config;
        k8s = await (this.options.readKubernetes ?? readKubernetes)({
          clusterName: cluster, endpoint: described.endpoint, caData: described.certificateAuthority?.data,
          region: await config.region(), credentials: config.credentials,
        }, { namespaces, signal });
      } catch (error) {
        degraded.push({ component: 'kubernetes-api', kind: 'error', reason: `cluster ${cluster}: ${(error as Error).message}` });
      }
    } else if (!described?.endpoint && !this.options.skipKubernetes) {
      degraded.push({ component: 'kubernetes-api', kind: 'skipped', reason: `cluster ${cluster} has no API endpoint` });
    }
    return {
      logs,
      kubernetesObjects: k8s?.objects ?? [],
      kubernetesEvents: k8s?.events ?? [],
      degraded: [...degraded, ...(k8s?.degraded ?? [])],
    };
  }
}

/** True when the incident is about Kubernetes workloads (so a configured cluster applies). */
export function isKubernetesIncident(incident: Incident): boolean {
  return incident.source === 'eks'
    || incident.namespace !== undefined
    || incident.resources.some((r) => r.namespace !== undefined || KUBERNETES_RESOURCE_KINDS.has(r.type))
    || (incident.alarm?.metrics ?? []).some((m) => m.namespace === 'ContainerInsights' || m.dimensions.Namespace !== undefined);
}

/** Namespaces the incident names (its `namespace`, resource namespaces, a `Namespace` dimension). */
export function namespacesOf(incident: Incident, fallback: readonly string[]): string[] {
  const found = new Set<string>();
  if (incident.namespace) found.add(incident.namespace);
  for (const r of incident.resources) if (r.namespace) found.add(r.namespace);
  for (const m of incident.alarm?.metrics ?? []) if (m.dimensions.Namespace) found.add(m.dimensions.Namespace);
  return found.size ? [...found] : [...fallback];
}
