import { describe, expect, it } from 'vitest';
import { detectEventShape, normalizeEvent } from '../../../../functions/core/stages/normalize/index.js';
import { hintFromText } from '../../../../functions/core/stages/normalize/hints.js';
import { fixture, normalizeFixture } from './helpers.js';

describe('ECS events', () => {
  it('reads a task stopped by OOM: hint oom_killed, stop time, container lines as evidence, service and cluster', () => {
    const incident = normalizeFixture('ecs-task-stopped-oom.json');
    expect(incident.source).toBe('ecs');
    expect(incident.state).toBe('STOPPED');
    expect(incident.hintedCategory).toBe('oom_killed');
    expect(incident.severity).toBe('high');
    expect(incident.occurredAt).toBe('2026-03-14T15:21:40.502Z');
    expect(incident.cluster).toBe('shop-prod');
    expect(incident.inlineEvidence).toEqual([
      'Essential container in task exited',
      'container cart: OutOfMemoryError: Container killed due to memory usage, exit code 137',
      'container log-router: exit code 0',
    ]);
    expect(incident.resources).toContainEqual({ type: 'AWS::ECS::Service', name: 'cart', cluster: 'shop-prod' });
    expect(incident.resources).toContainEqual(expect.objectContaining({ type: 'AWS::ECS::Task', name: '4f2e8d1c9b7a46e5a3d2c1b0f9e8d7c6' }));
    expect(incident.labels).toMatchObject({ stopCode: 'EssentialContainerExited', taskDefinition: 'cart:57', launchType: 'FARGATE' });
    expect(incident.region).toBe('us-west-2');
  });

  it('maps CannotPullContainerError "not found" to image_not_found and "pull access denied" to image_pull_auth', () => {
    expect(normalizeFixture('ecs-task-stopped-pull.json').hintedCategory).toBe('image_not_found');
    const event = fixture('ecs-task-stopped-pull.json') as any;
    const denied = 'CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref docker.io/acme/search:v9: pull access denied, repository does not exist or may require authorization';
    const incident = normalizeEvent({ ...event, detail: { ...event.detail, stoppedReason: denied, containers: [] } }, { input: 't' });
    expect(incident.hintedCategory).toBe('image_pull_auth');
  });

  it('does not hint for a task that is still running, nor for a user-initiated stop', () => {
    const event = fixture('ecs-task-stopped-oom.json') as any;
    const running = normalizeEvent({ ...event, detail: { ...event.detail, lastStatus: 'RUNNING', containers: [] } }, { input: 't' });
    expect(running.hintedCategory).toBeUndefined();
    expect(running.severity).toBe('info');
    const user = normalizeEvent({ ...event, detail: { ...event.detail, stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user', containers: [{ name: 'cart', exitCode: 0 }] } }, { input: 't' });
    expect(user.severity).toBe('low');
  });

  it('reads a service placement failure: RESOURCE:MEMORY → insufficient_memory', () => {
    const incident = normalizeFixture('ecs-service-placement-failure.json');
    expect(incident.hintedCategory).toBe('insufficient_memory');
    expect(incident.severity).toBe('high');
    expect(incident.state).toBe('SERVICE_TASK_PLACEMENT_FAILURE');
    expect(incident.inlineEvidence).toEqual(['SERVICE_TASK_PLACEMENT_FAILURE: RESOURCE:MEMORY']);
    expect(incident.resources).toContainEqual(expect.objectContaining({ type: 'AWS::ECS::Service', name: 'report-builder', cluster: 'batch-ec2' }));
  });

  it('reads a failed deployment as high with a deploy_regression hint', () => {
    const incident = normalizeFixture('ecs-deployment-failed.json');
    expect(incident.hintedCategory).toBe('deploy_regression');
    expect(incident.severity).toBe('high');
    expect(incident.cluster).toBe('shop-prod');
    expect(incident.reason).toBe('ECS deployment circuit breaker: tasks failed to start.');
  });

  it('reads a container instance whose agent disconnected', () => {
    const incident = normalizeFixture('ecs-container-instance-disconnected.json');
    expect(incident.severity).toBe('medium');
    expect(incident.title).toContain('agent disconnected');
    expect(incident.resources).toContainEqual({ type: 'AWS::EC2::Instance', name: 'i-0a1b2c3d4e5f60718' });
  });
});

describe('other EventBridge events', () => {
  it('reads an EC2 state change', () => {
    const incident = normalizeFixture('ec2-state-stopped.json');
    expect(incident).toMatchObject({ source: 'ec2', state: 'stopped', severity: 'medium', region: 'eu-central-1' });
    expect(incident.resources[0]).toMatchObject({ type: 'AWS::EC2::Instance', name: 'i-0fedcba9876543210' });
  });

  it('reads an AWS Health issue: description as evidence, affected function, tags, start time', () => {
    const incident = normalizeFixture('health-issue.json');
    expect(incident.source).toBe('aws-health');
    expect(incident.severity).toBe('high');
    expect(incident.occurredAt).toBe('2026-03-14T17:58:00.000Z');
    expect(incident.inlineEvidence?.[0]).toMatch(/increased invocation error rates/);
    expect(incident.resources).toContainEqual(expect.objectContaining({ type: 'AWS::Lambda::Function', name: 'checkout-api' }));
    expect(incident.labels['tag:team']).toBe('payments');
    expect(incident.functionName).toBe('checkout-api');
    expect(incident.title).toBe('AWS Health Event: LAMBDA AWS_LAMBDA_OPERATIONAL_ISSUE');
  });

  it('reads a scheduled Health change sent as a PutEvents entry; looks around the send time, not the future start', () => {
    const payload = fixture('health-scheduled-putevents.json');
    expect(detectEventShape(payload)).toBe('eventbridge-putevents-entries');
    const incident = normalizeEvent(payload, { input: 't' });
    expect(incident.severity).toBe('medium');
    expect(incident.occurredAt).toBe('2026-03-14T19:00:00.000Z');
    expect(incident.region).toBe('eu-west-1');
    expect(incident.resources).toContainEqual({ type: 'AWS::EC2::Instance', name: 'i-0123456789abcdef0' });
  });

  it('reads an EKS Fargate pod scheduled termination', () => {
    const incident = normalizeFixture('eks-fargate-termination.json');
    expect(incident).toMatchObject({ source: 'eks', cluster: 'payments-prod', namespace: 'payments', severity: 'medium' });
    expect(incident.resources).toContainEqual({ type: 'Pod', name: 'ledger-writer-7c9f6d5b4-x2k8q', namespace: 'payments', cluster: 'payments-prod' });
    expect(incident.inlineEvidence).toEqual(["Cannot evict pod as it would violate the pod's disruption budget"]);
  });

  it('reads a failed Batch job as job_failed with its log stream', () => {
    const incident = normalizeFixture('batch-job-failed.json');
    expect(incident).toMatchObject({ state: 'FAILED', severity: 'high', hintedCategory: 'job_failed' });
    expect(incident.labels['logStreamName']).toBe('nightly-ledger-export/default/1a2b3c');
  });

  it('reads an unsuccessful Auto Scaling launch with the subnet-address hint', () => {
    const incident = normalizeFixture('autoscaling-launch-unsuccessful.json');
    expect(incident.severity).toBe('high');
    expect(incident.hintedCategory).toBe('ip_exhaustion');
    expect(incident.resources.filter((r) => r.type === 'AWS::AutoScaling::AutoScalingGroup')).toEqual([
      expect.objectContaining({ name: 'eks-workers-a', arn: expect.stringContaining(':autoScalingGroupName/eks-workers-a') }),
    ]);
  });

  it('reads a failed CodeDeploy deployment', () => {
    const incident = normalizeFixture('codedeploy-failure.json');
    expect(incident).toMatchObject({ state: 'FAILURE', severity: 'high', labels: { deploymentId: 'd-7KQ2F1H3X' } });
  });

  it('keeps any other EventBridge event generically, with detail-type as title', () => {
    const incident = normalizeFixture('eventbridge-generic-stepfunctions.json');
    expect(incident).toMatchObject({ source: 'eventbridge', title: 'Step Functions Execution Status Change', state: 'FAILED', severity: 'high', hintedCategory: 'api_throttling' });
    expect(incident.reason).toBe('States.TaskFailed: ThrottlingException: Rate exceeded');
    expect(incident.labels['eventSource']).toBe('aws.states');
  });
});

describe('hintFromText', () => {
  it.each([
    ['OutOfMemoryError: Container killed due to memory usage', 'oom_killed'],
    ['CannotPullContainerError: Error response from daemon: manifest for 1.dkr.ecr.us-east-1.amazonaws.com/x:v2 not found: manifest unknown: Requested image not found', 'image_not_found'],
    ['CannotPullContainerError: Error response from daemon: pull access denied for acme/x, repository does not exist or may require docker login', 'image_pull_auth'],
    ['ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: AccessDeniedException: User is not authorized', 'iam_access_denied'],
    ['ResourceInitializationError: unable to pull secrets or registry auth: pull command failed: dial tcp 52.46.1.1:443: i/o timeout', 'dependency_unreachable'],
    ['Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:210987654321:targetgroup/web/0123)', 'probe_failure'],
    ['You have requested more vCPU capacity than your current vCPU limit of 32 allows. VcpuLimitExceeded', 'service_quota_exceeded'],
    ['Request limit exceeded. RequestLimitExceeded', 'api_throttling'],
    ['Essential container in task exited', undefined],
  ])('%s → %s', (text, category) => {
    expect(hintFromText(text)).toBe(category);
  });
});
