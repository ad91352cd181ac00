/**
 * The chat notification (Amazon Q Developer in chat applications' custom-notification format):
 * shape, content, bounds, and that text from the evidence cannot mention, link or break out of code.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../../../functions/core/model/diagnosis.js';
import type { IncidentMessage, Notifier } from '../../../../functions/core/ports/notifier.port.js';
import { CHAT_EVENT_TYPE, CHAT_LIMITS, chatCode, chatMessage, chatNotification, chatText, deliver, incidentSubject } from '../../../../functions/core/stages/deliver/index.js';
import { DirectoryStore } from '../../../../functions/adapters/local/directory-store.js';
import { makeDiagnosis } from '../../../compose/fixtures/diagnosis.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPORT = 'https://reports.example/diagnoses/2026/11/30/inc-0123456789abcdef0123.html';

/** `d` with the leading hypothesis's evidence and actions replaced. */
function withLead(d: Diagnosis, lead: Partial<Diagnosis['hypotheses'][number]>, summary?: string): Diagnosis {
  return { ...d, ...(summary !== undefined ? { summary } : {}), hypotheses: [{ ...d.hypotheses[0]!, ...lead }, ...d.hypotheses.slice(1)] };
}

describe('chatNotification', () => {
  const d = makeDiagnosis();

  it('is a custom notification: version 1.0, source custom, client-markdown, threaded by incident', () => {
    const n = chatNotification(d, { reportUrl: REPORT });
    expect(n.version).toBe('1.0');
    expect(n.source).toBe('custom');
    expect(n.id).toBe(d.id);
    expect(n.content.textType).toBe('client-markdown');
    expect(n.metadata.threadId).toBe(d.incident.id);
    expect(n.metadata.eventType).toBe(CHAT_EVENT_TYPE);
  });

  it('titles with the e-mail subject convention and describes verdict, evidence, runbooks and the report link', () => {
    const n = chatNotification(d, { reportUrl: REPORT });
    expect(n.content.title).toBe(incidentSubject(d)); // one convention for e-mail and chat
    expect(n.content.title).toMatch(/^\[ALARM\] checkout-5xx\b.*oom_killed \(87%\)/);
    const { description } = n.content;
    expect(description).toContain('memory limit (oom_killed) at 87% confidence');
    expect(description).toContain('• pod.txt:14 `');
    expect(description).toMatch(/`[^`\n]*OOMKilled[^`\n]*`/);
    expect(description).toContain('[REDACTED:password-in-url]');
    expect(description).not.toContain('Sup3rS3cret');
    expect(description).not.toContain('fourth line not in the e-mail'); // top three lines only
    expect(description).toContain(`Full report: ${REPORT}`);
    expect(description).toContain(`Diagnosis ${d.id}`);
    expect(n.metadata.additionalContext).toMatchObject({ diagnosisId: d.id, category: 'oom_killed', severity: 'high', reportUrl: REPORT });
    expect(n.metadata.summary).toBe('checkout-5xx: oom_killed (87%)');
  });

  it('lists the first actions with their commands as next steps, and the verdict as keywords', () => {
    const n = chatNotification(d);
    const lead = d.hypotheses[0]!;
    expect(n.content.nextSteps.length).toBe(Math.min(lead.actions.length, CHAT_LIMITS.nextStepsMaxItems));
    const withCommand = lead.actions.findIndex((a) => a.command);
    expect(n.content.nextSteps[withCommand]).toContain(`\`${lead.actions[withCommand]!.command}\``);
    expect(n.content.keywords).toEqual(expect.arrayContaining(['oom_killed', 'high', 'ALARM', 'prod/checkout']));
    expect(n.content.description).not.toContain('Full report:');
  });

  it('escapes evidence so it can neither mention the channel, nor link, nor end its code span', () => {
    const hostile = withLead(d, {
      evidence: [
        { text: 'ERROR <!channel> <https://evil.example|click> @here `rm -rf /` & done', source: 'app.log', line: 7 },
        { text: 'status <none> ``` fenced', source: 'app.log', line: 8 },
      ],
      actions: [{ description: 'Page @everyone now', command: 'kubectl logs deploy/x | grep `whoami`' }],
    });
    const n = chatNotification(hostile);
    const all = JSON.stringify(n.content);
    expect(all).not.toMatch(/<!channel>|<https?:/);
    expect(all).not.toMatch(/@(here|everyone|channel)\b/);
    expect(n.content.description).toContain('&lt;!channel&gt;');
    expect(n.content.description).toContain('&amp; done');
    // Each evidence bullet holds exactly one code span: two backticks.
    for (const line of n.content.description.split('\n').filter((l) => l.startsWith('• '))) expect(line.split('`').length - 1, line).toBe(2);
    expect(n.content.nextSteps[0]!.split('`').length - 1).toBe(2);
  });

  it('keeps every field within its bound for a huge diagnosis, cutting the summary last', () => {
    const long = 'x'.repeat(20_000);
    const huge = withLead(makeDiagnosis({ alarmName: `alarm-${'y'.repeat(400)}` }), {
      evidence: Array.from({ length: 10 }, (_, i) => ({ text: `${long} <${i}>`, source: 'big.log', line: i + 1 })),
      actions: Array.from({ length: 12 }, (_, i) => ({ description: `step ${i} ${long}`, command: `kubectl get pods ${long}` })),
    }, `${'<summary> '.repeat(3000)}`);
    const n = chatNotification(huge, { reportUrl: REPORT });
    const chars = (s: string) => Array.from(s).length;
    expect(chars(n.content.title)).toBeLessThanOrEqual(CHAT_LIMITS.titleMaxChars);
    expect(chars(n.content.description)).toBeLessThanOrEqual(CHAT_LIMITS.descriptionMaxChars);
    expect(n.content.description).toContain(`Full report: ${REPORT}`);
    expect(n.content.description).toMatch(/…/);
    expect(n.content.nextSteps).toHaveLength(CHAT_LIMITS.nextStepsMaxItems);
    for (const step of n.content.nextSteps) expect(step.split('`').length - 1).toBeLessThanOrEqual(2);
    expect(n.content.keywords.length).toBeLessThanOrEqual(CHAT_LIMITS.keywordsMaxItems);
    expect(n.metadata.summary.length).toBeLessThanOrEqual(CHAT_LIMITS.summaryMaxChars);
    expect(new TextEncoder().encode(chatMessage(huge).body).length).toBeLessThan(64 * 1024);
  });

  it('chatText and chatCode escape what Slack requires and keep code on one line', () => {
    expect(chatText('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(chatCode('one\ntwo `three`')).toBe('`one two ˋthreeˋ`');
  });
});

describe('chatMessage', () => {
  it('carries the notification as JSON with the incident message\'s subject and filter attributes', () => {
    const d = makeDiagnosis();
    const m = chatMessage(d, { reportUrl: REPORT });
    expect(JSON.parse(m.body)).toEqual(chatNotification(d, { reportUrl: REPORT }));
    expect(m.subject).toBe(incidentSubject(d));
    expect(m.attributes).toEqual({ category: 'oom_killed', severity: 'high', resource: 'checkout-5xx' });
  });
});

class RecordingNotifier implements Notifier {
  readonly messages: IncidentMessage[] = [];
  constructor(private readonly fail = false) {}
  async publish(message: IncidentMessage): Promise<string> {
    if (this.fail) throw new Error('topic unreachable');
    this.messages.push(message);
    return `m-${this.messages.length}`;
  }
}

describe('deliver with a chat notifier', () => {
  it('publishes the e-mail message and the chat notification once, and neither on a replay', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'deliver-chat-'));
    try {
      const store = new DirectoryStore(root);
      const notifier = new RecordingNotifier();
      const chat = new RecordingNotifier();
      const d = makeDiagnosis();
      const first = await deliver(d, { store, notifier, chatNotifier: chat, reportUrl: (key) => `https://reports.example/${key}` });
      expect(first).toMatchObject({ created: true, messageId: 'm-1', chatMessageId: 'm-1' });
      expect(notifier.messages[0]!.body).not.toMatch(/^\{/);
      const sent = JSON.parse(chat.messages[0]!.body);
      expect(sent.source).toBe('custom');
      expect(sent.content.description).toContain('https://reports.example/diagnoses/2026/11/30/inc-0123456789abcdef0123.md');
      const replay = await deliver(d, { store, notifier, chatNotifier: chat });
      expect(replay.created).toBe(false);
      expect(notifier.messages).toHaveLength(1);
      expect(chat.messages).toHaveLength(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('still publishes the e-mail message when chat fails, and reports the failure', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'deliver-chat-'));
    try {
      const notifier = new RecordingNotifier();
      await expect(deliver(makeDiagnosis(), { store: new DirectoryStore(root), notifier, chatNotifier: new RecordingNotifier(true) })).rejects.toThrow('topic unreachable');
      expect(notifier.messages).toHaveLength(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
