/**
 * Export: the winner as `<out>/model/`, written fresh for each run. The files go to a new
 * folder beside it, which then takes its place, so files of an earlier run in the same
 * folder never reach the artifact, and an interrupted export leaves the previous model whole.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { exportModel } from '../../model/export.js';
import { need, type Stage } from '../context.js';

/** The model folder's name, which is also how result.json names it: relative to result.json's own folder. */
export const MODEL_DIR = 'model';

export const exportStage: Stage = {
  name: 'export',
  async run(run) {
    const { prepared, fitted } = run.models.winner;
    const dataset = need(run, 'dataset');
    const metrics = need(run, 'metrics');
    run.found.model = await run.timed('export', 'Exporting the model', () =>
      replaceFolder(join(run.options.outDir, MODEL_DIR), (dir) =>
        exportModel({
          dir,
          displayDir: MODEL_DIR,
          prepared,
          fitted,
          labels: dataset.labels,
          metrics,
          temperature: run.found.calibration?.temperature,
          cacheDir: run.options.cacheDir,
        }),
      ),
    );
  },
};

/** Fills a new folder with `write`, then swaps it in for `dir`; on failure `dir` is left as it was. */
export async function replaceFolder<T>(dir: string, write: (dir: string) => Promise<T>): Promise<T> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const fresh = join(parent, `.${basename(dir)}-new-${randomBytes(6).toString('hex')}`);
  await mkdir(fresh);
  let result: T;
  try {
    result = await write(fresh);
  } catch (error) {
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
  const old = join(parent, `.${basename(dir)}-old-${randomBytes(6).toString('hex')}`);
  try {
    await rename(dir, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      await rm(fresh, { recursive: true, force: true });
      throw error;
    }
  }
  await rename(fresh, dir);
  await rm(old, { recursive: true, force: true });
  return result;
}
