/**
 * Plans and the approval audit log on S3, beside the diagnoses:
 * `plans/<plan id>.json` (created with `If-None-Match: *`) and
 * `audit/YYYY/MM/DD/<time>_<plan id>_<result>.json` (one object per record, never overwritten).
 * Objects are encrypted with SSE-KMS when a key is configured, else SSE-S3.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AuditLog, AuditRecord, PlanStore } from '../../core/ask/ports.js';
import type { Plan } from '../../core/ask/plans.js';

const PLAN_ID = /^plan-[0-9a-f-]{36}$/;

export interface S3PlanStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  readonly kmsKeyId?: string;
}

function encryption(kmsKeyId?: string) {
  return kmsKeyId ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: kmsKeyId } : { ServerSideEncryption: 'AES256' as const };
}

/**
 * Plans on S3. `update` is a compare-and-swap: it writes with `If-Match` on the ETag this process
 * last read, so two approvals racing in separate invocations cannot both move a plan on from
 * `proposed` — the second gets S3's 412 and fails.
 */
export class S3PlanStore implements PlanStore {
  private readonly etags = new Map<string, string>();
  constructor(private readonly options: S3PlanStoreOptions) {}

  private key(id: string): string {
    if (!PLAN_ID.test(id)) throw new Error(`invalid plan id '${id}'`);
    return `plans/${id}.json`;
  }

  async put(plan: Plan): Promise<void> {
    await this.options.client.send(new PutObjectCommand({
      Bucket: this.options.bucket, Key: this.key(plan.id), Body: JSON.stringify(plan), ContentType: 'application/json',
      IfNoneMatch: '*', ...encryption(this.options.kmsKeyId),
    }));
  }

  async get(id: string): Promise<Plan | undefined> {
    if (!PLAN_ID.test(id)) return undefined;
    try {
      const out = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(id) }));
      if (out.ETag) this.etags.set(id, out.ETag);
      return JSON.parse(await out.Body!.transformToString('utf8')) as Plan;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
      throw error;
    }
  }

  /** @throws the SDK's `PreconditionFailed` (412) when the plan changed since this process read it. */
  async update(plan: Plan): Promise<void> {
    const etag = this.etags.get(plan.id);
    const out = await this.options.client.send(new PutObjectCommand({
      Bucket: this.options.bucket, Key: this.key(plan.id), Body: JSON.stringify(plan), ContentType: 'application/json',
      ...(etag ? { IfMatch: etag } : {}), ...encryption(this.options.kmsKeyId),
    }));
    if (out.ETag) this.etags.set(plan.id, out.ETag);
  }
}

export class S3AuditLog implements AuditLog {
  constructor(private readonly options: S3PlanStoreOptions) {}

  async record(entry: AuditRecord): Promise<string> {
    const key = `audit/${entry.when.slice(0, 10).split('-').join('/')}/${entry.when.replace(/[:.]/g, '-')}_${entry.planId}_${entry.result}.json`;
    await this.options.client.send(new PutObjectCommand({
      Bucket: this.options.bucket, Key: key, Body: JSON.stringify(entry), ContentType: 'application/json',
      IfNoneMatch: '*', ...encryption(this.options.kmsKeyId),
    }));
    return key;
  }
}
