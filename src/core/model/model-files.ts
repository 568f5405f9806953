/**
 * What an exported model folder is: the formats preprocessing.json names, what it holds, and
 * what export is given. Below export.ts and export-onnx-only.ts, so neither imports the other.
 */
import type { RESIZE_MODE } from '../dataset/decode.js';
import type { OnnxCheck } from '../onnx/checker.js';
import type { TestMetrics } from '../result.js';
import type { FittedModel, PreparedCandidate } from './fitted.js';
import type { TtaRecipe } from './tta.js';

/** preprocessing.json's format for a model that is model.onnx alone (no TF.js model.json). */
export const ONNX_ONLY_FORMAT = 'classifier-ci/onnx-only-v1';
export const MODEL_FORMAT = 'classifier-ci/fused-layers-v1';
export const TWO_PART_FORMAT = 'classifier-ci/backbone-and-head-v1';

export interface Preprocessing {
  format: typeof MODEL_FORMAT | typeof TWO_PART_FORMAT | typeof ONNX_ONLY_FORMAT;
  inputSize: number;
  /** What the model's input holds: RGB bytes 0–255, resized with `resize`. Scaling happens inside the model. */
  input: 'rgb-bytes';
  resize: typeof RESIZE_MODE;
  backbone: string;
  /** Two-part models only: the value range the backbone under backbone/ expects. */
  range?: [number, number];
  /**
   * Temperature scaling fitted on validation (training/calibration.ts): a reader divides the
   * log of the model's probabilities by it and takes the softmax again. Absent means 1.
   */
  temperature?: number;
  /** Test-time augmentation measured on validation (model/tta.ts): what `predict --tta` averages with, and whether it paid. */
  tta?: TtaRecipe;
}

export interface ExportInput {
  dir: string;
  /** How the directory is shown to the user (relative when possible). */
  displayDir: string;
  prepared: PreparedCandidate;
  fitted: FittedModel;
  labels: string[];
  metrics: TestMetrics;
  /** Temperature to calibrate the model's probabilities with (written to preprocessing.json). */
  temperature?: number;
  /** Runs the ONNX checker on model.onnx. Default: checkOnnxFile (python3-onnx where installed). */
  checkOnnx?: (path: string) => OnnxCheck;
  /** The run's cache folder, where a downloaded ONNX backbone is (export-onnx-only.ts reads it again). */
  cacheDir?: string;
}
