/**
 * The diagnose use case: one lifecycle every entry point drives (the Lambda handlers, the API's
 * `POST /v1/diagnoses`, `ops-assistant diagnose`, `serve`, and `ask` when it needs a diagnosis).
 *
 * 1. **Read**: normalize the event (parsed JSON or raw text); an input that cannot be read is
 *    quarantined through the store port and the error rethrown. Without an event, the incident
 *    comes from the evidence: its time, subject and id ({@link incidentFromEvidence}).
 * 2. **Alarm policy**: an alarm configuration change or a state other than `ALARM`/`OK` is ignored;
 *    `OK` is recorded on the open incident and never diagnosed; a repeated `ALARM` within the storm
 *    window is folded into the open incident; with a tag filter, an alarm lacking a required tag is
 *    ignored (a check that cannot run becomes a `degraded` entry); an informational event is ignored.
 * 3. **Diagnose**: a diagnosis already stored under the incident's id is answered from the store;
 *    otherwise the pipeline runs with every degradation (startup: a model that did not load;
 *    policy: a tag check that could not run) and timing (`normalize`) passed in, so compose sees
 *    them once.
 * 4. **Deliver**: store the renderings and publish the incident message once.
 *
 * Pure core: every outside dependency arrives through {@link DiagnoseDeps} (ports beside it in
 * `ports.ts`), built once per process by a composition root.
 */
import type { Diagnosis } from '../model/diagnosis.js';
import type { Degradation } from '../model/evidence.js';
import type { Incident, ResourceRef } from '../model/incident.js';
import { InvalidInputError, OpsAssistantError, describeError } from '../model/errors.js';
import type { Collector } from '../ports/collector.port.js';
import type { DiagnosisStore } from '../ports/diagnosis-store.port.js';
import type { Notifier } from '../ports/notifier.port.js';
import { runPipeline, type PipelineDeps } from '../pipeline.js';
import { normalizeEvent, parseEventJson } from '../stages/normalize/index.js';
import { deliver } from '../stages/deliver/index.js';
import { evidenceSubject, evidenceTime, incidentFromEvidence, type EvidenceDocument } from './evidence-incident.js';
import { parseEvidenceText } from '../stages/collect/index.js';
import type { AlarmStormGuard, AlarmTagFilter, DiagnoseObserver } from './ports.js';

/** Incident sources that are alarm state transitions (configuration changes are not). */
const ALARM_SOURCES: ReadonlySet<string> = new Set(['cloudwatch-alarm', 'cloudwatch-alarm-sns', 'cloudwatch-alarm-action']);

/** What one run is asked to diagnose. */
export interface DiagnoseInput {
  /**
   * The event: its parsed JSON (`payload`), its raw text or bytes (`raw`, parsed when `payload`
   * is absent and kept in quarantine when it cannot be read), or both.
   */
  readonly event?: {
    readonly payload?: unknown;
    readonly raw?: string | Uint8Array;
    /** Names the input in errors and labels (a path, `stdin`, `body`, `alarm-handler`). */
    readonly input: string;
    /** Names the input in a quarantine record; default `input`. */
    readonly quarantineAs?: string;
  };
  /** An incident already read (ask builds one from a question); takes the place of `event`. */
  readonly incident?: Incident;
  /** Evidence read up front (files, stdin, texts): collected with the incident's own collectors. */
  readonly evidence?: readonly EvidenceDocument[];
  /** The incident's time when there is no event (`--at`); default: read from the evidence. */
  readonly at?: Date;
  /** Keep an unreadable event in the store's quarantine; default true. */
  readonly quarantine?: boolean;
  /** Called with the quarantine key of an unreadable event, before its error is rethrown. */
  readonly onQuarantined?: (key: string) => void;
  /** Publish the incident message of a new diagnosis; default true. */
  readonly notify?: boolean;
  /** When the diagnosis was already stored, return the stored document (API); default false. */
  readonly returnStored?: boolean;
  /** Collect budget of this run, ms (e.g. from a Lambda's remaining time); default the deps' or 10 000. */
  readonly budgetMs?: number;
  /** Aborts collection early. */
  readonly signal?: AbortSignal;
  /**
   * What the caller knows of where the incident is (`diagnose --namespace/--cluster`): used when
   * the event and the evidence do not say it (the incident's own namespace and cluster, and its
   * resources', come first), so the remediation commands name it instead of `<namespace>`.
   */
  readonly context?: { readonly namespace?: string; readonly cluster?: string };
  /** Called with each pipeline stage's name as it starts (`collect`, `analyze`, …): progress. */
  readonly onStage?: (stage: string) => void;
  /**
   * Called with the composed diagnosis before it is delivered, so an entry point can still show
   * it when storing or publishing it fails.
   */
  readonly onDiagnosis?: (diagnosis: Diagnosis) => void;
}

/** What a run did. */
export type DiagnoseOutcome =
  | {
      readonly status: 'diagnosed'; readonly incident: Incident; readonly incidentId: string;
      /** JSON key in the store; absent when nothing was stored (no store). */
      readonly key?: string;
      readonly created: boolean; readonly messageId?: string; readonly degraded: number;
      /** The diagnosis; absent when a stored one was recognised and `returnStored` was not asked. */
      readonly diagnosis?: Diagnosis;
    }
  | { readonly status: 'folded'; readonly incident: Incident; readonly incidentId: string; readonly count: number }
  | { readonly status: 'ok-recorded'; readonly incident: Incident; readonly incidentId?: string }
  | { readonly status: 'ignored'; readonly incident: Incident; readonly incidentId: string; readonly reason: string };

/** Everything the use case needs; a composition root builds it once per process. */
export interface DiagnoseDeps {
  /** Where diagnoses and quarantined inputs go; none: nothing is stored or quarantined (`--no-write`). */
  readonly store?: DiagnosisStore;
  /** The pipeline's dependencies; `collectorsFor` gives the incident's own collectors (logs, metrics, EKS, prior diagnoses). */
  readonly pipeline: Omit<PipelineDeps, 'collectors' | 'signal'> & { collectorsFor(incident: Incident): readonly Collector[] };
  /** Alarm policy ports; without a storm guard, `ALARM` transitions are never folded and `OK` is not recorded anywhere (still not diagnosed). */
  readonly alarms?: { readonly stormGuard?: AlarmStormGuard; readonly tagFilter?: AlarmTagFilter };
  /** Delivery: notifier (none: no message), HTML renderer, report links. */
  readonly delivery?: { readonly notifier?: Notifier; readonly chatNotifier?: Notifier; readonly renderHtml?: (d: Diagnosis) => string; readonly reportUrl?: (key: string) => string; readonly reportLocation?: (key: string) => string };
  /** Problems met while starting (a model or runbooks that did not load), added to every diagnosis. */
  readonly startupDegraded?: readonly Degradation[] | (() => readonly Degradation[]);
  /** Minutes before `occurredAt` the window starts (`LOG_LOOKBACK_MINUTES`). */
  readonly lookbackMinutes?: number;
  /** Clock: `createdAt`, quarantine times, and the time of undated evidence. */
  readonly now?: () => Date;
  readonly observer?: DiagnoseObserver;
}

/**
 * Runs the diagnose use case once (see the module comment).
 *
 * @throws the normalize stage's `UnsupportedEventError` / `InvalidInputError` for an unreadable
 *   event (after quarantining it); `InvalidInputError` when there is neither an event nor
 *   evidence; whatever the store or notifier throws after retries.
 * @example
 * const outcome = await diagnoseEvent({ event: { payload: alarmEvent, input: 'alarm-handler' } }, deps);
 * if (outcome.status === 'diagnosed') console.log(outcome.key);
 */
export async function diagnoseEvent(input: DiagnoseInput, deps: DiagnoseDeps): Promise<DiagnoseOutcome> {
  const now = deps.now ?? (() => new Date());
  const count = (metric: Parameters<NonNullable<DiagnoseObserver['count']>>[0]): void => deps.observer?.count?.(metric);
  const started = performance.now();
  const incident = withContext(await readIncident(input, deps, now), input.context);
  const normalizeMs = Math.round((performance.now() - started) * 10) / 10;

  const policy = await applyAlarmPolicy(incident, deps);
  if ('status' in policy) return policy;

  const store = deps.store;
  // A redelivered event whose diagnosis is stored: answer without collecting again.
  const existing = store?.keyOf ? await store.keyOf(incident.id) : undefined;
  if (existing) {
    count('DiagnosesReplayed');
    const stored = input.returnStored ? await store!.get(incident.id) : undefined;
    return { status: 'diagnosed', incident, incidentId: incident.id, key: existing, created: false, degraded: stored?.degraded.length ?? 0, ...(stored ? { diagnosis: stored } : {}) };
  }

  const startup = typeof deps.startupDegraded === 'function' ? deps.startupDegraded() : deps.startupDegraded ?? [];
  const evidence = (input.evidence ?? []).map((doc): Collector => ({ name: doc.name, collect: () => Promise.resolve(doc.parts) }));
  const diagnosis = await runPipeline(incident, {
    ...deps.pipeline,
    collectors: [...deps.pipeline.collectorsFor(incident), ...evidence],
    budgetMs: input.budgetMs ?? deps.pipeline.budgetMs,
    signal: input.signal,
    now,
  }, { degraded: [...startup, ...policy.degraded], timings: { normalize: normalizeMs }, ...(input.onStage ? { onStage: input.onStage } : {}) });
  input.onDiagnosis?.(diagnosis);

  if (!store) {
    if (diagnosis.degraded.length) count('DiagnosesDegraded');
    return { status: 'diagnosed', incident, incidentId: diagnosis.id, created: false, degraded: diagnosis.degraded.length, diagnosis };
  }
  const delivered = await deliver(diagnosis, {
    store,
    ...(deps.delivery?.renderHtml ? { renderHtml: deps.delivery.renderHtml } : {}),
    ...(deps.delivery?.reportUrl ? { reportUrl: deps.delivery.reportUrl } : {}),
    ...(deps.delivery?.reportLocation ? { reportLocation: deps.delivery.reportLocation } : {}),
    ...(input.notify !== false && deps.delivery?.notifier ? { notifier: deps.delivery.notifier } : {}),
    ...(input.notify !== false && deps.delivery?.chatNotifier ? { chatNotifier: deps.delivery.chatNotifier } : {}),
  });
  count(delivered.created ? 'DiagnosesCreated' : 'DiagnosesReplayed');
  if (incident.alarm) await recordFoldedWhileDiagnosing(incident, deps);
  if (diagnosis.degraded.length) count('DiagnosesDegraded');
  const result = !delivered.created && input.returnStored ? (await store.get(diagnosis.id)) ?? diagnosis : diagnosis;
  return {
    status: 'diagnosed', incident, incidentId: diagnosis.id, key: delivered.key, created: delivered.created,
    ...(delivered.messageId ? { messageId: delivered.messageId } : {}), degraded: diagnosis.degraded.length, diagnosis: result,
  };
}

/**
 * The incident with the caller's namespace and cluster where it names none (see
 * {@link DiagnoseInput.context}); the incident's id is unchanged.
 */
function withContext(incident: Incident, context: DiagnoseInput['context']): Incident {
  if (!context) return incident;
  const namespace = incident.namespace ?? incident.resources.find((r) => r.namespace)?.namespace ?? context.namespace;
  const cluster = incident.cluster ?? incident.resources.find((r) => r.cluster)?.cluster ?? context.cluster;
  return { ...incident, ...(namespace ? { namespace } : {}), ...(cluster ? { cluster } : {}) };
}

/** Normalizes the event (quarantining what cannot be read), or builds the incident from the evidence. */
async function readIncident(input: DiagnoseInput, deps: DiagnoseDeps, now: () => Date): Promise<Incident> {
  if (input.incident) return input.incident;
  const event = input.event;
  if (!event) {
    if (!input.evidence?.length) throw new InvalidInputError('input', 'nothing to diagnose: give an event and/or evidence');
    return incidentFromEvidence(input.evidence, { at: input.at, now, lookbackMinutes: deps.lookbackMinutes });
  }
  try {
    const payload = event.payload !== undefined ? event.payload : parseEventJson(textOf(event.raw ?? ''), event.input);
    return normalizeEvent(payload, { input: event.input, readEvidence: readEvidenceTexts, ...(deps.lookbackMinutes ? { lookbackMinutes: deps.lookbackMinutes } : {}) });
  } catch (error) {
    if (input.quarantine === false || !deps.store) throw error;
    const raw = event.raw ?? JSON.stringify(event.payload) ?? '';
    const text = typeof raw === 'string' ? raw : validUtf8(raw);
    const key = await deps.store.quarantine({
      payload: text ?? Buffer.from(raw as Uint8Array).toString('base64'),
      encoding: text === undefined ? 'base64' : 'utf8',
      input: event.quarantineAs ?? event.input,
      error: { name: error instanceof Error ? error.name : 'Error', ...(error instanceof OpsAssistantError ? { code: error.code } : {}), message: describeError(error) },
      receivedAt: now().toISOString(),
    });
    deps.observer?.count?.('PayloadsQuarantined');
    deps.observer?.log?.('error', 'payload quarantined', { input: event.quarantineAs ?? event.input, key, error: describeError(error) });
    input.onQuarantined?.(key);
    throw error;
  }
}

/** The time and subject of evidence texts an API body carries without an event (see {@link incidentFromEvidence}). */
function readEvidenceTexts(texts: readonly string[]): { atMs?: number; subject?: ResourceRef } {
  const parts = texts.map((text, i) => {
    try {
      return parseEvidenceText(text, `event:evidence[${i}]`);
    } catch {
      return {};
    }
  });
  const atMs = evidenceTime(parts);
  const subject = evidenceSubject(parts);
  return { ...(atMs !== undefined ? { atMs } : {}), ...(subject ? { subject } : {}) };
}

function textOf(raw: string | Uint8Array): string {
  return typeof raw === 'string' ? raw : new TextDecoder('utf-8').decode(raw);
}

function validUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The alarm policy (see the module comment): an outcome when the incident is not to be
 * diagnosed, else the degradations met on the way.
 */
async function applyAlarmPolicy(incident: Incident, deps: DiagnoseDeps): Promise<DiagnoseOutcome | { degraded: Degradation[] }> {
  const count = (metric: Parameters<NonNullable<DiagnoseObserver['count']>>[0]): void => deps.observer?.count?.(metric);
  const degraded: Degradation[] = [];
  const guard = deps.alarms?.stormGuard;
  if (incident.alarm && !ALARM_SOURCES.has(incident.source)) {
    count('EventsIgnored');
    return { status: 'ignored', incident, incidentId: incident.id, reason: `alarm configuration change (${incident.labels.operation ?? incident.title}), not a state transition` };
  }
  if (incident.alarm) {
    if (incident.state === 'OK') {
      const marker = guard ? await guard.recordOk(incident) : undefined;
      count('AlarmOkRecorded');
      return { status: 'ok-recorded', incident, ...(marker ? { incidentId: marker.incidentId } : {}) };
    }
    if (incident.state !== 'ALARM') {
      count('EventsIgnored');
      return { status: 'ignored', incident, incidentId: incident.id, reason: `alarm state ${incident.state ?? '(none: not a state change)'}` };
    }
    const filter = deps.alarms?.tagFilter;
    if (filter) {
      const verdict = await filter.check(incident);
      if (verdict.kind === 'mismatch') {
        count('AlarmsIgnoredByTag');
        deps.observer?.log?.('info', 'alarm ignored by ALARM_TAG_FILTER', { incidentId: incident.id, alarmArn: verdict.alarmArn, reason: verdict.reason });
        return { status: 'ignored', incident, incidentId: incident.id, reason: verdict.reason };
      }
      if (verdict.kind === 'unknown') {
        count('AlarmTagCheckFailed');
        deps.observer?.log?.('warn', 'alarm tags could not be checked; diagnosing anyway', { incidentId: incident.id, reason: verdict.degradation.reason });
        degraded.push(verdict.degradation);
      }
    }
    if (guard) {
      const decision = await guard.admit(incident);
      if (decision.kind === 'folded') {
        count('AlarmTransitionsFolded');
        // The count goes on the open incident's index entry (the diagnosis document stays as it
        // was). `false`: its diagnosis is not stored yet; the diagnosing run records it.
        await deps.store?.recordOccurrences?.(decision.incidentId, { count: decision.count, firstAt: decision.firstAt!, lastAt: decision.lastAt! });
        return { status: 'folded', incident, incidentId: decision.incidentId, count: decision.count };
      }
    }
  } else if (incident.severity === 'info') {
    count('EventsIgnored');
    return { status: 'ignored', incident, incidentId: incident.id, reason: `informational event (${incident.title})` };
  }
  return { degraded };
}

/**
 * Transitions folded while this incident was being diagnosed found no stored diagnosis to count
 * on; now that it is stored, copy the marker's count onto its index entry. (A fold writes the
 * marker before looking for the diagnosis, and this runs after the diagnosis is stored, so one of
 * the two always sees the other.) A failure here is reported, not thrown: the diagnosis is delivered.
 */
async function recordFoldedWhileDiagnosing(incident: Incident, deps: DiagnoseDeps): Promise<void> {
  const guard = deps.alarms?.stormGuard;
  if (!guard || !deps.store?.recordOccurrences) return;
  try {
    const marker = await guard.current(incident);
    if (marker && marker.incidentId === incident.id && marker.count > 1) {
      await deps.store.recordOccurrences(incident.id, { count: marker.count, firstAt: marker.firstAt, lastAt: marker.lastAt });
    }
  } catch (error) {
    deps.observer?.count?.('OccurrencesNotRecorded');
    deps.observer?.log?.('warn', 'storm count not recorded on the diagnosis', { incidentId: incident.id, error: describeError(error) });
  }
}
