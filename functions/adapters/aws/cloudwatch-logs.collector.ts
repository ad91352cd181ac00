/**
 * Collector of CloudWatch Logs: finds the log groups that matter for an incident, then reads the
 * incident window and a baseline window with Logs Insights (or `FilterLogEvents`).
 *
 * API reference: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/ —
 * `DescribeMetricFilters`, `DescribeLogGroups`, `StartQuery` (times in epoch **seconds**),
 * `GetQueryResults` (`@timestamp` as `YYYY-MM-DD HH:MM:SS.mmm` UTC), `StopQuery`,
 * `FilterLogEvents` (times in epoch **milliseconds**, paginated by `nextToken`).
 */
import {
  DescribeLogGroupsCommand, DescribeMetricFiltersCommand, FilterLogEventsCommand, GetQueryResultsCommand,
  StartQueryCommand, StopQueryCommand, type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Collector, PartialContext } from '../../core/ports/collector.port.js';
import type { Incident } from '../../core/model/incident.js';
import type { Degradation, LogEvent } from '../../core/model/evidence.js';
import { classifyAwsError, degradationFor } from './aws-errors.js';
import { backoffMs, sleep, utf8Bytes } from './bounds.js';
import { isKubernetesIncident } from './eks.collector.js';

export interface CloudWatchLogsCollectorOptions {
  readonly client: CloudWatchLogsClient;
  /** Explicit mapping: alarm name → log group names (from configuration). */
  readonly logGroupsByAlarm?: Readonly<Record<string, readonly string[]>>;
  /** Log groups always read (from configuration). */
  readonly extraLogGroups?: readonly string[];
  /** Default cluster for Container Insights / EKS control-plane groups when the incident names none. */
  readonly clusterName?: string;
  /** `insights` (default) or `filter` (`FilterLogEvents`). Insights falls back to filter on failure. */
  readonly mode?: 'insights' | 'filter';
  /** Minutes before the incident to read, overriding the incident's window start (`LOG_LOOKBACK_MINUTES`). */
  readonly lookbackMinutes?: number;
  /** Logs Insights query; default: the latest events, newest first. `limit` is appended. */
  readonly query?: string;
  /** `FilterLogEvents` filter pattern; default none (all events). */
  readonly filterPattern?: string;
  /** Most events per window; default 2000. */
  readonly maxEvents?: number;
  /** Most bytes of messages per window; default 4 MiB. */
  readonly maxBytes?: number;
  /** Most log groups queried (Logs Insights takes up to 50); default 10. */
  readonly maxLogGroups?: number;
  /** Most `FilterLogEvents` pages per log group; default 5. */
  readonly maxPages?: number;
  /** First and largest poll interval of `GetQueryResults`, ms; default 200 and 2000. */
  readonly pollInitialMs?: number;
  readonly pollMaxMs?: number;
}

const DEFAULT_QUERY = 'fields @timestamp, @message, @logStream, @log | sort @timestamp desc';
const NAME = 'cloudwatch-logs';

/** One window's read: events oldest first. */
interface WindowRead {
  readonly events: LogEvent[];
  readonly degraded: Degradation[];
}

/**
 * @example
 * const collector = new CloudWatchLogsCollector({ client: new CloudWatchLogsClient({}) });
 * const { logs, baselineLogs, degraded } = await collector.collect(incident, AbortSignal.timeout(20_000));
 */
export class CloudWatchLogsCollector implements Collector {
  readonly name = NAME;
  constructor(private readonly options: CloudWatchLogsCollectorOptions) {}

  /** Never throws for AWS errors: they become `degraded` entries naming the action and log group. */
  async collect(incident: Incident, signal: AbortSignal): Promise<PartialContext> {
    const degraded: Degradation[] = [];
    const groups = await this.discoverLogGroups(incident, signal, degraded);
    if (groups.length === 0) {
      degraded.push({ component: NAME, kind: 'skipped', reason: 'no log group found for the incident (no metric filter, Lambda function, cluster or configured mapping)' });
      return { degraded };
    }
    const window = this.window(incident);
    // Window and baseline run concurrently (two Logs Insights queries; the account allows 30).
    const [current, baseline] = await Promise.all([
      this.readWindow(groups, window, signal),
      this.readWindow(groups, baselineOf(incident, window), signal),
    ]);
    degraded.push(...current.degraded, ...baseline.degraded.map((d) => ({ ...d, reason: `baseline: ${d.reason}` })));
    return { logs: current.events, baselineLogs: baseline.events, degraded };
  }

  /**
   * Log groups for the incident, in this order: configured mapping for the alarm, the log groups
   * of metric filters publishing the alarm's metrics, `/aws/lambda/<FunctionName>`, Container
   * Insights (`/aws/containerinsights/<cluster>/application|performance`) and the EKS control plane
   * (`/aws/eks/<cluster>/cluster`), or for ECS incidents `/aws/ecs/containerinsights/<cluster>/performance`
   * — the conventional names only when `DescribeLogGroups` finds them.
   */
  async discoverLogGroups(incident: Incident, signal: AbortSignal, degraded: Degradation[]): Promise<string[]> {
    const found = new Set<string>();
    const alarmName = incident.alarm?.name;
    for (const g of (alarmName && this.options.logGroupsByAlarm?.[alarmName]) || []) found.add(g);
    const tagged = incident.labels['ops-assistant:log-groups'] ?? incident.labels['logGroups'];
    for (const g of tagged?.split(',') ?? []) if (g.trim()) found.add(g.trim());
    for (const g of this.options.extraLogGroups ?? []) found.add(g);

    for (const m of incident.alarm?.metrics ?? []) {
      if (!m.name || !m.namespace || signal.aborted) continue;
      try {
        const out = await this.options.client.send(new DescribeMetricFiltersCommand({ metricName: m.name, metricNamespace: m.namespace }), { abortSignal: signal });
        for (const f of out.metricFilters ?? []) if (f.logGroupName) found.add(f.logGroupName);
      } catch (error) {
        degraded.push(degradationFor(NAME, 'logs:DescribeMetricFilters', `metric ${m.namespace}/${m.name}`, error));
      }
    }

    const conventional: Array<{ prefix: string; exact?: boolean; suffixes?: string[] }> = [];
    const functions = new Set<string>();
    if (incident.functionName) functions.add(incident.functionName);
    for (const m of incident.alarm?.metrics ?? []) if (m.dimensions.FunctionName) functions.add(m.dimensions.FunctionName);
    for (const r of incident.resources) if (r.type === 'AWS::Lambda::Function') functions.add(r.name);
    for (const fn of functions) conventional.push({ prefix: `/aws/lambda/${fn}`, exact: true });
    const clusters = new Set<string>();
    if (incident.cluster) clusters.add(incident.cluster);
    for (const m of incident.alarm?.metrics ?? []) if (m.dimensions.ClusterName) clusters.add(m.dimensions.ClusterName);
    if (clusters.size === 0 && this.options.clusterName && isKubernetesIncident(incident)) clusters.add(this.options.clusterName);
    for (const c of clusters) {
      if (incident.source === 'ecs') {
        // ECS Container Insights performance events (task and service level).
        conventional.push({ prefix: `/aws/ecs/containerinsights/${c}/performance`, exact: true });
        continue;
      }
      conventional.push({ prefix: `/aws/containerinsights/${c}/`, suffixes: ['application', 'performance'] });
      conventional.push({ prefix: `/aws/eks/${c}/cluster`, exact: true });
    }
    for (const c of conventional) {
      if (signal.aborted || found.size >= this.maxLogGroups) break;
      try {
        const out = await this.options.client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: c.prefix, limit: 50 }), { abortSignal: signal });
        for (const g of out.logGroups ?? []) {
          const name = g.logGroupName;
          if (!name) continue;
          if (c.exact && name !== c.prefix) continue;
          if (c.suffixes && !c.suffixes.some((s) => name === c.prefix + s)) continue;
          found.add(name);
        }
      } catch (error) {
        degraded.push(degradationFor(NAME, 'logs:DescribeLogGroups', `log group prefix ${c.prefix}`, error));
      }
    }
    return [...found].slice(0, this.maxLogGroups);
  }

  private get maxLogGroups(): number {
    return Math.min(this.options.maxLogGroups ?? 10, 50);
  }

  private window(incident: Incident): { start: number; end: number } {
    const end = Date.parse(incident.window.end);
    const start = this.options.lookbackMinutes
      ? Date.parse(incident.occurredAt) - this.options.lookbackMinutes * 60_000
      : Date.parse(incident.window.start);
    return { start, end: Math.max(end, start + 1000) };
  }

  private async readWindow(groups: string[], window: { start: number; end: number }, signal: AbortSignal): Promise<WindowRead> {
    if (this.options.mode !== 'filter') {
      const degraded: Degradation[] = [];
      try {
        return await this.readWithInsights(groups, window, signal);
      } catch (error) {
        degraded.push(degradationFor(NAME, (error as { action?: string }).action ?? 'logs:StartQuery', groups.join(', '), error));
        if (signal.aborted || classifyAwsError(error) === 'timeout') return { events: [], degraded };
      }
      const filtered = await this.readWithFilter(groups, window, signal);
      return { events: filtered.events, degraded: [...degraded, ...filtered.degraded] };
    }
    return this.readWithFilter(groups, window, signal);
  }

  /**
   * Logs Insights: `StartQuery`, then `GetQueryResults` polled with backoff and jitter until
   * `Complete`; `StopQuery` when the signal aborts. @throws the SDK error (with `action` set).
   */
  async readWithInsights(groups: string[], window: { start: number; end: number }, signal: AbortSignal): Promise<WindowRead> {
    const maxEvents = Math.min(this.options.maxEvents ?? 2000, 10_000);
    const queryString = `${this.options.query ?? DEFAULT_QUERY} | limit ${maxEvents}`;
    let queryId: string | undefined;
    try {
      const started = await this.options.client.send(new StartQueryCommand({
        logGroupNames: groups, startTime: Math.floor(window.start / 1000), endTime: Math.ceil(window.end / 1000), queryString, limit: maxEvents,
      }), { abortSignal: signal });
      queryId = started.queryId;
    } catch (error) {
      throw Object.assign(error as object, { action: 'logs:StartQuery' });
    }
    if (!queryId) throw Object.assign(new Error('StartQuery returned no queryId'), { action: 'logs:StartQuery' });
    try {
      for (let attempt = 0; ; attempt++) {
        const out = await this.options.client.send(new GetQueryResultsCommand({ queryId }), { abortSignal: signal }).catch((error: unknown) => {
          throw Object.assign(error as object, { action: 'logs:GetQueryResults' });
        });
        const status = out.status ?? 'Unknown';
        if (status === 'Complete') return this.bounded(out.results?.map((row) => rowToEvent(row, groups[0]!)) ?? [], 'Logs Insights query');
        if (status === 'Failed' || status === 'Cancelled' || status === 'Timeout' || status === 'Unknown') {
          throw Object.assign(new Error(`Logs Insights query ${queryId} ended with status ${status}`), { action: 'logs:GetQueryResults' });
        }
        await sleep(backoffMs(attempt, this.options.pollInitialMs ?? 200, this.options.pollMaxMs ?? 2000), signal);
      }
    } catch (error) {
      if (signal.aborted) {
        // Best effort: do not leave a query running (and counting against the account's concurrency).
        await this.options.client.send(new StopQueryCommand({ queryId }), { abortSignal: AbortSignal.timeout(1000) }).catch(() => undefined);
      }
      throw error;
    }
  }

  /** `FilterLogEvents` per log group, paginated, at most `maxPages` pages per group. */
  async readWithFilter(groups: string[], window: { start: number; end: number }, signal: AbortSignal): Promise<WindowRead> {
    const maxEvents = this.options.maxEvents ?? 2000;
    const events: LogEvent[] = [];
    const degraded: Degradation[] = [];
    for (const group of groups) {
      let nextToken: string | undefined;
      for (let page = 0; page < (this.options.maxPages ?? 5) && events.length < maxEvents; page++) {
        try {
          const out = await this.options.client.send(new FilterLogEventsCommand({
            logGroupName: group, startTime: window.start, endTime: window.end, nextToken,
            filterPattern: this.options.filterPattern, limit: Math.min(1000, maxEvents - events.length),
          }), { abortSignal: signal });
          for (const e of out.events ?? []) {
            if (e.message === undefined) continue;
            events.push({ timestamp: e.timestamp, message: stripNewline(e.message), source: group, ...(e.logStreamName ? { logStream: e.logStreamName } : {}) });
          }
          nextToken = out.nextToken;
          if (!nextToken) break;
        } catch (error) {
          degraded.push(degradationFor(NAME, 'logs:FilterLogEvents', group, error));
          break;
        }
      }
      if (signal.aborted) break;
    }
    const read = this.bounded(events, 'FilterLogEvents');
    return { events: read.events, degraded: [...degraded, ...read.degraded] };
  }

  private bounded(events: LogEvent[], what: string): WindowRead {
    const maxEvents = this.options.maxEvents ?? 2000;
    const maxBytes = this.options.maxBytes ?? 4 * 1024 * 1024;
    const sorted = [...events].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    // Keep the newest events (closest to the alarm) when cutting.
    const kept: LogEvent[] = [];
    let bytes = 0;
    for (let i = sorted.length - 1; i >= 0 && kept.length < maxEvents; i--) {
      bytes += utf8Bytes(sorted[i]!.message);
      if (bytes > maxBytes) break;
      kept.push(sorted[i]!);
    }
    kept.reverse();
    const degraded: Degradation[] = kept.length < sorted.length
      ? [{ component: NAME, kind: 'truncated', reason: `${what}: kept the latest ${kept.length} of ${sorted.length} events (bounds: ${maxEvents} events, ${maxBytes} bytes)` }]
      : [];
    return { events: kept, degraded };
  }
}

/** The baseline window: the incident's, or the same length just before the window. */
function baselineOf(incident: Incident, window: { start: number; end: number }): { start: number; end: number } {
  if (incident.baseline) return { start: Date.parse(incident.baseline.start), end: Date.parse(incident.baseline.end) };
  const length = window.end - window.start;
  return { start: window.start - length, end: window.start };
}

/** Parses a Logs Insights `@timestamp` (`2024-05-19 06:10:35.743`, UTC) to ms. */
export function parseInsightsTimestamp(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(t) ? undefined : t;
}

function rowToEvent(row: ReadonlyArray<{ field?: string; value?: string }>, fallbackGroup: string): LogEvent {
  const fields: Record<string, string> = {};
  for (const f of row) if (f.field) fields[f.field] = f.value ?? '';
  // `@log` is `<account-id>:<log-group-name>`.
  const log = fields['@log'];
  const source = log ? log.replace(/^\d{12}:/, '') : fallbackGroup;
  const timestamp = parseInsightsTimestamp(fields['@timestamp']);
  return {
    ...(timestamp !== undefined ? { timestamp } : {}),
    message: stripNewline(fields['@message'] ?? ''),
    source,
    ...(fields['@logStream'] ? { logStream: fields['@logStream'] } : {}),
  };
}

function stripNewline(message: string): string {
  return message.endsWith('\n') ? message.slice(0, -1) : message;
}
