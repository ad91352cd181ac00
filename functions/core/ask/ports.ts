/**
 * Ports of the ask use case: where plans and audit records are kept, and how a plan reaches a
 * cluster (server-side dry run and, after approval, execution).
 */
import type { KubernetesRequest, Plan } from './plans.js';
import type { AskIntent, KubernetesVerb } from './intent.js';

export interface PlanStore {
  /** Stores a new plan; throws when the id exists. */
  put(plan: Plan): Promise<void>;
  get(id: string): Promise<Plan | undefined>;
  /** Replaces a stored plan (status changes). */
  update(plan: Plan): Promise<void>;
}

/** One audit record of an approval: who, what, when, result. Written before and after execution. */
export interface AuditRecord {
  readonly planId: string;
  /** The approving identity (IAM principal ARN from the request context, or a local user name). */
  readonly who: string;
  /** The plan summary and the exact requests. */
  readonly what: { readonly summary: string; readonly requests: readonly KubernetesRequest[] };
  /** ISO-8601 UTC. */
  readonly when: string;
  readonly result: 'approved' | 'executed' | 'failed' | 'refused';
  readonly detail: string;
}

export interface AuditLog {
  /** Writes the record; resolves to its key. Throws when it cannot be written (then nothing executes). */
  record(entry: AuditRecord): Promise<string>;
}

/** Response of one Kubernetes API call. */
export interface KubernetesResponse {
  readonly status: number;
  readonly body: unknown;
}

/** The cluster, as a plan reaches it. */
export interface KubernetesApi {
  /** Sends `request`; with `dryRun` the server validates and admits it without persisting (`?dryRun=All`). */
  send(request: KubernetesRequest, options: { readonly dryRun: boolean }): Promise<KubernetesResponse>;
}

/** One reading of a question by the intent model: the intent, the verb of an action, its probability. */
export interface IntentReading {
  readonly intent: AskIntent;
  /** For `kubernetes_action`. */
  readonly verb?: KubernetesVerb;
  /** Probability in [0, 1]; the readings of one question sum to 1. */
  readonly score: number;
}

/**
 * Reads the intent of a question (a trained model; the ONNX adapter implements it). Entities are
 * not its job: they are read from name positions by rules (`extractEntities`).
 */
export interface IntentClassifier {
  /** Model id (manifest). */
  readonly id: string;
  readonly sha256?: string;
  /** Every reading of `question`, best first. */
  classify(question: string): Promise<readonly IntentReading[]>;
}
