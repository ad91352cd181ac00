/** In-memory fakes for ask tests: plan store, audit log, diagnosis store, Kubernetes API, collectors (the local adapters are tested separately). */
import type { AuditLog, AuditRecord, KubernetesApi, KubernetesResponse, PlanStore } from '../../functions/core/ask/ports.js';
import type { KubernetesRequest, Plan } from '../../functions/core/ask/plans.js';
import type { Diagnosis } from '../../functions/core/model/diagnosis.js';
import type { Collector } from '../../functions/core/ports/collector.port.js';
import type { DiagnosisIndexEntry, DiagnosisPage, DiagnosisQuery, DiagnosisStore, PutResult } from '../../functions/core/ports/diagnosis-store.port.js';
import { parseEvidenceText } from '../../functions/core/stages/collect/formats/index.js';

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

/** An in-memory diagnosis store holding index entries (only `list` is used by ask). */
export class MemoryDiagnoses implements DiagnosisStore {
  constructor(readonly entries: DiagnosisIndexEntry[] = []) {}
  readonly queries: DiagnosisQuery[] = [];
  async put(): Promise<PutResult> {
    throw new Error('not used by ask');
  }
  async get(): Promise<Diagnosis | undefined> {
    return undefined;
  }
  async list(query: DiagnosisQuery): Promise<DiagnosisPage> {
    this.queries.push(query);
    const items = this.entries
      .filter((e) => !query.resource || e.resources.some((r) => r.includes(query.resource!)))
      .filter((e) => !query.since || e.createdAt >= query.since)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, query.limit ?? 50);
    return { items };
  }
  async quarantine(): Promise<string> {
    throw new Error('not used by ask');
  }
}

/** A Kubernetes API that records what it is sent and answers with `status`. */
export class RecordingKubernetes implements KubernetesApi {
  readonly calls: Array<{ request: KubernetesRequest; dryRun: boolean }> = [];
  constructor(private readonly status = 200) {}
  async send(request: KubernetesRequest, options: { readonly dryRun: boolean }): Promise<KubernetesResponse> {
    this.calls.push({ request, dryRun: options.dryRun });
    return { status: this.status, body: { kind: 'Status', status: this.status < 300 ? 'Success' : 'Failure' } };
  }
}

/** A collector handing over evidence text parsed as the file collector would (format detected). */
export function textCollector(source: string, text: string): Collector {
  return { name: `text:${source}`, collect: async () => parseEvidenceText(text, source) };
}
