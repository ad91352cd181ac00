/**
 * Builds the ops-assistant CDK app: the stateful stack `OpsAssistantData` and the stateless stack
 * `OpsAssistantService`, with cdk-nag's AwsSolutions pack registered as a validation plugin.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig, type OpsAssistantConfig } from './config.js';
import { OpsAssistantStatefulStack } from './stateful-stack.js';
import { OpsAssistantServiceStack } from './stateless-stack.js';

/** Repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Stack ids (also the CloudFormation stack names). Stable: they are part of the deployment contract. */
export const STACK_IDS = { data: 'OpsAssistantData', service: 'OpsAssistantService' } as const;

/** CDK feature flags the templates rely on (S3 access logs granted by bucket policy, not ACL). */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** The app; default a new `App()` (reads `cdk.json` context through the CLI). */
  readonly app?: App;
  /** Handler folder relative to the repository root. Default `functions/handlers`. */
  readonly handlersDir?: string;
  /** Register cdk-nag AwsSolutions as a validation plugin. Default true. */
  readonly nag?: boolean;
}

/** What {@link buildApp} returns. */
export interface OpsAssistantApp {
  readonly app: App;
  readonly config: OpsAssistantConfig;
  readonly data: OpsAssistantStatefulStack;
  readonly service: OpsAssistantServiceStack;
  /** The registered cdk-nag pack (undefined when `nag: false`). */
  readonly nag?: AwsSolutionsChecks;
}

/**
 * Creates both stacks in `app`. The stacks are environment-agnostic unless `CDK_DEFAULT_ACCOUNT`
 * and `CDK_DEFAULT_REGION` are set (the CDK CLI sets them from the credentials it finds), so
 * `cdk synth` needs no credentials.
 * @throws {ConfigError} for a bad context value.
 */
export function buildApp(options: BuildAppOptions = {}): OpsAssistantApp {
  const app = options.app ?? new App();
  // Feature flags this app depends on, set here so tests (which skip cdk.json) build the same templates.
  for (const [flag, value] of Object.entries(FEATURE_FLAGS)) {
    if (app.node.tryGetContext(flag) === undefined) app.node.setContext(flag, value);
  }
  const config = readConfig(app.node);
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const env: Environment | undefined = account && region ? { account, region } : undefined;
  const tags = { app: 'ops-assistant' };
  const data = new OpsAssistantStatefulStack(app, STACK_IDS.data, {
    env,
    config,
    tags,
    description: 'ops-assistant: diagnoses bucket, KMS key, incident topic and queues (stateful)',
  });
  const service = new OpsAssistantServiceStack(app, STACK_IDS.service, {
    env,
    config,
    data,
    repoRoot: REPO_ROOT,
    handlersDir: options.handlersDir,
    tags,
    description: 'ops-assistant: functions, EventBridge rules, API and alarms (stateless)',
  });
  service.addStackDependency(data);
  let nag: AwsSolutionsChecks | undefined;
  if (options.nag ?? true) {
    nag = new AwsSolutionsChecks(app, { verbose: true });
    Validations.of(app).addPlugins(nag);
  }
  return { app, config, data, service, nag };
}
