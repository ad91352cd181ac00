/**
 * The Lambda drivers of the diagnose use case (`core/diagnose`): the alarm and events handlers
 * hand each payload (or each SQS record) to {@link diagnoseEvent} with the runtime's
 * dependencies, and report what it did. Reading, quarantine, the alarm policy, the pipeline and
 * delivery are the use case's.
 */
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import { describeError } from '../core/model/errors.js';
import { diagnoseEvent, type DiagnoseObserver, type DiagnoseOutcome } from '../core/diagnose/index.js';
import type { InvocationContext, LambdaRuntime } from '../composition/lambda.js';
import { instrumented, logger, metrics, MetricUnit } from './observability.js';

/** What happened to one payload (the use case's outcome without the documents, for logs and the response). */
export type Outcome =
  | { readonly status: 'diagnosed'; readonly incidentId: string; readonly key: string; readonly created: boolean; readonly messageId?: string; readonly degraded: number }
  | { readonly status: 'folded'; readonly incidentId: string; readonly count: number }
  | { readonly status: 'ok-recorded'; readonly incidentId?: string }
  | { readonly status: 'ignored'; readonly incidentId: string; readonly reason: string };

/** The response to an SQS batch (partial batch failure). */
export interface BatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/** Use-case metrics and logs go to Powertools' metrics and logger. */
export const lambdaObserver: DiagnoseObserver = {
  count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
  log: (level, message, fields) => logger[level](message, { ...fields }),
};

/** The outcome as the handler reports it. */
export function summarize(outcome: DiagnoseOutcome): Outcome {
  switch (outcome.status) {
    case 'diagnosed':
      return { status: 'diagnosed', incidentId: outcome.incidentId, key: outcome.key ?? '', created: outcome.created, ...(outcome.messageId ? { messageId: outcome.messageId } : {}), degraded: outcome.degraded };
    case 'folded':
      return { status: 'folded', incidentId: outcome.incidentId, count: outcome.count };
    case 'ok-recorded':
      return { status: 'ok-recorded', ...(outcome.incidentId ? { incidentId: outcome.incidentId } : {}) };
    default:
      return { status: 'ignored', incidentId: outcome.incidentId, reason: outcome.reason };
  }
}

/**
 * Diagnoses one payload: `payload` parsed (a direct invocation) or `raw` text (an SQS body).
 * @throws what the use case throws (an unreadable payload, after it is quarantined; a delivery error).
 */
export async function diagnosePayload(event: { payload?: unknown; raw: string; input: string }, context: InvocationContext, rt: LambdaRuntime): Promise<Outcome> {
  const { deps, limits } = rt.diagnose(context, lambdaObserver);
  return summarize(await diagnoseEvent({ event, ...limits }, deps));
}

/** True when `event` is an SQS batch (validated with the Powertools parser's `SqsSchema`). */
export function isSqsBatch(event: unknown): event is { Records: Array<{ messageId: string; body: string }> } {
  return SqsSchema.safeParse(event).success;
}

/** One processor per process, as Powertools recommends (it resets itself for each batch). */
const sqsProcessor = new BatchProcessor(EventType.SQS);

/**
 * Processes an SQS batch with Powertools' `processPartialResponse`, one record after another (the
 * storm window depends on arrival order); a record that fails (unreadable → quarantined, or a
 * delivery error) is reported in `batchItemFailures` so only it is retried and then dead-lettered.
 * A batch whose every record fails is answered the same way (not thrown), so each record keeps its
 * own retry count.
 */
export async function processBatch(
  event: { Records: ReadonlyArray<{ messageId: string; body: string }> }, input: string, context: InvocationContext, rt: LambdaRuntime,
): Promise<BatchResponse & { outcomes: Outcome[] }> {
  const outcomes: Outcome[] = [];
  const response = await processPartialResponse(event as SQSEvent, async (record: SQSRecord) => {
    try {
      outcomes.push(await diagnosePayload({ raw: record.body, input: `${input}:sqs:${record.messageId}` }, context, rt));
    } catch (error) {
      metrics.addMetric('RecordsFailed', MetricUnit.Count, 1);
      logger.error('record failed', { messageId: record.messageId, error: describeError(error) });
      throw error;
    }
  }, sqsProcessor, { throwOnFullBatchFailure: false, processInParallel: false });
  return { batchItemFailures: response.batchItemFailures, outcomes };
}

let announced = false;

/**
 * A Lambda handler driving the use case: one payload, or an SQS batch with partial failures.
 * Logs `runtime ready` once per process with the startup breakdown.
 */
export function incidentHandler(input: 'alarm-handler' | 'events-handler', what: 'alarm' | 'event'): (event: unknown, context: Context) => Promise<Outcome | BatchResponse> {
  return instrumented(async (event: unknown, context, rt) => {
    if (!announced) {
      announced = true;
      logger.info('runtime ready', { startupMs: rt.startupMs, runbookIndex: rt.runbookIndexOrigin, runbookPassages: rt.runbooks.size, startupDegraded: rt.startupDegraded.length });
    }
    if (isSqsBatch(event)) {
      const { batchItemFailures, outcomes } = await processBatch(event, input, context, rt);
      logger.info(`${what} batch processed`, { outcomes, failures: batchItemFailures.length });
      return { batchItemFailures };
    }
    const outcome = await diagnosePayload({ payload: event, raw: JSON.stringify(event), input }, context, rt);
    logger.info(`${what} processed`, { outcome });
    return outcome;
  });
}
