/**
 * Streaming log template miner.
 */
import { InvalidInputError } from '../../../model/errors.js';
import { templateHash } from './hash.js';
import { TokenCache, formHash, maskMessage, ownString, WILDCARD, isVariableToken, type MaskScratch } from './mask.js';

/** Options of {@link TemplateMiner}. Every system gets the same defaults. */
export interface TemplateMinerOptions {
  /**
   * A position of a template becomes a variable once this many distinct words were seen there
   * among token sequences that are otherwise equal (2 for the values of `key=value` words, which
   * are variables by nature). Default 3.
   */
  readonly minDistinctValues?: number;
  /** Example messages kept per template. Default 3. */
  readonly maxSamples?: number;
  /** Distinct masked forms remembered per template for the exact-match fast path. Default 32. */
  readonly maxKeysPerTemplate?: number;
  /** Masked forms cached in all (their templates found without a search). Default 50,000. */
  readonly maxCachedForms?: number;
  /**
   * Soft bound on the number of templates. Once reached, a message that fits no template joins the
   * most similar one of the same length (half its words or more equal, as Drain would), whose
   * differing positions become variables; only a message like no template at all adds one.
   * Keeps memory bounded on streams where several unmasked words vary together. Default 20,000.
   */
  readonly maxTemplates?: number;
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
    /** Positions of `tokens` that are learned variables. */
    readonly learned?: readonly number[];
  }>;
}

const DEFAULTS: Required<TemplateMinerOptions> = {
  minDistinctValues: 3,
  maxSamples: 3,
  maxKeysPerTemplate: 32,
  maxCachedForms: 50_000,
  maxTemplates: 20_000,
  maxSampleLength: 2000,
};

interface Cluster {
  /** Matching form: masked tokens, runs of variables collapsed, generalized positions `<*>`. */
  tokens: string[];
  /** Masked tokens as written in the template (not collapsed). */
  display: string[];
  /** Number of `<*>` in `tokens`. */
  wild: number;
  /** Positions that became variables because their words varied (not masked values): they match any word. */
  learned: boolean[];
  count: number;
  firstSeen?: number;
  lastSeen?: number;
  samples: string[];
  keys: string[];
  /** Position in creation order: the handle {@link TemplateMiner.addIndex} returns. */
  seq: number;
  /** Set when this cluster was merged into another. */
  parent?: Cluster;
  text?: string;
  id?: string;
  /** Cached result of add()/match(); undefined when stale. */
  match?: TemplateMatch;
  /** Index key under which it is searchable (see {@link anchorOf}); undefined when not indexed. */
  anchor?: string;
  /** Keys under which it is in the position index. */
  positions?: string[];
}

/** Templates examined per word when looking for the closest one (bounds the cost per message). */
const CLOSEST_CANDIDATES = 256;

/** A value seen this often is an established kind of event, not a one-off value. */
const FREQUENT = 10;

/**
 * True when at least two of the sibling templates are each frequent: the varying word then names
 * a few recurring kinds (`via interface ee0` / `alt0`), unlike variables such as user names, where
 * most values are rare. (Not applied to `key=value` words: a value after `=` is a variable.)
 */
function categorical(members: readonly Cluster[]): boolean {
  let frequent = 0;
  for (const m of members) if (m.parent === undefined && m.count >= FREQUENT && ++frequent >= 2) return true;
  return false;
}

/** Distinct words remembered per sibling group (enough to judge them; bounded memory). */
const MAX_SIBLING_VALUES = 16;

interface Siblings {
  values: Set<string>;
  members: Cluster[];
  merged?: Cluster;
}

/** Positions that are variables: masked (`<*>`) or learned (a pattern). */
function countVariables(c: Cluster): number {
  let n = 0;
  for (let i = 0; i < c.tokens.length; i++) if (c.tokens[i] === WILDCARD || c.learned[i]) n++;
  return n;
}

function countWild(tokens: readonly string[]): number {
  let n = 0;
  for (const t of tokens) if (t === WILDCARD) n++;
  return n;
}

function hashToken(t: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x5bd1e995);
  h ^= h >>> 15;
  return h >>> 0;
}

/**
 * Hash of `tokens` with position `p` blanked, for every p: prefix and suffix hashes combined.
 * Two 32-bit hashes, written as one string key.
 */
function blankedKeys(tokens: readonly string[]): string[] {
  const n = tokens.length;
  const pre1 = new Uint32Array(n + 1);
  const pre2 = new Uint32Array(n + 1);
  const suf1 = new Uint32Array(n + 1);
  const suf2 = new Uint32Array(n + 1);
  pre1[0] = 0x811c9dc5;
  pre2[0] = 0x1b873593;
  for (let i = 0; i < n; i++) {
    pre1[i + 1] = Math.imul(pre1[i]! ^ hashToken(tokens[i]!, 0x9747b28c), 0x01000193) >>> 0;
    pre2[i + 1] = Math.imul((pre2[i]! + hashToken(tokens[i]!, 0x2545f491)) | 0, 0x27d4eb2d) >>> 0;
  }
  suf1[n] = 0xcc9e2d51;
  suf2[n] = 0x85ebca6b;
  for (let i = n - 1; i >= 0; i--) {
    suf1[i] = Math.imul(suf1[i + 1]! ^ hashToken(tokens[i]!, 0x3c6ef372), 0x01000193) >>> 0;
    suf2[i] = Math.imul((suf2[i + 1]! + hashToken(tokens[i]!, 0xa54ff53a)) | 0, 0x165667b1) >>> 0;
  }
  const out: string[] = [];
  for (let p = 0; p < n; p++) out.push(`${n}:${p}:${pre1[p]!.toString(36)}${suf1[p + 1]!.toString(36)}:${pre2[p]!.toString(36)}${suf2[p + 1]!.toString(36)}`);
  return out;
}

/** True when `template` (same length) matches `tokens`: every non-variable token equal. */
function fits(template: Cluster, tokens: readonly string[]): boolean {
  for (let i = 0; i < tokens.length; i++) if (!tokenFits(template, i, tokens[i]!)) return false;
  return true;
}

/**
 * True when position `i` of `template` accepts word `x`: equal; or a learned variable (a pattern
 * `prefix<*>suffix` accepts words with that prefix and suffix); or a masked variable and `x` is a
 * value too (holds a variable, or is a dotted/slashed name).
 */
function tokenFits(template: Cluster, i: number, x: string): boolean {
  const t = template.tokens[i]!;
  if (t === x) return true;
  if (template.learned[i]) {
    if (t === WILDCARD) return true;
    const w = t.indexOf(WILDCARD);
    if (w < 0) return false;
    const suffix = t.length - w - WILDCARD.length;
    return x.length >= t.length - WILDCARD.length && x.startsWith(t.slice(0, w)) && x.endsWith(t.slice(t.length - suffix));
  }
  if (t === WILDCARD) return x === WILDCARD || x.includes(WILDCARD) || isIdentifier(x);
  return false;
}

/**
 * A streaming log template miner: add log messages one by one; each gets the template (variable
 * parts `<*>`) of the group it belongs to. Memory grows with the number of templates, not lines.
 *
 * Algorithm (variable-aware, after Brain, Yu et al. IEEE TSC 2023, and Drain, He et al. ICWS 2017):
 * 1. generic masking of obvious values (numbers, hex, IPs, endpoints, paths, URLs, UUIDs,
 *    booleans, values with units, dates), keeping punctuation; runs of variables collapse to one
 *    so a variable spanning several tokens still matches;
 * 2. exact match of the masked form in a map (the common, fast case);
 * 3. else, a template of the same length and first token whose constant tokens all equal;
 * 4. else a new template; and when `minDistinctValues` templates differ from each other in only
 *    one position (not the first), that position is a variable and they merge into one.
 *
 * @example
 * const miner = new TemplateMiner();
 * miner.add('Connection from 10.0.0.1 closed'); // { templateId: '…', template: 'Connection from <*> closed' }
 */
export class TemplateMiner {
  private readonly options: Required<TemplateMinerOptions>;
  /** Live templates, in creation order. */
  private readonly clusters = new Set<Cluster>();
  private readonly byKey = new FormIndex();
  /** Generalized templates by their first constant token and its position. */
  private readonly buckets = new Map<string, Set<Cluster>>();
  private readonly siblings = new Map<string, Siblings>();
  /** Every live template under each of its constant tokens with its position (`3\u0001word`). */
  private readonly byPosition = new Map<string, Set<Cluster>>();
  private readonly tokenCache = new TokenCache();
  private readonly scratch: MaskScratch = { display: [], kinds: [], key: [] };
  /** Every template ever created, merged ones too, by `seq` (handles of {@link addIndex}). */
  private readonly created: Cluster[] = [];

  /** @throws InvalidInputError when an option is out of range. */
  constructor(options: TemplateMinerOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    const k = this.options.minDistinctValues;
    if (!(Number.isInteger(k) && k >= 2)) throw new InvalidInputError('options.minDistinctValues', `must be an integer >= 2, got ${k}`);
    if (!(this.options.maxSamples >= 0)) throw new InvalidInputError('options.maxSamples', 'must be >= 0');
  }

  /**
   * Adds one log message (its content, header removed; a multi-line event is grouped by its first
   * line) and returns its template as it stands after this message.
   * @param timestampMs time of the event in ms since the Unix epoch, when known.
   */
  add(message: string, timestampMs?: number): TemplateMatch {
    return matchOf(this.addCluster(message, timestampMs));
  }

  /**
   * {@link add} for callers that resolve templates later: returns a handle (a small integer) of
   * the template the message joined, without building its text. {@link templateOf} gives the
   * template a handle stands for at any later time (merges followed), so a caller can keep one
   * 32-bit number per line and map every line to its final template in one pass at the end.
   * @example
   * const handles = Uint32Array.from(lines, (l) => miner.addIndex(l));
   * const final = miner.templateOf(handles[0]!); // { templateId, template } after all merges
   */
  addIndex(message: string, timestampMs?: number): number {
    return this.addCluster(message, timestampMs).seq;
  }

  /** The template a handle of {@link addIndex} stands for now (after any merges). */
  templateOf(handle: number): TemplateMatch {
    const c = this.created[handle];
    if (c === undefined) throw new InvalidInputError('handle', `no template has handle ${handle}`);
    return matchOf(find(c));
  }

  /** The final template's handle for a handle (equal handles: one template). */
  rootOf(handle: number): number {
    const c = this.created[handle];
    if (c === undefined) throw new InvalidInputError('handle', `no template has handle ${handle}`);
    return find(c).seq;
  }

  private addCluster(message: string, timestampMs?: number): Cluster {
    // `display` and `tokens` live in the scratch arrays: copied before a template keeps them
    const { display, key: tokens, keyHash } = maskMessage(message, this.tokenCache, this.scratch);
    let cluster = this.byKey.get(keyHash, tokens);
    if (cluster !== undefined) {
      if (cluster.parent !== undefined) cluster = find(cluster);
    } else {
      cluster = this.search(tokens);
      if (cluster === undefined && this.clusters.size >= this.options.maxTemplates) {
        cluster = this.closest(tokens);
        if (cluster !== undefined) this.widen(cluster, tokens);
      }
      if (cluster === undefined) {
        // tokens are the token cache's own strings (see TokenCache.lookup): copying them again would
        // cost the identity that makes comparing them cheap
        cluster = this.create([...tokens], [...display]);
      }
      this.remember(tokens, keyHash, cluster);
    }
    if (display.length === cluster.display.length) generalizeDisplay(cluster, display);
    cluster.count++;
    if (timestampMs !== undefined && Number.isFinite(timestampMs)) {
      if (cluster.firstSeen === undefined || timestampMs < cluster.firstSeen) cluster.firstSeen = timestampMs;
      if (cluster.lastSeen === undefined || timestampMs > cluster.lastSeen) cluster.lastSeen = timestampMs;
    }
    if (cluster.samples.length < this.options.maxSamples) cluster.samples.push(ownString(message.slice(0, this.options.maxSampleLength)));
    return cluster;
  }

  /** Caches a masked form's template; the cache is bounded (`maxCachedForms`), the first forms of each template are kept. */
  private remember(tokens: string[], hash: number, cluster: Cluster): void {
    if (cluster.keys.length < this.options.maxKeysPerTemplate) cluster.keys.push(tokens.join(' '));
    if (this.byKey.size >= this.options.maxCachedForms) {
      this.byKey.clear();
      for (const c of this.clusters) for (const k of c.keys) this.byKey.setText(k, c);
    }
    this.byKey.set(hash, [...tokens], cluster);
  }

  /**
   * Returns the template a message would get, without changing the miner (no new template, no
   * counts); `undefined` when no template matches.
   */
  match(message: string): TemplateMatch | undefined {
    const { key, keyHash } = maskMessage(message, this.tokenCache, this.scratch);
    const hit = this.byKey.get(keyHash, key);
    const cluster = hit !== undefined ? find(hit) : this.search(key);
    if (cluster === undefined) return undefined;
    return matchOf(cluster);
  }

  /** The templates mined so far, most frequent first. */
  templates(): MinedTemplate[] {
    return this.live()
      .map((c) => ({
        templateId: idOf(c),
        template: textOf(c),
        count: c.count,
        ...(c.firstSeen !== undefined ? { firstSeen: c.firstSeen } : {}),
        ...(c.lastSeen !== undefined ? { lastSeen: c.lastSeen } : {}),
        samples: [...c.samples],
      }))
      .sort((a, b) => b.count - a.count || (a.template < b.template ? -1 : a.template > b.template ? 1 : 0));
  }

  /** Number of templates. */
  get size(): number {
    return this.clusters.size;
  }

  /**
   * The miner's state as plain JSON (`JSON.stringify` it), for {@link TemplateMiner.fromJSON}: the
   * templates with their matching forms, counts, times and samples; its size grows with the number
   * of templates only. Not kept: the sibling statistics of words not yet turned into variables, so
   * a restored miner matches exactly as the saved one did and starts those counts afresh.
   * @example
   * const saved = JSON.stringify(miner.toJSON());
   * const baseline = TemplateMiner.fromJSON(JSON.parse(saved));
   * baseline.match('disk 7 full'); // undefined when the baseline never saw that template
   */
  toJSON(): MinerState {
    return {
      kind: 'ops-assistant/template-miner',
      version: 1,
      options: { ...this.options },
      templates: this.live().map((c) => ({
        tokens: [...c.tokens],
        display: [...c.display],
        count: c.count,
        ...(c.firstSeen !== undefined ? { firstSeen: c.firstSeen } : {}),
        ...(c.lastSeen !== undefined ? { lastSeen: c.lastSeen } : {}),
        samples: [...c.samples],
        keys: [...c.keys],
        learned: c.learned.flatMap((l, i) => (l ? [i] : [])),
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
      if (!isStringArray(t.tokens) || !isStringArray(t.display) || !isStringArray(t.keys) || typeof t.count !== 'number') {
        throw new InvalidInputError('miner state', `templates[${i}] is malformed`);
      }
      const cluster = miner.create([...t.tokens], [...t.display], true);
      if (Array.isArray(t.learned)) {
        for (const i of t.learned) if (typeof i === 'number' && i >= 0 && i < cluster.learned.length) cluster.learned[i] = true;
        cluster.wild = countVariables(cluster);
        miner.reindex(cluster);
      }
      cluster.count = t.count;
      cluster.samples = isStringArray(t.samples) ? [...t.samples] : [];
      if (typeof t.firstSeen === 'number') cluster.firstSeen = t.firstSeen;
      if (typeof t.lastSeen === 'number') cluster.lastSeen = t.lastSeen;
      for (const k of t.keys) {
        cluster.keys.push(k);
        miner.byKey.setText(k, cluster);
      }
    }
    return miner;
  }

  private live(): Cluster[] {
    return [...this.clusters];
  }

  /**
   * The most specific generalized template that fits `tokens`: every constant equal; a variable
   * may also stand for several tokens (see {@link globFits}). Candidates are found by their first
   * constant token and its position, so the search does not grow with the number of templates.
   */
  private search(tokens: readonly string[]): Cluster | undefined {
    let best: Cluster | undefined;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t === WILDCARD) continue;
      const list = this.buckets.get(`${i}\u0001${t}`);
      if (list === undefined) continue;
      for (const c of list) {
        if (best !== undefined && (c.wild > best.wild || (c.wild === best.wild && c.tokens.length !== tokens.length))) continue;
        const ok = c.tokens.length === tokens.length ? fits(c, tokens) : c.tokens.length < tokens.length && globFits(c.tokens, 0, tokens, 0);
        if (ok) best = c;
      }
    }
    return best;
  }

  /**
   * The template of the same length sharing the most words (at least half) with `tokens`, looked
   * up through the position index (at most {@link CLOSEST_CANDIDATES} candidates per word).
   */
  private closest(tokens: readonly string[]): Cluster | undefined {
    let best: Cluster | undefined;
    let bestScore = Math.ceil(tokens.length / 2) - 1;
    const seen = new Set<Cluster>();
    for (let i = 0; i < tokens.length; i++) {
      const set = this.byPosition.get(`${i}\u0001${tokens[i]}`);
      if (set === undefined) continue;
      let n = 0;
      for (const c of set) {
        if (++n > CLOSEST_CANDIDATES) break;
        if (seen.has(c) || c.tokens.length !== tokens.length) continue;
        seen.add(c);
        let score = 0;
        for (let j = 0; j < tokens.length; j++) if (c.tokens[j] === tokens[j]) score++;
        if (score > bestScore) {
          bestScore = score;
          best = c;
        }
      }
    }
    return best;
  }

  /** Turns every position of `cluster` that does not accept the word of `tokens` into a variable. */
  private widen(cluster: Cluster, tokens: readonly string[]): void {
    let changed = false;
    for (let i = 0; i < tokens.length; i++) {
      if (tokenFits(cluster, i, tokens[i]!)) continue;
      cluster.tokens[i] = WILDCARD;
      cluster.learned[i] = true;
      changed = true;
      const index = displayIndex(cluster.display);
      for (let d = 0; d < index.length; d++) if (index[d] === i) cluster.display[d] = WILDCARD;
    }
    if (!changed) return;
    cluster.wild = countVariables(cluster);
    cluster.text = undefined;
    cluster.id = undefined;
    this.reindex(cluster);
  }

  /** Updates the indexes of a template after it was created or its tokens changed. */
  private reindex(c: Cluster): void {
    this.unindex(c);
    if (c.wild > 0) {
      const anchor = anchorOf(c);
      if (anchor !== undefined) {
        c.anchor = anchor;
        addTo(this.buckets, anchor, c);
      }
    }
    const positions: string[] = [];
    for (let i = 0; i < c.tokens.length; i++) {
      if (c.tokens[i] === WILDCARD || c.learned[i]) continue;
      const k = `${i}\u0001${c.tokens[i]}`;
      positions.push(k);
      addTo(this.byPosition, k, c);
    }
    c.positions = positions;
  }

  private unindex(c: Cluster): void {
    if (c.anchor !== undefined) removeFrom(this.buckets, c.anchor, c);
    c.anchor = undefined;
    for (const k of c.positions ?? []) removeFrom(this.byPosition, k, c);
    c.positions = undefined;
  }

  /** Adds a new template; `restoring` only indexes it (no merging), for {@link TemplateMiner.fromJSON}. */
  private create(tokens: string[], display: string[], restoring = false): Cluster {
    const cluster: Cluster = { tokens, display, wild: countWild(tokens), learned: tokens.map(() => false), count: 0, samples: [], keys: [], seq: this.created.length };
    this.created.push(cluster);
    this.clusters.add(cluster);
    this.reindex(cluster);
    if (cluster.wild > 0 && !restoring) this.absorbFitting(cluster);
    return this.register(cluster, restoring);
  }

  /**
   * Records the cluster among its siblings (same tokens but one position); merges a sibling group
   * once it holds `minDistinctValues` distinct words. Returns the cluster the new one ended in.
   */
  private register(cluster: Cluster, recordOnly = false): Cluster {
    const tokens = cluster.tokens;
    const keys = blankedKeys(tokens);
    for (let p = 0; p < tokens.length; p++) {
      const value = tokens[p]!;
      if (value === WILDCARD) continue;
      // `key=value` words are siblings only of words with the same key
      const eq = value.indexOf('=');
      const k = eq > 0 ? `${keys[p]!}\u0001${value.slice(0, eq)}` : keys[p]!;
      let sib = this.siblings.get(k);
      if (sib === undefined) this.siblings.set(k, (sib = { values: new Set(), members: [] }));
      if (sib.values.size < MAX_SIBLING_VALUES) sib.values.add(value);
      sib.members.push(cluster);
      if (
        !recordOnly &&
        sib.values.size >= (eq > 0 ? Math.min(2, this.options.minDistinctValues) : this.options.minDistinctValues) &&
        !allNamesOfKinds(sib.values) &&
        (eq > 0 || !categorical(sib.members)) &&
        (p > 0 || identifierLike(sib.values)) &&
        cluster.wild < tokens.length - 1
      ) {
        const target = find(sib.members[0]!);
        for (const m of sib.members) this.mergeInto(find(m), target, p, sib.values);
        sib.members = [target];
        this.absorbFitting(target);
        return target;
      }
    }
    return cluster;
  }

  /** Merges into `target` every other template its generalized form now covers. */
  private absorbFitting(target: Cluster): void {
    const n = target.tokens.length;
    if (target.wild === n) return;
    const covered: Cluster[] = [];
    const anchor = anchorOf(target);
    if (anchor === undefined) return;
    for (const c of this.byPosition.get(anchor) ?? []) {
      if (c === target || c.wild > target.wild || c.tokens.length < n) continue;
      if (c.tokens.length === n ? fits(target, c.tokens) : globFits(target.tokens, 0, c.tokens, 0)) covered.push(c);
    }
    for (const c of covered) this.mergeInto(c, target, -1, []);
  }

  private mergeInto(from: Cluster, into: Cluster, p: number, values: Iterable<string>): void {
    if (p >= 0 && !into.learned[p]) {
      // the learned variable keeps the context its words share: `topActivity=<*>`, `(<*>)`
      let pattern = into.tokens[p]!;
      for (const v of values) pattern = generalizeToken(pattern, v);
      into.tokens[p] = pattern.indexOf(WILDCARD) === pattern.lastIndexOf(WILDCARD) ? pattern : WILDCARD;
      into.learned[p] = true;
      into.wild = countVariables(into);
      const index = displayIndex(into.display);
      for (let d = 0; d < index.length; d++) {
        if (index[d] !== p) continue;
        let g = into.display[d]!;
        for (const v of values) g = generalizeToken(g, v);
        into.display[d] = g;
      }
      into.text = undefined;
      into.id = undefined;
    }
    if (from === into) {
      this.reindex(into);
      return;
    }
    // Any other difference (a hash collision) also becomes a variable.
    for (let i = 0; i < into.tokens.length && from.tokens.length === into.tokens.length; i++) {
      if (into.tokens[i] !== WILDCARD && !tokenFits(into, i, from.tokens[i]!)) {
        into.tokens[i] = WILDCARD;
        into.learned[i] = true;
        into.wild = countVariables(into);
      }
    }
    if (from.display.length === into.display.length) generalizeDisplay(into, from.display);
    into.count += from.count;
    if (from.firstSeen !== undefined && (into.firstSeen === undefined || from.firstSeen < into.firstSeen)) into.firstSeen = from.firstSeen;
    if (from.lastSeen !== undefined && (into.lastSeen === undefined || from.lastSeen > into.lastSeen)) into.lastSeen = from.lastSeen;
    for (const s of from.samples) if (into.samples.length < this.options.maxSamples) into.samples.push(s);
    for (const k of from.keys) {
      this.byKey.setText(k, into);
      if (into.keys.length < this.options.maxKeysPerTemplate) into.keys.push(k);
    }
    from.parent = into;
    from.samples = [];
    from.keys = [];
    this.clusters.delete(from);
    this.unindex(from);
    this.reindex(into);
    into.text = undefined;
    into.id = undefined;
  }
}

/** A dotted, slashed or dashed name (`ns.example.com`, `a/b`, `x-y`): may stand where a variable was. */
function isIdentifier(v: string): boolean {
  // One pass (a pattern with three `[^\s]*` was cubic on long tokens): a letter, then a
  // separator, then a letter or digit, and no whitespace.
  if (/\s/.test(v)) return false;
  const letter = v.search(/[A-Za-z]/);
  if (letter < 0) return false;
  const sep = v.slice(letter + 1).search(/[./:_-]/);
  return sep >= 0 && /[A-Za-z0-9]/.test(v.slice(letter + 1 + sep + 1));
}

/** True when a first-position value is an identifier rather than a word (`com.apple.x:`, `a_b`). */
function identifierLike(values: Iterable<string>): boolean {
  for (const v of values) if (!isIdentifier(v)) return false;
  return true;
}

/**
 * True when `template` matches `tokens` with each template variable standing for one or more
 * tokens, at most one of them a constant word (so `for <*> failed` fits `for ns.example.com <*> failed`,
 * where the variable run had collapsed, but `for <*> from` does not fit `for invalid user <*> from`).
 */
function globFits(template: readonly string[], ti: number, tokens: readonly string[], ki: number): boolean {
  while (ti < template.length) {
    const t = template[ti]!;
    if (t !== WILDCARD) {
      if (ki >= tokens.length || tokens[ki] !== t) return false;
      ti++;
      ki++;
      continue;
    }
    // variable: try runs of 1.. tokens with at most one constant
    let constants = 0;
    for (let end = ki; end < tokens.length; end++) {
      if (tokens[end] !== WILDCARD) {
        constants++;
        if (end > ki || !isIdentifier(tokens[end]!)) constants++;
      }
      if (constants > 1) return false;
      if (globFits(template, ti + 1, tokens, end + 1)) return true;
    }
    return false;
  }
  return ki === tokens.length;
}

const RE_KIND_WORD = /^[^A-Za-z0-9]*[A-Z][a-z]+[A-Z][A-Za-z]*(?:[^A-Za-z0-9].*)?$|^[^A-Za-z0-9]*[A-Z][A-Za-z]*[^A-Za-z0-9]*$/;

/**
 * True when every value is one capitalized word (`GET`, `POST`; `Started`, `Paused`) or starts with
 * a CamelCase name (`AuthFail:sts:<*>`, `AppleMultitouchDevice::start`): such words name kinds of
 * events (methods, states, components), so they stay constants and keep their templates apart.
 */
function allNamesOfKinds(values: Iterable<string>): boolean {
  for (const v of values) if (!RE_KIND_WORD.test(v)) return false;
  return true;
}

interface FormEntry {
  tokens: string[];
  cluster: Cluster;
  next?: FormEntry;
}

/** Matching forms to templates, keyed by {@link formHash}, colliding forms chained. */
class FormIndex {
  private readonly map = new Map<number, FormEntry>();
  size = 0;

  get(hash: number, tokens: readonly string[]): Cluster | undefined {
    for (let e = this.map.get(hash); e !== undefined; e = e.next) {
      const t = e.tokens;
      if (t.length !== tokens.length) continue;
      let same = true;
      for (let i = 0; i < t.length; i++) {
        if (t[i] !== tokens[i]) {
          same = false;
          break;
        }
      }
      if (same) return e.cluster;
    }
    return undefined;
  }

  set(hash: number, tokens: string[], cluster: Cluster): void {
    const head = this.map.get(hash);
    for (let e = head; e !== undefined; e = e.next) {
      if (e.tokens.length === tokens.length && e.tokens.every((t, i) => t === tokens[i])) {
        e.cluster = cluster;
        return;
      }
    }
    this.map.set(hash, head === undefined ? { tokens, cluster } : { tokens, cluster, next: head });
    this.size++;
  }

  /** Same as {@link set} for a form written as text (tokens joined by one space). */
  setText(text: string, cluster: Cluster): void {
    const tokens = text.length === 0 ? [] : text.split(' ');
    this.set(formHash(tokens), tokens, cluster);
  }

  clear(): void {
    this.map.clear();
    this.size = 0;
  }
}

/** Where a generalized template is found: its first constant token and that token's position. */
function anchorOf(c: Cluster): string | undefined {
  for (let i = 0; i < c.tokens.length; i++) if (c.tokens[i] !== WILDCARD && !c.learned[i]) return `${i}\u0001${c.tokens[i]}`;
  return undefined;
}

function addTo(map: Map<string, Set<Cluster>>, key: string, c: Cluster): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(c);
}

function removeFrom(map: Map<string, Set<Cluster>>, key: string, c: Cluster): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(c);
  if (set.size === 0) map.delete(key);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function find(c: Cluster): Cluster {
  let r = c;
  while (r.parent !== undefined) r = r.parent;
  let x = c;
  while (x.parent !== undefined && x.parent !== r) {
    const next: Cluster = x.parent;
    x.parent = r;
    x = next;
  }
  return r;
}

/** Maps each display token to its position in the collapsed matching form. */
function displayIndex(display: readonly string[]): number[] {
  const index: number[] = [];
  let j = -1;
  let lastVar = false;
  for (const t of display) {
    const v = isVariableToken(t);
    if (!(v && lastVar)) j++;
    index.push(j);
    lastVar = v;
  }
  return index;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

/**
 * The most specific template token covering two tokens: their common prefix up to a punctuation
 * mark, `<*>`, and their common suffix from a punctuation mark (`user=root`, `user=bob` -> `user=<*>`;
 * `(root)`, `(<*>)` -> `(<*>)`); `<*>` when they share no such context.
 */
export function generalizeToken(a: string, b: string): string {
  if (a === b) return a;
  let i = 0;
  const n = Math.min(a.length, b.length);
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // back off to just after the last punctuation mark within the common prefix
  while (i > 0 && isWordChar(a.charCodeAt(i - 1))) i--;
  let j = 0;
  while (j < n - i && a.charCodeAt(a.length - 1 - j) === b.charCodeAt(b.length - 1 - j)) j++;
  while (j > 0 && isWordChar(a.charCodeAt(a.length - j))) j--;
  let prefix = a.slice(0, i);
  let suffix = a.slice(a.length - j);
  if (prefix.endsWith('<') || prefix.endsWith('<*')) prefix = prefix.slice(0, prefix.lastIndexOf('<'));
  if (suffix.startsWith('>') || suffix.startsWith('*>')) suffix = suffix.slice(suffix.indexOf('>') + 1);
  if (prefix.length + suffix.length > Math.min(a.length, b.length)) return WILDCARD;
  const out = `${prefix}${WILDCARD}${suffix}`.replaceAll(`${WILDCARD}${WILDCARD}`, WILDCARD);
  return out;
}

function generalizeDisplay(cluster: Cluster, display: readonly string[]): void {
  for (let d = 0; d < display.length; d++) {
    if (cluster.display[d] !== display[d] && cluster.display[d] !== WILDCARD) {
      cluster.display[d] = generalizeToken(cluster.display[d]!, display[d]!);
      cluster.text = undefined;
      cluster.id = undefined;
    }
  }
}

function matchOf(c: Cluster): TemplateMatch {
  if (c.match === undefined || c.match.template !== textOf(c)) c.match = Object.freeze({ templateId: idOf(c), template: textOf(c) });
  return c.match;
}

function textOf(c: Cluster): string {
  if (c.text === undefined) c.text = c.display.join(' ');
  return c.text;
}

function idOf(c: Cluster): string {
  if (c.id === undefined) c.id = templateHash(textOf(c));
  return c.id;
}
