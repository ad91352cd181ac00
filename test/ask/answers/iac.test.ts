/**
 * Infrastructure as code from parsed entities: counts stay counts, percentages stay percentages,
 * named resources are used, and alarms are wired to the incident topic or say an action is needed.
 * Each snippet is synthesized with aws-cdk-lib to check the CloudFormation it produces.
 */
import { describe, expect, it } from 'vitest';
import { buildIacSpec } from '../../../functions/core/ask/iac.js';
import { CdkIacSynthesizer } from '../../../functions/adapters/cdk/iac-synthesizer.js';
import { answerAs, answerWorld } from './world.js';

const synth = new CdkIacSynthesizer();
// In the synthesizer's account and region: a rule cannot target a topic of another account or region.
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:ops-incidents';
const resourcesOf = async (snippet: string) => Object.values(await synth.synthesize(snippet)) as Array<{ Type: string; Properties: any }>;
const alarmOf = async (snippet: string) => (await resourcesOf(snippet)).find((r) => r.Type === 'AWS::CloudWatch::Alarm')!.Properties;

describe('iac: counts stay counts, percentages stay percentages', () => {
  it('thresholdPercent on a named target group and ALB → metric-math percentage alarm, wired to the incident topic', async () => {
    const q = 'alert me when the checkout-tg target group on alb shop-public returns more than 2% 5xx for 5 minutes';
    const spec = buildIacSpec(q, { targetGroup: 'checkout-tg', loadBalancer: 'shop-public', thresholdPercent: 2 }, { incidentTopicArn: TOPIC })!;
    expect(spec.kind).toBe('metric-math-alarm');
    expect(spec.action).toEqual({ kind: 'sns', topicArn: TOPIC });
    const alarm = await alarmOf(spec.snippet);
    expect(alarm).toMatchObject({ Threshold: 2, EvaluationPeriods: 5, AlarmActions: [TOPIC] });
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toBe('100 * errors / requests');
    const dims = alarm.Metrics.find((m: any) => m.MetricStat).MetricStat.Metric.Dimensions;
    expect(dims).toEqual(expect.arrayContaining([{ Name: 'TargetGroup', Value: 'targetgroup/checkout-tg/<target-group-id>' }, { Name: 'LoadBalancer', Value: 'app/shop-public/<load-balancer-id>' }]));
  }, 60_000);

  it('thresholdCount → a Sum threshold on HTTPCode_Target_5XX_Count, not a rate', async () => {
    const q = 'alarm when the checkout-tg target group has more than 50 5xx errors a minute';
    const spec = buildIacSpec(q, { targetGroup: 'checkout-tg', thresholdCount: 50 }, { incidentTopicArn: TOPIC })!;
    expect(spec.kind).toBe('metric-alarm');
    const alarm = await alarmOf(spec.snippet);
    expect(alarm).toMatchObject({ Threshold: 50, MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum', Namespace: 'AWS/ApplicationELB', AlarmActions: [TOPIC] });
    expect(alarm.Metrics).toBeUndefined();
  }, 60_000);

  it('the words alone: "50 5xx" is a count, "5xx rate over 1%" a percentage', () => {
    const count = buildIacSpec('alert me when the web target group returns over 50 5xx', {})!;
    const rate = buildIacSpec('alert me when the web target group 5xx rate is over 1%', {})!;
    expect(count.kind).toBe('metric-alarm');
    expect(count.snippet).toContain('metricName: \'HTTPCode_Target_5XX_Count\'');
    expect(rate.kind).toBe('metric-math-alarm');
  });

  it('a named Lambda function: percent of invocations as metric math, a count of errors as Sum', async () => {
    const pct = buildIacSpec('alert if the resize-images lambda fails on more than 5% of invocations', { function: 'resize-images', thresholdPercent: 5 })!;
    expect(pct.kind).toBe('metric-math-alarm');
    const pctAlarm = await alarmOf(pct.snippet);
    expect(pctAlarm.Threshold).toBe(5);
    expect(pctAlarm.Metrics.find((m: any) => m.Expression).Expression).toBe('100 * errors / MAX([invocations, 1])');
    expect(pctAlarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions[0].Value)).toEqual(['resize-images', 'resize-images']);
    const count = buildIacSpec('alert if the resize-images lambda has more than 3 errors', { function: 'resize-images', thresholdCount: 3 })!;
    expect(await alarmOf(count.snippet)).toMatchObject({ MetricName: 'Errors', Statistic: 'Sum', Threshold: 3, Dimensions: [{ Name: 'FunctionName', Value: 'resize-images' }] });
  }, 60_000);

  it('a named queue and a named cluster are used as named', async () => {
    const queue = buildIacSpec('alarm when the backlog is over 1000 messages', { queue: 'orders-events', thresholdCount: 1000 })!;
    expect(await alarmOf(queue.snippet)).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1000, Dimensions: [{ Name: 'QueueName', Value: 'orders-events' }] });
    const rule = buildIacSpec('create an eventbridge rule for ECS task stopped events', { cluster: 'shop-ecs' }, { incidentTopicArn: TOPIC })!;
    const resources = await resourcesOf(rule.snippet);
    const r = resources.find((x) => x.Type === 'AWS::Events::Rule')!.Properties;
    expect(r.EventPattern.detail.clusterArn).toEqual([{ wildcard: '*:cluster/shop-ecs' }]);
    expect(r.Targets).toEqual([expect.objectContaining({ Arn: TOPIC })]);
  }, 60_000);
});

describe('iac: a load balancer named without a target group', () => {
  it.each([
    ['alarm when checkout-alb target 5xx > 50 in 5 min', 'checkout-alb'],
    ['cdk alarm for alb web-prod 5xx above 20', 'web-prod'],
    ['alert if the shop-public load balancer has more than 10 5xx', 'shop-public'],
  ])('%s → the LoadBalancer dimension alone, named %s (no target group invented from the words)', async (q, alb) => {
    const { parseQuestion } = await import('../../../functions/core/ask/intent.js');
    const spec = buildIacSpec(q, parseQuestion(q, new Date('2026-12-08T00:00:00Z')).entities)!;
    const alarm = await alarmOf(spec.snippet);
    const stat = alarm.MetricName ? alarm : alarm.Metrics.find((m: any) => m.MetricStat).MetricStat.Metric;
    expect(stat.Dimensions).toEqual([{ Name: 'LoadBalancer', Value: `app/${alb}/<load-balancer-id>` }]);
    expect(spec.description).toContain('LoadBalancer id');
  }, 60_000);
});

describe('iac: the incident topic or an action needed', () => {
  it('without the topic ARN the snippet carries the wiring commented out, and the answer says an action is needed', async () => {
    const deps = await answerWorld(undefined, { now: new Date('2026-11-30T10:00:00Z') });
    const r = await answerAs(deps, 'alert me when the checkout target group 5xx rate is over 1% for 5 minutes', { intent: 'infrastructure_as_code', entities: { targetGroup: 'checkout', thresholdPercent: 1 } });
    expect(r.answer).toContain('An action is needed: as written it notifies no one');
    expect(r.plan!.iac!.cdk).toContain('// ACTION NEEDED: this notifies no one until it has an action.');
    expect(r.plan!.iac!.cdk).toContain('// checkoutTarget5xxRate.addAlarmAction(new cw_actions.SnsAction(incidentTopic));');
  });

  it('with the topic ARN the answer says whom it notifies, and the synthesized alarm has the SNS action', async () => {
    const deps = { ...(await answerWorld(undefined, { now: new Date('2026-11-30T10:00:00Z') })), incidentTopicArn: TOPIC, iac: synth };
    const r = await answerAs(deps, 'alert me when the checkout target group 5xx rate is over 1% for 5 minutes', { intent: 'infrastructure_as_code', entities: { targetGroup: 'checkout', thresholdPercent: 1 } });
    expect(r.answer).toContain(`It notifies the incident topic ${TOPIC} (an SNS action).`);
    expect(r.plan!.iac!.synthesized).toMatchObject({ ok: true });
    const alarm = Object.values(r.plan!.iac!.cloudformation!).find((x: any) => x.Type === 'AWS::CloudWatch::Alarm') as any;
    expect(alarm.Properties.AlarmActions).toEqual([TOPIC]);
  }, 60_000);
});
