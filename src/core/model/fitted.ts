/**
 * What training hands to export: a candidate's examples and a fitted head (with the trunk
 * trained in front of it, if any). Kept below both training/ and model/, so the exporter
 * needs nothing from the training code.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackboneSpec, FeatureExtractor } from '../backbones/zoo.js';
import type { SessionFactory } from '../onnx/session.js';
import type { EpochPoint, HeadConfig } from '../result.js';
import type { TtaRecipe } from './tta.js';

export interface Examples {
  /** Row-major inputs: rows × (feature dim, or size·size·3 image bytes for a trunk). */
  x: Float32Array;
  y: Int32Array;
  rows: number;
}

export interface DenseWeights {
  kernel: Float32Array;
  bias: Float32Array;
  inDim: number;
  outDim: number;
}

export interface HeadWeights {
  /** Per-feature standardisation, folded into the first dense layer on export. */
  mean: Float32Array;
  std: Float32Array;
  dense: DenseWeights[];
}

export interface TrainedHead {
  weights: HeadWeights;
  curve: EpochPoint[];
  bestEpoch: number;
  valAccuracy: number;
  valLoss: number;
  /** True when the deadline, not early stopping or the epoch limit, ended training. */
  stoppedByDeadline: boolean;
}

/**
 * A bake-off candidate with its data ready to train on: embeddings from a frozen backbone,
 * or image pixels for the from-scratch CNN.
 */
export interface PreparedCandidate {
  spec: BackboneSpec;
  displayName: string;
  kind: 'frozen' | 'scratch';
  featureDim: number;
  backboneParams: number;
  train: Examples;
  /**
   * Augmented views of the training images (training/augmentation.ts), when they paid: extra
   * labelled rows, view by view, each view's images in sha256 order, and the last view short
   * when the time for views ran out. Heads train on train + views; cross-validation and the
   * dataset review use `train` alone.
   */
  views?: Examples;
  /** Test-time augmentation as measured on validation with this candidate's head (training/augmentation.ts); export writes it to preprocessing.json. */
  tta?: TtaRecipe;
  val: Examples;
  test: Examples;
  extractor?: FeatureExtractor;
  /**
   * Where a scratch candidate's CNN trains: on ONNX Runtime when the run embeds with it
   * (training/small-cnn-ort.ts, about three times as fast), else on TF.js.
   */
  cnnTrainer?: { engine: 'onnxruntime'; threads: number; createSession?: SessionFactory };
  embedSeconds: number;
  embeddingsComputed: number;
  embeddingsCached: number;
}

export interface FittedModel {
  head: TrainedHead;
  /**
   * A trained network in front of the head. For scratch candidates the whole CNN (input:
   * images); for a fine-tuned backbone its top block (input: activations).
   */
  trunk?: tf.LayersModel;
  trunkRole?: 'whole' | 'top';
  config: HeadConfig;
  seconds: number;
}
