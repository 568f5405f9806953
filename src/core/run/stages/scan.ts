/** Reading the dataset: scan, check and split it, then pick the backbones for its image size (and, on ONNX Runtime, the budget). */
import { SMALL_CNN, type BackboneSpec } from '../../backbones/zoo.js';
import { typicalImageSide } from '../../dataset/image-sizes.js';
import { prepareDataset } from '../../dataset/prepare.js';
import type { EmbeddingPool } from '../../embeddings/parallel.js';
import { affordAutoBackbones } from '../../engine/cost.js';
import type { Logger } from '../../ports.js';
import { resolveWithOrigin } from '../backbones.js';
import { planBakeOff } from '../budget.js';
import type { Stage } from '../context.js';

/** The first backbone the bake-off embeds that the workers can load (TF.js: not the small CNN, not an .onnx model), or null. */
export function firstPooledBackbone(specs: BackboneSpec[]): BackboneSpec | null {
  return specs.find((s) => s.source !== SMALL_CNN && !s.onnx) ?? null;
}

/**
 * Has the embedding workers load the bake-off's first backbone while the images are still being
 * decoded and checked, so its embedding starts on workers that have it (instead of loading it
 * when the bake-off begins). Its size comes from the listed files, as `auto` will pick it from
 * the checked ones; should the two differ, the bake-off asks the workers for the right one.
 * Resolves with the backbone once asked for (null when none is). Best effort: whatever goes
 * wrong here, the bake-off loads the backbone itself.
 */
export async function preloadWhileScanning(
  pool: EmbeddingPool,
  paths: string[],
  resolve: (typicalSide: number | null) => BackboneSpec[],
  log: Logger,
): Promise<BackboneSpec | null> {
  try {
    const first = firstPooledBackbone(resolve(await typicalImageSide(paths)));
    if (!first) return null;
    log.info(`Embedding workers: loading ${first.id} while the images are checked`);
    void pool.preload({ spec: first });
    return first;
  } catch {
    return null;
  }
}

export const scanStage: Stage = {
  name: 'scan',
  async run(run) {
    const { options, log } = run;
    const nativeBackend = run.backend.name === 'tensorflow';
    const resolveFor = (side: number | null | undefined) => resolveWithOrigin(options.backbones, nativeBackend, side, run.engine.engine);
    const pool = run.models.pool;
    let preloading: Promise<unknown> = Promise.resolve();
    const dataset = await run.timed('scan', 'Reading the dataset', async () => {
      const prepared = await prepareDataset(
        {
          datasetPath: options.datasetPath,
          split: options.split,
          seed: options.seed,
          maxPixels: options.maxPixels,
          workDir: options.cacheDir,
          onListed: pool
            ? (paths) => {
                preloading = preloadWhileScanning(pool, paths, (side) => resolveFor(side).specs, log);
              }
            : undefined,
        },
        log,
      );
      // Asked for long since, as a rule (a guess from ≤200 file headers); awaited so the bake-off never races it.
      await preloading;
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
    const resolved = resolveFor(typicalSide);
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
