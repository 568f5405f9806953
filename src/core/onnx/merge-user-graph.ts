/**
 * A user's ONNX backbone and the trained head as ONE model.onnx, the only model such a winner
 * has (TF.js cannot run the user's graph). The contract is the one every classifier-ci
 * model.onnx keeps: input "image", uint8 [batch, size, size, 3] RGB bytes; output
 * "probabilities", [batch, labels].
 *
 *   image ─Cast─Mul─Add (value range)─Sub─Div (mean/std)─[Transpose to NCHW]─▶ the user's graph
 *   the chosen output ─[GlobalAveragePool (4-D)]─▶ Gemm (standardisation folded in) ─Relu─…─Softmax
 *
 * The preprocessing is what engine/onnx-backbone.ts does in JavaScript during the run, as graph
 * ops. Every name of the user's graph (nodes, tensors, initializers, value infos, nested
 * graphs alike) gets the prefix "backbone/", so no name of the user's can clash with ours, and
 * the user's graph is pruned to what the chosen output needs. The user's opset is kept; only
 * a model older than the ops around it (opset 7: broadcasting Mul/Add/Sub/Div and Gemm) is
 * raised, and the reason is recorded in the model's metadata and in result.json.
 */
import onnxProto from 'onnx-proto';
import type { OnnxInput } from '../backbones/zoo.js';
import type { DenseWeights } from '../model/fitted.js';
import { CONVERTER_VERSION } from './convert.js';
import { CLASSIFIER_INPUT, CLASSIFIER_OUTPUT } from './export-classifier.js';
import { OnnxGraph } from './graph.js';
import { NHWC_TO_NCHW } from './layout.js';

const { onnx } = onnxProto;
type Graph = onnxProto.onnx.IGraphProto;
type Node = onnxProto.onnx.INodeProto;

/** What the user's names become inside the merged graph: theirs, under one prefix ours never use. */
export const BACKBONE_PREFIX = 'backbone/';

/**
 * The lowest opset the ops added around the user's graph are valid in: multidirectional
 * broadcasting of Mul/Add/Sub/Div and Gemm's unidirectional bias came with opset 7.
 */
export const MIN_MERGED_OPSET = 7;
/** IR version 3 is the first that carries opset 7. */
const MIN_IR_VERSION = 3;

export interface UserGraphClassifierSpec {
  /** The user's .onnx file, as trained on (its sha256 was checked by the caller). */
  model: Uint8Array;
  /** The backbone's id, for messages. */
  backbone: string;
  /** The spec's layout, mean/std and output (engine/onnx-backbone.ts reads the same). */
  input: OnnxInput;
  inputSize: number;
  /** The value range bytes are scaled to before mean/std. */
  range: [number, number];
  /** The head: standardisation folded in (foldStandardisation); ReLU between layers, softmax after the last. */
  dense: DenseWeights[];
  labels: string[];
}

export interface MergedClassifier {
  bytes: Uint8Array;
  /** The merged model's opset (default domain) and why it is that one. */
  opset: { version: number; why: string };
  /** Parameters in the user's graph as kept (after pruning) and in the head. */
  backboneParams: number;
  headParams: number;
}

/** A user's model the export cannot merge: the message names the backbone and the reason. */
export class UserGraphError extends Error {}

export function mergeUserGraphClassifier(spec: UserGraphClassifierSpec): MergedClassifier {
  const { dense, labels, inputSize: size } = spec;
  const fail = (why: string): never => {
    throw new UserGraphError(`the ONNX backbone ${spec.backbone} cannot be merged into model.onnx: ${why}`);
  };
  if (!dense.length) fail('the head has no dense layers');
  if (dense.at(-1)!.outDim !== labels.length) fail(`the head has ${dense.at(-1)!.outDim} outputs for ${labels.length} labels`);

  const user = onnx.ModelProto.decode(spec.model);
  const graph = user.graph ?? fail('the file has no graph');
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const external = (graph.initializer ?? []).find((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL);
  if (external)
    fail(
      `its weights are in external data files (initializer "${external.name}"); save the model with its weights inside the .onnx file (onnx.save with save_as_external_data=False)`,
    );
  // Older exporters list initializers among the inputs too; the image is the one input that is not one.
  const imageInputs = (graph.input ?? []).filter((i) => !initializerNames.has(i.name ?? ''));
  if (imageInputs.length !== 1) fail(`it takes ${imageInputs.length} inputs; an image encoder with one image input is needed`);
  const userInput = imageInputs[0];
  if (userInput.type?.tensorType?.elemType !== onnx.TensorProto.DataType.FLOAT) fail(`its input "${userInput.name}" is not float32`);

  const outputName = spec.input.output ?? graph.output?.[0]?.name ?? fail('it has no outputs');
  const output = (graph.output ?? []).find((o) => o.name === outputName) ?? fail(`it has no output "${outputName}"`);
  const dims = output.type?.tensorType?.shape?.dim ?? fail(`its output "${outputName}" declares no shape, so its rank is unknown`);
  if (dims.length !== 2 && dims.length !== 4) fail(`its output "${outputName}" has ${dims.length} dimensions; 2 (features) or 4 (feature maps) are needed`);
  // Feature maps have their channels where the input layout has them, as in the run.
  const channelDim = dims.length === 2 ? dims[1] : spec.input.layout === 'nhwc' ? dims[3] : dims[1];
  const channels = (channelDim as onnxProto.onnx.TensorShapeProto.Dimension).value === 'dimValue' ? Number(channelDim.dimValue) : null;
  if (channels !== null && channels !== dense[0].inDim)
    fail(`its output "${outputName}" has ${channels} features, but the head was trained on ${dense[0].inDim}`);

  const inputName = userInput.name ?? '';
  const opset = mergedOpset(user.opsetImport ?? []);
  const prefixed = (name: string) => BACKBONE_PREFIX + name;
  const kept = pruneToOutput(graph, outputName);
  renameGraph(kept, prefixed);

  // Our part, built with the converter's graph builder: preprocessing feeds the user's (renamed) input, pooling and head read its output.
  const ours = new OnnxGraph();
  const [low, high] = spec.range;
  let x = ours.addNode('Cast', [ours.addInput(CLASSIFIER_INPUT, ['batch', size, size, 3], 'uint8')], 'image_float', { to: onnx.TensorProto.DataType.FLOAT });
  x = ours.addNode('Mul', [x, ours.addFloat('image_scale', { shape: [], values: Float32Array.of((high - low) / 255) })], 'image_scaled');
  x = ours.addNode('Add', [x, ours.addFloat('image_offset', { shape: [], values: Float32Array.of(low) })], 'image_in_range');
  // NHWC: per-channel constants broadcast along the last axis.
  x = ours.addNode('Sub', [x, ours.addFloat('image_mean', { shape: [3], values: Float32Array.from(spec.input.mean) })], 'image_centred');
  const normalised = [x, ours.addFloat('image_std', { shape: [3], values: Float32Array.from(spec.input.std) })];
  const backboneInput = prefixed(inputName);
  if (spec.input.layout === 'nchw') {
    x = ours.addNode('Div', normalised, 'image_normalised');
    x = ours.addNode('Transpose', [x], backboneInput, { perm: NHWC_TO_NCHW });
  } else {
    x = ours.addNode('Div', normalised, backboneInput);
  }
  if (x !== backboneInput) fail(`its input name "${inputName}" is taken`);
  const preprocessingNodes = ours.nodes.length;

  x = prefixed(outputName);
  if (dims.length === 4) {
    const maps = spec.input.layout === 'nhwc' ? ours.addNode('Transpose', [x], 'features_nchw', { perm: NHWC_TO_NCHW }) : x;
    x = ours.addNode('Flatten', [ours.addNode('GlobalAveragePool', [maps], 'features_pooled')], 'features', { axis: 1 });
  }
  dense.forEach((layer, i) => {
    if (i > 0 && layer.inDim !== dense[i - 1].outDim) fail(`head layer ${i + 1} takes ${layer.inDim} inputs, but gets ${dense[i - 1].outDim}`);
    // Keras kernels are [in, out], which is Gemm's B without a transpose.
    const kernel = ours.addFloat(`head_${i + 1}_kernel`, { shape: [layer.inDim, layer.outDim], values: layer.kernel });
    const bias = ours.addFloat(`head_${i + 1}_bias`, { shape: [layer.outDim], values: layer.bias });
    const logits = ours.addNode('Gemm', [x, kernel, bias], `head_${i + 1}`);
    x = i === dense.length - 1 ? ours.addNode('Softmax', [logits], CLASSIFIER_OUTPUT, { axis: 1 }) : ours.addNode('Relu', [logits], `head_${i + 1}_relu`);
  });
  ours.addOutput(CLASSIFIER_OUTPUT, ['batch', labels.length]);
  // Serialised and read back: the builder's initializers as TensorProtos.
  const built = onnx.ModelProto.decode(ours.serialize('ours', '')).graph!;

  const merged: Graph = {
    name: 'classifier',
    // Topological order: preprocessing, the user's graph, then pooling and head.
    node: [...built.node!.slice(0, preprocessingNodes), ...(kept.node ?? []), ...built.node!.slice(preprocessingNodes)],
    initializer: [...built.initializer!, ...(kept.initializer ?? [])],
    sparseInitializer: kept.sparseInitializer ?? [],
    input: built.input,
    output: built.output,
    valueInfo: kept.valueInfo ?? [],
    quantizationAnnotation: kept.quantizationAnnotation ?? [],
  };
  const model = onnx.ModelProto.create({
    irVersion: Math.max(Number(user.irVersion ?? 0), MIN_IR_VERSION),
    producerName: 'classifier-ci',
    opsetImport: opset.imports,
    docString: `classifier-ci image classifier on the ONNX backbone ${spec.backbone}: input "${CLASSIFIER_INPUT}" uint8 [batch, ${size}, ${size}, 3] RGB (resized to ${size}×${size}), output "${CLASSIFIER_OUTPUT}" [batch, ${labels.length}] in the order of the labels metadata. Opset ${opset.version}: ${opset.why}.`,
    metadataProps: Object.entries({
      labels: JSON.stringify(labels),
      input_size: String(size),
      converter_version: String(CONVERTER_VERSION),
      backbone: spec.backbone,
      opset: `${opset.version}: ${opset.why}`,
    }).map(([key, value]) => ({ key, value })),
    graph: merged,
    functions: user.functions ?? [],
  });
  return {
    bytes: onnx.ModelProto.encode(model).finish(),
    opset: { version: opset.version, why: opset.why },
    backboneParams: countParams(kept.initializer ?? []),
    headParams: dense.reduce((sum, layer) => sum + layer.inDim * layer.outDim + layer.outDim, 0),
  };
}

/** The user's opset imports, the default domain raised to MIN_MERGED_OPSET only when below it. */
function mergedOpset(imports: onnxProto.onnx.IOperatorSetIdProto[]): { imports: onnxProto.onnx.IOperatorSetIdProto[]; version: number; why: string } {
  const isDefault = (domain: string | null | undefined) => !domain || domain === 'ai.onnx';
  const own = imports.find((i) => isDefault(i.domain));
  const others = imports.filter((i) => !isDefault(i.domain));
  const version = own ? Number(own.version) : 0;
  if (version >= MIN_MERGED_OPSET) return { imports: [...others, { domain: '', version }], version, why: "the backbone's own" };
  const why = own
    ? `raised from the backbone's ${version}: the ops around it (broadcasting Mul/Add/Sub/Div, Gemm) need ${MIN_MERGED_OPSET}`
    : `the backbone imports no default-domain opset; the ops around it need ${MIN_MERGED_OPSET}`;
  return { imports: [...others, { domain: '', version: MIN_MERGED_OPSET }], version: MIN_MERGED_OPSET, why };
}

/** Every name a node reads, its nested graphs' included (a nested graph may read the outer scope). */
function namesRead(node: Node): string[] {
  const names = (node.input ?? []).filter(Boolean);
  for (const attribute of node.attribute ?? []) {
    for (const sub of [attribute.g, ...(attribute.graphs ?? [])]) for (const inner of sub?.node ?? []) names.push(...namesRead(inner));
  }
  return names;
}

/** A copy of `graph` holding only the nodes, initializers and value infos `output` depends on. */
function pruneToOutput(graph: Graph, output: string): Graph {
  const needed = new Set([output]);
  const nodes: Node[] = [];
  for (const node of [...(graph.node ?? [])].reverse()) {
    if (!(node.output ?? []).some((o) => needed.has(o))) continue;
    nodes.unshift(node);
    for (const name of namesRead(node)) needed.add(name);
  }
  const keep = <T extends { name?: string | null }>(items: T[] | null | undefined) => (items ?? []).filter((i) => needed.has(i.name ?? ''));
  return {
    ...graph,
    node: nodes,
    initializer: keep(graph.initializer),
    sparseInitializer: (graph.sparseInitializer ?? []).filter((s) => needed.has(s.values?.name ?? '')),
    valueInfo: keep(graph.valueInfo),
    quantizationAnnotation: (graph.quantizationAnnotation ?? []).filter((q) => needed.has(q.tensorName ?? '')),
  };
}

/** Renames every tensor and node name in `graph` and the graphs nested in its nodes, in place. */
function renameGraph(graph: Graph, rename: (name: string) => string): void {
  const named = (items: { name?: string | null }[] | null | undefined) => {
    for (const item of items ?? []) if (item.name) item.name = rename(item.name);
  };
  for (const node of graph.node ?? []) {
    node.input = (node.input ?? []).map((name) => (name ? rename(name) : name)); // "" marks an omitted optional input
    node.output = (node.output ?? []).map((name) => (name ? rename(name) : name));
    if (node.name) node.name = rename(node.name);
    for (const attribute of node.attribute ?? []) for (const sub of [attribute.g, ...(attribute.graphs ?? [])]) if (sub) renameGraph(sub, rename);
  }
  named(graph.initializer);
  for (const sparse of graph.sparseInitializer ?? []) {
    named([sparse.values ?? {}]);
    named([sparse.indices ?? {}]);
  }
  named(graph.input);
  named(graph.output);
  named(graph.valueInfo);
  for (const annotation of graph.quantizationAnnotation ?? []) {
    if (annotation.tensorName) annotation.tensorName = rename(annotation.tensorName);
    for (const entry of annotation.quantParameterTensorNames ?? []) if (entry.value) entry.value = rename(entry.value);
  }
}

function countParams(initializers: onnxProto.onnx.ITensorProto[]): number {
  return initializers.reduce((sum, t) => sum + (t.dims ?? []).reduce((p: number, d) => p * Number(d), 1), 0);
}
