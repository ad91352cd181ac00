import { describe, expect, it } from 'vitest';
import { collect, degradationKind, mergeContexts } from '../../../../functions/core/stages/collect/index.js';
import type { Collector, PartialContext } from '../../../../functions/core/ports/collector.port.js';
import type { Incident } from '../../../../functions/core/model/incident.js';
import type { LogEvent } from '../../../../functions/core/model/evidence.js';
import { InvalidInputError } from '../../../../functions/core/model/errors.js';

const incident: Incident = {
  id: 'inc-00000000000000000001',
  source: 'manual',
  title: 'test',
  severity: 'high',
  occurredAt: '2026-11-30T07:00:00.000Z',
  window: { start: '2026-11-30T06:30:00.000Z', end: '2026-11-30T07:10:00.000Z' },
  baseline: { start: '2026-11-30T05:50:00.000Z', end: '2026-11-30T06:30:00.000Z' },
  resources: [],
  labels: {},
};

const fixed = (name: string, value: PartialContext, delayMs = 0): Collector => ({
  name,
  collect: () => new Promise((resolve) => setTimeout(() => resolve(value), delayMs)),
});
const failing = (name: string, error: unknown): Collector => ({ name, collect: () => Promise.reject(error) });
const log = (message: string, timestamp: number | undefined, source = 'a.log', line?: number): LogEvent => ({
  message, source, ...(timestamp !== undefined ? { timestamp } : {}), ...(line !== undefined ? { line } : {}),
});

describe('collect: concurrency, budget and failures', () => {
  it('records a collector that hangs past the budget as timeout and returns within budget + slack', async () => {
    let sawAbort = false;
    const hanging: Collector = {
      name: 'hangs',
      collect: (_i, signal) => new Promise(() => { signal.addEventListener('abort', () => { sawAbort = true; }); }),
    };
    const started = performance.now();
    const ctx = await collect(incident, [hanging, fixed('ok', { logs: [log('hello', undefined)] }, 10)], { budgetMs: 200 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(600); // budget + slack (timers on a loaded CI machine)
    expect(sawAbort).toBe(true);
    expect(ctx.degraded).toContainEqual(expect.objectContaining({ component: 'hangs', kind: 'timeout' }));
    expect(ctx.logs.map((e) => e.message)).toEqual(['hello']);
  });

  it('runs collectors concurrently (total time is the slowest, not the sum)', async () => {
    const started = performance.now();
    await collect(incident, [1, 2, 3, 4].map((k) => fixed(`c${k}`, {}, 100)), { budgetMs: 2000 });
    expect(performance.now() - started).toBeLessThan(350); // sequential would take 400
  });

  it('discards a result that arrives after the budget', async () => {
    const ctx = await collect(incident, [fixed('late', { logs: [log('late', undefined)] }, 150)], { budgetMs: 50 });
    expect(ctx.logs).toEqual([]);
    expect(ctx.degraded).toEqual([expect.objectContaining({ component: 'late', kind: 'timeout' })]);
  });

  it('records errors by kind and keeps the others', async () => {
    const accessDenied = Object.assign(new Error('User is not authorized to perform: logs:FilterLogEvents'), { name: 'AccessDeniedException' });
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const ctx = await collect(incident, [
      failing('cloudwatch-logs', accessDenied),
      failing('cloudwatch', throttled),
      failing('k8s', new Error('socket hang up')),
      fixed('file:a.log', { logs: [log('kept', undefined)] }),
    ], { budgetMs: 1000 });
    expect(ctx.degraded).toEqual([
      { component: 'cloudwatch-logs', kind: 'permission', reason: 'User is not authorized to perform: logs:FilterLogEvents' },
      { component: 'cloudwatch', kind: 'throttled', reason: 'Rate exceeded' },
      { component: 'k8s', kind: 'error', reason: 'socket hang up' },
    ]);
    expect(ctx.logs.map((e) => e.message)).toEqual(['kept']);
  });

  it('rethrows an unreadable input only with strictInput', async () => {
    const bad = failing('file:x', new InvalidInputError('x', 'is empty'));
    await expect(collect(incident, [bad], { budgetMs: 500, strictInput: true })).rejects.toThrow('x: is empty');
    const ctx = await collect(incident, [bad], { budgetMs: 500 });
    expect(ctx.degraded).toEqual([{ component: 'file:x', kind: 'error', reason: 'x: is empty' }]);
  });

  it('stops at once when the caller signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = performance.now();
    const ctx = await collect(incident, [fixed('slow', {}, 5000)], { budgetMs: 10_000, signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(500);
    expect(ctx.degraded[0]).toMatchObject({ component: 'slow', kind: 'timeout' });
  });

  it('merges collector degradations and includes inline evidence as source `event`', async () => {
    const withInline: Incident = { ...incident, inlineEvidence: ['Back-off pulling image "acme/api:1.4"\nsecond line'] };
    const ctx = await collect(withInline, [fixed('f', { degraded: [{ component: 'f', kind: 'skipped', reason: 'partial' }] })], { budgetMs: 500 });
    expect(ctx.logs).toEqual([
      { message: 'Back-off pulling image "acme/api:1.4"', source: 'event', line: 1 },
      { message: 'second line', source: 'event', line: 2 },
    ]);
    expect(ctx.degraded).toEqual([{ component: 'f', kind: 'skipped', reason: 'partial' }]);
  });

  it('gives each of several inline evidence strings its own source, lines counted within it', async () => {
    const withInline: Incident = { ...incident, inlineEvidence: ['Back-off pulling image "acme/api:1.4"', 'first\nsecond line'] };
    const ctx = await collect(withInline, [], { budgetMs: 500 });
    expect(ctx.logs).toEqual([
      { message: 'Back-off pulling image "acme/api:1.4"', source: 'event:evidence[0]', line: 1 },
      { message: 'first', source: 'event:evidence[1]', line: 1 },
      { message: 'second line', source: 'event:evidence[1]', line: 2 },
    ]);
    expect(ctx.degraded).toEqual([]);
  });
});

describe('collect: merging', () => {
  const t = (iso: string): number => Date.parse(iso);

  it('splits logs into window and baseline by timestamp; undated and out-of-range events count as window', async () => {
    const logs = [
      log('baseline', t('2026-11-30T06:00:00Z'), 'a', 1),
      log('window', t('2026-11-30T06:45:00Z'), 'a', 2),
      log('undated', undefined, 'a', 3),
      log('after', t('2026-11-30T08:00:00Z'), 'a', 4),
      log('baseline end is exclusive', t('2026-11-30T06:30:00Z'), 'a', 5),
    ];
    const ctx = await collect(incident, [fixed('a', { logs })], { budgetMs: 500 });
    expect(ctx.baselineLogs.map((e) => e.message)).toEqual(['baseline']);
    expect(ctx.logs.map((e) => e.message)).toEqual(['window', 'undated', 'after', 'baseline end is exclusive']);
    const noBaseline = await collect({ ...incident, baseline: undefined }, [fixed('a', { logs })], { budgetMs: 500 });
    expect(noBaseline.baselineLogs).toEqual([]);
    expect(noBaseline.logs).toHaveLength(5);
  });

  it('keeps an event two sources both return once, but keeps repeated lines of one source', async () => {
    const ts = t('2026-11-30T06:50:00Z');
    const fromFile = [log('ERROR timeout', ts, 'export.json', 3), log('ERROR timeout', ts, 'export.json', 9)];
    const fromApi = [log('ERROR timeout', ts, '/aws/lambda/x'), log('other', ts, '/aws/lambda/x')];
    const ctx = await collect(incident, [fixed('file', { logs: fromFile }), fixed('api', { logs: fromApi })], { budgetMs: 500 });
    expect(ctx.logs.map((e) => [e.source, e.message])).toEqual([
      ['export.json', 'ERROR timeout'], ['export.json', 'ERROR timeout'], ['/aws/lambda/x', 'other'],
    ]);
    expect(ctx.degraded).toContainEqual(expect.objectContaining({ kind: 'skipped', reason: expect.stringMatching(/^1 duplicate/) }));
  });

  it('dedupes Kubernetes events seen in describe and get events; whole objects replace table rows', () => {
    const ctx = mergeContexts(incident, [
      {
        kubernetesEvents: [{ type: 'Warning', reason: 'BackOff', message: 'Back-off restarting', object: 'Pod/x', namespace: 'n', source: 'd.txt', line: 40 }],
        kubernetesObjects: [{ kind: 'Pod', metadata: { name: 'x', namespace: 'n' }, status: { phase: 'Running' }, _fromTable: true }],
      },
      {
        kubernetesEvents: [
          { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting', object: 'pod/x', namespace: 'n', source: 'e.txt', line: 2 },
          { type: 'Normal', reason: 'Pulled', message: 'pulled', object: 'pod/x', namespace: 'n', source: 'e.txt', line: 3 },
        ],
        kubernetesObjects: [{ kind: 'Pod', metadata: { name: 'x', namespace: 'n' }, status: { phase: 'Running', containerStatuses: [] } }],
      },
    ]);
    expect(ctx.kubernetesEvents.map((e) => [e.source, e.reason])).toEqual([['d.txt', 'BackOff'], ['e.txt', 'Pulled']]);
    expect(ctx.kubernetesObjects).toHaveLength(1);
    expect(ctx.kubernetesObjects[0]!['_fromTable']).toBeUndefined();
  });

  it('keeps at most maxLogEvents, the most recent, and records the truncation', () => {
    const logs = Array.from({ length: 50 }, (_, k) => log(`m${k}`, t('2026-11-30T06:40:00Z') + k * 1000, 'a', k + 1));
    const ctx = mergeContexts(incident, [{ logs }], [], { maxLogEvents: 10 });
    expect(ctx.logs.map((e) => e.message)).toEqual(Array.from({ length: 10 }, (_, k) => `m${40 + k}`));
    expect(ctx.degraded).toEqual([expect.objectContaining({ kind: 'truncated', component: 'collect' })]);
  });
});

describe('degradationKind', () => {
  it('reads AWS SDK error names, codes and HTTP statuses', () => {
    expect(degradationKind(Object.assign(new Error('x'), { name: 'AccessDeniedException' }))).toBe('permission');
    expect(degradationKind(Object.assign(new Error('x'), { name: 'Error', $metadata: { httpStatusCode: 403 } }))).toBe('permission');
    expect(degradationKind(Object.assign(new Error('x'), { name: 'ExpiredTokenException' }))).toBe('permission');
    expect(degradationKind(Object.assign(new Error('x'), { name: 'TooManyRequestsException' }))).toBe('throttled');
    expect(degradationKind(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe('permission');
    expect(degradationKind(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe('timeout');
    expect(degradationKind(new Error('ECONNREFUSED'))).toBe('error');
  });
});
