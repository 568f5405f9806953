import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  TestMetrics,
  differenceInterval,
  parseRunResult,
  tInterval,
  wilsonInterval
} from "./chunk-URU2MKN2.js";
import {
  BUILTIN_BACKBONES,
  HOG,
  SMALL_CNN
} from "./chunk-4E5NTKA3.js";
import {
  InputError
} from "./chunk-U2O33TCJ.js";

// src/core/training/head-settings.ts
function headSettings(config) {
  const settings = [
    config.solver === "lbfgs" ? "L-BFGS" : `Adam, lr ${config.learningRate}, batch ${config.batchSize}, hidden [${config.hiddenUnits.join(",")}], dropout ${config.dropout}`,
    `L2 ${config.weightDecay}`
  ];
  if (config.labelSmoothing) settings.push(`label smoothing ${config.labelSmoothing}`);
  if (config.scaling === "global") settings.push("one scale for all features");
  return settings.join(", ");
}

// src/core/training/head.ts
import * as tf2 from "@tensorflow/tfjs";

// src/core/random.ts
import { createHash } from "node:crypto";
function createRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function deriveSeed(seed, purpose) {
  return createHash("sha256").update(`${seed}:${purpose}`).digest().readUInt32LE(0);
}
function shuffleInPlace(items, rng) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

// src/core/training/linear-solver.ts
import * as tf from "@tensorflow/tfjs";
var LBFGS_MAX_ITERATIONS = 300;
var HISTORY = 10;
var GRADIENT_TOLERANCE = 1e-5;
var RELATIVE_DECREASE_TOLERANCE = 1e-7;
var ARMIJO = 1e-4;
var MAX_HALVINGS = 30;
var dot = (a, b) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
async function fitLinearSoftmax(train2, val, options) {
  const k = options.numClasses;
  const dim = train2.x.length / Math.max(1, train2.rows);
  const size2 = dim * k + k;
  const xTrain = tf.tensor2d(train2.x, [train2.rows, dim]);
  const xTrainT = tf.tidy(() => xTrain.transpose());
  const xVal = tf.tensor2d(val.x, [val.rows, dim]);
  const yTrain = tf.tensor1d(train2.y, "int32");
  const yVal = tf.tensor1d(val.y, "int32");
  const smoothing = options.labelSmoothing;
  const targets = tf.tidy(
    () => tf.oneHot(yTrain, k).toFloat().mul(1 - smoothing).add(smoothing / k)
  );
  const rowWeights = tf.tidy(() => {
    const w = options.classWeights ? tf.tensor1d(options.classWeights).gather(yTrain) : tf.ones([train2.rows]);
    return w.div(Math.max(1, train2.rows)).reshape([train2.rows, 1]);
  });
  const parameters = (theta2) => ({
    kernel: tf.tensor2d(Float32Array.from(theta2.subarray(0, dim * k)), [dim, k]),
    bias: tf.tensor1d(Float32Array.from(theta2.subarray(dim * k)))
  });
  const evaluate2 = (theta2) => {
    const [objective, gradKernel, gradBias, plain, hits] = tf.tidy(() => {
      const { kernel, bias } = parameters(theta2);
      const logits = xTrain.matMul(kernel).add(bias);
      const logP = tf.logSoftmax(logits);
      const crossEntropy = targets.mul(logP).sum(1, true).neg();
      const objective2 = crossEntropy.mul(rowWeights).sum().add(
        kernel.square().sum().mul(options.l2 / 2)
      );
      const dLogits = logP.exp().sub(targets).mul(rowWeights);
      const gradKernel2 = xTrainT.matMul(dLogits).add(kernel.mul(options.l2));
      const gradBias2 = dLogits.sum(0);
      const plain2 = logP.mul(tf.oneHot(yTrain, k)).sum(1).neg().mean();
      const hits2 = logits.argMax(1).equal(yTrain).sum();
      return [objective2, gradKernel2, gradBias2, plain2, hits2];
    });
    const gradient = new Float64Array(size2);
    gradient.set(gradKernel.dataSync());
    gradient.set(gradBias.dataSync(), dim * k);
    const evaluation = { objective: objective.dataSync()[0], gradient, loss: plain.dataSync()[0], accuracy: hits.dataSync()[0] / Math.max(1, train2.rows) };
    tf.dispose([objective, gradKernel, gradBias, plain, hits]);
    return evaluation;
  };
  const validate = (theta2) => {
    if (val.rows === 0) return { loss: 0, accuracy: 0 };
    return tf.tidy(() => {
      const { kernel, bias } = parameters(theta2);
      const logits = xVal.matMul(kernel).add(bias);
      const loss = tf.logSoftmax(logits).mul(tf.oneHot(yVal, k)).sum(1).neg().mean();
      const hits = logits.argMax(1).equal(yVal).sum();
      return { loss: loss.dataSync()[0], accuracy: hits.dataSync()[0] / val.rows };
    });
  };
  let theta = new Float64Array(size2);
  let current = evaluate2(theta);
  const steps = [];
  const curve = [];
  const record = (iteration) => {
    const validation = validate(theta);
    const point = {
      epoch: iteration,
      trainLoss: current.loss,
      trainAccuracy: current.accuracy,
      valLoss: validation.loss,
      valAccuracy: validation.accuracy
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
      const q = Float64Array.from(g);
      const alphas = [];
      for (let i = steps.length - 1; i >= 0; i--) {
        const a = steps[i].rho * dot(steps[i].s, q);
        alphas[i] = a;
        for (let j = 0; j < size2; j++) q[j] -= a * steps[i].y[j];
      }
      const last = steps.at(-1);
      const scale = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1 / Math.sqrt(dot(g, g));
      for (let j = 0; j < size2; j++) q[j] *= scale;
      for (let i = 0; i < steps.length; i++) {
        const b = steps[i].rho * dot(steps[i].y, q);
        for (let j = 0; j < size2; j++) q[j] += (alphas[i] - b) * steps[i].s[j];
      }
      const direction = q.map((v) => -v);
      const slope = dot(g, direction);
      if (!(slope < 0)) break;
      let step = 1;
      let next;
      let candidate = theta;
      for (let halving = 0; halving < MAX_HALVINGS; halving++) {
        candidate = theta.map((v, j) => v + step * direction[j]);
        const trial = evaluate2(candidate);
        if (trial.objective <= current.objective + ARMIJO * step * slope) {
          next = trial;
          break;
        }
        step /= 2;
      }
      if (!next) {
        converged = true;
        break;
      }
      const s = candidate.map((v, j) => v - theta[j]);
      const y = next.gradient.map((v, j) => v - g[j]);
      const sy = dot(s, y);
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
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (!curve.length) record(1);
  } finally {
    tf.dispose([xTrain, xTrainT, xVal, yTrain, yVal, targets, rowWeights]);
  }
  return { kernel: Float32Array.from(theta.subarray(0, dim * k)), bias: Float32Array.from(theta.subarray(dim * k)), curve, converged, stoppedByDeadline };
}

// src/core/training/head.ts
var IMBALANCE_RATIO = 1.5;
function classWeightsFor(y, numClasses, threshold = IMBALANCE_RATIO) {
  const counts = new Array(numClasses).fill(0);
  for (const label of y) counts[label]++;
  const present = counts.filter((c) => c > 0);
  const ratio = present.length < numClasses ? Infinity : Math.max(...counts) / Math.min(...counts);
  if (!(ratio > threshold) || y.length === 0) return { ratio, threshold, weights: null };
  const weights = Float32Array.from(counts, (c) => c ? y.length / (present.length * c) : 0);
  return { ratio, threshold, weights };
}
var TRAIN_METRIC_ROWS = 512;
var MIN_SCALE_SHARE = 0.1;
function standardisation(x, rows, dim, scaling) {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < dim; c++) {
      const v = x[r * dim + c];
      mean[c] += v;
      sq[c] += v * v;
    }
  }
  const m = new Float32Array(dim);
  const deviation = new Float64Array(dim);
  let spread = 0;
  for (let c = 0; c < dim; c++) {
    m[c] = mean[c] / rows;
    deviation[c] = Math.sqrt(Math.max(0, sq[c] / rows - m[c] * m[c]));
    spread += deviation[c];
  }
  const typical = spread / dim;
  const s = new Float32Array(dim);
  if (scaling === "global") return { mean: m, std: s.fill(typical > 0 ? typical : 1) };
  for (let c = 0; c < dim; c++) s[c] = Math.max(deviation[c] > 1e-6 ? deviation[c] : 1, MIN_SCALE_SHARE * typical);
  return { mean: m, std: s };
}
function standardised(x, mean, std) {
  const dim = mean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - mean[i % dim]) / std[i % dim];
  return out;
}
function glorotUniform(inDim, outDim, rng) {
  const limit = Math.sqrt(6 / (inDim + outDim));
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = (rng() * 2 - 1) * limit;
  return w;
}
function denseForward(input2, layers2, dropout, dropoutSeed) {
  let h = input2;
  layers2.forEach((layer, i) => {
    if (dropoutSeed !== void 0 && dropout > 0) {
      const keep = tf2.randomUniform(h.shape, 0, 1, "float32", dropoutSeed + i).greaterEqual(dropout);
      h = h.mul(keep.toFloat()).div(1 - dropout);
    }
    h = h.matMul(layer.kernel).add(layer.bias);
    if (i < layers2.length - 1) h = h.relu();
  });
  return h;
}
async function trainHead(train2, val, options) {
  if (options.config.solver === "lbfgs") return trainLinearHead(train2, val, options);
  const { config, numClasses, trunk } = options;
  const rng = createRng(options.seed);
  const inputDim = trunk ? trunk.inputShape.reduce((a, b) => a * b, 1) : train2.x.length / train2.rows;
  const featureDim = trunk ? trunk.model.outputs[0].shape[1] : inputDim;
  const { mean, std } = trunk ? { mean: new Float32Array(featureDim), std: new Float32Array(featureDim).fill(1) } : standardisation(train2.x, train2.rows, inputDim, config.scaling);
  const standardise = (x) => trunk ? x : standardised(x, mean, std);
  const exampleShape = trunk ? trunk.inputShape : [inputDim];
  const xTrain = standardise(train2.x);
  const rowsOf = (rows) => {
    const out = new Float32Array(rows.length * inputDim);
    rows.forEach((row, i) => out.set(xTrain.subarray(row * inputDim, (row + 1) * inputDim), i * inputDim));
    return out;
  };
  const xVal = tf2.tensor(standardise(val.x), [val.rows, ...exampleShape]);
  const oneHot3 = (y) => tf2.tidy(() => tf2.oneHot(tf2.tensor1d(y, "int32"), numClasses).toFloat());
  const yTrain = oneHot3(train2.y);
  const yVal = oneHot3(val.y);
  const classWeights = options.classWeights === void 0 ? classWeightsFor(train2.y, numClasses).weights : options.classWeights;
  const exampleWeights = classWeights ? tf2.tensor1d(Float32Array.from(train2.y, (label) => classWeights[label])) : null;
  const widths = [featureDim, ...config.hiddenUnits, numClasses];
  if (options.initialDense && options.initialDense.map((d) => d.outDim).join() !== widths.slice(1).join()) {
    throw new Error("initialDense does not match the configured layer widths");
  }
  const layers2 = tf2.tidy(
    () => widths.slice(1).map((outDim, i) => ({
      kernel: tf2.variable(tf2.tensor2d(options.initialDense?.[i]?.kernel ?? glorotUniform(widths[i], outDim, rng), [widths[i], outDim])),
      bias: tf2.variable(options.initialDense ? tf2.tensor1d(options.initialDense[i].bias) : tf2.zeros([outDim]))
    }))
  );
  const headVariables = layers2.flatMap((l) => [l.kernel, l.bias]);
  const trunkVariables = trunk ? trunk.model.trainableWeights.map((w) => w.read()) : [];
  const optimizer = tf2.train.adam(config.learningRate);
  const features = (x, training) => trunk ? trunk.model.apply(x, { training: training && (trunk.training ?? true) }) : x;
  const evaluate2 = (x, y, rows) => {
    let lossSum = 0;
    let correct = 0;
    const step = trunk ? 256 : 4096;
    for (let start = 0; start < rows; start += step) {
      const size2 = Math.min(step, rows - start);
      const [loss, hits] = tf2.tidy(() => {
        const xb = x.slice(start, size2);
        const yb = y.slice(start, size2);
        const logits = denseForward(features(xb, false), layers2, 0);
        const l = tf2.losses.softmaxCrossEntropy(yb, logits, void 0, 0, tf2.Reduction.SUM);
        const h = logits.argMax(1).equal(yb.argMax(1)).sum();
        return [l.dataSync()[0], h.dataSync()[0]];
      });
      lossSum += loss;
      correct += hits;
    }
    return { loss: lossSum / rows, accuracy: correct / rows };
  };
  const metricRows = Math.min(train2.rows, TRAIN_METRIC_ROWS);
  const metricIndices = Array.from({ length: metricRows }, (_, i) => Math.floor(i * train2.rows / metricRows));
  const metricX = tf2.tensor(rowsOf(metricIndices), [metricRows, ...exampleShape]);
  const metricY = metricRows === train2.rows ? yTrain : tf2.tidy(() => tf2.gather(yTrain, tf2.tensor1d(metricIndices, "int32")));
  const curve = [];
  let best = { loss: Infinity, accuracy: 0, epoch: 0, weights: [], trunkWeights: [] };
  const patience = options.patience ?? 8;
  let stoppedByDeadline = false;
  const order = Array.from({ length: train2.rows }, (_, i) => i);
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    shuffleInPlace(order, rng);
    for (let start = 0; start < train2.rows; start += config.batchSize) {
      const batchIndices = order.slice(start, start + config.batchSize);
      if (trunk && batchIndices.length < 2) continue;
      const dropoutSeed = Math.floor(rng() * 2 ** 31);
      tf2.tidy(() => {
        const idx = tf2.tensor1d(batchIndices, "int32");
        const batch = rowsOf(batchIndices);
        if (trunk?.augment) for (let i = 0; i < batchIndices.length; i++) trunk.augment(batch.subarray(i * inputDim, (i + 1) * inputDim), rng);
        const xb = tf2.tensor(batch, [batchIndices.length, ...exampleShape]);
        const yb = tf2.gather(yTrain, idx);
        const wb = exampleWeights ? tf2.gather(exampleWeights, idx) : void 0;
        optimizer.minimize(
          () => {
            const logits = denseForward(features(xb, true), layers2, config.dropout, dropoutSeed);
            let loss = weightedCrossEntropy(yb, logits, wb, config.labelSmoothing);
            if (config.weightDecay > 0) {
              const l2 = [...layers2.map((l) => l.kernel), ...trunk ? trunkKernels(trunk.model) : []].map((k) => k.square().sum()).reduce((a, b) => a.add(b));
              loss = loss.add(l2.mul(config.weightDecay / 2));
            }
            return loss;
          },
          false,
          [...headVariables, ...trunkVariables]
        );
      });
    }
    const trainMetrics = evaluate2(metricX, metricY, metricRows);
    const valMetrics = evaluate2(xVal, yVal, val.rows);
    const point = {
      epoch,
      trainLoss: trainMetrics.loss,
      trainAccuracy: trainMetrics.accuracy,
      valLoss: valMetrics.loss,
      valAccuracy: valMetrics.accuracy
    };
    curve.push(point);
    options.onEpoch?.(point);
    if (options.keepLastEpoch || valMetrics.loss < best.loss - 1e-6) {
      best.trunkWeights.forEach((t) => t.dispose());
      best = {
        loss: valMetrics.loss,
        accuracy: valMetrics.accuracy,
        epoch,
        weights: headVariables.map((v) => v.dataSync().slice()),
        trunkWeights: trunk ? trunk.model.getWeights().map((w) => w.clone()) : []
      };
    } else if (epoch - best.epoch >= patience) {
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    if (options.now() > options.deadline && epoch < config.epochs) {
      stoppedByDeadline = true;
      break;
    }
  }
  if (trunk) trunk.model.setWeights(best.trunkWeights);
  best.trunkWeights.forEach((t) => t.dispose());
  const dense = layers2.map((_, i) => ({
    kernel: best.weights[i * 2],
    bias: best.weights[i * 2 + 1],
    inDim: widths[i],
    outDim: widths[i + 1]
  }));
  tf2.dispose([.../* @__PURE__ */ new Set([xVal, yTrain, yVal, metricX, metricY]), ...headVariables, ...exampleWeights ? [exampleWeights] : []]);
  optimizer.dispose();
  return { weights: { mean, std, dense }, curve, bestEpoch: best.epoch, valAccuracy: best.accuracy, valLoss: best.loss, stoppedByDeadline };
}
async function trainLinearHead(train2, val, options) {
  const { config, numClasses } = options;
  if (options.trunk || config.hiddenUnits.length || options.initialDense) throw new Error("the lbfgs solver fits a linear head on embeddings only");
  const dim = train2.x.length / Math.max(1, train2.rows);
  const { mean, std } = standardisation(train2.x, train2.rows, dim, config.scaling);
  const fit2 = await fitLinearSoftmax(
    { ...train2, x: standardised(train2.x, mean, std) },
    { ...val, x: standardised(val.x, mean, std) },
    {
      numClasses,
      l2: config.weightDecay,
      labelSmoothing: config.labelSmoothing,
      classWeights: options.classWeights === void 0 ? classWeightsFor(train2.y, numClasses).weights : options.classWeights,
      maxIterations: config.epochs,
      deadline: options.deadline,
      now: options.now,
      onIteration: options.onEpoch
    }
  );
  const last = fit2.curve.at(-1);
  return {
    weights: { mean, std, dense: [{ kernel: fit2.kernel, bias: fit2.bias, inDim: dim, outDim: numClasses }] },
    curve: fit2.curve,
    bestEpoch: last.epoch,
    valAccuracy: last.valAccuracy,
    valLoss: last.valLoss,
    stoppedByDeadline: fit2.stoppedByDeadline
  };
}
function retrainConfig(config, head) {
  return config.solver === "lbfgs" ? config : { ...config, epochs: Math.max(1, head.bestEpoch) };
}
function retrainTimeShare(config, head) {
  return config.solver === "lbfgs" ? 1 : Math.max(1, head.bestEpoch) / Math.max(1, head.curve.length);
}
function weightedCrossEntropy(labels, logits, weights, labelSmoothing) {
  if (!weights) return tf2.losses.softmaxCrossEntropy(labels, logits, void 0, labelSmoothing);
  return tf2.losses.softmaxCrossEntropy(labels, logits, void 0, labelSmoothing, tf2.Reduction.NONE).mul(weights).sum().div(labels.shape[0]);
}
function trunkKernels(model2) {
  return model2.trainableWeights.filter((w) => w.originalName.endsWith("/kernel")).map((w) => w.read());
}
function predictHead(weights, x, rows) {
  const dim = weights.mean.length;
  return tf2.tidy(() => {
    const input2 = tf2.tensor2d(x, [rows, dim]).sub(tf2.tensor1d(weights.mean)).div(tf2.tensor1d(weights.std));
    const layers2 = weights.dense.map((d) => ({ kernel: tf2.tensor2d(d.kernel, [d.inDim, d.outDim]), bias: tf2.tensor1d(d.bias) }));
    return denseForward(input2, layers2, 0).softmax().dataSync();
  });
}
function classBalanceOf(y, labels) {
  const balance = classWeightsFor(y, labels.length);
  return {
    applied: balance.weights !== null,
    ratio: Number.isFinite(balance.ratio) ? Number(balance.ratio.toFixed(3)) : null,
    threshold: balance.threshold,
    ...balance.weights ? { weights: Object.fromEntries(labels.map((label, i) => [label, Number(balance.weights[i].toFixed(4))])) } : {}
  };
}

// src/core/training/refit.ts
function mergeExamples(a, b) {
  const x = new Float32Array(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  const y = new Int32Array(a.rows + b.rows);
  y.set(a.y);
  y.set(b.y, a.rows);
  return { x, y, rows: a.rows + b.rows };
}
function estimateRefitMs(candidate, chosen, withViews) {
  const trainedRows = Math.max(1, candidate.train.rows + (candidate.views?.rows ?? 0));
  const rows = candidate.train.rows + candidate.val.rows + (withViews ? candidate.views?.rows ?? 0 : 0);
  return chosen.seconds * 1e3 * retrainTimeShare(chosen.config, chosen.head) * (rows / trainedRows);
}
var iterations = (n) => `iteration${n === 1 ? "" : "s"}`;
async function refitOnTrainAndVal(candidate, chosen, ctx) {
  if (chosen.trunk) {
    const what = chosen.trunkRole === "top" ? "the fine-tuned top block" : "the small CNN";
    return { decision: { applied: false, reason: `${what} is trained end to end; training it again on train + validation would take a second full training` } };
  }
  if (candidate.val.rows === 0) return { decision: { applied: false, reason: "there is no validation split to add" } };
  const left = ctx.deadline - ctx.now();
  const withViews = estimateRefitMs(candidate, chosen, true);
  const keepViews = Boolean(candidate.views) && withViews <= left;
  const estimateMs = keepViews ? withViews : estimateRefitMs(candidate, chosen, false);
  if (estimateMs > left) {
    return { decision: { applied: false, reason: `not enough of the budget left (about ${Math.ceil(estimateMs / 1e3)} s needed)` } };
  }
  const merged = mergeExamples(keepViews ? mergeExamples(candidate.train, candidate.views) : candidate.train, candidate.val);
  const viewsLeftOut = candidate.views && !keepViews ? `; without the augmented views, which would not have finished in time (about ${Math.ceil(withViews / 1e3)} s)` : "";
  const config = retrainConfig(chosen.config, chosen.head);
  const start = ctx.now();
  const head = await trainHead(merged, candidate.val, {
    numClasses: ctx.numClasses,
    config,
    seed: deriveSeed(ctx.seed, "refit"),
    deadline: ctx.deadline,
    now: ctx.now,
    keepLastEpoch: true
  });
  const ran = head.curve.length;
  if (head.stoppedByDeadline) {
    const progress = config.solver === "lbfgs" ? `${ran} L-BFGS ${iterations(ran)}, before it converged` : `${ran} of ${config.epochs} epochs`;
    return { decision: { applied: false, reason: `the budget ran out after ${progress}; the chosen head was kept` } };
  }
  const refitted = { head, config, seconds: (ctx.now() - start) / 1e3 };
  const how = config.solver === "lbfgs" ? `by L-BFGS, ${ran < config.epochs ? `converged in ${ran} ${iterations(ran)}` : `stopped at its cap of ${ran} iterations`}` : `for the chosen ${config.epochs} epoch${config.epochs === 1 ? "" : "s"}`;
  return {
    decision: {
      applied: true,
      reason: `retrained on train + validation (${merged.rows} images) ${how}${viewsLeftOut}`,
      images: merged.rows,
      epochs: config.epochs
    },
    refitted
  };
}

// src/core/training/candidates.ts
import * as tf4 from "@tensorflow/tfjs";

// src/core/training/small-cnn.ts
import * as tf3 from "@tensorflow/tfjs";
function buildSmallCnn(inputSize, seed) {
  const input2 = tf3.input({ shape: [inputSize, inputSize, 3], name: "input" });
  let x = tf3.layers.rescaling({ scale: 1 / 255, offset: 0, name: "rescale" }).apply(input2);
  const blocks = inputSize >= 24 ? [16, 32, 64] : [16, 32];
  let layerSeed = seed;
  blocks.forEach((filters, b) => {
    for (let c = 1; c <= (b === 0 ? 1 : 2); c++) {
      const name = `block${b + 1}_conv${c}`;
      x = tf3.layers.conv2d({ filters, kernelSize: 3, padding: "same", useBias: false, kernelInitializer: tf3.initializers.heNormal({ seed: layerSeed++ }), name }).apply(x);
      x = tf3.layers.batchNormalization({ name: `${name}_bn` }).apply(x);
      x = tf3.layers.reLU({ name: `${name}_relu` }).apply(x);
    }
    x = tf3.layers.maxPooling2d({ poolSize: 2, name: `block${b + 1}_pool` }).apply(x);
  });
  x = tf3.layers.flatten({ name: "backbone_flatten" }).apply(x);
  return tf3.model({ inputs: input2, outputs: x, name: "small_cnn" });
}
function flipAndShift(size2) {
  return (example, rng) => {
    const flip = rng() < 0.5;
    const dx = Math.floor(rng() * 5) - 2;
    const dy = Math.floor(rng() * 5) - 2;
    if (!flip && dx === 0 && dy === 0) return;
    const source = example.slice();
    for (let y = 0; y < size2; y++) {
      const sy = y - dy;
      for (let x = 0; x < size2; x++) {
        let sx = x - dx;
        if (flip) sx = size2 - 1 - sx;
        const out = (y * size2 + x) * 3;
        if (sy < 0 || sy >= size2 || sx < 0 || sx >= size2) {
          const cy = Math.min(size2 - 1, Math.max(0, sy));
          const cx = Math.min(size2 - 1, Math.max(0, sx));
          const from = (cy * size2 + cx) * 3;
          example[out] = source[from];
          example[out + 1] = source[from + 1];
          example[out + 2] = source[from + 2];
        } else {
          const from = (sy * size2 + sx) * 3;
          example[out] = source[from];
          example[out + 1] = source[from + 1];
          example[out + 2] = source[from + 2];
        }
      }
    }
  };
}

// src/core/training/candidates.ts
function defaultConfig(kind, maxEpochs) {
  return kind === "frozen" ? { solver: "lbfgs", learningRate: 1e-3, batchSize: 32, hiddenUnits: [], dropout: 0.2, weightDecay: 1e-3, labelSmoothing: 0, epochs: LBFGS_MAX_ITERATIONS } : {
    solver: "adam",
    learningRate: 2e-3,
    batchSize: 32,
    hiddenUnits: [128],
    dropout: 0.3,
    weightDecay: 5e-4,
    labelSmoothing: 0,
    epochs: Math.min(maxEpochs, 40)
  };
}
async function fit(candidate, config, context) {
  const start = context.now();
  const base = { numClasses: context.numClasses, config, seed: context.seed, deadline: context.deadline, now: context.now };
  if (candidate.kind === "frozen") {
    const train2 = candidate.views ? mergeExamples(candidate.train, candidate.views) : candidate.train;
    return { head: await trainHead(train2, candidate.val, base), config, seconds: (context.now() - start) / 1e3 };
  }
  const size2 = candidate.spec.inputSize;
  const model2 = buildSmallCnn(size2, context.seed);
  const warm = context.warmStart;
  const warmHead = warm && warm.config.hiddenUnits.join() === config.hiddenUnits.join() ? warm.head.weights.dense : void 0;
  if (warmHead) model2.setWeights(warm.trunk.getWeights());
  try {
    const head = await trainHead(candidate.train, candidate.val, {
      ...base,
      trunk: { model: model2, inputShape: [size2, size2, 3], augment: flipAndShift(size2) },
      initialDense: warmHead,
      patience: 6
    });
    return { head, trunk: model2, trunkRole: "whole", config, seconds: (context.now() - start) / 1e3 };
  } catch (error) {
    model2.dispose();
    throw error;
  }
}
function predictProbabilities(fitted, examples) {
  if (!fitted.trunk) return predictHead(fitted.head.weights, examples.x, examples.rows);
  const exampleShape = fitted.trunk.inputs[0].shape.slice(1);
  const perExample = exampleShape.reduce((a, b) => a * b, 1);
  const features = tf4.tidy(() => {
    const parts = [];
    for (let start = 0; start < examples.rows; start += 256) {
      const rows = Math.min(256, examples.rows - start);
      const x = tf4.tensor(examples.x.subarray(start * perExample, (start + rows) * perExample), [rows, ...exampleShape]);
      parts.push(fitted.trunk.predict(x).dataSync());
    }
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  });
  return predictHead(fitted.head.weights, features, examples.rows);
}
function disposeFitted(fitted) {
  fitted?.trunk?.dispose();
}

// src/core/training/folds.ts
function stratifiedFolds(y, k, seed) {
  const folds = new Int32Array(y.length);
  const byLabel = /* @__PURE__ */ new Map();
  y.forEach((label, row) => byLabel.set(label, [...byLabel.get(label) ?? [], row]));
  const rng = createRng(seed);
  let next = 0;
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    const rows = shuffleInPlace(byLabel.get(label), rng);
    for (const row of rows) folds[row] = next++ % k;
  }
  return folds;
}

// src/core/training/selection.ts
var TRANSFER_PRIOR = ["pretrained-native", "pretrained-below-native", "hand-made", "from-scratch"];
var TIER_WORDS = {
  "pretrained-native": "pretrained at its native resolution",
  "pretrained-below-native": "pretrained, below its native resolution",
  "hand-made": "hand-made features",
  "from-scratch": "trained from scratch"
};
function priorTierOf(spec) {
  if (spec.source === SMALL_CNN) return "from-scratch";
  if (spec.source === HOG) return "hand-made";
  const builtin = spec.builtin ? BUILTIN_BACKBONES[spec.source] : void 0;
  return builtin && spec.inputSize < builtin.defaultSize ? "pretrained-below-native" : "pretrained-native";
}
var WITHIN_NOISE_RULE = {
  name: "prior among candidates within the 95% interval of the best mean",
  prior: TRANSFER_PRIOR,
  tolerance: 0
};
function estimateOf(scores) {
  return "folds" in scores ? tInterval(scores.folds) : wilsonInterval(scores.correct, scores.images);
}
var pct = (x) => `${(x * 100).toFixed(1)}%`;
var described = (e) => `${pct(e.mean)} [${pct(e.low)}\u2013${pct(e.high)}]`;
function selectCandidate(entries, rule = WITHIN_NOISE_RULE) {
  if (!entries.length) throw new Error("selectCandidate needs at least one candidate");
  const estimates = new Map(entries.map((e) => [e.id, estimateOf(e.scores)]));
  const est = (e) => estimates.get(e.id);
  const rank = (e) => {
    const i = rule.prior.indexOf(e.tier);
    return i < 0 ? rule.prior.length : i;
  };
  const byPrior = (a, b) => rank(a) - rank(b) || a.cost - b.cost || est(b).mean - est(a).mean;
  const best = [...entries].sort((a, b) => est(b).mean - est(a).mean || byPrior(a, b))[0];
  const floor = est(best).low - rule.tolerance;
  const contenders = entries.filter((e) => est(e).mean >= floor).sort(byPrior);
  const others = entries.filter((e) => est(e).mean < floor).sort((a, b) => est(b).mean - est(a).mean);
  const order = [...contenders, ...others];
  const winner = order[0];
  const runnerUp = order[1] ?? null;
  let reason;
  if (winner === best) {
    reason = contenders.length > 1 ? `${winner.displayName} has the best estimate, ${described(est(winner))}; ${contenders.length - 1} other candidate${contenders.length > 2 ? "s are" : " is"} within its interval, none preferred by the prior.` : `${winner.displayName} has the best estimate, ${described(est(winner))}, and is the only candidate within its interval.`;
  } else {
    reason = `${winner.displayName} (${TIER_WORDS[winner.tier]}), ${described(est(winner))}, is within the interval of the best estimate (${best.displayName}, ${described(est(best))}), and the prior prefers ${TIER_WORDS[winner.tier]} over ${TIER_WORDS[best.tier]}.`;
    if (winner.tier === best.tier)
      reason = `${winner.displayName}, ${described(est(winner))}, is within the interval of the best estimate (${best.displayName}, ${described(est(best))}) and is the cheaper backbone.`;
  }
  return { winner: winner.id, runnerUp: runnerUp?.id ?? null, reason, estimates, contenders: contenders.map((e) => e.id) };
}
function rowsWhere(examples, keep) {
  const dim = examples.x.length / Math.max(1, examples.rows);
  const rows = [];
  for (let r = 0; r < examples.rows; r++) if (keep(r)) rows.push(r);
  const x = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => x.set(examples.x.subarray(r * dim, (r + 1) * dim), i * dim));
  return { x, y: Int32Array.from(rows, (r) => examples.y[r]), rows: rows.length };
}
var DEFAULT_FOLDS = 5;
async function crossValidate(candidate, fitted, ctx) {
  const planned = ctx.folds ?? DEFAULT_FOLDS;
  const all = mergeExamples(candidate.train, candidate.val);
  const perFoldMs = foldHeadMs(candidate, fitted, all.rows, planned);
  const affordable = Math.floor((ctx.deadline - ctx.now()) / Math.max(1, perFoldMs));
  const k = Math.min(planned, affordable, Math.floor(all.rows / 2));
  if (k < 2) {
    return {
      scores: [],
      planned,
      note: all.rows < 4 ? "too few images to cross-validate" : `no time left to cross-validate (about ${Math.ceil(2 * perFoldMs / 1e3)} s needed for 2 folds)`
    };
  }
  const scores = [];
  await trainFolds(all, k, retrainConfig(fitted.config, fitted.head), { ...ctx, name: "cv" }, ({ head }) => scores.push(head.curve.at(-1).valAccuracy));
  if (scores.length < 2) return { scores: [], planned, note: `the bake-off's time ran out after ${scores.length} fold${scores.length === 1 ? "" : "s"}` };
  const note = scores.length < planned ? `${scores.length} of ${planned} folds: the bake-off's time is short` : void 0;
  return { scores, planned, ...note ? { note } : {} };
}
function foldHeadMs(candidate, fitted, rows, k) {
  const trainedRows = Math.max(1, candidate.train.rows + (candidate.views?.rows ?? 0));
  return fitted.seconds * 1e3 * retrainTimeShare(fitted.config, fitted.head) * (rows * (1 - 1 / k)) / trainedRows;
}
async function trainFolds(all, k, config, ctx, onFold) {
  const folds = stratifiedFolds(all.y, k, deriveSeed(ctx.seed, `${ctx.name}-folds`));
  for (let fold = 0; fold < k; fold++) {
    const heldOut = rowsWhere(all, (r) => folds[r] === fold);
    const head = await trainHead(
      rowsWhere(all, (r) => folds[r] !== fold),
      heldOut,
      { numClasses: ctx.numClasses, config, seed: deriveSeed(ctx.seed, `${ctx.name}-fold-${fold}`), deadline: ctx.deadline, now: ctx.now, keepLastEpoch: true }
    );
    if (head.stoppedByDeadline) return false;
    onFold({ heldOut, rows: [...folds.keys()].filter((r) => folds[r] === fold), head });
  }
  return true;
}
async function scoreCandidate(candidate, fitted, ctx) {
  const cv = candidate.kind === "frozen" ? (
    // The candidate has trained: a failed extra measurement falls back to its validation score rather than losing it.
    await crossValidate(candidate, fitted, ctx).catch((error) => ({
      scores: [],
      planned: ctx.folds ?? DEFAULT_FOLDS,
      note: `cross-validation failed (${error instanceof Error ? error.message : String(error)})`
    }))
  ) : { scores: [], planned: 0, note: "trained end to end, too slow to cross-validate: its validation score, with a Wilson interval" };
  if (cv.scores.length >= 2) {
    const scores2 = { folds: cv.scores };
    return { scores: scores2, cv: { folds: cv.scores.length, ...estimateOf(scores2), ...cv.note ? { note: cv.note } : {} } };
  }
  const scores = { correct: Math.round(fitted.head.valAccuracy * candidate.val.rows), images: candidate.val.rows };
  return { scores, cv: { folds: 0, ...estimateOf(scores), note: cv.note ?? "not cross-validated" } };
}

// src/core/model/temperature.ts
var FLOOR = 1e-12;
function applyTemperature(probabilities, classes, temperature) {
  if (temperature === 1) return probabilities.slice();
  const out = new Float32Array(probabilities.length);
  for (let start = 0; start < probabilities.length; start += classes) {
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, Math.log(Math.max(FLOOR, probabilities[start + j])) / temperature);
    let sum = 0;
    for (let j = 0; j < classes; j++) {
      const e = Math.exp(Math.log(Math.max(FLOOR, probabilities[start + j])) / temperature - max);
      out[start + j] = e;
      sum += e;
    }
    for (let j = 0; j < classes; j++) out[start + j] /= sum;
  }
  return out;
}

// src/core/training/calibration.ts
function negativeLogLikelihood(probabilities, labels, classes) {
  let sum = 0;
  for (let row = 0; row < labels.length; row++) sum -= Math.log(Math.max(FLOOR, probabilities[row * classes + labels[row]]));
  return labels.length ? sum / labels.length : 0;
}
function expectedCalibrationError(probabilities, labels, classes, bins = 10) {
  const count = new Array(bins).fill(0);
  const hits = new Array(bins).fill(0);
  const confidence = new Array(bins).fill(0);
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
var MIN_T = 0.05;
var MAX_T = 20;
function nllAt(logP, labels, classes, temperature) {
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
function fitTemperature(probabilities, labels, classes) {
  if (!labels.length) return 1;
  const logP = Float64Array.from(probabilities, (p) => Math.log(Math.max(FLOOR, p)));
  const loss = (logT) => nllAt(logP, labels, classes, Math.exp(logT));
  const steps = 40;
  const grid = Array.from({ length: steps + 1 }, (_, i) => Math.log(MIN_T) + i / steps * (Math.log(MAX_T) - Math.log(MIN_T)));
  const losses2 = grid.map(loss);
  const best = losses2.indexOf(Math.min(...losses2));
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
var MIN_CALIBRATION_IMAGES = 50;
var MIN_CALIBRATION_MISTAKES = 2;
function calibrateOnValidation(candidate, fitted, classes) {
  const val = candidate.val;
  if (val.rows < MIN_CALIBRATION_IMAGES) return `only ${val.rows} validation images (at least ${MIN_CALIBRATION_IMAGES} are needed to fit a temperature)`;
  const probabilities = predictProbabilities(fitted, val);
  const mistakes = countMistakes(probabilities, val.y, classes);
  if (mistakes < MIN_CALIBRATION_MISTAKES)
    return `${mistakes === 0 ? "no" : `only ${mistakes}`} wrong validation prediction${mistakes === 1 ? "" : "s"} to fit a temperature on (at least ${MIN_CALIBRATION_MISTAKES} are needed)`;
  return calibrationOn(probabilities, val, classes, "validation");
}
function calibrationOn(probabilities, examples, classes, source) {
  const temperature = fitTemperature(probabilities, examples.y, classes);
  return {
    temperature,
    images: examples.rows,
    source,
    nllBefore: negativeLogLikelihood(probabilities, examples.y, classes),
    nllAfter: negativeLogLikelihood(applyTemperature(probabilities, classes, temperature), examples.y, classes)
  };
}
async function calibrateOutOfFold(candidate, fitted, classes, ctx) {
  if (fitted.trunk || candidate.kind !== "frozen") return calibrateOnValidation(candidate, fitted, classes);
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
    { numClasses: classes, seed: ctx.seed, deadline: ctx.deadline, now: ctx.now, name: "calibration" },
    ({ heldOut, rows, head }) => {
      const predicted = predictHead(head.weights, heldOut.x, heldOut.rows);
      rows.forEach((r, i) => probabilities.set(predicted.subarray(i * classes, (i + 1) * classes), r * classes));
    }
  );
  if (!done) return calibrateOnValidation(candidate, fitted, classes);
  const mistakes = countMistakes(probabilities, all.y, classes);
  if (mistakes < MIN_CALIBRATION_MISTAKES)
    return `${mistakes === 0 ? "no" : `only ${mistakes}`} wrong out-of-fold prediction${mistakes === 1 ? "" : "s"} to fit a temperature on (at least ${MIN_CALIBRATION_MISTAKES} are needed)`;
  return calibrationOn(probabilities, all, classes, "out-of-fold");
}
function countMistakes(probabilities, labels, classes) {
  let mistakes = 0;
  for (let row = 0; row < labels.length; row++) {
    let top = 0;
    for (let j = 1; j < classes; j++) if (probabilities[row * classes + j] > probabilities[row * classes + top]) top = j;
    if (top !== labels[row]) mistakes++;
  }
  return mistakes;
}

// src/core/evaluate.ts
var MAX_MISTAKES = 24;
function topKFor(labelCount) {
  return labelCount > 5 ? 5 : labelCount > 2 ? 2 : null;
}
var ECE_BINS = 10;
function evaluate(labels, examples, raw, calibration) {
  const n = labels.length;
  const calibrated = calibration && "temperature" in calibration ? calibration : void 0;
  const probabilities = calibrated ? applyTemperature(raw, n, calibrated.temperature) : raw;
  const confusion = labels.map(() => new Array(n).fill(0));
  const k = topKFor(n);
  let correct = 0;
  let topKHits = 0;
  const mistakes = [];
  examples.forEach((example, row) => {
    const p = probabilities.subarray(row * n, (row + 1) * n);
    let predicted = 0;
    for (let j = 1; j < n; j++) if (p[j] > p[predicted]) predicted = j;
    confusion[example.label][predicted]++;
    if (predicted === example.label) correct++;
    else
      mistakes.push({
        file: example.file,
        sha256: example.sha256,
        trueLabel: labels[example.label],
        predictedLabel: labels[predicted],
        confidence: p[predicted]
      });
    if (k) {
      let higher = 0;
      for (let j = 0; j < n; j++) if (p[j] > p[example.label]) higher++;
      if (higher < k) topKHits++;
    }
  });
  const perLabel = labels.map((label, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + row[i], 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? 2 * precision * recall / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const total = examples.length;
  mistakes.sort((a, b) => b.confidence - a.confidence || (a.file < b.file ? -1 : 1));
  const truth = examples.map((e) => e.label);
  const interval = wilsonInterval(correct, total);
  return {
    images: total,
    accuracy: total ? correct / total : 0,
    accuracyInterval: { low: interval.low, high: interval.high, method: "wilson" },
    ...calibrated ? {
      calibration: {
        temperature: calibrated.temperature,
        fittedOn: calibrated.fittedOn,
        fittedWith: calibrated.fittedWith,
        eceBefore: expectedCalibrationError(raw, truth, n, ECE_BINS),
        eceAfter: expectedCalibrationError(probabilities, truth, n, ECE_BINS),
        bins: ECE_BINS
      }
    } : {},
    ...calibration && "skipped" in calibration ? { calibrationSkipped: { reason: calibration.skipped, ece: expectedCalibrationError(raw, truth, n, ECE_BINS), bins: ECE_BINS } } : {},
    topK: k ? { k, accuracy: total ? topKHits / total : 0 } : null,
    macroF1: perLabel.reduce((s, l) => s + l.f1, 0) / n,
    perLabel,
    confusion: { labels, matrix: confusion },
    mistakes: mistakes.slice(0, MAX_MISTAKES)
  };
}
async function attachThumbnails(mistakes, pathOf) {
  const sharp = (await import("sharp")).default;
  return Promise.all(
    mistakes.map(async (mistake) => {
      const path = pathOf(mistake.file);
      if (!path) return mistake;
      try {
        const jpeg = await sharp(path, { failOn: "none", animated: false }).rotate().flatten({ background: "#ffffff" }).resize(96, 96, { fit: "inside", withoutEnlargement: false }).jpeg({ quality: 80 }).toBuffer();
        return { ...mistake, thumbnail: `data:image/jpeg;base64,${jpeg.toString("base64")}` };
      } catch {
        return mistake;
      }
    })
  );
}

// src/core/evaluate-folder.ts
import { readFile } from "node:fs/promises";
import { basename, dirname, join as join2 } from "node:path";

// src/core/dataset/scan.ts
import { createHash as createHash2 } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
var SCAN_LIMITS = { maxFileBytes: 1024 ** 3 };
var IMAGE_EXTENSIONS = /* @__PURE__ */ new Set([".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff"]);
var SYSTEM_FILES = /* @__PURE__ */ new Set(["thumbs.db", "desktop.ini", "icon\r"]);
var SPLIT_FOLDERS = { train: "train", val: "val", valid: "val", validation: "val", test: "test" };
function labelFolder(datasetPath, label) {
  if (/\.zip$/i.test(datasetPath)) return `${label}/ in ${datasetPath}`;
  return `${datasetPath.replace(/[\\/]+$/, "")}/${label}/`;
}
function extensionOf(name) {
  const dot2 = name.lastIndexOf(".");
  return dot2 <= 0 ? "" : name.slice(dot2).toLowerCase();
}
function toPosix(path) {
  return sep === "/" ? path : path.split(sep).join("/");
}
async function scanDataset(root, limits = SCAN_LIMITS, datasetPath = root) {
  let rootReal;
  try {
    rootReal = await realpath(root);
    if (!(await stat(rootReal)).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new InputError(`Dataset "${root}" was not found or is not a folder. Point to a folder of <label>/<image> files (or a .zip of one).`, root);
  }
  const skipped = [];
  const top = await readdir(rootReal, { withFileTypes: true }).catch((error) => {
    throw new InputError(`Dataset "${root}" cannot be read (${errorCode(error)}). Give the user running classifier-ci read access to it.`, root);
  });
  top.sort((a, b) => a.name < b.name ? -1 : 1);
  const topDirs = top.filter((e) => e.isDirectory() || e.isSymbolicLink());
  const splitDirs = topDirs.filter((e) => SPLIT_FOLDERS[e.name.toLowerCase()]);
  const explicitSplits = splitDirs.length >= 2 && splitDirs.length === topDirs.length;
  const records = [];
  const visitedDirs = /* @__PURE__ */ new Set([rootReal]);
  const walkContext = { rootReal, skipped, records, visitedDirs, limits };
  for (const entry of top) {
    const full = join(rootReal, entry.name);
    const rel = entry.name;
    if (isHidden(entry.name)) {
      skipped.push({ file: rel, reason: "hidden or system file" });
      continue;
    }
    const kind = await resolveEntry(full, rel, walkContext);
    if (kind === "file") {
      skipped.push({ file: rel, reason: `file at the top level, outside any label folder: move it into ${labelFolder(datasetPath, "<label>")}` });
      continue;
    }
    if (kind !== "dir") continue;
    if (explicitSplits) {
      const split = SPLIT_FOLDERS[entry.name.toLowerCase()];
      const labels = await listFolder(full, rel, walkContext);
      for (const labelEntry of labels ?? []) {
        const labelFull = join(full, labelEntry.name);
        const labelRel = `${rel}/${labelEntry.name}`;
        if (isHidden(labelEntry.name)) {
          skipped.push({ file: labelRel, reason: "hidden or system file" });
          continue;
        }
        const labelKind = await resolveEntry(labelFull, labelRel, walkContext);
        if (labelKind === "file") {
          skipped.push({ file: labelRel, reason: `file directly in ${rel}/, outside any label folder: move it into ${rel}/<label>/` });
        } else if (labelKind === "dir") {
          await walkLabelFolder(labelFull, labelRel, labelEntry.name.normalize("NFC"), split, walkContext);
        }
      }
    } else {
      await walkLabelFolder(full, rel, entry.name.normalize("NFC"), void 0, walkContext);
    }
  }
  checkLabelNames(records);
  records.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  skipped.sort((a, b) => a.file < b.file ? -1 : 1);
  return { records, skipped, explicitSplits };
}
function isHidden(name) {
  return name.startsWith(".") || SYSTEM_FILES.has(name.toLowerCase()) || name === "__MACOSX";
}
function errorCode(error) {
  const { code, message } = error ?? {};
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return code ?? String(message ?? error).split("\n")[0];
}
function unreadable(error, what) {
  const code = error?.code;
  const subject = what === "folder" ? "folder cannot be read" : "cannot be read";
  if (code === "EACCES" || code === "EPERM") return `${subject} (permission denied); give the user running classifier-ci read access, or remove it`;
  if (code === "ENOENT" || code === "ENOTDIR") return `${what} disappeared while the dataset was being read; run again once nothing is changing it`;
  return `${subject} (${errorCode(error)}); check the disk, or remove it`;
}
function specialFile(info) {
  const kind = info.isFIFO() ? "a named pipe (FIFO)" : info.isSocket() ? "a socket" : info.isBlockDevice() ? "a block device" : info.isCharacterDevice() ? "a character device" : null;
  return kind && `${kind}, not a regular file; remove it from the dataset folder`;
}
async function listFolder(dir, rel, ctx) {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name < b.name ? -1 : 1);
  } catch (error) {
    ctx.skipped.push({ file: `${rel}/`, reason: unreadable(error, "folder") });
    return null;
  }
}
async function resolveEntry(full, rel, ctx) {
  const skip = (reason) => {
    ctx.skipped.push({ file: rel, reason });
    return "skip";
  };
  let info;
  try {
    info = await lstat(full);
  } catch (error) {
    return skip(unreadable(error, "file"));
  }
  if (!info.isSymbolicLink()) {
    const special2 = specialFile(info);
    return special2 ? skip(special2) : info.isDirectory() ? "dir" : "file";
  }
  let target;
  try {
    target = await realpath(full);
  } catch {
    return skip("broken symbolic link");
  }
  const inside = relative(ctx.rootReal, target);
  if (inside.startsWith("..") || /^([a-zA-Z]:|\/)/.test(inside)) return skip("symbolic link pointing outside the dataset folder (refused)");
  let targetInfo;
  try {
    targetInfo = await stat(target);
  } catch (error) {
    return skip(unreadable(error, "file"));
  }
  if (targetInfo.isDirectory()) {
    if (ctx.visitedDirs.has(target)) return skip("symbolic link to a folder already scanned (loop or repeat)");
    return "dir";
  }
  const special = specialFile(targetInfo);
  return special ? skip(`symbolic link to ${special}`) : "file";
}
async function walkLabelFolder(dir, rel, label, split, ctx) {
  const before = ctx.records.length + ctx.skipped.length;
  await walkLabel(dir, rel, label, split, ctx);
  if (ctx.records.length + ctx.skipped.length === before) ctx.skipped.push({ file: `${rel}/`, reason: "empty folder: no files under this label" });
}
async function walkLabel(dir, rel, label, split, ctx) {
  let real;
  try {
    real = await realpath(dir);
  } catch (error) {
    ctx.skipped.push({ file: `${rel}/`, reason: unreadable(error, "folder") });
    return;
  }
  if (ctx.visitedDirs.has(real) && real !== dir) return;
  ctx.visitedDirs.add(real);
  const entries = await listFolder(dir, rel, ctx);
  for (const entry of entries ?? []) {
    const full = join(dir, entry.name);
    const entryRel = `${rel}/${entry.name}`;
    if (isHidden(entry.name)) {
      ctx.skipped.push({ file: entryRel, reason: "hidden or system file" });
      continue;
    }
    const kind = await resolveEntry(full, entryRel, ctx);
    if (kind === "dir") {
      await walkLabel(full, entryRel, label, split, ctx);
    } else if (kind === "file") {
      if (!IMAGE_EXTENSIONS.has(extensionOf(entry.name))) {
        ctx.skipped.push({
          file: entryRel,
          reason: `not an image file (${extensionOf(entry.name) || "no extension"}); supported: ${[...IMAGE_EXTENSIONS].join(" ")}`
        });
        continue;
      }
      const content = await hashImageFile(full, ctx.limits);
      if ("reason" in content) {
        ctx.skipped.push({ file: entryRel, reason: content.reason });
        continue;
      }
      ctx.records.push({ path: full, file: toPosix(entryRel), label, sha256: content.sha256, bytes: content.bytes, split });
    }
  }
}
function size(bytes) {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
var HASH_CHUNK = 1024 ** 2;
async function hashImageFile(path, limits) {
  const tooBig = (bytes) => ({
    reason: `file is ${size(bytes)}, more than the limit of ${size(limits.maxFileBytes)} for one image; downscale or re-compress it, or remove it`
  });
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { reason: unreadable(error, "file") };
  }
  try {
    const info = await handle.stat();
    const special = specialFile(info);
    if (special) return { reason: special };
    if (info.size === 0) return { reason: "empty file (0 bytes)" };
    if (info.size > limits.maxFileBytes) return tooBig(info.size);
    const hash = createHash2("sha256");
    const buffer = Buffer.allocUnsafe(Math.min(info.size, HASH_CHUNK));
    let bytes = 0;
    for (; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
      if (bytes > limits.maxFileBytes) return tooBig(bytes);
    }
    if (bytes === 0) return { reason: "empty file (0 bytes)" };
    return { sha256: hash.digest("hex"), bytes };
  } catch (error) {
    return { reason: unreadable(error, "file") };
  } finally {
    await handle.close();
  }
}
function checkLabelNames(records) {
  const byFolded = /* @__PURE__ */ new Map();
  for (const { label } of records) {
    const folded = label.toLocaleLowerCase("en");
    const seen = byFolded.get(folded);
    if (seen !== void 0 && seen !== label) {
      throw new InputError(`Labels "${seen}" and "${label}" differ only in upper/lower case. Merge or rename one of the two folders.`, label);
    }
    byFolded.set(folded, label);
  }
}

// src/core/evaluate-folder.ts
async function checkFolder(dataset, labels) {
  const scan = await scanDataset(dataset);
  const known = new Set(labels);
  const unknown = [...new Set(scan.records.map((r) => r.label))].filter((label) => !known.has(label));
  if (unknown.length) {
    const folders = unknown.map((label) => labelFolder(dataset, label)).join(", ");
    throw new InputError(
      `${folders}: the model has no label ${unknown.map((l) => `"${l}"`).join(", ")}; it knows ${labels.map((l) => `"${l}"`).join(", ")}. Rename ${unknown.length > 1 ? "those folders" : "that folder"} to the model's label for those images, or move ${unknown.length > 1 ? "them" : "it"} out of ${dataset}.`,
      unknown[0]
    );
  }
  if (!scan.records.length) {
    throw new InputError(
      `${dataset} holds no images in label folders. Put each image under a folder named after its label, as for training (${labelFolder(dataset, labels[0])}\u2026).`,
      dataset
    );
  }
  return scan;
}
function gapBeyondNoise(gap) {
  return gap.high < 0 || gap.low > 0;
}
function gapSentence(evaluation, reference = "Test split at training") {
  const { atTraining, gap } = evaluation;
  if (!atTraining || !gap) return null;
  const pct2 = (x) => `${(x * 100).toFixed(1)}%`;
  const points = (x) => `${Math.abs(x * 100).toFixed(1)} points`;
  const signed = (x) => `${x < 0 ? "\u2212" : "+"}${Math.abs(x * 100).toFixed(1)}`;
  const start = `${reference}: ${pct2(atTraining.accuracy)} of ${atTraining.images}.`;
  const range = `95% interval of the gap: ${signed(gap.low)} to ${signed(gap.high)} points`;
  if (!gapBeyondNoise(gap)) return `${start} The difference is within the noise of the two samples (${range}).`;
  return gap.mean < 0 ? `${start} Here it is ${points(gap.mean)} lower (${range}): these images are harder for the model than images like the ones it trained on.` : `${start} Here it is ${points(gap.mean)} higher (${range}).`;
}
async function trainingMetrics(modelDir) {
  const text = await readFile(join2(modelDir, "metrics.json"), "utf8").catch(() => void 0);
  if (text === void 0) return void 0;
  try {
    const parsed = TestMetrics.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : void 0;
  } catch {
    return void 0;
  }
}
function answersAt(probabilities, examples, classes, threshold) {
  let answered = 0;
  let right = 0;
  examples.forEach((example, row) => {
    const p = probabilities.subarray(row * classes, (row + 1) * classes);
    let best = 0;
    for (let j = 1; j < classes; j++) if (p[j] > p[best]) best = j;
    if (p[best] < threshold) return;
    answered++;
    if (best === example.label) right++;
  });
  return { threshold, answered, right };
}
function trainedOnHashes(images) {
  return new Set(images.filter((i) => i.split !== "test").map((i) => i.sha256));
}
async function trainedOn(modelDir) {
  const text = await readFile(join2(dirname(modelDir), "result.json"), "utf8").catch(() => void 0);
  if (text === void 0) return void 0;
  try {
    const result = parseRunResult(JSON.parse(text));
    if (basename(result.model.dir) !== basename(modelDir) || !result.dataset.files) return void 0;
    return trainedOnHashes(result.dataset.files);
  } catch {
    return void 0;
  }
}
async function evaluateFolder(classifier, modelDir, dataset, options = {}) {
  const labels = classifier.labels;
  const scan = options.scan ?? await checkFolder(dataset, labels);
  const index = new Map(labels.map((label, i) => [label, i]));
  const trained = options.trainedOn ?? await trainedOn(modelDir);
  const seen = trained ? scan.records.filter((r) => trained.has(r.sha256)) : [];
  const records = seen.length ? scan.records.filter((r) => !trained.has(r.sha256)) : scan.records;
  if (!records.length) {
    throw new InputError(
      `All ${scan.records.length} images in ${dataset} are ones the model trained on (its training or validation split), so they say nothing of how it does on new images. Give a folder of images it has not seen.`,
      dataset
    );
  }
  const examples = [];
  const rows = [];
  const unreadable2 = [];
  for (const [done, record] of records.entries()) {
    try {
      const result = await classifier.classify(record.path);
      for (const label of labels) rows.push(result.probabilities[label]);
      examples.push({ file: record.file, sha256: record.sha256, label: index.get(record.label) });
    } catch (error) {
      unreadable2.push({ file: record.file, reason: error.message });
    }
    options.onImage?.(done + 1, records.length);
  }
  if (!examples.length) throw new InputError(`None of the ${records.length} images in ${dataset} could be read (${unreadable2[0].reason}).`, dataset);
  const probabilities = Float32Array.from(rows);
  const threshold = options.minConfidence;
  const atMinConfidence = threshold ? answersAt(probabilities, examples, labels.length, threshold) : void 0;
  const metrics = evaluate(labels, examples, probabilities);
  const present = new Set(examples.map((e) => e.label));
  const training = options.atTraining ?? await trainingMetrics(modelDir);
  const correct = Math.round(metrics.accuracy * metrics.images);
  return {
    metrics,
    ece: expectedCalibrationError(
      probabilities,
      examples.map((e) => e.label),
      labels.length,
      ECE_BINS
    ),
    unreadable: unreadable2,
    seen: seen.map((r) => r.file),
    skipped: scan.skipped,
    missingLabels: labels.filter((_, i) => !present.has(i)),
    ...atMinConfidence ? { atMinConfidence } : {},
    ...training && training.images > 0 ? {
      atTraining: { images: training.images, accuracy: training.accuracy },
      gap: differenceInterval(
        { successes: correct, trials: metrics.images },
        { successes: Math.round(training.accuracy * training.images), trials: training.images }
      )
    } : {}
  };
}

export {
  headSettings,
  IMAGE_EXTENSIONS,
  labelFolder,
  scanDataset,
  applyTemperature,
  createRng,
  deriveSeed,
  shuffleInPlace,
  LBFGS_MAX_ITERATIONS,
  trainHead,
  retrainConfig,
  classBalanceOf,
  mergeExamples,
  estimateRefitMs,
  refitOnTrainAndVal,
  defaultConfig,
  fit,
  predictProbabilities,
  disposeFitted,
  stratifiedFolds,
  TRANSFER_PRIOR,
  priorTierOf,
  WITHIN_NOISE_RULE,
  estimateOf,
  selectCandidate,
  DEFAULT_FOLDS,
  foldHeadMs,
  trainFolds,
  scoreCandidate,
  negativeLogLikelihood,
  calibrateOutOfFold,
  evaluate,
  attachThumbnails,
  checkFolder,
  gapBeyondNoise,
  gapSentence,
  trainedOnHashes,
  evaluateFolder
};
