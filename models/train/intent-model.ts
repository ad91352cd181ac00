/**
 * The intent model: a fastText-style classifier (Joulin et al. 2016, arXiv:1607.01759) over hashed
 * word and character n-gram features (`functions/adapters/onnx/intent-features.ts`).
 *
 *   p = (1/n) Σ_i E[f_i]          mean of the feature embeddings (D floats)
 *   z = Wᵀ p + b                  `logits`, one per label
 * Loss: softmax cross-entropy. Optimiser: plain SGD, one example at a time, the step size decaying
 * linearly to zero (as fastText does); hand-written gradients. Feature dropout during training makes
 * the character n-grams carry the meaning when a word is misspelt.
 *
 * Determinism: one seeded PRNG (mulberry32) drives initialisation, shuffling and dropout; the same
 * examples and options give the same Float32Array weights.
 *
 * The ONNX graph (opset 13, IR 7, written with `onnx-proto`): Gather → ×mask → ReduceSum / count →
 * MatMul + Add → `logits`; inputs `input_ids`, `attention_mask` int64 [batch, features].
 */
import onnxProto from 'onnx-proto';
import { mulberry32 } from '../corpus/slots.js';

const { onnx } = onnxProto;

export interface IntentParams {
  /** Embedding rows (buckets + 1; row 0 is padding and stays zero). */
  readonly rows: number;
  readonly dim: number;
  readonly labels: number;
  /** [rows, dim]. */
  readonly embeddings: Float32Array;
  /** [dim, labels]. */
  readonly weight: Float32Array;
  /** [labels]. */
  readonly bias: Float32Array;
}

export interface IntentExample {
  readonly ids: readonly number[];
  readonly label: number;
}

export interface IntentTrainOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly dropout: number;
  readonly seed: number;
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

export function initIntentParams(rows: number, dim: number, labels: number, seed: number): IntentParams {
  const rng = mulberry32(seed);
  const embeddings = new Float32Array(rows * dim);
  for (let i = dim; i < embeddings.length; i++) embeddings[i] = (rng() * 2 - 1) / dim;
  return { rows, dim, labels, embeddings, weight: new Float32Array(dim * labels), bias: new Float32Array(labels) };
}

function pooled(p: IntentParams, ids: readonly number[]): Float64Array {
  const { dim, embeddings: E } = p;
  const v = new Float64Array(dim);
  for (const id of ids) {
    const off = id * dim;
    for (let d = 0; d < dim; d++) v[d] = v[d]! + E[off + d]!;
  }
  const n = Math.max(ids.length, 1);
  for (let d = 0; d < dim; d++) v[d] = v[d]! / n;
  return v;
}

function softmax(p: IntentParams, v: Float64Array): Float64Array {
  const { dim, labels, weight: W, bias: b } = p;
  const z = new Float64Array(labels);
  for (let l = 0; l < labels; l++) {
    let s = b[l]!;
    for (let d = 0; d < dim; d++) s += v[d]! * W[d * labels + l]!;
    z[l] = s;
  }
  let max = -Infinity;
  for (const x of z) if (x > max) max = x;
  let sum = 0;
  for (let l = 0; l < labels; l++) sum += (z[l] = Math.exp(z[l]! - max));
  for (let l = 0; l < labels; l++) z[l] = z[l]! / sum;
  return z;
}

/** Label probabilities of one example (what the ONNX graph computes, plus the softmax). */
export function predictIntent(p: IntentParams, ids: readonly number[]): Float64Array {
  return softmax(p, pooled(p, ids));
}

/** Trains `p` in place. */
export function trainIntent(p: IntentParams, examples: readonly IntentExample[], options: IntentTrainOptions): void {
  const rng = mulberry32(options.seed ^ 0x5bd1e995);
  const { dim, labels, embeddings: E, weight: W, bias: b } = p;
  const order = examples.map((_, i) => i);
  const total = options.epochs * examples.length;
  let step = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let loss = 0;
    for (const index of order) {
      const ex = examples[index]!;
      const lr = options.learningRate * (1 - step / total);
      step++;
      let ids: readonly number[] = ex.ids.filter(() => rng() >= options.dropout);
      if (ids.length === 0) ids = ex.ids;
      const v = pooled(p, ids);
      const prob = softmax(p, v);
      loss -= Math.log(Math.max(prob[ex.label]!, 1e-12));
      const g = prob;
      g[ex.label] = g[ex.label]! - 1;
      const dv = new Float64Array(dim);
      for (let d = 0; d < dim; d++) {
        let s = 0;
        for (let l = 0; l < labels; l++) {
          s += W[d * labels + l]! * g[l]!;
          W[d * labels + l] = W[d * labels + l]! - lr * g[l]! * v[d]!;
        }
        dv[d] = s / ids.length;
      }
      for (let l = 0; l < labels; l++) b[l] = b[l]! - lr * g[l]!;
      for (const id of ids) {
        const off = id * dim;
        for (let d = 0; d < dim; d++) E[off + d] = E[off + d]! - lr * dv[d]!;
      }
    }
    options.onEpoch?.(epoch, loss / examples.length);
  }
}

const floatTensor = (name: string, dims: number[], data: Float32Array) =>
  onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
const int64Tensor = (name: string, values: number[]) =>
  onnx.TensorProto.create({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values });
const intAttr = (name: string, i: number) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });
const node = (opType: string, input: string[], output: string[], attribute: ReturnType<typeof intAttr>[] = []) =>
  onnx.NodeProto.create({ opType, input, output, name: output[0], attribute });

function valueInfo(name: string, elemType: number, dims: Array<string | number>) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) => (typeof d === 'string' ? onnx.TensorShapeProto.Dimension.create({ dimParam: d }) : onnx.TensorShapeProto.Dimension.create({ dimValue: d }))),
        }),
      }),
    }),
  });
}

/** Serialises `p` to ONNX bytes; no timestamps, fixed node order, so equal weights give equal bytes. */
export function exportIntentOnnx(p: IntentParams, docString: string): Uint8Array {
  const F = onnx.TensorProto.DataType.FLOAT;
  const I64 = onnx.TensorProto.DataType.INT64;
  const graph = onnx.GraphProto.create({
    name: 'ops-intent',
    node: [
      node('Gather', ['embeddings.weight', 'input_ids'], ['x'], [intAttr('axis', 0)]),
      node('Cast', ['attention_mask'], ['mask_f'], [intAttr('to', F)]),
      node('Unsqueeze', ['mask_f', 'axis_last'], ['mask_3d']),
      node('Mul', ['x', 'mask_3d'], ['x_masked']),
      node('ReduceSum', ['x_masked', 'axis_seq'], ['x_sum'], [intAttr('keepdims', 0)]),
      node('ReduceSum', ['mask_3d', 'axis_seq'], ['n_features'], [intAttr('keepdims', 0)]),
      node('Max', ['n_features', 'one'], ['n_safe']),
      node('Div', ['x_sum', 'n_safe'], ['pooled']),
      node('MatMul', ['pooled', 'classifier.weight'], ['z']),
      node('Add', ['z', 'classifier.bias'], ['logits']),
    ],
    initializer: [
      floatTensor('embeddings.weight', [p.rows, p.dim], p.embeddings),
      floatTensor('classifier.weight', [p.dim, p.labels], p.weight),
      floatTensor('classifier.bias', [p.labels], p.bias),
      floatTensor('one', [1], new Float32Array([1])),
      int64Tensor('axis_last', [-1]),
      int64Tensor('axis_seq', [1]),
    ],
    input: [valueInfo('input_ids', I64, ['batch_size', 'sequence_length']), valueInfo('attention_mask', I64, ['batch_size', 'sequence_length'])],
    output: [valueInfo('logits', F, ['batch_size', p.labels])],
  });
  const model = onnx.ModelProto.create({
    irVersion: 7, producerName: 'ops-assistant models/train', producerVersion: '1', docString,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: 13 })], graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
