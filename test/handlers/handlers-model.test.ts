/** The alarm handler with `MODEL_DIR` set: the ONNX classifier is loaded once and scores hypotheses. */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, lambdaContext, REPO_ROOT, type Harness } from './harness.js';
import { handler as alarmHandler } from '../../functions/handlers/alarm.js';
import { handler as apiHandler } from '../../functions/handlers/api.js';
import type { Diagnosis } from '../../functions/core/model/diagnosis.js';

const MODEL_DIR = path.join(REPO_ROOT, 'models', 'ops-encoder');
const present = existsSync(path.join(MODEL_DIR, 'config.json')) && existsSync(path.join(REPO_ROOT, 'models', 'manifest.json'));
let h: Harness;

beforeAll(async () => {
  if (present) h = await startHarness({ MODEL_DIR });
});
afterAll(async () => {
  await h?.stop();
});

it.skipIf(!present)('loads the model named by MODEL_DIR (a model folder) and records it on the diagnosis', async () => {
  const event = {
    version: '0', id: 'evt-model-1', 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch', account: '111122223333',
    time: '2026-11-29T12:00:00Z', region: 'us-east-1', resources: ['arn:aws:cloudwatch:us-east-1:111122223333:alarm:orders-model'],
    detail: {
      alarmName: 'orders-model',
      configuration: { metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'Orders', name: 'OrdersApiErrors', dimensions: {} }, period: 60, stat: 'Sum' }, returnData: true }] },
      previousState: { value: 'OK', reason: 'ok', timestamp: '2026-11-29T11:00:00Z' },
      state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: '2026-11-29T12:00:00Z' },
    },
  };
  const outcome = await alarmHandler(event, lambdaContext());
  const d = JSON.parse(await h.object((outcome as { key: string }).key)) as Diagnosis;
  expect(d.model?.id).toBe('ops-encoder');
  expect(d.model?.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(d.degraded.filter((x) => x.component === 'infer:model')).toEqual([]);
});

it.skipIf(!present || !existsSync(path.join(REPO_ROOT, 'models', 'ops-intent', 'config.json')))('reads ask questions with the intent model beside it (ops-intent in the same manifest)', async () => {
  const body = JSON.stringify({ question: 'restrat deploy/orders -n shop pls' });
  const event = {
    version: '2.0', routeKey: 'POST /v1/ask', rawPath: '/v1/ask', rawQueryString: '', headers: { 'content-type': 'application/json' },
    requestContext: {
      accountId: '111122223333', apiId: 'api1', domainName: 'x.execute-api.us-east-1.amazonaws.com', requestId: 'r-intent', routeKey: 'POST /v1/ask', stage: '$default',
      time: '30/Nov/2026:07:00:00 +0000', timeEpoch: 1796022000000, http: { method: 'POST', path: '/v1/ask', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    },
    body, isBase64Encoded: false,
  };
  const res = (await apiHandler(event as never, lambdaContext())) as { statusCode: number; body: string };
  expect(res.statusCode).toBe(200);
  const answer = JSON.parse(res.body) as { intent: string; entities: { workload?: { name: string }; namespace?: string }; plan?: { status: string } };
  expect(answer).toMatchObject({ intent: 'kubernetes_action', entities: { workload: { name: 'orders' }, namespace: 'shop' }, plan: { status: 'proposed' } });
});
