import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../functions/core/model/errors.js';
import { asciidocToMarkdown, runbookFolderSource } from '../../../functions/adapters/local/runbook-folder.source.js';
import { RunbookIndex } from '../../../functions/core/stages/retrieve/index.js';

describe('runbookFolderSource', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kb-'));
    await mkdir(path.join(dir, 'vendor', 'nested'), { recursive: true });
    await mkdir(path.join(dir, '.git'));
    await writeFile(path.join(dir, 'b.md'), '# B\n\ntext\n');
    await writeFile(path.join(dir, 'a.md'), '---\ntitle: A\ncategories: [disk_full]\n---\n## Disk\n\nENOSPC\n');
    await writeFile(path.join(dir, 'vendor', 'PROVENANCE.md'), '# Provenance\n');
    await writeFile(path.join(dir, 'vendor', 'README.md'), '# About this folder\n');
    await writeFile(path.join(dir, 'vendor', 'LICENSE'), 'license text');
    await writeFile(path.join(dir, 'vendor', 'nested', 'page.markdown'), 'no front matter, no heading\n');
    await writeFile(path.join(dir, 'vendor', 'nested', 'notes.txt'), 'not markdown');
    await writeFile(path.join(dir, '.git', 'x.md'), '# hidden\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads Markdown recursively in path order, prefixing the root name and skipping provenance files', async () => {
    const docs = await runbookFolderSource(dir, 'mine').load();
    expect(docs.map((d) => d.path)).toEqual(['mine/a.md', 'mine/b.md', 'mine/vendor/nested/page.markdown']);
    expect(docs[1]!.markdown).toBe('# B\n\ntext\n');
    const index = await RunbookIndex.build(docs);
    expect(index.search('ENOSPC', 1)[0]).toMatchObject({ path: 'mine/a.md', title: 'A', categories: ['disk_full'] });
    expect(index.search('front matter heading', 1)[0]).toMatchObject({ path: 'mine/vendor/nested/page.markdown', title: 'page' });
  });

  it('reads AsciiDoc pages converted to Markdown headings and code', async () => {
    await writeFile(
      path.join(dir, 'vendor', 'nodes.adoc'),
      [
        '//!!NODE_ROOT <section>',
        '[[nodes,nodes.title]]',
        '= Node troubleshooting',
        ':info_abstract: Long abstract \\',
        '                continued here.',
        'include::../attributes.txt[]',
        '',
        '== Node is in `NotReady` state',
        '',
        'See xref:cni[the CNI page] and link:https://example.com/x[a link,type="documentation"] on {aws}.',
        '',
        '[source,bash,subs="verbatim,attributes"]',
        '----',
        'kubectl describe node [.replaceable]`my-node`',
        '== not a heading inside code',
        '----',
      ].join('\n'),
    );
    const docs = await runbookFolderSource(dir, 'mine').load();
    const doc = docs.find((d) => d.path === 'mine/vendor/nodes.adoc');
    expect(doc?.markdown).toBe(
      [
        '# Node troubleshooting',
        '',
        '## Node is in `NotReady` state',
        '',
        'See the CNI page and a link on AWS.',
        '',
        '```',
        'kubectl describe node [.replaceable]`my-node`',
        '== not a heading inside code',
        '```',
      ].join('\n'),
    );
    const index = await RunbookIndex.build(docs);
    expect(index.search('node NotReady', 1)[0]).toMatchObject({ path: 'mine/vendor/nodes.adoc', title: 'Node troubleshooting', heading: 'Node is in NotReady state' });
    expect(asciidocToMarkdown('////\nhidden\n////\nshown')).toBe('shown');
  });

  it('reads symbolic links to files, not to folders', async () => {
    await symlink(path.join(dir, 'a.md'), path.join(dir, 'link.md'));
    await symlink(dir, path.join(dir, 'vendor', 'loop'));
    const docs = await runbookFolderSource(dir, 'mine').load();
    expect(docs.map((d) => d.path)).toEqual(['mine/a.md', 'mine/b.md', 'mine/link.md', 'mine/vendor/nested/page.markdown']);
  });

  it('names the folder when it does not exist, and the file when it is not UTF-8', async () => {
    await expect(runbookFolderSource(path.join(dir, 'missing'), 'x').load()).rejects.toThrow(InvalidInputError);
    await expect(runbookFolderSource(path.join(dir, 'a.md'), 'x').load()).rejects.toThrow(/a\.md: runbook folder is not a directory/);
    await writeFile(path.join(dir, 'bad.md'), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a]));
    await expect(runbookFolderSource(dir, 'x').load()).rejects.toThrow(/bad\.md: runbook is not valid UTF-8/);
  });
});

// Reads the shared third-party knowledge base when it is present (the `--kb` layout).
const SHARED_KB = path.resolve(process.env.OPS_SHARED_DATA ?? path.join(import.meta.dirname, '../../../../shared/data'), 'knowledge-base');

describe.skipIf(!existsSync(SHARED_KB))('runbookFolderSource on ../shared/data/knowledge-base', () => {
  it('loads every page but the provenance files and indexes them', async () => {
    const docs = await runbookFolderSource(SHARED_KB, 'shared').load();
    expect(docs.length).toBeGreaterThan(20);
    expect(docs.some((d) => /PROVENANCE\.md$/i.test(d.path))).toBe(false);
    const index = await RunbookIndex.build(docs);
    const [top] = index.search('Kubelet stopped posting node status NodeStatusUnknown', 1);
    expect(top?.path).toMatch(/^shared\//);
    expect(top?.title).toBeTruthy();
  });
});
