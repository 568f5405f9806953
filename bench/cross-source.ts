/**
 * The cross-source benchmark (issue 13): train on source A of the generated digits (serif and
 * slab fonts), score the exported model on every image of source B (sans, monospace, script
 * and handwriting fonts) — the same classes in another style, as users meet them when they
 * classify images from elsewhere. Five runs in the same call, on the same data:
 *
 * - `auto`: `train()` with backbones ['auto'] and the given budget, as a user would run it;
 * - `wasm`: the same on the WASM path (`engine: 'tfjs'`), as on a runner where ONNX Runtime
 *   cannot load: a smaller search in the same budget, measured against the same baseline;
 * - `augmented`: the same with `augment: 'auto'` (opt-in today), so whether augmentation pays
 *   here is a same-run figure (the targets compare `auto` and `wasm` with the baseline);
 * - `named`: `train()` with backbones ['mobilenet_v2@224'] and the defaults otherwise: what a
 *   user naming the baseline's backbone gets, tuned (its trials may rescale the features);
 * - the naive baseline "MobileNetV2@224 frozen + linear head": `train()` with backbones
 *   ['mobilenet_v2@224'], trials 1, fine-tune false and augment off (the closest the options come: the
 *   default head is linear, the one trial is the seed rule and is kept only when it wins on
 *   validation, and the final fit refits that head on train + validation).
 *
 * Each run gets its own embedding cache, so neither reuses the other's work and the seconds
 * compare. Source B is scored by the exported model exactly as `predict` would (loadClassifier
 * → classify on the PNG), in worker threads. Called by bench/run.ts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { InputError } from '../src/core/errors.js';
import { loadClassifier } from '../src/core/model/classifier.js';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger, type Logger } from '../src/core/ports.js';
import type { RunResult } from '../src/core/result.js';
import { terminalLogger } from '../src/cli/terminal-logger.js';
import { DEFAULT_PER_CLASS, DEFAULT_SEED, ensureFonts, generateCrossSource, type Manifest, type ManifestImage } from '../scripts/cross-source.js';

/** The bar: `auto` this many points above the naive baseline on this benchmark… */
const LEAD_POINTS = 10;
/** …and never more than this many below it on any benchmark. */
const MAX_DEFICIT_POINTS = 1;

export interface CrossSourceOptions {
  /** A scratch folder; the data, caches and models go in `<tmp>/cross-source*`. */
  tmp: string;
  /** Embedding worker threads for `train()`, and scoring threads. */
  workers: number;
  /** Budget of each `train()` call, in seconds. */
  budget: number;
  /** Images per class on each side. Default 175 (1,750 a side). */
  perClass?: number;
  /** Training progress and notes. Default: silent. */
  log?: Logger;
  /** Only these runs (the standalone script's `--runs`). Default: all; the targets need `auto`, `wasm` and `baseline`. */
  runs?: CrossSourceRow['model'][];
}

export const CROSS_SOURCE_RUNS = ['auto', 'wasm', 'augmented', 'named', 'baseline'] as const;

export interface CrossSourceRow {
  model: (typeof CROSS_SOURCE_RUNS)[number];
  /** How `train()` was called, in words. */
  setup: string;
  /** The bake-off winner's display name. */
  winner: string;
  /** The winner's validation accuracy in the bake-off (source A). */
  validationAccuracy: number;
  /** Accuracy on the held-out test split of source A (in-domain). */
  heldOutAccuracy: number;
  heldOutImages: number;
  /** Accuracy on every image of source B (cross-source). */
  crossSourceAccuracy: number;
  crossSourceImages: number;
  /** Accuracy on source B per font family, in the manifest's order. */
  byFont: { font: string; accuracy: number; images: number }[];
  /** Wall time of the `train()` call. */
  trainSeconds: number;
  /** Wall time of scoring source B. */
  scoreSeconds: number;
  /** What augmenting the winner did (result.json → its candidate's augment.note), when it was tried. */
  augment?: string;
  /** Test-time augmentation of the winner: its validation measurement, and source B scored again with `predict --tta`. */
  tta?: { view: string; paid: boolean; validation: number; validationWithout: number; crossSourceAccuracy: number };
}

export interface BenchTarget {
  target: string;
  measured: string;
  met: boolean | null;
  limits: string;
}

export interface CrossSourceOutcome {
  rows: CrossSourceRow[];
  /** The section for BENCHMARKS.md (heading, tables, notes), one line per entry. */
  markdown: string[];
  targets: BenchTarget[];
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} points`;
const seconds = (start: number) => (performance.now() - start) / 1000;

// ---------------------------------------------------------------------------------------------
// Scoring source B with the exported model, in worker threads

interface ScoreJob {
  role: 'cross-source-score';
  modelDir: string;
  paths: string[];
  /** Classify as `predict --tta` would. */
  tta?: boolean;
}

/** Worker side: classify each image exactly as `predict` would; posts the predicted labels. */
async function scoreShard(job: ScoreJob): Promise<void> {
  const classifier = await loadClassifier(job.modelDir, { tta: job.tta });
  try {
    const predicted: string[] = [];
    for (const path of job.paths) predicted.push((await classifier.classify(path)).label);
    parentPort!.postMessage({ predicted });
  } finally {
    await classifier.dispose();
  }
}

/** Starts this file as a worker thread under tsx (Node 20 does not pass tsx's loader hooks to workers). */
function startSelfWorker(data: ScoreJob): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/** Deals items to `count` shards in turn (item i to shard i mod count), so every shard gets every class and font. */
export function dealRoundRobin<T>(items: T[], count: number): T[][] {
  return Array.from({ length: count }, (_, shard) => items.filter((_, i) => i % count === shard));
}

/** The inverse of dealRoundRobin: the shards' results back in the items' order. */
export function gatherRoundRobin<T>(shards: T[][], total: number): T[] {
  return Array.from({ length: total }, (_, i) => shards[i % shards.length][Math.floor(i / shards.length)]);
}

/** Predicted label per path, scored in up to `workers` threads. */
async function classifyAll(modelDir: string, paths: string[], workers: number, tta = false): Promise<string[]> {
  const shards = dealRoundRobin(paths, Math.max(1, Math.min(workers, paths.length)));
  const results = await Promise.all(
    shards.map(async (shard) => {
      const worker = startSelfWorker({ role: 'cross-source-score', modelDir, paths: shard, tta });
      try {
        // Resolved when the worker exits on its own, its classifier released: terminating it while ONNX Runtime releases a session aborted the process once.
        return await new Promise<string[]>((resolve, reject) => {
          let predicted: string[] | undefined;
          worker.on('message', (message: { predicted: string[] }) => (predicted = message.predicted));
          worker.on('error', reject);
          worker.on('exit', (code) =>
            code === 0 && predicted ? resolve(predicted) : reject(new Error(`a scoring worker exited (code ${code}) before finishing`)),
          );
        });
      } finally {
        await worker.terminate();
      }
    }),
  );
  return gatherRoundRobin(results, paths.length);
}

/** Accuracy of `predicted` (one label per image, in order) overall and per font, fonts in the given order. */
export function scoreByFont(
  images: Pick<ManifestImage, 'label' | 'font'>[],
  predicted: string[],
  fonts: string[],
): Pick<CrossSourceRow, 'crossSourceAccuracy' | 'crossSourceImages' | 'byFont'> {
  if (predicted.length !== images.length) throw new Error(`${predicted.length} predictions for ${images.length} images`);
  const right = images.map((image, i) => predicted[i] === image.label);
  const share = (keep: (i: number) => boolean) => {
    const picked = right.filter((_, i) => keep(i));
    return { accuracy: picked.filter(Boolean).length / picked.length, images: picked.length };
  };
  return {
    crossSourceAccuracy: share(() => true).accuracy,
    crossSourceImages: images.length,
    byFont: fonts.map((font) => ({ font, ...share((i) => images[i].font === font) })),
  };
}

// ---------------------------------------------------------------------------------------------
// The benchmark

interface Setup {
  model: CrossSourceRow['model'];
  setup: string;
  options: Partial<TrainOptions>;
}

export async function benchCrossSource(opts: CrossSourceOptions): Promise<CrossSourceOutcome> {
  const log = opts.log ?? silentLogger;
  const perClass = opts.perClass ?? DEFAULT_PER_CLASS;
  // train() needs one image per class in each of train, validation and test.
  if (!Number.isInteger(perClass) || perClass < 3)
    throw new InputError(`--per-class must be a whole number of at least 3 (one image each for train, validation and test), got ${perClass}.`, 'per-class');
  const root = join(opts.tmp, 'cross-source');
  mkdirSync(root, { recursive: true });

  ensureFonts();
  let start = performance.now();
  const manifest: Manifest = await generateCrossSource({ out: root, perClass, seed: DEFAULT_SEED });
  log.info(
    `Cross-source: wrote ${manifest.images.length} images (${manifest.labels.length} classes × ${perClass} a side, seed ${DEFAULT_SEED}) in ${seconds(start).toFixed(0)} s`,
  );
  const sourceB = manifest.images.filter((i) => i.side === 'b');

  const setups: Setup[] = [
    { model: 'auto', setup: `backbones auto, budget ${opts.budget} s`, options: { backbones: ['auto'] } },
    { model: 'wasm', setup: `backbones auto, engine tfjs (the WASM path), budget ${opts.budget} s`, options: { backbones: ['auto'], engine: 'tfjs' } },
    // Augmentation is opt-in until it pays: measured beside the default so the choice rests on a same-run figure.
    { model: 'augmented', setup: `backbones auto, augment auto, budget ${opts.budget} s`, options: { backbones: ['auto'], augment: 'auto' } },
    // What a user naming the same backbone gets by default (all trials): the baseline's backbone, tuned.
    { model: 'named', setup: `backbones mobilenet_v2@224, defaults, budget ${opts.budget} s`, options: { backbones: ['mobilenet_v2@224'] } },
    {
      model: 'baseline',
      setup: `MobileNetV2@224 frozen + linear head: backbones mobilenet_v2@224, trials 1, fine-tune false, augment off, budget ${opts.budget} s`,
      options: { backbones: ['mobilenet_v2@224'], trials: 1, fineTune: 'false', augment: 'off' },
    },
  ];
  const rows: CrossSourceRow[] = [];
  for (const { model, setup, options } of setups.filter((s) => !opts.runs || opts.runs.includes(s.model))) {
    const outDir = join(opts.tmp, `cross-source-${model}`);
    log.info(`Cross-source: train() on source A (${setup})`);
    start = performance.now();
    const result: RunResult = await train(
      {
        ...DEFAULTS,
        datasetPath: join(root, 'source-a'),
        outDir,
        cacheDir: join(opts.tmp, `cross-source-cache-${model}`),
        budgetSeconds: opts.budget,
        workers: opts.workers,
        ...options,
      },
      { log },
    );
    const trainSeconds = seconds(start);
    log.info(`Cross-source: scoring the ${model} model on ${sourceB.length} source-B images with ${opts.workers} worker threads`);
    start = performance.now();
    const predicted = await classifyAll(
      join(outDir, 'model'),
      sourceB.map((i) => join(root, i.file)),
      opts.workers,
    );
    const scoreSeconds = seconds(start);
    const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
    let tta: CrossSourceRow['tta'];
    if (winner?.tta) {
      log.info(`Cross-source: scoring the ${model} model again with predict --tta (the image and its ${winner.tta.view})`);
      const withTta = await classifyAll(
        join(outDir, 'model'),
        sourceB.map((i) => join(root, i.file)),
        opts.workers,
        true,
      );
      tta = {
        view: winner.tta.view,
        paid: winner.tta.paid,
        validation: winner.tta.ttaAccuracy,
        validationWithout: winner.tta.plainAccuracy,
        crossSourceAccuracy: scoreByFont(sourceB, withTta, manifest.fonts.b).crossSourceAccuracy,
      };
    }
    rows.push({
      model,
      setup,
      winner: winner?.displayName ?? result.bakeOff.winner,
      validationAccuracy: winner?.valAccuracy ?? NaN,
      heldOutAccuracy: result.test.accuracy,
      heldOutImages: result.test.images,
      ...scoreByFont(sourceB, predicted, manifest.fonts.b),
      trainSeconds,
      scoreSeconds,
      ...(winner?.augment ? { augment: winner.augment.note } : {}),
      ...(tta ? { tta } : {}),
    });
  }
  return { rows, markdown: describe(rows, manifest, opts), targets: targetsOf(rows, opts) };
}

/**
 * The targets: `auto` against the naive baseline, on ONNX Runtime and on the WASM path.
 * A target whose runs were left out (`runs`) is not reported.
 */
export function targetsOf(rows: CrossSourceRow[], opts: Pick<CrossSourceOptions, 'budget' | 'workers'>): BenchTarget[] {
  const row = (model: CrossSourceRow['model']) => rows.find((r) => r.model === model);
  const baseline = row('baseline');
  if (!baseline) return [];
  const against = (run: CrossSourceRow) => {
    const lead = run.crossSourceAccuracy - baseline.crossSourceAccuracy;
    return {
      // Judged on the lead as printed (0.1 point), so a figure that reads as exactly 10 points meets it.
      leadPoints: Math.round(lead * 1000) / 10,
      measured: `${run.model} ${percent(run.crossSourceAccuracy)} vs baseline ${percent(baseline.crossSourceAccuracy)} on ${run.crossSourceImages} source-B images (${points(lead)})`,
      limits: `${run.model} picked ${run.winner} (validation ${percent(run.validationAccuracy)}, in-domain test ${percent(run.heldOutAccuracy)}); budget ${opts.budget} s per run, ${opts.workers} workers`,
    };
  };
  const neverBelow = (run: CrossSourceRow, where: string): BenchTarget => {
    const { leadPoints, measured, limits } = against(run);
    return {
      target: `Cross-source${where}: \`auto\` never more than ${MAX_DEFICIT_POINTS} point below the naive baseline`,
      measured,
      met: leadPoints >= -MAX_DEFICIT_POINTS,
      limits,
    };
  };
  const targets: BenchTarget[] = [];
  const auto = row('auto');
  if (auto) {
    const { leadPoints, measured, limits } = against(auto);
    targets.push(
      { target: `Cross-source: \`auto\` ≥ ${LEAD_POINTS} points above the naive MobileNetV2@224 baseline`, measured, met: leadPoints >= LEAD_POINTS, limits },
      neverBelow(auto, ''),
    );
  }
  const wasm = row('wasm');
  if (wasm) targets.push(neverBelow(wasm, ' on the WASM path (engine tfjs)'));
  return targets;
}

function describe(rows: CrossSourceRow[], manifest: Manifest, opts: CrossSourceOptions): string[] {
  const lines: string[] = [];
  const table = (header: string[], body: (string | number)[][]) => {
    lines.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...body.map((r) => `| ${r.join(' | ')} |`), '');
  };
  lines.push(
    `### Cross-source benchmark (the ten digits, ${manifest.perClass} images per class a side, ${manifest.size} px, seed ${manifest.seed}; train on source A, score on all of source B; budget ${opts.budget} s per run, ${opts.workers} workers, cold caches)`,
    '',
    `- Source A (training): ${manifest.fonts.a.join(', ')} — serif and slab type.`,
    `- Source B (test): ${manifest.fonts.b.join(', ')} — sans, monospace, script and handwriting-like type.`,
    '- Both: random foreground and background colours (contrast ≥ 3:1), size, position and rotation (±12°). Made by scripts/cross-source.ts; not committed.',
    '',
  );
  table(
    ['run', 'winner', 'validation (A)', 'held-out test (A)', '**source B**', 'train s', 'score s'],
    rows.map((r) => [
      r.setup,
      r.winner,
      percent(r.validationAccuracy),
      `${percent(r.heldOutAccuracy)} of ${r.heldOutImages}`,
      `**${percent(r.crossSourceAccuracy)}** of ${r.crossSourceImages}`,
      r.trainSeconds.toFixed(0),
      r.scoreSeconds.toFixed(0),
    ]),
  );
  table(
    ['source B font', ...rows.map((r) => r.model), 'images'],
    manifest.fonts.b.map((font, f) => [font, ...rows.map((r) => percent(r.byFont[f].accuracy)), rows[0].byFont[f].images]),
  );
  for (const r of rows) {
    if (r.augment) lines.push(`- Augmentation of the ${r.model} run's winner: ${r.augment}.`);
    if (r.tta)
      lines.push(
        `- Test-time augmentation of the ${r.model} run's winner (the image and its ${r.tta.view}): validation ${percent(r.tta.validation)} against ${percent(r.tta.validationWithout)} without (${r.tta.paid ? 'paid' : 'did not pay'}); source B with \`predict --tta\` ${percent(r.tta.crossSourceAccuracy)} against ${percent(r.crossSourceAccuracy)} without. The targets use \`predict\` as it is by default, without it.`,
      );
  }
  if (rows.some((r) => r.augment || r.tta)) lines.push('');
  return lines;
}

/** Alone, for a quick look: `node --import tsx bench/cross-source.ts [--per-class N] [--budget S] [--workers N] [--runs wasm,baseline]` prints the section and the targets. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'per-class': { type: 'string', default: String(DEFAULT_PER_CLASS) },
      budget: { type: 'string', default: '150' },
      workers: { type: 'string' },
      runs: { type: 'string', default: CROSS_SOURCE_RUNS.join(',') },
    },
  });
  const runs = values.runs.split(',').map((r) => r.trim());
  const unknown = runs.filter((r) => !(CROSS_SOURCE_RUNS as readonly string[]).includes(r));
  if (unknown.length) throw new InputError(`--runs takes a comma-separated list of ${CROSS_SOURCE_RUNS.join(', ')}; unknown: ${unknown.join(', ')}.`, 'runs');
  const tmp = mkdtempSync(join(os.tmpdir(), 'cci-cross-source-'));
  try {
    const outcome = await benchCrossSource({
      tmp,
      workers: Number(values.workers ?? os.availableParallelism()),
      budget: Number(values.budget),
      perClass: Number(values['per-class']),
      log: terminalLogger(process.stderr, false),
      runs: runs as CrossSourceRow['model'][],
    });
    console.log(outcome.markdown.join('\n'));
    for (const t of outcome.targets) console.log(`- ${t.target}: ${t.measured} — ${t.met ? 'met' : 'missed'} (${t.limits})`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (!isMainThread) {
  if ((workerData as ScoreJob | undefined)?.role === 'cross-source-score') await scoreShard(workerData as ScoreJob);
} else if (process.argv[1] != null && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(`error: ${error.message}`);
    process.exitCode = 2;
  }
}
