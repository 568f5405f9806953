/**
 * The bake-off: every backbone gets the same head recipe on the same split; each is scored
 * by cross-validation where it can be, and the winner is picked by selection.ts (the prior
 * among candidates not worse than the best within noise).
 * A candidate that fails (e.g. a URL that cannot be loaded mid-run) ranks last with its
 * error instead of ending the run, as long as one candidate trains.
 */
import { embedderOf, loadBackbone, SMALL_CNN, type BackboneSpec, type FeatureExtractor } from '../backbones/zoo.js';
import { decodeToRgb } from '../dataset/decode.js';
import { THUMBNAIL_SIZE, type PreparedDataset } from '../dataset/prepare.js';
import type { SplitImage } from '../dataset/split.js';
import { extractEmbeddings } from '../embeddings/extract.js';
import { trainsSmallCnn, type InferenceEngine } from '../engine/choose.js';
import { loadRunBackbone } from '../engine/onnx-backbone.js';
import type { EmbeddingPool } from '../embeddings/parallel.js';
import { InputError, TrainingError } from '../errors.js';
import type { Logger } from '../ports.js';
import type { Candidate } from '../result.js';
import { defaultConfig, disposeFitted, fit, type FittedModel, type PreparedCandidate } from './candidates.js';
import type { Examples } from './head.js';
import { compareScores } from './score.js';
import { priorTierOf, scoreCandidate, selectCandidate, WITHIN_NOISE_RULE, type SelectionEntry } from './selection.js';

export interface BakeOffContext {
  dataset: PreparedDataset;
  cacheDir: string;
  maxPixels: number;
  /** Worker threads for embedding (see embeddings/parallel.ts). Default 1: in this thread. Ignored when `pool` is given. */
  workers?: number;
  /** The run's warm embedding workers, shared by every candidate. */
  pool?: EmbeddingPool;
  /** The run's inference engine (engine/choose.ts). Default: TF.js, as `workers` and `pool` say. */
  engine?: InferenceEngine;
  maxEpochs: number;
  seed: number;
  /** Clock value by which the whole bake-off should be done. */
  deadline: number;
  now: () => number;
  log: Logger;
}

export interface BakeOffOutcome {
  rows: Candidate[];
  winner: { prepared: PreparedCandidate; fitted: FittedModel };
  /** How the winner was chosen (selection.ts): the rule, why, and the runner-up's id. */
  selection: { rule: string; reason: string; runnerUp: string | null };
  /**
   * Every candidate that trained: its selection entry and examples, for the ensembles
   * (training/ensemble.ts), and its fitted head when that holds no tensors (a head on
   * embeddings), so a later pick can crown it. Only the winner keeps its extractor.
   */
  trained: TrainedCandidate[];
}

/** A trained bake-off candidate as the stages after the bake-off get it: its selection entry and examples. */
export interface TrainedCandidate {
  entry: SelectionEntry;
  prepared: PreparedCandidate;
  /** Its fitted head, unless that was freed (a trunk trained end to end, when it did not win). */
  fitted?: FittedModel;
}

export function splitOf(images: SplitImage[], split: SplitImage['split']): SplitImage[] {
  return images.filter((i) => i.split === split);
}

export function assemble(images: SplitImage[], labels: string[], dim: number, vectorOf: (image: SplitImage) => ArrayLike<number>): Examples {
  const x = new Float32Array(images.length * dim);
  const y = new Int32Array(images.length);
  images.forEach((image, i) => {
    x.set(vectorOf(image), i * dim);
    y[i] = labels.indexOf(image.label);
  });
  return { x, y, rows: images.length };
}

/** A frozen candidate's backbone, on the run's inference engine when it has one. */
export function loadCandidateBackbone(spec: BackboneSpec, ctx: Pick<BakeOffContext, 'engine' | 'cacheDir'>): Promise<FeatureExtractor> {
  return ctx.engine ? loadRunBackbone(spec, ctx.engine, { cacheDir: ctx.cacheDir }) : loadBackbone(spec, { cacheDir: ctx.cacheDir });
}

async function prepareFrozen(spec: BackboneSpec, ctx: BakeOffContext, deadline?: number): Promise<PreparedCandidate> {
  // The workers load their copies while this thread loads its own.
  void ctx.pool?.preload({ spec });
  const extractor = await loadCandidateBackbone(spec, ctx);
  try {
    const embedder = embedderOf(extractor);
    // ONNX Runtime uses every core itself; TF.js backbones beside it (HOG, user model.json) then embed in this thread.
    const onOrt = ctx.engine?.engine === 'onnxruntime';
    const run = await extractEmbeddings(embedder, ctx.dataset.images, {
      cacheDir: ctx.cacheDir,
      maxPixels: ctx.maxPixels,
      workers: onOrt ? 1 : ctx.workers,
      pool: onOrt ? undefined : ctx.pool,
      log: ctx.log,
      now: ctx.now,
      deadline,
    });
    if (!run.complete)
      throw new Error(`skipped: the bake-off ran out of budget while embedding (${run.remaining} images left; those done are cached, so a later run resumes)`);
    const { labels, images } = ctx.dataset;
    const vectorOf = (image: SplitImage) => run.vectors.get(image.sha256)!;
    return {
      spec,
      displayName: extractor.displayName,
      kind: 'frozen',
      featureDim: embedder.featureDim,
      backboneParams: extractor.params,
      train: assemble(splitOf(images, 'train'), labels, embedder.featureDim, vectorOf),
      val: assemble(splitOf(images, 'val'), labels, embedder.featureDim, vectorOf),
      test: assemble(splitOf(images, 'test'), labels, embedder.featureDim, vectorOf),
      extractor,
      embedSeconds: run.seconds,
      embeddingsComputed: run.computed,
      embeddingsCached: run.cached,
    };
  } catch (error) {
    extractor.dispose();
    throw error;
  }
}

async function prepareScratch(spec: BackboneSpec, ctx: BakeOffContext): Promise<PreparedCandidate> {
  const size = spec.inputSize;
  const pixels = new Map<string, Uint8Array>();
  for (const image of ctx.dataset.images) {
    pixels.set(image.sha256, size === THUMBNAIL_SIZE ? ctx.dataset.thumbnails.get(image.sha256)! : await decodeToRgb(image.path, size, ctx.maxPixels));
  }
  const { labels, images } = ctx.dataset;
  const dim = size * size * 3;
  const vectorOf = (image: SplitImage) => pixels.get(image.sha256)!;
  const onnx = trainsSmallCnn(ctx.engine) ? ctx.engine!.onnx! : undefined;
  return {
    spec,
    displayName: `Small CNN (from scratch) @${size}`,
    kind: 'scratch',
    ...(onnx ? { cnnTrainer: { engine: 'onnxruntime' as const, threads: onnx.threads, createSession: onnx.createSession } } : {}),
    featureDim: 0,
    backboneParams: 0,
    train: assemble(splitOf(images, 'train'), labels, dim, vectorOf),
    val: assemble(splitOf(images, 'val'), labels, dim, vectorOf),
    test: assemble(splitOf(images, 'test'), labels, dim, vectorOf),
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
  };
}

function failedRow(spec: BackboneSpec, error: unknown): Candidate {
  return {
    backbone: spec.id,
    displayName: spec.id,
    kind: spec.source === SMALL_CNN ? 'scratch' : 'frozen',
    inputSize: spec.inputSize,
    featureDim: 0,
    backboneParams: 0,
    valAccuracy: 0,
    valLoss: Number.MAX_VALUE,
    bestEpoch: 0,
    epochs: 0,
    embedSeconds: 0,
    trainSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
    curve: [],
    error: error instanceof Error ? error.message : String(error),
  };
}

/**
 * Says so when a candidate's share of the budget stopped its training before its planned
 * epochs (or L-BFGS iterations): its score then understates it, e.g. a from-scratch CNN after
 * 4 of 40 epochs, and the reader should know that rather than judge the kind of model by it.
 */
function cutShortNote(fitted: FittedModel): string | undefined {
  if (!fitted.head.stoppedByDeadline) return undefined;
  const unit = fitted.config.solver === 'lbfgs' ? 'iterations' : 'epochs';
  return `its share of the budget stopped it after ${fitted.head.curve.length} of ${fitted.config.epochs} ${unit}, so its score understates it; a larger budget trains it fully`;
}

/** Orders candidates best first: those that trained, by the one rule for "better" (score.ts). */
export function rankCandidates<T extends Pick<Candidate, 'valAccuracy' | 'valLoss' | 'backboneParams' | 'error'>>(rows: T[]): T[] {
  return [...rows].sort((a, b) => Number(Boolean(a.error)) - Number(Boolean(b.error)) || compareScores(a, b));
}

export async function runBakeOff(specs: BackboneSpec[], ctx: BakeOffContext): Promise<BakeOffOutcome> {
  const rows: Candidate[] = [];
  // Every trained candidate stays live until all are scored: the pick weighs them together (selection.ts).
  const trained: { entry: SelectionEntry; prepared: PreparedCandidate; fitted: FittedModel }[] = [];
  const release = (t: { prepared: PreparedCandidate; fitted: FittedModel }) => {
    disposeFitted(t.fitted);
    t.prepared.extractor?.dispose();
  };
  const numClasses = ctx.dataset.labels.length;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    // Once the bake-off's time is spent, the remaining candidates are skipped (and say so),
    // as long as one has trained: the budget bounds the run, but a run always ends with a model.
    if (trained.length && ctx.now() >= ctx.deadline) {
      ctx.log.warn(`Skipped ${spec.id}: the bake-off's share of the budget is spent. Raise the budget to include it.`);
      rows.push(failedRow(spec, new Error('skipped: the bake-off ran out of budget before this candidate')));
      continue;
    }
    // Each remaining candidate gets an equal share of what is left of the bake-off budget.
    const share = Math.max(0, ctx.deadline - ctx.now()) / (specs.length - i);
    let prepared: PreparedCandidate;
    try {
      // Embedding stops at the deadline too, once a candidate has trained (as the skip above).
      prepared = spec.source === SMALL_CNN ? await prepareScratch(spec, ctx) : await prepareFrozen(spec, ctx, trained.length ? ctx.deadline : undefined);
    } catch (error) {
      // Bad user input (a wrong URL or path) should stop the run with its message.
      if (error instanceof InputError) {
        trained.forEach(release);
        throw error;
      }
      ctx.log.warn(`${spec.id} could not be prepared: ${(error as Error).message}`);
      rows.push(failedRow(spec, error));
      continue;
    }
    // While this candidate trains here, the workers load the next backbone.
    const next = specs.slice(i + 1).find((s) => s.source !== SMALL_CNN);
    if (next) void ctx.pool?.preload({ spec: next });
    if (prepared.kind === 'frozen')
      ctx.log.info(`${prepared.displayName}: ${prepared.embeddingsComputed} embeddings computed, ${prepared.embeddingsCached} from cache`);
    let fitted: FittedModel;
    const candidateEnd = ctx.now() + share;
    try {
      fitted = await fit(prepared, defaultConfig(prepared.kind, ctx.maxEpochs), { numClasses, seed: ctx.seed, deadline: candidateEnd, now: ctx.now });
    } catch (error) {
      ctx.log.warn(`${prepared.displayName} failed to train: ${(error as Error).message}`);
      rows.push({ ...failedRow(spec, error), displayName: prepared.displayName });
      prepared.extractor?.dispose();
      continue;
    }
    const row: Candidate = {
      backbone: spec.id,
      displayName: prepared.displayName,
      kind: prepared.kind,
      inputSize: spec.inputSize,
      featureDim: prepared.featureDim || (fitted.trunk!.outputs[0].shape[1] as number),
      backboneParams: prepared.backboneParams || fitted.trunk!.countParams(),
      valAccuracy: fitted.head.valAccuracy,
      valLoss: fitted.head.valLoss,
      solver: fitted.config.solver,
      bestEpoch: fitted.head.bestEpoch,
      epochs: fitted.head.curve.length,
      embedSeconds: prepared.embedSeconds,
      trainSeconds: fitted.seconds,
      embeddingsComputed: prepared.embeddingsComputed,
      embeddingsCached: prepared.embeddingsCached,
      curve: fitted.head.curve,
    };
    const training = fitted.config.solver === 'lbfgs' ? `L-BFGS, ${row.epochs} iterations` : `best epoch ${row.bestEpoch} of ${row.epochs}`;
    ctx.log.info(`${prepared.displayName}: validation accuracy ${(row.valAccuracy * 100).toFixed(1)}% (${training})`);
    // Cross-validation takes what is left of this candidate's share (fewer folds when short).
    const scored = await scoreCandidate(prepared, fitted, { numClasses, seed: ctx.seed, deadline: Math.min(candidateEnd, ctx.deadline), now: ctx.now });
    const cut = cutShortNote(fitted);
    row.cv = cut ? { ...scored.cv, note: [scored.cv.note, cut].filter(Boolean).join('; ') } : scored.cv;
    if (cut) ctx.log.warn(`${prepared.displayName}: ${cut}.`);
    rows.push(row);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    ctx.log.info(
      `${prepared.displayName}: ${scored.cv.folds ? `${scored.cv.folds}-fold cross-validated` : 'validation'} accuracy ${pct(scored.cv.mean)} [${pct(scored.cv.low)}–${pct(scored.cv.high)}]${scored.cv.note ? ` (${scored.cv.note})` : ''}`,
    );
    trained.push({
      entry: { id: spec.id, displayName: prepared.displayName, tier: priorTierOf(spec), cost: row.backboneParams, scores: scored.scores },
      prepared,
      fitted,
    });
  }
  if (!trained.length) throw new TrainingError(`No backbone could be trained: ${rows.map((r) => `${r.backbone}: ${r.error}`).join('; ')}`);
  const selection = selectCandidate(
    trained.map((t) => t.entry),
    WITHIN_NOISE_RULE,
  );
  ctx.log.info(`Selection: ${selection.reason}`);
  const winner = trained.find((t) => t.entry.id === selection.winner)!;
  trained.filter((t) => t !== winner).forEach(release);
  return {
    rows,
    winner: { prepared: winner.prepared, fitted: winner.fitted },
    selection: { rule: WITHIN_NOISE_RULE.name, reason: selection.reason, runnerUp: selection.runnerUp },
    trained: trained.map((t) => ({
      entry: t.entry,
      prepared: t === winner ? t.prepared : { ...t.prepared, extractor: undefined },
      ...(t === winner || !t.fitted.trunk ? { fitted: t.fitted } : {}),
    })),
  };
}
