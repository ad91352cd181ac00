/**
 * Helpers shared by the Kubernetes analyzers: object and describe-block lookups, evidence
 * references, quantities, pod templates and label selectors.
 */
import type { Category } from '../../../model/categories.js';
import type { CollectedContext, DescribeBlock, EvidenceRef, KubernetesObject } from '../../../model/evidence.js';
import type { Finding } from '../../../model/analysis.js';
import { canonicalKind } from '../../../model/kubernetes-kinds.js';
import { describeKindOfText } from '../../collect/index.js';

/** An analyzer: a pure function from the collected context to findings. */
export interface KubernetesAnalyzer {
  /** e.g. `PodAnalyzer`. */
  readonly name: string;
  /** Kinds it reads (objects or describe blocks); the registry runs it when any is present. */
  readonly kinds: readonly string[];
  /** Runs even without objects of its kinds (e.g. over events). */
  readonly always?: boolean;
  analyze(context: CollectedContext): Finding[];
}

export { canonicalKind } from '../../../model/kubernetes-kinds.js';

/** Objects of one kind. */
export function objectsOfKind(context: CollectedContext, kind: string): KubernetesObject[] {
  return context.kubernetesObjects.filter((o) => canonicalKind(o.kind) === kind);
}

/** Guesses the kind of a describe block from its fields when the parser did not name it. */
export function describeKind(block: DescribeBlock): string | undefined {
  // collect names the kind when it parses the block; the text guess covers blocks built elsewhere.
  return canonicalKind(block.kind) ?? describeKindOfText(block.text);
}

/** Describe blocks of one kind. */
export function describesOfKind(context: CollectedContext, kind: string): DescribeBlock[] {
  return context.describes.filter((b) => describeKind(b) === kind);
}

/** Name of a describe block (its field or its `Name:` line). */
export function describeName(block: DescribeBlock): string | undefined {
  return block.name ?? /^Name:\s+(\S+)/m.exec(block.text)?.[1];
}

/** Namespace of a describe block. */
export function describeNamespace(block: DescribeBlock): string | undefined {
  return block.namespace ?? /^Namespace:\s+(\S+)/m.exec(block.text)?.[1];
}

/** The block's lines with their 1-based line numbers in the block's source. */
export function blockLines(block: DescribeBlock): Array<{ text: string; line: number }> {
  return block.text.split('\n').map((text, i) => ({ text: text.replace(/\r$/, ''), line: block.line + i }));
}

/** An exact line of a describe block. */
export function blockRef(block: DescribeBlock, row: { text: string; line: number }): EvidenceRef {
  return { text: row.text, source: block.source, line: row.line };
}

/**
 * Evidence for a field of an object. An object read from a `kubectl get` table row quotes that
 * exact row (`_text`); an object read as JSON/YAML has no line text of its own, so the text is
 * `<Kind>/<name> <path>: <value>` and the source and line are where the object starts.
 */
export function objectRef(object: KubernetesObject, path: string, value: unknown): EvidenceRef {
  // A row of a `kubectl get` table carries its exact line: quote it.
  const row = (object as { _text?: unknown })._text;
  if (typeof row === 'string' && row.trim() !== '' && object._source) {
    return object._line === undefined ? { text: row, source: object._source } : { text: row, source: object._source, line: object._line };
  }
  const rendered = typeof value === 'string' ? value : JSON.stringify(value);
  const text = `${canonicalKind(object.kind)}/${object.metadata?.name ?? '?'} ${path}: ${rendered}`;
  const source = object._source ?? 'kubernetes-api';
  return object._line === undefined ? { text, source } : { text, source, line: object._line };
}

/** Builds a finding. */
export function makeFinding(
  analyzer: string,
  kind: string,
  name: string | undefined,
  namespace: string | undefined,
  severity: Finding['severity'],
  message: string,
  evidence: readonly EvidenceRef[],
  category?: Category,
): Finding {
  return {
    analyzer, kind, name: name ?? '?',
    ...(namespace ? { namespace } : {}),
    severity, message,
    ...(category ? { category } : {}),
    evidence,
  };
}

/** Parses a CPU quantity to millicores (`500m` → 500, `2` → 2000); NaN when unreadable. */
export function parseCpu(value: unknown): number {
  if (typeof value === 'number') return value * 1000;
  if (typeof value !== 'string') return NaN;
  const m = /^\s*([\d.]+)\s*(m?)\s*$/.exec(value);
  if (!m) return NaN;
  return m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
}

const BYTE_UNITS: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Parses a memory/storage quantity to bytes (`64Mi`, `1G`, `1e3`); NaN when unreadable. */
export function parseBytes(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  const m = /^\s*([\d.]+(?:e\d+)?)\s*([kMGTPE]i?|)\s*$/.exec(value);
  if (!m || !(m[2]! in BYTE_UNITS)) return NaN;
  return Number(m[1]) * BYTE_UNITS[m[2]!]!;
}

/** Parses a plain count (`'2'`, `2`). */
export function parseCount(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

/** A pod template found in a workload object (or a bare Pod). */
export interface PodTemplate {
  readonly owner: KubernetesObject;
  readonly ownerKind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Desired pods (replicas, parallelism, 1 for a Pod). */
  readonly replicas: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: any;
  /** Path of the pod spec inside the owner, e.g. `spec.template.spec`. */
  readonly specPath: string;
}

/** Pod templates of every workload object (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob). */
export function podTemplates(context: CollectedContext, kinds?: readonly string[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const object of context.kubernetesObjects) {
    const kind = canonicalKind(object.kind)!;
    if (kinds && !kinds.includes(kind)) continue;
    const name = object.metadata?.name ?? '?';
    const namespace = object.metadata?.namespace;
    const spec = object.spec;
    if (!spec || typeof spec !== 'object') continue;
    if (kind === 'Pod') {
      out.push({ owner: object, ownerKind: kind, name, namespace, replicas: 1, labels: object.metadata?.labels ?? {}, spec, specPath: 'spec' });
    } else if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(kind) && spec.template?.spec) {
      const replicas = kind === 'DaemonSet' ? 1 : parseCount(spec.replicas ?? 1);
      out.push({ owner: object, ownerKind: kind, name, namespace, replicas: Number.isFinite(replicas) ? replicas : 1, labels: spec.template.metadata?.labels ?? {}, spec: spec.template.spec, specPath: 'spec.template.spec' });
    } else if (kind === 'Job' && spec.template?.spec) {
      out.push({ owner: object, ownerKind: kind, name, namespace, replicas: parseCount(spec.parallelism ?? 1) || 1, labels: spec.template.metadata?.labels ?? {}, spec: spec.template.spec, specPath: 'spec.template.spec' });
    } else if (kind === 'CronJob' && spec.jobTemplate?.spec?.template?.spec) {
      out.push({ owner: object, ownerKind: kind, name, namespace, replicas: 1, labels: spec.jobTemplate.spec.template.metadata?.labels ?? {}, spec: spec.jobTemplate.spec.template.spec, specPath: 'spec.jobTemplate.spec.template.spec' });
    }
  }
  return out;
}

/** Containers (and init containers) of a pod spec. */
export function containersOf(spec: any): Array<{ container: any; init: boolean; index: number }> {
  const list: Array<{ container: any; init: boolean; index: number }> = [];
  (Array.isArray(spec?.initContainers) ? spec.initContainers : []).forEach((c: any, index: number) => list.push({ container: c, init: true, index }));
  (Array.isArray(spec?.containers) ? spec.containers : []).forEach((c: any, index: number) => list.push({ container: c, init: false, index }));
  return list;
}

/** True when every `matchLabels` pair (and simple `matchExpressions`) of a selector holds for `labels`. */
export function selectorMatches(selector: any, labels: Readonly<Record<string, string>>): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const matchLabels: Record<string, string> = selector.matchLabels ?? (selector.matchExpressions ? {} : selector);
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== String(v)) return false;
  for (const expr of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const value = labels[expr.key];
    const values: string[] = Array.isArray(expr.values) ? expr.values.map(String) : [];
    switch (expr.operator) {
      case 'In': if (value === undefined || !values.includes(value)) return false; break;
      case 'NotIn': if (value !== undefined && values.includes(value)) return false; break;
      case 'Exists': if (value === undefined) return false; break;
      case 'DoesNotExist': if (value !== undefined) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Same namespace, treating a missing namespace as matching any (manifests often omit it). */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** Conditions of an object's status as a list. */
export function conditionsOf(object: KubernetesObject): Array<{ type: string; status: string; reason?: string; message?: string }> {
  const list = object.status?.conditions;
  return Array.isArray(list) ? list.filter((c: any) => c && typeof c.type === 'string') : [];
}
