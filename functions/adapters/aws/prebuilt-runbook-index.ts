/**
 * A runbook index built at packaging time and shipped beside the Lambda bundle
 * (`runbook-index.json`), so a cold start restores it ({@link RunbookIndex.fromJSON}) instead of
 * chunking and indexing every runbook ({@link RunbookIndex.build}).
 *
 * File format (JSON, UTF-8), written by `npm run build:runbook-index`:
 * `{ "kind": "ops-assistant/runbook-index", "builtAt": "<ISO-8601>",
 *    "source": { "documents": <n>, "sha256": "<hex>" }, "index": <SerializedRunbookIndex> }`.
 * `source.sha256` is the fingerprint of the documents it was built from
 * ({@link runbookFingerprint}); the runtime compares it with the runbooks it actually ships and
 * rebuilds when they differ, so a stale file can cost time but never serve old runbooks.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { RunbookDocument } from '../../core/ports/runbook-source.port.js';
import { RunbookIndex, type SerializedRunbookIndex } from '../../core/stages/retrieve/index.js';
import { InvalidInputError, describeError } from '../../core/model/errors.js';

/** File name the runtime looks for beside the bundle. */
export const PREBUILT_RUNBOOK_INDEX_FILE = 'runbook-index.json';
export const PREBUILT_RUNBOOK_INDEX_KIND = 'ops-assistant/runbook-index';

/** What `runbook-index.json` holds. */
export interface PrebuiltRunbookIndex {
  readonly kind: typeof PREBUILT_RUNBOOK_INDEX_KIND;
  readonly builtAt: string;
  readonly source: { readonly documents: number; readonly sha256: string };
  readonly index: SerializedRunbookIndex;
}

/**
 * sha256 (hex) over the documents sorted by path: `path NUL markdown NUL` each. Independent of
 * the order the folder was listed in; any change of a path or a byte of text changes it.
 */
export function runbookFingerprint(docs: readonly RunbookDocument[]): string {
  const hash = createHash('sha256');
  for (const doc of [...docs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(doc.path).update('\u0000').update(doc.markdown).update('\u0000');
  }
  return hash.digest('hex');
}

/** Builds the index of `docs` and wraps it in the file format. */
export async function buildPrebuiltRunbookIndex(docs: readonly RunbookDocument[], now = new Date()): Promise<PrebuiltRunbookIndex> {
  const index = await RunbookIndex.build(docs);
  return { kind: PREBUILT_RUNBOOK_INDEX_KIND, builtAt: now.toISOString(), source: { documents: docs.length, sha256: runbookFingerprint(docs) }, index: index.toJSON() };
}

/** How the runtime got its index. */
export type RunbookIndexOrigin =
  | { readonly kind: 'prebuilt'; readonly file: string }
  | { readonly kind: 'built'; readonly reason: string };

/**
 * Reads `file` and restores the index when it was built from exactly `docs`.
 * @returns the index, or a reason why it cannot be used (stale, unreadable, another format) —
 *   never throws, so the caller falls back to {@link RunbookIndex.build}.
 */
export async function loadPrebuiltRunbookIndex(file: string, docs: readonly RunbookDocument[]): Promise<{ index: RunbookIndex } | { reason: string }> {
  let data: PrebuiltRunbookIndex;
  try {
    data = JSON.parse(await readFile(file, 'utf8')) as PrebuiltRunbookIndex;
  } catch (error) {
    return { reason: `${file} could not be read: ${describeError(error)}` };
  }
  if (data?.kind !== PREBUILT_RUNBOOK_INDEX_KIND || !data.source || !data.index) return { reason: `${file} is not a ${PREBUILT_RUNBOOK_INDEX_KIND} file` };
  const fingerprint = runbookFingerprint(docs);
  if (data.source.sha256 !== fingerprint) {
    return { reason: `${file} was built from other runbooks (${data.source.documents} documents, sha256 ${data.source.sha256.slice(0, 12)}…; shipped: ${docs.length}, ${fingerprint.slice(0, 12)}…)` };
  }
  try {
    return { index: RunbookIndex.fromJSON(data.index) };
  } catch (error) {
    return { reason: error instanceof InvalidInputError ? `${file}: ${error.message}` : `${file} could not be restored: ${describeError(error)}` };
  }
}
