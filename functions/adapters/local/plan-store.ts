/**
 * Local plan store and audit log: JSON files under a root folder, laid out as the S3 adapters
 * lay them out (`plans/<id>.json`, `audit/YYYY/MM/DD/<time>_<plan id>_<result>.json`).
 *
 * Plans are replaced atomically (written to a temporary file, then renamed), so a reader never
 * sees half a plan. Audit records are never overwritten: a record whose key exists gets a
 * numeric suffix (`…_approved-2.json`).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../../core/model/errors.js';
import type { AuditLog, AuditRecord, PlanStore } from '../../core/ask/ports.js';
import type { Plan } from '../../core/ask/plans.js';

/** Plan ids as `ask` makes them: `plan-` and a UUID. */
const PLAN_ID = /^plan-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RESULTS: ReadonlySet<AuditRecord['result']> = new Set(['approved', 'executed', 'failed', 'refused']);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

/**
 * Plans as `<root>/plans/<id>.json`.
 * @example
 *   const plans = new DirectoryPlanStore('out');
 *   await plans.put(plan); // out/plans/plan-3f0c….json
 */
export class DirectoryPlanStore implements PlanStore {
  constructor(private readonly root: string) {}

  private file(id: string): string {
    if (!PLAN_ID.test(id)) throw new InvalidInputError('plan id', `'${id.slice(0, 80)}' is not a plan id (plan-<uuid>)`, { code: 'INVALID_PLAN_ID' });
    return path.join(this.root, 'plans', `${id}.json`);
  }

  /**
   * Stores a new plan.
   * @throws InvalidInputError `INVALID_PLAN_ID` for an id not of the form `plan-<uuid>`;
   *   Error `PLAN_EXISTS` when a plan of that id is stored already.
   */
  async put(plan: Plan): Promise<void> {
    const file = this.file(plan.id);
    await mkdir(path.dirname(file), { recursive: true });
    try {
      await writeFile(file, `${JSON.stringify(plan, null, 2)}\n`, { flag: 'wx' });
    } catch (error) {
      if (isErrno(error, 'EEXIST')) throw Object.assign(new Error(`plan ${plan.id} exists already`, { cause: error }), { code: 'PLAN_EXISTS' });
      throw error;
    }
  }

  /**
   * The stored plan, or undefined when there is none (or the id is not a plan id).
   * @throws InvalidInputError `INVALID_PLAN_FILE` naming the file when it is not valid JSON of a plan.
   */
  async get(id: string): Promise<Plan | undefined> {
    if (typeof id !== 'string' || !PLAN_ID.test(id)) return undefined;
    const file = this.file(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
    let plan: unknown;
    try {
      plan = JSON.parse(text);
    } catch (error) {
      throw new InvalidInputError(file, 'is not valid JSON', { code: 'INVALID_PLAN_FILE', cause: error });
    }
    if (typeof plan !== 'object' || plan === null || (plan as Plan).id !== id) throw new InvalidInputError(file, `does not hold plan ${id}`, { code: 'INVALID_PLAN_FILE' });
    return plan as Plan;
  }

  /**
   * Replaces a stored plan atomically (temporary file, then rename).
   * @throws Error `PLAN_NOT_FOUND` when no plan of that id is stored.
   */
  async update(plan: Plan): Promise<void> {
    const file = this.file(plan.id);
    if ((await this.get(plan.id)) === undefined) throw Object.assign(new Error(`plan ${plan.id} is not stored`), { code: 'PLAN_NOT_FOUND' });
    const temp = `${file}.${randomUUID()}.tmp`;
    await writeFile(temp, `${JSON.stringify(plan, null, 2)}\n`, { flag: 'wx' });
    await rename(temp, file);
  }
}

/**
 * Audit records as `<root>/audit/YYYY/MM/DD/<when with - for : and .>_<plan id>_<result>.json`;
 * the day folders come from `when` (UTC).
 * @example
 *   await new DirectoryAuditLog('out').record({ planId, who: 'alice', what, when: '2026-11-30T10:01:00.000Z', result: 'approved', detail: '' });
 *   // → 'audit/2026/11/30/2026-11-30T10-01-00-000Z_plan-…_approved.json'
 */
export class DirectoryAuditLog implements AuditLog {
  constructor(private readonly root: string) {}

  /**
   * Writes one record and resolves to its key (relative to the root, `/`-separated).
   * @throws InvalidInputError `INVALID_AUDIT_RECORD` when the plan id, the time (ISO-8601 UTC)
   *   or the result is malformed; file-system errors as they come (then the caller executes nothing).
   */
  async record(entry: AuditRecord): Promise<string> {
    if (!PLAN_ID.test(entry.planId)) throw new InvalidInputError('audit record', `planId '${String(entry.planId).slice(0, 80)}' is not a plan id`, { code: 'INVALID_AUDIT_RECORD' });
    if (!ISO_UTC.test(entry.when) || !Number.isFinite(Date.parse(entry.when))) throw new InvalidInputError('audit record', `when '${String(entry.when).slice(0, 40)}' is not an ISO-8601 UTC time`, { code: 'INVALID_AUDIT_RECORD' });
    if (!RESULTS.has(entry.result)) throw new InvalidInputError('audit record', `result '${String(entry.result)}' is not one of ${[...RESULTS].join(', ')}`, { code: 'INVALID_AUDIT_RECORD' });
    if (typeof entry.who !== 'string' || entry.who.length === 0) throw new InvalidInputError('audit record', 'who is empty', { code: 'INVALID_AUDIT_RECORD' });
    const day = entry.when.slice(0, 10).split('-').join('/');
    const stem = `audit/${day}/${entry.when.replace(/[:.]/g, '-')}_${entry.planId}_${entry.result}`;
    await mkdir(path.join(this.root, 'audit', ...day.split('/')), { recursive: true });
    const body = `${JSON.stringify(entry, null, 2)}\n`;
    for (let n = 1; ; n++) {
      const key = n === 1 ? `${stem}.json` : `${stem}-${n}.json`;
      try {
        await writeFile(path.join(this.root, ...key.split('/')), body, { flag: 'wx' });
        return key;
      } catch (error) {
        if (!isErrno(error, 'EEXIST') || n >= 100) throw error;
      }
    }
  }
}
