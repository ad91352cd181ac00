/**
 * Collector of CloudWatch metrics: `GetMetricData` for the alarm's metric, or its metric-math /
 * anomaly-detection queries, over the incident window, for the report's chart and the breach's
 * size and duration.
 *
 * API reference: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 * (query ids match `^[a-z][a-zA-Z0-9_]*$`; at most 500 queries; `NextToken` pagination).
 */
import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { Collector, PartialContext } from '../../core/ports/collector.port.js';
import type { Incident, MetricRef } from '../../core/model/incident.js';
import type { Degradation, MetricSeries } from '../../core/model/evidence.js';
import { degradationFor } from './aws-errors.js';

export interface CloudWatchMetricsCollectorOptions {
  readonly client: CloudWatchClient;
  /** Most `GetMetricData` pages; default 3. */
  readonly maxPages?: number;
  /** Most data points kept per series; default 1440. */
  readonly maxPoints?: number;
  /** Extra time after the incident to include, ms (shows the breach's end); default 15 minutes. */
  readonly afterMs?: number;
}

const NAME = 'cloudwatch-metrics';
const ID_RE = /^[a-z][a-zA-Z0-9_]*$/;

/** The `GetMetricData` queries of an alarm's metrics (ids made valid where needed). */
export function metricDataQueries(metrics: readonly MetricRef[]): MetricDataQuery[] {
  const queries: MetricDataQuery[] = [];
  const anyReturn = metrics.some((m) => m.returnData === true);
  metrics.forEach((m, i) => {
    const id = m.id && ID_RE.test(m.id) ? m.id : `m${i}`;
    const returnData = anyReturn ? m.returnData === true : true;
    if (m.expression) {
      queries.push({ Id: id, Expression: m.expression, ReturnData: returnData, ...(m.periodSeconds ? { Period: m.periodSeconds } : {}) });
    } else if (m.name && m.namespace) {
      queries.push({
        Id: id,
        ReturnData: returnData,
        MetricStat: {
          Metric: { Namespace: m.namespace, MetricName: m.name, Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })) },
          Period: m.periodSeconds ?? 60,
          Stat: m.stat ?? 'Average',
        },
      });
    }
  });
  return queries;
}

/**
 * @example
 * const collector = new CloudWatchMetricsCollector({ client: new CloudWatchClient({}) });
 * const { metrics } = await collector.collect(incident, signal);
 */
export class CloudWatchMetricsCollector implements Collector {
  readonly name = NAME;
  constructor(private readonly options: CloudWatchMetricsCollectorOptions) {}

  /** Never throws for AWS errors: they become `degraded` entries naming the action and alarm. */
  async collect(incident: Incident, signal: AbortSignal): Promise<PartialContext> {
    const alarm = incident.alarm;
    const queries = metricDataQueries(alarm?.metrics ?? []);
    if (!alarm || queries.length === 0) {
      return { degraded: [{ component: NAME, kind: 'skipped', reason: alarm ? `alarm ${alarm.name} names no metric to read` : 'the incident names no alarm metric' }] };
    }
    const start = new Date(Date.parse(incident.window.start));
    const end = new Date(Math.max(Date.parse(incident.window.end), Date.parse(incident.occurredAt) + (this.options.afterMs ?? 15 * 60_000)));
    const byId = new Map<string, { label: string; timestamps: number[]; values: number[] }>();
    const degraded: Degradation[] = [];
    let nextToken: string | undefined;
    const maxPoints = this.options.maxPoints ?? 1440;
    try {
      for (let page = 0; page < (this.options.maxPages ?? 3); page++) {
        const out = await this.options.client.send(new GetMetricDataCommand({
          MetricDataQueries: queries.slice(0, 500), StartTime: start, EndTime: end, ScanBy: 'TimestampAscending', NextToken: nextToken,
        }), { abortSignal: signal });
        for (const r of out.MetricDataResults ?? []) {
          if (!r.Id) continue;
          const series = byId.get(r.Id) ?? { label: r.Label ?? r.Id, timestamps: [], values: [] };
          (r.Timestamps ?? []).forEach((t, i) => {
            if (series.timestamps.length < maxPoints && r.Values?.[i] !== undefined) {
              series.timestamps.push(new Date(t).getTime());
              series.values.push(r.Values[i]!);
            }
          });
          byId.set(r.Id, series);
          if (r.StatusCode === 'PartialData' && !out.NextToken) degraded.push({ component: NAME, kind: 'truncated', reason: `GetMetricData returned partial data for ${r.Id}` });
        }
        for (const m of out.Messages ?? []) degraded.push({ component: NAME, kind: 'error', reason: `GetMetricData: ${m.Code ?? ''} ${m.Value ?? ''}`.trim() });
        nextToken = out.NextToken;
        if (!nextToken) break;
      }
    } catch (error) {
      degraded.push(degradationFor(NAME, 'cloudwatch:GetMetricData', `alarm ${alarm.arn ?? alarm.name}`, error));
    }
    const metrics: MetricSeries[] = [...byId.entries()].map(([id, s]) => {
      // CloudWatch does not promise order across pages: sort by time.
      const order = s.timestamps.map((_, i) => i).sort((a, b) => s.timestamps[a]! - s.timestamps[b]!);
      return {
        id, label: s.label,
        timestamps: order.map((i) => s.timestamps[i]!),
        values: order.map((i) => s.values[i]!),
        ...(alarm.threshold !== undefined ? { threshold: alarm.threshold } : {}),
      };
    });
    return { metrics, degraded };
  }
}
