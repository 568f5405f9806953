/**
 * The weights of a TF.js layers model (its weights manifest and concatenated weight data),
 * decoded to float32 arrays by name, dequantised the way tfjs-core does (uint8/uint16:
 * value · scale + min). The nsfwjs backbones ship uint8-quantised weights.
 */
import type * as tf from '@tensorflow/tfjs';
import { InputError } from '../errors.js';
import type { WeightTensor } from './layout.js';

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2 };

/** Bytes a weight takes in the weight data: its values as stored (quantised or not). */
export function storedByteLength(spec: tf.io.WeightsManifestEntry): number {
  const stored = spec.quantization?.dtype ?? spec.dtype;
  if (!BYTES[stored]) throw new Error(`weight "${spec.name}" is stored as ${stored}, whose size is unknown here`);
  return spec.shape.reduce((a, b) => a * b, 1) * BYTES[stored];
}

export class KerasWeights {
  private constructor(private readonly byName: Map<string, WeightTensor>) {}

  static decode(specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer): KerasWeights {
    const byName = new Map<string, WeightTensor>();
    let offset = 0;
    for (const spec of specs) {
      const stored = spec.quantization?.dtype ?? spec.dtype;
      if (!BYTES[stored] || spec.dtype !== 'float32') {
        throw new InputError(
          `Cannot convert weight "${spec.name}" to ONNX: ${spec.dtype} weights stored as ${stored} are not supported (float32, or float32 quantised to uint8/uint16).`,
          spec.name,
        );
      }
      const length = storedByteLength(spec);
      if (offset + length > data.byteLength)
        throw new InputError(
          `Weight "${spec.name}" runs past the end of the weight data (${data.byteLength} bytes): the weight files are incomplete.`,
          spec.name,
        );
      const slice = data.slice(offset, offset + length);
      offset += length;
      let values: Float32Array;
      if (stored === 'float32') values = new Float32Array(slice);
      else {
        const { scale = 1, min = 0 } = spec.quantization!;
        const quantised = stored === 'uint8' ? new Uint8Array(slice) : new Uint16Array(slice);
        values = Float32Array.from(quantised, (v) => v * scale + min);
      }
      byName.set(spec.name, { shape: spec.shape, values });
    }
    return new KerasWeights(byName);
  }

  /** These weights with some replaced, by Keras name `layer/kind` (e.g. a fine-tuned top block's). */
  withReplacements(replacements: Map<string, WeightTensor>): KerasWeights {
    const byName = new Map(this.byName);
    for (const [name, tensor] of replacements) {
      const old = byName.get(name);
      if (!old) throw new Error(`cannot replace weight ${name}: the model has no such weight`);
      if (old.shape.join('×') !== tensor.shape.join('×'))
        throw new Error(`cannot replace weight ${name}: shape ${tensor.shape.join('×')} instead of ${old.shape.join('×')}`);
      byName.set(name, tensor);
    }
    return new KerasWeights(byName);
  }

  /** Weight `kind` (kernel, bias, gamma, …) of `layer`; Keras names them `layer/kind`. */
  get(layer: string, kind: string): WeightTensor {
    const weight = this.find(layer, kind);
    if (!weight) throw new InputError(`Cannot convert layer "${layer}" to ONNX: its weight "${layer}/${kind}" is missing from the weights manifest.`, layer);
    return weight;
  }

  find(layer: string, kind: string): WeightTensor | undefined {
    return this.byName.get(`${layer}/${kind}`) ?? this.byName.get(`${layer}/${kind}:0`);
  }

  /** Number of weights stored for `layer` (all kinds), for parameter counts. */
  countFor(layer: string): number {
    let count = 0;
    for (const [name, tensor] of this.byName) if (name.startsWith(`${layer}/`)) count += tensor.values.length;
    return count;
  }
}
