import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEvidenceText, describeField } from '../../../../functions/core/stages/collect/formats/index.js';
import { InvalidInputError } from '../../../../functions/core/model/errors.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
const lineOf = (text: string, n: number): string => text.split('\n')[n - 1]!;

describe('parseEvidenceText: kubectl describe', () => {
  const text = fixture('describe-oom.txt');
  const ctx = parseEvidenceText(text, 'pod.txt');

  it('reads one Pod block with nested container state fields', () => {
    expect(ctx.describes).toHaveLength(1);
    const block = ctx.describes![0]!;
    expect(block).toMatchObject({ kind: 'Pod', name: 'checkout-7c9d8f6b5-x2k4p', namespace: 'shop', source: 'pod.txt', line: 1 });
    expect(block.fields['Containers.checkout.State']).toBe('Waiting');
    expect(block.fields['Containers.checkout.State.Reason']).toBe('CrashLoopBackOff');
    expect(block.fields['Containers.checkout.Last State']).toBe('Terminated');
    expect(block.fields['Containers.checkout.Last State.Reason']).toBe('OOMKilled');
    expect(block.fields['Containers.checkout.Last State.Exit Code']).toBe('137');
    expect(block.fields['Containers.checkout.Limits.memory']).toBe('256Mi');
    expect(block.fields['Labels']).toBe('app=checkout\npod-template-hash=7c9d8f6b5');
    expect(describeField(block, 'Last State.Reason')).toEqual(['OOMKilled']);
  });

  it('reads the Conditions table into Conditions.<Type> fields', () => {
    const block = ctx.describes![0]!;
    expect(block.fields['Conditions.Ready']).toBe('False');
    expect(block.fields['Conditions.PodScheduled']).toBe('True');
  });

  it('reads the Events table with type, reason, age, count, from, message and the exact line', () => {
    expect(ctx.kubernetesEvents).toHaveLength(3);
    const backOff = ctx.kubernetesEvents!.find((e) => e.reason === 'BackOff')!;
    expect(backOff).toMatchObject({
      type: 'Warning', age: '12s (x52 over 13m)', count: 52, from: 'kubelet',
      object: 'Pod/checkout-7c9d8f6b5-x2k4p', namespace: 'shop', source: 'pod.txt',
    });
    expect(lineOf(text, backOff.line!)).toContain('Back-off restarting failed container checkout');
    expect(backOff.message).toBe('Back-off restarting failed container checkout in pod checkout-7c9d8f6b5-x2k4p_shop(0c1d)');
  });

  it('keeps the block text exactly and produces no log events', () => {
    expect(ctx.describes![0]!.text).toBe(text.trimEnd());
    expect(ctx.logs).toEqual([]);
  });

  it('splits several describe blocks and keeps logs that follow them', () => {
    const two = `${text}\n\n${text.replace(/checkout-7c9d8f6b5-x2k4p/g, 'checkout-7c9d8f6b5-b7n2q')}\n2026-11-30T07:12:00Z ERROR payment gateway timeout\n`;
    const parsed = parseEvidenceText(two, 'mixed.txt');
    expect(parsed.describes!.map((d) => d.name)).toEqual(['checkout-7c9d8f6b5-x2k4p', 'checkout-7c9d8f6b5-b7n2q']);
    expect(parsed.describes![1]!.line).toBe(two.split('\n').findIndex((l) => l.startsWith('Name:') && l.includes('b7n2q')) + 1);
    expect(parsed.kubernetesEvents).toHaveLength(6);
    expect(parsed.logs).toHaveLength(1);
    const log = parsed.logs![0]!;
    expect(lineOf(two, log.line!)).toBe(log.message);
    expect(log.timestamp).toBe(Date.parse('2026-11-30T07:12:00Z'));
  });
});

describe('parseEvidenceText: kubectl get events', () => {
  it('reads the default layout, including a row not aligned with its header', () => {
    const text = fixture('events.txt');
    const ctx = parseEvidenceText(text, 'events.txt');
    expect(ctx.kubernetesEvents!.map((e) => [e.type, e.reason, e.object, e.line])).toEqual([
      ['Warning', 'FailedScheduling', 'pod/report-5d8f7-qq2lm', 2],
      ['Normal', 'Pulling', 'pod/api-66b9c-zt7rx', 3],
      ['Warning', 'Failed', 'pod/api-66b9c-zt7rx', 4],
    ]);
    expect(ctx.kubernetesEvents![2]).toMatchObject({ count: 4, age: '12s (x4 over 90s)' });
    expect(ctx.kubernetesEvents![0]!.message).toMatch(/^0\/3 nodes are available: 3 Insufficient memory\./);
  });

  it('reads the NAMESPACE column of -A', () => {
    const ctx = parseEvidenceText(fixture('events-all-namespaces.txt'), 'ev.txt');
    expect(ctx.kubernetesEvents!.map((e) => e.namespace)).toEqual(['kube-system', 'payments', 'payments']);
    expect(ctx.kubernetesEvents![2]!.message).toBe('MountVolume.SetUp failed for volume "certs" : secret "ledger-tls" not found');
  });

  it('reads the old layout (KIND + NAME of the event, COUNT)', () => {
    const ctx = parseEvidenceText(fixture('events-old.txt'), 'old.txt');
    expect(ctx.kubernetesEvents).toEqual([expect.objectContaining({
      type: 'Warning', reason: 'Unhealthy', object: 'Pod/api-6d9f8c7b5-k2v9x', count: 22, from: 'kubelet, ip-10-0-1-5', age: '1m', line: 2,
    })]);
    expect(ctx.kubernetesEvents![0]!.message).toMatch(/^Liveness probe failed: .*connection refused$/);
  });

  it('reads -o wide with an empty SUBOBJECT cell, SOURCE and COUNT', () => {
    const ctx = parseEvidenceText(fixture('events-wide.txt'), 'ev.txt');
    expect(ctx.kubernetesEvents).toHaveLength(2);
    expect(ctx.kubernetesEvents![1]).toMatchObject({
      reason: 'Evicted', object: 'pod/batch-7f-fghij', from: 'kubelet, node-b', count: 3, message: 'The node was low on resource: memory.', line: 3,
    });
  });
});

describe('parseEvidenceText: plain text', () => {
  it('makes one log event per non-blank line, exact, with line numbers and timestamps', () => {
    const text = fixture('app-log.txt');
    const ctx = parseEvidenceText(text, 'app.log');
    expect(ctx.logs).toHaveLength(5);
    for (const e of ctx.logs!) expect(lineOf(text, e.line!)).toBe(e.message);
    expect(ctx.logs!.map((e) => e.line)).toEqual([1, 2, 4, 5, 6]);
    expect(ctx.logs![0]!.timestamp).toBe(Date.parse('2026-11-30T07:01:02.123Z'));
    expect(ctx.logs![2]!.timestamp).toBe(Date.parse('2026-11-30T07:01:06Z'));
    expect(ctx.logs![3]!.timestamp).toBeUndefined();
    expect(ctx.logs![4]!.timestamp).toBe(Date.parse('2026-11-30T07:01:09Z'));
  });

  it('reads Go log / nginx error log timestamps as UTC', () => {
    const ctx = parseEvidenceText(fixture('go-log.txt'), 'go.log');
    expect(ctx.logs!.map((e) => e.timestamp)).toEqual([Date.parse('2026-11-30T07:02:03Z'), Date.parse('2026-11-30T07:02:04.250Z')]);
  });

  it('refuses empty input with a typed error naming the input', () => {
    expect(() => parseEvidenceText('  \n\n', 'empty.txt')).toThrow(InvalidInputError);
    expect(() => parseEvidenceText('', 'empty.txt')).toThrow(/empty\.txt: the evidence is empty/);
  });
});
