#!/usr/bin/env node
// Entry point of the `ops-assistant` command. Runs the compiled JavaScript in dist/ (built by
// `npm run build`, which `npm ci` runs through `prepare`) when it is there and no source file is
// newer than it; otherwise the TypeScript sources through tsx's ESM loader, so a checkout without
// a build (or with edited sources) still works. OPS_ASSISTANT_FROM_SOURCE=1 forces the sources.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** True when dist/ was built after every TypeScript file under functions/ and schemas/ last changed. */
function distIsCurrent() {
  if (process.env.OPS_ASSISTANT_FROM_SOURCE === '1') return false;
  let built;
  try {
    built = statSync(`${root}dist/BUILD`).mtimeMs;
  } catch {
    return false;
  }
  for (const dir of ['functions', 'schemas']) {
    for (const entry of readdirSync(`${root}${dir}`, { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts') && statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs > built) return false;
    }
  }
  return true;
}

// A reader that closes early (`| head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
let main;
if (distIsCurrent()) {
  ({ main } = await import('../dist/functions/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../functions/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
