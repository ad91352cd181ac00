import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../../functions/core/model/categories.js';
import type { TextEmbedder } from '../../../../functions/core/ports/model.port.js';
import { RunbookIndex, parseFrontMatter } from '../../../../functions/core/stages/retrieve/index.js';
import { runbookFolderSource } from '../../../../functions/adapters/local/runbook-folder.source.js';

const KB_DIR = new URL('../../../../knowledge-base/', import.meta.url);
const bundled = await runbookFolderSource(KB_DIR.pathname, 'bundled').load();
const index = await RunbookIndex.build(bundled);

describe('bundled knowledge base', () => {
  it('has front matter with a title and categories in every document', () => {
    const files = readdirSync(KB_DIR).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const file of files) {
      const { frontMatter } = parseFrontMatter(readFileSync(new URL(file, KB_DIR), 'utf8'), file);
      expect(frontMatter.title, file).toBeTruthy();
      expect(frontMatter.categories.length, file).toBeGreaterThan(0);
    }
  });

  it('has a section for every category of the catalogue, with symptoms, confirmation, remediation and prevention', () => {
    for (const category of CATEGORIES.filter((c) => c !== 'unknown')) {
      const sections = index.chunks.filter((c) => c.categories.length === 1 && c.categories[0] === category);
      expect(sections.length, category).toBeGreaterThan(0);
      const text = sections.map((s) => s.text).join('\n');
      for (const heading of ['### Symptoms', '### How to confirm', '### Remediation', '### Prevention']) {
        expect(text, `${category} ${heading}`).toContain(heading);
      }
      expect(text, `${category} has a kubectl or aws command`).toMatch(/\b(kubectl|aws|psql|mysql|openssl) /);
    }
  });
});

describe('RunbookIndex (BM25)', () => {
  it('returns the OOMKilled section for OOM evidence', () => {
    const [top] = index.search('Last State: Terminated\n    Reason: OOMKilled\n    Exit Code: 137', 3);
    expect(top).toMatchObject({ path: 'bundled/oom-and-memory.md', title: 'Memory exhaustion', categories: ['oom_killed'] });
    expect(top!.heading).toContain('oom_killed');
    expect(top!.score).toBeGreaterThan(0);
  });

  it('returns the pending-PVC section for a pending claim', () => {
    const [top] = index.search('persistentvolumeclaim data-postgres-0 Pending: no persistent volumes available for this claim and no storage class is set', 3);
    expect(top).toMatchObject({ path: 'bundled/storage.md', categories: ['pvc_pending'] });
  });

  it.each([
    ['Task timed out after 30.03 seconds', 'lambda_timeout'],
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'node_heap_oom'],
    ['Error: couldn\'t find key password in Secret prod/db-credentials', 'missing_config_reference'],
    ['0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}', 'taint_not_tolerated'],
    ['x509: certificate has expired or is not yet valid', 'tls_cert_expired'],
    ['FATAL: remaining connection slots are reserved for non-replication superuser connections', 'db_connection_exhaustion'],
    ['failed to assign an IP address to container', 'ip_exhaustion'],
  ])('ranks the right section first for %s', (query, category) => {
    expect(index.search(query, 1)[0]?.categories).toEqual([category]);
  });

  it('returns nothing for an empty query or k = 0, and at most k passages', () => {
    expect(index.search('   ', 5)).toEqual([]);
    expect(index.search('memory', 0)).toEqual([]);
    expect(index.search('memory limit container', 4)).toHaveLength(4);
  });
});

/** A test embedder: one dimension per concept word, so "synonyms" share a dimension. */
class ConceptEmbedder implements TextEmbedder {
  readonly id = 'concept-test';
  calls = 0;
  private readonly concepts = [['memory', 'ram', 'oom'], ['disk', 'storage', 'volume'], ['dns', 'resolve', 'name']];
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls++;
    return texts.map((t) => {
      const lower = t.toLowerCase();
      const v = new Float32Array(this.concepts.length + 1);
      this.concepts.forEach((words, i) => {
        v[i] = words.reduce((n, w) => n + (lower.split(w).length - 1), 0);
      });
      v[this.concepts.length] = 0.01;
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    });
  }
}

describe('RunbookIndex with a dense embedder', () => {
  const docs = [
    { path: 't/a.md', markdown: '# A\n## Running out of RAM\nThe box has no RAM left, RAM RAM.' },
    { path: 't/b.md', markdown: '# B\n## Volume full\nThe volume is full.' },
    { path: 't/c.md', markdown: '# C\n## Name lookups\nResolve names with DNS.' },
  ];

  it('embeds chunks at build time in batches and fuses dense with BM25 by reciprocal rank', async () => {
    const embedder = new ConceptEmbedder();
    const dense = await RunbookIndex.build(docs, { embedder });
    expect(embedder.calls).toBe(1);
    expect(dense.embedderId).toBe('concept-test');
    // "memory" appears in no document: BM25 finds nothing, the embedder maps it to RAM.
    expect(dense.search('memory', 3)).toEqual([]);
    const fused = await dense.searchAsync('memory', 3);
    expect(fused[0]?.path).toBe('t/a.md');
    expect(fused[0]!.score).toBeLessThanOrEqual(2 / 61);
    // A query both retrievers agree on ranks that passage first with the higher fused score.
    const both = await dense.searchAsync('volume full', 3);
    expect(both[0]?.path).toBe('t/b.md');
    expect(both[0]!.score).toBeGreaterThan(fused[0]!.score);
  });

  it('falls back to BM25 without an embedder', async () => {
    const plain = await RunbookIndex.build(docs);
    expect(await plain.searchAsync('volume full', 2)).toEqual(plain.search('volume full', 2));
  });
});

describe('RunbookIndex serialisation', () => {
  it('restores an index that searches exactly like the original', () => {
    const json = JSON.parse(JSON.stringify(index.toJSON()));
    const restored = RunbookIndex.fromJSON(json);
    expect(restored.size).toBe(index.size);
    for (const q of ['Reason: OOMKilled', 'Task timed out after 3.00 seconds', 'no persistent volumes available']) {
      expect(restored.search(q, 5)).toEqual(index.search(q, 5));
    }
  });

  it('keeps dense vectors for the same embedder and refuses another', async () => {
    const embedder = new ConceptEmbedder();
    const docs = [
      { path: 't/a.md', markdown: '# A\n## Running out of RAM\nThe box has no RAM left.' },
      { path: 't/b.md', markdown: '# B\n## Volume full\nThe volume is full.' },
    ];
    const built = await RunbookIndex.build(docs, { embedder });
    const calls = embedder.calls;
    const restored = RunbookIndex.fromJSON(JSON.parse(JSON.stringify(built.toJSON())), { embedder });
    expect(embedder.calls).toBe(calls);
    expect(await restored.searchAsync('memory', 1)).toEqual(await built.searchAsync('memory', 1));
    const other = { id: 'other', embed: embedder.embed.bind(embedder) };
    expect(() => RunbookIndex.fromJSON(built.toJSON(), { embedder: other })).toThrow(/made by concept-test, not other/);
    expect(() => RunbookIndex.fromJSON({ format: 99 } as never)).toThrow(/^runbook index:/);
  });
});
