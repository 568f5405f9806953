/**
 * The built-in backbones (the Keras models inside the `nsfwjs` package) as ONNX files,
 * converted once and cached by content hash: the source topology and weights, the outputs
 * requested and the converter version. A later run, or a second process, finds the file
 * and converts nothing; writes are atomic, so a half-written file is never found.
 *
 * Outputs: the pooled features at zoo.ts's cut point (global average), each tap the
 * multi-depth variants read pooled as they read it (by its standard deviation, or on the
 * grid; keras-topology.ts, the same layers as the TF.js model), and the raw activations at the
 * fine-tune cut (what fine-tuning trains on).
 */
import type * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic.js';
import { pooledTapName, withPooledTaps, type KerasTopology, type PooledTap } from '../backbones/keras-topology.js';
import { BUILTIN_BACKBONES, DEPTH_VARIANTS, GRID_SUFFIX } from '../backbones/zoo.js';
import { withHalfScaleTaps, type KerasModelData } from '../backbones/half-scale.js';
import { CONVERTER_VERSION, convertKerasToOnnx, type ConvertRequest } from './convert.js';
import { KerasWeights } from './keras-weights.js';

/** What the converted file of a built-in backbone emits (its source is builtinKerasSource's). */
export function builtinRequest(name: string): ConvertRequest {
  const builtin = BUILTIN_BACKBONES[name];
  if (!builtin) throw new Error(`${name} is not a built-in Keras backbone`);
  return { pooled: [builtin.cutLayer, ...builtinTaps(name).map((tap) => pooledTapName(tap.layer, tap.pooling))], activations: [builtin.fineTuneCut], name };
}

/** Every pooled tap a variant of built-in `name` reads: the standard-deviation ones, then the grid's. */
export function builtinTaps(name: string): PooledTap[] {
  const builtin = BUILTIN_BACKBONES[name];
  const std = builtin.taps.map((layer): PooledTap => ({ layer, pooling: 'std' }));
  const grid = DEPTH_VARIANTS[GRID_SUFFIX].taps(builtin).map((layer): PooledTap => ({ layer, pooling: 'grid' }));
  return [...std, ...grid];
}

/** The built-in's Keras model with its taps' pooling added, to convert with builtinRequest. */
export function builtinKerasSource(name: string): KerasSource {
  const builtin = BUILTIN_BACKBONES[name];
  const taps = builtinTaps(name);
  const source = withHalfScaleTaps(
    nsfwjsKerasSource(builtin.nsfwjsModel),
    taps.map((tap) => tap.layer),
  );
  return { ...source, topology: withPooledTaps(source.topology, taps) };
}

/** A Keras model as its files hold it (half-scale.ts states the shape). */
export type KerasSource = KerasModelData;

const require = createRequire(import.meta.url);

/** nsfwjs ships its models as UMD bundles of JSON and base64 (as zoo.ts reads them); its package exports hide them, so resolve by path. */
export function nsfwjsKerasSource(model: string): KerasSource {
  const dir = join(dirname(require.resolve('nsfwjs')), '..', 'models', model);
  const files = require(join(dir, 'model.min.js')) as { modelTopology: KerasTopology; weightsManifest: tf.io.WeightsManifestConfig };
  const shards = files.weightsManifest.flatMap((group) => group.paths).map((path) => Buffer.from(require(join(dir, `${path}.min.js`)) as string, 'base64'));
  const all = Buffer.concat(shards);
  return {
    topology: files.modelTopology,
    weightSpecs: files.weightsManifest.flatMap((group) => group.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  };
}

export interface OnnxBackboneFile {
  path: string;
  /** False when the file came from the cache. */
  converted: boolean;
  request: ConvertRequest;
  /** Parameters of the converted Keras layers (as TF.js counts them, batch norm included). */
  params: number;
}

export function sourceHash(source: KerasSource, request: ConvertRequest): string {
  return createHash('sha256')
    .update(`converter v${CONVERTER_VERSION}\n${JSON.stringify(request)}\n${JSON.stringify(source.topology)}\n${JSON.stringify(source.weightSpecs)}\n`)
    .update(new Uint8Array(source.weightData))
    .digest('hex');
}

/** The ONNX file of Keras model `source` with `request`'s outputs, converted into `cacheDir` unless already there. */
export async function ensureOnnxFile(source: KerasSource, request: ConvertRequest, cacheDir: string, fileStem: string): Promise<OnnxBackboneFile> {
  const path = join(cacheDir, 'onnx', `${fileStem}-${sourceHash(source, request).slice(0, 20)}.onnx`);
  if (existsSync(path)) return { path, converted: false, request, params: countParams(source, request) };
  const model = convertKerasToOnnx(source.topology, KerasWeights.decode(source.weightSpecs, source.weightData), request);
  await writeFileAtomic(path, model.bytes);
  return { path, converted: true, request, params: model.kerasParams };
}

/** Counting without converting: the weights (by manifest shape) of the layers the outputs depend on. */
function countParams(source: KerasSource, request: ConvertRequest): number {
  const sizes = new Map<string, number>();
  for (const spec of source.weightSpecs) {
    const layer = spec.name.slice(0, spec.name.lastIndexOf('/'));
    sizes.set(layer, (sizes.get(layer) ?? 0) + spec.shape.reduce((a, b) => a * b, 1));
  }
  const byName = new Map(source.topology.model_config.config.layers.map((l) => [l.name, l]));
  const seen = new Set<string>();
  const stack = [...request.pooled, ...(request.activations ?? [])];
  let count = 0;
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    count += sizes.get(name) ?? 0;
    for (const node of byName.get(name)?.inbound_nodes as unknown[][]) for (const ref of node) stack.push((ref as [string])[0]);
  }
  return count;
}

/** The built-in backbone `name` (a key of BUILTIN_BACKBONES) as an ONNX file in `cacheDir`. */
export async function ensureBuiltinOnnx(name: string, cacheDir: string): Promise<OnnxBackboneFile> {
  return ensureOnnxFile(builtinKerasSource(name), builtinRequest(name), cacheDir, name);
}
