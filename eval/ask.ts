/**
 * `npm run eval:ask`: the ask use case on eval/ask-questions.json — intent accuracy, entity
 * accuracy, citation hit rate, top-1 and precision. The live system is the bundled example incident; the store
 * holds its diagnosis so "has this happened before" has something to find.
 *
 * Figures are printed for all questions and per set: `dev` (the questions the parser was improved
 * against) and `heldout` (written after that work and not tuned on), so overfitting shows.
 *
 * Then the blind question sets of `eval/ask/` (see its README): `dev.json` (tuned on; per-question
 * rows of the misses with `--verbose`) and `test.json` (frozen; TOTALS ONLY, never per question), each
 * with intent accuracy (per intent for dev), entities exact (every listed key equal), refusals (refused
 * when expected, none wrongly refused), asks back, citation hit, and "plans never executed": every plan
 * stays `proposed` and the cluster only ever sees dry runs — asserted, the run fails otherwise.
 *
 * Usage: tsx eval/ask.ts [--verbose] [--no-model] [--only-sets] [--dev-only] [--sets-dir DIR]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ask, RefusedRequestError, understandQuestion, validateAskRequest, type AskContext, type AskDeps, type AskResponse, type KubernetesApi, type Plan } from '../functions/core/ask/index.js';
import { InvalidInputError } from '../functions/core/model/errors.js';
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
const useModel = !process.argv.includes('--no-model');
const onlySets = process.argv.includes('--only-sets');
const setsDirArg = process.argv.indexOf('--sets-dir');
const setsDir = setsDirArg > 0 ? path.resolve(process.argv[setsDirArg + 1]!) : path.join(REPO_ROOT, 'eval/ask');
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
  const deps = await localAskDeps({ outDir: out, evidencePaths: evidence, now: () => NOW, useModel });
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
  for (const c of onlySets ? [] : cases) {
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
  for (const [set, t] of onlySets ? [] : tallies) {
    console.log(`\n[${set}] questions: ${t.n}`);
    console.log(`intent accuracy:    ${t.intentOk}/${t.n} = ${pct(t.intentOk, t.n)}`);
    console.log(`entity accuracy:    ${t.entityOk}/${t.n} = ${pct(t.entityOk, t.n)}`);
    console.log(`citation hit rate:  ${t.citeHits}/${t.citeCases} = ${pct(t.citeHits, t.citeCases)} (expected source among the citations)`);
    console.log(`citation top-1:     ${t.citeTop}/${t.citeCases} = ${pct(t.citeTop, t.citeCases)} (expected source cited first)`);
    console.log(`citation precision: ${pct(t.precisionSum, t.citeCases)} (mean share of citations that are the expected source, over ${t.citeCases} questions that must cite)`);
  }
  for (const name of process.argv.includes('--dev-only') ? ['dev'] : ['dev', 'test']) {
    const file = path.join(setsDir, `${name}.json`);
    if (!existsSync(file)) {
      console.log(`\n[eval/ask/${name}.json] not present; skipped`);
      continue;
    }
    await runSet(name, (JSON.parse(readFileSync(file, 'utf8')) as { cases: SetCase[] }).cases, deps, name === 'dev');
  }
  if (process.exitCode) console.log('\nFAILED: a plan was executed or a non-dry-run request reached the cluster');
} finally {
  rmSync(out, { recursive: true, force: true });
}

/** One case of eval/ask/{dev,test}.json (see eval/ask/README.md). */
interface SetCase {
  question: string;
  style: string;
  intent: string;
  verb?: string;
  refused?: boolean;
  asks_back?: boolean;
  entities?: Record<string, string | number>;
  cites?: string;
  context?: AskContext;
}

/**
 * Runs one question set. Per-question rows only when `perQuestion` (dev, `--verbose` for misses);
 * the frozen test set prints totals only.
 */
async function runSet(name: string, setCases: readonly SetCase[], base: AskDeps, perQuestion: boolean): Promise<void> {
  // The cluster sees dry runs only; every plan stays `proposed`: both are recorded and asserted.
  const executed: string[] = [];
  const kubernetes: KubernetesApi = {
    async send(request, options) {
      if (!options.dryRun) executed.push(`${request.method} ${request.path}`);
      return { status: 200, body: { kind: 'Status', status: 'Success' } };
    },
  };
  const plans: Plan[] = [];
  const deps: AskDeps = {
    ...base, kubernetes,
    plans: {
      put: async (plan) => { plans.push(plan); await base.plans.put(plan); },
      get: (id) => base.plans.get(id),
      update: async (plan) => { executed.push(`plan ${plan.id} updated to ${plan.status}`); await base.plans.update(plan); },
    },
  };
  const known = deps.knownNames ? await deps.knownNames() : [];
  const byIntent = new Map<string, { n: number; ok: number }>();
  const t = { n: 0, intentOk: 0, answeredOk: 0, verbN: 0, verbOk: 0, entityN: 0, entityOk: 0, refusedN: 0, refusedOk: 0, wronglyRefused: 0, askN: 0, askOk: 0, wronglyAsked: 0, citeN: 0, citeOk: 0, ms: 0 };
  const rows: string[] = [];
  for (const c of setCases) {
    t.n++;
    const started = performance.now();
    let r: AskResponse | undefined;
    let refusal: string | undefined;
    try {
      r = await ask(validateAskRequest({ question: c.question, context: c.context }), deps);
    } catch (error) {
      if (error instanceof RefusedRequestError || (error instanceof InvalidInputError && (error as { code?: string }).code === 'INVALID_QUESTION')) refusal = (error as Error).message;
      else refusal = `error: ${(error as Error).message}`;
    }
    t.ms += performance.now() - started;
    // A refused question has no response: its reading comes from the same reader the answer used.
    const parsed = await understandQuestion(c.question.normalize('NFKC').trim(), NOW, { classifier: deps.intents, knownNames: known, context: c.context });
    // Intent as read (the parser's job); an answer may still fall back to asking back when it cannot be built (e.g. an alarm kind the IaC builder lacks): counted in "answered as".
    const intent = parsed.intent;
    t.answeredOk += (r?.intent ?? parsed.intent) === c.intent ? 1 : 0;
    const entities = (r?.entities ?? parsed.entities) as Record<string, unknown>;
    const intentOk = intent === c.intent;
    t.intentOk += intentOk ? 1 : 0;
    const bi = byIntent.get(c.intent) ?? { n: 0, ok: 0 };
    bi.n++;
    bi.ok += intentOk ? 1 : 0;
    byIntent.set(c.intent, bi);
    if (c.verb) {
      t.verbN++;
      t.verbOk += parsed.verb === c.verb ? 1 : 0;
    }
    const want = Object.entries(c.entities ?? {});
    const value = (k: string) => (k === 'workload' ? (entities.workload as { name?: string } | undefined)?.name : entities[k]);
    const wrong = want.filter(([k, v]) => value(k) !== v).map(([k, v]) => `${k}: want ${v}, got ${String(value(k) ?? '—')}`);
    if (want.length) {
      t.entityN++;
      t.entityOk += wrong.length === 0 ? 1 : 0;
    }
    const refused = refusal !== undefined && !refusal.startsWith('error:');
    if (c.refused) {
      t.refusedN++;
      t.refusedOk += refused ? 1 : 0;
    } else if (refused) t.wronglyRefused++;
    const asked = r !== undefined && (r.askBack !== undefined || r.intent === 'clarify');
    if (c.asks_back) {
      t.askN++;
      t.askOk += asked ? 1 : 0;
    } else if (asked) t.wronglyAsked++;
    let citeOk = true;
    if (c.cites) {
      t.citeN++;
      citeOk = (r?.citations ?? []).some((x) => `${x.source} ${x.title ?? ''}`.includes(c.cites!));
      t.citeOk += citeOk ? 1 : 0;
    }
    const ok = intentOk && wrong.length === 0 && !!c.refused === refused && !!c.asks_back === asked && citeOk;
    if (perQuestion && (verbose || !ok)) {
      const notes = [
        !intentOk && `intent ${c.intent} got ${intent}`,
        wrong.length > 0 && `[${wrong.join('; ')}]`,
        !!c.refused !== refused && (c.refused ? 'not refused' : `wrongly refused: ${refusal}`),
        !!c.asks_back !== asked && (c.asks_back ? 'did not ask back' : 'asked back'),
        !citeOk && `cites ${c.cites} missing (first: ${r?.citations[0]?.source ?? 'none'})`,
        refusal?.startsWith('error:') && refusal,
      ].filter(Boolean).join(' | ');
      rows.push(`${ok ? '✓' : '✗'} ${c.style.padEnd(12)} ${c.question.replace(/\n/g, ' ⏎ ').slice(0, 90).padEnd(90)} ${notes}`);
    }
  }
  if (executed.length > 0 || plans.some((p) => p.status !== 'proposed')) process.exitCode = 1;
  const pct = (a: number, b: number) => `${a}/${b} = ${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  if (rows.length) console.log(`\n${rows.join('\n')}`);
  console.log(`\n[eval/ask/${name}.json] questions: ${t.n}${perQuestion ? '' : ' (frozen set: totals only)'}; reader: ${deps.intents ? `model ${deps.intents.id}` : 'rules (no model)'}`);
  console.log(`intent accuracy:     ${pct(t.intentOk, t.n)} (as read); answered as that intent: ${pct(t.answeredOk, t.n)}`);
  if (perQuestion) for (const [intent, x] of [...byIntent].sort()) console.log(`  ${intent.padEnd(24)} ${pct(x.ok, x.n)}`);
  console.log(`action verb:         ${pct(t.verbOk, t.verbN)}`);
  console.log(`entities exact:      ${pct(t.entityOk, t.entityN)} (questions with expected entities; every listed key equal)`);
  console.log(`refusals:            ${pct(t.refusedOk, t.refusedN)} refused when expected; wrongly refused: ${t.wronglyRefused}`);
  console.log(`asks back:           ${pct(t.askOk, t.askN)} when expected; asked back when not expected: ${t.wronglyAsked}`);
  console.log(`citation hit:        ${pct(t.citeOk, t.citeN)}`);
  console.log(`plans never executed: ${executed.length === 0 && plans.every((p) => p.status === 'proposed') ? 'yes' : 'NO'} (${plans.length} plans proposed, ${executed.length} executions)`);
  console.log(`time per question:   ${(t.ms / Math.max(1, t.n)).toFixed(1)} ms (ask, in process)`);
}
