/**
 * Remediation commands follow the incident's platform: kubectl for Kubernetes, aws ecs / ec2 /
 * lambda / cloudwatch / health for the others, filled with the incident's names.
 */
import { describe as suite, expect, it } from 'vitest';
import { ACTION_CATALOGUE, actionNames, actionsFor, failingContainer, infer, platformOf } from '../../functions/core/stages/infer/index.js';
import { analyze } from '../../functions/core/stages/analyze/index.js';
import type { Category } from '../../functions/core/model/categories.js';
import type { Incident } from '../../functions/core/model/incident.js';
import { context, describe, incident, obj } from '../analyze/kubernetes/fixtures/context.js';

const CATEGORIES = Object.keys(ACTION_CATALOGUE) as Category[];

const ecsService = incident({
  source: 'ecs', title: 'ECS Service Action: checkout SERVICE_TASK_PLACEMENT_FAILURE', region: 'eu-west-1', cluster: 'prod',
  resources: [
    { type: 'AWS::ECS::Cluster', name: 'prod' },
    { type: 'AWS::ECS::Service', name: 'checkout', cluster: 'prod' },
    { type: 'AWS::ECS::ContainerInstance', name: '2dd1b186f398' },
  ],
});
const ecsTask = incident({
  source: 'ecs', title: 'ECS Task State Change: family:checkout STOPPED', region: 'eu-west-1', cluster: 'prod',
  resources: [{ type: 'AWS::ECS::Cluster', name: 'prod' }, { type: 'AWS::ECS::Task', name: 'c13b4cb40f1f', cluster: 'prod' }],
  labels: { taskDefinition: 'checkout:7' },
});
const ec2Health = incident({
  source: 'aws-health', title: 'AWS Health Event: EC2 AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED', region: 'us-west-2',
  resources: [{ type: 'AWS::EC2::Instance', name: 'i-0abc1111' }],
});
const ebsHealth = incident({
  source: 'aws-health', title: 'AWS Health Event: EBS AWS_EBS_VOLUME_LOST', region: 'ap-southeast-2',
  resources: [{ type: 'AWS::EC2::Volume', name: 'vol-04e5b75b51ba5e835' }],
});
const lambdaAlarm = incident({ source: 'cloudwatch-alarm', functionName: 'payments', region: 'eu-west-1' });
const fargatePod = incident({
  source: 'eks', cluster: 'my-cluster', namespace: 'default',
  resources: [{ type: 'AWS::EKS::Cluster', name: 'my-cluster' }, { type: 'Pod', name: 'my-pod-name', namespace: 'default', cluster: 'my-cluster' }],
});

const commands = (category: Category, inc: Incident): string[] => actionsFor(category, actionNames(inc)).flatMap((a) => (a.command ? [a.command] : []));

suite('platform of an incident', () => {
  it('reads ECS, EC2, Lambda, Kubernetes and other AWS incidents', () => {
    expect(platformOf(ecsService)).toBe('ecs');
    expect(platformOf(ecsTask)).toBe('ecs');
    expect(platformOf(ec2Health)).toBe('ec2');
    expect(platformOf(lambdaAlarm)).toBe('lambda');
    expect(platformOf(fargatePod)).toBe('kubernetes');
    expect(platformOf(ebsHealth)).toBe('aws');
    expect(platformOf(incident({ source: 'cloudwatch-alarm', alarm: { name: 'ecs-cpu', type: 'metric', metrics: [{ namespace: 'AWS/ECS', name: 'CPUUtilization', dimensions: { ClusterName: 'prod', ServiceName: 'api' } }] } }))).toBe('ecs');
    // a local run over kubectl output, and a manual run with nothing at all, are Kubernetes
    expect(platformOf(incident(), [], context({ describes: [describe('Name: x')] }))).toBe('kubernetes');
    expect(platformOf(incident())).toBe('kubernetes');
  });
});

suite('ECS commands', () => {
  it('a task-placement failure gets aws ecs commands with the cluster, service and container instance, never kubectl or eks', () => {
    for (const category of ['insufficient_memory', 'insufficient_cpu'] as const) {
      const cmds = commands(category, ecsService);
      expect(cmds[0]).toContain('aws ecs describe-services --cluster prod --services checkout --region eu-west-1');
      expect(cmds.some((c) => c.includes('aws ecs describe-container-instances --cluster prod --container-instances 2dd1b186f398'))).toBe(true);
      expect(cmds.join('\n')).not.toMatch(/kubectl|aws eks/);
    }
  });

  it('a deployment failure rolls back through update-service, a crash redeploys with --force-new-deployment', () => {
    const deploy = commands('deploy_regression', ecsService);
    expect(deploy.some((c) => c.startsWith('aws ecs update-service --cluster prod --service checkout --task-definition'))).toBe(true);
    expect(deploy.join('\n')).not.toMatch(/kubectl|rollout/);
    expect(commands('app_crash', ecsService)).toContain('aws ecs update-service --cluster prod --service checkout --force-new-deployment --region eu-west-1');
  });

  it('a stopped task is described by its id and its task definition', () => {
    const cmds = commands('oom_killed', ecsTask);
    expect(cmds[0]).toContain('aws ecs describe-tasks --cluster prod --tasks c13b4cb40f1f --region eu-west-1');
    expect(cmds[1]).toContain('aws ecs describe-task-definition --task-definition checkout:7');
  });
});

suite('EC2, Lambda and other AWS commands', () => {
  it('an EC2 instance gets describe-instance-status with its id', () => {
    expect(commands('unknown', ec2Health)[0]).toBe('aws ec2 describe-instance-status --instance-ids i-0abc1111 --include-all-instances --region us-west-2');
    expect(commands('node_not_ready', ec2Health).join('\n')).not.toMatch(/kubectl/);
  });

  it('a Lambda function gets lambda and logs commands, also for categories written for pods', () => {
    expect(commands('unknown', lambdaAlarm)[0]).toBe('aws lambda get-function-configuration --function-name payments --region eu-west-1');
    expect(commands('heap_oom', lambdaAlarm).join('\n')).toMatch(/--function-name payments/);
    expect(commands('lambda_timeout', lambdaAlarm)[0]).toContain('aws lambda get-function-configuration --function-name payments');
  });

  it('a Health event with no platform reads the Health event by its type code; an alarm its history', () => {
    expect(commands('unknown', ebsHealth)[0]).toBe('aws health describe-events --filter eventTypeCodes=AWS_EBS_VOLUME_LOST --region us-east-1');
    const alarm = incident({ source: 'cloudwatch-alarm', region: 'eu-west-1', alarm: { name: 'orders-5xx', type: 'metric', metrics: [{ namespace: 'Custom', name: 'Errors', dimensions: {} }] } });
    expect(commands('unknown', alarm)[0]).toBe('aws cloudwatch describe-alarm-history --alarm-name "orders-5xx" --history-item-type StateUpdate --region eu-west-1');
  });

  it('no category emits kubectl or aws eks outside Kubernetes', () => {
    for (const inc of [ecsService, ecsTask, ec2Health, ebsHealth, lambdaAlarm]) {
      for (const category of CATEGORIES) {
        const steps = actionsFor(category, actionNames(inc));
        expect(steps.length, `${category} on ${inc.title}`).toBeGreaterThan(0);
        for (const c of steps.flatMap((a) => (a.command ? [a.command] : []))) expect(c, `${category} on ${inc.title}`).not.toMatch(/kubectl|aws eks/);
      }
    }
  });
});

suite('Kubernetes commands', () => {
  it('a Pod with no known controller never gets a rollout verb: the step finds its owner', () => {
    for (const category of CATEGORIES) {
      for (const c of commands(category, fargatePod)) expect(c, category).not.toMatch(/kubectl rollout .*pod\//);
    }
    const cmds = commands('unknown', fargatePod);
    expect(cmds[0]).toContain('kubectl describe pod my-pod-name -n default');
    expect(cmds).toContain('kubectl get pod my-pod-name -n default -o jsonpath=\'{.metadata.ownerReferences[*].kind}/{.metadata.ownerReferences[*].name}{"\\n"}\'');
    // a Deployment still rolls back
    const dep = incident({ namespace: 'shop', resources: [{ type: 'Deployment', name: 'web', namespace: 'shop' }] });
    expect(commands('deploy_regression', dep)).toContain('kubectl rollout undo deployment/web -n shop');
  });

  it('names the failing container from the evidence instead of <container>', async () => {
    const text = [
      'Name:             checkout-7c9d8f6b5-x2k4p', 'Namespace:        shop', 'Status:           Running', 'Containers:',
      '  istio-proxy:', '    State:          Running', '    Ready:          True', '    Restart Count:  0',
      '  checkout:', '    State:          Waiting', '      Reason:       CrashLoopBackOff', '    Last State:     Terminated',
      '      Reason:       OOMKilled', '      Exit Code:    137', '    Ready:          False', '    Restart Count:  6',
    ].join('\n');
    const ctx = context({ describes: [describe(text, 'pod.txt', 1, 'Pod')] });
    expect(failingContainer(ctx, 'checkout-7c9d8f6b5-x2k4p')).toBe('checkout');
    const inc = incident({ namespace: 'shop' });
    const { hypotheses } = await infer({ incident: inc, context: ctx, analysis: analyze(inc, ctx), retrieval: { passages: [], similarIncidents: [] } });
    expect(hypotheses[0]!.category).toBe('oom_killed');
    expect(hypotheses[0]!.actions.map((a) => a.command)).toContain('kubectl set resources deployment/checkout -n shop -c checkout --limits=memory=<new-limit>');
    // from a Pod object: the container that restarted
    const pod = obj('Pod', 'api-1', { namespace: 'shop', spec: { containers: [{ name: 'api' }, { name: 'sidecar' }] }, status: { containerStatuses: [{ name: 'sidecar', ready: true, restartCount: 0, state: { running: {} } }, { name: 'api', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } });
    expect(failingContainer(context({ kubernetesObjects: [pod] }), 'api-1')).toBe('api');
    // a table row names no container
    expect(failingContainer(context({ kubernetesObjects: [obj('Pod', 'api-2', { status: { containerStatuses: [{ name: '*', ready: false, restartCount: 2 }] } })] }), 'api-2')).toBeUndefined();
  });

  it('end to end: an ECS incident diagnosed through infer carries no kubectl step', async () => {
    const inc: Incident = { ...ecsService, inlineEvidence: ['SERVICE_TASK_PLACEMENT_FAILURE: RESOURCE:MEMORY'], hintedCategory: 'insufficient_memory' };
    const ctx = context();
    const { hypotheses } = await infer({ incident: inc, context: ctx, analysis: analyze(inc, ctx), retrieval: { passages: [], similarIncidents: [] } });
    expect(hypotheses.length).toBeGreaterThan(0);
    for (const h of hypotheses) for (const a of h.actions) expect(a.command ?? '').not.toMatch(/kubectl|aws eks/);
  });
});
