/**
 * Scoring an exported model on a labelled folder it did not train on: typically images from
 * another source (another camera, shop or artist), where a model that won on in-domain
 * validation can do much worse. The metrics are the test split's (evaluate.ts), so the two read
 * side by side, with the gap between them and how sure it is (`classifier-ci evaluate`).
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { datasetFolder } from './dataset/prepare.js';
import { scanDataset, labelFolder, type ScanResult } from './dataset/scan.js';
import { DEFAULT_CACHE_DIR } from './options.js';
import { InputError } from './errors.js';
import { ECE_BINS, evaluate } from './evaluate.js';
import { parseRunResult, TestMetrics, type SkippedFile } from './result.js';
import { expectedCalibrationError } from './training/calibration.js';
import { differenceInterval, type Estimate } from './training/score.js';
import type { Classifier } from './model/classifier.js';

export interface FolderEvaluation {
  /** The same metrics as the test split's at training, over this folder's readable images. */
  metrics: TestMetrics;
  /** Expected calibration error of the model's (calibrated) probabilities here, with ECE_BINS bins. */
  ece: number;
  /** Images that could not be decoded: left out of the metrics. */
  unreadable: { file: string; reason: string }[];
  /**
   * Images the model trained on (its train or validation split, found by content in the run's
   * result.json beside the model folder): left out, since a score on them says nothing of new
   * images. Empty where there is no such result.json.
   */
  seen: string[];
  /** Files the scan did not take as images (not an image, hidden, outside a label folder). */
  skipped: SkippedFile[];
  /** The model's labels that have no images in this folder. */
  missingLabels: string[];
  /** The test split's accuracy when the model was trained (its metrics.json), where the model folder has it. */
  atTraining?: { images: number; accuracy: number };
  /** This folder's accuracy minus the test split's, in [-1, 1], with its 95% interval. */
  gap?: Estimate;
  /** With a confidence threshold (options.minConfidence): how many images get an answer at it, and how many of those are right. */
  atMinConfidence?: { threshold: number; answered: number; right: number };
}

export interface EvaluateFolderOptions {
  /** Where a .zip dataset is extracted (dataset/zip.ts). Default: DEFAULT_CACHE_DIR. */
  workDir?: string;
  /** Called after each image, for progress on a long folder. */
  onImage?: (done: number, total: number) => void;
  /** The folder's scan, when the caller already checked it (checkFolder). */
  scan?: ScanResult;
  /** Content hashes of the images the model trained on; default: read from the run's result.json beside the model folder. */
  trainedOn?: Set<string>;
  /** The test split's metrics at training; default: the model folder's metrics.json. */
  atTraining?: Pick<TestMetrics, 'images' | 'accuracy'>;
  /** A threshold as predict --min-confidence takes it: also count the answers at or above it. Default: none. */
  minConfidence?: number;
}

/**
 * Scans `dataset` (a folder, or a .zip of one, extracted under `workDir` as training extracts
 * it) and checks that its labels are among `labels`: an InputError naming each
 * label folder the model does not know (its images cannot be right, and counting them wrong
 * would understate the model without saying why), or naming the folder when it holds no
 * labelled images.
 */
export async function checkFolder(dataset: string, labels: readonly string[], workDir = DEFAULT_CACHE_DIR): Promise<ScanResult> {
  const scan = await scanDataset(await datasetFolder(dataset, workDir), undefined, dataset);
  const known = new Set(labels);
  const unknown = [...new Set(scan.records.map((r) => r.label))].filter((label) => !known.has(label));
  if (unknown.length) {
    const folders = unknown.map((label) => labelFolder(dataset, label)).join(', ');
    throw new InputError(
      `${folders}: the model has no label ${unknown.map((l) => `"${l}"`).join(', ')}; it knows ${labels.map((l) => `"${l}"`).join(', ')}. Rename ${unknown.length > 1 ? 'those folders' : 'that folder'} to the model's label for those images, or move ${unknown.length > 1 ? 'them' : 'it'} out of ${dataset}.`,
      unknown[0],
    );
  }
  if (!scan.records.length) {
    throw new InputError(
      `${dataset} holds no images in label folders. Put each image under a folder named after its label, as for training (${labelFolder(dataset, labels[0])}…).`,
      dataset,
    );
  }
  return scan;
}

/** Whether a gap's 95% interval leaves out zero: the two accuracies differ beyond the noise of their samples. */
export function gapBeyondNoise(gap: Pick<Estimate, 'low' | 'high'>): boolean {
  return gap.high < 0 || gap.low > 0;
}

/**
 * The gap to the test split at training, in words: lower, higher, or within the noise, with its
 * interval. `reference` names that split for the reader (the report has its own test section).
 */
export function gapSentence(
  evaluation: { atTraining?: FolderEvaluation['atTraining']; gap?: Pick<Estimate, 'mean' | 'low' | 'high'> },
  reference = 'Test split at training',
): string | null {
  const { atTraining, gap } = evaluation;
  if (!atTraining || !gap) return null;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const points = (x: number) => `${Math.abs(x * 100).toFixed(1)} points`;
  const signed = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x * 100).toFixed(1)}`;
  const start = `${reference}: ${pct(atTraining.accuracy)} of ${atTraining.images}.`;
  const range = `95% interval of the gap: ${signed(gap.low)} to ${signed(gap.high)} points`;
  if (!gapBeyondNoise(gap)) return `${start} The difference is within the noise of the two samples (${range}).`;
  return gap.mean < 0
    ? `${start} Here it is ${points(gap.mean)} lower (${range}): these images are harder for the model than images like the ones it trained on.`
    : `${start} Here it is ${points(gap.mean)} higher (${range}).`;
}

/** The test split's metrics written beside the model at training, if the folder has a readable one. */
async function trainingMetrics(modelDir: string): Promise<TestMetrics | undefined> {
  const text = await readFile(join(modelDir, 'metrics.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = TestMetrics.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The images `predict --min-confidence threshold` would answer (its most likely label's
 * probability at or above the threshold; below it, "unknown"), and how many of those answers are right.
 */
function answersAt(probabilities: Float32Array, examples: { label: number }[], classes: number, threshold: number) {
  let answered = 0;
  let right = 0;
  examples.forEach((example, row) => {
    const p = probabilities.subarray(row * classes, (row + 1) * classes);
    let best = 0;
    for (let j = 1; j < classes; j++) if (p[j] > p[best]) best = j;
    if (p[best] < threshold) return;
    answered++;
    if (best === example.label) right++;
  });
  return { threshold, answered, right };
}

/** Content hashes of the images a model trained on: its train and validation splits (the final fit uses both). */
export function trainedOnHashes(images: readonly { split: string; sha256: string }[]): Set<string> {
  return new Set(images.filter((i) => i.split !== 'test').map((i) => i.sha256));
}

/** The same, from the result.json of the run that wrote `modelDir`; undefined where there is none. */
async function trainedOn(modelDir: string): Promise<Set<string> | undefined> {
  const text = await readFile(join(dirname(modelDir), 'result.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const result = parseRunResult(JSON.parse(text));
    if (basename(result.model.dir) !== basename(modelDir) || !result.dataset.files) return undefined;
    return trainedOnHashes(result.dataset.files);
  } catch {
    return undefined;
  }
}

/**
 * Classifies every image of `dataset` (`<label>/<image>`, labels among the model's: checkFolder)
 * with `classifier`, exactly as `predict` does, and scores the answers, leaving out the images
 * the model trained on.
 */
export async function evaluateFolder(
  classifier: Classifier,
  modelDir: string,
  dataset: string,
  options: EvaluateFolderOptions = {},
): Promise<FolderEvaluation> {
  const labels = classifier.labels;
  const scan = options.scan ?? (await checkFolder(dataset, labels, options.workDir));
  const index = new Map(labels.map((label, i) => [label, i]));
  const trained = options.trainedOn ?? (await trainedOn(modelDir));
  const seen = trained ? scan.records.filter((r) => trained.has(r.sha256)) : [];
  const records = seen.length ? scan.records.filter((r) => !trained!.has(r.sha256)) : scan.records;
  if (!records.length) {
    throw new InputError(
      `All ${scan.records.length} images in ${dataset} are ones the model trained on (its training or validation split), so they say nothing of how it does on new images. Give a folder of images it has not seen.`,
      dataset,
    );
  }

  const examples: Parameters<typeof evaluate>[1] = [];
  const rows: number[] = [];
  const unreadable: FolderEvaluation['unreadable'] = [];
  for (const [done, record] of records.entries()) {
    try {
      const result = await classifier.classify(record.path);
      for (const label of labels) rows.push(result.probabilities[label]);
      examples.push({ file: record.file, sha256: record.sha256, label: index.get(record.label)! });
    } catch (error) {
      unreadable.push({ file: record.file, reason: (error as Error).message });
    }
    options.onImage?.(done + 1, records.length);
  }
  if (!examples.length) throw new InputError(`None of the ${records.length} images in ${dataset} could be read (${unreadable[0].reason}).`, dataset);

  const probabilities = Float32Array.from(rows);
  const threshold = options.minConfidence;
  const atMinConfidence = threshold ? answersAt(probabilities, examples, labels.length, threshold) : undefined;
  // The classifier's probabilities are already calibrated (its temperature applied), so none is passed here.
  const metrics = evaluate(labels, examples, probabilities);
  const present = new Set(examples.map((e) => e.label));
  const training = options.atTraining ?? (await trainingMetrics(modelDir));
  const correct = Math.round(metrics.accuracy * metrics.images);
  return {
    metrics,
    ece: expectedCalibrationError(
      probabilities,
      examples.map((e) => e.label),
      labels.length,
      ECE_BINS,
    ),
    unreadable,
    seen: seen.map((r) => r.file),
    skipped: scan.skipped,
    missingLabels: labels.filter((_, i) => !present.has(i)),
    ...(atMinConfidence ? { atMinConfidence } : {}),
    ...(training && training.images > 0
      ? {
          atTraining: { images: training.images, accuracy: training.accuracy },
          gap: differenceInterval(
            { successes: correct, trials: metrics.images },
            { successes: Math.round(training.accuracy * training.images), trials: training.images },
          ),
        }
      : {}),
  };
}
