/**
 * `npm run bench -- intent`: size, load time and latency per question of the intent model
 * `ops-intent`, run as the product runs it (the ONNX adapter: manifest hash check, transformers.js,
 * onnxruntime-node on one intra-op thread), and the time of a whole `ask` reading (model + rules)
 * and answer of a question that needs no evidence (a plan), in process.
 *
 * - size: bytes of `onnx/model.onnx` and of the model folder;
 * - load: `createIntentClassifier` from a cold memo, first load of the process and median of `--loads`;
 * - classify: one question per call over the held-out corpus, median and p95 of `--runs` calls;
 * - understand: `understandQuestion` (model, two-request split, entity rules), median and p95;
 * - ask: `ask` end to end on plan questions (no collectors), median and p95.
 *
 * Budgets (issue 12): size ≤ 5 MB, a question answered in under 300 ms once loaded; classification
 * a few ms. Prints `FAIL` next to a figure over budget and exits 1 then.
 * Usage: `npm run bench -- intent` or `tsx bench/intent.ts [--runs 200] [--loads 5] [--json]`
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { createIntentClassifier, INTENT_MODEL_ID, resetModelCache } from '../functions/adapters/onnx/index.js';
import { ask, understandQuestion, validateAskRequest } from '../functions/core/ask/index.js';
import { RunbookIndex } from '../functions/core/stages/retrieve/index.js';
import { DirectoryPlanStore } from '../functions/adapters/local/plan-store.js';
import { DirectoryStore } from '../functions/adapters/local/directory-store.js';
import { readIntentCorpus } from '../models/train/intent.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODELS_DIR = path.join(REPO_ROOT, 'models');
const BUDGET = { bytes: 5 * 1024 * 1024, questionMs: 300, classifyMs: 10 };

function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    total += statSync(full).isDirectory() ? folderBytes(full) : statSync(full).size;
  }
  return total;
}
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main(): Promise<void> {
  const o = new Command('bench:intent')
    .option('--runs <n>', 'questions to time', (v) => Number(v), 200)
    .option('--loads <n>', 'cold loads to time', (v) => Number(v), 5)
    .option('--json', 'print JSON')
    .parse().opts<{ runs: number; loads: number; json?: boolean }>();
  const modelFile = path.join(MODELS_DIR, INTENT_MODEL_ID, 'onnx', 'model.onnx');
  const bytes = statSync(modelFile).size;
  const folder = folderBytes(path.join(MODELS_DIR, INTENT_MODEL_ID));

  const loads: number[] = [];
  for (let i = 0; i < Math.max(1, o.loads); i++) {
    await resetModelCache();
    const started = performance.now();
    await createIntentClassifier({ modelsDir: MODELS_DIR });
    loads.push(performance.now() - started);
  }
  const classifier = await createIntentClassifier({ modelsDir: MODELS_DIR });
  const questions = readIntentCorpus(path.join(MODELS_DIR, 'intent', 'corpus', 'heldout.jsonl')).map((l) => l.text);
  const pick = (i: number) => questions[i % questions.length]!;
  for (let i = 0; i < 20; i++) await classifier.classify(pick(i));

  const classify: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const started = performance.now();
    await classifier.classify(pick(i));
    classify.push(performance.now() - started);
  }
  const now = new Date();
  const understand: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const started = performance.now();
    await understandQuestion(pick(i), now, { classifier, knownNames: ['checkout', 'payments', 'cart'] });
    understand.push(performance.now() - started);
  }
  const out = mkdtempSync(path.join(tmpdir(), 'bench-intent-'));
  const deps = { runbooks: await RunbookIndex.build([]), store: new DirectoryStore(out), plans: new DirectoryPlanStore(out), intents: classifier, now: () => now };
  const plansAsked = ['restrat chekout -n shop', 'kubectl scale deploy/cart --replicas 6 -n shop', 'pls roll back payments in ns billing', 'cordon ip-10-0-1-23.ec2.internal'];
  const askMs: number[] = [];
  for (let i = 0; i < Math.min(o.runs, 60); i++) {
    const started = performance.now();
    await ask(validateAskRequest({ question: plansAsked[i % plansAsked.length] }), deps);
    askMs.push(performance.now() - started);
  }
  rmSync(out, { recursive: true, force: true });

  const figures = {
    model: INTENT_MODEL_ID, modelBytes: bytes, folderBytes: folder,
    loadFirstMs: loads[0]!, loadMedianMs: quantile(loads.slice(1).length ? loads.slice(1) : loads, 0.5),
    classifyMedianMs: quantile(classify, 0.5), classifyP95Ms: quantile(classify, 0.95),
    understandMedianMs: quantile(understand, 0.5), understandP95Ms: quantile(understand, 0.95),
    askMedianMs: quantile(askMs, 0.5), askP95Ms: quantile(askMs, 0.95),
    runs: o.runs, cpus: cpus().length, loadavg: loadavg()[0],
  };
  const over = [bytes > BUDGET.bytes, figures.classifyP95Ms > BUDGET.classifyMs, figures.askP95Ms > BUDGET.questionMs];
  if (o.json) console.log(JSON.stringify(figures, null, 2));
  else {
    const flag = (bad: boolean) => (bad ? '  FAIL' : '');
    console.log(`intent model ${INTENT_MODEL_ID}: onnx/model.onnx ${(bytes / 1048576).toFixed(2)} MiB (folder ${(folder / 1048576).toFixed(2)} MiB; budget 5 MB)${flag(over[0]!)}`);
    console.log(`load (sha256 check + session): first ${ms(figures.loadFirstMs)}, then median ${ms(figures.loadMedianMs)} over ${loads.length - 1 || 1} cold loads`);
    console.log(`classify one question: median ${ms(figures.classifyMedianMs)}, p95 ${ms(figures.classifyP95Ms)} (${o.runs} held-out questions)${flag(over[1]!)}`);
    console.log(`read one question (model + two-request split + entity rules): median ${ms(figures.understandMedianMs)}, p95 ${ms(figures.understandP95Ms)}`);
    console.log(`ask end to end, plan questions (no evidence): median ${ms(figures.askMedianMs)}, p95 ${ms(figures.askP95Ms)} (budget 300 ms)${flag(over[2]!)}`);
    console.log(`machine: ${figures.cpus} CPUs, load average ${figures.loadavg.toFixed(2)}`);
  }
  await resetModelCache();
  if (over.some(Boolean)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  process.exitCode = 1;
});
