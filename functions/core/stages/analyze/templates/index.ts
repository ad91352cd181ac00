/**
 * Streaming log template miner (analyze stage): turns log events into a short list of templates,
 * variable parts written `<*>`, with counts, times and samples.
 *
 * Pieces:
 * - {@link TemplateMiner}: `add(message, timestampMs?)` one event at a time, `match()`,
 *   `templates()`, `toJSON()` / `TemplateMiner.fromJSON()` (plain JSON, for a baseline saved by an
 *   earlier run). Memory grows with the number of templates, not lines: per template at most
 *   `maxKeysPerTemplate` remembered forms and `maxSamples` samples; global caches are bounded
 *   (`maxCachedForms`, token cache 50,000 shapes).
 * - {@link parseLogFormat} (Loghub `<Field>` formats) and {@link detectHeader} (JSON, Lambda,
 *   klog, ISO timestamp, syslog, else the whole line): raw line -> header fields + message.
 * - {@link MultilineGrouper}: joins continuation lines (stack frames, `Caused by:`, tracebacks,
 *   indented lines) to their event, so a stack trace is mined by its first line.
 *
 * How templates are found (one configuration for every log source, no per-source expressions):
 * 1. Variable-aware tokenization (after Brain, Yu et al., IEEE TSC 2023, and LILAC's
 *    preprocessing, Jiang et al., FSE 2024): each whitespace token is masked where it holds a value
 *    (numbers, hex, IPs, `host:port`, paths, URLs, UUIDs, booleans/null), keeping its punctuation
 *    (`uid=<*>`, `core.<*>`, `(<*>)`); a unit after a value joins it (`5.2 KB`), a date written with
 *    month/weekday names is one value. Masking is memoised by token shape (digits ignored).
 * 2. Runs of variables collapse in the matching form, so a value spanning several tokens still
 *    matches (Drain splits such templates); `key=<value with a variable>` matches as `key=<*>`.
 * 3. An exact-form index answers most lines; a new form is matched against generalized templates
 *    with the same first token (a variable may stand for several tokens).
 * 4. Otherwise it becomes a new template, registered among its siblings (same form but one
 *    position); when `minDistinctValues` distinct words (2 for `key=value` values) were seen at one
 *    position, that position is a variable and the siblings merge (Brain's "many distinct
 *    values" idea, made streaming). Capitalized and CamelCase kind words (`GET`/`POST`,
 *    `Started`/`Paused`, `AuthFail`) and words that name a few frequent kinds (two siblings each
 *    seen 10+ times) stay constant, so lines of different meaning that share length and first
 *    tokens stay apart (Drain merges them). Past `maxTemplates`, a new form joins its closest
 *    template instead (memory stays bounded when several unmasked words vary together).
 * Templates are written the way Loghub's corrected ground truth writes them: one `<*>` per
 * variable token, variables joined only by punctuation written as one `<*>`.
 *
 * Accuracy (`npm run eval:templates`, Loghub-2k corrected, 16 systems, defaults):
 * GA 0.9915 (Zhu et al. 2019), PA 0.8887 (Loghub-2.0 exact template match).
 *
 * @example
 * const miner = new TemplateMiner();
 * const format = parseLogFormat('<Date> <Time> <Level> <Component>: <Content>');
 * for (const line of lines) {
 *   const parsed = format.parse(line) ?? detectHeader(line);
 *   miner.add(parsed.content, parsed.timestampMs);
 * }
 * miner.templates(); // [{ templateId, template, count, firstSeen?, lastSeen?, samples }]
 */
export { TemplateMiner } from './miner.js';
export type { TemplateMinerOptions, MinedTemplate, TemplateMatch, MinerState } from './miner.js';
export { parseLogFormat, detectHeader } from './header.js';
export type { LogFormat, ParsedLine, DetectHeaderOptions } from './header.js';
export { MultilineGrouper, isContinuationLine } from './multiline.js';
export type { MultilineOptions, GroupedEvent } from './multiline.js';
export { maskToken, maskMessage, WILDCARD } from './mask.js';
export { templateHash } from './hash.js';
