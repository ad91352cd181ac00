#!/usr/bin/env node
/**
 * Compiles `functions/**\/*.ts` (and `schemas/*.schema.ts`) to ES modules under `dist/` (one file per source file,
 * so the CLI's lazy `import()`s stay lazy), with esbuild. Run by `npm run build` and by `npm ci`
 * through the `prepare` script; `bin/ops-assistant.js` runs `dist/` when it is there and no
 * source is newer than it, else the TypeScript through tsx.
 *
 * Without esbuild (an install without dev dependencies) it says so and exits 0: the CLI then
 * runs from source.
 */
import { readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('build-cli: esbuild is not installed (no dev dependencies); ops-assistant will run from source through tsx\n');
  process.exit(0);
}

/** Every `.ts` file under `dir` (declaration files excluded). */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

const started = performance.now();
rmSync(outdir, { recursive: true, force: true });
// schemas/: the diagnosis schema the compose stage validates against.
const entryPoints = [...sources(path.join(root, 'functions')), ...sources(path.join(root, 'schemas')).filter((f) => f.endsWith('.schema.ts'))];
await esbuild.build({
  entryPoints,
  outdir,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  bundle: false,
  sourcemap: 'linked',
  logLevel: 'warning',
});
mkdirSync(outdir, { recursive: true });
// bin/ops-assistant.js compares source times with this file's.
writeFileSync(path.join(outdir, 'BUILD'), `${new Date().toISOString()} ${entryPoints.length} files\n`);
process.stdout.write(`build-cli: ${entryPoints.length} files to dist/ in ${Math.round(performance.now() - started)} ms\n`);
