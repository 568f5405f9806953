/**
 * The training pipeline, one direction: dataset → split → bake-off → hyperparameter round →
 * (fine-tuning) → final fit on train + validation → test → export → RunResult. Shared by the
 * CLI, the action and the tests.
 *
 * train() runs the stages of run/stages/index.ts in order over one run context; how the
 * budget is shared out between them is run/budget.ts; the live models and the embedding
 * workers belong to one owner (run/models.ts), which frees them when the run ends or fails.
 */
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { describeBackend, ensureBackend } from './backend/select.js';
import { loadModelSource } from './backbones/source.js';
import { EmbeddingPool, useWorkers } from './embeddings/parallel.js';
import { chooseInferenceEngine, describeInference, inferenceInfo, trainsSmallCnn, type EngineProbes } from './engine/choose.js';
import { validateOptions, type TrainOptions } from './options.js';
import { systemClock, type Clock, type Logger } from './ports.js';
import { RunResult, trainingRoles } from './result.js';
import { resolveBackbones } from './run/backbones.js';
import { planBudget } from './run/budget.js';
import { createRunContext } from './run/context.js';
import { LiveModels } from './run/models.js';
import { buildRunResult } from './run/result.js';
import { STAGES } from './run/stages/index.js';

export { resolveBackbones } from './run/backbones.js';

export interface PipelineDeps {
  log: Logger;
  clock?: Clock;
  /** Wall-clock time for the result's timestamps; injectable for reproducible tests. */
  date?: () => Date;
  /** How the inference engine is probed (ONNX Runtime, CUDA); injectable to stand in for other machines. */
  engineProbes?: EngineProbes;
}

/** Runs a whole training and writes `<outDir>/result.json` and `<outDir>/model/`. */
export async function train(options: TrainOptions, deps: PipelineDeps): Promise<RunResult> {
  validateOptions(options);
  const { log } = deps;
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const date = deps.date ?? (() => new Date());
  const startedAt = date().toISOString();
  const t0 = now();
  const budget = planBudget(t0, options.budgetSeconds);

  const backend = await ensureBackend();
  const engine = await chooseInferenceEngine(
    { engine: options.engine ?? 'auto', device: options.device ?? 'auto', tfjs: backend, tfjsWorkers: options.workers, cacheDir: options.cacheDir },
    deps.engineProbes,
  );
  log.info(`Training backend (${trainingRoles(trainsSmallCnn(engine))}): ${describeBackend(backend)}`);
  log.info(`Inference engine: ${describeInference(inferenceInfo(engine))}`);
  // Asked for, the GPU gets a line of its own when it cannot be used.
  const cudaSkipped = engine.skipped.find((s) => s.engine === 'onnxruntime (CUDA)');
  if (options.device === 'gpu' && cudaSkipped) log.warn(`GPU asked for, but ${cudaSkipped.reason}.`);
  // Resolved once now so a wrong name, path or unreachable URL fails before any image is
  // read (downloads land in the cache, so the bake-off reads them from disk), and again
  // with the data's image size for `auto`.
  for (const spec of resolveBackbones(options.backbones, backend.name === 'tensorflow')) {
    if (!spec.builtin) await loadModelSource(spec.source, options.cacheDir, { sha256: spec.sha256 });
  }

  // Started now, the workers warm up (backend, WASM) while the dataset is read. ONNX Runtime needs none: it uses every core itself.
  const pool =
    engine.engine === 'tfjs' && useWorkers(options.workers, Infinity, log)
      ? EmbeddingPool.start({ workers: options.workers, cacheDir: options.cacheDir, maxPixels: options.maxPixels })
      : null;
  if (pool) log.info(`Embedding workers: ${pool.size} threads, started once for the whole run`);
  const run = createRunContext({ options, log, now, budget, backend, engine, models: new LiveModels(pool) });
  try {
    for (const stage of STAGES) await stage.run(run);
    const usedSeconds = (now() - t0) / 1000;
    run.timings.push({ stage: 'total', seconds: usedSeconds });
    const result = buildRunResult(run, { startedAt, finishedAt: date().toISOString(), usedSeconds });
    RunResult.parse(result);
    await writeFileAtomic(join(options.outDir, 'result.json'), JSON.stringify(result, null, 2) + '\n');
    return result;
  } finally {
    await run.models.dispose();
  }
}
