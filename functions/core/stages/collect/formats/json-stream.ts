/**
 * Streaming reader of large JSON evidence documents: emits the elements of the arrays that hold
 * the records (`events`, `logEvents`, `results`, `items`, `Records`, `records`, or a top-level
 * array) one at a time, so a CloudWatch Logs export of hundreds of MB is read in bounded memory.
 * Only one element is held at a time (at most `maxElementChars` characters).
 */
import { addJsonValue } from './json.js';
import type { EvidenceParts } from './types.js';

/** Top-level keys whose array elements are streamed. */
export const STREAMED_ARRAY_KEYS: ReadonlySet<string> = new Set(['events', 'logEvents', 'results', 'items', 'Records', 'records']);

/** One streamed array element. */
export interface StreamedJsonElement {
  /** The top-level key of its array (`events`, …), or `''` for a top-level array. */
  readonly container: string;
  readonly value: unknown;
  /** 1-based line where the element starts. */
  readonly line: number;
}

interface Frame {
  arr: boolean;
  key: string;
  expectKey: boolean;
  target: boolean;
}

/**
 * Incremental JSON scanner. Feed decoded text with {@link write} in any chunking; elements of the
 * streamed arrays are parsed and handed to `onElement`; top-level string fields (e.g. `logGroup`,
 * `logStream`, `messageType`, `kind`) are kept in {@link topLevel} as they pass.
 */
export class JsonElementStream {
  /** Top-level string fields seen so far. */
  readonly topLevel: Record<string, string> = {};
  /** Elements skipped: longer than `maxElementChars` or not valid JSON. */
  skipped = 0;
  private line = 1;
  private inString = false;
  private escape = false;
  private stack: Frame[] = [];
  private stringRole: 'key' | 'scalar' | 'none' = 'none';
  private stringBuf = '';
  private pendingKey = '';
  private capturing = false;
  private captureDepth = 0;
  private captureLine = 0;
  private captureContainer = '';
  private pieces: string[] = [];
  private captureChars = 0;
  private oversized = false;
  private started = false;

  constructor(
    private readonly onElement: (element: StreamedJsonElement) => void,
    private readonly maxElementChars = 8 * 1024 * 1024,
  ) {}

  /** Feeds the next piece of text. */
  write(text: string): void {
    let capStart = this.capturing ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) {
          this.inString = false;
          this.endString(text, i);
          continue;
        }
        continue;
      }
      switch (c) {
        case 34: { // "
          this.inString = true;
          const top = this.stack[this.stack.length - 1];
          if (this.stack.length === 1 && top && !top.arr) {
            this.stringRole = top.expectKey ? 'key' : 'scalar';
            this.stringStart = i + 1;
            this.stringBuf = '';
          } else this.stringRole = 'none';
          break;
        }
        case 58: { // :
          const top = this.stack[this.stack.length - 1];
          if (top && !top.arr) top.expectKey = false;
          break;
        }
        case 44: { // ,
          const top = this.stack[this.stack.length - 1];
          if (top && !top.arr) top.expectKey = true;
          break;
        }
        case 123: // {
        case 91: { // [
          this.started = true;
          const top = this.stack[this.stack.length - 1];
          if (top?.target && !this.capturing) {
            this.capturing = true;
            this.captureDepth = this.stack.length;
            this.captureLine = this.line;
            this.captureContainer = top.key;
            this.pieces = [];
            this.captureChars = 0;
            this.oversized = false;
            capStart = i;
          }
          const target = c === 91 && !this.capturing && (
            this.stack.length === 0 || (this.stack.length === 1 && !top!.arr && STREAMED_ARRAY_KEYS.has(this.pendingKey))
          );
          this.stack.push({ arr: c === 91, key: this.stack.length === 0 ? '' : this.pendingKey, expectKey: c === 123, target });
          break;
        }
        case 125: // }
        case 93: { // ]
          this.stack.pop();
          if (this.capturing && this.stack.length === this.captureDepth) {
            this.finishCapture(text.slice(capStart, i + 1));
            capStart = -1;
          }
          break;
        }
        default:
          break;
      }
    }
    if (this.capturing && capStart !== -1) this.addPiece(text.slice(capStart));
    if (this.inString && this.stringRole !== 'none') {
      this.appendString(text.slice(this.stringStart));
      this.stringStart = 0;
    }
  }

  private stringStart = 0;

  private appendString(piece: string): void {
    if (this.stringBuf.length < 4096) this.stringBuf += piece.slice(0, 4096 - this.stringBuf.length);
  }

  private endString(text: string, end: number): void {
    if (this.stringRole === 'none') return;
    this.appendString(text.slice(this.stringStart, end));
    let value: string;
    try {
      value = JSON.parse(`"${this.stringBuf}"`) as string;
    } catch {
      value = this.stringBuf;
    }
    if (this.stringRole === 'key') this.pendingKey = value;
    else if (this.pendingKey) this.topLevel[this.pendingKey] = value;
    this.stringRole = 'none';
    this.stringStart = 0;
  }

  private addPiece(piece: string): void {
    if (this.oversized) return;
    this.captureChars += piece.length;
    if (this.captureChars > this.maxElementChars) {
      this.oversized = true;
      this.pieces = [];
      return;
    }
    this.pieces.push(piece);
  }

  private finishCapture(last: string): void {
    this.addPiece(last);
    this.capturing = false;
    if (this.oversized) {
      this.skipped++;
      return;
    }
    const textOfElement = this.pieces.join('');
    this.pieces = [];
    let value: unknown;
    try {
      value = JSON.parse(textOfElement);
    } catch {
      this.skipped++;
      return;
    }
    this.onElement({ container: this.captureContainer, value, line: this.captureLine });
  }

  /** True when the text seen so far ended inside an unfinished value (truncated document). */
  get incomplete(): boolean {
    return !this.started || this.stack.length > 0 || this.inString;
  }

  /** 1-based line the scanner has reached. */
  get lines(): number {
    return this.line;
  }
}

/**
 * Adds one streamed element to `parts`, reading it as the document around it would be read
 * ({@link addJsonValue}): `events` as CloudWatch events, `logEvents` with the top-level
 * `logStream`, `results` as Insights rows, `items` as objects of a `*List`, `Records` as Kinesis
 * records, top-level array elements as objects or log records.
 *
 * @returns false when the element is no shape the parsers read
 */
export function addStreamedElement(
  element: StreamedJsonElement, topLevel: Readonly<Record<string, string>>, source: string, parts: EvidenceParts, maxInflatedBytes: number,
): boolean {
  const at = (): number => element.line;
  const v = element.value;
  switch (element.container) {
    case '':
      return addJsonValue([v], at, source, parts, maxInflatedBytes);
    case 'logEvents':
      return addJsonValue({ ...topLevel, logEvents: [v] }, at, source, parts, maxInflatedBytes);
    case 'items':
      return addJsonValue({ kind: topLevel['kind'] ?? 'List', apiVersion: topLevel['apiVersion'] ?? 'v1', metadata: {}, items: [v] }, at, source, parts, maxInflatedBytes);
    default:
      return addJsonValue({ [element.container]: [v] }, at, source, parts, maxInflatedBytes);
  }
}
