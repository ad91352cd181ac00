/**
 * Writes the labelled corpus `models/corpus/{train,heldout}.jsonl` from `templates.ts`.
 *
 * Each line: `{"text": string, "label": Category, "family": "<category>/<index>"}`. The last phrasing
 * family of every category goes to `heldout.jsonl` only, so the held-out split measures
 * generalisation to phrasings training never saw. Seeded: the same templates give the same files.
 *
 * Run: `npx tsx models/corpus/generate.ts` (also run by `npm run train`).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { CATEGORIES, type Category } from '../../functions/core/model/categories.js';
import { ALERT_DESCRIPTIONS, ON_CALL_NOTES, TEMPLATES } from './templates.js';
import { fill, mulberry32 } from './slots.js';
import { splitOf } from '../../eval/incidents-split.js';

/** One labelled corpus line. */
export interface CorpusLine {
  readonly text: string;
  readonly label: Category;
  /** `<category>/<family index>`: the phrasing family the line came from. */
  readonly family: string;
}

/** Instances drawn per phrasing family (families of many templates draw up to 2 per template, at most 40). */
export const PER_FAMILY = 12;

/** Builds both splits in memory (deterministic for a given `seed`). */
export function generateCorpus(seed = 20261130): { train: CorpusLine[]; heldout: CorpusLine[] } {
  const rng = mulberry32(seed);
  const train: CorpusLine[] = [];
  const heldout: CorpusLine[] = [];
  for (const label of CATEGORIES) {
    const own = TEMPLATES[label];
    if (!own || own.length < 3) throw new Error(`corpus: category ${label} needs at least 3 phrasing families`);
    // Alert descriptions and on-call notes join training as two more families, before the held-out (last) family.
    const families = [...own.slice(0, -1), ALERT_DESCRIPTIONS[label], ON_CALL_NOTES[label], own[own.length - 1]!];
    if (families.length < 3) throw new Error(`corpus: category ${label} needs at least 3 phrasing families`);
    families.forEach((family, index) => {
      const seen = new Set<string>();
      const out = index === families.length - 1 ? heldout : train;
      const want = Math.max(PER_FAMILY, Math.min(2 * family.length, 40));
      for (let attempt = 0; seen.size < want && attempt < want * 6; attempt++) {
        const template = family[attempt % family.length]!;
        const text = fill(template, rng);
        if (seen.has(text)) continue;
        seen.add(text);
        out.push({ text, label, family: `${label}/${index}` });
      }
    });
  }
  return { train, heldout };
}

/** Lines a healthy case contributes as `unknown` at most (real lines of working systems). */
export const HEALTHY_LINES_PER_CASE = 6;

/**
 * Real lines from the DEV split of the real-incident corpus (`eval/incidents/cases`, split by
 * source repository; the test split is never read): each case's `evidence_lines` labelled with
 * its expected category, and up to {@link HEALTHY_LINES_PER_CASE} lines of each healthy case as
 * `unknown`. Family `<category>/real`. Sorted by file name, so the output is deterministic.
 */
export function realDevLines(casesDir: string): CorpusLine[] {
  if (!existsSync(casesDir)) return [];
  const out: CorpusLine[] = [];
  for (const name of readdirSync(casesDir).filter((n) => n.endsWith('.json')).sort()) {
    const c = JSON.parse(readFileSync(join(casesDir, name), 'utf8')) as { source: string; repository?: string; input: string; expected_category: Category; evidence_lines?: string[] };
    if (splitOf({ source: c.source, repository: c.repository ?? '' }) !== 'dev' || !(CATEGORIES as readonly string[]).includes(c.expected_category)) continue;
    const label = c.expected_category;
    const texts = label === 'unknown'
      ? c.input.split('\n').map((l) => l.trim()).filter((l) => l.length >= 12).slice(0, HEALTHY_LINES_PER_CASE)
      : (c.evidence_lines ?? []).map((l) => l.split('\n')[0]!.trim()).filter((l) => l.length >= 6);
    for (const text of texts) out.push({ text: text.slice(0, 400), label, family: `${label}/real` });
  }
  return out;
}

/** Where the real-incident corpus lives. */
export const INCIDENT_CASES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'eval', 'incidents', 'cases');

/** The training and held-out files as written: the generated corpus, plus the dev split's real lines in training. */
export function buildCorpus(seed?: number, casesDir = INCIDENT_CASES_DIR): { train: CorpusLine[]; heldout: CorpusLine[]; real: number } {
  const { train, heldout } = generateCorpus(seed);
  const real = realDevLines(casesDir);
  return { train: [...train, ...real], heldout, real: real.length };
}

const toJsonl = (lines: readonly CorpusLine[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = dirname(fileURLToPath(import.meta.url));
  const { train, heldout, real } = buildCorpus();
  writeFileSync(join(dir, 'train.jsonl'), toJsonl(train));
  writeFileSync(join(dir, 'heldout.jsonl'), toJsonl(heldout));
  console.log(`corpus: ${train.length} training lines (${real} real lines of the incident corpus's dev split), ${heldout.length} held-out lines, ${CATEGORIES.length} categories`);
}
