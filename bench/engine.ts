/**
 * The inference engines side by side in one run (issue 12's targets): whole-call embedding
 * from image files on disk (decode, batching and the cache write included) with ONNX Runtime
 * on every core against the TF.js WASM path with its warm worker pool, and compute alone
 * (decoded pixels in memory) from bench/onnx.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendInfo } from '../src/core/result.js';
import { embedderOf, loadBackbone, parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { chooseInferenceEngine } from '../src/core/engine/choose.js';
import { loadRunBackbone, ortBatchSize } from '../src/core/engine/onnx-backbone.js';
import { EmbeddingPool } from '../src/core/embeddings/parallel.js';
import { extractEmbeddings, type EmbeddableImage } from '../src/core/embeddings/extract.js';
import { DEFAULTS } from '../src/core/options.js';
import { silentLogger } from '../src/core/ports.js';
import { benchOnnx } from './onnx.js';

export interface EngineTarget {
  target: string;
  measured: string;
  met: boolean | null;
  limits: string;
}

export interface EngineBenchOptions {
  /** Images on disk (Fashion-MNIST PNGs in `npm run bench`). */
  images: EmbeddableImage[];
  workers: number;
  tmp: string;
  /** The TF.js backend the run trains with (the WASM path's). */
  backend: BackendInfo;
  note: (line: string) => void;
}

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** Images per second over one extractEmbeddings call on a cold cache. */
async function wholeCall(run: (cacheDir: string) => Promise<{ computed: number }>, count: number, tmp: string): Promise<number> {
  const cacheDir = mkdtempSync(join(tmp, 'engine-cache-'));
  try {
    const start = performance.now();
    const { computed } = await run(cacheDir);
    const seconds = (performance.now() - start) / 1000;
    if (computed !== count) throw new Error(`expected ${count} embeddings computed, got ${computed}`);
    return count / seconds;
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

export async function benchEngine(options: EngineBenchOptions): Promise<{ markdown: string[]; targets: EngineTarget[] }> {
  const { images, workers, tmp, backend, note } = options;
  const engine = await chooseInferenceEngine({ engine: 'onnx', device: 'cpu', tfjs: backend, tfjsWorkers: workers, cacheDir: tmp });
  if (engine.engine !== 'onnxruntime') throw new Error(`ONNX Runtime is not available here: ${engine.skipped.map((s) => s.reason).join('; ')}`);
  const extract = { maxPixels: DEFAULTS.maxPixels, log: silentLogger, now: () => performance.now() };

  const plan = [
    { spec: 'mobilenet_v2@224', count: 640, wasm: true },
    // InceptionV3 on WASM is about 2.5 img/s a thread: its target is ORT's alone.
    { spec: 'inception_v3@299', count: 320, wasm: false },
  ];
  const rows: { spec: string; count: number; ort: number; wasm: number | null }[] = [];
  const pool = EmbeddingPool.start({ workers, cacheDir: tmp, maxPixels: DEFAULTS.maxPixels });
  try {
    for (const { spec: text, count, wasm } of plan) {
      const spec = parseBackboneSpec(text);
      const subset = images.slice(0, count);
      note(`${text}: ${count} images from disk, ONNX Runtime (${engine.threads} threads)`);
      const onOrt = await loadRunBackbone(spec, engine, { cacheDir: tmp });
      const ortRate = await wholeCall((cacheDir) => extractEmbeddings(embedderOf(onOrt), subset, { ...extract, cacheDir }), count, tmp);
      onOrt.dispose();
      let wasmRate: number | null = null;
      if (wasm && pool) {
        note(`${text}: ${count} images from disk, TF.js WASM (${workers} workers, warm pool)`);
        await pool.whenReady();
        await pool.preload({ spec });
        const tfjs = await loadBackbone(spec, { cacheDir: tmp });
        wasmRate = await wholeCall((cacheDir) => extractEmbeddings(tfjs, subset, { ...extract, cacheDir, pool }), count, tmp);
        tfjs.dispose();
      }
      rows.push({ spec: text, count, ort: ortRate, wasm: wasmRate });
    }
  } finally {
    await pool?.dispose();
  }
  note('compute alone: ONNX Runtime vs TF.js WASM on decoded pixels (bench/onnx.ts)');
  const compute = await benchOnnx({ log: note });

  const markdown = [
    `### Inference engines (whole call from ${images.length ? 'Fashion-MNIST PNGs' : 'files'} on disk, cold cache: decode, batching and cache write included; ONNX Runtime ${engine.threads} threads, batches of ${ortBatchSize(224)} images at 224 px, ${ortBatchSize(299)} at 299; WASM ${workers} workers from a warm pool)`,
    '',
    '| backbone | images | ONNX Runtime img/s | WASM img/s | ORT / WASM |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.spec} | ${r.count} | ${fmt(r.ort)} | ${r.wasm === null ? 'not run (too slow)' : fmt(r.wasm)} | ${r.wasm === null ? '–' : `${fmt(r.ort / r.wasm)}×`} |`,
    ),
    '',
    `Compute alone (decoded pixels in memory, batch 32):`,
    '',
    '| backbone | ORT all cores | ORT all cores, every tap | ORT 1 thread | WASM 1 thread | per thread |',
    '| --- | --- | --- | --- | --- | --- |',
    ...compute.map(
      (r) =>
        `| ${r.backbone} | ${fmt(r.ortAllCores)} | ${fmt(r.ortAllCoresAllTaps)} | ${fmt(r.ortOneThread)} | ${fmt(r.wasm)} | ${fmt(r.ortOneThread / r.wasm)}× |`,
    ),
    '',
  ];
  const mobilenet = rows.find((r) => r.spec.startsWith('mobilenet_v2'))!;
  const inception = rows.find((r) => r.spec.startsWith('inception_v3'))!;
  const mobilenetCompute = compute.find((r) => r.backbone.startsWith('mobilenet_v2'));
  const ratio = mobilenet.wasm ? mobilenet.ort / mobilenet.wasm : NaN;
  const targets: EngineTarget[] = [
    {
      target: 'MobileNetV2@224 whole call on ONNX Runtime ≥ 100 img/s and ≥ 4× the WASM path',
      measured: `${fmt(mobilenet.ort)} img/s, ${fmt(ratio)}× WASM (${fmt(mobilenet.wasm ?? NaN)} img/s, ${workers} workers)`,
      met: mobilenet.ort >= 100 && ratio >= 4,
      limits: 'decoding (sharp, in this thread ahead of ORT) and the cache write are in the call',
    },
    {
      target: 'MobileNetV2@224 compute alone on ONNX Runtime ≥ 180 img/s',
      measured: mobilenetCompute ? `${fmt(mobilenetCompute.ortAllCores)} img/s (${mobilenetCompute.cores} threads)` : 'not measured',
      met: mobilenetCompute ? mobilenetCompute.ortAllCores >= 180 : null,
      limits: 'two cores',
    },
    {
      target: 'InceptionV3@299 whole call on ONNX Runtime ≥ 20 img/s',
      measured: `${fmt(inception.ort)} img/s over ${inception.count} images`,
      met: inception.ort >= 20,
      limits: 'two cores; 5.7 GFLOPs an image',
    },
  ];
  return { markdown, targets };
}
