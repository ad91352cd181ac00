/**
 * What the alarm and events handlers share: read a payload (quarantining what cannot be read),
 * apply the alarm rules (act on `ALARM`, record `OK`, fold storms), run and deliver.
 */
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { Incident } from '../core/model/incident.js';
import type { Degradation } from '../core/model/evidence.js';
import { OpsAssistantError, describeError } from '../core/model/errors.js';
import { normalizeEvent, parseEventJson } from '../core/stages/normalize/index.js';
import type { InvocationContext, LambdaRuntime } from '../composition/lambda.js';
import { logger, metrics, MetricUnit } from './observability.js';

/** What happened to one payload. */
export type Outcome =
  | { readonly status: 'diagnosed'; readonly incidentId: string; readonly key: string; readonly created: boolean; readonly messageId?: string; readonly degraded: number }
  | { readonly status: 'folded'; readonly incidentId: string; readonly count: number }
  | { readonly status: 'ok-recorded'; readonly incidentId?: string }
  | { readonly status: 'ignored'; readonly incidentId: string; readonly reason: string };

/** Incident sources that are alarm state transitions (configuration changes are not). */
const ALARM_SOURCES: ReadonlySet<string> = new Set(['cloudwatch-alarm', 'cloudwatch-alarm-sns', 'cloudwatch-alarm-action']);

/** The response to an SQS batch (partial batch failure). */
export interface BatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/**
 * Normalizes `payload`; when it cannot be read, keeps it under `quarantine/` with the error and
 * rethrows (so the invocation fails and the event reaches its dead-letter queue).
 */
export async function readIncident(payload: unknown, raw: string, input: string, rt: LambdaRuntime): Promise<Incident> {
  try {
    const parsed = payload === undefined ? parseEventJson(raw, input) : payload;
    return normalizeEvent(parsed, { input, ...(rt.config.lookbackMinutes ? { lookbackMinutes: rt.config.lookbackMinutes } : {}) });
  } catch (error) {
    const key = await rt.store.quarantine({
      payload: raw, encoding: 'utf8', input,
      error: { name: (error as Error)?.name ?? 'Error', ...(error instanceof OpsAssistantError ? { code: error.code } : {}), message: describeError(error) },
      receivedAt: new Date().toISOString(),
    });
    metrics.addMetric('PayloadsQuarantined', MetricUnit.Count, 1);
    logger.error('payload quarantined', { input, key, error: describeError(error) });
    throw error;
  }
}

/**
 * Applies the alarm rules and diagnoses: an alarm in `OK` is recorded on its open incident; an
 * alarm in another state than `ALARM`, and an alarm configuration change, are ignored; a repeated `ALARM`
 * within the storm window is folded into the open incident; events with severity `info` are ignored.
 * With `ALARM_TAG_FILTER`, an `ALARM` transition of an alarm lacking a required tag is ignored
 * (metric `AlarmsIgnoredByTag`); when the tags cannot be read the alarm is diagnosed with a
 * `degraded` entry naming the failure (metric `AlarmTagCheckFailed`).
 */
export async function handleIncident(incident: Incident, context: InvocationContext, rt: LambdaRuntime): Promise<Outcome> {
  const degraded: Degradation[] = [];
  if (incident.alarm && !ALARM_SOURCES.has(incident.source)) {
    metrics.addMetric('EventsIgnored', MetricUnit.Count, 1);
    return { status: 'ignored', incidentId: incident.id, reason: `alarm configuration change (${incident.labels.operation ?? incident.title}), not a state transition` };
  }
  if (incident.alarm) {
    if (incident.state === 'OK') {
      const marker = await rt.stormGuard.recordOk(incident);
      metrics.addMetric('AlarmOkRecorded', MetricUnit.Count, 1);
      return { status: 'ok-recorded', ...(marker ? { incidentId: marker.incidentId } : {}) };
    }
    if (incident.state !== 'ALARM') {
      metrics.addMetric('EventsIgnored', MetricUnit.Count, 1);
      return { status: 'ignored', incidentId: incident.id, reason: `alarm state ${incident.state ?? '(none: not a state change)'}` };
    }
    if (rt.alarmTagFilter) {
      const verdict = await rt.alarmTagFilter.check(incident);
      if (verdict.kind === 'mismatch') {
        metrics.addMetric('AlarmsIgnoredByTag', MetricUnit.Count, 1);
        logger.info('alarm ignored by ALARM_TAG_FILTER', { incidentId: incident.id, alarmArn: verdict.alarmArn, reason: verdict.reason });
        return { status: 'ignored', incidentId: incident.id, reason: verdict.reason };
      }
      if (verdict.kind === 'unknown') {
        metrics.addMetric('AlarmTagCheckFailed', MetricUnit.Count, 1);
        logger.warn('alarm tags could not be checked; diagnosing anyway', { incidentId: incident.id, reason: verdict.degradation.reason });
        degraded.push(verdict.degradation);
      }
    }
    const decision = await rt.stormGuard.admit(incident);
    if (decision.kind === 'folded') {
      metrics.addMetric('AlarmTransitionsFolded', MetricUnit.Count, 1);
      // The count goes on the open incident's index entry (the diagnosis document stays as it
      // was). `false`: its diagnosis is not stored yet; the diagnosing invocation records it.
      await rt.store.recordOccurrences(decision.incidentId, { count: decision.count, firstAt: decision.firstAt!, lastAt: decision.lastAt! });
      return { status: 'folded', incidentId: decision.incidentId, count: decision.count };
    }
  } else if (incident.severity === 'info') {
    metrics.addMetric('EventsIgnored', MetricUnit.Count, 1);
    return { status: 'ignored', incidentId: incident.id, reason: `informational event (${incident.title})` };
  }
  // A redelivered event whose diagnosis is stored: answer without querying AWS again.
  const existing = await rt.store.keyOf(incident.id);
  if (existing) {
    metrics.addMetric('DiagnosesReplayed', MetricUnit.Count, 1);
    return { status: 'diagnosed', incidentId: incident.id, key: existing, created: false, degraded: 0 };
  }
  const { diagnosis, delivered } = await rt.diagnose(incident, context, { degraded });
  metrics.addMetric(delivered.created ? 'DiagnosesCreated' : 'DiagnosesReplayed', MetricUnit.Count, 1);
  if (incident.alarm) await recordFoldedWhileDiagnosing(incident, rt);
  if (diagnosis.degraded.length) metrics.addMetric('DiagnosesDegraded', MetricUnit.Count, 1);
  return { status: 'diagnosed', incidentId: diagnosis.id, key: delivered.key, created: delivered.created, ...(delivered.messageId ? { messageId: delivered.messageId } : {}), degraded: diagnosis.degraded.length };
}

/**
 * Transitions folded while this incident was being diagnosed found no stored diagnosis to count
 * on; now that it is stored, copy the marker's count onto its index entry. (A fold writes the
 * marker before looking for the diagnosis, and this runs after the diagnosis is stored, so one of
 * the two always sees the other.) A failure here is logged, not thrown: the diagnosis is delivered.
 */
async function recordFoldedWhileDiagnosing(incident: Incident, rt: LambdaRuntime): Promise<void> {
  try {
    const marker = await rt.stormGuard.current(incident);
    if (marker && marker.incidentId === incident.id && marker.count > 1) {
      await rt.store.recordOccurrences(incident.id, { count: marker.count, firstAt: marker.firstAt, lastAt: marker.lastAt });
    }
  } catch (error) {
    metrics.addMetric('OccurrencesNotRecorded', MetricUnit.Count, 1);
    logger.warn('storm count not recorded on the diagnosis', { incidentId: incident.id, error: describeError(error) });
  }
}

/** True when `event` is an SQS batch (validated with the Powertools parser's `SqsSchema`). */
export function isSqsBatch(event: unknown): event is { Records: Array<{ messageId: string; body: string }> } {
  return SqsSchema.safeParse(event).success;
}

/**
 * Processes an SQS batch record by record; a record that fails (unreadable → quarantined, or a
 * delivery error) is reported in `batchItemFailures` so only it is retried and then dead-lettered.
 */
export async function processBatch(
  records: ReadonlyArray<{ messageId: string; body: string }>, input: string, context: InvocationContext, rt: LambdaRuntime,
): Promise<BatchResponse & { outcomes: Outcome[] }> {
  const batchItemFailures: Array<{ itemIdentifier: string }> = [];
  const outcomes: Outcome[] = [];
  for (const record of records) {
    try {
      const incident = await readIncident(undefined, record.body, `${input}:sqs:${record.messageId}`, rt);
      outcomes.push(await handleIncident(incident, context, rt));
    } catch (error) {
      metrics.addMetric('RecordsFailed', MetricUnit.Count, 1);
      logger.error('record failed', { messageId: record.messageId, error: describeError(error) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures, outcomes };
}
