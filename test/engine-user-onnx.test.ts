/**
 * A user's `.onnx` backbone on ONNX Runtime: preprocessing (range, mean/std, NCHW or NHWC) and
 * pooling checked against arithmetic on known pixels, the output chosen by name, clear errors
 * for a missing output, a wrong size or a run without ORT, and embeddings cached under a key
 * that names every choice. The models are tiny graphs the test writes itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { extractEmbeddings } from '../src/core/embeddings/extract.js';
import { InputError } from '../src/core/errors.js';
import { chooseInferenceEngine, type InferenceEngine } from '../src/core/engine/choose.js';
import { loadRunBackbone } from '../src/core/engine/onnx-backbone.js';
import { OnnxGraph } from '../src/core/onnx/graph.js';
import { silentLogger } from '../src/core/ports.js';
import type { BackendInfo } from '../src/core/result.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';
import { readdirSync } from 'node:fs';

const wasm: BackendInfo = { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', gpu: false, threads: 1, skipped: [] };
const SIZE = 8;

/**
 * An "encoder" with two outputs: `maps`, the input times two (4-D, in the input's layout), and
 * `means`, the input averaged over its spatial axes (2-D). `fixed` pins the spatial size.
 */
function writeEncoder(dir: string, layout: 'nchw' | 'nhwc', fixed = false): string {
  const graph = new OnnxGraph();
  const side = fixed ? SIZE : 'side';
  const input = graph.addInput('image', layout === 'nchw' ? ['batch', 3, side, side] : ['batch', side, side, 3]);
  const two = graph.addFloat('two', { shape: [1], values: Float32Array.of(2) });
  graph.addOutput(graph.addNode('Mul', [input, two], 'maps'), layout === 'nchw' ? ['batch', 3, side, side] : ['batch', side, side, 3]);
  graph.addOutput(graph.addNode('ReduceMean', [input], 'means', { axes: layout === 'nchw' ? [2, 3] : [1, 2], keepdims: 0 }), ['batch', 3]);
  const path = join(dir, `encoder-${layout}${fixed ? '-fixed' : ''}.onnx`);
  writeFileSync(path, graph.serialize('encoder', 'test encoder'));
  return path;
}

/** Two images: red full, green a ramp along x, blue zero in the first; the second all 51. */
function pixels(): Uint8Array {
  const data = new Uint8Array(2 * SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const p = (y * SIZE + x) * 3;
      data.set([255, x * 32, 0], p);
    }
  }
  data.fill(51, SIZE * SIZE * 3);
  return data;
}

/** What the preprocessing should give, averaged per channel: (byte/255·(high−low)+low − mean)/std. */
function expectedMeans(bytes: Uint8Array, range: [number, number], mean: number[], std: number[]): number[] {
  const out: number[] = [];
  for (let image = 0; image < 2; image++) {
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let p = 0; p < SIZE * SIZE; p++) sum += ((bytes[image * SIZE * SIZE * 3 + p * 3 + c] / 255) * (range[1] - range[0]) + range[0] - mean[c]) / std[c];
      out.push(sum / (SIZE * SIZE));
    }
  }
  return out;
}

function assertClose(got: ArrayLike<number>, want: number[], message: string): void {
  assert.equal(got.length, want.length, message);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-5, `${message} [${i}]: ${got[i]} vs ${want[i]}`);
}

let ortEngine: Promise<InferenceEngine> | null = null;
const engine = () => (ortEngine ??= chooseInferenceEngine({ engine: 'onnx', device: 'cpu', tfjs: wasm, tfjsWorkers: 1, cacheDir: tempDir() }));

test('NCHW and NHWC encoders: range, mean and std applied per channel, 4-D outputs pooled by global average, 2-D ones taken as they are', async () => {
  const dir = tempDir();
  const bytes = pixels();
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  const want = expectedMeans(bytes, [-1, 1], mean, std);
  for (const layout of ['nchw', 'nhwc'] as const) {
    const path = writeEncoder(dir, layout);
    const options = `,range=-1:1,layout=${layout},mean=${mean.join(':')},std=${std.join(':')}`;
    const pooled = await loadRunBackbone(parseBackboneSpec(`${path}@${SIZE}${options}`), await engine(), { cacheDir: tempDir() });
    const direct = await loadRunBackbone(parseBackboneSpec(`${path}@${SIZE}${options},output=means`), await engine(), { cacheDir: tempDir() });
    try {
      assert.equal(pooled.featureDim, 3);
      assert.equal(pooled.params, 1, 'the one initializer of the graph');
      assert.equal(pooled.layersModel, null);
      assertClose(
        await pooled.ort!.embed(bytes, 2),
        want.map((v) => 2 * v),
        `${layout}: maps (first output) pooled`,
      );
      assertClose(await direct.ort!.embed(bytes, 2), want, `${layout}: output=means`);
      assert.notEqual(pooled.ort!.cacheKey, direct.ort!.cacheKey, 'the output is part of the key');
      assert.match(pooled.ort!.cacheKey, new RegExp(`\\|${layout}\\|.*\\|ort\\|user-onnx-v\\d+$`));
      assert.throws(() => pooled.embed(bytes, 2), /runs on ONNX Runtime only/);
    } finally {
      pooled.dispose();
      direct.dispose();
    }
  }
});

test('embeddings of a user ONNX backbone go through the cache like any other', async () => {
  const dataset = sampleSubset(2, ['bag', 'trouser']);
  const images = ['bag', 'trouser'].flatMap((label) =>
    readdirSync(join(dataset, label)).map((file) => ({ path: join(dataset, label, file), sha256: `${label}-${file}`.padEnd(64, '0') })),
  );
  const cacheDir = tempDir();
  const backbone = await loadRunBackbone(parseBackboneSpec(`${writeEncoder(tempDir(), 'nchw')}@16`), await engine(), { cacheDir });
  try {
    const run = { cacheDir, maxPixels: 1e8, workers: 2, log: silentLogger, now: () => 0 };
    const first = await extractEmbeddings(backbone.ort!, images, run);
    assert.equal(first.computed, 4);
    const second = await extractEmbeddings(backbone.ort!, images, run);
    assert.deepEqual([second.computed, second.cached], [0, 4]);
    for (const image of images) assert.deepEqual(second.vectors.get(image.sha256), first.vectors.get(image.sha256));
  } finally {
    backbone.dispose();
  }
});

test('a missing output, a size the model does not take, or a run without ORT: an InputError that says what to do', async () => {
  const dir = tempDir();
  const path = writeEncoder(dir, 'nchw', true);
  await assert.rejects(loadRunBackbone(parseBackboneSpec(`${path}@${SIZE},output=pooler_output`), await engine(), { cacheDir: dir }), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /has no output "pooler_output"; its outputs are maps, means\. Name one with output=<name>\.$/);
    return true;
  });
  await assert.rejects(loadRunBackbone(parseBackboneSpec(`${path}@16`), await engine(), { cacheDir: dir }), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /could not run it on one 16×16 image in NCHW \(.+\)\. Check @<size> and layout=\.$/);
    return true;
  });
  const tfjs = await chooseInferenceEngine({ engine: 'tfjs', device: 'cpu', tfjs: wasm, tfjsWorkers: 1, cacheDir: dir });
  await assert.rejects(loadRunBackbone(parseBackboneSpec(`${path}@${SIZE}`), tfjs, { cacheDir: dir }), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(
      error.message,
      /is an ONNX model and needs ONNX Runtime, which this run does not use \(not asked for \(engine: tfjs\)\)\. Use engine auto or onnx/,
    );
    return true;
  });
});

test('a run whose winner is a user ONNX backbone trains on ORT and exports model.onnx alone (onnx-export-user.test.ts checks it in full)', async () => {
  const { train } = await import('../src/core/pipeline.js');
  const { DEFAULTS } = await import('../src/core/options.js');
  const lines: string[] = [];
  const outDir = join(tempDir(), 'run');
  const result = await train(
    {
      ...DEFAULTS,
      datasetPath: sampleSubset(4, ['bag', 'trouser']),
      outDir,
      cacheDir: tempDir(),
      backbones: [`${writeEncoder(tempDir(), 'nhwc')}@16,layout=nhwc`],
      budgetSeconds: 30,
      trials: 1,
      epochs: 3,
      workers: 1,
      engine: 'onnx' as const,
    },
    { log: { ...silentLogger, info: (m: string) => lines.push(m) } },
  );
  assert.ok(
    lines.some((l) => /^encoder-nhwc @16: validation accuracy/.test(l)),
    lines.join('\n'),
  );
  assert.equal(result.model.onnx?.only, true);
  assert.deepEqual(readdirSync(join(outDir, 'model')).sort(), ['labels.json', 'metrics.json', 'model.onnx', 'preprocessing.json']);
});
