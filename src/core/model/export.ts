/**
 * Export: ONE fused TF.js layers model (input: raw RGB bytes at input size; a Rescaling
 * layer, the backbone cut at its pooled features, the trained head with its feature
 * standardisation folded into the first dense layer; softmax out), plus labels.json,
 * preprocessing.json and metrics.json. predict and loadClassifier need nothing else.
 * The same fused model is also written as model.onnx (RGB bytes in, probabilities out) when
 * the converter covers its layers and the ONNX checker does not reject it.
 *
 * A user backbone that is a graph model (TF Hub style) or a Sequential layers model cannot be
 * spliced into one Keras graph; it is exported as two parts instead: its own files under
 * backbone/, and the head as model.json (input: the backbone's pooled features). A user ONNX
 * backbone is exported as model.onnx alone (export-onnx-only.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic.js';
import { appendLayer, inputTopology, insertAfterInput, topologyOf, type KerasTopology } from '../backbones/keras-topology.js';
import { resolveWeightFile, weightPaths } from '../backbones/source.js';
import { RESIZE_MODE } from '../dataset/decode.js';
import { checkOnnxFile, type OnnxCheck } from '../onnx/checker.js';
import { buildOnnxFromFusedModel } from '../onnx/export-classifier.js';
import type { KerasSource } from '../onnx/builtin.js';
import type { LayerSummary, ModelInfo } from '../result.js';
import type { DenseWeights, FittedModel, PreparedCandidate } from './fitted.js';
import { exportOnnxOnlyModel } from './export-onnx-only.js';
import { MODEL_FORMAT, TWO_PART_FORMAT, type ExportInput, type Preprocessing } from './model-files.js';
import { foldStandardisation } from './standardise.js';

// Where they used to live; kept for callers that import them from here.
export { foldStandardisation };
export { MODEL_FORMAT, TWO_PART_FORMAT, type ExportInput, type Preprocessing };

function denseConfig(units: number, activation: string): Record<string, unknown> {
  return {
    units,
    activation,
    use_bias: true,
    kernel_initializer: { class_name: 'Zeros', config: {} },
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  };
}

/** Whether the winner can become one layers model (built-ins, scratch CNNs, functional Keras models). */
export function isFusable(prepared: PreparedCandidate, fitted: FittedModel): boolean {
  if (fitted.trunk && fitted.trunkRole !== 'top') return true;
  return Boolean(prepared.extractor?.topology && prepared.extractor.layersModel);
}

/** The head alone as a layers model on pooled features, for two-part exports. The caller disposes it. */
async function buildHeadModel(fitted: FittedModel, featureDim: number): Promise<tf.LayersModel> {
  const topology = inputTopology('head', [null, featureDim]);
  const dense = foldStandardisation(fitted.head.weights);
  dense.forEach((layer, i) => {
    const last = i === dense.length - 1;
    appendLayer(topology, 'Dense', last ? 'head_output' : `head_dense_${i + 1}`, denseConfig(layer.outDim, last ? 'softmax' : 'relu'));
  });
  const model = await tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
  setDenseWeights(model, dense);
  return model;
}

function setDenseWeights(model: tf.LayersModel, dense: DenseWeights[]): void {
  dense.forEach((layer, i) => {
    const name = i === dense.length - 1 ? 'head_output' : `head_dense_${i + 1}`;
    const kernel = tf.tensor2d(layer.kernel, [layer.inDim, layer.outDim]);
    const bias = tf.tensor1d(layer.bias);
    model.getLayer(name).setWeights([kernel, bias]);
    tf.dispose([kernel, bias]);
  });
}

/** Builds the fused model in memory, with every weight in place. The caller disposes it. */
export async function buildFusedModel(prepared: PreparedCandidate, fitted: FittedModel): Promise<tf.LayersModel> {
  let topology: KerasTopology;
  let source: tf.LayersModel;
  if (fitted.trunk && fitted.trunkRole !== 'top') {
    source = fitted.trunk;
    topology = topologyOf(fitted.trunk);
  } else {
    const extractor = prepared.extractor!;
    if (!isFusable(prepared, fitted)) throw new Error(`${prepared.spec.id} cannot be fused; export it in two parts`);
    source = extractor.layersModel!;
    topology = structuredClone(extractor.topology!);
    const [low, high] = prepared.spec.range;
    insertAfterInput(topology, 'Rescaling', 'rescale', { scale: (high - low) / 255, offset: low });
  }
  const dense = foldStandardisation(fitted.head.weights);
  dense.forEach((layer, i) => {
    const last = i === dense.length - 1;
    appendLayer(topology, 'Dense', last ? 'head_output' : `head_dense_${i + 1}`, denseConfig(layer.outDim, last ? 'softmax' : 'relu'));
  });
  const fused = await tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
  // A fine-tuned top block overrides the pretrained weights of the same layers.
  const sources = fitted.trunkRole === 'top' ? [source, fitted.trunk!] : [source];
  for (const model of sources) {
    for (const layer of model.layers) {
      const weights = layer.getWeights();
      if (weights.length && layer.getClassName() !== 'InputLayer') fused.getLayer(layer.name).setWeights(weights);
    }
  }
  setDenseWeights(fused, dense);
  return fused;
}

export function summariseLayers(model: tf.LayersModel): { layers: LayerSummary[]; trainable: number; nonTrainable: number } {
  const layers = model.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: JSON.stringify(layer.outputShape).replace(/null/g, 'None'),
    params: layer.countParams(),
    trainable: layer.trainable,
  }));
  const count = (weights: tf.LayerVariable[]) => weights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * (b ?? 1), 1), 0);
  return { layers, trainable: count(model.trainableWeights), nonTrainable: count(model.nonTrainableWeights) };
}

export async function exportModel(input: ExportInput): Promise<ModelInfo> {
  const { prepared, fitted } = input;
  // A user's ONNX backbone has no TF.js form: its model is model.onnx alone.
  if (prepared.spec.onnx) return exportOnnxOnlyModel(input);
  const fusable = isFusable(prepared, fitted);
  const model = fusable ? await buildFusedModel(prepared, fitted) : await buildHeadModel(fitted, prepared.featureDim);
  try {
    await mkdir(input.dir, { recursive: true });
    const written: Record<string, Uint8Array> = {};
    if (!fusable) Object.assign(written, await backboneFiles(prepared.extractor!.sourceDir!));
    let fusedSource: KerasSource | null = null;
    await model.save(
      tf.io.withSaveHandler((artifacts) => {
        fusedSource = { topology: topologyOf(model), weightSpecs: artifacts.weightSpecs ?? [], weightData: artifacts.weightData as ArrayBuffer };
        const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
        const modelJson = {
          format: 'layers-model',
          generatedBy: 'classifier-ci',
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        };
        written['weights.bin'] = weights;
        written['model.json'] = new TextEncoder().encode(JSON.stringify(modelJson));
        return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
      }),
    );
    const preprocessing: Preprocessing = {
      format: fusable ? MODEL_FORMAT : TWO_PART_FORMAT,
      inputSize: prepared.spec.inputSize,
      input: 'rgb-bytes',
      resize: RESIZE_MODE,
      backbone: prepared.spec.id,
      ...(fusable ? {} : { range: prepared.spec.range }),
      ...(input.temperature !== undefined && input.temperature !== 1 ? { temperature: input.temperature } : {}),
      ...(prepared.tta ? { tta: prepared.tta } : {}),
    };
    written['labels.json'] = new TextEncoder().encode(JSON.stringify(input.labels, null, 2) + '\n');
    written['preprocessing.json'] = new TextEncoder().encode(JSON.stringify(preprocessing, null, 2) + '\n');
    written['metrics.json'] = new TextEncoder().encode(JSON.stringify(input.metrics, null, 2) + '\n');
    const onnx = fusable
      ? await writeOnnxModel(input.dir, fusedSource!, prepared.spec.inputSize, input.labels, input.checkOnnx ?? checkOnnxFile)
      : {
          written: false,
          reason:
            'the backbone is not one Keras graph (a TF.js graph model or a Sequential model), so the model is exported in two parts and has no single ONNX form',
          checker: 'unavailable' as const,
        };
    if (onnx.bytes) written['model.onnx'] = onnx.bytes;
    // Everything else before model.json: a reader that finds model.json finds the rest.
    // model.onnx is on disk already (the checker read it there).
    for (const name of [...Object.keys(written).filter((n) => n !== 'model.json' && n !== 'model.onnx'), 'model.json']) {
      await writeFileAtomic(join(input.dir, name), written[name]);
    }
    const summary = summariseLayers(model);
    return {
      dir: input.displayDir,
      backbone: prepared.spec.id,
      inputSize: prepared.spec.inputSize,
      files: Object.entries(written)
        .map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
      layers: summary.layers,
      trainableParams: summary.trainable,
      nonTrainableParams: summary.nonTrainable,
      onnx: { written: onnx.written, ...(onnx.reason ? { reason: onnx.reason } : {}), checker: onnx.checker },
    };
  } finally {
    model.dispose();
  }
}

/**
 * model.onnx from the fused model, kept only when the converter covers every layer and the
 * ONNX checker (where installed) accepts it: a file that fails the checker is not shipped.
 */
async function writeOnnxModel(
  dir: string,
  fused: KerasSource,
  inputSize: number,
  labels: string[],
  checkOnnx: (path: string) => OnnxCheck,
): Promise<{ bytes?: Uint8Array; written: boolean; reason?: string; checker: 'passed' | 'failed' | 'unavailable' }> {
  let bytes: Uint8Array;
  try {
    bytes = buildOnnxFromFusedModel(fused, inputSize, labels);
  } catch (error) {
    return { written: false, reason: (error as Error).message, checker: 'unavailable' };
  }
  const path = join(dir, 'model.onnx');
  await writeFileAtomic(path, bytes);
  const check = checkOnnx(path);
  if (check.status === 'failed') {
    await rm(path, { force: true });
    return { written: false, reason: `the ONNX checker rejected it (${check.detail})`, checker: 'failed' };
  }
  return { bytes, written: true, checker: check.status };
}

/** The user backbone's own model.json and weight files, as backbone/<name>. */
async function backboneFiles(sourceDir: string): Promise<Record<string, Uint8Array>> {
  const json = await readFile(join(sourceDir, 'model.json'));
  const files: Record<string, Uint8Array> = { 'backbone/model.json': json };
  const modelJson = join(sourceDir, 'model.json');
  // Each name checked and realpath'd inside sourceDir: a hostile manifest must not copy runner files into the artifact.
  for (const path of weightPaths(JSON.parse(json.toString('utf8')) as { weightsManifest?: unknown }, modelJson))
    files[`backbone/${String(path)}`] = await readFile(await resolveWeightFile(sourceDir, path, modelJson));
  return files;
}
