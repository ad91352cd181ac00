/**
 * The relevance floor of knowledge answers: a runbook passage is cited only when it covers most
 * of what the question is about. Coverage weighs each topic word of the question by how rare it is
 * in the runbooks (inverse document frequency over the index's passages; a word no runbook uses
 * weighs most), so "how do I rotate the office wifi password" does not cite the image-pull
 * passage for sharing "password" and "rotate" with it. Names inside pasted errors (pod, host and
 * namespace names such as `checkout-7d9f8b6c5-x2mqp_shop`) that no runbook uses are left out of
 * the topic: they say which workload, not what is wrong.
 */
import type { RunbookPassage } from '../../model/analysis.js';
import { queryTerms, type RunbookIndex } from '../../stages/retrieve/index.js';

/** Share of the question's topic weight a passage must contain to be cited. */
export const KNOWLEDGE_FLOOR = 0.5;

/** Words of how-to questions that say nothing about the topic ("how do I debug …", "what now?"). */
export const PROCEDURE_WORDS = new Set(['debug', 'fix', 'fixing', 'troubleshoot', 'troubleshooting', 'resolve', 'handle', 'deal', 'recover', 'solve', 'stop', 'prevent', 'avoid', 'should', 'happens', 'mean', 'means', 'cause', 'causes', 'explain', 'tell', 'know', 'find', 'check', 'see', 'get', 'gets', 'getting', 'steps', 'step', 'runbook', 'guide', 'best', 'way', 'practice', 'tips', 'message', 'error', 'errors', 'problem', 'issue', 'keeps', 'something', 'wrong', 'now', 'next', 'help', 'pls', 'please', 'urgent', 'asap', 'wtf', 'hmm', 'ok', 'okay']);

/** Common words that are no topic even when no runbook uses them ("whether", "being"). */
const FILLER = new Set(['whether', 'being', 'be', 'been', 'am', 'got', 'getting', 'happen', 'happens', 'happening', 'happened', 'always', 'again', 'anymore', 'really', 'just', 'still', 'even', 'also', 'every', 'many', 'much', 'lot', 'lots', 'sure', 'thing', 'things', 'stuff', 'kind', 'sort', 'seem', 'seems', 'look', 'looks', 'like', 'want', 'need', 'try', 'trying', 'tried', 'going', 'make', 'use', 'using', 'used', 'show', 'shows', 'say', 'says', 'said', 'good', 'bad', 'right', 'able', 'way', 'ways', 'someone', 'anyone', 'today', 'yesterday', 'suddenly', 'since', 'ago', 'hey', 'hi', 'hello', 'thanks', 'thank', 'guys', 'team', 'us', 'we', 'our', 'my', 'me']);

/** A crude stem so "evicting"/"evicted"/"eviction" and "pods"/"pod" meet. */
export function stem(term: string): string {
  return term.replace(/(?:ing|ion|ions|ed|es|s)$/, '').slice(0, 6);
}

/** Stemmed words of each passage, and in how many passages each occurs; per index. */
const statsByIndex = new WeakMap<RunbookIndex, { n: number; df: Map<string, number> }>();

function statsOf(index: RunbookIndex): { n: number; df: Map<string, number> } {
  let stats = statsByIndex.get(index);
  if (!stats) {
    const df = new Map<string, number>();
    for (const c of index.chunks) for (const t of new Set(queryTerms(`${c.title} ${c.headingPath.join(' ')} ${c.text}`).map(stem))) df.set(t, (df.get(t) ?? 0) + 1);
    stats = { n: index.chunks.length, df };
    statsByIndex.set(index, stats);
  }
  return stats;
}

/** Timestamps, times, UUIDs, long hex ids and request ids: noise in a pasted line. */
const NOISE = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b|\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{4,}\b/gi;

/** The question without {@link NOISE}. */
export function withoutNoise(question: string): string {
  return question.replace(NOISE, ' ').replace(/[ \t]+/g, ' ').trim();
}

/** A pasted identifier: a word with inner separators and a digit, or with several separators (`checkout-7d9f8b6c5-x2mqp_shop(5c2f)`, `orders-db.shop.svc`, `10.0.0.10:53`). */
const IDENTIFIER = /^[^\s]*[A-Za-z0-9][-_.:/@()][^\s]*$/;

/**
 * The question's topic: its stemmed query words less procedure words, less the parts of pasted
 * identifiers and the words with digits (request ids, hashes) that no runbook uses, less numbers
 * other than three-digit codes; timestamps and ids are removed first ({@link withoutNoise}).
 */
export function topicTerms(pasted: string, index: RunbookIndex): string[] {
  const question = withoutNoise(pasted);
  const { df } = statsOf(index);
  const unknownNames = new Set<string>();
  for (const word of question.split(/\s+/)) {
    const w = word.replace(/^[("'`[]{1,16}|[)"'`\],;:.!?]{1,16}$/g, '');
    if (!IDENTIFIER.test(w) || !(/\d/.test(w) || (w.match(/[-_.:/@()]/g) ?? []).length >= 2)) continue;
    for (const t of queryTerms(w)) if (!df.has(stem(t))) unknownNames.add(stem(t));
  }
  return [...new Set(queryTerms(question).filter((t) => !PROCEDURE_WORDS.has(t) && !FILLER.has(t)).map(stem))]
    // Numbers other than codes (exit 137, HTTP 503) are counts, sizes and durations: not topics.
    .filter((t) => !unknownNames.has(t) && !(/\d/.test(t) && !df.has(t)) && !(/^\d+$/.test(t) && !/^\d{3}$/.test(t)));
}

/** Share in [0, 1] of the topic's weight (inverse document frequency) that `passage` contains. */
export function coverage(topic: readonly string[], passage: Pick<RunbookPassage, 'title' | 'heading' | 'text'>, index: RunbookIndex): number {
  if (topic.length === 0) return 0;
  const { n, df } = statsOf(index);
  const idf = (t: string) => Math.log((n + 1) / ((df.get(t) ?? 0) + 0.5));
  const words = new Set(queryTerms(`${passage.title} ${passage.heading} ${passage.text}`).map(stem));
  const total = topic.reduce((s, t) => s + idf(t), 0);
  return total > 0 ? topic.filter((t) => words.has(t)).reduce((s, t) => s + idf(t), 0) / total : 0;
}

/** The passages at or above {@link KNOWLEDGE_FLOOR}, in their order. */
export function aboveFloor<P extends Pick<RunbookPassage, 'title' | 'heading' | 'text'>>(question: string, passages: readonly P[], index: RunbookIndex): P[] {
  const topic = topicTerms(question, index);
  return passages.filter((p) => coverage(topic, p, index) >= KNOWLEDGE_FLOOR);
}
