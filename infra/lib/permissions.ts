/**
 * Least-privilege grants of the assistant's functions, each with the exact actions it needs (no
 * `service:*` or `Get*` patterns). CDK's `bucket.grantPut` / `topic.grantPublish` add KMS actions
 * with wildcards (`kms:GenerateDataKey*`, `kms:ReEncrypt*`), so the grants here are written with
 * `iam.Grant.addToPrincipal` and exact action lists instead.
 *
 * Resource-level support per action: Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html ,
 * …/list_amazoncloudwatch.html , …/list_amazonelastickubernetesservice.html
 */
import { Stack, ArnFormat } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';

/** Error raised when a grant would carry a wildcard action. */
export class WildcardActionError extends Error {
  override readonly name = 'WildcardActionError';
}

/**
 * Adds one identity-policy statement with exact actions.
 * @throws {WildcardActionError} when an action contains `*`.
 */
export function grantExact(grantee: iam.IGrantable, actions: readonly string[], resourceArns: readonly string[]): iam.Grant {
  const wildcard = actions.filter((a) => a.includes('*'));
  if (wildcard.length > 0) throw new WildcardActionError(`wildcard actions are not allowed: ${wildcard.join(', ')}`);
  return iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [...resourceArns] });
}

/** Where a function may read and write in the diagnoses bucket. */
export interface BucketAccess {
  /** Bucket ARN (`arn:aws:s3:::name`), e.g. `Fn.importValue(...)` of the data stack's export. */
  readonly bucketArn: string;
  readonly key: kms.IKey;
  /** Prefixes (ending with `/`) whose objects the function writes. */
  readonly writePrefixes: readonly string[];
  /** Prefixes (ending with `/`) whose objects the function reads and lists. */
  readonly readPrefixes: readonly string[];
}

/**
 * Object writes and reads limited to the given prefixes of the bucket, `s3:ListBucket` on this
 * bucket only, and the KMS actions SSE-KMS needs (`GenerateDataKey` to write, `Decrypt` to read).
 * ListBucket carries no `s3:prefix` condition on purpose: S3 answers a GET or HEAD of a missing
 * key with 404 only to callers allowed to list the bucket (else 403), and the storm guard and the
 * idempotent writes rely on telling "absent" from "denied".
 */
export function grantBucketPrefixes(grantee: iam.IGrantable, access: BucketAccess): void {
  const { bucketArn, key } = access;
  const objects = (prefix: string): string => `${bucketArn}/${prefix}*`;
  if (access.writePrefixes.length > 0) grantExact(grantee, ['s3:PutObject'], access.writePrefixes.map(objects));
  if (access.readPrefixes.length > 0) {
    grantExact(grantee, ['s3:GetObject'], access.readPrefixes.map(objects));
    grantExact(grantee, ['s3:ListBucket'], [bucketArn]);
  }
  key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
}

/** `sns:Publish` on one topic and the KMS actions an encrypted topic needs. */
export function grantPublish(grantee: iam.IGrantable, topic: sns.ITopic, key: kms.IKey): void {
  grantExact(grantee, ['sns:Publish'], [topic.topicArn]);
  key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
}

/** `sqs:SendMessage` on a KMS-encrypted dead-letter queue (Lambda's `deadLetterQueue` grants SendMessage only). */
export function grantDeadLetterKey(grantee: iam.IGrantable, queue: sqs.IQueue): void {
  if (queue.encryptionMasterKey) queue.encryptionMasterKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
}

/** Read-only CloudWatch Logs actions the log collector uses. */
export const LOGS_READ_ACTIONS = ['logs:StartQuery', 'logs:FilterLogEvents', 'logs:DescribeMetricFilters', 'logs:DescribeLogGroups'] as const;
/** Logs Insights actions that take no resource (query ids): `Resource: *` is the only form. */
export const LOGS_QUERY_ACTIONS = ['logs:GetQueryResults', 'logs:StopQuery'] as const;
/** EKS read actions on a cluster ARN. */
export const EKS_CLUSTER_ACTIONS = ['eks:DescribeCluster', 'eks:ListNodegroups', 'eks:ListAddons'] as const;

/**
 * Read-only observability: CloudWatch Logs on the account's log groups in this region,
 * `cloudwatch:GetMetricData` (no resource-level permissions exist for it), and EKS describe/list
 * on the named clusters only (every cluster of the account and region when none is named).
 *
 * @returns the cluster ARN patterns granted (for tests and acknowledgements).
 */
export function grantObservabilityRead(scope: IConstruct, grantee: iam.IGrantable, clusterNames: readonly string[]): { clusterArns: string[] } {
  const stack = Stack.of(scope);
  const logGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  grantExact(grantee, LOGS_READ_ACTIONS, [logGroups]);
  grantExact(grantee, LOGS_QUERY_ACTIONS, ['*']);
  grantExact(grantee, ['cloudwatch:GetMetricData'], ['*']);
  const names = clusterNames.length > 0 ? [...clusterNames] : ['*'];
  const arn = (resource: string, resourceName: string): string => stack.formatArn({ service: 'eks', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const clusterArns = names.map((n) => arn('cluster', n));
  grantExact(grantee, EKS_CLUSTER_ACTIONS, clusterArns);
  grantExact(grantee, ['eks:DescribeNodegroup'], names.map((n) => arn('nodegroup', `${n}/*/*`)));
  grantExact(grantee, ['eks:DescribeAddon'], names.map((n) => arn('addon', `${n}/*/*`)));
  return { clusterArns };
}

/** `cloudwatch:ListTagsForResource` on the account's alarms, for the alarm-tag filter. */
export function grantAlarmTagRead(scope: IConstruct, grantee: iam.IGrantable): void {
  const alarms = Stack.of(scope).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  grantExact(grantee, ['cloudwatch:ListTagsForResource'], [alarms]);
}
