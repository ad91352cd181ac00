/**
 * The incident e-mail as SNS delivers it: the alarm and events handlers publish through the real
 * SNS client to a local SNS (fauxqs), whose SQS subscription shows exactly what was published.
 * One subject convention (`[ALARM]`/`[EVENT]`, resource, category, confidence) and a link to the
 * report: the S3 console page of the object by default, the browse URL (`BROWSE_URL`) when one
 * is configured, and the `s3://` location for the CLI.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, lambdaContext, BUCKET, type Harness } from './harness.js';
import { handler as alarmHandler } from '../../functions/handlers/alarm.js';
import { handler as eventsHandler } from '../../functions/handlers/events.js';
import { ConfigurationError, readLambdaConfig } from '../../functions/composition/lambda.js';
import type { Diagnosis } from '../../functions/core/model/diagnosis.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.stop();
});
afterEach(async () => {
  delete process.env.BROWSE_URL;
  await h.drain();
});

/** An EventBridge "CloudWatch Alarm State Change" for `alarm` at `time`, as CloudWatch sends it. */
function alarmEvent(alarm: string, time: string): Record<string, unknown> {
  return {
    version: '0', id: `evt-${alarm}-${time}`, 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch',
    account: '111122223333', time, region: 'eu-west-1', resources: [`arn:aws:cloudwatch:eu-west-1:111122223333:alarm:${alarm}`],
    detail: {
      alarmName: alarm,
      configuration: { description: 'checkout API errors', metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'Checkout', name: 'CheckoutApiErrors', dimensions: { Service: 'checkout-api' } }, period: 60, stat: 'Sum' }, returnData: true }] },
      previousState: { value: 'OK', reason: 'previous', timestamp: time },
      state: { value: 'ALARM', reason: 'Threshold Crossed: 1 out of the last 1 datapoints [61.0] was greater than the threshold (10.0).', timestamp: time },
    },
  };
}

/** An EventBridge "ECS Task State Change" of a stopped task (shape from the Amazon ECS Developer Guide). */
function ecsStoppedEvent(time: string): Record<string, unknown> {
  return {
    version: '0', id: `evt-ecs-${time}`, 'detail-type': 'ECS Task State Change', source: 'aws.ecs', account: '111122223333', time, region: 'eu-west-1',
    resources: ['arn:aws:ecs:eu-west-1:111122223333:task/prod/0123456789abcdef0123456789abcdef'],
    detail: {
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod', group: 'service:orders-api', lastStatus: 'STOPPED', desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', stoppedAt: time, launchType: 'FARGATE',
      taskArn: 'arn:aws:ecs:eu-west-1:111122223333:task/prod/0123456789abcdef0123456789abcdef',
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api:42',
      containers: [{ name: 'app', lastStatus: 'STOPPED', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage', containerArn: 'arn:aws:ecs:eu-west-1:111122223333:container/prod/0123/abcd' }],
    },
  };
}

async function published(outcome: unknown): Promise<{ subject: string; message: string; diagnosis: Diagnosis; htmlKey: string }> {
  const { key } = outcome as { key: string };
  const messages = await h.drain();
  expect(messages).toHaveLength(1);
  return { subject: messages[0]!.Subject!, message: messages[0]!.Message, diagnosis: JSON.parse(await h.object(key)) as Diagnosis, htmlKey: key.replace(/\.json$/, '.html') };
}

describe('incident e-mail through SNS', () => {
  it('starts the subject with [ALARM] for an alarm and links the report on the S3 console and as s3://', async () => {
    const outcome = await alarmHandler(alarmEvent('checkout-api-errors', '2026-11-30T07:00:00Z'), lambdaContext());
    expect(outcome).toMatchObject({ status: 'diagnosed', created: true });
    const { subject, message, diagnosis, htmlKey } = await published(outcome);
    const lead = diagnosis.hypotheses[0]!;
    expect(subject).toBe(`[ALARM] checkout-api-errors: ${lead.category} (${Math.round(lead.confidence * 100)}%)`);
    expect(message).toContain(`Full report:\nhttps://s3.console.aws.amazon.com/s3/object/${BUCKET}?region=us-east-1&prefix=${encodeURIComponent(htmlKey)}`);
    expect(message).toContain(`s3://${BUCKET}/${htmlKey}`);
    // The linked object is the HTML report.
    expect(await h.object(htmlKey)).toMatch(/^<!doctype html>/);
  }, 60_000);

  it('starts the subject with [EVENT] for an ECS event, naming the service, and links the browse URL when one is configured', async () => {
    process.env.BROWSE_URL = 'https://ops.example.com/reports';
    const outcome = await eventsHandler(ecsStoppedEvent('2026-11-30T07:10:00Z'), lambdaContext());
    expect(outcome).toMatchObject({ status: 'diagnosed', created: true });
    const { subject, message, diagnosis, htmlKey } = await published(outcome);
    const lead = diagnosis.hypotheses[0]!;
    expect(subject).toMatch(/^\[EVENT\] /);
    expect(subject).toContain('orders-api');
    expect(subject.endsWith(`: ${lead.category} (${Math.round(lead.confidence * 100)}%)`)).toBe(true);
    expect(subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(message).toContain(`https://ops.example.com/reports/${htmlKey}`);
    expect(message).not.toContain('s3.console.aws.amazon.com');
    expect(message).toContain(`s3://${BUCKET}/${htmlKey}`);
  }, 60_000);

  it('refuses a browse URL that is not https, or carries a query, naming the variable', () => {
    const env = { DIAGNOSES_BUCKET: 'b', INCIDENT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:t' };
    expect(readLambdaConfig({ ...env, BROWSE_URL: 'https://ops.example.com' }).browseUrl).toBe('https://ops.example.com/');
    expect(readLambdaConfig(env).browseUrl).toBeUndefined();
    for (const bad of ['http://ops.example.com/', 'ops.example.com', 'https://ops.example.com/?x=1', 'https://user:pw@ops.example.com/']) {
      expect(() => readLambdaConfig({ ...env, BROWSE_URL: bad })).toThrow(ConfigurationError);
      expect(() => readLambdaConfig({ ...env, BROWSE_URL: bad })).toThrow(/BROWSE_URL/);
    }
  });
});
