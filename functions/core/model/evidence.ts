/**
 * Collected context: everything the collect stage gathers for one incident.
 */

/** One log event, as CloudWatch Logs or a file gives it. */
export interface LogEvent {
  /** Milliseconds since the Unix epoch, when known. */
  readonly timestamp?: number;
  /** The message, exactly as read (a multi-line event keeps its `\n`). */
  readonly message: string;
  /** Where it came from: a file path, `stdin`, a log group (`/aws/lambda/x`), `event`. */
  readonly source: string;
  /** 1-based line number in `source`, when the source is a file or stdin. */
  readonly line?: number;
  readonly logStream?: string;
  /**
   * The exact input line when `message` was read out of a JSON log record on it (pino, zap,
   * Docker `log` fields, an AWS error body): what evidence quotes, so that the record's other
   * fields (`"__type":"ThrottlingException"`) stay visible. Absent when the message is the line.
   */
  readonly raw?: string;
}

/** A Kubernetes object as the API returns it (`apiVersion`, `kind`, `metadata`, `spec`, `status`). */
export interface KubernetesObject {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly ownerReferences?: ReadonlyArray<{ kind: string; name: string }>;
    readonly [key: string]: unknown;
  };
  readonly spec?: any;
  readonly status?: any;
  readonly [key: string]: unknown;
  /** Where the object was read from (a path, `kubernetes-api`), set by the collector. */
  readonly _source?: string;
  /** 1-based line in `_source` where the object starts, when known. */
  readonly _line?: number;
}

/** A Kubernetes event line (from `kubectl get events`, a describe `Events:` table, or the API). */
export interface KubernetesEvent {
  /** `Normal` or `Warning`. */
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  /** e.g. `pod/checkout-7c9-abc`, `Pod/checkout`. */
  readonly object?: string;
  readonly namespace?: string;
  readonly count?: number;
  /** As printed (`3m2s (x5 over 10m)`) or ISO-8601. */
  readonly age?: string;
  readonly source: string;
  readonly line?: number;
  /**
   * The exact input line at `line` in `source` (a `kubectl get events` row or a describe
   * `Events:` row, without its line ending), when the event was parsed from text. Evidence quotes
   * this instead of a rendering of the fields. Absent for events read from the API or JSON.
   */
  readonly text?: string;
}

/** One line of a `kubectl describe` block: its exact text and its 1-based line in the block's source (the origin evidence quotes). */
export interface DescribeRow {
  readonly text: string;
  readonly line: number;
}

/** One container section (`Containers:` or `Init Containers:`) of a pod's describe block, as collect parses it. */
export interface DescribeContainer {
  readonly name: string;
  readonly init: boolean;
  /** `Running`, `Waiting`, `Terminated`. */
  readonly state?: string;
  /** `Reason:` rows under `State:` (`which: 'state'`) and `Last State:` (`'last'`), in order. */
  readonly reasons: ReadonlyArray<{ readonly which: 'state' | 'last'; readonly reason: string; readonly row: DescribeRow }>;
  /** The last state's exit code when there is one, else the current state's. */
  readonly exit?: { readonly code: number; readonly row: DescribeRow };
  readonly restarts?: number;
  readonly ready?: string;
  readonly message?: string;
}

/** One `kubectl describe` block, parsed into its fields and kept as text. */
export interface DescribeBlock {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  /** Top-level and nested `Key: value` fields, keys joined with `.` (e.g. `State.Reason`). */
  readonly fields: Readonly<Record<string, string>>;
  /** The container sections of a pod block (collect parses them once; analyzers read these). */
  readonly containers?: readonly DescribeContainer[];
  readonly text: string;
  readonly source: string;
  /** 1-based line in `source` where the block starts. */
  readonly line: number;
}

/** One metric series (e.g. from `GetMetricData`): timestamps in ms since the epoch. */
export interface MetricSeries {
  readonly id: string;
  readonly label: string;
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
  readonly unit?: string;
  /** The alarm threshold to draw, when the series is the alarm's metric. */
  readonly threshold?: number;
}

/** A summary of an earlier diagnosis, for "seen before" and similar-incident retrieval. */
export interface PriorDiagnosis {
  readonly id: string;
  readonly createdAt: string;
  readonly title: string;
  readonly category: string;
  readonly confidence: number;
  readonly summary: string;
  readonly resources: readonly string[];
  /** Key into the store, e.g. `diagnoses/2026/11/30/inc-….json`. */
  readonly key?: string;
}

/** Why a collector or stage could not do (all of) its job. The diagnosis lists these. */
export interface Degradation {
  /** Stage name (`collect`, `analyze`, …) or collector name (`cloudwatch-logs`, `file:app.log`). */
  readonly component: string;
  readonly reason: string;
  /** `timeout`, `error`, `permission`, `throttled`, `skipped`, `truncated`. */
  readonly kind: 'timeout' | 'error' | 'permission' | 'throttled' | 'skipped' | 'truncated';
}

/** What the collect stage hands to analyze. Every list may be empty. */
export interface CollectedContext {
  /** Log events in the incident window (or undated ones). */
  readonly logs: readonly LogEvent[];
  /** Log events in the baseline window, for new/spiking comparison. */
  readonly baselineLogs: readonly LogEvent[];
  readonly kubernetesObjects: readonly KubernetesObject[];
  readonly kubernetesEvents: readonly KubernetesEvent[];
  readonly describes: readonly DescribeBlock[];
  readonly metrics: readonly MetricSeries[];
  readonly priorDiagnoses: readonly PriorDiagnosis[];
  readonly degraded: readonly Degradation[];
  /**
   * Lines of large inputs that were read and mined but not kept whole (see {@link OmittedLogLines}):
   * they count in the log patterns. Absent when every line was kept.
   */
  readonly omittedLogs?: readonly OmittedLogLines[];
}

/**
 * Log lines of a large input that were read and mined but not kept as events, so that memory
 * stays bounded by what is kept per template (its first events) and not by the number of lines:
 * each omitted line is its template's exemplar (a kept event of the same template, the very object
 * in `logs` or `baselineLogs`), its own timestamp and its own level. 13 bytes per line.
 */
export interface OmittedLogLines {
  readonly source: string;
  /** Lines omitted: the length of each array below. */
  readonly count: number;
  /** Per omitted line, a kept event of the same template. */
  readonly exemplars: readonly LogEvent[];
  /** Per omitted line, ms since the Unix epoch; NaN when undated. */
  readonly timestamps: Float64Array;
  /** Per omitted line, its level rank: 0 none, 1 DEBUG, 2 INFO, 3 WARN, 4 ERROR, 5 FATAL. */
  readonly levels: Uint8Array;
}

/** A reference to an exact input line: what a hypothesis or finding quotes. */
export interface EvidenceRef {
  /** The exact line (after redaction only). */
  readonly text: string;
  /** Where: a path, `stdin`, a log group, `kubernetes-api`, `event`. */
  readonly source: string;
  /** 1-based line number in `source`, when known. */
  readonly line?: number;
}
