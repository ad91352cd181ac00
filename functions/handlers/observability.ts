/**
 * Powertools for AWS Lambda: one logger, metrics and tracer per process, shared by the handlers.
 * Service name `ops-assistant`, metrics namespace `OpsAssistant` (override with the standard
 * `POWERTOOLS_SERVICE_NAME` / `POWERTOOLS_METRICS_NAMESPACE` variables).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { lambdaRuntime, type LambdaRuntime } from '../composition/lambda.js';

export const logger = new Logger({ serviceName: 'ops-assistant' });
export const metrics = new Metrics({ namespace: 'OpsAssistant', serviceName: 'ops-assistant' });
export const tracer = new Tracer({ serviceName: 'ops-assistant' });
export { MetricUnit };

const traced = new WeakSet<object>();

/** The process's runtime with its SDK clients traced by X-Ray (a no-op outside Lambda). */
export async function runtime(): Promise<LambdaRuntime> {
  const rt = await lambdaRuntime();
  if (!traced.has(rt)) {
    traced.add(rt);
    for (const client of Object.values(rt.clients)) tracer.captureAWSv3Client(client);
  }
  return rt;
}

/**
 * Wraps a handler with what Powertools' `injectLambdaContext` and `logMetrics` middlewares do
 * (they need `@middy/core`, which the project does not depend on): the runtime built once, the
 * Lambda context in every log line, the cold-start metric, metrics flushed after each invocation.
 * @example export const handler = instrumented(async (event: unknown, context, rt) => ({ ok: true }));
 */
export function instrumented<E, R>(run: (event: E, context: Context, rt: LambdaRuntime) => Promise<R>): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    const rt = await runtime();
    logger.addContext(context);
    metrics.captureColdStartMetric();
    try {
      return await run(event, context, rt);
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
