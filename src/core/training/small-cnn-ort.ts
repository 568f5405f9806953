/**
 * Training the small CNN and its head on ONNX Runtime (the graphs: onnx/small-cnn-graphs.ts),
 * the same recipe as trainHead with a trunk (head.ts): minibatches in a seeded order, flips and
 * shifts, dropout on each dense layer's input, label smoothing, class weights, L2 on the
 * kernels, Adam (with the config's learning-rate schedule), batch norm's moving statistics at
 * TF.js's momentum, early stopping on validation loss (when the schedule allows it) with the
 * best epoch's weights kept. Only the arithmetic moves: ORT runs the forward and backward
 * passes, and Adam's update of about 70,000 numbers runs here.
 *
 * It starts from the TF.js model's weights (a fresh, seeded small CNN or a warm start) and
 * writes the trained ones back into it, so the export, predict and every later stage see the
 * same TF.js model as when TF.js trains it.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from 'onnxruntime-node';
import { buildSmallCnnGraphs, type GraphParameter, type SmallCnnGraphs } from '../onnx/small-cnn-graphs.js';
import { loadOnnxRuntime, openOnnxSession, type SessionFactory } from '../onnx/session.js';
import { createRng, shuffleInPlace } from '../random.js';
import type { EpochPoint } from '../result.js';
import {
  classWeightsFor,
  deadlineEnds,
  epochPoint,
  epochVerdict,
  glorotUniform,
  learningRateAt,
  TRAIN_METRIC_ROWS,
  type DenseWeights,
  type Examples,
  type TrainedHead,
  type TrainHeadOptions,
} from './head.js';
import { SMALL_CNN_BATCH_NORM } from './small-cnn.js';

export interface OrtTrainerOptions extends TrainHeadOptions {
  trunk: NonNullable<TrainHeadOptions['trunk']>;
  /** ORT intra-op threads. */
  threads: number;
  createSession?: SessionFactory;
}

/** TF.js's Adam defaults (tf.train.adam with only a learning rate), so both trainers take the same steps. */
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

type Parameters = Map<string, Float32Array>;

/** Examples per inference call when scoring (memory, not speed: ORT runs any batch size). */
const SCORE_BATCH = 256;

export async function trainSmallCnnOnOrt(train: Examples, val: Examples, options: OrtTrainerOptions): Promise<TrainedHead> {
  const { config, numClasses, trunk } = options;
  const size = trunk.inputShape[0];
  const inputDim = size * size * 3;
  const graphs = buildSmallCnnGraphs(size, config.hiddenUnits, numClasses);
  const rng = createRng(options.seed);
  const params = initialParameters(trunk.model, graphs, options, rng);
  const moving = movingStatistics(trunk.model, graphs);
  const ort = await loadOnnxRuntime();
  const open = (bytes: Uint8Array) => openOnnxSession(bytes, { threads: options.threads, createSession: options.createSession }).then((o) => o.session);
  const [step, infer] = await Promise.all([open(graphs.step), open(graphs.infer)]);
  const tensor = (values: Float32Array, shape: number[]) => new ort.Tensor('float32', values, shape);

  const classWeights = options.classWeights === undefined ? classWeightsFor(train.y, numClasses).weights : options.classWeights;
  const smoothing = config.labelSmoothing;
  const adam = new Map(
    graphs.parameters.map((p) => [p.name, { m: new Float32Array(params.get(p.name)!.length), v: new Float32Array(params.get(p.name)!.length) }]),
  );
  let steps = 0;

  const probabilities = async (x: Float32Array, rows: number): Promise<Float32Array> => {
    const out = new Float32Array(rows * numClasses);
    for (let start = 0; start < rows; start += SCORE_BATCH) {
      const n = Math.min(SCORE_BATCH, rows - start);
      const feeds: Record<string, Tensor> = { x: tensor(x.subarray(start * inputDim, (start + n) * inputDim), [n, size, size, 3]) };
      for (const p of graphs.parameters) feeds[p.name] = tensor(params.get(p.name)!, p.shape);
      for (const bn of graphs.batchNorms) {
        feeds[bn.movingMean] = tensor(moving.get(bn.movingMean)!, [bn.channels]);
        feeds[bn.movingVariance] = tensor(moving.get(bn.movingVariance)!, [bn.channels]);
      }
      const result = await infer.run(feeds);
      out.set(result.probabilities.data as Float32Array, start * numClasses);
    }
    return out;
  };
  const evaluate = async (x: Float32Array, y: Int32Array, rows: number) => {
    const p = await probabilities(x, rows);
    let loss = 0;
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      const row = p.subarray(r * numClasses, (r + 1) * numClasses);
      loss -= Math.log(Math.max(row[y[r]], 1e-7));
      if (argmax(row) === y[r]) correct++;
    }
    return { loss: rows ? loss / rows : 0, accuracy: rows ? correct / rows : 0 };
  };

  const rowsOf = (rows: readonly number[]): Float32Array => {
    const out = new Float32Array(rows.length * inputDim);
    rows.forEach((row, i) => out.set(train.x.subarray(row * inputDim, (row + 1) * inputDim), i * inputDim));
    return out;
  };
  // Training-set metrics on a fixed, evenly spread subset, as head.ts takes them.
  const metricRows = Math.min(train.rows, TRAIN_METRIC_ROWS);
  const metricIndices = Array.from({ length: metricRows }, (_, i) => Math.floor((i * train.rows) / metricRows));
  const metricX = rowsOf(metricIndices);
  const metricY = Int32Array.from(metricIndices, (i) => train.y[i]);

  let learningRate = config.learningRate;
  const trainStep = async (batchIndices: number[]) => {
    const n = batchIndices.length;
    const batch = rowsOf(batchIndices);
    // The batch is a copy: its rows are augmented in place.
    if (trunk.augment) for (let i = 0; i < n; i++) trunk.augment(batch.subarray(i * inputDim, (i + 1) * inputDim), rng);
    const target = new Float32Array(n * numClasses).fill(smoothing / numClasses);
    const weight = new Float32Array(n);
    batchIndices.forEach((row, i) => {
      target[i * numClasses + train.y[row]] += 1 - smoothing;
      // The loss is the mean over the batch of each example's (class-weighted) cross-entropy.
      weight[i] = (classWeights ? classWeights[train.y[row]] : 1) / n;
    });
    const feeds: Record<string, Tensor> = {
      x: tensor(batch, [n, size, size, 3]),
      target: tensor(target, [n, numClasses]),
      weight: tensor(weight, [n, 1]),
    };
    graphs.denseInputs.forEach((width, j) => (feeds[`mask_${j}`] = tensor(dropoutMask(n * width, config.dropout, rng), [n, width])));
    for (const p of graphs.parameters) feeds[p.name] = tensor(params.get(p.name)!, p.shape);
    const result = await step.run(feeds);
    steps++;
    for (const p of graphs.parameters) {
      const gradient = result[`grad_${p.name}`].data as Float32Array;
      adamUpdate(params.get(p.name)!, gradient, adam.get(p.name)!, steps, learningRate, p.role === 'kernel' ? config.weightDecay : 0);
    }
    const decay = 1 - SMALL_CNN_BATCH_NORM.momentum;
    for (const bn of graphs.batchNorms) {
      blend(moving.get(bn.movingMean)!, result[`${bn.conv}_mean`].data as Float32Array, decay);
      blend(moving.get(bn.movingVariance)!, result[`${bn.conv}_variance`].data as Float32Array, decay);
    }
  };

  const curve: EpochPoint[] = [];
  const snapshot = () => ({ params: cloneAll(params), moving: cloneAll(moving) });
  let best = { loss: Infinity, accuracy: 0, epoch: 0, ...snapshot() };
  let stoppedByDeadline = false;
  const order = Array.from({ length: train.rows }, (_, i) => i);
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      learningRate = learningRateAt(config, epoch);
      shuffleInPlace(order, rng);
      for (let start = 0; start < train.rows; start += config.batchSize) {
        const batchIndices = order.slice(start, start + config.batchSize);
        // A final batch of one would make batch norm statistics meaningless; fold it away.
        if (batchIndices.length < 2) continue;
        await trainStep(batchIndices);
      }
      const trainMetrics = await evaluate(metricX, metricY, metricRows);
      const valMetrics = await evaluate(val.x, val.y, val.rows);
      const point = epochPoint(epoch, trainMetrics, valMetrics);
      curve.push(point);
      options.onEpoch?.(point);
      const verdict = epochVerdict(point, best, config, options);
      if (verdict === 'best') best = { loss: valMetrics.loss, accuracy: valMetrics.accuracy, epoch, ...snapshot() };
      else if (verdict === 'stop') break;
      if (await deadlineEnds(epoch, config, options)) {
        stoppedByDeadline = true;
        break;
      }
    }
  } finally {
    await Promise.all([step.release(), infer.release()]);
  }
  writeTrunkWeights(trunk.model, graphs, best.params, best.moving);
  const widths = [graphs.featureDim, ...config.hiddenUnits, numClasses];
  const dense: DenseWeights[] = widths.slice(1).map((outDim, j) => ({
    kernel: best.params.get(`dense${j}_kernel`)!,
    bias: best.params.get(`dense${j}_bias`)!,
    inDim: widths[j],
    outDim,
  }));
  return {
    weights: { mean: new Float32Array(graphs.featureDim), std: new Float32Array(graphs.featureDim).fill(1), dense },
    curve,
    bestEpoch: best.epoch,
    valAccuracy: best.accuracy,
    valLoss: best.loss,
    stoppedByDeadline,
  };
}

/** The TF.js model's weights by their original layer/weight name (no uniquifying suffix). */
function tfjsWeights(model: tf.LayersModel): Map<string, tf.LayerVariable> {
  return new Map(model.weights.map((w) => [w.originalName, w]));
}

/** A conv kernel from TF.js's H×W×I×O to ONNX's O×I×H×W, or back (`toTfjs`). */
export function transposeKernel(values: Float32Array, shape: number[], toTfjs: boolean): Float32Array {
  // shape is the ONNX one: O×I×H×W.
  const [o, i, h, w] = shape;
  const out = new Float32Array(values.length);
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const onnx = ((a * i + b) * h + y) * w + x;
          const tfjs = ((y * w + x) * i + b) * o + a;
          if (toTfjs) out[tfjs] = values[onnx];
          else out[onnx] = values[tfjs];
        }
  return out;
}

/** Where a graph parameter of the trunk lives in the TF.js model. */
function tfjsName(parameter: GraphParameter): string {
  const conv = parameter.name.replace(/_(kernel|gamma|beta)$/, '');
  return parameter.role === 'kernel' ? `${conv}/kernel` : `${conv}_bn/${parameter.role}`;
}

const isTrunk = (p: GraphParameter) => p.name.startsWith('block');

/** The trunk's parameters from the TF.js model, and the head's: `initialDense` or fresh (Glorot, from `rng`, as head.ts draws them). */
export function initialParameters(
  model: tf.LayersModel,
  graphs: SmallCnnGraphs,
  options: Pick<TrainHeadOptions, 'initialDense'>,
  rng: () => number,
): Parameters {
  const weights = tfjsWeights(model);
  const params: Parameters = new Map();
  for (const p of graphs.parameters.filter(isTrunk)) {
    const values = weights.get(tfjsName(p))!.read().dataSync() as Float32Array;
    params.set(p.name, p.role === 'kernel' ? transposeKernel(values, p.shape, false) : values.slice());
  }
  const dense = graphs.parameters.filter((p) => !isTrunk(p));
  for (let j = 0; j < dense.length / 2; j++) {
    const [inDim, outDim] = dense[j * 2].shape;
    const initial = options.initialDense?.[j];
    if (options.initialDense && (!initial || initial.inDim !== inDim || initial.outDim !== outDim))
      throw new Error('initialDense does not match the configured layer widths');
    params.set(`dense${j}_kernel`, initial ? initial.kernel.slice() : glorotUniform(inDim, outDim, rng));
    params.set(`dense${j}_bias`, initial ? initial.bias.slice() : new Float32Array(outDim));
  }
  return params;
}

function movingStatistics(model: tf.LayersModel, graphs: SmallCnnGraphs): Parameters {
  const weights = tfjsWeights(model);
  const stats: Parameters = new Map();
  for (const bn of graphs.batchNorms) {
    stats.set(bn.movingMean, (weights.get(`${bn.conv}_bn/moving_mean`)!.read().dataSync() as Float32Array).slice());
    stats.set(bn.movingVariance, (weights.get(`${bn.conv}_bn/moving_variance`)!.read().dataSync() as Float32Array).slice());
  }
  return stats;
}

function writeTrunkWeights(model: tf.LayersModel, graphs: SmallCnnGraphs, params: Parameters, moving: Parameters): void {
  const weights = tfjsWeights(model);
  const set = (name: string, values: Float32Array) => {
    const variable = weights.get(name)!;
    const value = tf.tensor(values, variable.shape as number[]);
    variable.write(value);
    value.dispose();
  };
  for (const p of graphs.parameters.filter(isTrunk))
    set(tfjsName(p), p.role === 'kernel' ? transposeKernel(params.get(p.name)!, p.shape, true) : params.get(p.name)!);
  for (const bn of graphs.batchNorms) {
    set(`${bn.conv}_bn/moving_mean`, moving.get(bn.movingMean)!);
    set(`${bn.conv}_bn/moving_variance`, moving.get(bn.movingVariance)!);
  }
}

function cloneAll(map: Parameters): Parameters {
  return new Map([...map].map(([name, values]) => [name, values.slice()]));
}

/** A dropout mask, already divided by the keep rate (inverted dropout, as head.ts applies it). */
function dropoutMask(length: number, rate: number, rng: () => number): Float32Array {
  const mask = new Float32Array(length).fill(1);
  if (rate <= 0) return mask;
  const kept = 1 / (1 - rate);
  for (let i = 0; i < length; i++) mask[i] = rng() >= rate ? kept : 0;
  return mask;
}

/** One Adam step with L2 weight decay added to the gradient (TF.js's `loss + decay/2 · Σw²`). */
function adamUpdate(
  w: Float32Array,
  gradient: Float32Array,
  state: { m: Float32Array; v: Float32Array },
  step: number,
  learningRate: number,
  decay: number,
): void {
  const { beta1, beta2, epsilon } = ADAM;
  const correction1 = 1 - beta1 ** step;
  const correction2 = 1 - beta2 ** step;
  for (let i = 0; i < w.length; i++) {
    const g = gradient[i] + decay * w[i];
    state.m[i] = beta1 * state.m[i] + (1 - beta1) * g;
    state.v[i] = beta2 * state.v[i] + (1 - beta2) * g * g;
    w[i] -= (learningRate * (state.m[i] / correction1)) / (Math.sqrt(state.v[i] / correction2) + epsilon);
  }
}

/** moving ← moving · (1 − decay) + batch · decay. */
function blend(moving: Float32Array, batch: Float32Array, decay: number): void {
  for (let i = 0; i < moving.length; i++) moving[i] = moving[i] * (1 - decay) + batch[i] * decay;
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
  return best;
}
