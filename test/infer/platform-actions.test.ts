/**
 * Remediation commands follow the incident's platform, read from the event or, without one, from
 * the evidence: ECS service events and Lambda logs through the diagnose use case get `aws ecs` /
 * `aws lambda` commands and never `kubectl`; a Kubernetes incident keeps its `kubectl` commands.
 * Dependency commands name the one `host:port` their evidence names.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { diagnoseEvidenceTexts, diagnoseLocal, REPO_ROOT } from '../../functions/composition/local.js';
import { endpointOf, evidencePlatform } from '../../functions/core/stages/infer/index.js';
import type { Diagnosis } from '../../functions/core/model/diagnosis.js';

const DATA = path.resolve(REPO_ROOT, '../shared/data');
const KUBERNETES = /\bkubectl\b|\baws eks\b/;

function commands(d: Diagnosis): string[] {
  return d.hypotheses.flatMap((h) => h.actions.flatMap((a) => (a.command ? [a.command] : [])));
}

// The wording of Amazon ECS service event messages (Amazon ECS Developer Guide, "Amazon ECS service event messages").
const PLACEMENT = '2026-12-07T10:00:00Z (service shop-api) was unable to place a task because no container instance met all of its requirements. The closest matching container-instance 0f1e2d3c4b5a69788796a5b4c3d2e1f0 has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

describe('platform-aware actions through the diagnose use case', () => {
  it('an ECS service event pasted alone gets ECS commands with its service and container instance, no kubectl', async () => {
    const d = await diagnoseEvidenceTexts([{ name: 'service-events.txt', text: `${PLACEMENT}\n` }], { useModel: false });
    expect(d.hypotheses[0]!.category).toBe('insufficient_memory');
    const lead = d.hypotheses[0]!.actions.map((a) => a.command ?? '');
    expect(lead.some((c) => c.startsWith('aws ecs describe-services ') && c.includes('--services shop-api'))).toBe(true);
    expect(lead.some((c) => c.startsWith('aws ecs describe-container-instances ') && c.includes('0f1e2d3c4b5a69788796a5b4c3d2e1f0'))).toBe(true);
    expect(commands(d).filter((c) => KUBERNETES.test(c))).toEqual([]);
  }, 60_000);

  it('an ECS Service Action event (SERVICE_TASK_PLACEMENT_FAILURE) gets ECS commands for its cluster and service', async () => {
    const eventPath = path.join(DATA, 'aws-events/awsdocs-amazon-ecs-developer-guide/extracted/08-example-service-task-placement-failure-event.json');
    const { diagnosis } = await diagnoseLocal({ eventPath, evidencePaths: [], useModel: false });
    const all = commands(diagnosis!);
    expect(all.some((c) => c.includes('aws ecs describe-services --cluster default --services servicetest'))).toBe(true);
    expect(all.filter((c) => KUBERNETES.test(c))).toEqual([]);
  }, 60_000);

  it('Lambda logs of a timeout (a CloudWatch Logs subscription payload) get Lambda commands for the function, no kubectl', async () => {
    const evidence = path.join(DATA, 'cloudwatch-logs/datadog-serverless-functions/integration-snapshots/cloudwatch_log_timeout.json');
    const { diagnosis } = await diagnoseLocal({ evidencePaths: [evidence], useModel: false });
    const all = commands(diagnosis!);
    expect(diagnosis!.hypotheses[0]!.category).toBe('lambda_timeout');
    expect(all.some((c) => c.startsWith('aws lambda get-function-configuration --function-name storms-cloudwatch-event'))).toBe(true);
    expect(all.filter((c) => KUBERNETES.test(c))).toEqual([]);
  }, 60_000);

  it('a Lambda function that cannot reach its database gets Lambda commands, not the Kubernetes ones of the category', async () => {
    const text = [
      'START RequestId: 6f7c2d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f Version: $LATEST',
      '2026-12-07T10:00:01.000Z\t6f7c2d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"connect ECONNREFUSED 10.0.3.7:5432","code":"ECONNREFUSED","address":"10.0.3.7","port":5432}',
      'END RequestId: 6f7c2d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f',
      'REPORT RequestId: 6f7c2d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f\tDuration: 12.16 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 48 MB\t',
    ].join('\n');
    const d = await diagnoseEvidenceTexts([{ name: 'orders.log', text }], { useModel: false });
    expect(commands(d).length).toBeGreaterThan(0);
    expect(commands(d).filter((c) => KUBERNETES.test(c))).toEqual([]);
    expect(commands(d).some((c) => c.startsWith('aws lambda ') || c.startsWith('aws logs '))).toBe(true);
  }, 60_000);

  it('a Lambda function out of Node.js heap gets the memory-size change, not kubectl set env', async () => {
    const text = [
      'START RequestId: 6f7c2d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f Version: $LATEST',
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      'END RequestId: 6f7c2d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f',
      'REPORT RequestId: 6f7c2d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f\tDuration: 812.16 ms\tBilled Duration: 813 ms\tMemory Size: 256 MB\tMax Memory Used: 256 MB\t',
    ].join('\n');
    const d = await diagnoseEvidenceTexts([{ name: 'function.log', text }], { useModel: false });
    expect(d.hypotheses[0]!.category).toBe('node_heap_oom');
    expect(d.hypotheses[0]!.actions.some((a) => a.command?.startsWith('aws lambda update-function-configuration ') && a.command.includes('--memory-size'))).toBe(true);
    expect(commands(d).filter((c) => KUBERNETES.test(c))).toEqual([]);
  }, 60_000);

  it('the bundled Kubernetes example (oom_killed) keeps its kubectl commands', async () => {
    const example = path.join(REPO_ROOT, 'examples/checkout-oom');
    const { diagnosis } = await diagnoseLocal({
      eventPath: path.join(example, 'alarm.json'),
      evidencePaths: ['pod-describe.txt', 'events.txt', 'app.log', 'metric-data.json'].map((f) => path.join(example, f)),
      useModel: false,
    });
    const lead = diagnosis!.hypotheses[0]!;
    expect(lead.category).toBe('oom_killed');
    expect(lead.actions.some((a) => a.command?.startsWith('kubectl describe pod checkout-'))).toBe(true);
  }, 60_000);

  it('fills <host> <port> when the evidence names exactly one dependency, and leaves them when it names two', async () => {
    const one = await diagnoseEvidenceTexts([{
      name: 'checkout.log',
      text: '2026-12-07T10:00:00Z ERROR checkout failed: Get "http://inventory.shop.svc:8080/items": dial tcp 10.100.12.7:8080: connect: connection refused\n',
    }], { useModel: false });
    const lead = one.hypotheses[0]!;
    expect(lead.category).toBe('dependency_unreachable');
    expect(lead.actions.map((a) => a.command)).toContain('kubectl exec <pod> -n <namespace> -- nc -zv -w 5 inventory.shop.svc 8080');
    expect(lead.actions.map((a) => a.command)).toContain('kubectl get endpoints -A | grep inventory');

    const two = await diagnoseEvidenceTexts([{
      name: 'checkout.log',
      text: '2026-12-07T10:00:00Z ERROR dial tcp 10.0.3.7:5432: connect: connection refused\n2026-12-07T10:00:01Z ERROR dial tcp 10.0.3.8:6379: connect: connection refused\n',
    }], { useModel: false });
    const dep = two.hypotheses.find((h) => h.category === 'dependency_unreachable')!;
    expect(dep.actions.some((a) => a.command?.includes('nc -zv -w 5 <host> <port>'))).toBe(true);
  }, 60_000);
});

describe('endpointOf', () => {
  it('reads one host:port in its forms and refuses files, times, DNS servers and several endpoints', () => {
    expect(endpointOf(['dial tcp 10.0.3.7:5432: connect: connection refused'])).toEqual({ host: '10.0.3.7', port: '5432' });
    expect(endpointOf(['connect ECONNREFUSED db:5432'])).toEqual({ host: 'db', port: '5432', hostService: 'db' });
    expect(endpointOf(['could not connect to server at "orders.cluster-abc.us-east-1.rds.amazonaws.com:5432"'])).toEqual({ host: 'orders.cluster-abc.us-east-1.rds.amazonaws.com', port: '5432' });
    expect(endpointOf(['at handler (/app/server.js:42:13)', 'File "app.py:88"', 'ts=2026-12-07T10:00:00Z'])).toBeUndefined();
    expect(endpointOf(['dial tcp: lookup inventory.shop.svc on 10.100.0.10:53: no such host'])).toBeUndefined();
    expect(endpointOf(['dial tcp 10.0.3.7:5432: i/o timeout', 'dial tcp 10.0.3.8:6379: i/o timeout'])).toBeUndefined();
  });
});

describe('evidencePlatform', () => {
  it('tells ECS from Lambda evidence and reads names only when there is one of each', () => {
    expect(evidencePlatform([{ message: PLACEMENT, source: 'events.txt' }])).toEqual({ platform: 'ecs', ecsService: 'shop-api', containerInstance: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' });
    expect(evidencePlatform([
      { message: 'stoppedReason: Essential container in task exited arn:aws:ecs:eu-west-1:111122223333:task/prod/0123456789abcdef0123456789abcdef', source: 'tasks.json' },
    ])).toEqual({ platform: 'ecs', ecsCluster: 'prod', task: '0123456789abcdef0123456789abcdef', region: 'eu-west-1' });
    expect(evidencePlatform([{ message: 'REPORT RequestId: 7c9567b5-107b-4a6c-8798-0157ac21db52\tDuration: 3003.16 ms', source: '/aws/lambda/orders' }])).toEqual({ platform: 'lambda', function: 'orders' });
    expect(evidencePlatform([
      { message: '(service a) has reached a steady state.', source: 'x' },
      { message: '(service b) has reached a steady state.', source: 'x' },
    ])).toEqual({ platform: 'ecs' });
    expect(evidencePlatform([{ message: 'GET /healthz 200 3ms', source: 'app.log' }])).toEqual({});
  });
});
