/**
 * The local input checks a command needs before it loads anything heavy (`templates` reads its
 * file itself): light, unlike `local.ts`, which wires the whole pipeline.
 */
/** Why an input's first bytes are not text (gzip, zip, ELF, PNG, NUL bytes, control characters); undefined for text. */
export { binaryReason } from '../adapters/local/evidence-file.collector.js';
/** The header a plan approval sends its token in (`serve --enable-approvals`). */
export { APPROVAL_TOKEN_HEADER } from '../adapters/http/request-guard.js';
