/**
 * The ask routes of the API (issue "Ask in natural language"):
 * - `POST /v1/ask` `{ question, context? }` → `{ answer, citations, intent, plan? }`; never executes.
 * - `GET /v1/plans/{id}` → `{ plan, expired }`: a plan `POST /v1/ask` proposed, as stored (its
 *   status, requests, `kubectl` equivalent, dry run); 404 `PLAN_NOT_FOUND` for an unknown id.
 * - `POST /v1/plans/{id}/approve` → executes a proposed Kubernetes plan, only when the deployment
 *   enables approvals; needs its own IAM permission on the route; audited (who, what, when, result).
 *
 * Error codes: `INVALID_BODY` (approve: a body with keys), `INVALID_REQUEST`, `EMPTY_QUESTION`, `QUESTION_TOO_LONG`, `INVALID_QUESTION`, `INVALID_CHARACTERS`,
 * `INVALID_CONTEXT`, `INVALID_APPROVER` (400), `PROMPT_INJECTION` (400), `ACTION_REFUSED` (403), `ASK_UNAVAILABLE` (501),
 * `APPROVAL_DISABLED` (403), `PLAN_NOT_FOUND` (404), `PLANS_UNAVAILABLE` (501), `PLAN_NOT_EXECUTABLE` (409), `CLUSTER_UNREACHABLE` (503).
 */
import { ask, validateAskRequest, RefusedRequestError } from '../core/ask/answer.js';
import { approvePlan, ApprovalError } from '../core/ask/approve.js';
import { ASK_BODY_KEYS, ApiError, parseJsonBody, registerRoute, type ApiRequest } from './api-routes.js';

/** Keys `POST /v1/ask` reads (others are refused, naming these). */
const ASK_KEYS = ['question', 'context'] as const;
/** `POST /v1/plans/{id}/approve` reads no body: none, or an empty object. */
export const APPROVE_BODY_KEYS = 'no body, or {} (the plan is named by the path; who approves comes from the IAM signature)';

/** A 404 that says what a plan id looks like and where plans come from. */
function planNotFound(id: string): ApiError {
  const shown = id.length > 80 ? `${id.slice(0, 80)}…` : id;
  return new ApiError(404, 'PLAN_NOT_FOUND', `no plan with id ${JSON.stringify(shown)}: plan ids look like plan-<uuid> and come from the "plan" of a POST /v1/ask answer`);
}

/**
 * The caller's identity as API Gateway's IAM authorization reports it: REST (v1)
 * `requestContext.identity.userArn`, HTTP API (v2) `requestContext.authorizer.iam.userArn`.
 */
export function callerIdentity(request: ApiRequest): string | undefined {
  const rc = (request.event as { requestContext?: any } | undefined)?.requestContext;
  return rc?.authorizer?.iam?.userArn ?? rc?.identity?.userArn ?? undefined;
}

/** Registers `POST /v1/ask` and `POST /v1/plans/{id}/approve` on the route table. */
export function registerAskRoutes(): void {
  registerRoute({
    method: 'POST',
    path: '/v1/ask',
    bodyKeys: ASK_BODY_KEYS,
    async handle(request, _params, rt, context) {
      if (!rt.askDeps) throw new ApiError(501, 'ASK_UNAVAILABLE', 'asking is not configured in this deployment');
      const raw = parseJsonBody(request);
      const unknown = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? Object.keys(raw).filter((k) => !(ASK_KEYS as readonly string[]).includes(k)) : [];
      if (unknown.length > 0) throw new ApiError(400, 'INVALID_REQUEST', `body: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`);
      const body = validateAskRequest(raw);
      try {
        const response = await ask(body, await rt.askDeps(context));
        return { statusCode: 200, body: response };
      } catch (error) {
        if (error instanceof RefusedRequestError) throw new ApiError(error.code === 'ACTION_REFUSED' ? 403 : 400, error.code, error.message);
        throw error;
      }
    },
  });
  registerRoute({
    method: 'POST',
    path: '/v1/plans/{id}/approve',
    bodyKeys: APPROVE_BODY_KEYS,
    async handle(request, params, rt) {
      if (request.body?.trim()) {
        const body = parseJsonBody(request);
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'INVALID_BODY', 'body: must be an object');
        const keys = Object.keys(body);
        if (keys.length > 0) throw new ApiError(400, 'INVALID_BODY', `body: unknown key${keys.length > 1 ? 's' : ''} ${keys.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`);
      }
      if (!rt.approvals?.enabled) throw new ApiError(403, 'APPROVAL_DISABLED', 'Plan approval is disabled in this deployment (off by default: deploy with -c enableApprove=true, or run ops-assistant serve --enable-approvals locally).');
      const who = callerIdentity(request);
      if (!who) throw new ApiError(403, 'APPROVAL_DISABLED', 'approval needs an authenticated caller (IAM authorization on this route)');
      try {
        const plan = await approvePlan(params.id!, who, await rt.approvals.deps());
        return { statusCode: 200, body: { plan } };
      } catch (error) {
        if (error instanceof ApprovalError) throw new ApiError(error.status, error.code, error.message);
        throw error;
      }
    },
  });
}

/** Registers `GET /v1/plans/{id}`: a stored plan, as `POST /v1/ask` proposed it and approval left it. */
export function registerPlanRoutes(): void {
  registerRoute({
    method: 'GET',
    path: '/v1/plans/{id}',
    async handle(_request, params, rt) {
      if (!rt.plans) throw new ApiError(501, 'PLANS_UNAVAILABLE', 'plans are not kept in this deployment');
      const id = params.id!;
      const plan = await rt.plans.get(id);
      if (!plan) throw planNotFound(id);
      // `expired`: a proposed plan past `expiresAt` can no longer be approved (approvePlan refuses it).
      return { statusCode: 200, body: { plan, expired: Date.parse(plan.expiresAt) < Date.now() } };
    },
  });
}

registerAskRoutes();
registerPlanRoutes();
