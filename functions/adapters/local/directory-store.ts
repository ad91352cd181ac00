/**
 * A {@link DiagnosisStore} in a local folder, laid out exactly as the S3 bucket:
 *
 * ```
 * <root>/diagnoses/YYYY/MM/DD/<id>.json | .md | .html
 * <root>/quarantine/YYYY/MM/DD/<uuid>.json
 * <root>/index/diagnoses.jsonl          one DiagnosisIndexEntry per line, appended on create
 * ```
 *
 * Idempotency: the JSON object is the commit point and is created exclusively — written to a
 * temporary file, then hard-linked to its key with `link(2)`, which fails with `EEXIST` exactly
 * like an `O_EXCL` (`wx`) open but never exposes a half-written file; where hard links are not
 * supported the store falls back to `writeFile(…, { flag: 'wx' })`. The Markdown and HTML are
 * written (temp file + rename) before the JSON, and only when the JSON does not exist yet; so a
 * crash never leaves a JSON without its Markdown. Two concurrent puts of the same id create one
 * JSON, but the Markdown/HTML may be the other writer's rendering of the same incident.
 *
 * Listing reads the index file (one line per diagnosis; cheap for thousands of entries, as the
 * S3 adapter's index is meant to be). When the index is missing (a folder copied from a bucket),
 * `list` scans `diagnoses/**` instead, and {@link DirectoryStore.rebuildIndex} writes it anew.
 */
import { randomUUID } from 'node:crypto';
import { access, appendFile, link, mkdir, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnosis } from '../../core/model/diagnosis.js';
import { InvalidInputError } from '../../core/model/errors.js';
import type {
  DiagnosisIndexEntry,
  DiagnosisPage,
  DiagnosisQuery,
  DiagnosisRenderings,
  DiagnosisStore,
  PutResult,
  QuarantineRecord,
} from '../../core/ports/diagnosis-store.port.js';
import { assertSafeId, diagnosisKey, quarantineKey } from '../../core/stages/deliver/keys.js';

/** Path of the index, relative to the root. */
export const INDEX_KEY = 'index/diagnoses.jsonl';
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

function isErrno(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}

/** The listing row of a diagnosis. `resources` holds names and ARNs of everything the incident names. */
export function indexEntryOf(d: Diagnosis, key: string): DiagnosisIndexEntry {
  const inc = d.incident;
  const resources = new Set<string>();
  for (const r of inc.resources) {
    resources.add(r.namespace ? `${r.namespace}/${r.name}` : r.name);
    if (r.arn) resources.add(r.arn);
  }
  if (inc.alarm) {
    resources.add(inc.alarm.name);
    if (inc.alarm.arn) resources.add(inc.alarm.arn);
  }
  if (inc.functionName) resources.add(inc.functionName);
  if (inc.cluster) resources.add(inc.cluster);
  const lead = d.hypotheses[0];
  return {
    id: d.id,
    createdAt: d.createdAt,
    title: inc.title,
    category: lead?.category ?? 'unknown',
    confidence: lead?.confidence ?? 0,
    severity: inc.severity,
    resources: [...resources],
    key,
  };
}

interface Cursor {
  readonly createdAt: string;
  readonly id: string;
}

function encodeCursor(entry: DiagnosisIndexEntry): string {
  return Buffer.from(JSON.stringify({ c: entry.createdAt, i: entry.id }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c?: unknown; i?: unknown };
    if (typeof value.c === 'string' && typeof value.i === 'string') return { createdAt: value.c, id: value.i };
  } catch {
    // fall through
  }
  throw new InvalidInputError('cursor', 'not a cursor returned by a previous page');
}

/** Newest first; ties broken by id, descending, so the order is total. */
function compareEntries(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): number {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  if (ta !== tb) return (Number.isFinite(tb) ? tb : 0) - (Number.isFinite(ta) ? ta : 0);
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * @example
 *   const store = new DirectoryStore('out');
 *   const { key, created } = await store.put(diagnosis, { json, markdown });
 *   const page = await store.list({ category: 'oom_killed', limit: 10 });
 */
export class DirectoryStore implements DiagnosisStore {
  /** Absolute root folder. */
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private abs(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }

  private async writeAtomic(key: string, data: string): Promise<void> {
    const file = this.abs(key);
    const tmp = `${file}.${randomUUID()}.tmp`;
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, file);
  }

  /** Creates `key` with `data` unless it exists; true when this call created it. */
  private async createExclusive(key: string, data: string): Promise<boolean> {
    const file = this.abs(key);
    const tmp = `${file}.${randomUUID()}.tmp`;
    await writeFile(tmp, data, { flag: 'wx' });
    try {
      await link(tmp, file);
      return true;
    } catch (error) {
      if (isErrno(error, 'EEXIST')) return false;
      if (!isErrno(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS')) throw error;
      try {
        await writeFile(file, data, { flag: 'wx' });
        return true;
      } catch (inner) {
        if (isErrno(inner, 'EEXIST')) return false;
        throw inner;
      }
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await access(this.abs(key));
      return true;
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return false;
      throw error;
    }
  }

  /**
   * Writes the renderings under the diagnosis' keys; never overwrites: a diagnosis whose JSON
   * already exists returns `created: false` and nothing is written.
   * @throws InvalidInputError when the id or `incident.occurredAt` cannot make a key.
   */
  async put(diagnosis: Diagnosis, renderings: DiagnosisRenderings): Promise<PutResult> {
    const key = diagnosisKey(diagnosis, 'json');
    if (await this.exists(key)) return { key, created: false };
    await mkdir(path.dirname(this.abs(key)), { recursive: true });
    await this.writeAtomic(diagnosisKey(diagnosis, 'md'), renderings.markdown);
    if (renderings.html !== undefined) await this.writeAtomic(diagnosisKey(diagnosis, 'html'), renderings.html);
    const created = await this.createExclusive(key, renderings.json);
    if (created) {
      await mkdir(path.dirname(this.abs(INDEX_KEY)), { recursive: true });
      await appendFile(this.abs(INDEX_KEY), `${JSON.stringify(indexEntryOf(diagnosis, key))}\n`, { flag: 'a' });
    }
    return { key, created };
  }

  private async readIndex(): Promise<DiagnosisIndexEntry[] | undefined> {
    let text: string;
    try {
      text = await readFile(this.abs(INDEX_KEY), 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
    const entries: DiagnosisIndexEntry[] = [];
    const seen = new Set<string>();
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let entry: DiagnosisIndexEntry;
      try {
        entry = JSON.parse(line) as DiagnosisIndexEntry;
      } catch (error) {
        throw new InvalidInputError(`${this.abs(INDEX_KEY)}:${i + 1}`, 'index line is not JSON; run rebuildIndex()', { cause: error });
      }
      if (!seen.has(entry.id)) {
        seen.add(entry.id);
        entries.push(entry);
      }
    });
    return entries;
  }

  /** Every `diagnoses/**\/*.json` as index entries (used when the index file is missing). */
  private async scan(): Promise<DiagnosisIndexEntry[]> {
    const entries: DiagnosisIndexEntry[] = [];
    const base = this.abs('diagnoses');
    let files: string[];
    try {
      files = (await readdir(base, { recursive: true })) as string[];
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    }
    for (const rel of files.sort()) {
      if (!rel.endsWith('.json')) continue;
      const key = `diagnoses/${rel.split(path.sep).join('/')}`;
      const d = JSON.parse(await readFile(this.abs(key), 'utf8')) as Diagnosis;
      entries.push(indexEntryOf(d, key));
    }
    return entries;
  }

  /** Rewrites `index/diagnoses.jsonl` from the stored JSON documents; returns the entry count. */
  async rebuildIndex(): Promise<number> {
    const entries = await this.scan();
    await mkdir(path.dirname(this.abs(INDEX_KEY)), { recursive: true });
    await this.writeAtomic(INDEX_KEY, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    return entries.length;
  }

  private async entries(): Promise<DiagnosisIndexEntry[]> {
    return (await this.readIndex()) ?? (await this.scan());
  }

  /**
   * The diagnosis with `id`, or undefined.
   * @throws InvalidInputError when `id` is not key-safe.
   */
  async get(id: string): Promise<Diagnosis | undefined> {
    const key = await this.renderingKey(id, 'json');
    if (!key) return undefined;
    try {
      return JSON.parse(await readFile(this.abs(key), 'utf8')) as Diagnosis;
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  /** The stored Markdown or HTML rendering, or undefined when absent. */
  async getRendering(id: string, format: 'md' | 'html'): Promise<string | undefined> {
    const key = await this.renderingKey(id, format);
    if (!key) return undefined;
    try {
      return await readFile(this.abs(key), 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  private async renderingKey(id: string, ext: 'json' | 'md' | 'html'): Promise<string | undefined> {
    assertSafeId(id, 'id');
    const entry = (await this.entries()).find((e) => e.id === id);
    return entry ? entry.key.replace(/\.json$/, `.${ext}`) : undefined;
  }

  /**
   * Lists diagnoses newest first (by `createdAt`, then id), filtered by `since` (inclusive),
   * `category` (exact) and `resource` (case-insensitive substring of any resource name or ARN),
   * `limit` per page (default 20, clamped to 1…100), continuing after `cursor`. The cursor is
   * keyset-based (last item's createdAt and id), so pages stay consistent while new diagnoses arrive.
   *
   * @throws InvalidInputError naming `since`, `limit` or `cursor` when one is malformed.
   */
  async list(query: DiagnosisQuery): Promise<DiagnosisPage> {
    const since = query.since !== undefined ? Date.parse(query.since) : undefined;
    if (since !== undefined && !Number.isFinite(since)) {
      throw new InvalidInputError('since', `not an ISO-8601 time: ${JSON.stringify(query.since)}`);
    }
    if (query.limit !== undefined && !Number.isFinite(query.limit)) {
      throw new InvalidInputError('limit', `not a number: ${String(query.limit)}`);
    }
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_LIMIT)));
    const after = query.cursor !== undefined ? decodeCursor(query.cursor) : undefined;
    const resource = query.resource?.toLowerCase();
    const matches = (await this.entries())
      .filter((e) => since === undefined || Date.parse(e.createdAt) >= since)
      .filter((e) => query.category === undefined || e.category === query.category)
      .filter((e) => resource === undefined || e.resources.some((r) => r.toLowerCase().includes(resource)))
      .sort(compareEntries)
      .filter((e) => after === undefined || compareEntries(e, after) > 0);
    const items = matches.slice(0, limit);
    const last = items[items.length - 1];
    return matches.length > limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
  }

  /** Writes the record as JSON under `quarantine/YYYY/MM/DD/<uuid>.json` (dated by `receivedAt`, else now); returns the key. */
  async quarantine(record: QuarantineRecord): Promise<string> {
    const receivedAt = Number.isFinite(Date.parse(record.receivedAt)) ? record.receivedAt : new Date().toISOString();
    const key = quarantineKey(receivedAt, randomUUID());
    await mkdir(path.dirname(this.abs(key)), { recursive: true });
    await writeFile(this.abs(key), `${JSON.stringify(record, null, 2)}\n`, { flag: 'wx' });
    return key;
  }
}
