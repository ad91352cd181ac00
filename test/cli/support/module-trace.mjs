// Loaded with `node --import` by the CLI tests: registers module-trace-hooks.mjs, which reports
// every module the process resolves on stderr as `LOADED <url>`.
import { register } from 'node:module';

register(new URL('./module-trace-hooks.mjs', import.meta.url));
