/**
 * A built-in backbone run by ONNX Runtime: the same embeddings as zoo.ts's TF.js extractor
 * (within 1e-3 relative, tested), several taps from one run, and the raw activations at the
 * fine-tune cut. Preprocessing is zoo.ts's: RGB bytes scaled to the backbone's value range.
 */
import type { BackboneSpec } from '../backbones/zoo.js';
import { pooledTapName, type TapPooling } from '../backbones/keras-topology.js';
import { BUILTIN_BACKBONES } from '../backbones/zoo.js';
import { builtinTaps, ensureBuiltinOnnx } from './builtin.js';
import { activationsOutputName, pooledOutputName } from './convert.js';
import { loadOnnxRuntime, openOnnxSession, type OnnxEngine, type OnnxSessionOptions } from './session.js';
import { DECODING_KEY } from '../dataset/decode.js';

export interface OnnxTap {
  /** The Keras layer it reads. */
  layer: string;
  /** Pooled by global average (the cut), by standard deviation or on a grid (a multi-depth tap), a vector per image; or raw NHWC activations. */
  kind: 'pooled' | TapPooling | 'activations';
  /** The ONNX output name. */
  output: string;
  /** Per image, at this extractor's input size: [channels] or [height, width, channels]. */
  shape: number[];
  /** Floats per image. */
  dim: number;
  /** Embedding cache key of this tap's vectors. */
  cacheKey: string;
}

export interface OnnxFeatureExtractor {
  spec: BackboneSpec;
  displayName: string;
  /** Of the main output: pooled features at zoo.ts's cut layer. */
  featureDim: number;
  params: number;
  cacheKey: string;
  engine: OnnxEngine;
  /** Every output the model has, the main one included. */
  taps: OnnxTap[];
  /** The main features of n images: RGB bytes (n × size × size × 3), or floats already in spec.range. */
  embed(pixels: Uint8Array | Float32Array, n: number): Promise<Float32Array>;
  /** Several taps (by output name; default all) of n images from one run. */
  embedTaps(pixels: Uint8Array | Float32Array, n: number, outputs?: string[]): Promise<Record<string, Float32Array>>;
  /** ONNX models are not fused into the TF.js export. */
  layersModel: null;
  topology: null;
  dispose(): Promise<void>;
}

export interface OnnxLoadOptions extends OnnxSessionOptions {
  /** Where converted models are cached (a folder `onnx/` is made in it). */
  cacheDir: string;
}

/** Whether the ONNX engine can run this backbone (the built-in Keras ones). */
export function onnxSupports(spec: BackboneSpec): boolean {
  return spec.builtin && spec.source in BUILTIN_BACKBONES;
}

/** The key zoo.ts uses for the same backbone, marked as computed by ONNX Runtime. */
function baseCacheKey(spec: BackboneSpec): string {
  return `nsfwjs-${BUILTIN_BACKBONES[spec.source].nsfwjsModel}-v1|${spec.inputSize}|${spec.range.join(':')}|${DECODING_KEY}|ort`;
}

export async function loadOnnxBackbone(spec: BackboneSpec, options: OnnxLoadOptions): Promise<OnnxFeatureExtractor> {
  if (!onnxSupports(spec)) throw new Error(`${spec.id} has no ONNX conversion; only the built-in Keras backbones do`);
  const builtin = BUILTIN_BACKBONES[spec.source];
  const file = await ensureBuiltinOnnx(spec.source, options.cacheDir);
  const ort = await loadOnnxRuntime();
  const { session, engine } = await openOnnxSession(file.path, options);
  const size = spec.inputSize;
  const [low, high] = spec.range;
  const toInput = (pixels: Uint8Array | Float32Array, n: number) => {
    if (pixels.length !== n * size * size * 3)
      throw new Error(`${spec.id}: expected ${n} images of ${size}×${size}×3 values (${n * size * size * 3}), got ${pixels.length}`);
    return { input: new ort.Tensor('float32', pixels instanceof Float32Array ? pixels : scaled(pixels), [n, size, size, 3]) };
  };
  // Same arithmetic as zoo.ts: byte · (high − low)/255 + low (a plain loop: Float32Array.from with a callback took 20× longer, 0.4 s a batch of 32 at 224).
  const scale = (high - low) / 255;
  const scaled = (pixels: Uint8Array) => {
    const data = new Float32Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) data[i] = pixels[i] * scale + low;
    return data;
  };

  const base = baseCacheKey(spec);
  const main = pooledOutputName(builtin.cutLayer);
  // One blank image tells the activation shapes at this input size.
  const probe = await session.run(toInput(new Uint8Array(size * size * 3), 1)).catch(async (error: unknown) => {
    await session.release();
    throw error;
  });
  const pooledTaps = builtinTaps(spec.source);
  const taps: OnnxTap[] = session.outputNames.map((output) => {
    const shape = probe[output].dims.slice(1);
    const tap = pooledTaps.find((t) => pooledOutputName(pooledTapName(t.layer, t.pooling)) === output);
    const pooled = file.request.pooled.find((layer) => pooledOutputName(layer) === output);
    const kind = tap ? tap.pooling : pooled ? 'pooled' : 'activations';
    const layer = tap?.layer ?? pooled ?? file.request.activations!.find((l) => activationsOutputName(l) === output)!;
    const cacheKey = output === main ? base : `${base}|${kind}:${layer}`;
    return { layer, kind, output, shape, dim: shape.reduce((a, b) => a * b, 1), cacheKey };
  });
  for (const tensor of Object.values(probe)) tensor.dispose();

  const embedTaps = async (pixels: Uint8Array | Float32Array, n: number, outputs = session.outputNames as string[]) => {
    const results = await session.run(toInput(pixels, n), outputs);
    const features: Record<string, Float32Array> = {};
    for (const name of outputs) features[name] = results[name].data as Float32Array;
    return features;
  };
  return {
    spec,
    displayName: `${builtin.displayName} @${size}`,
    featureDim: taps.find((t) => t.output === main)!.dim,
    params: file.params,
    cacheKey: base,
    engine,
    taps,
    embed: async (pixels, n) => (await embedTaps(pixels, n, [main]))[main],
    embedTaps,
    layersModel: null,
    topology: null,
    dispose: () => session.release(),
  };
}
