import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../functions/core/model/errors.js';
import { createClassifier, loadModelFromManifest, resetModelCache, sha256File } from '../../functions/adapters/onnx/index.js';
import { ENCODER_DIR, MODELS_DIR, tempModels } from './helpers.js';

const committed = JSON.parse(readFileSync(path.join(MODELS_DIR, 'manifest.json'), 'utf8')) as Array<Record<string, string>>;
const encoderEntry = committed.find((e) => e['id'] === 'ops-encoder')!;

afterEach(async () => {
  await resetModelCache();
});

describe('model manifest and hash verification', () => {
  it('the committed manifest names the sha256 of the committed model file', async () => {
    expect(await sha256File(path.join(ENCODER_DIR, 'onnx', 'model.onnx'))).toBe(encoderEntry['sha256']);
  });

  it('refuses a tampered model.onnx with ModelLoadError naming the hash', async () => {
    // Prepare: a copy of the model with one byte flipped near the end (inside a weight tensor).
    const dir = tempModels([encoderEntry]);
    const file = path.join(dir, 'ops-encoder', 'onnx', 'model.onnx');
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(file, bytes);
    // Act + Assess
    const error = await loadModelFromManifest(dir, 'ops-encoder').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/sha256 .* expects/);
  });

  it('refuses an id absent from the manifest, a path outside the models folder and a broken manifest', async () => {
    const dir = tempModels([encoderEntry, { ...encoderEntry, id: 'escape', path: '../elsewhere' }]);
    await expect(loadModelFromManifest(dir, 'missing')).rejects.toThrow(/not listed/);
    await expect(loadModelFromManifest(dir, 'escape')).rejects.toThrow(/inside/);
    writeFileSync(path.join(dir, 'manifest.json'), '[{"id": "x"}]');
    await expect(loadModelFromManifest(dir, 'x')).rejects.toBeInstanceOf(ModelLoadError);
  });

  it('refuses to serve a task the entry cannot do', async () => {
    const dir = tempModels([encoderEntry]);
    await expect(loadModelFromManifest(dir, 'ops-encoder', 'text-generation')).rejects.toThrow(/cannot serve text-generation/);
  });
});

describe('memoisation', () => {
  it('loads a (folder, task) once per process and shares the session', async () => {
    const dir = tempModels([encoderEntry]);
    const [a, b] = await Promise.all([loadModelFromManifest(dir, 'ops-encoder'), loadModelFromManifest(dir, 'ops-encoder')]);
    const c = await loadModelFromManifest(dir, 'ops-encoder');
    expect(a).toBe(b);
    expect(c.pipeline).toBe(a.pipeline);
    const fe = await loadModelFromManifest(dir, 'ops-encoder', 'feature-extraction');
    expect(fe.pipeline).not.toBe(a.pipeline);
  });

  it('does not cache a failed load: the next call retries and succeeds once the folder is complete', async () => {
    // Prepare: tokenizer.json missing, so transformers.js cannot build the pipeline.
    const dir = tempModels([encoderEntry], ['config.json', 'tokenizer_config.json', 'onnx/model.onnx']);
    const first = await loadModelFromManifest(dir, 'ops-encoder').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ModelLoadError);
    // Act: complete the folder and retry.
    cpSync(path.join(ENCODER_DIR, 'tokenizer.json'), path.join(dir, 'ops-encoder', 'tokenizer.json'));
    const second = await loadModelFromManifest(dir, 'ops-encoder');
    // Assess
    expect(second.sha256).toBe(encoderEntry['sha256']);
    const classifier = await createClassifier({ modelsDir: dir });
    expect((await classifier.classify(['No space left on device']))[0]![0]!.category).toBe('disk_full');
  });
});
