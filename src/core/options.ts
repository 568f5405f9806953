/**
 * TrainOptions: everything a training run can be told, with defaults, validated in one
 * place. The CLI and the action both build one of these and call `train()`.
 */
import type { AugmentSetting } from './dataset/augment-policy.js';
import { join } from 'node:path';
import { InputError } from './errors.js';

/** The embedding, download and extraction cache when none is given: `.cache/classifier-ci` in the working directory. */
export const DEFAULT_CACHE_DIR = join('.cache', 'classifier-ci');

export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

export interface TrainOptions {
  /** Dataset folder (`<label>/<image>`) or a `.zip` of one. */
  datasetPath: string;
  /** Where result.json, model/ and the report go. Default: `runs/<dataset name>`. */
  outDir: string;
  /** Embedding and backbone download cache. Default: `.cache/classifier-ci` in the working directory. */
  cacheDir: string;
  /** Backbone ids or URLs/paths, or ['auto'] for the default set. Default ['auto']. */
  backbones: string[];
  /** Wall-clock budget for the whole run, in seconds. Default 600. */
  budgetSeconds: number;
  /** Maximum number of trials in the hyperparameter round. Default 12. */
  trials: number;
  /** Maximum epochs per head training (early stopping usually stops sooner). Default 60. */
  epochs: number;
  /** Fine-tune the winner's top block: 'auto' when the budget allows. Default 'auto'. */
  fineTune: 'auto' | 'true' | 'false';
  /** Split ratios, summing to 1. Default 0.7/0.15/0.15. */
  split: SplitRatios;
  /** Seed for splits, initialisation, shuffling and search. Default 42. */
  seed: number;
  /** Embedding worker threads. Default: one per core. */
  workers: number;
  /** Images with more pixels than this are refused (decompression bombs). Default 100 megapixels. */
  maxPixels: number;
  /** Inference engine for frozen backbones: 'auto' (ONNX Runtime when it loads, else TF.js WASM), 'onnx' or 'tfjs'. Default 'auto'. */
  engine?: 'auto' | 'onnx' | 'tfjs';
  /** Where ONNX Runtime runs: 'gpu' asks for CUDA, 'auto' tries it when an NVIDIA driver is present; both fall back to the CPU. Default 'auto'. */
  device?: 'auto' | 'cpu' | 'gpu';
  /** Review the dataset after training (label suspects, near-duplicates, outliers; review/). Default true. */
  review?: boolean;
  /**
   * A labelled folder of images from another source (`<label>/<image>`, labels among the
   * dataset's), scored with the exported model after export as `classifier-ci evaluate` does;
   * checked before training starts. Its scoring is not counted in the budget. Default: none.
   */
  evalDataset?: string;
  /**
   * Augmented views of the training images for heads on embeddings, and test-time augmentation
   * measured on validation: 'auto' (flips only where the data allows them), 'off', or a list
   * of augmentations (dataset/augment-policy.ts). Default 'off': on the benchmarks so far the
   * views have not paid (BENCHMARKS.md), and they cost embedding time the final fit needs.
   */
  augment?: AugmentSetting;
}

export const DEFAULT_SPLIT: SplitRatios = { train: 0.7, val: 0.15, test: 0.15 };

export const DEFAULTS = {
  backbones: ['auto'],
  budgetSeconds: 600,
  trials: 12,
  epochs: 60,
  fineTune: 'auto' as const,
  split: DEFAULT_SPLIT,
  seed: 42,
  maxPixels: 100_000_000,
};

/** Parses "0.7,0.15,0.15" or "70/15/15" into ratios that sum to 1. */
export function parseSplit(text: string): SplitRatios {
  const parts = text.split(/[,/:]/).map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0)) {
    throw new InputError(`Split "${text}" must be three non-negative numbers for train, val and test, e.g. "0.7,0.15,0.15" or "70/15/15".`, 'split');
  }
  const sum = parts[0] + parts[1] + parts[2];
  // Accept percentages as well as fractions.
  const scale = Math.abs(sum - 100) < 1e-6 ? 100 : 1;
  if (Math.abs(sum / scale - 1) > 1e-6) {
    throw new InputError(`Split "${text}" sums to ${Number(sum.toPrecision(6))}; the three ratios must sum to 1 (or to 100 as percentages).`, 'split');
  }
  const [train, val, test] = parts.map((p) => p / scale) as [number, number, number];
  if (train <= 0 || val <= 0 || test <= 0) {
    throw new InputError(
      `Split "${text}": train, val and test must each be above zero; the bake-off needs a validation split and the report a test split.`,
      'split',
    );
  }
  return { train, val, test };
}

export function validateOptions(options: TrainOptions): TrainOptions {
  const positive = (name: string, value: number, integer: boolean, unit = '') => {
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      throw new InputError(`${name} must be a positive ${integer ? 'whole number' : 'number'}${unit}, got ${value}.`, name);
    }
  };
  // Named as both adapters name it in prose: the CLI's --budget and the action's budget-seconds.
  positive('The budget', options.budgetSeconds, false, ' of seconds');
  positive('trials', options.trials, true);
  positive('epochs', options.epochs, true);
  positive('workers', options.workers, true);
  positive('max-pixels', options.maxPixels, true);
  if (!Number.isInteger(options.seed)) throw new InputError(`seed must be a whole number, got ${options.seed}.`, 'seed');
  if (!['auto', 'true', 'false'].includes(options.fineTune)) {
    throw new InputError(`fine-tune must be one of auto, true, false; got "${options.fineTune}".`, 'fine-tune');
  }
  if (options.engine !== undefined && !['auto', 'onnx', 'tfjs'].includes(options.engine)) {
    throw new InputError(`engine must be one of auto, onnx, tfjs; got "${options.engine}".`, 'engine');
  }
  if (options.device !== undefined && !['auto', 'cpu', 'gpu'].includes(options.device)) {
    throw new InputError(`device must be one of auto, cpu, gpu; got "${options.device}".`, 'device');
  }
  if (options.backbones.length === 0) throw new InputError('backbones is empty: name at least one backbone, or "auto".', 'backbones');
  return options;
}
