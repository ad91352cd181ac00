/**
 * Alarm storms in the API: the number of `ALARM` transitions folded into an incident is recorded on
 * its index entry (listed by `GET /v1/diagnoses`, and `GET /v1/diagnoses/{id}?include=occurrences`),
 * while the stored diagnosis document stays byte-for-byte what was first written.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, lambdaContext, type Harness } from './harness.js';
import { handler as alarmHandler } from '../../functions/handlers/alarm.js';
import { handler as apiHandler } from '../../functions/handlers/api.js';
import { lambdaRuntime } from '../../functions/composition/lambda.js';
import { validateDiagnosis } from '../../functions/core/stages/compose/validate.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ STORM_WINDOW_MINUTES: '30' });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  await h.drain();
});

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

const get = (rawPath: string, query?: Record<string, string>) => ({
  version: '2.0', routeKey: `GET ${rawPath}`, rawPath, rawQueryString: new URLSearchParams(query ?? {}).toString(), headers: {}, queryStringParameters: query,
  requestContext: { accountId: '111122223333', apiId: 'api1', domainName: 'x', http: { method: 'GET', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' }, requestId: 'r1', routeKey: `GET ${rawPath}`, stage: '$default', time: '30/Nov/2026:07:00:00 +0000', timeEpoch: 1796022000000 },
  isBase64Encoded: false,
});
async function api(rawPath: string, query?: Record<string, string>): Promise<{ status: number; body: any }> {
  const r = await apiHandler(get(rawPath, query), lambdaContext());
  return { status: r.statusCode, body: JSON.parse(r.body) };
}
async function listed(id: string): Promise<any> {
  const page = await api('/v1/diagnoses', { limit: '100' });
  return page.body.items.find((i: { id: string }) => i.id === id);
}

describe('storm counter', () => {
  it('lists how often the alarm fired and answers it beside the unchanged diagnosis on ?include=occurrences', async () => {
    const times = ['2026-11-30T10:00:00Z', '2026-11-30T10:04:00Z', '2026-11-30T10:09:00Z', '2026-11-30T10:12:00Z'];
    const first = await alarmHandler(alarmEvent('orders-storm-api', times[0]!), lambdaContext()) as { incidentId: string; key: string };
    const stored = await h.object(first.key);
    expect((await listed(first.incidentId)).occurrences).toBeUndefined();
    expect((await api(`/v1/diagnoses/${first.incidentId}`, { include: 'occurrences' })).body.occurrences).toEqual({ count: 1 });

    for (const t of times.slice(1)) await alarmHandler(alarmEvent('orders-storm-api', t), lambdaContext());
    const occurrences = { count: 4, firstAt: '2026-11-30T10:00:00.000Z', lastAt: '2026-11-30T10:12:00.000Z' };
    expect((await listed(first.incidentId)).occurrences).toEqual(occurrences);

    const plain = await api(`/v1/diagnoses/${first.incidentId}`);
    expect(plain.body).toEqual(JSON.parse(stored));
    const wrapped = await api(`/v1/diagnoses/${first.incidentId}`, { include: 'occurrences', format: 'json' });
    expect(wrapped.status).toBe(200);
    expect(wrapped.body).toEqual({ diagnosis: JSON.parse(stored), occurrences });
    expect(validateDiagnosis(wrapped.body.diagnosis).valid).toBe(true);
    expect(await h.object(first.key)).toBe(stored); // the document was never rewritten
    expect(await h.drain()).toHaveLength(1);
  });

  it('counts a transition folded while the first one was still being diagnosed', async () => {
    const [a, b] = await Promise.all([
      alarmHandler(alarmEvent('orders-race', '2026-11-30T11:00:00Z'), lambdaContext()),
      alarmHandler(alarmEvent('orders-race', '2026-11-30T11:02:00Z'), lambdaContext()),
    ]) as Array<{ status: string; incidentId: string }>;
    expect([a!.status, b!.status].sort()).toEqual(['diagnosed', 'folded']);
    expect(a!.incidentId).toBe(b!.incidentId);
    expect((await listed(a!.incidentId)).occurrences).toMatchObject({ count: 2 });
  });

  it('never lowers a recorded count, and reports an unknown id', async () => {
    const out = await alarmHandler(alarmEvent('orders-mono', '2026-11-30T12:00:00Z'), lambdaContext()) as { incidentId: string };
    const { store } = await lambdaRuntime();
    expect(await store.recordOccurrences(out.incidentId, { count: 5, firstAt: '2026-11-30T12:00:00.000Z', lastAt: '2026-11-30T12:20:00.000Z' })).toBe(true);
    expect(await store.recordOccurrences(out.incidentId, { count: 3, firstAt: '2026-11-30T12:00:00.000Z', lastAt: '2026-11-30T12:10:00.000Z' })).toBe(true);
    expect(await store.occurrencesOf(out.incidentId)).toMatchObject({ count: 5, lastAt: '2026-11-30T12:20:00.000Z' });
    expect(await store.recordOccurrences('inc-00000000000000000000', { count: 2, firstAt: 'x', lastAt: 'y' })).toBe(false);
    expect(await store.occurrencesOf('inc-00000000000000000000')).toBeUndefined();
  });

  it.each([
    [{ include: 'everything' }, 400, 'INVALID_QUERY'],
    [{ include: 'occurrences', format: 'md' }, 400, 'INVALID_QUERY'],
  ])('rejects %j with a stable code', async (query, status, code) => {
    const out = await alarmHandler(alarmEvent('orders-q', '2026-11-30T13:00:00Z'), lambdaContext()) as { incidentId: string };
    const r = await api(`/v1/diagnoses/${out.incidentId}`, query);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
  });

  it('answers 404 for an unknown id with include=occurrences', async () => {
    const r = await api('/v1/diagnoses/inc-00000000000000000000', { include: 'occurrences' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
  });
});
