/**
 * The dataset review's targets (issue 14), on 1,000 Fashion-MNIST training images (100 per
 * class, seeded), each through a real `train()` with the review on:
 *
 * - clean: the images as they are; run twice on one cache, so the second run is a warm-cache
 *   train, of which the review may take at most 10%. Its near-duplicate pairs are listed: on
 *   clean data they should be few (≤ 5) and genuine look-alikes.
 * - flipped: 5% of the labels flipped at random (seeded): the suspects (≤ 10% of the images)
 *   should hold ≥ 80% of the flipped images, and ≥ 50% of the suspects should be flipped.
 * - copies: 20 images copied after re-encoding (JPEG quality 70, resized to 90%, shifted by a
 *   pixel), 10 under the same label into another split (a leak), 10 under another label (a
 *   conflict): ≥ 95% should be found with the right crossSplit / crossLabel.
 *
 * `benchReview` returns the BENCHMARKS.md section and the targets, as bench/cross-source.ts does.
 * Alone: `node --import tsx bench/review.ts [--workers N]`.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { splitPoint } from '../src/core/dataset/split.js';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger, type Logger } from '../src/core/ports.js';
import { createRng, shuffleInPlace } from '../src/core/random.js';
import { FASHION_LABELS, fashionMnistAvailable, readFashionMnist } from '../scripts/fashion-mnist.js';
import type { BenchTarget } from './cross-source.js';

export interface ReviewBenchOptions {
  /** A scratch folder; the datasets, cache and runs go in `<tmp>/review`. */
  tmp: string;
  /** Embedding worker threads for `train()`. */
  workers: number;
  /** Budget of each `train()` call, in seconds. Default 90. */
  budget?: number;
  /** Training progress. Default: silent. */
  log?: Logger;
}

export interface ReviewBenchOutcome {
  markdown: string[];
  targets: BenchTarget[];
}

const SEED = 14;
const PER_CLASS = 100;
const FLIP_FRACTION = 0.05;
const COPIES = 20;
// HOG: on these 28-pixel grey images its linear heads beat MobileNetV2's (75% against 68% validation accuracy with 5% flipped labels), and the suspects depend on how good the out-of-fold heads are.
const BACKBONE = 'hog';

export interface Written {
  file: string;
  label: string;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const seconds = (start: number) => (performance.now() - start) / 1000;

/** 100 images per class of the Fashion-MNIST training set, as PNGs under `<root>/<label>/`. */
export async function writeClean(root: string, seed = SEED): Promise<Written[]> {
  if (!fashionMnistAvailable()) throw new Error('Fashion-MNIST is not installed: apt-get install -y dataset-fashion-mnist');
  const set = readFashionMnist('train');
  const order = shuffleInPlace(
    Array.from({ length: set.count }, (_, i) => i),
    createRng(seed),
  );
  const written: Written[] = [];
  for (let c = 0; c < FASHION_LABELS.length; c++) {
    const label = FASHION_LABELS[c];
    mkdirSync(join(root, label), { recursive: true });
    for (const index of order.filter((i) => set.labels[i] === c).slice(0, PER_CLASS)) {
      const file = `${label}/train-${String(index).padStart(5, '0')}.png`;
      writeFileSync(
        join(root, file),
        await sharp(Buffer.from(set.images.subarray(index * 784, (index + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } })
          .png()
          .toBuffer(),
      );
      written.push({ file, label });
    }
  }
  return written;
}

/** A re-encoded copy: resized to 90% (25 px), shifted by a pixel (`dx`, `dy`), JPEG quality 70. */
async function reencode(path: string, dx: number, dy: number): Promise<Buffer> {
  const small = await sharp(path).resize(25, 25).raw().toBuffer({ resolveWithObject: true });
  // Shift by padding one side and cropping the other, in the image's own background (black).
  const shifted = await sharp(small.data, { raw: small.info })
    .extend({ left: Math.max(dx, 0), right: Math.max(-dx, 0), top: Math.max(dy, 0), bottom: Math.max(-dy, 0), background: { r: 0, g: 0, b: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(shifted.data, { raw: shifted.info })
    .extract({ left: Math.max(-dx, 0), top: Math.max(-dy, 0), width: 25, height: 25 })
    .jpeg({ quality: 70 })
    .toBuffer();
}

const splitOfPoint = (sha: string) => {
  const p = splitPoint(sha, DEFAULTS.seed);
  return p < DEFAULTS.split.train ? 'train' : p < DEFAULTS.split.train + DEFAULTS.split.val ? 'val' : 'test';
};

export interface PlantedCopy {
  original: string;
  copy: string;
  crossLabel: boolean;
}

/** 20 copies: the first half under their own label but landing in another split, the rest under another label. */
export async function plantCopies(root: string, clean: Written[], rng: () => number): Promise<PlantedCopy[]> {
  const sources = shuffleInPlace([...clean], rng).slice(0, COPIES);
  const planted: PlantedCopy[] = [];
  for (const [i, source] of sources.entries()) {
    const originalSplit = splitOfPoint(sha256(readFileSync(join(root, source.file))));
    const crossLabel = i >= COPIES / 2;
    const others = FASHION_LABELS.filter((l) => l !== source.label);
    const label = crossLabel ? others[Math.floor(rng() * others.length)] : source.label;
    // Shifts in turn until a same-label copy's content hash sends it to another split than its original's.
    let bytes: Buffer | null = null;
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
      [1, 1],
      [-1, -1],
      [1, -1],
      [-1, 1],
    ] as const) {
      const candidate = await reencode(join(root, source.file), dx, dy);
      if (crossLabel || splitOfPoint(sha256(candidate)) !== originalSplit) {
        bytes = candidate;
        break;
      }
    }
    if (!bytes) continue;
    const copy = `${label}/copy-${i}.jpg`;
    writeFileSync(join(root, copy), bytes);
    planted.push({ original: source.file, copy, crossLabel });
  }
  return planted;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Moves 5% of the images (seeded) into another label's folder; returns them with their true label. */
export function flipLabels(root: string, clean: Written[], rng: () => number): Map<string, string> {
  const flipped = new Map<string, string>();
  for (const image of shuffleInPlace([...clean], rng).slice(0, Math.round(clean.length * FLIP_FRACTION))) {
    const others = FASHION_LABELS.filter((l) => l !== image.label);
    const to = others[Math.floor(rng() * others.length)];
    const file = `${to}/${image.file.split('/')[1]}`;
    renameSync(join(root, image.file), join(root, file));
    flipped.set(file, image.label);
  }
  return flipped;
}

export async function benchReview(opts: ReviewBenchOptions): Promise<ReviewBenchOutcome> {
  const base = join(opts.tmp, 'review');
  const cacheDir = join(base, 'cache');
  const clean = join(base, 'clean');
  const written = await writeClean(clean);
  const run = async (name: string, datasetPath: string) => {
    const start = performance.now();
    const options: TrainOptions = {
      ...DEFAULTS,
      datasetPath,
      outDir: join(base, 'runs', name),
      cacheDir,
      backbones: [BACKBONE],
      budgetSeconds: opts.budget ?? 90,
      workers: opts.workers,
    };
    const result = await train(options, { log: opts.log ?? silentLogger });
    return { result, seconds: seconds(start) };
  };

  // Clean, cold then warm: the warm run is the one the 10% is about.
  await run('clean-cold', clean);
  const warm = await run('clean-warm', clean);
  const reviewSeconds = warm.result.timings.find((t) => t.stage === 'review')?.seconds ?? NaN;
  const totalSeconds = warm.result.timings.find((t) => t.stage === 'total')?.seconds ?? NaN;
  const cleanPairs = warm.result.review!.nearDuplicates;

  // Flipped labels.
  const flippedDir = join(base, 'flipped');
  cpSync(clean, flippedDir, { recursive: true });
  const flipped = flipLabels(flippedDir, written, createRng(SEED + 1));
  const flippedRun = await run('flipped', flippedDir);
  const suspects = flippedRun.result.review!.labelSuspects;
  const caught = suspects.filter((s) => flipped.has(s.file));
  const recall = caught.length / flipped.size;
  const precision = suspects.length ? caught.length / suspects.length : 0;
  const rightSuggestion = caught.filter((s) => flipped.get(s.file) === s.suggested).length;

  // Re-encoded copies.
  const copiesDir = join(base, 'copies');
  cpSync(clean, copiesDir, { recursive: true });
  const planted = await plantCopies(copiesDir, written, createRng(SEED + 2));
  const copiesRun = await run('copies', copiesDir);
  const files = new Map(copiesRun.result.dataset.files!.map((f) => [f.file, f]));
  const found = planted.map((p) => {
    const pair = copiesRun.result.review!.nearDuplicates.find((d) => d.files.includes(p.original) && d.files.includes(p.copy));
    const crossSplit = files.get(p.original)!.split !== files.get(p.copy)!.split;
    return { ...p, crossSplit, pair, right: Boolean(pair && pair.crossSplit === crossSplit && pair.crossLabel === p.crossLabel) };
  });
  const foundShare = found.filter((f) => f.right).length / COPIES;
  const leak = copiesRun.result.review!.leak;

  const targets: BenchTarget[] = [
    {
      target: 'Label suspects on 5% flipped labels: ≥ 80% of the flipped images listed',
      measured: `${caught.length} of ${flipped.size} (${percent(recall)})`,
      met: recall >= 0.8,
      limits: `out-of-fold kernel ridge regression on ${flippedRun.result.review!.backbone} embeddings; ${rightSuggestion} of the ${caught.length} found also get their true label as the suggestion`,
    },
    {
      target: 'Label suspects: ≥ 50% of the listed images are flipped ones (list ≤ 10% of the dataset)',
      measured: `${caught.length} of ${suspects.length} (${percent(precision)}); list ${percent(suspects.length / flippedRun.result.dataset.images)} of the images`,
      met: precision >= 0.5 && suspects.length <= flippedRun.result.dataset.images * 0.1,
      limits: 'the other suspects include genuine Fashion-MNIST ambiguities (shirt / t-shirt / pullover / coat)',
    },
    {
      target: '20 re-encoded copies (JPEG q70, 90% size, 1 px shift) in another split or label: ≥ 95% found, flags right',
      measured: `${found.filter((f) => f.right).length} of ${COPIES} (${percent(foundShare)})${planted.length < COPIES ? `; only ${planted.length} could be planted` : ''}`,
      met: foundShare >= 0.95,
      limits: `${found.filter((f) => f.pair && !f.right).length} found with a wrong flag, ${found.filter((f) => !f.pair).length} missed`,
    },
    {
      target: 'Clean 1,000 images: ≤ 5 near-duplicate pairs reported',
      measured: `${cleanPairs.length}`,
      met: cleanPairs.length <= 5,
      limits: 'listed below; look-alikes of the dataset itself, not copies',
    },
    {
      target: 'Review ≤ 10% of a warm-cache train',
      measured: `${reviewSeconds.toFixed(1)} s of ${totalSeconds.toFixed(1)} s (${percent(reviewSeconds / totalSeconds)})`,
      met: reviewSeconds <= totalSeconds * 0.1,
      limits: `${BACKBONE}, budget ${opts.budget ?? 90} s, ${opts.workers} workers; the train fills its budget with tuning, so the share is of the budget the user set`,
    },
  ];

  const md: string[] = [];
  md.push('### Dataset review (Fashion-MNIST, 1,000 training images, 100 per class)', '');
  md.push(
    `Each set through a real \`train()\` (backbone ${BACKBONE}, budget ${opts.budget ?? 90} s, seed ${DEFAULTS.seed}); data seed ${SEED}. Method: ${warm.result.review!.method}.`,
    '',
  );
  md.push('| set | images | label suspects | near-duplicate pairs | outliers | test accuracy | without leaked test images |', '|---|---|---|---|---|---|---|');
  for (const [name, r] of [
    ['clean', warm.result],
    ['5% flipped', flippedRun.result],
    ['20 copies', copiesRun.result],
  ] as const) {
    const review = r.review!;
    md.push(
      `| ${name} | ${r.dataset.images} | ${review.labelSuspects.length} | ${review.nearDuplicates.length} | ${review.outliers.length} | ${percent(r.test.accuracy)} | ${review.leak?.accuracyWithoutLeaks == null ? '–' : `${percent(review.leak.accuracyWithoutLeaks)} (${review.leak.leakedTestImages} left out)`} |`,
    );
  }
  md.push(
    '',
    `Copies: ${found.filter((f) => f.right).length} of ${COPIES} found with the right flags; leaked test images ${leak?.leakedTestImages ?? 0}, test accuracy ${leak ? percent(leak.accuracy) : '–'} → ${leak?.accuracyWithoutLeaks == null ? '–' : percent(leak.accuracyWithoutLeaks)} without them.`,
    '',
  );
  for (const f of found.filter((x) => !x.right))
    md.push(
      `- not right: ${f.copy} (of ${f.original}): ${f.pair ? `found with crossSplit ${f.pair.crossSplit}, crossLabel ${f.pair.crossLabel}` : 'not found'}`,
    );
  md.push('', `Pairs on the clean set (${cleanPairs.length}):`, '');
  for (const d of cleanPairs)
    md.push(
      `- ${d.files[0]} ~ ${d.files[1]}: similarity ${d.similarity.toFixed(3)}${d.crossSplit ? ', across splits' : ''}${d.crossLabel ? ', across labels' : ''}`,
    );
  md.push(
    '',
    `Flipped: ${caught.length} of ${flipped.size} flipped images among ${suspects.length} suspects; missed: ${[...flipped.keys()].filter((f) => !suspects.some((s) => s.file === f)).join(', ') || 'none'}.`,
    '',
  );
  md.push('| target | measured | met | limits |', '|---|---|---|---|');
  for (const t of targets) md.push(`| ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} | ${t.limits} |`);
  return { markdown: md, targets };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { workers: { type: 'string' }, budget: { type: 'string' } } });
  const tmp = mkdtempSync(join(os.tmpdir(), 'cci-review-'));
  try {
    const outcome = await benchReview({
      tmp,
      workers: Number(values.workers ?? os.availableParallelism()),
      budget: values.budget ? Number(values.budget) : undefined,
    });
    console.log(outcome.markdown.join('\n'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] != null && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
