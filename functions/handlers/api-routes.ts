/**
 * The diagnosis API's route table and its API Gateway plumbing (REST v1 and HTTP API v2 payload
 * formats). Routes are plain entries: to add one (e.g. `POST /v1/ask`,
 * `POST /v1/plans/{id}/approve`), append an {@link ApiRoute} to {@link API_ROUTES} or call
 * {@link registerRoute} from its module.
 *
 * Errors are JSON `{ "error": { "code": "<STABLE_CODE>", "message": "…" } }`. Codes:
 * `ROUTE_NOT_FOUND` (404), `METHOD_NOT_ALLOWED` (405), `INVALID_JSON`, `INVALID_BODY`,
 * `INVALID_QUERY`, `INVALID_ID`, `INVALID_INPUT`, `UNSUPPORTED_EVENT`, `INPUT_TOO_LARGE` (400),
 * `NOT_FOUND` (404), `INTERNAL` (500).
 */
import { z } from 'zod';
import { CATEGORIES } from '../core/model/categories.js';
import { InvalidInputError, OpsAssistantError, describeError } from '../core/model/errors.js';
import { normalizeEvent } from '../core/stages/normalize/index.js';
import type { Diagnosis } from '../core/model/diagnosis.js';
import type { Incident } from '../core/model/incident.js';
import type { DiagnosisStore } from '../core/ports/diagnosis-store.port.js';
import type { AskDeps } from '../core/ask/answer.js';
import type { ApproveDeps } from '../core/ask/approve.js';
import { jsonText } from '../core/stages/compose/format.js';
import { redact, redactDeep } from '../core/stages/compose/redact.js';

/** The slice of the Lambda context the routes use. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/**
 * What the routes need from a composition root: the Lambda runtime (`composition/lambda.ts`) and
 * the local server (`ops-assistant serve`, `composition/local.ts`) both provide it.
 */
export interface ApiRuntime {
  readonly config: { readonly lookbackMinutes?: number };
  readonly store: DiagnosisStore & {
    getRendering(id: string, format: 'md' | 'html'): Promise<string | undefined>;
    /** How often the incident's alarm fired within the storm window; absent where storms are not tracked. */
    occurrencesOf?(id: string): Promise<{ readonly count: number; readonly firstAt?: string; readonly lastAt?: string } | undefined>;
  };
  /** Runs the pipeline and stores the diagnosis (`notify: false` for API submissions). */
  diagnose(incident: Incident, context: InvocationContext, options?: { notify?: boolean }): Promise<{ diagnosis: Diagnosis; delivered: { key: string; created: boolean } }>;
  /** The ask use case's dependencies; absent where asking is not configured. */
  askDeps?(context: InvocationContext): Promise<AskDeps>;
  /** Plan approval: off unless the deployment enables it. */
  readonly approvals?: { readonly enabled: boolean; deps(): Promise<ApproveDeps> };
}

/** A request in either payload format, reduced to what routes need. */
export interface ApiRequest {
  readonly method: string;
  /** Path from `/v1/` on (stage prefixes removed). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** Body text (base64-decoded when flagged), or undefined. */
  readonly body?: string;
  /** The raw API Gateway event (normalize reads request time, account and region from it). */
  readonly event: unknown;
}

export interface ApiResponse {
  readonly statusCode: number;
  /** JSON-serialised unless `text` is set. */
  readonly body?: unknown;
  readonly text?: string;
  readonly contentType?: string;
}

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template, e.g. `/v1/diagnoses/{id}`. */
  readonly path: string;
  handle(request: ApiRequest, params: Readonly<Record<string, string>>, rt: ApiRuntime, context: InvocationContext): Promise<ApiResponse>;
}

/** An error answered with its HTTP status and stable code. */
export class ApiError extends OpsAssistantError {
  constructor(readonly statusCode: number, code: string, message: string) {
    super(code, message);
    this.name = 'ApiError';
  }
}

/** `POST /v1/diagnoses` body: an event and/or evidence text (same shape the normalize stage reads). */
export const diagnosisRequestSchema = z.object({
  event: z.record(z.string(), z.unknown()).optional(),
  evidence: z.union([z.string().max(1_000_000), z.array(z.string().max(1_000_000)).max(20)]).optional(),
  question: z.string().max(4000).optional(),
  context: z.object({
    cluster: z.string().max(200).optional(),
    namespace: z.string().max(253).optional(),
    service: z.string().max(253).optional(),
    since: z.string().max(64).optional(),
  }).strict().optional(),
}).strict().refine((b) => b.event !== undefined || b.evidence !== undefined, { message: "give 'event' and/or 'evidence'" });

/** `GET /v1/diagnoses` query. */
export const listQuerySchema = z.object({
  since: z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be an ISO-8601 time' }).optional(),
  category: z.enum(CATEGORIES).optional(),
  resource: z.string().min(1).max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2048).optional(),
}).strict();

export function zodMessage(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}

/** Parses a JSON request body. @throws ApiError `INVALID_BODY` (empty), `INVALID_JSON`. */
export function parseJsonBody(request: ApiRequest): unknown {
  if (!request.body?.trim()) throw new ApiError(400, 'INVALID_BODY', 'request body is empty; expected JSON');
  try {
    return JSON.parse(request.body);
  } catch (error) {
    // The parser's message quotes the body; only the position is returned (the body may hold secrets).
    const position = /position (\d+)/.exec(describeError(error))?.[1];
    throw new ApiError(400, 'INVALID_JSON', `request body is not JSON${position ? ` (at character ${position})` : ''}`);
  }
}

/** The route table. Append new routes here (or {@link registerRoute}). */
export const API_ROUTES: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/diagnoses',
    async handle(request, _params, rt, context) {
      const parsed = diagnosisRequestSchema.safeParse(parseJsonBody(request));
      if (!parsed.success) throw new ApiError(400, 'INVALID_BODY', zodMessage(parsed.error));
      const incident = normalizeEvent(request.event, { input: 'body', ...(rt.config.lookbackMinutes ? { lookbackMinutes: rt.config.lookbackMinutes } : {}) });
      const { diagnosis, delivered } = await rt.diagnose(incident, context, { notify: false });
      return { statusCode: delivered.created ? 201 : 200, body: { id: diagnosis.id, key: delivered.key, created: delivered.created, diagnosis: delivered.created ? diagnosis : (await rt.store.get(diagnosis.id)) ?? diagnosis } };
    },
  },
  {
    method: 'GET',
    path: '/v1/diagnoses/{id}',
    async handle(request, params, rt) {
      // `?include=occurrences` answers `{ diagnosis, occurrences: { count, firstAt?, lastAt? } }`: how
      // often the alarm fired within the storm window (count 1 where it fired once or is not tracked).
      // The diagnosis document itself stays immutable and schema-valid.
      const include = request.query.include;
      if (include !== undefined && include !== 'occurrences') throw new ApiError(400, 'INVALID_QUERY', 'include: must be occurrences');
      if (include && request.query.format !== undefined && request.query.format !== 'json') throw new ApiError(400, 'INVALID_QUERY', 'include=occurrences needs format=json (or no format)');
      // `markdown` is accepted as the CLI spells it.
      const format = request.query.format === 'markdown' ? 'md' : request.query.format;
      if (format !== undefined && !['json', 'md', 'html'].includes(format)) throw new ApiError(400, 'INVALID_QUERY', 'format: must be json, md (or markdown) or html');
      if (format === 'md' || format === 'html') {
        const text = await rt.store.getRendering(params.id!, format);
        if (text === undefined) throw new ApiError(404, 'NOT_FOUND', `no ${format} rendering of diagnosis ${params.id}`);
        return { statusCode: 200, text, contentType: format === 'md' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8' };
      }
      const diagnosis = await rt.store.get(params.id!);
      if (!diagnosis) throw new ApiError(404, 'NOT_FOUND', `no diagnosis with id ${params.id}`);
      if (!include) return { statusCode: 200, body: diagnosis };
      const occurrences = (await rt.store.occurrencesOf?.(params.id!)) ?? { count: 1 };
      return { statusCode: 200, body: { diagnosis, occurrences } };
    },
  },
  {
    method: 'GET',
    path: '/v1/diagnoses',
    async handle(request, _params, rt) {
      const parsed = listQuerySchema.safeParse(request.query);
      if (!parsed.success) throw new ApiError(400, 'INVALID_QUERY', zodMessage(parsed.error));
      const page = await rt.store.list(parsed.data);
      return { statusCode: 200, body: { items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
    },
  },
  // POST /v1/ask and POST /v1/plans/{id}/approve: ask-routes.ts registers them.
];

/** Adds a route (later routes with the same method and path replace earlier ones). */
export function registerRoute(route: ApiRoute): void {
  const i = API_ROUTES.findIndex((r) => r.method === route.method && r.path === route.path);
  if (i >= 0) API_ROUTES.splice(i, 1, route);
  else API_ROUTES.push(route);
}

function match(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.replace(/(?<!\/)\/+$/, '').split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    if (t[i]!.startsWith('{')) params[t[i]!.slice(1, -1)] = decodePathParam(t[i]!.slice(1, -1), p[i]!);
    else if (t[i] !== p[i]) return undefined;
  }
  return params;
}

/** A path parameter, percent-decoded; malformed encoding (`%zz`, a lone `%E0`) is a 400, not a 500. */
function decodePathParam(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ApiError(400, 'MALFORMED_ENCODING', `path parameter ${name} is not valid percent-encoding`);
  }
}

/**
 * Reads an API Gateway event (v1 or v2) into an {@link ApiRequest}.
 * @throws ApiError `INVALID_INPUT` when the event is neither format.
 */
export function toApiRequest(event: any): ApiRequest {
  const v2 = event?.version === '2.0' && event?.requestContext?.http;
  const method = String(v2 ? event.requestContext.http.method : event?.httpMethod ?? '').toUpperCase();
  const rawPath = String(v2 ? event.rawPath ?? '' : event?.path ?? '');
  if (!method || !rawPath) throw new ApiError(400, 'INVALID_INPUT', 'not an API Gateway REST (v1) or HTTP API (v2) request');
  const at = rawPath.indexOf('/v1/');
  const path = at >= 0 ? rawPath.slice(at) : rawPath.endsWith('/v1') ? '/v1' : rawPath;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries((event.queryStringParameters ?? {}) as Record<string, string | undefined>)) if (v !== undefined && v !== null) query[k] = v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((event.headers ?? {}) as Record<string, string | undefined>)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  const body = typeof event.body === 'string' ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : undefined;
  return { method, path, query, headers, ...(body !== undefined ? { body } : {}), event };
}

/** Finds and runs the route; every error becomes a JSON error response with a stable code. */
export async function routeRequest(request: ApiRequest, rt: ApiRuntime, context: InvocationContext, onError: (error: unknown) => void = () => undefined): Promise<ApiResponse> {
  try {
    const candidates = API_ROUTES.map((r) => ({ route: r, params: match(r.path, request.path) })).filter((c) => c.params);
    if (candidates.length === 0) throw new ApiError(404, 'ROUTE_NOT_FOUND', `no route for ${request.path}`);
    const chosen = candidates.find((c) => c.route.method === request.method);
    if (!chosen) throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${request.path} (allowed: ${candidates.map((c) => c.route.method).join(', ')})`);
    // One redactor for every answer: diagnoses are redacted when composed, ask answers and errors here.
    const response = await chosen.route.handle(request, chosen.params!, rt, context);
    return { ...response, ...(response.body !== undefined ? { body: redactDeep(response.body) } : {}), ...(response.text !== undefined ? { text: redact(response.text).text } : {}) };
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error.statusCode, error.code, redact(error.message).text);
    if (error instanceof InvalidInputError) return errorResponse(error.code === 'INPUT_TOO_LARGE' ? 413 : 400, error.code, redact(error.message).text);
    onError(error);
    return errorResponse(500, 'INTERNAL', 'the request could not be processed; see the function logs');
  }
}

function errorResponse(statusCode: number, code: string, message: string): ApiResponse {
  return { statusCode, body: { error: { code, message } } };
}

/** The API Gateway proxy result (same shape for v1 and v2). */
export function toProxyResult(response: ApiResponse): { statusCode: number; headers: Record<string, string>; body: string } {
  return {
    statusCode: response.statusCode,
    headers: { 'content-type': response.contentType ?? 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: response.text ?? jsonText(response.body ?? {}),
  };
}
