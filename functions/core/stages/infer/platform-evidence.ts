/**
 * What the evidence itself says of the platform an incident runs on and of the names its commands
 * need, for incidents whose event does not say it (a log pasted alone, an evidence file of ECS
 * service events or Lambda logs): see {@link evidencePlatform}. And the one `host:port` a
 * hypothesis' evidence names, for the commands of dependency categories ({@link endpointOf}).
 *
 * Sources of the markers:
 * - ECS service event messages, `(service <name>) was unable to place a task because no container
 *   instance met all of its requirements. The closest matching container-instance <id> has
 *   insufficient memory available.`, `(service <name>) has reached a steady state.`, … (Amazon ECS
 *   Developer Guide, "Amazon ECS service event messages"); stopped-task reasons (`Essential
 *   container in task exited`, `CannotPullContainerError`, `ResourceInitializationError`,
 *   `OutOfMemoryError: Container killed due to memory usage`, "Amazon ECS stopped task error
 *   messages"); ECS ARNs (`arn:aws:ecs:<region>:<account>:service/<cluster>/<service>`, "Amazon
 *   Resource Names (ARNs) and IDs"); the awslogs log group `/ecs/<family>` of console-made task
 *   definitions.
 * - Lambda's own log lines (`START RequestId: …`, `END RequestId: …`, `REPORT RequestId: …`,
 *   `INIT_START Runtime Version: …`, `Task timed out after 3.00 seconds`, `Runtime.ExitError`,
 *   `Runtime.ImportModuleError`: AWS Lambda Developer Guide, "Monitoring and troubleshooting
 *   Lambda functions"), its log group `/aws/lambda/<function>` and function ARNs.
 *
 * Every pattern runs in linear time (bounded repetitions, no nested quantifiers).
 */
import type { LogEvent } from '../../model/evidence.js';

/** The platform and names read from evidence; each name only when the evidence names exactly one. */
export interface EvidencePlatform {
  /** `ecs` or `lambda` when the evidence shows more lines of one than of the other; else absent. */
  readonly platform?: 'ecs' | 'lambda';
  readonly ecsCluster?: string;
  readonly ecsService?: string;
  readonly task?: string;
  readonly containerInstance?: string;
  readonly function?: string;
  readonly region?: string;
}

/** `(service shop-api)` or `(service shop-api, taskSet ecs-svc/123)` opening an ECS service event message. */
const ECS_SERVICE_EVENT = /\(service ([A-Za-z0-9_-]{1,255})(?:, taskSet [A-Za-z0-9_/-]{1,255})?\) [a-z(]/;
/** Stopped-task reasons and errors only ECS writes. */
const ECS_STOP_REASON = /\bEssential container in task exited\b|\bCannot(?:Pull|Start|Create|Inspect)ContainerError\b|\bResourceInitializationError\b|\bOutOfMemoryError: Container killed due to memory usage\b|\bTask failed (?:ELB|container) health checks\b|\bno container instances? met all of its requirements\b/;
/** `container-instance <id>` in a placement message, or an ARN's `container-instance/<cluster>/<id>`. */
const ECS_CONTAINER_INSTANCE = /\bcontainer-instance[ /](?:[A-Za-z0-9_-]{1,255}\/)?([0-9a-f]{32})\b/g;
/** An ECS ARN: region, resource type and the rest (`default/servicetest`). */
const ECS_ARN = /\barn:aws[a-z-]{0,20}:ecs:([a-z]{2}(?:-[a-z]{1,10}){1,2}-\d{1,2}):\d{12}:(service|task|cluster|container-instance)\/([A-Za-z0-9_/-]{1,600})/g;
/** Lambda's platform lines and runtime errors. */
const LAMBDA_LINE = /^(?:START|END|REPORT) RequestId: [0-9a-f-]{36}\b|^INIT_(?:START|REPORT)\b|\bTask timed out after \d{1,6}(?:\.\d{1,3})? seconds\b|\bRuntime\.(?:ExitError|ImportModuleError|HandlerNotFound|UserCodeSyntaxError|MarshalError|OutOfMemory)\b/;
const LAMBDA_ARN = /\barn:aws[a-z-]{0,20}:lambda:([a-z]{2}(?:-[a-z]{1,10}){1,2}-\d{1,2}):\d{12}:function:([A-Za-z0-9_-]{1,140})\b/g;
const LAMBDA_GROUP = /^\/aws\/lambda\/([A-Za-z0-9_-]{1,140})$/;
const ECS_GROUP = /^\/(?:aws\/)?ecs\//;

/** Values seen, to keep a name only when exactly one was seen. */
class Seen {
  private readonly values = new Map<string, Set<string>>();
  add(key: string, value: string | undefined): void {
    if (!value) return;
    let set = this.values.get(key);
    if (!set) this.values.set(key, (set = new Set()));
    if (set.size < 2) set.add(value);
  }
  only(key: string): string | undefined {
    const set = this.values.get(key);
    return set?.size === 1 ? [...set][0] : undefined;
  }
}

/**
 * Reads the platform and names off log events (their text and their source, a file path or a log
 * group): `ecs` when more lines look like ECS than Lambda (and at least one does), `lambda`
 * conversely. Names (ECS cluster, service, task, container instance, Lambda function, region)
 * come from ECS service event messages, ECS and Lambda ARNs and `/aws/lambda/<name>` log groups,
 * each only when the evidence names exactly one.
 *
 * @example evidencePlatform([{ message: '(service shop-api) has reached a steady state.', source: 'events.txt' }])
 * // → { platform: 'ecs', ecsService: 'shop-api' }
 */
export function evidencePlatform(logs: readonly LogEvent[]): EvidencePlatform {
  let ecs = 0;
  let lambda = 0;
  const seen = new Seen();
  const groups = new Set<string>();
  for (const e of logs) {
    if (!groups.has(e.source)) {
      groups.add(e.source);
      const fn = LAMBDA_GROUP.exec(e.source)?.[1];
      if (fn) seen.add('function', fn);
    }
    const text = e.message.length > 4000 ? e.message.slice(0, 4000) : e.message;
    let isEcs = ECS_GROUP.test(e.source);
    let isLambda = LAMBDA_GROUP.test(e.source);
    const service = ECS_SERVICE_EVENT.exec(text);
    if (service) { isEcs = true; seen.add('ecsService', service[1]); }
    if (ECS_STOP_REASON.test(text)) isEcs = true;
    for (const m of text.matchAll(ECS_CONTAINER_INSTANCE)) { isEcs = true; seen.add('containerInstance', m[1]); }
    for (const m of text.matchAll(ECS_ARN)) {
      isEcs = true;
      seen.add('region', m[1]);
      const parts = m[3]!.split('/');
      if (m[2] === 'cluster') seen.add('ecsCluster', parts[0]);
      else if (parts.length >= 2) {
        seen.add('ecsCluster', parts[0]);
        if (m[2] === 'service') seen.add('ecsService', parts[1]);
        else if (m[2] === 'task') seen.add('task', parts[1]);
      }
    }
    if (LAMBDA_LINE.test(text)) isLambda = true;
    for (const m of text.matchAll(LAMBDA_ARN)) { isLambda = true; seen.add('region', m[1]); seen.add('function', m[2]); }
    if (isEcs) ecs++;
    if (isLambda) lambda++;
  }
  const platform = ecs > lambda ? 'ecs' : lambda > ecs ? 'lambda' : undefined;
  const out: Record<string, string> = {};
  for (const key of ['ecsCluster', 'ecsService', 'task', 'containerInstance', 'function', 'region'] as const) {
    const value = seen.only(key);
    if (value) out[key] = value;
  }
  return platform ? { platform, ...out } : out;
}

/**
 * `host:port` candidates: a host name or IPv4 address, a colon, a port not followed by a digit or
 * by `:` and a digit (`10:00:00`, `app.js:42:13` are not endpoints; Go's `dial tcp 10.0.3.7:5432:
 * connect` is).
 */
const HOST_PORT = /(?<![A-Za-z0-9_.:-])([A-Za-z0-9][A-Za-z0-9.-]{0,252}):(\d{1,5})(?!\d|:\d)/g;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** Source file extensions: `server.py:88` in a stack trace is a file and line, not an endpoint. */
const SOURCE_FILE = /^(?:js|mjs|cjs|jsx|ts|tsx|py|go|java|kt|scala|rb|php|cs|c|cc|cpp|h|hpp|rs|ex|exs|swift|dart|lua|pl|clj|groovy|erl|vb|fs|m|log|txt|json|yaml|yml|conf|cfg|ini|xml|html|sh)$/i;

/** Whether `host` is an IPv4 address or a DNS name (with a letter), and not a file or a timestamp. */
function isHost(host: string): boolean {
  if (IPV4.test(host)) return host.split('.').every((o) => Number(o) <= 255);
  if (!/[A-Za-z]/.test(host) || /^\d{4}-\d{2}-\d{2}T\d{1,2}$/.test(host)) return false;
  const labels = host.split('.');
  if (!labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1]!)) return false;
  return labels.length === 1 || !SOURCE_FILE.test(labels[labels.length - 1]!);
}

/** The endpoint a dependency command should name. */
export interface Endpoint {
  readonly host: string;
  readonly port: string;
  /**
   * The Kubernetes Service the host names, when it is an in-cluster name (`inventory`,
   * `inventory.shop.svc`, `inventory.shop.svc.cluster.local`): its first label.
   */
  readonly hostService?: string;
}

/**
 * The one `host:port` the texts name (a dependency's address in `dial tcp 10.0.3.7:5432: connect:
 * connection refused`, `Get "http://inventory.shop.svc:8080/items"`), compared without case;
 * undefined when they name none or several (but one name with IPv4 addresses on its port is that
 * name: the addresses it resolved to). The DNS server of a failed lookup (`lookup x on
 * 10.100.0.10:53`) does not count: it is not the dependency.
 *
 * @example endpointOf(['dial tcp inventory.shop.svc:8080: connect: connection refused'])
 * // → { host: 'inventory.shop.svc', port: '8080', hostService: 'inventory' }
 */
export function endpointOf(texts: readonly string[]): Endpoint | undefined {
  const found = new Map<string, Endpoint>();
  for (const raw of texts) {
    const text = raw.length > 4000 ? raw.slice(0, 4000) : raw;
    for (const m of text.matchAll(HOST_PORT)) {
      const host = m[1]!;
      const port = m[2]!;
      if (!isHost(host) || Number(port) < 1 || Number(port) > 65535) continue;
      if (port === '53' && / on $/.test(text.slice(Math.max(0, m.index! - 4), m.index!))) continue;
      const key = `${host.toLowerCase()}:${port}`;
      if (found.has(key)) continue;
      const labels = host.split('.');
      const inCluster = !IPV4.test(host) && host.toLowerCase() !== 'localhost' && (labels.length === 1 || labels[2] === 'svc');
      found.set(key, inCluster ? { host, port, hostService: labels[0]! } : { host, port });
      if (found.size > 8) return undefined;
    }
  }
  if (found.size === 1) return [...found.values()][0];
  // Go's `Get "http://inventory.shop.svc:8080/items": dial tcp 10.100.12.7:8080: …` names the
  // host and the address it resolved to: one name with addresses on the same port is that name.
  const named = [...found.values()].filter((e) => !IPV4.test(e.host));
  if (named.length === 1 && [...found.values()].every((e) => e === named[0] || (IPV4.test(e.host) && e.port === named[0]!.port))) return named[0];
  return undefined;
}
