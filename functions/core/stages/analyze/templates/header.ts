/**
 * Log line headers: splitting a raw line into header fields and the message (`Content`).
 */
import { InvalidInputError } from '../../../model/errors.js';

/** A raw line split into its header fields and message. */
export interface ParsedLine {
  /** The message: what the template miner mines. */
  readonly content: string;
  /** Header fields by name (`Date`, `Level`, `Component`, …), as written. */
  readonly fields: Readonly<Record<string, string>>;
  /** Event time in ms since the Unix epoch, when the header holds a full date and time. */
  readonly timestampMs?: number;
  /** Log level as written (`INFO`, `W`, `error`), when the header holds one. */
  readonly level?: string;
  /** Which header was recognised. */
  readonly header: 'log-format' | 'json' | 'lambda' | 'klog' | 'iso' | 'syslog' | 'none';
}

/** A compiled `--log-format`. */
export interface LogFormat {
  /** The format as given. */
  readonly format: string;
  /** Field names in order; always includes `Content`. */
  readonly fields: readonly string[];
  /** Splits a line; `undefined` when the line does not have this format (e.g. a continuation line). */
  parse(line: string): ParsedLine | undefined;
}

/**
 * Compiles a log format in the Loghub/logparser convention (logpai/logparser,
 * `generate_logformat_regex`): `<Field>` placeholders, `<Content>` is the message, the literal text
 * between placeholders is a regular-expression fragment, and runs of spaces match any whitespace.
 * Lines are trimmed before matching, as logparser does.
 *
 * @example parseLogFormat('<Date> <Time> <Level> <Component>: <Content>').parse('081109 2036 INFO dfs.X: hi')?.content === 'hi'
 * @throws InvalidInputError (input `--log-format`) when there is no `<Content>` field, a field name
 *   is not a word, or the literal parts do not form a valid regular expression.
 */
export function parseLogFormat(format: string): LogFormat {
  const parts = format.split(/(<[^<>]+>)/);
  const fields: string[] = [];
  let source = '';
  for (const part of parts) {
    const m = /^<([^<>]+)>$/.exec(part);
    if (m) {
      const name = m[1]!;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new InvalidInputError('--log-format', `field name <${name}> must be letters, digits or _`);
      }
      if (fields.includes(name)) throw new InvalidInputError('--log-format', `field <${name}> appears twice`);
      fields.push(name);
      source += `(?<${name}>.*?)`;
    } else {
      source += part.replace(/ +/g, '\\s+');
    }
  }
  if (!fields.includes('Content')) throw new InvalidInputError('--log-format', 'has no <Content> field');
  let regex: RegExp;
  try {
    regex = new RegExp(`^${source}$`, 's');
  } catch (error) {
    throw new InvalidInputError('--log-format', `is not a valid pattern: ${(error as Error).message}`, { cause: error });
  }
  return {
    format,
    fields,
    parse(line: string): ParsedLine | undefined {
      const m = regex.exec(line.trim());
      if (!m || !m.groups) return undefined;
      const out: Record<string, string> = {};
      for (const f of fields) out[f] = m.groups[f] ?? '';
      const level = out['Level'] ?? out['Type'];
      return { content: out['Content']!, fields: out, ...(level ? { level } : {}), header: 'log-format' };
    },
  };
}

const RE_ISO =
  /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\]?\s+(?:\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|SEVERE)\]?\s+)?(?:\[([^\]]{1,80})\]\s+)?(?:([\w.$/-]{1,120}(?:\[[\w-]+\])?):\s+)?(.*)$/s;
const RE_LAMBDA_REQUEST = /^(START|END|REPORT|INIT_START|INIT_REPORT|RESTORE_START|RESTORE_REPORT) (?:RequestId: ([0-9a-fA-F-]+))?/;
const RE_LAMBDA_RUNTIME =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\t([0-9a-fA-F-]{36})\t(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\t(.*)$/s;
const RE_KLOG = /^([IWEF])(\d{2})(\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s+(\d+) ([^\s:\]]+:\d+)\] (.*)$/s;
const RE_SYSLOG = /^([A-Z][a-z]{2}\s+\d{1,2} \d{2}:\d{2}:\d{2}) (\S+) ([^\s:[]+)(?:\[(\d+)\])?: (.*)$/s;
const JSON_MESSAGE_KEYS = ['message', 'msg', 'log', 'MESSAGE', 'Message', 'text', 'textPayload'];
const JSON_TIME_KEYS = ['timestamp', 'time', '@timestamp', 'ts', 'Timestamp', 'datetime'];
const JSON_LEVEL_KEYS = ['level', 'severity', 'lvl', 'levelname', 'Level'];

function isoMs(text: string): number | undefined {
  const ms = Date.parse(text.replace(',', '.').replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : undefined;
}

/** Options of {@link detectHeader}. */
export interface DetectHeaderOptions {
  /**
   * Read the header's time into `timestampMs`; default true. Callers that already know the event's
   * time (a collected event's `timestamp`) pass false and skip parsing the date again.
   */
  readonly timestamp?: boolean;
}

/**
 * Detects a common header and splits a raw line. Tried in order: JSON object with a message field
 * (`message`, `msg`, `log`, …), AWS Lambda platform lines (`START`/`END`/`REPORT RequestId: …`,
 * kept whole as the message) and Lambda runtime lines (`<ISO time>\t<request id>\t<LEVEL>\t<msg>`),
 * Kubernetes klog (`I0102 15:04:05.123456  1234 file.go:12] msg`), an ISO-8601 timestamp followed
 * by an optional level, `[thread]` and `logger:`, BSD syslog (`Mmm dd hh:mm:ss host prog[pid]: msg`).
 * Otherwise the whole line is the message (`header: 'none'`). Never throws.
 */
export function detectHeader(line: string, options: DetectHeaderOptions = {}): ParsedLine {
  const withTime = options.timestamp !== false;
  const c0 = line.charCodeAt(0);
  if (c0 === 123 /* { */) {
    try {
      const obj = JSON.parse(line) as unknown;
      if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
        const rec = obj as Record<string, unknown>;
        const mk = JSON_MESSAGE_KEYS.find((k) => typeof rec[k] === 'string');
        if (mk !== undefined) {
          const fields: Record<string, string> = {};
          for (const [k, v] of Object.entries(rec)) if (k !== mk && (typeof v === 'string' || typeof v === 'number')) fields[k] = String(v);
          const tk = JSON_TIME_KEYS.find((k) => rec[k] !== undefined);
          const lk = JSON_LEVEL_KEYS.find((k) => typeof rec[k] === 'string');
          let timestampMs: number | undefined;
          if (tk !== undefined) {
            const t = rec[tk];
            timestampMs = typeof t === 'number' ? (t < 1e11 ? t * 1000 : t) : typeof t === 'string' ? isoMs(t) : undefined;
          }
          return {
            content: rec[mk] as string,
            fields,
            ...(timestampMs !== undefined ? { timestampMs } : {}),
            ...(lk !== undefined ? { level: rec[lk] as string } : {}),
            header: 'json',
          };
        }
      }
    } catch {
      // not JSON: fall through
    }
  }
  let m = RE_LAMBDA_REQUEST.exec(line);
  if (m) return { content: line.trimEnd(), fields: { Event: m[1]!, ...(m[2] ? { RequestId: m[2] } : {}) }, header: 'lambda' };
  m = RE_LAMBDA_RUNTIME.exec(line);
  if (m) {
    const ts = withTime ? isoMs(m[1]!) : undefined;
    return {
      content: m[4]!,
      fields: { Time: m[1]!, RequestId: m[2]!, Level: m[3]! },
      ...(ts !== undefined ? { timestampMs: ts } : {}),
      level: m[3]!,
      header: 'lambda',
    };
  }
  m = RE_KLOG.exec(line);
  if (m) {
    return {
      content: m[7]!,
      fields: { Level: m[1]!, Month: m[2]!, Day: m[3]!, Time: m[4]!, Pid: m[5]!, Source: m[6]! },
      level: m[1]!,
      header: 'klog',
    };
  }
  m = RE_ISO.exec(line);
  if (m) {
    const ts = withTime ? isoMs(m[1]!) : undefined;
    const fields: Record<string, string> = { Time: m[1]! };
    if (m[2]) fields['Level'] = m[2];
    if (m[3]) fields['Thread'] = m[3];
    if (m[4]) fields['Component'] = m[4];
    return {
      content: m[5]!,
      fields,
      ...(ts !== undefined ? { timestampMs: ts } : {}),
      ...(m[2] ? { level: m[2] } : {}),
      header: 'iso',
    };
  }
  m = RE_SYSLOG.exec(line);
  if (m) {
    const fields: Record<string, string> = { Time: m[1]!, Host: m[2]!, Component: m[3]! };
    if (m[4]) fields['Pid'] = m[4];
    return { content: m[5]!, fields, header: 'syslog' };
  }
  return { content: line, fields: {}, header: 'none' };
}
