/**
 * Plans: what the assistant proposes and never executes from `/v1/ask`. A Kubernetes plan holds
 * the exact API requests and the equivalent `kubectl` commands; an infrastructure-as-code plan
 * holds a CDK snippet and the CloudFormation it synthesizes to. Execution is a separate, audited
 * approval (`approvePlan`), off unless the deployment enables it.
 *
 * Guard rails (refused outright, whatever the wording): deleting namespaces, any change or read
 * in `kube-system`, reading Secrets, deleting anything other than a Pod.
 */
import { createHash, randomBytes } from 'node:crypto';
import { OpsAssistantError } from '../model/errors.js';
import type { AskEntities, KubernetesVerb, WorkloadKind } from './intent.js';

/**
 * The action cannot be expressed for what the question names (restarting a bare Pod, scaling a
 * Job, a verb without its object). `ask` turns it into a clarifying answer, not a failure.
 */
export class ActionNotPlannableError extends OpsAssistantError {
  constructor(message: string) {
    super('ACTION_NOT_PLANNABLE', message);
    this.name = 'ActionNotPlannableError';
  }
}

/** One Kubernetes API request (paths per the Kubernetes API reference, kubernetes.io/docs/reference/kubernetes-api/). */
export interface KubernetesRequest {
  readonly method: 'GET' | 'PATCH' | 'POST' | 'DELETE';
  /** API path, e.g. `/apis/apps/v1/namespaces/shop/deployments/checkout/scale`. */
  readonly path: string;
  /** Content type of `body`: merge patch, strategic merge patch, or JSON. */
  readonly contentType?: 'application/merge-patch+json' | 'application/strategic-merge-patch+json' | 'application/json';
  readonly body?: unknown;
  /** What the request does, in words. */
  readonly description: string;
}

export interface KubernetesPlanBody {
  readonly verb: KubernetesVerb;
  readonly target: { readonly kind: WorkloadKind; readonly name: string; readonly namespace?: string; readonly cluster?: string };
  readonly requests: readonly KubernetesRequest[];
  readonly kubectl: readonly string[];
  /** Result of a server-side dry run (`dryRun=All`), when the cluster was reachable. */
  dryRun?: { readonly ok: boolean; readonly message: string };
}

export interface IacPlanBody {
  readonly resource: string;
  /** CDK TypeScript (a construct body using `this` as scope). */
  readonly cdk: string;
  /** The CloudFormation resources it synthesizes to (`Resources` section), when synthesized. */
  cloudformation?: Record<string, unknown>;
  synthesized?: { readonly ok: boolean; readonly message: string };
}

export type PlanStatus = 'proposed' | 'refused' | 'approved' | 'executed' | 'failed';

export interface Plan {
  readonly id: string;
  readonly kind: 'kubernetes' | 'infrastructure_as_code';
  readonly createdAt: string;
  /** Plans expire: approval after this ISO time is refused. */
  readonly expiresAt: string;
  readonly question: string;
  readonly summary: string;
  status: PlanStatus;
  /** Why a plan was refused. */
  readonly refusal?: string;
  readonly kubernetes?: KubernetesPlanBody;
  readonly iac?: IacPlanBody;
  /** Random salt of the plan's id: the id is a digest of the salt and what the plan does ({@link sealPlan}). */
  readonly seal?: string;
}

/** What a plan's id is bound to: everything it would do, and its validity; not its status or dry run. */
function planDigest(plan: Omit<Plan, 'id'>, seal: string): string {
  const k = plan.kubernetes;
  const bound = {
    seal, kind: plan.kind, createdAt: plan.createdAt, expiresAt: plan.expiresAt, question: plan.question, summary: plan.summary,
    kubernetes: k ? { verb: k.verb, target: k.target, requests: k.requests, kubectl: k.kubectl } : null,
    iac: plan.iac ? { resource: plan.iac.resource, cdk: plan.iac.cdk } : null,
  };
  return createHash('sha256').update(canonicalJson(bound)).digest('hex');
}

/** JSON with object keys sorted, so the digest does not depend on key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function idOf(digest: string): string {
  return `plan-${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
}

/**
 * Gives a plan its id: `plan-` + a UUID-shaped digest of a random salt and everything the plan
 * would do, so a plan whose requests are changed in the store no longer matches its id
 * ({@link planIsIntact}); approving it is refused. Forging a matching id needs a sha256
 * second preimage of 128 bits.
 * @example const plan = sealPlan({ kind: 'kubernetes', createdAt, expiresAt, question, summary, status: 'proposed', kubernetes: body });
 */
export function sealPlan<T extends Omit<Plan, 'id' | 'seal'>>(plan: T): T & { readonly id: string; readonly seal: string } {
  const seal = randomBytes(16).toString('hex');
  return { ...plan, seal, id: idOf(planDigest(plan, seal)) };
}

/** True when `plan` is what was proposed under its id (see {@link sealPlan}). */
export function planIsIntact(plan: Plan): boolean {
  return typeof plan.seal === 'string' && plan.id === idOf(planDigest(plan, plan.seal));
}

/** Why a request is refused, or undefined when it may be planned. */
/** Cluster components that live in kube-system on EKS and most clusters: named without a namespace, they are taken to be there. */
const SYSTEM_WORKLOADS = /^(?:coredns|kube-dns|kube-proxy|aws-node|metrics-server|ebs-csi-(?:controller|node)|efs-csi-(?:controller|node)|cluster-autoscaler|kube-apiserver|kube-scheduler|kube-controller-manager|etcd|calico-node|cilium|cilium-operator|vpc-cni|eks-pod-identity-agent)(?:-[a-z0-9]+)*$/;

export function guardKubernetesAction(verb: KubernetesVerb, entities: AskEntities): string | undefined {
  if (verb === 'read_secret' || entities.workload?.kind === 'Secret') return 'Reading Secrets is refused: the assistant never reads or reveals secret values.';
  if (entities.namespace === 'kube-system' || /kube-system/.test(entities.workload?.name ?? '') || (!entities.namespace && SYSTEM_WORKLOADS.test(entities.workload?.name ?? ''))) return 'Anything in kube-system is refused: changes to cluster components go through your platform team.';
  if (verb === 'delete') {
    // No object named: asked back by the reader ("which pod?"); a namespace is refused by the guard rails too.
    if (!entities.workload) return undefined;
    if (entities.workload.kind === 'Namespace') return 'Deleting namespaces is refused outright.';
    if (entities.workload.kind !== 'Pod') return `Deleting a ${entities.workload.kind ?? 'resource'} is refused; only deleting a Pod (so its controller recreates it) can be planned.`;
  }
  return undefined;
}

const WORKLOAD_PATH: Partial<Record<WorkloadKind, string>> = {
  Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets',
};

/**
 * Builds the requests and commands of a Kubernetes action. The caller guards first
 * ({@link guardKubernetesAction}). `now` stamps the restart annotation.
 * @throws Error when the entities lack what the verb needs (the intent parser asks back first).
 */
export function buildKubernetesPlanBody(verb: KubernetesVerb, entities: AskEntities, now: Date): KubernetesPlanBody {
  const ns = entities.namespace ?? 'default';
  const ctx = entities.cluster ? ` --context ${entities.cluster}` : '';
  if (verb === 'cordon' || verb === 'uncordon' || verb === 'drain') {
    const node = entities.node;
    if (!node) throw new ActionNotPlannableError(`Which node should I ${verb}? Name it, e.g. "${verb} node ip-10-0-1-23.ec2.internal".`);
    const cordon: KubernetesRequest = {
      method: 'PATCH', path: `/api/v1/nodes/${node}`, contentType: 'application/strategic-merge-patch+json',
      body: { spec: { unschedulable: verb !== 'uncordon' } }, description: `${verb === 'uncordon' ? 'Mark' : 'Mark'} node ${node} ${verb === 'uncordon' ? 'schedulable' : 'unschedulable'}`,
    };
    const requests: KubernetesRequest[] = [cordon];
    const kubectl = [`kubectl ${verb === 'drain' ? 'drain' : verb} ${node}${verb === 'drain' ? ' --ignore-daemonsets --delete-emptydir-data' : ''}${ctx}`];
    if (verb === 'drain') {
      requests.push({ method: 'GET', path: `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`, description: `List pods on ${node}` });
      requests.push({ method: 'POST', path: '/api/v1/namespaces/{namespace}/pods/{pod}/eviction', contentType: 'application/json', body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: '{pod}', namespace: '{namespace}' } }, description: 'Evict each listed pod not owned by a DaemonSet (respects PodDisruptionBudgets)' });
    }
    return { verb, target: { kind: 'Node', name: node, cluster: entities.cluster }, requests, kubectl };
  }
  const workload = entities.workload;
  if (!workload) throw new ActionNotPlannableError(`Which workload should I ${verb}? Name it, e.g. "${verb} deployment checkout in namespace shop".`);
  const kind: WorkloadKind = workload.kind && workload.kind !== 'Service' ? workload.kind : 'Deployment';
  const target = { kind, name: workload.name, namespace: ns, cluster: entities.cluster };
  if (verb === 'delete') {
    return {
      verb, target,
      requests: [{ method: 'DELETE', path: `/api/v1/namespaces/${ns}/pods/${workload.name}`, description: `Delete pod ${ns}/${workload.name}; its controller creates a new one` }],
      kubectl: [`kubectl delete pod ${workload.name} -n ${ns}${ctx}`],
    };
  }
  const resource = WORKLOAD_PATH[kind];
  if (!resource) {
    throw new ActionNotPlannableError(kind === 'Pod'
      ? `A Pod is not ${verb === 'scale' ? 'scaled' : verb === 'restart' ? 'restarted in place' : 'rolled back'}: ${verb === 'restart' ? `deleting it lets its controller replace it — say "delete pod ${workload.name}${entities.namespace ? ` in namespace ${entities.namespace}` : ''}", or name its Deployment` : 'name its Deployment or StatefulSet'}.`
      : `${verb} applies to Deployments, StatefulSets and DaemonSets, not to a ${kind}; name the workload that owns it.`);
  }
  if (verb === 'scale' && kind === 'DaemonSet') throw new ActionNotPlannableError(`A DaemonSet runs one pod per matching node and has no replica count; change its node selector instead.`);
  const base = `/apis/apps/v1/namespaces/${ns}/${resource}/${workload.name}`;
  const ref = `${kind.toLowerCase()}/${workload.name}`;
  switch (verb) {
    case 'scale': {
      if (entities.replicas === undefined) throw new ActionNotPlannableError(`How many replicas should ${workload.name} have? Say e.g. "scale ${workload.name} to 3 replicas".`);
      return {
        verb, target,
        requests: [{ method: 'PATCH', path: `${base}/scale`, contentType: 'application/merge-patch+json', body: { spec: { replicas: entities.replicas } }, description: `Set ${ref} replicas to ${entities.replicas}` }],
        kubectl: [`kubectl scale ${ref} -n ${ns} --replicas=${entities.replicas}${ctx}`],
      };
    }
    case 'restart':
      return {
        verb, target,
        requests: [{ method: 'PATCH', path: base, contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now.toISOString() } } } } }, description: `Restart the pods of ${ref} with a rolling update` }],
        kubectl: [`kubectl rollout restart ${ref} -n ${ns}${ctx}`],
      };
    case 'rollback':
      return {
        verb, target,
        requests: [
          kind === 'Deployment'
            ? { method: 'GET', path: `/apis/apps/v1/namespaces/${ns}/replicasets?labelSelector={selector of ${ref}}`, description: `Find the ReplicaSets of ${ref} and the one at the previous revision (annotation deployment.kubernetes.io/revision)` }
            : { method: 'GET', path: `/apis/apps/v1/namespaces/${ns}/controllerrevisions?labelSelector={selector of ${ref}}`, description: `Find the ControllerRevisions of ${ref} and the one at the previous revision (field revision)` },
          { method: 'PATCH', path: base, contentType: 'application/strategic-merge-patch+json', body: { spec: { template: '{pod template of the previous revision}' } }, description: `Put the previous revision's pod template back on ${ref}` },
        ],
        kubectl: [`kubectl rollout history ${ref} -n ${ns}${ctx}`, `kubectl rollout undo ${ref} -n ${ns}${ctx}`],
      };
    default:
      throw new ActionNotPlannableError(`The assistant does not plan "${verb}" for a ${kind}.`);
  }
}
