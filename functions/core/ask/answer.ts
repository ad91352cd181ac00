/**
 * The ask use case: a question in plain language → an answer with citations, the intent, and a
 * plan where the question asks for an action or infrastructure. Nothing is executed here.
 *
 * "No citation, no claim": every sentence of an answer is built from a cited item (a runbook
 * passage, a log pattern, a Kubernetes finding, an earlier diagnosis); when nothing supports an
 * answer it says so. Only the question is parsed for intent: text inside logs, runbooks or
 * diagnoses is quoted as evidence and can never create or approve a plan.
 */
import type { Diagnosis } from '../model/diagnosis.js';
import type { Incident } from '../model/incident.js';
import { InvalidInputError, OpsAssistantError } from '../model/errors.js';
import type { DiagnosisStore } from '../ports/diagnosis-store.port.js';
import { processTerm, queryTerms, tokenize, type RunbookIndex } from '../stages/retrieve/index.js';
import type { RunbookPassage } from '../model/analysis.js';
import { digest } from '../pipeline.js';
import type { AskContext, AskEntities, AskIntent, ParsedQuestion } from './intent.js';
import { understandQuestion } from './understand.js';
import { guardRefusal, listsSecretNames, shellInAction } from './guard.js';
import { spellGuardWords } from './intent.js';
import { ActionNotPlannableError, buildKubernetesPlanBody, guardKubernetesAction, sealPlan, type KubernetesPlanBody, type Plan } from './plans.js';
import { buildIacSpec, IAC_IMPORTS, type IacSynthesizer } from './iac.js';
import type { IntentClassifier, KubernetesApi, PlanStore } from './ports.js';
import type { Citation } from './answers/types.js';
import type { CollectedContext } from '../model/evidence.js';
import { parseCalendarRange, type PlainTimeRange } from './time-range.js';
import { ownsName, scopeEvidence, subjectLabel, subjectOf, type Level, type ScopedEvidence, type Subject } from './answers/evidence.js';
import { answerChanges, answerLogs } from './answers/logs.js';
import { answerHealth } from './answers/health.js';
import { answerLatency } from './answers/latency.js';
import { aboveFloor, coverage, PROCEDURE_WORDS, stem, topicTerms, withoutNoise, type KNOWLEDGE_FLOOR } from './answers/knowledge.js';

/** Largest question accepted, in characters. */
export const MAX_QUESTION_CHARS = 2_000;
/** Plans expire after this many milliseconds (1 hour). */
export const PLAN_TTL_MS = 3_600_000;

export interface AskRequest {
  readonly question: string;
  readonly context?: AskContext;
}

export type { Citation } from './answers/types.js';

export interface AskResponse {
  readonly answer: string;
  readonly citations: readonly Citation[];
  readonly intent: AskIntent;
  readonly entities: AskEntities;
  readonly plan?: Plan;
  /** What the assistant asks back (a missing name, a doubtful reading, the second of two requests); absent when it answered fully. */
  readonly askBack?: string;
}

/** A request the assistant refuses (deleting namespaces, kube-system, reading secrets, prompt injection). HTTP 403/400. */
export class RefusedRequestError extends OpsAssistantError {
  constructor(code: 'ACTION_REFUSED' | 'PROMPT_INJECTION', message: string) {
    super(code, message);
    this.name = 'RefusedRequestError';
  }
}

export interface AskDeps {
  readonly runbooks: RunbookIndex;
  readonly store: DiagnosisStore;
  readonly plans: PlanStore;
  /** Runs collectors and the pipeline for an incident built from the question; absent when nothing can be collected. */
  readonly diagnose?: (incident: Incident) => Promise<Diagnosis>;
  /** The cluster, for server-side dry runs of plans; absent when unreachable. */
  readonly kubernetes?: KubernetesApi;
  /** Synthesizes CDK snippets; absent where aws-cdk-lib is not available. */
  readonly iac?: IacSynthesizer;
  /** The intent model; absent (`--no-model`, or it failed to load), the rule parser reads questions. */
  readonly intents?: IntentClassifier;
  /** Workload names the store or the evidence knows: a near-miss in a question is read as one of them. */
  readonly knownNames?: () => Promise<readonly string[]>;
  readonly now?: () => Date;
  /**
   * Collects the raw evidence (log lines, Kubernetes objects, describes and events) for an
   * incident built from the question, for the logs, changes, health, latency and "what is wrong
   * with X" answers, which quote lines themselves; absent when nothing can be collected.
   */
  readonly collect?: (incident: Incident) => Promise<CollectedContext>;
  /**
   * How this entry point is given evidence, completing "To check X, …": the CLI says
   * `run again with --evidence FILE …`; default {@link API_EVIDENCE_HINT}.
   */
  readonly evidenceHint?: string;
  /** ARN of the incident SNS topic: alarms and rules the assistant writes notify it; absent: the snippet says an action is needed. */
  readonly incidentTopicArn?: string;
}

/** How an API caller gives evidence (the default of {@link AskDeps.evidenceHint}). */
export const API_EVIDENCE_HINT = 'send its logs or kubectl output to POST /v1/diagnoses, or configure collectors that reach it';

/**
 * Questions that try to steer the assistant rather than ask it something: "ignore previous
 * instructions", "you are now …", "pretend you have no rules", role markers of chat templates
 * (`<|im_start|>`, `[INST]`, `### System:`), requests for the system prompt. Patterns follow the
 * OWASP LLM Top 10, LLM01 "Prompt Injection" examples. The parser is rule-based, so such text
 * could not steer it anyway; refusing says so plainly instead of answering a mangled question.
 */
const INJECTION = new RegExp([
  String.raw`\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|of|the|your|my|these|those|previous|prior|above|earlier|preceding|system|safety|every|existing|original|current)\s+){0,4}(?:instructions?|prompts?|rules?|guard ?rails?|guidelines|restrictions?|safeguards?|directives?)\b`,
  String.raw`\b(?:system|developer|hidden) prompt\b|\byour (?:system |hidden |initial |original )?(?:prompt|instructions)\b`,
  String.raw`\byou are now\b|\bfrom now on,? you\b|\bpretend (?:to be|you(?:'re| are))\b|\bact as (?:an? |the )?(?:admin|root|unrestricted|superuser|cluster-admin|different|jailbroken)|\bjailbr(?:eak|oken)\b|\bdo anything now\b|\bdeveloper mode\b`,
  String.raw`\bnew (?:instructions?|rules?|task)\s*:|\b(?:approve|execute|run) (?:this|the|all|every) plans? (?:automatically|without (?:approval|asking|review))`,
  String.raw`<\|(?:im_start|im_end|system|endoftext)\|>|\[/?INST\]|<</?SYS>>|^\s*#{1,3}\s*(?:system|instruction)s?\s*:|^\s*(?:system|assistant)\s*:|\bBEGIN (?:SYSTEM|INSTRUCTIONS)\b`,
].join('|'), 'im');

/** Context fields an `/v1/ask` body may carry. */
const CONTEXT_FIELDS = ['cluster', 'namespace', 'service', 'since'] as const;
/** Largest `context.since`, in characters. */
const MAX_SINCE_CHARS = 64;

/**
 * Validates an `/v1/ask` body `{ "question": string, "context"?: { cluster?, namespace?, service?, since? } }`.
 * The question is trimmed; context names must be Kubernetes/AWS names (lower-case DNS labels).
 * @throws InvalidInputError (HTTP 400) with code `INVALID_REQUEST` (body not an object),
 *   `INVALID_QUESTION` (question missing or not a string), `EMPTY_QUESTION`, `QUESTION_TOO_LONG`
 *   (over {@link MAX_QUESTION_CHARS} characters), `INVALID_CHARACTERS` (control characters,
 *   invisible format characters, or U+FFFD, the mark of invalid UTF-8), `INVALID_CONTEXT` (context not an object, an unknown
 *   field, or a value that is not a valid name); `input` names the field.
 * @example validateAskRequest({ question: ' why is checkout failing? ', context: { namespace: 'shop' } })
 *   // → { question: 'why is checkout failing?', context: { namespace: 'shop' } }
 */
export function validateAskRequest(body: unknown): AskRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidInputError('body', 'expected a JSON object { "question": "...", "context"?: {...} }', { code: 'INVALID_REQUEST' });
  const { question, context } = body as Record<string, unknown>;
  if (question === undefined) throw new InvalidInputError('question', 'is required', { code: 'INVALID_QUESTION' });
  if (typeof question !== 'string') throw new InvalidInputError('question', `must be a string, not ${Array.isArray(question) ? 'an array' : question === null ? 'null' : typeof question}`, { code: 'INVALID_QUESTION' });
  if (question.length > 4 * MAX_QUESTION_CHARS) throw new InvalidInputError('question', `is ${question.length} characters; at most ${MAX_QUESTION_CHARS} are accepted (send evidence to POST /v1/diagnoses instead)`, { code: 'QUESTION_TOO_LONG' });
  // NFKC folds look-alike forms (full-width letters, ligatures) so that patterns see plain text.
  const trimmed = question.normalize('NFKC').trim();
  if (trimmed.length === 0) throw new InvalidInputError('question', 'is empty', { code: 'EMPTY_QUESTION' });
  if (trimmed.length > MAX_QUESTION_CHARS) throw new InvalidInputError('question', `is ${trimmed.length} characters; at most ${MAX_QUESTION_CHARS} are accepted (send evidence to POST /v1/diagnoses instead)`, { code: 'QUESTION_TOO_LONG' });
  // Tab, line feed and carriage return are text; other C0/C1 controls, DEL, U+FFFD and invisible
  // format characters (zero-width spaces and joiners, bidirectional overrides as in "Trojan
  // Source", CVE-2021-42574) are not: they hide text from a reader and from the patterns.
  // eslint-disable-next-line no-control-regex
  const bad = /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\ufffd]|\p{Cf}/u.exec(trimmed);
  if (bad) throw new InvalidInputError('question', `contains a control character or invalid UTF-8 (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at ${bad.index}); send plain text`, { code: 'INVALID_CHARACTERS' });
  let ctx: AskContext | undefined;
  if (context !== undefined && context !== null) {
    if (typeof context !== 'object' || Array.isArray(context)) throw new InvalidInputError('context', 'must be an object { cluster?, namespace?, service?, since? }', { code: 'INVALID_CONTEXT' });
    const c = context as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const key of Object.keys(c)) {
      if (!(CONTEXT_FIELDS as readonly string[]).includes(key)) throw new InvalidInputError(`context.${key}`, `is not a known context field (${CONTEXT_FIELDS.join(', ')})`, { code: 'INVALID_CONTEXT' });
      const value = c[key];
      if (value === undefined) continue;
      if (typeof value !== 'string') throw new InvalidInputError(`context.${key}`, 'must be a string', { code: 'INVALID_CONTEXT' });
      if (key === 'since') {
        // eslint-disable-next-line no-control-regex
        if (value.length > MAX_SINCE_CHARS || /[\u0000-\u001f\u007f-\u009f]/.test(value)) throw new InvalidInputError('context.since', `must be an ISO-8601 time or words like "1 hour ago" (at most ${MAX_SINCE_CHARS} characters)`, { code: 'INVALID_CONTEXT' });
      } else if (!/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(value)) {
        throw new InvalidInputError(`context.${key}`, 'must be a Kubernetes/AWS name (lower-case letters, digits, . and -, at most 253 characters)', { code: 'INVALID_CONTEXT' });
      }
      out[key] = value;
    }
    ctx = out as AskContext;
  }
  return ctx ? { question: trimmed, context: ctx } : { question: trimmed };
}

function citeDiagnosis(d: Diagnosis): Citation[] {
  const citations: Citation[] = [];
  for (const h of d.hypotheses.slice(0, 2)) {
    for (const e of h.evidence.slice(0, 2)) citations.push({ source: `${e.source}${e.line !== undefined ? `:${e.line}` : ''}`, title: `evidence for ${h.category}`, text: e.text });
  }
  for (const f of d.findings.slice(0, 3)) citations.push({ source: `finding:${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name}`, title: f.analyzer, text: f.message });
  return citations;
}

function incidentFromEntities(question: string, entities: AskEntities, now: Date, range: PlainTimeRange | undefined = entities.timeRange): Incident {
  const end = range?.end ?? now.toISOString();
  const start = range?.start ?? new Date(now.getTime() - 30 * 60_000).toISOString();
  if (entities.function) {
    return {
      id: `inc-${digest([question, start, end])}`, source: 'api', title: question.length > 100 ? `${question.slice(0, 97)}...` : question, severity: 'medium',
      occurredAt: end, window: { start, end }, resources: [{ type: 'AWS::Lambda::Function', name: entities.function }], labels: {}, question,
    };
  }
  const name = entities.workload?.name ?? entities.service ?? entities.node;
  return {
    id: `inc-${digest([question, start, end])}`,
    source: 'api',
    title: question.length > 100 ? `${question.slice(0, 97)}...` : question,
    severity: 'medium',
    occurredAt: end,
    window: { start, end },
    resources: name ? [{ type: entities.workload?.kind ?? (entities.node ? 'Node' : 'Service'), name, namespace: entities.namespace, cluster: entities.cluster }] : [],
    cluster: entities.cluster,
    namespace: entities.namespace,
    labels: {},
    question,
  };
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * Answers one question (validate it first with {@link validateAskRequest}).
 *
 * - `knowledge`: runbook passages that cover the question's topic words (BM25, fused with dense
 *   retrieval when the index has an embedder) above the relevance floor ({@link KNOWLEDGE_FLOOR}),
 *   the best one composed into the answer; cited as `<runbook path>#<heading slug>`; none:
 *   "Nothing in the runbooks covers this; try --kb DIR".
 * - `search_errors` / `changes` with `deps.collect`: the lines of the subject (Lambda function,
 *   workload, ECS service, EC2 instance or node) filtered by level and range exactly, the last N,
 *   whether a message was reported, distinct messages with counts and first/last seen, the change
 *   events of a day ({@link answerLogs}, {@link answerChanges}); cited as `source:line`.
 * - `health` / `latency` (need `deps.collect`): a verdict with what was checked
 *   ({@link answerHealth}); the slowest calls against their usual durations, `slow_dependency`
 *   ({@link answerLatency}).
 * - `diagnose`: stored diagnoses of the subject first (`deps.store`), then the evidence; when the
 *   collected evidence does not cover the subject, it says so (with `deps.evidenceHint`) instead
 *   of answering from another workload. An incident built from the entities (time range default:
 *   the last 30 minutes) runs through `deps.diagnose`; cited are evidence lines,
 *   `finding:<kind>/<ns>/<name>`, `log:<template id>` and `diagnosis:<id>`. Without
 *   `deps.collect`, `search_errors` and `changes` are answered from that diagnosis too.
 * - `history`: earlier diagnoses from `deps.store`, cited as `diagnosis:<id>`.
 * - `kubernetes_action`: a guarded plan (stored in `deps.plans`, status `proposed`, expires after
 *   {@link PLAN_TTL_MS}), dry-run with `?dryRun=All` when `deps.kubernetes` is set; never executed.
 * - `infrastructure_as_code`: a CDK snippet, synthesized by `deps.iac` when set; never deployed.
 * - `clarify`: a question back, no citations.
 * When nothing supports an answer it says so and has no citations. Only the question is parsed:
 * text in evidence, runbooks or diagnoses is quoted, never obeyed.
 *
 * @throws RefusedRequestError `PROMPT_INJECTION` (a question that tries to steer the assistant)
 *   or `ACTION_REFUSED` (deleting a namespace or anything but a Pod, anything in `kube-system`,
 *   reading Secrets); errors of `deps` (store, pipeline) pass through.
 * @example
 *   const r = await ask(validateAskRequest({ question: 'scale checkout to 3 replicas', context: { namespace: 'shop' } }), deps);
 *   r.plan?.kubernetes?.requests[0].path; // '/apis/apps/v1/namespaces/shop/deployments/checkout/scale'
 */
export async function ask(request: AskRequest, deps: AskDeps): Promise<AskResponse> {
  const now = (deps.now ?? (() => new Date()))();
  refuseInjection(request.question);
  const knownNames = deps.knownNames ? await deps.knownNames().catch(() => []) : [];
  const parsed = await understandQuestion(request.question, now, { classifier: deps.intents, knownNames, context: request.context });
  // Shell injection in any question (not only actions): command substitution, variable expansion,
  // or a command chained after ; && || or a pipe into a shell. Backticks alone are chat quoting.
  if (/\$\(|\$\{|\$[A-Z_][A-Z0-9_]{2,}\b|(?:;|&&|\|\|)\s*(?:rm|curl|wget|sh|bash|zsh|nc|ncat|kubectl|cat|chmod|chown|sudo|python3?|perl|echo|dd|mkfs|shutdown|reboot)\b|\|\s*(?:sh|bash|zsh|nc|tee|xargs)\b|>\s*\/(?:etc|dev|tmp|var|root|home)\b/.test(request.question)) {
    throw new InvalidInputError('question', 'the question holds shell syntax (command substitution, $VARIABLES, chained or piped commands); nothing was run. Ask in plain words', { code: 'INVALID_QUESTION' });
  }
  // Guard rails first: a refused action is refused even when the reader would ask back.
  refuseGuarded(request.question, parsed);
  checkAction(request, parsed);
  const notes = parsed.notes?.length ? `${parsed.notes.join(' ')} ` : '';
  // An action without its object is asked back, never guessed.
  if (parsed.intent === 'kubernetes_action' && parsed.clarification) {
    return { answer: `${notes}${parsed.clarification}`, citations: [], intent: parsed.intent, entities: parsed.entities, askBack: parsed.clarification };
  }
  const response = await answerParsed(request, parsed, deps);
  const second = parsed.askBack && parsed.intent !== 'clarify' ? parsed.askBack : undefined;
  return {
    ...response,
    answer: `${notes}${response.answer}${second ? `\n\n${second}` : ''}`,
    ...(second || response.intent === 'clarify' ? { askBack: second ?? parsed.askBack ?? response.answer } : {}),
  };
}

/**
 * The guard rails of an action request: shell syntax and paths are refused rather than read
 * around, a replica count is whole and non-negative, and refused actions (namespaces,
 * kube-system, Secret values) are refused whatever the wording.
 * @throws InvalidInputError (`INVALID_QUESTION`), RefusedRequestError (`ACTION_REFUSED`).
 */
function checkAction(request: AskRequest, parsed: ParsedQuestion): void {
  if (!parsed.verb) return;
  // An action request names Kubernetes objects, never shell: `$(…)`, backticks, `;`, `|`, `&`
  // and redirections are refused rather than read around (`3->6` is a range, not a redirection).
  if (shellInAction(request.question, true) || /\.\.\//.test(request.question)) {
    throw new InvalidInputError('question', 'an action request may not contain shell syntax or paths (`$( )`, backticks, ;, |, &, <, >, ..); name the workload and namespace in plain words', { code: 'INVALID_QUESTION' });
  }
  if (parsed.verb === 'read_secret' && listsSecretNames(request.question)) return;
  if (parsed.verb === 'scale' && /(?:\bto|=|--replicas)\s*-\s*\d/.test(request.question)) {
    throw new InvalidInputError('question', 'a replica count is a whole number of 0 or more', { code: 'INVALID_QUESTION' });
  }
  const refusal = guardKubernetesAction(parsed.verb, parsed.entities);
  if (refusal) throw new RefusedRequestError('ACTION_REFUSED', refusal);
}

/**
 * The refused operations read from the question by what they are ({@link guardRefusal}): deleting
 * a namespace, reading a Secret's value, acting in kube-system, shell syntax in an action.
 * @throws InvalidInputError (`INVALID_QUESTION`) for shell syntax, RefusedRequestError (`ACTION_REFUSED`) otherwise.
 */
function refuseGuarded(question: string, parsed: ParsedQuestion): void {
  const refusal = guardRefusal(spellGuardWords(question.normalize('NFKC')), parsed.intent === 'kubernetes_action');
  if (!refusal) return;
  if (refusal.code === 'shell') throw new InvalidInputError('question', refusal.message, { code: 'INVALID_QUESTION' });
  throw new RefusedRequestError('ACTION_REFUSED', refusal.message);
}

function refuseInjection(question: string): void {
  if (INJECTION.test(question.normalize('NFKC'))) {
    throw new RefusedRequestError('PROMPT_INJECTION', 'The question reads as an attempt to override the assistant\'s instructions; it was not processed. Ask about a workload, an error, a procedure or an action in plain words.');
  }
}

/**
 * The answer layer of {@link ask}, for a question already parsed (by the rule parser or a
 * trained model): the same guard rails (prompt injection, shell syntax, refused actions), then the
 * answer of `parsed.intent` over `parsed.entities`. Only `request.question` is read besides
 * `parsed` (for fallbacks the entities leave open: calendar ranges, a quoted message, a line
 * count, the level words of a logs question).
 * @throws as {@link ask}.
 * @example
 *   await answerParsed({ question: 'is checkout healthy now?' }, { intent: 'health', entities: { workload: { name: 'checkout' } } }, deps);
 *   // → { intent: 'health', answer: 'checkout: failing now.\nChecked:\n- pods: …', citations: [{ source: 'pod-describe.txt:25', … }] }
 */
export async function answerParsed(request: AskRequest, parsed: ParsedQuestion, deps: AskDeps): Promise<AskResponse> {
  const now = (deps.now ?? (() => new Date()))();
  refuseInjection(request.question);
  checkAction(request, parsed);
  const { intent, entities } = parsed;
  const subject = entities.function ?? entities.workload?.name ?? entities.service ?? entities.node ?? 'the system';
  const hint = deps.evidenceHint ?? API_EVIDENCE_HINT;
  // The parser's range, else calendar words it may not read ("since monday", "on 2026-11-30").
  const range = entities.timeRange ?? parseCalendarRange(request.question, now);
  const gather = async (): Promise<ScopedEvidence> => scopeEvidence(await deps.collect!(incidentFromEntities(request.question, entities, now, range)), subjectOf(entities));
  const where = [entities.cluster && `cluster ${entities.cluster}`, entities.namespace && `namespace ${entities.namespace}`].filter(Boolean).join(', ');

  switch (intent) {
    case 'clarify':
      return { answer: parsed.clarification!, citations: [], intent, entities };

    case 'knowledge': {
      if (topicTerms(request.question, deps.runbooks).length === 0) return { answer: 'Paste the error line you see (or name the resource and its state), and I will look it up in the runbooks.', citations: [], intent, entities };
      const passages = await supportedPassages(request.question, deps.runbooks);
      if (passages.length === 0) return { answer: 'Nothing in the runbooks covers this; try --kb DIR with your own runbooks (KNOWLEDGE_PREFIX on AWS), or paste the exact error line.', citations: [], intent, entities };
      const order = sectionOrder(request.question);
      const composed = passages.map((p) => ({ passage: p, text: composePassage(p.text, order) }));
      const citations = composed.map(({ passage: p, text }) => ({ source: `${p.path}#${slug(p.heading)}`, title: `${p.title} — ${p.heading}`, text: excerpt(text, 600) }));
      const [first, ...rest] = composed;
      const answer = [
        `${first!.passage.heading} [1]:\n${excerptLines(first!.text, 1200)}`,
        ...rest.map(({ passage: p, text }, i) => `See also ${p.heading} [${i + 2}]: ${excerpt(text, 250)}`),
      ].join('\n\n');
      return { answer, citations, intent, entities };
    }

    case 'history': {
      const page = await deps.store.list({ resource: entities.workload?.name ?? entities.service, since: entities.timeRange?.start, limit: 5 });
      if (page.items.length === 0) return { answer: `I found no earlier diagnosis for ${subject}${where ? ` (${where})` : ''} in the store.`, citations: [], intent, entities };
      const citations = page.items.map((e) => ({ source: `diagnosis:${e.id}`, title: e.title, text: `${e.createdAt}: ${e.category} (${pct(e.confidence)}) on ${e.resources.join(', ')}` }));
      const counts = new Map<string, number>();
      for (const e of page.items) counts.set(e.category, (counts.get(e.category) ?? 0) + 1);
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
      return { answer: `Yes: ${page.items.length} earlier diagnos${page.items.length === 1 ? 'is' : 'es'} for ${subject}, most recently ${page.items[0]!.createdAt} (${page.items[0]!.category}). The most frequent root cause was ${top[0]} (${top[1]}×) [diagnosis:${page.items[0]!.id}].`, citations, intent, entities };
    }

    case 'health':
    case 'latency': {
      const who = subjectLabel(subjectOf(entities));
      if (!deps.collect) return { answer: `Cannot tell: I cannot read ${who}'s logs or cluster from here, so I have nothing to check. To check ${who}, ${hint}.`, citations: [], intent, entities };
      const scoped = await gather();
      const r = intent === 'health' ? answerHealth(who, scoped, hint, now) : answerLatency(who, scoped, hint);
      return { answer: r.answer, citations: [...r.citations], intent, entities };
    }

    case 'diagnose':
    case 'search_errors':
    case 'changes': {
      const who = subjectLabel(subjectOf(entities));
      const stored = intent === 'diagnose' ? await storedDiagnoses(deps, subjectOf(entities)) : undefined;
      if (deps.collect && (intent !== 'diagnose' || subjectOf(entities))) {
        const scoped = await gather();
        if (!scoped.covered) {
          // Stored diagnoses of X first, then what the evidence can (not) say about X.
          const answer = `${stored ? `${stored.answer}\n` : ''}${notCovered(who, scoped, hint)}`;
          return { answer, citations: stored?.citations ?? [], intent, entities };
        }
        if (intent === 'search_errors') {
          const r = answerLogs(who, scoped, { level: levelAsked(request.question, entities), range, limit: entities.limit ?? limitAsked(request.question), message: entities.message ?? messageAsked(request.question) });
          return { answer: r.answer, citations: [...r.citations], intent, entities };
        }
        if (intent === 'changes') {
          const r = answerChanges(who, scoped, range);
          return { answer: r.answer, citations: [...r.citations], intent, entities };
        }
      }
      if (!deps.diagnose) {
        if (stored) return { answer: `${stored.answer}\nI cannot read ${who}'s logs or cluster from here to check it now; to do so, ${hint}.`, citations: stored.citations, intent, entities };
        return { answer: `I cannot reach ${who}'s logs or cluster from here, so I have nothing to cite. To check ${who}, ${hint}.`, citations: [], intent, entities };
      }
      const d = await deps.diagnose(incidentFromEntities(request.question, entities, now, range));
      if (intent === 'search_errors') {
        const errors = d.logPatterns
          .filter((p) => /ERROR|FATAL|CRIT|WARN|SEVERE/i.test(p.level ?? '') || /error|exception|fail|timed? ?out|refused|denied/i.test(p.template))
          .sort((a, b) => b.count - a.count);
        if (errors.length === 0) return { answer: `No error patterns in the collected logs for ${subject}${entities.timeRange ? ` in the ${entities.timeRange.text}` : ''}.`, citations: [], intent, entities };
        const citations = errors.slice(0, 5).map((p) => ({ source: `log:${p.templateId}`, title: `${p.count} events${p.isNew ? ', new' : ''}${p.isSpiking ? ', spiking' : ''}`, text: p.samples[0]?.text ?? p.template }));
        return { answer: `${errors.reduce((n, p) => n + p.count, 0)} error events in ${errors.length} patterns for ${subject}${entities.timeRange ? ` in the ${entities.timeRange.text}` : ''}; most frequent: "${errors[0]!.template}" (${errors[0]!.count}×)${errors.some((p) => p.isNew) ? '; some are new against the baseline' : ''}.`, citations, intent, entities };
      }
      if (intent === 'changes') {
        // Earliest first: the change that came first is the likelier cause.
        const changes = d.logPatterns
          .filter((p) => /deploy|rollout|scaled|image|version|revision|config(?:map)?|restart|started/i.test(p.template))
          .sort((a, b) => (a.firstSeen ?? '9999').localeCompare(b.firstSeen ?? '9999'));
        const findings = d.findings.filter((f) => f.category === 'deploy_regression' || f.category === 'rollout_stuck');
        if (changes.length === 0 && findings.length === 0) return { answer: `I found no deployment, scaling or configuration change in the evidence collected for ${subject}.`, citations: [], intent, entities };
        const citations = [...findings.map((f) => ({ source: `finding:${f.kind}/${f.name}`, title: f.analyzer, text: f.message })), ...changes.slice(0, 5).map((p) => ({ source: `log:${p.templateId}`, title: `${p.count} events, first ${p.firstSeen ?? 'unknown'}`, text: p.samples[0]?.text ?? p.template }))];
        return { answer: `Changes, deployments and restarts seen for ${subject}${entities.timeRange ? ` in the ${entities.timeRange.text}` : ` up to ${d.incident.occurredAt}`}, earliest first: ${citations.map((c) => c.text).slice(0, 3).join(' | ')}`, citations, intent, entities };
      }
      const lead = d.hypotheses[0];
      const citations = citeDiagnosis(d);
      const before = stored ? `${stored.answer}\nFrom the evidence now: ` : '';
      if (!lead || lead.category === 'unknown' || citations.length === 0) return { answer: `${before}The evidence collected for ${subject} does not support a root cause yet${d.degraded.length ? ` (missing: ${d.degraded.map((g) => g.component).join(', ')})` : ''}.`, citations: [...(stored?.citations ?? []), ...citations], intent, entities };
      const others = d.hypotheses.slice(1, 3).map((h) => `${h.category} (${pct(h.confidence)})`).join(', ');
      const action = lead.actions[0];
      return {
        answer: `${before}Most likely ${lead.category} (${pct(lead.confidence)}): ${lead.summary}${others ? ` Other possibilities: ${others}.` : ''}${action ? ` First step: ${action.description}${action.command ? ` — \`${action.command}\`` : ''}` : ''} [diagnosis:${d.id}]`,
        citations: [...(stored?.citations ?? []), ...citations, { source: `diagnosis:${d.id}`, title: d.incident.title, text: d.summary }],
        intent, entities,
      };
    }

    case 'kubernetes_action': {
      if (parsed.verb === 'read_secret' && listsSecretNames(request.question)) {
        const ns = entities.namespace ? ` -n ${entities.namespace}` : '';
        return { answer: `Secret names, types and key counts (never their values): \`kubectl get secrets${ns}\`. I do not read Secrets myself, not even their names, so nothing is planned.`, citations: [], intent, entities };
      }
      let body: KubernetesPlanBody;
      try {
        body = buildKubernetesPlanBody(parsed.verb!, entities, now);
      } catch (error) {
        if (error instanceof ActionNotPlannableError) return { answer: error.message, citations: [], intent: 'clarify', entities };
        throw error;
      }
      if (deps.kubernetes) {
        const mutating = body.requests.filter((r) => r.method !== 'GET' && !/[{}]/.test(r.path) && typeof r.body !== 'string' && !JSON.stringify(r.body ?? {}).includes('{pod template'));
        try {
          const results = await Promise.all(mutating.map((r) => deps.kubernetes!.send(r, { dryRun: true })));
          const bad = results.find((r) => r.status >= 300);
          body.dryRun = bad ? { ok: false, message: `server-side dry run answered ${bad.status}: ${JSON.stringify(bad.body).slice(0, 300)}` } : { ok: true, message: `server-side dry run accepted ${results.length} request(s)` };
        } catch (error) {
          body.dryRun = { ok: false, message: `dry run could not reach the cluster: ${error instanceof Error ? error.message : String(error)}` };
        }
      }
      const plan: Plan = sealPlan({
        kind: 'kubernetes', createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + PLAN_TTL_MS).toISOString(),
        question: request.question, summary: body.requests.filter((r) => r.method !== 'GET').map((r) => r.description).join('; '), status: 'proposed', kubernetes: body,
      });
      await deps.plans.put(plan);
      return {
        answer: `Planned, not executed: ${plan.summary}. Equivalent command: ${body.kubectl.join(' && ')}.${body.target.kind !== 'Node' && !entities.namespace ? ' No namespace was named, so the plan uses "default"; say "in namespace <name>" to change it.' : ''}${body.dryRun ? ` Dry run: ${body.dryRun.message}.` : ' No cluster is configured here, so it was not dry-run.'} To execute, approve it with POST /v1/plans/${plan.id}/approve (when the deployment enables approvals).`,
        // The dry run is the one claim about the cluster here; it is cited as such.
        citations: body.dryRun ? [{ source: `kubernetes:dry-run${entities.cluster ? `/${entities.cluster}` : ''}`, title: 'server-side dry run (dryRun=All)', text: body.dryRun.message }] : [],
        intent, entities, plan,
      };
    }

    case 'infrastructure_as_code': {
      const spec = buildIacSpec(request.question, entities, { incidentTopicArn: deps.incidentTopicArn });
      if (!spec) return { answer: 'I can write CloudWatch alarms (ALB 5xx rate or latency, Lambda errors/throttles/duration, SQS backlog, pod CPU), log metric filters and EventBridge rules. Say which metric, the threshold and for how long, e.g. "alert me when the checkout target group\'s 5xx rate is over 1% for 5 minutes".', citations: [], intent: 'clarify', entities };
      const plan: Plan = sealPlan({
        kind: 'infrastructure_as_code', createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + PLAN_TTL_MS).toISOString(),
        question: request.question, summary: spec.description, status: 'proposed',
        iac: { resource: spec.kind, cdk: `${IAC_IMPORTS}\n\n// inside your Stack's constructor:\n${spec.snippet}\n` },
      });
      if (deps.iac) {
        try {
          plan.iac!.cloudformation = await deps.iac.synthesize(spec.snippet);
          plan.iac!.synthesized = { ok: true, message: `synthesized to ${Object.keys(plan.iac!.cloudformation).length} CloudFormation resource(s)` };
        } catch (error) {
          plan.iac!.synthesized = { ok: false, message: `synthesis failed: ${error instanceof Error ? error.message : String(error)}` };
        }
      }
      await deps.plans.put(plan);
      const synthesized = plan.iac!.synthesized;
      return {
        answer: `Here is a CDK snippet for ${spec.description}. ${spec.action ? `It notifies the incident topic ${spec.action.topicArn} (an SNS action).` : 'An action is needed: as written it notifies no one; put the incident topic\'s ARN where the snippet says ACTION NEEDED (or configure the incident topic here) so it pages someone.'} It is a plan: review it and deploy it with your own pipeline; the assistant never deploys infrastructure.${synthesized ? ` Check: ${synthesized.message}.` : ' It was not synthesized here, so it is unchecked.'}`,
        citations: synthesized ? [{ source: 'cdk:synth', title: 'aws-cdk-lib synthesis of the snippet', text: synthesized.message }] : [],
        intent, entities, plan,
      };
    }
  }
}

/** Other forms of an English word ("throttled" → "throttle", "throttling", "throttles"); none for short or non-alphabetic words. */
function inflections(word: string): string[] {
  if (!/^[a-z]{5,}$/.test(word)) return [];
  const base = word.replace(/(?:ing|ed|es|s)$/, '');
  if (base === word || base.length < 4) return [`${word}s`, `${word}ed`, `${word}ing`].filter((w) => w !== word);
  const stems = [...new Set([base, `${base}e`])];
  return [...new Set(stems.flatMap((b) => [b, `${b}s`, `${b}d`, `${b}ed`, `${b.replace(/e$/, '')}ing`]))].filter((w) => w !== word);
}

/**
 * Runbook passages that support an answer to `question`: the index's best matches (BM25, fused
 * with dense retrieval when the index has an embedder), kept only when they contain enough of the
 * question's topic words (two, or one for a one-word topic) and, for BM25, score at least half of
 * the best. "No citation, no claim": a question no passage covers gets none.
 */
async function supportedPassages(pasted: string, index: RunbookIndex): Promise<RunbookPassage[]> {
  // Timestamps, UUIDs and hex ids in a pasted line say nothing about the error, and would match
  // runbook examples that happen to share a date.
  const question = withoutNoise(pasted);
  const topic = [...new Set(queryTerms(question).filter((t) => !PROCEDURE_WORDS.has(t)).map(stem))];
  if (topic.length === 0) return [];
  const need = Math.min(2, topic.length);
  // Error codes and identifiers ("137", "OOMKilled", "x509", "ENOSPC") say more than prose words
  // (the whole word only: CamelCase parts such as "crash" stay plain). The index does not stem,
  // so inflections of the question's words are searched too, at half weight.
  const termBoosts = new Map<string, number>();
  const variants: string[] = [];
  for (const word of tokenize(question)) {
    const terms = processTerm(word) ?? [];
    if (terms[0] && /\d|[a-z][A-Z]|^[A-Z]{3,}$|_/.test(word)) termBoosts.set(terms[0], 2);
    for (const variant of inflections(word.toLowerCase())) {
      if (!termBoosts.has(variant) && !queryTerms(question).includes(variant)) {
        termBoosts.set(variant, 0.5);
        variants.push(variant);
      }
    }
  }
  // With an embedder, BM25 and dense ranks are fused; the query embedded is the question itself
  // (inflections would only blur it). Without one, BM25 alone also searches the inflections.
  const dense = index.embedderId !== undefined;
  const candidates = dense
    ? await index.searchAsync(question, 8, { termBoosts })
    : index.search([question, ...variants].join(' '), 8, { termBoosts });
  const best = candidates[0]?.score ?? 0;
  // The relevance floor first: a passage must cover most of the question's topic, weighed by
  // rarity; among those, a clearly better covering passage (by a quarter of the topic) goes first.
  const floored = aboveFloor(question, candidates, index);
  const supported = floored
    .filter((p) => {
      const words = new Set(queryTerms(`${p.title} ${p.heading} ${p.text}`).map(stem));
      return topic.filter((t) => words.has(t)).length >= need;
    })
    .filter((p, i) => (dense ? i < 3 : p.score >= 0.5 * best));
  // A document's overview (a passage of several categories) comes after the sections that treat
  // one cause: it is context, rarely the answer.
  const overview = (p: RunbookPassage) => p.categories.length > 1;
  const topicNow = topicTerms(question, index);
  const covered = supported.map((p) => coverage(topicNow, p, index));
  const top = Math.max(0, ...covered);
  const ranked = [...supported.filter((_, i) => covered[i]! >= top - 0.25), ...supported.filter((_, i) => covered[i]! < top - 0.25)];
  return [...ranked.filter((p) => !overview(p)), ...ranked.filter(overview)].slice(0, dense ? 2 : 3);
}

/** Which runbook subsections answer the question first: remediation for "how do I fix", confirmation for "how do I debug", symptoms for "what is". */
function sectionOrder(question: string): string[] {
  const q = question.toLowerCase();
  if (/\b(?:fix|resolve|recover|stop|prevent|avoid|handle|deal with|solve|get rid|increase|raise|reduce|remediat)/.test(q)) return ['remediation', 'how to confirm', 'prevention', 'symptoms'];
  if (/\b(?:debug|troubleshoot|tell|check|confirm|find|diagnos|investigate|verify|see)\b/.test(q)) return ['how to confirm', 'remediation', 'symptoms', 'prevention'];
  return ['symptoms', 'remediation', 'how to confirm', 'prevention'];
}

/**
 * A runbook passage as prose for the answer: the passage's own heading dropped, its `###`
 * subsections in `order` (the rest after), each as "Heading: text".
 */
function composePassage(markdown: string, order: readonly string[]): string {
  const body = markdown.replace(/^\s*#{1,6}[^\n]*\n/, '');
  const parts = body.split(/^#{3,6}\s+/m);
  const intro = parts[0]!.trim();
  const sections = parts.slice(1).map((part) => {
    const newline = part.indexOf('\n');
    const heading = (newline < 0 ? part : part.slice(0, newline)).trim();
    return { heading, text: (newline < 0 ? '' : part.slice(newline + 1)).trim() };
  });
  const rank = (h: string) => {
    const i = order.findIndex((o) => h.toLowerCase().startsWith(o));
    return i < 0 ? order.length : i;
  };
  sections.sort((a, b) => rank(a.heading) - rank(b.heading));
  return [intro, ...sections.filter((x) => x.text).map((x) => `${x.heading}:\n${x.text}`)].filter(Boolean).join('\n\n');
}

function slug(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Like {@link excerpt}, keeping line breaks (commands stay one per line); cut at a line end when it can. */
function excerptLines(text: string, max: number): string {
  const tidy = text.replace(/[ \t]{1,64}\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  if (tidy.length <= max) return tidy;
  const cut = tidy.lastIndexOf('\n', max - 1);
  return `${tidy.slice(0, cut > max / 2 ? cut : max - 1)}\n…`;
}

function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "The evidence … does not cover X; it is about …. To check X, <hint>." */
function notCovered(who: string, scoped: ScopedEvidence, hint: string): string {
  return `The evidence I have (${scoped.sources.join(', ') || 'none'}) does not cover ${who}${scoped.otherNames.length ? `; it is about ${scoped.otherNames.slice(0, 4).join(', ')}` : ''}, so I will not answer from another workload's lines. To check ${who}, ${hint}.`;
}

/** Stored diagnoses of the subject, newest first (at most 3): the answer's first part, cited as `diagnosis:<id>`. */
async function storedDiagnoses(deps: AskDeps, subject: Subject | undefined): Promise<{ answer: string; citations: Citation[] } | undefined> {
  if (!subject) return undefined;
  const found = await deps.store.list({ resource: subject.name, limit: 10 });
  // The store matches substrings ("checkout" in "checkout-api"): keep the subject and its pods only.
  const items = found.items.filter((e) => e.resources.some((r) => ownsName(r.split('/').pop(), subject.name))).slice(0, 3);
  if (items.length === 0) return undefined;
  const page = { items };
  const latest = page.items[0]!;
  const full = await deps.store.get(latest.id).catch(() => undefined);
  const citations = page.items.map((e) => ({ source: `diagnosis:${e.id}`, title: e.title, text: `${e.createdAt}: ${e.category} (${pct(e.confidence)}) on ${e.resources.join(', ')}` }));
  const older = page.items.slice(1).map((e) => `${e.createdAt.slice(0, 10)} ${e.category}`).join(', ');
  return {
    answer: `Stored diagnosis of ${subjectLabel(subject)}, ${latest.createdAt}: ${latest.category} (${pct(latest.confidence)}) — ${full?.summary ?? latest.title} [diagnosis:${latest.id}]${older ? `. Earlier: ${older}` : ''}.`,
    citations,
  };
}

/** The level a logs question asks for: the parsed one, else its words ("errors" → ERROR, "warnings" → WARN); none for "logs". */
function levelAsked(question: string, entities: AskEntities): Level | undefined {
  if (entities.level) return entities.level;
  const q = question.toLowerCase();
  if (/\bwarn(?:ing)?s?\b/.test(q) && !/\berrors?\b/.test(q)) return 'WARN';
  if (/\b(?:errors?|exceptions?|failures?|fatal|stack ?traces?|panics?|5xx)\b/.test(q)) return 'ERROR';
  if (/\bdebug\b/.test(q)) return 'DEBUG';
  return undefined;
}

/** A count of lines in the question ("last 20 error lines", "tail 50"), when the parser gave none. */
function limitAsked(question: string): number | undefined {
  const m = /\b(?:last|latest|tail|recent|show(?: me)?|first)\s+(\d{1,4})\b(?!\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\b)/i.exec(question) ?? /\b(\d{1,4})\s+(?:most recent\s+|latest\s+|last\s+)?(?:\w+\s+)?lines?\b/i.exec(question);
  return m ? Number(m[1]) : undefined;
}

/** A quoted message in the question ("was \"connection refused\" reported?"), when the parser gave none. */
function messageAsked(question: string): string | undefined {
  return /["\u201c`]([^"\u201d`]{3,200})["\u201d`]/.exec(question)?.[1]?.trim();
}
