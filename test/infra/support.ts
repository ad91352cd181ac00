/**
 * Builds the CDK app for template tests: bundling skipped (`aws:cdk:bundling-stacks: []`), cdk-nag
 * off unless asked. Until functions/handlers/*.ts exist, the entries point at small fixture
 * handlers (NodejsFunction checks that its entry file exists even when bundling is skipped).
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, REPO_ROOT, type OpsAssistantApp } from '../../infra/lib/app.js';
import { handlersPresent } from '../../infra/lib/ops-function.js';

export const FIXTURE_HANDLERS = 'test/infra/fixtures/handlers';

/** Handler folder for tests: the real one when its three files exist, else the fixtures. */
export function testHandlersDir(): string | undefined {
  return handlersPresent(REPO_ROOT) ? undefined : FIXTURE_HANDLERS;
}

export interface BuiltTemplates extends OpsAssistantApp {
  readonly dataTemplate: Template;
  readonly serviceTemplate: Template;
}

/** Builds both stacks with the given context and returns their templates. */
export function buildTemplates(context: Record<string, unknown> = {}, nag = false): BuiltTemplates {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const built = buildApp({ app, handlersDir: testHandlersDir(), nag });
  return { ...built, dataTemplate: Template.fromStack(built.data), serviceTemplate: Template.fromStack(built.service) };
}

/** IAM policy statement as it appears in a template. */
export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  Principal?: unknown;
}

/** Every identity-policy statement (AWS::IAM::Policy and AWS::IAM::ManagedPolicy) of a template, with its resource id. */
export function identityStatements(template: Template): { policy: string; statement: Statement }[] {
  const out: { policy: string; statement: Statement }[] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [policy, resource] of Object.entries(template.findResources(type))) {
      const statements = (resource as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement;
      for (const statement of statements) out.push({ policy, statement });
    }
  }
  return out;
}

/** Actions of a statement as an array. */
export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Resources of a statement as an array. */
export function resourcesOf(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}
