/**
 * Whole quotes: a JSON log record is quoted as its line (its error code stays visible), a YAML
 * value that kubectl folded over two lines is quoted whole, and nothing else is joined (stack
 * frames, single-line values).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../functions/core/stages/analyze/index.js';
import { parseEvidenceText } from '../../functions/core/stages/collect/formats/index.js';
import { infer } from '../../functions/core/stages/infer/index.js';
import { yamlValueSpan } from '../../functions/core/stages/infer/quotes.js';
import { context, incident } from '../analyze/kubernetes/fixtures/context.js';

async function diagnose(text: string) {
  const parts = parseEvidenceText(text, 'input.txt');
  const ctx = context({ logs: [...(parts.logs ?? [])], describes: [...(parts.describes ?? [])], kubernetesEvents: [...(parts.kubernetesEvents ?? [])], kubernetesObjects: [...(parts.kubernetesObjects ?? [])] });
  const inc = incident();
  return infer({ incident: inc, context: ctx, analysis: analyze(inc, ctx), retrieval: { passages: [], similarIncidents: [] } });
}

describe('quotes as written', () => {
  it('a JSON log record is read by its message but quoted as its line', async () => {
    const record = '{"__type":"ThrottlingException","message":"Rate exceeded"}';
    const parts = parseEvidenceText(`Error executing "DescribeLogStreams" on "https://logs.eu-west-2.amazonaws.com/"; AWS HTTP error: 400 Bad Request response:\n${record}`, 'input.txt');
    expect(parts.logs?.[1]).toMatchObject({ message: 'Rate exceeded', raw: record, line: 2 });
    const { hypotheses } = await diagnose(`Error executing "DescribeLogStreams" on "https://logs.eu-west-2.amazonaws.com/"; AWS HTTP error: 400 Bad Request response:\n${record}`);
    expect(hypotheses[0]!.category).toBe('api_throttling');
    expect(hypotheses[0]!.evidence).toContainEqual({ text: record, source: 'input.txt', line: 2 });
  });

  it('a plain line keeps no raw copy', () => {
    expect(parseEvidenceText('ERROR Rate exceeded', 'input.txt').logs?.[0]).not.toHaveProperty('raw');
  });

  it('a condition message kubectl folded over two lines is quoted whole, at the line it starts on', async () => {
    const yaml = [
      'status:',
      '  conditions:',
      '  - lastTransitionTime: "2023-08-23T12:45:26Z"',
      "    message: 'the HPA was unable to compute the replica count: failed to get cpu utilization:",
      "      missing request for cpu in container my-app of Pod my-app-5cdb678c48-8bgbm'",
      '    reason: FailedGetResourceMetric',
      '    status: "False"',
      '    type: ScalingActive',
    ].join('\n');
    const { hypotheses } = await diagnose(yaml);
    expect(hypotheses[0]!.category).toBe('hpa_at_max');
    const whole = hypotheses[0]!.evidence.find((e) => e.text.includes('failed to get cpu utilization:\n      missing request for cpu'));
    expect(whole).toMatchObject({ source: 'input.txt', line: 4 });
  });

  it('joins YAML values only: quoted and plain scalars, never stack frames or a value closed on its line', () => {
    const at = (lines: string[]) => (n: number) => lines[n - 1];
    const quoted = ["    message: 'first part:", '      second part', "      third part'", '    reason: X'];
    expect(yamlValueSpan(at(quoted), 2)).toEqual([1, 3]);
    expect(yamlValueSpan(at(quoted), 1)).toEqual([1, 3]);
    expect(yamlValueSpan(at(quoted), 4)).toBeUndefined();
    const plain = ['  message: Back-off pulling image', '    "registry/app:1.2"', '  reason: Failed'];
    expect(yamlValueSpan(at(plain), 2)).toEqual([1, 2]);
    expect(yamlValueSpan(at(['    message: "closed on its line"', '      next: 1']), 1)).toBeUndefined();
    const trace = ['java.lang.IllegalStateException: boom', '\tat com.example.App.main(App.java:10)'];
    expect(yamlValueSpan(at(trace), 2)).toBeUndefined();
  });
});
