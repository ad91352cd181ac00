/**
 * Held-out metrics: top-1 / top-3 accuracy overall, per category and per category family (the
 * groups of `shared/spec/categories.md`).
 */
import { CATEGORIES, type Category } from '../../functions/core/model/categories.js';

/** Category families as grouped in `shared/spec/categories.md`. */
export const CATEGORY_GROUPS: Readonly<Record<string, readonly Category[]>> = {
  'Kubernetes workloads': CATEGORIES.slice(0, CATEGORIES.indexOf('dns_resolution') + 1),
  'EKS and AWS accounts': CATEGORIES.slice(CATEGORIES.indexOf('node_not_ready'), CATEGORIES.indexOf('credentials_expired') + 1),
  'AWS Lambda': CATEGORIES.slice(CATEGORIES.indexOf('lambda_timeout'), CATEGORIES.indexOf('lambda_throttling') + 1),
  'Applications and hosts': CATEGORIES.slice(CATEGORIES.indexOf('heap_oom'), CATEGORIES.indexOf('alarm_misconfigured') + 1),
  Fallback: ['unknown'],
};

/** The group a category belongs to. */
export function groupOf(category: Category): string {
  for (const [group, members] of Object.entries(CATEGORY_GROUPS)) if (members.includes(category)) return group;
  return 'Fallback';
}

/** Accuracy counts of one slice. */
export interface Accuracy {
  readonly n: number;
  readonly top1: number;
  readonly top3: number;
}

/** Metrics document written to `metrics.json` beside the model. */
export interface HeldoutMetrics {
  readonly overall: Accuracy;
  readonly groups: Readonly<Record<string, Accuracy>>;
  readonly categories: Readonly<Record<string, Accuracy>>;
}

/**
 * Scores predictions: `ranked[i]` is the label list of example i, best first; `gold[i]` its label.
 * Accuracies are fractions in [0, 1], rounded to 4 decimals so the document is stable.
 */
export function scoreHeldout(ranked: readonly (readonly Category[])[], gold: readonly Category[]): HeldoutMetrics {
  const acc = new Map<string, { n: number; t1: number; t3: number }>();
  const bump = (key: string, t1: boolean, t3: boolean): void => {
    const a = acc.get(key) ?? { n: 0, t1: 0, t3: 0 };
    a.n++;
    if (t1) a.t1++;
    if (t3) a.t3++;
    acc.set(key, a);
  };
  gold.forEach((label, i) => {
    const r = ranked[i]!;
    const t1 = r[0] === label;
    const t3 = r.slice(0, 3).includes(label);
    bump('*', t1, t3);
    bump(`g:${groupOf(label)}`, t1, t3);
    bump(`c:${label}`, t1, t3);
  });
  const out = (key: string): Accuracy => {
    const a = acc.get(key) ?? { n: 0, t1: 0, t3: 0 };
    const r4 = (x: number): number => Math.round(x * 10000) / 10000;
    return { n: a.n, top1: a.n ? r4(a.t1 / a.n) : 0, top3: a.n ? r4(a.t3 / a.n) : 0 };
  };
  return {
    overall: out('*'),
    groups: Object.fromEntries(Object.keys(CATEGORY_GROUPS).map((g) => [g, out(`g:${g}`)])),
    categories: Object.fromEntries(CATEGORIES.filter((c) => acc.has(`c:${c}`)).map((c) => [c, out(`c:${c}`)])),
  };
}
