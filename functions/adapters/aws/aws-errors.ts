/**
 * Classifies errors of the AWS SDK v3 (and of the Kubernetes API) into the degradation kinds of
 * the diagnosis, with a sentence naming the action and resource that failed.
 *
 * Error names follow the AWS API references: `AccessDenied` (S3), `AccessDeniedException`
 * (Logs, EKS, CloudWatch JSON), `UnauthorizedOperation` (EC2), `AuthorizationError` (SNS);
 * throttling names follow `@smithy/service-error-classification` (`ThrottlingException`,
 * `Throttling`, `TooManyRequestsException`, `RequestLimitExceeded`, `SlowDown`, …).
 */
import type { Degradation } from '../../core/model/evidence.js';

/** What went wrong, for the diagnosis's `degraded` list. */
export type AwsFailureKind = 'permission' | 'throttled' | 'server' | 'timeout' | 'not-found' | 'error';

const PERMISSION_NAMES = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError',
  'UnauthorizedException', 'UnrecognizedClientException', 'Forbidden', 'ForbiddenException',
]);
const THROTTLING_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded',
  'SlowDown', 'ProvisionedThroughputExceededException', 'RequestThrottled', 'RequestThrottledException',
  'LimitExceededException', 'BandwidthLimitExceeded', 'EC2ThrottledException', 'PriorRequestNotComplete',
]);
const NOT_FOUND_NAMES = new Set(['ResourceNotFoundException', 'NoSuchKey', 'NotFound', 'NoSuchBucket']);

/** The HTTP status of an SDK error, when it has one. */
export function httpStatusOf(error: unknown): number | undefined {
  const e = error as { $metadata?: { httpStatusCode?: number }; statusCode?: number } | undefined;
  return e?.$metadata?.httpStatusCode ?? e?.statusCode;
}

/** Sorts a thrown value into an {@link AwsFailureKind}. Never throws. */
export function classifyAwsError(error: unknown): AwsFailureKind {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  const status = httpStatusOf(error);
  if (name === 'AbortError' || name === 'TimeoutError' || name === 'RequestTimeout') return 'timeout';
  if (PERMISSION_NAMES.has(name) || status === 403) return 'permission';
  if (THROTTLING_NAMES.has(name) || status === 429) return 'throttled';
  if (NOT_FOUND_NAMES.has(name) || status === 404) return 'not-found';
  if (status !== undefined && status >= 500) return 'server';
  return 'error';
}

/** Short one-line description of an SDK error: `Name: message (HTTP status)`. */
export function describeAwsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = httpStatusOf(error);
  const message = error.message && error.message !== error.name ? `: ${error.message}` : '';
  return `${error.name}${message}${status ? ` (HTTP ${status})` : ''}`;
}

/**
 * A degradation naming what could not be read and why, e.g.
 * `the function's role lacks logs:StartQuery on /aws/lambda/checkout (AccessDeniedException: …)`.
 *
 * @param component collector name (`cloudwatch-logs`).
 * @param action IAM action in `service:Action` form (`logs:StartQuery`).
 * @param resource the resource the call was about (log group, alarm, cluster, bucket key).
 */
export function degradationFor(component: string, action: string, resource: string, error: unknown): Degradation {
  const kind = classifyAwsError(error);
  const detail = describeAwsError(error);
  switch (kind) {
    case 'permission':
      return { component, kind: 'permission', reason: `the function's role lacks ${action} on ${resource} (${detail})` };
    case 'throttled':
      return { component, kind: 'throttled', reason: `${action} on ${resource} stayed throttled after retries (${detail})` };
    case 'timeout':
      return { component, kind: 'timeout', reason: `${action} on ${resource} did not finish within the time budget (${detail})` };
    case 'server':
      return { component, kind: 'error', reason: `${action} on ${resource} kept failing with a server error after retries (${detail})` };
    case 'not-found':
      return { component, kind: 'skipped', reason: `${action} on ${resource}: not found (${detail})` };
    default:
      return { component, kind: 'error', reason: `${action} on ${resource} failed (${detail})` };
  }
}

