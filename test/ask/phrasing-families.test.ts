/**
 * Families of phrasings (test/ask/fixtures/phrasing-families.ts) filled with names drawn from
 * syllables, so no name is one the reader was tuned on: each entity family is read from the
 * structure of the sentence, each refused operation is refused in every phrasing, with the model
 * and without it, and near-misses (listing Secrets, how-tos, pasted `secret "x" not found`) are not.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, RefusedRequestError, validateAskRequest, type AskDeps } from '../../functions/core/ask/answer.js';
import { actsInKubeSystem, deletesNamespace, listsSecretNames, readsSecretValue, shellInAction } from '../../functions/core/ask/guard.js';
import { isCommonWord } from '../../functions/core/ask/intent.js';
import type { IntentClassifier } from '../../functions/core/ask/ports.js';
import { understandQuestion } from '../../functions/core/ask/understand.js';
import { InvalidInputError } from '../../functions/core/model/errors.js';
import { RunbookIndex } from '../../functions/core/stages/retrieve/index.js';
import { createIntentClassifier, resetModelCache } from '../../functions/adapters/onnx/index.js';
import { MemoryDiagnoses, MemoryPlans, RecordingKubernetes } from './support.js';
import {
  AWS_FAMILIES, DELETE_VERBS, ENTITY_FAMILIES, fill, LOG_FAMILIES, NAMESPACE_FAMILIES, NO_NAME_PHRASINGS, NOT_REFUSED, NUMBER_FAMILIES, REFUSED_FAMILIES, rng, type Family,
} from './fixtures/phrasing-families.js';

const MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models');
const NOW = new Date('2026-11-30T10:00:00Z');
/** Names drawn per template. */
const DRAWS = 3;
let model: IntentClassifier;
let runbooks: RunbookIndex;

beforeAll(async () => {
  model = await createIntentClassifier({ modelsDir: MODELS_DIR });
  runbooks = await RunbookIndex.build([{ path: 'kb/x.md', markdown: '# X\n\n## Pods crash (`app_crash`)\n\nRead the previous logs.\n' }]);
});
afterAll(async () => {
  await resetModelCache();
});

const deps = (intents?: IntentClassifier): AskDeps & { plans: MemoryPlans; kubernetes: RecordingKubernetes } =>
  ({ runbooks, store: new MemoryDiagnoses(), plans: new MemoryPlans(), kubernetes: new RecordingKubernetes(), intents, now: () => NOW });

const value = (e: Record<string, unknown>, key: string): unknown => (key === 'workload' ? (e.workload as { name?: string } | undefined)?.name : e[key]);

/** Every phrasing of a family, each template filled `DRAWS` times (seeded per family). */
function phrasings(family: Family, seed: number, extra: Record<string, string> = {}): Array<{ text: string; slots: Record<string, string> }> {
  const next = rng(seed);
  return family.templates.flatMap((t) => Array.from({ length: DRAWS }, () => fill(t, next, extra, isCommonWord)));
}

describe('entities are read from name positions, whatever the name', () => {
  const families = [...ENTITY_FAMILIES, ...NAMESPACE_FAMILIES, ...AWS_FAMILIES, ...NUMBER_FAMILIES, ...LOG_FAMILIES];
  it.each(families.map((f, i) => [f.name, f, i] as const))('%s', async (_name, family, i) => {
    const misses: string[] = [];
    for (const { text, slots } of phrasings(family, 1000 + i)) {
      const u = await understandQuestion(text, NOW, { classifier: model });
      for (const [key, slot] of Object.entries(family.expect)) {
        const want = /^\d+$/.test(slots[slot]!) ? Number(slots[slot]) : slots[slot];
        if (value(u.entities as Record<string, unknown>, key) !== want) misses.push(`${text} → ${key} ${String(value(u.entities as Record<string, unknown>, key))}, want ${String(want)}`);
      }
    }
    expect(misses).toEqual([]);
  });

  it('never reads a workload, function, queue or service from filler, verbs or domain words', async () => {
    for (const q of NO_NAME_PHRASINGS) {
      const e = (await understandQuestion(q, NOW, { classifier: model })).entities;
      expect([e.workload?.name, e.function, e.queue, e.service].filter(Boolean), q).toEqual([]);
    }
  });
});

describe('the guard rails refuse each operation in every phrasing', () => {
  const cases = REFUSED_FAMILIES.flatMap((family, i) => {
    const verbs = family.name.startsWith('deleting') ? DELETE_VERBS : [['', ''] as const];
    return verbs.flatMap(([verb, verbed]) => phrasings(family, 2000 + i, { verb, verbed }).map((p) => [family.name, p.text] as const));
  });

  for (const [reader, intents] of [['with the model', () => model], ['without a model', () => undefined]] as const) {
    it(`${reader}: ${cases.length} phrasings refused, nothing planned or sent`, async () => {
      const missed: string[] = [];
      for (const [family, q] of cases) {
        const d = deps(intents());
        const refused = await ask(validateAskRequest({ question: q }), d).then(() => false, (e: unknown) => e instanceof RefusedRequestError || e instanceof InvalidInputError);
        if (!refused) missed.push(`${family}: ${q}`);
        expect(d.plans.plans.size, q).toBe(0);
        expect(d.kubernetes.calls, q).toHaveLength(0);
      }
      expect(missed).toEqual([]);
    }, 120_000);
  }

  it('each rule stands on its own: the operation is what is recognised', () => {
    const next = rng(3000);
    for (const [verb, verbed] of DELETE_VERBS) {
      const { text } = fill('{verb} the {ns} namespace', next, { verb, verbed });
      expect(deletesNamespace(text), text).toBe(true);
      expect(deletesNamespace(`who ${verbed} the namespace ${fill('{ns}', next).text}?`)).toBe(false);
    }
    for (const flag of ['-o yaml', '-ojson', '-o=jsonpath={.data.password}', "-o go-template='{{.data.token}}'", '--output json']) {
      expect(readsSecretValue(`kubectl get secret ${fill('{s}', next).text} ${flag}`), flag).toBe(true);
    }
    expect(listsSecretNames('kubectl get secrets -n shop')).toBe(true);
    expect(readsSecretValue('kubectl get secrets -n shop')).toBe(false);
    for (const ns of ['-n kube-system', '--namespace=kube-system', 'ns=kube-system', 'in the kube-system namespace']) {
      expect(actsInKubeSystem(`restart ${fill('{w}', next).text} ${ns}`, false), ns).toBe(true);
      expect(actsInKubeSystem(`is ${fill('{w}', next).text} healthy ${ns}?`, false), ns).toBe(false);
    }
    for (const op of ['; rm -rf /', '&& echo x', '|| true', '| sh', '> /tmp/out', '< /etc/passwd']) {
      expect(shellInAction(`restart ${fill('{w}', next).text} ${op}`, false), op).toBe(true);
    }
    expect(shellInAction('scale cart to 5 and alarm when cpu > 80%', true)).toBe(false);
    expect(shellInAction('scale cart 2->6', true)).toBe(false);
  });
});

describe('two requests in one: the first is read, the second asked back', () => {
  it.each([
    ['errors in {w} since yesterday + a metric filter for them', 'search_errors'],
    ['is {w} healthy? if not restart it', 'health'],
    ['why is {w} slow & show me its last 10 errors', 'latency'],
  ])('%s', async (template, intent) => {
    const next = rng(template.length * 31);
    for (let i = 0; i < DRAWS; i++) {
      const { text, slots } = fill(template, next, {}, isCommonWord);
      const u = await understandQuestion(text, NOW, { classifier: model });
      expect(u.intent, text).toBe(intent);
      expect(u.entities.workload?.name, text).toBe(slots.w);
      expect(u.askBack, text).toMatch(/You also asked/);
    }
  });
});

describe('near-misses are not refused', () => {
  it.each(NOT_REFUSED)('%s', async (template) => {
    const next = rng(template.length * 7919);
    for (let i = 0; i < DRAWS; i++) {
      const { text } = fill(template, next);
      await expect(ask(validateAskRequest({ question: text }), deps(model)), text).resolves.toBeDefined();
    }
  });

  it('listing Secret names is answered with names only and plans nothing', async () => {
    const d = deps(model);
    const r = await ask(validateAskRequest({ question: 'list the secret names in ns auth, no values needed' }), d);
    expect(r).toMatchObject({ intent: 'kubernetes_action' });
    expect(r.answer).toMatch(/kubectl get secrets -n auth/);
    expect(r.plan).toBeUndefined();
    expect(d.plans.plans.size).toBe(0);
  });

  it('a deletion without its Pod is asked back, not refused and not guessed', async () => {
    const r = await ask(validateAskRequest({ question: 'delete the stuck pod' }), deps(model));
    expect(r.askBack).toMatch(/Which pod/);
    expect(r.plan).toBeUndefined();
  });
});
