/**
 * Cold start: the Lambda runtime restores the prebuilt runbook index (`npm run build:runbook-index`)
 * when it matches the bundled runbooks, and builds the index otherwise.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startHarness, BUCKET, REPO_ROOT, type Harness } from '../../handlers/harness.js';
import { createLambdaRuntime } from '../../../functions/composition/lambda.js';
import { buildRunbookIndexFile } from '../../../scripts/build-runbook-index.js';

let h: Harness;
let tmp: string;
let kb: string;
let indexFile: string;
beforeAll(async () => {
  h = await startHarness();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'runbook-index-'));
  kb = path.join(tmp, 'knowledge-base');
  cpSync(path.join(REPO_ROOT, 'knowledge-base'), kb, { recursive: true });
  indexFile = path.join(tmp, 'runbook-index.json');
  await buildRunbookIndexFile(kb, indexFile);
});
afterAll(async () => {
  await h?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const runtimeWith = (extra: Record<string, string>) => createLambdaRuntime({ ...process.env, KNOWLEDGE_BASE_DIR: kb, RUNBOOK_INDEX_FILE: indexFile, ...extra });
const QUERIES = ['Reason: OOMKilled exit code 137', 'Task timed out after 30.00 seconds', 'ThrottlingException Rate exceeded', 'disk pressure evicted pod', 'connection refused upstream 502'];

describe('prebuilt runbook index', () => {
  it('is restored at cold start and answers exactly as an index built from the folder', async () => {
    const prebuilt = await runtimeWith({});
    expect(prebuilt.runbookIndexOrigin).toEqual({ kind: 'prebuilt', file: indexFile });
    const built = await runtimeWith({ RUNBOOK_INDEX_FILE: path.join(tmp, 'absent.json') });
    expect(built.runbookIndexOrigin.kind).toBe('built');
    expect(prebuilt.runbooks.size).toBe(built.runbooks.size);
    for (const q of QUERIES) {
      const a = prebuilt.runbooks.search(q, 5);
      expect(a.length).toBeGreaterThan(0);
      expect(a).toEqual(built.runbooks.search(q, 5));
    }
  });

  it('is rebuilt when the shipped runbooks differ from the ones it was built from', async () => {
    const file = readdirSync(kb).find((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md')!;
    const original = readFileSync(path.join(kb, file), 'utf8');
    writeFileSync(path.join(kb, file), `${original}\n\n## Zorblax quirk\n\nRestart the zorblax daemon.\n`);
    try {
      const rt = await runtimeWith({});
      expect(rt.runbookIndexOrigin.kind).toBe('built');
      expect((rt.runbookIndexOrigin as { reason: string }).reason).toContain('was built from other runbooks');
      expect(rt.runbooks.search('zorblax daemon', 3)[0]?.text).toContain('zorblax');
    } finally {
      writeFileSync(path.join(kb, file), original);
    }
  });

  it('is ignored, with the reason, when unreadable or of another kind', async () => {
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, '{"kind":"something-else"}');
    const rt = await runtimeWith({ RUNBOOK_INDEX_FILE: bad });
    expect(rt.runbookIndexOrigin).toMatchObject({ kind: 'built', reason: expect.stringContaining('is not a ops-assistant/runbook-index file') });
    writeFileSync(bad, '{');
    expect((await runtimeWith({ RUNBOOK_INDEX_FILE: bad })).runbookIndexOrigin).toMatchObject({ kind: 'built', reason: expect.stringContaining('could not be read') });
    expect((await runtimeWith({})).runbooks.size).toBeGreaterThan(0);
  });

  it('is not used when runbooks also come from S3 (KNOWLEDGE_PREFIX): those are indexed too', async () => {
    await h.s3Client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kb/team/quokka.md', Body: '# Quokka outage\n\n## Quokka queue stuck\n\nDrain the quokka queue.\n' }));
    const rt = await runtimeWith({ KNOWLEDGE_PREFIX: 'kb/' });
    expect(rt.runbookIndexOrigin).toMatchObject({ kind: 'built', reason: expect.stringContaining('KNOWLEDGE_PREFIX') });
    expect(rt.runbooks.search('quokka queue stuck', 3)[0]?.text).toContain('quokka');
  });

  it('the build script names a missing folder', async () => {
    await expect(buildRunbookIndexFile(path.join(tmp, 'nope'), path.join(tmp, 'x.json'))).rejects.toThrow(/nope: knowledge-base folder not found/);
  });
});
