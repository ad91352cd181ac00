/** In-memory plan store and audit log for ask tests (the local adapters are tested separately). */
import type { AuditLog, AuditRecord, PlanStore } from '../../functions/core/ask/ports.js';
import type { Plan } from '../../functions/core/ask/plans.js';

export class MemoryPlans implements PlanStore {
  readonly plans = new Map<string, Plan>();
  async put(plan: Plan) {
    if (this.plans.has(plan.id)) throw new Error('exists');
    this.plans.set(plan.id, structuredClone(plan));
  }
  async get(id: string) {
    const p = this.plans.get(id);
    return p ? structuredClone(p) : undefined;
  }
  async update(plan: Plan) {
    this.plans.set(plan.id, structuredClone(plan));
  }
}

export class MemoryAudit implements AuditLog {
  readonly records: AuditRecord[] = [];
  fail = false;
  async record(entry: AuditRecord) {
    if (this.fail) throw new Error('audit bucket unreachable');
    this.records.push(entry);
    return `audit/${this.records.length}.json`;
  }
}
