/**
 * Export of a winner built on a user's ONNX backbone. TF.js cannot run the user's graph, so
 * there is no model.json: model.onnx is the model (onnx/merge-user-graph.ts: preprocessing,
 * the user's graph, pooling, the head and softmax in one graph), with labels.json,
 * preprocessing.json (format ONNX_ONLY_FORMAT, which tells loadClassifier and predict to run
 * it on ONNX Runtime) and metrics.json.
 *
 * model.onnx is the only model, so a file that cannot be built, that the ONNX checker rejects
 * or that ONNX Runtime cannot run fails the export with the reason, instead of shipping a
 * model folder with no model in it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic.js';
import { loadModelSource } from '../backbones/source.js';
import { RESIZE_MODE } from '../dataset/decode.js';
import { TrainingError } from '../errors.js';
import { checkOnnxFile } from '../onnx/checker.js';
import { CLASSIFIER_INPUT, CLASSIFIER_OUTPUT } from '../onnx/export-classifier.js';
import { mergeUserGraphClassifier, UserGraphError, type MergedClassifier } from '../onnx/merge-user-graph.js';
import { loadOnnxRuntime } from '../onnx/session.js';
import type { LayerSummary, ModelInfo } from '../result.js';
import { ONNX_ONLY_FORMAT, type ExportInput, type Preprocessing } from './model-files.js';
import { foldStandardisation } from './standardise.js';

export { ONNX_ONLY_FORMAT };

export async function exportOnnxOnlyModel(input: ExportInput): Promise<ModelInfo> {
  const { prepared, fitted, labels } = input;
  const spec = prepared.spec;
  const what = `the winner, ${spec.id}`;
  if (!spec.onnx) throw new Error(`${spec.id} is not an ONNX backbone`);
  if (fitted.trunk) throw new Error(`${spec.id}: a trained trunk in front of an ONNX backbone's head cannot be exported`);
  if (!input.cacheDir) throw new Error('exporting a model on an ONNX backbone needs the cache folder its download is in');

  // The same file the run embedded with: the pin (if any) is checked again, and the content hash is the one in the embeddings' key.
  const source = await loadModelSource(spec.source, input.cacheDir, { sha256: spec.sha256 });
  if (source.kind !== 'onnx') throw new Error(`${spec.id}: expected an .onnx file`);
  const trainedOn = prepared.extractor?.cacheKey.split('|')[0];
  if (trainedOn !== source.contentHash)
    throw new TrainingError(`${source.file} changed while the run used it, so the trained head does not fit it. Run again; no model was exported.`);

  const dense = foldStandardisation(fitted.head.weights);
  let merged: MergedClassifier;
  try {
    merged = mergeUserGraphClassifier({
      model: await readFile(source.file),
      backbone: spec.id,
      input: spec.onnx,
      inputSize: spec.inputSize,
      range: spec.range,
      dense,
      labels,
    });
  } catch (error) {
    if (!(error instanceof UserGraphError)) throw error;
    throw new TrainingError(`Exporting ${what}: ${error.message}. No model was exported; leave this backbone out of --backbones to get one.`);
  }

  const path = join(input.dir, 'model.onnx');
  await writeFileAtomic(path, merged.bytes);
  const check = (input.checkOnnx ?? checkOnnxFile)(path);
  if (check.status === 'failed')
    throw new TrainingError(
      `Exporting ${what}: the ONNX checker rejected the merged model.onnx (${check.detail}). No model was exported; leave this backbone out of --backbones to get one.`,
    );
  await runOnce(path, spec.inputSize, labels.length, what);

  const preprocessing: Preprocessing = {
    format: ONNX_ONLY_FORMAT,
    inputSize: spec.inputSize,
    input: 'rgb-bytes',
    resize: RESIZE_MODE,
    backbone: spec.id,
    ...(input.temperature !== undefined && input.temperature !== 1 ? { temperature: input.temperature } : {}),
    // As export.ts writes it: predict --tta works on model.onnx alone too.
    ...(prepared.tta ? { tta: prepared.tta } : {}),
  };
  const written: Record<string, Uint8Array> = {
    'model.onnx': merged.bytes,
    'labels.json': new TextEncoder().encode(JSON.stringify(labels, null, 2) + '\n'),
    'preprocessing.json': new TextEncoder().encode(JSON.stringify(preprocessing, null, 2) + '\n'),
    'metrics.json': new TextEncoder().encode(JSON.stringify(input.metrics, null, 2) + '\n'),
  };
  for (const name of ['labels.json', 'metrics.json', 'preprocessing.json']) await writeFileAtomic(join(input.dir, name), written[name]);

  const layers: LayerSummary[] = [
    {
      name: 'backbone',
      className: `ONNX graph (opset ${merged.opset.version})`,
      outputShape: `[None,${prepared.featureDim}]`,
      params: merged.backboneParams,
      trainable: false,
    },
    ...dense.map((layer, i) => ({
      name: i === dense.length - 1 ? 'head_output' : `head_dense_${i + 1}`,
      className: 'Dense',
      outputShape: `[None,${layer.outDim}]`,
      params: layer.inDim * layer.outDim + layer.outDim,
      trainable: true,
    })),
  ];
  return {
    dir: input.displayDir,
    backbone: spec.id,
    inputSize: spec.inputSize,
    files: Object.entries(written)
      .map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    layers,
    trainableParams: merged.headParams,
    nonTrainableParams: merged.backboneParams,
    onnx: { written: true, checker: check.status, only: true, opset: merged.opset },
  };
}

/** ONNX Runtime opens the merged file and runs one blank image to one probability per label: the checker may not be installed. */
async function runOnce(path: string, size: number, classes: number, what: string): Promise<void> {
  const ort = await loadOnnxRuntime();
  let got: number;
  try {
    const session = await ort.InferenceSession.create(path);
    try {
      const output = await session.run({ [CLASSIFIER_INPUT]: new ort.Tensor('uint8', new Uint8Array(size * size * 3), [1, size, size, 3]) });
      got = output[CLASSIFIER_OUTPUT].data.length;
    } finally {
      await session.release();
    }
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new TrainingError(`Exporting ${what}: ONNX Runtime could not run the merged model.onnx (${first}). No model was exported.`);
  }
  if (got !== classes)
    throw new TrainingError(`Exporting ${what}: the merged model.onnx gives ${got} probabilities for ${classes} labels. No model was exported.`);
}
