/**
 * The EventBridge envelope (Amazon EventBridge User Guide, "Amazon EventBridge events"):
 * `{version, id, detail-type, source, account, time, region, resources[], detail}`.
 */
import { digest, isAccountId, isRegion, parseArn, str, type JsonObject } from './util.js';

/** The envelope fields every EventBridge reader uses. */
export interface Envelope {
  readonly detailType: string;
  /** The event's `source`, e.g. `aws.ecs`. */
  readonly eventSource: string;
  /** `event:<id>` when the event has an id, else a digest of its content. */
  readonly idSeed: string;
  readonly time?: unknown;
  readonly region?: string;
  readonly accountId?: string;
  /** `resources[]` strings (ARNs mostly; some samples carry placeholders). */
  readonly resources: readonly string[];
}

/** Reads the envelope of a delivered EventBridge event (`detail-type` and `source` strings). */
export function readEnvelope(event: JsonObject): Envelope {
  const resources = Array.isArray(event['resources'])
    ? event['resources'].filter((r): r is string => typeof r === 'string' && r.trim() !== '').map((r) => r.trim())
    : [];
  const firstArn = resources.map(parseArn).find((a) => a !== undefined);
  const id = str(event['id']);
  return {
    detailType: str(event['detail-type']) ?? '',
    eventSource: str(event['source']) ?? '',
    idSeed: id ? `event:${id}` : `event-digest:${digest(JSON.stringify(event))}`,
    time: event['time'],
    region: isRegion(event['region']) ? event['region'] : firstArn?.region,
    accountId: isAccountId(event['account']) ? event['account'] : firstArn?.accountId,
    resources,
  };
}
