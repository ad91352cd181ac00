/**
 * The team's Lambda function defaults in one construct: runtime (Node.js 22 or later),
 * architecture, memory, timeout, X-Ray tracing, an explicit log group with retention, JSON logs,
 * the environment, the ONNX layer, and an execution role that may write only to its own log group.
 * Packaged as an esbuild bundle (zip) or as a container image, by context.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OpsAssistantConfig } from './config.js';
import { LAYER_ROOT_PACKAGES } from '../../layers/onnx-layer.js';

/** Props of {@link OpsFunction}. */
export interface OpsFunctionProps {
  readonly config: OpsAssistantConfig;
  /** Repository root (holds package-lock.json, knowledge-base/, Dockerfile). */
  readonly repoRoot: string;
  /** Handler source file, relative to `repoRoot`, exporting `handler`: `functions/handlers/alarm.ts`. */
  readonly entry: string;
  /** What the function does (Lambda console description). */
  readonly description: string;
  /** Environment variables (merged over the Powertools defaults). */
  readonly environment: Record<string, string>;
  /** Layers of zip packaging (ignored for images, which carry the runtime). Default none. */
  readonly layers?: lambda.ILayerVersion[];
  /** Memory, MB. Default `config.memoryMb`. */
  readonly memoryMb?: number;
  /** Timeout, seconds. Default `config.timeoutSeconds`. */
  readonly timeoutSeconds?: number;
  /** Reserved concurrency. Default none (unreserved). */
  readonly reservedConcurrentExecutions?: number;
  /** DLQ of failed asynchronous invocations (after Lambda's retries). Default none. */
  readonly deadLetterQueue?: sqs.IQueue;
  /** Retries of failed asynchronous invocations, 0–2. Default 2. */
  readonly retryAttempts?: number;
}

/**
 * A Lambda function with the team defaults. `fn` is the function; `role` its execution role;
 * `logGroup` its log group.
 *
 * @example
 * new OpsFunction(this, 'AlarmFunction', { config, repoRoot, entry: 'functions/handlers/alarm.ts',
 *   description: 'Diagnoses CloudWatch alarms', environment: { DIAGNOSES_BUCKET: bucket.bucketName } });
 */
export class OpsFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: OpsFunctionProps) {
    super(scope, id);
    const { config } = props;
    const architecture = config.architecture === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Explicit role instead of AWSLambdaBasicExecutionRole: logs go to this function's group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `ops-assistant ${id}: execution role`,
    });
    this.logGroup.grantWrite(this.role);

    const common = {
      description: props.description,
      architecture,
      memorySize: props.memoryMb ?? config.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds ?? config.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      role: this.role,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: props.retryAttempts ?? 2,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'ops-assistant',
        POWERTOOLS_METRICS_NAMESPACE: 'OpsAssistant',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    } satisfies Partial<lambda.FunctionProps>;

    const handlerName = path.basename(props.entry).replace(/\.ts$/, '');
    if (config.packaging === 'image') {
      // One image for the three functions; the command picks the handler (see Dockerfile).
      this.fn = new lambda.DockerImageFunction(this, 'Function', {
        ...common,
        code: lambda.DockerImageCode.fromImageAsset(props.repoRoot, {
          cmd: [`handlers/${handlerName}.handler`],
          platform: config.architecture === 'arm64' ? Platform.LINUX_ARM64 : Platform.LINUX_AMD64,
        }),
      });
    } else {
      const entry = path.join(props.repoRoot, props.entry);
      this.fn = new NodejsFunction(this, 'Function', {
        ...common,
        runtime: config.nodeRuntime === 'nodejs24.x' ? lambda.Runtime.NODEJS_24_X : lambda.Runtime.NODEJS_22_X,
        entry,
        handler: 'handler',
        projectRoot: props.repoRoot,
        depsLockFilePath: path.join(props.repoRoot, 'package-lock.json'),
        layers: props.layers,
        bundling: {
          format: OutputFormat.ESM,
          target: config.nodeRuntime === 'nodejs24.x' ? 'node24' : 'node22',
          mainFields: ['module', 'main'],
          minify: true,
          sourceMap: true,
          sourceMapMode: SourceMapMode.EXTERNAL,
          // CommonJS dependencies inside an ESM bundle call require(): give them one.
          banner: "import { createRequire as __opsCreateRequire } from 'node:module'; const require = __opsCreateRequire(import.meta.url);",
          // The AWS SDK v3 is in the runtime; the ONNX runtime, transformers.js and sharp are in the layer.
          externalModules: ['@aws-sdk/*', ...LAYER_ROOT_PACKAGES],
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            // The handlers read the bundled runbooks from ./knowledge-base next to index.mjs.
            afterBundling: (inputDir: string, outputDir: string) => [knowledgeBaseCopyCommand(inputDir, outputDir), runbookIndexCommand(inputDir, outputDir)],
          },
        },
      });
    }
  }
}

/**
 * Shell command copying `<inputDir>/knowledge-base` next to the bundle; fails (and so fails the
 * synth) with a message naming the folder when it is missing.
 */
export function knowledgeBaseCopyCommand(inputDir: string, outputDir: string): string {
  const source = path.join(inputDir, 'knowledge-base');
  const target = path.join(outputDir, 'knowledge-base');
  return `if [ ! -d "${source}" ]; then echo "ops-assistant: ${source} is missing; the handlers need the bundled runbooks" >&2; exit 1; fi; cp -R "${source}" "${target}"`;
}

/**
 * Shell command writing the prebuilt runbook index (`runbook-index.json`) next to the bundle, so a
 * cold start loads it instead of chunking and indexing the runbooks (scripts/build-runbook-index.ts).
 */
export function runbookIndexCommand(inputDir: string, outputDir: string): string {
  return `cd "${inputDir}" && npx tsx scripts/build-runbook-index.ts --kb "${path.join(inputDir, 'knowledge-base')}" --out "${path.join(outputDir, 'runbook-index.json')}"`;
}

/** True when the three handler entry files exist under `repoRoot/functions/handlers`. */
export function handlersPresent(repoRoot: string, handlersDir = 'functions/handlers'): boolean {
  return ['alarm.ts', 'events.ts', 'api.ts'].every((f) => existsSync(path.join(repoRoot, handlersDir, f)));
}

/** Logical id of a construct's CloudFormation resource, as cdk-nag names it in findings. */
export function logicalIdOf(construct: Construct): string {
  return Stack.of(construct).resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
}
