/**
 * Remediation steps per category (each category's `actions` in the category registry,
 * `core/model/category-registry.ts`), with `kubectl`/`aws` commands whose placeholders are filled
 * from the incident and the findings (namespace, pod, container, workload, node, function,
 * cluster, ECS service and task, EC2 instance, region). A placeholder with no known value stays
 * visible as `<name>`.
 *
 * Commands follow the incident's platform ({@link platformOf}): Kubernetes incidents get the
 * `kubectl` catalogue ({@link ACTION_CATALOGUE}); ECS, EC2, Lambda and other AWS incidents get
 * `aws` commands from their own catalogues ({@link PLATFORM_ACTIONS}) and the catalogue's
 * non-Kubernetes steps, never `kubectl` or `aws eks`. A Pod with no known controller never gets
 * `kubectl rollout` (rollouts apply to Deployments, StatefulSets and DaemonSets): the step finds
 * the pod's owner instead.
 *
 * Commands follow the kubectl reference (kubectl.docs.kubernetes.io) and the AWS CLI v2
 * reference; every command is read-only or an explicit, reviewable change.
 */
import { CATEGORIES, type Category } from '../../model/categories.js';
import { ALARMS_IN_ALARM, CATEGORY_REGISTRY, PLATFORM_DEFAULT_ACTIONS, categoryTable, type ActionTemplate, type Platform } from '../../model/category-registry.js';
import type { Action, Finding } from '../../model/analysis.js';
import type { CollectedContext } from '../../model/evidence.js';
import type { Incident } from '../../model/incident.js';
import { evidencePlatform, type Endpoint } from './platform-evidence.js';

export type { Platform } from '../../model/category-registry.js';

/** Names a command template can use. */
export interface ActionNames {
  /** The platform commands are chosen for; `kubernetes` when absent. */
  platform?: Platform;
  namespace?: string;
  pod?: string;
  /** The container of the pod that fails (from the evidence), or the `container` label. */
  container?: string;
  deployment?: string;
  statefulset?: string;
  job?: string;
  node?: string;
  pvc?: string;
  service?: string;
  ingress?: string;
  hpa?: string;
  networkpolicy?: string;
  quota?: string;
  /** `deployment/x`, `statefulset/x`, `job/x` or `pod/x`. */
  workload?: string;
  function?: string;
  cluster?: string;
  region?: string;
  alarm?: string;
  /** ECS cluster and service names, the task id and task definition (`family:revision`). */
  ecsCluster?: string;
  ecsService?: string;
  task?: string;
  taskDefinition?: string;
  containerInstance?: string;
  /** EC2 instance id (`i-…`). */
  instance?: string;
  /** AWS Health event type code (`AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED`). */
  healthEventType?: string;
  /**
   * The dependency's host and port when a hypothesis' evidence names exactly one `host:port`
   * (`inventory.shop.svc`, `8080`), and the Kubernetes Service an in-cluster host names
   * (`inventory`); see {@link withEndpoint}.
   */
  host?: string;
  port?: string;
  hostService?: string;
}

type Template = ActionTemplate;

/** Each category's `actions.default` from the registry: every category has at least one step. */
export const ACTION_CATALOGUE: Readonly<Record<Category, readonly Template[]>> = categoryTable((r) => r.actions.default);

const OTHER_PLATFORMS = ['ecs', 'ec2', 'lambda', 'aws'] as const;

/**
 * Steps for platforms other than Kubernetes, per category (each category's `actions.<platform>`
 * in the registry), with the platform's `default` ({@link PLATFORM_DEFAULT_ACTIONS}) for
 * categories it does not list.
 */
export const PLATFORM_ACTIONS: Readonly<Record<Exclude<Platform, 'kubernetes'>, Readonly<Partial<Record<Category | 'default', readonly Template[]>>>>> = Object.freeze(
  Object.fromEntries(OTHER_PLATFORMS.map((p) => [p, Object.freeze({
    default: PLATFORM_DEFAULT_ACTIONS[p],
    ...Object.fromEntries(CATEGORIES.flatMap((c) => {
      const steps = CATEGORY_REGISTRY[c].actions[p];
      return steps ? [[c, steps]] : [];
    })),
  })])) as Record<Exclude<Platform, 'kubernetes'>, Partial<Record<Category | 'default', readonly Template[]>>>,
);

/** Strips a ReplicaSet hash and pod suffix: `web-7c9d8-abcde` → `web`. */
export function deploymentOfPod(pod: string): string | undefined {
  const m = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod);
  return m?.[1];
}

/** What {@link platformOf} and {@link actionNames} read of the collected context. */
export type PlatformContext = Pick<CollectedContext, 'kubernetesObjects' | 'kubernetesEvents' | 'describes'> & Partial<Pick<CollectedContext, 'logs'>>;

/** Kubernetes kinds an incident resource may name. */
const KUBERNETES_TYPES = new Set(['pod', 'deployment', 'statefulset', 'daemonset', 'replicaset', 'job', 'cronjob', 'node', 'workload', 'service', 'ingress', 'persistentvolumeclaim', 'namespace']);

/**
 * The platform of an incident, in this order: ECS (an `ecs` event, an `AWS::ECS::*` resource, an
 * `AWS/ECS` or `ECS/ContainerInsights` metric), Lambda (a function name, an `AWS::Lambda::Function`
 * resource, an `AWS/Lambda` metric), Kubernetes (an `eks` or Prometheus event, a namespace, a
 * Kubernetes resource, a `ContainerInsights` metric, Kubernetes findings or collected Kubernetes
 * evidence), EC2 (an `ec2` event, an `AWS::EC2::Instance` resource, an `AWS/EC2` metric), other
 * then the evidence's own platform when its logs show ECS or Lambda and nothing above decided
 * (ECS service event messages, stopped-task reasons, Lambda `REPORT` lines: infer's
 * `evidencePlatform`), other AWS (any other AWS event or alarm), and Kubernetes when nothing else
 * is known (a manual or API incident with no such evidence).
 */
export function platformOf(
  incident: Incident | undefined, findings: readonly Finding[] = [],
  context?: PlatformContext,
): Platform {
  if (!incident) return 'kubernetes';
  const types = incident.resources.map((r) => r.type.toLowerCase());
  const namespaces = (incident.alarm?.metrics ?? []).map((m) => m.namespace ?? '');
  if (incident.source === 'ecs' || types.some((t) => t.startsWith('aws::ecs::')) || namespaces.some((n) => n === 'AWS/ECS' || n === 'ECS/ContainerInsights')) return 'ecs';
  if (incident.functionName || types.includes('aws::lambda::function') || namespaces.includes('AWS/Lambda')) return 'lambda';
  const kubernetesEvidence = findings.some((f) => f.kind !== 'Event' || f.analyzer === 'EventsAnalyzer')
    || (context !== undefined && (context.kubernetesObjects.length + context.kubernetesEvents.length + context.describes.length) > 0);
  if (incident.source === 'eks' || incident.source === 'prometheus-alert' || incident.namespace || types.some((t) => KUBERNETES_TYPES.has(t))
    || namespaces.includes('ContainerInsights') || kubernetesEvidence) return 'kubernetes';
  if (incident.source === 'ec2' || types.includes('aws::ec2::instance') || namespaces.includes('AWS/EC2')) return 'ec2';
  const fromEvidence = context?.logs ? evidencePlatform(context.logs).platform : undefined;
  if (fromEvidence) return fromEvidence;
  if (incident.source === 'manual' || incident.source === 'api') return 'kubernetes';
  return 'aws';
}

/**
 * The container a command should name: from the evidence about `pod` (or any pod when `pod` is
 * unknown), the container that is not ready or restarted; else the only container. Table rows
 * (which name no container, `*`) do not count. Undefined when unsure.
 */
export function failingContainer(context: Pick<CollectedContext, 'kubernetesObjects' | 'describes'> | undefined, pod?: string): string | undefined {
  if (!context) return undefined;
  const candidates: Array<{ name: string; bad: boolean }>[] = [];
  for (const o of context.kubernetesObjects) {
    if (o.kind !== 'Pod' || (pod && o.metadata?.name !== pod)) continue;
    const statuses: any[] = [...(Array.isArray(o.status?.initContainerStatuses) ? o.status.initContainerStatuses : []), ...(Array.isArray(o.status?.containerStatuses) ? o.status.containerStatuses : [])];
    const list = statuses.filter((s) => typeof s?.name === 'string' && s.name !== '*')
      .map((s) => ({ name: s.name as string, bad: s.ready === false || Number(s.restartCount ?? 0) > 0 || s.state?.waiting !== undefined || s.state?.terminated !== undefined }));
    if (list.length === 0 && Array.isArray(o.spec?.containers)) list.push(...o.spec.containers.filter((c: any) => typeof c?.name === 'string').map((c: any) => ({ name: c.name as string, bad: false })));
    candidates.push(list);
  }
  for (const block of context.describes) {
    const name = /^Name:\s+(\S+)/m.exec(block.text)?.[1];
    if (pod && name !== pod) continue;
    const list: Array<{ name: string; bad: boolean }> = [];
    let inContainers = false;
    for (const row of block.text.split('\n')) {
      const top = /^(\S[^:]*):/.exec(row);
      if (top) { inContainers = /^(?:Init )?Containers$/.test(top[1]!); continue; }
      if (!inContainers) continue;
      const c = /^ {2}(\S[^:]*):\s*$/.exec(row);
      if (c) { list.push({ name: c[1]!, bad: false }); continue; }
      const current = list[list.length - 1];
      if (current && /^\s+(?:State:\s+(?:Waiting|Terminated)|Last State:\s+Terminated|Ready:\s+False|Restart Count:\s+[1-9])/.test(row)) current.bad = true;
    }
    if (list.length > 0) candidates.push(list);
  }
  for (const list of candidates) {
    const bad = list.filter((c) => c.bad);
    if (bad.length === 1) return bad[0]!.name;
    if (list.length === 1) return list[0]!.name;
  }
  return undefined;
}

/**
 * The names an action can use, from the incident (resources, labels, namespace, function,
 * cluster, region, alarm, ECS/EC2 names, alarm dimensions) and then from findings (first of each
 * kind wins), the failing container from `context` ({@link failingContainer}), and the platform
 * ({@link platformOf}).
 */
export function actionNames(
  incident: Incident | undefined, findings: readonly Finding[] = [],
  context?: PlatformContext,
): ActionNames {
  const n: ActionNames = {};
  const set = (key: Exclude<keyof ActionNames, 'platform'>, value: string | undefined): void => {
    if (value && !n[key]) n[key] = value;
  };
  if (incident) {
    set('namespace', incident.namespace);
    set('function', incident.functionName);
    set('cluster', incident.cluster);
    set('region', incident.region);
    set('alarm', incident.alarm?.name);
    for (const r of incident.resources) {
      set('namespace', r.namespace);
      set('cluster', r.cluster);
      const type = r.type.toLowerCase();
      if (type === 'pod') set('pod', r.name);
      else if (type === 'deployment') set('deployment', r.name);
      else if (type === 'statefulset') set('statefulset', r.name);
      else if (type === 'job') set('job', r.name);
      else if (type === 'node') set('node', r.name);
      else if (type.includes('lambda')) set('function', r.name);
      else if (type.includes('eks::cluster')) set('cluster', r.name);
      else if (type === 'aws::ecs::cluster') set('ecsCluster', r.name);
      else if (type === 'aws::ecs::service') { set('ecsService', r.name); set('ecsCluster', r.cluster); }
      else if (type === 'aws::ecs::task') { set('task', r.name); set('ecsCluster', r.cluster); }
      else if (type === 'aws::ecs::containerinstance') set('containerInstance', r.name);
      else if (type === 'aws::ec2::instance') set('instance', r.name);
    }
    for (const metric of incident.alarm?.metrics ?? []) {
      set('ecsCluster', metric.dimensions['ClusterName']);
      set('ecsService', metric.dimensions['ServiceName']);
      set('instance', metric.dimensions['InstanceId']);
      set('function', metric.dimensions['FunctionName']);
    }
    set('taskDefinition', incident.labels['taskDefinition']);
    if (incident.source === 'ecs') set('ecsCluster', incident.cluster);
    if (incident.source === 'aws-health') set('healthEventType', incident.labels['eventTypeCode'] ?? [...incident.title.matchAll(/\b(AWS_[A-Z0-9_]+)\b/g)].map((m) => m[1]!).sort((a, b) => b.length - a.length)[0]);
    const l = incident.labels;
    set('namespace', l.namespace);
    set('pod', l.pod);
    set('container', l.container);
    set('deployment', l.deployment);
    set('job', l.job_name);
    set('node', l.node);
  }
  const KIND_KEY: Record<string, Exclude<keyof ActionNames, 'platform'>> = {
    Pod: 'pod', Deployment: 'deployment', StatefulSet: 'statefulset', Job: 'job', Node: 'node',
    PersistentVolumeClaim: 'pvc', Service: 'service', Ingress: 'ingress', HorizontalPodAutoscaler: 'hpa',
    NetworkPolicy: 'networkpolicy', ResourceQuota: 'quota',
  };
  // An incident may name a pod by its prefix (Container Insights' PodName is the workload name):
  // the full name of a matching pod from the findings is better for commands.
  const fullPod = n.pod ? findings.find((f) => f.kind === 'Pod' && f.name.startsWith(`${n.pod}-`))?.name : undefined;
  if (fullPod && n.pod) {
    set('deployment', deploymentOfPod(fullPod) ?? n.pod);
    n.pod = fullPod;
  }
  for (const f of findings) {
    const key = KIND_KEY[f.kind];
    if (key && f.name && f.name !== '?') set(key, f.name);
    if (f.kind !== 'Node') set('namespace', f.namespace);
  }
  if (n.pod && !n.deployment && !n.statefulset && !n.job) set('deployment', deploymentOfPod(n.pod));
  set('workload', n.deployment ? `deployment/${n.deployment}` : n.statefulset ? `statefulset/${n.statefulset}` : n.job ? `job/${n.job}` : n.pod ? `pod/${n.pod}` : undefined);
  set('container', failingContainer(context, n.pod));
  n.platform = platformOf(incident, findings, context);
  if (context?.logs && n.platform !== 'kubernetes') {
    // names the event did not give, read off the evidence (each only when it names exactly one)
    const read = evidencePlatform(context.logs);
    set('ecsCluster', read.ecsCluster);
    set('ecsService', read.ecsService);
    set('task', read.task);
    set('containerInstance', read.containerInstance);
    set('function', read.function);
    set('region', read.region);
  }
  return n;
}

const K8S_NAME = /^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/;
const AWS_ID = /^(?:arn:aws[a-z-]{0,20}:[a-z0-9-]{1,40}:[a-z0-9-]{0,30}:\d{0,12}:[A-Za-z0-9_.:/+=,@-]{1,1000}|[A-Za-z0-9][A-Za-z0-9_.:/-]{0,254})$/;
/** What a valid value of each placeholder looks like (Kubernetes object names are DNS-1123 subdomains). */
const VALID_NAME: Readonly<Record<string, readonly [RegExp, string]>> = {
  namespace: [K8S_NAME, 'Kubernetes'], pod: [K8S_NAME, 'Kubernetes'], container: [K8S_NAME, 'Kubernetes'], deployment: [K8S_NAME, 'Kubernetes'],
  statefulset: [K8S_NAME, 'Kubernetes'], job: [K8S_NAME, 'Kubernetes'], node: [K8S_NAME, 'Kubernetes'], pvc: [K8S_NAME, 'Kubernetes'],
  service: [K8S_NAME, 'Kubernetes'], ingress: [K8S_NAME, 'Kubernetes'], hpa: [K8S_NAME, 'Kubernetes'], networkpolicy: [K8S_NAME, 'Kubernetes'],
  quota: [K8S_NAME, 'Kubernetes'],
  workload: [/^(?:deployment|statefulset|daemonset|replicaset|job|cronjob|pod)\/[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/, 'Kubernetes'],
  cluster: [AWS_ID, 'cluster'], region: [/^[a-z]{2}(?:-[a-z]{1,10}){1,2}-\d{1,2}$/, 'AWS region'],
  function: [AWS_ID, 'AWS'], ecsCluster: [AWS_ID, 'AWS'], ecsService: [AWS_ID, 'AWS'], task: [AWS_ID, 'AWS'], taskDefinition: [AWS_ID, 'AWS'],
  containerInstance: [AWS_ID, 'AWS'],
  host: [/^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, 'host'], port: [/^\d{1,5}$/, 'port'], hostService: [K8S_NAME, 'Kubernetes'],
  instance: [/^i-[0-9a-f]{8,17}$/, 'EC2 instance'], healthEventType: [/^[A-Z0-9_]{1,128}$/, 'AWS Health event type'],
  // CloudWatch alarm names may hold spaces and punctuation: any printable text, quoted.
  alarm: [/^[^\u0000-\u001f\u007f-\u009f]{1,255}$/, 'CloudWatch alarm'],
};

/** A value for a POSIX shell: as is when it holds only safe characters, else single-quoted. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Fills `{name}` placeholders; unknown ones become `<name>`. Every value comes from input, so it
 * is quoted for the shell ({@link shellQuote}; a `"{name}"` of the template keeps its double
 * quotes only for values with nothing the shell expands in them), and a value that is not a valid
 * name of its kind is not put in at all: it stays `<name>` and is reported to `invalid`.
 */
export function fillTemplate(template: string, names: ActionNames, invalid?: (key: string, value: string, kind: string) => void): string {
  return template.replace(/"\{(\w+)\}"|\{(\w+)\}/g, (whole, quotedKey: string | undefined, bareKey: string | undefined) => {
    const key = (quotedKey ?? bareKey)!;
    const value = (names as Record<string, string | undefined>)[key];
    if (value === undefined) return quotedKey ? `"<${key}>"` : `<${key}>`;
    const rule = VALID_NAME[key];
    if (rule && !rule[0].test(value)) {
      invalid?.(key, value, rule[1]);
      return quotedKey ? `"<${key}>"` : `<${key}>`;
    }
    if (quotedKey) return /^[^"$`\\!]*$/.test(value) ? `"${value}"` : shellQuote(value);
    return shellQuote(value);
  });
}

/**
 * `names` with the dependency's `host`, `port` and `hostService` when `endpoint` (the one
 * `host:port` of a hypothesis' evidence, infer's `endpointOf`) is known; else `names` as they are,
 * so that `<host> <port>` stay visible.
 */
export function withEndpoint(names: ActionNames, endpoint: Endpoint | undefined): ActionNames {
  if (!endpoint) return names;
  return { ...names, host: endpoint.host, port: endpoint.port, ...(endpoint.hostService ? { hostService: endpoint.hostService } : {}) };
}

/** Commands that only make sense against a Kubernetes cluster. */
const KUBERNETES_COMMAND = /\bkubectl\b|\baws eks\b/;

/** The step replacing `kubectl rollout …` on a bare Pod: rollouts apply to the pod's controller. */
const POD_OWNER_STEP: Template = [
  'Find the controller that owns the pod (rollout history and undo apply to it, not to a Pod)',
  'kubectl get pod {pod} -n {namespace} -o jsonpath=\'{.metadata.ownerReferences[*].kind}/{.metadata.ownerReferences[*].name}{"\\n"}\'',
];

/** The steps (templates) for a category on the names' platform; see the module comment. */
function templatesFor(category: Category, names: ActionNames): readonly Template[] {
  const base = ACTION_CATALOGUE[category] ?? ACTION_CATALOGUE.unknown;
  const platform = names.platform ?? 'kubernetes';
  if (platform === 'kubernetes') {
    if (!names.workload?.startsWith('pod/')) return base;
    return base.map((t) => (t[1] !== undefined && /\bkubectl rollout\b/.test(t[1]) ? POD_OWNER_STEP : t));
  }
  const own = PLATFORM_ACTIONS[platform];
  const specific = own[category];
  let steps: readonly Template[];
  if (specific) steps = specific;
  else {
    const portable = base.filter(([, command]) => command === undefined || !KUBERNETES_COMMAND.test(command));
    // keep the category's own portable steps when they still include a command; else add the platform's
    steps = portable.some(([, command]) => command !== undefined) ? portable : [...portable, ...(own.default ?? [])];
  }
  if (platform !== 'aws') return steps;
  // Generic AWS: a step about an alarm or a Health event only when the incident is one.
  const known = steps.filter(([, command]) => !(command?.includes('{alarm}') && !names.alarm) && !(command?.includes('{healthEventType}') && !names.healthEventType));
  return known.length > 0 ? known : [ALARMS_IN_ALARM];
}

/**
 * Concrete remediation steps for a category on the platform `names.platform` (Kubernetes when
 * absent), commands filled with the known names ({@link fillTemplate}); distinct commands, in
 * catalogue order. Never `kubectl`/`aws eks` outside Kubernetes, never `kubectl rollout` on a Pod.
 */
export function actionsFor(category: Category, names: ActionNames): Action[] {
  const seen = new Set<string>();
  const out: Action[] = [];
  for (const [description, command] of templatesFor(category, names)) {
    const invalid: string[] = [];
    const filled = command === undefined ? undefined : fillTemplate(command, names, (key, value, kind) => invalid.push(`the ${key} ${JSON.stringify(value.slice(0, 80))} is not a valid ${kind} name`));
    const key = filled ?? `#${description}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const said = invalid.length ? `${description} (not filled in: ${[...new Set(invalid)].join('; ')})` : description;
    out.push(filled === undefined ? { description: said } : { description: said, command: filled });
  }
  return out;
}
