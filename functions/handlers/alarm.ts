/**
 * Lambda handler for CloudWatch alarms: EventBridge "CloudWatch Alarm State Change", the SNS
 * notification (Lambda SNS event), the direct alarm-action payload, or an SQS batch of any of
 * these (partial batch failure). Acts on transitions into `ALARM`; records `OK` on the open incident.
 * With `ALARM_TAG_FILTER=key=value,…` it diagnoses only alarms carrying every listed tag (see
 * `handleIncident`). Logs `runtime ready` once per process with the startup breakdown.
 */
import type { Context } from 'aws-lambda';
import { diagnosePayload, isSqsBatch, processBatch, type BatchResponse, type Outcome } from './incident-flow.js';
import { logger, metrics, runtime } from './observability.js';

let announced = false;

export async function handler(event: unknown, context: Context): Promise<Outcome | BatchResponse> {
  const rt = await runtime();
  logger.addContext(context);
  metrics.captureColdStartMetric();
  if (!announced) {
    announced = true;
    logger.info('runtime ready', { startupMs: rt.startupMs, runbookIndex: rt.runbookIndexOrigin, runbookPassages: rt.runbooks.size, startupDegraded: rt.startupDegraded.length });
  }
  try {
    if (isSqsBatch(event)) {
      const { batchItemFailures, outcomes } = await processBatch(event.Records, 'alarm-handler', context, rt);
      logger.info('alarm batch processed', { outcomes, failures: batchItemFailures.length });
      return { batchItemFailures };
    }
    const outcome = await diagnosePayload({ payload: event, raw: JSON.stringify(event), input: 'alarm-handler' }, context, rt);
    logger.info('alarm processed', { outcome });
    return outcome;
  } finally {
    metrics.publishStoredMetrics();
  }
}
