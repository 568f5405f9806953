/**
 * Applying a calibration temperature to a model's probabilities: what the exported model's
 * readers do at predict time. Fitting it is training's job (training/calibration.ts).
 *
 * The model's outputs are softmax probabilities; log p differs from the logits by a per-row
 * constant, which softmax ignores, so scaling log p is scaling the logits.
 */

/** Probabilities this small are treated as this small: log(0) would make one row's loss infinite. */
export const FLOOR = 1e-12;

/** The calibrated probabilities: softmax(log p / T), row by row (rows × classes). */
export function applyTemperature(probabilities: Float32Array, classes: number, temperature: number): Float32Array {
  if (temperature === 1) return probabilities.slice();
  const out = new Float32Array(probabilities.length);
  for (let start = 0; start < probabilities.length; start += classes) {
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, Math.log(Math.max(FLOOR, probabilities[start + j])) / temperature);
    let sum = 0;
    for (let j = 0; j < classes; j++) {
      const e = Math.exp(Math.log(Math.max(FLOOR, probabilities[start + j])) / temperature - max);
      out[start + j] = e;
      sum += e;
    }
    for (let j = 0; j < classes; j++) out[start + j] /= sum;
  }
  return out;
}
