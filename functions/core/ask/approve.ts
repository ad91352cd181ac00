/**
 * Executing an approved plan: `POST /v1/plans/{id}/approve`. Off unless the deployment enables it;
 * the caller needs its own IAM permission on that route; every attempt is audited (who, what,
 * when, result) before anything runs. Infrastructure-as-code plans are never executed.
 */
import { OpsAssistantError } from '../model/errors.js';
import type { Plan } from './plans.js';
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
 * Approves and executes plan `id` on behalf of `who`.
 * @throws ApprovalError: `APPROVAL_DISABLED` (403), `PLAN_NOT_FOUND` (404), `PLAN_NOT_EXECUTABLE` (409: refused, already executed, expired, infrastructure as code), `CLUSTER_UNREACHABLE` (503).
 */
export async function approvePlan(id: string, who: string, deps: ApproveDeps): Promise<Plan> {
  const now = (deps.now ?? (() => new Date()))();
  if (!deps.enabled) throw new ApprovalError('APPROVAL_DISABLED', 403, 'Plan approval is disabled in this deployment (enable it explicitly; it needs its own IAM permission).');
  if (!/^plan-[0-9a-f-]{36}$/.test(id)) throw new ApprovalError('PLAN_NOT_FOUND', 404, `no plan '${id}'`);
  const plan = await deps.plans.get(id);
  if (!plan) throw new ApprovalError('PLAN_NOT_FOUND', 404, `no plan '${id}'`);
  if (plan.kind !== 'kubernetes' || !plan.kubernetes) throw new ApprovalError('PLAN_NOT_EXECUTABLE', 409, 'Infrastructure-as-code plans are never deployed by the assistant; deploy the snippet with your own pipeline.');
  if (plan.status !== 'proposed') throw new ApprovalError('PLAN_NOT_EXECUTABLE', 409, `plan ${id} is ${plan.status}, not proposed`);
  if (Date.parse(plan.expiresAt) < now.getTime()) throw new ApprovalError('PLAN_NOT_EXECUTABLE', 409, `plan ${id} expired at ${plan.expiresAt}; ask again for a fresh plan`);
  const requests = plan.kubernetes.requests;
  const unresolved = requests.find((r) => /[{}]/.test(r.path) || JSON.stringify(r.body ?? '').includes('{pod template'));
  if (!deps.kubernetes) throw new ApprovalError('CLUSTER_UNREACHABLE', 503, 'No cluster is configured for execution.');
  if (unresolved) {
    await deps.audit.record({ planId: id, who, what: { summary: plan.summary, requests }, when: now.toISOString(), result: 'refused', detail: `step "${unresolved.description}" needs values only kubectl resolves; run: ${plan.kubernetes.kubectl.join(' && ')}` });
    throw new ApprovalError('PLAN_NOT_EXECUTABLE', 409, `This plan has steps the assistant does not execute itself (${unresolved.description}); run: ${plan.kubernetes.kubectl.join(' && ')}`);
  }
  // Audited before anything runs: if the record cannot be written, nothing executes.
  await deps.audit.record({ planId: id, who, what: { summary: plan.summary, requests }, when: now.toISOString(), result: 'approved', detail: `executing ${requests.length} request(s)` });
  const results: string[] = [];
  let ok = true;
  for (const request of requests) {
    try {
      const response = await deps.kubernetes.send(request, { dryRun: false });
      results.push(`${request.method} ${request.path} → ${response.status}`);
      if (response.status >= 300) { ok = false; break; }
    } catch (error) {
      results.push(`${request.method} ${request.path} → ${error instanceof Error ? error.message : String(error)}`);
      ok = false;
      break;
    }
  }
  plan.status = ok ? 'executed' : 'failed';
  await deps.audit.record({ planId: id, who, what: { summary: plan.summary, requests }, when: now.toISOString(), result: ok ? 'executed' : 'failed', detail: results.join('; ') });
  await deps.plans.update(plan);
  return plan;
}
