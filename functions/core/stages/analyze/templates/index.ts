/**
 * Streaming log template miner (analyze stage). See {@link TemplateMiner}.
 */
export { TemplateMiner } from './miner.js';
export type { TemplateMinerOptions, MinedTemplate, TemplateMatch, MinerState } from './miner.js';
export { parseLogFormat, detectHeader } from './header.js';
export type { LogFormat, ParsedLine } from './header.js';
export { MultilineGrouper, isContinuationLine } from './multiline.js';
export type { MultilineOptions, GroupedEvent } from './multiline.js';
export { maskToken, maskMessage, WILDCARD } from './mask.js';
export { templateHash } from './hash.js';
