import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryAuditLog, DirectoryPlanStore } from '../../functions/adapters/local/plan-store.js';
import type { AuditRecord, Plan } from '../../functions/core/ask/index.js';
import { InvalidInputError } from '../../functions/core/model/errors.js';

const ID = 'plan-0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const plan = (overrides: Partial<Plan> = {}): Plan => ({
  id: ID, kind: 'kubernetes', createdAt: '2026-11-30T10:00:00.000Z', expiresAt: '2026-11-30T11:00:00.000Z',
  question: 'scale checkout to 3 replicas', summary: 'Set deployment/checkout replicas to 3', status: 'proposed',
  kubernetes: {
    verb: 'scale', target: { kind: 'Deployment', name: 'checkout', namespace: 'shop' },
    requests: [{ method: 'PATCH', path: '/apis/apps/v1/namespaces/shop/deployments/checkout/scale', contentType: 'application/merge-patch+json', body: { spec: { replicas: 3 } }, description: 'Set deployment/checkout replicas to 3' }],
    kubectl: ['kubectl scale deployment/checkout -n shop --replicas=3'],
  },
  ...overrides,
});
const record = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  planId: ID, who: 'alice', what: { summary: 'Set deployment/checkout replicas to 3', requests: plan().kubernetes!.requests },
  when: '2026-11-30T10:01:02.345Z', result: 'approved', detail: 'executing 1 request(s)', ...overrides,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ops-plan-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('DirectoryPlanStore', () => {
  it('stores a plan as plans/<id>.json and reads it back', async () => {
    const store = new DirectoryPlanStore(dir);
    await store.put(plan());
    expect(JSON.parse(readFileSync(path.join(dir, 'plans', `${ID}.json`), 'utf8'))).toEqual(plan());
    expect(await store.get(ID)).toEqual(plan());
  });

  it('refuses to store a plan twice under one id', async () => {
    const store = new DirectoryPlanStore(dir);
    await store.put(plan());
    await expect(store.put(plan({ summary: 'other' }))).rejects.toMatchObject({ code: 'PLAN_EXISTS' });
    expect((await store.get(ID))!.summary).toBe('Set deployment/checkout replicas to 3');
  });

  it('answers undefined for a missing plan and for ids that are not plan ids (no path escapes)', async () => {
    const store = new DirectoryPlanStore(dir);
    writeFileSync(path.join(dir, 'secret.json'), '{"id":"x"}');
    expect(await store.get('plan-11111111-2222-4333-8444-555555555555')).toBeUndefined();
    expect(await store.get('../secret')).toBeUndefined();
    expect(await store.get(`${ID}/../../secret`)).toBeUndefined();
    await expect(store.put(plan({ id: '../escape' }))).rejects.toBeInstanceOf(InvalidInputError);
    expect(readdirSync(dir).sort()).toEqual(['secret.json']);
  });

  it('replaces a stored plan atomically and leaves no temporary file', async () => {
    const store = new DirectoryPlanStore(dir);
    await store.put(plan());
    await store.update({ ...plan(), status: 'executed' });
    expect((await store.get(ID))!.status).toBe('executed');
    expect(readdirSync(path.join(dir, 'plans'))).toEqual([`${ID}.json`]);
  });

  it('refuses to update a plan that was never stored', async () => {
    await expect(new DirectoryPlanStore(dir).update(plan())).rejects.toMatchObject({ code: 'PLAN_NOT_FOUND' });
  });

  it('names the file when a stored plan is not valid JSON or holds another plan', async () => {
    mkdirSync(path.join(dir, 'plans'));
    const file = path.join(dir, 'plans', `${ID}.json`);
    writeFileSync(file, '{"id": "plan-');
    await expect(new DirectoryPlanStore(dir).get(ID)).rejects.toMatchObject({ name: 'InvalidInputError', code: 'INVALID_PLAN_FILE', input: file });
    writeFileSync(file, JSON.stringify(plan({ id: 'plan-11111111-2222-4333-8444-555555555555' })));
    await expect(new DirectoryPlanStore(dir).get(ID)).rejects.toMatchObject({ code: 'INVALID_PLAN_FILE' });
  });
});

describe('DirectoryAuditLog', () => {
  it('writes audit/YYYY/MM/DD/<time>_<plan>_<result>.json and returns the key', async () => {
    const key = await new DirectoryAuditLog(dir).record(record());
    expect(key).toBe(`audit/2026/11/30/2026-11-30T10-01-02-345Z_${ID}_approved.json`);
    expect(JSON.parse(readFileSync(path.join(dir, key), 'utf8'))).toEqual(record());
  });

  it('never overwrites a record: the same key gets a suffix', async () => {
    const log = new DirectoryAuditLog(dir);
    const first = await log.record(record());
    const second = await log.record(record({ detail: 'second attempt' }));
    expect(second).toBe(first.replace(/\.json$/, '-2.json'));
    expect(JSON.parse(readFileSync(path.join(dir, first), 'utf8')).detail).toBe('executing 1 request(s)');
    expect(JSON.parse(readFileSync(path.join(dir, second), 'utf8')).detail).toBe('second attempt');
  });

  it.each([
    ['a plan id with a path', { planId: '../../x' }],
    ['a time that is not ISO-8601 UTC', { when: 'yesterday' }],
    ['a local time', { when: '2026-11-30T10:01:02+02:00' }],
    ['an unknown result', { result: 'deleted' as AuditRecord['result'] }],
    ['an empty identity', { who: '' }],
  ])('refuses %s with INVALID_AUDIT_RECORD and writes nothing', async (_label, overrides) => {
    await expect(new DirectoryAuditLog(dir).record(record(overrides))).rejects.toMatchObject({ name: 'InvalidInputError', code: 'INVALID_AUDIT_RECORD' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails (so the caller executes nothing) when the root cannot hold folders', async () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    await expect(new DirectoryAuditLog(file).record(record())).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTDIR|EEXIST)$/) });
  });
});
