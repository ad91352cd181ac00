/**
 * Executing an approved plan: `POST /v1/plans/{id}/approve`. Off unless the deployment enables it;
 * the caller needs its own IAM permission on that route; every attempt is audited (who, what,
 * when, result) before anything runs. Infrastructure-as-code plans are never executed.
 */
import { OpsAssistantError } from '../model/errors.js';
import { planIsIntact, type KubernetesRequest, type Plan } from './plans.js';
import type { AuditLog, KubernetesApi, PlanStore } from './ports.js';

/** Approval failures, with an HTTP-like status for the API. */
export class ApprovalError extends OpsAssistantError {
  readonly status: number;
  constructor(code: string, status: number, message: string) {
    super(code, message);
    this.name = 'ApprovalError';
    this.status = status;
  }
}

export interface ApproveDeps {
  /** Approvals are executed only when true (deployment flag, default false). */
  readonly enabled: boolean;
  readonly plans: PlanStore;
  readonly audit: AuditLog;
  /** The cluster; without it nothing can execute. */
  readonly kubernetes?: KubernetesApi;
  readonly now?: () => Date;
}

/**
 * Why stored requests break the guard rails of {@link guardKubernetesAction}, or undefined: any
 * request in `kube-system`, on Secrets, a DELETE of anything but one Pod, or a method/path the
 * plans never produce.
 */
export function guardRailViolation(requests: readonly KubernetesRequest[]): string | undefined {
  for (const r of requests) {
    let path: string;
    try {
      path = decodeURIComponent(r.path);
    } catch {
      return `${r.method} ${r.path} has a malformed path`;
    }
    if (!/^\/apis?\//.test(path)) return `${r.method} ${r.path} is not a Kubernetes API path`;
    if (/\/namespaces\/kube-system(?:\/|$|\?)/.test(path)) return `${r.method} ${r.path} touches kube-system`;
    if (/\/secrets(?:\/|$|\?)/.test(path)) return `${r.method} ${r.path} touches Secrets`;
    if (r.method === 'DELETE' && !/^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/?]+$/.test(path)) return `${r.method} ${r.path} deletes something other than a Pod`;
    if (!['GET', 'PATCH', 'POST', 'DELETE'].includes(r.method)) return `method ${String(r.method)} is not used by plans`;
  }
  return undefined;
}

/** Largest approver identity accepted, in characters (an IAM role-session ARN fits easily). */
const MAX_WHO_CHARS = 512;

/**
 * Approves and executes plan `id` on behalf of `who` (the IAM principal ARN from the request
 * context, or a local user name). Order of effects, so that nothing runs unaudited:
 * 1. checks (enabled, identity, plan exists, Kubernetes kind, `proposed`, not expired, the guard
 *    rails again on the stored requests ({@link guardRailViolation}), every step executable by the
 *    assistant; a violation or a non-executable step is audited as `refused`);
 * 2. audit record `approved` — if it cannot be written, this throws and nothing is sent;
 * 3. the plan is stored as `approved`, so a second approval of the same id is refused;
 * 4. the requests are sent in order without dry run, stopping at the first failure;
 * 5. the plan is stored as `executed` or `failed`, then audit record `executed` or `failed`.
 *
 * @returns the plan with its final status.
 * @throws ApprovalError: `APPROVAL_DISABLED` (403), `INVALID_APPROVER` (400), `PLAN_NOT_FOUND` (404),
 *   `PLAN_NOT_EXECUTABLE` (409: refused, approved or executed already, expired, infrastructure as
 *   code, steps only kubectl resolves), `CLUSTER_UNREACHABLE` (503). Errors of the audit log or the
 *   plan store are passed on unchanged (the API answers 500).
 * @example
 *   const plan = await approvePlan('plan-3f0c…', 'arn:aws:sts::111122223333:assumed-role/oncall/alice', { enabled: true, plans, audit, kubernetes });
 *   plan.status; // 'executed'
 */
export async function approvePlan(id: string, who: string, deps: ApproveDeps): Promise<Plan> {
  const clock = deps.now ?? (() => new Date());
  const now = clock();
  if (!deps.enabled) throw new ApprovalError('APPROVAL_DISABLED', 403, 'Plan approval is disabled in this deployment (enable it explicitly; it needs its own IAM permission).');
  // eslint-disable-next-line no-control-regex
  if (typeof who !== 'string' || who.trim().length === 0 || who.length > MAX_WHO_CHARS || /[\u0000-\u001f\u007f]/.test(who)) {
    throw new ApprovalError('INVALID_APPROVER', 400, `the approving identity must be a non-empty name of at most ${MAX_WHO_CHARS} characters without control characters`);
  }
  if (typeof id !== 'string' || !/^plan-[0-9a-f-]{36}$/.test(id)) throw new ApprovalError('PLAN_NOT_FOUND', 404, `no plan '${String(id).slice(0, 80)}'`);
  const plan = await deps.plans.get(id);
  if (!plan) throw new ApprovalError('PLAN_NOT_FOUND', 404, `no plan '${id}'`);
  if (plan.kind !== 'kubernetes' || !plan.kubernetes) throw new ApprovalError('PLAN_NOT_EXECUTABLE', 409, 'Infrastructure-as-code plans are never deployed by the assistant; deploy the snippet with your own pipeline.');
  if (plan.status !== 'proposed') throw new ApprovalError('PLAN_NOT_EXECUTABLE', 409, `plan ${id} is ${plan.status}, not proposed`);
  if (Date.parse(plan.expiresAt) < now.getTime()) throw new ApprovalError('PLAN_NOT_EXECUTABLE', 409, `plan ${id} expired at ${plan.expiresAt}; ask again for a fresh plan`);
  const requests = plan.kubernetes.requests;
  const what = { summary: plan.summary, requests };
  // Defence in depth: the guard rails are checked again on the stored requests, so a plan altered
  // in the store cannot reach kube-system, Secrets, or delete anything but a Pod.
  const violation = guardRailViolation(requests);
  if (violation) {
    await deps.audit.record({ planId: id, who, what, when: now.toISOString(), result: 'refused', detail: violation });
    throw new ApprovalError('PLAN_NOT_EXECUTABLE', 409, `plan ${id} is refused: ${violation}`);
  }
  // The plan id is a digest of what was proposed: a plan changed in the store since is refused.
  if (!planIsIntact(plan)) {
    await deps.audit.record({ planId: id, who, what, when: now.toISOString(), result: 'refused', detail: 'the plan no longer matches its id: it was changed after it was proposed' });
    throw new ApprovalError('PLAN_NOT_EXECUTABLE', 409, `plan ${id} is refused: it was changed after it was proposed; ask again for a fresh plan`);
  }
  const unresolved = requests.find((r) => /[{}]/.test(r.path) || JSON.stringify(r.body ?? '').includes('{pod template'));
  if (unresolved) {
    await deps.audit.record({ planId: id, who, what, when: now.toISOString(), result: 'refused', detail: `step "${unresolved.description}" needs values only kubectl resolves; run: ${plan.kubernetes.kubectl.join(' && ')}` });
    throw new ApprovalError('PLAN_NOT_EXECUTABLE', 409, `This plan has steps the assistant does not execute itself (${unresolved.description}); run: ${plan.kubernetes.kubectl.join(' && ')}`);
  }
  if (!deps.kubernetes) throw new ApprovalError('CLUSTER_UNREACHABLE', 503, 'No cluster is configured for execution.');
  // Audited before anything runs: if the record cannot be written, nothing executes.
  await deps.audit.record({ planId: id, who, what, when: now.toISOString(), result: 'approved', detail: `executing ${requests.length} request(s)` });
  plan.status = 'approved';
  await deps.plans.update(plan);
  const results: string[] = [];
  let ok = true;
  for (const request of requests) {
    try {
      const response = await deps.kubernetes.send(request, { dryRun: false });
      results.push(`${request.method} ${request.path} → ${response.status}`);
      if (response.status >= 300) {
        results.push(`stopped: ${JSON.stringify(response.body).slice(0, 300)}`);
        ok = false;
        break;
      }
    } catch (error) {
      results.push(`${request.method} ${request.path} → ${error instanceof Error ? error.message : String(error)}`);
      ok = false;
      break;
    }
  }
  plan.status = ok ? 'executed' : 'failed';
  await deps.plans.update(plan);
  await deps.audit.record({ planId: id, who, what, when: clock().toISOString(), result: ok ? 'executed' : 'failed', detail: results.join('; ') });
  return plan;
}
