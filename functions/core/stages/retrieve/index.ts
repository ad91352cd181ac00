/**
 * The retrieve stage: runbook passages and similar earlier incidents for one incident.
 */
import MiniSearch from 'minisearch';
import type { Analysis, Finding, LogPattern, Retrieval, RunbookPassage, SimilarIncident } from '../../model/analysis.js';
import type { Category } from '../../model/categories.js';
import type { CollectedContext, PriorDiagnosis } from '../../model/evidence.js';
import type { Incident } from '../../model/incident.js';
import { RunbookIndex, queryTerms } from './runbook-index.js';
import { processTerm, tokenize } from './tokenize.js';

export { RunbookIndex, FIELD_BOOSTS, BM25_PARAMS, RRF_K, queryTerms, RUNBOOK_INDEX_FORMAT, type RunbookIndexOptions, type RunbookSearchOptions, type SerializedRunbookIndex } from './runbook-index.js';
export { chunkRunbook, parseFrontMatter, slugify, type RunbookChunk, type RunbookFrontMatter, type ChunkOptions } from './chunk.js';
export { tokenize, processTerm } from './tokenize.js';

/** Upper bound of the query text, characters. */
const MAX_QUERY_CHARS = 4000;
const SEVERITY_RANK: Record<Finding['severity'], number> = { critical: 0, warning: 1, info: 2 };
const LEVEL_RANK: Record<string, number> = { FATAL: 0, CRITICAL: 0, ERROR: 1, WARN: 2, WARNING: 2 };

export interface RetrieveOptions {
  /** Passages to return. Default 5. */
  readonly k?: number;
  /** Earlier diagnoses to search; default `context.priorDiagnoses`. */
  readonly priorDiagnoses?: readonly PriorDiagnosis[];
  /** Similar incidents to return. Default 5. */
  readonly similarK?: number;
  /**
   * Categories the analysis points to (signature matches, findings, the event's hint) that have
   * no passage among the top `k` get their best passage appended, up to this many. Default 5.
   */
  readonly coverCategories?: number;
}

/** A query with weights for the terms that name the categories the analysis points to. */
export interface WeightedQuery {
  readonly text: string;
  /** Index term → weight (> 1). */
  readonly termBoosts: ReadonlyMap<string, number>;
  /** Categories the analysis points to, strongest first, with their strength in (0, 1]. */
  readonly categories: ReadonlyArray<{ readonly category: Category; readonly strength: number }>;
}

const FINDING_STRENGTH: Record<Finding['severity'], number> = { critical: 0.8, warning: 0.5, info: 0.25 };

/**
 * {@link buildRetrievalQuery} plus weights: the terms of each category id the analysis points to
 * (`oom_killed` → `oom`, `killed`) weigh `1 + 2 × strength`, where strength is the strongest
 * signature weight, finding severity (critical 0.8, warning 0.5, info 0.25) or the event's hint
 * (0.8) for that category.
 */
export function buildWeightedQuery(incident: Incident, analysis: Analysis): WeightedQuery {
  const strength = new Map<Category, number>();
  const raise = (c: Category | undefined, s: number) => {
    if (c && c !== 'unknown') strength.set(c, Math.max(strength.get(c) ?? 0, s));
  };
  for (const m of analysis.signatureMatches) raise(m.category, Math.min(1, Math.max(0, m.weight)));
  for (const f of analysis.findings) raise(f.category, FINDING_STRENGTH[f.severity]);
  raise(incident.hintedCategory, 0.8);
  const termBoosts = new Map<string, number>();
  for (const [category, s] of strength) {
    for (const term of queryTerms(category)) termBoosts.set(term, Math.max(termBoosts.get(term) ?? 1, 1 + 2 * s));
  }
  const categories = [...strength.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([category, s]) => ({ category, strength: s }));
  return { text: buildRetrievalQuery(incident, analysis), termBoosts, categories };
}

function patternRank(p: LogPattern): number[] {
  return [p.isNew || p.isSpiking ? 0 : 1, LEVEL_RANK[(p.level ?? '').toUpperCase()] ?? 3, -p.count];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * The query text for an incident: its title, reason, hinted category, question and inline
 * evidence; the categories and evidence lines of the 5 strongest signature matches; the messages
 * of the 5 most severe findings; and the templates of the 5 top log patterns (new or spiking
 * first, then by level, then by count). Capped at 4000 characters.
 */
export function buildRetrievalQuery(incident: Incident, analysis: Analysis): string {
  const parts: string[] = [];
  const push = (s: string | undefined) => {
    if (s && s.trim()) parts.push(s.trim().slice(0, 500));
  };
  push(incident.title);
  push(incident.reason);
  push(incident.hintedCategory);
  push(incident.question);
  for (const e of (incident.inlineEvidence ?? []).slice(0, 5)) push(e);
  const matches = [...analysis.signatureMatches].sort((a, b) => b.weight - a.weight).slice(0, 5);
  const categories = [...new Set(matches.map((m) => m.category))];
  for (const c of categories) push(c);
  for (const m of matches) push(m.evidence.text);
  const findings = [...analysis.findings]
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity])
    .slice(0, 5);
  for (const f of findings) {
    push(f.category);
    push(f.message);
  }
  const patterns = [...analysis.patterns].sort((a, b) => compareRanks(patternRank(a), patternRank(b))).slice(0, 5);
  for (const p of patterns) push(p.template.replace(/<\*>/g, ' '));
  return parts.join('\n').slice(0, MAX_QUERY_CHARS);
}

/** Distinct terms an earlier diagnosis must share with the query to count as similar. */
export const MIN_SHARED_TERMS = 2;

/**
 * BM25 (MiniSearch) over earlier diagnoses' title, summary, category and resources; those sharing
 * fewer than {@link MIN_SHARED_TERMS} distinct terms with the query are left out.
 * The diagnosis of this very incident (same id, e.g. a replay) is excluded.
 * `score` is the BM25+ score, comparable only within one call.
 */
export function findSimilarIncidents(
  incident: Incident,
  query: string,
  priors: readonly PriorDiagnosis[],
  k = 5,
): SimilarIncident[] {
  const candidates = priors.filter((p) => p.id !== incident.id);
  if (candidates.length === 0 || k <= 0) return [];
  const search = new MiniSearch<{ id: string; title: string; summary: string; category: string; resources: string }>({
    idField: 'id',
    fields: ['title', 'summary', 'category', 'resources'],
    tokenize,
    processTerm,
    searchOptions: { boost: { title: 1.5, category: 2, resources: 2, summary: 1 }, combineWith: 'OR' },
  });
  const byId = new Map<string, PriorDiagnosis>();
  for (const p of candidates) {
    if (byId.has(p.id)) continue;
    byId.set(p.id, p);
    search.add({ id: p.id, title: p.title, summary: p.summary, category: p.category, resources: p.resources.join(' ') });
  }
  const resourceTerms = incident.resources.map((r) => r.name).join(' ');
  return search
    .search(`${query}\n${resourceTerms}`)
    // One shared word (`error`, a namespace) is not similarity.
    .filter((r) => r.terms.length >= MIN_SHARED_TERMS)
    .slice(0, k)
    .map((r) => {
      const p = byId.get(String(r.id))!;
      const similar: SimilarIncident = { id: p.id, createdAt: p.createdAt, title: p.title, category: p.category, score: r.score };
      return p.key ? { ...similar, key: p.key } : similar;
    });
}

/**
 * Runs retrieval for one incident: the `k` best runbook passages for the weighted query
 * ({@link buildWeightedQuery}; BM25, fused with dense retrieval when the index was built with an
 * embedder), then, for each of up to `coverCategories` categories the analysis points to that no
 * passage so far declares (or `unknown` when it points to none), the best passage declaring it
 * (so every likely hypothesis has a runbook to cite); and up to `similarK` similar earlier incidents.
 *
 * @returns passages best first (the top `k`, then the appended ones by category strength).
 * @example
 *   const retrieval = await retrieve(incident, context, analysis, index, { k: 5 });
 *   retrieval.passages[0]?.path; // 'bundled/oom-and-memory.md'
 */
export async function retrieve(
  incident: Incident,
  context: CollectedContext,
  analysis: Analysis,
  index: RunbookIndex,
  options: RetrieveOptions = {},
): Promise<Retrieval> {
  const query = buildWeightedQuery(incident, analysis);
  // Triage runbooks (declaring only `unknown`) answer "no evidence", not any evidence: they come
  // in only through coverage below, never by matching generic words like `kubectl describe`.
  const passages: RunbookPassage[] = await index.searchAsync(query.text, options.k ?? 5, {
    termBoosts: query.termBoosts,
    filter: (p) => !(p.categories.length === 1 && p.categories[0] === 'unknown'),
  });
  const covered = new Set<string>(passages.flatMap((p) => p.categories));
  const seen = new Set(passages.map((p) => p.id));
  // With nothing pointing anywhere, `unknown` is the likely answer: cover its triage runbook.
  const toCover = query.categories.length > 0 ? query.categories.map((c) => c.category) : (['unknown'] as Category[]);
  for (const category of toCover.slice(0, options.coverCategories ?? 5)) {
    if (covered.has(category)) continue;
    const [best] = await index.searchAsync(`${category} ${query.text}`, 1, {
      termBoosts: query.termBoosts,
      filter: (p) => p.categories.includes(category) && !seen.has(p.id),
    });
    if (!best) continue;
    passages.push(best);
    seen.add(best.id);
    for (const c of best.categories) covered.add(c);
  }
  const similarIncidents = findSimilarIncidents(
    incident,
    query.text,
    options.priorDiagnoses ?? context.priorDiagnoses,
    options.similarK ?? 5,
  );
  return { passages, similarIncidents };
}
