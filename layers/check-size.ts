/**
 * `npm run check:size` — fails (exit 1) when a function's bundle plus its layers, unzipped, would
 * exceed Lambda's 250 MB limit; prints the measured sizes either way.
 *
 * Usage: `tsx layers/check-size.ts [--assembly cdk.out] [--limit-bytes N]`
 * Needs a synthesized assembly (`npm run synth`). Exit codes: 0 all fit, 1 over the limit, 2 no assembly.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mib } from './onnx-layer.js';
import { evaluateSizes, LAMBDA_UNZIPPED_LIMIT_BYTES, measureAssembly, SizeCheckError } from './size-check.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function main(): number {
  const { values } = parseArgs({
    options: {
      assembly: { type: 'string', default: 'cdk.out' },
      'limit-bytes': { type: 'string', default: String(LAMBDA_UNZIPPED_LIMIT_BYTES) },
    },
  });
  const limit = Number(values['limit-bytes']);
  if (!Number.isInteger(limit) || limit <= 0) throw new SizeCheckError(`--limit-bytes must be a positive integer, got "${values['limit-bytes']}"`);
  let functions;
  try {
    functions = measureAssembly(path.resolve(repoRoot, values.assembly));
  } catch (error) {
    if (error instanceof SizeCheckError) {
      console.error(`${error.name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const verdicts = evaluateSizes(functions, limit);
  for (const v of verdicts) {
    const layers = v.layers.map((l) => `${l.name} ${l.bytes === undefined ? '?' : mib(l.bytes)}`).join(', ') || 'no layers';
    console.log(`${v.ok ? 'ok  ' : 'FAIL'} ${v.name}: bundle ${mib(v.bundleBytes)} + ${layers} = ${mib(v.totalBytes)} of ${mib(v.limitBytes)}${v.reason ? ` — ${v.reason}` : ''}`);
  }
  if (verdicts.length === 0) console.log('no zip-packaged functions in the assembly (image packaging?)');
  return verdicts.every((v) => v.ok) ? 0 : 1;
}

process.exitCode = main();
