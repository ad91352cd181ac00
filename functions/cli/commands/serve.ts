/**
 * `ops-assistant serve`: a local HTTP server with the same routes as the API function
 * (`POST /v1/diagnoses`, `GET /v1/diagnoses[/{id}]`, `POST /v1/ask`, `POST /v1/plans/{id}/approve`)
 * over the local adapters, plus the browse page at `/`. Binds 127.0.0.1 unless told otherwise.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { LocalApiOptions, RequestGuardOptions } from '../../composition/local.js';
import type { Context } from 'aws-lambda';
import type { ApiRuntime } from '../../handlers/api-routes.js';
import { APPROVAL_TOKEN_HEADER } from '../../composition/local-http.js';
import { redact } from '../../core/stages/compose/redact.js';
import { showControls } from '../../core/stages/compose/format.js';
import { examples } from '../options.js';

/** What the server needs besides Node: loaded when it starts, not when the CLI starts. */
async function loadServerModules() {
  const [local, routes, html] = await Promise.all([
    import('../../composition/local.js'), import('../../handlers/api-routes.js'), import('../../core/stages/compose/html/index.js'),
  ]);
  await import('../../handlers/ask-routes.js'); // registers the ask routes on the router
  return {
    localApiRuntime: local.localApiRuntime, allowedHosts: local.allowedHosts, checkRequest: local.checkRequest,
    newApprovalToken: local.newApprovalToken, securityHeaders: local.securityHeaders,
    resolveApiRequest: routes.resolveApiRequest, renderBrowsePage: html.renderBrowsePage,
  };
}
type ServerModules = Awaited<ReturnType<typeof loadServerModules>>;

/** Largest request body accepted, bytes (API Gateway's own limit is 10 MB; diagnoses take ≤ 1 MB of evidence per item). */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

export function registerServeCommand(program: Command): void {
  const command = program
    .command('serve')
    .description('Serve the API routes and the diagnoses browse page locally, over the local store (no AWS).')
    .option('--port <port>', 'TCP port (0 picks a free one)', (v) => parsePort(v), 8080)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--out <dir>', 'store root (diagnoses, plans, audit)', 'out')
    .option('--evidence <file...>', 'files standing for the live system when a question or submission needs collection', (v: string, p: string[]) => [...p, v], [])
    .option('--kb <dir...>', 'extra runbook folders', (v: string, p: string[]) => [...p, v], [])
    .option('--alarm-tag-filter <key=value,...>', 'diagnose only alarms carrying every one of these tags; tags come from --alarm-tags')
    .option('--alarm-tags <file>', 'JSON { "<alarm name or ARN>": { "<key>": "<value>" } }: the alarms\' tags for --alarm-tag-filter')
    .option('--enable-approvals', 'execute approved plans (off by default)')
    .option('--kube-endpoint <url>', 'Kubernetes API server for dry runs and approved plans (token from KUBE_TOKEN)')
    .option('--approval-token <token>', `token approvals must send in the ${APPROVAL_TOKEN_HEADER} header (default: a random one, printed at start)`)
    .action(async (options: ServeCliOptions) => {
      const { checkEvidenceFile } = await import('../../composition/local-input.js');
      for (const file of options.evidence) await checkEvidenceFile(file);
      const server = await startServer({
        outDir: options.out, evidencePaths: options.evidence, kbDirs: options.kb, approvalsEnabled: options.enableApprovals === true,
        kubernetes: options.kubeEndpoint ? { endpoint: options.kubeEndpoint, token: process.env.KUBE_TOKEN ?? '' } : undefined,
        ...(options.alarmTagFilter ? { alarmTagFilter: { required: options.alarmTagFilter, tagsFile: options.alarmTags ?? program.error('--alarm-tag-filter needs --alarm-tags <file>', { exitCode: 2 }) } } : {}),
      }, options.port, options.host, { approvalToken: options.approvalToken });
      process.stdout.write(`ops-assistant serving http://${options.host}:${server.port}/ (store: ${options.out}/); Ctrl-C to stop\n`);
      if (options.enableApprovals) process.stdout.write(`approval token (send as ${APPROVAL_TOKEN_HEADER}): ${server.approvalToken}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
  examples(command, [
    ['ops-assistant serve', 'http://127.0.0.1:8080/ over out/'],
    ['ops-assistant serve --port 0 --out /var/tmp/ops', 'a free port, another store'],
    ['ops-assistant serve --evidence pod.txt app.log', 'answer questions from these files'],
  ]);
}

interface ServeCliOptions {
  port: number;
  host: string;
  out: string;
  evidence: string[];
  kb: string[];
  enableApprovals?: boolean;
  kubeEndpoint?: string;
  alarmTagFilter?: string;
  alarmTags?: string;
  approvalToken?: string;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port must be 0-65535, got '${value}'`);
  return n;
}

export interface RunningServer {
  readonly port: number;
  readonly runtime: ApiRuntime;
  /** The token plan approvals must carry in the {@link APPROVAL_TOKEN_HEADER} header. */
  readonly approvalToken: string;
  close(): Promise<void>;
}

/**
 * Starts the local server. Each HTTP request becomes an API Gateway HTTP API (v2) event resolved by
 * the API function's own router (`apiRouter`), so the routes see exactly what the Lambda function sees; the caller identity is `local:<user>`.
 */
export async function startServer(options: LocalApiOptions, port = 0, host = '127.0.0.1', security: { approvalToken?: string } = {}): Promise<RunningServer> {
  const lib = await loadServerModules();
  const { allowedHosts, securityHeaders } = lib;
  const runtime = await lib.localApiRuntime(options);
  const user = `local:${os.userInfo().username}`;
  const approvalToken = security.approvalToken || lib.newApprovalToken();
  let guard: { options: RequestGuardOptions; hosts: Set<string> } | undefined;
  const server = http.createServer((req, res) => {
    handle(req, res, runtime, user, guard!, lib).catch((error) => {
      process.stderr.write(`ops-assistant serve: ${showControls(redact(error instanceof Error ? error.stack ?? error.message : String(error)).text)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', ...securityHeaders() });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'the request could not be processed; see the server log' } }));
    });
  });
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const guardOptions = { host, port: bound, approvalToken };
  guard = { options: guardOptions, hosts: allowedHosts(host, bound) };
  return {
    port: bound,
    runtime,
    approvalToken,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error(`request body exceeds ${MAX_BODY_BYTES} bytes`), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, runtime: ApiRuntime, user: string, guard: { options: RequestGuardOptions; hosts: Set<string> }, lib: ServerModules): Promise<void> {
  const { checkRequest, securityHeaders, renderBrowsePage, resolveApiRequest } = lib;
  const method = (req.method ?? 'GET').toUpperCase();
  const refuse = (status: number, code: string, message: string): void => {
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...securityHeaders() });
    res.end(JSON.stringify({ error: { code, message } }));
  };
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
    decodeURIComponent(url.pathname);
    for (const part of url.search.slice(1).split('&')) decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return refuse(400, 'MALFORMED_ENCODING', 'the request path or query is not valid percent-encoding');
  }
  const refusal = checkRequest({ method, path: url.pathname, headers: req.headers }, guard.options, guard.hosts);
  if (refusal) return refuse(refusal.status, refusal.code, refusal.message);
  if (method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
    const filters = { category: url.searchParams.get('category') || undefined, resource: url.searchParams.get('resource') || undefined, q: url.searchParams.get('q') || undefined };
    const page = await runtime.store.list({ category: filters.category, resource: filters.resource, limit: 100, cursor: url.searchParams.get('cursor') || undefined });
    const next = page.nextCursor ? `/?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), cursor: page.nextCursor })}` : undefined;
    const html = renderBrowsePage(page.items, filters, { nextHref: next });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...securityHeaders(html) });
    res.end(html);
    return;
  }
  let body: string | undefined;
  try {
    body = await readBody(req);
  } catch (error) {
    res.writeHead((error as { status?: number }).status ?? 400, { 'content-type': 'application/json', ...securityHeaders() });
    res.end(JSON.stringify({ error: { code: 'INPUT_TOO_LARGE', message: (error as Error).message } }));
    return;
  }
  const now = new Date();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    requestContext: {
      accountId: 'local', apiId: 'local', domainName: headers.host ?? 'localhost', requestId: randomUUID(), stage: '$default',
      time: now.toUTCString(), timeEpoch: now.getTime(),
      http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      authorizer: { iam: { userArn: user } },
    },
    body,
    isBase64Encoded: false,
  };
  // The very router the API function runs (Powertools' event-handler), fed the v2 event.
  const context = { functionName: 'ops-assistant-serve', awsRequestId: event.requestContext.requestId, getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
  const response = await resolveApiRequest(event, runtime, context, (error) => {
    process.stderr.write(`ops-assistant serve: ${method} ${showControls(url.pathname)} failed: ${showControls(redact(error instanceof Error ? error.stack ?? error.message : String(error)).text)}\n`);
  });
  const responseHeaders = Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const html = (responseHeaders['content-type'] ?? '').startsWith('text/html');
  res.writeHead(response.statusCode, { ...responseHeaders, 'cache-control': 'no-store', ...securityHeaders(html ? response.body : undefined) });
  res.end(response.body);
}
