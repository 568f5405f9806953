/**
 * A linear softmax head fitted to convergence: full-batch L-BFGS on the mean (optionally
 * class-weighted, label-smoothed) cross-entropy plus L2 on the kernel, over standardised
 * features.
 *
 * Why not Adam with early stopping, as for deeper heads: early stopping on a few hundred
 * in-domain validation images stops while the head still leans on whatever separates those
 * images, and on pretrained features the converged head transfers better. On the cross-source
 * benchmark, `auto` with MobileNetV2 @224's three depths scored 92.5% on the other source with
 * this head, against 91.6% with Adam (`npm run bench`, BENCHMARKS.md). It also needs no
 * learning rate, batch size or dropout. On those features it converges in about 100
 * iterations (about 1 s for 1,487 images of MobileNetV2's two middle depths on WASM); cut at
 * 60, it scored 0.2 points lower on the other source.
 *
 * The matrix products run as TF.js ops (WASM or native); the L-BFGS state is a few vectors of
 * dim × classes numbers kept in JavaScript.
 */
import * as tf from '@tensorflow/tfjs';
import type { EpochPoint } from '../result.js';

export interface LinearFitOptions {
  numClasses: number;
  /** L2 penalty on the kernel: the objective adds l2/2 · ‖W‖². */
  l2: number;
  labelSmoothing: number;
  /** Per-label loss weights (averaging 1 over the rows), or null for unweighted. */
  classWeights: Float32Array | null;
  /** Most iterations; each is one full pass (plus line-search passes when a step is cut). */
  maxIterations: number;
  /** Stop after the iteration during which this clock value is passed. */
  deadline: number;
  now: () => number;
  onIteration?: (point: EpochPoint) => void;
}

export interface LinearFit {
  /** dim × classes, row-major, on the standardised features. */
  kernel: Float32Array;
  bias: Float32Array;
  /** One point per iteration: the iteration's number is its `epoch`. */
  curve: EpochPoint[];
  /** Whether the gradient (or the loss) stopped moving before the iteration limit. */
  converged: boolean;
  stoppedByDeadline: boolean;
}

/**
 * The iteration cap of an L-BFGS head, whatever `--epochs` says (that is Adam's budget): the
 * tolerances below end a fit first, and the deadline ends it when time runs short.
 */
export const LBFGS_MAX_ITERATIONS = 300;
/** Pairs of steps the inverse-Hessian estimate remembers. */
const HISTORY = 10;
/** Converged when the largest gradient entry is below this. */
const GRADIENT_TOLERANCE = 1e-5;
/** …or when an iteration lowers the objective by less than this fraction (float32 losses cannot resolve much finer). */
const RELATIVE_DECREASE_TOLERANCE = 1e-7;
/** Armijo's sufficient-decrease constant, and the most halvings of a step before giving up. */
const ARMIJO = 1e-4;
const MAX_HALVINGS = 30;

interface Evaluation {
  objective: number;
  gradient: Float64Array;
  /** Unweighted, unsmoothed mean cross-entropy and accuracy: what the curve shows, as for Adam heads. */
  loss: number;
  accuracy: number;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * Fits the head on `x` (rows × dim, already standardised) and reports the validation
 * metrics of every iterate on `val` (also standardised). The weights returned are the last
 * iterate's: there is no early stopping to undo.
 */
export async function fitLinearSoftmax(
  train: { x: Float32Array; y: Int32Array; rows: number },
  val: { x: Float32Array; y: Int32Array; rows: number },
  options: LinearFitOptions,
): Promise<LinearFit> {
  const k = options.numClasses;
  const dim = train.x.length / Math.max(1, train.rows);
  const size = dim * k + k;
  const xTrain = tf.tensor2d(train.x, [train.rows, dim]);
  // Kept transposed as well: on WASM a transposed product took 52 ms where this one takes 16 (1,750 × 2,816).
  const xTrainT = tf.tidy(() => xTrain.transpose<tf.Tensor2D>());
  const xVal = tf.tensor2d(val.x, [val.rows, dim]);
  const yTrain = tf.tensor1d(train.y, 'int32');
  const yVal = tf.tensor1d(val.y, 'int32');
  const smoothing = options.labelSmoothing;
  const targets = tf.tidy(() =>
    tf
      .oneHot(yTrain, k)
      .toFloat()
      .mul(1 - smoothing)
      .add(smoothing / k),
  );
  // Each row's share of the objective: its label's weight over the row count (the mean of a weighted loss).
  const rowWeights = tf.tidy(() => {
    const w = options.classWeights ? tf.tensor1d(options.classWeights).gather(yTrain) : tf.ones([train.rows]);
    return w.div(Math.max(1, train.rows)).reshape([train.rows, 1]);
  });

  const parameters = (theta: Float64Array) => ({
    kernel: tf.tensor2d(Float32Array.from(theta.subarray(0, dim * k)), [dim, k]),
    bias: tf.tensor1d(Float32Array.from(theta.subarray(dim * k))),
  });

  const evaluate = (theta: Float64Array): Evaluation => {
    const [objective, gradKernel, gradBias, plain, hits] = tf.tidy(() => {
      const { kernel, bias } = parameters(theta);
      const logits = xTrain.matMul(kernel).add(bias);
      const logP = tf.logSoftmax(logits);
      const crossEntropy = targets.mul(logP).sum(1, true).neg();
      const objective = crossEntropy
        .mul(rowWeights)
        .sum()
        .add(
          kernel
            .square()
            .sum()
            .mul(options.l2 / 2),
        );
      // d/dlogits of a row's cross-entropy is softmax − target (the targets sum to 1).
      const dLogits = logP.exp().sub(targets).mul(rowWeights);
      const gradKernel = xTrainT.matMul(dLogits).add(kernel.mul(options.l2));
      const gradBias = dLogits.sum(0);
      const plain = logP.mul(tf.oneHot(yTrain, k)).sum(1).neg().mean();
      const hits = logits.argMax(1).equal(yTrain).sum();
      return [objective, gradKernel, gradBias, plain, hits];
    });
    const gradient = new Float64Array(size);
    gradient.set(gradKernel.dataSync());
    gradient.set(gradBias.dataSync(), dim * k);
    const evaluation = { objective: objective.dataSync()[0], gradient, loss: plain.dataSync()[0], accuracy: hits.dataSync()[0] / Math.max(1, train.rows) };
    tf.dispose([objective, gradKernel, gradBias, plain, hits]);
    return evaluation;
  };

  const validate = (theta: Float64Array): { loss: number; accuracy: number } => {
    if (val.rows === 0) return { loss: 0, accuracy: 0 };
    return tf.tidy(() => {
      const { kernel, bias } = parameters(theta);
      const logits = xVal.matMul(kernel).add(bias);
      const loss = tf.logSoftmax(logits).mul(tf.oneHot(yVal, k)).sum(1).neg().mean();
      const hits = logits.argMax(1).equal(yVal).sum();
      return { loss: loss.dataSync()[0], accuracy: hits.dataSync()[0] / val.rows };
    });
  };

  let theta = new Float64Array(size);
  let current = evaluate(theta);
  const steps: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  const curve: EpochPoint[] = [];
  const record = (iteration: number) => {
    const validation = validate(theta);
    const point: EpochPoint = {
      epoch: iteration,
      trainLoss: current.loss,
      trainAccuracy: current.accuracy,
      valLoss: validation.loss,
      valAccuracy: validation.accuracy,
    };
    curve.push(point);
    options.onIteration?.(point);
  };
  let converged = false;
  let stoppedByDeadline = false;
  try {
    for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
      const g = current.gradient;
      if (g.reduce((m, v) => Math.max(m, Math.abs(v)), 0) < GRADIENT_TOLERANCE) {
        converged = true;
        break;
      }
      // Two-loop recursion: direction = −H·g, with H the L-BFGS inverse-Hessian estimate.
      const q = Float64Array.from(g);
      const alphas: number[] = [];
      for (let i = steps.length - 1; i >= 0; i--) {
        const a = steps[i].rho * dot(steps[i].s, q);
        alphas[i] = a;
        for (let j = 0; j < size; j++) q[j] -= a * steps[i].y[j];
      }
      const last = steps.at(-1);
      // Without history, a first step of unit length along −g.
      const scale = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1 / Math.sqrt(dot(g, g));
      for (let j = 0; j < size; j++) q[j] *= scale;
      for (let i = 0; i < steps.length; i++) {
        const b = steps[i].rho * dot(steps[i].y, q);
        for (let j = 0; j < size; j++) q[j] += (alphas[i] - b) * steps[i].s[j];
      }
      const direction = q.map((v) => -v);
      const slope = dot(g, direction);
      if (!(slope < 0)) break;

      // Backtracking line search from the full quasi-Newton step.
      let step = 1;
      let next: Evaluation | undefined;
      let candidate = theta;
      for (let halving = 0; halving < MAX_HALVINGS; halving++) {
        candidate = theta.map((v, j) => v + step * direction[j]);
        const trial = evaluate(candidate);
        if (trial.objective <= current.objective + ARMIJO * step * slope) {
          next = trial;
          break;
        }
        step /= 2;
      }
      // No step lowers the objective at float32 precision: as converged as it gets.
      if (!next) {
        converged = true;
        break;
      }
      const s = candidate.map((v, j) => v - theta[j]);
      const y = next.gradient.map((v, j) => v - g[j]);
      const sy = dot(s, y);
      // Keep the pair only when it carries positive curvature, so the estimate stays positive definite.
      if (sy > 1e-12) {
        steps.push({ s, y, rho: 1 / sy });
        if (steps.length > HISTORY) steps.shift();
      }
      const decrease = current.objective - next.objective;
      theta = candidate;
      current = next;
      record(iteration);
      if (decrease <= RELATIVE_DECREASE_TOLERANCE * Math.max(1, Math.abs(current.objective))) {
        converged = true;
        break;
      }
      if (options.now() > options.deadline && iteration < options.maxIterations) {
        stoppedByDeadline = true;
        break;
      }
      // Let signals (Ctrl-C) and other events through between iterations.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // A start that is already optimal (e.g. constant features) still gets its one point.
    if (!curve.length) record(1);
  } finally {
    tf.dispose([xTrain, xTrainT, xVal, yTrain, yVal, targets, rowWeights]);
  }
  return { kernel: Float32Array.from(theta.subarray(0, dim * k)), bias: Float32Array.from(theta.subarray(dim * k)), curve, converged, stoppedByDeadline };
}
