import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../functions/core/model/diagnosis.js';
import { checkNarrative, createGenerator, narrate, narrativePrompt } from '../../functions/adapters/onnx/narrative.js';
import { resetModelCache } from '../../functions/adapters/onnx/index.js';
import { writeTinyGenerator } from './fixtures/tiny-generator.js';

const diagnosis: Diagnosis = {
  schemaVersion: '1.0',
  id: 'inc-1',
  createdAt: '2026-11-30T07:00:00.000Z',
  incident: {
    id: 'inc-1', source: 'manual', title: 'checkout pods restarting', severity: 'high', occurredAt: '2026-11-30T06:55:00.000Z',
    window: { start: '2026-11-30T06:25:00.000Z', end: '2026-11-30T07:00:00.000Z' },
    resources: [{ type: 'Pod', name: 'checkout-7c9f8d6b5-x2k4p', namespace: 'shop' }], labels: {},
  },
  hypotheses: [{
    category: 'app_crash', confidence: 0.82, summary: 'Pod shop/checkout-7c9f8d6b5-x2k4p is crash-looping.',
    evidence: [{ text: 'Back-off restarting failed container checkout in pod checkout-7c9f8d6b5-x2k4p_shop', source: 'events.txt', line: 4 }],
    actions: [], runbooks: [],
  }],
  findings: [], logPatterns: [], similarIncidents: [], degraded: [], redactions: [],
  summary: 'Template: pod shop/checkout-7c9f8d6b5-x2k4p is crash-looping (app_crash, 0.82).',
  timings: {},
};

const WORDS = ['the pod checkout restarted after a crash', 'oom killed in payments-db'];

function generatorDir(id: string, chain: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'narrative-'));
  const sha = writeTinyGenerator(dir, id, WORDS, chain);
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify([{ id, task: 'text-generation', path: id, sha256: sha, source: 'test', license: 'Apache-2.0' }]));
  return dir;
}

afterAll(async () => {
  await resetModelCache();
});

describe('checkNarrative', () => {
  it('accepts text citing only the diagnosis', () => {
    expect(checkNarrative('The pod checkout-7c9f8d6b5-x2k4p in shop is crash-looping (app_crash): "Back-off restarting failed container".', diagnosis)).toEqual({ ok: true });
  });
  it.each([
    ['The pod was oom killed.', /category oom_killed/],
    ['Memory pressure on ip-10-0-1-7.ec2.internal evicted it.', /ip-10-0-1-7/],
    ['It failed 37 times.', /"37"/],
    ['The log says "connection refused".', /quotes "connection refused"/],
    ['', /empty/],
  ])('rejects %j', (text, reason) => {
    const verdict = checkNarrative(text, diagnosis);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(reason);
  });
});

describe('narrate with a tiny generation model', () => {
  it('uses the model text when it is grounded in the diagnosis', async () => {
    const generate = await createGenerator({ modelsDir: generatorDir('grounded', ['the', 'pod', 'checkout', 'restarted']), id: 'grounded' });
    const result = await narrate(generate, diagnosis, { budgetMs: 5000 });
    expect(result).toMatchObject({ source: 'model', summary: 'the pod checkout restarted' });
  });

  it('falls back to the template summary when the model mentions a category or resource the diagnosis lacks', async () => {
    const generate = await createGenerator({ modelsDir: generatorDir('hallucinating', ['oom', 'killed', 'in', 'payments']), id: 'hallucinating' });
    const result = await narrate(generate, diagnosis, { budgetMs: 5000 });
    expect(result.source).toBe('template');
    expect(result.summary).toBe(diagnosis.summary);
    expect(result.reason).toMatch(/oom_killed|payments/);
  });

  it('falls back when generation exceeds its time budget', async () => {
    const generate = await createGenerator({ modelsDir: generatorDir('slow', ['the', 'pod', 'checkout', 'restarted']), id: 'slow' });
    const slow = async (prompt: string, o: { maxNewTokens: number }) => {
      const text = await generate(prompt, o);
      await new Promise((r) => setTimeout(r, 200));
      return text;
    };
    const result = await narrate(slow, diagnosis, { budgetMs: 50 });
    expect(result).toMatchObject({ source: 'template', summary: diagnosis.summary });
    expect(result.reason).toMatch(/50 ms budget/);
  });

  it('falls back when the generator throws, and builds its prompt from the diagnosis only', async () => {
    const result = await narrate(async () => { throw new Error('session lost'); }, diagnosis);
    expect(result).toMatchObject({ source: 'template', reason: 'generation failed: session lost' });
    const prompt = narrativePrompt(diagnosis);
    expect(prompt).toContain('Hypothesis 1: app_crash (confidence 0.82)');
    expect(prompt).toContain('Evidence: Back-off restarting failed container');
  });

  it('refuses to load an encoder as a generator', async () => {
    await expect(createGenerator({ modelsDir: path.resolve('models'), id: 'ops-encoder' })).rejects.toThrow(/cannot serve text-generation/);
  });
});
