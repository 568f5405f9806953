/**
 * Writing the report next to result.json after training. The report is a pure function of
 * the RunResult; a failure to render it is a warning, never a lost model.
 */
import type { Logger } from '../core/ports.js';
import { writeReport } from '../core/report/index.js';
import type { RunResult } from '../core/result.js';

export async function writeReportSafely(outDir: string, result: RunResult, log: Logger): Promise<string[]> {
  try {
    return await writeReport(outDir, result);
  } catch (error) {
    log.warn(`The report could not be written: ${(error as Error).message}. The model and result.json are saved.`);
    return [];
  }
}
