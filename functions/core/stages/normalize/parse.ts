/**
 * Reading an event payload's text into JSON, with errors that say what is wrong and where.
 */
import { InputTooLargeError, InvalidInputError } from '../../model/errors.js';

/** Largest event text {@link parseEventJson} reads: 1 MiB (EventBridge events are at most 256 KiB; SNS messages 256 KiB). */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** 1-based line and column of a UTF-16 offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** The offset of the first character that marks text as binary (NUL or a run of C0 controls), or -1. */
function binaryOffset(text: string): number {
  const limit = Math.min(text.length, 64 * 1024);
  let controls = 0;
  let firstControl = -1;
  for (let i = 0; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return i;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) {
      controls++;
      if (firstControl < 0) firstControl = i;
    }
  }
  return controls > 0 && controls * 100 >= limit ? firstControl : -1;
}

/**
 * Parses an event payload's text as JSON. A UTF-8 byte-order mark is dropped.
 *
 * @param text the payload as decoded text (a decoder that met invalid UTF-8 leaves U+FFFD).
 * @param input names the input in error messages (a path, `stdin`, `body`).
 * @returns the parsed value (any JSON value; {@link normalizeEvent} judges its shape).
 * @throws InputTooLargeError when the text exceeds {@link MAX_EVENT_BYTES} bytes of UTF-8.
 * @throws InvalidInputError when the text is empty, binary, holds U+FFFD (invalid UTF-8), or is
 *   not JSON: a truncated document names the line and column where it ends, a syntax error the
 *   line, column and offset of the offending character.
 * @example
 * parseEventJson('{"source":"aws.ecs"', 'event.json'); // throws "event.json: truncated JSON: …"
 */
export function parseEventJson(text: string, input: string): unknown {
  if (typeof text !== 'string') throw new InvalidInputError(input, `expected text, got ${typeof text}`);
  // Cheap bound first: UTF-8 needs at most 3 bytes per UTF-16 unit.
  if (text.length > MAX_EVENT_BYTES || (text.length * 3 > MAX_EVENT_BYTES && Buffer.byteLength(text, 'utf8') > MAX_EVENT_BYTES)) {
    throw new InputTooLargeError(input, `event is ${Buffer.byteLength(text, 'utf8')} bytes; the limit is ${MAX_EVENT_BYTES} bytes (1 MiB)`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new InvalidInputError(input, 'event is empty (expected a JSON object)');
  const binaryAt = binaryOffset(body);
  if (binaryAt >= 0) {
    const { line, column } = lineColumn(body, binaryAt);
    throw new InvalidInputError(input, `event looks binary, not JSON text (control byte 0x${body.charCodeAt(binaryAt).toString(16).padStart(2, '0')} at line ${line}, column ${column})`);
  }
  const replacementAt = body.indexOf('\uFFFD');
  if (replacementAt >= 0) {
    const { line, column } = lineColumn(body, replacementAt);
    throw new InvalidInputError(input, `event is not valid UTF-8 (U+FFFD replacement character at line ${line}, column ${column}); save it as UTF-8`);
  }
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const located = locateJsonError(body);
    if (located.kind === 'truncated') {
      const end = body.trimEnd().length;
      const { line, column } = lineColumn(body, end);
      throw new InvalidInputError(input, `truncated JSON: the document ends at line ${line}, column ${column} (offset ${end}) before it is complete`, { cause: error });
    }
    if (located.kind === 'valid') throw new InvalidInputError(input, `invalid JSON: ${message}`, { cause: error });
    const { line, column } = lineColumn(body, located.offset);
    const near = JSON.stringify(body.slice(located.offset, located.offset + 20));
    throw new InvalidInputError(input, `invalid JSON at line ${line}, column ${column} (offset ${located.offset}, near ${near})`, { cause: error });
  }
}

/**
 * Finds where a JSON text stops being valid (RFC 8259 grammar), iteratively so deep nesting
 * cannot overflow the stack. Used only after `JSON.parse` failed, to say where and why.
 * @returns `truncated` when the text ends inside a value, `error` with the offset of the first
 *   offending token otherwise; `valid` if no error is found.
 */
export function locateJsonError(text: string): { kind: 'truncated' | 'error' | 'valid'; offset: number } {
  const n = text.length;
  const stack: string[] = [];
  let i = 0;
  let mode: 'value' | 'key' | 'after' = 'value';
  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  /** Scans a string at `i` (a quote); returns a failure or undefined. */
  const scanString = (): { kind: 'truncated' | 'error'; offset: number } | undefined => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) { i++; return undefined; }
      if (c === 92) {
        const e = text[i + 1];
        if (e === undefined) return { kind: 'truncated', offset: n };
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (hex.length < 4 && i + 2 + hex.length >= n && /^[0-9a-fA-F]*$/.test(hex)) return { kind: 'truncated', offset: n };
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) return { kind: 'error', offset: i };
          i += 6;
        } else if ('"\\/bfnrt'.includes(e)) i += 2;
        else return { kind: 'error', offset: i };
        continue;
      }
      if (c < 32) return { kind: 'error', offset: i };
      i++;
    }
    return { kind: 'truncated', offset: n };
  };
  const numberRe = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  for (;;) {
    skipWs();
    if (mode === 'after' && stack.length === 0) return i < n ? { kind: 'error', offset: i } : { kind: 'valid', offset: n };
    if (i >= n) return { kind: 'truncated', offset: n };
    const c = text[i]!;
    if (mode === 'key') {
      if (c !== '"') return { kind: 'error', offset: i };
      const failed = scanString();
      if (failed) return failed;
      skipWs();
      if (i >= n) return { kind: 'truncated', offset: n };
      if (text[i] !== ':') return { kind: 'error', offset: i };
      i++;
      mode = 'value';
    } else if (mode === 'after') {
      const top = stack[stack.length - 1];
      if (c === ',') { i++; mode = top === '{' ? 'key' : 'value'; }
      else if ((top === '{' && c === '}') || (top === '[' && c === ']')) { stack.pop(); i++; }
      else return { kind: 'error', offset: i };
    } else if (c === '{' || c === '[') {
      i++;
      skipWs();
      if (i >= n) return { kind: 'truncated', offset: n };
      if (text[i] === (c === '{' ? '}' : ']')) { i++; mode = 'after'; }
      else { stack.push(c); mode = c === '{' ? 'key' : 'value'; }
    } else if (c === '"') {
      const failed = scanString();
      if (failed) return failed;
      mode = 'after';
    } else if (c === 't' || c === 'f' || c === 'n') {
      const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
      const got = text.slice(i, i + word.length);
      if (got === word) { i += word.length; mode = 'after'; }
      else if (word.startsWith(got) && i + got.length >= n) return { kind: 'truncated', offset: n };
      else return { kind: 'error', offset: i };
    } else {
      numberRe.lastIndex = i;
      const m = numberRe.exec(text);
      if (!m) return c === '-' && i + 1 >= n ? { kind: 'truncated', offset: n } : { kind: 'error', offset: i };
      i += m[0].length;
      if (i >= n && stack.length > 0) return { kind: 'truncated', offset: n };
      mode = 'after';
    }
  }
}
