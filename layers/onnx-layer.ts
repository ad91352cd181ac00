/**
 * Assembles the Lambda layer that carries the ONNX runtime and the model.
 *
 * Layout of the output folder (Lambda extracts a layer under `/opt`):
 * - `nodejs/node_modules/<package>/…` — `@huggingface/transformers`, `onnxruntime-node`,
 *   `onnxruntime-common`, `sharp` and their runtime dependencies, found by walking `dependencies`
 *   and installed `optionalDependencies` from the repository's `node_modules`. Lambda's Node.js
 *   runtimes resolve both `require` and ESM `import` of packages in `/opt/nodejs/node_modules`.
 * - `models/<id>/…` — the model folders of `models/` (config, tokenizer, `onnx/*.onnx`), so a
 *   function sets `MODEL_DIR=/opt/models/<id>`.
 *
 * Only the target platform's native binaries are kept: `onnxruntime-node/bin/napi-v*\/linux/<arch>`
 * (the package ships darwin, win32 and both linux architectures, ~290 MB). What text inference
 * does not load stays out: sharp and libvips (~19 MiB; transformers.js imports `sharp` for image
 * pipelines only, so a stub package of a few lines stands in and throws if an image is ever
 * decoded), the minified duplicates of transformers.js, typings, sources and source maps.
 *
 * Sources: Lambda layer paths, https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html ;
 * quotas (250 MB unzipped for function plus layers), https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Lambda architecture names as CDK and the Lambda API spell them. */
export type LambdaArchitecture = 'x86_64' | 'arm64';

/** Options of {@link buildOnnxLayer}. */
export interface OnnxLayerOptions {
  /** Repository root holding `node_modules/` and `models/`. */
  readonly repoRoot: string;
  /** Output folder; emptied first. Its content is what Lambda extracts under `/opt`. */
  readonly outDir: string;
  /** Target architecture of the functions using the layer. */
  readonly architecture: LambdaArchitecture;
  /** Packages whose dependency closure goes in the layer. Default {@link LAYER_ROOT_PACKAGES}. */
  readonly rootPackages?: readonly string[];
  /** Model ids (folder names under `models/`) to include. Default: every folder holding a `config.json`. */
  readonly modelIds?: readonly string[];
}

/** One package copied into the layer. */
export interface LayerPackage {
  readonly name: string;
  readonly version: string;
  /** Path relative to `nodejs/node_modules`, e.g. `@img/sharp-linux-x64`. */
  readonly location: string;
  /** Bytes copied (apparent size of the files kept). */
  readonly bytes: number;
}

/** One model folder copied into the layer. */
export interface LayerModel {
  readonly id: string;
  /** Path inside the function's file system: `/opt/models/<id>`. */
  readonly runtimePath: string;
  readonly bytes: number;
}

/** What {@link buildOnnxLayer} produced. */
export interface OnnxLayerReport {
  readonly outDir: string;
  readonly architecture: LambdaArchitecture;
  readonly packages: readonly LayerPackage[];
  readonly models: readonly LayerModel[];
  /** Dependencies deliberately left out, with the reason. */
  readonly excluded: readonly { readonly name: string; readonly reason: string }[];
  /** Total bytes of the layer once extracted (all files under `outDir`). */
  readonly unzippedBytes: number;
}

/** Error raised when the layer cannot be assembled (missing package, missing platform binary, bad model id). */
export class LayerBuildError extends Error {
  override readonly name = 'LayerBuildError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Packages the handlers load at run time from the layer (kept out of the function bundles). */
export const LAYER_ROOT_PACKAGES: readonly string[] = ['@huggingface/transformers', 'onnxruntime-node', 'onnxruntime-common', 'sharp'];

/**
 * Dependencies never copied, with the reason. `onnxruntime-web` is already inlined in
 * `@huggingface/transformers/dist/transformers.node.mjs`; `adm-zip` and `global-agent` are used
 * only by `onnxruntime-node/script/install.js`, which never runs in Lambda.
 */
export const LAYER_EXCLUDED_PACKAGES: Readonly<Record<string, string>> = {
  sharp: 'image processing (libvips, ~19 MiB): text inference never decodes an image; a stub package stands in',
  'onnxruntime-web': 'inlined in @huggingface/transformers dist/transformers.node.mjs (141 MB package not needed)',
  'adm-zip': 'used only by onnxruntime-node install script',
  'global-agent': 'used only by onnxruntime-node install script',
};

/** Files of a model folder a transformers.js pipeline reads (see NOTES-toolchain: config, tokenizer, onnx/). */
const MODEL_FILE = /^(config\.json|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|generation_config\.json|preprocessor_config\.json|vocab\.(txt|json)|merges\.txt|labels\.json|manifest\.json|README\.md)$/;

/** Node's `process.arch` name for a Lambda architecture. */
export function nodeArch(architecture: LambdaArchitecture): 'x64' | 'arm64' {
  return architecture === 'x86_64' ? 'x64' : 'arm64';
}

/**
 * Builds the layer folder for one architecture.
 *
 * @returns the report with per-package and per-model sizes (bytes).
 * @throws {LayerBuildError} when a root package or a required dependency is not installed, when the
 *   target platform's native binary of `onnxruntime-node` or `sharp` is not installed, or when a
 *   requested model id has no `config.json`.
 * @example
 * const report = buildOnnxLayer({ repoRoot: '.', outDir: 'layers/build/onnx', architecture: 'x86_64' });
 * console.log(report.unzippedBytes);
 */
export function buildOnnxLayer(options: OnnxLayerOptions): OnnxLayerReport {
  const arch = nodeArch(options.architecture);
  const repoRoot = path.resolve(options.repoRoot);
  const outDir = path.resolve(options.outDir);
  const rootModules = path.join(repoRoot, 'node_modules');
  if (!existsSync(rootModules)) throw new LayerBuildError(`no node_modules in ${repoRoot}: run npm ci first`);
  const modelIds = resolveModelIds(repoRoot, options.modelIds);
  rmSync(outDir, { recursive: true, force: true });
  const modulesOut = path.join(outDir, 'nodejs', 'node_modules');
  mkdirSync(modulesOut, { recursive: true });

  const excluded = new Map<string, string>();
  const seen = new Map<string, LayerPackage>(); // key: absolute package dir
  const queue: { name: string; from: string; optional: boolean; requiredBy: string }[] = (options.rootPackages ?? LAYER_ROOT_PACKAGES).map(
    (name) => ({ name, from: repoRoot, optional: false, requiredBy: '(layer root)' }),
  );

  while (queue.length > 0) {
    const { name, from, optional, requiredBy } = queue.shift()!;
    if (LAYER_EXCLUDED_PACKAGES[name]) {
      excluded.set(name, LAYER_EXCLUDED_PACKAGES[name]);
      continue;
    }
    // sharp's native builds are optional dependencies named @img/sharp-[libvips-]<os>-<cpu>: keep the target's only.
    const platformPackage = /^@img\/sharp-(libvips-)?(.+)$/.exec(name);
    if (platformPackage && optional && platformPackage[2] !== `linux-${arch}`) continue;
    const dir = resolvePackageDir(name, from, repoRoot);
    if (!dir) {
      if (platformPackage) {
        throw new LayerBuildError(
          `${name} (native binary for linux/${arch}, required by ${requiredBy}) is not installed; ` +
            `install it with: npm install --no-save --os=linux --cpu=${arch} ${name}`,
        );
      }
      if (optional) {
        excluded.set(name, `optional dependency of ${requiredBy}, not installed`);
        continue;
      }
      throw new LayerBuildError(`${name} (required by ${requiredBy}) is not installed under ${rootModules}`);
    }
    if (seen.has(dir)) continue;
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      version?: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    const location = path.relative(rootModules, dir);
    if (location.startsWith('..')) throw new LayerBuildError(`${name} resolves outside ${rootModules}: ${dir}`);
    seen.set(dir, { name, version: manifest.version ?? '0.0.0', location, bytes: 0 });
    const optionalNames = new Set(Object.keys(manifest.optionalDependencies ?? {}));
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      if (!optionalNames.has(dep)) queue.push({ name: dep, from: dir, optional: false, requiredBy: name });
    }
    for (const dep of optionalNames) queue.push({ name: dep, from: dir, optional: true, requiredBy: name });
  }

  // Copy only once the whole closure resolved, so a missing package fails fast.
  for (const [dir, pkg] of seen) {
    const target = path.join(modulesOut, pkg.location);
    cpSync(dir, target, { recursive: true, filter: (src) => keepFile(src, dir, pkg.name, arch) });
    seen.set(dir, { ...pkg, bytes: directoryBytes(target, ['node_modules']) });
  }
  assertNativeBinary(modulesOut, arch);
  if (excluded.has('sharp')) writeSharpStub(path.join(modulesOut, 'sharp'));
  const models = copyModels(repoRoot, outDir, modelIds);
  return {
    outDir,
    architecture: options.architecture,
    packages: [...seen.values()].sort((a, b) => b.bytes - a.bytes),
    models,
    excluded: [...excluded].map(([name, reason]) => ({ name, reason })),
    unzippedBytes: directoryBytes(outDir),
  };
}

/** Version of the stub written for `sharp`. */
export const SHARP_STUB_VERSION = '0.0.0-ops-assistant-text-only';

/**
 * A `sharp` package that loads (transformers.js imports it at start-up and only checks that it is
 * there) and throws when called: the layer serves text models only.
 */
function writeSharpStub(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'sharp', version: SHARP_STUB_VERSION, type: 'commonjs', main: 'index.js' }, null, 2)}\n`);
  writeFileSync(
    path.join(dir, 'index.js'),
    [
      '// Stand-in for sharp in the ops-assistant ONNX layer: text models only, no image decoding.',
      "module.exports = function sharp() { throw new Error('image processing (sharp) is not shipped in this layer: it serves text models only'); };",
      '',
    ].join('\n'),
  );
}

/** Node-style lookup of `node_modules/<name>` from `fromDir` up to `repoRoot`. */
function resolvePackageDir(name: string, fromDir: string, repoRoot: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === repoRoot || dir === path.dirname(dir)) return undefined;
    dir = path.dirname(dir);
  }
}

/** Copy filter: drops nested node_modules (copied on their own), docs, typings, source maps and other platforms' binaries. */
function keepFile(src: string, packageDir: string, name: string, arch: string): boolean {
  const rel = path.relative(packageDir, src).split(path.sep).join('/');
  if (rel === '') return true;
  if (rel === 'node_modules' || rel.startsWith('node_modules/')) return false;
  if (/\.(d\.ts|d\.mts|d\.cts|map)$/.test(rel) || /(^|\/)README(\.md)?$/i.test(rel)) return false;
  if (name === 'onnxruntime-node') {
    const m = /^bin\/napi-v\d+\/([^/]+)(?:\/([^/]+))?/.exec(rel);
    if (m && (m[1] !== 'linux' || (m[2] !== undefined && m[2] !== arch))) return false;
  }
  if (name === '@huggingface/transformers') {
    // The Node entry points are dist/transformers.node.{mjs,cjs}; web builds, sources and typings are not loaded.
    if (rel === 'src' || rel.startsWith('src/') || rel === 'types' || rel.startsWith('types/')) return false;
    if (/^dist\/(transformers\.(web|min|js)|transformers\.web|ort-wasm)/.test(rel) || rel === 'dist/transformers.js') return false;
    if (/^dist\/transformers\.node\.min\./.test(rel)) return false;
  }
  return true;
}

/** Fails when the copied onnxruntime-node has no binding for linux/<arch>. */
function assertNativeBinary(modulesOut: string, arch: string): void {
  const binRoot = path.join(modulesOut, 'onnxruntime-node', 'bin');
  if (!existsSync(binRoot)) return; // onnxruntime-node not part of this layer's roots
  const found = readdirSync(binRoot).some((napi) => existsSync(path.join(binRoot, napi, 'linux', arch, 'onnxruntime_binding.node')));
  if (!found) throw new LayerBuildError(`onnxruntime-node has no linux/${arch} binding under ${binRoot}`);
}

/** The model ids to ship: the requested ones (each must have a config.json) or every model folder. */
function resolveModelIds(repoRoot: string, requested: readonly string[] | undefined): string[] {
  const modelsDir = path.join(repoRoot, 'models');
  const available = existsSync(modelsDir)
    ? readdirSync(modelsDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(path.join(modelsDir, e.name, 'config.json')))
        .map((e) => e.name)
    : [];
  for (const id of requested ?? []) {
    if (!available.includes(id)) {
      throw new LayerBuildError(`model "${id}" has no config.json under ${modelsDir} (available: ${available.join(', ') || 'none'})`);
    }
  }
  return [...(requested ?? available)];
}

/** Copies the model folders of `models/` to `<outDir>/models/<id>/` (only the files a pipeline reads). */
function copyModels(repoRoot: string, outDir: string, ids: readonly string[]): LayerModel[] {
  const modelsDir = path.join(repoRoot, 'models');
  const models: LayerModel[] = [];
  for (const id of ids) {
    const src = path.join(modelsDir, id);
    const dest = path.join(outDir, 'models', id);
    cpSync(src, dest, {
      recursive: true,
      filter: (file) => {
        const rel = path.relative(src, file).split(path.sep).join('/');
        if (rel === '' || rel === 'onnx') return true;
        if (rel.startsWith('onnx/')) return rel.endsWith('.onnx') || rel.endsWith('.onnx_data');
        return MODEL_FILE.test(rel);
      },
    });
    models.push({ id, runtimePath: `/opt/models/${id}`, bytes: directoryBytes(dest) });
  }
  const manifest = path.join(modelsDir, 'manifest.json');
  if (models.length > 0 && existsSync(manifest)) cpSync(manifest, path.join(outDir, 'models', 'manifest.json'));
  return models;
}

/**
 * Apparent size in bytes of every regular file under `dir` (symbolic links are not followed).
 * @param skip top-level entry names to leave out.
 */
export function directoryBytes(dir: string, skip: readonly string[] = []): number {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (current === dir && skip.includes(entry.name)) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (entry.isFile()) total += statSync(full).size;
    }
  }
  return total;
}

/** Formats bytes as MiB with one decimal (`12.3 MiB`). */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
