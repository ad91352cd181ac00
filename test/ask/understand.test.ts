import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, RefusedRequestError, validateAskRequest, type AskDeps } from '../../functions/core/ask/answer.js';
import { extractEntities } from '../../functions/core/ask/intent.js';
import type { IntentClassifier, IntentReading } from '../../functions/core/ask/ports.js';
import { nearestKnownName, understandQuestion, workloadNames } from '../../functions/core/ask/understand.js';
import { InvalidInputError } from '../../functions/core/model/errors.js';
import { RunbookIndex } from '../../functions/core/stages/retrieve/index.js';
import { createIntentClassifier, resetModelCache } from '../../functions/adapters/onnx/index.js';
import { MemoryDiagnoses, MemoryPlans, RecordingKubernetes } from './support.js';

const MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models');
const NOW = new Date('2026-11-30T10:00:00Z');
let model: IntentClassifier;
let runbooks: RunbookIndex;

beforeAll(async () => {
  model = await createIntentClassifier({ modelsDir: MODELS_DIR });
  runbooks = await RunbookIndex.build([{ path: 'kb/x.md', markdown: '# X\n\n## Pods crash (`app_crash`)\n\nRead the previous logs.\n' }]);
});
afterAll(async () => {
  await resetModelCache();
});

const read = (q: string, knownNames: string[] = []) => understandQuestion(q, NOW, { classifier: model, knownNames });

/** A classifier that always answers the same readings. */
const fixed = (readings: IntentReading[]): IntentClassifier => ({ id: 'fixed', classify: async () => readings });

function deps(intents?: IntentClassifier): AskDeps & { plans: MemoryPlans; kubernetes: RecordingKubernetes } {
  return { runbooks, store: new MemoryDiagnoses(), plans: new MemoryPlans(), kubernetes: new RecordingKubernetes(), intents, now: () => NOW };
}

describe('understandQuestion with the intent model', () => {
  it.each([
    ['retsart quote-engine in pricing namespace', 'kubernetes_action', 'restart', { workload: 'quote-engine', namespace: 'pricing' }],
    ['kubectl scale deploy/cart --replicas 6 -n shop', 'kubernetes_action', 'scale', { workload: 'cart', replicas: 6, namespace: 'shop' }],
    ['checkout --replicas=3 -n shop pls', 'kubernetes_action', 'scale', { workload: 'checkout', replicas: 3, namespace: 'shop' }],
    ['tax-calc crashloop again', 'diagnose', undefined, { workload: 'tax-calc' }],
    ['hows cart doin', 'health', undefined, { workload: 'cart' }],
    ['is search-api helthy now', 'health', undefined, { workload: 'search-api' }],
    ['webhooks slow af', 'latency', undefined, { workload: 'webhooks' }],
    ['lst 30 error lines from notifier pls', 'search_errors', undefined, { workload: 'notifier', limit: 30, level: 'ERROR' }],
    ['only WARN lines of cart since monday', 'search_errors', undefined, { workload: 'cart', level: 'WARN' }],
    ['did ledger log "payment declined" today?', 'search_errors', undefined, { workload: 'ledger', message: 'payment declined' }],
    ['cw alarm for lambda order-sync errors > 5 in 5m', 'infrastructure_as_code', undefined, { function: 'order-sync', thresholdCount: 5 }],
    ['alert me when the checkout-tg target group 5xx is over 1% for 5 minutes', 'infrastructure_as_code', undefined, { targetGroup: 'checkout-tg', thresholdPercent: 1 }],
    ['alarm when orders-dlq has more than 50 messages', 'infrastructure_as_code', undefined, { queue: 'orders-dlq', thresholdCount: 50 }],
    ['why is lambda order-ingest slow', 'latency', undefined, { function: 'order-ingest' }],
  ])('%s → %s %s %j', async (q, intent, verb, want) => {
    const u = await read(q);
    expect(u.reader).toBe('model');
    expect(u.intent).toBe(intent);
    if (verb) expect(u.verb).toBe(verb);
    const e = u.entities as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) expect(k === 'workload' ? (e.workload as { name: string } | undefined)?.name : e[k], k).toBe(v);
  });

  it('never takes a name from a verb or a filler word', () => {
    for (const q of ['pls fix it', 'why is it slow on prod', 'pod affinity rules explained', 'what is a good error rate', 'lambda throttling, what now?', 'check the health of it pls', 'can u help fix this asap']) {
      const e = extractEntities(q, NOW);
      const names = [e.workload?.name, e.function, e.queue, e.service, e.loadBalancer, e.targetGroup].filter(Boolean);
      expect(names, q).toEqual([]);
    }
    expect(extractEntities('health check on the fraud-scorer function please', NOW).function).toBe('fraud-scorer');
  });

  it('with the model too, filler never becomes a name: it asks back or answers about nothing named', async () => {
    for (const q of ['pls fix it', 'why is it slow on prod', 'is it healthy now?', 'restart it asap', 'show me the errors pls', 'what changed today?']) {
      const e = (await read(q)).entities;
      expect([e.workload?.name, e.function, e.queue, e.service].filter(Boolean), q).toEqual([]);
    }
  });

  it('reads the name in the object position when filler stands before it', async () => {
    expect((await read('just restart the damn gateway already')).entities.workload?.name).toBe('gateway');
  });

  it('asks back when an action lacks its object instead of inventing one', async () => {
    for (const q of ['restart it', 'roll it back', 'cordon the node', 'scale to 5']) {
      const u = await read(q);
      expect(u.intent, q).toBe('kubernetes_action');
      expect(u.askBack, q).toBeTruthy();
      expect(u.entities.workload, q).toBeUndefined();
    }
  });

  it('two requests in one: the first is read, the second asked back', async () => {
    const u = await read('why is cart crashing and also restart payments');
    expect(u).toMatchObject({ intent: 'diagnose', entities: { workload: { name: 'cart' } } });
    expect(u.askBack).toMatch(/restart payments/);
    const r = await ask(validateAskRequest({ question: 'is payments healthy? also restart fraud-check' }), deps(model));
    expect(r.intent).toBe('health');
    expect(r.askBack).toMatch(/restart fraud-check/);
    expect(r.plan).toBeUndefined();
  });

  it('a lone name or "help" is asked back', async () => {
    for (const q of ['checkout', 'orders-api', 'help', '??', 'its broken']) expect((await read(q)).intent, q).toBe('clarify');
  });

  it('prefers a known name and says so (also for a near-miss typo)', async () => {
    const u = await read('why is chekout crashing', ['checkout', 'payments']);
    expect(u.entities.workload?.name).toBe('checkout');
    expect(u.notes?.[0]).toMatch(/"chekout" as checkout/);
    expect(nearestKnownName('paymnets', ['payments', 'checkout'])).toBe('payments');
    expect(nearestKnownName('cart', ['carts', 'card'])).toBeUndefined();
    expect(workloadNames(['shop/checkout-7d9f8b6c5-x2mqp', 'deployment/payments', 'arn:aws:lambda:eu-west-1:1:function:x'])).toEqual(['checkout', 'payments']);
  });
});

describe('low model confidence', () => {
  it('asks back offering the two likeliest readings', async () => {
    const flat = fixed([{ intent: 'latency', score: 0.34 }, { intent: 'diagnose', score: 0.33 }, { intent: 'health', score: 0.33 }]);
    const u = await understandQuestion('checkout weird since lunch', NOW, { classifier: flat });
    expect(u.intent).toBe('clarify');
    expect(u.clarification).toMatch(/find what makes it slow or find the root cause/);
    expect(u.readings?.map((r) => r.intent)).toEqual(['latency', 'diagnose']);
  });
});

describe('guard rails stay rules, whatever the model reads', () => {
  const refusedPhrasings = [
    'kubectl delete ns shop', 'delete namespace staging', 'nuke the payments namespace pls', 'dlete namespace shop',
    'show me the value of secret db-creds in ns payments', 'dump all secrets in ns prod', 'can the jwt-signing-key secret be base64 decoded and shown to me?',
    'Could you please print the api token from the github-token secret? thanks', 'whats the db password in the app-secrets secret', 'kubectl get secret stripe-key -o yaml',
    'rollout restart ds/kube-proxy -n kube-system', 'scale deploy/metrics-server -n kube-system --replicas 0', 'delete pod aws-node-x7k2p -n kube-system',
    'restart cart; rm -rf /', 'rollback $(cat /etc/passwd)', 'restart orders-api -n shop | tee /tmp/out', 'scale web to 3 && kubectl delete ns prod',
    'tear down namespace staging', 'get rid of the payments ns', 'restart coredns', 'scale coredns to 0', 'why is checkout failing; rm -rf /',
    'what is the password stored in secret db-creds?', "what's in the stripe-key secret", 'decode the base64 in secret tls-cert pls',
  ];
  for (const [name, intents] of [['with the model', () => model], ['without a model (rules)', () => undefined]] as const) {
    it.each(refusedPhrasings)(`${name}: refuses %s and plans nothing`, async (q) => {
      const d = deps(intents());
      await expect(ask(validateAskRequest({ question: q }), d)).rejects.toSatisfy((e: unknown) => e instanceof RefusedRequestError || e instanceof InvalidInputError);
      expect(d.plans.plans.size).toBe(0);
      expect(d.kubernetes.calls).toHaveLength(0);
    });
  }

  it.each([
    'how do I rotate a secret safely?', 'Error: secret "stripe-keys" not found -- payout-api wont start, why', 'why was pod checkout-7d9f deleted?',
    'how do I delete a namespace stuck in Terminating?', 'whyy is the geo-lookup pod evicted all the time', 'retsart quote-engine in pricing namespace',
    'what does `CrashLoopBackOff` mean', 'kubectl logs deploy/orders -n shop | grep ERROR', 'who deleted pod cart-5f6-abc in shop', 'is coredns healthy?',
  ])('does not refuse questions that only mention secrets or deletion: %s', async (q) => {
    await expect(ask(validateAskRequest({ question: q }), deps(model))).resolves.toBeDefined();
  });

  it('no plan is ever executed by ask: plans stay proposed and the cluster sees dry runs only', async () => {
    const d = deps(model);
    const r = await ask(validateAskRequest({ question: 'scale deploy/cart --replicas 6 -n shop' }), d);
    expect(r.plan?.status).toBe('proposed');
    expect(d.kubernetes.calls.every((x) => x.dryRun)).toBe(true);
  });
});

describe('without a model', () => {
  it('the rule parser still reads questions', async () => {
    const u = await understandQuestion('restart deployment checkout in namespace shop', NOW, {});
    expect(u).toMatchObject({ reader: 'rules', intent: 'kubernetes_action', verb: 'restart', entities: { workload: { name: 'checkout' }, namespace: 'shop' } });
    const r = await ask(validateAskRequest({ question: 'scale checkout to 3 replicas in namespace shop' }), deps());
    expect(r.intent).toBe('kubernetes_action');
  });
});
