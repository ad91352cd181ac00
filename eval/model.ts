/**
 * `npm run eval:model`: how much the embedded model adds to the rules.
 *
 * 1. Held-out split (`models/corpus/heldout.jsonl`: one phrasing family per category that training
 *    never saw): top-1/top-3 accuracy of the shipped ONNX model (through the adapter, as the product
 *    runs it), overall and per category family; and per line, which of (a) rules alone
 *    (`categorizeText`, the signature catalogue), (b) the model alone, (c) both (the rule when a
 *    signature matches, else the model) names the right category, also on the lines no signature
 *    matches (new phrasing).
 * 2. HolmesGPT cases (`<data>/k8s/holmesgpt`, expected categories in `eval/holmesgpt-expected.json`):
 *    (a) the full pipeline with rules only, (b) the model alone over every evidence line of the
 *    case (see {@link modelAloneCategory}), (c) the full pipeline with the model blended in.
 *    Skipped with a message when the shared data is absent.
 *
 * Usage: `npm run eval:model -- [--data DIR] [--json]` (`DIR` defaults to `../shared/data`).
 * A report: exit code 0 whatever the accuracy.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { CATEGORIES, type Category } from '../functions/core/model/categories.js';
import type { CategoryClassifier } from '../functions/core/ports/model.port.js';
import { createClassifier } from '../functions/adapters/onnx/index.js';
import { readCorpus } from '../models/train/index.js';
import { scoreHeldout, CATEGORY_GROUPS } from '../models/train/metrics.js';
import { stripHolmesToolHeader } from './holmes-fixtures.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODELS_DIR = path.join(REPO_ROOT, 'models');
const SIGNATURES_MODULE = path.join(REPO_ROOT, 'functions/core/stages/analyze/signatures/index.ts');
const HOLMES_MODULE = path.join(REPO_ROOT, 'eval/holmesgpt.ts');

type Categorize = (text: string) => { category: Category } | undefined;

/** The rules' single-line classifier, when the signatures module exists. */
async function loadRules(): Promise<Categorize | undefined> {
  if (!existsSync(SIGNATURES_MODULE)) return undefined;
  const mod = (await import('../functions/core/stages/analyze/signatures/index.js')) as { categorizeText?: Categorize };
  return mod.categorizeText;
}

const pct = (k: number, n: number): string => (n ? `${((100 * k) / n).toFixed(1)}%` : '–');

/** Classifies texts in batches of 32 (the pipeline pads a batch to its longest text). */
async function classifyAll(classifier: CategoryClassifier, texts: readonly string[]) {
  const out: Array<Array<{ category: Category; score: number }>> = [];
  for (let i = 0; i < texts.length; i += 32) out.push(...(await classifier.classify(texts.slice(i, i + 32))));
  return out;
}

/** Lowest probability at which a line's top category counts as a vote in {@link modelAloneCategory}. */
export const VOTE_THRESHOLD = 0.6;

/**
 * The model-alone answer for a set of evidence lines: each line whose top category is not
 * `unknown` and has probability ≥ {@link VOTE_THRESHOLD} votes that probability for it; the
 * category with the largest vote sum wins; `unknown` when no line votes.
 */
export function modelAloneCategory(ranked: ReadonlyArray<ReadonlyArray<{ category: Category; score: number }>>): Category {
  const votes = new Map<Category, number>();
  for (const r of ranked) {
    const top = r[0];
    if (!top || top.category === 'unknown' || top.score < VOTE_THRESHOLD) continue;
    votes.set(top.category, (votes.get(top.category) ?? 0) + top.score);
  }
  let best: Category = 'unknown';
  let bestScore = 0;
  for (const c of CATEGORIES) {
    const v = votes.get(c) ?? 0;
    if (v > bestScore) [best, bestScore] = [c, v];
  }
  return best;
}

/** Evidence lines of a HolmesGPT case folder: every recorded file, tool headers stripped, deduplicated. */
function caseLines(files: readonly string[]): string[] {
  const lines = new Set<string>();
  for (const file of files) {
    for (const raw of stripHolmesToolHeader(readFileSync(file, 'utf8')).split('\n')) {
      const line = raw.trim();
      if (line.length >= 8 && line.length <= 1000) lines.add(line);
    }
  }
  return [...lines];
}

async function heldoutReport(classifier: CategoryClassifier, rules: Categorize | undefined, json: boolean) {
  const heldout = readCorpus(path.join(MODELS_DIR, 'corpus', 'heldout.jsonl'));
  const ranked = await classifyAll(classifier, heldout.map((h) => h.text));
  const metrics = scoreHeldout(ranked.map((r) => r.map((x) => x.category)), heldout.map((h) => h.label));
  let rulesOk = 0, modelOk = 0, bothOk = 0, unmatched = 0, unmatchedModelOk = 0;
  heldout.forEach((h, i) => {
    const rule = rules?.(h.text)?.category;
    const model = ranked[i]![0]!.category;
    const both = rule ?? model;
    if ((rule ?? 'unknown') === h.label) rulesOk++;
    if (model === h.label) modelOk++;
    if (both === h.label) bothOk++;
    if (!rule) {
      unmatched++;
      if (model === h.label) unmatchedModelOk++;
    }
  });
  if (json) return { metrics, lines: heldout.length, rulesOk: rules ? rulesOk : null, modelOk, bothOk: rules ? bothOk : null, unmatched, unmatchedModelOk };
  const n = heldout.length;
  console.log(`## Held-out split (${n} lines, ${new Set(heldout.map((h) => h.family)).size} phrasing families never seen in training)`);
  console.log(`model top-1 ${pct(metrics.overall.top1 * n, n)}, top-3 ${pct(metrics.overall.top3 * n, n)}`);
  for (const g of Object.keys(CATEGORY_GROUPS)) {
    const a = metrics.groups[g]!;
    console.log(`  ${g.padEnd(24)} n=${String(a.n).padStart(4)}  top-1 ${pct(a.top1 * a.n, a.n).padStart(6)}  top-3 ${pct(a.top3 * a.n, a.n).padStart(6)}`);
  }
  if (rules) {
    console.log(`right category first, per line: (a) rules alone ${pct(rulesOk, n)} | (b) model alone ${pct(modelOk, n)} | (c) rules, else model ${pct(bothOk, n)}`);
    console.log(`lines no signature matches: ${unmatched}/${n}; the model names ${unmatchedModelOk} of them right (${pct(unmatchedModelOk, unmatched)})`);
  } else {
    console.log('rules: functions/core/stages/analyze/signatures/index.ts not found; rules-alone and combined columns skipped');
  }
  const weakest = Object.entries(metrics.categories).sort((a, b) => a[1].top1 - b[1].top1).slice(0, 8);
  console.log(`weakest categories (top-1): ${weakest.map(([c, a]) => `${c} ${pct(a.top1 * a.n, a.n)}`).join(', ')}`);
  return undefined;
}

interface HolmesRow { id: string; expected: string; rules?: string; model: string; both?: string }

async function holmesReport(classifier: CategoryClassifier, dataDir: string, json: boolean, withPipeline = true) {
  const root = path.join(dataDir, 'k8s', 'holmesgpt');
  if (!existsSync(root)) {
    console.log(`\n## HolmesGPT cases: skipped (${root} not found; pass --data DIR)`);
    return undefined;
  }
  const expectedFile = path.join(REPO_ROOT, 'eval', 'holmesgpt-expected.json');
  if (!existsSync(expectedFile)) {
    console.log(`\n## HolmesGPT cases: skipped (${expectedFile} not found)`);
    return undefined;
  }
  const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Record<string, unknown> & { skip?: Record<string, string> };
  const holmes = existsSync(HOLMES_MODULE)
    ? ((await import('./holmesgpt.js')) as typeof import('./holmesgpt.js'))
    : undefined;
  const pipelineRules = new Map<string, string>();
  const pipelineBoth = new Map<string, string>();
  if (withPipeline && holmes && existsSync(path.join(REPO_ROOT, 'functions/core/pipeline.ts'))) {
    for (const r of await holmes.runHolmesEval(dataDir)) pipelineRules.set(r.id, r.got);
    for (const r of await holmes.runHolmesEval(dataDir, { model: true })) pipelineBoth.set(r.id, r.got);
  }
  const rows: HolmesRow[] = [];
  // The case list and evidence files come from the HolmesGPT evaluation (one reader of the fixtures).
  const cases = holmes ? holmes.holmesCases(root, expected as never) : [];
  for (const { id, dir, want, skipped } of cases) {
    if (typeof want !== 'string' || skipped) continue;
    const lines = caseLines(holmes!.evidenceFiles(dir));
    const model = modelAloneCategory(await classifyAll(classifier, lines));
    rows.push({ id, expected: want, rules: pipelineRules.get(id), model, both: pipelineBoth.get(id) });
  }
  const n = rows.length;
  const ok = (k: keyof HolmesRow) => rows.filter((r) => r[k] === r.expected).length;
  const hasPipeline = pipelineRules.size > 0;
  if (json) return { cases: n, rules: hasPipeline ? ok('rules') : null, model: ok('model'), both: hasPipeline ? ok('both') : null, rows };
  console.log(`\n## HolmesGPT cases (${n} scored; right category first)`);
  console.log(`${'case'.padEnd(48)} ${'expected'.padEnd(24)} ${'(a) rules'.padEnd(24)} ${'(b) model'.padEnd(24)} (c) both`);
  for (const r of rows) {
    const cell = (v: string | undefined) => `${v ?? '–'}${v === r.expected ? ' ✓' : ''}`.padEnd(24);
    console.log(`${r.id.replace(/^test_/, '').padEnd(48)} ${r.expected.padEnd(24)} ${cell(r.rules)} ${cell(r.model)} ${cell(r.both).trimEnd()}`);
  }
  console.log(`totals: (a) rules alone ${hasPipeline ? `${ok('rules')}/${n} (${pct(ok('rules'), n)})` : 'n/a (pipeline not available)'} | (b) model alone ${ok('model')}/${n} (${pct(ok('model'), n)}) | (c) both ${hasPipeline ? `${ok('both')}/${n} (${pct(ok('both'), n)})` : 'n/a'}`);
  console.log(`(a) and (c): runPipeline as eval/holmesgpt.ts runs it, without and with the classifier; (b): every evidence line classified, lines with top probability ≥ ${VOTE_THRESHOLD} vote (not unknown)`);
  return undefined;
}

async function main(): Promise<void> {
  const program = new Command('eval:model')
    .option('--data <dir>', 'shared data folder', path.resolve(REPO_ROOT, '..', 'shared', 'data'))
    .option('--json', 'print the figures as JSON')
    .option('--models-dir <dir>', 'folder holding manifest.json', MODELS_DIR)
    .option('--id <id>', 'manifest id of the classifier', 'ops-encoder')
    .option('--no-pipeline', 'skip the full-pipeline columns (a) and (c) on the HolmesGPT cases')
    .parse();
  const opts = program.opts<{ data: string; json?: boolean; modelsDir: string; id: string; pipeline: boolean }>();
  const classifier = await createClassifier({ modelsDir: opts.modelsDir, id: opts.id });
  const rules = await loadRules();
  console.log(opts.json ? '' : `model ${classifier.id} sha256 ${classifier.sha256}\n`);
  const heldout = await heldoutReport(classifier, rules, !!opts.json);
  const holmes = await holmesReport(classifier, opts.data, !!opts.json, opts.pipeline);
  if (opts.json) console.log(JSON.stringify({ model: { id: classifier.id, sha256: classifier.sha256 }, heldout, holmesgpt: holmes ?? null }, null, 2));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : String(error));
    process.exitCode = 1;
  });
}
