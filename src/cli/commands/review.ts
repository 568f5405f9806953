import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { autoBackbones } from '../../core/backbones/zoo.js';
import { ensureBackend } from '../../core/backend/select.js';
import { typicalImageSide } from '../../core/dataset/image-sizes.js';
import { prepareDataset } from '../../core/dataset/prepare.js';
import { chooseInferenceEngine } from '../../core/engine/choose.js';
import { InputError } from '../../core/errors.js';
import { numberOption } from '../options.js';
import { escapeLogLine } from '../../core/log-line.js';
import { DEFAULT_CACHE_DIR, DEFAULTS, parseSplit } from '../../core/options.js';
import { parseRunResult, type DatasetReview } from '../../core/result.js';
import { diffDatasets } from '../../core/review/diff.js';
import { resolveBackbones } from '../../core/run/backbones.js';
import { reviewRun } from '../../core/run/stages/review.js';
import { runBakeOff } from '../../core/training/bakeoff.js';
import { disposeFitted } from '../../core/training/candidates.js';
import type { Command } from '../command.js';
import { terminalLogger } from '../terminal-logger.js';

const usage = `Usage: classifier-ci review <dataset> [options]

Reviews a dataset folder (or .zip) without a whole training run: label-error suspects,
near-duplicates (leaks across splits, conflicts across labels), outliers, and with
--baseline what changed. Embeds with one backbone (from the cache when a run already did).

Options:
  --backbone <spec>       the backbone to embed with (default: mobilenet_v2 at the data's size;
                          use the winner of your training run to read its cached embeddings)
  --baseline <result.json> list images added, removed and relabelled since that run
  --split <t,v,t>         train,val,test ratios, as for train (default: 0.7,0.15,0.15)
  --seed <n>              seed, as for train (default: ${DEFAULTS.seed})
  --cache-dir <dir>       embedding and download cache (default: .cache/classifier-ci)
  --max-pixels <n>        refuse images above this many pixels (default: ${DEFAULTS.maxPixels})
  --json                  print the review as JSON on stdout
  --quiet                 only warnings and the lists
  -h, --help              show this help

Example:
  classifier-ci review sample-dataset --baseline runs/main/result.json`;

/** --review true|false (train). Absent: true. */
export function reviewSwitch(value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(`--review must be true or false, got "${value}".`, 'review');
}

export const command: Command = {
  name: 'review',
  summary: 'review a dataset: label suspects, near-duplicates and leaks, outliers, what changed',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        backbone: { type: 'string' },
        baseline: { type: 'string' },
        split: { type: 'string' },
        seed: { type: 'string' },
        'cache-dir': { type: 'string' },
        'max-pixels': { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new InputError('Give exactly one dataset folder (or .zip), e.g. classifier-ci review sample-dataset.', 'dataset');
    const datasetPath = positionals[0];
    const seed = numberOption(values.seed, 'seed', DEFAULTS.seed, { whole: true });
    const maxPixels = numberOption(values['max-pixels'], 'max-pixels', DEFAULTS.maxPixels, { whole: true });
    const cacheDir = values['cache-dir'] ?? DEFAULT_CACHE_DIR;
    const baseline = values.baseline === undefined ? undefined : await readBaseline(values.baseline);
    const log = terminalLogger(process.stderr, Boolean(values.quiet));

    const review = await reviewFolder({
      datasetPath,
      backbone: values.backbone,
      split: values.split ? parseSplit(values.split) : DEFAULTS.split,
      seed,
      maxPixels,
      cacheDir,
      log,
    });
    if (baseline) {
      if (!baseline.result.dataset.files) log.warn(`The baseline ${baseline.path} has no image list (written before the review or with it off): no diff.`);
      else review.diff = diffDatasets(review.files, baseline.result.dataset.files);
    }
    const { files: _files, ...printed } = review;
    if (values.json) process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
    else process.stdout.write(formatReview(printed).map(escapeLogLine).join('\n') + '\n');
    return 0;
  },
};

interface FolderReview extends DatasetReview {
  files: { file: string; label: string; sha256: string }[];
}

async function reviewFolder(o: {
  datasetPath: string;
  backbone?: string;
  split: ReturnType<typeof parseSplit>;
  seed: number;
  maxPixels: number;
  cacheDir: string;
  log: ReturnType<typeof terminalLogger>;
}): Promise<FolderReview> {
  const backend = await ensureBackend();
  const engine = await chooseInferenceEngine({ engine: 'auto', device: 'auto', tfjs: backend, tfjsWorkers: 1, cacheDir: o.cacheDir });
  const dataset = await prepareDataset({ datasetPath: o.datasetPath, split: o.split, seed: o.seed, maxPixels: o.maxPixels, workDir: o.cacheDir }, o.log);
  const native = backend.name === 'tensorflow';
  const name = o.backbone ?? autoBackbones(native, await typicalImageSide(dataset.images.map((i) => i.path)), engine.engine)[0];
  const [spec] = resolveBackbones([name], native, undefined, engine.engine);
  if (!spec || spec.id.startsWith('small_cnn'))
    throw new InputError(`--backbone ${name}: the review needs a pretrained backbone's embeddings; name one, e.g. mobilenet_v2.`, 'backbone');
  const now = () => performance.now();
  // One candidate: its embeddings (cached when a run made them) and one head, whose test predictions measure leaks.
  const { winner } = await runBakeOff([spec], {
    dataset,
    cacheDir: o.cacheDir,
    maxPixels: o.maxPixels,
    workers: availableParallelism(),
    engine,
    maxEpochs: DEFAULTS.epochs,
    seed: o.seed,
    deadline: Infinity,
    now,
    log: o.log,
  });
  try {
    const { prepared, fitted } = winner;
    const review = await reviewRun({
      dataset,
      embeddings: { backbone: spec.id, parts: [prepared.train, prepared.val, prepared.test] },
      prepared,
      fitted,
      seed: o.seed,
    });
    return { ...review, files: dataset.images.map(({ file, label, sha256 }) => ({ file, label, sha256 })) };
  } finally {
    disposeFitted(winner.fitted);
    winner.prepared.extractor?.dispose();
  }
}

async function readBaseline(path: string) {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `The baseline ${path} does not exist. Give the result.json a training run wrote.`
        : `The baseline ${path} cannot be read: ${(error as Error).message}`,
      path,
    );
  }
  try {
    return { path, result: parseRunResult(json, path) };
  } catch (error) {
    throw new InputError((error as Error).message, path);
  }
}

/** The lists as plain lines, worst first. */
export function formatReview(review: DatasetReview): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [`Dataset review (embeddings: ${review.backbone})`, ''];
  lines.push(`Label suspects: ${review.labelSuspects.length}`);
  for (const s of review.labelSuspects) lines.push(`  ${s.file}: labelled "${s.label}", looks like "${s.suggested}" (${pct(s.confidence)})`);
  lines.push('', `Near-duplicates: ${review.nearDuplicates.length}`);
  for (const d of review.nearDuplicates) {
    const flags = [
      d.crossSplit ? `across splits${d.splits ? ` (${d.splits.join(' / ')})` : ''}` : '',
      d.crossLabel ? `across labels${d.labels ? ` (${d.labels.join(' / ')})` : ''}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${d.files[0]} ~ ${d.files[1]}: similarity ${d.similarity.toFixed(3)}${flags ? `, ${flags}` : ''}`);
  }
  if (review.leak && review.leak.leakedTestImages > 0) {
    lines.push(
      `  ${review.leak.leakedTestImages} of ${review.leak.testImages} test images have a copy in train or val: test accuracy ${pct(review.leak.accuracy)}, ${review.leak.accuracyWithoutLeaks === null ? 'no test image left without them' : `${pct(review.leak.accuracyWithoutLeaks)} without them`}.`,
    );
  }
  lines.push('', `Outliers: ${review.outliers.length}`);
  for (const o of review.outliers) lines.push(`  ${o.file} (${o.label}): score ${o.score.toFixed(1)}`);
  if (review.diff) {
    const { added, removed, relabelled } = review.diff;
    lines.push('', `Since the baseline: ${added.length} added, ${removed.length} removed, ${relabelled.length} relabelled`);
    for (const a of added) lines.push(`  + ${a.file}`);
    for (const r of removed) lines.push(`  - ${r.file}`);
    for (const r of relabelled) lines.push(`  ~ ${r.file}: "${r.from}" → "${r.to}"`);
  }
  lines.push('', `Method: ${review.method}`);
  return lines;
}
