/**
 * Small pure helpers of the normalize stage: type guards over `unknown` JSON, lenient timestamp
 * parsing, ARN parsing, region names, incident ids and time windows.
 */
import { incidentIdOf, sha256Text } from '../../model/store-layout.js';
import type { ResourceRef, TimeWindow } from '../../model/incident.js';

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as a trimmed non-empty string, or `undefined`. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  return undefined;
}

/** The value as a finite number (numeric strings accepted), or `undefined`. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function obj(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Short, single-line rendering of a value for error messages (at most `max` characters). */
export function preview(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Parses the timestamp forms AWS and Kubernetes tooling emit, to milliseconds since the epoch.
 *
 * Accepted: ISO-8601 with `Z`, `+00:00` or `+0000` offsets, with or without fractional seconds
 * (any number of digits: truncated to ms), with a space instead of `T`, without a zone (read as
 * UTC), with a trailing `[UTC]` zone id (EKS), with stray spaces after the time's colons (as in
 * some published alarm samples: `2023-08-04T12: 36: 15.490+0000`); RFC 1123 dates
 * (`Sat, 05 Jun 2016 15:10:09 GMT`, AWS Health); numbers and numeric strings as epoch
 * milliseconds (values below 1e11 are read as epoch seconds).
 *
 * @returns ms since the epoch, or `undefined` when the value is not a timestamp.
 */
export function parseTime(value: unknown): number | undefined {
  const parsed = parseTimeUnchecked(value);
  // Only times between the epoch and the end of year 9999 make sense (and print as ISO-8601).
  return parsed !== undefined && parsed > 0 && parsed <= MAX_TIME_MS ? parsed : undefined;
}

/** 9999-12-31T23:59:59.999Z in ms. */
const MAX_TIME_MS = 253_402_300_799_999;

function parseTimeUnchecked(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    return value < 1e11 ? Math.round(value * 1000) : Math.round(value);
  }
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return parseTimeUnchecked(Number(text));
  text = text.replace(/\[[A-Za-z_/+-]+\]$/, '');
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):\s*(\d{2})(?::\s*(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (iso) {
    const [, date, hh, mm, ss = '00', frac = '', zone = 'Z'] = iso;
    const ms = (frac + '000').slice(0, 3);
    const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    const parsed = Date.parse(`${date}T${hh!.padStart(2, '0')}:${mm}:${ss}.${ms}${offset}`);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  // RFC 1123 / RFC 2822 (AWS Health `startTime`): `Sat, 05 Jun 2016 15:10:09 GMT`.
  if (/^[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}(:\d{2})?\s+(GMT|UTC|[+-]\d{4})$/.test(text)) {
    const parsed = Date.parse(text);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/** The first of `values` that parses as a timestamp ({@link parseTime}), in ms. */
export function firstTime(...values: unknown[]): number | undefined {
  for (const value of values) {
    const parsed = parseTime(value);
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region?: string;
  readonly accountId?: string;
  /** Everything after the account field, e.g. `alarm:Name`, `task/cluster/id`. */
  readonly resource: string;
  /** The ARN with stray whitespace removed from its fields. */
  readonly arn: string;
}

const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const ACCOUNT_RE = /^\d{12}$/;

/** True for a region code such as `us-east-1` (placeholders such as `REGION` or `region-code` are not). */
export function isRegion(value: unknown): value is string {
  return typeof value === 'string' && REGION_RE.test(value);
}

/** True for a 12-digit account id. */
export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_RE.test(value);
}

/**
 * Parses an ARN (format: AWS General Reference, "Amazon Resource Names"). Whitespace around
 * fields is dropped (some published samples contain `us-east-1: 111122223333`). Region and account
 * are set only when they look real (placeholders such as `REGION`/`ACCOUNT_NUMBER` are left out).
 */
export function parseArn(value: unknown): ParsedArn | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.trim().split(':');
  if (parts.length < 6 || parts[0]!.trim() !== 'arn') return undefined;
  const [, partition, service, region, account] = parts.map((p) => p.trim());
  const resource = parts.slice(5).join(':').trim();
  if (!service || !resource) return undefined;
  return {
    partition: partition!,
    service,
    region: isRegion(region) ? region : undefined,
    accountId: isAccountId(account) ? account : undefined,
    resource,
    arn: ['arn', partition, service, region, account, resource].join(':'),
  };
}

/**
 * The region code for a region's display name as CloudWatch writes it in SNS alarm messages
 * (`"Region": "US East (N. Virginia)"`). Source: AWS General Reference, "Regional endpoints".
 */
const REGION_NAMES: Readonly<Record<string, string>> = {
  'us east (n. virginia)': 'us-east-1', 'us east (ohio)': 'us-east-2', 'us west (n. california)': 'us-west-1',
  'us west (oregon)': 'us-west-2', 'africa (cape town)': 'af-south-1', 'asia pacific (hong kong)': 'ap-east-1',
  'asia pacific (hyderabad)': 'ap-south-2', 'asia pacific (jakarta)': 'ap-southeast-3',
  'asia pacific (malaysia)': 'ap-southeast-5', 'asia pacific (melbourne)': 'ap-southeast-4',
  'asia pacific (mumbai)': 'ap-south-1', 'asia pacific (osaka)': 'ap-northeast-3', 'asia pacific (seoul)': 'ap-northeast-2',
  'asia pacific (singapore)': 'ap-southeast-1', 'asia pacific (sydney)': 'ap-southeast-2',
  'asia pacific (tokyo)': 'ap-northeast-1', 'asia pacific (thailand)': 'ap-southeast-7', 'canada (central)': 'ca-central-1',
  'canada west (calgary)': 'ca-west-1', 'europe (frankfurt)': 'eu-central-1', 'europe (ireland)': 'eu-west-1',
  'europe (london)': 'eu-west-2', 'europe (milan)': 'eu-south-1', 'europe (paris)': 'eu-west-3',
  'europe (spain)': 'eu-south-2', 'europe (stockholm)': 'eu-north-1', 'europe (zurich)': 'eu-central-2',
  'israel (tel aviv)': 'il-central-1', 'mexico (central)': 'mx-central-1', 'middle east (bahrain)': 'me-south-1',
  'middle east (uae)': 'me-central-1', 'south america (sao paulo)': 'sa-east-1', 'south america (são paulo)': 'sa-east-1',
  'eu (ireland)': 'eu-west-1', 'eu (frankfurt)': 'eu-central-1', 'eu (london)': 'eu-west-2', 'eu (paris)': 'eu-west-3',
  'eu (stockholm)': 'eu-north-1', 'eu (milan)': 'eu-south-1',
  'aws govcloud (us-east)': 'us-gov-east-1', 'aws govcloud (us-west)': 'us-gov-west-1',
};

/** A region code from a code or a display name (`US East (N. Virginia)`), or `undefined`. */
export function regionCode(value: unknown): string | undefined {
  if (isRegion(value)) return value;
  if (typeof value !== 'string') return undefined;
  return REGION_NAMES[value.trim().toLowerCase()];
}

/**
 * The resource a non-CloudWatch ARN names, typed as CloudFormation spells resource types
 * where the mapping is clear (`AWS::ECS::Task`, `AWS::EC2::Instance`, …).
 */
export function resourceFromArn(arnText: string): ResourceRef | undefined {
  const arn = parseArn(arnText);
  if (!arn) return undefined;
  const split = /^([^/:]+)[/:](.*)$/.exec(arn.resource);
  const kind = split ? split[1]! : arn.resource;
  const rest = split ? split[2]! : '';
  const known: Record<string, string> = {
    'cloudwatch:alarm': 'AWS::CloudWatch::Alarm', 'ecs:cluster': 'AWS::ECS::Cluster', 'ecs:service': 'AWS::ECS::Service',
    'ecs:task': 'AWS::ECS::Task', 'ecs:container-instance': 'AWS::ECS::ContainerInstance',
    'ecs:task-definition': 'AWS::ECS::TaskDefinition', 'ecs:capacity-provider': 'AWS::ECS::CapacityProvider',
    'ec2:instance': 'AWS::EC2::Instance', 'ec2:volume': 'AWS::EC2::Volume', 'eks:cluster': 'AWS::EKS::Cluster',
    'eks:nodegroup': 'AWS::EKS::Nodegroup', 'lambda:function': 'AWS::Lambda::Function', 'batch:job': 'AWS::Batch::Job',
    'batch:job-queue': 'AWS::Batch::JobQueue', 'codedeploy:application': 'AWS::CodeDeploy::Application',
    'codedeploy:deploymentgroup': 'AWS::CodeDeploy::DeploymentGroup', 'autoscaling:autoScalingGroup': 'AWS::AutoScaling::AutoScalingGroup',
    'rds:db': 'AWS::RDS::DBInstance', 'sqs:': 'AWS::SQS::Queue', 'events:rule': 'AWS::Events::Rule',
    'health:event': 'AWS::Health::Event',
  };
  const type = known[`${arn.service}:${kind}`] ?? (arn.service === 'sqs' ? 'AWS::SQS::Queue' : `AWS::${arn.service.toUpperCase()}::${kind}`);
  let name = rest || kind;
  if (arn.service === 'sqs') name = arn.resource;
  else if (arn.service === 'ecs' && (kind === 'service' || kind === 'task' || kind === 'container-instance')) name = rest.slice(rest.lastIndexOf('/') + 1);
  else if (arn.service === 'autoscaling' && rest.includes('autoScalingGroupName/')) name = rest.slice(rest.indexOf('autoScalingGroupName/') + 'autoScalingGroupName/'.length);
  return { type, name, arn: arn.arn };
}

/**
 * The stable incident id: `inc-` + the first 20 hex characters of SHA-256 over `seed`.
 * Seeds are built by each reader so that a repeated delivery gives the same id.
 */
export function incidentId(seed: string): string {
  return incidentIdOf(seed);
}

/** SHA-256 hex of `text` (for content-derived seeds). */
export function digest(text: string): string {
  return sha256Text(text);
}

/**
 * The look window and its baseline: window = `[occurredAt - lookbackMinutes, occurredAt + 1 min)`,
 * baseline = the same length right before the window.
 */
export function windowsFor(occurredAtMs: number, lookbackMinutes: number): { window: TimeWindow; baseline: TimeWindow } {
  const start = occurredAtMs - lookbackMinutes * 60_000;
  const end = occurredAtMs + 60_000;
  const length = end - start;
  return {
    window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    baseline: { start: new Date(start - length).toISOString(), end: new Date(start).toISOString() },
  };
}

/**
 * Merges resources that name the same thing (type, name, namespace, cluster): the first is kept,
 * with the ARN of a later duplicate filled in when it lacks one.
 */
export function uniqueResources(resources: readonly ResourceRef[]): ResourceRef[] {
  const byKey = new Map<string, ResourceRef>();
  for (const r of resources) {
    const key = [r.type, r.name, r.namespace ?? '', r.cluster ?? ''].join('\u0000');
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, r);
    else if (!seen.arn && r.arn) byKey.set(key, { ...seen, arn: r.arn });
  }
  return [...byKey.values()];
}

/** Keeps only string values of an object (labels, tags). */
export function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}
