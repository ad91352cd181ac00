import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EKSClient } from '@aws-sdk/client-eks';
import { readFileSync } from 'node:fs';
import { startAwsFakes, awsError, fixture, FakeKubernetesServer, type AwsFakes } from '../../support/aws-servers/index.js';
import { CloudWatchLogsCollector } from '../../../functions/adapters/aws/cloudwatch-logs.collector.js';
import { CloudWatchMetricsCollector, metricDataQueries } from '../../../functions/adapters/aws/cloudwatch-metrics.collector.js';
import { EksCollector } from '../../../functions/adapters/aws/eks.collector.js';
import { eksBearerToken, readKubernetes } from '../../../functions/adapters/aws/kubernetes-api.reader.js';
import { alarmIncident, TEST_CREDENTIALS } from './incident.js';

let fakes: AwsFakes;
const clientConfig = (endpoint: string) => ({ endpoint, region: 'eu-west-1', credentials: TEST_CREDENTIALS, maxAttempts: 3 });

beforeAll(async () => {
  fakes = await startAwsFakes();
});
afterAll(async () => {
  await fakes.stop();
});
beforeEach(() => {
  fakes.logs.reset();
  fakes.cloudwatch.reset();
  fakes.eks.reset();
});

describe('CloudWatchLogsCollector', () => {
  const collector = () => new CloudWatchLogsCollector({ client: new CloudWatchLogsClient(clientConfig(fakes.logs.url)), pollInitialMs: 20, pollMaxMs: 50 });

  it('finds log groups from the metric filter and the Lambda dimension, and reads window and baseline with Logs Insights', async () => {
    const result = await collector().collect(alarmIncident(), AbortSignal.timeout(10_000));

    const start = fakes.logs.callsOf('StartQuery').map((c) => c.body).sort((a, b) => b.endTime - a.endTime);
    expect(start).toHaveLength(2);
    expect(start[0]!.logGroupNames).toEqual(['/ecs/orders-api', '/aws/lambda/orders-worker']);
    expect(start[0]!.startTime).toBe(Date.parse('2026-11-30T06:30:00Z') / 1000);
    expect(start[1]!).toMatchObject({ startTime: Date.parse('2026-11-30T05:30:00Z') / 1000, endTime: Date.parse('2026-11-30T06:30:00Z') / 1000 });
    expect(fakes.logs.callsOf('GetQueryResults').length).toBeGreaterThanOrEqual(4); // Running, then Complete, per query
    expect(result.logs).toHaveLength(7);
    expect(result.logs![0]!.timestamp).toBeLessThan(result.logs![6]!.timestamp!);
    expect(result.logs!.map((e) => e.message)).toContain('2026-11-30T06:58:14.447Z ERROR pool: timeout acquiring connection after 5000ms (active=20 idle=0 waiting=57)');
    expect(result.logs![0]).toMatchObject({ source: '/ecs/orders-api', logStream: 'orders-api/app/4f1c2d9e8b7a4c0f' });
    expect(result.baselineLogs).toHaveLength(3);
    expect(result.degraded).toEqual([]);
  });

  it('adds Container Insights and EKS control-plane groups for a cluster, only those that exist', async () => {
    const groups = await collector().discoverLogGroups(alarmIncident({ cluster: 'shop-prod', alarm: undefined }), AbortSignal.timeout(5000), []);
    expect(groups).toEqual(['/aws/containerinsights/shop-prod/application', '/aws/containerinsights/shop-prod/performance', '/aws/eks/shop-prod/cluster']);
  });

  it('reads ECS Container Insights for an ECS cluster, not the EKS groups', async () => {
    const groups = await collector().discoverLogGroups(alarmIncident({ source: 'ecs', cluster: 'shop-ecs', alarm: undefined }), AbortSignal.timeout(5000), []);
    expect(groups).toEqual(['/aws/ecs/containerinsights/shop-ecs/performance']);
    expect(new EksCollector({ client: new EKSClient(clientConfig(fakes.eks.url)) }).clusterOf(alarmIncident({ source: 'ecs', cluster: 'shop-ecs' }))).toBeUndefined();
  });

  it('names the missing permission when StartQuery is denied, then falls back to paginated FilterLogEvents', async () => {
    fakes.logs.script('StartQuery', awsError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/ops/fn is not authorized to perform: logs:StartQuery'), awsError('AccessDeniedException', 'denied'));
    const result = await collector().collect(alarmIncident(), AbortSignal.timeout(10_000));

    const denied = result.degraded!.filter((d) => d.kind === 'permission');
    expect(denied[0]!.reason).toMatch(/^the function's role lacks logs:StartQuery on \/ecs\/orders-api, \/aws\/lambda\/orders-worker \(AccessDeniedException/);
    expect(fakes.logs.callsOf('FilterLogEvents').filter((c) => c.body.logGroupName === '/ecs/orders-api' && c.body.nextToken)).toHaveLength(2);
    expect(result.logs!.length).toBeGreaterThan(0);
  });

  it('retries a throttled StartQuery and then succeeds', async () => {
    fakes.logs.script('StartQuery', awsError('ThrottlingException', 'Rate exceeded'));
    const result = await collector().collect(alarmIncident(), AbortSignal.timeout(10_000));
    expect(fakes.logs.callsOf('StartQuery')).toHaveLength(3);
    expect(result.logs).toHaveLength(7);
    expect(result.degraded).toEqual([]);
  });

  it('stops the running query when the time budget runs out', async () => {
    const slow = new CloudWatchLogsCollector({ client: new CloudWatchLogsClient(clientConfig(fakes.logs.url)), pollInitialMs: 400, pollMaxMs: 400 });
    const result = await slow.collect(alarmIncident(), AbortSignal.timeout(250));
    // Both running queries (window and baseline) are stopped.
    const started = fakes.logs.callsOf('StartQuery').length;
    expect(started).toBe(2);
    expect(fakes.logs.callsOf('StopQuery')).toHaveLength(started);
    expect(result.degraded!.some((d) => d.kind === 'timeout')).toBe(true);
  });

  it('reports a skipped degradation when no log group can be found', async () => {
    const result = await collector().collect(alarmIncident({ alarm: undefined }), AbortSignal.timeout(5000));
    expect(result.degraded).toEqual([expect.objectContaining({ kind: 'skipped', component: 'cloudwatch-logs' })]);
  });
});

describe('CloudWatchMetricsCollector', () => {
  it('reads the alarm metric with GetMetricData as a series carrying the threshold', async () => {
    const collector = new CloudWatchMetricsCollector({ client: new CloudWatchClient(clientConfig(fakes.cloudwatch.url)) });
    const result = await collector.collect(alarmIncident(), AbortSignal.timeout(5000));

    const request = fakes.cloudwatch.callsOf('GetMetricData')[0]!.body;
    expect(request.MetricDataQueries[0]).toMatchObject({ Id: 'm0', MetricStat: { Metric: { Namespace: 'Orders', MetricName: 'OrdersApiErrors', Dimensions: [{ Name: 'FunctionName', Value: 'orders-worker' }] }, Period: 60, Stat: 'Sum' } });
    expect(result.metrics).toHaveLength(1);
    expect(result.metrics![0]).toMatchObject({ id: 'm0', label: 'OrdersApiErrors', threshold: 10 });
    expect(result.metrics![0]!.values).toEqual([0, 0, 1, 0, 3, 14, 37, 52, 61]);
    expect(result.metrics![0]!.timestamps[1]! - result.metrics![0]!.timestamps[0]!).toBe(60_000);
  });

  it('keeps metric-math ids and only returns the expression', () => {
    const queries = metricDataQueries([
      { id: 'e1', expression: 'm1/m2', dimensions: {}, returnData: true },
      { id: 'm1', namespace: 'AWS/Lambda', name: 'Invocations', dimensions: {}, stat: 'SampleCount', periodSeconds: 60, returnData: false },
    ]);
    expect(queries).toEqual([
      { Id: 'e1', Expression: 'm1/m2', ReturnData: true },
      expect.objectContaining({ Id: 'm1', ReturnData: false }),
    ]);
  });

  it('degrades, naming the action and alarm, when CloudWatch keeps answering 5xx', async () => {
    const collector = new CloudWatchMetricsCollector({ client: new CloudWatchClient(clientConfig(fakes.cloudwatch.url)) });
    fakes.cloudwatch.script('GetMetricData', ...Array.from({ length: 3 }, () => awsError('InternalServiceError', 'internal error', 500)));
    const result = await collector.collect(alarmIncident(), AbortSignal.timeout(10_000));
    expect(fakes.cloudwatch.callsOf('GetMetricData')).toHaveLength(3);
    expect(result.metrics).toEqual([]);
    expect(result.degraded![0]!.reason).toMatch(/^cloudwatch:GetMetricData on alarm arn:aws:cloudwatch:eu-west-1:111122223333:alarm:orders-api-errors kept failing with a server error after retries/);
  });
});

describe('EksCollector', () => {
  const collector = () => new EksCollector({ client: new EKSClient(clientConfig(fakes.eks.url)) });
  const incident = () => alarmIncident({ cluster: 'shop-prod', namespace: 'shop' });

  it('turns node group and add-on health issues into log lines and reads the Kubernetes API with an EKS token', async () => {
    const before = fakes.kubernetes.requests.length;
    const result = await collector().collect(incident(), AbortSignal.timeout(10_000));

    const lines = result.logs!.map((e) => e.message);
    expect(lines).toContain('nodegroup spot-b Ec2SubnetInvalidConfiguration: One or more Amazon EC2 Subnets of [subnet-0f1e2d3c4b5a69788] for node group spot-b does not have enough free IP addresses: InsufficientFreeAddressesInSubnet. (resources: subnet-0f1e2d3c4b5a69788)');
    expect(lines).toContain('addon vpc-cni InsufficientNumberOfReplicas: The add-on is unhealthy because it doesn\'t have the desired number of replicas.');
    expect(lines.some((l) => l.includes('general-a'))).toBe(false);

    const requests = fakes.kubernetes.requests.slice(before);
    expect(requests.every((r) => r.authorized)).toBe(true);
    expect(requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/api/v1/nodes', '/api/v1/namespaces/shop/pods', '/api/v1/namespaces/shop/events', '/apis/apps/v1/namespaces/shop/deployments', '/api/v1/namespaces/shop/persistentvolumeclaims']));
    const pods = result.kubernetesObjects!.filter((o) => o.kind === 'Pod');
    expect(pods.map((p) => p.metadata.name)).toEqual(['orders-api-7d9f8b6c5-x2k4p']); // the healthy pod is left out
    expect(pods[0]!.status.containerStatuses[0].lastState.terminated.reason).toBe('OOMKilled');
    const node = result.kubernetesObjects!.find((o) => o.kind === 'Node')!;
    expect(node.status.images).toBeUndefined();
    expect(result.kubernetesEvents).toEqual([expect.objectContaining({ type: 'Warning', reason: 'BackOff', object: 'Pod/orders-api-7d9f8b6c5-x2k4p', namespace: 'shop', count: 31 })]);
    expect(result.degraded).toEqual([]);
  });

  it('names the missing EKS permission and does not crash', async () => {
    fakes.eks.script('DescribeCluster', awsError('AccessDeniedException', 'User is not authorized to perform: eks:DescribeCluster', 403));
    const result = await collector().collect(incident(), AbortSignal.timeout(5000));
    expect(result.degraded).toEqual([expect.objectContaining({ kind: 'permission', reason: expect.stringMatching(/^the function's role lacks eks:DescribeCluster on cluster shop-prod/) })]);
  });

  it('uses the configured cluster only for Kubernetes incidents', () => {
    const configured = new EksCollector({ client: new EKSClient(clientConfig(fakes.eks.url)), clusterName: 'shop-prod' });
    expect(configured.clusterOf(alarmIncident())).toBeUndefined(); // a Lambda/app metric alarm
    expect(configured.clusterOf(alarmIncident({ namespace: 'shop' }))).toBe('shop-prod');
    expect(configured.clusterOf(alarmIncident({ cluster: 'other' }))).toBe('other');
  });

  it('skips when no cluster is named or configured', async () => {
    const result = await collector().collect(alarmIncident(), AbortSignal.timeout(5000));
    expect(result.degraded![0]).toMatchObject({ kind: 'skipped' });
  });
});

describe('eksBearerToken', () => {
  it('is k8s-aws-v1. + unpadded base64url of a presigned STS GetCallerIdentity URL signing x-k8s-aws-id', async () => {
    const token = await eksBearerToken('shop-prod', 'eu-west-1', TEST_CREDENTIALS, new Date('2026-11-30T07:00:00Z'));
    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    expect(token).not.toMatch(/[=+/]/);
    const url = new URL(Buffer.from(token.slice(11), 'base64url').toString('utf8'));
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDLOCALTEST000000/20261130/eu-west-1/sts/aws4_request');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('readKubernetes over HTTPS', () => {
  const tls = (name: string) => readFileSync(new URL(`./fixtures/tls/${name}`, import.meta.url), 'utf8');

  it('trusts the cluster CA from DescribeCluster and refuses a server whose certificate another CA signed', async () => {
    const server = await FakeKubernetesServer.start({
      clusterName: 'shop-prod', tls: { cert: tls('kubernetes-api.cert.pem'), key: tls('kubernetes-api.key.pem') },
      lists: { '/api/v1/nodes': fixture('k8s/nodes.json'), '/api/v1/namespaces/shop/pods': fixture('k8s/pods.json') },
    });
    try {
      const target = { clusterName: 'shop-prod', endpoint: server.url, region: 'eu-west-1', credentials: TEST_CREDENTIALS };
      expect(server.url.startsWith('https://')).toBe(true);
      const ok = await readKubernetes({ ...target, caData: Buffer.from(tls('kubernetes-api.cert.pem')).toString('base64') }, { namespaces: ['shop'], signal: AbortSignal.timeout(5000) });
      expect(ok.objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Node', 'Pod']));

      const wrong = await readKubernetes({ ...target, caData: Buffer.from(tls('other-ca.cert.pem')).toString('base64') }, { namespaces: ['shop'], signal: AbortSignal.timeout(5000) });
      expect(wrong.objects).toEqual([]);
      expect(wrong.degraded[0]!.reason).toMatch(/certificate/i);
    } finally {
      await server.stop();
    }
  });

  it('refuses plain http to a host that is not loopback', async () => {
    const result = await readKubernetes({ clusterName: 'c', endpoint: 'http://10.0.0.1:443', region: 'eu-west-1', credentials: TEST_CREDENTIALS }, { namespaces: [], signal: AbortSignal.timeout(1000) });
    expect(result.degraded[0]!.reason).toMatch(/refusing plain-http Kubernetes endpoint/);
  });
});
