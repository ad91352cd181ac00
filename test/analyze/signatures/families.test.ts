import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../../functions/core/stages/analyze/signatures/index.js';
import { awsErrorCodes, categoryOfAwsCode } from '../../../functions/core/stages/analyze/signatures/aws-error-codes.js';
import { matchFailureStates } from '../../../functions/core/stages/analyze/index.js';
import { analyzeLatency, slowCalls, callDurations } from '../../../functions/core/stages/analyze/index.js';
import { parseEvidenceText } from '../../../functions/core/stages/collect/formats/index.js';
import { runFamilies, type Probe } from '../../../eval/families.js';
import { context, logs } from '../kubernetes/fixtures/context.js';

const top = (text: string, kind: 'log' | 'event' | 'describe' = 'log') => {
  const v = classifyLine({ kind, text, source: 's' }).sort((a, b) => b.weight - a.weight);
  return v[0]?.category;
};

describe('message families', () => {
  it('reads an AWS error code in every SDK and CLI layout', () => {
    for (const line of [
      'An error occurred (ThrottlingException) when calling the DescribeLogStreams operation (reached max retries: 4): Rate exceeded',
      '(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ProvisionedThroughputExceededException; Request ID: X)',
      "  code: 'ThrottlingException',",
      'api error ThrottlingException: Rate exceeded',
      '{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"x"}',
      '<Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error>',
      'software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException: x',
    ]) expect([line, top(line)]).toEqual([line, 'api_throttling']);
    expect(awsErrorCodes('Runtime.ImportModuleError: x')).toContain('Runtime.ImportModuleError');
    expect(categoryOfAwsCode('LimitExceededException', 'LimitExceededException: Rate exceeded for stream')?.category).toBe('api_throttling');
    expect(categoryOfAwsCode('LimitExceededException', 'LimitExceededException: Limit for stacks exceeded')?.category).toBe('service_quota_exceeded');
    // Kubernetes reasons share the shape but are not AWS quotas
    expect(categoryOfAwsCode('BackoffLimitExceeded', 'Job has reached the specified backoff limit')).toBeUndefined();
  });

  it('matches embedded lines of a one-line multi-line message and escaped quotes', () => {
    expect(top('{"errorMessage":"boom","stack":"Traceback (most recent call last):\\n  File \\"/var/task/app.py\\"\\nMemoryError"}')).toBe('heap_oom');
    expect(top('E1207 reflector.go: namespaces is forbidden: User \\"system:serviceaccount:x:y\\" cannot list resource \\"namespaces\\" in API group \\"\\"')).toBe('rbac_forbidden');
  });

  it('an ALARM -> OK notification is a recovery; a flip from INSUFFICIENT_DATA is the alarm\'s own signal', () => {
    expect(top('{"NewStateValue":"OK","OldStateValue":"ALARM","Trigger":{"MetricName":"HTTPCode_Target_5XX_Count","Namespace":"AWS/ApplicationELB"}}')).toBeUndefined();
    expect(top('{"NewStateValue":"ALARM","Trigger":{"MetricName":"Throttles","Namespace":"AWS/Lambda"}}')).toBe('lambda_throttling');
    expect(top('- State Change:               INSUFFICIENT_DATA -> OK')).toBe('alarm_misconfigured');
  });

  it('reads ALB access log fields: no target 503, target timeout 504, target 5xx', () => {
    const alb = (rest: string) => `https 2024-12-07T10:00:00.186641Z app/my-alb/50dc 10.0.3.7:46532 ${rest} 218 311 "GET https://api.example.com:443/v1/orders HTTP/1.1"`;
    expect(top(alb('- -1 -1 -1 503 -'))).toBe('service_no_endpoints');
    expect(top(alb('10.0.0.1:8080 0.000 -1 -1 504 -'))).toBe('lb_target_timeout');
    expect(top(alb('10.0.0.1:8080 0.000 0.012 0.000 500 500'))).toBe('lb_target_5xx');
    expect(top(alb('10.0.0.1:8080 0.000 0.012 0.000 200 200'))).toBeUndefined();
  });

  it('reads a consumer group\'s lag from a kafka-consumer-groups row only when LAG = LOG-END-OFFSET - CURRENT-OFFSET', () => {
    expect(top('my-group        my-topic        0          1200            98200           97000           consumer-1 /10.0.0.1  consumer-1')).toBe('queue_backlog');
    expect(top('my-group        my-topic        0          97000           98200           1200            consumer-1 /10.0.0.1  consumer-1')).toBeUndefined();
    expect(top('processed 1200 of 98200 items in 97000 ms')).not.toBe('queue_backlog');
  });

  it('tells a connect timeout (unreachable) from a read timeout (a slow peer)', () => {
    expect(top('java.net.SocketTimeoutException: connect timed out')).toBe('dependency_unreachable');
    expect(top('java.net.SocketTimeoutException: Read timed out')).toBe('slow_dependency');
  });

  it('keeps the cause fields of a JSON log record in its message', () => {
    const parts = parseEvidenceText('{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}', 'x.json');
    expect(parts.logs![0]!.message).toContain('Reason=ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(top(parts.logs![0]!.message)).toBe('lambda_throttling');
  });

  it('the scheduler: nodes a selector leaves out are by design; the eligible nodes\' blocker leads', () => {
    const v = classifyLine({ kind: 'event', text: "Warning  FailedScheduling  4m  default-scheduler  0/5 nodes are available: 1 node(s) had taint {karpenter.sh/not-ready: }, that the pod didn't tolerate, 4 node(s) didn't match node selector.", source: 's' });
    const best = v.sort((a, b) => b.weight - a.weight)[0]!;
    expect(best.category).toBe('taint_not_tolerated');
    expect(top('No nodes are available that match all of the following predicates:: Insufficient cpu (3), PodToleratesNodeTaints (1).', 'event')).toBe('insufficient_cpu');
  });
});

describe('boilerplate is not evidence', () => {
  it('a pod\'s default tolerations name no condition; a node\'s taint does', () => {
    expect(top('Tolerations:                 node.kubernetes.io/memory-pressure:NoSchedule op=Exists', 'describe')).toBeUndefined();
    expect(top('                             node.kubernetes.io/disk-pressure:NoSchedule op=Exists', 'describe')).toBeUndefined();
    expect(top('Taints:             node.kubernetes.io/disk-pressure:NoSchedule', 'describe')).toBe('disk_pressure_eviction');
  });

  it('an error followed within three lines by its retry succeeding weighs little', async () => {
    const { matchSignatures } = await import('../../../functions/core/stages/analyze/signatures/index.js');
    const ctx = context({ logs: logs('WARN dynamodb PutItem throttled (ProvisionedThroughputExceededException), retrying in 50ms (attempt 1/5)\nINFO dynamodb PutItem succeeded on attempt 2') });
    const m = matchSignatures(ctx, [], []);
    expect(m[0]!.category).toBe('api_throttling');
    expect(m[0]!.weight).toBeLessThan(0.3);
    const failing = matchSignatures(context({ logs: logs('WARN dynamodb PutItem throttled (ProvisionedThroughputExceededException), retrying in 50ms (attempt 1/5)\nERROR PutItem failed after 5 attempts') }), [], []);
    expect(failing[0]!.weight).toBeGreaterThan(0.8);
  });

  it('a retry that succeeded weighs little', () => {
    const v = classifyLine({ kind: 'log', text: 'INFO Retrying request to dynamodb (attempt 2/3) after ThrottlingException ... succeeded', source: 's' });
    expect(v[0]!.category).toBe('api_throttling');
    expect(v[0]!.weight).toBeLessThan(0.4);
  });
});

describe('failure states', () => {
  it('reads states from prose and columns, never from definitions', () => {
    const states = matchFailureStates(context({ logs: logs('my-app-7d4b9c8f5-x2k9p   0/1     Init:CrashLoopBackOff   5   3m\n    Liveness:  http-get http://:8080/health delay=0s timeout=1s period=10s #success=1 #failure=3') }));
    expect(states.map((s) => s.state.id)).toEqual(['k8s.init', 'k8s.crashloop']);
  });
});

describe('latency', () => {
  it('a call is slow against its usual value in the same evidence, not by a fixed number alone', () => {
    const lines = ['GET /a took 120ms', 'GET /a took 110ms', 'GET /a took 130ms', 'GET /a took 2400ms'].join('\n');
    const durations = callDurations(logs(lines));
    expect(durations.map((d) => d.ms)).toEqual([120, 110, 130, 2400]);
    expect(slowCalls(durations).map((d) => [d.ms, d.usualMs])).toEqual([[2400, 125]]);
    // a startup or a GC pause is no call
    expect(analyzeLatency({ logs: logs('Started OrdersApplication in 12.3 seconds\nGC pause took 2300ms') })).toEqual([]);
  });
});

describe('family probes from the emitters\' source (eval/families)', () => {
  it('names the category of at least 95 % of failure messages and answers unknown for benign ones', async () => {
    const dir = path.resolve(__dirname, '../../../eval/families');
    const probes = readdirSync(dir).filter((f) => /^probes.*\.json$/.test(f)).flatMap((f) => (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { probes: Probe[] }).probes);
    const results = await runFamilies(probes, { model: false });
    const ok = (r: { probe: Probe; got: string[] }) => r.got[0] === r.probe.category || (r.probe.also_acceptable ?? []).includes(r.got[0] as never);
    const failures = results.filter((r) => r.probe.category !== 'unknown');
    const benign = results.filter((r) => r.probe.category === 'unknown');
    expect(failures.length).toBeGreaterThan(300);
    expect(failures.filter(ok).length / failures.length).toBeGreaterThanOrEqual(0.95);
    expect(benign.filter(ok).length / benign.length).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
