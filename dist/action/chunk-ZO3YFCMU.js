import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);

// src/core/backend/wasm-grad-kernels.ts
import * as tf from "@tensorflow/tfjs";
var DEFAULT_IM2COL_BUDGET_FLOATS = 8 * 1024 * 1024;
var im2colBudgetFloats = DEFAULT_IM2COL_BUDGET_FLOATS;
function heapF32(backend, t) {
  if (t.dtype !== "float32") {
    throw new Error(`wasm gradient kernels: expected float32, got ${t.dtype}`);
  }
  return backend.typedArrayFromHeap(t);
}
function validRange(size, outSize, stride, offset) {
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(outSize, Math.floor((size - 1 - offset) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}
function conv2DBackpropFilter(args) {
  const backend = args.backend;
  const { x, dy } = args.inputs;
  const attrs = args.attrs;
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const channelsLast = info.dataFormat === "channelsLast";
  const [xB, xR, xC, xCh] = channelsLast ? [inHeight * inWidth * inChannels, inWidth * inChannels, inChannels, 1] : [inChannels * inHeight * inWidth, inWidth, 1, inHeight * inWidth];
  const [yB, yR, yC, yCh] = channelsLast ? [outHeight * outWidth * outChannels, outWidth * outChannels, outChannels, 1] : [outChannels * outHeight * outWidth, outWidth, 1, outHeight * outWidth];
  const k = filterHeight * filterWidth * inChannels;
  const pixelsPerImage = outHeight * outWidth;
  const imagesPerChunk = Math.max(1, Math.min(batchSize, Math.floor(im2colBudgetFloats / Math.max(1, k * pixelsPerImage))));
  const matMul = tf.getKernel("BatchMatMul", "wasm");
  if (matMul == null) throw new Error("wasm backend has no BatchMatMul kernel");
  let result = null;
  const colRanges = [];
  for (let kw = 0; kw < filterWidth; ++kw) {
    colRanges.push(validRange(inWidth, outWidth, strideWidth, kw - left));
  }
  for (let b0 = 0; b0 < batchSize; b0 += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, batchSize - b0);
    const p = images * pixelsPerImage;
    const cols = backend.makeOutput([k, p], "float32");
    const dyChunk = backend.makeOutput([p, outChannels], "float32");
    const xv = heapF32(backend, x);
    const dyv = heapF32(backend, dy);
    const colsv = heapF32(backend, cols);
    const dyc = heapF32(backend, dyChunk);
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
      attrs: { transposeA: false, transposeB: false }
    });
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
  if (result == null) throw new Error("Conv2DBackpropFilter: empty batch");
  return { dataId: result.dataId, shape: [...attrs.filterShape], dtype: "float32" };
}
var stockConv2DBackpropInput;
function conv2DBackpropInput(args) {
  const backend = args.backend;
  const attrs = args.attrs;
  if (attrs.dataFormat === "NCHW") {
    if (stockConv2DBackpropInput == null) throw new Error("Conv2DBackpropInput: NCHW unsupported");
    return stockConv2DBackpropInput.kernelFunc(args);
  }
  const { dy, filter } = args.inputs;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast"
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const k = filterHeight * filterWidth * inChannels;
  const pixelsPerImage = outHeight * outWidth;
  const imagesPerChunk = Math.max(1, Math.min(batchSize, Math.floor(im2colBudgetFloats / Math.max(1, k * pixelsPerImage))));
  const matMul = tf.getKernel("BatchMatMul", "wasm");
  if (matMul == null) throw new Error("wasm backend has no BatchMatMul kernel");
  const out = backend.makeOutput([...attrs.inputShape], "float32");
  const filterT = backend.makeOutput([outChannels, k], "float32");
  {
    const w = heapF32(backend, filter);
    const wt = heapF32(backend, filterT);
    for (let i = 0; i < k; ++i) for (let co = 0; co < outChannels; ++co) wt[co * k + i] = w[i * outChannels + co];
    heapF32(backend, out).fill(0);
  }
  const colRanges = [];
  for (let kw = 0; kw < filterWidth; ++kw) {
    colRanges.push(validRange(inWidth, outWidth, strideWidth, kw - left));
  }
  for (let b0 = 0; b0 < batchSize; b0 += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, batchSize - b0);
    const p = images * pixelsPerImage;
    const dyChunk = backend.makeOutput([p, outChannels], "float32");
    const dyStart = b0 * pixelsPerImage * outChannels;
    heapF32(backend, dyChunk).set(heapF32(backend, dy).subarray(dyStart, dyStart + p * outChannels));
    const cols = matMul.kernelFunc({
      inputs: { a: dyChunk, b: filterT },
      backend,
      attrs: { transposeA: false, transposeB: false }
    });
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
function depthwiseConv2dNativeBackpropFilter(args) {
  const backend = args.backend;
  const { x, dy } = args.inputs;
  const attrs = args.attrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true
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
    dilationWidth
  } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const mult = outChannels / inChannels;
  const acc = new Float64Array(filterHeight * filterWidth * outChannels);
  const out = backend.makeOutput([...attrs.filterShape], "float32");
  const xv = heapF32(backend, x);
  const dyv = heapF32(backend, dy);
  const colRanges = [];
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
function depthwiseConv2dNativeBackpropInput(args) {
  const backend = args.backend;
  const { dy, filter } = args.inputs;
  const attrs = args.attrs;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true
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
    dilationWidth
  } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const mult = outChannels / inChannels;
  const out = backend.makeOutput([...attrs.inputShape], "float32");
  const dx = heapF32(backend, out);
  const dyv = heapF32(backend, dy);
  const w = heapF32(backend, filter);
  dx.fill(0);
  const colRanges = [];
  for (let kw = 0; kw < filterWidth; ++kw) {
    colRanges.push(validRange(inWidth, outWidth, strideWidth, kw * dilationWidth - left));
  }
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
var KERNELS = [
  [tf.Conv2DBackpropFilter, conv2DBackpropFilter],
  [tf.DepthwiseConv2dNativeBackpropFilter, depthwiseConv2dNativeBackpropFilter],
  [tf.DepthwiseConv2dNativeBackpropInput, depthwiseConv2dNativeBackpropInput]
];
var fastConv2DBackpropInput = conv2DBackpropInput;
function registerWasmGradientKernels(options = {}) {
  im2colBudgetFloats = options.im2colBudgetFloats ?? DEFAULT_IM2COL_BUDGET_FLOATS;
  for (const [kernelName, kernelFunc] of KERNELS) {
    if (tf.getKernel(kernelName, "wasm") != null) continue;
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc });
  }
  const current = tf.getKernel(tf.Conv2DBackpropInput, "wasm");
  if (current?.kernelFunc !== fastConv2DBackpropInput) {
    stockConv2DBackpropInput = current;
    if (current != null) tf.unregisterKernel(tf.Conv2DBackpropInput, "wasm");
    tf.registerKernel({
      kernelName: tf.Conv2DBackpropInput,
      backendName: "wasm",
      kernelFunc: fastConv2DBackpropInput,
      setupFunc: current?.setupFunc
    });
  }
}

export {
  registerWasmGradientKernels
};
