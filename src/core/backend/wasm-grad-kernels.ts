/**
 * Gradient kernels the tfjs WASM backend (4.22) does not ship.
 *
 * Why this file exists: without `Conv2DBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropFilter` and `DepthwiseConv2dNativeBackpropInput`
 * any conv training on the 'wasm' backend throws "Kernel ... not registered",
 * and the only way out is the cpu backend, 30–60× slower. These kernels read
 * and write the WASM heap directly:
 * - the filter gradient is an im2col (written transposed, [K, P]) multiplied by
 *   dy ([P, outChannels]) with the backend's own BatchMatMul, which routes an
 *   untransposed, batch-1 product to XNNPACK's SIMD GEMM;
 * - the depthwise gradients are tight loops over Float32Array heap views.
 * The stock Conv2DBackpropInput is present but a scalar loop that took ~45% of
 * a VGG training step, so it is replaced (NHWC) by dy·Wᵀ on XNNPACK + col2im.
 * Semantics (attrs, padding, dimRoundingMode) follow tfjs-backend-cpu; unlike
 * the cpu kernels, dilations > 1 are honoured (tfjs's own conv gradients
 * assert dilation 1, so this only matters for direct kernel calls).
 */
import * as tf from '@tensorflow/tfjs';

/** The slice of tfjs-backend-wasm's BackendWasm these kernels rely on. */
interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Tuning for the kernels; fields documented with their defaults. */
export interface WasmGradientKernelOptions {
  /**
   * Largest im2col buffer (in float32 elements) the filter gradient allocates
   * on the WASM heap at once; bigger batches are processed in chunks of images
   * and summed. Default 8_388_608 (32 MB).
   */
  im2colBudgetFloats?: number;
}

const DEFAULT_IM2COL_BUDGET_FLOATS = 8 * 1024 * 1024;
let im2colBudgetFloats = DEFAULT_IM2COL_BUDGET_FLOATS;

function heapF32(backend: WasmBackend, t: tf.TensorInfo): Float32Array {
  if (t.dtype !== 'float32') {
    throw new Error(`wasm gradient kernels: expected float32, got ${t.dtype}`);
  }
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** Output columns [lo, hi) whose input column `o*stride + k*dil - pad` is in [0, size). */
function validRange(size: number, outSize: number, stride: number, offset: number): [number, number] {
  // offset = k*dil - pad; need 0 <= o*stride + offset <= size - 1
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(outSize, Math.floor((size - 1 - offset) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const channelsLast = info.dataFormat === 'channelsLast';
  // Element strides of x and dy in (batch, row, col, channel) order, whatever the layout.
  const [xB, xR, xC, xCh] = channelsLast
    ? [inHeight * inWidth * inChannels, inWidth * inChannels, inChannels, 1]
    : [inChannels * inHeight * inWidth, inWidth, 1, inHeight * inWidth];
  const [yB, yR, yC, yCh] = channelsLast
    ? [outHeight * outWidth * outChannels, outWidth * outChannels, outChannels, 1]
    : [outChannels * outHeight * outWidth, outWidth, 1, outHeight * outWidth];

  const k = filterHeight * filterWidth * inChannels;
  const pixelsPerImage = outHeight * outWidth;
  const imagesPerChunk = Math.max(1, Math.min(batchSize, Math.floor(im2colBudgetFloats / Math.max(1, k * pixelsPerImage))));
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (matMul == null) throw new Error('wasm backend has no BatchMatMul kernel');

  let result: tf.TensorInfo | null = null;
  const colRanges: Array<[number, number]> = [];
  for (let kw = 0; kw < filterWidth; ++kw) {
    colRanges.push(validRange(inWidth, outWidth, strideWidth, kw - left));
  }

  for (let b0 = 0; b0 < batchSize; b0 += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, batchSize - b0);
    const p = images * pixelsPerImage;
    // Fresh tensors each chunk: XNNPACK caches its packed weights by B's tensor id.
    const cols = backend.makeOutput([k, p], 'float32');
    const dyChunk = backend.makeOutput([p, outChannels], 'float32');
    // Views are taken after every allocation: a heap growth detaches old ones.
    const xv = heapF32(backend, x);
    const dyv = heapF32(backend, dy);
    const colsv = heapF32(backend, cols);
    const dyc = heapF32(backend, dyChunk);

    // Transposed im2col: row (kh, kw, ci), column (image, oy, ox). For each
    // tap, one pass over the pixels reads each x pixel's channels contiguously
    // and writes inChannels row streams sequentially.
    for (let kh = 0; kh < filterHeight; ++kh) {
      const [oyLo, oyHi] = validRange(inHeight, outHeight, strideHeight, kh - top);
      for (let kw = 0; kw < filterWidth; ++kw) {
        const [oxLo, oxHi] = colRanges[kw];
        const rowStart = (kh * filterWidth + kw) * inChannels * p;
        let o = 0;
        for (let b = b0; b < b0 + images; ++b) {
          for (let oy = 0; oy < outHeight; ++oy) {
            if (oy < oyLo || oy >= oyHi) {
              for (let ci = 0; ci < inChannels; ++ci) {
                colsv.fill(0, rowStart + ci * p + o, rowStart + ci * p + o + outWidth);
              }
              o += outWidth;
              continue;
            }
            const rowBase = b * xB + (oy * strideHeight + kh - top) * xR + (kw - left) * xC;
            for (let ox = 0; ox < outWidth; ++ox, ++o) {
              if (ox < oxLo || ox >= oxHi) {
                for (let ci = 0, d = rowStart + o; ci < inChannels; ++ci, d += p) colsv[d] = 0;
              } else {
                const src = rowBase + ox * strideWidth * xC;
                for (let ci = 0, d = rowStart + o; ci < inChannels; ++ci, d += p) colsv[d] = xv[src + ci * xCh];
              }
            }
          }
        }
      }
    }
    if (channelsLast) {
      dyc.set(dyv.subarray(b0 * yB, b0 * yB + p * outChannels));
    } else {
      let o = 0;
      for (let b = b0; b < b0 + images; ++b) {
        for (let oy = 0; oy < outHeight; ++oy) {
          for (let ox = 0; ox < outWidth; ++ox) {
            const src = b * yB + oy * yR + ox * yC;
            for (let co = 0; co < outChannels; ++co) dyc[o++] = dyv[src + co * yCh];
          }
        }
      }
    }

    const product = matMul.kernelFunc({
      inputs: { a: cols, b: dyChunk },
      backend,
      attrs: { transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    backend.disposeData(cols.dataId);
    backend.disposeData(dyChunk.dataId);
    if (result == null) {
      result = product;
    } else {
      const acc = heapF32(backend, result);
      const part = heapF32(backend, product);
      for (let i = 0; i < acc.length; ++i) acc[i] += part[i];
      backend.disposeData(product.dataId);
    }
  }
  if (result == null) throw new Error('Conv2DBackpropFilter: empty batch');
  // The product is [1, K, outChannels]: already the [kh, kw, ci, co] filter layout.
  return { dataId: result.dataId, shape: [...attrs.filterShape], dtype: 'float32' };
}

/** The stock wasm Conv2DBackpropInput (a scalar loop), kept for NCHW. */
let stockConv2DBackpropInput: tf.KernelConfig | undefined;

/**
 * dx = col2im(dy · Wᵀ): the product [P, K] runs on XNNPACK, then each row is
 * scattered back onto the input pixels its taps touched. About 2.5× faster
 * than the stock kernel on the VGG layers below.
 */
function conv2DBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (attrs.dataFormat === 'NCHW') {
    if (stockConv2DBackpropInput == null) throw new Error('Conv2DBackpropInput: NCHW unsupported');
    return stockConv2DBackpropInput.kernelFunc(args) as tf.TensorInfo;
  }
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const k = filterHeight * filterWidth * inChannels;
  const pixelsPerImage = outHeight * outWidth;
  const imagesPerChunk = Math.max(1, Math.min(batchSize, Math.floor(im2colBudgetFloats / Math.max(1, k * pixelsPerImage))));
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (matMul == null) throw new Error('wasm backend has no BatchMatMul kernel');

  const out = backend.makeOutput([...attrs.inputShape], 'float32');
  // Wᵀ [outChannels, K] as a fresh tensor: XNNPACK packs it once for all chunks.
  const filterT = backend.makeOutput([outChannels, k], 'float32');
  {
    const w = heapF32(backend, filter);
    const wt = heapF32(backend, filterT);
    for (let i = 0; i < k; ++i) for (let co = 0; co < outChannels; ++co) wt[co * k + i] = w[i * outChannels + co];
    heapF32(backend, out).fill(0);
  }
  const colRanges: Array<[number, number]> = [];
  for (let kw = 0; kw < filterWidth; ++kw) {
    colRanges.push(validRange(inWidth, outWidth, strideWidth, kw - left));
  }
  for (let b0 = 0; b0 < batchSize; b0 += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, batchSize - b0);
    const p = images * pixelsPerImage;
    const dyChunk = backend.makeOutput([p, outChannels], 'float32');
    const dyStart = b0 * pixelsPerImage * outChannels;
    heapF32(backend, dyChunk).set(heapF32(backend, dy).subarray(dyStart, dyStart + p * outChannels));
    const cols = matMul.kernelFunc({
      inputs: { a: dyChunk, b: filterT },
      backend,
      attrs: { transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    backend.disposeData(dyChunk.dataId);
    const colsv = heapF32(backend, cols);
    const dx = heapF32(backend, out);
    let row = 0;
    for (let b = b0; b < b0 + images; ++b) {
      for (let oy = 0; oy < outHeight; ++oy) {
        for (let ox = 0; ox < outWidth; ++ox, row += k) {
          for (let kh = 0; kh < filterHeight; ++kh) {
            const iy = oy * strideHeight + kh - top;
            if (iy < 0 || iy >= inHeight) continue;
            for (let kw = 0; kw < filterWidth; ++kw) {
              if (ox < colRanges[kw][0] || ox >= colRanges[kw][1]) continue;
              const d = ((b * inHeight + iy) * inWidth + ox * strideWidth + kw - left) * inChannels;
              const s = row + (kh * filterWidth + kw) * inChannels;
              for (let ci = 0; ci < inChannels; ++ci) dx[d + ci] += colsv[s + ci];
            }
          }
        }
      }
    }
    backend.disposeData(cols.dataId);
  }
  backend.disposeData(filterT.dataId);
  return out;
}

function depthwiseConv2dNativeBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
  } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const mult = outChannels / inChannels;
  // float64 sums: one filter tap adds up batch * outHeight * outWidth products.
  const acc = new Float64Array(filterHeight * filterWidth * outChannels);

  const out = backend.makeOutput([...attrs.filterShape], 'float32');
  const xv = heapF32(backend, x);
  const dyv = heapF32(backend, dy);
  const colRanges: Array<[number, number]> = [];
  for (let kw = 0; kw < filterWidth; ++kw) {
    colRanges.push(validRange(inWidth, outWidth, strideWidth, kw * dilationWidth - left));
  }
  for (let b = 0; b < batchSize; ++b) {
    for (let oy = 0; oy < outHeight; ++oy) {
      const dyRow = (b * outHeight + oy) * outWidth * outChannels;
      for (let kh = 0; kh < filterHeight; ++kh) {
        const iy = oy * strideHeight + kh * dilationHeight - top;
        if (iy < 0 || iy >= inHeight) continue;
        const xRow = (b * inHeight + iy) * inWidth;
        for (let kw = 0; kw < filterWidth; ++kw) {
          const [lo, hi] = colRanges[kw];
          const a0 = (kh * filterWidth + kw) * outChannels;
          for (let ox = lo; ox < hi; ++ox) {
            const xo = (xRow + ox * strideWidth + kw * dilationWidth - left) * inChannels;
            const yo = dyRow + ox * outChannels;
            if (mult === 1) {
              for (let c = 0; c < inChannels; ++c) acc[a0 + c] += xv[xo + c] * dyv[yo + c];
            } else {
              for (let c = 0, j = 0; c < inChannels; ++c) {
                const xval = xv[xo + c];
                for (let m = 0; m < mult; ++m, ++j) acc[a0 + j] += xval * dyv[yo + j];
              }
            }
          }
        }
      }
    }
  }
  heapF32(backend, out).set(acc);
  return out;
}

function depthwiseConv2dNativeBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
  } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const mult = outChannels / inChannels;

  const out = backend.makeOutput([...attrs.inputShape], 'float32');
  const dx = heapF32(backend, out);
  const dyv = heapF32(backend, dy);
  const w = heapF32(backend, filter);
  dx.fill(0); // malloc'd memory is not zeroed
  const colRanges: Array<[number, number]> = [];
  for (let kw = 0; kw < filterWidth; ++kw) {
    colRanges.push(validRange(inWidth, outWidth, strideWidth, kw * dilationWidth - left));
  }
  // Scatter each dy pixel back through the filter taps.
  for (let b = 0; b < batchSize; ++b) {
    for (let oy = 0; oy < outHeight; ++oy) {
      const dyRow = (b * outHeight + oy) * outWidth * outChannels;
      for (let kh = 0; kh < filterHeight; ++kh) {
        const iy = oy * strideHeight + kh * dilationHeight - top;
        if (iy < 0 || iy >= inHeight) continue;
        const dxRow = (b * inHeight + iy) * inWidth;
        for (let kw = 0; kw < filterWidth; ++kw) {
          const [lo, hi] = colRanges[kw];
          const w0 = (kh * filterWidth + kw) * outChannels;
          for (let ox = lo; ox < hi; ++ox) {
            const xo = (dxRow + ox * strideWidth + kw * dilationWidth - left) * inChannels;
            const yo = dyRow + ox * outChannels;
            if (mult === 1) {
              for (let c = 0; c < inChannels; ++c) dx[xo + c] += dyv[yo + c] * w[w0 + c];
            } else {
              for (let c = 0, j = 0; c < inChannels; ++c) {
                let sum = 0;
                for (let m = 0; m < mult; ++m, ++j) sum += dyv[yo + j] * w[w0 + j];
                dx[xo + c] += sum;
              }
            }
          }
        }
      }
    }
  }
  return out;
}

const KERNELS: Array<[string, tf.KernelFunc]> = [
  [tf.Conv2DBackpropFilter, conv2DBackpropFilter as unknown as tf.KernelFunc],
  [tf.DepthwiseConv2dNativeBackpropFilter, depthwiseConv2dNativeBackpropFilter as unknown as tf.KernelFunc],
  [tf.DepthwiseConv2dNativeBackpropInput, depthwiseConv2dNativeBackpropInput as unknown as tf.KernelFunc],
];
const fastConv2DBackpropInput = conv2DBackpropInput as unknown as tf.KernelFunc;

/**
 * Registers the missing gradient kernels for the 'wasm' backend, and replaces
 * its slow Conv2DBackpropInput for NHWC. Idempotent, and works before or after
 * `tf.setBackend('wasm')`. A missing-kernel slot tfjs already fills for 'wasm'
 * is left alone. Options apply to every later kernel call.
 */
export function registerWasmGradientKernels(options: WasmGradientKernelOptions = {}): void {
  im2colBudgetFloats = options.im2colBudgetFloats ?? DEFAULT_IM2COL_BUDGET_FLOATS;
  for (const [kernelName, kernelFunc] of KERNELS) {
    if (tf.getKernel(kernelName, 'wasm') != null) continue;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  const current = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  if (current?.kernelFunc !== fastConv2DBackpropInput) {
    stockConv2DBackpropInput = current;
    if (current != null) tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
    // The stock setup (its cwrap) still has to run at backend init for the NCHW path.
    tf.registerKernel({
      kernelName: tf.Conv2DBackpropInput,
      backendName: 'wasm',
      kernelFunc: fastConv2DBackpropInput,
      setupFunc: current?.setupFunc,
    });
  }
}
