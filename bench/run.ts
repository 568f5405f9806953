/**
 * `npm run bench`: how fast classifier-ci is on this machine, printed and appended to
 * BENCHMARKS.md as a dated section (machine, Node, backend). Not a test: nothing here fails
 * on a slow figure; the targets of issue 3 are reported as met or missed, with what limits them.
 *
 * Parts (all by default; `--only embed,engine,head,conv,cnn,fmnist,xsource,review,predict,full,shard` picks some):
 * - embed:   embedding img/s, MobileNetV2 @224 and @96 and InceptionV3 @299, in-process (1 worker)
 *            vs N worker threads, cold cache, over the whole extractEmbeddings call; the N workers
 *            are a run's warm pool (started and warmed up beforehand, as train() does while it
 *            reads the dataset), so the call includes loading the backbone into them but not
 *            their start-up; plus where decoding is faster (main thread or workers).
 * - engine:  whole-call embedding from files, ONNX Runtime vs the WASM path, and compute alone
 *            (bench/engine.ts, bench/onnx.ts).
 * - head:    head-training time on those embeddings.
 * - conv:    one small-CNN training step, tfjs cpu vs WASM with our gradient kernels
 *            (bench/conv-step.ts; `--quick` skips the cpu side, which takes over a minute).
 * - cnn:     the small CNN trained from scratch on the Fashion-MNIST subset, on ONNX Runtime
 *            against TF.js on WASM, and its accuracy on the official test set (bench/small-cnn.ts).
 * - fmnist:  the Fashion-MNIST protocol: 100 training images per class drawn with a fixed seed
 *            from the official training set, the whole `train()` under a fixed budget, the
 *            exported model scored on the official 10,000-image test set.
 * - xsource: the cross-source benchmark (bench/cross-source.ts): digits in one family of fonts to
 *            train on, another to test on; `auto` against the naive MobileNetV2@224 + linear head.
 * - review:  dataset review on Fashion-MNIST with flipped labels and re-encoded copies (bench/review.ts).
 * - predict: warm latency of classifying one image (loadClassifier + classify), median of 20.
 * - full:    the whole default `train()` (budget 600 s) on 1,000 generated 224-px JPEGs (bench/full-run.ts).
 * - shard:   scale-out (bench/shard.ts): two shards' embed against the one-job embed, merge + train
 *            on the merged cache against a one-job run, and the merge of 2 × 10,000 entries.
 *
 * Options: --workers <n> (default: one per core), --budget <s> (150), --backbones <list> (auto),
 * --test-images <n> (10000), --quick, --dry-run (print only; do not append to BENCHMARKS.md).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { describeBackend, ensureBackend } from '../src/core/backend/select.js';
import { status, updateBenchmarks } from './benchmarks-file.js';
import { benchCrossSource } from './cross-source.js';
import { benchEngine } from './engine.js';
import { benchFullRun } from './full-run.js';
import { benchReview } from './review.js';
import { benchShard } from './shard.js';
import { loadBackbone, parseBackboneSpec, type FeatureExtractor } from '../src/core/backbones/zoo.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { decodeBatch, extractEmbeddings, tfjsBatchSize, type EmbeddableImage } from '../src/core/embeddings/extract.js';
import { EmbeddingPool, embedInWorkers, type DecodePlace } from '../src/core/embeddings/parallel.js';
import { loadClassifier } from '../src/core/model/classifier.js';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { preloadWhileScanning } from '../src/core/run/stages/scan.js';
import { silentLogger, type Logger } from '../src/core/ports.js';
import { createRng, shuffleInPlace } from '../src/core/random.js';
import type { RunResult } from '../src/core/result.js';
import { defaultConfig } from '../src/core/training/candidates.js';
import { trainHead, type Examples } from '../src/core/training/head.js';
import { terminalLogger } from '../src/cli/terminal-logger.js';
import { FASHION_LABELS, fashionMnistAvailable, readFashionMnist } from '../scripts/fashion-mnist.js';
import { benchConvStep } from './conv-step.js';
import { benchSmallCnn } from './small-cnn.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// CCI_BENCHMARKS_FILE: record into another checkout's file (a bench run from a clean clone records into the working tree).
const BENCHMARKS = process.env.CCI_BENCHMARKS_FILE ?? join(ROOT, 'BENCHMARKS.md');
/** The draw of the 100 training images per class; fixed so every run trains on the same images. */
const FMNIST_SEED = 42;
const PER_CLASS = 100;
const PARTS = ['embed', 'engine', 'head', 'conv', 'cnn', 'fmnist', 'xsource', 'review', 'predict', 'full', 'shard'] as const;
type Part = (typeof PARTS)[number];

// ---------------------------------------------------------------------------------------------
// Small helpers

const round = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const seconds = (start: number) => (performance.now() - start) / 1000;

/** Output: printed as it comes, and kept as Markdown for BENCHMARKS.md. */
const markdown: string[] = [];
function out(line = ''): void {
  console.log(line);
  markdown.push(line);
}
function table(header: string[], rows: (string | number)[][]): void {
  out(`| ${header.join(' | ')} |`);
  out(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of rows) out(`| ${row.join(' | ')} |`);
  out();
}
const note = (text: string) => console.error(`  … ${text}`);

/** Starts this file as a worker thread under tsx (Node 20 does not pass tsx's loader hooks to workers). */
function startSelfWorker(data: unknown): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/**
 * Resolves with the first `onMessage` answer that is not undefined (M is what the worker
 * posts), once the worker has exited on its own. Terminating a worker that has answered but
 * is still releasing an ONNX Runtime session aborted the whole process once ("terminate
 * called after throwing an instance of 'Napi::Error'").
 */
function workerResult<T, M>(worker: Worker, onMessage: (message: M) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    let result: T | undefined;
    worker.on('message', (message: M) => {
      result ??= onMessage(message);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 && result !== undefined ? resolve(result) : reject(new Error(`worker exited (code ${code}) before finishing`))));
  });
}

// ---------------------------------------------------------------------------------------------
// The machine

/** How much parallel CPU this process really gets now: N spinning threads vs one (2.0 on two idle cores). */
async function parallelCapacity(threads: number): Promise<number> {
  const spin = `const { parentPort } = require('node:worker_threads'); const t = performance.now(); let x = 0; for (let i = 0; i < 1.5e8; i++) x += i % 7; parentPort.postMessage(performance.now() - t);`;
  const run = (n: number) =>
    Promise.all(
      Array.from({ length: n }, () => {
        const worker = new Worker(spin, { eval: true });
        return workerResult<number, number>(worker, (ms) => ms).finally(() => worker.terminate());
      }),
    );
  const [one] = await run(1);
  const many = await run(threads);
  return (threads * one) / Math.max(...many);
}

/** CPU seconds the whole machine has been busy since boot (all processes), from /proc/stat; NaN elsewhere. */
function machineBusySeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // Fields 4 and 5 (idle, iowait) are not busy time.
    const [user, nice, system, , , irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
    return (user + nice + system + irq + softirq + steal) / 100; // USER_HZ
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// Fashion-MNIST data

function ensureFashionMnist(): void {
  if (fashionMnistAvailable()) return;
  note('installing Debian package dataset-fashion-mnist');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const apt = (...args: string[]) => spawnSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args], { stdio: 'inherit' });
  if (apt('install', '-y', 'dataset-fashion-mnist').status !== 0) apt('update');
  if (!fashionMnistAvailable()) apt('install', '-y', 'dataset-fashion-mnist');
  if (!fashionMnistAvailable()) throw new Error('Fashion-MNIST is not installed and could not be installed: run apt-get install -y dataset-fashion-mnist');
}

interface LabelledImage extends EmbeddableImage {
  label: string;
}

/**
 * Writes PER_CLASS training images per class, drawn with FMNIST_SEED, as <label>/train-<index>.png.
 * Returns them interleaved by class (one of each class, then the next…), so any prefix is balanced.
 */
async function writeFashionSubset(root: string): Promise<LabelledImage[]> {
  ensureFashionMnist();
  const set = readFashionMnist('train');
  const order = shuffleInPlace(
    Array.from({ length: set.count }, (_, i) => i),
    createRng(FMNIST_SEED),
  );
  const byClass = FASHION_LABELS.map((_, c) => order.filter((i) => set.labels[i] === c).slice(0, PER_CLASS));
  const images: LabelledImage[] = [];
  for (let rank = 0; rank < PER_CLASS; rank++) {
    for (let c = 0; c < FASHION_LABELS.length; c++) {
      const index = byClass[c][rank];
      const label = FASHION_LABELS[c];
      const path = join(root, label, `train-${String(index).padStart(5, '0')}.png`);
      mkdirSync(join(root, label), { recursive: true });
      const png = await sharp(Buffer.from(set.images.subarray(index * 784, (index + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } })
        .png()
        .toBuffer();
      writeFileSync(path, png);
      images.push({ path, label, sha256: createHash('sha256').update(png).digest('hex') });
    }
  }
  return images;
}

const PHOTO_COUNT = 96;

/** The images blown up to 2000×1500 JPEGs (quality 90), like photos from a phone, to give decoding real work. */
async function writePhotos(images: LabelledImage[], dir: string): Promise<LabelledImage[]> {
  mkdirSync(dir, { recursive: true });
  return Promise.all(
    images.slice(0, PHOTO_COUNT).map(async (image, i) => {
      const jpeg = await sharp(image.path).resize(2000, 1500, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer();
      const path = join(dir, `photo-${i}.jpg`);
      writeFileSync(path, jpeg);
      return { ...image, path, sha256: createHash('sha256').update(jpeg).digest('hex') };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Embedding

interface EmbedMeasure {
  seconds: number;
  /** Images per second over the whole call (with a warm pool: loading the backbone into its workers included). */
  rate: number;
  /** Images per second from the first finished batch to the last (start-up excluded). */
  steadyRate: number;
  /** Seconds until the first batch was done. */
  firstBatch: number;
  /** CPU time of this process (all its threads) over wall time: how many cores it really got. */
  coresUsed: number;
  /** The same for the whole machine (Linux /proc/stat), so other work on it shows: machine − ours. */
  machineCores: number;
  vectors: Map<string, Float32Array>;
}

async function measureExtraction(
  extractor: FeatureExtractor,
  images: EmbeddableImage[],
  pool: EmbeddingPool | null,
  batchSize: number,
  tmp: string,
): Promise<EmbedMeasure> {
  const cacheDir = mkdtempSync(join(tmp, 'cache-'));
  const marks: [number, number][] = [];
  const log: Logger = { ...silentLogger, warn: (m) => console.error(`warning: ${m}`), progress: (_task, done) => marks.push([performance.now(), done]) };
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const run = await extractEmbeddings(extractor, images, {
    cacheDir,
    maxPixels: DEFAULTS.maxPixels,
    batchSize,
    workers: 1,
    pool: pool ?? undefined,
    log,
    now: () => performance.now(),
  });
  const total = seconds(start);
  const cpu = process.cpuUsage(cpuBefore);
  const machineBusy = machineBusySeconds() - machineBefore;
  rmSync(cacheDir, { recursive: true, force: true });
  if (run.computed !== images.length) throw new Error(`expected ${images.length} embeddings computed, got ${run.computed}`);
  const [first, last] = [marks[0], marks.at(-1)!];
  return {
    seconds: total,
    rate: images.length / total,
    steadyRate: last[0] > first[0] ? ((last[1] - first[1]) * 1000) / (last[0] - first[0]) : NaN,
    firstBatch: (first[0] - start) / 1000,
    coresUsed: (cpu.user + cpu.system) / 1e6 / total,
    machineCores: machineBusy / total,
    vectors: run.vectors,
  };
}

function sameVectors(a: Map<string, Float32Array>, b: Map<string, Float32Array>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, va] of a) {
    const vb = b.get(key);
    if (!vb || !Buffer.from(va.buffer, va.byteOffset, va.byteLength).equals(Buffer.from(vb.buffer, vb.byteOffset, vb.byteLength))) return false;
  }
  return true;
}

interface EmbedRow {
  spec: string;
  images: number;
  one: EmbedMeasure;
  many: EmbedMeasure;
  identical: boolean;
  featureDim: number;
}

/** How the run's first backbone got to its embedding: scan, loading it here, and the call, as train() goes (see firstBackboneAsRun). */
interface RunStart {
  /** Seconds of the dataset scan (prepareDataset), with the pool starting and preloading beside it when there is one. */
  scanSeconds: number;
  /** Seconds this thread took to load its own copy of the backbone after the scan. */
  loadSeconds: number;
  /** From the start of the scan to the last embedding cached. */
  totalSeconds: number;
  /** With a pool: seconds from the start until every worker's backend was up. */
  poolReadySeconds?: number;
}

/** The images as a dataset folder (hard links, <label>/<file>), for a real scan. */
function datasetFolder(images: LabelledImage[], dir: string): string {
  for (const image of images) {
    mkdirSync(join(dir, image.label), { recursive: true });
    linkSync(image.path, join(dir, image.label, basename(image.path)));
  }
  return dir;
}

/**
 * The run's first backbone as train() gets to it: the pool (when there is one) starts with the
 * run, the dataset is scanned (prepareDataset) while the pool's workers start and load the
 * backbone (run/stages/scan.ts preloadWhileScanning), then this thread loads its own copy (the
 * bake-off) and the embedding call runs. Nothing is warmed up beforehand.
 */
async function firstBackboneAsRun(
  spec: string,
  images: LabelledImage[],
  workers: number | null,
  batchSize: number,
  tmp: string,
): Promise<{ measure: EmbedMeasure; start: RunStart; pool: EmbeddingPool | null; featureDim: number }> {
  const datasetPath = datasetFolder(images, mkdtempSync(join(tmp, 'dataset-')));
  const backbone = parseBackboneSpec(spec);
  const begin = performance.now();
  const pool = workers ? EmbeddingPool.start({ workers, cacheDir: tmp, maxPixels: DEFAULTS.maxPixels }) : null;
  if (workers && !pool) throw new Error('the embedding worker script is missing');
  let poolReadySeconds: number | undefined;
  pool
    ?.whenReady()
    .then(() => (poolReadySeconds = seconds(begin)))
    .catch(() => {});
  let preloading: Promise<unknown> = Promise.resolve();
  await prepareDataset(
    {
      datasetPath,
      split: DEFAULTS.split,
      seed: DEFAULTS.seed,
      maxPixels: DEFAULTS.maxPixels,
      workDir: tmp,
      onListed: pool
        ? (paths) => {
            preloading = preloadWhileScanning(pool, paths, () => [backbone], silentLogger);
          }
        : undefined,
    },
    silentLogger,
  );
  await preloading;
  const scanSeconds = seconds(begin);
  // As the bake-off: the workers are asked again (a no-op when they have it) while this thread loads its copy.
  if (pool) void pool.preload({ spec: backbone });
  const loadStart = performance.now();
  const extractor = await loadBackbone(backbone, { cacheDir: tmp });
  const loadSeconds = seconds(loadStart);
  try {
    const measure = await measureExtraction(extractor, images, pool, batchSize, tmp);
    return { measure, start: { scanSeconds, loadSeconds, totalSeconds: seconds(begin), poolReadySeconds }, pool, featureDim: extractor.featureDim };
  } finally {
    extractor.dispose();
  }
}

/** How many times the first row's pair (one thread, then the pool) is measured; the figure is the median pair. */
const FIRST_ROW_REPEATS = 3;

/** A bench worker's job: the run's first backbone on one thread, in a fresh thread (fresh backend and WASM memory). */
interface FirstBackboneJob {
  role: 'first-backbone';
  spec: string;
  images: LabelledImage[];
  batchSize: number;
  tmp: string;
}

type FirstBackboneReply = Omit<Awaited<ReturnType<typeof firstBackboneAsRun>>, 'pool'>;

/** Worker side of FirstBackboneJob. */
async function firstBackboneInThread(job: FirstBackboneJob): Promise<void> {
  await ensureBackend();
  const { pool: _none, ...reply } = await firstBackboneAsRun(job.spec, job.images, null, job.batchSize, job.tmp);
  parentPort!.postMessage(reply satisfies FirstBackboneReply);
}

/** The run's first backbone on one thread that has never run anything: a new bench worker, as a fresh process would be. */
function firstBackboneOnOneFreshThread(spec: string, images: LabelledImage[], batchSize: number, tmp: string): Promise<FirstBackboneReply> {
  const worker = startSelfWorker({ role: 'first-backbone', spec, images, batchSize, tmp } satisfies FirstBackboneJob);
  return workerResult<FirstBackboneReply, FirstBackboneReply>(worker, (reply) => reply);
}

/** One fresh-start pair of the first row. */
interface FirstPair {
  one: FirstBackboneReply;
  many: FirstBackboneReply;
  speedUp: number;
}

async function benchEmbedding(
  plan: { spec: string; images: number; batchSize: number }[],
  images: LabelledImage[],
  workers: number,
  tmp: string,
): Promise<{ rows: EmbedRow[]; first: { one: RunStart; many: RunStart }; firstPairs: FirstPair[] }> {
  const rows: EmbedRow[] = [];
  // The first backbone as a run meets it: on one fresh thread (no pool; its WASM memory is new,
  // as in a run, so its first batch grows it), then with a pool started for it. Alternated and
  // repeated, each from a fresh start, so one burst of other work on the machine does not decide it.
  const [head, ...rest] = plan;
  const subset = images.slice(0, head.images);
  const pairs: (FirstPair & { pool: EmbeddingPool })[] = [];
  for (let r = 1; r <= FIRST_ROW_REPEATS; r++) {
    note(`${head.spec}: ${head.images} images on one fresh thread, as a run's first backbone (scan, load, embed; ${r}/${FIRST_ROW_REPEATS})`);
    const one = await firstBackboneOnOneFreshThread(head.spec, subset, head.batchSize, tmp);
    note(`${head.spec}: ${head.images} images, ${workers} workers, as a run's first backbone (pool started with the scan; ${r}/${FIRST_ROW_REPEATS})`);
    const { pool, ...many } = await firstBackboneAsRun(head.spec, subset, workers, head.batchSize, tmp);
    pairs.push({ one, many, speedUp: many.measure.rate / one.measure.rate, pool: pool! });
  }
  const chosen = pairs.find((p) => p.speedUp === median(pairs.map((q) => q.speedUp)))!;
  // The later rows reuse the chosen pair's pool; the others' workers stop now.
  await Promise.all(pairs.filter((p) => p !== chosen).map((p) => p.pool.dispose()));
  const pool = chosen.pool;
  try {
    rows.push({
      spec: head.spec,
      images: head.images,
      one: chosen.one.measure,
      many: chosen.many.measure,
      identical: pairs.every(
        (p) => sameVectors(p.one.measure.vectors, chosen.many.measure.vectors) && sameVectors(p.many.measure.vectors, chosen.many.measure.vectors),
      ),
      featureDim: chosen.one.featureDim,
    });
    // The later backbones on the same warm pool.
    for (const { spec, images: count, batchSize } of rest) {
      // As the bake-off does when it starts a candidate: the workers load their copies while this
      // thread loads its own, and the call starts right after; whatever of their loading is not
      // done yet is in it. (In a run they start earlier, while the previous candidate's head trains.)
      void pool.preload({ spec: parseBackboneSpec(spec) });
      const extractor = await loadBackbone(parseBackboneSpec(spec), { cacheDir: tmp });
      try {
        const subset = images.slice(0, count);
        note(`${spec}: ${count} images, ${workers} workers (warm pool)`);
        const many = await measureExtraction(extractor, subset, pool, batchSize, tmp);
        note(`${spec}: ${count} images in-process`);
        const one = await measureExtraction(extractor, subset, null, batchSize, tmp);
        rows.push({ spec, images: count, one, many, identical: sameVectors(one.vectors, many.vectors), featureDim: extractor.featureDim });
      } finally {
        extractor.dispose();
      }
    }
    return {
      rows,
      first: { one: chosen.one.start, many: chosen.many.start },
      firstPairs: pairs.map(({ one, many, speedUp }) => ({ one, many, speedUp })),
    };
  } finally {
    await pool.dispose();
  }
}

/**
 * The same batches through the workers, decoded ahead in the main thread vs in each worker.
 * Alternated and repeated (best of `repeats` each), so a burst of other work on the machine
 * does not decide it.
 */
async function benchDecodePlace(
  spec: string,
  images: EmbeddableImage[],
  workers: number,
  tmp: string,
  repeats = 2,
): Promise<{ rates: Record<DecodePlace, number[]>; decodeMs: number; embedMs: number }> {
  const extractor = await loadBackbone(parseBackboneSpec(spec), { cacheDir: tmp });
  const batches: EmbeddableImage[][] = [];
  for (let i = 0; i < images.length; i += 16) batches.push(images.slice(i, i + 16));
  const rates: Record<DecodePlace, number[]> = { main: [], worker: [] };
  try {
    // What one batch costs to decode and to embed, in this thread, for scale.
    let start = performance.now();
    const pixels = await decodeBatch(batches[0], extractor.spec.inputSize, DEFAULTS.maxPixels);
    const decodeMs = performance.now() - start;
    extractor.embed(pixels, batches[0].length); // warm-up
    start = performance.now();
    extractor.embed(pixels, batches[0].length);
    const embedMs = performance.now() - start;
    for (let r = 0; r < repeats; r++) {
      for (const decodeIn of ['main', 'worker'] as const) {
        note(`${spec}: decoding in ${decodeIn} (${r + 1}/${repeats})`);
        const start = performance.now();
        await embedInWorkers(extractor, batches, { workers, cacheDir: tmp, maxPixels: DEFAULTS.maxPixels, log: silentLogger, decodeIn }, async () => {});
        rates[decodeIn].push(images.length / seconds(start));
      }
    }
    return { rates, decodeMs, embedMs };
  } finally {
    extractor.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// Head training

function headExamples(images: LabelledImage[], vectors: Map<string, Float32Array>, dim: number, labels: string[]): { train: Examples; val: Examples } {
  const pick = (keep: (i: number) => boolean): Examples => {
    const chosen = images.filter((_, i) => keep(i));
    const x = new Float32Array(chosen.length * dim);
    const y = new Int32Array(chosen.length);
    chosen.forEach((image, i) => {
      x.set(vectors.get(image.sha256)!, i * dim);
      y[i] = labels.indexOf(image.label);
    });
    return { x, y, rows: chosen.length };
  };
  // Every fifth round of the classes for validation: balanced, since the images are interleaved by class.
  const roundOf = (i: number) => Math.floor(i / labels.length);
  return { train: pick((i) => roundOf(i) % 5 !== 0), val: pick((i) => roundOf(i) % 5 === 0) };
}

// ---------------------------------------------------------------------------------------------
// Fashion-MNIST test set, scored by the exported model in worker threads

interface ScoreJob {
  role: 'score';
  modelDir: string;
  start: number;
  end: number;
}

/** What a scoring worker posts: progress, then its predictions. */
type ScoreMessage = { type: 'progress'; done: number } | { type: 'done'; predicted: Int32Array };

/** Worker side: classify test images [start, end) exactly as `predict` would (PNG → decodeToRgb → model). */
async function scoreShard(job: ScoreJob): Promise<void> {
  const classifier = await loadClassifier(job.modelDir);
  try {
    await scoreShardWith(classifier, job);
  } finally {
    // Released before the worker's event loop drains, so the thread exits on its own.
    await classifier.dispose();
  }
}

async function scoreShardWith(classifier: Awaited<ReturnType<typeof loadClassifier>>, job: ScoreJob): Promise<void> {
  const test = readFashionMnist('t10k');
  const size = classifier.inputSize;
  const batchSize = size >= 160 ? 16 : 64;
  const decode = async (from: number, to: number) => {
    const pixels = new Uint8Array((to - from) * size * size * 3);
    await Promise.all(
      Array.from({ length: to - from }, async (_, k) => {
        const index = from + k;
        const png = await sharp(Buffer.from(test.images.subarray(index * 784, (index + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } })
          .png()
          .toBuffer();
        pixels.set(await decodeToRgb(png, size, DEFAULTS.maxPixels), k * size * size * 3);
      }),
    );
    return pixels;
  };
  const predicted = new Int32Array(job.end - job.start);
  let next = decode(job.start, Math.min(job.end, job.start + batchSize));
  for (let from = job.start; from < job.end; from += batchSize) {
    const to = Math.min(job.end, from + batchSize);
    const pixels = await next;
    if (to < job.end) next = decode(to, Math.min(job.end, to + batchSize));
    const p = await classifier.classifyPixels(pixels, to - from);
    const classes = classifier.labels.length;
    for (let k = 0; k < to - from; k++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (p[k * classes + c] > p[k * classes + best]) best = c;
      predicted[from - job.start + k] = FASHION_LABELS.indexOf(classifier.labels[best]);
    }
    parentPort!.postMessage({ type: 'progress', done: to - from });
  }
  parentPort!.postMessage({ type: 'done', predicted }, [predicted.buffer]);
}

async function scoreTestSet(modelDir: string, count: number, workers: number): Promise<{ accuracy: number; seconds: number; images: number }> {
  const labels = readFashionMnist('t10k').labels;
  const start = performance.now();
  const shards = Array.from({ length: workers }, (_, w) => ({ start: Math.floor((w * count) / workers), end: Math.floor(((w + 1) * count) / workers) }));
  let done = 0;
  let lastShown = 0;
  const results = await Promise.all(
    shards.map(async (shard) => {
      const worker = startSelfWorker({ role: 'score', modelDir, ...shard } satisfies ScoreJob);
      try {
        const predicted = await workerResult<Int32Array, ScoreMessage>(worker, (message) => {
          if (message.type === 'progress') {
            done += message.done;
            if (done - lastShown >= count / 10 || done === count) {
              lastShown = done;
              note(`scored ${done}/${count} test images (${round(seconds(start), 0)} s)`);
            }
            return undefined;
          }
          return message.predicted;
        });
        return { ...shard, predicted };
      } finally {
        await worker.terminate();
      }
    }),
  );
  let correct = 0;
  for (const { start: from, predicted } of results) predicted.forEach((p, k) => (correct += Number(p === labels[from + k])));
  return { accuracy: correct / count, seconds: seconds(start), images: count };
}

// ---------------------------------------------------------------------------------------------
// The benchmark

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      workers: { type: 'string' },
      budget: { type: 'string', default: '150' },
      backbones: { type: 'string', default: 'auto' },
      'test-images': { type: 'string', default: '10000' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const parts = new Set<Part>(values.only ? (values.only.split(',').map((p) => p.trim()) as Part[]) : PARTS);
  for (const part of parts) if (!PARTS.includes(part)) throw new Error(`--only: unknown part "${part}"; choose from ${PARTS.join(', ')}`);
  const workers = Number(values.workers ?? os.availableParallelism());
  const budget = Number(values.budget);
  const testImages = Math.min(10_000, Number(values['test-images']));
  const tmp = mkdtempSync(join(os.tmpdir(), 'cci-bench-'));
  const began = performance.now();

  try {
    const backend = await ensureBackend();
    const capacity = await parallelCapacity(workers);
    const date = new Date();
    const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
    out(
      `## ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC — ${cpu}, ${os.availableParallelism()} cores, ${round(os.totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}, ${backend.name}`,
    );
    out();
    out(`- Command: \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` (${[...parts].join(', ')})`);
    out(
      `- Machine: ${cpu}; ${os.availableParallelism()} cores; ${round(os.totalmem() / 2 ** 30, 1)} GiB memory; ${os.type()} ${os.release()}; Node ${process.version}`,
    );
    out(`- Backend: ${describeBackend(backend)}`);
    const loadAtStart = os
      .loadavg()
      .map((l) => round(l, 2))
      .join(' / ');
    out(
      `- Load at start: load average ${loadAtStart}; CPU available to ${workers} parallel threads: ${round(capacity, 2)}× one thread (${workers}.0 on an idle machine; other work on the machine lowers it)`,
    );
    out(`- Worker threads for the N-worker figures: ${workers}`);
    out();

    const needImages = parts.has('embed') || parts.has('engine') || parts.has('head') || parts.has('cnn') || parts.has('fmnist') || parts.has('predict');
    const fmnistDir = join(tmp, 'fashion-mnist');
    const images = needImages ? await writeFashionSubset(fmnistDir) : [];
    if (needImages) note(`wrote ${images.length} Fashion-MNIST training images (seed ${FMNIST_SEED}) to ${fmnistDir}`);

    const targets: { target: string; measured: string; met: boolean | null; limits: string }[] = [];

    // -- Embedding and head training -------------------------------------------------------------
    let embedRows: EmbedRow[] = [];
    if (parts.has('embed') || parts.has('head')) {
      const plan = [
        { spec: 'mobilenet_v2@224', images: 640, batchSize: tfjsBatchSize(224) },
        { spec: 'mobilenet_v2@96', images: 1000, batchSize: tfjsBatchSize(96) },
        { spec: 'inception_v3@299', images: 48, batchSize: tfjsBatchSize(299) },
      ];
      const embedded = await benchEmbedding(plan, images, workers, tmp);
      embedRows = embedded.rows;
      out(
        `### Embedding (Fashion-MNIST PNGs, cold cache; 1 worker = one thread embedding, no pool; img/s over the whole extractEmbeddings call, and steady from the first finished batch to the last)`,
      );
      out();
      out(
        `${workers} workers = the run's pool, shared by the three backbones in turn. The first row is measured as a run meets its first backbone, nothing warmed up beforehand: 1 worker = a new thread scans the dataset of those ${plan[0].images} images (prepareDataset), loads the backbone and embeds (its WASM memory fresh, so its first batch pays for growing it); ${workers} workers = a new pool started with the run, the scan running while the workers start, load the backbone and warm it up on a blank batch (as train() does, run/stages/scan.ts), then this thread loads its own copy and the call runs (with whatever of the workers' loading and warming up is left). The later rows reuse the warm pool; their workers start loading each backbone when this thread loads its own copy (in a run, earlier: while the previous candidate's head trains). A call includes decoding, embedding and writing the cache. The first row's pair is run ${embedded.firstPairs.length} times, alternated, each from a fresh start; the row shows the pair with the median speed-up (speed-ups ${embedded.firstPairs.map((p) => `${round(p.speedUp, 2)}×`).join(', ')}; 1 worker ${embedded.firstPairs.map((p) => round(p.one.measure.rate)).join(', ')} img/s, ${workers} workers ${embedded.firstPairs.map((p) => round(p.many.measure.rate)).join(', ')} img/s).`,
      );
      out();
      out(
        `${plan[0].spec}, from the start of the run: scan ${round(embedded.first.one.scanSeconds, 1)} s alone / ${round(embedded.first.many.scanSeconds, 1)} s with the pool starting beside it (every worker's backend up after ${round(embedded.first.many.poolReadySeconds ?? NaN, 1)} s); this thread's load of the backbone ${round(embedded.first.one.loadSeconds, 1)} / ${round(embedded.first.many.loadSeconds, 1)} s; scan + load + embedding ${round(embedded.first.one.totalSeconds, 1)} s with 1 worker, ${round(embedded.first.many.totalSeconds, 1)} s with ${workers} (${round(embedded.first.one.totalSeconds / embedded.first.many.totalSeconds, 2)}×).`,
      );
      out();
      table(
        [
          'backbone',
          'images (batch)',
          '1 worker img/s',
          `${workers} workers img/s`,
          'speed-up',
          '1 worker steady',
          `${workers} workers steady`,
          'steady speed-up',
          `${workers} workers: first batch after`,
          `cores used by us (1 / ${workers} workers)`,
          `by the whole machine (1 / ${workers} workers)`,
          'bit-identical',
        ],
        embedRows.map((r, i) => [
          r.spec,
          `${r.images} (${plan[i].batchSize})`,
          round(r.one.rate),
          round(r.many.rate),
          `${round(r.many.rate / r.one.rate, 2)}×`,
          round(r.one.steadyRate),
          round(r.many.steadyRate),
          `${round(r.many.steadyRate / r.one.steadyRate, 2)}×`,
          `${round(r.many.firstBatch, 1)} s`,
          `${round(r.one.coresUsed, 2)} / ${round(r.many.coresUsed, 2)}`,
          `${round(r.one.machineCores, 2)} / ${round(r.many.machineCores, 2)}`,
          r.identical ? 'yes' : '**no**',
        ]),
      );
      const m224 = embedRows[0];
      const speedUp = m224.many.rate / m224.one.rate;
      const steadyUp = m224.many.steadyRate / m224.one.steadyRate;
      targets.push({
        target: `Embedding, ${workers} workers ≥ 1.8× one (MobileNetV2 @224 ≥ 21 img/s)`,
        measured: `${round(speedUp, 2)}× (${round(m224.many.rate)} img/s) over ${m224.images} images, median of ${embedded.firstPairs.length} fresh-start pairs (${embedded.firstPairs.map((p) => `${round(p.speedUp, 2)}×`).join(', ')}); steady ${round(steadyUp, 2)}× (${round(m224.many.steadyRate)} img/s)`,
        met: speedUp >= 1.8 && m224.many.rate >= 21,
        limits: `decoding and the cache writes share the cores with the workers (with one thread embedding they take the idle second core); first batch after ${round(m224.many.firstBatch, 1)} s with ${workers} workers (warmed up during the scan), ${round(m224.one.firstBatch, 1)} s on one thread (its first batch grows the thread's WASM memory); from the start of the run (scan, load, call) ${round(embedded.first.one.totalSeconds / embedded.first.many.totalSeconds, 2)}×: the pool's start-up and warm-up slow the scan (${round(embedded.first.one.scanSeconds, 1)} → ${round(embedded.first.many.scanSeconds, 1)} s); the process got ${round(m224.many.coresUsed, 2)} cores on average with ${workers} workers, while the whole machine used ${round(m224.many.machineCores, 2)} (the difference is other work on the machine; CPU available to ${workers} threads at start: ${round(capacity, 2)}×)`,
      });

      if (parts.has('embed')) {
        // Decoding only costs something on big files: photo-sized JPEGs made from the same images.
        const photos = await writePhotos(images.slice(0, 96), join(tmp, 'photos'));
        const { rates: decode, decodeMs, embedMs } = await benchDecodePlace('mobilenet_v2@224', photos, workers, tmp);
        const best = (xs: number[]) => Math.max(...xs);
        out(
          `### Where to decode (MobileNetV2 @224, ${PHOTO_COUNT} 3-megapixel JPEGs, ${workers} workers, alternated, best of ${decode.main.length}; sharp overlaps compute either way)`,
        );
        out();
        table(
          ['decoded in', 'img/s (best)', 'runs'],
          [
            ['main thread, ahead of the workers (default)', round(best(decode.main)), decode.main.map((r) => round(r)).join(', ')],
            ['each worker, while it runs the previous batch', round(best(decode.worker)), decode.worker.map((r) => round(r)).join(', ')],
          ],
        );
        out(
          `One batch of 16 such JPEGs takes ${round(decodeMs, 0)} ms to decode (sharp, shrink-on-load) and ${round(embedMs, 0)} ms to embed, in one thread: decoding is ${round((100 * decodeMs) / embedMs, 1)}% of the work, so where it runs matters less than the noise of a shared machine.`,
        );
        out();
      }
    }

    if (parts.has('head') && embedRows.length) {
      const rows: (string | number)[][] = [];
      for (const r of embedRows) {
        const subset = images.slice(0, r.images);
        const { train: trainSet, val } = headExamples(subset, r.one.vectors, r.featureDim, FASHION_LABELS);
        const start = performance.now();
        const head = await trainHead(trainSet, val, {
          numClasses: FASHION_LABELS.length,
          config: defaultConfig('frozen', DEFAULTS.epochs),
          seed: DEFAULTS.seed,
          deadline: Infinity,
          now: () => performance.now(),
        });
        const took = seconds(start);
        rows.push([
          r.spec,
          `${trainSet.rows} / ${val.rows}`,
          r.featureDim,
          head.curve.length,
          round(took, 2),
          round((took * 1000) / head.curve.length, 0),
          `${round(head.valAccuracy * 100)}%`,
        ]);
      }
      out(`### Head training on those embeddings (default linear head, up to ${DEFAULTS.epochs} epochs with early stopping)`);
      out();
      table(['embeddings', 'train / val', 'dim', 'epochs', 'seconds', 'ms/epoch', 'val accuracy'], rows);
    }

    // -- The small CNN on its two trainers --------------------------------------------------------------
    if (parts.has('cnn')) {
      const threads = os.availableParallelism();
      note(`small CNN: ONNX Runtime (${threads} threads) against TF.js WASM, then trained with its default config and scored on ${testImages} test images`);
      const r = await benchSmallCnn(images, FASHION_LABELS, readFashionMnist('t10k'), { threads, testImages });
      const [ort, wasm] = r.speed;
      out(
        `### Small CNN from scratch (Fashion-MNIST, ${r.trainRows} training and ${r.valRows} validation images @${r.size}; \`fit\` with the bake-off's default config, batch 32, flips and shifts)`,
      );
      out();
      table(
        ['trainer', `seconds for ${r.epochs} epochs (2 runs, alternated)`, 'training img/s (best run)'],
        [
          [`ONNX Runtime (${threads} threads)`, ort.seconds.map((x) => round(x, 1)).join(', '), round(ort.imagesPerSecond, 0)],
          ['TF.js WASM + our gradient kernels (1 thread)', wasm.seconds.map((x) => round(x, 1)).join(', '), round(wasm.imagesPerSecond, 0)],
        ],
      );
      out();
      out(
        `Trained with the bake-off's default config on ONNX Runtime: ${r.full.epochs} epochs (best on validation loss: ${r.full.bestEpoch}) in ${round(r.full.seconds, 1)} s; validation ${round(r.full.valAccuracy * 100, 1)}%; **official test set (${r.full.testImages} images): ${round(r.full.testAccuracy * 100, 2)}%**.`,
      );
      out();
      targets.push({
        target: `Small CNN from scratch on ${r.trainRows} Fashion-MNIST images @${r.size}: the default ${r.full.epochs} epochs ≤ 60 s on ONNX Runtime`,
        measured: `${round(r.full.seconds, 1)} s, ${round(r.full.testAccuracy * 100, 2)}% on the official test set; ${round(r.speedUp, 1)}× TF.js WASM's training img/s (${round(ort.imagesPerSecond, 0)} vs ${round(wasm.imagesPerSecond, 0)})`,
        met: r.full.seconds <= 60,
        limits: `per epoch a trainer also scores validation (${r.valRows} images) and ${Math.min(512, r.trainRows)} training images; batch norm, ReLU and pooling's backward passes are elementwise graph operators; Adam's update runs in JavaScript`,
      });
    }

    // -- Conv training step ------------------------------------------------------------------------
    if (parts.has('conv')) {
      note(values.quick ? 'conv step: wasm only (--quick)' : 'conv step: wasm, then cpu (over a minute)');
      const r = await benchConvStep({ cpuSteps: values.quick ? 0 : 1 });
      const speedUp = r.cpuMsPerStep / r.wasmMsPerStep;
      out(`### Conv training step (small CNN, batch 32, 28×28×1, VGG-style with batch norm)`);
      out();
      table(
        ['backend', 'ms/step'],
        [
          ['wasm + our gradient kernels (10 steps after 1 warm-up)', round(r.wasmMsPerStep, 0)],
          ['tfjs cpu (1 step)', values.quick ? 'skipped (--quick)' : round(r.cpuMsPerStep, 0)],
        ],
      );
      targets.push({
        target: 'Conv step on WASM ≥ 30× the tfjs cpu backend',
        measured: values.quick
          ? `wasm ${round(r.wasmMsPerStep, 0)} ms/step; cpu skipped`
          : `${round(speedUp, 1)}× (${round(r.wasmMsPerStep, 0)} vs ${round(r.cpuMsPerStep, 0)} ms/step)`,
        met: values.quick ? null : speedUp >= 30,
        limits: values.quick
          ? 'not measured (--quick)'
          : 'one WASM thread (tfjs disables WASM threads in Node); batch-norm and pooling gradients run in tfjs-core JavaScript',
      });
    }

    // -- Fashion-MNIST protocol ---------------------------------------------------------------------
    let modelDir: string | null = null;
    let modelNote = '';
    if (parts.has('fmnist')) {
      const outDir = join(tmp, 'fmnist-run');
      const options: TrainOptions = {
        ...DEFAULTS,
        datasetPath: fmnistDir,
        outDir,
        cacheDir: join(tmp, 'fmnist-cache'),
        backbones: values.backbones.split(',').map((b) => b.trim()),
        budgetSeconds: budget,
        split: { train: 0.8, val: 0.15, test: 0.05 },
        workers,
      };
      note(`Fashion-MNIST: train() on ${images.length} images, budget ${budget} s, backbones ${options.backbones.join(',')}, ${workers} workers`);
      const start = performance.now();
      const result: RunResult = await train(options, { log: terminalLogger(process.stderr, false) });
      const wall = seconds(start);
      modelDir = join(outDir, 'model');
      note(`scoring the exported model on ${testImages} official test images with ${workers} worker threads`);
      const score = await scoreTestSet(modelDir, testImages, workers);
      const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
      modelNote = `the Fashion-MNIST model (${winner?.displayName ?? result.bakeOff.winner})`;
      const timing = (stage: string) => result.timings.find((t) => t.stage === stage)?.seconds;
      out(
        `### Fashion-MNIST protocol (${PER_CLASS} training images per class, seed ${FMNIST_SEED}; \`train()\` with backbones ${options.backbones.join(',')}, budget ${budget} s, split 0.8/0.15/0.05, ${workers} workers, cold cache)`,
      );
      out();
      table(
        ['stage', 'seconds'],
        [
          // Every stage the pipeline times, in its order; embed is part of bakeOff, so it is not added in.
          ...result.timings.filter((t) => t.stage !== 'total').map((t) => [t.stage === 'embed' ? 'embed (part of bakeOff)' : t.stage, round(t.seconds, 1)]),
          [
            'other (time the stages above do not account for)',
            round((timing('total') ?? 0) - result.timings.filter((t) => t.stage !== 'total' && t.stage !== 'embed').reduce((sum, t) => sum + t.seconds, 0), 1),
          ],
          ['**total (result.timings)**', `**${round(timing('total') ?? NaN, 1)}**`],
          ['wall time of the `train()` call', round(wall, 1)],
        ],
      );
      table(
        ['candidate', 'val accuracy', 'epochs', 'embed s', 'train s', 'note'],
        result.bakeOff.candidates.map((c) => [
          c.displayName,
          `${round(c.valAccuracy * 100)}%`,
          c.epochs,
          round(c.embedSeconds, 1),
          round(c.trainSeconds, 1),
          c.error ? `error: ${c.error}` : c.backbone === result.bakeOff.winner ? 'winner' : '',
        ]),
      );
      out(`- Hyperparameter round: ${result.tuning.trials.length} trials; best ${JSON.stringify(result.tuning.best)}`);
      out(`- Held-out split (${result.test.images} images): ${round(result.test.accuracy * 100)}%`);
      out(
        `- **Official test set (${score.images} images): ${round(score.accuracy * 100, 2)}%** (scored in ${round(score.seconds, 0)} s, ${round(score.images / score.seconds, 0)} img/s, ${workers} workers)`,
      );
      out();
      const trainOk = wall <= 180;
      const fmnistLimits = `${score.images < 10_000 ? `only ${score.images} test images scored (--test-images); ` : ''}${images.length} training images (${result.dataset.counts.reduce((n, c) => n + c.train, 0)} to train on${result.tuning.refit?.applied ? `, ${result.tuning.refit.images} in the final fit` : ''}); the winner (${winner?.displayName}) reached ${round((winner?.valAccuracy ?? 0) * 100)}% on validation${trainOk ? '' : `; the run took ${round(wall, 0)} s`}`;
      const measured = `${round(score.accuracy * 100, 2)}% on ${score.images} test images; train ${round(wall, 0)} s`;
      const full = score.images === 10_000;
      targets.push(
        { target: 'Fashion-MNIST protocol ≥ 85% (issue 12)', measured, met: full && score.accuracy >= 0.85 && trainOk, limits: fmnistLimits },
        {
          target: `Fashion-MNIST protocol ≥ 88% within the ${budget} s budget (issue 13)`,
          measured,
          met: full && score.accuracy >= 0.88 && wall <= budget * 1.05,
          limits: fmnistLimits,
        },
      );
    }

    // -- Inference engines (issue 12): ONNX Runtime against the WASM path, same images, same run -----
    if (parts.has('engine')) {
      const engines = await benchEngine({ images, workers, tmp, backend, note });
      for (const line of engines.markdown) out(line);
      targets.push(...engines.targets);
    }

    // -- Dataset review (issue 14): flipped labels and re-encoded copies found ---------------------
    if (parts.has('review')) {
      note('dataset review: Fashion-MNIST with flipped labels and re-encoded copies');
      const review = await benchReview({ tmp, workers, log: terminalLogger(process.stderr, false) });
      for (const line of review.markdown) out(line);
      out();
      targets.push(...review.targets);
    }

    // -- Scale-out (issue 15): two shards against one job, merge, train on the merged cache ----------
    if (parts.has('shard')) {
      note('scale-out: one embed job and two shards (interleaved rounds), whole embed processes, merge, train on the merged cache and in one job');
      const shard = await benchShard({ tmp });
      for (const line of shard.markdown) out(line);
      out();
      targets.push(...shard.targets);
    }

    // -- Cross-source (issue 13): train on one family of fonts, test on another ---------------------
    if (parts.has('xsource')) {
      note(`cross-source: auto and the naive MobileNetV2@224 baseline on source A, both scored on source B (budget ${budget} s each)`);
      const crossSource = await benchCrossSource({ tmp, workers, budget, log: terminalLogger(process.stderr, false) });
      for (const line of crossSource.markdown) out(line);
      out();
      targets.push(...crossSource.targets);
    }

    // -- The full default run (issue 12): 1,000 224-px photos, default options and budget ----------
    if (parts.has('full')) {
      note('full default run: 1,000 generated 224-px JPEGs, train() with the default options (budget 600 s)');
      const full = await benchFullRun({ tmp, log: terminalLogger(process.stderr, false) });
      for (const line of full.markdown) out(line);
      targets.push(...full.targets);
    }

    // -- Warm predict ------------------------------------------------------------------------------
    if (parts.has('predict')) {
      const models: { dir: string; note: string; image: string }[] = [];
      if (modelDir) models.push({ dir: modelDir, note: modelNote, image: images[0].path });
      note('warm predict: training a MobileNetV2 @224 model on sample-dataset');
      const sampleOut = join(tmp, 'sample-run');
      await train(
        {
          ...DEFAULTS,
          datasetPath: join(ROOT, 'sample-dataset'),
          outDir: sampleOut,
          cacheDir: join(tmp, 'sample-cache'),
          backbones: ['mobilenet_v2@224'],
          budgetSeconds: 60,
          workers,
          review: false,
        },
        { log: silentLogger },
      );
      const photo = join(tmp, 'photo-224.jpg');
      await sharp(join(ROOT, 'sample-dataset', 'bag', readdirSync(join(ROOT, 'sample-dataset', 'bag'))[0]))
        .resize(224, 224)
        .jpeg()
        .toFile(photo);
      models.push({ dir: join(sampleOut, 'model'), note: 'a MobileNetV2 @224 model trained on sample-dataset', image: photo });
      const rows: (string | number)[][] = [];
      for (const model of models) {
        for (const engine of ['onnx', 'tfjs'] as const) {
          const classifier = await loadClassifier(model.dir, { engine });
          for (let i = 0; i < 3; i++) await classifier.classify(model.image);
          const times: number[] = [];
          for (let i = 0; i < 20; i++) {
            const start = performance.now();
            await classifier.classify(model.image);
            times.push(performance.now() - start);
          }
          await classifier.dispose();
          const ms = median(times);
          rows.push([model.note, classifier.inputSize, classifier.engine, round(ms, 1), round(quantile(times, 0.9), 1), round(Math.min(...times), 1)]);
          if (engine === 'onnx' && classifier.inputSize === 224) {
            targets.push({
              target: 'Warm predict of one 224-px image with the ONNX model < 15 ms median',
              measured: `${round(ms, 1)} ms median`,
              met: ms < 15,
              limits: `decode (sharp) + ONNX Runtime, ${os.availableParallelism()} threads`,
            });
          }
        }
      }
      out('### Warm predict (one image, decode + model; 3 warm-up calls, then 20)');
      out();
      table(['model', 'input', 'engine', 'median ms', 'p90 ms', 'min ms'], rows);
    }

    if (targets.length) {
      out('### Targets');
      out();
      table(
        ['target', 'measured', 'status', 'what limits it'],
        targets.map((t) => [t.target, t.measured, status(t.met), t.limits]),
      );
    }
    out(`_Benchmark wall time: ${round(seconds(began) / 60, 1)} min._`);
    out();

    if (!values['dry-run']) {
      const stamp = {
        date: `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        machine: `${cpu}, ${os.availableParallelism()} cores, load ${loadAtStart}`,
      };
      const previous = existsSync(BENCHMARKS) ? readFileSync(BENCHMARKS, 'utf8') : '';
      writeFileSync(BENCHMARKS, updateBenchmarks(previous, stamp, targets, markdown.join('\n')));
      console.error(`\nUpdated ${BENCHMARKS}: current figures and a new dated section`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (!isMainThread) {
  const job = workerData as ScoreJob | FirstBackboneJob | undefined;
  if (job?.role === 'score') await scoreShard(job);
  else if (job?.role === 'first-backbone') await firstBackboneInThread(job);
} else {
  await main();
}
