/**
 * Loads a model folder listed in `models/manifest.json` with transformers.js on onnxruntime-node,
 * offline: `env.allowRemoteModels = false`, absolute paths, no download ever.
 *
 * The folder layout is transformers.js's (`config.json`, `tokenizer.json`, `tokenizer_config.json`,
 * `onnx/model.onnx`; see https://huggingface.co/docs/transformers.js/custom_usage). The same loader
 * takes the embedded `ops-encoder` and any compatible pretrained folder (`npm run models:fetch`).
 *
 * Sessions are memoised per (folder, task) per process, so a Lambda container loads a model once;
 * a failed load is dropped from the memo so the next call retries.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import { ModelLoadError, describeError } from '../../core/model/errors.js';
import { readManifest, resolveEntry, type ManifestEntry, type ModelTask } from './manifest.js';

/** A transformers.js pipeline as this adapter calls it (a callable with `dispose`). */
export type LoadedPipeline = ((input: string | string[], options?: Record<string, unknown>) => Promise<any>) & {
  dispose?: () => Promise<void>;
  model?: { config?: Record<string, unknown> };
  tokenizer?: unknown;
};

/** A loaded, verified model. */
export interface LoadedModel {
  readonly entry: ManifestEntry;
  /** Absolute folder of the model. */
  readonly dir: string;
  /** sha256 (hex) of `onnx/model.onnx`, verified against the manifest. */
  readonly sha256: string;
  readonly task: ModelTask;
  readonly pipeline: LoadedPipeline;
  /** Wall time of verification + session creation, ms. */
  readonly loadMs: number;
}

const memo = new Map<string, Promise<LoadedModel>>();

/** Hex sha256 of a file, streamed. @throws the read error (ENOENT, …). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Sets transformers.js to local-only loading (idempotent; the library's config is process-global). */
function offlineOnly(): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
}

async function load(entry: ManifestEntry, dir: string, task: ModelTask): Promise<LoadedModel> {
  const started = performance.now();
  const modelFile = path.join(dir, 'onnx', 'model.onnx');
  let actual: string;
  try {
    actual = await sha256File(modelFile);
  } catch (cause) {
    throw new ModelLoadError(`model "${entry.id}": ${modelFile} cannot be read: ${describeError(cause)}`, { cause });
  }
  if (actual !== entry.sha256) {
    throw new ModelLoadError(`model "${entry.id}": sha256 of ${modelFile} is ${actual}, the manifest expects ${entry.sha256}; refusing to load a modified model`);
  }
  offlineOnly();
  let pipe: LoadedPipeline;
  try {
    // One intra-op thread: these models are small, and a Lambda function has one or two vCPUs.
    pipe = (await pipeline(task as any, dir, {
      local_files_only: true, dtype: 'fp32', device: 'cpu',
      session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
    } as any)) as unknown as LoadedPipeline;
  } catch (cause) {
    throw new ModelLoadError(`model "${entry.id}" in ${dir} could not be loaded for ${task}: ${describeError(cause)}`, { cause });
  }
  return { entry, dir, sha256: actual, task, pipeline: pipe, loadMs: performance.now() - started };
}

/**
 * Loads model `id` of `<modelsDir>/manifest.json` for `task` (default: the entry's own task),
 * verifying the sha256 of `onnx/model.onnx` first. Memoised per (folder, task) per process; a
 * failed load is forgotten, so the next call retries.
 *
 * An encoder entry (`text-classification` or `feature-extraction`) may be loaded for either of
 * these two tasks; a `text-generation` entry only for text generation.
 *
 * @throws ModelLoadError when the manifest is unreadable or lacks `id`, the hash differs from the
 *   manifest's (a tampered or partial file), or transformers.js cannot load the folder.
 * @example
 * const { pipeline, sha256 } = await loadModelFromManifest('/opt/models', 'ops-encoder');
 */
export async function loadModelFromManifest(modelsDir: string, id: string, task?: ModelTask): Promise<LoadedModel> {
  const entries = await readManifest(modelsDir);
  const { entry, dir } = resolveEntry(modelsDir, entries, id);
  const wanted = task ?? entry.task;
  const encoderTasks: readonly ModelTask[] = ['text-classification', 'feature-extraction'];
  const compatible = wanted === entry.task || (encoderTasks.includes(wanted) && encoderTasks.includes(entry.task));
  if (!compatible) throw new ModelLoadError(`model "${id}" is a ${entry.task} model and cannot serve ${wanted}`);
  const key = `${dir}\u0000${wanted}\u0000${entry.sha256}`;
  let promise = memo.get(key);
  if (!promise) {
    promise = load(entry, dir, wanted);
    memo.set(key, promise);
    promise.catch(() => {
      if (memo.get(key) === promise) memo.delete(key);
    });
  }
  return promise;
}

/** Forgets every memoised model and disposes its session (tests, or to free memory). */
export async function resetModelCache(): Promise<void> {
  const all = [...memo.values()];
  memo.clear();
  for (const p of all) {
    try {
      await (await p).pipeline.dispose?.();
    } catch {
      // a failed load has nothing to dispose
    }
  }
}
