/**
 * `npm run build:runbook-index -- [--kb knowledge-base] [--out out/runbook-index.json]`
 *
 * BUILD-TIME: chunks and indexes the bundled runbooks once and writes the prebuilt index the
 * Lambda runtime restores at cold start (`functions/adapters/aws/prebuilt-runbook-index.ts` has
 * the format). Ship the file beside the handler bundle as `runbook-index.json` (next to the copied
 * `knowledge-base/` folder it was built from; the runtime checks the two match and rebuilds
 * otherwise). Documents are read with the root name `bundled`, exactly as the runtime reads them.
 *
 * Prints one line: documents, passages, bytes written, time taken. Exit code 1 with a message
 * naming the folder when it is missing or holds no runbooks.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { runbookFolderSource } from '../functions/adapters/local/runbook-folder.source.js';
import { buildPrebuiltRunbookIndex, PREBUILT_RUNBOOK_INDEX_FILE } from '../functions/adapters/aws/prebuilt-runbook-index.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds the prebuilt index of the runbooks in `kbDir` and writes it to `outFile`.
 * @returns documents and passages indexed, bytes written.
 * @throws Error naming `kbDir` when it does not exist or holds no runbooks.
 */
export async function buildRunbookIndexFile(kbDir: string, outFile: string): Promise<{ documents: number; passages: number; bytes: number }> {
  if (!existsSync(kbDir)) throw new Error(`${kbDir}: knowledge-base folder not found`);
  const docs = await runbookFolderSource(kbDir, 'bundled').load();
  if (docs.length === 0) throw new Error(`${kbDir}: no runbooks (.md, .adoc) found`);
  const prebuilt = await buildPrebuiltRunbookIndex(docs);
  const text = JSON.stringify(prebuilt);
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, text, 'utf8');
  return { documents: docs.length, passages: prebuilt.index.chunks.length, bytes: Buffer.byteLength(text) };
}

async function main(): Promise<void> {
  const opts = new Command()
    .description('write the prebuilt runbook index the Lambda functions load at cold start')
    .option('--kb <dir>', 'knowledge-base folder', path.join(REPO_ROOT, 'knowledge-base'))
    .option('--out <file>', `output file (ship it beside the bundle as ${PREBUILT_RUNBOOK_INDEX_FILE})`, path.join(REPO_ROOT, 'out', PREBUILT_RUNBOOK_INDEX_FILE))
    .allowExcessArguments(false)
    .parse(process.argv)
    .opts<{ kb: string; out: string }>();
  const t0 = performance.now();
  const r = await buildRunbookIndexFile(path.resolve(opts.kb), path.resolve(opts.out));
  console.log(`${path.resolve(opts.out)}: ${r.documents} runbooks, ${r.passages} passages, ${r.bytes} bytes in ${(performance.now() - t0).toFixed(0)} ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`build-runbook-index: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
