/**
 * Alarms on the assistant itself, all notifying the incident topic: per function errors,
 * throttles and p99 duration near the timeout; dead-letter queue depth; age of the oldest message
 * in the alarm buffer; API 5XX. Alarm names start with `<stack name>-` so the alarm rule can leave
 * them out (the assistant does not diagnose itself in a loop).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of {@link SelfMonitoring}. */
export interface SelfMonitoringProps {
  readonly topic: sns.ITopic;
  /** Functions by short name (`alarm`, `events`, `api`) with their timeout in seconds. */
  readonly functions: readonly { readonly name: string; readonly fn: lambda.IFunction; readonly timeoutSeconds: number }[];
  /** Dead-letter queues by short name; any visible message alarms. */
  readonly deadLetterQueues: readonly { readonly name: string; readonly queue: sqs.IQueue }[];
  /** The alarm buffer; alarms when its oldest message is older than `maxBufferAgeSeconds`. */
  readonly bufferQueue: sqs.IQueue;
  /** Default 900 s. */
  readonly maxBufferAgeSeconds?: number;
  readonly api: apigw.RestApi;
}

/** Fraction of the timeout at which the p99 duration alarm fires. */
export const DURATION_ALARM_FRACTION = 0.8;

/** The assistant's own alarms. */
export class SelfMonitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Prefix of every alarm name created here. */
  readonly alarmNamePrefix: string;

  constructor(scope: Construct, id: string, props: SelfMonitoringProps) {
    super(scope, id);
    this.alarmNamePrefix = selfAlarmPrefix(Stack.of(this));
    const action = new actions.SnsAction(props.topic);
    const add = (id: string, name: string, metric: cloudwatch.IMetric, threshold: number, description: string): void => {
      const alarm = new cloudwatch.Alarm(this, id, {
        alarmName: `${this.alarmNamePrefix}${name}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    };
    const period = Duration.minutes(5);
    for (const { name, fn, timeoutSeconds } of props.functions) {
      const cap = capitalize(name);
      add(`${cap}Errors`, `${name}-errors`, fn.metricErrors({ period, statistic: 'Sum' }), 1, `ops-assistant ${name} function: invocation errors`);
      add(`${cap}Throttles`, `${name}-throttles`, fn.metricThrottles({ period, statistic: 'Sum' }), 1, `ops-assistant ${name} function: throttled (reserved concurrency reached)`);
      add(
        `${cap}DurationNearTimeout`,
        `${name}-duration-near-timeout`,
        fn.metricDuration({ period, statistic: 'p99' }),
        Math.round(timeoutSeconds * 1000 * DURATION_ALARM_FRACTION),
        `ops-assistant ${name} function: p99 duration at ${DURATION_ALARM_FRACTION * 100}% of the ${timeoutSeconds} s timeout`,
      );
    }
    for (const { name, queue } of props.deadLetterQueues) {
      add(
        `${capitalize(name)}Depth`,
        `${name}-depth`,
        queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        1,
        `ops-assistant: messages in the ${name} dead-letter queue`,
      );
    }
    add(
      'AlarmBufferAge',
      'alarm-buffer-age',
      props.bufferQueue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
      props.maxBufferAgeSeconds ?? 900,
      'ops-assistant: alarms wait too long in the buffer queue (storm or stuck function)',
    );
    add('Api5xx', 'api-5xx', props.api.metricServerError({ period, statistic: 'Sum' }), 5, 'ops-assistant API: 5XX responses');
  }
}

/** Alarm name prefix of a stack's own alarms: `<stack name>-`. */
export function selfAlarmPrefix(stack: Stack): string {
  return `${stack.stackName}-`;
}

function capitalize(s: string): string {
  return s.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
}
