/**
 * RunResult: the one contract between the engine and everything that presents it
 * (CLI summary, report, GitHub action). Written as `result.json` next to the model.
 *
 * The zod schema is the source of truth; the TypeScript types are inferred from it and
 * `docs/result.schema.json` is generated from it. Bump SCHEMA_VERSION on any change that
 * removes or renames a field; adding optional fields keeps the version.
 */
import { z } from 'zod';

export const SCHEMA_VERSION = 2;

/** Per-epoch numbers of one training run (a bake-off candidate or a trial). */
export const EpochPoint = z.object({
  epoch: z.number().int().min(1),
  trainLoss: z.number(),
  trainAccuracy: z.number().min(0).max(1),
  valLoss: z.number(),
  valAccuracy: z.number().min(0).max(1),
});
export type EpochPoint = z.infer<typeof EpochPoint>;

/** Hyperparameters of a head (or of the whole small CNN when trained from scratch). */
export const HeadConfig = z.object({
  /**
   * 'lbfgs': a linear head fitted to convergence by full-batch L-BFGS (training/linear-solver.ts);
   * learning rate, batch size and dropout do not apply to it (they are kept for fine-tuning,
   * which trains the top block and head with Adam). 'adam': minibatch Adam with early stopping. Records
   * written before the field existed were Adam.
   */
  solver: z.enum(['adam', 'lbfgs']).default('adam'),
  learningRate: z.number().positive(),
  batchSize: z.number().int().positive(),
  /** Widths of hidden dense layers; [] is a linear softmax head. */
  hiddenUnits: z.array(z.number().int().positive()),
  dropout: z.number().min(0).max(0.95),
  weightDecay: z.number().min(0),
  labelSmoothing: z.number().min(0).max(0.5),
  /** Maximum epochs (L-BFGS: iterations, each a full pass); early stopping on validation loss, or convergence, may stop sooner. */
  epochs: z.number().int().positive(),
  /**
   * How embeddings are scaled before the head, after centring each feature: 'feature' divides
   * each by its own standard deviation; 'global' divides all by one scale (the mean of those
   * deviations), so features nearly silent on the training images are not blown up to the size
   * of the busy ones. Absent: 'feature'.
   */
  scaling: z.enum(['feature', 'global']).optional(),
  /**
   * Adam's learning rate over the epochs: 'cosine' falls from `learningRate` to zero along half
   * a cosine over `epochs`, and training runs them all (keeping the epoch best on validation
   * loss) rather than stopping early while the rate is still high. Absent: constant, with early stopping.
   */
  schedule: z.enum(['constant', 'cosine']).optional(),
});
export type HeadConfig = z.infer<typeof HeadConfig>;

export const SkippedFile = z.object({
  /** Path relative to the dataset root, with forward slashes. */
  file: z.string(),
  reason: z.string(),
});
export type SkippedFile = z.infer<typeof SkippedFile>;

export const LabelCount = z.object({
  label: z.string(),
  train: z.number().int().min(0),
  val: z.number().int().min(0),
  test: z.number().int().min(0),
  total: z.number().int().min(0),
});
export type LabelCount = z.infer<typeof LabelCount>;

export const DatasetSummary = z.object({
  /** The dataset path as the user gave it. */
  root: z.string(),
  /** SHA-256 over the sorted (label, image sha256) pairs: changes iff the labelled content changes. */
  fingerprint: z.string(),
  labels: z.array(z.string()),
  images: z.number().int().min(0),
  counts: z.array(LabelCount),
  /** 'hash': split by content hash; 'explicit': the dataset had train/ val/ test/ folders. */
  splitMode: z.enum(['hash', 'explicit']),
  /**
   * Images in each split: the totals of `counts`. (The ratios asked for are in
   * `config.split`; schema v1 kept them here, which the report then printed as counts.)
   */
  splitCounts: z.object({ train: z.number().int().min(0), val: z.number().int().min(0), test: z.number().int().min(0) }),
  skipped: z.array(SkippedFile),
  /** Human-readable warnings about the data: imbalance, tiny labels, duplicates. */
  warnings: z.array(z.string()),
  /** Median shorter side of the images, in pixels; `auto` sizes the backbones from it. */
  typicalSide: z.number().int().positive().optional(),
  /** Every image used, so a later run can say what changed (review.diff); absent in older results. */
  files: z.array(z.object({ file: z.string(), label: z.string(), sha256: z.string(), split: z.enum(['train', 'val', 'test']) })).optional(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const BackendInfo = z.object({
  /** tfjs backend name actually used: 'tensorflow' (tfjs-node / -gpu), 'wasm' or 'cpu'. */
  name: z.string(),
  /** The npm package that provided it. */
  package: z.string(),
  gpu: z.boolean(),
  threads: z.number().int().min(1),
  /** Backends tried before this one, and why each was not used. */
  skipped: z.array(z.object({ backend: z.string(), reason: z.string() })),
  /** The inference engine that embedded with the frozen backbones, chosen once at start. */
  inference: z
    .object({
      /** 'onnxruntime' (onnxruntime-node) or 'tfjs' (the training backend above, in worker threads). */
      engine: z.enum(['onnxruntime', 'tfjs']),
      /** 'cpu' or 'cuda' for ONNX Runtime; the TF.js backend name otherwise. */
      provider: z.string(),
      threads: z.number().int().min(1),
      /** Engines (or providers) passed over, and why. */
      skipped: z.array(z.object({ engine: z.string(), reason: z.string() })),
      /** True when this engine also trained the small CNN (ONNX Runtime does); absent when the training backend did, and in results from before it could. */
      trainsSmallCnn: z.boolean().optional(),
    })
    .optional(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

/** A cross-validated estimate: mean accuracy over `folds` folds with its 95% interval (see Candidate.cv). */
export const CvEstimate = z.object({
  folds: z.number().int().min(0),
  mean: z.number().min(0).max(1),
  low: z.number().min(0).max(1),
  high: z.number().min(0).max(1),
  method: z.enum(['t-interval', 'wilson']),
  note: z.string().optional(),
});

export const Candidate = z.object({
  /** Backbone id as the user names it, e.g. 'mobilenet_v2', 'small_cnn', or a URL. */
  backbone: z.string(),
  displayName: z.string(),
  /** 'frozen': pretrained base, head trained on cached embeddings; 'scratch': trained end to end. */
  kind: z.enum(['frozen', 'scratch']),
  /**
   * How its head was fitted: 'lbfgs' to convergence, where a curve point is an iteration (one
   * full pass) and the last iterate is kept; 'adam' by epochs with early stopping. Absent in
   * older results and on a candidate that failed.
   */
  solver: z.enum(['adam', 'lbfgs']).optional(),
  inputSize: z.number().int().positive(),
  featureDim: z.number().int().min(0),
  /** Parameters of the backbone; used to break ties (cheaper wins). */
  backboneParams: z.number().int().min(0),
  valAccuracy: z.number().min(0).max(1),
  valLoss: z.number(),
  bestEpoch: z.number().int().min(0),
  epochs: z.number().int().min(0),
  /** Seconds spent computing embeddings (0 when every one came from the cache). */
  embedSeconds: z.number().min(0),
  trainSeconds: z.number().min(0),
  embeddingsComputed: z.number().int().min(0),
  embeddingsCached: z.number().int().min(0),
  curve: z.array(EpochPoint),
  /** Set when the candidate could not be trained; it then ranks last. */
  error: z.string().optional(),
  /**
   * Set on an ensemble candidate (training/ensemble.ts): the ids of the bake-off candidates
   * whose features its one head reads, concatenated in this order (a HOG member at the size
   * its branch pools the ensemble's input to, e.g. hog@28 from 224).
   */
  ensemble: z.object({ members: z.array(z.string()).min(2) }).optional(),
  /**
   * The estimate the winner was chosen by: accuracy over `folds` cross-validation folds of
   * train + validation, with its 95% interval ('t-interval' over folds); or, when it was not
   * cross-validated (folds: 0, e.g. the small CNN), its validation accuracy with a 'wilson'
   * interval over the validation images. `note` says why fewer folds ran than planned.
   */
  cv: CvEstimate.optional(),
  /**
   * Augmented views of the training images (heads on embeddings only; dataset/augment*.ts):
   * the policy's rule, the augmentations the views used, views per training image (the most
   * any image got; 0 when none were made, `note` says why), and whether the head trained with
   * them beat the head trained without on validation (the one rule of score.ts), with both
   * scores.
   */
  augment: z
    .object({
      rule: z.string(),
      augmentations: z.array(z.enum(['crop', 'flip', 'colour', 'rotate'])),
      /** auto's flip check: the head without views on the validation images as they are and flipped. */
      flipCheck: z.object({ allowed: z.boolean(), plainAccuracy: z.number().min(0).max(1), flippedAccuracy: z.number().min(0).max(1) }).optional(),
      views: z.number().int().min(0),
      /** View rows the head with views trained on (kept or not): `views` × the training images, or fewer when the time for views ran out mid-view. */
      viewRows: z.number().int().min(0).optional(),
      kept: z.boolean(),
      without: z.object({ valAccuracy: z.number().min(0).max(1), valLoss: z.number() }),
      with: z.object({ valAccuracy: z.number().min(0).max(1), valLoss: z.number() }).optional(),
      embedSeconds: z.number().min(0),
      embeddingsComputed: z.number().int().min(0),
      embeddingsCached: z.number().int().min(0),
      note: z.string(),
    })
    .optional(),
  /** Test-time augmentation measured on validation: probabilities of the image and its `view` averaged; `paid` by the one rule. */
  tta: z
    .object({
      view: z.enum(['flip', 'zoom']),
      plainAccuracy: z.number().min(0).max(1),
      ttaAccuracy: z.number().min(0).max(1),
      paid: z.boolean(),
    })
    .optional(),
});
export type Candidate = z.infer<typeof Candidate>;

export const Trial = z.object({
  index: z.number().int().min(0),
  config: HeadConfig,
  valAccuracy: z.number().min(0).max(1),
  valLoss: z.number(),
  epochs: z.number().int().min(0),
  seconds: z.number().min(0),
  /** Successive-halving rung of the run this record describes (0 = first): a trial promoted to rung 1 is recorded by its better run; `seconds` counts both. */
  rung: z.number().int().min(0),
  /** 'seed' is the rule-of-thumb first trial; 'pruned' trials were stopped by successive halving (an L-BFGS trial, fitted to convergence at once, never is). */
  status: z.enum(['seed', 'completed', 'pruned']),
  curve: z.array(EpochPoint),
  /** Its k-fold estimate, when the round's choice cross-validated it (Tuning.choice). */
  cv: CvEstimate.optional(),
});
export type Trial = z.infer<typeof Trial>;

export const Tuning = z.object({
  backbone: z.string(),
  strategy: z.string(),
  trials: z.array(Trial),
  /** Index of the chosen trial; -1 when no trial beat the bake-off head, which is then kept. */
  bestTrial: z.number().int().min(-1),
  /** The configuration of the model that was exported. */
  best: HeadConfig,
  /**
   * How the best was chosen when cross-validation had its say (heads on embeddings): `rule`
   * ('validation' when fewer than two heads could be cross-validated), the reason in words,
   * the folds, and the bake-off head's estimate when it was among those scored. Absent when
   * the choice was by validation alone (the small CNN).
   */
  choice: z.object({ rule: z.string(), reason: z.string(), folds: z.number().int().min(2).optional(), bakeOffHead: CvEstimate.optional() }).optional(),
  /** Whether the top of the backbone was fine-tuned, and why or why not. */
  fineTune: z.object({ applied: z.boolean(), reason: z.string(), valAccuracy: z.number().optional() }),
  /**
   * The final fit: whether the chosen head was trained again on train + validation (for the
   * chosen number of epochs) before the test, and why or why not. Absent in older results.
   */
  refit: z.object({ applied: z.boolean(), reason: z.string(), images: z.number().int().optional(), epochs: z.number().int().optional() }).optional(),
  /**
   * Class balance: when the largest label has more than `threshold` times the training images
   * of the smallest (`ratio`; null when a label has none), the heads' loss was weighted by
   * inverse label frequency (`weights`, per label, averaging 1 over the training images).
   */
  classWeights: z
    .object({ applied: z.boolean(), ratio: z.number().nullable(), threshold: z.number(), weights: z.record(z.string(), z.number()).optional() })
    .optional(),
  seconds: z.number().min(0),
});
export type Tuning = z.infer<typeof Tuning>;

export const PerLabelMetrics = z.object({
  label: z.string(),
  precision: z.number().min(0).max(1),
  recall: z.number().min(0).max(1),
  f1: z.number().min(0).max(1),
  support: z.number().int().min(0),
});
export type PerLabelMetrics = z.infer<typeof PerLabelMetrics>;

export const Mistake = z.object({
  /** Path relative to the dataset root. */
  file: z.string(),
  sha256: z.string(),
  trueLabel: z.string(),
  predictedLabel: z.string(),
  /** Probability the model gave its (wrong) prediction. */
  confidence: z.number().min(0).max(1),
  /** Optional small picture for the report: `data:image/jpeg;base64,…`, longest side at most 96 px. */
  thumbnail: z.string().optional(),
});
export type Mistake = z.infer<typeof Mistake>;

export const TestMetrics = z.object({
  images: z.number().int().min(0),
  accuracy: z.number().min(0).max(1),
  /** Top-k accuracy for a k smaller than the number of labels; null with two labels. */
  topK: z.object({ k: z.number().int().min(2), accuracy: z.number().min(0).max(1) }).nullable(),
  macroF1: z.number().min(0).max(1),
  perLabel: z.array(PerLabelMetrics),
  /** confusion.matrix[i][j]: images of true label i predicted as label j. */
  confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int().min(0))) }),
  /** The most confident wrong predictions, worst first. */
  mistakes: z.array(Mistake),
  /** 95% interval of `accuracy` over the test images (Wilson score interval). */
  accuracyInterval: z.object({ low: z.number().min(0).max(1), high: z.number().min(0).max(1), method: z.literal('wilson') }).optional(),
  /**
   * Temperature scaling, fitted on held-out predictions of `fittedOn` images: out-of-fold over
   * train + validation for a head on embeddings ('out-of-fold'), else the validation split's
   * before the final fit ('validation'; also every record written before the field existed).
   * The figures above and the exported model use the calibrated probabilities.
   * Expected calibration error on the test split, before and after, with `bins` equal-width
   * confidence bins.
   */
  calibration: z
    .object({
      temperature: z.number().positive(),
      fittedOn: z.number().int().min(0),
      fittedWith: z.enum(['validation', 'out-of-fold']).default('validation'),
      eceBefore: z.number().min(0),
      eceAfter: z.number().min(0),
      bins: z.number().int().positive(),
    })
    .optional(),
  /** Why no temperature was fitted (too few validation images or mistakes), and the test error as it stands. */
  calibrationSkipped: z.object({ reason: z.string(), ece: z.number().min(0), bins: z.number().int().positive() }).optional(),
});
export type TestMetrics = z.infer<typeof TestMetrics>;

export const LayerSummary = z.object({
  name: z.string(),
  className: z.string(),
  outputShape: z.string(),
  params: z.number().int().min(0),
  trainable: z.boolean(),
});
export type LayerSummary = z.infer<typeof LayerSummary>;

export const ModelInfo = z.object({
  /**
   * The model's folder relative to the folder of result.json ('model'), so the result stays
   * true wherever the run's files are copied or downloaded to.
   */
  dir: z.string(),
  backbone: z.string(),
  inputSize: z.number().int().positive(),
  files: z.array(z.object({ name: z.string(), bytes: z.number().int().min(0), sha256: z.string() })),
  layers: z.array(LayerSummary),
  trainableParams: z.number().int().min(0),
  nonTrainableParams: z.number().int().min(0),
  /** model.onnx: whether it was written, why not, and what the ONNX checker said (unavailable: not run). */
  onnx: z
    .object({
      written: z.boolean(),
      reason: z.string().optional(),
      checker: z.enum(['passed', 'failed', 'unavailable']),
      /** model.onnx is the only model (the winner's backbone is a user ONNX graph): no model.json; predict runs it on ONNX Runtime. */
      only: z.boolean().optional(),
      /** The default-domain opset of model.onnx and why (a user ONNX backbone's own, or raised for the ops around it). */
      opset: z.object({ version: z.number().int().positive(), why: z.string() }).optional(),
    })
    .optional(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const StageTiming = z.object({
  stage: z.enum([
    'scan',
    'decode',
    'embed',
    'bakeOff',
    'ensemble',
    'augment',
    'tuning',
    'fineTune',
    'refit',
    'evaluate',
    'export',
    'elsewhere',
    'review',
    'total',
  ]),
  seconds: z.number().min(0),
});
export type StageTiming = z.infer<typeof StageTiming>;

export const RunConfig = z.object({
  backbones: z.array(z.string()),
  budgetSeconds: z.number().positive(),
  trials: z.number().int().min(1),
  epochs: z.number().int().min(1),
  fineTune: z.enum(['auto', 'true', 'false']),
  /** Split ratios asked for (fractions summing to 1); the resulting counts are in dataset.splitCounts. */
  split: z.object({ train: z.number(), val: z.number(), test: z.number() }),
  seed: z.number().int(),
});
export type RunConfig = z.infer<typeof RunConfig>;

/** The dataset review (review/): files are relative to the dataset root; each list is capped and ranked, worst first. */
export const DatasetReview = z.object({
  /** Backbone whose embeddings the review used, and how the suspects were found. */
  backbone: z.string(),
  method: z.string(),
  /** Confident-learning suspects; `confidence`: out-of-fold probability of `suggested`. */
  labelSuspects: z.array(
    z.object({
      file: z.string(),
      label: z.string(),
      suggested: z.string(),
      confidence: z.number().min(0).max(1),
      /** Content hash; names the thumbnail in the report's image host. */
      sha256: z.string().optional(),
      /** A small JPEG as a data: URL, for the first suspects only (review/thumbnails.ts). */
      thumbnail: z.string().optional(),
    }),
  ),
  nearDuplicates: z.array(
    z.object({
      files: z.tuple([z.string(), z.string()]),
      /** Correlation of the two 32×32 grey pictures, aligned (review/near-duplicates.ts). */
      similarity: z.number(),
      /** Cosine similarity of the two embeddings. */
      embeddingSimilarity: z.number().optional(),
      /** The two are in different splits: a leak when one of them is a test image. */
      crossSplit: z.boolean(),
      /** The two have different labels: a conflict. */
      crossLabel: z.boolean(),
      splits: z.tuple([z.string(), z.string()]).optional(),
      labels: z.tuple([z.string(), z.string()]).optional(),
    }),
  ),
  /** `score`: robust z-score of the (log) distance to the nearest class centroid. */
  outliers: z.array(z.object({ file: z.string(), label: z.string(), score: z.number() })),
  /** Test images with a near-duplicate in train or val, and the test accuracy without them. */
  leak: z
    .object({
      testImages: z.number().int().min(0),
      leakedTestImages: z.number().int().min(0),
      accuracy: z.number().min(0).max(1),
      accuracyWithoutLeaks: z.number().min(0).max(1).nullable(),
    })
    .optional(),
  /** Against the baseline run, by content hash. */
  diff: z
    .object({
      added: z.array(z.object({ file: z.string(), label: z.string() })),
      removed: z.array(z.object({ file: z.string(), label: z.string() })),
      relabelled: z.array(z.object({ file: z.string(), from: z.string(), to: z.string() })),
    })
    .optional(),
});
export type DatasetReview = z.infer<typeof DatasetReview>;

/**
 * The exported model scored on a labelled folder from another source (`train --eval`), as
 * `classifier-ci evaluate` scores it (evaluate-folder.ts): the same metrics as `test`, over the
 * folder's images that the model did not train on.
 */
export const Elsewhere = z.object({
  /** The folder as the user gave it. */
  dataset: z.string(),
  metrics: TestMetrics,
  /** Expected calibration error of the model's (calibrated) probabilities there, 10 bins. */
  ece: z.number().min(0),
  /** Images of the folder that the model trained on (by content): left out. */
  seen: z.number().int().min(0),
  /** Images that could not be read: left out. */
  unreadable: z.array(z.object({ file: z.string(), reason: z.string() })),
  /** The model's labels with no image in the folder. */
  missingLabels: z.array(z.string()),
  /** Accuracy here minus on the test split, with its 95% interval (Newcombe's hybrid score method); absent when the test split had no images. */
  gap: z.object({ mean: z.number(), low: z.number(), high: z.number() }).optional(),
});
export type Elsewhere = z.infer<typeof Elsewhere>;

export const RunResult = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  startedAt: z.string(),
  finishedAt: z.string(),
  seed: z.number().int(),
  config: RunConfig,
  backend: BackendInfo,
  dataset: DatasetSummary,
  bakeOff: z.object({
    candidates: z.array(Candidate),
    winner: z.string(),
    /** How `auto` fitted the default backbones to the budget: each one shrunk or left out, and why. */
    plan: z.array(z.object({ backbone: z.string(), reason: z.string() })).optional(),
    /** How the winner was chosen among the candidates' estimates (`cv`): the rule, why this one, and the next in line. */
    selection: z.object({ rule: z.string(), reason: z.string(), runnerUp: z.string().nullable() }).optional(),
  }),
  tuning: Tuning,
  test: TestMetrics,
  model: ModelInfo,
  /** Whether the time budget cut any stage short, and which. */
  budget: z.object({ seconds: z.number(), usedSeconds: z.number(), exhausted: z.boolean() }),
  timings: z.array(StageTiming),
  versions: z.object({ classifierCi: z.string(), tfjs: z.string(), node: z.string(), sharp: z.string() }),
  /** The dataset review; absent when switched off (review: false) or in older results. */
  review: DatasetReview.optional(),
  /** The model on a folder from another source; absent unless one was given (evalDataset). */
  elsewhere: Elsewhere.optional(),
});
export type RunResult = z.infer<typeof RunResult>;

/** Parses and validates a result.json; throws a readable error naming the first bad field. */
/** What the training backend trains, for the log and the report: the small CNN too, unless the inference engine trains it. */
export function trainingRoles(smallCnnOnEngine: boolean): string {
  return smallCnnOnEngine ? 'heads, fine-tuning' : 'heads, small CNN, fine-tuning';
}

export function parseRunResult(json: unknown, source = 'result.json'): RunResult {
  const parsed = RunResult.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source} is not a classifier-ci result (schema v${SCHEMA_VERSION}): ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
