/**
 * The embedded encoder: parameters, forward pass and hand-written gradients, trained with Adam.
 *
 * Architecture (per text of n tokens, `[CLS] … [SEP]`):
 *   x_i = E[t_i]                                   token embedding, D floats
 *   a_i = b + Σ_{k∈{-1,0,1}} W_k^T x_{i+k}         width-3 convolution (zero outside the text)
 *   h_i = x_i + tanh(a_i)                          residual; h is `last_hidden_state`
 *   p   = (1/n) Σ_i h_i                            masked mean pooling
 *   z   = Wc^T p + bc                              `logits`, one per label
 * Loss: softmax cross-entropy. Optimiser: Adam (Kingma & Ba 2015, arXiv:1412.6980).
 *
 * Determinism: one seeded PRNG (mulberry32) drives initialisation, shuffling and token dropout; every
 * sum runs in a fixed order, so the same corpus and options give the same Float32Array weights.
 */
import { mulberry32 } from '../corpus/slots.js';

/** Trainable parameters; matrices are row-major Float32Arrays. */
export interface EncoderParams {
  readonly vocabSize: number;
  readonly dim: number;
  readonly labels: number;
  /** [vocabSize, dim]. */
  readonly embeddings: Float32Array;
  /** Conv weights [3][dim_in][dim_out]: index 0 reads token i-1, 1 token i, 2 token i+1. */
  readonly conv: Float32Array;
  /** [dim]. */
  readonly convBias: Float32Array;
  /** [dim, labels]. */
  readonly classifier: Float32Array;
  /** [labels]. */
  readonly classifierBias: Float32Array;
}

/** Training options. */
export interface TrainOptions {
  readonly dim: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Adam step size. */
  readonly learningRate: number;
  /** Probability of replacing a (non-special) token id by `[UNK]` during training. */
  readonly tokenDropout: number;
  readonly seed: number;
  /** Id of `[UNK]`. */
  readonly unkId: number;
  /** Called after each epoch with its mean loss. */
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

/** One tokenized training example: ids including `[CLS]`/`[SEP]`, and its label index. */
export interface Example {
  readonly ids: readonly number[];
  readonly label: number;
}

/** Gaussian-ish init from the PRNG (sum of 4 uniforms), scaled. */
function initArray(n: number, scale: number, rng: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng() + rng() + rng() + rng() - 2) * scale * 1.7320508;
  return a;
}

/** Fresh parameters drawn from `seed`. */
export function initParams(vocabSize: number, dim: number, labels: number, seed: number): EncoderParams {
  const rng = mulberry32(seed);
  return {
    vocabSize, dim, labels,
    embeddings: initArray(vocabSize * dim, 0.1, rng),
    conv: initArray(3 * dim * dim, 1 / Math.sqrt(3 * dim), rng),
    convBias: new Float32Array(dim),
    classifier: initArray(dim * labels, 1 / Math.sqrt(dim), rng),
    classifierBias: new Float32Array(labels),
  };
}

/** Mean-pooled hidden state of one text (length `dim`), plus the per-token intermediates for backprop. */
function forwardTokens(p: EncoderParams, ids: readonly number[]): { pooled: Float64Array; tanhA: Float64Array } {
  const { dim, embeddings: E, conv: W, convBias: b } = p;
  const n = ids.length;
  const tanhA = new Float64Array(n * dim);
  const pooled = new Float64Array(dim);
  const a = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < dim; o++) a[o] = b[o]!;
    for (let k = 0; k < 3; k++) {
      const j = i + k - 1;
      if (j < 0 || j >= n) continue;
      const xOff = ids[j]! * dim;
      const wOff = k * dim * dim;
      for (let c = 0; c < dim; c++) {
        const xc = E[xOff + c]!;
        if (xc === 0) continue;
        const row = wOff + c * dim;
        for (let o = 0; o < dim; o++) a[o] += xc * W[row + o]!;
      }
    }
    const xOff = ids[i]! * dim;
    for (let o = 0; o < dim; o++) {
      const t = Math.tanh(a[o]!);
      tanhA[i * dim + o] = t;
      pooled[o] += E[xOff + o]! + t;
    }
  }
  for (let o = 0; o < dim; o++) pooled[o] /= n;
  return { pooled, tanhA };
}

/** Softmax probabilities over the labels for one text. */
export function predict(p: EncoderParams, ids: readonly number[]): Float64Array {
  const { pooled } = forwardTokens(p, ids);
  return softmax(logitsOf(p, pooled));
}

function logitsOf(p: EncoderParams, pooled: Float64Array): Float64Array {
  const { dim, labels, classifier: Wc, classifierBias: bc } = p;
  const z = new Float64Array(labels);
  for (let c = 0; c < labels; c++) z[c] = bc[c]!;
  for (let d = 0; d < dim; d++) {
    const pd = pooled[d]!;
    for (let c = 0; c < labels; c++) z[c] += pd * Wc[d * labels + c]!;
  }
  return z;
}

function softmax(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  const out = new Float64Array(z.length);
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += out[i] = Math.exp(z[i]! - max);
  for (let i = 0; i < z.length; i++) out[i]! /= sum;
  return out;
}

/** Gradient buffers, same shapes as the parameters. */
interface Grads { E: Float64Array; W: Float64Array; b: Float64Array; Wc: Float64Array; bc: Float64Array; touched: Set<number> }

/** Adds the gradient of one example's loss to `g`; returns the loss. */
function backward(p: EncoderParams, ex: Example, g: Grads): number {
  const { dim, labels, embeddings: E, conv: W, classifier: Wc } = p;
  const ids = ex.ids;
  const n = ids.length;
  const { pooled, tanhA } = forwardTokens(p, ids);
  const prob = softmax(logitsOf(p, pooled));
  const loss = -Math.log(Math.max(prob[ex.label]!, 1e-12));
  const dz = prob;
  dz[ex.label]! -= 1;
  const dp = new Float64Array(dim);
  for (let d = 0; d < dim; d++) {
    const pd = pooled[d]!;
    let acc = 0;
    for (let c = 0; c < labels; c++) {
      g.Wc[d * labels + c]! += pd * dz[c]!;
      acc += Wc[d * labels + c]! * dz[c]!;
    }
    dp[d] = acc / n; // dh_i, the same for every token
  }
  for (let c = 0; c < labels; c++) g.bc[c]! += dz[c]!;
  const da = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < dim; o++) {
      const t = tanhA[i * dim + o]!;
      da[o] = dp[o]! * (1 - t * t);
      g.b[o]! += da[o]!;
    }
    // residual path: dx_i += dh_i
    const xi = ids[i]! * dim;
    g.touched.add(ids[i]!);
    for (let o = 0; o < dim; o++) g.E[xi + o]! += dp[o]!;
    for (let k = 0; k < 3; k++) {
      const j = i + k - 1;
      if (j < 0 || j >= n) continue;
      const xOff = ids[j]! * dim;
      g.touched.add(ids[j]!);
      const wOff = k * dim * dim;
      for (let c = 0; c < dim; c++) {
        const xc = E[xOff + c]!;
        const row = wOff + c * dim;
        let acc = 0;
        for (let o = 0; o < dim; o++) {
          g.W[row + o]! += xc * da[o]!;
          acc += W[row + o]! * da[o]!;
        }
        g.E[xOff + c]! += acc;
      }
    }
  }
  return loss;
}

/** Adam state of one parameter array. */
class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  constructor(size: number) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }
  /** Updates `param[i]` for the indices given (all when `rows` is undefined; rows of width `width` otherwise). */
  step(param: Float32Array, grad: Float64Array, lr: number, t: number, scale: number, rows?: readonly number[], width = 1): void {
    const b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
    const update = (i: number): void => {
      const gi = grad[i]! * scale;
      this.m[i] = b1 * this.m[i]! + (1 - b1) * gi;
      this.v[i] = b2 * this.v[i]! + (1 - b2) * gi * gi;
      param[i] = param[i]! - (lr * (this.m[i]! / c1)) / (Math.sqrt(this.v[i]! / c2) + eps);
      grad[i] = 0;
    };
    if (!rows) for (let i = 0; i < param.length; i++) update(i);
    else for (const r of rows) for (let i = r * width; i < (r + 1) * width; i++) update(i);
  }
}

/**
 * Trains `params` in place on `examples` (lazy Adam: embedding rows are updated only when used in
 * the batch). Deterministic for a given `options.seed`.
 */
export function train(params: EncoderParams, examples: readonly Example[], options: TrainOptions): void {
  const rng = mulberry32(options.seed ^ 0x5eed);
  const g: Grads = {
    E: new Float64Array(params.embeddings.length), W: new Float64Array(params.conv.length), b: new Float64Array(params.dim),
    Wc: new Float64Array(params.classifier.length), bc: new Float64Array(params.labels), touched: new Set(),
  };
  const opt = {
    E: new Adam(params.embeddings.length), W: new Adam(params.conv.length), b: new Adam(params.dim),
    Wc: new Adam(params.classifier.length), bc: new Adam(params.labels),
  };
  const order = examples.map((_, i) => i);
  let t = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let total = 0;
    for (let start = 0; start < order.length; start += options.batchSize) {
      const batch = order.slice(start, start + options.batchSize);
      for (const idx of batch) {
        const ex = examples[idx]!;
        const ids = ex.ids.map((id, k) => (k > 0 && k < ex.ids.length - 1 && rng() < options.tokenDropout ? options.unkId : id));
        total += backward(params, { ids, label: ex.label }, g);
      }
      t++;
      const scale = 1 / batch.length;
      const lr = options.learningRate;
      const rows = [...g.touched].sort((a, b) => a - b);
      g.touched.clear();
      opt.E.step(params.embeddings, g.E, lr, t, scale, rows, params.dim);
      opt.W.step(params.conv, g.W, lr, t, scale);
      opt.b.step(params.convBias, g.b, lr, t, scale);
      opt.Wc.step(params.classifier, g.Wc, lr, t, scale);
      opt.bc.step(params.classifierBias, g.bc, lr, t, scale);
    }
    options.onEpoch?.(epoch, total / order.length);
  }
}
