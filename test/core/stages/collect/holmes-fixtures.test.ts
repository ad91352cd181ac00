import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { holmesToolHeader, stripHolmesToolHeader } from '../../../../eval/holmes-fixtures.js';
import { parseEvidenceText } from '../../../../functions/core/stages/collect/formats/index.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

describe('stripHolmesToolHeader', () => {
  it('blanks the two JSON header lines and the stdout:/stderr: markers, keeping line numbers', () => {
    const raw = fixture('holmes-describe.txt');
    const stripped = stripHolmesToolHeader(raw);
    const rawLines = raw.split('\n');
    const lines = stripped.split('\n');
    expect(lines).toHaveLength(rawLines.length);
    expect(lines.slice(0, 3)).toEqual(['', '', '']);
    expect(lines[14]).toBe('');
    expect(lines.slice(3, 13)).toEqual(rawLines.slice(3, 13));
    const ctx = parseEvidenceText(stripped, 'holmes-describe.txt');
    expect(ctx.describes![0]!.line).toBe(4);
    expect(ctx.kubernetesEvents![0]!.line).toBe(13);
    expect(rawLines[12]).toContain('secret "ledger-db" not found');
    expect(ctx.logs).toEqual([]);
  });

  it('removes the lines with keepLineNumbers: false', () => {
    const stripped = stripHolmesToolHeader(fixture('holmes-describe.txt'), { keepLineNumbers: false });
    expect(stripped.split('\n')[0]).toBe('Name:             ledger-0');
    expect(stripped).not.toMatch(/^(stdout|stderr):$/m);
  });

  it('removes the quotes of an output recorded as a JSON string fragment', () => {
    const ctx = parseEvidenceText(stripHolmesToolHeader(fixture('holmes-quoted.txt')), 'q.txt');
    expect(ctx.kubernetesObjects!.map((o) => [o.metadata.name, o.status.phase])).toEqual([
      ['crashpod-9688789bc-lgjzj', 'Running'], ['web-5d8f7-qq2lm', 'Running'],
    ]);
    expect(ctx.kubernetesObjects![0]!.status.containerStatuses[0].state.waiting.reason).toBe('CrashLoopBackOff');
  });

  it('handles outputs without stdout:/stderr: markers and leaves other text unchanged', () => {
    const ctx = parseEvidenceText(stripHolmesToolHeader(fixture('holmes-no-markers.txt')), 'e.txt');
    expect(ctx.kubernetesEvents).toEqual([expect.objectContaining({ reason: 'Failed', line: 4, object: 'Pod/api-1' })]);
    expect(stripHolmesToolHeader('plain\ntext\n')).toBe('plain\ntext\n');
    expect(stripHolmesToolHeader('{"a":1}\nstdout:\n')).toBe('{"a":1}\nstdout:\n');
  });

  it('reads the tool call of the first line', () => {
    expect(holmesToolHeader(fixture('holmes-no-markers.txt'))).toEqual({
      toolName: 'kubectl_events', params: { resource_type: 'pod', resource_name: 'api-1', namespace: 'shop' },
    });
    expect(holmesToolHeader('Name: x')).toBeUndefined();
  });
});
