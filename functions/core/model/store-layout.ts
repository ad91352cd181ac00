/**
 * The store layout and the digests that name things in it: one owner, shared by the runtime
 * (S3 and directory stores, the storm guards, the deliver stage) and `infra/` (bucket prefixes
 * in IAM policies and lifecycle rules).
 *
 * - `diagnoses/YYYY/MM/DD/<id>.json|.md|.html`: the reports, dated by `incident.occurredAt` (UTC);
 * - `index/`, `ids/`: listing rows and id → key pointers (S3);
 * - `quarantine/YYYY/MM/DD/<uuid>.json`: unreadable inputs, for replay;
 * - `storms/<alarm-hash>/current.json`: the open incident of an alarm;
 * - `plans/<id>.json`, `audit/YYYY/MM/DD/…`: remediation plans and approval records.
 */
import { createHash } from 'node:crypto';
import { InvalidInputError } from './errors.js';

/** Bucket (or directory) prefixes, one per purpose. */
export const STORE_PREFIXES = {
  diagnoses: 'diagnoses/',
  index: 'index/',
  ids: 'ids/',
  quarantine: 'quarantine/',
  storms: 'storms/',
  /** Remediation plans proposed by `ask` (API function only). */
  plans: 'plans/',
  /** Approval audit records (API function only, with approvals enabled). */
  audit: 'audit/',
} as const;

/** SHA-256 (hex) of one text. */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The stable incident id: `inc-` + the first 20 hex characters of SHA-256 over `seed`. Seeds are
 * built by each reader so that a repeated delivery gives the same id.
 */
export function incidentIdOf(seed: string): string {
  return `inc-${sha256Text(seed).slice(0, 20)}`;
}

/** SHA-256 (hex) over `parts`, each followed by a NUL so that `['ab','c']` and `['a','bc']` differ. */
export function sha256Hex(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('hex');
}

/** A short stable digest (the first `length` hex characters of {@link sha256Hex}). */
export function shortDigest(parts: readonly string[], length = 20): string {
  return sha256Hex(parts).slice(0, length);
}

/** `YYYY/MM/DD` of an ISO-8601 time, in UTC. @throws InvalidInputError naming `input` when it is not a time. */
export function datePath(iso: string, input = 'time'): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new InvalidInputError(input, `not an ISO-8601 time: ${JSON.stringify(iso)}`);
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}

/** The marker key of an alarm's open incident: `storms/<first 16 hex of sha256(alarm ARN or name)>/current.json`. */
export function stormMarkerKey(alarm: string): string {
  return `${STORE_PREFIXES.storms}${sha256Text(alarm).slice(0, 16)}/current.json`;
}

/**
 * The uuid-shaped name of a quarantined input, derived from its input name and payload (so a
 * redelivered payload maps to the same record).
 */
export function quarantineUuid(input: string, payload: string): string {
  const hex = createHash('sha256').update(input).update('\u0000').update(payload).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
