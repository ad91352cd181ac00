/**
 * `npm run build:layer` — assembles the ONNX runtime + model layer and reports its sizes.
 *
 * Usage: `tsx layers/build-onnx-layer.ts [--arch x86_64|arm64] [--out layers/build/onnx] [--model <id>]... [--no-zip]`
 *
 * Prints one line per package and model (bytes as MiB), the layer's unzipped size and, when the
 * `zip` command is available, its zipped size (written to `<out>.zip`). Exits 1 with the error
 * message when the layer cannot be built.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildOnnxLayer, LayerBuildError, mib, type LambdaArchitecture } from './onnx-layer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Zips `dir` into `zipPath` with the system `zip` (deterministic: no extra attributes); returns bytes or undefined when `zip` is absent. */
export function zipDirectory(dir: string, zipPath: string): number | undefined {
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  rmSync(zipPath, { force: true });
  execFileSync('zip', ['-q', '-r', '-X', zipPath, '.'], { cwd: dir, stdio: 'inherit' });
  return statSync(zipPath).size;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      arch: { type: 'string', default: 'x86_64' },
      out: { type: 'string', default: path.join('layers', 'build', 'onnx') },
      model: { type: 'string', multiple: true },
      'no-zip': { type: 'boolean', default: false },
    },
  });
  if (values.arch !== 'x86_64' && values.arch !== 'arm64') {
    throw new LayerBuildError(`--arch must be x86_64 or arm64, got "${values.arch}"`);
  }
  const outDir = path.resolve(repoRoot, values.out);
  const started = Date.now();
  const report = buildOnnxLayer({ repoRoot, outDir, architecture: values.arch as LambdaArchitecture, modelIds: values.model });
  for (const p of report.packages) console.log(`package ${p.location}@${p.version}\t${mib(p.bytes)}`);
  for (const m of report.models) console.log(`model   ${m.id} -> ${m.runtimePath}\t${mib(m.bytes)}`);
  if (report.models.length === 0) console.log('model   (none: no folder with config.json under models/; functions run without MODEL_DIR)');
  for (const e of report.excluded) console.log(`skipped ${e.name}: ${e.reason}`);
  console.log(`layer ${path.relative(repoRoot, outDir)} (${report.architecture}) unzipped: ${mib(report.unzippedBytes)} (${report.unzippedBytes} bytes)`);
  if (!values['no-zip']) {
    const zipPath = `${outDir}.zip`;
    const zipped = zipDirectory(outDir, zipPath);
    if (zipped === undefined) console.log('layer zipped: not measured (no zip command)');
    else console.log(`layer zipped: ${mib(zipped)} (${zipped} bytes) -> ${path.relative(repoRoot, zipPath)}`);
  }
  console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && existsSync(process.argv[1]) && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exit(1);
  }
}
