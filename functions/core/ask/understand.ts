/**
 * Reads a question with the intent model when one is given ({@link IntentClassifier}), the rules of
 * `intent.ts` otherwise. The model decides the intent (and an action's verb) and survives typos,
 * abbreviations and unusual phrasing; rules keep what rules do best:
 * - guard rails (guard.ts): deleting a namespace, reading a Secret's value, acting in `kube-system`
 *   and shell syntax in an action are recognised by what they are, in any phrasing, and refused
 *   whatever the model says (a refusal never depends on a probability); a verb the model reads
 *   needs the words of one;
 * - entity shapes and name positions (`extractEntities`): a name is never read from a verb or filler;
 * - asking back: an action without its object, a low-confidence reading (the two likeliest are
 *   offered), two requests in one message (the first is answered, the second asked back).
 * Known names (from the store or evidence) are preferred over an unknown near-miss ("chekout" →
 * "checkout"), and the answer says so.
 */
import { extractEntities, guessSubject, isCommonWord, parseQuestion, spellGuardWords, type AskContext, type AskEntities, type AskIntent, type KubernetesVerb, type ParsedQuestion } from './intent.js';
import type { IntentClassifier, IntentReading } from './ports.js';
import { actsInKubeSystem, deletesNamespace, listsSecretNames, readsSecretValue, requestsAction, shellInAction } from './guard.js';
import { namespaceTarget, wordedVerb } from './intent.js';

/** Intents about something: a question of these kinds names a subject where one can be read. */
const SUBJECT_INTENTS: ReadonlySet<AskIntent> = new Set(['diagnose', 'search_errors', 'changes', 'history', 'health', 'latency', 'kubernetes_action', 'infrastructure_as_code']);

/** Below this probability of the best intent, the question is asked back with the two likeliest readings. */
export const MIN_INTENT_CONFIDENCE = 0.5;
/** Each part of a two-request message must be read at least this confidently to count as a request. */
const MIN_PART_CONFIDENCE = 0.6;

export interface UnderstandOptions {
  /** The intent model; without it the rule parser reads the question (`--no-model`, or the model failed to load). */
  readonly classifier?: IntentClassifier;
  /** Workload names the store or the evidence knows; a near-miss in the question is read as one of them. */
  readonly knownNames?: readonly string[];
  readonly context?: AskContext;
}

/** What the question was read as, with what the reader wants to tell or ask the engineer. */
export interface UnderstoodQuestion extends ParsedQuestion {
  /** Set when the assistant must ask back (a missing name, a second request, a doubtful reading). */
  readonly askBack?: string;
  /** Sentences the answer starts with (e.g. a name read as a known one). */
  readonly notes?: readonly string[];
  /** How the intent was read. */
  readonly reader: 'model' | 'rules';
  /** The model's two likeliest readings, when the model read it. */
  readonly readings?: readonly IntentReading[];
}

const INTENT_WORDS: Record<AskIntent, string> = {
  diagnose: 'find the root cause of a failure', search_errors: 'search the logs and events', changes: 'list what changed',
  history: 'look for earlier incidents', knowledge: 'explain from the runbooks', kubernetes_action: 'plan a Kubernetes action',
  infrastructure_as_code: 'write an alarm or rule as CDK', health: 'check whether it is healthy now', latency: 'find what makes it slow', clarify: 'ask back',
};

/** Sums the readings per intent (the model splits actions by verb); best first. */
export function readingsByIntent(readings: readonly IntentReading[]): IntentReading[] {
  const by = new Map<AskIntent, IntentReading>();
  for (const r of readings) {
    const had = by.get(r.intent);
    by.set(r.intent, had ? { intent: r.intent, verb: had.verb, score: had.score + r.score } : r);
  }
  return [...by.values()].sort((a, b) => b.score - a.score);
}

/** What an error line looks like: an error word, a CamelCase reason, an errno, a `Reason:` field. */
const ERROR_SHAPE = /\b(?:error|exception|failed|failure|fatal|panic|refused|denied|forbidden|timed? ?out|exceeded|not found|no such|unable|cannot|can't|invalid|back-?off|unknown)\b|\b[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+\b|\bE[A-Z]{4,}\b|\b(?:Reason|Status|State):\s/;
/** Words that ask for a cause or name a failure of something: a diagnosis, not a definition. */
const CAUSE_CUE = /\b(?:why|cause[sd]?|root|wrong|broken|broke|diagnos\w*|rca|culprit|responsible|because)\b/i;

/** An error code or class typed alone ("ENOSPC??", "OOMKilled", "CrashLoopBackOff"): a knowledge question. */
const LONE_ERROR_CODE = /^(?:E[A-Z]{3,}|[A-Z][A-Z0-9_]{3,}|[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+)[?!.]{0,16}$/;

/** An action verb in any form ("cordoning", "can be uncordoned now", "roll it back", "rolled back"). */
const ACTION_WORD = /\b(?:restart(?:s|ed|ing)?|scal(?:e|es|ed|ing)|roll(?:s|ed|ing)?\s+(?:(?:it|them|this|that|\S+)\s+){0,2}back|rollback|revert(?:s|ed|ing)?|undo|cordon(?:s|ed|ing)?|uncordon(?:s|ed|ing)?|drain(?:s|ed|ing)?|delet(?:e|es|ed|ing)|remov(?:e|es|ed|ing)|kill(?:s|ed|ing)?|reboot(?:s|ed|ing)?|bounc(?:e|es|ed|ing)|redeploy(?:s|ed|ing)?|recycl(?:e|es|ed|ing)|evict(?:s|ed|ing)?|replicas?)\b/i;

/** A question about state, the past or how something works, not a request to act. */
function asksAbout(text: string): boolean {
  return /^\s*(?:(?:hey|hi|ok|so|btw)[\s,:]+)?(?:why|whya|who|when|where|how\s+(?:do|does|did|can|to|come|long|often|many)|what\s+(?:does|do|did|is|are|was|were|happens|happened)|was|were|did|has|have|had|is|are)\b/i.test(text) && !/^\s*(?:(?:can|could|would|will)\s+(?:you|u)|pls|please)\b/i.test(text);
}

/** Words a second request starts with. */
const REQUEST_START = String.raw`(?:(?:can|could|would)\s+(?:you|u)\s+(?:pls\s+|please\s+)?|pls\s+|please\s+|then\s+|also\s+|tell\s+me\s+|and\s+)?(?:show|list|check|restart|scale|roll|rollback|revert|undo|drain|cordon|uncordon|delete|create|alert|add|make|give|get|find|grep|search|is|are|has|have|was|were|did|does|do|what|what's|whats|why|how|who|when|which|any|set|setup|put|page|notify|email|write)\b`;
/** Words a second request to do something starts with. */
const ACTION_START = String.raw`(?:(?:can|could|would)\s+(?:you|u)\s+|pls\s+|please\s+|then\s+|also\s+|and\s+)?(?:show|list|restart|scale|roll|rollback|revert|undo|drain|cordon|uncordon|delete|create|alert|add|make|give|get|grep|search|set\s+up|write|tell\s+me)\b`;
/** Where a message holds a second request: "X and also Y", "X. then Y", "X + Y", "X, and can you Y". */
const SECOND_REQUEST = new RegExp([
  String.raw`\s+(?:and\s+)?also[,:]?\s+`,
  String.raw`\s*[.;!?]\s+(?:and\s+)?(?:also|then)[,:]?\s+`,
  String.raw`,?\s+(?:and\s+)?then\s+(?=${REQUEST_START})`,
  // "x + a metric filter for them", "why is x 503ing & scale it to 6": a plus or ampersand joins two requests.
  String.raw`\s+[+&]\s+(?:also\s+)?`,
  // "is tg x healthy? if not drain node y": a conditional second request.
  String.raw`[?.!,]\s*(?:and\s+)?(?:if\s+(?:not|so|yes|no|it\s+is(?:n't)?|they\s+are(?:n't)?)|otherwise|else)[,:]?\s+`,
  // After a full stop or question mark only a request to do something starts a second request; "…? is that why it errors" / "…? why so slow" continue the first.
  String.raw`[.?!]\s+(?=${ACTION_START})`,
  String.raw`,?\s+and\s+(?=${REQUEST_START})`,
].join('|'), 'gi');

/** Splits a message at its first plausible request boundary; undefined when there is none. */
function splitTwo(q: string): [string, string] | undefined {
  for (const m of q.matchAll(SECOND_REQUEST)) {
    const first = q.slice(0, m.index).trim();
    const second = q.slice(m.index! + m[0].length).trim();
    if (first.split(/\s+/).length >= 2 && second.split(/\s+/).length >= 2) return [first, second];
  }
  return undefined;
}

/** Levenshtein distance, capped (returns cap+1 beyond it). */
function distance(a: string, b: string, cap = 2): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      // transposition
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j]!, (prev[j - 2] ?? 0) + 1);
      rowMin = Math.min(rowMin, cur[j]!);
    }
    if (rowMin > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The known name `name` most likely stands for: itself, or a unique near-miss (edit distance ≤ 1, ≤ 2 for long names). */
export function nearestKnownName(name: string, known: readonly string[]): string | undefined {
  if (known.includes(name)) return name;
  if (name.length < 4) return undefined;
  const cap = name.length >= 8 ? 2 : 1;
  const close = [...new Set(known)].filter((k) => distance(name, k, cap) <= cap);
  return close.length === 1 ? close[0] : undefined;
}

/** Prefers known names: a near-miss workload becomes the known one; a missing workload is taken from a known name the question contains. */
function preferKnown(question: string, entities: AskEntities, known: readonly string[], intent: AskIntent): string[] {
  const notes: string[] = [];
  if (known.length === 0) return notes;
  const name = entities.workload?.name;
  if (name) {
    const near = nearestKnownName(name, known);
    if (near && near !== name) {
      notes.push(`I read "${name}" as ${near}, the workload the evidence and earlier diagnoses know.`);
      entities.workload = { ...entities.workload!, name: near };
      if (entities.service === name) entities.service = near;
    }
    return notes;
  }
  if (intent === 'knowledge' || intent === 'infrastructure_as_code' || intent === 'clarify') return notes;
  const words = question.toLowerCase().match(/[a-z0-9][a-z0-9.-]*[a-z0-9]/g) ?? [];
  const hits = [...new Set(words.filter((w) => w !== entities.namespace && w !== entities.cluster).map((w) => (w.length >= 5 ? nearestKnownName(w, known) : known.includes(w) ? w : undefined)).filter((x): x is string => !!x))];
  if (hits.length === 1) {
    const word = words.find((w) => nearestKnownName(w, known) === hits[0])!;
    entities.workload = { name: hits[0]! };
    if (word !== hits[0]) notes.push(`I read "${word}" as ${hits[0]}, the workload the evidence and earlier diagnoses know.`);
  }
  return notes;
}

const IMPERATIVE_START = /^(?:(?:please|pls|plz|hey|ok|now|can you|could you|would you|i need|i want|give me|show me)\b[\s,]*)*(?:kubectl\s+|k\s+)?(?:delete|remove|destroy|wipe|nuke|purge|drop|kill|get|show|print|dump|decode|reveal|read|cat|display|export|copy|base64|tell|give)\b/i;
const DELETE_WORDS = /\b(?:delete|deleting|remove|removing|destroy|destroying|wipe|wiping|nuke|nuking|purge|purging|drop|dropping|kill|killing|rm|get rid|tear(?:ing)? down|teardown)\b/i;

/** "delete the stuck pod of billing-worker": a pod of that workload, the one kind that may be deleted. */
function podOf(verb: KubernetesVerb | undefined, entities: AskEntities, text: string): AskEntities {
  if (verb === 'delete' && entities.workload && !entities.workload.kind && /\b(?:pods?|po)\b/i.test(text)) entities.workload = { ...entities.workload, kind: 'Pod' };
  return entities;
}

/** What an action needs before it can be planned; the ask-back text when something is missing. */
function missingForAction(verb: KubernetesVerb, entities: AskEntities): string | undefined {
  if (['cordon', 'uncordon', 'drain'].includes(verb) && !entities.node) return `Which node should I ${verb}? Name it, e.g. "${verb} node ip-10-0-1-23.ec2.internal".`;
  if (['scale', 'restart', 'rollback'].includes(verb) && !entities.workload) return `Which workload should I ${verb}? Name it, e.g. "${verb} deployment checkout in namespace shop${verb === 'scale' ? ' to 3 replicas' : ''}".`;
  // Deleting needs the one Pod to delete ("delete the stuck pod"): asked back, never guessed.
  if (verb === 'delete' && !entities.workload) return 'Which pod should I delete? Name it, e.g. "delete pod checkout-7d9f8b6c5-x2mqp in namespace shop"; its controller creates a new one.';
  if (verb === 'scale' && entities.replicas === undefined) return `How many replicas should ${entities.workload!.name} have? Say e.g. "scale ${entities.workload!.name} to 3 replicas".`;
  return undefined;
}

/** A deletion the rules see in the question (of a Pod, or of anything the guard refuses). */
function refusedVerb(rules: ParsedQuestion): KubernetesVerb | undefined {
  return rules.verb === 'delete' ? 'delete' : undefined;
}

/**
 * Reads a question: intent, entities, the verb of an action, and what to ask back.
 * @param question the engineer's words only — never evidence text.
 * @example
 *   await understandQuestion('restrat chekout -n shop', now, { classifier, knownNames: ['checkout'] })
 *   // → { intent: 'kubernetes_action', verb: 'restart', entities: { workload: { name: 'checkout' }, namespace: 'shop' }, notes: ['I read "chekout" as checkout, …'] }
 */
export async function understandQuestion(question: string, now: Date, options: UnderstandOptions = {}): Promise<UnderstoodQuestion> {
  // The rules read the question with one-typo guard words spelt right, so "dlete namespace x" is still refused.
  const rules = parseQuestion(spellGuardWords(question), now, options.context);
  const known = options.knownNames ?? [];
  if (!options.classifier) {
    const entities = { ...rules.entities };
    if (SUBJECT_INTENTS.has(rules.intent)) guessSubject(question, entities);
    const notes = preferKnown(question, entities, known, rules.intent);
    return { ...rules, entities, reader: 'rules', ...(rules.intent === 'clarify' && rules.clarification ? { askBack: rules.clarification } : {}), ...(notes.length ? { notes } : {}) };
  }
  const classify = async (text: string) => readingsByIntent(await options.classifier!.classify(text));
  const verbOf = async (text: string) => (await options.classifier!.classify(text)).find((r) => r.intent === 'kubernetes_action')?.verb;

  // Two requests in one: each part read on its own, both confidently and differently.
  let text = question;
  let second: { text: string; reading: IntentReading } | undefined;
  const parts = splitTwo(question.trim());
  if (parts) {
    const [a, b] = await Promise.all(parts.map(classify));
    const ra = a![0]!;
    const rb = b![0]!;
    const differ = ra.intent !== rb.intent || (ra.intent === 'kubernetes_action' && (await verbOf(parts[0])) !== (await verbOf(parts[1])));
    const bothVerbsDrain = ra.intent === 'kubernetes_action' && /\bcordon\b/i.test(parts[0]) && /\bdrain\b/i.test(parts[1]);
    if (differ && !bothVerbsDrain && ra.intent !== 'clarify' && rb.intent !== 'clarify' && ra.score >= MIN_PART_CONFIDENCE && rb.score >= MIN_PART_CONFIDENCE) {
      text = parts[0];
      second = { text: parts[1], reading: rb };
    }
  }
  const partRules = text === question ? rules : parseQuestion(spellGuardWords(text), now, options.context);
  const readings = await classify(text);
  const best = readings[0]!;
  const entities: AskEntities = extractEntities(text, now, options.context);
  // The refused operations are read by rules, by what they are (guard.ts): a refusal never
  // depends on a probability. Quoted text is a message, not a request.
  const spelt = spellGuardWords(question);
  if (deletesNamespace(spelt)) return { intent: 'kubernetes_action', verb: 'delete', entities: namespaceTarget(spelt, { ...rules.entities }), reader: 'model', readings: readings.slice(0, 2) };
  if (readsSecretValue(spelt)) return { intent: 'kubernetes_action', verb: 'read_secret', entities: { ...rules.entities }, reader: 'model', readings: readings.slice(0, 2) };
  // Listing Secrets by name reads no value: the Secret verb, answered with names only, never refused.
  if (listsSecretNames(spelt)) return { intent: 'kubernetes_action', verb: 'read_secret', entities: { ...rules.entities }, reader: 'model', readings: readings.slice(0, 2) };
  const masked = spelt.replace(/"[^"\n]*"|“[^”\n]*”/g, '""');
  const refused = refusedVerb(parseQuestion(masked, now, options.context));

  // Guard rails first: a refused verb the rules see is kept, so it is refused, unless the model is
  // sure the message is no request at all (a pasted `secret "x" not found` with "why").
  const actionScore = readings.find((r) => r.intent === 'kubernetes_action')?.score ?? 0;
  if (refused && (best.intent === 'kubernetes_action' || actionScore >= 0.15 || IMPERATIVE_START.test(question.trim()))) {
    const e = podOf(refused, guessSubject(question, { ...rules.entities }), question);
    const missing = missingForAction(refused, e);
    return { intent: 'kubernetes_action', verb: refused, entities: e, reader: 'model', readings: readings.slice(0, 2), ...(missing ? { clarification: missing, askBack: missing } : {}) };
  }
  let intent: AskIntent = best.intent;
  let verb: KubernetesVerb | undefined;
  // An action needs the words of one: an action verb (or a kubectl command, `--replicas`, "x should
  // be restarted") in a request, not in a question about state or how something works ("what does
  // kubectl rollout undo do", "why are the api pods restarting", "payments 5xx again").
  if (intent === 'kubernetes_action') {
    const words = spellGuardWords(text);
    const worded = ((wordedVerb(words) !== undefined || ACTION_WORD.test(words)) && !asksAbout(words)) || requestsAction(words);
    if (!worded) {
      const other = readings.find((r) => r.intent !== 'kubernetes_action');
      intent = other ? other.intent : 'clarify';
    }
  }
  if (intent === 'kubernetes_action') {
    const verbs = (await options.classifier.classify(text)).filter((r) => r.intent === 'kubernetes_action' && r.verb);
    // A refused verb needs the words of one: a deletion verb; a Secret's value is read only where
    // the guard rules see one asked for (above). A typo never makes a refusal.
    const partSpelt = spellGuardWords(text);
    const supported = (r: IntentReading) => (r.verb === 'read_secret' ? false : r.verb === 'delete' ? DELETE_WORDS.test(partSpelt) : true);
    if (verbs[0] && !supported(verbs[0])) {
      // The model reads a refused verb the words do not ask for ("who deleted pod x", "what is a
      // Secret"): the verb the words name when they request an action, else the likeliest reading
      // that is no action.
      const worded = requestsAction(partSpelt) ? partRules.verb ?? wordedVerb(partSpelt) : undefined;
      if (worded && worded !== 'read_secret' && (worded !== 'delete' || DELETE_WORDS.test(partSpelt))) verb = worded;
      else {
        const other = readings.find((r) => r.intent !== 'kubernetes_action');
        intent = other ? other.intent : 'clarify';
      }
    } else verb = verbs[0]?.verb ?? partRules.verb;
  }
  // Acting in kube-system, or shell syntax in an action: refused whatever else the message says,
  // so it is read as the action it requests (the answer layer refuses it).
  if (actsInKubeSystem(spelt, intent === 'kubernetes_action') || shellInAction(question, intent === 'kubernetes_action')) {
    const actionVerb = verb ?? partRules.verb ?? wordedVerb(spellGuardWords(text)) ?? readings.find((r) => r.intent === 'kubernetes_action')?.verb;
    if (actionVerb) {
      const e = { ...entities };
      if (!e.namespace && /kube[-_ ]?sys/i.test(spelt)) e.namespace = 'kube-system';
      guessSubject(text, e);
      return { intent: 'kubernetes_action', verb: actionVerb, entities: podOf(actionVerb, e, text), reader: 'model', readings: readings.slice(0, 2) };
    }
  }
  // "can you look at invoicing, it seems broken": a message that names something is no bare "it's broken".
  if (intent === 'clarify' && text.trim().split(/\s+/).length >= 3 && guessSubject(text, { ...entities }).workload) {
    const other = readings.find((r) => r.intent !== 'clarify');
    if (other && other.score >= 0.05) intent = other.intent;
  }
  // A lone name or word is not a request ("checkout", "orders-api"): asked back, unless it reads as
  // an error code or a state the runbooks explain ("ENOSPC", "oomkilled", "crashloopbackoff").
  const lone = text.trim().replace(/[?!.]{1,16}$/, '');
  if (/^[a-z0-9][a-z0-9._-]{0,252}$/.test(lone) && intent !== 'clarify' && !(intent === 'knowledge' && isCommonWord(lone))) {
    return { intent: 'clarify', entities, reader: 'model', readings: readings.slice(0, 2), clarification: `What do you need about ${text.trim().replace(/[?!.]{1,16}$/, '')}? E.g. "is ${text.trim().replace(/[?!.]{1,16}$/, '')} healthy?", "why is it failing?", "last 20 errors of it".`, askBack: 'a lone name' };
  }
  // A model reading of a refused verb is guarded too (the guard refuses it).
  // A pasted error line alone, about nothing named and asking for no cause, is a question about what
  // the error means: answered from the runbooks, not diagnosed ("Back-off restarting failed container",
  // "pods is forbidden: User … cannot list resource").
  if (intent === 'diagnose' && ERROR_SHAPE.test(text) && !CAUSE_CUE.test(text) && !entities.workload && !entities.function && !entities.service && !entities.node && !entities.queue && !entities.loadBalancer && !entities.targetGroup && readings.slice(0, 3).some((r) => r.intent === 'knowledge')) intent = 'knowledge';
  // When the model is unsure or reads nothing actionable, a reading the rules make with confidence
  // (a how-to form, an error search, a change question …) decides between its likeliest readings.
  if ((best.score < MIN_INTENT_CONFIDENCE || intent === 'clarify') && partRules.intent !== 'clarify' && partRules.intent !== 'kubernetes_action' && readings.slice(0, 3).some((r) => r.intent === partRules.intent)) {
    intent = partRules.intent;
  } else if (intent === 'clarify' && LONE_ERROR_CODE.test(text.trim())) intent = 'knowledge';
  else if (best.score < MIN_INTENT_CONFIDENCE && intent !== 'clarify' && verb !== 'read_secret' && verb !== 'delete') {
    const [r1, r2] = readings.filter((r) => r.intent !== 'clarify');
    // Asked back, but what it names is read: the two readings are offered about it.
    if (SUBJECT_INTENTS.has(r1!.intent) || SUBJECT_INTENTS.has(r2!.intent)) guessSubject(text, entities);
    return {
      intent: 'clarify', entities, reader: 'model', readings: readings.slice(0, 2),
      clarification: `I am not sure what you need: should I ${INTENT_WORDS[r1!.intent]} or ${INTENT_WORDS[r2!.intent]}? Say it in a few more words, e.g. "${example(r1!.intent, entities)}" or "${example(r2!.intent, entities)}".`,
      askBack: 'two readings',
    };
  }
  if (intent === 'clarify') {
    if (text.trim().split(/\s+/).length >= 2) guessSubject(text, entities);
    return { intent, entities, reader: 'model', readings: readings.slice(0, 2), clarification: rules.clarification ?? CLARIFY, askBack: 'nothing actionable' };
  }
  if (SUBJECT_INTENTS.has(intent) && !(intent === 'kubernetes_action' && ['cordon', 'uncordon', 'drain', 'read_secret'].includes(verb ?? ''))) guessSubject(text, entities);
  const notes = preferKnown(text, entities, known, intent);
  const base = { entities, reader: 'model' as const, readings: readings.slice(0, 2), ...(notes.length ? { notes } : {}) };
  const askSecond = second ? `You also asked "${second.text}": I answer one request at a time; ask it again on its own and I will ${INTENT_WORDS[second.reading.intent]}.` : undefined;
  if (intent === 'kubernetes_action' && verb && !entities.workload && ['scale', 'restart', 'rollback'].includes(verb)) {
    // A misspelt verb hides the name position from the rules ("restrat chekout -n shop"): the word
    // right after the first one is the object, when it can be a name.
    const object = actionObject(text);
    if (object) entities.workload = { name: nearestKnownName(object, known) ?? object };
  }
  // "delete the stuck pod of billing-worker": a pod of that workload, the one kind that may be deleted.
  podOf(verb, entities, text);
  if (intent === 'kubernetes_action' && verb && !entities.node && ['cordon', 'uncordon', 'drain'].includes(verb)) {
    // "uncordon worker-12": the object of a node verb is a node.
    const object = /^\s*(?:(?:pls|please|plz|now|ok)\s+)?[a-z]+\s+(?:the\s+)?(?:node\s+)?([a-z0-9][a-z0-9.-]{1,251}[a-z0-9])\b/i.exec(text)?.[1]?.toLowerCase();
    if (object && !isCommonWord(object) && object !== entities.namespace && object !== entities.cluster) {
      entities.node = object;
      if (entities.workload?.name === object) delete entities.workload;
    }
  }
  if (intent === 'kubernetes_action' && verb) {
    const missing = missingForAction(verb, entities);
    if (missing && verb !== 'read_secret') return { intent, verb, ...base, clarification: missing, askBack: missing };
    return { intent, verb, ...base, ...(askSecond ? { askBack: askSecond } : {}) };
  }
  if (intent === 'kubernetes_action') intent = 'clarify';
  return { intent, ...base, ...(askSecond ? { askBack: askSecond } : {}) };
}

/** The word after a (possibly misspelt) leading verb, when it can be a workload name. */
function actionObject(text: string): string | undefined {
  const m = /^\s*(?:(?:pls|please|plz|kindly|now|ok)\s+)?[a-z]+\s+(?:(?:the|deploy(?:ment)?|sts|statefulset)[\s/]+)?([a-z0-9][a-z0-9-]{1,62}[a-z0-9])\b(?![/-])/i.exec(text);
  const name = m?.[1]?.toLowerCase();
  if (!name) return undefined;
  const probe = extractEntities(`restart ${name}`, new Date(0));
  return probe.workload?.name === name ? name : undefined;
}

const CLARIFY = 'I could not tell what you need. Ask about a workload ("what is wrong with checkout in shop?"), its logs ("last 20 errors of payments"), whether it is healthy or slow, a procedure ("how do I debug a pending PVC?"), an action ("scale checkout to 5 replicas") or an alarm to create.';

function example(intent: AskIntent, e: AskEntities): string {
  const w = e.workload?.name ?? e.function ?? e.service ?? 'checkout';
  switch (intent) {
    case 'diagnose': return `what is wrong with ${w}?`;
    case 'search_errors': return `last 20 errors of ${w}`;
    case 'changes': return `what changed in ${w} today?`;
    case 'history': return `has ${w} failed like this before?`;
    case 'knowledge': return 'how do I debug a pending PVC?';
    case 'kubernetes_action': return `restart deployment ${w} in namespace shop`;
    case 'infrastructure_as_code': return `alert me when ${w} errors exceed 1% for 5 minutes`;
    case 'health': return `is ${w} healthy now?`;
    case 'latency': return `why is ${w} slow?`;
    default: return 'help';
  }
}

/**
 * Workload names from resource names as the store and evidence hold them (`shop/checkout-7d9f8b6c5-x2mqp`,
 * `deployment/checkout`, `checkout`): the namespace prefix and a pod's generated suffixes are dropped.
 * @example workloadNames(['shop/checkout-7d9f8b6c5-x2mqp', 'arn:aws:lambda:…']) // → ['checkout']
 */
export function workloadNames(resources: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const r of resources) {
    if (r.startsWith('arn:') || r.includes(':')) continue;
    const name = r.split('/').pop()!.toLowerCase();
    const base = name.replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, '').replace(/-[bcdfghjklmnpqrstvwxz2-9]{5}$/, '');
    if (/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(base) && base.length >= 3) out.add(base);
  }
  return [...out].sort();
}
