// src/core/embeddings/embed-worker.ts
import { parentPort, workerData } from "node:worker_threads";

// src/core/backend/select.ts
import * as tf3 from "@tensorflow/tfjs";
import { existsSync, readFileSync } from "node:fs";

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
    strideWidth
  } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const channelsLast = info.dataFormat === "channelsLast";
  const [xB, xR, xC, xCh] = channelsLast ? [inHeight * inWidth * inChannels, inWidth * inChannels, inChannels, 1] : [inChannels * inHeight * inWidth, inWidth, 1, inHeight * inWidth];
  const [yB, yR, yC, yCh] = channelsLast ? [outHeight * outWidth * outChannels, outWidth * outChannels, outChannels, 1] : [outChannels * outHeight * outWidth, outWidth, 1, outHeight * outWidth];
  const k = filterHeight * filterWidth * inChannels;
  const pixelsPerImage = outHeight * outWidth;
  const imagesPerChunk = Math.max(1, Math.min(
    batchSize,
    Math.floor(im2colBudgetFloats / Math.max(1, k * pixelsPerImage))
  ));
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
    strideWidth
  } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const k = filterHeight * filterWidth * inChannels;
  const pixelsPerImage = outHeight * outWidth;
  const imagesPerChunk = Math.max(1, Math.min(
    batchSize,
    Math.floor(im2colBudgetFloats / Math.max(1, k * pixelsPerImage))
  ));
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

// src/core/backend/wasm-tile.ts
import * as tf2 from "@tensorflow/tfjs";
var stockTile;
function tileInto(source, shape, reps, out) {
  const rank = shape.length;
  if (rank === 0) {
    out.fill(source[0]);
    return;
  }
  const outShape = shape.map((d, i) => d * reps[i]);
  const outStrides = new Array(rank);
  outStrides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) outStrides[i] = outStrides[i + 1] * outShape[i + 1];
  const src = source;
  const srcStrides = new Array(rank);
  srcStrides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) srcStrides[i] = srcStrides[i + 1] * shape[i + 1];
  const fill = (dim, srcBase, outBase) => {
    const blockLength = shape[dim] * outStrides[dim];
    if (dim === rank - 1) {
      out.set(src.subarray(srcBase, srcBase + shape[dim]), outBase);
    } else {
      for (let i = 0; i < shape[dim]; i++) fill(dim + 1, srcBase + i * srcStrides[dim], outBase + i * outStrides[dim]);
    }
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
var tile = ({ inputs, attrs, backend }) => {
  const { x } = inputs;
  const reps = attrs.reps;
  const wasm = backend;
  if (x.dtype === "string" || x.dtype === "complex64" || !stockTile) {
    return stockTile.kernelFunc({ inputs, attrs, backend });
  }
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = wasm.makeOutput(outShape, x.dtype);
  if (outShape.every((d) => d > 0)) tileInto(wasm.typedArrayFromHeap(x), x.shape, reps, wasm.typedArrayFromHeap(out));
  return out;
};
function registerWasmTile() {
  const current = tf2.getKernel(tf2.Tile, "wasm");
  if (current?.kernelFunc === tile) return;
  stockTile = current;
  if (current) tf2.unregisterKernel(tf2.Tile, "wasm");
  tf2.registerKernel({ kernelName: tf2.Tile, backendName: "wasm", kernelFunc: tile, setupFunc: current?.setupFunc });
}

// src/core/backend/select.ts
var importOptional = (name) => import(name);
function gpuProblem() {
  if (!existsSync("/proc/driver/nvidia/version")) return "no NVIDIA driver found (/proc/driver/nvidia/version is missing)";
  try {
    const version = JSON.parse(readFileSync("/usr/local/cuda/version.json", "utf8"))?.cuda?.version;
    if (version && !version.startsWith("11.")) return `CUDA ${version} found, but tfjs-node-gpu 4.x needs CUDA 11.x (11.2) with cuDNN 8.1; it would run on the CPU`;
  } catch {
  }
  return null;
}
var DEFAULT_BACKENDS = [
  {
    backend: "tensorflow",
    package: "@tensorflow/tfjs-node-gpu",
    async load() {
      const problem = gpuProblem();
      if (problem) throw new Error(problem);
      await importOptional("@tensorflow/tfjs-node-gpu");
      return { gpu: true };
    }
  },
  {
    backend: "tensorflow",
    package: "@tensorflow/tfjs-node",
    async load() {
      await importOptional("@tensorflow/tfjs-node");
      return { gpu: false };
    }
  },
  {
    backend: "wasm",
    package: "@tensorflow/tfjs-backend-wasm",
    async load() {
      await importOptional("@tensorflow/tfjs-backend-wasm");
      registerWasmGradientKernels();
      registerWasmTile();
      return { gpu: false };
    }
  },
  {
    backend: "cpu",
    package: "@tensorflow/tfjs-backend-cpu",
    async load() {
      return { gpu: false };
    }
  }
];
function shortReason(error) {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(message)) return "not installed (optional dependency)";
  return message.split("\n")[0].slice(0, 200);
}
var PROCESS_EVENTS = ["uncaughtException", "unhandledRejection"];
function listenersOf(event) {
  return process.listeners(event);
}
function processListeners() {
  return new Map(PROCESS_EVENTS.map((event) => [event, listenersOf(event)]));
}
function removeListenersAddedSince(before) {
  for (const event of PROCESS_EVENTS) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event).includes(listener)) process.removeListener(event, listener);
    }
  }
}
async function selectBackend(candidates = DEFAULT_BACKENDS, only) {
  const skipped = [];
  for (const candidate of candidates) {
    if (only && candidate.backend !== only) continue;
    const listenersBefore = processListeners();
    try {
      const { gpu } = await candidate.load();
      if (!await tf3.setBackend(candidate.backend)) throw new Error(`the ${candidate.backend} backend did not initialise`);
      await tf3.ready();
      return { name: candidate.backend, package: candidate.package, gpu, threads: 1, skipped };
    } catch (error) {
      skipped.push({ backend: candidate.package, reason: shortReason(error) });
    } finally {
      removeListenersAddedSince(listenersBefore);
    }
  }
  throw new Error(`No compute backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join("; ")}`);
}

// src/core/backbones/zoo.ts
import * as tf5 from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import { dirname as dirname2, join as join2 } from "node:path";

// src/core/errors.ts
var InputError = class extends Error {
  constructor(message, subject) {
    super(message);
    this.subject = subject;
  }
  subject;
  name = "InputError";
  exitCode = 2;
};

// src/core/backbones/hog.ts
import * as tf4 from "@tensorflow/tfjs";
var HOG = "hog";
var HOG_CELL = 4;
var HOG_DIRECTIONS = 8;
var EDGE_SCALE = 0.05;
var LUMA = [0.299, 0.587, 0.114];
function hogKernel() {
  const kernel = new Float32Array(3 * 3 * 3 * HOG_DIRECTIONS);
  const at = (row, col, channel, direction) => ((row * 3 + col) * 3 + channel) * HOG_DIRECTIONS + direction;
  for (let d = 0; d < HOG_DIRECTIONS; d++) {
    const angle = 2 * Math.PI * d / HOG_DIRECTIONS;
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    for (let c = 0; c < 3; c++) {
      const w = LUMA[c] / EDGE_SCALE;
      kernel[at(1, 2, c, d)] += cos * w;
      kernel[at(1, 0, c, d)] -= cos * w;
      kernel[at(2, 1, c, d)] += sin * w;
      kernel[at(0, 1, c, d)] -= sin * w;
    }
  }
  return kernel;
}
function buildHogModel(size) {
  const input2 = tf4.input({ shape: [size, size, 3], name: "input" });
  const conv = tf4.layers.conv2d({ filters: HOG_DIRECTIONS, kernelSize: 3, padding: "same", useBias: false, trainable: false, name: "hog_gradients" });
  let edges = conv.apply(input2);
  edges = tf4.layers.reLU({ name: "hog_relu" }).apply(edges);
  const cells = tf4.layers.averagePooling2d({ poolSize: HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_cells" }).apply(edges);
  const padded = tf4.layers.zeroPadding2d({ padding: HOG_CELL / 2, name: "hog_block_pad" }).apply(edges);
  const blocks = tf4.layers.averagePooling2d({ poolSize: 2 * HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_blocks" }).apply(padded);
  let x = tf4.layers.concatenate({ name: "hog_scales" }).apply([cells, blocks]);
  x = tf4.layers.activation({ activation: "softsign", name: "hog_compress" }).apply(x);
  x = tf4.layers.flatten({ name: "hog_features" }).apply(x);
  const model3 = tf4.model({ inputs: input2, outputs: x, name: "hog" });
  tf4.tidy(() => conv.setWeights([tf4.tensor4d(hogKernel(), [3, 3, 3, HOG_DIRECTIONS])]));
  return model3;
}
function hogCacheKey(size) {
  return `hog-v2|${size}|cell${HOG_CELL}|dir${HOG_DIRECTIONS}|scale${EDGE_SCALE}|fill`;
}
function hogDisplayName(size) {
  const cells = Math.floor(size / HOG_CELL);
  return `HOG (${cells}\xD7${cells} cells) @${size}`;
}

// src/core/backbones/keras-topology.ts
function inboundNames(layer) {
  const names = [];
  for (const node of layer.inbound_nodes) {
    for (const ref of node) names.push(ref[0]);
  }
  return names;
}
function cutTopology(topology, cutLayer, inputSize) {
  const copy = structuredClone(topology);
  const config = copy.model_config.config;
  const byName = new Map(config.layers.map((l) => [l.name, l]));
  if (!byName.has(cutLayer)) throw new Error(`layer "${cutLayer}" is not in the model`);
  const keep = /* @__PURE__ */ new Set();
  const stack = [cutLayer];
  while (stack.length) {
    const name = stack.pop();
    if (keep.has(name)) continue;
    keep.add(name);
    stack.push(...inboundNames(byName.get(name)));
  }
  config.layers = config.layers.filter((l) => keep.has(l.name));
  config.output_layers = [[cutLayer, 0, 0]];
  const inputName = config.input_layers[0][0];
  const input2 = byName.get(inputName);
  input2.config.batch_input_shape = [null, inputSize, inputSize, 3];
  return copy;
}
function appendLayer(topology, className, name, layerConfig) {
  const config = topology.model_config.config;
  const [from] = config.output_layers[0];
  config.layers.push({
    name,
    class_name: className,
    config: { name, trainable: true, ...layerConfig },
    inbound_nodes: [[[from, 0, 0, {}]]]
  });
  config.output_layers = [[name, 0, 0]];
  return topology;
}
function topologyOf(model3) {
  const json = model3.toJSON(null, false);
  return { keras_version: json.keras_version, backend: json.backend, model_config: { class_name: json.class_name, config: json.config } };
}

// src/core/backbones/source.ts
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

// src/core/atomic.ts
function explainWriteError(error, path) {
  const code = error?.code;
  if (code === "ENOSPC") return new InputError(`The disk is full: could not write ${path}. Free some space (or point --cache-dir/--out elsewhere) and run again; finished work in the cache is kept.`, path);
  if (code === "EACCES" || code === "EPERM") return new InputError(`Permission denied writing ${path}. Choose a folder you can write to with --out or --cache-dir.`, path);
  if (code === "EROFS") return new InputError(`${path} is on a read-only file system. Choose a writable folder with --out or --cache-dir.`, path);
  return error;
}

// src/core/backbones/source.ts
var OFFLINE_HINT = "Without network access, use a built-in backbone (mobilenet_v2, inception_v3, hog, small_cnn) or a local model.json path.";
async function loadModelSource(source, cacheDir) {
  const isUrl = /^https?:\/\//i.test(source);
  const dir = isUrl ? await downloadModel(source, cacheDir) : dirname(resolve(source));
  const jsonPath = isUrl ? join(dir, "model.json") : resolve(source);
  let json;
  try {
    json = JSON.parse(await readFile(jsonPath, "utf8"));
  } catch (error) {
    const code = error.code;
    throw new InputError(
      code === "ENOENT" ? `Backbone model "${source}" was not found. Check the path to its model.json.` : `Backbone model "${source}" is not valid JSON (${error.message}).`,
      source
    );
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new InputError(`Backbone model "${source}" is not a TF.js model.json (it needs modelTopology and weightsManifest).`, source);
  }
  const hash = createHash("sha256").update(JSON.stringify(json));
  const buffers = [];
  for (const path of json.weightsManifest.flatMap((g) => g.paths)) {
    const file = join(dir, path);
    const data = await readFile(file).catch(() => {
      throw new InputError(`Backbone model "${source}" lists weight file "${path}", which is missing next to model.json.`, source);
    });
    hash.update(data);
    buffers.push(data);
  }
  const weights = Buffer.concat(buffers);
  const kind = json.format === "graph-model" ? "graph" : "layers";
  return {
    kind,
    dir,
    contentHash: hash.digest("hex").slice(0, 24),
    displayName: isUrl ? new URL(source).pathname.split("/").filter(Boolean).slice(-2, -1)[0] ?? "model" : basename(dirname(resolve(source))),
    artifacts: {
      modelTopology: json.modelTopology,
      format: json.format,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      signature: json.signature,
      userDefinedMetadata: json.userDefinedMetadata,
      modelInitializer: json.modelInitializer
    }
  };
}
async function fetchBytes(url, what, modelUrl) {
  let response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(12e4) });
  } catch (error) {
    const cause = error.cause?.code ?? error.message;
    throw new InputError(`Could not download backbone ${what} from ${url} (${cause}). ${OFFLINE_HINT}`, modelUrl);
  }
  if (!response.ok) throw new InputError(`Could not download backbone ${what} from ${url}: HTTP ${response.status}. ${OFFLINE_HINT}`, modelUrl);
  return Buffer.from(await response.arrayBuffer());
}
async function downloadModel(url, cacheDir, attempt = 0) {
  const dir = join(cacheDir, "backbones", createHash("sha256").update(url).digest("hex").slice(0, 20));
  if (await stat(join(dir, ".complete")).catch(() => null)) return dir;
  const temp = `${dir}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  const modelJson = await fetchBytes(url, "model.json", url);
  let json;
  try {
    json = JSON.parse(modelJson.toString("utf8"));
  } catch {
    throw new InputError(`The backbone URL ${url} did not return a model.json (not JSON). Point to the model.json of a TF.js model.`, url);
  }
  await writeFile(join(temp, "model.json"), modelJson);
  for (const path of (json.weightsManifest ?? []).flatMap((g) => g.paths)) {
    if (path.includes("..") || path.startsWith("/")) throw new InputError(`Backbone model ${url} names an unsafe weight path "${path}"; refused.`, url);
    const data = await fetchBytes(new URL(path, url).href, `weights "${path}"`, url);
    await mkdir(dirname(join(temp, path)), { recursive: true });
    await writeFile(join(temp, path), data);
  }
  await writeFile(join(temp, ".source"), url);
  await writeFile(join(temp, ".complete"), "");
  await mkdir(dirname(dir), { recursive: true });
  try {
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (await stat(join(dir, ".complete")).catch(() => null)) return dir;
    if (attempt > 0) throw explainWriteError(error, dir);
    await rm(dir, { recursive: true, force: true });
    return downloadModel(url, cacheDir, attempt + 1);
  }
  return dir;
}

// src/core/backbones/zoo.ts
var BUILTIN_BACKBONES = {
  mobilenet_v2: { displayName: "MobileNetV2", defaultSize: 224, minSize: 32, cutLayer: "out_relu", fineTuneCut: "block_15_add", nsfwjsModel: "mobilenet_v2" },
  inception_v3: { displayName: "InceptionV3", defaultSize: 299, minSize: 75, cutLayer: "mixed10", fineTuneCut: "mixed9", nsfwjsModel: "inception_v3" }
};
var SMALL_CNN = "small_cnn";
var BACKBONE_NAMES = [...Object.keys(BUILTIN_BACKBONES), HOG, SMALL_CNN];
var require2 = createRequire(import.meta.url);
function nsfwjsModelFiles(model3) {
  const distDir = join2(dirname2(require2.resolve("nsfwjs")), "..", "models", model3);
  const topology = require2(join2(distDir, "model.min.js"));
  const buffers = [];
  for (const path of topology.weightsManifest.flatMap((g) => g.paths)) {
    buffers.push(Buffer.from(require2(join2(distDir, `${path}.min.js`)), "base64"));
  }
  const all = Buffer.concat(buffers);
  return { topology, weights: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
}
async function layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey) {
  const model3 = await tf5.loadLayersModel(tf5.io.fromMemory({ modelTopology: topology, weightSpecs, weightData }), { strict: false });
  const outputRank = model3.outputs[0].shape.length;
  const functional = Boolean(topology.model_config?.config?.output_layers);
  if (outputRank === 4 && functional) {
    model3.dispose();
    appendLayer(topology, "GlobalAveragePooling2D", "backbone_pool", { data_format: "channels_last" });
    return layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey);
  }
  if (outputRank === 4) {
    const pooled = tf5.model({ inputs: model3.inputs, outputs: tf5.layers.globalAveragePooling2d({}).apply(model3.outputs[0]) });
    return fromLayersModel(spec, displayName, pooled, null, cacheKey);
  }
  if (outputRank !== 2) throw new InputError(`Backbone "${spec.id}" outputs rank-${outputRank} tensors; a feature vector (rank 2) or feature maps (rank 4) are needed.`, spec.id);
  return fromLayersModel(spec, displayName, model3, functional ? topology : null, cacheKey);
}
function fromLayersModel(spec, displayName, model3, topology, cacheKey) {
  const [low, high] = spec.range;
  const featureDim = model3.outputs[0].shape[1];
  return {
    spec,
    displayName,
    featureDim,
    params: model3.countParams(),
    cacheKey,
    layersModel: model3,
    topology,
    embed(pixels, n) {
      return tf5.tidy(() => {
        const x = tf5.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
        return model3.predict(x).dataSync();
      });
    },
    dispose: () => model3.dispose()
  };
}
function fromGraphModel(spec, displayName, model3, cacheKey) {
  const [low, high] = spec.range;
  const probe = tf5.tidy(() => model3.predict(tf5.zeros([1, spec.inputSize, spec.inputSize, 3])));
  const shape = probe.shape;
  probe.dispose();
  const pool = shape.length === 4;
  return {
    spec,
    displayName,
    featureDim: pool ? shape[3] : shape[1],
    params: Object.values(model3.weights).reduce((sum, list) => sum + list.reduce((s, t) => s + t.size, 0), 0),
    cacheKey,
    layersModel: null,
    topology: null,
    embed(pixels, n) {
      return tf5.tidy(() => {
        const x = tf5.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
        let y = model3.predict(x);
        if (pool) y = y.mean([1, 2]);
        return y.dataSync();
      });
    },
    dispose: () => model3.dispose()
  };
}
async function loadBackbone(spec, context) {
  if (spec.source === HOG) {
    const model3 = buildHogModel(spec.inputSize);
    return fromLayersModel(spec, hogDisplayName(spec.inputSize), model3, topologyOf(model3), hogCacheKey(spec.inputSize));
  }
  if (spec.builtin) {
    const builtin = BUILTIN_BACKBONES[spec.source];
    if (!builtin) throw new Error(`${spec.id} is not a pretrained backbone`);
    const files = nsfwjsModelFiles(builtin.nsfwjsModel);
    const topology2 = cutTopology(files.topology.modelTopology, builtin.cutLayer, spec.inputSize);
    const specs = files.topology.weightsManifest.flatMap((g) => g.weights);
    return layersExtractor(spec, `${builtin.displayName} @${spec.inputSize}`, topology2, specs, files.weights, `nsfwjs-${builtin.nsfwjsModel}-v1|${spec.inputSize}|${spec.range.join(":")}|fill`);
  }
  const source = await loadModelSource(spec.source, context.cacheDir);
  const cacheKey = `${source.contentHash}|${spec.inputSize}|${spec.range.join(":")}|fill`;
  const displayName = `${source.displayName} @${spec.inputSize}`;
  if (source.kind === "graph") {
    const model3 = await tf5.loadGraphModel(tf5.io.fromMemory(source.artifacts));
    return { ...fromGraphModel(spec, displayName, model3, cacheKey), sourceDir: source.dir };
  }
  const topology = structuredClone(source.artifacts.modelTopology);
  const loose = topology;
  const inputLayer = (topology.model_config?.config?.layers ?? loose.config?.layers)?.[0];
  if (inputLayer?.config && Array.isArray(inputLayer.config.batch_input_shape)) {
    inputLayer.config.batch_input_shape = [null, spec.inputSize, spec.inputSize, 3];
  }
  const extractor2 = await layersExtractor(spec, displayName, topology, source.artifacts.weightSpecs ?? [], source.artifacts.weightData, cacheKey);
  return { ...extractor2, sourceDir: source.dir };
}

// src/core/dataset/decode.ts
import sharp from "sharp";
var RESIZE_MODE = "fill";
var DecodeError = class extends Error {
  name = "DecodeError";
};
sharp.concurrency(0);
var SUPPORTED_FORMATS = /* @__PURE__ */ new Set(["jpeg", "png", "webp", "gif", "heif", "tiff"]);
var SUPPORTED_LIST = "JPEG, PNG, WebP, GIF, AVIF, TIFF";
async function decodeToRgb(input2, size, maxPixels) {
  const quirky = typeof input2 === "string" && tolerated.has(input2);
  try {
    return await gate.shared(() => decode(input2, size, maxPixels, quirky ? "error" : "warning"));
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    return gate.alone(() => diagnose(input2, size, maxPixels));
  }
}
async function decode(input2, size, maxPixels, failOn) {
  const header = await sharp(input2, { limitInputPixels: false, pages: 1 }).metadata();
  if (!SUPPORTED_FORMATS.has(header.format ?? "")) {
    throw new DecodeError(`the contents are ${String(header.format ?? "unknown").toUpperCase()}, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  }
  const { width = 0, height = 0 } = header;
  if (width * height > maxPixels) {
    throw new DecodeError(
      `image is larger than ${maxPixels.toLocaleString("en")} pixels (it declares ${width}\xD7${height} = ${(width * height).toLocaleString("en")}; possible decompression bomb); downscale it, or raise the pixel cap (max-pixels) if it is legitimate`
    );
  }
  const { data, info } = await decodePixels(input2, size, maxPixels, failOn);
  return toRgb(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels);
}
async function diagnose(input2, size, maxPixels) {
  try {
    return await decode(input2, size, maxPixels, "warning");
  } catch (strict) {
    if (strict instanceof DecodeError) throw strict;
    if (DAMAGE_WARNINGS.test(messageOf(strict))) throw new DecodeError(explainDecodeFailure(strict, maxPixels));
    try {
      const pixels = await decode(input2, size, maxPixels, "error");
      if (typeof input2 === "string") tolerated.add(input2);
      return pixels;
    } catch (error) {
      throw error instanceof DecodeError ? error : new DecodeError(explainDecodeFailure(error, maxPixels));
    }
  }
}
var tolerated = /* @__PURE__ */ new Set();
var DecodeGate = class {
  active = 0;
  closed = null;
  onIdle = [];
  async shared(work) {
    while (this.closed) await this.closed;
    this.active++;
    try {
      return await work();
    } finally {
      if (--this.active === 0) for (const wake of this.onIdle.splice(0)) wake();
    }
  }
  async alone(work) {
    while (this.closed) await this.closed;
    let open;
    this.closed = new Promise((resolve2) => open = resolve2);
    try {
      if (this.active > 0) await new Promise((resolve2) => this.onIdle.push(resolve2));
      return await work();
    } finally {
      this.closed = null;
      open();
    }
  }
};
var gate = new DecodeGate();
var DAMAGE_WARNINGS = /corrupt jpeg data: (bad huffman code|bad arithmetic code|premature end of data segment|found marker)|premature end of jpeg|inconsistent progression/i;
function decodePixels(input2, size, maxPixels, failOn) {
  return sharp(input2, { limitInputPixels: maxPixels, failOn, animated: false, pages: 1 }).rotate().flatten({ background: "#ffffff" }).toColourspace("srgb").resize(size, size, { fit: RESIZE_MODE, kernel: "lanczos3" }).raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
}
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
function toRgb(data, channels) {
  if (channels === 3) return data;
  const pixels = data.length / channels;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const grey = channels < 3;
    rgb[i * 3] = data[i * channels];
    rgb[i * 3 + 1] = data[i * channels + (grey ? 0 : 1)];
    rgb[i * 3 + 2] = data[i * channels + (grey ? 0 : 2)];
  }
  return rgb;
}
function explainDecodeFailure(error, maxPixels) {
  const message = messageOf(error);
  if (/pixel limit/i.test(message)) {
    return `image is larger than ${maxPixels.toLocaleString("en")} pixels (possible decompression bomb); downscale it, or raise the pixel cap (max-pixels) if it is legitimate`;
  }
  if (/unsupported image format/i.test(message)) return `not a readable image: the contents are not a supported format (${SUPPORTED_LIST})`;
  if (/premature end|truncated|corrupt|bad|invalid|incomplete|unexpected end|read error/i.test(message)) {
    return `damaged image (${message.split("\n")[0].trim()}); re-export or remove it`;
  }
  return `could not be decoded (${message.split("\n")[0].trim()}); re-export or remove it`;
}

// src/core/embeddings/parallel.ts
import * as tf6 from "@tensorflow/tfjs";

// src/core/embeddings/extract.ts
async function decodeBatch(images, size, maxPixels) {
  const pixels = await Promise.all(images.map((image) => decodeToRgb(image.path, size, maxPixels)));
  const batch = new Uint8Array(images.length * size * size * 3);
  pixels.forEach((p, i) => batch.set(p, i * p.length));
  return batch;
}

// src/core/embeddings/embed-worker.ts
var port = parentPort;
var init = workerData;
function reply(message, transfer = []) {
  port.postMessage(message, transfer);
}
function describe(error) {
  return error instanceof Error ? { message: error.message, name: error.name } : { message: String(error), name: "Error" };
}
async function start() {
  try {
    const backend = await selectBackend(void 0, init.backend);
    const extractor2 = await loadBackbone(init.spec, { cacheDir: init.cacheDir });
    reply({ type: "ready", backend: backend.name, cacheKey: extractor2.cacheKey, featureDim: extractor2.featureDim });
    return extractor2;
  } catch (error) {
    reply({ type: "error", stage: "load", ...describe(error) });
    return null;
  }
}
var extractor = await start();
if (extractor) {
  let queue = Promise.resolve();
  port.on("message", (job) => {
    const pixels = job.pixels ? Promise.resolve(job.pixels) : decodeBatch(job.paths.map((path) => ({ path })), init.spec.inputSize, init.maxPixels);
    pixels.catch(() => {
    });
    queue = queue.then(async () => {
      try {
        const flat = extractor.embed(await pixels, job.count);
        const own = flat.byteOffset === 0 && flat.byteLength === flat.buffer.byteLength ? flat : flat.slice();
        reply({ type: "result", index: job.index, embeddings: own }, [own.buffer]);
      } catch (error) {
        reply({ type: "error", stage: "embed", index: job.index, ...describe(error) });
      }
    });
  });
}
