/**
 * Contract of the pipeline (`functions/core/pipeline.ts`): a failing stage or collector becomes
 * `degraded` and the later stages run; every stage is timed, compose included; what the caller
 * passes in (degradations, timings) reaches compose once, so the summary's "Incomplete:" names it.
 */
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../functions/core/pipeline.js';
import { RunbookIndex } from '../../functions/core/stages/retrieve/index.js';
import { makeIncident } from '../compose/fixtures/diagnosis.js';
import type { CategoryClassifier } from '../../functions/core/ports/model.port.js';

describe('runPipeline', () => {
  it('turns a failing collector and a failing model into degraded entries and still diagnoses', async () => {
    const classifier = { id: 'broken', sha256: 'x', classify: async () => { throw new Error('session closed'); } } as unknown as CategoryClassifier;
    const d = await runPipeline(makeIncident(), {
      collectors: [
        { name: 'flaky', collect: async () => { throw new Error('boom'); } },
        { name: 'metrics', collect: async () => ({ metrics: [{ id: 'm1', label: 'errors', timestamps: [1, 2], values: [3, 4] }] }) },
      ],
      runbooks: await RunbookIndex.build([]),
      classifier,
      now: () => new Date('2026-03-14T12:00:00Z'),
    }, { degraded: [{ component: 'infer:model', kind: 'skipped', reason: 'not loaded' }], timings: { normalize: 1.5 } });
    expect(d.degraded[0]).toEqual({ component: 'flaky', kind: 'error', reason: 'boom' });
    expect(d.degraded.at(-1)).toEqual({ component: 'infer:model', kind: 'skipped', reason: 'not loaded' });
    expect(d.summary).toContain('Incomplete: flaky error;');
    expect(d.hypotheses.length).toBeGreaterThan(0);
    expect(d.metrics).toEqual([{ id: 'm1', label: 'errors', timestamps: [1, 2], values: [3, 4] }]);
    expect(Object.keys(d.timings).sort()).toEqual(['analyze', 'collect', 'compose', 'infer', 'normalize', 'retrieve']);
    expect(d.timings.normalize).toBe(1.5);
    expect(d.createdAt).toBe('2026-03-14T12:00:00.000Z');
  });

  it('records a stage that throws as that stage, with its fallback for the next ones', async () => {
    const runbooks = await RunbookIndex.build([]);
    const broken = Object.create(runbooks, { search: { value: () => { throw new Error('index corrupt'); } } }) as RunbookIndex;
    const d = await runPipeline(makeIncident(), { collectors: [], runbooks: broken });
    expect(d.degraded.map((g) => `${g.component} ${g.kind}`)).toContain('retrieve error');
    expect(d.timings.retrieve).toBeGreaterThanOrEqual(0);
  });
});
