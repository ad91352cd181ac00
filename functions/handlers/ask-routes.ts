/**
 * The ask routes of the API (issue "Ask in natural language"):
 * - `POST /v1/ask` `{ question, context? }` → `{ answer, citations, intent, plan? }`; never executes.
 * - `POST /v1/plans/{id}/approve` → executes a proposed Kubernetes plan, only when the deployment
 *   enables approvals; needs its own IAM permission on the route; audited (who, what, when, result).
 *
 * Error codes: `INVALID_REQUEST`, `EMPTY_QUESTION`, `QUESTION_TOO_LONG`, `INVALID_QUESTION`, `INVALID_CHARACTERS`,
 * `INVALID_CONTEXT`, `INVALID_APPROVER` (400), `PROMPT_INJECTION` (400), `ACTION_REFUSED` (403), `ASK_UNAVAILABLE` (501),
 * `APPROVAL_DISABLED` (403), `PLAN_NOT_FOUND` (404), `PLAN_NOT_EXECUTABLE` (409), `CLUSTER_UNREACHABLE` (503).
 */
import { ask, validateAskRequest, RefusedRequestError } from '../core/ask/answer.js';
import { approvePlan, ApprovalError } from '../core/ask/approve.js';
import { ApiError, parseJsonBody, registerRoute, type ApiRequest } from './api-routes.js';

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
    async handle(request, _params, rt, context) {
      if (!rt.askDeps) throw new ApiError(501, 'ASK_UNAVAILABLE', 'asking is not configured in this deployment');
      const body = validateAskRequest(parseJsonBody(request));
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
    async handle(request, params, rt) {
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

registerAskRoutes();
