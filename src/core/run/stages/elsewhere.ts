/**
 * The model on images from another source (`evalDataset`): the folder is checked right after
 * the dataset is read, so a label the model will not have fails before any training; after
 * export, the exported model scores it as `classifier-ci evaluate` would (evaluate-folder.ts).
 * Two stages in one file, as the review's are.
 */
import { join } from 'node:path';
import { checkFolder, evaluateFolder, trainedOnHashes } from '../../evaluate-folder.js';
import { attachThumbnails } from '../../evaluate.js';
import { InputError } from '../../errors.js';
import { loadClassifier } from '../../model/classifier.js';
import { need, type Stage } from '../context.js';
import { MODEL_DIR } from './export.js';

export const checkElsewhereStage: Stage = {
  name: 'check the other source',
  async run(run) {
    const folder = run.options.evalDataset;
    if (!folder) return;
    const dataset = need(run, 'dataset');
    const scan = await checkFolder(folder, dataset.labels, run.options.cacheDir);
    const trained = trainedOnHashes(dataset.images);
    if (scan.records.every((r) => trained.has(r.sha256))) {
      throw new InputError(
        `Every image in ${folder} (the folder to evaluate on) is also in the dataset's training or validation split, so a score on it would say nothing of new images. Give a folder of images from elsewhere.`,
        folder,
      );
    }
    run.found.elsewhereScan = scan;
  },
};

export const elsewhereStage: Stage = {
  name: 'elsewhere',
  async run(run) {
    const folder = run.options.evalDataset;
    const scan = run.found.elsewhereScan;
    if (!folder || !scan) return;
    const dataset = need(run, 'dataset');
    const metrics = need(run, 'metrics');
    const modelDir = join(run.options.outDir, MODEL_DIR);
    await run.timed('elsewhere', `Scoring the model on ${folder}`, async () => {
      // The model is exported and kept whatever happens here: a failure costs this section, not the run.
      try {
        const classifier = await loadClassifier(modelDir);
        try {
          const scored = await evaluateFolder(classifier, modelDir, folder, {
            scan,
            trainedOn: trainedOnHashes(dataset.images),
            atTraining: metrics,
            onImage: (done, total) => run.log.progress(`Scoring ${folder}`, done, total),
          });
          for (const u of scored.unreadable) run.log.warn(`Left out of the score on ${folder}: ${u.reason}`);
          const pathOf = new Map(scan.records.map((r) => [r.file, r.path]));
          run.found.elsewhere = {
            dataset: folder,
            // Pictures of the mistakes, as the test set's have.
            metrics: { ...scored.metrics, mistakes: await attachThumbnails(scored.metrics.mistakes, (file) => pathOf.get(file)) },
            ece: scored.ece,
            seen: scored.seen.length,
            unreadable: scored.unreadable,
            missingLabels: scored.missingLabels,
            ...(scored.gap ? { gap: { mean: scored.gap.mean, low: scored.gap.low, high: scored.gap.high } } : {}),
          };
          const m = scored.metrics;
          run.log.info(
            `${folder}: accuracy ${(m.accuracy * 100).toFixed(1)}% on ${m.images} images against ${(metrics.accuracy * 100).toFixed(1)}% on the test split${scored.seen.length ? ` (${scored.seen.length} images the model trained on left out)` : ''}`,
          );
        } finally {
          await classifier.dispose();
        }
      } catch (error) {
        run.log.warn(`Scoring the model on ${folder} failed (${(error as Error).message}); the model and the rest of the run are kept.`);
      }
    });
  },
};
