/**
 * The ONNX implementations of the model ports: {@link CategoryClassifier} and {@link TextEmbedder}.
 */
import { isCategory, type Category } from '../../core/model/categories.js';
import { ModelLoadError } from '../../core/model/errors.js';
import type { CategoryClassifier, TextEmbedder } from '../../core/ports/model.port.js';
import { loadModelFromManifest } from './loader.js';

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
  return {
    id,
    sha256: model.sha256,
    async classify(texts) {
      if (texts.length === 0) return [];
      const raw = (await model.pipeline([...texts], { top_k: null })) as unknown;
      // One text gives a flat list of { label, score }; several give a list per text.
      const perText = (texts.length === 1 && Array.isArray(raw) && !Array.isArray(raw[0]) ? [raw] : raw) as Array<Array<{ label: string; score: number }>>;
      return perText.map((list) =>
        list
          .map((r) => ({ category: r.label as Category, score: r.score }))
          .sort((a, b) => b.score - a.score),
      );
    },
  };
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
      const tensor = (await model.pipeline([...texts], { pooling: 'mean', normalize: true })) as { dims: number[]; data: Float32Array };
      const [n, dim] = tensor.dims as [number, number];
      const out: Float32Array[] = [];
      for (let i = 0; i < n; i++) {
        const v = Float32Array.from(tensor.data.subarray(i * dim, (i + 1) * dim));
        let norm = 0;
        for (const x of v) norm += x * x;
        norm = Math.sqrt(norm);
        if (norm > 0 && Math.abs(norm - 1) > 1e-4) for (let j = 0; j < dim; j++) v[j] = v[j]! / norm;
        out.push(v);
      }
      return out;
    },
  };
}
