/**
 * Stateful resources: the KMS key, the diagnoses bucket (and its access-log bucket), the incident
 * topic and the queues. Kept apart from the functions so that redeploying or destroying the
 * stateless stack never touches stored diagnoses. Construct ids are part of the contract: renaming
 * one replaces the resource.
 */
import { CfnCondition, CfnOutput, CfnParameter, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from './acknowledge.js';
import type { OpsAssistantConfig } from './config.js';
import { STORE_PREFIXES } from '../../functions/core/model/store-layout.js';

/** Props of {@link OpsAssistantStatefulStack}. */
export interface OpsAssistantStatefulStackProps extends StackProps {
  readonly config: OpsAssistantConfig;
}

/**
 * Bucket prefixes the functions write and read: the runtime's store layout
 * (functions/core/model/store-layout.ts), the one owner of these names.
 */
export const BUCKET_PREFIXES = STORE_PREFIXES;

/** KMS key, diagnoses bucket, incident topic and queues. */
export class OpsAssistantStatefulStack extends Stack {
  /** Customer managed key encrypting the bucket, the topic and the queues (rotation on). */
  readonly key: kms.Key;
  /** Diagnoses, index and quarantine objects (SSE-KMS, versioned, TLS only, never public). */
  readonly diagnosesBucket: s3.Bucket;
  /** Server access logs of the diagnoses bucket (SSE-S3: S3 log delivery cannot use a KMS key). */
  readonly accessLogsBucket: s3.Bucket;
  /** Incident notifications and the assistant's own alarms. */
  readonly incidentTopic: sns.Topic;
  /**
   * Chat notifications (Amazon Q Developer in chat applications' custom format, one JSON message
   * per diagnosis), when chat is configured (`chatTopic`, or a Slack or Teams channel). A topic of
   * its own: Amazon Q Developer posts only messages in its formats, and e-mail subscribers of the
   * incident topic read plain text.
   */
  readonly chatTopic?: sns.Topic;
  /** Buffer between EventBridge and the alarm function. */
  readonly alarmQueue: sqs.Queue;
  /** Messages the alarm function failed `maxReceiveCount` times. */
  readonly alarmDeadLetterQueue: sqs.Queue;
  /** Failed asynchronous invocations (events function, SNS deliveries to the alarm function). */
  readonly asyncFailureQueue: sqs.Queue;
  /**
   * Export name of the diagnoses bucket ARN (`<stack name>-DiagnosesBucketArn`). The service stack
   * imports it by this fixed name for its prefix-scoped grants, so the grant's resource (and the
   * cdk-nag finding naming it) is the same on every synth.
   */
  readonly diagnosesBucketArnExportName: string;

  constructor(scope: Construct, id: string, props: OpsAssistantStatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.key = new kms.Key(this, 'DataKey', {
      description: 'ops-assistant: diagnoses bucket, incident topic and queues',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Services that write into the encrypted topic and queues on our behalf (no identity policy possible).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAlarmsEventsAndSnsToUseTheKey',
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('events.amazonaws.com'),
          new iam.ServicePrincipal('sns.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'], // in a key policy, "*" means this key
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.diagnosesBucket = new s3.Bucket(this, 'DiagnosesBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'diagnoses-bucket/',
      lifecycleRules: [
        { id: 'expire-quarantine', prefix: BUCKET_PREFIXES.quarantine, expiration: Duration.days(config.quarantineExpiryDays) },
        { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(config.noncurrentVersionExpiryDays) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.diagnosesBucketArnExportName = `${this.stackName}-DiagnosesBucketArn`;
    new CfnOutput(this, 'DiagnosesBucketArn', { value: this.diagnosesBucketArn(), exportName: this.diagnosesBucketArnExportName });
    new CfnOutput(this, 'DiagnosesBucketName', { value: this.diagnosesBucket.bucketName });

    this.incidentTopic = new sns.Topic(this, 'IncidentTopic', {
      displayName: 'ops-assistant incidents',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.addEmailSubscription(config);
    new CfnOutput(this, 'IncidentTopicArn', { value: this.incidentTopic.topicArn });
    if (config.chatTopic) {
      this.chatTopic = new sns.Topic(this, 'ChatTopic', {
        displayName: 'ops-assistant chat notifications',
        masterKey: this.key,
        enforceSSL: true,
      });
      new CfnOutput(this, 'ChatTopicArn', { value: this.chatTopic.topicArn, description: 'Diagnoses as Amazon Q Developer (AWS Chatbot) custom notifications: subscribe a Slack or Teams channel configuration' });
    }

    this.alarmDeadLetterQueue = new sqs.Queue(this, 'AlarmDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    this.alarmQueue = new sqs.Queue(this, 'AlarmQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      // AWS guidance for SQS event sources: visibility timeout at least 6 × the function timeout.
      visibilityTimeout: Duration.seconds(6 * config.timeoutSeconds),
      retentionPeriod: Duration.days(4),
      enforceSSL: true,
      deadLetterQueue: { queue: this.alarmDeadLetterQueue, maxReceiveCount: 5 },
    });
    // EventBridge rules of this account deliver alarm events here (the rule lives in the service stack;
    // naming its ARN here would make the stacks depend on each other both ways).
    this.alarmQueue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeRulesOfThisAccount',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.alarmQueue.queueArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.asyncFailureQueue = new sqs.Queue(this, 'AsyncFailureQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    acknowledge(this.asyncFailureQueue, 'AwsSolutions-SQS3', 'This queue is the dead-letter queue of failed asynchronous Lambda invocations.');
  }

  private diagnosesBucketArn(): string {
    return this.diagnosesBucket.bucketArn;
  }

  /**
   * The optional e-mail subscription: from context `notificationEmail` when given, else from the
   * `NotificationEmail` parameter (empty default = no subscription) under a CloudFormation condition.
   */
  private addEmailSubscription(config: OpsAssistantConfig): void {
    if (config.notificationEmail) {
      this.incidentTopic.addSubscription(new subscriptions.EmailSubscription(config.notificationEmail));
      return;
    }
    const email = new CfnParameter(this, 'NotificationEmail', {
      type: 'String',
      default: '',
      description: 'E-mail address to subscribe to the incident topic (empty: none). The address must confirm the subscription.',
      allowedPattern: '^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
    });
    const hasEmail = new CfnCondition(this, 'HasNotificationEmail', { expression: Fn.conditionNot(Fn.conditionEquals(email.valueAsString, '')) });
    const subscription = new sns.CfnSubscription(this, 'NotificationEmailSubscription', {
      topicArn: this.incidentTopic.topicArn,
      protocol: 'email',
      endpoint: email.valueAsString,
    });
    subscription.cfnOptions.condition = hasEmail;
  }
}
