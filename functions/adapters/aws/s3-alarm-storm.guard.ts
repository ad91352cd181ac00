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
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Incident } from '../../core/model/incident.js';
import { classifyAwsError, httpStatusOf } from './aws-errors.js';

/** The marker object of an alarm's open incident. */
export interface StormMarker {
  readonly alarm: string;
  readonly incidentId: string;
  /** ISO-8601 times of the first and latest `ALARM` transition of the open incident. */
  readonly firstAt: string;
  readonly lastAt: string;
  /** Number of distinct `ALARM` transitions folded into the incident (1 = no storm). */
  readonly count: number;
  /** Latest transitions (incident id, state, time), at most 50. */
  readonly transitions: ReadonlyArray<{ readonly id: string; readonly state: string; readonly at: string }>;
  /** When the alarm last went back to `OK`, if it did. */
  readonly okAt?: string;
}

/** What to do with an `ALARM` transition. */
export interface StormDecision {
  /**
   * `new`: first transition of an incident, diagnose it; `replay`: a redelivery of the open
   * incident's own transition, diagnose it (the store makes it idempotent); `folded`: another
   * transition within the window, counted on the open incident, not diagnosed again.
   */
  readonly kind: 'new' | 'replay' | 'folded';
  /** The open incident's id. */
  readonly incidentId: string;
  readonly count: number;
  readonly key: string;
  /** ISO-8601 times of the open incident's first and latest `ALARM` transition (absent for incidents without an alarm). */
  readonly firstAt?: string;
  readonly lastAt?: string;
}

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
 * @example
 * const guard = new S3AlarmStormGuard({ client: s3, bucket });
 * const decision = await guard.admit(incident);
 * if (decision.kind !== 'folded') await runPipeline(incident, deps);
 */
export class S3AlarmStormGuard {
  private readonly windowMs: number;
  constructor(private readonly options: S3AlarmStormGuardOptions) {
    this.windowMs = options.windowMs ?? 30 * 60_000;
  }

  /** Marker key of the alarm an incident names; undefined when it names no alarm. */
  markerKey(incident: Incident): string | undefined {
    const alarm = incident.alarm?.arn ?? incident.alarm?.name;
    if (!alarm) return undefined;
    return `storms/${createHash('sha256').update(alarm).digest('hex').slice(0, 16)}/current.json`;
  }

  /**
   * Records an `ALARM` transition and decides whether to diagnose it. Incidents without an alarm
   * are always `new`.
   * @throws StormMarkerConflictError after `maxConflicts` lost races; SDK errors otherwise.
   */
  async admit(incident: Incident): Promise<StormDecision> {
    const key = this.markerKey(incident);
    if (!key) return { kind: 'new', incidentId: incident.id, count: 1, key: '' };
    const at = incident.occurredAt;
    const t = Date.parse(at);
    for (let attempt = 0; attempt <= (this.options.maxConflicts ?? 5); attempt++) {
      const current = await this.read(key);
      const m = current?.marker;
      if (m && m.incidentId === incident.id) return { kind: 'replay', incidentId: m.incidentId, count: m.count, key, firstAt: m.firstAt, lastAt: m.lastAt };
      if (m && m.transitions.some((x) => x.id === incident.id)) return { kind: 'folded', incidentId: m.incidentId, count: m.count, key, firstAt: m.firstAt, lastAt: m.lastAt };
      const joins = m && Math.abs(t - Date.parse(m.lastAt)) <= this.windowMs;
      const next: StormMarker = joins
        ? {
            ...m, count: m.count + 1,
            lastAt: t > Date.parse(m.lastAt) ? at : m.lastAt,
            transitions: [...m.transitions, { id: incident.id, state: 'ALARM', at }].slice(-50),
          }
        : {
            alarm: incident.alarm!.arn ?? incident.alarm!.name, incidentId: incident.id, firstAt: at, lastAt: at, count: 1,
            transitions: [{ id: incident.id, state: 'ALARM', at }],
          };
      if (await this.write(key, next, current?.etag)) {
        return { kind: joins ? 'folded' : 'new', incidentId: next.incidentId, count: next.count, key, firstAt: next.firstAt, lastAt: next.lastAt };
      }
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
      const m = current.marker;
      if (m.transitions.some((x) => x.id === incident.id)) return m;
      const next: StormMarker = {
        ...m, okAt: incident.occurredAt,
        transitions: [...m.transitions, { id: incident.id, state: incident.state ?? 'OK', at: incident.occurredAt }].slice(-50),
      };
      if (await this.write(key, next, current.etag)) return next;
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
