/**
 * An ensemble's backbone as ONE Keras graph, so export.ts fuses it with the head like any
 * other backbone (one model.json, one model.onnx, RGB bytes in):
 *
 *   input (the largest member's size, values 0–1)
 *     ├─ member 1's layers ──────────────────────────────┐
 *     └─ AveragePooling2D by an integer factor ─ member 2 ┴─ Concatenate ─ (head)
 *
 * A member smaller than the ensemble's input (HOG) gets its input in-graph: the image is
 * average-pooled by an integer factor (224 / 8 = 28). Its training features are computed by
 * the same branch (`branchExtractor`), so training and serving see the same pixels. Each
 * member's layers keep their names behind a prefix (`e1_`, `e2_`, …), so two networks with
 * a layer of the same name cannot clash, and their weights are copied in by those names.
 */
import * as tf from '@tensorflow/tfjs';
import { averagePoolingLayer, inputTopology, type KerasLayer, type KerasTopology } from '../backbones/keras-topology.js';
import { fromLayersModel, type BackboneSpec, type FeatureExtractor } from '../backbones/zoo.js';

/** `source` of an ensemble's BackboneSpec. */
export const ENSEMBLE = 'ensemble';

/** Name of the layer that joins the members' features. */
export const ENSEMBLE_CONCAT = 'ensemble_features';

export interface EnsembleBranch {
  /** The member's own TF.js extractor (input at its own size and value range); it must have a topology. */
  extractor: FeatureExtractor;
  /** The ensemble's input is average-pooled by this integer factor before the member (1: fed as it is). */
  poolFactor: number;
}

const prefixOf = (index: number) => `e${index + 1}_`;

/**
 * The members as branches of one functional topology on an input of `inputSize` in 0–1;
 * the members' features concatenated in order (a single member: its features as they are).
 */
export function ensembleTopology(branches: readonly EnsembleBranch[], inputSize: number, name = 'ensemble'): KerasTopology {
  const topology = inputTopology(name, [null, inputSize, inputSize, 3]);
  const config = topology.model_config.config;
  const add = (layer: KerasLayer) => config.layers.push(layer);
  const outputs = branches.map((branch, index) => {
    const { extractor, poolFactor } = branch;
    const source = extractor.topology?.model_config?.config;
    if (!source?.input_layers) throw new Error(`${extractor.spec.id} has no functional Keras topology to join into an ensemble`);
    const prefix = prefixOf(index);
    if (!Number.isInteger(poolFactor) || poolFactor < 1) throw new Error(`${extractor.spec.id}: the pool factor must be a whole number, got ${poolFactor}`);
    if (poolFactor * extractor.spec.inputSize !== inputSize)
      throw new Error(`${extractor.spec.id} takes ${extractor.spec.inputSize} px: ${inputSize} / ${poolFactor} does not give that`);
    let feed = 'input';
    if (poolFactor > 1) {
      const resize = `${prefix}resize`;
      add(averagePoolingLayer(resize, feed, poolFactor, 'valid'));
      feed = resize;
    }
    const [low, high] = extractor.spec.range;
    if (low !== 0 || high !== 1) {
      const range = `${prefix}range`;
      add({
        name: range,
        class_name: 'Rescaling',
        config: { name: range, trainable: false, scale: high - low, offset: low },
        inbound_nodes: [[[feed, 0, 0, {}]]],
      });
      feed = range;
    }
    const inputName = source.input_layers[0][0];
    for (const layer of source.layers) {
      if (layer.name === inputName) continue;
      const copy = structuredClone(layer);
      copy.name = `${prefix}${layer.name}`;
      copy.config = { ...copy.config, name: copy.name };
      for (const node of copy.inbound_nodes as unknown[][]) {
        for (const ref of node as unknown[][]) ref[0] = ref[0] === inputName ? feed : `${prefix}${ref[0] as string}`;
      }
      add(copy);
    }
    return `${prefix}${source.output_layers[0][0]}`;
  });
  if (outputs.length === 1) {
    config.output_layers = [[outputs[0], 0, 0]];
    return topology;
  }
  add({
    name: ENSEMBLE_CONCAT,
    class_name: 'Concatenate',
    config: { name: ENSEMBLE_CONCAT, trainable: true, axis: -1 },
    inbound_nodes: [outputs.map((o) => [o, 0, 0, {}])],
  });
  config.output_layers = [[ENSEMBLE_CONCAT, 0, 0]];
  return topology;
}

/** Builds the layers model of `ensembleTopology` with every member's weights copied in. The caller disposes it. */
async function buildBranchesModel(branches: readonly EnsembleBranch[], topology: KerasTopology): Promise<tf.LayersModel> {
  const model = await tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
  branches.forEach(({ extractor }, index) => {
    for (const layer of extractor.layersModel!.layers) {
      const weights = layer.getWeights();
      if (weights.length && layer.getClassName() !== 'InputLayer') model.getLayer(`${prefixOf(index)}${layer.name}`).setWeights(weights);
    }
  });
  return model;
}

function requireLayers(branches: readonly EnsembleBranch[]): void {
  const missing = branches.find((b) => !b.extractor.layersModel || !b.extractor.topology);
  if (missing) throw new Error(`${missing.extractor.spec.id} is not one Keras graph, so it cannot be fused into an ensemble`);
}

/**
 * The ensemble's backbone as a FeatureExtractor on RGB 0–1 at `spec.inputSize`: what the
 * export fuses with the head. It owns its model; the members' extractors stay the caller's.
 */
export async function buildEnsembleExtractor(spec: BackboneSpec, displayName: string, branches: readonly EnsembleBranch[]): Promise<FeatureExtractor> {
  requireLayers(branches);
  const topology = ensembleTopology(branches, spec.inputSize);
  const model = await buildBranchesModel(branches, topology);
  return fromLayersModel(spec, displayName, model, topology, `${ENSEMBLE}|${branches.map((b) => `${b.extractor.cacheKey}/${b.poolFactor}`).join('&')}`);
}

/**
 * One member as the ensemble's branch on its own: input at `inputSize` (pooled by the
 * branch's factor in-graph), the member's features out. Embedding with it gives the member's
 * training features exactly as the exported ensemble computes them; they are cached under a
 * key of their own (the member's key, the pooling and the input size).
 */
export async function branchExtractor(branch: EnsembleBranch, inputSize: number): Promise<FeatureExtractor> {
  requireLayers([branch]);
  const topology = ensembleTopology([branch], inputSize, 'ensemble_branch');
  const model = await buildBranchesModel([branch], topology);
  const { extractor, poolFactor } = branch;
  const spec: BackboneSpec = { ...extractor.spec, id: `${extractor.spec.id}/${inputSize}`, inputSize, range: [0, 1] };
  return fromLayersModel(
    spec,
    `${extractor.displayName} (pooled from ${inputSize})`,
    model,
    topology,
    `${extractor.cacheKey}|ensemble-branch:avgpool${poolFactor}from${inputSize}`,
  );
}
