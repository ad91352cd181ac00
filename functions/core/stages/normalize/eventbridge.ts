/**
 * EventBridge events other than ECS: EC2 instance state change, AWS Health, EKS, AWS Batch,
 * EC2 Auto Scaling, CodeDeploy, and any other event (kept generically).
 *
 * Sources: EC2 User Guide "EC2 instance state change events"; AWS Health User Guide "AWS Health
 * event schema" (`eventTypeCategory`, `eventDescription[].latestDescription`, `affectedEntities`);
 * EKS User Guide "Fargate OS patching events"; AWS Batch User Guide "Job state change events";
 * EC2 Auto Scaling User Guide "Amazon EventBridge events"; CodeDeploy User Guide "Monitoring
 * deployments with Amazon EventBridge".
 */
import type { ResourceRef, Severity } from '../../model/incident.js';
import type { IncidentDraft } from './draft.js';
import type { Envelope } from './envelope.js';
import { hintFromText } from './hints.js';
import { arr, firstTime, isObject, obj, parseArn, regionCode, resourceFromArn, str, stringRecord, type JsonObject } from './util.js';

/** Resources of `resources[]` that are ARNs (placeholders such as `instance-arn` are skipped). */
function arnResources(env: Envelope): ResourceRef[] {
  return env.resources.map(resourceFromArn).filter((r): r is ResourceRef => r !== undefined);
}

/** EventBridge `EC2 Instance State-change Notification`. */
export function fromEc2StateChange(env: Envelope, detail: JsonObject): IncidentDraft {
  const instanceId = str(detail['instance-id']) ?? str(detail['instance_id']);
  const state = str(detail['state']);
  const resources = arnResources(env);
  if (instanceId && !resources.some((r) => r.name === instanceId)) resources.push({ type: 'AWS::EC2::Instance', name: instanceId });
  const down = state !== undefined && ['stopping', 'stopped', 'shutting-down', 'terminated'].includes(state);
  return {
    idSeed: env.idSeed,
    source: 'ec2',
    title: `${env.detailType}: ${instanceId ?? 'instance'} ${state ?? ''}`.trim(),
    severity: down ? 'medium' : 'info',
    occurredAtMs: firstTime(env.time),
    state,
    region: env.region,
    accountId: env.accountId,
    resources,
    labels: {},
  };
}

/** A Health affected entity (`i-…`, `vol-…`, an ARN, or free text) as a resource. */
function healthEntity(value: string, service: string | undefined): ResourceRef {
  const fromArn = resourceFromArn(value);
  if (fromArn) return fromArn;
  if (/^i-[0-9a-f]+$/.test(value)) return { type: 'AWS::EC2::Instance', name: value };
  if (/^vol-[0-9a-f]+$/.test(value)) return { type: 'AWS::EC2::Volume', name: value };
  // ECS task-retirement notices name services as `cluster/service` (or `cluster | service`).
  const ecs = service === 'ECS' ? /^([\w.-]+)\s*[/|]\s*([\w.-]+)$/.exec(value) : null;
  if (ecs) return { type: 'AWS::ECS::Service', name: ecs[2]!, cluster: ecs[1]! };
  return { type: `AWS::${service ?? 'Health'}::Resource`, name: value };
}

/** Severity of a Health event by category (table in `hints.ts`). */
function healthSeverity(category: string | undefined, statusCode: string | undefined): Severity {
  if (statusCode === 'closed') return 'info';
  switch (category) {
    case 'issue': return 'high';
    case 'investigation': return 'medium';
    case 'scheduledChange': return 'medium';
    case 'accountNotification': return 'low';
    default: return 'medium';
  }
}

/** EventBridge `AWS Health Event` (also the `AWS Health Abuse Event`). */
export function fromHealthEvent(env: Envelope, detail: JsonObject): IncidentDraft {
  const service = str(detail['service']);
  const code = str(detail['eventTypeCode']);
  const category = str(detail['eventTypeCategory']);
  const statusCode = str(detail['statusCode']);
  const descriptions = arr(detail['eventDescription']).filter(isObject);
  const english = descriptions.find((d) => str(d['language'])?.toLowerCase().startsWith('en')) ?? descriptions[0];
  const description = str(english?.['latestDescription']);
  const resources: ResourceRef[] = [];
  const labels: Record<string, string> = {};
  for (const entity of arr(detail['affectedEntities']).filter(isObject)) {
    const value = str(entity['entityArn']) ?? str(entity['entityValue']);
    if (value) resources.push(healthEntity(value, service));
    for (const [k, v] of Object.entries(stringRecord(entity['tags']))) labels[`tag:${k}`] = v;
  }
  // A set, not `resources.some`: an event may name 100k resources (quadratic took a minute).
  const seen = new Set<string>();
  for (const x of resources) {
    seen.add(x.name);
    if (x.arn) seen.add(x.arn);
  }
  for (const r of env.resources) {
    if (seen.has(r)) continue;
    const entity = healthEntity(r, service);
    resources.push(entity);
    seen.add(entity.name);
    if (entity.arn) seen.add(entity.arn);
  }
  const eventArn = parseArn(detail['eventArn']);
  if (code) labels['eventTypeCode'] = code;
  if (category) labels['eventTypeCategory'] = category;
  if (statusCode) labels['statusCode'] = statusCode;
  const scope = str(detail['eventScopeCode']);
  if (scope) labels['eventScopeCode'] = scope;
  const start = firstTime(detail['startTime']);
  const time = firstTime(env.time);
  // Scheduled changes start in the future: look around whichever came first.
  const occurredAtMs = start !== undefined && time !== undefined ? Math.min(start, time) : start ?? time;
  return {
    idSeed: eventArn ? `health:${eventArn.arn}|${env.idSeed}` : env.idSeed,
    source: 'aws-health',
    title: `${env.detailType}: ${[service, code].filter(Boolean).join(' ') || 'event'}`,
    severity: healthSeverity(category, statusCode),
    occurredAtMs,
    state: statusCode,
    reason: description && description.length > 500 ? `${description.slice(0, 499)}…` : description,
    region: env.region ?? regionCode(detail['eventRegion']) ?? eventArn?.region,
    accountId: env.accountId,
    resources,
    labels,
    inlineEvidence: description ? [description] : undefined,
  };
}

/** EventBridge events from `aws.eks` (`EKS Fargate Pod Scheduled Termination`, others generically). */
export function fromEksEvent(env: Envelope, detail: JsonObject): IncidentDraft {
  const cluster = str(detail['clusterName']) ?? str(obj(detail['requestParameters'])?.['name']);
  const podName = str(detail['podName']);
  const namespace = str(detail['podNamespace']) ?? str(detail['namespace']);
  const evictError = str(detail['evictErrorMessage']);
  const resources: ResourceRef[] = [];
  if (cluster) resources.push({ type: 'AWS::EKS::Cluster', name: cluster });
  if (podName) resources.push({ type: 'Pod', name: podName, ...(namespace ? { namespace } : {}), ...(cluster ? { cluster } : {}) });
  for (const r of env.resources) {
    const fromArn = resourceFromArn(r);
    if (fromArn) resources.push(fromArn);
    else if (/^[a-z0-9.-]+\/[a-z0-9.-]+$/.test(r)) resources.push({ type: 'Workload', name: r.split('/')[1]!, namespace: r.split('/')[0]!, ...(cluster ? { cluster } : {}) });
  }
  const labels: Record<string, string> = {};
  for (const key of ['fargateProfileName', 'scheduledTerminationTime'] as const) {
    const value = str(detail[key]);
    if (value) labels[key] = value;
  }
  const isTermination = /Scheduled Termination/i.test(env.detailType);
  return {
    idSeed: env.idSeed,
    source: 'eks',
    title: `${env.detailType}${podName ? `: ${namespace ? `${namespace}/` : ''}${podName}` : cluster ? `: ${cluster}` : ''}`,
    severity: isTermination || evictError ? 'medium' : 'info',
    occurredAtMs: firstTime(env.time),
    reason: evictError,
    region: env.region,
    accountId: env.accountId,
    resources,
    cluster,
    namespace,
    labels,
    inlineEvidence: evictError ? [evictError] : undefined,
  };
}

/** EventBridge `Batch Job State Change`. */
export function fromBatchJobStateChange(env: Envelope, detail: JsonObject): IncidentDraft {
  const jobName = str(detail['jobName']);
  const status = str(detail['status']);
  const statusReason = str(detail['statusReason']);
  const container = obj(detail['container']);
  const lines: string[] = [];
  if (statusReason) lines.push(statusReason);
  const containerReason = str(container?.['reason']);
  if (containerReason) lines.push(`container: ${containerReason}${container?.['exitCode'] !== undefined ? `, exit code ${String(container['exitCode'])}` : ''}`);
  for (const attempt of arr(detail['attempts']).filter(isObject)) {
    const reason = str(attempt['statusReason']) ?? str(obj(attempt['container'])?.['reason']);
    if (reason && !lines.includes(reason)) lines.push(reason);
  }
  const failed = status === 'FAILED';
  const resources = arnResources(env);
  const queue = resourceFromArn(str(detail['jobQueue']) ?? '');
  if (queue) resources.push(queue);
  const labels: Record<string, string> = {};
  const logStream = str(container?.['logStreamName']);
  if (logStream) labels['logStreamName'] = logStream;
  if (queue) labels['jobQueue'] = queue.name;
  return {
    idSeed: env.idSeed,
    source: 'eventbridge',
    title: `${env.detailType}: ${jobName ?? str(detail['jobId']) ?? 'job'} ${status ?? ''}`.trim(),
    severity: failed ? 'high' : 'info',
    occurredAtMs: firstTime(env.time, detail['stoppedAt'], detail['createdAt']),
    state: status,
    reason: statusReason ?? containerReason,
    region: env.region,
    accountId: env.accountId,
    resources,
    labels,
    inlineEvidence: lines.length > 0 ? lines : undefined,
    hintedCategory: failed ? hintFromText(...lines) ?? 'job_failed' : undefined,
  };
}

/** EC2 Auto Scaling events (`EC2 Instance Launch Unsuccessful`, `… Terminate Successful`, …). */
export function fromAutoScalingEvent(env: Envelope, detail: JsonObject): IncidentDraft {
  const group = str(detail['AutoScalingGroupName']);
  const instance = str(detail['EC2InstanceId']);
  const statusCode = str(detail['StatusCode']);
  const texts = [str(detail['StatusMessage']), str(detail['Cause']), str(detail['Description'])].filter((t): t is string => Boolean(t));
  const unsuccessful = /unsuccessful/i.test(env.detailType) || statusCode === 'Failed' || statusCode === 'Cancelled';
  const resources = arnResources(env);
  if (group) resources.push({ type: 'AWS::AutoScaling::AutoScalingGroup', name: group });
  if (instance) resources.push({ type: 'AWS::EC2::Instance', name: instance });
  return {
    idSeed: env.idSeed,
    source: 'eventbridge',
    title: `${env.detailType}: ${group ?? 'Auto Scaling group'}${instance ? ` ${instance}` : ''}`,
    severity: unsuccessful ? 'high' : 'info',
    occurredAtMs: firstTime(env.time, detail['EndTime'], detail['StartTime']),
    state: statusCode,
    reason: str(detail['StatusMessage']) ?? str(detail['Cause']),
    region: env.region,
    accountId: env.accountId,
    resources,
    labels: {},
    inlineEvidence: unsuccessful && texts.length > 0 ? texts : undefined,
    hintedCategory: unsuccessful ? hintFromText(...texts) : undefined,
  };
}

/** CodeDeploy deployment / instance state-change notifications. */
export function fromCodeDeployEvent(env: Envelope, detail: JsonObject): IncidentDraft {
  const application = str(detail['application']);
  const group = str(detail['deploymentGroup']);
  const state = str(detail['state']);
  const deploymentId = str(detail['deploymentId']);
  return {
    idSeed: env.idSeed,
    source: 'eventbridge',
    title: `${env.detailType}: ${[application, group].filter(Boolean).join('/') || 'deployment'} ${state ?? ''}`.trim(),
    severity: state === 'FAILURE' ? 'high' : state === 'STOP' ? 'medium' : 'info',
    occurredAtMs: firstTime(env.time),
    state,
    region: env.region ?? regionCode(detail['region']),
    accountId: env.accountId,
    resources: arnResources(env),
    labels: { ...(deploymentId ? { deploymentId } : {}) },
  };
}

/** Any other EventBridge event: detail-type as title, ARNs as resources, a status-word severity. */
export function fromGenericEvent(env: Envelope, detail: JsonObject): IncidentDraft {
  const state = str(detail['status']) ?? str(detail['state']) ?? str(detail['eventName']);
  const error = str(detail['error']);
  const cause = str(detail['cause']);
  const reason = str(detail['statusReason']) ?? str(detail['reason']) ?? str(detail['errorMessage'])
    ?? (error || cause ? [error, cause].filter(Boolean).join(': ') : undefined) ?? str(detail['message']);
  const signal = [state, str(detail['eventType']), str(detail['severity'])].filter(Boolean).join(' ');
  const bad = /fail|error|unhealthy|impaired|critical|abort|timed.?out/i.test(signal);
  const resources: ResourceRef[] = env.resources.map((r) => resourceFromArn(r) ?? { type: 'Resource', name: r });
  return {
    idSeed: env.idSeed,
    source: 'eventbridge',
    title: env.detailType,
    severity: bad ? 'high' : 'info',
    occurredAtMs: firstTime(env.time),
    state,
    reason,
    region: env.region,
    accountId: env.accountId,
    resources,
    labels: { eventSource: env.eventSource },
    inlineEvidence: bad && reason ? [reason] : undefined,
    hintedCategory: bad ? hintFromText(reason) : undefined,
  };
}
