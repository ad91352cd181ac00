/**
 * The catalogue of known-failure signatures, one or more per category of
 * `shared/spec/categories.md`.
 *
 * Patterns follow the real message formats of the components that print them:
 * kubelet and container runtimes (containerd/CRI-O `Failed to pull image …`, `Back-off restarting
 * failed container`, `OCI runtime create failed`), the scheduler (`0/N nodes are available: …`,
 * see kubernetes `pkg/scheduler/framework/plugins/*` messages), controllers (job-controller
 * `BackoffLimitExceeded`, persistentvolume-controller `ProvisioningFailed`, deployment
 * `ProgressDeadlineExceeded`, HPA `FailedGetResourceMetric`), the API server (`is forbidden: User
 * "…" cannot list resource`, `exceeded quota`), AWS SDK error codes, the Lambda runtime
 * (`Task timed out after`, `REPORT … Max Memory Used`), and common runtimes (JVM, V8, Python,
 * glibc, OpenSSL/Go x509).
 *
 * `weight` is the signature's specificity in (0, 1]: how sure a match makes its category.
 * Generic symptoms (a CrashLoopBackOff, a non-zero exit code) weigh little; a message that names
 * the cause (`OOMKilled`, `storageclass "x" not found`) weighs close to 1.
 */
import type { Category } from '../../../model/categories.js';
import type { EvidenceLine, LineKind } from './lines.js';
import { AWS_ERROR_CODE_SIGNATURE } from './aws-error-codes.js';
import { ALARM_NOTIFICATION_SIGNATURE, ALB_ACCESS_LOG_SIGNATURE, FAMILY_SIGNATURES, KAFKA_LAG_SIGNATURE } from './families.js';
import { SLOW_WORDS_SIGNATURE } from '../latency/index.js';

export type { Signature, ComputedSignature } from './types.js';
import type { Signature, ComputedSignature } from './types.js';

const STRUCTURED: readonly LineKind[] = ['describe', 'event', 'incident'];
const ALL: readonly LineKind[] = ['log', 'describe', 'event', 'incident'];
const INCIDENT: readonly LineKind[] = ['incident'];
/** `docker inspect` State (`"OOMKilled": false`) and filters naming the flag false: no kill. */
const NOT_OOM_KILLED = /"?OOMKilled"?\s?[:=]\s?"?false\b/;

/** The regular-expression signatures. Order does not matter; weights decide. */
export const SIGNATURES: readonly Signature[] = [
  // ---- oom_killed
  { id: 'k8s.oomkilled-reason', category: 'oom_killed', weight: 0.95, pattern: /\bReason:\s+OOMKilled\b/ },
  { id: 'k8s.oomkilled', category: 'oom_killed', weight: 0.9, pattern: /\bOOMKill(?:ed|ing)\b/, on: STRUCTURED, unless: NOT_OOM_KILLED },
  { id: 'k8s.oomkilled-log', category: 'oom_killed', weight: 0.85, pattern: /\b(?:terminated|lastState|reason)\W+.{0,40}\bOOMKilled\b|"reason":\s*"OOMKilled"/i, on: ['log'] },
  // Any other log line naming an OOM kill (monitoring tools' findings `Pod x … OOMKilled`, operators'
  // logs): the word is specific to the kernel's kill of a container, weaker than the status field.
  { id: 'k8s.oomkilled-mention', category: 'oom_killed', weight: 0.7, pattern: /\bOOMKilled\b|\bPodOOMKilled\b/, on: ['log'], unless: NOT_OOM_KILLED },
  { id: 'kernel.cgroup-oom', category: 'oom_killed', weight: 0.85, pattern: /Memory cgroup out of memory|oom-kill:|oom_reaper|Out of memory: Killed process \d+/ },
  { id: 'k8s.exit-137', category: 'oom_killed', weight: 0.45, pattern: /\bExit Code:\s+137\b|exit code:? 137\b|exitCode"?:\s*137\b/i },

  // ---- app_crash (generic symptoms; specific causes outrank them)
  { id: 'k8s.crashloop', category: 'app_crash', weight: 0.28, pattern: /\bCrashLoopBackOff\b|Back-off restarting failed container/, on: STRUCTURED },
  { id: 'k8s.crashloop-log', category: 'app_crash', weight: 0.25, pattern: /Back-off restarting failed container|waiting(?: state)?.{0,20}reason:? "?CrashLoopBackOff/, on: ['log'] },
  { id: 'runtime.exec-not-found', category: 'app_crash', weight: 0.7, pattern: /executable file not found in \$PATH|^(?:\/bin\/)?(?:ba|da)?sh: (?:line )?(?:\d+: )?[^\s:]+: (?:command )?not found|exec: "[^"]+": (?:stat [^:]+: )?no such file or directory|exec format error|\bexec [^:]+: not found\b/ },
  { id: 'k8s.start-error', category: 'app_crash', weight: 0.55, pattern: /\bReason:\s+(?:StartError|RunContainerError|ContainerCannotRun)\b|OCI runtime (?:create|exec|start) failed/ },
  { id: 'k8s.exit-nonzero', category: 'app_crash', weight: 0.3, pattern: /\bExit Code:\s+(?!0\b|137\b|143\b)\d+\b/ },
  { id: 'app.stacktrace', category: 'app_crash', weight: 0.55, pattern: /^(?:Exception in thread "[^"]*" |Caused by: )?(?:[a-z][\w$]*\.)+[A-Z][\w$]*(?:Error|Exception)\b(?!: (?:Java heap space|GC overhead|Metaspace|unable to create native thread|unable to create new native thread))|^Traceback \(most recent call last\)|^panic: |^fatal error: |\bSegmentation fault\b|\bSIGSEGV\b|^Unhandled exception|^Uncaught (?:\w+Error|exception)/, unless: /ExpiredCert|OutOfMemoryError|CertificateExpired/ },
  { id: 'app.stackoverflow', category: 'app_crash', weight: 0.6, pattern: /StackOverflowError|maximum recursion depth exceeded|Maximum call stack size exceeded/ },

  // ---- app_config_error
  { id: 'app.env-var-missing', category: 'app_config_error', weight: 0.85, pattern: /\b(?:env(?:ironment)?(?:[ _-]?var(?:iable)?)?)\s+['"`]?[A-Za-z_][A-Za-z0-9_]*['"`]?\s+(?:is\s+|was\s+)?(?:not\s+(?:set|defined|provided|found)|undefined|unset|missing|empty|required|must be (?:set|defined|provided))\b/i },
  { id: 'app.env-var-required', category: 'app_config_error', weight: 0.85, pattern: /\b(?:missing|required|undefined)\s+(?:required\s+)?env(?:ironment)?\s*(?:var(?:iable)?s?)?\b\s*:?\s*['"`]?[A-Z][A-Z0-9_]{2,}/i },
  { id: 'app.config-parse', category: 'app_config_error', weight: 0.8, pattern: /\b(?:error|failed|unable|cannot|could not)\b.{0,20}\b(?:pars(?:e|ing)|load(?:ing)?|decod(?:e|ing)|unmarshal(?:l?ing)?)\b.{0,30}\b(?:config(?:uration)?|settings|\.ya?ml|\.json|\.toml|\.ini|\.properties|\.conf)\b/i },
  { id: 'app.config-invalid', category: 'app_config_error', weight: 0.75, pattern: /\binvalid (?:configuration|config(?:uration)? (?:file|value|option))|\bConfigurationError\b|InvalidConfigurationException|ConfigException|yaml: (?:line \d+:|unmarshal errors)|toml: line \d+|JSONDecodeError.{0,40}config/i },
  { id: 'app.startup-config', category: 'app_config_error', weight: 0.8, pattern: /Failed to configure a DataSource|Could not resolve placeholder '[^']+'|Failed to bind properties under|validation errors? for (?:Settings|Config)\b|^KeyError: '[A-Z][A-Z0-9_]{2,}'$|nginx: \[emerg\] (?!host not found)|\[emerg\] \d+#\d+: (?!host not found)|Invalid value for (?:environment variable|--?[\w-]+)|configuration file .{0,80} (?:test failed|is invalid)/ },
  { id: 'app.startup-failed', category: 'app_config_error', weight: 0.5, pattern: /^\*{0,3}\s*APPLICATION FAILED TO START\s*\*{0,3}$/ },
  { id: 'app.bad-flag', category: 'app_config_error', weight: 0.75, pattern: /flag provided but not defined: |unknown (?:shorthand )?flag:? |unrecognized (?:option|arguments?)[: ]|unknown option[: ]|invalid (?:argument|value) .{0,40} for (?:flag|option)/i },

  // ---- missing_config_reference
  { id: 'k8s.create-container-config-error', category: 'missing_config_reference', weight: 0.8, pattern: /\bCreateContainerConfigError\b/ },
  { id: 'k8s.ref-not-found', category: 'missing_config_reference', weight: 0.95, pattern: /\b(?:configmaps?|secrets?) "[^"]+" not found\b/i },
  { id: 'k8s.ref-key-missing', category: 'missing_config_reference', weight: 0.95, pattern: /couldn't find key \S+ in (?:ConfigMap|Secret) |key "[^"]+" not found in (?:configmap|secret)/i },
  { id: 'k8s.serviceaccount-not-found', category: 'missing_config_reference', weight: 0.75, pattern: /error looking up service account [^:]+: serviceaccount "[^"]+" not found|serviceaccounts? "[^"]+" not found/ },

  // ---- image_pull_auth / image_not_found
  { id: 'image.pull-auth', category: 'image_pull_auth', weight: 0.92, pattern: /pull access denied|no basic auth credentials|unauthorized: (?:authentication required|incorrect username or password)|^(?=.*(?:pull|image|registry|manifest|docker\.io|\.dkr\.ecr\.|ghcr\.io|gcr\.io|quay\.io))(?=.*(?:\b401\b|\b403\b|insufficient_scope|authorization failed|failed to authorize|failed to fetch (?:oauth|anonymous) token|not authorized|AccessDenied)).*/i, unless: /forbidden: exceeded quota|is forbidden: User|repository does not exist|secretsmanager|unable to pull secrets|ssm:GetParameters/ },
  { id: 'image.not-found', category: 'image_not_found', weight: 0.9, pattern: /manifest unknown|manifest for \S+ not found|failed to resolve reference "[^"]+": (?:\S+: )?not found|code = NotFound desc = failed to (?:pull|resolve)|repository (?:\S+ )?(?:does not exist|not found)(?! or may require)|name unknown|InvalidImageName|Failed to apply default image tag|couldn't parse image reference/, on: ALL, unless: /pull access denied|or may require authorization/ },
  // The Docker daemon (moby) prints `pull access denied for X, repository does not exist or may
  // require 'docker login'` both for a repository that does not exist and for a private one: without
  // a 401/403 or a credentials message both causes stand, the missing repository (a typo, a wrong
  // registry prefix) slightly ahead.
  { id: 'image.pull-denied-ambiguous', category: 'image_not_found', weight: 0.8, pattern: /pull access denied for \S+, repository does not exist|repository does not exist or may require/, unless: /\b(?:401|403)\b|no basic auth|authentication required|incorrect username|insufficient_scope|authorization failed|unauthorized|not authorized to perform|authorization token has expired/i },
  // Docker Hub answers `denied: requested access to the resource is denied` for a private repository and for one that does not exist.
  { id: 'image.resource-denied', category: 'image_pull_auth', weight: 0.74, pattern: /denied: requested access to the resource is denied/ },
  { id: 'image.pull-denied-ambiguous-auth', category: 'image_pull_auth', weight: 0.76, pattern: /pull access denied for \S+, repository does not exist|repository does not exist or may require/ },
  { id: 'image.pull-failed', category: 'image_not_found', weight: 0.4, pattern: /\bErrImagePull\b|\bImagePullBackOff\b|Back-off pulling image|Failed to pull image|image can't be pulled/, on: STRUCTURED },

  // ---- probe_failure
  { id: 'k8s.liveness-failed', category: 'probe_failure', weight: 0.88, pattern: /(?:Liveness|Startup) probe (?:failed|errored)|failed (?:liveness|startup) probe, will be restarted/ },
  { id: 'k8s.readiness-failed', category: 'probe_failure', weight: 0.8, pattern: /Readiness probe (?:failed|errored)/ },

  // ---- scheduling (FailedScheduling is parsed by a computed signature below); these catch other phrasings
  { id: 'sched.volume-zone', category: 'volume_zone_conflict', weight: 0.95, pattern: /volume node affinity conflict|had volume node affinity conflict|NoVolumeZoneConflict/ },

  // ---- pvc_pending
  { id: 'pvc.storageclass-not-found', category: 'pvc_pending', weight: 0.95, pattern: /storageclass(?:\.storage\.k8s\.io)? "[^"]+" not found/i },
  { id: 'pvc.provisioning-failed', category: 'pvc_pending', weight: 0.8, pattern: /\bProvisioningFailed\b|failed to provision volume/ },
  { id: 'pvc.no-pv', category: 'pvc_pending', weight: 0.85, pattern: /no persistent volumes available for this claim|pod has unbound (?:immediate )?PersistentVolumeClaims/ },
  { id: 'pvc.external-provisioning', category: 'pvc_pending', weight: 0.45, pattern: /waiting for a volume to be created,? either by (?:the )?external provisioner/ },

  // ---- volume_mount_failure
  { id: 'volume.multi-attach', category: 'volume_mount_failure', weight: 0.95, pattern: /Multi-Attach error/ },
  { id: 'volume.mount-failed', category: 'volume_mount_failure', weight: 0.8, pattern: /MountVolume\.(?:SetUp|MountDevice|WaitForAttach|NewMounter) failed|AttachVolume\.Attach failed|Unable to (?:attach or )?mount volumes|FailedAttachVolume|mount failed: exit status/, unless: /(?:configmaps?|secrets?) "[^"]+" not found/i },

  // ---- evictions and node pressure
  { id: 'evict.disk', category: 'disk_pressure_eviction', weight: 0.95, pattern: /The node (?:was|had been) low on resource: (?:ephemeral-storage|nodefs|imagefs)|ephemeral local storage usage exceeds|exceeded its local ephemeral storage limit/ },
  { id: 'node.disk-pressure', category: 'disk_pressure_eviction', weight: 0.8, pattern: /\bDiskPressure\s+True\b|node\.kubernetes\.io\/disk-pressure|NodeHasDiskPressure|EvictionThresholdMet.{0,60}(?:disk|nodefs|imagefs)|FreeDiskSpaceFailed/ },
  { id: 'evict.memory', category: 'memory_pressure_eviction', weight: 0.95, pattern: /The node (?:was|had been) low on resource: memory/ },
  { id: 'node.memory-pressure', category: 'memory_pressure_eviction', weight: 0.8, pattern: /\bMemoryPressure\s+True\b|node\.kubernetes\.io\/memory-pressure|NodeHasInsufficientMemory|EvictionThresholdMet.{0,60}memory/ },
  { id: 'pid.fork-failed', category: 'pid_exhaustion', weight: 0.9, pattern: /fork: (?:retry: )?Resource temporarily unavailable|\bPIDPressure\s+True\b|NodeHasInsufficientPID|pthread_create failed|can't create new thread|unable to create (?:new )?native thread|node\.kubernetes\.io\/pid-pressure|<defunct>/ },

  // ---- cpu_throttling
  { id: 'cpu.throttling-metric', category: 'cpu_throttling', weight: 0.85, pattern: /\bnr_throttled\b|container_cpu_cfs_throttled|CPUThrottlingHigh|\bthrottling of CPU\b|\bCPU throttling\b/i, on: ['incident', 'describe', 'event'] },
  { id: 'cpu.throttling-log', category: 'cpu_throttling', weight: 0.7, pattern: /\bnr_throttled\s+\d+|throttled_(?:time|usec)\s+\d+|container_cpu_cfs_throttled_(?:periods|seconds)_total\b/, on: ['log'] },

  // ---- quota_exceeded
  { id: 'k8s.quota-exceeded', category: 'quota_exceeded', weight: 0.95, pattern: /[Ee]xceeded quota: |forbidden: [Ee]xceeded quota|must specify (?:limits|requests)(?:\.cpu|\.memory)?(?: for|:)|maximum (?:cpu|memory|ephemeral-storage) usage per (?:Container|Pod) is|limit to request ratio per (?:Container|Pod) is|minimum (?:cpu|memory) usage per (?:Container|Pod) is|failed quota: / },

  // ---- rbac_forbidden
  { id: 'k8s.rbac-forbidden', category: 'rbac_forbidden', weight: 0.95, pattern: /is forbidden: User "[^"]+" cannot [\w-]+ resource|cannot (?:get|list|watch|create|update|patch|delete) resource "[^"]+" in API group|\(Forbidden\): .{0,80}forbidden: User/ },

  // ---- job_failed
  { id: 'k8s.job-backoff', category: 'job_failed', weight: 0.9, pattern: /\bBackoffLimitExceeded\b|Job has reached the specified backoff limit/ },
  { id: 'k8s.job-deadline', category: 'job_failed', weight: 0.9, pattern: /\bDeadlineExceeded\b.{0,80}Job|Job was active longer than specified deadline/ },

  // ---- rollout_stuck
  { id: 'k8s.progress-deadline', category: 'rollout_stuck', weight: 0.75, pattern: /\bProgressDeadlineExceeded\b|has timed out progressing|\bProgress deadline exceeded\b|exceeded its progress deadline/i },
  { id: 'k8s.replicas-unavailable', category: 'rollout_stuck', weight: 0.3, pattern: /\bMinimumReplicasUnavailable\b|Deployment does not have minimum availability/ },

  // ---- hpa_at_max
  { id: 'hpa.limited', category: 'hpa_at_max', weight: 0.85, pattern: /ScalingLimited\s+True|the desired (?:replica count|count) is (?:more|greater) than the maximum replica count|TooManyReplicas/ },
  { id: 'hpa.no-metrics', category: 'hpa_at_max', weight: 0.85, pattern: /failed to get (?:cpu|memory) utilization|missing request for (?:cpu|memory)|FailedGetResourceMetric|FailedComputeMetricsReplicas|unable to get metrics for resource|ScalingActive\s+False/ },

  // ---- service_no_endpoints
  { id: 'svc.no-endpoints', category: 'service_no_endpoints', weight: 0.8, pattern: /no endpoints available for service|has no (?:ready )?endpoints|does not have any active [Ee]ndpoints?|\bEndpoints:\s*<none>\s*$/ },
  // Envoy's local reply when the cluster has no healthy host (router.cc, flag UH): the Service's
  // endpoints are empty or all unhealthy.
  { id: 'svc.no-healthy-upstream', category: 'service_no_endpoints', weight: 0.72, pattern: /\bno healthy upstream\b/ },

  // ---- ingress_misconfigured
  { id: 'ingress.class-missing', category: 'ingress_misconfigured', weight: 0.9, pattern: /ingress ?class "?[^"\s]*"? not found|IngressClass "[^"]+" (?:not found|does not exist)|no IngressClass|ignoring ingress .{0,80}(?:class|ingressClassName)/i },
  { id: 'ingress.backend-missing', category: 'ingress_misconfigured', weight: 0.85, pattern: /Error obtaining Endpoints for Service "[^"]+"|service "[^"]+" (?:not found|does not exist).{0,80}ingress|ingress.{0,80}service "[^"]+" not found|default backend - 404/i },

  // ---- network_policy_blocked (CNI policy verdicts: Calico `Policy denied`, Cilium `Policy denied`/`policy-verdict:none`, AWS network policy agent `verdict: DENY`)
  { id: 'netpol.denied', category: 'network_policy_blocked', weight: 0.85, pattern: /\bPolicy denied\b|policy-verdict:none|"verdict":\s*"DENY"|\bverdict[=:]\s*DENY\b|denied by (?:a )?network ?policy|NetworkPolicy .{0,60}(?:denied|dropped|blocked)/i },

  // ---- dns_resolution
  { id: 'dns.coredns-errors', category: 'dns_resolution', weight: 0.85, pattern: /\[ERROR\] plugin\/(?:errors|forward): \d+ \S+ [A-Z]+:|plugin\/loop: Loop|no nameservers found|connection timed out; no servers could be reached/ },
  { id: 'dns.no-such-host', category: 'dns_resolution', weight: 0.9, pattern: /no such host|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|Could not resolve host|NameResolutionError|Name or service not known|Temporary failure in name resolution|nodename nor servname provided|UnknownHostException|\bSERVFAIL\b|\bNXDOMAIN\b|server can't find \S+|Loop \([^)]*\) detected|could not resolve (?:host|hostname|address)|host not found in upstream|failed to resolve (?:host|address)|lookup \S+ on [\d.:\[\]a-f]+:53\b/i, unless: /^\s*(?:\*\s|-|#)/ },

  // ---- node_not_ready
  { id: 'node.not-ready', category: 'node_not_ready', weight: 0.85, pattern: /\bNodeNotReady\b|\bNodeStatusUnknown\b|Kubelet stopped posting node status|network plugin is not ready|cni config uninitialized|NetworkPluginNotReady|cni plugin not initialized|container runtime network not ready|container runtime (?:is down|not ready)|PLEG is not healthy/ },
  { id: 'node.not-ready-row', category: 'node_not_ready', weight: 0.8, pattern: /^\S+\s+NotReady(?:,SchedulingDisabled)?\s+\S+\s+\d/, on: ['log'] },

  // ---- EKS and AWS accounts
  { id: 'eks.unauthorized', category: 'eks_auth_unauthorized', weight: 0.9, pattern: /You must be logged in to the server \(Unauthorized\)|Unable to register node .{0,80}Unauthorized|the server has asked for the client to provide credentials|Unable to connect to the server: getting credentials|aws-auth ConfigMap|Unauthorized.{0,40}(?:aws-iam-authenticator|eks)/i },
  { id: 'eks.ip-exhaustion', category: 'ip_exhaustion', weight: 0.95, pattern: /failed to assign an IP address to container|InsufficientFreeAddressesInSubnet|no available IP(?:\/Prefix)? addresses|ipamd.{0,60}(?:no available|failed to allocate|AssignIPv4 failed)|add cmd: failed to assign an IP/i },
  { id: 'aws.access-denied', category: 'iam_access_denied', weight: 0.9, pattern: /\bAccessDenied(?:Exception)?\b|is not authorized to perform: |Not authorized to perform sts:AssumeRoleWithWebIdentity|\bUnauthorizedOperation\b|KMSAccessDeniedException|AuthorizationError: User: /, unless: /pull access denied/ },
  { id: 'aws.lambda-throttled', category: 'lambda_throttling', weight: 0.9, pattern: /Rate Exceeded.{0,80}Invoke|Invoke.{0,80}(?:TooManyRequestsException|Rate Exceeded)|TooManyRequestsException.{0,80}(?:Lambda|Invoke|concurrency)|ReservedFunctionConcurrentInvocationLimitExceeded|ConcurrentInvocationLimitExceeded|\bAWS\/Lambda Throttles\b/ },
  { id: 'aws.throttling', category: 'api_throttling', weight: 0.85, pattern: /\bThrottlingException\b|\bThrottling: Rate exceeded|\bRate exceeded\b|\bSlowDown\b|ProvisionedThroughputExceededException|RequestLimitExceeded|TooManyRequestsException|RequestThrottled/, unless: /Invoke|Lambda|concurrency/ },
  { id: 'aws.service-quota', category: 'service_quota_exceeded', weight: 0.88, pattern: /\bLimitExceededException\b|VcpuLimitExceeded|You have requested more .{0,60} than your current .{0,40}limit|ServiceQuotaExceeded|InstanceLimitExceeded|\bAddressLimitExceeded\b|exceeded the maximum number of (?:allowed )?(?:instances|addresses|VPCs|security groups|network interfaces|ENIs|rules|functions|stacks|buckets|queues|topics|clusters|node ?groups)/i },
  { id: 'aws.credentials-expired', category: 'credentials_expired', weight: 0.92, pattern: /\bExpiredToken(?:Exception)?\b|security token included in the request is expired|Signature expired|\bRequestExpired\b|InvalidClientTokenId|UnrecognizedClientException|security token included in the request is invalid|credentials? (?:have|has) expired|(?:session|security|STS|IRSA|web identity) token (?:has )?expired/i, unless: /certificate/i },

  // ---- AWS Lambda
  { id: 'lambda.timeout', category: 'lambda_timeout', weight: 0.97, pattern: /Task timed out after [\d.]+ seconds|Sandbox\.Timedout/ },
  { id: 'lambda.oom', category: 'lambda_oom', weight: 0.93, pattern: /Runtime exited with error: signal: killed|Runtime\.OutOfMemory/ },
  { id: 'lambda.import-error', category: 'lambda_import_error', weight: 0.95, pattern: /Runtime\.ImportModuleError|Runtime\.HandlerNotFound|Runtime\.UserCodeSyntaxError|Unable to import module '[^']+'/ },
  { id: 'lambda.module-missing', category: 'lambda_import_error', weight: 0.85, pattern: /^(?=.*(?:\/var\/task|\/var\/runtime|\/opt\/(?:nodejs|python)|Runtime\.|lambda))(?=.*(?:Cannot find module|No module named|ModuleNotFoundError|ERR_MODULE_NOT_FOUND)).*/i },
  { id: 'runtime.module-missing', category: 'app_crash', weight: 0.6, pattern: /Cannot find module '[^']+'|\bNo module named '?[\w.]+'?|ModuleNotFoundError|ERR_MODULE_NOT_FOUND|ClassNotFoundException|NoClassDefFoundError/ },

  // ---- Applications and hosts
  { id: 'jvm.heap', category: 'heap_oom', weight: 0.93, pattern: /(?:java\.lang\.)?OutOfMemoryError: (?:Java heap space|GC overhead limit exceeded|Metaspace|Compressed class space|Requested array size exceeds)|\bMemoryError\b|fatal error: runtime: out of memory|System\.OutOfMemoryException|Out of memory: (?:Java|heap)/ },
  { id: 'node.heap', category: 'node_heap_oom', weight: 0.95, pattern: /JavaScript heap out of memory|Reached heap limit|Allocation failed - JavaScript heap|Ineffective mark-compacts near heap limit/ },
  { id: 'db.connections', category: 'db_connection_exhaustion', weight: 0.9, pattern: /too many connections|remaining connection slots are reserved|sorry, too many clients already|connection pool (?:is )?exhausted|Timeout acquiring a connection|Unable to acquire JDBC Connection|Connection is not available, request timed out after|pool is exhausted|KnexTimeoutError|ResourceRequest timed out|connection pool timeout|\bpool timeout\b|QueuePool limit of size \d+ overflow \d+ reached/i },
  { id: 'net.unreachable', category: 'dependency_unreachable', weight: 0.75, pattern: /\bECONNREFUSED\b|Connection refused|\bi\/o timeout\b|No route to host|\bEHOSTUNREACH\b|\bETIMEDOUT\b|connect: connection timed out|All host\(s\) tried for .{0,40}failed|NoHostAvailableException|Connection timed out|upstream connect error|Max retries exceeded with url|Communications link failure|could not connect to server|Failed to connect to \S+ port \d+|Connection to \S+ refused|Error \d+ connecting to \S+/i, unless: /NameResolutionError|Name or service not known|no such host|Temporary failure in name resolution/ },
  // Resets are often the peer's own doing (clients going away, scanners): weaker than a refusal.
  { id: 'net.reset', category: 'dependency_unreachable', weight: 0.5, pattern: /connection reset by peer|\bECONNRESET\b|socket hang up/i, unless: /\[preauth\]|NameResolutionError/ },
  { id: 'net.deadline', category: 'dependency_unreachable', weight: 0.45, pattern: /context deadline exceeded|Client\.Timeout exceeded|ReadTimeout(?:Error)?\b|SocketTimeoutException|upstream request timeout/ },
  { id: 'tls.expired', category: 'tls_cert_expired', weight: 0.92, pattern: /x509: certificate has expired|CERT_HAS_EXPIRED|certificate has expired|SSL certificate (?:has )?expired|certificate verify failed: certificate has expired|ExpiredCert|CertificateExpired|Certificate expired on/i },
  { id: 'tls.invalid', category: 'tls_cert_invalid', weight: 0.9, pattern: /x509: certificate signed by unknown authority|x509: certificate is valid for|Hostname\/IP does not match|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|certificate verify failed: (?:unable to get local issuer|self.signed|Hostname mismatch)|ERR_TLS_CERT_ALTNAME_INVALID|PKIX path building failed|unable to find valid certification path/ },
  { id: 'host.disk-full', category: 'disk_full', weight: 0.95, pattern: /\bENOSPC\b|No space left on device|Disk quota exceeded|database or disk is full|\bdisk (?:is )?full\b/i },
  { id: 'host.fd', category: 'fd_exhaustion', weight: 0.95, pattern: /\bEMFILE\b|too many open files/i },
  { id: 'db.deadlock', category: 'deadlock', weight: 0.92, pattern: /deadlock detected|Deadlock found when trying to get lock|Lock wait timeout exceeded|ER_LOCK_DEADLOCK|ER_LOCK_WAIT_TIMEOUT|could not obtain lock|LockAcquisitionException/i },
  { id: 'lb.target-5xx', category: 'lb_target_5xx', weight: 0.85, pattern: /HTTPCode_Target_5XX_Count|HTTPCode_ELB_502_Count|\b502 Bad Gateway\b/, on: ['incident', 'log'] },
  { id: 'lb.target-timeout', category: 'lb_target_timeout', weight: 0.85, pattern: /HTTPCode_ELB_504_Count|\b504 Gateway Time-?out\b|\bTargetResponseTime\b/, on: ['incident', 'log'] },
  { id: 'queue.backlog', category: 'queue_backlog', weight: 0.85, pattern: /ApproximateNumberOfMessagesVisible|ApproximateAgeOfOldestMessage|NumberOfMessagesInDLQ|dead-letter queue|\bDLQ\b|consumer lag|KafkaConsumerLag/i, on: INCIDENT },
  { id: 'deploy.change', category: 'deploy_regression', weight: 0.2, pattern: /Scaled (?:up|down) replica set \S+ to \d+|deployment "[^"]+" successfully rolled out|UPDATE_COMPLETE|new (?:task definition|revision) .{0,40}deployed/ },
  // ---- Prometheus alerts of kube-prometheus / prometheus-operator runbooks, by alert name: they
  // name the symptom, so they weigh like the matching status line, never like a cause.
  { id: 'alert.job-failed', category: 'job_failed', weight: 0.8, pattern: /\bKubeJobFailed\b/, on: INCIDENT },
  { id: 'alert.hpa-maxed', category: 'hpa_at_max', weight: 0.8, pattern: /\bKubeHpaMaxedOut\b/, on: INCIDENT },
  { id: 'alert.node-not-ready', category: 'node_not_ready', weight: 0.85, pattern: /\bKube(?:NodeNotReady|NodeUnreachable|NodeReadinessFlapping|letDown)\b/, on: INCIDENT },
  { id: 'alert.volume-filling', category: 'disk_full', weight: 0.7, pattern: /\b(?:KubePersistentVolume(?:FillingUp|InodesFillingUp)|NodeFilesystem(?:SpaceFillingUp|AlmostOutOfSpace|FilesFillingUp|AlmostOutOfFiles))\b/, on: INCIDENT },
  { id: 'alert.quota', category: 'quota_exceeded', weight: 0.65, pattern: /\bKubeQuota(?:Exceeded|FullyUsed)\b/, on: INCIDENT },
  { id: 'alert.rollout-stuck', category: 'rollout_stuck', weight: 0.7, pattern: /\bKubeDeploymentRolloutStuck\b/, on: INCIDENT },
  { id: 'alert.replicas-mismatch', category: 'rollout_stuck', weight: 0.3, pattern: /\bKube(?:Deployment|StatefulSet)ReplicasMismatch\b|\bKubeDaemonSetRolloutStuck\b/, on: INCIDENT },
  { id: 'alert.crashlooping', category: 'app_crash', weight: 0.28, pattern: /\bKubePodCrashLooping\b/, on: INCIDENT },
  { id: 'alert.coredns', category: 'dns_resolution', weight: 0.7, pattern: /\bCoreDNS(?:Down|ErrorsHigh|ForwardErrorsHigh)\b/, on: INCIDENT },
  { id: 'alert.client-cert', category: 'tls_cert_expired', weight: 0.6, pattern: /\bKubeClientCertificateExpiration\b|\bx509CertificateExpir/, on: INCIDENT },
  { id: 'alert.fd', category: 'fd_exhaustion', weight: 0.7, pattern: /\bNodeFileDescriptorLimit\b|\bFdExhaustionClose\b/, on: INCIDENT },

  // ---- alarm metrics (CloudWatch namespaces and metric names as the alarm references them)
  { id: 'metric.container-cpu-limit', category: 'cpu_throttling', weight: 0.6, pattern: /ContainerInsights (?:pod_cpu_utilization_over_pod_limit|container_cpu_utilization_over_container_limit)\b/, on: INCIDENT },
  { id: 'metric.container-memory-limit', category: 'oom_killed', weight: 0.45, pattern: /ContainerInsights (?:pod_memory_utilization_over_pod_limit|container_memory_utilization_over_container_limit)\b/, on: INCIDENT },
  { id: 'metric.node-filesystem', category: 'disk_pressure_eviction', weight: 0.45, pattern: /ContainerInsights node_filesystem_utilization\b/, on: INCIDENT },
  { id: 'metric.rds-connections', category: 'db_connection_exhaustion', weight: 0.6, pattern: /AWS\/RDS DatabaseConnections\b/, on: INCIDENT },
  { id: 'metric.rds-storage', category: 'disk_full', weight: 0.6, pattern: /AWS\/RDS FreeStorageSpace\b/, on: INCIDENT },
  { id: 'metric.dynamodb-throttles', category: 'api_throttling', weight: 0.7, pattern: /AWS\/DynamoDB (?:ThrottledRequests|ReadThrottleEvents|WriteThrottleEvents)\b/, on: INCIDENT },
  { id: 'metric.lambda-concurrency', category: 'lambda_throttling', weight: 0.45, pattern: /AWS\/Lambda (?:ConcurrentExecutions|ClaimedAccountConcurrency)\b/, on: INCIDENT },
  { id: 'alarm.insufficient-data', category: 'alarm_misconfigured', weight: 0.35, pattern: /INSUFFICIENT_DATA\s*->\s*ALARM|ALARM\s*->\s*INSUFFICIENT_DATA|treatMissingData/, on: INCIDENT },
  ...FAMILY_SIGNATURES,
];

/** Scheduler predicates → category, for `0/N nodes are available: …` messages. */
const SCHEDULER_REASONS: ReadonlyArray<{ pattern: RegExp; category: Category; weight: number }> = [
  { pattern: /Insufficient cpu/i, category: 'insufficient_cpu', weight: 0.92 },
  { pattern: /Insufficient memory/i, category: 'insufficient_memory', weight: 0.92 },
  // Extended resources (GPUs and other device-plugin resources) have no category of their own in
  // the catalogue; the closest is the compute-capacity category `insufficient_cpu`.
  { pattern: /Insufficient [a-z0-9.-]+\/[a-z0-9._-]+/i, category: 'insufficient_cpu', weight: 0.8 },
  { pattern: /Insufficient ephemeral-storage/i, category: 'disk_pressure_eviction', weight: 0.5 },
  // Taints the node lifecycle controller puts on broken nodes mean the nodes are down, not a policy.
  { pattern: /node\.kubernetes\.io\/(?:unreachable|not-ready|network-unavailable)|node\(s\) were unschedulable/i, category: 'node_not_ready', weight: 0.75 },
  // A reason cut at the end of the line (a terminal wrapping the message: `2 node(s) had untolerated`
  // / `taint {k: v}.` on the next line) still names its plugin by the words before the cut.
  { pattern: /untolerated taint|had taints? that the pod didn't tolerate|node\(s\) had taint|node\(s\) had untolerated\s*$/i, category: 'taint_not_tolerated', weight: 0.88 },
  { pattern: /didn't match (?:Pod's )?node affinity|didn't match node selector|didn't match pod (?:anti-)?affinity|didn't satisfy existing pods anti-affinity|didn't match pod topology spread/i, category: 'node_selector_mismatch', weight: 0.9 },
  // VolumeZone plugin ErrReasonConflict (predicates ErrVolumeZoneConflict before 1.18).
  { pattern: /volume node affinity conflict|had volume node affinity conflict|had no available volume zone|node\(s\) had (?:volume(?: node(?: affinity)?)?|no available(?: volume)?)\s*$/i, category: 'volume_zone_conflict', weight: 0.95 },
  { pattern: /unbound (?:immediate )?PersistentVolumeClaims|persistentvolumeclaim "[^"]+" not found/i, category: 'pvc_pending', weight: 0.85 },
  { pattern: /Too many pods/i, category: 'insufficient_cpu', weight: 0.4 },
  { pattern: /exceed max volume count/i, category: 'volume_mount_failure', weight: 0.8 },
];

/** Predicate names of the pre-1.9 scheduler (`pkg/scheduler/algorithm/predicates`). */
const OLD_PREDICATES: ReadonlyArray<{ pattern: RegExp; category: Category; weight: number }> = [
  { pattern: /PodToleratesNodeTaints|PodToleratesNodeNoExecuteTaints/, category: 'taint_not_tolerated', weight: 0.88 },
  { pattern: /MatchNodeSelector|NodeAffinity|MatchInterPodAffinity/, category: 'node_selector_mismatch', weight: 0.88 },
  { pattern: /NoVolumeZoneConflict|VolumeNodeAffinityConflict/, category: 'volume_zone_conflict', weight: 0.9 },
  { pattern: /CheckNodeMemoryPressure/, category: 'memory_pressure_eviction', weight: 0.7 },
  { pattern: /CheckNodeDiskPressure/, category: 'disk_pressure_eviction', weight: 0.7 },
  { pattern: /CheckNodeCondition|NodeNotReady|NodeOutOfDisk/, category: 'node_not_ready', weight: 0.7 },
];

/**
 * Parses a scheduler `FailedScheduling` message: `0/3 nodes are available: 1 Insufficient cpu,
 * 2 node(s) had untolerated taint {…}. preemption: …`. Each predicate yields its category; the
 * weight rises with the share of nodes it rejected. Only the part before `preemption:` counts.
 * Nodes left out by the pod's node selector or node affinity, and control-plane nodes, are
 * excluded by design: when another predicate rejects the remaining nodes, that predicate's share
 * counts over the eligible nodes only and the by-design exclusion weighs 0.8 of itself
 * (kube-scheduler reports one failing filter per node: `pkg/scheduler/framework/types.go` FitError).
 */
export const SCHEDULING_SIGNATURE: ComputedSignature = {
  id: 'sched.failed-scheduling',
  evaluate(line) {
    // Before Kubernetes 1.9 the scheduler listed predicates with their node counts:
    // `No nodes are available that match all of the following predicates:: Insufficient cpu (3), PodToleratesNodeTaints (1).`
    const old = /No nodes are available that match all of the following predicates::?\s*(.*)$/.exec(line.text);
    if (old) {
      const verdicts = new Map<Category, number>();
      for (const part of old[1]!.split(/,\s*/)) {
        const name = part.trim().replace(/\(\d+\)\.?$/, '').trim();
        const reason = SCHEDULER_REASONS.find((r) => r.pattern.test(name)) ?? OLD_PREDICATES.find((r) => r.pattern.test(name));
        if (reason) verdicts.set(reason.category, Math.max(verdicts.get(reason.category) ?? 0, reason.weight * 0.95));
      }
      return [...verdicts].map(([category, weight]) => ({ category, weight: Math.round(weight * 1000) / 1000 }));
    }
    const m = /(?<!\d)(\d+)\/(\d+) nodes are available:\s*(.*)$/.exec(line.text);
    if (!m) return [];
    const total = Math.max(1, Number(m[2]));
    const body = m[3]!.split(/\bpreemption:/)[0]!;
    const parts: Array<{ category: Category; weight: number; count: number; byDesign: boolean }> = [];
    for (const part of body.split(/,\s*(?=\d+\s)|\.\s+(?=\d+\s)/)) {
      const count = Number(/^\s*(\d+)\s/.exec(part)?.[1] ?? total);
      for (const reason of SCHEDULER_REASONS) {
        if (!reason.pattern.test(part)) continue;
        // Nodes a selector or affinity leaves out, and control-plane nodes, are excluded by design:
        // the scheduler reports each node's first failing filter, so what blocks the remaining
        // (eligible) nodes is the actionable cause.
        const byDesign = /didn't match (?:Pod's )?node affinity|didn't match node selector|node-role\.kubernetes\.io\/(?:master|control-plane)/i.test(part);
        parts.push({ category: reason.category, weight: reason.weight, count, byDesign });
        break;
      }
    }
    const excluded = parts.filter((p) => p.byDesign).reduce((n, p) => n + p.count, 0);
    const actionable = parts.some((p) => !p.byDesign);
    const eligible = Math.max(1, total - excluded);
    const verdicts = new Map<Category, number>();
    for (const p of parts) {
      const share = actionable && !p.byDesign ? Math.min(1, p.count / eligible) : Math.min(1, p.count / total);
      const weight = p.weight * (0.85 + 0.15 * share) * (actionable && p.byDesign ? 0.8 : 1);
      verdicts.set(p.category, Math.max(verdicts.get(p.category) ?? 0, weight));
    }
    return [...verdicts].map(([category, weight]) => ({ category, weight: Math.round(weight * 1000) / 1000 }));
  },
};

/**
 * A Lambda `REPORT` line whose `Max Memory Used` reaches `Memory Size`: the function ran out of
 * memory. Format: AWS Lambda docs, "Using CloudWatch Logs with Lambda" (`REPORT RequestId: …
 * Duration: … ms Billed Duration: … ms Memory Size: 128 MB Max Memory Used: 128 MB`).
 */
export const LAMBDA_REPORT_SIGNATURE: ComputedSignature = {
  id: 'lambda.report-memory-full',
  evaluate(line) {
    const size = /Memory Size:\s*(\d+)\s*MB/.exec(line.text);
    const used = /Max Memory Used:\s*(\d+)\s*MB/.exec(line.text);
    if (!size || !used) return [];
    return Number(used[1]) >= Number(size[1]) ? [{ category: 'lambda_oom', weight: 0.85 }] : [];
  },
};

/** Computed signatures. */
export const COMPUTED_SIGNATURES: readonly ComputedSignature[] = [SCHEDULING_SIGNATURE, LAMBDA_REPORT_SIGNATURE, AWS_ERROR_CODE_SIGNATURE, SLOW_WORDS_SIGNATURE, ALB_ACCESS_LOG_SIGNATURE, ALARM_NOTIFICATION_SIGNATURE, KAFKA_LAG_SIGNATURE];

/** Every category some signature (regular, scheduler predicate or computed) can name. */
export function coveredCategories(): Set<Category> {
  return new Set<Category>([...SIGNATURES.map((s) => s.category), ...SCHEDULER_REASONS.map((r) => r.category), 'lambda_oom', 'lambda_throttling', 'api_throttling', 'credentials_expired', 'iam_access_denied', 'service_quota_exceeded', 'slow_dependency']);
}
