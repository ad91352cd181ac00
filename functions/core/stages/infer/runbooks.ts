/**
 * Runbook choice: which runbook passages a hypothesis references. A passage belongs to the
 * categories it declares (its document's `categories:` front matter, or a heading naming the id:
 * the runbook owns that link); every hypothesis references up to {@link RUNBOOKS_PER_CATEGORY}
 * passages declaring its category, and the leading one also the best-ranked passages of documents
 * that declare none ({@link leadingRunbooks}).
 */
import type { Category } from '../../model/categories.js';
import type { Retrieval, RunbookRef } from '../../model/analysis.js';

/** Passages ranking this high for the query may be attached without declared categories. */
export const UNCATEGORIZED_RUNBOOK_RANK = 3;
/** Runbook references a leading hypothesis carries at most. */
export const MAX_LEADING_RUNBOOKS = 5;
/** Runbook references of passages declaring a hypothesis' category, at most. */
export const RUNBOOKS_PER_CATEGORY = 3;

/**
 * Runbook references for the leading hypothesis: those of passages declaring its category
 * ({@link runbooksFor}), then the passages that declare no category (documents without
 * `categories:` front matter, e.g. a `--kb` folder of plain Markdown) and rank among the top
 * {@link UNCATEGORIZED_RUNBOOK_RANK} passages of the retrieval by score. At most
 * {@link MAX_LEADING_RUNBOOKS}, distinct by path and heading.
 */
export function leadingRunbooks(category: Category, retrieval: Retrieval): RunbookRef[] {
  const out = runbooksFor(category, retrieval);
  const seen = new Set(out.map((r) => `${r.path}#${r.heading}`));
  const top = retrieval.passages
    .map((p, i) => ({ p, i }))
    .sort((a, b) => b.p.score - a.p.score || a.i - b.i)
    .slice(0, UNCATEGORIZED_RUNBOOK_RANK)
    .map(({ p }) => p);
  for (const p of top) {
    if (p.categories.length > 0 || out.length >= MAX_LEADING_RUNBOOKS) continue;
    const key = `${p.path}#${p.heading}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ title: p.title, heading: p.heading, path: p.path });
  }
  return out;
}

/** Runbook references of passages declaring the category. */
export function runbooksFor(category: Category, retrieval: Retrieval): RunbookRef[] {
  const seen = new Set<string>();
  const out: RunbookRef[] = [];
  for (const p of retrieval.passages) {
    if (!p.categories.includes(category)) continue;
    const key = `${p.path}#${p.heading}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ title: p.title, heading: p.heading, path: p.path });
    if (out.length >= RUNBOOKS_PER_CATEGORY) break;
  }
  return out;
}
