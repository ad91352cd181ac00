/**
 * Message families beyond the core catalogue: each entry follows one emitting component's message
 * across its versions and layouts, matched on the words that stay stable. The source of each
 * family is named above it. Weights follow the catalogue's convention (specificity in (0, 1]).
 *
 * All patterns are linear: alternations of literals, bounded gaps (`.{0,N}`), no nested
 * quantifiers.
 */
import type { Signature } from './types.js';

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
  { id: 'ecs.essential-exited', category: 'app_crash', weight: 0.3, pattern: /Essential container in task exited|CannotStartContainerError/ },

  // ---- Load balancers: ALB access log entries (`elb_status_code` 502/504 with `target_status_code`
  // `-`, processing times `-1` when the target did not answer; Elastic Load Balancing guide,
  // "Access log entries"), nginx `upstream timed out` / `upstream prematurely closed` (ngx_http_upstream).
  { id: 'alb.access-504', category: 'lb_target_timeout', weight: 0.8, pattern: /^(?:https?|h2|wss?) \S+ \S+ \S+ \S+ -?[\d.]+ -1 -1 504 /, on: ['log'] },
  { id: 'alb.access-502', category: 'lb_target_5xx', weight: 0.75, pattern: /^(?:https?|h2|wss?) \S+ \S+ \S+ \S+ -?[\d.]+ -?[\d.]+ -?[\d.]+ 502 /, on: ['log'] },
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
  { id: 'aws.quota-prose', category: 'service_quota_exceeded', weight: 0.75, pattern: /\b(?:quota|limit) (?:has been |was )?(?:exceeded|reached) for\b|\bmaximum number of [\w ]{2,40} (?:has been |was )?(?:reached|exceeded)|\byou have reached (?:the|your) (?:maximum|limit|quota)|\bexceeds? (?:the|your) (?:account|current|service) (?:limit|quota)/i, unless: /ResourceQuota|exceeded quota: |LimitRange|rate/i },

  // ---- TLS: expiry in the wordings of SChannel/.NET (`A required certificate is not within its
  // validity period`), Java (`CertificateExpiredException: NotAfter`), OpenSSL alerts
  // (`sslv3 alert certificate expired`), browsers and Node (`ERR_CERT_DATE_INVALID`), Erlang.
  { id: 'tls.expired-family', category: 'tls_cert_expired', weight: 0.9, pattern: /not within its validity period|CertificateExpiredException|alert certificate expired|certificate_expired|ERR_CERT_DATE_INVALID|CERT_DATE_INVALID|SEC_E_CERT_EXPIRED|CERT_E_EXPIRED|certificate (?:is )?expired|expired certificate|has expired on/i, unless: /not yet valid|ExpiredToken|security token/i },
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
  // panics logged as JSON by controller-runtime (`"msg":"Observed a panic"`).
  { id: 'lambda.runtime-crash', category: 'app_crash', weight: 0.6, pattern: /Runtime exited with error: (?:signal: (?:segmentation fault|bus error|illegal instruction|abort)|exit status [1-9]\d{0,2})/ },
  { id: 'app.panic-json', category: 'app_crash', weight: 0.55, pattern: /"msg":\s?"Observed a panic"|"panic":\s?"|\bpanic: runtime error\b/ },
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
  { id: 'alarm.insufficient-data-text', category: 'alarm_misconfigured', weight: 0.5, pattern: /INSUFFICIENT_DATA\s?->\s?(?:OK|ALARM)|(?:OK|ALARM)\s?->\s?INSUFFICIENT_DATA|from (?:OK|ALARM) to INSUFFICIENT_DATA|from INSUFFICIENT_DATA to (?:OK|ALARM)/, on: ['log', 'describe', 'event'] },

  // ---- Databases and clients (drivers' own error texts).
  { id: 'db.pool-family', category: 'db_connection_exhaustion', weight: 0.88, pattern: /ConnectionAcquireTimeoutError|Timed out fetching a new connection from the connection pool|Cannot get a connection, pool error|Timeout waiting for idle object|ER_CON_COUNT_ERROR|ORA-000(?:18|20)|ORA-1251[69]|FATAL:\s+too many connections for role|connection limit exceeded for non-superusers|MongoWaitQueueFullError|max client connections reached|Too many clients/i },
  { id: 'net.client-family', category: 'dependency_unreachable', weight: 0.65, pattern: /Connection terminated unexpectedly|server closed the connection unexpectedly|Can't reach database server|MongoNetworkError|MongoServerSelectionError|MaxRetriesPerRequestError|Reached the max retries per request limit|CLUSTERDOWN|ClusterAllFailedError|Socket closed abruptly|AMQPConnectionError|CONNECTION_FORCED|missed heartbeats|Heartbeat timeout|ConnectTimeoutError|ConnectTimeoutException|HttpHostConnectException|ESOCKETTIMEDOUT|java\.net\.ConnectException|NewConnectionError|Failed to establish a new connection|Connection to .{1,120} timed out/ },
];
