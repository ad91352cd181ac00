/**
 * Size check of the deployable artifacts: for every zip-packaged function of a synthesized cloud
 * assembly (`cdk.out`), its bundle plus all its layers, unzipped, must fit in Lambda's limit.
 *
 * Source of the limit: Lambda quotas, "Deployment package (.zip file archive) size: 250 MB
 * (unzipped), including layers", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 * (250 MB taken as 250 × 1024 × 1024 bytes, the stricter reading of the two).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { directoryBytes } from './onnx-layer.js';

/** Lambda's unzipped limit for a function's code plus its layers, in bytes (250 MiB). */
export const LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;

/** One layer of a function as measured. */
export interface LayerSize {
  /** Logical id of the `AWS::Lambda::LayerVersion`, or the ARN of an external layer. */
  readonly name: string;
  /** Unzipped bytes; undefined when the layer is external (not in the assembly). */
  readonly bytes: number | undefined;
}

/** One function's measured sizes. */
export interface FunctionSize {
  /** `<stack>/<logical id>` of the `AWS::Lambda::Function`. */
  readonly name: string;
  /** Unzipped bytes of the function's own code asset. */
  readonly bundleBytes: number;
  readonly layers: readonly LayerSize[];
}

/** Verdict for one function. */
export interface FunctionSizeVerdict extends FunctionSize {
  /** Bundle plus every measured layer, bytes. */
  readonly totalBytes: number;
  readonly limitBytes: number;
  /** False when `totalBytes > limitBytes` or a layer could not be measured. */
  readonly ok: boolean;
  readonly reason?: string;
}

/** Error raised when the assembly cannot be read (missing folder, missing asset metadata). */
export class SizeCheckError extends Error {
  override readonly name = 'SizeCheckError';
}

/**
 * Judges measured sizes against the limit.
 * @param limitBytes default {@link LAMBDA_UNZIPPED_LIMIT_BYTES}.
 */
export function evaluateSizes(functions: readonly FunctionSize[], limitBytes: number = LAMBDA_UNZIPPED_LIMIT_BYTES): FunctionSizeVerdict[] {
  return functions.map((f) => {
    const unknown = f.layers.filter((l) => l.bytes === undefined).map((l) => l.name);
    const totalBytes = f.bundleBytes + f.layers.reduce((sum, l) => sum + (l.bytes ?? 0), 0);
    if (unknown.length > 0) {
      return { ...f, totalBytes, limitBytes, ok: false, reason: `layer size unknown (not in the assembly): ${unknown.join(', ')}` };
    }
    if (totalBytes > limitBytes) {
      return { ...f, totalBytes, limitBytes, ok: false, reason: `${totalBytes} bytes unzipped exceeds the ${limitBytes}-byte limit by ${totalBytes - limitBytes}` };
    }
    return { ...f, totalBytes, limitBytes, ok: true };
  });
}

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

/**
 * Measures every zip-packaged `AWS::Lambda::Function` of a cloud assembly. Asset folders are found
 * through the `aws:asset:path` resource metadata the CDK CLI writes (`cdk synth`), relative to the
 * assembly folder. Functions packaged as container images are skipped (their limit is 10 GB).
 *
 * @param assemblyDir the `cdk.out` folder.
 * @throws {SizeCheckError} when the folder or its `manifest.json` is missing, or a function's asset
 *   path metadata is absent (synthesized with asset metadata disabled).
 */
export function measureAssembly(assemblyDir: string): FunctionSize[] {
  const manifestPath = path.join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new SizeCheckError(`no cloud assembly at ${assemblyDir}: run npm run synth first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const results: FunctionSize[] = [];
  for (const [stackName, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const template = JSON.parse(readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf8')) as {
      Resources?: Record<string, CfnResource>;
    };
    const resources = template.Resources ?? {};
    const assetDir = (logicalId: string): string => {
      const assetPath = resources[logicalId]?.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string') {
        throw new SizeCheckError(`${stackName}/${logicalId} has no aws:asset:path metadata: synthesize with the CDK CLI (npm run synth)`);
      }
      const dir = path.resolve(assemblyDir, assetPath);
      if (!existsSync(dir)) throw new SizeCheckError(`${stackName}/${logicalId}: asset folder ${dir} is missing`);
      return dir;
    };
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::Lambda::Function' || resource.Properties?.PackageType === 'Image') continue;
      const code = resource.Properties?.Code as Record<string, unknown> | undefined;
      if (!code || code.ZipFile !== undefined) continue; // inline code (custom resources): a few KB
      const layers = ((resource.Properties?.Layers as unknown[] | undefined) ?? []).map((ref): LayerSize => {
        const layerId = typeof ref === 'object' && ref !== null && 'Ref' in ref ? String((ref as { Ref: unknown }).Ref) : undefined;
        if (layerId && resources[layerId]?.Type === 'AWS::Lambda::LayerVersion') {
          return { name: layerId, bytes: directoryBytes(assetDir(layerId)) };
        }
        return { name: JSON.stringify(ref), bytes: undefined };
      });
      results.push({ name: `${stackName}/${logicalId}`, bundleBytes: directoryBytes(assetDir(logicalId)), layers });
    }
  }
  return results;
}
