/**
 * Knowledge answers over the bundled runbooks (BM25, no model): pasted errors and "what now?"
 * get the passage for that error; the relevance floor keeps unrelated passages out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRunbookIndex } from '../../../functions/composition/local.js';
import { answerParsed, type AskDeps } from '../../../functions/core/ask/index.js';
import { coverage, KNOWLEDGE_FLOOR, topicTerms } from '../../../functions/core/ask/answers/knowledge.js';
import type { RunbookIndex } from '../../../functions/core/stages/retrieve/index.js';
import { MemoryDiagnoses, MemoryPlans } from '../support.js';

let runbooks: RunbookIndex;
let deps: AskDeps;
beforeAll(async () => {
  runbooks = await loadRunbookIndex([]);
  deps = { runbooks, store: new MemoryDiagnoses(), plans: new MemoryPlans() };
}, 30_000);

const knowledge = (question: string) => answerParsed({ question }, { intent: 'knowledge', entities: {} }, deps);

describe('knowledge: pasted errors get the runbook passage for that error', () => {
  it.each([
    ['Back-off restarting failed container checkout in pod checkout-7d9f8b6c5-x2mqp_shop(5c2f9e1a) what now?', 'bundled/app-crashes.md#container-exits-repeatedly-with-an-application-error-app-crash'],
    ['FATAL:  remaining connection slots are reserved for non-replication superuser connections', 'bundled/databases.md#database-or-pool-out-of-connections-db-connection-exhaustion'],
    ['x509: certificate has expired or is not yet valid', 'bundled/tls.md#certificate-expired-tls-cert-expired'],
    ['2026-11-30T07:01:02Z 3f1c Task timed out after 30.03 seconds', 'bundled/lambda.md#function-ran-past-its-timeout-lambda-timeout'],
    ['dial tcp: lookup orders-db.shop.svc on 10.100.0.10:53: no such host', 'bundled/networking-and-dns.md#names-do-not-resolve-dns-resolution'],
    ['Error: ENOSPC: no space left on device, write', 'bundled/hosts-disk-fd-pid.md#filesystem-has-no-space-left-disk-full'],
    ['Readiness probe failed: Get http://10.1.2.3:8080/ready: context deadline exceeded. what now?', 'bundled/probes.md#liveness-readiness-or-startup-probes-failing-probe-failure'],
  ])('%s', async (pasted, passage) => {
    const r = await knowledge(pasted);
    expect(r.citations[0]?.source).toBe(passage);
  });

  it('quotes the passage: the back-off paste gets the app_crash runbook text', async () => {
    const r = await knowledge('Back-off restarting failed container checkout in pod checkout-7d9f8b6c5-x2mqp_shop(5c2f9e1a) what now?');
    expect(r.answer).toMatch(/^Container exits repeatedly with an application error \(app_crash\) \[1\]:/);
    expect(r.citations[0]!.text.length).toBeGreaterThan(100);
  });

  it('names in a paste are not topic words; the error words are', () => {
    expect(topicTerms('Back-off restarting failed container checkout in pod checkout-7d9f8b6c5-x2mqp_shop(5c2f9e1a)', runbooks)).not.toContain('x2mqp');
    expect(topicTerms('Back-off restarting failed container checkout in pod checkout-7d9f8b6c5-x2mqp_shop(5c2f9e1a)', runbooks)).toContain('restar');
  });
});

describe('knowledge: the relevance floor', () => {
  it.each([
    'how do I rotate the office wifi password?',
    'how do I bake sourdough bread?',
    'how to configure the coffee machine schedule',
    'why does kubernetes hate me',
    'how do I renew my parking permit for the office garage',
  ])('%s → nothing cited, and the answer says to try --kb DIR', async (question) => {
    const r = await knowledge(question);
    expect(r.citations).toEqual([]);
    expect(r.answer).toMatch(/^Nothing in the runbooks covers this; try --kb DIR/);
  });

  it('the image-pull passage shares "rotate" and "password" with the wifi question but stays under the floor', () => {
    const topic = topicTerms('how do I rotate the office wifi password?', runbooks);
    const pull = runbooks.search('rotate password registry credentials', 1)[0]!;
    expect(pull.heading).toContain('image_pull_auth');
    expect(coverage(topic, pull, runbooks)).toBeLessThan(KNOWLEDGE_FLOOR);
  });

  it('"what now?" alone asks for the error instead of citing anything', async () => {
    const r = await knowledge('what now?');
    expect(r.answer).toBe('Paste the error line you see (or name the resource and its state), and I will look it up in the runbooks.');
    expect(r.citations).toEqual([]);
  });
});
