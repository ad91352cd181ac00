/**
 * Port of the deliver stage and of the API: where diagnoses and quarantined inputs are kept.
 * Key scheme (shared by the local directory store and S3):
 * `diagnoses/YYYY/MM/DD/<id>.json|.md|.html`, `quarantine/YYYY/MM/DD/<uuid>.json`.
 */
import type { Diagnosis } from '../model/diagnosis.js';

/** The renderings of one diagnosis written together. */
export interface DiagnosisRenderings {
  readonly json: string;
  readonly markdown: string;
  readonly html?: string;
}

/** Result of {@link DiagnosisStore.put}. */
export interface PutResult {
  /** Key of the JSON object. */
  readonly key: string;
  /** False when a diagnosis with this id already existed (idempotent replay): nothing was overwritten. */
  readonly created: boolean;
}

/** Query for {@link DiagnosisStore.list}: all filters optional; results newest first. */
export interface DiagnosisQuery {
  /** ISO-8601; only diagnoses created at or after it. */
  readonly since?: string;
  readonly category?: string;
  /** Substring of a resource name or ARN. */
  readonly resource?: string;
  /** Page size, default 20, at most 100. */
  readonly limit?: number;
  /** Opaque token from a previous page. */
  readonly cursor?: string;
}

/** One row of a listing: enough to show and filter without reading the whole document. */
export interface DiagnosisIndexEntry {
  readonly id: string;
  readonly createdAt: string;
  readonly title: string;
  readonly category: string;
  readonly confidence: number;
  readonly severity: string;
  readonly resources: readonly string[];
  readonly key: string;
}

export interface DiagnosisPage {
  readonly items: readonly DiagnosisIndexEntry[];
  readonly nextCursor?: string;
}

/** A raw input that could not be read, kept for replay. */
export interface QuarantineRecord {
  /** The raw payload exactly as received (UTF-8 text, or base64 when it was not valid UTF-8). */
  readonly payload: string;
  readonly encoding: 'utf8' | 'base64';
  /** Where it came from: `alarm-handler`, `cli:alarm.json`, … */
  readonly input: string;
  readonly error: { readonly name: string; readonly code?: string; readonly message: string };
  readonly receivedAt: string;
  /** Set when `payload` is only the head of an input over the size limit: the whole input's size and sha256. */
  readonly truncated?: { readonly bytes: number; readonly sha256: string };
}

/**
 * How often the alarm behind an incident fired: the `ALARM` transitions the storm guard folded
 * into it (`count` includes the first; times are ISO-8601 UTC).
 */
export interface DiagnosisOccurrences {
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
}

export interface DiagnosisStore {
  /** Writes all renderings; never overwrites an existing diagnosis with the same id. */
  put(diagnosis: Diagnosis, renderings: DiagnosisRenderings): Promise<PutResult>;
  /** The diagnosis with this id, or undefined. */
  get(id: string): Promise<Diagnosis | undefined>;
  /** A stored rendering (`md` or `html`) of the diagnosis with this id, or undefined. */
  getRendering?(id: string, format: 'md' | 'html'): Promise<string | undefined>;
  list(query: DiagnosisQuery): Promise<DiagnosisPage>;
  /** Keeps an unreadable input; returns its key. */
  quarantine(record: QuarantineRecord): Promise<string>;
  /** The JSON key of the diagnosis with this id, or undefined; absent where the store cannot tell cheaply. */
  keyOf?(id: string): Promise<string | undefined>;
  /** Records how often the incident's alarm fired (storm folding); absent where storms are not tracked. */
  recordOccurrences?(id: string, occurrences: DiagnosisOccurrences): Promise<unknown>;
  /** How often the incident's alarm fired within the storm window; absent where storms are not tracked. */
  occurrencesOf?(id: string): Promise<{ readonly count: number; readonly firstAt?: string; readonly lastAt?: string } | undefined>;
}
