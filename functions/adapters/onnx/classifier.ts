/**
 * The ONNX implementations of the model ports: {@link CategoryClassifier} and {@link TextEmbedder}.
 */
import { isCategory, type Category } from '../../core/model/categories.js';
import { ModelLoadError } from '../../core/model/errors.js';
import type { CategoryClassifier, TextEmbedder } from '../../core/ports/model.port.js';
import { loadModelFromManifest, type LoadedPipeline } from './loader.js';

/** Where to find the model. */
export interface ModelOptions {
  /** Folder holding `manifest.json` (absolute, or relative to the working directory). */
  readonly modelsDir: string;
  /** Manifest id; default `ops-encoder`. */
  readonly id?: string;
}

/** Id of the embedded model. */
export const DEFAULT_MODEL_ID = 'ops-encoder';

/**
 * Creates a category classifier over model `options.id` (default `ops-encoder`).
 * `classify(texts)` returns, per text, every label of the model as `{ category, score }`, scores
 * being softmax probabilities (sum 1), best first. An empty input gives an empty output.
 *
 * @throws ModelLoadError when the model cannot be loaded (see {@link loadModelFromManifest}) or a
 *   label of its `id2label` is not a category of the catalogue.
 * @example
 * const classifier = await createClassifier({ modelsDir: '/opt/models' });
 * const [ranked] = await classifier.classify(['Back-off restarting failed container']);
 * ranked[0]; // { category: 'app_crash', score: 0.99 }
 */
export async function createClassifier(options: ModelOptions): Promise<CategoryClassifier> {
  const id = options.id ?? DEFAULT_MODEL_ID;
  const model = await loadModelFromManifest(options.modelsDir, id, 'text-classification');
  const id2label = (model.pipeline.model?.config?.id2label ?? {}) as Record<string, string>;
  const labels = Object.values(id2label);
  const bad = labels.filter((l) => !isCategory(l));
  if (labels.length === 0 || bad.length > 0) {
    throw new ModelLoadError(`model "${id}": its labels must be categories of the catalogue; unknown: ${bad.slice(0, 5).join(', ') || '(no id2label)'}`);
  }
  const byIndex = Object.keys(id2label).map(Number).sort((a, b) => a - b).map((i) => id2label[String(i)] as Category);
  return {
    id,
    sha256: model.sha256,
    async classify(texts) {
      if (texts.length === 0) return [];
      // The pipeline's own post-processing runs a top-k session per text (about 1.5 ms each);
      // a softmax over the logits here gives the same probabilities in microseconds.
      const logits = await runModel(model.pipeline, texts, 'logits');
      const [n, width] = logits.dims as [number, number];
      const out: Array<Array<{ category: Category; score: number }>> = [];
      for (let i = 0; i < n; i++) {
        const row = logits.data.subarray(i * width, (i + 1) * width);
        let max = -Infinity;
        for (const v of row) if (v > max) max = v;
        let sum = 0;
        const exp = Array.from(row, (v) => {
          const e = Math.exp(v - max);
          sum += e;
          return e;
        });
        out.push(exp.map((e, j) => ({ category: byIndex[j]!, score: e / sum })).sort((a, b) => b.score - a.score));
      }
      return out;
    },
  };
}

/** A float tensor as transformers.js returns it. */
interface FloatTensor { dims: number[]; data: Float32Array }

/**
 * Tokenizes `texts` (padding to the longest, truncating at the tokenizer's `model_max_length`) and
 * runs the model once; returns output `name` plus the attention mask.
 * @throws Error naming the output when the model does not produce it.
 */
async function runModel(pipe: LoadedPipeline, texts: readonly string[], name: 'logits' | 'last_hidden_state'): Promise<FloatTensor & { mask?: { data: BigInt64Array | number[] } }> {
  const tokenizer = pipe.tokenizer as (t: string[], o: Record<string, unknown>) => Record<string, unknown>;
  const model = pipe.model as unknown as (inputs: Record<string, unknown>) => Promise<Record<string, FloatTensor | undefined>>;
  const inputs = tokenizer([...texts], { padding: true, truncation: true });
  const outputs = await model(inputs);
  const out = outputs[name];
  if (!out) throw new ModelLoadError(`the model has no "${name}" output`);
  return { dims: out.dims, data: out.data, mask: inputs['attention_mask'] as { data: BigInt64Array } };
}

/**
 * Creates a sentence embedder over model `options.id` (default `ops-encoder`): the mean of
 * `last_hidden_state` over the attention mask, L2-normalised; one Float32Array of the model's hidden
 * size per text.
 *
 * @throws ModelLoadError when the model cannot be loaded.
 * @example
 * const embedder = await createEmbedder({ modelsDir: '/opt/models' });
 * const [a, b] = await embedder.embed(['no space left on device', 'ENOSPC']);
 */
export async function createEmbedder(options: ModelOptions): Promise<TextEmbedder> {
  const id = options.id ?? DEFAULT_MODEL_ID;
  const model = await loadModelFromManifest(options.modelsDir, id, 'feature-extraction');
  return {
    id,
    async embed(texts) {
      if (texts.length === 0) return [];
      const hidden = await runModel(model.pipeline, texts, 'last_hidden_state');
      const [n, seq, dim] = hidden.dims as [number, number, number];
      const mask = hidden.mask!.data;
      const out: Float32Array[] = [];
      for (let i = 0; i < n; i++) {
        const v = new Float32Array(dim);
        let count = 0;
        for (let s = 0; s < seq; s++) {
          if (Number(mask[i * seq + s]) === 0) continue;
          count++;
          const off = (i * seq + s) * dim;
          for (let d = 0; d < dim; d++) v[d] = v[d]! + hidden.data[off + d]!;
        }
        let norm = 0;
        for (let d = 0; d < dim; d++) {
          v[d] = v[d]! / Math.max(count, 1);
          norm += v[d]! * v[d]!;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) for (let d = 0; d < dim; d++) v[d] = v[d]! / norm;
        out.push(v);
      }
      return out;
    },
  };
}
