/**
 * The dev/test split of the real-incident corpus (`eval/incidents/`): by source group, decided by
 * the group name's sha256 alone, so it never depends on results. Shared by the evaluation
 * (`eval/incidents.ts`) and the training corpus (`models/corpus/generate.ts`, which reads the dev
 * split's lines and never the test split's).
 */
import { createHash } from 'node:crypto';

/** Share of the hash range (source groups) assigned to the test split. */
export const TEST_SHARE = 0.36;

/** The source group a case is split by: `owner/name` on GitHub, else the page itself. */
export function sourceGroup(c: { readonly source: string; readonly repository?: string }): string {
  const gh = /^https?:\/\/github\.com\/([^/]+\/[^/#?]+)/i.exec(c.source);
  if (gh) return gh[1]!.toLowerCase();
  return c.source.replace(/[#?].*$/, '').replace(/\/+$/, '').toLowerCase();
}

/**
 * The split of a case: its source group's sha256 decides (the first {@link TEST_SHARE} of the hash
 * range is test), so the assignment depends on nothing but the group's name and never on results.
 */
export function splitOf(c: { readonly source: string; readonly repository?: string }): 'dev' | 'test' {
  const g = sourceGroup(c);
  return parseInt(createHash('sha256').update(`ops-assistant-incidents:${g}`).digest('hex').slice(0, 8), 16) / 0x1_0000_0000 < TEST_SHARE ? 'test' : 'dev';
}

