/**
 * Alternatives: when the leading hypothesis rests on a signature or a finding, the next ones are
 * the plausible other readings of the same evidence, with lower confidence, instead of whatever
 * weak symptom happened to co-occur. They come from four sources, strongest first:
 * - **the same lines, read without the lead**: the lead's evidence lines matched again against
 *   the signature catalogue with the lead's category left out (`dial tcp: lookup db on
 *   10.0.0.10:53: i/o timeout` is DNS first, an unreachable dependency second);
 * - **the classifier**: the categories the ops-encoder gives the strongest evidence lines
 *   (its mean probability per category, `classification.ts`), above
 *   {@link WEIGHTS}`.alternatives.modelMinProbability`;
 * - **known confusions**: {@link CONFUSIONS}, the categories whose evidence reads alike
 *   (`dns_resolution` and `dependency_unreachable`; `lb_target_5xx`, `lb_target_timeout` and
 *   `service_no_endpoints`; `ip_exhaustion` and `insufficient_cpu` …), from the category
 *   vocabulary (`shared/spec/categories.md`) and the troubleshooting guides that list one
 *   symptom's several causes (Kubernetes "Debug Services" and "Debug Pods", the ELB "Troubleshoot
 *   your Application Load Balancers" page, the VPC CNI troubleshooting guide);
 * - **failure states**: the other plausible causes of a failure state seen
 *   (`analyze/signatures/states.ts`).
 *
 * Each alternative scores a fraction of the lead's score (`alternatives.*` in `weights.ts`; a generic
 * symptom such as `app_crash` a further `precedence.symptomDiscount`), at most `alternatives.ceiling`
 * (0.29, below the unknown threshold: considered, not established), so it never reaches the lead, and quotes the lead's evidence lines (the lines it is another reading
 * of) or the state line. A category with evidence of its own keeps its own score when higher.
 * Ties keep the source order above, then the table's order: the ranking is deterministic.
 */
import type { Category } from '../../model/categories.js';
import type { FailureStateSeen } from '../../model/analysis.js';
import type { EvidenceRef } from '../../model/evidence.js';
import { COMPUTED_SIGNATURES, SIGNATURES, classifyLine, type ComputedSignature, type Signature } from '../analyze/index.js';
import type { Candidate } from './scoring.js';
import { SYMPTOM_CATEGORIES, emptyCandidate } from './scoring.js';
import type { AlternativeOf, AlternativeSource } from './types.js';
import { WEIGHTS as W } from './weights.js';

export type { AlternativeOf, AlternativeSource } from './types.js';

/**
 * Categories whose evidence reads like each category's, most plausible first. Every category has
 * an entry (the compiler checks it); `unknown` and `alarm_misconfigured` have none.
 */
export const CONFUSIONS: Readonly<Record<Category, readonly Category[]>> = Object.freeze({
  oom_killed: ['memory_pressure_eviction', 'heap_oom', 'node_heap_oom'],
  app_crash: ['app_config_error', 'deploy_regression', 'dependency_unreachable'],
  app_config_error: ['missing_config_reference', 'app_crash', 'deploy_regression'],
  missing_config_reference: ['app_config_error', 'iam_access_denied'],
  image_pull_auth: ['image_not_found', 'iam_access_denied', 'dependency_unreachable'],
  image_not_found: ['image_pull_auth', 'dependency_unreachable'],
  probe_failure: ['app_crash', 'slow_dependency', 'dependency_unreachable'],
  // The scheduler's `Too many pods` is the node's pod limit, which on EKS is the ENI IP limit.
  insufficient_cpu: ['insufficient_memory', 'ip_exhaustion', 'taint_not_tolerated'],
  insufficient_memory: ['insufficient_cpu', 'taint_not_tolerated', 'node_selector_mismatch'],
  taint_not_tolerated: ['node_selector_mismatch', 'node_not_ready', 'insufficient_cpu'],
  node_selector_mismatch: ['taint_not_tolerated', 'volume_zone_conflict', 'insufficient_cpu'],
  volume_zone_conflict: ['pvc_pending', 'node_selector_mismatch'],
  pvc_pending: ['volume_zone_conflict', 'volume_mount_failure', 'iam_access_denied'],
  volume_mount_failure: ['pvc_pending', 'missing_config_reference', 'iam_access_denied'],
  disk_pressure_eviction: ['disk_full', 'memory_pressure_eviction'],
  memory_pressure_eviction: ['oom_killed', 'disk_pressure_eviction'],
  pid_exhaustion: ['fd_exhaustion', 'app_crash'],
  cpu_throttling: ['slow_dependency', 'hpa_at_max', 'probe_failure'],
  quota_exceeded: ['service_quota_exceeded', 'rbac_forbidden'],
  rbac_forbidden: ['iam_access_denied', 'eks_auth_unauthorized'],
  job_failed: ['app_crash', 'app_config_error', 'dependency_unreachable'],
  rollout_stuck: ['probe_failure', 'app_crash', 'insufficient_cpu'],
  hpa_at_max: ['cpu_throttling', 'insufficient_cpu'],
  // A Service with no ready endpoints: pods failing readiness, a selector or port the ingress or
  // load balancer cannot reach (Kubernetes "Debug Services").
  service_no_endpoints: ['probe_failure', 'ingress_misconfigured', 'lb_target_5xx'],
  ingress_misconfigured: ['service_no_endpoints', 'tls_cert_invalid', 'dns_resolution'],
  network_policy_blocked: ['dependency_unreachable', 'dns_resolution'],
  // A name that does not resolve and a host that does not answer read alike (`dial tcp: lookup
  // … i/o timeout`); a wrong host name is configuration.
  dns_resolution: ['dependency_unreachable', 'app_config_error', 'network_policy_blocked'],
  // The scheduler names a down node by its taint (`had untolerated taint {node.kubernetes.io/not-ready}`);
  // a node whose CNI cannot hand out addresses goes NotReady.
  node_not_ready: ['taint_not_tolerated', 'ip_exhaustion', 'eks_auth_unauthorized'],
  eks_auth_unauthorized: ['iam_access_denied', 'credentials_expired', 'rbac_forbidden'],
  // A subnet without free addresses, an instance at its ENI/IP limit, an account quota.
  ip_exhaustion: ['service_quota_exceeded', 'insufficient_cpu', 'node_not_ready'],
  iam_access_denied: ['credentials_expired', 'rbac_forbidden', 'eks_auth_unauthorized'],
  api_throttling: ['service_quota_exceeded', 'lambda_throttling'],
  service_quota_exceeded: ['api_throttling', 'ip_exhaustion', 'quota_exceeded'],
  credentials_expired: ['iam_access_denied', 'eks_auth_unauthorized'],
  lambda_timeout: ['slow_dependency', 'dependency_unreachable', 'lambda_oom'],
  lambda_oom: ['lambda_timeout', 'heap_oom', 'node_heap_oom'],
  lambda_import_error: ['app_config_error', 'app_crash'],
  lambda_throttling: ['api_throttling', 'service_quota_exceeded'],
  heap_oom: ['oom_killed', 'lambda_oom'],
  node_heap_oom: ['oom_killed', 'lambda_oom'],
  db_connection_exhaustion: ['dependency_unreachable', 'slow_dependency', 'deadlock'],
  dependency_unreachable: ['dns_resolution', 'network_policy_blocked', 'service_no_endpoints'],
  tls_cert_expired: ['tls_cert_invalid'],
  tls_cert_invalid: ['tls_cert_expired', 'app_config_error'],
  disk_full: ['disk_pressure_eviction', 'fd_exhaustion'],
  fd_exhaustion: ['pid_exhaustion', 'disk_full'],
  deadlock: ['slow_dependency', 'db_connection_exhaustion'],
  // A 5xx at the load balancer: the target failed, answered too late, or none was there (ELB
  // "Troubleshoot your Application Load Balancers": HTTP 502, 503, 504).
  lb_target_5xx: ['lb_target_timeout', 'service_no_endpoints', 'app_crash'],
  lb_target_timeout: ['slow_dependency', 'lb_target_5xx', 'lambda_timeout'],
  queue_backlog: ['slow_dependency', 'app_crash'],
  deploy_regression: ['app_crash', 'app_config_error'],
  slow_dependency: ['lb_target_timeout', 'deadlock', 'db_connection_exhaustion'],
  alarm_misconfigured: [],
  unknown: [],
});

/** The catalogue without one category (regular and computed signatures), memoised per category. */
const WITHOUT = new Map<Category, { signatures: readonly Signature[]; computed: readonly ComputedSignature[] }>();
function catalogueWithout(category: Category): { signatures: readonly Signature[]; computed: readonly ComputedSignature[] } {
  let entry = WITHOUT.get(category);
  if (!entry) {
    entry = {
      signatures: SIGNATURES.filter((s) => s.category !== category),
      computed: COMPUTED_SIGNATURES.map((s) => ({ id: s.id, evaluate: (line) => s.evaluate(line).filter((v) => v.category !== category) })),
    };
    WITHOUT.set(category, entry);
  }
  return entry;
}

/**
 * The next-best categories the lead's evidence lines name when the lead's own category is left
 * out of the catalogue (each line read as a log line and as a structured line).
 * @returns category → the strongest weight of a signature naming it on those lines.
 */
export function secondReadings(lead: Category, lines: readonly EvidenceRef[]): Map<Category, number> {
  const out = new Map<Category, number>();
  const { signatures, computed } = catalogueWithout(lead);
  for (const ref of lines) {
    for (const kind of ['log', 'describe'] as const) {
      for (const v of classifyLine({ kind, text: ref.text, source: ref.source, line: ref.line }, signatures, computed)) {
        if (v.category === lead || v.category === 'unknown' || v.weight < W.alternatives.signatureMinWeight) continue;
        out.set(v.category, Math.max(out.get(v.category) ?? 0, v.weight));
      }
    }
  }
  return out;
}

/** Options of {@link addAlternatives}. */
export interface AlternativeInput {
  /** The classifier's mean probability per category over the strongest evidence, when it answered. */
  readonly modelScores?: ReadonlyMap<Category, number>;
  /** Failure states seen. */
  readonly states?: readonly FailureStateSeen[];
  /** The lead's evidence lines, strongest first (its quotes). */
  readonly leadEvidence: readonly EvidenceRef[];
}

/**
 * Adds the alternatives of `lead` to `candidates` (see the module comment). A lead derived from a
 * failure state gets only its known confusions (its state's causes already follow it, above them);
 * a lead resting on neither a signature nor a finding gets none.
 * @returns the categories added or raised, in the order of their sources.
 */
export function addAlternatives(candidates: Map<Category, Candidate>, lead: Candidate, input: AlternativeInput): Category[] {
  const A = W.alternatives;
  const quotes = input.leadEvidence.slice(0, A.quotedLines);
  const proposals: Array<{ category: Category; share: number; of: AlternativeOf; evidence: readonly EvidenceRef[] }> = [];
  // A lead derived from a failure state is followed by the state's other causes already; its known
  // confusions come after them (a fraction of a modest score), which matters for a state of one cause.
  if (lead.state) {
    CONFUSIONS[lead.category].forEach((category, i) => {
      proposals.push({ category, share: A.confusion - A.confusionStep * i, of: { lead: lead.category, source: 'confusion' }, evidence: quotes });
    });
    return settle(candidates, lead, proposals);
  }
  if (lead.signatures <= 0 && lead.findings <= 0) return [];
  for (const [category, weight] of secondReadings(lead.category, quotes)) {
    proposals.push({ category, share: A.signature + A.signaturePerWeight * weight, of: { lead: lead.category, source: 'signature' }, evidence: quotes });
  }
  if (input.modelScores) {
    const ranked = [...input.modelScores].filter(([c, p]) => c !== lead.category && c !== 'unknown' && p >= A.modelMinProbability).sort((a, b) => b[1] - a[1]).slice(0, A.modelMax);
    for (const [category, p] of ranked) proposals.push({ category, share: A.model + A.modelPerProbability * p, of: { lead: lead.category, source: 'model', probability: p }, evidence: quotes });
  }
  CONFUSIONS[lead.category].forEach((category, i) => {
    proposals.push({ category, share: A.confusion - A.confusionStep * i, of: { lead: lead.category, source: 'confusion' }, evidence: quotes });
  });
  for (const st of input.states ?? []) {
    st.causes.forEach((category, i) => {
      proposals.push({ category, share: A.state - A.stateStep * i, of: { lead: lead.category, source: 'state', state: st.label }, evidence: [st.evidence, ...(st.more ?? []), ...quotes] });
    });
  }
  return settle(candidates, lead, proposals);
}

/** One score per category: the strongest proposal, plus a little per further source agreeing. */
function settle(
  candidates: Map<Category, Candidate>, lead: Candidate,
  proposals: ReadonlyArray<{ category: Category; share: number; of: AlternativeOf; evidence: readonly EvidenceRef[] }>,
): Category[] {
  const A = W.alternatives;
  const best = new Map<Category, { share: number; of: AlternativeOf; evidence: readonly EvidenceRef[]; sources: Set<AlternativeSource> }>();
  for (const p of proposals) {
    if (p.category === lead.category || p.category === 'unknown') continue;
    const prev = best.get(p.category);
    if (!prev) { best.set(p.category, { share: p.share, of: p.of, evidence: p.evidence, sources: new Set([p.of.source]) }); continue; }
    if (!prev.sources.has(p.of.source)) prev.sources.add(p.of.source);
    if (p.share > prev.share) { prev.share = p.share; prev.of = p.of; prev.evidence = p.evidence; }
  }
  const added: Category[] = [];
  for (const [category, b] of best) {
    // a generic symptom (a stack trace, a restart loop) read on the lead's lines says less than a cause
    const symptom = SYMPTOM_CATEGORIES.has(category) ? W.precedence.symptomDiscount : 1;
    const share = Math.min(A.maxShare, b.share + A.agreement * (b.sources.size - 1)) * symptom;
    // below the unknown threshold: considered, not established by a line of its own
    const score = Math.min(lead.score * share, A.ceiling * (share / A.maxShare));
    let c = candidates.get(category);
    if (!c) { c = emptyCandidate(category); candidates.set(category, c); }
    if (c.evidence.length > 0 && c.score >= score) continue;
    c.score = score;
    c.alternative = b.of;
    for (const ref of b.evidence) c.evidence.push({ ref, weight: A.evidence });
    added.push(category);
  }
  return added;
}
