/**
 * `npm run bench:model`: size, load time and per-incident latency of the embedded model, run as
 * the product runs it (the ONNX adapter: hash check, transformers.js, onnxruntime-node on one
 * intra-op thread).
 *
 * - size: bytes of `onnx/model.onnx` and of the whole model folder;
 * - load: `createClassifier` from a cold memo (sha256 check + tokenizer + session), median of
 *   `--loads` runs, plus the first load of the process (which also initialises onnxruntime);
 * - per incident: one `classify` call on a typical incident's evidence (`--lines`, default 20
 *   lines from the held-out corpus), median and p95 of `--runs` calls; the same for `embed`.
 *
 * Budgets (issue 4): size ≤ 10 MB, load ≤ 300 ms, one incident ≤ 10 ms. Prints `FAIL` next to a
 * figure over budget and exits 1 then.
 * Usage: `npm run bench:model -- [--runs 50] [--loads 5] [--lines 20] [--json]`
 */
import { readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { createClassifier, createEmbedder, resetModelCache } from '../functions/adapters/onnx/index.js';
import { readCorpus } from '../models/train/index.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODELS_DIR = path.join(REPO_ROOT, 'models');
const BUDGET = { bytes: 10 * 1024 * 1024, loadMs: 300, incidentMs: 10 };

function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    total += statSync(full).isDirectory() ? folderBytes(full) : statSync(full).size;
  }
  return total;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

async function main(): Promise<void> {
  const program = new Command('bench:model')
    .option('--runs <n>', 'classify/embed calls to time', (v) => Number(v), 50)
    .option('--loads <n>', 'cold loads to time', (v) => Number(v), 5)
    .option('--lines <n>', 'evidence lines per incident', (v) => Number(v), 20)
    .option('--id <id>', 'manifest id', 'ops-encoder')
    .option('--json', 'print JSON')
    .parse();
  const o = program.opts<{ runs: number; loads: number; lines: number; id: string; json?: boolean }>();
  const dir = path.join(MODELS_DIR, o.id);
  const modelBytes = statSync(path.join(dir, 'onnx', 'model.onnx')).size;
  const totalBytes = folderBytes(dir);

  let t = performance.now();
  let classifier = await createClassifier({ modelsDir: MODELS_DIR, id: o.id });
  const firstLoadMs = performance.now() - t;
  const loads: number[] = [];
  for (let i = 0; i < o.loads; i++) {
    await resetModelCache();
    t = performance.now();
    classifier = await createClassifier({ modelsDir: MODELS_DIR, id: o.id });
    loads.push(performance.now() - t);
  }
  const embedder = await createEmbedder({ modelsDir: MODELS_DIR, id: o.id });

  const heldout = readCorpus(path.join(MODELS_DIR, 'corpus', 'heldout.jsonl'));
  const step = Math.max(1, Math.floor(heldout.length / o.lines));
  const incident = heldout.filter((_, i) => i % step === 0).slice(0, o.lines).map((h) => h.text);
  const meanChars = incident.reduce((s, x) => s + x.length, 0) / incident.length;
  for (let i = 0; i < 5; i++) await classifier.classify(incident); // warm-up
  const classifyMs: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    t = performance.now();
    await classifier.classify(incident);
    classifyMs.push(performance.now() - t);
  }
  for (let i = 0; i < 5; i++) await embedder.embed(incident);
  const embedMs: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    t = performance.now();
    await embedder.embed(incident);
    embedMs.push(performance.now() - t);
  }
  const result = {
    model: o.id, sha256: classifier.sha256, modelBytes, folderBytes: totalBytes,
    firstLoadMs: +firstLoadMs.toFixed(1), loadMedianMs: +quantile(loads, 0.5).toFixed(1),
    incidentLines: incident.length, incidentMeanChars: +meanChars.toFixed(0),
    classifyMedianMs: +quantile(classifyMs, 0.5).toFixed(2), classifyP95Ms: +quantile(classifyMs, 0.95).toFixed(2), classifyP10Ms: +quantile(classifyMs, 0.1).toFixed(2),
    loadAverage1m: +loadavg()[0]!.toFixed(2), cpus: cpus().length,
    embedMedianMs: +quantile(embedMs, 0.5).toFixed(2), embedP95Ms: +quantile(embedMs, 0.95).toFixed(2),
  };
  const over = {
    size: totalBytes > BUDGET.bytes,
    load: result.loadMedianMs > BUDGET.loadMs,
    incident: result.classifyMedianMs > BUDGET.incidentMs,
  };
  if (o.json) console.log(JSON.stringify({ ...result, budget: BUDGET, over }, null, 2));
  else {
    const flag = (bad: boolean) => (bad ? '  FAIL' : '  ok');
    console.log(`model ${o.id} (sha256 ${classifier.sha256.slice(0, 16)}…)`);
    console.log(`size: onnx/model.onnx ${(modelBytes / 1024).toFixed(0)} KiB, folder ${(totalBytes / 1024).toFixed(0)} KiB (budget 10 MiB)${flag(over.size)}`);
    console.log(`load: first in process ${result.firstLoadMs} ms (includes onnxruntime init); cold reload median ${result.loadMedianMs} ms over ${o.loads} (budget 300 ms)${flag(over.load)}`);
    console.log(`incident of ${incident.length} lines (mean ${result.incidentMeanChars} chars): classify median ${result.classifyMedianMs} ms, p10 ${result.classifyP10Ms} ms, p95 ${result.classifyP95Ms} ms over ${o.runs} runs (budget 10 ms)${flag(over.incident)}`);
    console.log(`                                   embed    median ${result.embedMedianMs} ms, p95 ${result.embedP95Ms} ms`);
    console.log(`machine: ${result.cpus} CPUs, 1-minute load average ${result.loadAverage1m} (timings above ~1 per CPU are inflated by other processes)`);
  }
  if (over.size || over.load || over.incident) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exitCode = 1;
});
