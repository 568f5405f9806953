/**
 * Folding a head's feature standardisation into its first dense layer. Used by export (one
 * model, no separate normalisation step) and by fine-tuning (its dense layers start from the
 * tuned head, on unstandardised activations).
 */
import type { DenseWeights, HeadWeights } from './fitted.js';

/** z = ((x − m)/s)·W + b  ==  x·(W/s) + (b − (m/s)·W): the standardisation disappears into the weights. */
export function foldStandardisation(head: HeadWeights): DenseWeights[] {
  const [first, ...rest] = head.dense;
  if (!first) return [];
  const kernel = new Float32Array(first.kernel.length);
  const bias = Float32Array.from(first.bias);
  for (let i = 0; i < first.inDim; i++) {
    const s = head.std[i];
    const m = head.mean[i];
    for (let j = 0; j < first.outDim; j++) {
      const w = first.kernel[i * first.outDim + j];
      kernel[i * first.outDim + j] = w / s;
      bias[j] -= (m / s) * w;
    }
  }
  return [{ ...first, kernel, bias }, ...rest];
}
