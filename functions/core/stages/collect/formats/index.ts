/**
 * Evidence format parsers: text → the parts of a collected context it contains.
 *
 * {@link parseEvidenceText} detects the format of every region of the text on its own, so a file
 * may mix formats (a `kubectl describe` followed by `kubectl logs` output, events after a pod
 * table). Regions recognised, by their first line:
 * - `Name:  <name>` at column 0 → a `kubectl describe` block ({@link parseDescribeAt});
 * - a `LAST SEEN … TYPE … REASON … MESSAGE` header → `kubectl get events` ({@link parseEventsTableAt});
 * - a `NAME  …` header of capitalised columns → a `kubectl get` table ({@link parseGetTableAt});
 * - `apiVersion:` / `kind:` / `---` → Kubernetes YAML ({@link parseYamlAt});
 * - a line starting `{` or `[{` that is not a complete JSON value on its own → a JSON document
 *   (CloudWatch Logs responses and subscription payloads, Kubernetes objects and lists, Lambda
 *   error JSON; {@link parseJsonDocumentAt});
 * - any other line → one log event (JSON log records are read field by field, {@link parseLogLine});
 *   a headerless `kubectl get pods` row also becomes a minimal Pod.
 *
 * Every item carries `source` and the 1-based line of the original text it starts on.
 */
import type { PartialContext } from '../../../ports/collector.port.js';
import { InvalidInputError } from '../../../model/errors.js';
import { isBlank, splitLines } from './lines.js';
import { isDescribeStart, parseDescribeAt } from './describe.js';
import { headlessPodRow, isEventsHeader, isGetTableHeader, parseEventsTableAt, parseGetTableAt } from './tables.js';
import { parseLogLine } from './log-line.js';
import { isJsonDocumentStart, parseJsonDocumentAt, type JsonScanState } from './json.js';
import { lineStartOffsets } from './lines.js';
import { isYamlStart, parseYamlAt } from './yaml.js';
import type { EvidenceParts } from './types.js';

export { parseLambdaReport, parseLogLine, jsonRecordToEvent, isJsonLogRecord } from './log-line.js';
export type { LambdaReport } from './log-line.js';
export { describeContainers, describeField, describeKind, describeKindOfText, parseDescribeAt, isDescribeStart } from './describe.js';
export { podFromRow, headlessPodRow, splitColumns, columnStarts } from './tables.js';
export { timestampInLine, timestampOfValue } from './timestamps.js';
export { splitLines } from './lines.js';
export { decodeSubscriptionData } from './json.js';
export type { EvidenceParts, ParsedKubernetesEvent, ParsedLogEvent } from './types.js';

/** Bounds of {@link parseEvidenceText}. */
export interface ParseEvidenceOptions {
  /** Most YAML aliases resolved per document (YAML bomb guard); default 100. */
  readonly maxAliasCount?: number;
  /** Most bytes a gzip `awslogs.data` payload may inflate to; default 64 MiB. */
  readonly maxInflatedBytes?: number;
}


/** Appends without spreading (a spread of 100 000+ items overflows the call stack). */
function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** True when `line` starts a region other than plain log lines. */
function isRegionStart(line: string): boolean {
  return isDescribeStart(line) || isEventsHeader(line) || isGetTableHeader(line);
}

/**
 * Parses evidence text of any supported format (see the module comment) into the parts of a
 * collected context: `logs`, `kubernetesObjects`, `kubernetesEvents`, `describes` and, when a
 * region could not be read and was kept as plain lines instead, `degraded` (kind `error`,
 * component `parse:<source>`). Blank lines are skipped.
 *
 * @param text the whole evidence text (decoded)
 * @param source names the input in every item and error (a path, `stdin`)
 * @throws InvalidInputError when the text is empty, or when it is a single JSON or YAML document
 *   that cannot be read (truncated JSON, YAML syntax error), naming `source` and the line
 * @throws InputTooLargeError for a YAML alias bomb or a subscription payload inflating past
 *   `maxInflatedBytes`
 * @example parseEvidenceText(fs.readFileSync('pod.txt', 'utf8'), 'pod.txt').describes[0].fields['Status']
 */
export function parseEvidenceText(text: string, source: string, options: ParseEvidenceOptions = {}): PartialContext {
  if (text.trim().length === 0) throw new InvalidInputError(source, 'the evidence is empty', { code: 'EMPTY_INPUT' });
  const lines = splitLines(text);
  const parts: EvidenceParts = { logs: [], kubernetesObjects: [], kubernetesEvents: [], describes: [], degraded: [] };
  const firstContent = lines.findIndex((l) => !isBlank(l));
  const isBoundary = (line: string): boolean => isRegionStart(line);
  let starts: number[] | undefined;
  const jsonState: JsonScanState = { starts: () => (starts ??= lineStartOffsets(text)), unclosedScans: 0 };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    if (isDescribeStart(line)) {
      const r = parseDescribeAt(lines, i, source);
      parts.describes.push(r.block);
      pushAll(parts.kubernetesEvents, r.events);
      i = r.end;
      continue;
    }
    if (isEventsHeader(line)) {
      const r = parseEventsTableAt(lines, i, source, isBoundary);
      pushAll(parts.kubernetesEvents, r.events);
      pushAll(parts.logs, r.logs);
      i = r.end;
      continue;
    }
    if (isGetTableHeader(line)) {
      const r = parseGetTableAt(lines, i, source, isBoundary);
      pushAll(parts.kubernetesObjects, r.objects);
      pushAll(parts.logs, r.logs);
      i = r.end;
      continue;
    }
    if (isYamlStart(lines, i)) {
      const end = parseYamlAt(lines, i, source, parts, { whole: i === firstContent, maxAliasCount: options.maxAliasCount ?? 100 });
      if (end > i) {
        i = end;
        continue;
      }
    }
    if (isJsonDocumentStart(line)) {
      const end = parseJsonDocumentAt(text, lines, i, source, parts, {
        whole: i === firstContent,
        maxInflatedBytes: options.maxInflatedBytes ?? 64 * 1024 * 1024,
        state: jsonState,
      });
      if (end > i) {
        i = end;
        continue;
      }
    }
    const pod = headlessPodRow(line, source, i + 1);
    if (pod) parts.kubernetesObjects.push(pod);
    else parts.logs.push(parseLogLine(line, source, i + 1));
    i++;
  }
  const out: PartialContext = {
    logs: parts.logs,
    kubernetesObjects: parts.kubernetesObjects,
    kubernetesEvents: parts.kubernetesEvents,
    describes: parts.describes,
  };
  if (parts.metrics?.length) out.metrics = parts.metrics;
  if (parts.degraded.length > 0) out.degraded = parts.degraded;
  return out;
}
