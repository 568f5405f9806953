/**
 * Temperature scaling: one scalar T that divides the model's logits, fitted by minimising the
 * negative log-likelihood of held-out predictions. It changes how sure the model says it is,
 * never which label it picks. Heads trained to a low training loss are over-confident; a
 * confidence of 0.9 should be right about 9 times in 10. How T is applied is
 * model/temperature.ts's.
 *
 * A head on embeddings is calibrated on out-of-fold predictions over train + validation: the
 * head exported is refitted on both, so a temperature fitted on the validation predictions of
 * the head before it describes another model, from a sixth of the images. (On Fashion-MNIST it
 * once raised the test's expected calibration error from 9.6% to 15.7%.) A network trained end
 * to end, or a run without the time for the folds, is calibrated on validation.
 */
import type { Examples } from './head.js';
import { applyTemperature, FLOOR } from '../model/temperature.js';
import { predictProbabilities, type FittedModel, type PreparedCandidate } from './candidates.js';
import { predictHead, retrainConfig } from './head.js';
import { mergeExamples } from './refit.js';
import { DEFAULT_FOLDS, foldHeadMs, trainFolds } from './selection.js';

/** Mean negative log-likelihood of the true labels. */
export function negativeLogLikelihood(probabilities: Float32Array, labels: ArrayLike<number>, classes: number): number {
  let sum = 0;
  for (let row = 0; row < labels.length; row++) sum -= Math.log(Math.max(FLOOR, probabilities[row * classes + labels[row]]));
  return labels.length ? sum / labels.length : 0;
}

/**
 * Expected calibration error: predictions binned by their confidence (the top probability)
 * into `bins` equal-width bins; the gap between accuracy and mean confidence in each bin,
 * weighted by the bin's share of the predictions.
 */
export function expectedCalibrationError(probabilities: Float32Array, labels: ArrayLike<number>, classes: number, bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  for (let row = 0; row < labels.length; row++) {
    let top = 0;
    for (let j = 1; j < classes; j++) if (probabilities[row * classes + j] > probabilities[row * classes + top]) top = j;
    const p = probabilities[row * classes + top];
    const bin = Math.min(bins - 1, Math.floor(p * bins));
    count[bin]++;
    confidence[bin] += p;
    if (top === labels[row]) hits[bin]++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]) ece += Math.abs(hits[b] - confidence[b]) / labels.length;
  return ece;
}

/** Search range for T: wide enough for any head we train, narrow enough to stay meaningful. */
const MIN_T = 0.05;
const MAX_T = 20;

/**
 * NLL under temperature T, computed as a log-softmax of log p / T: exact even where the
 * calibrated probability of the true label underflows (a floor there would flatten the loss).
 */
function nllAt(logP: Float64Array, labels: ArrayLike<number>, classes: number, temperature: number): number {
  let sum = 0;
  for (let row = 0; row < labels.length; row++) {
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, logP[row * classes + j] / temperature);
    let z = 0;
    for (let j = 0; j < classes; j++) z += Math.exp(logP[row * classes + j] / temperature - max);
    sum += max + Math.log(z) - logP[row * classes + labels[row]] / temperature;
  }
  return sum / labels.length;
}

/**
 * The temperature that minimises the NLL of `labels` under `probabilities`: the best of a
 * log-spaced grid over [MIN_T, MAX_T], refined by golden-section search between its grid
 * neighbours (the NLL is convex in 1/T). Deterministic; 1 when there are no examples.
 */
export function fitTemperature(probabilities: Float32Array, labels: ArrayLike<number>, classes: number): number {
  if (!labels.length) return 1;
  const logP = Float64Array.from(probabilities, (p) => Math.log(Math.max(FLOOR, p)));
  const loss = (logT: number) => nllAt(logP, labels, classes, Math.exp(logT));
  const steps = 40;
  const grid = Array.from({ length: steps + 1 }, (_, i) => Math.log(MIN_T) + (i / steps) * (Math.log(MAX_T) - Math.log(MIN_T)));
  const losses = grid.map(loss);
  const best = losses.indexOf(Math.min(...losses));
  let a = grid[Math.max(0, best - 1)];
  let b = grid[Math.min(steps, best + 1)];
  const phi = (Math.sqrt(5) - 1) / 2;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = loss(c);
  let fd = loss(d);
  while (b - a > 1e-4) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = loss(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = loss(d);
    }
  }
  return Number(Math.exp((a + b) / 2).toPrecision(4));
}

export interface Calibration {
  temperature: number;
  /** Images whose held-out predictions it was fitted on. */
  images: number;
  /** Which predictions: the validation split's, or out-of-fold ones over train + validation. */
  source: 'validation' | 'out-of-fold';
  nllBefore: number;
  nllAfter: number;
}

/**
 * Below this many held-out images, or this many wrong predictions among them, a fitted
 * temperature says more about the few images than about the model: with no mistakes at all
 * the NLL is lowest at the sharpest temperature allowed, making the model surer, not truer.
 */
export const MIN_CALIBRATION_IMAGES = 50;
export const MIN_CALIBRATION_MISTAKES = 2;

/**
 * Fits the temperature of a chosen model on its validation split (before the final fit adds
 * that split to training); a string says why it was not fitted.
 */
export function calibrateOnValidation(candidate: PreparedCandidate, fitted: FittedModel, classes: number): Calibration | string {
  const val: Examples = candidate.val;
  if (val.rows < MIN_CALIBRATION_IMAGES) return `only ${val.rows} validation images (at least ${MIN_CALIBRATION_IMAGES} are needed to fit a temperature)`;
  const probabilities = predictProbabilities(fitted, val);
  const mistakes = countMistakes(probabilities, val.y, classes);
  if (mistakes < MIN_CALIBRATION_MISTAKES)
    return `${mistakes === 0 ? 'no' : `only ${mistakes}`} wrong validation prediction${mistakes === 1 ? '' : 's'} to fit a temperature on (at least ${MIN_CALIBRATION_MISTAKES} are needed)`;
  return calibrationOn(probabilities, val, classes, 'validation');
}

function calibrationOn(probabilities: Float32Array, examples: Examples, classes: number, source: Calibration['source']): Calibration {
  const temperature = fitTemperature(probabilities, examples.y, classes);
  return {
    temperature,
    images: examples.rows,
    source,
    nllBefore: negativeLogLikelihood(probabilities, examples.y, classes),
    nllAfter: negativeLogLikelihood(applyTemperature(probabilities, classes, temperature), examples.y, classes),
  };
}

export interface OutOfFoldContext {
  seed: number;
  /** Clock value by which the folds must be done; when they would not be, validation is used. */
  deadline: number;
  now: () => number;
}

/**
 * Fits the temperature of a chosen head on embeddings on out-of-fold predictions over train +
 * validation: each of k stratified folds is predicted by a head trained on the others, with the
 * chosen config trained as the final fit will be (retrainConfig). Falls back to
 * calibrateOnValidation for a trunk, or when the folds would not end by the deadline (from the
 * head's own training time); a string says why no temperature was fitted.
 */
export async function calibrateOutOfFold(
  candidate: PreparedCandidate,
  fitted: FittedModel,
  classes: number,
  ctx: OutOfFoldContext,
): Promise<Calibration | string> {
  if (fitted.trunk || candidate.kind !== 'frozen') return calibrateOnValidation(candidate, fitted, classes);
  const all = mergeExamples(candidate.train, candidate.val);
  const k = DEFAULT_FOLDS;
  if (all.rows < MIN_CALIBRATION_IMAGES)
    return `only ${all.rows} training and validation images (at least ${MIN_CALIBRATION_IMAGES} are needed to fit a temperature)`;
  if (ctx.now() + k * foldHeadMs(candidate, fitted, all.rows, k) > ctx.deadline) return calibrateOnValidation(candidate, fitted, classes);
  const probabilities = new Float32Array(all.rows * classes);
  const done = await trainFolds(
    all,
    k,
    retrainConfig(fitted.config, fitted.head),
    { numClasses: classes, seed: ctx.seed, deadline: ctx.deadline, now: ctx.now, name: 'calibration' },
    ({ heldOut, rows, head }) => {
      const predicted = predictHead(head.weights, heldOut.x, heldOut.rows);
      rows.forEach((r, i) => probabilities.set(predicted.subarray(i * classes, (i + 1) * classes), r * classes));
    },
  );
  if (!done) return calibrateOnValidation(candidate, fitted, classes);
  const mistakes = countMistakes(probabilities, all.y, classes);
  if (mistakes < MIN_CALIBRATION_MISTAKES)
    return `${mistakes === 0 ? 'no' : `only ${mistakes}`} wrong out-of-fold prediction${mistakes === 1 ? '' : 's'} to fit a temperature on (at least ${MIN_CALIBRATION_MISTAKES} are needed)`;
  return calibrationOn(probabilities, all, classes, 'out-of-fold');
}

function countMistakes(probabilities: Float32Array, labels: ArrayLike<number>, classes: number): number {
  let mistakes = 0;
  for (let row = 0; row < labels.length; row++) {
    let top = 0;
    for (let j = 1; j < classes; j++) if (probabilities[row * classes + j] > probabilities[row * classes + top]) top = j;
    if (top !== labels[row]) mistakes++;
  }
  return mistakes;
}
