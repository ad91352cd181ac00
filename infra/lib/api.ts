/**
 * The assistant's REST API: IAM (SigV4) authorization on every method, stage throttling, request
 * validation (JSON Schema models for bodies, required path parameters) and JSON access logs.
 *
 * Routes: `POST /v1/diagnoses`, `GET /v1/diagnoses`, `GET /v1/diagnoses/{id}`, `POST /v1/ask`,
 * `GET /v1/plans/{id}`, and with context `enableApprove=true`, `POST /v1/plans/{id}/approve`,
 * invocable only by principals holding the separate approver policy. A body API Gateway's own
 * validation refuses is answered in the function's error shape, naming each route's keys.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.js';
import type { OpsAssistantConfig } from './config.js';
import { logicalIdOf } from './ops-function.js';
import { API_BODY_LIMITS } from '../../functions/core/stages/normalize/api.js';

/**
 * The keys of each POST route, in words, for API Gateway's `BAD_REQUEST_BODY` answer (its model
 * validation runs before the function, which names the keys in its own answers).
 */
export const POST_BODY_KEYS = 'POST /v1/diagnoses takes { event?: object, evidence?: string | string[], question?: string, context?: { cluster?, namespace?, service?, since? } } with event and/or evidence; POST /v1/ask takes { question: string, context?: { cluster?, namespace?, service?, since? } }; POST /v1/plans/{id}/approve takes no body or {}';

/** Props of {@link OpsAssistantApi}. */
export interface OpsAssistantApiProps {
  readonly config: OpsAssistantConfig;
  /** The function behind every route (Lambda proxy integration). */
  readonly handler: lambda.IFunction;
}

/** Stage name of the deployment (the routes themselves carry the `/v1` version). */
export const API_STAGE = 'prod';

/** REST API with IAM auth, throttling, validation and access logs. */
export class OpsAssistantApi extends Construct {
  readonly api: apigw.RestApi;
  readonly accessLogGroup: logs.LogGroup;
  /** Managed policy to attach to callers of the read/submit routes. */
  readonly invokePolicy: iam.ManagedPolicy;
  /** Managed policy to attach to plan approvers (only when `enableApprove`). */
  readonly approvePolicy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: OpsAssistantApiProps) {
    super(scope, id);
    const { config } = props;

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new apigw.RestApi(this, 'RestApi', {
      description: 'ops-assistant: diagnoses API (SigV4 / IAM authorization)',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: false,
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
      deployOptions: {
        stageName: API_STAGE,
        throttlingRateLimit: config.apiRateLimit,
        throttlingBurstLimit: config.apiBurstLimit,
        tracingEnabled: true,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: true, httpMethod: true, ip: true, protocol: true, requestTime: true,
          resourcePath: true, responseLength: true, status: true, user: true,
        }),
      },
    });
    acknowledge(this.api, 'AwsSolutions-APIG6', 'Access logs are on; stage execution logging would need the account-wide API Gateway CloudWatch role, which this app does not take over.');
    acknowledge(this.api, 'AwsSolutions-APIG3', 'Every method requires SigV4 (IAM) signatures and the stage is throttled; add WAF per account policy.');
    acknowledge(this.api, 'AwsSolutions-COG4', 'Callers are IAM principals (AuthorizationType.IAM), not Cognito users.');

    // A body the models refuse is answered like the function's own errors, naming each route's keys.
    this.api.addGatewayResponse('BadRequestBody', {
      type: apigw.ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      // Plain text only (no $context.error.validationErrorString: it holds quotes that would break the JSON).
      templates: { 'application/json': JSON.stringify({ error: { code: 'INVALID_BODY', message: `request body does not match the route's model (API Gateway validation). ${POST_BODY_KEYS}` } }) },
    });
    const bodyValidator = this.api.addRequestValidator('BodyValidator', { validateRequestBody: true, validateRequestParameters: true });
    const paramsValidator = this.api.addRequestValidator('ParamsValidator', { validateRequestBody: false, validateRequestParameters: true });
    // Mirrors diagnosisRequestSchema (functions/core/stages/normalize/api.ts), with its limits; the function re-validates.
    const diagnosisRequest = this.api.addModel('DiagnosisRequest', {
      contentType: 'application/json',
      modelName: 'DiagnosisRequest',
      schema: {
        schema: apigw.JsonSchemaVersion.DRAFT4,
        title: 'DiagnosisRequest',
        description: "An event payload and/or evidence text to diagnose: give 'event' and/or 'evidence'.",
        type: apigw.JsonSchemaType.OBJECT,
        additionalProperties: false,
        anyOf: [{ required: ['event'] }, { required: ['evidence'] }],
        properties: {
          event: { type: apigw.JsonSchemaType.OBJECT },
          evidence: {
            oneOf: [
              { type: apigw.JsonSchemaType.STRING, maxLength: API_BODY_LIMITS.evidenceChars },
              { type: apigw.JsonSchemaType.ARRAY, maxItems: API_BODY_LIMITS.evidenceItems, items: { type: apigw.JsonSchemaType.STRING, maxLength: API_BODY_LIMITS.evidenceChars } },
            ],
          },
          question: { type: apigw.JsonSchemaType.STRING, maxLength: API_BODY_LIMITS.questionChars },
          context: { type: apigw.JsonSchemaType.OBJECT },
        },
      },
    });
    const askRequest = this.api.addModel('AskRequest', {
      contentType: 'application/json',
      modelName: 'AskRequest',
      schema: {
        schema: apigw.JsonSchemaVersion.DRAFT4,
        title: 'AskRequest',
        type: apigw.JsonSchemaType.OBJECT,
        minProperties: 1,
      },
    });
    const approveRequest = this.api.addModel('ApproveRequest', {
      contentType: 'application/json',
      modelName: 'ApproveRequest',
      schema: { schema: apigw.JsonSchemaVersion.DRAFT4, title: 'ApproveRequest', type: apigw.JsonSchemaType.OBJECT },
    });

    const integration = new apigw.LambdaIntegration(props.handler, { proxy: true });
    const v1 = this.api.root.addResource('v1');
    const diagnoses = v1.addResource('diagnoses');
    diagnoses.addMethod('POST', integration, { requestValidator: bodyValidator, requestModels: { 'application/json': diagnosisRequest } });
    diagnoses.addMethod('GET', integration, {
      requestValidator: paramsValidator,
      requestParameters: {
        'method.request.querystring.since': false,
        'method.request.querystring.category': false,
        'method.request.querystring.resource': false,
        'method.request.querystring.limit': false,
        'method.request.querystring.cursor': false,
      },
    });
    diagnoses.addResource('{id}').addMethod('GET', integration, {
      requestValidator: paramsValidator,
      requestParameters: { 'method.request.path.id': true },
    });
    v1.addResource('ask').addMethod('POST', integration, { requestValidator: bodyValidator, requestModels: { 'application/json': askRequest } });
    const plan = v1.addResource('plans').addResource('{id}');
    plan.addMethod('GET', integration, { requestValidator: paramsValidator, requestParameters: { 'method.request.path.id': true } });

    const stage = this.api.deploymentStage.stageName;
    const invokeArns = [
      this.api.arnForExecuteApi('POST', '/v1/diagnoses', stage),
      this.api.arnForExecuteApi('GET', '/v1/diagnoses', stage),
      this.api.arnForExecuteApi('GET', '/v1/diagnoses/*', stage),
      this.api.arnForExecuteApi('POST', '/v1/ask', stage),
      this.api.arnForExecuteApi('GET', '/v1/plans/*', stage),
    ];
    this.invokePolicy = new iam.ManagedPolicy(this, 'InvokePolicy', {
      description: 'ops-assistant API: submit and read diagnoses, ask, read plans',
      statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: invokeArns })],
    });

    const stageRef = `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalIdOf(this.api)}>/<${logicalIdOf(this.api.deploymentStage)}>`;
    acknowledge(this.invokePolicy, `AwsSolutions-IAM5[Resource::${stageRef}/GET/v1/diagnoses/*]`, 'Diagnosis ids are created at run time; the pattern covers GET /v1/diagnoses/{id} only.');
    acknowledge(this.invokePolicy, `AwsSolutions-IAM5[Resource::${stageRef}/GET/v1/plans/*]`, 'Plan ids are created at run time; the pattern covers GET /v1/plans/{id} only.');

    if (config.enableApprove) {
      plan.addResource('approve').addMethod('POST', integration, {
        requestValidator: bodyValidator,
        requestParameters: { 'method.request.path.id': true },
        requestModels: { 'application/json': approveRequest },
      });
      this.approvePolicy = new iam.ManagedPolicy(this, 'ApprovePolicy', {
        description: 'ops-assistant API: approve remediation plans (separate from read access)',
        statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [this.api.arnForExecuteApi('POST', '/v1/plans/*/approve', stage)] })],
      });
      acknowledge(this.approvePolicy, `AwsSolutions-IAM5[Resource::${stageRef}/POST/v1/plans/*/approve]`, 'Plan ids are created at run time; the pattern covers POST /v1/plans/{id}/approve only.');
    }
  }
}
