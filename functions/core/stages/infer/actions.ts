/**
 * Remediation steps per category, with `kubectl`/`aws` commands whose placeholders are filled
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
import type { Category } from '../../model/categories.js';
import type { Action, Finding } from '../../model/analysis.js';
import type { CollectedContext } from '../../model/evidence.js';
import type { Incident } from '../../model/incident.js';

/**
 * Where the incident runs, which decides the commands: `kubernetes` (EKS or any cluster; also the
 * default when nothing names another platform, e.g. a local run over kubectl output or logs),
 * `ecs`, `ec2`, `lambda`, or `aws` (another AWS service: a Health event about a volume, an alarm
 * on a metric of no known platform).
 */
export type Platform = 'kubernetes' | 'ecs' | 'ec2' | 'lambda' | 'aws';

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
}

type Template = readonly [description: string, command?: string];

/** The catalogue: every category has at least one step. */
export const ACTION_CATALOGUE: Readonly<Record<Category, readonly Template[]>> = {
  oom_killed: [
    ['Confirm the OOM kill and the memory limit of the container', 'kubectl describe pod {pod} -n {namespace}'],
    ['Compare actual memory use with the limit', 'kubectl top pod {pod} -n {namespace} --containers'],
    ['Raise the memory limit (or fix the leak) and roll out', 'kubectl set resources {workload} -n {namespace} -c {container} --limits=memory=<new-limit>'],
  ],
  app_crash: [
    ['Read the logs of the crashed container run', 'kubectl logs {pod} -n {namespace} --previous --all-containers'],
    ['Check the exit code, command and recent events', 'kubectl describe pod {pod} -n {namespace}'],
    ['Roll back if a recent change introduced the crash', 'kubectl rollout undo {workload} -n {namespace}'],
  ],
  app_config_error: [
    ['Read the startup error in the logs', 'kubectl logs {pod} -n {namespace} --previous'],
    ['Check the environment, arguments and mounted configuration', 'kubectl get {workload} -n {namespace} -o yaml'],
    ['Set the missing or invalid value and roll out', 'kubectl set env {workload} -n {namespace} <NAME>=<value>'],
  ],
  missing_config_reference: [
    ['See which ConfigMap, Secret or key the pod references', 'kubectl describe pod {pod} -n {namespace}'],
    ['List what exists in the namespace', 'kubectl get configmaps,secrets,serviceaccounts -n {namespace}'],
    ['Create the missing object (or fix the reference in the workload)', 'kubectl create configmap <name> -n {namespace} --from-file=<file>'],
  ],
  image_pull_auth: [
    ['Read the pull error', 'kubectl describe pod {pod} -n {namespace}'],
    ['Create registry credentials', 'kubectl create secret docker-registry regcred -n {namespace} --docker-server=<registry> --docker-username=<user> --docker-password=<token>'],
    ['Reference them from the workload', 'kubectl patch {workload} -n {namespace} --type merge -p \'{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"regcred"}]}}}}\''],
    ['For ECR, check the node role can pull', 'aws ecr get-login-password --region {region} >/dev/null && aws iam list-attached-role-policies --role-name <node-role>'],
  ],
  image_not_found: [
    ['Read the image reference that fails', 'kubectl describe pod {pod} -n {namespace}'],
    ['Check the tag exists in the registry', 'aws ecr describe-images --repository-name <repository> --image-ids imageTag=<tag> --region {region}'],
    ['Point the workload at an image that exists', 'kubectl set image {workload} -n {namespace} {container}=<image>:<existing-tag>'],
  ],
  probe_failure: [
    ['Read the probe failures and the probe settings', 'kubectl describe pod {pod} -n {namespace}'],
    ['Check the port and path the application really serves', 'kubectl get {workload} -n {namespace} -o jsonpath=\'{.spec.template.spec.containers[*].ports}\''],
    ['Fix the probe (port, path, timeout, initialDelaySeconds) and roll out', 'kubectl edit {workload} -n {namespace}'],
  ],
  insufficient_cpu: [
    ['Read the scheduler message', 'kubectl describe pod {pod} -n {namespace}'],
    ['Compare requests with node allocatable capacity', 'kubectl describe nodes | grep -A8 "Allocated resources"'],
    ['Lower the requests or add capacity (node group / Karpenter)', 'aws eks update-nodegroup-config --cluster-name {cluster} --nodegroup-name <nodegroup> --scaling-config desiredSize=<n> --region {region}'],
  ],
  insufficient_memory: [
    ['Read the scheduler message', 'kubectl describe pod {pod} -n {namespace}'],
    ['Compare memory requests with node allocatable memory', 'kubectl describe nodes | grep -A8 "Allocated resources"'],
    ['Lower the requests or add capacity', 'aws eks update-nodegroup-config --cluster-name {cluster} --nodegroup-name <nodegroup> --scaling-config desiredSize=<n> --region {region}'],
  ],
  taint_not_tolerated: [
    ['List node taints', 'kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints'],
    ['Add a matching toleration to the workload, or remove the taint', 'kubectl taint nodes {node} <key>=<value>:<effect>-'],
  ],
  node_selector_mismatch: [
    ['Read the scheduler message and the pod selector/affinity', 'kubectl get pod {pod} -n {namespace} -o jsonpath=\'{.spec.nodeSelector}{"\\n"}{.spec.affinity}\''],
    ['List node labels', 'kubectl get nodes --show-labels'],
    ['Label a node, or relax the selector/affinity in the workload', 'kubectl label node {node} <key>=<value>'],
  ],
  volume_zone_conflict: [
    ['Find the zone of the volume and of the nodes', 'kubectl get pv -o custom-columns=NAME:.metadata.name,ZONE:.spec.nodeAffinity && kubectl get nodes -L topology.kubernetes.io/zone'],
    ['Use a WaitForFirstConsumer storage class or add nodes in the volume zone', 'kubectl get storageclass'],
  ],
  pvc_pending: [
    ['Read why the claim is not bound', 'kubectl describe pvc {pvc} -n {namespace}'],
    ['List storage classes that exist', 'kubectl get storageclass'],
    ['Recreate the claim with an existing storage class', 'kubectl get pvc {pvc} -n {namespace} -o yaml > pvc.yaml  # set spec.storageClassName, then delete and apply'],
  ],
  volume_mount_failure: [
    ['Read the mount/attach error', 'kubectl describe pod {pod} -n {namespace}'],
    ['Find which node holds the volume attachment', 'kubectl get volumeattachments'],
    ['For EBS Multi-Attach, make sure the old pod is gone from the other node', 'kubectl get pods -n {namespace} -o wide'],
  ],
  disk_pressure_eviction: [
    ['Check node disk conditions', 'kubectl describe node {node}'],
    ['List evicted pods', 'kubectl get pods -n {namespace} --field-selector=status.phase=Failed'],
    ['Set ephemeral-storage limits and clean images/logs, or enlarge the node volume', 'kubectl set resources {workload} -n {namespace} --limits=ephemeral-storage=<size>'],
  ],
  memory_pressure_eviction: [
    ['Check node memory conditions', 'kubectl describe node {node}'],
    ['Find the largest consumers', 'kubectl top pods -A --sort-by=memory'],
    ['Set memory requests equal to real use so the scheduler does not overcommit', 'kubectl set resources {workload} -n {namespace} --requests=memory=<size>'],
  ],
  pid_exhaustion: [
    ['Check the PIDPressure condition', 'kubectl describe node {node}'],
    ['Look for zombie (<defunct>) processes in the container', 'kubectl exec {pod} -n {namespace} -- ps -ef'],
    ['Reap children (use an init such as tini) or set a pod PID limit', 'kubectl edit {workload} -n {namespace}'],
  ],
  cpu_throttling: [
    ['Compare CPU use with the limit', 'kubectl top pod {pod} -n {namespace} --containers'],
    ['Raise or remove the CPU limit', 'kubectl set resources {workload} -n {namespace} -c {container} --limits=cpu=<new-limit>'],
  ],
  quota_exceeded: [
    ['Compare quota use with its hard limits', 'kubectl describe resourcequota -n {namespace}'],
    ['Read the rejection', 'kubectl get events -n {namespace} --field-selector reason=FailedCreate'],
    ['Raise the quota or lower requests/replicas', 'kubectl edit resourcequota {quota} -n {namespace}'],
  ],
  rbac_forbidden: [
    ['Check what the identity may do', 'kubectl auth can-i --list --as=system:serviceaccount:{namespace}:<serviceaccount> -n {namespace}'],
    ['Grant the missing verb/resource with a Role and RoleBinding', 'kubectl create role <role> -n {namespace} --verb=get,list,watch --resource=<resource> && kubectl create rolebinding <binding> -n {namespace} --role=<role> --serviceaccount={namespace}:<serviceaccount>'],
  ],
  job_failed: [
    ['Read the job status and events', 'kubectl describe job {job} -n {namespace}'],
    ['Read the logs of the failed pods', 'kubectl logs job/{job} -n {namespace} --all-containers'],
    ['Fix the cause and re-run the job', 'kubectl get job {job} -n {namespace} -o yaml > job.yaml  # remove status/selector, then delete and apply'],
  ],
  rollout_stuck: [
    ['Check the rollout', 'kubectl rollout status {workload} -n {namespace}'],
    ['Read why new pods are not available', 'kubectl describe {workload} -n {namespace}'],
    ['Roll back to the last working revision', 'kubectl rollout undo {workload} -n {namespace}'],
  ],
  hpa_at_max: [
    ['Read the autoscaler conditions and metrics', 'kubectl describe hpa {hpa} -n {namespace}'],
    ['Make sure every container sets requests for the target resource and metrics-server works', 'kubectl top pods -n {namespace}'],
    ['Raise maxReplicas if the load is real', 'kubectl patch hpa {hpa} -n {namespace} -p \'{"spec":{"maxReplicas":<n>}}\''],
  ],
  service_no_endpoints: [
    ['Compare the service selector with pod labels', 'kubectl get svc {service} -n {namespace} -o jsonpath=\'{.spec.selector}\' && kubectl get pods -n {namespace} --show-labels'],
    ['Check endpoints and pod readiness', 'kubectl get endpointslices -n {namespace} -l kubernetes.io/service-name={service}'],
  ],
  ingress_misconfigured: [
    ['Read the ingress class, rules and backends', 'kubectl describe ingress {ingress} -n {namespace}'],
    ['List the ingress classes and services that exist', 'kubectl get ingressclass && kubectl get svc -n {namespace}'],
    ['Point the ingress at an existing class/service/port', 'kubectl edit ingress {ingress} -n {namespace}'],
  ],
  network_policy_blocked: [
    ['List policies selecting the pods', 'kubectl get networkpolicy -n {namespace} -o yaml'],
    ['Test the connection from the client pod', 'kubectl exec {pod} -n {namespace} -- wget -qO- -T 5 http://<service>:<port>'],
    ['Allow the traffic (ingress from the client labels, or egress incl. DNS to kube-dns on 53/UDP+TCP)', 'kubectl edit networkpolicy {networkpolicy} -n {namespace}'],
  ],
  dns_resolution: [
    ['Resolve the name from inside the pod', 'kubectl exec {pod} -n {namespace} -- nslookup <name>'],
    ['Check CoreDNS health and logs', 'kubectl logs -n kube-system -l k8s-app=kube-dns --tail=100'],
    ['Check for egress policies blocking port 53', 'kubectl get networkpolicy -n {namespace}'],
  ],
  node_not_ready: [
    ['Read node conditions and events', 'kubectl describe node {node}'],
    ['Check kubelet, runtime and CNI (aws-node) pods on the node', 'kubectl get pods -n kube-system -o wide --field-selector spec.nodeName={node}'],
    ['Replace the node if it does not recover', 'kubectl drain {node} --ignore-daemonsets --delete-emptydir-data'],
  ],
  eks_auth_unauthorized: [
    ['Check which identity the caller uses', 'aws sts get-caller-identity'],
    ['List access entries of the cluster', 'aws eks list-access-entries --cluster-name {cluster} --region {region}'],
    ['Map the identity (access entry or aws-auth ConfigMap)', 'aws eks create-access-entry --cluster-name {cluster} --principal-arn <role-arn> --region {region}'],
  ],
  ip_exhaustion: [
    ['Check free addresses in the cluster subnets', 'aws ec2 describe-subnets --subnet-ids <subnet-ids> --query "Subnets[].[SubnetId,AvailableIpAddressCount]" --region {region}'],
    ['Read the VPC CNI logs', 'kubectl logs -n kube-system -l k8s-app=aws-node --tail=100'],
    ['Enable prefix delegation or add subnets', 'kubectl set env daemonset aws-node -n kube-system ENABLE_PREFIX_DELEGATION=true'],
  ],
  iam_access_denied: [
    ['Find the denied call in CloudTrail', 'aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=<api-call> --region {region}'],
    ['Simulate the policy for the role', 'aws iam simulate-principal-policy --policy-source-arn <role-arn> --action-names <service:Action>'],
    ['Grant the action on the resource (or fix the trust/KMS policy)', 'aws iam put-role-policy --role-name <role> --policy-name <name> --policy-document file://policy.json'],
  ],
  api_throttling: [
    ['Find the throttled API and its rate', 'aws cloudwatch get-metric-statistics --namespace AWS/Usage --metric-name CallCount --dimensions Name=Service,Value=<service> Name=Resource,Value=<api> Name=Type,Value=API Name=Class,Value=None --start-time <start> --end-time <end> --period 60 --statistics Sum --region {region}'],
    ['Add retries with exponential backoff and jitter, cache, or batch calls; request a higher quota if needed', 'aws service-quotas list-service-quotas --service-code <service> --region {region}'],
  ],
  service_quota_exceeded: [
    ['Find the quota and its value', 'aws service-quotas list-service-quotas --service-code <service> --region {region}'],
    ['Request an increase', 'aws service-quotas request-service-quota-increase --service-code <service> --quota-code <code> --desired-value <n> --region {region}'],
  ],
  credentials_expired: [
    ['Check the caller identity and clock', 'aws sts get-caller-identity && date -u'],
    ['Refresh the credentials (SSO login, role session, IRSA token) and fix clock skew (NTP)', 'aws sso login'],
  ],
  lambda_timeout: [
    ['Read the timeout and duration of the function', 'aws lambda get-function-configuration --function-name {function} --query "[Timeout,MemorySize]" --region {region}'],
    ['Find the slow call in the logs', 'aws logs filter-log-events --log-group-name /aws/lambda/{function} --filter-pattern "Task timed out" --region {region}'],
    ['Raise the timeout or fix the slow dependency (timeouts on its client)', 'aws lambda update-function-configuration --function-name {function} --timeout <seconds> --region {region}'],
  ],
  lambda_oom: [
    ['Compare Max Memory Used with Memory Size', 'aws logs filter-log-events --log-group-name /aws/lambda/{function} --filter-pattern "REPORT" --region {region}'],
    ['Raise the memory size', 'aws lambda update-function-configuration --function-name {function} --memory-size <mb> --region {region}'],
  ],
  lambda_import_error: [
    ['Read the init error', 'aws logs filter-log-events --log-group-name /aws/lambda/{function} --filter-pattern "Runtime.ImportModuleError" --region {region}'],
    ['Check the handler setting and the package contents', 'aws lambda get-function-configuration --function-name {function} --query Handler --region {region}'],
    ['Redeploy with the dependency bundled (or the right layer)', 'aws lambda update-function-code --function-name {function} --zip-file fileb://function.zip --region {region}'],
  ],
  lambda_throttling: [
    ['Check throttles and concurrency', 'aws lambda get-function-concurrency --function-name {function} --region {region} && aws lambda get-account-settings --region {region}'],
    ['Raise reserved concurrency (or the account limit)', 'aws lambda put-function-concurrency --function-name {function} --reserved-concurrent-executions <n> --region {region}'],
  ],
  heap_oom: [
    ['Read the OutOfMemoryError context in the logs', 'kubectl logs {pod} -n {namespace} --previous'],
    ['Raise the heap (-Xmx / MaxRAMPercentage) together with the container limit, or fix the leak with a heap dump', 'kubectl set env {workload} -n {namespace} JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+HeapDumpOnOutOfMemoryError"'],
  ],
  node_heap_oom: [
    ['Read the V8 heap error in the logs', 'kubectl logs {pod} -n {namespace} --previous'],
    ['Raise --max-old-space-size within the memory limit, or fix the leak (heap snapshot)', 'kubectl set env {workload} -n {namespace} NODE_OPTIONS=--max-old-space-size=<mb>'],
  ],
  db_connection_exhaustion: [
    ['Count connections per client on the database', 'psql -c "select usename, application_name, count(*) from pg_stat_activity group by 1,2 order by 3 desc"'],
    ['Lower pool size × replicas below max_connections, or add a proxy (RDS Proxy, PgBouncer)', 'aws rds describe-db-proxies --region {region}'],
  ],
  dependency_unreachable: [
    ['Test the connection from the pod', 'kubectl exec {pod} -n {namespace} -- nc -zv -w 5 <host> <port>'],
    ['Check the dependency is up and its endpoints exist', 'kubectl get endpoints -A | grep <service>'],
    ['Check security groups / network policies on the path', 'kubectl get networkpolicy -n {namespace}'],
  ],
  tls_cert_expired: [
    ['Check the certificate dates', 'openssl s_client -connect <host>:443 -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -dates'],
    ['Renew or rotate the certificate (cert-manager / ACM) and restart the consumer', 'kubectl rollout restart {workload} -n {namespace}'],
  ],
  tls_cert_invalid: [
    ['Inspect the chain and the names', 'openssl s_client -connect <host>:443 -servername <host> -showcerts </dev/null'],
    ['Install the CA bundle or use a certificate valid for the host name', 'kubectl create configmap ca-bundle -n {namespace} --from-file=ca.crt'],
  ],
  disk_full: [
    ['Find the full filesystem', 'kubectl exec {pod} -n {namespace} -- df -h'],
    ['Free space or grow the volume (expand the PVC)', 'kubectl patch pvc {pvc} -n {namespace} -p \'{"spec":{"resources":{"requests":{"storage":"<size>"}}}}\''],
  ],
  fd_exhaustion: [
    ['Count open files of the process', 'kubectl exec {pod} -n {namespace} -- sh -c "ls /proc/1/fd | wc -l; cat /proc/1/limits | grep files"'],
    ['Close leaked handles, or raise the nofile limit', 'kubectl rollout restart {workload} -n {namespace}'],
  ],
  deadlock: [
    ['Find the blocking transactions', 'psql -c "select pid, wait_event_type, state, query from pg_stat_activity where wait_event_type = \'Lock\'"'],
    ['Order lock acquisition consistently and retry deadlocked transactions', undefined],
  ],
  lb_target_5xx: [
    ['Find which targets fail', 'aws elbv2 describe-target-health --target-group-arn <target-group-arn> --region {region}'],
    ['Read the target logs at the time of the errors', 'kubectl logs {workload} -n {namespace} --since=30m'],
    ['Align keep-alive: target idle timeout longer than the load balancer\'s', undefined],
  ],
  lb_target_timeout: [
    ['Compare TargetResponseTime with the idle timeout', 'aws elbv2 describe-load-balancer-attributes --load-balancer-arn <lb-arn> --region {region}'],
    ['Speed up the slow path or raise the idle timeout', 'aws elbv2 modify-load-balancer-attributes --load-balancer-arn <lb-arn> --attributes Key=idle_timeout.timeout_seconds,Value=<s> --region {region}'],
  ],
  queue_backlog: [
    ['Check queue depth and age', 'aws sqs get-queue-attributes --queue-url <queue-url> --attribute-names ApproximateNumberOfMessages ApproximateAgeOfOldestMessage --region {region}'],
    ['Check the consumer for errors and scale it', 'aws lambda list-event-source-mappings --function-name {function} --region {region}'],
    ['Inspect and redrive the dead-letter queue once fixed', 'aws sqs start-message-move-task --source-arn <dlq-arn> --region {region}'],
  ],
  deploy_regression: [
    ['List recent revisions', 'kubectl rollout history {workload} -n {namespace}'],
    ['Roll back to the previous revision', 'kubectl rollout undo {workload} -n {namespace}'],
  ],
  slow_dependency: [
    ['Find the slow calls and their usual durations (slow-query log, traces, client timings)', 'kubectl logs {pod} -n {namespace} --since=1h'],
    ['Check the dependency itself: its load, slow queries (missing index, lock waits) and saturation', 'kubectl top pods -n {namespace}'],
    ['Bound the call: client timeouts, a circuit breaker, caching; add the missing index for a slow query', 'kubectl rollout history {workload} -n {namespace}'],
  ],
  alarm_misconfigured: [
    ['Read the alarm configuration and history', 'aws cloudwatch describe-alarm-history --alarm-name "{alarm}" --history-item-type StateUpdate --region {region}'],
    ['Set TreatMissingData, period and evaluation periods to match the metric', 'aws cloudwatch describe-alarms --alarm-names "{alarm}" --region {region}'],
  ],
  unknown: [
    ['Collect more evidence: pod description, events and previous logs', 'kubectl describe pod {pod} -n {namespace} && kubectl get events -n {namespace} --sort-by=.lastTimestamp && kubectl logs {pod} -n {namespace} --previous'],
    ['Check recent changes to the workload', 'kubectl rollout history {workload} -n {namespace}'],
  ],
};

const ECS_SERVICE: Template = ['Read the service events and deployments', 'aws ecs describe-services --cluster {ecsCluster} --services {ecsService} --region {region} --query "services[0].{events:events[:10],deployments:deployments}"'];
const ECS_STOPPED: Template = ['List the tasks that stopped', 'aws ecs list-tasks --cluster {ecsCluster} --service-name {ecsService} --desired-status STOPPED --region {region}'];
const ECS_TASK: Template = ['Read why the task stopped (stoppedReason, container exit codes and reasons)', 'aws ecs describe-tasks --cluster {ecsCluster} --tasks {task} --region {region} --query "tasks[].{stoppedReason:stoppedReason,containers:containers[].[name,exitCode,reason]}"'];
const ECS_TASKDEF: Template = ['Read the task definition (CPU, memory, image, roles)', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region}'];
const ECS_REDEPLOY: Template = ['After the fix, start fresh tasks', 'aws ecs update-service --cluster {ecsCluster} --service {ecsService} --force-new-deployment --region {region}'];
const EC2_STATUS: Template = ['Check the instance and system status checks', 'aws ec2 describe-instance-status --instance-ids {instance} --include-all-instances --region {region}'];
const EC2_CONSOLE: Template = ['Read the instance console output', 'aws ec2 get-console-output --instance-id {instance} --latest --output text --region {region}'];
const LAMBDA_CONFIG: Template = ['Read the function configuration (runtime, handler, timeout, memory, last update)', 'aws lambda get-function-configuration --function-name {function} --region {region}'];
const LAMBDA_ERRORS: Template = ['Read the recent errors in the function logs', 'aws logs filter-log-events --log-group-name /aws/lambda/{function} --filter-pattern "?ERROR ?Exception ?Task" --region {region}'];
const ALARM_HISTORY: Template = ['Read the alarm history (state changes and their reasons)', 'aws cloudwatch describe-alarm-history --alarm-name "{alarm}" --history-item-type StateUpdate --region {region}'];
const ALARMS_IN_ALARM: Template = ['Check the other alarms in ALARM in the region', 'aws cloudwatch describe-alarms --state-value ALARM --region {region}'];
const HEALTH_EVENTS: Template = ['Read the AWS Health event and its affected resources (the Health API is served from us-east-1)', 'aws health describe-events --filter eventTypeCodes={healthEventType} --region us-east-1'];

/**
 * Steps for platforms other than Kubernetes, per category, with a `default` used for categories
 * a platform does not list (after the catalogue's own non-Kubernetes steps).
 * Commands: AWS CLI v2 reference (`aws ecs describe-services`, `describe-tasks`, `update-service`,
 * `aws ec2 describe-instance-status`, `aws lambda get-function-configuration`, `aws health describe-events`).
 */
export const PLATFORM_ACTIONS: Readonly<Record<Exclude<Platform, 'kubernetes'>, Readonly<Partial<Record<Category | 'default', readonly Template[]>>>>> = {
  ecs: {
    default: [ECS_SERVICE, ECS_STOPPED, ECS_TASK],
    insufficient_cpu: [
      ECS_SERVICE,
      ['Compare the task size with what the container instances have left', 'aws ecs describe-container-instances --cluster {ecsCluster} --container-instances {containerInstance} --region {region} --query "containerInstances[].{instance:ec2InstanceId,remaining:remainingResources[?name==\'CPU\'||name==\'MEMORY\']}"'],
      ECS_TASKDEF,
      ['Add capacity (capacity provider / Auto Scaling group) or lower the task CPU', 'aws autoscaling set-desired-capacity --auto-scaling-group-name <asg> --desired-capacity <n> --region {region}'],
    ],
    insufficient_memory: [
      ECS_SERVICE,
      ['Compare the task size with what the container instances have left', 'aws ecs describe-container-instances --cluster {ecsCluster} --container-instances {containerInstance} --region {region} --query "containerInstances[].{instance:ec2InstanceId,remaining:remainingResources[?name==\'CPU\'||name==\'MEMORY\']}"'],
      ECS_TASKDEF,
      ['Add capacity (capacity provider / Auto Scaling group) or lower the task memory', 'aws autoscaling set-desired-capacity --auto-scaling-group-name <asg> --desired-capacity <n> --region {region}'],
    ],
    deploy_regression: [
      ['Read the failed deployment and the service events', 'aws ecs describe-services --cluster {ecsCluster} --services {ecsService} --region {region} --query "services[0].{deployments:deployments,events:events[:10]}"'],
      ECS_STOPPED, ECS_TASK,
      ['Roll back: point the service at the last working task definition', 'aws ecs update-service --cluster {ecsCluster} --service {ecsService} --task-definition <previous-task-definition> --region {region}'],
    ],
    rollout_stuck: [
      ['Read the deployment that does not complete and the service events', 'aws ecs describe-services --cluster {ecsCluster} --services {ecsService} --region {region} --query "services[0].{deployments:deployments,events:events[:10]}"'],
      ECS_STOPPED, ECS_TASK,
      ['Roll back: point the service at the last working task definition', 'aws ecs update-service --cluster {ecsCluster} --service {ecsService} --task-definition <previous-task-definition> --region {region}'],
    ],
    app_crash: [ECS_STOPPED, ECS_TASK, ['Read the container logs (awslogs driver: the log group of the task definition)', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region} --query "taskDefinition.containerDefinitions[].logConfiguration"'], ECS_REDEPLOY],
    app_config_error: [ECS_TASK, ECS_TASKDEF, ECS_REDEPLOY],
    oom_killed: [
      ECS_TASK,
      ['Read the container memory limits', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region} --query "taskDefinition.{memory:memory,containers:containerDefinitions[].[name,memory,memoryReservation]}"'],
      ['Register a revision with more memory (or fix the leak) and deploy it', 'aws ecs update-service --cluster {ecsCluster} --service {ecsService} --task-definition <new-revision> --region {region}'],
    ],
    image_pull_auth: [
      ECS_TASK,
      ['Check the task execution role (it pulls the image and reads registry secrets)', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region} --query "taskDefinition.[executionRoleArn,containerDefinitions[].repositoryCredentials]"'],
      ECS_REDEPLOY,
    ],
    image_not_found: [
      ECS_TASK,
      ['Check the image reference of the task definition', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region} --query "taskDefinition.containerDefinitions[].image"'],
      ['Check the tag exists in the registry', 'aws ecr describe-images --repository-name <repository> --image-ids imageTag=<tag> --region {region}'],
    ],
    probe_failure: [
      ECS_SERVICE,
      ['Read the container health check', 'aws ecs describe-task-definition --task-definition {taskDefinition} --region {region} --query "taskDefinition.containerDefinitions[].healthCheck"'],
      ['Check the load balancer target health', 'aws elbv2 describe-target-health --target-group-arn <target-group-arn> --region {region}'],
    ],
    unknown: [ECS_SERVICE, ECS_STOPPED, ECS_TASK],
  },
  ec2: {
    default: [EC2_STATUS, EC2_CONSOLE],
    unknown: [EC2_STATUS, EC2_CONSOLE, ['List AWS Health events for the instance (served from us-east-1)', 'aws health describe-events --filter entityValues={instance} --region us-east-1']],
    disk_full: [EC2_STATUS, ['Find the full filesystem on the instance (SSM Run Command)', 'aws ssm send-command --instance-ids {instance} --document-name AWS-RunShellScript --parameters commands="df -h" --region {region}']],
    node_not_ready: [EC2_STATUS, EC2_CONSOLE],
  },
  lambda: {
    default: [LAMBDA_CONFIG, LAMBDA_ERRORS],
    unknown: [LAMBDA_CONFIG, LAMBDA_ERRORS, ['Check errors and throttles of the function', 'aws cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name Errors --dimensions Name=FunctionName,Value={function} --start-time <start> --end-time <end> --period 60 --statistics Sum --region {region}']],
    deploy_regression: [
      ['List the versions and aliases of the function', 'aws lambda list-aliases --function-name {function} --region {region}'],
      ['Point the alias back at the last working version', 'aws lambda update-alias --function-name {function} --name <alias> --function-version <previous-version> --region {region}'],
    ],
    app_crash: [LAMBDA_ERRORS, LAMBDA_CONFIG],
  },
  aws: {
    default: [ALARM_HISTORY, HEALTH_EVENTS, ALARMS_IN_ALARM],
    unknown: [ALARM_HISTORY, HEALTH_EVENTS, ALARMS_IN_ALARM],
  },
};

/** Strips a ReplicaSet hash and pod suffix: `web-7c9d8-abcde` → `web`. */
export function deploymentOfPod(pod: string): string | undefined {
  const m = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod);
  return m?.[1];
}

/** Kubernetes kinds an incident resource may name. */
const KUBERNETES_TYPES = new Set(['pod', 'deployment', 'statefulset', 'daemonset', 'replicaset', 'job', 'cronjob', 'node', 'workload', 'service', 'ingress', 'persistentvolumeclaim', 'namespace']);

/**
 * The platform of an incident, in this order: ECS (an `ecs` event, an `AWS::ECS::*` resource, an
 * `AWS/ECS` or `ECS/ContainerInsights` metric), Lambda (a function name, an `AWS::Lambda::Function`
 * resource, an `AWS/Lambda` metric), Kubernetes (an `eks` or Prometheus event, a namespace, a
 * Kubernetes resource, a `ContainerInsights` metric, Kubernetes findings or collected Kubernetes
 * evidence), EC2 (an `ec2` event, an `AWS::EC2::Instance` resource, an `AWS/EC2` metric), other
 * AWS (any other AWS event or alarm), and Kubernetes when nothing else is known.
 */
export function platformOf(
  incident: Incident | undefined, findings: readonly Finding[] = [],
  context?: Pick<CollectedContext, 'kubernetesObjects' | 'kubernetesEvents' | 'describes'>,
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
  context?: Pick<CollectedContext, 'kubernetesObjects' | 'kubernetesEvents' | 'describes'>,
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
  containerInstance: [AWS_ID, 'AWS'], instance: [/^i-[0-9a-f]{8,17}$/, 'EC2 instance'], healthEventType: [/^[A-Z0-9_]{1,128}$/, 'AWS Health event type'],
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
