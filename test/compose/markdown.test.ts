import { Lexer, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { codeBlock, compose, escapeMarkdown, inlineCode, renderMarkdown, tableCell } from '../../functions/core/stages/compose/index.js';
import { escapeMarkdownWithCategories } from '../../functions/core/stages/compose/markdown.js';
import { OOM_LINE, makeParts } from './fixtures/diagnosis.js';

function tokens(md: string) {
  return new Lexer().lex(md);
}

function flatten(list: readonly any[]): any[] {
  return list.flatMap((t) => [t, ...flatten(t.tokens ?? []), ...flatten(t.items ?? [])]);
}

describe('renderMarkdown', () => {
  const d = compose(makeParts());
  const md = renderMarkdown(d);
  const all = flatten(tokens(md));

  it('puts the leading hypothesis, confidence and first actions before the evidence', () => {
    const lead = md.indexOf('**Leading hypothesis:**');
    expect(lead).toBeGreaterThan(0);
    expect(md.slice(lead, md.indexOf('\n', lead))).toContain('`oom_killed`');
    expect(md.slice(lead, md.indexOf('\n', lead))).toContain('**87%**');
    const actions = md.indexOf('## What to do first');
    const evidence = md.indexOf('## Evidence');
    expect(actions).toBeGreaterThan(lead);
    expect(evidence).toBeGreaterThan(actions);
    expect(md.indexOf('## Other hypotheses')).toBeGreaterThan(evidence);
  });

  it('quotes evidence lines exactly, as code blocks', () => {
    const blocks = all.filter((t) => t.type === 'code').map((t: Tokens.Code) => t.text);
    expect(blocks).toContain(OOM_LINE);
    expect(blocks).toContain('kubectl set resources deployment/checkout -n prod --limits=memory=1Gi');
  });

  it('has a findings table whose rows keep their column count even with | in a message', () => {
    const tables = all.filter((t): t is Tokens.Table => t.type === 'table');
    const findings = tables.find((t) => t.header.map((h) => h.text).includes('analyzer'));
    expect(findings).toBeDefined();
    expect(findings!.rows).toHaveLength(1);
    expect(findings!.rows[0]).toHaveLength(5);
    expect(findings!.rows[0]![3]!.text).toContain('| limit 512Mi');
  });

  it('marks new log patterns and lists runbooks and the other hypotheses', () => {
    expect(md).toMatch(/\| 42 \| 0 \| ERROR \| \*\*NEW\*\* \|/);
    expect(md).toContain('## Runbooks');
    expect(md).toContain('`bundled/oom-and-memory.md`');
    expect(md).toMatch(/\| 2 \| `app_crash` \| 8% \|/);
  });

  it('has a degraded section only when something was degraded', () => {
    expect(md).not.toContain('## Degraded');
    const degraded = renderMarkdown(compose(makeParts({ degraded: [{ component: 'cloudwatch-logs', kind: 'timeout', reason: 'no answer within 10000 ms' }] })));
    expect(degraded).toContain('## Degraded');
    expect(degraded).toContain('`cloudwatch-logs` (timeout): no answer within 10000 ms');
  });

  it('cannot be broken by Markdown in the input', () => {
    const parts = makeParts();
    const hostile = '``` </code><script>alert(1)</script> # not a heading';
    const d2 = compose({
      ...parts,
      hypotheses: [{ ...parts.hypotheses[0]!, evidence: [{ text: hostile, source: 'x.log', line: 1 }] }],
    });
    const out = renderMarkdown(d2);
    const code = flatten(tokens(out)).filter((t) => t.type === 'code').map((t: Tokens.Code) => t.text);
    expect(code).toContain(hostile);
    expect(flatten(tokens(out)).some((t) => t.type === 'html')).toBe(false);
  });
});

describe('Markdown helpers', () => {
  it('inlineCode survives backticks', () => {
    const span = inlineCode('a `b` c');
    const inline = (tokens(span)[0] as Tokens.Paragraph).tokens[0] as Tokens.Codespan;
    expect(inline.type).toBe('codespan');
    expect(inline.text).toBe('a `b` c');
  });

  it('codeBlock uses a longer fence than any inside', () => {
    const block = codeBlock('x\n```\ny');
    const t = tokens(block)[0] as Tokens.Code;
    expect(t.type).toBe('code');
    expect(t.text).toBe('x\n```\ny');
  });

  it('tableCell escapes pipes and flattens line breaks', () => {
    expect(tableCell('a | b\nc')).toBe('a \\| b c');
  });
});

describe('escapeMarkdown', () => {
  it('escapes only what can start markup, keeping prose readable', () => {
    expect(escapeMarkdown('Pod shop/checkout (exit 137) was OOMKilled.')).toBe('Pod shop/checkout (exit 137) was OOMKilled.');
    expect(escapeMarkdown('oom_killed and _emph_ and *bold* [link](x) <b> a|b ~~s~~ `c`')).toBe(
      'oom_killed and \\_emph\\_ and \\*bold\\* \\[link\\](x) \\<b\\> a\\|b \\~\\~s\\~\\~ \\`c\\`',
    );
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list');
    expect(escapeMarkdown('- not a list\nsecond')).toBe('\\- not a list second');
  });

  it('renders compose-written category spans as code and escapes the rest', () => {
    const md = escapeMarkdownWithCategories('Leading: `oom_killed` at 87%; input said `rm -rf` and `not_a_category`.');
    expect(md).toBe('Leading: `oom_killed` at 87%; input said \\`rm -rf\\` and \\`not_a_category\\`.');
    const inline = (new Lexer().lex(md)[0] as Tokens.Paragraph).tokens.filter((t) => t.type === 'codespan');
    expect(inline.map((t) => (t as Tokens.Codespan).text)).toEqual(['oom_killed']);
  });
});
