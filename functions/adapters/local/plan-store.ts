/**
 * Local plan store and audit log: JSON files under a root folder, laid out as the S3 adapters
 * lay them out (`plans/<id>.json`, `audit/YYYY/MM/DD/<time>_<plan id>_<result>.json`).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditLog, AuditRecord, PlanStore } from '../../core/ask/ports.js';
import type { Plan } from '../../core/ask/plans.js';

const PLAN_ID = /^plan-[0-9a-f-]{36}$/;

export class DirectoryPlanStore implements PlanStore {
  constructor(private readonly root: string) {}

  private file(id: string): string {
    if (!PLAN_ID.test(id)) throw new Error(`invalid plan id '${id}'`);
    return path.join(this.root, 'plans', `${id}.json`);
  }

  async put(plan: Plan): Promise<void> {
    await mkdir(path.join(this.root, 'plans'), { recursive: true });
    await writeFile(this.file(plan.id), `${JSON.stringify(plan, null, 2)}\n`, { flag: 'wx' });
  }

  async get(id: string): Promise<Plan | undefined> {
    if (!PLAN_ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(this.file(id), 'utf8')) as Plan;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async update(plan: Plan): Promise<void> {
    await writeFile(this.file(plan.id), `${JSON.stringify(plan, null, 2)}\n`);
  }
}

export class DirectoryAuditLog implements AuditLog {
  constructor(private readonly root: string) {}

  async record(entry: AuditRecord): Promise<string> {
    const day = entry.when.slice(0, 10).split('-').join('/');
    const key = `audit/${day}/${entry.when.replace(/[:.]/g, '-')}_${entry.planId}_${entry.result}.json`;
    await mkdir(path.dirname(path.join(this.root, key)), { recursive: true });
    await writeFile(path.join(this.root, key), `${JSON.stringify(entry, null, 2)}\n`, { flag: 'wx' });
    return key;
  }
}
