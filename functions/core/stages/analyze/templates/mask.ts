/**
 * Variable-aware tokenization of one log message: splits on whitespace, then marks the parts of
 * each token that are obviously variable (numbers, hex, IPs, paths, URLs, UUIDs, durations, sizes,
 * values of `key=value` pairs containing digits) as `<*>`, keeping the punctuation around them.
 *
 * The rules are generic (the same for every log source), in the spirit of Brain (Yu et al., IEEE
 * TSC 2023) and LILAC's variable-aware preprocessing; no per-dataset regular expressions.
 */

/** The variable placeholder, as Loghub writes it. */
export const WILDCARD = '<*>';

const enum C {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Zero = 48,
  Nine = 57,
}

function isDigit(c: number): boolean {
  return c >= C.Zero && c <= C.Nine;
}

function isSpace(c: number): boolean {
  return c === C.Space || c === C.Tab || c === C.Lf || c === C.Cr || c === 12 || c === 11;
}

// Characters that separate the parts of a token (a variable never spans one of them).
// `.`, `-`, `_`, `/` and `+` stay inside parts: `10.0.0.1`, `blk_-42`, `/a/b`, `2.5e+3` are one value.
const SEP = new Uint8Array(128);
for (const ch of '=:()[]{},;"\'<>|@#&!?*$^`~\\') SEP[ch.charCodeAt(0)] = 1;

/** Wrapping punctuation stripped before the whole-token checks. */
const LEAD = new Uint8Array(128);
for (const ch of '([{<"\'') LEAD[ch.charCodeAt(0)] = 1;
const TRAIL = new Uint8Array(128);
for (const ch of ')]}>"\',;:.') TRAIL[ch.charCodeAt(0)] = 1;

// Patterns here run on whole tokens, which can be a megabyte long: no two quantifiers may match
// the same characters (the letter test is a look-ahead, separators delimit repeated groups).
const RE_ENDPOINT = /^(?=[a-z0-9.-]*[a-z])[a-z0-9.-]*:\d{1,5}$/;
const RE_IP = /^\/?(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?$/;
const RE_URL = /^[a-zA-Z][a-zA-Z0-9+-]*:\/\/\S+$/;
const RE_PATH = /^(?:[a-zA-Z]:)?(?:[\\/][^\\/\s"'<>|]*){2,}$/;
const RE_UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const RE_HEX = /^(?:0[xX][0-9a-fA-F]+|[0-9a-fA-F]{8,}|(?:[0-9a-fA-F]{2}[:-]){3,}[0-9a-fA-F]{2}|(?:[0-9a-fA-F]{1,4}:){2}[0-9a-fA-F:]*)$/;
// `(?:\d+[.,]?)+` was exponential on a run of digits followed by 4 letters.
const RE_NUMBER = /^[-+]?\d+(?:[.,]\d+)*[.,]?(?:[eE][-+]?\d+)?[a-zA-Z%µ]{0,3}$/;

const EMPTY_PAIRS = new Set(['()', '[]', '{}', '<>', '""', "''"]);
/** A word with one trailing digit (`ssh2`, `eth1`, `SOCKS5`) is a name, not a value. */
const RE_NAME_DIGIT = /^[A-Za-z]{2,5}\d$/;
/** Hex without digits (`ffffffff`, `deadbeef`): 8+ hex letters. */
const RE_HEX_LETTERS = /^[a-fA-F]{8,}$/;
/** A name made of segments joined by `_` or `-` (`jk2_init`, `BIOS-e820`). */
const RE_COMPOUND_NAME = /^[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+$/;
/** A segment that is a number or a long hex run (`blk_123`, `node-07`, `x_3fa8c2d1`). */
// Digits only, or hex with a digit and a letter: a hex segment with at least one digit.
const RE_NUMERIC_SEGMENT = /(?:^|[_-])(?=[0-9a-fA-F]*\d)[0-9a-fA-F]+(?=$|[_-])/;
const RE_WORD = /^[A-Za-z]+$/;
const RE_DIGITS = /^\d+$/;
const RE_LITERAL = /^(?:true|false|null|nil|none|undefined|True|False|NULL|None|TRUE|FALSE)$/;

/**
 * How a part of a token (between separators) is masked: `'all'` when it is a value, `'none'`
 * when it is constant, else the part with its numeric dot-pieces masked (`core.2275` -> `core.<*>`,
 * `instruction......0` -> `instruction......<*>`).
 */
function maskPart(part: string): string | undefined {
  let digit = false;
  for (let i = 0; i < part.length; i++) {
    if (isDigit(part.charCodeAt(i))) {
      digit = true;
      break;
    }
  }
  if (!digit) return RE_LITERAL.test(part) || RE_HEX_LETTERS.test(part) || isWholeValue(part, false) ? WILDCARD : undefined;
  if (RE_NAME_DIGIT.test(part)) return undefined;
  if (RE_COMPOUND_NAME.test(part) && !RE_NUMERIC_SEGMENT.test(part)) return undefined;
  if (part.includes('.')) {
    const pieces = part.split('.');
    let numeric = 0;
    let ok = true;
    for (const p of pieces) {
      if (RE_DIGITS.test(p)) numeric++;
      else if (p.length > 0 && !RE_WORD.test(p)) ok = false;
    }
    if (ok && numeric === 1 && pieces.some((p) => p.length > 0 && RE_WORD.test(p))) {
      return pieces.map((p) => (RE_DIGITS.test(p) ? WILDCARD : p)).join('.');
    }
  }
  return WILDCARD;
}

/** True when a stripped token is a value as a whole (so its inner punctuation is not kept). */
function isWholeValue(core: string, hasDigit: boolean): boolean {
  if (core.length === 0) return false;
  const c0 = core.charCodeAt(0);
  if ((c0 === 47 || c0 === 92) && RE_PATH.test(core)) return true; // `/` or `\`
  if (RE_URL.test(core)) return true;
  if (!hasDigit) return false;
  return RE_ENDPOINT.test(core) || RE_IP.test(core) || RE_NUMBER.test(core) || RE_UUID.test(core) || RE_HEX.test(core) || RE_PATH.test(core);
}

/**
 * Masks one whitespace-free token. Returns the token itself when nothing in it is variable.
 * @example maskToken('uid=0') === 'uid=<*>'; maskToken('(10.0.0.1:80)') === '(<*>)'
 */
export function maskToken(token: string): string {
  const m = maskTokenParts(token);
  return m.includes(WILDCARD) ? tidyVariables(m) : m;
}

const RE_JOINED_VARIABLES = /<\*>[^A-Za-z0-9<>()[\]{}\s]*<\*>/g;

/**
 * Writes a variable the way Loghub's corrected templates do: variables joined only by punctuation
 * are one value (`<*>:<*>` -> `<*>`, `<*>~<*>` -> `<*>`; brackets are kept), and a `>` after a
 * variable that closes nothing opened in the token is part of the value.
 */
function tidyVariables(masked: string): string {
  let out = masked;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(RE_JOINED_VARIABLES, WILDCARD);
  }
  if (out.includes('<*>>')) {
    // a `>` after a variable closes a `<` opened in an earlier token (`vCores:-17>`): part of the value
    const bare = out.replaceAll(WILDCARD, '');
    let balance = 0;
    for (let i = 0; i < bare.length; i++) balance += bare[i] === '<' ? 1 : bare[i] === '>' ? -1 : 0;
    if (balance < 0) out = out.replace('<*>>', WILDCARD);
  }
  return out;
}

function maskTokenParts(token: string): string {
  let hasDigit = false;
  let hasSep = false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= C.Zero && c <= C.Nine) hasDigit = true;
    else if (c < 128 && SEP[c] === 1) hasSep = true;
  }
  const c0 = token.charCodeAt(0);
  if (EMPTY_PAIRS.has(token)) return token[0] + WILDCARD + token[1];
  if (!hasDigit && !hasSep && c0 !== 47 && c0 !== 92) {
    return RE_LITERAL.test(token) || RE_HEX_LETTERS.test(token) ? WILDCARD : token;
  }
  // Whole-token value, wrapped in punctuation or not.
  let s = 0;
  let e = token.length;
  while (s < e && token.charCodeAt(s) < 128 && LEAD[token.charCodeAt(s)] === 1) s++;
  while (e > s && token.charCodeAt(e - 1) < 128 && TRAIL[token.charCodeAt(e - 1)] === 1) e--;
  const core = token.slice(s, e);
  if (isWholeValue(core, hasDigit)) {
    // a path keeps its trailing dot (`/a/part-1.` is the value), as Loghub writes it
    if (token.charCodeAt(e) === 46 && (core.charCodeAt(0) === 47 || core.charCodeAt(0) === 92)) e++;
    return token.slice(0, s) + WILDCARD + token.slice(e);
  }
  if (!hasSep) return hasDigit ? (maskPart(token) ?? token) : token;
  // Mask part by part between separators.
  let out = '';
  let partStart = 0;
  let lastWasVar = false;
  for (let i = 0; i <= token.length; i++) {
    const c = i < token.length ? token.charCodeAt(i) : -1;
    if (c === -1 || (c < 128 && SEP[c] === 1)) {
      if (i > partStart) {
        const part = token.slice(partStart, i);
        const m = maskPart(part);
        if (m === WILDCARD) {
          if (!lastWasVar) out += WILDCARD;
          lastWasVar = true;
        } else {
          out += m ?? part;
          lastWasVar = false;
        }
      }
      if (c !== -1) {
        out += token[i];
        lastWasVar = false;
      }
      partStart = i + 1;
    }
  }
  return out;
}

const RE_UNIT = /^(?:[kKMGTP]?i?B|bytes?|sec|%)([,;:.)\]}]*)$/;
const RE_DATE_WORD =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[,.]?$/;

/** True when a masked token is only variables and punctuation: `<*>`, `(<*>)`, `<*>:<*>`, `[<*>],`. */
export function isVariableToken(token: string): boolean {
  if (token === WILDCARD) return true;
  if (!token.includes(WILDCARD)) return false;
  const rest = token.split(WILDCARD).join('');
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127) return false;
  }
  return true;
}

/**
 * The matching form of a non-variable token: in `key=value` / `key:value`, a value that holds a
 * variable is a variable as a whole (`ws=WorkSource{<*>}` -> `ws=<*>`).
 */
function keyForm(t: string): string {
  const eq = t.indexOf('=');
  if (eq > 0 && eq < t.length - 1 && t.indexOf(WILDCARD, eq) > eq) {
    let end = t.length;
    while (end > eq + 1 && (t.charCodeAt(end - 1) === 44 || t.charCodeAt(end - 1) === 59)) end--; // trailing , ;
    const rest = t.slice(eq + 1, end);
    if (rest !== WILDCARD && !/[=,;]/.test(rest.replaceAll(WILDCARD, ''))) return `${t.slice(0, eq + 1)}${WILDCARD}${t.slice(end)}`;
  }
  return t;
}

/** A masked token with what {@link maskMessage} needs to know about it. */
export interface MaskedToken {
  /** The masked token. */
  readonly m: string;
  /** All variable ({@link isVariableToken}). */
  readonly v: boolean;
  /** Matching form ({@link keyForm}). */
  readonly k: string;
  /** {@link stringHash} of `k`. */
  readonly kh: number;
  /** When it is a unit (`KB`, `bytes,`): the punctuation after the unit, kept when it joins a value. */
  readonly unit?: string;
  /** A weekday or month name. */
  readonly date: boolean;
  /** A variable closing a quote (`<*>"`). */
  readonly q: boolean;
}

/** 30-bit FNV-1a hash of a string (a small integer, fast as a Map key). */
export function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff;
}

/** Folds token hashes into the hash of a matching form; {@link formHash} gives the same for the tokens. */
function foldHash(h: number, tokenHash: number): number {
  return Math.imul(h ^ tokenHash, 0x5bd1e995) & 0x3fffffff;
}

/** Hash of a matching form given as tokens (as {@link maskMessage} computes it). */
export function formHash(tokens: readonly string[]): number {
  let h = 0x2545f491;
  for (const t of tokens) h = foldHash(h, stringHash(t));
  return h;
}

const WILDCARD_ENTRY: MaskedToken = { m: WILDCARD, v: true, k: WILDCARD, kh: stringHash(WILDCARD), date: false, q: false };


function maskEntry(token: string): MaskedToken {
  const m = maskToken(token);
  if (m === WILDCARD) return WILDCARD_ENTRY;
  const v = isVariableToken(m);
  const unit = v ? undefined : RE_UNIT.exec(m)?.[1];
  const k = v ? WILDCARD : keyForm(m);
  return {
    m,
    v,
    k,
    kh: stringHash(k),
    ...(unit !== undefined ? { unit } : {}),
    date: RE_DATE_WORD.test(m),
    q: m === '<*>"' || m === "<*>'",
  };
}

/**
 * A bounded memo of token masking. Masking depends on where digits are, not which digits, so a
 * token is looked up by its shape (every digit read as `0`), hashed straight from the line without
 * cutting the token out; results holding a digit (`ssh2`) are not shared. Cleared when it reaches
 * `maxEntries`, so memory stays bounded on any stream.
 */
/**
 * `text` as a string of its own. V8 keeps a slice of 13 or more characters as a view into the
 * string it was cut from, so a token the miner keeps (a cached shape, a template word, a sample)
 * would keep the whole read chunk of its line alive; the copy keeps only itself. Called on the
 * paths that store (a new shape, form or template), not per line.
 */
export function ownString(text: string): string {
  return text.length < 13 ? text : (` ${text}`).slice(1);
}

export class TokenCache {
  private readonly table = new Map<number, { shape: string; check: number; entry: MaskedToken }>();
  constructor(private readonly maxEntries = 50_000) {}

  /** Masks `line.slice(start, end)`. */
  at(line: string, start: number, end: number): MaskedToken {
    let h = 0x811c9dc5;
    let digits = 0;
    for (let i = start; i < end; i++) {
      let c = line.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        c = 48;
        digits++;
      }
      h = Math.imul(h ^ c, 0x01000193);
    }
    return this.lookup(line, start, end, h, digits);
  }

  /**
   * Masks `line.slice(start, end)` given its shape hash `h` (FNV-1a over the characters, digits
   * read as `0`, not yet finalized) and its number of digits, as {@link maskMessage} computes them
   * while it splits the line.
   */
  lookup(line: string, start: number, end: number, h: number, digits: number, h2?: number): MaskedToken {
    if (digits === end - start) return WILDCARD_ENTRY;
    h = (h ^ (end - start)) & 0x3fffffff;
    const hit = this.table.get(h);
    if (hit !== undefined) {
      // a second, independent 32-bit hash (when the caller has one) stands in for comparing the shape
      if (h2 !== undefined ? hit.check === (h2 ^ (end - start)) >>> 0 : sameShape(line, start, end, hit.shape)) return hit.entry;
    }
    const token = ownString(line.slice(start, end));
    const entry = maskEntry(token);
    if (digits === 0 || !RE_HAS_DIGIT.test(entry.m)) {
      if (this.table.size >= this.maxEntries) this.table.clear();
      const shape = digits === 0 ? token : token.replace(RE_ANY_DIGIT, '0');
      this.table.set(h, { shape, check: (secondHash(shape) ^ shape.length) >>> 0, entry });
    }
    return entry;
  }

  /** Masks one token. */
  get(token: string): MaskedToken {
    return this.at(token, 0, token.length);
  }
}

/** The second shape hash (multiplier 0x5bd1e995), as {@link maskMessage} computes it. */
function secondHash(shape: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < shape.length; i++) h = Math.imul(h ^ shape.charCodeAt(i), 0x5bd1e995);
  return h;
}

function sameShape(line: string, start: number, end: number, shape: string): boolean {
  if (shape.length !== end - start) return false;
  for (let i = start, j = 0; i < end; i++, j++) {
    let c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) c = 48;
    if (c !== shape.charCodeAt(j)) return false;
  }
  return true;
}

const RE_ANY_DIGIT = /\d/g;
const RE_HAS_DIGIT = /\d/;

/**
 * Arrays {@link maskMessage} may fill instead of allocating new ones (one per miner): the result
 * then shares them and is valid until the next call with the same scratch.
 */
export interface MaskScratch {
  readonly display: string[];
  readonly kinds: MaskedToken[];
  readonly key: string[];
}

/** A message tokenized and masked. */
export interface MaskedMessage {
  /** Masked tokens as the template writes them (one per whitespace token, units and dates absorbed). */
  readonly display: string[];
  /**
   * The matching form: like `display`, with each run of variable tokens reduced to one `<*>` and
   * `key=<value holding a variable>` reduced to `key=<*>`.
   */
  readonly key: string[];
  /** {@link formHash} of `key`. */
  readonly keyHash: number;
}

/**
 * Tokenizes and masks a message (its first line only when it has several). Besides the token
 * rules of {@link maskToken}: a unit after a value joins it (`5.2 KB` -> `<*>`, `1190 bytes` ->
 * `<*>`), and a date written with weekday/month names is one value (`Fri Jul  1 07:57:30 2005` -> `<*>`).
 */
export function maskMessage(message: string, cache?: TokenCache, scratch?: MaskScratch): MaskedMessage {
  const nl = message.indexOf('\n');
  const first = nl >= 0 ? message.slice(0, nl) : message;
  let display: string[] = scratch ? scratch.display : [];
  let kinds: MaskedToken[] = scratch ? scratch.kinds : [];
  display.length = 0;
  kinds.length = 0;
  let hasDate = false;
  let hasQuotedVar = false;
  const len = first.length;
  let start = -1;
  let h = 0;
  let h2 = 0;
  let digits = 0;
  for (let i = 0; i <= len; i++) {
    let c = i < len ? first.charCodeAt(i) : 32;
    if (c > 32 || !isSpace(c)) {
      if (start < 0) {
        start = i;
        h = 0x811c9dc5;
        h2 = 0x9747b28c;
        digits = 0;
      }
      if (c >= 48 && c <= 57) {
        c = 48;
        digits++;
      }
      h = Math.imul(h ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      continue;
    }
    if (start < 0) continue;
    const entry = cache ? cache.lookup(first, start, i, h, digits, h2) : maskEntry(first.slice(start, i));
    start = -1;
    const n = display.length;
    if (entry.unit !== undefined && n > 0 && kinds[n - 1]!.v) {
      display[n - 1] = display[n - 1]! + entry.unit;
      continue;
    }
    display.push(entry.m);
    kinds.push(entry);
    if (entry.date) hasDate = true;
    if (entry.q) hasQuotedVar = true;
  }
  // A variable inside a quoted string spanning several tokens is one value: `"GET <*> <*>"` -> `"GET <*>"`.
  if (hasQuotedVar) {
    for (let i = display.length - 1; i > 0; i--) {
      const t = display[i]!;
      if ((t === '<*>"' || t === "<*>'") && display[i - 1] === WILDCARD) {
        const q = t[3]!;
        let open = false;
        for (let j = i - 2; j >= 0; j--) {
          if (display[j]!.includes(q)) {
            open = display[j]!.startsWith(q) && !display[j]!.endsWith(q);
            break;
          }
        }
        if (open) {
          display.splice(i - 1, 2, t);
          kinds.splice(i - 1, 2, kinds[i]!);
        }
      }
    }
  }
  // Dates: a weekday/month name next to a variable joins it, and the run becomes one <*>.
  if (hasDate) {
    const out: string[] = [];
    const outKinds: MaskedToken[] = [];
    let i = 0;
    while (i < display.length) {
      if (kinds[i]!.date || display[i] === WILDCARD) {
        let j = i;
        let words = 0;
        let vars = 0;
        while (j < display.length && (kinds[j]!.date || kinds[j]!.v)) {
          if (kinds[j]!.date) words++;
          else vars++;
          j++;
        }
        if (words > 0 && vars > 0) {
          out.push(WILDCARD);
          outKinds.push(WILDCARD_ENTRY);
          i = j;
          continue;
        }
      }
      out.push(display[i]!);
      outKinds.push(kinds[i]!);
      i++;
    }
    display = out;
    kinds = outKinds;
  }
  const key: string[] = scratch ? scratch.key : [];
  key.length = 0;
  let keyHash = 0x2545f491;
  let lastVar = false;
  for (let i = 0; i < display.length; i++) {
    const k = kinds[i]!;
    if (k.v && lastVar) continue;
    key.push(k.k);
    keyHash = foldHash(keyHash, k.kh);
    lastVar = k.v;
  }
  return { display, key, keyHash };
}
