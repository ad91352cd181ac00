/**
 * Round-five families (signatures/families.ts): the resolver, IP allocation, Service endpoints and
 * load-balancer 5xx, each in the wordings of several emitters, and the near-misses that must not
 * match (a Gradle dependency that "could not resolve", a connect timeout the proxy waited on).
 */
import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../../functions/core/stages/analyze/signatures/index.js';
import { matchFailureStates } from '../../../functions/core/stages/analyze/index.js';
import { context, logs } from '../kubernetes/fixtures/context.js';

const top = (text: string, kind: 'log' | 'event' | 'describe' = 'log') => classifyLine({ kind, text, source: 's' }).sort((a, b) => b.weight - a.weight)[0]?.category;
const each = (lines: readonly string[], category: string) => { for (const line of lines) expect([line, top(line)]).toEqual([line, category]); };

describe('resolver failures in every runtime\'s wording', () => {
  it('names DNS for busybox, gRPC, Node c-ares, Winsock, JVM, database clients, .NET, Kafka, nginx, apt and dnspython', () => {
    each([
      "nslookup: can't resolve 'kubernetes.default'",
      'google.api_core.exceptions.ServiceUnavailable: 503 DNS resolution failed for pubsub.googleapis.com:443: C-ares status is not ARES_SUCCESS qtype=A name=pubsub.googleapis.com is_balancer=0: Could not contact DNS servers',
      'io.grpc.StatusRuntimeException: UNAVAILABLE: Unable to resolve host orders-grpc',
      'Error: querySrv ENOTFOUND _mongodb._tcp.cluster0.ab1cd.mongodb.net',
      'Error: querySrv ECONNREFUSED _mongodb._tcp.cluster0.ab1cd.mongodb.net',
      "  code: 'ENOTFOUND',",
      'urllib.error.URLError: <urlopen error [Errno 11001] getaddrinfo failed>',
      'java.nio.channels.UnresolvedAddressException',
      "ERROR 2005 (HY000): Unknown MySQL server host 'mysql' (-2)",
      'could not translate host name "db.internal" to address: No address associated with hostname',
      "System.Net.WebException: The remote name could not be resolved: 'api.partner.example'",
      "WARN Couldn't resolve server kafka-0:9092 from bootstrap.servers as DNS resolution failed for kafka-0",
      '2024/12/07 10:00:00 [error] 29#29: *1 no resolver defined to resolve api.partner.example, client: 10.0.0.1',
      "  Temporary failure resolving 'deb.debian.org'",
      'dns.resolver.NoNameservers: All nameservers failed to answer the query x. IN A',
      'SQLSTATE[HY000] [2002] php_network_getaddresses: getaddrinfo for mysql failed: Try again',
      'read udp 10.244.1.5:38542->10.96.0.10:53: i/o timeout',
      '; ->>HEADER<<- opcode: QUERY, status: REFUSED, id: 40124',
    ], 'dns_resolution');
  });

  it('a dependency Gradle could not resolve is not DNS; a timeout to port 5432 is not DNS', () => {
    expect(top('   > Could not resolve org.sonarsource.parent:parent:52.')).not.toBe('dns_resolution');
    // bundlers resolve modules, not hosts (rollup: `Could not resolve '%s' from %s`)
    expect(top("[!] Error: Could not resolve './App' from src/main.js")).not.toBe('dns_resolution');
    expect(top("Error: Could not resolve 'lodash.merge' from src/index.js")).not.toBe('dns_resolution');
    expect(top("W: Failed to fetch http://archive.ubuntu.com/ubuntu/dists/jammy/InRelease  Could not resolve 'archive.ubuntu.com'")).toBe('dns_resolution');
    expect(top('dial tcp 10.0.3.7:5432: i/o timeout')).toBe('dependency_unreachable');
  });
});

describe('IP address exhaustion beyond the VPC CNI', () => {
  it('names ip_exhaustion for ELB, EC2 prefixes, nodeipam, Docker pools, Azure, GCE, Calico and EKS', () => {
    each([
      'InvalidSubnet: Not enough IP space available in subnet-0a1b2c3d. ELB requires at least 8 free IP addresses in each subnet.',
      'failed to allocate a private IP/Prefix address: InsufficientCidrBlocks: The specified subnet does not have enough free cidr blocks to satisfy the request.',
      'failed to allocate cidr from cluster cidr at idx:0: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range',
      'ERROR: could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
      'Code="SubnetIsFull" Message="Subnet aks-subnet with address prefix 10.240.0.0/24 does not have enough capacity for 31 IP addresses."',
      "IP_SPACE_EXHAUSTED: IP space of 'projects/p/regions/us-central1/subnetworks/s' is exhausted.",
      'plugin type="calico" failed (add): cannot allocate new block due to per host block limit',
      'InvalidParameterException: Provided subnets subnet-0a1b Free IPs: 0 , need at least 5 IPs in each subnet to be free for this operation',
    ], 'ip_exhaustion');
  });

  it('a node at its pod limit is read as compute first and IP capacity second', () => {
    const verdicts = classifyLine({ kind: 'event', text: 'Warning  FailedScheduling  pod/x  0/3 nodes are available: 3 Too many pods.', source: 's', reason: 'FailedScheduling' }).sort((a, b) => b.weight - a.weight).map((v) => v.category);
    expect(verdicts[0]).toBe('insufficient_cpu');
    expect(verdicts).toContain('ip_exhaustion');
  });
});

describe('Services without endpoints beyond kube-proxy', () => {
  it('names service_no_endpoints for Traefik, Kong, Ribbon, Spring Cloud, Envoy and kubectl', () => {
    each([
      'level=error msg="Cannot create service: endpoints not found for shop/orders" providerName=kubernetes',
      '{"message":"failure to get a peer from the ring-balancer"}',
      'com.netflix.client.ClientException: Load balancer does not have available server for client: inventory-service',
      'NotFoundException: 503 SERVICE_UNAVAILABLE "Unable to find instance for inventory-service"',
      'no healthy upstream',
      'orders-7xk2p   IPv4          <unset>   <unset>     12m',
      // kubectl's human-readable ages: compound forms under ten minutes and under a few days
      'awx    <none>      3m13s',
      'orders   <none>   2d3h',
    ], 'service_no_endpoints');
    expect(top('orders   10.244.1.7:8080   3m13s')).toBeUndefined();
    expect(top('  Addresses:          <none>', 'describe')).toBe('service_no_endpoints');
  });
});

describe('load-balancer 5xx from the proxy\'s side', () => {
  it('names lb_target_5xx for nginx upstream errors, curl\'s HTTP/2 status line, Envoy resets and ALB Lambda error reasons', () => {
    each([
      '2024/12/07 10:00:00 [error] 31#31: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, upstream: "http://10.0.2.15:8080/api"',
      '2024/12/07 10:00:00 [error] 31#31: *9 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 10.0.0.1',
      '2024/12/07 10:00:00 [error] 12#12: *55 connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream',
      '2024/12/07 10:00:00 [error] 31#31: *3 upstream sent too big header while reading response header from upstream',
      '< HTTP/2 502',
      'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
      '"forward" "-" "LambdaInvalidResponse" "-" "-" "-" "-"',
    ], 'lb_target_5xx');
  });

  it('a connect timeout is the proxy waiting (504), not a 5xx from the target; a buffering warning is nothing', () => {
    expect(top('upstream timed out (110: Connection timed out) while connecting to upstream, client: 10.0.0.1')).toBe('lb_target_timeout');
    expect(top('connect() failed (110: Connection timed out) while connecting to upstream')).not.toBe('lb_target_5xx');
    expect(top('[warn] 31#31: *7 an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream')).toBeUndefined();
  });
});

describe('controllers and cloud activity in their own layouts', () => {
  it('reads klog panics, ingress backends the controller cannot build, autoscaler predicates and Auto Scaling quota reasons', () => {
    expect(top('E0919 07:54:18.172914       1 runtime.go:69] Observed a panic: "invalid memory address or nil pointer dereference" (runtime error: invalid memory address or nil pointer dereference)')).toBe('app_crash');
    each(['I0517 19:36:48.907790       1 ingress.go:112] auth-api-alb-1: Unable to find a port defined in the auth/app service', '                "messageBody": "Backend service does not exist",'], 'ingress_misconfigured');
    expect(top("Pod airbyte/check-1 can't be scheduled on node-1, predicate checking error: node(s) had untolerated taint {usage: airbyte}; predicateName=TaintToleration")).toBe('taint_not_tolerated');
    expect(top('Description: Launching a new EC2 instance. Status Reason: Max spot instance count exceeded. Launching EC2 instance failed.')).toBe('service_quota_exceeded');
  });

  it("the scheduler's counted list is weighed by share, not by a bare taint pattern", () => {
    expect(top('                  4 Insufficient cpu, 8 node(s) had untolerated taint(s)')).not.toBe('taint_not_tolerated');
  });
});

describe('other wordings of causes already known', () => {
  it('reads Windows disk-full, systemd OOM kills, the older liveness kill and S3 HEAD 403s', () => {
    expect(top("System.IO.IOException: There is not enough space on the disk. : 'C:\\temp\\x.tmp'")).toBe('disk_full');
    expect(top('systemd[1]: orders.service: A process of this unit has been killed by the OOM killer.')).toBe('oom_killed');
    expect(top("systemd[1]: orders.service: Failed with result 'oom-kill'.")).toBe('oom_killed');
    expect(top('Killing container with id docker://api:Container failed liveness probe.. Container will be killed and recreated.', 'event')).toBe('probe_failure');
    expect(top('botocore.exceptions.ClientError: An error occurred (403) when calling the HeadObject operation: Forbidden')).toBe('iam_access_denied');
    expect(top('botocore.exceptions.ClientError: An error occurred (404) when calling the HeadObject operation: Not Found')).not.toBe('iam_access_denied');
  });
});

describe('failure states of ECS placement', () => {
  it('no container instance at all puts an instance quota before a CPU or memory shortage', () => {
    const states = matchFailureStates(context({ logs: logs('service web was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your capacity provider.') }));
    expect(states[0]!.state.id).toBe('ecs.no-instances');
    expect(states[0]!.state.causes[0]).toBe('service_quota_exceeded');
    const short = matchFailureStates(context({ logs: logs('service web was unable to place a task because no container instance met all of its requirements. The closest matching container-instance abc has insufficient memory available.') }));
    expect(short.map((s) => s.state.id)).not.toContain('ecs.no-instances');
  });
});

describe("other routers' reason codes", () => {
  it('reads Heroku router codes, Google Cloud statusDetails, the Application Gateway and CloudFront 502 pages', () => {
    expect(top('heroku[router]: at=error code=H13 desc="Connection closed without response" method=POST path="/api" dyno=web.1 status=503')).toBe('lb_target_5xx');
    expect(top('heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/report" service=30000ms status=503')).toBe('lb_target_timeout');
    expect(top('heroku[router]: at=error code=H14 desc="No web dynos running" method=GET path="/" status=503')).toBe('service_no_endpoints');
    expect(top('"statusDetails":"failed_to_connect_to_backend"')).toBe('lb_target_5xx');
    expect(top('"statusDetails": "failed_to_pick_backend"')).toBe('service_no_endpoints');
    expect(top("CloudFront wasn't able to connect to the origin.")).toBe('lb_target_5xx');
    // a Heroku log line with no router error is nothing
    expect(top('heroku[router]: at=info method=GET path="/" host=shop.herokuapp.com dyno=web.1 connect=0ms service=12ms status=200 bytes=512')).toBeUndefined();
  });
});

describe("where a request's time went", () => {
  it('a second or more in ActiveRecord, a PHP-FPM slowlog entry: slow dependency; a fast request: nothing', () => {
    expect(top('Completed 200 OK in 8234ms (Views: 12.1ms | ActiveRecord: 8190.3ms | Allocations: 51234)')).toBe('slow_dependency');
    expect(top('WARNING: [pool www] child 4312, script \'/var/www/html/index.php\' executing too slow (5.123456 sec), logging')).toBe('slow_dependency');
    expect(top('Completed 200 OK in 42ms (Views: 20.3ms | ActiveRecord: 8.1ms | Allocations: 5120)')).toBeUndefined();
  });
});

describe('failure states keep more than their first line', () => {
  it('a 404 a person shows with curl is a state with its lines; an access-log 404 is not', () => {
    const text = ['> GET /healthz HTTP/1.1', '< HTTP/1.1 404 Not Found', '< Content-Type: text/plain', '404 page not found'].join('\n');
    const [st] = matchFailureStates(context({ logs: logs(text) }));
    expect(st!.state.id).toBe('http-404');
    expect(st!.evidence.text).toBe('< HTTP/1.1 404 Not Found');
    expect(st!.more.map((r) => r.text)).toEqual(['404 page not found']);
    expect(matchFailureStates(context({ logs: logs('10.0.0.1 - - [07/Dec/2024:10:00:00 +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "scanner"') })).map((s) => s.state.id)).not.toContain('http-404');
  });
});
