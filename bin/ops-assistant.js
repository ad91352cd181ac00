#!/usr/bin/env node
// Entry point of the `ops-assistant` command: runs the TypeScript CLI through tsx's ESM loader,
// so the checkout works without a build step.
import { register } from 'tsx/esm/api';

register();
// A reader that closes early (`| head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main } = await import('../functions/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
