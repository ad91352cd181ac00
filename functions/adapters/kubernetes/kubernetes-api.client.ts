/**
 * The Kubernetes API over HTTPS with a bearer token (an EKS token or a service-account token):
 * implements the ask use case's {@link KubernetesApi} port for dry runs and approved plans.
 * Server-side dry run: `?dryRun=All` (Kubernetes API concepts, "Dry-run").
 */
import http from 'node:http';
import https from 'node:https';
import type { KubernetesApi, KubernetesResponse } from '../../core/ask/ports.js';
import type { KubernetesRequest } from '../../core/ask/plans.js';

export interface KubernetesApiClientOptions {
  /** API server URL, e.g. the EKS cluster endpoint `https://ABC.gr7.eu-west-1.eks.amazonaws.com`. */
  readonly endpoint: string;
  /** Returns a bearer token (called per request, so it can refresh). */
  readonly token: () => Promise<string>;
  /** PEM of the cluster CA (EKS `certificateAuthority.data`, base64-decoded). */
  readonly caPem?: string;
  /** Per-request timeout, milliseconds; default 5000. */
  readonly timeoutMs?: number;
  /** Largest response body read, bytes; default 1 MiB. */
  readonly maxResponseBytes?: number;
}

/**
 * A {@link KubernetesApi} over node:https (node:http for an `http:` endpoint, as in tests).
 * Rejects on network errors and timeouts; HTTP errors are returned as responses.
 * @example new KubernetesApiClient({ endpoint: cluster.endpoint, token: () => eksToken(cluster.name), caPem }).send(plan.kubernetes.requests[0], { dryRun: true })
 */
export class KubernetesApiClient implements KubernetesApi {
  constructor(private readonly options: KubernetesApiClientOptions) {}

  /**
   * Sends one request. The endpoint may carry a path prefix (an API proxy); `request.path` is
   * appended to it.
   * @throws Error when the path is not a Kubernetes API path (`/api/…`, `/apis/…`), on network
   *   errors and on timeouts. HTTP error statuses are returned, not thrown.
   */
  async send(request: KubernetesRequest, { dryRun }: { readonly dryRun: boolean }): Promise<KubernetesResponse> {
    if (!/^\/apis?\/[^\s#]*$/.test(request.path) || request.path.includes('..')) throw new Error(`not a Kubernetes API path: '${request.path.slice(0, 200)}'`);
    const base = new URL(this.options.endpoint);
    const url = new URL(`${base.pathname.replace(/(?<!\/)\/+$/, '')}${request.path}`, base);
    if (dryRun && request.method !== 'GET') url.searchParams.set('dryRun', 'All');
    const token = await this.options.token();
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = request.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const transport = url.protocol === 'https:' ? https : http;
    const max = this.options.maxResponseBytes ?? 1024 * 1024;
    return new Promise<KubernetesResponse>((resolve, reject) => {
      const req = transport.request(url, { method: request.method, headers, ca: this.options.caPem, timeout: this.options.timeoutMs ?? 5_000 }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= max) chunks.push(chunk);
        });
        res.on('end', () => {
          // The status is what matters; an oversized body is reported, not parsed half-read.
          if (size > max) return resolve({ status: res.statusCode ?? 0, body: `(response of ${size} bytes exceeds the ${max}-byte limit; not read)` });
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`Kubernetes API ${request.method} ${url.pathname} timed out after ${this.options.timeoutMs ?? 5_000} ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}
