/**
 * Infrastructure as code from plain words: CloudWatch alarms (metric and metric math), log metric
 * filters and EventBridge rules, written as a CDK TypeScript snippet for a Stack constructor
 * (`this` is the scope). The snippet is synthesized by an adapter (see `IacSynthesizer`) to check
 * it and to show the CloudFormation; it is returned as a plan, never deployed.
 *
 * Metric names and dimensions: AWS docs "CloudWatch metrics for your Application Load Balancer",
 * "Monitoring Lambda functions with CloudWatch metrics", "Amazon SQS metrics", Container Insights
 * "Amazon EKS and Kubernetes Container Insights metrics".
 */
import type { AskEntities } from './intent.js';

/** What the question asks to build. */
export interface IacSpec {
  readonly kind: 'metric-alarm' | 'metric-math-alarm' | 'metric-filter' | 'event-rule';
  /** Logical id / name stem, e.g. `CheckoutTarget5xxRate`. */
  readonly id: string;
  /** What the resource watches, in words. */
  readonly description: string;
  readonly snippet: string;
  /** Where the alarm or rule notifies: the incident topic when its ARN is known; otherwise `undefined` (an action is needed, and the snippet says so). */
  readonly action?: { readonly kind: 'sns'; readonly topicArn: string };
}

/** Options of {@link buildIacSpec}. */
export interface IacOptions {
  /** ARN of the incident SNS topic (the deployment's `INCIDENT_TOPIC_ARN`): alarms and rules are wired to it. */
  readonly incidentTopicArn?: string;
}

/** Port: synthesizes a CDK snippet and returns the CloudFormation `Resources`. */
export interface IacSynthesizer {
  synthesize(snippet: string): Promise<Record<string, unknown>>;
}

function pascal(...parts: string[]): string {
  return parts.join('-').split(/[^a-zA-Z0-9]+/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
}

const js = (value: unknown) => JSON.stringify(value);

/** A threshold in words: the number, its unit as said, and the comparison. */
interface Threshold {
  readonly value: number;
  /** `time` when the words gave a duration (then `ms` holds it in milliseconds). */
  readonly unit: 'percent' | 'time' | 'count' | undefined;
  readonly ms?: number;
  readonly op: 'GREATER_THAN_THRESHOLD' | 'LESS_THAN_THRESHOLD';
}

function parseThreshold(q: string): Threshold | undefined {
  const m = /\b(over|above|more than|greater than|higher than|exceeds?|exceeding|reaches|hits|>=?|under|below|less than|lower than|drops below|<=?)\s*(\d+(?:\.\d+)?)\s*(%|percent\b|ms\b|milliseconds?\b|s\b|secs?\b|seconds?\b|minutes?\b|mins?\b|messages?\b|errors?\b|times\b|requests?\b|invocations?\b)?/.exec(q);
  if (!m) return undefined;
  const below = /under|below|less|lower|</.test(m[1]!);
  const value = Number(m[2]);
  const unit = m[3] ?? '';
  const op = below ? 'LESS_THAN_THRESHOLD' : 'GREATER_THAN_THRESHOLD';
  if (unit === '%' || unit === 'percent') return { value, unit: 'percent', op };
  if (/^(?:ms|millisecond)/.test(unit)) return { value, unit: 'time', ms: value, op };
  if (/^(?:s|sec|second)/.test(unit)) return { value, unit: 'time', ms: value * 1000, op };
  if (/^min/.test(unit)) return { value, unit: 'time', ms: value * 60_000, op };
  return { value, unit: unit ? 'count' : undefined, op };
}

/** The threshold in the metric's own unit (CloudWatch: ALB TargetResponseTime and SQS ages in seconds, Lambda Duration in milliseconds). */
function inUnit(t: Threshold, metricUnit: 'seconds' | 'milliseconds' | 'count'): number {
  if (t.unit !== 'time' || t.ms === undefined || metricUnit === 'count') return t.value;
  return metricUnit === 'seconds' ? t.ms / 1000 : t.ms;
}

function parseMinutes(q: string): number {
  const m = /\bfor\s+(\d+)\s*(minutes?|mins?|m)\b/.exec(q) ?? /\b(\d+)\s*(minutes?|mins?)\b/.exec(q);
  return m ? Math.max(1, Math.min(60, Number(m[1]))) : 5;
}

function alarmSnippet(id: string, metricExpr: string, threshold: number, op: string, minutes: number, description: string, topicArn: string | undefined): string {
  const variable = lowerFirst(id);
  return `const ${variable} = new cloudwatch.Alarm(this, ${js(id)}, {
  alarmDescription: ${js(description)},
  metric: ${metricExpr},
  threshold: ${threshold},
  comparisonOperator: cloudwatch.ComparisonOperator.${op},
  evaluationPeriods: ${minutes},
  datapointsToAlarm: ${minutes},
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});
${topicSnippet(topicArn)}
${topicArn ? '' : '// '}${variable}.addAlarmAction(new cw_actions.SnsAction(incidentTopic));`;
}

/** The incident topic, imported by ARN; without an ARN, commented out with a note that an action is needed. */
function topicSnippet(topicArn: string | undefined): string {
  return topicArn
    ? `const incidentTopic = sns.Topic.fromTopicArn(this, 'IncidentTopic', ${js(topicArn)});`
    : `// ACTION NEEDED: this notifies no one until it has an action. Put the incident topic's ARN here and uncomment:
// const incidentTopic = sns.Topic.fromTopicArn(this, 'IncidentTopic', 'arn:aws:sns:<region>:<account>:<incident-topic>');`;
}

/** A percentage or a count the parser read (`thresholdPercent`, `thresholdCount`) wins over the words; counts stay counts, percentages stay percentages. */
function thresholdFrom(entities: AskEntities, words: Threshold | undefined): Threshold | undefined {
  const op = words?.op ?? 'GREATER_THAN_THRESHOLD';
  if (entities.thresholdPercent !== undefined) return { value: entities.thresholdPercent, unit: 'percent', op };
  if (entities.thresholdCount !== undefined) return { value: entities.thresholdCount, unit: 'count', op };
  return words;
}

/**
 * Turns a question into an {@link IacSpec}, or undefined when no supported resource is recognised.
 * Names come from the parsed entities (already restricted to DNS-label characters): `targetGroup`,
 * `loadBalancer`, `function`, `queue` and `cluster` are used as named, before names read from the
 * words. A `thresholdPercent` gives a percentage (ALB 5xx and Lambda errors as metric math over
 * the request or invocation count), a `thresholdCount` a `Sum` threshold on the count itself.
 * Alarms and rules are wired to `options.incidentTopicArn` (an SNS action); without it the
 * snippet carries the wiring commented out under "ACTION NEEDED".
 * @example buildIacSpec('alert me when the checkout target group 5xx rate is over 1% for 5 minutes', { targetGroup: 'checkout', thresholdPercent: 1 }, { incidentTopicArn: 'arn:aws:sns:eu-west-1:111122223333:incidents' })
 *   // → { kind: 'metric-math-alarm', id: 'CheckoutTarget5xxRate', action: { kind: 'sns', topicArn: '…' }, snippet: 'const checkoutTarget5xxRate = new cloudwatch.Alarm(…' }
 */
export function buildIacSpec(question: string, entities: AskEntities, options: IacOptions = {}): IacSpec | undefined {
  const spec = buildSpec(question, entities, options.incidentTopicArn);
  return spec && options.incidentTopicArn ? { ...spec, action: { kind: 'sns', topicArn: options.incidentTopicArn } } : spec;
}

function buildSpec(question: string, entities: AskEntities, topicArn: string | undefined): IacSpec | undefined {
  const q = question.toLowerCase();
  const threshold = thresholdFrom(entities, parseThreshold(q));
  const minutes = parseMinutes(q);
  const named = (re: RegExp) => [...q.matchAll(re)].map((m) => m[1]!).find((n) => !RESOURCE_WORDS.has(n));
  // A target group named as one; else the load balancer's own name (its metrics then carry the LoadBalancer dimension alone).
  const targetGroup = entities.targetGroup ?? named(/(?<![\w-])([a-z0-9][a-z0-9-]{0,100})(?:'s)?\s{1,8}(?:target group|tg)\b/g);
  const alb = entities.loadBalancer ?? named(/(?<![\w-])(?:alb|load balancer)\s+([a-z0-9][a-z0-9-]*)/g)?.replace(/^(?:the|my|our)$/, '') ?? named(/(?<![\w-])([a-z0-9][a-z0-9-]{0,100})(?:'s)?\s{1,8}(?:load balancer|alb)\b/g) ?? undefined;
  const idsToReplace = targetGroup || !alb ? 'TargetGroup and LoadBalancer ids' : 'LoadBalancer id';
  const target = targetGroup ?? alb ?? entities.service ?? entities.workload?.name ?? 'my-service';
  const fn = entities.function ?? named(/\b(?:lambda|function)\s+([a-z0-9][a-z0-9_-]*)/g) ?? named(/\b([a-z0-9][a-z0-9_-]{0,100})\s{1,8}(?:lambda|function)\b/g);
  const queue = entities.queue ?? named(/\bqueue\s+([a-z0-9][a-z0-9_-]*)/g) ?? named(/\b([a-z0-9][a-z0-9_-]{0,100})\s{1,8}(?:queue|dlq)\b/g);
  const lbDims = targetGroup || !alb
    ? `{ TargetGroup: 'targetgroup/${target}/<target-group-id>', LoadBalancer: 'app/${alb || 'my-alb'}/<load-balancer-id>' }`
    : `{ LoadBalancer: 'app/${alb}/<load-balancer-id>' }`;
  // A quoted phrase that should be counted in logs: "alert me if "connection refused" appears in … logs".
  const quoted = /["'`]([A-Za-z0-9_:.\- ]{2,80})["'`]/.exec(question)?.[1]?.trim();

  if (/metric filter|log filter/.test(q) || (quoted && /\blogs?\b|\bappears?\b|\bis logged\b|\bshows? up\b/.test(q))) {
    const term = quoted ?? /\bfor\s{1,8}([A-Za-z0-9_:.\- ]{1,200}?)(?:\s{1,8}(?:in|on|from)\b|$)/.exec(question)?.[1]?.trim() ?? 'ERROR';
    const cluster = entities.cluster ?? 'my-cluster';
    const logGroup = /oomkill|evict|kube|pod|container/i.test(term) || entities.cluster ? `/aws/containerinsights/${cluster}/application` : `/aws/lambda/${fn ?? 'my-function'}`;
    const id = pascal(term, 'in', cluster, 'filter');
    const metricName = pascal(term, 'count');
    return {
      kind: 'metric-filter', id, description: `count of log events containing "${term}" in ${logGroup}`,
      snippet: `const ${lowerFirst(id)} = new logs.MetricFilter(this, ${js(id)}, {
  logGroup: logs.LogGroup.fromLogGroupName(this, ${js(`${id}LogGroup`)}, ${js(logGroup)}),
  filterPattern: logs.FilterPattern.literal(${js(`"${term}"`)}),
  metricNamespace: 'OpsAssistant/LogPatterns',
  metricName: ${js(metricName)},
  metricValue: '1',
  defaultValue: 0,
});
${alarmSnippet(`${id}Alarm`, `${lowerFirst(id)}.metric({ statistic: 'Sum', period: Duration.minutes(1) })`, threshold?.value ?? 0, 'GREATER_THAN_THRESHOLD', 1, `${term} seen in ${logGroup}`, topicArn)}`,
    };
  }
  if (/eventbridge rule|event rule|rule for|when (?:an? )?(?:ecs )?task stops|task stopped|instance (?:stops|stopped|terminated)|health event/.test(q)) {
    const ecs = /ecs|task/.test(q);
    const health = /health/.test(q);
    const id = pascal(ecs ? 'ecs-task-stopped' : health ? 'aws-health-issue' : 'ec2-instance-stopped', 'rule');
    const pattern = ecs
      ? { source: ['aws.ecs'], detailType: ['ECS Task State Change'], detail: { lastStatus: ['STOPPED'], ...(entities.cluster ? { clusterArn: [{ wildcard: `*:cluster/${entities.cluster}` }] } : {}) } }
      : health
        ? { source: ['aws.health'], detailType: ['AWS Health Event'], detail: { eventTypeCategory: ['issue'] } }
        : { source: ['aws.ec2'], detailType: ['EC2 Instance State-change Notification'], detail: { state: ['stopped', 'terminated'] } };
    return {
      kind: 'event-rule', id, description: `EventBridge rule matching ${pattern.detailType[0]} events`,
      snippet: `new events.Rule(this, ${js(id)}, {
  description: ${js(`Matches ${pattern.detailType[0]} events (created by ops-assistant)`)},
  eventPattern: ${js(pattern).replace(/"detailType"/, 'detailType').replace(/"(source|detail)"/g, '$1')},
  ${topicArn ? '' : '// '}targets: [new targets.SnsTopic(incidentTopic)],
});`.replace(/^/, `${topicSnippet(topicArn)}\n`),
    };
  }
  if (!threshold) return undefined;
  if (/\b5xx|\b5\d\d(?:s|\b)(?!\s*(?:ms|milliseconds?|s\b|seconds?))|server errors?|error rate/.test(q) && (/target group|load balancer|alb|\btg\b/.test(q) || entities.targetGroup || entities.loadBalancer)) {
    const dims = lbDims;
    // A count stays a count: the Sum of 5xx responses per minute, not a rate.
    const asCount = threshold.unit === 'count' || (threshold.unit === undefined && !/\brate\b|\bratio\b|%|percent/.test(q));
    if (asCount) {
      const id = pascal(target, 'target-5xx-count');
      const expr = `new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensionsMap: ${dims}, statistic: 'Sum', period: Duration.minutes(1) })`;
      const words = `${target} target 5xx responses ${threshold.op === 'LESS_THAN_THRESHOLD' ? 'below' : 'above'} ${threshold.value} per minute for ${minutes} minutes`;
      return { kind: 'metric-alarm', id, description: `${words} (replace the ${idsToReplace} with yours)`, snippet: alarmSnippet(id, expr, threshold.value, threshold.op, minutes, words, topicArn) };
    }
    const id = pascal(target, 'target-5xx-rate');
    const expr = `new cloudwatch.MathExpression({
    expression: '100 * errors / requests',
    label: ${js(`${target} target 5xx rate (%)`)},
    period: Duration.minutes(1),
    usingMetrics: {
      errors: new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensionsMap: ${dims}, statistic: 'Sum', period: Duration.minutes(1) }),
      requests: new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensionsMap: ${dims}, statistic: 'Sum', period: Duration.minutes(1) }),
    },
  })`;
    return {
      kind: 'metric-math-alarm', id,
      description: `${target} target group 5xx rate over ${threshold.value}% for ${minutes} minutes (replace the ${idsToReplace} with yours)`,
      snippet: alarmSnippet(id, expr, threshold.value, threshold.op, minutes, `${target} target 5xx rate above ${threshold.value}% for ${minutes} minutes`, topicArn),
    };
  }
  const metric = (ns: string, name: string, dims: Record<string, string>, stat: string) =>
    `new cloudwatch.Metric({ namespace: ${js(ns)}, metricName: ${js(name)}, dimensionsMap: ${js(dims)}, statistic: ${js(stat)}, period: Duration.minutes(1) })`;
  let spec: { id: string; expr: string; what: string; unit: 'seconds' | 'milliseconds' | 'count' } | undefined;
  if ((fn || /lambda/.test(q)) && threshold.unit === 'percent' && !/throttl|duration|latency|slow/.test(q)) {
    // A percentage of invocations that fail: metric math over Errors and Invocations.
    const name = fn ?? 'my-function';
    const id = pascal(name, 'error-rate');
    const m = (metricName: string) => `new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: ${js(metricName)}, dimensionsMap: ${js({ FunctionName: name })}, statistic: 'Sum', period: Duration.minutes(1) })`;
    const expr = `new cloudwatch.MathExpression({
    expression: '100 * errors / MAX([invocations, 1])',
    label: ${js(`${name} error rate (%)`)},
    period: Duration.minutes(1),
    usingMetrics: { errors: ${m('Errors')}, invocations: ${m('Invocations')} },
  })`;
    const words = `Lambda ${name} error rate ${threshold.op === 'LESS_THAN_THRESHOLD' ? 'below' : 'above'} ${threshold.value}% for ${minutes} minutes`;
    return { kind: 'metric-math-alarm', id, description: words, snippet: alarmSnippet(id, expr, threshold.value, threshold.op, minutes, words, topicArn) };
  }
  if (fn || /lambda/.test(q)) {
    const name = fn ?? 'my-function';
    const which = /throttl/.test(q) ? 'Throttles' : /duration|latency|slow|takes? (?:longer|more)/.test(q) ? 'Duration' : 'Errors';
    spec = { id: pascal(name, which), expr: metric('AWS/Lambda', which, { FunctionName: name }, which === 'Duration' ? 'p99' : 'Sum'), what: `Lambda ${name} ${which}${which === 'Duration' ? ' p99 (ms)' : ''}`, unit: which === 'Duration' ? 'milliseconds' : 'count' };
  } else if (queue || /sqs|backlog|messages|dlq|dead-letter/.test(q)) {
    const name = queue ?? 'my-queue';
    const age = /\bage\b|\boldest\b|\bolder than\b/.test(q);
    spec = { id: pascal(name, age ? 'oldest-message-age' : 'backlog'), expr: metric('AWS/SQS', age ? 'ApproximateAgeOfOldestMessage' : 'ApproximateNumberOfMessagesVisible', { QueueName: name }, 'Maximum'), what: `SQS ${name} ${age ? 'oldest message age (s)' : 'visible messages'}`, unit: age ? 'seconds' : 'count' };
  } else if (/latency|response time|slow/.test(q)) {
    spec = { id: pascal(target, 'target-response-time'), expr: metric('AWS/ApplicationELB', 'TargetResponseTime', targetGroup || !alb ? { TargetGroup: `targetgroup/${target}/<target-group-id>`, LoadBalancer: `app/${alb || 'my-alb'}/<load-balancer-id>` } : { LoadBalancer: `app/${alb}/<load-balancer-id>` }, 'p99'), what: `${target} p99 target response time (s)`, unit: 'seconds' };
  } else if (/cpu/.test(q) && (entities.cluster || entities.namespace)) {
    const cluster = entities.cluster ?? 'my-cluster';
    spec = { id: pascal(target, 'pod-cpu'), expr: metric('ContainerInsights', 'pod_cpu_utilization', { ClusterName: cluster, Namespace: entities.namespace ?? 'default', PodName: target }, 'Average'), what: `${target} pod CPU utilization (%) in ${cluster}`, unit: 'count' };
  }
  if (!spec) return undefined;
  const value = inUnit(threshold, spec.unit);
  const words = `${spec.what} ${threshold.op === 'LESS_THAN_THRESHOLD' ? 'below' : 'above'} ${value} for ${minutes} minutes`;
  return { kind: 'metric-alarm', id: spec.id, description: words, snippet: alarmSnippet(spec.id, spec.expr, value, threshold.op, minutes, words, topicArn) };
}

/** Words that follow "lambda", "function" or "queue" without naming one. */
const RESOURCE_WORDS = new Set(['the', 'a', 'an', 'my', 'our', 'errors', 'error', 'throttles', 'throttling', 'throttled', 'duration', 'latency', 'timeouts', 'invocations', 'logs', 'log', 'is', 'has', 'fails', 'failures', 'depth', 'backlog', 'age', 'messages', 'that', 'which', 'when', 'if', 'in', 'on', 'of', 'for', 'target', 'targets', 'group', '5xx', '4xx', 'returning', 'returns', 'rate', 'count']);

function lowerFirst(s: string): string {
  return s[0]!.toLowerCase() + s.slice(1);
}

/** The imports a snippet needs, to paste above the Stack class. */
export const IAC_IMPORTS = "import { Duration, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as cw_actions, aws_events as events, aws_events_targets as targets, aws_logs as logs, aws_sns as sns } from 'aws-cdk-lib';";
