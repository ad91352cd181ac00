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
