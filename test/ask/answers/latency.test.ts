/**
 * "Why is X slow?" through the answer layer: durations read from application, PostgreSQL,
 * MySQL, Lambda, nginx and ALB lines, compared with their usual values in the same evidence.
 */
import { describe, expect, it } from 'vitest';
import { readDuration } from '../../../functions/core/ask/answers/latency.js';
import { isCategory } from '../../../functions/core/model/categories.js';
import { answerAs, answerWorld, EXAMPLE } from './world.js';

const NOW = new Date('2026-11-30T10:00:00Z');

describe('readDuration: the formats engineers paste', () => {
  it.each([
    ['2026-11-30T09:39:00.000Z DEBUG [http-1] c.s.orders.OrderRepository - query took 8.2s: select 1', 8200],
    ['level=info msg="upstream call" duration=12000ms', 12000],
    ['2026-11-30 09:37:00.123 UTC [4207] LOG:  duration: 9875.1 ms  statement: SELECT 1', 9875.1],
    ['# Query_time: 12.345678  Lock_time: 0.000120 Rows_sent: 1  Rows_examined: 9000000', 12345.678],
    ['REPORT RequestId: 5f0e\tDuration: 13440.55 ms\tBilled Duration: 13441 ms\tMemory Size: 512 MB\tMax Memory Used: 141 MB', 13440.55],
    ['10.0.0.1 - - [30/Nov/2026:09:40:00 +0000] "GET /v1/orders HTTP/1.1" 200 512 "-" "curl/8" request_time=2.503 upstream_response_time=2.501', 2503],
    ['https 2026-11-30T09:40:00.186641Z app/shop-alb/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 4.048 0.000 200 200 34 366 "GET https://shop.example.com:443/v1/orders HTTP/1.1" "curl/8" - -', 4048],
    ['GET http://pricing.shop.svc:8080/v2/prices?sku=SKU-1 200 in 40ms', 40],
    ['payment provider slow: 2 retries for order=40920, last latency 2486ms', 2486],
  ])('%s → %d ms', (line, ms) => {
    expect(readDuration(line)?.ms).toBeCloseTo(ms, 3);
  });

  it('reads no duration where none is printed, and skips Billed Duration and an ALB -1', () => {
    expect(readDuration('POST /v1/orders status=201')).toBeUndefined();
    expect(readDuration('http 2026-11-30T09:40:00Z app/a/1 1.2.3.4:1 10.0.0.1:80 -1 -1 -1 504 - 0 0 "GET http://x:80/ HTTP/1.1"')).toBeUndefined();
  });
});

describe('latency: the slowest calls against their usual values', () => {
  it('slow_dependency is a category of the catalogue', () => {
    expect(isCategory('slow_dependency')).toBe(true);
  });

  it('names the slow PostgreSQL query (9875.1 ms against a usual 15.7 ms) and quotes it', async () => {
    const deps = await answerWorld(['orders-latency.log', 'orders-db-postgres.log'], { now: NOW });
    const r = await answerAs(deps, 'why is orders slow', { intent: 'latency', entities: { workload: { name: 'orders' } } });
    expect(r.intent).toBe('latency');
    expect(r.answer).toMatch(/^Likely slow_dependency: it takes up to 9\.88 s \(duration: 9875\.1 ms\) against a usual 15\.7 ms in the same evidence/);
    expect(r.answer).toContain('9.4 s at most, usually 55.5 ms over 24 calls (×169.4) [downstream]: "c.s.orders.OrderRepository - query took <*>: select * from orders where customer_id = ?"');
    expect(r.citations[0]).toEqual({ source: 'orders-db-postgres.log:8', title: '9.88 s (duration: 9875.1 ms)', text: '2026-11-30 09:37:00.123 UTC [4207] LOG:  duration: 9875.1 ms  statement: SELECT * FROM orders WHERE customer_id = 307' });
    expect(r.citations.map((c) => c.source)).toContain('orders-latency.log:64');
  });

  it('a Lambda function: REPORT durations are its own invocations; the slow S3 call is the dependency', async () => {
    const deps = await answerWorld(['resize-images-lambda.log'], { now: NOW });
    const r = await answerAs(deps, 'why is the resize-images function slow', { intent: 'latency', entities: { function: 'resize-images' } });
    expect(r.answer).toMatch(/^Likely slow_dependency: it takes up to 13\.2 s \(took 13200ms\) against a usual 97\.5 ms/);
    expect(r.answer).toContain('Slowest calls of Lambda function resize-images');
    expect(r.citations.map((c) => c.source).slice(0, 2)).toEqual(['resize-images-lambda.log:28', 'resize-images-lambda.log:26']);
  });

  it('the example: the payment provider is slow on every logged call, while checkout\'s own requests are not', async () => {
    const deps = await answerWorld([`${EXAMPLE}/app.log`], { now: NOW });
    const r = await answerAs(deps, 'why is checkout slow', { intent: 'latency', entities: { workload: { name: 'checkout' } } });
    expect(r.answer).toMatch(/^A downstream call is slow \(slow_dependency\): it takes up to 2\.49 s \(latency 2486ms\) and usually 1\.68 s: every logged call of it is slow/);
    expect(r.answer).toContain("checkout's own timed requests are not slow in this evidence: usually 135 ms, at most 240 ms");
    expect(r.answer).not.toContain('Started CheckoutApplication');
    expect(r.citations[0]).toMatchObject({ source: 'examples/checkout-oom/app.log:886', text: '2026-11-30T06:29:20.829Z WARN  [http-nio-8080-exec-4] c.s.checkout.PaymentClient - payment provider slow: 2 retries for order=40920, last latency 2486ms' });
  });

  it('no durations in the evidence: says it cannot tell which call is slow', async () => {
    const deps = await answerWorld(['payments-app.log'], { now: NOW });
    const r = await answerAs(deps, 'why is payments slow', { intent: 'latency', entities: { workload: { name: 'payments' } } });
    expect(r.answer).toMatch(/^No call stands out/);
    expect(r.answer).toContain('[failed: an error, not slowness]: "c.s.payments.CardGateway - authorization failed for order=<*>: upstream timeout after <*> ms"');
  });

  it('evidence about another workload: says it does not cover it', async () => {
    const deps = await answerWorld(['orders-latency.log'], { now: NOW });
    const r = await answerAs(deps, 'why is checkout slow', { intent: 'latency', entities: { workload: { name: 'checkout' } } });
    expect(r.answer).toMatch(/^The evidence I have \(orders-latency\.log\) does not cover checkout/);
    expect(r.citations).toEqual([]);
  });
});

describe('the slow_dependency signature', () => {
  it('the latency analyzer reads slow-query and slow-call lines, not errors or fast calls', async () => {
    const { analyzeLatency } = await import('../../../functions/core/stages/analyze/index.js');
    const slow = (line: string) => analyzeLatency({ logs: [{ message: line, source: 'app.log', line: 1 }] }).length > 0;
    for (const line of [
      '2026-11-30 09:37:00.123 UTC [4207] LOG:  duration: 9875.1 ms  statement: SELECT * FROM orders WHERE customer_id = 307',
      '# Query_time: 12.345678  Lock_time: 0.000120 Rows_sent: 1  Rows_examined: 9000000',
      '2026-11-30T09:40:30.000Z DEBUG [http-4] c.s.orders.OrderRepository - query took 9.4s: select * from orders where customer_id = ?',
      'upstream pricing.shop.svc responded in 12000 ms',
    ]) expect(slow(line), line).toBe(true);
    for (const line of [
      '2026-11-30 09:30:00.123 UTC [4200] LOG:  duration: 11.2 ms  statement: SELECT 1',
      '# Query_time: 0.000120  Lock_time: 0.000010',
      'authorization failed for order=7001: upstream timeout after 3000 ms',
      'query took 45ms: select 1',
    ]) expect(slow(line), line).toBe(false);
  });
});
