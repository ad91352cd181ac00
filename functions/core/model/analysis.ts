/**
 * What the analyze, retrieve and infer stages produce.
 */
import type { Category } from './categories.js';
import type { EvidenceRef } from './evidence.js';

/** One mined log template with its statistics. */
export interface LogPattern {
  readonly templateId: string;
  /** Template text with variable parts written `<*>`. */
  readonly template: string;
  /** Events matching the template in the incident window. */
  readonly count: number;
  /** Events matching in the baseline window (0 when no baseline was collected). */
  readonly baselineCount: number;
  /** ISO-8601 time of the first and last matching event, when timestamps are known. */
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  /** Highest log level seen on matching lines (`ERROR`, `WARN`, …), when detected. */
  readonly level?: string;
  /** Up to 3 example events, exact. */
  readonly samples: readonly EvidenceRef[];
  /** Absent from the baseline window (only set when a baseline was collected). */
  readonly isNew: boolean;
  /** Rate rose well above the baseline rate (only set when a baseline was collected). */
  readonly isSpiking: boolean;
  /** Counts per time bucket over the window, for the report's timeline; bucket width in ms. */
  readonly timeline?: { readonly bucketMs: number; readonly start: number; readonly counts: readonly number[] };
}

/** A finding of a Kubernetes analyzer or another rule over collected objects. */
export interface Finding {
  /** The analyzer that produced it, e.g. `PodAnalyzer`. */
  readonly analyzer: string;
  /** Kubernetes kind (`Pod`, `Node`, …) or AWS resource type. */
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly severity: 'critical' | 'warning' | 'info';
  /** One sentence: what is wrong. */
  readonly message: string;
  /** The category the finding points to, when it points to one. */
  readonly category?: Category;
  readonly evidence: readonly EvidenceRef[];
}

/** A known-failure signature that matched. */
export interface SignatureMatch {
  readonly signatureId: string;
  readonly category: Category;
  /** Strength of the signature in (0, 1]: how specific it is to its category. */
  readonly weight: number;
  readonly evidence: EvidenceRef;
}

/** The analyze stage's output. */
export interface Analysis {
  readonly patterns: readonly LogPattern[];
  readonly findings: readonly Finding[];
  readonly signatureMatches: readonly SignatureMatch[];
  /**
   * Failure states the evidence shows (a CrashLoopBackOff, an evicted pod, a timeout …), each with
   * its plausible causes, most frequent first, and the first line showing it. Absent when the
   * analyze stage did not run.
   */
  readonly failureStates?: readonly FailureStateSeen[];
}

/** A failure state seen in the evidence (see analyze/signatures/states.ts). */
export interface FailureStateSeen {
  readonly id: string;
  /** The state in words, e.g. `a container restarting in a loop (CrashLoopBackOff)`. */
  readonly label: string;
  /** Plausible causes, most frequent first. */
  readonly causes: readonly Category[];
  /** The first line showing the state. */
  readonly evidence: EvidenceRef;
  /** Further distinct lines showing it, in input order (at most a few), also quoted. */
  readonly more?: readonly EvidenceRef[];
}

/** A runbook passage the retrieve stage found. */
export interface RunbookPassage {
  /** Stable id: `<path>#<heading-slug>`. */
  readonly id: string;
  readonly title: string;
  readonly heading: string;
  /** Path of the Markdown document, relative to its knowledge-base root, prefixed by the root's name. */
  readonly path: string;
  readonly text: string;
  readonly score: number;
  /** Categories the document declares (front matter `categories:`), if any. */
  readonly categories: readonly Category[];
}

/** An earlier diagnosis that resembles this incident. */
export interface SimilarIncident {
  readonly id: string;
  readonly createdAt: string;
  readonly title: string;
  readonly category: string;
  readonly score: number;
  readonly key?: string;
}

/** The retrieve stage's output. */
export interface Retrieval {
  readonly passages: readonly RunbookPassage[];
  readonly similarIncidents: readonly SimilarIncident[];
}

/** A concrete remediation step. */
export interface Action {
  readonly description: string;
  /** A `kubectl` or `aws` command, with placeholders filled from the incident where known. */
  readonly command?: string;
}

/** A reference to a runbook passage. */
export interface RunbookRef {
  readonly title: string;
  readonly heading: string;
  readonly path: string;
}

/** One ranked root-cause hypothesis. */
export interface Hypothesis {
  readonly category: Category;
  /** Calibrated confidence in [0, 1]. */
  readonly confidence: number;
  readonly summary: string;
  /** Exact input lines that support it. */
  readonly evidence: readonly EvidenceRef[];
  readonly actions: readonly Action[];
  readonly runbooks: readonly RunbookRef[];
  /** How much each signal contributed, for transparency: `signatures`, `findings`, `retrieval`, `model`. */
  readonly scores?: Readonly<Record<string, number>>;
}
