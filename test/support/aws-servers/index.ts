/**
 * Starts the local stand-ins for CloudWatch Logs, CloudWatch, EKS and the cluster's Kubernetes
 * API, answering from the recorded-shape fixtures in `test/adapters/aws/fixtures/` (our own). Timestamps of
 * replayed log events and data points are shifted into the window the client asked for, so any
 * incident time gets evidence inside its window.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeAwsServer, awsError, type FakeResponse } from './fake-aws-server.js';
import { FakeKubernetesServer } from './fake-kubernetes-server.js';

export { FakeAwsServer, awsError } from './fake-aws-server.js';
export { FakeKubernetesServer, checkEksToken } from './fake-kubernetes-server.js';
export { startLocalS3, type LocalS3 } from './s3-conditional-proxy.js';

export const FIXTURES_DIR = fileURLToPath(new URL('../../adapters/aws/fixtures/', import.meta.url));

/** Reads a fixture (a fresh copy each time). */
export function fixture<T = any>(relative: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, relative), 'utf8')) as T;
}

/** Log groups the fake account has. */
export const EXISTING_LOG_GROUPS = [
  '/ecs/orders-api',
  '/aws/lambda/orders-worker',
  '/aws/containerinsights/shop-prod/application',
  '/aws/containerinsights/shop-prod/performance',
  '/aws/eks/shop-prod/cluster',
  '/aws/ecs/containerinsights/shop-ecs/performance',
];

export interface AwsFakes {
  readonly logs: FakeAwsServer;
  readonly cloudwatch: FakeAwsServer;
  readonly eks: FakeAwsServer;
  readonly kubernetes: FakeKubernetesServer;
  /**
   * Tags of the fake account's alarms (alarm ARN → tags), answered by CloudWatch
   * `ListTagsForResource`; an ARN not in the map answers `ResourceNotFoundException`, as CloudWatch
   * does for an alarm that does not exist.
   */
  readonly alarmTags: Map<string, Array<{ Key: string; Value: string }>>;
  /** `AWS_ENDPOINT_URL_<SERVICE>` variables pointing the SDK at these servers. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

function formatInsightsTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** Shifts `@timestamp` fields so the newest row sits 30 s before `endSec`. */
function shiftQueryResults(body: any, endSec: number): any {
  const times: number[] = body.results.map((row: any[]) => Date.parse(`${row.find((f) => f.field === '@timestamp').value.replace(' ', 'T')}Z`));
  const delta = endSec * 1000 - 30_000 - Math.max(...times);
  body.results.forEach((row: any[], i: number) => {
    row.find((f) => f.field === '@timestamp').value = formatInsightsTime(times[i]! + delta);
  });
  return body;
}

export async function startAwsFakes(options: { clusterName?: string } = {}): Promise<AwsFakes> {
  const clusterName = options.clusterName ?? 'shop-prod';
  const queries = new Map<string, { startTime: number; endTime: number; polls: number }>();
  /** A baseline query ends where another query (its incident window) starts. */
  const isBaseline = (q: { endTime: number }) => [...queries.values()].some((other) => other.startTime === q.endTime);
  let queryCount = 0;

  const logs = await FakeAwsServer.start({
    protocol: 'awsJson1.1',
    handlers: {
      DescribeMetricFilters: ({ body }) => {
        const f = fixture('logs/describe-metric-filters.json');
        for (const m of f.metricFilters) for (const t of m.metricTransformations) {
          t.metricName = body.metricName ?? t.metricName;
          t.metricNamespace = body.metricNamespace ?? t.metricNamespace;
        }
        return { body: f };
      },
      DescribeLogGroups: ({ body }) => {
        const template = fixture('logs/describe-log-groups.json').logGroups[0];
        const prefix: string = body.logGroupNamePrefix ?? '';
        const logGroups = EXISTING_LOG_GROUPS.filter((g) => g.startsWith(prefix)).map((g) => ({
          ...template, logGroupName: g,
          arn: `arn:aws:logs:eu-west-1:111122223333:log-group:${g}:*`, logGroupArn: `arn:aws:logs:eu-west-1:111122223333:log-group:${g}`,
        }));
        return { body: { logGroups } };
      },
      StartQuery: ({ body }) => {
        const queryId = `${fixture('logs/start-query.json').queryId.slice(0, -4)}${String(++queryCount).padStart(4, '0')}`;
        queries.set(queryId, { startTime: body.startTime, endTime: body.endTime, polls: 0 });
        return { body: { queryId } };
      },
      GetQueryResults: ({ body }): FakeResponse => {
        const q = queries.get(body.queryId);
        if (!q) return { status: 400, body: { __type: 'ResourceNotFoundException', message: `Query ${body.queryId} does not exist` } };
        if (q.polls++ === 0) return { body: fixture('logs/get-query-results-running.json') };
        const f = fixture(isBaseline(q) ? 'logs/get-query-results-baseline.json' : 'logs/get-query-results.json');
        return { body: shiftQueryResults(f, q.endTime) };
      },
      StopQuery: () => ({ body: { success: true } }),
      FilterLogEvents: ({ body }) => {
        const page = fixture(body.nextToken ? 'logs/filter-log-events-page2.json' : 'logs/filter-log-events-page1.json');
        const delta = body.endTime - 30_000 - 1796021895310;
        for (const e of page.events) e.timestamp += delta;
        return { body: page };
      },
    },
  });

  const alarmTags = new Map<string, Array<{ Key: string; Value: string }>>();
  const cloudwatch = await FakeAwsServer.start({
    protocol: 'awsJson1.0',
    handlers: {
      // awsJson1.0, X-Amz-Target: GraniteServiceVersion20100801.ListTagsForResource; body { ResourceARN }.
      ListTagsForResource: ({ body }) => {
        const tags = alarmTags.get(body.ResourceARN);
        if (!tags) return awsError('ResourceNotFoundException', `Alarm ${body.ResourceARN} does not exist.`, 404);
        return { body: { Tags: tags } };
      },
      GetMetricData: ({ body }) => {
        const f = fixture('cloudwatch/get-metric-data.json');
        const first = (body.MetricDataQueries ?? []).find((q: any) => q.ReturnData !== false) ?? body.MetricDataQueries?.[0];
        const r = f.MetricDataResults[0];
        if (first) r.Id = first.Id;
        const last = r.Timestamps[r.Timestamps.length - 1];
        const end = Math.floor(Number(body.EndTime)) - 600;
        r.Timestamps = r.Timestamps.map((t: number) => t - last + end);
        return { body: f };
      },
    },
  });

  const kubernetes = await FakeKubernetesServer.start({
    clusterName,
    lists: Object.fromEntries(['shop', 'default'].flatMap((ns) => [
      [`/api/v1/namespaces/${ns}/pods`, fixture('k8s/pods.json')],
      [`/api/v1/namespaces/${ns}/events`, fixture('k8s/events.json')],
      [`/apis/apps/v1/namespaces/${ns}/deployments`, fixture('k8s/deployments.json')],
      [`/api/v1/namespaces/${ns}/persistentvolumeclaims`, fixture('k8s/pvcs.json')],
    ]).concat([['/api/v1/nodes', fixture('k8s/nodes.json')]])),
  });

  const eks = await FakeAwsServer.start({
    protocol: 'restJson1',
    routes: [
      { method: 'GET', path: '/clusters/{name}', op: 'DescribeCluster' },
      { method: 'GET', path: '/clusters/{name}/node-groups', op: 'ListNodegroups' },
      { method: 'GET', path: '/clusters/{name}/node-groups/{nodegroupName}', op: 'DescribeNodegroup' },
      { method: 'GET', path: '/clusters/{name}/addons', op: 'ListAddons' },
      { method: 'GET', path: '/clusters/{name}/addons/{addonName}', op: 'DescribeAddon' },
    ],
    handlers: {
      DescribeCluster: ({ params }) => {
        if (params.name !== clusterName) return { status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: { message: `No cluster found for name: ${params.name}.` } };
        const f = fixture('eks/describe-cluster.json');
        f.cluster.endpoint = kubernetes.url; // the loopback stand-in for the cluster's API server
        return { body: f };
      },
      ListNodegroups: () => ({ body: fixture('eks/list-nodegroups.json') }),
      DescribeNodegroup: ({ params }) => ({ body: fixture(`eks/describe-nodegroup-${params.nodegroupName}.json`) }),
      ListAddons: () => ({ body: fixture('eks/list-addons.json') }),
      DescribeAddon: ({ params }) => ({ body: fixture(`eks/describe-addon-${params.addonName}.json`) }),
    },
  });

  return {
    logs, cloudwatch, eks, kubernetes, alarmTags,
    env: {
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
      AWS_ENDPOINT_URL_EKS: eks.url,
    },
    async stop() {
      await Promise.all([logs.stop(), cloudwatch.stop(), eks.stop(), kubernetes.stop()]);
    },
  };
}
