/**
 * Lambda handler for other EventBridge events: ECS task/service/deployment state changes, EC2
 * state changes, AWS Health and EKS (directly or as an SQS batch). Informational events are
 * ignored; the rest are diagnosed and delivered.
 */
import type { Context } from 'aws-lambda';
import { diagnosePayload, isSqsBatch, processBatch, type BatchResponse, type Outcome } from './incident-flow.js';
import { logger, metrics, runtime } from './observability.js';

export async function handler(event: unknown, context: Context): Promise<Outcome | BatchResponse> {
  const rt = await runtime();
  logger.addContext(context);
  metrics.captureColdStartMetric();
  try {
    if (isSqsBatch(event)) {
      const { batchItemFailures, outcomes } = await processBatch(event.Records, 'events-handler', context, rt);
      logger.info('event batch processed', { outcomes, failures: batchItemFailures.length });
      return { batchItemFailures };
    }
    const outcome = await diagnosePayload({ payload: event, raw: JSON.stringify(event), input: 'events-handler' }, context, rt);
    logger.info('event processed', { outcome });
    return outcome;
  } finally {
    metrics.publishStoredMetrics();
  }
}
