import { describe as suite, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze, analyzeWithErrors, detectLevel, minePatterns } from '../../functions/core/stages/analyze/index.js';
import type { LogEvent } from '../../functions/core/model/evidence.js';
import { context, describe, incident } from './kubernetes/fixtures/context.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const minute = 60_000;

function events(count: number, make: (i: number) => string, start: number, stepMs: number, source = 'app.log'): LogEvent[] {
  return Array.from({ length: count }, (_, i) => ({ message: make(i), timestamp: start + i * stepMs, source, line: i + 1 }));
}

suite('minePatterns', () => {
  const window = { start: new Date(T0).toISOString(), end: new Date(T0 + 10 * minute).toISOString() };
  const baseline = { start: new Date(T0 - 60 * minute).toISOString(), end: new Date(T0).toISOString() };

  it('reports count, baseline count, first/last seen, level, 3 samples, new and spiking', () => {
    const win = [
      ...events(30, (i) => `ERROR connect ECONNREFUSED 10.0.0.${i % 7}:5432`, T0, 10_000),
      ...events(6, (i) => `INFO request ${i} served in ${i * 3} ms`, T0 + 1000, 60_000, 'web.log'),
    ];
    const base = events(12, (i) => `INFO request ${i} served in ${i} ms`, T0 - 60 * minute, 5 * minute);
    const patterns = minePatterns(win, base, { window, baseline });
    const refused = patterns.find((p) => p.template.includes('ECONNREFUSED'))!;
    const served = patterns.find((p) => p.template.includes('served'))!;
    expect(refused).toMatchObject({ count: 30, baselineCount: 0, isNew: true, level: 'ERROR' });
    expect(refused.firstSeen).toBe(new Date(T0).toISOString());
    expect(refused.lastSeen).toBe(new Date(T0 + 29 * 10_000).toISOString());
    expect(refused.samples).toHaveLength(3);
    expect(refused.samples[0]).toEqual({ text: 'ERROR connect ECONNREFUSED 10.0.0.0:5432', source: 'app.log', line: 1 });
    expect(served).toMatchObject({ count: 6, baselineCount: 12, isNew: false, level: 'INFO' });
    // 6 in 10 min against 12 in 60 min: 3× the rate → spiking.
    expect(served.isSpiking).toBe(true);
    expect(patterns[0]!.level).toBe('ERROR');
  });

  it('builds a timeline whose bucket counts add up to the pattern count', () => {
    const patterns = minePatterns(events(20, (i) => `worker ${i} failed`, T0, 25_000), [], { window }, { timelineBuckets: 10 });
    const timeline = patterns[0]!.timeline!;
    expect(timeline.counts).toHaveLength(10);
    expect(timeline.bucketMs).toBe(minute);
    expect(timeline.counts.reduce((a, b) => a + b, 0)).toBe(20);
    expect(patterns[0]!.isNew).toBe(false); // no baseline collected: never marked new
  });

  it('returns nothing for no logs', () => {
    expect(minePatterns([], [], {})).toEqual([]);
  });
});

suite('detectLevel', () => {
  it('prefers the header level, else words of the line', () => {
    expect(detectLevel('anything', 'W')).toBe('WARN');
    expect(detectLevel('2026-01-01 ERROR boom')).toBe('ERROR');
    expect(detectLevel('plain line')).toBeUndefined();
  });
});

suite('analyze', () => {
  it('combines patterns, analyzer findings and signature matches with exact evidence', () => {
    const text = readFileSync(new URL('./kubernetes/fixtures/pod-oomkilled.describe.txt', import.meta.url), 'utf8');
    const ctx = context({ describes: [describe(text, 'pod.txt', 1)], logs: [{ message: 'allocating buffer', source: 'app.log', line: 1 }] });
    const { analysis, errors } = analyzeWithErrors(incident(), ctx);
    expect(errors).toEqual([]);
    expect(analysis.patterns).toHaveLength(1);
    expect(analysis.findings[0]).toMatchObject({ analyzer: 'PodAnalyzer', category: 'oom_killed' });
    expect(analysis.signatureMatches[0]).toMatchObject({ category: 'oom_killed', evidence: { source: 'pod.txt', line: 12 } });
    expect(analyze(incident(), context())).toEqual({ patterns: [], findings: [], signatureMatches: [], failureStates: [] });
  });

  it('keeps a failing analyzer visible: a degradation from analyzeWithErrors, an info finding from analyze', () => {
    const hostile = new Proxy({ kind: 'Pod', metadata: { name: 'p' } } as any, {
      get(target, prop) { if (prop === 'status') throw new Error('unreadable status'); return target[prop]; },
    });
    const ctx = context({ kubernetesObjects: [hostile] });
    expect(analyzeWithErrors(incident(), ctx).errors).toEqual([{ component: 'kubernetes:PodAnalyzer', kind: 'error', reason: 'unreadable status' }]);
    expect(analyze(incident(), ctx).findings).toEqual([{ analyzer: 'PodAnalyzer', kind: 'Analyzer', name: 'kubernetes:PodAnalyzer', severity: 'info', message: 'analyzer failed and was skipped: unreadable status', evidence: [] }]);
  });
});
