/**
 * Alarm-storm guard on S3: the same alarm transitioning into `ALARM` again and again within a
 * window yields one incident with a counter, not one diagnosis per transition.
 *
 * Choice (documented here and in the report): one marker object per alarm,
 * `storms/<alarm-hash>/current.json`, holding the open incident of that alarm:
 * `{ alarm, incidentId, firstAt, lastAt, count, transitions[], okAt? }`, written when an incident
 * opens (and on `OK`); each further `ALARM` transition within the window is one object of its own
 * under `storms/<alarm-hash>/<incident-hash>/`, so the count and the latest time are the marker's
 * plus those objects'. The window slides: a transition within `windowMs` of the latest one joins
 * the open incident; a later one opens a new incident. Writes are S3 conditional writes
 * (`If-None-Match: *` to create, `If-Match: <etag>` to replace the marker) retried on 412 after a
 * jittered backoff; a marker that cannot be read (being rewritten, a partial body) or a call that
 * timed out is retried too, not an error. Each transition is counted once: its object's key is
 * derived from its id, so a redelivery writes nothing new. S3 keeps the marker with the
 * diagnoses (no extra table to deploy); DynamoDB would serve equally. `alarm-hash` is the first
 * 16 hex of sha256(alarm ARN or name).
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Incident } from '../../core/model/incident.js';
import type { AlarmStormGuard, StormDecision, StormMarker } from '../../core/diagnose/ports.js';
import { DEFAULT_STORM_WINDOW_MS, markerKeyOf } from '../../core/diagnose/storm.js';

export type { StormDecision, StormMarker } from '../../core/diagnose/ports.js';
import { classifyAwsError, httpStatusOf } from './aws-errors.js';
import { backoffWithJitter } from './bounds.js';

/** Default conflict retries: enough for dozens of concurrent deliveries of one alarm. */
const DEFAULT_MAX_CONFLICTS = 200;
/** Default time spent retrying lost races before giving up, ms. */
const DEFAULT_MAX_WAIT_MS = 30_000;

/** Marks a marker that exists but could not be read whole: retried like a lost race. */
const UNREADABLE = Symbol('unreadable');

export interface S3AlarmStormGuardOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Window, ms; default 30 minutes. */
  readonly windowMs?: number;
  readonly kmsKeyId?: string;
  /** Per-call time bound, ms; default 5000. */
  readonly timeoutMs?: number;
  /** Conditional-write retries on 412 (or an unreadable marker, or a timed-out call), with jittered backoff; default 200. */
  readonly maxConflicts?: number;
  /** Time spent retrying before {@link StormMarkerConflictError}, ms; default 30 000. */
  readonly maxWaitMs?: number;
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
   *
   * Folded transitions do not rewrite the marker: each is one object of its own under
   * `storms/<alarm-hash>/<incident-id>/` (`<time-ms>-<id-hash>.json`, written with
   * `If-None-Match: *`, so a redelivery is a no-op), and the count and latest time are read by
   * listing them. Only opening an incident writes the marker, so concurrent deliveries of a storm
   * do not race on one object (50 at once used to exhaust every retry).
   * @throws StormMarkerConflictError after `maxConflicts` lost races; SDK errors otherwise.
   */
  async admit(incident: Incident): Promise<StormDecision> {
    const key = this.markerKey(incident);
    if (!key) return { kind: 'new', incidentId: incident.id, count: 1, key: '' };
    const at = incident.occurredAt;
    const t = Date.parse(at);
    for (let attempt = 0, started = Date.now(); this.mayRetry(attempt, started); attempt++) {
      if (attempt > 0) await backoffWithJitter(attempt - 1, 20, 1000);
      const current = await this.read(key);
      if (current === UNREADABLE) continue;
      const m = current?.marker;
      if (m && m.incidentId === incident.id) {
        const view = await this.withFolds(key, m);
        return { kind: 'replay', incidentId: m.incidentId, count: view.count, key, firstAt: view.firstAt, lastAt: view.lastAt };
      }
      if (m) {
        const folds = await this.folds(key, m.incidentId);
        const mine = transitionKey(key, m.incidentId, incident.id, t);
        const view = this.view(m, folds);
        if (m.transitions.some((x) => x.id === incident.id) || folds.some((f) => f.key === mine)) {
          return { kind: 'folded', incidentId: m.incidentId, count: view.count, key, firstAt: view.firstAt, lastAt: view.lastAt };
        }
        if (Math.abs(t - Date.parse(view.lastAt)) <= this.windowMs) {
          await this.putTransition(mine, { id: incident.id, state: 'ALARM', at });
          const after = this.view(m, await this.folds(key, m.incidentId));
          return { kind: 'folded', incidentId: m.incidentId, count: after.count, key, firstAt: after.firstAt, lastAt: after.lastAt };
        }
      }
      const next: StormMarker = {
        alarm: incident.alarm!.arn ?? incident.alarm!.name, incidentId: incident.id, firstAt: at, lastAt: at, count: 1,
        transitions: [{ id: incident.id, state: 'ALARM', at }],
      };
      if (await this.write(key, next, current?.etag)) {
        return { kind: 'new', incidentId: next.incidentId, count: 1, key, firstAt: at, lastAt: at };
      }
    }
    throw new StormMarkerConflictError(key);
  }

  /**
   * The marker of the alarm's open incident as stored now, its count and latest time including
   * the folded transitions, or undefined (no alarm, no marker).
   * @throws the SDK error when S3 fails.
   */
  async current(incident: Incident): Promise<StormMarker | undefined> {
    const key = this.markerKey(incident);
    if (!key) return undefined;
    for (let attempt = 0, started = Date.now(); this.mayRetry(attempt, started); attempt++) {
      if (attempt > 0) await backoffWithJitter(attempt - 1, 20, 1000);
      const current = await this.read(key);
      if (current !== UNREADABLE) return current ? this.withFolds(key, current.marker) : undefined;
    }
    throw new StormMarkerConflictError(key);
  }

  /**
   * Records an `OK` transition on the alarm's open incident.
   * @returns the open incident's marker after the update, or undefined when none is open.
   */
  async recordOk(incident: Incident): Promise<StormMarker | undefined> {
    const key = this.markerKey(incident);
    if (!key) return undefined;
    for (let attempt = 0, started = Date.now(); this.mayRetry(attempt, started); attempt++) {
      if (attempt > 0) await backoffWithJitter(attempt - 1, 20, 1000);
      const current = await this.read(key);
      if (current === UNREADABLE) continue;
      if (!current) return undefined;
      const m = current.marker;
      if (m.transitions.some((x) => x.id === incident.id)) return this.withFolds(key, m);
      const next: StormMarker = {
        ...m, okAt: incident.occurredAt,
        transitions: [...m.transitions, { id: incident.id, state: incident.state ?? 'OK', at: incident.occurredAt }].slice(-50),
      };
      if (await this.write(key, next, current.etag)) return this.withFolds(key, next);
    }
    throw new StormMarkerConflictError(key);
  }

  /** The marker with its count, first and latest time over the folded transitions too. */
  private async withFolds(key: string, m: StormMarker): Promise<StormMarker> {
    return this.view(m, await this.folds(key, m.incidentId));
  }

  private view(m: StormMarker, folds: ReadonlyArray<{ key: string; at: number }>): StormMarker {
    let first = Date.parse(m.firstAt);
    let last = Date.parse(m.lastAt);
    for (const f of folds) {
      if (f.at < first) first = f.at;
      if (f.at > last) last = f.at;
    }
    return { ...m, count: m.count + folds.length, firstAt: new Date(first).toISOString(), lastAt: new Date(last).toISOString() };
  }

  /** The folded transitions of incident `incidentId` (keys and times), by listing; bounded to 100 pages. */
  private async folds(key: string, incidentId: string): Promise<Array<{ key: string; at: number }>> {
    const prefix = foldPrefix(key, incidentId);
    const out: Array<{ key: string; at: number }> = [];
    let token: string | undefined;
    for (let page = 0, attempt = 0, started = Date.now(); page < 100; page++) {
      let listed;
      try {
        listed = await this.options.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }), { abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
      } catch (error) {
        // A listing cut by its time bound is read again (after a jittered pause), not an error.
        if (!isTimeout(error) || !this.mayRetry(++attempt, started)) throw error;
        await backoffWithJitter(attempt - 1, 20, 1000);
        page--;
        continue;
      }
      for (const o of listed.Contents ?? []) {
        const at = Number(/\/(\d+)-[0-9a-f]+\.json$/.exec(o.Key ?? '')?.[1]);
        if (o.Key && Number.isFinite(at)) out.push({ key: o.Key, at });
      }
      token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
      if (!token) break;
    }
    return out;
  }

  /** Writes one folded transition; an existing one (a redelivery, or a retry of a timed-out write) is fine. */
  private async putTransition(key: string, transition: StormMarker['transitions'][number]): Promise<void> {
    for (let attempt = 0, started = Date.now(); this.mayRetry(attempt, started); attempt++) {
      if (attempt > 0) await backoffWithJitter(attempt - 1, 20, 1000);
      try {
        await this.options.client.send(new PutObjectCommand({
          Bucket: this.options.bucket, Key: key, Body: JSON.stringify(transition), ContentType: 'application/json; charset=utf-8',
          ...(this.options.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.options.kmsKeyId } : { ServerSideEncryption: 'AES256' }),
          IfNoneMatch: '*',
        }), { abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
        return;
      } catch (error) {
        if (httpStatusOf(error) === 412 || httpStatusOf(error) === 409 || (error as Error).name === 'PreconditionFailed') return;
        if (!isTimeout(error)) throw error;
      }
    }
    throw new StormMarkerConflictError(key);
  }

  private mayRetry(attempt: number, started: number): boolean {
    return attempt === 0 || (attempt <= (this.options.maxConflicts ?? DEFAULT_MAX_CONFLICTS) && Date.now() - started < (this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS));
  }

  /** The marker and its ETag; undefined when there is none; {@link UNREADABLE} when its body could not be read whole. */
  private async read(key: string): Promise<{ marker: StormMarker; etag: string } | undefined | typeof UNREADABLE> {
    let out;
    try {
      out = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }), { abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
    } catch (error) {
      if (classifyAwsError(error) === 'not-found') return undefined;
      if (isTimeout(error)) return UNREADABLE;
      throw error;
    }
    try {
      const marker = JSON.parse(await out.Body!.transformToString('utf-8')) as StormMarker;
      if (!marker || typeof marker !== 'object' || typeof marker.count !== 'number' || !Array.isArray(marker.transitions)) return UNREADABLE;
      return { marker, etag: out.ETag ?? '' };
    } catch {
      return UNREADABLE;
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
      // A timed-out write may or may not have landed: re-reading tells (our transition is there, or not).
      if (isTimeout(error)) return false;
      throw error;
    }
  }
}

/** A call cut by its own time bound (the SDK's abort) rather than refused by S3. */
function isTimeout(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

/** Folder of an incident's folded transitions, beside its alarm's marker. */
function foldPrefix(markerKey: string, incidentId: string): string {
  return `${markerKey.replace(/current\.json$/, '')}${createHash('sha256').update(incidentId).digest('hex').slice(0, 16)}/`;
}

/** Key of one folded transition: its time (ms) and a hash of its id. */
function transitionKey(markerKey: string, incidentId: string, transitionId: string, atMs: number): string {
  return `${foldPrefix(markerKey, incidentId)}${Math.max(0, Math.trunc(atMs) || 0)}-${createHash('sha256').update(transitionId).digest('hex').slice(0, 16)}.json`;
}
