/**
 * `ops-assistant templates FILE [--log-format FORMAT] [--format jsonl|summary|json]`
 *
 * Mines log templates from a file (or `-` for stdin), read once as a stream and split into lines
 * here (no node:readline), so memory stays bounded by the number of templates plus, for `jsonl`
 * from a file, one 32-bit template handle per line (4 MB per million lines), not the file size.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { stat } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { Option, type Command } from 'commander';
import { InvalidInputError } from '../../core/model/errors.js';
import { redact } from '../../core/stages/compose/redact.js';
import { showControls } from '../../core/stages/compose/format.js';
import type { LogFormat, ParsedLine, TemplateMatch } from '../../core/stages/analyze/templates/index.js';

/** The miner and the collect stage's readers, loaded when the command runs (not for `--help`). */
async function loadMining() {
  const [templates, collect, input] = await Promise.all([
    import('../../core/stages/analyze/templates/index.js'), import('../../core/stages/collect/index.js'), import('../../composition/local-input.js'),
  ]);
  return { ...templates, parseEvidenceText: collect.parseEvidenceText, binaryReason: input.binaryReason };
}
type Mining = Awaited<ReturnType<typeof loadMining>>;
import { examples } from '../options.js';
import { noteStdinReading, progressOn } from '../progress.js';

/** Output formats of the command. */
export type TemplatesOutputFormat = 'jsonl' | 'summary' | 'json';

/** Options of {@link runTemplates}. */
export interface TemplatesOptions {
  /** Loghub-style header format (`<Date> <Time> <Level> <Component>: <Content>`); detected per line when absent. */
  readonly logFormat?: string;
  /** Default `jsonl`. */
  readonly format?: TemplatesOutputFormat;
  /** Where output goes. Default `process.stdout`. */
  readonly out?: Writable;
  /** Used for `-`. Default `process.stdin`. */
  readonly stdin?: Readable;
  /** Called with the number of lines read so far, every 16 384 lines: progress. */
  readonly onLines?: (lines: number) => void;
}

/** Splits a raw event (first line holds the header) into content and timestamp. */
function splitEvent(text: string, format: LogFormat | undefined, detectHeader: Mining['detectHeader']): ParsedLine {
  const nl = text.indexOf('\n');
  const first = nl >= 0 ? text.slice(0, nl) : text;
  const rest = nl >= 0 ? text.slice(nl) : '';
  const parsed = format ? format.parse(first) ?? { content: first, fields: {}, header: 'none' as const } : detectHeader(first);
  return rest ? { ...parsed, content: parsed.content + rest } : parsed;
}

/** Writes text with back-pressure, in chunks. */
class ChunkWriter {
  private buffer = '';
  constructor(private readonly out: Writable) {}
  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= 65536) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk)) await new Promise<void>((r) => this.out.once('drain', () => r()));
  }
}

/**
 * Calls `onLine` with each line of `input` (UTF-8), without its terminator (`\n` or `\r\n`); a
 * last line without a terminator counts, an empty input has no line.
 */
async function forEachLine(input: Readable, onLine: (line: string) => Promise<void> | void): Promise<void> {
  let carry = '';
  for await (const chunk of input as AsyncIterable<string | Buffer>) {
    const text = carry + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      const r = onLine(text.slice(start, end));
      if (r !== undefined) await r;
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  if (carry.length > 0) {
    const r = onLine(carry.endsWith('\r') ? carry.slice(0, -1) : carry);
    if (r !== undefined) await r;
  }
}

/**
 * Reads events from a source: raw lines grouped into multi-line events (a line that does not
 * match `--log-format`, or a continuation line such as `\tat …`, joins the previous event).
 * Calls `onEvent` with each event and the number of raw lines it spans.
 */
async function forEachEvent(
  input: Readable,
  format: LogFormat | undefined,
  onEvent: (event: ParsedLine, lineCount: number) => Promise<void> | void,
  mining: Mining,
  onLines?: (lines: number) => void,
): Promise<number> {
  const { MultilineGrouper, detectHeader } = mining;
  const grouper = new MultilineGrouper(format ? { isEventStart: (l) => format.parse(l) !== undefined } : {});
  let lines = 0;
  await forEachLine(input, (line) => {
    lines++;
    if (onLines && (lines & 16383) === 0) onLines(lines);
    const done = grouper.push(line);
    if (done) return onEvent(splitEvent(done.text, format, detectHeader), countLines(done.text));
    return undefined;
  });
  const last = grouper.flush();
  if (last) await onEvent(splitEvent(last.text, format, detectHeader), countLines(last.text));
  return lines;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Runs the command. The input is read once. For a file, `jsonl` keeps one template handle per line
 * while mining and prints each line's final template at the end (so lines of one template share
 * one templateId). For stdin it prints the template as it stood when the line arrived.
 * @throws InvalidInputError when the file is missing or not a file, or `--log-format` is invalid.
 */
export async function runTemplates(file: string, options: TemplatesOptions = {}): Promise<void> {
  const mining = await loadMining();
  const { TemplateMiner, parseLogFormat, binaryReason } = mining;
  const out = options.out ?? process.stdout;
  const format = options.logFormat !== undefined ? parseLogFormat(options.logFormat) : undefined;
  const outputFormat = options.format ?? 'jsonl';
  const isStdin = file === '-';
  if (!isStdin) {
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      throw new InvalidInputError(file, error.code === 'ENOENT' ? 'no such file' : `cannot read (${error.code ?? error.message})`, { cause: error });
    });
    if (!info.isFile()) throw new InvalidInputError(file, 'is not a file');
    // Logs are text: refuse binary files (the same test the evidence reader applies) up front.
    const handle = await open(file, 'r');
    try {
      const head = Buffer.alloc(8192);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      if (bytesRead === 0) throw new InvalidInputError(file, 'is empty');
      const reason = binaryReason(head.subarray(0, bytesRead));
      if (reason) throw new InvalidInputError(file, `is not a text log: ${reason}`);
    } finally {
      await handle.close();
    }
  }
  const raw = (): Readable => (isStdin ? options.stdin ?? process.stdin : createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }));
  // A JSON document (a CloudWatch Logs response, a subscription payload) is read by the collect
  // stage's own reader and its log events' messages are mined; anything else streams as lines.
  const prepared = await readJsonDocument(raw(), isStdin ? 'stdin' : file, mining.parseEvidenceText);
  let used = false;
  const openInput = (): Readable => {
    if (!used) {
      used = true;
      return prepared;
    }
    return raw();
  };
  const miner = new TemplateMiner();
  const writer = new ChunkWriter(out);
  // Secrets are masked in everything printed (memoised per template: a template's text repeats).
  const masked = new Map<string, string>();
  const clean = (text: string): string => {
    let v = masked.get(text);
    if (v === undefined) {
      v = redact(text).text;
      if (masked.size < 100_000) masked.set(text, v);
    }
    return v;
  };
  const line = (m: TemplateMatch): string => `${JSON.stringify({ templateId: m.templateId, template: clean(m.template) })}\n`;

  if (outputFormat === 'jsonl' && isStdin) {
    await forEachEvent(openInput(), format, async (event, n) => {
      const text = line(miner.add(event.content, event.timestampMs));
      for (let i = 0; i < n; i++) await writer.write(text);
    }, mining, options.onLines);
    await writer.flush();
    return;
  }
  let lines = 0;
  let events = 0;
  if (outputFormat === 'jsonl') {
    // one handle per raw line; each handle's final template is written once, then repeated
    let handles = new Uint32Array(1 << 16);
    let filled = 0;
    await forEachEvent(openInput(), format, (event, n) => {
      events++;
      const h = miner.addIndex(event.content, event.timestampMs);
      if (filled + n > handles.length) {
        const grown = new Uint32Array(Math.max(handles.length * 2, filled + n));
        grown.set(handles);
        handles = grown;
      }
      handles.fill(h, filled, filled + n);
      filled += n;
    }, mining, options.onLines);
    lines = filled;
    const text: Array<string | undefined> = [];
    let chunk = '';
    for (let i = 0; i < lines; i++) {
      const h = handles[i]!;
      let t = text[h];
      if (t === undefined) text[h] = t = line(miner.templateOf(h));
      chunk += t;
      if (chunk.length >= 1 << 20) {
        await writer.write(chunk);
        chunk = '';
      }
    }
    await writer.write(chunk);
    await writer.flush();
    return;
  }
  lines = await forEachEvent(openInput(), format, (event) => {
    events++;
    miner.add(event.content, event.timestampMs);
  }, mining, options.onLines);
  if (outputFormat === 'summary') {
    const templates = miner.templates();
    await writer.write(`${templates.length} templates from ${events} events (${lines} lines)\n`);
    const width = String(templates[0]?.count ?? 0).length;
    for (const t of templates) await writer.write(`${String(t.count).padStart(width)}  ${t.templateId}  ${showControls(clean(t.template))}\n`);
  } else {
    const templates = miner.templates().map((t) => ({ ...t, template: clean(t.template), samples: t.samples.map((x) => redact(x).text) }));
    await writer.write(`${JSON.stringify({ lines, events, templates }, null, 2)}\n`);
  }
  await writer.flush();
}

/** Largest JSON document read whole for its log events, bytes; a larger input is read as lines. */
export const MAX_JSON_DOCUMENT_BYTES = 64 * 1024 * 1024;

/**
 * The input as lines to mine. When it is one JSON document that is not itself a log record (a
 * CloudWatch Logs `FilterLogEvents`/`GetLogEvents`/`GetQueryResults` response, a subscription
 * payload, decoded or `awslogs.data`), the collect stage's reader (`parseEvidenceText`) takes its
 * log events and their messages become the lines; otherwise (JSON lines, plain logs) the input's
 * own text, unchanged.
 */
async function readJsonDocument(input: Readable, source: string, parseEvidenceText: Mining['parseEvidenceText']): Promise<Readable> {
  const iterator = (input as AsyncIterable<string | Buffer>)[Symbol.asyncIterator]();
  const head: string[] = [];
  let size = 0;
  let first: string | undefined;
  // until the first non-blank character tells whether this may be a JSON document
  while (first === undefined) {
    const next = await iterator.next();
    if (next.done) break;
    const text = typeof next.value === 'string' ? next.value : next.value.toString('utf8');
    head.push(text);
    size += text.length;
    first = /\S/.exec(text.replace(/^\uFEFF/, ''))?.[0];
  }
  const rest = async function* (): AsyncGenerator<string> {
    yield* head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield typeof next.value === 'string' ? next.value : next.value.toString('utf8');
    }
  };
  if (first !== '{' && first !== '[') return Readable.from(rest());
  while (size <= MAX_JSON_DOCUMENT_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      const text = head.join('');
      const messages = jsonDocumentMessages(text, source, parseEvidenceText);
      return Readable.from(messages ? [messages.join('\n')] : [text]);
    }
    const text = typeof next.value === 'string' ? next.value : next.value.toString('utf8');
    head.push(text);
    size += text.length;
  }
  return Readable.from(rest());
}

/** The log messages of a JSON document, or undefined when the text is not one document with log events. */
function jsonDocumentMessages(text: string, source: string, parseEvidenceText: Mining['parseEvidenceText']): string[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // JSON lines, or text
  }
  if (value === null || typeof value !== 'object') return undefined;
  try {
    // one JSON value per line would be read as a log record: the reader needs the document laid out
    const logs = parseEvidenceText(JSON.stringify(value, null, 2), source).logs ?? [];
    return logs.length > 0 ? logs.map((e) => e.message) : undefined;
  } catch {
    return undefined;
  }
}

/** Registers `templates` on the program (called by `functions/cli/main.ts`). */
export function registerTemplatesCommand(program: Command): void {
  const command = program
    .command('templates')
    .description('Mine log templates (variable parts written <*>) from a log file, or - for stdin')
    .argument('<file>', 'log file, or - for stdin')
    .option('--log-format <format>', 'Loghub-style header format, e.g. "<Date> <Time> <Level> <Component>: <Content>" (default: detect)')
    .addOption(new Option('-o, --output <format>', 'output: one object per line, templates by count, or JSON').choices(['jsonl', 'summary', 'json']).default('jsonl'))
    .addOption(new Option('--format <format>', 'same as --output (older spelling)').choices(['jsonl', 'summary', 'json']).conflicts('output'))
    .action(async (file: string, opts: { logFormat?: string; output: TemplatesOutputFormat; format?: TemplatesOutputFormat }) => {
      if (file === '-') noteStdinReading('the log');
      const format = command.getOptionValueSource('output') === 'cli' ? opts.output : opts.format ?? opts.output;
      const progress = progressOn();
      try {
        await runTemplates(file, { format, onLines: (n) => progress.read(file === '-' ? 'stdin' : file, n), ...(opts.logFormat !== undefined ? { logFormat: opts.logFormat } : {}) });
      } finally {
        progress.stop();
      }
    });
  examples(command, [
    ['ops-assistant templates app.log -o summary', 'templates by count'],
    ['ops-assistant templates filter-log-events.json -o summary', 'a CloudWatch Logs response'],
    ['kubectl logs deploy/checkout -n shop | ops-assistant templates - -o summary', 'from stdin'],
    ['ops-assistant templates HDFS.log --log-format "<Date> <Time> <Pid> <Level> <Component>: <Content>"', 'a known header layout'],
  ]);
}
