/**
 * Port of the retrieve stage: where runbook documents come from (a folder, an S3 prefix).
 */

/** One Markdown runbook document. */
export interface RunbookDocument {
  /** Path relative to its knowledge-base root, prefixed with the root's name: `bundled/oom-killed.md`. */
  readonly path: string;
  readonly markdown: string;
}

export interface RunbookSource {
  /** All documents; throws when the source cannot be read at all. */
  load(): Promise<RunbookDocument[]>;
}
