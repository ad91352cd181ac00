/**
 * The pre-filter of a list of patterns (the signatures, the failure states, the duration readers): one scan of a line for every signature's required literals
 * ({@link requiredLiterals}, read from each pattern) tells which patterns can match it at all, so
 * a line with no failure words runs no regular expression, and a line with some runs only the
 * patterns whose literals it holds. Exact: a pattern left out cannot match the line (its literals
 * are required by its own syntax); a pattern whose literals cannot be read is always run.
 *
 * Built once per signature list (the catalogue, or a test's own list) and cached.
 */
import type { ComputedSignature, Signature } from './types.js';
import { requiredLiterals } from './literals.js';

/**
 * Aho–Corasick automaton over ASCII literals, case folded: one pass over a line finds every
 * literal it holds (overlapping ones too) in time linear in the line's length.
 */
class LiteralScanner {
  /** Character code (0..127) to alphabet class; letters fold to one class per letter; 0: any other. */
  private readonly classOf = new Uint8Array(128);
  private readonly width: number;
  /** Transition table: state * width + class -> state. */
  private readonly delta: Int32Array;
  /** Per state: literals ending here (its own and its suffixes'), or undefined. */
  private readonly outputs: Array<readonly number[] | undefined>;

  constructor(literals: readonly string[]) {
    let classes = 1;
    for (const literal of literals) {
      for (let i = 0; i < literal.length; i++) {
        const c = literal.charCodeAt(i);
        if (this.classOf[c] !== 0) continue;
        const k = classes++;
        this.classOf[c] = k;
        const upper = String.fromCharCode(c).toUpperCase().charCodeAt(0);
        const lower = String.fromCharCode(c).toLowerCase().charCodeAt(0);
        if (upper < 128) this.classOf[upper] = k;
        if (lower < 128) this.classOf[lower] = k;
      }
    }
    this.width = classes;
    // trie
    const next: Array<Map<number, number>> = [new Map()];
    const own: number[][] = [[]];
    literals.forEach((literal, n) => {
      let s = 0;
      for (let i = 0; i < literal.length; i++) {
        const k = this.classOf[literal.charCodeAt(i)]!;
        let t = next[s]!.get(k);
        if (t === undefined) {
          t = next.length;
          next.push(new Map());
          own.push([]);
          next[s]!.set(k, t);
        }
        s = t;
      }
      own[s]!.push(n);
    });
    // breadth first: failure links folded into a full transition table
    const states = next.length;
    this.delta = new Int32Array(states * classes);
    this.outputs = new Array(states);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let k = 0; k < classes; k++) {
      const t = next[0]!.get(k);
      if (t !== undefined) {
        this.delta[k] = t;
        queue.push(t);
      }
    }
    this.outputs[0] = undefined;
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      const f = fail[s]!;
      const inherited = this.outputs[f];
      this.outputs[s] = own[s]!.length > 0 ? (inherited ? [...own[s]!, ...inherited] : own[s]) : inherited;
      for (let k = 0; k < classes; k++) {
        const t = next[s]!.get(k);
        if (t !== undefined) {
          fail[t] = this.delta[f * classes + k]!;
          this.delta[s * classes + k] = t;
          queue.push(t);
        } else {
          this.delta[s * classes + k] = this.delta[f * classes + k]!;
        }
      }
    }
  }

  /** Calls `found` with the index of every literal `text` holds (case ignored), possibly repeatedly. */
  scan(text: string, found: (literal: number) => void): void {
    const { classOf, delta, width, outputs } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      s = delta[s * width + (c < 128 ? classOf[c]! : 0)]!;
      const out = outputs[s];
      if (out !== undefined) for (const n of out) found(n);
    }
  }
}

/** Which items of a list (each with a `pattern`: signatures, failure states, readers) can match a line. */
export class LiteralPrefilter<T extends { readonly pattern: RegExp }> {
  /** Signatures whose literals could not be read, or hold non-ASCII characters: always run. */
  private readonly always: Uint8Array;
  private readonly alwaysList: readonly T[];
  /** Per distinct literal (case folded), the signatures (indexes) it admits. */
  private readonly admits: ReadonlyArray<readonly number[]>;
  private readonly scanner: LiteralScanner;

  constructor(readonly signatures: readonly T[]) {
    this.always = new Uint8Array(signatures.length);
    const byLiteral = new Map<string, number[]>();
    signatures.forEach((signature, i) => {
      const literals = requiredLiterals(signature.pattern);
      // the scan folds ASCII letters only: other literals, and Unicode case folding (`iu`: the
      // Kelvin sign is a `k`), keep their pattern always run
      if (!literals || (signature.pattern.ignoreCase && /[uv]/.test(signature.pattern.flags)) || literals.some((l) => /[^\x20-\x7e\t\n\r]/.test(l))) {
        this.always[i] = 1;
        return;
      }
      for (const literal of literals) {
        const key = literal.toLowerCase();
        const list = byLiteral.get(key);
        if (list) list.push(i);
        else byLiteral.set(key, [i]);
      }
    });
    this.admits = [...byLiteral.values()];
    this.scanner = new LiteralScanner([...byLiteral.keys()]);
    this.alwaysList = signatures.filter((_, i) => this.always[i] === 1);
  }

  /**
   * The signatures that can match `text`, in list order (every other one cannot).
   * @param text the line as the signatures see it
   */
  candidates(text: string): readonly T[] {
    let admitted: Uint8Array | undefined;
    this.scanner.scan(text, (n) => {
      admitted ??= new Uint8Array(this.signatures.length);
      for (const i of this.admits[n]!) admitted[i] = 1;
    });
    if (admitted === undefined) return this.alwaysList;
    const out: T[] = [];
    for (let i = 0; i < this.signatures.length; i++) if (admitted[i] === 1 || this.always[i] === 1) out.push(this.signatures[i]!);
    return out;
  }
}

/**
 * Lines from which a caller builds the pre-filter (its first build reads every pattern: tens of
 * milliseconds, worth it from a few thousand lines on; fewer lines run every pattern).
 */
export const PREFILTER_MIN_LINES = 3000;

/** The signatures' pre-filter. */
export class SignaturePrefilter extends LiteralPrefilter<Signature> {}

/** What the pre-filter admits on a line: regular signatures to run, and guarded computed ones. */
export interface Admitted {
  readonly signatures: readonly Signature[];
  /** Computed signatures with a `requires` pattern whose literals the line holds. */
  readonly computed: ReadonlySet<ComputedSignature>;
}

type Item = { readonly pattern: RegExp; readonly signature?: Signature; readonly computed?: ComputedSignature };

const NONE: ReadonlySet<ComputedSignature> = new Set();

/**
 * One scan per line for the regular signatures' literals and the computed signatures' `requires`
 * literals together. A computed signature without `requires` is not in it: always evaluated.
 */
export class SignatureIndex {
  private readonly filter: LiteralPrefilter<Item>;

  constructor(signatures: readonly Signature[], computed: readonly ComputedSignature[]) {
    const items: Item[] = signatures.map((signature) => ({ pattern: signature.pattern, signature }));
    for (const c of computed) if (c.requires) items.push({ pattern: c.requires, computed: c });
    this.filter = new LiteralPrefilter(items);
  }

  /** The signatures that can match `text` (list order), and the guarded computed ones to evaluate. */
  admit(text: string): Admitted {
    const signatures: Signature[] = [];
    let computed: Set<ComputedSignature> | undefined;
    for (const item of this.filter.candidates(text)) {
      if (item.signature) signatures.push(item.signature);
      else (computed ??= new Set()).add(item.computed!);
    }
    return { signatures, computed: computed ?? NONE };
  }
}

const indexes = new WeakMap<readonly Signature[], WeakMap<readonly ComputedSignature[], SignatureIndex>>();

/** The index of a signature list and a computed list, built on first use. */
export function signatureIndexOf(signatures: readonly Signature[], computed: readonly ComputedSignature[]): SignatureIndex {
  let byComputed = indexes.get(signatures);
  if (byComputed === undefined) indexes.set(signatures, (byComputed = new WeakMap()));
  let index = byComputed.get(computed);
  if (index === undefined) byComputed.set(computed, (index = new SignatureIndex(signatures, computed)));
  return index;
}

const cache = new WeakMap<readonly object[], LiteralPrefilter<never>>();

/** The pre-filter of a list (the catalogue, a test's own list), built on first use. */
export function prefilterOf<T extends { readonly pattern: RegExp }>(items: readonly T[]): LiteralPrefilter<T> {
  let prefilter = cache.get(items) as LiteralPrefilter<T> | undefined;
  if (prefilter === undefined) cache.set(items, (prefilter = new LiteralPrefilter(items)) as unknown as LiteralPrefilter<never>);
  return prefilter;
}
