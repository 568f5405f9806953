/**
 * A second pass of a built-in backbone on the image at half its side, up to one layer, in the
 * same Keras graph: the input is averaged 2 × 2 and fed to a copy of that layer's ancestors,
 * named with HALF_SCALE_PREFIX and holding copies of their weights. `half_block_9_add` is then
 * `block_9_add` of the image at 112 px when the model takes 224, for the grid variant to read
 * beside the full-size tap (zoo.ts): the same features over twice the share of the image.
 *
 * Why a second pass and not a coarser pooling of the same map: on Fashion-MNIST (2026-12-05, a
 * linear head on 100 images per class, the official 10,000 test images) block_9_add on the grid
 * scored 87.2% alone, 87.6% beside the same tap at 112 px (87.5% at 160 px), and 87.2% beside
 * coarser grids of the same map (4 × 4 and 1 × 1 cells): what the layer sees, not how it is
 * pooled, is what the half scale adds. At half the side the pass costs about a quarter.
 *
 * Plain copies, not shared layers, so TF.js, the ONNX converter and the export read it as any
 * other graph.
 */
import type * as tf from '@tensorflow/tfjs';
import { ancestorsOf, averagePoolingLayer, type KerasTopology } from './keras-topology.js';
import { storedByteLength } from '../onnx/keras-weights.js';

export const HALF_SCALE_PREFIX = 'half_';

/** The layer of the half-scale pass that mirrors `layer`. */
export const halfScale = (layer: string) => `${HALF_SCALE_PREFIX}${layer}`;

/** Whether `layer` belongs to a half-scale pass. */
export const isHalfScale = (layer: string) => layer.startsWith(HALF_SCALE_PREFIX);

const POOLED_INPUT = `${HALF_SCALE_PREFIX}input_pooled`;

/** The layers (other than the input) that the half-scale pass up to `upTo` copies. */
function copiedLayers(topology: KerasTopology, upTo: readonly string[]): Set<string> {
  const config = topology.model_config.config;
  const copied = new Set(upTo.flatMap((layer) => [...ancestorsOf(config.layers, layer)]));
  copied.delete(config.input_layers[0][0]);
  return copied;
}

/** The whole model (outputs unchanged) with the half-scale pass up to the layers `upTo` added. */
export function withHalfScaleBranch(topology: KerasTopology, upTo: readonly string[]): KerasTopology {
  const copy: KerasTopology = structuredClone(topology);
  const config = copy.model_config.config;
  const inputName = config.input_layers[0][0];
  const copied = copiedLayers(topology, upTo);
  config.layers.push(averagePoolingLayer(POOLED_INPUT, inputName, 2, 'valid'));
  for (const layer of topology.model_config.config.layers) {
    if (!copied.has(layer.name)) continue;
    const twin = structuredClone(layer);
    twin.name = halfScale(layer.name);
    twin.config = { ...twin.config, name: twin.name };
    for (const node of twin.inbound_nodes as unknown[][]) {
      for (const ref of node as unknown[][]) ref[0] = ref[0] === inputName ? POOLED_INPUT : halfScale(ref[0] as string);
    }
    config.layers.push(twin);
  }
  return copy;
}

/** The weights of `withHalfScaleBranch(topology, upTo)`: the model's, then a copy of each copied layer's under its twin's name. */
export function withHalfScaleWeights(
  topology: KerasTopology,
  upTo: readonly string[],
  specs: tf.io.WeightsManifestEntry[],
  data: ArrayBuffer,
): { weightSpecs: tf.io.WeightsManifestEntry[]; weightData: ArrayBuffer } {
  const copied = copiedLayers(topology, upTo);
  const twins: tf.io.WeightsManifestEntry[] = [];
  const slices: Uint8Array[] = [new Uint8Array(data)];
  let offset = 0;
  for (const spec of specs) {
    const length = storedByteLength(spec);
    // Keras names a weight `layer/kind`.
    const layer = spec.name.slice(0, spec.name.lastIndexOf('/'));
    if (copied.has(layer)) {
      twins.push({ ...spec, name: halfScale(spec.name) });
      slices.push(new Uint8Array(data, offset, length));
    }
    offset += length;
  }
  const all = Buffer.concat(slices);
  return { weightSpecs: [...specs, ...twins], weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
}

/** A Keras model as its files hold it. */
export interface KerasModelData {
  topology: KerasTopology;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

/** `model` with the half-scale pass that `taps` read from (their half-scale ones), or as it is when they read none. */
export function withHalfScaleTaps(model: KerasModelData, taps: readonly string[]): KerasModelData {
  const upTo = taps.filter(isHalfScale).map((tap) => tap.slice(HALF_SCALE_PREFIX.length));
  if (!upTo.length) return model;
  return { topology: withHalfScaleBranch(model.topology, upTo), ...withHalfScaleWeights(model.topology, upTo, model.weightSpecs, model.weightData) };
}
