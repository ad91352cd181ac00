import { describe, expect, it } from 'vitest';
import { escapeXml, formatNumber, lineChart, niceTicks } from '../../functions/core/stages/compose/html/svg-chart.js';

describe('niceTicks', () => {
  it('covers the range with 1-2-5 steps', () => {
    const ticks = niceTicks(0, 4.3);
    expect(ticks[0]).toBe(0);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(4.3);
    const steps = new Set(ticks.slice(1).map((t, i) => Number((t - ticks[i]!).toFixed(9))));
    expect(steps.size).toBe(1);
    expect([1, 2, 5, 0.5, 0.2, 0.1]).toContain([...steps][0]);
  });

  it('widens a flat range instead of dividing by zero', () => {
    const ticks = niceTicks(3, 3);
    expect(ticks[0]).toBeLessThan(3);
    expect(ticks[ticks.length - 1]).toBeGreaterThan(3);
  });
});

describe('formatNumber', () => {
  it('abbreviates large values', () => {
    expect(formatNumber(12_500)).toBe('12.5k');
    expect(formatNumber(3_400_000)).toBe('3.4M');
    expect(formatNumber(0.05)).toBe('0.05');
  });
});

describe('lineChart', () => {
  const xs = [0, 60_000, 120_000];
  it('draws the series, the threshold and the marker with a text alternative', () => {
    const svg = lineChart({
      title: 'Errors', description: 'errors per minute',
      series: [{ label: 'Errors', xs, ys: [1, 5, 9] }],
      threshold: { value: 4, label: 'threshold 4' }, marker: { x: 90_000, label: 'alarm' },
    });
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('<title');
    expect(svg).toContain('<desc');
    expect(svg).toContain('class="threshold"');
    expect(svg).toContain('class="marker"');
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).not.toContain('<script');
  });

  it('puts a higher value higher on the page (smaller y)', () => {
    const svg = lineChart({ title: 't', description: 'd', series: [{ label: 's', xs, ys: [0, 10, 5] }] });
    const d = /<path d="([^"]+)"/.exec(svg)![1]!;
    const ys = [...d.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
    expect(ys[1]).toBeLessThan(ys[2]!);
    expect(ys[2]).toBeLessThan(ys[0]!);
  });

  it('escapes labels and rejects mismatched series', () => {
    expect(lineChart({ title: '<x>', description: '"&"', series: [] })).toContain('&lt;x&gt;');
    expect(() => lineChart({ title: 't', description: 'd', series: [{ label: 's', xs: [1, 2], ys: [1] }] })).toThrow(RangeError);
    expect(escapeXml(`<a href="x">'`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;');
  });
});
