/**
 * `ops-assistant page`: writes the browse page as a static `index.html` at the root of a store
 * (the `--out` folder, laid out as the S3 bucket), linking each diagnosis to its HTML report by a
 * relative key. The folder can be served as it is, or synced to the bucket (`aws s3 sync`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { DiagnosisStore } from '../../core/ports/diagnosis-store.port.js';
import type { DiagnosisIndexEntry } from '../../core/ports/diagnosis-store.port.js';
import { examples } from '../options.js';

/** Reads every entry of the store's listing (newest first), following cursors; at most `max`. */
export async function allEntries(store: DiagnosisStore, max = 5000): Promise<DiagnosisIndexEntry[]> {
  const entries: DiagnosisIndexEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: 100, cursor });
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && entries.length < max);
  return entries.slice(0, max);
}

export function registerPageCommand(program: Command): void {
  const command = program
    .command('page')
    .description('Write the diagnoses browse page (index.html) into a store folder.')
    .option('--out <dir>', 'store root', 'out')
    .action(async (options: { out: string }) => {
      const [{ localStore }, { renderBrowsePage }] = await Promise.all([import('../../composition/local.js'), import('../../core/stages/compose/html/index.js')]);
      const entries = await allEntries(localStore(options.out));
      // Static: the page's script filters every row (the form is shown only when it runs).
      const html = renderBrowsePage(entries, {}, { static: true, reportHref: (e) => e.key.replace(/\.json$/, '.html') });
      const file = path.join(options.out, 'index.html');
      await mkdir(options.out, { recursive: true });
      await writeFile(file, html);
      process.stdout.write(`${file}: ${entries.length} diagnoses\n`);
    });
  examples(command, [
    ['ops-assistant page --out out', 'out/index.html, linking each report'],
    ['ops-assistant page --out out && aws s3 sync out/ s3://my-diagnoses-bucket/', 'then publish the folder'],
  ]);
}
