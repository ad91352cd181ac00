/**
 * `--check` of the trainers (`npm run train -- --check`, `npm run train:intent -- --check`): a model
 * trained into a temporary folder must equal the committed folder byte for byte.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Compares `files` (paths relative to both folders) of a freshly trained folder with the committed
 * one, removes the fresh folder, prints the verdict and sets `process.exitCode` to 1 on a difference.
 * @returns true when every file is identical.
 */
export function checkReproduced(committedDir: string, freshDir: string, files: readonly string[], modelFile = 'onnx/model.onnx'): boolean {
  const differing = files.filter((f) => {
    const committed = join(committedDir, f);
    return !existsSync(committed) || !readFileSync(committed).equals(readFileSync(join(freshDir, f)));
  });
  const committedModel = join(committedDir, modelFile);
  const committedSha = existsSync(committedModel) ? createHash('sha256').update(readFileSync(committedModel)).digest('hex') : '(missing)';
  rmSync(freshDir, { recursive: true, force: true });
  if (differing.length > 0) {
    console.error(`check FAILED: a fresh training run differs from the committed ${committedDir} in ${differing.join(', ')} (committed ${modelFile} sha256 ${committedSha})`);
    process.exitCode = 1;
    return false;
  }
  console.log(`check OK: fresh training reproduces the committed model folder byte for byte (${modelFile} sha256 ${committedSha})`);
  return true;
}
