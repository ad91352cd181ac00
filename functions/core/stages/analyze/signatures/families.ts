/**
 * Message families beyond the core catalogue: each entry follows one emitting component's message
 * across its versions and layouts, matched on the words that stay stable. The source of each
 * family is named above it. Weights follow the catalogue's convention (specificity in (0, 1]).
 *
 * All patterns are linear: alternations of literals, bounded gaps (`.{0,N}`), no nested
 * quantifiers.
 */
import type { Category } from '../../../model/categories.js';
import type { ComputedSignature, Signature } from './types.js';

/** Lambda in a line: the function's log group, task root, runtime API or the service name. */
const LAMBDA_CONTEXT = String.raw`(?:\/var\/task|\/var\/runtime|\/opt\/|Runtime\.|\bLambda\b|\blambda\b|AWSLambda|aws-lambda|LAMBDA_|bootstrap)`;

export const FAMILY_SIGNATURES: readonly Signature[] = [
  // ---- AWS Lambda runtime and platform (Lambda developer guide: "Troubleshoot execution issues",
  // "Troubleshoot invocation issues"; runtime interface clients of Node.js, Python, Java and the
  // provided runtimes). Older and newer wordings of the same events.
  // Timeouts: `Task timed out after 3.00 seconds` (all runtimes), the JSON log format's REPORT
  // `"status": "timeout"` / text `Status: timeout`, INIT_REPORT `Phase: init Status: timeout`.
  { id: 'lambda.report-status-timeout', category: 'lambda_timeout', weight: 0.93, pattern: /\b(?:INIT_)?REPORT\b.{0,400}\bStatus: timeout\b|"status":\s*"timeout"|Phase: init\s+Status: timeout/ },
  // Out of memory: newer `Runtime.OutOfMemory` / REPORT `Status: error Error Type: Runtime.OutOfMemory`;
  // older Node.js runtimes `Process exited before completing request` (a crash or OOM) and
  // `Runtime exited without providing a reason`.
  { id: 'lambda.report-status-oom', category: 'lambda_oom', weight: 0.93, pattern: /Error Type: Runtime\.OutOfMemory|"errorType":\s*"Runtime\.OutOfMemory"/ },
  { id: 'lambda.process-exited', category: 'lambda_oom', weight: 0.5, pattern: /Process exited before completing request|Runtime exited without providing a reason|Runtime exited with error: signal: (?:killed|aborted)/ },
  // Handler and module loading: Node.js `Runtime.HandlerNotFound: index.handler is undefined or not
  // exported` (newer) / `Handler 'handler' missing on module 'index'` (older, also Python's
  // `Handler 'lambda_handler' missing on module 'lambda_function'`); ES modules `Cannot use import
  // statement outside a module`; Java `Class not found: x.Handler` / `No public method named
  // handleRequest`; provided runtimes `fork/exec /var/task/bootstrap: no such file or directory`,
  // `Runtime.InvalidEntrypoint`, `exec format error` from the task root.
  { id: 'lambda.handler-missing', category: 'lambda_import_error', weight: 0.92, pattern: /is undefined or not exported|Handler '[^']{1,200}' missing on module '[^']{1,200}'|No public method named \w+ with appropriate method signature|Class not found: [\w.$]+|Unable to find handler|Runtime\.InvalidEntrypoint|Runtime\.MalformedHandlerName|Bad handler [\w.]+/ },
  { id: 'lambda.bootstrap-missing', category: 'lambda_import_error', weight: 0.88, pattern: /fork\/exec \/var\/(?:task|runtime)\/\S{1,200}: (?:no such file or directory|exec format error|permission denied)|\/var\/task\/bootstrap: (?:no such file|not found|Permission denied)|Couldn't find valid bootstrap/ },
  { id: 'lambda.esm-import', category: 'lambda_import_error', weight: 0.8, pattern: new RegExp(String.raw`^(?=.*${LAMBDA_CONTEXT})(?=.*(?:Cannot use import statement outside a module|require\(\) of ES Module|ERR_REQUIRE_ESM|Unexpected token 'export'|SyntaxError: Cannot use import)).*`) },
  // KMS and environment variables (Lambda: "Lambda was unable to decrypt the environment variables
  // because KMS access was denied / the KMS key used is disabled / is in an invalid state").
  { id: 'lambda.kms-env', category: 'iam_access_denied', weight: 0.92, pattern: /unable to decrypt the environment variables|KMS(?:AccessDenied|Disabled|InvalidState|NotFound)Exception|KMS\.(?:AccessDenied|Disabled|InvalidState|NotFound)/ },
  // Account concurrency: PutFunctionConcurrency / CloudFormation `Specified ReservedConcurrentExecutions
  // for function decreases account's UnreservedConcurrentExecution below its minimum value of [10]`.
  { id: 'lambda.concurrency-minimum', category: 'service_quota_exceeded', weight: 0.93, pattern: /UnreservedConcurrentExecution below its minimum value|below its minimum value of \[\d+\]|ConcurrentExecutions? (?:limit|quota) (?:exceeded|reached)|exceeds? the (?:account|regional) concurrency limit/i },
  // Invoke throttles in every SDK layout: `Rate Exceeded. (Service: AWSLambda; Status Code: 429; Error
  // Code: TooManyRequestsException`, Step Functions `Lambda.TooManyRequestsException`.
  { id: 'lambda.invoke-throttled', category: 'lambda_throttling', weight: 0.9, pattern: /Lambda\.TooManyRequestsException|(?:AWSLambda|Service: Lambda|lambda\.amazonaws\.com|\bLambda\b).{0,160}(?:TooManyRequestsException|Status Code: 429|Rate Exceeded)|TooManyRequestsException.{0,160}(?:AWSLambda|\bLambda\b|Invoke|concurren)|Reason: (?:ReservedFunctionConcurrentInvocationLimitExceeded|ConcurrentInvocationLimitExceeded|CallerRateLimitExceeded|FunctionInvocationRateLimitExceeded)/ },

  // ---- API Gateway execution and access logs (API Gateway developer guide, "Set up CloudWatch
  // logging": `Execution failed due to a timeout error`, `Endpoint request timed out`,
  // `Execution failed due to configuration error: Invalid permissions on Lambda function`,
  // `Malformed Lambda proxy response`). The integration timeout (29 s by default) means the
  // backend answered slower than API Gateway waits.
  { id: 'apigw.integration-timeout', category: 'lb_target_timeout', weight: 0.72, pattern: /Execution failed due to a timeout error|Endpoint request timed out|"integrationStatus":\s*"?504|Integration timeout/ },
  { id: 'apigw.lambda-permission', category: 'iam_access_denied', weight: 0.88, pattern: /Invalid permissions on Lambda function|Execution failed due to configuration error: (?:Invalid permissions|Unable to assume role|API Gateway does not have permission)/ },
  { id: 'apigw.malformed-proxy', category: 'lb_target_5xx', weight: 0.6, pattern: /Malformed Lambda proxy response|Execution failed due to configuration error: Malformed/ },

  // ---- ECS (developer guide, "Stopped task error codes" and "Service event messages").
  { id: 'ecs.container-oom', category: 'oom_killed', weight: 0.93, pattern: /OutOfMemoryError: Container killed due to memory usage|Container killed due to memory usage/ },
  { id: 'ecs.pull-not-found', category: 'image_not_found', weight: 0.9, pattern: /CannotPullContainerError.{0,300}(?:not found|manifest unknown|does not exist)/, unless: /\b(?:401|403)\b|Unauthorized|no basic auth|AccessDenied/ },
  { id: 'ecs.pull-network', category: 'dependency_unreachable', weight: 0.8, pattern: /CannotPullContainerError.{0,400}(?:i\/o timeout|context deadline exceeded|context canceled|dial tcp|net\/http: request canceled|connection timed out|TLS handshake timeout)|ResourceInitializationError.{0,400}(?:i\/o timeout|context deadline exceeded|dial tcp|retry timeout|network)/ },
  { id: 'ecs.secrets-denied', category: 'iam_access_denied', weight: 0.9, pattern: /ResourceInitializationError.{0,400}(?:AccessDenied|not authorized|is not authorized to perform)/ },
  { id: 'ecs.secret-missing', category: 'missing_config_reference', weight: 0.85, pattern: /ResourceInitializationError.{0,400}(?:ResourceNotFoundException|ParameterNotFound|Secrets Manager can't find|InvalidParameters)/ },
  { id: 'ecs.elb-health', category: 'probe_failure', weight: 0.85, pattern: /Task failed (?:ELB|container) health checks|failed container health checks|is unhealthy in \(target-group|Health checks failed(?: with these codes)?|Target\.(?:FailedHealthChecks|ResponseCodeMismatch|Timeout)\b/ },
  { id: 'ecs.placement-memory', category: 'insufficient_memory', weight: 0.9, pattern: /was unable to place a task because no container instance met all of its requirements.{0,300}insufficient memory/i },
  { id: 'ecs.placement-cpu', category: 'insufficient_cpu', weight: 0.9, pattern: /was unable to place a task because no container instance met all of its requirements.{0,300}insufficient CPU/i },
  { id: 'ecs.essential-exited', category: 'app_crash', weight: 0.42, pattern: /Essential container in task exited|CannotStartContainerError/ },

  // ---- Load balancers: ALB access log entries (`elb_status_code` 502/504 with `target_status_code`
  // `-`, processing times `-1` when the target did not answer; Elastic Load Balancing guide,
  // "Access log entries"), nginx `upstream timed out` / `upstream prematurely closed` (ngx_http_upstream).
  { id: 'alb.elb-5xx-metric', category: 'lb_target_5xx', weight: 0.75, pattern: /HTTPCode_ELB_5XX_Count|HTTPCode_ELB_503_Count|UnHealthyHostCount/ },
  { id: 'nginx.upstream-timeout', category: 'lb_target_timeout', weight: 0.8, pattern: /upstream timed out \(\d{1,4}: [^)]{0,60}\)|upstream request timeout|\bupstream_status=504\b/ },
  { id: 'nginx.upstream-closed', category: 'lb_target_5xx', weight: 0.65, pattern: /upstream prematurely closed connection while reading response header|no live upstreams while connecting to upstream/ },

  // ---- Queues and streams: the CloudWatch metric names of SQS and Kinesis backlogs, in alarm text
  // pasted as evidence as well as in the incident.
  { id: 'queue.backlog-metric', category: 'queue_backlog', weight: 0.72, pattern: /ApproximateAgeOfOldestMessage|ApproximateNumberOfMessagesVisible|IteratorAgeMilliseconds|GetRecords\.IteratorAge|kafka_consumergroup_lag|records-lag-max/ },

  // ---- Credentials and clock skew (S3/STS wordings: `RequestTimeTooSkewed: The difference between
  // the request time and the current time is too large`, `Signature not yet current`).
  { id: 'aws.clock-skew', category: 'credentials_expired', weight: 0.9, pattern: /The difference between the request time and the current time is too large|Signature not yet current|RequestTimeTooSkewed|clock skew(?:ed)? (?:detected|too large)/i },
  // DynamoDB and Kinesis throughput, any SDK: `The level of configured provisioned throughput for the
  // table was exceeded`, `Throughput exceeds the current capacity of your table or index`,
  // `Rate exceeded for shard`.
  { id: 'aws.throughput', category: 'api_throttling', weight: 0.88, pattern: /level of configured provisioned throughput for the table was exceeded|Throughput exceeds the current (?:capacity|throughput limit)|Rate exceeded for (?:shard|Shard)|Please reduce your request rate|Reduce your request rate|Too Many Requests \(Service:|\b429 Too Many Requests\b/ },
  // Quotas in prose (EC2, CloudFormation, IAM, Service Quotas): `has reached the limit`, `limit exceeded`.
  { id: 'aws.quota-prose', category: 'service_quota_exceeded', weight: 0.75, pattern: /\b(?:quota|limit) (?:has been |was )?(?:exceeded|reached) for\b|\bmaximum number of [\w ]{2,40} (?:has been |was )?(?:reached|exceeded)|\byou(?: have|'ve) reached (?:the|your) (?:maximum|limit|quota)|\bexceeds? (?:the|your) (?:account|current|service) (?:limit|quota)|\blimit for [\w ]{2,40} has been (?:reached|exceeded)\b|not able to create an ENI/i, unless: /ResourceQuota|exceeded quota: |LimitRange|rate/i },

  // ---- TLS: expiry in the wordings of SChannel/.NET (`A required certificate is not within its
  // validity period`), Java (`CertificateExpiredException: NotAfter`), OpenSSL alerts
  // (`sslv3 alert certificate expired`), browsers and Node (`ERR_CERT_DATE_INVALID`), Erlang.
  { id: 'tls.expired-family', category: 'tls_cert_expired', weight: 0.9, pattern: /not within its validity period|CertPathValidatorException: validity check failed|CertificateExpiredException|alert certificate expired|certificate_expired|ERR_CERT_DATE_INVALID|CERT_DATE_INVALID|SEC_E_CERT_EXPIRED|CERT_E_EXPIRED|certificate (?:is )?expired|expired certificate|has expired on/i, unless: /not yet valid|ExpiredToken|security token/i },
  // Trust and name: Node (`unable to get local issuer certificate`, `self signed certificate in
  // certificate chain`, `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`), .NET (`The remote certificate is
  // invalid according to the validation procedure`, `RemoteCertificateNameMismatch`), Java
  // (`No subject alternative (DNS )?names? matching`), Python (`CERTIFICATE_VERIFY_FAILED`), Go.
  { id: 'tls.invalid-family', category: 'tls_cert_invalid', weight: 0.88, pattern: /unable to get local issuer certificate|UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|self[ -]signed certificate|remote certificate is invalid|RemoteCertificate(?:NameMismatch|ChainErrors)|No subject alternative (?:DNS )?names? matching|CERTIFICATE_VERIFY_FAILED|certificate verify failed|x509: certificate is not valid for|tls: failed to verify certificate|certificate is not trusted|unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|subjectAltName does not match|doesn't match any of the subject alternative names|no alternative certificate subject name matches|certificate subject name .{1,200} does not match target host ?name|SSL certificate problem: (?:unable|self)/i, unless: /has expired|certificate expired|not within its validity/i },

  // ---- Container health: Docker's `docker inspect` State.Health (`"Status": "unhealthy"`,
  // `"FailingStreak": 3`), `docker ps` `(unhealthy)`, compose `container … is unhealthy`.
  { id: 'docker.unhealthy', category: 'probe_failure', weight: 0.8, pattern: /"FailingStreak":\s?[1-9]|"Status":\s?"unhealthy"|\(unhealthy\)|container [\w.-]{1,120} is unhealthy|dependency failed to start: container [\w.-]{1,120} is unhealthy/ },
  // ---- Helm hooks (helm pkg/action/hooks.go: `pre-upgrade hooks failed: job failed: BackoffLimitExceeded`,
  // `post-install hooks failed: timed out waiting for the condition`): hooks are Jobs.
  { id: 'helm.hook-failed', category: 'job_failed', weight: 0.78, pattern: /\b(?:pre|post)-(?:install|upgrade|delete|rollback) hooks failed\b|\bhook[\w\s"'.-]{0,80} failed: job failed\b/ },
  // ---- Runtimes crashing on their own: a Lambda runtime dying of a signal other than SIGKILL, Go
  // panics logged by apimachinery's HandleCrash (klog text `runtime.go:69] Observed a panic: "…"`, or JSON
// `"msg":"Observed a panic"` through controller-runtime), the Go runtime's nil dereference.
  { id: 'lambda.runtime-crash', category: 'app_crash', weight: 0.6, pattern: /Runtime exited with error: (?:signal: (?:segmentation fault|bus error|illegal instruction|abort)|exit status [1-9]\d{0,2})/ },
  { id: 'app.panic-json', category: 'app_crash', weight: 0.55, pattern: /"msg":\s?"Observed a panic"|\bObserved a panic: |"panic":\s?"|\bpanic: runtime error\b|runtime error: invalid memory address or nil pointer dereference/ },
  // ---- Configuration read at start: Viper/Go `While parsing config: invalid character`, Python's
  // `os.environ['X']` lookup failing (CPython Lib/os.py `raise KeyError(key) from None`).
  { id: 'app.config-read', category: 'app_config_error', weight: 0.8, pattern: /\b(?:while|when|error) (?:parsing|reading|loading|decoding) (?:the )?config(?:uration)?(?: file)?\b/i },
  { id: 'python.environ-keyerror', category: 'app_config_error', weight: 0.72, pattern: /=\s?os\.environ\[['"][^'"]{1,120}['"]\]|raise KeyError\(key\) from None/ },
  // ---- Kafka consumers too slow between polls (librdkafka `Application maximum poll interval
  // (300000ms) exceeded`, Java client `the time between subsequent calls to poll() was longer than
  // the configured max.poll.interval.ms`): the work done per batch (usually a downstream call) is slow.
  { id: 'kafka.max-poll', category: 'slow_dependency', weight: 0.6, pattern: /maximum poll interval \(\d{1,12}ms\) exceeded|calls to poll\(\) was longer than the configured max\.poll\.interval\.ms/ },
  // ---- CloudWatch alarms flipping through INSUFFICIENT_DATA (alarm history and e-mail text
  // `State Change: INSUFFICIENT_DATA -> OK`): missing data, not the system.
  // CloudWatch alarm StateReason: `… 3 missing datapoints were treated as [Breaching]`: the verdict rests on missing data.
  { id: 'alarm.missing-datapoints', category: 'alarm_misconfigured', weight: 0.55, pattern: /missing datapoints? (?:was|were) treated as \[(?:Breaching|NonBreaching|Missing|Ignore)\]|no datapoints were received for \d+ periods?/i },
  { id: 'alarm.insufficient-data-text', category: 'alarm_misconfigured', weight: 0.5, pattern: /INSUFFICIENT_DATA\s?->\s?(?:OK|ALARM)|(?:OK|ALARM)\s?->\s?INSUFFICIENT_DATA|from (?:OK|ALARM) to INSUFFICIENT_DATA|from INSUFFICIENT_DATA to (?:OK|ALARM)/, on: ['log', 'describe', 'event'] },

  // ---- kubelet admission and node status (pkg/kubelet/lifecycle/predicate.go: `Node didn't have
  // enough resource: cpu, requested: …` (OutOfcpu), `Predicate NodeAffinity failed`; node status
  // events `kubelet has disk pressure` / `has insufficient memory available` / `has insufficient PID
  // available`; eviction admission `The node had condition: [MemoryPressure]`; the OOM watcher's
  // `System OOM encountered, victim process: x`).
  { id: 'kubelet.admit-cpu', category: 'insufficient_cpu', weight: 0.85, pattern: /Node didn't have enough resource: cpu\b|\bOutOfcpu\b/ },
  { id: 'kubelet.admit-memory', category: 'insufficient_memory', weight: 0.85, pattern: /Node didn't have enough resource: memory\b|\bOutOfmemory\b/ },
  { id: 'kubelet.admit-affinity', category: 'node_selector_mismatch', weight: 0.85, pattern: /Predicate (?:NodeAffinity|MatchNodeSelector) failed|\bNodeAffinity\s+\d+\s|Pod Predicate NodeAffinity failed/ },
  { id: 'kubelet.node-disk', category: 'disk_pressure_eviction', weight: 0.78, pattern: /kubelet has disk pressure|The node had condition: \[DiskPressure\]/ },
  { id: 'kubelet.node-memory', category: 'memory_pressure_eviction', weight: 0.78, pattern: /kubelet has insufficient memory available|The node had condition: \[MemoryPressure\]/ },
  { id: 'kubelet.node-pid', category: 'pid_exhaustion', weight: 0.8, pattern: /kubelet has insufficient PID available|The node had condition: \[PIDPressure\]|failed to create new OS thread|runtime: failed to create new OS thread/ },
  { id: 'kubelet.system-oom', category: 'oom_killed', weight: 0.8, pattern: /System OOM encountered(?:, victim process: \S+)?|\bSystemOOM\b/ },
  // ---- Access logs: a gateway timeout answered by the proxy in front of the target (nginx
  // `$status` 504, ALB `elb_status_code`), a bad gateway.
  { id: 'access.504', category: 'lb_target_timeout', weight: 0.62, pattern: /HTTP\/\d(?:\.\d)?" 504 /, on: ['log'] },
  { id: 'access.502', category: 'lb_target_5xx', weight: 0.58, pattern: /HTTP\/\d(?:\.\d)?" 50[23] /, on: ['log'] },
  // ---- Credentials: IAM Identity Center (SSO) sessions in botocore and the JS SDK v3.
  { id: 'aws.sso-expired', category: 'credentials_expired', weight: 0.88, pattern: /Token has expired and refresh failed|SSO session associated with this profile has expired|The SSO session .{0,60}(?:has )?expired|Error loading SSO Token|UnauthorizedSSOTokenError/ },
  // ---- Locks: PostgreSQL `canceling statement due to lock timeout` (lock_timeout).
  { id: 'db.lock-timeout', category: 'deadlock', weight: 0.85, pattern: /canceling statement due to lock timeout|could not obtain lock on (?:row|relation)/ },
  // ---- Configuration at start: kelseyhightower/envconfig `required key X missing value`,
  // PostgreSQL `configuration file "…" contains errors`.
  { id: 'app.required-key', category: 'app_config_error', weight: 0.85, pattern: /required key \w{1,120} missing value|configuration file "[^"]{1,300}" contains errors/ },

  // ---- Lambda runtimes, round two: Ruby `Init<LoadError>` / `cannot load such file -- x`, .NET
  // RuntimeSupport `Could not find the specified handler assembly` / `Unable to load assembly`,
  // Java `{"errorType":"java.lang.OutOfMemoryError"}`, the Invoke API's 429 body
  // `{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}`, API Gateway execution logs
  // (`Lambda invocation failed with status: 429`, `Execution failed due to configuration error: Rate
  // Exceeded.`, `Lambda execution failed with status 200 due to customer function error`).
  { id: 'lambda.ruby-dotnet-load', category: 'lambda_import_error', weight: 0.9, pattern: /"errorType":\s?"Init<LoadError>"|Init<LoadError>|Could not find the specified handler (?:assembly|type)|Unable to load (?:assembly|type) '[^']{1,200}'|Could not load file or assembly '[^']{1,200}'.{0,200}\/var\/task/ },
  { id: 'lambda.java-oom', category: 'lambda_oom', weight: 0.88, pattern: /"errorType":\s?"java\.lang\.OutOfMemoryError"|"errorMessage":\s?"(?:Java heap space|Metaspace|GC overhead limit exceeded)"/ },
  { id: 'lambda.invoke-429', category: 'lambda_throttling', weight: 0.9, pattern: /"Reason":\s?"(?:ReservedFunctionConcurrentInvocationLimitExceeded|ConcurrentInvocationLimitExceeded|CallerRateLimitExceeded|FunctionInvocationRateLimitExceeded|ConcurrentSnapshotCreateLimitExceeded)"|Lambda invocation failed with status: 429|Execution failed due to configuration error: Rate Exceeded/ },
  { id: 'apigw.function-error', category: 'app_crash', weight: 0.65, pattern: /Lambda execution failed with status \d{3} due to customer function error/ },

  // ---- ECS round two: logger arguments (`failed to validate logger args: … awslogs-region is
  // required`, a log group that does not exist), a secret's missing JSON key.
  { id: 'ecs.logger-missing-group', category: 'missing_config_reference', weight: 0.86, pattern: /failed to validate logger args:.{0,300}(?:log group does not exist|ResourceNotFoundException)|retrieved secret from Secrets Manager did not contain json key|did not contain json key/ },
  { id: 'ecs.logger-args', category: 'app_config_error', weight: 0.8, pattern: /failed to validate logger args|awslogs-(?:region|group|stream-prefix) (?:is required|must be)/, unless: /log group does not exist|ResourceNotFoundException/ },

  // ---- Load balancer targets (describe-target-health reasons, Auto Scaling health causes).
  { id: 'elb.target-not-registered', category: 'service_no_endpoints', weight: 0.78, pattern: /Target\.NotRegistered|Target is not registered to the target group|Target\.NotInUse|no registered targets|There are no registered targets/ },
  { id: 'asg.elb-health', category: 'probe_failure', weight: 0.78, pattern: /taken out of service in response to an ELB (?:system )?health check failure|failed ELB health check/i },

  // ---- AWS SDK client-side errors (botocore, JS v3 credential providers, Java): no credentials,
  // endpoints that cannot be reached, read timeouts (a connected peer answering too slowly).
  { id: 'aws.no-credentials', category: 'credentials_expired', weight: 0.82, pattern: /NoCredentialsError|Unable to locate credentials|Could not load credentials from any providers|Missing credentials in config|CredentialsProviderError|Unable to load AWS credentials from any provider|NoCredentialProviders/ },
  { id: 'aws.endpoint-unreachable', category: 'dependency_unreachable', weight: 0.8, pattern: /EndpointConnectionError|Could not connect to the endpoint URL|Unable to execute HTTP request: Connect to \S+ failed|SdkClientException: Unable to execute HTTP request/ },

  // ---- EKS managed node group health issues (EKS API `Issue` codes and messages).
  { id: 'eks.nodegroup-join', category: 'node_not_ready', weight: 0.85, pattern: /\bNodeCreationFailure\b|Instances failed to join the kubernetes cluster|Ec2SubnetInvalidConfiguration|\bNodeNotReady\b.{0,40}nodegroup/i },
  { id: 'eks.nodegroup-auth', category: 'eks_auth_unauthorized', weight: 0.92, pattern: /failing to authenticate or authorize with your Kubernetes cluster|aws-auth ConfigMap .{0,80}(?:missing|not)|access entry .{0,60}(?:not found|missing)/i },
  { id: 'eks.nodegroup-ips', category: 'ip_exhaustion', weight: 0.92, pattern: /\bInsufficientFreeAddresses\b|does not have enough available IP addresses/ },

  // ---- Pools of other drivers: Npgsql `The connection pool has been exhausted`, SqlClient `The
  // timeout period elapsed prior to obtaining a connection from the pool`, ActiveRecord `could not
  // obtain a connection from the pool`, Ecto `connection not available and request was dropped
  // from queue`, the MongoDB drivers and mongod, Spring `CannotGetJdbcConnectionException`.
  { id: 'db.pool-drivers', category: 'db_connection_exhaustion', weight: 0.9, pattern: /connection pool has been exhausted|prior to obtaining a connection from the pool|could not obtain a connection from the pool|connection not available and request was dropped from queue|MongoWaitQueueTimeoutError|checking out a connection from connection pool|Connection refused because there are too many open connections|too many open connections/i },
  { id: 'db.jdbc-connection', category: 'db_connection_exhaustion', weight: 0.6, pattern: /CannotGetJdbcConnectionException|Failed to obtain JDBC Connection/ },
  // SQL Server 1205 and DynamoDB transaction conflicts.
  { id: 'db.deadlock-others', category: 'deadlock', weight: 0.9, pattern: /was deadlocked on lock resources with another process|TransactionConflict\b|Transaction is ongoing for the item/ },

  // ---- Other runtimes out of memory: PHP (`Allowed memory size of N bytes exhausted`), Rust
  // (`memory allocation of N bytes failed`), the BEAM (`eheap_alloc: Cannot allocate`), the JVM's
  // direct buffers, Elasticsearch's parent circuit breaker (`Data too large`).
  { id: 'runtime.heap-others', category: 'heap_oom', weight: 0.9, pattern: /Allowed memory size of \d{1,20} bytes exhausted|memory allocation of \d{1,20} bytes failed|eheap_alloc: Cannot allocate|OutOfMemoryError: Direct buffer memory|circuit_breaking_exception.{0,200}Data too large|\[parent\] Data too large/ },

  // ---- Brokers and search clusters: RabbitMQ resource alarms (rabbit_alarm, rabbit_disk_monitor),
  // AMQP 404 for a missing queue, Kafka clients (NetworkClient, metadata, record expiry),
  // Elasticsearch cluster blocks and rejected executions.
  { id: 'rabbitmq.disk-alarm', category: 'disk_full', weight: 0.86, pattern: /disk resource limit alarm set|Free disk space is insufficient/ },
  { id: 'rabbitmq.memory-alarm', category: 'queue_backlog', weight: 0.6, pattern: /memory resource limit alarm set|vm_memory_high_watermark (?:set|exceeded)/ },
  { id: 'amqp.no-queue', category: 'app_config_error', weight: 0.72, pattern: /NOT_FOUND - no (?:queue|exchange) '[^']{1,200}'/ },
  { id: 'kafka.broker-unreachable', category: 'dependency_unreachable', weight: 0.8, pattern: /could not be established\. Broker may not be available|not present in metadata after \d{1,9} ?ms|Bootstrap broker \S+ disconnected|Failed to resolve bootstrap/ },
  { id: 'kafka.record-expiry', category: 'slow_dependency', weight: 0.6, pattern: /Expiring \d{1,9} record\(s\) for \S+ ?\d{0,12} ?ms has passed since batch creation/ },
  { id: 'es.disk-block', category: 'disk_full', weight: 0.88, pattern: /flood[- ]stage (?:disk )?watermark|index read-only \/ allow delete|read_only_allow_delete|disk usage exceeded/i },
  { id: 'es.rejected', category: 'api_throttling', weight: 0.72, pattern: /es_rejected_execution_exception|rejected execution of \w+ operation/ },

  // ---- Timeouts, read against connect: a connect timeout never reached the peer
  // (`SocketTimeoutException: connect timed out`, aiohttp `Cannot connect to host … [Connect call
  // failed`), a read timeout reached a peer that answered too slowly (`Read timed out`,
  // `Net::ReadTimeout`, botocore `ReadTimeoutError`, Cassandra `ReadTimeoutException`).
  { id: 'net.connect-timeout', category: 'dependency_unreachable', weight: 0.78, pattern: /SocketTimeoutException: [Cc]onnect timed out|ConnectTimeout(?:Error|Exception)?\b|Cannot connect to host \S+|Connect call failed|connect ETIMEDOUT|Connection timed out after \d+/ },
  { id: 'net.read-timeout', category: 'slow_dependency', weight: 0.62, pattern: /\bRead timed out\b|Net::ReadTimeout|ReadTimeoutError|ReadTimeoutException|Read timeout on endpoint URL|timeout during read query|ESOCKETTIMEDOUT|request timed out after \d+ ?ms while waiting for (?:the )?response/i },

  // ---- Networking, round three (CoreDNS, resolvers, proxies, ingress controllers, CNIs, IPAM).
  // DNS: CoreDNS health lag, dnsmasq's concurrent-query ceiling, Go's `lookup x: i/o timeout`,
  // musl `Name does not resolve`, curl (28) `Resolving timed out`, nslookup `server can't find`,
  // nginx `could not be resolved (3: Host not found)`.
  { id: 'dns.family-3', category: 'dns_resolution', weight: 0.88, pattern: /plugin\/health: Local health request to .{0,80} took more than|Maximum number of concurrent DNS queries reached|\blookup \S{1,253}(?: on \S{1,64})?: (?:i\/o timeout|server misbehaving|no such host|Temporary failure)|Name does not resolve|Resolving timed out after|\bcould not be resolved \(\d{1,3}: (?:Host not found|Operation timed out|Server failure)\)|gaierror: \[Errno -?\d{1,3}\]/ },
  // Endpoints: `kubectl get endpoints` row `<none>` (AGE in kubectl's human-readable duration:
// `45s`, `3m13s`, `5h2m`, `2d3h`, `10d`, `2y`: apimachinery duration.HumanDuration), Envoy `UH no_healthy_upstream`, Traefik
  // `Skipping service: no endpoints found`, HAProxy `<NOSRV>` and `has no server available`,
  // the nginx 503 page, Linkerd fail-fast.
  { id: 'svc.no-endpoints-3', category: 'service_no_endpoints', weight: 0.82, pattern: /^\S{1,253}\s+<none>\s+\d{1,4}[smhdy](?:\d{1,2}[smhd])?\b|\bUH no_healthy_upstream\b|"\s503 UH\b|no endpoints found|\/<NOSRV>\s|has no server available|503 Service Temporarily Unavailable|Logical service in fail-fast|\bno_healthy_upstream\b/ },
  // Ingress: AWS Load Balancer Controller `Failed build model due to …` (subnet discovery, certificates,
  // IngressClass), ingress-nginx admission denials and missing services, Traefik port/entry point
  // errors, GKE `Translation failed`, Envoy `NR route_not_found`, target groups not in use.
  { id: 'ingress.family-3', category: 'ingress_misconfigured', weight: 0.85, pattern: /Failed build model due to|couldn't auto-discover subnets|unable to resolve at least one subnet|invalid ingress class|admission webhook "validate\.nginx\.ingress\.kubernetes\.io" denied|Service "[^"]{1,253}" does not exist|service port not found|EntryPoint doesn't exist|Translation failed: invalid ingress spec|\bNR route_not_found\b|Target\.NotInUse|Target group is not configured to receive traffic/ },
  // Network policy verdicts: Hubble `"verdict":"DROPPED"` with a policy drop reason, the VPC CNI
  // network policy agent `Verdict: DENY` / `PolicyVerdict: DENY`.
  { id: 'netpol.family-3', category: 'network_policy_blocked', weight: 0.86, pattern: /"verdict":\s?"DROPPED".{0,400}"drop_reason(?:_desc)?":\s?(?:133|"POLICY_DENIED")|PolicyVerdict:\s?DENY|Verdict:?\s?DENY\b|"Verdict":\s?"DENY"|Policy denied/ },
  // IP allocation across CNIs: host-local `no IP addresses available in range set`, Calico IPAM
  // `failed to request IPv4 addresses` / `no more free affinity blocks`, Cilium `no more IPs
  // available` / `all pod CIDR ranges are exhausted` / `is out of ENIs`, ipamd ENI attachment
  // limits, Auto Scaling `not enough free addresses in subnet`.
  { id: 'ipam.family-3', category: 'ip_exhaustion', weight: 0.9, pattern: /no IP addresses available in range set|failed to request \d+ IPv4 addresses|no more free affinity blocks|no more IPs available|pod CIDR ranges are exhausted|range is full|is out of ENIs|not enough free addresses in subnet|failed to allocate for range|ipam: no more/i },
  // Envoy response flags: `UF` (upstream connection failure), `URX`, `UO`.
  { id: 'envoy.upstream-failure', category: 'dependency_unreachable', weight: 0.8, pattern: /\b50[03] UF\b|upstream_reset_before_response_started\{connection_failure|upstream connect error or disconnect\/reset before headers\. (?:retried and the latest )?reset reason: (?:connection failure|remote connection failure|connection timeout)/ },
  // HAProxy: health checks and HTTP logs (`Server x is DOWN, reason: Layer7 wrong status`, `sH--` termination
  // state with a 504: the server timed out).
  { id: 'haproxy.layer7-down', category: 'lb_target_5xx', weight: 0.8, pattern: /is DOWN, reason: Layer7 wrong status|Layer7 wrong status, code: 5\d\d/ },
  { id: 'haproxy.server-timeout', category: 'lb_target_timeout', weight: 0.78, pattern: /\s504 \d{1,9} - - sH--|\bsH--\s/ },
  { id: 'curl.empty-reply', category: 'lb_target_5xx', weight: 0.6, pattern: /curl: \(52\) Empty reply from server/ },
  // TLS between services: Go `remote error: tls: bad certificate`, the legacy Common Name field,
  // JSSE `Received fatal alert: certificate_unknown`, nginx `upstream SSL certificate does not match`.
  { id: 'tls.family-3', category: 'tls_cert_invalid', weight: 0.88, pattern: /remote error: tls: (?:bad certificate|unknown certificate authority|certificate required)|certificate relies on legacy Common Name field|Received fatal alert: (?:certificate_unknown|bad_certificate|unknown_ca)|upstream SSL certificate does not match|certificate verify failed \(\d+: (?:unable to get|self.signed)/ },
  // Connections: unreachable networks, resets, TLS hand-offs cut, Ruby's open timeout.
  { id: 'net.family-3', category: 'dependency_unreachable', weight: 0.72, pattern: /connect: network is unreachable|\bENETUNREACH\b|java\.net\.SocketException: Connection reset|Client network socket disconnected before secure TLS connection was established|Net::OpenTimeout|Errno::ECONNREFUSED|Errno::EHOSTUNREACH/ },

  // ---- Kubernetes ecosystem, round four. Autoscalers: cluster-autoscaler `pod didn't trigger
  // scale-up: … max node group size reached` / `it wouldn't fit if a new node is added`; Karpenter
  // `Failed to schedule pod, incompatible with nodepool …` (`did not tolerate`, `incompatible
  // requirements`, `no instance type satisfied resources`, `exceed limits for nodepool`).
  { id: 'ca.no-scale-up-capacity', category: 'insufficient_cpu', weight: 0.78, pattern: /pod didn't trigger scale-up.{0,200}(?:max node group size reached|wouldn't fit if a new node is added|Insufficient cpu)|exceed limits for nodepool|no instance type (?:satisfied resources|has enough resources)(?!.{0,200}"memory")/ },
  { id: 'ca.no-scale-up-memory', category: 'insufficient_memory', weight: 0.8, pattern: /pod didn't trigger scale-up.{0,200}Insufficient memory|no instance type satisfied resources.{0,200}"memory"/ },
  { id: 'ca.no-scale-up-taint', category: 'taint_not_tolerated', weight: 0.82, pattern: /pod didn't trigger scale-up.{0,200}untolerated taint|incompatible with nodepool.{0,300}did not tolerate/ },
  { id: 'karpenter.requirements', category: 'node_selector_mismatch', weight: 0.8, pattern: /incompatible with nodepool.{0,300}incompatible requirements|does not have known values/ },
  // Helm, Flux and Argo CD: a release that times out waiting is a rollout that does not progress;
  // a hook that fails is a Job; a manifest the API rejects is a change that broke the deploy.
  { id: 'helm.upgrade-timeout', category: 'rollout_stuck', weight: 0.72, pattern: /(?:UPGRADE|INSTALLATION) FAILED: (?:release \S{1,253} failed, and has been rolled back due to atomic being set: )?timed out waiting for the condition|Helm (?:upgrade|install) failed for release .{1,200}: context deadline exceeded/ },
  { id: 'helm.hook-timeout', category: 'job_failed', weight: 0.8, pattern: /failed (?:pre|post)-(?:install|upgrade|delete|rollback)(?:: | hooks)/ },
  { id: 'gitops.invalid-manifest', category: 'deploy_regression', weight: 0.7, pattern: /UPGRADE FAILED: cannot patch|one or more objects failed to apply|ComparisonError: Failed to load target state|failed to generate manifest for source/ },
  // cert-manager: ACME HTTP-01 challenges that the ingress does not route, ACME rate limits.
  { id: 'certmanager.http01', category: 'ingress_misconfigured', weight: 0.75, pattern: /Waiting for HTTP-01 challenge propagation: wrong status code '\d{3}'/ },
  { id: 'acme.rate-limited', category: 'api_throttling', weight: 0.8, pattern: /urn:ietf:params:acme:error:rateLimited|too many certificates (?:already issued|\(\d+\) already issued)/ },
  // kubelet: sandboxes that the runtime or the CNI cannot set up (the node's network plugin or
  // runtime is unhealthy), eviction and image-GC pressure on disk.
  { id: 'kubelet.sandbox-runtime', category: 'node_not_ready', weight: 0.8, pattern: /Failed to create pod sandbox: rpc error: code = DeadlineExceeded|failed to set ?up network for sandbox.{0,400}(?:connect: connection refused|ipamd|plugin type="aws-cni"|cni plugin not initialized)/, unless: /no (?:more )?(?:IP|free) |IP addresses? available|failed to assign an IP/ },
  { id: 'kubelet.disk-reclaim', category: 'disk_pressure_eviction', weight: 0.82, pattern: /Attempting to reclaim (?:ephemeral-storage|nodefs|imagefs)|Disk usage on image filesystem is at \d{1,3}% which is over the high threshold|failed to garbage collect required amount of images|Usage of EmptyDir volume "[^"]{1,253}" exceeds the limit/ },
  // CSI: EFS mount helper and NFS (`Failed to resolve "fs-….efs…"`, `access denied by server while mounting`),
  // the scheduler's `exceed max volume count`.
  { id: 'csi.mount-family', category: 'volume_mount_failure', weight: 0.85, pattern: /Failed to resolve "fs-[0-9a-f]{8,17}\.efs\.|mount\.nfs4?: access denied by server while mounting|node\(s\) exceed max volume count|exceed max volume count/ },
  // Databases, round four: PostgreSQL (idle-in-transaction and statement timeouts, a backend killed
  // by SIGKILL — the OOM killer), MySQL/InnoDB (errno 28 = ENOSPC, `The table … is full`, a locked
  // ibdata1), MongoDB WiredTiger out of space.
  { id: 'pg.idle-in-transaction', category: 'deadlock', weight: 0.72, pattern: /terminating connection due to idle-in-transaction timeout/ },
  { id: 'pg.statement-timeout', category: 'slow_dependency', weight: 0.7, pattern: /canceling statement due to statement timeout|Query read timeout|query_canceled/ },
  { id: 'pg.backend-killed', category: 'oom_killed', weight: 0.75, pattern: /server process \(PID \d{1,10}\) was terminated by signal 9(?:: Killed)?/ },
  { id: 'mysql.no-space', category: 'disk_full', weight: 0.88, pattern: /Operating system error number 28 in a file operation|The table '[^']{1,200}' is full|\bErrcode: 28\b|OS errno 28/ },
  // InnoDB cannot lock its own files (`Unable to lock ./ibdata1 error: 11`, older `InnoDB: Unable to lock ./ib_logfile0, error: 11`): another mysqld holds the datadir.
  { id: 'mysql.innodb-file-lock', category: 'app_crash', weight: 0.6, pattern: /InnoDB(?:\]|:) Unable to lock \S{1,200},? error: \d{1,3}/ },
  { id: 'mongo.wt-no-space', category: 'disk_full', weight: 0.86, pattern: /WiredTiger error.{0,600}(?:No space left on device|error 28|ENOSPC)/ },
  // Node.js: an unhandled promise rejection kills the process (Node 15+); an undefined path argument at start is missing configuration.
  { id: 'node.unhandled-rejection', category: 'app_crash', weight: 0.65, pattern: /\[UnhandledPromiseRejection: |UnhandledPromiseRejectionWarning: Unhandled promise rejection/ },
  { id: 'node.undefined-arg', category: 'app_config_error', weight: 0.62, pattern: /\[ERR_INVALID_ARG_TYPE\]: The "(?:path|url|host|port)" argument must be of type string\. Received undefined/ },

  // ---- Databases and clients (drivers' own error texts).
  { id: 'db.pool-family', category: 'db_connection_exhaustion', weight: 0.88, pattern: /ConnectionAcquireTimeoutError|Timed out fetching a new connection from the connection pool|Cannot get a connection, pool error|Timeout waiting for idle object|ER_CON_COUNT_ERROR|ORA-000(?:18|20)|ORA-1251[69]|FATAL:\s+too many connections for role|connection limit exceeded for non-superusers|MongoWaitQueueFullError|max client connections reached|max number of clients reached|Too many clients/i },
  { id: 'net.client-family', category: 'dependency_unreachable', weight: 0.65, pattern: /Connection terminated unexpectedly|server closed the connection unexpectedly|Can't reach database server|MongoNetworkError|MongoServerSelectionError|MaxRetriesPerRequestError|Reached the max retries per request limit|CLUSTERDOWN|ClusterAllFailedError|Socket closed abruptly|AMQPConnectionError|CONNECTION_FORCED|missed heartbeats|Heartbeat timeout|ConnectTimeoutError|ConnectTimeoutException|HttpHostConnectException|ESOCKETTIMEDOUT|java\.net\.ConnectException|NewConnectionError|Failed to establish a new connection|Connection to .{1,120} timed out|Failed to connect to [\w.-]{1,200}:\d{2,5}\b/ },

  // ---- Round five: the resolver, IP allocation, Service endpoints and load-balancer 5xx families,
  // each wording as its emitter prints it.
  // DNS: busybox nslookup (`can't resolve '%s'`), gRPC core (`DNS resolution failed for %s: C-ares
  // status is not ARES_SUCCESS …`; Python's `details = "DNS resolution failed"`), grpc-java and
  // Android (`Unable to resolve host x`), Node's c-ares queries (`querySrv ENOTFOUND
  // _mongodb._tcp.x`, `queryA ETIMEOUT x`: lib/internal/errors.js dnsException), getaddrinfo's
  // EAI_* codes bare (`errno: 'EAI_AGAIN'`), Windows Winsock (`[Errno 11001] getaddrinfo failed`),
  // Java NIO `UnresolvedAddressException`, Netty `DnsNameResolverTimeoutException`, libmysqlclient
  // CR_UNKNOWN_HOST (`Unknown MySQL server host 'x' (-2)`, MariaDB `Unknown server host`), libpq
  // (`could not translate host name "x" to address`), .NET Framework WebException
  // (`The remote name could not be resolved`, NameResolutionFailure), the Kafka Java client
  // (`Couldn't resolve server x from bootstrap.servers as DNS resolution failed`, `No resolvable
  // bootstrap urls`), nginx ngx_http_upstream (`no resolver defined to resolve %V`), apt
  // (`Temporary failure resolving '%s'`, `Could not resolve '%s'`), busybox ping/wget (`bad address
  // '%s'`), GNU wget (`unable to resolve host address`), curl (5) proxies, dig's header status,
  // Ruby `Resolv::ResolvError`, dnspython (`All nameservers failed to answer the query`,
  // `The resolution lifetime expired`, `The DNS query name does not exist`), PHP's
  // `php_network_getaddresses: getaddrinfo`, musl's EAI_AGAIN text (`getaddrinfo … failed: Try again`).
  { id: 'dns.family-5', category: 'dns_resolution', weight: 0.88, pattern: /nslookup: can't resolve '|\bDNS resolution failed\b|C-ares status is not ARES_SUCCESS|\bUnable to resolve host\b|\b(?:query(?:A|AAAA|Aaaa|Any|Caa|Cname|Mx|Naptr|Ns|Ptr|Soa|Srv|Txt)|getHostByAddr|resolve(?:4|6|Srv|Txt|Mx|Any|Cname)?) (?:ENOTFOUND|ETIMEOUT|ESERVFAIL|ECONNREFUSED|EREFUSED|ENODATA|EBADRESP|ECANCELLED|ENONAME)\b|\bEAI_(?:AGAIN|NONAME|NODATA|FAIL)\b|\[Errno 1100[124]\] getaddrinfo failed|\bUnresolvedAddressException\b|\bDnsNameResolver(?:Timeout)?Exception\b|Unknown (?:MySQL )?server host '|could not translate host name "[^"]{1,253}" to address|The remote name could not be resolved|\bNameResolutionFailure\b|No resolvable bootstrap urls|no resolver defined to resolve|Temporary failure resolving '|Could not resolve '[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10}'(?! from )|\bbad address '[^'\s]{1,253}'|unable to resolve host address|Could not resolve proxy|->>HEADER<<-.{0,60}status: (?:NXDOMAIN|SERVFAIL|REFUSED)\b|\bResolv::Resolv(?:Error|Timeout)\b|All nameservers failed to answer the query|The resolution lifetime expired|The DNS query name does not exist|php_network_getaddresses: getaddrinfo|getaddrinfo(?: for \S{1,253})? failed: (?:Try again|Non-recoverable)|\bENOTFOUND\b|syscall: '(?:getaddrinfo|queryA|querySrv)'|\b(?:dial|read|write) udp (?:[\d.:\[\]a-f]{3,64}->)?[\d.:\[\]a-f]{3,64}:53: (?:i\/o timeout|connect: |read: connection refused)/, unless: /^\s*(?:\*\s|#)/ },
  // CoreDNS that cannot reach the API server serves nothing for the cluster domain (plugin/ready
  // `Still waiting on: "kubernetes"`, plugin/kubernetes `Failed to list *v1.Endpoints`, `starting
  // server with unsynced Kubernetes API`): cluster names stop resolving.
  { id: 'dns.coredns-api', category: 'dns_resolution', weight: 0.7, pattern: /plugin\/ready: Still waiting on: "kubernetes"|plugin\/kubernetes: .{0,200}Failed to (?:list|watch) \*v1\.|starting server with unsynced Kubernetes API/ },
  // IP allocation beyond the VPC CNI: ELB's `InvalidSubnet: Not enough IP space available in
  // subnet-x. ELB requires at least 8 free IP addresses`, EC2 prefix delegation
  // (`InsufficientCidrBlocks: The specified subnet does not have enough free cidr blocks`) and
  // `PrivateIpAddressLimitExceeded` (EC2 API error codes), kube-controller-manager nodeipam
  // (`CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range`,
  // node condition event `CIDRNotAvailable`), Docker libnetwork (`could not find an available,
  // non-overlapping IPv4 address pool among the defaults`, `all predefined address pools have been
  // fully subnetted`), Azure (`SubnetIsFull`, `does not have enough capacity for N IP addresses`,
  // azure-vnet-ipam `No available addresses`), GCE (`IP_SPACE_EXHAUSTED`, `IP space of '…' is
  // exhausted`), OpenStack Neutron `Address pool x has no available addresses`, Calico IPAM
  // (libcalico-go ipam.go: `cannot allocate new block due to per host block limit`), and ipamd
  // unable to grow its warm pool because no further ENI attaches (`Failed to increase pool size due
  // to not able to allocate ENI`: the node's IP capacity, whatever the EC2 code behind it).
  { id: 'ipam.family-5', category: 'ip_exhaustion', weight: 0.92, pattern: /Not enough IP space available in (?:subnet|\S{1,64})|requires at least \d{1,3} free IP addresses|\bInsufficientCidrBlocks\b|does not have enough free cidr blocks|\bPrivateIpAddressLimitExceeded\b|no remaining CIDRs left to allocate|\bCIDRNotAvailable\b|could not find an available, non-overlapping IPv4 address pool|all predefined address pools have been fully subnetted|\bSubnetIsFull\b|does not have enough capacity for \d{1,6} IP addresses|(?:Failed to allocate (?:address|pool)|ipam).{0,200}No available addresses|\bIP_SPACE_EXHAUSTED\b|IP space of .{1,300} is exhausted|Address pool \S{1,200} has no available addresses|cannot allocate new block due to per host block limit|Failed to increase pool size due to not able to allocate ENI/i },
  // Service endpoints beyond kube-proxy: Traefik's Kubernetes providers (`endpoints not found for
  // ns/name`, `subset not found for ns/name`, v1 `Endpoints not available for ns/name`), Kong's
  // balancer (`failure to get a peer from the ring-balancer`, a 503 when no target is healthy),
  // Netflix Ribbon (`Load balancer does not have available server for client: x`), Spring Cloud
  // LoadBalancer and Gateway (`No servers available for service: x`, `Unable to find instance for
  // x`), `kubectl describe endpoints` (`Addresses: <none>` with the pods under
  // `NotReadyAddresses`), `kubectl get endpointslices` rows whose ENDPOINTS column is `<unset>`.
  // EKS CreateCluster and node groups (`Provided subnets subnet-x Free IPs: 0 , need at least 5 IPs
  // in each subnet to be free for this operation`).
  { id: 'eks.subnet-free-ips', category: 'ip_exhaustion', weight: 0.9, pattern: /need at least \d{1,3} IPs in each subnet to be free|\bFree IPs: 0\b/ },
  // A node at its pod limit (scheduler `Too many pods`, kubelet admission `OutOfpods` / `Node didn't
  // have enough resource: pods`): on EKS the limit is the instance's ENI × IPs-per-ENI, so the IP
  // capacity is the second reading beside the compute one (`insufficient_cpu`, scheduler table).
  { id: 'node.pod-limit', category: 'ip_exhaustion', weight: 0.38, pattern: /\bToo many pods\b|\bOutOfpods\b|Node didn't have enough resource: pods\b/ },
  // Ingress backends the controller cannot build: aws-alb-ingress-controller v1 (`Unable to find a
  // port defined in the ns/name service`), the AWS Load Balancer Controller's fixed 503 action for
  // a missing Service (`"messageBody": "Backend service does not exist"`).
  { id: 'ingress.backend-family-5', category: 'ingress_misconfigured', weight: 0.85, pattern: /Unable to find a port defined in the \S{1,253} service|Backend service does not exist/ },
  // Scheduling verdicts outside kube-scheduler's `0/N nodes are available` (cluster-autoscaler and
  // Karpenter simulations: `Pod x can't be scheduled on y, predicate checking error: node(s) had
  // untolerated taint {k: v}; predicateName=TaintToleration`). The scheduler's own counted list
  // (`8 node(s) had untolerated taint`) is weighed by its share of nodes (catalogue.ts), not here.
  { id: 'sched.predicate-taint', category: 'taint_not_tolerated', weight: 0.86, pattern: /predicateName=TaintToleration|predicate checking error: node\(s\) had untolerated taint/ },
  { id: 'sched.predicate-affinity', category: 'node_selector_mismatch', weight: 0.86, pattern: /predicateName=NodeAffinity|predicate checking error: node\(s\) didn't match (?:Pod's )?node (?:affinity|selector)/ },
  { id: 'sched.predicate-resources', category: 'insufficient_cpu', weight: 0.84, pattern: /predicate checking error: Insufficient cpu/ },
  { id: 'sched.predicate-memory', category: 'insufficient_memory', weight: 0.84, pattern: /predicate checking error: Insufficient memory/ },
  // EC2 Auto Scaling activity status reasons for account limits (`Max spot instance count exceeded`,
  // `Your quota allows for 0 more running instance(s)`).
  { id: 'asg.instance-quota', category: 'service_quota_exceeded', weight: 0.88, pattern: /Max spot instance count exceeded|Your quota allows for \d{1,6} more running instance/ },
  // Other wordings of causes already in the catalogue. Disks: Win32 ERROR_DISK_FULL as .NET and the
  // JVM print it (`There is not enough space on the disk`). Kernel OOM kills of a systemd unit
  // (systemd unit.c: `A process of this unit has been killed by the OOM killer.`, `Failed with
  // result 'oom-kill'`). Liveness kills in the kubelet's older wording (`Container failed liveness
  // probe.. Container will be killed and recreated.`). S3 HEAD requests have no error body, so
  // botocore prints the status (`An error occurred (403) when calling the HeadObject operation:
  // Forbidden`): a denial by IAM or the bucket policy.
  { id: 'host.disk-full-win', category: 'disk_full', weight: 0.92, pattern: /There is not enough space on the disk|not enough (?:free )?disk space|insufficient disk space/i },
  { id: 'systemd.oom-kill', category: 'oom_killed', weight: 0.86, pattern: /killed by the OOM killer|Failed with result 'oom-kill'/ },
  { id: 'k8s.liveness-old', category: 'probe_failure', weight: 0.86, pattern: /Container failed liveness probe|failed (?:liveness|readiness|startup) probe\b/ },
  { id: 'aws.http-403', category: 'iam_access_denied', weight: 0.84, pattern: /An error occurred \(403\) when calling the \w{2,80} operation(?:: Forbidden)?/ },
  // Where a request's time went, as the framework reports it: Rails' ActionController log subscriber
  // (`Completed 200 OK in 8234ms (Views: 12.1ms | ActiveRecord: 8190.3ms)`: a second or more in the
  // database), PHP-FPM's request slowlog (fpm_request.c: `executing too slow (5.123456 sec), logging`).
  { id: 'rails.activerecord-slow', category: 'slow_dependency', weight: 0.62, pattern: /\bActiveRecord: [1-9]\d{3,7}(?:\.\d{1,3})?ms\b/ },
  { id: 'phpfpm.slowlog', category: 'slow_dependency', weight: 0.58, pattern: /executing too slow \(\d{1,6}\.\d{1,6} sec\)/ },
  { id: 'svc.no-endpoints-5', category: 'service_no_endpoints', weight: 0.82, pattern: /\bendpoints not found for [\w.-]{1,253}\/[\w.-]{1,253}|\bsubset not found for [\w.-]{1,253}\/[\w.-]{1,253}|\bEndpoints not available for [\w.-]{1,253}\/|failure to get a peer from the ring-balancer|Load balancer does not have available server for client|No servers available for service: |Unable to find instance for [\w.-]{1,253}|^\s*Addresses:\s+<none>\s*$|^\S{1,253}\s+IPv[46]\s+\S{1,200}\s+<unset>\s+\d{1,5}[smhdy](?:\d{1,2}[smhd])?\b/ },
  { id: 'svc.not-ready-addresses', category: 'service_no_endpoints', weight: 0.66, pattern: /^\s*NotReadyAddresses:\s+\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/ },
  // Load-balancer 5xx from the proxy's side: nginx ngx_http_upstream / ngx_event_connect errors on
  // the upstream connection (`connect() failed (111: Connection refused) while connecting to
  // upstream`, `recv() failed (104: Connection reset by peer) while reading response header from
  // upstream`, a PHP-FPM socket `connect() to unix:/run/php/php-fpm.sock failed (11: Resource
  // temporarily unavailable)`, answered 502), malformed upstream answers (`upstream sent too big
  // header` / `invalid header` / `no valid HTTP/1.0 header`), a raw `HTTP/2 502` status line (curl
  // -v), Envoy's upstream resets after connecting (`reset reason: connection termination`, flag
  // `UC`), ALB `error_reason` fields of Lambda targets (`"LambdaUnhandled"`,
  // `"LambdaInvalidResponse"`, `"LambdaResponseTooLarge"`: Elastic Load Balancing guide, "Access log
  // entries", error reason codes). A connect timeout (`110`) is the load balancer waiting: not here.
  { id: 'nginx.upstream-5xx', category: 'lb_target_5xx', weight: 0.8, pattern: /\b(?:connect|recv|send|writev|readv|sendfile|SSL_do_handshake|SSL_read|SSL_write)\(\)(?: to \S{1,300})? failed \((?!110:)\d{1,5}: [^)]{1,80}\) while (?:(?:connecting to|reading response header from|sending request to|SSL handshaking to|sending to) upstream|reading upstream)|upstream sent (?:too big header|invalid header|invalid chunk|invalid status|no valid HTTP\/1\.0 header|unexpected FastCGI record)/ },
  { id: 'http.status-502', category: 'lb_target_5xx', weight: 0.78, pattern: /^(?:<\s)?HTTP\/[12](?:\.[01])? 502\b/, on: ['log'] },
  { id: 'envoy.upstream-reset', category: 'lb_target_5xx', weight: 0.78, pattern: /reset reason: (?:connection termination|remote reset|protocol error)|\b50[23] UC\b|upstream_reset_before_response_started\{(?:connection_termination|remote_reset|protocol_error)/ },
  // GKE Ingress (ingress-gce) backend-status annotation: a backend service whose endpoints fail the
  // load balancer's health checks answers 502.
  { id: 'gke.backend-unhealthy', category: 'lb_target_5xx', weight: 0.72, pattern: /ingress\.kubernetes\.io\/backends: \{.{0,400}"UNHEALTHY"/ },
  // Other load balancers and routers, by their own reason codes: the Heroku router (Dev Center "Heroku
  // Error Codes": `at=error code=H13 desc="Connection closed without response"`; H12 request timeout;
  // H14 no web dynos running; H10 app crashed; R14/R15 memory quota), Google Cloud load balancing's
  // `statusDetails` (`failed_to_connect_to_backend`, `backend_connection_closed_before_data_sent_to_client`,
  // `backend_timeout`, `failed_to_pick_backend`), Azure Application Gateway / IIS ARR's 502 page
  // (`Web server received an invalid response while acting as a gateway or proxy server`), CloudFront's
  // 502 page (`CloudFront wasn't able to connect to the origin`).
  { id: 'router.target-5xx', category: 'lb_target_5xx', weight: 0.8, pattern: /\bcode=H1[3789]\b|\bcode=H21\b|desc="(?:Connection closed without response|Server Request Interrupted|Poorly formatted HTTP response|Backend connection refused)"|\b(?:failed_to_connect_to_backend|backend_connection_closed_before_data_sent_to_client)\b|received an invalid response while acting as a gateway or proxy server|CloudFront wasn't able to connect to the origin/ },
  { id: 'router.target-timeout', category: 'lb_target_timeout', weight: 0.82, pattern: /\bcode=H12\b|desc="Request timeout"|"?statusDetails"?:\s?"backend_timeout"|\bbackend_timeout\b/ },
  { id: 'router.no-backends', category: 'service_no_endpoints', weight: 0.8, pattern: /\bcode=H14\b|desc="No web (?:dynos|processes) running"|\bfailed_to_pick_backend\b/ },
  { id: 'router.app-crashed', category: 'app_crash', weight: 0.62, pattern: /\bcode=H10\b|desc="App crashed"/ },
  { id: 'heroku.memory-quota', category: 'oom_killed', weight: 0.82, pattern: /Error R15 \(Memory quota vastly exceeded\)|Error R14 \(Memory quota exceeded\)/ },
  { id: 'alb.lambda-error-reason', category: 'lb_target_5xx', weight: 0.8, pattern: /"Lambda(?:Unhandled|InvalidResponse|ResponseTooLarge|ServiceException)"/ },

  // ---- Round six: taints, volume zones, OOM kills, probes, ingress controllers, IAM, quotas,
  // image-pull authorization and throttling, in the wordings their emitters print beyond those above.
  // Scheduler reasons outside the counted `0/N nodes are available` head: a FailedScheduling message
  // wrapped by the terminal (kubectl describe pastes its Message column on one line; a narrow terminal
  // puts `1 node(s) had untolerated taint {k: v}, …` on the next line, without the head), and the
  // kubelet's own admission of a pod bound to a node whose NoExecute taints it does not tolerate
  // (pkg/kubelet/lifecycle/predicate.go: `Predicate TaintToleration failed: node(s) had untolerated taint`).
  // Messages: kube-scheduler tainttoleration plugin ErrReasonNotMatch (`node(s) had untolerated taint
  // {%s: %s}`, 1.25+), 1.18-1.24 (`node(s) had taint {%s: %s}, that the pod didn't tolerate`),
  // 1.10-1.17 predicates ErrTaintsTolerationsNotMatch (`node(s) had taints that the pod didn't tolerate`).
  { id: 'sched.taint-continuation', category: 'taint_not_tolerated', weight: 0.8, pattern: /^\s{0,40}\d{1,5} node\(s\) had (?:untolerated taint \{|taint \{.{0,200}\}, that the pod didn't tolerate|taints that the pod didn't tolerate)/ },
  // The tail of a wrapped scheduler reason, alone at the start of the next line (`that the pod didn't
  // tolerate.`, `tolerate, 2 Insufficient cpu.`; `node affinity conflict.` of `had volume node affinity
  // conflict`): only the scheduler's reasons begin a line so.
  { id: 'sched.wrapped-tail-taint', category: 'taint_not_tolerated', weight: 0.72, pattern: /^\s{0,40}(?:that the pod didn't tolerate|the pod didn't tolerate|pod didn't tolerate|didn't tolerate|tolerate)(?:[.,]|\s*$)/ },
  { id: 'sched.wrapped-tail-volume', category: 'volume_zone_conflict', weight: 0.8, pattern: /^\s{0,40}(?:volume node affinity conflict|node affinity conflict|affinity conflict|available volume zone|volume zone)(?:[.,]|\s*$)/ },
  // NoExecute taints evicting running pods (taint eviction controller, pkg/controller/tainteviction,
  // earlier nodelifecycle/scheduler/taint_manager.go: event TaintManagerEviction `Marking for deletion
  // Pod ns/x`): weak alone, since the node lifecycle controller's own taints (unreachable, not-ready)
  // point to the node, which its own lines then show.
  { id: 'k8s.taint-eviction', category: 'taint_not_tolerated', weight: 0.5, pattern: /\bTaintManagerEviction\b|Marking for deletion Pod \S{1,253}/ },
  { id: 'kubelet.admit-taint', category: 'taint_not_tolerated', weight: 0.86, pattern: /Predicate TaintToleration failed/ },
  // Volume zones: the VolumeZone plugin's ErrReasonConflict (`node(s) had no available volume zone`,
  // pkg/scheduler/framework/plugins/volumezone; the predicates' ErrVolumeZoneConflict before 1.18) as
  // cluster-autoscaler's simulator quotes it too, and EC2's answer to attaching an EBS volume to an
  // instance in another Availability Zone (EC2 API error code `InvalidVolume.ZoneMismatch: The volume
  // 'vol-x' is not in the same availability zone as instance 'i-y'`), which the EBS CSI driver passes on
  // in `AttachVolume.Attach failed`. The scheduler's counted reason is weighed by its share of nodes in
  // catalogue.ts (SCHEDULER_REASONS), not here.
  { id: 'sched.volume-zone-family', category: 'volume_zone_conflict', weight: 0.95, pattern: /predicateName=VolumeZone\b|InvalidVolume\.ZoneMismatch|is not in the same availability zone as instance/ },
  // OOM kills in the kernel's other wordings (mm/oom_kill.c: before 4.19 `Out of memory: Kill process
  // %d (%s) score %u or sacrifice child` and `Memory cgroup out of memory: Kill process`; the trigger
  // line `%s invoked oom-killer: gfp_mask=…`; since 4.19 the victim line `Killed process %d (%s)
  // total-vm:%lukB, anon-rss:…`), containerd's TaskOOM event (api/events/task.proto, topic
  // `/tasks/oom`), cgroup v2 `memory.events` counters (`oom_kill N`, `oom_group_kill N`, N > 0), and
  // managed runtimes that kill an instance over its memory limit: Cloud Run (`Memory limit of 512 MiB
  // exceeded with 538 MiB used`), App Engine (`Exceeded soft/hard memory limit of 256 MiB with …`).
  { id: 'kernel.oom-family', category: 'oom_killed', weight: 0.85, pattern: /Out of memory: Kill process \d{1,10}|\binvoked oom-killer: |\bKilled process \d{1,10} \([^)]{1,64}\),? total-vm:|\bTaskOOM\b|\/tasks\/oom\b|^\s{0,8}oom_(?:group_)?kill [1-9]\d{0,9}\s*$/ },
  { id: 'paas.memory-limit', category: 'oom_killed', weight: 0.86, pattern: /Memory limit of \d{1,7}(?:\.\d{1,3})? ?[MG]i?B exceeded with \d{1,7}(?:\.\d{1,3})? ?[MG]i?B used|Exceeded (?:soft|hard) memory limit of \d{1,7} ?[MG]i?B with \d{1,7} ?[MG]i?B/ },
  // Probes in the kubelet's own log (pkg/kubelet/prober/prober.go): structured logging since 1.21
  // (`"Probe failed" probeType="Readiness" … probeResult=failure output="…"`, `"Probe errored"
  // err="…" probeType="Liveness"`), klog text before (`Liveness probe for "pod_ns(uid):container"
  // failed (failure): …`). Health checks of the service meshes and schedulers that act like probes:
  // Consul's agent (agent/checks: `Check is now critical: check=…`), Nomad's check watcher
  // (`restarting due to unhealthy check`).
  { id: 'kubelet.prober-log', category: 'probe_failure', weight: 0.85, pattern: /"Probe (?:failed|errored)"(?: err=".{0,400}")? probeType="(?:Liveness|Readiness|Startup)"|\b(?:Liveness|Readiness|Startup) probe for "[^"]{1,300}" (?:failed|errored) \((?:failure|unknown)\)/ },
  { id: 'health.check-critical', category: 'probe_failure', weight: 0.75, pattern: /\bCheck is now critical: check=|restarting due to unhealthy check\b/ },
  // Ingress controllers, round six. ingress-nginx: an Ingress whose class the controller does not
  // know (store.go 1.0-1.1 `"Ignoring ingress" … ingressClassName="x"`; 1.2+ `Ignoring ingress because
  // of error while validating ingress class … no object matching key "x" in local store`), a TLS
  // secret that does not exist (controller.go: `Error getting SSL certificate "ns/x": local SSL
  // certificate ns/x was not found. Using default certificate`). AWS Load Balancer Controller v2
  // (pkg/k8s/service_utils.go `unable to find port %s on service %s`; a ClusterIP Service behind
  // target-type instance). Traefik's Kubernetes providers (`Cannot create service: service not
  // found`, a router naming a middleware or service that does not exist: `middleware "x@provider"
  // does not exist`). Kong's router 404 (`no Route matched with those values`). ingress-gce
  // translator (`could not find port "x" in service "ns/y"`, `could not find service "ns/y"`).
  { id: 'ingress.family-6', category: 'ingress_misconfigured', weight: 0.84, pattern: /"Ignoring ingress"\s.{0,200}ingressClassName="[^"]{1,253}"|while validating ingress class|no object matching key "[^"\\]{1,253}\\?" in local store.{0,40}$|local SSL certificate \S{1,253} was not found|unable to find port \S{1,64} on service \S{1,253}|service type must be either 'NodePort' or 'LoadBalancer'|Cannot create service: service not found|\b(?:middleware|service) \\?"[^"\\]{1,253}@[\w-]{1,40}\\?" does not exist|no Route matched with those values|could not find (?:port "[^"]{1,64}" in )?service "[^"]{1,253}"/, unless: /Error obtaining Endpoints for Service/ },
  // OpenShift's router answers a route with no ready endpoints with its 503 page (`Application is not
  // available … The application is currently not serving requests at this endpoint`).
  { id: 'router.openshift-503', category: 'service_no_endpoints', weight: 0.72, pattern: /The application is currently not serving requests at this endpoint/ },
  // IAM denials without an error code: S3 answers HEAD requests with no body, so the SDKs print the
  // status (Java v1 `AmazonS3Exception: Forbidden (Service: Amazon S3; Status Code: 403; Error Code:
  // 403 Forbidden`, Go v1 `Forbidden: Forbidden\n\tstatus code: 403`, JS v3 `S3ServiceException
  // [Forbidden]` / `Forbidden: UnknownError`); a role its principal cannot assume (Lambda
  // CreateFunction `The role defined for the function cannot be assumed by Lambda`, the Terraform AWS
  // provider `IAM Role (arn) cannot be assumed`); the other clouds' IAM in the same place (Google
  // `Permission 'x' denied on resource`, `does not have storage.objects.get access to`,
  // `PERMISSION_DENIED`, `Request had insufficient authentication scopes`; Azure Resource Manager
  // `AuthorizationFailed: … does not have authorization to perform action 'x' over scope`).
  { id: 'aws.s3-head-403', category: 'iam_access_denied', weight: 0.86, pattern: /Status Code: 403; Error Code: 403 Forbidden|^Forbidden: Forbidden\s*$|S3ServiceException \[Forbidden\]|\bForbidden: UnknownError\b/ },
  { id: 'iam.role-not-assumable', category: 'iam_access_denied', weight: 0.86, pattern: /role defined for the function cannot be assumed by Lambda|IAM Role \(\S{1,300}\) cannot be assumed|\b[Uu]nable to assume (?:the )?(?:IAM )?role\b/ },
  { id: 'cloud.iam-denied', category: 'iam_access_denied', weight: 0.86, pattern: /Permission '[\w.]{3,120}' denied on resource|does not have [\w.]{3,120} access to the Google Cloud|\bPERMISSION_DENIED: (?:Permission|The caller does not have permission|Request had insufficient)|Request had insufficient authentication scopes|\bIAM_PERMISSION_DENIED\b|does not have authorization to perform action '[^']{1,300}'|\bAuthorizationFailed\b/ },
  // Quotas outside the AWS codes: IAM's LimitExceeded message (`Cannot exceed quota for
  // PoliciesPerRole: 10`), S3 TooManyBuckets' message, Lambda CodeStorageExceededException's, SES
  // (`Daily message quota exceeded`; its rate ceiling `Maximum sending rate exceeded` is a throttle),
  // Compute Engine (`Quota 'CPUS' exceeded.  Limit: 24.0 in region x`, `QUOTA_EXCEEDED`) and Azure
  // (`Operation could not be completed as it results in exceeding approved standardDSv3Family Cores
  // quota`). Per-minute API quotas of Google APIs are rate limits, not here.
  { id: 'quota.family-6', category: 'service_quota_exceeded', weight: 0.88, pattern: /Cannot exceed quota for \w{2,80}|create more buckets than allowed|Code storage limit exceeded|Daily message quota exceeded|Quota '[\w.-]{2,80}' exceeded\.\s{1,3}Limit: |\bQUOTA_EXCEEDED\b|results in exceeding approved \S{1,120} (?:Cores )?quota/, unless: /per (?:minute|second|100 seconds|day per user)|rate/i },
  // Throttles in other layouts: SES (`Maximum sending rate exceeded`), S3's 503 (`503 Slow Down`),
  // the Kubernetes API server's 429 (`the server has received too many requests and has asked us to
  // try again later`), Google APIs (`rateLimitExceeded`, `userRateLimitExceeded`, `Rate Limit
  // Exceeded`), GitHub's REST API (`API rate limit exceeded for …`), and the Go SDK v2's client-side
  // retry budget spent on throttled retries (aws/ratelimit: `failed to get rate limit token, retry
  // quota exceeded, 0 available, 5 requested`: a weaker reading, network failures spend it too), and Google
  // APIs' per-minute quotas (`RESOURCE_EXHAUSTED: Quota exceeded for quota metric 'x' and limit 'x per minute'`).
  { id: 'throttle.family-6', category: 'api_throttling', weight: 0.84, pattern: /Maximum sending rate exceeded|\b503 Slow Down\b|has received too many requests and has asked us to try again later|\b(?:user)?[Rr]ateLimitExceeded\b|\b[Rr]ate [Ll]imit [Ee]xceeded\b|Quota exceeded for quota metric '[^']{1,120}' and limit '[^']{1,120} per (?:minute|second|100 seconds)/, unless: /client-side throttling/ },
  { id: 'aws.retry-quota', category: 'api_throttling', weight: 0.6, pattern: /failed to get rate limit token, retry quota exceeded/ },
  // Registries refusing a pull: Docker's manifest request answered `unauthorized`/`denied` (distribution
  // client `Head "https://host/v2/x/manifests/tag": unauthorized`), ECR's expired token (`denied: Your
  // authorization token has expired. Reauthenticate and try again.`), Artifact Registry's IAM
  // (`Permission "artifactregistry.repositories.downloadArtifacts" denied`), ECR refusing the puller's
  // role (`denied: User: arn:… is not authorized to perform: ecr:BatchGetImage`), and the kubelet unable to
  // read a pod's imagePullSecrets (event FailedToRetrieveImagePullSecret: `Unable to retrieve some
  // image pull secrets (x); attempting to pull the image may not succeed`).
  { id: 'image.pull-auth-family-6', category: 'image_pull_auth', weight: 0.93, pattern: /\/v2\/\S{1,300}\/manifests\/\S{1,200}": (?:unauthorized|denied|forbidden)\b|Your authorization token has expired\. Reauthenticate|Permission "artifactregistry\.repositories\.downloadArtifacts" denied|denied: User: \S{1,300} is not authorized to perform: ecr:(?:BatchGetImage|GetDownloadUrlForLayer|GetAuthorizationToken)\b/ },
  { id: 'image.pull-secret-missing', category: 'image_pull_auth', weight: 0.6, pattern: /Unable to retrieve some image pull secrets|\bFailedToRetrieveImagePullSecret\b/ },
  // Round six, platforms' own health checks and kill notices: Cloud Run (`Default STARTUP TCP probe
  // failed 1 time consecutively for container "x" on port 8080`), Azure App Service (`Container x
  // didn't respond to HTTP pings on port: 8080, failing site start`), App Runner (`Health check failed
  // on protocol HTTP [Path: '/']`), Elastic Beanstalk enhanced health (`ELB health is failing or not
  // available for all instances`); kernels before 4.19 naming the cgroup of a memcg kill (`Task in
  // /kubepods/… killed as a result of limit of /kubepods/…`), Nomad's task event (`Exit Message: "OOM
  // Killed"`); the wrapped tail of IAM's long denial (`… because no identity-based policy allows the
  // s3:GetObject action`, `… with an explicit deny in a service control policy`); Docker Hub's pull
  // rate limit (`toomanyrequests: You have reached your pull rate limit`) and API Gateway's throttle
  // body (`{"message":"Too Many Requests"}`), read as throttles like the registries' 429 above.
  { id: 'probe.platforms', category: 'probe_failure', weight: 0.82, pattern: /\b(?:STARTUP|LIVENESS|READINESS) (?:HTTP|TCP|GRPC) probe failed \d{1,6} times? consecutively|didn't respond to HTTP pings on port|Health check failed on protocol|ELB health is failing/ },
  { id: 'oom.family-6b', category: 'oom_killed', weight: 0.84, pattern: /killed as a result of limit of \/|"OOM Killed"|\bOOM[- ]killed\b/i, unless: /\bnot\s+(?:been\s+)?OOM[- ]killed|OOMKilled"?\s?[:=]\s?"?false/i },
  { id: 'iam.denial-tail', category: 'iam_access_denied', weight: 0.88, pattern: /because no (?:identity-based|resource-based|session|permissions boundary|VPC endpoint) policy allows the \S{1,200} action|with an explicit deny in an? (?:service control|resource control|identity-based|resource-based|session|permissions boundary|VPC endpoint) policy/, unless: /pull access denied|CannotPullContainer/ },
  { id: 'throttle.registry-apigw', category: 'api_throttling', weight: 0.84, pattern: /\btoomanyrequests: |"message":\s?"Too Many Requests"|^\s{0,8}Too Many Requests\s{0,8}$/ },
];

/**
 * ALB access log entries (Elastic Load Balancing user guide, "Access log entries for your
 * Application Load Balancer"): `type time elb client:port target:port request_processing_time
 * target_processing_time response_processing_time elb_status_code target_status_code …`.
 * - no target (`-`) and 503: no registered or healthy target (`service_no_endpoints`);
 * - 504 with target processing time `-1`: the target did not answer in time (`lb_target_timeout`);
 * - 502, or a 5xx the target itself returned: `lb_target_5xx`.
 */
export const ALB_ACCESS_LOG_SIGNATURE: ComputedSignature = {
  id: 'alb.access-log',
  evaluate(line) {
    if (line.kind !== 'log') return [];
    const m = /^(?:https?|h2|grpcs|wss?) \S{1,64} \S{1,200} \S{1,64} (\S{1,64}) (-?[\d.]{1,12}) (-?[\d.]{1,12}) (-?[\d.]{1,12}) (\d{3}|-) (\d{3}|-) /.exec(line.text);
    if (!m) return [];
    const [, target, , targetTime, , elb, targetStatus] = m;
    const out: Array<{ category: Category; weight: number }> = [];
    if (elb === '503' && target === '-') out.push({ category: 'service_no_endpoints', weight: 0.78 });
    else if (elb === '504' && targetTime === '-1') out.push({ category: 'lb_target_timeout', weight: 0.8 });
    else if (elb === '502' || (/^5\d\d$/.test(targetStatus!) && elb === targetStatus)) out.push({ category: 'lb_target_5xx', weight: 0.75 });
    return out;
  },
};

/** CloudWatch metric (namespace, name) → the category an alarm on it points to. */
const ALARM_METRICS: ReadonlyArray<{ namespace: RegExp; metric: RegExp; category: Category; weight: number }> = [
  { namespace: /^AWS\/Lambda$/, metric: /^Throttles$/, category: 'lambda_throttling', weight: 0.72 },
  { namespace: /^AWS\/Lambda$/, metric: /^(?:ConcurrentExecutions|ClaimedAccountConcurrency)$/, category: 'lambda_throttling', weight: 0.5 },
  { namespace: /^AWS\/(?:ApplicationELB|ELB)$/, metric: /^HTTPCode_(?:Target|Backend)_5XX_Count$|^HTTPCode_ELB_5(?:XX|02)_Count$/, category: 'lb_target_5xx', weight: 0.72 },
  { namespace: /^AWS\/(?:ApplicationELB|ELB)$/, metric: /^(?:TargetResponseTime|Latency)$|^HTTPCode_ELB_504_Count$/, category: 'lb_target_timeout', weight: 0.68 },
  { namespace: /^AWS\/(?:ApplicationELB|ELB|NetworkELB)$/, metric: /^UnHealthyHostCount$/, category: 'probe_failure', weight: 0.6 },
  { namespace: /^AWS\/SQS$/, metric: /^Approximate(?:AgeOfOldestMessage|NumberOfMessagesVisible)$/, category: 'queue_backlog', weight: 0.72 },
  { namespace: /^AWS\/Kinesis$/, metric: /IteratorAge/, category: 'queue_backlog', weight: 0.68 },
  { namespace: /^AWS\/DynamoDB$/, metric: /Throttle/, category: 'api_throttling', weight: 0.7 },
  { namespace: /^AWS\/RDS$/, metric: /^DatabaseConnections$/, category: 'db_connection_exhaustion', weight: 0.6 },
  { namespace: /^AWS\/RDS$/, metric: /^FreeStorageSpace$/, category: 'disk_full', weight: 0.6 },
];

/**
 * An alarm notification pasted as evidence (the SNS message JSON: `"NewStateValue":"ALARM"`,
 * `"Trigger":{"MetricName":"Throttles","Namespace":"AWS/Lambda"…}`): the metric it watches points to
 * a category, as the alarm's own metric does for an incident. A notification back in OK is no failure.
 */
export const ALARM_NOTIFICATION_SIGNATURE: ComputedSignature = {
  id: 'alarm.notification-metric',
  evaluate(line) {
    if (!/"NewStateValue":\s?"ALARM"/.test(line.text)) return [];
    const metric = /"MetricName":\s?"([\w.-]{1,128})"/.exec(line.text)?.[1];
    const namespace = /"Namespace":\s?"([\w/.-]{1,128})"/.exec(line.text)?.[1];
    if (!metric || !namespace) return [];
    const hit = ALARM_METRICS.find((m) => m.namespace.test(namespace) && m.metric.test(metric));
    return hit ? [{ category: hit.category, weight: hit.weight }] : [];
  },
};

/** Lag (messages) from which a consumer-group row is a backlog. */
export const KAFKA_LAG_BACKLOG = 10_000;

/**
 * `kafka-consumer-groups.sh --describe` rows (Apache Kafka `ConsumerGroupCommand`, every version:
 * `GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID`): three
 * integers where the third is the second minus the first is a partition's lag; a lag of
 * {@link KAFKA_LAG_BACKLOG} messages or more is a backlog. The row validates itself (LAG equals
 * LOG-END-OFFSET − CURRENT-OFFSET), so no header is needed.
 */
export const KAFKA_LAG_SIGNATURE: ComputedSignature = {
  id: 'kafka.consumer-lag-row',
  evaluate(line) {
    if (line.kind !== 'log' || line.text.length > 2000) return [];
    const tokens = line.text.trim().split(/\s+/);
    for (let i = 0; i + 2 < tokens.length && i < 40; i++) {
      if (!/^\d{1,19}$/.test(tokens[i]!) || !/^\d{1,19}$/.test(tokens[i + 1]!) || !/^\d{1,19}$/.test(tokens[i + 2]!)) continue;
      const [current, end, lag] = [Number(tokens[i]), Number(tokens[i + 1]), Number(tokens[i + 2])];
      if (lag >= KAFKA_LAG_BACKLOG && end - current === lag) return [{ category: 'queue_backlog', weight: 0.72 }];
    }
    return [];
  },
};
