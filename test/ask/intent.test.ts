import { describe, expect, it } from 'vitest';
import { parseQuestion, extractEntities } from '../../functions/core/ask/intent.js';
import { parseTimeRange } from '../../functions/core/ask/time-range.js';

const NOW = new Date('2026-11-30T10:00:00Z');

describe('parseTimeRange', () => {
  it('reads relative ranges in words and digits', () => {
    expect(parseTimeRange('errors in the last 30 minutes', NOW)).toMatchObject({ start: '2026-11-30T09:30:00.000Z', end: NOW.toISOString() });
    expect(parseTimeRange('over the past 2h', NOW)?.start).toBe('2026-11-30T08:00:00.000Z');
    expect(parseTimeRange('in the last hour', NOW)?.start).toBe('2026-11-30T09:00:00.000Z');
    expect(parseTimeRange('since 09:15', NOW)?.start).toBe('2026-11-30T09:15:00.000Z');
    expect(parseTimeRange('yesterday', NOW)).toMatchObject({ start: '2026-11-29T00:00:00.000Z', end: '2026-11-30T00:00:00.000Z' });
    expect(parseTimeRange('what is wrong', NOW)).toBeUndefined();
  });
});

describe('parseQuestion', () => {
  it.each([
    ['how do I debug a pending PVC?', 'knowledge'],
    ['why is checkout crash-looping in prod?', 'diagnose'],
    ['errors in payments in the last 30 minutes', 'search_errors'],
    ['has this happened before?', 'history'],
    ['what changed before the alarm?', 'changes'],
    ['scale checkout to 5 replicas', 'kubernetes_action'],
    ['alert me when the checkout target group\'s 5xx rate is over 1% for 5 minutes', 'infrastructure_as_code'],
    ['banana', 'clarify'],
  ])('%s → %s', (question, intent) => {
    expect(parseQuestion(question, NOW).intent).toBe(intent);
  });

  it('extracts workload, namespace, cluster, replicas', () => {
    expect(extractEntities('scale deployment payments to 3 replicas in namespace shop on the prod-eu cluster', NOW)).toMatchObject({
      workload: { name: 'payments', kind: 'Deployment' }, replicas: 3, namespace: 'shop', cluster: 'prod-eu',
    });
    expect(extractEntities('why is checkout crash-looping in prod?', NOW)).toMatchObject({ workload: { name: 'checkout' }, namespace: 'prod' });
    expect(extractEntities('cordon node ip-10-0-1-23.ec2.internal', NOW).node).toBe('ip-10-0-1-23.ec2.internal');
  });

  it('fills missing entities from the request context, never overriding the question', () => {
    const e = extractEntities('restart checkout in namespace shop', NOW, { namespace: 'other', cluster: 'prod-eu' });
    expect(e.namespace).toBe('shop');
    expect(e.cluster).toBe('prod-eu');
  });

  it('asks back instead of guessing when an action lacks its object', () => {
    const scale = parseQuestion('scale checkout', NOW);
    expect(scale.intent).toBe('clarify');
    expect(scale.clarification).toMatch(/How many replicas/);
    expect(parseQuestion('restart it', NOW).intent).toBe('clarify');
    expect(parseQuestion('cordon the node', NOW).intent).toBe('clarify');
  });

  it('recognises refused verbs so they can be guarded', () => {
    expect(parseQuestion('delete namespace shop', NOW)).toMatchObject({ intent: 'kubernetes_action', verb: 'delete' });
    expect(parseQuestion('show me the secret db-credentials in shop', NOW)).toMatchObject({ verb: 'read_secret' });
  });
});
