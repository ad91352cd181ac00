/**
 * Chunking of Markdown runbooks by heading.
 *
 * A document is split at its headings with `marked`'s lexer (so `#` inside fenced code is never
 * taken for a heading). Each chunk keeps the document title (front matter `title:`, else the
 * first `#` heading, else the file name), the heading path from the top of the document, and
 * the raw Markdown of the section. Sections are split at `#`/`##`; a section longer than
 * `maxChars` is split again at its deeper headings (`###`, then `####`, …) so that long pages
 * of external knowledge bases yield passages of a useful size.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { parse as parseYaml } from 'yaml';
import { isCategory, type Category } from '../../model/categories.js';
import { InvalidInputError } from '../../model/errors.js';
import type { RunbookDocument } from '../../ports/runbook-source.port.js';

/** One passage of a runbook: the unit the index searches. */
export interface RunbookChunk {
  /** `<path>#<heading-slug>`, unique within an index (a numeric suffix disambiguates repeats). */
  readonly id: string;
  readonly path: string;
  readonly title: string;
  /**
   * The chunk's heading: its innermost heading, prefixed by its parent's (`Parent › Child`) when
   * it is nested; the title for text before the first heading.
   */
  readonly heading: string;
  /** Headings from the top of the document down to this chunk, e.g. `['Memory', 'OOMKilled']`. */
  readonly headingPath: readonly string[];
  /** The section's Markdown, headings of nested sections included. */
  readonly text: string;
  /**
   * Categories of the chunk: the catalogue ids its own heading path names (e.g. a heading
   * ``## Container OOMKilled (`oom_killed`)``), else all the document declares in front matter.
   */
  readonly categories: readonly Category[];
}

/** Front matter fields the knowledge base reads; other keys are ignored. */
export interface RunbookFrontMatter {
  readonly title?: string;
  readonly categories: readonly Category[];
}

export interface ChunkOptions {
  /** A section longer than this (characters) is split at deeper headings. Default 4000. */
  readonly maxChars?: number;
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;
/** Category ids a heading names: in backticks (`` `deadlock` ``), or any snake_case word. */
const CATEGORY_IN_TEXT = /`([a-z][a-z0-9_]*)`|\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b/g;

/**
 * Splits YAML front matter (`---` … `---` at the very start) from the body.
 * Unknown category names in `categories:` are an error: a typo would silently hide a runbook.
 *
 * @throws InvalidInputError naming `path` when the front matter is not valid YAML or names an
 *   unknown category.
 */
export function parseFrontMatter(
  markdown: string,
  path: string,
): { frontMatter: RunbookFrontMatter; body: string } {
  const match = FRONT_MATTER.exec(markdown);
  if (!match) return { frontMatter: { categories: [] }, body: markdown };
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '', { maxAliasCount: 50, prettyErrors: false });
  } catch (error) {
    throw new InvalidInputError(path, `front matter is not valid YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const body = markdown.slice(match[0].length);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { frontMatter: { categories: [] }, body };
  }
  const record = data as Record<string, unknown>;
  const title = typeof record.title === 'string' && record.title.trim() ? record.title.trim() : undefined;
  const raw = record.categories;
  const categories: Category[] = [];
  if (raw !== undefined && raw !== null) {
    const list = Array.isArray(raw) ? raw : [raw];
    for (const value of list) {
      if (!isCategory(value)) {
        throw new InvalidInputError(path, `front matter names an unknown category: ${JSON.stringify(value)}`);
      }
      categories.push(value);
    }
  }
  return { frontMatter: { title, categories }, body };
}

/** GitHub-style heading slug: lower case, punctuation dropped, spaces to `-`. */
export function slugify(heading: string): string {
  const slug = heading
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
  return slug || 'section';
}

/** Plain text of a heading token (inline Markdown and anchors such as `<a name=…>` removed). */
function headingText(token: Tokens.Heading): string {
  return token.text
    .replace(/<[^<>]+>/g, '')
    .replace(/\[([^[\]]*)\]\([^()]*\)/g, '$1')
    .replace(/[*`]/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function categoriesNamedIn(text: string): Category[] {
  const found: Category[] = [];
  for (const m of text.matchAll(CATEGORY_IN_TEXT)) {
    const id = m[1] ?? m[2];
    if (isCategory(id) && !found.includes(id)) found.push(id);
  }
  return found;
}

function fileTitle(path: string): string {
  const base = path.split('/').pop() ?? path;
  return base.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ');
}

interface Section {
  headingPath: string[];
  /** The headings' Markdown source text (backticks kept), parallel to `headingPath`. */
  rawPath: string[];
  tokens: Token[];
}

/** Splits `tokens` at headings of depth <= `depth`; text before the first such heading stays. */
function splitAt(tokens: readonly Token[], depth: number, parentPath: readonly string[], parentRaw: readonly string[]): Section[] {
  const sections: Section[] = [];
  let current: Section = { headingPath: [...parentPath], rawPath: [...parentRaw], tokens: [] };
  // Heading stack relative to parentPath, indexed by depth.
  const stack: Array<{ depth: number; text: string; raw: string }> = [];
  for (const token of tokens) {
    if (token.type === 'heading' && (token as Tokens.Heading).depth <= depth) {
      const heading = token as Tokens.Heading;
      if (current.tokens.length > 0) sections.push(current);
      while (stack.length > 0 && stack[stack.length - 1]!.depth >= heading.depth) stack.pop();
      stack.push({ depth: heading.depth, text: headingText(heading), raw: heading.text });
      current = {
        headingPath: [...parentPath, ...stack.map((s) => s.text)],
        rawPath: [...parentRaw, ...stack.map((s) => s.raw)],
        tokens: [token],
      };
    } else {
      current.tokens.push(token);
    }
  }
  if (current.tokens.length > 0) sections.push(current);
  return sections;
}

function rawOf(tokens: readonly Token[]): string {
  return tokens.map((t) => t.raw).join('');
}

function refine(section: Section, depth: number, maxChars: number): Section[] {
  if (depth > 6 || rawOf(section.tokens).length <= maxChars) return [section];
  const [first, ...rest] = section.tokens;
  const hasOwnHeading = first?.type === 'heading';
  const inner = hasOwnHeading ? rest : section.tokens;
  if (!inner.some((t) => t.type === 'heading' && (t as Tokens.Heading).depth === depth)) {
    return refine(section, depth + 1, maxChars);
  }
  const parts = splitAt(inner, depth, section.headingPath, section.rawPath);
  if (hasOwnHeading && first) {
    // The section's own heading and intro stay together.
    if (parts[0] && parts[0].headingPath.length === section.headingPath.length) parts[0].tokens.unshift(first);
    else parts.unshift({ headingPath: [...section.headingPath], rawPath: [...section.rawPath], tokens: [first] });
  }
  return parts.flatMap((p) => refine(p, depth + 1, maxChars));
}

/**
 * Chunks one runbook document by heading.
 *
 * @returns chunks in document order; a heading with no content of its own before the next
 *   heading (e.g. a `# Title` directly followed by `## Section`) makes no chunk.
 * @throws InvalidInputError naming the document path when its front matter is invalid.
 * @example
 *   chunkRunbook({ path: 'bundled/storage.md', markdown: '# Storage\n## PVC pending\n…' })
 *   // → [{ id: 'bundled/storage.md#storage', … }, { id: 'bundled/storage.md#pvc-pending', heading: 'PVC pending', … }]
 */
export function chunkRunbook(doc: RunbookDocument, options: ChunkOptions = {}): RunbookChunk[] {
  const maxChars = options.maxChars ?? 4000;
  const { frontMatter, body } = parseFrontMatter(doc.markdown, doc.path);
  const tokens = new Lexer().lex(body);
  const firstH1 = tokens.find((t): t is Tokens.Heading => t.type === 'heading' && (t as Tokens.Heading).depth === 1);
  const title = frontMatter.title ?? (firstH1 ? headingText(firstH1) : fileTitle(doc.path));

  const sections = splitAt(tokens, 2, [], []).flatMap((s) => refine(s, 3, maxChars));
  const seen = new Map<string, number>();
  const chunks: RunbookChunk[] = [];
  for (const section of sections) {
    const text = rawOf(section.tokens).trim();
    // A heading with nothing under it (a title directly followed by its first section) adds only noise.
    if (!section.tokens.some((t) => t.type !== 'heading' && t.type !== 'space')) continue;
    // The document's own `# Title` heading adds nothing to the path.
    const headingPath = section.headingPath.filter((h, i) => !(i === 0 && h === title && section.headingPath.length > 1));
    // A subsection split off a long section keeps its parent's heading: `OOMKilled › How to confirm`.
    const heading = headingPath.length > 0 ? headingPath.slice(Math.max(0, headingPath.length - 2)).join(' › ') : title;
    const slug = slugify(headingPath[headingPath.length - 1] ?? title);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    const named = categoriesNamedIn(section.rawPath.join(' '));
    chunks.push({
      id: `${doc.path}#${n === 0 ? slug : `${slug}-${n}`}`,
      path: doc.path,
      title,
      heading,
      headingPath,
      text,
      categories: named.length > 0 ? named : frontMatter.categories,
    });
  }
  return chunks;
}
