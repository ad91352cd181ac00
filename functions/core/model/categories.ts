/**
 * The root-cause category vocabulary: the product's public contract.
 *
 * Source: `shared/spec/categories.md`. Identifiers are never renamed; `unknown` is the honest
 * answer when the evidence does not support any other category.
 */
export const CATEGORIES = [
  // Kubernetes workloads
  'oom_killed', 'app_crash', 'app_config_error', 'missing_config_reference', 'image_pull_auth',
  'image_not_found', 'probe_failure', 'insufficient_cpu', 'insufficient_memory', 'taint_not_tolerated',
  'node_selector_mismatch', 'volume_zone_conflict', 'pvc_pending', 'volume_mount_failure',
  'disk_pressure_eviction', 'memory_pressure_eviction', 'pid_exhaustion', 'cpu_throttling',
  'quota_exceeded', 'rbac_forbidden', 'job_failed', 'rollout_stuck', 'hpa_at_max',
  'service_no_endpoints', 'ingress_misconfigured', 'network_policy_blocked', 'dns_resolution',
  // EKS and AWS accounts
  'node_not_ready', 'eks_auth_unauthorized', 'ip_exhaustion', 'iam_access_denied', 'api_throttling',
  'service_quota_exceeded', 'credentials_expired',
  // AWS Lambda
  'lambda_timeout', 'lambda_oom', 'lambda_import_error', 'lambda_throttling',
  // Applications and hosts
  'heap_oom', 'node_heap_oom', 'db_connection_exhaustion', 'dependency_unreachable',
  'tls_cert_expired', 'tls_cert_invalid', 'disk_full', 'fd_exhaustion', 'deadlock', 'lb_target_5xx',
  'lb_target_timeout', 'queue_backlog', 'deploy_regression', 'slow_dependency', 'alarm_misconfigured',
  // Fallback
  'unknown',
] as const;

/** One root-cause category identifier, e.g. `oom_killed`. */
export type Category = (typeof CATEGORIES)[number];

const CATEGORY_SET: ReadonlySet<string> = new Set(CATEGORIES);

/** True when `value` is one of {@link CATEGORIES}. */
export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && CATEGORY_SET.has(value);
}
