import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEvidenceText } from '../../../../functions/core/stages/collect/formats/index.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

describe('kubectl get tables become minimal objects', () => {
  it('maps pod STATUS and RESTARTS to container states, phases and restart counts', () => {
    const text = fixture('get-pods.txt');
    const ctx = parseEvidenceText(text, 'pods.txt');
    const pods = Object.fromEntries(ctx.kubernetesObjects!.map((o) => [o.metadata.name, o]));
    expect(Object.keys(pods)).toHaveLength(8);
    expect(ctx.logs).toEqual([]);
    const crash = pods['checkout-7c9d8f6b5-x2k4p']!;
    expect(crash.status.containerStatuses[0]).toMatchObject({ state: { waiting: { reason: 'CrashLoopBackOff' } }, restartCount: 6, ready: false });
    expect(crash._line).toBe(3);
    expect(crash['_text']).toBe(text.split('\n')[2]);
    expect(pods['api-66b9c-zt7rx']!.status).toMatchObject({ phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff' } } }] });
    expect(pods['report-5d8f7-qq2lm']!.status.phase).toBe('Pending');
    expect(pods['worker-6d4cf56db6-9xk2z']!.status.containerStatuses[0]).toMatchObject({
      state: { terminated: { reason: 'OOMKilled', exitCode: 137 } }, lastState: { terminated: { reason: 'OOMKilled' } }, restartCount: 4,
    });
    expect(pods['web-0']!.status).toMatchObject({ phase: 'Running', containerStatuses: [{ ready: true, restartCount: 0 }] });
    expect(pods['cfg-5c7f9-abcde']!.status.containerStatuses[0].state.waiting.reason).toBe('CreateContainerConfigError');
    expect(pods['migrate-xk9p2']!.status).toMatchObject({ phase: 'Pending', initContainerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } }, restartCount: 3 }] });
    expect(pods['batch-7f-fghij']!.status).toMatchObject({ phase: 'Failed', reason: 'Evicted' });
  });

  it('reads the NAMESPACE column and -o wide columns', () => {
    const ctx = parseEvidenceText(fixture('get-pods-wide-all.txt'), 'wide.txt');
    expect(ctx.kubernetesObjects!.map((o) => [o.metadata.namespace, o.metadata.name, o.spec.nodeName])).toEqual([
      ['kube-system', 'coredns-5d78c9869d-7wq9k', 'ip-10-0-1-20.ec2.internal'],
      ['payments', 'ledger-0', 'ip-10-0-2-40.ec2.internal'],
      ['payments', 'ledger-1', 'ip-10-0-2-41.ec2.internal'],
    ]);
    expect(ctx.kubernetesObjects![1]!.status.containerStatuses[0]).toMatchObject({ ready: false, restartCount: 2 });
    expect(ctx.kubernetesObjects![2]!.status.containerStatuses[0].state.waiting.reason).toBe('ContainerCreating');
  });

  it('maps node STATUS to the Ready condition and SchedulingDisabled to unschedulable', () => {
    const ctx = parseEvidenceText(fixture('get-nodes.txt'), 'nodes.txt');
    expect(ctx.kubernetesObjects!.map((o) => [o.kind, o.status.conditions[0].status, o.spec.unschedulable === true])).toEqual([
      ['Node', 'True', false], ['Node', 'False', false], ['Node', 'True', true],
    ]);
  });

  it('reads PVC, Deployment, Job and HPA tables; keeps tables of other kinds as log lines', () => {
    const text = fixture('get-misc.txt');
    const ctx = parseEvidenceText(text, 'misc.txt');
    const byKind = Object.fromEntries(ctx.kubernetesObjects!.map((o) => [o.kind, o]));
    expect(byKind['PersistentVolumeClaim']).toMatchObject({ metadata: { name: 'data-postgres-0' }, status: { phase: 'Pending' }, spec: { storageClassName: 'fast-ssd' } });
    expect(byKind['Deployment']).toMatchObject({ spec: { replicas: 3 }, status: { readyReplicas: 1, availableReplicas: 1 } });
    expect(byKind['Job']).toMatchObject({ spec: { completions: 1 }, status: { succeeded: 0, conditions: [{ type: 'Failed', status: 'True' }] } });
    expect(byKind['HorizontalPodAutoscaler']).toMatchObject({ spec: { minReplicas: 2, maxReplicas: 10 }, status: { currentReplicas: 10 } });
    expect(ctx.logs!.map((e) => e.line)).toEqual([13, 14]);
    expect(ctx.logs![1]!.message).toBe(text.split('\n')[13]);
  });

  it('reads headerless pod rows (kubectl get pods -A --no-headers)', () => {
    const ctx = parseEvidenceText(fixture('headless-pods.txt'), 'h.txt');
    expect(ctx.kubernetesObjects!.map((o) => [o.metadata.namespace, o.metadata.name, o.status.containerStatuses[0].restartCount, o._line])).toEqual([
      ['default', 'payment-processing-worker-747ccfb9db-78qds', 1, 1],
      [undefined, 'web-0', 0, 2],
    ]);
    expect(ctx.kubernetesObjects![0]!.status.containerStatuses[0].state.waiting.reason).toBe('CrashLoopBackOff');
  });
});

describe('tables followed by other text without a blank line', () => {
  it('ends a pod table at the first line that is not a pod row', () => {
    const text = [
      'NAME        READY   STATUS             RESTARTS   AGE',
      'api-7d9-x   0/1     CrashLoopBackOff   5          3m',
      '2026-11-30T07:00:00Z ERROR could not connect to db',
      'ERROR: retry budget exhausted',
    ].join('\n');
    const ctx = parseEvidenceText(text, 't.txt');
    expect(ctx.kubernetesObjects!.map((o) => o.metadata.name)).toEqual(['api-7d9-x']);
    expect(ctx.logs!.map((e) => e.line)).toEqual([3, 4]);
  });

  it('ends an events table at the first line that is not an event row', () => {
    const text = [
      'LAST SEEN   TYPE      REASON    OBJECT      MESSAGE',
      '5s          Warning   BackOff   pod/a-1     Back-off restarting failed container',
      'panic: runtime error: index out of range [3] with length 3',
    ].join('\n');
    const ctx = parseEvidenceText(text, 't.txt');
    expect(ctx.kubernetesEvents).toHaveLength(1);
    expect(ctx.logs!.map((e) => [e.line, e.message])).toEqual([[3, 'panic: runtime error: index out of range [3] with length 3']]);
  });

  it('ends a YAML region at a column-0 line that is not a camelCase key', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nERROR: pod a failed\n';
    const ctx = parseEvidenceText(text, 't.txt');
    expect(ctx.kubernetesObjects!.map((o) => o.metadata.name)).toEqual(['a']);
    expect(ctx.kubernetesObjects![0]!['ERROR']).toBeUndefined();
    expect(ctx.logs).toEqual([{ message: 'ERROR: pod a failed', source: 't.txt', line: 5 }]);
  });
});

describe('large tables', () => {
  it('reads an events table of 150 000 rows (no call-stack overflow)', () => {
    const header = 'LAST SEEN   TYPE      REASON      OBJECT            MESSAGE';
    const rows = Array.from({ length: 150_000 }, (_, k) => `${String(k % 60).padEnd(2)}s         Warning   BackOff     pod/p-${String(k).padEnd(8)}  Back-off restarting failed container ${k}`);
    const ctx = parseEvidenceText([header, ...rows].join('\n'), 'big.txt');
    expect(ctx.kubernetesEvents).toHaveLength(150_000);
    expect(ctx.kubernetesEvents![149_999]).toMatchObject({ line: 150_001, object: 'pod/p-149999', message: 'Back-off restarting failed container 149999' });
  });
});

describe('kubectl get all', () => {
  it('strips the kind prefix of names and reads each table', () => {
    const text = [
      'NAME                       READY   STATUS             RESTARTS      AGE',
      'pod/api-6d9f8c7b5-k2v9x    0/1     CrashLoopBackOff   9 (2m ago)    30m',
      '',
      'NAME          TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE',
      'service/api   ClusterIP   172.20.31.4    <none>        80/TCP    30m',
      '',
      'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE',
      'deployment.apps/api   0/1     1            0           30m',
    ].join('\n');
    const ctx = parseEvidenceText(text, 'all.txt');
    expect(ctx.kubernetesObjects!.map((o) => [o.kind, o.metadata.name, o._line])).toEqual([['Pod', 'api-6d9f8c7b5-k2v9x', 2], ['Deployment', 'api', 8]]);
    expect(ctx.logs!.map((e) => e.line)).toEqual([4, 5]);
  });
});
