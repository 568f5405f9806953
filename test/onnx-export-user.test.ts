/**
 * A winner on a user's ONNX backbone exports model.onnx alone: the user's graph with its
 * preprocessing as graph ops, the pooled output, the head and softmax merged into one graph
 * (onnx/merge-user-graph.ts). Checked against the in-run pipeline (engine/onnx-backbone.ts's
 * embeddings and the head) on real images, by ONNX Runtime and the ONNX checker; then a whole
 * run on the sample dataset, predicted from the CLI. The encoders are small convolutional
 * graphs the test writes itself, with names that clash with ours on purpose.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { chooseInferenceEngine } from '../src/core/engine/choose.js';
import { loadRunBackbone } from '../src/core/engine/onnx-backbone.js';
import { InputError } from '../src/core/errors.js';
import { loadClassifier } from '../src/core/model/classifier.js';
import type { DenseWeights, HeadWeights } from '../src/core/model/fitted.js';
import { foldStandardisation } from '../src/core/model/standardise.js';
import { applyTemperature } from '../src/core/model/temperature.js';
import { checkOnnxFile, pythonWithOnnx } from '../src/core/onnx/checker.js';
import { OnnxGraph } from '../src/core/onnx/graph.js';
import { BACKBONE_PREFIX, mergeUserGraphClassifier, UserGraphError } from '../src/core/onnx/merge-user-graph.js';
import { DEFAULTS, validateOptions, type TrainOptions } from '../src/core/options.js';
import { silentLogger } from '../src/core/ports.js';
import { createRng } from '../src/core/random.js';
import { renderMarkdown } from '../src/core/report/markdown.js';
import { RunResult, type BackendInfo } from '../src/core/result.js';
import { planBudget } from '../src/core/run/budget.js';
import { createRunContext } from '../src/core/run/context.js';
import { LiveModels } from '../src/core/run/models.js';
import { buildRunResult } from '../src/core/run/result.js';
import { STAGES } from '../src/core/run/stages/index.js';
import { predictProbabilities } from '../src/core/training/candidates.js';
import { SAMPLE, tempDir } from './helpers/datasets.js';
import { CLI_ENTRY } from './helpers/fixtures.js';

const { onnx } = onnxProto;
const wasm: BackendInfo = { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', gpu: false, threads: 1, skipped: [] };
const CHANNELS = 12;

/**
 * A small encoder: 3×3 conv (random weights) + ReLU, twice, as feature maps in the input's layout
 * ("maps", first output), and a second output "probabilities" (channel means of the input) the
 * export must drop. Its input is called "image" and an initializer "head_1_kernel": our names.
 * NHWC encoders transpose to NCHW around the convs, as TensorFlow exports do.
 */
function writeEncoder(dir: string, layout: 'nchw' | 'nhwc', opset: number, seed: number): string {
  const random = createRng(seed);
  const weights = (shape: number[]) => ({
    shape,
    values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (random() * 2 - 1) * 0.5),
  });
  const graph = new OnnxGraph();
  const input = graph.addInput('image', layout === 'nchw' ? ['batch', 3, 'side', 'side'] : ['batch', 'side', 'side', 3]);
  let x = layout === 'nchw' ? input : graph.addNode('Transpose', [input], 'to_nchw', { perm: [0, 3, 1, 2] });
  x = graph.addNode('Conv', [x, graph.addFloat('head_1_kernel', weights([8, 3, 3, 3])), graph.addFloat('conv1_b', weights([8]))], 'conv1', {
    pads: [1, 1, 1, 1],
    strides: [2, 2],
  });
  x = graph.addNode('Relu', [x], 'relu1');
  x = graph.addNode('Conv', [x, graph.addFloat('conv2_w', weights([CHANNELS, 8, 3, 3])), graph.addFloat('conv2_b', weights([CHANNELS]))], 'conv2', {
    pads: [1, 1, 1, 1],
  });
  x = graph.addNode('Relu', [x], layout === 'nchw' ? 'maps' : 'relu2');
  if (layout === 'nhwc') x = graph.addNode('Transpose', [x], 'maps', { perm: [0, 2, 3, 1] });
  graph.addOutput(x, layout === 'nchw' ? ['batch', CHANNELS, 'h', 'w'] : ['batch', 'h', 'w', CHANNELS]);
  graph.addOutput(graph.addNode('ReduceMean', [input], 'probabilities', { axes: layout === 'nchw' ? [2, 3] : [1, 2], keepdims: 0 }), ['batch', 3]);
  // The builder writes opset 13; these ops mean the same from opset 6 to 17, so the import is set to what the test wants.
  const model = onnx.ModelProto.decode(graph.serialize('encoder', 'test encoder'));
  model.opsetImport = [{ domain: '', version: opset }];
  const path = join(dir, `encoder-${layout}.onnx`);
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
  return path;
}

function randomHead(inDim: number, hidden: number, classes: number, random: () => number): HeadWeights {
  const dense = (i: number, o: number): DenseWeights => ({
    inDim: i,
    outDim: o,
    kernel: Float32Array.from({ length: i * o }, () => (random() * 2 - 1) * 0.8),
    bias: Float32Array.from({ length: o }, () => (random() * 2 - 1) * 0.2),
  });
  return {
    mean: Float32Array.from({ length: inDim }, () => random() * 0.5),
    std: Float32Array.from({ length: inDim }, () => 0.05 + random() * 0.3),
    dense: [dense(inDim, hidden), dense(hidden, classes)],
  };
}

/** The head as training applies it, in double precision: standardise, dense + ReLU, dense, softmax. */
function headByHand(features: Float32Array, rows: number, head: HeadWeights): number[][] {
  const inDim = head.mean.length;
  return Array.from({ length: rows }, (_, r) => {
    let x = Array.from(features.subarray(r * inDim, (r + 1) * inDim), (v, i) => (v - head.mean[i]) / head.std[i]);
    head.dense.forEach((layer, i) => {
      const y = Array.from(layer.bias, Number);
      for (let a = 0; a < layer.inDim; a++) for (let b = 0; b < layer.outDim; b++) y[b] += x[a] * layer.kernel[a * layer.outDim + b];
      x = i === head.dense.length - 1 ? y : y.map((v) => Math.max(0, v));
    });
    const top = Math.max(...x);
    const e = x.map((v) => Math.exp(v - top));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  });
}

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('merged model.onnx = in-run preprocessing + the user graph + pooling + head (≤ 1e-3 on real images), NCHW and NHWC; names prefixed; opset kept or raised', async () => {
  const engine = await chooseInferenceEngine({ engine: 'onnx', device: 'cpu', tfjs: wasm, tfjsWorkers: 1, cacheDir: tempDir() });
  const labels = readdirSync(SAMPLE).sort();
  const size = 40;
  const paths = labels.flatMap((label) =>
    readdirSync(join(SAMPLE, label))
      .sort()
      .slice(0, 2)
      .map((file) => join(SAMPLE, label, file)),
  );
  const pixels = new Uint8Array(paths.length * size * size * 3);
  for (const [i, path] of paths.entries()) pixels.set(await decodeToRgb(path, size, DEFAULTS.maxPixels), i * size * size * 3);
  const cases = [
    { layout: 'nchw' as const, opset: 11, options: ',range=0:1,mean=0.485:0.456:0.406,std=0.229:0.224:0.225', opsetWanted: 11 },
    { layout: 'nhwc' as const, opset: 6, options: ',layout=nhwc,range=-1:1', opsetWanted: 7 },
  ];
  for (const [k, c] of cases.entries()) {
    const dir = tempDir();
    const spec = parseBackboneSpec(`${writeEncoder(dir, c.layout, c.opset, 7 + k)}@${size}${c.options}`);
    const inRun = await loadRunBackbone(spec, engine, { cacheDir: dir });
    let features: Float32Array;
    try {
      assert.equal(inRun.featureDim, CHANNELS);
      features = await inRun.ort!.embed(pixels, paths.length);
    } finally {
      inRun.dispose();
    }
    const head = randomHead(CHANNELS, 6, labels.length, createRng(3 + k));
    const want = headByHand(features, paths.length, head);
    const merged = mergeUserGraphClassifier({
      model: readFileSync(spec.source),
      backbone: spec.id,
      input: spec.onnx!,
      inputSize: size,
      range: spec.range,
      dense: foldStandardisation(head),
      labels,
    });
    assert.equal(merged.opset.version, c.opsetWanted);
    assert.match(merged.opset.why, c.opset >= 7 ? /^the backbone's own$/ : /^raised from the backbone's 6: .* need 7$/);
    assert.equal(merged.headParams, CHANNELS * 6 + 6 + 6 * labels.length + labels.length);
    assert.equal(merged.backboneParams, 8 * 27 + 8 + CHANNELS * 72 + CHANNELS, 'the encoder weights, nothing of the dropped output');

    const model = onnx.ModelProto.decode(merged.bytes);
    const graph = model.graph!;
    assert.deepEqual(
      model.opsetImport.map((o) => [o.domain, Number(o.version)]),
      [['', c.opsetWanted]],
    );
    assert.deepEqual(
      graph.input!.map((i) => i.name),
      ['image'],
    );
    assert.deepEqual(
      graph.output!.map((o) => o.name),
      ['probabilities'],
    );
    // Ours feed the user's renamed input; every other node under the prefix is the user's.
    const userNodes = graph.node!.filter((n) => n.name!.startsWith(BACKBONE_PREFIX) && n.output![0] !== `${BACKBONE_PREFIX}image`);
    assert.equal(userNodes.length, c.layout === 'nchw' ? 4 : 6, "the encoder's nodes but ReduceMean, under the prefix");
    assert.ok(
      userNodes.every((n) => [...n.input!, ...n.output!].every((name) => name.startsWith(BACKBONE_PREFIX))),
      userNodes.map((n) => n.name).join(', '),
    );
    assert.ok(graph.initializer!.some((t) => t.name === `${BACKBONE_PREFIX}head_1_kernel`) && graph.initializer!.some((t) => t.name === 'head_1_kernel'));
    assert.ok(!graph.node!.some((n) => n.opType === 'ReduceMean'), 'the unused output is pruned');
    assert.deepEqual(JSON.parse(model.metadataProps.find((p) => p.key === 'labels')!.value!), labels);

    const file = join(dir, 'model.onnx');
    writeFileSync(file, merged.bytes);
    assert.equal(checkOnnxFile(file).status, pythonWithOnnx() ? 'passed' : 'unavailable', checkOnnxFile(file).detail);
    const session = await ort.InferenceSession.create(file);
    const got = (await session.run({ image: new ort.Tensor('uint8', pixels, [paths.length, size, size, 3]) })).probabilities.data as Float32Array;
    await session.release();
    const worst = maxDifference(got, want.flat());
    assert.ok(worst <= 1e-3, `${c.layout}: probabilities differ from the in-run pipeline by up to ${worst}`);
  }
});

test('what cannot be merged is refused by reason: two inputs, an output of another width, weights in external files', () => {
  const dense = foldStandardisation(randomHead(3, 4, 2, createRng(1)));
  const base = {
    backbone: 'enc.onnx@8',
    input: { layout: 'nchw' as const, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] },
    inputSize: 8,
    range: [0, 1] as [number, number],
  };
  const merge =
    (graph: OnnxGraph, d = dense) =>
    () =>
      mergeUserGraphClassifier({ ...base, model: graph.serialize('g', ''), dense: d, labels: ['a', 'b'] });

  const two = new OnnxGraph();
  two.addOutput(two.addNode('Add', [two.addInput('a', ['batch', 3, 8, 8]), two.addInput('b', ['batch', 3, 8, 8])], 'sum'), ['batch', 3, 8, 8]);
  assert.throws(merge(two), (e: Error) => e instanceof UserGraphError && /enc\.onnx@8 cannot be merged into model\.onnx: it takes 2 inputs/.test(e.message));

  const wide = new OnnxGraph();
  wide.addOutput(wide.addNode('Relu', [wide.addInput('x', ['batch', 5])], 'features'), ['batch', 5]);
  assert.throws(merge(wide), /output "features" has 5 features, but the head was trained on 3/);

  const external = new OnnxGraph();
  const x = external.addInput('x', ['batch', 3]);
  external.addOutput(external.addNode('Mul', [x, external.addFloat('w', { shape: [3], values: new Float32Array(3) })], 'features'), ['batch', 3]);
  const model = onnx.ModelProto.decode(external.serialize('g', ''));
  Object.assign(model.graph!.initializer![0], { rawData: new Uint8Array(0), dataLocation: onnx.TensorProto.DataLocation.EXTERNAL });
  assert.throws(
    () => mergeUserGraphClassifier({ ...base, model: onnx.ModelProto.encode(model).finish(), dense, labels: ['a', 'b'] }),
    /weights are in external data files \(initializer "w"\); save the model with its weights inside the \.onnx file/,
  );
});

/**
 * train() stage by stage (as pipeline.ts runs them), so the winner's in-run test probabilities
 * can be read before the run frees its models: what the run itself measured the test split with.
 */
async function trainKeepingTestProbabilities(options: TrainOptions): Promise<{ result: RunResult; inRun: Map<string, Float32Array> }> {
  validateOptions(options);
  const now = () => performance.now();
  const backend = await ensureBackend();
  const engine = await chooseInferenceEngine({ engine: 'onnx', device: 'cpu', tfjs: backend, tfjsWorkers: 1, cacheDir: options.cacheDir });
  const run = createRunContext({
    options,
    log: silentLogger,
    now,
    budget: planBudget(now(), options.budgetSeconds),
    backend,
    engine,
    models: new LiveModels(null),
  });
  try {
    for (const stage of STAGES) await stage.run(run);
    const { prepared, fitted } = run.models.winner;
    const labels = run.found.dataset!.labels;
    const raw = applyTemperature(predictProbabilities(fitted, prepared.test), labels.length, run.found.calibration?.temperature ?? 1);
    const tests = run.found.dataset!.images.filter((i) => i.split === 'test');
    const inRun = new Map(tests.map((image, i) => [image.path, raw.subarray(i * labels.length, (i + 1) * labels.length)]));
    run.timings.push({ stage: 'total', seconds: 1 });
    const result = RunResult.parse(buildRunResult(run, { startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), usedSeconds: 1 }));
    return { result, inRun };
  } finally {
    await run.models.dispose();
  }
}

test('a run on the sample dataset whose winner is a user ONNX backbone exports model.onnx alone; predict from the CLI gives the in-run probabilities (≤ 1e-3); tfjs is refused', async (t) => {
  const outDir = join(tempDir(), 'run');
  const encoder = writeEncoder(tempDir(), 'nchw', 13, 11);
  const { result, inRun } = await trainKeepingTestProbabilities({
    ...DEFAULTS,
    datasetPath: SAMPLE,
    outDir,
    cacheDir: tempDir(),
    backbones: [`${encoder}@48,range=0:1,mean=0.5:0.5:0.5,std=0.25:0.25:0.25`],
    budgetSeconds: 60,
    augment: 'auto',
    trials: 2,
    epochs: 20,
    workers: 1,
    engine: 'onnx',
    review: false,
  });
  const dir = join(outDir, 'model');
  assert.match(result.bakeOff.winner, /encoder-nchw\.onnx@48/);
  assert.deepEqual(result.model.onnx, {
    written: true,
    checker: pythonWithOnnx() ? 'passed' : 'unavailable',
    only: true,
    opset: { version: 13, why: "the backbone's own" },
  });
  assert.deepEqual(readdirSync(dir).sort(), ['labels.json', 'metrics.json', 'model.onnx', 'preprocessing.json']);
  assert.deepEqual(
    result.model.files.map((f) => [f.name, f.bytes]),
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name)).length]),
  );
  const preprocessing = JSON.parse(readFileSync(join(dir, 'preprocessing.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(preprocessing.format, 'classifier-ci/onnx-only-v1');
  assert.equal(preprocessing.inputSize, 48);
  assert.ok(!existsSync(join(dir, 'model.json')));
  assert.equal(result.model.nonTrainableParams, 8 * 27 + 8 + CHANNELS * 72 + CHANNELS);
  assert.equal(result.model.layers[0].className, 'ONNX graph (opset 13)');

  // The CLI on every test image (real files, decoded by predict itself), --engine auto: ONNX, and the run's own probabilities.
  const paths = [...inRun.keys()];
  assert.ok(paths.length >= 15, `${paths.length} test images`);
  const predicted = await cli(['predict', dir, ...paths, '--json']);
  assert.equal(predicted.code, 0, predicted.stderr);
  const lines = predicted.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; engine: string; probabilities: Record<string, number> });
  assert.equal(lines.length, paths.length);
  let worst = 0;
  for (const line of lines) {
    assert.equal(line.engine, 'onnx');
    const want = [...inRun.entries()].find(([path]) => path.endsWith(line.file) || line.file.endsWith(path))?.[1];
    assert.ok(want, `${line.file} is a test image of the run`);
    worst = Math.max(worst, maxDifference(Object.values(line.probabilities), want));
  }
  t.diagnostic(
    `test accuracy ${(result.test.accuracy * 100).toFixed(1)}%; CLI predict vs the in-run pipeline on ${paths.length} images: within ${worst.toExponential(1)}`,
  );
  assert.ok(worst <= 1e-3, `CLI predict and the in-run pipeline differ by up to ${worst}`);
  assert.ok(
    [...inRun.values()].some((p) => Math.max(...p) > 0.6),
    'the head is confident somewhere: the comparison is not between flat outputs',
  );

  // TF.js cannot run it: a clear refusal (CLI exit 2, loadClassifier InputError); onnx and auto load it.
  const tfjs = await cli(['predict', dir, paths[0], '--engine', 'tfjs']);
  assert.equal(tfjs.code, 2, tfjs.stderr);
  assert.match(
    tfjs.stderr,
    /holds an ONNX-only model: its backbone \(.*encoder-nchw\.onnx@48.*\) is an ONNX graph, which TF\.js cannot run.*Use --engine onnx \(or auto\)\./,
  );
  assert.doesNotMatch(tfjs.stderr, /\n\s+at /, 'no stack trace');
  await assert.rejects(loadClassifier(dir, { engine: 'tfjs' }), (e: Error) => e instanceof InputError && /ONNX-only model/.test(e.message));
  const broken = () => Promise.reject(new Error('libonnxruntime.so.1: cannot open shared object file'));
  await assert.rejects(
    loadClassifier(dir, { loadRuntime: broken }),
    (e: Error) => e instanceof InputError && /onnxruntime-node did not load .*model\.onnx alone .*it needs ONNX Runtime\.$/.test(e.message),
  );
  const viaOnnx = await loadClassifier(dir, { engine: 'onnx' });
  assert.equal(viaOnnx.engine, 'onnx');
  await viaOnnx.dispose();
  // The test-time recipe the run measured is in preprocessing.json too: --tta works on model.onnx alone.
  assert.ok(preprocessing.tta, 'the run measured a test-time recipe');
  const withTta = await loadClassifier(dir, { tta: true });
  assert.equal(withTta.engine, 'onnx');
  assert.ok(result.dataset.labels.includes((await withTta.classify(paths[0])).label));
  await withTta.dispose();

  // The report's Model section says what the folder holds and how it runs.
  const report = renderMarkdown(result);
  assert.match(
    report,
    /`model\.onnx` is the model: the ONNX backbone with its preprocessing, the head and the softmax in one graph \(opset 13, the backbone's own\)/,
  );
  assert.match(report, /There is no TF\.js model .*run it on ONNX Runtime/);
});
