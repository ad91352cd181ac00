import { describe, expect, it } from 'vitest';
import { buildKubernetesPlanBody, guardKubernetesAction } from '../../functions/core/ask/plans.js';
import { buildIacSpec } from '../../functions/core/ask/iac.js';
import { extractEntities, parseQuestion } from '../../functions/core/ask/intent.js';
import { CdkIacSynthesizer } from '../../functions/adapters/cdk/iac-synthesizer.js';

const NOW = new Date('2026-11-30T10:00:00Z');

describe('Kubernetes plans', () => {
  it('scales through the scale subresource with a merge patch, and gives the kubectl command', () => {
    const body = buildKubernetesPlanBody('scale', { workload: { name: 'checkout' }, namespace: 'shop', replicas: 5 }, NOW);
    expect(body.requests).toEqual([expect.objectContaining({
      method: 'PATCH', path: '/apis/apps/v1/namespaces/shop/deployments/checkout/scale',
      contentType: 'application/merge-patch+json', body: { spec: { replicas: 5 } },
    })]);
    expect(body.kubectl).toEqual(['kubectl scale deployment/checkout -n shop --replicas=5']);
  });

  it('restarts by stamping the pod template as kubectl rollout restart does', () => {
    const body = buildKubernetesPlanBody('restart', { workload: { name: 'redis', kind: 'StatefulSet' }, namespace: 'cache' }, NOW);
    expect(body.requests[0]).toMatchObject({ path: '/apis/apps/v1/namespaces/cache/statefulsets/redis', body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': NOW.toISOString() } } } } } });
    expect(body.kubectl[0]).toBe('kubectl rollout restart statefulset/redis -n cache');
  });

  it('cordons a node with spec.unschedulable', () => {
    const body = buildKubernetesPlanBody('cordon', { node: 'ip-10-0-1-23.ec2.internal' }, NOW);
    expect(body.requests[0]).toMatchObject({ method: 'PATCH', path: '/api/v1/nodes/ip-10-0-1-23.ec2.internal', body: { spec: { unschedulable: true } } });
  });

  it('refuses namespace deletion, kube-system and secret reads outright', () => {
    expect(guardKubernetesAction('delete', parseQuestion('delete namespace shop', NOW).entities)).toMatch(/namespaces is refused/);
    // No object named: not refused here, the reader asks back which pod.
    expect(guardKubernetesAction('delete', extractEntities('delete the stuck pod', NOW))).toBeUndefined();
    expect(guardKubernetesAction('restart', extractEntities('restart deployment coredns in namespace kube-system', NOW))).toMatch(/kube-system/);
    expect(guardKubernetesAction('read_secret', extractEntities('show secret db-credentials', NOW))).toMatch(/Secrets is refused/);
    expect(guardKubernetesAction('delete', extractEntities('delete deployment checkout', NOW))).toMatch(/only deleting a Pod/);
    expect(guardKubernetesAction('delete', extractEntities('delete pod checkout-abc in namespace shop', NOW))).toBeUndefined();
  });
});

describe('infrastructure as code', () => {
  const synth = new CdkIacSynthesizer();

  it('writes an ALB target 5xx-rate alarm as metric math and it synthesizes', async () => {
    const q = "alert me when the checkout target group's 5xx rate is over 1% for 5 minutes";
    const spec = buildIacSpec(q, extractEntities(q, NOW))!;
    expect(spec.kind).toBe('metric-math-alarm');
    const resources = await synth.synthesize(spec.snippet);
    const alarm = Object.values(resources).find((r: any) => r.Type === 'AWS::CloudWatch::Alarm') as any;
    expect(alarm.Properties).toMatchObject({ Threshold: 1, EvaluationPeriods: 5, DatapointsToAlarm: 5, ComparisonOperator: 'GreaterThanThreshold' });
    const names = alarm.Properties.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName).sort();
    expect(names).toEqual(['HTTPCode_Target_5XX_Count', 'RequestCount']);
    expect(alarm.Properties.Metrics.find((m: any) => m.Expression).Expression).toBe('100 * errors / requests');
  }, 60_000);

  it('writes a metric filter for OOMKilled on the cluster\'s Container Insights log group', async () => {
    const q = 'add a log metric filter for OOMKilled in cluster prod';
    const spec = buildIacSpec(q, extractEntities(q, NOW))!;
    const resources = await synth.synthesize(spec.snippet);
    const filter = Object.values(resources).find((r: any) => r.Type === 'AWS::Logs::MetricFilter') as any;
    expect(filter.Properties).toMatchObject({ LogGroupName: '/aws/containerinsights/prod/application', FilterPattern: '"OOMKilled"' });
    expect(Object.values(resources).some((r: any) => r.Type === 'AWS::CloudWatch::Alarm')).toBe(true);
  }, 60_000);

  it('writes an EventBridge rule for stopped ECS tasks', async () => {
    const q = 'create an eventbridge rule for ECS task stopped events in cluster prod';
    const spec = buildIacSpec(q, extractEntities(q, NOW))!;
    const resources = await synth.synthesize(spec.snippet);
    const rule = Object.values(resources).find((r: any) => r.Type === 'AWS::Events::Rule') as any;
    expect(rule.Properties.EventPattern).toMatchObject({ 'source': ['aws.ecs'], 'detail-type': ['ECS Task State Change'], detail: { lastStatus: ['STOPPED'] } });
  }, 60_000);

  it.each([
    ['set up an alarm when p99 latency of the web target group is above 2 seconds for 10 minutes', 'TargetResponseTime', 2, 10],
    ['alert me when the web target group latency is over 1500 ms', 'TargetResponseTime', 1.5, 5],
    ['create an alarm if the age of the oldest message in queue orders is over 5 minutes', 'ApproximateAgeOfOldestMessage', 300, 5],
    ['notify me when queue orders-dlq has more than 10 messages', 'ApproximateNumberOfMessagesVisible', 10, 5],
    ['alert me when lambda checkout-fn duration is over 2 seconds for 3 minutes', 'Duration', 2000, 3],
    ['page me when the orders-api lambda throttles more than 10 times in 5 minutes', 'Throttles', 10, 5],
  ])('%s → %s alarm, threshold in the metric\'s unit', (q, metricName, threshold, periods) => {
    const spec = buildIacSpec(q, extractEntities(q, NOW))!;
    expect(spec.kind).toBe('metric-alarm');
    expect(spec.snippet).toContain(`metricName: "${metricName}"`);
    expect(spec.snippet).toContain(`threshold: ${threshold},`);
    expect(spec.snippet).toContain(`evaluationPeriods: ${periods},`);
  });

  it('names the function, not the metric word after "lambda"', () => {
    const q = 'page me when the orders-api lambda throttles more than 10 times in 5 minutes';
    expect(buildIacSpec(q, extractEntities(q, NOW))!.snippet).toContain('{"FunctionName":"orders-api"}');
  });

  it('counts a quoted phrase in a function\'s logs with a metric filter', async () => {
    const q = 'alert me if "connection refused" appears in the payments function logs';
    const spec = buildIacSpec(q, extractEntities(q, NOW))!;
    expect(spec.kind).toBe('metric-filter');
    const resources = await synth.synthesize(spec.snippet);
    const filter = Object.values(resources).find((r: any) => r.Type === 'AWS::Logs::MetricFilter') as any;
    expect(filter.Properties).toMatchObject({ LogGroupName: '/aws/lambda/payments', FilterPattern: '"connection refused"' });
  }, 60_000);

  it('returns nothing for a request it cannot express', () => {
    expect(buildIacSpec('alert me sometimes', {})).toBeUndefined();
  });
});
