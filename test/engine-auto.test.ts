/**
 * What `auto` runs on ONNX Runtime: the pretrained backbones at their native sizes, shrunk or
 * left out (and said so) when embedding every image would not fit the bake-off's time; the
 * user's own choices untouched; the TF.js path as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { autoBackbones, parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { affordAutoBackbones, EMBED_SHARE, estimateEmbedMs, ORT_COSTS } from '../src/core/engine/cost.js';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger } from '../src/core/ports.js';
import { resolveWithOrigin } from '../src/core/run/backbones.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';

const onOrt = (typicalSide: number | null = null) => resolveWithOrigin(['auto'], false, typicalSide, 'onnxruntime');

test('on ONNX Runtime, auto lists both pretrained backbones (MobileNetV2 also from several depths, +taps and +mid, first, and on a grid; InceptionV3 at its middle depths) at their native sizes, whatever the image size; on TF.js one MobileNetV2 pass, its middle depths', () => {
  for (const side of [28, 150, 640, null]) {
    const names = autoBackbones(false, side, 'onnxruntime');
    const [hog, smallCnn] = autoBackbones(false, side).slice(1);
    // HOG (cheap) before InceptionV3, so its cross-validation keeps its share of the time.
    assert.deepEqual(
      names,
      ['mobilenet_v2@224+taps', 'mobilenet_v2@224+mid', 'mobilenet_v2@224', 'mobilenet_v2@224+grid', hog, 'inception_v3@299+mid', smallCnn],
      `side ${side}; HOG and the small CNN sized to the data as on TF.js`,
    );
  }
  assert.deepEqual(autoBackbones(false, 28), ['mobilenet_v2@96+mid', 'hog@28', 'small_cnn@28']);
  assert.deepEqual(autoBackbones(true, 150), ['mobilenet_v2@160+mid', 'inception_v3@160', 'hog@64', 'small_cnn@32']);
});

test('the cost of embedding scales with the images and the input area', () => {
  assert.equal(estimateEmbedMs(ORT_COSTS.mobilenet_v2, 224, 1000), 10_000);
  assert.equal(estimateEmbedMs(ORT_COSTS.inception_v3, 299, 1000), 50_000);
  assert.equal(estimateEmbedMs(ORT_COSTS.mobilenet_v2, 112, 1000), 2_500);
});

test('a budget that pays for both keeps both at native size, with no plan entries', () => {
  // 1,000 images, 270 s of bake-off (600 s budget): 10 s + 50 s of embedding against 162 s.
  const { specs, plan } = affordAutoBackbones({ ...onOrt(224), images: 1000, bakeOffMs: 270_000 });
  assert.deepEqual(
    specs.map((s) => s.id),
    ['mobilenet_v2@224+taps', 'mobilenet_v2@224+mid', 'mobilenet_v2@224', 'mobilenet_v2@224+grid', 'hog@64', 'inception_v3@299+mid', 'small_cnn@32'],
  );
  assert.deepEqual(plan, []);
});

test('InceptionV3 is left out when even its smallest size does not fit what MobileNetV2 leaves, and the plan says why', () => {
  // 5,000 images, 100 s of bake-off: 60 s for embedding; MobileNetV2@224 takes 50 s, InceptionV3 would take 250 s (72 s at 160).
  const { specs, plan } = affordAutoBackbones({ ...onOrt(), images: 5000, bakeOffMs: 100_000 });
  assert.deepEqual(
    specs.map((s) => s.id),
    ['mobilenet_v2@224+taps', 'mobilenet_v2@224+mid', 'mobilenet_v2@224', 'mobilenet_v2@224+grid', 'hog@32', 'small_cnn@32'],
  );
  assert.deepEqual(plan, [
    {
      backbone: 'inception_v3@299+mid',
      reason:
        'left out: embedding 5000 images at 299 px would take about 250 s, and the bake-off has about 60 s for embedding (even at 160 px it would not fit); raise the budget to include it',
    },
  ]);
});

test('InceptionV3 is shrunk to the largest size that fits', () => {
  // 2,000 images, 150 s: 90 s for embedding; MobileNetV2 20 s leaves 70 s; InceptionV3 100 s at 299, 56 s at 224.
  const { specs, plan } = affordAutoBackbones({ ...onOrt(), images: 2000, bakeOffMs: 150_000 });
  assert.deepEqual(
    specs.slice(0, 6).map((s) => s.id),
    ['mobilenet_v2@224+taps', 'mobilenet_v2@224+mid', 'mobilenet_v2@224', 'mobilenet_v2@224+grid', 'hog@32', 'inception_v3@224+mid'],
  );
  assert.equal(plan.length, 1);
  assert.equal(plan[0].backbone, 'inception_v3@299+mid');
  assert.match(
    plan[0].reason,
    /^shrunk to 224 px: embedding 2000 images at 299 px would take about 100 s, and the bake-off has about 90 s for embedding; raise the budget to run it at 299 px$/,
  );
});

test('MobileNetV2 shrinks step by step, and stays at its smallest size when nothing fits: a pretrained candidate beats none', () => {
  const shrunk = affordAutoBackbones({ ...onOrt(), images: 20_000, bakeOffMs: 100_000 });
  // 200 s at 224, 102 s at 160, 37 s at 96 against 60 s.
  assert.deepEqual(
    shrunk.specs.map((s) => s.id),
    ['mobilenet_v2@96+taps', 'mobilenet_v2@96+mid', 'mobilenet_v2@96', 'mobilenet_v2@96+grid', 'hog@32', 'small_cnn@32'],
  );
  assert.deepEqual(
    shrunk.plan.map((p) => [p.backbone, p.reason.split(':')[0]]),
    [
      ['mobilenet_v2@224+taps', 'shrunk to 96 px'],
      ['mobilenet_v2@224+mid', 'shrunk to 96 px'],
      ['mobilenet_v2@224', 'shrunk to 96 px'],
      ['mobilenet_v2@224+grid', 'shrunk to 96 px'],
      ['inception_v3@299+mid', 'left out'],
    ],
  );
  const starved = affordAutoBackbones({ ...onOrt(), images: 100_000, bakeOffMs: 10_000 });
  assert.deepEqual(
    starved.specs.map((s) => s.id),
    ['mobilenet_v2@96+taps', 'mobilenet_v2@96+mid', 'mobilenet_v2@96', 'mobilenet_v2@96+grid', 'hog@32', 'small_cnn@32'],
  );
  assert.equal(EMBED_SHARE, 0.6);
});

test('backbones the user named are never shrunk or dropped, even beside auto', () => {
  const resolved = resolveWithOrigin(['inception_v3@299', 'auto'], false, null, 'onnxruntime');
  // auto's InceptionV3 reads its middle depths: another candidate than the plain cut the user named.
  assert.deepEqual([...resolved.fromAuto].sort(), [
    'hog@32',
    'inception_v3@299+mid',
    'mobilenet_v2@224',
    'mobilenet_v2@224+grid',
    'mobilenet_v2@224+mid',
    'mobilenet_v2@224+taps',
    'small_cnn@32',
  ]);
  const { specs, plan } = affordAutoBackbones({ ...resolved, images: 100_000, bakeOffMs: 10_000 });
  assert.deepEqual(
    specs.map((s) => s.id),
    ['inception_v3@299', 'mobilenet_v2@96+taps', 'mobilenet_v2@96+mid', 'mobilenet_v2@96', 'mobilenet_v2@96+grid', 'hog@32', 'small_cnn@32'],
  );
  assert.deepEqual(
    plan.map((p) => p.backbone),
    ['mobilenet_v2@224+taps', 'mobilenet_v2@224+mid', 'mobilenet_v2@224', 'mobilenet_v2@224+grid', 'inception_v3@299+mid'],
  );
  // The other variants follow the first (one shared pass), and say so.
  assert.equal(plan[1].reason, plan[2].reason);
  assert.equal(
    plan[2].reason,
    'shrunk to 96 px: it shares one embedding pass with the other mobilenet_v2 variants, shrunk for the budget; raise the budget to run it at 224 px',
  );
  assert.deepEqual(affordAutoBackbones({ specs: [parseBackboneSpec('mobilenet_v2@224')], fromAuto: new Set(), images: 1e6, bakeOffMs: 1 }).plan, []);
});

test('a run whose budget cannot pay for the default bake-off says in result.json what auto shrank and left out, and still ends with a model', async () => {
  const options: TrainOptions = {
    ...DEFAULTS,
    datasetPath: sampleSubset(4, ['bag', 'sneaker', 'trouser']),
    outDir: join(tempDir(), 'run'),
    cacheDir: tempDir(),
    backbones: ['auto'],
    // Less than the 3 s kept back for evaluation and export: the bake-off has no time at all.
    budgetSeconds: 1,
    trials: 1,
    epochs: 4,
    fineTune: 'false',
    workers: 1,
    engine: 'onnx',
  };
  const lines: string[] = [];
  const result = await train(options, { log: { ...silentLogger, info: (m: string) => lines.push(m) } });
  assert.equal(result.backend.inference!.engine, 'onnxruntime');
  assert.deepEqual(
    result.bakeOff.plan!.map((p) => [p.backbone, p.reason.split(':')[0]]),
    [
      ['mobilenet_v2@224+taps', 'shrunk to 96 px'],
      ['mobilenet_v2@224+mid', 'shrunk to 96 px'],
      ['mobilenet_v2@224', 'shrunk to 96 px'],
      ['mobilenet_v2@224+grid', 'shrunk to 96 px'],
      ['inception_v3@299+mid', 'left out'],
    ],
  );
  assert.equal(result.config.backbones[0], 'mobilenet_v2@96+taps');
  assert.ok(!result.config.backbones.some((b) => b.startsWith('inception_v3')));
  assert.equal(result.bakeOff.winner, 'mobilenet_v2@96+taps', 'the first candidate trains; the rest are skipped by the spent budget');
  for (const entry of result.bakeOff.plan!) assert.ok(lines.includes(`Backbone ${entry.backbone}: ${entry.reason}`), 'the log says it too');
  assert.ok(result.model.files.length > 0);
});

test('a small plan states its seconds in tenths, so the wanted time reads larger than the time there is', () => {
  // 144 images with a 5 s budget: the sample dataset at `--budget 5`.
  const { plan } = affordAutoBackbones({ ...onOrt(224), images: 144, bakeOffMs: 2_000 });
  const shrunk = plan.find((p) => p.backbone === 'mobilenet_v2@224+taps');
  assert.ok(shrunk, 'MobileNetV2 is shrunk for the budget');
  const [, wanted, available] = /would take about ([\d.]+) s, and the bake-off has about ([\d.]+) s for embedding/.exec(shrunk.reason)!;
  assert.match(wanted, /^\d\.\d$/);
  assert.ok(Number(wanted) > Number(available), shrunk.reason);
});
