/**
 * Bounded selection of the log events of a large input, every line analyzed: each event is mined
 * as it is read (template, time, level); the first `perTemplate` events of each template and the
 * `recent` most recent events are kept whole, and every other line is kept as 13 bytes — its
 * template's exemplar, its timestamp, its level ({@link OmittedLogLines}) — so it still counts in
 * the log patterns, and a failure early in a file (a new template) is kept whole wherever it is.
 * Memory grows with the number of templates, not of lines (plus the 13 bytes per omitted line).
 */
import type { LogEvent, OmittedLogLines } from '../../model/evidence.js';
import { TemplateMiner, detectHeader, levelRankOf } from '../analyze/index.js';

/** Options of {@link LogSelection}. */
export interface LogSelectionOptions {
  /** Events kept whole per template, the first ones seen; default 3. */
  readonly perTemplate?: number;
  /** Most recent events kept whole besides; default 50,000. */
  readonly recent?: number;
}

/** What a {@link LogSelection} kept. */
export interface SelectedLogs {
  /** Events kept whole, in input order. */
  readonly logs: LogEvent[];
  /** The other lines, when any. */
  readonly omitted?: OmittedLogLines;
  /** Events read in all. */
  readonly read: number;
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  const line = nl < 0 ? message : message.slice(0, nl);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * A copy of `text` that shares no memory with the string it was cut from (V8 keeps a slice of a
 * long string as a view into it: one kept line would keep a whole megabyte read chunk alive).
 */
function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/**
 * @example
 * const selection = new LogSelection();
 * for (const event of events) selection.add(event);
 * const { logs, omitted } = selection.finish('app.log');
 */
export class LogSelection {
  private readonly perTemplate: number;
  private readonly recent: number;
  private readonly miner = new TemplateMiner();
  /** Kept events of each template (by handle root), at most `perTemplate`. */
  private readonly exemplars: Array<LogEvent[] | undefined> = [];
  /** Kept for good, with their arrival order. */
  private readonly kept: LogEvent[] = [];
  private readonly keptOrder: number[] = [];
  /** The most recent other events: a ring. */
  private readonly ring: LogEvent[] = [];
  private readonly ringOrder: number[] = [];
  private readonly ringExemplar: LogEvent[] = [];
  private readonly ringTime: Float64Array;
  private readonly ringRank: Uint8Array;
  private ringStart = 0;
  private read = 0;
  // omitted lines: growable columns
  private omittedCount = 0;
  private omittedExemplars: LogEvent[] = [];
  private omittedTimes = new Float64Array(1024);
  private omittedRanks = new Uint8Array(1024);

  constructor(options: LogSelectionOptions = {}) {
    this.perTemplate = Math.max(1, options.perTemplate ?? 3);
    this.recent = Math.max(1, options.recent ?? 50_000);
    this.ringTime = new Float64Array(this.recent);
    this.ringRank = new Uint8Array(this.recent);
  }

  /** Reads one event. */
  add(event: LogEvent): void {
    const order = this.read++;
    const line = firstLine(event.message);
    const header = detectHeader(line, { timestamp: event.timestamp === undefined });
    const timestamp = event.timestamp ?? header.timestampMs;
    const handle = this.miner.rootOf(this.miner.addIndex(header.content.trim() === '' ? line : header.content, timestamp));
    let mine = this.exemplars[handle];
    if (mine === undefined) this.exemplars[handle] = mine = [];
    if (mine.length < this.perTemplate) {
      // kept for good: its own copy of the text, so it does not pin the whole chunk it was cut from
      const own: LogEvent = { ...event, message: ownCopy(event.message) };
      mine.push(own);
      this.kept.push(own);
      this.keptOrder.push(order);
      return;
    }
    const rank = levelRankOf(line, header.level);
    const time = timestamp ?? Number.NaN;
    if (this.ring.length < this.recent) {
      const at = this.ring.length;
      this.ring.push(event);
      this.ringOrder.push(order);
      this.ringExemplar.push(mine[0]!);
      this.ringTime[at] = time;
      this.ringRank[at] = rank;
      return;
    }
    // the oldest recent event leaves the ring: omitted from here on
    const at = this.ringStart;
    this.omit(this.ringExemplar[at]!, this.ringTime[at]!, this.ringRank[at]!);
    this.ring[at] = event;
    this.ringOrder[at] = order;
    this.ringExemplar[at] = mine[0]!;
    this.ringTime[at] = time;
    this.ringRank[at] = rank;
    this.ringStart = (at + 1) % this.recent;
  }

  private omit(exemplar: LogEvent, time: number, rank: number): void {
    const n = this.omittedCount;
    if (n === this.omittedTimes.length) {
      const times = new Float64Array(n * 2);
      times.set(this.omittedTimes);
      this.omittedTimes = times;
      const ranks = new Uint8Array(n * 2);
      ranks.set(this.omittedRanks);
      this.omittedRanks = ranks;
    }
    this.omittedExemplars.push(exemplar);
    this.omittedTimes[n] = time;
    this.omittedRanks[n] = rank;
    this.omittedCount = n + 1;
  }

  /** Events read so far. */
  get size(): number {
    return this.read;
  }

  /** The selection: kept events in input order, and the omitted lines of `source`. */
  finish(source: string): SelectedLogs {
    const ringLogs = this.ringStart === 0 ? this.ring : [...this.ring.slice(this.ringStart), ...this.ring.slice(0, this.ringStart)];
    const ringOrder = this.ringStart === 0 ? this.ringOrder : [...this.ringOrder.slice(this.ringStart), ...this.ringOrder.slice(0, this.ringStart)];
    // merge two sequences, each in arrival order
    const logs: LogEvent[] = [];
    let a = 0;
    let b = 0;
    while (a < this.kept.length || b < ringLogs.length) {
      if (b >= ringLogs.length || (a < this.kept.length && this.keptOrder[a]! < ringOrder[b]!)) logs.push(this.kept[a++]!);
      else logs.push(ringLogs[b++]!);
    }
    const n = this.omittedCount;
    return {
      logs,
      read: this.read,
      ...(n > 0 ? {
        omitted: { source, count: n, exemplars: this.omittedExemplars, timestamps: this.omittedTimes.slice(0, n), levels: this.omittedRanks.slice(0, n) },
      } : {}),
    };
  }
}
