/**
 * Runs the normalize stage over the real samples in `../../../shared/data/aws-events` when that folder
 * exists (skipped otherwise): nothing may crash, and every incident-bearing shape must normalize.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OpsAssistantError } from '../../../../functions/core/model/errors.js';
import { detectEventShape, normalizeEvent, parseEventJson } from '../../../../functions/core/stages/normalize/index.js';

const eventsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/data/aws-events');
const present = existsSync(eventsDir);

function files(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.json') ? [path] : [];
  });
}

describe.skipIf(!present)('shared aws-events samples', () => {
  it('each sample normalizes or is rejected with a typed error; incident shapes always normalize', () => {
    const outcomes: Record<string, 'normalized' | 'rejected'> = {};
    for (const path of files(eventsDir)) {
      const name = relative(eventsDir, path);
      let shape: string | undefined;
      try {
        const payload = parseEventJson(new TextDecoder().decode(readFileSync(path)), name);
        shape = detectEventShape(payload);
        const incident = normalizeEvent(payload, { input: name });
        expect(incident.id, name).toMatch(/^inc-[0-9a-f]{20}$/);
        outcomes[name] = 'normalized';
      } catch (error) {
        if (!(error instanceof OpsAssistantError)) throw new Error(`${name} crashed: ${String(error)}`);
        // Alarm, ECS, EC2, Health and EKS events must never be rejected.
        expect(shape ?? '', `${name}: ${(error as Error).message}`).not.toMatch(/^(eventbridge:(cloudwatch-alarm|ecs|ec2|aws-health|eks)|cloudwatch-alarm)/);
        outcomes[name] = 'rejected';
      }
    }
    const normalized = Object.values(outcomes).filter((o) => o === 'normalized').length;
    expect(normalized).toBeGreaterThanOrEqual(40);
    expect(outcomes['awsdocs-amazon-cloudwatch-user-guide/extracted/03-state-change-for-an-anomaly-detection-alarm.json']).toBe('normalized');
    expect(outcomes['awsdocs-amazon-ecs-developer-guide/extracted/03-service-action-events.EVENT-PATTERN.json']).toBe('rejected');
  });
});
