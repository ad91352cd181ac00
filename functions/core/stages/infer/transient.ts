/**
 * Start-up races: a client that cannot reach its dependency while both are starting, retries and
 * then comes up (`connect: Connection refused` … `retrying to connect (2/5)` … `server listening at
 * http://0.0.0.0:8081`) shows no failure. When every line a connection-kind hypothesis quotes is
 * followed, later in the same log, by a line saying the service came up, the hypothesis is scaled
 * by {@link WEIGHTS}`.transient.startupRace`. A failure after the last such line keeps its weight;
 * so does a category an analyzer finding supports (an object's status is not a start-up log).
 */
import type { Category } from '../../model/categories.js';
import type { CollectedContext } from '../../model/evidence.js';
import type { Candidate } from './scoring.js';
import { WEIGHTS as W } from './weights.js';

/** Categories whose evidence a start-up race produces: refused or unreachable peers, probes before the server listens. */
const RACE_PRONE: ReadonlySet<Category> = new Set(['dependency_unreachable', 'probe_failure', 'dns_resolution']);

/**
 * A line saying a server or client came up: Node/Express and Go servers (`listening at`, `listening
 * on`), PostgreSQL/MySQL/Redis (`ready to accept connections`), Spring Boot (`Started X in 3.1
 * seconds`), clients reconnecting (`connected to`, `connection established`).
 */
export const CAME_UP = /\blistening (?:at|on)\b|\bserver (?:is )?(?:listening|running|started)\b|\bready (?:to|for) (?:accept )?connections\b|\bStarted \S{1,120} in \d{1,5}(?:\.\d{1,4})? seconds\b|\b(?:successfully )?connected to\b|\bconnection (?:established|restored)\b|\bstartup complete\b/i;

/** Last line (per source) that says something came up. */
function cameUpLines(context: Pick<CollectedContext, 'logs'>): Map<string, number> {
  const last = new Map<string, number>();
  for (const log of context.logs) {
    if (log.line === undefined || log.message.length > 2000 || !CAME_UP.test(log.message)) continue;
    last.set(log.source, Math.max(last.get(log.source) ?? 0, log.line));
  }
  return last;
}

/**
 * Scales the race-prone candidates whose every quoted line precedes a "came up" line of its source.
 * @returns the categories discounted.
 */
export function discountStartupRaces(candidates: Map<Category, Candidate>, context: Pick<CollectedContext, 'logs'>): Category[] {
  const upAt = cameUpLines(context);
  if (upAt.size === 0) return [];
  const out: Category[] = [];
  for (const c of candidates.values()) {
    if (!RACE_PRONE.has(c.category) || c.findings > 0 || c.evidence.length === 0) continue;
    const raced = c.evidence.every(({ ref }) => ref.line !== undefined && ref.line < (upAt.get(ref.source) ?? 0));
    if (!raced) continue;
    c.score *= W.transient.startupRace;
    out.push(c.category);
  }
  return out;
}
