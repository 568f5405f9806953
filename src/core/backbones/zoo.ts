/**
 * The backbone zoo: pretrained CNNs that turn an image into an embedding.
 *
 * Built in and offline: the Keras MobileNetV2 (224) and InceptionV3 (299) that the `nsfwjs`
 * package ships inside its JavaScript (loaded from memory), cut at their last conv block with
 * global average pooling; `hog`, training-free gradient histograms (see hog.ts); and
 * `small_cnn`, trained from scratch (see training/small-cnn.ts).
 * User backbones come from a URL or a local model.json; see source.ts.
 *
 * Spec syntax: `name[@size]`; `https://…/model.json@size` or `./path/model.json@size`, then
 * `,range=min:max` and `,sha256=<hex>`; `https://…/encoder.onnx@size` or `./encoder.onnx@size`,
 * which also take `,layout=nchw|nhwc`, `,mean=r:g:b`, `,std=r:g:b` and `,output=<name>`.
 * A built-in followed by `+taps`, `+mid` or `+grid` (`mobilenet_v2@224+taps`) is a multi-depth
 * variant: pooled activations from several depths concatenated, or one middle depth on a grid
 * (see DEPTH_VARIANTS).
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { buildHogModel, HOG, HOG_CELL, HOG_DEFAULT_SIZE, hogCacheKey, hogDisplayName } from './hog.js';
import { cutTopology, appendLayer, tapsTopology, topologyOf, type KerasTopology, type TapPooling } from './keras-topology.js';
import { halfScale, withHalfScaleTaps } from './half-scale.js';
import { loadModelSource, type ModelSource } from './source.js';
import { DECODING_KEY } from '../dataset/decode.js';

export interface BackboneSpec {
  /** Canonical id, e.g. 'mobilenet_v2@224' or 'https://host/model.json@224'. The pin is not part of it. */
  id: string;
  /** Built-in name, or the URL/path of a user model. */
  source: string;
  builtin: boolean;
  inputSize: number;
  /** Value range the network expects its RGB input in (before mean/std, for ONNX models). */
  range: [number, number];
  /** Lower-case hex sha256 the model.json or .onnx file must have (`sha256=`); checked on download and on every cache hit. */
  sha256?: string;
  /** Set for `.onnx` sources: how the network wants its input. */
  onnx?: OnnxInput;
  /**
   * Multi-depth variant (`name@size+taps`, `name@size+mid`, `name@size+grid`; built-ins only):
   * the pooled activations of these layers, shallow to deep, concatenated into one embedding.
   */
  taps?: string[];
  /** Which multi-depth variant `taps` is: the suffix of the id. */
  variant?: DepthVariant;
}

export interface OnnxInput {
  /** `nchw` (PyTorch exports, the default) or `nhwc` (TensorFlow exports). */
  layout: 'nchw' | 'nhwc';
  /** Per-channel mean subtracted after scaling to `range`, e.g. ImageNet's 0.485:0.456:0.406. Default 0:0:0. */
  mean: [number, number, number];
  /** Per-channel divisor applied after the mean. Default 1:1:1. */
  std: [number, number, number];
  /** Name of the output to embed with (pooled when 4-D). Default: the model's first output. */
  output?: string;
}

export interface BuiltinBackbone {
  displayName: string;
  defaultSize: number;
  minSize: number;
  cutLayer: string;
  /** Where the trainable top starts when fine-tuning: the output of the block below it. */
  fineTuneCut: string;
  /** Folder name inside nsfwjs/dist/models. */
  nsfwjsModel: string;
  /** Layers whose pooled activations the `+taps` variant concatenates, shallow to deep; the last is `cutLayer`. */
  taps: string[];
  /** The middle layer the `+grid` variant reads on its grid (at two scales), or null where there is none (its grid would be too wide). */
  gridTap: string | null;
}

export const BUILTIN_BACKBONES: Record<string, BuiltinBackbone> = {
  mobilenet_v2: {
    displayName: 'MobileNetV2',
    defaultSize: 224,
    minSize: 32,
    cutLayer: 'out_relu',
    fineTuneCut: 'block_15_add',
    nsfwjsModel: 'mobilenet_v2',
    taps: ['block_13_expand_relu', 'block_16_expand_relu', 'out_relu'],
    // The output of block 9 (64 channels at 14 × 14 for 224 px): on Fashion-MNIST as good on the
    // grid as the wider layers around it (block_10_expand_relu, 384 channels: 87.4% against 87.2%)
    // at a sixth of the width, 3,136 features; the grid variant reads it at half scale too (1,024 more).
    gridTap: 'block_9_add',
  },
  inception_v3: {
    displayName: 'InceptionV3',
    defaultSize: 299,
    minSize: 75,
    cutLayer: 'mixed10',
    fineTuneCut: 'mixed9',
    nsfwjsModel: 'inception_v3',
    taps: ['mixed7', 'mixed9', 'mixed10'],
    // Its middle layers are 288–768 channels on 35 × 35 to 17 × 17 maps: 80,000 features or more on a grid.
    gridTap: null,
  },
};

/** Suffix of the multi-depth variant of a built-in backbone that reads every tap, e.g. `mobilenet_v2@224+taps`. */
export const TAPS_SUFFIX = '+taps';
/** Suffix of the variant that reads the middle taps only, e.g. `mobilenet_v2@224+mid`. */
export const MID_SUFFIX = '+mid';
/** Suffix of the variant that reads one middle depth on a grid, e.g. `mobilenet_v2@224+grid`. */
export const GRID_SUFFIX = '+grid';

export type DepthVariant = typeof TAPS_SUFFIX | typeof MID_SUFFIX | typeof GRID_SUFFIX;

/**
 * The multi-depth variants, by suffix: which of BuiltinBackbone.taps each reads. Mid-level
 * features transfer better than the last layers of a network trained for another task (the
 * built-ins were trained to detect NSFW images): `+taps` keeps the last block beside the middle
 * ones, `+mid` leaves it out; each of their taps is pooled by its standard deviation over the
 * image, not by the mean (why: keras-topology.ts, stdPoolLayers). `+grid` keeps one middle
 * depth on a coarse grid, so where each feature is counts (keras-topology.ts, gridPoolLayers),
 * read on the image and on the image at half its side (half-scale.ts).
 */
export const DEPTH_VARIANTS: Record<
  DepthVariant,
  { words: string; pooling: TapPooling; taps(builtin: BuiltinBackbone): string[]; depthWords(count: number): string }
> = {
  [TAPS_SUFFIX]: {
    words: 'features from several depths, each pooled by its standard deviation over the image, the last block included',
    pooling: 'std',
    taps: (builtin) => [...builtin.taps],
    depthWords: (count) => `${count} depths`,
  },
  [MID_SUFFIX]: {
    words: 'features from the middle depths, each pooled by its standard deviation over the image, without the last block',
    pooling: 'std',
    taps: (builtin) => builtin.taps.filter((layer) => layer !== builtin.cutLayer),
    depthWords: (count) => `${count} middle depths`,
  },
  [GRID_SUFFIX]: {
    words: 'features from a middle depth kept on a grid over the image, so where each one is counts, at the image size and at half of it',
    pooling: 'grid',
    taps: (builtin) => (builtin.gridTap ? [builtin.gridTap, halfScale(builtin.gridTap)] : []),
    depthWords: () => 'a middle depth on a grid at two scales',
  },
};

/** How `spec`'s taps are pooled (a multi-depth variant's). */
export function tapPooling(spec: BackboneSpec): TapPooling {
  return DEPTH_VARIANTS[spec.variant ?? TAPS_SUFFIX].pooling;
}

/** The same backbone at another input size, variant kept. */
export function atInputSize(spec: BackboneSpec, size: number): BackboneSpec {
  return parseBackboneSpec(`${spec.source}@${size}${spec.variant ?? ''}`);
}

/** The from-scratch candidate: not a pretrained backbone but ranked alongside them. */
export const SMALL_CNN = 'small_cnn';
export const SMALL_CNN_DEFAULT_SIZE = 32;

export const BACKBONE_NAMES = [...Object.keys(BUILTIN_BACKBONES), HOG, SMALL_CNN];

/**
 * The default bake-off, sized to the data when the typical image side is known.
 * InceptionV3 is 20× the compute of MobileNetV2: on TF.js only worth it with a native backend.
 * On ONNX Runtime (about 9× TF.js WASM per core) both pretrained backbones run at their native
 * input size; the run then shrinks or drops them if its budget cannot pay (engine/cost.ts).
 */
export function autoBackbones(nativeBackend: boolean, typicalSide?: number | null, engine: 'onnxruntime' | 'tfjs' = 'tfjs'): string[] {
  const mobilenetSize = !typicalSide || typicalSide >= 192 ? 224 : typicalSide >= 112 ? 160 : 96;
  const cnnSize = typicalSide && typicalSide < SMALL_CNN_DEFAULT_SIZE ? Math.max(16, typicalSide) : SMALL_CNN_DEFAULT_SIZE;
  // HOG looks at 4-pixel cells: the image's own size up to 64 (16 × 16 cells) keeps its detail.
  const hogSize = typicalSide ? Math.min(64, Math.max(16, typicalSide - (typicalSide % HOG_CELL))) : HOG_DEFAULT_SIZE;
  const names = [`mobilenet_v2@${mobilenetSize}`, `${HOG}@${hogSize}`, `${SMALL_CNN}@${cnnSize}`];
  // The multi-depth variants come first: the `+taps` pass on ONNX Runtime caches every tap, so `+mid` and the plain cut after it cost no embedding.
  // `+mid` leaves out the last block, the most task-specific part of a network trained for another task: on the cross-source benchmark it transfers best.
  // HOG (a second to embed) goes before InceptionV3: each candidate gets an equal share of what is left, so it keeps enough for its cross-validation.
  // InceptionV3 at its middle depths too (same pass, same cost): on Fashion-MNIST 83.1% on validation against 75.3% for the plain cut.
  // `+grid` (from the same pass too) for images where the position of things says what they are.
  if (engine === 'onnxruntime') {
    const mobilenet = `mobilenet_v2@${BUILTIN_BACKBONES.mobilenet_v2.defaultSize}`;
    return [
      `${mobilenet}${TAPS_SUFFIX}`,
      `${mobilenet}${MID_SUFFIX}`,
      mobilenet,
      `${mobilenet}${GRID_SUFFIX}`,
      names[1],
      `inception_v3@${BUILTIN_BACKBONES.inception_v3.defaultSize}${MID_SUFFIX}`,
      names[2],
    ];
  }
  // On TF.js each variant costs a pass of its own, so MobileNetV2 comes once: at its middle depths, which
  // transferred best (cross-source on the WASM path: 94.5% on the other source, 88.1% with the plain cut).
  const mid = [`${names[0]}${MID_SUFFIX}`, ...names.slice(1)];
  return nativeBackend ? [mid[0], `inception_v3@${!typicalSide || typicalSide >= 192 ? 299 : 160}`, ...mid.slice(1)] : mid;
}

function validNamesHint(): string {
  return `Valid backbones: ${BACKBONE_NAMES.join(', ')}, auto, an https:// URL of a TF.js model.json or an .onnx file, or a local path to either (optionally with @<input size>, e.g. mobilenet_v2@160).`;
}

/** Options each kind of user model takes after its size, in the order the canonical id lists them. */
const TFJS_OPTIONS = ['range', 'sha256'] as const;
const ONNX_OPTIONS = ['range', 'layout', 'mean', 'std', 'output', 'sha256'] as const;

/** Splits trailing `,key=value` options off a spec; keys are lower-cased, each may appear once. */
function splitOptions(text: string, rest: string): { rest: string; options: Map<string, string> } {
  const options = new Map<string, string>();
  for (let match = /,([a-z0-9_]+)=([^,]*)$/i.exec(rest); match; match = /,([a-z0-9_]+)=([^,]*)$/i.exec(rest)) {
    const key = match[1].toLowerCase();
    if (options.has(key)) throw new InputError(`Backbone "${text}": ${key}= is given twice.`, text);
    options.set(key, match[2].trim());
    rest = rest.slice(0, match.index);
  }
  return { rest, options };
}

function numberList(text: string, key: string, value: string, count: number, example: string): number[] {
  const parts = value.split(':');
  const numbers = parts.map((p) => (/^-?\d+(?:\.\d+)?$/.test(p.trim()) ? Number(p) : Number.NaN));
  if (parts.length !== count || numbers.some((n) => !Number.isFinite(n))) {
    throw new InputError(`Backbone "${text}": ${key} must be ${count} numbers separated by ":", e.g. ${key}=${example}.`, text);
  }
  return numbers;
}

/** Reads a user model's options; `canonical` is the id's suffix, in a fixed order. */
function userModelOptions(
  text: string,
  options: Map<string, string>,
  onnx: boolean,
): { range: [number, number]; sha256?: string; onnx?: OnnxInput; canonical: string } {
  const allowed: readonly string[] = onnx ? ONNX_OPTIONS : TFJS_OPTIONS;
  for (const key of options.keys()) {
    if (!allowed.includes(key)) {
      throw new InputError(
        `Backbone "${text}": unknown option "${key}=". ${onnx ? 'ONNX models' : 'TF.js models'} take ${allowed.map((k) => `${k}=`).join(', ')}.`,
        text,
      );
    }
  }
  let range: [number, number] = [0, 1];
  const rangeText = options.get('range');
  if (rangeText !== undefined) {
    const [low, high] = numberList(text, 'range', rangeText, 2, '-1:1');
    range = [low, high];
    if (!(range[1] > range[0])) throw new InputError(`Backbone "${text}": range must be min:max with max above min, e.g. range=0:1 or range=-1:1.`, text);
  }
  let sha256: string | undefined;
  const pin = options.get('sha256');
  if (pin !== undefined) {
    if (!/^[0-9a-f]{64}$/i.test(pin))
      throw new InputError(`Backbone "${text}": sha256 must be 64 hex digits (the output of "sha256sum ${onnx ? 'model.onnx' : 'model.json'}").`, text);
    sha256 = pin.toLowerCase();
  }
  let canonical = rangeText !== undefined ? `,range=${range[0]}:${range[1]}` : '';
  if (!onnx) return { range, sha256, canonical };

  const layout = (options.get('layout') ?? 'nchw').toLowerCase();
  if (layout !== 'nchw' && layout !== 'nhwc')
    throw new InputError(`Backbone "${text}": layout must be nchw (PyTorch exports) or nhwc (TensorFlow exports), got "${options.get('layout')}".`, text);
  const mean = options.has('mean')
    ? (numberList(text, 'mean', options.get('mean')!, 3, '0.485:0.456:0.406') as [number, number, number])
    : ([0, 0, 0] as [number, number, number]);
  const std = options.has('std')
    ? (numberList(text, 'std', options.get('std')!, 3, '0.229:0.224:0.225') as [number, number, number])
    : ([1, 1, 1] as [number, number, number]);
  if (std.some((s) => !(s > 0))) throw new InputError(`Backbone "${text}": every std value must be above 0, e.g. std=0.229:0.224:0.225.`, text);
  const output = options.get('output');
  if (output !== undefined && !/^[^\s,]+$/.test(output))
    throw new InputError(`Backbone "${text}": output= must name one of the model's outputs, e.g. output=pooler_output.`, text);
  if (options.has('layout')) canonical += `,layout=${layout}`;
  if (options.has('mean')) canonical += `,mean=${mean.join(':')}`;
  if (options.has('std')) canonical += `,std=${std.join(':')}`;
  if (output !== undefined) canonical += `,output=${output}`;
  return { range, sha256, canonical, onnx: { layout, mean, std, ...(output !== undefined ? { output } : {}) } };
}

export function parseBackboneSpec(text: string): BackboneSpec {
  const trimmed = text.trim();
  for (const variant of Object.keys(DEPTH_VARIANTS) as DepthVariant[])
    if (trimmed.toLowerCase().endsWith(variant)) return depthVariant(text, variant, parseBackboneSpec(trimmed.slice(0, -variant.length)));
  const { rest: withSize, options } = splitOptions(text, trimmed);
  let rest = withSize;
  let size: number | undefined;
  const sizeMatch = /@(\d+)$/.exec(rest);
  if (sizeMatch) {
    size = Number(sizeMatch[1]);
    rest = rest.slice(0, sizeMatch.index);
  } else if (/@[^/]*$/.test(rest) && !/^https?:/.test(rest)) {
    throw new InputError(`Backbone "${text}": the part after @ must be an input size in pixels, e.g. mobilenet_v2@160.`, text);
  }
  const name = rest.toLowerCase();
  const builtinNamed = name === SMALL_CNN || name === HOG || BUILTIN_BACKBONES[name];
  if (builtinNamed && options.size > 0) {
    throw new InputError(`Backbone "${text}": options such as ${[...options.keys()][0]}= are for user models; ${name} takes only @<input size>.`, text);
  }
  if (name === SMALL_CNN) {
    const inputSize = size ?? SMALL_CNN_DEFAULT_SIZE;
    if (inputSize < 8 || inputSize > 128) throw new InputError(`Backbone "${text}": small_cnn input size must be between 8 and 128 pixels.`, text);
    return { id: `${SMALL_CNN}@${inputSize}`, source: SMALL_CNN, builtin: true, inputSize, range: [0, 1] };
  }
  if (name === HOG) {
    const inputSize = size ?? HOG_DEFAULT_SIZE;
    if (inputSize < 8 || inputSize > 256) throw new InputError(`Backbone "${text}": hog input size must be between 8 and 256 pixels.`, text);
    return { id: `${HOG}@${inputSize}`, source: HOG, builtin: true, inputSize, range: [0, 1] };
  }
  const builtin = BUILTIN_BACKBONES[name];
  if (builtin) {
    const inputSize = size ?? builtin.defaultSize;
    if (inputSize < builtin.minSize || inputSize > 1024) {
      throw new InputError(`Backbone "${text}": ${name} needs an input size between ${builtin.minSize} and 1024 pixels.`, text);
    }
    return { id: `${name}@${inputSize}`, source: name, builtin: true, inputSize, range: [0, 1] };
  }
  const userModelSize = (example: string) => {
    if (size === undefined)
      throw new InputError(
        `Backbone "${text}": say the model's input size, e.g. ${example}@224 (and its value range if not 0–1, e.g. ${example}@224,range=-1:1).`,
        text,
      );
    if (size < 8 || size > 1024) throw new InputError(`Backbone "${text}": the input size must be between 8 and 1024 pixels, got ${size}.`, text);
    return size;
  };
  const userModel = (source: string, onnx: boolean): BackboneSpec => {
    const inputSize = userModelSize(rest);
    const parsed = userModelOptions(text, options, onnx);
    return {
      id: `${source}@${inputSize}${parsed.canonical}`,
      source,
      builtin: false,
      inputSize,
      range: parsed.range,
      ...(parsed.sha256 ? { sha256: parsed.sha256 } : {}),
      ...(parsed.onnx ? { onnx: parsed.onnx } : {}),
    };
  };
  // Anything with a scheme is a URL (a Windows drive letter is not a scheme).
  if (/^[a-z][a-z0-9+.-]+:/i.test(rest)) {
    let url: URL;
    try {
      url = new URL(rest);
    } catch {
      throw new InputError(`Backbone "${text}" is not a valid URL. ${validNamesHint()}`, text);
    }
    if (url.protocol === 'http:')
      throw new InputError(`Backbone "${text}": plain http:// is refused (anyone on the way could swap the weights); use https://.`, text);
    if (url.protocol !== 'https:') throw new InputError(`Backbone "${text}": only https:// URLs are supported. ${validNamesHint()}`, text);
    if (!/^https:\/\/[^/]/i.test(rest)) throw new InputError(`Backbone "${text}" is not a valid URL: write it as https://host/path/model.json.`, text);
    // The id ends up in logs, result.json and the report: never let a password ride along.
    if (url.username || url.password)
      throw new InputError(
        `Backbone URL "${url.protocol}//${url.host}${url.pathname}" contains credentials; they would end up in logs and reports. Use a URL that needs none, or download the model and give its local path.`,
        url.host,
      );
    return userModel(url.href, /\.onnx$/i.test(url.pathname));
  }
  if (/\.onnx$/i.test(rest)) return userModel(rest, true);
  if (rest.endsWith('.json') || rest.includes('/')) return userModel(rest, false);
  throw new InputError(`Unknown backbone "${text}". ${validNamesHint()}`, text);
}

/** A multi-depth variant of a parsed built-in backbone spec. */
function depthVariant(text: string, variant: DepthVariant, base: BackboneSpec): BackboneSpec {
  const builtin = BUILTIN_BACKBONES[base.source];
  const taps = builtin && !base.taps ? DEPTH_VARIANTS[variant].taps(builtin) : [];
  if (taps.length === 0)
    throw new InputError(
      `Backbone "${text}": ${variant} (${DEPTH_VARIANTS[variant].words}) is for the pretrained built-ins: ${Object.keys(BUILTIN_BACKBONES)
        .filter((n) => DEPTH_VARIANTS[variant].taps(BUILTIN_BACKBONES[n]).length > 0)
        .map((n) => `${n}${variant}`)
        .join(', ')}.`,
      text,
    );
  return { ...base, id: `${base.id}${variant}`, taps, variant };
}

/** What embedding needs of a backbone: batches of RGB bytes in, vectors out, under one cache key. */
export interface Embedder {
  spec: BackboneSpec;
  displayName: string;
  featureDim: number;
  /** Identifies the weights, preprocessing and engine; part of every embedding cache key. */
  cacheKey: string;
  /** Embeds n images given as RGB bytes (n × size × size × 3). */
  embed(pixels: Uint8Array, n: number): Float32Array | Promise<Float32Array>;
  /** Images per batch its engine runs best at (ONNX Runtime's); unset: TF.js's (embeddings/extract.ts). */
  batchSize?: number;
  /**
   * Set when the vector is several taps concatenated, each cached under its own key, so a
   * candidate that needs one of them (the plain cut) finds it cached. Dims sum to featureDim.
   */
  parts?: { cacheKey: string; dim: number }[];
  /**
   * Vectors the same pass can compute for other candidates (the plain cut beside a multi-depth
   * variant on ONNX Runtime), each cached under its own key. Not part of the features:
   * extract.ts embeds with `embed`, which returns each image's features followed by these.
   */
  byproducts?: { parts: { cacheKey: string; dim: number }[]; embed(pixels: Uint8Array, n: number): Promise<Float32Array> };
}

/** A backbone's embeddings computed by ONNX Runtime (see engine/onnx-backbone.ts). */
export interface OrtEmbedding extends Embedder {
  engine: 'onnxruntime';
  embed(pixels: Uint8Array, n: number): Promise<Float32Array>;
  /** Raw activations at the fine-tune cut (built-in backbones): what fine-tuning trains its top on. */
  fineTuneCut: { layer: string; shape: number[]; embedder: Embedder } | null;
}

export interface FeatureExtractor {
  spec: BackboneSpec;
  displayName: string;
  featureDim: number;
  params: number;
  /** Identifies the weights and preprocessing; part of every embedding cache key. */
  cacheKey: string;
  /** Embeds n images given as RGB bytes (n × size × size × 3). Owns no tensors afterwards. */
  embed(pixels: Uint8Array, n: number): Float32Array;
  /** The layers model (input in `range`, output the pooled features) when it can be fused for export. */
  layersModel: tf.LayersModel | null;
  /** Its Keras topology, for building the fused export. */
  topology: KerasTopology | null;
  /** For user models: the folder holding their model.json and weights (the export copies it). */
  sourceDir?: string;
  /**
   * Set when ONNX Runtime computes this backbone's embeddings: the run embeds through it, while
   * `layersModel` and `topology` (TF.js) still serve the export and fine-tuning's top.
   */
  ort?: OrtEmbedding;
  dispose(): void;
}

/** What a run embeds with: ONNX Runtime when the backbone has it, else the TF.js model. */
export function embedderOf(extractor: FeatureExtractor): Embedder {
  return extractor.ort ?? extractor;
}

const require = createRequire(import.meta.url);

/** nsfwjs ships its models as UMD bundles of JSON and base64; its package exports hide them, so resolve by path. */
function nsfwjsModelFiles(model: string): { topology: { modelTopology: KerasTopology; weightsManifest: tf.io.WeightsManifestConfig }; weights: ArrayBuffer } {
  const distDir = join(dirname(require.resolve('nsfwjs')), '..', 'models', model);
  const topology = require(join(distDir, 'model.min.js')) as { modelTopology: KerasTopology; weightsManifest: tf.io.WeightsManifestConfig };
  const buffers: Buffer[] = [];
  for (const path of topology.weightsManifest.flatMap((g) => g.paths)) {
    buffers.push(Buffer.from(require(join(distDir, `${path}.min.js`)) as string, 'base64'));
  }
  const all = Buffer.concat(buffers);
  return { topology, weights: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
}

async function layersExtractor(
  spec: BackboneSpec,
  displayName: string,
  topology: KerasTopology,
  weightSpecs: tf.io.WeightsManifestEntry[],
  weightData: ArrayBuffer,
  cacheKey: string,
): Promise<FeatureExtractor> {
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology as unknown as object, weightSpecs, weightData }), { strict: false });
  const outputRank = (model.outputs[0].shape as number[]).length;
  const functional = Boolean(topology.model_config?.config?.output_layers);
  if (outputRank === 4 && functional) {
    // Feature maps: pool them into a vector, in the model JSON itself so the export has it too.
    model.dispose();
    appendLayer(topology, 'GlobalAveragePooling2D', 'backbone_pool', { data_format: 'channels_last' });
    return layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey);
  }
  if (outputRank === 4) {
    // A Sequential model: pool on top in memory; the export then keeps backbone and head apart.
    const pooled = tf.model({ inputs: model.inputs, outputs: tf.layers.globalAveragePooling2d({}).apply(model.outputs[0]) as tf.SymbolicTensor });
    return fromLayersModel(spec, displayName, pooled, null, cacheKey);
  }
  if (outputRank !== 2)
    throw new InputError(`Backbone "${spec.id}" outputs rank-${outputRank} tensors; a feature vector (rank 2) or feature maps (rank 4) are needed.`, spec.id);
  return fromLayersModel(spec, displayName, model, functional ? topology : null, cacheKey);
}

export function fromLayersModel(
  spec: BackboneSpec,
  displayName: string,
  model: tf.LayersModel,
  topology: KerasTopology | null,
  cacheKey: string,
): FeatureExtractor {
  const [low, high] = spec.range;
  const featureDim = model.outputs[0].shape[1] as number;
  return {
    spec,
    displayName,
    featureDim,
    params: model.countParams(),
    cacheKey,
    layersModel: model,
    topology,
    embed(pixels, n) {
      return tf.tidy(() => {
        const x = tf
          .tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], 'int32')
          .toFloat()
          .mul((high - low) / 255)
          .add(low);
        return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
      });
    },
    dispose: () => model.dispose(),
  };
}

function fromGraphModel(spec: BackboneSpec, displayName: string, model: tf.GraphModel, cacheKey: string): FeatureExtractor {
  const [low, high] = spec.range;
  const probe = tf.tidy(() => model.predict(tf.zeros([1, spec.inputSize, spec.inputSize, 3])) as tf.Tensor);
  const shape = probe.shape;
  probe.dispose();
  const pool = shape.length === 4;
  return {
    spec,
    displayName,
    featureDim: (pool ? shape[3] : shape[1]) as number,
    params: Object.values(model.weights).reduce((sum, list) => sum + list.reduce((s, t) => s + t.size, 0), 0),
    cacheKey,
    layersModel: null,
    topology: null,
    embed(pixels, n) {
      return tf.tidy(() => {
        const x = tf
          .tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], 'int32')
          .toFloat()
          .mul((high - low) / 255)
          .add(low);
        let y = model.predict(x) as tf.Tensor;
        if (pool) y = y.mean([1, 2]);
        return y.dataSync() as Float32Array;
      });
    },
    dispose: () => model.dispose(),
  };
}

export interface LoadContext {
  /** Folder for downloaded models. */
  cacheDir: string;
  /** Certificate authorities trusted for https downloads instead of Node's bundled ones (tests). */
  ca?: string | Buffer;
}

/** What a multi-depth spec reads, e.g. "3 depths", "2 middle depths" or "a middle depth on a grid at two scales". */
export function depthWordsOf(spec: BackboneSpec): string {
  return DEPTH_VARIANTS[spec.variant ?? TAPS_SUFFIX].depthWords(spec.taps?.length ?? 0);
}

/** E.g. "MobileNetV2 @224, 3 depths", "MobileNetV2 @224, 2 middle depths" or "MobileNetV2 @224, a middle depth on a grid at two scales". */
export function tapsDisplayName(name: string, spec: BackboneSpec): string {
  return `${name} @${spec.inputSize}, ${depthWordsOf(spec)}`;
}

export async function loadBackbone(spec: BackboneSpec, context: LoadContext): Promise<FeatureExtractor> {
  if (spec.source === HOG) {
    const model = buildHogModel(spec.inputSize);
    return fromLayersModel(spec, hogDisplayName(spec.inputSize), model, topologyOf(model), hogCacheKey(spec.inputSize));
  }
  if (spec.builtin) {
    const builtin = BUILTIN_BACKBONES[spec.source];
    if (!builtin) throw new Error(`${spec.id} is not a pretrained backbone`);
    const files = nsfwjsModelFiles(builtin.nsfwjsModel);
    const specs = files.topology.weightsManifest.flatMap((g) => g.weights);
    const key = `nsfwjs-${builtin.nsfwjsModel}-v1|${spec.inputSize}|${spec.range.join(':')}|${DECODING_KEY}`;
    if (spec.taps) {
      const pooling = tapPooling(spec);
      const model = withHalfScaleTaps({ topology: files.topology.modelTopology, weightSpecs: specs, weightData: files.weights }, spec.taps);
      const topology = tapsTopology(model.topology, spec.taps, spec.inputSize, pooling);
      const name = tapsDisplayName(builtin.displayName, spec);
      return layersExtractor(spec, name, topology, model.weightSpecs, model.weightData, `${key}|${pooling}-taps:${spec.taps.join(',')}`);
    }
    const topology = cutTopology(files.topology.modelTopology, builtin.cutLayer, spec.inputSize);
    return layersExtractor(spec, `${builtin.displayName} @${spec.inputSize}`, topology, specs, files.weights, key);
  }
  const source: ModelSource = await loadModelSource(spec.source, context.cacheDir, { sha256: spec.sha256, ca: context.ca });
  if (source.kind === 'onnx') {
    // train() loads ONNX models through engine/onnx-backbone.ts; TF.js alone cannot run them.
    throw new InputError(`Backbone "${spec.id}" is an ONNX model, which TF.js cannot run; it needs ONNX Runtime (engine auto or onnx).`, spec.id);
  }
  const cacheKey = `${source.contentHash}|${spec.inputSize}|${spec.range.join(':')}|${DECODING_KEY}`;
  const displayName = `${source.displayName} @${spec.inputSize}`;
  if (source.kind === 'graph') {
    const model = await tf.loadGraphModel(tf.io.fromMemory(source.artifacts));
    return { ...fromGraphModel(spec, displayName, model, cacheKey), sourceDir: source.dir };
  }
  const topology = structuredClone(source.artifacts.modelTopology) as KerasTopology;
  // Functional (Keras) and Sequential (tfjs save) topologies keep their layers in different places.
  const loose = topology as unknown as { config?: { layers?: KerasTopology['model_config']['config']['layers'] } };
  const inputLayer = (topology.model_config?.config?.layers ?? loose.config?.layers)?.[0];
  if (inputLayer?.config && Array.isArray(inputLayer.config.batch_input_shape)) {
    inputLayer.config.batch_input_shape = [null, spec.inputSize, spec.inputSize, 3];
  }
  const extractor = await layersExtractor(
    spec,
    displayName,
    topology,
    source.artifacts.weightSpecs ?? [],
    source.artifacts.weightData as ArrayBuffer,
    cacheKey,
  );
  return { ...extractor, sourceDir: source.dir };
}
