/**
 * Retrieval evaluation on the recorded HolmesGPT cases: for each scored case, runs collect and
 * analyze as the pipeline does, then `retrieve`, and checks whether the expected category
 * (`eval/holmesgpt-expected.json`) is declared by the top passage (hit@1) or any of the top 3
 * (hit@3), and its reciprocal rank within the top 10 (MRR@10). Cases expecting `unknown` are
 * left out. A report: exit code 0 whatever the result.
 *
 * Usage: `npx tsx test/retrieve/eval-retrieval.ts [--data DIR] [--kb DIR]... [--verbose]`
 * (`DIR` defaults to `../../../shared/data` relative to the repository root; skips when absent).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { Collector } from '../../../../functions/core/ports/collector.port.js';
import { collect } from '../../../../functions/core/stages/collect/index.js';
import { parseEvidenceText } from '../../../../functions/core/stages/collect/formats/index.js';
import { analyze } from '../../../../functions/core/stages/analyze/index.js';
import { RunbookIndex, retrieve } from '../../../../functions/core/stages/retrieve/index.js';
import { runbookFolderSource } from '../../../../functions/adapters/local/runbook-folder.source.js';
import { caseIncident, evidenceFiles, holmesCases } from '../../../../eval/holmesgpt.js';
import { stripHolmesToolHeader } from '../../../../eval/holmes-fixtures.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

function fileCollector(file: string): Collector {
  return {
    name: `file:${path.basename(file)}`,
    async collect() {
      const text = stripHolmesToolHeader(readFileSync(file, 'utf8'));
      return text.trim() ? parseEvidenceText(text, path.relative(REPO_ROOT, file)) : {};
    },
  };
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--data <dir>', 'shared data folder', path.resolve(REPO_ROOT, '..', 'shared', 'data'))
    .option('--kb <dir...>', 'extra runbook folders', [] as string[])
    .option('--verbose', 'print every case')
    .parse()
    .opts<{ data: string; kb: string[]; verbose?: boolean }>();
  const root = path.join(opts.data, 'k8s', 'holmesgpt');
  if (!existsSync(root)) {
    console.log(`skipped: ${root} not found (pass --data DIR)`);
    return;
  }
  const expected = JSON.parse(readFileSync(path.join(REPO_ROOT, 'eval', 'holmesgpt-expected.json'), 'utf8')) as Record<string, unknown> & { skip?: Record<string, string> };
  const t0 = performance.now();
  const docs = (
    await Promise.all([runbookFolderSource(path.join(REPO_ROOT, 'knowledge-base'), 'bundled'), ...opts.kb.map((d) => runbookFolderSource(d, path.basename(path.resolve(d))))].map((s) => s.load()))
  ).flat();
  const index = await RunbookIndex.build(docs);
  const buildMs = performance.now() - t0;
  let n = 0;
  let hit1 = 0;
  let hit3 = 0;
  let mrr = 0;
  const searchMs: number[] = [];
  for (const { id, dir, want, skipped } of holmesCases(root, expected as never)) {
    if (typeof want !== 'string' || want === 'unknown' || skipped) continue;
    const incident = caseIncident(dir, id);
    const context = await collect(incident, evidenceFiles(dir).map(fileCollector), { budgetMs: 30_000 });
    const analysis = analyze(incident, context);
    const started = performance.now();
    const { passages } = await retrieve(incident, context, analysis, index, { k: 10 });
    searchMs.push(performance.now() - started);
    const rank = passages.findIndex((p) => p.categories.includes(want as never));
    n++;
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 3) hit3++;
    if (rank >= 0) mrr += 1 / (rank + 1);
    if (opts.verbose || rank !== 0) {
      console.log(`${rank === 0 ? '✓' : '✗'} ${id}: expected ${want}, rank ${rank < 0 ? '>10' : rank + 1}; top: ${passages[0] ? `${passages[0].path} # ${passages[0].heading}` : 'none'}`);
    }
  }
  searchMs.sort((a, b) => a - b);
  console.log('');
  console.log(`runbook passages: ${index.size} from ${docs.length} documents, index built in ${buildMs.toFixed(0)} ms`);
  console.log(`cases: ${n}; hit@1 ${hit1}/${n} (${((100 * hit1) / n).toFixed(1)}%), hit@3 ${hit3}/${n} (${((100 * hit3) / n).toFixed(1)}%), MRR@10 ${(mrr / n).toFixed(3)}`);
  console.log(`retrieve latency: median ${searchMs[Math.floor(searchMs.length / 2)]?.toFixed(1)} ms, max ${searchMs[searchMs.length - 1]?.toFixed(1)} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 0;
});
