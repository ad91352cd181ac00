/**
 * Read-only Kubernetes API client for an EKS cluster: builds the EKS bearer token and lists pods,
 * warning events, nodes, deployments and PVCs.
 *
 * Token format (as `aws eks get-token` and aws-iam-authenticator write it): `k8s-aws-v1.` +
 * base64url without padding of a presigned STS `GetCallerIdentity` URL (SigV4 query signing,
 * `X-Amz-Expires=60`) that signs the header `x-k8s-aws-id: <cluster name>`.
 * Source: https://github.com/kubernetes-sigs/aws-iam-authenticator#api-authorization-from-outside-a-cluster
 *
 * Transport: `node:https` with the cluster's CA (`certificateAuthority.data`, base64 PEM). An
 * `http:` endpoint is accepted only for a loopback host (127.0.0.1, ::1, localhost) — EKS never
 * returns one; it lets a local API server stand in for the cluster.
 */
import http from 'node:http';
import https from 'node:https';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Degradation, KubernetesEvent, KubernetesObject } from '../../core/model/evidence.js';

/** How to reach one cluster's API server. */
export interface KubernetesApiTarget {
  readonly clusterName: string;
  /** `https://…eks.amazonaws.com` (or `http://127.0.0.1:port` for a loopback stand-in). */
  readonly endpoint: string;
  /** Base64 of the PEM CA bundle (`cluster.certificateAuthority.data`). */
  readonly caData?: string;
  /** Region of the STS endpoint the token is signed for. */
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface KubernetesReadOptions {
  /** Namespaces to read (pods, events, deployments, PVCs); nodes are cluster-wide. */
  readonly namespaces: readonly string[];
  /** Most bytes read per API response; default 4 MiB. */
  readonly maxResponseBytes?: number;
  /** Most items kept per list; default 200. */
  readonly maxItems?: number;
  readonly signal: AbortSignal;
}

export interface KubernetesReadResult {
  readonly objects: KubernetesObject[];
  readonly events: KubernetesEvent[];
  readonly degraded: Degradation[];
}

/** Raised for a non-2xx answer of the API server. */
export class KubernetesApiError extends Error {
  constructor(readonly status: number, readonly path: string, message: string) {
    super(`GET ${path}: HTTP ${status} ${message}`);
    this.name = 'KubernetesApiError';
  }
}

const NAME = 'kubernetes-api';

/**
 * The EKS bearer token for `clusterName`, valid about 15 minutes (the presigned URL 60 s).
 *
 * @example
 * const token = await eksBearerToken('prod', 'eu-west-1', credentials);
 * // 'k8s-aws-v1.aHR0cHM6Ly9zdHMuZXUtd2VzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSYu…'
 */
export async function eksBearerToken(
  clusterName: string, region: string, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, now: Date = new Date(),
): Promise<string> {
  const hostname = `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: Sha256 });
  const request = new HttpRequest({
    method: 'GET', protocol: 'https:', hostname, path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: hostname, 'x-k8s-aws-id': clusterName },
  });
  const signed = await signer.presign(request, { expiresIn: 60, signingDate: now });
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return `k8s-aws-v1.${Buffer.from(url, 'utf8').toString('base64url')}`;
}

/**
 * Reads the objects the Kubernetes analyzers need, each call bounded; a failing call becomes a
 * `degraded` entry (403 names the missing RBAC permission) and the others go on.
 */
export async function readKubernetes(target: KubernetesApiTarget, options: KubernetesReadOptions): Promise<KubernetesReadResult> {
  const token = await eksBearerToken(target.clusterName, target.region, target.credentials);
  const get = (path: string) => getJson(target, token, path, options);
  const objects: KubernetesObject[] = [];
  const events: KubernetesEvent[] = [];
  const degraded: Degradation[] = [];
  const maxItems = options.maxItems ?? 200;

  const list = async (path: string, kind: string, apiVersion: string, resource: string, scope: string, keep: (o: any) => boolean = () => true) => {
    try {
      const body = await get(path);
      const items: any[] = Array.isArray(body?.items) ? body.items : [];
      for (const item of items.filter(keep).slice(0, maxItems)) {
        if (kind === 'Node' && item.status) delete item.status.images; // large and never needed
        objects.push({ ...item, kind, apiVersion, _source: NAME });
      }
      if (body?.metadata?.continue) degraded.push({ component: NAME, kind: 'truncated', reason: `list ${resource} in ${scope}: more than one page; read the first` });
    } catch (error) {
      degraded.push(kubernetesDegradation('list', resource, scope, target.clusterName, error));
    }
  };

  await list('/api/v1/nodes?limit=500', 'Node', 'v1', 'nodes', 'the cluster');
  for (const ns of options.namespaces.slice(0, 10)) {
    if (options.signal.aborted) break;
    const n = encodeURIComponent(ns);
    await Promise.all([
      list(`/api/v1/namespaces/${n}/pods?limit=500`, 'Pod', 'v1', 'pods', `namespace ${ns}`, isUnhealthyPod),
      list(`/apis/apps/v1/namespaces/${n}/deployments?limit=500`, 'Deployment', 'apps/v1', 'deployments', `namespace ${ns}`),
      list(`/api/v1/namespaces/${n}/persistentvolumeclaims?limit=500`, 'PersistentVolumeClaim', 'v1', 'persistentvolumeclaims', `namespace ${ns}`),
      (async () => {
        try {
          const body = await get(`/api/v1/namespaces/${n}/events?fieldSelector=${encodeURIComponent('type=Warning')}&limit=500`);
          for (const e of (Array.isArray(body?.items) ? body.items : []).slice(-maxItems)) events.push(toKubernetesEvent(e));
        } catch (error) {
          degraded.push(kubernetesDegradation('list', 'events', `namespace ${ns}`, target.clusterName, error));
        }
      })(),
    ]);
  }
  return { objects, events, degraded };
}

/** A pod worth analyzing: not Running/Succeeded, a container not ready, or restarts. */
export function isUnhealthyPod(pod: any): boolean {
  const phase = pod?.status?.phase;
  if (phase && phase !== 'Running' && phase !== 'Succeeded') return true;
  const statuses: any[] = [...(pod?.status?.containerStatuses ?? []), ...(pod?.status?.initContainerStatuses ?? [])];
  return statuses.some((s) => (s.restartCount ?? 0) > 0 || (phase === 'Running' && s.ready === false && !s.state?.terminated));
}

function toKubernetesEvent(e: any): KubernetesEvent {
  const io = e?.involvedObject ?? e?.regarding ?? {};
  return {
    type: e?.type ?? 'Warning',
    reason: e?.reason ?? '',
    message: e?.message ?? e?.note ?? '',
    ...(io.kind || io.name ? { object: `${io.kind ?? ''}/${io.name ?? ''}` } : {}),
    ...(e?.metadata?.namespace ? { namespace: e.metadata.namespace } : {}),
    ...(typeof e?.count === 'number' ? { count: e.count } : e?.series?.count ? { count: e.series.count } : {}),
    ...(e?.lastTimestamp || e?.eventTime ? { age: e.lastTimestamp ?? e.eventTime } : {}),
    source: NAME,
  };
}

function kubernetesDegradation(verb: string, resource: string, scope: string, cluster: string, error: unknown): Degradation {
  if (error instanceof KubernetesApiError) {
    if (error.status === 403) return { component: NAME, kind: 'permission', reason: `the function's Kubernetes identity may not ${verb} ${resource} in ${scope} of cluster ${cluster} (RBAC: ${error.message})` };
    if (error.status === 401) return { component: NAME, kind: 'permission', reason: `cluster ${cluster} does not accept the function's IAM role (no access entry or aws-auth mapping): ${error.message}` };
    if (error.status === 429 || error.status >= 500) return { component: NAME, kind: 'throttled', reason: `${verb} ${resource} in ${scope}: ${error.message}` };
  }
  const name = (error as Error)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') return { component: NAME, kind: 'timeout', reason: `${verb} ${resource} in ${scope}: did not finish within the time budget` };
  return { component: NAME, kind: 'error', reason: `${verb} ${resource} in ${scope} of cluster ${cluster}: ${(error as Error)?.message ?? String(error)}` };
}

/**
 * GET one API path, parsing JSON; at most `maxResponseBytes`.
 * @throws KubernetesApiError on non-2xx; Error on transport failure, oversize body or bad JSON.
 */
function getJson(target: KubernetesApiTarget, token: string, path: string, options: KubernetesReadOptions): Promise<any> {
  const url = new URL(path, target.endpoint);
  const isHttp = url.protocol === 'http:';
  if (isHttp && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    return Promise.reject(new Error(`refusing plain-http Kubernetes endpoint ${url.origin}: only loopback hosts may use http`));
  }
  const maxBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const request = (isHttp ? http : https).request(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      ...(isHttp ? {} : { ca: target.caData ? Buffer.from(target.caData, 'base64').toString('utf8') : undefined }),
      signal: options.signal,
      timeout: 10_000,
    }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          request.destroy(new Error(`GET ${path}: response larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          let message = text.slice(0, 300);
          try { message = JSON.parse(text).message ?? message; } catch { /* not JSON */ }
          reject(new KubernetesApiError(status, path, message));
          return;
        }
        try { resolve(JSON.parse(text)); } catch (error) { reject(new Error(`GET ${path}: response is not JSON (${(error as Error).message})`)); }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error(`GET ${path}: timed out`), { name: 'TimeoutError' })));
    request.on('error', reject);
    request.end();
  });
}
