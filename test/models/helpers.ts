/** Test helpers: copy the committed model folder into a temp dir with its own manifest. */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS_DIR = path.join(REPO, 'models');
export const ENCODER_DIR = path.join(MODELS_DIR, 'ops-encoder');

/** Makes `<tmp>/models/` holding a copy of ops-encoder (only the runtime files) and a manifest of `entries`. */
export function tempModels(entries: ReadonlyArray<Record<string, string>>, files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ops-models-'));
  for (const f of files) cpSync(path.join(ENCODER_DIR, f), path.join(root, 'ops-encoder', f), { recursive: true });
  writeFileSync(path.join(root, 'manifest.json'), JSON.stringify(entries));
  return root;
}
