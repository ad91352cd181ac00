/**
 * Alarm-storm guard on S3: the same alarm transitioning into `ALARM` again and again within a
 * window yields one incident with a counter, not one diagnosis per transition.
 *
 * Choice (documented here and in the report): one marker object per alarm,
 * `storms/<alarm-hash>/current.json`, holding the open incident of that alarm:
 * `{ alarm, incidentId, firstAt, lastAt, count, transitions[], okAt? }`. The window slides: a
 * transition within `windowMs` of the marker's last one joins the open incident (count + 1);
 * a later one opens a new incident. Updates use S3 conditional writes (`If-None-Match: *` to
 * create, `If-Match: <etag>` to update) and retry on 412, so concurrent invocations do not lose
 * counts. S3 keeps the marker with the diagnoses (no extra table to deploy); DynamoDB would serve
 * equally. `alarm-hash` is the first 16 hex of sha256(alarm ARN or name).
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Incident } from '../../core/model/incident.js';
import type { AlarmStormGuard, StormDecision, StormMarker } from '../../core/diagnose/ports.js';
import { DEFAULT_STORM_WINDOW_MS, admitTransition, markerKeyOf, recordOkTransition } from '../../core/diagnose/storm.js';
import { classifyAwsError, httpStatusOf } from './aws-errors.js';

export type { StormDecision, StormMarker } from '../../core/diagnose/ports.js';

export interface S3AlarmStormGuardOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Window, ms; default 30 minutes. */
  readonly windowMs?: number;
  readonly kmsKeyId?: string;
  /** Per-call time bound, ms; default 5000. */
  readonly timeoutMs?: number;
  /** Conditional-write retries on 412; default 5. */
  readonly maxConflicts?: number;
}

/** Raised when the marker stayed contended after all retries. */
export class StormMarkerConflictError extends Error {
  constructor(key: string) {
    super(`${key}: marker kept changing under concurrent updates`);
    this.name = 'StormMarkerConflictError';
  }
}

/**
 * The storm rule itself (`core/diagnose/storm.ts`) decides; this class reads and writes the marker.
 * @example
 * const guard = new S3AlarmStormGuard({ client: s3, bucket });
 * const decision = await guard.admit(incident);
 */
export class S3AlarmStormGuard implements AlarmStormGuard {
  private readonly windowMs: number;
  constructor(private readonly options: S3AlarmStormGuardOptions) {
    this.windowMs = options.windowMs ?? DEFAULT_STORM_WINDOW_MS;
  }

  /** Marker key of the alarm an incident names; undefined when it names no alarm. */
  markerKey(incident: Incident): string | undefined {
    return markerKeyOf(incident);
  }

  /**
   * Records an `ALARM` transition and decides whether to diagnose it. Incidents without an alarm
   * are always `new`.
   * @throws StormMarkerConflictError after `maxConflicts` lost races; SDK errors otherwise.
   */
  async admit(incident: Incident): Promise<StormDecision> {
    const key = this.markerKey(incident);
    if (!key) return { kind: 'new', incidentId: incident.id, count: 1, key: '' };
    for (let attempt = 0; attempt <= (this.options.maxConflicts ?? 5); attempt++) {
      const current = await this.read(key);
      const { decision, next } = admitTransition(current?.marker, incident, key, this.windowMs);
      if (!next) return decision;
      if (await this.write(key, next, current?.etag)) return decision;
    }
    throw new StormMarkerConflictError(key);
  }

  /**
   * The marker of the alarm's open incident as stored now, or undefined (no alarm, no marker).
   * @throws the SDK error when S3 fails.
   */
  async current(incident: Incident): Promise<StormMarker | undefined> {
    const key = this.markerKey(incident);
    return key ? (await this.read(key))?.marker : undefined;
  }

  /**
   * Records an `OK` transition on the alarm's open incident.
   * @returns the open incident's marker after the update, or undefined when none is open.
   */
  async recordOk(incident: Incident): Promise<StormMarker | undefined> {
    const key = this.markerKey(incident);
    if (!key) return undefined;
    for (let attempt = 0; attempt <= (this.options.maxConflicts ?? 5); attempt++) {
      const current = await this.read(key);
      if (!current) return undefined;
      const { marker, changed } = recordOkTransition(current.marker, incident);
      if (!changed) return marker;
      if (await this.write(key, marker, current.etag)) return marker;
    }
    throw new StormMarkerConflictError(key);
  }

  private async read(key: string): Promise<{ marker: StormMarker; etag: string } | undefined> {
    try {
      const out = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }), { abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
      const marker = JSON.parse(await out.Body!.transformToString('utf-8')) as StormMarker;
      return { marker, etag: out.ETag ?? '' };
    } catch (error) {
      if (classifyAwsError(error) === 'not-found') return undefined;
      throw error;
    }
  }

  /** Conditional write; false when the precondition failed (someone else wrote first). */
  private async write(key: string, marker: StormMarker, etag: string | undefined): Promise<boolean> {
    try {
      await this.options.client.send(new PutObjectCommand({
        Bucket: this.options.bucket, Key: key, Body: JSON.stringify(marker), ContentType: 'application/json; charset=utf-8',
        ...(this.options.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.options.kmsKeyId } : { ServerSideEncryption: 'AES256' }),
        ...(etag ? { IfMatch: etag } : { IfNoneMatch: '*' }),
      }), { abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
      return true;
    } catch (error) {
      if (httpStatusOf(error) === 412 || httpStatusOf(error) === 409 || (error as Error).name === 'PreconditionFailed') return false;
      throw error;
    }
  }
}
