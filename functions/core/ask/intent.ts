/**
 * Reads a question in plain language: its intent and the entities it names (cluster, namespace,
 * workload, pod, node, service, replicas, time range). Rule-based and deterministic, so it is
 * testable and cannot be steered by text inside logs or documents: only the question is parsed.
 */
import { parseTimeRange, type PlainTimeRange } from './time-range.js';

/** What the engineer wants. */
export type AskIntent =
  | 'diagnose' // "what is wrong with pod X", "why is checkout crash-looping"
  | 'search_errors' // "errors in payments in the last 30 minutes"
  | 'history' // "has this happened before"
  | 'changes' // "what changed before the alarm"
  | 'knowledge' // "how do I debug a pending PVC"
  | 'kubernetes_action' // "scale checkout to 5 replicas"
  | 'infrastructure_as_code' // "alert me when … 5xx rate is over 1% for 5 minutes"
  | 'health' // "is checkout healthy now"
  | 'latency' // "why is checkout slow"
  | 'clarify'; // unknown or ambiguous: ask back

/** Kubernetes control verbs the assistant can plan. */
export type KubernetesVerb = 'scale' | 'restart' | 'rollback' | 'cordon' | 'uncordon' | 'drain' | 'delete' | 'read_secret';

/** Kinds of workload a question can name. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod' | 'Job' | 'CronJob' | 'Service' | 'Namespace' | 'Node' | 'Secret';

export interface AskEntities {
  cluster?: string;
  namespace?: string;
  /** A workload by name, with its kind when the question says it. */
  workload?: { name: string; kind?: WorkloadKind };
  node?: string;
  service?: string;
  replicas?: number;
  timeRange?: PlainTimeRange;
  function?: string;
  queue?: string;
  loadBalancer?: string;
  targetGroup?: string;
  level?: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  limit?: number;
  message?: string;
  thresholdPercent?: number;
  thresholdCount?: number;
}

export interface ParsedQuestion {
  readonly intent: AskIntent;
  readonly entities: AskEntities;
  /** For `kubernetes_action`. */
  readonly verb?: KubernetesVerb;
  /** Why the parser asks back, for `clarify`. */
  readonly clarification?: string;
}

/** Context the caller sends with the question (API `context`); it fills entities the question leaves out. */
export interface AskContext {
  readonly cluster?: string;
  readonly namespace?: string;
  readonly service?: string;
  /** ISO-8601 or plain words ("30 minutes ago"). */
  readonly since?: string;
}

const NAME = String.raw`([a-z0-9](?:[a-z0-9._-]{0,251}[a-z0-9])?)`;
const KIND_WORDS: Record<string, WorkloadKind> = {
  deployment: 'Deployment', deploy: 'Deployment', deployments: 'Deployment',
  statefulset: 'StatefulSet', statefulsets: 'StatefulSet', sts: 'StatefulSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet', ds: 'DaemonSet',
  pod: 'Pod', pods: 'Pod', job: 'Job', jobs: 'Job', cronjob: 'CronJob', cronjobs: 'CronJob', service: 'Service', svc: 'Service', services: 'Service',
  namespace: 'Namespace', ns: 'Namespace', node: 'Node', nodes: 'Node', secret: 'Secret', secrets: 'Secret',
};
/** Kind words that may follow a name ("the checkout pods", "payments deployment"). */
const KIND_AFTER = String.raw`(?:deployments?|deploy|statefulsets?|sts|daemonsets?|pods?|jobs?|cronjobs?|services?|svc|app|workload|containers?|replicas)`;

/**
 * Words that never name a workload: function words, states ("restarting", "healthy"), time words,
 * generic nouns of the domain ("errors", "incidents"). A name must be a DNS label that is not one.
 */
const NOT_A_NAME = new Set(`
a an the my our your their this that these those it its is are was were be been being am do does did done has have had
in on to of for with and or but from by at as about into over under since until before after again also too very just
me us we i you he she they them what why how when where which who whom whose there here all any some every each no not
can could should would will shall may might must let lets please
pod pods deployment deployments deploy service services svc node nodes namespace cluster container containers app apps application
workload workloads job jobs replica replicas revision version image statefulset daemonset secret secrets
ingress ingresses hpa configmap configmaps pvc pvcs volume volumes lb alb elb nlb load balancer target group endpoint endpoints dns network traffic request requests
prod production staging dev development qa test default
previous last past next current recent latest new old first
error errors exception exceptions warning warnings failure failures timeout timeouts 5xx 4xx logs log events event
problem problems issue issues incident incidents alarm alarms alert alerts change changes deployments rollout rollouts
wrong happening happened happen going ok okay healthy unhealthy fine up down broken slow stuck pending failing failed fails fail
crashing crash crashed crashloop crash-looping crashlooping looping restarting restarted restarts erroring degraded dying dead
evicted oomkilled oom killed throttled throttling timing hanging flapping unavailable unreachable ready running starting working
keeps keep kept still now right just soon shortly recently already today yesterday tonight morning hour hours minute minutes day days week weeks time
something anything everything nothing somebody someone anyone everyone else same similar different
`.trim().split(/\s+/));

/** Environment words read as a namespace in "in prod", "on staging" (not as a workload). */
const ENV_NAME = /^(?:prod|production|staging|stage|dev|develop|development|qa|test|uat|sandbox|preprod|default|kube-system|(?:prod|stag|dev|qa|uat)[-a-z0-9]*)$/;

/** Trims punctuation and a possessive; undefined when what remains cannot be a name (`loose`: only articles are rejected). */
function clean(name: string | undefined, loose = false): string | undefined {
  if (!name) return undefined;
  const n = name.replace(/'s$/, '').replace(/[.,;:!?)"'`]+$/, '').replace(/^["'`(]+/, '');
  if (!n) return undefined;
  if (loose) return ['the', 'a', 'an', 'my', 'our', 'this', 'that', 'it', 'is', 'are', 'to', 'of', 'for', 'with', 'and'].includes(n) ? undefined : n;
  return NOT_A_NAME.has(n) || KIND_WORDS[n] || /^\d+$/.test(n) ? undefined : n;
}

/** First match of any pattern whose group 1 is a usable name. */
function firstName(q: string, patterns: readonly RegExp[], accept: (name: string) => boolean = () => true): string | undefined {
  for (const re of patterns) {
    for (const match of q.matchAll(new RegExp(re.source, 'g'))) {
      const name = clean(match[1]);
      if (name && accept(name)) return name;
    }
  }
  return undefined;
}

/**
 * Extracts the entities a question names: cluster (`cluster X`, `X cluster`, `--context X`),
 * namespace (`namespace X`, `X namespace`, `-n X`, or an environment word as in "in prod"), node
 * (`node X`, an EC2 host name), workload (`deployment X`, `the X deployment`, `X pods`, or a name
 * where a workload stands: "why is X …", "errors in X", "X keeps crashing"), service, replicas (with
 * scale wording) and a time range ({@link parseTimeRange}). Names are lower-cased DNS labels; words
 * that are never names (states, time words, resource nouns) are skipped.
 * @param now anchors relative time ranges.
 * @param context fills only what the question leaves out; `since` is ISO-8601 or words.
 */
export function extractEntities(question: string, now: Date, context: AskContext = {}): AskEntities {
  const q = question.toLowerCase().replace(/[\u2018\u2019]/g, "'");
  const entities: AskEntities = {};
  const m = (re: RegExp) => re.exec(q)?.[1];

  entities.cluster = clean(m(new RegExp(String.raw`\bcluster\s+(?:named\s+|called\s+)?${NAME}`)), true) ?? clean(m(new RegExp(String.raw`\b(?:in|on|of|for)\s+(?:the\s+)?${NAME}\s+cluster\b`)), true) ?? clean(m(new RegExp(String.raw`\bcluster[=:]${NAME}`)), true) ?? clean(m(new RegExp(String.raw`(?:^|\s)--(?:context|cluster)[= ]${NAME}`)), true);
  entities.namespace = clean(m(new RegExp(String.raw`\bnamespace\s+(?:named\s+|called\s+)?${NAME}`)), true) ?? clean(m(new RegExp(String.raw`\b(?:in|from|of|on)\s+(?:the\s+)?${NAME}\s+(?:namespace|ns)\b`)), true) ?? clean(m(new RegExp(String.raw`(?:^|\s)(?:-n|--namespace)[= ]${NAME}`)), true) ?? clean(m(new RegExp(String.raw`\bns[=/: ]${NAME}`)), true);
  entities.node = clean(m(new RegExp(String.raw`\bnode[\s/]+${NAME}`))) ?? clean(m(new RegExp(String.raw`\b(ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?:\.[a-z0-9-]+)*)`)));
  const taken = (name: string) => name !== entities.cluster && name !== entities.namespace && name !== entities.node && !name.startsWith('-');

  // Explicit kind + name: "the X deployment" (an article makes X a name), "pod X", "deployment/X",
  // "statefulset X"; then "X deployment", "checkout pods".
  let workload: AskEntities['workload'];
  for (const match of q.matchAll(new RegExp(String.raw`\b(?:the|my|our|your)\s+${NAME}\s+(deployment|deploy|statefulset|sts|daemonset|ds|job|cronjob|service|svc)\b`, 'g'))) {
    const name = clean(match[1]);
    if (name && taken(name) && !ENV_NAME.test(name)) {
      workload = { name, kind: KIND_WORDS[match[2]!]! };
      break;
    }
  }
  if (!workload) for (const match of q.matchAll(new RegExp(String.raw`\b(deployments?|deploy|statefulsets?|sts|daemonsets?|ds|pods?|jobs?|cronjobs?|services?|svc|secrets?)(?:/|\s+(?:named\s+|called\s+)?)${NAME}`, 'g'))) {
    const name = clean(match[2]);
    if (name && taken(name)) {
      workload = { name, kind: KIND_WORDS[match[1]!]! };
      break;
    }
  }
  if (!workload) {
    for (const match of q.matchAll(new RegExp(String.raw`(?:^|[\s(])${NAME}(?:'s)?\s+(${KIND_AFTER})\b`, 'g'))) {
      const name = clean(match[1]);
      if (name && taken(name) && !ENV_NAME.test(name)) {
        const kind = KIND_WORDS[match[2]!];
        // "the checkout pods" names the pods' owner, not a pod: only controller kinds are kept.
        workload = kind && !['Node', 'Namespace', 'Pod', 'Secret'].includes(kind) ? { name, kind } : { name };
        break;
      }
    }
  }
  // A name in the position a workload takes: after an action verb, "why is X", "is X healthy",
  // "errors in X", "happened to X", "deployments of X", "X keeps crashing".
  if (!workload) {
    const the = String.raw`(?:the\s+|my\s+|our\s+)?`;
    const bare = firstName(q, [
      new RegExp(String.raw`\b(?:scale(?:\s+(?:up|down|out|in))?|restart|rollback|roll\s+back|rollout\s+(?:restart|undo)|undo|redeploy|bounce|recycle|bump|revert)\s+${the}${NAME}`),
      new RegExp(String.raw`\b(?:why\s+(?:is|are|does|do|did|was|were|has|have|can'?t|cannot|won'?t|doesn'?t|isn'?t|aren'?t|didn'?t)|wrong\s+with|going\s+on\s+(?:with|in)|happening\s+(?:to|with|in)|happened\s+(?:to|with)|status\s+of|health\s+of|problems?\s+with|issues?\s+with|trouble\s+with|look\s+at|check\s+on|investigate|diagnose|debug)\s+${the}${NAME}`),
      new RegExp(String.raw`^(?:is|are|was|were)\s+${the}${NAME}\s+(?:still\s+)?(?:healthy|ok|okay|up|down|running|ready|broken|failing|crashing|working|alive|available|stuck|slow|degraded|restarting|pending)`),
      new RegExp(String.raw`\b(?:errors?|exceptions?|warnings?|failures?|timeouts?|[45]xx|[45]\d\ds?|logs?|latency|crash(?:es)?|restarts?|kills?|oom ?kills?|evictions?|incidents?|outages?|downtime|problems?|issues?|alarms?|alerts?|deploy(?:ment)?s?|rollouts?|releases?|changes?|changed|deployed|updated)\s+(?:in|from|for|of|on|to|with|by)\s+${the}${NAME}`),
      new RegExp(String.raw`\b(?:happened|happen|seen|occurred|failed|crashed)\s+(?:this\s+|it\s+)?(?:before\s+|again\s+)?(?:to|for|with|in|on)\s+${the}${NAME}`),
      new RegExp(String.raw`(?:^|[\s,;])${the}${NAME}\s+(?:keeps|kept|is|are|was|were|has\s+been|have\s+been|started|starts|stopped|went|goes|seems?|looks?|returns?|returning|throws?|throwing|crash(?:es|ed|ing)?|fail(?:s|ed|ing)?|restart(?:s|ed|ing)|(?:got|gets|getting)\s+oom|oom)\b`),
      new RegExp(String.raw`\b(?:for|of|about|to|with)\s+${the}${NAME}\s*(?:[?.!,]|$)`),
    ], (name) => taken(name) && !ENV_NAME.test(name));
    if (bare) workload = { name: bare };
  }
  if (workload) entities.workload = workload;

  // "in prod" (an environment word not followed by cluster/namespace) names the namespace when none was named.
  if (!entities.namespace) {
    for (const match of q.matchAll(new RegExp(String.raw`\b(?:in|on|from)\s+(?:the\s+)?${NAME}(?!\s+cluster)(?:[?.!,;\s]|$)`, 'g'))) {
      const word = clean(match[1], true);
      if (word && ENV_NAME.test(word) && word !== entities.cluster) {
        entities.namespace = word;
        break;
      }
    }
  }
  // An action's target followed by "in X": X is the namespace ("restart deployment checkout in shop").
  if (!entities.namespace && entities.workload) {
    const w = entities.workload.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const after = clean(m(new RegExp(String.raw`\b${w}(?:\s+(?:deployment|deploy|statefulset|sts|daemonset|ds|pod|pods))?\s+(?:in|on|from)\s+(?:the\s+)?${NAME}(?!\s+cluster)(?:[?.!,;\s]|$)`)), false);
    const trailing = clean(m(new RegExp(String.raw`\s(?:in|on)\s+(?:the\s+)?${NAME}\s*[?.!]?\s*$`)), false);
    const ns = after ?? (trailing && !/\bcluster\s*[?.!]?\s*$/.test(q) ? trailing : undefined);
    if (ns && ns !== entities.cluster && ns !== entities.workload.name && !/^(?:namespace|cluster|the)$/.test(ns) && /^(?:please\s+)?(?:scale|restart|roll|rollback|revert|delete|remove|bounce|redeploy|kubectl)\b/.test(q)) entities.namespace = ns;
  }
  const service = entities.workload?.kind === 'Service' ? entities.workload.name : clean(m(new RegExp(String.raw`\b${NAME}\s+(?:service|svc)\b`))) ?? clean(m(new RegExp(String.raw`\b(?:service|svc)[\s/]+${NAME}`)));
  if (service && taken(service) && !ENV_NAME.test(service)) entities.service = service;
  if (!entities.service && entities.workload && entities.workload.kind !== 'Pod' && /\b(?:errors?|exceptions?|5xx|4xx|latency|timeouts?|warnings?)\b/.test(q)) entities.service = entities.workload.name;

  const replicas = m(/(?:\bto|=|\bat)\s*(\d{1,4})\b(?!\s*(?:%|percent|minutes?|mins?|hours?|seconds?|ms|[smh]\b))/) ?? m(/\b(\d{1,4})\s*(?:replicas?|pods?|instances?|copies)\b/);
  if (replicas !== undefined && /\b(?:scale[ds]?|replicas?|bump)\b/.test(q)) entities.replicas = Number(replicas);

  entities.timeRange = parseTimeRange(question, now) ?? (context.since ? parseSince(context.since, now) : undefined);
  entities.cluster ??= context.cluster;
  entities.namespace ??= context.namespace;
  entities.service ??= context.service;
  for (const key of Object.keys(entities) as Array<keyof AskEntities>) if (entities[key] === undefined) delete entities[key];
  return entities;
}

function parseSince(since: string, now: Date): PlainTimeRange | undefined {
  const t = Date.parse(since);
  if (Number.isFinite(t)) return { start: new Date(t).toISOString(), end: now.toISOString(), text: `since ${since}` };
  return parseTimeRange(since.includes('ago') ? since : `last ${since}`, now);
}

const IAC = /\b(alert (?:me|us|the team|on-?call)|notify (?:me|us)|page (?:me|us|on-?call)|email (?:me|us)|(?:create|add|set ?up|make|write|define|configure|build)\s+(?:me\s+)?(?:an?\s+|the\s+)?(?:new\s+)?(?:cloudwatch\s+)?(?:alarm|alert|metric filter|log metric filter|log filter|eventbridge rule|event rule|cloudwatch rule)s?|metric filter|eventbridge rule|alarm (?:on|for|when|if)|(?:cdk|cloudformation|terraform) (?:for|snippet|code)|write (?:the )?(?:cdk|cloudformation|terraform))\b/;
const ACTIONS: Array<[RegExp, KubernetesVerb]> = [
  [/\b(?:show|read|get|print|dump|reveal|decode|cat|display|give|tell|fetch|output|export|copy|base64)\b.*\bsecrets?\b|\bsecrets?\b.*\b(?:values?|contents?|passwords?|tokens?|keys?|decoded?|data|plain ?text)\b|\bkubectl\s+get\s+secrets?\b/, 'read_secret'],
  [/\bdelete\b|\bremove\b|\bdestroy\b|\bwipe\b|\bnuke\b|\bpurge\b|\bkubectl\s+delete\b/, 'delete'],
  [/\bscale\b|\bbump\b.*\breplicas?\b|\bset\b.*\breplicas?\b|\breplicas?\s+(?:of|for)\b.*\bto\s+\d/, 'scale'],
  [/\broll(?:\s|-)?back\b|\brevert\b|\brollout undo\b|\bundo (?:the )?(?:last )?(?:rollout|deploy(?:ment)?|release)/, 'rollback'],
  [/\brestart\b|\bbounce\b|\brollout restart\b|\brecycle\b|\bredeploy\b|\breboot the pods\b/, 'restart'],
  [/\buncordon\b|\bmark\b.*\bschedulable\b/, 'uncordon'],
  [/\bcordon\b|\bmark\b.*\bunschedulable\b|\bstop scheduling\b.*\bnode\b/, 'cordon'],
  [/\bdrain\b|\bevict\b.*\b(?:from|on) (?:the )?node\b/, 'drain'],
];

/** A request to act: an imperative, a polite form of one, or a kubectl command line. */
const IMPERATIVE = /^(?:(?:please|pls|ok|okay|now|hey|go ahead and|then)[\s,]+)*(?:(?:can|could|would|will) you(?: please)?\s+|i (?:want|need|would like) (?:you )?to\s+|let'?s\s+|we (?:need|should) to\s+|help me\s+)?(?:(?:do|perform|trigger|run|start|kick off)\s+an?\s+(?:rolling\s+|quick\s+|safe\s+)?)?(?:kubectl\s+(?:rollout\s+)?)?(?:scale|restart|roll|rollback|revert|undo|cordon|uncordon|drain|evict|mark|stop scheduling|delete|remove|destroy|wipe|nuke|purge|bounce|recycle|redeploy|bump|set|show|read|get|print|dump|reveal|decode|cat|display|give|fetch)\b/;
/** A question about the past or the present state ("why did …", "has … been scaled"): never an action. */
const STATE_QUESTION = /^(?:why|what|when|who|which|where|did|(?:do|does) (?:i|we|you|they|it|the|this|that|these|those|my|our|any|pods?|nodes?)|has|have|had|is|are|was|were|how (?:many|long|often|much))\b/;
/** A question asking how something is done or what it means: answered from the runbooks. */
const KNOWLEDGE = /^(?:how (?:do|can|should|would|could|might) (?:i|we|you|one)\b|how (?:to|does|do)\b|what (?:should|can|could) (?:i|we) do\b|what (?:do|to) (?:i |we )?do (?:about|when|if|with)\b|what (?:is|are|does|do) (?:a |an |the )?(?!wrong\b|happening\b|going\b|the status\b|up with\b)|what(?:'s| is) (?:a|an|the (?:difference|best|right|fix|cause|meaning))\b|what causes\b|what could cause\b|why (?:do|does|would|might|can|could) (?:a |an |my |our |the )?(?:pods?|nodes?|containers?|pvcs?|lambdas?|functions?|jobs?|deployments?|images?|probes?|requests?|dns|queries|connections?|certificates?|volumes?|hpas?|services?)\b|explain\b|tell me (?:about|how)\b|best (?:way|practice)|steps? (?:to|for)\b|guide (?:to|for)\b|tips? (?:on|for)\b|runbook (?:for|on|about)\b|(?:where|how) (?:do|can) i (?:find|see|check)\b|is there a (?:runbook|guide|doc)|troubleshoot(?:ing)? (?:a|an)\b|(?:ways?|how|where|when) to\b|help (?:me )?(?:with|understand)\b|what (?:are|is) (?:the )?(?:common |usual |typical |main )?(?:reasons?|causes?|fix(?:es)?)\b)/;
/** Technical words that make a generic question (no workload named) a knowledge question. */
const TOPIC = /\b(?:pvcs?|persistentvolume|pods?|nodes?|ingress|dns|coredns|oom\w*|probes?|liveness|readiness|image\w*|crashloop\w*|errimagepull|lambda|throttl\w*|quota|certificates?|x509|tls|deadlocks?|disk|memory|cpu|evict\w*|taints?|toleration|affinity|hpa|autoscal\w*|rbac|forbidden|iam|accessdenied|cni|subnet|ip address(?:es)?|eks|alb|target group|5xx|504|502|sqs|queue|dlq|connections?|postgres\w*|mysql|file descriptors?|emfile|enospc|pids?|zombie|configmap|secret|rollout|job|cronjob|volume|mount|kubelet|notready|alarm|cloudwatch)\b/;
const HISTORY = /\b(?:happened before|happen(?:ed|s)? (?:again|before)|(?:seen|had) (?:this|that|it|these|those)(?: \w+)? before|(?:before|already)\s*\?|similar (?:incidents?|issues?|problems?|outages?|failures?|diagnos[ie]s)|last time (?:this|that|it|we)|(?:when|how often) did (?:this|that|it)|did (?:this|that|it) (?:happen|occur)|(?:previous|past|earlier|prior|older)(?:ly)? (?:incidents?|occurrences?|outages?|diagnos[ie]s|failures?)|recurr(?:ing|ent|ence)|(?:happen\w*|occurr?\w*|seen|seeing|back) again\b|again\s*\?\s*$|history of|\bsame (?:incident|issue|problem|thing|error|failure|outage|root cause) as\b|how (?:often|many times)|first time (?:this|that|it|we))/;
const CHANGES = /\bwhat (?:has |have )?changed\b|\b(?:did|has|have|had)\s+(?:anyone|someone|somebody|anybody|we|you|they)\s+(?:just\s+|recently\s+)?(?:change[sd]?|edit(?:ed)?|modif(?:y|ied)|update[sd]?|touch(?:ed)?|deploy(?:ed)?|push(?:ed)?|roll(?:ed)? out|release[sd]?)\b|\b(?:changed|deployed|updated|modified|edited) (?:recently|lately|today|this morning|yesterday)\b|\brecently (?:changed|deployed|updated|modified|edited)\b|\bwhat was (?:changed|deployed)\b|\bchanges? (?:before|since|to|in|on|made|were)\b|\brecent (?:deploy(?:ment)?s?|changes|rollouts?|releases?|config(?:uration)? changes)\b|\bwho (?:changed|deployed|modified|edited|touched|scaled|rolled)\b|\b(?:was|were) there (?:an? |any )?(?:recent )?(?:deploy(?:ment)?s?|changes?|releases?|rollouts?|config(?:uration)? changes?)\b|\bany (?:recent )?(?:deploy(?:ment)?s?|changes|rollouts?|releases?)\b|\bdeploy(?:ed|ment)? (?:right )?before\b|\blast (?:deploy(?:ment)?|release|rollout|change)\b|\b(?:new|latest) (?:version|release|image) (?:of|for|rolled|deployed)/;
const ERRORS = /\b(?:errors?|exceptions?|5xx|4xx|50[0-4]s?|failures?|warnings?|timeouts?|stack ?traces?|panics?|fatal|tracebacks?)\b/;
const SYMPTOM = /\b(?:wrong|failing|fails|failed|crash\w*|down|broken|not (?:ready|starting|working|running|responding|healthy|scheduling)|pending|unhealthy|healthy|ok|okay|oom\w*|restart(?:ing|s|ed)|stuck|slow|erroring|degraded|happening|going on|evicted|throttled|hanging|flapping|unavailable|unreachable|dying|dead|keeps? (?:dying|failing|crashing|restarting)|backoff|latency|status|health|(?:won'?t|can'?t|cannot|doesn'?t|don'?t|isn'?t|aren'?t|never|fails? to|failed to)\s+(?:start|run|come up|work|schedule|respond|become ready|get ready|boot|pull|reach|connect|resolve|talk to|access|mount|find)|(?:returning|returns|throwing|throws|serving|giving|answering)\s+(?:an?\s+)?(?:[45]\d\d|[45]xx|errors?|exceptions?)|^why (?:can'?t|cannot|won'?t|doesn'?t|don'?t|isn'?t|aren'?t|didn'?t))\b/;

/**
 * Parses a question: intent, entities, and the Kubernetes verb for actions. Order of decisions:
 * infrastructure as code; Kubernetes actions (refused verbs — delete, secret reads — whenever they
 * appear outside a how-to question; other verbs only as requests, never in "why did … scale");
 * history; changes; how-to questions; error searches; symptoms; a generic technical question;
 * otherwise `clarify`. An action missing its object (workload, node, replica count), or a request
 * for two actions, is asked back.
 * @param question the engineer's words only — never evidence text.
 * @param now anchors relative time ranges.
 * @param context API context; fills only entities the question leaves out.
 * @example parseQuestion('restart the payments deployment in namespace shop', new Date())
 *   // → { intent: 'kubernetes_action', verb: 'restart', entities: { workload: { name: 'payments', kind: 'Deployment' }, namespace: 'shop' } }
 */
export function parseQuestion(question: string, now: Date, context: AskContext = {}): ParsedQuestion {
  const q = question.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').trim();
  const entities = extractEntities(question, now, context);
  const asks = /\?\s*$/.test(q) || STATE_QUESTION.test(q) || /^(?:can|could|should|explain|tell)\b/.test(q);
  const imperative = IMPERATIVE.test(q);
  const knowledgeAsk = KNOWLEDGE.test(q);

  if (IAC.test(q) && !knowledgeAsk) return { intent: 'infrastructure_as_code', entities };
  for (const [re, matched] of ACTIONS) {
    if (!re.test(q)) continue;
    // Refused verbs are recognised liberally (they must be guarded); other verbs only as requests.
    const refusable = matched === 'read_secret' || matched === 'delete';
    if (!(imperative || (refusable ? !knowledgeAsk : !knowledgeAsk && !STATE_QUESTION.test(q)))) continue;
    // One action per request: a second one is asked back, never dropped ("cordon and drain" is a drain).
    const all = new Set(ACTIONS.filter(([other]) => other.test(q)).map(([, v]) => v));
    const verb: KubernetesVerb = matched === 'cordon' && all.has('drain') ? 'drain' : matched;
    const extra = [...all].filter((v) => v !== verb && !(verb === 'drain' && v === 'cordon'));
    if (!refusable && extra.length > 0) {
      return { intent: 'clarify', entities, verb, clarification: `That asks for ${[verb, ...extra].join(' and ')}; I plan one action per request. Ask for each separately, e.g. "${verb} …" first.` };
    }
    if ((verb === 'scale' && entities.replicas === undefined) || (['scale', 'restart', 'rollback'].includes(verb) && !entities.workload)) {
      return { intent: 'clarify', entities, verb, clarification: verb === 'scale' && entities.workload ? `How many replicas should ${entities.workload.name} have? Say e.g. "scale ${entities.workload.name} to 3 replicas".` : `Which workload should I ${verb}? Name it, e.g. "${verb} deployment checkout in namespace shop${verb === 'scale' ? ' to 3 replicas' : ''}".` };
    }
    if (['cordon', 'uncordon', 'drain'].includes(verb) && !entities.node) {
      return { intent: 'clarify', entities, verb, clarification: `Which node should I ${verb}? Name it, e.g. "${verb} node ip-10-0-1-23.ec2.internal".` };
    }
    return { intent: 'kubernetes_action', entities, verb };
  }
  if (HISTORY.test(q)) return { intent: 'history', entities };
  if (CHANGES.test(q)) return { intent: 'changes', entities };
  if (knowledgeAsk) return { intent: 'knowledge', entities };
  const subject = entities.workload ?? entities.service ?? entities.node;
  if (ERRORS.test(q) && (subject || entities.timeRange) && !/^why\b/.test(q)) return { intent: 'search_errors', entities };
  // "why is X returning 503s" asks for a cause, not a list of errors.
  if (ERRORS.test(q) && subject && /^why\b/.test(q)) return { intent: 'diagnose', entities };
  if (SYMPTOM.test(q) && (subject || (asks && /\b(?:this|it|the (?:app|service|system|cluster)|everything|prod(?:uction)?)\b/.test(q)))) return { intent: 'diagnose', entities };
  if (asks && !subject && TOPIC.test(q)) return { intent: 'knowledge', entities };
  return {
    intent: 'clarify',
    entities,
    clarification: 'I could not tell what you need. Ask about a workload ("what is wrong with pod checkout-7d9f in shop?"), errors ("errors in payments in the last 30 minutes"), a procedure ("how do I debug a pending PVC?"), an action ("scale checkout to 5 replicas") or an alarm to create.',
  };
}
