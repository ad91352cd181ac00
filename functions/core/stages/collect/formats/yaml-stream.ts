/**
 * Streaming reader of large Kubernetes YAML (`kubectl get … -o yaml` of a big cluster,
 * concatenated manifests): splits the line stream into documents at `---` and, inside a
 * `kind: List`, into the `items` entries kubectl prints as column-0 `- ` blocks, and parses one
 * document or item at a time with {@link parseEvidenceText}, so memory holds one document.
 */
import type { PartialContext } from '../../../ports/collector.port.js';
import { InvalidInputError } from '../../../model/errors.js';
import { parseEvidenceText } from './index.js';

/** True when the first content line of `head` starts Kubernetes YAML (`apiVersion:`, `kind:`, `---`, `items:`). */
export function looksLikeYamlDocument(head: string): boolean {
  for (const line of head.split('\n', 200)) {
    const l = line.replace(/\r$/, '');
    if (l.trim() === '' || l.startsWith('#')) continue;
    return /^(apiVersion|kind|items):(\s|$)/.test(l) || /^---\s*$/.test(l);
  }
  return false;
}

/** True for a document that only holds `apiVersion`, `metadata` and a `*List` kind (or no kind). */
function isListEnvelope(text: string): boolean {
  const keys = text.split('\n').filter((l) => /^[A-Za-z_]/.test(l)).map((l) => l.split(':', 1)[0]!);
  if (!keys.every((k) => k === 'apiVersion' || k === 'kind' || k === 'metadata')) return false;
  const kind = /^kind:\s*(\S*)/m.exec(text)?.[1];
  return kind === undefined || kind.endsWith('List');
}

/** Adds `offset` to every line number of a parsed part. */
function shift(parts: PartialContext, offset: number): PartialContext {
  return {
    ...parts,
    ...(parts.logs ? { logs: parts.logs.map((e) => (e.line === undefined ? e : { ...e, line: e.line + offset })) } : {}),
    ...(parts.kubernetesObjects ? { kubernetesObjects: parts.kubernetesObjects.map((o) => (o._line === undefined ? o : { ...o, _line: o._line + offset })) } : {}),
    ...(parts.kubernetesEvents ? { kubernetesEvents: parts.kubernetesEvents.map((e) => (e.line === undefined ? e : { ...e, line: e.line + offset })) } : {}),
    ...(parts.describes ? { describes: parts.describes.map((d) => ({
      ...d, line: d.line + offset,
      ...(d.containers ? { containers: d.containers.map((c) => ({
        ...c,
        reasons: c.reasons.map((r) => ({ ...r, row: { ...r.row, line: r.row.line + offset } })),
        ...(c.exit ? { exit: { ...c.exit, row: { ...c.exit.row, line: c.exit.row.line + offset } } } : {}),
      })) } : {}),
    })) } : {}),
  };
}

/**
 * Incremental YAML splitter. {@link push} every line (without its terminator) with its 1-based
 * number, then {@link end}; each complete document or list item is parsed and handed to `onParts`
 * with line numbers of the whole input. Errors of one document (invalid YAML) become a `degraded`
 * note and its lines are kept as text; a YAML bomb throws.
 */
export class YamlDocumentStream {
  private lines: string[] = [];
  private firstLine = 0;
  private chars = 0;
  private inItems = false;
  private itemMode = false;
  /** Documents or items over `maxDocumentChars`, skipped. */
  skipped = 0;

  constructor(
    private readonly source: string,
    private readonly onParts: (parts: PartialContext) => void,
    private readonly maxDocumentChars = 16 * 1024 * 1024,
  ) {}

  push(line: string, lineNo: number): void {
    if (/^---\s*$/.test(line) || /^\.\.\.\s*$/.test(line)) {
      this.flush();
      this.inItems = false;
      return;
    }
    if (this.inItems && line.startsWith('- ')) {
      // a new list item: kubectl prints `items:` entries as `- apiVersion: …` at column 0
      this.flush();
      this.itemMode = true;
      this.add(line.slice(2), lineNo);
      return;
    }
    if (this.itemMode && /^[A-Za-z_]/.test(line)) {
      // back at the List's own keys (`kind: List`, `metadata:`)
      this.flush();
      this.itemMode = false;
    }
    if (!this.itemMode && /^items:\s*$/.test(line)) {
      this.flush();
      this.inItems = true;
      return;
    }
    if (!this.itemMode && /^items:\s*\[\]\s*$/.test(line)) return;
    this.add(this.itemMode && line.startsWith('  ') ? line.slice(2) : line, lineNo);
  }

  private add(line: string, lineNo: number): void {
    if (this.lines.length === 0) this.firstLine = lineNo;
    this.chars += line.length + 1;
    if (this.chars > this.maxDocumentChars) {
      if (this.lines.length > 0) this.skipped++;
      this.lines = [];
      this.chars = 0;
      return;
    }
    this.lines.push(line);
  }

  private flush(): void {
    const text = this.lines.join('\n');
    const first = this.firstLine;
    this.lines = [];
    this.chars = 0;
    if (text.trim() === '') return;
    // the List's own fields around `items:` (`apiVersion: v1` … `kind: List`, `metadata: …`) carry no evidence
    if (!this.itemMode && isListEnvelope(text)) return;
    let parts: PartialContext;
    try {
      parts = parseEvidenceText(text, this.source);
    } catch (error) {
      if (error instanceof InvalidInputError && error.code === 'INVALID_YAML') {
        parts = { degraded: [{ component: `parse:${this.source}`, kind: 'error', reason: `line ${first}: ${error.message}` }] };
      } else throw error;
    }
    this.onParts(shift(parts, first - 1));
  }

  end(): void {
    this.flush();
  }
}
