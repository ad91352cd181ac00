/**
 * JSON log records whose message alone is generic keep the fields that carry the cause: MongoDB's
 * `attr` detail, the VPC CNI network policy agent's `Verdict`; the line itself stays as `raw`.
 */
import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../../../../functions/core/stages/collect/formats/index.js';

describe('JSON records: the cause beside the message', () => {
  it("MongoDB's attr detail joins its message", () => {
    const line = '{"t":{"$date":"2024-12-07T10:00:00.123+00:00"},"s":"E","c":"WT","id":22435,"ctx":"Checkpointer","msg":"WiredTiger error message","attr":{"error":28,"message":"pwrite: failed to write 4096 bytes at offset 1228800: No space left on device"}}';
    const event = parseLogLine(line, 'mongod.log', 3);
    expect(event.message).toContain('WiredTiger error message: pwrite: failed to write 4096 bytes at offset 1228800: No space left on device');
    expect(event.raw).toBe(line);
  });

  it("a flow log's verdict is kept as a field", () => {
    const event = parseLogLine('{"level":"info","logger":"ebpf-client","msg":"Flow Info:  ","Src IP":"10.0.1.5","Dest Port":8080,"Verdict":"DENY"}', 'np.log', 1);
    expect(event.message).toMatch(/Flow Info:.*\(Verdict=DENY\)/);
  });

  it('a record without such fields keeps its message as it was', () => {
    expect(parseLogLine('{"level":"info","msg":"listening on :8080"}', 'app.log', 1).message).toBe('INFO listening on :8080');
  });
});
