/**
 * Stateless resources: the three functions (alarm, events, api), the ONNX layer, the EventBridge
 * rules, the SNS subscriptions, the API and the assistant's own alarms. Everything here can be
 * destroyed and redeployed without losing a diagnosis.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Annotations, CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { acknowledge } from './acknowledge.js';
import { OpsAssistantApi } from './api.js';
import { ChatChannels } from './chat.js';
import type { OpsAssistantConfig } from './config.js';
import { SelfMonitoring, selfAlarmPrefix } from './monitoring.js';
import { OnnxLayer } from './onnx-layer-construct.js';
import { OpsFunction } from './ops-function.js';
import { grantAlarmTagRead, grantBucketPrefixes, grantDeadLetterKey, grantObservabilityRead, grantPublish } from './permissions.js';
import { BUCKET_PREFIXES, type OpsAssistantStatefulStack } from './stateful-stack.js';
import { ENV } from '../../functions/composition/environment.js';

/** Props of {@link OpsAssistantServiceStack}. */
export interface OpsAssistantServiceStackProps extends StackProps {
  readonly config: OpsAssistantConfig;
  readonly data: OpsAssistantStatefulStack;
  /** Repository root. */
  readonly repoRoot: string;
  /** Folder of the handler sources, relative to `repoRoot`. Default `functions/handlers`. */
  readonly handlersDir?: string;
}

/** EventBridge patterns of the non-alarm events the events function handles, by rule id. */
export const EVENT_RULE_PATTERNS: Readonly<Record<string, events.EventPattern>> = {
  EcsTaskStoppedRule: {
    source: ['aws.ecs'],
    detailType: ['ECS Task State Change'],
    detail: { lastStatus: ['STOPPED'], stopCode: [{ 'anything-but': ['UserInitiated'] }] },
  },
  EcsServiceRule: {
    source: ['aws.ecs'],
    detailType: ['ECS Service Action', 'ECS Deployment State Change'],
    detail: { eventType: ['WARN', 'ERROR'] },
  },
  Ec2StateRule: {
    source: ['aws.ec2'],
    detailType: ['EC2 Instance State-change Notification', 'EC2 Spot Instance Interruption Warning'],
  },
  HealthRule: { source: ['aws.health'], detailType: ['AWS Health Event'] },
  EksRule: { source: ['aws.eks'] },
};

/** Functions, layer, rules, subscriptions, API and self-monitoring. */
export class OpsAssistantServiceStack extends Stack {
  readonly alarmFunction: OpsFunction;
  readonly eventsFunction: OpsFunction;
  readonly apiFunction: OpsFunction;
  readonly api: OpsAssistantApi;
  readonly alarmRule: events.Rule;
  readonly layer?: lambda.LayerVersion;
  /** The Slack and Teams channel configurations, when the context names a channel. */
  readonly chat?: ChatChannels;
  private readonly dataBucketArnExport: string;

  constructor(scope: Construct, id: string, props: OpsAssistantServiceStackProps) {
    super(scope, id, props);
    const { config, data, repoRoot } = props;
    this.dataBucketArnExport = data.diagnosesBucketArnExportName;
    const handlersDir = props.handlersDir ?? 'functions/handlers';
    const runtime = config.nodeRuntime === 'nodejs24.x' ? lambda.Runtime.NODEJS_24_X : lambda.Runtime.NODEJS_22_X;

    const modelPresent = existsSync(path.join(repoRoot, 'models', config.modelId, 'config.json'));
    if (!modelPresent) {
      Annotations.of(this).addWarningV2(
        'ops-assistant:no-model',
        `models/${config.modelId}/config.json not found: the functions run without MODEL_DIR (retrieval and rules only)`,
      );
    }
    if (config.packaging === 'zip') {
      this.layer = new OnnxLayer(this, 'OnnxLayer', {
        repoRoot,
        architecture: config.architecture,
        runtime,
        // The ask use case's intent model ships beside the category model (the functions find it by id in the same manifest).
        modelIds: modelPresent ? [config.modelId, ...(config.modelId !== 'ops-intent' && existsSync(path.join(repoRoot, 'models', 'ops-intent', 'config.json')) ? ['ops-intent'] : [])] : [],
      }).layer;
    }

    const environment: Record<string, string> = {
      [ENV.bucket]: data.diagnosesBucket.bucketName,
      [ENV.topicArn]: data.incidentTopic.topicArn,
      ...(data.chatTopic ? { [ENV.chatTopicArn]: data.chatTopic.topicArn } : {}),
      [ENV.kmsKeyId]: data.key.keyArn,
      [ENV.knowledgePrefix]: config.knowledgePrefix,
      [ENV.lookbackMinutes]: String(config.logLookbackMinutes),
      [ENV.stormWindowMinutes]: String(config.stormWindowMinutes),
      ...(config.logGroupsByAlarm ? { [ENV.logGroupsByAlarm]: JSON.stringify(config.logGroupsByAlarm) } : {}),
      ...(modelPresent ? { [ENV.modelDir]: `/opt/models/${config.modelId}`, [ENV.modelId]: config.modelId } : {}),
      ...(config.clusterName ? { [ENV.clusterName]: config.clusterName } : {}),
      ...(config.browseUrl ? { [ENV.browseUrl]: config.browseUrl } : {}),
    };
    const common = { config, repoRoot, layers: this.layer ? [this.layer] : undefined };
    const entry = (name: string): string => path.join(handlersDir, `${name}.ts`);

    this.alarmFunction = new OpsFunction(this, 'AlarmFunction', {
      ...common,
      entry: entry('alarm'),
      description: 'ops-assistant: diagnoses CloudWatch alarms (EventBridge via SQS, SNS)',
      environment: { ...environment, ...(config.alarmTags.length > 0 ? { [ENV.alarmTagFilter]: config.alarmTags.join(',') } : {}) },
      reservedConcurrentExecutions: config.alarmConcurrency,
      deadLetterQueue: data.asyncFailureQueue,
    });
    this.eventsFunction = new OpsFunction(this, 'EventsFunction', {
      ...common,
      entry: entry('events'),
      description: 'ops-assistant: diagnoses ECS, EC2, AWS Health and EKS events',
      environment,
      reservedConcurrentExecutions: config.eventsConcurrency,
      deadLetterQueue: data.asyncFailureQueue,
    });
    this.apiFunction = new OpsFunction(this, 'ApiFunction', {
      ...common,
      entry: entry('api'),
      description: 'ops-assistant: diagnoses API',
      environment: { ...environment, [ENV.approveEnabled]: String(config.enableApprove) },
      memoryMb: config.apiMemoryMb,
      timeoutSeconds: config.apiTimeoutSeconds,
    });

    const clusters = [...new Set([...(config.clusterName ? [config.clusterName] : []), ...config.clusterNames])];
    const bucketAccess = {
      bucketArn: Fn.importValue(data.diagnosesBucketArnExportName),
      key: data.key,
      writePrefixes: [BUCKET_PREFIXES.diagnoses, BUCKET_PREFIXES.index, BUCKET_PREFIXES.ids, BUCKET_PREFIXES.quarantine, BUCKET_PREFIXES.storms],
      readPrefixes: [BUCKET_PREFIXES.diagnoses, BUCKET_PREFIXES.index, BUCKET_PREFIXES.ids, BUCKET_PREFIXES.storms, config.knowledgePrefix],
    };
    // The API also keeps remediation plans proposed by /v1/ask and, with approvals on, their audit trail.
    const apiPlanAccess = {
      bucketArn: bucketAccess.bucketArn,
      key: data.key,
      writePrefixes: [BUCKET_PREFIXES.plans, ...(config.enableApprove ? [BUCKET_PREFIXES.audit] : [])],
      readPrefixes: [BUCKET_PREFIXES.plans],
    };
    grantBucketPrefixes(this.apiFunction.role, apiPlanAccess);
    for (const f of [this.alarmFunction, this.eventsFunction, this.apiFunction]) {
      grantBucketPrefixes(f.role, bucketAccess);
      grantPublish(f.role, data.incidentTopic, data.key);
      if (data.chatTopic) grantPublish(f.role, data.chatTopic, data.key);
      grantObservabilityRead(this, f.role, clusters);
    }
    grantDeadLetterKey(this.alarmFunction.role, data.asyncFailureQueue);
    grantDeadLetterKey(this.eventsFunction.role, data.asyncFailureQueue);
    if (config.alarmTags.length > 0) grantAlarmTagRead(this, this.alarmFunction.role);

    // Alarm storms: EventBridge -> SQS buffer -> alarm function at bounded concurrency.
    this.alarmFunction.fn.addEventSource(
      new SqsEventSource(data.alarmQueue, {
        batchSize: 5,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        maxConcurrency: config.alarmConcurrency,
      }),
    );
    this.alarmRule = new events.Rule(this, 'AlarmStateChangeRule', {
      description: 'ops-assistant: CloudWatch alarm transitions into ALARM (and back to OK) -> alarm buffer queue',
      eventPattern: alarmEventPattern(config, selfAlarmPrefix(this)),
    });
    // Plain target: the queue policy and key policy of the data stack already admit EventBridge
    // (targets.SqsQueue would add a key grant with wildcard actions, kms:GenerateDataKey*).
    this.alarmRule.addTarget({ bind: () => ({ arn: data.alarmQueue.queueArn }) });

    // Alarms whose actions notify SNS topics of the team: the alarm function subscribes to each.
    config.alarmTopicArns.forEach((arn, i) => {
      sns.Topic.fromTopicArn(this, `AlarmTopic${i}`, arn).addSubscription(new subscriptions.LambdaSubscription(this.alarmFunction.fn));
    });

    for (const [ruleId, eventPattern] of Object.entries(EVENT_RULE_PATTERNS)) {
      new events.Rule(this, ruleId, { description: `ops-assistant: ${ruleId} -> events function`, eventPattern }).addTarget(
        new targets.LambdaFunction(this.eventsFunction.fn, { retryAttempts: 2, maxEventAge: Duration.hours(2) }),
      );
    }

    if (data.chatTopic && (config.slackChannelId || config.teamsChannelId)) {
      this.chat = new ChatChannels(this, 'Chat', { config, topic: data.chatTopic });
    }

    this.api = new OpsAssistantApi(this, 'Api', { config, handler: this.apiFunction.fn });
    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Base URL of the API (SigV4-signed requests, service execute-api)' });
    new CfnOutput(this, 'ApiInvokePolicyArn', { value: this.api.invokePolicy.managedPolicyArn, description: 'Attach to callers of the diagnoses and ask routes' });
    if (this.api.approvePolicy) {
      new CfnOutput(this, 'ApiApprovePolicyArn', { value: this.api.approvePolicy.managedPolicyArn, description: 'Attach to plan approvers' });
    }
    for (const [name, f] of [['Alarm', this.alarmFunction], ['Events', this.eventsFunction], ['Api', this.apiFunction]] as const) {
      new CfnOutput(this, `${name}FunctionRoleArn`, { value: f.role.roleArn, description: `Execution role of the ${name.toLowerCase()} function (EKS access entry principal)` });
    }

    new SelfMonitoring(this, 'Monitoring', {
      topic: data.incidentTopic,
      functions: [
        { name: 'alarm', fn: this.alarmFunction.fn, timeoutSeconds: config.timeoutSeconds },
        { name: 'events', fn: this.eventsFunction.fn, timeoutSeconds: config.timeoutSeconds },
        { name: 'api', fn: this.apiFunction.fn, timeoutSeconds: config.apiTimeoutSeconds },
      ],
      deadLetterQueues: [
        { name: 'alarm-dlq', queue: data.alarmDeadLetterQueue },
        { name: 'async-failure-dlq', queue: data.asyncFailureQueue },
      ],
      bufferQueue: data.alarmQueue,
      api: this.api.api,
    });

    this.acknowledgeFunctionFindings(config, clusters, bucketAccess, apiPlanAccess);
  }

  /** cdk-nag findings that follow from what the services allow, each with its reason. */
  private acknowledgeFunctionFindings(
    config: OpsAssistantConfig,
    clusters: readonly string[],
    bucketAccess: { writePrefixes: readonly string[]; readPrefixes: readonly string[] },
    apiPlanAccess: { writePrefixes: readonly string[]; readPrefixes: readonly string[] },
  ): void {
    const bucketRef = this.dataBucketArnExport;
    const eksArn = 'arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>';
    const names = clusters.length > 0 ? clusters : ['*'];
    for (const f of [this.alarmFunction, this.eventsFunction, this.apiFunction]) {
      acknowledge(f.role, 'AwsSolutions-IAM5[Resource::*]', 'logs:GetQueryResults, logs:StopQuery, cloudwatch:GetMetricData and X-Ray trace uploads support no resource-level permissions.');
      acknowledge(f.role, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]', 'The log groups behind an alarm are discovered at run time (metric filters, /aws/lambda/<fn>); read-only actions.');
      const planPrefixes = f === this.apiFunction ? [...apiPlanAccess.writePrefixes, ...apiPlanAccess.readPrefixes] : [];
      for (const prefix of new Set([...bucketAccess.writePrefixes, ...bucketAccess.readPrefixes, ...planPrefixes])) {
        acknowledge(f.role, `AwsSolutions-IAM5[Resource::${bucketRef}/${prefix}*]`, 'Object keys under the function\'s own prefix are created per diagnosis (date and id in the key).');
      }
      for (const name of names) {
        const scope = name === '*' ? 'No cluster named by context (clusterName/clusterNames): read-only EKS calls on the account\'s clusters' : `Node groups and add-ons of cluster ${name} are discovered at run time`;
        if (name === '*') acknowledge(f.role, `AwsSolutions-IAM5[Resource::${eksArn}:cluster/*]`, `${scope}.`);
        acknowledge(f.role, `AwsSolutions-IAM5[Resource::${eksArn}:nodegroup/${name}/*/*]`, `${scope}; eks:DescribeNodegroup only.`);
        acknowledge(f.role, `AwsSolutions-IAM5[Resource::${eksArn}:addon/${name}/*/*]`, `${scope}; eks:DescribeAddon only.`);
      }
      if (config.alarmTags.length > 0 && f === this.alarmFunction) {
        acknowledge(f.role, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*]', 'The alarm-tag filter reads the tags of whichever alarm fired (cloudwatch:ListTagsForResource only).');
      }
      if (config.nodeRuntime !== LATEST_NODE_RUNTIME && config.packaging === 'zip') {
        acknowledge(f.fn, 'AwsSolutions-L1', `The runtime is pinned to ${config.nodeRuntime} (tested); deploy with -c nodeRuntime=${LATEST_NODE_RUNTIME} to move to the latest.`);
      }
    }
  }
}

/** Latest Node.js Lambda runtime known to this app (cdk-nag L1 compares with the latest). */
export const LATEST_NODE_RUNTIME = 'nodejs24.x';

/**
 * EventBridge pattern of the alarm rule: CloudWatch "Alarm State Change" events into `ALARM` or
 * back to `OK`, limited to the configured alarm-name prefixes, else every alarm except the
 * assistant's own (names starting with `selfPrefix`).
 * Event format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
 */
export function alarmEventPattern(config: Pick<OpsAssistantConfig, 'alarmNamePrefixes'>, selfPrefix: string): events.EventPattern {
  const alarmName = config.alarmNamePrefixes.length > 0 ? config.alarmNamePrefixes.map((prefix) => ({ prefix })) : [{ 'anything-but': { prefix: selfPrefix } }];
  return {
    source: ['aws.cloudwatch'],
    detailType: ['CloudWatch Alarm State Change'],
    detail: { state: { value: ['ALARM', 'OK'] }, alarmName },
  };
}
