/**
 * `RunbookSource` on S3: every `*.md` object under a prefix (`KNOWLEDGE_PREFIX`), bounded in
 * objects and bytes. Paths are `<root name>/<key below the prefix>`.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { RunbookDocument, RunbookSource } from '../../core/ports/runbook-source.port.js';
import { mapLimit } from './bounds.js';

export interface S3RunbookSourceOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix, e.g. `knowledge-base/`. */
  readonly prefix: string;
  /** Name the paths are prefixed with; default `s3`. */
  readonly rootName?: string;
  /** Most documents read; default 500. */
  readonly maxDocuments?: number;
  /** Largest document read, bytes; larger ones are skipped; default 2 MiB. */
  readonly maxDocumentBytes?: number;
  /** Time bound of the whole load, ms; default 15 000. */
  readonly timeoutMs?: number;
}

/**
 * @example
 * const docs = await new S3RunbookSource({ client, bucket, prefix: 'knowledge-base/' }).load();
 */
export class S3RunbookSource implements RunbookSource {
  constructor(private readonly options: S3RunbookSourceOptions) {}

  /** @throws the SDK error when the prefix cannot be listed. */
  async load(): Promise<RunbookDocument[]> {
    const { client, bucket, prefix } = this.options;
    const signal = AbortSignal.timeout(this.options.timeoutMs ?? 15_000);
    const max = this.options.maxDocuments ?? 500;
    const maxBytes = this.options.maxDocumentBytes ?? 2 * 1024 * 1024;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal: signal });
      for (const o of page.Contents ?? []) {
        if (o.Key && /\.(md|markdown)$/i.test(o.Key) && (o.Size ?? 0) <= maxBytes && keys.length < max) keys.push(o.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && keys.length < max);
    const root = this.options.rootName ?? 's3';
    return mapLimit(keys, 8, async (key) => {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      return { path: `${root}/${key.slice(prefix.length).replace(/^\/+/, '')}`, markdown: await out.Body!.transformToString('utf-8') };
    });
  }
}
