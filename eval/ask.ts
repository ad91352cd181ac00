/**
 * `npm run eval:ask`: the ask use case on eval/ask-questions.json — intent accuracy, entity
 * accuracy, citation hit rate, top-1 and precision. The live system is the bundled example incident; the store
 * holds its diagnosis so "has this happened before" has something to find.
 *
 * Figures are printed for all questions and per set: `dev` (the questions the parser was improved
 * against) and `heldout` (written after that work and not tuned on), so overfitting shows.
 *
 * Usage: tsx eval/ask.ts [--verbose]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ask, validateAskRequest, type AskContext, type AskResponse } from '../functions/core/ask/index.js';
import { diagnoseLocal, localAskDeps, REPO_ROOT } from '../functions/composition/local.js';

interface Case {
  question: string;
  context?: AskContext;
  intent: string;
  entities: Record<string, string | number>;
  cites?: string;
  /** `dev` (default): questions the parser was developed against; `heldout`: written afterwards and not tuned on. */
  set?: string;
}

const verbose = process.argv.includes('--verbose');
const cases = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'eval/ask-questions.json'), 'utf8')) as { cases: Case[] }).cases;
const example = path.join(REPO_ROOT, 'examples/checkout-oom');
const evidence = ['pod-describe.txt', 'events.txt', 'app.log'].map((f) => path.join(example, f));
const out = mkdtempSync(path.join(os.tmpdir(), 'ops-ask-eval-'));
const NOW = new Date('2026-11-30T06:45:00Z');

function entityValue(r: AskResponse, key: string): string | number | undefined {
  const e = r.entities as Record<string, unknown>;
  if (key === 'workload') return (e.workload as { name?: string } | undefined)?.name;
  if (key === 'timeRange') return (e.timeRange as { text?: string } | undefined)?.text;
  return e[key] as string | number | undefined;
}

try {
  await diagnoseLocal({ eventPath: path.join(example, 'alarm.json'), evidencePaths: evidence, outDir: out, now: () => NOW });
  const deps = await localAskDeps({ outDir: out, evidencePaths: evidence, now: () => NOW });
  /** Counts per set ("all", then each case's `set`, default "dev"). */
  interface Tally { n: number; intentOk: number; entityOk: number; citeCases: number; citeHits: number; citeTop: number; precisionSum: number }
  const tallies = new Map<string, Tally>();
  const tally = (set: string): Tally => {
    let t = tallies.get(set);
    if (!t) tallies.set(set, (t = { n: 0, intentOk: 0, entityOk: 0, citeCases: 0, citeHits: 0, citeTop: 0, precisionSum: 0 }));
    return t;
  };
  const cited = (x: { source: string; title?: string } | undefined, want: string) => x !== undefined && `${x.source} ${x.title ?? ''}`.includes(want);
  const rows: string[] = [];
  for (const c of cases) {
    const ts = [tally('all'), tally(c.set ?? 'dev')];
    for (const t of ts) t.n++;
    let r: AskResponse;
    try {
      r = await ask(validateAskRequest({ question: c.question, context: c.context }), deps);
    } catch (error) {
      rows.push(`✗ ${c.question} → error ${(error as Error).message}`);
      for (const t of ts) if (c.cites) t.citeCases++;
      continue;
    }
    const iOk = r.intent === c.intent;
    const wrong = Object.entries(c.entities).filter(([k, v]) => entityValue(r, k) !== v).map(([k, v]) => `${k}: want ${v}, got ${entityValue(r, k) ?? '—'}`);
    let citeNote = '';
    let citeOk = true;
    for (const t of ts) {
      t.intentOk += iOk ? 1 : 0;
      t.entityOk += wrong.length === 0 ? 1 : 0;
    }
    if (c.cites) {
      const relevant = r.citations.filter((x) => cited(x, c.cites!));
      citeOk = relevant.length > 0;
      for (const t of ts) {
        t.citeCases++;
        t.citeHits += citeOk ? 1 : 0;
        t.citeTop += cited(r.citations[0], c.cites) ? 1 : 0;
        t.precisionSum += r.citations.length ? relevant.length / r.citations.length : 0;
      }
      citeNote = ` cites ${relevant.length}/${r.citations.length}${r.citations[0] && !cited(r.citations[0], c.cites) ? ` (first: ${r.citations[0].source})` : ''}`;
    }
    const mark = iOk && wrong.length === 0 && citeOk ? '✓' : '✗';
    rows.push(`${mark} ${(c.set ?? 'dev').padEnd(7)} ${c.question.padEnd(78).slice(0, 78)} ${c.intent.padEnd(22)} got ${r.intent.padEnd(22)}${wrong.length ? ` [${wrong.join('; ')}]` : ''}${citeNote}`);
    if (verbose) rows.push(`    ${r.answer.slice(0, 200).replace(/\n/g, ' ')}`);
  }
  console.log(rows.join('\n'));
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  for (const [set, t] of tallies) {
    console.log(`\n[${set}] questions: ${t.n}`);
    console.log(`intent accuracy:    ${t.intentOk}/${t.n} = ${pct(t.intentOk, t.n)}`);
    console.log(`entity accuracy:    ${t.entityOk}/${t.n} = ${pct(t.entityOk, t.n)}`);
    console.log(`citation hit rate:  ${t.citeHits}/${t.citeCases} = ${pct(t.citeHits, t.citeCases)} (expected source among the citations)`);
    console.log(`citation top-1:     ${t.citeTop}/${t.citeCases} = ${pct(t.citeTop, t.citeCases)} (expected source cited first)`);
    console.log(`citation precision: ${pct(t.precisionSum, t.citeCases)} (mean share of citations that are the expected source, over ${t.citeCases} questions that must cite)`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
