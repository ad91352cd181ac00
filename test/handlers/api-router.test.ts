/**
 * The API on Powertools' event-handler router, resolved without AWS (a store that knows nothing):
 * the stable error codes and statuses, v1 and v2 events, stage prefixes and base64 bodies.
 */
import { describe, expect, it } from 'vitest';
import { resolveApiRequest, type ApiRuntime } from '../../functions/handlers/api-routes.js';
import '../../functions/handlers/ask-routes.js';

const rt = { store: { get: async () => undefined, list: async () => ({ items: [] }), getRendering: async () => undefined } } as unknown as ApiRuntime;
const context = { getRemainingTimeInMillis: () => 10_000 };
const v2 = (method: string, rawPath: string, body?: string, extra: Record<string, unknown> = {}) => ({
  version: '2.0', routeKey: '$default', rawPath, rawQueryString: '', headers: {}, requestContext: { http: { method, path: rawPath } }, body, isBase64Encoded: false, ...extra,
});
const v1 = (method: string, path: string, body?: string, query?: Record<string, string>) => ({ httpMethod: method, path, body: body ?? null, queryStringParameters: query ?? null, headers: {} });

async function call(event: unknown): Promise<{ status: number; code?: string; message?: string; body: any; headers: Record<string, string> }> {
  const result = await resolveApiRequest(event, rt, context);
  const body = JSON.parse(result.body);
  return { status: result.statusCode, code: body.error?.code, message: body.error?.message, body, headers: result.headers };
}

describe('API router', () => {
  it('answers unknown paths 404 ROUTE_NOT_FOUND and known paths with another method 405 naming the allowed ones', async () => {
    expect(await call(v2('GET', '/v1/nothing'))).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    const r = await call(v1('DELETE', '/v1/diagnoses'));
    expect(r).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(r.message).toContain('allowed: POST, GET');
    expect(r.headers).toEqual({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  });

  it('checks the POST /v1/diagnoses body: empty, not JSON, and against the one schema (any content type)', async () => {
    expect(await call(v2('POST', '/v1/diagnoses'))).toMatchObject({ status: 400, code: 'INVALID_BODY', message: expect.stringMatching(/^request body is empty; expected \{ "event"\?: object, "evidence"\?: string \| string\[\], "question"\?: string, "context"\?: \{/) });
    expect(await call(v1('POST', '/v1/diagnoses', '{oops'))).toMatchObject({ status: 400, code: 'INVALID_JSON' });
    expect(await call(v2('POST', '/v1/diagnoses', '[]'))).toMatchObject({ status: 400, code: 'INVALID_BODY', message: expect.stringMatching(/^\(root\): /) });
    const encoded = Buffer.from('{"unexpected":1}').toString('base64');
    expect(await call(v2('POST', '/v1/diagnoses', encoded, { isBase64Encoded: true, headers: { 'content-type': 'application/json' } }))).toMatchObject({ status: 400, code: 'INVALID_BODY', message: expect.stringContaining('unexpected') });
  });

  it('routes stage-prefixed paths, ignores a body on GET, and answers non-API events 400 INVALID_INPUT', async () => {
    expect(await call(v2('GET', '/prod/v1/diagnoses/abc', 'ignored'))).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'no diagnosis with id abc' });
    expect(await call(v1('GET', '/v1/diagnoses', undefined, { limit: '0' }))).toMatchObject({ status: 400, code: 'INVALID_QUERY' });
    expect(await call(v2('GET', '/v1/diagnoses'))).toMatchObject({ status: 200, body: { items: [] } });
    expect(await call({ detail: {} })).toMatchObject({ status: 400, code: 'INVALID_INPUT' });
  });

  it('keeps the ask routes\' codes', async () => {
    expect(await call(v2('POST', '/v1/ask', '{}'))).toMatchObject({ status: 501, code: 'ASK_UNAVAILABLE' });
    expect(await call(v2('POST', '/v1/plans/p1/approve', '{}'))).toMatchObject({ status: 403, code: 'APPROVAL_DISABLED' });
    expect(await call(v2('POST', '/v1/plans/p1/approve'))).toMatchObject({ status: 403, code: 'APPROVAL_DISABLED' });
  });

  it('answers GET /v1/plans/{id} 501 where no plans are kept, and 405 for other methods', async () => {
    expect(await call(v2('GET', '/v1/plans/plan-00000000-0000-0000-0000-000000000000'))).toMatchObject({ status: 501, code: 'PLANS_UNAVAILABLE' });
    expect(await call(v2('DELETE', '/v1/plans/p1'))).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED', message: expect.stringContaining('allowed: GET') });
  });
});
