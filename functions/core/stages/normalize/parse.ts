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
    const positionMatch = /position (\d+)/.exec(message);
    const truncated = /end of JSON input|Unterminated string|Unexpected end/i.test(message) && (!positionMatch || Number(positionMatch[1]) >= body.trimEnd().length - 1);
    if (truncated) {
      const { line, column } = lineColumn(body, body.trimEnd().length);
      throw new InvalidInputError(input, `truncated JSON: the document ends at line ${line}, column ${column} (offset ${body.trimEnd().length}) before it is complete`, { cause: error });
    }
    const offset = positionMatch ? Number(positionMatch[1]) : undefined;
    if (offset === undefined) throw new InvalidInputError(input, `invalid JSON: ${message}`, { cause: error });
    const { line, column } = lineColumn(body, offset);
    const near = JSON.stringify(body.slice(offset, offset + 20));
    throw new InvalidInputError(input, `invalid JSON at line ${line}, column ${column} (offset ${offset}, near ${near}): ${message.replace(/ in JSON at position \d+.*$/, '')}`, { cause: error });
  }
}
