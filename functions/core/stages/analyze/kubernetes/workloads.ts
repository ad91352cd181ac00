/**
 * Workload analyzers: Pod, Deployment, ReplicaSet, StatefulSet and Job. Each reads the objects of
 * its kind (JSON/YAML as the API returns them: `status.containerStatuses`, `status.conditions`)
 * and the `kubectl describe` blocks of its kind (`State:`/`Last State:`/`Reason:` lines, the
 * `Conditions:` table, `Pods Statuses:`), and checks pod templates statically.
 *
 * Field names: Kubernetes API reference (core/v1 Pod, apps/v1 Deployment, batch/v1 Job).
 */
import type { Category } from '../../../model/categories.js';
import type { CollectedContext, EvidenceRef } from '../../../model/evidence.js';
import type { Finding } from '../../../model/analysis.js';
import { categorizeText } from '../signatures/index.js';
import { checkPodTemplate } from './spec-checks.js';
import {
  blockLines, blockRef, conditionsOf, describeName, describeNamespace, describesOfKind, makeFinding,
  objectRef, objectsOfKind, podTemplates, type KubernetesAnalyzer,
} from './util.js';

/**
 * Restarts from which a CrashLoopBackOff is a crash loop in its own right, whatever the exit code
 * (kubelet's back-off starts at 10 s and doubles: three restarts take about a minute and a half).
 */
export const CRASHLOOP_MIN_RESTARTS = 3;

/**
 * Category of a container waiting/terminated reason, with its message, last exit code and restart
 * count. A CrashLoopBackOff with no more specific message is `app_crash` when the last exit code
 * is non-zero, or when the container restarted {@link CRASHLOOP_MIN_RESTARTS} times or more
 * (a process that keeps exiting, even with code 0, where it should keep running).
 */
function categoryOfReason(reason: string, message = '', exitCode?: number, restarts = 0): Category | undefined {
  switch (reason) {
    case 'OOMKilled': return 'oom_killed';
    case 'CreateContainerConfigError': return categorizeText(message)?.category === 'missing_config_reference' || message === '' ? 'missing_config_reference' : categorizeText(message)?.category;
    case 'ErrImagePull': case 'ImagePullBackOff': case 'InvalidImageName': {
      // The registry's answer decides; a bare back-off points, weakly, to a missing image or tag.
      const c = categorizeText(message)?.category;
      return c === 'image_pull_auth' || c === 'image_not_found' ? c : c ?? 'image_not_found';
    }
    case 'Error': case 'StartError': case 'RunContainerError': case 'ContainerCannotRun':
      return categorizeText(message)?.category ?? 'app_crash';
    case 'CrashLoopBackOff':
      // A restart loop says the container exits, not why: app_crash with a non-zero exit or many restarts.
      return categorizeText(message)?.category
        ?? ((exitCode !== undefined && Number.isFinite(exitCode) && exitCode !== 0) || restarts >= CRASHLOOP_MIN_RESTARTS ? 'app_crash' : undefined);
    case 'Evicted': return categorizeText(message)?.category;
    default: return message ? categorizeText(message)?.category : undefined;
  }
}

/**
 * A CrashLoopBackOff whose last run exited with code 0 and no message names a cause: the process
 * keeps ending where it should keep running, a weaker sign than an error exit (a warning, not critical).
 */
function cleanCrashLoop(reason: string, message: string, exitCode: number | undefined): boolean {
  return reason === 'CrashLoopBackOff' && exitCode === 0 && categorizeText(message) === undefined;
}

const BAD_WAITING = new Set(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName', 'RunContainerError', 'StartError']);

/** Pod objects: container states, scheduling, eviction, readiness. */
function analyzePodObjects(context: CollectedContext): Finding[] {
  const out: Finding[] = [];
  for (const pod of objectsOfKind(context, 'Pod')) {
    const name = pod.metadata?.name;
    const ns = pod.metadata?.namespace;
    const status = pod.status ?? {};
    const statuses: Array<{ s: any; path: string }> = [];
    (Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []).forEach((s: any, i: number) => statuses.push({ s, path: `status.initContainerStatuses[${i}]` }));
    (Array.isArray(status.containerStatuses) ? status.containerStatuses : []).forEach((s: any, i: number) => statuses.push({ s, path: `status.containerStatuses[${i}]` }));
    for (const { s, path } of statuses) {
      const waiting = s?.state?.waiting;
      const last = s?.lastState?.terminated ?? s?.state?.terminated;
      const lastPath = s?.lastState?.terminated ? `${path}.lastState.terminated` : `${path}.state.terminated`;
      if (last?.reason === 'OOMKilled' || (last && Number(last.exitCode) === 137 && last.reason !== 'Completed' && last.reason !== 'Error')) {
        out.push(makeFinding('PodAnalyzer', 'Pod', name, ns, 'critical',
          `container ${s.name} was OOMKilled (exit code ${last.exitCode ?? 137}) after reaching its memory limit; restarts: ${s.restartCount ?? 0}`,
          [objectRef(pod, `${lastPath}.reason`, last.reason ?? 'OOMKilled')], 'oom_killed'));
      } else if (waiting && BAD_WAITING.has(waiting.reason)) {
        const message = String(waiting.message ?? '');
        const specific = categorizeText(message) !== undefined;
        const lastMessage = last ? ` (last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})` : '';
        const generic = (!specific && /ImagePull|ErrImagePull/.test(waiting.reason))
          || cleanCrashLoop(waiting.reason, message, last ? Number(last.exitCode) : undefined);
        out.push(makeFinding('PodAnalyzer', 'Pod', name, ns, generic ? 'warning' : 'critical',
          `container ${s.name} is waiting: ${waiting.reason}${message ? ` — ${message}` : ''}${lastMessage}; restarts: ${s.restartCount ?? 0}`,
          [objectRef(pod, `${path}.state.waiting`, message ? { reason: waiting.reason, message } : { reason: waiting.reason })],
          categoryOfReason(waiting.reason, `${message} ${last?.message ?? ''}`.trim(), last ? Number(last.exitCode) : undefined, Number(s.restartCount ?? 0))));
      } else if (last && Number(last.exitCode) !== 0 && ((s.restartCount ?? 0) > 0 || status.phase === 'Failed')) {
        out.push(makeFinding('PodAnalyzer', 'Pod', name, ns, 'warning',
          `container ${s.name} terminated with exit code ${last.exitCode} (${last.reason ?? 'Error'})${(s.restartCount ?? 0) > 0 ? ` and restarted ${s.restartCount} times` : `; pod phase ${status.phase}`}`,
          [objectRef(pod, `${lastPath}.exitCode`, last.exitCode)], categoryOfReason(last.reason ?? 'Error', String(last.message ?? ''))));
      }
    }
    if (status.reason === 'Evicted') {
      out.push(makeFinding('PodAnalyzer', 'Pod', name, ns, 'critical', `pod was evicted: ${status.message ?? ''}`.trim(),
        [objectRef(pod, 'status.message', status.message ?? 'Evicted')], categorizeText(String(status.message ?? ''))?.category));
    }
    for (const c of conditionsOf(pod)) {
      if (c.type === 'PodScheduled' && c.status === 'False') {
        out.push(makeFinding('PodAnalyzer', 'Pod', name, ns, 'critical', `pod cannot be scheduled: ${c.message ?? c.reason ?? ''}`.trim(),
          [objectRef(pod, 'status.conditions[PodScheduled].message', c.message ?? c.reason ?? '')], categorizeText(String(c.message ?? ''))?.category));
      }
    }
    const ready = conditionsOf(pod).find((c) => c.type === 'Ready');
    const allRunning = statuses.length > 0 && statuses.filter((x) => !x.path.includes('init')).every((x) => x.s?.state?.running);
    const hasReadiness = (pod.spec?.containers ?? []).some((c: any) => c?.readinessProbe);
    if (ready?.status === 'False' && allRunning && hasReadiness) {
      out.push(makeFinding('PodAnalyzer', 'Pod', name, ns, 'warning', 'containers are running but the pod is not Ready: its readiness probe is failing',
        [objectRef(pod, 'status.conditions[Ready]', { status: 'False', reason: ready.reason ?? '' })], 'probe_failure'));
    }
  }
  return out;
}

/** Pod describe blocks. */
function analyzePodDescribes(context: CollectedContext): Finding[] {
  const out: Finding[] = [];
  for (const block of describesOfKind(context, 'Pod')) {
    const name = describeName(block);
    const ns = describeNamespace(block);
    for (const c of block.containers ?? []) {
      const oom = c.reasons.find((r) => r.reason === 'OOMKilled');
      const waiting = c.reasons.find((r) => r.which === 'state' && BAD_WAITING.has(r.reason));
      const evidence: EvidenceRef[] = [];
      if (oom) {
        evidence.push(blockRef(block, oom.row));
        if (c.exit) evidence.push(blockRef(block, c.exit.row));
        if (waiting) evidence.push(blockRef(block, waiting.row));
        out.push(makeFinding('PodAnalyzer', 'Pod', name, ns, 'critical',
          `container ${c.name} was OOMKilled (exit code ${c.exit?.code ?? 137})${waiting ? ` and is in ${waiting.reason}` : ''}; restarts: ${c.restarts ?? 0}`,
          evidence, 'oom_killed'));
        continue;
      }
      if (waiting) {
        const lastReason = c.reasons.find((r) => r.which === 'last');
        evidence.push(blockRef(block, waiting.row));
        if (lastReason) evidence.push(blockRef(block, lastReason.row));
        if (c.exit) evidence.push(blockRef(block, c.exit.row));
        const detail = c.message ? ` — ${c.message}` : '';
        const generic = (/ImagePull/.test(waiting.reason) && categorizeText(c.message ?? '') === undefined)
          || cleanCrashLoop(waiting.reason, c.message ?? '', c.exit?.code);
        out.push(makeFinding('PodAnalyzer', 'Pod', name, ns, generic ? 'warning' : 'critical',
          `container ${c.name} is waiting: ${waiting.reason}${detail}${c.exit ? ` (last exit code ${c.exit.code})` : ''}; restarts: ${c.restarts ?? 0}`,
          evidence, categoryOfReason(waiting.reason, c.message ?? '', c.exit?.code, c.restarts ?? 0)));
        continue;
      }
      if (c.exit && c.exit.code !== 0 && c.state === 'Terminated') {
        out.push(makeFinding('PodAnalyzer', 'Pod', name, ns, 'warning',
          `container ${c.name} terminated with exit code ${c.exit.code}`, [blockRef(block, c.exit.row)]));
      }
    }
    const rows = blockLines(block);
    const status = rows.find((r) => /^Status:\s+(Pending|Failed|Unknown)\b/.test(r.text));
    if (status && !out.some((f) => f.name === name && f.kind === 'Pod' && f.severity === 'critical')) {
      out.push(makeFinding('PodAnalyzer', 'Pod', name, ns, 'warning', `pod is ${/Status:\s+(\w+)/.exec(status.text)![1]}`, [blockRef(block, status)]));
    }
    const reason = rows.find((r) => /^Reason:\s+Evicted\b/.test(r.text));
    const message = rows.find((r) => /^Message:\s+/.test(r.text));
    if (reason) {
      out.push(makeFinding('PodAnalyzer', 'Pod', name, ns, 'critical', `pod was evicted${message ? `: ${message.text.replace(/^Message:\s+/, '')}` : ''}`,
        [blockRef(block, reason), ...(message ? [blockRef(block, message)] : [])], message ? categorizeText(message.text)?.category : undefined));
    }
  }
  return out;
}

/** Static template checks of workloads of the given kinds. */
function templateFindings(analyzer: string, kinds: readonly string[], context: CollectedContext): Finding[] {
  return podTemplates(context, kinds).flatMap((t) => checkPodTemplate(analyzer, t, context));
}

export const PodAnalyzer: KubernetesAnalyzer = {
  name: 'PodAnalyzer',
  kinds: ['Pod'],
  analyze: (context) => [...analyzePodObjects(context), ...analyzePodDescribes(context), ...templateFindings('PodAnalyzer', ['Pod'], context)],
};

/** Deployment: progress deadline, availability, replica failures. */
export const DeploymentAnalyzer: KubernetesAnalyzer = {
  name: 'DeploymentAnalyzer',
  kinds: ['Deployment'],
  analyze(context) {
    const out: Finding[] = [];
    for (const d of objectsOfKind(context, 'Deployment')) {
      const name = d.metadata?.name;
      const ns = d.metadata?.namespace;
      for (const c of conditionsOf(d)) {
        if (c.type === 'Progressing' && c.status === 'False') {
          out.push(makeFinding('DeploymentAnalyzer', 'Deployment', name, ns, 'critical', `rollout is not progressing: ${c.reason ?? ''} ${c.message ?? ''}`.trim(),
            [objectRef(d, 'status.conditions[Progressing]', { status: c.status, reason: c.reason })], 'rollout_stuck'));
        }
        if (c.type === 'ReplicaFailure' && c.status === 'True') {
          out.push(makeFinding('DeploymentAnalyzer', 'Deployment', name, ns, 'critical', `replica creation fails: ${c.message ?? c.reason ?? ''}`,
            [objectRef(d, 'status.conditions[ReplicaFailure].message', c.message ?? c.reason ?? '')], categorizeText(String(c.message ?? ''))?.category));
        }
      }
      const want = Number(d.spec?.replicas ?? 1);
      const available = Number(d.status?.availableReplicas ?? 0);
      if (d.status && want > available) {
        out.push(makeFinding('DeploymentAnalyzer', 'Deployment', name, ns, 'warning', `${available} of ${want} replicas are available`,
          [objectRef(d, 'status.availableReplicas', available)]));
      }
    }
    for (const block of describesOfKind(context, 'Deployment')) {
      const name = describeName(block);
      const ns = describeNamespace(block);
      for (const row of blockLines(block)) {
        if (/^\s+Progressing\s+False\s+/.test(row.text)) {
          out.push(makeFinding('DeploymentAnalyzer', 'Deployment', name, ns, 'critical', `rollout is not progressing (${row.text.trim().split(/\s+/).slice(2).join(' ')})`, [blockRef(block, row)], 'rollout_stuck'));
        } else if (/^\s+ReplicaFailure\s+True\s+/.test(row.text)) {
          out.push(makeFinding('DeploymentAnalyzer', 'Deployment', name, ns, 'critical', 'replica creation fails', [blockRef(block, row)]));
        } else if (/^Replicas:.*\b([1-9]\d*) unavailable/.test(row.text)) {
          out.push(makeFinding('DeploymentAnalyzer', 'Deployment', name, ns, 'warning', `replicas unavailable: ${row.text.replace(/^Replicas:\s+/, '')}`, [blockRef(block, row)]));
        }
      }
    }
    return [...out, ...templateFindings('DeploymentAnalyzer', ['Deployment'], context)];
  },
};

/** ReplicaSet: replica failures (quota, admission), missing replicas. */
export const ReplicaSetAnalyzer: KubernetesAnalyzer = {
  name: 'ReplicaSetAnalyzer',
  kinds: ['ReplicaSet'],
  analyze(context) {
    const out: Finding[] = [];
    for (const rs of objectsOfKind(context, 'ReplicaSet')) {
      for (const c of conditionsOf(rs)) {
        if (c.type === 'ReplicaFailure' && c.status === 'True') {
          out.push(makeFinding('ReplicaSetAnalyzer', 'ReplicaSet', rs.metadata?.name, rs.metadata?.namespace, 'critical', `replica creation fails: ${c.message ?? c.reason ?? ''}`,
            [objectRef(rs, 'status.conditions[ReplicaFailure].message', c.message ?? c.reason ?? '')], categorizeText(String(c.message ?? ''))?.category));
        }
      }
      const want = Number(rs.spec?.replicas ?? 0);
      const have = Number(rs.status?.readyReplicas ?? 0);
      if (rs.status && want > have) {
        out.push(makeFinding('ReplicaSetAnalyzer', 'ReplicaSet', rs.metadata?.name, rs.metadata?.namespace, 'warning', `${have} of ${want} replicas are ready`,
          [objectRef(rs, 'status.readyReplicas', have)]));
      }
    }
    for (const block of describesOfKind(context, 'ReplicaSet')) {
      for (const row of blockLines(block)) {
        if (/^\s+ReplicaFailure\s+True\s+/.test(row.text)) {
          out.push(makeFinding('ReplicaSetAnalyzer', 'ReplicaSet', describeName(block), describeNamespace(block), 'critical', 'replica creation fails', [blockRef(block, row)]));
        }
      }
    }
    return [...out, ...templateFindings('ReplicaSetAnalyzer', ['ReplicaSet'], context)];
  },
};

/** StatefulSet: ready replicas, static template checks. */
export const StatefulSetAnalyzer: KubernetesAnalyzer = {
  name: 'StatefulSetAnalyzer',
  kinds: ['StatefulSet'],
  analyze(context) {
    const out: Finding[] = [];
    for (const s of objectsOfKind(context, 'StatefulSet')) {
      const want = Number(s.spec?.replicas ?? 1);
      const ready = Number(s.status?.readyReplicas ?? 0);
      if (s.status && want > ready) {
        out.push(makeFinding('StatefulSetAnalyzer', 'StatefulSet', s.metadata?.name, s.metadata?.namespace, 'warning', `${ready} of ${want} replicas are ready`,
          [objectRef(s, 'status.readyReplicas', ready)]));
      }
    }
    for (const block of describesOfKind(context, 'StatefulSet')) {
      for (const row of blockLines(block)) {
        const m = /^Pods Status:\s+(\d+) Running \/ (\d+) Waiting \/ \d+ Succeeded \/ (\d+) Failed/.exec(row.text);
        if (m && (Number(m[2]) > 0 || Number(m[3]) > 0)) {
          out.push(makeFinding('StatefulSetAnalyzer', 'StatefulSet', describeName(block), describeNamespace(block), 'warning', `pods not running: ${row.text.replace(/^Pods Status:\s+/, '')}`, [blockRef(block, row)]));
        }
      }
    }
    return [...out, ...templateFindings('StatefulSetAnalyzer', ['StatefulSet', 'DaemonSet'], context)];
  },
};

/** Job: failed condition, failures beyond the backoff limit. */
export const JobAnalyzer: KubernetesAnalyzer = {
  name: 'JobAnalyzer',
  kinds: ['Job', 'CronJob'],
  analyze(context) {
    const out: Finding[] = [];
    for (const job of objectsOfKind(context, 'Job')) {
      const name = job.metadata?.name;
      const ns = job.metadata?.namespace;
      const failedCondition = conditionsOf(job).find((c) => c.type === 'Failed' && c.status === 'True');
      const failed = Number(job.status?.failed ?? 0);
      const limit = Number(job.spec?.backoffLimit ?? 6);
      if (failedCondition) {
        out.push(makeFinding('JobAnalyzer', 'Job', name, ns, 'critical', `job failed: ${failedCondition.reason ?? ''} ${failedCondition.message ?? ''} (${failed} failed pods, backoffLimit ${limit})`.trim(),
          [objectRef(job, 'status.conditions[Failed]', failedCondition.reason ? { status: 'True', reason: failedCondition.reason, ...(failedCondition.message ? { message: failedCondition.message } : {}) } : 'True')], 'job_failed'));
      } else if (failed > limit) {
        out.push(makeFinding('JobAnalyzer', 'Job', name, ns, 'critical', `${failed} pods failed, more than the backoffLimit ${limit}`,
          [objectRef(job, 'status.failed', failed)], 'job_failed'));
      } else if (failed > 0) {
        out.push(makeFinding('JobAnalyzer', 'Job', name, ns, 'warning', `${failed} pod(s) failed (backoffLimit ${limit})`, [objectRef(job, 'status.failed', failed)]));
      }
    }
    for (const block of describesOfKind(context, 'Job')) {
      const rows = blockLines(block);
      const limitRow = rows.find((r) => /^Backoff Limit:\s+\d+/.test(r.text));
      const statusRow = rows.find((r) => /^Pods Statuses:.*\/\s*(\d+) Failed/.test(r.text));
      if (!statusRow) continue;
      const failed = Number(/(?<!\d)(\d+) Failed/.exec(statusRow.text)![1]);
      const active = Number(/(?<!\d)(\d+) Active/.exec(statusRow.text)?.[1] ?? 0);
      const limit = limitRow ? Number(/(\d+)/.exec(limitRow.text)![1]) : 6;
      if (failed > limit && active === 0) {
        out.push(makeFinding('JobAnalyzer', 'Job', describeName(block), describeNamespace(block), 'critical', `${failed} pods failed, more than the backoff limit ${limit}: the job failed`,
          [blockRef(block, statusRow), ...(limitRow ? [blockRef(block, limitRow)] : [])], 'job_failed'));
      } else if (failed > 0) {
        out.push(makeFinding('JobAnalyzer', 'Job', describeName(block), describeNamespace(block), 'warning', `${failed} pod(s) failed (backoff limit ${limit})`, [blockRef(block, statusRow)]));
      }
    }
    return [...out, ...templateFindings('JobAnalyzer', ['Job', 'CronJob'], context)];
  },
};
