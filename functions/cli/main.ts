/**
 * The `ops-assistant` command line. Thin: parses arguments (commander) and calls a command module;
 * every command module only wires local adapters to the core.
 *
 * Exit codes: 0 success, 1 unexpected failure, 2 bad usage or unreadable input.
 */
import { Command, CommanderError } from 'commander';
import { OpsAssistantError } from '../core/model/errors.js';
import { redact, showControls } from '../core/stages/compose/index.js';

/** Exit status for bad usage or unreadable input. */
export const EXIT_INPUT = 2;

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when needed: `ops-assistant templates` does not load the
 * pipeline, the model adapter or the HTTP server (a third of its start-up time).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  diagnose: async () => (await import('./commands/diagnose.js')).registerDiagnoseCommand,
  templates: async () => (await import('./commands/templates.js')).registerTemplatesCommand,
  ask: async () => (await import('./commands/ask.js')).registerAskCommand,
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
  page: async () => (await import('./commands/page.js')).registerPageCommand,
  mcp: async () => (await import('./commands/mcp.js')).registerMcpCommand,
};

/**
 * Builds the program: with `argv` whose first word names a command, that command alone (its
 * module is the only one loaded); otherwise every command (help, version, unknown words).
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('ops-assistant')
    .description('Diagnose alarms and incidents from AWS events, logs and Kubernetes evidence.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  const only = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? [argv[0]] : Object.keys(COMMANDS);
  const registers = await Promise.all(only.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program);
  return program;
}

/**
 * Runs the CLI with `argv` (without `node` and the script path) and returns the exit code.
 * Never calls `process.exit`, so output streams drain.
 */
/** An error message quoting input, made safe for a terminal: secrets masked, controls shown as `\xNN`. */
function forTerminal(message: string): string {
  return showControls(redact(message).text);
}

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
      process.stderr.write(`ops-assistant: ${forTerminal(error.message)}\n`);
      return EXIT_INPUT;
    }
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code && ['ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EISDIR', 'EADDRINUSE', 'EADDRNOTAVAIL'].includes(code)) {
      const what = code.startsWith('EADDR') ? 'cannot listen' : 'cannot write the output';
      process.stderr.write(`ops-assistant: ${what}: ${forTerminal((error as Error).message)}\n`);
      return EXIT_INPUT;
    }
    process.stderr.write(`ops-assistant: unexpected error: ${forTerminal(error instanceof Error ? error.stack ?? error.message : String(error))}\n`);
    return 1;
  }
}
