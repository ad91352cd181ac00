/**
 * `instrumented()`: Powertools' logger and metrics middlewares on `@middy/core`. The cold-start
 * metric is emitted once per process and stored metrics are flushed after every invocation,
 * also one that throws.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Context } from 'aws-lambda';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

vi.mock('../../functions/composition/lambda.js', () => ({ lambdaRuntime: async () => ({ clients: {} }) }));

const context = { functionName: 'f', functionVersion: '1', invokedFunctionArn: 'arn:aws:lambda:us-east-1:1:function:f', memoryLimitInMB: '128', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

describe('instrumented', () => {
  afterEach(() => vi.restoreAllMocks());

  it('emits the cold start once, adds the context to logs and flushes after each invocation, even on error', async () => {
    const { instrumented, logger, metrics } = await import('../../functions/handlers/observability.js');
    const coldStart = vi.spyOn(metrics, 'captureColdStartMetric');
    const flush = vi.spyOn(metrics, 'publishStoredMetrics');
    const addContext = vi.spyOn(logger, 'addContext');
    const handler = instrumented(async (event: { fail?: boolean }) => {
      if (event.fail) throw new Error('boom');
      return 'ok';
    });
    expect(await handler({}, context)).toBe('ok');
    await expect(handler({ fail: true }, context)).rejects.toThrow('boom');
    expect(addContext).toHaveBeenCalledWith(context);
    expect(flush).toHaveBeenCalledTimes(2);
    expect(coldStart).toHaveBeenCalled();
  });
});
