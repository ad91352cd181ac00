/**
 * `kubectl describe` text: one or many resources, each starting with a `Name:` line.
 *
 * Layout (kubectl `describe` printers, k8s.io/kubectl/pkg/describe): `Key:  value` lines indented
 * by two spaces per nesting level, list values on following deeper-indented lines, tables
 * (`Conditions:`, `Events:`) with a header row and, for events, a `----` separator row.
 * The `Events:` section is the last of every resource.
 */
import type { DescribeBlock, DescribeContainer, DescribeRow } from '../../../model/evidence.js';
import type { ParsedKubernetesEvent } from './types.js';
import { indentOf, isBlank } from './lines.js';
import { splitColumns, columnStarts, countOf } from './tables.js';

/** A top-level describe field line: `Key:` followed by a space or the end of the line. */
const TOP_KEY_RE = /^[A-Z][A-Za-z0-9 ._\-/()]{0,40}:(\s|$)/;
const KEY_RE = /^(\s*)([A-Za-z0-9][A-Za-z0-9 ._\-/()]{0,50}?):(?:\s+(.*))?$/;

/** True when `line` starts a describe block (`Name:  <name>` at column 0). */
export function isDescribeStart(line: string): boolean {
  return /^Name:\s+\S/.test(line);
}

/** Result of {@link parseDescribeAt}. */
export interface DescribeParse {
  readonly block: DescribeBlock;
  readonly events: ParsedKubernetesEvent[];
  /** Index (0-based) of the first line after the block. */
  readonly end: number;
}

/**
 * Parses the describe block that starts at `lines[start]` (a `Name:` line). The block ends at the
 * next `Name:` line at column 0, at a column-0 line that is not a `Key:` field, or at the first
 * column-0 line after the `Events:` section.
 *
 * @param lines all lines of the text
 * @param start 0-based index of the `Name:` line
 * @param source the evidence source; line numbers are `index + 1`
 */
export function parseDescribeAt(lines: readonly string[], start: number, source: string): DescribeParse {
  let end = start + 1;
  let inEvents = false;
  for (; end < lines.length; end++) {
    const line = lines[end]!;
    if (isBlank(line)) continue;
    const indent = indentOf(line);
    if (indent > 0) continue;
    if (inEvents || isDescribeStart(line) || !TOP_KEY_RE.test(line)) break;
    if (/^Events:/.test(line)) {
      inEvents = true;
    }
  }
  // trailing blank lines do not belong to the block
  let last = end - 1;
  while (last > start && isBlank(lines[last]!)) last--;
  const blockLines = lines.slice(start, last + 1);

  const fields: Record<string, string> = {};
  const events: ParsedKubernetesEvent[] = [];
  const stack: Array<{ indent: number; key: string }> = [];
  const path = (): string => stack.map((s) => s.key).join('.');
  let table: { kind: 'events' | 'conditions'; starts: number[]; names: string[]; indent: number; owner: string } | undefined;

  for (let i = 0; i < blockLines.length; i++) {
    const line = blockLines[i]!;
    const lineNo = start + i + 1;
    if (isBlank(line)) continue;
    const indent = indentOf(line);
    if (table) {
      if (indent >= table.indent) {
        if (/^\s*-{3,}(\s+-{3,})*\s*$/.test(line)) continue;
        const cells = splitColumns(line, table.starts);
        const cell = (name: string): string | undefined => {
          const k = table!.names.indexOf(name);
          return k === -1 ? undefined : cells[k];
        };
        if (table.kind === 'events') {
          const ev = describeEventRow(cell, line, source, lineNo);
          if (ev) events.push(ev);
          else if (events.length > 0) {
            const prev = events[events.length - 1]!;
            events[events.length - 1] = { ...prev, message: `${prev.message}\n${line.trim()}` };
          }
        } else {
          const type = cell('Type');
          if (type) {
            fields[`${table.owner}.${type}`] = cell('Status') ?? '';
            const reason = cell('Reason');
            const message = cell('Message');
            if (reason) fields[`${table.owner}.${type}.Reason`] = reason;
            if (message) fields[`${table.owner}.${type}.Message`] = message;
          }
        }
        continue;
      }
      table = undefined;
    }
    const m = KEY_RE.exec(line);
    const isKey = m !== null && !/\s{2,}/.test(m[2]!);
    if (isKey) {
      while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
      stack.push({ indent, key: m[2]!.trim() });
      const key = path();
      const value = (m[3] ?? '').trim();
      fields[key] = value;
      const next = blockLines[i + 1];
      if ((key === 'Events' || /(^|\.)Conditions$/.test(key)) && value === '' && next !== undefined) {
        const header = next;
        if (/^\s+Type\s+/.test(header)) {
          table = {
            kind: key === 'Events' ? 'events' : 'conditions',
            starts: columnStarts(header),
            names: header.trim().split(/\s{2,}/).map((n) => n.trim()),
            indent: indentOf(header),
            owner: key,
          };
          i++;
        }
      }
      continue;
    }
    // a value line (list entry or continuation) of the innermost key above it
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const key = path();
    if (key) fields[key] = fields[key] ? `${fields[key]}\n${line.trim()}` : line.trim();
  }

  const name = fields['Name'];
  const namespace = fields['Namespace'];
  const kind = describeKind(fields) ?? describeKindOfText(blockLines.join('\n'));
  const objectRef = kind && name ? `${kind}/${name}` : name;
  const withObject = events.map((e) => ({
    ...e,
    ...(objectRef ? { object: objectRef } : {}),
    ...(namespace ? { namespace } : {}),
  }));
  const containers = describeContainers(blockLines, start + 1);
  const block: DescribeBlock = {
    ...(kind ? { kind } : {}),
    ...(name ? { name } : {}),
    ...(namespace ? { namespace } : {}),
    fields,
    ...(containers.length ? { containers } : {}),
    text: blockLines.join('\n'),
    source,
    line: start + 1,
  };
  return { block, events: withObject, end };
}

function describeEventRow(
  cell: (name: string) => string | undefined, line: string, source: string, lineNo: number,
): ParsedKubernetesEvent | undefined {
  const type = cell('Type');
  const reason = cell('Reason');
  const message = cell('Message');
  if (!type || !reason || !/^(Normal|Warning)$/.test(type)) return undefined;
  const age = cell('Age') ?? cell('LastSeen') ?? cell('Last Seen');
  const from = cell('From');
  const count = countOf(age, cell('Count'));
  return {
    type,
    reason,
    message: message ?? '',
    ...(age ? { age } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(from ? { from } : {}),
    source,
    line: lineNo,
    text: line.replace(/\r$/, ''),
  };
}


/**
 * Guesses the Kubernetes kind of a describe block from its fields (kubectl describe prints no
 * `Kind:` line for most kinds). Returns undefined when unsure.
 */
export function describeKind(fields: Readonly<Record<string, string>>): string | undefined {
  const has = (k: string): boolean => k in fields;
  if (fields['Kind']) return fields['Kind'];
  if (has('Containers') && (has('IP') || has('Node') || has('QoS Class'))) return 'Pod';
  if (has('Roles') && (has('Taints') || has('Unschedulable'))) return 'Node';
  if (has('StrategyType') || (has('Replicas') && has('NewReplicaSet'))) return 'Deployment';
  if (has('Update Strategy') && has('Replicas')) return fields['Controlled By'] ? 'StatefulSet' : 'StatefulSet';
  if (has('Desired Number of Nodes Scheduled')) return 'DaemonSet';
  if (has('Replicas') && has('Pods Status')) return 'ReplicaSet';
  if (has('Completions') || (has('Parallelism') && has('Pods Statuses'))) return 'Job';
  if (has('Schedule') && has('Concurrency Policy')) return 'CronJob';
  if (has('StorageClass') && (has('Access Modes') || has('Capacity') || has('Volume'))) {
    return has('Claim') ? 'PersistentVolume' : 'PersistentVolumeClaim';
  }
  if (has('Reference') && (has('Min replicas') || has('Max replicas'))) return 'HorizontalPodAutoscaler';
  if (has('Endpoints') && (has('Type') || has('IP'))) return 'Service';
  if (has('Default backend') || (has('Rules') && has('Ingress Class'))) return 'Ingress';
  if (has('PodSelector') || has('Spec.PodSelector')) return 'NetworkPolicy';
  if (has('Reason') && has('Message') && has('Source')) return 'Event';
  return undefined;
}

/**
 * Parses the `Containers:` / `Init Containers:` sections of a describe block's lines (`firstLine`:
 * the 1-based line of `lines[0]` in the source), keeping each row's exact text and line.
 */
export function describeContainers(lines: readonly string[], firstLine: number): DescribeContainer[] {
  type Mutable = { name: string; init: boolean; state?: string; reasons: Array<{ which: 'state' | 'last'; reason: string; row: DescribeRow }>; exit?: { code: number; row: DescribeRow }; restarts?: number; ready?: string; message?: string };
  const out: Mutable[] = [];
  let section: string | undefined;
  let current: Mutable | undefined;
  let which: 'state' | 'last' = 'state';
  lines.forEach((raw, i) => {
    const row: DescribeRow = { text: raw.replace(/\r$/, ''), line: firstLine + i };
    const top = /^(\S[^:]*):/.exec(row.text);
    if (top) { section = /^(?:Init )?Containers$/.test(top[1]!) ? top[1] : undefined; current = undefined; return; }
    if (!section) return;
    const name = /^ {2}(\S[^:]*):\s*$/.exec(row.text);
    if (name) { current = { name: name[1]!, init: section.startsWith('Init'), reasons: [] }; out.push(current); which = 'state'; return; }
    if (!current) return;
    let m: RegExpExecArray | null;
    if ((m = /^\s+State:\s+(\w+)/.exec(row.text))) { which = 'state'; current.state = m[1]; return; }
    if (/^\s+Last State:/.test(row.text)) { which = 'last'; return; }
    if ((m = /^\s+Reason:\s+(\S+)/.exec(row.text))) { current.reasons.push({ which, reason: m[1]!, row }); return; }
    if ((m = /^\s+Message:\s+(.*)$/.exec(row.text))) { current.message = m[1]; return; }
    if ((m = /^\s+Exit Code:\s+(\d+)/.exec(row.text))) { if (which === 'last' || !current.exit) current.exit = { code: Number(m[1]), row }; return; }
    if ((m = /^\s+Restart Count:\s+(\d+)/.exec(row.text))) { current.restarts = Number(m[1]); return; }
    if ((m = /^\s+Ready:\s+(\w+)/.exec(row.text))) { current.ready = m[1]; }
  });
  return out;
}

/**
 * Guesses the kind of a describe block from its text, when its fields did not tell (a block
 * whose layout {@link describeKind} does not recognise). Returns undefined when unsure.
 */
export function describeKindOfText(t: string): string | undefined {
  const has = (re: RegExp): boolean => re.test(t);
  if (has(/^Pods Statuses:/m) && has(/^Completions:/m)) {
    return has(/^(?:Status|Node):/m) && has(/^Containers:/m) ? 'Pod' : 'Job';
  }
  if (has(/^Containers:/m) && has(/^(?:Node|Status|IP):/m)) return 'Pod';
  if (has(/^StrategyType:/m) && has(/^Replicas:.*desired/m)) return 'Deployment';
  if (has(/^Update Strategy:/m) && has(/^Pods Status:/m)) return 'StatefulSet';
  if (has(/^Replicas:.*current/m) && has(/^Pods Status:/m)) return 'ReplicaSet';
  if (has(/^Access Modes:/m) && has(/^StorageClass:/m)) return 'PersistentVolumeClaim';
  if (has(/^Taints:/m) && has(/^Conditions:/m)) return 'Node';
  if (has(/^Reference:/m) && has(/^Min replicas:/m)) return 'HorizontalPodAutoscaler';
  if (has(/^Endpoints:/m) && has(/^Selector:/m)) return 'Service';
  if (has(/^Rules:/m) && has(/^(?:Ingress Class|Default backend):/m)) return 'Ingress';
  return undefined;
}

/**
 * The values of all fields whose dotted key ends with `suffix` (e.g. `State.Reason` matches
 * `Containers.app.State.Reason` and `Init Containers.init.State.Reason`), in block order.
 */
export function describeField(block: Pick<DescribeBlock, 'fields'>, suffix: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(block.fields)) {
    if (key === suffix || key.endsWith(`.${suffix}`)) out.push(value);
  }
  return out;
}
