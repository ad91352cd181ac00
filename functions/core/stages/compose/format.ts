/**
 * Small formatting helpers shared by compose (Markdown, text) and deliver (messages).
 */
import type { EvidenceRef } from '../../model/evidence.js';
import type { Incident } from '../../model/incident.js';

/** `0.873` → `87%` (rounded; values outside [0, 1] are clamped). */
export function percent(confidence: number): string {
  const c = Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 0;
  return `${Math.round(c * 100)}%`;
}

/** `source:line`, or `source` when the line is unknown. */
export function evidenceLocation(e: EvidenceRef): string {
  return e.line !== undefined ? `${e.source}:${e.line}` : e.source;
}

/**
 * The resource an incident is about, for subjects and summaries: the alarm name, else the
 * Lambda function, else the first resource reference, else the cluster; `undefined` when none.
 */
export function primaryResource(incident: Incident): string | undefined {
  return incident.alarm?.name ?? incident.functionName ?? incident.resources[0]?.name ?? incident.cluster;
}

/**
 * Where in Kubernetes the incident is, `namespace/workload` (or just the namespace), when the
 * incident names a namespace; e.g. `prod/checkout`.
 */
export function kubernetesLocation(incident: Incident): string | undefined {
  const ns = incident.namespace ?? incident.resources.find((r) => r.namespace)?.namespace;
  if (!ns) return undefined;
  const workload = incident.resources.find((r) => r.namespace === ns && !r.type.startsWith('AWS::'));
  return workload ? `${ns}/${workload.name}` : ns;
}

/** Truncates to `max` characters (code points kept whole), ending with `…` when cut. */
export function truncate(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - ellipsis.length));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + ellipsis;
}

/**
 * Wraps `text` to lines of at most `width` columns (UTF-16 units, which equal columns for the
 * ASCII this is mostly used on). Words longer than the width are broken hard. Existing line
 * breaks are kept. `indent` prefixes every line; `firstIndent` the first one (default `indent`).
 */
export function wrap(text: string, width: number, indent = '', firstIndent = indent): string[] {
  const out: string[] = [];
  let first = true;
  for (const paragraph of text.split(/\r?\n/)) {
    let prefix = first ? firstIndent : indent;
    first = false;
    const room = () => Math.max(10, width - prefix.length);
    let line = '';
    const flush = () => {
      out.push(prefix + line);
      prefix = indent;
      line = '';
    };
    const words = paragraph.split(/[ \t]+/).filter((w) => w.length > 0);
    if (words.length === 0) {
      out.push(prefix.trimEnd());
      prefix = indent;
      continue;
    }
    for (let word of words) {
      if (line && line.length + 1 + word.length <= room()) {
        line += ` ${word}`;
        continue;
      }
      if (line) flush();
      while (word.length > room()) {
        const r = room();
        line = word.slice(0, r);
        word = word.slice(r);
        flush();
      }
      line = word;
    }
    flush();
  }
  return out;
}

/**
 * Breaks `text` into lines of at most `width` columns by position only, so that whitespace is
 * kept exactly (for quoted evidence): the first line is prefixed by `firstIndent`, the
 * continuation lines by `indent`. Tabs are shown as they are.
 */
export function wrapExact(text: string, width: number, indent: string, firstIndent = indent): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    let rest = line;
    let prefix = out.length === 0 ? firstIndent : indent;
    do {
      const room = Math.max(10, width - prefix.length);
      let piece = rest.slice(0, room);
      if (/[\uD800-\uDBFF]$/.test(piece)) piece = piece.slice(0, -1);
      out.push(prefix + piece);
      rest = rest.slice(piece.length);
      prefix = indent;
    } while (rest.length > 0);
  }
  return out;
}

/**
 * Breaks a quoted evidence line into lines of at most `width` columns at its blanks, never inside
 * a word (a word longer than a whole line is the only thing broken by position). Whitespace is
 * kept exactly: the blanks a break falls on stay at the end of the line before it (within the
 * width), so the pieces joined give back the line. The first line is prefixed by `firstIndent` (a marker such as `> `),
 * continuation lines by `indent` (a different marker, so a cut line shows as cut).
 * @example wrapWords('aaa bbb ccc', 12, '| ', '> ') // ['> aaa bbb ', '| ccc']
 */
export function wrapWords(text: string, width: number, indent: string, firstIndent = indent): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    let rest = line;
    let prefix = out.length === 0 ? firstIndent : indent;
    do {
      const room = Math.max(10, width - prefix.length);
      let piece: string;
      if (rest.length <= room) piece = rest;
      else {
        // the longest piece within room that ends with blanks right before a word
        const blank = (i: number): boolean => rest.charCodeAt(i) === 32 || rest.charCodeAt(i) === 9;
        const firstWord = rest.search(/[^ \t]/);
        let end = room;
        while (end > firstWord && !(blank(end - 1) && !blank(end))) end--;
        if (end > firstWord && firstWord >= 0) piece = rest.slice(0, end);
        else {
          piece = rest.slice(0, room);
          if (/[\uD800-\uDBFF]$/.test(piece)) piece = piece.slice(0, -1);
        }
      }
      out.push(prefix + piece);
      rest = rest.slice(piece.length);
      prefix = indent;
    } while (rest.length > 0);
  }
  return out;
}

/** Splits a command at unquoted blanks; quoted spans (`'a b'`, `"a b"`) stay inside their word. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      word += c;
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) word += command[++i];
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (word) words.push(word);
      word = '';
    } else {
      word += c;
      if (c === "'" || c === '"') quote = c;
      else if (c === '\\' && i + 1 < command.length) word += command[++i];
    }
  }
  if (word) words.push(word);
  return words;
}

/**
 * Wraps a shell command to `width` columns so that it still pastes and runs: breaks go between
 * arguments and each broken line ends with ` \` (POSIX shell line continuation, which the shell
 * removes together with the newline). An argument too long for a line is broken inside with `\`
 * and continued at column 0 (indentation there would become part of the argument); a single-quoted
 * argument is cut into adjacent quoted strings (`'ab'\` newline `'cd'` is `abcd`); any other
 * argument holding quotes, backslashes or quoted blanks is kept whole. Quoted spans are never
 * split at their blanks, and a trailing `# comment` stays whole on the line of the last argument.
 */
export function wrapCommand(command: string, width: number, indent: string, firstIndent = indent): string[] {
  const words = shellWords(command);
  // A trailing comment (`# …`, an unquoted word starting with #) is never broken, nor put on a
  // line of its own (after a ` \` continuation it would not be a comment of the command any
  // more): it stays whole with the word before it, even past the width.
  const comment = words.findIndex((w) => w.startsWith('#'));
  if (comment > 0) words.splice(comment - 1, words.length, `${words.slice(comment - 1).join(' ')}`);
  const out: string[] = [];
  let prefix = firstIndent;
  let line = '';
  const flush = (continued: boolean) => {
    out.push(`${prefix}${line}${continued ? ' \\' : ''}`);
    prefix = indent;
    line = '';
  };
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    // Room for the trailing " \" on every line but the last.
    if (prefix.length + candidate.length + 2 <= width || (!line && word.includes("'"))) {
      line = candidate;
      continue;
    }
    if (line) flush(true);
    const quoted = /^'([^']*)'$/.exec(word);
    if (prefix.length + word.length + 2 <= width || (/['"\\\s]/.test(word) && !quoted)) {
      line = word;
      continue;
    }
    if (quoted) {
      // 'abc'\ + newline + 'def' is the two adjacent strings 'abc''def', i.e. abcdef.
      let rest = quoted[1]!;
      let room = width - prefix.length - 3;
      while (rest.length > room) {
        out.push(`${prefix}'${rest.slice(0, room)}'\\`);
        rest = rest.slice(room);
        prefix = '';
        room = width - 3;
      }
      prefix = '';
      line = `'${rest}'`;
      continue;
    }
    // Break the argument itself: `abc\` + newline + `def` is `abcdef` to the shell.
    let rest = word;
    let room = width - prefix.length - 1;
    while (rest.length > room) {
      out.push(`${prefix}${rest.slice(0, room)}\\`);
      rest = rest.slice(room);
      prefix = '';
      room = width - 1;
    }
    prefix = '';
    line = rest;
  }
  if (line || out.length === 0) out.push(`${prefix}${line}`);
  return out;
}

/** The summary for plain text (terminal, e-mail): the backticks around category ids dropped. */
export function plainText(summary: string): string {
  return summary.replace(/`([a-z][a-z0-9_]*)`/g, '$1');
}

const OPERATORS: Readonly<Record<string, string>> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside the band',
  LessThanLowerThreshold: 'below the band',
  GreaterThanUpperThreshold: 'above the band',
};

/**
 * What an alarm watches, in one line: `AWS/Lambda Errors > 5 (Sum, 60 s, 1 period)`, the
 * expression of a metric-math alarm, or the rule of a composite alarm; undefined when unknown.
 * Operators as in the CloudWatch `PutMetricAlarm` API (`ComparisonOperator`).
 */
export function alarmCondition(alarm: Incident['alarm']): string | undefined {
  if (!alarm) return undefined;
  if (alarm.alarmRule) return `rule ${alarm.alarmRule}`;
  const metric = alarm.metrics.find((m) => m.returnData !== false && (m.expression || m.name)) ?? alarm.metrics[0];
  if (!metric) return undefined;
  const what = metric.expression ?? [metric.namespace, metric.name].filter(Boolean).join(' ');
  if (!what) return undefined;
  const op = alarm.comparisonOperator ? (OPERATORS[alarm.comparisonOperator] ?? alarm.comparisonOperator) : undefined;
  const condition = op && alarm.threshold !== undefined && !op.includes('band') ? `${op} ${alarm.threshold}` : op;
  const details = [
    metric.stat,
    metric.periodSeconds !== undefined ? `${metric.periodSeconds} s` : undefined,
    alarm.evaluationPeriods !== undefined ? `${alarm.evaluationPeriods} period${alarm.evaluationPeriods === 1 ? '' : 's'}` : undefined,
  ].filter(Boolean);
  return `${what}${condition ? ` ${condition}` : ''}${details.length ? ` (${details.join(', ')})` : ''}`;
}

/**
 * Makes control characters visible for terminals, Markdown and e-mail: ESC, BEL, backspace,
 * carriage return and the other C0/C1 controls (except tab and newline) become `\xNN`, so text
 * quoted from evidence cannot retitle or clear an on-call engineer's terminal.
 * (JSON output needs nothing: JSON.stringify already escapes them.)
 */
export function showControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    // Bidirectional overrides (Trojan Source, CVE-2021-42574) reorder what a terminal shows.
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/**
 * `JSON.stringify` with C1 controls and bidirectional overrides escaped as `\uXXXX` too (it
 * escapes only C0): the parsed value is the same, but a terminal showing the JSON is not driven by
 * them. Use for every JSON the product prints or serves.
 * @example jsonText({ a: '\u202e' }) === '{"a":"\\u202e"}'
 */
export function jsonText(value: unknown, space?: number): string {
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(value, null, space).replace(/[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
