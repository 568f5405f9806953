/**
 * Using an exported model: `loadClassifier(dir)` → `classify(imagePathOrBytes)`.
 * Reads only the model folder; decodes images exactly as training did.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureBackend } from '../backend/select.js';
import { decodeToRgb } from '../dataset/decode.js';
import { InputError } from '../errors.js';
import { DEFAULTS } from '../options.js';
import { MODEL_FORMAT, TWO_PART_FORMAT, type Preprocessing } from './export.js';
import { applyTemperature } from './temperature.js';
import { readTtaRecipe, withTta, type TtaRecipe } from './tta.js';
import { resolveWeightFile, weightPaths } from '../backbones/source.js';
import { loadBackbone } from '../backbones/zoo.js';
import { ONNX_ONLY_FORMAT } from './export-onnx-only.js';
import { openOnnxClassifier, type ClassifierEngine, type ClassifierEngineOptions } from './onnx-classifier.js';

export interface Classification {
  label: string;
  confidence: number;
  /** Probability per label, in labels.json order. */
  probabilities: Record<string, number>;
}

export interface Classifier {
  labels: string[];
  inputSize: number;
  /** What computes the probabilities: model.onnx in ONNX Runtime, or model.json in TF.js. */
  engine: ClassifierEngine;
  classify(image: string | Uint8Array): Promise<Classification>;
  /** Classifies decoded RGB bytes (n × size × size × 3) in one batch; returns n × labels probabilities. */
  classifyPixels(pixels: Uint8Array, n: number): Promise<Float32Array>;
  /** Frees the model; resolves once ONNX Runtime has released its session. */
  dispose(): Promise<void>;
}

async function readModelFile(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, name));
  } catch {
    throw new InputError(
      `${join(dir, name)} is missing. Point to a model folder written by "classifier-ci train" (it holds model.json, weights.bin, labels.json and preprocessing.json).`,
      dir,
    );
  }
}

const KNOWN_FORMATS: string[] = [MODEL_FORMAT, TWO_PART_FORMAT, ONNX_ONLY_FORMAT];

export interface LoadClassifierOptions extends ClassifierEngineOptions {
  /** Test-time augmentation: average each image's probabilities with its view's, as preprocessing.json's tta says (tta.ts). Default false. */
  tta?: boolean;
}

export async function loadClassifier(dir: string, options: LoadClassifierOptions = {}): Promise<Classifier & { tta?: TtaRecipe }> {
  await ensureBackend();
  // The recipe is read first, so a model without one fails before anything loads.
  if (options.tta) {
    const recipe = await readTtaRecipe(dir);
    return withTta(await loadClassifier(dir, { ...options, tta: false }), recipe);
  }
  const preprocessing = JSON.parse((await readModelFile(dir, 'preprocessing.json')).toString('utf8')) as Preprocessing;
  const format: unknown = preprocessing.format;
  if (!KNOWN_FORMATS.includes(format as string)) {
    throw new InputError(
      `${dir} holds a model of format "${String(format)}"; this version of classifier-ci reads "${KNOWN_FORMATS.join('" and "')}". Re-export it with this version.`,
      dir,
    );
  }
  const temperature = preprocessing.temperature ?? 1;
  if (!(typeof temperature === 'number' && temperature > 0 && Number.isFinite(temperature))) {
    throw new InputError(
      `${join(dir, 'preprocessing.json')} has temperature ${JSON.stringify(preprocessing.temperature)}; it must be a positive number. Re-export the model, or remove the field to use uncalibrated probabilities.`,
      dir,
    );
  }
  const labels = JSON.parse((await readModelFile(dir, 'labels.json')).toString('utf8')) as string[];
  // A model on a user's ONNX backbone is model.onnx alone: ONNX Runtime runs it, or nothing does.
  if (preprocessing.format === ONNX_ONLY_FORMAT) return onnxOnlyClassifier(dir, preprocessing, labels, temperature, options);
  const modelJson = JSON.parse((await readModelFile(dir, 'model.json')).toString('utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  const shards: Buffer[] = [];
  // The folder may come from anyone (a downloaded artifact): its manifest only names files inside it.
  for (const path of weightPaths(modelJson, join(dir, 'model.json'))) shards.push(await readFile(await resolveWeightFile(dir, path, join(dir, 'model.json'))));
  const weights = Buffer.concat(shards);
  // model.onnx when chosen (auto: when there and ORT loads); the TF.js model is then not loaded.
  const onnx = preprocessing.format === MODEL_FORMAT ? await openOnnxClassifier(dir, preprocessing.inputSize, labels.length, options) : null;
  if (!onnx && options.engine === 'onnx')
    throw new InputError(`${dir} holds a two-part model (backbone/ and head), which has no model.onnx. Use --engine tfjs (or auto).`, dir);
  const model = onnx
    ? null
    : await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: modelJson.modelTopology,
          weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
          weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
        }),
      );
  const size = preprocessing.inputSize;
  // Two-part models: the user's backbone under backbone/ turns pixels into features first.
  const backbone =
    preprocessing.format === TWO_PART_FORMAT
      ? await loadBackbone(
          { id: preprocessing.backbone, source: join(dir, 'backbone', 'model.json'), builtin: false, inputSize: size, range: preprocessing.range ?? [0, 1] },
          { cacheDir: dir },
        )
      : null;

  const raw = async (pixels: Uint8Array, n: number) =>
    onnx
      ? await onnx.run(pixels, n)
      : tf.tidy(() => {
          const input = backbone
            ? tf.tensor2d(backbone.embed(pixels, n), [n, backbone.featureDim])
            : tf.tensor4d(pixels, [n, size, size, 3], 'int32').toFloat();
          return (model!.predict(input) as tf.Tensor).dataSync() as Float32Array;
        });
  return classifierOver(labels, size, onnx ? 'onnx' : 'tfjs', raw, temperature, async () => {
    model?.dispose();
    backbone?.dispose();
    await onnx?.release();
  });
}

/** A model that is model.onnx alone (a user ONNX backbone won): TF.js cannot run it, so ONNX Runtime must. */
async function onnxOnlyClassifier(
  dir: string,
  preprocessing: Preprocessing,
  labels: string[],
  temperature: number,
  options: ClassifierEngineOptions,
): Promise<Classifier> {
  if (options.engine === 'tfjs') {
    throw new InputError(
      `${dir} holds an ONNX-only model: its backbone (${preprocessing.backbone}) is an ONNX graph, which TF.js cannot run, so there is model.onnx and no model.json. Use --engine onnx (or auto).`,
      dir,
    );
  }
  const onnx = (await openOnnxClassifier(dir, preprocessing.inputSize, labels.length, { ...options, engine: 'onnx', onnxOnly: true }))!;
  return classifierOver(
    labels,
    preprocessing.inputSize,
    'onnx',
    (pixels, n) => onnx.run(pixels, n),
    temperature,
    () => onnx.release(),
  );
}

/** The Classifier over a function from RGB bytes to raw probabilities. */
function classifierOver(
  labels: string[],
  size: number,
  engine: ClassifierEngine,
  raw: (pixels: Uint8Array, n: number) => Promise<Float32Array>,
  temperature: number,
  dispose: () => Promise<void>,
): Classifier {
  // Once: a second dispose (a finally after an explicit one) must not release twice.
  let disposed: Promise<void> | null = null;
  // Calibrated as training measured it: the same temperature, outside the graph.
  const classifyPixels = async (pixels: Uint8Array, n: number) => {
    if (disposed) throw new Error('This classifier was disposed; load the model again with loadClassifier to classify more images.');
    return applyTemperature(await raw(pixels, n), labels.length, temperature);
  };
  return {
    labels,
    inputSize: size,
    engine,
    classifyPixels,
    async classify(image) {
      let pixels: Uint8Array;
      try {
        pixels = await decodeToRgb(image, size, DEFAULTS.maxPixels);
      } catch (error) {
        throw new InputError(`${typeof image === 'string' ? image : 'The image'}: ${(error as Error).message}.`, typeof image === 'string' ? image : undefined);
      }
      const p = await classifyPixels(pixels, 1);
      let best = 0;
      for (let i = 1; i < labels.length; i++) if (p[i] > p[best]) best = i;
      return {
        label: labels[best],
        confidence: p[best],
        probabilities: Object.fromEntries(labels.map((label, i) => [label, p[i]])),
      };
    },
    dispose: () => (disposed ??= dispose()),
  };
}
