/**
 * The runbook links of the HTML report: passages looked up by path and heading (split sections
 * joined), and outside links built per runbook root, never for a path that climbs out of it.
 */
import { describe, expect, it } from 'vitest';
import { runbookAnchor, runbookHrefFromRoots, runbookPassageLookup } from '../../functions/core/stages/compose/html/index.js';

describe('runbook links', () => {
  const chunks = [
    { path: 'bundled/oom.md', heading: 'Memory › OOMKilled', text: 'first half' },
    { path: 'bundled/oom.md', heading: 'Memory › OOMKilled', text: 'second half' },
    { path: 'bundled/oom.md', heading: 'Memory › Evictions', text: 'evictions' },
    { path: 'team/oom.md', heading: 'Memory › OOMKilled', text: 'team copy' },
  ];

  it('finds the cited passage by path and heading, joining a section split in chunks', () => {
    const passage = runbookPassageLookup(chunks);
    expect(passage({ title: 'Memory', heading: 'Memory › OOMKilled', path: 'bundled/oom.md' })).toBe('first half\n\nsecond half');
    expect(passage({ title: 'Memory', heading: 'Memory › OOMKilled', path: 'team/oom.md' })).toBe('team copy');
    expect(passage({ title: 'Memory', heading: 'Memory › Gone', path: 'bundled/oom.md' })).toBeUndefined();
  });

  it('links a runbook through its root with the heading anchor, and nothing outside the roots', () => {
    const href = runbookHrefFromRoots({ bundled: (p) => `file:///kb/${p}`, team: (p) => `https://runbooks.example.com/${p}` });
    expect(href({ title: 'Memory', heading: 'Memory › OOMKilled (`oom_killed`)', path: 'bundled/sub/oom.md' })).toBe('file:///kb/sub/oom.md#oomkilled-oom_killed');
    expect(href({ title: 'Memory', heading: 'Memory', path: 'team/oom.md' })).toBe('https://runbooks.example.com/oom.md#memory');
    for (const path of ['other/oom.md', 'bundled/../secrets.md', 'bundled//oom.md', 'oom.md', '/bundled/oom.md', 'constructor/x.md']) {
      expect(href({ title: 'x', heading: 'x', path }), path).toBeUndefined();
    }
    expect(runbookAnchor({ title: 'T', heading: 'Pods › CrashLoopBackOff', path: 'a/b.md' })).toBe('crashloopbackoff');
  });
});
