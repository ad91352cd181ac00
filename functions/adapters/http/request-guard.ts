/**
 * Cross-site request checks of the local HTTP server (`ops-assistant serve`): a page the user's
 * browser opens elsewhere must not be able to act through the loopback API.
 *
 * - `Host` must name the address the server listens on (no DNS rebinding: `evil.example`
 *   resolving to 127.0.0.1 sends `Host: evil.example`).
 * - A foreign `Origin` (or `Sec-Fetch-Site: cross-site`) is refused.
 * - A request with a body (POST, PUT, PATCH, DELETE) must be `Content-Type: application/json`,
 *   which a cross-site form or `no-cors` fetch cannot send without a preflight.
 * - Approving a plan additionally needs the per-process approval token in the
 *   {@link APPROVAL_TOKEN_HEADER} header (printed at start, or set by flag).
 * - Every response carries a Content-Security-Policy and `nosniff`; the browse page's one inline
 *   script is allowed by its hash, nothing else runs.
 *
 * Sources: OWASP "Cross-Site Request Forgery Prevention Cheat Sheet" (Origin checks, custom
 * headers), the Fetch standard (CORS-safelisted content types), "DNS rebinding" advisories of
 * local development servers (Host allow-lists).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';

/** Header carrying the approval token. */
export const APPROVAL_TOKEN_HEADER = 'x-ops-assistant-token';

/** A refusal: HTTP status, stable code, message. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export interface RequestGuardOptions {
  /** Address bound (`127.0.0.1`, `::1`, `localhost`, `0.0.0.0`, a host name). */
  readonly host: string;
  readonly port: number;
  /** The approval token; see {@link newApprovalToken}. */
  readonly approvalToken: string;
}

/** A random approval token (base64url, 32 bytes). */
export function newApprovalToken(): string {
  return randomBytes(32).toString('base64url');
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

/** The `host[:port]` values a request to this server may carry. */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set<string>();
  const add = (name: string): void => {
    const bare = name.replace(/^\[|\]$/g, '').toLowerCase();
    const shown = bare.includes(':') ? `[${bare}]` : bare;
    names.add(`${shown}:${port}`);
    if (port === 80) names.add(shown);
  };
  if (LOOPBACK.has(host)) for (const n of LOOPBACK) add(n);
  else if (WILDCARD.has(host)) {
    for (const n of LOOPBACK) add(n);
    add(os.hostname());
    for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) add(i.address);
  } else add(host);
  return names;
}

/** The path of a plan approval (`/v1/plans/{id}/approve`). */
export function isApproval(method: string, path: string): boolean {
  return method === 'POST' && /^\/v1\/plans\/[^/]+\/approve\/?$/.test(path);
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks one request; undefined when it may proceed.
 * @example
 *   const refusal = checkRequest({ method: 'POST', path: '/v1/ask', headers }, { host: '127.0.0.1', port: 8080, approvalToken });
 *   if (refusal) return respond(refusal.status, { error: { code: refusal.code, message: refusal.message } });
 */
export function checkRequest(
  request: { readonly method: string; readonly path: string; readonly headers: Readonly<Record<string, string | string[] | undefined>> },
  options: RequestGuardOptions,
  hosts: ReadonlySet<string> = allowedHosts(options.host, options.port),
): Refusal | undefined {
  const header = (name: string): string | undefined => {
    const v = request.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const host = header('host')?.toLowerCase();
  if (!host || !hosts.has(host)) {
    return { status: 421, code: 'HOST_NOT_ALLOWED', message: `Host ${JSON.stringify(host ?? '')} is not the address this server listens on` };
  }
  const origin = header('origin');
  if (origin !== undefined && origin !== 'null') {
    let originHost: string | undefined;
    try {
      const u = new URL(origin);
      originHost = u.protocol === 'http:' ? `${u.hostname}:${u.port || '80'}`.toLowerCase() : undefined;
    } catch {
      originHost = undefined;
    }
    if (!originHost || !hosts.has(originHost)) return { status: 403, code: 'CROSS_SITE_REQUEST', message: `Origin ${JSON.stringify(origin)} is not this server` };
  } else if (origin === 'null') {
    return { status: 403, code: 'CROSS_SITE_REQUEST', message: 'Origin null (a sandboxed or file page) is not this server' };
  }
  if (header('sec-fetch-site') === 'cross-site') return { status: 403, code: 'CROSS_SITE_REQUEST', message: 'cross-site requests are refused' };
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
    const type = (header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'requests with a body must be Content-Type: application/json' };
  }
  if (isApproval(method, request.path) && !sameToken(header(APPROVAL_TOKEN_HEADER), options.approvalToken)) {
    return { status: 401, code: 'APPROVAL_TOKEN_REQUIRED', message: `approving a plan needs the approval token that \`ops-assistant serve --enable-approvals\` prints at start, in the ${APPROVAL_TOKEN_HEADER} header (a server started without --enable-approvals prints none and executes no plan)` };
  }
  return undefined;
}

/** Headers every response carries; `html` gets a policy that allows its own inline scripts by hash. */
export function securityHeaders(html?: string): Record<string, string> {
  const scripts = html ? [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`) : [];
  return {
    'content-security-policy': [
      "default-src 'none'",
      `script-src ${scripts.length ? scripts.join(' ') : "'none'"}`,
      "style-src 'unsafe-inline'",
      "img-src 'self' data:",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}
