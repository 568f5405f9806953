/**
 * The final classifier as one ONNX model: RGB bytes in (uint8 NHWC at the model's input
 * size, resized as decode.ts does), class probabilities out. Inside: the scaling to the
 * backbone's value range, the backbone cut at its pooled features (converted by
 * emitKerasLayers, batch norm folded), and the head's dense layers (feature standardisation
 * already folded into the first, as in the TF.js export), ReLU between them, softmax last.
 * A caller needs nothing but onnxruntime, in Node or in Python.
 */
import { writeFileAtomic } from '../atomic.js';
import { BUILTIN_BACKBONES } from '../backbones/zoo.js';
import type { DenseWeights } from '../model/fitted.js';
import { nsfwjsKerasSource, type KerasSource } from './builtin.js';
import { CONVERTER_VERSION, emitKerasLayers } from './convert.js';
import { OnnxGraph } from './graph.js';
import { KerasWeights } from './keras-weights.js';
import type { WeightTensor } from './layout.js';

export const CLASSIFIER_INPUT = 'image';
export const CLASSIFIER_OUTPUT = 'probabilities';

export interface OnnxClassifierSpec {
  /** The backbone as a Keras model. */
  source: KerasSource;
  /** The layer whose output, pooled by global average, feeds the head. */
  cutLayer: string;
  inputSize: number;
  /** Value range the backbone expects its RGB input in. */
  range: [number, number];
  /** The head: standardisation folded in (foldStandardisation); ReLU between layers, softmax after the last. */
  dense: DenseWeights[];
  /** Weights replacing the source's, by Keras name `layer/kind` (a fine-tuned top block). */
  replacedWeights?: Map<string, WeightTensor>;
  labels: string[];
}

/** The Keras source and cut layer of a built-in backbone, as zoo.ts cuts it. */
export function builtinClassifierBackbone(name: string): Pick<OnnxClassifierSpec, 'source' | 'cutLayer'> {
  const builtin = BUILTIN_BACKBONES[name];
  if (!builtin) throw new Error(`${name} is not a built-in Keras backbone`);
  return { source: nsfwjsKerasSource(builtin.nsfwjsModel), cutLayer: builtin.cutLayer };
}

export function buildOnnxClassifier(spec: OnnxClassifierSpec): Uint8Array {
  const { inputSize: size, range, dense, labels } = spec;
  if (!dense.length) throw new Error('the head has no dense layers');
  if (dense.at(-1)!.outDim !== labels.length) throw new Error(`the head has ${dense.at(-1)!.outDim} outputs for ${labels.length} labels`);
  let weights = KerasWeights.decode(spec.source.weightSpecs, spec.source.weightData);
  if (spec.replacedWeights) weights = weights.withReplacements(spec.replacedWeights);

  const graph = new OnnxGraph();
  // Bytes → floats in the backbone's range, the arithmetic zoo.ts does before TF.js.
  const imageInput = (channels: number) => {
    const bytes = graph.addInput(CLASSIFIER_INPUT, ['batch', size, size, channels], 'uint8');
    const floats = graph.addNode('Cast', [bytes], 'image_float', { to: 1 });
    const scaled = graph.addNode(
      'Mul',
      [floats, graph.addFloat('image_scale', { shape: [], values: Float32Array.of((range[1] - range[0]) / 255) })],
      'image_scaled',
    );
    return graph.addNode('Add', [scaled, graph.addFloat('image_offset', { shape: [], values: Float32Array.of(range[0]) })], 'image_in_range');
  };
  const { tensors } = emitKerasLayers(graph, spec.source.topology, weights, [spec.cutLayer], imageInput);
  const cut = tensors.get(spec.cutLayer)!;
  let x = cut.rank === 4 ? graph.addNode('Flatten', [graph.addNode('GlobalAveragePool', [cut.name], 'features_nchw')], 'features', { axis: 1 }) : cut.name;
  let width = cut.channels;
  dense.forEach((layer, i) => {
    if (layer.inDim !== width) throw new Error(`head layer ${i + 1} takes ${layer.inDim} inputs, but gets ${width}`);
    // Keras kernels are [in, out], which is Gemm's B without a transpose.
    const kernel = graph.addFloat(`head_${i + 1}_kernel`, { shape: [layer.inDim, layer.outDim], values: layer.kernel });
    const bias = graph.addFloat(`head_${i + 1}_bias`, { shape: [layer.outDim], values: layer.bias });
    const logits = graph.addNode('Gemm', [x, kernel, bias], `head_${i + 1}`);
    const last = i === dense.length - 1;
    x = last ? graph.addNode('Softmax', [logits], CLASSIFIER_OUTPUT, { axis: 1 }) : graph.addNode('Relu', [logits], `head_${i + 1}_relu`);
    width = layer.outDim;
  });
  if (x !== CLASSIFIER_OUTPUT) throw new Error(`the output name ${CLASSIFIER_OUTPUT} is taken by a layer of the backbone`);
  graph.addOutput(CLASSIFIER_OUTPUT, ['batch', labels.length]);
  return serializeClassifier(graph, size, labels);
}

function serializeClassifier(graph: OnnxGraph, size: number, labels: string[]): Uint8Array {
  return graph.serialize(
    'classifier',
    `classifier-ci image classifier: input "${CLASSIFIER_INPUT}" uint8 [batch, ${size}, ${size}, 3] RGB (resized to ${size}×${size}), output "${CLASSIFIER_OUTPUT}" [batch, ${labels.length}] in the order of the labels metadata.`,
    { labels: JSON.stringify(labels), input_size: String(size), converter_version: String(CONVERTER_VERSION) },
  );
}

/**
 * The fused TF.js classifier (export.ts: RGB bytes in, scaling inside, softmax out) as the
 * same one-file ONNX model: every layer converted by its handler, the bytes cast to floats
 * before the first. Serves every winner export.ts fuses: built-ins (fine-tuned or not), hog,
 * small_cnn and user functional models whose layers the converter covers; others are refused
 * by the converter, naming the layer class.
 */
export function buildOnnxFromFusedModel(fused: KerasSource, inputSize: number, labels: string[]): Uint8Array {
  const weights = KerasWeights.decode(fused.weightSpecs, fused.weightData);
  const outputs = fused.topology.model_config?.config?.output_layers;
  if (!outputs || outputs.length !== 1) throw new Error('the fused model must have exactly one output');
  const outputLayer = outputs[0][0];
  const graph = new OnnxGraph();
  const imageInput = (channels: number) =>
    graph.addNode('Cast', [graph.addInput(CLASSIFIER_INPUT, ['batch', inputSize, inputSize, channels], 'uint8')], 'image_float', { to: 1 });
  const { tensors } = emitKerasLayers(graph, fused.topology, weights, [outputLayer], imageInput);
  const out = tensors.get(outputLayer)!;
  if (out.rank !== 2 || out.channels !== labels.length) throw new Error(`the fused model's output is not one probability per label (${labels.length})`);
  if (graph.addNode('Identity', [out.name], CLASSIFIER_OUTPUT) !== CLASSIFIER_OUTPUT)
    throw new Error(`the output name ${CLASSIFIER_OUTPUT} is taken by a layer of the model`);
  graph.addOutput(CLASSIFIER_OUTPUT, ['batch', labels.length]);
  return serializeClassifier(graph, inputSize, labels);
}

/** Writes the classifier to `path` (atomically). */
export async function writeOnnxClassifier(path: string, spec: OnnxClassifierSpec): Promise<void> {
  await writeFileAtomic(path, buildOnnxClassifier(spec));
}
