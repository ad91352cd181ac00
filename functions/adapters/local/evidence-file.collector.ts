/**
 * Local evidence collector: reads an evidence file (or stdin for `-`) and parses it with the core's
 * format parsers.
 *
 * Memory stays bounded whatever the input size: the input is read as a stream; inputs up to
 * `wholeParseLimitBytes` (default 20 MiB) are parsed whole (format detection: describe, events,
 * tables, JSON, YAML, logs). Larger ones are read incrementally — a JSON document (a CloudWatch
 * Logs export, a `*List`) element by element with {@link JsonElementStream}, Kubernetes YAML one
 * document or List item at a time with {@link YamlDocumentStream}, anything else line by line as
 * log lines (plain or JSON lines) — and every log event is analyzed through a {@link LogSelection}:
 * mined as it is read, kept whole when it is among the first 3 of its template or the `maxEvents`
 * most recent (default 50 000), otherwise kept as its template, time and level (13 bytes), so
 * it still counts in the log patterns and a failure early in the file is still found.
 *
 * Bad input gets a typed error naming the input: a missing or unreadable file, an empty input, a
 * binary input (NUL bytes, or more than 10 % control characters in the first 64 KiB, or a gzip /
 * zip signature) are {@link InvalidInputError}s. Text is UTF-8, or UTF-16 when it starts with a
 * UTF-16 byte order mark. Invalid UTF-8 is decoded with U+FFFD replacement and reported in
 * `degraded` (kind `error`), never fatal.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Degradation, KubernetesEvent, KubernetesObject, LogEvent } from '../../core/model/evidence.js';
import type { Incident } from '../../core/model/incident.js';
import { InvalidInputError } from '../../core/model/errors.js';
import type { Collector, PartialContext } from '../../core/ports/collector.port.js';
import type { EvidenceDocument } from '../../core/diagnose/index.js';
import { parseEvidenceText, parseLogLine, type EvidenceParts } from '../../core/stages/collect/formats/index.js';
import { JsonElementStream, STREAMED_ARRAY_KEYS as STREAMED, addStreamedElement } from '../../core/stages/collect/formats/json-stream.js';
import { YamlDocumentStream, looksLikeYamlDocument } from '../../core/stages/collect/formats/yaml-stream.js';
import { LogSelection } from '../../core/stages/collect/log-selection.js';

/** Options of {@link fileCollector} and {@link readEvidenceFile}. */
export interface EvidenceFileOptions {
  /**
   * Most recent log events kept whole from a streamed (large) input, besides the first 3 of each
   * template; the other events are kept as template, time and level. Default 50 000.
   */
  readonly maxEvents?: number;
  /** Inputs up to this many bytes are parsed whole (structured formats); default 20 MiB. */
  readonly wholeParseLimitBytes?: number;
  /** Lines longer than this many characters are cut (and the cut reported); default 1 MiB. */
  readonly maxLineChars?: number;
  /** Most Kubernetes objects (and, separately, events) kept from a streamed JSON document; default 50 000. */
  readonly maxObjects?: number;
  /** The stream read for `-`; default `process.stdin`. */
  readonly stdin?: Readable;
  /** Aborts reading (the collect stage's budget). */
  readonly signal?: AbortSignal;
  /**
   * Called after each chunk read with the input's name (`stdin` for `-`), the bytes and the lines
   * (newlines) read so far: progress reports.
   */
  readonly onProgress?: (source: string, bytes: number, lines: number) => void;
}

/** Default number of most recent log events kept whole from one streamed input. */
export const DEFAULT_MAX_EVENTS = 50_000;
/** Default size up to which an input is parsed whole. */
export const DEFAULT_WHOLE_PARSE_LIMIT_BYTES = 20 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;

/** The name an input goes by in items and errors: the path as given, or `stdin` for `-`. */
export function evidenceSourceName(path: string): string {
  return path === '-' ? 'stdin' : path;
}

/**
 * Why `bytes` (the first bytes of an input) are not text, or undefined when they look like text.
 * Binary: a NUL byte, a gzip/zip/PNG/ELF signature, or more than 10 % control characters other
 * than tab, line feed, carriage return, form feed and escape.
 */
export function binaryReason(bytes: Uint8Array): string | undefined {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  if (n >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'it is gzip-compressed; decompress it first (gunzip)';
  if (n >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'it is a zip archive';
  if (n >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return 'it is an ELF executable';
  if (n >= 4 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'it is a PNG image';
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return `it contains NUL bytes (first at byte ${i}); binary data or UTF-16 text is not read`;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
    else if (b === 0x7f) control++;
  }
  if (n > 0 && control / n > 0.1) return `${Math.round((control / n) * 100)}% of its first ${n} bytes are control characters`;
  return undefined;
}

/**
 * The UTF-16 encoding a byte order mark announces (`FF FE` little-endian, `FE FF` big-endian), or
 * undefined. Windows PowerShell 5 writes redirected command output (`kubectl describe pod x >
 * pod.txt`) as UTF-16LE with a BOM.
 */
export function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Counts encoded U+FFFD (EF BF BD) in raw bytes, to tell real replacement characters from decoding errors. */
function countEncodedReplacement(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(0xef); i !== -1 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) count++;
  }
  return count;
}

function countReplacement(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) count++;
  return count;
}

function openInput(path: string, options: EvidenceFileOptions): Readable {
  if (path === '-') return options.stdin ?? process.stdin;
  return createReadStream(path, { highWaterMark: 64 * 1024 });
}

async function checkFile(path: string): Promise<void> {
  if (path === '-') return;
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InvalidInputError(path, `cannot read the evidence file: ${why}`, { cause: error, code: code === 'ENOENT' ? 'NOT_FOUND' : 'UNREADABLE' });
  }
  if (info.isDirectory()) throw new InvalidInputError(path, 'is a directory, not an evidence file');
}

/**
 * Checks an evidence file before anything is loaded to read it, with the messages reading it
 * would give: it must exist, be a file, not be empty and not be binary (its first 8 KiB; a UTF-16
 * byte order mark is text). `-` (stdin) is not checked. Reads at most 8 KiB.
 * @throws InvalidInputError naming the file and what is wrong.
 */
export async function checkEvidenceFile(path: string): Promise<void> {
  if (path === '-') return;
  await checkFile(path);
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead === 0) throw new InvalidInputError(path, 'is empty', { code: 'EMPTY_INPUT' });
    const bytes = head.subarray(0, bytesRead);
    const why = utf16Encoding(bytes) ? undefined : binaryReason(bytes);
    if (why) throw new InvalidInputError(path, `is not text evidence: ${why}`, { code: 'BINARY_INPUT' });
  } finally {
    await handle.close();
  }
}

/**
 * Reads and parses one evidence input (a path, or `-` for stdin) with bounded memory; see the
 * module comment for the whole/streamed split and the errors.
 *
 * @returns the parts found; `degraded` notes invalid UTF-8, streamed (not format-detected) reading
 *   and truncation (kind `truncated`) when more than `maxEvents` events were read
 * @throws InvalidInputError naming the input: missing, a directory, empty, binary; and whatever
 *   {@link parseEvidenceText} throws for a whole input (truncated JSON, invalid YAML, YAML bomb)
 */
export async function readEvidenceFile(path: string, options: EvidenceFileOptions = {}): Promise<PartialContext> {
  return readEvidence(path, options);
}

/**
 * Reads one evidence input like {@link readEvidenceFile} and also digests its bytes (SHA-256), for
 * the diagnose use case: an evidence-only incident's id derives from its content.
 */
export async function readEvidenceDocument(path: string, options: EvidenceFileOptions = {}): Promise<EvidenceDocument> {
  const hash = createHash('sha256');
  const parts = await readEvidence(path, options, hash);
  const source = evidenceSourceName(path);
  return { name: `file:${source}`, source, parts, sha256: hash.digest('hex') };
}

async function readEvidence(path: string, options: EvidenceFileOptions, hash?: Hash): Promise<PartialContext> {
  const source = evidenceSourceName(path);
  const limit = options.wholeParseLimitBytes ?? DEFAULT_WHOLE_PARSE_LIMIT_BYTES;
  const maxEvents = Math.max(1, options.maxEvents ?? DEFAULT_MAX_EVENTS);
  const maxLineChars = options.maxLineChars ?? 1024 * 1024;
  const maxObjects = options.maxObjects ?? 50_000;
  await checkFile(path);
  const stream = openInput(path, options);
  let linesRead = 0;
  const component = `file:${source}`;
  const degraded: Degradation[] = [];
  // UTF-8 unless a UTF-16 byte order mark says otherwise (PowerShell 5 writes `>` redirects as UTF-16LE)
  let decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  let utf16 = false;
  let invalidUtf8 = 0;
  let firstInvalidLine: number | undefined;
  let sniffed = false;
  let totalBytes = 0;
  let sawNonWhitespace = false;

  // whole mode: chunks kept until the limit; streamed mode: lines into a ring buffer
  const head: Buffer[] = [];
  let streaming = false;
  const selection = new LogSelection({ recent: maxEvents });
  let lineNo = 0;
  let carry = '';
  let skipping = false;
  let longLines = 0;

  const pushEvent = (event: LogEvent): void => {
    selection.add(event);
  };
  const takeLine = (line: string): void => {
    lineNo++;
    let text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.length > maxLineChars) {
      longLines++;
      text = text.slice(0, maxLineChars);
    }
    if (yamlStream) {
      yamlStream.push(text, lineNo);
      return;
    }
    if (text.trim().length === 0) return;
    pushEvent(parseLogLine(text, source, lineNo));
  };
  const feedText = (text: string, bytes: Uint8Array): void => {
    const replaced = utf16 ? 0 : countReplacement(text) - countEncodedReplacement(bytes);
    if (replaced > 0) {
      invalidUtf8 += replaced;
      firstInvalidLine ??= jsonStream ? jsonStream.lines : lineNo + 1;
    }
    if (!sawNonWhitespace && text.trim().length > 0) sawNonWhitespace = true;
    if (jsonStream) {
      jsonStream.write(text);
      return;
    }
    let start = 0;
    if (skipping) {
      // the rest of a line that was cut: drop it up to its end
      const end = text.indexOf('\n');
      if (end === -1) return;
      skipping = false;
      start = end + 1;
    }
    let nl = text.indexOf('\n', start);
    if (nl !== -1 && carry.length > 0) {
      takeLine(carry + text.slice(start, nl));
      carry = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl !== -1) {
      takeLine(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    carry += text.slice(start);
    if (carry.length > maxLineChars) {
      takeLine(carry);
      carry = '';
      skipping = true;
    }
  };
  // a large JSON document (not JSON lines) is streamed element by element
  let jsonStream: JsonElementStream | undefined;
  const objects: KubernetesObject[] = [];
  const kubernetesEvents: KubernetesEvent[] = [];
  const parseNotes: Degradation[] = [];
  let objectsDropped = 0;
  let unreadElements = 0;
  let yamlStream: YamlDocumentStream | undefined;
  const addParts = (parts: PartialContext): void => {
    for (const e of parts.logs ?? []) pushEvent(e);
    for (const o of parts.kubernetesObjects ?? []) {
      if (objects.length < maxObjects) objects.push(o);
      else objectsDropped++;
    }
    for (const e of parts.kubernetesEvents ?? []) {
      if (kubernetesEvents.length < maxObjects) kubernetesEvents.push(e);
      else objectsDropped++;
    }
    if (parts.degraded && parts.degraded.length > 0 && parseNotes.length < 20) parseNotes.push(...parts.degraded);
  };
  const startJsonStream = (): void => {
    const stream = new JsonElementStream((element) => {
      const parts: EvidenceParts = { logs: [], kubernetesObjects: [], kubernetesEvents: [], describes: [], degraded: [] };
      if (!addStreamedElement(element, stream.topLevel, source, parts, 64 * 1024 * 1024)) unreadElements++;
      addParts(parts);
    }, maxLineChars * 8);
    jsonStream = stream;
  };
  const looksLikeJsonDocument = (head: string): boolean => {
    const start = head.search(/\S/);
    if (start === -1 || (head[start] !== '{' && head[start] !== '[')) return false;
    const nl = head.indexOf('\n', start);
    const firstLine = head.slice(start, nl === -1 ? undefined : nl).trim();
    try {
      JSON.parse(firstLine);
      return false; // one complete value on the first line: JSON lines
    } catch {
      return true;
    }
  };
  const switchToStreaming = (): void => {
    streaming = true;
    const headBytes = Buffer.concat(head).subarray(0, 1024 * 1024);
    const headText = new TextDecoder(decoder.encoding, { fatal: false }).decode(headBytes);
    if (looksLikeJsonDocument(headText.replace(/^\uFEFF/, ''))) startJsonStream();
    else if (looksLikeYamlDocument(headText.replace(/^\uFEFF/, ''))) {
      yamlStream = new YamlDocumentStream(source, (parts) => addParts(parts), maxLineChars * 16);
    }
    for (const chunk of head) feedText(decoder.decode(chunk, { stream: true }), chunk);
    head.length = 0;
  };

  // an abort destroys the stream, so a read waiting for data (a quiet stdin) ends at once
  const onAbort = (): void => {
    stream.destroy(options.signal?.reason instanceof Error ? options.signal.reason : new Error('evidence reading was aborted'));
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (!sniffed && bytes.length > 0) {
        sniffed = true;
        const bom16 = utf16Encoding(bytes);
        if (bom16) {
          utf16 = true;
          decoder = new TextDecoder(bom16, { fatal: false, ignoreBOM: false });
        }
        const why = bom16 ? undefined : binaryReason(bytes);
        if (why) throw new InvalidInputError(source, `is not text evidence: ${why}`, { code: 'BINARY_INPUT' });
      }
      totalBytes += bytes.length;
      hash?.update(bytes);
      if (options.onProgress) {
        for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) linesRead++;
        options.onProgress(source, totalBytes, linesRead);
      }
      if (streaming) feedText(decoder.decode(bytes, { stream: true }), bytes);
      else {
        head.push(bytes);
        if (totalBytes > limit) switchToStreaming();
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (path !== '-') stream.destroy();
  }

  if (!streaming) {
    const bytes = Buffer.concat(head);
    head.length = 0;
    let text = decoder.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const replaced = utf16 ? 0 : countReplacement(text) - countEncodedReplacement(bytes);
    if (utf16 && /[\u0000-\u0008\u000e-\u001a]/.test(text.slice(0, 4096))) {
      throw new InvalidInputError(source, 'is not text evidence: it starts with a UTF-16 byte order mark but holds control characters', { code: 'BINARY_INPUT' });
    }
    if (text.trim().length === 0) {
      throw new InvalidInputError(source, totalBytes === 0 ? 'is empty' : 'holds only whitespace', { code: 'EMPTY_INPUT' });
    }
    const parsed = parseEvidenceText(text, source);
    const notes: Degradation[] = [...(parsed.degraded ?? [])];
    if (replaced > 0) {
      const firstLine = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
      notes.push({ component, kind: 'error', reason: `${replaced} bytes of invalid UTF-8 were replaced with U+FFFD (first on line ${firstLine})` });
    }
    return notes.length > 0 ? { ...parsed, degraded: notes } : parsed;
  }

  feedText(decoder.decode(), new Uint8Array());
  if (carry.length > 0) takeLine(carry);
  carry = '';
  yamlStream?.end();
  if (!sawNonWhitespace) throw new InvalidInputError(source, 'holds only whitespace', { code: 'EMPTY_INPUT' });
  const selected = selection.finish(source);
  const logs = selected.logs;
  const eventsRead = selected.read;
  const size = `${(totalBytes / 1048576).toFixed(1)} MiB (over ${(limit / 1048576).toFixed(0)} MiB)`;
  if (jsonStream) {
    degraded.push(...parseNotes);
    degraded.push({ component, kind: 'skipped', reason: `${source} is ${size}: its JSON document was read element by element (arrays ${[...STREAMED].join(', ')})` });
    if (jsonStream.incomplete) {
      degraded.push({ component, kind: 'truncated', reason: `${source}: the JSON document is truncated (it ends at line ${jsonStream.lines} inside an unfinished value); the complete elements before it were kept` });
    }
    if (jsonStream.skipped + unreadElements > 0) {
      degraded.push({ component, kind: 'skipped', reason: `${jsonStream.skipped + unreadElements} JSON elements were not read (invalid, over ${maxLineChars * 8} characters, or of no known shape)` });
    }
    if (objectsDropped > 0) {
      degraded.push({ component, kind: 'truncated', reason: `${objectsDropped} Kubernetes objects or events beyond ${maxObjects} were dropped` });
    }
    if (eventsRead === 0 && objects.length === 0 && kubernetesEvents.length === 0) {
      throw new InvalidInputError(source, `is a ${size} JSON document with no log events or Kubernetes objects in any array this reader knows (${[...STREAMED].join(', ')})`, { code: 'UNSUPPORTED_JSON' });
    }
  } else if (yamlStream) {
    degraded.push(...parseNotes);
    degraded.push({ component, kind: 'skipped', reason: `${source} is ${size}: its YAML was read one document (or List item) at a time` });
    if (yamlStream.skipped > 0) {
      degraded.push({ component, kind: 'skipped', reason: `${yamlStream.skipped} YAML documents over ${maxLineChars * 16} characters were not read` });
    }
    if (objectsDropped > 0) {
      degraded.push({ component, kind: 'truncated', reason: `${objectsDropped} Kubernetes objects or events beyond ${maxObjects} were dropped` });
    }
  } else {
    degraded.push({
      component, kind: 'skipped',
      reason: `${source} is ${size}: read line by line as log lines; describe, table, JSON and YAML documents in it were not parsed as such`,
    });
  }
  if (selected.omitted) {
    degraded.push({
      component, kind: 'skipped',
      reason: `${eventsRead} log events read and mined, every one counted in the log patterns; ${logs.length} kept whole (the first 3 of each template and the ${maxEvents} most recent), the other ${selected.omitted.count} as their template, time and level`,
    });
  }
  if (invalidUtf8 > 0) {
    degraded.push({ component, kind: 'error', reason: `${invalidUtf8} bytes of invalid UTF-8 were replaced with U+FFFD (first near line ${firstInvalidLine})` });
  }
  if (longLines > 0) {
    degraded.push({ component, kind: 'truncated', reason: `${longLines} lines longer than ${maxLineChars} characters were cut` });
  }
  const out: PartialContext = { logs, degraded };
  if (selected.omitted) out.omittedLogs = [selected.omitted];
  if (objects.length > 0) out.kubernetesObjects = objects;
  if (kubernetesEvents.length > 0) out.kubernetesEvents = kubernetesEvents;
  return out;
}

/**
 * A {@link Collector} named `file:<path>` (`file:stdin` for `-`) that reads one evidence input with
 * {@link readEvidenceFile}, stopping when the collect stage's signal aborts.
 *
 * @example
 * const context = await collect(incident, [fileCollector('pod.txt'), fileCollector('app.log')], { budgetMs: 10_000 });
 */
export function fileCollector(path: string, options: EvidenceFileOptions = {}): Collector {
  return {
    name: `file:${evidenceSourceName(path)}`,
    collect(_incident: Incident, signal: AbortSignal): Promise<PartialContext> {
      return readEvidenceFile(path, { ...options, signal: options.signal ? AbortSignal.any([options.signal, signal]) : signal });
    },
  };
}

/**
 * Reads every evidence input up front, in order (an unreadable one throws {@link InvalidInputError}
 * naming it, so a CLI can exit 2 instead of quietly recording it), with the digest of its bytes.
 */
export async function preloadEvidenceFiles(paths: readonly string[], options: EvidenceFileOptions = {}): Promise<EvidenceDocument[]> {
  const documents: EvidenceDocument[] = [];
  for (const path of paths) documents.push(await readEvidenceDocument(path, options));
  return documents;
}
