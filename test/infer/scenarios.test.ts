/**
 * End-to-end scenarios (analyze → infer) over kubectl text in the formats kubelet, the scheduler
 * and controllers print, written for these tests.
 */
import { describe as suite, expect, it } from 'vitest';
import { analyze } from '../../functions/core/stages/analyze/index.js';
import { infer } from '../../functions/core/stages/infer/index.js';
import type { Category } from '../../functions/core/model/categories.js';
import type { CollectedContext } from '../../functions/core/model/evidence.js';
import { context, describe, incident, logs } from '../analyze/kubernetes/fixtures/context.js';

async function first(ctx: CollectedContext): Promise<{ category: Category; line: string }> {
  const inc = incident({ namespace: 'shop' });
  const { hypotheses } = await infer({ incident: inc, context: ctx, analysis: analyze(inc, ctx), retrieval: { passages: [], similarIncidents: [] } });
  return { category: hypotheses[0]!.category, line: hypotheses[0]!.evidence[0]?.text.trim() ?? '' };
}

const pod = (state: string, events: string[]): string => [
  'Name:             api-6d4cf56db6-q8xkz',
  'Namespace:        shop',
  'Node:             ip-10-0-2-7.ec2.internal/10.0.2.7',
  'Status:           Running',
  'Containers:',
  '  api:',
  '    Image:          123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2.3.1',
  ...state.split('\n'),
  'Events:',
  '  Type     Reason     Age                 From               Message',
  '  ----     ------     ----                ----               -------',
  ...events.map((e) => `  ${e}`),
].join('\n');

suite('scenarios', () => {
  it('missing ConfigMap mounted as a volume', async () => {
    const text = pod('    State:          Waiting\n      Reason:       ContainerCreating', [
      'Warning  FailedMount  2m (x9 over 4m)  kubelet  MountVolume.SetUp failed for volume "settings" : configmap "api-settings" not found',
    ]);
    expect(await first(context({ describes: [describe(text)] }))).toMatchObject({ category: 'missing_config_reference' });
  });

  it('liveness probe kills the container (exit 137 from the kill, not OOM)', async () => {
    const text = pod('    State:          Running\n    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    137\n    Restart Count:  5', [
      'Warning  Unhealthy  30s (x15 over 5m)  kubelet  Liveness probe failed: Get "http://10.0.2.31:8080/healthz": dial tcp 10.0.2.31:8080: connect: connection refused',
      'Normal   Killing    30s (x5 over 5m)   kubelet  Container api failed liveness probe, will be restarted',
    ]);
    expect((await first(context({ describes: [describe(text)] }))).category).toBe('probe_failure');
  });

  it('eviction for memory pressure', async () => {
    const text = ['Name:         api-6d4cf56db6-zz1x9', 'Namespace:    shop', 'Status:       Failed', 'Reason:       Evicted',
      'Message:      The node was low on resource: memory. Threshold quantity: 100Mi, available: 81024Ki. Container api was using 1433Mi, request is 256Mi.',
      'Containers:', '  api:', '    State:          Terminated', '      Exit Code:    137'].join('\n');
    expect((await first(context({ describes: [describe(text)] }))).category).toBe('memory_pressure_eviction');
  });

  it('ECR pull refused for lack of permission', async () => {
    const text = pod('    State:          Waiting\n      Reason:       ImagePullBackOff', [
      'Warning  Failed  1m (x4 over 2m)  kubelet  Failed to pull image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2.3.1": rpc error: code = Unknown desc = failed to pull and unpack image: failed to resolve reference: pulling from host 123456789012.dkr.ecr.eu-west-1.amazonaws.com failed with status code [manifests 2.3.1]: 403 Forbidden',
      'Warning  Failed  1m (x4 over 2m)  kubelet  Error: ErrImagePull',
      'Normal   BackOff 30s (x6 over 2m) kubelet  Back-off pulling image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2.3.1"',
    ]);
    expect(await first(context({ describes: [describe(text)] }))).toMatchObject({ category: 'image_pull_auth', line: expect.stringContaining('403 Forbidden') });
  });

  it('scheduling blocked mostly by taints, partly by cpu', async () => {
    const text = pod('    State:          Waiting', [
      "Warning  FailedScheduling  12s  default-scheduler  0/5 nodes are available: 1 Insufficient cpu, 4 node(s) had untolerated taint {dedicated: batch}. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.",
    ]);
    expect((await first(context({ describes: [describe(text)] }))).category).toBe('taint_not_tolerated');
  });

  it('Java heap exhaustion in the logs of a restarting container', async () => {
    const ctx = context({
      describes: [describe(pod('    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1', ['Warning  BackOff  1m (x12 over 6m)  kubelet  Back-off restarting failed container api in pod api-6d4cf56db6-q8xkz_shop(abc)']))],
      logs: logs('2026-01-01 10:00:01 INFO Starting OrdersApplication\n2026-01-01 10:00:09 ERROR Uncaught exception\njava.lang.OutOfMemoryError: Java heap space\n\tat java.util.Arrays.copyOf(Arrays.java:3236)'),
    });
    expect(await first(ctx)).toEqual({ category: 'heap_oom', line: 'java.lang.OutOfMemoryError: Java heap space' });
  });

  it('a healthy workload with ordinary logs has no diagnosis', async () => {
    const text = pod('    State:          Running\n    Ready:          True\n    Restart Count:  0', ['Normal  Pulled  5m  kubelet  Container image "api:2.3.1" already present on machine', 'Normal  Started  5m  kubelet  Started container api']);
    const ctx = context({ describes: [describe(text)], logs: logs('INFO GET /orders 200 12ms\nINFO GET /orders/42 200 9ms\nWARN slow query took 820ms') });
    expect((await first(ctx)).category).toBe('unknown');
  });
});
