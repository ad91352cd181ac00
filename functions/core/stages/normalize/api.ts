/**
 * API Gateway requests to the diagnosis API. Request shapes: API Gateway Developer Guide,
 * "Input format of a Lambda function for proxy integration" (REST, payload format 1.0) and
 * "Working with AWS Lambda proxy integrations for HTTP APIs" (payload format 2.0).
 *
 * The request body is JSON: `{ event?: <any event this stage reads>, evidence?: string |
 * string[], question?: string, context?: { cluster?, namespace?, service?, since? } }`.
 */
import { z } from 'zod';
import { InvalidInputError, UnsupportedEventError } from '../../model/errors.js';
import type { ResourceRef } from '../../model/incident.js';
import type { IncidentDraft } from './draft.js';
import { parseEventJson } from './parse.js';
import { digest, isAccountId, obj, parseTime, preview, regionCode, str, type JsonObject } from './util.js';

/** The body of a diagnosis request. */
export const apiBodySchema = z.object({
  /** Any payload this stage reads (its shape is judged by the stage, with its own errors). */
  event: z.unknown().optional(),
  evidence: z.union([z.string(), z.array(z.string())], { error: 'must be a string or an array of strings' }).optional(),
  question: z.string().optional(),
  context: z.object({
    cluster: z.string().optional(),
    namespace: z.string().optional(),
    service: z.string().optional(),
    since: z.string().optional(),
  }).optional(),
});

/**
 * Bounds of a `POST /v1/diagnoses` body: one owner, read by the API route's schema below and by
 * the API Gateway request model (`infra/lib/api.ts`).
 */
export const API_BODY_LIMITS = {
  /** Characters of one evidence text. */
  evidenceChars: 1_000_000,
  /** Evidence texts in one request. */
  evidenceItems: 20,
  questionChars: 4000,
} as const;

/**
 * The API's validation of `POST /v1/diagnoses` bodies: an event and/or evidence text, the
 * {@link API_BODY_LIMITS}, no other keys. (This stage then reads the body with {@link apiBodySchema}.)
 */
export const diagnosisRequestSchema = z.object({
  event: z.record(z.string(), z.unknown()).optional(),
  evidence: z.union([z.string().max(API_BODY_LIMITS.evidenceChars), z.array(z.string().max(API_BODY_LIMITS.evidenceChars)).max(API_BODY_LIMITS.evidenceItems)]).optional(),
  question: z.string().max(API_BODY_LIMITS.questionChars).optional(),
  context: z.object({
    cluster: z.string().max(200).optional(),
    namespace: z.string().max(253).optional(),
    service: z.string().max(253).optional(),
    since: z.string().max(64).optional(),
  }).strict().optional(),
}).strict().refine((b) => b.event !== undefined || b.evidence !== undefined, { message: "give 'event' and/or 'evidence'" });

/** Keys that mark a JSON object as a diagnosis request body. */
export const API_BODY_KEYS = ['event', 'evidence', 'question', 'context'] as const;

/** True for an object whose keys are all body keys (and at least one is present). */
export function looksLikeApiBody(value: JsonObject): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => (API_BODY_KEYS as readonly string[]).includes(k));
}

/** `since`: a duration (`90s`, `30m`, `2h`, `1d`) → minutes, or a timestamp → ms. */
function parseSince(since: string | undefined, input: string): { minutes?: number; atMs?: number } {
  if (!since) return {};
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/i.exec(since.trim());
  if (m) {
    const factor: Record<string, number> = { s: 1 / 60, m: 1, h: 60, d: 1440 };
    return { minutes: Math.max(1, Math.ceil(Number(m[1]) * factor[m[2]!.toLowerCase()]!)) };
  }
  const at = parseTime(since);
  if (at === undefined) throw new InvalidInputError(input, `context.since '${preview(since)}' is neither a duration (30m, 2h, 1d) nor a timestamp`);
  return { atMs: at };
}

const KIND_NAMES: Readonly<Record<string, string>> = {
  'api-gateway-v1': 'API Gateway REST (v1)', 'api-gateway-v2': 'API Gateway HTTP API (v2)', 'api-body': 'Diagnosis',
};

/** A draft plus what the request asks of the window. */
export interface ApiDraft extends IncidentDraft {
  readonly requestedLookbackMinutes?: number;
  readonly sinceMs?: number;
  /** Evidence without an event and without `context.since`: its time (and subject) come from the evidence, when the caller reads it. */
  readonly fromEvidence?: boolean;
}

/**
 * Reads a diagnosis request body (already parsed).
 * @param readNested normalizes the nested `event` (the stage's own reader).
 * @param request where the body came from (for the title, time, account and region).
 */
export function fromApiBody(
  raw: JsonObject,
  input: string,
  request: { kind: string; timeMs?: number; accountId?: string; region?: string; requestLine?: string },
  readNested: (event: unknown) => IncidentDraft,
): ApiDraft {
  const parsed = apiBodySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(input, `${KIND_NAMES[request.kind] ?? request.kind} request body: field '${issue.path.join('.') || '(root)'}': ${issue.message}`);
  }
  const body = parsed.data;
  if (body.event === undefined && body.evidence === undefined && body.question === undefined && body.context === undefined) {
    const keys = Object.keys(raw);
    throw new UnsupportedEventError(input, `${KIND_NAMES[request.kind] ?? request.kind} request${request.requestLine ? ` ${request.requestLine}` : ''}: body has none of 'event', 'evidence', 'question', 'context' (${keys.length > 0 ? `keys: ${preview(keys.join(', '))}` : 'empty object'})`);
  }
  const evidence = (typeof body.evidence === 'string' ? [body.evidence] : body.evidence ?? []).filter((e) => e.trim() !== '');
  const question = str(body.question);
  const context = body.context ?? {};
  const since = parseSince(context.since, input);
  const contentSeed = digest(JSON.stringify({ evidence, question: question ?? null, context }));
  const resources: ResourceRef[] = [];
  if (context.service) resources.push({ type: 'Service', name: context.service, ...(context.namespace ? { namespace: context.namespace } : {}), ...(context.cluster ? { cluster: context.cluster } : {}) });
  const via = { via: request.kind };
  if (body.event !== undefined) {
    const nested = readNested(body.event);
    const hasExtra = evidence.length > 0 || question !== undefined || Object.keys(context).length > 0;
    return {
      ...nested,
      idSeed: hasExtra ? `${nested.idSeed}|api:${contentSeed}` : nested.idSeed,
      resources: [...nested.resources, ...resources],
      cluster: context.cluster ?? nested.cluster,
      namespace: context.namespace ?? nested.namespace,
      labels: { ...nested.labels, ...via },
      question,
      inlineEvidence: [...(nested.inlineEvidence ?? []), ...evidence],
      accountId: nested.accountId ?? request.accountId,
      region: nested.region ?? request.region,
      requestedLookbackMinutes: since.minutes,
      sinceMs: since.atMs,
    };
  }
  const where = [context.cluster, context.namespace, context.service].filter(Boolean).join('/');
  return {
    idSeed: `api:${contentSeed}`,
    source: 'api',
    title: question ? preview(question, 100) : `Diagnosis request${where ? ` for ${where}` : ''}`,
    severity: 'medium',
    occurredAtMs: request.timeMs,
    region: request.region,
    accountId: request.accountId,
    resources,
    cluster: context.cluster,
    namespace: context.namespace,
    labels: via,
    question,
    inlineEvidence: evidence.length > 0 ? evidence : undefined,
    requestedLookbackMinutes: since.minutes,
    sinceMs: since.atMs,
    ...(evidence.length > 0 && !context.since ? { fromEvidence: true } : {}),
  };
}

/** The request body as JSON: base64-decoded when flagged, parsed with {@link parseEventJson}. */
function requestBody(request: JsonObject, input: string, kind: string, requestLine: string): JsonObject {
  const raw = request['body'];
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
    throw new UnsupportedEventError(input, `${kind} request ${requestLine} has no body (expected JSON with 'event', 'evidence' or 'question')`);
  }
  if (typeof raw !== 'string') throw new InvalidInputError(input, `${kind} request ${requestLine}: body is ${typeof raw}, expected a string`);
  const text = request['isBase64Encoded'] === true ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
    throw new UnsupportedEventError(input, `${kind} request ${requestLine}: body is not JSON (starts '${preview(text, 30)}')`);
  }
  const parsed = parseEventJson(text, `${input} (request body)`);
  const object = obj(parsed);
  if (!object) throw new UnsupportedEventError(input, `${kind} request ${requestLine}: body is a JSON ${Array.isArray(parsed) ? 'array' : typeof parsed}, expected an object`);
  return object;
}

/** Region of an `execute-api` domain name (`id.execute-api.us-east-1.amazonaws.com`). */
function regionOfDomain(domain: unknown): string | undefined {
  const m = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(str(domain) ?? '');
  return m ? regionCode(m[1]) : undefined;
}

/** API Gateway REST API (payload format 1.0) request. */
export function fromApiGatewayV1(request: JsonObject, input: string, readNested: (event: unknown) => IncidentDraft): ApiDraft {
  const ctx = obj(request['requestContext']) ?? {};
  const requestLine = `${str(request['httpMethod']) ?? ''} ${str(request['path']) ?? ''}`.trim();
  const kind = 'API Gateway REST (v1)';
  const body = requestBody(request, input, kind, requestLine);
  const account = str(ctx['accountId']);
  return fromApiBody(body, input, {
    kind: 'api-gateway-v1',
    timeMs: parseTime(ctx['requestTimeEpoch']),
    accountId: isAccountId(account) ? account : undefined,
    region: regionOfDomain(ctx['domainName']),
    requestLine,
  }, readNested);
}

/** API Gateway HTTP API (payload format 2.0) request. */
export function fromApiGatewayV2(request: JsonObject, input: string, readNested: (event: unknown) => IncidentDraft): ApiDraft {
  const ctx = obj(request['requestContext']) ?? {};
  const http = obj(ctx['http']) ?? {};
  const requestLine = `${str(http['method']) ?? ''} ${str(http['path']) ?? str(request['rawPath']) ?? ''}`.trim();
  const body = requestBody(request, input, 'API Gateway HTTP API (v2)', requestLine);
  const account = str(ctx['accountId']);
  return fromApiBody(body, input, {
    kind: 'api-gateway-v2',
    timeMs: parseTime(ctx['timeEpoch']),
    accountId: isAccountId(account) ? account : undefined,
    region: regionOfDomain(ctx['domainName']),
    requestLine,
  }, readNested);
}
