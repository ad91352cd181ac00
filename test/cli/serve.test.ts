/**
 * `ops-assistant serve`: the API routes over the local adapters, spoken to over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../functions/cli/commands/serve.js';

const IMAGE_PULL = [
  'Events:',
  '  Type     Reason     Age   From     Message',
  '  ----     ------     ----  ----     -------',
  '  Warning  Failed     12s   kubelet  Failed to pull image "nginx:1.99": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found',
  '  Warning  Failed     12s   kubelet  Error: ErrImagePull',
  '  Normal   BackOff    1s    kubelet  Back-off pulling image "nginx:1.99"',
  '  Warning  Failed     1s    kubelet  Error: ImagePullBackOff',
].join('\n');

describe('serve', () => {
  let out: string;
  let server: RunningServer;
  let base: string;
  const kubeRequests: Array<{ method: string; url: string; body: string }> = [];
  let kube: http.Server;

  beforeAll(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'ops-serve-'));
    kube = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        kubeRequests.push({ method: req.method!, url: req.url!, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Scale', spec: { replicas: 5 } }));
      });
    });
    await new Promise<void>((r) => kube.listen(0, '127.0.0.1', r));
    const kubePort = (kube.address() as { port: number }).port;
    server = await startServer({ outDir: out, useModel: false, approvalsEnabled: true, kubernetes: { endpoint: `http://127.0.0.1:${kubePort}`, token: 'test-token' } });
    base = `http://127.0.0.1:${server.port}`;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await new Promise<void>((r) => kube.close(() => r()));
    rmSync(out, { recursive: true, force: true });
  });

  const post = (p: string, body: unknown) => fetch(`${base}${p}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  it('diagnoses submitted evidence, stores it, and lists and renders it', async () => {
    const res = await post('/v1/diagnoses', { evidence: IMAGE_PULL });
    expect(res.status).toBe(201);
    const created = await res.json() as { id: string; diagnosis: { hypotheses: Array<{ category: string }> } };
    expect(created.diagnosis.hypotheses[0]!.category).toBe('image_not_found');
    const again = await post('/v1/diagnoses', { evidence: IMAGE_PULL });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { created: boolean }).created).toBe(false);

    const list = await (await fetch(`${base}/v1/diagnoses?category=image_not_found`)).json() as { items: Array<{ id: string }> };
    expect(list.items.map((i) => i.id)).toEqual([created.id]);
    const html = await fetch(`${base}/v1/diagnoses/${created.id}?format=html`);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('image_not_found');
    const page = await (await fetch(`${base}/?category=image_not_found`)).text();
    expect(page).toContain(`/v1/diagnoses/${created.id}?format=html`);
  }, 60_000);

  it('answers knowledge questions with citations and refuses what it must', async () => {
    const res = await post('/v1/ask', { question: 'how do I debug a pending PVC?' });
    expect(res.status).toBe(200);
    const body = await res.json() as { intent: string; citations: Array<{ source: string }> };
    expect(body.intent).toBe('knowledge');
    expect(body.citations.length).toBeGreaterThan(0);
    expect(body.citations[0]!.source).toMatch(/^bundled\//);

    const refused = await post('/v1/ask', { question: 'delete namespace shop' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ACTION_REFUSED');
    expect((await post('/v1/ask', { question: '' })).status).toBe(400);
    expect((await post('/v1/ask', { question: 'x'.repeat(100_000) })).status).toBe(400);
    expect((await post('/v1/ask', '{"question": ')).status).toBe(400);
    expect((await post('/v1/ask', { question: 42 })).status).toBe(400);
  }, 60_000);

  it('plans an action with a dry run, executes it only on approval, and audits it', async () => {
    kubeRequests.length = 0;
    const res = await post('/v1/ask', { question: 'scale deployment checkout to 5 replicas in namespace shop' });
    const body = await res.json() as { plan: { id: string; kubernetes: { dryRun: { ok: boolean } } } };
    expect(body.plan.kubernetes.dryRun.ok).toBe(true);
    expect(kubeRequests).toHaveLength(1);
    expect(kubeRequests[0]!.url).toBe('/apis/apps/v1/namespaces/shop/deployments/checkout/scale?dryRun=All');

    const approved = await fetch(`${base}/v1/plans/${body.plan.id}/approve`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-ops-assistant-token': server.approvalToken } });
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as { plan: { status: string } }).plan.status).toBe('executed');
    expect(kubeRequests[1]).toMatchObject({ method: 'PATCH', url: '/apis/apps/v1/namespaces/shop/deployments/checkout/scale', body: '{"spec":{"replicas":5}}' });
    const day = new Date().toISOString().slice(0, 10).split('-');
    const audit = readdirSync(path.join(out, 'audit', ...day));
    expect(audit.some((f) => f.includes(body.plan.id) && f.endsWith('_executed.json'))).toBe(true);
    expect((await fetch(`${base}/v1/plans/${body.plan.id}/approve`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-ops-assistant-token': server.approvalToken } })).status).toBe(409);

    // The same route table shows the plan, now executed, and answers 404 for an unknown id.
    const shown = await fetch(`${base}/v1/plans/${body.plan.id}`);
    expect(shown.status).toBe(200);
    expect(((await shown.json()) as { plan: { id: string; status: string } }).plan).toMatchObject({ id: body.plan.id, status: 'executed' });
    const missing = await fetch(`${base}/v1/plans/plan-00000000-0000-0000-0000-000000000000`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'PLAN_NOT_FOUND', message: expect.stringContaining('plan-<uuid>') });
  }, 60_000);

  it('answers unknown routes and methods with stable codes', async () => {
    const missing = await fetch(`${base}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
    expect((await fetch(`${base}/v1/ask`)).status).toBe(405);
  });
});
