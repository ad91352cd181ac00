/**
 * Alternatives: a lead resting on a signature is followed by the plausible other readings of its
 * evidence (a second signature on the same line, the classifier's ranking, known confusions, the
 * failure state's other causes), each below the lead and quoting the lead's lines. Healthy
 * evidence and state-derived leads get none. The classifier is an in-memory implementation of the
 * CategoryClassifier port reading a fixed table (the ONNX adapter is tested in test/models).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../functions/core/stages/analyze/index.js';
import { CONFUSIONS, infer, secondReadings } from '../../functions/core/stages/infer/index.js';
import { CATEGORIES, type Category } from '../../functions/core/model/categories.js';
import type { CollectedContext } from '../../functions/core/model/evidence.js';
import type { CategoryClassifier } from '../../functions/core/ports/model.port.js';
import { context, event, incident, logs } from '../analyze/kubernetes/fixtures/context.js';

async function run(ctx: CollectedContext, classifier?: CategoryClassifier) {
  const inc = incident();
  return infer({ incident: inc, context: ctx, analysis: analyze(inc, ctx), retrieval: { passages: [], similarIncidents: [] } }, classifier);
}

function tableClassifier(scores: Array<[Category, number]>): CategoryClassifier {
  return { id: 'table', sha256: '0'.repeat(64), async classify(texts) { return texts.map(() => scores.map(([category, score]) => ({ category, score }))); } };
}

describe('alternatives to a signature lead', () => {
  it('a Go resolver timeout is DNS first, an unreachable dependency second, both quoting the line', async () => {
    const line = 'dial tcp: lookup orders-db.shop.svc.cluster.local on 10.96.0.10:53: read udp 10.244.1.7:40112->10.96.0.10:53: i/o timeout';
    const { hypotheses } = await run(context({ logs: logs(line) }));
    expect(hypotheses[0]!.category).toBe('dns_resolution');
    const second = hypotheses[1]!;
    expect(second.category).toBe('dependency_unreachable');
    expect(second.confidence).toBeLessThan(hypotheses[0]!.confidence);
    expect(second.evidence[0]!.text).toBe(line);
    expect(second.summary).toMatch(/^Less likely than dns_resolution: .*the same line also names this cause\.$/);
  });

  it('reads the lead line without the lead category', () => {
    const readings = secondReadings('dns_resolution', [{ text: 'lookup api on 10.0.0.2:53: i/o timeout', source: 'x' }]);
    expect([...readings.keys()]).toContain('dependency_unreachable');
    expect(readings.has('dns_resolution')).toBe(false);
  });

  it('an ALB 502 access-log entry is followed by the other load-balancer readings (timeout, no endpoints)', async () => {
    const entry = 'http 2026-11-30T06:40:00.348504Z app/web/99c89968ec3fad28 10.0.0.1:59918 10.0.2.15:8080 0.001 0.042 0.000 502 - 3142 293 "GET http://web.example.com:80/api HTTP/1.1" "curl/8.0" - -';
    const { hypotheses } = await run(context({ logs: logs(entry) }));
    const top3 = hypotheses.slice(0, 3).map((h) => h.category);
    expect(top3[0]).toBe('lb_target_5xx');
    expect(top3).toEqual(expect.arrayContaining(['lb_target_timeout', 'service_no_endpoints']));
    for (const h of hypotheses.slice(1, 3)) expect(h.evidence.map((e) => e.text)).toContain(entry);
  });

  it("the classifier's ranking of the lead's lines proposes an alternative with its probability", async () => {
    const classifier = tableClassifier([['insufficient_memory', 0.55], ['pvc_pending', 0.4], ['unknown', 0.05]]);
    const ctx = context({ kubernetesEvents: [event('Warning', 'FailedScheduling', '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.')] });
    const { hypotheses } = await run(ctx, classifier);
    expect(hypotheses[0]!.category).toBe('insufficient_memory');
    const pvc = hypotheses.find((h) => h.category === 'pvc_pending');
    expect(pvc).toBeDefined();
    expect(pvc!.summary).toMatch(/the classifier reads the same lines this way \(p = 0\.40\)/);
    expect(hypotheses.indexOf(pvc!)).toBeLessThan(3);
  });

  it('confidences never rise down the list, and the order is the same on every run', async () => {
    const ctx = context({ logs: logs('Error: getaddrinfo ENOTFOUND redis-master\nERROR upstream prematurely closed connection while reading response header from upstream') });
    const a = await run(ctx);
    const b = await run(ctx);
    expect(a.hypotheses.map((h) => h.category)).toEqual(b.hypotheses.map((h) => h.category));
    const confidences = a.hypotheses.map((h) => h.confidence);
    expect([...confidences].sort((x, y) => y - x)).toEqual(confidences);
  });

  it('healthy evidence gets no alternatives: unknown alone', async () => {
    const { hypotheses } = await run(context({ logs: logs('INFO GET /orders 200 12ms\nINFO GET /orders/42 200 9ms') }));
    expect(hypotheses.map((h) => h.category)).toEqual(['unknown']);
  });

  it("a state-derived lead is followed by its state's causes first, its confusions only after them", async () => {
    const { hypotheses } = await run(context({ kubernetesEvents: [event('Warning', 'BackOff', 'Back-off restarting failed container api in pod api-1_shop(1)')] }));
    expect(hypotheses.slice(0, 3).every((h) => !h.summary.startsWith('Less likely than'))).toBe(true);
    const firstAlternative = hypotheses.findIndex((h) => h.summary.startsWith('Less likely than'));
    const lastState = hypotheses.map((h) => /no line names its cause/.test(h.summary)).lastIndexOf(true);
    if (firstAlternative >= 0) expect(firstAlternative).toBeGreaterThan(lastState);
  });

  it('a NotReady node is followed by the other causes that read alike (the taint the scheduler names, a CNI out of addresses)', async () => {
    const row = 'ip-10-0-3-17.ec2.internal   NotReady   <none>   12d   v1.28.3-eks-e71965b';
    const { hypotheses } = await run(context({ logs: logs(row) }));
    expect(hypotheses[0]!.category).toBe('node_not_ready');
    expect(hypotheses.slice(1, 3).map((h) => h.category)).toEqual(CONFUSIONS.node_not_ready.slice(0, 2));
    expect(CONFUSIONS.node_not_ready).toContain('ip_exhaustion');
    for (const h of hypotheses.slice(1, 3)) expect(h.evidence.map((e) => e.text)).toContain(row);
  });

  it('the confusion table has an entry for every category and never lists a category as its own confusion', () => {
    for (const c of CATEGORIES) {
      expect(CONFUSIONS[c]).toBeDefined();
      expect(CONFUSIONS[c]).not.toContain(c);
      expect(CONFUSIONS[c]).not.toContain('unknown');
    }
  });
});
