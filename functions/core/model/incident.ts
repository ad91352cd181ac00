/**
 * The incident record: what the normalize stage makes of any event (alarm, EventBridge event,
 * API request, or a local run with no event at all).
 */
import type { Category } from './categories.js';

/** Where an incident came from: the AWS payload shape it was read from. */
export type IncidentSource =
  | 'cloudwatch-alarm' // EventBridge "CloudWatch Alarm State Change"
  | 'cloudwatch-alarm-sns' // the SNS notification a CloudWatch alarm publishes (raw or in a Lambda SNS event)
  | 'cloudwatch-alarm-action' // the payload a Lambda alarm action receives directly
  | 'ecs'
  | 'ec2'
  | 'aws-health'
  | 'eks'
  | 'eventbridge' // other EventBridge events, kept generically
  | 'api'
  | 'prometheus-alert'
  | 'manual'; // a local run without an event

/** Severity of an incident, highest first. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** A resource the incident names, spelled as AWS or Kubernetes spell it. */
export interface ResourceRef {
  /** e.g. `AWS::CloudWatch::Alarm`, `AWS::Lambda::Function`, `AWS::EKS::Cluster`, `Pod`, `Deployment`. */
  readonly type: string;
  readonly name: string;
  readonly arn?: string;
  readonly namespace?: string;
  readonly cluster?: string;
}

/** A time window, ISO-8601 UTC strings, `start` inclusive and `end` exclusive. */
export interface TimeWindow {
  readonly start: string;
  readonly end: string;
}

/** One CloudWatch metric as an alarm references it. */
export interface MetricRef {
  readonly namespace?: string;
  readonly name?: string;
  /** Dimension name → value, e.g. `{ FunctionName: 'checkout' }`. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat?: string;
  /** Period in seconds. */
  readonly periodSeconds?: number;
  /** For metric math: the query id and expression. */
  readonly id?: string;
  readonly expression?: string;
  readonly returnData?: boolean;
}

/** The alarm behind an incident, when there is one. */
export interface AlarmRef {
  readonly name: string;
  readonly arn?: string;
  readonly type: 'metric' | 'metric-math' | 'anomaly-detection' | 'composite';
  readonly description?: string;
  readonly metrics: readonly MetricRef[];
  readonly threshold?: number;
  readonly comparisonOperator?: string;
  readonly evaluationPeriods?: number;
  readonly treatMissingData?: string;
  /** Composite alarms: the rule expression, e.g. `ALARM(a) OR ALARM(b)`. */
  readonly alarmRule?: string;
  /** Alarm names a composite alarm's rule references. */
  readonly children?: readonly string[];
}

/** The one incident record every later stage reads. */
export interface Incident {
  /**
   * Stable id: derived from the alarm ARN and state-transition time, or the event id, so a
   * repeated delivery yields the same id (`inc-` + 20 hex characters).
   */
  readonly id: string;
  readonly source: IncidentSource;
  /** The EventBridge `detail-type`, SNS subject, or similar; for display. */
  readonly title: string;
  readonly severity: Severity;
  /** ISO-8601 UTC time the incident began (the state transition, the event time). */
  readonly occurredAt: string;
  /** The window to look at: before and around `occurredAt`. */
  readonly window: TimeWindow;
  /** A comparison window before `window`, for "new or spiking" analysis. */
  readonly baseline?: TimeWindow;
  /** e.g. `ALARM`, `STOPPED`, `FAILED`, `open`. */
  readonly state?: string;
  readonly previousState?: string;
  /** The human reason the source gives (`NewStateReason`, `stoppedReason`, a Health description). */
  readonly reason?: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly resources: readonly ResourceRef[];
  readonly alarm?: AlarmRef;
  readonly cluster?: string;
  readonly namespace?: string;
  readonly functionName?: string;
  /** Free-form labels (tags, Prometheus labels, ECS group) kept for display and filtering. */
  readonly labels: Readonly<Record<string, string>>;
  /** A question asked with the incident (API). */
  readonly question?: string;
  /** Text evidence carried inside the event itself (API body, Health description). */
  readonly inlineEvidence?: readonly string[];
  /** A category the event itself implies (e.g. ECS `CannotPullContainerError`), as a hint. */
  readonly hintedCategory?: Category;
}
