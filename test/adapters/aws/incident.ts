/** Test incidents, built by hand (our own fixtures). */
import type { Incident } from '../../../functions/core/model/incident.js';

/** An alarm incident on the `Orders/OrdersApiErrors` metric at `occurredAt`. */
export function alarmIncident(overrides: Partial<Incident> = {}, occurredAt = '2026-11-30T07:00:00.000Z'): Incident {
  const t = Date.parse(occurredAt);
  return {
    id: 'inc-0123456789abcdef0123',
    source: 'cloudwatch-alarm',
    title: 'CloudWatch Alarm State Change: orders-api-errors',
    severity: 'high',
    occurredAt,
    window: { start: new Date(t - 30 * 60_000).toISOString(), end: new Date(t + 60_000).toISOString() },
    baseline: { start: new Date(t - 90 * 60_000).toISOString(), end: new Date(t - 30 * 60_000).toISOString() },
    state: 'ALARM',
    previousState: 'OK',
    reason: 'Threshold Crossed: 1 out of the last 1 datapoints [61.0 (30/11/26 06:59:00)] was greater than the threshold (10.0).',
    region: 'eu-west-1',
    accountId: '111122223333',
    resources: [{ type: 'AWS::CloudWatch::Alarm', name: 'orders-api-errors', arn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:orders-api-errors' }],
    alarm: {
      name: 'orders-api-errors',
      arn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:orders-api-errors',
      type: 'metric',
      metrics: [{ id: '30b6c6b2-a864-43a2-4877-c09a1afc3b87', namespace: 'Orders', name: 'OrdersApiErrors', dimensions: { FunctionName: 'orders-worker' }, stat: 'Sum', periodSeconds: 60, returnData: true }],
      threshold: 10,
      comparisonOperator: 'GreaterThanThreshold',
    },
    labels: {},
    ...overrides,
  };
}

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST000000', secretAccessKey: 'local-test-secret' };
