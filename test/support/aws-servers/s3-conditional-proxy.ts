/**
 * S3 for tests: `s3rver` behind a small proxy that enforces S3 conditional writes
 * (`If-None-Match: *` → 412 when the key exists; `If-Match: <etag>` → 412 when the key's ETag
 * differs), which s3rver itself ignores. Everything else is forwarded unchanged (the SigV4
 * signature covers the Host header, which is kept). Source of the semantics:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';

export interface LocalS3 {
  /** The proxy's URL: point `AWS_ENDPOINT_URL_S3` here. */
  readonly url: string;
  /** Credentials s3rver checks signatures with. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Conditional writes the proxy refused (412). */
  readonly refused: string[];
  /** Every request as `METHOD /bucket/key` (query omitted), in order. */
  readonly requests: string[];
  /** Headers of every forwarded PUT by path (`/bucket/key`): content type and encryption. */
  readonly puts: Map<string, { contentType?: string; sse?: string; kmsKeyId?: string }>;
  stop(): Promise<void>;
}

/** Starts s3rver with `buckets` and the enforcing proxy, both on 127.0.0.1 random ports. */
export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
  const { port: backendPort } = (await s3rver.run()) as AddressInfo;
  const refused: string[] = [];
  const requests: string[] = [];
  const puts = new Map<string, { contentType?: string; sse?: string; kmsKeyId?: string }>();
  // Serialise conditional writes so check-then-forward is atomic, as S3 is.
  let chain: Promise<unknown> = Promise.resolve();

  const head = (urlPath: string): Promise<{ status: number; etag?: string }> => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: backendPort, method: 'HEAD', path: urlPath }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, etag: res.headers.etag });
    });
    req.on('error', reject);
    req.end();
  });

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> => new Promise((resolve) => {
    if (req.method === 'PUT') {
      puts.set(decodeURIComponent((req.url ?? '/').split('?')[0]!), {
        contentType: req.headers['content-type'],
        sse: req.headers['x-amz-server-side-encryption'] as string | undefined,
        kmsKeyId: req.headers['x-amz-server-side-encryption-aws-kms-key-id'] as string | undefined,
      });
    }
    const upstream = http.request({ host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on('end', resolve);
    });
    upstream.on('error', (error) => {
      // an upstream reset after the response started: end what was sent, never write headers twice
      if (!res.headersSent) res.writeHead(502);
      res.end(res.headersSent ? undefined : String(error));
      resolve();
    });
    upstream.end(body);
  });

  const server = http.createServer(async (req, res) => {
    requests.push(`${req.method} ${decodeURIComponent((req.url ?? '/').split('?')[0]!)}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const ifNoneMatch = req.headers['if-none-match'];
    const ifMatch = req.headers['if-match'];
    if (req.method !== 'PUT' || (!ifNoneMatch && !ifMatch)) return void (await forward(req, res, body));
    const run = chain.then(async () => {
      const urlPath = (req.url ?? '/').split('?')[0]!;
      const current = await head(urlPath);
      const exists = current.status === 200;
      const fails = (ifNoneMatch === '*' && exists) || (ifMatch !== undefined && (!exists || current.etag !== ifMatch));
      if (fails) {
        refused.push(`${req.method} ${urlPath}`);
        res.writeHead(412, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>');
        return;
      }
      await forward(req, res, body);
    });
    chain = run.catch(() => undefined);
    await run;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    refused,
    requests,
    puts,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await s3rver.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
