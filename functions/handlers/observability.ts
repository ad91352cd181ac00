/**
 * Powertools for AWS Lambda: one logger, metrics and tracer per process, shared by the handlers.
 * Service name `ops-assistant`, metrics namespace `OpsAssistant` (override with the standard
 * `POWERTOOLS_SERVICE_NAME` / `POWERTOOLS_METRICS_NAMESPACE` variables).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { redactingReplacer } from '../core/stages/compose/redact.js';
import { lambdaRuntime, type LambdaRuntime } from '../composition/lambda.js';

// Log records quote input (errors naming a field, a payload): strings and errors are redacted.
export const logger = new Logger({ serviceName: 'ops-assistant', jsonReplacerFn: redactingReplacer });
export const metrics = new Metrics({ namespace: 'OpsAssistant', serviceName: 'ops-assistant' });
export const tracer = new Tracer({ serviceName: 'ops-assistant' });
export { MetricUnit };

const instrumented = new WeakSet<object>();

/** The process's runtime with its SDK clients traced by X-Ray (a no-op outside Lambda). */
export async function runtime(): Promise<LambdaRuntime> {
  const rt = await lambdaRuntime();
  if (!instrumented.has(rt)) {
    instrumented.add(rt);
    for (const client of Object.values(rt.clients)) tracer.captureAWSv3Client(client);
  }
  return rt;
}
