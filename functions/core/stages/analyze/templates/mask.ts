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

/** Splits `text` on runs of whitespace; no empty tokens. */
export function splitWhitespace(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (start >= 0) {
        out.push(text.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
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

const RE_IP = /^\/?(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?$/;
const RE_URL = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+$/;
const RE_PATH = /^(?:[a-zA-Z]:)?(?:[\\/][^\\/\s]*){2,}$/;
const RE_UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const RE_HEX = /^(?:0[xX][0-9a-fA-F]+|[0-9a-fA-F]{8,}|(?:[0-9a-fA-F]{2}[:-]){3,}[0-9a-fA-F]{2}|(?:[0-9a-fA-F]{1,4}:){2,}[0-9a-fA-F:]*)$/;
const RE_NUMBER = /^[-+]?(?:\d+[.,]?)+(?:[eE][-+]?\d+)?[a-zA-Z%µ]{0,3}$/;

/** True when a part of a token is a value: it holds a digit, or it is a path or URL. */
function isVariablePart(part: string): boolean {
  for (let i = 0; i < part.length; i++) if (isDigit(part.charCodeAt(i))) return true;
  return false;
}

/** True when a stripped token is a value as a whole (so its inner punctuation is not kept). */
function isWholeValue(core: string, hasDigit: boolean): boolean {
  if (core.length === 0) return false;
  const c0 = core.charCodeAt(0);
  if ((c0 === 47 || c0 === 92) && RE_PATH.test(core)) return true; // `/` or `\`
  if (RE_URL.test(core)) return true;
  if (!hasDigit) return false;
  return RE_IP.test(core) || RE_NUMBER.test(core) || RE_UUID.test(core) || RE_HEX.test(core) || RE_PATH.test(core);
}

/**
 * Masks one whitespace-free token. Returns the token itself when nothing in it is variable.
 * @example maskToken('uid=0') === 'uid=<*>'; maskToken('(10.0.0.1:80)') === '(<*>)'
 */
export function maskToken(token: string): string {
  let hasDigit = false;
  let hasSep = false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= C.Zero && c <= C.Nine) hasDigit = true;
    else if (c < 128 && SEP[c] === 1) hasSep = true;
  }
  const c0 = token.charCodeAt(0);
  if (!hasDigit && c0 !== 47 && c0 !== 92 && !(hasSep && token.includes('://')) && !(c0 < 128 && LEAD[c0] === 1)) {
    return token;
  }
  // Whole-token value, wrapped in punctuation or not.
  let s = 0;
  let e = token.length;
  while (s < e && token.charCodeAt(s) < 128 && LEAD[token.charCodeAt(s)] === 1) s++;
  while (e > s && token.charCodeAt(e - 1) < 128 && TRAIL[token.charCodeAt(e - 1)] === 1) e--;
  const core = token.slice(s, e);
  if (isWholeValue(core, hasDigit)) return token.slice(0, s) + WILDCARD + token.slice(e);
  if (!hasDigit) return token;
  if (!hasSep) return WILDCARD;
  // Mask part by part between separators.
  let out = '';
  let partStart = 0;
  let lastWasVar = false;
  for (let i = 0; i <= token.length; i++) {
    const c = i < token.length ? token.charCodeAt(i) : -1;
    if (c === -1 || (c < 128 && SEP[c] === 1)) {
      if (i > partStart) {
        const part = token.slice(partStart, i);
        if (isVariablePart(part) || isWholeValue(part, false)) {
          if (!lastWasVar) out += WILDCARD;
          lastWasVar = true;
        } else {
          out += part;
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

/** A message split into tokens, variable parts masked. */
export interface MaskedMessage {
  /** Masked tokens, one per whitespace-separated token of the message. */
  readonly tokens: string[];
}

/** Tokenizes and masks a message (its first line only when it has several). */
export function maskMessage(message: string): string[] {
  const nl = message.indexOf('\n');
  const first = nl >= 0 ? message.slice(0, nl) : message;
  const raw = splitWhitespace(first);
  for (let i = 0; i < raw.length; i++) raw[i] = maskToken(raw[i]!);
  return raw;
}
