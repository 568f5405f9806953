/**
 * The backbone zoo: pretrained CNNs that turn an image into an embedding.
 *
 * Built in and offline: the Keras MobileNetV2 (224) and InceptionV3 (299) that the `nsfwjs`
 * package ships inside its JavaScript (loaded from memory), cut at their last conv block with
 * global average pooling; `hog`, training-free gradient histograms (see hog.ts); and
 * `small_cnn`, trained from scratch (see training/small-cnn.ts).
 * User backbones come from a URL or a local model.json; see source.ts.
 *
 * Spec syntax: `name[@size]`, `https://…/model.json[@size][,range=min:max]`, `./path/model.json[@size]`.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { buildHogModel, HOG, HOG_CELL, HOG_DEFAULT_SIZE, hogCacheKey, hogDisplayName } from './hog.js';
import { cutTopology, appendLayer, topologyOf, type KerasTopology } from './keras-topology.js';
import { loadModelSource, type ModelSource } from './source.js';

export interface BackboneSpec {
  /** Canonical id, e.g. 'mobilenet_v2@224' or 'https://host/model.json@224'. */
  id: string;
  /** Built-in name, or the URL/path of a user model. */
  source: string;
  builtin: boolean;
  inputSize: number;
  /** Value range the network expects its RGB input in. */
  range: [number, number];
}

interface BuiltinBackbone {
  displayName: string;
  defaultSize: number;
  minSize: number;
  cutLayer: string;
  /** Where the trainable top starts when fine-tuning: the output of the block below it. */
  fineTuneCut: string;
  /** Folder name inside nsfwjs/dist/models. */
  nsfwjsModel: string;
}

export const BUILTIN_BACKBONES: Record<string, BuiltinBackbone> = {
  mobilenet_v2: { displayName: 'MobileNetV2', defaultSize: 224, minSize: 32, cutLayer: 'out_relu', fineTuneCut: 'block_15_add', nsfwjsModel: 'mobilenet_v2' },
  inception_v3: { displayName: 'InceptionV3', defaultSize: 299, minSize: 75, cutLayer: 'mixed10', fineTuneCut: 'mixed9', nsfwjsModel: 'inception_v3' },
};

/** The from-scratch candidate: not a pretrained backbone but ranked alongside them. */
export const SMALL_CNN = 'small_cnn';
export const SMALL_CNN_DEFAULT_SIZE = 32;

export const BACKBONE_NAMES = [...Object.keys(BUILTIN_BACKBONES), HOG, SMALL_CNN];

/**
 * The default bake-off, sized to the data when the typical image side is known.
 * InceptionV3 is 20× the compute of MobileNetV2; only worth it with a native backend.
 */
export function autoBackbones(nativeBackend: boolean, typicalSide?: number | null): string[] {
  const mobilenetSize = !typicalSide || typicalSide >= 192 ? 224 : typicalSide >= 112 ? 160 : 96;
  const cnnSize = typicalSide && typicalSide < SMALL_CNN_DEFAULT_SIZE ? Math.max(16, typicalSide) : SMALL_CNN_DEFAULT_SIZE;
  // HOG looks at 4-pixel cells: the image's own size up to 64 (16 × 16 cells) keeps its detail.
  const hogSize = typicalSide ? Math.min(64, Math.max(16, typicalSide - (typicalSide % HOG_CELL))) : HOG_DEFAULT_SIZE;
  const names = [`mobilenet_v2@${mobilenetSize}`, `${HOG}@${hogSize}`, `${SMALL_CNN}@${cnnSize}`];
  return nativeBackend ? [names[0]!, `inception_v3@${!typicalSide || typicalSide >= 192 ? 299 : 160}`, ...names.slice(1)] : names;
}

function validNamesHint(): string {
  return `Valid backbones: ${BACKBONE_NAMES.join(', ')}, auto, an https:// URL of a TF.js model.json, or a path to a local model.json (optionally with @<input size>, e.g. mobilenet_v2@160).`;
}

export function parseBackboneSpec(text: string): BackboneSpec {
  const trimmed = text.trim();
  let rest = trimmed;
  let range: [number, number] = [0, 1];
  const rangeMatch = /,range=(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(rest);
  if (rangeMatch) {
    range = [Number(rangeMatch[1]), Number(rangeMatch[2])];
    rest = rest.slice(0, rangeMatch.index);
    if (!(range[1] > range[0])) throw new InputError(`Backbone "${text}": range must be min:max with max above min, e.g. range=0:1 or range=-1:1.`, text);
  }
  let size: number | undefined;
  const sizeMatch = /@(\d+)$/.exec(rest);
  if (sizeMatch) {
    size = Number(sizeMatch[1]);
    rest = rest.slice(0, sizeMatch.index);
  } else if (/@[^/]*$/.test(rest) && !/^https?:/.test(rest)) {
    throw new InputError(`Backbone "${text}": the part after @ must be an input size in pixels, e.g. mobilenet_v2@160.`, text);
  }
  const name = rest.toLowerCase();
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
    if (size === undefined) throw new InputError(`Backbone "${text}": say the model's input size, e.g. ${example}@224 (and its value range if not 0–1, e.g. ${example}@224,range=-1:1).`, text);
    if (size < 8 || size > 1024) throw new InputError(`Backbone "${text}": the input size must be between 8 and 1024 pixels, got ${size}.`, text);
    return size;
  };
  const rangeSuffix = rangeMatch ? `,range=${range[0]}:${range[1]}` : '';
  // Anything with a scheme is a URL (a Windows drive letter is not a scheme).
  if (/^[a-z][a-z0-9+.-]+:/i.test(rest)) {
    let url: URL;
    try {
      url = new URL(rest);
    } catch {
      throw new InputError(`Backbone "${text}" is not a valid URL. ${validNamesHint()}`, text);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InputError(`Backbone "${text}": only http:// and https:// URLs are supported. ${validNamesHint()}`, text);
    }
    if (!/^https?:\/\/[^/]/i.test(rest)) throw new InputError(`Backbone "${text}" is not a valid URL: write it as ${url.protocol}//host/path/model.json.`, text);
    // The id ends up in logs, result.json and the report: never let a password ride along.
    if (url.username || url.password) throw new InputError(`Backbone URL "${url.protocol}//${url.host}${url.pathname}" contains credentials; they would end up in logs and reports. Use a URL that needs none, or download the model and give its local path.`, url.host);
    const inputSize = userModelSize(rest);
    return { id: `${url.href}@${inputSize}${rangeSuffix}`, source: url.href, builtin: false, inputSize, range };
  }
  if (rest.endsWith('.json') || rest.includes('/')) {
    const inputSize = userModelSize(rest);
    return { id: `${rest}@${inputSize}${rangeSuffix}`, source: rest, builtin: false, inputSize, range };
  }
  throw new InputError(`Unknown backbone "${text}". ${validNamesHint()}`, text);
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
  dispose(): void;
}

const require = createRequire(import.meta.url);

/** nsfwjs ships its models as UMD bundles of JSON and base64; its package exports hide them, so resolve by path. */
function nsfwjsModelFiles(model: string): { topology: { modelTopology: KerasTopology; weightsManifest: tf.io.WeightsManifestConfig }; weights: ArrayBuffer } {
  const distDir = join(dirname(require.resolve('nsfwjs')), '..', 'models', model);
  const topology = require(join(distDir, 'model.min.js'));
  const buffers: Buffer[] = [];
  for (const path of topology.weightsManifest.flatMap((g: { paths: string[] }) => g.paths)) {
    buffers.push(Buffer.from(require(join(distDir, `${path}.min.js`)) as string, 'base64'));
  }
  const all = Buffer.concat(buffers);
  return { topology, weights: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer };
}

async function layersExtractor(spec: BackboneSpec, displayName: string, topology: KerasTopology, weightSpecs: tf.io.WeightsManifestEntry[], weightData: ArrayBuffer, cacheKey: string): Promise<FeatureExtractor> {
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology as unknown as object, weightSpecs, weightData }), { strict: false });
  const outputRank = (model.outputs[0]!.shape as number[]).length;
  const functional = Boolean(topology.model_config?.config?.output_layers);
  if (outputRank === 4 && functional) {
    // Feature maps: pool them into a vector, in the model JSON itself so the export has it too.
    model.dispose();
    appendLayer(topology, 'GlobalAveragePooling2D', 'backbone_pool', { data_format: 'channels_last' });
    return layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey);
  }
  if (outputRank === 4) {
    // A Sequential model: pool on top in memory; the export then keeps backbone and head apart.
    const pooled = tf.model({ inputs: model.inputs, outputs: tf.layers.globalAveragePooling2d({}).apply(model.outputs[0]!) as tf.SymbolicTensor });
    return fromLayersModel(spec, displayName, pooled, null, cacheKey);
  }
  if (outputRank !== 2) throw new InputError(`Backbone "${spec.id}" outputs rank-${outputRank} tensors; a feature vector (rank 2) or feature maps (rank 4) are needed.`, spec.id);
  return fromLayersModel(spec, displayName, model, functional ? topology : null, cacheKey);
}

export function fromLayersModel(spec: BackboneSpec, displayName: string, model: tf.LayersModel, topology: KerasTopology | null, cacheKey: string): FeatureExtractor {
  const [low, high] = spec.range;
  const featureDim = model.outputs[0]!.shape[1] as number;
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
        const x = tf.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], 'int32').toFloat().mul((high - low) / 255).add(low);
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
        const x = tf.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], 'int32').toFloat().mul((high - low) / 255).add(low);
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
    const topology = cutTopology(files.topology.modelTopology, builtin.cutLayer, spec.inputSize);
    const specs = files.topology.weightsManifest.flatMap((g) => g.weights);
    return layersExtractor(spec, `${builtin.displayName} @${spec.inputSize}`, topology, specs, files.weights, `nsfwjs-${builtin.nsfwjsModel}-v1|${spec.inputSize}|${spec.range.join(':')}|fill`);
  }
  const source: ModelSource = await loadModelSource(spec.source, context.cacheDir);
  const cacheKey = `${source.contentHash}|${spec.inputSize}|${spec.range.join(':')}|fill`;
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
  const extractor = await layersExtractor(spec, displayName, topology, source.artifacts.weightSpecs ?? [], source.artifacts.weightData as ArrayBuffer, cacheKey);
  return { ...extractor, sourceDir: source.dir };
}
