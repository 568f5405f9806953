/**
 * Splitting a pretrained backbone for fine-tuning: a frozen base (input → activations at
 * the cut) whose outputs are cached like embeddings, and a trainable top (activations →
 * pooled features). Training the top on cached activations costs a fraction of training
 * through the whole network, fits in the WASM heap, and never touches the base's batch
 * norm statistics.
 */
import * as tf from '@tensorflow/tfjs';
import { topTopology } from './keras-topology.js';
import { HOG } from './hog.js';
import { BUILTIN_BACKBONES, fromLayersModel, type FeatureExtractor } from './zoo.js';

export interface FineTuneSplit {
  cutLayer: string;
  /** Activation shape at the cut, without the batch dimension. */
  cutShape: number[];
  /** Embeds images to flattened activations at the cut; cached under its own key. */
  base: FeatureExtractor;
  /** The top block(s) up to the pooled features. Convolutions trainable, batch norm frozen. */
  top: tf.LayersModel;
}

/** Why a backbone cannot be fine-tuned here, or null when it can. */
export function fineTuneUnsupported(extractor: FeatureExtractor): string | null {
  if (extractor.spec.source === HOG) return `${extractor.spec.id} has no learned weights to fine-tune`;
  if (!extractor.spec.builtin || !BUILTIN_BACKBONES[extractor.spec.source])
    return `${extractor.spec.id} is not a built-in Keras backbone; only those can be fine-tuned`;
  if (!extractor.layersModel || !extractor.topology) return `${extractor.spec.id} has no Keras topology to split`;
  return null;
}

export async function splitForFineTune(extractor: FeatureExtractor): Promise<FineTuneSplit> {
  const problem = fineTuneUnsupported(extractor);
  if (problem) throw new Error(problem);
  const model = extractor.layersModel!;
  const cutLayer = BUILTIN_BACKBONES[extractor.spec.source].fineTuneCut;
  const cutOutput = model.getLayer(cutLayer).output as tf.SymbolicTensor;
  const cutShape = cutOutput.shape.slice(1) as number[];

  const topJson = topTopology(extractor.topology!, cutLayer, cutShape);
  if (!topJson) throw new Error(`${extractor.spec.id}: a connection skips across ${cutLayer}`);
  for (const layer of topJson.model_config.config.layers) {
    // Batch norm stays frozen: tfjs would update its statistics inside training otherwise.
    layer.config.trainable = layer.class_name !== 'BatchNormalization';
  }
  const top = await tf.models.modelFromJSON({ modelTopology: topJson as unknown as tf.io.ModelJSON['modelTopology'] });
  for (const layer of top.layers) {
    const weights = layer.getWeights().length ? model.getLayer(layer.name).getWeights() : [];
    if (weights.length) layer.setWeights(weights);
  }

  const baseModel = tf.model({ inputs: model.inputs, outputs: cutOutput });
  const base = fromLayersModel(
    extractor.spec,
    `${extractor.displayName} (up to ${cutLayer})`,
    baseModel,
    null,
    `${extractor.cacheKey}|activations:${cutLayer}`,
  );
  // The base shares its layers with the full backbone: disposing it must not free them.
  base.dispose = () => {};
  base.featureDim = cutShape.reduce((a, b) => a * b, 1);
  return { cutLayer, cutShape, base, top };
}
