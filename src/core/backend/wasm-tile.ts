/**
 * A faster `Tile` for the WASM backend.
 *
 * Why: tfjs-core's batch-norm gradient tiles the per-channel variance up to the full
 * activation shape on every training step, and the stock WASM Tile walks the output one
 * element at a time with index arithmetic. It was the single most expensive kernel of a
 * small-CNN training step (~25%). Tiling is copying: this version copies the largest
 * contiguous runs it can with TypedArray.set/copyWithin (memcpy speed) and delegates
 * dtypes it does not handle to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

let stockTile: tf.KernelConfig | undefined;

/** Tiles `source` (shape `shape`) by `reps` into `out`, in row-major order. */
export function tileInto(
  source: ArrayLike<number> & { subarray?: unknown },
  shape: number[],
  reps: number[],
  out: Float32Array | Int32Array | Uint8Array,
): void {
  const rank = shape.length;
  if (rank === 0) {
    out.fill(source[0]);
    return;
  }
  const outShape = shape.map((d, i) => d * reps[i]);
  // Row-major strides of the output.
  const outStrides = new Array<number>(rank);
  outStrides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) outStrides[i] = outStrides[i + 1] * outShape[i + 1];
  const src = source as Float32Array;

  // Recursively lay out the block for dimension `dim` starting at output offset `outBase`,
  // reading the source block at `srcBase`; then replicate it reps[dim] times by copying.
  const srcStrides = new Array<number>(rank);
  srcStrides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) srcStrides[i] = srcStrides[i + 1] * shape[i + 1];
  const fill = (dim: number, srcBase: number, outBase: number): void => {
    const blockLength = shape[dim] * outStrides[dim];
    if (dim === rank - 1) {
      out.set(src.subarray(srcBase, srcBase + shape[dim]), outBase);
    } else {
      for (let i = 0; i < shape[dim]; i++) fill(dim + 1, srcBase + i * srcStrides[dim], outBase + i * outStrides[dim]);
    }
    // Doubling copies: log2(reps) memcpy calls instead of reps.
    let filled = 1;
    const copies = reps[dim];
    while (filled < copies) {
      const n = Math.min(filled, copies - filled);
      out.copyWithin(outBase + filled * blockLength, outBase, outBase + n * blockLength);
      filled += n;
    }
  };
  fill(0, 0, 0);
}

const tile: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  const reps = (attrs as unknown as { reps: number[] }).reps;
  const wasm = backend as WasmBackend;
  if (x.dtype === 'string' || x.dtype === 'complex64' || !stockTile) {
    return stockTile!.kernelFunc({ inputs, attrs, backend });
  }
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = wasm.makeOutput(outShape, x.dtype);
  if (outShape.every((d) => d > 0)) tileInto(wasm.typedArrayFromHeap(x), x.shape, reps, wasm.typedArrayFromHeap(out));
  return out;
};

/** Replaces the WASM backend's Tile; idempotent. */
export function registerWasmTile(): void {
  const current = tf.getKernel(tf.Tile, 'wasm');
  if (current?.kernelFunc === tile) return;
  stockTile = current;
  if (current) tf.unregisterKernel(tf.Tile, 'wasm');
  tf.registerKernel({ kernelName: tf.Tile, backendName: 'wasm', kernelFunc: tile, setupFunc: current?.setupFunc });
}
