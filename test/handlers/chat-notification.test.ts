/**
 * Chat notifications end to end: the alarm handler with `CHAT_TOPIC_ARN` set publishes, through
 * the real SNS protocol (fauxqs), one custom notification per new diagnosis to the chat topic —
 * beside the plain-text message on the incident topic — and none on a replay.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, lambdaContext, type Harness } from './harness.js';
import { handler as alarmHandler } from '../../functions/handlers/alarm.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { chat: true });
});
afterAll(async () => {
  await h?.stop();
});

const EVENT = {
  version: '0', id: 'evt-chat-orders-api-errors', 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch',
  account: '111122223333', time: '2026-11-30T06:58:12Z', region: 'eu-west-1', resources: ['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:orders-api-errors'],
  detail: {
    alarmName: 'orders-api-errors',
    configuration: { description: 'orders API errors', metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'Orders', name: 'OrdersApiErrors', dimensions: { Service: 'orders-api' } }, period: 60, stat: 'Sum' }, returnData: true }] },
    previousState: { value: 'OK', reason: 'previous', timestamp: '2026-11-30T06:57:12Z' },
    state: { value: 'ALARM', reason: 'Threshold Crossed: 1 out of the last 1 datapoints [61.0] was greater than the threshold (10.0).', timestamp: '2026-11-30T06:58:12Z' },
  },
};

it('publishes one custom notification to the chat topic per new diagnosis, and the e-mail message to the incident topic', async () => {
  const first = await alarmHandler(EVENT, lambdaContext());
  expect(first).toMatchObject({ status: 'diagnosed', created: true });
  const id = (first as { incidentId: string }).incidentId;

  const [mail] = await h.drain();
  const chat = await h.drainChat();
  expect(mail!.Message.trimStart().startsWith('{')).toBe(false);
  expect(chat).toHaveLength(1);
  const notification = JSON.parse(chat[0]!.Message);
  expect(notification).toMatchObject({ version: '1.0', source: 'custom', id, content: { textType: 'client-markdown' }, metadata: { threadId: id, eventType: 'ops-assistant.diagnosis' } });
  expect(notification.content.title).toContain('orders-api-errors');
  expect(notification.content.description).toContain('https://s3.console.aws.amazon.com/s3/object/');
  expect(notification.metadata.relatedResources).toContain('arn:aws:cloudwatch:eu-west-1:111122223333:alarm:orders-api-errors');
  expect(chat[0]!.MessageAttributes?.category?.Value).toBe(notification.metadata.additionalContext.category);

  await alarmHandler(EVENT, lambdaContext()); // the same event again: a replay
  expect(await h.drainChat()).toEqual([]);
});
