/**
 * Healthy inputs lead `unknown` with what was checked: transient errors that recovered, settings
 * that name timeouts and error counts, handled exceptions logged at DEBUG; a failure after the
 * recovery still counts. Diagnosed as the CLI diagnoses pasted evidence (rules only).
 */
import { describe, expect, it } from 'vitest';
import { diagnoseEvidenceTexts } from '../../functions/composition/local.js';
import { matchFailureStates } from '../../functions/core/stages/analyze/index.js';
import { context, logs } from '../analyze/kubernetes/fixtures/context.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const diagnose = async (text: string) => (await diagnoseEvidenceTexts([{ name: 'evidence.txt', text }], { useModel: false, now: () => NOW })).hypotheses;

describe('transient errors that recovered', () => {
  it('a peer refused while it started, then the component came up: healthy, saying the errors recovered', async () => {
    const hypotheses = await diagnose([
      'app-1    | Error: connect ECONNREFUSED 10.0.0.3:6379',
      'app-1    |     at TCPConnectWrapper.afterConnect [as oncomplete] (node:net:1555:16)',
      'app-1    | [ioredis] Unhandled error event: Error: connect ECONNREFUSED 10.0.0.3:6379',
      'redis-1  | 1:M 07 Dec 2024 10:00:01.000 * Ready to accept connections tcp',
      'app-1    | Server listening on port 3000',
    ].join('\n'));
    expect(hypotheses[0]!.category).toBe('unknown');
    expect(hypotheses[0]!.summary).toMatch(/healthy as far as this evidence shows: .*recovered/);
  });

  it('the same error after the component came up is a failure', async () => {
    const hypotheses = await diagnose([
      'app-1    | Error: connect ECONNREFUSED 10.0.0.3:6379',
      'app-1    | Server listening on port 3000',
      'app-1    | Error: connect ECONNREFUSED 10.0.0.3:6379',
    ].join('\n'));
    expect(hypotheses[0]!.category).toBe('dependency_unreachable');
  });

  it('another component coming up is no recovery of this one', async () => {
    const hypotheses = await diagnose([
      'app-1    | Error: connect ECONNREFUSED 10.0.0.3:6379',
      'web-1    | Server listening on port 8080',
    ].join('\n'));
    expect(hypotheses[0]!.category).toBe('dependency_unreachable');
  });
});

describe('what is not a failure state', () => {
  const states = (text: string) => matchFailureStates(context({ logs: logs(text) })).map((s) => s.state.id);
  it('settings naming timeouts, deadlines and zero error counts', () => {
    expect(states('spring.datasource.hikari.connection-timeout=30000')).toEqual([]);
    expect(states('config: {"timeout": "30s", "retries": 3, "errors": 0, "failed": 0}')).toEqual([]);
    expect(states('[2024-12-07 10:00:00,000] INFO Client environment:zookeeper.connection.timeout.ms=18000 (org.apache.zookeeper.ZooKeeper)')).toEqual([]);
    // a timeout event beside a setting stays one
    expect(states('upstream read timed out after 30s (proxy_read_timeout: 30)')).toEqual(['timeout']);
  });
  it('exceptions logged at DEBUG or TRACE were handled', () => {
    expect(states('2024-12-07 10:00:00 DEBUG c.e.OrderService - ignored optional header: java.lang.NumberFormatException: For input string: "abc"')).toEqual([]);
    expect(states('{"level":"debug","msg":"cache miss","error":"redis: nil"} TimeoutError: ')).toEqual([]);
    expect(states('2024-12-07 10:00:00 ERROR c.e.OrderService - java.lang.IllegalStateException: broken')).toEqual(['crash']);
  });
});

describe('benign inputs end to end', () => {
  it.each([
    ['a configuration dump', 'server.tomcat.connection-timeout=20s\nfeign.client.config.default.readTimeout=5000\nspring.kafka.consumer.properties.request.timeout.ms=30000'],
    ['a handled exception at DEBUG', '2024-12-07 10:00:00 DEBUG c.e.OrderService - handled exception while parsing optional header: java.lang.NumberFormatException: For input string: "abc"\n2024-12-07 10:00:00 DEBUG c.e.OrderService - falling back to default page size 20'],
  ])('%s → unknown', async (_name, text) => {
    expect((await diagnose(text))[0]!.category).toBe('unknown');
  });
});
