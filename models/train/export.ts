/**
 * Writes the trained encoder as an ONNX graph (opset 13, IR version 7) with the `onnx-proto`
 * protobuf bindings (https://github.com/onnx/onnx/blob/main/docs/Operators.md for the ops).
 *
 * Inputs: `input_ids` int64 [batch, sequence], `attention_mask` int64 [batch, sequence].
 * Outputs: `last_hidden_state` float [batch, sequence, dim] (what transformers.js feature-extraction
 * reads) and `logits` float [batch, labels] (what text-classification reads).
 * Graph: Gather → ×mask → Transpose → Conv(k=3, pad 1) → Tanh → Transpose → +x → masked mean → MatMul+Add.
 * The bytes depend only on the parameters: no timestamps, fixed node order.
 */
import onnxProto from 'onnx-proto';
import type { EncoderParams } from './encoder.js';

const { onnx } = onnxProto;

/** Conv weights in ONNX layout [out, in, kernel] from ours [kernel][in][out]. */
function convWeightsOnnx(p: EncoderParams): Float32Array {
  const { dim } = p;
  const out = new Float32Array(3 * dim * dim);
  for (let k = 0; k < 3; k++)
    for (let c = 0; c < dim; c++)
      for (let o = 0; o < dim; o++) out[o * dim * 3 + c * 3 + k] = p.conv[k * dim * dim + c * dim + o]!;
  return out;
}

const floatTensor = (name: string, dims: number[], data: Float32Array) =>
  onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
const int64Tensor = (name: string, values: number[]) =>
  onnx.TensorProto.create({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values });

const intsAttr = (name: string, ints: number[]) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints });
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

/** Serialises `params` to ONNX model bytes. `docString` goes into the model (e.g. corpus hash). */
export function exportOnnx(params: EncoderParams, docString: string): Uint8Array {
  const { dim, labels, vocabSize } = params;
  const F = onnx.TensorProto.DataType.FLOAT;
  const I64 = onnx.TensorProto.DataType.INT64;
  const nodes = [
    node('Gather', ['embeddings.weight', 'input_ids'], ['x_raw'], [intAttr('axis', 0)]),
    node('Cast', ['attention_mask'], ['mask_f'], [intAttr('to', F)]),
    node('Unsqueeze', ['mask_f', 'axis_last'], ['mask_3d']),
    node('Mul', ['x_raw', 'mask_3d'], ['x']),
    node('Transpose', ['x'], ['x_t'], [intsAttr('perm', [0, 2, 1])]),
    node('Conv', ['x_t', 'mixer.weight', 'mixer.bias'], ['a_t'], [intsAttr('kernel_shape', [3]), intsAttr('pads', [1, 1])]),
    node('Tanh', ['a_t'], ['t_t']),
    node('Transpose', ['t_t'], ['t'], [intsAttr('perm', [0, 2, 1])]),
    node('Add', ['x', 't'], ['last_hidden_state']),
    node('Mul', ['last_hidden_state', 'mask_3d'], ['h_masked']),
    node('ReduceSum', ['h_masked', 'axis_seq'], ['h_sum'], [intAttr('keepdims', 0)]),
    node('ReduceSum', ['mask_3d', 'axis_seq'], ['n_tokens'], [intAttr('keepdims', 0)]),
    node('Max', ['n_tokens', 'one'], ['n_safe']),
    node('Div', ['h_sum', 'n_safe'], ['pooled']),
    node('MatMul', ['pooled', 'classifier.weight'], ['z']),
    node('Add', ['z', 'classifier.bias'], ['logits']),
  ];
  const graph = onnx.GraphProto.create({
    name: 'ops-encoder',
    node: nodes,
    initializer: [
      floatTensor('embeddings.weight', [vocabSize, dim], params.embeddings),
      floatTensor('mixer.weight', [dim, dim, 3], convWeightsOnnx(params)),
      floatTensor('mixer.bias', [dim], params.convBias),
      floatTensor('classifier.weight', [dim, labels], params.classifier),
      floatTensor('classifier.bias', [labels], params.classifierBias),
      floatTensor('one', [1], new Float32Array([1])),
      int64Tensor('axis_last', [-1]),
      int64Tensor('axis_seq', [1]),
    ],
    input: [valueInfo('input_ids', I64, ['batch_size', 'sequence_length']), valueInfo('attention_mask', I64, ['batch_size', 'sequence_length'])],
    output: [valueInfo('last_hidden_state', F, ['batch_size', 'sequence_length', dim]), valueInfo('logits', F, ['batch_size', labels])],
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'ops-assistant models/train',
    producerVersion: '1',
    docString,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: 13 })],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
