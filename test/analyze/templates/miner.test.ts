import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../functions/core/model/errors.js';
import { TemplateMiner, maskToken, templateHash } from '../../../functions/core/stages/analyze/templates/index.js';

function mine(lines: readonly string[]): { miner: TemplateMiner; final: string[] } {
  const miner = new TemplateMiner();
  for (const l of lines) miner.add(l);
  return { miner, final: lines.map((l) => miner.match(l)!.template) };
}

describe('TemplateMiner grouping', () => {
  it('masks obvious values and keeps punctuation context', () => {
    // Prepare / Act
    const { final } = mine(['Accepted password for root from 10.0.0.1 port 52111 ssh2', 'session opened for user root by (uid=0)']);
    // Assess
    expect(final[0]).toBe('Accepted password for root from <*> port <*> ssh2');
    expect(final[1]).toBe('session opened for user root by (uid=<*>)');
    expect(maskToken('(10.0.0.1:80)')).toBe('(<*>)');
    expect(maskToken('core.2275')).toBe('core.<*>');
    expect(maskToken('setLightsOn(true)')).toBe('setLightsOn(<*>)');
  });

  it('keeps one template when a variable spans a different number of tokens', () => {
    const lines = [
      'fan speeds 1200 1300 1400 ok',
      'fan speeds 1200 1300 ok',
      'fan speeds 900 ok',
      'proxy.example.org:443 close, 403 bytes sent, 1671 bytes (1.63 KB) received, lifetime 00:02',
      'proxy.example.org:443 close, 0 bytes sent, 12 bytes received, lifetime <1 sec',
    ];
    const { miner, final } = mine(lines);
    expect(new Set(final.slice(0, 3)).size).toBe(1);
    expect(new Set(final.slice(3)).size).toBe(1);
    expect(miner.templates()).toHaveLength(2);
  });

  it('turns a word position into a variable once enough distinct words were seen there', () => {
    const users = ['alice', 'bob', 'carol', 'dave'];
    const { miner, final } = mine(users.map((u) => `session closed for user ${u}`));
    expect(new Set(final)).toEqual(new Set(['session closed for user <*>']));
    expect(miner.templates()[0]!.count).toBe(4);
  });

  it('makes the value of a key=value word a variable after two distinct values', () => {
    const { final } = mine(['login user=alice ok', 'login user=bob ok']);
    expect(final).toEqual(['login user=<*> ok', 'login user=<*> ok']);
  });

  it('keeps words that name a few frequent kinds apart, but merges rare one-off words', () => {
    const lines: string[] = [];
    for (let i = 0; i < 15; i++) lines.push(`link up on node ${i} via interface ee0`, `link up on node ${i} via interface alt0`);
    lines.push('link up on node 99 via interface scip0');
    const users = ['amy', 'ben', 'cal'].map((u) => `password changed for ${u} by admin`);
    const { final } = mine([...lines, ...users]);
    expect(new Set(final.slice(0, lines.length)).size).toBe(3);
    expect(new Set(final.slice(lines.length))).toEqual(new Set(['password changed for <*> by admin']));
  });

  it('does not merge lines of different meaning that share length and first tokens', () => {
    const lines = [
      'Connection closed by 10.0.0.1',
      'Connection reset by 10.0.0.2',
      '10.0.0.1 "GET /a/1 HTTP/1.1" status: 200',
      '10.0.0.1 "POST /a/2 HTTP/1.1" status: 200',
      '10.0.0.1 "DELETE /a/3 HTTP/1.1" status: 204',
      'Failed password for root from 10.0.0.3 port 22 ssh2',
      'Failed none for root from 10.0.0.3 port 22 ssh2',
      'Accepted password for root from 10.0.0.3 port 22 ssh2',
    ];
    const { final } = mine(lines);
    expect(new Set(final).size).toBe(lines.length);
    expect(final[2]).toBe('<*> "GET <*>" status: <*>');
  });

  it('groups a template whose first line came before the variable was learned', () => {
    const lines = [
      'reverse mapping checking getaddrinfo for ns.example.com [10.1.1.1] failed',
      ...Array.from({ length: 5 }, (_, i) => `reverse mapping checking getaddrinfo for host-${i}.example.net [10.1.1.${i}] failed`),
    ];
    const { final } = mine(lines);
    expect(new Set(final).size).toBe(1);
  });

  it('uses the first line of a multi-line event', () => {
    const miner = new TemplateMiner();
    const a = miner.add('Request 12 failed\njava.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)');
    const b = miner.add('Request 13 failed');
    expect(a.templateId).toBe(b.templateId);
    expect(b.template).toBe('Request <*> failed');
  });

  it('keeps memory per template: many lines of few templates give few templates', () => {
    const miner = new TemplateMiner();
    for (let i = 0; i < 20_000; i++) {
      miner.add(`worker ${i % 97} processed ${i * 7} items in ${i % 1000} ms from 10.0.${i % 256}.${(i * 3) % 256}`);
      miner.add(`cache miss for key ${(i * 2654435761) % 4294967296} size ${i % 4096} KB`);
    }
    const state = JSON.stringify(miner.toJSON());
    expect(miner.templates()).toHaveLength(2);
    expect(state.length).toBeLessThan(10_000);
  });

  it('tracks counts, first/last seen times and samples', () => {
    const miner = new TemplateMiner({ maxSamples: 2 });
    miner.add('job 1 done', 2_000);
    miner.add('job 2 done', 1_000);
    miner.add('job 3 done', 3_000);
    const [t] = miner.templates();
    expect(t).toMatchObject({ template: 'job <*> done', count: 3, firstSeen: 1_000, lastSeen: 3_000, samples: ['job 1 done', 'job 2 done'] });
  });

  it('derives templateIds from the template text only', () => {
    const a = new TemplateMiner().add('disk 3 full');
    const b = new TemplateMiner().add('disk 99 full');
    expect(a.templateId).toBe(b.templateId);
    expect(a.templateId).toBe(templateHash('disk <*> full'));
    expect(a.templateId).toMatch(/^[0-9a-f]{14}$/);
    expect(new TemplateMiner().add('disk 3 empty').templateId).not.toBe(a.templateId);
  });

  it('hands out handles that resolve to the final template after later merges', () => {
    // Prepare
    const miner = new TemplateMiner();
    const lines = ['worker alpha started', 'worker beta started', 'worker gamma started', 'worker delta started'];
    // Act
    const handles = lines.map((l) => miner.addIndex(l));
    // Assess: the first line got its own template, the third merged them; every handle now says so
    const finals = handles.map((h) => miner.templateOf(h));
    expect(new Set(finals.map((f) => f.templateId)).size).toBe(1);
    expect(finals[0]!.template).toBe(miner.match('worker zeta started')!.template);
    expect(new Set(handles.map((h) => miner.rootOf(h))).size).toBe(1);
    expect(miner.templates()[0]!.count).toBe(4);
    expect(() => miner.templateOf(99)).toThrow(InvalidInputError);
  });

  it('rejects out-of-range options', () => {
    expect(() => new TemplateMiner({ minDistinctValues: 1 })).toThrow(InvalidInputError);
  });
});

describe('TemplateMiner on cloud logs', () => {
  it('mines Lambda, JSON and klog messages into readable templates', () => {
    const lines = [
      'START RequestId: 8f5f0d5c-3f7c-4a1e-9d4e-5b1f2a3c4d5e Version: $LATEST',
      'START RequestId: 1f5f0d5c-3f7c-4a1e-9d4e-5b1f2a3c4d5f Version: $LATEST',
      'Task timed out after 3.00 seconds',
      'Task timed out after 6.00 seconds',
      'connect ECONNREFUSED 10.0.1.12:5432',
      'connect ECONNREFUSED 10.0.1.13:5432',
      '"Error syncing pod" err="failed to \\"StartContainer\\" for \\"app\\"" pod="default/checkout-7c9d8f-abcde"',
    ];
    const { final } = mine(lines);
    expect(final[0]).toBe('START RequestId: <*> Version: $LATEST');
    expect(final[1]).toBe(final[0]);
    expect(final[2]).toBe('Task timed out after <*> seconds');
    expect(final[4]).toBe('connect ECONNREFUSED <*>');
    expect(final[6]).toContain('\\"StartContainer\\"');
  });
});

describe('TemplateMiner save and restore', () => {
  it('round-trips through JSON text and keeps matching and ids', () => {
    // Prepare
    const lines = ['user alice logged in from 10.0.0.1', 'user bob logged in from 10.0.0.2', 'user carol logged in from 10.0.0.3', 'disk 3 full', ''];
    const original = new TemplateMiner();
    for (const l of lines) original.add(l, 1_700_000_000_000);
    // Act
    const restored = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(original.toJSON())));
    // Assess
    expect(restored.templates()).toEqual(original.templates());
    for (const l of lines) expect(restored.match(l)).toEqual(original.match(l));
    expect(restored.add('user dave logged in from 10.0.0.4')).toEqual(original.add('user dave logged in from 10.0.0.4'));
    expect(restored.toJSON()).toEqual(original.toJSON());
  });

  it('rejects a state that is not a miner state', () => {
    expect(() => TemplateMiner.fromJSON({ kind: 'other' })).toThrow(InvalidInputError);
    expect(() => TemplateMiner.fromJSON(null)).toThrow(/miner state/);
    const bad = { ...new TemplateMiner().toJSON(), templates: [{ tokens: 'x' }] };
    expect(() => TemplateMiner.fromJSON(bad)).toThrow(/templates\[0\]/);
  });
});

describe('TemplateMiner bounds', () => {
  it('stops adding templates past maxTemplates when several words vary together', () => {
    // Prepare: user and host both vary on every line, so no single-position sibling rule applies
    const miner = new TemplateMiner({ maxTemplates: 50 });
    const letters = (n: number): string => n.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));
    // Act: every line has a user and a host never seen before
    for (let i = 0; i < 3_000; i++) miner.add(`session for u${letters(i)} from h${letters(i * 7 + 3)}q started`);
    miner.add('completely different message here');
    // Assess
    const templates = miner.templates();
    expect(templates.length).toBeLessThanOrEqual(52);
    expect(templates.some((t) => t.template === 'session for <*> from <*> started')).toBe(true);
    expect(templates.some((t) => t.template === 'completely different message here')).toBe(true);
  });
});
