import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../../../functions/core/stages/normalize/index.js';
import { childAlarmNames } from '../../../../functions/core/stages/normalize/alarm.js';
import { fixture, normalizeFixture } from './helpers.js';

describe('EventBridge CloudWatch Alarm State Change', () => {
  it('reads a metric alarm: state, reason, metric, function, threshold and operator from the reason', () => {
    const incident = normalizeFixture('eventbridge-alarm-metric.json');
    expect(incident.source).toBe('cloudwatch-alarm');
    expect(incident.state).toBe('ALARM');
    expect(incident.previousState).toBe('OK');
    expect(incident.occurredAt).toBe('2026-03-14T09:26:53.220Z');
    expect(incident.region).toBe('eu-west-1');
    expect(incident.accountId).toBe('210987654321');
    expect(incident.functionName).toBe('checkout-api');
    expect(incident.severity).toBe('high');
    expect(incident.reason).toMatch(/^Threshold Crossed: 2 out of the last 3 datapoints/);
    expect(incident.alarm).toMatchObject({
      name: 'checkout-api-errors',
      arn: 'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:checkout-api-errors',
      type: 'metric',
      threshold: 5,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 3,
      description: 'Errors of the checkout API function',
    });
    expect(incident.alarm?.metrics[0]).toMatchObject({ namespace: 'AWS/Lambda', name: 'Errors', stat: 'Sum', periodSeconds: 60, dimensions: { FunctionName: 'checkout-api' } });
    expect(incident.resources).toContainEqual({ type: 'AWS::Lambda::Function', name: 'checkout-api' });
    expect(incident.resources[0]).toMatchObject({ type: 'AWS::CloudWatch::Alarm', name: 'checkout-api-errors' });
    expect(incident.title).toContain('checkout-api-errors');
  });

  it('reads a metric-math alarm: every query with its expression, and the ALB target 5xx hint', () => {
    const incident = normalizeFixture('eventbridge-alarm-metric-math.json');
    expect(incident.alarm?.type).toBe('metric-math');
    expect(incident.alarm?.metrics.map((m) => m.id)).toEqual(['e1', 'm1', 'm2']);
    expect(incident.alarm?.metrics[0]).toMatchObject({ expression: '100 * m1 / m2', returnData: true });
    expect(incident.alarm?.threshold).toBe(2);
    expect(incident.alarm?.comparisonOperator).toBe('GreaterThanThreshold');
    expect(incident.resources).toContainEqual({ type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', name: 'app/shop-alb/50dc6c495c0c9188' });
    expect(incident.hintedCategory).toBe('lb_target_5xx');
  });

  it('reads an anomaly-detection alarm and its band operator; the look-back covers the evaluation span', () => {
    const incident = normalizeFixture('eventbridge-alarm-anomaly.json');
    expect(incident.alarm?.type).toBe('anomaly-detection');
    expect(incident.alarm?.comparisonOperator).toBe('GreaterThanUpperThreshold');
    expect(incident.resources).toContainEqual({ type: 'AWS::SQS::Queue', name: 'orders-intake' });
    expect(incident.hintedCategory).toBe('queue_backlog');
    expect(incident.region).toBe('us-east-2');
  });

  it('reads a composite alarm: rule, child names (quoted, nested), triggering alarm, priority from the description', () => {
    const incident = normalizeFixture('eventbridge-alarm-composite.json');
    expect(incident.alarm?.type).toBe('composite');
    expect(incident.alarm?.alarmRule).toContain('ALARM("orders api 5xx")');
    expect(incident.alarm?.children).toEqual(['orders api 5xx', 'orders-db-cpu', 'maintenance-window']);
    expect(incident.resources).toContainEqual({ type: 'AWS::CloudWatch::Alarm', name: 'orders api 5xx', arn: 'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:orders api 5xx' });
    expect(incident.alarm?.comparisonOperator).toBeUndefined();
    expect(incident.severity).toBe('high'); // "P2" in the description
  });

  it('keeps a configuration change as an informational eventbridge incident with the alarm config', () => {
    const incident = normalizeFixture('eventbridge-alarm-config-change.json');
    expect(incident.source).toBe('eventbridge');
    expect(incident.severity).toBe('info');
    expect(incident.labels['operation']).toBe('update');
    expect(incident.alarm).toMatchObject({ threshold: 5, evaluationPeriods: 3, treatMissingData: 'breaching', comparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('maps priority words in alarm names to severity', () => {
    const base = fixture('eventbridge-alarm-metric.json') as any;
    const rename = (name: string, state = 'ALARM') => normalizeEvent(
      { ...base, detail: { ...base.detail, alarmName: name, configuration: { metrics: [] }, state: { ...base.detail.state, value: state } } },
      { input: 't' },
    ).severity;
    expect(rename('P1-checkout-down')).toBe('critical');
    expect(rename('checkout [warning]')).toBe('medium');
    expect(rename('checkout-low-priority')).toBe('low');
    expect(rename('checkout-errors', 'OK')).toBe('info');
    expect(rename('checkout-errors', 'INSUFFICIENT_DATA')).toBe('low');
  });
});

describe('SNS alarm notification', () => {
  it('reads the raw SNS notification: Trigger config, treatMissingData, subject label', () => {
    const incident = normalizeFixture('sns-notification-alarm.json');
    expect(incident.source).toBe('cloudwatch-alarm-sns');
    expect(incident.region).toBe('eu-west-1');
    expect(incident.alarm).toMatchObject({ type: 'metric', threshold: 5, evaluationPeriods: 3, comparisonOperator: 'GreaterThanOrEqualToThreshold', treatMissingData: 'breaching' });
    expect(incident.alarm?.metrics[0]).toMatchObject({ name: 'Errors', namespace: 'AWS/Lambda', stat: 'SUM', dimensions: { FunctionName: 'checkout-api' } });
    expect(incident.labels['snsSubject']).toBe('ALARM: "checkout-api-errors" in EU (Ireland)');
  });

  it('gives the same transition the same id through EventBridge, SNS, a Lambda SNS event and SQS', () => {
    const ids = ['eventbridge-alarm-metric.json', 'sns-notification-alarm.json', 'lambda-sns-alarm.json', 'sqs-sns-alarm.json']
      .map((f) => normalizeFixture(f).id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^inc-[0-9a-f]{20}$/);
  });

  it('reads a raw metric-math alarm message: region from the display name, Container Insights pod and namespace', () => {
    const incident = normalizeFixture('sns-alarm-message-metric-math.json');
    expect(incident.alarm?.type).toBe('metric-math');
    expect(incident.alarm?.treatMissingData).toBe('notBreaching');
    expect(incident.region).toBe('us-east-2');
    expect(incident.cluster).toBe('prod-eks');
    expect(incident.namespace).toBe('shop');
    expect(incident.resources).toContainEqual({ type: 'Pod', name: 'cart', namespace: 'shop', cluster: 'prod-eks' });
    expect(incident.resources).toContainEqual({ type: 'AWS::EKS::Cluster', name: 'prod-eks' });
  });
});

describe('SNS composite alarm message', () => {
  it('reads AlarmRule and TriggeringChildren', () => {
    const message = {
      AlarmName: 'payments-degraded',
      AlarmDescription: 'critical: payments path unhealthy',
      AWSAccountId: '210987654321',
      NewStateValue: 'ALARM',
      NewStateReason: 'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:payments-5xx transitioned to ALARM at Saturday 14 March, 2026 12:00:30 UTC',
      StateChangeTime: '2026-03-14T12:00:31.002+0000',
      Region: 'EU (Ireland)',
      AlarmArn: 'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:payments-degraded',
      OldStateValue: 'OK',
      AlarmRule: 'ALARM(payments-5xx) OR ALARM(payments-latency)',
      TriggeringChildren: [{ Arn: 'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:payments-5xx', State: { Value: 'ALARM', Timestamp: '2026-03-14T12:00:30.118+0000' } }],
    };
    const incident = normalizeEvent(message, { input: 'sns-message' });
    expect(incident.alarm).toMatchObject({ type: 'composite', children: ['payments-5xx', 'payments-latency'] });
    expect(incident.resources).toContainEqual({ type: 'AWS::CloudWatch::Alarm', name: 'payments-5xx', arn: 'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:payments-5xx' });
    expect(incident.severity).toBe('critical');
    expect(incident.region).toBe('eu-west-1');
  });
});

describe('Lambda alarm action payload', () => {
  it('reads a single-metric action: Lambda throttles hint and sev3 priority', () => {
    const incident = normalizeFixture('alarm-action-metric.json');
    expect(incident.source).toBe('cloudwatch-alarm-action');
    expect(incident.functionName).toBe('billing-worker');
    expect(incident.hintedCategory).toBe('lambda_throttling');
    expect(incident.severity).toBe('medium');
    expect(incident.alarm?.threshold).toBe(0);
    expect(incident.region).toBe('ap-southeast-2');
  });

  it('reads a composite action: children, suppressor label, triggering alarm ARN', () => {
    const incident = normalizeFixture('alarm-action-composite.json');
    expect(incident.alarm?.type).toBe('composite');
    expect(incident.alarm?.children).toEqual(['billing-worker-throttles', 'billing-dlq-depth']);
    expect(incident.labels['actionsSuppressor']).toBe('billing-maintenance');
    expect(incident.resources.filter((r) => r.name === 'billing-worker-throttles').some((r) => r.arn)).toBe(true);
  });
});

describe('childAlarmNames', () => {
  it('reads names, quoted names and ARNs from an alarm rule, once each', () => {
    expect(childAlarmNames('ALARM(a) OR OK("b c") AND NOT INSUFFICIENT_DATA(arn:aws:cloudwatch:us-east-1:111122223333:alarm:d) OR ALARM(a)'))
      .toEqual(['a', 'b c', 'd']);
    expect(childAlarmNames('TRUE')).toEqual([]);
  });
});
