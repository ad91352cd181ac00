import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../../../functions/core/model/diagnosis.js';
import type { IncidentMessage, Notifier } from '../../../../functions/core/ports/notifier.port.js';
import { deliver, stableStringify } from '../../../../functions/core/stages/deliver/index.js';
import { DirectoryStore } from '../../../../functions/adapters/local/directory-store.js';
import { FileNotifier } from '../../../../functions/adapters/local/file-notifier.js';
import { makeDiagnosis } from '../../../compose/fixtures/diagnosis.js';

/** Records what was published (a test double of the Notifier port). */
class RecordingNotifier implements Notifier {
  readonly messages: IncidentMessage[] = [];
  async publish(message: IncidentMessage): Promise<string> {
    this.messages.push(message);
    return `m-${this.messages.length}`;
  }
}

describe('deliver', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'deliver-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes JSON (sorted keys), Markdown and HTML, and publishes once with a link to the HTML', async () => {
    const store = new DirectoryStore(root);
    const notifier = new RecordingNotifier();
    const d = makeDiagnosis();
    const result = await deliver(d, {
      store,
      notifier,
      renderHtml: (x: Diagnosis) => `<html><body><h1>${x.id}</h1></body></html>`,
      reportUrl: (key) => `https://reports.example/${key}`,
    });
    expect(result).toEqual({ key: 'diagnoses/2026/11/30/inc-0123456789abcdef0123.json', created: true, messageId: 'm-1' });
    const dir = path.join(root, 'diagnoses/2026/11/30');
    expect((await readdir(dir)).sort()).toEqual(['inc-0123456789abcdef0123.html', 'inc-0123456789abcdef0123.json', 'inc-0123456789abcdef0123.md']);
    const json = await readFile(path.join(dir, 'inc-0123456789abcdef0123.json'), 'utf8');
    expect(json).toBe(stableStringify(d));
    expect(Object.keys(JSON.parse(json))).toEqual([...Object.keys(JSON.parse(json))].sort());
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(d)));
    expect(notifier.messages).toHaveLength(1);
    expect(notifier.messages[0]!.body).toContain('Full report:\nhttps://reports.example/diagnoses/2026/11/30/inc-0123456789abcdef0123.html\n');
  });

  it('does not publish again when the same diagnosis is delivered again', async () => {
    const store = new DirectoryStore(root);
    const notifier = new RecordingNotifier();
    const first = await deliver(makeDiagnosis(), { store, notifier });
    const again = await deliver(makeDiagnosis({ createdAt: '2026-11-30T07:05:00.000Z' }), { store, notifier });
    expect(first.created).toBe(true);
    expect(again).toEqual({ key: first.key, created: false });
    expect(notifier.messages).toHaveLength(1);
    // The stored document is the first one.
    expect((await store.get('inc-0123456789abcdef0123'))?.createdAt).toBe('2026-11-30T07:00:01.000Z');
  });

  it('links the Markdown report when no HTML renderer is given, and writes no HTML', async () => {
    const notifier = new RecordingNotifier();
    await deliver(makeDiagnosis(), { store: new DirectoryStore(root), notifier, reportUrl: (key) => `file:///${key}` });
    expect(notifier.messages[0]!.body).toContain('inc-0123456789abcdef0123.md');
    expect(await readdir(path.join(root, 'diagnoses/2026/11/30'))).not.toContain('inc-0123456789abcdef0123.html');
  });

  it('works end to end with the file notifier', async () => {
    const messages = path.join(root, 'messages');
    const result = await deliver(makeDiagnosis(), { store: new DirectoryStore(root), notifier: new FileNotifier({ dir: messages }) });
    expect(result.messageId).toMatch(/^msg-[0-9a-f]{20}$/);
    const text = await readFile(path.join(messages, `${result.messageId}.txt`), 'utf8');
    expect(text.split('\n')[0]).toBe('Subject: [ALARM] checkout-5xx in prod/checkout: oom_killed (87%)');
  });
});
