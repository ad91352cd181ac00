/**
 * Input features of the intent model `ops-intent`: hashed word unigrams, word bigrams and character
 * 3–5-grams of each word (fastText style: Joulin et al. 2016, arXiv:1607.01759; Bojanowski et al.
 * 2017, arXiv:1607.04606). A misspelt word ("restrat", "chekcout", "deplyoment") still shares most
 * of its character n-grams with the word it stands for, so the model reads it; an abbreviation
 * ("ns", "svc", "k8s") is a word of its own that the corpus teaches.
 *
 * The ids are what the model's `input_ids` input takes: FNV-1a (32-bit) of each feature string,
 * modulo `buckets`, plus one (0 is padding). The trainer (`models/train/intent.ts`) and the adapter
 * (`intent-classifier.ts`) both call {@link intentFeatureIds}, with the parameters recorded in the
 * model's `config.json` (`ops_assistant.features`), so training and inference agree.
 */

/** Feature parameters, as recorded in `config.json` → `ops_assistant.features`. */
export interface IntentFeatureConfig {
  readonly kind: 'hashed-ngrams';
  /** Hash buckets (embedding rows are `buckets + 1`; row 0 is padding). */
  readonly buckets: number;
  /** Shortest and longest character n-gram, over `<word>` with boundary marks. */
  readonly minN: number;
  readonly maxN: number;
  /** Most features per text (the rest are dropped; questions are short). */
  readonly maxFeatures: number;
}

export const DEFAULT_INTENT_FEATURES: IntentFeatureConfig = { kind: 'hashed-ngrams', buckets: 32768, minN: 3, maxN: 5, maxFeatures: 512 };

/**
 * Lower-cases (after NFKC), maps every digit to `0` (counts, ids and IPs read alike) and splits into
 * words (letters/digits, with inner `-`, `_`, `.`, `'`) and single punctuation marks.
 */
export function intentTokens(text: string): string[] {
  const t = text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/\p{Nd}/gu, '0');
  return t.match(/[\p{L}\p{N}]+(?:['_.\-][\p{L}\p{N}]+)*|[?!:/=]|-{1,2}(?=[a-z])/gu) ?? [];
}

/** FNV-1a, 32-bit, over UTF-16 code units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The feature strings of `text` (for tests and inspection). */
export function intentFeatureStrings(text: string, config: IntentFeatureConfig = DEFAULT_INTENT_FEATURES): string[] {
  const words = intentTokens(text);
  const out: string[] = [`len:${Math.min(words.length, 8)}`];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    out.push(`w:${w}`);
    if (i > 0) out.push(`b:${words[i - 1]}|${w}`);
    if (/^[\p{L}]/u.test(w) && w.length >= 2) {
      const marked = `<${w.slice(0, 30)}>`;
      for (let n = config.minN; n <= config.maxN; n++) {
        for (let s = 0; s + n <= marked.length; s++) out.push(`c:${marked.slice(s, s + n)}`);
      }
    }
  }
  return out.slice(0, config.maxFeatures);
}

/** The model's `input_ids` for `text`: ids in [1, buckets], in feature order (never empty). */
export function intentFeatureIds(text: string, config: IntentFeatureConfig = DEFAULT_INTENT_FEATURES): number[] {
  return intentFeatureStrings(text, config).map((f) => (fnv1a(f) % config.buckets) + 1);
}
