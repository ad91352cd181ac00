import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../functions/core/model/analysis.js';
import type { CollectedContext, PriorDiagnosis } from '../../functions/core/model/evidence.js';
import { RunbookIndex, buildRetrievalQuery, retrieve } from '../../functions/core/stages/retrieve/index.js';
import { runbookFolderSource } from '../../functions/adapters/local/runbook-folder.source.js';
import { makeIncident } from '../compose/fixtures/diagnosis.js';

const index = await RunbookIndex.build(await runbookFolderSource(new URL('../../knowledge-base/', import.meta.url).pathname, 'bundled').load());

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
      prior('inc-old-dns', 'DNS failures in search', 'dns_resolution', 'getaddrinfo ENOTFOUND search.internal', ['search-api']),
    ];
    const r = await retrieve(incident, { ...EMPTY, priorDiagnoses: priors }, oomAnalysis, index);
    expect(r.similarIncidents.map((s) => s.id)).not.toContain(incident.id);
    expect(r.similarIncidents[0]).toMatchObject({ id: 'inc-old-oom', category: 'oom_killed', key: 'diagnoses/2026/11/20/inc-old-oom.json' });
    // options.priorDiagnoses takes precedence over the context's.
    const none = await retrieve(incident, { ...EMPTY, priorDiagnoses: priors }, oomAnalysis, index, { priorDiagnoses: [] });
    expect(none.similarIncidents).toEqual([]);
  });
});
