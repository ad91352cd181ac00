/**
 * JSON evidence documents: CloudWatch Logs API responses and subscription payloads, Kubernetes
 * objects and lists, Lambda error JSON, and JSON log records.
 *
 * Shapes (AWS CloudWatch Logs API Reference):
 * - `FilterLogEvents` / `GetLogEvents` responses: `{ events: [{ timestamp (ms), message, logStreamName? }] }`;
 * - Logs Insights `GetQueryResults`: `{ results: [[{ field, value }]] }` with `@timestamp`
 *   (`YYYY-MM-DD HH:MM:SS.mmm`, UTC), `@message`, `@logStream`;
 * - subscription filter payloads (CloudWatch Logs User Guide, "Subscription filters"): the Lambda
 *   event `{ awslogs: { data: base64(gzip(JSON)) } }` and the decoded
 *   `{ messageType, logGroup, logStream, logEvents: [{ id, timestamp, message }] }`;
 * - CloudWatch `GetMetricData` responses: `{ MetricDataResults: [{ Id, Label, Timestamps, Values }] }`
 *   (CloudWatch API Reference, "GetMetricData"; timestamps ISO-8601 or epoch seconds, any order);
 * - Lambda function errors (Lambda Developer Guide, "Lambda function errors"):
 *   `{ errorType, errorMessage, stackTrace: [] }`.
 */
import { gunzipSync } from 'node:zlib';
import type { KubernetesObject, LogEvent, MetricSeries } from '../../../model/evidence.js';
import { InputTooLargeError, InvalidInputError } from '../../../model/errors.js';
import { isBlank } from './lines.js';
import { isJsonLogRecord, jsonRecordToEvent, parseLogLine, withRawLine } from './log-line.js';
import { timestampOfValue } from './timestamps.js';
import type { EvidenceParts, ParsedKubernetesEvent, ParsedLogEvent } from './types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `line` may open a JSON document (`{` or `[` followed by `{`, `[`, `"`, `]` or nothing). */
export function isJsonDocumentStart(line: string): boolean {
  return /^\s*(\{|\[\s*(\{|\[|"|\]|$))/.test(line);
}

/**
 * Finds the end of the JSON object or array that starts at `from` (string-aware bracket matching).
 * @returns the offset just after the closing bracket, or -1 when the text ends first
 */
export function jsonValueEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34 || d === 10) break;
      }
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * Maps JSON paths (`events/3`, `results/0`, `awslogs/data`; keys joined by `/`) to the 1-based line
 * where their value starts, for values at most `maxDepth` levels deep (default 2: enough for
 * every shape {@link addJsonValue} reads). One pass over the characters.
 */
export function jsonLineMap(text: string, from: number, to: number, startLine: number, maxDepth = 2): Map<string, number> {
  const map = new Map<string, number>();
  const stack: Array<{ arr: boolean; idx: number; key: string; expectKey: boolean }> = [];
  let line = startLine;
  const valueStart = (): void => {
    if (stack.length <= maxDepth) map.set(stack.map((f) => (f.arr ? String(f.idx) : f.key)).join('/'), line);
  };
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 58 /* : */) {
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === 34 /* " */) {
      let j = i + 1;
      for (; j < to; j++) {
        const d = text.charCodeAt(j);
        if (d === 92) j++;
        else if (d === 34 || d === 10) break;
      }
      if (top && !top.arr && top.expectKey) {
        if (stack.length <= maxDepth) {
          try {
            top.key = JSON.parse(text.slice(i, j + 1)) as string;
          } catch {
            top.key = text.slice(i + 1, j);
          }
        }
        top.expectKey = false;
      } else valueStart();
      i = j + 1;
      continue;
    }
    if (c === 44 /* , */) {
      if (top?.arr) top.idx++;
      else if (top) top.expectKey = true;
      i++;
      continue;
    }
    if (c === 123 || c === 91) {
      valueStart();
      stack.push({ arr: c === 91, idx: 0, key: '', expectKey: c === 123 });
      i++;
      continue;
    }
    if (c === 125 || c === 93) {
      stack.pop();
      i++;
      continue;
    }
    valueStart();
    for (; i < to; i++) {
      const d = text.charCodeAt(i);
      if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
    }
  }
  return map;
}

/**
 * Decodes the `awslogs.data` field of a CloudWatch Logs subscription event: base64 of a gzip of
 * the JSON payload.
 * @param maxBytes most bytes the payload may inflate to
 * @throws InvalidInputError when it is not base64 gzip JSON; InputTooLargeError past `maxBytes`
 */
export function decodeSubscriptionData(data: string, source: string, maxBytes = 64 * 1024 * 1024): unknown {
  if (!/^[A-Za-z0-9+/=\s_-]*$/.test(data)) {
    throw new InvalidInputError(source, 'awslogs.data is not base64');
  }
  let inflated: Buffer;
  try {
    inflated = gunzipSync(Buffer.from(data, 'base64'), { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new InputTooLargeError(source, `awslogs.data inflates past ${maxBytes} bytes`, { cause: error });
    }
    throw new InvalidInputError(source, `awslogs.data is not gzip: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(inflated.toString('utf8')) as unknown;
  } catch (error) {
    throw new InvalidInputError(source, `awslogs.data does not hold JSON: ${(error as Error).message}`, { cause: error });
  }
}

function stripTerminator(message: string): string {
  if (message.charCodeAt(message.length - 1) !== 10) return message;
  return message.charCodeAt(message.length - 2) === 13 ? message.slice(0, -2) : message.slice(0, -1);
}

/**
 * True for a value shaped like a Kubernetes object: a string `kind` and either a `metadata`
 * object or a string `apiVersion` (a missing `metadata` is added as `{}` when the object is kept).
 */
export function isKubernetesObject(value: unknown): value is KubernetesObject {
  return isRecord(value) && typeof value['kind'] === 'string' && value['kind'].length > 0
    && (isRecord(value['metadata']) || typeof value['apiVersion'] === 'string');
}

/** Turns a Kubernetes `Event` object (core/v1 or events.k8s.io/v1) into a {@link ParsedKubernetesEvent}. */
export function eventFromObject(obj: Record<string, unknown>, source: string, line: number): ParsedKubernetesEvent {
  const involved = (obj['involvedObject'] ?? obj['regarding']) as Record<string, unknown> | undefined;
  const meta = obj['metadata'] as Record<string, unknown>;
  const namespace = (involved?.['namespace'] ?? meta?.['namespace']) as string | undefined;
  const age = (obj['lastTimestamp'] ?? obj['eventTime'] ?? obj['firstTimestamp'] ?? (obj['series'] as any)?.['lastObservedTime']) as string | undefined;
  const count = (obj['count'] ?? (obj['series'] as any)?.['count']) as number | undefined;
  const src = obj['source'] as Record<string, unknown> | undefined;
  const from = (src?.['component'] ?? obj['reportingController'] ?? obj['reportingComponent']) as string | undefined;
  return {
    type: String(obj['type'] ?? 'Normal'),
    reason: String(obj['reason'] ?? ''),
    message: String(obj['message'] ?? obj['note'] ?? ''),
    ...(involved?.['kind'] && involved?.['name'] ? { object: `${involved['kind']}/${involved['name']}` } : {}),
    ...(namespace ? { namespace } : {}),
    ...(typeof count === 'number' ? { count } : {}),
    ...(typeof age === 'string' ? { age } : {}),
    ...(typeof from === 'string' ? { from } : {}),
    source,
    line,
  };
}

type LineOf = (path: string) => number;

/**
 * Adds what a parsed JSON value holds to `parts`. Returns false when the value is no shape this
 * module reads (the caller keeps its text as log lines).
 */
export function addJsonValue(
  value: unknown, lineOf: LineOf, source: string, parts: EvidenceParts, maxInflatedBytes: number, raw?: string,
): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) return false;
    if (value.every(isKubernetesObject)) {
      value.forEach((item, k) => addKubernetesObject(item, lineOf(String(k)), source, parts));
      return true;
    }
    if (value.every((row) => Array.isArray(row) && row.every((c) => isRecord(c) && 'field' in c))) {
      addInsightsRows(value as unknown[][], (k) => lineOf(String(k)), source, parts);
      return true;
    }
    if (value.every(isJsonLogRecord)) {
      value.forEach((item, k) => parts.logs.push(jsonRecordToEvent(item, JSON.stringify(item), source, lineOf(String(k)))));
      return true;
    }
    return false;
  }
  if (!isRecord(value)) return false;
  const awslogs = value['awslogs'];
  if (isRecord(awslogs) && typeof awslogs['data'] === 'string') {
    const decoded = decodeSubscriptionData(awslogs['data'], source, maxInflatedBytes);
    const at = lineOf('awslogs/data');
    return addJsonValue(decoded, () => at, source, parts, maxInflatedBytes);
  }
  // Kinesis Data Streams / Firehose records carrying subscription payloads (CloudWatch Logs User
  // Guide, "Subscription filters with Kinesis Data Streams"): `Records[].kinesis.data`, `records[].data`
  const records = Array.isArray(value['Records']) ? value['Records'] : Array.isArray(value['records']) ? value['records'] : undefined;
  if (records && records.length > 0 && records.every((r) => isRecord(r) && (isRecord(r['kinesis']) ? typeof r['kinesis']['data'] === 'string' : typeof r['data'] === 'string'))) {
    const key = Array.isArray(value['Records']) ? 'Records' : 'records';
    let any = false;
    records.forEach((r: Record<string, unknown>, k: number) => {
      const data = (isRecord(r['kinesis']) ? r['kinesis']['data'] : r['data']) as string;
      const bytes = Buffer.from(data, 'base64');
      if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return; // not a gzip subscription payload
      const at = lineOf(`${key}/${k}`);
      if (addJsonValue(decodeSubscriptionData(data, source, maxInflatedBytes), () => at, source, parts, maxInflatedBytes)) any = true;
    });
    if (any) return true;
  }
  if (Array.isArray(value['MetricDataResults'])) {
    const series = metricSeriesOf(value['MetricDataResults']);
    if (series.length > 0) {
      (parts.metrics ??= []).push(...series);
      return true;
    }
  }
  if (Array.isArray(value['logEvents'])) {
    if (value['messageType'] === 'CONTROL_MESSAGE') {
      parts.degraded.push({ component: `parse:${source}`, kind: 'skipped', reason: `line ${lineOf('')}: CloudWatch Logs subscription CONTROL_MESSAGE carries no log events` });
      return true;
    }
    const stream = typeof value['logStream'] === 'string' ? value['logStream'] : undefined;
    const logGroup = typeof value['logGroup'] === 'string' && value['logGroup'] !== '' ? value['logGroup'] : undefined;
    value['logEvents'].forEach((e: unknown, k: number) => {
      if (!isRecord(e) || typeof e['message'] !== 'string') return;
      const event: ParsedLogEvent = cloudWatchEvent(e, stream, source, lineOf(`logEvents/${k}`));
      parts.logs.push(logGroup ? { ...event, logGroup } : event);
    });
    return true;
  }
  if (Array.isArray(value['events']) && value['events'].some((e) => isRecord(e) && typeof e['message'] === 'string')) {
    value['events'].forEach((e: unknown, k: number) => {
      if (!isRecord(e) || typeof e['message'] !== 'string') return;
      const stream = typeof e['logStreamName'] === 'string' ? e['logStreamName'] : undefined;
      parts.logs.push(cloudWatchEvent(e, stream, source, lineOf(`events/${k}`)));
    });
    return true;
  }
  if (Array.isArray(value['results']) && value['results'].every((row) => Array.isArray(row))) {
    addInsightsRows(value['results'] as unknown[][], (k) => lineOf(`results/${k}`), source, parts);
    return true;
  }
  if (isKubernetesObject(value)) {
    addKubernetesObject(value, lineOf(''), source, parts, lineOf);
    return true;
  }
  if (typeof value['errorMessage'] === 'string' && (typeof value['errorType'] === 'string' || Array.isArray(value['stackTrace']) || Object.keys(value).length <= 3)) {
    const head = typeof value['errorType'] === 'string' ? `${value['errorType']}: ${value['errorMessage']}` : value['errorMessage'];
    const stack = Array.isArray(value['stackTrace']) ? value['stackTrace'].filter((s): s is string => typeof s === 'string') : [];
    const line = lineOf('errorMessage');
    const message = raw !== undefined && !raw.includes('\n') ? raw : [head, ...stack.map((s) => `    ${s.trim()}`)].join('\n');
    parts.logs.push({ message, source, line });
    return true;
  }
  if (isJsonLogRecord(value)) {
    const event = jsonRecordToEvent(value, raw ?? JSON.stringify(value), source, lineOf(''));
    parts.logs.push(raw === undefined ? event : withRawLine(event, raw));
    return true;
  }
  return false;
}

/**
 * Looks inside a JSON value of no known shape (a tool's wrapper around an API response, a test
 * snapshot) for the strong shapes {@link addJsonValue} reads — CloudWatch `events`/`logEvents`/
 * `results`, `awslogs` payloads, Kubernetes objects and lists — up to `maxDepth` levels down.
 * Bare log records and Lambda errors are not taken from inside other JSON.
 *
 * @returns true when something was found (and added to `parts`)
 */
export function addNestedJsonValue(
  value: unknown, lineOf: LineOf, source: string, parts: EvidenceParts, maxInflatedBytes: number, maxDepth = 5,
): boolean {
  if (maxDepth <= 0 || (typeof value !== 'object' || value === null)) return false;
  let found = false;
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, k) => [String(k), v]) : Object.entries(value);
  for (const [key, child] of entries) {
    if (typeof child !== 'object' || child === null) continue;
    const childLineOf: LineOf = (path) => lineOf(path ? `${key}/${path}` : key);
    if (isStrongShape(child) && addJsonValue(child, childLineOf, source, parts, maxInflatedBytes)) found = true;
    else if (addNestedJsonValue(child, childLineOf, source, parts, maxInflatedBytes, maxDepth - 1)) found = true;
  }
  return found;
}

function isStrongShape(value: object): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every(isKubernetesObject);
  const v = value as Record<string, unknown>;
  if (isRecord(v['awslogs']) || Array.isArray(v['logEvents']) || isKubernetesObject(v)) return true;
  if (Array.isArray(v['events']) && v['events'].some((e) => isRecord(e) && typeof e['message'] === 'string' && 'timestamp' in e)) return true;
  if (Array.isArray(v['MetricDataResults'])) return true;
  return Array.isArray(v['results']) && v['results'].length > 0 && v['results'].every((row) => Array.isArray(row) && row.every((c) => isRecord(c) && 'field' in c));
}

/**
 * Metric series of a `GetMetricData` response's `MetricDataResults`, points sorted by time
 * (the API returns them newest first by default). Results without points are skipped.
 */
export function metricSeriesOf(results: unknown[]): MetricSeries[] {
  const out: MetricSeries[] = [];
  for (const r of results) {
    if (!isRecord(r) || !Array.isArray(r['Timestamps']) || !Array.isArray(r['Values'])) continue;
    const points = (r['Timestamps'] as unknown[]).map((t, i) => {
      const ms = typeof t === 'number' ? (t < 1e12 ? t * 1000 : t) : typeof t === 'string' ? Date.parse(t) : Number.NaN;
      return [ms, Number((r['Values'] as unknown[])[i])] as const;
    }).filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v)).sort((a, b) => a[0] - b[0]);
    if (points.length === 0) continue;
    const id = typeof r['Id'] === 'string' ? r['Id'] : `m${out.length + 1}`;
    out.push({ id, label: typeof r['Label'] === 'string' && r['Label'] ? r['Label'] : id, timestamps: points.map((p) => p[0]), values: points.map((p) => p[1]) });
  }
  return out;
}

function cloudWatchEvent(e: Record<string, unknown>, stream: string | undefined, source: string, line: number): LogEvent {
  const raw = e['timestamp'];
  const timestamp = typeof raw === 'number' && raw > 1e11 && raw < 1e14 ? raw : timestampOfValue(raw);
  const event: { timestamp?: number; message: string; source: string; line: number; logStream?: string } = {
    message: stripTerminator(e['message'] as string), source, line,
  };
  if (timestamp !== undefined) event.timestamp = timestamp;
  if (stream) event.logStream = stream;
  return event;
}

function addInsightsRows(rows: unknown[][], lineOf: (k: number) => number, source: string, parts: EvidenceParts): void {
  rows.forEach((row, k) => {
    const fields: Record<string, string> = {};
    for (const cell of row) {
      if (isRecord(cell) && typeof cell['field'] === 'string') fields[cell['field']] = String(cell['value'] ?? '');
    }
    const message = fields['@message'] ?? Object.entries(fields).filter(([f]) => f !== '@ptr').map(([f, v]) => `${f}=${v}`).join(' ');
    const timestamp = fields['@timestamp'] !== undefined ? timestampOfValue(fields['@timestamp']) : undefined;
    parts.logs.push({
      ...(timestamp !== undefined ? { timestamp } : {}),
      message: stripTerminator(message),
      source,
      line: lineOf(k),
      ...(fields['@logStream'] ? { logStream: fields['@logStream'] } : {}),
    });
  });
}

export function addKubernetesObject(obj: KubernetesObject, line: number, source: string, parts: EvidenceParts, lineOf?: LineOf): void {
  const items = (obj as Record<string, unknown>)['items'];
  if (obj.kind.endsWith('List') && Array.isArray(items)) {
    const itemKind = obj.kind === 'List' ? undefined : obj.kind.slice(0, -'List'.length);
    items.forEach((item: unknown, k: number) => {
      if (!isRecord(item)) return;
      const withKind = (typeof item['kind'] === 'string' ? item : { ...item, kind: itemKind ?? 'Unknown' }) as KubernetesObject;
      if (!isRecord(withKind.metadata) && typeof withKind.apiVersion !== 'string') {
        parts.logs.push({ message: JSON.stringify(item).slice(0, 2000), source, line: lineOf ? lineOf(`items/${k}`) : line });
        return;
      }
      addKubernetesObject(withKind, lineOf ? lineOf(`items/${k}`) : line, source, parts);
    });
    return;
  }
  if (obj.kind === 'Event') {
    parts.kubernetesEvents.push(eventFromObject(obj as Record<string, unknown>, source, line));
    return;
  }
  parts.kubernetesObjects.push({ ...obj, metadata: isRecord(obj.metadata) ? obj.metadata : {}, _source: source, _line: line });
}

/** Mutable state of JSON region parsing across one text. */
export interface JsonScanState {
  /** Offsets of line starts of the text (computed once). */
  starts(): readonly number[];
  /** Multi-line scans that reached the end of the text without closing; bounded to stop O(n²). */
  unclosedScans: number;
}

/**
 * Parses the JSON document that starts on `lines[start]` and adds its parts. A document that
 * is none of the known shapes is kept as log events, one per line (a one-line JSON log record is
 * read by {@link parseLogLine}).
 *
 * @returns the index of the first line after the document, or `start` when no JSON could be
 *   read there (the caller treats the line as text; a `degraded` note says why)
 * Truncated or invalid JSON is never refused: its lines are kept as text with a `degraded` note
 * (a pasted log cut short is still evidence; Node's util.inspect output `{ [Error: …]` is no JSON).
 */
export function parseJsonDocumentAt(
  text: string, lines: readonly string[], start: number, source: string, parts: EvidenceParts,
  options: { whole: boolean; maxInflatedBytes: number; state: JsonScanState },
): number {
  const line = lines[start]!;
  const trimmed = line.trim();
  // one complete JSON value on the line: JSON lines or a compact document
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (!addJsonValue(value, () => start + 1, source, parts, options.maxInflatedBytes, line)) {
        parts.logs.push(parseLogLine(line, source, start + 1));
      }
      return start + 1;
    } catch (error) {
      if (error instanceof InvalidInputError) throw error;
      // not complete on this line: try a multi-line document
    }
  }
  if (options.state.unclosedScans >= 16) return start;
  const starts = options.state.starts();
  const from = starts[start]! + (line.length - line.trimStart().length);
  const endOffset = jsonValueEnd(text, from);
  if (endOffset === -1) {
    options.state.unclosedScans++;
    const message = `truncated JSON: the value opened at line ${start + 1} is not closed before the end of the input (line ${lines.length})`;
    // A pasted JSON log cut short (a console copy, a thread excerpt) is still evidence: the unclosed
    // value runs to the end of the input and all of it is kept as text, with a degraded note.
    parts.degraded.push({ component: `parse:${source}`, kind: 'error', reason: `${message}; lines ${start + 1}-${lines.length} were kept as text` });
    for (let k = start; k < lines.length; k++) {
      if (!isBlank(lines[k]!)) parts.logs.push(parseLogLine(lines[k]!, source, k + 1));
    }
    return lines.length;
  }
  let endLine = start;
  while (endLine + 1 < starts.length && starts[endLine + 1]! < endOffset) endLine++;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(from, endOffset));
  } catch (error) {
    const message = `invalid JSON in the value at lines ${start + 1}-${endLine + 1}: ${(error as Error).message}`;
    parts.degraded.push({ component: `parse:${source}`, kind: 'error', reason: `${message}; its lines were kept as text` });
    return start;
  }
  const multiLine = endLine > start;
  const map = multiLine ? jsonLineMap(text, from, endOffset, start + 1) : undefined;
  const lineOf: LineOf = (path) => map?.get(path) ?? start + 1;
  let deepMap: Map<string, number> | undefined;
  const deepLineOf: LineOf = (path) => {
    deepMap ??= multiLine ? jsonLineMap(text, from, endOffset, start + 1, 8) : new Map();
    return deepMap.get(path) ?? start + 1;
  };
  if (!addJsonValue(value, lineOf, source, parts, options.maxInflatedBytes, multiLine ? undefined : line)
    && !addNestedJsonValue(value, deepLineOf, source, parts, options.maxInflatedBytes)) {
    for (let k = start; k <= endLine; k++) {
      if (!isBlank(lines[k]!)) parts.logs.push(parseLogLine(lines[k]!, source, k + 1));
    }
    return endLine + 1;
  }
  // text after the closing bracket on the same line is kept
  const lineEnd = endLine + 1 < starts.length ? starts[endLine + 1]! - 1 : text.length;
  const rest = text.slice(endOffset, lineEnd).replace(/\r$/, '');
  if (rest.trim().length > 0) parts.logs.push(parseLogLine(rest.trim(), source, endLine + 1));
  return endLine + 1;
}
