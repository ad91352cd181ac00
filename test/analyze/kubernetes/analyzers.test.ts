import { describe as suite, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  DeploymentAnalyzer, EventsAnalyzer, HorizontalPodAutoscalerAnalyzer, IngressAnalyzer, JobAnalyzer, NetworkPolicyAnalyzer,
  NodeAnalyzer, PersistentVolumeClaimAnalyzer, PodAnalyzer, RbacAnalyzer, ReplicaSetAnalyzer, ResourceQuotaAnalyzer,
  ServiceAnalyzer, StatefulSetAnalyzer, kubectlNeeds, runKubernetesAnalyzers, selectAnalyzers,
} from '../../../functions/core/stages/analyze/kubernetes/index.js';
import { context, describe, event, obj } from './fixtures/context.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const categories = (findings: ReadonlyArray<{ category?: string }>) => findings.map((f) => f.category);

const deployment = (name: string, podSpec: any, extra: any = {}) => obj('Deployment', name, {
  namespace: 'shop', apiVersion: 'apps/v1',
  spec: { replicas: extra.replicas ?? 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, ...(extra.labels ?? {}) } }, spec: podSpec } },
  ...(extra.status ? { status: extra.status } : {}),
});

suite('PodAnalyzer', () => {
  it('objects: OOMKilled last state → oom_killed; a healthy pod → nothing', () => {
    const failing = obj('Pod', 'api-1', { namespace: 'shop', status: { phase: 'Running', containerStatuses: [{ name: 'api', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] } });
    const healthy = obj('Pod', 'api-2', { namespace: 'shop', status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'api', restartCount: 0, state: { running: {} } }] } });
    const findings = PodAnalyzer.analyze(context({ kubernetesObjects: [failing, healthy] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'Pod', name: 'api-1', namespace: 'shop', severity: 'critical', category: 'oom_killed' });
    expect(findings[0]!.evidence[0]!.source).toBe('objects.yaml');
  });

  it('objects: waiting reasons and scheduling take the category of their message', () => {
    const config = obj('Pod', 'a', { status: { containerStatuses: [{ name: 'c', state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "db" not found' } } }] } });
    const pending = obj('Pod', 'b', { status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }] } });
    const pull = obj('Pod', 'c', { status: { containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ErrImagePull', message: 'rpc error: code = NotFound desc = failed to pull and unpack image "x:1": failed to resolve reference "x:1": x:1: not found' } } }] } });
    expect(categories(PodAnalyzer.analyze(context({ kubernetesObjects: [config, pending, pull] })))).toEqual(['missing_config_reference', 'insufficient_cpu', 'image_not_found']);
  });

  it('objects: a Failed pod with a non-zero exit → app_crash; a bare image back-off → image_not_found, as a warning', () => {
    const failed = obj('Pod', 'once', { status: { phase: 'Failed', containerStatuses: [{ name: 'c', restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }] } });
    const backoff = obj('Pod', 'pull', { status: { containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x:1"' } } }] } });
    const findings = PodAnalyzer.analyze(context({ kubernetesObjects: [failed, backoff] }));
    expect(findings.map((f) => [f.name, f.severity, f.category])).toEqual([['once', 'warning', 'app_crash'], ['pull', 'warning', 'image_not_found']]);
  });

  it('describe blocks: quotes the Reason and Exit Code lines; a healthy block → nothing', () => {
    const findings = PodAnalyzer.analyze(context({ describes: [describe(fixture('pod-oomkilled.describe.txt'), 'pod.txt', 1)] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ name: 'checkout-7c9d8f6b5-x2k4q', namespace: 'shop', category: 'oom_killed' });
    expect(findings[0]!.evidence.map((e) => e.line)).toEqual([12, 13, 10]);
    expect(findings[0]!.evidence[0]!.text).toBe('      Reason:       OOMKilled');
    expect(PodAnalyzer.analyze(context({ describes: [describe(fixture('pod-healthy.describe.txt'))] }))).toEqual([]);
  });

  it('templates: a liveness probe on an undeclared port → probe_failure; a matching port → nothing', () => {
    const bad = deployment('web', { containers: [{ name: 'web', ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { path: '/healthz', port: 8080 } } }] });
    const good = deployment('web2', { containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }], livenessProbe: { httpGet: { path: '/', port: 'http' } } }] });
    const findings = DeploymentAnalyzer.analyze(context({ kubernetesObjects: [bad, good] }));
    expect(findings.map((f) => [f.name, f.category])).toEqual([['web', 'probe_failure']]);
  });

  it('templates: references to absent ConfigMaps/Secrets/keys, only when the kind was collected', () => {
    const pod = { containers: [{ name: 'c', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }], envFrom: [{ configMapRef: { name: 'settings' } }] }], volumes: [{ name: 'v', configMap: { name: 'optional', optional: true } }] };
    const secret = obj('Secret', 'db', { namespace: 'shop', data: { user: 'YQ==' } } as any);
    const cm = obj('ConfigMap', 'other', { namespace: 'shop', data: {} } as any);
    const findings = DeploymentAnalyzer.analyze(context({ kubernetesObjects: [deployment('api', pod), secret, cm] }));
    expect(findings.map((f) => f.message.includes('"password"') ? 'key' : f.message.includes('"settings"') ? 'configmap' : f.message).sort()).toEqual(['configmap', 'key']);
    expect(new Set(categories(findings))).toEqual(new Set(['missing_config_reference']));
    expect(DeploymentAnalyzer.analyze(context({ kubernetesObjects: [deployment('api', pod)] }))).toEqual([]);
  });

  it('templates: required hostname anti-affinity with more replicas than nodes → node_selector_mismatch', () => {
    const spec = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }] } }, containers: [{ name: 'c' }] };
    const nodes = [obj('Node', 'n1'), obj('Node', 'n2')];
    expect(categories(DeploymentAnalyzer.analyze(context({ kubernetesObjects: [deployment('cache', spec, { replicas: 5 }), ...nodes] })))).toEqual(['node_selector_mismatch']);
    expect(DeploymentAnalyzer.analyze(context({ kubernetesObjects: [deployment('cache', spec, { replicas: 2 }), ...nodes] }))).toEqual([]);
  });
});

suite('DeploymentAnalyzer, ReplicaSetAnalyzer, StatefulSetAnalyzer', () => {
  it('ProgressDeadlineExceeded → rollout_stuck; a complete rollout → nothing', () => {
    const stuck = deployment('api', { containers: [{ name: 'c' }] }, { replicas: 2, status: { availableReplicas: 0, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] } });
    const fine = deployment('ok', { containers: [{ name: 'c' }] }, { replicas: 2, status: { availableReplicas: 2, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] } });
    const findings = DeploymentAnalyzer.analyze(context({ kubernetesObjects: [stuck, fine] }));
    expect(findings.map((f) => [f.name, f.category ?? null])).toEqual([['api', 'rollout_stuck'], ['api', null]]);
  });

  it('ReplicaFailure by quota → quota_exceeded; a full ReplicaSet → nothing', () => {
    const failing = obj('ReplicaSet', 'api-1', { spec: { replicas: 2 }, status: { readyReplicas: 2, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "api-1-x" is forbidden: exceeded quota: compute, requested: requests.cpu=1' }] } });
    const fine = obj('ReplicaSet', 'api-2', { spec: { replicas: 2 }, status: { readyReplicas: 2 } });
    expect(categories(ReplicaSetAnalyzer.analyze(context({ kubernetesObjects: [failing, fine] })))).toEqual(['quota_exceeded']);
  });

  it('StatefulSet with fewer ready replicas → warning; a ready one → nothing', () => {
    const sts = (name: string, ready: number) => obj('StatefulSet', name, { spec: { replicas: 3, template: { spec: { containers: [{ name: 'c' }] } } }, status: { readyReplicas: ready } });
    const findings = StatefulSetAnalyzer.analyze(context({ kubernetesObjects: [sts('db', 1), sts('ok', 3)] }));
    expect(findings.map((f) => [f.name, f.severity])).toEqual([['db', 'warning']]);
  });
});

suite('JobAnalyzer', () => {
  it('a Failed condition → job_failed; a succeeded job → nothing', () => {
    const failed = obj('Job', 'nightly', { spec: { backoffLimit: 2 }, status: { failed: 3, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] } });
    const ok = obj('Job', 'ok', { spec: { backoffLimit: 2 }, status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } });
    const findings = JobAnalyzer.analyze(context({ kubernetesObjects: [failed, ok] }));
    expect(findings.map((f) => [f.name, f.category])).toEqual([['nightly', 'job_failed']]);
  });

  it('describe: more failed pods than the backoff limit → job_failed, quoting the lines', () => {
    const text = ['Name:             scraper', 'Namespace:        default', 'Completions:      1', 'Backoff Limit:    4', 'Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 5 Failed'].join('\n');
    const findings = JobAnalyzer.analyze(context({ describes: [describe(text, 'job.txt', 3)] }));
    expect(findings[0]).toMatchObject({ name: 'scraper', category: 'job_failed', severity: 'critical' });
    expect(findings[0]!.evidence[0]).toEqual({ text: 'Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 5 Failed', source: 'job.txt', line: 7 });
    const running = text.replace('0 Active (0 Ready) / 0 Succeeded / 5 Failed', '1 Active (1 Ready) / 0 Succeeded / 0 Failed');
    expect(JobAnalyzer.analyze(context({ describes: [describe(running)] }))).toEqual([]);
  });
});

suite('NodeAnalyzer', () => {
  it('NotReady and pressure conditions; a healthy node → nothing', () => {
    const bad = obj('Node', 'n1', { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime network not ready: cni config uninitialized' }, { type: 'MemoryPressure', status: 'True' }] } });
    const good = obj('Node', 'n2', { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'DiskPressure', status: 'False' }] } });
    expect(categories(NodeAnalyzer.analyze(context({ kubernetesObjects: [bad, good] })))).toEqual(['node_not_ready', 'memory_pressure_eviction']);
  });

  it('describe: reads the Conditions table', () => {
    const text = ['Name:               n3', 'Taints:             <none>', 'Conditions:', '  Type             Status  LastHeartbeatTime  Reason  Message', '  DiskPressure     True    now                KubeletHasDiskPressure  kubelet has disk pressure', '  Ready            True    now                KubeletReady  ok', 'Capacity:', '  cpu: 2'].join('\n');
    const findings = NodeAnalyzer.analyze(context({ describes: [describe(text)] }));
    expect(findings.map((f) => [f.category, f.evidence[0]!.line])).toEqual([['disk_pressure_eviction', 5]]);
  });
});

suite('PersistentVolumeClaimAnalyzer', () => {
  it('Pending claims and unknown storage classes → pvc_pending; a bound claim → nothing', () => {
    const pending = obj('PersistentVolumeClaim', 'data', { spec: { storageClassName: 'fast-ssd' }, status: { phase: 'Pending' } });
    const bound = obj('PersistentVolumeClaim', 'ok', { spec: { storageClassName: 'gp3' }, status: { phase: 'Bound' } });
    const findings = PersistentVolumeClaimAnalyzer.analyze(context({ kubernetesObjects: [pending, bound, obj('StorageClass', 'gp3')] }));
    expect(findings.map((f) => [f.name, f.category])).toEqual([['data', 'pvc_pending'], ['data', 'pvc_pending']]);
    expect(PersistentVolumeClaimAnalyzer.analyze(context({ kubernetesObjects: [bound] }))).toEqual([]);
  });
});

suite('table rows', () => {
  it('an object read from a kubectl get row quotes the exact row', () => {
    const row = obj('Pod', 'api-2', { status: { containerStatuses: [{ name: '*', restartCount: 3, state: { terminated: { reason: 'OOMKilled', exitCode: 137 } }, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] }, _source: 'get.txt', _line: 4, _text: 'api-2     0/1     OOMKilled   3          5m' } as any);
    const findings = PodAnalyzer.analyze(context({ kubernetesObjects: [row] }));
    expect(findings[0]!.evidence[0]).toEqual({ text: 'api-2     0/1     OOMKilled   3          5m', source: 'get.txt', line: 4 });
  });
});

suite('PersistentVolumeClaimAnalyzer (describe)', () => {
  it('WaitForFirstConsumer is normal; ProvisioningFailed is not', () => {
    const block = (event: string) => describe(['Name:          data', 'Namespace:     shop', 'StorageClass:  gp3', 'Status:        Pending', 'Access Modes:', 'Events:', `  ${event}`].join('\n'), 'pvc.txt', 1);
    const waiting = PersistentVolumeClaimAnalyzer.analyze(context({ describes: [block('Normal  WaitForFirstConsumer  5s  persistentvolume-controller  waiting for first consumer to be created before binding')] }));
    expect(waiting.map((f) => [f.severity, f.category ?? null])).toEqual([['info', null]]);
    const failing = PersistentVolumeClaimAnalyzer.analyze(context({ describes: [block('Warning  ProvisioningFailed  5s  persistentvolume-controller  storageclass.storage.k8s.io "gp9" not found')] }));
    expect(failing.map((f) => [f.severity, f.category])).toEqual([['critical', 'pvc_pending']]);
  });
});

suite('ServiceAnalyzer', () => {
  it('a selector matching no collected pod, or empty Endpoints → service_no_endpoints; a matching one → nothing', () => {
    const svc = (name: string, app: string) => obj('Service', name, { namespace: 'shop', spec: { selector: { app } } });
    const pod = obj('Pod', 'web-1', { namespace: 'shop', metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] } } as any);
    const findings = ServiceAnalyzer.analyze(context({ kubernetesObjects: [svc('web', 'web'), svc('api', 'api'), pod] }));
    expect(findings.map((f) => [f.name, f.category])).toEqual([['api', 'service_no_endpoints']]);
    const ep = obj('Endpoints', 'web', { namespace: 'shop', subsets: [{ notReadyAddresses: [{ ip: '10.0.0.1' }] }] } as any);
    expect(categories(ServiceAnalyzer.analyze(context({ kubernetesObjects: [svc('web', 'web'), ep, pod] })))).toEqual(['service_no_endpoints']);
  });
});

suite('IngressAnalyzer', () => {
  const ingress = (cls: string, service: string) => obj('Ingress', 'web', { namespace: 'shop', spec: { ingressClassName: cls, rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', backend: { service: { name: service, port: { number: 80 } } } }] } }] } });
  const svc = obj('Service', 'web', { namespace: 'shop', spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  it('a class or backend service that is not among the collected ones → ingress_misconfigured; a valid one → nothing', () => {
    const nginx = obj('IngressClass', 'nginx');
    expect(IngressAnalyzer.analyze(context({ kubernetesObjects: [ingress('nginx', 'web'), svc, nginx] }))).toEqual([]);
    expect(categories(IngressAnalyzer.analyze(context({ kubernetesObjects: [ingress('missing', 'web'), svc, nginx] })))).toEqual(['ingress_misconfigured']);
    expect(categories(IngressAnalyzer.analyze(context({ kubernetesObjects: [ingress('nginx', 'gone'), svc, nginx] })))).toEqual(['ingress_misconfigured']);
  });
});

suite('HorizontalPodAutoscalerAnalyzer', () => {
  const hpa = (status?: any) => obj('HorizontalPodAutoscaler', 'api', { namespace: 'shop', spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] }, ...(status ? { status } : {}) });
  it('a target without cpu requests, or ScalingActive False → hpa_at_max; a healthy autoscaler → nothing', () => {
    const noRequests = deployment('api', { containers: [{ name: 'c' }] });
    const withRequests = deployment('api', { containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] });
    expect(categories(HorizontalPodAutoscalerAnalyzer.analyze(context({ kubernetesObjects: [hpa(), noRequests] })))).toEqual(['hpa_at_max']);
    expect(HorizontalPodAutoscalerAnalyzer.analyze(context({ kubernetesObjects: [hpa({ currentReplicas: 2 }), withRequests] }))).toEqual([]);
    const fixed = obj('HorizontalPodAutoscaler', 'fixed', { spec: { minReplicas: 1, maxReplicas: 1 }, status: { currentReplicas: 1, conditions: [{ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled' }] } });
    expect(HorizontalPodAutoscalerAnalyzer.analyze(context({ kubernetesObjects: [fixed] }))).toEqual([]);
    const failing = hpa({ currentReplicas: 5, conditions: [{ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' }] });
    expect(categories(HorizontalPodAutoscalerAnalyzer.analyze(context({ kubernetesObjects: [failing, withRequests] })))).toEqual(['hpa_at_max', 'hpa_at_max']);
  });
});

suite('NetworkPolicyAnalyzer', () => {
  const client = deployment('frontend', { containers: [{ name: 'c', command: ['sh', '-c', 'wget -O- http://backend-service:80'] }] }, { labels: { tier: 'frontend' } });
  const backend = deployment('backend', { containers: [{ name: 'c' }] }, { labels: { tier: 'backend' } });
  const svc = obj('Service', 'backend-service', { namespace: 'shop', spec: { selector: { app: 'backend' } } });
  const policy = (from: any) => obj('NetworkPolicy', 'backend-policy', { namespace: 'shop', spec: { podSelector: { matchLabels: { app: 'backend' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: from } }] }] } });
  it('ingress that does not admit a client calling the service → network_policy_blocked; admitting it → nothing', () => {
    const findings = NetworkPolicyAnalyzer.analyze(context({ kubernetesObjects: [client, backend, svc, policy({ tier: 'backend' })] }));
    expect(findings.map((f) => f.category)).toEqual(['network_policy_blocked']);
    expect(findings[0]!.message).toContain('frontend');
    expect(NetworkPolicyAnalyzer.analyze(context({ kubernetesObjects: [client, backend, svc, policy({ tier: 'frontend' })] }))).toEqual([]);
  });
  it('egress without DNS → network_policy_blocked; egress allowing port 53 → nothing', () => {
    const egress = (rules: any[]) => obj('NetworkPolicy', 'egress', { namespace: 'shop', spec: { podSelector: {}, policyTypes: ['Egress'], egress: rules } });
    expect(categories(NetworkPolicyAnalyzer.analyze(context({ kubernetesObjects: [client, egress([])] })))).toEqual(['network_policy_blocked']);
    expect(NetworkPolicyAnalyzer.analyze(context({ kubernetesObjects: [client, egress([{ ports: [{ protocol: 'UDP', port: 53 }] }])] }))).toEqual([]);
  });
});

suite('ResourceQuotaAnalyzer', () => {
  const quota = obj('ResourceQuota', 'compute', { namespace: 'shop', spec: { hard: { 'requests.cpu': '200m' } } });
  it('workloads needing more than the quota → quota_exceeded; within it → nothing', () => {
    const spec = { containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] };
    expect(categories(ResourceQuotaAnalyzer.analyze(context({ kubernetesObjects: [quota, deployment('api', spec, { replicas: 3 })] })))).toEqual(['quota_exceeded']);
    expect(ResourceQuotaAnalyzer.analyze(context({ kubernetesObjects: [quota, deployment('api', spec, { replicas: 2 })] }))).toEqual([]);
  });
});

suite('RbacAnalyzer', () => {
  const role = (verbs: string[]) => obj('Role', 'reader', { namespace: 'shop', rules: [{ apiGroups: [''], resources: ['pods'], verbs }] } as any);
  const binding = obj('RoleBinding', 'reader', { namespace: 'shop', roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'agent', namespace: 'shop' }] } as any);
  const agent = deployment('agent', { serviceAccountName: 'agent', containers: [{ name: 'c', command: ['/bin/sh'], args: ['-c', 'while true; do kubectl get pods -n shop; sleep 30; done'] }] });
  it('a kubectl command needing a verb the bound Role lacks → rbac_forbidden; granted → nothing', () => {
    expect(categories(RbacAnalyzer.analyze(context({ kubernetesObjects: [role(['get']), binding, agent] })))).toEqual(['rbac_forbidden']);
    expect(RbacAnalyzer.analyze(context({ kubernetesObjects: [role(['get', 'list']), binding, agent] }))).toEqual([]);
  });
  it('maps kubectl commands to API verbs', () => {
    expect(kubectlNeeds('kubectl get pods -n x; kubectl get deploy web -w; kubectl logs p').map((n) => `${n.verb} ${n.resource}`))
      .toEqual(['list pods', 'get deployments', 'watch deployments', 'get pods/log']);
  });
});

suite('EventsAnalyzer', () => {
  it('groups Warning events per object and reason with their category; Normal events → nothing', () => {
    const ctx = context({ kubernetesEvents: [
      event('Warning', 'FailedMount', 'MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found', { object: 'pod/app-1', count: 3 }),
      event('Warning', 'FailedMount', 'MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found', { object: 'pod/app-1', count: 2 }),
      event('Normal', 'Pulled', 'Container image "x" already present on machine', { object: 'pod/app-1' }),
    ] });
    const findings = EventsAnalyzer.analyze(ctx);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'Pod', name: 'app-1', category: 'missing_config_reference' });
    expect(findings[0]!.message).toMatch(/^5 Warning event/);
    expect(EventsAnalyzer.analyze(context({ kubernetesEvents: [event('Normal', 'Started', 'Started container c')] }))).toEqual([]);
  });
});

suite('registry and runner', () => {
  it('runs only the analyzers whose kinds are present', () => {
    const names = selectAnalyzers(context({ kubernetesObjects: [obj('Node', 'n1')], describes: [describe(fixture('pod-healthy.describe.txt'))] })).map((a) => a.name);
    expect(names).toEqual(['PodAnalyzer', 'NodeAnalyzer']);
    expect(selectAnalyzers(context({ kubernetesEvents: [event('Warning', 'X', 'y')] })).map((a) => a.name)).toEqual(['EventsAnalyzer']);
  });

  it('records an analyzer error as a degradation and keeps the others', () => {
    const boom = { name: 'BoomAnalyzer', kinds: ['Pod'], analyze: () => { throw new Error('bad object'); } };
    const { findings, errors } = runKubernetesAnalyzers(context({ describes: [describe(fixture('pod-oomkilled.describe.txt'))] }), { analyzers: [boom, PodAnalyzer] });
    expect(errors).toEqual([{ component: 'kubernetes:BoomAnalyzer', kind: 'error', reason: 'bad object' }]);
    expect(findings.map((f) => f.category)).toEqual(['oom_killed']);
  });

  it('sorts findings critical first', () => {
    const { findings } = runKubernetesAnalyzers(context({ kubernetesObjects: [
      obj('StatefulSet', 'db', { spec: { replicas: 2 }, status: { readyReplicas: 0 } }),
      obj('Node', 'n1', { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }),
    ] }));
    expect(findings.map((f) => f.severity)).toEqual(['critical', 'warning']);
  });
});
