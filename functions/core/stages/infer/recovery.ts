/**
 * Transient failures that recovered are not a cause (readiness probes that failed only while the
 * container started: {@link probeStartupOnly}; warnings of a pod's start that went on and is
 * Running and Ready now: {@link passedWarnings}): a component that could not reach its peer
 * while both were starting (`Connection refused`, `no such host`, a retry loop), then logged that it
 * was up (`listening at …`, `ready to accept connections`, `Connected to …`), was waiting, not
 * failing. Such errors weigh {@link RECOVERED_FACTOR} of their score, and a timeout is no failure
 * state, when every line quoted for them is followed, later in the same source and from the
 * same component, by a line saying the component is up.
 *
 * The component of a line is its `docker compose logs` prefix (`web_1  | …`, `web-1  | …`) when it
 * has one, else the whole source. Recovery words are the emitters' own startup-complete messages:
 * Express and Node/Go servers (`listening on/at`), PostgreSQL and Redis (`ready to accept
 * connections`), mongod (`Waiting for connections`), Spring Boot (`Started X in N seconds`,
 * `Tomcat/Netty/Jetty started on port`), uvicorn (`Application startup complete`), and clients'
 * `Connected to`, `connection established`, `reconnected`.
 */
import type { Category } from '../../model/categories.js';
import type { CollectedContext, EvidenceRef } from '../../model/evidence.js';
import type { FailureStateSeen } from '../../model/analysis.js';
import type { Candidate } from './scoring.js';
import { CAME_UP } from './transient.js';
import { WEIGHTS } from './weights.js';

/** Weight factor of a failure that recovered (`WEIGHTS.transient.startupRace`). */
export const RECOVERED_FACTOR = WEIGHTS.transient.startupRace;

/** Categories whose errors are often transient while peers start (a probe before the server listens too). */
const TRANSIENT: ReadonlySet<Category> = new Set(['dependency_unreachable', 'dns_resolution', 'probe_failure']);

/** A component saying it is up, read from its own startup-complete messages (see the module comment), and `transient.ts`' {@link CAME_UP}. */
const UP_WORDS = /\blistening (?:at|on)\b|\bready to accept connections\b|\bWaiting for connections\b|\bStarted \S{1,80} in \d{1,5}(?:\.\d{1,6})? seconds\b|\b(?:Tomcat|Netty|Jetty|Undertow) started on port\b|\bApplication startup complete\b|\bServer (?:is )?(?:started|running|ready)\b|\b(?:successfully )?connected to\b|\bconnection (?:re-?)?established\b|\breconnected\b|\bstartup complete\b/i;
const UP = new RegExp(`${UP_WORDS.source}|${CAME_UP.source}`, 'i');
/** A line that says something failed is never the recovery. */
const FAILING = /\b(?:refused|fail(?:ed|ure)?|error|unable|cannot|can't|could not|timed? ?out|unreachable|lost|closed)\b/i;
const COMPOSE_PREFIX = /^([\w.-]{1,80}?)\s{1,40}\|\s/;

const componentOf = (text: string): string => COMPOSE_PREFIX.exec(text)?.[1]?.replace(/[-_]\d+$/, '') ?? '';

/** What the logs say of recovery: per source, the lines (number, component) that say a component is up; per source and text, the last line it was seen. */
interface UpLines {
  readonly ups: Map<string, Array<{ line: number; component: string }>>;
  readonly lastSeen: Map<string, number>;
  /** `source\u0000line` of lines reporting that a retried call succeeded. */
  readonly retries: Set<string>;
}

/** A line reporting that a retried call then succeeded (resilience4j `recorded a successful retry attempt`, `succeeded on attempt 2`, `succeeded after retry`). */
const RETRY_OK = /\b(?:succeeded|successful(?:ly)?|recovered|completed)\b.{0,80}\b(?:retry|retries|retried|attempts?)\b|\b(?:succeeded|recovered) (?:on|after)\b/i;

/** Whether a retry succeeding is reported within three lines after the line. */
function retriedOk(ref: EvidenceRef, { retries }: UpLines): boolean {
  if (ref.line === undefined) return false;
  for (let k = 1; k <= 3; k++) if (retries.has(`${ref.source}\u0000${ref.line + k}`)) return true;
  return false;
}

function upLines(context: CollectedContext): UpLines {
  const out = new Map<string, Array<{ line: number; component: string }>>();
  const lastSeen = new Map<string, number>();
  const retries = new Set<string>();
  for (const log of context.logs) {
    if (log.line !== undefined && log.message.length <= 4000 && RETRY_OK.test(log.message)) retries.add(`${log.source}\u0000${log.line}`);
    const key = `${log.source}\u0000${log.message.trim()}`;
    if (log.line !== undefined) lastSeen.set(key, Math.max(lastSeen.get(key) ?? 0, log.line));
    if (log.line === undefined || log.message.length > 4000 || !UP.test(log.message) || FAILING.test(log.message)) continue;
    const list = out.get(log.source) ?? [];
    list.push({ line: log.line, component: componentOf(log.message) });
    out.set(log.source, list);
  }
  return { ups: out, lastSeen, retries };
}

/** Whether the line, and every later repeat of it, is followed by its component saying it is up. */
function recoveredLine(ref: EvidenceRef, { ups, lastSeen }: UpLines): boolean {
  if (ref.line === undefined) return false;
  const component = componentOf(ref.text);
  const last = Math.max(ref.line, lastSeen.get(`${ref.source}\u0000${ref.text.trim()}`) ?? 0);
  return (ups.get(ref.source) ?? []).some((u) => u.line > last && u.component === component);
}

/** A readiness or startup probe failure (kubelet `prober`): the container is not restarted for it. */
const READINESS_FAILED = /\b(?:Readiness|Startup) probe failed\b/;
/** A describe `Events:` age column: `18m (x3 over 18m)` (last seen, count, first seen). */
const EVENT_AGE = /\b(\d{1,4})([smhd]) \(x(\d{1,6}) over (\d{1,4})([smhd])\)/;
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** A burst this old that stopped as it started, with this few failures, was the container starting. */
const STALE_BURST_S = 600;
const STALE_BURST_COUNT = 3;

/** The container is ready now: a describe's `Ready: True` / condition `Ready True`, or a `kubectl get pods` row `n/n Running`. */
function readyNow(context: CollectedContext): boolean {
  const ready = /^\s{0,12}Ready:?\s{1,40}True\b|^\S{1,253}\s{1,20}(\d{1,3})\/\1\s{1,20}Running\b/m;
  return context.describes.some((d) => ready.test(d.text)) || context.logs.some((l) => l.message.length < 2000 && ready.test(l.message));
}

/**
 * Readiness (or startup) probe failures that stopped: the container became ready afterwards
 * (it is `Ready: True` now), or the events' age says a short burst long ago that did not recur
 * (`18m (x3 over 18m)`: at most {@link STALE_BURST_COUNT} failures, last seen as long ago as first
 * seen, {@link STALE_BURST_S} s or more). A slow start, not a probe failure.
 */
function probeStartupOnly(c: Candidate, context: CollectedContext): boolean {
  // the probe's own refusal (`connect: connection refused` to the container's port) is read as unreachable too
  if ((c.category !== 'probe_failure' && c.category !== 'dependency_unreachable') || !c.evidence.every((e) => READINESS_FAILED.test(e.ref.text))) return false;
  if (readyNow(context)) return true;
  return c.evidence.every((e) => {
    const m = EVENT_AGE.exec(e.ref.text);
    if (!m) return false;
    const last = Number(m[1]) * UNIT_S[m[2]!]!;
    const first = Number(m[4]) * UNIT_S[m[5]!]!;
    return Number(m[3]) <= STALE_BURST_COUNT && last >= STALE_BURST_S && last === first;
  });
}

/** A pod that is working now: Running, every container Ready, no restart. */
function podWorking(text: string): boolean {
  return /^Status:\s{1,40}Running\b/m.test(text) && /^\s{0,12}Ready:?\s{1,40}True\b/m.test(text) && !/^\s{0,12}Ready:?\s{1,40}False\b/m.test(text)
    && !/^\s{0,12}Restart Count:\s{1,40}[1-9]/m.test(text);
}
/** An `Events:` row that a pod's start went on after: scheduled, image pulled, volumes mounted, container started. */
const STARTED_ROW = /^\s{0,12}Normal\s{1,20}(?:Scheduled|Pulled|Started|Created|SuccessfulMountVolume|SuccessfulAttachVolume)\b/;
const WARNING_ROW = /^\s{0,12}(?:Warning\s{1,20}\w|Normal\s{1,20}BackOff\b)/;

/**
 * The `Warning` rows of the `Events:` of pods that are working now (see {@link podWorking}) that
 * their start went on after (a later `Scheduled`, `Pulled`, `Started` … row): a pod that waited
 * for a node, a volume or an image and then started is not failing. Keys `source\u0000line`.
 */
function passedWarnings(context: CollectedContext): Set<string> {
  const out = new Set<string>();
  for (const d of context.describes) {
    if ((d.kind ?? 'pod').toLowerCase() !== 'pod' || !podWorking(d.text)) continue;
    const rows = d.text.split('\n');
    let lastStart = -1;
    rows.forEach((row, i) => { if (STARTED_ROW.test(row)) lastStart = i; });
    rows.forEach((row, i) => { if (i < lastStart && WARNING_ROW.test(row)) out.add(`${d.source}\u0000${d.line + i}`); });
  }
  return out;
}

/** What {@link applyRecovery} found. */
export interface Recovery {
  /** The failure states that still stand. */
  readonly states: FailureStateSeen[];
  /** Whether a line is one of the recovered errors (`source`, `line`, text). */
  readonly recovered: (ref: EvidenceRef) => boolean;
  /** Warning events of pods that started after them and are working now. */
  readonly passedWarnings: number;
}

const keyOf = (ref: EvidenceRef): string => (ref.line !== undefined ? `${ref.source}\u0000${ref.line}` : `${ref.source}\u0000\u0000${ref.text.trim()}`);

/**
 * Discounts transient candidates whose every quoted line recovered, and drops the failure states
 * read from those lines (and timeouts that recovered). Mutates the candidates' scores.
 */
export function applyRecovery(candidates: Map<Category, Candidate>, states: readonly FailureStateSeen[], context: CollectedContext): Recovery {
  const ups = upLines(context);
  const lines = new Set<string>();
  const recovered = (ref: EvidenceRef): boolean => lines.has(keyOf(ref));
  const passed = passedWarnings(context);
  for (const c of candidates.values()) {
    const startedAfter = passed.size > 0 && c.evidence.every((e) => e.ref.line !== undefined && passed.has(`${e.ref.source}\u0000${e.ref.line}`));
    if (c.score > 0 && (startedAfter || probeStartupOnly(c, context))) {
      c.score = Math.min(c.score, WEIGHTS.maxConfidence) * RECOVERED_FACTOR;
      for (const e of c.evidence) lines.add(keyOf(e.ref));
    }
  }
  for (const key of passed) lines.add(key);
  if (ups.ups.size === 0 && ups.retries.size === 0) return { states: states.filter((s) => !recovered(s.evidence)), recovered, passedWarnings: passed.size };
  for (const c of candidates.values()) {
    // a category an analyzer finding supports (an object's status) is no start-up log
    if (!TRANSIENT.has(c.category) || c.score <= 0 || c.evidence.length === 0 || c.findings > 0) continue;
    if (!c.evidence.every((e) => recoveredLine(e.ref, ups))) continue;
    c.score = Math.min(c.score, WEIGHTS.maxConfidence) * RECOVERED_FACTOR;
    for (const e of c.evidence) lines.add(keyOf(e.ref));
  }
  // a state read from a recovered error, or a timeout that recovered, was a wait while a peer started
  // (other states keep their first line only, which says nothing of later ones); a state whose line
  // is followed by its retry succeeding was transient
  return { states: states.filter((s) => !recovered(s.evidence) && (s.id !== 'timeout' || !recoveredLine(s.evidence, ups)) && !retriedOk(s.evidence, ups)), recovered, passedWarnings: passed.size };
}
