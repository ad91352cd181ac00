/**
 * `DiagnosisStore` on Amazon S3.
 *
 * Layout of the bucket (one prefix per purpose, all objects encrypted at rest):
 * - `diagnoses/YYYY/MM/DD/<id>.json|.md|.html` — the diagnosis and its renderings (the port's key scheme);
 * - `ids/<id>.json` — `{ key, createdAt, indexKey }`: id → key pointer, so `get(id)` costs two GETs whatever the date;
 * - `index/<inverted-ms>-<category>-<id>.json` — one small {@link StoredIndexEntry} per diagnosis
 *   (the category is in the key, so a category filter reads no other entries). The inverted
 *   time (`9999999999999 - createdAt ms`, 13 digits) makes S3's ascending key order newest first, so
 *   `list()` pages through `ListObjectsV2` and stops at `since` without reading older entries;
 * - `quarantine/YYYY/MM/DD/<uuid>.json` — unreadable inputs with their error.
 *
 * Idempotency: `put` writes the JSON with `If-None-Match: *` (S3 conditional writes, see
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html); a 412 means the
 * diagnosis exists: nothing is overwritten, `created: false` is returned, and the index entry and
 * pointer are rewritten from the stored document (repairing a write cut short). The `ids/` pointer
 * is written last and checked first, so a plain replay costs one GET.
 *
 * Alarm storms: the diagnosis document is immutable, so the number of `ALARM` transitions folded
 * into an incident lives in its index entry (`occurrences: { count, firstAt, lastAt }`, see
 * {@link S3DiagnosisStore.recordOccurrences}); `list()` returns it with the row and
 * {@link S3DiagnosisStore.occurrencesOf} reads it for one id.
 */
import {
  GetObjectCommand, ListObjectsV2Command, PutObjectCommand, HeadObjectCommand,
  type PutObjectCommandInput, type S3Client,
} from '@aws-sdk/client-s3';
import type { Diagnosis } from '../../core/model/diagnosis.js';
import type {
  DiagnosisIndexEntry, DiagnosisPage, DiagnosisQuery, DiagnosisRenderings, DiagnosisStore, PutResult,
  QuarantineRecord,
} from '../../core/ports/diagnosis-store.port.js';
import type { PriorDiagnosis } from '../../core/model/evidence.js';
import { InvalidInputError } from '../../core/model/errors.js';
import { STORE_PREFIXES, datePath, quarantineUuid } from '../../core/model/store-layout.js';
import { diagnosisKey, type DiagnosisExtension } from '../../core/stages/deliver/index.js';
import type { DiagnosisOccurrences } from '../../core/ports/diagnosis-store.port.js';
import { httpStatusOf, classifyAwsError } from './aws-errors.js';
import { backoffWithJitter, mapLimit } from './bounds.js';

export interface S3DiagnosisStoreOptions {
  /** An S3 client built once per process. */
  readonly client: S3Client;
  readonly bucket: string;
  /** KMS key id or ARN: objects are written with `aws:kms` under it; without it, `AES256`. */
  readonly kmsKeyId?: string;
  /** Key of a rendering; default `diagnoses/YYYY/MM/DD/<id>.<ext>` dated by the incident's `occurredAt` (UTC), so a replay diagnosed later maps to the same key. */
  readonly keyOf?: (diagnosis: Diagnosis, ext: DiagnosisExtension) => string;
  /** Largest object `get` reads, bytes; default 16 MiB. */
  readonly maxObjectBytes?: number;
  /** Most index entries `list` reads per call (a bound on S3 calls); default 1000. */
  readonly maxScan?: number;
  /** Per-call time bound, ms; default 10 000. */
  readonly timeoutMs?: number;
}

/** What an index object holds: a listing row plus what "seen before" needs. */
export interface StoredIndexEntry extends DiagnosisIndexEntry {
  readonly summary: string;
  /** Present once the incident's alarm fired more than once within the storm window. */
  readonly occurrences?: DiagnosisOccurrences;
}

/** The `ids/<id>.json` pointer. `indexKey` is absent in pointers written before it existed. */
interface DiagnosisPointer {
  readonly key: string;
  readonly createdAt: string;
  readonly indexKey?: string;
}

const CONTENT_TYPES: Record<DiagnosisExtension, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MAX_TIME = 9_999_999_999_999;

/** The index row of a diagnosis (leading hypothesis, resources by name and ARN). */
export function indexEntryOf(diagnosis: Diagnosis, key: string): StoredIndexEntry {
  const top = diagnosis.hypotheses[0];
  const resources = new Set<string>();
  for (const r of diagnosis.incident.resources) {
    resources.add(r.name);
    if (r.arn) resources.add(r.arn);
  }
  if (diagnosis.incident.alarm?.name) resources.add(diagnosis.incident.alarm.name);
  if (diagnosis.incident.functionName) resources.add(diagnosis.incident.functionName);
  if (diagnosis.incident.cluster) resources.add(diagnosis.incident.cluster);
  return {
    id: diagnosis.id,
    createdAt: diagnosis.createdAt,
    title: diagnosis.incident.title,
    category: top?.category ?? 'unknown',
    confidence: top?.confidence ?? 0,
    severity: diagnosis.incident.severity,
    resources: [...resources],
    key,
    summary: diagnosis.summary.slice(0, 1000),
  };
}

/**
 * The S3 adapter of {@link DiagnosisStore}.
 *
 * @example
 * const store = new S3DiagnosisStore({ client: new S3Client({}), bucket: 'ops-diagnoses' });
 * const { key, created } = await store.put(diagnosis, { json, markdown, html });
 */
export class S3DiagnosisStore implements DiagnosisStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly kmsKeyId?: string;
  private readonly keyFor: (d: Diagnosis, ext: DiagnosisExtension) => string;
  private readonly maxObjectBytes: number;
  private readonly maxScan: number;
  private readonly timeoutMs: number;

  constructor(options: S3DiagnosisStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.kmsKeyId = options.kmsKeyId;
    this.keyFor = options.keyOf ?? diagnosisKey;
    this.maxObjectBytes = options.maxObjectBytes ?? 16 * 1024 * 1024;
    this.maxScan = options.maxScan ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /**
   * Writes JSON (conditionally), Markdown, HTML, the index entry and the id pointer.
   * @returns `created: false` when a diagnosis with this id already exists (nothing overwritten).
   * @throws the SDK error when S3 refuses a write for another reason than the precondition.
   */
  async put(diagnosis: Diagnosis, renderings: DiagnosisRenderings): Promise<PutResult> {
    checkId(diagnosis.id);
    const pointer = await this.readJsonWritten<{ key: string }>(pointerKey(diagnosis.id));
    if (pointer) return { key: pointer.key, created: false };
    const key = this.keyFor(diagnosis, 'json');
    try {
      await this.putObject(key, renderings.json, 'json', true);
    } catch (error) {
      if (httpStatusOf(error) === 412 || (error as Error).name === 'PreconditionFailed') {
        // Repair the index and pointer from the stored document (its createdAt, not ours).
        const stored = await this.readJsonWritten<Diagnosis>(key);
        if (stored) await this.writeIndex(stored, key, true);
        return { key, created: false };
      }
      throw error;
    }
    await Promise.all([
      this.putObject(this.keyFor(diagnosis, 'md'), renderings.markdown, 'md'),
      renderings.html !== undefined ? this.putObject(this.keyFor(diagnosis, 'html'), renderings.html, 'html') : undefined,
    ]);
    await this.writeIndex(diagnosis, key);
    return { key, created: true };
  }

  /**
   * Key of the stored diagnosis with this id, or undefined — one small GET, so a replayed event
   * can be recognised before the pipeline runs.
   */
  async keyOf(id: string): Promise<string | undefined> {
    checkId(id);
    return (await this.readJson<{ key: string }>(pointerKey(id)))?.key;
  }

  /** The diagnosis with this id, or undefined. @throws InvalidInputError for an id outside `[A-Za-z0-9._-]`. */
  async get(id: string): Promise<Diagnosis | undefined> {
    checkId(id);
    const pointer = await this.readJson<{ key: string }>(pointerKey(id));
    if (!pointer) return undefined;
    return this.readJson<Diagnosis>(pointer.key);
  }

  async getRendering(id: string, format: 'md' | 'html'): Promise<string | undefined> {
    checkId(id);
    const pointer = await this.readJson<{ key: string }>(pointerKey(id));
    if (!pointer) return undefined;
    return this.readText(pointer.key.replace(/\.json$/, `.${format}`));
  }

  /**
   * Records on the diagnosis's index entry how often its alarm fired (the storm guard's counter).
   * Monotonic: a count not above the stored one changes nothing, so concurrent or late updates
   * never lower it; the entry is rewritten with `If-Match` on its ETag and retried on 412.
   * @returns false when no diagnosis with this id is stored yet (the caller records it later).
   * @throws InvalidInputError for a malformed id; the SDK error when S3 fails; an Error after
   *   `maxConflicts` (default 5) lost races.
   */
  async recordOccurrences(id: string, occurrences: DiagnosisOccurrences, maxConflicts = 100): Promise<boolean> {
    checkId(id);
    // The pointer may be being written by the delivery that opened the incident: a read caught
    // half-way (unparseable for a moment) is read again after a jittered pause.
    let pointer: DiagnosisPointer | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        pointer = await this.readJson<DiagnosisPointer>(pointerKey(id));
        break;
      } catch (error) {
        if (!(error instanceof SyntaxError) || attempt >= 20) throw error;
        await backoffWithJitter(attempt, 20, 1000);
      }
    }
    if (!pointer) return false;
    const indexKey = pointer.indexKey ?? (await this.indexKeyFromDocument(pointer.key));
    if (!indexKey) return false;
    for (let attempt = 0; attempt <= maxConflicts; attempt++) {
      // Concurrent folds of one storm race here: back off with jitter; an entry being rewritten
      // (unreadable for a moment) is retried like a lost race.
      if (attempt > 0) await backoffWithJitter(attempt - 1, 20, 1000);
      let current: { text: string; etag?: string } | undefined;
      try {
        // A read that hangs on an entry being rewritten is cut early and read again.
        current = await this.readWithEtag(indexKey, Math.min(this.timeoutMs, 3000));
      } catch (error) {
        if ((error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError') continue;
        throw error;
      }
      if (!current) return false;
      let entry: StoredIndexEntry;
      try {
        entry = JSON.parse(current.text) as StoredIndexEntry;
      } catch {
        continue;
      }
      if ((entry.occurrences?.count ?? 1) >= occurrences.count) return true;
      try {
        await this.putObject(indexKey, JSON.stringify({ ...entry, occurrences }), 'json', false, current.etag ? { IfMatch: current.etag } : {});
        return true;
      } catch (error) {
        if (httpStatusOf(error) === 412 || httpStatusOf(error) === 409 || (error as Error).name === 'PreconditionFailed') continue;
        if ((error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError') continue; // re-read tells whether it landed
        throw error;
      }
    }
    throw new Error(`${indexKey}: index entry kept changing under concurrent updates`);
  }

  /**
   * How often the alarm behind diagnosis `id` fired: the index entry's `occurrences`, or
   * `{ count: 1 }` when it fired once; undefined when no such diagnosis is stored.
   * @throws InvalidInputError for a malformed id.
   */
  async occurrencesOf(id: string): Promise<DiagnosisOccurrences | { readonly count: 1 } | undefined> {
    checkId(id);
    const pointer = await this.readJson<DiagnosisPointer>(pointerKey(id));
    if (!pointer) return undefined;
    const indexKey = pointer.indexKey ?? (await this.indexKeyFromDocument(pointer.key));
    const entry = indexKey ? await this.readJson<StoredIndexEntry>(indexKey) : undefined;
    return entry?.occurrences ?? { count: 1 };
  }

  /**
   * Newest first. Reads index keys page by page, stops at `since`, and reads the small entries it
   * must filter (at most `maxScan` per call). `cursor` is the last index key consumed.
   * @throws InvalidInputError for a bad `since` or `cursor`.
   */
  async list(query: DiagnosisQuery): Promise<DiagnosisPage> {
    const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
    const sinceMs = query.since !== undefined ? Date.parse(query.since) : undefined;
    if (sinceMs !== undefined && Number.isNaN(sinceMs)) throw new InvalidInputError('since', `not an ISO-8601 time: ${query.since}`);
    let startAfter: string | undefined;
    if (query.cursor) {
      startAfter = Buffer.from(query.cursor, 'base64url').toString('utf8');
      if (!startAfter.startsWith(STORE_PREFIXES.index)) throw new InvalidInputError('cursor', 'not a cursor this API returned');
    }
    const items: StoredIndexEntry[] = [];
    let scanned = 0;
    let token: string | undefined;
    for (;;) {
      const page = await this.client.send(new ListObjectsV2Command({
        Bucket: this.bucket, Prefix: STORE_PREFIXES.index, StartAfter: token ? undefined : startAfter, ContinuationToken: token,
        MaxKeys: Math.max(1, Math.min(1000, this.maxScan - scanned)),
      }), { abortSignal: AbortSignal.timeout(this.timeoutMs) });
      const keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => !!k);
      // Entries are read in batches of 16 so a page stops early once `limit` rows matched.
      for (let i = 0; i < keys.length; i += 16) {
        const batch = keys.slice(i, i + 16);
        // The key carries time and category: entries of other categories are never read.
        const entries = await mapLimit(batch, 16, (k) => (query.category && categoryOfIndexKey(k) !== query.category ? Promise.resolve(undefined) : this.readJson<StoredIndexEntry>(k)));
        for (let j = 0; j < batch.length; j++) {
          const k = batch[j]!;
          scanned++;
          if (sinceMs !== undefined && createdMsOfIndexKey(k) < sinceMs) return { items };
          const entry = entries[j];
          if (entry && matches(entry, query)) items.push(entry);
          if (items.length >= limit || scanned >= this.maxScan) {
            const more = i + j + 1 < keys.length || page.IsTruncated === true;
            return { items, nextCursor: more ? Buffer.from(k).toString('base64url') : undefined };
          }
        }
      }
      if (!page.IsTruncated || !page.NextContinuationToken) return { items };
      token = page.NextContinuationToken;
    }
  }

  /**
   * Earlier diagnoses naming `resource` (substring of a name or ARN), newest first, excluding
   * `excludeId`; at most `limit` (default 5), within `sinceDays` (default 30).
   */
  async priorDiagnoses(resource: string, options: { excludeId?: string; limit?: number; sinceDays?: number; now?: Date } = {}): Promise<PriorDiagnosis[]> {
    const now = options.now ?? new Date();
    const since = new Date(now.getTime() - (options.sinceDays ?? 30) * 86_400_000).toISOString();
    const page = await this.list({ resource, since, limit: (options.limit ?? 5) + 1 });
    return (page.items as StoredIndexEntry[])
      .filter((e) => e.id !== options.excludeId)
      .slice(0, options.limit ?? 5)
      .map((e) => ({
        id: e.id, createdAt: e.createdAt, title: e.title, category: e.category, confidence: e.confidence,
        summary: e.summary ?? '', resources: e.resources, key: e.key,
      }));
  }

  /**
   * Keeps an unreadable input at `quarantine/YYYY/MM/DD/<uuid>.json`; returns the key. The uuid is
   * derived from the input name and payload (sha256, UUID-formatted), so a retried delivery of the
   * same payload (Lambda async retries, SQS redelivery) overwrites one record instead of piling up.
   */
  async quarantine(record: QuarantineRecord): Promise<string> {
    const key = `${STORE_PREFIXES.quarantine}${datePath(record.receivedAt, 'receivedAt')}/${quarantineUuid(record.input, record.payload)}.json`;
    await this.putObject(key, JSON.stringify(record, null, 2), 'json');
    return key;
  }

  /**
   * Like {@link readJson}, for objects a concurrent delivery of the same diagnosis may be writing:
   * a body that does not parse (an S3-compatible store without atomic PUTs, such as a local test
   * server, shows an object while its body is still being written) is read as absent, and the
   * conditional write decides.
   */
  private async readJsonWritten<T>(key: string): Promise<T | undefined> {
    try {
      return await this.readJson<T>(key);
    } catch (error) {
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  /** Reads and parses a JSON object; undefined when absent. */
  async readJson<T>(key: string): Promise<T | undefined> {
    const text = await this.readText(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  /** Reads a text object, at most `maxObjectBytes`; undefined when absent. */
  async readText(key: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: AbortSignal.timeout(this.timeoutMs) });
      if ((out.ContentLength ?? 0) > this.maxObjectBytes) {
        throw new InvalidInputError(key, `object is ${out.ContentLength} bytes, above the ${this.maxObjectBytes}-byte bound`);
      }
      return await out.Body!.transformToString('utf-8');
    } catch (error) {
      if (classifyAwsError(error) === 'not-found') return undefined;
      throw error;
    }
  }

  /** True when the object exists. */
  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: AbortSignal.timeout(this.timeoutMs) });
      return true;
    } catch (error) {
      if (classifyAwsError(error) === 'not-found') return false;
      throw error;
    }
  }

  /** Writes the index entry and then the pointer; a `repair` keeps the entry's recorded `occurrences`. */
  private async writeIndex(diagnosis: Diagnosis, key: string, repair = false): Promise<void> {
    const indexKey = indexKeyOf(diagnosis);
    const previous = repair ? await this.readJson<StoredIndexEntry>(indexKey) : undefined;
    const entry: StoredIndexEntry = { ...indexEntryOf(diagnosis, key), ...(previous?.occurrences ? { occurrences: previous.occurrences } : {}) };
    await this.putObject(indexKey, JSON.stringify(entry), 'json');
    const pointer: DiagnosisPointer = { key, createdAt: diagnosis.createdAt, indexKey };
    await this.putObject(pointerKey(diagnosis.id), JSON.stringify(pointer), 'json');
  }

  /** The index key of a stored diagnosis (pointers written before `indexKey` existed). */
  private async indexKeyFromDocument(key: string): Promise<string | undefined> {
    const stored = await this.readJson<Diagnosis>(key);
    return stored ? indexKeyOf(stored) : undefined;
  }

  /** A text object with its ETag; undefined when absent. */
  private async readWithEtag(key: string, timeoutMs = this.timeoutMs): Promise<{ text: string; etag?: string } | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: AbortSignal.timeout(timeoutMs) });
      return { text: await out.Body!.transformToString('utf-8'), etag: out.ETag };
    } catch (error) {
      if (classifyAwsError(error) === 'not-found') return undefined;
      throw error;
    }
  }

  /** One encrypted PUT with the rendering's content type; `ifNoneMatch` makes it conditional. */
  async putObject(key: string, body: string, ext: DiagnosisExtension, ifNoneMatch = false, extra: Partial<PutObjectCommandInput> = {}): Promise<string | undefined> {
    const out = await this.client.send(new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ContentType: CONTENT_TYPES[ext],
      ...(this.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.kmsKeyId } : { ServerSideEncryption: 'AES256' }),
      ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}),
      ...extra,
    }), { abortSignal: AbortSignal.timeout(this.timeoutMs) });
    return out.ETag;
  }
}

/** `index/<inverted13>-<category>-<id>.json` of a diagnosis. */
function indexKeyOf(diagnosis: Diagnosis): string {
  const inverted = String(MAX_TIME - Date.parse(diagnosis.createdAt)).padStart(13, '0');
  return `${STORE_PREFIXES.index}${inverted}-${diagnosis.hypotheses[0]?.category ?? 'unknown'}-${diagnosis.id}.json`;
}

function pointerKey(id: string): string {
  return `${STORE_PREFIXES.ids}${id}.json`;
}

function checkId(id: string): void {
  if (!ID_PATTERN.test(id)) throw new InvalidInputError('id', `not a diagnosis id: ${JSON.stringify(id.slice(0, 200))}`, { code: 'INVALID_ID' });
}

/** The category in an index key `index/<inverted13>-<category>-<id>.json` (categories have no `-`). */
function categoryOfIndexKey(key: string): string {
  const rest = key.slice(STORE_PREFIXES.index.length + 14);
  return rest.slice(0, rest.indexOf('-'));
}

function createdMsOfIndexKey(key: string): number {
  const inverted = Number(key.slice(STORE_PREFIXES.index.length, STORE_PREFIXES.index.length + 13));
  return MAX_TIME - inverted;
}

function matches(entry: StoredIndexEntry, query: DiagnosisQuery): boolean {
  if (query.category && entry.category !== query.category) return false;
  if (query.resource) {
    const needle = query.resource.toLowerCase();
    if (!entry.resources.some((r) => r.toLowerCase().includes(needle))) return false;
  }
  return true;
}
