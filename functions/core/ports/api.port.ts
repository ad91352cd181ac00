/**
 * Port of the API routes (`handlers/api-routes.ts`, `handlers/ask-routes.ts`): what a composition
 * root gives them. The Lambda runtime (`composition/lambda.ts`) and the local server
 * (`ops-assistant serve`, `composition/local.ts`) both provide it; the routes drive the use cases
 * (diagnose, ask, approve) with it.
 */
import type { AskDeps } from '../ask/answer.js';
import type { ApproveDeps } from '../ask/approve.js';
import type { DiagnoseDeps, DiagnoseInput } from '../diagnose/diagnose.service.js';
import type { DiagnoseObserver } from '../diagnose/ports.js';
import type { DiagnosisStore } from './diagnosis-store.port.js';
import type { PlanStore } from '../ask/ports.js';

/** The slice of the Lambda context the routes use. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** The diagnose use case's dependencies for one invocation, and the limits of that invocation. */
export interface DiagnoseBinding {
  readonly deps: DiagnoseDeps;
  readonly limits: Pick<DiagnoseInput, 'budgetMs' | 'signal'>;
}

export interface ApiRuntime {
  readonly store: DiagnosisStore & { getRendering(id: string, format: 'md' | 'html'): Promise<string | undefined> };
  /** The diagnose use case over this runtime, for one invocation. */
  diagnose(context: InvocationContext, observer?: DiagnoseObserver): DiagnoseBinding;
  /** The ask use case's dependencies; absent where asking is not configured. */
  askDeps?(context: InvocationContext): Promise<AskDeps>;
  /** The plans `POST /v1/ask` proposed (`GET /v1/plans/{id}` reads them); absent where plans are not kept. */
  readonly plans?: PlanStore;
  /** Plan approval: off unless the deployment enables it. */
  readonly approvals?: { readonly enabled: boolean; deps(): Promise<ApproveDeps> };
}
