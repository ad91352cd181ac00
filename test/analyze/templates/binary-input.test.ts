import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTemplates } from '../../../functions/cli/commands/templates.js';

describe('templates on input that is not a text log', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ops-tpl-bin-'));
  it('refuses binary and empty files with a message naming the file', async () => {
    const bin = path.join(dir, 'garbage.bin');
    writeFileSync(bin, Buffer.from([0x41, 0x00, 0xff, 0x10, 0x00, 0x42]));
    await expect(runTemplates(bin, { out: { write: () => true } as never })).rejects.toThrow(/garbage\.bin: is not a text log: it contains NUL bytes/);
    const empty = path.join(dir, 'empty.log');
    writeFileSync(empty, '');
    await expect(runTemplates(empty, { out: { write: () => true } as never })).rejects.toThrow(/empty\.log: is empty/);
  });
});

describe('templates output', () => {
  it('masks secrets in every format', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ops-tpl-sec-'));
    const file = path.join(dir, 'app.log');
    writeFileSync(file, 'token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 rejected\nlogin with postgres://app:hunter2@db:5432/app failed\n');
    for (const format of ['jsonl', 'summary', 'json'] as const) {
      let out = '';
      await runTemplates(file, { format, out: { write: (s: string) => { out += s; return true; } } as never });
      expect(out).not.toContain('ghp_aBcDeF');
      expect(out).not.toContain('hunter2');
      expect(out).toContain('[REDACTED:');
    }
  });
});
