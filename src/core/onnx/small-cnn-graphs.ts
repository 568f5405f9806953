/**
 * The small CNN (training/small-cnn.ts) with its dense head as two ONNX graphs, so it trains on
 * ONNX Runtime (training/small-cnn-ort.ts) instead of TF.js on WASM, three times as many
 * training images a second on two cores (bench part `cnn`): ORT's convolutions run
 * multi-threaded and vectorised; TF.js's WASM backend runs one thread and does batch norm's
 * and pooling's gradients in JavaScript.
 *
 * - The step graph: one minibatch forward in training mode (batch norm on the batch's own
 *   statistics) and backward, by hand, in standard ONNX operators: a convolution's input
 *   gradient is a ConvTranspose with the same kernel, its kernel gradient a Conv of the
 *   batch-transposed input by the batch-transposed output gradient; 2×2 max pooling sends
 *   the gradient to the maximum's position (where the input equals the upsampled output;
 *   ties are among zeros after a ReLU, whose gradient is zero anyway). Outputs: the loss, a
 *   gradient per parameter and each batch norm's batch mean and variance.
 * - The inference graph: the same network with batch norm on its moving statistics and no
 *   dropout, giving class probabilities.
 *
 * Parameters are graph inputs, not initializers: the trainer updates them between steps.
 * Layouts follow ONNX (kernels O×I×3×3); the trainer converts to and from TF.js's.
 * Images come in as TF.js takes them (N×H×W×3 bytes as floats) and are scaled and transposed
 * inside; the features are flattened in TF.js's order (H, W, C), so the head's weights mean
 * the same thing in both.
 */
import { SMALL_CNN_BATCH_NORM, smallCnnBlocks } from '../training/small-cnn.js';
import { OnnxGraph, type Dim } from './graph.js';

export type ParameterRole = 'kernel' | 'gamma' | 'beta' | 'bias';

export interface GraphParameter {
  name: string;
  shape: number[];
  role: ParameterRole;
}

export interface SmallCnnGraphs {
  step: Uint8Array;
  infer: Uint8Array;
  /** Trained parameters, in the order the step graph outputs their gradients (`grad_<name>`). */
  parameters: GraphParameter[];
  /** Batch norms: their conv's name, channels, and the moving statistics the inference graph takes. */
  batchNorms: { conv: string; channels: number; movingMean: string; movingVariance: string }[];
  /** Inputs of each dense layer (the dropout masks' widths). */
  denseInputs: number[];
  featureDim: number;
}

const BATCH: Dim = 'batch';

/**
 * Graphs for the small CNN at `inputSize` with dense layers of `hiddenUnits` then `classes`.
 * Step inputs: `x` (N×S×S×3), `target` (N×classes, smoothed one-hot), `weight` (N×1, each
 * example's share of the loss), `mask_<j>` (dropout masks, already scaled), the parameters.
 */
export function buildSmallCnnGraphs(inputSize: number, hiddenUnits: number[], classes: number): SmallCnnGraphs {
  const blocks = smallCnnBlocks(inputSize);
  const parameters: GraphParameter[] = [];
  const batchNorms: SmallCnnGraphs['batchNorms'] = [];
  let channels = 3;
  let side = inputSize;
  blocks.forEach(({ filters, convs }, b) => {
    for (let c = 1; c <= convs; c++) {
      const conv = `block${b + 1}_conv${c}`;
      parameters.push({ name: `${conv}_kernel`, shape: [filters, channels, 3, 3], role: 'kernel' });
      parameters.push({ name: `${conv}_gamma`, shape: [filters], role: 'gamma' });
      parameters.push({ name: `${conv}_beta`, shape: [filters], role: 'beta' });
      batchNorms.push({ conv, channels: filters, movingMean: `${conv}_moving_mean`, movingVariance: `${conv}_moving_variance` });
      channels = filters;
    }
    side = Math.floor(side / 2);
  });
  const featureDim = side * side * channels;
  const widths = [featureDim, ...hiddenUnits, classes];
  widths.slice(1).forEach((out, j) => {
    parameters.push({ name: `dense${j}_kernel`, shape: [widths[j], out], role: 'kernel' });
    parameters.push({ name: `dense${j}_bias`, shape: [out], role: 'bias' });
  });
  return {
    step: buildGraph(inputSize, widths, parameters, batchNorms, 'step'),
    infer: buildGraph(inputSize, widths, parameters, batchNorms, 'infer'),
    parameters,
    batchNorms,
    denseInputs: widths.slice(0, -1),
    featureDim,
  };
}

type Saved =
  | { kind: 'conv'; input: string; kernel: string; xhat: string; gammaOverStd: string; relu: string; name: string; first: boolean }
  | { kind: 'pool'; input: string; output: string; side: number };

function buildGraph(
  inputSize: number,
  widths: number[],
  parameters: GraphParameter[],
  batchNorms: SmallCnnGraphs['batchNorms'],
  mode: 'step' | 'infer',
): Uint8Array {
  const g = new OnnxGraph();
  const param = new Map(parameters.map((p) => [p.name, g.addInput(p.name, p.shape)]));
  const moving = new Map<string, { mean: string; variance: string }>();
  if (mode === 'infer') {
    for (const bn of batchNorms)
      moving.set(bn.conv, { mean: g.addInput(bn.movingMean, [bn.channels]), variance: g.addInput(bn.movingVariance, [bn.channels]) });
  }
  const scalar = (base: string, value: number) => g.addFloat(base, { shape: [], values: new Float32Array([value]) });
  // Only the backward pass uses zero: an unused initializer makes ORT print a warning.
  let zeroName: string | undefined;
  const zero = () => (zeroName ??= scalar('zero', 0));
  const epsilon = scalar('epsilon', SMALL_CNN_BATCH_NORM.epsilon);
  const channelAxes = [0, 2, 3];
  const perChannel = (name: string, channels: number) => g.addNode('Reshape', [name, g.addInt64('per_channel_shape', [1, channels, 1, 1])], `${name}_4d`);
  const vector = (name: string) => g.addNode('Reshape', [name, g.addInt64('vector_shape', [-1])], `${name}_vector`);
  const mean = (name: string, base: string) => g.addNode('ReduceMean', [name], base, { axes: channelAxes, keepdims: 1 });
  const sum = (name: string, base: string) => g.addNode('ReduceSum', [name, g.addInt64('channel_axes', channelAxes)], base, { keepdims: 0 });

  const x = g.addInput('x', [BATCH, inputSize, inputSize, 3]);
  let h = g.addNode('Transpose', [g.addNode('Mul', [x, scalar('byte_scale', 1 / 255)], 'x_scaled')], 'x_nchw', { perm: [0, 3, 1, 2] });
  const tape: Saved[] = [];
  const batchStats: { name: string; source: string; channels: number }[] = [];
  let side = inputSize;
  let channels = 3;
  smallCnnBlocks(inputSize).forEach(({ filters, convs }, b) => {
    for (let c = 1; c <= convs; c++) {
      const name = `block${b + 1}_conv${c}`;
      const kernel = param.get(`${name}_kernel`)!;
      const z = g.addNode('Conv', [h, kernel], `${name}_z`, { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
      let centred: string;
      let inverseStd: string;
      if (mode === 'step') {
        const batchMean = mean(z, `${name}_batch_mean`);
        centred = g.addNode('Sub', [z, batchMean], `${name}_centred`);
        const batchVariance = mean(g.addNode('Mul', [centred, centred], `${name}_squared`), `${name}_batch_variance`);
        inverseStd = g.addNode(
          'Reciprocal',
          [g.addNode('Sqrt', [g.addNode('Add', [batchVariance, epsilon], `${name}_var_eps`)], `${name}_std`)],
          `${name}_inv_std`,
        );
        batchStats.push(
          { name: `${name}_mean`, source: vector(batchMean), channels: filters },
          { name: `${name}_variance`, source: vector(batchVariance), channels: filters },
        );
      } else {
        const stats = moving.get(name)!;
        centred = g.addNode('Sub', [z, perChannel(stats.mean, filters)], `${name}_centred`);
        inverseStd = g.addNode(
          'Reciprocal',
          [g.addNode('Sqrt', [g.addNode('Add', [perChannel(stats.variance, filters), epsilon], `${name}_var_eps`)], `${name}_std`)],
          `${name}_inv_std`,
        );
      }
      const xhat = g.addNode('Mul', [centred, inverseStd], `${name}_xhat`);
      const gamma = perChannel(param.get(`${name}_gamma`)!, filters);
      const normalised = g.addNode('Add', [g.addNode('Mul', [xhat, gamma], `${name}_scaled`), perChannel(param.get(`${name}_beta`)!, filters)], `${name}_bn`);
      const relu = g.addNode('Relu', [normalised], `${name}_relu`);
      if (mode === 'step') {
        const gammaOverStd = g.addNode('Mul', [gamma, inverseStd], `${name}_gamma_over_std`);
        tape.push({ kind: 'conv', input: h, kernel, xhat, gammaOverStd, relu, name, first: b === 0 && c === 1 });
      }
      h = relu;
      channels = filters;
    }
    const pooled = g.addNode('MaxPool', [h], `block${b + 1}_pool`, { kernel_shape: [2, 2], strides: [2, 2] });
    tape.push({ kind: 'pool', input: h, output: pooled, side });
    h = pooled;
    side = Math.floor(side / 2);
  });
  // TF.js flattens channels last.
  const features = g.addNode('Flatten', [g.addNode('Transpose', [h], 'features_nhwc', { perm: [0, 2, 3, 1] })], 'features', { axis: 1 });

  const layers = widths.length - 1;
  const denseInputs: string[] = [];
  const denseOutputs: string[] = [];
  const masks: string[] = [];
  let a = features;
  for (let j = 0; j < layers; j++) {
    if (mode === 'step') masks.push(g.addInput(`mask_${j}`, [BATCH, widths[j]]));
    const input = mode === 'step' ? g.addNode('Mul', [a, masks[j]], `dense${j}_dropped`) : a;
    denseInputs.push(input);
    const z = g.addNode('Add', [g.addNode('MatMul', [input, param.get(`dense${j}_kernel`)!], `dense${j}_matmul`), param.get(`dense${j}_bias`)!], `dense${j}_z`);
    a = j < layers - 1 ? g.addNode('Relu', [z], `dense${j}_relu`) : z;
    denseOutputs.push(a);
  }
  const probabilities = g.addNode('Softmax', [a], 'probabilities', { axis: 1 });
  if (mode === 'infer') {
    g.addOutput(probabilities, [BATCH, widths[layers]]);
    return g.serialize('small_cnn_infer', 'classifier-ci: the small CNN with its head, batch norm on moving statistics');
  }

  // Loss and its gradient: each example's weighted softmax cross-entropy against its (smoothed) target.
  const target = g.addInput('target', [BATCH, widths[layers]]);
  const weight = g.addInput('weight', [BATCH, 1]);
  const logProbabilities = g.addNode('LogSoftmax', [a], 'log_probabilities', { axis: 1 });
  const loss = g.addNode(
    'Neg',
    [
      g.addNode('ReduceSum', [g.addNode('Mul', [g.addNode('Mul', [target, logProbabilities], 'target_log_p'), weight], 'weighted')], 'loss_sum', {
        keepdims: 0,
      }),
    ],
    'loss',
  );
  g.addOutput(loss, []);
  const gradients = new Map<string, string>();
  let grad = g.addNode('Mul', [g.addNode('Sub', [probabilities, target], 'p_minus_target'), weight], 'grad_logits');
  for (let j = layers - 1; j >= 0; j--) {
    if (j < layers - 1) grad = g.addNode('Where', [g.addNode('Greater', [denseOutputs[j], zero()], `dense${j}_active`), grad, zero()], `grad_dense${j}_z`);
    gradients.set(
      `dense${j}_kernel`,
      g.addNode('MatMul', [g.addNode('Transpose', [denseInputs[j]], `dense${j}_input_t`, { perm: [1, 0] }), grad], `d_dense${j}_kernel`),
    );
    gradients.set(`dense${j}_bias`, g.addNode('ReduceSum', [grad, g.addInt64('batch_axis', [0])], `d_dense${j}_bias`, { keepdims: 0 }));
    const kernelT = g.addNode('Transpose', [param.get(`dense${j}_kernel`)!], `dense${j}_kernel_t`, { perm: [1, 0] });
    grad = g.addNode('Mul', [g.addNode('MatMul', [grad, kernelT], `grad_dense${j}_dropped`), masks[j]], `grad_dense${j}_input`);
  }
  grad = g.addNode(
    'Transpose',
    [g.addNode('Reshape', [grad, g.addInt64('features_shape', [-1, side, side, channels])], 'grad_features_nhwc')],
    'grad_features',
    {
      perm: [0, 3, 1, 2],
    },
  );
  for (let t = tape.length - 1; t >= 0; t--) {
    const saved = tape[t];
    if (saved.kind === 'pool') {
      const even = Math.floor(saved.side / 2) * 2;
      const upsample = (name: string) => {
        const up = g.addNode('Resize', [name, '', g.addFloat('double', { shape: [4], values: new Float32Array([1, 1, 2, 2]) })], `${name}_up`, {
          mode: 'nearest',
          coordinate_transformation_mode: 'asymmetric',
          nearest_mode: 'floor',
        });
        // An odd side's last row and column were not pooled: their gradient is zero.
        const odd = saved.side - even;
        return odd ? g.addNode('Pad', [up, g.addInt64('pool_pads', [0, 0, 0, 0, 0, 0, odd, odd])], `${name}_up_padded`) : up;
      };
      const isMax = g.addNode('Equal', [saved.input, upsample(saved.output)], `${saved.output}_is_max`);
      grad = g.addNode('Where', [isMax, upsample(grad), zero()], `grad_${saved.input}`);
      continue;
    }
    const { name } = saved;
    const gradNormalised = g.addNode('Where', [g.addNode('Greater', [saved.relu, zero()], `${name}_active`), grad, zero()], `grad_${name}_bn`);
    gradients.set(`${name}_beta`, sum(gradNormalised, `d_${name}_beta`));
    const gradTimesXhat = g.addNode('Mul', [gradNormalised, saved.xhat], `${name}_grad_xhat`);
    gradients.set(`${name}_gamma`, sum(gradTimesXhat, `d_${name}_gamma`));
    // Batch norm's input gradient: gamma/std · (dy − mean(dy) − x̂ · mean(dy · x̂)).
    const inner = g.addNode(
      'Sub',
      [
        g.addNode('Sub', [gradNormalised, mean(gradNormalised, `${name}_grad_mean`)], `${name}_grad_centred`),
        g.addNode('Mul', [saved.xhat, mean(gradTimesXhat, `${name}_grad_xhat_mean`)], `${name}_xhat_term`),
      ],
      `${name}_grad_inner`,
    );
    const gradZ = g.addNode('Mul', [inner, saved.gammaOverStd], `grad_${name}_z`);
    const inputT = g.addNode('Transpose', [saved.input], `${name}_input_t`, { perm: [1, 0, 2, 3] });
    const gradZT = g.addNode('Transpose', [gradZ], `grad_${name}_z_t`, { perm: [1, 0, 2, 3] });
    const kernelGradT = g.addNode('Conv', [inputT, gradZT], `grad_${name}_kernel_t`, { pads: [1, 1, 1, 1] });
    gradients.set(`${name}_kernel`, g.addNode('Transpose', [kernelGradT], `d_${name}_kernel`, { perm: [1, 0, 2, 3] }));
    if (!saved.first) grad = g.addNode('ConvTranspose', [gradZ, saved.kernel], `grad_${name}_input`, { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  }
  // Outputs under the names the trainer reads: grad_<parameter>, <conv>_mean, <conv>_variance.
  const output = (name: string, source: string, shape: Dim[]) => {
    if (g.addNode('Identity', [source], name) !== name) throw new Error(`small CNN graph: the output name ${name} is taken`);
    g.addOutput(name, shape);
  };
  for (const p of parameters) output(`grad_${p.name}`, gradients.get(p.name)!, p.shape);
  for (const stat of batchStats) output(stat.name, stat.source, [stat.channels]);
  return g.serialize('small_cnn_step', 'classifier-ci: one training step of the small CNN with its head (forward and backward)');
}
