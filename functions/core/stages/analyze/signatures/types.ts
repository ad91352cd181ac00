/** Shapes of the signature catalogue's entries. */
import type { Category } from '../../../model/categories.js';
import type { EvidenceLine, LineKind } from './lines.js';

/** A known-failure signature. */
export interface Signature {
  /** Stable id, `<area>.<what>`, e.g. `k8s.oomkilled-reason`. */
  readonly id: string;
  readonly category: Category;
  /** Specificity in (0, 1]. */
  readonly weight: number;
  /** Tested against each line's text. */
  readonly pattern: RegExp;
  /** Line kinds it applies to; default: log, describe, event, incident. */
  readonly on?: readonly LineKind[];
  /** For event lines: the event reason must match (other kinds ignore it). */
  readonly reason?: RegExp;
  /** When this also matches the line, the signature does not apply (a negative guard). */
  readonly unless?: RegExp;
}

/** A signature that needs logic beyond one regular expression. */
export interface ComputedSignature {
  readonly id: string;
  /** Returns zero or more (category, weight) verdicts for the line. */
  readonly evaluate: (line: EvidenceLine) => ReadonlyArray<{ category: Category; weight: number }>;
  /**
   * A pattern every line it gives a verdict on matches (a necessary condition, not a verdict):
   * the signatures' pre-filter reads its required literals and skips `evaluate` on lines that
   * hold none of them. Optional; without it `evaluate` runs on every line.
   */
  readonly requires?: RegExp;
}

