/**
 * The `ops-assistant` command line. Thin: parses arguments (commander) and calls a command module;
 * every command module only wires local adapters to the core.
 *
 * Start-up is kept short: this module and each command's registration import only commander and
 * Node built-ins, so `--help`, `--version` and `completion` never load the pipeline, the model or
 * the HTTP server; a command loads what it needs when it runs.
 *
 * Exit codes: 0 success, 1 unexpected failure, 2 bad usage or unreadable input.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { OpsAssistantError } from '../core/model/errors.js';
import { REPO_ROOT } from '../composition/paths.js';
import { examples } from './options.js';

/** Exit status for bad usage or unreadable input. */
export const EXIT_INPUT = 2;

type Register = (program: Command) => void;

/**
 * Each command's registration, loaded only when needed (registration modules are light; the
 * work is imported by the command's action).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  diagnose: async () => (await import('./commands/diagnose.js')).registerDiagnoseCommand,
  templates: async () => (await import('./commands/templates.js')).registerTemplatesCommand,
  ask: async () => (await import('./commands/ask.js')).registerAskCommand,
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
  page: async () => (await import('./commands/page.js')).registerPageCommand,
  mcp: async () => (await import('./commands/mcp.js')).registerMcpCommand,
  completion: async () => (await import('./commands/completion.js')).registerCompletionCommand,
};

/** The package's version, from `package.json`. */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Builds the program: with `argv` whose first word names a command, that command alone (its
 * registration is the only one loaded); otherwise, and for `completion` (which describes them
 * all), every command.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('ops-assistant')
    .description('Diagnose alarms and incidents from AWS events, logs and Kubernetes evidence.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  examples(program, [
    ['ops-assistant diagnose --example', 'diagnose the bundled example incident'],
    ['ops-assistant diagnose --event alarm.json --evidence pod.txt app.log', 'an alarm and its evidence'],
    ['kubectl describe pod checkout-7d9f -n shop | ops-assistant diagnose --evidence -', 'evidence from stdin'],
    ['ops-assistant ask --evidence pod.txt "why is checkout crash-looping?"', 'a question about the evidence'],
    ['ops-assistant templates app.log -o summary', 'log templates, most frequent first'],
    ['source <(ops-assistant completion bash)', 'shell completion'],
  ]);
  const first = argv[0];
  const only = first !== undefined && first !== 'completion' && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
  const registers = await Promise.all(only.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program);
  return program;
}

/** An error message quoting input, made safe for a terminal: secrets masked, controls shown as `\xNN`. */
async function forTerminal(message: string): Promise<string> {
  const [{ redact }, { showControls }] = await Promise.all([import('../core/stages/compose/redact.js'), import('../core/stages/compose/format.js')]);
  return showControls(redact(message).text);
}

/**
 * Runs the CLI with `argv` (without `node` and the script path) and returns the exit code.
 * Never calls `process.exit`, so output streams drain.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_INPUT;
    }
    if (error instanceof OpsAssistantError) {
      process.stderr.write(`ops-assistant: ${await forTerminal(error.message)}\n`);
      return EXIT_INPUT;
    }
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code && ['ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EISDIR', 'EADDRINUSE', 'EADDRNOTAVAIL'].includes(code)) {
      const what = code.startsWith('EADDR') ? 'cannot listen' : 'cannot write the output';
      process.stderr.write(`ops-assistant: ${what}: ${await forTerminal((error as Error).message)}\n`);
      return EXIT_INPUT;
    }
    process.stderr.write(`ops-assistant: unexpected error: ${await forTerminal(error instanceof Error ? error.stack ?? error.message : String(error))}\n`);
    return 1;
  }
}
