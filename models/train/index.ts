/**
 * `npm run train`: trains the embedded encoder `ops-encoder` from `models/corpus/train.jsonl` and
 * writes the transformers.js model folder `models/ops-encoder/` (`config.json`, `tokenizer.json`,
 * `tokenizer_config.json`, `onnx/model.onnx`, `metrics.json`), then records the model's sha256 in
 * `models/manifest.json`.
 *
 * `npm run train -- --check` trains into a temporary folder and compares the bytes of the fresh
 * `onnx/model.onnx` with the committed one (exit 1 on a difference): the reproducibility check.
 *
 * Deterministic: a seeded PRNG, fixed iteration order; the same corpus gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { CATEGORIES, isCategory, type Category } from '../../functions/core/model/categories.js';
import { buildVocab, tokenizerConfig, tokenizerJson } from './tokenizer.js';
import { initParams, predict, train, type EncoderParams, type Example } from './encoder.js';
import { exportOnnx } from './export.js';
import { checkReproduced } from './check.js';
import { scoreHeldout, type HeldoutMetrics } from './metrics.js';
import { upsertManifestEntry } from '../../functions/adapters/onnx/manifest.js';

const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One corpus line as stored in `models/corpus/*.jsonl`. */
export interface LabelledText {
  readonly text: string;
  readonly label: Category;
  readonly family?: string;
}

/** Options of {@link trainEncoder}. Defaults are the shipped model's. */
export interface TrainEncoderOptions {
  readonly train: readonly LabelledText[];
  readonly heldout: readonly LabelledText[];
  /** Folder to write the model into (created). */
  readonly outDir: string;
  readonly dim?: number;
  readonly epochs?: number;
  readonly seed?: number;
  /** Tokens per text including `[CLS]`/`[SEP]` (tokenizer `model_max_length`). */
  readonly maxLength?: number;
  /** Label set, in id order; defaults to every category. */
  readonly labels?: readonly Category[];
  readonly log?: (line: string) => void;
}

/** What {@link trainEncoder} wrote. */
export interface TrainResult {
  readonly sha256: string;
  readonly bytes: number;
  readonly metrics: HeldoutMetrics;
  readonly vocabSize: number;
  /** The trained parameters (what `onnx/model.onnx` holds). */
  readonly params: EncoderParams;
}

/**
 * Reads a `.jsonl` corpus file.
 * @throws Error naming the file and line when a line is not `{ text, label }` with a known category.
 */
export function readCorpus(path: string): LabelledText[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((line, i) => {
    const v = JSON.parse(line) as { text?: unknown; label?: unknown; family?: unknown };
    if (typeof v.text !== 'string' || !isCategory(v.label)) throw new Error(`${path}:${i + 1}: expected {"text": string, "label": <category>}`);
    return { text: v.text, label: v.label, family: typeof v.family === 'string' ? v.family : undefined };
  });
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Trains the encoder on `options.train`, scores it on `options.heldout` and writes the model folder.
 * Deterministic: equal inputs and options give byte-identical files.
 */
export async function trainEncoder(options: TrainEncoderOptions): Promise<TrainResult> {
  const dim = options.dim ?? 64;
  const epochs = options.epochs ?? 10;
  const seed = options.seed ?? 4;
  const maxLength = options.maxLength ?? 128;
  const labels = options.labels ?? CATEGORIES;
  const log = options.log ?? (() => {});
  const outDir = resolve(options.outDir);
  mkdirSync(join(outDir, 'onnx'), { recursive: true });

  const vocab = buildVocab(options.train.map((t) => t.text));
  writeFileSync(join(outDir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab), null, 2) + '\n');
  writeFileSync(join(outDir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig(maxLength), null, 2) + '\n');

  // Tokenize with the very tokenizer the runtime uses, so training and inference agree.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  const tokenizer = await AutoTokenizer.from_pretrained(outDir, { local_files_only: true });
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const encode = (text: string): number[] => {
    const ids = tokenizer.encode(text) as number[];
    return ids.length <= maxLength ? ids : [...ids.slice(0, maxLength - 1), ids[ids.length - 1]!];
  };
  const toExamples = (rows: readonly LabelledText[]): Example[] =>
    rows.map((r) => {
      const label = labelIndex.get(r.label);
      if (label === undefined) throw new Error(`label ${r.label} is not in the label set`);
      return { ids: encode(r.text), label };
    });
  const trainExamples = toExamples(options.train);
  const heldoutExamples = toExamples(options.heldout);
  log(`vocabulary ${vocab.size} tokens; ${trainExamples.length} training, ${heldoutExamples.length} held-out examples`);

  const params = initParams(vocab.size, dim, labels.length, seed);
  train(params, trainExamples, {
    dim, epochs, batchSize: 32, learningRate: 0.004, tokenDropout: 0.15, seed, unkId: vocab.get('[UNK]')!,
    onEpoch: (e, loss) => log(`epoch ${e}/${epochs} loss ${loss.toFixed(4)}`),
  });

  const ranked = heldoutExamples.map((ex) => {
    const p = predict(params, ex.ids);
    return labels.map((l, i) => ({ l, s: p[i]! })).sort((a, b) => b.s - a.s).map((x) => x.l);
  });
  const metrics = scoreHeldout(ranked, options.heldout.map((r) => r.label));

  const corpusHash = sha256(Buffer.from(options.train.map((t) => `${t.label}\t${t.text}`).join('\n')));
  const onnxBytes = exportOnnx(params, `ops-encoder; corpus sha256 ${corpusHash}; dim ${dim}; epochs ${epochs}; seed ${seed}`);
  writeFileSync(join(outDir, 'onnx', 'model.onnx'), onnxBytes);
  const config = {
    model_type: 'bert',
    architectures: ['BertForSequenceClassification'],
    hidden_size: dim,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: dim,
    max_position_embeddings: maxLength,
    vocab_size: vocab.size,
    pad_token_id: 0,
    problem_type: 'single_label_classification',
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    'transformers.js_config': { dtype: 'fp32' },
    ops_assistant: { architecture: 'embedding + width-3 conv mixer (residual, tanh) + masked mean pooling + linear', corpus_sha256: corpusHash, seed, epochs },
  };
  writeFileSync(join(outDir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(join(outDir, 'metrics.json'), JSON.stringify({ heldout: metrics }, null, 2) + '\n');
  return { sha256: sha256(onnxBytes), bytes: onnxBytes.length, metrics, vocabSize: vocab.size, params };
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('train')
    .description('Train the embedded ops-encoder model from models/corpus and write models/ops-encoder/')
    .option('--check', 'train into a temporary folder and compare onnx/model.onnx with the committed one')
    .option('--quiet', 'print only the result')
    .option('--out <dir>', 'experiment: write the model folder here instead (the manifest is not touched)')
    .option('--epochs <n>', 'experiment: epochs (default 10)', (v) => Number(v))
    .option('--dim <n>', 'experiment: hidden size (default 64)', (v) => Number(v))
    .parse(argv);
  const opts = program.opts<{ check?: boolean; quiet?: boolean; out?: string; epochs?: number; dim?: number }>();
  const train = readCorpus(join(MODELS_DIR, 'corpus', 'train.jsonl'));
  const heldout = readCorpus(join(MODELS_DIR, 'corpus', 'heldout.jsonl'));
  const committedDir = join(MODELS_DIR, 'ops-encoder');
  const outDir = opts.check ? mkdtempSync(join(tmpdir(), 'ops-encoder-check-')) : opts.out ? resolve(opts.out) : committedDir;
  const started = Date.now();
  const result = await trainEncoder({ train, heldout, outDir, epochs: opts.epochs, dim: opts.dim, log: opts.quiet ? undefined : (l) => console.log(l) });
  const m = result.metrics.overall;
  console.log(`trained in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.bytes} bytes, sha256 ${result.sha256}; held-out top-1 ${m.top1}, top-3 ${m.top3} (n=${m.n})`);
  if (opts.check) {
    checkReproduced(committedDir, outDir, ['onnx/model.onnx', 'config.json', 'tokenizer.json', 'tokenizer_config.json', 'metrics.json']);
    return;
  }
  if (opts.out) return;
  await upsertManifestEntry(MODELS_DIR, {
    id: 'ops-encoder', task: 'text-classification', path: 'ops-encoder', sha256: result.sha256,
    source: 'trained by models/train (npm run train) on models/corpus/train.jsonl', license: 'Apache-2.0',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv).catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack ?? e.message : String(e));
    process.exitCode = 1;
  });
}
