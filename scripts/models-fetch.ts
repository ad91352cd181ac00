/**
 * `npm run models:fetch -- <hub id> [--revision main] [--task feature-extraction] [--id local-id]`
 *
 * BUILD-TIME ONLY (never at run time, never in tests): downloads the ONNX model folder of a
 * Hugging Face Hub repository into `models/<local id>/` and records it, with the sha256 of
 * `onnx/model.onnx`, in `models/manifest.json`, so the ONNX adapter loads it exactly like the
 * embedded `ops-encoder` (`createEmbedder({ modelsDir, id })`).
 *
 * Files fetched (transformers.js model-folder layout): `config.json`, `tokenizer.json`,
 * `tokenizer_config.json`, `onnx/model.onnx`, and `special_tokens_map.json` when present. URLs follow
 * the Hub's file-resolution scheme `https://huggingface.co/<id>/resolve/<revision>/<path>`
 * (https://huggingface.co/docs/hub/api); the license is read from `GET /api/models/<id>`
 * (`cardData.license`) unless `--license` is given.
 *
 * @example
 * npm run models:fetch -- Xenova/all-MiniLM-L6-v2 --task feature-extraction
 * # then: OPS_MODEL_ID=Xenova--all-MiniLM-L6-v2 (or createEmbedder({ modelsDir: 'models', id: 'Xenova--all-MiniLM-L6-v2' }))
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { MODEL_TASKS, upsertManifestEntry, type ModelTask } from '../functions/adapters/onnx/manifest.js';

const MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'models');
const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
const OPTIONAL = ['special_tokens_map.json'];

/** Options of {@link fetchHubModel}. */
export interface FetchOptions {
  /** Hub repository, `owner/name`. */
  readonly hubId: string;
  readonly revision: string;
  readonly task: ModelTask;
  /** Manifest id and folder name under `modelsDir`; default `owner--name`. */
  readonly localId?: string;
  readonly license?: string;
  readonly modelsDir?: string;
  /** Base URL of the hub; default `https://huggingface.co`. */
  readonly endpoint?: string;
  readonly log?: (line: string) => void;
}

/**
 * Downloads the model folder and adds its manifest entry. Each file is written to `<name>.part`
 * and renamed when complete, so an interrupted fetch never leaves a half file under the final name.
 * @returns the manifest entry written.
 * @throws Error naming the URL when a required file cannot be downloaded (HTTP status shown).
 */
export async function fetchHubModel(options: FetchOptions) {
  if (!/^[\w.-]+\/[\w.-]+$/.test(options.hubId)) throw new Error(`hub id "${options.hubId}" must look like owner/name`);
  const endpoint = (options.endpoint ?? 'https://huggingface.co').replace(/\/$/, '');
  const localId = options.localId ?? options.hubId.replace('/', '--');
  const modelsDir = path.resolve(options.modelsDir ?? MODELS_DIR);
  const dir = path.join(modelsDir, localId);
  const log = options.log ?? console.log;
  let modelSha = '';
  for (const file of [...REQUIRED, ...OPTIONAL]) {
    const url = `${endpoint}/${options.hubId}/resolve/${encodeURIComponent(options.revision)}/${file}`;
    const response = await fetch(url);
    if (!response.ok) {
      if (OPTIONAL.includes(file) && response.status === 404) continue;
      throw new Error(`GET ${url}: HTTP ${response.status} ${response.statusText}`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(`${target}.part`, bytes);
    await rename(`${target}.part`, target);
    if (file === 'onnx/model.onnx') modelSha = createHash('sha256').update(bytes).digest('hex');
    log(`${file}: ${bytes.length} bytes`);
  }
  let license = options.license;
  if (!license) {
    const info = await fetch(`${endpoint}/api/models/${options.hubId}`);
    const body = info.ok ? ((await info.json()) as { cardData?: { license?: string } }) : {};
    license = body.cardData?.license ?? 'unknown';
  }
  const entry = {
    id: localId, task: options.task, path: localId, sha256: modelSha,
    source: `${endpoint}/${options.hubId}@${options.revision}`, license,
  };
  await upsertManifestEntry(modelsDir, entry);
  log(`models/manifest.json: ${localId} (${options.task}) sha256 ${modelSha}`);
  return entry;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('models:fetch')
    .description('Download a Hugging Face Hub ONNX model folder into models/<id>/ and add it to models/manifest.json (build time only)')
    .argument('<hubId>', 'hub repository, owner/name (e.g. Xenova/all-MiniLM-L6-v2)')
    .option('--revision <rev>', 'branch, tag or commit to pin', 'main')
    .option('--task <task>', `one of ${MODEL_TASKS.join(', ')}`, 'feature-extraction')
    .option('--id <localId>', 'manifest id and folder name (default owner--name)')
    .option('--license <spdx>', 'license of the weights (default: read from the hub)')
    .parse(argv);
  const opts = program.opts<{ revision: string; task: string; id?: string; license?: string }>();
  if (!(MODEL_TASKS as readonly string[]).includes(opts.task)) throw new Error(`--task must be one of ${MODEL_TASKS.join(', ')}`);
  await fetchHubModel({ hubId: program.args[0]!, revision: opts.revision, task: opts.task as ModelTask, localId: opts.id, license: opts.license });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  });
}
