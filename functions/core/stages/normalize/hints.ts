/**
 * Category hints and severity rules of the normalize stage.
 *
 * A hint is set only where the event text names the cause unambiguously (a hint is evidence for
 * the infer stage, not a verdict). Sources for the ECS texts: Amazon ECS Developer Guide,
 * "Amazon ECS stopped task error messages" (CannotPullContainerError, ResourceInitializationError,
 * OutOfMemoryError, health-check stops) and "Amazon ECS events" (service action and deployment
 * event names). CloudWatch metric names: CloudWatch User Guide, "AWS services that publish
 * CloudWatch metrics".
 *
 * ## Severity mapping
 * | source | rule | severity |
 * |---|---|---|
 * | CloudWatch alarm | state `ALARM` | `high`, or the priority its name/description states: `P1`/`SEV1`/`critical` → `critical`, `P2`/`SEV2`/`high` → `high`, `P3`/`SEV3`/`warning`/`medium` → `medium`, `P4`/`P5`/`low` → `low` |
 * | CloudWatch alarm | `INSUFFICIENT_DATA` | `low` |
 * | CloudWatch alarm | `OK` | `info` |
 * | AWS Health | `eventTypeCategory` `issue` → `high`; `investigation` → `medium`; `scheduledChange` → `medium`; `accountNotification` → `low`; other → `medium`; `statusCode: closed` → `info` |
 * | ECS task | STOPPED with an OOM / pull / start / health-check cause, `TaskFailedToStart`, or an essential container exiting non-zero → `high`; `SpotInterruption`/`TerminationNotice`/`ServiceSchedulerInitiated` → `medium`; `UserInitiated` or exit 0 → `low`; not stopped → `info` |
 * | ECS service action / deployment | `eventType` `ERROR` → `high`, `WARN` → `medium`, `INFO` → `info`; `SERVICE_DEPLOYMENT_FAILED` → `high`; a rollback in progress → `medium` |
 * | ECS container instance | agent disconnected or status not `ACTIVE` → `medium`, else `info` |
 * | EC2 state change | `stopping`/`stopped`/`shutting-down`/`terminated` → `medium`, else `info` |
 * | EKS Fargate pod scheduled termination | `medium` |
 * | Batch job | `FAILED` → `high`, else `info` |
 * | Auto Scaling | `… Unsuccessful` → `high`, else `info` |
 * | CodeDeploy | `FAILURE` → `high`, `STOP` → `medium`, else `info` |
 * | Prometheus alert | Robusta `priority` when present (HIGH/MEDIUM/LOW/INFO/DEBUG → `high`/`medium`/`low`/`info`/`info`), else label `severity` `critical` → `critical`, `error`/`high` → `high`, `warning` → `medium`, `info`/`none` → `info`, other → `medium`; resolved → `info` |
 * | other EventBridge | a `status`/`state`/`eventType` reading failed/error/unhealthy/impaired → `high`, else `info` |
 * | API request | the nested event's; without one `medium` |
 * | manual | `medium` |
 */
import type { Category } from '../../model/categories.js';
import type { Severity } from '../../model/incident.js';

/** Ordered (first match wins) text rules for failure messages of ECS, Batch and Auto Scaling. */
// `X(?:(?!X)[\s\S])*Y` rather than `X[\s\S]*Y`: the same test (the last X before a Y matches), but
// each X scans only to the next one, so a text of repeated X stays linear.
const TEXT_HINTS: ReadonlyArray<readonly [RegExp, Category]> = [
  [/OutOfMemoryError|OOMKilled|out of memory|memory usage/i, 'oom_killed'],
  [/CannotPullContainerError(?:(?!CannotPullContainerError)[\s\S])*(pull access denied|no basic auth credentials|unauthorized|401 |403 |AccessDenied|denied:)/i, 'image_pull_auth'],
  [/CannotPullContainerError(?:(?!CannotPullContainerError)[\s\S])*(manifest unknown|manifest for \S+ not found|not found: manifest|name unknown|failed to resolve ref(?:(?!failed to resolve ref)[\s\S])*: not found)/i, 'image_not_found'],
  [/ResourceInitializationError(?:(?!ResourceInitializationError)[\s\S])*(AccessDenied|not authorized)/i, 'iam_access_denied'],
  [/ResourceInitializationError(?:(?!ResourceInitializationError)[\s\S])*(ResourceNotFoundException|ParameterNotFound|secret[^.]*not found)/i, 'missing_config_reference'],
  [/(ResourceInitializationError|CannotPullContainerError)(?:(?!ResourceInitializationError|CannotPullContainerError)[\s\S])*(i\/o timeout|dial tcp|context deadline exceeded|connection refused)/i, 'dependency_unreachable'],
  [/failed (ELB|container) health checks?|health check(s)? failed/i, 'probe_failure'],
  [/InsufficientFreeAddressesInSubnet|no free IP addresses|not enough free addresses|insufficient free addresses/i, 'ip_exhaustion'],
  [/ThrottlingException|Rate exceeded|RequestLimitExceeded|TooManyRequestsException/i, 'api_throttling'],
  [/VcpuLimitExceeded|LimitExceeded|reached the limit|current limit/i, 'service_quota_exceeded'],
  [/ExpiredToken|security token included in the request is expired/i, 'credentials_expired'],
  [/AccessDenied|is not authorized to perform/i, 'iam_access_denied'],
  [/No space left on device|ENOSPC/i, 'disk_full'],
];

/** The category a failure text names unambiguously, if any. */
export function hintFromText(...texts: ReadonlyArray<string | undefined>): Category | undefined {
  const text = texts.filter((t): t is string => typeof t === 'string' && t !== '').join('\n');
  if (text === '') return undefined;
  for (const [re, category] of TEXT_HINTS) if (re.test(text)) return category;
  return undefined;
}

/** ECS service action events whose name implies a category (reason codes for placement). */
export function hintFromEcsServiceAction(eventName: string | undefined, reason: string | undefined): Category | undefined {
  if (eventName === 'ECS_OPERATION_THROTTLED' || eventName === 'SERVICE_DISCOVERY_OPERATION_THROTTLED') return 'api_throttling';
  if (eventName === 'SERVICE_TASK_PLACEMENT_FAILURE') {
    if (/RESOURCE:CPU/i.test(reason ?? '')) return 'insufficient_cpu';
    if (/RESOURCE:MEMORY/i.test(reason ?? '')) return 'insufficient_memory';
    return hintFromText(reason);
  }
  if (eventName === 'SERVICE_TASK_CONFIGURATION_FAILURE') {
    if (/assume|AccessDenied|not authorized/i.test(reason ?? '')) return 'iam_access_denied';
    return hintFromText(reason);
  }
  return undefined;
}

/** CloudWatch metrics whose alarm names the cause by itself: `Namespace/MetricName` → category. */
const METRIC_HINTS: Readonly<Record<string, Category>> = {
  'AWS/Lambda/Throttles': 'lambda_throttling',
  'AWS/SQS/ApproximateAgeOfOldestMessage': 'queue_backlog',
  'AWS/SQS/ApproximateNumberOfMessagesVisible': 'queue_backlog',
  'AWS/ApplicationELB/HTTPCode_Target_5XX_Count': 'lb_target_5xx',
  'AWS/ApplicationELB/TargetResponseTime': 'lb_target_timeout',
  'AWS/RDS/FreeStorageSpace': 'disk_full',
  'AWS/RDS/DatabaseConnections': 'db_connection_exhaustion',
  'AWS/DynamoDB/ThrottledRequests': 'api_throttling',
  'AWS/DynamoDB/ReadThrottleEvents': 'api_throttling',
  'AWS/DynamoDB/WriteThrottleEvents': 'api_throttling',
  'AWS/EC2/StatusCheckFailed_System': 'node_not_ready',
  'ContainerInsights/node_status_condition_ready': 'node_not_ready',
  'ContainerInsights/pod_container_status_terminated_reason_oom_killed': 'oom_killed',
};

/** The category an alarm's metrics imply, when all metrics that name one agree. */
export function hintFromMetrics(metrics: ReadonlyArray<{ namespace?: string; name?: string }>): Category | undefined {
  const hints = new Set<Category>();
  for (const m of metrics) {
    const hint = m.namespace && m.name ? METRIC_HINTS[`${m.namespace}/${m.name}`] : undefined;
    if (hint) hints.add(hint);
  }
  return hints.size === 1 ? [...hints][0] : undefined;
}

/** Prometheus alert names (kube-prometheus / kubernetes-mixin) that name their cause. */
const ALERT_HINTS: Readonly<Record<string, Category>> = {
  KubeJobFailed: 'job_failed', KubeJobNotCompleted: 'job_failed', CPUThrottlingHigh: 'cpu_throttling',
  KubeHpaMaxedOut: 'hpa_at_max', KubeDeploymentRolloutStuck: 'rollout_stuck', KubeNodeNotReady: 'node_not_ready',
  KubeNodeUnreachable: 'node_not_ready', KubeQuotaExceeded: 'quota_exceeded', KubeQuotaFullyUsed: 'quota_exceeded',
  KubePersistentVolumeFillingUp: 'disk_full', NodeFilesystemSpaceFillingUp: 'disk_full', NodeFilesystemAlmostOutOfSpace: 'disk_full',
  NodeFileDescriptorLimit: 'fd_exhaustion', CoreDNSDown: 'dns_resolution', KubeClientCertificateExpiration: 'tls_cert_expired',
  KubePersistentVolumeErrors: 'pvc_pending',
};

/** The category a Prometheus alert name or its `reason` label implies, if clear. */
export function hintFromAlert(alertName: string | undefined, reason: string | undefined): Category | undefined {
  if (reason === 'OOMKilled') return 'oom_killed';
  if (reason === 'ImagePullBackOff' || reason === 'ErrImagePull') return undefined; // auth vs not found: unclear
  if (reason === 'CreateContainerConfigError') return 'missing_config_reference';
  return alertName ? ALERT_HINTS[alertName] : undefined;
}

/**
 * The severity an alarm's own wording states (`P1`, `SEV-2`, `critical`, …), if any.
 * Matched on word boundaries in the alarm name and description.
 */
export function severityFromPriorityHint(...texts: ReadonlyArray<string | undefined>): Severity | undefined {
  const text = texts.filter(Boolean).join(' ');
  if (/(^|[^a-z0-9])(p0|p1|sev-?[01]|critical|crit)([^a-z0-9]|$)/i.test(text)) return 'critical';
  if (/(^|[^a-z0-9])(p2|sev-?2|high)([^a-z0-9]|$)/i.test(text)) return 'high';
  if (/(^|[^a-z0-9])(p3|sev-?3|warn|warning|medium)([^a-z0-9]|$)/i.test(text)) return 'medium';
  if (/(^|[^a-z0-9])(p4|p5|sev-?[45]|low)([^a-z0-9]|$)/i.test(text)) return 'low';
  return undefined;
}

/** Severity of a CloudWatch alarm in `state`, per the table above. */
export function alarmSeverity(state: string | undefined, name: string, description: string | undefined): Severity {
  if (state === 'ALARM') return severityFromPriorityHint(name, description) ?? 'high';
  if (state === 'INSUFFICIENT_DATA') return 'low';
  return 'info';
}

/** Severity from a Prometheus `severity` label or a Robusta `priority`. */
export function alertSeverity(severityLabel: string | undefined, priority: string | undefined, resolved: boolean): Severity {
  if (resolved) return 'info';
  // A Robusta priority is the finding's own judgement: it wins over the alert's label.
  const byPriority: Record<string, Severity> = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low', INFO: 'info', DEBUG: 'info' };
  const fromPriority = byPriority[(priority ?? '').toUpperCase()];
  if (fromPriority) return fromPriority;
  switch ((severityLabel ?? '').toLowerCase()) {
    case 'critical': case 'page': return 'critical';
    case 'error': case 'high': case 'major': return 'high';
    case 'warning': case 'warn': case 'medium': return 'medium';
    case 'low': case 'minor': return 'low';
    case 'info': case 'none': return 'info';
    default: break;
  }
  return 'medium';
}
