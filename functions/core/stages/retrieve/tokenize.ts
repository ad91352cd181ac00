/**
 * Term processing shared by the runbook index and similar-incident search, so that queries and
 * documents are tokenized alike.
 *
 * Splits on whitespace and punctuation (so `oom_killed` gives `oom`, `killed`), lower-cases,
 * drops English stop words and one-character terms, and also indexes the parts of CamelCase
 * words (`CrashLoopBackOff` → `crashloopbackoff`, `crash`, `loop`, `back`, `off`) because
 * Kubernetes reasons are written that way while prose splits them.
 */

const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have he her his how i if in into is it its ' +
    'may me might more most my no not of on or our out over own so some such than that the their them then there ' +
    'these they this those through to too under up us very was we were what when where which while who why will ' +
    'with would you your'
  ).split(' '),
);

const SPLIT = /[\s\p{P}\p{S}]+/u;
const CAMEL_PARTS = /[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+/g;

/** Splits text into raw words (case kept), for {@link processTerm}. */
export function tokenize(text: string): string[] {
  return text.split(SPLIT).filter((w) => w.length > 0);
}

/**
 * Normalizes one word into index terms: `[]`-like `null` when it is a stop word or too short.
 * Words longer than 64 characters (hashes, base64) are dropped: they never help retrieval.
 */
export function processTerm(word: string): string[] | null {
  if (word.length < 2 || word.length > 64) return null;
  const lower = word.toLowerCase();
  const terms: string[] = [];
  if (!STOP_WORDS.has(lower)) terms.push(lower);
  if (/[a-z][A-Z]|[A-Z]{2}[a-z]/.test(word)) {
    for (const part of word.match(CAMEL_PARTS) ?? []) {
      const p = part.toLowerCase();
      if (p.length >= 2 && !STOP_WORDS.has(p) && !terms.includes(p)) terms.push(p);
    }
  }
  return terms.length > 0 ? terms : null;
}
