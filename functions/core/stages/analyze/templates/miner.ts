/**
 * Streaming log template miner.
 */
import { InvalidInputError } from '../../../model/errors.js';
import { templateHash } from './hash.js';
import { maskMessage, WILDCARD } from './mask.js';

/** Options of {@link TemplateMiner}. Every system gets the same defaults. */
export interface TemplateMinerOptions {
  /**
   * Share of positions (0..1) two token sequences of the same length must have equal, outside
   * variables, to be one template. Default 0.5.
   */
  readonly similarityThreshold?: number;
  /** Example messages kept per template. Default 3. */
  readonly maxSamples?: number;
  /** Distinct masked forms remembered per template for the exact-match fast path. Default 32. */
  readonly maxKeysPerTemplate?: number;
  /** Characters of a sample message kept. Default 2000. */
  readonly maxSampleLength?: number;
}

/** One mined template with its statistics, as {@link TemplateMiner.templates} returns it. */
export interface MinedTemplate {
  /** Stable id: a hash of `template` (14 hex digits); the same text always gives the same id. */
  readonly templateId: string;
  /** Template text; variable parts written `<*>`. */
  readonly template: string;
  /** Messages added that matched this template. */
  readonly count: number;
  /** Earliest / latest timestamp (ms since the Unix epoch) among messages added with one. */
  readonly firstSeen?: number;
  readonly lastSeen?: number;
  /** The first messages seen, exact (at most `maxSamples`). */
  readonly samples: readonly string[];
}

/** The result of {@link TemplateMiner.add}. */
export interface TemplateMatch {
  readonly templateId: string;
  readonly template: string;
}

/** Serialized miner state ({@link TemplateMiner.toJSON}); plain JSON. */
export interface MinerState {
  readonly kind: 'ops-assistant/template-miner';
  readonly version: 1;
  readonly options: Required<TemplateMinerOptions>;
  readonly templates: ReadonlyArray<{
    readonly tokens: readonly string[];
    readonly display: readonly string[];
    readonly count: number;
    readonly firstSeen?: number;
    readonly lastSeen?: number;
    readonly samples: readonly string[];
    readonly keys: readonly string[];
  }>;
}

const DEFAULTS: Required<TemplateMinerOptions> = {
  similarityThreshold: 0.5,
  maxSamples: 3,
  maxKeysPerTemplate: 32,
  maxSampleLength: 2000,
};

interface Cluster {
  /** Collapsed masked tokens, generalized: the matching form. */
  tokens: string[];
  /** Masked tokens as written in the template (not collapsed). */
  display: string[];
  count: number;
  firstSeen?: number;
  lastSeen?: number;
  samples: string[];
  keys: string[];
  /** Cached template text and id; undefined when stale. */
  text?: string;
  id?: string;
}

/** Collapses runs of whole-token variables into one, so a variable spanning n tokens matches one. */
function collapse(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (t === WILDCARD && out.length > 0 && out[out.length - 1] === WILDCARD) continue;
    out.push(t);
  }
  return out;
}

/**
 * A streaming log template miner: add log messages one by one; each gets the template (variable
 * parts `<*>`) of the group it belongs to. Memory grows with the number of templates, not lines.
 *
 * Algorithm: generic variable masking (numbers, hex, IPs, paths, …), runs of variables collapsed so
 * a variable spanning several tokens still matches, an exact-match map from masked form to template,
 * then a similarity search among templates of the same length (Drain-like, He et al. ICWS 2017)
 * for masked forms not seen before.
 *
 * @example
 * const miner = new TemplateMiner();
 * miner.add('Connection from 10.0.0.1 closed'); // { templateId: '…', template: 'Connection from <*> closed' }
 */
export class TemplateMiner {
  private readonly options: Required<TemplateMinerOptions>;
  private readonly clusters: Cluster[] = [];
  private readonly byKey = new Map<string, Cluster>();
  private readonly byLength = new Map<number, Cluster[]>();

  /** @throws InvalidInputError when an option is out of range. */
  constructor(options: TemplateMinerOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    const t = this.options.similarityThreshold;
    if (!(t >= 0 && t <= 1)) throw new InvalidInputError('options.similarityThreshold', `must be within [0, 1], got ${t}`);
    if (!(this.options.maxSamples >= 0)) throw new InvalidInputError('options.maxSamples', 'must be >= 0');
  }

  /**
   * Adds one log message (its content, header removed; a multi-line event is grouped by its first
   * line) and returns its template as it stands after this message.
   * @param timestampMs time of the event in ms since the Unix epoch, when known.
   */
  add(message: string, timestampMs?: number): TemplateMatch {
    const masked = maskMessage(message);
    const tokens = collapse(masked);
    const key = tokens.join(' ');
    let cluster = this.byKey.get(key);
    if (cluster === undefined) {
      cluster = this.findSimilar(tokens);
      if (cluster === undefined) {
        cluster = { tokens, display: masked, count: 0, samples: [], keys: [] };
        this.clusters.push(cluster);
        let list = this.byLength.get(tokens.length);
        if (list === undefined) this.byLength.set(tokens.length, (list = []));
        list.push(cluster);
      } else {
        this.generalize(cluster, tokens, masked);
      }
      if (cluster.keys.length < this.options.maxKeysPerTemplate) {
        cluster.keys.push(key);
        this.byKey.set(key, cluster);
      }
    } else if (masked.length === cluster.display.length) {
      this.generalizeDisplay(cluster, masked);
    }
    cluster.count++;
    if (timestampMs !== undefined && Number.isFinite(timestampMs)) {
      if (cluster.firstSeen === undefined || timestampMs < cluster.firstSeen) cluster.firstSeen = timestampMs;
      if (cluster.lastSeen === undefined || timestampMs > cluster.lastSeen) cluster.lastSeen = timestampMs;
    }
    if (cluster.samples.length < this.options.maxSamples) cluster.samples.push(message.slice(0, this.options.maxSampleLength));
    return { templateId: this.idOf(cluster), template: this.textOf(cluster) };
  }

  /**
   * Returns the template a message would get, without changing the miner (no new template, no
   * counts); `undefined` when no template matches.
   */
  match(message: string): TemplateMatch | undefined {
    const tokens = collapse(maskMessage(message));
    const cluster = this.byKey.get(tokens.join(' ')) ?? this.findSimilar(tokens, true);
    if (cluster === undefined) return undefined;
    return { templateId: this.idOf(cluster), template: this.textOf(cluster) };
  }

  /** The templates mined so far, most frequent first. */
  templates(): MinedTemplate[] {
    return this.clusters
      .map((c) => ({
        templateId: this.idOf(c),
        template: this.textOf(c),
        count: c.count,
        ...(c.firstSeen !== undefined ? { firstSeen: c.firstSeen } : {}),
        ...(c.lastSeen !== undefined ? { lastSeen: c.lastSeen } : {}),
        samples: [...c.samples],
      }))
      .sort((a, b) => b.count - a.count || (a.template < b.template ? -1 : a.template > b.template ? 1 : 0));
  }

  /** The miner's state as plain JSON, for {@link TemplateMiner.fromJSON}. */
  toJSON(): MinerState {
    return {
      kind: 'ops-assistant/template-miner',
      version: 1,
      options: { ...this.options },
      templates: this.clusters.map((c) => ({
        tokens: [...c.tokens],
        display: [...c.display],
        count: c.count,
        ...(c.firstSeen !== undefined ? { firstSeen: c.firstSeen } : {}),
        ...(c.lastSeen !== undefined ? { lastSeen: c.lastSeen } : {}),
        samples: [...c.samples],
        keys: [...c.keys],
      })),
    };
  }

  /**
   * Restores a miner saved with {@link TemplateMiner.toJSON}.
   * @throws InvalidInputError when `state` is not a saved miner state.
   */
  static fromJSON(state: unknown): TemplateMiner {
    const s = state as MinerState;
    if (typeof s !== 'object' || s === null || s.kind !== 'ops-assistant/template-miner' || s.version !== 1 || !Array.isArray(s.templates)) {
      throw new InvalidInputError('miner state', 'not an ops-assistant/template-miner version 1 state');
    }
    const miner = new TemplateMiner(s.options);
    for (const [i, t] of s.templates.entries()) {
      if (!Array.isArray(t.tokens) || !Array.isArray(t.display) || !Array.isArray(t.keys) || typeof t.count !== 'number') {
        throw new InvalidInputError('miner state', `templates[${i}] is malformed`);
      }
      const cluster: Cluster = {
        tokens: [...t.tokens],
        display: [...t.display],
        count: t.count,
        samples: Array.isArray(t.samples) ? [...t.samples] : [],
        keys: [...t.keys],
      };
      if (typeof t.firstSeen === 'number') cluster.firstSeen = t.firstSeen;
      if (typeof t.lastSeen === 'number') cluster.lastSeen = t.lastSeen;
      miner.clusters.push(cluster);
      let list = miner.byLength.get(cluster.tokens.length);
      if (list === undefined) miner.byLength.set(cluster.tokens.length, (list = []));
      list.push(cluster);
      for (const k of cluster.keys) miner.byKey.set(k, cluster);
    }
    return miner;
  }

  private findSimilar(tokens: readonly string[], _readOnly = false): Cluster | undefined {
    const list = this.byLength.get(tokens.length);
    if (list === undefined) return undefined;
    let best: Cluster | undefined;
    let bestSim = -1;
    for (const c of list) {
      const sim = similarity(c.tokens, tokens);
      if (sim > bestSim) {
        bestSim = sim;
        best = c;
      }
    }
    return bestSim >= this.options.similarityThreshold ? best : undefined;
  }

  private generalize(cluster: Cluster, tokens: readonly string[], masked: readonly string[]): void {
    // Map each display token to its index in the collapsed form.
    const index: number[] = [];
    let j = -1;
    for (let d = 0; d < cluster.display.length; d++) {
      const t = cluster.display[d]!;
      if (!(t === WILDCARD && d > 0 && cluster.display[d - 1] === WILDCARD)) j++;
      index.push(j);
    }
    for (let i = 0; i < tokens.length; i++) {
      if (cluster.tokens[i] !== tokens[i] && cluster.tokens[i] !== WILDCARD) {
        cluster.tokens[i] = WILDCARD;
        for (let d = 0; d < index.length; d++) if (index[d] === i) cluster.display[d] = WILDCARD;
      }
    }
    if (masked.length === cluster.display.length) this.generalizeDisplay(cluster, masked);
    cluster.text = undefined;
    cluster.id = undefined;
  }

  private generalizeDisplay(cluster: Cluster, masked: readonly string[]): void {
    for (let d = 0; d < masked.length; d++) {
      if (cluster.display[d] !== masked[d] && cluster.display[d] !== WILDCARD) {
        cluster.display[d] = WILDCARD;
        cluster.text = undefined;
        cluster.id = undefined;
      }
    }
  }

  private textOf(c: Cluster): string {
    if (c.text === undefined) c.text = c.display.join(' ');
    return c.text;
  }

  private idOf(c: Cluster): string {
    if (c.id === undefined) c.id = templateHash(this.textOf(c));
    return c.id;
  }
}

/** Share of positions equal in two token sequences of the same length (variables never count). */
function similarity(template: readonly string[], tokens: readonly string[]): number {
  let same = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (template[i] === tokens[i] && tokens[i] !== WILDCARD) same++;
  }
  return tokens.length === 0 ? 1 : same / tokens.length;
}
