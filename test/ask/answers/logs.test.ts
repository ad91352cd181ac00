/**
 * Logs and change events through the answer layer (a hand-built ParsedQuestion, so the parser
 * does not matter), over test/ask/fixtures/payments-app.log. The clock is Wednesday 2026-12-02 10:00 UTC.
 */
import { describe, expect, it } from 'vitest';
import { parseCalendarRange } from '../../../functions/core/ask/time-range.js';
import { answerAs, answerWorld } from './world.js';

const NOW = new Date('2026-12-02T10:00:00Z');
const payments = { workload: { name: 'payments' } } as const;

describe('parseCalendarRange: weekdays and dates against the clock', () => {
  it('"since monday" starts at the most recent Monday 00:00 UTC and ends now', () => {
    expect(parseCalendarRange('errors since monday', NOW)).toEqual({ start: '2026-11-30T00:00:00.000Z', end: NOW.toISOString(), text: 'since monday' });
  });
  it('"since 2026-11-28" starts that day; "on 2026-12-01" is that whole day', () => {
    expect(parseCalendarRange('logs since 2026-11-28', NOW)).toMatchObject({ start: '2026-11-28T00:00:00.000Z', end: NOW.toISOString() });
    expect(parseCalendarRange('changes on 2026-12-01', NOW)).toMatchObject({ start: '2026-12-01T00:00:00.000Z', end: '2026-12-02T00:00:00.000Z' });
  });
  it('"on tuesday" is the last whole Tuesday; today\'s weekday means a week ago', () => {
    expect(parseCalendarRange('what changed on tuesday', NOW)).toMatchObject({ start: '2026-12-01T00:00:00.000Z', end: '2026-12-02T00:00:00.000Z' });
    expect(parseCalendarRange('on wednesday', NOW)).toMatchObject({ start: '2026-11-25T00:00:00.000Z' });
    expect(parseCalendarRange('errors in payments', NOW)).toBeUndefined();
  });
});

describe('logs: level and range filters are exact', () => {
  it('errors since monday: ERROR lines only, inside the range, with distinct messages, counts, first/last seen and source:line', async () => {
    const deps = await answerWorld(['payments-app.log'], { now: NOW });
    const r = await answerAs(deps, 'errors in payments since monday', { intent: 'search_errors', entities: payments });
    expect(r.answer).toMatch(/^6 ERROR lines for payments since monday \(2026-11-30T00:00:00Z to 2026-12-02T10:00:00Z\) in 3 distinct messages/);
    // WARN is not ERROR, and the 2026-11-28 error is outside the range.
    expect(r.answer).toContain('2 WARN lines are not ERROR');
    expect(r.answer).toContain('3 lines outside the range left out');
    expect(r.answer).toContain('"c.s.payments.LedgerClient - ledger write failed for order=<*>: connection refused" ×4, first 2026-11-30T08:12:30Z, last 2026-12-02T00:00:00Z');
    expect(r.answer).not.toContain('upstream timeout after 3000 ms');
    expect(r.answer).not.toContain('retrying authorization');
    expect(r.citations.every((c) => /^payments-app\.log:\d+$/.test(c.source) && c.title?.startsWith('ERROR'))).toBe(true);
    expect(r.citations.map((c) => c.source)).toContain('payments-app.log:14');
    expect(r.citations.find((c) => c.source === 'payments-app.log:14')!.text).toBe('2026-12-02T09:41:00.000Z ERROR [http-11] c.s.payments.CardGateway - authorization failed for order=7302: card declined');
  });

  it('warnings yesterday: WARN only, and a line at 23:59:59 is in while one at 00:00:00 today is out', async () => {
    const deps = await answerWorld(['payments-app.log'], { now: NOW });
    const r = await answerAs(deps, 'payments warnings yesterday', { intent: 'search_errors', entities: { ...payments, level: 'WARN', timeRange: { start: '2026-12-01T00:00:00.000Z', end: '2026-12-02T00:00:00.000Z', text: 'yesterday' } } });
    expect(r.answer).toMatch(/^1 WARN line for payments yesterday/);
    expect(r.citations.map((c) => c.source)).toEqual(['payments-app.log:11']);
    expect(r.citations[0]!.text).toBe('2026-12-01T23:59:59.000Z WARN  [http-8] c.s.payments.CardGateway - retrying authorization for order=7250 (attempt 2)');
    expect(r.answer).not.toContain('order=7300');
  });

  it('the last N error lines (limit), oldest first, since a date', async () => {
    const deps = await answerWorld(['payments-app.log'], { now: NOW });
    const r = await answerAs(deps, 'last 3 error lines of payments since 2026-11-28', { intent: 'search_errors', entities: { ...payments, level: 'ERROR', limit: 3 } });
    expect(r.answer).toMatch(/^The last 3 ERROR lines of payments since 2026-11-28 .*\(of 7\), oldest first/);
    expect(r.citations.map((c) => c.source)).toEqual(['payments-app.log:10', 'payments-app.log:12', 'payments-app.log:14']);
    expect(r.answer).toContain('payments-app.log:12  2026-12-02T00:00:00.000Z ERROR [http-9] c.s.payments.LedgerClient - ledger write failed for order=7300: connection refused');
  });

  it('whether a message was reported: yes with the count, first/last seen and the lines; no when it never was', async () => {
    const deps = await answerWorld(['payments-app.log'], { now: NOW });
    const yes = await answerAs(deps, 'did payments log connection refused?', { intent: 'search_errors', entities: { ...payments, message: 'connection refused' } });
    expect(yes.answer).toMatch(/^Yes: "connection refused" was reported 4 times for payments, first 2026-11-30T08:12:30Z, last 2026-12-02T00:00:00Z/);
    expect(yes.citations.map((c) => c.source)).toEqual(['payments-app.log:5', 'payments-app.log:6', 'payments-app.log:10', 'payments-app.log:12']);
    const no = await answerAs(deps, 'was "disk full" reported in payments?', { intent: 'search_errors', entities: payments });
    expect(no.answer).toMatch(/^No: "disk full" does not appear in the/);
    expect(no.citations).toEqual([]);
  });

  it('redacts secrets in the lines it quotes', async () => {
    const deps = await answerWorld(['payments-app.log'], { now: NOW });
    const r = await answerAs(deps, 'did payments report refund failed', { intent: 'search_errors', entities: { ...payments, message: 'refund failed' } });
    expect(r.answer).not.toContain('hunter2');
    expect(r.citations[0]!.text).toContain('password=[REDACTED');
  });

  it('no lines of the level in the range: says so and cites nothing', async () => {
    const deps = await answerWorld(['payments-app.log'], { now: NOW });
    const r = await answerAs(deps, 'debug logs of payments', { intent: 'search_errors', entities: { ...payments, level: 'DEBUG' } });
    expect(r.answer).toMatch(/^No DEBUG lines for payments in the evidence/);
    expect(r.citations).toEqual([]);
  });

  it('through ask(): today\'s parser reads "errors in payments since monday" as search_errors', async () => {
    const { ask, validateAskRequest } = await import('../../../functions/core/ask/index.js');
    const deps = await answerWorld(['payments-app.log'], { now: NOW });
    const r = await ask(validateAskRequest({ question: 'errors in payments since monday' }), deps);
    expect(r.intent).toBe('search_errors');
    expect(r.answer).toMatch(/^6 ERROR lines for payments since monday/);
  });
});

describe('changes: the change events of a day', () => {
  it('keeps the day\'s deployment and configuration lines and leaves the other days out', async () => {
    const deps = await answerWorld(['payments-app.log'], { now: NOW });
    const day = await answerAs(deps, 'what changed in payments on 2026-12-01', { intent: 'changes', entities: payments });
    expect(day.answer).toMatch(/^1 change event for payments on 2026-12-01/);
    expect(day.citations.map((c) => c.source)).toEqual(['payments-app.log:8']);
    expect(day.citations[0]!.text).toBe('2026-12-01T07:30:00.000Z INFO  [main] c.s.payments.Application - config reloaded: feature flag fast-refunds=on');
    const monday = await answerAs(deps, 'what changed in payments on monday', { intent: 'changes', entities: payments });
    expect(monday.citations.map((c) => c.source)).toEqual(['payments-app.log:4']);
    expect(monday.citations[0]!.text).toContain('deployed version 3.3.0');
  });

  it('without a range, lists Kubernetes change events with their printed ages and the log lines', async () => {
    const { EXAMPLE } = await import('./world.js');
    const deps = await answerWorld([`${EXAMPLE}/app.log`, `${EXAMPLE}/events.txt`], { now: new Date('2026-11-30T07:00:00Z') });
    const r = await answerAs(deps, 'what changed in checkout', { intent: 'changes', entities: { workload: { name: 'checkout' } } });
    expect(r.answer).toContain('examples/checkout-oom/events.txt:5  3m14s       Normal    Started     pod/checkout-7d9f8b6c5-x2mqp        Started container checkout');
    expect(r.citations.some((c) => c.source.startsWith('examples/checkout-oom/app.log:') && c.text.includes('Started CheckoutApplication'))).toBe(true);
  });
});

describe('a namespace named where a workload stands', () => {
  it('"what was deployed to shop": the evidence from namespace shop is about it', async () => {
    const { EXAMPLE } = await import('./world.js');
    const deps = await answerWorld([`${EXAMPLE}/app.log`, `${EXAMPLE}/pod-describe.txt`], { now: new Date('2026-11-30T07:00:00Z') });
    const r = await answerAs(deps, 'what was deployed to shop today?', { intent: 'changes', entities: { workload: { name: 'shop' } } });
    expect(r.answer).toMatch(/^12 change events for shop, earliest first:/);
    expect(r.answer).toContain("examples/checkout-oom/pod-describe.txt:61");
    expect(r.citations[0]).toMatchObject({ source: 'examples/checkout-oom/app.log:365' });
  });
});

describe('changes through ask()', () => {
  it('today\'s parser reads "what changed in payments on 2026-12-01" as changes; the calendar range comes from the question', async () => {
    const { ask, validateAskRequest } = await import('../../../functions/core/ask/index.js');
    const deps = await answerWorld(['payments-app.log'], { now: NOW });
    const r = await ask(validateAskRequest({ question: 'what changed in payments on 2026-12-01?' }), deps);
    expect(r.intent).toBe('changes');
    expect(r.citations.map((c) => c.source)).toEqual(['payments-app.log:8']);
  });
});
