/**
 * New phrasing: error lines no signature matches reach the classifier, and several distinct lines
 * it reads the same way make a modest hypothesis of their own, quoting them. One line alone does not.
 * The classifier here is an in-memory implementation of the CategoryClassifier port that reads a
 * fixed table (the ONNX adapter is tested in test/models).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../functions/core/stages/analyze/index.js';
import { infer, MODEL_ONLY_MAX_SCORE } from '../../functions/core/stages/infer/index.js';
import type { Category } from '../../functions/core/model/categories.js';
import type { CategoryClassifier } from '../../functions/core/ports/model.port.js';
import { context, incident } from '../analyze/kubernetes/fixtures/context.js';
import type { LogEvent } from '../../functions/core/model/evidence.js';

function tableClassifier(table: Array<[RegExp, Category, number]>): CategoryClassifier & { seen: string[] } {
  const seen: string[] = [];
  return {
    id: 'table', sha256: '0'.repeat(64), seen,
    async classify(texts) {
      seen.push(...texts);
      return texts.map((t) => {
        const hit = table.find(([re]) => re.test(t));
        return hit ? [{ category: hit[1], score: hit[2] }, { category: 'unknown' as Category, score: 1 - hit[2] }] : [{ category: 'unknown' as Category, score: 1 }];
      });
    },
  };
}

const line = (message: string, n: number): LogEvent => ({ message, source: 'app.log', line: n, timestamp: Date.parse('2026-11-30T06:40:00Z') + n * 1000 });

// Phrasings no signature knows (a home-grown pool library's words).
const NEW_PHRASING = [
  line('2026-11-30T06:40:01Z ERROR OrderRepo - lease wait on pool "orders" exceeded 30000ms, 50/50 leases out', 1),
  line('2026-11-30T06:40:02Z ERROR CartRepo - lease wait on pool "carts" exceeded 30000ms, 20/20 leases out', 2),
  line('2026-11-30T06:40:03Z ERROR Billing - no spare backend sessions in the shared pool for tenant 42 after 15 s', 3),
];

describe('model on lines no signature matches', () => {
  it('proposes a modest hypothesis when several distinct error lines agree', async () => {
    const ctx = context({ logs: NEW_PHRASING });
    const inc = incident();
    const analysis = analyze(inc, ctx);
    expect(analysis.signatureMatches.filter((m) => m.category === 'db_connection_exhaustion')).toEqual([]);
    const classifier = tableClassifier([[/lease wait|backend sessions/, 'db_connection_exhaustion', 0.93]]);
    const { hypotheses, model } = await infer({ incident: inc, context: ctx, analysis, retrieval: { passages: [], similarIncidents: [] } }, classifier);
    expect(model?.id).toBe('table');
    expect(hypotheses[0]!.category).toBe('db_connection_exhaustion');
    expect(hypotheses[0]!.confidence).toBeLessThanOrEqual(MODEL_ONLY_MAX_SCORE);
    expect(hypotheses[0]!.evidence.map((e) => e.line)).toEqual(expect.arrayContaining([expect.any(Number)]));
    expect(hypotheses[0]!.evidence.every((e) => e.source === 'app.log')).toBe(true);
  });

  it('does not diagnose from one line the model alone reads', async () => {
    const ctx = context({ logs: [NEW_PHRASING[0]!] });
    const inc = incident();
    const classifier = tableClassifier([[/lease wait/, 'db_connection_exhaustion', 0.99]]);
    const { hypotheses } = await infer({ incident: inc, context: ctx, analysis: analyze(inc, ctx), retrieval: { passages: [], similarIncidents: [] } }, classifier);
    expect(hypotheses[0]!.category).toBe('unknown');
  });

  it('without a classifier the same evidence stays unknown', async () => {
    const ctx = context({ logs: NEW_PHRASING });
    const inc = incident();
    const { hypotheses } = await infer({ incident: inc, context: ctx, analysis: analyze(inc, ctx), retrieval: { passages: [], similarIncidents: [] } });
    expect(hypotheses[0]!.category).toBe('unknown');
  });
});
