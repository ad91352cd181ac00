/**
 * Evaluation on the recorded HolmesGPT Kubernetes cases (`<data>/k8s/holmesgpt`).
 *
 * For every case folder under test_investigate, test_ask_holmes and test_workload_health: every
 * recorded file is evidence (`*.txt` tool outputs stripped of their HolmesGPT tool header, `*.yaml`
 * manifests read as Kubernetes objects, other recorded JSON outputs as text), except the case
 * definition and agent settings (`test_case.yaml`, `toolsets.yaml`, `*_instructions.json`) and
 * runbooks (`runbook_*.json`, `*.md`: knowledge, not evidence). `issue_data.json`,
 * `investigate_request.json` or `workload_health_request.json` is the incident when it holds an
 * alert or finding (read by `normalizeEvent`); otherwise a manual incident is made.
 *
 * The pipeline runs as the product runs it (`runPipeline`, bundled runbooks, rules only unless
 * `--model`), and the table compares the first hypothesis with the expected category written in
 * `eval/holmesgpt-expected.json` (from each case's `test_case.yaml` expected output, prompt and
 * manifests). It is a report: exit code 0 whatever the result.
 *
 * Usage: `npm run eval -- [--data DIR] [--json] [--verbose] [--model]`
 * (`DIR` defaults to `../shared/data` relative to the repository root).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { Incident } from '../functions/core/model/incident.js';
import type { Diagnosis } from '../functions/core/model/diagnosis.js';
import type { Collector } from '../functions/core/ports/collector.port.js';
import { describeError } from '../functions/core/model/errors.js';
import { parseEvidenceText } from '../functions/core/stages/collect/formats/index.js';
import { manualIncident, normalizeEvent } from '../functions/core/stages/normalize/index.js';
import { runPipeline } from '../functions/core/pipeline.js';
import { loadLocalClassifier, loadRunbookIndex } from '../functions/composition/local.js';
import { stripHolmesToolHeader } from './holmes-fixtures.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GROUPS = ['test_investigate', 'test_ask_holmes', 'test_workload_health'] as const;
const INCIDENT_FILES = ['issue_data.json', 'investigate_request.json', 'workload_health_request.json'];
const NOT_EVIDENCE = /^(?:test_case\.yaml|toolsets\.yaml|resource_instructions\.json|global_instructions\.json|runbook_.*\.json|.*\.md)$/;
const FIXED_NOW = new Date('2025-01-01T00:00:00Z');

/** Expected categories file: case → category, plus `skip` (case → reason) and `notes`. */
export interface Expected {
  readonly [key: string]: unknown;
  readonly skip?: Record<string, string>;
  readonly notes?: Record<string, string>;
}

/** One row of the report. */
export interface CaseResult {
  readonly id: string;
  readonly expected?: string;
  readonly skipped?: string;
  readonly got: string;
  readonly confidence: number;
  readonly evidence?: { text: string; source: string; line?: number };
  readonly ok: boolean;
  readonly second?: string;
  readonly error?: string;
}

/** Recorded evidence files of a case (one sub-folder level deep), sorted. */
export function evidenceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      for (const inner of readdirSync(full).sort()) if (/\.(?:ya?ml|txt|json|log)$/.test(inner)) out.push(path.join(full, inner));
      continue;
    }
    if (NOT_EVIDENCE.test(name) || INCIDENT_FILES.includes(name)) continue;
    if (!/\.(?:ya?ml|txt|json|log)$/.test(name)) continue;
    out.push(full);
  }
  return out;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** The incident of a case: the first alert/finding file `normalizeEvent` reads, else manual. */
export function caseIncident(dir: string, id: string): Incident {
  for (const name of INCIDENT_FILES) {
    const file = path.join(dir, name);
    if (!existsSync(file)) continue;
    const payload = readJson(file);
    if (payload === undefined || isEmptyObject(payload)) continue;
    try {
      return normalizeEvent(payload, { input: path.relative(REPO_ROOT, file), now: FIXED_NOW });
    } catch {
      // Not an alert shape normalize reads (e.g. a HolmesGPT investigate request): build it by hand.
      const p = payload as Record<string, any>;
      const subject = p.subject ?? p.resource ?? {};
      const base = manualIncident({ input: id, title: String(p.title ?? p.ask ?? id), namespace: subject.namespace ?? p.namespace, now: FIXED_NOW, seed: id });
      const kind = String(subject.kind ?? subject.subject_type ?? 'Pod');
      const type = kind.charAt(0).toUpperCase() + kind.slice(1).toLowerCase();
      return {
        ...base,
        reason: typeof p.description === 'string' ? p.description : base.reason,
        resources: subject.name ? [...base.resources, { type, name: String(subject.name), ...(subject.namespace ? { namespace: String(subject.namespace) } : {}) }] : base.resources,
        labels: { ...base.labels, ...(subject.container ? { container: String(subject.container) } : {}) },
      };
    }
  }
  const testCase = path.join(dir, 'test_case.yaml');
  const prompt = existsSync(testCase) ? /^user_prompt:\s*(.*)$/m.exec(readFileSync(testCase, 'utf8'))?.[1]?.replace(/^['"]|['"]$/g, '') : undefined;
  return { ...manualIncident({ input: id, title: id, now: FIXED_NOW, seed: id }), ...(prompt ? { question: prompt } : {}) };
}

/** A collector reading one recorded file. */
function fileCollector(file: string): Collector {
  const source = path.relative(REPO_ROOT, file);
  return {
    name: `file:${path.basename(file)}`,
    async collect() {
      const text = stripHolmesToolHeader(readFileSync(file, 'utf8'));
      if (text.trim() === '') return {};
      return parseEvidenceText(text, source);
    },
  };
}

/** One case folder of the HolmesGPT fixtures with its expected category (from eval/holmesgpt-expected.json). */
export interface HolmesCase {
  readonly id: string;
  readonly dir: string;
  readonly want?: string;
  readonly skipped?: string;
}

/** The expected categories written for this project (`eval/holmesgpt-expected.json`). */
export function readExpected(): Expected {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'eval', 'holmesgpt-expected.json'), 'utf8')) as Expected;
}

/** Every case folder under `root` (`<data>/k8s/holmesgpt`), in a stable order, with its expectation. */
export function holmesCases(root: string, expected: Expected = readExpected()): HolmesCase[] {
  const cases: HolmesCase[] = [];
  for (const group of GROUPS) {
    const groupDir = path.join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const dir = path.join(groupDir, name);
      if (!statSync(dir).isDirectory()) continue;
      const id = `${group}/${name}`;
      cases.push({ id, dir, want: typeof expected[id] === 'string' ? (expected[id] as string) : undefined, skipped: expected.skip?.[id] });
    }
  }
  return cases;
}

/** Runs every case and compares with the expected categories. */
export async function runHolmesEval(dataDir: string, options: { model?: boolean } = {}): Promise<CaseResult[]> {
  const root = path.join(dataDir, 'k8s', 'holmesgpt');
  const expected = readExpected();
  const runbooks = await loadRunbookIndex();
  const classifier = options.model ? await loadLocalClassifier((reason) => console.error(`model unavailable: ${reason}`)) : undefined;
  const results: CaseResult[] = [];
  for (const { id, dir, want, skipped } of holmesCases(root, expected)) {
    try {
      const incident = caseIncident(dir, id);
      const collectors = evidenceFiles(dir).map(fileCollector);
      const diagnosis: Diagnosis = await runPipeline(incident, { collectors, runbooks, classifier, now: () => FIXED_NOW, budgetMs: 30_000 });
      const first = diagnosis.hypotheses[0];
      results.push({
        id, expected: want, skipped,
        got: first?.category ?? 'none', confidence: first?.confidence ?? 0,
        evidence: first?.evidence[0],
        ok: !skipped && want !== undefined && first?.category === want && (want === 'unknown' || (first?.evidence.length ?? 0) > 0),
        second: diagnosis.hypotheses[1] ? `${diagnosis.hypotheses[1].category} ${diagnosis.hypotheses[1].confidence.toFixed(2)}` : undefined,
      });
    } catch (error) {
      results.push({ id, expected: want, skipped, got: 'error', confidence: 0, ok: false, error: describeError(error) });
    }
  }
  return results;
}

function cut(text: string, n: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

function pad(text: string, n: number): string {
  return text.length >= n ? text : text + ' '.repeat(n - text.length);
}

/** Prints the table and the totals. */
export function printReport(results: readonly CaseResult[], verbose = false): void {
  const rows = results.map((r) => [
    r.id.replace(/^test_/, ''),
    r.skipped ? 'skip' : r.expected ?? '?',
    r.error ? `error: ${cut(r.error, 40)}` : `${r.got} ${r.confidence.toFixed(2)}`,
    r.evidence ? cut(`${r.evidence.text}  [${path.basename(r.evidence.source)}${r.evidence.line ? `:${r.evidence.line}` : ''}]`, 90) : '',
    r.skipped ? '–' : r.ok ? '✓' : '✗',
  ]);
  const head = ['case', 'expected', 'got', 'evidence (first quoted line)', ''];
  const widths = head.map((h, i) => Math.min(i === 3 ? 90 : 60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  console.log(head.map((h, i) => pad(h, widths[i]!)).join(' | '));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  results.forEach((r, i) => {
    console.log(rows[i]!.map((c, j) => pad(c, widths[j]!)).join(' | '));
    if (verbose && r.skipped) console.log(`    skipped: ${r.skipped}`);
    if (verbose && r.second) console.log(`    second: ${r.second}`);
  });
  const scored = results.filter((r) => !r.skipped && r.expected !== undefined);
  const correct = scored.filter((r) => r.ok).length;
  const withEvidence = scored.filter((r) => r.ok && r.expected !== 'unknown').length;
  const nonUnknown = scored.filter((r) => r.expected !== 'unknown').length;
  console.log('');
  console.log(`cases: ${results.length}, scored: ${scored.length}, skipped: ${results.length - scored.length}`);
  console.log(`first hypothesis correct: ${correct}/${scored.length} (${scored.length ? ((100 * correct) / scored.length).toFixed(1) : '0.0'}%)`);
  console.log(`  of which a failure category with its evidence line quoted: ${withEvidence}/${nonUnknown}; expected unknown and answered unknown: ${correct - withEvidence}/${scored.length - nonUnknown}`);
}

async function main(): Promise<void> {
  const program = new Command()
    .name('eval-holmesgpt')
    .option('--data <dir>', 'shared data folder', path.resolve(REPO_ROOT, '..', 'shared', 'data'))
    .option('--json', 'print results as JSON')
    .option('--verbose', 'print the second hypothesis and skip reasons')
    .option('--model', 'use the bundled ONNX classifier when available')
    .parse();
  const opts = program.opts<{ data: string; json?: boolean; verbose?: boolean; model?: boolean }>();
  const root = path.join(opts.data, 'k8s', 'holmesgpt');
  if (!existsSync(root)) {
    console.log(`skipped: ${root} not found (pass --data DIR)`);
    return;
  }
  const started = performance.now();
  const results = await runHolmesEval(opts.data, { model: opts.model });
  if (opts.json) console.log(JSON.stringify(results, null, 2));
  else printReport(results, opts.verbose);
  console.log(`time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(describeError(error));
    process.exitCode = 0;
  });
}
