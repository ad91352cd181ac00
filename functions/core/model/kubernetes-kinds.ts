/**
 * Kubernetes kinds: their spellings and the lists the runtime uses (which kinds are workloads,
 * which make an incident a Kubernetes one). One owner, read by the collectors, the analyzers and
 * the diagnose use case.
 */

/** Canonical spelling of kinds, so `pods`, `pod` and `Pod` compare equal. */
const KIND_ALIASES: Record<string, string> = {
  pod: 'Pod', pods: 'Pod', po: 'Pod',
  deployment: 'Deployment', deployments: 'Deployment', deploy: 'Deployment',
  replicaset: 'ReplicaSet', replicasets: 'ReplicaSet', rs: 'ReplicaSet',
  statefulset: 'StatefulSet', statefulsets: 'StatefulSet', sts: 'StatefulSet',
  daemonset: 'DaemonSet', daemonsets: 'DaemonSet', ds: 'DaemonSet',
  job: 'Job', jobs: 'Job', cronjob: 'CronJob', cronjobs: 'CronJob',
  node: 'Node', nodes: 'Node', no: 'Node',
  persistentvolumeclaim: 'PersistentVolumeClaim', persistentvolumeclaims: 'PersistentVolumeClaim', pvc: 'PersistentVolumeClaim',
  service: 'Service', services: 'Service', svc: 'Service',
  ingress: 'Ingress', ingresses: 'Ingress', ing: 'Ingress',
  horizontalpodautoscaler: 'HorizontalPodAutoscaler', horizontalpodautoscalers: 'HorizontalPodAutoscaler', hpa: 'HorizontalPodAutoscaler',
  networkpolicy: 'NetworkPolicy', networkpolicies: 'NetworkPolicy', netpol: 'NetworkPolicy',
  resourcequota: 'ResourceQuota', resourcequotas: 'ResourceQuota', quota: 'ResourceQuota',
  configmap: 'ConfigMap', configmaps: 'ConfigMap', cm: 'ConfigMap',
  secret: 'Secret', secrets: 'Secret',
  serviceaccount: 'ServiceAccount', serviceaccounts: 'ServiceAccount', sa: 'ServiceAccount',
  storageclass: 'StorageClass', storageclasses: 'StorageClass', sc: 'StorageClass',
  ingressclass: 'IngressClass', ingressclasses: 'IngressClass',
  endpoints: 'Endpoints', role: 'Role', rolebinding: 'RoleBinding', clusterrole: 'ClusterRole', clusterrolebinding: 'ClusterRoleBinding',
};

/** Canonical kind name (`pvc` → `PersistentVolumeClaim`); unknown kinds are returned as given. */
export function canonicalKind(kind: string | undefined): string | undefined {
  if (!kind) return undefined;
  return KIND_ALIASES[kind.toLowerCase()] ?? kind;
}

/** Kinds that run containers (a pod or a controller of pods). */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/** Kinds whose presence among an incident's resources makes it a Kubernetes incident (so a configured cluster applies). */
export const KUBERNETES_RESOURCE_KINDS: ReadonlySet<string> = new Set([...WORKLOAD_KINDS, 'Node', 'Service', 'Ingress', 'PersistentVolumeClaim', 'Namespace', 'HorizontalPodAutoscaler']);

/**
 * The kinds an evidence-only diagnosis may be about, most telling first: what it names as its
 * subject (title and resource) when no event says.
 */
export const SUBJECT_KINDS: readonly string[] = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'PersistentVolumeClaim', 'Node', 'Service', 'Ingress', 'HorizontalPodAutoscaler'];
