/**
 * End-to-end time of the README's first command's work: `ops-assistant diagnose --example`,
 * as a user runs it (a new Node process each time), median of N runs; and the in-process
 * pipeline time once modules are loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diagnoseLocal, REPO_ROOT } from '../functions/composition/local.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const bin = path.join(REPO_ROOT, 'bin/ops-assistant.js');
const out = mkdtempSync(path.join(os.tmpdir(), 'ops-bench-cli-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  const wall: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, 'diagnose', '--example', '--out', out, '--format', 'json'], { encoding: 'utf8' });
    wall.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`diagnose failed: ${r.stderr}`);
  }
  console.log(`ops-assistant diagnose --example (new process each run): median ${median(wall).toFixed(0)} ms over ${RUNS} runs (min ${Math.min(...wall).toFixed(0)}, max ${Math.max(...wall).toFixed(0)})`);

  const example = path.join(REPO_ROOT, 'examples/checkout-oom');
  const opts = { eventPath: path.join(example, 'alarm.json'), evidencePaths: ['pod-describe.txt', 'events.txt', 'app.log'].map((f) => path.join(example, f)) };
  const first = performance.now();
  await diagnoseLocal(opts);
  const cold = performance.now() - first;
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await diagnoseLocal(opts);
    warm.push(performance.now() - t);
  }
  console.log(`in process: first diagnosis ${cold.toFixed(0)} ms (loads runbook index and model), then median ${median(warm).toFixed(0)} ms`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
