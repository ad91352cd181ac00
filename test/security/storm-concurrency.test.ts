/**
 * Storms under concurrency (issue 14, section 4): 200 deliveries of one alarm's ALARM transitions,
 * run in process against the local S3 that enforces conditional writes, at concurrency 5 and 50,
 * end in one diagnosis and one message, no invocation error, and an occurrence count of 200.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, lambdaContext, type Harness } from '../handlers/harness.js';
import { handler as alarmHandler } from '../../functions/handlers/alarm.js';
import type { Diagnosis } from '../../functions/core/model/diagnosis.js';
import { lambdaRuntime } from '../../functions/composition/lambda.js';
import { normalizeEvent } from '../../functions/core/stages/normalize/index.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ STORM_WINDOW_MINUTES: '30' });
});
afterAll(async () => {
  await h?.stop();
});

const DELIVERIES = 200;

function alarmEvent(alarm: string, time: string): Record<string, unknown> {
  return {
    version: '0', id: `evt-${alarm}-${time}`, 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch',
    account: '111122223333', time, region: 'eu-west-1', resources: [`arn:aws:cloudwatch:eu-west-1:111122223333:alarm:${alarm}`],
    detail: {
      alarmName: alarm,
      configuration: { metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'Orders', name: 'OrdersApiErrors', dimensions: { Service: 'orders-api' } }, period: 60, stat: 'Sum' }, returnData: true }] },
      previousState: { value: 'OK', reason: 'previous', timestamp: time },
      state: { value: 'ALARM', reason: 'Threshold Crossed: 1 out of the last 1 datapoints [61.0] was greater than the threshold (10.0).', timestamp: time },
    },
  };
}

/** Runs `tasks` with at most `concurrency` in flight; returns each outcome or error. */
async function pool<T>(tasks: ReadonlyArray<() => Promise<T>>, concurrency: number): Promise<Array<{ ok: true; value: T } | { ok: false; error: unknown }>> {
  const results: Array<{ ok: true; value: T } | { ok: false; error: unknown }> = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < tasks.length) {
      const i = next++;
      try {
        results[i] = { ok: true, value: await tasks[i]!() };
      } catch (error) {
        results[i] = { ok: false, error };
      }
    }
  }));
  return results;
}

describe.each([5, 50])('200 deliveries of one alarm at concurrency %i', (concurrency) => {
  it('end in one diagnosis, one message, no invocation error and an occurrence count of 200', async () => {
    const alarm = `orders-storm-c${concurrency}`;
    await h.drain();
    const start = Date.parse('2026-12-01T08:00:00Z') + concurrency * 3_600_000;
    const tasks = Array.from({ length: DELIVERIES }, (_, i) => () => alarmHandler(alarmEvent(alarm, new Date(start + i * 1000).toISOString()), lambdaContext()));
    const results = await pool(tasks, concurrency);

    const errors = results.filter((r) => !r.ok).map((r) => String((r as { error: Error }).error?.stack ?? (r as { error: unknown }).error));
    expect(errors).toEqual([]);
    const statuses = results.map((r) => (r as { value: { status: string } }).value.status);
    expect(statuses.filter((s) => s === 'diagnosed')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'folded')).toHaveLength(DELIVERIES - 1);

    const messages = (await h.drain()).filter((m) => `${m.Subject ?? ''}${m.Message}`.includes(alarm));
    expect(messages).toHaveLength(1);
    const documents = await Promise.all((await h.keys('diagnoses/')).filter((k) => k.endsWith('.json')).map(async (k) => JSON.parse(await h.object(k)) as Diagnosis));
    expect(documents.filter((d) => d.incident.alarm?.name === alarm)).toHaveLength(1);
    const incident = normalizeEvent(alarmEvent(alarm, new Date(start).toISOString()), { input: 'event' });
    const rt = await lambdaRuntime();
    expect((await rt.stormGuard.current(incident))?.count).toBe(DELIVERIES);
    const diagnosed = results.find((r) => (r as { value: { status: string } }).value.status === 'diagnosed') as { value: { incidentId: string } };
    expect(await rt.store.occurrencesOf(diagnosed.value.incidentId)).toMatchObject({ count: DELIVERIES });
  }, 180_000);
});
