import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { startLocalS3, type LocalS3 } from '../../support/aws-servers/index.js';
import { diagnosisFixture } from '../../support/diagnosis-fixture.js';
import { S3DiagnosisStore } from '../../../functions/adapters/aws/s3-diagnosis.store.js';
import { S3AlarmStormGuard } from '../../../functions/adapters/aws/s3-alarm-storm.guard.js';
import { SnsNotifier, snsSubject, SNS_MAX_BYTES } from '../../../functions/adapters/aws/sns.notifier.js';
import { PriorDiagnosesCollector } from '../../../functions/adapters/aws/prior-diagnoses.collector.js';
import { alarmIncident } from './incident.js';
import type { Diagnosis } from '../../../functions/core/model/diagnosis.js';

const BUCKET = 'ops-diagnoses-test';
let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  s3 = await startLocalS3([BUCKET]);
  client = new S3Client({ endpoint: s3.url, region: 'eu-west-1', credentials: s3.credentials, forcePathStyle: true });
});
afterAll(async () => {
  await s3?.stop();
});

function diagnosisAt(id: string, createdAt: string, category: string, resource: string): Diagnosis {
  const base = diagnosisFixture();
  return {
    ...base, id, createdAt,
    incident: { ...base.incident, id, occurredAt: createdAt, resources: [{ type: 'AWS::Lambda::Function', name: resource }], alarm: undefined, cluster: undefined, functionName: undefined, namespace: undefined },
    hypotheses: [{ ...base.hypotheses[0]!, category: category as never }],
  };
}

describe('S3DiagnosisStore', () => {
  it('writes JSON, Markdown and HTML under diagnoses/YYYY/MM/DD with content types and SSE, and reads them back', async () => {
    const store = new S3DiagnosisStore({ client, bucket: BUCKET, kmsKeyId: 'alias/ops-diagnoses' });
    const d = diagnosisAt('inc-aaaaaaaaaaaaaaaaaaa1', '2026-11-30T06:42:15.000Z', 'oom_killed', 'checkout');
    const put = await store.put(d, { json: JSON.stringify(d), markdown: '# report\n', html: '<html></html>' });

    expect(put).toEqual({ key: 'diagnoses/2026/11/30/inc-aaaaaaaaaaaaaaaaaaa1.json', created: true });
    expect(s3.puts.get(`/${BUCKET}/diagnoses/2026/11/30/inc-aaaaaaaaaaaaaaaaaaa1.json`)).toEqual({ contentType: 'application/json; charset=utf-8', sse: 'aws:kms', kmsKeyId: 'alias/ops-diagnoses' });
    expect(s3.puts.get(`/${BUCKET}/diagnoses/2026/11/30/inc-aaaaaaaaaaaaaaaaaaa1.md`)?.contentType).toBe('text/markdown; charset=utf-8');
    expect(s3.puts.get(`/${BUCKET}/diagnoses/2026/11/30/inc-aaaaaaaaaaaaaaaaaaa1.html`)?.contentType).toBe('text/html; charset=utf-8');
    expect((await store.get(d.id))?.id).toBe(d.id);
    expect(await store.getRendering(d.id, 'md')).toBe('# report\n');
    expect(await store.get('inc-doesnotexist')).toBeUndefined();
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a diagnosis id/);
  });

  it('never overwrites: the second put of the same id is created: false and leaves the first document', async () => {
    const store = new S3DiagnosisStore({ client, bucket: BUCKET });
    const d = diagnosisAt('inc-aaaaaaaaaaaaaaaaaaa2', '2026-11-30T06:43:00.000Z', 'oom_killed', 'checkout');
    await store.put(d, { json: JSON.stringify(d), markdown: 'first' });
    const again = await store.put({ ...d, summary: 'second' }, { json: JSON.stringify({ ...d, summary: 'second' }), markdown: 'second' });
    expect(again.created).toBe(false);
    expect(await store.getRendering(d.id, 'md')).toBe('first');
  });

  it('returns created: false on S3 412 (If-None-Match) even when the id pointer is missing', async () => {
    const store = new S3DiagnosisStore({ client, bucket: BUCKET });
    const d = diagnosisAt('inc-aaaaaaaaaaaaaaaaaaa3', '2026-11-30T06:44:00.000Z', 'oom_killed', 'checkout');
    await store.putObject(`diagnoses/2026/11/30/${d.id}.json`, JSON.stringify(d), 'json');
    const refusedBefore = s3.refused.length;
    const result = await store.put(d, { json: JSON.stringify(d), markdown: 'x' });
    expect(result).toEqual({ key: `diagnoses/2026/11/30/${d.id}.json`, created: false });
    expect(s3.refused.length).toBe(refusedBefore + 1);
    expect((await store.get(d.id))?.id).toBe(d.id); // pointer repaired
    // A replay diagnosed later (another createdAt) that meets the 412 adds no second index row.
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `ids/${d.id}.json` }));
    await store.put({ ...d, createdAt: '2026-11-30T09:00:00.000Z' }, { json: '{}', markdown: 'y' });
    const rows = (await store.list({ resource: 'checkout', limit: 100 })).items.filter((i) => i.id === d.id);
    expect(rows).toHaveLength(1);
  });

  it('lists newest first with filters, since and a cursor', async () => {
    const bucket = 'ops-list-test';
    const local = await startLocalS3([bucket]);
    try {
      const c = new S3Client({ endpoint: local.url, region: 'eu-west-1', credentials: local.credentials, forcePathStyle: true });
      const store = new S3DiagnosisStore({ client: c, bucket });
      const rows = [
        ['inc-l1', '2026-11-28T10:00:00.000Z', 'oom_killed', 'checkout'],
        ['inc-l2', '2026-11-29T10:00:00.000Z', 'lambda_timeout', 'orders-worker'],
        ['inc-l3', '2026-11-30T09:00:00.000Z', 'oom_killed', 'checkout'],
        ['inc-l4', '2026-11-30T10:00:00.000Z', 'oom_killed', 'payments'],
      ] as const;
      for (const [id, at, cat, res] of rows) {
        const d = diagnosisAt(id, at, cat, res);
        await store.put(d, { json: JSON.stringify(d), markdown: '' });
      }
      expect((await store.list({})).items.map((i) => i.id)).toEqual(['inc-l4', 'inc-l3', 'inc-l2', 'inc-l1']);
      expect((await store.list({ category: 'oom_killed', resource: 'CHECK' })).items.map((i) => i.id)).toEqual(['inc-l3', 'inc-l1']);
      const readsBefore = local.requests.length;
      expect((await store.list({ category: 'lambda_timeout' })).items.map((i) => i.id)).toEqual(['inc-l2']);
      const indexReads = local.requests.slice(readsBefore).filter((r) => r.startsWith(`GET /${bucket}/index/`));
      expect(indexReads).toEqual([expect.stringMatching(/-lambda_timeout-inc-l2\.json$/)]); // other categories are never read
      expect((await store.list({ since: '2026-11-29T00:00:00Z' })).items.map((i) => i.id)).toEqual(['inc-l4', 'inc-l3', 'inc-l2']);
      const first = await store.list({ limit: 3 });
      expect(first.items.map((i) => i.id)).toEqual(['inc-l4', 'inc-l3', 'inc-l2']);
      const second = await store.list({ limit: 3, cursor: first.nextCursor });
      expect(second.items.map((i) => i.id)).toEqual(['inc-l1']);
      expect(second.nextCursor).toBeUndefined();
      await expect(store.list({ cursor: 'bm9wZQ' })).rejects.toThrow(/cursor/);

      const prior = await new PriorDiagnosesCollector({ store, now: () => new Date('2026-12-01T00:00:00Z') }).collect(
        alarmIncident({ id: 'inc-l3', alarm: undefined, resources: [{ type: 'Pod', name: 'checkout' }] }),
        AbortSignal.timeout(5000),
      );
      expect(prior.priorDiagnoses?.map((p) => p.id)).toEqual(['inc-l1']); // inc-l3 itself is excluded
    } finally {
      await local.stop();
    }
  });

  it('quarantines an unreadable input under quarantine/YYYY/MM/DD with its error', async () => {
    const store = new S3DiagnosisStore({ client, bucket: BUCKET });
    const key = await store.quarantine({ payload: '{"detail-type":', encoding: 'utf8', input: 'alarm-handler', error: { name: 'InvalidInputError', code: 'INVALID_JSON', message: 'event: truncated JSON' }, receivedAt: '2026-11-30T07:00:00.000Z' });
    expect(key).toMatch(/^quarantine\/2026\/11\/30\/[0-9a-f-]{36}\.json$/);
    expect(JSON.parse((await store.readText(key))!)).toMatchObject({ payload: '{"detail-type":', error: { code: 'INVALID_JSON' } });
    // A retried delivery of the same payload keeps one record; another payload gets its own.
    const again = await store.quarantine({ payload: '{"detail-type":', encoding: 'utf8', input: 'alarm-handler', error: { name: 'InvalidInputError', message: 'x' }, receivedAt: '2026-11-30T07:05:00.000Z' });
    const other = await store.quarantine({ payload: '{"detail-type": 1', encoding: 'utf8', input: 'alarm-handler', error: { name: 'InvalidInputError', message: 'x' }, receivedAt: '2026-11-30T07:05:00.000Z' });
    expect(again).toBe(key);
    expect(other).not.toBe(key);
  });
});

describe('S3AlarmStormGuard', () => {
  it('folds repeated ALARM transitions of one alarm within the window into one incident with a counter, and records OK', async () => {
    const guard = new S3AlarmStormGuard({ client, bucket: BUCKET, windowMs: 10 * 60_000 });
    const at = (min: number) => new Date(Date.parse('2026-11-30T07:00:00Z') + min * 60_000).toISOString();
    const first = await guard.admit(alarmIncident({ id: 'inc-storm-0' }, at(0)));
    const replay = await guard.admit(alarmIncident({ id: 'inc-storm-0' }, at(0)));
    const second = await guard.admit(alarmIncident({ id: 'inc-storm-1' }, at(3)));
    const secondAgain = await guard.admit(alarmIncident({ id: 'inc-storm-1' }, at(3)));
    const third = await guard.admit(alarmIncident({ id: 'inc-storm-2' }, at(9)));
    const ok = await guard.recordOk(alarmIncident({ id: 'inc-storm-ok', state: 'OK' }, at(10)));
    const later = await guard.admit(alarmIncident({ id: 'inc-storm-3' }, at(30)));

    expect(first).toMatchObject({ kind: 'new', incidentId: 'inc-storm-0', count: 1 });
    expect(replay).toMatchObject({ kind: 'replay', incidentId: 'inc-storm-0' });
    expect(second).toMatchObject({ kind: 'folded', incidentId: 'inc-storm-0', count: 2 });
    expect(secondAgain).toMatchObject({ kind: 'folded', count: 2 });
    expect(third).toMatchObject({ kind: 'folded', incidentId: 'inc-storm-0', count: 3 });
    expect(ok).toMatchObject({ incidentId: 'inc-storm-0', okAt: at(10), count: 3 });
    expect(later).toMatchObject({ kind: 'new', incidentId: 'inc-storm-3', count: 1 });
    expect(first.key).toMatch(/^storms\/[0-9a-f]{16}\/current\.json$/);
  });

  it('does not lose counts under concurrent transitions (conditional writes retried on 412)', async () => {
    const guard = new S3AlarmStormGuard({ client, bucket: BUCKET, maxConflicts: 20 });
    const alarm = { ...alarmIncident().alarm!, arn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:concurrent' };
    await guard.admit(alarmIncident({ id: 'inc-c-0', alarm }));
    const decisions = await Promise.all([1, 2, 3, 4].map((i) => guard.admit(alarmIncident({ id: `inc-c-${i}`, alarm }, new Date(Date.parse('2026-11-30T07:00:00Z') + i * 1000).toISOString()))));
    expect(decisions.every((d) => d.kind === 'folded')).toBe(true);
    expect(Math.max(...decisions.map((d) => d.count))).toBe(5);
  });
});

describe('SnsNotifier', () => {
  it('publishes subject, body and String attributes that reach an SQS subscriber', async () => {
    const server = await startFauxqs({ port: 0, logger: false });
    try {
      const { topicArn } = server.createTopic('ops-incidents');
      const { queueUrl } = server.createQueue('ops-incidents-observer');
      server.subscribe({ topic: 'ops-incidents', queue: 'ops-incidents-observer' });
      const config = { endpoint: server.address, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } };
      const notifier = new SnsNotifier({ client: new SNSClient(config), topicArn });
      const id = await notifier.publish({
        subject: `[ALARM] ${'very long subject '.repeat(10)}`,
        body: 'x'.repeat(SNS_MAX_BYTES + 10),
        attributes: { category: 'oom_killed', severity: 'high', resource: 'checkout' },
      });
      expect(id).not.toBe('');
      const received = await new SQSClient(config).send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      expect(received.Messages).toHaveLength(1);
      const envelope = JSON.parse(received.Messages![0]!.Body!);
      expect(envelope.Subject.length).toBeLessThanOrEqual(100);
      expect(envelope.Message.endsWith('[message truncated at the SNS size limit; see the full report]\n')).toBe(true);
      expect(Buffer.byteLength(envelope.Message)).toBeLessThan(SNS_MAX_BYTES);
      expect(envelope.MessageAttributes).toEqual({
        category: { Type: 'String', Value: 'oom_killed' }, severity: { Type: 'String', Value: 'high' }, resource: { Type: 'String', Value: 'checkout' },
      });
    } finally {
      await server.stop();
    }
  });

  it('cleans subjects SNS would reject', () => {
    expect(snsSubject('a\nb\tc é')).toBe('a b c ?');
    expect(snsSubject('')).toBe('ops-assistant incident');
  });
});
