/**
 * Fine-tuning the winner's top block after the hyperparameter round.
 *
 * The backbone is split at its last block (see backbones/fine-tune-split.ts); activations at
 * the cut (computed by ONNX Runtime when the run embeds with it, else by the TF.js base) are
 * cached like embeddings; the top block's convolutions and the tuned head are
 * trained together at a tenth of the tuned learning rate, with the top's batch norm frozen.
 * The result is kept only if it beats the tuned head on validation.
 */
import { fineTuneUnsupported, splitForFineTune } from '../backbones/fine-tune-split.js';
import type { PreparedDataset } from '../dataset/prepare.js';
import { extractEmbeddings } from '../embeddings/extract.js';
import type { EmbeddingPool } from '../embeddings/parallel.js';
import { foldStandardisation } from '../model/standardise.js';
import type { Logger } from '../ports.js';
import type { HeadConfig, Tuning } from '../result.js';
import { assemble, splitOf } from './bakeoff.js';
import type { FittedModel, PreparedCandidate } from './candidates.js';
import { trainHead } from './head.js';
import { isBetter, scoreOf } from './score.js';

export interface FineTuneContext {
  dataset: PreparedDataset;
  cacheDir: string;
  maxPixels: number;
  /** The run's warm embedding workers, if any: the activations are computed there. */
  pool?: EmbeddingPool;
  seed: number;
  /** Clock value by which fine-tuning must be done. */
  deadline: number;
  now: () => number;
  log: Logger;
}

export interface FineTuneOutcome {
  decision: Tuning['fineTune'];
  /** The fine-tuned model and its examples (activations), when it beat the tuned head. */
  improved?: { fitted: FittedModel; prepared: PreparedCandidate };
}

/** Epochs of fine-tuning at most, and the learning-rate factor from the tuned head's. */
const MAX_EPOCHS = 20;
const LR_FACTOR = 0.1;

export async function fineTuneTop(prepared: PreparedCandidate, tuned: FittedModel, ctx: FineTuneContext): Promise<FineTuneOutcome> {
  if (prepared.kind === 'scratch') return { decision: { applied: false, reason: 'the winner is the small CNN, already trained end to end' } };
  const extractor = prepared.extractor!;
  const unsupported = fineTuneUnsupported(extractor);
  if (unsupported) return { decision: { applied: false, reason: unsupported } };

  const start = ctx.now();
  const onOrt = extractor.ort?.fineTuneCut ?? null;
  // The workers load the base while this thread splits its copy.
  if (!onOrt) void ctx.pool?.preload({ spec: extractor.spec, fineTuneBase: true });
  const split = await splitForFineTune(extractor);
  let kept = false;
  try {
    if (onOrt && (onOrt.layer !== split.cutLayer || onOrt.shape.join('×') !== split.cutShape.join('×'))) {
      throw new Error(
        `${extractor.spec.id}: ONNX Runtime cuts at ${onOrt.layer} (${onOrt.shape.join('×')}), the TF.js top starts at ${split.cutLayer} (${split.cutShape.join('×')})`,
      );
    }
    const base = onOrt?.embedder ?? split.base;
    // Under the fine-tune deadline like any stage: what is cached by then stays for the next run.
    const run = await extractEmbeddings(base, ctx.dataset.images, {
      cacheDir: ctx.cacheDir,
      maxPixels: ctx.maxPixels,
      log: ctx.log,
      now: ctx.now,
      deadline: ctx.deadline,
      ...(onOrt ? {} : { pool: ctx.pool, backbone: { spec: extractor.spec, fineTuneBase: true } }),
    });
    if (!run.complete || ctx.now() >= ctx.deadline) {
      const cached = run.remaining ? ` (${run.vectors.size} of ${run.vectors.size + run.remaining} images)` : '';
      return { decision: { applied: false, reason: `the budget ran out while caching activations at ${split.cutLayer}${cached}; the next run reuses them` } };
    }
    const { labels, images } = ctx.dataset;
    const dim = base.featureDim;
    const vectorOf = (image: (typeof images)[number]) => run.vectors.get(image.sha256)!;
    const activations: PreparedCandidate = {
      ...prepared,
      train: assemble(splitOf(images, 'train'), labels, dim, vectorOf),
      val: assemble(splitOf(images, 'val'), labels, dim, vectorOf),
      test: assemble(splitOf(images, 'test'), labels, dim, vectorOf),
    };
    // The top block trains by minibatch Adam, whatever solver fitted the head it starts from.
    const config: HeadConfig = {
      ...tuned.config,
      solver: 'adam',
      learningRate: tuned.config.learningRate * LR_FACTOR,
      epochs: Math.min(MAX_EPOCHS, tuned.config.epochs),
    };
    const head = await trainHead(activations.train, activations.val, {
      numClasses: labels.length,
      config,
      seed: ctx.seed,
      deadline: ctx.deadline,
      now: ctx.now,
      patience: 4,
      trunk: { model: split.top, inputShape: split.cutShape, training: false },
      initialDense: foldStandardisation(tuned.head.weights),
    });
    const better = isBetter(head, scoreOf(tuned));
    const seconds = (ctx.now() - start) / 1000;
    ctx.log.info(
      `Fine-tuning from ${split.cutLayer}${onOrt ? ' (activations from ONNX Runtime)' : ''}: validation accuracy ${(head.valAccuracy * 100).toFixed(1)}% (tuned head: ${(tuned.head.valAccuracy * 100).toFixed(1)}%) in ${seconds.toFixed(0)} s`,
    );
    if (!better) {
      return {
        decision: {
          applied: false,
          reason: `fine-tuning from ${split.cutLayer} did not beat the tuned head on validation (${pct(head.valAccuracy)} vs ${pct(tuned.head.valAccuracy)})`,
          valAccuracy: head.valAccuracy,
        },
      };
    }
    kept = true;
    return {
      decision: {
        applied: true,
        reason: `top block from ${split.cutLayer} fine-tuned at learning rate ${config.learningRate.toPrecision(2)} with batch norm frozen`,
        valAccuracy: head.valAccuracy,
      },
      improved: { fitted: { head, trunk: split.top, trunkRole: 'top', config, seconds }, prepared: activations },
    };
  } finally {
    if (!kept) split.top.dispose();
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
