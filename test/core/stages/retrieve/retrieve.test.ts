import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../../../functions/core/model/analysis.js';
import type { CollectedContext, PriorDiagnosis } from '../../../../functions/core/model/evidence.js';
import { RunbookIndex, buildRetrievalQuery, buildWeightedQuery, queryTerms, retrieve } from '../../../../functions/core/stages/retrieve/index.js';
import { runbookFolderSource } from '../../../../functions/adapters/local/runbook-folder.source.js';
import { makeIncident } from '../../../compose/fixtures/diagnosis.js';

const index = await RunbookIndex.build(await runbookFolderSource(new URL('../../../../knowledge-base/', import.meta.url).pathname, 'bundled').load());

const EMPTY: CollectedContext = {
  logs: [], baselineLogs: [], kubernetesObjects: [], kubernetesEvents: [], describes: [], metrics: [], priorDiagnoses: [], degraded: [],
};

const pvcAnalysis: Analysis = {
  patterns: [],
  findings: [
    {
      analyzer: 'PersistentVolumeClaimAnalyzer',
      kind: 'PersistentVolumeClaim',
      name: 'data-postgres-0',
      namespace: 'db',
      severity: 'critical',
      message: 'PersistentVolumeClaim data-postgres-0 is Pending: storageclass.storage.k8s.io "fast-ssd" not found',
      category: 'pvc_pending',
      evidence: [{ text: '  Warning  ProvisioningFailed  persistentvolume-controller  storageclass.storage.k8s.io "fast-ssd" not found', source: 'pvc.txt', line: 12 }],
    },
  ],
  signatureMatches: [],
};

const oomAnalysis: Analysis = {
  patterns: [
    { templateId: 'x', template: 'GET /health 200 <*>ms', count: 900, baselineCount: 880, samples: [], isNew: false, isSpiking: false },
  ],
  findings: [],
  signatureMatches: [
    { signatureId: 'k8s.oomkilled', category: 'oom_killed', weight: 0.95, evidence: { text: '      Reason:       OOMKilled', source: 'pod.txt', line: 20 } },
  ],
};

describe('retrieve', () => {
  it('finds the pending-PVC section from a PVC finding', async () => {
    const incident = makeIncident({ title: 'Manual diagnosis', reason: undefined, alarm: undefined, resources: [] });
    const r = await retrieve(incident, EMPTY, pvcAnalysis, index, { k: 3 });
    expect(r.passages).toHaveLength(3);
    expect(r.passages[0]).toMatchObject({ path: 'bundled/storage.md', categories: ['pvc_pending'] });
    expect(r.passages[0]!.id).toBe('bundled/storage.md#persistentvolumeclaim-stays-pending-pvc_pending');
  });

  it('finds the OOMKilled section from a signature match and its evidence line', async () => {
    const incident = makeIncident({ title: 'Manual diagnosis', reason: undefined, alarm: undefined, resources: [] });
    const r = await retrieve(incident, EMPTY, oomAnalysis, index);
    expect(r.passages[0]).toMatchObject({ path: 'bundled/oom-and-memory.md', categories: ['oom_killed'] });
    expect(r.passages.length).toBe(5);
  });

  it('builds the query from the incident, signature categories, findings and patterns', () => {
    const q = buildRetrievalQuery(makeIncident({ hintedCategory: 'image_not_found', question: 'why?' }), { ...oomAnalysis, findings: pvcAnalysis.findings });
    expect(q).toContain('CloudWatch Alarm State Change');
    expect(q).toContain('Threshold Crossed');
    expect(q).toContain('image_not_found');
    expect(q).toContain('why?');
    expect(q).toContain('oom_killed');
    expect(q).toContain('Reason:       OOMKilled');
    expect(q).toContain('fast-ssd');
    expect(q).toContain('GET /health 200');
    expect(q).not.toContain('<*>');
  });

  it('finds similar earlier incidents, excluding this incident itself', async () => {
    const prior = (id: string, title: string, category: string, summary: string, resources: string[]): PriorDiagnosis => ({
      id, createdAt: '2026-11-20T10:00:00.000Z', title, category, confidence: 0.8, summary, resources, key: `diagnoses/2026/11/20/${id}.json`,
    });
    const incident = makeIncident();
    const priors = [
      prior(incident.id, 'same incident replayed', 'oom_killed', 'OOMKilled checkout', ['checkout-5xx']),
      prior('inc-old-oom', 'checkout pods OOMKilled', 'oom_killed', 'Container app was OOMKilled with exit code 137', ['checkout-5xx', 'prod/checkout']),
      prior('inc-old-dns', 'DNS failures in search', 'dns_resolution', 'getaddrinfo ENOTFOUND search.internal from checkout', ['search-api']),
    ];
    const r = await retrieve(incident, { ...EMPTY, priorDiagnoses: priors }, oomAnalysis, index);
    expect(r.similarIncidents.map((s) => s.id)).not.toContain(incident.id);
    expect(r.similarIncidents[0]).toMatchObject({ id: 'inc-old-oom', category: 'oom_killed', key: 'diagnoses/2026/11/20/inc-old-oom.json' });
    expect(r.similarIncidents.map((s) => s.id)).not.toContain('inc-old-dns');
    // options.priorDiagnoses takes precedence over the context's.
    const none = await retrieve(incident, { ...EMPTY, priorDiagnoses: priors }, oomAnalysis, index, { priorDiagnoses: [] });
    expect(none.similarIncidents).toEqual([]);
  });
});

describe('weighted queries and category coverage', () => {
  it('counts each query term once', () => {
    expect(queryTerms('Back-off back-off BackOff restarting the CrashLoopBackOff')).toEqual(['back', 'off', 'backoff', 'restarting', 'crashloopbackoff', 'crash', 'loop']);
  });

  it('weighs the terms of categories the analysis points to by their strength', () => {
    const q = buildWeightedQuery(makeIncident({ hintedCategory: 'image_not_found' }), { ...oomAnalysis, findings: pvcAnalysis.findings });
    expect(q.termBoosts.get('oom')).toBeCloseTo(2.9);
    expect(q.termBoosts.get('pvc')).toBeCloseTo(2.6);
    expect(q.termBoosts.get('image')).toBeCloseTo(2.6);
    expect(q.categories.map((c) => c.category)).toEqual(['oom_killed', 'image_not_found', 'pvc_pending']);
  });

  it('term boosts and filters change the BM25 ranking', async () => {
    const small = await RunbookIndex.build([
      { path: 't/a.md', markdown: '# A\n## Alpha\nalpha beta words' },
      { path: 't/b.md', markdown: '# B\n## Gamma\nbeta gamma words' },
    ]);
    expect(small.search('alpha gamma', 1, { termBoosts: new Map([['gamma', 3]]) })[0]?.path).toBe('t/b.md');
    expect(small.search('alpha gamma', 1, { termBoosts: new Map([['alpha', 3]]) })[0]?.path).toBe('t/a.md');
    expect(small.search('alpha gamma', 2, { filter: (p) => p.id.startsWith('t/b.md') }).map((p) => p.path)).toEqual(['t/b.md']);
  });

  it('appends the best passage of a category the analysis points to when the top k miss it', async () => {
    const analysis: Analysis = {
      ...oomAnalysis,
      signatureMatches: [
        ...oomAnalysis.signatureMatches,
        { signatureId: 'dns.nxdomain', category: 'dns_resolution', weight: 0.3, evidence: { text: 'lookup db on 10.0.0.10:53: no such host', source: 'app.log', line: 3 } },
      ],
    };
    const incident = makeIncident({ title: 'Manual diagnosis', reason: undefined, alarm: undefined, resources: [] });
    const r = await retrieve(incident, EMPTY, analysis, index, { k: 1 });
    expect(r.passages).toHaveLength(2);
    expect(r.passages.flatMap((p) => p.categories).sort()).toEqual(['dns_resolution', 'oom_killed']);
    const none = await retrieve(incident, EMPTY, analysis, index, { k: 1, coverCategories: 0 });
    expect(none.passages).toHaveLength(1);
  });

  it('offers the triage runbook when the analysis points nowhere, and only then', async () => {
    const incident = makeIncident({ title: 'Manual diagnosis', reason: 'kubectl describe pod shows nothing', alarm: undefined, resources: [] });
    const nothing = await retrieve(incident, EMPTY, { patterns: [], findings: [], signatureMatches: [] }, index, { k: 3 });
    expect(nothing.passages.filter((p) => p.categories.includes('unknown'))).toHaveLength(1);
    expect(nothing.passages.at(-1)?.path).toBe('bundled/triage.md');
    const oom = await retrieve(incident, EMPTY, oomAnalysis, index, { k: 10 });
    expect(oom.passages.some((p) => p.categories.includes('unknown'))).toBe(false);
  });
});
