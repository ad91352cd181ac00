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

  it('catch each broken rule in the fixture tree, and only the imports that break it', async () => {
    const errors = await violations(path.join(ROOT, 'test/architecture/fixtures'), 'functions');
    // the SDK resolves wherever node_modules is (a worktree may link it): only its package path is compared
    expect(errors.map((v) => `${v.rule.name}: ${v.from} → ${v.to.replace(/^.*node_modules\//, 'node_modules/')}`).sort()).toEqual([
      'cli-adapters-through-composition: functions/cli/command.ts → functions/adapters/files.ts',
      'composition-not-handlers: functions/composition/root.ts → functions/handlers/handler.ts',
      'core-no-aws-sdk: functions/core/impure.ts → node_modules/@aws-sdk/client-s3/dist-cjs/index.js',
      'core-no-fs: functions/core/impure.ts → fs',
      'core-no-outer-layers: functions/core/impure.ts → functions/adapters/files.ts',
      'stages-meet-in-pipeline: functions/core/stages/alpha/index.ts → functions/core/stages/beta/inner.ts',
    ]);
  }, 60_000);
});
