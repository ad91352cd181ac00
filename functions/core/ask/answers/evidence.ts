/**
 * Evidence for the ask answers that read lines themselves (logs, health, latency, "what is wrong
 * with X"): which collected lines are about the workload asked about, each line's time and level,
 * and how a line is quoted (redacted, with `source:line`). Pure: the lines arrive as a
 * {@link CollectedContext} from the composition root's collectors.
 */
import type { CollectedContext, DescribeBlock, KubernetesEvent, KubernetesObject, LogEvent } from '../../model/evidence.js';
import type { AskEntities } from '../intent.js';
import { detectHeader } from '../../stages/analyze/templates/index.js';
import { redact } from '../../stages/compose/index.js';

/** The thing a question asks about, and how the question named it. */
export interface Subject {
  readonly name: string;
  /** `function` (Lambda), `workload` (Kubernetes, ECS service), `service`, `node` (EC2 instance or Kubernetes node), `queue`, `loadBalancer`, `targetGroup`. */
  readonly kind: 'function' | 'workload' | 'service' | 'node' | 'queue' | 'loadBalancer' | 'targetGroup';
}

/** Levels an answer filters by; `FATAL`, `CRITICAL`, `SEVERE`, `PANIC` and `ALERT` count as `ERROR`, `WARNING` as `WARN`, `TRACE` as `DEBUG`. */
export type Level = 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';

/** One log line as the answers use it. */
export interface EvidenceLine {
  /** The line exactly as read (first line of a multi-line event), not yet redacted. */
  readonly text: string;
  /** The message without its header (timestamp, level, thread), for templates. */
  readonly content: string;
  readonly source: string;
  readonly line?: number;
  /** Milliseconds since the Unix epoch, when the event or its header has a full date and time. */
  readonly timestamp?: number;
  readonly level?: Level;
  /** Position in the collected order, to keep the input's order among undated lines. */
  readonly seq: number;
}

/** The subject of a question: the Lambda function first, then the workload, service, node, load balancer, target group, queue. */
export function subjectOf(entities: AskEntities): Subject | undefined {
  if (entities.function) return { name: entities.function, kind: 'function' };
  if (entities.workload) return { name: entities.workload.name, kind: 'workload' };
  if (entities.service) return { name: entities.service, kind: 'service' };
  if (entities.node) return { name: entities.node, kind: 'node' };
  if (entities.loadBalancer) return { name: entities.loadBalancer, kind: 'loadBalancer' };
  if (entities.targetGroup) return { name: entities.targetGroup, kind: 'targetGroup' };
  if (entities.queue) return { name: entities.queue, kind: 'queue' };
  return undefined;
}

/** How the subject is written in an answer: "Lambda function checkout-api", "checkout". */
export function subjectLabel(subject: Subject | undefined): string {
  if (!subject) return 'the system';
  switch (subject.kind) {
    case 'function': return `Lambda function ${subject.name}`;
    case 'queue': return `queue ${subject.name}`;
    case 'loadBalancer': return `load balancer ${subject.name}`;
    case 'targetGroup': return `target group ${subject.name}`;
    case 'node': return /^i-[0-9a-f]{8,17}$/.test(subject.name) ? `EC2 instance ${subject.name}` : `node ${subject.name}`;
    default: return subject.name;
  }
}

const LEVELS: ReadonlyArray<[RegExp, Level]> = [
  [/^(?:error|err|e|fatal|f|crit|critical|severe|panic|alert|emerg|emergency)$/i, 'ERROR'],
  [/^(?:warn|warning|w)$/i, 'WARN'],
  [/^(?:info|i|notice|information)$/i, 'INFO'],
  [/^(?:debug|d|trace|t|verbose|fine|finer|finest)$/i, 'DEBUG'],
];

/** A level as written (`ERROR`, `W`, `warning`, `FATAL`) → {@link Level}; undefined when it is none. */
export function normalizeLevel(written: string | undefined): Level | undefined {
  if (!written) return undefined;
  const w = written.trim().replace(/^\[|\]$/g, '');
  return LEVELS.find(([re]) => re.test(w))?.[1];
}

/** A level word standing on its own near the start of a line (`2026-… WARN  [x] …`, `[ERROR] …`, `level=warn`, PostgreSQL `ERROR:`). */
const LEVEL_WORD = /(?:^|[\s[(|])(?:level=|severity=)?"?(ERROR|ERR|FATAL|CRITICAL|CRIT|SEVERE|PANIC|WARNING|WARN|INFO|NOTICE|DEBUG|TRACE)\b"?(?:[\]):|\s]|$)/i;

/**
 * Failure wording of lines written without a level (kernel and syslog lines, the Lambda runtime,
 * ECS service events): such a line counts as `ERROR`. A line with a level keeps it.
 */
const UNLEVELLED_FAILURE = /\b(?:out of memory|killed process|oom-kill|segfault|kernel panic|no space left on device|task timed out|runtime exited|runtime\.exiterror|unable to place a task|failed to launch a task|is unhealthy|stopped because|exception|traceback|fatal|panic:)/i;

/** The line's level: the header's when it has one, else a level word in its first 60 characters, else ERROR for failure wording. */
function levelOfLine(text: string, headerLevel: string | undefined): Level | undefined {
  const fromHeader = normalizeLevel(headerLevel);
  if (fromHeader) return fromHeader;
  const m = LEVEL_WORD.exec(text.slice(0, 60));
  if (m) return normalizeLevel(m[1]);
  return UNLEVELLED_FAILURE.test(text) ? 'ERROR' : undefined;
}

/** Reads one event: header, time, level. */
export function toEvidenceLine(event: LogEvent, seq: number): EvidenceLine {
  const first = event.message.split('\n', 1)[0]!;
  const header = detectHeader(first);
  return {
    text: first,
    content: header.content,
    source: event.logStream ? `${event.source}/${event.logStream}` : event.source,
    ...(event.line !== undefined ? { line: event.line } : {}),
    ...(event.timestamp ?? header.timestampMs) !== undefined ? { timestamp: event.timestamp ?? header.timestampMs } : {},
    ...(levelOfLine(first, header.level) ? { level: levelOfLine(first, header.level) } : {}),
    seq,
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name as a whole word: not inside a longer name (`checkout` in `c.s.checkout.Cache` and `checkout-7d9f`, not in `checkouts`). */
export function nameMatcher(name: string): RegExp {
  return new RegExp(`(?:^|[^a-z0-9])${escapeRegExp(name.toLowerCase())}(?:$|[^a-z0-9])`, 'i');
}

/** An object name that is the subject's or one of its pods' / replica sets' (`checkout`, `checkout-7d9f8b6c5-x2mqp`). */
export function ownsName(name: string | undefined, subject: string): boolean {
  if (!name) return false;
  const n = name.toLowerCase().replace(/^[a-z]+\//, '');
  const s = subject.toLowerCase();
  return n === s || (n.startsWith(`${s}-`) && /^(?:[a-z0-9]{5,10})(?:-[a-z0-9]{5})?$|^\d+$/.test(n.slice(s.length + 1)));
}

/** Evidence about one subject, and what was left out. */
export interface ScopedEvidence {
  /** True when some evidence names the subject (or no subject was asked about). */
  readonly covered: boolean;
  readonly lines: readonly EvidenceLine[];
  readonly baseline: readonly EvidenceLine[];
  readonly describes: readonly DescribeBlock[];
  readonly events: readonly KubernetesEvent[];
  readonly objects: readonly KubernetesObject[];
  /** Every source the context held (files, log groups), for "the evidence covers …". */
  readonly sources: readonly string[];
  /** Workloads the evidence does cover (describes' `app` labels or names, objects' names), for the reply when it does not cover the subject. */
  readonly otherNames: readonly string[];
}

/** Share of a log source's lines that must name the subject for the source to be about it (a logger or service field names it on nearly every line). */
export const SOURCE_MENTION_SHARE = 0.5;

/**
 * Keeps the evidence about `subject`: a log source (file, log group, stream) whose name contains
 * the subject's name, or half of whose lines name it (an application's logger or service field);
 * describe blocks, events and objects of the subject or its pods (`checkout-7d9f8b6c5-x2mqp`,
 * label `app=checkout`). Without a subject, everything is kept; a subject that is a namespace of
 * the evidence keeps everything too.
 * @example scopeEvidence(context, { name: 'inventory', kind: 'workload' }).covered;
 *   // → false over orders-app.log, which names inventory.shop.svc on 2 of its 7 lines only
 */
export function scopeEvidence(context: CollectedContext, subject: Subject | undefined): ScopedEvidence {
  let seq = 0;
  const lines = context.logs.map((e) => toEvidenceLine(e, seq++));
  const baseline = context.baselineLogs.map((e) => toEvidenceLine(e, seq++));
  const sources = [...new Set([...context.logs, ...context.baselineLogs].map((e) => e.source).concat(context.describes.map((d) => d.source), context.kubernetesEvents.map((e) => e.source)))];
  const otherNames = [...new Set([
    ...context.describes.map((d) => d.fields['Labels']?.match(/\bapp=([a-z0-9-]+)/)?.[1] ?? d.name).filter((n): n is string => Boolean(n)),
    ...context.kubernetesObjects.map((o) => o.metadata?.labels?.app ?? o.metadata?.name).filter((n): n is string => Boolean(n)),
  ])];
  const everything = { covered: true, lines, baseline, describes: context.describes, events: context.kubernetesEvents, objects: context.kubernetesObjects, sources, otherNames };
  if (!subject) return everything;
  // A namespace of the evidence named where a workload stands ("what was deployed to shop"):
  // everything collected from that namespace is about it.
  const namespaces = new Set([...context.describes.map((d) => d.namespace), ...context.kubernetesEvents.map((e) => e.namespace), ...context.kubernetesObjects.map((o) => o.metadata?.namespace)].filter(Boolean));
  if (subject.kind !== 'function' && namespaces.has(subject.name) && !context.describes.some((d) => ownsName(d.name, subject.name))) return everything;

  const re = nameMatcher(subject.name);
  const bySource = new Map<string, { total: number; named: number }>();
  for (const l of [...lines, ...baseline]) {
    const s = bySource.get(l.source) ?? { total: 0, named: 0 };
    s.total++;
    if (re.test(l.text)) s.named++;
    bySource.set(l.source, s);
  }
  const aboutSubject = new Set([...bySource].filter(([source, s]) => re.test(source) || s.named >= SOURCE_MENTION_SHARE * s.total).map(([source]) => source));
  const keep = (l: EvidenceLine) => aboutSubject.has(l.source);
  const labelled = (labels: string | undefined) => labels !== undefined && new RegExp(`\\b(?:app|app\\.kubernetes\\.io/name|k8s-app)=${escapeRegExp(subject.name)}\\b`).test(labels);
  const describes = context.describes.filter((d) => ownsName(d.name, subject.name) || labelled(d.fields['Labels']) || re.test(d.source));
  const events = context.kubernetesEvents.filter((e) => ownsName(e.object, subject.name) || re.test(e.source) && !e.object);
  const objects = context.kubernetesObjects.filter((o) => ownsName(o.metadata?.name, subject.name) || o.metadata?.labels?.app === subject.name);
  const scoped = { lines: lines.filter(keep), baseline: baseline.filter(keep), describes, events, objects };
  const covered = scoped.lines.length + scoped.baseline.length + describes.length + events.length + objects.length > 0;
  return { covered, ...scoped, sources, otherNames: [...new Set(otherNames)].filter((n) => n !== subject.name) };
}

/** A line as an answer quotes it: redacted, control characters shown, cut at 300 characters. */
export function quoteText(text: string): string {
  const safe = redact(text).text;
  return safe.length > 300 ? `${safe.slice(0, 299)}…` : safe;
}

/** Where a line is: `source:line`, or the source alone. */
export function locate(l: { readonly source: string; readonly line?: number }): string {
  return l.line !== undefined ? `${l.source}:${l.line}` : l.source;
}

/** ISO-8601 UTC of a timestamp, seconds precision. */
export function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
