/**
 * The ONNX implementation of the ask use case's {@link IntentClassifier} port: the `ops-intent`
 * model (hashed word and character n-grams → intent; see `intent-features.ts` and
 * `models/train/intent.ts`), loaded by the same loader as every other model (manifest, sha256,
 * offline, memoised per process).
 */
import { Tensor } from '@huggingface/transformers';
import { ModelLoadError } from '../../core/model/errors.js';
import type { AskIntent, KubernetesVerb } from '../../core/ask/intent.js';
import type { IntentClassifier, IntentReading } from '../../core/ask/ports.js';
import { loadModelFromManifest } from './loader.js';
import { DEFAULT_INTENT_FEATURES, intentFeatureIds, type IntentFeatureConfig } from './intent-features.js';

/** Id of the bundled intent model in `models/manifest.json`. */
export const INTENT_MODEL_ID = 'ops-intent';

const INTENTS: readonly AskIntent[] = ['diagnose', 'search_errors', 'history', 'changes', 'knowledge', 'kubernetes_action', 'infrastructure_as_code', 'health', 'latency', 'clarify'];
const VERBS: readonly KubernetesVerb[] = ['scale', 'restart', 'rollback', 'cordon', 'uncordon', 'drain', 'delete', 'read_secret'];

/** Reads a label of the model (`diagnose`, `kubernetes_action:scale`, …); undefined when it is not one. */
function readLabel(label: string): { intent: AskIntent; verb?: KubernetesVerb } | undefined {
  const [intent, verb] = label.split(':') as [AskIntent, KubernetesVerb | undefined];
  if (!INTENTS.includes(intent)) return undefined;
  if (verb === undefined) return intent === 'kubernetes_action' ? undefined : { intent };
  return intent === 'kubernetes_action' && VERBS.includes(verb) ? { intent, verb } : undefined;
}

/**
 * Creates the intent classifier over model `options.id` (default `ops-intent`) of
 * `<modelsDir>/manifest.json`. `classify(question)` returns every label as an {@link IntentReading}
 * (softmax probabilities, best first); a classification takes well under a millisecond once loaded.
 *
 * @throws ModelLoadError when the model cannot be loaded, a label is not an intent (or
 *   `kubernetes_action:<verb>`), or its `config.json` lacks the feature parameters.
 * @example
 * const intents = await createIntentClassifier({ modelsDir: '/opt/models' });
 * (await intents.classify('restrat chekout -n shop'))[0]; // { intent: 'kubernetes_action', verb: 'restart', score: 0.97 }
 */
export async function createIntentClassifier(options: { readonly modelsDir: string; readonly id?: string }): Promise<IntentClassifier> {
  const id = options.id ?? INTENT_MODEL_ID;
  const model = await loadModelFromManifest(options.modelsDir, id, 'text-classification');
  const config = (model.pipeline.model?.config ?? {}) as { id2label?: Record<string, string>; ops_assistant?: { features?: IntentFeatureConfig } };
  const features = config.ops_assistant?.features;
  if (!features || features.kind !== DEFAULT_INTENT_FEATURES.kind || !(features.buckets > 0)) {
    throw new ModelLoadError(`model "${id}": config.json has no ops_assistant.features of kind ${DEFAULT_INTENT_FEATURES.kind}; it is not an intent model`);
  }
  const id2label = config.id2label ?? {};
  const labels = Object.keys(id2label).map(Number).sort((a, b) => a - b).map((i) => id2label[String(i)]!);
  const readings = labels.map(readLabel);
  const bad = labels.filter((_, i) => !readings[i]);
  if (labels.length === 0 || bad.length > 0) throw new ModelLoadError(`model "${id}": labels must be ask intents or kubernetes_action:<verb>; unknown: ${bad.slice(0, 5).join(', ') || '(no id2label)'}`);
  const run = model.pipeline.model as unknown as (inputs: Record<string, Tensor>) => Promise<{ logits?: { data: Float32Array; dims: number[] } }>;
  return {
    id,
    sha256: model.sha256,
    async classify(question) {
      const ids = intentFeatureIds(question, features);
      const inputIds = new Tensor('int64', BigInt64Array.from(ids, (x) => BigInt(x)), [1, ids.length]);
      const mask = new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
      const { logits } = await run({ input_ids: inputIds, attention_mask: mask });
      if (!logits) throw new ModelLoadError(`model "${id}" has no "logits" output`);
      const row = logits.data;
      let max = -Infinity;
      for (const v of row) if (v > max) max = v;
      const exp = Array.from(row, (v) => Math.exp(v - max));
      const sum = exp.reduce((a, b) => a + b, 0);
      return exp
        .map((e, j): IntentReading => ({ ...readings[j]!, score: e / sum }))
        .sort((a, b) => b.score - a.score);
    },
  };
}
