import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AutoTokenizer } from '@huggingface/transformers';
import { readCorpus, trainEncoder, type LabelledText } from '../../models/train/index.js';
import { predict } from '../../models/train/encoder.js';
import { buildCorpus, realDevLines } from '../../models/corpus/generate.js';
import { splitOf } from '../../eval/incidents-split.js';
import { createClassifier, resetModelCache, sha256File } from '../../functions/adapters/onnx/index.js';
import type { Category } from '../../functions/core/model/categories.js';
import { MODELS_DIR } from './helpers.js';

const LABELS: Category[] = ['disk_full', 'dns_resolution', 'lambda_timeout', 'deadlock'];
const subset = (rows: readonly LabelledText[], per: number): LabelledText[] =>
  LABELS.flatMap((l) => rows.filter((r) => r.label === l).slice(0, per));

afterAll(async () => {
  await resetModelCache();
});

describe('corpus', () => {
  it('the committed jsonl files are what the seeded generator writes, and the held-out families never appear in training', () => {
    const { train, heldout } = buildCorpus();
    const read = (f: string) => readFileSync(path.join(MODELS_DIR, 'corpus', f), 'utf8');
    expect(read('train.jsonl')).toBe(train.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(read('heldout.jsonl')).toBe(heldout.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const trainFamilies = new Set(train.map((l) => l.family));
    expect(heldout.some((l) => trainFamilies.has(l.family))).toBe(false);
    const trainTexts = new Set(train.map((l) => l.text));
    expect(heldout.filter((l) => trainTexts.has(l.text)).length).toBeLessThan(heldout.length * 0.02);
  });

  it('real lines come from the incident corpus\'s dev split only: a test-split case is never read', () => {
    expect(buildCorpus().real).toBeGreaterThan(100);
    const dir = mkdtempSync(path.join(tmpdir(), 'cases-'));
    const repoOf = (want: 'dev' | 'test'): string => {
      for (let i = 0; ; i++) if (splitOf({ source: `https://github.com/probe/repo-${i}/issues/1` }) === want) return `https://github.com/probe/repo-${i}/issues/1`;
    };
    const write = (name: string, source: string, line: string) => writeFileSync(path.join(dir, name), JSON.stringify({ source, input: `x\n${line}`, expected_category: 'disk_full', evidence_lines: [line] }));
    write('a.json', repoOf('dev'), 'write /data/x: no space left on device (dev case)');
    write('b.json', repoOf('test'), 'write /data/y: no space left on device (test case)');
    expect(realDevLines(dir).map((l) => l.text)).toEqual(['write /data/x: no space left on device (dev case)']);
  });
});

describe('trainEncoder', () => {
  const corpusTrain = subset(readCorpus(path.join(MODELS_DIR, 'corpus', 'train.jsonl')), 24);
  const corpusHeld = subset(readCorpus(path.join(MODELS_DIR, 'corpus', 'heldout.jsonl')), 6);
  const opts = { train: corpusTrain, heldout: corpusHeld, dim: 12, epochs: 3, labels: LABELS };

  it('is deterministic: two runs write byte-identical model folders', async () => {
    const a = mkdtempSync(path.join(tmpdir(), 'train-a-'));
    const b = mkdtempSync(path.join(tmpdir(), 'train-b-'));
    const ra = await trainEncoder({ ...opts, outDir: a });
    const rb = await trainEncoder({ ...opts, outDir: b });
    expect(ra.sha256).toBe(rb.sha256);
    for (const f of ['onnx/model.onnx', 'tokenizer.json', 'config.json', 'metrics.json']) {
      expect(readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f))), f).toBe(true);
    }
    // a different seed gives a different model (the seed really drives the run)
    const c = mkdtempSync(path.join(tmpdir(), 'train-c-'));
    expect((await trainEncoder({ ...opts, outDir: c, seed: 99 })).sha256).not.toBe(ra.sha256);
  });

  it('the exported ONNX graph computes what the trainer computes, and loads through the manifest', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'train-onnx-'));
    const dir = path.join(root, 'tiny');
    const result = await trainEncoder({ ...opts, outDir: dir });
    const sha = await sha256File(path.join(dir, 'onnx', 'model.onnx'));
    writeFileSync(path.join(root, 'manifest.json'), JSON.stringify([{ id: 'tiny', task: 'text-classification', path: 'tiny', sha256: sha, source: 'test', license: 'Apache-2.0' }]));
    const classifier = await createClassifier({ modelsDir: root, id: 'tiny' });
    const tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    const texts = corpusHeld.slice(0, 8).map((r) => r.text);
    const onnx = await classifier.classify(texts);
    texts.forEach((text, i) => {
      const ts = predict(result.params, tokenizer.encode(text) as number[]);
      for (const { category, score } of onnx[i]!) expect(score).toBeCloseTo(ts[LABELS.indexOf(category)]!, 4);
    });
  });
});
