/**
 * Optional narrative summaries from a text-generation model, grounded in a diagnosis.
 *
 * When a deployer configures a text-generation model (a `text-generation` entry of
 * `models/manifest.json`), the compose step may ask it for a short narrative of the diagnosis. The
 * output is never trusted: {@link checkNarrative} accepts it only when every category, resource
 * name, quoted string and number it mentions is present in the diagnosis, and
 * {@link narrate} returns the template summary instead when the check fails, the model errors, or
 * the time budget runs out. Nothing here is required for a diagnosis.
 */
import { CATEGORIES } from '../../core/model/categories.js';
import type { Diagnosis } from '../../core/model/diagnosis.js';
import { describeError } from '../../core/model/errors.js';
import { loadModelFromManifest } from './loader.js';

/** Generates a continuation of `prompt` (the text after the prompt only). */
export type GenerateFn = (prompt: string, options: { maxNewTokens: number }) => Promise<string>;

/** What {@link narrate} returns. */
export interface NarrativeResult {
  /** The narrative when accepted, else the template summary. */
  readonly summary: string;
  readonly source: 'model' | 'template';
  /** Why the model's text was dropped (absent when accepted). */
  readonly reason?: string;
  /** Wall time spent, ms. */
  readonly ms: number;
}

/** Options of {@link narrate}. */
export interface NarrateOptions {
  /** Time budget of the generation, ms; default 2000. Over budget, the template summary is used. */
  readonly budgetMs?: number;
  /** Tokens to generate at most; default 96. */
  readonly maxNewTokens?: number;
  /** Longest accepted narrative, characters; default 600. */
  readonly maxChars?: number;
}

/** The prompt: the diagnosis facts the narrative may use, and the instruction. */
export function narrativePrompt(d: Diagnosis): string {
  const lines = [
    'Write two sentences for an on-call engineer. Use only these facts.',
    `Incident: ${d.incident.title}`,
    ...d.hypotheses.slice(0, 3).map((h, i) => `Hypothesis ${i + 1}: ${h.category} (confidence ${h.confidence.toFixed(2)})`),
    ...d.hypotheses[0]!.evidence.slice(0, 3).map((e) => `Evidence: ${e.text}`),
    ...d.incident.resources.slice(0, 5).map((r) => `Resource: ${r.type} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`),
    'Summary:',
  ];
  return lines.join('\n');
}

/** Everything a narrative may cite: the diagnosis's own words, lower-cased. */
function groundingText(d: Diagnosis): string {
  const parts: string[] = [d.incident.title, d.summary];
  for (const r of d.incident.resources) parts.push(r.type, r.name, r.namespace ?? '', r.namespace ? `${r.namespace}/${r.name}` : '');
  for (const h of d.hypotheses) {
    parts.push(h.category, h.category.replaceAll('_', ' '), h.summary, h.confidence.toFixed(2), String(Math.round(h.confidence * 100)));
    for (const e of h.evidence) parts.push(e.text, e.source);
  }
  for (const f of d.findings) parts.push(f.name, f.namespace ?? '', f.message, ...f.evidence.map((e) => e.text));
  return parts.join('\n').toLowerCase();
}

const CATEGORY_PATTERN = new RegExp(`\\b(${CATEGORIES.filter((c) => c !== 'unknown').map((c) => `${c}|${c.replaceAll('_', '[ -]')}`).join('|')})\\b`, 'gi');

/**
 * Checks that `text` mentions only what the diagnosis holds:
 * - category identifiers (also written with spaces): only those among the diagnosis's hypotheses;
 * - resource-like tokens (with a `-`, `/`, `.`, `:` or `_` inside, or letters mixed with digits,
 *   e.g. `checkout-7c9-x2k4p`, `prod/api`, `10.0.3.7:5432`): only those present in the diagnosis;
 * - quoted strings and numbers of 2+ digits: only those present in the diagnosis.
 * Also rejects empty text, text over `maxChars` and control characters.
 * @returns `{ ok: true }` or `{ ok: false, reason }` naming the first offending mention.
 */
export function checkNarrative(text: string, d: Diagnosis, maxChars = 600): { ok: true } | { ok: false; reason: string } {
  const t = text.trim();
  if (!t) return { ok: false, reason: 'empty output' };
  if (t.length > maxChars) return { ok: false, reason: `output longer than ${maxChars} characters` };
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(t)) return { ok: false, reason: 'control characters in output' };
  const ground = groundingText(d);
  const allowed = new Set(d.hypotheses.map((h) => h.category as string));
  for (const m of t.matchAll(CATEGORY_PATTERN)) {
    const category = m[1]!.toLowerCase().replace(/[ -]/g, '_');
    if (!allowed.has(category)) return { ok: false, reason: `mentions category ${category}, not among the diagnosis's hypotheses` };
  }
  for (const m of t.matchAll(/["'`“‘]([^"'`”’\n]{3,})["'`”’]/g)) {
    if (!ground.includes(m[1]!.toLowerCase())) return { ok: false, reason: `quotes "${m[1]}", which is not in the diagnosis` };
  }
  for (const raw of t.split(/\s+/)) {
    const token = raw.replace(/^[("'`“‘[]+/, '').replace(/(?<![)"'`”’\],;:!?.])[)"'`”’\],;:!?.]+$/, '');
    if (!token) continue;
    const resourceLike = /[A-Za-z0-9][-/.:_][A-Za-z0-9]/.test(token) || (/[A-Za-z]/.test(token) && /\d/.test(token));
    const number = /^\d{2,}([.,]\d+)?%?$/.test(token);
    if ((resourceLike || number) && !ground.includes(token.toLowerCase())) {
      return { ok: false, reason: `mentions "${token}", which is not in the diagnosis` };
    }
  }
  return { ok: true };
}

/**
 * Asks `generate` for a narrative of `diagnosis` and checks it; falls back to
 * `diagnosis.summary` (the template summary) on a failed check, an error, or when the budget runs out.
 * Never throws.
 */
export async function narrate(generate: GenerateFn, diagnosis: Diagnosis, options: NarrateOptions = {}): Promise<NarrativeResult> {
  const started = performance.now();
  const budgetMs = options.budgetMs ?? 2000;
  const fallback = (reason: string): NarrativeResult => ({ summary: diagnosis.summary, source: 'template', reason, ms: performance.now() - started });
  if (diagnosis.hypotheses.length === 0) return fallback('no hypothesis to narrate');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), budgetMs);
  });
  try {
    const output = await Promise.race([generate(narrativePrompt(diagnosis), { maxNewTokens: options.maxNewTokens ?? 96 }), timeout]);
    if (output === 'timeout') return fallback(`generation exceeded its ${budgetMs} ms budget`);
    const text = output.replace(/\s+/g, ' ').trim();
    const verdict = checkNarrative(text, diagnosis, options.maxChars ?? 600);
    if (!verdict.ok) return fallback(verdict.reason);
    return { summary: text, source: 'model', ms: performance.now() - started };
  } catch (error) {
    return fallback(`generation failed: ${describeError(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Loads text-generation model `id` of `<modelsDir>/manifest.json` (hash-verified, memoised like
 * every model) and returns its {@link GenerateFn}: greedy decoding, only the new text returned.
 * @throws ModelLoadError when the model cannot be loaded or is not a text-generation entry.
 * @example
 * const generate = await createGenerator({ modelsDir: '/opt/models', id: 'tiny-llm' });
 * const { summary, source } = await narrate(generate, diagnosis, { budgetMs: 1500 });
 */
export async function createGenerator(options: { modelsDir: string; id: string }): Promise<GenerateFn> {
  const model = await loadModelFromManifest(options.modelsDir, options.id, 'text-generation');
  return async (prompt, { maxNewTokens }) => {
    const out = (await model.pipeline(prompt, { max_new_tokens: maxNewTokens, do_sample: false, return_full_text: false })) as Array<{ generated_text: string }>;
    return out[0]?.generated_text ?? '';
  };
}
