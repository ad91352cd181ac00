/**
 * Failure states: what the evidence shows is wrong when no line names why. A state is a symptom
 * with a known set of plausible causes, in the order they most often produce it (Kubernetes
 * "Debug Pods" and "Debug Running Pods" task pages, the ECS and Lambda troubleshooting guides,
 * k8sgpt's analyzers). The infer stage ranks those causes with modest confidence, each quoting
 * the state line, instead of answering a bare `unknown` when a failure is plainly visible.
 *
 * States are read from the prose lines and from the columns and brackets that carry them
 * (`kubectl get pods` STATUS such as `Init:CrashLoopBackOff` or `Evicted`, events tables' REASON).
 * Boilerplate is not a state: probe and resource definitions, tolerations, command lines.
 */
import type { Category } from '../../../model/categories.js';
import type { CollectedContext } from '../../../model/evidence.js';
import type { Incident } from '../../../model/incident.js';
import type { EvidenceRef } from '../../../model/evidence.js';
import { isHandled } from './benign.js';
import { prefilterOf, PREFILTER_MIN_LINES } from './prefilter.js';
import { contextEvidenceLines, forEachLogRow, incidentLines, refOf } from './lines.js';

/** One kind of failure state. */
export interface FailureState {
  readonly id: string;
  /** What the state is, in words, for summaries ("a container restarting in a loop"). */
  readonly label: string;
  readonly pattern: RegExp;
  /** Plausible causes, most frequent first. */
  readonly causes: readonly Category[];
}

/** A state seen on a line. */
export interface FailureStateMatch {
  readonly state: FailureState;
  /** The first line showing it. */
  readonly evidence: EvidenceRef;
  /** Up to {@link MORE_STATE_LINES} further distinct lines showing it (a later line is often the more specific one). */
  readonly more: EvidenceRef[];
}

/** Further lines kept per state, beyond the first. */
export const MORE_STATE_LINES = 2;

/** Definitions and settings, not events: never a state. */
const BOILERPLATE = /^\s*(?:Liveness|Readiness|Startup|Tolerations|Node-Selectors|Limits|Requests|Args|Command|Environment|Mounts|Annotations|Labels|Image|Port|Host Port|QoS Class|Conditions|Volumes|Type|Events):\s|\b(?:timeout|period|delay|failure|success)=\d|#(?:success|failure)=\d|^\s*(?:-\s)?(?:timeout|timeoutSeconds|failureThreshold|periodSeconds)\s*[:=]/;

/** The states, most specific first. */
export const FAILURE_STATES: readonly FailureState[] = [
  { id: 'k8s.create-config', label: 'a container that cannot be created (CreateContainerConfigError)', pattern: /\bCreateContainer(?:Config)?Error\b/, causes: ['missing_config_reference', 'app_config_error'] },
  { id: 'k8s.image-pull', label: 'an image that cannot be pulled (ErrImagePull / ImagePullBackOff)', pattern: /\bErrImagePull\b|\bImagePullBackOff\b|Back-off pulling image|Failed to pull image|CannotPullContainerError/, causes: ['image_not_found', 'image_pull_auth', 'dependency_unreachable'] },
  { id: 'k8s.init', label: 'an init container failing', pattern: /\bInit:(?:CrashLoopBackOff|Error|\d+\/\d+)\b/, causes: ['app_crash', 'dependency_unreachable', 'app_config_error'] },
  { id: 'k8s.evicted', label: 'evicted pods', pattern: /\bEvicted\b|\bThe node was low on resource\b/, causes: ['memory_pressure_eviction', 'disk_pressure_eviction'] },
  { id: 'k8s.crashloop', label: 'a container restarting in a loop (CrashLoopBackOff)', pattern: /\bCrashLoopBackOff\b|Back-off restarting failed container/, causes: ['app_crash', 'app_config_error', 'oom_killed', 'probe_failure', 'missing_config_reference'] },
  { id: 'k8s.scheduling', label: 'a pod that cannot be scheduled (Pending)', pattern: /\bFailedScheduling\b|\b0\/\d+ nodes are available\b|^\S+\s+0\/\d+\s+Pending\b/, causes: ['insufficient_cpu', 'insufficient_memory', 'pvc_pending', 'node_selector_mismatch', 'taint_not_tolerated'] },
  { id: 'k8s.not-ready', label: 'a node that is NotReady', pattern: /^\S+\s+NotReady\b|\bReady\s+(?:False|Unknown)\s+.{0,80}Kubelet|\bNodeNotReady\b/, causes: ['node_not_ready'] },
  { id: 'k8s.exit-nonzero', label: 'a container exiting with an error', pattern: /\bExit Code:\s+[1-9]\d{0,2}\b|\bexited with (?:code|status) [1-9]\d{0,2}\b|\bexit status [1-9]\d{0,2}\b|\bReason:\s+Error\b/, causes: ['app_crash', 'app_config_error', 'dependency_unreachable'] },
  { id: 'k8s.rollout', label: 'a Deployment without minimum availability', pattern: /does not have minimum availability|\bMinimumReplicasUnavailable\b|\bunavailable replicas?\b/i, causes: ['rollout_stuck', 'app_crash', 'probe_failure'] },
  { id: 'k8s.job', label: 'a failed Job', pattern: /\bJob has failed\b|\bJob failed\b|\bBackoffLimit\b|\bFailed\s+\d+\s*$/, causes: ['job_failed', 'app_crash'] },
  { id: 'ecs.deployment', label: 'an ECS deployment that failed or rolled back', pattern: /Circuit Breaker was triggered|deployment failed: tasks failed to start|is unable to consistently start tasks successfully|SERVICE_DEPLOYMENT_FAILED|rolling back to/i, causes: ['rollout_stuck', 'app_crash', 'probe_failure', 'deploy_regression', 'app_config_error'] },
  // No instance at all in the cluster or capacity provider (ECS "Service event messages": `No Container
  // Instances were found in your cluster`): the Auto Scaling group launched none (an account or Spot
  // quota, capacity) or they never registered (the agent), before any shortage of CPU or memory.
  { id: 'ecs.no-instances', label: 'an ECS cluster or capacity provider with no container instances', pattern: /No Container Instances were found in your (?:cluster|capacity provider)/i, causes: ['service_quota_exceeded', 'node_not_ready', 'insufficient_cpu'] },
  { id: 'ecs.placement', label: 'tasks that cannot be placed', pattern: /was unable to place a task|No Container Instances were found|RESOURCE:(?:CPU|MEMORY)|no container instance met all of its requirements/i, causes: ['insufficient_memory', 'insufficient_cpu', 'service_quota_exceeded'] },
  { id: 'lambda.error', label: 'a Lambda function failing', pattern: /"errorType":\s?"|(?<![\w.])Runtime\.\w{3,40}\b|\bStatus: error\b|Unhandled Promise Rejection|\bInvoke Error\b/, causes: ['app_crash', 'lambda_import_error', 'dependency_unreachable', 'lambda_timeout'] },
  { id: 'unhealthy', label: 'failing health checks', pattern: /\bunhealthy\b|health ?checks? (?:failed|failing)|\bUnHealthyHost/i, causes: ['probe_failure', 'app_crash', 'dependency_unreachable'] },
  { id: 'forbidden', label: 'requests refused as forbidden', pattern: /\bforbidden\b|\b403 Forbidden\b|\bPermission denied\b/i, causes: ['rbac_forbidden', 'iam_access_denied'] },
  { id: 'http-5xx', label: 'server errors (HTTP 5xx)', pattern: /\b(?:HTTP\/\d(?:\.\d)?"? |status[=:]\s?"?|" )50[0-4]\b|\b50[2-4] (?:Bad Gateway|Service Unavailable|Gateway Time-?out)\b|\b500 Internal Server Error\b/, causes: ['lb_target_5xx', 'app_crash', 'dependency_unreachable'] },
  // A 404 a person shows with curl (`< HTTP/1.1 404 Not Found` in -v output, the status line of -i,
  // Go net/http's `404 page not found` body): a path the server does not serve, a route or a probe
  // pointing at the wrong path, or the wrong configuration. Access-log 404s (scanners) are not it.
  { id: 'http-404', label: 'a request answered 404 Not Found', pattern: /^<\s?HTTP\/[\d.]{1,3} 404\b|^HTTP\/[\d.]{1,3} 404 Not Found\s*$|^404 page not found\s*$/, causes: ['ingress_misconfigured', 'probe_failure', 'app_config_error'] },
  { id: 'timeout', label: 'calls timing out', pattern: /\btimed out\b|\btimeout\b|\bdeadline exceeded\b|\bDeadlineExceeded\b|\bTimeoutError\b/i, causes: ['dependency_unreachable', 'slow_dependency', 'lb_target_timeout'] },
  { id: 'crash', label: 'the application failing with an exception or panic', pattern: /^(?:Exception in thread|Traceback \(most recent call last\)|panic: |fatal error: |Unhandled exception|Uncaught )|\b[A-Z][A-Za-z]{2,60}(?:Exception|Error): |^\s+at [\w$.<>]{3,200}\(|\bFATAL\b|\bSegmentation fault\b/, causes: ['app_crash', 'app_config_error', 'deploy_regression'] },
];

/** Lines skipped: benign words that look like states (exceptions the application handled: `benign.ts`). */
const NOT_A_FAILURE = /\b(?:0 failed|no errors?|without errors?|succeeded|successfully|healthy: true|Ready\s+True)\b/i;
/** A configuration directive (nginx `proxy_read_timeout 60s;`, `proxy_next_upstream error timeout http_502;`): a setting, not an event. */
const DIRECTIVE = /^\s{0,40}[a-z][a-z0-9_]{2,60}(?:\s{1,10}[^\s;:{}#][^;{}#]{0,400})?;\s{0,10}(?:#.{0,200})?$/;
/**
 * Settings, not events: a timeout, deadline or error count written as a key with a value anywhere
 * on the line (`spring.datasource.hikari.connection-timeout=30000`, `"timeout": "30s"`,
 * `zookeeper.connection.timeout.ms=18000`, `errors: 0`, `failed=0`).
 */
const SETTING = /(?:time-?out|deadline)[\w.-]{0,30}"?\s{0,3}[:=]\s{0,3}"?\d|\b(?:errors?|failed|failures?|timeouts?)"?\s{0,3}[:=]\s{0,3}"?0\b/i;
/**
 * A line logged at DEBUG or TRACE reports something the application handled (an exception caught
 * and logged for diagnosis), not a failure state. The level is read where loggers write it: a
 * level word near the start, `level=debug`, `"level":"debug"`.
 */
const LOW_LEVEL = /^.{0,80}?(?:[\s[|](?:DEBUG|TRACE|debug|trace)[\]:\s]|\blevel=(?:debug|trace)\b|"(?:level|severity)":\s?"(?:debug|trace|DEBUG|TRACE)")/;

/**
 * The failure states the evidence shows, one match per state (its first line, and up to
 * {@link MORE_STATE_LINES} further distinct lines), most specific state first. Linear: one pass
 * over the lines, each pattern bounded.
 */
export function matchFailureStates(context: CollectedContext, incident?: Incident, maxLines = 5_000_000): FailureStateMatch[] {
  const found = new Map<string, FailureStateMatch>();
  const { structured } = contextEvidenceLines(context);
  const prefilter = structured.length + context.logs.length >= PREFILTER_MIN_LINES ? prefilterOf(FAILURE_STATES) : undefined;
  let n = 0;
  let full = 0;
  let done = false;
  // the states a line shows; its evidence reference is built only when one does
  const visit = (text: string, ref: () => EvidenceRef): void => {
    if (done || ++n > maxLines || full === FAILURE_STATES.length) {
      done = true;
      return;
    }
    if (text.length > 4000) return;
    // only the states whose required literals (read from their patterns) the line holds
    const candidates = prefilter ? prefilter.candidates(text) : FAILURE_STATES;
    if (candidates.length === 0 || BOILERPLATE.test(text) || NOT_A_FAILURE.test(text) || LOW_LEVEL.test(text) || DIRECTIVE.test(text) || isHandled(text)) return;
    // a setting on a line with no other state in it is configuration, not an event
    if (SETTING.test(text)) {
      const rest = text.replace(new RegExp(SETTING.source, 'gi'), ' ');
      if (!candidates.some((state) => state.pattern.test(rest))) return;
    }
    for (const state of candidates) {
      const seen = found.get(state.id);
      if ((seen && seen.more.length >= MORE_STATE_LINES) || !state.pattern.test(text)) continue;
      if (!seen) {
        found.set(state.id, { state, evidence: ref(), more: [] });
        continue;
      }
      const trimmed = text.trim();
      if (seen.evidence.text.trim() === trimmed || seen.more.some((r) => r.text.trim() === trimmed)) continue;
      seen.more.push(ref());
      if (seen.more.length === MORE_STATE_LINES) full++;
    }
  };
  for (const line of structured) visit(line.text, () => refOf(line));
  forEachLogRow(context.logs, (text, source, line) => visit(text, () => refOf({ text, source, line })));
  for (const line of incidentLines(incident)) visit(line.text, () => refOf(line));
  return FAILURE_STATES.filter((s) => found.has(s.id)).map((s) => found.get(s.id)!);
}
