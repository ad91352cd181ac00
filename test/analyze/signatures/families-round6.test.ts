/**
 * Round-six families (signatures/families.ts, the scheduler table and OOM guards of catalogue.ts,
 * the AWS error-code sets): taints and volume zones across scheduler releases and wrapped lines,
 * kernel and runtime OOM wordings, kubelet probe logs, ingress controllers, IAM denials without an
 * error code, quotas, image-pull authorization and throttling, each in several emitters' wordings,
 * with the near-misses of the same components that must not match.
 */
import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../../functions/core/stages/analyze/signatures/index.js';
import { SCHEDULING_SIGNATURE } from '../../../functions/core/stages/analyze/signatures/catalogue.js';

const verdicts = (text: string, kind: 'log' | 'event' | 'describe' = 'log') => classifyLine({ kind, text, source: 's' }).sort((a, b) => b.weight - a.weight);
const top = (text: string, kind: 'log' | 'event' | 'describe' = 'log') => verdicts(text, kind)[0]?.category;
const each = (lines: readonly string[], category: string) => { for (const line of lines) expect([line, top(line)]).toEqual([line, category]); };

describe('taints across scheduler releases, the kubelet and wrapped lines', () => {
  it('names taint_not_tolerated for the 1.10, 1.18 and 1.26 wordings, the kubelet admission and a wrapped line', () => {
    each([
      '0/3 nodes are available: 3 node(s) had taints that the pod didn\'t tolerate.',
      '0/2 nodes are available: 1 node(s) had taint {node.kubernetes.io/disk-type: ssd}, that the pod didn\'t tolerate, 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn\'t tolerate.',
      '0/4 nodes are available: 4 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
      '  1 node(s) had untolerated taint {workload: batch}, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      'Predicate TaintToleration failed: node(s) had untolerated taint {node.kubernetes.io/out-of-service: nodeshutdown}',
      '0/4 nodes are available: 4 node(s) had untolerated',
      'tolerate.',
      '  that the pod didn\'t tolerate, 2 Insufficient cpu.',
    ], 'taint_not_tolerated');
  });

  it('a wrapped head that stops at `had volume` reads as the volume binding reason, the master excluded by design', () => {
    expect(top('0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn\'t tolerate, 2 node(s) had volume')).toBe('volume_zone_conflict');
    expect(top('node affinity conflict.')).toBe('volume_zone_conflict');
  });

  it('tolerations in a manifest or a describe block are no verdict', () => {
    expect(top('tolerations:')).toBeUndefined();
    expect(top('Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s', 'describe')).not.toBe('taint_not_tolerated');
    expect(top('the operator will tolerate a missing field')).toBeUndefined();
  });
});

describe('volume zones: the VolumeZone plugin, the autoscaler and EBS', () => {
  it('names volume_zone_conflict for `no available volume zone`, VolumeBinding in the simulator and InvalidVolume.ZoneMismatch', () => {
    each([
      '0/6 nodes are available: 3 Insufficient memory, 3 node(s) had no available volume zone.',
      '0/3 nodes are available: 1 node(s) had no available volume zone, 2 node(s) didn\'t match node selector.',
      'Pod monitoring/prometheus-0 can\'t be scheduled on template-node, predicate checking error: node(s) had volume node affinity conflict; predicateName=VolumeBinding',
      'AttachVolume.Attach failed for volume "pvc-6f1e" : rpc error: code = Internal desc = Could not attach volume "vol-0abc" to node "i-0def": InvalidVolume.ZoneMismatch: The volume \'vol-0abc\' is not in the same availability zone as instance \'i-0def\'',
    ], 'volume_zone_conflict');
  });

  it('the share of nodes still decides: a zone conflict on 1 of 6 nodes does not outrank memory on 5', () => {
    expect(top('0/6 nodes are available: 5 Insufficient memory, 1 node(s) had no available volume zone.')).toBe('insufficient_memory');
    const line = { kind: 'event' as const, text: '0/6 nodes are available: 5 Insufficient memory, 1 node(s) had no available volume zone.', source: 's' };
    expect(SCHEDULING_SIGNATURE.evaluate(line).map((v) => v.category).sort()).toEqual(['insufficient_memory', 'volume_zone_conflict']);
  });
});

describe('OOM kills in the kernel\'s and runtimes\' other wordings', () => {
  it('names oom_killed for pre-4.19 kills, the oom-killer trigger, the victim line, containerd, cgroup v2 and PaaS limits', () => {
    each([
      'Memory cgroup out of memory: Kill process 28491 (java) score 1974 or sacrifice child',
      'Out of memory: Kill process 1417 (node) score 912 or sacrifice child',
      'java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=969',
      'Killed process 28491 (java) total-vm:8123456kB, anon-rss:2097152kB, file-rss:0kB, shmem-rss:0kB',
      'time="2026-11-30T10:01:02Z" level=info msg="TaskOOM event &TaskOOM{ContainerID:4f2a9c,XXX_unrecognized:[],}"',
      'oom_kill 3',
      'Memory limit of 512 MiB exceeded with 538 MiB used. Consider increasing the memory limit',
      'Exceeded hard memory limit of 256 MiB with 262 MiB after servicing 19 requests total.',
      '"OOMKilled": true,',
    ], 'oom_killed');
  });

  it('the flag false, a zero counter and a memory setting are no kill', () => {
    expect(top('"OOMKilled": false,')).toBeUndefined();
    expect(top('oom_kill 0')).toBeUndefined();
    expect(top('oom_kill_disable 0')).toBeUndefined();
    expect(top('memory limit of 512 MiB configured')).toBeUndefined();
  });
});

describe('probes in the kubelet\'s own log and other health checkers', () => {
  it('names probe_failure for structured and klog text prober lines, Consul and Nomad checks', () => {
    each([
      'I1130 10:01:02.123456    1234 prober.go:116] "Probe failed" probeType="Readiness" pod="shop/orders-7d9" podUID=9f1c containerName="orders" probeResult=failure output="HTTP probe failed with statuscode: 503"',
      'I1130 10:01:02.123456    1234 prober.go:107] "Probe errored" err="rpc error: code = NotFound desc = container is not created or running" probeType="Liveness" pod="shop/orders-7d9"',
      'I0607 08:12:13.000000    2211 prober.go:112] Liveness probe for "orders-7d9_shop(9f1c-11e9):orders" failed (failure): Get http://10.2.1.7:8080/healthz: net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
      '2026-11-30T10:01:02.000Z [WARN]  agent: Check is now critical: check=service:orders-1',
      '2026-11-30T10:01:02.000Z [INFO]  client.alloc_runner.task_runner: restarting due to unhealthy check: check="http-health" task=orders',
    ], 'probe_failure');
  });

  it('a probe that succeeded is no failure', () => {
    expect(top('I1130 10:01:02.000000    1234 prober.go:116] "Probe succeeded" probeType="Readiness" pod="shop/orders-7d9"')).toBeUndefined();
  });
});

describe('ingress controllers: classes, TLS secrets, ports, middlewares and routes', () => {
  it('names ingress_misconfigured for ingress-nginx, the ALB controller, Traefik, Kong and GKE', () => {
    each([
      'I1130 10:01:02.000000       7 store.go:361] "Ignoring ingress" ingress="shop/orders" kubernetes.io/ingress.class="" ingressClassName="nginx-internal"',
      'I0919 10:52:11.402316       7 store.go:432] "Ignoring ingress because of error while validating ingress class" ingress="default/demo-ingress" error="no object matching key \\"traefik\\" in local store"',
      'W1130 10:01:02.000000       7 controller.go:1207] Error getting SSL certificate "shop/orders-tls": local SSL certificate shop/orders-tls was not found. Using default certificate',
      '{"level":"error","msg":"Reconciler error","error":"ingress: shop/orders: unable to find port 8080 on service shop/orders-svc"}',
      'Failed build model due to ingress: shop/orders: shop/orders-svc: service type must be either \'NodePort\' or \'LoadBalancer\' for target-type \'instance\'',
      'time="2026-11-30T10:01:02Z" level=error msg="Cannot create service: service not found" namespace=shop ingress=orders serviceName=orders-svc providerName=kubernetes',
      'time="2026-11-30T10:01:02Z" level=error msg="middleware \\"shop-strip@kubernetescrd\\" does not exist" entryPointName=websecure routerName=shop-orders@kubernetescrd',
      '{"message":"no Route matched with those values"}',
      'Translation failed: invalid ingress spec: could not find port "8080" in service "shop/orders-svc"',
      'error while evaluating the ingress spec: could not find service "shop/orders-svc"',
    ], 'ingress_misconfigured');
  });

  it('a backend Service the controller cannot find endpoints for stays with the endpoints family; a Traefik service without endpoints is no ingress fault', () => {
    expect(top('W1224 03:48:17.091904      13 controller.go:906] Error obtaining Endpoints for Service "default/apple-service": no object matching key "default/apple-service" in local store')).toBe('ingress_misconfigured');
    expect(top('time="2024-12-07T10:00:00Z" level=error msg="Cannot create service: endpoints not found for shop/orders" namespace=shop providerName=kubernetes')).toBe('service_no_endpoints');
    expect(top('I1130 10:01:02.000000       7 store.go:440] "Found valid IngressClass" ingress="shop/orders" ingressclass="nginx"')).toBeUndefined();
    expect(top('Application is not available. The application is currently not serving requests at this endpoint.')).toBe('service_no_endpoints');
  });
});

describe('IAM denials without an error code, and other clouds\' IAM', () => {
  it('names iam_access_denied for S3 HEAD 403s in three SDKs, AllAccessDisabled, unassumable roles, Google and Azure', () => {
    each([
      'com.amazonaws.services.s3.model.AmazonS3Exception: Forbidden (Service: Amazon S3; Status Code: 403; Error Code: 403 Forbidden; Request ID: 7Q3X)',
      'Forbidden: Forbidden',
      'S3ServiceException [Forbidden]: UnknownError',
      'An error occurred (AllAccessDisabled) when calling the GetObject operation: All access to this object has been disabled',
      'An error occurred (InvalidParameterValueException) when calling the CreateFunction operation: The role defined for the function cannot be assumed by Lambda.',
      'Error: configuring Terraform AWS Provider: IAM Role (arn:aws:iam::123456789012:role/deployer) cannot be assumed.',
      'google.api_core.exceptions.Forbidden: 403 GET https://storage.googleapis.com/storage/v1/b/x/o: sa@p.iam.gserviceaccount.com does not have storage.objects.list access to the Google Cloud Storage bucket. Permission \'storage.objects.list\' denied on resource (or it may not exist).',
      'AuthorizationFailed: The client \'a1b2c3\' with object id \'a1b2c3\' does not have authorization to perform action \'Microsoft.Storage/storageAccounts/listKeys/action\' over scope \'/subscriptions/x\'',
    ], 'iam_access_denied');
  });

  it('a Kubernetes RBAC refusal stays RBAC', () => {
    expect(top('Error from server (Forbidden): pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "shop"')).toBe('rbac_forbidden');
  });
});

describe('quotas and throttles in other services\' and clouds\' wordings', () => {
  it('names service_quota_exceeded for IAM, S3, Lambda, SES, Compute Engine and Azure quotas', () => {
    each([
      'Cannot exceed quota for PoliciesPerRole: 10',
      'You have attempted to create more buckets than allowed',
      'CodeStorageExceededException: Code storage limit exceeded.',
      'MessageRejected: Daily message quota exceeded.',
      'ERROR: (gcloud.compute.instances.create) Could not fetch resource: - Quota \'CPUS\' exceeded.  Limit: 24.0 in region us-central1.',
      'Operation could not be completed as it results in exceeding approved standardDSv3Family Cores quota. Current Limit: 10',
    ], 'service_quota_exceeded');
  });

  it('names api_throttling for SES rates, S3 Slow Down, the API server\'s 429, Google and GitHub rate limits and the Go SDK retry budget', () => {
    each([
      'Throttling: Maximum sending rate exceeded.',
      'HTTP/1.1 503 Slow Down',
      'Error from server (TooManyRequests): the server has received too many requests and has asked us to try again later (get pods)',
      '<HttpError 429 returned "User Rate Limit Exceeded". Details: "[{\'reason\': \'userRateLimitExceeded\'}]">',
      'HttpError: API rate limit exceeded for installation ID 1234567.',
      'operation error DynamoDB: PutItem, failed to get rate limit token, retry quota exceeded, 0 available, 5 requested',
    ], 'api_throttling');
  });

  it('client-side pacing and a per-minute API quota are not an account quota', () => {
    expect(top('I1130 request.go:697] Waited for 1.046s due to client-side throttling, not priority and fairness, request: GET:https://10.0.0.1:443/api/v1/pods')).toBeUndefined();
    expect(top('RESOURCE_EXHAUSTED: Quota exceeded for quota metric \'Read requests\' and limit \'Read requests per minute\'; QUOTA_EXCEEDED')).toBe('api_throttling');
  });
});

describe('registries refusing a pull', () => {
  it('names image_pull_auth for a manifest answered unauthorized, an expired ECR token, Artifact Registry IAM and unreadable pull secrets', () => {
    each([
      'Error response from daemon: Head "https://registry.example.com/v2/shop/orders/manifests/1.4.2": unauthorized',
      'Error response from daemon: pull access denied for 123456789012.dkr.ecr.us-east-1.amazonaws.com/orders, repository does not exist or may require \'docker login\': denied: Your authorization token has expired. Reauthenticate and try again.',
      'denied: Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "projects/p/locations/us/repositories/shop" (or it may not exist)',
      'Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.',
    ], 'image_pull_auth');
  });

  it('ECR refusing the execution role is a pull refused for permission, not a missing repository', () => {
    expect(top("CannotPullContainerError: Error response from daemon: pull access denied for 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-app, repository does not exist or may require 'docker login': denied: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/4f2a is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:123456789012:repository/my-app because no identity-based policy allows the ecr:BatchGetImage action")).toBe('image_pull_auth');
    // without an authorization word, Docker's ambiguous refusal still leans to a missing repository
    expect(top("Error response from daemon: pull access denied for shop/orders, repository does not exist or may require 'docker login'")).toBe('image_not_found');
  });

  it('a manifest that does not exist stays image_not_found', () => {
    expect(top('Error response from daemon: manifest for registry.example.com/shop/orders:9.9.9 not found: manifest unknown: manifest unknown')).toBe('image_not_found');
  });
});

describe('platforms\' health checks, older kill notices, wrapped denials and registry throttles', () => {
  it('names probe_failure for Cloud Run, App Service, App Runner and Elastic Beanstalk', () => {
    each([
      'Default STARTUP TCP probe failed 1 time consecutively for container "orders" on port 8080. The instance was not started.',
      'Container orders-app didn\'t respond to HTTP pings on port: 8080, failing site start.',
      'Health check failed on protocol `HTTP`[Path: \'/health\'], [Port: \'8080\']',
      'Environment health has transitioned from Ok to Severe. ELB health is failing or not available for all instances.',
    ], 'probe_failure');
  });

  it('names oom_killed for the pre-4.19 memcg notice and Nomad, not for a denial that it was OOM killed', () => {
    each(['Task in /kubepods/burstable/pod9f1c/4f2a killed as a result of limit of /kubepods/burstable/pod9f1c', 'Terminated  Exit Code: 137, Exit Message: "OOM Killed"'], 'oom_killed');
    expect(top('worker exited normally and was not OOM killed')).toBeUndefined();
  });

  it('names iam_access_denied for the wrapped tail of a denial, and api_throttling for Docker Hub and API Gateway throttles', () => {
    each(['    because no identity-based policy allows the s3:GetObject action', '  on resource: arn:aws:s3:::bucket/key with an explicit deny in a service control policy'], 'iam_access_denied');
    each(['toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading', '{"message":"Too Many Requests"}'], 'api_throttling');
  });
});
