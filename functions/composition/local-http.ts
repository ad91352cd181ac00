/** What `serve`'s registration names before the server is loaded: light (the request guard's constants only). */
/** The header a plan approval sends its token in (`serve --enable-approvals`). */
export { APPROVAL_TOKEN_HEADER } from '../adapters/http/request-guard.js';
