import { mkdtemp, readFile, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../functions/core/model/errors.js';
import { DirectoryStore, INDEX_KEY } from '../../../functions/adapters/local/directory-store.js';
import { renderMarkdown } from '../../../functions/core/stages/compose/index.js';
import { stableStringify } from '../../../functions/core/stages/deliver/index.js';
import type { Diagnosis } from '../../../functions/core/model/diagnosis.js';
import { makeDiagnosis } from '../../compose/fixtures/diagnosis.js';

function renderings(d: Diagnosis, html?: string) {
  return { json: stableStringify(d), markdown: renderMarkdown(d), ...(html ? { html } : {}) };
}

describe('DirectoryStore', () => {
  let root: string;
  let store: DirectoryStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'store-'));
    store = new DirectoryStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lays files out as the S3 key scheme and reads them back', async () => {
    const d = makeDiagnosis();
    const put = await store.put(d, renderings(d, '<p>report</p>'));
    expect(put).toEqual({ key: 'diagnoses/2026/11/30/inc-0123456789abcdef0123.json', created: true });
    expect((await readdir(path.join(root, 'diagnoses', '2026', '11', '30'))).sort()).toEqual([
      'inc-0123456789abcdef0123.html',
      'inc-0123456789abcdef0123.json',
      'inc-0123456789abcdef0123.md',
    ]);
    expect(await store.get(d.id)).toEqual(JSON.parse(JSON.stringify(d)));
    expect(await store.getRendering(d.id, 'html')).toBe('<p>report</p>');
    expect(await store.getRendering(d.id, 'md')).toBe(renderMarkdown(d));
    expect(await store.get('inc-ffffffffffffffffffff')).toBeUndefined();
  });

  it('is idempotent: a second put of the same id changes nothing and says so', async () => {
    const d = makeDiagnosis();
    await store.put(d, renderings(d, '<p>first</p>'));
    const later = makeDiagnosis({ createdAt: '2026-11-30T09:00:00.000Z' });
    const again = await store.put(later, { json: stableStringify(later), markdown: 'changed', html: '<p>second</p>' });
    expect(again.created).toBe(false);
    expect(await store.getRendering(d.id, 'md')).toBe(renderMarkdown(d));
    expect(await store.getRendering(d.id, 'html')).toBe('<p>first</p>');
    expect((await store.list({})).items).toHaveLength(1);
    const files = await readdir(path.join(root, 'diagnoses', '2026', '11', '30'));
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('creates exactly one diagnosis when the same id is put concurrently', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => {
        const d = makeDiagnosis({ createdAt: `2026-11-30T07:00:0${i}.000Z` });
        return store.put(d, renderings(d));
      }),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const index = (await readFile(path.join(root, INDEX_KEY), 'utf8')).trim().split('\n');
    expect(index).toHaveLength(1);
  });

  describe('list', () => {
    const specs = [
      { id: 'inc-a', createdAt: '2026-11-28T10:00:00.000Z', category: 'oom_killed', alarmName: 'checkout-5xx' },
      { id: 'inc-b', createdAt: '2026-11-29T10:00:00.000Z', category: 'dns_resolution', alarmName: 'orders-latency' },
      { id: 'inc-c', createdAt: '2026-11-30T10:00:00.000Z', category: 'oom_killed', alarmName: 'orders-5xx' },
      { id: 'inc-d', createdAt: '2026-11-30T11:00:00.000Z', category: 'pvc_pending', alarmName: 'Checkout-PVC' },
      { id: 'inc-e', createdAt: '2026-11-30T11:00:00.000Z', category: 'oom_killed', alarmName: 'search-5xx' },
    ] as const;

    beforeEach(async () => {
      for (const s of specs) {
        const d = makeDiagnosis({ id: s.id, createdAt: s.createdAt, occurredAt: s.createdAt, category: s.category, alarmName: s.alarmName });
        await store.put(d, renderings(d));
      }
    });

    it('lists newest first (ties by id) with index rows', async () => {
      const page = await store.list({});
      expect(page.items.map((i) => i.id)).toEqual(['inc-e', 'inc-d', 'inc-c', 'inc-b', 'inc-a']);
      expect(page.nextCursor).toBeUndefined();
      expect(page.items[0]).toEqual({
        id: 'inc-e',
        createdAt: '2026-11-30T11:00:00.000Z',
        title: 'CloudWatch Alarm State Change',
        category: 'oom_killed',
        confidence: 0.87,
        severity: 'high',
        resources: ['search-5xx', 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:checkout-5xx', 'shop'],
        key: 'diagnoses/2026/11/30/inc-e.json',
      });
    });

    it('filters by since, category and resource (case-insensitive substring)', async () => {
      expect((await store.list({ since: '2026-11-30T10:00:00.000Z' })).items.map((i) => i.id)).toEqual(['inc-e', 'inc-d', 'inc-c']);
      expect((await store.list({ category: 'oom_killed' })).items.map((i) => i.id)).toEqual(['inc-e', 'inc-c', 'inc-a']);
      expect((await store.list({ resource: 'checkout' })).items.map((i) => i.id)).toEqual(expect.arrayContaining(['inc-d', 'inc-a']));
      expect((await store.list({ resource: 'orders-' })).items.map((i) => i.id)).toEqual(['inc-c', 'inc-b']);
      expect((await store.list({ category: 'oom_killed', since: '2026-11-29T00:00:00Z', resource: '5xx' })).items.map((i) => i.id)).toEqual(['inc-e', 'inc-c']);
    });

    it('paginates with a cursor, without gaps or repeats, even when newer items arrive', async () => {
      const first = await store.list({ limit: 2 });
      expect(first.items.map((i) => i.id)).toEqual(['inc-e', 'inc-d']);
      expect(first.nextCursor).toBeTypeOf('string');
      const newer = makeDiagnosis({ id: 'inc-z', createdAt: '2026-12-01T00:00:00.000Z', occurredAt: '2026-12-01T00:00:00.000Z' });
      await store.put(newer, renderings(newer));
      const second = await store.list({ limit: 2, cursor: first.nextCursor });
      expect(second.items.map((i) => i.id)).toEqual(['inc-c', 'inc-b']);
      const third = await store.list({ limit: 2, cursor: second.nextCursor });
      expect(third.items.map((i) => i.id)).toEqual(['inc-a']);
      expect(third.nextCursor).toBeUndefined();
    });

    it('clamps the page size to 1..100 and rejects malformed queries by name', async () => {
      expect((await store.list({ limit: 0 })).items).toHaveLength(1);
      expect((await store.list({ limit: 1000 })).items).toHaveLength(5);
      await expect(store.list({ cursor: 'not-a-cursor' })).rejects.toThrow(InvalidInputError);
      await expect(store.list({ cursor: 'not-a-cursor' })).rejects.toThrow(/^cursor:/);
      await expect(store.list({ since: 'last week' })).rejects.toThrow(/^since:/);
      await expect(store.list({ limit: Number.NaN })).rejects.toThrow(/^limit:/);
    });

    it('scans the folder when the index is missing, and can rebuild the index', async () => {
      await unlink(path.join(root, INDEX_KEY));
      expect((await store.list({ category: 'oom_killed' })).items.map((i) => i.id)).toEqual(['inc-e', 'inc-c', 'inc-a']);
      expect(await store.get('inc-b')).toBeDefined();
      expect(await store.rebuildIndex()).toBe(5);
      expect((await readFile(path.join(root, INDEX_KEY), 'utf8')).trim().split('\n')).toHaveLength(5);
    });
  });

  it('rejects ids that could escape the folder', async () => {
    await expect(store.get('../x')).rejects.toThrow(InvalidInputError);
    const d = makeDiagnosis({ id: 'a/b' });
    await expect(store.put(d, renderings(d))).rejects.toThrow(InvalidInputError);
  });

  it('quarantines raw inputs under quarantine/YYYY/MM/DD/<uuid>.json', async () => {
    const record = {
      payload: '{"detail-type": "Mystery", ',
      encoding: 'utf8' as const,
      input: 'cli:event.json',
      error: { name: 'InvalidInputError', code: 'INVALID_INPUT', message: 'event.json: truncated JSON' },
      receivedAt: '2026-11-30T07:10:00.000Z',
    };
    const key = await store.quarantine(record);
    expect(key).toMatch(/^quarantine\/2026\/11\/30\/[0-9a-f-]{36}\.json$/);
    expect(JSON.parse(await readFile(path.join(root, key), 'utf8'))).toEqual(record);
    const second = await store.quarantine(record);
    expect(second).not.toBe(key);
  });
});
