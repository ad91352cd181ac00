import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeField, parseEvidenceText } from '../../../../functions/core/stages/collect/formats/index.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

describe('kubectl describe of several kinds', () => {
  const text = fixture('describe-node-pvc.txt');
  const ctx = parseEvidenceText(text, 'nodes.txt');

  it('splits a Node and a PVC block and names their kinds', () => {
    expect(ctx.describes!.map((d) => [d.kind, d.name, d.namespace, d.line])).toEqual([
      ['Node', 'ip-10-0-2-40.ec2.internal', undefined, 1],
      ['PersistentVolumeClaim', 'data-postgres-0', 'db', 32],
    ]);
    expect(ctx.logs).toEqual([]);
  });

  it('reads the Node Conditions table with reasons and messages', () => {
    const node = ctx.describes![0]!;
    expect(node.fields['Conditions.MemoryPressure']).toBe('True');
    expect(node.fields['Conditions.MemoryPressure.Reason']).toBe('KubeletHasInsufficientMemory');
    expect(node.fields['Conditions.MemoryPressure.Message']).toBe('kubelet has insufficient memory available');
    expect(node.fields['Conditions.Ready']).toBe('True');
    expect(node.fields['Taints']).toBe('node.kubernetes.io/memory-pressure:NoSchedule');
    expect(node.fields['Allocatable.memory']).toBe('3388360Ki');
  });

  it('attributes each block its own events, with the object and namespace', () => {
    expect(ctx.kubernetesEvents!.map((e) => [e.object, e.namespace, e.reason, e.line])).toEqual([
      ['Node/ip-10-0-2-40.ec2.internal', undefined, 'EvictionThresholdMet', 28],
      ['Node/ip-10-0-2-40.ec2.internal', undefined, 'NodeHasInsufficientMemory', 29],
      ['PersistentVolumeClaim/data-postgres-0', 'db', 'ProvisioningFailed', 47],
    ]);
    expect(ctx.kubernetesEvents![2]).toMatchObject({ count: 14, from: 'persistentvolume-controller', message: 'storageclass.storage.k8s.io "fast-ssd" not found' });
    expect(ctx.describes![1]!.fields['Status']).toBe('Pending');
    expect(ctx.describes![1]!.fields['StorageClass']).toBe('fast-ssd');
  });

  it('keeps each block text equal to its lines of the input', () => {
    const lines = text.split('\n');
    for (const block of ctx.describes!) {
      const blockLines = block.text.split('\n');
      expect(lines.slice(block.line - 1, block.line - 1 + blockLines.length)).toEqual(blockLines);
    }
  });

  it('reads containers whose names start with a digit', () => {
    const text = 'Name:         gw-0\nNamespace:    edge\nIP:           10.0.0.9\nContainers:\n  3scale-gateway:\n    State:          Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n';
    const block = parseEvidenceText(text, 'gw.txt').describes![0]!;
    expect(block.fields['Containers.3scale-gateway.State.Reason']).toBe('OOMKilled');
  });

  it('reads init and regular containers separately', () => {
    const pod = parseEvidenceText(fixture('describe-init.txt'), 'p.txt').describes![0]!;
    expect(pod.kind).toBe('Pod');
    expect(pod.fields['Init Containers.wait-for-db.State.Reason']).toBe('CrashLoopBackOff');
    expect(pod.fields['Init Containers.wait-for-db.Last State.Exit Code']).toBe('1');
    expect(describeField(pod, 'State.Reason')).toEqual(['CrashLoopBackOff', 'PodInitializing', 'PodInitializing']);
    expect(pod.fields['Containers.sidecar.Image']).toBe('envoyproxy/envoy:v1.31');
    expect(pod.fields['Events']).toBe('<none>');
    expect(pod.fields['Conditions.Initialized']).toBe('False');
  });
});

describe('describe blocks: container sections parsed once, with their origin', () => {
  it('types each container of a pod block, each row keeping its exact text and source line', () => {
    const text = readFileSync(fileURLToPath(new URL('./fixtures/describe-oom.txt', import.meta.url)), 'utf8');
    const [block] = parseEvidenceText(`# kubectl describe pod\n${text}`, 'pod.txt').describes!;
    expect(block!.kind).toBe('Pod');
    const app = block!.containers!.find((c) => !c.init)!;
    expect(app.reasons).toContainEqual({ which: 'last', reason: 'OOMKilled', row: { text: '      Reason:       OOMKilled', line: 22 } });
    expect(app.exit).toEqual({ code: 137, row: { text: '      Exit Code:    137', line: 23 } });
  });
});
