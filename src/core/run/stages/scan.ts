/** Reading the dataset: scan, check and split it, then pick the backbones for its image size (and, on ONNX Runtime, the budget). */
import { typicalImageSide } from '../../dataset/image-sizes.js';
import { prepareDataset } from '../../dataset/prepare.js';
import { affordAutoBackbones } from '../../engine/cost.js';
import { resolveWithOrigin } from '../backbones.js';
import { planBakeOff } from '../budget.js';
import type { Stage } from '../context.js';

export const scanStage: Stage = {
  name: 'scan',
  async run(run) {
    const { options, log } = run;
    const dataset = await run.timed('scan', 'Reading the dataset', async () => {
      const prepared = await prepareDataset(
        { datasetPath: options.datasetPath, split: options.split, seed: options.seed, maxPixels: options.maxPixels, workDir: options.cacheDir },
        log,
      );
      const s = prepared.summary;
      log.info(
        `${s.images} images, ${s.labels.length} labels; split ${s.counts.reduce((n, c) => n + c.train, 0)} train / ${s.counts.reduce((n, c) => n + c.val, 0)} val / ${s.counts.reduce((n, c) => n + c.test, 0)} test${s.skipped.length ? `; ${s.skipped.length} files skipped` : ''}`,
      );
      for (const warning of s.warnings) log.warn(warning);
      return prepared;
    });
    const typicalSide = await typicalImageSide(dataset.images.map((i) => i.path));
    dataset.summary.typicalSide = typicalSide ?? undefined;
    run.found.dataset = dataset;
    const resolved = resolveWithOrigin(options.backbones, run.backend.name === 'tensorflow', typicalSide, run.engine.engine);
    if (run.engine.engine === 'onnxruntime') {
      // What the default backbones would cost on ONNX Runtime, against the bake-off's time from now.
      const bakeOff = planBakeOff(run.budget, run.now());
      const afforded = affordAutoBackbones({
        ...resolved,
        images: new Set(dataset.images.map((i) => i.sha256)).size,
        bakeOffMs: bakeOff.bakeOffEnd - run.now(),
      });
      for (const entry of afforded.plan) log.info(`Backbone ${entry.backbone}: ${entry.reason}`);
      run.found.specs = afforded.specs;
      run.found.backbonePlan = afforded.plan;
    } else {
      run.found.specs = resolved.specs;
      run.found.backbonePlan = [];
    }
  },
};
