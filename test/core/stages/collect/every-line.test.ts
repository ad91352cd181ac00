import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvidenceFile } from '../../../../functions/adapters/local/evidence-file.collector.js';
import { mergeContexts } from '../../../../functions/core/stages/collect/index.js';
import { LogSelection } from '../../../../functions/core/stages/collect/log-selection.js';
import { analyze, minePatterns } from '../../../../functions/core/stages/analyze/index.js';
import { manualIncident } from '../../../../functions/core/stages/normalize/index.js';

const dir = mkdtempSync(join(tmpdir(), 'every-line-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = Date.parse('2026-11-30T06:00:00Z');
const FAILURE = 'java.lang.OutOfMemoryError: Java heap space';

/** A large log whose only failure is its 5th line, followed by `healthy` lines of a few templates. */
async function logWithEarlyFailure(healthy: number): Promise<{ path: string; lines: number }> {
  const path = join(dir, `early-failure-${healthy}.log`);
  const out = createWriteStream(path);
  let k = 0;
  const line = (text: string): string => `${new Date(BASE + k++ * 10).toISOString()} ${text}\n`;
  let chunk = '';
  for (let i = 0; i < 4; i++) chunk += line(`INFO  [main] c.s.checkout.App - started worker ${i}`);
  chunk += line(`ERROR [cart-export-1] c.s.checkout.CartExporter - ${FAILURE}`);
  for (let i = 0; i < healthy; i++) {
    chunk += i % 2 === 0
      ? line(`INFO  [http-nio-8080-exec-${i % 16}] c.s.checkout.OrderController - POST /v1/checkout order=${40_000 + i} items=${i % 7} status=201 duration_ms=${50 + (i % 90)}`)
      : line(`DEBUG [http-nio-8080-exec-${i % 16}] c.s.checkout.PricingClient - GET http://pricing.shop.svc:8080/v2/prices?sku=SKU-${i} 200 in ${i % 60}ms`);
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { path, lines: k };
}

describe('every line is analyzed, memory bounded per template', () => {
  it('finds a failure early in a large file and counts every line in the patterns', async () => {
    // Prepare: streamed (over the whole-parse limit), far more lines than are kept whole
    const { path, lines } = await logWithEarlyFailure(30_000);
    const incident = manualIncident({ input: 'test', seed: 'early-failure', now: new Date(BASE + 600_000) }); // the window covers the whole log
    // Act
    const part = await readEvidenceFile(path, { wholeParseLimitBytes: 64 * 1024, maxEvents: 1000 });
    const context = mergeContexts(incident, [part]);
    const analysis = analyze(incident, context);
    const patterns = minePatterns(context.logs, context.baselineLogs, {}, { maxPatterns: Number.POSITIVE_INFINITY }, context.omittedLogs);
    // Assess: few events kept whole, the failure among them, every line counted
    expect(context.logs.length).toBeLessThan(1100);
    expect(context.logs.some((e) => e.line === 5 && e.message.includes(FAILURE))).toBe(true);
    expect(patterns.reduce((n, p) => n + p.count, 0)).toBe(lines);
    const failure = patterns.find((p) => p.samples.some((s) => s.line === 5))!;
    expect(failure).toMatchObject({ count: 1, level: 'ERROR' });
    const checkout = patterns.find((p) => p.template.includes('OrderController - POST'))!;
    expect(checkout.count).toBe(15_000);
    expect(checkout.firstSeen).toBe(new Date(BASE + 5 * 10).toISOString());
    expect(checkout.lastSeen).toBe(new Date(BASE + (lines - 2) * 10).toISOString());
    expect(analysis.signatureMatches.some((m) => m.evidence.line === 5 && m.evidence.text.includes(FAILURE))).toBe(true);
  }, 60_000);

  it('keeps the first events of each template and the most recent ones, in input order', () => {
    // Prepare
    const selection = new LogSelection({ perTemplate: 2, recent: 3 });
    const events = Array.from({ length: 10 }, (_, i) => ({ message: i === 6 ? 'disk full on /var' : `request ${i} served`, source: 's', line: i + 1, timestamp: BASE + i }));
    // Act
    for (const e of events) selection.add(e);
    const { logs, omitted, read } = selection.finish('s');
    // Assess: lines 1-2 (first of their template), 7 (a new template), 8-10 (most recent)
    expect(read).toBe(10);
    expect(logs.map((e) => e.line)).toEqual([1, 2, 7, 8, 9, 10]);
    expect(omitted!.count).toBe(4);
    expect([...omitted!.timestamps]).toEqual([BASE + 2, BASE + 3, BASE + 4, BASE + 5]);
    expect(omitted!.exemplars.every((e) => e === logs[0])).toBe(true);
  });
});
