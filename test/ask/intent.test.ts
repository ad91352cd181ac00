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

describe('parseQuestion: phrasing beyond the eval set', () => {
  it.each([
    // Past or present-state questions never become actions.
    ['why did someone scale checkout to 0?', 'kubernetes_action', false],
    ['who restarted the payments deployment?', 'kubernetes_action', false],
    ['has checkout been rolled back?', 'kubernetes_action', false],
    ['how do I drain a node safely?', 'knowledge', true],
    ['how do I delete a namespace stuck in Terminating?', 'knowledge', true],
    // Polite and kubectl forms are requests.
    ['could you please restart deployment web in namespace frontend', 'kubernetes_action', true],
    ['i need you to cordon node ip-10-0-3-4.ec2.internal', 'kubernetes_action', true],
    ['kubectl rollout restart deploy/api -n edge', 'kubernetes_action', true],
    ['kubectl rollout undo deployment/api -n edge', 'kubernetes_action', true],
    ['let\'s scale the search statefulset to 2 replicas', 'kubernetes_action', true],
    // Live questions.
    ['cart is throwing 502s since 10:15', 'search_errors', true],
    ['any panics from the ingest job today?', 'search_errors', true],
    ['why does checkout keep dying?', 'diagnose', true],
    ['web-frontend looks slow in staging', 'diagnose', true],
    ['did this happen to cart last week too?', 'history', true],
    ['how often did this happen?', 'history', true],
    ['who deployed to checkout this morning?', 'changes', true],
    ['any recent rollouts of cart?', 'changes', true],
    // Knowledge.
    ['why would a pod be evicted?', 'knowledge', true],
    ['what does CreateContainerConfigError mean?', 'knowledge', true],
    ['tips for debugging CoreDNS SERVFAIL', 'knowledge', true],
    ['do a rolling restart of deployment web', 'kubernetes_action', true],
    ['do pods get restarted when a node drains?', 'kubernetes_action', false],
    ['why can\'t the auth service reach the database?', 'diagnose', true],
    ['is this the same incident as yesterday?', 'history', true],
    ['ways to troubleshoot a Lambda ImportModuleError', 'knowledge', true],
    ['search-indexer is OOMKilled again and again', 'diagnose', true],
    ['mark node ip-10-0-4-5.ec2.internal unschedulable', 'kubernetes_action', true],
    // Clarify.
    ['checkout', 'clarify', true],
    ['do the thing', 'clarify', true],
  ])('%s → %s is %s', (question, intent, expected) => {
    expect(parseQuestion(question, NOW).intent === intent).toBe(expected);
  });

  it('reads names in the places engineers put them', () => {
    expect(extractEntities('why are the cart pods restarting in namespace shop?', NOW)).toMatchObject({ workload: { name: 'cart' }, namespace: 'shop' });
    expect(extractEntities('the cart pods are pending', NOW).workload).toEqual({ name: 'cart' });
    expect(extractEntities('is billing-api down on staging?', NOW)).toMatchObject({ workload: { name: 'billing-api' }, namespace: 'staging' });
    expect(extractEntities('cart keeps crashing', NOW).workload).toEqual({ name: 'cart' });
    expect(extractEntities("what's wrong with the search statefulset", NOW).workload).toEqual({ name: 'search', kind: 'StatefulSet' });
    expect(extractEntities('kubectl scale deploy/checkout --replicas=4 -n shop --context prod-eu', NOW)).toMatchObject({ workload: { name: 'checkout', kind: 'Deployment' }, replicas: 4, namespace: 'shop', cluster: 'prod-eu' });
    expect(extractEntities('errors in prod in the last hour', NOW)).toMatchObject({ namespace: 'prod' });
    expect(extractEntities('errors in prod in the last hour', NOW).workload).toBeUndefined();
    expect(extractEntities('was there a deploy right before cart started failing?', NOW).workload).toEqual({ name: 'cart' });
    expect(extractEntities('scale checkout to 3 replicas for 10 minutes', NOW).replicas).toBe(3);
    expect(extractEntities('why is cart returning 5xx?', NOW)).toMatchObject({ workload: { name: 'cart' }, service: 'cart' });
    expect(extractEntities("why can't the auth service reach the database?", NOW)).toMatchObject({ workload: { name: 'auth', kind: 'Service' }, service: 'auth' });
    expect(extractEntities('have we had OOM kills on checkout before?', NOW).workload).toEqual({ name: 'checkout' });
  });

  it('fills entities from the context only where the question is silent', () => {
    expect(extractEntities('errors in cart', NOW, { since: '2026-11-30T09:00:00Z', cluster: 'prod-eu' })).toMatchObject({
      cluster: 'prod-eu', timeRange: { start: '2026-11-30T09:00:00.000Z', end: NOW.toISOString() },
    });
    expect(extractEntities('errors in cart in the last 5 minutes', NOW, { since: '2 hours ago' }).timeRange?.text).toBe('last 5 minutes');
  });
});

describe('parseTimeRange: more words', () => {
  it.each([
    ['since 9am', '2026-11-30T09:00:00.000Z', NOW.toISOString()],
    ['since 2:30pm', '2026-11-29T14:30:00.000Z', NOW.toISOString()],
    ['an hour ago', '2026-11-30T09:00:00.000Z', NOW.toISOString()],
    ['from 2 hours ago', '2026-11-30T08:00:00.000Z', NOW.toISOString()],
    ['in the past day', '2026-11-29T10:00:00.000Z', NOW.toISOString()],
    ['since yesterday', '2026-11-29T00:00:00.000Z', NOW.toISOString()],
    ['this week', '2026-11-30T00:00:00.000Z', NOW.toISOString()],
    ['last night', '2026-11-29T18:00:00.000Z', '2026-11-30T06:00:00.000Z'],
  ])('%s → %s … %s', (text, start, end) => {
    expect(parseTimeRange(text, NOW)).toMatchObject({ start, end });
  });

  it('is not fooled by numbers that are not times', () => {
    expect(parseTimeRange('scale checkout to 5 replicas', NOW)).toBeUndefined();
    expect(parseTimeRange('since version 2', NOW)).toBeUndefined();
    expect(parseTimeRange('the last time this happened', NOW)).toBeUndefined();
  });
});

describe('parseQuestion: one action per request', () => {
  it('asks back when a request names two actions instead of dropping one', () => {
    const r = parseQuestion('scale checkout to 3 replicas and restart payments', NOW);
    expect(r.intent).toBe('clarify');
    expect(r.clarification).toMatch(/scale and restart; I plan one action per request/);
  });

  it('reads "cordon and drain" as one drain', () => {
    expect(parseQuestion('cordon and drain node ip-10-0-1-23.ec2.internal', NOW)).toMatchObject({ intent: 'kubernetes_action', verb: 'drain' });
  });

  it('still refuses a refused verb hidden next to an allowed one', () => {
    expect(parseQuestion('restart checkout and delete namespace shop', NOW)).toMatchObject({ intent: 'kubernetes_action', verb: 'delete' });
  });
});

describe('namespaces named after an action target', () => {
  it('reads "in X" after the target of an action as its namespace', () => {
    const now = new Date('2026-11-30T10:00:00Z');
    expect(parseQuestion('restart deployment checkout in shop', now).entities).toMatchObject({ workload: { name: 'checkout' }, namespace: 'shop' });
    expect(parseQuestion('delete pod checkout-7d9f8b6c5-x2mqp in shop', now).entities).toMatchObject({ workload: { name: 'checkout-7d9f8b6c5-x2mqp' }, namespace: 'shop' });
    expect(parseQuestion('scale checkout to 3 replicas in payments', now).entities).toMatchObject({ namespace: 'payments', replicas: 3 });
  });
});

describe('time ranges and thresholds by family', () => {
  const now = new Date('2026-12-08T10:00:00Z');
  it.each([
    ['last {n} minutes', 60_000], ['past {n} mins', 60_000], ['in the last {n}h', 3_600_000], ['over the past {n} hours', 3_600_000],
    ['since {n} days', 86_400_000], ['{n} hours ago', 3_600_000], ['last {n} days', 86_400_000],
  ])('"%s" ends now and starts N units back', (form, unit) => {
    for (const n of [2, 5, 17]) {
      const r = extractEntities(`errors of cart ${form.replace('{n}', String(n))}`, now).timeRange;
      expect(r?.end, form).toBe(now.toISOString());
      expect(r?.start, form).toBe(new Date(now.getTime() - n * unit).toISOString());
    }
  });

  it('reads calendar days in every spelling: weekdays, ISO dates, month names, spans', () => {
    expect(extractEntities('errors since monday', now).timeRange?.start).toBe('2026-12-07T00:00:00.000Z');
    for (const q of ['since 2026-12-01', 'since dec 1', 'since 1st of december', 'since December 1st']) {
      expect(extractEntities(`errors of cart ${q}`, now).timeRange?.start, q).toBe('2026-12-01T00:00:00.000Z');
    }
    expect(extractEntities('errors on nov 27th', now).timeRange).toMatchObject({ start: '2026-11-27T00:00:00.000Z', end: '2026-11-28T00:00:00.000Z' });
    expect(extractEntities('errors between 2026-12-01 and 2026-12-03', now).timeRange).toMatchObject({ start: '2026-12-01T00:00:00.000Z', end: '2026-12-04T00:00:00.000Z' });
    expect(extractEntities('errors between 7am and 9am', now).timeRange).toMatchObject({ start: '2026-12-08T07:00:00.000Z', end: '2026-12-08T09:00:00.000Z' });
    // A month-day still ahead this year is last year's.
    expect(extractEntities('errors on dec 25', now).timeRange?.start).toBe('2025-12-25T00:00:00.000Z');
  });

  it('keeps counts counts and percentages percentages, in every spelling', () => {
    for (const [q, pct] of [['over 5%', 5], ['above 0.5 pct', 0.5], ['> 2 per cent', 2], ['exceeds 7 percent', 7]] as const) {
      const e = extractEntities(`alarm when errors of cart ${q}`, now);
      expect(e.thresholdPercent, q).toBe(pct);
      expect(e.thresholdCount, q).toBeUndefined();
    }
    for (const [q, count] of [['more than 50', 50], ['> 1k', 1000], ['at least 3', 3], ['>= 12', 12]] as const) {
      const e = extractEntities(`alarm when cart logs ${q} errors`, now);
      expect(e.thresholdCount, q).toBe(count);
      expect(e.thresholdPercent, q).toBeUndefined();
    }
  });
});
