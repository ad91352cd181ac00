/**
 * Readers for Amazon ECS EventBridge events. Source: Amazon ECS Developer Guide, "Amazon ECS
 * events" (task state change, container instance state change, service action, deployment state
 * change) and "Amazon ECS stopped task error messages" (stop codes, stopped reasons).
 */
import type { ResourceRef, Severity } from '../../model/incident.js';
import type { IncidentDraft } from './draft.js';
import { hintFromEcsServiceAction, hintFromText } from './hints.js';
import { arr, firstTime, isObject, num, parseArn, resourceFromArn, str, type JsonObject } from './util.js';
import type { Envelope } from './envelope.js';

/** `arn:aws:ecs:…:cluster/default` → `default`. */
function clusterName(clusterArn: unknown): string | undefined {
  const arn = parseArn(clusterArn);
  if (arn) return arn.resource.replace(/^cluster\//, '');
  return str(clusterArn);
}

function clusterResource(clusterArn: unknown): ResourceRef[] {
  const name = clusterName(clusterArn);
  const arn = parseArn(clusterArn);
  return name ? [{ type: 'AWS::ECS::Cluster', name, ...(arn ? { arn: arn.arn } : {}) }] : [];
}

/** EventBridge `ECS Task State Change`. */
export function fromEcsTaskStateChange(env: Envelope, detail: JsonObject): IncidentDraft {
  const cluster = clusterName(detail['clusterArn']);
  const taskArn = str(detail['taskArn']) ?? env.resources.find((r) => r.includes(':task/'));
  const task = taskArn ? resourceFromArn(taskArn) : undefined;
  const group = str(detail['group']);
  const lastStatus = str(detail['lastStatus']);
  const stopCode = str(detail['stopCode']);
  const stoppedReason = str(detail['stoppedReason']);
  const containers = arr(detail['containers']).filter(isObject);
  const containerLines: string[] = [];
  let nonZeroExit = false;
  let zeroExitOnly = containers.length > 0;
  for (const c of containers) {
    const exitCode = num(c['exitCode']);
    const reason = str(c['reason']);
    if (exitCode !== undefined && exitCode !== 0) nonZeroExit = true;
    if (exitCode === undefined || exitCode !== 0) zeroExitOnly = false;
    if (reason || exitCode !== undefined) {
      containerLines.push(`container ${str(c['name']) ?? '?'}: ${[reason, exitCode !== undefined ? `exit code ${exitCode}` : undefined].filter(Boolean).join(', ')}`);
    }
  }
  const containerReasons = containers.map((c) => str(c['reason']));
  const hint = hintFromText(stoppedReason, ...containerReasons);
  const stopped = lastStatus === 'STOPPED' || lastStatus === 'DEPROVISIONING' || lastStatus === 'STOPPING';
  let severity: Severity = 'info';
  if (stopped) {
    if (hint || stopCode === 'TaskFailedToStart' || (stopCode === 'EssentialContainerExited' && nonZeroExit)) severity = 'high';
    else if (stopCode === 'UserInitiated' || zeroExitOnly) severity = 'low';
    else if (stopCode === 'SpotInterruption' || stopCode === 'TerminationNotice' || stopCode === 'ServiceSchedulerInitiated') severity = 'medium';
    else severity = nonZeroExit ? 'high' : 'medium';
  }
  const resources: ResourceRef[] = [...clusterResource(detail['clusterArn'])];
  if (task) resources.push({ ...task, ...(cluster ? { cluster } : {}) });
  if (group?.startsWith('service:')) resources.push({ type: 'AWS::ECS::Service', name: group.slice('service:'.length), ...(cluster ? { cluster } : {}) });
  const instance = str(detail['containerInstanceArn']);
  if (instance) resources.push(resourceFromArn(instance) ?? { type: 'AWS::ECS::ContainerInstance', name: instance });
  const labels: Record<string, string> = {};
  for (const key of ['group', 'launchType', 'stopCode', 'availabilityZone', 'desiredStatus', 'startedBy'] as const) {
    const value = str(detail[key]);
    if (value) labels[key] = value;
  }
  const taskDefinition = resourceFromArn(str(detail['taskDefinitionArn']) ?? '');
  if (taskDefinition) labels['taskDefinition'] = taskDefinition.name;
  const evidence = [stoppedReason, ...containerLines].filter((t): t is string => Boolean(t));
  const subject = group ?? task?.name ?? 'task';
  return {
    idSeed: env.idSeed,
    source: 'ecs',
    title: `${env.detailType}: ${subject} ${lastStatus ?? ''}${stopCode ? ` (${stopCode})` : ''}`.trim(),
    severity,
    occurredAtMs: stopped ? firstTime(detail['stoppedAt'], detail['stoppingAt'], detail['executionStoppedAt'], env.time) : firstTime(detail['updatedAt'], env.time),
    state: lastStatus,
    reason: [stoppedReason, ...containerLines].filter(Boolean).join('; ') || undefined,
    region: env.region,
    accountId: env.accountId,
    resources,
    cluster,
    labels,
    inlineEvidence: evidence.length > 0 ? evidence : undefined,
    hintedCategory: stopped ? hint : undefined,
  };
}

/** EventBridge `ECS Service Action` (`SERVICE_TASK_PLACEMENT_FAILURE`, `SERVICE_STEADY_STATE`, …). */
export function fromEcsServiceAction(env: Envelope, detail: JsonObject): IncidentDraft {
  const eventType = str(detail['eventType']);
  const eventName = str(detail['eventName']);
  const reason = str(detail['reason']);
  const cluster = clusterName(detail['clusterArn']);
  const services = env.resources.map(resourceFromArn).filter((r): r is ResourceRef => r?.type === 'AWS::ECS::Service');
  const resources: ResourceRef[] = [...clusterResource(detail['clusterArn']), ...services.map((s) => ({ ...s, ...(cluster ? { cluster } : {}) }))];
  for (const arn of [...arr(detail['capacityProviderArns']), ...arr(detail['containerInstanceArns'])]) {
    const r = typeof arn === 'string' ? resourceFromArn(arn) : undefined;
    if (r) resources.push(r);
  }
  const severity: Severity = eventType === 'ERROR' ? 'high' : eventType === 'WARN' ? 'medium' : 'info';
  const line = eventName ? `${eventName}${reason ? `: ${reason}` : ''}` : reason;
  return {
    idSeed: env.idSeed,
    source: 'ecs',
    title: `${env.detailType}: ${services[0]?.name ?? cluster ?? 'service'} ${eventName ?? ''}`.trim(),
    severity,
    occurredAtMs: firstTime(env.time, detail['createdAt']),
    state: eventName,
    reason,
    region: env.region,
    accountId: env.accountId,
    resources,
    cluster,
    labels: { ...(eventType ? { eventType } : {}) },
    inlineEvidence: line && severity !== 'info' ? [line] : undefined,
    hintedCategory: hintFromEcsServiceAction(eventName, reason),
  };
}

/** EventBridge `ECS Deployment State Change` (`SERVICE_DEPLOYMENT_FAILED` → `deploy_regression` hint). */
export function fromEcsDeploymentStateChange(env: Envelope, detail: JsonObject): IncidentDraft {
  const eventType = str(detail['eventType']);
  const eventName = str(detail['eventName']);
  const reason = str(detail['reason']);
  const services = env.resources.map(resourceFromArn).filter((r): r is ResourceRef => r?.type === 'AWS::ECS::Service');
  // New-format service ARNs name the cluster: `service/<cluster>/<service>`; old ones do not.
  const serviceParts = services[0]?.arn ? parseArn(services[0].arn)?.resource.split('/') ?? [] : [];
  const cluster = serviceParts.length >= 3 ? serviceParts[1] : undefined;
  const failed = eventName === 'SERVICE_DEPLOYMENT_FAILED';
  const rollingBack = /rolling back/i.test(reason ?? '');
  const severity: Severity = failed || eventType === 'ERROR' ? 'high' : rollingBack ? 'medium' : 'info';
  const deploymentId = str(detail['deploymentId']);
  return {
    idSeed: env.idSeed,
    source: 'ecs',
    title: `${env.detailType}: ${services[0]?.name ?? 'service'} ${eventName ?? ''}`.trim(),
    severity,
    occurredAtMs: firstTime(env.time, detail['updatedAt']),
    state: eventName,
    reason,
    region: env.region,
    accountId: env.accountId,
    resources: [
      ...(cluster ? [{ type: 'AWS::ECS::Cluster', name: cluster }] : []),
      ...services.map((s) => ({ ...s, ...(cluster ? { cluster } : {}) })),
    ],
    cluster,
    labels: { ...(eventType ? { eventType } : {}), ...(deploymentId ? { deploymentId } : {}) },
    inlineEvidence: reason && severity !== 'info' ? [`${eventName}: ${reason}`] : undefined,
    hintedCategory: failed || rollingBack ? hintFromText(reason) ?? 'deploy_regression' : undefined,
  };
}

/** EventBridge `ECS Container Instance State Change`. */
export function fromEcsContainerInstanceStateChange(env: Envelope, detail: JsonObject): IncidentDraft {
  const status = str(detail['status']);
  const connected = detail['agentConnected'];
  const cluster = clusterName(detail['clusterArn']);
  const instanceArn = str(detail['containerInstanceArn']) ?? env.resources[0];
  const instance = instanceArn ? resourceFromArn(instanceArn) : undefined;
  const ec2 = str(detail['ec2InstanceId']);
  const statusReason = str(detail['statusReason']);
  const unhealthy = connected === false || (status !== undefined && status !== 'ACTIVE');
  const resources: ResourceRef[] = [...clusterResource(detail['clusterArn'])];
  if (instance) resources.push({ ...instance, ...(cluster ? { cluster } : {}) });
  if (ec2) resources.push({ type: 'AWS::EC2::Instance', name: ec2 });
  return {
    idSeed: env.idSeed,
    source: 'ecs',
    title: `${env.detailType}: ${ec2 ?? instance?.name ?? 'container instance'} ${status ?? ''}${connected === false ? ' (agent disconnected)' : ''}`.trim(),
    severity: unhealthy ? 'medium' : 'info',
    occurredAtMs: firstTime(env.time, detail['updatedAt']),
    state: status,
    reason: statusReason ?? (connected === false ? 'ECS container agent disconnected' : undefined),
    region: env.region,
    accountId: env.accountId,
    resources,
    cluster,
    labels: { agentConnected: String(connected === true) },
  };
}
