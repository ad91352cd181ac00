/**
 * Plans against a real HTTP server on 127.0.0.1 that speaks the Kubernetes API paths the plans
 * use and records every request: the dry run at ask time, and approval with its audit records
 * (DirectoryPlanStore and DirectoryAuditLog in a temporary folder).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalError, approvePlan, ask, validateAskRequest, type AskDeps, type ApproveDeps, type AuditRecord, type Plan } from '../../functions/core/ask/index.js';
import { RunbookIndex } from '../../functions/core/stages/retrieve/index.js';
import { KubernetesApiClient } from '../../functions/adapters/kubernetes/kubernetes-api.client.js';
import { DirectoryAuditLog, DirectoryPlanStore } from '../../functions/adapters/local/plan-store.js';
import { MemoryDiagnoses } from './support.js';

interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType?: string;
  authorization?: string;
  body: unknown;
}

/** A tiny Kubernetes API: PATCH on Deployments/StatefulSets, their scale subresource, Nodes and DELETE on pods. */
class FakeApiServer {
  readonly requests: Recorded[] = [];
  /** Status to answer per request (default 200 for known paths, 404 otherwise). */
  answer: (r: Recorded) => number | undefined = () => undefined;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: Recorded = {
        method: req.method!, path: url.pathname, query: url.searchParams,
        contentType: req.headers['content-type'], authorization: req.headers.authorization,
        body: text ? JSON.parse(text) : undefined,
      };
      this.requests.push(recorded);
      const known = /^\/apis\/apps\/v1\/namespaces\/[^/]+\/(deployments|statefulsets)\/[^/]+(\/scale)?$/.test(url.pathname) || /^\/api\/v1\/nodes\/[^/]+$/.test(url.pathname) || /^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+$/.test(url.pathname);
      const status = this.answer(recorded) ?? (known ? 200 : 404);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? { kind: 'Scale', spec: (recorded.body as { spec?: unknown } | undefined)?.spec ?? {} } : { kind: 'Status', status: 'Failure', code: status, message: status === 422 ? 'spec.replicas: Invalid value: -1' : 'not found' }));
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Requests that would change the cluster (no dry run). */
  get executed(): Recorded[] {
    return this.requests.filter((r) => !r.query.has('dryRun'));
  }
}

const NOW = new Date('2026-11-30T10:00:00Z');
const server = new FakeApiServer();
let endpoint: string;
let runbooks: RunbookIndex;
let dir: string;

beforeAll(async () => {
  endpoint = await server.start();
  runbooks = await RunbookIndex.build([]);
});
afterAll(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
  server.answer = () => undefined;
  dir = mkdtempSync(path.join(os.tmpdir(), 'ops-ask-approve-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const client = (url = endpoint) => new KubernetesApiClient({ endpoint: url, token: async () => 'test-token', timeoutMs: 2_000 });

function askDeps(overrides: Partial<AskDeps> = {}): AskDeps {
  return { runbooks, store: new MemoryDiagnoses(), plans: new DirectoryPlanStore(dir), kubernetes: client(), now: () => NOW, ...overrides };
}

async function planFor(question: string, overrides: Partial<AskDeps> = {}): Promise<Plan> {
  const r = await ask(validateAskRequest({ question }), askDeps(overrides));
  expect(r.plan).toBeDefined();
  return r.plan!;
}

function approveDeps(overrides: Partial<ApproveDeps> = {}): ApproveDeps {
  return { enabled: true, plans: new DirectoryPlanStore(dir), audit: new DirectoryAuditLog(dir), kubernetes: client(), now: () => new Date(NOW.getTime() + 60_000), ...overrides };
}

/** Audit records written under `dir`, by file name. */
function auditFiles(): Array<{ file: string; record: AuditRecord }> {
  const root = path.join(dir, 'audit');
  let files: string[];
  try {
    files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return files.map((f) => ({ file: f, record: JSON.parse(readFileSync(path.join(root, f), 'utf8')) as AuditRecord }));
}

async function approvalError(promise: Promise<unknown>): Promise<ApprovalError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApprovalError);
  return error as ApprovalError;
}

describe('dry run at ask time', () => {
  it('sends the plan with ?dryRun=All, the token and the patch content type, and records the result', async () => {
    const plan = await planFor('scale deployment orders to 4 replicas in namespace shop');
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent).toMatchObject({ method: 'PATCH', path: '/apis/apps/v1/namespaces/shop/deployments/orders/scale', contentType: 'application/merge-patch+json', authorization: 'Bearer test-token', body: { spec: { replicas: 4 } } });
    expect(sent!.query.get('dryRun')).toBe('All');
    expect(server.executed).toEqual([]);
    expect(plan.kubernetes!.dryRun).toEqual({ ok: true, message: 'server-side dry run accepted 1 request(s)' });
    const stored = await new DirectoryPlanStore(dir).get(plan.id);
    expect(stored).toMatchObject({ status: 'proposed', kubernetes: { dryRun: { ok: true } } });
  });

  it('records a rejected dry run (422) on the plan', async () => {
    server.answer = () => 422;
    const plan = await planFor('restart the orders statefulset in namespace shop');
    expect(server.requests[0]).toMatchObject({ method: 'PATCH', path: '/apis/apps/v1/namespaces/shop/statefulsets/orders', contentType: 'application/strategic-merge-patch+json' });
    expect(plan.kubernetes!.dryRun!.ok).toBe(false);
    expect(plan.kubernetes!.dryRun!.message).toMatch(/^server-side dry run answered 422: .*Invalid value/);
  });

  it('records an unreachable cluster on the plan instead of failing the answer', async () => {
    const closed = new FakeApiServer();
    const url = await closed.start();
    await closed.stop();
    const plan = await planFor('cordon node ip-10-0-1-23.ec2.internal', { kubernetes: client(url) });
    expect(plan.kubernetes!.dryRun!.ok).toBe(false);
    expect(plan.kubernetes!.dryRun!.message).toMatch(/^dry run could not reach the cluster: .*ECONNREFUSED/);
  });

  it('does not dry-run steps that need values only kubectl resolves (rollback), and sends nothing else', async () => {
    const plan = await planFor('roll back deployment web in namespace frontend');
    expect(server.requests).toEqual([]);
    expect(plan.kubernetes!.dryRun).toEqual({ ok: true, message: 'server-side dry run accepted 0 request(s)' });
  });
});

describe('approvePlan', () => {
  it('is refused when approvals are disabled (403), and nothing is sent or audited', async () => {
    const plan = await planFor('scale deployment orders to 4 replicas in namespace shop');
    const error = await approvalError(approvePlan(plan.id, 'alice', approveDeps({ enabled: false })));
    expect(error).toMatchObject({ code: 'APPROVAL_DISABLED', status: 403 });
    expect(server.executed).toEqual([]);
    expect(auditFiles()).toEqual([]);
  });

  it('is refused for an unknown id (404) and a malformed id (404)', async () => {
    expect(await approvalError(approvePlan('plan-00000000-0000-4000-8000-000000000000', 'alice', approveDeps()))).toMatchObject({ code: 'PLAN_NOT_FOUND', status: 404 });
    expect(await approvalError(approvePlan('../../etc/passwd', 'alice', approveDeps()))).toMatchObject({ code: 'PLAN_NOT_FOUND', status: 404 });
    expect(server.executed).toEqual([]);
  });

  it('is refused for an expired plan (409)', async () => {
    const plan = await planFor('scale deployment orders to 4 replicas in namespace shop');
    const later = () => new Date(Date.parse(plan.expiresAt) + 1);
    const error = await approvalError(approvePlan(plan.id, 'alice', approveDeps({ now: later })));
    expect(error).toMatchObject({ code: 'PLAN_NOT_EXECUTABLE', status: 409 });
    expect(error.message).toMatch(/expired/);
    expect(server.executed).toEqual([]);
    expect(auditFiles()).toEqual([]);
  });

  it('is refused for an infrastructure-as-code plan (409)', async () => {
    const plan = await planFor('alert me when queue orders-dlq has more than 10 messages');
    expect(plan.kind).toBe('infrastructure_as_code');
    expect(await approvalError(approvePlan(plan.id, 'alice', approveDeps()))).toMatchObject({ code: 'PLAN_NOT_EXECUTABLE', status: 409 });
    expect(server.requests).toEqual([]);
  });

  it('is refused with an invalid approver identity (400)', async () => {
    const plan = await planFor('scale deployment orders to 4 replicas in namespace shop');
    expect(await approvalError(approvePlan(plan.id, ' ', approveDeps()))).toMatchObject({ code: 'INVALID_APPROVER', status: 400 });
    expect(server.executed).toEqual([]);
  });

  it('when enabled, sends the exact PATCH without dryRun, audits before and after, and refuses a second approval (409)', async () => {
    const plan = await planFor('scale deployment orders to 4 replicas in namespace shop');
    server.requests.length = 0;
    const who = 'arn:aws:sts::111122223333:assumed-role/oncall/alice';
    const done = await approvePlan(plan.id, who, approveDeps());
    expect(done.status).toBe('executed');
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent).toMatchObject({ method: 'PATCH', path: '/apis/apps/v1/namespaces/shop/deployments/orders/scale', contentType: 'application/merge-patch+json', authorization: 'Bearer test-token', body: { spec: { replicas: 4 } } });
    expect([...sent!.query.keys()]).toEqual([]);

    const audit = auditFiles();
    expect(audit.map((a) => a.file)).toEqual([
      `2026/11/30/2026-11-30T10-01-00-000Z_${plan.id}_approved.json`,
      `2026/11/30/2026-11-30T10-01-00-000Z_${plan.id}_executed.json`,
    ]);
    expect(audit[0]!.record).toMatchObject({ planId: plan.id, who, when: '2026-11-30T10:01:00.000Z', result: 'approved', what: { summary: plan.summary, requests: plan.kubernetes!.requests } });
    expect(audit[1]!.record).toMatchObject({ planId: plan.id, who, result: 'executed' });
    expect(audit[1]!.record.detail).toContain('PATCH /apis/apps/v1/namespaces/shop/deployments/orders/scale → 200');
    expect(await new DirectoryPlanStore(dir).get(plan.id)).toMatchObject({ status: 'executed' });

    const again = await approvalError(approvePlan(plan.id, who, approveDeps()));
    expect(again).toMatchObject({ code: 'PLAN_NOT_EXECUTABLE', status: 409 });
    expect(again.message).toMatch(/is executed/);
    expect(server.requests).toHaveLength(1);
  });

  it('when the audit log cannot be written, nothing is sent to the cluster and the plan stays proposed', async () => {
    const plan = await planFor('cordon node ip-10-0-1-23.ec2.internal');
    server.requests.length = 0;
    // The audit root is a file, so no record can be written under it.
    const blocked = path.join(dir, 'blocked');
    writeFileSync(blocked, 'not a folder');
    const error = await approvePlan(plan.id, 'alice', approveDeps({ audit: new DirectoryAuditLog(blocked) })).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(server.requests).toEqual([]);
    expect(await new DirectoryPlanStore(dir).get(plan.id)).toMatchObject({ status: 'proposed' });
  });

  it('a request the API rejects marks the plan failed and audits the failure', async () => {
    const plan = await planFor('cordon node ip-10-0-1-23.ec2.internal');
    server.answer = (r) => (r.query.has('dryRun') ? undefined : 500);
    const done = await approvePlan(plan.id, 'alice', approveDeps());
    expect(done.status).toBe('failed');
    expect(server.executed).toEqual([expect.objectContaining({ method: 'PATCH', path: '/api/v1/nodes/ip-10-0-1-23.ec2.internal', body: { spec: { unschedulable: true } } })]);
    expect(auditFiles().map((a) => a.record.result)).toEqual(['approved', 'failed']);
    expect(await new DirectoryPlanStore(dir).get(plan.id)).toMatchObject({ status: 'failed' });
  });

  it('a plan with steps only kubectl resolves (rollback) is refused (409), audited as refused, and nothing is sent', async () => {
    const plan = await planFor('roll back deployment web in namespace frontend');
    const error = await approvalError(approvePlan(plan.id, 'alice', approveDeps()));
    expect(error).toMatchObject({ code: 'PLAN_NOT_EXECUTABLE', status: 409 });
    expect(error.message).toContain('kubectl rollout undo deployment/web -n frontend');
    expect(server.requests).toEqual([]);
    expect(auditFiles().map((a) => a.record.result)).toEqual(['refused']);
  });

  it.each([
    ['a request moved into kube-system', { method: 'PATCH', path: '/apis/apps/v1/namespaces/kube-system/deployments/coredns/scale', body: { spec: { replicas: 0 } } }, /touches kube-system/],
    ['an encoded kube-system path', { method: 'PATCH', path: '/apis/apps/v1/namespaces/kube%2Dsystem/deployments/coredns', body: {} }, /touches kube-system/],
    ['a namespace deletion', { method: 'DELETE', path: '/api/v1/namespaces/shop' }, /deletes something other than a Pod/],
    ['a secret read', { method: 'GET', path: '/api/v1/namespaces/shop/secrets/db' }, /touches Secrets/],
    ['a malformed path', { method: 'PATCH', path: '/api/v1/nodes/%E0%A4%A', body: {} }, /malformed path/],
  ])('a stored plan altered to hold %s is refused (409), audited as refused, and nothing is sent', async (_label, request, reason) => {
    const plan = await planFor('scale deployment orders to 4 replicas in namespace shop');
    server.requests.length = 0;
    const file = path.join(dir, 'plans', `${plan.id}.json`);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Plan;
    writeFileSync(file, JSON.stringify({ ...stored, kubernetes: { ...stored.kubernetes, requests: [{ ...request, description: 'tampered' }] } }));
    const error = await approvalError(approvePlan(plan.id, 'alice', approveDeps()));
    expect(error).toMatchObject({ code: 'PLAN_NOT_EXECUTABLE', status: 409 });
    expect(error.message).toMatch(reason);
    expect(server.requests).toEqual([]);
    expect(auditFiles().map((a) => a.record.result)).toEqual(['refused']);
  });

  it('without a cluster it answers 503 and sends nothing', async () => {
    const plan = await planFor('cordon node ip-10-0-1-23.ec2.internal');
    expect(await approvalError(approvePlan(plan.id, 'alice', approveDeps({ kubernetes: undefined })))).toMatchObject({ code: 'CLUSTER_UNREACHABLE', status: 503 });
    expect(auditFiles()).toEqual([]);
  });
});

describe('KubernetesApiClient', () => {
  it('keeps a path prefix of the endpoint (API proxies) and refuses non-API paths', async () => {
    await client(`${endpoint}/k8s/clusters/c-1/`).send({ method: 'GET', path: '/api/v1/nodes/n1', description: 'read' }, { dryRun: true });
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/k8s/clusters/c-1/api/v1/nodes/n1' });
    expect([...server.requests[0]!.query.keys()]).toEqual([]);
    await expect(client().send({ method: 'GET', path: 'http://169.254.169.254/latest', description: 'x' }, { dryRun: false })).rejects.toThrow(/not a Kubernetes API path/);
    await expect(client().send({ method: 'GET', path: '/api/../metrics', description: 'x' }, { dryRun: false })).rejects.toThrow(/not a Kubernetes API path/);
  });
});
