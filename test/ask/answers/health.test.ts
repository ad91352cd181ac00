/**
 * "Is X healthy now?" through the answer layer: verdicts over the bundled example (failing), a
 * Ready pod with a steady error (healthy), the same pod with a new error (degraded), and a
 * workload the evidence does not cover (cannot tell).
 */
import { describe, expect, it } from 'vitest';
import { answerAs, answerWorld, EXAMPLE } from './world.js';

const NOW = new Date('2026-11-30T10:00:00Z');
const example = ['app.log', 'pod-describe.txt', 'events.txt'].map((f) => `${EXAMPLE}/${f}`);
const health = (name: string) => ({ intent: 'health' as const, entities: { workload: { name } } });

describe('health: a verdict, what was checked, and the lines that show it', () => {
  it('failing: the example\'s checkout pod is not Ready, in CrashLoopBackOff after an OOMKill', async () => {
    // The clock of the example: its alarm fired at 06:41.
    const deps = await answerWorld(example, { now: new Date('2026-11-30T06:45:00Z') });
    const r = await answerAs(deps, 'is checkout healthy now?', health('checkout'));
    expect(r.intent).toBe('health');
    expect(r.answer).toMatch(/^checkout: failing now\.\nChecked:\n- pods: 1 seen, 0 Ready; checkout-7d9f8b6c5-x2mqp Running, waiting CrashLoopBackOff, last terminated OOMKilled \(exit 137\), 4 restarts/);
    expect(r.answer).toContain('critical Pod/checkout-7d9f8b6c5-x2mqp: container checkout was OOMKilled (exit code 137) and is in CrashLoopBackOff; restarts: 4');
    const bySource = Object.fromEntries(r.citations.map((c) => [c.source, c.text]));
    expect(bySource['examples/checkout-oom/pod-describe.txt:25']).toBe('      Reason:       OOMKilled');
    expect(bySource['examples/checkout-oom/pod-describe.txt:29']).toBe('    Ready:          False');
    expect(bySource['examples/checkout-oom/events.txt:7']).toContain('Back-off restarting failed container checkout');
    // The one ERROR line of the log is new in its last 10 minutes.
    expect(r.answer).toContain('"c.s.checkout.CartExporter - export failed for snapshot batch <*>: connection reset by peer" new (1 recently, 0 before)');
    // The describe holds a database password in DB_URL: it never reaches an answer.
    expect(JSON.stringify(r)).not.toContain('s3cr3t');
  });

  it('healthy: Running and Ready, no restarts, its one error steady at its usual rate', async () => {
    const deps = await answerWorld(['inventory-describe.txt', 'inventory-app.log'], { now: NOW });
    const r = await answerAs(deps, 'is inventory fine?', health('inventory'));
    expect(r.answer).toMatch(/^inventory: healthy\./);
    expect(r.answer).toContain('- pods: 1 seen, 1 Ready; inventory-6b7c8d9e5-r4t5y Running, 0 restarts');
    expect(r.answer).toContain('0 new, 0 spiking, 1 steady at their usual rate');
    expect(r.citations.map((c) => [c.source, c.text.trim()])).toEqual([
      ['inventory-describe.txt:10', 'Status:           Running'],
      ['inventory-describe.txt:20', 'Ready:          True'],
      ['inventory-describe.txt:21', 'Restart Count:  0'],
      ['inventory-app.log:46', '2026-11-30T09:57:27.000Z ERROR [http-6] c.s.inventory.StockCache - cache refresh failed for region eu-1: key not found'],
    ]);
  });

  it('degraded: pods are fine but a new error appears in the last 10 minutes', async () => {
    const deps = await answerWorld(['inventory-describe.txt', 'inventory-spike-app.log'], { now: NOW });
    const r = await answerAs(deps, 'is inventory ok', health('inventory'));
    expect(r.answer).toMatch(/^inventory: degraded\./);
    expect(r.answer).toContain('"c.s.inventory.WarehouseClient - request to <*> failed: connection refused" new (6 recently, 0 before)');
    expect(r.citations).toContainEqual(expect.objectContaining({ source: 'inventory-spike-app.log:50', text: '2026-11-30T09:56:41.000Z ERROR [http-6] c.s.inventory.WarehouseClient - request to warehouse.shop.svc:8080 failed: connection refused' }));
  });

  it('cannot tell: the evidence does not cover the workload, even when a line mentions it in passing', async () => {
    // orders-app.log mentions inventory.shop.svc on 2 of its 7 lines: it is orders' log, not inventory's.
    const deps = await answerWorld(['orders-describe.txt', 'orders-app.log'], { now: NOW, hint: 'run again with --evidence FILE' });
    const r = await answerAs(deps, 'is inventory healthy', health('inventory'));
    expect(r.answer).toBe('Cannot tell: the evidence I have (orders-app.log, orders-describe.txt) does not cover inventory; it is about orders. To check inventory, run again with --evidence FILE.');
    expect(r.citations).toEqual([]);
  });

  it('cannot tell without any evidence, naming how to give it', async () => {
    const deps = await answerWorld(undefined, { now: NOW, hint: 'run again with --evidence FILE' });
    const r = await answerAs(deps, 'is checkout healthy', health('checkout'));
    expect(r.answer).toMatch(/^Cannot tell: .*To check checkout, run again with --evidence FILE\.$/);
  });

  it('a Lambda function: its log group lines are its evidence', async () => {
    const deps = await answerWorld(['resize-images-lambda.log'], { now: NOW });
    const r = await answerAs(deps, 'is the resize-images lambda healthy', { intent: 'health', entities: { function: 'resize-images' } });
    expect(r.answer).toMatch(/^Lambda function resize-images: healthy\./);
    expect(r.answer).toContain('pods: none in the evidence');
  });
});

describe('health: evidence older than the clock', () => {
  it('says when the newest line is long before now', async () => {
    const deps = await answerWorld(['inventory-describe.txt', 'inventory-app.log'], { now: new Date('2026-11-30T12:00:00Z') });
    const r = await answerAs(deps, 'is inventory healthy now', health('inventory'));
    expect(r.answer.split('\n')[0]).toBe('inventory: healthy. (The newest log line is from 2026-11-30T09:59:07Z, 121 minutes before now: the evidence may not show the current state.)');
  });
});
