/**
 * AWS error codes, read from every layout the SDKs and the CLI print them in, and mapped to a
 * category by the code (and, for the few codes services share with different meanings, by the
 * message).
 *
 * Layouts (one error, several wordings across SDKs and versions):
 * - AWS CLI and boto3/botocore: `An error occurred (ThrottlingException) when calling the X operation`;
 * - Java SDK v1: `(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ProvisionedThroughputExceededException; …)`;
 *   Java SDK v2 / .NET / Kotlin: the exception class `…model.ProvisionedThroughputExceededException`;
 * - JavaScript SDK v2: `code: 'ThrottlingException'`, `[ThrottlingException: Rate exceeded]`; v3: `name: 'ThrottlingException'`;
 * - Go SDK v1: `ThrottlingException: Rate exceeded\n\tstatus code: 400`; v2: `api error ThrottlingException: Rate exceeded`;
 * - wire formats: JSON `"__type":"com.amazonaws…#ThrottlingException"`, `"code": "…"`, XML `<Code>Throttling</Code>`;
 * - Step Functions error names: `Lambda.TooManyRequestsException`, `States.Timeout`;
 * - Haskell amazonka and others print the bare code: `code = ProvisionedThroughputExceeded`.
 *
 * Codes come from the SDKs' own classification: `@smithy/service-error-classification`
 * (`THROTTLING_ERROR_CODES`, `CLOCK_SKEW_ERROR_CODES`, used by every AWS SDK for JavaScript v3
 * client's retry strategy; botocore's `_retry.json` lists the same throttling codes), and the
 * services' API references (Lambda `Invoke` and `PutFunctionConcurrency` errors, EC2 error codes,
 * STS, KMS, S3 error responses).
 */
import type { Category } from '../../../model/categories.js';
import type { ComputedSignature } from './types.js';

/** SDK throttling codes (`@smithy/service-error-classification` THROTTLING_ERROR_CODES, minus the ambiguous LimitExceededException). */
const THROTTLING = new Set([
  'BandwidthLimitExceeded', 'EC2ThrottledException', 'PriorRequestNotComplete', 'ProvisionedThroughputExceededException',
  'ProvisionedThroughputExceeded', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown',
  'ThrottledException', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'TooManyRequests',
  'TransactionInProgressException', 'RequestRateTooLarge', 'ProvisionedThroughputExceededError',
]);
/** Clock-skew codes (CLOCK_SKEW_ERROR_CODES) and expired or unknown credentials (STS, IAM). */
const EXPIRED = new Set([
  'RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed', 'ExpiredToken', 'ExpiredTokenException',
  'TokenRefreshRequired', 'InvalidClientTokenId', 'UnrecognizedClientException', 'IDPCommunicationError',
]);
/** Denials by IAM, resource policies and KMS (the Lambda environment-variable KMS errors included). */
const DENIED = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'AuthorizationErrorException',
  'KMSAccessDeniedException', 'KMSDisabledException', 'KMSInvalidStateException', 'KMSNotFoundException',
  'InvalidGrantTokenException', 'NotAuthorized', 'NotAuthorizedException', 'AccessDeniedError', 'InvalidIdentityToken',
  // S3 `AllAccessDisabled` (error responses), Organizations/IAM Identity Center dependency denials.
  'AllAccessDisabled', 'AccessDeniedForDependencyException', 'InsufficientPrivilegesException',
]);
/** Quota and limit codes (EC2, Lambda, S3, SageMaker, Service Quotas …). */
const QUOTA = new Set([
  'ServiceQuotaExceededException', 'VcpuLimitExceeded', 'InstanceLimitExceeded', 'AddressLimitExceeded', 'TooManyBuckets',
  'CodeStorageExceededException', 'ResourceLimitExceeded', 'ResourceLimitExceededException', 'MaxSpotInstanceCountExceeded',
  'VolumeLimitExceeded', 'NetworkInterfaceLimitExceeded', 'SecurityGroupLimitExceeded', 'RulesPerSecurityGroupLimitExceeded',
  'VpcLimitExceeded', 'RouteLimitExceeded', 'ENILimitReachedException', 'LimitExceeded', 'QuotaExceededException',
  'InsufficientInstanceCapacity', 'InsufficientCapacityException', 'EntityLimitExceeded', 'TooManyTagsException',
]);
/** Lambda invocation errors that name the cause (Lambda API reference, Invoke errors; runtime error types). */
const LAMBDA: Readonly<Record<string, Category>> = {
  'Runtime.ImportModuleError': 'lambda_import_error',
  'Runtime.HandlerNotFound': 'lambda_import_error',
  'Runtime.UserCodeSyntaxError': 'lambda_import_error',
  'Runtime.InvalidEntrypoint': 'lambda_import_error',
  'Runtime.MalformedHandlerName': 'lambda_import_error',
  'Runtime.OutOfMemory': 'lambda_oom',
  'Sandbox.Timedout': 'lambda_timeout',
  'SubnetIPAddressLimitReachedException': 'ip_exhaustion',
  'EC2ThrottledException': 'api_throttling',
};

/** A resource the configuration names does not exist (SQS, S3, SSM, Secrets Manager, DynamoDB tables …). */
const MISSING_RESOURCE: Readonly<Record<string, Category>> = {
  'AWS.SimpleQueueService.NonExistentQueue': 'app_config_error', QueueDoesNotExist: 'app_config_error', NonExistentQueue: 'app_config_error', NoSuchBucket: 'app_config_error',
  ParameterNotFound: 'missing_config_reference', ParameterVersionNotFound: 'missing_config_reference',
};

/** Kubernetes condition reasons that share the AWS codes' shape (`BackoffLimitExceeded` is a Job's, not a quota). */
const NOT_AWS = new Set(['BackoffLimitExceeded', 'DeadlineExceeded', 'ProgressDeadlineExceeded', 'ExceededGracePeriod', 'PodLimitExceeded']);

/** Does the line show the error came from invoking Lambda (a concurrency throttle, not an API rate)? */
const LAMBDA_INVOKE = /Lambda|\bInvoke\b|concurren|ReservedFunction|ConcurrentInvocation|CallerRateLimitExceeded|FunctionInvocationRateLimitExceeded/;
/** LimitExceededException is a rate limit for Kinesis, API Gateway and others, a quota for CloudFormation, IAM, Cognito …: the message decides. */
const RATE_WORDS = /\brate\b|throttl|too many requests|per second|\bTPS\b|slow ?down|Rate exceeded/i;

/**
 * The error codes on one line, in every layout of the module comment. Bounded: at most 8 codes,
 * each a single identifier token (linear-time patterns, no nested quantifiers).
 */
export function awsErrorCodes(text: string): string[] {
  const codes = new Set<string>();
  // `com.amazonaws.dynamodb.v20120810#X` and Java packages `software.amazon.awssdk.….X` give X;
  // `Runtime.X`, `Lambda.X`, `AWS.SimpleQueueService.X` keep their service prefix.
  const add = (code: string | undefined) => { if (code && codes.size < 8) codes.add(code.replace(/^.*#/, '').replace(/^(?:[a-z]\w*\.)+(?=[A-Z])/, '')); };
  const layouts = [
    /An error occurred \(([A-Za-z.]{3,80})\) when calling/g,
    /Error Code: ([A-Za-z.]{3,80})/g,
    /(?:\bcode|\bname|__type|errorType|"Code"|\bError)["']?\s*[:=]\s*["']?([A-Za-z][\w.#:]{2,120})/g,
    /<Code>([A-Za-z.]{3,80})<\/Code>/g,
    /\bapi error ([A-Za-z]{3,80}):/g,
    /\b((?:Runtime|Sandbox|Lambda|States)\.[A-Za-z]{3,60})\b/g,
    /\b(AWS\.SimpleQueueService\.[A-Za-z]{3,60})\b/g,
    /\b([A-Z][A-Za-z0-9]{2,80}(?:Exception|Exceeded|Denied|Expired|Throttled|Throttling|Error))\b/g,
    /\[([A-Z][A-Za-z]{2,80}): /g,
    // JavaScript SDK v3 prints `QueueDoesNotExist: The specified queue does not exist.`
    /(?:^|\s)([A-Z][A-Za-z]{2,60}): /g,
  ];
  for (const pattern of layouts) {
    for (const m of text.matchAll(pattern)) add(m[1]);
    if (codes.size >= 8) break;
  }
  return [...codes];
}

/** The category an AWS error code names on this line, with a weight; undefined for codes of no category. */
export function categoryOfAwsCode(code: string, line: string): { category: Category; weight: number } | undefined {
  const bare0 = code.replace(/^(?:Lambda|States)\./, '');
  // Java v2 and .NET model classes append `Exception` (`QueueDoesNotExistException`)
  const bare = MISSING_RESOURCE[bare0] || THROTTLING.has(bare0) || EXPIRED.has(bare0) || DENIED.has(bare0) || QUOTA.has(bare0) ? bare0 : MISSING_RESOURCE[bare0.replace(/Exception$/, '')] ? bare0.replace(/Exception$/, '') : bare0;
  if (NOT_AWS.has(bare)) return undefined;
  if (LAMBDA[code]) return { category: LAMBDA[code]!, weight: 0.92 };
  if (MISSING_RESOURCE[code] || MISSING_RESOURCE[bare]) return { category: (MISSING_RESOURCE[code] ?? MISSING_RESOURCE[bare])!, weight: 0.8 };
  if (code === 'ResourceNotFoundException') {
    return /Secrets Manager|secret|GetSecretValue|GetParameter/i.test(line) ? { category: 'missing_config_reference', weight: 0.82 } : { category: 'app_config_error', weight: 0.55 };
  }
  if (code === 'Lambda.TooManyRequestsException' || (bare === 'TooManyRequestsException' && LAMBDA_INVOKE.test(line))) return { category: 'lambda_throttling', weight: 0.9 };
  if (code === 'States.Timeout') return { category: 'lambda_timeout', weight: 0.55 };
  if (code === 'States.Permissions') return { category: 'iam_access_denied', weight: 0.85 };
  if (THROTTLING.has(bare)) return { category: 'api_throttling', weight: 0.86 };
  if (bare === 'LimitExceededException') return RATE_WORDS.test(line) ? { category: 'api_throttling', weight: 0.82 } : { category: 'service_quota_exceeded', weight: 0.84 };
  if (EXPIRED.has(bare)) return { category: 'credentials_expired', weight: 0.9 };
  if (DENIED.has(bare)) return { category: 'iam_access_denied', weight: 0.88 };
  if (QUOTA.has(bare) || /^\w{2,60}(?:LimitExceeded|QuotaExceeded)(?:Exception)?$/.test(bare)) return { category: 'service_quota_exceeded', weight: bare.startsWith('Insufficient') ? 0.6 : 0.86 };
  return undefined;
}

/** Computed signature: the AWS error codes a line carries, in any SDK's layout. */
/** Every layout above carries one of these shapes. */
const AWS_ERROR_SHAPES = /An error occurred \(|Exception|Exceeded|Denied|Expired|Throttl|Error|Code|code|__type|Runtime\.|Sandbox\.|States\.|Lambda\.|SlowDown|TooMany|Forbidden|Skewed|NotAuthorized|Unauthorized|Unrecognized|InvalidClientTokenId|InvalidIdentityToken|LimitExceeded|NotFound|NoSuch|DoesNotExist|NonExistent/;

export const AWS_ERROR_CODE_SIGNATURE: ComputedSignature = {
  id: 'aws.error-code',
  requires: AWS_ERROR_SHAPES,
  evaluate(line) {
    // cheap pre-filter (also declared as `requires`, which the signatures' pre-filter reads)
    if (!AWS_ERROR_SHAPES.test(line.text)) return [];
    const out = new Map<Category, number>();
    for (const code of awsErrorCodes(line.text)) {
      const verdict = categoryOfAwsCode(code, line.text);
      if (verdict) out.set(verdict.category, Math.max(out.get(verdict.category) ?? 0, verdict.weight));
    }
    return [...out].map(([category, weight]) => ({ category, weight }));
  },
};
