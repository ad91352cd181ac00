import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileNotifier, formatMessage } from '../../../functions/adapters/local/file-notifier.js';

const message = {
  subject: '[ALARM] checkout-5xx: oom_killed (87%) in prod/checkout',
  body: 'Leading hypothesis: oom_killed (87% confidence)\n',
  attributes: { category: 'oom_killed', severity: 'high', resource: 'checkout-5xx' },
};

describe('FileNotifier', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'notifier-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes <dir>/<id>.txt with subject, attributes and body', async () => {
    const id = await new FileNotifier({ dir: path.join(dir, 'messages') }).publish(message);
    const text = await readFile(path.join(dir, 'messages', `${id}.txt`), 'utf8');
    expect(text).toBe(
      'Subject: [ALARM] checkout-5xx: oom_killed (87%) in prod/checkout\n' +
        'Attributes: category=oom_killed, severity=high, resource=checkout-5xx\n\n' +
        'Leading hypothesis: oom_killed (87% confidence)\n',
    );
  });

  it('prints to a stream and gives the same message the same id', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c) => chunks.push(String(c)));
    const notifier = new FileNotifier({ stream });
    const a = await notifier.publish(message);
    const b = await notifier.publish(message);
    const c = await notifier.publish({ ...message, body: 'other\n' });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(chunks.join('')).toContain(formatMessage(message));
  });
});
