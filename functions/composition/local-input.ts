/**
 * The local input check `templates` needs before mining (it reads its file itself), without
 * wiring the pipeline as `local.ts` does.
 */
/** Why an input's first bytes are not text (gzip, zip, ELF, PNG, NUL bytes, control characters); undefined for text. */
export { binaryReason } from '../adapters/local/evidence-file.collector.js';
/** Checks an evidence file (exists, a file, not empty, not binary) before the pipeline loads; throws `InvalidInputError`. */
export { checkEvidenceFile } from '../adapters/local/evidence-file.collector.js';
