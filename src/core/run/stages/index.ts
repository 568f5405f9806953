/** train()'s stages, in order. A new stage is one file and one line here. */
import type { Stage } from '../context.js';
import { augmentStage } from './augment.js';
import { bakeOffStage } from './bake-off.js';
import { ensembleStage } from './ensemble.js';
import { checkElsewhereStage, elsewhereStage } from './elsewhere.js';
import { evaluateStage } from './evaluate.js';
import { exportStage } from './export.js';
import { finalFitStage } from './final-fit.js';
import { fineTuneStage } from './fine-tune.js';
import { keepReviewEmbeddingsStage, reviewStage } from './review.js';
import { scanStage } from './scan.js';
import { tuningStage } from './tuning.js';

export const STAGES: readonly Stage[] = [
  scanStage,
  checkElsewhereStage,
  bakeOffStage,
  ensembleStage,
  augmentStage,
  tuningStage,
  keepReviewEmbeddingsStage,
  fineTuneStage,
  finalFitStage,
  evaluateStage,
  exportStage,
  elsewhereStage,
  reviewStage,
];
