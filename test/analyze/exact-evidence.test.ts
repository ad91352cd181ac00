/**
 * Evidence quotes the exact input line: events parsed from `kubectl get events` tables and from
 * describe `Events:` tables carry their row, and findings, signature matches and hypotheses quote
 * it at its line (collect → analyze → infer).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe as suite, expect, it } from 'vitest';
import { collect } from '../../functions/core/stages/collect/index.js';
import { parseEvidenceText } from '../../functions/core/stages/collect/formats/index.js';
import { analyze } from '../../functions/core/stages/analyze/index.js';
import { infer } from '../../functions/core/stages/infer/index.js';
import type { EvidenceRef } from '../../functions/core/model/evidence.js';
import type { Incident } from '../../functions/core/model/incident.js';
import { incident as makeIncident } from './kubernetes/fixtures/context.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

async function run(inc: Incident, files: Record<string, string>) {
  const collectors = Object.entries(files).map(([source, text]) => ({
    name: `file:${source}`,
    collect: async () => parseEvidenceText(text, source),
  }));
  const context = await collect(inc, collectors, { budgetMs: 5_000 });
  const analysis = analyze(inc, context);
  const { hypotheses } = await infer({ incident: inc, context, analysis, retrieval: { passages: [], similarIncidents: [] } });
  const refs: EvidenceRef[] = [
    ...analysis.findings.flatMap((f) => f.evidence),
    ...analysis.signatureMatches.map((m) => m.evidence),
    ...hypotheses.flatMap((h) => h.evidence),
  ];
  return { context, analysis, hypotheses, refs };
}

/** Every reference into `source` that has a line quotes that line exactly; returns how many there were. */
function expectExact(refs: readonly EvidenceRef[], source: string, text: string): number {
  const lines = text.split('\n');
  const into = refs.filter((r) => r.source === source && r.line !== undefined);
  for (const ref of into) expect({ line: ref.line, text: ref.text }).toEqual({ line: ref.line, text: lines[ref.line! - 1] });
  return into.length;
}

suite('exact evidence lines', () => {
  it('a `kubectl get events` table: each event carries its row, and every quote is that row', async () => {
    const text = fixture('get-events-oom.txt');
    const lines = text.split('\n');
    const { context, analysis, hypotheses, refs } = await run(makeIncident({ namespace: 'shop' }), { 'events.txt': text });
    expect(context.kubernetesEvents).toHaveLength(4);
    for (const e of context.kubernetesEvents) expect(e.text).toBe(lines[e.line! - 1]);
    expect(expectExact(refs, 'events.txt', text)).toBeGreaterThan(0);
    // the OOMKilling row is quoted as printed (age and column padding included), not re-rendered
    const oom = analysis.findings.flatMap((f) => f.evidence).find((r) => r.text.includes('OOMKilling'));
    expect(oom).toEqual({ text: lines[2], source: 'events.txt', line: 3 });
    expect(oom!.text.startsWith('2m1s        Warning   OOMKilling')).toBe(true);
    const quoted = hypotheses.flatMap((h) => h.evidence).filter((r) => r.source === 'events.txt');
    expect(quoted.length).toBeGreaterThan(0);
  });

  it('a describe `Events:` table: each event carries its row, and every quote is that row', async () => {
    const text = fixture('describe-image-pull.txt');
    const lines = text.split('\n');
    const { context, hypotheses, refs } = await run(makeIncident({ namespace: 'shop' }), { 'pod.txt': text });
    expect(context.kubernetesEvents.length).toBeGreaterThanOrEqual(4);
    for (const e of context.kubernetesEvents) expect(e.text).toBe(lines[e.line! - 1]);
    expect(expectExact(refs, 'pod.txt', text)).toBeGreaterThan(0);
    expect(hypotheses[0]!.category).toBe('image_not_found');
    const line = hypotheses[0]!.evidence.find((r) => r.text.includes('not found'));
    expect(line).toBeDefined();
    expect(line!.text).toBe(lines[line!.line! - 1]);
  });

  it('several inline evidence strings are each a source of their own, lines counted within each', async () => {
    const second = 'INFO starting\nException in thread "main" java.lang.OutOfMemoryError: Java heap space';
    const inc = makeIncident({ inlineEvidence: ['checkout is slow', second] });
    const { context, hypotheses } = await run(inc, {});
    expect(context.logs.map((l) => [l.source, l.line, l.message])).toEqual([
      ['event:evidence[0]', 1, 'checkout is slow'],
      ['event:evidence[1]', 1, 'INFO starting'],
      ['event:evidence[1]', 2, 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space'],
    ]);
    const quote = hypotheses.flatMap((h) => h.evidence).find((r) => r.text.includes('OutOfMemoryError'));
    expect(quote).toEqual({ text: 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', source: 'event:evidence[1]', line: 2 });
  });
});
