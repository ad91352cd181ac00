/**
 * The guard rails of `ask`, read from what the refused operations ARE, not from example sentences:
 *
 * - deleting a namespace: a verb of deletion (delete, remove, rm, nuke, wipe, drop, destroy, purge,
 *   kill, erase, get rid of, tear down, blow away …, or its participle in "I need ns x gone/deleted")
 *   whose object is a namespace (`namespace x`, `ns x`, `the x namespace`, `ns/x`, `namespace/x`);
 * - reading a Secret's value: a Secret named or addressed together with a way of reading its data —
 *   an output format (`-o yaml|json|jsonpath|go-template`, `-ojson`, `.data`), a plugin
 *   (`view-secret`), a decoding (`base64`, `decode`), a verb that shows it (show, print, cat, dump,
 *   reveal, export, echo, read, get, give, tell, copy …) or a value noun (value, content, data,
 *   password, token, key, creds, credentials, certificate, connection string) of, in or from it;
 *   listing names ("list the secrets", `kubectl get secrets -n x`), which Secrets a workload mounts
 *   and how-to questions are no such read;
 * - acting in `kube-system`: a request to act (an action verb in request position, a mutating
 *   kubectl command) that names kube-system in any form (`-n kube-system`, `--namespace=kube-system`,
 *   `ns=kube-system`, `kube-system/x`, "in kube-system", "the kube-system namespace");
 * - shell syntax in an action: `;`, `&&`, `||`, `|`, `$(…)`, `${…}`, backticks, `>` / `<`
 *   redirections in a request to act.
 *
 * A question about the past ("who deleted ns x?"), a how-to ("how do I delete a namespace stuck in
 * Terminating?") and quoted text (a pasted `secret "x" not found`) request nothing and are not refused.
 * Every pattern runs in linear time over a question of bounded length (gaps are bounded).
 */

/** Verbs (and phrases) that delete, in base, -ing and past forms. */
const DELETE_VERB = String.raw`(?:delete[sd]?|deleting|del|remov(?:e[sd]?|ing)|rm|nuk(?:e[sd]?|ing)|wip(?:e[sd]?|ing)(?:\s+out)?|drop(?:s|ped|ping)?|destroy(?:s|ed|ing)?|purg(?:e[sd]?|ing)|kill(?:s|ed|ing)?|eras(?:e[sd]?|ing)|zap(?:s|ped|ping)?|trash(?:es|ed|ing)?|get(?:ting)?\s+rid\s+of|got\s+rid\s+of|tear(?:s|ing)?\s+down|torn\s+down|teardown|blow(?:s|ing)?\s+away|blown\s+away|take\s+out|obliterat(?:e[sd]?|ing))`;
/** What a deletion of a namespace reads as after its object: "I need ns x gone", "want the x namespace deleted". */
const GONE = String.raw`(?:gone|deleted|removed|nuked|wiped(?:\s+out)?|dropped|destroyed|purged|killed|erased|torn\s+down|blown\s+away|trashed|zapped)`;
const NAME = String.raw`[a-z0-9][a-z0-9._-]{0,62}`;
const NS_NOUN = String.raw`(?:namespaces?|ns)`;
/**
 * Words between a deletion verb and its object: articles, fillers, "for me" — up to three, never a
 * preposition of place or another kind of object ("delete pod x in namespace y" deletes a Pod).
 */
const DET = String.raw`(?:(?:for\s+(?:me|us)|(?!(?:in|inside|within|from|of|on|at|across|under|all|every|any|pods?|po|deploy\w*|jobs?|cronjobs?|services?|svc|secrets?|configmaps?|cm|everything|resources?|stuff|things|objects?|workloads?|containers?|nodes?|replicas?|sts|statefulsets?|daemonsets?|ds|ingress\w*|pvcs?|volumes?)\b)[a-z0-9'-]{1,40})\s+){0,3}`;

/** A deletion verb followed by a namespace as its object, in every form. */
const NAMESPACE_DELETION = new RegExp([
  // delete namespace x / delete the ns x / delete ns/x / delete namespaces a b / kubectl delete ns x
  String.raw`\b${DELETE_VERB}\s+${DET}${NS_NOUN}(?:\s*[/=:]\s*|\s+)(?:named\s+|called\s+)?${NAME}`,
  // delete the x namespace / delete x ns
  String.raw`\b${DELETE_VERB}\s+${DET}${NAME}\s+${NS_NOUN}\b`,
  // delete namespace (no name: still a namespace deletion, asked of the assistant)
  String.raw`\b${DELETE_VERB}\s+${DET}${NS_NOUN}\b`,
  // "I need the x namespace gone", "want ns x deleted", "namespace x should be removed"
  String.raw`\b${NS_NOUN}(?:\s*[/=:]\s*|\s+)${NAME}\s+(?:(?:to\s+be|should\s+be|must\s+be|needs?\s+to\s+be|be|is|to|getting|get)\s+)?${GONE}\b`,
  String.raw`\b${NAME}\s+${NS_NOUN}\s+(?:(?:to\s+be|should\s+be|must\s+be|needs?\s+to\s+be|be|to|getting|get)\s+)?${GONE}\b`,
  // "namespace x: delete it", "the x namespace, nuke it"
  String.raw`\b${NS_NOUN}\b[^\n.?!]{0,60}?[:,-]\s*(?:(?:please|pls|plz|just)\s+)?${DELETE_VERB}\s+(?:it|this|that|them)\b`,
].join('|'), 'i');

/** A question about the past, or how to do something: it requests nothing. */
const NOT_A_REQUEST = /^\s*(?:(?:hey|hi|ok|so|btw|quick question)[\s,:]+)?(?:who|why|when|where|how\s+(?:do|does|did|can|could|should|would|to|come|long|often|many)|what\s+(?:happens|happened|does|do|is\s+(?:an?|the\s+(?:best|right|safe|difference))|are|if|causes?|would)|was|were|did|has|have|had|is\s+it\s+(?:safe|ok|okay|possible|a\s+good\s+idea)|explain|tell\s+me\s+(?:how|about|why))\b/i;

/** A request to delete a namespace ("kubectl delete ns shop", "tear down the staging namespace", "I need ns x gone"). */
export function deletesNamespace(question: string): boolean {
  const q = unquoted(question);
  if (/\bkubectl\s+(?:--?[a-z-]+(?:[= ]\S+)?\s+){0,4}delete\s+(?:--?[a-z-]+(?:[= ]\S+)?\s+){0,4}(?:ns|namespaces?)(?:\/|\s+|$)/i.test(q) || /(?:^|[\s;&|])k\s+delete\s+(?:ns|namespaces?)\b/i.test(q)) return true;
  if (!NAMESPACE_DELETION.test(q)) return false;
  return !NOT_A_REQUEST.test(q) || REQUEST_FORM.test(q);
}

/** Polite or direct request forms that may start with a question word ("can you…", "could I get…", "is it possible to show…"). */
const REQUEST_FORM = /^\s*(?:(?:can|could|would|will)\s+(?:you|u|ya)|(?:can|could|may|might)\s+(?:i|we)\s+(?:get|have|see|read|view|grab|look)|is\s+it\s+possible\s+(?:to|for\s+you\s+to)|pls|please|plz|i\s+(?:want|need|would\s+like|'d\s+like)|i'd\s+like|let'?s|go\s+ahead)\b/i;

/** A Secret named or addressed. */
const SECRET = String.raw`(?:secrets?|sealed-?secrets?|secret\/${NAME}|secrets\/${NAME})`;
/** Output formats and tools that print a Secret's data. */
const SECRET_OUTPUT = /(?:^|\s)(?:-o|--output)(?:\s*=\s*|\s+)?(?:yaml|json|jsonpath|go-template|template|custom-columns|wide\b)|(?:^|\s)-o(?:yaml|json|jsonpath|go-template)|\.data\b|\bview-secret\b|\bbase64\b|\bdecod(?:e[sd]?|ing)\b|\bjsonpath\b|\bgo-template\b|\bstringData\b/i;
/** Verbs that show, hand over or copy what they name. */
const REVEAL = String.raw`(?:show|shows|showing|print|printing|cat|dump|dumping|reveal|revealing|display|expose|export|exporting|echo|read|reading|fetch|get|gimme|give|giving|tell|send|paste|copy|extract|retrieve|pull|leak|open|view|see|unmask|unseal|decrypt|grab|output|spit\s+out|look\s+at|peek\s+(?:at|into)|describe)`;
/** What a Secret holds. */
const VALUE = String.raw`(?:values?|contents?|data|password|passwords|passwd|pw|pwd|pass|passphrase|tokens?|keys?|api[\s_-]?keys?|access[\s_-]?keys?|private[\s_-]?keys?|secret[\s_-]?keys?|creds|credentials?|certs?|certificates?|connection[\s_-]?strings?|dsn|username|user\s*name|login|plain\s*text|clear\s*text|literal|base64|stuff|what'?s\s+(?:in|inside))`;

const SECRET_READ = new RegExp([
  // show secret x / print the x secret / cat the secret / give me secret/x
  String.raw`\b${REVEAL}\b[^\n.?!]{0,40}?\b${SECRET}(?![\w-]*\s+(?:names?|list|exists?|mounted|references?|is\s+(?:missing|mounted)|not\s+found))`,
  // the password / value / creds of|in|from|inside (the) secret x / x secret
  String.raw`\b${VALUE}\b[^\n.?!]{0,40}?\b(?:of|in|from|inside|within|stored\s+in|held\s+in|kept\s+in|for|under)\s+(?:the\s+|that\s+|this\s+|all\s+(?:the\s+)?|every\s+|these\s+|those\s+)?(?:${SECRET}|${NAME}\s+secret)\b`,
  // secret x's password / the x secret's token / secret x password?
  String.raw`\b(?:secret\s+${NAME}|${NAME}\s+secret|secret)(?:'s)?\s+(?:${VALUE})\b`,
  // secrets with their values / all secrets and their data
  String.raw`\b${SECRET}\b[^\n.?!]{0,30}?\b(?:with|and|including|plus|incl\.?)\s+(?:their|the|its|all)\s+(?:${VALUE})\b`,
  // what does secret x contain / what's in(side) the x secret
  String.raw`\bwhat\s+(?:does|do|did)\s+(?:the\s+)?(?:secret\s+${NAME}|${NAME}\s+secret|secret)\s+(?:contain|hold|store|say|have)\b`,
  String.raw`\bwhat(?:'s|s|\s+is|\s+are)?\s+(?:in|inside|stored\s+in)\s+(?:the\s+)?(?:secret\s+${NAME}|${NAME}\s+secret|secret\/${NAME})`,
].join('|'), 'i');

/** Listing Secrets by name, or asking which a workload uses: no value is read. */
const SECRET_LISTING = /^\s*(?:(?:can\s+you|could\s+you|pls|please)\s+)?(?:list|ls|count|how\s+many|which|what|show(?:\s+me)?\s+(?:the\s+)?(?:secret\s+)?names)\b[^\n.?!]{0,30}?\bsecret(?:s|\s+names)\b(?![^\n.?!]{0,40}\b(?:values?|contents?|data|passwords?|tokens?|decod|base64)\b)|\b(?:kubectl|k|kc|oc)\s+get\s+secrets?(?:\s+(?:-n|--namespace)(?:\s+|=)\S+|\s+(?:-A|--all-namespaces))*\s*$|\b(?:names?|list)\s+of\s+(?:the\s+|all\s+)?secrets\b/i;

/** Credentials by name: asking for one is asking for a Secret's value, whether or not the word "secret" is said. */
const CREDENTIAL = String.raw`(?:password|passwords|passwd|pw|pwd|passphrase|tokens?|api[\s_-]?keys?|access[\s_-]?keys?|private[\s_-]?keys?|secret[\s_-]?keys?|signing[\s_-]?keys?|creds|credentials?|connection[\s_-]?strings?)`;
const CREDENTIAL_READ = new RegExp([
  // "tell me the db password from x", "give me the api key", "pls print the admin creds"
  String.raw`^\s*(?:(?:hey|ok|so|now|quick(?:ly)?)[\s,:!]+)*(?:(?:please|pls|plz|just|can\s+(?:you|u)|could\s+(?:you|u)|would\s+(?:you|u)|i\s+(?:want|need)(?:\s+you\s+to)?)\s+)*${REVEAL}\s+(?:(?:out|up|over|back)\s+)?(?:me\s+|us\s+)?(?:(?:the|a|our|my|its|their|current)\s+)?(?:[a-z0-9_.-]{1,40}\s+){0,3}${CREDENTIAL}\b(?!\s+(?:expir|rotat|error|fail|invalid|limit|usage|count))`,
  // "I forgot the postgres password, can you get it from the cluster?"
  String.raw`\b${CREDENTIAL}\b[^\n]{0,60}?\b(?:can|could|would)\s+(?:you|u)\s+(?:please\s+|pls\s+)?${REVEAL}\s+(?:me\s+|us\s+)?(?:it|that|this|them|those)\b`,
  // "what's the db password for x", "what is the token in x"
  String.raw`\bwhat(?:'s|s|\s+is|\s+are)\s+(?:the\s+)?(?:[a-z0-9_.-]{1,40}\s+){0,2}${CREDENTIAL}\s+(?:for|of|in|from|to|inside|stored)\b`,
].join('|'), 'i');

/** "what's the password …", "what is in …": a question that asks for a value. */
const ASKS_VALUE = new RegExp(String.raw`\bwhat(?:'s|s|\s+is|\s+are)\s+(?:the\s+)?(?:${VALUE}|in|inside)\b`, 'i');

/** A request for the value of a Secret, in any phrasing ("kubectl get secret x -o yaml", "what's the db password in secret x"). */
export function readsSecretValue(question: string): boolean {
  const q = unquoted(question);
  // "how do I get the password out of secret db-creds" asks for that value too; a how-to about
  // Secrets in general ("how do I read a secret value with kubectl") names none and reads none.
  if (/^\s*(?:how|why|who|when)\b/i.test(q) && !REQUEST_FORM.test(q) && !(namedSecret(q) && SECRET_READ.test(q))) return false;
  if (CREDENTIAL_READ.test(q)) return true;
  if (!/\bsecret|view-secret/i.test(q)) return false;
  if (SECRET_LISTING.test(q) && !SECRET_OUTPUT.test(q)) return false;
  // A how-to without a Secret's name ("how do I decode a secret?", "what is a secret") reads no value.
  if (NOT_A_REQUEST.test(q) && !REQUEST_FORM.test(q) && !ASKS_VALUE.test(q) && !namedSecret(q)) return false;
  if (SECRET_OUTPUT.test(q) && /\bsecrets?\b|secret\/|view-secret/i.test(q)) return true;
  return SECRET_READ.test(q);
}

/**
 * A request to list Secrets by name ("list the secret names in ns auth", `kubectl get secrets -n x`):
 * no value is read, so it is not refused; it is answered with the command that shows names only.
 */
export function listsSecretNames(question: string): boolean {
  // "no values needed", "without the values": a listing that says it wants no value.
  const q = unquoted(question).replace(/\b(?:no|without|not|never|minus|excluding)\s+(?:the\s+|their\s+|any\s+)?(?:values?|data|contents?)\b/gi, ' ');
  return SECRET_LISTING.test(q) && !SECRET_OUTPUT.test(q) && !readsSecretValue(q) && !/^\s*(?:how|why|what\s+(?:is|are)\s+an?)\b/i.test(q);
}

/** A Secret's name in the question (`secret x`, `the x secret`, `secret/x`). */
function namedSecret(q: string): boolean {
  // "in a Secret", "any secret": a Secret in general, not one by name.
  const after = [...q.matchAll(/(?<!\b(?:a|an|any|every|each|some|one)\s{1,4})\bsecret(?:\/|\s+(?:named\s+|called\s+)?)([a-z0-9][a-z0-9._-]{1,62})/gi)];
  const before = [...q.matchAll(/\b([a-z0-9][a-z0-9._-]{1,62})\s+(?=secret\b)/gi)];
  for (const m of [...after, ...before]) {
    const name = m[1]!.toLowerCase();
    if (!/^(?:a|an|the|is|in|of|for|to|from|out|and|or|my|our|your|this|that|k8s|kubernetes|kube|generic|opaque|tls|new|existing|which|what|each|every|any|some|value|values|data|contains?|holds?|does|do|resource|object|objects|works?|is|are|was|were|with|via|using|as|into)$/.test(name)) return true;
  }
  return false;
}

/** `kube-system` in any spelling the question can hold. */
const KUBE_SYSTEM = /(?<![\w-])kube[-_ ]?sys(?:tem)?(?![\w])/i;

/** A request to act on the cluster: an action verb in request position, or a mutating kubectl command. */
const ACT = String.raw`(?:restart|rollout|roll\s+back|rollback|roll\s+out|revert|undo|scale|scaled?\s+(?:up|down|out|in)|bounce|recycle|redeploy|reboot|kill|delete|del|remove|rm|nuke|wipe|drop|destroy|purge|evict|drain|cordon|uncordon|patch|edit|apply|replace|create|exec|annotate|label|taint|set|update|upgrade|downgrade|change|modify|bump|stop|start|pause|resume|suspend|disable|enable|deploy|install|uninstall|move|migrate|expose|autoscale|tear\s+down|get\s+rid\s+of)`;
const ACTION_REQUEST = new RegExp(String.raw`^\s*(?:(?:hey|ok|okay|so|now|then|quick(?:ly)?|urgent(?:ly)?|asap)[\s,:!]+)*(?:(?:please|pls|plz|kindly|just|go\s+ahead\s+and|can\s+(?:you|u)|could\s+(?:you|u)|would\s+(?:you|u)|will\s+(?:you|u)|i\s+(?:want|need|would\s+like)\s+(?:you\s+)?to|let'?s|we\s+(?:need|should|must)\s+(?:to\s+)?|help\s+me)\s+)*(?:(?:kubectl|k|kc|oc)\s+(?:-{1,2}[a-z-]+(?:[= ]\S+)?\s+){0,4}(?:rollout\s+)?)?${ACT}\b|(?:^|[\s;&|(])(?:kubectl|k|kc|oc)\s+(?:-{1,2}[a-z-]+(?:[= ]\S+)?\s+){0,4}(?:rollout\s+(?:restart|undo|pause|resume)|scale|delete|patch|edit|apply|replace|create|exec|annotate|label|taint|set|drain|cordon|uncordon|autoscale|expose)\b|^\s*[a-z0-9][a-z0-9._/-]{0,80}(?:\s+(?:-n|--namespace)(?:\s+|=)\S+)?\s+(?:--replicas\b|-{1,2}replicas)|\b(?:kube[-_ ]?system|kube-system\/\S+)\s*[:,-]\s*(?:please\s+|pls\s+)?${ACT}\b`, 'i');

/** A request in the passive or as a need: "x should be restarted", "I want x scaled to 3", "x needs a restart". */
const PASSIVE_REQUEST = /\b(?:should|must|needs?\s+to|has\s+to|have\s+to|ought\s+to|to)\s+be\s+(?:restarted|rebooted|scaled(?:\s+(?:up|down|out|in))?|rolled\s+(?:back|out)|reverted|deleted|removed|killed|drained|cordoned|uncordoned|bounced|recycled|redeployed|patched|edited|updated|changed|evicted)\b|\b(?:want|need|would\s+like|'d\s+like)\s+(?:that\s+)?[^\n.?!]{1,60}?\s(?:(?:is|be|get|gets|to\s+be)\s+)?(?:restarted|rebooted|scaled|rolled\s+back|reverted|deleted|removed|killed|drained|cordoned|bounced|recycled|redeployed)\b|\bneeds?\s+(?:a\s+)?(?:restart|reboot|rollback|redeploy|bounce|drain)\b/i;

/** A request to act (restart, scale, delete, kubectl …) rather than a question about state or a how-to. */
export function requestsAction(question: string): boolean {
  const q = unquoted(question).trim();
  if (NOT_A_REQUEST.test(q) && !REQUEST_FORM.test(q)) return false;
  return ACTION_REQUEST.test(q) || PASSIVE_REQUEST.test(q);
}

/** A request that acts in kube-system: refused whatever the verb. */
export function actsInKubeSystem(question: string, readAsAction: boolean): boolean {
  const q = unquoted(question);
  return KUBE_SYSTEM.test(q) && (readAsAction || requestsAction(q));
}

/** Shell control syntax: `;`, `&&`, `||`, `|`, `$(…)`, `${…}`, backticks, `>` / `<` redirections. */
const SHELL = /\n[ \t]{0,8}(?:sudo[ \t]+)?(?:rm|curl|wget|sh|bash|zsh|nc|ncat|kubectl|chmod|chown|python3?|perl|dd|mkfs|shutdown|reboot)\s|;|&&|\|\||(?<![|])\|(?![|])|\$\(|\$\{|`|&\s*(?:rm|curl|wget|sh|bash|zsh|nc|ncat|kubectl|cat|chmod|chown|sudo|python3?|perl|echo|dd|mkfs|shutdown|reboot|disown|nohup|kill)\b|&\s*$|(?:^|\s|\w)>{1,2}\s*[\w/.~-]|(?:^|\s)<\s*[\w/.~-]|\$[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Shell syntax in a request to act: refused rather than read around. `3->6` is a range, not a
 * redirection; quoted text (a pasted message) is not a command.
 */
export function shellInAction(question: string, readAsAction: boolean): boolean {
  const q = unquoted(question).replace(/(\d)[ \t]{0,8}->(?=[ \t]{0,8}\d)/g, '$1 to ').replace(/[<>]=?[ \t]{0,8}(?=\d)/g, ' over ');
  return SHELL.test(q) && (readAsAction || requestsAction(q));
}

/** The question with double-quoted text blanked: a pasted message is not a request. */
function unquoted(question: string): string {
  return question.replace(/[\u2018\u2019]/g, "'").replace(/"[^"\n]{0,400}"|“[^”\n]{0,400}”/g, '""');
}

/** Deleting many objects at once ("delete all pods in ns x", "remove everything in staging"): refused like a namespace. */
const MASS_DELETION = new RegExp(String.raw`\b${DELETE_VERB}\s+(?:(?:the|them|of)\s+){0,2}(?:all|every(?:thing)?|each|whatever)\b(?!\s+(?:the\s+)?(?:evicted|failed|completed|stuck|terminating|crashing|pending|errored|error)\s+pods?\b)`, 'i');

/** A request to delete many objects at once; deleting one named Pod is the only deletion planned. */
export function deletesMany(question: string): boolean {
  const q = unquoted(question);
  return MASS_DELETION.test(q) && (!NOT_A_REQUEST.test(q) || REQUEST_FORM.test(q));
}

/** Why a request is refused by the guard rails, or undefined. `readAsAction`: the reader read an action. */
export function guardRefusal(question: string, readAsAction: boolean): { readonly code: 'namespace' | 'secret' | 'kube-system' | 'shell'; readonly message: string } | undefined {
  if (shellInAction(question, readAsAction)) return { code: 'shell', message: 'an action request may not contain shell syntax (`$( )`, backticks, ;, |, &&, ||, <, >); name the workload and namespace in plain words' };
  if (deletesNamespace(question)) return { code: 'namespace', message: 'Deleting namespaces is refused outright.' };
  if (deletesMany(question)) return { code: 'namespace', message: 'Deleting many objects at once is refused; only deleting one named Pod (so its controller recreates it) can be planned.' };
  if (readsSecretValue(question)) return { code: 'secret', message: 'Reading Secrets is refused: the assistant never reads or reveals secret values.' };
  if (actsInKubeSystem(question, readAsAction)) return { code: 'kube-system', message: 'Anything in kube-system is refused: changes to cluster components go through your platform team.' };
  return undefined;
}
