/**
 * Synthesizes the ask use case's CDK snippets with aws-cdk-lib, in process, to check them and to
 * show the CloudFormation they produce. Implements {@link IacSynthesizer}.
 *
 * The snippet is code the assistant generated itself (names restricted to DNS-label characters,
 * strings JSON-escaped); it runs inside a fresh `App`/`Stack` and nothing is deployed.
 * aws-cdk-lib is loaded lazily, so deployments without it simply skip synthesis.
 */
import type { IacSynthesizer } from '../../core/ask/iac.js';

export class CdkIacSynthesizer implements IacSynthesizer {
  async synthesize(snippet: string): Promise<Record<string, unknown>> {
    const cdk = await import('aws-cdk-lib');
    const app = new cdk.App();
    const stack = new cdk.Stack(app, 'OpsAssistantPlan', { env: { account: '111111111111', region: 'us-east-1' } });
    // The snippet is the body of a Stack constructor: `this` is the stack.
    const body = new Function('cloudwatch', 'cw_actions', 'events', 'targets', 'logs', 'sns', 'Duration', snippet);
    body.call(stack, cdk.aws_cloudwatch, cdk.aws_cloudwatch_actions, cdk.aws_events, cdk.aws_events_targets, cdk.aws_logs, cdk.aws_sns, cdk.Duration);
    const template = app.synth().getStackByName(stack.stackName).template as { Resources?: Record<string, unknown> };
    return template.Resources ?? {};
  }
}
