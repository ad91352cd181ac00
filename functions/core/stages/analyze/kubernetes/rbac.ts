/**
 * RBAC analyzer: workloads that run `kubectl` against the API with their service account, checked
 * against the Roles/ClusterRoles bound to that account among the collected objects.
 *
 * Verb mapping follows the Kubernetes docs, "Authorization: request verbs" (`kubectl get pods` is
 * `list`, `kubectl get pod x` is `get`, `--watch` adds `watch`, `logs` is `get` on `pods/log`,
 * `exec` is `create` on `pods/exec`, `delete`/`create`/`patch` as named).
 * Only runs when Roles or bindings were collected; otherwise absence means nothing.
 */
import type { Finding } from '../../../model/analysis.js';
import type { KubernetesObject } from '../../../model/evidence.js';
import { canonicalKind, containersOf, makeFinding, objectRef, objectsOfKind, podTemplates, sameNamespace, type KubernetesAnalyzer } from './util.js';

const GROUP_OF: Record<string, string> = {
  deployments: 'apps', statefulsets: 'apps', replicasets: 'apps', daemonsets: 'apps',
  jobs: 'batch', cronjobs: 'batch', ingresses: 'networking.k8s.io', networkpolicies: 'networking.k8s.io',
  horizontalpodautoscalers: 'autoscaling', roles: 'rbac.authorization.k8s.io', rolebindings: 'rbac.authorization.k8s.io',
  clusterroles: 'rbac.authorization.k8s.io', clusterrolebindings: 'rbac.authorization.k8s.io',
};

/** `pod`, `po`, `Pod` → `pods`. */
function resourceName(word: string): string {
  const kind = canonicalKind(word.split('/')[0]!.split('.')[0]!) ?? word;
  const lower = kind.toLowerCase();
  if (lower === 'endpoints') return lower;
  if (/(?:s|x|ch|sh)$/.test(lower) && !lower.endsWith('ss')) return lower.endsWith('s') ? lower : `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return lower.endsWith('ss') ? `${lower}es` : `${lower}s`;
}

interface Need { verb: string; resource: string; group: string; command: string; clusterScope: boolean }

/** API requests a shell command makes through kubectl. */
export function kubectlNeeds(script: string): Need[] {
  const needs: Need[] = [];
  const re = /\bkubectl\s+((?:-{1,2}[\w-]+(?:[ =]\S+)?\s+)*)(get|describe|delete|create|apply|patch|edit|logs|exec|scale|label|annotate)\s+([^\s;|&)"']+)((?:\s+[^\s;|&)"']+)*)/g;
  for (const m of script.matchAll(re)) {
    const [command, , action, target, rest = ''] = m;
    const args = rest.trim().split(/\s+/).filter(Boolean);
    const flags = args.filter((a) => a.startsWith('-'));
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a.startsWith('-')) { if (/^-(?:n|l|o|c)$|^--(?:namespace|selector|output|container)$/.test(a)) i++; continue; }
      positional.push(a);
    }
    const clusterScope = flags.some((f) => f === '-A' || f === '--all-namespaces');
    const named = target!.includes('/') || positional.length > 0;
    const add = (verb: string, resource: string): void => { needs.push({ verb, resource, group: GROUP_OF[resource] ?? '', command: command!.trim(), clusterScope }); };
    if (action === 'logs') { add('get', 'pods/log'); continue; }
    if (action === 'exec') { add('create', 'pods/exec'); continue; }
    const resource = resourceName(target!);
    switch (action) {
      case 'get': add(named ? 'get' : 'list', resource); if (flags.some((f) => f === '-w' || f === '--watch')) add('watch', resource); break;
      case 'describe': add('get', resource); if (!named) add('list', resource); break;
      case 'delete': add('delete', resource); break;
      case 'create': add('create', resource); break;
      case 'apply': add('get', resource); add('create', resource); add('patch', resource); break;
      default: add('patch', resource);
    }
  }
  return needs;
}

function allows(rules: any[], need: Need): boolean {
  return rules.some((r) => {
    const groups: string[] = r?.apiGroups ?? [''];
    const resources: string[] = r?.resources ?? [];
    const verbs: string[] = r?.verbs ?? [];
    return (groups.includes('*') || groups.includes(need.group))
      && (resources.includes('*') || resources.includes(need.resource))
      && (verbs.includes('*') || verbs.includes(need.verb));
  });
}

export const RbacAnalyzer: KubernetesAnalyzer = {
  name: 'RbacAnalyzer',
  kinds: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
  analyze(context) {
    const out: Finding[] = [];
    const roles = objectsOfKind(context, 'Role');
    const clusterRoles = objectsOfKind(context, 'ClusterRole');
    const bindings = [...objectsOfKind(context, 'RoleBinding'), ...objectsOfKind(context, 'ClusterRoleBinding')];
    for (const t of podTemplates(context)) {
      const sa = String(t.spec?.serviceAccountName ?? t.spec?.serviceAccount ?? 'default');
      const script = containersOf(t.spec).map(({ container }) => [...(container?.command ?? []), ...(container?.args ?? [])].join(' ')).join('\n');
      const needs = kubectlNeeds(script);
      if (needs.length === 0) continue;
      const bound = bindings.filter((b) => (Array.isArray((b as any).subjects) ? (b as any).subjects : []).some((s: any) =>
        s?.kind === 'ServiceAccount' && s.name === sa && sameNamespace(s.namespace ?? b.metadata?.namespace, t.namespace)));
      const grants: Array<{ role: KubernetesObject; cluster: boolean }> = [];
      for (const b of bound) {
        const ref = (b as any).roleRef ?? {};
        const pool = ref.kind === 'ClusterRole' ? clusterRoles : roles.filter((r) => sameNamespace(r.metadata?.namespace, b.metadata?.namespace));
        const role = pool.find((r) => r.metadata?.name === ref.name);
        if (role) grants.push({ role, cluster: canonicalKind(b.kind) === 'ClusterRoleBinding' });
      }
      if (bound.length === 0 && roles.length + clusterRoles.length === 0) continue;
      const seen = new Set<string>();
      for (const need of needs) {
        const usable = grants.filter((g) => !need.clusterScope || g.cluster);
        if (usable.some((g) => allows(Array.isArray((g.role as any).rules) ? (g.role as any).rules : [], need))) continue;
        const key = `${need.verb} ${need.resource}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const granted = usable.map((g) => `${canonicalKind(g.role.kind)} ${g.role.metadata?.name}`).join(', ') || 'no Role bound to it';
        const evidence = [objectRef(t.owner, `${t.specPath}.serviceAccountName`, sa),
          ...usable.slice(0, 1).map((g) => objectRef(g.role, 'rules', (g.role as any).rules ?? []))];
        out.push(makeFinding('RbacAnalyzer', t.ownerKind, t.name, t.namespace, 'critical',
          `${t.ownerKind} ${t.name} runs \`${need.command}\`, which needs "${need.verb}" on ${need.resource}${need.group ? ` (${need.group})` : ''}, but service account ${sa} is not granted it (${granted}): the API server answers Forbidden`,
          evidence, 'rbac_forbidden'));
      }
    }
    return out;
  },
};
