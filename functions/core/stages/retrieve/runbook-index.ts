/**
 * The runbook index: BM25 over heading-chunked Markdown (MiniSearch), optionally fused with dense
 * retrieval through a {@link TextEmbedder} by reciprocal-rank fusion.
 *
 * Sources:
 * - BM25 scoring: MiniSearch 7 scores with BM25+ (Lv & Zhai, "Lower-bounding term frequency
 *   normalization", CIKM 2011); we set the classic k1 = 1.2, b = 0.75 and the BM25+ delta 0.5.
 * - Reciprocal-rank fusion: Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms
 *   Condorcet and individual Rank Learning Methods", SIGIR 2009; score = Σ 1 / (60 + rank).
 */
import MiniSearch, { type Options } from 'minisearch';
import type { RunbookPassage } from '../../model/analysis.js';
import type { TextEmbedder } from '../../ports/model.port.js';
import type { RunbookDocument } from '../../ports/runbook-source.port.js';
import { InvalidInputError } from '../../model/errors.js';
import { chunkRunbook, type ChunkOptions, type RunbookChunk } from './chunk.js';
import { processTerm, tokenize } from './tokenize.js';

/** Field boosts: a query term in a heading says more than one in the body. */
export const FIELD_BOOSTS = { title: 1.5, heading: 2.5, categories: 2, text: 1 } as const;
/** BM25+ parameters passed to MiniSearch (k1, b, delta). */
export const BM25_PARAMS = { k: 1.2, b: 0.75, d: 0.5 } as const;
/** The RRF constant of Cormack et al. (2009). */
export const RRF_K = 60;

/** Characters of a chunk given to the embedder (title + heading path + text). */
const EMBED_CHARS = 2000;
const EMBED_BATCH = 32;

/** Per-search options of {@link RunbookIndex.search}. */
export interface RunbookSearchOptions {
  /**
   * Weight per index term (after {@link processTerm}: lower case, CamelCase parts), default 1:
   * e.g. terms of categories the analysis matched count more than words of a long log line.
   */
  readonly termBoosts?: ReadonlyMap<string, number>;
  /** Keeps only passages for which it returns true (e.g. passages declaring one category). */
  readonly filter?: (passage: { readonly id: string; readonly categories: readonly string[] }) => boolean;
}

/**
 * The distinct index terms of `query`, in first-seen order. Queries built from evidence repeat
 * words (every `kubectl describe` says `Back-off restarting failed container` many times); BM25
 * over such verbose queries ranks better when each term counts once and weights say what matters.
 */
export function queryTerms(query: string): string[] {
  const seen = new Set<string>();
  for (const word of tokenize(query)) for (const term of processTerm(word) ?? []) seen.add(term);
  return [...seen];
}

export interface RunbookIndexOptions extends ChunkOptions {
  /** When given, chunks are embedded at build time and {@link RunbookIndex.searchAsync} fuses dense and BM25 ranks. */
  readonly embedder?: TextEmbedder;
}

/** Version of {@link SerializedRunbookIndex}; bump when chunking, terms or fields change. */
export const RUNBOOK_INDEX_FORMAT = 1;

/** A built index as JSON, for shipping a prebuilt index (e.g. in a Lambda layer). */
export interface SerializedRunbookIndex {
  readonly format: typeof RUNBOOK_INDEX_FORMAT;
  readonly chunks: readonly RunbookChunk[];
  /** MiniSearch's own serialisation (`MiniSearch#toJSON`). */
  readonly bm25: unknown;
  readonly embedderId?: string;
  /** One embedding per chunk, when built with an embedder. */
  readonly vectors?: readonly (readonly number[])[];
}

interface IndexedChunk {
  id: string;
  title: string;
  heading: string;
  categories: string;
  text: string;
}

const MINISEARCH_OPTIONS: Options<IndexedChunk> = {
  idField: 'id',
  fields: ['title', 'heading', 'categories', 'text'],
  storeFields: [],
  tokenize,
  processTerm,
  searchOptions: { boost: { ...FIELD_BOOSTS }, bm25: { ...BM25_PARAMS }, combineWith: 'OR', prefix: false, fuzzy: false },
};

/** Turns a chunk into the search result shape. */
function toPassage(chunk: RunbookChunk, score: number): RunbookPassage {
  return {
    id: chunk.id,
    title: chunk.title,
    heading: chunk.heading,
    path: chunk.path,
    text: chunk.text,
    score,
    categories: chunk.categories,
  };
}

function embedText(chunk: RunbookChunk): string {
  return `${chunk.title}. ${chunk.headingPath.join(' > ')}. ${chunk.text}`.slice(0, EMBED_CHARS);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) sum += a[i]! * b[i]!;
  return sum;
}

/**
 * A searchable set of runbook passages.
 *
 * @example
 *   const index = await RunbookIndex.build(await runbookFolderSource('knowledge-base', 'bundled').load());
 *   index.search('Reason: OOMKilled exit code 137', 3)[0].heading; // 'Container killed for exceeding its memory limit (`oom_killed`)'
 */
export class RunbookIndex {
  private constructor(
    private readonly chunkList: readonly RunbookChunk[],
    private readonly byId: ReadonlyMap<string, RunbookChunk>,
    private readonly bm25: MiniSearch<IndexedChunk>,
    private readonly embedder: TextEmbedder | undefined,
    private readonly vectors: readonly Float32Array[],
  ) {}

  /**
   * Chunks and indexes `docs`. With `options.embedder`, every chunk is embedded once here
   * (batches of 32); an embedder failure rejects the build, so the caller can rebuild without it.
   *
   * @throws InvalidInputError naming a document whose front matter is invalid.
   */
  static async build(docs: readonly RunbookDocument[], options: RunbookIndexOptions = {}): Promise<RunbookIndex> {
    const chunks: RunbookChunk[] = [];
    const byId = new Map<string, RunbookChunk>();
    for (const doc of docs) {
      for (const chunk of chunkRunbook(doc, options)) {
        // Ids are unique per document; the same path given twice (two roots of one name) is suffixed.
        let id = chunk.id;
        for (let n = 2; byId.has(id); n++) id = `${chunk.id}~${n}`;
        const unique = id === chunk.id ? chunk : { ...chunk, id };
        chunks.push(unique);
        byId.set(id, unique);
      }
    }
    const bm25 = new MiniSearch<IndexedChunk>(MINISEARCH_OPTIONS);
    bm25.addAll(
      chunks.map((c) => ({
        id: c.id,
        title: c.title,
        heading: c.headingPath.join(' '),
        categories: c.categories.join(' '),
        text: c.text,
      })),
    );
    const vectors: Float32Array[] = [];
    if (options.embedder) {
      for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
        const batch = chunks.slice(i, i + EMBED_BATCH).map(embedText);
        vectors.push(...(await options.embedder.embed(batch)));
      }
    }
    return new RunbookIndex(chunks, byId, bm25, options.embedder, vectors);
  }

  /** The index as JSON-serialisable data; {@link RunbookIndex.fromJSON} restores it without re-chunking or re-embedding. */
  toJSON(): SerializedRunbookIndex {
    return {
      format: RUNBOOK_INDEX_FORMAT,
      chunks: this.chunkList,
      bm25: this.bm25.toJSON(),
      ...(this.embedder ? { embedderId: this.embedder.id, vectors: this.vectors.map((v) => Array.from(v)) } : {}),
    };
  }

  /**
   * Restores an index from {@link RunbookIndex.toJSON}. Pass the same embedder (same `id`) to keep
   * dense retrieval; without one the index is BM25 only.
   *
   * @throws InvalidInputError naming `runbook index` when the data is of another format version,
   *   or the embedder's id differs from the one the vectors were made with.
   */
  static fromJSON(data: SerializedRunbookIndex, options: { embedder?: TextEmbedder } = {}): RunbookIndex {
    if (data?.format !== RUNBOOK_INDEX_FORMAT || !Array.isArray(data.chunks)) {
      throw new InvalidInputError('runbook index', `not a serialised runbook index of format ${RUNBOOK_INDEX_FORMAT}`);
    }
    if (options.embedder && options.embedder.id !== data.embedderId) {
      throw new InvalidInputError('runbook index', `vectors were made by ${data.embedderId ?? 'no embedder'}, not ${options.embedder.id}`);
    }
    const bm25 = MiniSearch.loadJSON<IndexedChunk>(JSON.stringify(data.bm25), MINISEARCH_OPTIONS);
    const byId = new Map(data.chunks.map((c) => [c.id, c] as const));
    const vectors = options.embedder ? (data.vectors ?? []).map((v) => Float32Array.from(v)) : [];
    return new RunbookIndex(data.chunks, byId, bm25, options.embedder, vectors);
  }

  /** Number of indexed passages. */
  get size(): number {
    return this.chunkList.length;
  }

  /** All chunks, in document order. */
  get chunks(): readonly RunbookChunk[] {
    return this.chunkList;
  }

  /** Id of the embedder used for dense retrieval, when there is one. */
  get embedderId(): string | undefined {
    return this.embedder?.id;
  }

  /**
   * BM25 search: the `k` best passages, best first; `score` is MiniSearch's BM25+ score (unbounded,
   * comparable only within one query). Each distinct query term counts once, times its weight in
   * `options.termBoosts`. A query with no indexable term returns `[]`.
   */
  search(query: string, k = 5, options: RunbookSearchOptions = {}): RunbookPassage[] {
    if (k <= 0) return [];
    return this.lexical(query, options)
      .slice(0, k)
      .map((r) => toPassage(this.byId.get(r.id)!, r.score));
  }

  private lexical(query: string, options: RunbookSearchOptions): Array<{ id: string; score: number }> {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    const boosts = options.termBoosts;
    const filter = options.filter;
    return this.bm25
      .search(terms.join(' '), {
        ...(boosts ? { boostTerm: (term: string) => boosts.get(term) ?? 1 } : {}),
        ...(filter ? { filter: (r) => filter(this.byId.get(String(r.id))!) } : {}),
      })
      .map((r) => ({ id: String(r.id), score: r.score }));
  }

  /**
   * Like {@link search}, fused with dense retrieval when the index has an embedder: each list's
   * top `max(50, 5k)` are combined by reciprocal-rank fusion, and `score` is the RRF score
   * (at most 2 / 61). Without an embedder it is {@link search}.
   */
  async searchAsync(query: string, k = 5, options: RunbookSearchOptions = {}): Promise<RunbookPassage[]> {
    if (!this.embedder || this.vectors.length === 0) return this.search(query, k, options);
    if (k <= 0 || !query.trim()) return [];
    const depth = Math.max(50, 5 * k);
    const lexical = this.lexical(query, options).slice(0, depth).map((r) => r.id);
    const [q] = await this.embedder.embed([query.slice(0, EMBED_CHARS)]);
    const filter = options.filter;
    const dense = q
      ? this.chunkList
          .map((c, i) => ({ chunk: c, sim: dot(q, this.vectors[i]!) }))
          .filter((d) => !filter || filter(d.chunk))
          .sort((a, b) => b.sim - a.sim)
          .slice(0, depth)
          .map((d) => d.chunk.id)
      : [];
    const fused = new Map<string, number>();
    for (const list of [lexical, dense]) {
      list.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
    }
    return [...fused.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, k)
      .map(([id, score]) => toPassage(this.byId.get(id)!, score));
  }
}
