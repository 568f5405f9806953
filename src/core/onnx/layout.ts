/**
 * Every layout change between Keras and ONNX, stated once.
 *
 * Keras (channels_last) keeps feature maps NHWC and kernels HWIO (depthwise: H W C M);
 * ONNX's Conv and pooling ops want NCHW maps and OIHW kernels. The converted graph takes
 * NHWC input (so one preprocessing serves TF.js and ONNX Runtime), transposes it to NCHW
 * once, runs NCHW throughout, and transposes back only for raw activations it emits.
 */
import { InputError } from '../errors.js';

/** A weight array with its shape, row-major. */
export interface WeightTensor {
  shape: number[];
  values: Float32Array;
}

/** Transpose permutations for feature maps. */
export const NHWC_TO_NCHW = [0, 3, 1, 2];
export const NCHW_TO_NHWC = [0, 2, 3, 1];

/** The ONNX axis of a channels_last Keras axis (rank 4); only the channel axis is supported. */
export function channelAxis(kerasAxis: unknown, layer: string): number {
  const axis: unknown = Array.isArray(kerasAxis) && kerasAxis.length === 1 ? (kerasAxis as unknown[])[0] : kerasAxis;
  if (axis === -1 || axis === 3) return 1;
  throw new InputError(
    `Cannot convert layer "${layer}" to ONNX: it works along axis ${JSON.stringify(kerasAxis)}; only the channel axis (-1 or 3) is supported.`,
    layer,
  );
}

/** Refuses channels_first layers: the converter's layout rules assume channels_last. */
export function requireChannelsLast(config: Record<string, unknown>, layer: string): void {
  if (config.data_format !== undefined && config.data_format !== 'channels_last') {
    throw new InputError(
      `Cannot convert layer "${layer}" to ONNX: data_format ${JSON.stringify(config.data_format)} is not supported (only channels_last).`,
      layer,
    );
  }
}

export function transpose(tensor: WeightTensor, perm: number[]): WeightTensor {
  const { shape, values } = tensor;
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) inStrides[d] = inStrides[d + 1] * shape[d + 1];
  const stridesInOutOrder = perm.map((p) => inStrides[p]);
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    for (let d = 0; d < rank; d++) source += index[d] * stridesInOutOrder[d];
    out[o] = values[source]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
  return { shape: outShape, values: out };
}

/** Conv2D kernel: HWIO → OIHW. */
export function convKernelToOnnx(kernel: WeightTensor): WeightTensor {
  return transpose(kernel, [3, 2, 0, 1]);
}

/**
 * DepthwiseConv2D kernel: H W C M → (C·M) 1 H W, for a grouped Conv with group = C. Output
 * channel c·M + m is input channel c times multiplier m, the order TensorFlow uses.
 */
export function depthwiseKernelToOnnx(kernel: WeightTensor): WeightTensor {
  const [h, w, c, m] = kernel.shape as [number, number, number, number];
  const oihw = transpose(kernel, [2, 3, 0, 1]);
  return { shape: [c * m, 1, h, w], values: oihw.values };
}

/** Per-channel constants shaped to broadcast over NCHW maps. */
export function channelVectorShape(channels: number): number[] {
  return [channels, 1, 1];
}

export type SpatialPadding = { pads: number[] } | { autoPad: 'SAME_UPPER' };

/**
 * Keras 'valid'/'same' as ONNX pads [top, left, bottom, right]. TensorFlow's 'same' puts the
 * odd pixel after (bottom/right), which is SAME_UPPER; with stride 1 that does not depend on
 * the input size, so it is written out and the graph works at any input size.
 */
export function spatialPadding(padding: unknown, kernel: number[], strides: number[], dilation: number[], layer: string): SpatialPadding {
  if (padding === 'valid') return { pads: [0, 0, 0, 0] };
  if (padding !== 'same')
    throw new InputError(`Cannot convert layer "${layer}" to ONNX: padding ${JSON.stringify(padding)} is not supported (only valid and same).`, layer);
  if (strides.some((s) => s !== 1)) return { autoPad: 'SAME_UPPER' };
  const total = kernel.map((k, i) => dilation[i] * (k - 1));
  const before = total.map((t) => Math.floor(t / 2));
  return { pads: [before[0], before[1], total[0] - before[0], total[1] - before[1]] };
}

/** ZeroPadding2D's `padding` (n, [h, w] or [[top, bottom], [left, right]]) as ONNX Pad pads for NCHW. */
export function zeroPaddingPads(padding: unknown, layer: string): number[] {
  let rows: [number, number];
  let cols: [number, number];
  if (typeof padding === 'number') rows = cols = [padding, padding];
  else if (Array.isArray(padding) && padding.every((p) => typeof p === 'number') && padding.length === 2) {
    rows = [padding[0], padding[0]];
    cols = [padding[1], padding[1]];
  } else if (Array.isArray(padding) && padding.length === 2 && padding.every((p) => Array.isArray(p) && p.length === 2)) {
    rows = padding[0] as [number, number];
    cols = padding[1] as [number, number];
  } else {
    throw new InputError(`Cannot convert layer "${layer}" to ONNX: padding ${JSON.stringify(padding)} is not understood.`, layer);
  }
  return [0, 0, rows[0], cols[0], 0, 0, rows[1], cols[1]];
}
