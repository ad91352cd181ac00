/**
 * Readers for the three CloudWatch alarm payloads:
 *
 * - EventBridge `CloudWatch Alarm State Change` (and `CloudWatch Alarm Configuration Change`):
 *   CloudWatch User Guide, "Alarm events and EventBridge" — `detail.{alarmName, state,
 *   previousState, configuration{description, metrics[], alarmRule, …}}`.
 * - The alarm-action payload a Lambda function receives when an alarm invokes it directly:
 *   CloudWatch User Guide, "Lambda alarm actions" — `{source: 'aws.cloudwatch', alarmArn,
 *   accountId, time, region, alarmData{…same body…}}`.
 * - The JSON an alarm publishes to SNS (the notification's `Message`): CloudWatch User Guide,
 *   "Amazon SNS notifications" — `{AlarmName, AlarmDescription, AWSAccountId, NewStateValue,
 *   NewStateReason, StateChangeTime, Region, AlarmArn, OldStateValue, Trigger{…}}`.
 */
import type { AlarmRef, IncidentSource, MetricRef, ResourceRef } from '../../model/incident.js';
import type { IncidentDraft } from './draft.js';
import { alarmSeverity, hintFromMetrics } from './hints.js';
import {
  arr, firstTime, isAccountId, isObject, num, obj, parseArn, regionCode, str, stringRecord, type JsonObject,
} from './util.js';

/** The parts common to every alarm payload, before they become a draft. */
interface AlarmParts {
  readonly source: IncidentSource;
  readonly titlePrefix: string;
  readonly name: string;
  readonly arn?: string;
  readonly description?: string;
  readonly metrics: MetricRef[];
  readonly threshold?: number;
  readonly comparisonOperator?: string;
  readonly evaluationPeriods?: number;
  readonly treatMissingData?: string;
  readonly alarmRule?: string;
  readonly state?: string;
  readonly previousState?: string;
  readonly reason?: string;
  readonly reasonData?: JsonObject;
  readonly stateTimeMs?: number;
  readonly region?: string;
  readonly accountId?: string;
  readonly labels: Record<string, string>;
  /** Seed override (configuration changes use the event id). */
  readonly idSeed?: string;
  readonly forceType?: AlarmRef['type'];
  /** Severity to use instead of the state rule (configuration changes are informational). */
  readonly severity?: IncidentDraft['severity'];
  /** ARNs of the child alarms that triggered a composite alarm (SNS `TriggeringChildren`). */
  readonly triggeringArns?: readonly string[];
}

/** Metric queries of an EventBridge / alarm-action `configuration.metrics` array. */
function metricsFromConfiguration(metrics: unknown): MetricRef[] {
  return arr(metrics).filter(isObject).map((m) => {
    const stat = obj(m['metricStat']);
    const metric = obj(stat?.['metric']);
    return clean({
      id: str(m['id']),
      namespace: str(metric?.['namespace']),
      name: str(metric?.['name']),
      dimensions: stringRecord(metric?.['dimensions']),
      stat: str(stat?.['stat']),
      periodSeconds: num(stat?.['period']) ?? num(m['period']),
      expression: str(m['expression']),
      returnData: typeof m['returnData'] === 'boolean' ? m['returnData'] : undefined,
    });
  });
}

/** `[{name, value}]` dimension lists of SNS alarm messages as a record. */
function dimensionList(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of arr(value)) {
    if (!isObject(d)) continue;
    const name = str(d['name']) ?? str(d['Name']);
    const val = str(d['value']) ?? str(d['Value']);
    if (name && val !== undefined) out[name] = val;
  }
  return out;
}

/** Metric queries of an SNS alarm message's `Trigger` (single metric or `Metrics[]`). */
function metricsFromTrigger(trigger: JsonObject): MetricRef[] {
  const list = arr(trigger['Metrics']).filter(isObject);
  if (list.length > 0) {
    return list.map((m) => {
      const stat = obj(m['MetricStat']);
      const metric = obj(stat?.['Metric']);
      return clean({
        id: str(m['Id']),
        namespace: str(metric?.['Namespace']),
        name: str(metric?.['MetricName']),
        dimensions: dimensionList(metric?.['Dimensions']),
        stat: str(stat?.['Stat']),
        periodSeconds: num(stat?.['Period']) ?? num(m['Period']),
        expression: str(m['Expression']),
        returnData: typeof m['ReturnData'] === 'boolean' ? m['ReturnData'] : undefined,
      });
    });
  }
  if (str(trigger['MetricName']) === undefined) return [];
  return [clean({
    namespace: str(trigger['Namespace']),
    name: str(trigger['MetricName']),
    dimensions: dimensionList(trigger['Dimensions']),
    stat: str(trigger['ExtendedStatistic']) ?? str(trigger['Statistic']),
    periodSeconds: num(trigger['Period']),
  })];
}

/** Drops `undefined` fields so records compare and print cleanly. */
function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Alarm names an alarm rule references: `ALARM(a) OR OK("b c") AND NOT ALARM(arn:…:alarm:d)`. */
export function childAlarmNames(rule: string): string[] {
  const names: string[] = [];
  const re = /\b(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*(?:"([^"]+)"|'([^']+)'|([^()\s][^()]*?))\s*\)/g;
  for (let m = re.exec(rule); m; m = re.exec(rule)) {
    const raw = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    const name = raw.includes(':alarm:') ? raw.slice(raw.lastIndexOf(':alarm:') + 7) : raw;
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** Comparison operator stated by a CloudWatch reason text, when the configuration omits it. */
function operatorFromReason(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  const lower = /less than the lower thresholds?/i.test(reason);
  const upper = /greater than the upper thresholds?/i.test(reason);
  if (lower && upper) return 'LessThanLowerOrGreaterThanUpperThreshold';
  if (upper) return 'GreaterThanUpperThreshold';
  if (lower) return 'LessThanLowerThreshold';
  const m = /(?:was|were) (?:not )?(greater than or equal to|greater than|less than or equal to|less than) the threshold/i.exec(reason);
  if (!m) return undefined;
  const map: Record<string, string> = {
    'greater than or equal to': 'GreaterThanOrEqualToThreshold', 'greater than': 'GreaterThanThreshold',
    'less than or equal to': 'LessThanOrEqualToThreshold', 'less than': 'LessThanThreshold',
  };
  return map[m[1]!.toLowerCase()];
}

/** `M out of the last N datapoints` → N. */
function evaluationPeriodsFromReason(reason: string | undefined): number | undefined {
  const m = /(?<!\d)\d+ out of the last (\d+) datapoints?/i.exec(reason ?? '');
  return m ? Number(m[1]) : undefined;
}

/** `- TreatMissingData:     missing` (as SNS messages print it) → `missing`. */
function cleanTreatMissingData(value: unknown): string | undefined {
  const text = str(value);
  if (!text) return undefined;
  return str(text.replace(/^-?\s*TreatMissingData:\s*/i, ''));
}

function parseJsonObject(value: unknown): JsonObject | undefined {
  if (isObject(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Resources the metric dimensions name (CloudWatch dimension names per service). */
function resourcesFromMetrics(metrics: readonly MetricRef[]): { resources: ResourceRef[]; cluster?: string; namespace?: string; functionName?: string } {
  const resources: ResourceRef[] = [];
  let cluster: string | undefined;
  let namespace: string | undefined;
  let functionName: string | undefined;
  for (const metric of metrics) {
    const d = metric.dimensions;
    const ns = metric.namespace ?? '';
    const isEcs = ns === 'AWS/ECS' || ns === 'ECS/ContainerInsights';
    if (d['ClusterName']) {
      cluster ??= d['ClusterName'];
      resources.push({ type: isEcs ? 'AWS::ECS::Cluster' : ns === 'ContainerInsights' || ns === 'AWS/EKS' ? 'AWS::EKS::Cluster' : 'Cluster', name: d['ClusterName'] });
    }
    if (ns === 'ContainerInsights' && d['Namespace']) namespace ??= d['Namespace'];
    if (d['FunctionName']) {
      functionName ??= d['FunctionName'];
      resources.push({ type: 'AWS::Lambda::Function', name: d['FunctionName'] });
    }
    const simple: ReadonlyArray<readonly [string, string]> = [
      ['InstanceId', 'AWS::EC2::Instance'], ['AutoScalingGroupName', 'AWS::AutoScaling::AutoScalingGroup'],
      ['QueueName', 'AWS::SQS::Queue'], ['DBInstanceIdentifier', 'AWS::RDS::DBInstance'],
      ['DBClusterIdentifier', 'AWS::RDS::DBCluster'], ['LoadBalancer', 'AWS::ElasticLoadBalancingV2::LoadBalancer'],
      ['TargetGroup', 'AWS::ElasticLoadBalancingV2::TargetGroup'], ['TableName', 'AWS::DynamoDB::Table'],
      ['ApiName', 'AWS::ApiGateway::RestApi'], ['ApiId', 'AWS::ApiGatewayV2::Api'], ['StateMachineArn', 'AWS::StepFunctions::StateMachine'],
      ['TopicName', 'AWS::SNS::Topic'], ['BucketName', 'AWS::S3::Bucket'], ['VolumeId', 'AWS::EC2::Volume'],
    ];
    for (const [dim, type] of simple) if (d[dim]) resources.push({ type, name: d[dim]! });
    if (isEcs && d['ServiceName']) resources.push({ type: 'AWS::ECS::Service', name: d['ServiceName'], cluster: d['ClusterName'] });
    if (ns === 'ContainerInsights') {
      if (d['PodName']) resources.push({ type: 'Pod', name: d['PodName'], namespace: d['Namespace'], cluster: d['ClusterName'] });
      if (d['Service']) resources.push({ type: 'Service', name: d['Service'], namespace: d['Namespace'], cluster: d['ClusterName'] });
      if (d['NodeName']) resources.push({ type: 'Node', name: d['NodeName'], cluster: d['ClusterName'] });
    }
  }
  return { resources, cluster, namespace, functionName };
}

function alarmType(parts: AlarmParts, thresholdMetricId?: string): AlarmRef['type'] {
  if (parts.forceType) return parts.forceType;
  if (parts.alarmRule) return 'composite';
  if (thresholdMetricId || parts.metrics.some((m) => /ANOMALY_DETECTION_BAND/i.test(m.expression ?? ''))) return 'anomaly-detection';
  if (parts.metrics.some((m) => m.expression)) return 'metric-math';
  return 'metric';
}

/** Turns the common alarm parts into a draft. */
function draftFromParts(parts: AlarmParts, thresholdMetricId?: string): IncidentDraft {
  const type = alarmType(parts, thresholdMetricId);
  const children = parts.alarmRule ? childAlarmNames(parts.alarmRule) : undefined;
  const threshold = parts.threshold ?? num(parts.reasonData?.['threshold']);
  const alarm: AlarmRef = clean({
    name: parts.name,
    arn: parts.arn,
    type,
    description: parts.description,
    metrics: parts.metrics,
    threshold,
    comparisonOperator: parts.comparisonOperator ?? (type === 'composite' ? undefined : operatorFromReason(parts.reason)),
    evaluationPeriods: parts.evaluationPeriods ?? evaluationPeriodsFromReason(parts.reason),
    treatMissingData: parts.treatMissingData,
    alarmRule: parts.alarmRule,
    children,
  });
  const fromMetrics = resourcesFromMetrics(parts.metrics);
  const resources: ResourceRef[] = [{ type: 'AWS::CloudWatch::Alarm', name: parts.name, ...(parts.arn ? { arn: parts.arn } : {}) }];
  for (const child of children ?? []) resources.push({ type: 'AWS::CloudWatch::Alarm', name: child });
  // Composite alarms: the child alarms that triggered the transition (reasonData.triggeringAlarms).
  const triggering = [
    ...arr(parts.reasonData?.['triggeringAlarms']).filter(isObject).map((t) => t['arn']),
    ...(parts.triggeringArns ?? []),
  ];
  for (const value of triggering) {
    const arn = parseArn(value);
    if (arn) resources.push({ type: 'AWS::CloudWatch::Alarm', name: arn.resource.replace(/^alarm:/, ''), arn: arn.arn });
  }
  resources.push(...fromMetrics.resources);
  const period = Math.max(0, ...parts.metrics.map((m) => m.periodSeconds ?? 0));
  const span = period > 0 && alarm.evaluationPeriods ? Math.ceil((period * alarm.evaluationPeriods) / 60) : undefined;
  const stateIso = parts.stateTimeMs !== undefined ? new Date(parts.stateTimeMs).toISOString() : 'no-time';
  const transition = parts.previousState && parts.state ? `${parts.previousState} → ${parts.state}` : parts.state ?? 'state unknown';
  return clean({
    idSeed: parts.idSeed ?? `alarm:${parts.arn ?? parts.name}|${stateIso}`,
    source: parts.source,
    title: `${parts.titlePrefix}: ${parts.name} ${transition}`,
    severity: parts.severity ?? alarmSeverity(parts.state, parts.name, parts.description),
    occurredAtMs: parts.stateTimeMs,
    state: parts.state,
    previousState: parts.previousState,
    reason: parts.reason,
    region: parts.region,
    accountId: parts.accountId,
    resources,
    alarm,
    cluster: fromMetrics.cluster,
    namespace: fromMetrics.namespace,
    functionName: fromMetrics.functionName,
    labels: parts.labels,
    hintedCategory: hintFromMetrics(parts.metrics),
    minLookbackMinutes: span,
  });
}

/** Reads the body shared by EventBridge `detail` and alarm-action `alarmData`. */
function partsFromBody(
  body: JsonObject,
  envelope: { source: IncidentSource; titlePrefix: string; arn?: string; region?: string; accountId?: string; time?: unknown },
): AlarmParts | undefined {
  const name = str(body['alarmName']);
  if (!name) return undefined;
  const state = obj(body['state']);
  const previous = obj(body['previousState']);
  const config = obj(body['configuration']) ?? {};
  const labels: Record<string, string> = {};
  const suppressedBy = str(state?.['actionsSuppressedBy']);
  if (suppressedBy) labels['actionsSuppressedBy'] = suppressedBy;
  const suppressor = str(config['actionsSuppressor']);
  if (suppressor) labels['actionsSuppressor'] = suppressor;
  return {
    source: envelope.source,
    titlePrefix: envelope.titlePrefix,
    name,
    arn: envelope.arn,
    description: str(config['description']) ?? str(config['alarmDescription']),
    metrics: metricsFromConfiguration(config['metrics']),
    threshold: num(config['threshold']),
    comparisonOperator: str(config['comparisonOperator']),
    evaluationPeriods: num(config['evaluationPeriods']),
    treatMissingData: str(config['treatMissingData']),
    alarmRule: str(config['alarmRule']),
    state: str(state?.['value']),
    previousState: str(previous?.['value']),
    reason: str(state?.['reason']),
    reasonData: parseJsonObject(state?.['reasonData']),
    stateTimeMs: firstTime(state?.['timestamp'], envelope.time),
    region: envelope.region,
    accountId: envelope.accountId,
    labels,
  };
}

/** Region and account of an envelope: explicit fields first, then the alarm ARN. */
function placement(arnText: unknown, region: unknown, account: unknown): { arn?: string; region?: string; accountId?: string } {
  const arn = parseArn(arnText);
  return {
    arn: arn?.arn ?? str(arnText),
    region: regionCode(region) ?? arn?.region,
    accountId: isAccountId(account) ? account : arn?.accountId,
  };
}

/**
 * EventBridge `CloudWatch Alarm State Change`. Also reads the hybrid some fixtures carry
 * (EventBridge envelope with the body under `alarmData` instead of `detail`).
 * @returns `undefined` when the body has no `alarmName`.
 */
export function fromEventBridgeAlarm(event: JsonObject, body: JsonObject): IncidentDraft | undefined {
  const where = placement(arr(event['resources']).find((r) => typeof r === 'string' && r.includes(':alarm:')), event['region'], event['account']);
  const parts = partsFromBody(body, { source: 'cloudwatch-alarm', titlePrefix: 'CloudWatch Alarm State Change', ...where, time: event['time'] });
  return parts ? draftFromParts(parts) : undefined;
}

/** EventBridge `CloudWatch Alarm Configuration Change` (create/update/delete): kept as an `eventbridge` incident with the alarm attached. */
export function fromAlarmConfigurationChange(event: JsonObject, body: JsonObject, eventId: string): IncidentDraft | undefined {
  const where = placement(arr(event['resources']).find((r) => typeof r === 'string'), event['region'], event['account']);
  const parts = partsFromBody(body, { source: 'eventbridge', titlePrefix: 'CloudWatch Alarm Configuration Change', ...where, time: event['time'] });
  if (!parts) return undefined;
  const operation = str(body['operation']);
  return draftFromParts({
    ...parts,
    titlePrefix: `CloudWatch Alarm Configuration Change (${operation ?? 'change'})`,
    idSeed: `event:${eventId}`,
    severity: 'info',
    stateTimeMs: firstTime(event['time'], parts.stateTimeMs),
    labels: { ...parts.labels, ...(operation ? { operation } : {}) },
  });
}

/** The payload of a Lambda alarm action (`source: aws.cloudwatch`, `alarmData`). */
export function fromAlarmAction(payload: JsonObject, alarmData: JsonObject): IncidentDraft | undefined {
  const where = placement(payload['alarmArn'], payload['region'], payload['accountId']);
  const parts = partsFromBody(alarmData, { source: 'cloudwatch-alarm-action', titlePrefix: 'CloudWatch alarm action', ...where, time: payload['time'] });
  return parts ? draftFromParts(parts) : undefined;
}

/**
 * The JSON message a CloudWatch alarm publishes to SNS.
 * @param sns the SNS notification around it (subject, timestamp), when known.
 */
export function fromSnsAlarmMessage(message: JsonObject, sns: JsonObject | undefined): IncidentDraft | undefined {
  const name = str(message['AlarmName']);
  if (!name) return undefined;
  const trigger = obj(message['Trigger']) ?? {};
  const where = placement(message['AlarmArn'], message['Region'], message['AWSAccountId']);
  const labels: Record<string, string> = {};
  const subject = str(sns?.['Subject']);
  if (subject) labels['snsSubject'] = subject;
  const topic = str(sns?.['TopicArn']);
  if (topic) labels['snsTopicArn'] = topic;
  const parts: AlarmParts = {
    source: 'cloudwatch-alarm-sns',
    titlePrefix: 'CloudWatch alarm notification',
    name,
    ...where,
    description: str(message['AlarmDescription']),
    metrics: metricsFromTrigger(trigger),
    threshold: num(trigger['Threshold']),
    comparisonOperator: str(trigger['ComparisonOperator']),
    evaluationPeriods: num(trigger['EvaluationPeriods']),
    treatMissingData: cleanTreatMissingData(trigger['TreatMissingData']),
    alarmRule: str(message['AlarmRule']),
    state: str(message['NewStateValue']),
    previousState: str(message['OldStateValue']),
    reason: str(message['NewStateReason']),
    reasonData: parseJsonObject(message['NewStateReasonData']),
    stateTimeMs: firstTime(message['StateChangeTime'], sns?.['Timestamp']),
    labels,
    triggeringArns: arr(message['TriggeringChildren']).filter(isObject).map((c) => str(c['Arn']) ?? str(c['arn'])).filter((a): a is string => a !== undefined),
  };
  return draftFromParts(parts, str(trigger['ThresholdMetricId']));
}
