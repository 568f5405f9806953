/**
 * The training pipeline, one direction: dataset → split → bake-off → hyperparameter round →
 * (fine-tuning) → final fit on train + validation → test → export → RunResult. Shared by the
 * CLI, the action and the tests.
 *
 * Budget: the time left after reading the data is shared out: about half for the bake-off,
 * the rest for tuning, fine-tuning and the final fit, with a reserve kept for evaluation and
 * export, so a run ends close to its budget with a model rather than being cut off without one.
 */
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { join, relative, resolve } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { describeBackend, ensureBackend } from './backend/select.js';
import { fineTuneUnsupported } from './backbones/fine-tune-split.js';
import { loadModelSource } from './backbones/source.js';
import { autoBackbones, parseBackboneSpec, type BackboneSpec } from './backbones/zoo.js';
import { typicalImageSide } from './dataset/image-sizes.js';
import { prepareDataset } from './dataset/prepare.js';
import { attachThumbnails, evaluate } from './evaluate.js';
import { exportModel } from './model/export.js';
import { validateOptions, type TrainOptions } from './options.js';
import { systemClock, type Clock, type Logger } from './ports.js';
import { RunResult, SCHEMA_VERSION, type StageTiming } from './result.js';
import { runBakeOff } from './training/bakeoff.js';
import { disposeFitted, predictProbabilities } from './training/candidates.js';
import { fineTuneTop } from './training/fine-tune.js';
import { refitOnTrainAndVal } from './training/refit.js';
import { runTuning } from './training/tuning.js';
import { VERSION } from './version.js';

/** Share of the post-bake-off time the hyperparameter round gets when fine-tuning may follow. */
const TUNING_SHARE_WITH_FINE_TUNE = 0.6;
/** Share of the post-bake-off time kept for the final fit when the winner is a head on embeddings. */
const REFIT_SHARE = 0.15;
/** With fine-tune: auto, fine-tuning is skipped when less than this share of the budget is left. */
const MIN_FINE_TUNE_SHARE = 0.05;

export interface PipelineDeps {
  log: Logger;
  clock?: Clock;
  /** Wall-clock time for the result's timestamps; injectable for reproducible tests. */
  date?: () => Date;
}

export function resolveBackbones(requested: string[], nativeBackend: boolean, typicalSide?: number | null): BackboneSpec[] {
  const names = requested.flatMap((b) => (b.trim().toLowerCase() === 'auto' ? autoBackbones(nativeBackend, typicalSide) : [b]));
  const specs = names.map(parseBackboneSpec);
  const seen = new Set<string>();
  return specs.filter((s) => !seen.has(s.id) && seen.add(s.id));
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
  const deadline = t0 + options.budgetSeconds * 1000;
  const timings: StageTiming[] = [];
  const timed = async <T>(stage: StageTiming['stage'], title: string, work: () => Promise<T> | T): Promise<T> => {
    const close = log.stage(title);
    const start = now();
    try {
      return await work();
    } finally {
      timings.push({ stage, seconds: (now() - start) / 1000 });
      close();
    }
  };

  const backend = await ensureBackend();
  log.info(`Compute backend: ${describeBackend(backend)}`);
  // Resolved once now so a wrong name, path or unreachable URL fails before any image is
  // read (downloads land in the cache, so the bake-off reads them from disk), and again
  // below with the data's image size for `auto`.
  for (const spec of resolveBackbones(options.backbones, backend.name === 'tensorflow')) {
    if (!spec.builtin) await loadModelSource(spec.source, options.cacheDir);
  }

  const dataset = await timed('scan', 'Reading the dataset', async () => {
    const prepared = await prepareDataset({ datasetPath: options.datasetPath, split: options.split, seed: options.seed, maxPixels: options.maxPixels, workDir: options.cacheDir }, log);
    const s = prepared.summary;
    log.info(`${s.images} images, ${s.labels.length} labels; split ${s.counts.reduce((n, c) => n + c.train, 0)} train / ${s.counts.reduce((n, c) => n + c.val, 0)} val / ${s.counts.reduce((n, c) => n + c.test, 0)} test${s.skipped.length ? `; ${s.skipped.length} files skipped` : ''}`);
    for (const warning of s.warnings) log.warn(warning);
    return prepared;
  });

  const typicalSide = await typicalImageSide(dataset.images.map((i) => i.path));
  const specs = resolveBackbones(options.backbones, backend.name === 'tensorflow', typicalSide);
  dataset.summary.typicalSide = typicalSide ?? undefined;

  const remaining = () => Math.max(0, deadline - now());
  const reserve = Math.max(3000, remaining() * 0.1);
  const bakeOffDeadline = now() + (remaining() - reserve) * 0.5;
  const bakeOff = await timed('bakeOff', `Bake-off: ${specs.map((s) => s.id).join(', ')}`, () =>
    runBakeOff(specs, { dataset, cacheDir: options.cacheDir, maxPixels: options.maxPixels, workers: options.workers, maxEpochs: options.epochs, seed: options.seed, deadline: bakeOffDeadline, now, log }),
  );
  const { prepared } = bakeOff.winner;
  const embedSeconds = bakeOff.rows.reduce((s, r) => s + r.embedSeconds, 0);
  timings.push({ stage: 'embed', seconds: embedSeconds });
  log.info(`Winner: ${prepared.displayName}`);

  try {
    const tuningStart = now();
    // Why the winner's top cannot be fine-tuned, if it cannot; then tuning takes its time.
    const fineTuneBlocker =
      options.fineTune === 'false' ? 'switched off (fine-tune: false)'
      : prepared.kind === 'scratch' ? 'the winner is the small CNN, already trained end to end'
      : fineTuneUnsupported(prepared.extractor!);
    const mayFineTune = !fineTuneBlocker;
    // The final fit retrains a head on embeddings (seconds); keep a share of the time for it.
    const refitReserve = prepared.kind === 'frozen' ? (deadline - reserve - now()) * REFIT_SHARE : 0;
    const fineTuneEnd = deadline - reserve - refitReserve;
    const tuningDeadline = mayFineTune ? now() + (fineTuneEnd - now()) * TUNING_SHARE_WITH_FINE_TUNE : fineTuneEnd;
    const tuning = await timed('tuning', `Hyperparameter round on ${prepared.displayName}`, () =>
      runTuning(prepared, bakeOff.winner.fitted, {
        numClasses: dataset.labels.length,
        maxTrials: options.trials,
        maxEpochs: options.epochs,
        seed: options.seed,
        deadline: tuningDeadline,
        now,
        log,
      }),
    );
    if (tuning.best !== bakeOff.winner.fitted) disposeFitted(bakeOff.winner.fitted);
    let best = tuning.best;
    let evaluated = prepared;
    let fineTune: RunResult['tuning']['fineTune'];
    const fineTuneLeft = fineTuneEnd - now();
    if (fineTuneBlocker) {
      fineTune = { applied: false, reason: fineTuneBlocker };
    } else if (options.fineTune === 'auto' && fineTuneLeft < options.budgetSeconds * 1000 * MIN_FINE_TUNE_SHARE) {
      fineTune = { applied: false, reason: `not enough of the budget left (${Math.max(0, fineTuneLeft / 1000).toFixed(0)} s); raise the budget, or set fine-tune to true` };
    } else {
      // fine-tune: true runs even when the budget is spent, with a floor of its own.
      const fineTuneDeadline = options.fineTune === 'true' ? Math.max(fineTuneEnd, now() + Math.max(30_000, options.budgetSeconds * 250)) : fineTuneEnd;
      const outcome = await timed('fineTune', 'Fine-tuning the top block', () =>
        fineTuneTop(prepared, best, { dataset, cacheDir: options.cacheDir, maxPixels: options.maxPixels, seed: options.seed, deadline: fineTuneDeadline, now, log }),
      );
      fineTune = outcome.decision;
      if (outcome.improved) {
        disposeFitted(best);
        best = outcome.improved.fitted;
        evaluated = outcome.improved.prepared;
      }
    }
    if (!fineTune.applied) log.info(`Fine-tuning: skipped, ${fineTune.reason}`);
    const refit = await timed('refit', 'Final fit on train + validation', () =>
      refitOnTrainAndVal(evaluated, best, { numClasses: dataset.labels.length, seed: options.seed, deadline: deadline - reserve, now }),
    );
    log.info(`Final fit: ${refit.decision.applied ? '' : 'skipped, '}${refit.decision.reason}`);
    if (refit.refitted) {
      disposeFitted(best);
      best = refit.refitted;
    }
    const tuningSeconds = (now() - tuningStart) / 1000;

    const testImages = dataset.images.filter((i) => i.split === 'test');
    const metrics = await timed('evaluate', 'Evaluating on the test split', async () => {
      const probabilities = predictProbabilities(best, evaluated.test);
      const measured = evaluate(dataset.labels, testImages.map((i) => ({ file: i.file, sha256: i.sha256, label: dataset.labels.indexOf(i.label) })), probabilities);
      const pathOf = new Map(testImages.map((i) => [i.file, i.path]));
      return { ...measured, mistakes: await attachThumbnails(measured.mistakes, (file) => pathOf.get(file)) };
    });
    log.info(`Test accuracy: ${(metrics.accuracy * 100).toFixed(1)}% on ${metrics.images} images`);

    const modelDir = join(options.outDir, 'model');
    const model = await timed('export', 'Exporting the model', () =>
      exportModel({ dir: modelDir, displayDir: displayPath(modelDir), prepared, fitted: best, labels: dataset.labels, metrics }),
    );
    disposeFitted(best);

    const usedSeconds = (now() - t0) / 1000;
    timings.push({ stage: 'total', seconds: usedSeconds });
    const result: RunResult = {
      schemaVersion: SCHEMA_VERSION,
      startedAt,
      finishedAt: date().toISOString(),
      seed: options.seed,
      config: {
        backbones: specs.map((s) => s.id),
        budgetSeconds: options.budgetSeconds,
        trials: options.trials,
        epochs: options.epochs,
        fineTune: options.fineTune,
        split: options.split,
        seed: options.seed,
      },
      backend,
      dataset: dataset.summary,
      bakeOff: { candidates: bakeOff.rows, winner: prepared.spec.id },
      tuning: {
        backbone: prepared.spec.id,
        strategy: `successive halving over ${tuning.trials.length} seeded random proposals (trial 1: seed rule)`,
        trials: tuning.trials,
        bestTrial: tuning.bestTrial,
        best: best.config,
        fineTune,
        refit: refit.decision,
        seconds: tuningSeconds,
      },
      test: metrics,
      model,
      budget: { seconds: options.budgetSeconds, usedSeconds, exhausted: usedSeconds >= options.budgetSeconds * 0.98 || tuning.trials.length < options.trials },
      timings,
      versions: { classifierCi: VERSION, tfjs: tf.version.tfjs, node: process.versions.node, sharp: sharp.versions.sharp ?? 'unknown' },
    };
    RunResult.parse(result);
    await writeFileAtomic(join(options.outDir, 'result.json'), JSON.stringify(result, null, 2) + '\n');
    return result;
  } finally {
    prepared.extractor?.dispose();
  }
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel && !rel.startsWith('..') ? rel : resolve(path);
}
