/**
 * The full default run (issue 12): "A 1,000-image dataset of 224-px photos with the default
 * 600 s budget completes the full default bake-off (including InceptionV3), tuning and the
 * final fit."
 *
 * The dataset: the ten digits drawn by scripts/cross-source.ts (Debian fonts of both sources,
 * colours, size, position and rotation varied), 100 per class at 224 × 224, saved as JPEG
 * (quality 90) as a camera would. Then `train()` with the default options (backbones auto,
 * budget 600 s, inference engine auto, a worker per core, cold cache), as
 * `classifier-ci train <dataset>` runs it. Recorded: the wall time, each stage's time, every
 * default candidate and whether its bake-off completed, whether tuning and the final fit ran,
 * and the test accuracy. Called by bench/run.ts (`--only full`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { autoBackbones } from '../src/core/backbones/zoo.js';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger, type Logger } from '../src/core/ports.js';
import type { RunResult } from '../src/core/result.js';
import { DEFAULT_SEED, ensureFonts, generateCrossSource } from '../scripts/cross-source.js';
import type { BenchTarget } from './cross-source.js';

const IMAGES_PER_CLASS = 100;
const SIZE = 224;

export interface FullRunOptions {
  /** A scratch folder; the data, cache and model go in `<tmp>/full-run*`. */
  tmp: string;
  /** Training progress. Default: silent. */
  log?: Logger;
}

export interface FullRunOutcome {
  result: RunResult;
  wallSeconds: number;
  markdown: string[];
  targets: BenchTarget[];
}

const seconds = (start: number) => (performance.now() - start) / 1000;
const round = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** Whether the candidate's head trained with augmented views, or why not (the budget may cut them short). */
function viewsOf(c: RunResult['bakeOff']['candidates'][number]): string {
  if (!c.augment) return '–';
  if (!c.augment.views) return `none: ${c.augment.note.slice(0, 160)}`;
  return `${c.augment.views} per image, ${c.augment.kept ? 'kept' : 'not kept'}`;
}

/** 100 images per digit at 224 px as JPEGs: half from each font source, so twenty families are in the mix. */
async function writeDataset(root: string): Promise<number> {
  const rendered = join(root, 'rendered');
  const manifest = await generateCrossSource({ out: rendered, perClass: IMAGES_PER_CLASS / 2, seed: DEFAULT_SEED, size: SIZE });
  const dataset = join(root, 'dataset');
  for (const image of manifest.images) {
    mkdirSync(join(dataset, image.label), { recursive: true });
    const name = image.file.replace(/^source-(a|b)\/[^/]+\//, `$1-`).replace(/\.png$/, '.jpg');
    writeFileSync(join(dataset, image.label, name), await sharp(join(rendered, image.file)).jpeg({ quality: 90 }).toBuffer());
  }
  return manifest.images.length;
}

export async function benchFullRun(options: FullRunOptions): Promise<FullRunOutcome> {
  const log = options.log ?? silentLogger;
  const root = join(options.tmp, 'full-run');
  ensureFonts();
  let start = performance.now();
  const count = await writeDataset(root);
  log.info(`Full run: wrote ${count} JPEGs of ${SIZE} px (10 digits × ${IMAGES_PER_CLASS}) in ${round(seconds(start), 0)} s`);

  const trainOptions: TrainOptions = {
    ...DEFAULTS,
    datasetPath: join(root, 'dataset'),
    outDir: join(root, 'run'),
    cacheDir: join(root, 'cache'),
    workers: os.availableParallelism(),
  };
  start = performance.now();
  const result = await train(trainOptions, { log });
  const wallSeconds = seconds(start);

  // What `auto` means on this engine for 224-px images: the candidates the run is expected to train.
  const onOrt = result.backend.inference?.engine === 'onnxruntime';
  const expected = autoBackbones(result.backend.name === 'tensorflow', SIZE, onOrt ? 'onnxruntime' : 'tfjs');
  const candidate = (id: string) => result.bakeOff.candidates.find((c) => c.backbone === id);
  const completed = (id: string) => {
    const c = candidate(id);
    return Boolean(c && !c.error && c.epochs > 0);
  };
  const timing = (stage: string) => result.timings.find((t) => t.stage === stage)?.seconds;
  const refit = result.tuning.refit;
  const tuned = result.tuning.trials.length > 0;
  const allCompleted = expected.every(completed);
  const inception = expected.find((id) => id.startsWith('inception_v3'));

  const markdown: string[] = [];
  const line = (text = '') => markdown.push(text);
  const table = (header: string[], rows: (string | number)[][]) => {
    line(`| ${header.join(' | ')} |`);
    line(`| ${header.map(() => '---').join(' | ')} |`);
    for (const row of rows) line(`| ${row.join(' | ')} |`);
    line();
  };
  line(
    `### Full default run (${count} JPEGs of ${SIZE} px, 10 digit classes × ${IMAGES_PER_CLASS}, fonts of scripts/cross-source.ts; \`train()\` with the default options: backbones auto, budget ${DEFAULTS.budgetSeconds} s, engine auto, ${trainOptions.workers} workers, cold cache)`,
  );
  line();
  line(
    `- Inference engine: ${result.backend.inference ? `${result.backend.inference.engine} (${result.backend.inference.provider})` : 'not recorded'}; expected default candidates: ${expected.map((id) => `\`${id}\``).join(', ')}`,
  );
  line(
    `- Wall time of the \`train()\` call: **${round(wallSeconds, 1)} s** (budget ${DEFAULTS.budgetSeconds} s; result.budget.exhausted: ${result.budget.exhausted})`,
  );
  line();
  table(
    ['stage', 'seconds'],
    [
      ...result.timings.filter((t) => t.stage !== 'total').map((t) => [t.stage === 'embed' ? 'embed (part of bakeOff)' : t.stage, round(t.seconds, 1)]),
      [
        'other (stages result.timings does not time, e.g. augmentation)',
        round((timing('total') ?? 0) - result.timings.filter((t) => t.stage !== 'total' && t.stage !== 'embed').reduce((sum, t) => sum + t.seconds, 0), 1),
      ],
      ['**total (result.timings)**', `**${round(timing('total') ?? NaN, 1)}**`],
    ],
  );
  table(
    ['candidate', 'completed', 'val accuracy', 'CV folds', 'epochs', 'embed s', 'train s', 'augmented views', 'note'],
    [
      ...expected.map((id) => {
        const c = candidate(id);
        const left = result.bakeOff.plan?.find((p) => p.backbone === id);
        if (!c) return [`\`${id}\``, 'no', '–', '–', '–', '–', '–', '–', left ? `left out: ${left.reason}` : 'not in the bake-off'];
        return [
          c.displayName,
          completed(id) ? 'yes' : 'no',
          `${round(c.valAccuracy * 100)}%`,
          c.cv ? `${c.cv.folds}${c.cv.note ? ` (${c.cv.note})` : ''}` : '–',
          c.epochs,
          round(c.embedSeconds, 1),
          round(c.trainSeconds, 1),
          viewsOf(c),
          [c.error ? `error: ${c.error}` : '', c.backbone === result.bakeOff.winner ? 'winner' : ''].filter(Boolean).join('; '),
        ];
      }),
      ...result.bakeOff.candidates
        .filter((c) => !expected.includes(c.backbone))
        .map((c) => [
          c.displayName,
          c.error ? 'no' : 'yes',
          `${round(c.valAccuracy * 100)}%`,
          c.cv?.folds ?? '–',
          c.epochs,
          round(c.embedSeconds, 1),
          round(c.trainSeconds, 1),
          viewsOf(c),
          'beyond the defaults',
        ]),
    ],
  );
  for (const p of result.bakeOff.plan ?? []) line(`- Budget plan: \`${p.backbone}\` ${p.reason}`);
  line(`- Tuning: ${tuned ? `${result.tuning.trials.length} trials (${result.tuning.strategy}), best trial ${result.tuning.bestTrial}` : 'no trials ran'}`);
  line(`- Fine-tuning: ${result.tuning.fineTune.applied ? 'applied' : 'not applied'} (${result.tuning.fineTune.reason})`);
  line(`- Final fit: ${refit ? `${refit.applied ? 'applied' : 'not applied'} (${refit.reason})` : 'not recorded'}`);
  line(`- Test split (${result.test.images} images): **${round(result.test.accuracy * 100)}%** accuracy; winner ${result.bakeOff.winner}`);
  line();

  const missing = expected.filter((id) => !completed(id));
  // Every part of the target that failed, with the run's own reason; else what the time went on.
  const limitsOf = () => {
    const failed = [
      ...missing.map((id) => `${id} not completed (${candidate(id)?.error ?? result.bakeOff.plan?.find((p) => p.backbone === id)?.reason ?? 'not run'})`),
      ...(tuned ? [] : ['no tuning trial ran']),
      ...(refit?.applied ? [] : [`final fit skipped: ${refit?.reason ?? 'not recorded'} (tuning took ${round(timing('tuning') ?? NaN, 0)} s)`]),
      ...(wallSeconds <= DEFAULTS.budgetSeconds * 1.05
        ? []
        : [`${round(wallSeconds, 0)} s, over the budget (review ${round(timing('review') ?? NaN, 0)} s after the export)`]),
    ];
    return failed.length
      ? failed.join('; ')
      : `${onOrt ? 'ONNX Runtime' : 'TF.js'} on ${os.availableParallelism()} cores; bake-off ${round(timing('bakeOff') ?? NaN, 0)} s of it`;
  };
  const targets: BenchTarget[] = [
    {
      target: `A 1,000-image dataset of 224-px photos with the default ${DEFAULTS.budgetSeconds} s budget completes the full default bake-off (including InceptionV3), tuning and the final fit`,
      measured: `${round(wallSeconds, 0)} s; bake-off ${expected.length - missing.length}/${expected.length} candidates completed${inception ? ` (${inception} ${completed(inception) ? 'yes' : 'no'})` : ''}; ${result.tuning.trials.length} tuning trials; final fit ${refit?.applied ? 'ran' : 'did not run'}; test ${round(result.test.accuracy * 100)}%`,
      met: allCompleted && Boolean(inception) && tuned && Boolean(refit?.applied) && wallSeconds <= DEFAULTS.budgetSeconds * 1.05,
      limits: limitsOf(),
    },
  ];
  return { result, wallSeconds, markdown, targets };
}
