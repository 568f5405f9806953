/** Evaluating the winner on the test split, which no earlier stage has looked at. */
import { attachThumbnails, evaluate } from '../../evaluate.js';
import { predictProbabilities } from '../../training/candidates.js';
import { need, type Stage } from '../context.js';

export const evaluateStage: Stage = {
  name: 'evaluate',
  async run(run) {
    const dataset = need(run, 'dataset');
    const { prepared, fitted } = run.models.winner;
    const testImages = dataset.images.filter((i) => i.split === 'test');
    const metrics = await run.timed('evaluate', 'Evaluating on the test split', async () => {
      const probabilities = predictProbabilities(fitted, prepared.test);
      const { calibration, calibrationSkipped } = run.found;
      const measured = evaluate(
        dataset.labels,
        testImages.map((i) => ({ file: i.file, sha256: i.sha256, label: dataset.labels.indexOf(i.label) })),
        probabilities,
        calibration
          ? { temperature: calibration.temperature, fittedOn: calibration.images, fittedWith: calibration.source }
          : calibrationSkipped
            ? { skipped: calibrationSkipped }
            : undefined,
      );
      const pathOf = new Map(testImages.map((i) => [i.file, i.path]));
      return { ...measured, mistakes: await attachThumbnails(measured.mistakes, (file) => pathOf.get(file)) };
    });
    const interval = metrics.accuracyInterval;
    run.log.info(
      `Test accuracy: ${(metrics.accuracy * 100).toFixed(1)}% on ${metrics.images} images${interval ? ` (95% Wilson interval ${(interval.low * 100).toFixed(1)}–${(interval.high * 100).toFixed(1)}%)` : ''}`,
    );
    if (metrics.calibration)
      run.log.info(
        `Calibration: temperature ${metrics.calibration.temperature}; expected calibration error on test ${(metrics.calibration.eceBefore * 100).toFixed(1)}% before, ${(metrics.calibration.eceAfter * 100).toFixed(1)}% after`,
      );
    run.found.metrics = metrics;
  },
};
