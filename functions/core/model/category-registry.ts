/**
 * The category registry: one typed, frozen record per category of {@link CATEGORIES} — its label,
 * the phrase of its summaries, whether it is a symptom or a cause, the effects it explains and its
 * remediation steps per platform. Adding a category is one entry here (and its id in
 * `categories.ts`, the public contract); the compiler rejects a category without a record, a
 * record without a field, or a record for no category (`satisfies Record<Category, CategoryRecord>`),
 * as transformers.js' `SUPPORTED_TASKS` and k8sgpt's analyzer map do for tasks and analyzers.
 *
 * Readers: compose (labels), infer (phrases, symptom precedence, causes, actions). The tables they
 * exported before (`CATEGORY_LABELS`, `SYMPTOM_CATEGORIES`, `EXPLAINS`, `ACTION_CATALOGUE`,
 * `PLATFORM_ACTIONS`) are derived from this one and keep their exports.
 *
 * Commands follow the kubectl reference (kubectl.docs.kubernetes.io) and the AWS CLI v2 reference;
 * placeholders (`{pod}`, `{namespace}`, `{function}`, …) are filled by infer's `fillTemplate`.
 * Runbooks are not listed here: a runbook declares the categories it covers (`categories:` front
 * matter or a heading naming the id), and that declaration is the one owner of the link.
 */
import { CATEGORIES, type Category } from './categories.js';

/**
 * Where an incident runs, which decides the commands: `kubernetes` (EKS or any cluster; also the
 * default when nothing names another platform), `ecs`, `ec2`, `lambda`, or `aws` (another AWS
 * service: a Health event about a volume, an alarm on a metric of no known platform).
 */
export type Platform = 'kubernetes' | 'ecs' | 'ec2' | 'lambda' | 'aws';

/** One remediation step: what to do and, when there is one, the command (with `{name}` placeholders). */
export type ActionTemplate = readonly [description: string, command?: string];

/**
 * Steps of a category: `default` (as written on Kubernetes; on another platform only its steps
 * without `kubectl`/`aws eks`, see infer's `actionsFor`) and, per other platform, steps that
 * replace them there.
 */
export interface CategoryActions {
  /** Every category has at least one step. */
  readonly default: readonly [ActionTemplate, ...ActionTemplate[]];
  readonly ecs?: readonly ActionTemplate[];
  readonly ec2?: readonly ActionTemplate[];
  readonly lambda?: readonly ActionTemplate[];
  readonly aws?: readonly ActionTemplate[];
}

/** What the registry knows of one category. */
export interface CategoryRecord {
  /** Short human label for reports and messages (the identifier stays the contract). */
  readonly label: string;
  /** Completes a summary after its subject: `Pod prod/web` + ` was OOMKilled: …`. */
  readonly phrase: string;
  /**
   * Phrases when the subject is the very object the category is about, by its kind
   * (`PersistentVolumeClaim x` + ` cannot be bound`).
   */
  readonly selfPhrases?: Readonly<Record<string, string>>;
  /**
   * `symptom`: a generic effect (a crash loop, a failed job) that a specific cause outranks;
   * `cause`: a root cause; `fallback`: `unknown` alone.
   */
  readonly role: 'symptom' | 'cause' | 'fallback';
  /** Effects this cause explains: ranked just above them when both are seen, quoting them. */
  readonly explains: readonly Category[];
  readonly actions: CategoryActions;
}

/*
 * ECS steps follow the Amazon ECS Developer Guide ("Amazon ECS service event messages", "Amazon ECS
 * stopped task error messages", "Troubleshooting service load balancers", "Monitor Amazon ECS
 * containers with ECS Exec") and the AWS CLI v2 `aws ecs` reference (`describe-services`,
 * `describe-tasks`, `describe-task-definition`, `describe-container-instances`, `update-service`,
 * `execute-command`); Lambda steps the AWS Lambda Developer Guide ("Configuring Lambda function
 * memory", "Configuring Lambda function timeout", "Giving Lambda functions access to resources in
 * an Amazon VPC") and `aws lambda get-function-configuration` / `update-function-configuration`.
 */
const ECS_SERVICE: ActionTemplate = ['Read the service events and deployments', 'aws ecs describe-services --cluster {ecsCluster} --services {ecsService} --region {region} --query "services[0].{events:events[:10],deployments:deployments}"'];
const ECS_STOPPED: ActionTemplate = ['List the tasks that stopped', 'aws ecs list-tasks --cluster {ecsCluster} --service-name {ecsService} --desired-status STOPPED --region {region}'];
const ECS_TASK: ActionTemplate = ['Read why the task stopped (stoppedReason, container exit codes and reasons)', 'aws ecs describe-tasks --cluster {ecsCluster} --tasks {task} --region {region} --query "tasks[].{stoppedReason:stoppedReason,containers:containers[].[name,exitCode,reason]}"'];
const ECS_TASKDEF: ActionTemplate = ['Read the task definition (CPU, memory, image, roles)', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region}'];
/**
 * The cluster's capacity providers and default strategy: with managed scaling, a capacity
 * provider grows its Auto Scaling group for tasks that cannot be placed (Amazon ECS Developer
 * Guide, "Amazon ECS capacity providers for EC2 workloads"; AWS CLI `aws ecs describe-clusters
 * --include ATTACHMENTS`, `aws ecs describe-capacity-providers`).
 */
const ECS_CAPACITY_PROVIDERS: ActionTemplate = ['Check the cluster\'s capacity providers and their managed scaling', 'aws ecs describe-clusters --clusters {ecsCluster} --include ATTACHMENTS --region {region} --query "clusters[0].{capacityProviders:capacityProviders,defaultStrategy:defaultCapacityProviderStrategy}"'];
const ECS_REDEPLOY: ActionTemplate = ['After the fix, start fresh tasks', 'aws ecs update-service --cluster {ecsCluster} --service {ecsService} --force-new-deployment --region {region}'];
const EC2_STATUS: ActionTemplate = ['Check the instance and system status checks', 'aws ec2 describe-instance-status --instance-ids {instance} --include-all-instances --region {region}'];
const EC2_CONSOLE: ActionTemplate = ['Read the instance console output', 'aws ec2 get-console-output --instance-id {instance} --latest --output text --region {region}'];
const LAMBDA_CONFIG: ActionTemplate = ['Read the function configuration (runtime, handler, timeout, memory, last update)', 'aws lambda get-function-configuration --function-name {function} --region {region}'];
const LAMBDA_ERRORS: ActionTemplate = ['Read the recent errors in the function logs', 'aws logs filter-log-events --log-group-name /aws/lambda/{function} --filter-pattern "?ERROR ?Exception ?Task" --region {region}'];
const LAMBDA_MEMORY: ActionTemplate = ['Raise the memory size (it also raises the CPU share), or fix the leak', 'aws lambda update-function-configuration --function-name {function} --memory-size <mb> --region {region}'];
const LAMBDA_MAX_MEMORY: ActionTemplate = ['Compare Max Memory Used with Memory Size in the REPORT lines', 'aws logs filter-log-events --log-group-name /aws/lambda/{function} --filter-pattern "REPORT" --region {region}'];
const ECS_MEMORY: ActionTemplate = ['Read the task and container memory limits', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region} --query "taskDefinition.{memory:memory,containers:containerDefinitions[].[name,memory,memoryReservation,environment]}"'];
const ECS_NEW_REVISION: ActionTemplate = ['Register a revision with more memory (or the runtime heap setting) and deploy it', 'aws ecs update-service --cluster {ecsCluster} --service {ecsService} --task-definition <new-revision> --region {region}'];
const ALARM_HISTORY: ActionTemplate = ['Read the alarm history (state changes and their reasons)', 'aws cloudwatch describe-alarm-history --alarm-name "{alarm}" --history-item-type StateUpdate --region {region}'];
/** The step left on the generic AWS platform when no other applies (infer's `actionsFor`). */
export const ALARMS_IN_ALARM: ActionTemplate = ['Check the other alarms in ALARM in the region', 'aws cloudwatch describe-alarms --state-value ALARM --region {region}'];
const HEALTH_EVENTS: ActionTemplate = ['Read the AWS Health event and its affected resources (the Health API is served from us-east-1)', 'aws health describe-events --filter eventTypeCodes={healthEventType} --region us-east-1'];

const REGISTRY = {
  oom_killed: {
    label: 'Container killed for exceeding its memory limit',
    phrase: 'was OOMKilled: a container exceeded its memory limit',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Confirm the OOM kill and the memory limit of the container', 'kubectl describe pod {pod} -n {namespace}'],
        ['Compare actual memory use with the limit', 'kubectl top pod {pod} -n {namespace} --containers'],
        ['Raise the memory limit (or fix the leak) and roll out', 'kubectl set resources {workload} -n {namespace} -c {container} --limits=memory=<new-limit>'],
      ],
      ecs: [
        ECS_TASK,
        ['Read the container memory limits', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region} --query "taskDefinition.{memory:memory,containers:containerDefinitions[].[name,memory,memoryReservation]}"'],
        ['Register a revision with more memory (or fix the leak) and deploy it', 'aws ecs update-service --cluster {ecsCluster} --service {ecsService} --task-definition <new-revision> --region {region}'],
      ],
      lambda: [
        LAMBDA_MAX_MEMORY,
        LAMBDA_MEMORY,
      ],
    },
  },
  app_crash: {
    label: 'Application crashing on start or at run time',
    phrase: 'keeps crashing: the application process exits and is restarted in a loop',
    role: 'symptom',
    explains: [],
    actions: {
      default: [
        ['Read the logs of the crashed container run', 'kubectl logs {pod} -n {namespace} --previous --all-containers'],
        ['Check the exit code, command and recent events', 'kubectl describe pod {pod} -n {namespace}'],
        ['Roll back if a recent change introduced the crash', 'kubectl rollout undo {workload} -n {namespace}'],
      ],
      ecs: [
        ECS_STOPPED,
        ECS_TASK,
        ['Read the container logs (awslogs driver: the log group of the task definition)', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region} --query "taskDefinition.containerDefinitions[].logConfiguration"'],
        ECS_REDEPLOY,
      ],
      lambda: [
        LAMBDA_ERRORS,
        LAMBDA_CONFIG,
      ],
    },
  },
  app_config_error: {
    label: 'Application configuration invalid',
    phrase: 'refuses to start because its configuration is invalid or incomplete',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the startup error in the logs', 'kubectl logs {pod} -n {namespace} --previous'],
        ['Check the environment, arguments and mounted configuration', 'kubectl get {workload} -n {namespace} -o yaml'],
        ['Set the missing or invalid value and roll out', 'kubectl set env {workload} -n {namespace} <NAME>=<value>'],
      ],
      ecs: [
        ECS_TASK,
        ECS_TASKDEF,
        ECS_REDEPLOY,
      ],
    },
  },
  missing_config_reference: {
    label: 'Referenced ConfigMap, Secret or key missing',
    phrase: 'cannot start because a referenced ConfigMap, Secret or key does not exist',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['See which ConfigMap, Secret or key the pod references', 'kubectl describe pod {pod} -n {namespace}'],
        ['List what exists in the namespace', 'kubectl get configmaps,secrets,serviceaccounts -n {namespace}'],
        ['Create the missing object (or fix the reference in the workload)', 'kubectl create configmap <name> -n {namespace} --from-file=<file>'],
      ],
    },
  },
  image_pull_auth: {
    label: 'Registry refused the image pull (credentials)',
    phrase: 'cannot pull its image: the registry refuses the credentials',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the pull error', 'kubectl describe pod {pod} -n {namespace}'],
        ['Create registry credentials', 'kubectl create secret docker-registry regcred -n {namespace} --docker-server=<registry> --docker-username=<user> --docker-password=<token>'],
        ['Reference them from the workload', 'kubectl patch {workload} -n {namespace} --type merge -p \'{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"regcred"}]}}}}\''],
        ['For ECR, check the node role can pull', 'aws ecr get-login-password --region {region} >/dev/null && aws iam list-attached-role-policies --role-name <node-role>'],
      ],
      ecs: [
        ECS_TASK,
        ['Check the task execution role (it pulls the image and reads registry secrets)', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region} --query "taskDefinition.[executionRoleArn,containerDefinitions[].repositoryCredentials]"'],
        ECS_REDEPLOY,
      ],
    },
  },
  image_not_found: {
    label: 'Image or tag does not exist',
    phrase: 'cannot pull its image: the image or tag does not exist',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the image reference that fails', 'kubectl describe pod {pod} -n {namespace}'],
        ['Check the tag exists in the registry', 'aws ecr describe-images --repository-name <repository> --image-ids imageTag=<tag> --region {region}'],
        ['Point the workload at an image that exists', 'kubectl set image {workload} -n {namespace} {container}=<image>:<existing-tag>'],
      ],
      ecs: [
        ECS_TASK,
        ['Check the image reference of the task definition', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region} --query "taskDefinition.containerDefinitions[].image"'],
        ['Check the tag exists in the registry', 'aws ecr describe-images --repository-name <repository> --image-ids imageTag=<tag> --region {region}'],
      ],
    },
  },
  probe_failure: {
    label: 'Liveness/readiness/startup probe failing',
    phrase: 'fails its health probes',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the probe failures and the probe settings', 'kubectl describe pod {pod} -n {namespace}'],
        ['Check the port and path the application really serves', 'kubectl get {workload} -n {namespace} -o jsonpath=\'{.spec.template.spec.containers[*].ports}\''],
        ['Fix the probe (port, path, timeout, initialDelaySeconds) and roll out', 'kubectl edit {workload} -n {namespace}'],
      ],
      ecs: [
        ECS_SERVICE,
        ['Read the container health check', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region} --query "taskDefinition.containerDefinitions[].healthCheck"'],
        ['Check the load balancer target health', 'aws elbv2 describe-target-health --target-group-arn <target-group-arn> --region {region}'],
      ],
    },
  },
  insufficient_cpu: {
    label: 'No node has enough allocatable CPU',
    phrase: 'cannot be scheduled: no node has enough allocatable capacity for its requests',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the scheduler message', 'kubectl describe pod {pod} -n {namespace}'],
        ['Compare requests with node allocatable capacity', 'kubectl describe nodes | grep -A8 "Allocated resources"'],
        ['Lower the requests or add capacity (node group / Karpenter)', 'aws eks update-nodegroup-config --cluster-name {cluster} --nodegroup-name <nodegroup> --scaling-config desiredSize=<n> --region {region}'],
      ],
      ecs: [
        ECS_SERVICE,
        ['Compare the task size with what the container instances have left', 'aws ecs describe-container-instances --cluster {ecsCluster} --container-instances {containerInstance} --region {region} --query "containerInstances[].{instance:ec2InstanceId,remaining:remainingResources[?name==\'CPU\'||name==\'MEMORY\']}"'],
        ECS_TASKDEF,
        ['Add capacity (capacity provider / Auto Scaling group) or lower the task CPU', 'aws autoscaling set-desired-capacity --auto-scaling-group-name <asg> --desired-capacity <n> --region {region}'],
        ECS_CAPACITY_PROVIDERS,
      ],
    },
  },
  insufficient_memory: {
    label: 'No node has enough allocatable memory',
    phrase: 'cannot be scheduled: no node has enough allocatable memory',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the scheduler message', 'kubectl describe pod {pod} -n {namespace}'],
        ['Compare memory requests with node allocatable memory', 'kubectl describe nodes | grep -A8 "Allocated resources"'],
        ['Lower the requests or add capacity', 'aws eks update-nodegroup-config --cluster-name {cluster} --nodegroup-name <nodegroup> --scaling-config desiredSize=<n> --region {region}'],
      ],
      ecs: [
        ECS_SERVICE,
        ['Compare the task size with what the container instances have left', 'aws ecs describe-container-instances --cluster {ecsCluster} --container-instances {containerInstance} --region {region} --query "containerInstances[].{instance:ec2InstanceId,remaining:remainingResources[?name==\'CPU\'||name==\'MEMORY\']}"'],
        ECS_TASKDEF,
        ['Add capacity (capacity provider / Auto Scaling group) or lower the task memory', 'aws autoscaling set-desired-capacity --auto-scaling-group-name <asg> --desired-capacity <n> --region {region}'],
        ECS_CAPACITY_PROVIDERS,
      ],
    },
  },
  taint_not_tolerated: {
    label: 'Node taints not tolerated',
    phrase: 'cannot be scheduled: the nodes carry taints it does not tolerate',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['List node taints', 'kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints'],
        ['Add a matching toleration to the workload, or remove the taint', 'kubectl taint nodes {node} <key>=<value>:<effect>-'],
      ],
    },
  },
  node_selector_mismatch: {
    label: 'Node selector or affinity matches no node',
    phrase: 'cannot be scheduled: its node selector or affinity rules match no node',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the scheduler message and the pod selector/affinity', 'kubectl get pod {pod} -n {namespace} -o jsonpath=\'{.spec.nodeSelector}{"\\n"}{.spec.affinity}\''],
        ['List node labels', 'kubectl get nodes --show-labels'],
        ['Label a node, or relax the selector/affinity in the workload', 'kubectl label node {node} <key>=<value>'],
      ],
    },
  },
  volume_zone_conflict: {
    label: 'Volume in another availability zone',
    phrase: 'cannot be scheduled: its volume lives in another zone',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Find the zone of the volume and of the nodes', 'kubectl get pv -o custom-columns=NAME:.metadata.name,ZONE:.spec.nodeAffinity && kubectl get nodes -L topology.kubernetes.io/zone'],
        ['Use a WaitForFirstConsumer storage class or add nodes in the volume zone', 'kubectl get storageclass'],
      ],
    },
  },
  pvc_pending: {
    label: 'PersistentVolumeClaim not bound',
    phrase: 'waits on a PersistentVolumeClaim that cannot be bound',
    selfPhrases: { PersistentVolumeClaim: 'cannot be bound' },
    role: 'cause',
    explains: ['volume_mount_failure'],
    actions: {
      default: [
        ['Read why the claim is not bound', 'kubectl describe pvc {pvc} -n {namespace}'],
        ['List storage classes that exist', 'kubectl get storageclass'],
        ['Recreate the claim with an existing storage class', 'kubectl get pvc {pvc} -n {namespace} -o yaml > pvc.yaml  # set spec.storageClassName, then delete and apply'],
      ],
    },
  },
  volume_mount_failure: {
    label: 'Volume attach or mount failing',
    phrase: 'cannot attach or mount a volume',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the mount/attach error', 'kubectl describe pod {pod} -n {namespace}'],
        ['Find which node holds the volume attachment', 'kubectl get volumeattachments'],
        ['For EBS Multi-Attach, make sure the old pod is gone from the other node', 'kubectl get pods -n {namespace} -o wide'],
      ],
    },
  },
  disk_pressure_eviction: {
    label: 'Pods evicted for node disk pressure',
    phrase: 'was evicted because the node ran low on disk',
    selfPhrases: { Node: 'is low on disk and evicts pods' },
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Check node disk conditions', 'kubectl describe node {node}'],
        ['List evicted pods', 'kubectl get pods -n {namespace} --field-selector=status.phase=Failed'],
        ['Set ephemeral-storage limits and clean images/logs, or enlarge the node volume', 'kubectl set resources {workload} -n {namespace} --limits=ephemeral-storage=<size>'],
      ],
    },
  },
  memory_pressure_eviction: {
    label: 'Pods evicted for node memory pressure',
    phrase: 'was evicted because the node ran low on memory',
    selfPhrases: { Node: 'is low on memory and evicts pods' },
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Check node memory conditions', 'kubectl describe node {node}'],
        ['Find the largest consumers', 'kubectl top pods -A --sort-by=memory'],
        ['Set memory requests equal to real use so the scheduler does not overcommit', 'kubectl set resources {workload} -n {namespace} --requests=memory=<size>'],
      ],
    },
  },
  pid_exhaustion: {
    label: 'Process ids exhausted',
    phrase: 'ran out of process IDs',
    selfPhrases: { Node: 'is running out of process IDs' },
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Check the PIDPressure condition', 'kubectl describe node {node}'],
        ['Look for zombie (<defunct>) processes in the container', 'kubectl exec {pod} -n {namespace} -- ps -ef'],
        ['Reap children (use an init such as tini) or set a pod PID limit', 'kubectl edit {workload} -n {namespace}'],
      ],
    },
  },
  cpu_throttling: {
    label: 'CPU throttled by the CFS quota',
    phrase: 'is CPU-throttled by its CPU limit',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Compare CPU use with the limit', 'kubectl top pod {pod} -n {namespace} --containers'],
        ['Raise or remove the CPU limit', 'kubectl set resources {workload} -n {namespace} -c {container} --limits=cpu=<new-limit>'],
      ],
    },
  },
  quota_exceeded: {
    label: 'Kubernetes ResourceQuota or LimitRange rejection',
    phrase: 'is rejected by a ResourceQuota or LimitRange',
    selfPhrases: { ResourceQuota: 'rejects pods beyond its limits' },
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Compare quota use with its hard limits', 'kubectl describe resourcequota -n {namespace}'],
        ['Read the rejection', 'kubectl get events -n {namespace} --field-selector reason=FailedCreate'],
        ['Raise the quota or lower requests/replicas', 'kubectl edit resourcequota {quota} -n {namespace}'],
      ],
    },
  },
  rbac_forbidden: {
    label: 'Kubernetes RBAC forbids the request',
    phrase: 'lacks an RBAC permission',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Check what the identity may do', 'kubectl auth can-i --list --as=system:serviceaccount:{namespace}:<serviceaccount> -n {namespace}'],
        ['Grant the missing verb/resource with a Role and RoleBinding', 'kubectl create role <role> -n {namespace} --verb=get,list,watch --resource=<resource> && kubectl create rolebinding <binding> -n {namespace} --role=<role> --serviceaccount={namespace}:<serviceaccount>'],
      ],
    },
  },
  job_failed: {
    label: 'Job exhausted its retries or deadline',
    phrase: 'failed: the job exhausted its retries or deadline',
    role: 'symptom',
    explains: [],
    actions: {
      default: [
        ['Read the job status and events', 'kubectl describe job {job} -n {namespace}'],
        ['Read the logs of the failed pods', 'kubectl logs job/{job} -n {namespace} --all-containers'],
        ['Fix the cause and re-run the job', 'kubectl get job {job} -n {namespace} -o yaml > job.yaml  # remove status/selector, then delete and apply'],
      ],
    },
  },
  rollout_stuck: {
    label: 'Deployment rollout not progressing',
    phrase: 'has a rollout that stopped progressing',
    role: 'symptom',
    explains: [],
    actions: {
      default: [
        ['Check the rollout', 'kubectl rollout status {workload} -n {namespace}'],
        ['Read why new pods are not available', 'kubectl describe {workload} -n {namespace}'],
        ['Roll back to the last working revision', 'kubectl rollout undo {workload} -n {namespace}'],
      ],
      ecs: [
        ['Read the deployment that does not complete and the service events', 'aws ecs describe-services --cluster {ecsCluster} --services {ecsService} --region {region} --query "services[0].{deployments:deployments,events:events[:10]}"'],
        ECS_STOPPED,
        ECS_TASK,
        ['Roll back: point the service at the last working task definition', 'aws ecs update-service --cluster {ecsCluster} --service {ecsService} --task-definition <previous-task-definition> --region {region}'],
      ],
    },
  },
  hpa_at_max: {
    label: 'Autoscaler pinned at maximum or blind',
    phrase: 'cannot autoscale: the autoscaler is at its maximum or cannot read metrics',
    selfPhrases: { HorizontalPodAutoscaler: 'is at its maximum or cannot read metrics' },
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the autoscaler conditions and metrics', 'kubectl describe hpa {hpa} -n {namespace}'],
        ['Make sure every container sets requests for the target resource and metrics-server works', 'kubectl top pods -n {namespace}'],
        ['Raise maxReplicas if the load is real', 'kubectl patch hpa {hpa} -n {namespace} -p \'{"spec":{"maxReplicas":<n>}}\''],
      ],
    },
  },
  service_no_endpoints: {
    label: 'Service has no ready endpoints',
    phrase: 'has no ready endpoints behind its service',
    selfPhrases: { Service: 'has no ready endpoints' },
    role: 'symptom',
    explains: [],
    actions: {
      default: [
        ['Compare the service selector with pod labels', 'kubectl get svc {service} -n {namespace} -o jsonpath=\'{.spec.selector}\' && kubectl get pods -n {namespace} --show-labels'],
        ['Check endpoints and pod readiness', 'kubectl get endpointslices -n {namespace} -l kubernetes.io/service-name={service}'],
      ],
    },
  },
  ingress_misconfigured: {
    label: 'Ingress misconfigured',
    phrase: 'is unreachable through a misconfigured Ingress',
    selfPhrases: { Ingress: 'points at a missing class, service or port' },
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the ingress class, rules and backends', 'kubectl describe ingress {ingress} -n {namespace}'],
        ['List the ingress classes and services that exist', 'kubectl get ingressclass && kubectl get svc -n {namespace}'],
        ['Point the ingress at an existing class/service/port', 'kubectl edit ingress {ingress} -n {namespace}'],
      ],
    },
  },
  network_policy_blocked: {
    label: 'NetworkPolicy blocking traffic',
    phrase: 'has its traffic dropped by a NetworkPolicy',
    selfPhrases: { NetworkPolicy: 'drops traffic that workloads need' },
    role: 'cause',
    explains: ['dns_resolution', 'dependency_unreachable', 'lb_target_timeout'],
    actions: {
      default: [
        ['List policies selecting the pods', 'kubectl get networkpolicy -n {namespace} -o yaml'],
        ['Test the connection from the client pod', 'kubectl exec {pod} -n {namespace} -- wget -qO- -T 5 http://{host}:{port}'],
        ['Allow the traffic (ingress from the client labels, or egress incl. DNS to kube-dns on 53/UDP+TCP)', 'kubectl edit networkpolicy {networkpolicy} -n {namespace}'],
      ],
    },
  },
  dns_resolution: {
    label: 'DNS names not resolving',
    phrase: 'cannot resolve a host name',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Resolve the name from inside the pod', 'kubectl exec {pod} -n {namespace} -- nslookup <name>'],
        ['Check CoreDNS health and logs', 'kubectl logs -n kube-system -l k8s-app=kube-dns --tail=100'],
        ['Check for egress policies blocking port 53', 'kubectl get networkpolicy -n {namespace}'],
      ],
    },
  },
  node_not_ready: {
    label: 'Node NotReady',
    phrase: 'runs on a node that is NotReady',
    selfPhrases: { Node: 'is NotReady' },
    role: 'cause',
    explains: ['service_no_endpoints'],
    actions: {
      default: [
        ['Read node conditions and events', 'kubectl describe node {node}'],
        ['Check kubelet, runtime and CNI (aws-node) pods on the node', 'kubectl get pods -n kube-system -o wide --field-selector spec.nodeName={node}'],
        ['Replace the node if it does not recover', 'kubectl drain {node} --ignore-daemonsets --delete-emptydir-data'],
      ],
      ec2: [
        EC2_STATUS,
        EC2_CONSOLE,
      ],
    },
  },
  eks_auth_unauthorized: {
    label: 'IAM identity not mapped in the EKS cluster',
    phrase: 'is not authorized by the cluster (IAM identity not mapped)',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Check which identity the caller uses', 'aws sts get-caller-identity'],
        ['List access entries of the cluster', 'aws eks list-access-entries --cluster-name {cluster} --region {region}'],
        ['Map the identity (access entry or aws-auth ConfigMap)', 'aws eks create-access-entry --cluster-name {cluster} --principal-arn <role-arn> --region {region}'],
      ],
    },
  },
  ip_exhaustion: {
    label: 'No free IP addresses (VPC CNI / subnet)',
    phrase: 'cannot get a pod IP address: the subnet or CNI ran out',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Check free addresses in the cluster subnets', 'aws ec2 describe-subnets --subnet-ids <subnet-ids> --query "Subnets[].[SubnetId,AvailableIpAddressCount]" --region {region}'],
        ['Read the VPC CNI logs', 'kubectl logs -n kube-system -l k8s-app=aws-node --tail=100'],
        ['Enable prefix delegation or add subnets', 'kubectl set env daemonset aws-node -n kube-system ENABLE_PREFIX_DELEGATION=true'],
      ],
    },
  },
  iam_access_denied: {
    label: 'AWS API call denied by IAM or a policy',
    phrase: 'is denied an AWS API call by IAM',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Find the denied call in CloudTrail', 'aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=<api-call> --region {region}'],
        ['Simulate the policy for the role', 'aws iam simulate-principal-policy --policy-source-arn <role-arn> --action-names <service:Action>'],
        ['Grant the action on the resource (or fix the trust/KMS policy)', 'aws iam put-role-policy --role-name <role> --policy-name <name> --policy-document file://policy.json'],
      ],
    },
  },
  api_throttling: {
    label: 'AWS API calls throttled',
    phrase: 'is throttled by an AWS API',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Find the throttled API and its rate', 'aws cloudwatch get-metric-statistics --namespace AWS/Usage --metric-name CallCount --dimensions Name=Service,Value=<service> Name=Resource,Value=<api> Name=Type,Value=API Name=Class,Value=None --start-time <start> --end-time <end> --period 60 --statistics Sum --region {region}'],
        ['Add retries with exponential backoff and jitter, cache, or batch calls; request a higher quota if needed', 'aws service-quotas list-service-quotas --service-code <service> --region {region}'],
      ],
    },
  },
  service_quota_exceeded: {
    label: 'AWS service quota reached',
    phrase: 'hit an AWS service quota',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Find the quota and its value', 'aws service-quotas list-service-quotas --service-code <service> --region {region}'],
        ['Request an increase', 'aws service-quotas request-service-quota-increase --service-code <service> --quota-code <code> --desired-value <n> --region {region}'],
      ],
    },
  },
  credentials_expired: {
    label: 'Credentials expired or clock skewed',
    phrase: 'uses expired credentials',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Check the caller identity and clock', 'aws sts get-caller-identity && date -u'],
        ['Refresh the credentials (SSO login, role session, IRSA token) and fix clock skew (NTP)', 'aws sso login'],
      ],
    },
  },
  lambda_timeout: {
    label: 'Lambda function timed out',
    phrase: 'timed out',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the timeout and duration of the function', 'aws lambda get-function-configuration --function-name {function} --query "[Timeout,MemorySize]" --region {region}'],
        ['Find the slow call in the logs', 'aws logs filter-log-events --log-group-name /aws/lambda/{function} --filter-pattern "Task timed out" --region {region}'],
        ['Raise the timeout or fix the slow dependency (timeouts on its client)', 'aws lambda update-function-configuration --function-name {function} --timeout <seconds> --region {region}'],
      ],
    },
  },
  lambda_oom: {
    label: 'Lambda function ran out of memory',
    phrase: 'ran out of memory',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Compare Max Memory Used with Memory Size', 'aws logs filter-log-events --log-group-name /aws/lambda/{function} --filter-pattern "REPORT" --region {region}'],
        ['Raise the memory size', 'aws lambda update-function-configuration --function-name {function} --memory-size <mb> --region {region}'],
      ],
    },
  },
  lambda_import_error: {
    label: 'Lambda handler or module failed to load',
    phrase: 'cannot load its handler or a module',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the init error', 'aws logs filter-log-events --log-group-name /aws/lambda/{function} --filter-pattern "Runtime.ImportModuleError" --region {region}'],
        ['Check the handler setting and the package contents', 'aws lambda get-function-configuration --function-name {function} --query Handler --region {region}'],
        ['Redeploy with the dependency bundled (or the right layer)', 'aws lambda update-function-code --function-name {function} --zip-file fileb://function.zip --region {region}'],
      ],
    },
  },
  lambda_throttling: {
    label: 'Lambda invocations throttled',
    phrase: 'is throttled by its concurrency limit',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Check throttles and concurrency', 'aws lambda get-function-concurrency --function-name {function} --region {region} && aws lambda get-account-settings --region {region}'],
        ['Raise reserved concurrency (or the account limit)', 'aws lambda put-function-concurrency --function-name {function} --reserved-concurrent-executions <n> --region {region}'],
      ],
    },
  },
  heap_oom: {
    label: 'Managed runtime heap exhausted',
    phrase: 'exhausted its runtime heap',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the OutOfMemoryError context in the logs', 'kubectl logs {pod} -n {namespace} --previous'],
        ['Raise the heap (-Xmx / MaxRAMPercentage) together with the container limit, or fix the leak with a heap dump', 'kubectl set env {workload} -n {namespace} JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+HeapDumpOnOutOfMemoryError"'],
      ],
      ecs: [
        ECS_TASK,
        ECS_MEMORY,
        ECS_NEW_REVISION,
      ],
      lambda: [
        LAMBDA_ERRORS,
        LAMBDA_MAX_MEMORY,
        LAMBDA_MEMORY,
      ],
    },
  },
  node_heap_oom: {
    label: 'Node.js heap limit reached',
    phrase: 'exhausted its Node.js heap',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the V8 heap error in the logs', 'kubectl logs {pod} -n {namespace} --previous'],
        ['Raise --max-old-space-size within the memory limit, or fix the leak (heap snapshot)', 'kubectl set env {workload} -n {namespace} NODE_OPTIONS=--max-old-space-size=<mb>'],
      ],
      ecs: [
        ECS_TASK,
        ECS_MEMORY,
        ECS_NEW_REVISION,
      ],
      lambda: [
        LAMBDA_ERRORS,
        LAMBDA_MAX_MEMORY,
        LAMBDA_MEMORY,
      ],
    },
  },
  db_connection_exhaustion: {
    label: 'Database connections exhausted',
    phrase: 'has no free database connections',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Count connections per client on the database', 'psql -c "select usename, application_name, count(*) from pg_stat_activity group by 1,2 order by 3 desc"'],
        ['Lower pool size × replicas below max_connections, or add a proxy (RDS Proxy, PgBouncer)', 'aws rds describe-db-proxies --region {region}'],
      ],
    },
  },
  dependency_unreachable: {
    label: 'Downstream dependency unreachable',
    phrase: 'cannot reach a dependency',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Test the connection from the pod', 'kubectl exec {pod} -n {namespace} -- nc -zv -w 5 {host} {port}'],
        ['Check the dependency is up and its endpoints exist', 'kubectl get endpoints -A | grep {hostService}'],
        ['Check security groups / network policies on the path', 'kubectl get networkpolicy -n {namespace}'],
      ],
      ecs: [
        ECS_SERVICE,
        ['Test the connection from a running task (ECS Exec must be enabled on the service)', 'aws ecs execute-command --cluster {ecsCluster} --task {task} --container <container> --interactive --command "nc -zv -w 5 {host} {port}" --region {region}'],
        ['Check the security groups and subnets of the service (awsvpc network mode)', 'aws ecs describe-services --cluster {ecsCluster} --services {ecsService} --region {region} --query "services[0].networkConfiguration"'],
      ],
      lambda: [
        LAMBDA_ERRORS,
        ['Check the function\'s VPC subnets and security groups (a function in a VPC reaches only what they allow)', 'aws lambda get-function-configuration --function-name {function} --query VpcConfig --region {region}'],
      ],
    },
  },
  tls_cert_expired: {
    label: 'TLS certificate expired',
    phrase: 'fails TLS because a certificate expired',
    role: 'cause',
    explains: ['tls_cert_invalid'],
    actions: {
      default: [
        ['Check the certificate dates', 'openssl s_client -connect <host>:443 -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -dates'],
        ['Renew or rotate the certificate (cert-manager / ACM) and restart the consumer', 'kubectl rollout restart {workload} -n {namespace}'],
      ],
    },
  },
  tls_cert_invalid: {
    label: 'TLS certificate untrusted or wrong name',
    phrase: 'fails TLS because a certificate is untrusted or for another name',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Inspect the chain and the names', 'openssl s_client -connect <host>:443 -servername <host> -showcerts </dev/null'],
        ['Install the CA bundle or use a certificate valid for the host name', 'kubectl create configmap ca-bundle -n {namespace} --from-file=ca.crt'],
      ],
    },
  },
  disk_full: {
    label: 'Filesystem full',
    phrase: 'ran out of disk space',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Find the full filesystem', 'kubectl exec {pod} -n {namespace} -- df -h'],
        ['Free space or grow the volume (expand the PVC)', 'kubectl patch pvc {pvc} -n {namespace} -p \'{"spec":{"resources":{"requests":{"storage":"<size>"}}}}\''],
      ],
      ec2: [
        EC2_STATUS,
        ['Find the full filesystem on the instance (SSM Run Command)', 'aws ssm send-command --instance-ids {instance} --document-name AWS-RunShellScript --parameters commands="df -h" --region {region}'],
      ],
    },
  },
  fd_exhaustion: {
    label: 'File descriptors exhausted',
    phrase: 'ran out of file descriptors',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Count open files of the process', 'kubectl exec {pod} -n {namespace} -- sh -c "ls /proc/1/fd | wc -l; cat /proc/1/limits | grep files"'],
        ['Close leaked handles, or raise the nofile limit', 'kubectl rollout restart {workload} -n {namespace}'],
      ],
    },
  },
  deadlock: {
    label: 'Database deadlock or lock wait timeout',
    phrase: 'hits database deadlocks or lock timeouts',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Find the blocking transactions', 'psql -c "select pid, wait_event_type, state, query from pg_stat_activity where wait_event_type = \'Lock\'"'],
        ['Order lock acquisition consistently and retry deadlocked transactions', undefined],
      ],
    },
  },
  lb_target_5xx: {
    label: 'Load balancer targets returning 5xx',
    phrase: 'returns server errors behind the load balancer',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Find which targets fail', 'aws elbv2 describe-target-health --target-group-arn <target-group-arn> --region {region}'],
        ['Read the target logs at the time of the errors', 'kubectl logs {workload} -n {namespace} --since=30m'],
        ['Align keep-alive: target idle timeout longer than the load balancer\'s', undefined],
      ],
    },
  },
  lb_target_timeout: {
    label: 'Load balancer targets timing out',
    phrase: 'answers slower than the load balancer waits',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Compare TargetResponseTime with the idle timeout', 'aws elbv2 describe-load-balancer-attributes --load-balancer-arn <lb-arn> --region {region}'],
        ['Speed up the slow path or raise the idle timeout', 'aws elbv2 modify-load-balancer-attributes --load-balancer-arn <lb-arn> --attributes Key=idle_timeout.timeout_seconds,Value=<s> --region {region}'],
      ],
    },
  },
  queue_backlog: {
    label: 'Queue backlog growing',
    phrase: 'has a growing queue backlog',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Check queue depth and age', 'aws sqs get-queue-attributes --queue-url <queue-url> --attribute-names ApproximateNumberOfMessages ApproximateAgeOfOldestMessage --region {region}'],
        ['Check the consumer for errors and scale it', 'aws lambda list-event-source-mappings --function-name {function} --region {region}'],
        ['Inspect and redrive the dead-letter queue once fixed', 'aws sqs start-message-move-task --source-arn <dlq-arn> --region {region}'],
      ],
    },
  },
  deploy_regression: {
    label: 'Regression from a deployment or change',
    phrase: 'began failing with a recent change',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['List recent revisions', 'kubectl rollout history {workload} -n {namespace}'],
        ['Roll back to the previous revision', 'kubectl rollout undo {workload} -n {namespace}'],
      ],
      ecs: [
        ['Read the failed deployment and the service events', 'aws ecs describe-services --cluster {ecsCluster} --services {ecsService} --region {region} --query "services[0].{deployments:deployments,events:events[:10]}"'],
        ECS_STOPPED,
        ECS_TASK,
        ['Roll back: point the service at the last working task definition', 'aws ecs update-service --cluster {ecsCluster} --service {ecsService} --task-definition <previous-task-definition> --region {region}'],
      ],
      lambda: [
        ['List the versions and aliases of the function', 'aws lambda list-aliases --function-name {function} --region {region}'],
        ['Point the alias back at the last working version', 'aws lambda update-alias --function-name {function} --name <alias> --function-version <previous-version> --region {region}'],
      ],
    },
  },
  slow_dependency: {
    label: 'Slow downstream dependency',
    phrase: 'is slowed down by a slow downstream call (database query, HTTP service, queue or external API)',
    role: 'cause',
    explains: ['lb_target_timeout', 'lambda_timeout', 'db_connection_exhaustion'],
    actions: {
      default: [
        ['Find the slow calls and their usual durations (slow-query log, traces, client timings)', 'kubectl logs {pod} -n {namespace} --since=1h'],
        ['Check the dependency itself: its load, slow queries (missing index, lock waits) and saturation', 'kubectl top pods -n {namespace}'],
        ['Bound the call: client timeouts, a circuit breaker, caching; add the missing index for a slow query', 'kubectl rollout history {workload} -n {namespace}'],
      ],
    },
  },
  alarm_misconfigured: {
    label: 'Alarm misconfigured',
    phrase: 'raised an alarm that is itself misconfigured',
    role: 'cause',
    explains: [],
    actions: {
      default: [
        ['Read the alarm configuration and history', 'aws cloudwatch describe-alarm-history --alarm-name "{alarm}" --history-item-type StateUpdate --region {region}'],
        ['Set TreatMissingData, period and evaluation periods to match the metric', 'aws cloudwatch describe-alarms --alarm-names "{alarm}" --region {region}'],
      ],
    },
  },
  unknown: {
    label: 'Cause not determined',
    phrase: 'has no root cause the evidence supports with reasonable confidence',
    role: 'fallback',
    explains: [],
    actions: {
      default: [
        ['Collect more evidence: pod description, events and previous logs', 'kubectl describe pod {pod} -n {namespace} && kubectl get events -n {namespace} --sort-by=.lastTimestamp && kubectl logs {pod} -n {namespace} --previous'],
        ['Check recent changes to the workload', 'kubectl rollout history {workload} -n {namespace}'],
      ],
      ecs: [
        ECS_SERVICE,
        ECS_STOPPED,
        ECS_TASK,
      ],
      ec2: [
        EC2_STATUS,
        EC2_CONSOLE,
        ['List AWS Health events for the instance (served from us-east-1)', 'aws health describe-events --filter entityValues={instance} --region us-east-1'],
      ],
      lambda: [
        LAMBDA_CONFIG,
        LAMBDA_ERRORS,
        ['Check errors and throttles of the function', 'aws cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name Errors --dimensions Name=FunctionName,Value={function} --start-time <start> --end-time <end> --period 60 --statistics Sum --region {region}'],
      ],
      aws: [
        ALARM_HISTORY,
        HEALTH_EVENTS,
        ALARMS_IN_ALARM,
      ],
    },
  },
} satisfies Record<Category, CategoryRecord>;

/**
 * Steps of a platform other than Kubernetes for a category it does not list, after the
 * category's own portable steps when those include no command (infer's `actionsFor`).
 * Commands: AWS CLI v2 reference (`aws ecs describe-services`, `describe-tasks`, `update-service`,
 * `aws ec2 describe-instance-status`, `aws lambda get-function-configuration`, `aws health describe-events`).
 */
const DEFAULTS = {
  ecs: [
    ECS_SERVICE,
    ECS_STOPPED,
    ECS_TASK,
  ],
  ec2: [
    EC2_STATUS,
    EC2_CONSOLE,
  ],
  lambda: [
    LAMBDA_CONFIG,
    LAMBDA_ERRORS,
  ],
  aws: [
    ALARM_HISTORY,
    HEALTH_EVENTS,
    ALARMS_IN_ALARM,
  ],
} satisfies Record<Exclude<Platform, 'kubernetes'>, readonly ActionTemplate[]>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The registry: one frozen record per category, in {@link CATEGORIES} order. */
export const CATEGORY_REGISTRY: Readonly<Record<Category, CategoryRecord>> = deepFreeze<Record<Category, CategoryRecord>>(REGISTRY);

/** Per platform other than Kubernetes, the steps for a category it does not list. */
export const PLATFORM_DEFAULT_ACTIONS: Readonly<Record<Exclude<Platform, 'kubernetes'>, readonly ActionTemplate[]>> = deepFreeze(DEFAULTS);

/**
 * The record of `category`, or `unknown`'s when it is not one (a stale id from stored data).
 * @example
 * categoryRecord('oom_killed').label; // 'Container killed for exceeding its memory limit'
 */
export function categoryRecord(category: string): CategoryRecord {
  return (CATEGORY_REGISTRY as Readonly<Record<string, CategoryRecord | undefined>>)[category] ?? CATEGORY_REGISTRY.unknown;
}

/**
 * A frozen table with one value per category, picked from its record, in {@link CATEGORIES} order.
 * @example
 * const labels = categoryTable((r) => r.label); // labels.oom_killed === 'Container killed for exceeding its memory limit'
 */
export function categoryTable<T>(pick: (record: CategoryRecord, category: Category) => T): Readonly<Record<Category, T>> {
  const out = {} as Record<Category, T>;
  for (const c of CATEGORIES) out[c] = pick(CATEGORY_REGISTRY[c], c);
  return Object.freeze(out);
}
