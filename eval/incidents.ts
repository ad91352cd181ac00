/**
 * `npm run eval:incidents`: the diagnosis on the real-incident corpus (`eval/incidents/cases/`,
 * gathered from public threads; see eval/incidents/README.md).
 *
 * Each case's `input` is the evidence of an evidence-only run (no event), diagnosed as the CLI
 * diagnoses `ops-assistant diagnose --evidence FILE`. Figures, per split:
 * - top-1: the first hypothesis is `expected_category` or one of `also_acceptable`;
 * - top-3: one of the first three is;
 * - evidence quoted: for failure cases, the right hypothesis (within the first three) quotes a
 *   line containing one of `evidence_lines` (or contained in one);
 * - unknown right: cases with no failure (`expected_category: unknown`) answered `unknown`.
 *
 * The test split (`eval/incidents/split.json`, frozen with `test.sha256` before any tuning) is
 * printed as totals only; dev cases get one row each. `--freeze` assigns the splits (by source
 * repository, deterministic) and writes both files, appending only.
 *
 * Usage: `npm run eval:incidents -- [--rules | --model-only] [--split dev|test|all] [--json] [--freeze]`
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { CATEGORIES, isCategory, type Category } from '../functions/core/model/categories.js';
import type { Diagnosis } from '../functions/core/model/diagnosis.js';
import { describeError } from '../functions/core/model/errors.js';
import { diagnoseEvidenceTexts, loadLocalClassifier } from '../functions/composition/local.js';
import { redact } from '../functions/core/stages/compose/redact.js';
import { modelAloneCategory } from './model.js';
import { sourceGroup, splitOf, TEST_SHARE } from './incidents-split.js';

export { sourceGroup, splitOf } from './incidents-split.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(REPO_ROOT, 'eval', 'incidents');
const CASES_DIR = path.join(DIR, 'cases');
const SPLIT_FILE = path.join(DIR, 'split.json');
const SHA_FILE = path.join(DIR, 'test.sha256');
/** The wall clock of an evaluation run (the incident's time comes from the evidence itself). */
const FIXED_NOW = new Date('2026-12-01T00:00:00Z');

/** One case file (see eval/incidents/README.md). */
export interface IncidentCase {
  readonly id: string;
  readonly file: string;
  readonly source: string;
  readonly repository: string;
  readonly input: string;
  readonly expected_category: Category;
  readonly also_acceptable?: Category[];
  readonly evidence_lines: string[];
  readonly root_cause: string;
  readonly platform?: string;
}

/** Result of one case. */
export interface IncidentResult {
  readonly id: string;
  readonly split: 'dev' | 'test';
  readonly expected: Category;
  readonly acceptable: Category[];
  readonly platform: string;
  readonly got: string[];
  readonly confidence: number;
  readonly top1: boolean;
  readonly top3: boolean;
  /** undefined for `unknown` cases. */
  readonly quoted?: boolean;
  readonly quote?: string;
  readonly error?: string;
}

/** Reads and checks every case file. @throws Error naming the file and field when one is malformed. */
export function loadCases(dir = CASES_DIR): IncidentCase[] {
  if (!existsSync(dir)) return [];
  const out: IncidentCase[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const fail = (what: string): never => { throw new Error(`${name}: ${what}`); };
    if (typeof raw.input !== 'string' || raw.input.trim() === '') fail('input missing');
    if (typeof raw.source !== 'string') fail('source missing');
    if (typeof raw.expected_category !== 'string' || !isCategory(raw.expected_category)) fail(`expected_category ${String(raw.expected_category)} is not a category`);
    const also = Array.isArray(raw.also_acceptable) ? raw.also_acceptable : [];
    for (const a of also) if (typeof a !== 'string' || !isCategory(a)) fail(`also_acceptable ${String(a)} is not a category`);
    const lines = Array.isArray(raw.evidence_lines) ? raw.evidence_lines.map(String) : [];
    for (const l of lines) if (!(raw.input as string).includes(l)) fail(`evidence line not in input: ${l.slice(0, 60)}`);
    out.push({
      id: name.replace(/\.json$/, ''), file,
      source: raw.source as string,
      repository: typeof raw.repository === 'string' ? raw.repository : '',
      input: raw.input as string,
      expected_category: raw.expected_category as Category,
      also_acceptable: also as Category[],
      evidence_lines: lines,
      root_cause: String(raw.root_cause ?? ''),
      platform: typeof raw.platform === 'string' ? raw.platform : undefined,
    });
  }
  return out;
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The frozen split: source group → split, and the test files' digests. */
interface SplitFile {
  readonly description: string;
  readonly freezes?: Array<{ at: string; added: number; withdrawn?: number }>;
  readonly groups: Record<string, 'dev' | 'test'>;
  readonly test: string[];
}

/**
 * Freezes the test split: adds every test-group case file not yet listed to split.json and its
 * sha256 to test.sha256. Append-only: a listed file is never dropped or redrawn, so cases
 * gathered later (by people who never saw the product's rules) join the split in a second freeze
 * before anything is run on them.
 * @returns the number of test files listed before and after, and the dev cases.
 */
export function freeze(cases: readonly IncidentCase[]): { before: number; test: number; dev: number } {
  const old = existsSync(SPLIT_FILE) ? (JSON.parse(readFileSync(SPLIT_FILE, 'utf8')) as SplitFile) : undefined;
  const listed = new Set(old?.test ?? []);
  const groups: Record<string, 'dev' | 'test'> = { ...(old?.groups ?? {}) };
  for (const c of cases) groups[sourceGroup(c)] = splitOf(c);
  // a listed file its gatherer withdrew (a duplicate of another gatherer's thread) is dropped, and counted
  const present = new Set(cases.map((c) => path.basename(c.file)));
  const withdrawn = [...listed].filter((f) => !present.has(f));
  const test = [...new Set([...[...listed].filter((f) => present.has(f)), ...cases.filter((c) => splitOf(c) === 'test').map((c) => path.basename(c.file))])].sort();
  const sorted = Object.fromEntries(Object.entries(groups).sort(([a], [b]) => a.localeCompare(b)));
  const split: SplitFile = {
    description: `Test split, frozen before tuning and appended to only (dates in freezes). Source groups (GitHub repository, else the page) are assigned by sha256, ${Math.round(TEST_SHARE * 100)} % of the hash range to test (splitOf in eval/incidents.ts). \`test\` lists the test files; test.sha256 their digests.`,
    freezes: [...(old?.freezes ?? []), { at: new Date().toISOString(), added: test.filter((f) => !listed.has(f)).length, withdrawn: withdrawn.length }],
    groups: sorted,
    test,
  };
  writeFileSync(SPLIT_FILE, `${JSON.stringify(split, null, 2)}\n`);
  const lines = test.map((f) => `${sha256(readFileSync(path.join(CASES_DIR, f)))}  eval/incidents/cases/${f}`);
  writeFileSync(SHA_FILE, `${lines.join('\n')}\n`);
  return { before: listed.size, test: test.length, dev: cases.length - cases.filter((c) => splitOf(c) === 'test').length };
}

/** Verifies the test files against test.sha256. @returns the mismatching files. */
export function verifyTestDigests(): string[] {
  if (!existsSync(SHA_FILE)) return [];
  const bad: string[] = [];
  for (const line of readFileSync(SHA_FILE, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64})  (eval\/incidents\/cases\/\S+)$/.exec(line);
    if (!m) continue;
    const file = path.join(REPO_ROOT, m[2]!);
    if (!existsSync(file) || sha256(readFileSync(file)) !== m[1]) bad.push(m[2]!);
  }
  return bad;
}


/** Does a quoted line show one of the case's evidence lines? Compared after redaction, spaces folded. */
export function quotes(quoted: string, wanted: readonly string[]): boolean {
  const fold = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const q = fold(quoted);
  if (q.length < 4) return false;
  return wanted.some((w) => {
    const a = fold(redact(w).text);
    const b = fold(w);
    return [a, b].some((x) => x.length > 0 && (q.includes(x) || (x.includes(q) && q.length >= Math.min(20, x.length))));
  });
}

/** Runs every case. */
export async function runIncidentEval(cases: readonly IncidentCase[], options: { mode: 'both' | 'rules' | 'model-only'; split?: SplitFile }): Promise<IncidentResult[]> {
  const classifier = options.mode !== 'model-only' ? undefined : await loadLocalClassifier((reason) => console.error(`model unavailable: ${reason}`));
  const results: IncidentResult[] = [];
  for (const c of cases) {
    const split = splitOf(c);
    const acceptable = [c.expected_category, ...(c.also_acceptable ?? [])];
    const base = { id: c.id, split, expected: c.expected_category, acceptable, platform: c.platform ?? '?' };
    try {
      let got: string[];
      let confidence = 0;
      let quoted: boolean | undefined;
      let quote: string | undefined;
      if (options.mode === 'model-only') {
        const lines = c.input.split('\n').map((l) => l.trim()).filter((l) => l.length > 3).slice(0, 400);
        const ranked = classifier ? await classifier.classify(lines) : [];
        got = [modelAloneCategory(ranked as never)];
      } else {
        // As `ops-assistant diagnose --evidence FILE` does: the evidence's own time, subject and id.
        const diagnosis: Diagnosis = await diagnoseEvidenceTexts([{ name: `${c.id}.txt`, text: c.input }], { useModel: options.mode !== 'rules', now: () => FIXED_NOW });
        got = diagnosis.hypotheses.map((h) => h.category);
        confidence = diagnosis.hypotheses[0]?.confidence ?? 0;
        if (c.expected_category !== 'unknown') {
          const right = diagnosis.hypotheses.slice(0, 3).find((h) => acceptable.includes(h.category));
          quoted = !!right && right.evidence.some((e) => quotes(e.text, c.evidence_lines));
          quote = (right ?? diagnosis.hypotheses[0])?.evidence[0]?.text;
        }
      }
      results.push({ ...base, got, confidence, top1: acceptable.includes(got[0] as Category), top3: got.slice(0, 3).some((g) => acceptable.includes(g as Category)), quoted, quote });
    } catch (error) {
      results.push({ ...base, got: ['error'], confidence: 0, top1: false, top3: false, quoted: c.expected_category === 'unknown' ? undefined : false, error: describeError(error) });
    }
  }
  return results;
}

const AWS_PLATFORMS = new Set(['lambda', 'ecs', 'ec2', 'aws']);

function pct(a: number, b: number): string {
  return b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`;
}

/** Totals of a set of results: top-1, top-3, evidence quoted, unknown right, AWS-native top-1. */
export function totals(results: readonly IncidentResult[]): Record<string, string> {
  const fail = results.filter((r) => r.expected !== 'unknown');
  const healthy = results.filter((r) => r.expected === 'unknown');
  const aws = results.filter((r) => AWS_PLATFORMS.has(r.platform));
  const n = (xs: readonly IncidentResult[], f: (r: IncidentResult) => boolean | undefined) => xs.filter(f).length;
  return {
    cases: String(results.length),
    'top-1': `${n(results, (r) => r.top1)}/${results.length} = ${pct(n(results, (r) => r.top1), results.length)}`,
    'top-3': `${n(results, (r) => r.top3)}/${results.length} = ${pct(n(results, (r) => r.top3), results.length)}`,
    'evidence quoted': `${n(fail, (r) => r.quoted)}/${fail.length} = ${pct(n(fail, (r) => r.quoted), fail.length)}`,
    'unknown right': `${n(healthy, (r) => r.top1)}/${healthy.length} = ${pct(n(healthy, (r) => r.top1), healthy.length)}`,
    'AWS-native top-1': `${n(aws, (r) => r.top1)}/${aws.length} = ${pct(n(aws, (r) => r.top1), aws.length)}`,
    errors: String(n(results, (r) => r.error !== undefined)),
  };
}

/** Per expected category: cases, top-1 right, top-3 right. */
export function perCategory(results: readonly IncidentResult[]): Array<[string, number, number, number]> {
  const rows = new Map<string, [number, number, number]>();
  for (const r of results) {
    const row = rows.get(r.expected) ?? [0, 0, 0];
    row[0]++; row[1] += r.top1 ? 1 : 0; row[2] += r.top3 ? 1 : 0;
    rows.set(r.expected, row);
  }
  return [...rows].sort(([a], [b]) => CATEGORIES.indexOf(a as Category) - CATEGORIES.indexOf(b as Category)).map(([c, [n, t1, t3]]) => [c, n, t1, t3]);
}

function cut(text: string, n: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('eval-incidents')
    .option('--rules', 'rules alone (no ONNX classifier)')
    .option('--model-only', 'the classifier alone, voting over the input lines')
    .option('--split <split>', 'dev | test | all', 'all')
    .option('--by-category', 'also print the per-category table of the test split')
    .option('--json', 'print dev results as JSON (test totals only)')
    .option('--freeze', 'assign and write the frozen split (once)')
    .parse();
  const opts = program.opts<{ rules?: boolean; modelOnly?: boolean; split: string; byCategory?: boolean; json?: boolean; freeze?: boolean }>();
  const cases = loadCases();
  if (cases.length === 0) {
    console.log(`skipped: no cases in ${path.relative(REPO_ROOT, CASES_DIR)}`);
    return;
  }
  if (opts.freeze) {
    const { before, test, dev } = freeze(cases);
    console.log(`frozen: ${test} test cases (${before} listed before), ${dev} dev cases (eval/incidents/split.json, eval/incidents/test.sha256)`);
    return;
  }
  const bad = verifyTestDigests();
  if (bad.length > 0) console.log(`WARNING: ${bad.length} test files differ from test.sha256: ${bad.join(', ')}`);
  const split = existsSync(SPLIT_FILE) ? (JSON.parse(readFileSync(SPLIT_FILE, 'utf8')) as SplitFile) : undefined;
  if (!split) console.log('test file list not frozen yet (run --freeze); splits follow the source-group hash');
  else {
    const late = cases.filter((c) => splitOf(c) === 'test' && !split.test.includes(path.basename(c.file)));
    if (late.length > 0) console.log(`WARNING: ${late.length} test-group cases are not frozen yet (run --freeze before anything else)`);
  }
  const mode = opts.modelOnly ? 'model-only' : opts.rules ? 'rules' : 'both';
  const chosen = cases.filter((c) => opts.split === 'all' || splitOf(c) === opts.split);
  const started = performance.now();
  const results = await runIncidentEval(chosen, { mode, split });
  const dev = results.filter((r) => r.split === 'dev');
  const test = results.filter((r) => r.split === 'test');
  if (opts.json) console.log(JSON.stringify(dev, null, 2));
  else {
    for (const r of dev) {
      const mark = r.top1 ? '✓' : r.top3 ? '~' : '✗';
      const q = r.expected === 'unknown' ? '' : r.quoted ? ' quoted' : ' NOT-quoted';
      console.log(`${mark} ${r.id.padEnd(44).slice(0, 44)} ${r.expected.padEnd(26)} got ${r.got.slice(0, 3).join(',').padEnd(50).slice(0, 50)} ${r.confidence.toFixed(2)}${q}${r.error ? ` error: ${cut(r.error, 80)}` : ''}`);
    }
  }
  console.log(`\nmode: ${mode}`);
  for (const [name, set] of [['dev', dev], ['test', test]] as const) {
    if (set.length === 0) continue;
    console.log(`\n[${name}]`);
    for (const [k, v] of Object.entries(totals(set))) console.log(`  ${k.padEnd(18)} ${v}`);
  }
  if (opts.byCategory && test.length > 0) {
    console.log('\n[test] per category: cases, top-1, top-3');
    for (const [c, n, t1, t3] of perCategory(test)) console.log(`  ${c.padEnd(26)} ${String(n).padStart(3)} ${String(t1).padStart(3)} ${String(t3).padStart(3)}`);
  }
  console.log(`\ntime: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(describeError(error));
    process.exitCode = 1;
  });
}
