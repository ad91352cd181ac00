/**
 * Writes `schemas/diagnosis.schema.json` from `schemas/diagnosis.schema.ts`.
 * Run: `npm run schema:generate` (or `npx tsx schemas/generate.ts`).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diagnosisSchemaJson } from './diagnosis.schema.js';

const target = fileURLToPath(new URL('./diagnosis.schema.json', import.meta.url));
writeFileSync(target, diagnosisSchemaJson());
process.stdout.write(`wrote ${target}\n`);
