/**
 * Classification: the optional category classifier's part of infer. It reads two sets of lines:
 * - the strongest evidence (signature lines, critical findings; else error patterns and the
 *   incident's reason): its mean probabilities per category are blended into the rule scores;
 * - error lines no signature matched: each gets the classifier's best category and probability
 *   (model lines), which may make a modest hypothesis of their own (see `scoring.ts`).
 * A classifier failure is a degradation (component `infer:model`), never thrown; after a failure
 * on the first set, the second is not read.
 */
import { CATEGORIES, isCategory, type Category } from '../../model/categories.js';
import type { Degradation, EvidenceRef } from '../../model/evidence.js';
import type { Incident } from '../../model/incident.js';
import type { Analysis } from '../../model/analysis.js';
import { describeError } from '../../model/errors.js';
import type { CategoryClassifier } from '../../ports/model.port.js';
import { WEIGHTS as W } from './weights.js';

/** A log line no signature matched, with the classifier's best category for it. */
export interface ModelLine {
  readonly ref: EvidenceRef;
  readonly category: Category;
  readonly probability: number;
}

/** What the classifier said about an incident. */
export interface Classification {
  /** Mean probability per category over the strongest evidence lines; absent without a classifier, texts or on failure. */
  readonly modelScores?: Map<Category, number>;
  /** Unmatched error lines with their best category. */
  readonly modelLines: ModelLine[];
  /** The classifier, when it answered at least once. */
  readonly model?: { id: string; sha256: string };
  readonly degraded: Degradation[];
}

/**
 * The texts the classifier scores: the strongest signature lines and critical findings; when
 * there are none, error patterns and the incident's reason ({@link WEIGHTS}`.model.texts`).
 */
export function classifierTexts(analysis: Analysis, incident: Incident): string[] {
  const texts: string[] = [];
  for (const m of analysis.signatureMatches.slice(0, W.model.texts.signatureLines)) texts.push(m.evidence.text);
  for (const f of analysis.findings.filter((x) => x.severity === 'critical').slice(0, W.model.texts.criticalFindings)) texts.push(f.message);
  if (texts.length === 0) {
    for (const p of analysis.patterns.filter((x) => x.level === 'ERROR' || x.level === 'FATAL').slice(0, W.model.texts.errorPatterns)) texts.push(p.samples[0]?.text ?? p.template);
    if (incident.reason) texts.push(incident.reason);
  }
  return [...new Set(texts.map((t) => t.trim()).filter(Boolean))].slice(0, W.model.texts.max);
}

/** Error and warning log lines (pattern samples) that no signature matched: the model's own ground. */
export function unmatchedErrorLines(analysis: Analysis, max: number = W.model.unmatchedLines): EvidenceRef[] {
  const matched = new Set(analysis.signatureMatches.map((m) => m.evidence.text.trim()));
  const out: EvidenceRef[] = [];
  for (const p of analysis.patterns) {
    if (!/^(ERROR|FATAL|CRIT|CRITICAL|SEVERE|EMERG|ALERT|PANIC)$/i.test(p.level ?? '')) continue;
    const sample = p.samples[0];
    if (!sample || matched.has(sample.text.trim())) continue;
    out.push(sample);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * Runs the classifier over the incident's strongest evidence and its unmatched error lines.
 * @example
 * const { modelScores, modelLines, model, degraded } = await classify(analysis, incident, classifier);
 */
export async function classify(analysis: Analysis, incident: Incident, classifier?: CategoryClassifier): Promise<Classification> {
  const degraded: Degradation[] = [];
  let modelScores: Map<Category, number> | undefined;
  let model: { id: string; sha256: string } | undefined;
  const modelLines: ModelLine[] = [];
  if (classifier) {
    const texts = classifierTexts(analysis, incident);
    if (texts.length > 0) {
      try {
        const results = await classifier.classify(texts);
        modelScores = new Map();
        for (const scores of results) {
          for (const { category, score } of scores) {
            if (!(CATEGORIES as readonly string[]).includes(category) || !Number.isFinite(score)) continue;
            modelScores.set(category, (modelScores.get(category) ?? 0) + score / results.length);
          }
        }
        model = { id: classifier.id, sha256: classifier.sha256 };
      } catch (error) {
        degraded.push({ component: 'infer:model', kind: 'error', reason: `classifier ${classifier.id} failed: ${describeError(error)}` });
        modelScores = undefined;
      }
    }
    const unmatched = unmatchedErrorLines(analysis);
    if (unmatched.length > 0 && !degraded.some((d) => d.component === 'infer:model')) {
      try {
        const results = await classifier.classify(unmatched.map((r) => r.text));
        results.forEach((scores, i) => {
          const top = scores[0];
          if (top && isCategory(top.category)) modelLines.push({ ref: unmatched[i]!, category: top.category, probability: top.score });
        });
        model = { id: classifier.id, sha256: classifier.sha256 };
      } catch (error) {
        degraded.push({ component: 'infer:model', kind: 'error', reason: `classifier ${classifier.id} failed: ${describeError(error)}` });
        // the rule-line scores above stay usable
      }
    }
  }
  return { modelScores, modelLines, model, degraded };
}
