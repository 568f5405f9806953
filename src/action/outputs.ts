/** The step's outputs (names in constants.ts), from the RunResult and what was uploaded and posted. */
import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RunResult } from '../core/result.js';
import type { UploadOutcome } from './artifact.js';
import type { PostedComment } from './comment.js';
import { Outputs } from './constants.js';

/**
 * Validation accuracy of the model that was exported: the fine-tuned one when fine-tuning was
 * applied, else the chosen trial's head, else (no trial won) the bake-off head.
 * A fine-tune that lost also records its accuracy, but that model was not exported.
 */
export function exportedValAccuracy(result: RunResult): number | undefined {
  const { fineTune, bestTrial, trials } = result.tuning;
  if (fineTune.applied && fineTune.valAccuracy !== undefined) return fineTune.valAccuracy;
  const trial = trials.find((t) => t.index === bestTrial);
  if (trial) return trial.valAccuracy;
  return result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner)?.valAccuracy;
}

export function setOutputs(outDir: string, result: RunResult, done: { reportFiles: string[]; upload: UploadOutcome; comment?: PostedComment }): void {
  core.setOutput(Outputs.BestBackbone, result.bakeOff.winner);
  core.setOutput(Outputs.TestAccuracy, result.test.accuracy.toFixed(4));
  const valAccuracy = exportedValAccuracy(result);
  if (valAccuracy !== undefined) core.setOutput(Outputs.ValAccuracy, valAccuracy.toFixed(4));
  core.setOutput(Outputs.ModelPath, join(outDir, 'model'));
  core.setOutput(Outputs.ResultPath, join(outDir, 'result.json'));
  const reportPath = done.reportFiles.find((f) => basename(f) === 'report.md') ?? join(outDir, 'report.md');
  if (existsSync(reportPath)) core.setOutput(Outputs.ReportPath, reportPath);
  if (done.upload.ok) {
    core.setOutput(Outputs.ArtifactId, String(done.upload.artifact.id));
    core.setOutput(Outputs.ArtifactUrl, done.upload.artifact.url);
  }
  if (done.comment) core.setOutput(Outputs.CommentUrl, done.comment.url);
}
