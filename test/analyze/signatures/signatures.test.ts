import { describe as suite, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CATEGORIES, type Category } from '../../../functions/core/model/categories.js';
import {
  categorizeText, classifyLine, coveredCategories, matchSignatures, SCHEDULING_SIGNATURE,
} from '../../../functions/core/stages/analyze/signatures/index.js';
import { context, describe, event, incident, logs } from '../kubernetes/fixtures/context.js';

const fixture = (name: string): string => readFileSync(new URL(`../kubernetes/fixtures/${name}`, import.meta.url), 'utf8');
const top = (text: string): Category | undefined => categorizeText(text)?.category;

suite('signature catalogue', () => {
  it('covers every category of the catalogue except unknown', () => {
    const covered = coveredCategories();
    const missing = CATEGORIES.filter((c) => c !== 'unknown' && !covered.has(c));
    expect(missing).toEqual([]);
  });
});

suite('precedence on one line', () => {
  it('image pull: manifest unknown / not found → image_not_found; 401/403/pull access denied → image_pull_auth', () => {
    expect(top('Failed to pull image "shop/api:9.9": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/shop/api:9.9": failed to resolve reference "docker.io/shop/api:9.9": docker.io/shop/api:9.9: not found')).toBe('image_not_found');
    expect(top('Failed to pull image "123.dkr.ecr.us-east-1.amazonaws.com/api:v2": manifest unknown: Requested image not found')).toBe('image_not_found');
    expect(top('Failed to pull image "ghcr.io/acme/api:1": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized')).toBe('image_pull_auth');
    expect(top('Failed to pull image "yourcompany/crw:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed')).toBe('image_pull_auth');
    expect(top('rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:nonexist": failed to resolve reference "docker.io/library/nginx:nonexist": docker.io/library/nginx:nonexist: not found')).toBe('image_not_found');
    expect(categorizeText('failed to resolve reference "docker.io/library/nginx:nonexist": docker.io/library/nginx:nonexist: not found')!.weight).toBeGreaterThan(0.8);
    expect(top('Error response from daemon: Head "https://registry/v2/x/manifests/1": no basic auth credentials')).toBe('image_pull_auth');
  });

  it('keeps only the most specific verdict of a line', () => {
    const verdicts = classifyLine({ kind: 'event', text: 'Warning  Failed  1m  kubelet  Failed to pull image "a/b:1": pull access denied', source: 's' });
    expect(verdicts.map((v) => v.category)).toEqual(['image_pull_auth']);
    const mount = classifyLine({ kind: 'event', text: 'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found', source: 's' });
    expect(mount.map((v) => v.category)).toEqual(['missing_config_reference']);
  });

  it('a missing Secret/ConfigMap/key is missing_config_reference, not app_crash', () => {
    expect(top('Error: secret "database-secret" not found')).toBe('missing_config_reference');
    expect(top("Error: couldn't find key password in Secret shop/db")).toBe('missing_config_reference');
    expect(top('Warning  Failed  kubelet  Error: CreateContainerConfigError')).toBe('missing_config_reference');
  });

  it('app_config_error for config parse errors and missing environment variables at start', () => {
    expect(top('FATAL: error parsing config file /etc/app/config.yaml: yaml: line 3: mapping values are not allowed')).toBe('app_config_error');
    expect(top('Environment variable DEPLOY_ENV is undefined')).toBe('app_config_error');
    expect(top('Error: missing required environment variable DATABASE_URL')).toBe('app_config_error');
    expect(top('flag provided but not defined: -listen')).toBe('app_config_error');
    expect(top("java.lang.IllegalArgumentException: Could not resolve placeholder 'db.url' in value \"${db.url}\"")).toBe('app_config_error');
    expect(top('nginx: [emerg] unknown directive "servr" in /etc/nginx/conf.d/default.conf:3')).toBe('app_config_error');
    expect(top('nginx: [emerg] host not found in upstream "backend:8080" in /etc/nginx/conf.d/default.conf:5')).toBe('dns_resolution');
  });

  it('specific runtime failures', () => {
    expect(top('java.lang.OutOfMemoryError: Java heap space')).toBe('heap_oom');
    expect(top('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory')).toBe('node_heap_oom');
    expect(top('2024-05-01T10:00:00Z 1a2b Task timed out after 30.03 seconds')).toBe('lambda_timeout');
    expect(top('Runtime.ImportModuleError: Error: Cannot find module \'axios\'')).toBe('lambda_import_error');
    expect(top('dial tcp: lookup db.internal on 10.100.0.10:53: no such host')).toBe('dns_resolution');
    expect(top('dial tcp 10.0.3.4:5432: connect: connection refused')).toBe('dependency_unreachable');
    expect(categorizeText('read tcp 10.0.1.2:51234->10.0.3.4:5432: read: connection reset by peer')).toMatchObject({ category: 'dependency_unreachable', weight: 0.5 });
    expect(top('Dec 10 11:03:53 host sshd[25457]: fatal: Write failed: Connection reset by peer [preauth]')).toBeUndefined();
    expect(top('Caused by: org.postgresql.util.PSQLException: Connection to db:5432 refused. Check that the hostname and port are correct')).toBe('dependency_unreachable');
    expect(top('Readiness probe failed: Get "http://10.1.2.3:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)')).toBe('probe_failure');
    expect(top('x509: certificate has expired or is not yet valid')).toBe('tls_cert_expired');
    expect(top('x509: certificate signed by unknown authority')).toBe('tls_cert_invalid');
    expect(top('write /data/out.bin: no space left on device')).toBe('disk_full');
    expect(top('accept tcp [::]:8080: accept4: too many open files')).toBe('fd_exhaustion');
    expect(top('ERROR: deadlock detected')).toBe('deadlock');
    expect(top('W0101 10:00:00.000000 7 controller.go:1108] Service "prod/shop" does not have any active Endpoint.')).toBe('service_no_endpoints');
    expect(top('sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30')).toBe('db_connection_exhaustion');
    expect(top('FATAL: remaining connection slots are reserved for non-replication superuser connections')).toBe('db_connection_exhaustion');
    expect(top('An error occurred (ThrottlingException) when calling the DescribeInstances operation: Rate exceeded')).toBe('api_throttling');
    expect(top('An error occurred (ExpiredTokenException) when calling the GetObject operation: The security token included in the request is expired')).toBe('credentials_expired');
    expect(top('User: arn:aws:sts::1:assumed-role/app/x is not authorized to perform: s3:GetObject on resource')).toBe('iam_access_denied');
    expect(top('pods "api-" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=2, limited: requests.cpu=2')).toBe('quota_exceeded');
    expect(top('Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:shop:agent" cannot list resource "pods" in API group "" in the namespace "shop"')).toBe('rbac_forbidden');
  });

  it('a lone restart loop weighs little; a bare status word in a table row (log line) matches nothing', () => {
    expect(categorizeText('Back-off restarting failed container api in pod api-1_shop(123)', 0)!.weight).toBeLessThan(0.3);
    expect(categorizeText('Back-off restarting failed container api in pod api-1_shop(123)')).toBeUndefined();
    expect(classifyLine({ kind: 'log', text: 'api-7c9d8f6b5-x2k4q   0/1   CrashLoopBackOff   9   12m', source: 'get.txt' })).toEqual([]);
  });
});

suite('FailedScheduling subtypes', () => {
  const categories = (text: string): Category[] => SCHEDULING_SIGNATURE.evaluate({ kind: 'event', text, source: 's' }).map((v) => v.category);

  it('names each predicate of the scheduler message, ignoring the preemption part', () => {
    expect(categories('0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.')).toEqual(['insufficient_cpu']);
    expect(categories('0/2 nodes are available: 2 Insufficient memory.')).toEqual(['insufficient_memory']);
    expect(categories("0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.")).toEqual(['taint_not_tolerated']);
    expect(categories("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.")).toEqual(['node_selector_mismatch']);
    expect(categories('0/4 nodes are available: 4 node(s) had volume node affinity conflict.')).toEqual(['volume_zone_conflict']);
    expect(categories('0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.')).toEqual(['pvc_pending']);
    expect(categories('0/1 nodes are available: 1 Insufficient nvidia.com/gpu.')).toEqual(['insufficient_cpu']);
    expect(categories('0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.')).toEqual(['node_not_ready']);
  });

  it('weights a predicate by the share of nodes it rejected', () => {
    const verdicts = SCHEDULING_SIGNATURE.evaluate({ kind: 'event', text: '0/5 nodes are available: 1 Insufficient cpu, 4 node(s) had untolerated taint {a: b}.', source: 's' });
    const cpu = verdicts.find((v) => v.category === 'insufficient_cpu')!.weight;
    const taint = verdicts.find((v) => v.category === 'taint_not_tolerated')!.weight;
    expect(taint).toBeGreaterThan(cpu);
  });
});

suite('matchSignatures', () => {
  it('quotes the exact describe line with its source and line number', () => {
    const block = describe(fixture('pod-oomkilled.describe.txt'), 'pod.txt', 10);
    const matches = matchSignatures(context({ describes: [block] }), [], []);
    const oom = matches.find((m) => m.category === 'oom_killed')!;
    expect(oom.evidence).toEqual({ text: '      Reason:       OOMKilled', source: 'pod.txt', line: 21 });
    // OOMKilled outweighs the restart loop in the same block.
    const crash = matches.find((m) => m.category === 'app_crash');
    expect(oom.weight).toBeGreaterThan(crash?.weight ?? 0);
    expect(matches[0]!.category).toBe('oom_killed');
  });

  it('matches log lines, events and the incident; nothing on a healthy context', () => {
    const ctx = context({
      logs: logs('starting\nError: getaddrinfo ENOTFOUND payments.internal\nretrying'),
      kubernetesEvents: [event('Warning', 'FailedScheduling', '0/3 nodes are available: 3 Insufficient memory.')],
    });
    const matches = matchSignatures(ctx, [], [], { incident: incident({ title: 'CPUThrottlingHigh' }) });
    const byCategory = new Map(matches.map((m) => [m.category, m]));
    expect(byCategory.get('dns_resolution')!.evidence).toEqual({ text: 'Error: getaddrinfo ENOTFOUND payments.internal', source: 'app.log', line: 2 });
    expect(byCategory.has('insufficient_memory')).toBe(true);
    expect(byCategory.get('cpu_throttling')!.evidence.source).toBe('event');
    expect(matchSignatures(context({ describes: [describe(fixture('pod-healthy.describe.txt'))], logs: logs('GET /health 200 3ms') }), [], [])).toEqual([]);
  });

  it('a FailedCreate later followed by SuccessfulCreate counts as transient', () => {
    const text = [
      'Events:',
      '  Warning  FailedCreate      9m  job-controller  Error creating: pods "get-data-" is forbidden: error looking up service account default/sa: serviceaccount "sa" not found',
      '  Normal   SuccessfulCreate  9m  job-controller  Created pod: get-data-abcde',
    ].join('\n');
    const resolved = matchSignatures(context({ describes: [describe(text)] }), [], []).find((m) => m.category === 'missing_config_reference')!;
    const alone = matchSignatures(context({ describes: [describe(text.split('\n').slice(0, 2).join('\n'))] }), [], []).find((m) => m.category === 'missing_config_reference')!;
    expect(resolved.weight).toBeLessThan(alone.weight);
  });

  it('skips the Command/Args script of a container: an echoed message is not an event', () => {
    const text = ['Name: job-x', 'Containers:', '  main:', '    Command:', '      /bin/sh', '      -c', "      echo 'connect ECONNREFUSED 10.0.0.1:5432'; exit 1", '    State:          Terminated', '      Exit Code:    1'].join('\n');
    expect(matchSignatures(context({ describes: [describe(text)] }), [], []).map((m) => m.category)).toEqual(['app_crash']);
  });

  it('keeps at most maxPerSignature matches of one signature, one per distinct line', () => {
    const ctx = context({ logs: logs(Array.from({ length: 20 }, (_, i) => `connect ECONNREFUSED 10.0.0.${i}:5432`).join('\n')) });
    const matches = matchSignatures(ctx, [], [], { maxPerSignature: 3 });
    expect(matches).toHaveLength(3);
  });
});

suite('no false positives on ordinary application lines', () => {
  it('leaves common log lines alone', () => {
    const ordinary = [
      'WARN authorization failed for user alice: bad password',
      'INFO JWT token expired for session 42, asking the user to log in again',
      'INFO config loaded: max_connections=100 pool=10',
      'ERROR request failed: exceeded the maximum number of retries (3)',
      'GET /api/orders 403 Forbidden 12ms',
      '  Ready                       False',
      'INFO listening on :8080',
    ];
    for (const line of ordinary) expect([line, top(line)]).toEqual([line, undefined]);
  });

  it('tells a Lambda import error from an application one', () => {
    expect(top('Error: Cannot find module \'/var/task/index\'')).toBe('lambda_import_error');
    expect(top('Error: Cannot find module \'express\'')).toBe('app_crash');
  });

  it('reads a NotReady row of kubectl get nodes', () => {
    expect(classifyLine({ kind: 'log', text: 'ip-10-0-1-5.ec2.internal   NotReady   <none>   12d   v1.29.3-eks-ae9a62a', source: 'nodes.txt' })[0]!.category).toBe('node_not_ready');
  });
});

suite('alarm metrics', () => {
  it('reads the metric an alarm watches', () => {
    const inc = incident({ alarm: { name: 'orders-age', type: 'metric', metrics: [{ namespace: 'AWS/SQS', name: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: 'orders' } }] } });
    const matches = matchSignatures(context(), [], [], { incident: inc });
    expect(matches.map((m) => [m.category, m.evidence.text])).toEqual([['queue_backlog', 'AWS/SQS ApproximateAgeOfOldestMessage']]);
    const throttles = incident({ alarm: { name: 't', type: 'metric', metrics: [{ namespace: 'AWS/Lambda', name: 'Throttles', dimensions: { FunctionName: 'f' } }] } });
    expect(matchSignatures(context(), [], [], { incident: throttles })[0]!.category).toBe('lambda_throttling');
  });
});

suite('relevance to the incident', () => {
  it('halves lines about another workload than the incident names', () => {
    const ctx = context({ kubernetesEvents: [
      event('Warning', 'Failed', 'Failed to pull image "a:1": manifest unknown', { object: 'pod/other-7c9d8f6b5-x2k4q' }),
      event('Warning', 'Failed', 'Failed to pull image "b:1": manifest unknown: x', { object: 'pod/checkout-7c9d8f6b5-abcde' }),
    ] });
    const inc = incident({ resources: [{ type: 'Deployment', name: 'checkout', namespace: 'shop' }] });
    const weights = matchSignatures(ctx, [], [], { incident: inc }).map((m) => [m.evidence.text.includes('"b:1"'), m.weight]);
    expect(weights).toEqual([[true, 0.9], [false, 0.45]]);
  });
});

suite('large inputs', () => {
  it('above the limit, matches pattern samples and the edges instead of every log line', () => {
    const lines = Array.from({ length: 50 }, (_, i) => (i === 25 ? 'FATAL: sorry, too many clients already' : `INFO tick ${i}`)).join('\n');
    const ctx = context({ logs: logs(lines) });
    const sample = { templateId: 't', template: 'FATAL: sorry, too many clients already', count: 1, baselineCount: 0, samples: [{ text: 'FATAL: sorry, too many clients already', source: 'app.log', line: 26 }], isNew: false, isSpiking: false };
    expect(matchSignatures(ctx, [], [], { fullLogMatchLimit: 10, edgeLines: 5 }).map((m) => m.category)).toEqual(['db_connection_exhaustion']);
    expect(matchSignatures(ctx, [sample], [], { fullLogMatchLimit: 10, edgeLines: 5 }).map((m) => [m.category, m.evidence.line])).toEqual([['db_connection_exhaustion', 26]]);
    const middleOnly = matchSignatures(ctx, [{ ...sample, samples: [{ text: 'INFO tick 3', source: 'app.log', line: 4 }] }], [], { fullLogMatchLimit: 10, edgeLines: 5 });
    expect(middleOnly).toEqual([]);
  });
});

suite('Prometheus alert names', () => {
  it('maps well-known kube-prometheus alerts, weighting symptoms low', () => {
    const verdict = (name: string) => matchSignatures(context(), [], [], { incident: incident({ title: `${name}: summary`, labels: { alertname: name } }) })[0];
    expect(verdict('KubeJobFailed')).toMatchObject({ category: 'job_failed' });
    expect(verdict('KubeNodeNotReady')).toMatchObject({ category: 'node_not_ready' });
    expect(verdict('KubePersistentVolumeFillingUp')).toMatchObject({ category: 'disk_full' });
    expect(verdict('KubePodCrashLooping')!.weight).toBeLessThan(0.3);
    expect(verdict('Watchdog')).toBeUndefined();
  });
});

suite('relevance keeps shared infrastructure', () => {
  it('a node event keeps its weight for an incident about a pod', () => {
    const ctx = context({ kubernetesEvents: [event('Warning', 'NodeNotReady', 'Node ip-10-0-1-5 status is now: NodeNotReady', { object: 'node/ip-10-0-1-5' })] });
    const inc = incident({ resources: [{ type: 'Pod', name: 'api-1', namespace: 'shop' }] });
    expect(matchSignatures(ctx, [], [], { incident: inc })[0]!.weight).toBe(0.85);
  });
});

suite('relevance of describe blocks', () => {
  it('a node describe block keeps its weight; another pod\'s block is halved', () => {
    const nodeBlock = describe(['Name:               ip-10-0-1-5', 'Taints:             <none>', 'Conditions:', '  Type             Status  LastHeartbeatTime  Reason  Message', '  MemoryPressure   True    now                KubeletHasInsufficientMemory  kubelet has insufficient memory available'].join('\n'), 'node.txt');
    const podBlock = describe(fixture('pod-oomkilled.describe.txt'), 'other-pod.txt');
    const inc = incident({ resources: [{ type: 'Pod', name: 'api-1', namespace: 'shop' }] });
    const matches = matchSignatures(context({ describes: [nodeBlock, podBlock] }), [], [], { incident: inc });
    expect(matches.find((m) => m.category === 'memory_pressure_eviction')!.weight).toBe(0.8);
    expect(matches.find((m) => m.category === 'oom_killed')!.weight).toBe(0.475);
  });
});
