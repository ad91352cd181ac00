/**
 * The alarm-storm guard of local runs (`ops-assistant diagnose`, `serve`): the marker of an
 * alarm's open incident as `<root>/storms/<alarm-hash>/current.json`, the layout the S3 guard
 * uses. The rule itself is the core's (`core/diagnose/storm.ts`); this class only reads and
 * writes the file (one process at a time: no conditional writes).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Incident } from '../../core/model/incident.js';
import type { AlarmStormGuard, StormDecision, StormMarker } from '../../core/diagnose/ports.js';
import { DEFAULT_STORM_WINDOW_MS, admitTransition, markerKeyOf, recordOkTransition } from '../../core/diagnose/storm.js';

/**
 * @example
 * const guard = new DirectoryAlarmStormGuard('out');
 * await guard.recordOk(okIncident); // out/storms/<hash>/current.json gets okAt
 */
export class DirectoryAlarmStormGuard implements AlarmStormGuard {
  constructor(private readonly root: string, private readonly windowMs = DEFAULT_STORM_WINDOW_MS) {}

  async admit(incident: Incident): Promise<StormDecision> {
    const key = markerKeyOf(incident);
    if (!key) return { kind: 'new', incidentId: incident.id, count: 1, key: '' };
    const { decision, next } = admitTransition(await this.read(key), incident, key, this.windowMs);
    if (next) await this.write(key, next);
    return decision;
  }

  async recordOk(incident: Incident): Promise<StormMarker | undefined> {
    const key = markerKeyOf(incident);
    const current = key ? await this.read(key) : undefined;
    if (!key || !current) return undefined;
    const { marker, changed } = recordOkTransition(current, incident);
    if (changed) await this.write(key, marker);
    return marker;
  }

  async current(incident: Incident): Promise<StormMarker | undefined> {
    const key = markerKeyOf(incident);
    return key ? this.read(key) : undefined;
  }

  private async read(key: string): Promise<StormMarker | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.root, key), 'utf8')) as StormMarker;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private async write(key: string, marker: StormMarker): Promise<void> {
    const file = path.join(this.root, key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(marker, null, 2)}\n`);
    await rename(tmp, file);
  }
}
