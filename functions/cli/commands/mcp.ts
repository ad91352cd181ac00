/**
 * `ops-assistant mcp`: serves the product as a Model Context Protocol server over stdio (the
 * transport editors start a local server with). Stdout carries the protocol alone: everything
 * else a library might print goes to stderr. Returns when the client closes stdin.
 */
import type { Command } from 'commander';
import type { McpRuntime } from '../mcp/server.js';
import { examples } from '../options.js';

/** Registers `mcp` on `program`. */
export function registerMcpCommand(program: Command): void {
  const command = program
    .command('mcp')
    .description('Serve diagnose, ask, the stored diagnoses and the runbooks as a Model Context Protocol server over stdio (read-only).')
    .option('--out <dir>', 'store root the diagnoses are listed and read from', 'out')
    .option('--kb <dir...>', 'extra runbook folders (Markdown), searched and served as resources besides the bundled ones', (v: string, p: string[]) => [...p, v], [])
    .option('--no-model', 'rank and read questions with rules only (skip the ONNX models)')
    .action(async (options: McpCliOptions) => {
      // Loaded when the server starts, not for --help (the SDK and the pipeline).
      const [{ StdioServerTransport }, { CLI_EVIDENCE_HINT, diagnoseInputs, localAskDeps, localRunbookDocuments, localStore }, { createMcpServer }] = await Promise.all([
        import('@modelcontextprotocol/sdk/server/stdio.js'), import('../../composition/local.js'), import('../mcp/server.js'),
      ]);
      // Stdout is the protocol: console output of any library goes to stderr instead.
      for (const method of ['log', 'info', 'debug'] as const) console[method] = (...args: unknown[]) => console.error(...args);
      const kbDirs = options.kb ?? [];
      const useModel = options.model !== false;
      const runtime: McpRuntime = {
        diagnose: (input) => diagnoseInputs({ ...input, kbDirs, useModel }),
        askDeps: (evidencePaths) => localAskDeps({
          outDir: options.out, evidencePaths, kbDirs, useModel, proposalsOnly: true,
          evidenceHint: CLI_EVIDENCE_HINT.replace('run again with --evidence FILE', 'call ask again with evidencePaths'),
        }),
        store: localStore(options.out),
        runbooks: () => localRunbookDocuments(kbDirs),
      };
      const server = createMcpServer(runtime);
      // A line that is not JSON-RPC, or a failed send: said on stderr, the server goes on.
      server.server.onerror = (error) => process.stderr.write(`ops-assistant mcp: ${error.message}\n`);
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
        process.stdin.once('end', () => void server.close().finally(resolve));
      });
      await server.connect(transport);
      process.stderr.write(`ops-assistant mcp: serving on stdio (store ${options.out}, read-only)\n`);
      await closed;
    });
  examples(command, [
    ['ops-assistant mcp', 'started by an editor; see the README for its MCP configuration'],
    ['ops-assistant mcp --out out --kb ../shared/data/knowledge-base', 'another store and more runbooks'],
  ]);
}

interface McpCliOptions {
  out: string;
  kb?: string[];
  /** false with `--no-model`. */
  model?: boolean;
}
