/**
 * Whole quotes: a hypothesis quotes the input as it was written, the whole of the line or message
 * that carries the cause, not a part the parser read out of it.
 * - A JSON log record (`{"__type":"ThrottlingException","message":"Rate exceeded"}`) is matched on
 *   its message, but quoted as its line ({@link LogEvent.raw}), so the fields around the message
 *   (the error code, the logger, the request) stay visible.
 * - A YAML value continued over several lines (a Kubernetes `status.conditions[].message` that
 *   kubectl folds: `message: 'the HPA was unable to compute the replica count: failed to get cpu
 *   utilization:` + `      missing request for cpu in container …'`) is quoted whole, its lines
 *   joined by `\n`, at the line the value starts on: a match on either line quotes the message.
 *   A value continues while the next lines are indented deeper than its key (plain scalars, YAML
 *   1.2 §7.3.3) or until its closing quote (§7.3.1, §7.3.2); at most {@link MAX_VALUE_LINES} lines.
 * Lines are looked up in the exact-line index, so a quote is always made of input lines.
 */
import type { CollectedContext, EvidenceRef, LogEvent } from '../../model/evidence.js';
import type { LineIndex } from '../analyze/index.js';

/** Longest YAML value (in lines) quoted whole. */
export const MAX_VALUE_LINES = 8;

/** A YAML mapping key starting a value on its line (`message: …`, `- reason: "…"`). */
const KEY_LINE = /^(\s*)(?:-\s+)?[a-z][A-Za-z0-9_-]{0,40}:\s+(['"]?)(.*)/;
/** A line that starts a new key or list item, or a stack frame: never a continuation. */
const NOT_CONTINUATION = /^\s*(?:-\s|[a-z][A-Za-z0-9_-]{0,40}:(?:\s|$)|at\s|File\s")/;

function indentOf(text: string): number {
  return /^\s*/.exec(text)![0].length;
}

/** The source's lines around `line` that make one YAML value with it, as [first, last], or undefined. */
export function yamlValueSpan(get: (line: number) => string | undefined, line: number): [number, number] | undefined {
  for (let head = line; head >= Math.max(1, line - MAX_VALUE_LINES + 1); head--) {
    const text = get(head);
    if (text === undefined) return undefined;
    const key = KEY_LINE.exec(text);
    if (!key) {
      // above the quoted line, a new item or a stack frame ends the search: no key owns this line
      if (head !== line && NOT_CONTINUATION.test(text)) return undefined;
      continue;
    }
    const indent = key[1]!.length;
    const quote = key[2]!;
    const rest = key[3]!.trimEnd();
    if (quote && rest.length > 0 && rest.endsWith(quote)) return undefined; // closed on its own line
    let last = head;
    for (let next = head + 1; next < head + MAX_VALUE_LINES; next++) {
      const t = get(next);
      if (t === undefined || t.trim() === '') break;
      if (quote) {
        last = next;
        if (t.trimEnd().endsWith(quote)) break;
        continue;
      }
      if (indentOf(t) <= indent || NOT_CONTINUATION.test(t)) break;
      last = next;
    }
    return last > head && line <= last ? [head, last] : undefined;
  }
  return undefined;
}

/**
 * Requotes evidence as written: the raw line of a JSON log record, a YAML value continued over
 * lines whole. Other references are returned unchanged.
 */
export class Requoter {
  private readonly raws = new Map<string, LogEvent>();
  private readonly exact: LineIndex;

  constructor(context: Pick<CollectedContext, 'logs'>, exact: LineIndex) {
    this.exact = exact;
    for (const log of context.logs) {
      if (log.raw !== undefined && log.line !== undefined) this.raws.set(`${log.line}\u0000${log.source}`, log);
    }
  }

  /** The reference quoting the whole line or value. */
  requote(ref: EvidenceRef): EvidenceRef {
    if (ref.line === undefined) return ref;
    const record = this.raws.get(`${ref.line}\u0000${ref.source}`);
    if (record && record.raw !== ref.text && record.message.includes(ref.text)) return { text: record.raw!, source: ref.source, line: ref.line };
    if (this.exact.get(ref.source, ref.line) !== ref.text) return ref;
    const span = yamlValueSpan((n) => this.exact.get(ref.source, n), ref.line);
    if (!span) return ref;
    const lines: string[] = [];
    for (let n = span[0]; n <= span[1]; n++) lines.push(this.exact.get(ref.source, n)!);
    return { text: lines.join('\n'), source: ref.source, line: span[0] };
  }
}
