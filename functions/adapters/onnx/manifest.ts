/**
 * `models/manifest.json`: the list of model folders the product may load, with the sha256 of each
 * folder's `onnx/model.onnx`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ModelLoadError } from '../../core/model/errors.js';

/** Tasks a manifest entry may declare (transformers.js pipeline task names). */
export const MODEL_TASKS = ['text-classification', 'feature-extraction', 'text-generation'] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

const entrySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'id: letters, digits, ".", "_", "-"'),
  task: z.enum(MODEL_TASKS),
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256: 64 lower-case hex digits'),
  source: z.string().min(1),
  license: z.string().min(1),
});
const manifestSchema = z.array(entrySchema);

/**
 * One model of the manifest.
 * - `path`: the model folder, relative to the manifest's folder (it must stay inside it);
 * - `sha256`: hex sha256 of `<path>/onnx/model.onnx`;
 * - `source`: where the weights came from (a hub id, or the training script);
 * - `license`: SPDX id of the weights' license.
 */
export type ManifestEntry = z.infer<typeof entrySchema>;

/** File name of the manifest inside the models folder. */
export const MANIFEST_FILE = 'manifest.json';

/**
 * Reads and validates `<modelsDir>/manifest.json`.
 * @throws ModelLoadError naming the file when it is missing, not JSON, or not a list of entries
 *   `{ id, task, path, sha256, source, license }`.
 */
export async function readManifest(modelsDir: string): Promise<ManifestEntry[]> {
  const file = path.join(path.resolve(modelsDir), MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ModelLoadError(`${file}: model manifest cannot be read`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelLoadError(`${file}: model manifest is not valid JSON`, { cause });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelLoadError(`${file}: invalid model manifest at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * Finds entry `id` and resolves its folder (absolute).
 * @throws ModelLoadError when the id is absent or the path leaves `modelsDir`.
 */
export function resolveEntry(modelsDir: string, entries: readonly ManifestEntry[], id: string): { entry: ManifestEntry; dir: string } {
  const entry = entries.find((e) => e.id === id);
  const root = path.resolve(modelsDir);
  if (!entry) {
    throw new ModelLoadError(`model "${id}" is not listed in ${path.join(root, MANIFEST_FILE)} (listed: ${entries.map((e) => e.id).join(', ') || 'none'})`);
  }
  const dir = path.resolve(root, entry.path);
  const rel = path.relative(root, dir);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new ModelLoadError(`model "${id}": path "${entry.path}" must be a folder inside ${root}`);
  }
  return { entry, dir };
}

/**
 * Inserts or replaces (same `id`) an entry of `<modelsDir>/manifest.json`, creating the file when
 * absent. Used at build time (`npm run train`, `npm run models:fetch`), never at run time.
 * @throws ModelLoadError when the existing manifest is invalid or the entry itself is invalid.
 */
export async function upsertManifestEntry(modelsDir: string, entry: ManifestEntry): Promise<void> {
  const checked = entrySchema.safeParse(entry);
  if (!checked.success) throw new ModelLoadError(`manifest entry ${entry.id}: ${checked.error.issues[0]?.message ?? 'invalid'}`);
  const file = path.join(path.resolve(modelsDir), MANIFEST_FILE);
  let list: ManifestEntry[] = [];
  try {
    list = await readManifest(modelsDir);
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'ENOENT') throw error;
  }
  const i = list.findIndex((e) => e.id === entry.id);
  if (i >= 0) list[i] = checked.data;
  else list.push(checked.data);
  await writeFile(file, JSON.stringify(list, null, 2) + '\n');
}
