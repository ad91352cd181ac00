/**
 * Builds the diagnosis document from the stages' outputs, redacting every string that came from
 * input before it is kept.
 */
import type { Analysis, Hypothesis, Retrieval } from '../../model/analysis.js';
import { DIAGNOSIS_SCHEMA_VERSION, type Diagnosis, type Redaction } from '../../model/diagnosis.js';
import type { Degradation, MetricSeries } from '../../model/evidence.js';
import type { Incident } from '../../model/incident.js';
import { categoryLabel } from './labels.js';
import { evidenceLocation, percent, primaryResource, kubernetesLocation, truncate } from './format.js';
import { mergeRedactions, redact } from './redact.js';

/** What {@link compose} assembles. */
export interface ComposeParts {
  /** Diagnosis id (the pipeline uses the incident id, so replays collide on purpose). */
  readonly id: string;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  readonly incident: Incident;
  readonly analysis: Analysis;
  readonly retrieval: Retrieval;
  /** Ranked best first; an empty list becomes one `unknown` hypothesis at confidence 0. */
  readonly hypotheses: readonly Hypothesis[];
  readonly model?: { readonly id: string; readonly sha256: string };
  readonly degraded: readonly Degradation[];
  /** Metric series collected for the incident (kept as they are: numbers and labels we read); none or empty: no `metrics`. */
  readonly metrics?: readonly MetricSeries[];
  /** Milliseconds per stage. */
  readonly timings: Readonly<Record<string, number>>;
}

/** Bounds that keep the document (and the SNS message) a readable size. */
export const COMPOSE_LIMITS = {
  hypotheses: 10,
  evidencePerHypothesis: 20,
  findings: 200,
  logPatterns: 100,
  similarIncidents: 10,
  /** Characters of one quoted string (an evidence line, a sample); longer ones end with `…`. */
  stringChars: 4000,
} as const;

/**
 * Keys whose string values are identifiers, times or catalogue values: they are not truncated.
 * They are still redacted, since the same keys name input values too (`id`, `key`, `type`,
 * `source`, `kind` in alarm dimensions, metric ids and Prometheus labels): redaction goes by
 * the value's shape, whatever its key.
 */
const VERBATIM_KEYS: ReadonlySet<string> = new Set([
  'schemaVersion', 'id', 'createdAt', 'occurredAt', 'start', 'end', 'firstSeen', 'lastSeen',
  'category', 'hintedCategory', 'severity', 'kind', 'templateId', 'key', 'source', 'type', 'sha256',
]);

/** Redacts (and bounds) every input-derived string in `value`, depth first. */
function scrub<T>(value: T, found: Redaction[][], key?: string): T {
  if (typeof value === 'string') {
    const { text, redactions } = redact(value);
    if (redactions.length) found.push(redactions);
    if (key !== undefined && VERBATIM_KEYS.has(key)) return text as T;
    return truncate(text, COMPOSE_LIMITS.stringChars) as T;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, found)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      // Keys of free-form records (labels, dimensions) are input too, but masking a key would
      // change its meaning; only values are redacted.
      out[k] = scrub(v, found, k);
    }
    return out as T;
  }
  return value;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function capList<T>(list: readonly T[], max: number, what: string, degraded: Degradation[]): T[] {
  if (list.length <= max) return [...list];
  degraded.push({ component: 'compose', kind: 'truncated', reason: `kept the first ${max} of ${list.length} ${what}` });
  return list.slice(0, max);
}

const UNKNOWN: Hypothesis = {
  category: 'unknown',
  confidence: 0,
  summary: 'No hypothesis was produced: the evidence does not point to any known category.',
  evidence: [],
  actions: [],
  runbooks: [],
};

/**
 * The summary paragraph: the leading hypothesis, its confidence and resource, its strongest
 * evidence, the runners-up, and what was degraded. Built from already-redacted parts.
 */
export function summarize(d: Omit<Diagnosis, 'summary'>): string {
  const lead = d.hypotheses[0] ?? UNKNOWN;
  const resource = primaryResource(d.incident);
  const where = kubernetesLocation(d.incident);
  const about = [resource, where && where !== resource ? `in ${where}` : undefined].filter(Boolean).join(' ');
  const sentences: string[] = [];
  if (lead.category === 'unknown') {
    sentences.push(
      `No category fits the evidence well${about ? ` for ${about}` : ''}; the leading answer is \`unknown\` at ${percent(lead.confidence)} confidence.`,
    );
  } else {
    sentences.push(
      `Leading hypothesis${about ? ` for ${about}` : ''}: ${categoryLabel(lead.category)} (\`${lead.category}\`) at ${percent(lead.confidence)} confidence.`,
    );
  }
  if (lead.summary) sentences.push(lead.summary.trim().replace(/([^.!?])$/, '$1.'));
  const strongest = lead.evidence[0];
  if (strongest) sentences.push(`Strongest evidence: "${truncate(strongest.text.trim(), 200)}" (${evidenceLocation(strongest)}).`);
  const others = d.hypotheses.slice(1, 4).map((h) => `\`${h.category}\` (${percent(h.confidence)})`);
  if (others.length) sentences.push(`Also considered: ${others.join(', ')}.`);
  const newCount = d.logPatterns.filter((p) => p.isNew).length;
  const spiking = d.logPatterns.filter((p) => p.isSpiking).length;
  const facts = [`${d.findings.length} finding${d.findings.length === 1 ? '' : 's'}`, `${d.logPatterns.length} log pattern${d.logPatterns.length === 1 ? '' : 's'}`];
  if (newCount || spiking) facts[1] += ` (${newCount} new, ${spiking} spiking)`;
  sentences.push(`${facts.join(', ')}.`);
  if (d.degraded.length) {
    sentences.push(`Incomplete: ${d.degraded.slice(0, 3).map((g) => `${g.component} ${g.kind}`).join('; ')}${d.degraded.length > 3 ? `; and ${d.degraded.length - 3} more` : ''}.`);
  }
  return sentences.join(' ');
}

/**
 * Assembles the {@link Diagnosis}: redacts every input-derived string (incident title, reason,
 * question, inline evidence, labels; hypothesis summaries, evidence and actions; findings;
 * log-pattern templates and samples; similar-incident titles; degradation reasons), records the
 * masks per kind in `redactions`, bounds list sizes ({@link COMPOSE_LIMITS}; a cut is recorded in
 * `degraded` as `truncated`), clamps confidences to [0, 1], and writes the summary.
 * Hypotheses keep the order infer gave them.
 *
 * @throws nothing on odd input; the result validates against `schemas/diagnosis.schema.json`
 *   when the parts are of the declared types.
 * @example
 *   const d = compose({ id: incident.id, createdAt: new Date().toISOString(), incident, analysis,
 *     retrieval, hypotheses, degraded: [], timings: {} });
 */
export function compose(parts: ComposeParts): Diagnosis {
  const degraded: Degradation[] = [...parts.degraded];
  const hypotheses = capList(parts.hypotheses.length ? parts.hypotheses : [UNKNOWN], COMPOSE_LIMITS.hypotheses, 'hypotheses', degraded).map(
    (h): Hypothesis => ({
      ...h,
      confidence: clamp01(h.confidence),
      evidence: capList(h.evidence, COMPOSE_LIMITS.evidencePerHypothesis, `evidence lines of ${h.category}`, degraded),
    }),
  );
  const findings = capList(parts.analysis.findings, COMPOSE_LIMITS.findings, 'findings', degraded);
  const logPatterns = capList(parts.analysis.patterns, COMPOSE_LIMITS.logPatterns, 'log patterns', degraded);
  const similarIncidents = capList(parts.retrieval.similarIncidents, COMPOSE_LIMITS.similarIncidents, 'similar incidents', degraded);

  const found: Redaction[][] = [];
  const body = scrub(
    { incident: parts.incident, hypotheses, findings, logPatterns, similarIncidents, degraded },
    found,
  );
  const draft: Omit<Diagnosis, 'summary'> = {
    schemaVersion: DIAGNOSIS_SCHEMA_VERSION,
    id: parts.id,
    createdAt: parts.createdAt,
    ...body,
    ...(parts.model ? { model: { id: parts.model.id, sha256: parts.model.sha256 } } : {}),
    redactions: mergeRedactions(found),
    timings: { ...parts.timings },
  };
  const summary = summarize(draft);
  // Key order: what a reader wants first when reading the JSON.
  return {
    schemaVersion: draft.schemaVersion,
    id: draft.id,
    createdAt: draft.createdAt,
    summary,
    incident: draft.incident,
    hypotheses: draft.hypotheses,
    findings: draft.findings,
    logPatterns: draft.logPatterns,
    similarIncidents: draft.similarIncidents,
    degraded: draft.degraded,
    ...(draft.model ? { model: draft.model } : {}),
    redactions: draft.redactions,
    ...(parts.metrics?.length ? { metrics: parts.metrics } : {}),
    timings: draft.timings,
  };
}
