/**
 * Lambda handler of the diagnosis API (API Gateway REST v1 and HTTP API v2 payloads):
 * `POST /v1/diagnoses`, `GET /v1/diagnoses/{id}`, `GET /v1/diagnoses?since=&category=&resource=`,
 * `POST /v1/ask`, `POST /v1/plans/{id}/approve`. Routes live in `api-routes.ts` and `ask-routes.ts`, on
 * Powertools' event-handler router (`apiRouter`).
 */
import type { Context } from 'aws-lambda';
import { describeError } from '../core/model/errors.js';
import { resolveApiRequest } from './api-routes.js';
import './ask-routes.js';
import { instrumented, logger, metrics, MetricUnit } from './observability.js';

export const handler = instrumented(async (event: unknown, context: Context, rt): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> => {
  const response = await resolveApiRequest(event, rt, context, (error) => logger.error('request failed', { path: (event as { rawPath?: string; path?: string })?.rawPath ?? (event as { path?: string })?.path, error: describeError(error) }));
  metrics.addMetric(response.statusCode < 400 ? 'ApiRequestsSucceeded' : 'ApiRequestsFailed', MetricUnit.Count, 1);
  return response;
});
