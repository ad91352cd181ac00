/**
 * The pretrained-model path: a tiny random-weight model folder in the transformers.js layout
 * (BertModel config without labels, WordPiece tokenizer.json), served over 127.0.0.1 in the Hub's
 * `/<id>/resolve/<revision>/<file>` scheme, fetched by `models:fetch` and loaded by the adapter.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParams } from '../../models/train/encoder.js';
import { exportOnnx } from '../../models/train/export.js';
import { buildVocab, tokenizerConfig, tokenizerJson } from '../../models/train/tokenizer.js';
import { fetchHubModel } from '../../scripts/models-fetch.js';
import { createClassifier, createEmbedder, readManifest, resetModelCache } from '../../functions/adapters/onnx/index.js';
import { ModelLoadError } from '../../functions/core/model/errors.js';

const HIDDEN = 24;
let hubDir: string;
let server: Server;
let endpoint: string;
const requests: string[] = [];

beforeAll(async () => {
  // Prepare: a "hub" folder for acme/tiny-encoder holding a random-weight encoder.
  hubDir = mkdtempSync(path.join(tmpdir(), 'hub-'));
  const folder = path.join(hubDir, 'acme', 'tiny-encoder');
  mkdirSync(path.join(folder, 'onnx'), { recursive: true });
  const vocab = buildVocab(['connection refused by upstream', 'disk full no space left', 'pod restarted crash loop', 'connection reset by peer'], { minCount: 1 });
  writeFileSync(path.join(folder, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  writeFileSync(path.join(folder, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig(64)));
  writeFileSync(path.join(folder, 'special_tokens_map.json'), JSON.stringify({ cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' }));
  writeFileSync(path.join(folder, 'config.json'), JSON.stringify({
    model_type: 'bert', architectures: ['BertModel'], hidden_size: HIDDEN, num_hidden_layers: 1, num_attention_heads: 1,
    intermediate_size: HIDDEN, max_position_embeddings: 64, vocab_size: vocab.size, pad_token_id: 0,
  }));
  writeFileSync(path.join(folder, 'onnx', 'model.onnx'), exportOnnx(initParams(vocab.size, HIDDEN, 2, 7), 'random weights for tests'));
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const m = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(req.url ?? '');
    const api = /^\/api\/models\/(.+)$/.exec(req.url ?? '');
    if (api) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: api[1], cardData: { license: 'mit' } }));
      return;
    }
    const file = m ? path.join(hubDir, m[1]!, m[2]!) : '';
    if (!m || !existsSync(file)) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await resetModelCache();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('models:fetch and the pretrained path', () => {
  it('downloads the folder, records its sha256 and license, and the embedder loads it offline', async () => {
    const modelsDir = mkdtempSync(path.join(tmpdir(), 'fetched-'));
    const entry = await fetchHubModel({ hubId: 'acme/tiny-encoder', revision: 'main', task: 'feature-extraction', modelsDir, endpoint, log: () => {} });
    expect(entry).toMatchObject({ id: 'acme--tiny-encoder', path: 'acme--tiny-encoder', license: 'mit', task: 'feature-extraction' });
    expect(await readManifest(modelsDir)).toEqual([entry]);
    expect(existsSync(path.join(modelsDir, 'acme--tiny-encoder', 'special_tokens_map.json'))).toBe(true);

    const embedder = await createEmbedder({ modelsDir, id: 'acme--tiny-encoder' });
    const vectors = await embedder.embed(['connection refused', 'disk full', 'something never seen']);
    expect(vectors.map((v) => v.length)).toEqual([HIDDEN, HIDDEN, HIDDEN]);
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    expect(embedder.id).toBe('acme--tiny-encoder');
  });

  it('refuses to use a model without category labels as the category classifier', async () => {
    const modelsDir = mkdtempSync(path.join(tmpdir(), 'fetched-'));
    await fetchHubModel({ hubId: 'acme/tiny-encoder', revision: 'main', task: 'text-classification', modelsDir, endpoint, license: 'apache-2.0', log: () => {} });
    const error = await createClassifier({ modelsDir, id: 'acme--tiny-encoder' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/labels must be categories/);
  });

  it('fails naming the URL when a required file is missing on the hub, writing no manifest entry', async () => {
    const modelsDir = mkdtempSync(path.join(tmpdir(), 'fetched-'));
    await expect(fetchHubModel({ hubId: 'acme/absent', revision: 'v1', task: 'feature-extraction', modelsDir, endpoint, log: () => {} }))
      .rejects.toThrow(/acme\/absent\/resolve\/v1\/config\.json: HTTP 404/);
    expect(existsSync(path.join(modelsDir, 'manifest.json'))).toBe(false);
  });
});
