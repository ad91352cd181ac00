/**
 * `npm run train:intent`: trains the intent model `ops-intent` from `models/intent/corpus/train.jsonl`
 * and writes the model folder `models/ops-intent/` (`config.json`, `tokenizer.json`,
 * `tokenizer_config.json`, `onnx/model.onnx`, `metrics.json`), then records its sha256 in
 * `models/manifest.json`.
 *
 * `npm run train:intent -- --check` trains into a temporary folder and compares every file with the
 * committed one (exit 1 on a difference): the byte-for-byte reproducibility check.
 *
 * The folder is a transformers.js text-classification folder, loaded by the same loader as
 * `ops-encoder`; its `input_ids` are hashed n-gram features (`ops_assistant.features` in
 * `config.json`, computed by `functions/adapters/onnx/intent-features.ts`), not tokenizer ids: the
 * bundled `tokenizer.json` holds only the special tokens the loader requires.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { DEFAULT_INTENT_FEATURES, intentFeatureIds, type IntentFeatureConfig } from '../../functions/adapters/onnx/intent-features.js';
import { upsertManifestEntry } from '../../functions/adapters/onnx/manifest.js';
import { INTENT_LABELS, type IntentLabel } from '../intent/corpus/templates.js';
import { exportIntentOnnx, initIntentParams, predictIntent, trainIntent, type IntentParams } from './intent-model.js';
import { SPECIAL_TOKENS, tokenizerConfig, tokenizerJson } from './tokenizer.js';
import { checkReproduced } from './check.js';

const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const INTENT_MODEL_ID = 'ops-intent';
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'metrics.json', 'onnx/model.onnx'];

export interface IntentCorpusLine {
  readonly text: string;
  readonly label: IntentLabel;
  readonly style?: string;
}

/** Reads a `.jsonl` intent corpus. @throws Error naming the line when it is not `{ text, label }` with a known label. */
export function readIntentCorpus(path: string): IntentCorpusLine[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((line, i) => {
    const v = JSON.parse(line) as { text?: unknown; label?: unknown; style?: unknown };
    if (typeof v.text !== 'string' || !(INTENT_LABELS as readonly unknown[]).includes(v.label)) throw new Error(`${path}:${i + 1}: expected {"text": string, "label": <intent label>}`);
    return { text: v.text, label: v.label as IntentLabel, style: typeof v.style === 'string' ? v.style : undefined };
  });
}

export interface TrainIntentOptions {
  readonly train: readonly IntentCorpusLine[];
  readonly heldout: readonly IntentCorpusLine[];
  readonly outDir: string;
  readonly dim?: number;
  readonly epochs?: number;
  readonly seed?: number;
  readonly features?: IntentFeatureConfig;
  readonly log?: (line: string) => void;
}

export interface TrainIntentResult {
  readonly sha256: string;
  readonly bytes: number;
  readonly heldout: { n: number; accuracy: number; intentAccuracy: number };
  readonly params: IntentParams;
}

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
const intentOf = (label: string): string => label.split(':')[0]!;

/** Trains, scores on the held-out split and writes the model folder. Deterministic. */
export async function trainIntentModel(options: TrainIntentOptions): Promise<TrainIntentResult> {
  const dim = options.dim ?? 24;
  const epochs = options.epochs ?? 30;
  const seed = options.seed ?? 7;
  const features = options.features ?? DEFAULT_INTENT_FEATURES;
  const log = options.log ?? (() => {});
  const outDir = resolve(options.outDir);
  mkdirSync(join(outDir, 'onnx'), { recursive: true });
  const labelIndex = new Map<string, number>(INTENT_LABELS.map((l, i) => [l, i]));
  const toExamples = (rows: readonly IntentCorpusLine[]) => rows.map((r) => ({ ids: intentFeatureIds(r.text, features), label: labelIndex.get(r.label)! }));
  const trainExamples = toExamples(options.train);
  const heldoutExamples = toExamples(options.heldout);
  log(`${trainExamples.length} training, ${heldoutExamples.length} held-out examples; ${features.buckets} buckets, dim ${dim}`);

  const params = initIntentParams(features.buckets + 1, dim, INTENT_LABELS.length, seed);
  trainIntent(params, trainExamples, { epochs, learningRate: 0.4, dropout: 0.2, seed, onEpoch: (e, loss) => log(`epoch ${e}/${epochs} loss ${loss.toFixed(4)}`) });

  let ok = 0;
  let intentOk = 0;
  const confusions = new Map<string, number>();
  heldoutExamples.forEach((ex) => {
    const prob = predictIntent(params, ex.ids);
    let best = 0;
    for (let l = 1; l < prob.length; l++) if (prob[l]! > prob[best]!) best = l;
    if (best === ex.label) ok++;
    if (intentOf(INTENT_LABELS[best]!) === intentOf(INTENT_LABELS[ex.label]!)) intentOk++;
    else {
      const key = `${INTENT_LABELS[ex.label]} → ${INTENT_LABELS[best]}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
    }
  });
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const heldout = { n: heldoutExamples.length, accuracy: round(ok / Math.max(1, heldoutExamples.length)), intentAccuracy: round(intentOk / Math.max(1, heldoutExamples.length)) };

  const corpusHash = sha256(options.train.map((t) => `${t.label}\t${t.text}`).join('\n'));
  const onnxBytes = exportIntentOnnx(params, `ops-intent; corpus sha256 ${corpusHash}; dim ${dim}; epochs ${epochs}; seed ${seed}`);
  writeFileSync(join(outDir, 'onnx', 'model.onnx'), onnxBytes);
  const specials = new Map<string, number>(SPECIAL_TOKENS.map((t, i) => [t, i]));
  writeFileSync(join(outDir, 'tokenizer.json'), JSON.stringify(tokenizerJson(specials), null, 2) + '\n');
  writeFileSync(join(outDir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig(features.maxFeatures), null, 2) + '\n');
  const config = {
    model_type: 'bert',
    architectures: ['BertForSequenceClassification'],
    hidden_size: dim,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: dim,
    max_position_embeddings: features.maxFeatures,
    vocab_size: features.buckets + 1,
    pad_token_id: 0,
    problem_type: 'single_label_classification',
    id2label: Object.fromEntries(INTENT_LABELS.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(INTENT_LABELS.map((l, i) => [l, i])),
    'transformers.js_config': { dtype: 'fp32' },
    ops_assistant: {
      architecture: 'hashed word + char n-gram embeddings, mean pooled, linear (fastText style)',
      features, corpus_sha256: corpusHash, seed, epochs,
      note: 'input_ids are hashed n-gram features (functions/adapters/onnx/intent-features.ts), not tokenizer ids',
    },
  };
  writeFileSync(join(outDir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(join(outDir, 'metrics.json'), JSON.stringify({ heldout, confusions: Object.fromEntries([...confusions].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) }, null, 2) + '\n');
  return { sha256: sha256(onnxBytes), bytes: onnxBytes.length, heldout, params };
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('train:intent')
    .description('Train the intent model ops-intent from models/intent/corpus and write models/ops-intent/')
    .option('--check', 'train into a temporary folder and compare every file with the committed folder')
    .option('--quiet', 'print only the result')
    .option('--out <dir>', 'experiment: write the model folder here instead (the manifest is not touched)')
    .option('--epochs <n>', 'experiment: epochs (default 30)', (v) => Number(v))
    .option('--dim <n>', 'experiment: embedding size (default 24)', (v) => Number(v))
    .parse(argv);
  const opts = program.opts<{ check?: boolean; quiet?: boolean; out?: string; epochs?: number; dim?: number }>();
  const corpusDir = join(MODELS_DIR, 'intent', 'corpus');
  const train = readIntentCorpus(join(corpusDir, 'train.jsonl'));
  const heldout = readIntentCorpus(join(corpusDir, 'heldout.jsonl'));
  const committedDir = join(MODELS_DIR, INTENT_MODEL_ID);
  const outDir = opts.check ? mkdtempSync(join(tmpdir(), 'ops-intent-check-')) : opts.out ? resolve(opts.out) : committedDir;
  const started = Date.now();
  const result = await trainIntentModel({ train, heldout, outDir, epochs: opts.epochs, dim: opts.dim, log: opts.quiet ? undefined : (l) => console.log(l) });
  console.log(`trained in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.bytes} bytes, sha256 ${result.sha256}; held-out label accuracy ${result.heldout.accuracy}, intent accuracy ${result.heldout.intentAccuracy} (n=${result.heldout.n})`);
  if (opts.check) {
    checkReproduced(committedDir, outDir, FILES);
    return;
  }
  if (opts.out) return;
  await upsertManifestEntry(MODELS_DIR, {
    id: INTENT_MODEL_ID, task: 'text-classification', path: INTENT_MODEL_ID, sha256: result.sha256,
    source: 'trained by models/train/intent.ts (npm run train:intent) on models/intent/corpus/train.jsonl', license: 'Apache-2.0',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv).catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack ?? e.message : String(e));
    process.exitCode = 1;
  });
}
