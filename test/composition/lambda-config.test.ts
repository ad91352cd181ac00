import { describe, expect, it } from 'vitest';
import { ConfigurationError, readLambdaConfig } from '../../functions/composition/lambda.js';

describe('readLambdaConfig', () => {
  const base = { DIAGNOSES_BUCKET: 'b', INCIDENT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:t' };

  it('reads required and optional variables', () => {
    const config = readLambdaConfig({ ...base, LOG_LOOKBACK_MINUTES: '45', CLUSTER_NAME: 'shop-prod', KMS_KEY_ID: 'alias/k', LOG_GROUPS_BY_ALARM: '{"a":["/x"]}', STORM_WINDOW_MINUTES: '10' });
    expect(config).toMatchObject({ bucket: 'b', lookbackMinutes: 45, clusterName: 'shop-prod', kmsKeyId: 'alias/k', logGroupsByAlarm: { a: ['/x'] }, stormWindowMs: 600_000, maxAttempts: 3 });
    expect(config.modelDir).toBeUndefined();
  });

  it('reads ALARM_TAG_FILTER as key=value pairs (none by default)', () => {
    expect(readLambdaConfig(base).alarmTagFilter).toEqual([]);
    expect(readLambdaConfig({ ...base, ALARM_TAG_FILTER: 'team=payments,env=prod' }).alarmTagFilter).toEqual([{ key: 'team', value: 'payments' }, { key: 'env', value: 'prod' }]);
  });

  it.each([
    [{ INCIDENT_TOPIC_ARN: 't' }, /DIAGNOSES_BUCKET is required/],
    [{ DIAGNOSES_BUCKET: 'b' }, /INCIDENT_TOPIC_ARN is required/],
    [{ ...base, LOG_LOOKBACK_MINUTES: 'soon' }, /LOG_LOOKBACK_MINUTES must be a positive number/],
    [{ ...base, LOG_GROUPS_BY_ALARM: '{' }, /LOG_GROUPS_BY_ALARM is not JSON/],
    [{ ...base, ALARM_TAG_FILTER: 'team' }, /environment variable ALARM_TAG_FILTER: "team" is not key=value/],
  ])('names the variable that is wrong: %j', (env, message) => {
    expect(() => readLambdaConfig(env)).toThrow(ConfigurationError);
    expect(() => readLambdaConfig(env)).toThrow(message);
  });
});

describe('modelLocation', () => {
  it('accepts the models root or one model folder inside it', async () => {
    const { modelLocation } = await import('../../functions/composition/lambda.js');
    const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const root = mkdtempSync(path.join(os.tmpdir(), 'models-'));
    writeFileSync(path.join(root, 'manifest.json'), '[]');
    mkdirSync(path.join(root, 'ops-encoder'));
    expect(modelLocation({ modelDir: root, modelId: 'ops-encoder' }, {})).toEqual({ modelsDir: root, id: 'ops-encoder' });
    expect(modelLocation({ modelDir: path.join(root, 'ops-encoder'), modelId: 'ops-encoder' }, {})).toEqual({ modelsDir: root, id: 'ops-encoder' });
    expect(modelLocation({ modelDir: path.join(root, 'tiny'), modelId: 'ops-encoder' }, {})).toEqual({ modelsDir: root, id: 'tiny' });
  });
});
