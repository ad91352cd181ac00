/**
 * The incident of a run without an event, read from the evidence itself:
 *
 * - **time**: `--at` when given, else the timestamp of the last failure line (an error, a
 *   failed probe, a kill, a back-off, a Warning event), else the last timestamp in the evidence,
 *   else the clock. The window and the baseline are relative to that time, so a log from 2020 is
 *   diagnosed as of 2020 and the same file gives the same answer whenever it is run;
 * - **subject**: the pod, deployment, node, PVC, log group or function the evidence names, for
 *   the title, the resources (browse page, filters, e-mail subject, message attributes);
 * - **id**: derived from the content (sha256 of every evidence input, and `--at`), so two
 *   different stdin runs never collide and a rerun of the same input is the same incident.
 */
import type { KubernetesEvent, KubernetesObject, LogEvent } from '../model/evidence.js';
import type { Incident, ResourceRef } from '../model/incident.js';
import { SUBJECT_KINDS, canonicalKind } from '../model/kubernetes-kinds.js';
import { sha256Hex } from '../model/store-layout.js';
import type { PartialContext } from '../ports/collector.port.js';
import { manualIncident, parseTime } from '../stages/normalize/index.js';

/** One evidence input read before the run: what it parsed into and the digest of its bytes. */
export interface EvidenceDocument {
  /** Collector name in `degraded` entries, e.g. `file:pod.txt`, `file:stdin`. */
  readonly name: string;
  /** What the input names itself in evidence references (a path, `stdin`). */
  readonly source: string;
  readonly parts: PartialContext;
  /** SHA-256 (hex) of the input's bytes. */
  readonly sha256: string;
}

/** Words that make a line a failure line. */
const FAILURE_RE = /\b(error|err|errors|fatal|panic|exception|fail(?:ed|ure|ing)?|killed|oomkilled|oom|crash(?:ed|loopbackoff)?|back-?off|timed? ?out|refused|denied|forbidden|unhealthy|unavailable|evicted|unreachable|cannot|could not|unable)\b/i;
const NOT_FAILURE_RE = /\b(level|lvl|severity)[=:]\s*"?(info|debug|trace)\b/i;

/** True when a log line reads as a failure. */
export function isFailureLine(message: string): boolean {
  return FAILURE_RE.test(message) && !NOT_FAILURE_RE.test(message);
}

function eventTime(e: KubernetesEvent): number | undefined {
  return e.age && /^\d{4}-\d{2}-\d{2}/.test(e.age) ? parseTime(e.age) : undefined;
}

/**
 * The time the evidence is about, ms: the last failure line's timestamp, else the last
 * timestamp; undefined when nothing in it is dated.
 */
export function evidenceTime(parts: readonly PartialContext[]): number | undefined {
  let lastFailure: number | undefined;
  let last: number | undefined;
  const see = (t: number | undefined, failure: boolean): void => {
    if (t === undefined || !Number.isFinite(t)) return;
    if (last === undefined || t > last) last = t;
    if (failure && (lastFailure === undefined || t > lastFailure)) lastFailure = t;
  };
  for (const p of parts) {
    for (const e of [...(p.logs ?? []), ...(p.baselineLogs ?? [])] as LogEvent[]) see(e.timestamp, isFailureLine(e.message));
    for (const e of p.kubernetesEvents ?? []) see(eventTime(e), e.type === 'Warning');
  }
  return lastFailure ?? last;
}

function looksUnhealthy(o: KubernetesObject): boolean {
  return /CrashLoopBackOff|Error|OOMKilled|ImagePull|ErrImage|Pending|Failed|NotReady|Evicted|Unknown|ContainerCreating|Lost/.test(JSON.stringify(o.status ?? {}));
}

/** `pod/checkout-7c9` or `Pod/checkout-7c9` → kind and name. */
function splitObjectRef(ref: string): { kind?: string; name: string } {
  const slash = ref.indexOf('/');
  return slash > 0 ? { kind: canonicalKind(ref.slice(0, slash)), name: ref.slice(slash + 1) } : { name: ref };
}

/**
 * The resource the evidence is about: a described object (`kubectl describe`), else the object of
 * the last Warning event, else an unhealthy object, else the first object, by {@link SUBJECT_KINDS}
 * order; else the log group (and its Lambda function) the logs came from. Undefined when the
 * evidence names none.
 */
export function evidenceSubject(parts: readonly PartialContext[]): ResourceRef | undefined {
  const rank = (kind: string | undefined): number => {
    const i = SUBJECT_KINDS.indexOf(canonicalKind(kind) ?? '');
    return i < 0 ? SUBJECT_KINDS.length : i;
  };
  const best = <T>(items: readonly T[], kindOf: (t: T) => string | undefined): T | undefined => {
    let chosen: T | undefined;
    for (const item of items) if (rank(kindOf(item)) < SUBJECT_KINDS.length && (chosen === undefined || rank(kindOf(item)) < rank(kindOf(chosen)))) chosen = item;
    return chosen;
  };
  const describes = parts.flatMap((p) => p.describes ?? []).filter((d) => d.name);
  const described = best(describes, (d) => d.kind);
  if (described) return ref(canonicalKind(described.kind)!, described.name!, described.namespace);
  const warnings = parts.flatMap((p) => p.kubernetesEvents ?? []).filter((e) => e.type === 'Warning' && e.object);
  for (let i = warnings.length - 1; i >= 0; i--) {
    const { kind, name } = splitObjectRef(warnings[i]!.object!);
    if (kind && SUBJECT_KINDS.includes(kind)) return ref(kind, name, warnings[i]!.namespace);
  }
  const objects = parts.flatMap((p) => p.kubernetesObjects ?? []).filter((o) => o.metadata?.name && o.kind !== 'Event');
  const object = best(objects.filter(looksUnhealthy), (o) => o.kind) ?? best(objects, (o) => o.kind);
  if (object) return ref(canonicalKind(object.kind)!, object.metadata.name!, object.metadata.namespace);
  for (const p of parts) {
    for (const e of p.logs ?? []) {
      const group = (e as LogEvent & { logGroup?: string }).logGroup;
      if (group) return { type: 'AWS::Logs::LogGroup', name: group };
    }
  }
  return undefined;
}

function ref(type: string, name: string, namespace: string | undefined): ResourceRef {
  return { type, name, ...(namespace ? { namespace } : {}) };
}

/** Options of {@link incidentFromEvidence}. */
export interface EvidenceIncidentOptions {
  /** The incident's time (`--at`); default: read from the evidence. */
  readonly at?: Date;
  /** The clock, used only when the evidence has no timestamp at all. */
  readonly now?: () => Date;
  readonly lookbackMinutes?: number;
}

/**
 * The incident of an evidence-only run (see the module comment).
 * @throws InvalidInputError when `lookbackMinutes` is out of range.
 * @example
 * const incident = incidentFromEvidence([{ name: 'file:app.log', source: 'app.log', parts, sha256 }]);
 * incident.occurredAt; // the last error line's time
 */
export function incidentFromEvidence(documents: readonly EvidenceDocument[], options: EvidenceIncidentOptions = {}): Incident {
  const parts = documents.map((d) => d.parts);
  const at = options.at?.getTime() ?? evidenceTime(parts) ?? (options.now ?? (() => new Date()))().getTime();
  const subject = evidenceSubject(parts);
  const input = documents.map((d) => d.source).join(', ');
  const lambda = subject?.type === 'AWS::Logs::LogGroup' && /^\/aws\/lambda\/([^/]+)$/.exec(subject.name)?.[1];
  const resources: ResourceRef[] = subject ? [subject] : [];
  if (lambda) resources.push({ type: 'AWS::Lambda::Function', name: lambda });
  const about = lambda ? `Lambda function ${lambda}` : subject ? `${subject.type === 'AWS::Logs::LogGroup' ? 'log group' : subject.type} ${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}` : undefined;
  return manualIncident({
    input,
    title: `Local diagnosis${about ? ` of ${about}` : ''}${input ? ` (${input.length > 60 ? `${input.slice(0, 59)}…` : input})` : ''}`,
    now: new Date(at),
    lookbackMinutes: options.lookbackMinutes,
    resources,
    ...(lambda ? { functionName: lambda } : {}),
    seed: `evidence:${sha256Hex([...documents.map((d) => d.sha256), options.at ? options.at.toISOString() : ''])}`,
  });
}
