/**
 * Test-split metrics, computed once, after every choice was made on the validation split:
 * accuracy with its 95% Wilson interval, top-k, per-label precision/recall/F1, confusion
 * matrix, worst mistakes, and (given a temperature) calibration before and after it.
 */
import type { Mistake, TestMetrics } from './result.js';
import { applyTemperature } from './model/temperature.js';
import { expectedCalibrationError } from './training/calibration.js';
import { wilsonInterval } from './training/score.js';

export interface TestExample {
  file: string;
  sha256: string;
  /** Index into labels. */
  label: number;
}

export const MAX_MISTAKES = 24;

/** k for top-k accuracy: 5 with many labels, 2 with a few, none with two. */
export function topKFor(labelCount: number): number | null {
  return labelCount > 5 ? 5 : labelCount > 2 ? 2 : null;
}

/** Equal-width confidence bins for the expected calibration error. */
export const ECE_BINS = 10;

export interface Calibrated {
  temperature: number;
  /** Images the temperature was fitted on, and whose predictions (training/calibration.ts). */
  fittedOn: number;
  fittedWith: 'validation' | 'out-of-fold';
}

/** No temperature was fitted (training/calibration.ts says why); the error is still measured. */
export interface NotCalibrated {
  skipped: string;
}

/**
 * Test metrics from the model's probabilities (rows × labels). With a fitted temperature, the
 * probabilities are first scaled by it, as the exported model does, and the calibration error
 * is reported before and after; without one, the error as it stands and why none was fitted.
 */
export function evaluate(labels: string[], examples: TestExample[], raw: Float32Array, calibration?: Calibrated | NotCalibrated): TestMetrics {
  const n = labels.length;
  const calibrated = calibration && 'temperature' in calibration ? calibration : undefined;
  const probabilities = calibrated ? applyTemperature(raw, n, calibrated.temperature) : raw;
  const confusion = labels.map(() => new Array<number>(n).fill(0));
  const k = topKFor(n);
  let correct = 0;
  let topKHits = 0;
  const mistakes: Mistake[] = [];
  examples.forEach((example, row) => {
    const p = probabilities.subarray(row * n, (row + 1) * n);
    let predicted = 0;
    for (let j = 1; j < n; j++) if (p[j] > p[predicted]) predicted = j;
    confusion[example.label][predicted]++;
    if (predicted === example.label) correct++;
    else
      mistakes.push({
        file: example.file,
        sha256: example.sha256,
        trueLabel: labels[example.label],
        predictedLabel: labels[predicted],
        confidence: p[predicted],
      });
    if (k) {
      // Rank of the true label = how many labels scored strictly higher.
      let higher = 0;
      for (let j = 0; j < n; j++) if (p[j] > p[example.label]) higher++;
      if (higher < k) topKHits++;
    }
  });
  const perLabel = labels.map((label, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + row[i], 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const total = examples.length;
  mistakes.sort((a, b) => b.confidence - a.confidence || (a.file < b.file ? -1 : 1));
  const truth = examples.map((e) => e.label);
  const interval = wilsonInterval(correct, total);
  return {
    images: total,
    accuracy: total ? correct / total : 0,
    accuracyInterval: { low: interval.low, high: interval.high, method: 'wilson' },
    ...(calibrated
      ? {
          calibration: {
            temperature: calibrated.temperature,
            fittedOn: calibrated.fittedOn,
            fittedWith: calibrated.fittedWith,
            eceBefore: expectedCalibrationError(raw, truth, n, ECE_BINS),
            eceAfter: expectedCalibrationError(probabilities, truth, n, ECE_BINS),
            bins: ECE_BINS,
          },
        }
      : {}),
    ...(calibration && 'skipped' in calibration
      ? { calibrationSkipped: { reason: calibration.skipped, ece: expectedCalibrationError(raw, truth, n, ECE_BINS), bins: ECE_BINS } }
      : {}),
    topK: k ? { k, accuracy: total ? topKHits / total : 0 } : null,
    macroF1: perLabel.reduce((s, l) => s + l.f1, 0) / n,
    perLabel,
    confusion: { labels, matrix: confusion },
    mistakes: mistakes.slice(0, MAX_MISTAKES),
  };
}

/** A small JPEG of each mistake for the report, as a data: URL (at most 96 px on its longest side). */
export async function attachThumbnails(mistakes: Mistake[], pathOf: (file: string) => string | undefined): Promise<Mistake[]> {
  const sharp = (await import('sharp')).default;
  return Promise.all(
    mistakes.map(async (mistake) => {
      const path = pathOf(mistake.file);
      if (!path) return mistake;
      try {
        const jpeg = await sharp(path, { failOn: 'none', animated: false })
          .rotate()
          .flatten({ background: '#ffffff' })
          .resize(96, 96, { fit: 'inside', withoutEnlargement: false })
          .jpeg({ quality: 80 })
          .toBuffer();
        return { ...mistake, thumbnail: `data:image/jpeg;base64,${jpeg.toString('base64')}` };
      } catch {
        return mistake;
      }
    }),
  );
}
