/**
 * Evaluation of the template miner on the Loghub-2k datasets (corrected ground truth).
 *
 *   npm run eval:templates -- [--data DIR] [--system NAME] [--failures N]
 *
 * DIR defaults to `../shared/data` relative to the repo root and must hold `loghub/<System>/…`.
 * For each system: the raw log is split with its `log_format` (log_formats.json; its per-dataset
 * `regex` lists are NOT used), every message is added to one TemplateMiner with the default
 * options (the same for every system), then each line's final template is looked up.
 * - GA (grouping accuracy, Zhu et al., ICSE-SEIP 2019, logpai/logparser `evaluator.get_accuracy`):
 *   a line counts when its predicted group holds exactly the lines of its ground-truth group.
 * - PA (parsing accuracy, Loghub-2.0, Jiang et al. 2024): a line counts when its predicted
 *   template equals the ground-truth template string.
 * Ground-truth groups are the `EventTemplate` values (as Loghub-2.0 groups them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TemplateMiner, parseLogFormat, type TemplateMinerOptions } from '../functions/core/stages/analyze/templates/index.js';

export const SYSTEMS = [
  'HDFS', 'Hadoop', 'Spark', 'Zookeeper', 'BGL', 'HPC', 'Thunderbird', 'Windows',
  'Linux', 'Android', 'HealthApp', 'Apache', 'Proxifier', 'OpenSSH', 'OpenStack', 'Mac',
] as const;

/** Parses RFC 4180 CSV text into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Grouping accuracy (Zhu et al. 2019). */
export function groupingAccuracy(truth: readonly string[], predicted: readonly string[]): number {
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<string, number[]>();
  predicted.forEach((p, i) => {
    let g = groups.get(p);
    if (!g) groups.set(p, (g = []));
    g.push(i);
  });
  let correct = 0;
  for (const lines of groups.values()) {
    const t = truth[lines[0]!]!;
    if (lines.every((i) => truth[i] === t) && truthSize.get(t) === lines.length) correct += lines.length;
  }
  return correct / truth.length;
}

export interface SystemResult {
  system: string;
  lines: number;
  truthTemplates: number;
  predictedTemplates: number;
  ga: number;
  pa: number;
  headerMismatches: number;
  failures: Array<{ truth: string; predicted: string; content: string; count: number }>;
  /** Ground-truth templates not grouped exactly, with the predicted templates their lines got. */
  groupErrors: Array<{ truth: string; size: number; predicted: Array<{ template: string; count: number; others: number }>; example: string }>;
}

function groupErrorsOf(truth: readonly string[], predicted: readonly string[], contents: readonly string[]): SystemResult['groupErrors'] {
  const byTruth = new Map<string, number[]>();
  const byPred = new Map<string, number[]>();
  truth.forEach((t, i) => {
    let a = byTruth.get(t);
    if (!a) byTruth.set(t, (a = []));
    a.push(i);
    let b = byPred.get(predicted[i]!);
    if (!b) byPred.set(predicted[i]!, (b = []));
    b.push(i);
  });
  const out: SystemResult['groupErrors'] = [];
  for (const [t, lines] of byTruth) {
    const preds = new Map<string, number>();
    for (const i of lines) preds.set(predicted[i]!, (preds.get(predicted[i]!) ?? 0) + 1);
    const [only] = preds.keys();
    if (preds.size === 1 && byPred.get(only!)!.length === lines.length) continue;
    out.push({
      truth: t,
      size: lines.length,
      predicted: [...preds].map(([template, count]) => ({ template, count, others: byPred.get(template)!.length - count })),
      example: contents[lines[0]!]!,
    });
  }
  return out.sort((a, b) => b.size - a.size);
}

/** Runs one system; `undefined` when its files are absent. */
export function evaluateSystem(
  loghub: string,
  system: string,
  formats: Record<string, { log_format: string }>,
  minerOptions: TemplateMinerOptions = {},
): SystemResult | undefined {
  const base = join(loghub, system, `${system}_2k.log`);
  const structured = `${base}_structured_corrected.csv`;
  if (!existsSync(base) || !existsSync(structured)) return undefined;
  const rows = parseCsv(readFileSync(structured, 'utf8'));
  const header = rows[0]!;
  const ci = header.indexOf('Content');
  const ti = header.indexOf('EventTemplate');
  const body = rows.slice(1).filter((r) => r.length === header.length);
  const format = parseLogFormat(formats[system]!.log_format);
  const raw = readFileSync(base, 'utf8').split(/\r?\n/).filter((l) => l.trim().length > 0);
  const contents: string[] = [];
  let headerMismatches = 0;
  body.forEach((r, i) => {
    const parsed = raw[i] !== undefined ? format.parse(raw[i]!) : undefined;
    if (parsed === undefined || parsed.content !== r[ci]) headerMismatches++;
    contents.push(parsed?.content ?? r[ci]!);
  });
  const miner = new TemplateMiner(minerOptions);
  for (const c of contents) miner.add(c);
  const predicted = contents.map((c) => miner.match(c)?.template ?? '(none)');
  const truth = body.map((r) => r[ti]!);
  const ga = groupingAccuracy(truth, predicted);
  let paCorrect = 0;
  const fails = new Map<string, { truth: string; predicted: string; content: string; count: number }>();
  predicted.forEach((p, i) => {
    if (p === truth[i]) paCorrect++;
    else {
      const k = `${truth[i]}\u0000${p}`;
      const f = fails.get(k);
      if (f) f.count++;
      else fails.set(k, { truth: truth[i]!, predicted: p, content: contents[i]!, count: 1 });
    }
  });
  return {
    system,
    lines: body.length,
    truthTemplates: new Set(truth).size,
    predictedTemplates: new Set(predicted).size,
    ga,
    pa: paCorrect / body.length,
    headerMismatches,
    failures: [...fails.values()].sort((a, b) => b.count - a.count),
    groupErrors: groupErrorsOf(truth, predicted, contents),
  };
}

/** Lists the ground-truth groups a system's prediction splits or merges (for study). */
export function groupingErrors(loghubResult: SystemResult): string[] {
  return loghubResult.failures.map((f) => `${f.count}\n    truth: ${f.truth}\n    pred : ${f.predicted}\n    line : ${f.content}`);
}

function main(): void {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: join(repo, '..', 'shared', 'data') },
      system: { type: 'string', multiple: true },
      failures: { type: 'string', default: '0' },
      groups: { type: 'string', default: '0' },
    },
  });
  const loghub = existsSync(join(values.data!, 'loghub')) ? join(values.data!, 'loghub') : values.data!;
  const formatsPath = join(loghub, 'log_formats.json');
  if (!existsSync(formatsPath)) {
    console.log(`eval:templates skipped: no Loghub data at ${loghub} (pass --data DIR)`);
    return;
  }
  const formats = (JSON.parse(readFileSync(formatsPath, 'utf8')) as { datasets: Record<string, { log_format: string }> }).datasets;
  const systems = values.system ?? [...SYSTEMS];
  const nFail = Number(values.failures);
  const results: SystemResult[] = [];
  const t0 = performance.now();
  console.log(`${'system'.padEnd(12)} ${'lines'.padStart(6)} ${'truth'.padStart(6)} ${'pred'.padStart(6)} ${'GA'.padStart(7)} ${'PA'.padStart(7)}  header-mismatch`);
  for (const s of systems) {
    const r = evaluateSystem(loghub, s, formats, process.env['MINER_OPTIONS'] ? (JSON.parse(process.env['MINER_OPTIONS']) as TemplateMinerOptions) : {});
    if (!r) {
      console.log(`${s.padEnd(12)} (absent)`);
      continue;
    }
    results.push(r);
    console.log(
      `${s.padEnd(12)} ${String(r.lines).padStart(6)} ${String(r.truthTemplates).padStart(6)} ${String(r.predictedTemplates).padStart(6)} ${r.ga.toFixed(4).padStart(7)} ${r.pa.toFixed(4).padStart(7)}  ${r.headerMismatches}`,
    );
    for (const g of r.groupErrors.slice(0, Number(values.groups))) {
      console.log(`    GT(${g.size}) ${g.truth.slice(0, 160)}\n        e.g. ${g.example.slice(0, 160)}`);
      for (const p of g.predicted.slice(0, 4)) console.log(`        ${p.count} -> ${p.template.slice(0, 150)}  (+${p.others} other)`);
    }
    if (nFail > 0) for (const f of r.failures.slice(0, nFail)) console.log(`    ${f.count}x truth: ${f.truth}\n        pred : ${f.predicted}\n        line : ${f.content}`);
  }
  if (results.length === 0) return;
  const ga = results.reduce((a, r) => a + r.ga, 0) / results.length;
  const pa = results.reduce((a, r) => a + r.pa, 0) / results.length;
  console.log(`${'average'.padEnd(12)} ${''.padStart(6)} ${''.padStart(6)} ${''.padStart(6)} ${ga.toFixed(4).padStart(7)} ${pa.toFixed(4).padStart(7)}`);
  console.log(`bars: GA >= 0.98 ${ga >= 0.98 ? 'met' : 'NOT met'}; PA >= 0.85 ${pa >= 0.85 ? 'met' : 'NOT met'} (${results.length} systems, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
