/**
 * `npm run eval:families`: message-family coverage. Each probe in `eval/families/probes.json` is a
 * failure (or benign) message as its emitting component words it, read from that component's
 * public source at a named version (kubelet, kube-scheduler, controllers, container runtimes, the
 * AWS SDKs and Lambda runtimes, language runtimes, databases, nginx, OpenSSL, curl …), old and new
 * wordings side by side. Each is diagnosed alone, as one line of evidence, the way the CLI
 * diagnoses a pasted line.
 *
 * The probes were written from the emitters' source without reading the product's rules. They
 * are a development set for the signature families (a miss is fixed for its whole family); the
 * held-out measure of the product stays the incident corpus's test split.
 *
 * Files: every `eval/families/probes*.json` (round one: Kubernetes, runtimes, databases; round two:
 * AWS services, Lambda, ECS, API Gateway, ALB, CloudWatch and application clients).
 *
 * Usage: `npm run eval:families -- [--misses] [--rules]`
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCategory, type Category } from '../functions/core/model/categories.js';
import { parseEvidenceText } from '../functions/core/stages/collect/formats/index.js';
import { manualIncident } from '../functions/core/stages/normalize/index.js';
import { runPipeline } from '../functions/core/pipeline.js';
import { loadLocalClassifier, loadRunbookIndex } from '../functions/composition/local.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(REPO_ROOT, 'eval', 'families');
const NOW = new Date('2026-12-01T00:00:00Z');

/** One probe of eval/families/probes.json. */
export interface Probe {
  readonly component: string;
  readonly source: string;
  readonly version?: string;
  readonly message: string;
  readonly category: Category;
  readonly also_acceptable?: Category[];
}

/** Diagnoses every probe; returns the first three categories of each. */
export async function runFamilies(probes: readonly Probe[], options: { model?: boolean } = {}): Promise<Array<{ probe: Probe; got: string[] }>> {
  const runbooks = await loadRunbookIndex();
  const classifier = options.model === false ? undefined : await loadLocalClassifier(() => undefined);
  const out: Array<{ probe: Probe; got: string[] }> = [];
  for (const [i, probe] of probes.entries()) {
    const source = `probe-${i}.txt`;
    const incident = manualIncident({ input: source, now: NOW, seed: `probe-${i}` });
    const collector = { name: `file:${source}`, async collect() { return parseEvidenceText(probe.message, source); } };
    const d = await runPipeline(incident, { collectors: [collector], runbooks, classifier, now: () => NOW, budgetMs: 10_000 });
    out.push({ probe, got: d.hypotheses.map((h) => h.category) });
  }
  return out;
}

async function main(): Promise<void> {
  const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => /^probes.*\.json$/.test(f)).sort() : [];
  if (files.length === 0) {
    console.log(`skipped: no probes in ${path.relative(REPO_ROOT, DIR)}`);
    return;
  }
  const probes = files.flatMap((f) => (JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as { probes: Probe[] }).probes).filter((p) => isCategory(p.category));
  const results = await runFamilies(probes, { model: !process.argv.includes('--rules') });
  const ok = (r: { probe: Probe; got: string[] }, n: number) => r.got.slice(0, n).some((g) => g === r.probe.category || (r.probe.also_acceptable ?? []).includes(g as Category));
  if (process.argv.includes('--misses')) {
    for (const r of results.filter((x) => !ok(x, 1))) console.log(`✗ ${r.probe.category.padEnd(26)} got ${r.got.slice(0, 3).join(',').padEnd(50)} [${r.probe.component}] ${r.probe.message.slice(0, 150)}`);
  }
  const byComponent = new Map<string, [number, number]>();
  for (const r of results) {
    const key = r.probe.component.split(/[ (/]/)[0]!;
    const row = byComponent.get(key) ?? [0, 0];
    row[0]++; row[1] += ok(r, 1) ? 1 : 0;
    byComponent.set(key, row);
  }
  const failures = results.filter((r) => r.probe.category !== 'unknown');
  const benign = results.filter((r) => r.probe.category === 'unknown');
  console.log(`\nprobes: ${results.length} (${failures.length} failures, ${benign.length} benign)`);
  console.log(`failure messages, right category first: ${failures.filter((r) => ok(r, 1)).length}/${failures.length}; in the first three: ${failures.filter((r) => ok(r, 3)).length}/${failures.length}`);
  console.log(`benign messages answered unknown: ${benign.filter((r) => ok(r, 1)).length}/${benign.length}`);
  console.log('per component (right first / probes):');
  for (const [c, [n, k]] of [...byComponent].sort((a, b) => b[1][0] - a[1][0])) console.log(`  ${c.padEnd(28)} ${k}/${n}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
