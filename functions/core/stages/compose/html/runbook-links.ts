/**
 * What the HTML report needs to make its runbook references links: the cited passage's text
 * (from the runbook index's chunks) and, where the composition root knows one, the address the
 * runbook opens at. Pure: the roots map runbook paths to files or URLs.
 */
import type { RunbookRef } from '../../../model/analysis.js';
import { slugify } from '../../retrieve/index.js';

/** A runbook passage as the index holds it (`RunbookChunk`'s fields the report reads). */
export interface RunbookText {
  /** `<root name>/<path inside the root>`, e.g. `bundled/oom-and-memory.md`. */
  readonly path: string;
  /** `Parent › Child` or the title (text before the first heading). */
  readonly heading: string;
  /** The section's Markdown. */
  readonly text: string;
}

/**
 * A lookup of the passage a {@link RunbookRef} cites: the text of every chunk with its path and
 * heading (a long section is split into several chunks), joined; undefined for a passage the
 * index does not hold (a runbook removed since the diagnosis, a report rendered elsewhere).
 */
export function runbookPassageLookup(chunks: readonly RunbookText[]): (ref: RunbookRef) => string | undefined {
  const byKey = new Map<string, string[]>();
  for (const c of chunks) {
    const key = `${c.path}\u0000${c.heading}`;
    const texts = byKey.get(key);
    if (texts) texts.push(c.text);
    else byKey.set(key, [c.text]);
  }
  return (ref) => byKey.get(`${ref.path}\u0000${ref.heading}`)?.join('\n\n');
}

/**
 * The GitHub-style anchor of a reference's heading: its innermost part (`Parent › Child` →
 * `child`), as Markdown viewers name heading anchors.
 * @example runbookAnchor({ title: 'Memory', heading: 'Memory › OOMKilled', path: 'bundled/m.md' }) // 'oomkilled'
 */
export function runbookAnchor(ref: RunbookRef): string {
  const parts = ref.heading.split(' › ');
  return slugify(parts[parts.length - 1] ?? ref.heading);
}

/**
 * A `runbookHref` over runbook roots: `roots[<root name>]` turns the path inside that root into
 * an address (a `file://` URL, an HTTPS URL); the heading's anchor is appended. Paths that climb
 * out of their root (`..`) get no link.
 * @example
 *   const href = runbookHrefFromRoots({ team: (p) => `https://runbooks.example.com/${p}` });
 *   href({ title: 'DNS', heading: 'CoreDNS', path: 'team/dns.md' }); // 'https://runbooks.example.com/dns.md#coredns'
 */
export function runbookHrefFromRoots(roots: Readonly<Record<string, (pathInRoot: string) => string | undefined>>): (ref: RunbookRef) => string | undefined {
  return (ref) => {
    const slash = ref.path.indexOf('/');
    if (slash <= 0) return undefined;
    const root = ref.path.slice(0, slash);
    const rest = ref.path.slice(slash + 1);
    if (rest.split('/').some((segment) => segment === '..' || segment === '')) return undefined;
    const to = Object.prototype.hasOwnProperty.call(roots, root) ? roots[root] : undefined;
    const base = to?.(rest);
    return base ? `${base}#${runbookAnchor(ref)}` : undefined;
  };
}
