/**
 * A {@link RunbookSource} over a folder of Markdown files (the bundled `knowledge-base/`, or any
 * `--kb DIR` such as `../shared/data/knowledge-base`).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputTooLargeError, InvalidInputError, describeError } from '../../core/model/errors.js';
import type { RunbookDocument, RunbookSource } from '../../core/ports/runbook-source.port.js';

/** Largest runbook file read, bytes. */
export const MAX_RUNBOOK_BYTES = 2 * 1024 * 1024;
/** Most documents read from one folder. */
export const MAX_RUNBOOK_FILES = 5000;

/** File names that describe a folder rather than being runbooks (compared case-insensitively). */
const NOT_RUNBOOKS = new Set(['provenance.md', 'readme.md', 'license.md', 'changelog.md', 'contributing.md', 'code_of_conduct.md']);
const MARKDOWN = /\.(?:md|markdown)$/i;
const ASCIIDOC = /\.(?:adoc|asciidoc)$/i;

/**
 * A small AsciiDoc → Markdown conversion, enough for heading-based chunking and BM25 of AsciiDoc
 * documentation (the AWS user guides are written in it; syntax per https://docs.asciidoctor.org/asciidoc/latest/):
 * section titles `=`…`======` become `#`…`######`; listing (`----`) and literal (`....`) blocks
 * become fenced code; comments, `include::` directives, attribute entries (with their `\`
 * continuation lines), anchors, block attribute lines, open-block (`--`) and table delimiters
 * are dropped; `link:`/`xref:`/URL macros and `<<ref,text>>`
 * keep their text; `{aws}` becomes `AWS`; `[.replaceable]`/`[.noloc]` roles are removed.
 * Everything else is kept as is.
 */
export function asciidocToMarkdown(text: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  let comment = false;
  let continued = false;
  for (const line of text.split(/\r?\n/)) {
    if (continued) {
      continued = /\\\s*$/.test(line);
      continue;
    }
    if (comment) {
      if (/^\/{4,}\s*$/.test(line)) comment = false;
      continue;
    }
    if (fence) {
      if (line.trim() === fence) {
        out.push('```');
        fence = undefined;
      } else out.push(line);
      continue;
    }
    if (/^\/{4,}\s*$/.test(line)) {
      comment = true;
      continue;
    }
    const delimiter = /^(-{4,}|\.{4,})\s*$/.exec(line);
    if (delimiter) {
      fence = delimiter[1];
      out.push('```');
      continue;
    }
    if (/^:[\w-]+:/.test(line)) {
      continued = /\\\s*$/.test(line);
      continue;
    }
    if (/^\/\//.test(line) || /^include::/.test(line) || /^--\s*$/.test(line) || /^\[\[.*\]\]\s*$/.test(line) || /^\[[^\]]*\]\s*$/.test(line) || /^\|===\s*$/.test(line)) {
      continue;
    }
    if (/^\+\s*$/.test(line)) {
      out.push('');
      continue;
    }
    const heading = /^(={1,6})\s+(.*)$/.exec(line);
    const inline = (s: string) =>
      s
        .replace(/\[\.(?:replaceable|noloc|path|code)\]/g, '')
        .replace(/\{aws\}/g, 'AWS')
        .replace(/(?<![^\s([])(?:link|xref):([^\s[]+)\[([^\],[]*)[^\][]*\]/g, (_m, target: string, label: string) => label || target)
        .replace(/(?<![^\s([])(https?:\/\/[^\s[]+)\[([^\],[]*)[^\][]*\]/g, (_m, url: string, label: string) => label || url)
        .replace(/<<([^,<>]+),([^<>]+)>>/g, '$2')
        .replace(/<<([^<>]+)>>/g, '$1');
    out.push(heading ? `${'#'.repeat(heading[1]!.length)} ${inline(heading[2]!)}` : inline(line));
  }
  if (fence) out.push('```');
  return out.join('\n');
}

export interface RunbookFolderOptions {
  /** Extra file names (case-insensitive) to skip besides PROVENANCE.md, LICENSE.md and the like. */
  readonly skip?: readonly string[];
}

async function walk(dir: string, rel: string, out: string[]): Promise<void> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    const wanted = MARKDOWN.test(entry.name) || ASCIIDOC.test(entry.name);
    if (entry.isDirectory()) await walk(dir, child, out);
    else if (entry.isFile() && wanted) out.push(child);
    // A symbolic link to a file is read; links to folders are not followed (no cycles).
    else if (entry.isSymbolicLink() && wanted && (await stat(path.join(dir, child)).catch(() => undefined))?.isFile()) out.push(child);
    if (out.length > MAX_RUNBOOK_FILES) {
      throw new InputTooLargeError(dir, `more than ${MAX_RUNBOOK_FILES} Markdown files; point --kb at a smaller folder`);
    }
  }
}

/**
 * Reads every `*.md` / `*.markdown` under `dir` recursively, and `*.adoc` converted by
 * {@link asciidocToMarkdown} (hidden folders and `node_modules`
 * skipped; `PROVENANCE.md`, `README.md`, `LICENSE.md`, `CHANGELOG.md`, `CONTRIBUTING.md`, `CODE_OF_CONDUCT.md`
 * skipped), in sorted path order. Paths are `<name>/<path relative to dir>` with `/` separators.
 * Pages without front matter are fine (the chunker titles them from their first `#`).
 *
 * `load()` throws {@link InvalidInputError} naming the folder when it cannot be read, or naming
 * a file that is not valid UTF-8; {@link InputTooLargeError} for a file over 2 MiB.
 *
 * @example
 *   const docs = await runbookFolderSource('../shared/data/knowledge-base', 'shared').load();
 *   docs[0].path; // 'shared/awsdocs-amazon-cloudwatch-user-guide/AlarmThatSendsEmail.md'
 */
export function runbookFolderSource(dir: string, name: string, options: RunbookFolderOptions = {}): RunbookSource {
  const skip = new Set([...NOT_RUNBOOKS, ...(options.skip ?? []).map((s) => s.toLowerCase())]);
  return {
    async load(): Promise<RunbookDocument[]> {
      let info;
      try {
        info = await stat(dir);
      } catch (error) {
        throw new InvalidInputError(dir, `runbook folder cannot be read (${describeError(error)})`, { cause: error });
      }
      if (!info.isDirectory()) throw new InvalidInputError(dir, 'runbook folder is not a directory');
      const files: string[] = [];
      await walk(dir, '', files);
      const decoder = new TextDecoder('utf-8', { fatal: true });
      const docs: RunbookDocument[] = [];
      for (const rel of files) {
        if (skip.has(path.posix.basename(rel).toLowerCase())) continue;
        const file = path.join(dir, rel);
        const size = (await stat(file)).size;
        if (size > MAX_RUNBOOK_BYTES) {
          throw new InputTooLargeError(file, `runbook is ${size} bytes; at most ${MAX_RUNBOOK_BYTES} bytes are read`);
        }
        let markdown: string;
        try {
          markdown = decoder.decode(await readFile(file));
        } catch (error) {
          throw new InvalidInputError(file, `runbook is not valid UTF-8 text (${describeError(error)})`, { cause: error });
        }
        docs.push({ path: `${name}/${rel}`, markdown: ASCIIDOC.test(rel) ? asciidocToMarkdown(markdown) : markdown });
      }
      return docs;
    },
  };
}
