/**
 * Powertools for AWS Lambda: one logger, metrics and tracer per process, shared by the handlers.
 * Service name `ops-assistant`, metrics namespace `OpsAssistant` (override with the standard
 * `POWERTOOLS_SERVICE_NAME` / `POWERTOOLS_METRICS_NAMESPACE` variables).
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { redactingReplacer } from '../core/stages/compose/redact.js';
import { lambdaRuntime, type LambdaRuntime } from '../composition/lambda.js';

// Log records quote input (errors naming a field, a payload): strings and errors are redacted.
export const logger = new Logger({ serviceName: 'ops-assistant', jsonReplacerFn: redactingReplacer });
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
 * Wraps a handler with `@middy/core` and Powertools' own middlewares: `injectLambdaContext` (the
 * Lambda context in every log line) and `logMetrics` (the cold-start metric; metrics flushed after
 * each invocation, also when it throws). The runtime is built once per process and handed to `run`.
 * Middy's early-timeout response is off: the use case watches the remaining time itself.
 * @example export const handler = instrumented(async (event: unknown, context, rt) => ({ ok: true }));
 */
export function instrumented<E, R>(run: (event: E, context: Context, rt: LambdaRuntime) => Promise<R>): (event: E, context: Context) => Promise<R> {
  return middy(async (event: E, context: Context) => run(event, context, await runtime()), { timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
