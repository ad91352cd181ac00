/**
 * Column tables printed by kubectl: `kubectl get events` / `kubectl events` and
 * `kubectl get pods|nodes|pvc|deployments|jobs` (with or without `-o wide`, `-A`).
 *
 * kubectl prints tables through a tabwriter (k8s.io/cli-runtime printers): every column starts at
 * the position of its header, columns are separated by at least two spaces, empty cells are
 * blank. Cells are therefore cut at the header positions; a row that is not aligned with its
 * header (edited text) is split on runs of two or more spaces instead.
 */
import type { KubernetesObject, LogEvent } from '../../../model/evidence.js';
import type { ParsedKubernetesEvent } from './types.js';

/** Reads an event count from `(x5 over 10m)` in an age cell or from a COUNT cell. */
export function countOf(age: string | undefined, countCell?: string): number | undefined {
  if (countCell && /^\d+$/.test(countCell)) return Number(countCell);
  const m = age ? /\(x(\d+) over/.exec(age) : null;
  if (m) return Number(m[1]);
  return age ? 1 : undefined;
}

/** Start positions of the columns of a table header (a column starts after 2+ spaces). */
export function columnStarts(header: string): number[] {
  const starts: number[] = [];
  const re = /\S+(?: \S+)*/g;
  for (let m = re.exec(header); m !== null; m = re.exec(header)) starts.push(m.index);
  return starts;
}

/** Column names of a header line (split on runs of two or more spaces). */
export function columnNames(header: string): string[] {
  return header.trim().split(/\s{2,}/);
}

/**
 * Cuts a table row into cells at the header's column starts; when the row is not aligned with
 * the header, splits it on runs of two or more spaces (the last cell keeps the rest).
 * Cells are trimmed; a missing cell is `''`.
 */
export function splitColumns(row: string, starts: readonly number[]): string[] {
  let aligned = true;
  for (let k = 1; k < starts.length; k++) {
    const s = starts[k]!;
    if (s >= row.length) break;
    if (!/\s/.test(row[s - 1]!)) {
      aligned = false;
      break;
    }
  }
  if (aligned) {
    return starts.map((s, k) => row.slice(s, k + 1 < starts.length ? starts[k + 1] : undefined).trim());
  }
  const parts = row.trim().split(/\s{2,}/);
  const cells = parts.slice(0, starts.length - 1);
  if (parts.length >= starts.length) cells.push(parts.slice(starts.length - 1).join('  '));
  while (cells.length < starts.length) cells.push('');
  return cells;
}

/** Removes a leading `"` left by tools that print the table inside a JSON string. */
export function normalizeHeader(line: string): string {
  return line.replace(/^\s*"/, '');
}

/** True when `line` is the header of `kubectl get events` / `kubectl events` (any layout). */
export function isEventsHeader(line: string): boolean {
  const h = normalizeHeader(line);
  return /^(NAMESPACE\s{2,})?(LAST SEEN|LASTSEEN)\s{2,}/.test(h) && /\bTYPE\b/.test(h) && /\bREASON\b/.test(h) && /\bMESSAGE\b/.test(h);
}

/** True when `line` is the header of a `kubectl get <kind>` table. */
export function isGetTableHeader(line: string): boolean {
  const h = normalizeHeader(line);
  if (!/^(NAMESPACE\s{2,})?NAME\s{2,}\S/.test(h)) return false;
  return columnNames(h).every((n) => /^[A-Z][A-Z0-9\-()/ ]*$/.test(n));
}

/** Result of a table parse: what the rows became and the index after the table. */
export interface TableParse {
  readonly events: ParsedKubernetesEvent[];
  readonly objects: KubernetesObject[];
  readonly logs: LogEvent[];
  readonly end: number;
}

function tableEnd(
  lines: readonly string[], start: number, isBoundary: (line: string) => boolean, isRow: (line: string) => boolean = () => true,
): number {
  let end = start + 1;
  while (end < lines.length && lines[end]!.trim() !== '' && !isBoundary(lines[end]!) && isRow(lines[end]!)) end++;
  return end;
}

/**
 * A check that a line is a row of a table of `kind` (a ratio in READY or COMPLETIONS, a known
 * STATUS), so a log line right after a table (no blank line between) ends the table instead of
 * becoming a bogus object.
 */
function rowCheck(kind: string | undefined, starts: readonly number[], names: readonly string[]): (line: string) => boolean {
  const col = (cells: string[], name: string): string => cells[names.indexOf(name)] ?? '';
  switch (kind) {
    case 'Pod':
    case 'Deployment':
      return (line) => /^\d+\/\d+$/.test(col(splitColumns(line, starts), 'READY'));
    case 'Job':
      return (line) => /^\d+\/\d+/.test(col(splitColumns(line, starts), 'COMPLETIONS'));
    case 'Node':
      return (line) => /^(Ready|NotReady|Unknown)\b/.test(col(splitColumns(line, starts), 'STATUS'));
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
      return (line) => /^(Bound|Pending|Lost|Available|Released|Failed|Terminating)$/.test(col(splitColumns(line, starts), 'STATUS'));
    case 'HorizontalPodAutoscaler':
      return (line) => /^\d+$/.test(col(splitColumns(line, starts), 'MAXPODS'));
    default:
      return () => true;
  }
}

/**
 * Parses a `kubectl get events` table whose header is `lines[start]`; rows run to the next blank
 * line or `isBoundary` line. Columns read: `NAMESPACE`, `LAST SEEN`, `TYPE`, `REASON`, `OBJECT`
 * (or old `KIND` + `NAME`), `SOURCE`, `MESSAGE`, `COUNT`. Each event carries its exact row as
 * `text` (what evidence quotes).
 */
export function parseEventsTableAt(
  lines: readonly string[], start: number, source: string, isBoundary: (line: string) => boolean,
): TableParse {
  const header = normalizeHeader(lines[start]!);
  const starts = columnStarts(header);
  const names = columnNames(header);
  const end = tableEnd(lines, start, isBoundary, (line) => {
    const k = names.indexOf('TYPE');
    return k === -1 || /^(Normal|Warning)$/.test(splitColumns(line, starts)[k] ?? '');
  });
  const events: ParsedKubernetesEvent[] = [];
  const logs: LogEvent[] = [];
  for (let i = start + 1; i < end; i++) {
    const row = lines[i]!;
    const cells = splitColumns(row, starts);
    const cell = (name: string): string | undefined => {
      const k = names.indexOf(name);
      const v = k === -1 ? undefined : cells[k];
      return v === '' || v === '<none>' ? undefined : v;
    };
    const type = cell('TYPE');
    const reason = cell('REASON');
    if (!type || !reason) {
      logs.push({ message: row, source, line: i + 1 });
      continue;
    }
    const age = cell('LAST SEEN') ?? cell('LASTSEEN');
    const kind = cell('KIND');
    // old layout (kubectl < 1.14): KIND and NAME, the event name being `<object>.<hex id>`
    const oldName = cell('NAME')?.replace(/\.[0-9a-f]{8,}$/, '');
    const object = cell('OBJECT') ?? (kind && oldName ? `${kind}/${oldName}` : undefined);
    const namespace = cell('NAMESPACE');
    const from = cell('SOURCE');
    const count = countOf(age, cell('COUNT'));
    events.push({
      type,
      reason,
      message: cell('MESSAGE') ?? '',
      ...(object ? { object } : {}),
      ...(namespace ? { namespace } : {}),
      ...(count !== undefined ? { count } : {}),
      ...(age ? { age } : {}),
      ...(from ? { from } : {}),
      source,
      line: i + 1,
      text: row.replace(/\r$/, ''),
    });
  }
  return { events, objects: [], logs, end };
}

/** Which kind a `kubectl get` table lists, from its columns; undefined when not one we read. */
export function tableKind(names: readonly string[]): string | undefined {
  const has = (n: string): boolean => names.includes(n);
  if (has('READY') && has('STATUS') && has('RESTARTS')) return 'Pod';
  if (has('STATUS') && has('ROLES') && has('VERSION')) return 'Node';
  if (has('STATUS') && has('VOLUME') && has('CAPACITY') && has('ACCESS MODES')) {
    return has('CLAIM') ? 'PersistentVolume' : 'PersistentVolumeClaim';
  }
  if (has('READY') && has('UP-TO-DATE') && has('AVAILABLE')) return 'Deployment';
  if (has('COMPLETIONS') && has('DURATION')) return 'Job';
  if (has('REFERENCE') && has('MINPODS') && has('MAXPODS')) return 'HorizontalPodAutoscaler';
  return undefined;
}

/**
 * Parses a `kubectl get` table whose header is `lines[start]`. Rows of the kinds
 * {@link tableKind} knows (Pod, Node, PVC, PV, Deployment, Job, HPA) become minimal
 * {@link KubernetesObject}s (see {@link podFromRow} and friends) carrying `_source`, `_line` and
 * `_text` (the exact row); rows of other tables are kept as log events (the header too).
 */
export function parseGetTableAt(
  lines: readonly string[], start: number, source: string, isBoundary: (line: string) => boolean,
): TableParse {
  const header = normalizeHeader(lines[start]!);
  const starts = columnStarts(header);
  const names = columnNames(header);
  const kind = tableKind(names);
  const end = tableEnd(lines, start, isBoundary, rowCheck(kind, starts, names));
  const objects: KubernetesObject[] = [];
  const logs: LogEvent[] = [];
  if (!kind) {
    for (let i = start; i < end; i++) logs.push({ message: lines[i]!, source, line: i + 1 });
    return { events: [], objects, logs, end };
  }
  for (let i = start + 1; i < end; i++) {
    const row = lines[i]!.replace(/"\s*$/, '');
    const cells = splitColumns(row, starts);
    const cell = (name: string): string | undefined => {
      const k = names.indexOf(name);
      const v = k === -1 ? undefined : cells[k];
      return v === '' || v === '<none>' ? undefined : v;
    };
    // `kubectl get all` prints names with their kind: `pod/api-1`, `deployment.apps/api`
    const name = cell('NAME')?.replace(/^[a-z][a-z0-9.-]*\//, '');
    if (!name) {
      logs.push({ message: lines[i]!, source, line: i + 1 });
      continue;
    }
    const meta = { name, ...(cell('NAMESPACE') ? { namespace: cell('NAMESPACE')! } : {}) };
    const at = { _source: source, _line: i + 1, _text: lines[i]!, _fromTable: true };
    objects.push({ ...objectFromRow(kind, meta, cell), ...at });
  }
  return { events: [], objects, logs, end };
}

function ratio(value: string | undefined): [number, number] | undefined {
  const m = value ? /^(\d+)\/(\d+)$/.exec(value) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function objectFromRow(
  kind: string, metadata: { name: string; namespace?: string }, cell: (name: string) => string | undefined,
): KubernetesObject {
  switch (kind) {
    case 'Pod':
      return podFromRow({ ...metadata, ready: cell('READY'), status: cell('STATUS'), restarts: cell('RESTARTS'), node: cell('NODE') });
    case 'Node': {
      const status = cell('STATUS') ?? '';
      const parts = status.split(',');
      const ready = parts.includes('Ready') ? 'True' : parts.includes('NotReady') ? 'False' : 'Unknown';
      return {
        apiVersion: 'v1', kind: 'Node', metadata,
        spec: parts.includes('SchedulingDisabled') ? { unschedulable: true } : {},
        status: { conditions: [{ type: 'Ready', status: ready }], nodeInfo: { kubeletVersion: cell('VERSION') } },
      };
    }
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
      return {
        apiVersion: 'v1', kind, metadata,
        spec: { storageClassName: cell('STORAGECLASS'), ...(cell('VOLUME') ? { volumeName: cell('VOLUME') } : {}) },
        status: { phase: cell('STATUS') },
      };
    case 'Deployment': {
      const [ready, desired] = ratio(cell('READY')) ?? [undefined, undefined];
      return {
        apiVersion: 'apps/v1', kind, metadata,
        spec: { replicas: desired },
        status: {
          replicas: desired, readyReplicas: ready,
          updatedReplicas: Number(cell('UP-TO-DATE') ?? NaN), availableReplicas: Number(cell('AVAILABLE') ?? NaN),
        },
      };
    }
    case 'Job': {
      const [succeeded, completions] = ratio(cell('COMPLETIONS')) ?? [undefined, undefined];
      const status = cell('STATUS');
      const conditions = status === 'Failed' ? [{ type: 'Failed', status: 'True' }]
        : status === 'Complete' ? [{ type: 'Complete', status: 'True' }] : [];
      return { apiVersion: 'batch/v1', kind, metadata, spec: { completions }, status: { succeeded, conditions } };
    }
    case 'HorizontalPodAutoscaler':
      return {
        apiVersion: 'autoscaling/v2', kind, metadata,
        spec: { minReplicas: Number(cell('MINPODS')), maxReplicas: Number(cell('MAXPODS')), scaleTargetRef: refOf(cell('REFERENCE')) },
        status: { currentReplicas: Number(cell('REPLICAS')), targets: cell('TARGETS') },
      };
    default:
      return { kind, metadata };
  }
}

function refOf(reference: string | undefined): { kind: string; name: string } | undefined {
  const m = reference ? /^([^/]+)\/(.+)$/.exec(reference) : null;
  return m ? { kind: m[1]!, name: m[2]! } : undefined;
}

const WAITING_REASONS = new Set([
  'CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName',
  'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'ContainerCreating',
  'PodInitializing', 'PreCreateHookError', 'PostStartHookError',
]);
const TERMINATED_REASONS = new Set(['OOMKilled', 'Error', 'Completed', 'ContainerCannotRun', 'DeadlineExceeded', 'StartError', 'ContainerStatusUnknown']);
const POD_FAILED_REASONS = new Set(['Evicted', 'NodeAffinity', 'NodeLost', 'OutOfcpu', 'OutOfmemory', 'UnexpectedAdmissionError', 'Shutdown', 'Terminated']);

/**
 * Builds a minimal Pod from a `kubectl get pods` row. The STATUS column is what kubectl derives
 * from the pod (k8s.io/kubectl printPod): a container waiting reason (`CrashLoopBackOff`,
 * `ImagePullBackOff`, …) becomes `status.containerStatuses[0].state.waiting.reason`, a terminated
 * reason (`OOMKilled`, `Error`, `Completed`) `state.terminated.reason` (and `lastState` too when the
 * container restarted), `Init:<reason>` the same under `initContainerStatuses`, a pod reason
 * (`Evicted`) `status.reason` with phase `Failed`, `Pending`/`Running`/`Succeeded`/`Failed` the
 * phase. The table names no containers: the single container status is named `*`.
 * RESTARTS (`7 (32s ago)`) becomes `restartCount`; READY (`0/1`) sets `ready`.
 */
export function podFromRow(row: {
  name: string; namespace?: string; ready?: string; status?: string; restarts?: string; node?: string;
}): KubernetesObject {
  const status = row.status ?? 'Unknown';
  const restartCount = row.restarts ? Number(/^(\d+)/.exec(row.restarts)?.[1] ?? 0) : 0;
  const [readyCount, total] = ratio(row.ready) ?? [0, 1];
  const ready = readyCount === total && total > 0;
  const metadata = { name: row.name, ...(row.namespace ? { namespace: row.namespace } : {}) };
  const spec = row.node ? { nodeName: row.node } : {};
  const containerStatus = (state: Record<string, unknown>, lastState?: Record<string, unknown>): Record<string, unknown> => ({
    name: '*', ready, restartCount, state, ...(lastState ? { lastState } : {}),
  });
  let phase = 'Running';
  const podStatus: Record<string, unknown> = {};
  let reason = status;
  let init = false;
  if (status.startsWith('Init:')) {
    init = true;
    reason = status.slice(5);
    phase = 'Pending';
  }
  if (WAITING_REASONS.has(reason)) {
    if (reason !== 'CrashLoopBackOff' || init) phase = 'Pending';
    podStatus[init ? 'initContainerStatuses' : 'containerStatuses'] = [containerStatus({ waiting: { reason } })];
  } else if (TERMINATED_REASONS.has(reason)) {
    const terminated = { reason, exitCode: reason === 'OOMKilled' ? 137 : reason === 'Completed' ? 0 : undefined };
    if (reason === 'Completed' && !init) phase = 'Succeeded';
    else if (restartCount === 0 && !init) phase = 'Failed';
    podStatus[init ? 'initContainerStatuses' : 'containerStatuses'] = [
      containerStatus({ terminated }, restartCount > 0 ? { terminated } : undefined),
    ];
  } else if (POD_FAILED_REASONS.has(status)) {
    phase = 'Failed';
    podStatus['reason'] = status;
  } else if (['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'].includes(status)) {
    phase = status;
    if (status === 'Running') podStatus['containerStatuses'] = [containerStatus({ running: {} })];
  } else if (status === 'Terminating') {
    podStatus['reason'] = 'Terminating';
  } else if (!init) {
    podStatus['reason'] = status;
  }
  podStatus['phase'] = phase;
  if (restartCount > 0 && !podStatus['containerStatuses'] && !podStatus['initContainerStatuses']) {
    podStatus['containerStatuses'] = [containerStatus({})];
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status: podStatus };
}

/**
 * Matches a `kubectl get pods --no-headers` row (with or without the `-A` namespace column):
 * `[namespace] name ready status restarts age …`.
 */
const HEADLESS_POD_RE =
  /^\s*(?:([a-z0-9][a-z0-9.-]*)\s+)?([a-z0-9][a-z0-9.-]*)\s+(\d+\/\d+)\s+([A-Za-z][A-Za-z:0-9/]*)\s+(\d+(?: \([^)]*\))?)\s+(\d+[smhdy][0-9smhdy]*)(?:\s+(\S+)\s+(\S+))?/;

/**
 * Reads a headerless `kubectl get pods` row into a minimal Pod (see {@link podFromRow}), or
 * undefined when the line is not one.
 */
export function headlessPodRow(line: string, source: string, lineNo: number): KubernetesObject | undefined {
  const m = HEADLESS_POD_RE.exec(line);
  if (!m) return undefined;
  const node = m[8] && m[8] !== '<none>' ? m[8] : undefined;
  const pod = podFromRow({
    name: m[2]!, ...(m[1] ? { namespace: m[1] } : {}), ready: m[3]!, status: m[4]!, restarts: m[5]!, ...(node ? { node } : {}),
  });
  return { ...pod, _source: source, _line: lineNo, _text: line, _fromTable: true };
}
