/**
 * The ONNX runtime + model layer as a CDK asset. The asset is produced at synth time by
 * {@link buildOnnxLayer} through CDK's local bundling (no Docker), so `cdk synth` on a fresh clone
 * builds it; template tests skip it with the `aws:cdk:bundling-stacks: []` context.
 */
import path from 'node:path';
import { AssetHashType, DockerImage, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { buildOnnxLayer, mib, type LambdaArchitecture } from '../../layers/onnx-layer.js';

/** Props of {@link OnnxLayer}. */
export interface OnnxLayerProps {
  readonly repoRoot: string;
  readonly architecture: LambdaArchitecture;
  /** Compatible runtime. */
  readonly runtime: lambda.Runtime;
  /** Model folders of `models/` to ship; empty = runtime only. */
  readonly modelIds: readonly string[];
}

/** Lambda layer with onnxruntime-node (target platform only), transformers.js and the model. */
export class OnnxLayer extends Construct {
  readonly layer: lambda.LayerVersion;

  constructor(scope: Construct, id: string, props: OnnxLayerProps) {
    super(scope, id);
    const code = lambda.Code.fromAsset(path.join(props.repoRoot, 'layers'), {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never pulled: local bundling always succeeds or throws.
        image: DockerImage.fromRegistry('public.ecr.aws/lambda/nodejs:22'),
        local: {
          tryBundle(outputDir: string): boolean {
            const report = buildOnnxLayer({ repoRoot: props.repoRoot, outDir: outputDir, architecture: props.architecture, modelIds: props.modelIds });
            process.stderr.write(`ops-assistant: ONNX layer (${props.architecture}) ${mib(report.unzippedBytes)} unzipped, models: ${report.models.map((m) => m.id).join(', ') || 'none'}\n`);
            return true;
          },
        },
      },
    });
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      description: `onnxruntime-node, @huggingface/transformers, sharp (linux ${props.architecture}) and models: ${props.modelIds.join(', ') || 'none'}`,
      code,
      compatibleArchitectures: [props.architecture === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64],
      compatibleRuntimes: [props.runtime],
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
