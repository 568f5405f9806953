/**
 * Backbone embeddings per second, compute alone (decoded pixels in memory, batch 32):
 * ONNX Runtime (CPU, all cores and one thread; main output alone and every tap in one run)
 * against TF.js WASM in one thread, side by side in one process. Not a test: it prints a table.
 * Run: `node --import tsx bench/onnx.ts [--only mobilenet_v2,inception_v3] [--seconds 4]`.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { describeBackend, ensureBackend } from '../src/core/backend/select.js';
import { BUILTIN_BACKBONES, loadBackbone, parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeBatch } from '../src/core/embeddings/extract.js';
import { loadOnnxBackbone } from '../src/core/onnx/extractor.js';

const SAMPLE = fileURLToPath(new URL('../sample-dataset', import.meta.url));
const BATCH = 32;

export interface OnnxBenchRow {
  backbone: string;
  /** ORT, intra-op threads = cores, main output only. */
  ortAllCores: number;
  /** ORT, every tap fetched in the same run. */
  ortAllCoresAllTaps: number;
  ortOneThread: number;
  /** TF.js WASM, one thread. */
  wasm: number;
  cores: number;
}

export interface OnnxBenchOptions {
  /** Backbone names (keys of BUILTIN_BACKBONES). Default both. */
  backbones?: string[];
  /** Timed seconds per ORT measurement, at least 2 batches. Default 4. */
  seconds?: number;
  log?: (line: string) => void;
}

/** Real images from the sample dataset, resized as extract.ts does. */
async function samplePixels(size: number): Promise<Uint8Array> {
  const paths = readdirSync(SAMPLE)
    .sort()
    .flatMap((label) =>
      readdirSync(join(SAMPLE, label))
        .sort()
        .map((file) => ({ path: join(SAMPLE, label, file) })),
    );
  return decodeBatch(
    Array.from({ length: BATCH }, (_, i) => paths[i % paths.length]),
    size,
    100_000_000,
  );
}

/** Images per second of `embed` on full batches: one warm-up batch, then batches for `seconds` (at least `minBatches`). */
async function rate(embed: () => unknown, seconds: number, minBatches: number): Promise<number> {
  await embed();
  let batches = 0;
  const start = performance.now();
  while (batches < minBatches || performance.now() - start < seconds * 1000) {
    await embed();
    batches++;
  }
  return (batches * BATCH) / ((performance.now() - start) / 1000);
}

export async function benchOnnx(options: OnnxBenchOptions = {}): Promise<OnnxBenchRow[]> {
  const log = options.log ?? (() => {});
  const seconds = options.seconds ?? 4;
  const cacheDir = mkdtempSync(join(os.tmpdir(), 'cci-bench-onnx-'));
  const backend = await ensureBackend();
  log(`TF.js backend: ${describeBackend(backend)}`);
  const rows: OnnxBenchRow[] = [];
  try {
    for (const name of options.backbones ?? Object.keys(BUILTIN_BACKBONES)) {
      const spec = parseBackboneSpec(name);
      const pixels = await samplePixels(spec.inputSize);
      const cores = os.availableParallelism();
      const ort = await loadOnnxBackbone(spec, { cacheDir });
      const ortAllCores = await rate(() => ort.embed(pixels, BATCH), seconds, 3);
      const ortAllCoresAllTaps = await rate(() => ort.embedTaps(pixels, BATCH), seconds, 3);
      await ort.dispose();
      const single = await loadOnnxBackbone(spec, { cacheDir, threads: 1 });
      const ortOneThread = await rate(() => single.embed(pixels, BATCH), seconds, 2);
      await single.dispose();
      const tfjs = await loadBackbone(spec, { cacheDir });
      // WASM is slow (InceptionV3: over 10 s a batch): warm up on two images, time one batch.
      tfjs.embed(pixels.subarray(0, 2 * spec.inputSize * spec.inputSize * 3), 2);
      const wasm = await rate(() => tfjs.embed(pixels, BATCH), 0, 1);
      tfjs.dispose();
      const row = { backbone: spec.id, ortAllCores, ortAllCoresAllTaps, ortOneThread, wasm, cores };
      log(`${spec.id}: ORT ${ortAllCores.toFixed(1)} img/s (${cores} threads), ${ortOneThread.toFixed(1)} (1 thread); WASM ${wasm.toFixed(1)}`);
      rows.push(row);
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
  return rows;
}

export function formatOnnxBench(rows: OnnxBenchRow[]): string {
  const lines = [
    `| Backbone (batch ${BATCH}, compute alone) | ORT, ${rows[0]?.cores ?? '?'} threads | ORT, ${rows[0]?.cores ?? '?'} threads, all taps | ORT, 1 thread | TF.js WASM, 1 thread | ORT ÷ WASM per thread |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.backbone} | ${r.ortAllCores.toFixed(1)} img/s | ${r.ortAllCoresAllTaps.toFixed(1)} img/s | ${r.ortOneThread.toFixed(1)} img/s | ${r.wasm.toFixed(1)} img/s | ${(r.ortOneThread / r.wasm).toFixed(1)}× |`,
    ),
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { only: { type: 'string' }, seconds: { type: 'string' } } });
  const rows = await benchOnnx({
    backbones: values.only?.split(',').map((s) => s.trim()),
    seconds: values.seconds ? Number(values.seconds) : undefined,
    log: (line) => console.error(line),
  });
  console.log(formatOnnxBench(rows));
}
