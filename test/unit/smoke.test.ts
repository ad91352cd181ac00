import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

describe('package', () => {
  it('exposes the ops-assistant binary', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.bin['ops-assistant']).toBe('bin/ops-assistant.js');
  });
});
