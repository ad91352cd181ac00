/**
 * Ports of the infer and retrieve stages for models (the ONNX adapter implements them).
 */
import type { Category } from '../model/categories.js';

/** A text classifier over the category catalogue. */
export interface CategoryClassifier {
  /** Model id from `models/manifest.json`. */
  readonly id: string;
  /** sha256 (hex) of the model's `onnx/model.onnx`. */
  readonly sha256: string;
  /**
   * Scores each text: one array per input text, each a list of `{ category, score }` where scores
   * are probabilities (softmax over the model's labels, summing to 1), best first.
   */
  classify(texts: readonly string[]): Promise<Array<Array<{ category: Category; score: number }>>>;
}

/** A sentence encoder. */
export interface TextEmbedder {
  readonly id: string;
  /** Embeddings, one per text, L2-normalised, all of the model's dimension. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
