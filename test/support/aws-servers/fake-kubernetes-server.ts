/**
 * A local stand-in for an EKS cluster's Kubernetes API server (plain http on 127.0.0.1): checks
 * the EKS bearer token the way the cluster's authenticator would read it (a presigned STS
 * `GetCallerIdentity` URL signing `x-k8s-aws-id: <cluster>`), then serves list responses.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface FakeKubernetesOptions {
  readonly clusterName: string;
  /** API path (without query) → list body (`{ kind: 'PodList', items: [...] }`). */
  readonly lists: Readonly<Record<string, unknown>>;
  /** API path → HTTP status to answer instead (e.g. 403 for RBAC). */
  readonly deny?: Readonly<Record<string, number>>;
  /** Serve HTTPS with this certificate and key (PEM) instead of plain http. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** Decodes and checks an EKS bearer token; returns the reason it is invalid, or undefined. */
export function checkEksToken(authorization: string | undefined, clusterName: string): string | undefined {
  const token = authorization?.replace(/^Bearer /, '');
  if (!token?.startsWith('k8s-aws-v1.')) return 'missing k8s-aws-v1 bearer token';
  const encoded = token.slice('k8s-aws-v1.'.length);
  if (encoded.includes('=')) return 'token must be unpadded base64url';
  const url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  const q = url.searchParams;
  if (!/^sts\.[a-z0-9-]+\.amazonaws\.com$/.test(url.hostname)) return `unexpected STS host ${url.hostname}`;
  if (q.get('Action') !== 'GetCallerIdentity' || q.get('Version') !== '2011-06-15') return 'not a GetCallerIdentity request';
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !q.get('X-Amz-Signature')) return 'not SigV4-presigned';
  if (!(q.get('X-Amz-SignedHeaders') ?? '').split(';').includes('x-k8s-aws-id')) return 'x-k8s-aws-id is not signed';
  if (Number(q.get('X-Amz-Expires')) > 60) return 'expiry above 60 s';
  return clusterName ? undefined : 'no cluster';
}

export class FakeKubernetesServer {
  readonly requests: Array<{ path: string; query: string; authorized: boolean }> = [];
  private constructor(private readonly server: http.Server, private readonly scheme: 'http' | 'https') {}

  static async start(options: FakeKubernetesOptions): Promise<FakeKubernetesServer> {
    let self: FakeKubernetesServer | undefined;
    const listener: http.RequestListener = (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const problem = checkEksToken(req.headers.authorization, options.clusterName);
      self!.requests.push({ path: url.pathname, query: url.search, authorized: !problem });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (problem) return send(401, { kind: 'Status', status: 'Failure', message: `Unauthorized: ${problem}`, reason: 'Unauthorized', code: 401 });
      const denied = options.deny?.[url.pathname];
      if (denied) {
        return send(denied, { kind: 'Status', status: 'Failure', reason: 'Forbidden', code: denied, message: `${url.pathname} is forbidden: User "arn:aws:sts::111122223333:assumed-role/ops-assistant/fn" cannot list resource` });
      }
      const list = options.lists[url.pathname];
      if (!list) return send(404, { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: `${url.pathname} not found` });
      let body = list as { items?: Array<{ type?: string }> };
      // Honour the only field selector the reader sends.
      if (url.searchParams.get('fieldSelector') === 'type=Warning' && Array.isArray(body.items)) {
        body = { ...body, items: body.items.filter((e) => e.type === 'Warning') };
      }
      return send(200, body);
    };
    const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, listener) : http.createServer(listener);
    self = new FakeKubernetesServer(server, options.tls ? 'https' : 'http');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `${this.scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
