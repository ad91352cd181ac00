/**
 * Runs only the `templates` command (without the rest of the CLI), for trying it and for the CLI tests:
 *   npx tsx test/analyze/templates/run-cli.ts templates FILE [--log-format F] [--format jsonl|summary|json]
 * Exit codes as in functions/cli/main.ts: 2 for unreadable input or bad usage.
 */
import { Command, CommanderError } from 'commander';
import { OpsAssistantError } from '../../../functions/core/model/errors.js';
import { registerTemplatesCommand } from '../../../functions/cli/commands/templates.js';

const program = new Command('ops-assistant').exitOverride();
registerTemplatesCommand(program);
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else if (error instanceof OpsAssistantError) {
    process.stderr.write(`ops-assistant: ${error.message}\n`);
    process.exitCode = 2;
  } else throw error;
}
