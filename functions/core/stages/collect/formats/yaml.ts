/**
 * Kubernetes objects as YAML (`kubectl get -o yaml`, manifests): one document, several separated by
 * `---`, or a `kind: List` / `*List` with `items`. Read with the `yaml` package (YAML 1.2) with a
 * bound on alias expansion, so a "billion laughs" document is refused instead of expanded.
 */
import { LineCounter, parseAllDocuments, isMap, isSeq } from 'yaml';
import { InputTooLargeError, InvalidInputError } from '../../../model/errors.js';
import { isBlank } from './lines.js';
import { addKubernetesObject, isKubernetesObject } from './json.js';
import { parseLogLine } from './log-line.js';
import { isDescribeStart } from './describe.js';
import { isEventsHeader, isGetTableHeader } from './tables.js';
import type { EvidenceParts } from './types.js';

/** Most documents read from one YAML region. */
export const MAX_YAML_DOCUMENTS = 10_000;

/** True when a YAML region of Kubernetes objects starts at `lines[i]`. */
export function isYamlStart(lines: readonly string[], i: number): boolean {
  const line = lines[i]!;
  if (line.startsWith('#')) {
    // comments above a manifest (`# Source: chart/templates/x.yaml`) belong to it
    let k = i + 1;
    while (k < lines.length && k < i + 30 && (lines[k]!.startsWith('#') || isBlank(lines[k]!))) k++;
    return k < lines.length && k < i + 30 && !lines[k]!.startsWith('#') && isYamlStart(lines, k);
  }
  if (/^(apiVersion|kind):\s*\S/.test(line)) return true;
  if (/^---\s*$/.test(line)) {
    for (let k = i + 1; k < Math.min(lines.length, i + 30); k++) {
      const next = lines[k]!;
      if (isBlank(next) || next.startsWith('#')) continue;
      return /^(apiVersion|kind|metadata|items):/.test(next);
    }
  }
  return false;
}

function isYamlLine(line: string): boolean {
  if (isBlank(line) || /^[\s#-]/.test(line) || /^(---|\.\.\.)(\s|$)/.test(line)) return true;
  if (isDescribeStart(line) || isEventsHeader(line) || isGetTableHeader(line)) return false;
  // Kubernetes keys are camelCase; `ERROR: …` or `Name: …` at column 0 ends the region
  return /^["']?[a-z_][\w.\-/]*["']?:(\s|$)/.test(line);
}

/**
 * Parses the YAML region starting at `lines[start]` (it runs while lines look like YAML: indented,
 * `- ` items, comments, `---`, or `key:` lines). Kubernetes objects (and `*List` items) go to
 * `parts.kubernetesObjects` (`Event` objects to `parts.kubernetesEvents`) with `_source` and
 * `_line`; documents that are not Kubernetes objects are kept as log lines.
 *
 * @returns the index of the first line after the region
 * @throws InputTooLargeError when a document expands more than `maxAliasCount` aliases or the
 *   region holds more than {@link MAX_YAML_DOCUMENTS} documents
 * @throws InvalidInputError for a YAML syntax error when the region is the whole text (`whole`)
 */
export function parseYamlAt(
  lines: readonly string[], start: number, source: string, parts: EvidenceParts,
  options: { whole: boolean; maxAliasCount: number },
): number {
  let end = start + 1;
  while (end < lines.length && isYamlLine(lines[end]!)) end++;
  const region = lines.slice(start, end).join('\n');
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(region, { lineCounter, prettyErrors: true, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length > MAX_YAML_DOCUMENTS) {
    throw new InputTooLargeError(source, `more than ${MAX_YAML_DOCUMENTS} YAML documents from line ${start + 1}`);
  }
  const lineAt = (offset: number | undefined): number => (offset === undefined ? start + 1 : lineCounter.linePos(offset).line + start);
  // an invalid region is refused only when it is the whole input and clearly Kubernetes YAML;
  // otherwise (a log line that happens to start with `kind:`) it is kept as text
  const restBlank = lines.slice(end).every(isBlank) && /^apiVersion:/m.test(region) && /^kind:/m.test(region);
  for (const doc of list) {
    const docStart = doc.range?.[0];
    const docEnd = doc.range?.[2] ?? region.length;
    const keepAsText = (reason?: string): void => {
      const from = lineAt(docStart);
      const to = lineAt(Math.max(docStart ?? 0, docEnd - 1));
      if (reason) parts.degraded.push({ component: `parse:${source}`, kind: 'error', reason: `${reason}; lines ${from}-${to} were kept as text` });
      for (let k = from - 1; k < to && k < lines.length; k++) {
        if (!isBlank(lines[k]!)) parts.logs.push(parseLogLine(lines[k]!, source, k + 1));
      }
    };
    if (doc.errors.length > 0) {
      const first = doc.errors[0]!;
      const at = first.linePos?.[0];
      const where = at ? `line ${at.line + start}, column ${at.col}` : `line ${lineAt(docStart)}`;
      const message = `invalid YAML at ${where}: ${first.message.split('\n')[0]}`;
      if (options.whole && restBlank) throw new InvalidInputError(source, message, { code: 'INVALID_YAML' });
      keepAsText(message);
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: options.maxAliasCount });
    } catch (error) {
      if (error instanceof ReferenceError && /alias/i.test(error.message)) {
        throw new InputTooLargeError(
          source,
          `YAML document at line ${lineAt(docStart)} expands more than ${options.maxAliasCount} aliases (a YAML bomb?)`,
          { cause: error },
        );
      }
      throw new InvalidInputError(source, `unreadable YAML at line ${lineAt(docStart)}: ${(error as Error).message}`, { cause: error });
    }
    if (value === null || value === undefined) continue;
    if (!isKubernetesObject(value)) {
      keepAsText();
      continue;
    }
    const contents = doc.contents;
    const objectLine = lineAt(contents?.range?.[0]);
    let itemLines: number[] | undefined;
    if (isMap(contents)) {
      const items = contents.get('items', true);
      if (isSeq(items)) itemLines = items.items.map((item) => lineAt((item as { range?: [number, number, number] }).range?.[0]));
    }
    addKubernetesObject(value, objectLine, source, parts, (path) => {
      const m = /^items\/(\d+)$/.exec(path);
      return m && itemLines ? itemLines[Number(m[1])] ?? objectLine : objectLine;
    });
  }
  return end;
}
