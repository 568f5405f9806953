/**
 * One handler per Keras layer class: what it takes, what it emits. A class missing from
 * KERAS_LAYER_HANDLERS is refused by name (convert.ts). Every layout change goes through
 * layout.ts; feature maps between handlers are NCHW.
 */
import type onnxProto from 'onnx-proto';
import type { KerasLayer } from '../backbones/keras-topology.js';
import { InputError } from '../errors.js';
import type { OnnxGraph } from './graph.js';
import type { KerasWeights } from './keras-weights.js';
import {
  channelAxis,
  channelVectorShape,
  convKernelToOnnx,
  depthwiseKernelToOnnx,
  NCHW_TO_NHWC,
  NHWC_TO_NCHW,
  requireChannelsLast,
  spatialPadding,
  zeroPaddingPads,
  type WeightTensor,
} from './layout.js';

/** A converted layer output: its ONNX tensor name (NCHW, or [N, C] once pooled). */
export interface ConvertedTensor {
  name: string;
  /** 4 for NCHW maps, 2 for [N, C] vectors. */
  rank: 2 | 4;
  /** Channels (maps) or width (vectors); -1 after Flatten, whose width depends on the input size. */
  channels: number;
  /** The Keras layer that produced it. */
  layer: string;
}

/** A convolution whose output later affine layers (batch norm) may still fold into. */
export interface FoldableConvolution {
  node: onnxProto.onnx.INodeProto;
  weight: string;
  outChannels: number;
}

export interface HandlerContext {
  graph: OnnxGraph;
  weights: KerasWeights;
  /** Makes the NHWC float image tensor (in the Keras model's value range) the InputLayer reads; returns its name. */
  imageInput: (channels: number) => string;
  /** True when `layer`'s output feeds only the layer being converted and is not a graph output. */
  exclusive(layer: string): boolean;
  convolutionOf(tensor: string): FoldableConvolution | undefined;
  registerConvolution(tensor: string, convolution: FoldableConvolution): void;
}

export interface LayerHandler {
  /** What the handler accepts, for readers of the table. */
  takes: string;
  /** The ONNX it emits. */
  emits: string;
  convert(layer: KerasLayer, inputs: ConvertedTensor[], context: HandlerContext): ConvertedTensor;
}

function refuse(layer: KerasLayer, what: string): never {
  throw new InputError(`Cannot convert layer "${layer.name}" (${layer.class_name}) to ONNX: ${what}.`, layer.name);
}

function pair(value: unknown, fallback: number[]): number[] {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'number' ? [value, value] : (value as number[]);
}

/** The one input of a layer; a feature map unless `anyRank`. */
function single(layer: KerasLayer, inputs: ConvertedTensor[], anyRank = false): ConvertedTensor {
  if (inputs.length !== 1) refuse(layer, `it has ${inputs.length} inputs, expected 1`);
  if (!anyRank && inputs[0].rank !== 4) refuse(layer, `its input is a vector; it needs feature maps [batch, height, width, channels]`);
  return inputs[0];
}

/** Several inputs of one rank, for element-wise layers and concatenation. */
function sameRank(layer: KerasLayer, inputs: ConvertedTensor[]): 2 | 4 {
  if (inputs.length < 2) refuse(layer, 'it needs at least two inputs');
  if (inputs.some((x) => x.rank !== inputs[0].rank)) refuse(layer, 'its inputs mix feature maps and vectors');
  return inputs[0].rank;
}

/** Keras `activation` names the converter knows, as ONNX ops (linear emits nothing). */
const ACTIVATIONS: Record<string, string | null> = { linear: null, relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softsign: 'Softsign', softmax: 'Softmax' };

function activate(layer: KerasLayer, x: ConvertedTensor, graph: OnnxGraph): ConvertedTensor {
  const name = (layer.config.activation as string | undefined) ?? 'linear';
  if (!(name in ACTIVATIONS)) refuse(layer, `activation "${name}" is not supported (${Object.keys(ACTIVATIONS).join(', ')})`);
  const op = ACTIVATIONS[name];
  // Keras' softmax runs over the last axis; on a vector that is ONNX axis 1 (maps would need a transpose).
  if (op === 'Softmax' && x.rank !== 2) refuse(layer, 'softmax is supported on vectors only, not on feature maps');
  const attributes: Record<string, number> = op === 'Softmax' ? { axis: 1 } : {};
  return op ? { ...x, name: graph.addNode(op, [x.name], layer.name, attributes), layer: layer.name } : { ...x, layer: layer.name };
}

/** Keras normalisation axes of an NHWC map as NCHW axes: height and width (1, 2) or the channels (3). */
function normalisedAxes(layer: KerasLayer, kerasAxis: unknown): number[] {
  const given: unknown[] = Array.isArray(kerasAxis) ? (kerasAxis as unknown[]) : [kerasAxis];
  const sorted = given
    .map((a) => (typeof a === 'number' && a < 0 ? a + 4 : a))
    .map(String)
    .sort()
    .join(',');
  if (sorted === '1,2') return [2, 3];
  if (sorted === '3') return [1];
  return refuse(layer, `it normalises over axis ${JSON.stringify(kerasAxis)}; only height and width ([1, 2]) or the channels (-1) are supported`);
}

function scalar(graph: OnnxGraph, base: string, value: number): string {
  return graph.addFloat(base, { shape: [], values: Float32Array.of(value) });
}

/** Conv2D and DepthwiseConv2D share everything but the kernel layout and the group count. */
function convolution(layer: KerasLayer, input: ConvertedTensor, context: HandlerContext, kernel: WeightTensor, group: number): ConvertedTensor {
  const { config } = layer;
  requireChannelsLast(config, layer.name);
  const { graph } = context;
  const kernelShape = kernel.shape.slice(2);
  const strides = pair(config.strides, [1, 1]);
  const dilations = pair(config.dilation_rate, [1, 1]);
  const padding = spatialPadding(config.padding, kernelShape, strides, dilations, layer.name);
  const weight = graph.addFloat(`${layer.name}_kernel`, kernel);
  const inputsOfConv = [input.name, weight];
  if (config.use_bias !== false) inputsOfConv.push(graph.addFloat(`${layer.name}_bias`, context.weights.get(layer.name, 'bias')));
  const output = graph.addNode('Conv', inputsOfConv, `${layer.name}_conv`, {
    kernel_shape: kernelShape,
    strides,
    dilations,
    group,
    ...('pads' in padding ? { pads: padding.pads } : { auto_pad: padding.autoPad }),
  });
  const outChannels = kernel.shape[0];
  context.registerConvolution(output, { node: graph.nodes.at(-1)!, weight, outChannels });
  return activate(layer, { name: output, rank: 4, channels: outChannels, layer: layer.name }, graph);
}

function pooling(op: 'MaxPool' | 'AveragePool'): LayerHandler {
  return {
    takes: 'one NCHW map; valid or same padding',
    emits: op === 'MaxPool' ? 'MaxPool' : 'AveragePool, padding excluded from the average as in TensorFlow',
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs);
      requireChannelsLast(layer.config, layer.name);
      const kernel = pair(layer.config.pool_size, [2, 2]);
      const strides = pair(layer.config.strides, kernel);
      const padding = spatialPadding(layer.config.padding, kernel, strides, [1, 1], layer.name);
      const attributes = {
        kernel_shape: kernel,
        strides,
        ...('pads' in padding ? { pads: padding.pads } : { auto_pad: padding.autoPad }),
        ...(op === 'AveragePool' ? { count_include_pad: 0 } : {}),
      };
      return { ...x, name: graph.addNode(op, [x.name], layer.name, attributes), layer: layer.name };
    },
  };
}

export const KERAS_LAYER_HANDLERS: Record<string, LayerHandler> = {
  InputLayer: {
    takes: 'the NHWC float image batch from context.imageInput (by default the graph input "input", batch, height and width open)',
    emits: 'a Transpose to NCHW',
    convert(layer, _inputs, { graph, imageInput }) {
      const shape = layer.config.batch_input_shape as (number | null)[] | undefined;
      const channels = shape?.[3];
      if (!shape || shape.length !== 4 || typeof channels !== 'number')
        refuse(layer, `input shape ${JSON.stringify(shape)} is not an image batch [batch, height, width, channels]`);
      return { name: graph.addNode('Transpose', [imageInput(channels)], `${layer.name}_nchw`, { perm: NHWC_TO_NCHW }), rank: 4, channels, layer: layer.name };
    },
  },
  Conv2D: {
    takes: 'one NCHW map; kernel HWIO, optional bias, any dilation, valid or same padding',
    emits: 'Conv (kernel OIHW), then its activation',
    convert(layer, inputs, context) {
      const x = single(layer, inputs);
      if ((layer.config.groups ?? 1) !== 1) refuse(layer, `grouped convolution (groups ${String(layer.config.groups)}) is not supported`);
      return convolution(layer, x, context, convKernelToOnnx(context.weights.get(layer.name, 'kernel')), 1);
    },
  },
  DepthwiseConv2D: {
    takes: 'one NCHW map; kernel H W C M (any depth multiplier), optional bias',
    emits: 'Conv with group = input channels (kernel (C·M) 1 H W), then its activation',
    convert(layer, inputs, context) {
      const x = single(layer, inputs);
      const kernel = context.weights.get(layer.name, 'depthwise_kernel');
      if (kernel.shape[2] !== x.channels) refuse(layer, `its kernel expects ${kernel.shape[2]} input channels, the input has ${x.channels}`);
      return convolution(layer, x, context, depthwiseKernelToOnnx(kernel), x.channels);
    },
  },
  BatchNormalization: {
    takes: 'one NCHW map, normalised over the channel axis, with moving mean and variance (gamma and beta optional)',
    emits: 'nothing when it follows a convolution nobody else reads (folded into its kernel and bias), else Mul and Add per channel',
    convert(layer, inputs, context) {
      const x = single(layer, inputs);
      channelAxis(layer.config.axis ?? -1, layer.name);
      const { weights, graph } = context;
      const epsilon = (layer.config.epsilon as number | undefined) ?? 1e-3;
      const mean = weights.get(layer.name, 'moving_mean').values;
      const variance = weights.get(layer.name, 'moving_variance').values;
      const gamma = layer.config.scale === false ? null : weights.get(layer.name, 'gamma').values;
      const beta = layer.config.center === false ? null : weights.get(layer.name, 'beta').values;
      if (mean.length !== x.channels) refuse(layer, `it has ${mean.length} channels, its input ${x.channels}`);
      // y = x · scale + shift, computed in double precision once.
      const scale = Array.from(mean, (_, c) => (gamma ? gamma[c] : 1) / Math.sqrt(variance[c] + epsilon));
      const shift = Array.from(mean, (m, c) => (beta ? beta[c] : 0) - m * scale[c]);
      const conv = context.convolutionOf(x.name);
      if (conv && context.exclusive(x.layer)) {
        const kernel = graph.float(conv.weight)!;
        const perChannel = kernel.values.length / conv.outChannels;
        for (let c = 0; c < conv.outChannels; c++) {
          for (let i = c * perChannel; i < (c + 1) * perChannel; i++) kernel.values[i] = kernel.values[i] * scale[c];
        }
        const biasName = conv.node.input![2];
        const oldBias = biasName ? graph.float(biasName)!.values : null;
        const bias = Float32Array.from(shift, (s, c) => (oldBias ? oldBias[c] * scale[c] : 0) + s);
        if (biasName) graph.float(biasName)!.values.set(bias);
        else conv.node.input!.push(graph.addFloat(`${layer.name}_folded_bias`, { shape: [conv.outChannels], values: bias }));
        return { ...x, layer: layer.name };
      }
      const shape = channelVectorShape(x.channels);
      const scaled = graph.addNode('Mul', [x.name, graph.addFloat(`${layer.name}_scale`, { shape, values: Float32Array.from(scale) })], `${layer.name}_mul`);
      return {
        ...x,
        name: graph.addNode('Add', [scaled, graph.addFloat(`${layer.name}_shift`, { shape, values: Float32Array.from(shift) })], layer.name),
        layer: layer.name,
      };
    },
  },
  ReLU: {
    takes: 'one map; max_value optional, negative_slope and threshold 0',
    emits: 'Relu, or Clip(0, max_value) (ReLU6)',
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs, true);
      const {
        max_value: max,
        negative_slope: slope = 0,
        threshold = 0,
      } = layer.config as { max_value?: number | null; negative_slope?: number; threshold?: number };
      if (slope !== 0 || threshold !== 0) refuse(layer, `negative_slope ${slope} and threshold ${threshold} are not supported (only 0)`);
      if (max === null || max === undefined) return { ...x, name: graph.addNode('Relu', [x.name], layer.name), layer: layer.name };
      return {
        ...x,
        name: graph.addNode('Clip', [x.name, scalar(graph, `${layer.name}_min`, 0), scalar(graph, `${layer.name}_max`, max)], layer.name),
        layer: layer.name,
      };
    },
  },
  Activation: {
    takes: `one map or vector; activation ${Object.keys(ACTIVATIONS).join(', ')} (softmax on vectors only)`,
    emits: 'the matching ONNX op (Relu, Sigmoid, Tanh, Softsign, Softmax on axis 1), or nothing for linear',
    convert: (layer, inputs, { graph }) => activate(layer, single(layer, inputs, true), graph),
  },
  ZeroPadding2D: {
    takes: 'one NCHW map; padding n, [h, w] or [[top, bottom], [left, right]]',
    emits: 'Pad with zeros on height and width',
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs);
      requireChannelsLast(layer.config, layer.name);
      const pads = graph.addInt64(`${layer.name}_pads`, zeroPaddingPads(layer.config.padding, layer.name));
      return { ...x, name: graph.addNode('Pad', [x.name, pads], layer.name), layer: layer.name };
    },
  },
  MaxPooling2D: pooling('MaxPool'),
  AveragePooling2D: pooling('AveragePool'),
  GlobalAveragePooling2D: {
    takes: 'one NCHW map',
    emits: 'GlobalAveragePool then Flatten: [batch, channels]',
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs);
      requireChannelsLast(layer.config, layer.name);
      const pooled = graph.addNode('GlobalAveragePool', [x.name], `${layer.name}_nchw`);
      return { ...x, name: graph.addNode('Flatten', [pooled], layer.name, { axis: 1 }), rank: 2, layer: layer.name };
    },
  },
  Add: {
    takes: 'two or more maps of one shape',
    emits: 'Add (two inputs) or Sum',
    convert(layer, inputs, { graph }) {
      const rank = sameRank(layer, inputs);
      if (inputs.some((x) => x.channels !== inputs[0].channels))
        refuse(layer, `its inputs have different channel counts (${inputs.map((x) => x.channels).join(', ')})`);
      const names = inputs.map((x) => x.name);
      return { name: graph.addNode(inputs.length === 2 ? 'Add' : 'Sum', names, layer.name), rank, channels: inputs[0].channels, layer: layer.name };
    },
  },
  Multiply: {
    takes: 'two or more maps (or vectors) of one shape',
    emits: 'Mul, chained for more than two inputs',
    convert(layer, inputs, { graph }) {
      const rank = sameRank(layer, inputs);
      if (inputs.some((x) => x.channels !== inputs[0].channels))
        refuse(layer, `its inputs have different channel counts (${inputs.map((x) => x.channels).join(', ')})`);
      let product = inputs[0].name;
      for (let i = 1; i < inputs.length; i++)
        product = graph.addNode('Mul', [product, inputs[i].name], i === inputs.length - 1 ? layer.name : `${layer.name}_${i}`);
      return { name: product, rank, channels: inputs[0].channels, layer: layer.name };
    },
  },
  LayerNormalization: {
    takes: 'one NCHW map, normalised over height and width or over the channels; without scale and offset',
    emits: 'ReduceMean, Sub, Mul, ReduceMean, Add epsilon, Sqrt, Div: (x − mean) / √(variance + epsilon), as TF.js computes it',
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs);
      const {
        axis = -1,
        epsilon = 1e-3,
        center = true,
        scale = true,
      } = layer.config as { axis?: unknown; epsilon?: unknown; center?: unknown; scale?: unknown };
      if (center !== false || scale !== false) refuse(layer, 'only layer normalisation without scale and offset (center and scale false) is supported');
      if (typeof epsilon !== 'number') refuse(layer, `epsilon ${JSON.stringify(epsilon)} is not a number`);
      const axes = normalisedAxes(layer, axis);
      const mean = graph.addNode('ReduceMean', [x.name], `${layer.name}_mean`, { axes, keepdims: 1 });
      const centred = graph.addNode('Sub', [x.name, mean], `${layer.name}_centred`);
      const squares = graph.addNode('Mul', [centred, centred], `${layer.name}_squares`);
      const variance = graph.addNode('ReduceMean', [squares], `${layer.name}_variance`, { axes, keepdims: 1 });
      const deviation = graph.addNode(
        'Sqrt',
        [graph.addNode('Add', [variance, scalar(graph, `${layer.name}_epsilon`, epsilon)], `${layer.name}_padded`)],
        `${layer.name}_deviation`,
      );
      return { ...x, name: graph.addNode('Div', [centred, deviation], layer.name), layer: layer.name };
    },
  },
  Concatenate: {
    takes: 'maps (or vectors, of known or unknown width) joined along the channel axis',
    emits: 'Concat on axis 1 (NCHW channels)',
    convert(layer, inputs, { graph }) {
      const rank = sameRank(layer, inputs);
      const axis = rank === 4 ? channelAxis(layer.config.axis ?? -1, layer.name) : 1;
      if (rank === 2 && ![-1, 1].includes(layer.config.axis as number))
        refuse(layer, `axis ${JSON.stringify(layer.config.axis)} of a vector is not the channel axis`);
      // A width Flatten could not know (-1) leaves the sum unknown too; the next Dense layer's kernel states it.
      const channels = inputs.some((x) => x.channels === -1) ? -1 : inputs.reduce((sum, x) => sum + x.channels, 0);
      const names = inputs.map((x) => x.name);
      return { name: graph.addNode('Concat', names, layer.name, { axis }), rank, channels, layer: layer.name };
    },
  },
  Rescaling: {
    takes: 'one map or vector; scalar scale and offset',
    emits: 'Mul by scale, then Add offset (y = x · scale + offset)',
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs, true);
      const { scale, offset = 0 } = layer.config as { scale?: unknown; offset?: unknown };
      if (typeof scale !== 'number' || typeof offset !== 'number') refuse(layer, 'only a single number as scale and offset is supported');
      const scaled = graph.addNode('Mul', [x.name, scalar(graph, `${layer.name}_scale`, scale)], `${layer.name}_mul`);
      return { ...x, name: graph.addNode('Add', [scaled, scalar(graph, `${layer.name}_offset`, offset)], layer.name), layer: layer.name };
    },
  },
  Flatten: {
    takes: 'one NCHW map (or a vector, passed through)',
    emits: 'Transpose back to NHWC, then Flatten, so the values come in the order Keras flattens them',
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs, true);
      if (x.rank === 2) return { ...x, name: graph.addNode('Identity', [x.name], layer.name), layer: layer.name };
      requireChannelsLast(layer.config, layer.name);
      const nhwc = graph.addNode('Transpose', [x.name], `${layer.name}_nhwc`, { perm: NCHW_TO_NHWC });
      // The width depends on the input size, which handlers do not track; the next Dense layer's kernel states it.
      return { name: graph.addNode('Flatten', [nhwc], layer.name, { axis: 1 }), rank: 2, channels: -1, layer: layer.name };
    },
  },
  Dense: {
    takes: 'one vector [batch, units in]; kernel [in, out], optional bias; activation as Activation takes',
    emits: 'MatMul (the Keras kernel as it is), Add bias, then its activation',
    convert(layer, inputs, { graph, weights }) {
      const x = single(layer, inputs, true);
      if (x.rank !== 2) refuse(layer, 'its input is a feature map; a Dense layer on maps [batch, height, width, channels] is not supported');
      const kernel = weights.get(layer.name, 'kernel');
      const [inDim, outDim] = kernel.shape as [number, number];
      if (x.channels !== -1 && x.channels !== inDim) refuse(layer, `its kernel takes ${inDim} inputs, the input has ${x.channels}`);
      let y = graph.addNode('MatMul', [x.name, graph.addFloat(`${layer.name}_kernel`, kernel)], `${layer.name}_matmul`);
      if (layer.config.use_bias !== false)
        y = graph.addNode('Add', [y, graph.addFloat(`${layer.name}_bias`, weights.get(layer.name, 'bias'))], `${layer.name}_biased`);
      return activate(layer, { name: y, rank: 2, channels: outDim, layer: layer.name }, graph);
    },
  },
};
