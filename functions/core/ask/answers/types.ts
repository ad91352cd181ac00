/** Shapes shared by the ask answers. */

/**
 * Where a claim came from. `source` is a path with its line (`app.log:412`), a runbook passage
 * (`bundled/oom-and-memory.md#oom_killed`), `log:<template id>`, `finding:<kind>/<name>`, or
 * `diagnosis:<id>`. `text` is the quoted line or passage, redacted.
 */
export interface Citation {
  readonly source: string;
  readonly title?: string;
  readonly text: string;
}

/** What an answer module returns: the answer's text and what it cites. */
export interface PartialAnswer {
  readonly answer: string;
  readonly citations: readonly Citation[];
}
