/**
 * Writing the report next to result.json after training. The report is a pure function of
 * the RunResult; a failure to render it is a warning, never a lost model.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { Logger } from '../core/ports.js';
import { writeReport, type ModelAccess } from '../core/report/index.js';
import type { RunResult } from '../core/result.js';

/**
 * A path as the user would type it from where the CLI was started: relative, even when it
 * climbs out (`../runs/x`); absolute only across drives, where nothing relative exists.
 */
export function fromHere(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, resolve(cwd, path));
  if (isAbsolute(rel)) return rel;
  return rel === '' ? '.' : rel;
}

/** The model folder of the run whose result.json is in `resultDir`, from where the CLI was started. */
export function modelFolder(resultDir: string, result: RunResult, cwd = process.cwd()): Extract<ModelAccess, { kind: 'folder' }> {
  return { kind: 'folder', path: fromHere(resolve(cwd, resultDir, result.model.dir), cwd) };
}

export async function writeReportSafely(outDir: string, result: RunResult, log: Logger): Promise<string[]> {
  try {
    return await writeReport(outDir, result, { model: modelFolder(outDir, result) });
  } catch (error) {
    log.warn(`The report could not be written: ${(error as Error).message}. The model and result.json are saved.`);
    return [];
  }
}
