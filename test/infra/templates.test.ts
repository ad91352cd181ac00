/**
 * Template tests of the CDK app: what the stacks deploy (encryption, DLQs, concurrency, runtime,
 * logs, API auth, alarms) and what the functions' IAM must NOT allow.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/lib/app.js';
import { ConfigError } from '../../infra/lib/config.js';
import { actionsOf, buildTemplates, identityStatements, resourcesOf, type BuiltTemplates } from './support.js';

const FUNCTION_DESCRIPTIONS = {
  alarm: Match.stringLikeRegexp('diagnoses CloudWatch alarms'),
  events: Match.stringLikeRegexp('ECS, EC2, AWS Health and EKS'),
  api: Match.stringLikeRegexp('diagnoses API'),
};

/** Logical id of the one resource of `type` whose properties match. */
function idOf(template: Template, type: string, props: Record<string, unknown>): string {
  const found = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  expect(found, `${type} matching ${JSON.stringify(props)}`).toHaveLength(1);
  return found[0]!;
}

describe('default deployment (zip packaging, no cluster named)', () => {
  let built: BuiltTemplates;
  let data: Template;
  let service: Template;
  beforeAll(() => {
    built = buildTemplates();
    data = built.dataTemplate;
    service = built.serviceTemplate;
  });

  describe('stateful stack', () => {
    it('encrypts the diagnoses bucket with the KMS key, versions it and blocks public access', () => {
      const keyId = idOf(data, 'AWS::KMS::Key', { EnableKeyRotation: true });
      data.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } }, BucketKeyEnabled: true },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'diagnoses-bucket/' }),
      });
    });

    it('expires quarantined objects and non-current versions', () => {
      data.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Id: 'expire-quarantine', Prefix: 'quarantine/', ExpirationInDays: 30, Status: 'Enabled' }),
            Match.objectLike({ Id: 'expire-noncurrent-versions', NoncurrentVersionExpiration: { NoncurrentDays: 90 } }),
          ]),
        },
      });
    });

    it('denies non-TLS requests on both buckets', () => {
      const policies = data.findResources('AWS::S3::BucketPolicy');
      expect(Object.keys(policies)).toHaveLength(2);
      for (const policy of Object.values(policies)) {
        expect(policy).toMatchObject({
          Properties: {
            PolicyDocument: {
              Statement: expect.arrayContaining([
                expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
              ]),
            },
          },
        });
      }
    });

    it('encrypts the incident topic with the key and offers the e-mail subscription as a parameter', () => {
      const keyId = idOf(data, 'AWS::KMS::Key', { EnableKeyRotation: true });
      data.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      data.hasParameter('NotificationEmail', { Type: 'String', Default: '' });
      data.hasCondition('HasNotificationEmail', Match.anyValue());
      const subs = data.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'email' } });
      expect(Object.values(subs)).toHaveLength(1);
      expect(Object.values(subs)[0]).toMatchObject({ Condition: 'HasNotificationEmail', Properties: { Endpoint: { Ref: 'NotificationEmail' } } });
    });

    it('buffers alarms in a KMS-encrypted queue with a dead-letter queue and a redrive policy', () => {
      const dlqs = Object.keys(data.findResources('AWS::SQS::Queue', { Properties: Match.objectLike({ MessageRetentionPeriod: 1209600, RedrivePolicy: Match.absent() }) }));
      expect(dlqs.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['AlarmDeadLetterQueue', 'AsyncFailureQueue']);
      data.hasResourceProperties('AWS::SQS::Queue', {
        KmsMasterKeyId: Match.anyValue(),
        VisibilityTimeout: 6 * 120,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmDeadLetterQueue'), 'Arn'] }, maxReceiveCount: 5 },
      });
      for (const queue of Object.values(data.findResources('AWS::SQS::Queue'))) {
        expect(queue).toMatchObject({ Properties: { KmsMasterKeyId: expect.anything() } });
      }
    });

    it('gives no service a wildcard KMS action in the key policy', () => {
      const key = Object.values(data.findResources('AWS::KMS::Key'))[0] as { Properties: { KeyPolicy: { Statement: { Action: string | string[]; Principal: { Service?: unknown } }[] } } };
      const serviceStatements = key.Properties.KeyPolicy.Statement.filter((s) => s.Principal.Service !== undefined);
      expect(serviceStatements.length).toBeGreaterThan(0);
      for (const s of serviceStatements) for (const a of [s.Action].flat()) expect(a).not.toContain('*');
    });

    it('lets CloudWatch, EventBridge and SNS use the key only from this account', () => {
      data.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'AllowAlarmsEventsAndSnsToUseTheKey',
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        },
      });
    });
  });

  describe('functions', () => {
    it('run on Node.js 22 or later with X-Ray tracing, JSON logs to their own log group, and the ONNX layer', () => {
      const functions = service.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^ops-assistant') } });
      expect(Object.keys(functions)).toHaveLength(3);
      const layerId = idOf(service, 'AWS::Lambda::LayerVersion', { CompatibleArchitectures: ['x86_64'] });
      for (const fn of Object.values(functions) as { Properties: Record<string, any> }[]) {
        const major = Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1]);
        expect(major).toBeGreaterThanOrEqual(22);
        expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
        expect(fn.Properties.Architectures).toEqual(['x86_64']);
        expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(/LogGroup/) } });
        expect(fn.Properties.Layers).toEqual([{ Ref: layerId }]);
        expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(
          expect.arrayContaining(['DIAGNOSES_BUCKET', 'INCIDENT_TOPIC_ARN', 'KMS_KEY_ID', 'KNOWLEDGE_PREFIX', 'LOG_LOOKBACK_MINUTES']),
        );
        // The layer ships models/<modelId> at /opt/models/<modelId> when the folder exists.
        if (existsSync(path.join(REPO_ROOT, 'models/ops-encoder/config.json'))) {
          expect(fn.Properties.Environment.Variables).toMatchObject({ MODEL_DIR: '/opt/models/ops-encoder', MODEL_ID: 'ops-encoder' });
        } else {
          expect(fn.Properties.Environment.Variables.MODEL_DIR).toBeUndefined();
        }
      }
    });

    it('keeps every function log group for the configured retention', () => {
      const groups = Object.values(service.findResources('AWS::Logs::LogGroup')) as { Properties: { RetentionInDays?: number } }[];
      expect(groups.length).toBe(4); // three functions + API access logs
      for (const g of groups) expect(g.Properties.RetentionInDays).toBe(30);
    });

    it('bounds the alarm function: reserved concurrency, SQS batch failures, maximum concurrency, async DLQ', () => {
      const alarmFn = idOf(service, 'AWS::Lambda::Function', { Description: FUNCTION_DESCRIPTIONS.alarm });
      service.hasResourceProperties('AWS::Lambda::Function', {
        Description: FUNCTION_DESCRIPTIONS.alarm,
        ReservedConcurrentExecutions: 5,
        DeadLetterConfig: { TargetArn: { 'Fn::ImportValue': Match.stringLikeRegexp('AsyncFailureQueue') } },
        Timeout: 120,
      });
      service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: alarmFn },
        EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('AlarmQueue') },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 5 },
      });
    });

    it('sends failed asynchronous invocations of the events function to the DLQ after two retries', () => {
      const eventsFn = idOf(service, 'AWS::Lambda::Function', { Description: FUNCTION_DESCRIPTIONS.events });
      service.hasResourceProperties('AWS::Lambda::Function', {
        Description: FUNCTION_DESCRIPTIONS.events,
        ReservedConcurrentExecutions: 5,
        DeadLetterConfig: { TargetArn: { 'Fn::ImportValue': Match.stringLikeRegexp('AsyncFailureQueue') } },
      });
      service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: eventsFn }, MaximumRetryAttempts: 2 });
    });
  });

  describe('event routing', () => {
    it('sends CloudWatch alarm state changes into ALARM to the buffer queue, leaving out the assistant\'s own alarms', () => {
      service.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          detail: { state: { value: Match.arrayWith(['ALARM']) }, alarmName: [{ 'anything-but': { prefix: 'OpsAssistantService-' } }] },
        },
        Targets: [Match.objectLike({ Arn: { 'Fn::ImportValue': Match.stringLikeRegexp('AlarmQueue') } })],
      });
    });

    it('sends ECS, EC2, AWS Health and EKS events to the events function', () => {
      const eventsFn = idOf(service, 'AWS::Lambda::Function', { Description: FUNCTION_DESCRIPTIONS.events });
      for (const source of ['aws.ecs', 'aws.ec2', 'aws.health', 'aws.eks']) {
        service.hasResourceProperties('AWS::Events::Rule', {
          EventPattern: Match.objectLike({ source: [source] }),
          Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [eventsFn, 'Arn'] }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }) })],
        });
      }
    });

    it('lets EventBridge send to the encrypted queue only from this account', () => {
      built.dataTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'sqs:SendMessage',
              Principal: { Service: 'events.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        },
      });
    });
  });

  describe('API', () => {
    it('requires IAM authorization on every method', () => {
      const methods = Object.values(service.findResources('AWS::ApiGateway::Method')) as { Properties: { AuthorizationType: string; HttpMethod: string } }[];
      expect(methods.map((m) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'GET', 'GET', 'POST', 'POST']);
      for (const m of methods) expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
    });

    it('throttles the stage, writes JSON access logs and traces', () => {
      service.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: [Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 })],
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
        TracingEnabled: true,
      });
    });

    it('validates request bodies against models and requires the id path parameter', () => {
      const validator = idOf(service, 'AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
      service.hasResourceProperties('AWS::ApiGateway::Model', {
        Name: 'DiagnosisRequest',
        Schema: Match.objectLike({ type: 'object', additionalProperties: false, anyOf: [{ required: ['event'] }, { required: ['evidence'] }] }),
      });
      service.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'POST',
        RequestValidatorId: { Ref: validator },
        RequestModels: { 'application/json': Match.anyValue() },
      });
      service.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', RequestParameters: { 'method.request.path.id': true } });
    });

    it('accepts the bodies the diagnoses route takes and rejects the others (model checked with ajv)', () => {
      const model = Object.values(service.findResources('AWS::ApiGateway::Model', { Properties: { Name: 'DiagnosisRequest' } }))[0] as { Properties: { Schema: Record<string, unknown> } };
      const { $schema: _draft, ...schema } = model.Properties.Schema;
      const validate = new Ajv({ strict: false }).compile(schema);
      for (const body of [{ event: { source: 'aws.cloudwatch' } }, { evidence: 'OOMKilled' }, { evidence: ['a', 'b'], question: 'why?' }]) {
        expect(validate(body), JSON.stringify(body)).toBe(true);
      }
      for (const body of [{}, { question: 'why?' }, { evidence: 5 }, { event: {}, extra: 1 }, { evidence: Array(21).fill('x') }]) {
        expect(validate(body), JSON.stringify(body)).toBe(false);
      }
    });

    it('serves GET /v1/plans/{id} under the invoke policy, and answers refused bodies in the API\'s error shape naming each route\'s keys', () => {
      const resources = Object.values(service.findResources('AWS::ApiGateway::Resource')) as { Properties: { PathPart: string } }[];
      expect(resources.map((r) => r.Properties.PathPart)).toEqual(expect.arrayContaining(['plans', '{id}']));
      service.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Description: Match.stringLikeRegexp('read plans'),
        PolicyDocument: { Statement: [Match.objectLike({ Action: 'execute-api:Invoke', Resource: Match.arrayWith([{ 'Fn::Join': ['', Match.arrayWith(['/GET/v1/plans/*'])] }]) })] },
      });
      const responses = Object.values(service.findResources('AWS::ApiGateway::GatewayResponse', { Properties: { ResponseType: 'BAD_REQUEST_BODY' } })) as { Properties: { StatusCode: string; ResponseTemplates: Record<string, string> } }[];
      expect(responses).toHaveLength(1);
      expect(responses[0]!.Properties.StatusCode).toBe('400');
      const body = JSON.parse(responses[0]!.Properties.ResponseTemplates['application/json']!);
      expect(body.error.code).toBe('INVALID_BODY');
      for (const keys of ['event?: object', 'question: string', 'approve takes no body']) expect(body.error.message).toContain(keys);
    });

    it('has no approve route unless enabled', () => {
      const resources = Object.values(service.findResources('AWS::ApiGateway::Resource')) as { Properties: { PathPart: string } }[];
      expect(resources.map((r) => r.Properties.PathPart)).not.toContain('approve');
    });
  });

  describe('alarms on the assistant itself', () => {
    it('alarm on errors, throttles and duration near the timeout of each function, notifying the topic', () => {
      for (const name of ['alarm', 'events', 'api']) {
        for (const metric of ['Errors', 'Throttles']) {
          service.hasResourceProperties('AWS::CloudWatch::Alarm', {
            AlarmName: `OpsAssistantService-${name}-${metric.toLowerCase()}`,
            MetricName: metric,
            Namespace: 'AWS/Lambda',
            Threshold: 1,
            AlarmActions: [{ 'Fn::ImportValue': Match.stringLikeRegexp('IncidentTopic') }],
          });
        }
      }
      service.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'OpsAssistantService-alarm-duration-near-timeout', MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 96_000 });
      service.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'OpsAssistantService-api-duration-near-timeout', Threshold: 23_200 });
    });

    it('alarm when a dead-letter queue holds a message', () => {
      for (const name of ['alarm-dlq', 'async-failure-dlq']) {
        service.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `OpsAssistantService-${name}-depth`,
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Namespace: 'AWS/SQS',
          Threshold: 1,
          AlarmActions: [{ 'Fn::ImportValue': Match.stringLikeRegexp('IncidentTopic') }],
        });
      }
    });
  });

  describe('IAM: least privilege', () => {
    it('grants no wildcard action, no s3:* and no managed policy to the function roles', () => {
      const statements = identityStatements(service);
      expect(statements.length).toBeGreaterThan(10);
      for (const { policy, statement } of statements) {
        for (const action of actionsOf(statement)) expect(action, `${policy}: ${action}`).not.toContain('*');
      }
      for (const role of Object.values(service.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] }) } }))) {
        expect((role as { Properties: { ManagedPolicyArns?: unknown } }).Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it('allows logs:PutLogEvents only on each function\'s own log group', () => {
      const writes = identityStatements(service).filter(({ statement }) => actionsOf(statement).some((a) => a === 'logs:PutLogEvents' || a === 'logs:CreateLogStream'));
      expect(writes).toHaveLength(3);
      for (const { statement } of writes) {
        expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/FunctionLogGroup/), 'Arn'] });
      }
    });

    it('writes objects only under the bucket\'s own prefixes and nowhere else in S3', () => {
      const s3Statements = identityStatements(service).filter(({ statement }) => actionsOf(statement).some((a) => a.startsWith('s3:')));
      expect(s3Statements.length).toBeGreaterThan(0);
      const bucketImport = { 'Fn::ImportValue': 'OpsAssistantData-DiagnosesBucketArn' };
      for (const { statement } of s3Statements) {
        const actions = actionsOf(statement);
        expect(actions.every((a) => ['s3:PutObject', 's3:GetObject', 's3:ListBucket'].includes(a))).toBe(true);
        for (const resource of resourcesOf(statement)) {
          if (actions.includes('s3:ListBucket')) {
            expect(resource).toEqual(bucketImport); // this bucket only (404 vs 403 for absent keys)
          } else {
            expect(resource).toEqual({ 'Fn::Join': ['', [bucketImport, expect.stringMatching(/^\/(diagnoses|index|ids|quarantine|storms|knowledge|plans)\/\*$/)]] });
          }
        }
        if (actions.includes('s3:PutObject')) {
          const prefixes = resourcesOf(statement).map((r) => (r as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1]);
          expect([['/diagnoses/*', '/ids/*', '/index/*', '/quarantine/*', '/storms/*'], ['/plans/*']]).toContainEqual(prefixes.sort());
        }
      }
    });

    it('lets only the API function write plans, and nobody the approval audit unless approvals are enabled', () => {
      const planWriters = identityStatements(service).filter(({ statement }) => actionsOf(statement).includes('s3:PutObject') && JSON.stringify(statement.Resource).includes('/plans/*'));
      expect(planWriters.map((p) => p.policy)).toEqual([expect.stringMatching(/^ApiFunctionRole/)]);
      expect(JSON.stringify(identityStatements(service))).not.toContain('/audit/*');
    });

    it('publishes only to the incident topic', () => {
      const publishes = identityStatements(service).filter(({ statement }) => actionsOf(statement).some((a) => a.startsWith('sns:')));
      expect(publishes).toHaveLength(3);
      for (const { statement } of publishes) {
        expect(actionsOf(statement)).toEqual(['sns:Publish']);
        expect(statement.Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/IncidentTopic/) });
      }
    });

    it('grants the read-only observability actions and no write action on Logs, CloudWatch or EKS', () => {
      const actions = new Set(identityStatements(service).flatMap(({ statement }) => actionsOf(statement)));
      for (const a of ['logs:StartQuery', 'logs:GetQueryResults', 'logs:StopQuery', 'logs:FilterLogEvents', 'logs:DescribeMetricFilters', 'logs:DescribeLogGroups', 'cloudwatch:GetMetricData', 'eks:DescribeCluster', 'eks:ListNodegroups', 'eks:DescribeNodegroup', 'eks:ListAddons', 'eks:DescribeAddon']) {
        expect(actions, a).toContain(a);
      }
      const allowedWrites = new Set(['logs:CreateLogStream', 'logs:PutLogEvents']);
      for (const a of actions) {
        if (/^(logs|cloudwatch|eks):/.test(a) && !allowedWrites.has(a)) expect(a).toMatch(/:(Describe|List|Get|StartQuery|StopQuery|FilterLogEvents)/);
      }
    });

    it('uses only exact KMS actions on the stack\'s key', () => {
      const kmsStatements = identityStatements(service).filter(({ statement }) => actionsOf(statement).some((a) => a.startsWith('kms:')));
      for (const { statement } of kmsStatements) {
        for (const action of actionsOf(statement)) expect(['kms:Decrypt', 'kms:GenerateDataKey']).toContain(action);
        expect(statement.Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/DataKey/) });
      }
    });
  });
});

describe('deployment with context', () => {
  it('scopes EKS reads to the named clusters, sets CLUSTER_NAME and filters alarms by name prefix', () => {
    const { serviceTemplate } = buildTemplates({
      clusterName: 'prod-eks',
      clusterNames: 'staging-eks',
      alarmNamePrefixes: 'prod-,payments-',
      logRetentionDays: 90,
      logGroupsByAlarm: '{"api-5xx":["/ecs/api"]}',
      browseUrl: 'https://ops.example.com/reports/',
    });
    serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CLUSTER_NAME: 'prod-eks', LOG_GROUPS_BY_ALARM: '{"api-5xx":["/ecs/api"]}', BROWSE_URL: 'https://ops.example.com/reports/' }) },
    });
    const eks = identityStatements(serviceTemplate).filter(({ statement }) => actionsOf(statement).includes('eks:DescribeCluster'));
    expect(eks).toHaveLength(3);
    for (const { statement } of eks) {
      const arns = JSON.stringify(statement.Resource);
      expect(arns).toContain(':cluster/prod-eks');
      expect(arns).toContain(':cluster/staging-eks');
      expect(arns).not.toContain('cluster/*');
    }
    serviceTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ alarmName: [{ prefix: 'prod-' }, { prefix: 'payments-' }] }) }),
    });
    for (const g of Object.values(serviceTemplate.findResources('AWS::Logs::LogGroup')) as { Properties: { RetentionInDays: number } }[]) {
      expect(g.Properties.RetentionInDays).toBe(90);
    }
  });

  it('adds the approve route with IAM auth and its own invoke policy, subscribes to alarm topics and e-mail', () => {
    const { serviceTemplate, dataTemplate } = buildTemplates({
      enableApprove: 'true',
      alarmTopicArns: 'arn:aws:sns:eu-west-1:123456789012:team-alarms',
      notificationEmail: 'oncall@example.com',
    });
    serviceTemplate.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'approve' });
    const methods = Object.values(serviceTemplate.findResources('AWS::ApiGateway::Method')) as { Properties: { AuthorizationType: string } }[];
    expect(methods).toHaveLength(6);
    for (const m of methods) expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
    serviceTemplate.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('approve'),
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'execute-api:Invoke', Resource: { 'Fn::Join': ['', Match.arrayWith(['/POST/v1/plans/*/approve'])] } })] },
    });
    serviceTemplate.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:team-alarms' });
    const auditWriters = identityStatements(serviceTemplate).filter(({ statement }) => actionsOf(statement).includes('s3:PutObject') && JSON.stringify(statement.Resource).includes('/audit/*'));
    expect(auditWriters.map((p) => p.policy)).toEqual([expect.stringMatching(/^ApiFunctionRole/)]);
    dataTemplate.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    expect(Object.keys(dataTemplate.findParameters('NotificationEmail'))).toHaveLength(0);
  });

  it('packages the functions as one container image for -c packaging=image (arm64)', () => {
    const { serviceTemplate } = buildTemplates({ packaging: 'image', architecture: 'arm64' });
    const functions = Object.values(serviceTemplate.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^ops-assistant') } })) as {
      Properties: Record<string, any>;
    }[];
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      expect(fn.Properties.PackageType).toBe('Image');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Layers).toBeUndefined();
      expect(fn.Properties.ImageConfig.Command[0]).toMatch(/^handlers\/(alarm|events|api)\.handler$/);
    }
    expect(Object.keys(serviceTemplate.findResources('AWS::Lambda::LayerVersion'))).toHaveLength(0);
  });

  it('rejects a bad context value with an error naming the key', () => {
    expect(() => buildTemplates({ architecture: 'sparc' })).toThrow(ConfigError);
    expect(() => buildTemplates({ architecture: 'sparc' })).toThrow(/context "architecture"/);
    expect(() => buildTemplates({ logRetentionDays: 31 })).toThrow(/context "logRetentionDays"/);
    expect(() => buildTemplates({ alarmTopicArns: 'not-an-arn' })).toThrow(/context "alarmTopicArns"/);
    expect(() => buildTemplates({ logGroupsByAlarm: '{"a": "not-a-list"}' })).toThrow(/context "logGroupsByAlarm"/);
  });
});
