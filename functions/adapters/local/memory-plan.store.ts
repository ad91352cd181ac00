/**
 * A {@link PlanStore} that keeps plans in this process only: for entry points that propose plans
 * as text and can never approve them (`ops-assistant mcp`). Nothing is written anywhere, so a
 * plan proposed here cannot be found by `POST /v1/plans/{id}/approve`.
 */
import type { PlanStore } from '../../core/ask/ports.js';
import type { Plan } from '../../core/ask/plans.js';

/** Most plans kept; the oldest is dropped first (a long-running server does not grow without bound). */
export const MAX_PROPOSED_PLANS = 100;

/**
 * @example
 *   const deps = { ...askDeps, plans: new ProposalPlanStore() }; // plans answered, never stored
 */
export class ProposalPlanStore implements PlanStore {
  private readonly plans = new Map<string, Plan>();

  /** Keeps a copy of `plan`. @throws Error `PLAN_EXISTS` when a plan of that id is kept already. */
  async put(plan: Plan): Promise<void> {
    if (this.plans.has(plan.id)) throw Object.assign(new Error(`plan ${plan.id} exists already`), { code: 'PLAN_EXISTS' });
    this.plans.set(plan.id, structuredClone(plan));
    while (this.plans.size > MAX_PROPOSED_PLANS) this.plans.delete(this.plans.keys().next().value!);
  }

  /** A copy of the kept plan, or undefined. */
  async get(id: string): Promise<Plan | undefined> {
    const plan = this.plans.get(id);
    return plan ? structuredClone(plan) : undefined;
  }

  /** Replaces a kept plan. */
  async update(plan: Plan): Promise<void> {
    this.plans.set(plan.id, structuredClone(plan));
  }
}
