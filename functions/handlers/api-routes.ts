/**
 * The diagnosis API's routes on Powertools' event-handler router ({@link apiRouter}; API Gateway
 * REST v1 and HTTP API v2 events), resolved by {@link resolveApiRequest} for the Lambda function
 * and for `ops-assistant serve` alike. Routes are plain entries: to add one (e.g. `POST /v1/ask`,
 * `POST /v1/plans/{id}/approve`), append an {@link ApiRoute} to {@link API_ROUTES} or call
 * {@link registerRoute} from its module. A route with a `bodySchema` has its JSON body checked by
 * the router's validation middleware before it runs.
 *
 * Errors are JSON `{ "error": { "code": "<STABLE_CODE>", "message": "…" } }`; a 400 about a POST
 * route's body ends with the keys that route expects ({@link ApiRoute.bodyKeys}). Codes:
 * `ROUTE_NOT_FOUND` (404), `METHOD_NOT_ALLOWED` (405), `INVALID_JSON`, `INVALID_BODY`,
 * `INVALID_QUERY`, `INVALID_ID`, `INVALID_INPUT`, `UNSUPPORTED_EVENT`, `INPUT_TOO_LARGE` (400),
 * `NOT_FOUND` (404), `INTERNAL` (500).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { ParameterValidationError, RequestValidationError, Router } from '@aws-lambda-powertools/event-handler/http';
import type { Middleware, Path } from '@aws-lambda-powertools/event-handler/types';
import { z } from 'zod';
import { CATEGORIES } from '../core/model/categories.js';
import { InvalidInputError, OpsAssistantError, describeError } from '../core/model/errors.js';
import { diagnoseEvent } from '../core/diagnose/index.js';
import { diagnosisRequestSchema } from '../core/stages/normalize/index.js';
import type { ApiRuntime, InvocationContext } from '../core/ports/api.port.js';
import { redact } from '../core/stages/compose/redact.js';
import { jsonText } from '../core/stages/compose/format.js';

export type { ApiRuntime, InvocationContext } from '../core/ports/api.port.js';

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
  /** The body as the route's {@link ApiRoute.bodySchema} validated it (routes with a schema only). */
  readonly validBody?: unknown;
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
  /** The JSON body's schema: the router's validation middleware answers 400 `INVALID_BODY` (or `INVALID_JSON`) before `handle`. */
  readonly bodySchema?: z.ZodType;
  /**
   * The body this route expects, in words (`{ "question": string, "context"?: {…} }`): every 400
   * answer about the body ({@link BODY_ERROR_CODES}) ends with it, so a caller learns the keys.
   */
  readonly bodyKeys?: string;
  handle(request: ApiRequest, params: Readonly<Record<string, string>>, rt: ApiRuntime, context: InvocationContext): Promise<ApiResponse>;
}

/** An error answered with its HTTP status and stable code. */
export class ApiError extends OpsAssistantError {
  constructor(readonly statusCode: number, code: string, message: string) {
    super(code, message);
    this.name = 'ApiError';
  }
}

/** `POST /v1/diagnoses` body: one schema, owned by the normalize stage (the CDK request model reads its limits). */
export { diagnosisRequestSchema } from '../core/stages/normalize/index.js';

/** Codes of 400 answers about a request body: they name the keys the route expects. */
export const BODY_ERROR_CODES: ReadonlySet<string> = new Set(['INVALID_BODY', 'INVALID_JSON', 'INVALID_REQUEST', 'INVALID_QUESTION', 'EMPTY_QUESTION', 'INVALID_CONTEXT']);

/** The context object of `POST /v1/diagnoses` and `POST /v1/ask`, in words. */
const CONTEXT_KEYS = '"context"?: { "cluster"?: string, "namespace"?: string, "service"?: string, "since"?: string }';

/** `POST /v1/diagnoses` body keys, in words (the schema is {@link diagnosisRequestSchema}). */
export const DIAGNOSIS_BODY_KEYS = `{ "event"?: object, "evidence"?: string | string[], "question"?: string, ${CONTEXT_KEYS} } with "event" and/or "evidence"`;
/** `POST /v1/ask` body keys, in words (validated by `validateAskRequest`). */
export const ASK_BODY_KEYS = `{ "question": string, ${CONTEXT_KEYS} }`;

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
  return parseJsonText(request.body);
}

function parseJsonText(body: string | undefined): unknown {
  if (!body?.trim()) throw new ApiError(400, 'INVALID_BODY', 'request body is empty');
  try {
    return JSON.parse(body);
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
    // The router's validation middleware checks the body against the one schema (400 INVALID_BODY).
    bodySchema: diagnosisRequestSchema,
    bodyKeys: DIAGNOSIS_BODY_KEYS,
    async handle(request, _params, rt, context) {
      // The one diagnose use case, as every entry point runs it: an unreadable body is a 400, not quarantined.
      const { deps, limits } = rt.diagnose(context);
      const outcome = await diagnoseEvent({ event: { payload: request.event, input: 'body' }, quarantine: false, notify: false, returnStored: true, ...limits }, deps);
      if (outcome.status !== 'diagnosed') {
        // An alarm's OK transition is recorded on its open incident, a storm folded, an informational event ignored: nothing new to diagnose.
        const { incident: _incident, ...rest } = outcome;
        return { statusCode: 200, body: rest };
      }
      return { statusCode: outcome.created ? 201 : 200, body: { id: outcome.incidentId, key: outcome.key, created: outcome.created, diagnosis: outcome.diagnosis } };
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

/** Path template `{id}` as the Powertools router spells it (`:id`). */
function routerPath(template: string): Path {
  return template.replace(/\{(\w+)\}/g, ':$1') as Path;
}

/** What one resolution needs beyond the event: the runtime, the invocation, the raw event, the error sink. */
interface Invocation {
  readonly rt: ApiRuntime;
  readonly context: InvocationContext;
  readonly event: unknown;
  readonly onError: (error: unknown) => void;
}

/** Keyed by the context object handed to {@link resolveApiRequest}, so one router serves every runtime (Lambda, `serve`). */
const invocations = new WeakMap<object, Invocation>();

function invocationOf(reqCtx: { context: object }): Invocation {
  const invocation = invocations.get(reqCtx.context);
  if (!invocation) throw new Error('the API router was called outside resolveApiRequest');
  return invocation;
}

/**
 * The API's router: Powertools' event-handler REST/HTTP router (API Gateway v1 and v2 events).
 * Lambda (`api.ts`) and `ops-assistant serve` both resolve requests through it with {@link resolveApiRequest}.
 */
export const apiRouter = new Router();

/** Rejects an empty or non-JSON body with the API's codes, and makes the body JSON for the router's validation middleware. */
const jsonBody: Middleware = async ({ reqCtx, next }) => {
  const text = await reqCtx.req.clone().text();
  parseJsonText(text);
  if (!reqCtx.req.headers.get('content-type')?.includes('application/json')) {
    const headers = new Headers(reqCtx.req.headers);
    headers.set('content-type', 'application/json');
    reqCtx.req = new Request(reqCtx.req.url, { method: reqCtx.req.method, headers, body: text });
  }
  await next();
};

function toWebResponse(response: ApiResponse): Response {
  return new Response(response.text ?? jsonText(response.body ?? {}), {
    status: response.statusCode,
    headers: { 'content-type': response.contentType ?? 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** Adds a route to {@link API_ROUTES} and the router (later routes with the same method and path replace earlier ones). */
export function registerRoute(route: ApiRoute): void {
  const i = API_ROUTES.findIndex((r) => r.method === route.method && r.path === route.path);
  if (i >= 0) API_ROUTES.splice(i, 1, route);
  else API_ROUTES.push(route);
  addToRouter(route);
}

function addToRouter(route: ApiRoute): void {
  const run = async (reqCtx: { context: object; params: Record<string, string>; valid?: { req?: { body?: unknown } } }): Promise<Response> => {
    const { rt, context, event } = invocationOf(reqCtx);
    const request = toApiRequest(event);
    const validBody = reqCtx.valid?.req?.body;
    return toWebResponse(await route.handle(validBody !== undefined ? { ...request, validBody } : request, reqCtx.params, rt, context));
  };
  const options = { method: route.method, path: routerPath(route.path) };
  if (route.bodySchema) apiRouter.route(run, { ...options, middleware: [jsonBody], validation: { req: { body: route.bodySchema } } });
  else apiRouter.route(run, options);
}

for (const route of API_ROUTES) addToRouter(route);

/** True when `path` fits the route template (for the 405 answer's allowed methods). */
function matchesPath(template: string, path: string): boolean {
  const t = template.split('/');
  const p = path.replace(/(?<!\/)\/+$/, '').split('/');
  return t.length === p.length && t.every((segment, i) => segment.startsWith('{') || segment === p[i]);
}

function errorResult(statusCode: number, code: string, message: string): Response {
  return toWebResponse(errorResponse(statusCode, code, message));
}

/** The route a request resolves to (method and path template), for its {@link ApiRoute.bodyKeys}. */
function routeOf(event: unknown): ApiRoute | undefined {
  try {
    const { method, path } = toApiRequest(event);
    return API_ROUTES.find((r) => r.method === method && matchesPath(r.path, path));
  } catch {
    return undefined;
  }
}

/** A 400 about the body, ending with the keys the route expects. */
function bodyErrorResult(reqCtx: { context: object }, statusCode: number, code: string, message: string): Response {
  const keys = statusCode === 400 && BODY_ERROR_CODES.has(code) ? routeOf(invocationOf(reqCtx).event)?.bodyKeys : undefined;
  return errorResult(statusCode, code, keys ? `${message}; expected ${keys}` : message);
}

// Every error becomes `{ error: { code, message } }` with a stable code. Specific handlers first:
// the registry tries the exact class, then `instanceof` in registration order.
apiRouter.notFound(async (_error, reqCtx) => {
  // The router answers 404 for a known path with another method; the API answers 405 with the allowed methods.
  const { path, method } = toApiRequest(invocationOf(reqCtx).event);
  const allowed = API_ROUTES.filter((r) => matchesPath(r.path, path)).map((r) => r.method);
  if (allowed.length === 0) return errorResult(404, 'ROUTE_NOT_FOUND', `no route for ${path}`);
  return errorResult(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path} (allowed: ${allowed.join(', ')})`);
});
apiRouter.methodNotAllowed(async (error) => errorResult(405, 'METHOD_NOT_ALLOWED', error.message));
apiRouter.errorHandler(RequestValidationError, async (error, reqCtx) => {
  const issue = (error.details as { issues?: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }> } | undefined)?.issues?.[0];
  if (!issue) return bodyErrorResult(reqCtx, 400, 'INVALID_BODY', 'request body is not valid');
  // Issue paths start with the request part (`body`); the rest is the field, as zodMessage writes it.
  const path = (issue.path ?? []).slice(1).map((segment) => String(typeof segment === 'object' ? segment.key : segment));
  return bodyErrorResult(reqCtx, 400, 'INVALID_BODY', `${path.join('.') || '(root)'}: ${issue.message}`);
});
apiRouter.errorHandler(ParameterValidationError, async (error) => errorResult(400, 'INVALID_ID', error.message));
apiRouter.errorHandler(Error, async (error, reqCtx) => {
  if (error instanceof ApiError) return bodyErrorResult(reqCtx, error.statusCode, error.code, error.message);
  if (error instanceof InvalidInputError) return bodyErrorResult(reqCtx, error.code === 'INPUT_TOO_LARGE' ? 413 : 400, error.code, error.message);
  invocationOf(reqCtx).onError(error);
  return errorResult(500, 'INTERNAL', 'the request could not be processed; see the function logs');
});

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

/**
 * The event as the router reads it: the path from `/v1/` on (stage prefixes removed, as
 * {@link toApiRequest} does), the optional fields the router's event checks expect filled in, and
 * no body on GET/HEAD (a web `Request` refuses one; routes read the body from the raw event).
 */
function routerEvent(event: any, request: ApiRequest): APIGatewayProxyEvent | APIGatewayProxyEventV2 {
  const bodyless = request.method === 'GET' || request.method === 'HEAD';
  if (event.version === '2.0') {
    return {
      routeKey: '$default', rawQueryString: '', ...event, isBase64Encoded: bodyless ? false : event.isBase64Encoded ?? false,
      body: bodyless ? undefined : event.body ?? undefined, headers: event.headers ?? {}, rawPath: request.path,
      requestContext: { ...event.requestContext, http: { ...event.requestContext.http, path: request.path } },
    };
  }
  return {
    resource: request.path, headers: {}, multiValueHeaders: {}, queryStringParameters: null, multiValueQueryStringParameters: null,
    pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false, requestContext: {},
    ...Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined)), path: request.path,
    ...(bodyless ? { body: null, isBase64Encoded: false } : {}),
  } as APIGatewayProxyEvent;
}

/**
 * Resolves an API Gateway event (v1 or v2) through {@link apiRouter}; every error becomes a JSON
 * error response with a stable code (`onError` sees the unexpected ones, answered 500 `INTERNAL`).
 */
export async function resolveApiRequest(
  event: unknown, rt: ApiRuntime, context: InvocationContext, onError: (error: unknown) => void = () => undefined,
): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  let request: ApiRequest;
  try {
    request = toApiRequest(event);
  } catch (error) {
    return toProxyResult(errorResponse(400, (error as ApiError).code ?? 'INVALID_INPUT', describeError(error)));
  }
  // Malformed percent-encoding in the path (`%zz`, a lone `%E0`) is the caller's error: 400, never 500.
  try {
    for (const segment of request.path.split('/')) decodeURIComponent(segment);
  } catch {
    return toProxyResult(errorResponse(400, 'MALFORMED_ENCODING', 'the path is not valid percent-encoding'));
  }
  // A fresh key per resolution: a Lambda context object may serve concurrent calls in tests.
  const key = Object.create(context as object) as Context;
  invocations.set(key, { rt, context, event, onError });
  try {
    const result = await apiRouter.resolve(routerEvent(event, request), key);
    // One redactor for every answer: diagnoses are redacted when composed, ask answers and errors here.
    return { statusCode: result.statusCode ?? 500, headers: { ...(result.headers as Record<string, string> | undefined) }, body: typeof result.body === 'string' ? redact(result.body).text : '' };
  } catch (error) {
    // The router throws only before routing (an event it cannot turn into a request).
    onError(error);
    return toProxyResult(errorResponse(500, 'INTERNAL', 'the request could not be processed; see the function logs'));
  } finally {
    invocations.delete(key);
  }
}

function errorResponse(statusCode: number, code: string, message: string): ApiResponse {
  return { statusCode, body: { error: { code, message: redact(message).text } } };
}

/** The API Gateway proxy result (same shape for v1 and v2). */
export function toProxyResult(response: ApiResponse): { statusCode: number; headers: Record<string, string>; body: string } {
  return {
    statusCode: response.statusCode,
    headers: { 'content-type': response.contentType ?? 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: response.text ?? jsonText(response.body ?? {}),
  };
}
