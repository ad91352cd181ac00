/**
 * Single log lines: plain text, JSON log records (JSON lines), and AWS Lambda `REPORT` lines.
 */
import type { LogEvent } from '../../../model/evidence.js';
import { timestampInLine, timestampOfValue } from './timestamps.js';

/** Message fields of JSON log records, in order of preference (pino, bunyan, zap, Docker, CloudWatch). */
export const JSON_MESSAGE_FIELDS = ['message', 'msg', 'log', '@message', 'MESSAGE', 'text'] as const;
/** Timestamp fields of JSON log records, in order of preference. */
export const JSON_TIMESTAMP_FIELDS = [
  'timestamp', '@timestamp', 'time', 'ts', 'datetime', 'date', 'eventTime', 'asctime', 'Timestamp',
] as const;
const LEVEL_FIELDS = ['level', 'severity', 'lvl', 'levelname', 'log.level', 'loglevel'] as const;
const ERROR_FIELDS = ['error', 'err', 'exception', 'stack', 'stack_trace', 'errorMessage'] as const;
/**
 * Short fields that name a cause beside the message (AWS `Reason` and error codes, Lambda
 * `errorType`, controller-runtime `panic`, the VPC CNI network policy agent's flow `Verdict`):
 * kept in the message as `field=value`, so a record's cause is read even when its message alone
 * is generic (`Rate Exceeded.`, `Flow Info:`).
 */
const CAUSE_FIELDS = ['errorType', 'errorCode', 'code', 'Code', 'Reason', 'reason', 'panic', 'cause', 'Verdict', 'verdict'] as const;
/**
 * Duration fields of a JSON record, kept as `field=value` so the latency analyzer reads them (units by
 * the field's name or value): Elasticsearch slow logs' `took_millis`, go-grpc-middleware's
 * `grpc.time_ms`, Traefik's `OriginDuration` (nanoseconds, kept with its unit), then the usual names.
 */
const DURATION_FIELDS = ['took_millis', 'grpc.time_ms', 'OriginDuration', 'duration_ms', 'durationMs', 'elapsed_ms', 'elapsedMs', 'latency_ms', 'latencyMs', 'response_time_ms', 'responseTimeMs', 'took_ms', 'duration', 'elapsed', 'latency', 'took', 'response_time', 'request_time', 'upstream_response_time'] as const;

/** Duration fields in nanoseconds (Traefik access logs). */
const NANOSECOND_FIELDS: ReadonlySet<string> = new Set(['OriginDuration']);

/** A call's deadline budget in ms, from its start time and deadline (RFC 3339 strings); undefined unless both read. */
function deadlineBudget(start: unknown, deadline: unknown): number | undefined {
  if (typeof start !== 'string' || typeof deadline !== 'string') return undefined;
  const ms = Date.parse(deadline) - Date.parse(start);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

const PINO_LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function levelOf(record: Record<string, unknown>): string | undefined {
  for (const field of LEVEL_FIELDS) {
    const v = record[field];
    if (typeof v === 'string' && v.length > 0 && v.length <= 16) return v.toUpperCase();
    if (typeof v === 'number' && PINO_LEVELS[v]) return PINO_LEVELS[v];
  }
  return undefined;
}

function errorText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value)) {
    const name = value['type'] ?? value['name'] ?? value['errorType'];
    const message = value['message'] ?? value['msg'] ?? value['errorMessage'];
    const stack = value['stack'] ?? value['stackTrace'];
    // a stack (Node, Java) already starts with `Name: message`
    if (typeof stack === 'string' && stack.length > 0) return stack;
    const head = [name, message].filter((p): p is string => typeof p === 'string' && p.length > 0).join(': ');
    const frames = Array.isArray(stack) ? stack.filter((f): f is string => typeof f === 'string') : [];
    const text = [head, ...frames.filter((f) => f !== head).map((f) => `    ${f.trim()}`)].filter((l) => l.length > 0).join('\n');
    if (text.length > 0) return text;
  }
  return undefined;
}

/**
 * Renders a Lambda `platform.report` record (JSON log format, Lambda Developer Guide "Telemetry API
 * event schema reference") as the `REPORT RequestId: …` text line Lambda writes in text format,
 * so the same readers ({@link parseLambdaReport}, signatures) apply.
 */
function platformReportLine(record: Record<string, unknown>): string | undefined {
  const r = record['record'];
  if (!isRecord(r)) return undefined;
  const m = isRecord(r['metrics']) ? r['metrics'] : {};
  const parts = [`REPORT RequestId: ${String(r['requestId'] ?? '')}`];
  if (typeof m['durationMs'] === 'number') parts.push(`Duration: ${m['durationMs'].toFixed(2)} ms`);
  if (typeof m['billedDurationMs'] === 'number') parts.push(`Billed Duration: ${m['billedDurationMs']} ms`);
  if (typeof m['memorySizeMB'] === 'number') parts.push(`Memory Size: ${m['memorySizeMB']} MB`);
  if (typeof m['maxMemoryUsedMB'] === 'number') parts.push(`Max Memory Used: ${m['maxMemoryUsedMB']} MB`);
  if (typeof m['initDurationMs'] === 'number') parts.push(`Init Duration: ${m['initDurationMs'].toFixed(2)} ms`);
  if (typeof r['status'] === 'string') parts.push(`Status: ${r['status']}`);
  if (typeof r['errorType'] === 'string') parts.push(`Error Type: ${r['errorType']}`);
  return parts.join('\t');
}

/**
 * True when `record` looks like a structured log record (has a message field of type string).
 */
export function isJsonLogRecord(record: unknown): record is Record<string, unknown> {
  return isRecord(record) && (
    JSON_MESSAGE_FIELDS.some((f) => typeof record[f] === 'string')
    || (isRecord(record['message']) && typeof record['message']['errorMessage'] === 'string')
    || record['type'] === 'platform.report'
  );
}

/**
 * Turns a JSON log record into a log event. The message is the record's message field
 * (`message`/`msg`/`log`/`@message`; a Lambda JSON-format error object `{ errorType,
 * errorMessage, stackTrace }` in `message` is rendered `Type: message` plus its frames; a Lambda
 * `platform.report` record becomes a `REPORT RequestId: …` line), prefixed with its level (`ERROR …`) when the record has a
 * level field the message does not already contain, and followed by `: <error>` when the record
 * has an `error`/`err`/`exception`/`stack` field. A record without a message field keeps `raw`
 * (the exact line). Trailing line terminators of Docker `log` fields are removed.
 */
export function jsonRecordToEvent(
  record: Record<string, unknown>, raw: string, source: string, line: number,
): LogEvent {
  let message: string | undefined;
  for (const field of JSON_MESSAGE_FIELDS) {
    const v = record[field];
    if (typeof v === 'string') {
      message = v.replace(/\r?\n$/, '');
      break;
    }
  }
  if (message === undefined && isRecord(record['message'])) message = errorText(record['message']);
  if (message === undefined && record['type'] === 'platform.report') message = platformReportLine(record);
  let timestamp: number | undefined;
  for (const field of JSON_TIMESTAMP_FIELDS) {
    if (record[field] !== undefined) {
      timestamp = timestampOfValue(record[field]);
      if (timestamp !== undefined) break;
    }
  }
  if (message === undefined) {
    return withTimestamp({ message: raw, source, line }, timestamp ?? timestampInLine(raw));
  }
  const level = levelOf(record);
  if (level && !levelWord(level).test(message.slice(0, 120))) message = `${level} ${message}`;
  let appended = false;
  for (const field of ERROR_FIELDS) {
    const text = errorText(record[field]);
    if (text && !message.includes(text)) {
      message = `${message}: ${text}`;
      appended = true;
      break;
    }
  }
  // MongoDB 4.4+ structured logs put the detail under `attr` (`"msg":"WiredTiger error message",
  // "attr":{"error":28,"message":"… No space left on device"}`, `"attr":{"error":{"errmsg":"…"}}`).
  const attr = record['attr'];
  if (!appended && isRecord(attr)) {
    const detail = [attr['message'], attr['errmsg'], isRecord(attr['error']) ? attr['error']['errmsg'] : undefined].find((v): v is string => typeof v === 'string' && v.length > 0);
    if (detail && !message.includes(detail)) message = `${message}: ${detail.length > 2000 ? detail.slice(0, 2000) : detail}`;
  }
  const causes: string[] = [];
  for (const field of CAUSE_FIELDS) {
    const v = record[field];
    if ((typeof v === 'string' && v.length > 0 && v.length <= 200) && !message.includes(v) && causes.length < 3) causes.push(`${field}=${v}`);
  }
  for (const field of DURATION_FIELDS) {
    const v = record[field];
    if ((typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^\d{1,12}(?:\.\d{1,6})?(?:ms|s)?$/.test(v))) {
      if (!message.includes(`${field}=`)) causes.push(`${field}=${v}${NANOSECOND_FIELDS.has(field) ? 'ns' : ''}`);
      break;
    }
  }
  // what the record is a log of, when it is a slow log (Elasticsearch `index_search_slowlog`), and a call's deadline budget (go-grpc-middleware)
  if (typeof record['type'] === 'string' && /slowlog$/i.test(record['type']) && !message.includes(record['type'])) causes.push(`type=${record['type']}`);
  const budget = deadlineBudget(record['grpc.start_time'], record['grpc.request.deadline']);
  if (budget !== undefined) causes.push(`grpc.deadline_ms=${budget}`);
  if (causes.length > 0) message = `${message} (${causes.join(', ')})`;
  if (timestamp === undefined) timestamp = timestampInLine(message);
  const stream = record['logStream'] ?? record['logStreamName'];
  const event: LogEvent = withTimestamp({ message, source, line }, timestamp);
  return typeof stream === 'string' ? { ...event, logStream: stream } : event;
}

const LEVEL_WORDS = new Map<string, RegExp>();
/** `\bLEVEL\b`, case-sensitive: `ERROR` in a message counts as its level, `Error:` does not. */
function levelWord(level: string): RegExp {
  let re = LEVEL_WORDS.get(level);
  if (!re) {
    re = new RegExp(`\\b${level.replace(/[^A-Z0-9]/g, '') || 'LEVEL'}\\b`);
    if (LEVEL_WORDS.size < 64) LEVEL_WORDS.set(level, re);
  }
  return re;
}

function withTimestamp(event: LogEvent, timestamp: number | undefined): LogEvent {
  return timestamp === undefined ? event : { timestamp, ...event };
}

/** Longest JSON record line kept whole as {@link LogEvent.raw}. */
export const MAX_RAW_CHARS = 4000;

/**
 * The event with its input line kept as `raw` when the message was read out of it (one physical
 * line of at most {@link MAX_RAW_CHARS} characters): evidence quotes the line as written.
 */
export function withRawLine(event: LogEvent, line: string): LogEvent {
  return event.message === line || line.length > MAX_RAW_CHARS || line.includes('\n') ? event : { ...event, raw: line };
}

/**
 * Parses one line of a log: a JSON log record (one JSON object on the line, see
 * {@link jsonRecordToEvent}, the line itself kept as `raw` when at most {@link MAX_RAW_CHARS}
 * characters) or plain text (kept exactly, timestamp read from its start).
 *
 * @param text the line without its terminator
 * @param source where it came from (path, `stdin`)
 * @param line 1-based line number
 */
export function parseLogLine(text: string, source: string, line: number): LogEvent {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && trimmed.trimEnd().endsWith('}')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (isRecord(value)) return withRawLine(jsonRecordToEvent(value, text, source, line), text);
    } catch {
      // not JSON: plain text
    }
  }
  return withTimestamp({ message: text, source, line }, timestampInLine(text));
}

/** The numbers of an AWS Lambda `REPORT` log line; durations in milliseconds, memory in MB. */
export interface LambdaReport {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedDurationMs?: number;
  readonly memorySizeMb?: number;
  readonly maxMemoryUsedMb?: number;
  readonly initDurationMs?: number;
  /** `timeout`, `error` … when the line carries `Status:` (Lambda advanced logging controls). */
  readonly status?: string;
  readonly errorType?: string;
}

/**
 * Parses an AWS Lambda `REPORT RequestId: … Duration: … ms Billed Duration: … ms Memory Size: … MB
 * Max Memory Used: … MB [Init Duration: … ms]` line (fields tab- or space-separated; text before
 * `REPORT`, such as a timestamp, is allowed). Format: AWS Lambda Developer Guide, "Using CloudWatch
 * Logs with Lambda" (`REPORT` line fields).
 *
 * @returns the numbers, or undefined when the line is not a REPORT line
 * @example parseLambdaReport('REPORT RequestId: 7c95 Duration: 3003.16 ms Billed Duration: 3000 ms Memory Size: 128 MB Max Memory Used: 48 MB')
 *   // → { requestId: '7c95', durationMs: 3003.16, billedDurationMs: 3000, memorySizeMb: 128, maxMemoryUsedMb: 48 }
 */
export function parseLambdaReport(line: string): LambdaReport | undefined {
  const text = line.replace(/\\t/g, '\t');
  const head = /REPORT RequestId:\s*([0-9A-Za-z-]+)/.exec(text);
  if (!head) return undefined;
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const durationMs = num(/(?:^|\s)Duration:\s*([\d.]+)\s*ms/);
  if (durationMs === undefined) return undefined;
  const report: { -readonly [K in keyof LambdaReport]: LambdaReport[K] } = { requestId: head[1]!, durationMs };
  const billed = num(/Billed Duration:\s*([\d.]+)\s*ms/);
  const memory = num(/Memory Size:\s*([\d.]+)\s*MB/);
  const used = num(/Max Memory Used:\s*([\d.]+)\s*MB/);
  const init = num(/Init Duration:\s*([\d.]+)\s*ms/);
  if (billed !== undefined) report.billedDurationMs = billed;
  if (memory !== undefined) report.memorySizeMb = memory;
  if (used !== undefined) report.maxMemoryUsedMb = used;
  if (init !== undefined) report.initDurationMs = init;
  const status = /Status:\s*(\w+)/.exec(text);
  if (status) report.status = status[1]!;
  const errorType = /Error Type:\s*([\w.]+)/.exec(text);
  if (errorType) report.errorType = errorType[1]!;
  return report;
}
