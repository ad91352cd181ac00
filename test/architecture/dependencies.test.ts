/**
 * The dependency rule (.dependency-cruiser.cjs): the core imports no AWS SDK, no node:fs and no
 * outer layer. Checked with dependency-cruiser over the real tree, and over a fixture that breaks
 * each rule (so the check itself is shown to work).
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs');
const ROOT = path.resolve(import.meta.dirname, '../..');

async function violations(cwd: string, dir: string) {
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const result = await cruise([dir], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } });
    const output = result.output as { summary: { violations: Array<{ rule: { name: string; severity: string }; from: string; to: string }> } };
    return output.summary.violations.filter((v) => v.rule.severity === 'error');
  } finally {
    process.chdir(previous);
  }
}

describe('dependency rules', () => {
  it('hold for functions/', async () => {
    const errors = await violations(ROOT, 'functions');
    expect(errors.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 60_000);

  it('catch a core module importing node:fs, the AWS SDK and an adapter', async () => {
    const errors = await violations(path.join(ROOT, 'test/architecture/fixtures'), 'functions');
    expect(new Set(errors.map((v) => v.rule.name))).toEqual(new Set(['core-no-fs', 'core-no-aws-sdk', 'core-no-outer-layers']));
  }, 60_000);
});
