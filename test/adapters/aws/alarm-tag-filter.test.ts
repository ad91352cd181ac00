/**
 * `ALARM_TAG_FILTER`: the alarm handler reads the alarm's tags with CloudWatch
 * `ListTagsForResource` (awsJson1.0 against the local CloudWatch server) before diagnosing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { awsError } from '../../support/aws-servers/index.js';
import { startHarness, lambdaContext, AWS_EVENTS_DIR, type Harness } from '../../handlers/harness.js';
import { handler as alarmHandler } from '../../../functions/handlers/alarm.js';
import { CloudWatchAlarmTagFilter, parseAlarmTagFilter } from '../../../functions/adapters/aws/cloudwatch-alarm-tags.filter.js';
import { normalizeEvent } from '../../../functions/core/stages/normalize/index.js';
import type { Diagnosis } from '../../../functions/core/model/diagnosis.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ALARM_TAG_FILTER: 'team=payments, env=prod', STORM_WINDOW_MINUTES: '30' });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  h.fakes.cloudwatch.reset();
  h.fakes.logs.reset();
  await h.drain();
});

const arnOf = (alarm: string) => `arn:aws:cloudwatch:eu-west-1:111122223333:alarm:${alarm}`;

function alarmEvent(alarm: string, time: string): Record<string, unknown> {
  return {
    version: '0', id: `evt-${alarm}-${time}`, 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch',
    account: '111122223333', time, region: 'eu-west-1', resources: [arnOf(alarm)],
    detail: {
      alarmName: alarm,
      configuration: { metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'Orders', name: 'OrdersApiErrors', dimensions: { Service: 'orders-api' } }, period: 60, stat: 'Sum' }, returnData: true }] },
      previousState: { value: 'OK', reason: 'previous', timestamp: time },
      state: { value: 'ALARM', reason: 'Threshold Crossed: 1 out of the last 1 datapoints [61.0] was greater than the threshold (10.0).', timestamp: time },
    },
  };
}

async function diagnosisOf(incidentId: string): Promise<Diagnosis | undefined> {
  const key = (await h.keys('diagnoses/')).find((k) => k.endsWith(`${incidentId}.json`));
  return key ? (JSON.parse(await h.object(key)) as Diagnosis) : undefined;
}

describe('alarm handler with ALARM_TAG_FILTER', () => {
  it('diagnoses an alarm carrying every required tag, asking CloudWatch over awsJson1.0', async () => {
    h.fakes.alarmTags.set(arnOf('pay-errors'), [{ Key: 'team', Value: 'payments' }, { Key: 'env', Value: 'prod' }, { Key: 'owner', Value: 'x' }]);
    const out = await alarmHandler(alarmEvent('pay-errors', '2026-11-30T07:00:00Z'), lambdaContext());
    expect(out).toMatchObject({ status: 'diagnosed', created: true });
    const calls = h.fakes.cloudwatch.callsOf('ListTagsForResource');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers['x-amz-target']).toBe('GraniteServiceVersion20100801.ListTagsForResource');
    expect(calls[0]!.body).toEqual({ ResourceARN: arnOf('pay-errors') });
    const diagnosis = await diagnosisOf((out as { incidentId: string }).incidentId);
    expect(diagnosis!.degraded.filter((d) => d.component === 'alarm-tag-filter')).toEqual([]);
    expect(await h.drain()).toHaveLength(1);
  });

  it('ignores an alarm lacking a required tag: no diagnosis, no storm marker, no message', async () => {
    h.fakes.alarmTags.set(arnOf('search-latency'), [{ Key: 'team', Value: 'search' }, { Key: 'env', Value: 'prod' }]);
    const storms = (await h.keys('storms/')).length;
    const out = await alarmHandler(alarmEvent('search-latency', '2026-11-30T07:05:00Z'), lambdaContext());
    expect(out).toMatchObject({ status: 'ignored' });
    expect((out as { reason: string }).reason).toBe('alarm lacks the tag ALARM_TAG_FILTER requires: team=payments (has team=search)');
    expect(await diagnosisOf((out as { incidentId: string }).incidentId)).toBeUndefined();
    expect((await h.keys('storms/')).length).toBe(storms);
    expect(await h.drain()).toHaveLength(0);
  });

  it('ignores an alarm without tags', async () => {
    h.fakes.alarmTags.set(arnOf('untagged'), []);
    const out = await alarmHandler(alarmEvent('untagged', '2026-11-30T07:06:00Z'), lambdaContext());
    expect(out).toMatchObject({ status: 'ignored' });
    expect((out as { reason: string }).reason).toContain('team=payments, env=prod');
  });

  it('diagnoses anyway, with a degraded entry naming the permission, when ListTagsForResource is denied', async () => {
    h.fakes.cloudwatch.script('ListTagsForResource', awsError('AccessDenied', 'User: arn:aws:sts::111122223333:assumed-role/alarm-fn is not authorized to perform: cloudwatch:ListTagsForResource', 403));
    const out = await alarmHandler(alarmEvent('denied-alarm', '2026-11-30T07:10:00Z'), lambdaContext());
    expect(out).toMatchObject({ status: 'diagnosed', created: true });
    const diagnosis = await diagnosisOf((out as { incidentId: string }).incidentId);
    const entry = diagnosis!.degraded.find((d) => d.component === 'alarm-tag-filter');
    expect(entry).toMatchObject({ kind: 'permission' });
    expect(entry!.reason).toContain(`lacks cloudwatch:ListTagsForResource on ${arnOf('denied-alarm')}`);
    expect(await h.drain()).toHaveLength(1);
  });

  it('checks an alarm delivered through SNS by the AlarmArn its message carries (shared sample)', async () => {
    const file = path.join(AWS_EVENTS_DIR, 'aws-lambda-go/cloudwatch-alarm-sns-payload-single-metric.json');
    if (!existsSync(file)) {
      console.log(`skipped: ${file} not found (shared data absent)`);
      return;
    }
    const payload = JSON.parse(readFileSync(file, 'utf8'));
    const arn = normalizeEvent(payload, { input: 'sample' }).alarm!.arn!;
    expect(arn).toMatch(/^arn:aws:cloudwatch:/);
    h.fakes.alarmTags.set(arn, [{ Key: 'team', Value: 'payments' }]); // env=prod missing
    const out = await alarmHandler(payload, lambdaContext());
    expect(out).toMatchObject({ status: 'ignored', reason: 'alarm lacks the tag ALARM_TAG_FILTER requires: env=prod' });
    expect(h.fakes.cloudwatch.callsOf('ListTagsForResource').map((c) => c.body.ResourceARN)).toEqual([arn]);
  });

  it('reads the tags once per alarm while memoised: a storm of one alarm costs one call', async () => {
    h.fakes.alarmTags.set(arnOf('pay-storm'), [{ Key: 'team', Value: 'payments' }, { Key: 'env', Value: 'prod' }]);
    const outcomes = [];
    for (const t of ['2026-11-30T08:00:00Z', '2026-11-30T08:03:00Z', '2026-11-30T08:06:00Z']) outcomes.push(await alarmHandler(alarmEvent('pay-storm', t), lambdaContext()));
    expect(outcomes.map((o) => (o as { status: string }).status)).toEqual(['diagnosed', 'folded', 'folded']);
    expect(h.fakes.cloudwatch.callsOf('ListTagsForResource')).toHaveLength(1);
  });
});

describe('CloudWatchAlarmTagFilter', () => {
  const incident = (alarm: string) => normalizeEvent(alarmEvent(alarm, '2026-11-30T09:00:00Z'), { input: 'test' });
  const client = () => new CloudWatchClient({ region: 'eu-west-1', endpoint: h.fakes.cloudwatch.url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 3 });

  it('memoises tags for the TTL only, and never memoises a failure', async () => {
    let now = 1_000_000;
    const filter = new CloudWatchAlarmTagFilter({ client: client(), required: parseAlarmTagFilter('team=payments'), cacheTtlMs: 60_000, now: () => now });
    h.fakes.alarmTags.set(arnOf('ttl'), [{ Key: 'team', Value: 'payments' }]);
    h.fakes.cloudwatch.script('ListTagsForResource', awsError('AccessDeniedException', 'denied', 400));
    expect((await filter.check(incident('ttl'))).kind).toBe('unknown');
    expect((await filter.check(incident('ttl'))).kind).toBe('match');
    expect((await filter.check(incident('ttl'))).kind).toBe('match');
    expect(h.fakes.cloudwatch.callsOf('ListTagsForResource')).toHaveLength(2);
    h.fakes.alarmTags.set(arnOf('ttl'), [{ Key: 'team', Value: 'search' }]);
    now += 59_000;
    expect((await filter.check(incident('ttl'))).kind).toBe('match');
    now += 2_000;
    expect((await filter.check(incident('ttl'))).kind).toBe('mismatch');
    expect(h.fakes.cloudwatch.callsOf('ListTagsForResource')).toHaveLength(3);
  });

  it('retries throttling, then reports it as a degradation rather than dropping the alarm', async () => {
    const filter = new CloudWatchAlarmTagFilter({ client: client(), required: parseAlarmTagFilter('team=payments') });
    h.fakes.alarmTags.set(arnOf('throttled'), [{ Key: 'team', Value: 'payments' }]);
    h.fakes.cloudwatch.script('ListTagsForResource', ...Array.from({ length: 3 }, () => awsError('Throttling', 'Rate exceeded', 400)));
    const verdict = await filter.check(incident('throttled'));
    expect(verdict).toMatchObject({ kind: 'unknown', degradation: { component: 'alarm-tag-filter', kind: 'throttled' } });
    expect(h.fakes.cloudwatch.callsOf('ListTagsForResource')).toHaveLength(3);
    h.fakes.cloudwatch.script('ListTagsForResource', awsError('Throttling', 'Rate exceeded', 400));
    expect((await filter.check(incident('throttled'))).kind).toBe('match');
  });

  it('concurrent checks of one alarm share one request', async () => {
    const filter = new CloudWatchAlarmTagFilter({ client: client(), required: parseAlarmTagFilter('team=payments') });
    h.fakes.alarmTags.set(arnOf('shared'), [{ Key: 'team', Value: 'payments' }]);
    const verdicts = await Promise.all([filter.check(incident('shared')), filter.check(incident('shared')), filter.check(incident('shared'))]);
    expect(verdicts.map((v) => v.kind)).toEqual(['match', 'match', 'match']);
    expect(h.fakes.cloudwatch.callsOf('ListTagsForResource')).toHaveLength(1);
  });

  it('builds the ARN from region, account and name when the payload has no ARN; without them it degrades', () => {
    const base = incident('named');
    expect(CloudWatchAlarmTagFilter.alarmArnOf({ ...base, alarm: { ...base.alarm!, arn: undefined } })).toBe(arnOf('named'));
    expect(CloudWatchAlarmTagFilter.alarmArnOf({ ...base, region: undefined, alarm: { ...base.alarm!, arn: undefined } })).toBeUndefined();
  });
});

describe('parseAlarmTagFilter', () => {
  it('reads key=value pairs; the value is everything after the first =', () => {
    expect(parseAlarmTagFilter(' team=payments , env=prod,url=a=b,empty=')).toEqual([
      { key: 'team', value: 'payments' }, { key: 'env', value: 'prod' }, { key: 'url', value: 'a=b' }, { key: 'empty', value: '' },
    ]);
    expect(parseAlarmTagFilter('  ')).toEqual([]);
    expect(parseAlarmTagFilter(undefined)).toEqual([]);
  });
  it.each(['team', '=prod', 'team=payments,env'])('rejects %j naming the variable', (text) => {
    expect(() => parseAlarmTagFilter(text)).toThrow(/ALARM_TAG_FILTER: .* is not key=value/);
  });
});
