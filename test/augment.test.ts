/**
 * Augmented views (dataset/augment*.ts, embeddings/views.ts, training/augmentation.ts) on real
 * images with a real backbone (HOG): views are deterministic and cached by image and view (a
 * second run computes none, another recipe reuses none); the policy turns flips off where a
 * mirror image is another class (left- vs right-handed marks) and leaves them on where it is
 * not; heads train on the extra rows. (train() with the augment stage: tta.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { ensureBackend } from '../src/core/backend/select.js';
import { embedderOf, loadBackbone, parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { AUGMENT_POLICY, flipRule, parseAugment, planAugmentations } from '../src/core/dataset/augment-policy.js';
import { drawView, renderView, ttaView, viewRecipe, viewRecipeKey, type ViewRecipe } from '../src/core/dataset/augment.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { prepareDataset, type PreparedDataset } from '../src/core/dataset/prepare.js';
import { embedViews, type ViewSource } from '../src/core/embeddings/views.js';
import { InputError } from '../src/core/errors.js';
import { DEFAULT_SPLIT } from '../src/core/options.js';
import { silentLogger } from '../src/core/ports.js';
import { augmentCandidate } from '../src/core/training/augmentation.js';
import { defaultConfig, fit, type PreparedCandidate } from '../src/core/training/candidates.js';
import { assemble, splitOf } from '../src/core/training/bakeoff.js';
import { extractEmbeddings } from '../src/core/embeddings/extract.js';
import { SAMPLE, sampleSubset, tempDir } from './helpers/datasets.js';

await ensureBackend();
const BAG = join(SAMPLE, 'bag', 'train-00421.png');

test('policy: --augment parses auto, off and lists, and names what it does not know', () => {
  assert.equal(parseAugment('auto'), 'auto');
  assert.equal(parseAugment(' OFF '), 'off');
  assert.deepEqual(parseAugment('crop,colour,crop'), ['crop', 'colour']);
  assert.throws(
    () => parseAugment('crop,mirror'),
    (e: unknown) =>
      e instanceof InputError &&
      /--augment must be auto, off, or a comma-separated list of crop, flip, colour, rotate; got "crop,mirror" \(unknown: mirror\)/.test(e.message),
  );
  assert.deepEqual(planAugmentations('off').augmentations, []);
  assert.equal(planAugmentations('auto').checkFlip, true);
  assert.deepEqual(planAugmentations(['crop', 'flip']), { augmentations: ['crop', 'flip'], checkFlip: false, rule: 'as asked (--augment crop,flip)' });
  // The flip rule: within the noise of the validation split on, beyond it off.
  assert.equal(flipRule(1, 0.9, 10).allowed, true, 'one miss in ten is noise');
  assert.equal(flipRule(0.9, 0.85, 1000).allowed, false, 'five points on 1,000 images is not');
  assert.equal(flipRule(0.9, 0.89, 1000).allowed, true);
  assert.match(flipRule(0.9, 0.4, 100).reason, /^flip off: flipped validation images score 40\.0% against 90\.0% as they are \(95% interval from 82\.\d%\)/);
});

test('views: the same (image, index, seed) gives the same pixels; another index or seed another view; a list without flip never flips', async () => {
  const sha = 'a'.repeat(64);
  const all = ['crop', 'flip', 'colour', 'rotate'] as const;
  assert.deepEqual(viewRecipe(sha, 1, 7, all), viewRecipe(sha, 1, 7, all));
  assert.notDeepEqual(viewRecipe(sha, 1, 7, all), viewRecipe(sha, 2, 7, all));
  assert.notDeepEqual(viewRecipe(sha, 1, 7, all), viewRecipe(sha, 1, 8, all));
  // Turning flip off changes nothing else in the view.
  for (let index = 1; index <= 20; index++) {
    const withFlip = viewRecipe(sha, index, 7, all);
    const without = viewRecipe(sha, index, 7, ['crop', 'colour', 'rotate']);
    assert.equal(without.flip, false);
    assert.deepEqual({ ...withFlip, flip: false }, without);
  }
  const recipe = viewRecipe(sha, 1, 7, all);
  const [a, b] = [await renderView(BAG, 32, 1e7, recipe), await renderView(BAG, 32, 1e7, recipe)];
  assert.equal(a.length, 32 * 32 * 3);
  assert.deepEqual(a, b, 'deterministic');
  const plain = await decodeToRgb(BAG, 32, 1e7);
  assert.notDeepEqual(a, plain, 'a view is not the image as it is');
  assert.notDeepEqual(await renderView(BAG, 32, 1e7, viewRecipe(sha, 2, 7, all)), a);
  // The recipe's key names what makes the views: another list or seed is another key.
  assert.notEqual(viewRecipeKey(all, 7), viewRecipeKey(['crop'], 7));
  assert.notEqual(viewRecipeKey(all, 7), viewRecipeKey(all, 8));
  // The test-time flip mirrors the decoded pixels exactly (twice is the image again).
  assert.deepEqual(ttaView(ttaView(plain, 32, 'flip'), 32, 'flip'), plain);
});

/** A recipe that changes nothing, with `change` applied. */
const plainRecipe = (change: Partial<ViewRecipe> = {}): ViewRecipe => ({
  rotate: 0,
  crop: null,
  flip: false,
  brightness: 1,
  saturation: 1,
  contrast: 1,
  ...change,
});

/** An RGB image of side n whose pixel (x, y) is paint(x, y). */
function paint(n: number, paint: (x: number, y: number) => [number, number, number]): Uint8Array {
  const pixels = new Uint8Array(n * n * 3);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) pixels.set(paint(x, y), (y * n + x) * 3);
  return pixels;
}

test('view geometry: the plain recipe resamples the image as it is; a flip mirrors the view exactly; +90° turns it clockwise; a crop keeps its part', () => {
  const n = 20;
  // Left half black, right half white.
  const halves = paint(n, (x) => (x < n / 2 ? [0, 0, 0] : [255, 255, 255]));
  assert.deepEqual(drawView(halves, n, n, plainRecipe()), halves, 'same size, nothing asked: the same pixels');
  // A crop of the left 40% is all black; of the right 40% all white (sampled at half the size).
  assert.ok(drawView(halves, n, n / 2, plainRecipe({ crop: { left: 0, top: 0, width: 0.4, height: 1 } })).every((v) => v === 0));
  assert.ok(drawView(halves, n, n / 2, plainRecipe({ crop: { left: 0.6, top: 0.3, width: 0.4, height: 0.5 } })).every((v) => v === 255));

  const photo = paint(n, (x, y) => [x * 12, y * 12, (x * y) % 256]);
  const recipe = plainRecipe({ rotate: 7.5, crop: { left: 0.1, top: 0.05, width: 0.8, height: 0.7 }, brightness: 1.1 });
  const [view, mirrored] = [drawView(photo, n, 16, recipe), drawView(photo, n, 16, { ...recipe, flip: true })];
  for (let y = 0; y < 16; y++)
    for (let x = 0; x < 16; x++)
      assert.deepEqual(mirrored.subarray((y * 16 + x) * 3, (y * 16 + x) * 3 + 3), view.subarray((y * 16 + 15 - x) * 3, (y * 16 + 15 - x) * 3 + 3));

  // A red dot right of the centre ends up below it.
  const dot = paint(n, (x, y) => (x >= 15 && x <= 16 && y >= 9 && y <= 10 ? [255, 0, 0] : [0, 0, 0]));
  const turned = drawView(dot, n, n, plainRecipe({ rotate: 90 }));
  const reddest = [...Array(n * n).keys()].reduce((best, i) => (turned[i * 3] > turned[best * 3] ? i : best), 0);
  assert.deepEqual([reddest % n, Math.floor(reddest / n)], [9, 15]);
});

test('view borders and colour: a turned view of a one-colour image is that colour everywhere (mirrored borders, no fill); brightness, saturation and contrast as documented', () => {
  const n = 24;
  const teal = paint(n, () => [20, 140, 160]);
  const turned = drawView(teal, n, 16, plainRecipe({ rotate: -10, crop: { left: 0, top: 0, width: 1, height: 1 } }));
  for (let i = 0; i < turned.length; i += 3) assert.deepEqual([...turned.subarray(i, i + 3)], [20, 140, 160]);

  const grey = paint(n, () => [100, 100, 100]);
  assert.deepEqual([...drawView(grey, n, 4, plainRecipe({ brightness: 1.2 })).subarray(0, 3)], [120, 120, 120]);
  // Contrast about mid-grey: 128 + (100 − 128) × 2 = 72; clamped at the ends.
  assert.deepEqual([...drawView(grey, n, 4, plainRecipe({ contrast: 2 })).subarray(0, 3)], [72, 72, 72]);
  assert.deepEqual([...drawView(grey, n, 4, plainRecipe({ brightness: 3 })).subarray(0, 3)], [255, 255, 255]);
  // Saturation 0 is the pixel's grey (Rec. 601 luma of 20, 140, 160 = 106.3).
  assert.deepEqual([...drawView(teal, n, 4, plainRecipe({ saturation: 0 })).subarray(0, 3)], [106, 106, 106]);
});

test('views are embedded once and cached by image and view: a second run computes none, another recipe reuses none', async () => {
  const cacheDir = tempDir();
  const hog = await loadBackbone(parseBackboneSpec('hog@32'), { cacheDir });
  try {
    const dataset = await prepareDataset({ datasetPath: sampleSubset(3), split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e7, workDir: tempDir() }, silentLogger);
    const sourcesFor = (augmentations: ('crop' | 'colour')[]) =>
      dataset.images.flatMap((image) =>
        [1, 2].map<ViewSource>((v) => ({
          id: `${image.sha256}-v${v}`,
          path: image.path,
          render: (size, maxPixels) => renderView(image.path, size, maxPixels, viewRecipe(image.sha256, v, 5, augmentations)),
        })),
      );
    const options = { cacheDir, maxPixels: 1e7, log: silentLogger, now: () => performance.now() };
    const run = (augmentations: ('crop' | 'colour')[]) => embedViews(embedderOf(hog), sourcesFor(augmentations), viewRecipeKey(augmentations, 5), options);
    const first = await run(['crop', 'colour']);
    assert.deepEqual([first.computed, first.cached], [24, 0]);
    const second = await run(['crop', 'colour']);
    assert.deepEqual([second.computed, second.cached], [0, 24], 'a second run computes 0');
    for (const [id, vector] of first.vectors) assert.deepEqual(second.vectors.get(id), vector);
    const other = await run(['crop']);
    assert.deepEqual([other.computed, other.cached], [24, 0], 'another recipe never reuses stale entries');
    // The images as they are live under the backbone's own key, apart from their views.
    const plain = await extractEmbeddings(embedderOf(hog), dataset.images, { ...options, workers: 1 });
    assert.deepEqual([plain.computed, plain.cached], [12, 0]);
  } finally {
    hog.dispose();
  }
});

/** Marks on grey noise: `bar-left`/`bar-right` (a bar in one side's third: a mirror image is the other class), or `vertical`/`horizontal` (the same in a mirror). */
async function marksDataset(kind: 'handed' | 'symmetric', perLabel: number): Promise<string> {
  const root = join(tempDir(), kind);
  const labels = kind === 'handed' ? ['bar-left', 'bar-right'] : ['vertical', 'horizontal'];
  let state = kind === 'handed' ? 11 : 23;
  const rand = () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
  for (const label of labels) {
    mkdirSync(join(root, label), { recursive: true });
    for (let i = 0; i < perLabel; i++) {
      const size = 48;
      const px = new Uint8Array(size * size * 3);
      for (let j = 0; j < px.length; j++) px[j] = 150 + Math.floor(rand() * 60);
      const long = 18 + Math.floor(rand() * 14);
      const at = 6 + Math.floor(rand() * (size - long - 12));
      const thick = 4 + Math.floor(rand() * 3);
      const across =
        label === 'bar-left' ? 4 + Math.floor(rand() * 8) : label === 'bar-right' ? size - 12 - Math.floor(rand() * 8) : 12 + Math.floor(rand() * 24);
      for (let a = 0; a < long; a++)
        for (let t = 0; t < thick; t++) {
          const [x, y] = label === 'horizontal' ? [at + a, across + t] : [across + t, at + a];
          px.fill(20, (y * size + x) * 3, (y * size + x) * 3 + 3);
        }
      await sharp(px, { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toFile(join(root, label, `${label}-${i}.png`));
    }
  }
  return root;
}

async function frozenCandidate(dataset: PreparedDataset, cacheDir: string): Promise<PreparedCandidate> {
  const extractor = await loadBackbone(parseBackboneSpec('hog@32'), { cacheDir });
  const run = await extractEmbeddings(embedderOf(extractor), dataset.images, { cacheDir, maxPixels: 1e7, workers: 1, log: silentLogger, now: () => 0 });
  const vectorOf = (image: { sha256: string }) => run.vectors.get(image.sha256)!;
  const part = (split: 'train' | 'val' | 'test') => assemble(splitOf(dataset.images, split), dataset.labels, extractor.featureDim, vectorOf);
  return {
    spec: extractor.spec,
    displayName: extractor.displayName,
    kind: 'frozen',
    featureDim: extractor.featureDim,
    backboneParams: 0,
    train: part('train'),
    val: part('val'),
    test: part('test'),
    extractor,
    embedSeconds: run.seconds,
    embeddingsComputed: run.computed,
    embeddingsCached: run.cached,
  };
}

/** 30 marks images per label, prepared, and their HOG candidate with a fresh cache. */
async function marksCandidate(kind: 'handed' | 'symmetric') {
  const cacheDir = tempDir();
  const dataset = await prepareDataset(
    { datasetPath: await marksDataset(kind, 30), split: DEFAULT_SPLIT, seed: 2, maxPixels: 1e7, workDir: tempDir() },
    silentLogger,
  );
  return { cacheDir, dataset, prepared: await frozenCandidate(dataset, cacheDir) };
}

async function augmentMarks(kind: 'handed' | 'symmetric') {
  const { cacheDir, dataset, prepared } = await marksCandidate(kind);
  const clock = { t: 0 };
  const ctx = { numClasses: 2, seed: 3, deadline: Infinity, now: () => clock.t };
  const fitted = await fit(prepared, defaultConfig('frozen', 30), ctx);
  const outcome = await augmentCandidate(prepared, fitted, {
    dataset,
    setting: 'auto',
    cacheDir,
    maxPixels: 1e7,
    seed: 3,
    viewsDeadline: 1e12,
    deadline: Infinity,
    now: () => clock.t,
    log: silentLogger,
  });
  prepared.extractor!.dispose();
  return { outcome, prepared, fitted, dataset };
}

/** The label index of each training image, in the order views are made: by sha256. */
function labelsInViewOrder(dataset: PreparedDataset): number[] {
  return dataset.images
    .filter((image) => image.split === 'train')
    .sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1))
    .map((image) => dataset.labels.indexOf(image.label));
}

test('policy auto: flips go off where a mirror image is another class, and the test-time view is then the zoom', async () => {
  const { outcome, prepared, dataset } = await augmentMarks('handed');
  const { augment, tta } = outcome;
  assert.ok(augment.flipCheck, 'auto checked flips');
  assert.equal(augment.flipCheck.allowed, false, JSON.stringify(augment.flipCheck));
  assert.ok(augment.flipCheck.flippedAccuracy < 0.5, 'flipped marks read as the other hand');
  assert.deepEqual(augment.augmentations, ['crop', 'colour', 'rotate']);
  assert.equal(augment.views, AUGMENT_POLICY.maxViews, 'with time, the most views');
  assert.ok(augment.with, 'the head with views was trained and scored');
  assert.equal(tta?.view, 'zoom');
  // The flip check's and the test-time view's validation embeddings, and the training views, all computed.
  assert.equal(augment.embeddingsComputed, 2 * prepared.val.rows + AUGMENT_POLICY.maxViews * prepared.train.rows);
  if (augment.kept) {
    const views = outcome.views!;
    assert.equal(views.rows, AUGMENT_POLICY.maxViews * prepared.train.rows, 'every training image once per view');
    assert.equal(augment.viewRows, views.rows);
    const order = labelsInViewOrder(dataset);
    assert.deepEqual(Array.from(views.y), [...order, ...order], 'view by view, each in sha256 order');
  } else assert.equal(outcome.views, undefined);
});

test('policy auto: flips stay on where a mirror image is the same class', async () => {
  const { outcome } = await augmentMarks('symmetric');
  assert.equal(outcome.augment.flipCheck?.allowed, true, JSON.stringify(outcome.augment.flipCheck));
  assert.deepEqual(outcome.augment.augmentations, ['crop', 'flip', 'colour', 'rotate']);
  assert.equal(outcome.tta?.view, 'flip');
});

test('heads train on the views as extra rows (their standardisation is over images and views)', async () => {
  const cacheDir = tempDir();
  const dataset = await prepareDataset({ datasetPath: sampleSubset(6), split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e7, workDir: tempDir() }, silentLogger);
  const prepared = await frozenCandidate(dataset, cacheDir);
  prepared.extractor!.dispose();
  const dim = prepared.featureDim;
  // Views whose features are all 10: the head's feature means must move towards them by their share of the rows.
  const views = { x: new Float32Array(prepared.train.rows * dim).fill(10), y: prepared.train.y, rows: prepared.train.rows };
  const ctx = { numClasses: dataset.labels.length, seed: 1, deadline: Infinity, now: () => 0 };
  const plain = await fit(prepared, defaultConfig('frozen', 2), ctx);
  const augmented = await fit({ ...prepared, views }, defaultConfig('frozen', 2), ctx);
  for (const j of [0, 7, dim - 1]) assert.ok(Math.abs(augmented.head.weights.mean[j] - (plain.head.weights.mean[j] + 10) / 2) < 1e-4);
});

test('when the time for views runs out mid-view, every view embedded by then is used, and the sha256 order spreads them over the labels', async () => {
  const { cacheDir, dataset, prepared } = await marksCandidate('symmetric');
  const n = prepared.train.rows;
  const clock = { t: 0 };
  // Two views are planned; the clock reaches the views' deadline after the first batches (16 images each).
  const log = { ...silentLogger, progress: (_task: string, done: number, total: number) => void (total === 2 * n && done >= 1 && (clock.t = 1e9)) };
  const fitted = await fit(prepared, defaultConfig('frozen', 10), { numClasses: 2, seed: 3, deadline: Infinity, now: () => clock.t });
  const outcome = await augmentCandidate(prepared, fitted, {
    dataset,
    setting: ['crop', 'colour'],
    cacheDir,
    maxPixels: 1e7,
    seed: 3,
    viewsDeadline: 1e9,
    deadline: Infinity,
    now: () => clock.t,
    log,
  });
  prepared.extractor!.dispose();
  const used = outcome.augment.viewRows ?? 0;
  assert.ok(used > 0 && used < n, `the first view is cut short: ${used} of ${n} training images`);
  assert.equal(outcome.augment.views, 1);
  assert.match(
    outcome.augment.note,
    new RegExp(
      `^1 view for ${used} of the ${n} training images, none for the rest \\(the time for views ran out with ${2 * n - used} of ${2 * n} left; those done are cached, so a later run resumes\\): validation`,
    ),
  );
  // Seeded, the head with these views is better on validation here, so its rows can be checked.
  assert.ok(outcome.augment.kept, outcome.augment.note);
  const expected = labelsInViewOrder(dataset).slice(0, used);
  assert.deepEqual(Array.from(outcome.views!.y), expected, 'the first images by sha256, each with its own label');
  assert.equal(new Set(expected).size, 2, 'both labels got views');
});

test('a view is started when at least a quarter of it fits in the time for views, else none is, and the note says why', async () => {
  const { cacheDir, dataset, prepared: measured } = await marksCandidate('symmetric');
  // 100 ms an embedding as measured, so one view of the n training images is estimated at n × 100 ms × renderCost.
  const prepared = { ...measured, embedSeconds: 1, embeddingsComputed: 10 };
  const n = prepared.train.rows;
  const viewMs = n * 100 * AUGMENT_POLICY.renderCost;
  const fitted = await fit(prepared, defaultConfig('frozen', 10), { numClasses: 2, seed: 3, deadline: Infinity, now: () => 0 });
  const run = (share: number) =>
    augmentCandidate(prepared, fitted, {
      dataset,
      setting: ['crop', 'colour'],
      cacheDir,
      maxPixels: 1e7,
      seed: 3,
      viewsDeadline: share * viewMs,
      deadline: Infinity,
      now: () => 0,
      log: silentLogger,
    });
  try {
    // First the run that starts none: views the other run embeds are cached, and cost nothing after.
    const none = await run(AUGMENT_POLICY.minViewShare - 0.05);
    assert.equal(none.augment.views, 0);
    assert.equal(none.augment.viewRows, undefined);
    assert.match(
      none.augment.note,
      /^no views: one view of the \d+ training images would take about \d+ s to render and embed, and the budget leaves \d+ s for views, less than 25% of it; raise the budget to use them$/,
    );
    const started = await run(AUGMENT_POLICY.minViewShare + 0.05);
    assert.equal(started.augment.views, 1, started.augment.note);
    assert.equal(started.augment.viewRows, n, 'the clock stood still, so the whole view was embedded');
  } finally {
    prepared.extractor!.dispose();
  }
});

test('when the time has run out, the flip check and test-time augmentation stop at their deadlines: flips stay off, nothing is measured, the log says why', async () => {
  const { cacheDir, dataset, prepared } = await marksCandidate('symmetric');
  const fitted = await fit(prepared, defaultConfig('frozen', 10), { numClasses: 2, seed: 3, deadline: Infinity, now: () => 0 });
  const lines: string[] = [];
  // Both deadlines have passed when augmentation starts: before, the validation images were embedded twice regardless.
  const outcome = await augmentCandidate(prepared, fitted, {
    dataset,
    setting: 'auto',
    cacheDir,
    maxPixels: 1e7,
    seed: 3,
    viewsDeadline: 10,
    deadline: 10,
    now: () => 10,
    log: { ...silentLogger, info: (m: string) => lines.push(m) },
  });
  prepared.extractor!.dispose();
  assert.equal(outcome.augment.embeddingsComputed, 0, 'nothing embedded past the deadlines');
  assert.equal(outcome.augment.flipCheck, undefined);
  assert.deepEqual(outcome.augment.augmentations, ['crop', 'colour', 'rotate'], 'unchecked, flips stay off');
  assert.equal(outcome.tta, undefined, 'test-time augmentation not measured');
  assert.equal(outcome.fitted, fitted);
  const outOfTime = 'the time ran out while embedding the validation images in it (those done are cached, so a later run resumes)';
  assert.ok(lines.includes(`${prepared.displayName}: flip off, not checked: ${outOfTime}`), lines.join('\n'));
  assert.ok(lines.includes(`${prepared.displayName}: test-time augmentation (the image and its zoom) not measured: ${outOfTime}`), lines.join('\n'));
});
