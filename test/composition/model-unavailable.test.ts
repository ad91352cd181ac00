/**
 * A model that cannot load is recorded as a degradation of every diagnosis, whichever local entry
 * point produced it: `ops-assistant diagnose`, `serve`'s `POST /v1/diagnoses`, and `ask`'s
 * diagnose path (the three share `localDiagnoseDeps`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('../../functions/adapters/onnx/index.js', () => ({
  createClassifier: async () => { throw new Error('onnxruntime: cannot open model.onnx'); },
  createEmbedder: async () => { throw new Error('onnxruntime: cannot open model.onnx'); },
}));

const { diagnoseLocal, localAskDeps } = await import('../../functions/composition/local.js');
const { startServer } = await import('../../functions/cli/commands/serve.js');

const dir = mkdtempSync(path.join(os.tmpdir(), 'ops-model-'));
const log = path.join(dir, 'app.log');
writeFileSync(log, '2026-03-14T11:58:00Z ERROR connection refused: db.shop.svc:5432\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODEL_DEGRADATION = { component: 'infer:model', kind: 'skipped', reason: expect.stringContaining('model could not be loaded: onnxruntime: cannot open model.onnx') };

describe('a model that cannot load', () => {
  it('is a degradation of the CLI diagnosis, named in its summary', async () => {
    const { diagnosis } = await diagnoseLocal({ evidencePaths: [log] });
    expect(diagnosis!.degraded).toContainEqual(MODEL_DEGRADATION);
    expect(diagnosis!.summary).toContain('infer:model skipped');
  });

  it('is a degradation of a diagnosis submitted to serve', async () => {
    const server = await startServer({ outDir: path.join(dir, 'serve') });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/v1/diagnoses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ evidence: 'ERROR connection refused: db.shop.svc:5432' }) });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { diagnosis: { degraded: unknown[] } }).diagnosis.degraded).toContainEqual(MODEL_DEGRADATION);
    } finally {
      await server.close();
    }
  });

  it("is a degradation of ask's diagnosis", async () => {
    const deps = await localAskDeps({ outDir: path.join(dir, 'ask'), evidencePaths: [log] });
    const d = await deps.diagnose!({ id: 'inc-00000000000000000001', source: 'api', title: 'why is checkout failing?', severity: 'medium', occurredAt: '2026-03-14T12:00:00.000Z', window: { start: '2026-03-14T11:30:00.000Z', end: '2026-03-14T12:00:00.000Z' }, resources: [], labels: {} });
    expect(d.degraded).toContainEqual(MODEL_DEGRADATION);
  });
});
