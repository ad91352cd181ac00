import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntentClassifier, intentFeatureIds, intentFeatureStrings, loadModelFromManifest, readManifest, resetModelCache, sha256File } from '../../functions/adapters/onnx/index.js';
import type { IntentClassifier } from '../../functions/core/ask/ports.js';
import { generateIntentCorpus } from '../../models/intent/corpus/generate.js';
import { INTENT_LABELS } from '../../models/intent/corpus/templates.js';
import { readIntentCorpus, trainIntentModel } from '../../models/train/intent.js';
import { MODELS_DIR } from './helpers.js';

const MODEL_DIR = path.join(MODELS_DIR, 'ops-intent');
let classifier: IntentClassifier;

beforeAll(async () => {
  classifier = await createIntentClassifier({ modelsDir: MODELS_DIR });
});
afterAll(async () => {
  await resetModelCache();
});

const top = async (q: string) => {
  const [best] = await classifier.classify(q);
  return best!.verb ? `${best!.intent}:${best!.verb}` : best!.intent;
};

describe('ops-intent: the model through the shared loader', () => {
  it('is in the manifest with its sha256, source and license, and the loader verifies it', async () => {
    const entry = (await readManifest(MODELS_DIR)).find((e) => e.id === 'ops-intent');
    expect(entry).toMatchObject({ task: 'text-classification', path: 'ops-intent', license: 'Apache-2.0' });
    expect(entry!.source).toMatch(/models\/train\/intent\.ts/);
    expect(await sha256File(path.join(MODEL_DIR, 'onnx', 'model.onnx'))).toBe(entry!.sha256);
    const loaded = await loadModelFromManifest(MODELS_DIR, 'ops-intent');
    expect(loaded.sha256).toBe(entry!.sha256);
    expect(classifier.sha256).toBe(entry!.sha256);
  });

  it('is small (≤ 5 MB) and classifies in a few milliseconds once loaded', async () => {
    expect(statSync(path.join(MODEL_DIR, 'onnx', 'model.onnx')).size).toBeLessThanOrEqual(5 * 1024 * 1024);
    await classifier.classify('warm up');
    const started = performance.now();
    for (let i = 0; i < 20; i++) await classifier.classify(`why is checkout-${i} slow in prod`);
    expect((performance.now() - started) / 20).toBeLessThan(50);
  });

  it('gives every label a probability, best first, summing to 1', async () => {
    const readings = await classifier.classify('is payments healthy now?');
    expect(readings).toHaveLength(INTENT_LABELS.length);
    expect(readings.reduce((s, r) => s + r.score, 0)).toBeCloseTo(1, 5);
    expect(readings[0]!.score).toBeGreaterThanOrEqual(readings[1]!.score);
  });

  it.each([
    ['restrat chekout -n shop', 'kubernetes_action:restart'],
    ['pls scael paymnets to 4 replcias', 'kubernetes_action:scale'],
    ['kubectl scale deploy/cart --replicas 6 -n shop', 'kubernetes_action:scale'],
    ['k rollout undo deploy/ledger -n billing', 'kubernetes_action:rollback'],
    ['why is chekout so slwo', 'latency'],
    ['is paymnets helthy rn?', 'health'],
    ['chekout pods keep dying??', 'diagnose'],
    ['lst 20 erors of cart pls', 'search_errors'],
    ['wat changed in orders ns since yday', 'changes'],
    ['has this hapened befor to the billing svc?', 'history'],
    ['Back-off restarting failed container\nwhat now?', 'knowledge'],
    ['how 2 debug a pendng pvc in k8s', 'knowledge'],
    ['alert me when 5xx on checkout-tg is over 2% for 5 min', 'infrastructure_as_code'],
    ['help', 'clarify'],
  ])('reads typos, abbreviations and kubectl fragments: %s → %s', async (q, want) => {
    expect(await top(q)).toBe(want);
  });
});

describe('ops-intent: features', () => {
  it('hashes word, bigram and character 3-5-gram features, so a misspelt word shares most of them', () => {
    const right = new Set(intentFeatureStrings('checkout').filter((f) => f.startsWith('c:')));
    const typo = intentFeatureStrings('chekout').filter((f) => f.startsWith('c:'));
    expect(typo.filter((f) => right.has(f)).length).toBeGreaterThanOrEqual(5);
    const ids = intentFeatureIds('why is checkout slow?');
    expect(ids.every((id) => id >= 1 && id <= 32768)).toBe(true);
    expect(intentFeatureIds('why is checkout slow?')).toEqual(ids);
  });
});

describe('ops-intent: corpus and reproducible training', () => {
  it('the committed corpus is what the seeded generator writes: ≥ 3,000 questions over every label', () => {
    const { train, heldout } = generateIntentCorpus();
    const read = (f: string) => readFileSync(path.join(MODELS_DIR, 'intent', 'corpus', f), 'utf8');
    expect(read('train.jsonl')).toBe(train.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(read('heldout.jsonl')).toBe(heldout.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(train.length + heldout.length).toBeGreaterThanOrEqual(3000);
    for (const label of INTENT_LABELS) expect(train.some((l) => l.label === label)).toBe(true);
    expect(new Set(train.map((l) => l.style)).size).toBeGreaterThan(10);
  });

  it('train:intent -- --check: a fresh training run reproduces the committed model folder byte for byte', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'ops-intent-test-'));
    try {
      const corpus = path.join(MODELS_DIR, 'intent', 'corpus');
      const result = await trainIntentModel({ train: readIntentCorpus(path.join(corpus, 'train.jsonl')), heldout: readIntentCorpus(path.join(corpus, 'heldout.jsonl')), outDir: out });
      for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'metrics.json', 'onnx/model.onnx']) {
        expect(readFileSync(path.join(out, f)).equals(readFileSync(path.join(MODEL_DIR, f))), f).toBe(true);
      }
      expect(result.heldout.intentAccuracy).toBeGreaterThan(0.9);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
