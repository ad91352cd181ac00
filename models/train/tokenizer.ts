/**
 * WordPiece vocabulary and the Hugging Face `tokenizer.json` of the embedded model.
 *
 * Format: the Hugging Face tokenizers serialization (`tokenizer.json`: normalizer, pre_tokenizer,
 * model, post_processor, decoder), as written by `tokenizers` for `bert-base-uncased`
 * (https://huggingface.co/docs/tokenizers/api/models#tokenizers.models.WordPiece). transformers.js
 * loads it with `AutoTokenizer` (BertTokenizer).
 *
 * The vocabulary holds the special tokens, every lower-cased word seen at least `minCount` times in
 * the training split, word-initial stems of the longer words and a few English suffix pieces
 * (`##ing`, `##ed`, …), so inflections of known words split into stem + suffix while random ids
 * (pod hashes, request ids) become a single `[UNK]`.
 */

/** Special tokens, in id order. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const SUFFIXES = ['s', 'es', 'ed', 'd', 'ing', 'er', 'ers', 'ion', 'ions', 'ly', 'y', 'ies', 'ment', 'able', 'ure', 'ity', 'al', 'or', 'ors'];

/**
 * Splits text the way BertNormalizer (lowercase) + BertPreTokenizer do: whitespace, then every
 * punctuation or symbol character as its own word. Used only to count words for the vocabulary;
 * the ids the model sees come from the real tokenizer (transformers.js) at training time.
 */
export function preTokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
}

/** Builds the WordPiece vocabulary (token -> id), deterministic for the same texts. */
export function buildVocab(texts: readonly string[], options: { minCount?: number; maxSize?: number } = {}): Map<string, number> {
  const minCount = options.minCount ?? 2;
  const maxSize = options.maxSize ?? 6000;
  const counts = new Map<string, number>();
  for (const text of texts) for (const w of preTokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  // Words kept: frequent, not pure hex ids of 6+ chars; most frequent first, ties by code-point order.
  const words = [...counts.entries()]
    .filter(([w, c]) => c >= minCount && w.length <= 40 && !(/^[0-9a-f]{6,}$/.test(w) && /\d/.test(w)))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([w]) => w);
  const vocab = new Map<string, number>();
  const add = (t: string): void => {
    if (!vocab.has(t) && vocab.size < maxSize) vocab.set(t, vocab.size);
  };
  SPECIAL_TOKENS.forEach(add);
  for (const w of words) add(w);
  for (const s of SUFFIXES) add(`##${s}`);
  // Stems: the word without its last 2-4 letters, for alphabetic words of 7+ letters.
  for (const w of words) {
    if (!/^[a-z]{7,}$/.test(w)) continue;
    for (let cut = 2; cut <= 4; cut++) add(w.slice(0, w.length - cut));
  }
  return vocab;
}

/** The `tokenizer.json` document for `vocab` (BERT uncased layout: `[CLS] $A [SEP]`). */
export function tokenizerJson(vocab: ReadonlyMap<string, number>): Record<string, unknown> {
  const id = (t: string): number => vocab.get(t)!;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: id(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab),
    },
  };
}

/** The `tokenizer_config.json` document (BertTokenizer, uncased). */
export function tokenizerConfig(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: maxLength,
    cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]',
    clean_up_tokenization_spaces: true,
    strip_accents: null,
    tokenize_chinese_chars: true,
  };
}
