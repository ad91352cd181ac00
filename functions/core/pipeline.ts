/**
 * The inference pipeline: normalize has already produced the {@link Incident}; this runs
 * collect → analyze → retrieve → infer → compose. Pure core: every outside dependency arrives
 * through {@link PipelineDeps}.
 *
 * A failing stage never kills the diagnosis: its error is recorded in `degraded` and the later
 * stages run with what there is (an empty analysis, no passages, an `unknown` hypothesis).
 */
import type { Incident } from './model/incident.js';
import type { CollectedContext, Degradation } from './model/evidence.js';
import type { Analysis, Hypothesis, Retrieval } from './model/analysis.js';
import type { Diagnosis } from './model/diagnosis.js';
import { describeError } from './model/errors.js';
import type { Collector } from './ports/collector.port.js';
import type { CategoryClassifier } from './ports/model.port.js';
import { collect } from './stages/collect/index.js';
import { analyzeWithErrors } from './stages/analyze/index.js';
import { retrieve, type RunbookIndex } from './stages/retrieve/index.js';
import { infer } from './stages/infer/index.js';
import { compose } from './stages/compose/index.js';
import { shortDigest } from './model/store-layout.js';

/** What the pipeline needs from the outside world; build once per process and reuse. */
export interface PipelineDeps {
  /** Sources of context; run concurrently under `budgetMs`. */
  readonly collectors: readonly Collector[];
  /** The runbook index (bundled runbooks plus any `--kb` folders or S3 prefix). */
  readonly runbooks: RunbookIndex;
  /** Optional ONNX classifier; without it hypotheses come from rules alone. */
  readonly classifier?: CategoryClassifier;
  /** Clock, for `createdAt`; default `() => new Date()`. */
  readonly now?: () => Date;
  /** Time budget of the collect stage in milliseconds; default 10 000. */
  readonly budgetMs?: number;
  /** Aborts collection early (e.g. the Lambda's remaining time ran low). */
  readonly signal?: AbortSignal;
}

/**
 * What the caller measured or met before the pipeline (normalize time, a model that did not
 * load, an alarm-tag check that could not run): compose sees it with the stages' own, once.
 */
export interface PipelineRun {
  /** Added after the stages' degradations, in this order. */
  readonly degraded?: readonly Degradation[];
  /** Milliseconds of steps before the pipeline (e.g. `normalize`). */
  readonly timings?: Readonly<Record<string, number>>;
  /** Called with each stage's name as it starts (`collect`, `analyze`, `retrieve`, `infer`, `compose`): progress reports. */
  readonly onStage?: (stage: string) => void;
}

const EMPTY_CONTEXT: CollectedContext = {
  logs: [], baselineLogs: [], kubernetesObjects: [], kubernetesEvents: [], describes: [],
  metrics: [], priorDiagnoses: [], degraded: [],
};
const EMPTY_ANALYSIS: Analysis = { patterns: [], findings: [], signatureMatches: [] };
const EMPTY_RETRIEVAL: Retrieval = { passages: [], similarIncidents: [] };

/**
 * Runs the pipeline for one incident and returns the composed (redacted) diagnosis.
 * The diagnosis id equals the incident id, so a replayed event yields the same id.
 *
 * @throws nothing for stage failures (they become `degraded` entries); only a programming error
 *   in compose itself can throw.
 * @example
 * const diagnosis = await runPipeline(incident, { collectors: [fileCollector('pod.txt')], runbooks });
 */
export async function runPipeline(incident: Incident, deps: PipelineDeps, run: PipelineRun = {}): Promise<Diagnosis> {
  const now = deps.now ?? (() => new Date());
  const timings: Record<string, number> = { ...run.timings };
  const degraded: Degradation[] = [];
  const onStage = run.onStage;

  const timed = async <T>(stage: string, fallback: T, run: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      onStage?.(stage);
      return await run();
    } catch (error) {
      degraded.push({ component: stage, kind: 'error', reason: describeError(error) });
      return fallback;
    } finally {
      timings[stage] = Math.round((performance.now() - started) * 10) / 10;
    }
  };

  const context = await timed('collect', EMPTY_CONTEXT, () =>
    collect(incident, [...deps.collectors], { budgetMs: deps.budgetMs ?? 10_000, signal: deps.signal }),
  );
  const analysis = await timed('analyze', EMPTY_ANALYSIS, () => {
    // A failing analyzer is recorded and the others' results are kept.
    const result = analyzeWithErrors(incident, context);
    degraded.push(...result.errors);
    return result.analysis;
  });
  const retrieval = await timed('retrieve', EMPTY_RETRIEVAL, () =>
    retrieve(incident, context, analysis, deps.runbooks),
  );
  const inferred = await timed('infer', { hypotheses: [] as Hypothesis[], degraded: [] as Degradation[] }, () =>
    infer({ incident, context, analysis, retrieval }, deps.classifier),
  );

  const started = performance.now();
  onStage?.('compose');
  const diagnosis = compose({
    id: incident.id,
    createdAt: now().toISOString(),
    incident,
    analysis,
    retrieval,
    hypotheses: inferred.hypotheses,
    model: 'model' in inferred ? inferred.model : undefined,
    degraded: [...context.degraded, ...degraded, ...inferred.degraded, ...(run.degraded ?? [])],
    metrics: context.metrics,
    timings,
  });
  // compose cannot time itself: its own duration is added to the document it returned.
  return { ...diagnosis, timings: { ...diagnosis.timings, compose: Math.round((performance.now() - started) * 10) / 10 } };
}

/** A short stable digest (hex) of some strings: sha256, first `length` chars (see `model/store-layout.ts`). */
export function digest(parts: readonly string[], length = 20): string {
  return shortDigest(parts, length);
}
