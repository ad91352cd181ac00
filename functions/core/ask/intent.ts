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
  statefulset: 'StatefulSet', sts: 'StatefulSet', daemonset: 'DaemonSet', ds: 'DaemonSet',
  pod: 'Pod', pods: 'Pod', job: 'Job', cronjob: 'CronJob', service: 'Service', svc: 'Service',
  namespace: 'Namespace', ns: 'Namespace', node: 'Node', secret: 'Secret', secrets: 'Secret',
};
const STOP = new Set(['the', 'a', 'an', 'my', 'our', 'this', 'that', 'it', 'is', 'are', 'in', 'on', 'to', 'of', 'for', 'with', 'and', 'me', 'all', 'any', 'there', 'what', 'why', 'how', 'when', 'pod', 'pods', 'deployment', 'service', 'node', 'namespace', 'cluster', 'prod', 'production', 'staging', 'app', 'application', 'previous', 'revision', 'replicas', 'errors', 'error', 'wrong', 'failing', 'happening', 'happened', 'before', 'again', 'alarm', 'this']);

const ARTICLES = new Set(['the', 'a', 'an', 'my', 'our', 'this', 'that', 'it', 'is', 'are', 'to', 'of', 'for', 'with', 'and']);

/** Trims punctuation; rejects stop words (`strict`) or only articles (names after `cluster`/`namespace`). */
function clean(name: string | undefined, strict = true): string | undefined {
  if (!name) return undefined;
  const n = name.replace(/[.,;:!?)"'`]+$/, '').replace(/^["'`(]+/, '');
  return n && !(strict ? STOP : ARTICLES).has(n) ? n : undefined;
}

/** Extracts the entities a question names. `now` anchors relative time ranges. */
export function extractEntities(question: string, now: Date, context: AskContext = {}): AskEntities {
  const q = question.toLowerCase();
  const entities: AskEntities = {};
  const m = (re: RegExp) => re.exec(q)?.[1];

  entities.cluster = clean(m(new RegExp(String.raw`\bcluster\s+(?:named\s+|called\s+)?${NAME}`)), false) ?? clean(m(new RegExp(String.raw`\b(?:in|on)\s+(?:the\s+)?${NAME}\s+cluster\b`)), false) ?? clean(m(new RegExp(String.raw`\bcluster[=:]${NAME}`)), false);
  entities.namespace = clean(m(new RegExp(String.raw`\bnamespace\s+${NAME}`)), false) ?? clean(m(new RegExp(String.raw`\b(?:in|from)\s+(?:the\s+)?${NAME}\s+namespace\b`)), false) ?? clean(m(new RegExp(String.raw`(?:^|\s)(?:-n|--namespace)[= ]${NAME}`)), false) ?? clean(m(new RegExp(String.raw`\bns[=/ ]${NAME}`)), false);
  entities.node = clean(m(new RegExp(String.raw`\bnode\s+${NAME}`)));

  // Explicit kind + name: "pod X", "deployment X", "the X deployment".
  for (const [word, kind] of Object.entries(KIND_WORDS)) {
    if (kind === 'Node' || kind === 'Namespace') continue;
    const after = clean(m(new RegExp(String.raw`\b${word}(?:/|\s+)${NAME}`)));
    const before = clean(m(new RegExp(String.raw`\bthe\s+${NAME}\s+${word}\b`)));
    const name = after ?? before;
    if (name && !KIND_WORDS[name]) {
      if (kind === 'Service') entities.service = name;
      entities.workload = { name, kind };
      break;
    }
  }
  // Bare workload after a verb: "scale checkout", "restart payments", "why is checkout …", "roll back web".
  if (!entities.workload) {
    const bare = clean(m(new RegExp(String.raw`\b(?:scale|restart|rollback|roll back|rollout restart|redeploy|why is|why are|why does|wrong with|happening (?:to|with)|status of|health of|errors? (?:in|from|for)|logs? (?:of|for|from)|problems? with|issues? with|failures? in)\s+(?:the\s+)?${NAME}`)));
    if (bare && !KIND_WORDS[bare]) entities.workload = { name: bare };
  }
  // "in prod" (not followed by cluster/namespace) names a namespace when none was named.
  if (!entities.namespace) {
    const inWord = new RegExp(String.raw`\bin\s+(?:the\s+)?${NAME}(?!\s+(?:cluster|namespace))(?:[?.!,\s]|$)`, 'g');
    for (const match of q.matchAll(inWord)) {
      const word = match[1]!;
      if (['prod', 'production', 'staging', 'dev', 'qa', 'default', 'kube-system'].includes(word) || /^(?:prod|stag|dev)[-a-z0-9]*$/.test(word)) {
        if (word !== entities.cluster) entities.namespace = word;
        break;
      }
    }
  }
  if (!entities.service && entities.workload && /\berrors?\b|\b5xx\b|\blatency\b/.test(q)) entities.service = entities.workload.name;

  const replicas = m(/\b(?:to|=)\s*(\d{1,4})\s*(?:replicas?|pods?|instances?)?\b/);
  if (replicas !== undefined && /\bscale\b/.test(q)) entities.replicas = Number(replicas);

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

const IAC = /\b(alert me|notify me|page me|create (?:an? )?(?:cloudwatch )?alarm|add (?:an? )?(?:cloudwatch )?alarm|set up (?:an? )?alarm|metric filter|eventbridge rule|event rule|alarm (?:on|for|when)|write (?:the )?(?:cdk|cloudformation|terraform))\b/;
const ACTIONS: Array<[RegExp, KubernetesVerb]> = [
  [/\b(?:show|read|get|print|dump|reveal|decode|cat)\b.*\bsecrets?\b|\bsecrets?\b.*\b(?:value|contents?|password|decode)\b/, 'read_secret'],
  [/\bdelete\b|\bremove\b|\bdestroy\b|\bwipe\b/, 'delete'],
  [/\bscale\b/, 'scale'],
  [/\broll(?:\s|-)?back\b|\brevert\b|\bundo (?:the )?(?:rollout|deploy)/, 'rollback'],
  [/\brestart\b|\bbounce\b|\brollout restart\b|\brecycle\b/, 'restart'],
  [/\buncordon\b/, 'uncordon'],
  [/\bcordon\b/, 'cordon'],
  [/\bdrain\b/, 'drain'],
];

/**
 * Parses a question: intent, entities, and the Kubernetes verb for actions.
 * @param question the engineer's words only — never evidence text.
 */
export function parseQuestion(question: string, now: Date, context: AskContext = {}): ParsedQuestion {
  const q = question.toLowerCase().trim();
  const entities = extractEntities(question, now, context);
  const asks = /\?\s*$/.test(q) || /^(how|what|why|which|where|when|is|are|has|have|did|does|do|can|could|should|explain|tell)\b/.test(q);
  const imperative = /^(please\s+)?(scale|restart|roll|rollback|revert|cordon|uncordon|drain|delete|remove|destroy|bounce|show|read|get|print|decode|reveal|kubectl)\b/.test(q);

  if (IAC.test(q)) return { intent: 'infrastructure_as_code', entities };
  const knowledgeAsk = /^(how (?:do|can|should|to)|what (?:is|are|does) (?:a |an |the )?(?!wrong|happening|going)|explain|what causes|when should|how to|best way to|steps to|runbook for)\b/.test(q);
  for (const [re, verb] of ACTIONS) {
    if (re.test(q) && (imperative || !knowledgeAsk)) {
      if ((verb === 'scale' && entities.replicas === undefined) || (['scale', 'restart', 'rollback'].includes(verb) && !entities.workload)) {
        return { intent: 'clarify', entities, verb, clarification: verb === 'scale' && entities.workload ? `How many replicas should ${entities.workload.name} have?` : `Which workload should I ${verb}? Name it, e.g. "${verb} deployment checkout in namespace shop".` };
      }
      if (['cordon', 'uncordon', 'drain'].includes(verb) && !entities.node) {
        return { intent: 'clarify', entities, verb, clarification: `Which node should I ${verb}? Name it, e.g. "${verb} node ip-10-0-1-23.ec2.internal".` };
      }
      return { intent: 'kubernetes_action', entities, verb };
    }
  }
  if (/\b(happened before|seen (?:this|it) before|before\?|similar incidents?|last time|previous(?:ly)? (?:incidents?|occurrences?)|recurring|again\b|history of)/.test(q)) return { intent: 'history', entities };
  if (/\bwhat changed\b|\bchanges? (?:before|since|to)\b|\brecent (?:deploy(?:ment)?s?|changes|rollouts?)\b|\bwho (?:changed|deployed)\b|\bwas there a (?:deploy|change)/.test(q)) return { intent: 'changes', entities };
  if (knowledgeAsk) return { intent: 'knowledge', entities };
  if (/\b(errors?|exceptions?|5xx|failures?|warnings?|timeouts?)\b/.test(q) && (entities.service || entities.workload || entities.timeRange) && !/\bwhy\b/.test(q)) return { intent: 'search_errors', entities };
  if (/\b(wrong|failing|fails|failed|crash(?:ing|-?loop(?:ing)?)?|down|broken|not (?:ready|starting|working|running)|pending|unhealthy|oom|restarting|stuck|slow|erroring|degraded|happening)\b/.test(q) && (asks || entities.workload)) {
    return { intent: 'diagnose', entities };
  }
  if (asks && /\b(pvc|pod|node|ingress|dns|oom|probe|image|crashloop|lambda|throttl|quota|certificate|deadlock|disk|memory|cpu)\w*/.test(q)) return { intent: 'knowledge', entities };
  return {
    intent: 'clarify',
    entities,
    clarification: 'I could not tell what you need. Ask about a workload ("what is wrong with pod checkout-7d9f in shop?"), errors ("errors in payments in the last 30 minutes"), a procedure ("how do I debug a pending PVC?"), an action ("scale checkout to 5 replicas") or an alarm to create.',
  };
}
