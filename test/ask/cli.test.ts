/** `ops-assistant ask` through the CLI entry point, with a local Kubernetes API server for the dry run. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../functions/cli/main.js';

const seen: Array<{ method: string; url: string; authorization?: string }> = [];
const server = http.createServer((req, res) => {
  seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"kind":"Scale"}');
  });
});
let endpoint: string;
let dir: string;
let out: string[];
let err: string[];

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ops-ask-cli-'));
  seen.length = 0;
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
  vi.stubEnv('KUBE_TOKEN', 'cli-token');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('ops-assistant ask', () => {
  it('plans an action, dry-runs it against --kube-endpoint with KUBE_TOKEN, stores the plan and prints JSON', async () => {
    const code = await main(['ask', 'scale deployment orders to 4 replicas in namespace shop', '--out', dir, '--format', 'json', '--kube-endpoint', endpoint]);
    expect(code).toBe(0);
    const response = JSON.parse(out.join(''));
    expect(response).toMatchObject({ intent: 'kubernetes_action', plan: { status: 'proposed', kubernetes: { dryRun: { ok: true } } } });
    expect(seen).toEqual([{ method: 'PATCH', url: '/apis/apps/v1/namespaces/shop/deployments/orders/scale?dryRun=All', authorization: 'Bearer cli-token' }]);
    expect(readdirSync(path.join(dir, 'plans'))).toEqual([`${response.plan.id}.json`]);
  }, 30_000);

  it('prints the plan, the exact request and the kubectl command as text', async () => {
    const code = await main(['ask', 'cordon node ip-10-0-1-23.ec2.internal', '--out', dir]);
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/^Planned, not executed: Mark node ip-10-0-1-23\.ec2\.internal unschedulable\./);
    // the answer is wrapped to the terminal's width: read it with its line breaks as spaces
    expect(text.replace(/\s+/g, ' ')).toContain('No cluster is configured here, so it was not dry-run.');
    expect(text).toContain('  PATCH /api/v1/nodes/ip-10-0-1-23.ec2.internal {"spec":{"unschedulable":true}}');
    expect(text).toContain('  $ kubectl cordon ip-10-0-1-23.ec2.internal');
    expect(text.trimEnd().endsWith('(intent: kubernetes_action)')).toBe(true);
    expect(seen).toEqual([]);
  }, 30_000);

  it('exits 2 with the reason on stderr for a refused action, and stores nothing', async () => {
    const code = await main(['ask', 'delete namespace shop', '--out', dir, '--kube-endpoint', endpoint]);
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/^ops-assistant: Deleting namespaces is refused outright\./);
    expect(out).toEqual([]);
    expect(existsSync(path.join(dir, 'plans'))).toBe(false);
    expect(seen).toEqual([]);
  }, 30_000);

  it('reads a misspelt request with the intent model, and with --no-model the rules read it through the typo too', async () => {
    expect(await main(['ask', 'restrat deploy/orders -n shop', '--out', dir, '--format', 'json'])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ intent: 'kubernetes_action', entities: { workload: { name: 'orders' }, namespace: 'shop' }, plan: { status: 'proposed' } });
    out.length = 0;
    expect(await main(['ask', 'restrat deploy/orders -n shop', '--out', dir, '--format', 'json', '--no-model'])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ intent: 'kubernetes_action', entities: { workload: { name: 'orders' }, namespace: 'shop' }, plan: { status: 'proposed' } });
    out.length = 0;
    // What the rules cannot read is asked back, never acted on.
    expect(await main(['ask', 'orders pls', '--out', dir, '--format', 'json', '--no-model'])).toBe(0);
    const fallback = JSON.parse(out.join(''));
    expect(fallback.intent).toBe('clarify');
    expect(fallback.plan).toBeUndefined();
  }, 30_000);

  it('exits 2 for an empty question and for a --kube-endpoint that is not a URL', async () => {
    expect(await main(['ask', '   ', '--out', dir])).toBe(2);
    expect(err.join('')).toContain('question: is empty');
    expect(await main(['ask', 'scale checkout to 2 replicas', '--out', dir, '--kube-endpoint', 'not a url'])).toBe(2);
    expect(err.join('')).toContain("--kube-endpoint: 'not a url' is not a URL");
  }, 30_000);
});

describe('ops-assistant ask: answers over --evidence', () => {
  const example = (f: string) => path.join(import.meta.dirname, '..', '..', 'examples', 'checkout-oom', f);

  it('--intent health answers from the evidence at the --now clock', async () => {
    const code = await main(['ask', 'is checkout healthy now?', '--intent', 'health', '--now', '2026-11-30T06:45:00Z', '--out', dir, '--evidence', example('pod-describe.txt'), '--evidence', example('app.log')]);
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/^checkout: failing now\./);
    expect(text).toContain('examples/checkout-oom/pod-describe.txt:25');
    expect(text).toContain('(intent: health)');
  }, 30_000);

  it('what is wrong with a workload the evidence does not cover: says so and names --evidence FILE', async () => {
    const code = await main(['ask', 'what is wrong with payments?', '--out', dir, '--evidence', example('app.log')]);
    expect(code).toBe(0);
    expect(out.join('').replace(/\s+/g, ' ')).toMatch(/^The evidence I have \(.*app\.log\) does not cover payments.*To check payments, run again with --evidence FILE/);
  }, 30_000);

  it('without any evidence, the hint names --evidence FILE', async () => {
    const code = await main(['ask', 'what is wrong with checkout?', '--out', dir]);
    expect(code).toBe(0);
    expect(out.join('')).toContain('To check checkout, run again with --evidence FILE');
  }, 30_000);

  it('refuses a --now that is not a time', async () => {
    const code = await main(['ask', 'errors in checkout since monday', '--now', 'monday', '--out', dir]);
    expect(code).toBe(2);
  }, 30_000);
});
