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
function validRange(size2, outSize, stride, offset) {
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(outSize, Math.floor((size2 - 1 - offset) / stride) + 1);
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
  const current2 = tf.getKernel(tf.Conv2DBackpropInput, "wasm");
  if (current2?.kernelFunc !== fastConv2DBackpropInput) {
    stockConv2DBackpropInput = current2;
    if (current2 != null) tf.unregisterKernel(tf.Conv2DBackpropInput, "wasm");
    tf.registerKernel({
      kernelName: tf.Conv2DBackpropInput,
      backendName: "wasm",
      kernelFunc: fastConv2DBackpropInput,
      setupFunc: current2?.setupFunc
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
  const current2 = tf2.getKernel(tf2.Tile, "wasm");
  if (current2?.kernelFunc === tile) return;
  stockTile = current2;
  if (current2) tf2.unregisterKernel(tf2.Tile, "wasm");
  tf2.registerKernel({ kernelName: tf2.Tile, backendName: "wasm", kernelFunc: tile, setupFunc: current2?.setupFunc });
}

// src/core/backend/select.ts
var importOptional = (name) => import(name);
function gpuProblem() {
  if (!existsSync("/proc/driver/nvidia/version")) return "no NVIDIA driver found (/proc/driver/nvidia/version is missing)";
  try {
    const version = JSON.parse(readFileSync("/usr/local/cuda/version.json", "utf8"))?.cuda?.version;
    if (version && !version.startsWith("11."))
      return `CUDA ${version} found, but tfjs-node-gpu 4.x needs CUDA 11.x (11.2) with cuDNN 8.1; it would run on the CPU`;
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
    load() {
      return Promise.resolve({ gpu: false });
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

// src/core/backbones/fine-tune-split.ts
import * as tf6 from "@tensorflow/tfjs";

// src/core/backbones/keras-topology.ts
function inboundNames(layer) {
  const names = [];
  for (const node of layer.inbound_nodes) {
    for (const ref of node) names.push(ref[0]);
  }
  return names;
}
function ancestorsOf(layers3, layer) {
  const byName = new Map(layers3.map((l) => [l.name, l]));
  if (!byName.has(layer)) throw new Error(`layer "${layer}" is not in the model`);
  const found = /* @__PURE__ */ new Set();
  const stack = [layer];
  while (stack.length) {
    const name = stack.pop();
    if (found.has(name)) continue;
    found.add(name);
    stack.push(...inboundNames(byName.get(name)));
  }
  return found;
}
function cutTopology(topology, cutLayer, inputSize) {
  const copy = structuredClone(topology);
  const config = copy.model_config.config;
  const byName = new Map(config.layers.map((l) => [l.name, l]));
  const keep = ancestorsOf(config.layers, cutLayer);
  config.layers = config.layers.filter((l) => keep.has(l.name));
  config.output_layers = [[cutLayer, 0, 0]];
  const inputName = config.input_layers[0][0];
  const input2 = byName.get(inputName);
  input2.config.batch_input_shape = [null, inputSize, inputSize, 3];
  return copy;
}
var STD_POOL_EPSILON = 1e-6;
var stdPoolName = (tap) => `tap_std_${tap}`;
function stdPoolLayers(tap) {
  const normalised = `tap_std_norm_${tap}`;
  const product = `tap_std_product_${tap}`;
  const pooled = stdPoolName(tap);
  return [
    {
      name: normalised,
      class_name: "LayerNormalization",
      config: { name: normalised, trainable: false, axis: [1, 2], epsilon: STD_POOL_EPSILON, center: false, scale: false },
      inbound_nodes: [[[tap, 0, 0, {}]]]
    },
    {
      name: product,
      class_name: "Multiply",
      config: { name: product, trainable: false },
      inbound_nodes: [
        [
          [tap, 0, 0, {}],
          [normalised, 0, 0, {}]
        ]
      ]
    },
    {
      name: pooled,
      class_name: "GlobalAveragePooling2D",
      config: { name: pooled, trainable: false, data_format: "channels_last" },
      inbound_nodes: [[[product, 0, 0, {}]]]
    }
  ];
}
var GRID_POOL_SIDE = 2;
var gridPoolName = (tap) => `tap_grid_${tap}`;
function averagePoolingLayer(name, from, side, padding) {
  return {
    name,
    class_name: "AveragePooling2D",
    config: { name, trainable: false, pool_size: [side, side], strides: [side, side], padding, data_format: "channels_last" },
    inbound_nodes: [[[from, 0, 0, {}]]]
  };
}
function gridPoolLayers(tap) {
  const averaged = `tap_grid_average_${tap}`;
  const flat = gridPoolName(tap);
  return [
    // 'same': an odd side keeps its last row and column, averaged over what is there.
    averagePoolingLayer(averaged, tap, GRID_POOL_SIDE, "same"),
    {
      name: flat,
      class_name: "Flatten",
      config: { name: flat, trainable: false, data_format: "channels_last" },
      inbound_nodes: [[[averaged, 0, 0, {}]]]
    }
  ];
}
var pooledTapName = (tap, pooling) => pooling === "grid" ? gridPoolName(tap) : stdPoolName(tap);
var poolLayers = (tap, pooling) => pooling === "grid" ? gridPoolLayers(tap) : stdPoolLayers(tap);
function tapsTopology(topology, taps2, inputSize, pooling) {
  const config = topology.model_config.config;
  const names = new Set(config.layers.map((l) => l.name));
  const missing = taps2.find((t) => !names.has(t));
  if (missing) throw new Error(`layer "${missing}" is not in the model`);
  const keep = new Set(taps2.flatMap((tap) => cutTopology(topology, tap, inputSize).model_config.config.layers.map((l) => l.name)));
  const copy = cutTopology(topology, taps2[taps2.length - 1], inputSize);
  const out = copy.model_config.config;
  out.layers = structuredClone(config.layers.filter((l) => keep.has(l.name)));
  const input2 = out.layers.find((l) => l.name === out.input_layers[0][0]);
  input2.config.batch_input_shape = [null, inputSize, inputSize, 3];
  out.layers.push(...taps2.flatMap((tap) => poolLayers(tap, pooling)));
  if (taps2.length === 1) {
    out.output_layers = [[pooledTapName(taps2[0], pooling), 0, 0]];
    return copy;
  }
  out.layers.push({
    name: "taps_concat",
    class_name: "Concatenate",
    config: { name: "taps_concat", trainable: true, axis: -1 },
    inbound_nodes: [taps2.map((tap) => [pooledTapName(tap, pooling), 0, 0, {}])]
  });
  out.output_layers = [["taps_concat", 0, 0]];
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
function topTopology(topology, cutLayer, cutShape) {
  const copy = structuredClone(topology);
  const config = copy.model_config.config;
  if (!config.layers.some((l) => l.name === cutLayer)) return null;
  const below = ancestorsOf(config.layers, cutLayer);
  const inputName = "top_input";
  const top = config.layers.filter((l) => !below.has(l.name));
  for (const layer of top) {
    for (const node of layer.inbound_nodes) {
      for (const ref of node) {
        if (ref[0] === cutLayer) ref[0] = inputName;
        else if (below.has(ref[0])) return null;
      }
    }
  }
  config.layers = [
    {
      name: inputName,
      class_name: "InputLayer",
      config: { batch_input_shape: [null, ...cutShape], dtype: "float32", sparse: false, name: inputName },
      inbound_nodes: []
    },
    ...top
  ];
  config.input_layers = [[inputName, 0, 0]];
  config.name = `${config.name}_top`;
  return copy;
}
function topologyOf(model4) {
  const json = model4.toJSON(null, false);
  return { keras_version: json.keras_version, backend: json.backend, model_config: { class_name: json.class_name, config: json.config } };
}

// src/core/backbones/hog.ts
import * as tf4 from "@tensorflow/tfjs";

// src/core/dataset/decode.ts
import { open } from "node:fs/promises";
import sharp from "sharp";

// src/core/dataset/enlarge.ts
var SHIFT = 12;
var ONE = 1 << SHIFT;
var HALF = ONE >> 1;
var STEPS = 64;
var DISPLACEMENT = 0.5;
var WEIGHTS = Array.from({ length: STEPS + 1 }, (_, step) => {
  const t = Math.fround(step / STEPS);
  const cr1 = 1 - t;
  const cr2 = -0.5 * t;
  const cr3 = cr1 * cr2;
  const w0 = cr1 * cr3;
  const w3 = t * cr3;
  const cr4 = w3 - w0;
  const w1 = cr1 - w0 + cr4;
  const w2 = t - w3 - cr4;
  return Int32Array.from([w0, w1, w2, w3], (w) => Math.trunc(w * ONE));
});
function taps(inputLength, size2, inverse, accumulate) {
  const index = new Int32Array(size2 * 4);
  const weight = new Int32Array(size2 * 4);
  const padded = (scaled) => scaled - (DISPLACEMENT - 1) + 1;
  let position = padded(0);
  for (let o = 0; o < size2; o++) {
    const at = accumulate ? position : padded(inverse * o);
    const halfSteps = Math.trunc(at * STEPS * 2);
    const step = (halfSteps & STEPS * 2 - 1) + 1 >> 1;
    const first = Math.trunc(at) - 3;
    for (let k = 0; k < 4; k++) {
      index[o * 4 + k] = Math.min(inputLength - 1, Math.max(0, first + k));
      weight[o * 4 + k] = WEIGHTS[step][k];
    }
    if (accumulate) position += inverse;
  }
  return { index, weight };
}
function enlarge(pixels, width, height, channels, size2) {
  if (width > size2 || height > size2) throw new RangeError(`enlarge: ${width}\xD7${height} is bigger than ${size2}\xD7${size2}`);
  if (width === size2 && height === size2) return pixels;
  const across = 1 / (width / size2);
  const down = 1 / (height / size2);
  const inverseDeterminant = 1 / (across * down);
  const columns = taps(width, size2, inverseDeterminant * down, true);
  const rows = taps(height, size2, inverseDeterminant * across, false);
  const rowBytes = size2 * channels;
  const wide = new Int32Array(height * rowBytes);
  for (let y = 0; y < height; y++) {
    const from = y * width * channels;
    const to = y * rowBytes;
    for (let x = 0; x < size2; x++) {
      const t = x * 4;
      const a = from + columns.index[t] * channels;
      const b = from + columns.index[t + 1] * channels;
      const c = from + columns.index[t + 2] * channels;
      const d = from + columns.index[t + 3] * channels;
      const wa = columns.weight[t];
      const wb = columns.weight[t + 1];
      const wc = columns.weight[t + 2];
      const wd = columns.weight[t + 3];
      for (let ch = 0; ch < channels; ch++) {
        wide[to + x * channels + ch] = wa * pixels[a + ch] + wb * pixels[b + ch] + wc * pixels[c + ch] + wd * pixels[d + ch] + HALF >> SHIFT;
      }
    }
  }
  const out = new Uint8ClampedArray(size2 * rowBytes);
  for (let y = 0; y < size2; y++) {
    const t = y * 4;
    const a = rows.index[t] * rowBytes;
    const b = rows.index[t + 1] * rowBytes;
    const c = rows.index[t + 2] * rowBytes;
    const d = rows.index[t + 3] * rowBytes;
    const wa = rows.weight[t];
    const wb = rows.weight[t + 1];
    const wc = rows.weight[t + 2];
    const wd = rows.weight[t + 3];
    const to = y * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      out[to + i] = wa * wide[a + i] + wb * wide[b + i] + wc * wide[c + i] + wd * wide[d + i] + HALF >> SHIFT;
    }
  }
  return new Uint8Array(out.buffer);
}

// src/core/dataset/decode.ts
var RESIZE_MODE = "fill";
var DECODING_KEY = `${RESIZE_MODE}|libvips-${sharp.versions.vips}`;
var DecodeError = class extends Error {
  name = "DecodeError";
};
sharp.concurrency(0);
var SUPPORTED_FORMATS = /* @__PURE__ */ new Set(["jpeg", "png", "webp", "gif", "heif", "tiff"]);
var SUPPORTED_LIST = "JPEG, PNG, WebP, GIF, AVIF, TIFF";
async function decodeToRgb(input2, size2, maxPixels) {
  const { head, source } = await readInput(input2);
  const format = signatureFormat(head);
  const path = typeof input2 === "string" ? input2 : null;
  const quirky = path !== null && tolerated.has(path);
  try {
    return await gate.shared(() => decode(source, format, size2, maxPixels, quirky ? "error" : "warning"));
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    return gate.alone(() => diagnose(source, format, size2, maxPixels, path));
  }
}
var WHOLE_FILE_BYTES = 8 * 1024 * 1024;
async function readInput(input2) {
  if (typeof input2 !== "string") return { head: input2.subarray(0, SIGNATURE_BYTES), source: input2 };
  try {
    const file = await open(input2, "r");
    try {
      const { size: size2 } = await file.stat();
      if (size2 <= WHOLE_FILE_BYTES) {
        const bytes = await file.readFile();
        return { head: bytes.subarray(0, SIGNATURE_BYTES), source: bytes };
      }
      const head = new Uint8Array(SIGNATURE_BYTES);
      const { bytesRead } = await file.read(head, 0, SIGNATURE_BYTES, 0);
      return { head: head.subarray(0, bytesRead), source: input2 };
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new DecodeError(`could not be read (${messageOf(error).split("\n")[0]}); check the file or remove it`);
  }
}
var SIGNATURE_BYTES = 64;
var HEIF_BRANDS = /* @__PURE__ */ new Set(["avif", "avis", "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"]);
var ascii = (head, from, to) => String.fromCharCode(...head.subarray(from, to));
var startsWith = (head, bytes, at = 0) => bytes.every((b, i) => head[at + i] === b);
function formatFromSignature(head) {
  if (startsWith(head, [255, 216, 255])) return "jpeg";
  if (startsWith(head, [137, 80, 78, 71, 13, 10, 26, 10])) return "png";
  if (/^GIF8[79]a$/.test(ascii(head, 0, 6))) return "gif";
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 12) === "WEBP") return "webp";
  if ([
    [73, 73, 42, 0],
    [77, 77, 0, 42],
    [73, 73, 43, 0],
    [77, 77, 0, 43]
  ].some((sig) => startsWith(head, sig)))
    return "tiff";
  if (head.length >= 12 && ascii(head, 4, 8) === "ftyp") {
    const boxEnd = Math.min(head.length, new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0));
    const brands = [ascii(head, 8, 12)];
    for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(head, at, at + 4));
    if (brands.some((brand) => HEIF_BRANDS.has(brand))) return "heif";
  }
  return null;
}
function signatureFormat(head) {
  const format = formatFromSignature(head);
  if (format) return format;
  const start2 = ascii(head, 0, head.length).replace(/^(\u00ef\u00bb\u00bf)?\s*/, "");
  if (/^<(\?xml|svg|!DOCTYPE svg)/i.test(start2))
    throw new DecodeError(`the contents are SVG, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  if (startsWith(head, [8, 242, 166, 182]) || startsWith(head, [182, 166, 242, 8])) {
    throw new DecodeError(`the contents are VIPS, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  }
  throw new DecodeError(`not a readable image: the contents are not a supported format (${SUPPORTED_LIST})`);
}
async function decode(input2, format, size2, maxPixels, failOn) {
  const header = await sharp(input2, { limitInputPixels: false, pages: 1 }).metadata();
  if (!SUPPORTED_FORMATS.has(header.format ?? "")) {
    throw new DecodeError(
      `the contents are ${String(header.format ?? "unknown").toUpperCase()}, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`
    );
  }
  if (header.format !== format) {
    throw new DecodeError(`the file starts like ${format.toUpperCase()} but decodes as ${String(header.format).toUpperCase()}; re-export or remove it`);
  }
  const { width = 0, height = 0 } = header;
  if (width * height > maxPixels) {
    throw new DecodeError(
      `image is larger than ${maxPixels.toLocaleString("en")} pixels (it declares ${width}\xD7${height} = ${(width * height).toLocaleString("en")}; possible decompression bomb); downscale it, or raise the pixel cap (max-pixels) if it is legitimate`
    );
  }
  const enlarging = header.depth === "uchar" && (header.orientation ?? 1) === 1 && width <= size2 && height <= size2;
  const { data, info } = await decodePixels(input2, enlarging ? null : size2, maxPixels, failOn);
  const rgb = toRgb(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels);
  return enlarging ? enlarge(rgb, info.width, info.height, 3, size2) : rgb;
}
async function diagnose(input2, format, size2, maxPixels, path) {
  try {
    return await decode(input2, format, size2, maxPixels, "warning");
  } catch (strict) {
    if (strict instanceof DecodeError) throw strict;
    if (DAMAGE_WARNINGS.test(messageOf(strict))) throw new DecodeError(explainDecodeFailure(strict, maxPixels));
    try {
      const pixels = await decode(input2, format, size2, maxPixels, "error");
      if (path !== null) tolerated.add(path);
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
    let open2;
    this.closed = new Promise((resolve2) => open2 = resolve2);
    try {
      if (this.active > 0) await new Promise((resolve2) => this.onIdle.push(resolve2));
      return await work();
    } finally {
      this.closed = null;
      open2();
    }
  }
};
var gate = new DecodeGate();
var DAMAGE_WARNINGS = /corrupt jpeg data: (bad huffman code|bad arithmetic code|premature end of data segment|found marker)|premature end of jpeg|inconsistent progression/i;
function decodePixels(input2, size2, maxPixels, failOn) {
  const image = sharp(input2, { limitInputPixels: maxPixels, failOn, animated: false, pages: 1 }).rotate().flatten({ background: "#ffffff" }).toColourspace("srgb");
  if (size2 !== null) image.resize(size2, size2, { fit: RESIZE_MODE, kernel: "lanczos3" });
  return image.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
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

// src/core/backbones/hog.ts
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
function buildHogModel(size2) {
  const input2 = tf4.input({ shape: [size2, size2, 3], name: "input" });
  const conv = tf4.layers.conv2d({ filters: HOG_DIRECTIONS, kernelSize: 3, padding: "same", useBias: false, trainable: false, name: "hog_gradients" });
  let edges = conv.apply(input2);
  edges = tf4.layers.reLU({ name: "hog_relu" }).apply(edges);
  const cells = tf4.layers.averagePooling2d({ poolSize: HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_cells" }).apply(edges);
  const padded = tf4.layers.zeroPadding2d({ padding: HOG_CELL / 2, name: "hog_block_pad" }).apply(edges);
  const blocks = tf4.layers.averagePooling2d({ poolSize: 2 * HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_blocks" }).apply(padded);
  let x = tf4.layers.concatenate({ name: "hog_scales" }).apply([cells, blocks]);
  x = tf4.layers.activation({ activation: "softsign", name: "hog_compress" }).apply(x);
  x = tf4.layers.flatten({ name: "hog_features" }).apply(x);
  const model4 = tf4.model({ inputs: input2, outputs: x, name: "hog" });
  tf4.tidy(() => conv.setWeights([tf4.tensor4d(hogKernel(), [3, 3, 3, HOG_DIRECTIONS])]));
  return model4;
}
function hogCacheKey(size2) {
  return `hog-v2|${size2}|cell${HOG_CELL}|dir${HOG_DIRECTIONS}|scale${EDGE_SCALE}|${DECODING_KEY}`;
}
function hogDisplayName(size2) {
  const cells = Math.floor(size2 / HOG_CELL);
  return `HOG (${cells}\xD7${cells} cells) @${size2}`;
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

// src/core/onnx/keras-weights.ts
var BYTES = { float32: 4, int32: 4, uint8: 1, uint16: 2 };
function storedByteLength(spec) {
  const stored = spec.quantization?.dtype ?? spec.dtype;
  if (!BYTES[stored]) throw new Error(`weight "${spec.name}" is stored as ${stored}, whose size is unknown here`);
  return spec.shape.reduce((a, b) => a * b, 1) * BYTES[stored];
}

// src/core/backbones/half-scale.ts
var HALF_SCALE_PREFIX = "half_";
var halfScale = (layer) => `${HALF_SCALE_PREFIX}${layer}`;
var isHalfScale = (layer) => layer.startsWith(HALF_SCALE_PREFIX);
var POOLED_INPUT = `${HALF_SCALE_PREFIX}input_pooled`;
function copiedLayers(topology, upTo) {
  const config = topology.model_config.config;
  const copied = new Set(upTo.flatMap((layer) => [...ancestorsOf(config.layers, layer)]));
  copied.delete(config.input_layers[0][0]);
  return copied;
}
function withHalfScaleBranch(topology, upTo) {
  const copy = structuredClone(topology);
  const config = copy.model_config.config;
  const inputName = config.input_layers[0][0];
  const copied = copiedLayers(topology, upTo);
  config.layers.push(averagePoolingLayer(POOLED_INPUT, inputName, 2, "valid"));
  for (const layer of topology.model_config.config.layers) {
    if (!copied.has(layer.name)) continue;
    const twin = structuredClone(layer);
    twin.name = halfScale(layer.name);
    twin.config = { ...twin.config, name: twin.name };
    for (const node of twin.inbound_nodes) {
      for (const ref of node) ref[0] = ref[0] === inputName ? POOLED_INPUT : halfScale(ref[0]);
    }
    config.layers.push(twin);
  }
  return copy;
}
function withHalfScaleWeights(topology, upTo, specs, data) {
  const copied = copiedLayers(topology, upTo);
  const twins = [];
  const slices = [new Uint8Array(data)];
  let offset = 0;
  for (const spec of specs) {
    const length = storedByteLength(spec);
    const layer = spec.name.slice(0, spec.name.lastIndexOf("/"));
    if (copied.has(layer)) {
      twins.push({ ...spec, name: halfScale(spec.name) });
      slices.push(new Uint8Array(data, offset, length));
    }
    offset += length;
  }
  const all = Buffer.concat(slices);
  return { weightSpecs: [...specs, ...twins], weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
}
function withHalfScaleTaps(model4, taps2) {
  const upTo = taps2.filter(isHalfScale).map((tap) => tap.slice(HALF_SCALE_PREFIX.length));
  if (!upTo.length) return model4;
  return { topology: withHalfScaleBranch(model4.topology, upTo), ...withHalfScaleWeights(model4.topology, upTo, model4.weightSpecs, model4.weightData) };
}

// src/core/backbones/source.ts
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { get as httpsGet } from "node:https";
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from "node:path";
import { pipeline } from "node:stream/promises";

// src/core/atomic.ts
function explainWriteError(error, path) {
  const code = error?.code;
  if (code === "ENOSPC")
    return new InputError(
      `The disk is full: could not write ${path}. Free some space (or point --cache-dir/--out elsewhere) and run again; finished work in the cache is kept.`,
      path
    );
  if (code === "EACCES" || code === "EPERM")
    return new InputError(`Permission denied writing ${path}. Choose a folder you can write to with --out or --cache-dir.`, path);
  if (code === "EROFS") return new InputError(`${path} is on a read-only file system. Choose a writable folder with --out or --cache-dir.`, path);
  return error;
}

// src/core/backbones/source.ts
var DOWNLOAD_LIMITS = { maxFileBytes: 512 * 1024 ** 2, maxTotalBytes: 1024 ** 3, maxRedirects: 3, timeoutMs: 3e5 };
var OFFLINE_HINT = "Without network access, use a built-in backbone (mobilenet_v2, inception_v3, hog, small_cnn) or a local model.json path.";
var FILES_RECORD = ".files.json";
var WEIGHT_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;
function isOnnxSource(source) {
  const path = /^https:\/\//i.test(source) ? new URL(source).pathname : source;
  return /\.onnx$/i.test(path);
}
function isPlainWeightPath(path) {
  return typeof path === "string" && path.length <= 1024 && path.split("/").every((segment) => WEIGHT_SEGMENT.test(segment));
}
function unsafePathError(model4, path) {
  return new InputError(
    `${model4} lists weight file ${JSON.stringify(path)}, which is not a plain relative name inside its folder (letters, digits, ".", "_", "-" and "/" only; no "..", no absolute paths). Refused.`,
    model4
  );
}
async function resolveWeightFile(dir, path, modelJson) {
  if (!isPlainWeightPath(path)) throw unsafePathError(modelJson, path);
  const [realDir, realFile] = await Promise.all([realpath(dir), realpath(join(dir, path))]).catch((error) => {
    if (error.code === "ENOENT") throw new InputError(`${modelJson} lists weight file "${path}", which is missing next to it.`, modelJson);
    throw error;
  });
  const inside = relative(realDir, realFile);
  if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside)) {
    throw new InputError(
      `${modelJson} lists weight file "${path}", a symbolic link that leads out of the model's folder. Refused; copy the file into the folder instead.`,
      modelJson
    );
  }
  return realFile;
}
function weightPaths(json, model4) {
  const manifest = json?.weightsManifest;
  if (!Array.isArray(manifest) || manifest.some((g) => !g || !Array.isArray(g.paths))) {
    throw new InputError(`${model4} is not a TF.js model.json (it needs modelTopology and weightsManifest).`, model4);
  }
  return manifest.flatMap((g) => g.paths);
}
function sha256Hex(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}
async function sha256File(file) {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}
function pinError(source, what, actual, pin) {
  return new InputError(
    `Backbone ${source}: ${what} has sha256 ${actual}, not the pinned ${pin}. The file changed, or the pin is wrong; it was not used.`,
    source
  );
}
async function loadModelSource(source, cacheDir, options = {}) {
  if (/^http:\/\//i.test(source))
    throw new InputError(`Backbone "${source}": plain http:// is refused (anyone on the way could swap the weights); use https://.`, source);
  const isUrl = /^https:\/\//i.test(source);
  const onnx = isOnnxSource(source);
  const dir = isUrl ? await downloadModel(source, cacheDir, options, onnx) : dirname(resolve(source));
  const mainFile = isUrl ? join(dir, onnx ? "model.onnx" : "model.json") : resolve(source);
  const displayName = isUrl ? onnx ? basename(new URL(source).pathname).replace(/\.onnx$/i, "") : new URL(source).pathname.split("/").filter(Boolean).slice(-2, -1)[0] ?? "model" : onnx ? basename(source).replace(/\.onnx$/i, "") : basename(dirname(resolve(source)));
  if (onnx) return onnxSource(source, mainFile, dir, displayName, options.sha256);
  return tfjsSource(source, mainFile, dir, displayName, options.sha256);
}
async function onnxSource(source, path, dir, displayName, pin) {
  const file = await realpath(path).catch(() => {
    throw new InputError(`Backbone model "${source}" was not found. Check the path to its .onnx file.`, source);
  });
  const sha256 = await sha256File(file).catch((error) => {
    throw new InputError(`Backbone model "${source}" could not be read (${error.code ?? error.message}). Give the path to an .onnx file.`, source);
  });
  if (pin && sha256 !== pin) throw pinError(source, "the .onnx file", sha256, pin);
  return { kind: "onnx", file, contentHash: sha256.slice(0, 24), sha256, displayName, dir };
}
async function tfjsSource(source, jsonPath, dir, displayName, pin) {
  let bytes;
  let json;
  try {
    bytes = await readFile(jsonPath);
    json = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    const code = error.code;
    throw new InputError(
      code === "ENOENT" ? `Backbone model "${source}" was not found. Check the path to its model.json.` : `Backbone model "${source}" is not valid JSON (${error.message}).`,
      source
    );
  }
  const sha256 = sha256Hex(bytes);
  if (pin && sha256 !== pin) throw pinError(source, "model.json", sha256, pin);
  if (!json || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new InputError(`Backbone model "${source}" is not a TF.js model.json (it needs modelTopology and weightsManifest).`, source);
  }
  const hash = createHash("sha256").update(JSON.stringify(json));
  const buffers = [];
  for (const path of weightPaths(json, jsonPath)) {
    const data = await readFile(await resolveWeightFile(dir, path, jsonPath));
    hash.update(data);
    buffers.push(data);
  }
  const weights = Buffer.concat(buffers);
  return {
    kind: json.format === "graph-model" ? "graph" : "layers",
    dir,
    contentHash: hash.digest("hex").slice(0, 24),
    sha256,
    displayName,
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
function size(bytes) {
  return bytes >= 1024 ** 2 ? `${Math.round(bytes / 1024 ** 2)} MiB` : `${bytes.toLocaleString("en")} bytes`;
}
function request(url, download, signal) {
  return new Promise((resolvePromise, reject) => {
    const req = httpsGet(url, { ca: download.ca, signal, headers: { "user-agent": "classifier-ci" } }, resolvePromise);
    req.on("error", reject);
  });
}
function downloadError(error, what, url, download) {
  if (error instanceof InputError) return error;
  const e = error;
  const cause = e.name === "AbortError" || e.code === "ABORT_ERR" ? `no complete answer within ${download.limits.timeoutMs / 1e3} s` : e.code ?? e.message;
  return new InputError(`Could not download backbone ${what} from ${url} (${cause}). ${OFFLINE_HINT}`, download.modelUrl);
}
async function downloadFile(url, dest, what, download) {
  const { limits, modelUrl } = download;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current2 = url;
  for (let hop = 0; ; hop++) {
    let response;
    try {
      response = await request(current2, download, signal);
    } catch (error) {
      throw downloadError(error, what, current2.href, download);
    }
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      const next = new URL(response.headers.location, current2);
      if (next.origin !== download.origin) {
        throw new InputError(
          `Backbone ${what} at ${current2.href} redirects to ${next.origin}, another host or scheme; only redirects within ${download.origin} are followed. Use the final URL, or download the model and give its local path.`,
          modelUrl
        );
      }
      if (hop >= limits.maxRedirects)
        throw new InputError(`Backbone ${what} at ${url.href} redirects more than ${limits.maxRedirects} times. Use the final URL.`, modelUrl);
      current2 = next;
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new InputError(`Could not download backbone ${what} from ${current2.href}: HTTP ${status}. ${OFFLINE_HINT}`, modelUrl);
    }
    const fileTooBig = () => new InputError(
      `Backbone ${what} at ${url.href} is larger than the ${size(limits.maxFileBytes)} allowed for one file. Download it yourself and give its local path.`,
      modelUrl
    );
    const modelTooBig = () => new InputError(
      `Backbone model ${modelUrl} is larger than the ${size(limits.maxTotalBytes)} allowed for one model. Download it yourself and give its local path.`,
      modelUrl
    );
    const declared = Number(response.headers["content-length"]);
    if (Number.isFinite(declared) && (declared > limits.maxFileBytes || download.totalBytes + declared > limits.maxTotalBytes)) {
      response.destroy();
      throw declared > limits.maxFileBytes ? fileTooBig() : modelTooBig();
    }
    const hash = createHash("sha256");
    let bytes = 0;
    try {
      await pipeline(
        response,
        async function* (chunks) {
          for await (const chunk of chunks) {
            bytes += chunk.length;
            if (bytes > limits.maxFileBytes) throw fileTooBig();
            if (download.totalBytes + bytes > limits.maxTotalBytes) throw modelTooBig();
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(dest),
        { signal }
      );
    } catch (error) {
      throw downloadError(error, what, current2.href, download);
    }
    download.totalBytes += bytes;
    return { sha256: hash.digest("hex"), bytes, finalUrl: current2 };
  }
}
function shardUrl(path, modelJsonUrl, download) {
  if (!isPlainWeightPath(path)) throw unsafePathError(download.modelUrl, path);
  const folder = new URL(".", modelJsonUrl);
  const url = new URL(path, folder);
  if (url.origin !== download.origin || !decodeURIComponent(url.pathname).startsWith(decodeURIComponent(folder.pathname)))
    throw unsafePathError(download.modelUrl, path);
  return url;
}
async function cacheEntryIntact(dir, pin) {
  try {
    const record = JSON.parse(await readFile(join(dir, FILES_RECORD), "utf8"));
    if (!Array.isArray(record.files) || record.files.length === 0) return false;
    if (pin && record.files[0].sha256 !== pin) return false;
    for (const file of record.files) {
      if (!isPlainWeightPath(file.path)) return false;
      if (await sha256File(join(dir, file.path)) !== file.sha256) return false;
    }
    return true;
  } catch {
    return false;
  }
}
async function downloadModel(url, cacheDir, options, onnx, attempt = 0) {
  const dir = join(cacheDir, "backbones", createHash("sha256").update(url).digest("hex").slice(0, 20));
  if (await stat(join(dir, ".complete")).catch(() => null)) {
    if (await cacheEntryIntact(dir, options.sha256)) return dir;
    await rm(dir, { recursive: true, force: true });
  }
  const download = { modelUrl: url, origin: new URL(url).origin, ca: options.ca, limits: { ...DOWNLOAD_LIMITS, ...options.limits }, totalBytes: 0 };
  const temp = `${dir}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await mkdir(temp, { recursive: true });
  try {
    const mainName = onnx ? "model.onnx" : "model.json";
    const main = await downloadFile(new URL(url), join(temp, mainName), mainName, download);
    if (options.sha256 && main.sha256 !== options.sha256) throw pinError(url, mainName, main.sha256, options.sha256);
    const record = { url, files: [{ path: mainName, sha256: main.sha256, bytes: main.bytes }] };
    if (!onnx) {
      let json;
      try {
        json = JSON.parse(await readFile(join(temp, mainName), "utf8"));
      } catch {
        throw new InputError(`The backbone URL ${url} did not return a model.json (not JSON). Point to the model.json of a TF.js model.`, url);
      }
      for (const path of weightPaths(json, url)) {
        if (!isPlainWeightPath(path)) throw unsafePathError(url, path);
        const from = shardUrl(path, main.finalUrl, download);
        await mkdir(dirname(join(temp, path)), { recursive: true });
        const shard = await downloadFile(from, join(temp, path), `weights "${path}"`, download);
        record.files.push({ path, sha256: shard.sha256, bytes: shard.bytes });
      }
    }
    await writeFile(join(temp, FILES_RECORD), JSON.stringify(record, null, 2));
    await writeFile(join(temp, ".complete"), "");
    await mkdir(dirname(dir), { recursive: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  try {
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (await stat(join(dir, ".complete")).catch(() => null) && await cacheEntryIntact(dir, options.sha256)) return dir;
    if (attempt > 0) throw explainWriteError(error, dir);
    await rm(dir, { recursive: true, force: true });
    return downloadModel(url, cacheDir, options, onnx, attempt + 1);
  }
  return dir;
}

// src/core/backbones/zoo.ts
var BUILTIN_BACKBONES = {
  mobilenet_v2: {
    displayName: "MobileNetV2",
    defaultSize: 224,
    minSize: 32,
    cutLayer: "out_relu",
    fineTuneCut: "block_15_add",
    nsfwjsModel: "mobilenet_v2",
    taps: ["block_13_expand_relu", "block_16_expand_relu", "out_relu"],
    // The output of block 9 (64 channels at 14 × 14 for 224 px): on Fashion-MNIST as good on the
    // grid as the wider layers around it (block_10_expand_relu, 384 channels: 87.4% against 87.2%)
    // at a sixth of the width, 3,136 features; the grid variant reads it at half scale too (1,024 more).
    gridTap: "block_9_add"
  },
  inception_v3: {
    displayName: "InceptionV3",
    defaultSize: 299,
    minSize: 75,
    cutLayer: "mixed10",
    fineTuneCut: "mixed9",
    nsfwjsModel: "inception_v3",
    taps: ["mixed7", "mixed9", "mixed10"],
    // Its middle layers are 288–768 channels on 35 × 35 to 17 × 17 maps: 80,000 features or more on a grid.
    gridTap: null
  }
};
var TAPS_SUFFIX = "+taps";
var MID_SUFFIX = "+mid";
var GRID_SUFFIX = "+grid";
var DEPTH_VARIANTS = {
  [TAPS_SUFFIX]: {
    words: "features from several depths, each pooled by its standard deviation over the image, the last block included",
    pooling: "std",
    taps: (builtin) => [...builtin.taps],
    depthWords: (count) => `${count} depths`
  },
  [MID_SUFFIX]: {
    words: "features from the middle depths, each pooled by its standard deviation over the image, without the last block",
    pooling: "std",
    taps: (builtin) => builtin.taps.filter((layer) => layer !== builtin.cutLayer),
    depthWords: (count) => `${count} middle depths`
  },
  [GRID_SUFFIX]: {
    words: "features from a middle depth kept on a grid over the image, so where each one is counts, at the image size and at half of it",
    pooling: "grid",
    taps: (builtin) => builtin.gridTap ? [builtin.gridTap, halfScale(builtin.gridTap)] : [],
    depthWords: () => "a middle depth on a grid at two scales"
  }
};
function tapPooling(spec) {
  return DEPTH_VARIANTS[spec.variant ?? TAPS_SUFFIX].pooling;
}
var SMALL_CNN = "small_cnn";
var BACKBONE_NAMES = [...Object.keys(BUILTIN_BACKBONES), HOG, SMALL_CNN];
var require2 = createRequire(import.meta.url);
function nsfwjsModelFiles(model4) {
  const distDir = join2(dirname2(require2.resolve("nsfwjs")), "..", "models", model4);
  const topology = require2(join2(distDir, "model.min.js"));
  const buffers = [];
  for (const path of topology.weightsManifest.flatMap((g) => g.paths)) {
    buffers.push(Buffer.from(require2(join2(distDir, `${path}.min.js`)), "base64"));
  }
  const all = Buffer.concat(buffers);
  return { topology, weights: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
}
async function layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey) {
  const model4 = await tf5.loadLayersModel(tf5.io.fromMemory({ modelTopology: topology, weightSpecs, weightData }), { strict: false });
  const outputRank = model4.outputs[0].shape.length;
  const functional = Boolean(topology.model_config?.config?.output_layers);
  if (outputRank === 4 && functional) {
    model4.dispose();
    appendLayer(topology, "GlobalAveragePooling2D", "backbone_pool", { data_format: "channels_last" });
    return layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey);
  }
  if (outputRank === 4) {
    const pooled = tf5.model({ inputs: model4.inputs, outputs: tf5.layers.globalAveragePooling2d({}).apply(model4.outputs[0]) });
    return fromLayersModel(spec, displayName, pooled, null, cacheKey);
  }
  if (outputRank !== 2)
    throw new InputError(`Backbone "${spec.id}" outputs rank-${outputRank} tensors; a feature vector (rank 2) or feature maps (rank 4) are needed.`, spec.id);
  return fromLayersModel(spec, displayName, model4, functional ? topology : null, cacheKey);
}
function fromLayersModel(spec, displayName, model4, topology, cacheKey) {
  const [low, high] = spec.range;
  const featureDim = model4.outputs[0].shape[1];
  return {
    spec,
    displayName,
    featureDim,
    params: model4.countParams(),
    cacheKey,
    layersModel: model4,
    topology,
    embed(pixels, n) {
      return tf5.tidy(() => {
        const x = tf5.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
        return model4.predict(x).dataSync();
      });
    },
    dispose: () => model4.dispose()
  };
}
function fromGraphModel(spec, displayName, model4, cacheKey) {
  const [low, high] = spec.range;
  const probe = tf5.tidy(() => model4.predict(tf5.zeros([1, spec.inputSize, spec.inputSize, 3])));
  const shape = probe.shape;
  probe.dispose();
  const pool = shape.length === 4;
  return {
    spec,
    displayName,
    featureDim: pool ? shape[3] : shape[1],
    params: Object.values(model4.weights).reduce((sum, list) => sum + list.reduce((s, t) => s + t.size, 0), 0),
    cacheKey,
    layersModel: null,
    topology: null,
    embed(pixels, n) {
      return tf5.tidy(() => {
        const x = tf5.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
        let y = model4.predict(x);
        if (pool) y = y.mean([1, 2]);
        return y.dataSync();
      });
    },
    dispose: () => model4.dispose()
  };
}
function depthWordsOf(spec) {
  return DEPTH_VARIANTS[spec.variant ?? TAPS_SUFFIX].depthWords(spec.taps?.length ?? 0);
}
function tapsDisplayName(name, spec) {
  return `${name} @${spec.inputSize}, ${depthWordsOf(spec)}`;
}
async function loadBackbone(spec, context) {
  if (spec.source === HOG) {
    const model4 = buildHogModel(spec.inputSize);
    return fromLayersModel(spec, hogDisplayName(spec.inputSize), model4, topologyOf(model4), hogCacheKey(spec.inputSize));
  }
  if (spec.builtin) {
    const builtin = BUILTIN_BACKBONES[spec.source];
    if (!builtin) throw new Error(`${spec.id} is not a pretrained backbone`);
    const files = nsfwjsModelFiles(builtin.nsfwjsModel);
    const specs = files.topology.weightsManifest.flatMap((g) => g.weights);
    const key = `nsfwjs-${builtin.nsfwjsModel}-v1|${spec.inputSize}|${spec.range.join(":")}|${DECODING_KEY}`;
    if (spec.taps) {
      const pooling = tapPooling(spec);
      const model4 = withHalfScaleTaps({ topology: files.topology.modelTopology, weightSpecs: specs, weightData: files.weights }, spec.taps);
      const topology3 = tapsTopology(model4.topology, spec.taps, spec.inputSize, pooling);
      const name = tapsDisplayName(builtin.displayName, spec);
      return layersExtractor(spec, name, topology3, model4.weightSpecs, model4.weightData, `${key}|${pooling}-taps:${spec.taps.join(",")}`);
    }
    const topology2 = cutTopology(files.topology.modelTopology, builtin.cutLayer, spec.inputSize);
    return layersExtractor(spec, `${builtin.displayName} @${spec.inputSize}`, topology2, specs, files.weights, key);
  }
  const source = await loadModelSource(spec.source, context.cacheDir, { sha256: spec.sha256, ca: context.ca });
  if (source.kind === "onnx") {
    throw new InputError(`Backbone "${spec.id}" is an ONNX model, which TF.js cannot run; it needs ONNX Runtime (engine auto or onnx).`, spec.id);
  }
  const cacheKey = `${source.contentHash}|${spec.inputSize}|${spec.range.join(":")}|${DECODING_KEY}`;
  const displayName = `${source.displayName} @${spec.inputSize}`;
  if (source.kind === "graph") {
    const model4 = await tf5.loadGraphModel(tf5.io.fromMemory(source.artifacts));
    return { ...fromGraphModel(spec, displayName, model4, cacheKey), sourceDir: source.dir };
  }
  const topology = structuredClone(source.artifacts.modelTopology);
  const loose = topology;
  const inputLayer = (topology.model_config?.config?.layers ?? loose.config?.layers)?.[0];
  if (inputLayer?.config && Array.isArray(inputLayer.config.batch_input_shape)) {
    inputLayer.config.batch_input_shape = [null, spec.inputSize, spec.inputSize, 3];
  }
  const extractor = await layersExtractor(
    spec,
    displayName,
    topology,
    source.artifacts.weightSpecs ?? [],
    source.artifacts.weightData,
    cacheKey
  );
  return { ...extractor, sourceDir: source.dir };
}

// src/core/backbones/fine-tune-split.ts
function fineTuneUnsupported(extractor) {
  if (extractor.spec.source === HOG) return `${extractor.spec.id} has no learned weights to fine-tune`;
  if (!extractor.spec.builtin || !BUILTIN_BACKBONES[extractor.spec.source])
    return `${extractor.spec.id} is not a built-in Keras backbone; only those can be fine-tuned`;
  if (!extractor.layersModel || !extractor.topology) return `${extractor.spec.id} has no Keras topology to split`;
  return null;
}
async function splitForFineTune(extractor) {
  const problem = fineTuneUnsupported(extractor);
  if (problem) throw new Error(problem);
  const model4 = extractor.layersModel;
  const cutLayer = BUILTIN_BACKBONES[extractor.spec.source].fineTuneCut;
  const cutOutput = model4.getLayer(cutLayer).output;
  const cutShape = cutOutput.shape.slice(1);
  const topJson = topTopology(extractor.topology, cutLayer, cutShape);
  if (!topJson) throw new Error(`${extractor.spec.id}: a connection skips across ${cutLayer}`);
  for (const layer of topJson.model_config.config.layers) {
    layer.config.trainable = layer.class_name !== "BatchNormalization";
  }
  const top = await tf6.models.modelFromJSON({ modelTopology: topJson });
  for (const layer of top.layers) {
    const weights = layer.getWeights().length ? model4.getLayer(layer.name).getWeights() : [];
    if (weights.length) layer.setWeights(weights);
  }
  const baseModel = tf6.model({ inputs: model4.inputs, outputs: cutOutput });
  const base = fromLayersModel(
    extractor.spec,
    `${extractor.displayName} (up to ${cutLayer})`,
    baseModel,
    null,
    `${extractor.cacheKey}|activations:${cutLayer}`
  );
  base.dispose = () => {
  };
  base.featureDim = cutShape.reduce((a, b) => a * b, 1);
  return { cutLayer, cutShape, base, top };
}

// src/core/embeddings/batches.ts
var TFJS_BATCH_PIXELS = 4 * 224 * 224;
function tfjsBatchSize(size2) {
  return Math.min(16, Math.max(1, Math.floor(TFJS_BATCH_PIXELS / (size2 * size2))));
}
async function decodeBatch(images, size2, maxPixels) {
  const pixels = await Promise.all(images.map((image) => decodeToRgb(image.path, size2, maxPixels)));
  const batch = new Uint8Array(images.length * size2 * size2 * 3);
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
var current = null;
async function load(backbone, id) {
  if (current?.id === id) return current.extractor;
  current?.release();
  current = null;
  const full = await loadBackbone(backbone.spec, { cacheDir: init.cacheDir });
  if (!backbone.fineTuneBase) {
    current = { id, extractor: full, release: () => full.dispose() };
    return full;
  }
  try {
    const split = await splitForFineTune(full);
    split.top.dispose();
    current = { id, extractor: split.base, release: () => full.dispose() };
    return split.base;
  } catch (error) {
    full.dispose();
    throw error;
  }
}
function warmUp(extractor) {
  const size2 = extractor.spec.inputSize;
  const count = tfjsBatchSize(size2);
  try {
    extractor.embed(new Uint8Array(count * size2 * size2 * 3), count);
    return true;
  } catch {
    return false;
  }
}
async function start() {
  try {
    const backend = await selectBackend(void 0, init.backend);
    reply({ type: "ready", backend: backend.name });
    return true;
  } catch (error) {
    reply({ type: "error", stage: "start", ...describe(error) });
    return false;
  }
}
if (await start()) {
  let queue = Promise.resolve();
  port.on("message", (job) => {
    if (job.type === "load") {
      queue = queue.then(async () => {
        try {
          const fresh = current?.id !== job.id;
          const extractor = await load(job.backbone, job.id);
          reply({ type: "loaded", id: job.id, cacheKey: extractor.cacheKey, featureDim: extractor.featureDim, warming: fresh });
          if (fresh) reply({ type: "warmed", id: job.id, ok: warmUp(extractor) });
        } catch (error) {
          reply({ type: "error", stage: "load", id: job.id, ...describe(error) });
        }
      });
      return;
    }
    const pixels = job.pixels ? Promise.resolve(job.pixels) : decodeBatch(
      job.paths.map((path) => ({ path })),
      job.size,
      init.maxPixels
    );
    pixels.catch(() => {
    });
    queue = queue.then(async () => {
      try {
        if (!current) throw new Error("no backbone loaded");
        const flat = current.extractor.embed(await pixels, job.count);
        const own = flat.byteOffset === 0 && flat.byteLength === flat.buffer.byteLength ? flat : flat.slice();
        reply({ type: "result", index: job.index, embeddings: own }, [own.buffer]);
      } catch (error) {
        reply({ type: "error", stage: "embed", index: job.index, ...describe(error) });
      }
    });
  });
}
