import { describe, expect, it } from 'vitest';
import { compose, renderText, wrap, wrapExact } from '../../functions/core/stages/compose/index.js';
import { makeParts } from './fixtures/diagnosis.js';

describe('renderText', () => {
  it('keeps every line within 80 columns, even with very long evidence', () => {
    const parts = makeParts();
    const long = `E ${'x'.repeat(300)} tail`;
    const d = compose({ ...parts, hypotheses: [{ ...parts.hypotheses[0]!, evidence: [{ text: long, source: 'app.log', line: 7 }] }, parts.hypotheses[1]!] });
    const text = renderText(d);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    // Nothing lost: the long line's characters are all there, across continuation lines.
    const joined = text.split('\n').filter((l) => /^ {4}[>|] /.test(l)).map((l) => l.slice(6)).join('');
    expect(joined).toBe(long);
  });

  it('names the leading hypothesis with confidence, evidence and first action', () => {
    const text = renderText(compose(makeParts()));
    expect(text).toContain('Leading hypothesis: oom_killed (87%)');
    expect(text).toContain('    >     Reason:       OOMKilled');
    expect(text).toContain('$ kubectl set resources deployment/checkout -n prod --limits=memory=1Gi');
    expect(text).toContain('app_crash (8%)');
  });
});

describe('wrap', () => {
  it('wrapExact keeps whitespace and breaks by position', () => {
    expect(wrapExact('  a  b', 12, '| ', '> ')).toEqual(['>   a  b']);
    expect(wrapExact('0123456789abcdef', 12, '| ', '> ')).toEqual(['> 0123456789', '| abcdef']);
  });

  it('wraps at word boundaries and breaks words longer than the width', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('abcdefghijklmnop', 10)).toEqual(['abcdefghij', 'klmnop']);
    expect(wrap('one two', 20, '  ', '- ')).toEqual(['- one two']);
  });
});
