/**
 * Ports of the diagnose use case ({@link diagnoseEvent}): the alarm policy's storm guard and tag
 * filter, and an observer for metrics and logs. Adapters implement them: S3 and CloudWatch in
 * Lambda (`adapters/aws`), a directory in local runs (`adapters/local`).
 */
import type { Degradation } from '../model/evidence.js';
import type { Incident } from '../model/incident.js';

/** The marker of an alarm's open incident (one per alarm, `storms/<alarm-hash>/current.json`). */
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

/**
 * Folds repeated `ALARM` transitions of one alarm into one incident and records `OK`
 * transitions on it. Implemented on S3 (Lambda) and on a directory (local runs).
 */
export interface AlarmStormGuard {
  /** Records an `ALARM` transition and decides whether to diagnose it. */
  admit(incident: Incident): Promise<StormDecision>;
  /** Records an `OK` transition on the alarm's open incident; the marker after it, or undefined when none is open. */
  recordOk(incident: Incident): Promise<StormMarker | undefined>;
  /** The marker of the alarm's open incident as stored now, or undefined. */
  current(incident: Incident): Promise<StormMarker | undefined>;
}

/** One required tag: the alarm must carry `key` with exactly `value` (`value` may be empty). */
export interface AlarmTagRequirement {
  readonly key: string;
  readonly value: string;
}

/** What the tag filter says about one alarm. */
export type AlarmTagVerdict =
  | { readonly kind: 'match'; readonly alarmArn: string }
  | { readonly kind: 'mismatch'; readonly alarmArn: string; readonly missing: readonly AlarmTagRequirement[]; readonly reason: string }
  | { readonly kind: 'unknown'; readonly alarmArn?: string; readonly degradation: Degradation };

/** Diagnoses only alarms that carry the required tags (`ALARM_TAG_FILTER`). Never throws. */
export interface AlarmTagFilter {
  check(incident: Incident): Promise<AlarmTagVerdict>;
}

/** The counters the use case emits (CloudWatch metrics in Lambda; nothing locally). */
export type DiagnoseMetric =
  | 'PayloadsQuarantined' | 'EventsIgnored' | 'AlarmOkRecorded' | 'AlarmsIgnoredByTag' | 'AlarmTagCheckFailed'
  | 'AlarmTransitionsFolded' | 'DiagnosesCreated' | 'DiagnosesReplayed' | 'DiagnosesDegraded' | 'OccurrencesNotRecorded';

/** Where the use case reports what it did; every method optional (default: silent). */
export interface DiagnoseObserver {
  count?(metric: DiagnoseMetric): void;
  log?(level: 'info' | 'warn' | 'error', message: string, fields: Readonly<Record<string, unknown>>): void;
}
