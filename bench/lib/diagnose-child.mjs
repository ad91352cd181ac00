/**
 * The timed child of `bench/diagnose.ts`, plain JavaScript so that it can run without tsx: with
 * `--module dist` it imports the compiled `dist/functions/composition/local.js` under plain node
 * (what `bin/ops-assistant.js` runs when dist/ is current), with `--module source` the TypeScript
 * through tsx (the parent adds `--import tsx`). tsx's loader transforms every module it loads,
 * `@huggingface/transformers`' large bundle included, which adds 130–160 MB to peak RSS and
 * seconds to the import: the compiled run is what an installed CLI pays.
 *
 *   node --expose-gc bench/lib/diagnose-child.mjs --module dist --example DIR --file LOG --lines N --runs R
 *
 * Prints one line `@@{json}` last: import and first-diagnosis times, wall and CPU ms of each run,
 * the peak RSS of this process (MB) and the leading hypothesis.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    module: { type: 'string', default: 'source' },
    example: { type: 'string' },
    file: { type: 'string' },
    lines: { type: 'string' },
    runs: { type: 'string', default: '3' },
  },
});
if (!values.example || !values.file) throw new Error('diagnose-child: --example DIR and --file LOG are required');
const EXAMPLE = values.example;
const cpuMs = (c) => (c.user + c.system) / 1000;

const t0 = performance.now();
const { diagnoseLocal } = await import(values.module === 'dist'
  ? path.join(REPO, 'dist/functions/composition/local.js')
  : path.join(REPO, 'functions/composition/local.ts'));
const importMs = performance.now() - t0;
const options = (log) => ({ eventPath: path.join(EXAMPLE, 'alarm.json'), evidencePaths: [path.join(EXAMPLE, 'pod-describe.txt'), path.join(EXAMPLE, 'events.txt'), log] });
let c0 = process.cpuUsage();
let t = performance.now();
await diagnoseLocal(options(path.join(EXAMPLE, 'app.log')));
const firstMs = performance.now() - t;
const firstCpuMs = cpuMs(process.cpuUsage(c0));
c0 = process.cpuUsage();
t = performance.now();
await diagnoseLocal(options(path.join(EXAMPLE, 'app.log')));
const warmExampleMs = performance.now() - t;
const warmExampleCpuMs = cpuMs(process.cpuUsage(c0));
const wallMs = [];
const cpu = [];
let top = '';
for (let i = 0; i < Number(values.runs); i++) {
  globalThis.gc?.();
  c0 = process.cpuUsage();
  t = performance.now();
  const r = await diagnoseLocal(options(values.file));
  wallMs.push(performance.now() - t);
  cpu.push(cpuMs(process.cpuUsage(c0)));
  top = `${r.diagnosis.hypotheses[0]?.category ?? '-'} ${r.diagnosis.hypotheses[0]?.confidence ?? ''}`;
}
process.stdout.write(`\n@@${JSON.stringify({ lines: Number(values.lines), importMs, firstMs, firstCpuMs, wallMs, cpuMs: cpu, peakRssMb: process.resourceUsage().maxRSS / 1024, top, warmExampleMs, warmExampleCpuMs })}\n`);
