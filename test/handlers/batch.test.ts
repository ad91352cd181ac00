/**
 * SQS batches through Powertools' `processPartialResponse`: every failed record is reported in
 * `batchItemFailures`, and a batch whose every record fails is answered, not thrown.
 */
import { describe, expect, it } from 'vitest';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const { processBatch } = await import('../../functions/handlers/incident-flow.js');

const record = (messageId: string) => ({ messageId, receiptHandle: 'h', body: '{}', attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:q', awsRegion: 'us-east-1' });

describe('processBatch', () => {
  it('reports every record of a fully failed batch without throwing', async () => {
    let calls = 0;
    const rt = { diagnose: () => { calls++; throw new Error('store unavailable'); } } as never;
    const result = await processBatch({ Records: [record('m-1'), record('m-2'), record('m-3')] }, 'alarm-handler', { getRemainingTimeInMillis: () => 10_000 }, rt);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }]);
    expect(result.outcomes).toEqual([]);
    expect(calls).toBe(3);
  });
});
