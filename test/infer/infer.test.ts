import { describe as suite, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze } from '../../functions/core/stages/analyze/index.js';
import { parseEvidenceText } from '../../functions/core/stages/collect/formats/index.js';
import {
  ACTION_CATALOGUE, MAX_CONFIDENCE, MAX_HYPOTHESES, UNKNOWN_THRESHOLD, STATE_MAX_SCORE, actionNames, actionsFor, infer, ownerOf, rankCategories,
} from '../../functions/core/stages/infer/index.js';
import { CATEGORIES, type Category } from '../../functions/core/model/categories.js';
import type { CollectedContext } from '../../functions/core/model/evidence.js';
import type { Incident } from '../../functions/core/model/incident.js';
import type { Retrieval } from '../../functions/core/model/analysis.js';
import type { CategoryClassifier } from '../../functions/core/ports/model.port.js';
import { context, describe, event, incident, logs, obj } from '../analyze/kubernetes/fixtures/context.js';

const NO_RETRIEVAL: Retrieval = { passages: [], similarIncidents: [] };
const oomDescribe = readFileSync(new URL('../analyze/kubernetes/fixtures/pod-oomkilled.describe.txt', import.meta.url), 'utf8');

async function run(ctx: CollectedContext, inc: Incident = incident(), retrieval = NO_RETRIEVAL, classifier?: CategoryClassifier) {
  return infer({ incident: inc, context: ctx, analysis: analyze(inc, ctx), retrieval }, classifier);
}

suite('ranking and precedence', () => {
  it('OOMKilled beats the CrashLoopBackOff it causes', async () => {
    const { hypotheses } = await run(context({ describes: [describe(oomDescribe, 'pod.txt', 1)] }));
    expect(hypotheses[0]!.category).toBe('oom_killed');
    expect(hypotheses[0]!.evidence[0]).toEqual({ text: '      Reason:       OOMKilled', source: 'pod.txt', line: 12 });
    const crash = hypotheses.find((h) => h.category === 'app_crash');
    if (crash) expect(crash.confidence).toBeLessThan(hypotheses[0]!.confidence);
  });

  it('a specific cause in the logs outranks a failed job; without one the job failure leads', async () => {
    const jobEvent = event('Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', { object: 'job/nightly' });
    const withCause = await run(context({ kubernetesEvents: [jobEvent], logs: logs('curl: (6) Could not resolve host: api.internal') }));
    expect(withCause.hypotheses.map((h) => h.category).slice(0, 2)).toEqual(['dns_resolution', 'job_failed']);
    const alone = await run(context({ kubernetesEvents: [jobEvent], logs: logs('/bin/sh: syntax error: unexpected "fi"') }));
    expect(alone.hypotheses[0]!.category).toBe('job_failed');
  });

  it('a NetworkPolicy that blocks DNS ranks above the DNS failures it explains, quoting both', async () => {
    const ctx = context({
      kubernetesObjects: [
        obj('NetworkPolicy', 'deny-egress', { namespace: 'shop', spec: { podSelector: {}, policyTypes: ['Egress'], egress: [] } }),
        obj('Pod', 'client', { namespace: 'shop', spec: { containers: [{ name: 'c' }] } }),
      ],
      logs: logs('Connection error: (Caused by NameResolutionError("Failed to resolve \'api.shop\'"))'),
    });
    const { hypotheses } = await run(ctx, incident({ namespace: 'shop', resources: [{ type: 'Pod', name: 'client', namespace: 'shop' }] }));
    expect(hypotheses.map((h) => h.category).slice(0, 2)).toEqual(['network_policy_blocked', 'dns_resolution']);
    expect(hypotheses[0]!.evidence.some((e) => e.text.includes('NameResolutionError'))).toBe(true);
  });

  it('findings about other workloads than the incident names count less and do not add up', async () => {
    const crashing = (name: string) => obj('Pod', name, { namespace: 'shop', status: { containerStatuses: [{ name: 'c', restartCount: 9, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] } });
    const ctx = context({ kubernetesObjects: [crashing('other-a-1'), crashing('other-b-1'), crashing('other-c-1')] });
    const about = await run(ctx, incident({ resources: [{ type: 'Deployment', name: 'other-a', namespace: 'shop' }] }));
    const elsewhere = await run(ctx, incident({ resources: [{ type: 'Deployment', name: 'checkout', namespace: 'shop' }] }));
    expect(about.hypotheses[0]!.category).toBe('app_crash');
    expect(elsewhere.hypotheses[0]!.category).toBe('unknown');
  });
});

suite('owners', () => {
  it('collapses pods to their workload so replicas count once', async () => {
    expect(ownerOf({ kind: 'Pod', name: 'web-7c9d8f6b5-x2k4q', namespace: 'a' })).toBe('a/web');
    expect(ownerOf({ kind: 'Pod', name: 'scraper-2s4j2' })).toBe('/scraper');
    expect(ownerOf({ kind: 'Pod', name: 'db-0' })).toBe('/db');
    expect(ownerOf({ kind: 'Node', name: 'n1' })).toBe('/Node/n1');
    const failed = (name: string) => obj('Pod', name, { status: { phase: 'Failed', containerStatuses: [{ name: 'c', restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error' } } }] } });
    const one = await run(context({ kubernetesObjects: [failed('scraper-aaaaa')] }));
    const five = await run(context({ kubernetesObjects: ['aaaaa', 'bbbbb', 'ccccc', 'ddddd', 'eeeee'].map((x) => failed(`scraper-${x}`)) }));
    expect(five.hypotheses[0]!.confidence).toBe(one.hypotheses[0]!.confidence);
  });
});

suite('calibration and the unknown fallback', () => {
  it('confidences stay in [0, 1], at most 5 hypotheses, sorted', async () => {
    const ctx = context({
      describes: [describe(oomDescribe)],
      logs: logs('java.lang.OutOfMemoryError: Java heap space\nno space left on device\ntoo many open files\nERROR: deadlock detected\nx509: certificate has expired\nconnect ECONNREFUSED 10.0.0.1:80'),
      kubernetesEvents: [event('Warning', 'FailedScheduling', '0/3 nodes are available: 3 Insufficient cpu.')],
    });
    const { hypotheses } = await run(ctx);
    expect(hypotheses.length).toBe(MAX_HYPOTHESES);
    for (const h of hypotheses) {
      expect(h.confidence).toBeGreaterThanOrEqual(0);
      expect(h.confidence).toBeLessThanOrEqual(1);
      expect(h.evidence.length).toBeGreaterThan(0);
    }
    const confidences = hypotheses.map((h) => h.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
  });

  it('no evidence → unknown alone, with a low confidence', async () => {
    const { hypotheses, degraded } = await run(context());
    expect(hypotheses).toHaveLength(1);
    expect(hypotheses[0]!.category).toBe('unknown');
    expect(hypotheses[0]!.confidence).toBe(0.1);
    expect(degraded).toEqual([]);
  });

  it('thin evidence (a lone restart loop) → its plausible causes with modest confidence, quoting the state line, not a bare unknown', async () => {
    const { hypotheses } = await run(context({ kubernetesEvents: [event('Warning', 'BackOff', 'Back-off restarting failed container api in pod api-1_shop(1)')] }));
    expect(hypotheses.map((h) => h.category).slice(0, 3)).toEqual(['app_crash', 'app_config_error', 'oom_killed']);
    expect(hypotheses[0]!.confidence).toBeGreaterThanOrEqual(UNKNOWN_THRESHOLD);
    expect(hypotheses[0]!.confidence).toBeLessThanOrEqual(STATE_MAX_SCORE);
    for (const h of hypotheses.slice(0, 3)) expect(h.evidence.map((e) => e.text).join('\n')).toContain('Back-off restarting failed container');
    expect(hypotheses[0]!.summary).toMatch(/no line names its cause/);
    expect(hypotheses[0]!.summary).toMatch(/a container restarting in a loop/);
    const confidences = hypotheses.map((h) => h.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
  });

  it('a restart loop read from a kubectl get pods row (a finding, no evidence line) is ranked as a failure state too', async () => {
    const parts = parseEvidenceText('NAME                        READY   STATUS             RESTARTS       AGE\napi-7b9c6d5f4-k2l3m         0/1     CrashLoopBackOff   12 (45s ago)   38m', 'pods.txt');
    const { hypotheses } = await run(context({ kubernetesObjects: [...(parts.kubernetesObjects ?? [])], logs: [...(parts.logs ?? [])] }));
    expect(hypotheses[0]!.category).toBe('app_crash');
    expect(hypotheses[0]!.confidence).toBeLessThanOrEqual(STATE_MAX_SCORE);
    expect(hypotheses[0]!.summary).toMatch(/no line names its cause/);
    expect(hypotheses.map((h) => h.category)).toContain('app_config_error');
  });

  it('no failure state and nothing else → unknown, and the summary says healthy with what was checked', async () => {
    const { hypotheses } = await run(context({ logs: logs('INFO GET /orders 200 12ms\nINFO GET /orders/42 200 9ms') }));
    expect(hypotheses[0]!.category).toBe('unknown');
    expect(hypotheses[0]!.summary).toMatch(/healthy as far as this evidence shows: no error patterns, 2 log lines read; no failure state was seen/);
  });

  it('a CrashLoopBackOff with many restarts and no line naming a cause leads with app_crash in the failure-state range (modest, saying so); a non-zero exit weighs more than exit 0', async () => {
    const pod = (exit: number, restarts: number, reason: string): string => [
      'Name:             worker-747ccfb9db-pd6wz', 'Namespace:        default', 'Status:           Running', 'Containers:', '  worker:',
      '    Image:          bash', '    State:          Waiting', '      Reason:       CrashLoopBackOff', '    Last State:     Terminated',
      `      Reason:       ${reason}`, `      Exit Code:    ${exit}`, '    Ready:          False', `    Restart Count:  ${restarts}`,
    ].join('\n');
    const lead = async (text: string) => (await run(context({ describes: [describe(text, 'pod.txt', 1, 'Pod')] }))).hypotheses[0]!;
    const failing = await lead(pod(1, 14, 'Error'));
    const clean = await lead(pod(0, 14, 'Completed'));
    for (const h of [failing, clean]) {
      expect(h.category).toBe('app_crash');
      expect(h.confidence).toBeGreaterThan(UNKNOWN_THRESHOLD);
      expect(h.evidence[0]!.text).toBe('      Reason:       CrashLoopBackOff');
      expect(h.confidence).toBeLessThanOrEqual(STATE_MAX_SCORE);
      expect(h.summary).toMatch(/no line names its cause/);
    }
    expect(failing.confidence).toBeGreaterThan(clean.confidence);
    // a first restart with a clean exit: the state is visible, its causes rank modestly, below the loop
    const first = await lead(pod(0, 1, 'Completed'));
    expect(first.category).toBe('app_crash');
    expect(first.confidence).toBeLessThanOrEqual(STATE_MAX_SCORE);
    expect(first.confidence).toBeLessThan(clean.confidence);
  });

  it('the incident hint counts, quoting the incident reason', async () => {
    const { hypotheses } = await run(context({ logs: logs('connect ECONNREFUSED 10.0.0.1:443') }), incident({ hintedCategory: 'image_pull_auth', reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' }));
    const hinted = hypotheses.find((h) => h.category === 'image_pull_auth')!;
    expect(hinted.evidence[0]!.source).toBe('event');
    expect(rankCategories({ incident: incident({ hintedCategory: 'image_pull_auth' }), context: context(), analysis: { patterns: [], findings: [], signatureMatches: [] }, retrieval: NO_RETRIEVAL })[0]).toMatchObject({ category: 'image_pull_auth', confidence: 0.35 });
  });
});

suite('actions, summary and runbooks', () => {
  it('fills kubectl commands with the incident names', async () => {
    const inc = incident({ namespace: 'shop', resources: [{ type: 'Pod', name: 'checkout-7c9d8f6b5-x2k4q', namespace: 'shop' }], labels: { container: 'api' } });
    const { hypotheses } = await run(context({ describes: [describe(oomDescribe)] }), inc);
    const top = hypotheses[0]!;
    expect(top.summary).toContain('checkout-7c9d8f6b5-x2k4q');
    expect(top.summary).toContain('OOMKilled');
    const commands = top.actions.map((a) => a.command ?? '');
    expect(commands).toContain('kubectl describe pod checkout-7c9d8f6b5-x2k4q -n shop');
    expect(commands.some((c) => c.includes('kubectl set resources deployment/checkout -n shop -c api'))).toBe(true);
  });

  it('fills aws commands with the function and region; unknown names stay visible', () => {
    const names = actionNames(incident({ functionName: 'payments', region: 'eu-west-1' }));
    expect(actionsFor('lambda_timeout', names)[0]!.command).toBe('aws lambda get-function-configuration --function-name payments --query "[Timeout,MemorySize]" --region eu-west-1');
    expect(actionsFor('oom_killed', {})[0]!.command).toBe('kubectl describe pod <pod> -n <namespace>');
  });

  it('has steps for every category', () => {
    for (const category of CATEGORIES) expect(ACTION_CATALOGUE[category as Category].length).toBeGreaterThan(0);
  });

  it('references runbook passages whose declared categories match, and retrieval never decides alone', async () => {
    const retrieval: Retrieval = {
      similarIncidents: [],
      passages: [
        { id: 'k/oom.md#fix', title: 'Memory', heading: 'OOMKilled', path: 'bundled/oom.md', text: '', score: 3, categories: ['oom_killed'] },
        { id: 'k/dns.md#x', title: 'DNS', heading: 'Resolution', path: 'bundled/dns.md', text: '', score: 9, categories: ['dns_resolution'] },
      ],
    };
    const { hypotheses } = await run(context({ describes: [describe(oomDescribe)] }), incident(), retrieval);
    expect(hypotheses[0]!.runbooks).toEqual([{ title: 'Memory', heading: 'OOMKilled', path: 'bundled/oom.md' }]);
    expect(hypotheses.some((h) => h.category === 'dns_resolution')).toBe(false);
  });
});

suite('classifier', () => {
  const classifier = (scores: Array<{ category: Category; score: number }>): CategoryClassifier => ({
    id: 'test-model', sha256: 'ab'.repeat(32),
    classify: async (texts) => texts.map(() => scores),
  });

  it('blends the model scores and reports the model', async () => {
    const ctx = context({ logs: logs('connect ECONNREFUSED 10.0.0.1:5432\nFATAL: sorry, too many clients already') });
    const base = await run(ctx);
    const withModel = await run(ctx, incident(), NO_RETRIEVAL, classifier([{ category: 'db_connection_exhaustion', score: 0.9 }, { category: 'dependency_unreachable', score: 0.1 }]));
    expect(withModel.model).toEqual({ id: 'test-model', sha256: 'ab'.repeat(32) });
    const before = base.hypotheses.find((h) => h.category === 'dependency_unreachable')!.confidence;
    const after = withModel.hypotheses.find((h) => h.category === 'dependency_unreachable')!.confidence;
    expect(after).toBeLessThan(before);
    expect(withModel.hypotheses[0]!.scores!.model).toBeGreaterThan(0);
  });

  it('records a classifier error in degraded and falls back to rules', async () => {
    const failing: CategoryClassifier = { id: 'broken', sha256: '00', classify: async () => { throw new Error('session closed'); } };
    const ctx = context({ describes: [describe(oomDescribe)] });
    const result = await run(ctx, incident(), NO_RETRIEVAL, failing);
    expect(result.degraded).toEqual([{ component: 'infer:model', kind: 'error', reason: 'classifier broken failed: session closed' }]);
    expect(result.model).toBeUndefined();
    expect(result.hypotheses[0]!.category).toBe('oom_killed');
  });
});

suite('deploy regression', () => {
  it('a rollout followed by error patterns new against the baseline → deploy_regression', async () => {
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const inc = incident({ baseline: { start: '2025-12-31T23:00:00.000Z', end: '2026-01-01T00:00:00.000Z' } });
    const ctx = context({
      kubernetesEvents: [event('Normal', 'ScalingReplicaSet', 'Scaled up replica set checkout-5d9f7 to 3', { object: 'deployment/checkout' })],
      logs: Array.from({ length: 5 }, (_, i) => ({ message: `ERROR TypeError: cannot read properties of undefined (reading 'price') at line ${i}`, timestamp: t0 + 60_000 + i, source: 'app.log', line: i + 1 })),
      baselineLogs: [{ message: 'INFO order 1 placed', timestamp: t0 - 60_000, source: 'app.log', line: 1 }],
    });
    const { hypotheses } = await infer({ incident: inc, context: ctx, analysis: analyze(inc, ctx), retrieval: NO_RETRIEVAL });
    expect(hypotheses[0]!.category).toBe('deploy_regression');
    expect(hypotheses[0]!.evidence.map((e) => e.text)).toContain("ERROR TypeError: cannot read properties of undefined (reading 'price') at line 0");
    // Without a baseline nothing is "new": the change is not blamed; the visible errors' causes rank modestly.
    const noBaseline = await infer({ incident: incident(), context: { ...ctx, baselineLogs: [] }, analysis: analyze(incident(), { ...ctx, baselineLogs: [] }), retrieval: NO_RETRIEVAL });
    expect(noBaseline.hypotheses[0]!.category).not.toBe('deploy_regression');
    expect(noBaseline.hypotheses[0]!.confidence).toBeLessThanOrEqual(STATE_MAX_SCORE);
  });
});

suite('action names', () => {
  it('prefers the full pod name of a finding when the incident names the pod by its prefix', () => {
    const names = actionNames(incident({ namespace: 'shop', resources: [{ type: 'Pod', name: 'checkout', namespace: 'shop' }] }), [
      { analyzer: 'PodAnalyzer', kind: 'Pod', name: 'checkout-7d9f8b6c5-x2mqp', namespace: 'shop', severity: 'critical', message: 'm', evidence: [] },
    ]);
    expect(names).toMatchObject({ pod: 'checkout-7d9f8b6c5-x2mqp', deployment: 'checkout', workload: 'deployment/checkout', namespace: 'shop' });
  });
});

suite('classifier and thin evidence', () => {
  it('the model never lifts a category above the unknown threshold on its own', async () => {
    const sure: CategoryClassifier = { id: 'm', sha256: '00', classify: async (texts) => texts.map(() => [{ category: 'app_crash' as Category, score: 0.99 }]) };
    const ctx = context({ kubernetesEvents: [event('Normal', 'ScalingReplicaSet', 'Scaled up replica set checkout-5d9f7 to 3', { object: 'deployment/checkout' })] });
    const { hypotheses } = await run(ctx, incident(), NO_RETRIEVAL, sure);
    expect(hypotheses[0]!.category).toBe('unknown');
    expect(hypotheses.slice(1).every((h) => h.confidence < 0.3)).toBe(true);
    // with a visible failure state, the model's certainty does not lift its causes past the state ceiling
    const loop = await run(context({ kubernetesEvents: [event('Warning', 'BackOff', 'Back-off restarting failed container api in pod api-1_shop(1)')] }), incident(), NO_RETRIEVAL, sure);
    expect(loop.hypotheses[0]!.confidence).toBeLessThanOrEqual(STATE_MAX_SCORE);
  });
});

suite('summary', () => {
  it('reads naturally when the subject is the object the category is about', async () => {
    const pvc = obj('PersistentVolumeClaim', 'data', { namespace: 'shop', spec: { storageClassName: 'gp9' }, status: { phase: 'Pending' } });
    const { hypotheses } = await run(context({ kubernetesObjects: [pvc] }));
    expect(hypotheses[0]!.summary).toMatch(/^PersistentVolumeClaim shop\/data cannot be bound \(evidence: "PersistentVolumeClaim\/data status\.phase: Pending"\)\.$/);
  });
});
