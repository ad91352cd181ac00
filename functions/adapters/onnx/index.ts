/**
 * ONNX adapter: model loading (manifest, hash verification, memoised sessions) and the
 * implementations of the model ports (`CategoryClassifier`, `TextEmbedder`), plus the optional
 * grounded narrative generator.
 */
export { createClassifier, createEmbedder, DEFAULT_MODEL_ID, type ModelOptions } from './classifier.js';
export { createIntentClassifier, INTENT_MODEL_ID } from './intent-classifier.js';
export { DEFAULT_INTENT_FEATURES, intentFeatureIds, intentFeatureStrings, intentTokens, type IntentFeatureConfig } from './intent-features.js';
export { loadModelFromManifest, resetModelCache, sha256File, type LoadedModel, type LoadedPipeline } from './loader.js';
export { readManifest, resolveEntry, upsertManifestEntry, MANIFEST_FILE, MODEL_TASKS, type ManifestEntry, type ModelTask } from './manifest.js';
export { checkNarrative, createGenerator, narrate, narrativePrompt, type GenerateFn, type NarrateOptions, type NarrativeResult } from './narrative.js';
