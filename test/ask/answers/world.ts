/** A world for the answer tests: evidence fixtures stand for the live system, collected as the file collector would. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AskDeps } from '../../../functions/core/ask/index.js';
import type { ParsedQuestion } from '../../../functions/core/ask/intent.js';
import { answerParsed } from '../../../functions/core/ask/index.js';
import { runPipeline } from '../../../functions/core/pipeline.js';
import { collect } from '../../../functions/core/stages/collect/index.js';
import { RunbookIndex } from '../../../functions/core/stages/retrieve/index.js';
import { MemoryDiagnoses, MemoryPlans, textCollector } from '../support.js';

export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');
export const EXAMPLE = path.join(import.meta.dirname, '..', '..', '..', 'examples', 'checkout-oom');

/** A fixture's text: a name in test/ask/fixtures, or a path. */
export function evidenceText(file: string): string {
  return readFileSync(file.includes('/') ? file : path.join(FIXTURES, file), 'utf8');
}

/** The source name a file is cited by: its name for fixtures, `examples/checkout-oom/<name>` for the example. */
export function sourceOf(file: string): string {
  return file.includes('/') ? path.relative(path.join(EXAMPLE, '..', '..'), file) : file;
}

let runbooks: Promise<RunbookIndex> | undefined;
const emptyRunbooks = () => (runbooks ??= RunbookIndex.build([]));

/** Deps over the given evidence files (none: nothing can be collected), a clock and a store. */
export async function answerWorld(files: readonly string[] | undefined, options: { now: Date; store?: MemoryDiagnoses; hint?: string }): Promise<AskDeps> {
  const index = await emptyRunbooks();
  const collectors = () => (files ?? []).map((f) => textCollector(sourceOf(f), evidenceText(f)));
  return {
    runbooks: index, store: options.store ?? new MemoryDiagnoses(), plans: new MemoryPlans(), now: () => options.now,
    ...(options.hint ? { evidenceHint: options.hint } : {}),
    ...(files
      ? {
          collect: (incident) => collect(incident, collectors(), { budgetMs: 5_000 }),
          diagnose: (incident) => runPipeline(incident, { collectors: collectors(), runbooks: index, now: () => options.now }),
        }
      : {}),
  };
}

/** Answers a question parsed by hand (independent of the parser). */
export function answerAs(deps: AskDeps, question: string, parsed: ParsedQuestion) {
  return answerParsed({ question }, parsed, deps);
}
