/**
 * Start-up races: connection errors that the same log then shows resolved (the service came up)
 * are no failure; an error after the service came up still is.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../functions/core/stages/analyze/index.js';
import { infer } from '../../functions/core/stages/infer/index.js';
import { CAME_UP } from '../../functions/core/stages/infer/transient.js';
import { context, incident, logs } from '../analyze/kubernetes/fixtures/context.js';

async function lead(text: string) {
  const ctx = context({ logs: logs(text) });
  const inc = incident();
  const { hypotheses } = await infer({ incident: inc, context: ctx, analysis: analyze(inc, ctx), retrieval: { passages: [], similarIncidents: [] } });
  return hypotheses[0]!;
}

describe('start-up races', () => {
  it('refusals while the dependency starts, then the client listening: unknown leads', async () => {
    const h = await lead([
      'mongo-express_1  | Waiting for mongo:27017...',
      'mongo-express_1  | /docker-entrypoint.sh: connect: Connection refused',
      'mongo-express_1  | retrying to connect to mongo:27017 (2/5)',
      'mongo-express_1  | Mongo Express server listening at http://0.0.0.0:8081',
    ].join('\n'));
    expect(h.category).toBe('unknown');
  });

  it('a refusal after the service came up is still a failure', async () => {
    const h = await lead([
      'api_1  | Server listening on :8080',
      'api_1  | Error: connect ECONNREFUSED 10.0.3.7:6379',
    ].join('\n'));
    expect(h.category).toBe('dependency_unreachable');
  });

  it('knows the usual ways a service says it came up', () => {
    for (const line of ['Mongo Express server listening at http://0.0.0.0:8081', 'LOG:  database system is ready to accept connections', 'Started OrdersApplication in 4.213 seconds (JVM running for 5.1)', 'Successfully connected to redis://cache:6379']) expect([line, CAME_UP.test(line)]).toEqual([line, true]);
    expect(CAME_UP.test('Connection refused')).toBe(false);
  });
});
