import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incident } from '../../../../functions/core/model/incident.js';
import { normalizeEvent, parseEventJson } from '../../../../functions/core/stages/normalize/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Reads a fixture's text. */
export function fixtureText(name: string): string {
  return readFileSync(join(fixtures, name), 'utf8');
}

/** A fixture parsed as JSON. */
export function fixture(name: string): unknown {
  return parseEventJson(fixtureText(name), name);
}

/** Normalizes a fixture with a fixed clock. */
export function normalizeFixture(name: string, lookbackMinutes?: number): Incident {
  return normalizeEvent(fixture(name), { input: name, now: new Date('2026-06-01T00:00:00Z'), lookbackMinutes });
}
