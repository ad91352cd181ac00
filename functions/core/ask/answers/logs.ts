/**
 * Logs and change events of one workload, read from collected lines: the last N lines of a level,
 * lines in a time range, whether a message was reported, distinct messages (templates) with
 * counts and first/last seen, and the change events of a day. Filters are exact: a level filter
 * keeps that level only (WARN is not ERROR), and a range keeps only dated lines inside it.
 */
import type { PlainTimeRange } from '../time-range.js';
import { TemplateMiner } from '../../stages/analyze/templates/index.js';
import { iso, locate, quoteText, type EvidenceLine, type Level, type ScopedEvidence } from './evidence.js';
import type { Citation, PartialAnswer } from './types.js';

/** What to read from the lines. */
export interface LogQuery {
  /** Keep only lines of this level; absent: every level. */
  readonly level?: Level;
  /** Keep only dated lines with `start <= time < end`; absent: every line. */
  readonly range?: PlainTimeRange;
  /** Return the last `limit` matching lines (by time, then input order) instead of a summary. */
  readonly limit?: number;
  /** Answer whether this text (case-insensitive, spaces folded) appears in a matching line. */
  readonly message?: string;
}

/** Lines quoted in a summary or a yes/no answer, at most. */
export const MAX_QUOTED_LINES = 10;
/** Largest `limit` honoured. */
export const MAX_LIMIT = 200;
/** Distinct messages listed in a summary, at most. */
export const MAX_TEMPLATES = 8;

/** Result of {@link filterLines}: the lines kept and why others were not. */
export interface FilteredLines {
  readonly kept: readonly EvidenceLine[];
  /** Lines of another level, per level (`WARN` → 3), for "3 WARN lines are not errors". */
  readonly otherLevels: ReadonlyMap<string, number>;
  /** Lines without a date, dropped because a range was asked for. */
  readonly undated: number;
  /** Dated lines outside the range. */
  readonly outside: number;
}

/** Time order: dated lines by time, undated ones where they stood in the input. */
function chronological(a: EvidenceLine, b: EvidenceLine): number {
  if (a.timestamp !== undefined && b.timestamp !== undefined && a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  return a.seq - b.seq;
}

/** Keeps the lines of `query.level` inside `query.range`, in time order. */
export function filterLines(lines: readonly EvidenceLine[], query: Pick<LogQuery, 'level' | 'range'>): FilteredLines {
  const start = query.range ? Date.parse(query.range.start) : undefined;
  const end = query.range ? Date.parse(query.range.end) : undefined;
  const otherLevels = new Map<string, number>();
  let undated = 0;
  let outside = 0;
  const kept: EvidenceLine[] = [];
  for (const l of lines) {
    if (start !== undefined && end !== undefined) {
      if (l.timestamp === undefined) {
        undated++;
        continue;
      }
      if (l.timestamp < start || l.timestamp >= end) {
        outside++;
        continue;
      }
    }
    if (query.level && l.level !== query.level) {
      const k = l.level ?? 'no level';
      otherLevels.set(k, (otherLevels.get(k) ?? 0) + 1);
      continue;
    }
    kept.push(l);
  }
  return { kept: kept.sort(chronological), otherLevels, undated, outside };
}

/** One distinct message: its template and where it was seen. */
export interface MessageSummary {
  readonly template: string;
  readonly count: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  readonly level?: Level;
  /** The most recent line of the template. */
  readonly latest: EvidenceLine;
  /** Every line of the template, in time order. */
  readonly lines: readonly EvidenceLine[];
}

/** Distinct messages of `lines` (the template miner over each line's message), most frequent first. */
export function summarizeMessages(lines: readonly EvidenceLine[]): MessageSummary[] {
  const miner = new TemplateMiner();
  const byId = new Map<string, EvidenceLine[]>();
  for (const l of lines) {
    const { templateId } = miner.add(l.content, l.timestamp);
    const group = byId.get(templateId) ?? [];
    group.push(l);
    byId.set(templateId, group);
  }
  // Templates can merge after a line was added: read the final template of each id.
  const templates = new Map(miner.templates().map((t) => [t.templateId, t.template]));
  const out: MessageSummary[] = [];
  for (const [id, group] of byId) {
    const dated = group.filter((l) => l.timestamp !== undefined).map((l) => l.timestamp!);
    const sorted = [...group].sort(chronological);
    out.push({
      template: templates.get(id) ?? group[0]!.content,
      count: group.length,
      ...(dated.length ? { firstSeen: iso(Math.min(...dated)), lastSeen: iso(Math.max(...dated)) } : {}),
      ...(group[0]!.level ? { level: group[0]!.level } : {}),
      latest: sorted[sorted.length - 1]!,
      lines: sorted,
    });
  }
  return out.sort((a, b) => b.count - a.count || (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
}

/** A range as words after a noun: "in the last 30 minutes", "since monday", "yesterday", "on 2026-12-01". */
export function rangeWords(range: PlainTimeRange): string {
  return /^(?:last|past|previous)\b/.test(range.text) ? `in the ${range.text}` : range.text;
}

/** A citation of one line: `source:line`, its level and time, the redacted line. */
export function citeLine(l: EvidenceLine): Citation {
  const when = iso(l.timestamp);
  return { source: locate(l), ...(l.level || when ? { title: [l.level, when].filter(Boolean).join(' ') } : {}), text: quoteText(l.text) };
}

/** The quoted line as the answer shows it: `source:line  text`. */
export function quoteLine(l: EvidenceLine): string {
  return `  ${locate(l)}  ${quoteText(l.text)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "ERROR lines", "lines". */
function linesWord(level: Level | undefined, n: number): string {
  return `${level ? `${level} ` : ''}line${n === 1 ? '' : 's'}`;
}

/** Why lines were left out: "(3 WARN lines are not ERROR; 2 undated lines cannot be placed in the range)". */
function exclusions(f: FilteredLines, level: Level | undefined): string {
  const parts: string[] = [];
  if (level) {
    const others = [...f.otherLevels].filter(([l]) => l !== 'no level').map(([l, n]) => `${n} ${l}`);
    if (others.length) parts.push(`${others.join(', ')} line${[...f.otherLevels].reduce((s, [l, n]) => s + (l !== 'no level' ? n : 0), 0) === 1 ? ' is' : 's are'} not ${level}`);
  }
  if (f.outside) parts.push(`${plural(f.outside, 'line')} outside the range left out`);
  if (f.undated) parts.push(`${plural(f.undated, 'undated line')} cannot be placed in the range`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/**
 * Answers a logs question over the lines of one subject.
 * - `message`: "Yes: … reported N times, first …, last …" with the lines, or "No: … does not appear".
 * - `limit`: the last `limit` matching lines (at most {@link MAX_LIMIT}), oldest first, each quoted with `source:line`.
 * - otherwise: the count, the distinct messages (templates) with counts and first/last seen, and the latest lines.
 * @param who how the subject is written ("checkout", "Lambda function x").
 * @example
 *   answerLogs('payments', scopeEvidence(context, { name: 'payments', kind: 'workload' }), { level: 'ERROR', limit: 3 });
 *   // → { answer: 'The last 3 ERROR lines of payments (of 7), oldest first (…):\n  payments-app.log:10  2026-12-01T11:21:00.000Z ERROR …', citations: [{ source: 'payments-app.log:10', title: 'ERROR 2026-12-01T11:21:00Z', text: '…' }, …] }
 */
export function answerLogs(who: string, scoped: ScopedEvidence, query: LogQuery): PartialAnswer {
  const f = filterLines(scoped.lines, query);
  const range = query.range ? ` ${rangeWords(query.range)} (${iso(Date.parse(query.range.start))} to ${iso(Date.parse(query.range.end))})` : '';
  const read = `${plural(scoped.lines.length, 'line')} of ${who} read from ${scoped.sources.filter((s) => scoped.lines.some((l) => l.source.startsWith(s))).join(', ') || 'no log source'}`;

  if (query.message !== undefined) {
    const needle = query.message.toLowerCase().replace(/\s+/g, ' ').trim();
    const has = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').includes(needle);
    // Kubernetes reports messages too (OOMKilled, BackOff): describe and event lines count when no
    // level or range asks for log lines only (they carry neither a level nor a full time).
    const kubernetes = query.level || query.range ? [] : kubernetesLines(scoped).filter((l) => has(l.text));
    const hits = [...f.kept.filter((l) => has(l.text)), ...kubernetes];
    const shown = quoteText(query.message);
    if (hits.length === 0) {
      return { answer: `No: "${shown}" does not appear in the ${linesWord(query.level, f.kept.length)} of ${who}${range} (${read})${query.level || query.range ? '' : ' nor in its Kubernetes events and describe output'}${exclusions(f, query.level)}.`, citations: [] };
    }
    const dated = hits.filter((l) => l.timestamp !== undefined);
    const when = dated.length ? `, first ${iso(dated[0]!.timestamp)}, last ${iso(dated[dated.length - 1]!.timestamp)}` : '';
    const sources = new Set(hits.map((l) => l.source));
    const quoted = hits.slice(-MAX_QUOTED_LINES);
    return {
      answer: `Yes: "${shown}" was reported ${hits.length === 1 ? 'once' : `${hits.length} times`} for ${who}${range}${when}, in ${[...sources].join(', ')}${hits.length > quoted.length ? `; the last ${quoted.length}` : ''}:\n${quoted.map(quoteLine).join('\n')}`,
      citations: quoted.map(citeLine),
    };
  }

  if (f.kept.length === 0) {
    return { answer: `No ${linesWord(query.level, 2)} for ${who}${range} in the evidence (${read})${exclusions(f, query.level)}.`, citations: [] };
  }

  if (query.limit !== undefined) {
    const n = Math.max(1, Math.min(MAX_LIMIT, Math.floor(query.limit)));
    const last = f.kept.slice(-n);
    return {
      answer: `The last ${last.length === 1 ? '' : `${last.length} `}${linesWord(query.level, last.length)} of ${who}${range}${last.length < n ? ` (only ${last.length} in the evidence)` : ` (of ${f.kept.length})`}, oldest first${exclusions(f, query.level)}:\n${last.map(quoteLine).join('\n')}`,
      citations: last.map(citeLine),
    };
  }

  const messages = summarizeMessages(f.kept);
  const listed = messages.slice(0, MAX_TEMPLATES);
  const latest = f.kept.slice(-Math.min(MAX_QUOTED_LINES, 5));
  const lines = listed.map((m, i) => `  ${i + 1}. "${quoteText(m.template)}" ×${m.count}${m.firstSeen ? `, first ${m.firstSeen}, last ${m.lastSeen}` : ''} (e.g. ${locate(m.latest)})`);
  return {
    answer: `${plural(f.kept.length, linesWord(query.level, 1).replace(/s$/, ''))} for ${who}${range} in ${plural(messages.length, 'distinct message')}${exclusions(f, query.level)}:\n${lines.join('\n')}${messages.length > listed.length ? `\n  … and ${messages.length - listed.length} more` : ''}\nLatest:\n${latest.map(quoteLine).join('\n')}`,
    citations: [...listed.map((m) => citeLine(m.latest)), ...latest.filter((l) => !listed.some((m) => m.latest === l)).map(citeLine)],
  };
}

/** The subject's `kubectl describe` lines and Kubernetes event lines, as lines to search (no level, no time). */
function kubernetesLines(scoped: ScopedEvidence): EvidenceLine[] {
  const out: EvidenceLine[] = [];
  let seq = 1_000_000_000;
  for (const d of scoped.describes) {
    d.text.split('\n').forEach((text, i) => out.push({ text, content: text.trim(), source: d.source, line: d.line + i, seq: seq++ }));
  }
  for (const e of scoped.events) {
    if (out.some((l) => l.source === e.source && l.line === e.line)) continue;
    out.push({ text: e.text ?? `${e.type} ${e.reason} ${e.object ?? ''} ${e.message}`, content: e.message, source: e.source, ...(e.line !== undefined ? { line: e.line } : {}), seq: seq++ });
  }
  return out;
}

/** Kubernetes event reasons that record a change (rollouts, scaling, pod replacement, image pulls). */
const CHANGE_REASONS = /^(?:ScalingReplicaSet|SuccessfulCreate|SuccessfulDelete|SuccessfulRescale|Killing|Pulled|Pulling|Created|Started|Scheduled|DeploymentRollback|DeploymentUpdated|Updated|Sync|Synced|Preempted|TaintManagerEviction|NodeNotReady|NodeReady|RegisteredNode|RemovingNode)$/;
/** Log and AWS wording of a change: deployments, versions, config reloads, restarts, scaling. */
const CHANGE_LINE = /\b(?:deploy(?:ed|ment|ing)?|rolled? ?(?:out|back)|rollout|released?|upgrade[ds]?|helm|argocd|synced to|revision|image (?:updated|changed)|new version|version \d|start(?:ed|ing) \w*application|application started|starting .* v?\d+\.\d+|config(?:uration)? (?:reloaded|changed|updated)|feature flag|scaled (?:up|down|to)|desired count|UpdateFunctionCode|UpdateFunctionConfiguration|PublishVersion|UpdateService|has started \d+ tasks?|reached a steady state|CREATE_COMPLETE|UPDATE_COMPLETE|StartInstances|StopInstances|RebootInstances|ModifyInstanceAttribute)\b/i;

/**
 * The change events of one subject: Kubernetes events whose reason records a change, and log
 * lines that announce a deployment, version, configuration change, restart or scaling; dated ones
 * filtered by `range` (events printed with a relative age cannot be placed in a range and are
 * then left out, and counted).
 */
export function answerChanges(who: string, scoped: ScopedEvidence, range: PlainTimeRange | undefined): PartialAnswer {
  const logChanges = filterLines(scoped.lines.filter((l) => CHANGE_LINE.test(l.text)), { range });
  const events = scoped.events.filter((e) => CHANGE_REASONS.test(e.reason));
  const eventTime = (e: { age?: string }) => (e.age && /^\d{4}-\d{2}-\d{2}T/.test(e.age) ? Date.parse(e.age) : undefined);
  const start = range ? Date.parse(range.start) : undefined;
  const end = range ? Date.parse(range.end) : undefined;
  const placed = events.filter((e) => {
    if (start === undefined) return true;
    const t = eventTime(e);
    return t !== undefined && t >= start && t < end!;
  });
  const unplaced = events.length - placed.length;
  const when = range ? ` ${rangeWords(range)}` : '';
  if (logChanges.kept.length === 0 && placed.length === 0) {
    return { answer: `I found no deployment, scaling, restart or configuration change for ${who}${when} in the evidence${unplaced ? ` (${plural(unplaced, 'Kubernetes event')} printed with a relative age cannot be placed in the range)` : ''}${logChanges.undated ? ` (${plural(logChanges.undated, 'undated line')} cannot be placed in the range)` : ''}.`, citations: [] };
  }
  const eventLine = (e: (typeof events)[number]) => `  ${locate(e)}  ${quoteText(e.text ?? `${e.type} ${e.reason} ${e.object ?? ''} ${e.message}`)}`;
  const shownLogs = logChanges.kept.slice(0, MAX_QUOTED_LINES);
  const shownEvents = placed.slice(0, MAX_QUOTED_LINES);
  const parts = [
    `${plural(logChanges.kept.length + placed.length, 'change event')} for ${who}${when}, earliest first${unplaced && range ? ` (${unplaced} Kubernetes events with a relative age left out: they cannot be placed in the range)` : ''}:`,
    ...shownLogs.map(quoteLine),
    ...(shownEvents.length ? [`Kubernetes events${range ? '' : ' (ages as printed when captured)'}:`, ...shownEvents.map(eventLine)] : []),
  ];
  return {
    answer: parts.join('\n'),
    citations: [...shownLogs.map(citeLine), ...shownEvents.map((e) => ({ source: locate(e), title: `${e.type} ${e.reason}${e.age ? ` ${e.age}` : ''}`, text: quoteText(e.text ?? e.message) }))],
  };
}
