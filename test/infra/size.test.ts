/**
 * Size check: the real ONNX layer keeps only the target platform's binaries and fits Lambda's
 * 250 MB unzipped limit with room for a bundle; the check reads a cloud assembly and fails a
 * function whose bundle plus layers exceed the limit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { buildApp, REPO_ROOT } from '../../infra/lib/app.js';
import { buildOnnxLayer, LayerBuildError, SHARP_STUB_VERSION } from '../../layers/onnx-layer.js';
import { evaluateSizes, LAMBDA_UNZIPPED_LIMIT_BYTES, measureAssembly, SizeCheckError, type FunctionSizeVerdict } from '../../layers/size-check.js';
import { testHandlersDir } from './support.js';

const work = mkdtempSync(path.join(tmpdir(), 'ops-size-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ONNX layer errors', () => {
  it('names a requested model that is not under models/', () => {
    expect(() => buildOnnxLayer({ repoRoot: REPO_ROOT, outDir: path.join(work, 'bad-model'), architecture: 'x86_64', modelIds: ['no-such-model'] })).toThrow(
      /model "no-such-model" has no config.json/,
    );
  });

  it('builds for arm64 with that platform\'s onnxruntime binding only, or names the missing binding', () => {
    const bin = path.join(REPO_ROOT, 'node_modules/onnxruntime-node/bin');
    const armBinding = readdirSync(bin).some((napi) => existsSync(path.join(bin, napi, 'linux/arm64/onnxruntime_binding.node')));
    const outDir = path.join(work, 'layer-arm64');
    const build = () => buildOnnxLayer({ repoRoot: REPO_ROOT, outDir, architecture: 'arm64' });
    if (armBinding) {
      expect(build().architecture).toBe('arm64');
      const napi = readdirSync(path.join(outDir, 'nodejs/node_modules/onnxruntime-node/bin'))[0]!;
      expect(readdirSync(path.join(outDir, 'nodejs/node_modules/onnxruntime-node/bin', napi, 'linux'))).toEqual(['arm64']);
    } else {
      expect(build).toThrow(LayerBuildError), expect(build).toThrow(/no linux\/arm64 binding/);
    }
  });
});

/** Writes a minimal cloud assembly: one stack, one function with a bundle of `bundleBytes` and a layer of `layerBytes`. */
function fakeAssembly(dir: string, bundleBytes: number, layerBytes: number, externalLayer = true): void {
  mkdirSync(path.join(dir, 'asset.fn'), { recursive: true });
  mkdirSync(path.join(dir, 'asset.layer/nodejs'), { recursive: true });
  writeFileSync(path.join(dir, 'asset.fn/index.mjs'), Buffer.alloc(bundleBytes, 1));
  writeFileSync(path.join(dir, 'asset.layer/nodejs/blob.bin'), Buffer.alloc(layerBytes, 2));
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } } } }));
  writeFileSync(
    path.join(dir, 'S.template.json'),
    JSON.stringify({
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'x.zip' }, Layers: [{ Ref: 'Layer' }, ...(externalLayer ? ['arn:aws:lambda:eu-west-1:123456789012:layer:ext:1'] : [])] }, Metadata: { 'aws:asset:path': 'asset.fn' } },
        Layer: { Type: 'AWS::Lambda::LayerVersion', Properties: {}, Metadata: { 'aws:asset:path': 'asset.layer' } },
        Img: { Type: 'AWS::Lambda::Function', Properties: { PackageType: 'Image', Code: { ImageUri: 'x' } } },
      },
    }),
  );
}

describe('size check over a cloud assembly', () => {
  it('measures each zip function\'s bundle and layers, and fails when they exceed the limit', () => {
    const dir = path.join(work, 'assembly');
    fakeAssembly(dir, 3000, 7000);
    const measured = measureAssembly(dir);
    expect(measured).toEqual([
      { name: 'S/Fn', bundleBytes: 3000, layers: [{ name: 'Layer', bytes: 7000 }, { name: '"arn:aws:lambda:eu-west-1:123456789012:layer:ext:1"', bytes: undefined }] },
    ]);
    const known = [{ ...measured[0]!, layers: measured[0]!.layers.slice(0, 1) }];
    expect(evaluateSizes(known, 10_000)[0]).toMatchObject({ ok: true, totalBytes: 10_000 });
    expect(evaluateSizes(known, 9_999)[0]).toMatchObject({ ok: false, totalBytes: 10_000, reason: expect.stringContaining('exceeds') });
    expect(evaluateSizes(measured, 1_000_000)[0]).toMatchObject({ ok: false, reason: expect.stringContaining('layer size unknown') });
  });

  it('npm run check:size exits 1 over the limit and 0 within it, printing the sizes', () => {
    const dir = path.join(work, 'assembly-cli');
    fakeAssembly(dir, 3000, 7000, false);
    const run = (limit: number) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'layers/check-size.ts'), '--assembly', dir, '--limit-bytes', String(limit)], { cwd: REPO_ROOT, encoding: 'utf8' });
    const over = run(9_999);
    expect(over.status).toBe(1);
    expect(over.stdout).toMatch(/^FAIL S\/Fn: bundle .* exceeds the 9999-byte limit by 1/m);
    const within = run(10_000);
    expect(within.status).toBe(0);
    expect(within.stdout).toMatch(/^ok   S\/Fn/m);
    expect(run(10_000).stderr).toBe('');
  });

  it('says to synthesize first when there is no assembly', () => {
    expect(() => measureAssembly(path.join(work, 'nothing'))).toThrow(SizeCheckError);
    expect(() => measureAssembly(path.join(work, 'nothing'))).toThrow(/npm run synth/);
  });
});

describe('synthesized app with bundling: function bundles and the ONNX layer (linux x86_64)', () => {
  const outdir = path.join(work, 'cdk.out');
  let verdicts: FunctionSizeVerdict[];
  let layerDir: string;
  beforeAll(() => {
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    buildApp({ app, handlersDir: testHandlersDir(), nag: false });
    app.synth();
    verdicts = evaluateSizes(measureAssembly(outdir));
    const layerAssets = readdirSync(outdir).filter((d) => d.startsWith('asset.') && existsSync(path.join(outdir, d, 'nodejs')));
    expect(layerAssets).toHaveLength(1);
    layerDir = path.join(outdir, layerAssets[0]!);
  });

  it('keeps every function bundle plus the layer under the 250 MB limit, and reports the sizes', () => {
    expect(verdicts).toHaveLength(3);
    for (const v of verdicts) {
      console.log(`${v.name}: bundle ${v.bundleBytes} B + layers ${v.layers.map((l) => `${l.name} ${l.bytes} B`).join(', ')} = ${v.totalBytes} B of ${v.limitBytes} B`);
      expect(v.ok, v.reason).toBe(true);
      expect(v.layers).toHaveLength(1);
      expect(v.bundleBytes).toBeGreaterThan(0);
      expect(v.totalBytes).toBeLessThan(LAMBDA_UNZIPPED_LIMIT_BYTES - 50 * 1024 * 1024); // room for growth
      expect(v.totalBytes, `${v.name}: deployment size goal (issue 16)`).toBeLessThanOrEqual(60 * 1024 * 1024);
    }
  });

  it('copies the bundled runbooks next to each bundle', () => {
    const fnAssets = readdirSync(outdir).filter((d) => d.startsWith('asset.') && existsSync(path.join(outdir, d, 'index.mjs')));
    expect(fnAssets).toHaveLength(3);
    for (const d of fnAssets) expect(readdirSync(path.join(outdir, d, 'knowledge-base')).some((f) => f.endsWith('.md'))).toBe(true);
  });

  it('keeps only the linux/x64 binaries of onnxruntime-node, and no image library, in the layer', () => {
    const modules = path.join(layerDir, 'nodejs/node_modules');
    const bin = path.join(modules, 'onnxruntime-node/bin');
    for (const napi of readdirSync(bin)) {
      expect(readdirSync(path.join(bin, napi))).toEqual(['linux']);
      expect(readdirSync(path.join(bin, napi, 'linux'))).toEqual(['x64']);
    }
    for (const p of ['@huggingface/transformers', 'onnxruntime-node', 'onnxruntime-common', 'sharp']) expect(existsSync(path.join(modules, p, 'package.json')), p).toBe(true);
    // sharp is a stub (transformers.js imports it at start-up); libvips and sharp's binaries stay out
    expect(JSON.parse(readFileSync(path.join(modules, 'sharp/package.json'), 'utf8'))).toMatchObject({ version: SHARP_STUB_VERSION });
    expect(existsSync(path.join(modules, '@img'))).toBe(false);
    expect(existsSync(path.join(modules, 'onnxruntime-web'))).toBe(false);
    expect(readdirSync(path.join(modules, '@huggingface/transformers/dist')).filter((f) => f.includes('.min.'))).toEqual([]);
  });

  it('runs transformers.js and onnxruntime-node from the pruned layer alone (a model of the layer when present)', () => {
    // A function's view: packages resolved from the layer's nodejs/node_modules only.
    const fnDir = path.join(work, 'fn-view');
    mkdirSync(fnDir, { recursive: true });
    symlinkSync(path.join(layerDir, 'nodejs/node_modules'), path.join(fnDir, 'node_modules'), 'dir');
    const hasModel = existsSync(path.join(layerDir, 'models/ops-encoder/config.json'));
    writeFileSync(
      path.join(fnDir, 'probe.mjs'),
      [
        "import { env, pipeline } from '@huggingface/transformers';",
        "import ort from 'onnxruntime-node';",
        "if (typeof ort.InferenceSession?.create !== 'function') throw new Error('onnxruntime-node not usable');",
        'env.allowRemoteModels = false;',
        `env.localModelPath = ${JSON.stringify(path.join(layerDir, 'models') + '/')};`,
        hasModel
          ? "const out = await (await pipeline('text-classification', 'ops-encoder', { dtype: 'fp32' }))('OOMKilled exit code 137'); console.log(JSON.stringify(out));"
          : "console.log(JSON.stringify([{ label: 'no-model', score: 1 }]));",
      ].join('\n'),
    );
    const result = spawnSync(process.execPath, ['probe.mjs'], { cwd: fnDir, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const [top] = JSON.parse(result.stdout.trim().split('\n').pop()!) as { label: string; score: number }[];
    expect(typeof top!.label).toBe('string');
    expect(top!.score).toBeGreaterThan(0);
  });

  it('ships the model at models/<id> when models/ops-encoder exists', () => {
    const hasModel = existsSync(path.join(REPO_ROOT, 'models/ops-encoder/config.json'));
    expect(existsSync(path.join(layerDir, 'models/ops-encoder/config.json'))).toBe(hasModel);
    if (hasModel) expect(existsSync(path.join(layerDir, 'models/ops-encoder/onnx'))).toBe(true);
  });

  it('ships the intent model ops-intent beside it, with the manifest that verifies it', () => {
    const hasModel = existsSync(path.join(REPO_ROOT, 'models/ops-intent/config.json'));
    expect(existsSync(path.join(layerDir, 'models/ops-intent/onnx/model.onnx'))).toBe(hasModel);
    if (hasModel) expect(readFileSync(path.join(layerDir, 'models/manifest.json'), 'utf8')).toContain('"ops-intent"');
  });
});
