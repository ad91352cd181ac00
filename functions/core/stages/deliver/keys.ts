/**
 * The store key scheme shared by the local directory store and S3:
 * `diagnoses/YYYY/MM/DD/<id>.json|.md|.html` and `quarantine/YYYY/MM/DD/<uuid>.json`.
 */
import type { Diagnosis } from '../../model/diagnosis.js';
import { InvalidInputError } from '../../model/errors.js';
import { STORE_PREFIXES, datePath } from '../../model/store-layout.js';

export { datePath } from '../../model/store-layout.js';

/** Renderings a diagnosis is stored as. */
export type DiagnosisExtension = 'json' | 'md' | 'html';

/** Characters allowed in ids used in keys (S3 "safe characters", no `/`). */
const SAFE_ID = /^[A-Za-z0-9._-]{1,200}$/;

/**
 * Checks that `id` can be used as the last segment of a key.
 * @throws InvalidInputError naming `input` when the id has characters other than `A-Za-z0-9._-`.
 */
export function assertSafeId(id: string, input = 'id'): void {
  if (!SAFE_ID.test(id) || id === '.' || id === '..') {
    throw new InvalidInputError(input, `id ${JSON.stringify(id)} may contain only A-Z a-z 0-9 . _ - (1-200 characters)`);
  }
}

/**
 * The key of one rendering: `diagnoses/YYYY/MM/DD/<id>.<ext>`.
 *
 * The date is the incident's `occurredAt` in UTC, not the diagnosis' `createdAt`: the id derives
 * from the alarm ARN and state-transition time, so a replay diagnosed later (a retried Lambda,
 * a redelivered event after midnight) maps to the very same key and the store's conditional
 * write recognises it. UTC so that keys do not depend on the machine's time zone.
 *
 * @throws InvalidInputError when `occurredAt` is not a time or the id is not key-safe.
 * @example diagnosisKey(d, 'json') // 'diagnoses/2026/11/30/inc-0123456789abcdef0123.json'
 */
export function diagnosisKey(d: Pick<Diagnosis, 'id' | 'incident'>, ext: DiagnosisExtension): string {
  assertSafeId(d.id, 'diagnosis.id');
  return `${STORE_PREFIXES.diagnoses}${datePath(d.incident.occurredAt, 'diagnosis.incident.occurredAt')}/${d.id}.${ext}`;
}

/**
 * The key of a quarantined input: `quarantine/YYYY/MM/DD/<uuid>.json`, dated by when it was
 * received (UTC).
 *
 * @throws InvalidInputError when `receivedAt` is not a time or `uuid` is not key-safe.
 */
export function quarantineKey(receivedAt: string, uuid: string): string {
  assertSafeId(uuid, 'quarantine uuid');
  return `${STORE_PREFIXES.quarantine}${datePath(receivedAt, 'quarantine receivedAt')}/${uuid}.json`;
}
