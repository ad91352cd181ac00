import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../functions/core/model/errors.js';
import { chunkRunbook, parseFrontMatter } from '../../../../functions/core/stages/retrieve/index.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('chunkRunbook', () => {
  it('splits by heading, keeps the front-matter title and categories, and names categories per section', () => {
    const chunks = chunkRunbook({ path: 'kb/storage-notes.md', markdown: fixture('storage-notes.md') });
    expect(chunks.map((c) => [c.id, c.heading])).toEqual([
      ['kb/storage-notes.md#storage-notes', 'Storage notes'],
      ['kb/storage-notes.md#claims-stuck-in-pending-pvc_pending', 'Claims stuck in Pending (pvc_pending)'],
      ['kb/storage-notes.md#full-disks', 'Full disks'],
      ['kb/storage-notes.md#full-disks-1', 'Full disks'],
    ]);
    expect(chunks.every((c) => c.title === 'Storage notes')).toBe(true);
    expect(chunks[1]!.categories).toEqual(['pvc_pending']);
    // A section naming no category carries the document's.
    expect(chunks[2]!.categories).toEqual(['pvc_pending', 'disk_full']);
    // `#` inside a fenced code block is not a heading; the block stays in its section.
    expect(chunks[1]!.text).toContain('# this line is a shell comment, not a heading');
    expect(chunks[2]!.text).toContain('### Symptoms');
    expect(chunks[1]!.headingPath).toEqual(['Claims stuck in Pending (pvc_pending)']);
  });

  it('titles a page without front matter from its first # heading, and keeps text before it', () => {
    const chunks = chunkRunbook({ path: 'kb/no-front-matter.md', markdown: fixture('no-front-matter.md') });
    expect(chunks.map((c) => c.title)).toEqual(['Debugging DNS', 'Debugging DNS']);
    expect(chunks[0]!.text).toBe('Some text before any heading.');
    // The title heading itself is not repeated in the heading path.
    expect(chunks[1]!.heading).toBe('Check resolv.conf');
    expect(chunks[1]!.categories).toEqual([]);
  });

  it('titles a page with neither from its file name', () => {
    const [chunk] = chunkRunbook({ path: 'kb/untitled-page.md', markdown: fixture('untitled-page.md') });
    expect(chunk!.title).toBe('untitled page');
    expect(chunk!.heading).toBe('Only a section');
  });

  it('splits a long section at its subsections, keeping the parent heading', () => {
    const body = (n: number) => `${'word '.repeat(n)}\n\n`;
    const markdown = `# Big\n\n## Long part (\`deadlock\`)\n\nintro\n\n### First\n\n${body(500)}### Second\n\n${body(500)}`;
    const chunks = chunkRunbook({ path: 'kb/big.md', markdown }, { maxChars: 1000 });
    expect(chunks.map((c) => c.heading)).toEqual(['Long part (deadlock)', 'Long part (deadlock) › First', 'Long part (deadlock) › Second']);
    expect(chunks.every((c) => c.categories.join() === 'deadlock')).toBe(true);
    expect(chunks[0]!.text).toContain('intro');
  });

  it('rejects unknown categories and invalid YAML in front matter, naming the document', () => {
    expect(() => parseFrontMatter('---\ncategories: [oom_kiled]\n---\n# x', 'kb/typo.md')).toThrow(InvalidInputError);
    expect(() => parseFrontMatter('---\ncategories: [oom_kiled]\n---\n# x', 'kb/typo.md')).toThrow(/^kb\/typo\.md: .*"oom_kiled"/);
    expect(() => parseFrontMatter('---\ntitle: [unclosed\n---\n', 'kb/bad.md')).toThrow(/^kb\/bad\.md: front matter is not valid YAML/);
  });
});
