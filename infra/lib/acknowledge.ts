/**
 * cdk-nag 3 acknowledgements with a required reason. Every acknowledgement of the app goes
 * through {@link acknowledge}, so a rule can never be silenced without saying why.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding (`AwsSolutions-IAM5[Resource::*]`) or rule (`AwsSolutions-S1`) on
 * a construct and its children.
 * @throws {Error} when the reason is shorter than 20 characters (not a reason).
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 20) throw new Error(`acknowledgement of ${id} on ${scope.node.path} needs a reason (got "${reason}")`);
  Validations.of(scope).acknowledge({ id, reason });
}
