/** Runbooks of documents without declared categories (a `--kb` folder of plain Markdown) reach the leading hypothesis. */
import { describe as suite, expect, it } from 'vitest';
import { analyze } from '../../functions/core/stages/analyze/index.js';
import { infer, leadingRunbooks, UNCATEGORIZED_RUNBOOK_RANK } from '../../functions/core/stages/infer/index.js';
import type { Category } from '../../functions/core/model/categories.js';
import type { Retrieval, RunbookPassage } from '../../functions/core/model/analysis.js';
import type { CollectedContext } from '../../functions/core/model/evidence.js';
import { context, event, incident, logs } from '../analyze/kubernetes/fixtures/context.js';

const passage = (path: string, score: number, categories: Category[] = []): RunbookPassage => ({
  id: `${path}#h`, title: path, heading: 'h', path, text: 'text', score, categories,
});

const retrieval: Retrieval = {
  passages: [
    passage('kb/debug-running-pod.md', 9.1),
    passage('bundled/oom.md', 8.0, ['oom_killed']),
    passage('kb/memory-limits.md', 7.5),
    passage('kb/far-down.md', 2.0),
    passage('bundled/crash.md', 1.5, ['app_crash']),
  ],
  similarIncidents: [],
};

async function run(ctx: CollectedContext, r: Retrieval) {
  const inc = incident({ namespace: 'shop' });
  return (await infer({ incident: inc, context: ctx, analysis: analyze(inc, ctx), retrieval: r })).hypotheses;
}

suite('runbooks without declared categories', () => {
  it('the leading hypothesis gets the uncategorized passages ranking in the top 3; the others and lower passages do not', async () => {
    const ctx = context({ logs: logs('Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\nBack-off restarting failed container api in pod api-1_shop(1)') });
    const hypotheses = await run(ctx, retrieval);
    expect(hypotheses[0]!.category).toBe('heap_oom');
    expect(hypotheses[0]!.runbooks.map((r) => r.path)).toEqual(['kb/debug-running-pod.md', 'kb/memory-limits.md']);
    for (const h of hypotheses.slice(1)) expect(h.runbooks.map((r) => r.path)).not.toContain('kb/debug-running-pod.md');
    expect(hypotheses.flatMap((h) => h.runbooks.map((r) => r.path))).not.toContain('kb/far-down.md');
  });

  it('declared passages come first, and an unknown lead gets the uncategorized ones too', async () => {
    expect(leadingRunbooks('oom_killed', retrieval).map((r) => r.path)).toEqual(['bundled/oom.md', 'kb/debug-running-pod.md', 'kb/memory-limits.md']);
    // rank is by score, not by list order
    const shuffled: Retrieval = { ...retrieval, passages: [...retrieval.passages].reverse() };
    expect(leadingRunbooks('app_crash', shuffled).map((r) => r.path)).toEqual(['bundled/crash.md', 'kb/debug-running-pod.md', 'kb/memory-limits.md']);
    expect(UNCATEGORIZED_RUNBOOK_RANK).toBe(3);
    const thin = context({ kubernetesEvents: [event('Normal', 'ScalingReplicaSet', 'Scaled up replica set api-5d9f7 to 3', { object: 'deployment/api' })] });
    const hypotheses = await run(thin, retrieval);
    expect(hypotheses[0]!.category).toBe('unknown');
    expect(hypotheses[0]!.runbooks.map((r) => r.path)).toEqual(['kb/debug-running-pod.md', 'kb/memory-limits.md']);
  });
});
