/**
 * The inference engine inside whole runs: train() on real sample images with ONNX Runtime
 * (embeddings, fine-tuning activations, the export), with TF.js when ORT cannot load, and a
 * GPU request on a machine whose CUDA will not start. Small budgets and few images.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { loadBackbone, parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { chooseInferenceEngine } from '../src/core/engine/choose.js';
import { loadRunBackbone } from '../src/core/engine/onnx-backbone.js';
import { loadClassifier } from '../src/core/model/classifier.js';
import { loadOnnxRuntime, sessionFactoryOf } from '../src/core/onnx/session.js';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger } from '../src/core/ports.js';
import { parseRunResult } from '../src/core/result.js';
import { readFileSync } from 'node:fs';
import { ensureBackend } from '../src/core/backend/select.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';

const dataset = sampleSubset(10, ['bag', 'sneaker', 'trouser']);

function options(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    ...DEFAULTS,
    datasetPath: dataset,
    outDir: join(tempDir(), 'run'),
    cacheDir: tempDir(),
    backbones: ['mobilenet_v2@64'],
    budgetSeconds: 60,
    trials: 2,
    epochs: 8,
    workers: 2,
    ...overrides,
  };
}

function recordingLog() {
  const lines: { level: string; text: string }[] = [];
  const log = {
    ...silentLogger,
    info: (text: string) => lines.push({ level: 'info', text }),
    warn: (text: string) => lines.push({ level: 'warn', text }),
  };
  return { log, lines };
}

/** The embedding cache folder of a backbone key (as embeddings/cache.ts names it), and how many entries it holds. */
function cachedEntries(cacheDir: string, key: string): number {
  const dir = join(cacheDir, 'embeddings', createHash('sha256').update(key).digest('hex').slice(0, 16));
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((n, sub) => n + readdirSync(join(dir, sub)).length, 0);
}

test('engine onnx: embeddings and fine-tuning activations come from ONNX Runtime, no worker pool starts, and the exported winner predicts what the run measured', async () => {
  const { log, lines } = recordingLog();
  const opts = options({ engine: 'onnx', fineTune: 'true' });
  const result = await train(opts, { log });
  assert.deepEqual(parseRunResult(JSON.parse(readFileSync(join(opts.outDir, 'result.json'), 'utf8'))), JSON.parse(JSON.stringify(result)));

  const inference = result.backend.inference!;
  assert.equal(inference.engine, 'onnxruntime');
  assert.equal(inference.provider, 'cpu');
  assert.ok(inference.threads >= 1);
  assert.ok(
    inference.skipped.some((s) => s.engine === 'tfjs' && /^not needed: onnxruntime-node/.test(s.reason)),
    JSON.stringify(inference.skipped),
  );
  assert.equal(inference.trainsSmallCnn, true, 'ONNX Runtime trains the small CNN too');
  assert.ok(
    lines.some((l) => /^Inference engine: ONNX Runtime on the CPU, \d+ threads? \(it trains the small CNN too\); skipped /.test(l.text)),
    lines.map((l) => l.text).join('\n'),
  );
  assert.ok(
    lines.some((l) => /^Training backend \(heads, fine-tuning\): /.test(l.text)),
    'the training backend is not said to train the small CNN',
  );
  assert.ok(!lines.some((l) => /Embedding workers|worker threads/.test(l.text)), 'ONNX Runtime uses the cores itself: no TF.js pool');

  // The cache holds ORT vectors (and fine-tuning's ORT activations), none under the TF.js key.
  const spec = parseBackboneSpec('mobilenet_v2@64');
  const engine = await chooseInferenceEngine({ engine: 'onnx', device: 'cpu', tfjs: await ensureBackend(), tfjsWorkers: 1, cacheDir: opts.cacheDir });
  const onOrt = await loadRunBackbone(spec, engine, { cacheDir: opts.cacheDir });
  const tfjsKey = onOrt.cacheKey;
  const ortKey = onOrt.ort!.cacheKey;
  const activationsKey = onOrt.ort!.fineTuneCut!.embedder.cacheKey;
  onOrt.dispose();
  assert.match(ortKey, /\|ort\|onnx-converter-v\d+$/, 'the key names the engine and the converter version');
  assert.notEqual(ortKey, tfjsKey);
  assert.equal(cachedEntries(opts.cacheDir, ortKey), result.dataset.images);
  assert.equal(cachedEntries(opts.cacheDir, tfjsKey), 0, 'no TF.js vectors were computed');
  assert.equal(result.bakeOff.candidates[0].embeddingsComputed, result.dataset.images);

  // Fine-tuning trained its top on activations ONNX Runtime computed at the cut.
  assert.ok(result.timings.some((t) => t.stage === 'fineTune'));
  assert.ok(
    lines.some((l) => /^Fine-tuning from block_15_add \(activations from ONNX Runtime\): validation accuracy/.test(l.text)),
    lines.map((l) => l.text).join('\n'),
  );
  assert.equal(cachedEntries(opts.cacheDir, activationsKey), result.dataset.images);

  // The export (TF.js) predicts the labels the run measured with ORT's embeddings (which agree within 1e-3).
  const classifier = await loadClassifier(join(opts.outDir, 'model'));
  try {
    const prepared = await prepareDataset(
      { datasetPath: dataset, split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels: DEFAULTS.maxPixels, workDir: tempDir() },
      silentLogger,
    );
    const tests = prepared.images.filter((i) => i.split === 'test');
    assert.equal(tests.length, result.test.images);
    for (const image of tests) {
      const out = await classifier.classify(image.path);
      const mistake = result.test.mistakes.find((m) => m.file === image.file);
      assert.equal(out.label, mistake ? mistake.predictedLabel : image.label, image.file);
      if (mistake) assert.ok(Math.abs(out.confidence - mistake.confidence) < 1e-3, `${image.file}: ${out.confidence} vs ${mistake.confidence}`);
    }
  } finally {
    await classifier.dispose();
  }
});

test('engine onnx on a machine where ONNX Runtime does not load: the run embeds with TF.js and says why', async () => {
  const { log, lines } = recordingLog();
  const opts = options({ engine: 'onnx', fineTune: 'false', trials: 1, workers: 1 });
  const loadRuntime = () => Promise.reject(new Error('libonnxruntime.so.1: cannot open shared object file: No such file or directory'));
  const result = await train(opts, { log, engineProbes: { loadRuntime } });
  const inference = result.backend.inference!;
  assert.equal(inference.engine, 'tfjs');
  assert.equal(inference.provider, result.backend.name);
  assert.deepEqual(inference.skipped, [
    {
      engine: 'onnxruntime',
      reason:
        'onnxruntime-node did not load (libonnxruntime.so.1: cannot open shared object file: No such file or directory); using TF.js WASM for the backbones',
    },
  ]);
  assert.ok(
    lines.some((l) =>
      l.text.startsWith(`Inference engine: TF.js (${result.backend.name}) in 1 worker thread; skipped onnxruntime: onnxruntime-node did not load`),
    ),
    lines.map((l) => l.text).join('\n'),
  );
  const tfjs = await loadBackbone(parseBackboneSpec('mobilenet_v2@64'), { cacheDir: opts.cacheDir });
  assert.equal(cachedEntries(opts.cacheDir, tfjs.cacheKey), result.dataset.images, 'the vectors are TF.js ones, under the TF.js key');
  tfjs.dispose();
  assert.ok(result.model.files.some((f) => f.name === 'model.json'));
});

test('a run asked for the GPU whose CUDA provider will not start says why in one line and continues on the CPU', async () => {
  const { log, lines } = recordingLog();
  const runtime = await loadOnnxRuntime();
  const createSession = async (model: string | Uint8Array, sessionOptions: ort.InferenceSession.SessionOptions) => {
    if (sessionOptions.executionProviders?.includes('cuda')) throw new Error('libcublasLt.so.12: cannot open shared object file');
    return sessionFactoryOf(runtime)(model, sessionOptions);
  };
  const result = await train(options({ device: 'gpu', backbones: ['hog@28'], fineTune: 'false', trials: 1 }), { log, engineProbes: { createSession } });
  assert.equal(result.backend.inference!.engine, 'onnxruntime');
  assert.equal(result.backend.inference!.provider, 'cpu');
  const warnings = lines.filter((l) => l.level === 'warn' && /GPU/.test(l.text));
  assert.deepEqual(
    warnings.map((l) => l.text),
    ["GPU asked for, but ONNX Runtime's CUDA execution provider did not start (libcublasLt.so.12: cannot open shared object file); running on the CPU."],
  );
});
