import { parseArgs } from 'node:util';
import { basename, join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { numberOption } from '../options.js';
import { escapeLogLine } from '../../core/log-line.js';
import { parseAugment } from '../../core/dataset/augment-policy.js';
import { DEFAULT_CACHE_DIR, DEFAULTS, parseSplit, type TrainOptions } from '../../core/options.js';
import { train } from '../../core/pipeline.js';
import { availableParallelism } from 'node:os';
import { terminalLogger } from '../terminal-logger.js';
import { reviewSwitch } from './review.js';
import type { Command } from '../command.js';
import { fromHere, modelFolder, writeReportSafely } from '../report-files.js';

const usage = `Usage: classifier-ci train <dataset> [options]

Trains an image classifier on <dataset>: a folder of <label>/<image> files (or a .zip).
Runs the backbone bake-off, the hyperparameter round, tests the winner and exports it.

Options:
  --out <dir>             where result.json, model/ and the report go (default: runs/<dataset name>)
  --backbones <list>      comma-separated: mobilenet_v2, inception_v3, hog, small_cnn, a model.json or .onnx URL or path,
                          each optionally @<input size>; the pretrained two also +taps or +mid (features from
                          several depths; +mid leaves out the last block and transferred best on our cross-source
                          benchmark), e.g. mobilenet_v2@224+mid, and mobilenet_v2 +grid (a middle depth kept on
                          a grid, read at the image size and at half of it, for aligned images such as scans
                          or product shots); or auto (default: auto)
  --budget <seconds>      time budget for the whole run (default: ${DEFAULTS.budgetSeconds})
  --trials <n>            most trials in the hyperparameter round (default: ${DEFAULTS.trials})
  --epochs <n>            most epochs per head trained by Adam (default: ${DEFAULTS.epochs});
                          a linear head on embeddings is fitted to convergence
  --split <t,v,t>         train,val,test ratios (default: 0.7,0.15,0.15)
  --seed <n>              seed for splits, training and search (default: ${DEFAULTS.seed})
  --fine-tune <mode>      auto | true | false: fine-tune the winning backbone's top block (default: auto)
  --cache-dir <dir>       embedding and download cache (default: .cache/classifier-ci)
  --max-pixels <n>        refuse images above this many pixels (default: ${DEFAULTS.maxPixels})
  --workers <n>           threads for computing embeddings (default: one per core)
  --engine <name>         auto | onnx | tfjs: what runs the frozen backbones (default: auto, ONNX Runtime when it loads)
  --device <name>         auto | cpu | gpu: where ONNX Runtime runs (default: auto, CUDA when an NVIDIA driver is present)
  --review <bool>         true | false: review the dataset (label suspects, near-duplicates, outliers) (default: true)
  --augment <list>        auto | off | a list of crop, flip, colour, rotate: augmented views of the training images,
                          kept where they pay on validation; auto flips only where the data allows it (default: off)
  --eval <folder>         a labelled folder of images from another source (<label>/<image>, or a .zip): the model is scored
                          on it after training, as "classifier-ci evaluate" does, and the report says how it did
  --json                  print the result as JSON on stdout
  --quiet                 only warnings and the final summary
  -h, --help              show this help

Example:
  classifier-ci train sample-dataset --out runs/sample --budget 120`;

export const command: Command = {
  name: 'train',
  summary: 'train a classifier on a dataset folder (bake-off, tuning, test, export)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        backbones: { type: 'string' },
        budget: { type: 'string' },
        trials: { type: 'string' },
        epochs: { type: 'string' },
        split: { type: 'string' },
        seed: { type: 'string' },
        'fine-tune': { type: 'string' },
        'cache-dir': { type: 'string' },
        'max-pixels': { type: 'string' },
        workers: { type: 'string' },
        engine: { type: 'string' },
        device: { type: 'string' },
        review: { type: 'string' },
        eval: { type: 'string' },
        augment: { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new InputError('Give exactly one dataset folder (or .zip), e.g. classifier-ci train sample-dataset.', 'dataset');
    const datasetPath = positionals[0];
    const options: TrainOptions = {
      datasetPath,
      outDir: values.out ?? join('runs', basename(datasetPath).replace(/\.zip$/i, '') || 'dataset'),
      cacheDir: values['cache-dir'] ?? DEFAULT_CACHE_DIR,
      backbones: values.backbones
        ? values.backbones
            .split(',')
            .map((b) => b.trim())
            .filter(Boolean)
        : DEFAULTS.backbones,
      budgetSeconds: numberOption(values.budget, 'budget', DEFAULTS.budgetSeconds),
      trials: numberOption(values.trials, 'trials', DEFAULTS.trials),
      epochs: numberOption(values.epochs, 'epochs', DEFAULTS.epochs),
      split: values.split ? parseSplit(values.split) : DEFAULTS.split,
      seed: numberOption(values.seed, 'seed', DEFAULTS.seed),
      fineTune: (values['fine-tune'] ?? DEFAULTS.fineTune) as TrainOptions['fineTune'],
      workers: numberOption(values.workers, 'workers', availableParallelism()),
      maxPixels: numberOption(values['max-pixels'], 'max-pixels', DEFAULTS.maxPixels),
      engine: (values.engine ?? 'auto') as TrainOptions['engine'],
      device: (values.device ?? 'auto') as TrainOptions['device'],
      review: reviewSwitch(values.review),
      augment: parseAugment(values.augment ?? 'off'),
      ...(values.eval ? { evalDataset: values.eval } : {}),
    };
    const log = terminalLogger(process.stderr, Boolean(values.quiet));
    const result = await train(options, { log });
    const reportFiles = await writeReportSafely(options.outDir, result, log);
    if (values.json) {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return 0;
    }
    const total = result.timings.find((t) => t.stage === 'total')?.seconds ?? 0;
    const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
    const modelPath = modelFolder(options.outDir, result).path;
    // The winner's name and the paths come from the user (a backbone URL, --out): one safe line each.
    const summary = [
      '',
      `Done in ${total.toFixed(0)} s.`,
      `  Winner:         ${winner?.displayName ?? result.bakeOff.winner}`,
      `  Test accuracy:  ${(result.test.accuracy * 100).toFixed(1)}% on ${result.test.images} images${result.test.topK ? ` (top-${result.test.topK.k}: ${(result.test.topK.accuracy * 100).toFixed(1)}%)` : ''}`,
      `  Model:          ${modelPath}`,
      `  Result:         ${fromHere(join(options.outDir, 'result.json'))}`,
      ...(reportFiles.length ? [`  Report:         ${fromHere(join(options.outDir, 'report.md'))} (and report.html)`] : []),
      '',
      `Classify an image: npx classifier-ci predict ${modelPath} <image>`,
      '',
    ];
    process.stderr.write(summary.map(escapeLogLine).join('\n'));
    return 0;
  },
};
