/**
 * Loading a frozen backbone for the run's inference engine.
 *
 * On ONNX Runtime, a built-in backbone is its converted ONNX file (onnx/builtin.ts) for the
 * embeddings and the activations at the fine-tune cut, beside its TF.js model, which the export
 * fuses and fine-tuning splits its top from. A user `.onnx` backbone runs on ONNX Runtime only,
 * with the spec's layout, value range, mean/std and output (pooled by global average when 4-D).
 * HOG and user TF.js models stay on TF.js (the small CNN trains on ORT, but that is
 * training/small-cnn-ort.ts). Cache keys name the engine and the converter version, so
 * vectors of the two engines never mix.
 */
import { readFile } from 'node:fs/promises';
import onnxProto from 'onnx-proto';
import { loadBackbone, tapPooling, type BackboneSpec, type Embedder, type FeatureExtractor, type LoadContext, type OrtEmbedding } from '../backbones/zoo.js';
import { loadModelSource, type OnnxModelSource } from '../backbones/source.js';
import { InputError } from '../errors.js';
import { CONVERTER_VERSION } from '../onnx/convert.js';
import { loadOnnxBackbone, onnxSupports, type OnnxFeatureExtractor, type OnnxTap } from '../onnx/extractor.js';
import { loadOnnxRuntime, openOnnxSession } from '../onnx/session.js';
import type { InferenceEngine } from './choose.js';
import { DECODING_KEY } from '../dataset/decode.js';

/** Bumped when the user-model preprocessing or pooling here changes, so cached vectors are recomputed. */
const USER_ONNX_VERSION = 1;

/**
 * Pixels per batch on ONNX Runtime (8 images at 224 px, 4 at 299). A fresh session pays for
 * the first touch of its activation memory on its first batches, and on this kind of VM that
 * is slow: MobileNetV2@224 took 690 ms for a first batch of 32 and 140–170 ms for one of 8,
 * while later images cost the same at 8 as at 32 (about 3.6 ms each on 2 cores; InceptionV3@299
 * 31–32 ms at 4 against 35 at 32). Smaller batches start sooner and hold less memory.
 */
export const ORT_BATCH_PIXELS = 8 * 224 * 224;

/** Images per batch on ONNX Runtime at `size` px: ORT_BATCH_PIXELS' worth, from 1 to 32. */
export function ortBatchSize(size: number): number {
  return Math.min(32, Math.max(1, Math.floor(ORT_BATCH_PIXELS / (size * size))));
}

/** Loads `spec` for the run's engine. */
export async function loadRunBackbone(spec: BackboneSpec, engine: InferenceEngine, context: LoadContext): Promise<FeatureExtractor> {
  if (spec.onnx) {
    if (!engine.onnx) {
      const why = engine.skipped.find((s) => s.engine === 'onnxruntime')?.reason ?? 'ONNX Runtime is not in use';
      throw new InputError(
        `Backbone "${spec.id}" is an ONNX model and needs ONNX Runtime, which this run does not use (${why}). Use engine auto or onnx on a machine where onnxruntime-node loads, or a TF.js model.json.`,
        spec.id,
      );
    }
    const source = await loadModelSource(spec.source, context.cacheDir, { sha256: spec.sha256, ca: context.ca });
    if (source.kind !== 'onnx') throw new Error(`${spec.id}: expected an .onnx file, found a TF.js model`);
    return loadUserOnnx(spec, source, engine.onnx);
  }
  if (engine.onnx && onnxSupports(spec)) return loadBuiltinOnOrt(spec, engine.onnx, context);
  return loadBackbone(spec, context);
}

const keySuffix = `|onnx-converter-v${CONVERTER_VERSION}`;

async function loadBuiltinOnOrt(spec: BackboneSpec, onnx: NonNullable<InferenceEngine['onnx']>, context: LoadContext): Promise<FeatureExtractor> {
  const onOrt = await loadOnnxBackbone(spec, { cacheDir: context.cacheDir, device: onnx.device, threads: onnx.threads, createSession: onnx.createSession });
  let tfjs: FeatureExtractor;
  try {
    tfjs = await loadBackbone(spec, context);
  } catch (error) {
    await onOrt.dispose();
    throw error;
  }
  const cut = onOrt.taps.find((t) => t.kind === 'activations');
  const cutEmbedder: Embedder | null = cut
    ? {
        spec,
        displayName: `${onOrt.displayName} (up to ${cut.layer})`,
        featureDim: cut.dim,
        cacheKey: cut.cacheKey + keySuffix,
        batchSize: ortBatchSize(spec.inputSize),
        embed: async (pixels, n) => (await onOrt.embedTaps(pixels, n, [cut.output]))[cut.output],
      }
    : null;
  const dispose = () => {
    tfjs.dispose();
    void onOrt.dispose();
  };
  if (spec.taps) return { ...tfjs, ort: tapsEmbedding(spec, tfjs.displayName, onOrt), dispose };
  const ort: OrtEmbedding = {
    engine: 'onnxruntime',
    spec,
    displayName: onOrt.displayName,
    featureDim: onOrt.featureDim,
    cacheKey: onOrt.cacheKey + keySuffix,
    batchSize: ortBatchSize(spec.inputSize),
    embed: (pixels, n) => onOrt.embed(pixels, n),
    fineTuneCut: cut && cutEmbedder ? { layer: cut.layer, shape: cut.shape, embedder: cutEmbedder } : null,
  };
  return {
    ...tfjs,
    ort,
    dispose() {
      tfjs.dispose();
      void onOrt.dispose();
    },
  };
}

/**
 * A multi-depth variant on ONNX Runtime: the taps the converted file already emits pooled as
 * the variant reads them, from one run, each cached under its own key. Byproducts of the same
 * run: the plain cut (pooled by the mean), and beside standard-deviation taps the grid tap, so
 * the other variants and the plain candidate find their vectors cached (shard/plan.ts,
 * coveringPass). Not fine-tuned: fine-tuning trains only the top block, which feeds at most one tap.
 */
function tapsEmbedding(spec: BackboneSpec, displayName: string, onOrt: OnnxFeatureExtractor): OrtEmbedding {
  const pooling = tapPooling(spec);
  const taps = spec.taps!.map((layer) => {
    const tap = onOrt.taps.find((t) => t.kind === pooling && t.layer === layer);
    if (!tap) throw new Error(`${spec.id}: the ONNX file has no output at ${layer} pooled by ${pooling}`);
    return tap;
  });
  const featureDim = taps.reduce((sum, t) => sum + t.dim, 0);
  const cut = onOrt.taps.find((t) => t.cacheKey === onOrt.cacheKey)!;
  const others = [cut, ...(pooling === 'std' ? onOrt.taps.filter((t) => t.kind === 'grid') : [])];
  const sideBySideOf = (outputs: OnnxTap[]) => async (pixels: Uint8Array, n: number) =>
    sideBySide(
      await onOrt.embedTaps(
        pixels,
        n,
        outputs.map((t) => t.output),
      ),
      outputs,
      n,
    );
  return {
    engine: 'onnxruntime',
    spec,
    displayName,
    featureDim,
    cacheKey: `${onOrt.cacheKey}|taps:${spec.taps!.join(',')}${keySuffix}`,
    parts: taps.map((t) => ({ cacheKey: t.cacheKey + keySuffix, dim: t.dim })),
    batchSize: ortBatchSize(spec.inputSize),
    embed: sideBySideOf(taps),
    byproducts: { parts: others.map((t) => ({ cacheKey: t.cacheKey + keySuffix, dim: t.dim })), embed: sideBySideOf([...taps, ...others]) },
    fineTuneCut: null,
  };
}

/** Per image: the outputs of `taps` side by side, in order (shallow to deep, as the TF.js model's Concatenate). */
function sideBySide(outputs: Record<string, Float32Array>, taps: OnnxTap[], n: number): Float32Array {
  const width = taps.reduce((sum, t) => sum + t.dim, 0);
  const rows = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    let offset = i * width;
    for (const t of taps) {
      rows.set(outputs[t.output].subarray(i * t.dim, (i + 1) * t.dim), offset);
      offset += t.dim;
    }
  }
  return rows;
}

/** Weights in the file's initializers: the backbone's size for the leaderboard and the tie-break. */
async function countOnnxParams(file: string): Promise<number> {
  const model = onnxProto.onnx.ModelProto.decode(await readFile(file));
  return (model.graph?.initializer ?? []).reduce((sum, t) => sum + (t.dims ?? []).reduce((p: number, d) => p * Number(d), 1), 0);
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();

async function loadUserOnnx(spec: BackboneSpec, source: OnnxModelSource, onnx: NonNullable<InferenceEngine['onnx']>): Promise<FeatureExtractor> {
  const input = spec.onnx!;
  const ort = await loadOnnxRuntime();
  let opened: Awaited<ReturnType<typeof openOnnxSession>>;
  try {
    opened = await openOnnxSession(source.file, { device: onnx.device, threads: onnx.threads, createSession: onnx.createSession });
  } catch (error) {
    throw new InputError(`Backbone "${spec.id}": ONNX Runtime could not open the model (${firstLine(error)}). Check that it is a valid .onnx file.`, spec.id);
  }
  const { session } = opened;
  const fail = (message: string): never => {
    void session.release();
    throw new InputError(`Backbone "${spec.id}": ${message}`, spec.id);
  };
  if (session.inputNames.length !== 1)
    fail(`the model takes ${session.inputNames.length} inputs (${session.inputNames.join(', ')}); an image encoder with one image input is needed.`);
  const output = input.output ?? session.outputNames[0];
  if (!session.outputNames.includes(output))
    fail(`the model has no output "${output}"; its outputs are ${session.outputNames.join(', ')}. Name one with output=<name>.`);

  const size = spec.inputSize;
  const [low, high] = spec.range;
  const scale = (high - low) / 255;
  // Per channel: byte → range → (value − mean) / std, laid out as the model wants (a plain loop: fast on big batches).
  const toTensor = (pixels: Uint8Array, n: number) => {
    const plane = size * size;
    const data = new Float32Array(pixels.length);
    for (let image = 0; image < n; image++) {
      const base = image * plane * 3;
      for (let p = 0; p < plane; p++) {
        for (let c = 0; c < 3; c++) {
          const value = (pixels[base + p * 3 + c] * scale + low - input.mean[c]) / input.std[c];
          data[input.layout === 'nhwc' ? base + p * 3 + c : base + c * plane + p] = value;
        }
      }
    }
    const dims = input.layout === 'nhwc' ? [n, size, size, 3] : [n, 3, size, size];
    return { [session.inputNames[0]]: new ort.Tensor('float32', data, dims) };
  };
  const run = async (pixels: Uint8Array, n: number) => {
    const result = await session.run(toTensor(pixels, n), [output]);
    const tensor = result[output];
    return { data: tensor.data as Float32Array, dims: tensor.dims.map(Number) };
  };

  let probe: { data: Float32Array; dims: number[] };
  try {
    probe = await run(new Uint8Array(size * size * 3), 1);
  } catch (error) {
    return fail(
      `ONNX Runtime could not run it on one ${size}×${size} image in ${input.layout.toUpperCase()} (${firstLine(error)}). Check @<size> and layout=.`,
    );
  }
  const rank = probe.dims.length;
  if (rank !== 2 && rank !== 4)
    fail(
      `output "${output}" has ${rank} dimensions (${probe.dims.join('×')}); a feature vector (2) or feature maps (4, pooled) are needed. Name another with output=<name>.`,
    );
  // Feature maps are pooled by global average, channels where the input layout has them.
  const channelsLast = input.layout === 'nhwc';
  const featureDim = rank === 2 ? probe.dims[1] : channelsLast ? probe.dims[3] : probe.dims[1];
  const pool = (data: Float32Array, dims: number[]) => {
    if (dims.length === 2) return data;
    const [n, a, b, c] = dims as [number, number, number, number];
    const out = new Float32Array(n * featureDim);
    const cells = channelsLast ? a * b : b * c;
    for (let i = 0; i < n; i++) {
      for (let cell = 0; cell < cells; cell++) {
        for (let f = 0; f < featureDim; f++) {
          out[i * featureDim + f] += channelsLast ? data[(i * cells + cell) * featureDim + f] : data[(i * featureDim + f) * cells + cell];
        }
      }
      for (let f = 0; f < featureDim; f++) out[i * featureDim + f] /= cells;
    }
    return out;
  };

  const displayName = `${source.displayName} @${size}`;
  const cacheKey = `${source.contentHash}|${size}|${spec.range.join(':')}|${input.layout}|${input.mean.join(':')}|${input.std.join(':')}|${output}|${DECODING_KEY}|ort|user-onnx-v${USER_ONNX_VERSION}`;
  const ortEmbedding: OrtEmbedding = {
    engine: 'onnxruntime',
    spec,
    displayName,
    featureDim,
    cacheKey,
    batchSize: ortBatchSize(size),
    embed: async (pixels, n) => {
      const { data, dims } = await run(pixels, n);
      return pool(data, dims);
    },
    fineTuneCut: null,
  };
  return {
    spec,
    displayName,
    featureDim,
    params: await countOnnxParams(source.file),
    cacheKey,
    embed() {
      throw new Error(`${spec.id} runs on ONNX Runtime only; embed through its ort embedder`);
    },
    layersModel: null,
    topology: null,
    ort: ortEmbedding,
    dispose() {
      void session.release();
    },
  };
}
