/**
 * The scale-out flow end to end on real images, as a matrix runs it: plan → one embed job per
 * shard and backbone (the CLI, as a workflow step calls it) → cache merge → train on the merged
 * cache. The train job must compute no embedding and reach exactly the one-job run's result.
 * HOG on TF.js keeps it quick; the flow does not depend on the backbone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { chooseInferenceEngine } from '../src/core/engine/choose.js';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger } from '../src/core/ports.js';
import { embedShard } from '../src/core/shard/embed.js';
import { readChunkManifest } from '../src/core/shard/manifest.js';
import { VERSION } from '../src/core/version.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';
import { startCli } from './helpers/fixtures.js';

const dataset = sampleSubset(8, ['bag', 'sneaker', 'trouser']);
const work = tempDir();
const backbones = ['hog@28', 'hog@16'];

async function cli(args: string[]) {
  const { code, out, err } = await startCli(args).done;
  assert.equal(code, 0, `classifier-ci ${args.join(' ')} failed:\n${err}`);
  return out;
}

function options(cacheDir: string, outDir: string): TrainOptions {
  // A budget nothing comes near, so no stage is cut short by the clock: both runs do the same work.
  return {
    ...DEFAULTS,
    datasetPath: dataset,
    outDir,
    cacheDir,
    backbones,
    budgetSeconds: 3600,
    trials: 2,
    epochs: 8,
    workers: 1,
    fineTune: 'false',
    engine: 'tfjs',
    review: false,
  };
}

test('plan, embed two shards, merge, train: no embedding computed, the one-job result exactly', async () => {
  const plan = JSON.parse(
    await cli(['plan', dataset, '--backbones', backbones.join(','), '--engine', 'tfjs', '--cache-dir', join(work, 'models'), '--json', '--quiet']),
  );
  // 24 images is far below a shard's worth: one shard each, unless asked for more.
  assert.deepEqual(plan.matrix.include, [
    { backbone: 'hog@28', shard: '1/1' },
    { backbone: 'hog@16', shard: '1/1' },
  ]);
  assert.equal(plan.backboneList, 'hog@28,hog@16');

  // hog@28 over two shards through the CLI, as two matrix jobs would; hog@16 in one job.
  const chunks = [join(work, 'chunk-1'), join(work, 'chunk-2'), join(work, 'chunk-hog16')];
  for (const [i, chunk] of chunks.slice(0, 2).entries()) {
    await cli([
      'embed',
      dataset,
      '--backbone',
      'hog@28',
      '--shard',
      `${i + 1}/2`,
      '--out',
      chunk,
      '--engine',
      'tfjs',
      '--workers',
      '1',
      '--cache-dir',
      join(work, 'models'),
      '--quiet',
    ]);
  }
  const backend = await ensureBackend();
  const engine = await chooseInferenceEngine({ engine: 'tfjs', device: 'cpu', tfjs: backend, tfjsWorkers: 1, cacheDir: work });
  const { images } = await prepareDataset(
    { datasetPath: dataset, split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels: DEFAULTS.maxPixels, workDir: work },
    silentLogger,
  );
  await embedShard({
    spec: parseBackboneSpec('hog@16'),
    images,
    shard: { index: 1, count: 1 },
    engine,
    chunkDir: chunks[2],
    modelCacheDir: join(work, 'models'),
    maxPixels: DEFAULTS.maxPixels,
    workers: 1,
    log: silentLogger,
    now: () => performance.now(),
  });

  const [one, two] = await Promise.all(chunks.slice(0, 2).map(async (c) => (await readChunkManifest(c, true))!.parts[0]));
  // The shards split the images between them, each embedding only its own; the manifests say what made them.
  assert.equal(one.images.length + two.images.length, 24);
  assert.ok(one.images.length > 0 && two.images.length > 0);
  assert.ok(one.images.every((sha) => !two.images.includes(sha)));
  assert.deepEqual([one.computed, two.computed], [one.images.length, two.images.length]);
  assert.deepEqual([one.backbone, one.engine, one.classifierCiVersion, one.shards], ['hog@28', `tfjs/${backend.name}`, VERSION, [{ index: 1, count: 2 }]]);

  const merged = join(work, 'merged');
  const mergedJson = JSON.parse(await cli(['cache', 'merge', ...chunks, '--into', merged, '--json', '--quiet']));
  assert.deepEqual(
    mergedJson.backbones.map((b: { backbone: string; copied: number; shards: string[] }) => [b.backbone, b.copied, b.shards]),
    [
      ['hog@28', 24, ['1/2', '2/2']],
      ['hog@16', 24, ['1/1']],
    ],
  );

  const sharded = await train(options(merged, join(work, 'run-sharded')), { log: silentLogger });
  assert.deepEqual(
    sharded.bakeOff.candidates.map((c) => [c.backbone, c.embeddingsComputed, c.embeddingsCached]),
    [
      ['hog@28', 0, 24],
      ['hog@16', 0, 24],
    ],
  );

  const oneJob = await train(options(join(work, 'one-job-cache'), join(work, 'run-one-job')), { log: silentLogger });
  assert.deepEqual(
    oneJob.bakeOff.candidates.map((c) => [c.backbone, c.embeddingsComputed]),
    [
      ['hog@28', 24],
      ['hog@16', 24],
    ],
  );
  assert.equal(sharded.bakeOff.winner, oneJob.bakeOff.winner);
  assert.deepEqual(sharded.test, oneJob.test);
  assert.deepEqual(
    sharded.bakeOff.candidates.map((c) => [c.valAccuracy, c.curve]),
    oneJob.bakeOff.candidates.map((c) => [c.valAccuracy, c.curve]),
  );
  assert.deepEqual(
    sharded.tuning.trials.map((t) => [t.config, t.valAccuracy]),
    oneJob.tuning.trials.map((t) => [t.config, t.valAccuracy]),
  );
});

test('a +taps pass covers the plain cut on ONNX Runtime: the plan gives the plain candidate no job, and train finds it cached', async () => {
  const candidates = ['mobilenet_v2@96+taps', 'mobilenet_v2@96'];
  const models = join(work, 'ort-models');
  const plan = JSON.parse(
    await cli([
      'plan',
      dataset,
      '--backbones',
      candidates.join(','),
      '--engine',
      'onnx',
      '--min-shard-seconds',
      '0.0001',
      '--max-jobs',
      '2',
      '--cache-dir',
      models,
      '--json',
      '--quiet',
    ]),
  );
  assert.deepEqual(plan.matrix.include, [
    { backbone: 'mobilenet_v2@96+taps', shard: '1/2' },
    { backbone: 'mobilenet_v2@96+taps', shard: '2/2' },
  ]);
  assert.equal(plan.backboneList, candidates.join(','));
  // The embed jobs the matrix asks for, and nothing else.
  const chunks: string[] = [];
  for (const [i, entry] of (plan.matrix.include as { backbone: string; shard: string }[]).entries()) {
    chunks.push(join(work, `taps-chunk-${i}`));
    await cli([
      'embed',
      dataset,
      '--backbone',
      entry.backbone,
      '--shard',
      entry.shard,
      '--out',
      chunks[i],
      '--engine',
      'onnx',
      '--cache-dir',
      models,
      '--quiet',
    ]);
  }
  const merged = join(work, 'taps-merged');
  await cli(['cache', 'merge', ...chunks, '--into', merged, '--quiet']);
  const result = await train({ ...options(merged, join(work, 'run-taps')), backbones: candidates, engine: 'onnx' }, { log: silentLogger });
  assert.deepEqual(
    result.bakeOff.candidates.map((c) => [c.backbone, c.embeddingsComputed, c.embeddingsCached]),
    [
      ['mobilenet_v2@96+taps', 0, 24],
      ['mobilenet_v2@96', 0, 24],
    ],
  );
});

test('the commands refuse bad arguments with the fix, never a stack trace', async () => {
  const cases: [string[], RegExp][] = [
    [
      ['embed', dataset, '--backbone', 'hog@28', '--shard', '3/2', '--out', join(work, 'x')],
      /^error: --shard must be i\/n with 1 ≤ i ≤ n ≤ 256, e\.g\. 1\/2, got "3\/2"\.\n$/,
    ],
    [['embed', dataset, '--backbone', 'small_cnn', '--out', join(work, 'x'), '--engine', 'tfjs'], /small_cnn trains in the train job and has nothing to embed/],
    [['embed', dataset, '--shard', '1/2', '--out', join(work, 'x')], /^error: Give the backbone to embed with/],
    [['cache', 'merge', join(work, 'nothing-here'), '--into', join(work, 'm')], /^error: .*nothing-here is not a cache chunk: it has no chunk\.json/],
    [['cache', 'tidy'], /^error: Unknown cache action "tidy"; there is one, merge: classifier-ci cache merge/],
  ];
  for (const [args, message] of cases) {
    const { code, err } = await startCli(args).done;
    assert.equal(code, 2, `${args.join(' ')}: ${err}`);
    assert.match(err, message, args.join(' '));
  }
});
