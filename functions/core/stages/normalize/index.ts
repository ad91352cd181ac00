/**
 * The normalize stage: any event payload the product receives → one {@link Incident}.
 *
 * Shapes read (sources named in each reader's module):
 * - EventBridge `CloudWatch Alarm State Change` (metric, metric-math, anomaly-detection, composite)
 *   and `CloudWatch Alarm Configuration Change` — `alarm.ts`;
 * - the JSON a CloudWatch alarm publishes to SNS, raw, inside an SNS notification, inside a Lambda
 *   SNS event (`Records[].Sns`), or inside an SQS message — `alarm.ts`;
 * - the Lambda alarm-action payload (`source: aws.cloudwatch`, `alarmData`) — `alarm.ts`;
 * - EventBridge ECS task / service action / deployment / container instance events — `ecs.ts`;
 * - EventBridge EC2 state change, AWS Health, EKS, Batch, Auto Scaling, CodeDeploy and any other
 *   EventBridge event (generic), delivered or as a PutEvents entry — `eventbridge.ts`;
 * - API Gateway REST (v1) and HTTP API (v2) requests whose JSON body is
 *   `{event?, evidence?, question?, context?}`, or that body alone — `api.ts`;
 * - Prometheus alerts (Alertmanager webhook or alert, Robusta/HolmesGPT wrappers) — `prometheus.ts`.
 *
 * The raw payload never enters the incident: only the fields named in {@link Incident}.
 */
import { InvalidInputError, UnsupportedEventError } from '../../model/errors.js';
import type { Incident, ResourceRef } from '../../model/incident.js';
import {
  fromAlarmAction, fromAlarmConfigurationChange, fromEventBridgeAlarm, fromSnsAlarmMessage,
} from './alarm.js';
import { fromApiBody, fromApiGatewayV1, fromApiGatewayV2, looksLikeApiBody, type ApiDraft } from './api.js';
import type { IncidentDraft } from './draft.js';
import {
  fromEcsContainerInstanceStateChange, fromEcsDeploymentStateChange, fromEcsServiceAction, fromEcsTaskStateChange,
} from './ecs.js';
import { readEnvelope } from './envelope.js';
import {
  fromAutoScalingEvent, fromBatchJobStateChange, fromCodeDeployEvent, fromEc2StateChange, fromEksEvent,
  fromGenericEvent, fromHealthEvent,
} from './eventbridge.js';
import {
  fromAlertmanagerAlert, fromAlertmanagerWebhook, fromInvestigateRequest, fromRobustaAlert, fromRobustaFinding,
} from './prometheus.js';
import {
  arr, digest, incidentId, isObject, obj, preview, str, uniqueResources, windowsFor, type JsonObject,
} from './util.js';

export { parseEventJson, locateJsonError, MAX_EVENT_BYTES } from './parse.js';
export { childAlarmNames } from './alarm.js';
export { incidentId, parseTime } from './util.js';
export { diagnosisRequestSchema, API_BODY_LIMITS } from './api.js';

/** Options of {@link normalizeEvent}. */
export interface NormalizeOptions {
  /** Names the input in errors and labels (a path, `stdin`, `event`, `body`). */
  readonly input: string;
  /**
   * Minutes before `occurredAt` the window starts; default 30. Must be in (0, 10080]. When not
   * given and an alarm evaluates a longer span (period × evaluation periods), the window grows to
   * that span (at most 24 h).
   */
  readonly lookbackMinutes?: number;
  /** The time used when the payload carries none (and for manual incidents); default: the clock. */
  readonly now?: Date;
  /**
   * Reads evidence texts for their own time and subject (the diagnose use case passes one built
   * on the collect stage's parsers). Used for an API body with evidence and no event (and no
   * `context.since`): the incident's time is then the evidence's, and its resource the subject the
   * evidence names when the body names none. Without it, the request time is used.
   */
  readonly readEvidence?: (texts: readonly string[]) => { readonly atMs?: number; readonly subject?: ResourceRef };
}

/** Default look-back before `occurredAt`, minutes. */
export const DEFAULT_LOOKBACK_MINUTES = 30;
const MAX_LOOKBACK_MINUTES = 7 * 24 * 60;
const MAX_ALARM_SPAN_MINUTES = 24 * 60;
const MAX_NESTING = 4;

/** EventBridge `detail-type`s (with their `source`) that have a dedicated reader. */
function eventBridgeKind(source: string, detailType: string): string {
  if (source === 'aws.cloudwatch' && detailType === 'CloudWatch Alarm State Change') return 'cloudwatch-alarm-state-change';
  if (source === 'aws.cloudwatch' && detailType === 'CloudWatch Alarm Configuration Change') return 'cloudwatch-alarm-configuration-change';
  if (source === 'aws.ecs') {
    const ecs: Record<string, string> = {
      'ECS Task State Change': 'ecs-task-state-change', 'ECS Service Action': 'ecs-service-action',
      'ECS Deployment State Change': 'ecs-deployment-state-change', 'ECS Container Instance State Change': 'ecs-container-instance-state-change',
    };
    if (ecs[detailType]) return ecs[detailType]!;
  }
  if (source === 'aws.ec2' && detailType === 'EC2 Instance State-change Notification') return 'ec2-instance-state-change';
  if (source === 'aws.health' || /^AWS Health (Abuse )?Event$/.test(detailType)) return 'aws-health';
  if (source === 'aws.eks') return 'eks';
  if (source === 'aws.batch' && detailType === 'Batch Job State Change') return 'batch-job-state-change';
  if (source === 'aws.autoscaling') return 'autoscaling';
  if (source === 'aws.codedeploy') return 'codedeploy';
  return 'generic';
}

/**
 * Names the payload's shape, for diagnostics and the events evaluation, without reading it
 * fully. Names: `eventbridge:<kind>` (e.g. `eventbridge:ecs-task-state-change`,
 * `eventbridge:generic`), `eventbridge-putevents-entry`, `eventbridge-putevents-entries`,
 * `eventbridge-rule-pattern`, `cloudwatch-alarm-action`, `cloudwatch-alarm-sns-message`,
 * `sns-notification`, `lambda-sns-event`, `lambda-sqs-event`, `lambda-kinesis-event`,
 * `lambda-records-event`, `cloudwatch-logs-subscription`, `cloudwatch-logs-subscription-decoded`,
 * `apigateway-rest-v1`, `apigateway-http-v2`, `api-body`, `alertmanager-webhook`,
 * `alertmanager-alert`, `robusta-alert`, `robusta-finding`, `investigate-request`,
 * `aws-api-response`.
 * @returns the shape name, or `undefined` when the payload is none of these.
 * @example
 * detectEventShape({ 'detail-type': 'ECS Task State Change', source: 'aws.ecs', detail: {} }); // 'eventbridge:ecs-task-state-change'
 * detectEventShape({ Records: [{ Sns: { Message: '…' } }] }); // 'lambda-sns-event'
 */
export function detectEventShape(payload: unknown): string | undefined {
  if (Array.isArray(payload)) {
    if (payload.length > 0 && payload.every((e) => isObject(e) && 'DetailType' in e && 'Source' in e)) return 'eventbridge-putevents-entries';
    return undefined;
  }
  if (!isObject(payload)) return undefined;
  const p = payload;
  if (isObject(p['awslogs'])) return 'cloudwatch-logs-subscription';
  if (typeof p['logGroup'] === 'string' && Array.isArray(p['logEvents'])) return 'cloudwatch-logs-subscription-decoded';
  const detailType = p['detail-type'];
  const source = p['source'];
  if (Array.isArray(detailType) || Array.isArray(source)) return 'eventbridge-rule-pattern';
  if (typeof detailType === 'string' && typeof source === 'string') return `eventbridge:${eventBridgeKind(source, detailType)}`;
  if (typeof p['DetailType'] === 'string' && 'Detail' in p) return 'eventbridge-putevents-entry';
  if (source === 'aws.cloudwatch' && isObject(p['alarmData'])) return 'cloudwatch-alarm-action';
  if (Array.isArray(p['Records'])) {
    const first = p['Records'].find(isObject);
    if (first && isObject(first['Sns'])) return 'lambda-sns-event';
    if (first && first['eventSource'] === 'aws:sqs') return 'lambda-sqs-event';
    if (first && isObject(first['kinesis'])) return 'lambda-kinesis-event';
    return 'lambda-records-event';
  }
  if (p['Type'] === 'Notification' && 'Message' in p) return 'sns-notification';
  if (typeof p['AlarmName'] === 'string' && ('NewStateValue' in p || 'Trigger' in p)) return 'cloudwatch-alarm-sns-message';
  const requestContext = obj(p['requestContext']);
  if (requestContext && isObject(requestContext['http']) && p['version'] === '2.0') return 'apigateway-http-v2';
  if (requestContext && typeof p['httpMethod'] === 'string') return 'apigateway-rest-v1';
  if (Array.isArray(p['alerts']) && ('receiver' in p || 'groupLabels' in p || 'version' in p || 'commonLabels' in p)) return 'alertmanager-webhook';
  if (isObject(p['raw']) && isObject(p['raw']['labels'])) return 'robusta-alert';
  if (('subject_name' in p || 'subject_type' in p) && ('aggregation_key' in p || 'title' in p)) return 'robusta-finding';
  if (isObject(p['labels']) && typeof p['labels']['alertname'] === 'string' && ('startsAt' in p || 'annotations' in p)) return 'alertmanager-alert';
  if (isObject(p['subject']) && typeof p['title'] === 'string') return 'investigate-request';
  if (looksLikeApiBody(p)) return 'api-body';
  if (isObject(p['ResponseMetadata']) || 'MetricAlarms' in p || 'CompositeAlarms' in p || ('events' in p && 'searchedLogStreams' in p) || ('results' in p && 'statistics' in p)) return 'aws-api-response';
  return undefined;
}

/** Why a payload of no known shape cannot be read. */
function unknownShapeError(payload: unknown, input: string): UnsupportedEventError {
  if (payload === null) return new UnsupportedEventError(input, 'not an AWS event: the JSON value is null');
  if (Array.isArray(payload)) return new UnsupportedEventError(input, `not an AWS event: a JSON array of ${payload.length} item(s) (an event is a JSON object; PutEvents entries need 'Source', 'DetailType' and 'Detail')`);
  if (!isObject(payload)) return new UnsupportedEventError(input, `not an AWS event: a JSON ${typeof payload} (${preview(payload, 30)})`);
  const keys = Object.keys(payload);
  if (keys.length === 0) return new UnsupportedEventError(input, 'not an AWS event: an empty JSON object');
  return new UnsupportedEventError(input, `not an AWS event: no 'source'/'detail-type', no 'Records', no 'AlarmName' (top-level keys: ${preview(keys.join(', '), 80)})`);
}

/** Converts a PutEvents request entry (`Source`, `DetailType`, `Detail` as a JSON string) to the delivered form. */
function fromPutEventsEntry(entry: JsonObject, input: string): JsonObject {
  const detailType = str(entry['DetailType']) ?? '';
  let detail: unknown = entry['Detail'];
  if (typeof detail === 'string') {
    try {
      detail = JSON.parse(detail);
    } catch (error) {
      throw new UnsupportedEventError(input, `PutEvents entry with DetailType '${detailType}': Detail is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  return {
    'detail-type': detailType,
    source: entry['Source'],
    time: entry['Time'],
    resources: entry['Resources'],
    detail,
    ...(str(entry['EventBusName']) ? { 'event-bus-name': entry['EventBusName'] } : {}),
  };
}

/** One record of a `Records[]` event; several identical deliveries count as one. */
function singleRecord(records: unknown[], key: (r: JsonObject) => string | undefined, what: string, input: string): JsonObject {
  const objects = records.filter(isObject);
  if (objects.length === 0) throw new UnsupportedEventError(input, `${what} has no records`);
  const distinct = new Set(objects.map((r, i) => key(r) ?? `#${i}`));
  if (distinct.size > 1) {
    throw new UnsupportedEventError(input, `${what} carries ${distinct.size} different records; normalize each record separately`);
  }
  return objects[0]!;
}

/** An SNS notification: the CloudWatch alarm JSON it carries, or an event it wraps. */
function fromSnsNotification(sns: JsonObject, input: string, depth: number): IncidentDraft {
  const message = sns['Message'];
  const topic = str(sns['TopicArn']) ?? 'unknown topic';
  const subject = str(sns['Subject']);
  const where = `SNS notification (topic ${topic}${subject ? `, subject '${preview(subject, 40)}'` : ''})`;
  if (typeof message !== 'string' || message.trim() === '') throw new UnsupportedEventError(input, `${where} has no Message`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new UnsupportedEventError(input, `${where}: Message is plain text, not a CloudWatch alarm notification or an event ('${preview(message, 40)}')`);
  }
  const object = obj(parsed);
  if (object && typeof object['AlarmName'] === 'string') {
    const draft = fromSnsAlarmMessage(object, sns);
    if (draft) return draft;
  }
  if (detectEventShape(parsed) === undefined) {
    const keys = object ? Object.keys(object).join(', ') : typeof parsed;
    throw new UnsupportedEventError(input, `${where}: Message is JSON but not a CloudWatch alarm notification (no 'AlarmName') or an event (keys: ${preview(keys, 60)})`);
  }
  return readPayload(parsed, input, depth + 1);
}

/** Deepest object/array nesting AWS payloads need is far below this; deeper input is refused. */
export const MAX_JSON_DEPTH = 64;

/** Nesting depth of a JSON value, measured iteratively (no recursion), stopping past `limit`. */
function jsonDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth]);
  }
  return max;
}

/** Reads any supported payload into a draft. */
function readPayload(payload: unknown, input: string, depth: number): IncidentDraft {
  if (depth > MAX_NESTING) throw new UnsupportedEventError(input, `events nested more than ${MAX_NESTING} levels deep`);
  if (jsonDepth(payload, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new InvalidInputError(input, `payload nests objects/arrays more than ${MAX_JSON_DEPTH} levels deep; no event shape does`);
  }
  const shape = detectEventShape(payload);
  if (shape === undefined) throw unknownShapeError(payload, input);
  const p = payload as JsonObject;
  const nested = (event: unknown): IncidentDraft => readPayload(event, input, depth + 1);

  if (shape.startsWith('eventbridge:')) {
    const env = readEnvelope(p);
    const detail = obj(p['detail']);
    const kind = shape.slice('eventbridge:'.length);
    if (kind === 'cloudwatch-alarm-state-change') {
      const body = detail ?? obj(p['alarmData']);
      if (!body) throw new UnsupportedEventError(input, `EventBridge event with detail-type '${env.detailType}' has no detail object`);
      const draft = fromEventBridgeAlarm(p, body);
      if (!draft) throw new UnsupportedEventError(input, `EventBridge event with detail-type '${env.detailType}': detail has no alarmName`);
      return draft;
    }
    if (!detail) throw new UnsupportedEventError(input, `EventBridge event with detail-type '${env.detailType}' has no detail object`);
    switch (kind) {
      case 'cloudwatch-alarm-configuration-change': {
        const draft = fromAlarmConfigurationChange(p, detail, str(p['id']) ?? digest(JSON.stringify(p)));
        if (!draft) throw new UnsupportedEventError(input, `EventBridge event with detail-type '${env.detailType}': detail has no alarmName`);
        return draft;
      }
      case 'ecs-task-state-change': return fromEcsTaskStateChange(env, detail);
      case 'ecs-service-action': return fromEcsServiceAction(env, detail);
      case 'ecs-deployment-state-change': return fromEcsDeploymentStateChange(env, detail);
      case 'ecs-container-instance-state-change': return fromEcsContainerInstanceStateChange(env, detail);
      case 'ec2-instance-state-change': return fromEc2StateChange(env, detail);
      case 'aws-health': return fromHealthEvent(env, detail);
      case 'eks': return fromEksEvent(env, detail);
      case 'batch-job-state-change': return fromBatchJobStateChange(env, detail);
      case 'autoscaling': return fromAutoScalingEvent(env, detail);
      case 'codedeploy': return fromCodeDeployEvent(env, detail);
      default:
        // Other AWS services' events are kept generically; an event from a source that is not an
        // AWS service (a custom bus's `acme.orders`) is not one this product reads.
        if (!/^aws\.[a-z0-9-]+$/.test(env.eventSource ?? '')) {
          throw new UnsupportedEventError(input, `unknown event type: source '${env.eventSource ?? '(none)'}', detail-type '${env.detailType}' is not an AWS service event; supported: CloudWatch alarms, ECS, EC2, AWS Health, EKS, Batch, Auto Scaling, CodeDeploy and other aws.* EventBridge events, SNS alarm notifications, API Gateway requests, Prometheus alerts`);
        }
        return fromGenericEvent(env, detail);
    }
  }

  switch (shape) {
    case 'eventbridge-rule-pattern':
      throw new UnsupportedEventError(input, "an EventBridge rule pattern ('source'/'detail-type' are lists), not an event");
    case 'eventbridge-putevents-entries': {
      const entries = payload as JsonObject[];
      if (entries.length > 1) throw new UnsupportedEventError(input, `a list of ${entries.length} PutEvents entries; normalize each entry separately`);
      return nested(fromPutEventsEntry(entries[0]!, input));
    }
    case 'eventbridge-putevents-entry':
      return nested(fromPutEventsEntry(p, input));
    case 'cloudwatch-logs-subscription':
    case 'cloudwatch-logs-subscription-decoded':
      throw new UnsupportedEventError(input, 'a CloudWatch Logs subscription payload is log evidence, not an incident event (pass it as evidence)');
    case 'lambda-kinesis-event':
      throw new UnsupportedEventError(input, 'a Kinesis stream event (e.g. CloudWatch Logs subscription data) is log evidence, not an incident event (pass it as evidence)');
    case 'lambda-records-event': {
      const first = arr(p['Records']).find(isObject);
      const from = str(first?.['eventSource']) ?? str(first?.['EventSource']);
      throw new UnsupportedEventError(input, `a Lambda event with Records${from ? ` from '${from}'` : ''} is not an incident event (SNS and SQS records are read)`);
    }
    case 'aws-api-response':
      throw new UnsupportedEventError(input, `an AWS API response (keys: ${preview(Object.keys(p).join(', '), 60)}), not an event; pass it as evidence`);
    case 'lambda-sns-event': {
      const record = singleRecord(arr(p['Records']), (r) => str(obj(r['Sns'])?.['MessageId']), 'Lambda SNS event', input);
      return fromSnsNotification(obj(record['Sns'])!, input, depth);
    }
    case 'sns-notification':
      return fromSnsNotification(p, input, depth);
    case 'lambda-sqs-event': {
      const record = singleRecord(arr(p['Records']), (r) => str(r['messageId']), 'Lambda SQS event', input);
      const body = record['body'];
      if (typeof body !== 'string') throw new UnsupportedEventError(input, 'Lambda SQS event: record has no body');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new UnsupportedEventError(input, `Lambda SQS event: message body is plain text, not an event ('${preview(body, 40)}')`);
      }
      return nested(parsed);
    }
    case 'cloudwatch-alarm-sns-message': {
      const draft = fromSnsAlarmMessage(p, undefined);
      if (!draft) throw new UnsupportedEventError(input, 'CloudWatch alarm notification has no AlarmName');
      return draft;
    }
    case 'cloudwatch-alarm-action': {
      const draft = fromAlarmAction(p, obj(p['alarmData'])!);
      if (!draft) throw new UnsupportedEventError(input, 'CloudWatch alarm action payload: alarmData has no alarmName');
      return draft;
    }
    case 'apigateway-rest-v1': return fromApiGatewayV1(p, input, nested);
    case 'apigateway-http-v2': return fromApiGatewayV2(p, input, nested);
    case 'api-body': return fromApiBody(p, input, { kind: 'api-body' }, nested);
    case 'alertmanager-webhook': {
      const draft = fromAlertmanagerWebhook(p);
      if (!draft) throw new UnsupportedEventError(input, 'Alertmanager webhook carries no alerts');
      return draft;
    }
    case 'alertmanager-alert': return fromAlertmanagerAlert(p);
    case 'robusta-alert': return fromRobustaAlert(p, obj(p['raw'])!);
    case 'robusta-finding': return fromRobustaFinding(p);
    case 'investigate-request': return fromInvestigateRequest(p);
    default:
      throw unknownShapeError(payload, input);
  }
}

function checkNow(now: Date | undefined, input: string): void {
  if (now !== undefined && (!(now instanceof Date) || Number.isNaN(now.getTime()))) {
    throw new InvalidInputError(input, `options.now must be a valid Date, got ${String(now)}`);
  }
}

function checkLookback(value: number | undefined, input: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_LOOKBACK_MINUTES) {
    throw new InvalidInputError(input, `lookbackMinutes must be a number in (0, ${MAX_LOOKBACK_MINUTES}], got ${String(value)}`);
  }
}

/** Completes a draft: id, occurredAt, window and baseline; drops empty fields. */
function finish(draft: IncidentDraft, options: NormalizeOptions): Incident {
  const nowMs = (options.now ?? new Date()).getTime();
  const api = draft as ApiDraft;
  const read = api.fromEvidence && options.readEvidence ? options.readEvidence(draft.inlineEvidence ?? []) : undefined;
  const occurredAtMs = read?.atMs ?? draft.occurredAtMs ?? nowMs;
  if (read?.subject && draft.resources.length === 0) {
    const s = read.subject;
    draft = { ...draft, resources: [s], ...(draft.question ? {} : { title: `${draft.title} for ${s.type === 'AWS::Logs::LogGroup' ? 'log group' : s.type} ${s.namespace ? `${s.namespace}/` : ''}${s.name}` }) };
  }
  let lookback = api.requestedLookbackMinutes ?? options.lookbackMinutes ?? DEFAULT_LOOKBACK_MINUTES;
  if (api.sinceMs !== undefined && api.sinceMs < occurredAtMs) lookback = Math.ceil((occurredAtMs - api.sinceMs) / 60_000);
  else if (options.lookbackMinutes === undefined && api.requestedLookbackMinutes === undefined && draft.minLookbackMinutes) {
    lookback = Math.max(lookback, Math.min(draft.minLookbackMinutes, MAX_ALARM_SPAN_MINUTES));
  }
  lookback = Math.min(lookback, MAX_LOOKBACK_MINUTES);
  const { window, baseline } = windowsFor(occurredAtMs, lookback);
  const evidence = (draft.inlineEvidence ?? []).filter((e) => e.trim() !== '');
  const resources = uniqueResources(draft.resources);
  // A single Lambda function among the resources (e.g. a Health event's affected entity) is the function to look at.
  const functions = [...new Set(resources.filter((r) => r.type === 'AWS::Lambda::Function').map((r) => r.name))];
  const incident: Record<string, unknown> = {
    id: incidentId(draft.idSeed),
    source: draft.source,
    title: draft.title,
    severity: draft.severity,
    occurredAt: new Date(occurredAtMs).toISOString(),
    window,
    baseline,
    state: draft.state,
    previousState: draft.previousState,
    reason: draft.reason,
    region: draft.region,
    accountId: draft.accountId,
    resources,
    alarm: draft.alarm,
    cluster: draft.cluster,
    namespace: draft.namespace,
    functionName: draft.functionName ?? (functions.length === 1 ? functions[0] : undefined),
    labels: { ...draft.labels },
    question: draft.question,
    inlineEvidence: evidence.length > 0 ? evidence : undefined,
    hintedCategory: draft.hintedCategory,
  };
  for (const key of Object.keys(incident)) if (incident[key] === undefined) delete incident[key];
  return incident as unknown as Incident;
}

/**
 * Normalizes an event payload (already parsed JSON) into one incident.
 *
 * The id is `inc-` + 20 hex characters of SHA-256 over: the alarm ARN (or name) and the
 * state-transition time for alarm payloads (so the same transition delivered through
 * EventBridge, SNS or an alarm action gets one id), the event id for EventBridge events, the
 * alert fingerprint and start for Prometheus alerts, or a digest of the content otherwise.
 * The window is `[occurredAt - lookbackMinutes, occurredAt + 1 min)`; the baseline the same
 * length right before it. Severity rules: see `hints.ts`.
 *
 * @param payload the parsed JSON (see {@link parseEventJson}).
 * @throws UnsupportedEventError naming what is wrong when the payload is no shape this stage reads
 *   (e.g. "EventBridge event with detail-type 'X' has no detail object").
 * @throws InvalidInputError for a malformed API request body or bad options.
 * @example
 * const incident = normalizeEvent(parseEventJson(text, 'alarm.json'), { input: 'alarm.json' });
 * incident.alarm?.name; // 'ServerCpuTooHigh'
 */
export function normalizeEvent(payload: unknown, options: NormalizeOptions): Incident {
  if (!options || typeof options.input !== 'string') throw new InvalidInputError('options', "normalizeEvent needs options.input (the input's name)");
  checkLookback(options.lookbackMinutes, options.input);
  checkNow(options.now, options.input);
  return finish(readPayload(payload, options.input, 0), options);
}

/** Options of {@link manualIncident}. */
export interface ManualIncidentOptions {
  /** Names what the run reads (e.g. `pod.txt, app.log`); kept as label `input`. */
  readonly input?: string;
  readonly title?: string;
  /** `occurredAt`; default: the clock. */
  readonly now?: Date;
  readonly lookbackMinutes?: number;
  readonly cluster?: string;
  readonly namespace?: string;
  /** Resources the evidence names (the pod, deployment, node, PVC, log group, function), listed after cluster and namespace. */
  readonly resources?: readonly ResourceRef[];
  /** The Lambda function the evidence names. */
  readonly functionName?: string;
  /**
   * What the id derives from: pass a digest of the evidence so the same evidence gives the same
   * id. Without it the id derives from title, cluster, namespace and `now`.
   */
  readonly seed?: string;
}

/**
 * An incident for a local run without an event (`source: 'manual'`, severity `medium`).
 * @throws InvalidInputError when `lookbackMinutes` is out of range.
 * @example
 * manualIncident({ input: 'pod.txt', seed: sha256(evidenceText), namespace: 'shop' });
 */
export function manualIncident(options: ManualIncidentOptions = {}): Incident {
  const input = options.input ?? 'manual';
  checkLookback(options.lookbackMinutes, input);
  checkNow(options.now, input);
  const now = options.now ?? new Date();
  const title = str(options.title) ?? `Local diagnosis${options.namespace ? ` of namespace ${options.namespace}` : ''}${options.input ? ` (${preview(options.input, 60)})` : ''}`;
  const resources = [
    ...(options.cluster ? [{ type: 'Cluster', name: options.cluster }] : []),
    ...(options.namespace ? [{ type: 'Namespace', name: options.namespace, ...(options.cluster ? { cluster: options.cluster } : {}) }] : []),
    ...(options.resources ?? []),
  ];
  const seed = options.seed !== undefined
    ? `manual:${options.seed}`
    : `manual:${title}|${options.cluster ?? ''}|${options.namespace ?? ''}|${now.toISOString()}`;
  return finish({
    idSeed: seed,
    source: 'manual',
    title,
    severity: 'medium',
    occurredAtMs: now.getTime(),
    resources,
    cluster: options.cluster,
    namespace: options.namespace,
    ...(options.functionName ? { functionName: options.functionName } : {}),
    labels: options.input ? { input: options.input } : {},
  }, { input, lookbackMinutes: options.lookbackMinutes, now });
}
