/**
 * `npm run eval:ask`: the ask use case on eval/ask-questions.json — intent accuracy, entity
 * accuracy, citation hit rate, top-1 and precision. The live system is the bundled example incident; the store
 * holds its diagnosis so "has this happened before" has something to find.
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
  let intentOk = 0;
  let entityOk = 0;
  let citeCases = 0;
  let citeHits = 0;
  let citeTop = 0;
  let precisionSum = 0;
  const rows: string[] = [];
  for (const c of cases) {
    let r: AskResponse;
    try {
      r = await ask(validateAskRequest({ question: c.question, context: c.context }), deps);
    } catch (error) {
      rows.push(`✗ ${c.question} → error ${(error as Error).message}`);
      continue;
    }
    const iOk = r.intent === c.intent;
    const wrong = Object.entries(c.entities).filter(([k, v]) => entityValue(r, k) !== v).map(([k, v]) => `${k}: want ${v}, got ${entityValue(r, k) ?? '—'}`);
    intentOk += iOk ? 1 : 0;
    entityOk += wrong.length === 0 ? 1 : 0;
    let citeNote = '';
    if (c.cites) {
      citeCases++;
      const relevant = r.citations.filter((x) => `${x.source} ${x.title ?? ''}`.includes(c.cites!));
      if (relevant.length > 0) citeHits++;
      if (r.citations[0] && `${r.citations[0].source} ${r.citations[0].title ?? ''}`.includes(c.cites)) citeTop++;
      precisionSum += r.citations.length ? relevant.length / r.citations.length : 0;
      citeNote = ` cites ${relevant.length}/${r.citations.length}${r.citations[0] && !`${r.citations[0].source} ${r.citations[0].title ?? ''}`.includes(c.cites) ? ` (first: ${r.citations[0].source})` : ''}`;
    }
    const mark = iOk && wrong.length === 0 && (!c.cites || citeNote.startsWith(' cites 0') === false) ? '✓' : '✗';
    rows.push(`${mark} ${c.question.padEnd(78).slice(0, 78)} ${c.intent.padEnd(22)} got ${r.intent.padEnd(22)}${wrong.length ? ` [${wrong.join('; ')}]` : ''}${citeNote}`);
    if (verbose) rows.push(`    ${r.answer.slice(0, 200).replace(/\n/g, ' ')}`);
  }
  console.log(rows.join('\n'));
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  console.log(`\nquestions: ${cases.length}`);
  console.log(`intent accuracy:    ${intentOk}/${cases.length} = ${pct(intentOk, cases.length)}`);
  console.log(`entity accuracy:    ${entityOk}/${cases.length} = ${pct(entityOk, cases.length)}`);
  console.log(`citation hit rate:  ${citeHits}/${citeCases} = ${pct(citeHits, citeCases)} (expected source among the citations)`);
  console.log(`citation top-1:     ${citeTop}/${citeCases} = ${pct(citeTop, citeCases)} (expected source cited first)`);
  console.log(`citation precision: ${pct(precisionSum, citeCases)} (mean share of citations that are the expected source, over ${citeCases} questions that must cite)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
