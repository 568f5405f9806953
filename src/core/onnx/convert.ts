/**
 * Keras functional model (TF.js layers JSON + weights) → ONNX ModelProto.
 *
 * Only the layers the requested outputs depend on are converted, each by its handler in
 * handlers.ts; a layer class without one is refused by name. The graph takes NHWC float
 * input in the value range the Keras model expects (batch, height and width open) and
 * emits, per request, a layer's output pooled by global average ([batch, channels], named
 * pooledOutputName(layer)) or its raw activations in NHWC (activationsOutputName(layer)),
 * flattened the way TF.js lays out the same tensor. A layer whose output is a vector already
 * (GlobalAveragePooling2D) is emitted as it is under either name.
 */
import type { KerasLayer, KerasTopology } from '../backbones/keras-topology.js';
import { InputError } from '../errors.js';
import { OnnxGraph } from './graph.js';
import { KERAS_LAYER_HANDLERS, type ConvertedTensor, type FoldableConvolution, type HandlerContext } from './handlers.js';
import type { KerasWeights } from './keras-weights.js';
import { NCHW_TO_NHWC } from './layout.js';

/** Bump when the emitted graph changes: it is part of every converted file's cache key. */
export const CONVERTER_VERSION = 1;

export interface ConvertRequest {
  /** Layers emitted pooled: global average over height and width, [batch, channels]. */
  pooled: string[];
  /** Layers emitted raw, NHWC [batch, height, width, channels]. */
  activations?: string[];
  /** Graph name (shown by ONNX tools). */
  name?: string;
}

export interface ConvertedModel {
  /** The serialised ModelProto. */
  bytes: Uint8Array;
  /** Channels of each output, by output name. */
  channels: Record<string, number>;
  /** Parameters of the Keras layers converted (before batch norm was folded), as TF.js counts them. */
  kerasParams: number;
}

export const pooledOutputName = (layer: string) => `pooled_${layer}`;
export const activationsOutputName = (layer: string) => `activations_${layer}`;

function inboundLayers(layer: KerasLayer): string[] {
  const nodes = layer.inbound_nodes as unknown[][];
  if (nodes.length > 1)
    throw new InputError(`Cannot convert layer "${layer.name}" to ONNX: it is applied ${nodes.length} times (shared layers are not supported).`, layer.name);
  return (nodes[0] ?? []).map((ref) => {
    const [name, , tensorIndex] = ref as [string, number, number];
    if (tensorIndex)
      throw new InputError(
        `Cannot convert layer "${layer.name}" to ONNX: it reads output ${tensorIndex} of "${name}" (only single-output layers are supported).`,
        layer.name,
      );
    return name;
  });
}

/** The layers `targets` depend on, inputs first. */
function layersFor(byName: Map<string, KerasLayer>, targets: string[]): KerasLayer[] {
  const order: KerasLayer[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    const layer = byName.get(name);
    if (!layer) throw new InputError(`Cannot convert to ONNX: layer "${name}" is not in the model.`, name);
    if (state.get(name) === 'visiting') throw new InputError(`Cannot convert to ONNX: the model has a cycle through layer "${name}".`, name);
    state.set(name, 'visiting');
    for (const input of inboundLayers(layer)) visit(input);
    state.set(name, 'done');
    order.push(layer);
  };
  for (const target of targets) visit(target);
  return order;
}

/** Output names are the contract with the session: a clash with a Keras layer name must not rename them silently. */
function exactly(wanted: string, got: string): void {
  if (got !== wanted) throw new InputError(`Cannot convert to ONNX: the output name "${wanted}" is taken by a layer of the model.`, wanted);
}

export interface EmittedLayers {
  /** Every converted layer's output, by Keras layer name. */
  tensors: Map<string, ConvertedTensor>;
  /** Parameters of the converted Keras layers (before batch norm was folded), as TF.js counts them. */
  kerasParams: number;
}

/**
 * Emits into `graph` the layers `targets` depend on. `emitted` are the layers whose outputs
 * the caller will read (so nothing folds into them); `imageInput` makes the NHWC float image
 * tensor the InputLayer reads (default: a graph input "input" with batch, height and width open).
 */
export function emitKerasLayers(
  graph: OnnxGraph,
  topology: KerasTopology,
  weights: KerasWeights,
  targets: string[],
  imageInput: (channels: number) => string = (channels) => graph.addInput('input', ['batch', 'height', 'width', channels]),
): EmittedLayers {
  const config = topology.model_config?.config;
  if (!config?.layers) throw new InputError('Cannot convert to ONNX: the model JSON has no functional model_config (a Keras functional model is needed).');
  const byName = new Map(config.layers.map((l) => [l.name, l]));
  const layers = layersFor(byName, targets);

  // Every class is checked before anything is emitted, so the error names the first unknown one.
  for (const layer of layers) {
    if (!KERAS_LAYER_HANDLERS[layer.class_name]) {
      throw new InputError(
        `Cannot convert layer "${layer.name}" to ONNX: Keras layer class ${layer.class_name} is not supported. Supported: ${Object.keys(KERAS_LAYER_HANDLERS).join(', ')}.`,
        layer.name,
      );
    }
  }
  const inputLayers = layers.filter((l) => l.class_name === 'InputLayer');
  if (inputLayers.length > 1)
    throw new InputError(`Cannot convert to ONNX: the model has more than one input (${inputLayers.map((l) => `"${l.name}"`).join(', ')}).`);
  const consumers = new Map<string, number>();
  for (const layer of layers) for (const input of inboundLayers(layer)) consumers.set(input, (consumers.get(input) ?? 0) + 1);
  const emitted = new Set(targets);

  const convolutions = new Map<string, FoldableConvolution>();
  const context: HandlerContext = {
    graph,
    weights,
    imageInput,
    exclusive: (layer) => consumers.get(layer) === 1 && !emitted.has(layer),
    convolutionOf: (tensor) => convolutions.get(tensor),
    registerConvolution: (tensor, convolution) => convolutions.set(tensor, convolution),
  };
  const tensors = new Map<string, ConvertedTensor>();
  let kerasParams = 0;
  for (const layer of layers) {
    const inputs = inboundLayers(layer).map((name) => tensors.get(name)!);
    tensors.set(layer.name, KERAS_LAYER_HANDLERS[layer.class_name].convert(layer, inputs, context));
    kerasParams += weights.countFor(layer.name);
  }
  return { tensors, kerasParams };
}

export function convertKerasToOnnx(topology: KerasTopology, weights: KerasWeights, request: ConvertRequest): ConvertedModel {
  const activations = request.activations ?? [];
  const graph = new OnnxGraph();
  const { tensors, kerasParams } = emitKerasLayers(graph, topology, weights, [...new Set([...request.pooled, ...activations])]);

  const channels: Record<string, number> = {};
  for (const layer of request.pooled) {
    const x = tensors.get(layer)!;
    const name = pooledOutputName(layer);
    // A vector (after a GlobalAveragePooling2D layer) is pooled already.
    const pooled = x.rank === 4 ? graph.addNode('GlobalAveragePool', [x.name], `${name}_nchw`) : x.name;
    exactly(name, graph.addNode(x.rank === 4 ? 'Flatten' : 'Identity', [pooled], name, x.rank === 4 ? { axis: 1 } : {}));
    // A Flatten's width depends on the input size (a grid tap's): named, not stated.
    graph.addOutput(name, ['batch', x.channels === -1 ? `${layer}_width` : x.channels]);
    channels[name] = x.channels;
  }
  for (const layer of activations) {
    const x = tensors.get(layer)!;
    const name = activationsOutputName(layer);
    if (x.rank === 2) {
      exactly(name, graph.addNode('Identity', [x.name], name));
      graph.addOutput(name, ['batch', x.channels]);
    } else {
      exactly(name, graph.addNode('Transpose', [x.name], name, { perm: NCHW_TO_NHWC }));
      graph.addOutput(name, ['batch', `${layer}_height`, `${layer}_width`, x.channels]);
    }
    channels[name] = x.channels;
  }
  const bytes = graph.serialize(
    request.name ?? topology.model_config.config.name ?? 'backbone',
    `Converted from Keras by classifier-ci (converter v${CONVERTER_VERSION}); batch norm folded into convolutions; input NHWC float.`,
    {
      converter_version: String(CONVERTER_VERSION),
    },
  );
  return { bytes, channels, kerasParams };
}
