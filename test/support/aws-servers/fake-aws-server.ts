/**
 * A small local HTTP server speaking one AWS wire protocol, for running the real SDK clients
 * against recorded responses in tests. Binds 127.0.0.1 on a random port.
 *
 * Protocols (Smithy): `awsJson1.1` and `awsJson1.0` — `POST /` with `X-Amz-Target: <prefix>.<Op>`
 * and a JSON body; errors as status 4xx/5xx with `{"__type": "<Code>", "message": …}`.
 * `restJson1` — the operation is chosen by method and path (a route table); errors carry the
 * `x-amzn-ErrorType` header. Sources: https://smithy.io/2.0/aws/protocols/
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer. */
export interface FakeResponse {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Delay before answering, ms. */
  readonly delayMs?: number;
}

/** A request as the handler sees it. */
export interface FakeRequest {
  readonly op: string;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
}

export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/** A restJson1 route: `GET /clusters/{name}` → operation name. */
export interface RestRoute {
  readonly method: string;
  readonly path: string;
  readonly op: string;
}

export interface FakeAwsServerOptions {
  readonly protocol: 'awsJson1.0' | 'awsJson1.1' | 'restJson1';
  /** Operation name → handler. Unknown operations answer 400 `UnknownOperationException`. */
  readonly handlers: Readonly<Record<string, FakeHandler>>;
  /** restJson1 only. */
  readonly routes?: readonly RestRoute[];
}

/** An error response in the protocol's shape. */
export function awsError(code: string, message: string, status = 400): FakeResponse {
  return { status, body: { __type: code, message, Message: message }, headers: { 'x-amzn-errortype': code, 'x-amzn-query-error': `${code};Sender` } };
}

export class FakeAwsServer {
  /** Every request received, in order. */
  readonly calls: FakeRequest[] = [];
  private readonly scripts = new Map<string, FakeResponse[]>();
  private constructor(private readonly server: http.Server, private readonly options: FakeAwsServerOptions) {}

  /** Starts the server on 127.0.0.1 and a random port. */
  static async start(options: FakeAwsServerOptions): Promise<FakeAwsServer> {
    let self: FakeAwsServer | undefined;
    const server = http.createServer((req, res) => {
      self!.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: String(error) }));
      });
    });
    self = new FakeAwsServer(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Answers the next calls of `op` with `responses`, in order, before the handler answers again. */
  script(op: string, ...responses: FakeResponse[]): void {
    this.scripts.set(op, [...(this.scripts.get(op) ?? []), ...responses]);
  }

  /** Clears recorded calls and scripts. */
  reset(): void {
    this.calls.length = 0;
    this.scripts.clear();
  }

  /** Calls of one operation. */
  callsOf(op: string): FakeRequest[] {
    return this.calls.filter((c) => c.op === op);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://localhost');
    let op = '';
    let params: Record<string, string> = {};
    if (this.options.protocol === 'restJson1') {
      for (const route of this.options.routes ?? []) {
        const m = matchPath(route.path, url.pathname);
        if (m && route.method === req.method) {
          op = route.op;
          params = m;
          break;
        }
      }
    } else {
      const target = String(req.headers['x-amz-target'] ?? '');
      op = target.slice(target.lastIndexOf('.') + 1);
    }
    const request: FakeRequest = {
      op, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, params, headers: req.headers,
      body: raw ? JSON.parse(raw) : {},
    };
    this.calls.push(request);
    const scripted = this.scripts.get(op);
    const handler = this.options.handlers[op];
    const response: FakeResponse = scripted?.length
      ? scripted.shift()!
      : handler ? await handler(request) : awsError('UnknownOperationException', `no handler for ${op || `${req.method} ${url.pathname}`}`);
    if (response.delayMs) await new Promise((r) => setTimeout(r, response.delayMs));
    const contentType = this.options.protocol === 'restJson1' ? 'application/json' : `application/x-amz-json-${this.options.protocol.slice(-3)}`;
    res.writeHead(response.status ?? 200, { 'content-type': contentType, 'x-amzn-requestid': `req-${this.calls.length}`, ...response.headers });
    res.end(response.body === undefined ? '{}' : JSON.stringify(response.body));
  }
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/');
  const a = path.split('/');
  if (p.length !== a.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    if (seg.startsWith('{') && seg.endsWith('}')) params[seg.slice(1, -1)] = decodeURIComponent(a[i]!);
    else if (seg !== a[i]) return undefined;
  }
  return params;
}
