/**
 * Reads a question in plain language: its intent and the entities it names (cluster, namespace,
 * workload, pod, node, service, replicas, time range). Rule-based and deterministic, so it is
 * testable and cannot be steered by text inside logs or documents: only the question is parsed.
 */
import { parseCalendarRange, parseTimeRange, type PlainTimeRange } from './time-range.js';
import { COMMON_WORDS } from './common-words.js';
import { deletesNamespace, readsSecretValue } from './guard.js';

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
/** Words after a kind word that are a verb or a state, not the name ("which secret holds …"). */
const NOT_AFTER_KIND = /^(?:holds?|contains?|has|have|had|does|did|is|are|was|were|will|would|should|can|could|needs?|wants?|gone|broke|went|hangs?|hanging|timed|times|deletion|termination|quotas?|limits?|labels?|annotations?|usage|cleanup|policy|policies|settings|scope|wide|history|rollout|revision|template|image|version|mounted|mounts|used|uses|exists?|values?|data|keys?|stores?|gets?|got|keeps?|kept|went|goes|seems?|looks?|returns?|returned|throws?|restarted|restarting|crashing|crashed|failing|failed|fails|pending|evicted|stuck|slow|down|up|healthy|unhealthy|ready|running|broken|dying|dead|logs?|errors?|events?|status|names?|list|resource|object|objects|spec|yaml|manifest|definition|config|selector|labels?)$/;
const KIND_WORDS: Record<string, WorkloadKind> = {
  deployment: 'Deployment', deploy: 'Deployment', deployments: 'Deployment',
  statefulset: 'StatefulSet', statefulsets: 'StatefulSet', sts: 'StatefulSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet', ds: 'DaemonSet',
  pod: 'Pod', pods: 'Pod', po: 'Pod', job: 'Job', jobs: 'Job', cronjob: 'CronJob', cronjobs: 'CronJob', service: 'Service', svc: 'Service', services: 'Service',
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
fix fixed fixing pls plz pleas thx thanks ty help check show get give tell find look see list grep tail dump print
slow slowly sluggish laggy latency p50 p90 p95 p99 lag affinity rate ratio percent count number limit threshold
lambda lambdas function functions queue queues dlq sqs sns alb elb nlb tg tgs target targets group groups arn ecs ec2 eks task tasks instance instances
kubectl k8s kube k restart restarts scale scaled rollback revert undo drain cordon uncordon delete remove bounce redeploy
backing backed piling stuck why whats what's hows how's rn asap now pls ok ffs wtf lol ugh hey hi hello yo
before after around between while during until till via per top first last latest recent most only just all
regarding concerning wrt re set setting entries entry records record rows row output outputs stuff things thing
available unavailable reachable unreachable ready once twice more even entirely completely anyway actually really maybe probably literally basically quickly yet ever never whoever whatever somehow
damn fucking fuck freaking friggin effing bloody stupid goddamn hell ugh wtf ffs omg jeez sigh
weekend weekday monday tuesday wednesday thursday friday saturday sunday lunch noon midnight night evening afternoon
if when whenever unless alert alarm notify page paging whether found wont won't start starts po y u r ur pls deleting removing nuking wiping killing dropping destroying purging deleted removed
cpu memory mem disk oom oomkilled throttles throttled throttle errors warn warning warnings info debug level lines line messages message
dns network cert certs certificate tls ssl http https tcp udp
`.trim().split(/\s+/));

/** Environment words read as a namespace in "in prod", "on staging" (not as a workload). */
const ENV_NAME = /^(?:prod|production|staging|stage|dev|develop|development|qa|test|uat|sandbox|preprod|default|kube-system|(?:prod|stag|dev|qa|uat)[-a-z0-9]*)$/;

/** Trims punctuation and a possessive; undefined when what remains cannot be a name (`loose`: only articles are rejected). */
function clean(name: string | undefined, loose = false): string | undefined {
  if (!name) return undefined;
  const n = name.replace(/'s$/, '').replace(/[.,;:!?)"'`]{1,16}$/, '').replace(/^["'`(]+/, '');
  if (!n) return undefined;
  if (loose) return ['the', 'a', 'an', 'my', 'our', 'this', 'that', 'it', 'is', 'are', 'to', 'of', 'for', 'with', 'and'].includes(n) ? undefined : n;
  if (n.length < 2) return undefined;
  return NOT_A_NAME.has(n) || KIND_WORDS[n] || /^\d+$/.test(n) ? undefined : n;
}

/**
 * Words that name a component's role (a queue consumer, a worker, the web tier): common nouns that
 * teams use as names, read as one where the sentence's structure puts a name (after a kind word,
 * a kubectl flag, an action verb), never from a bare position.
 */
const ROLE_NOUNS = new Set(['queue', 'worker', 'workers', 'web', 'api', 'frontend', 'backend', 'gateway', 'proxy', 'cache', 'db', 'database', 'search', 'auth', 'jobs', 'system', 'app', 'server', 'scheduler', 'cron', 'consumer', 'producer', 'ingest', 'data', 'store', 'router', 'mailer', 'notifier', 'dispatcher', 'indexer', 'exporter', 'importer', 'sync', 'batch', 'stream', 'events', 'metrics', 'monitoring', 'logging', 'storage', 'public', 'internal', 'admin', 'core', 'platform', 'tools', 'infra', 'integration', 'jobs']);
/** Filler between an action verb or article and its object ("restart the damn frontend"). */
const FILLER = String.raw`(?:(?:damn|fucking|freaking|friggin|effing|bloody|stupid|goddamn|poor|whole|entire|same|old|broken|dumb|cursed)\s+){0,2}`;

/**
 * A name where the structure says one stands (`deploy/x`, `deployment x`, `the x deployment`,
 * `-n x`, `namespace x`): anything but grammar, states, time words and data nouns; role nouns
 * ("queue", "worker", "system") count.
 */
function strong(name: string | undefined, kinds = false): string | undefined {
  if (!name) return undefined;
  const n = name.replace(/'s$/, '').replace(/[.,;:!?)"'`]{1,16}$/, '').replace(/^["'`(]+/, '');
  if (n.length < 2 || /^\d+[a-z]{0,3}$/.test(n) || (KIND_WORDS[n] && !(kinds && !/^(?:namespaces?|ns)$/.test(n))) || (NOT_AFTER_KIND.test(n) && !ROLE_NOUNS.has(n))) return undefined;
  if (NOT_A_NAME.has(n) && !ROLE_NOUNS.has(n)) return undefined;
  return n;
}

/** First match of any pattern whose group 1 is a usable name. */
function firstName(q: string, patterns: readonly RegExp[], accept: (name: string) => boolean = () => true, roles = false): string | undefined {
  for (const re of patterns) {
    for (const match of q.matchAll(new RegExp(re.source, 'g'))) {
      const name = roles ? strong(match[1]) : clean(match[1]);
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
  const whole = readEntities(question, now, context);
  // Pasted text and then the engineer's words ("<error line> -- why is x failing?"): the workload is
  // read from the engineer's words first, from the pasted text only when they name none.
  const own = engineerPart(question);
  if (own !== undefined) {
    const mine = readEntities(own, now, {});
    const guessed = mine.workload ? undefined : guessName(readShapes(own, {}), whole);
    if (guessed) mine.workload = { name: guessed };
    if (mine.workload) {
      whole.workload = mine.workload;
      if (mine.namespace) whole.namespace = mine.namespace;
      if (mine.service) whole.service = mine.service;
      else if (whole.service && whole.service !== mine.workload.name && !mine.service) delete whole.service;
    }
  }
  return whole;
}

/**
 * The engineer's own words after pasted text: the part after the last `--`, `<-`, `—`, `=>` or line
 * break, when what stands before it reads as pasted output (an error, a log line, a table, a
 * `Key: value` status); undefined when the question has no such parts.
 */
export function engineerPart(question: string): string | undefined {
  const m = /^([\s\S]*)(?:\s--?\s|\s<-{1,2}\s?|\s—\s|\s=>\s|\n)([^\n]*)$/.exec(question.trimEnd());
  if (!m) return undefined;
  const [, pasted, own] = m as unknown as [string, string, string];
  if (own.trim().split(/\s+/).length < 2 || !pasted.trim()) return undefined;
  return /(?:error|exception|fail|fatal|panic|refused|denied|timed? ?out|exceeded|not found|oom|back-?off|invalid|unable|cannot|can't|[A-Z][a-z]+[A-Z]|\b[A-Z][A-Za-z]+:\s|\b\d{3}\b|\bNAME\s+READY)/i.test(pasted) ? own : undefined;
}

function readEntities(question: string, now: Date, context: AskContext): AskEntities {
  const entities: AskEntities = {};
  // Shapes first (AWS names, quoted messages, counts and percentages); their text is masked so no
  // workload is read from inside them.
  const shaped = readShapes(spellGuardWords(question.replace(/[\u2018\u2019]/g, "'")), entities);
  const q = shaped.toLowerCase();
  const m = (re: RegExp) => re.exec(q)?.[1];

  const clusterAfter = clean(m(new RegExp(String.raw`\bcluster\s+(?:named\s+|called\s+)?${NAME}`)), true);
  entities.cluster = (clusterAfter && (!isCommonWord(clusterAfter) || /[-\d]/.test(clusterAfter) || ENV_NAME.test(clusterAfter)) ? clusterAfter : undefined) ?? clean(m(new RegExp(String.raw`\b(?:in|on|of|for)\s+(?:the\s+)?${NAME}\s+cluster\b`)), true) ?? clean(m(new RegExp(String.raw`\bcluster[=:]${NAME}`)), true) ?? clean(m(new RegExp(String.raw`(?:^|\s)--(?:context|cluster)[= ]${NAME}`)), true);
  // Namespace: `-n x`, `--namespace=x`, `ns:x`, `namespace x`, "in the x namespace", "x ns"; any
  // name the structure gives (a role noun too: "ns jobs", "namespace system").
  const nsNamed = (re: RegExp) => { for (const x of q.matchAll(new RegExp(re.source, 'g'))) { const n = strong(x[1], true) ?? (ENV_NAME.test(x[1] ?? '') ? x[1] : undefined); if (n) return n; } return undefined; };
  entities.namespace = nsNamed(new RegExp(String.raw`(?<!\btail\s)(?:^|\s)(?:-n|--namespace)(?:[= ]|\s+)(?!\d+\b)${NAME}`))
    ?? nsNamed(new RegExp(String.raw`\b(?:ns|namespace)\s*[=:]\s*${NAME}`))
    ?? nsNamed(new RegExp(String.raw`\b(?:in|from|of|on|for|to|into|inside|within|across|the)\s+(?:the\s+)?${FILLER}${NAME}\s+(?:namespace|ns)\b(?![:=/])`))
    ?? nsNamed(new RegExp(String.raw`\b(?:namespace|ns)(?:/|\s+(?:named\s+|called\s+)?)${NAME}`));
  entities.node = clean(m(new RegExp(String.raw`\bnode[\s/]+${NAME}`))) ?? clean(m(new RegExp(String.raw`\b(ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?:\.[a-z0-9-]+)*)`)));
  const taken = (name: string) => name !== entities.cluster && name !== entities.namespace && name !== entities.node && !name.startsWith('-');

  // Explicit kind + name: "the X deployment" (an article makes X a name), "pod X", "deployment/X",
  // "statefulset X"; then "X deployment", "checkout pods".
  let workload: AskEntities['workload'];
  for (const match of q.matchAll(new RegExp(String.raw`\b(?:the|my|our|your)\s+${FILLER}${NAME}\s+(deployment|deploy|statefulset|sts|daemonset|ds|job|cronjob|service|svc)\b`, 'g'))) {
    const name = strong(match[1]);
    if (name && taken(name) && !ENV_NAME.test(name)) {
      workload = { name, kind: KIND_WORDS[match[2]!]! };
      break;
    }
  }
  if (!workload) for (const match of q.matchAll(new RegExp(String.raw`(?<![\w-])(?<!\b(?:ns|namespace)\s{1,4})((?:(?:that|this|these|those|a|an|every|each|any|no|which|what|whose)\s+)?)(deployments?|deploy|statefulsets?|sts|daemonsets?|ds|pods?|po|jobs?|cronjobs?|services?|svc|secrets?)(?:\.[a-z][a-z0-9-]{0,30}(?:\.[a-z0-9-]{1,30}){0,4})?(?:/|\s+(?:named\s+|called\s+)?)${NAME}`, 'g'))) {
    const slash = match[0].includes('/');
    // "that deploy broke checkout", "a pod restarted": a kind word after a determiner names a thing
    // already meant, and the word after it is no name.
    if (match[1] && !slash) continue;
    const name = strong(match[3]);
    // "which secret holds …", "the service is down": a kind word before a verb or state names nothing;
    // after a Pod, Service or Secret word a plain common word is no name either.
    if (name && taken(name) && (slash || /[-\d.]/.test(name) || !isCommonWord(name) || ROLE_NOUNS.has(name) && /^(?:deploy|deployments?|statefulsets?|sts|daemonsets?|ds|jobs?|cronjobs?)$/.test(match[2]!))) {
      workload = { name, kind: KIND_WORDS[match[2]!]! };
      break;
    }
  }
  // "shop/checkout", "kube-system/coredns": namespace/name as kubectl and the store write it.
  if (!workload) {
    for (const match of q.matchAll(/(?<![\w./:-])([a-z][a-z0-9-]{0,62})\/([a-z0-9][a-z0-9.-]{0,251})(?![\w/-])/g)) {
      const [ns, name] = [match[1]!, clean(match[2])];
      if (!name || KIND_WORDS[ns] || /^(?:app|net|gwy|targetgroup|aws|api|apis|v\d+)$/.test(ns) || (isCommonWord(ns) && !ENV_NAME.test(ns)) || isCommonWord(name) || /^\d/.test(name)) continue;
      workload = { name: name.replace(/-(?=[a-z0-9]*\d)[a-z0-9]{4,10}(?:-[a-z0-9]{5})?$/, '') };
      entities.namespace ??= ns;
      break;
    }
  }
  if (!workload) {
    for (const match of q.matchAll(new RegExp(String.raw`(?:^|[\s(])${NAME}(?:'s)?\s+(${KIND_AFTER})\b`, 'g'))) {
      const name = strong(match[1]);
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
    const the = String.raw`(?:the\s+|my\s+|our\s+)?${FILLER}`;
    // The object of an action verb is a name position: a role noun counts there ("restart worker").
    const object = firstName(q, [
      new RegExp(String.raw`\b(?:scale(?:\s+(?:up|down|out|in))?|scaling|restarting|bouncing|restart|rollback|roll\s+back|rollout\s+(?:restart|undo)|undo|redeploy|bounce|recycle|bump|revert)\s+${the}${NAME}`),
    ], (name) => taken(name) && !ENV_NAME.test(name) && (!isCommonWord(name) || ROLE_NOUNS.has(name)), true);
    const bare = object ?? firstName(q, [
      new RegExp(String.raw`\b(?:why\s+(?:is|are|does|do|did|was|were|has|have|can'?t|cannot|won'?t|doesn'?t|isn'?t|aren'?t|didn'?t)|wrong\s+with|going\s+on\s+(?:with|in)|happening\s+(?:to|with|in)|happened\s+(?:to|with)|status\s+of|health\s+of|problems?\s+with|issues?\s+with|trouble\s+with|look\s+at|look\s+into|check\s+on|investigate|diagnose|debug|fix|check|inspect|examine|rca\s+(?:for|of|on)?)\s+${the}${NAME}`),
      new RegExp(String.raw`^(?:is|are|was|were)\s+${the}${NAME}\s+(?:still\s+)?(?:healthy|ok|okay|up|down|running|ready|broken|failing|crashing|working|alive|available|stuck|slow|degraded|restarting|pending)`),
      new RegExp(String.raw`\b(?:errors?|errs?|exceptions?|warnings?|warns?|lines?|messages?|entries|output|traces?|panics?|failures?|timeouts?|[45]xx|[45]\d\ds?|logs?|latency|slowness|health|status|p\d\d|crash(?:es)?|restarts?|kills?|oom ?kills?|evictions?|incidents?|outages?|downtime|problems?|issues?|alarms?|alerts?|deploy(?:ment)?s?|rollouts?|releases?|changes?|changed|deployed|updated)\s+(?:in|from|for|of|on|to|with|by)\s+${the}${NAME}`),
      new RegExp(String.raw`\breplicas?\s+(?:of|for|on)\s+${the}${NAME}`),
      new RegExp(String.raw`^(?:so\s+|and\s+|ok\s+)?how(?:'s|s|\s+is|\s+are|\s+r)\s+${the}${NAME}\s*(?:doing|today|now|looking|holding\s+up|[?.!]|$)`),
      new RegExp(String.raw`\b(?:happened|happen|seen|occurred|failed|crashed)\s+(?:this\s+|it\s+)?(?:before\s+|again\s+)?(?:to|for|with|in|on)\s+${the}${NAME}`),
      new RegExp(String.raw`(?:^|[\s,;])${the}${NAME}\s+(?:keeps|kept|is|are|was|were|has\s+been|have\s+been|started|starts|stopped|went|goes|seems?|looks?|returns?|returning|throws?|throwing|crash(?:es|ed|ing)?|fail(?:s|ed|ing)?|restart(?:s|ed|ing)|(?:got|gets|getting)\s+oom\w*|oom\w*|crashloop\w*|evicted|stuck|pending|down|dead|dying|broken|erroring|hanging|flapping|unhealthy|degraded|timing\s+out|slow)\b`),
      new RegExp(String.raw`\b(?:for|of|about|to|with)\s+${the}${NAME}\s*(?:[?.!,]|$)`),
    ], (name) => taken(name) && !ENV_NAME.test(name) && !isCommonWord(name) && !commonCompound(name));
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
    const action = /^(?:please\s+)?(?:scale|restart|roll|rollback|revert|delete|remove|bounce|redeploy|kubectl)\b/.test(q);
    // In a question, only a trailing "in X" that is no common word ("why is cart failing in shop").
    const named = action ? ns : trailing && !COMMON_WORDS.has(trailing) && !NOT_A_NAME.has(trailing) && !/\d/.test(trailing) && !/\bcluster\s*[?.!]?\s*$/.test(q) ? trailing : undefined;
    if (named && named !== entities.cluster && named !== entities.workload.name && !/^(?:namespace|cluster|the)$/.test(named)) entities.namespace = named;
  }
  const service = entities.workload?.kind === 'Service' ? entities.workload.name : clean(m(new RegExp(String.raw`\b(?:ecs\s+)?(?:service|svc)\s+of\s+(?:the\s+)?${NAME}`))) ?? clean(m(new RegExp(String.raw`\b${NAME}\s+(?:service|svc)\b`))) ?? clean(m(new RegExp(String.raw`(?<![\w-])(?:service|svc)[\s/]+${NAME}`)));
  if (service && taken(service) && !ENV_NAME.test(service)) entities.service = service;
  if (!entities.service && entities.workload && entities.workload.kind !== 'Pod' && /\b(?:errors?|exceptions?|5xx|4xx|latency|timeouts?|warnings?)\b/.test(q)) entities.service = entities.workload.name;

  const WORD_NUMBERS: Record<string, number> = { zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };
  const worded = /(?:\bto|=|\bat)\s*(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b(?=\s*(?:replicas?|pods?|instances?|copies|$|[.?!,]))/.exec(q)?.[1];
  const replicas = m(/--replicas[= ]\s*(\d{1,4})\b/) ?? (worded !== undefined ? String(WORD_NUMBERS[worded]) : undefined) ?? m(/\b\d{1,4}\s*->\s*(\d{1,4})\b/) ?? m(/(?:\bto|=|\bat)\s*(\d{1,4})\b(?!\s*(?:%|percent|minutes?|mins?|hours?|seconds?|ms|[smh]\b))/) ?? m(/\b(\d{1,4})\s*(?:replicas?|pods?|instances?|copies)\b/);
  if (replicas !== undefined && /\b(?:scale[ds]?|scaling|replicas?|bump)\b/.test(q)) entities.replicas = Number(replicas);

  // kubectl fragments: the word before `--replicas` / `-n` names the workload ("checkout --replicas=3 -n shop",
  // "past diagnoses web -n storefront").
  if (!entities.workload) {
    const lead = firstName(q, [new RegExp(String.raw`(?:^|[\s,;(])(?:(?:kubectl|k)\s+(?:scale|rollout\s+\w+|get|describe|logs)\s+)?(?:deploy(?:ment)?s?\s+)?${NAME}\s+(?:--replicas|-n[\s=]|--namespace)`)], (n) => taken(n) && !isCommonWord(n) || ROLE_NOUNS.has(n), true);
    if (lead) entities.workload = { name: lead };
  }
  // A pasted `kubectl get` table: the NAME column of its first row ("NAME READY …\nweb 3/5 …").
  if (!entities.workload) {
    const row = /^[ \t]*(NAMESPACE[ \t]+)?NAME[ \t]+(?:READY|STATUS|AGE|UP-TO-DATE|DESIRED|TYPE|CLUSTER-IP|COMPLETIONS|SCHEDULE|REFERENCE)\b[^\n]*\n[ \t]*(?:([a-z0-9][a-z0-9.-]{0,62})[ \t]+)?([a-z0-9][a-z0-9.-]{0,251})(?=[ \t])/m.exec(question);
    if (row) {
      const name = row[3]!.replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, '').replace(/-(?=[a-z0-9]*\d)[a-z0-9]{4,10}$/, '');
      entities.workload = { name };
      if (row[1] && row[2]) entities.namespace ??= row[2];
    }
  }
  entities.timeRange = parseCalendarRange(question, now) ?? parseTimeRange(question, now) ?? (context.since ? parseSince(context.since, now) : undefined);
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
/** The namespace a namespace deletion names ("kubectl delete ns shop", "nuke the shop namespace"), as the namespace entity. */
export function namespaceTarget(question: string, entities: AskEntities): AskEntities {
  const q = question.toLowerCase();
  const usable = (n: string | undefined) => n && !NOT_A_NAME.has(n) && !/^(?:it|this|that|whole|entire|gone|deleted|removed|nuked|wiped|dropped|destroyed|purged|killed|erased|torn|blown|trashed|zapped|named|called|pls|asap|--\S*)$/.test(n) ? n : undefined;
  const name = usable(/\b(?:namespaces?|ns)(?:\s*[/=:]\s*|\s+)(?:named\s+|called\s+)?([a-z0-9][a-z0-9.-]{0,62}[a-z0-9])\b/.exec(q)?.[1]) ?? usable(/\b([a-z0-9][a-z0-9.-]{0,62}[a-z0-9])\s+(?:namespace|ns)\b/.exec(q)?.[1]);
  const out: AskEntities = { ...entities };
  if (name) {
    out.namespace = name;
    // The object of the deletion is the Namespace itself.
    out.workload = { name, kind: 'Namespace' };
  } else if (out.workload && out.workload.kind !== 'Namespace') delete out.workload;
  return out;
}

const ACTIONS: Array<[RegExp, KubernetesVerb]> = [
  // read_secret: decided by readsSecretValue (guard.ts), not by a phrase list.
  [/\bdelete\b|\bremove\b|\bdestroy\b|\bwipe\b|\bnuke\b|\bpurge\b|\bkill\b|\bkubectl\s+delete\b|\btear(?:ing)?\s+down\b|\bteardown\b|\bget\s+rid\s+of\b/, 'delete'],
  [/\bscale\b|\b(?:give|make|set|bump)\b.{0,60}\b\d{1,4}\s*(?:replicas?|pods|instances|copies)\b|\bbump\b.{0,200}\breplicas?\b|\bset\b.{0,200}\breplicas?\b|\breplicas?\s{1,8}(?:of|for)\b.{0,200}\bto\s{1,8}\d/, 'scale'],
  [/\broll(?:\s|-)?back\b|\brevert\b|\brollout undo\b|\bundo (?:the )?(?:last )?(?:rollout|deploy(?:ment)?|release)/, 'rollback'],
  [/\brestart\b|\bbounce\b|\brollout restart\b|\brecycle\b|\bredeploy\b|\breboot\b/, 'restart'],
  [/\buncordon\b|\bmark\b.{0,200}\bschedulable\b/, 'uncordon'],
  [/\bcordon\b|\bmark\b.{0,200}\bunschedulable\b|\bstop scheduling\b.{0,200}\bnode\b/, 'cordon'],
  [/\bdrain\b|\bevict\b.{0,200}\b(?:from|on) (?:the )?node\b/, 'drain'],
];

/** The first action verb the words name, request or not ("bounce x ns=kube-system" → restart). */
export function wordedVerb(question: string): KubernetesVerb | undefined {
  const q = question.toLowerCase();
  return ACTIONS.find(([re]) => re.test(q))?.[1];
}

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
  // The refused operations are read by what they are (guard.ts), in any phrasing.
  if (deletesNamespace(question)) return { intent: 'kubernetes_action', entities: namespaceTarget(question, entities), verb: 'delete' };
  if (readsSecretValue(question)) return { intent: 'kubernetes_action', entities, verb: 'read_secret' };
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

const AWS_NAME = String.raw`([A-Za-z0-9][A-Za-z0-9_.-]{0,79}[A-Za-z0-9])`;
/** Words after "lambda"/"queue"/… that are not its name. */
const NOT_AN_AWS_NAME = /^(?:is|are|was|were|has|have|the|a|an|function|functions|lambda|lambdas|queue|queues|errors?|error|timeouts?|throttles?|throttling|duration|latency|invocations?|slow|failing|fails|failed|healthy|ok|up|down|for|in|on|of|to|with|when|if|and|or|messages?|backlog|depth|age|5xx|4xx|target|targets|group|groups|alb|load|balancer|dlq|returns?|returning|rate|count|unhealthy|hosts?|metric|alarm|alert|that|this|it|logs?|cold|starts?|so|keeps?|since|today|now|still|any|more|over|above|below|under)$/i;

/**
 * Reads the entities with a fixed shape and masks their text: Lambda functions (ARN, `/aws/lambda/x`,
 * `lambda x`, `x lambda`, `function x`), SQS queues (ARN, URL, `queue x`, `x queue`, `x-dlq`), load
 * balancers (ARN, `app/x/id`, `alb x`, `x alb`), target groups (ARN, `targetgroup/x/id`, `target group
 * x`, `x-tg`), log levels, "last N" limits, a quoted message, and alarm thresholds (a percentage stays
 * a percentage, a count stays a count). Returns the question with those spans blanked.
 */
function readShapes(question: string, e: AskEntities): string {
  let text = question;
  const take = (re: RegExp, set: (v: string) => void, accept: (v: string) => boolean = (v) => !NOT_AN_AWS_NAME.test(v)): void => {
    for (const m of text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))) {
      const v = m[1]!.replace(/[.,;:!?]{1,16}$/, '');
      if (!accept(v)) continue;
      set(v);
      text = text.slice(0, m.index) + ' '.repeat(m[0].length) + text.slice(m.index! + m[0].length);
      return;
    }
  };
  take(/arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?/i, (v) => (e.function = v), () => true);
  take(/\/aws\/lambda\/([A-Za-z0-9_-]+)/i, (v) => (e.function ??= v), () => true);
  take(/arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:([A-Za-z0-9_.-]+)/i, (v) => (e.queue = v), () => true);
  take(/https:\/\/sqs\.[a-z0-9.-]+\/\d{12}\/([A-Za-z0-9_.-]+)/i, (v) => (e.queue ??= v), () => true);
  take(/arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/([A-Za-z0-9-]+)\/[0-9a-f]+/i, (v) => (e.targetGroup = v), () => true);
  take(/arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/(?:app|net|gwy)\/([A-Za-z0-9-]+)\/[0-9a-f]+/i, (v) => (e.loadBalancer = v), () => true);
  take(/\btargetgroup\/([A-Za-z0-9-]+)\/[0-9a-f]{6,}/i, (v) => (e.targetGroup ??= v), () => true);
  take(/\b(?:app|net)\/([A-Za-z0-9-]+)\/[0-9a-f]{6,}/i, (v) => (e.loadBalancer ??= v), () => true);
  const quoted = /(?:^|[\s(:=])"([^"]{2,300})"|“([^”]{2,300})”|(?:^|[\s(:=])'([^']{2,300})'(?=[\s?.!,)]|$)|`([^`]{2,300})`/.exec(text);
  if (quoted) {
    e.message = (quoted[1] ?? quoted[2] ?? quoted[3] ?? quoted[4])!;
    text = text.slice(0, quoted.index) + ' '.repeat(quoted[0].length) + text.slice(quoted.index + quoted[0].length);
  }
  // A pasted SQL statement names tables, not workloads.
  text = text.replace(/\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^)\n]{0,300}/g, (x) => ' '.repeat(x.length));
  const K = String.raw`(?<![\w-])`;
  const notName = (v: string) => NOT_AN_AWS_NAME.test(v) || isCommonWord(v) || /^\d+$/.test(v);
  if (!e.function) take(new RegExp(String.raw`(?:^|[\s(])${AWS_NAME}(?:'s)?\s+(?:lambda|function|fn|func)(?![\w-])`, 'i'), (v) => (e.function = v), (v) => !notName(v) && !ENV_NAME.test(v.toLowerCase()));
  if (!e.function) take(new RegExp(String.raw`${K}(?:lambda|function|fn|func)\s+(?:function\s+)?(?:named\s+|called\s+)?${AWS_NAME}`, 'i'), (v) => (e.function = v), (v) => !notName(v));
  if (!e.targetGroup) take(new RegExp(String.raw`${K}(?:target[\s-]?group|tg)\s+(?:named\s+|called\s+)?${AWS_NAME}`, 'i'), (v) => (e.targetGroup = v), (v) => !notName(v));
  if (!e.targetGroup) take(new RegExp(String.raw`(?:^|[\s(])${AWS_NAME}(?:'s)?\s+(?:target[\s-]?group|tg)(?![\w-])`, 'i'), (v) => (e.targetGroup = v), (v) => !notName(v));
  if (!e.targetGroup) take(/(?:^|[\s(])([a-z0-9][a-z0-9-]*-tg)\b/i, (v) => (e.targetGroup = v), () => true);
  if (!e.loadBalancer) take(new RegExp(String.raw`${K}(?:alb|elb|nlb|load[\s-]?balancer)\s+(?:named\s+|called\s+)?${AWS_NAME}`, 'i'), (v) => (e.loadBalancer = v), (v) => !notName(v));
  if (!e.loadBalancer) take(new RegExp(String.raw`(?:^|[\s(])${AWS_NAME}(?:'s)?\s+(?:alb|elb|nlb|load[\s-]?balancer)(?![\w-])`, 'i'), (v) => (e.loadBalancer = v), (v) => !notName(v));
  // A name that says what it is (`checkout-alb`, `api-nlb`, `web-lb`) is a load balancer.
  if (!e.loadBalancer) take(/(?:^|[\s(])([a-z0-9][a-z0-9-]*-(?:alb|elb|nlb|lb))(?=$|[\s?.!,;:)'])/i, (v) => (e.loadBalancer = v), () => true);
  if (!e.queue) take(/(?:^|[\s(])([a-z0-9][a-z0-9_-]*-(?:dlq|queue|q))(?=$|[\s?.!,;:)])/i, (v) => (e.queue = v), () => true);
  if (!e.queue) take(new RegExp(String.raw`${K}(?:sqs\s+queue|queue|sqs|dlq|q)\s+(?:named\s+|called\s+)?${AWS_NAME}`, 'i'), (v) => (e.queue = v), (v) => !notName(v));
  if (!e.queue) take(new RegExp(String.raw`(?:^|[\s(])${AWS_NAME}(?:'s)?\s+(?:sqs\s+)?(?:queue|dlq)(?![\w-])`, 'i'), (v) => (e.queue = v), (v) => !notName(v));
  // A pasted line searched for (first line of a multi-line question, when it reads as an error).
  if (!e.message) {
    const [firstLine, ...rest] = question.split('\n');
    if (rest.join(' ').trim() && /(?:exception|error|timed out|timeout|refused|denied|failed|fatal|panic|not found)/i.test(firstLine!) && firstLine!.trim().length <= 300) e.message = firstLine!.trim();
  }
  // An exception or error class named unquoted ("has cart thrown NullPointerException today?").
  if (!e.message) {
    const cls = /(?:^|[\s(])((?:[a-z]+\.)*[A-Z][A-Za-z0-9]*(?:Exception|Error)|[A-Z][a-z]+[A-Z][A-Za-z]*(?:Exceeded|Denied|Timeout|Failed|NotFound))(?=$|[\s?.!,:;)])/.exec(text);
    if (cls && /\b(?:log(?:ged|s)?|thrown|throw(?:s|ing)?|seen|reported|grep|search|find|any|got|get(?:ting)?|how many|count)\b/i.test(text)) e.message = cls[1]!;
  }


  const lower = text.toLowerCase();
  // Log level: the first level word not negated ("warnings, not errors" is WARN).
  const levels: Array<[RegExp, NonNullable<AskEntities['level']>]> = [
    [/\bwarn[a-z]*\b|\bwran[a-z]*\b/g, 'WARN'], [/\b(?:errors?|errs?|erors?|errros?|exceptions?|stack ?traces?|fatal)\b/g, 'ERROR'], [/\binfo\b/g, 'INFO'], [/\bdebug\b/g, 'DEBUG'],
  ];
  let first = Infinity;
  for (const [re, level] of levels) {
    for (const m of lower.matchAll(re)) {
      if (/\b(?:not|no|without|except|excluding)\s+(?:the\s+)?(?:\w+\s+)?$/.test(lower.slice(Math.max(0, m.index - 20), m.index))) continue;
      if (/^\s*(?:rate|ratio|%|percent|budget)/.test(lower.slice(m.index + m[0].length))) continue;
      if (m.index < first) {
        first = m.index;
        e.level = level;
      }
      break;
    }
  }
  const limit = /\b(?:last|lst|lats|latest|top|first|recent|most recent|newest)\s+(\d{1,5})\b(?!\s*(?:%|percent|minutes?|mins?|m\b|hours?|hrs?|h\b|days?|d\b|seconds?|secs?|s\b|weeks?|ms)\b)/.exec(lower) ?? /--tail[= ](\d{1,5})\b/.exec(lower) ?? /\btail\s+(?:-n\s*|-)?(\d{1,5})\b/.exec(lower) ?? /\b(\d{1,5})\s+(?:most\s+)?(?:recent|latest|last|newest)\s+(?:errors?|lines?|logs?|entries|warnings?|events?|messages?)\b/.exec(lower);
  if (limit) e.limit = Number(limit[1]);
  // Thresholds: a percentage stays a percentage; a count (not a duration) stays a count.
  const percent = /(\d{1,12}(?:\.\d{1,6})?)\s{0,3}(?:%|percent\b|per\s?cent\b|pct\b)/.exec(lower);
  if (percent) e.thresholdPercent = Number(percent[1]);
  const count = /(?:more than|more of|bigger than|higher than|greater than|over|above|exceeds?|exceeding|at least|reaches|hits?|>=?|≥|less than|fewer than|below|under|drops? (?:below|under|to)|<=?|≤)\s*(\d+(?:\.\d+)?(?:\s?k\b)?)(?![\d.])(?!\s*(?:%|percent|per\s?cent|pct|\.\d|minutes?|mins?|m\b|hours?|hrs?|h\b|seconds?|secs?|s\b|ms\b|days?|replicas?))/.exec(lower) ?? /\b(\d+)\s+or more\s+(?:errors?|5xx|4xx|messages?|throttles?|failures?|timeouts?|times|restarts?)\b/.exec(lower);
  // "1k errors" is a thousand.
  if (count && /\b(?:alarm|alert|notify|page|paging|threshold|metric filter|monitor|when|if|whenever|trigger)\b/.test(lower)) e.thresholdCount = /k$/.test(count[1]!) ? Number(count[1]!.replace(/\s?k$/, '')) * 1000 : Number(count[1]);
  return text;
}


/** Words the guard rails must see through one typo ("dlete namespace shop", "show the scret x"). */
const GUARD_WORDS = ['delete', 'remove', 'destroy', 'secret', 'secrets', 'password', 'decode', 'namespace', 'kube-system'];
/**
 * Words the entity and action rules anchor on (a name stands after "deployment", a count after
 * "last", a threshold in an alarm): read through one typo too ("scael api to 2", "lsat 5 errs",
 * "alram for …", "lamda etl_loader", "restrat x in kube-system").
 */
const ANCHOR_WORDS = ['restart', 'rollback', 'scale', 'drain', 'cordon', 'uncordon', 'redeploy', 'replicas', 'last', 'alarm', 'alert', 'lambda', 'function', 'deployment', 'statefulset', 'daemonset', 'cronjob', 'service', 'cluster', 'queue', 'errors', 'warnings'];
const SPELT_WORDS = [...GUARD_WORDS, ...ANCHOR_WORDS];

/**
 * The question with one-typo forms of guard and anchor words spelt right, so the refusal and entity
 * rules see them. Only plain words that are no common word are changed; a typo one letter longer
 * than the word is read only for words of 6+ letters, and 4-letter words only through a swap
 * ("lsat"), so short names stay names.
 */
export function spellGuardWords(question: string): string {
  return question.replace(/(?<![\w/.-])[A-Za-z][A-Za-z-]{3,}(?![\w/.-])/g, (w) => {
    const lower = w.toLowerCase();
    if (SPELT_WORDS.includes(lower) || NOT_A_NAME.has(lower)) return w;
    // The corpus's common words hold typos of anchors ("alram") but also real words one edit away
    // from a guard word: guard words are only read through words that are no common word.
    const words = COMMON_WORDS.has(lower) ? ANCHOR_WORDS : SPELT_WORDS;
    const fix = words.find((g) => {
      // An inflection ("restarts", "scaled", "error" for "errors") is no typo; "delet" is.
      if ((lower.startsWith(g) && /^(?:s|es|d|ed|ing|er|ers)$/.test(lower.slice(g.length))) || (g.startsWith(lower) && /^(?:s|es)$/.test(g.slice(lower.length)))) return false;
      if (g.length <= 4) return lower.length === g.length && [...lower].sort().join('') === [...g].sort().join('') && withinOneEdit(lower, g);
      return (lower.length === g.length || lower.length === g.length - 1 || (lower.length === g.length + 1 && g.length >= 6)) && withinOneEdit(lower, g);
    });
    return fix ?? w;
  });
}

/** Levenshtein distance ≤ 1 (one insertion, deletion, substitution or transposition). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Function words whose short typos ("wich", "whta", "tehm") are never names. */
const FUNCTION_WORDS = ['which', 'what', 'when', 'where', 'with', 'this', 'that', 'these', 'those', 'there', 'their', 'they', 'them', 'then', 'than', 'have', 'does', 'from', 'were', 'your', 'about', 'after', 'again', 'could', 'would', 'should', 'since', 'until', 'while', 'please'];
const COMMON_BY_LENGTH = new Map<number, string[]>();
for (const w of COMMON_WORDS) {
  if (w.length < 5) continue;
  const list = COMMON_BY_LENGTH.get(w.length) ?? [];
  list.push(w);
  COMMON_BY_LENGTH.set(w.length, list);
}

/** A word of the templates (never a name), or a one-edit typo of a longer one ("restartng", "helthy"). */
export function isCommonWord(word: string): boolean {
  const w = word.toLowerCase();
  if (COMMON_WORDS.has(w) || NOT_A_NAME.has(w)) return true;
  if (w.length === 4 && /^[a-z]+$/.test(w) && FUNCTION_WORDS.some((f) => withinOneEdit(w, f))) return true; // "wich", "whta", "thsi"
  if (w.length < 5 || /[^a-z]/.test(w)) return false;
  for (const len of [w.length - 1, w.length, w.length + 1]) for (const c of COMMON_BY_LENGTH.get(len) ?? []) if (withinOneEdit(w, c)) return true;
  return false;
}

/**
 * For a question that is about something (diagnose, logs, health, latency, changes, history, an
 * action) but names nothing where the rules look: the first plausible name of the question — no
 * common word or typo of one, number, error code, environment or entity already read; hyphenated
 * names first ("tax-calc crashloop", "hows cart doing"). Fills `entities.workload` in place.
 */
export function guessSubject(question: string, entities: AskEntities): AskEntities {
  if (entities.workload || entities.function || entities.queue || entities.loadBalancer || entities.targetGroup || entities.node) return entities;
  const own = engineerPart(question);
  const guess = (own !== undefined ? guessName(readShapes(own.replace(/[\u2018\u2019]/g, "'"), {}), entities) : undefined) ?? guessName(readShapes(question.replace(/[\u2018\u2019]/g, "'"), {}), entities);
  if (guess) entities.workload = { name: guess };
  return entities;
}

/** A hyphenated word made of common words only ("back-off", "up-to-date", "crash-looping"): no name. */
function commonCompound(w: string): boolean {
  return w.includes('-') && w.split('-').every((p) => (isCommonWord(p) && !NAME_PARTS.has(p) && !ROLE_NOUNS.has(p)) || /^\d+$/.test(p));
}

/** Parts that make a hyphenated word a name even when its other parts are common words ("ship-svc", "search-api"). */
const NAME_PARTS = new Set(['svc', 'api', 'gw', 'service', 'worker', 'proxy', 'app', 'web', 'db', 'job', 'fn', 'server', 'backend', 'frontend', 'engine', 'consumer', 'producer', 'sync', 'v1', 'v2', 'v3']);

/** Words after which a plain word stands where a name does. */
const NAME_BEFORE = new Set(`of for in on with to from about at by regarding concerning wrt re that's thats it's did does do is are was were has have had why whats what's hows how's
check restart scale rollback revert bounce diagnose debug fix investigate inspect examine logs errors warnings status health latency
scaled restarted deployed changed touched rolled bounced killed deleted updated modified shows showing
the my our your their`.split(/\s+/));
/** Words after a name: states, kinds, log and metric words ("cart slow", "cart pods", "cart errors", "cart is …"). */
const NAME_AFTER = /^(?:is|are|was|were|has|had|keeps?|kept|seems?|looks?|went|goes|got|gets|getting|not|isn't|doesn't|won't|can't|cannot|failing|fails?|failed|down|up|ok|okay|fine|healthy|unhealthy|slow|slowly|crash\w*|restart\w*|oom\w*|erroring|errors?|errs?|exceptions?|warnings?|warns?|logs?|latency|p\d\d|5xx|4xx|\d{3}s?|status|health|timeouts?|timing|throttl\w*|broken|dead|dying|pending|stuck|responses?|requests?|calls?|deploy\w*|rollouts?|alarm\w*|again|still|now|please|pls|already|asap|too|also|in|on|at|since|for|from|today|yesterday|tonight|last|this|right|before|after|during)$/;

/** Words after which a following common word does not make a plain word a name ("how many oomkills did …", "help me understand …"). */
const NAME_BEFORE_NOT = new Set(['many', 'much', 'me', 'us', 'you', 'i', 'we', 'some', 'any', 'no', 'more', 'less', 'few']);

/** The first plausible name of a question (hyphenated names first); undefined when none is plausible. */
function guessName(input: string, e: AskEntities): string | undefined {
  const taken = new Set([e.namespace, e.cluster, e.node].filter(Boolean));
  const text = input.replace(/(?<=[a-z0-9])'s\b/gi, '   ');
  const candidates: Array<{ name: string; evidence: number }> = [];
  for (const m of text.matchAll(/(?:^|[\s(,'"])(-{1,2}[a-z][a-z-]*[= ]\S+|[A-Za-z][A-Za-z0-9._-]*[A-Za-z0-9])(?=$|[\s?!.,:;)'"])/g)) {
    const raw = m[1]!;
    if (raw.startsWith('-')) continue;
    const lead = text.slice(Math.max(0, m.index - 12), m.index + (m[0].length - raw.length)).toLowerCase();
    if (/(?:-n|--namespace|\bns|\bnamespace|\bcluster|--context)\s*[= ]?\s*$/.test(lead)) continue;
    if (/[a-z][A-Z]/.test(raw) || /^[A-Z0-9_]+$/.test(raw) && raw.length > 1) continue; // CamelCase error codes, SHOUTED words
    const w = raw.toLowerCase().replace(/[.]{1,16}$/, '');
    if (taken.has(w) || ENV_NAME.test(w) || KIND_WORDS[w] || isCommonWord(w) || /^\d/.test(w) || /^(?:ip|i)-[0-9a-f-]+/.test(w) || /\.(?:com|io|net|internal|local|org)$/.test(w)) continue;
    if (commonCompound(w)) continue; // "crash-looping", "non-replication"
    // A plain word is a name only where names stand: first, after a preposition, verb or auxiliary
    // ("errors of cart", "did cart", "hows cart"), or before a state or kind word ("cart slow", "cart pods").
    const prev = /([a-z']+)\W*$/.exec(text.slice(0, m.index + (m[0].length - raw.length)).toLowerCase())?.[1];
    const next = /^\W*([a-z0-9']+)/.exec(text.slice(m.index + m[0].length).toLowerCase())?.[1];
    const before = prev !== undefined && NAME_BEFORE.has(prev);
    const after = next !== undefined && (NAME_AFTER.test(next) || KIND_WORDS[next] !== undefined) && !NAME_BEFORE_NOT.has(prev ?? '');
    if (!(w.includes('-') || !prev || before || after)) continue;
    // Evidence of a name: its shape (dashes, digits), then a word of position before or after it; a
    // first word with neither is likelier a verb ("search mailer logs", "grep cart").
    const evidence = (/[-\d]/.test(w) ? 2 : 0) + (before || after ? 1 : 0);
    candidates.push({ name: w.replace(/-(?=[a-z0-9]*\d)[a-z0-9]{4,10}(?:-[a-z0-9]{5})?$/, ''), evidence });
  }
  const best = Math.max(...candidates.map((c) => c.evidence));
  return candidates.find((c) => c.evidence === best)?.name;
}
