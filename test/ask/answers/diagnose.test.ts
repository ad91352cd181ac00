/**
 * "What is wrong with X?": stored diagnoses first, then the evidence; evidence that does not cover
 * X is said so, never answered from another workload. And Lambda, ECS and EC2 subjects.
 */
import { describe, expect, it } from 'vitest';
import { MemoryDiagnoses } from '../support.js';
import { answerAs, answerWorld, EXAMPLE } from './world.js';

const NOW = new Date('2026-11-30T10:00:00Z');
const example = ['app.log', 'pod-describe.txt', 'events.txt'].map((f) => `${EXAMPLE}/${f}`);
const diagnose = (name: string) => ({ intent: 'diagnose' as const, entities: { workload: { name } } });
const stored = () => new MemoryDiagnoses([
  { id: 'inc-old', createdAt: '2026-11-20T08:00:00Z', title: 'checkout pods restarting', category: 'oom_killed', confidence: 0.82, severity: 'high', resources: ['Pod/shop/checkout-6c5b4a3d2-q8w7e'], key: 'a' },
  { id: 'inc-api', createdAt: '2026-11-29T08:00:00Z', title: 'checkout-api 5xx', category: 'lb_target_5xx', confidence: 0.7, severity: 'high', resources: ['Deployment/shop/checkout-api'], key: 'b' },
]);

describe('diagnose: stored diagnoses first, then the evidence', () => {
  it('starts from the stored diagnosis of X (not of checkout-api), then answers from the evidence', async () => {
    const store = stored();
    const deps = await answerWorld(example, { now: NOW, store });
    const r = await answerAs(deps, "what's wrong with checkout?", diagnose('checkout'));
    expect(store.queries[0]).toMatchObject({ resource: 'checkout' });
    expect(r.answer).toMatch(/^Stored diagnosis of checkout, 2026-11-20T08:00:00Z: oom_killed \(82%\) — checkout pods restarting \[diagnosis:inc-old\]\.\nFrom the evidence now: Most likely oom_killed/);
    expect(r.answer).not.toContain('lb_target_5xx');
    expect(r.citations[0]).toMatchObject({ source: 'diagnosis:inc-old' });
    expect(r.citations.some((c) => c.source === 'examples/checkout-oom/pod-describe.txt:25' && c.text.includes('OOMKilled'))).toBe(true);
  });

  it('with stored diagnoses but no evidence: answers from the store and says how to check now', async () => {
    const deps = await answerWorld(undefined, { now: NOW, store: stored(), hint: 'run again with --evidence FILE' });
    const r = await answerAs(deps, 'what is wrong with checkout', diagnose('checkout'));
    expect(r.answer).toBe("Stored diagnosis of checkout, 2026-11-20T08:00:00Z: oom_killed (82%) — checkout pods restarting [diagnosis:inc-old].\nI cannot read checkout's logs or cluster from here to check it now; to do so, run again with --evidence FILE.");
    expect(r.citations.map((c) => c.source)).toEqual(['diagnosis:inc-old']);
  });

  it('evidence about another workload: says it does not cover X instead of diagnosing the other one', async () => {
    const deps = await answerWorld(['orders-describe.txt', 'orders-app.log'], { now: NOW, hint: 'run again with --evidence FILE' });
    const r = await answerAs(deps, 'what is wrong with checkout?', diagnose('checkout'));
    expect(r.answer).toBe('The evidence I have (orders-app.log, orders-describe.txt) does not cover checkout; it is about orders, so I will not answer from another workload\'s lines. To check checkout, run again with --evidence FILE.');
    expect(r.answer).not.toMatch(/oom_killed|Most likely/);
    expect(r.citations).toEqual([]);
  });

  it('stored diagnosis first, then that the evidence at hand does not cover X', async () => {
    const deps = await answerWorld(['orders-app.log'], { now: NOW, store: stored(), hint: 'run again with --evidence FILE' });
    const r = await answerAs(deps, 'what is wrong with checkout', diagnose('checkout'));
    expect(r.answer.split('\n')).toEqual([
      'Stored diagnosis of checkout, 2026-11-20T08:00:00Z: oom_killed (82%) — checkout pods restarting [diagnosis:inc-old].',
      'The evidence I have (orders-app.log) does not cover checkout, so I will not answer from another workload\'s lines. To check checkout, run again with --evidence FILE.',
    ]);
  });

  it('through ask(): today\'s parser reads "what is wrong with checkout" and the CLI hint is used', async () => {
    const { ask, validateAskRequest } = await import('../../../functions/core/ask/index.js');
    const deps = await answerWorld(['orders-app.log'], { now: NOW, hint: 'run again with --evidence FILE' });
    const r = await ask(validateAskRequest({ question: 'what is wrong with checkout?' }), deps);
    expect(r.intent).toBe('diagnose');
    expect(r.answer).toContain('does not cover checkout');
    expect(r.answer).toContain('--evidence FILE');
  });
});

describe('Lambda, ECS and EC2 subjects', () => {
  it('a Lambda function: its errors and REPORT lines are quoted from its log', async () => {
    const deps = await answerWorld(['resize-images-lambda.log'], { now: NOW });
    const r = await answerAs(deps, 'last 2 REPORT lines of resize-images', { intent: 'search_errors', entities: { function: 'resize-images', message: 'REPORT RequestId' } });
    expect(r.answer).toMatch(/^Yes: "REPORT RequestId" was reported 8 times for Lambda function resize-images/);
  });

  it('an ECS service: tasks that cannot be placed and unhealthy tasks make it degraded', async () => {
    const deps = await answerWorld(['ecs-cart-service-events.log'], { now: NOW });
    const r = await answerAs(deps, 'is the cart ecs service healthy', { intent: 'health', entities: { service: 'cart' } });
    expect(r.answer).toMatch(/^cart: degraded\./);
    expect(r.citations.map((c) => c.source)).toContain('ecs-cart-service-events.log:5');
    expect(r.answer).toContain('(service cart) was unable to place a task because no container instance met all of its requirements.');
  });

  it('an EC2 instance: kernel OOM kills (lines without a level) count as errors', async () => {
    const deps = await answerWorld(['i-0a1b2c3d4e5f67890-messages.log'], { now: NOW });
    const errors = await answerAs(deps, 'errors on i-0a1b2c3d4e5f67890', { intent: 'search_errors', entities: { node: 'i-0a1b2c3d4e5f67890', level: 'ERROR' } });
    expect(errors.answer).toMatch(/^2 ERROR lines for EC2 instance i-0a1b2c3d4e5f67890 in 1 distinct message/);
    // The distinct message is cited by its latest line, and every line is quoted under "Latest".
    expect(errors.citations).toEqual([
      { source: 'i-0a1b2c3d4e5f67890-messages.log:5', title: 'ERROR 2026-11-30T09:58:02Z', text: '2026-11-30T09:58:02.000Z ip-10-0-3-17 kernel: Out of memory: Killed process 2380 (reporting-worker) total-vm:8120100kB, anon-rss:7339900kB' },
      { source: 'i-0a1b2c3d4e5f67890-messages.log:3', title: 'ERROR 2026-11-30T09:51:12Z', text: '2026-11-30T09:51:12.000Z ip-10-0-3-17 kernel: Out of memory: Killed process 2211 (reporting-worker) total-vm:8123400kB, anon-rss:7340032kB' },
    ]);
    // The systemd line names no failure word of its own level: it is not counted as an error.
    expect(errors.answer).not.toContain('Main process exited');
    const health = await answerAs(deps, 'is i-0a1b2c3d4e5f67890 ok', { intent: 'health', entities: { node: 'i-0a1b2c3d4e5f67890' } });
    expect(health.answer).toMatch(/^EC2 instance i-0a1b2c3d4e5f67890: degraded\./);
  });
});

describe('was a message reported: Kubernetes lines count too', () => {
  it('"was OOMKilled reported for checkout": the describe line says yes, with source:line', async () => {
    const deps = await answerWorld(example, { now: NOW });
    const r = await answerAs(deps, 'was OOMKilled reported for checkout?', { intent: 'search_errors', entities: { workload: { name: 'checkout' }, message: 'OOMKilled' } });
    expect(r.answer).toMatch(/^Yes: "OOMKilled" was reported once for checkout/);
    expect(r.citations).toEqual([{ source: 'examples/checkout-oom/pod-describe.txt:25', text: '      Reason:       OOMKilled' }]);
  });
});
