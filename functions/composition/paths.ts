/**
 * Where the package's files are, for the TypeScript sources (`functions/…`) and the compiled
 * JavaScript (`dist/functions/…`) alike: the folder holding `package.json`, found upward from this
 * module. Light on purpose (node built-ins only): the CLI reads it before loading the pipeline.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir + path.sep;
    if (path.dirname(dir) === dir) return path.resolve(start, '../..') + path.sep;
  }
}

/** The package root (where `knowledge-base/`, `models/`, `examples/` and `package.json` live), ending with a separator. */
export const REPO_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The bundled example incident `npm start` diagnoses. */
export const EXAMPLE_DIR = path.join(REPO_ROOT, 'examples', 'checkout-oom');
