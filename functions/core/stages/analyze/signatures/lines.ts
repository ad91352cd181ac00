/**
 * Evidence lines: every input line the signatures look at, with where it came from.
 *
 * Lines come from log events (each physical line of a multi-line event keeps its own line
 * number), `kubectl describe` blocks (each line of the block's text), Kubernetes events (their
 * exact input row when parsed from text, otherwise `type reason object message`), and the
 * incident itself (title, reason, alarm and metric names, labels, inline evidence).
 */
import type { CollectedContext, EvidenceRef, KubernetesEvent } from '../../../model/evidence.js';
import type { Incident } from '../../../model/incident.js';
import { describeKind, describeName } from '../kubernetes/util.js';
import { inlineEvidenceSource } from '../../collect/index.js';

/** What kind of input a line is: signatures choose which kinds they apply to. */
export type LineKind = 'log' | 'describe' | 'event' | 'incident' | 'finding';

/** One line a signature can match. */
export interface EvidenceLine {
  readonly kind: LineKind;
  /** The exact line. */
  readonly text: string;
  readonly source: string;
  readonly line?: number;
  /** For `event` lines: the event's reason and type. */
  readonly reason?: string;
  readonly eventType?: string;
  /** For `describe` lines: the kind of the described object (`Pod`, `Node`, …), when known. */
  readonly objectKind?: string;
  /** For `describe` and `event` lines: the object's name, when known. */
  readonly objectName?: string;
}

/** Maximum characters kept per line (longer lines are cut, never dropped). */
export const MAX_LINE_CHARS = 4000;

function cut(text: string): string {
  return text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS) : text;
}

/** Key of a (source, line) pair. */
function key(source: string, line: number): string {
  return `${line}\u0000${source}`;
}

/** Rows of one message indexed per event, at most (a log row is `event * ROWS + row`). */
const ROWS = 2 ** 20;

/** The `row`-th line (0-based) of `message`, without its `\r`; undefined past the end. */
function rowOf(message: string, row: number): string | undefined {
  let start = 0;
  for (let i = 0; i < row; i++) {
    const nl = message.indexOf('\n', start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  const nl = message.indexOf('\n', start);
  const text = nl < 0 ? message.slice(start) : message.slice(start, nl);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

type IndexedContext = Pick<CollectedContext, 'describes' | 'logs'> & Partial<Pick<CollectedContext, 'kubernetesEvents'>>;

const indexes = new WeakMap<IndexedContext, LineIndex>();

/**
 * Index of exact input lines by (source, line number), from describe blocks, logs and the exact
 * rows Kubernetes events were parsed from (`KubernetesEvent.text`: `kubectl get events` rows,
 * describe `Events:` rows). Used to quote the exact line of an event or an object field.
 * Precedence at one (source, line): an event row (the last one), then a describe row, then a log
 * row (the first one). Log rows are kept as numbers and cut from their message when asked for,
 * so an index over many log events costs a few bytes per line.
 */
export class LineIndex {
  private readonly rows = new Map<string, string>();
  /** Per source: line -> event index * {@link ROWS} + row within the event's message. */
  private logRows: Map<string, Map<number, number>> | undefined;
  private readonly logs: IndexedContext['logs'];

  /** The index of a context, built once per context object (contexts are not changed once collected). */
  static of(context: IndexedContext): LineIndex {
    let index = indexes.get(context);
    if (index === undefined) indexes.set(context, (index = new LineIndex(context)));
    return index;
  }

  constructor(context: IndexedContext) {
    for (const event of context.kubernetesEvents ?? []) {
      if (event.line !== undefined && event.text !== undefined) this.rows.set(key(event.source, event.line), event.text);
    }
    for (const block of context.describes) {
      const rows = block.text.split('\n');
      rows.forEach((row, i) => {
        const k = key(block.source, block.line + i);
        if (!this.rows.has(k)) this.rows.set(k, row.replace(/\r$/, ''));
      });
    }
    this.logs = context.logs;
  }

  /** Log rows by (source, line), indexed on the first lookup that needs them (most quote describe or event rows). */
  private logIndex(): Map<string, Map<number, number>> {
    if (this.logRows !== undefined) return this.logRows;
    const logRows = new Map<string, Map<number, number>>();
    this.logs.forEach((log, n) => {
      if (log.line === undefined) return;
      let lines = logRows.get(log.source);
      if (lines === undefined) logRows.set(log.source, (lines = new Map()));
      let row = 0;
      let at = -1;
      do {
        const line = log.line + row;
        if (!lines.has(line)) lines.set(line, n * ROWS + row);
        at = log.message.indexOf('\n', at + 1);
        row++;
      } while (at >= 0 && row < ROWS);
    });
    this.logRows = logRows;
    return logRows;
  }

  /** The exact line at (source, line), if some event row, describe block or log holds it. */
  get(source: string, line: number | undefined): string | undefined {
    if (line === undefined) return undefined;
    const row = this.rows.get(key(source, line));
    if (row !== undefined) return row;
    const at = this.logIndex().get(source)?.get(line);
    if (at === undefined) return undefined;
    return rowOf(this.logs[Math.floor(at / ROWS)]!.message, at % ROWS);
  }
}

/**
 * The text evidence quotes for a Kubernetes event: its exact input row (`event.text`, or the line
 * `index` holds at its source and line), otherwise (an event read from the API or JSON, with no
 * input row) a rendering `type reason object message` with whitespace collapsed.
 */
export function eventText(event: KubernetesEvent, index?: LineIndex): string {
  return event.text ?? index?.get(event.source, event.line)
    ?? `${event.type} ${event.reason} ${event.object ?? ''} ${event.message}`.replace(/\s+/g, ' ').trim();
}

/** The evidence reference of a Kubernetes event: {@link eventText} at its source and line. */
export function eventRef(event: KubernetesEvent, index?: LineIndex): EvidenceRef {
  const text = eventText(event, index);
  return event.line === undefined ? { text, source: event.source } : { text, source: event.source, line: event.line };
}

/**
 * Indexes of the rows of a describe block that hold a container's `Command:`/`Args:` values:
 * the script the container runs, not something that happened (a script may well `echo` an error
 * message), so signatures skip them.
 */
export function scriptRows(rows: readonly string[]): Set<number> {
  const skip = new Set<number>();
  let indent = -1;
  rows.forEach((row, i) => {
    const m = /^(\s*)(Command|Args):(.*)$/.exec(row);
    if (m) {
      indent = m[1]!.length;
      if (m[3]!.trim() !== '') skip.add(i);
      return;
    }
    if (indent < 0) return;
    const lead = /^\s*/.exec(row)![0].length;
    if (row.trim() !== '' && lead <= indent) { indent = -1; return; }
    skip.add(i);
  });
  return skip;
}

/**
 * Lines of the incident record (source `event`, no line number), then the lines of its inline
 * evidence with the source {@link inlineEvidenceSource} names and their 1-based line within it.
 */
export function incidentLines(incident: Incident | undefined): EvidenceLine[] {
  if (!incident) return [];
  const texts: string[] = [];
  const push = (value: unknown): void => {
    if (typeof value === 'string' && value.trim() !== '') texts.push(...value.split('\n').filter((t) => t.trim() !== ''));
  };
  push(incident.title);
  push(incident.reason);
  if (incident.alarm) {
    push(incident.alarm.name);
    push(incident.alarm.description);
    for (const metric of incident.alarm.metrics) {
      if (metric.name) push(`${metric.namespace ?? ''} ${metric.name}`.trim());
      if (metric.expression) push(metric.expression);
    }
    if (incident.previousState === 'INSUFFICIENT_DATA' || incident.state === 'INSUFFICIENT_DATA') {
      push(`${incident.alarm.name}: ${incident.previousState ?? ''} -> ${incident.state ?? ''}`);
    }
  }
  for (const [name, value] of Object.entries(incident.labels)) {
    if (name === 'alertname' || name === 'reason') push(`${name}=${value}`);
  }
  const out: EvidenceLine[] = [...new Set(texts)].map((text) => ({ kind: 'incident' as const, text: cut(text), source: 'event' }));
  // inline evidence: each string is a source of its own (as collect names it), lines counted within it
  const inline = incident.inlineEvidence ?? [];
  const seen = new Set(texts);
  inline.forEach((value, i) => {
    const source = inlineEvidenceSource(i, inline.length);
    value.split('\n').forEach((row, j) => {
      const text = row.replace(/\r$/, '');
      if (text.trim() === '' || seen.has(text)) return;
      seen.add(text);
      out.push({ kind: 'incident', text: cut(text), source, line: j + 1 });
    });
  });
  return out;
}

/** The describe and event lines of a context, then its log lines (see {@link evidenceLines}). */
interface ContextLines {
  readonly structured: readonly EvidenceLine[];
  /** Built on first access. */
  readonly logs: readonly EvidenceLine[];
}

const contextLines = new WeakMap<CollectedContext, ContextLines>();

/** Describe lines, then events. */
function structuredLines(context: CollectedContext): EvidenceLine[] {
  const out: EvidenceLine[] = [];
  for (const block of context.describes) {
    const rows = block.text.split('\n');
    const script = scriptRows(rows);
    const kind = describeKind(block);
    const name = describeName(block);
    rows.forEach((row, i) => {
      if (row.trim() === '' || script.has(i)) return;
      const line = block.line + i;
      out.push({
        kind: 'describe', text: cut(row.replace(/\r$/, '')), source: block.source, line,
        objectKind: kind, objectName: name,
      });
    });
  }
  // the index is only needed for an event with an input line but no exact row of its own
  const index = context.kubernetesEvents.some((e) => e.text === undefined && e.line !== undefined) ? LineIndex.of(context) : undefined;
  for (const event of context.kubernetesEvents) {
    const text = eventText(event, index);
    out.push({
      kind: 'event', text: cut(text), source: event.source, line: event.line,
      reason: event.reason, eventType: event.type, objectName: event.object,
    });
  }
  return out;
}

/**
 * The lines of log events, each physical line of a multi-line event on its own with its line
 * number; blank lines skipped, long lines cut to {@link MAX_LINE_CHARS}.
 */
export function logEvidenceLines(logs: CollectedContext['logs']): EvidenceLine[] {
  const out: EvidenceLine[] = [];
  forEachLogRow(logs, (text, source, line) => {
    out.push({ kind: 'log', text, source, line });
  });
  return out;
}

/**
 * Calls `visit` with each non-blank physical line of the log events (cut to {@link MAX_LINE_CHARS}),
 * its source and line number, without building a line object (for scans that keep few lines).
 */
export function forEachLogRow(logs: CollectedContext['logs'], visit: (text: string, source: string, line: number | undefined) => void): void {
  for (const log of logs) {
    const message = log.message;
    if (!message.includes('\n')) {
      if (message.trim() === '') continue;
      visit(cut(message.endsWith('\r') ? message.slice(0, -1) : message), log.source, log.line);
      continue;
    }
    const rows = message.split('\n');
    rows.forEach((row, i) => {
      if (row.trim() === '') return;
      visit(cut(row.replace(/\r$/, '')), log.source, log.line === undefined ? undefined : log.line + i);
    });
  }
}

/**
 * The describe, event and log lines of a context, built once per context object and shared by
 * the signatures and the failure states (contexts are not changed once collected).
 */
export function contextEvidenceLines(context: CollectedContext): ContextLines {
  let lines = contextLines.get(context);
  if (lines === undefined) {
    let logs: EvidenceLine[] | undefined;
    lines = { structured: structuredLines(context), get logs() { return (logs ??= logEvidenceLines(context.logs)); } };
    contextLines.set(context, lines);
  }
  return lines;
}

/**
 * All lines of a collected context (and its incident) that signatures look at, structured
 * ones first (describe lines, events), then log lines, then the incident. Every line keeps its
 * source and 1-based line number when known.
 */
export function evidenceLines(context: CollectedContext, incident?: Incident): EvidenceLine[] {
  const { structured, logs } = contextEvidenceLines(context);
  return [...structured, ...logs, ...incidentLines(incident)];
}

/** The evidence reference of a line. */
export function refOf(line: Pick<EvidenceLine, 'text' | 'source' | 'line'>): EvidenceRef {
  return line.line === undefined ? { text: line.text, source: line.source } : { text: line.text, source: line.source, line: line.line };
}
