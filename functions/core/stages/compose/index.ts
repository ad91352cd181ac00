/**
 * The compose stage: the diagnosis document, its Markdown report and terminal summary, and
 * secret redaction.
 */
export { compose, summarize, COMPOSE_LIMITS, type ComposeParts } from './compose.js';
export { redact, redactDeep, redactingReplacer, mask, mergeRedactions, type RedactResult } from './redact.js';
export { renderMarkdown, escapeMarkdown, escapeMarkdownWithCategories, tableCell, inlineCode, codeBlock } from './markdown.js';
export { renderText, renderSummary, TEXT_WIDTH, SUMMARY_MAX_LINES, type TextStyle } from './text.js';
export { categoryLabel, CATEGORY_LABELS } from './labels.js';
export { alarmCondition, percent, evidenceLocation, primaryResource, kubernetesLocation, truncate, wrap, wrapCommand, wrapExact, wrapWords, plainText, showControls, jsonText } from './format.js';
export { validateDiagnosis, assertValidDiagnosis, InvalidDiagnosisError, type DiagnosisValidation } from './validate.js';
