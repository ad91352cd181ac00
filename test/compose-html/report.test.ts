import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../functions/core/stages/compose/html/index.js';
import { diagnosisFixture } from '../support/diagnosis-fixture.js';

describe('renderHtml', () => {
  const html = renderHtml(diagnosisFixture());

  it('is one self-contained document with no script or external resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    expect(html).not.toMatch(/<link /i);
  });

  it('puts the leading hypothesis, its confidence and actions before the evidence and charts', () => {
    const lead = html.indexOf('oom_killed');
    const conf = html.indexOf('91%');
    const action = html.indexOf('kubectl set resources deployment/checkout');
    const chart = html.indexOf('id="h-metric"');
    expect(lead).toBeGreaterThan(0);
    expect(conf).toBeGreaterThan(lead);
    expect(action).toBeGreaterThan(conf);
    expect(chart).toBeGreaterThan(action);
  });

  it('highlights the quoted evidence lines with their source and line', () => {
    expect(html).toContain('<mark class="quote">      Reason:       OOMKilled</mark><span class="src">pod-describe.txt:22</span>');
  });

  it('draws the metric chart with the threshold and the alarm marker, and the pattern timeline', () => {
    expect(html).toContain('id="h-metric"');
    expect(html).toContain('class="threshold"');
    expect(html).toContain('class="marker"');
    expect(html).toContain('id="h-timeline"');
    expect(html).toContain('<span class="tag">NEW</span>');
  });

  it('omits the charts when there is no data', () => {
    const bare = renderHtml(diagnosisFixture({ metrics: undefined, logPatterns: [] }));
    expect(bare).not.toContain('id="h-metric"');
    expect(bare).not.toContain('id="h-timeline"');
  });

  it('escapes input text', () => {
    const d = diagnosisFixture();
    const evil = renderHtml({ ...d, incident: { ...d.incident, title: '<img src=x onerror=alert(1)>' } });
    expect(evil).not.toContain('<img src=x');
    expect(evil).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
