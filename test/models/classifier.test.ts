import { beforeAll, describe, expect, it } from 'vitest';
import type { CategoryClassifier, TextEmbedder } from '../../functions/core/ports/model.port.js';
import { createClassifier, createEmbedder, loadModelFromManifest } from '../../functions/adapters/onnx/index.js';
import { CATEGORIES } from '../../functions/core/model/categories.js';
import { MODELS_DIR } from './helpers.js';

let classifier: CategoryClassifier;
let embedder: TextEmbedder;

beforeAll(async () => {
  classifier = await createClassifier({ modelsDir: MODELS_DIR });
  embedder = await createEmbedder({ modelsDir: MODELS_DIR });
});

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('ops-encoder classifier', () => {
  it('names its model and hash', () => {
    expect(classifier.id).toBe('ops-encoder');
    expect(classifier.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['Warning  BackOff  2m (x14 over 9m)  kubelet  Back-off restarting failed container api in pod api-7d9c8b6f5-x2k4p_shop(1f0e)', 'app_crash'],
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'node_heap_oom'],
    ['2026-11-30T07:01:02Z 3f1c Task timed out after 30.03 seconds', 'lambda_timeout'],
    ['Warning  FailedScheduling  3m  default-scheduler  0/5 nodes are available: 5 Insufficient memory.', 'insufficient_memory'],
    ['x509: certificate signed by unknown authority', 'tls_cert_invalid'],
    ['ERROR:  deadlock detected', 'deadlock'],
  ])('puts the right category first for %s', async (line, expected) => {
    const [ranked] = await classifier.classify([line]);
    expect(ranked![0]!.category).toBe(expected);
  });

  it('returns every label as probabilities summing to 1, best first, one list per text', async () => {
    const out = await classifier.classify(['No space left on device', 'dial tcp: lookup db.internal: no such host', 'hello']);
    expect(out).toHaveLength(3);
    for (const ranked of out) {
      expect(ranked).toHaveLength(CATEGORIES.length);
      expect(ranked.reduce((s, r) => s + r.score, 0)).toBeCloseTo(1, 5);
      for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
    }
    expect(out[0]![0]!.category).toBe('disk_full');
    expect(out[1]![0]!.category).toBe('dns_resolution');
    expect(await classifier.classify([])).toEqual([]);
  });

  it('scores a text the same alone and inside a padded batch', async () => {
    const line = 'Readiness probe failed: HTTP probe failed with statuscode: 503';
    const [alone] = await classifier.classify([line]);
    const [batched] = await classifier.classify([line, `${line} ${'and a much longer companion line '.repeat(6)}`]);
    expect(batched![0]!.category).toBe(alone![0]!.category);
    expect(batched![0]!.score).toBeCloseTo(alone![0]!.score, 5);
  });
});

describe('agreement with the transformers.js pipelines', () => {
  const texts = ['Error: EMFILE: too many open files', 'Task timed out after 3.00 seconds', 'connected to db'];

  it('classify gives the text-classification pipeline\'s probabilities', async () => {
    const { pipeline } = await loadModelFromManifest(MODELS_DIR, 'ops-encoder', 'text-classification');
    const reference = (await pipeline(texts, { top_k: null })) as Array<Array<{ label: string; score: number }>>;
    const ours = await classifier.classify(texts);
    reference.forEach((ranked, i) => {
      for (const { label, score } of ranked) expect(ours[i]!.find((r) => r.category === label)!.score).toBeCloseTo(score, 5);
    });
  });

  it('embed gives the feature-extraction pipeline\'s mean-pooled, normalised vectors', async () => {
    const { pipeline } = await loadModelFromManifest(MODELS_DIR, 'ops-encoder', 'feature-extraction');
    const reference = (await pipeline(texts, { pooling: 'mean', normalize: true })) as { dims: number[]; data: Float32Array };
    const ours = await embedder.embed(texts);
    const dim = reference.dims[1]!;
    ours.forEach((v, i) => v.forEach((x, d) => expect(x).toBeCloseTo(reference.data[i * dim + d]!, 5)));
  });
});

describe('ops-encoder embedder', () => {
  it('returns one L2-normalised vector per text, all of one dimension', async () => {
    const vectors = await embedder.embed(['ENOSPC', 'Liveness probe failed', 'a']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v.length).toBe(vectors[0]!.length);
      expect(cosine(v, v)).toBeCloseTo(1, 4);
    }
  });

  it('puts paraphrases closer than unrelated lines', async () => {
    const [a, b, c] = await embedder.embed([
      'Error: connect ECONNREFUSED 10.0.3.7:5432',
      'dial tcp 10.1.2.3:8080: connect: connection refused',
      'java.lang.OutOfMemoryError: Java heap space',
    ]);
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!));
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(b!, c!));
  });
});
