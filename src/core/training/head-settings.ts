/** The one wording of a head's settings. */
import type { HeadConfig } from '../result.js';

/**
 * How a head reads in logs, reasons and the report: every setting its solver uses, so two
 * trials that read alike are alike (L-BFGS uses neither the learning rate, the batch nor
 * dropout), and the hyperparameter round proposes no head twice (tuning.ts).
 */
export function headSettings(config: HeadConfig): string {
  const settings = [
    config.solver === 'lbfgs'
      ? 'L-BFGS'
      : `Adam, lr ${config.learningRate}, batch ${config.batchSize}, hidden [${config.hiddenUnits.join(',')}], dropout ${config.dropout}`,
    `L2 ${config.weightDecay}`,
  ];
  if (config.labelSmoothing) settings.push(`label smoothing ${config.labelSmoothing}`);
  if (config.scaling === 'global') settings.push('one scale for all features');
  if (config.schedule === 'cosine' && config.solver !== 'lbfgs') settings.push('cosine learning-rate decay');
  return settings.join(', ');
}
