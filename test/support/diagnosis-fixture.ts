/**
 * A realistic Diagnosis built by hand, for tests of renderers, stores and pages that must not
 * depend on the whole pipeline. Override any field with `overrides`.
 */
import type { Diagnosis } from '../../functions/core/model/diagnosis.js';

export function diagnosisFixture(overrides: Partial<Diagnosis> = {}): Diagnosis {
  const start = Date.parse('2026-11-30T06:12:00Z');
  const minute = 60_000;
  const base: Diagnosis = {
    schemaVersion: '1.0',
    id: 'inc-0123456789abcdef0123',
    createdAt: '2026-11-30T06:42:15.000Z',
    incident: {
      id: 'inc-0123456789abcdef0123',
      source: 'cloudwatch-alarm',
      title: 'shop-checkout-pod-restarts',
      severity: 'high',
      occurredAt: '2026-11-30T06:42:10.091Z',
      window: { start: '2026-11-30T06:12:10.091Z', end: '2026-11-30T06:43:10.091Z' },
      state: 'ALARM',
      previousState: 'OK',
      reason: 'Threshold Crossed: 1 out of the last 1 datapoints [4.0] was greater than the threshold (2.0).',
      region: 'eu-west-1',
      accountId: '111122223333',
      resources: [
        { type: 'AWS::CloudWatch::Alarm', name: 'shop-checkout-pod-restarts', arn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:shop-checkout-pod-restarts' },
        { type: 'Pod', name: 'checkout', namespace: 'shop', cluster: 'prod-eu' },
      ],
      alarm: {
        name: 'shop-checkout-pod-restarts',
        type: 'metric',
        metrics: [{ namespace: 'ContainerInsights', name: 'pod_number_of_container_restarts', dimensions: { ClusterName: 'prod-eu', Namespace: 'shop', PodName: 'checkout' }, stat: 'Maximum', periodSeconds: 300 }],
        threshold: 2,
        comparisonOperator: 'GreaterThanThreshold',
      },
      cluster: 'prod-eu',
      namespace: 'shop',
      labels: {},
    },
    hypotheses: [
      {
        category: 'oom_killed',
        confidence: 0.91,
        summary: 'Container checkout in pod shop/checkout-7d9f8b6c5-x2mqp was OOMKilled (exit code 137) and is restarting.',
        evidence: [
          { text: '      Reason:       OOMKilled', source: 'pod-describe.txt', line: 22 },
          { text: '      Exit Code:    137', source: 'pod-describe.txt', line: 23 },
        ],
        actions: [
          { description: 'Confirm the last termination reason of the container.', command: 'kubectl get pod checkout-7d9f8b6c5-x2mqp -n shop -o jsonpath="{.status.containerStatuses[*].lastState.terminated.reason}"' },
          { description: 'Raise the memory limit or reduce the heap (e.g. -XX:MaxRAMPercentage=75).', command: 'kubectl set resources deployment/checkout -n shop --limits=memory=768Mi' },
        ],
        runbooks: [{ title: 'Memory: OOM kills and evictions', heading: 'oom_killed', path: 'bundled/oom-and-memory.md' }],
      },
      {
        category: 'dependency_unreachable',
        confidence: 0.12,
        summary: 'A connection to a downstream service was reset.',
        evidence: [{ text: '2026-11-30T06:41:03.553Z ERROR [cart-export-2] c.s.checkout.CartExporter - export failed for snapshot batch 7781: connection reset by peer', source: 'app.log', line: 1254 }],
        actions: [],
        runbooks: [],
      },
    ],
    findings: [
      { analyzer: 'PodAnalyzer', kind: 'Pod', name: 'checkout-7d9f8b6c5-x2mqp', namespace: 'shop', severity: 'critical', message: 'Container checkout last terminated with OOMKilled (exit code 137); 4 restarts.', category: 'oom_killed', evidence: [{ text: '      Reason:       OOMKilled', source: 'pod-describe.txt', line: 22 }] },
    ],
    logPatterns: [
      {
        templateId: 't1', template: '<*> INFO [<*>] c.s.checkout.OrderController - POST /v1/checkout order=<*> items=<*> status=<*> duration_ms=<*>',
        count: 690, baselineCount: 0, level: 'INFO', samples: [], isNew: false, isSpiking: false,
        timeline: { bucketMs: 5 * minute, start, counts: [110, 120, 115, 118, 112, 115] },
      },
      {
        templateId: 't2', template: '<*> WARN [scheduling-1] c.s.checkout.CacheMetrics - cart cache above soft limit: entries=<*> heap_used_mb=<*>',
        count: 31, baselineCount: 0, level: 'WARN', samples: [], isNew: true, isSpiking: false,
        timeline: { bucketMs: 5 * minute, start, counts: [0, 2, 5, 7, 8, 9] },
      },
    ],
    similarIncidents: [],
    degraded: [{ component: 'cloudwatch-metrics', kind: 'permission', reason: "the function's role lacks cloudwatch:GetMetricData" }],
    metrics: [{ id: 'm1', label: 'pod_number_of_container_restarts', timestamps: [0, 1, 2, 3, 4, 5, 6].map((i) => start + i * 5 * minute), values: [0, 0, 1, 1, 2, 3, 4], threshold: 2 }],
    redactions: [{ kind: 'password-in-url', count: 1 }],
    summary: 'checkout in shop was OOMKilled.',
    timings: { collect: 12, analyze: 30 },
  };
  return { ...base, ...overrides };
}
