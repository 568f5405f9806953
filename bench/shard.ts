/**
 * Scale-out targets (issue 15):
 * - merge: 2 × 10,000 cached embeddings (1,280 floats each, MobileNetV2's size) into one cache in ≤ 5 s;
 * - shards: on Fashion-MNIST images, two embed jobs run one after the other (standing in for two
 *   runners) each take ≤ 55% of the one-job embed's wall time (backbone load included, as on a
 *   runner); then merge + train on the merged cache computes 0 embeddings and equals the one-job
 *   run's winner and test metrics exactly.
 *
 * The embed step (load the backbone, embed, write the chunk) is timed in this process, the one
 * job and the two shards interleaved over ROUNDS rounds (medians), the order rotated each round
 * so that none always follows the long one-job run or drift in the machine's load touches all
 * three alike. What a runner pays besides — the process start and the dataset scan and check
 * (hashing every file, decoding only its shard's) — is timed on whole `classifier-ci embed`
 * processes (the published bin, as a workflow step runs it) and reported apart: it feeds the
 * cost model in docs/scale-out.md.
 *
 * `benchShard` returns the BENCHMARKS.md section and the targets, as bench/review.ts does.
 * Alone: `node --import tsx bench/shard.ts [--images N] [--backbone SPEC]`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { ensureBackend } from '../src/core/backend/select.js';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { openEmbeddingStore } from '../src/core/embeddings/cache.js';
import { chooseInferenceEngine, describeInference } from '../src/core/engine/choose.js';
import { DEFAULTS } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger } from '../src/core/ports.js';
import { inShard } from '../src/core/shard/assign.js';
import { embedShard } from '../src/core/shard/embed.js';
import { chunkManifest, writeChunkManifest } from '../src/core/shard/manifest.js';
import { mergeChunks } from '../src/core/shard/merge.js';
import { FASHION_LABELS, fashionMnistAvailable, readFashionMnist } from '../scripts/fashion-mnist.js';
import type { BenchTarget } from './cross-source.js';

export interface ShardBenchOptions {
  /** A scratch folder. */
  tmp: string;
  /** Fashion-MNIST images for the shard part (first of each class, in turn). Default 2,000. */
  images?: number;
  /** Backbone of the shard part. Default mobilenet_v2@224, the pass `auto` embeds first on ONNX Runtime. */
  backbone?: string;
}

/** Rounds of (one job, shard 1/2, shard 2/2) for the embed-step medians. */
const ROUNDS = 3;
const CLI = join(fileURLToPath(new URL('..', import.meta.url)), 'bin', 'classifier-ci.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const MERGE_ENTRIES = 10_000;
const MERGE_DIM = 1280;
const seconds = (start: number) => (performance.now() - start) / 1000;

export async function benchMerge(tmp: string): Promise<{ seconds: number; copied: number }> {
  const key = 'bench|mobilenet_v2@224';
  const chunks: string[] = [];
  for (const c of [0, 1]) {
    const dir = join(tmp, `merge-chunk-${c}`);
    const store = openEmbeddingStore(dir, key, MERGE_DIM);
    const images: string[] = [];
    const vector = new Float32Array(MERGE_DIM);
    for (let i = 0; i < MERGE_ENTRIES; i++) {
      const sha = createHash('sha256').update(`${c}:${i}`).digest('hex');
      vector.fill(i / MERGE_ENTRIES + c);
      await store.put(sha, vector);
      images.push(sha);
    }
    await writeChunkManifest(
      dir,
      chunkManifest([
        {
          backbone: 'mobilenet_v2@224',
          cacheKey: key,
          featureDim: MERGE_DIM,
          stores: [{ cacheKey: key, dim: MERGE_DIM }],
          engine: 'onnxruntime/cpu',
          classifierCiVersion: 'bench',
          converterVersion: 1,
          shards: [{ index: c + 1, count: 2 }],
          images,
          computed: MERGE_ENTRIES,
          cached: 0,
        },
      ]),
    );
    chunks.push(dir);
  }
  const report = await mergeChunks(chunks, join(tmp, 'merge-into'), { log: silentLogger, now: () => performance.now() });
  return { seconds: report.seconds, copied: report.backbones[0].copied };
}

async function writeFashion(root: string, count: number): Promise<void> {
  const set = readFashionMnist('train');
  const perClass = new Map<number, number>();
  let written = 0;
  for (let index = 0; index < set.count && written < count; index++) {
    const label = set.labels[index];
    if ((perClass.get(label) ?? 0) >= Math.ceil(count / FASHION_LABELS.length)) continue;
    perClass.set(label, (perClass.get(label) ?? 0) + 1);
    const dir = join(root, FASHION_LABELS[label]);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${index}.png`),
      await sharp(Buffer.from(set.images.subarray(index * 784, (index + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } })
        .png()
        .toBuffer(),
    );
    written++;
  }
}

export async function benchShard(opts: ShardBenchOptions): Promise<{ markdown: string[]; targets: BenchTarget[] }> {
  const md = ['### Scale-out: shards and merge (issue 15)', ''];
  const merge = await benchMerge(opts.tmp);
  md.push(`Merge of 2 × ${MERGE_ENTRIES.toLocaleString('en')} entries (${MERGE_DIM} floats each): ${merge.seconds.toFixed(2)} s, ${merge.copied} copied.`, '');
  const targets: BenchTarget[] = [
    {
      target: `merge 2 × ${MERGE_ENTRIES} cached embeddings ≤ 5 s`,
      measured: `${merge.seconds.toFixed(2)} s`,
      met: merge.seconds <= 5,
      limits: 'local disk, one process; 64 entries in flight',
    },
  ];

  if (!fashionMnistAvailable()) {
    md.push('Shard part skipped: Fashion-MNIST is not installed (apt-get install -y dataset-fashion-mnist).');
    return { markdown: md, targets };
  }
  const count = opts.images ?? 2000;
  const dataset = join(opts.tmp, 'fashion');
  await writeFashion(dataset, count);
  const models = join(opts.tmp, 'models');
  const spec = parseBackboneSpec(opts.backbone ?? 'mobilenet_v2@224');
  const backend = await ensureBackend();
  const engine = await chooseInferenceEngine({ engine: 'auto', device: 'auto', tfjs: backend, tfjsWorkers: os.availableParallelism(), cacheDir: models });
  const checkStart = performance.now();
  const { images } = await prepareDataset(
    { datasetPath: dataset, split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels: DEFAULTS.maxPixels, workDir: opts.tmp },
    silentLogger,
  );
  const checkSeconds = seconds(checkStart);
  const shardSizes = [1, 2].map((index) => images.filter((image) => inShard(image.sha256, { index, count: 2 })).length);
  let chunkCount = 0;
  /** One embed step: load the backbone, embed the shard's images, write the chunk; wall and extraction seconds. */
  const job = async (index: number, n: number, subset = images) => {
    const chunkDir = join(opts.tmp, `chunk-${chunkCount++}`);
    const start = performance.now();
    const { seconds: extraction } = await embedShard({
      spec,
      images: subset,
      shard: { index, count: n },
      engine,
      chunkDir,
      modelCacheDir: models,
      maxPixels: DEFAULTS.maxPixels,
      workers: os.availableParallelism(),
      log: silentLogger,
      now: () => performance.now(),
    });
    return { wall: seconds(start), extraction, chunkDir };
  };
  // Converting the backbone happens once per runner cache; warm it so every job below pays the same load.
  await job(1, 1, images.slice(0, 1));
  const timed: Record<'one' | 'shard1' | 'shard2', { wall: number; extraction: number; chunkDir: string }[]> = { one: [], shard1: [], shard2: [] };
  const jobs = { one: () => job(1, 1), shard1: () => job(1, 2), shard2: () => job(2, 2) };
  const order = Object.keys(jobs) as (keyof typeof jobs)[];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < order.length; i++) {
      const key = order[(i + round) % order.length];
      timed[key].push(await jobs[key]());
    }
  }
  const wall = (k: keyof typeof timed) => median(timed[k].map((t) => t.wall));
  const extraction = (k: keyof typeof timed) => median(timed[k].map((t) => t.extraction));
  const oneJob = wall('one');
  const shards = [wall('shard1'), wall('shard2')];

  // Whole embed jobs as a workflow step runs them: a process each (start, dataset check, embed, chunk).
  const processJob = (shard: string) => {
    const start = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        CLI,
        'embed',
        dataset,
        '--backbone',
        spec.id,
        '--shard',
        shard,
        '--out',
        join(opts.tmp, `process-${shard.replace('/', '-')}`),
        '--cache-dir',
        models,
        '--quiet',
      ],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`classifier-ci embed --shard ${shard} failed: ${run.stderr}`);
    return seconds(start);
  };
  const processOne = processJob('1/1');
  const processShards = [processJob('1/2'), processJob('2/2')];

  const mergeStart = performance.now();
  const merged = join(opts.tmp, 'merged');
  await mergeChunks([timed.shard1[0].chunkDir, timed.shard2[0].chunkDir], merged, { log: silentLogger, now: () => performance.now() });
  const mergeSeconds = seconds(mergeStart);
  const trainOptions = (cacheDir: string, outDir: string) => ({
    ...DEFAULTS,
    datasetPath: dataset,
    outDir,
    cacheDir,
    backbones: [spec.id],
    budgetSeconds: 3600,
    trials: 3,
    epochs: 20,
    workers: os.availableParallelism(),
    fineTune: 'false' as const,
    engine: 'auto' as const,
    review: false,
  });
  const sharded = await train(trainOptions(merged, join(opts.tmp, 'run-sharded')), { log: silentLogger });
  const single = await train(trainOptions(join(opts.tmp, 'one-job-cache'), join(opts.tmp, 'run-one-job')), { log: silentLogger });
  const computed = sharded.bakeOff.candidates[0].embeddingsComputed;
  const same = sharded.bakeOff.winner === single.bakeOff.winner && JSON.stringify(sharded.test) === JSON.stringify(single.test);
  const share = Math.max(...shards) / oneJob;
  const perImageMs = (extraction('one') / images.length) * 1000;
  const fixed = median([...timed.one, ...timed.shard1, ...timed.shard2].map((t) => t.wall - t.extraction));

  md.push(
    `${images.length} Fashion-MNIST images (shards of ${shardSizes.join(' and ')} by content hash), ${spec.id}, ${describeInference(engine)}.`,
    '',
    `Embed step (load the backbone, embed, write the chunk) in this process, median of ${ROUNDS} interleaved rounds:`,
    '',
  );
  md.push('| job | wall time | embedding alone | of the one-job embed |', '|---|---|---|---|');
  md.push(`| one job, every image | ${oneJob.toFixed(2)} s | ${extraction('one').toFixed(2)} s | 100% |`);
  (['shard1', 'shard2'] as const).forEach((k, i) =>
    md.push(`| shard ${i + 1}/2 | ${shards[i].toFixed(2)} s | ${extraction(k).toFixed(2)} s | ${((shards[i] / oneJob) * 100).toFixed(1)}% |`),
  );
  md.push(`| merge of the two chunks | ${mergeSeconds.toFixed(2)} s | | |`, '');
  md.push(
    `Every round's wall times (s): ${(['one', 'shard1', 'shard2'] as const).map((k) => `${k === 'one' ? 'one job' : `shard ${k.slice(-1)}/2`} ${timed[k].map((t) => t.wall.toFixed(2)).join(', ')}`).join('; ')}.`,
    '',
  );
  md.push(
    `Per image: ${perImageMs.toFixed(2)} ms embedding; per job fixed: ${fixed.toFixed(2)} s (backbone load from the converted file, chunk manifest). ` +
      `The worst shard's share is its share of the images (${((Math.max(...shardSizes) / images.length) * 100).toFixed(1)}%) plus the fixed cost over the one-job embed.`,
    '',
    `Whole \`classifier-ci embed\` processes (node start, dataset scan, check of the shard's images, embed, chunk): one job ${processOne.toFixed(1)} s; shards ${processShards.map((s) => `${s.toFixed(1)} s`).join(' and ')} ` +
      `(${((Math.max(...processShards) / processOne) * 100).toFixed(0)}%). The scan and check of every image take ${checkSeconds.toFixed(1)} s here (${((checkSeconds / images.length) * 1000).toFixed(2)} ms per image); an embed job decodes only its shard's images, so that part shrinks with the shards too.`,
    '',
    `Train on the merged cache: ${computed} embeddings computed; winner ${sharded.bakeOff.winner}, test accuracy ${(sharded.test.accuracy * 100).toFixed(1)}% (one job: ${(single.test.accuracy * 100).toFixed(1)}%).`,
    '',
  );
  targets.push(
    {
      target: "each shard's embed ≤ 55% of the one-job embed (2 shards)",
      measured: `${(share * 100).toFixed(1)}% (worst shard, median of ${ROUNDS})`,
      met: share <= 0.55,
      limits: `${images.length} images at ${spec.inputSize} px, one machine standing in for two runners; backbone load included; a whole embed process (node start and the dataset scan included) is ${((Math.max(...processShards) / processOne) * 100).toFixed(0)}%`,
    },
    { target: 'train on the merged cache computes 0 embeddings', measured: `${computed}`, met: computed === 0, limits: '' },
    { target: 'same winner and test metrics as the one-job run', measured: same ? 'identical' : 'different', met: same, limits: 'same seed and engine' },
  );
  md.push('| target | measured | met | limits |', '|---|---|---|---|');
  for (const t of targets) md.push(`| ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} | ${t.limits} |`);
  return { markdown: md, targets };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { images: { type: 'string' }, backbone: { type: 'string' } } });
  const tmp = mkdtempSync(join(os.tmpdir(), 'cci-shard-'));
  try {
    const outcome = await benchShard({ tmp, images: values.images ? Number(values.images) : undefined, backbone: values.backbone });
    console.log(outcome.markdown.join('\n'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] != null && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
