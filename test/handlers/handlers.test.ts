/**
 * The three Lambda handlers, run in-process against local servers speaking the real protocols:
 * S3 (s3rver behind a conditional-write proxy), SNS→SQS (fauxqs), CloudWatch Logs, CloudWatch,
 * EKS and the Kubernetes API (our own replaying servers).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError } from '../support/aws-servers/index.js';
import { startHarness, lambdaContext, AWS_EVENTS_DIR, sharedAwsEvents, type Harness } from './harness.js';
import { handler as alarmHandler } from '../../functions/handlers/alarm.js';
import { handler as eventsHandler } from '../../functions/handlers/events.js';
import { handler as apiHandler } from '../../functions/handlers/api.js';
import { detectEventShape, normalizeEvent } from '../../functions/core/stages/normalize/index.js';
import { lambdaRuntime } from '../../functions/composition/lambda.js';
import type { Diagnosis } from '../../functions/core/model/diagnosis.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ STORM_WINDOW_MINUTES: '30' });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  h.fakes.logs.reset();
  h.fakes.cloudwatch.reset();
  h.fakes.eks.reset();
  await h.drain();
});

/** Our own alarm event (EventBridge shape), for `alarm` at `time`. */
function alarmEvent(alarm: string, time: string, state = 'ALARM', previous = 'OK'): Record<string, unknown> {
  return {
    version: '0', id: `evt-${alarm}-${time}-${state}`, 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch',
    account: '111122223333', time, region: 'eu-west-1', resources: [`arn:aws:cloudwatch:eu-west-1:111122223333:alarm:${alarm}`],
    detail: {
      alarmName: alarm,
      configuration: { description: 'orders API errors', metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'Orders', name: 'OrdersApiErrors', dimensions: { Service: 'orders-api' } }, period: 60, stat: 'Sum' }, returnData: true }] },
      previousState: { value: previous, reason: 'previous', timestamp: time },
      state: { value: state, reason: `Threshold Crossed: 1 out of the last 1 datapoints [61.0] was greater than the threshold (10.0).`, timestamp: time },
    },
  };
}

async function storedDiagnosis(key: string): Promise<Diagnosis> {
  return JSON.parse(await h.object(key)) as Diagnosis;
}

describe('alarm handler', () => {
  it('leaves JSON, Markdown and HTML in the bucket and one message on the topic; a repeat leaves exactly the same', async () => {
    const file = path.join(AWS_EVENTS_DIR, 'awsdocs-amazon-cloudwatch-user-guide/extracted/01-state-change-for-a-single-metric-alarm.json');
    let event: unknown;
    try {
      event = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      console.log(`skipped: ${file} not found (shared data absent)`);
      event = alarmEvent('ServerCpuTooHigh', '2019-10-02T17:04:40Z');
    }
    const first = await alarmHandler(event, lambdaContext());
    expect(first).toMatchObject({ status: 'diagnosed', created: true });
    const id = (first as { incidentId: string }).incidentId;
    const keys = (await h.keys('diagnoses/')).filter((k) => k.includes(id)).sort();
    expect(keys.map((k) => path.extname(k))).toEqual(['.html', '.json', '.md']);
    const messages = await h.drain();
    expect(messages).toHaveLength(1);
    const diagnosis = await storedDiagnosis(keys[1]!);
    expect(messages[0]!.Subject!.length).toBeLessThanOrEqual(100);
    expect(messages[0]!.MessageAttributes).toMatchObject({ category: { Type: 'String', Value: diagnosis.hypotheses[0]!.category }, severity: { Value: diagnosis.incident.severity } });
    expect(messages[0]!.Message).toContain(`https://s3.console.aws.amazon.com/s3/object/ops-diagnoses-it?region=us-east-1&prefix=${encodeURIComponent(keys[0]!)}`);
    expect(diagnosis.logPatterns.length).toBeGreaterThan(0); // logs came from the CloudWatch Logs server
    expect(diagnosis.incident.alarm?.name).toBe('ServerCpuTooHigh');

    const before = await h.keys('');
    const objectBefore = await h.object(keys[1]!);
    const again = await alarmHandler(event, lambdaContext());
    expect(again).toMatchObject({ incidentId: id });
    expect(await h.keys('')).toEqual(before);
    expect(await h.object(keys[1]!)).toBe(objectBefore);
    expect(await h.drain()).toHaveLength(0);
  });

  it('concurrent duplicate deliveries produce one diagnosis and one message', async () => {
    const event = alarmEvent('orders-dup', '2026-11-30T05:00:00Z');
    const results = await Promise.all([alarmHandler(event, lambdaContext()), alarmHandler(event, lambdaContext())]);
    const created = results.filter((r) => (r as { created?: boolean }).created === true);
    expect(created).toHaveLength(1);
    expect(await h.drain()).toHaveLength(1);
  });

  it('folds an alarm storm into one incident with a counter, and records OK on it', async () => {
    const times = ['2026-11-30T06:00:00Z', '2026-11-30T06:04:00Z', '2026-11-30T06:09:00Z', '2026-11-30T06:12:00Z'];
    const outcomes = [];
    for (const t of times) outcomes.push(await alarmHandler(alarmEvent('orders-storm', t), lambdaContext()));
    const ok = await alarmHandler(alarmEvent('orders-storm', '2026-11-30T06:20:00Z', 'OK', 'ALARM'), lambdaContext());

    expect(outcomes.map((o) => (o as { status: string }).status)).toEqual(['diagnosed', 'folded', 'folded', 'folded']);
    expect(outcomes[3]).toMatchObject({ count: 4, incidentId: (outcomes[0] as { incidentId: string }).incidentId });
    expect(ok).toMatchObject({ status: 'ok-recorded', incidentId: (outcomes[0] as { incidentId: string }).incidentId });
    expect(await h.drain()).toHaveLength(1);
    const diagnoses = (await h.keys('diagnoses/')).filter((k) => k.endsWith('.json'));
    const stormDiagnoses = await Promise.all(diagnoses.map(storedDiagnosis));
    expect(stormDiagnoses.filter((d) => d.incident.alarm?.name === 'orders-storm')).toHaveLength(1);
    // The marker holds the open incident; folded transitions are objects beside it, counted by the guard.
    const markers = await Promise.all((await h.keys('storms/')).filter((k) => k.endsWith('/current.json')).map(async (k) => JSON.parse(await h.object(k))));
    expect(markers.find((m) => m.alarm.endsWith(':orders-storm'))).toMatchObject({ okAt: '2026-11-30T06:20:00.000Z' });
    const incident = normalizeEvent(alarmEvent('orders-storm', times[0]!), { input: 'event' });
    expect(await (await lambdaRuntime()).stormGuard.current(incident)).toMatchObject({ count: 4, firstAt: '2026-11-30T06:00:00.000Z', lastAt: '2026-11-30T06:12:00.000Z' });
  });

  it('retries throttled CloudWatch Logs calls and then diagnoses with the logs', async () => {
    h.fakes.logs.script('StartQuery', awsError('ThrottlingException', 'Rate exceeded'));
    h.fakes.logs.script('DescribeMetricFilters', awsError('ThrottlingException', 'Rate exceeded'), { status: 503, body: { __type: 'ServiceUnavailableException', message: 'unavailable' } });
    const outcome = await alarmHandler(alarmEvent('orders-throttled', '2026-11-30T04:00:00Z'), lambdaContext());
    const d = await storedDiagnosis((outcome as { key: string }).key);
    expect(h.fakes.logs.callsOf('DescribeMetricFilters')).toHaveLength(3);
    expect(d.degraded.filter((x) => x.component === 'cloudwatch-logs')).toEqual([]);
    expect(d.logPatterns.length).toBeGreaterThan(0);
  });

  it('degrades, naming what is missing, when CloudWatch and CloudWatch Logs keep failing with 5xx', async () => {
    const fail = () => ({ status: 500, body: { __type: 'InternalFailure', message: 'internal error' } });
    h.fakes.cloudwatch.script('GetMetricData', fail(), fail(), fail());
    h.fakes.logs.script('DescribeMetricFilters', fail(), fail(), fail());
    const outcome = await alarmHandler(alarmEvent('orders-5xx', '2026-11-30T03:00:00Z'), lambdaContext());
    expect(outcome).toMatchObject({ status: 'diagnosed', created: true });
    const d = await storedDiagnosis((outcome as { key: string }).key);
    const reasons = d.degraded.map((x) => `${x.component}: ${x.reason}`);
    expect(reasons).toEqual(expect.arrayContaining([
      expect.stringMatching(/^cloudwatch-metrics: cloudwatch:GetMetricData on alarm arn:aws:cloudwatch:eu-west-1:111122223333:alarm:orders-5xx kept failing with a server error/),
      expect.stringMatching(/^cloudwatch-logs: logs:DescribeMetricFilters on metric Orders\/OrdersApiErrors kept failing/),
      expect.stringMatching(/^cloudwatch-logs: no log group found/),
    ]));
    expect(d.metrics ?? []).toEqual([]);
    expect(await h.drain()).toHaveLength(1);
  });

  it('puts a clear permission finding in the diagnosis when logs:StartQuery is denied', async () => {
    const denied = () => awsError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/ops-assistant/fn is not authorized to perform: logs:StartQuery');
    h.fakes.logs.script('StartQuery', denied(), denied());
    const outcome = await alarmHandler(alarmEvent('orders-denied', '2026-11-30T02:00:00Z'), lambdaContext());
    const d = await storedDiagnosis((outcome as { key: string }).key);
    const permission = d.degraded.filter((x) => x.kind === 'permission');
    expect(permission[0]!.reason).toMatch(/^the function's role lacks logs:StartQuery on \/ecs\/orders-api \(AccessDeniedException/);
    expect(d.logPatterns.length).toBeGreaterThan(0); // FilterLogEvents fallback still read the logs
  });

  it('reads EKS and the Kubernetes API for a Container Insights alarm: the OOMKilled pod and the node group issue reach the diagnosis', async () => {
    const event = alarmEvent('orders-restarts', '2026-11-30T07:00:00Z');
    (event.detail as any).configuration.metrics[0].metricStat.metric = { namespace: 'ContainerInsights', name: 'pod_number_of_container_restarts', dimensions: { ClusterName: 'shop-prod', Namespace: 'shop', PodName: 'orders-api' } };
    const before = h.fakes.kubernetes.requests.length;
    const outcome = await alarmHandler(event, lambdaContext());
    const d = await storedDiagnosis((outcome as { key: string }).key);

    expect(h.fakes.eks.callsOf('DescribeCluster')).toHaveLength(1);
    const k8s = h.fakes.kubernetes.requests.slice(before);
    expect(k8s.length).toBeGreaterThanOrEqual(5);
    expect(k8s.every((r) => r.authorized)).toBe(true);
    expect(k8s.map((r) => r.path)).toContain('/api/v1/namespaces/shop/pods');
    expect(d.findings.some((f) => f.kind === 'Pod' && f.name === 'orders-api-7d9f8b6c5-x2k4p')).toBe(true);
    // The fixtures carry three faults (OOMKilled pod, subnet out of IPs, database connections): each
    // reaches the diagnosis with the exact line its source gave.
    const byCategory = new Map(d.hypotheses.map((x) => [x.category, x.evidence.map((e) => e.text)]));
    expect(byCategory.get('oom_killed')?.join('\n')).toMatch(/OOMKilled/);
    expect(byCategory.get('ip_exhaustion')).toContain('nodegroup spot-b Ec2SubnetInvalidConfiguration: One or more Amazon EC2 Subnets of [subnet-0f1e2d3c4b5a69788] for node group spot-b does not have enough free IP addresses: InsufficientFreeAddressesInSubnet. (resources: subnet-0f1e2d3c4b5a69788)');
  });

  it('stays within the invocation\'s remaining time: slow collectors are cut and the diagnosis is still delivered', async () => {
    h.fakes.logs.script('DescribeMetricFilters', { delayMs: 5000, body: { metricFilters: [] } });
    h.fakes.cloudwatch.script('GetMetricData', { delayMs: 5000, body: { MetricDataResults: [] } });
    const started = performance.now();
    const outcome = await alarmHandler(alarmEvent('orders-slow', '2026-11-30T00:30:00Z'), lambdaContext(5000));
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ status: 'diagnosed', created: true });
    expect(elapsed).toBeLessThan(4000);
    const d = await storedDiagnosis((outcome as { key: string }).key);
    expect(d.degraded.filter((x) => x.kind === 'timeout').map((x) => x.component)).toEqual(expect.arrayContaining(['cloudwatch-metrics']));
    expect(await h.drain()).toHaveLength(1);
  });

  it('ignores alarm configuration changes (not state transitions)', async () => {
    const event: Record<string, any> = { ...alarmEvent('orders-config', '2026-11-30T07:00:00Z'), 'detail-type': 'CloudWatch Alarm Configuration Change' };
    event.detail.operation = 'update';
    const outcome = await alarmHandler(event, lambdaContext());
    expect(outcome).toMatchObject({ status: 'ignored' });
    expect(await h.drain()).toHaveLength(0);
  });

  it('quarantines a malformed payload with its error and throws', async () => {
    const before = (await h.keys('quarantine/')).length;
    const malformed = { 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch', detail: 'not an object' };
    await expect(alarmHandler(malformed, lambdaContext())).rejects.toThrow();
    const keys = await h.keys('quarantine/');
    expect(keys.length).toBe(before + 1);
    const record = JSON.parse(await h.object(keys.find((k) => !keys.slice(0, before).includes(k)) ?? keys.at(-1)!));
    expect(JSON.parse(record.payload)).toEqual(malformed);
    expect(record).toMatchObject({ encoding: 'utf8', input: 'alarm-handler', error: { code: expect.any(String), message: expect.any(String) } });
    expect(await h.drain()).toHaveLength(0);
  });

  it('processes an SQS batch with partial failures: the unreadable record is quarantined and reported', async () => {
    const before = (await h.keys('quarantine/')).length;
    const good = alarmEvent('orders-sqs', '2026-11-30T01:00:00Z');
    const result = await alarmHandler({
      Records: [
        { messageId: 'm-good', receiptHandle: 'r1', body: JSON.stringify(good), attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1796000000000', SenderId: 'AIDA', ApproximateFirstReceiveTimestamp: '1796000000001' }, messageAttributes: {}, md5OfBody: 'x', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:ops-alarms', awsRegion: 'us-east-1' },
        { messageId: 'm-bad', receiptHandle: 'r2', body: '{"detail-type": "CloudWatch Alarm State Change", "source": "aws.cloudw', attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1796000000000', SenderId: 'AIDA', ApproximateFirstReceiveTimestamp: '1796000000001' }, messageAttributes: {}, md5OfBody: 'y', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:ops-alarms', awsRegion: 'us-east-1' },
      ],
    }, lambdaContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });
    const quarantined = await h.keys('quarantine/');
    expect(quarantined.length).toBe(before + 1);
    expect(await h.drain()).toHaveLength(1);
  });
});

describe('handlers on every relevant shared sample', () => {
  const samples = sharedAwsEvents();
  const route = (shape: string | undefined): 'alarm' | 'events' | 'api' | undefined => {
    if (!shape) return undefined;
    if (/cloudwatch-alarm|sns|sqs/.test(shape)) return 'alarm';
    if (/^eventbridge:(ecs|ec2|aws-health|eks)/.test(shape)) return 'events';
    if (/^apigateway/.test(shape)) return 'api';
    return undefined;
  };

  it.skipIf(samples.length === 0)('alarm and events samples: a diagnosis leaves 3 objects and one message; anything else leaves none; unreadable ones are quarantined', async () => {
    let diagnosed = 0;
    let considered = 0;
    for (const sample of samples) {
      const target = route(detectEventShape(sample.payload));
      if (target !== 'alarm' && target !== 'events') continue;
      considered++;
      const before = new Set(await h.keys(''));
      const run = target === 'alarm' ? alarmHandler : eventsHandler;
      let outcome: any;
      let failed: unknown;
      try {
        outcome = await run(sample.payload, lambdaContext());
      } catch (error) {
        failed = error;
      }
      const added = (await h.keys('')).filter((k) => !before.has(k));
      const messages = await h.drain();
      const label = `${sample.name} → ${failed ? `threw ${(failed as Error).message}` : JSON.stringify(outcome)}`;
      if (failed) {
        expect(added.filter((k) => k.startsWith('quarantine/')), label).toHaveLength(1);
        expect(messages, label).toHaveLength(0);
      } else if (outcome.batchItemFailures) {
        expect(added.filter((k) => k.startsWith('quarantine/')).length, label).toBe(outcome.batchItemFailures.length);
      } else if (outcome.status === 'diagnosed' && outcome.created) {
        diagnosed++;
        const id = outcome.incidentId;
        expect(added.filter((k) => k.startsWith('diagnoses/')).sort(), label).toEqual(['html', 'json', 'md'].map((ext) => outcome.key.replace(/json$/, ext)));
        expect(added, label).toContain(`ids/${id}.json`);
        expect(messages, label).toHaveLength(1);
        const d = await storedDiagnosis(outcome.key);
        expect(messages[0]!.MessageAttributes?.category?.Value, label).toBe(d.hypotheses[0]!.category);
        // One subject convention: [ALARM] for alarms, [EVENT] for events; then resource, category, confidence; ASCII under 100.
        const subject = messages[0]!.Subject!;
        const tag = /^cloudwatch-alarm|^prometheus-alert$/.test(d.incident.source) ? '[ALARM] ' : '[EVENT] ';
        expect(subject.startsWith(tag), `${label}: ${subject}`).toBe(true);
        expect(subject.endsWith(`: ${d.hypotheses[0]!.category} (${Math.round(d.hypotheses[0]!.confidence * 100)}%)`), `${label}: ${subject}`).toBe(true);
        expect(subject, label).toMatch(/^[\x20-\x7e]{1,99}$/);
        expect(messages[0]!.Message, label).toContain(`s3://ops-diagnoses-it/${outcome.key.replace(/json$/, 'html')}`);
      } else {
        if (/configuration-change/.test(detectEventShape(sample.payload) ?? '')) expect(outcome.status, label).toBe('ignored');
        expect(added.filter((k) => k.startsWith('diagnoses/')), label).toEqual([]);
        expect(messages, label).toHaveLength(0);
      }
    }
    expect(considered).toBeGreaterThanOrEqual(20);
    expect(diagnosed).toBeGreaterThanOrEqual(8);
  });

  it.skipIf(samples.length === 0)('API Gateway samples get JSON answers with a stable code (their paths are not our routes)', async () => {
    let seen = 0;
    for (const sample of samples) {
      if (route(detectEventShape(sample.payload)) !== 'api') continue;
      seen++;
      const response = await apiHandler(sample.payload, lambdaContext());
      const body = JSON.parse(response.body);
      expect(response.headers['content-type'], sample.name).toMatch(/^application\/json/);
      if (response.statusCode >= 400) expect(body.error.code, sample.name).toMatch(/^[A-Z_]+$/);
    }
    expect(seen).toBeGreaterThanOrEqual(5);
  });
});

describe('api handler', () => {
  const v2 = (method: string, rawPath: string, body?: unknown, query?: Record<string, string>) => ({
    version: '2.0', routeKey: `${method} ${rawPath}`, rawPath, rawQueryString: new URLSearchParams(query ?? {}).toString(),
    headers: { 'content-type': 'application/json' }, queryStringParameters: query,
    requestContext: { accountId: '111122223333', apiId: 'api1', domainName: 'x.execute-api.us-east-1.amazonaws.com', http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' }, requestId: 'r1', routeKey: `${method} ${rawPath}`, stage: '$default', time: '30/Nov/2026:07:00:00 +0000', timeEpoch: 1796022000000 },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), isBase64Encoded: false,
  });
  const v1 = (method: string, p: string, query?: Record<string, string>) => ({
    resource: p, path: p, httpMethod: method, headers: {}, queryStringParameters: query ?? null, pathParameters: null, body: null, isBase64Encoded: false,
    requestContext: { accountId: '111122223333', stage: 'prod', requestId: 'r2', httpMethod: method, path: `/prod${p}`, requestTimeEpoch: 1796022000000 },
  });

  it('POST /v1/diagnoses diagnoses evidence text, is idempotent, and the result can be read back', async () => {
    const evidence = [
      'Events:',
      '  Type     Reason     Age   From     Message',
      '  Warning  BackOff    2m    kubelet  Back-off restarting failed container api in pod orders-api-7d9f8b6c5-x2k4p',
      'Last State:     Terminated',
      '  Reason:       OOMKilled',
      '  Exit Code:    137',
    ].join('\n');
    const created = await apiHandler(v2('POST', '/v1/diagnoses', { evidence, context: { namespace: 'shop' } }), lambdaContext());
    expect(created.statusCode).toBe(201);
    const body = JSON.parse(created.body);
    expect(body).toMatchObject({ created: true, id: expect.stringMatching(/^inc-/), diagnosis: { hypotheses: expect.any(Array) } });
    expect(await h.drain()).toHaveLength(0); // API submissions answer the caller; no topic message

    const again = await apiHandler(v2('POST', '/v1/diagnoses', { evidence, context: { namespace: 'shop' } }), lambdaContext());
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ created: false, id: body.id });

    const got = await apiHandler(v1('GET', `/v1/diagnoses/${body.id}`), lambdaContext());
    expect(got.statusCode).toBe(200);
    expect(JSON.parse(got.body).id).toBe(body.id);
    const md = await apiHandler(v2('GET', `/v1/diagnoses/${body.id}`, undefined, { format: 'md' }), lambdaContext());
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);

    const category = body.diagnosis.hypotheses[0].category;
    const listed = await apiHandler(v1('GET', '/v1/diagnoses', { category, limit: '5' }), lambdaContext());
    const items = JSON.parse(listed.body).items;
    expect(items.map((i: { id: string }) => i.id)).toContain(body.id);
    expect(items.every((i: { category: string }) => i.category === category)).toBe(true);
  });

  it('POST /v1/diagnoses with a nested alarm event and evidence diagnoses that alarm', async () => {
    const response = await apiHandler(v1('POST', '/v1/diagnoses') as any, lambdaContext()).catch(() => undefined);
    expect(response?.statusCode).toBe(400); // no body
    const event = { ...v2('POST', '/v1/diagnoses', { event: alarmEvent('orders-api-submitted', '2026-11-29T08:00:00Z'), evidence: 'ERROR pool: timeout acquiring connection after 5000ms' }) };
    const created = await apiHandler(event, lambdaContext());
    expect(created.statusCode).toBe(201);
    const body = JSON.parse(created.body);
    expect(body.diagnosis.incident.alarm.name).toBe('orders-api-submitted');
    expect(body.diagnosis.incident.inlineEvidence).toEqual(['ERROR pool: timeout acquiring connection after 5000ms']);
    expect(h.fakes.logs.callsOf('StartQuery').length).toBeGreaterThan(0); // the alarm's logs were read too
  });

  it('lists newest first and pages with a cursor', async () => {
    const first = JSON.parse((await apiHandler(v2('GET', '/v1/diagnoses', undefined, { limit: '2' }), lambdaContext())).body);
    expect(first.items).toHaveLength(2);
    expect(first.items[0].createdAt >= first.items[1].createdAt).toBe(true);
    const second = JSON.parse((await apiHandler(v2('GET', '/v1/diagnoses', undefined, { limit: '2', cursor: first.nextCursor }), lambdaContext())).body);
    expect(second.items.map((i: { id: string }) => i.id)).not.toContain(first.items[0].id);
  });

  it.each([
    ['invalid JSON', v2('POST', '/v1/diagnoses', '{"evidence": '), 400, 'INVALID_JSON'],
    ['a body without event or evidence', v2('POST', '/v1/diagnoses', { question: 'why?' }), 400, 'INVALID_BODY'],
    ['an unknown body field', v2('POST', '/v1/diagnoses', { evidence: 'x', extra: 1 }), 400, 'INVALID_BODY'],
    ['an unknown category', v2('GET', '/v1/diagnoses', undefined, { category: 'not_a_category' }), 400, 'INVALID_QUERY'],
    ['an unknown id', v2('GET', '/v1/diagnoses/inc-00000000000000000000'), 404, 'NOT_FOUND'],
    ['an id with a slash-like value', v2('GET', '/v1/diagnoses/..%2F..'), 400, 'INVALID_ID'],
    ['an unknown route', v2('GET', '/v1/nothing'), 404, 'ROUTE_NOT_FOUND'],
    ['a wrong method', v2('DELETE', '/v1/diagnoses'), 405, 'METHOD_NOT_ALLOWED'],
    ['a non-API event', { hello: 'world' }, 400, 'INVALID_INPUT'],
  ])('answers %s with a JSON error and a stable code', async (_name, event, status, code) => {
    const response = await apiHandler(event, lambdaContext());
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body).error.code).toBe(code);
  });
});
