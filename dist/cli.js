var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/core/errors.ts
function isUserFacingError(error) {
  return error instanceof InputError || error instanceof TrainingError;
}
var InputError, TrainingError;
var init_errors = __esm({
  "src/core/errors.ts"() {
    "use strict";
    InputError = class extends Error {
      constructor(message, subject) {
        super(message);
        this.subject = subject;
      }
      subject;
      name = "InputError";
      exitCode = 2;
    };
    TrainingError = class extends Error {
      name = "TrainingError";
      exitCode = 3;
    };
  }
});

// src/core/log-line.ts
function escaped(char) {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code < 256 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
}
function escapeLogLine(text) {
  return text.replace(UNSAFE, escaped).replace(/:(?=:)/g, `:${ZWSP}`).replace(/#(?=#\[)/g, `#${ZWSP}`);
}
var ZWSP, UNSAFE, NAMED;
var init_log_line = __esm({
  "src/core/log-line.ts"() {
    "use strict";
    ZWSP = "\u200B";
    UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
    NAMED = { "\n": "\\n", "\r": "\\r", "	": "\\t" };
  }
});

// package.json
var package_default;
var init_package = __esm({
  "package.json"() {
    package_default = {
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
        test: "node --import tsx --test --test-concurrency=1 test/*.test.ts",
        bench: "node --import tsx bench/run.ts",
        "build:cli": "esbuild cli=src/cli/index.ts embed-worker=src/core/embeddings/embed-worker.ts --bundle --platform=node --format=esm --target=node20 --packages=external --legal-comments=none --log-level=warning --outdir=dist",
        "build:lib": "esbuild lib=src/index.ts embed-worker=src/core/embeddings/embed-worker.ts --bundle --platform=node --format=esm --target=node20 --packages=external --legal-comments=none --log-level=warning --outdir=dist",
        "build:action": "node scripts/build-dist.mjs",
        "build:dist": "npm run build:action && npm run build:lib && npm run build:cli",
        lint: "tsc -p tsconfig.json --noEmit --noUnusedLocals --noUnusedParameters"
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
        "playwright-core": "^1.65.1",
        sharp: "^0.35.5",
        vega: "^6.4.0",
        "vega-embed": "^7.3.0",
        "vega-lite": "^6.4.3",
        zod: "^4.6.7"
      },
      devDependencies: {
        "@types/node": "^20.19.43",
        esbuild: "^0.28.2",
        tsx: "^4.23.15",
        typescript: "5.9"
      },
      optionalDependencies: {
        "@tensorflow/tfjs-node": "^4.22.0",
        "@tensorflow/tfjs-node-gpu": "^4.22.0"
      },
      exports: {
        ".": "./dist/lib.js"
      }
    };
  }
});

// src/core/version.ts
var VERSION;
var init_version = __esm({
  "src/core/version.ts"() {
    "use strict";
    init_package();
    VERSION = package_default.version;
  }
});

// src/core/options.ts
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
    throw new InputError(`Split "${text}": train, val and test must each be above zero; the bake-off needs a validation split and the report a test split.`, "split");
  }
  return { train: train3, val, test };
}
function validateOptions(options) {
  const positive = (name, value, integer2, unit = "") => {
    if (!Number.isFinite(value) || value <= 0 || integer2 && !Number.isInteger(value)) {
      throw new InputError(`${name} must be a positive ${integer2 ? "whole number" : "number"}${unit}, got ${value}.`, name);
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
  if (options.backbones.length === 0) throw new InputError('backbones is empty: name at least one backbone, or "auto".', "backbones");
  return options;
}
var DEFAULT_SPLIT, DEFAULTS;
var init_options = __esm({
  "src/core/options.ts"() {
    "use strict";
    init_errors();
    DEFAULT_SPLIT = { train: 0.7, val: 0.15, test: 0.15 };
    DEFAULTS = {
      backbones: ["auto"],
      budgetSeconds: 600,
      trials: 12,
      epochs: 60,
      fineTune: "auto",
      split: DEFAULT_SPLIT,
      seed: 42,
      maxPixels: 1e8
    };
  }
});

// src/core/atomic.ts
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { dirname, basename, join } from "node:path";
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
  if (code === "ENOSPC") return new InputError(`The disk is full: could not write ${path}. Free some space (or point --cache-dir/--out elsewhere) and run again; finished work in the cache is kept.`, path);
  if (code === "EACCES" || code === "EPERM") return new InputError(`Permission denied writing ${path}. Choose a folder you can write to with --out or --cache-dir.`, path);
  if (code === "EROFS") return new InputError(`${path} is on a read-only file system. Choose a writable folder with --out or --cache-dir.`, path);
  return error;
}
var init_atomic = __esm({
  "src/core/atomic.ts"() {
    "use strict";
    init_errors();
  }
});

// src/core/backend/wasm-grad-kernels.ts
import * as tf from "@tensorflow/tfjs";
function heapF32(backend, t) {
  if (t.dtype !== "float32") {
    throw new Error(`wasm gradient kernels: expected float32, got ${t.dtype}`);
  }
  return backend.typedArrayFromHeap(t);
}
function validRange(size3, outSize, stride, offset) {
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(outSize, Math.floor((size3 - 1 - offset) / stride) + 1);
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
  const top2 = info.padInfo.top;
  const left2 = info.padInfo.left;
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
    colRanges.push(validRange(inWidth, outWidth, strideWidth, kw - left2));
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
      const [oyLo, oyHi] = validRange(inHeight, outHeight, strideHeight, kh - top2);
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
            const rowBase = b * xB + (oy * strideHeight + kh - top2) * xR + (kw - left2) * xC;
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
  const top2 = info.padInfo.top;
  const left2 = info.padInfo.left;
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
    colRanges.push(validRange(inWidth, outWidth, strideWidth, kw - left2));
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
            const iy = oy * strideHeight + kh - top2;
            if (iy < 0 || iy >= inHeight) continue;
            for (let kw = 0; kw < filterWidth; ++kw) {
              if (ox < colRanges[kw][0] || ox >= colRanges[kw][1]) continue;
              const d = ((b * inHeight + iy) * inWidth + ox * strideWidth + kw - left2) * inChannels;
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
  const top2 = info.padInfo.top;
  const left2 = info.padInfo.left;
  const mult = outChannels / inChannels;
  const acc = new Float64Array(filterHeight * filterWidth * outChannels);
  const out = backend.makeOutput([...attrs.filterShape], "float32");
  const xv = heapF32(backend, x);
  const dyv = heapF32(backend, dy);
  const colRanges = [];
  for (let kw = 0; kw < filterWidth; ++kw) {
    colRanges.push(validRange(inWidth, outWidth, strideWidth, kw * dilationWidth - left2));
  }
  for (let b = 0; b < batchSize; ++b) {
    for (let oy = 0; oy < outHeight; ++oy) {
      const dyRow = (b * outHeight + oy) * outWidth * outChannels;
      for (let kh = 0; kh < filterHeight; ++kh) {
        const iy = oy * strideHeight + kh * dilationHeight - top2;
        if (iy < 0 || iy >= inHeight) continue;
        const xRow = (b * inHeight + iy) * inWidth;
        for (let kw = 0; kw < filterWidth; ++kw) {
          const [lo, hi] = colRanges[kw];
          const a0 = (kh * filterWidth + kw) * outChannels;
          for (let ox = lo; ox < hi; ++ox) {
            const xo = (xRow + ox * strideWidth + kw * dilationWidth - left2) * inChannels;
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
  const top2 = info.padInfo.top;
  const left2 = info.padInfo.left;
  const mult = outChannels / inChannels;
  const out = backend.makeOutput([...attrs.inputShape], "float32");
  const dx = heapF32(backend, out);
  const dyv = heapF32(backend, dy);
  const w = heapF32(backend, filter);
  dx.fill(0);
  const colRanges = [];
  for (let kw = 0; kw < filterWidth; ++kw) {
    colRanges.push(validRange(inWidth, outWidth, strideWidth, kw * dilationWidth - left2));
  }
  for (let b = 0; b < batchSize; ++b) {
    for (let oy = 0; oy < outHeight; ++oy) {
      const dyRow = (b * outHeight + oy) * outWidth * outChannels;
      for (let kh = 0; kh < filterHeight; ++kh) {
        const iy = oy * strideHeight + kh * dilationHeight - top2;
        if (iy < 0 || iy >= inHeight) continue;
        const dxRow = (b * inHeight + iy) * inWidth;
        for (let kw = 0; kw < filterWidth; ++kw) {
          const [lo, hi] = colRanges[kw];
          const w0 = (kh * filterWidth + kw) * outChannels;
          for (let ox = lo; ox < hi; ++ox) {
            const xo = (dxRow + ox * strideWidth + kw * dilationWidth - left2) * inChannels;
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
var DEFAULT_IM2COL_BUDGET_FLOATS, im2colBudgetFloats, stockConv2DBackpropInput, KERNELS, fastConv2DBackpropInput;
var init_wasm_grad_kernels = __esm({
  "src/core/backend/wasm-grad-kernels.ts"() {
    "use strict";
    DEFAULT_IM2COL_BUDGET_FLOATS = 8 * 1024 * 1024;
    im2colBudgetFloats = DEFAULT_IM2COL_BUDGET_FLOATS;
    KERNELS = [
      [tf.Conv2DBackpropFilter, conv2DBackpropFilter],
      [tf.DepthwiseConv2dNativeBackpropFilter, depthwiseConv2dNativeBackpropFilter],
      [tf.DepthwiseConv2dNativeBackpropInput, depthwiseConv2dNativeBackpropInput]
    ];
    fastConv2DBackpropInput = conv2DBackpropInput;
  }
});

// src/core/backend/wasm-tile.ts
import * as tf2 from "@tensorflow/tfjs";
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
function registerWasmTile() {
  const current = tf2.getKernel(tf2.Tile, "wasm");
  if (current?.kernelFunc === tile) return;
  stockTile = current;
  if (current) tf2.unregisterKernel(tf2.Tile, "wasm");
  tf2.registerKernel({ kernelName: tf2.Tile, backendName: "wasm", kernelFunc: tile, setupFunc: current?.setupFunc });
}
var stockTile, tile;
var init_wasm_tile = __esm({
  "src/core/backend/wasm-tile.ts"() {
    "use strict";
    tile = ({ inputs, attrs, backend }) => {
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
  }
});

// src/core/backend/select.ts
import * as tf3 from "@tensorflow/tfjs";
import { existsSync, readFileSync } from "node:fs";
function gpuProblem() {
  if (!existsSync("/proc/driver/nvidia/version")) return "no NVIDIA driver found (/proc/driver/nvidia/version is missing)";
  try {
    const version2 = JSON.parse(readFileSync("/usr/local/cuda/version.json", "utf8"))?.cuda?.version;
    if (version2 && !version2.startsWith("11.")) return `CUDA ${version2} found, but tfjs-node-gpu 4.x needs CUDA 11.x (11.2) with cuDNN 8.1; it would run on the CPU`;
  } catch {
  }
  return null;
}
function shortReason(error) {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(message)) return "not installed (optional dependency)";
  return message.split("\n")[0].slice(0, 200);
}
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
  const skipped2 = [];
  for (const candidate of candidates) {
    if (only && candidate.backend !== only) continue;
    const listenersBefore = processListeners();
    try {
      const { gpu } = await candidate.load();
      if (!await tf3.setBackend(candidate.backend)) throw new Error(`the ${candidate.backend} backend did not initialise`);
      await tf3.ready();
      return { name: candidate.backend, package: candidate.package, gpu, threads: 1, skipped: skipped2 };
    } catch (error) {
      skipped2.push({ backend: candidate.package, reason: shortReason(error) });
    } finally {
      removeListenersAddedSince(listenersBefore);
    }
  }
  throw new Error(`No compute backend could start: ${skipped2.map((s) => `${s.backend}: ${s.reason}`).join("; ")}`);
}
function describeBackend(info) {
  const skipped2 = info.skipped.map((s) => `${s.backend.replace("@tensorflow/", "")}: ${s.reason}`).join("; ");
  return `${info.name}${info.gpu ? " on GPU" : ""} (${info.package})${skipped2 ? `; skipped ${skipped2}` : ""}`;
}
function ensureBackend() {
  chosen ??= selectBackend().catch((error) => {
    chosen = null;
    throw error;
  });
  return chosen;
}
var importOptional, DEFAULT_BACKENDS, PROCESS_EVENTS, chosen;
var init_select = __esm({
  "src/core/backend/select.ts"() {
    "use strict";
    init_wasm_grad_kernels();
    init_wasm_tile();
    importOptional = (name) => import(name);
    DEFAULT_BACKENDS = [
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
    PROCESS_EVENTS = ["uncaughtException", "unhandledRejection"];
    chosen = null;
  }
});

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
  const config2 = copy.model_config.config;
  const byName = new Map(config2.layers.map((l) => [l.name, l]));
  if (!byName.has(cutLayer)) throw new Error(`layer "${cutLayer}" is not in the model`);
  const keep = /* @__PURE__ */ new Set();
  const stack = [cutLayer];
  while (stack.length) {
    const name = stack.pop();
    if (keep.has(name)) continue;
    keep.add(name);
    stack.push(...inboundNames(byName.get(name)));
  }
  config2.layers = config2.layers.filter((l) => keep.has(l.name));
  config2.output_layers = [[cutLayer, 0, 0]];
  const inputName = config2.input_layers[0][0];
  const input3 = byName.get(inputName);
  input3.config.batch_input_shape = [null, inputSize, inputSize, 3];
  return copy;
}
function appendLayer(topology, className, name, layerConfig) {
  const config2 = topology.model_config.config;
  const [from] = config2.output_layers[0];
  config2.layers.push({
    name,
    class_name: className,
    config: { name, trainable: true, ...layerConfig },
    inbound_nodes: [[[from, 0, 0, {}]]]
  });
  config2.output_layers = [[name, 0, 0]];
  return topology;
}
function insertAfterInput(topology, className, name, layerConfig) {
  const config2 = topology.model_config.config;
  const inputName = config2.input_layers[0][0];
  for (const layer of config2.layers) {
    for (const node of layer.inbound_nodes) {
      for (const ref of node) if (ref[0] === inputName) ref[0] = name;
    }
  }
  const index = config2.layers.findIndex((l) => l.name === inputName);
  config2.layers.splice(index + 1, 0, {
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
        layers: [{ name: "input", class_name: "InputLayer", config: { batch_input_shape: shape, dtype: "float32", sparse: false, name: "input" }, inbound_nodes: [] }],
        input_layers: [["input", 0, 0]],
        output_layers: [["input", 0, 0]]
      }
    }
  };
}
function topTopology(topology, cutLayer, cutShape) {
  const copy = structuredClone(topology);
  const config2 = copy.model_config.config;
  const byName = new Map(config2.layers.map((l) => [l.name, l]));
  if (!byName.has(cutLayer)) return null;
  const below = /* @__PURE__ */ new Set();
  const stack = [cutLayer];
  while (stack.length) {
    const name = stack.pop();
    if (below.has(name)) continue;
    below.add(name);
    stack.push(...inboundNames(byName.get(name)));
  }
  const inputName = "top_input";
  const top2 = config2.layers.filter((l) => !below.has(l.name));
  for (const layer of top2) {
    for (const node of layer.inbound_nodes) {
      for (const ref of node) {
        if (ref[0] === cutLayer) ref[0] = inputName;
        else if (below.has(ref[0])) return null;
      }
    }
  }
  config2.layers = [
    { name: inputName, class_name: "InputLayer", config: { batch_input_shape: [null, ...cutShape], dtype: "float32", sparse: false, name: inputName }, inbound_nodes: [] },
    ...top2
  ];
  config2.input_layers = [[inputName, 0, 0]];
  config2.name = `${config2.name}_top`;
  return copy;
}
function topologyOf(model5) {
  const json = model5.toJSON(null, false);
  return { keras_version: json.keras_version, backend: json.backend, model_config: { class_name: json.class_name, config: json.config } };
}
var init_keras_topology = __esm({
  "src/core/backbones/keras-topology.ts"() {
    "use strict";
  }
});

// src/core/backbones/hog.ts
import * as tf4 from "@tensorflow/tfjs";
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
function buildHogModel(size3) {
  const input3 = tf4.input({ shape: [size3, size3, 3], name: "input" });
  const conv = tf4.layers.conv2d({ filters: HOG_DIRECTIONS, kernelSize: 3, padding: "same", useBias: false, trainable: false, name: "hog_gradients" });
  let edges = conv.apply(input3);
  edges = tf4.layers.reLU({ name: "hog_relu" }).apply(edges);
  const cells = tf4.layers.averagePooling2d({ poolSize: HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_cells" }).apply(edges);
  const padded = tf4.layers.zeroPadding2d({ padding: HOG_CELL / 2, name: "hog_block_pad" }).apply(edges);
  const blocks = tf4.layers.averagePooling2d({ poolSize: 2 * HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_blocks" }).apply(padded);
  let x = tf4.layers.concatenate({ name: "hog_scales" }).apply([cells, blocks]);
  x = tf4.layers.activation({ activation: "softsign", name: "hog_compress" }).apply(x);
  x = tf4.layers.flatten({ name: "hog_features" }).apply(x);
  const model5 = tf4.model({ inputs: input3, outputs: x, name: "hog" });
  tf4.tidy(() => conv.setWeights([tf4.tensor4d(hogKernel(), [3, 3, 3, HOG_DIRECTIONS])]));
  return model5;
}
function hogCacheKey(size3) {
  return `hog-v2|${size3}|cell${HOG_CELL}|dir${HOG_DIRECTIONS}|scale${EDGE_SCALE}|fill`;
}
function hogDisplayName(size3) {
  const cells = Math.floor(size3 / HOG_CELL);
  return `HOG (${cells}\xD7${cells} cells) @${size3}`;
}
var HOG, HOG_DEFAULT_SIZE, HOG_CELL, HOG_DIRECTIONS, EDGE_SCALE, LUMA;
var init_hog = __esm({
  "src/core/backbones/hog.ts"() {
    "use strict";
    HOG = "hog";
    HOG_DEFAULT_SIZE = 32;
    HOG_CELL = 4;
    HOG_DIRECTIONS = 8;
    EDGE_SCALE = 0.05;
    LUMA = [0.299, 0.587, 0.114];
  }
});

// src/core/backbones/source.ts
import { createHash, randomBytes as randomBytes2 } from "node:crypto";
import { mkdir as mkdir2, readFile, rename as rename2, rm as rm2, stat, writeFile as writeFile2 } from "node:fs/promises";
import { basename as basename2, dirname as dirname2, join as join2, resolve } from "node:path";
async function loadModelSource(source, cacheDir) {
  const isUrl = /^https?:\/\//i.test(source);
  const dir = isUrl ? await downloadModel(source, cacheDir) : dirname2(resolve(source));
  const jsonPath = isUrl ? join2(dir, "model.json") : resolve(source);
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
    const file = join2(dir, path);
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
    displayName: isUrl ? new URL(source).pathname.split("/").filter(Boolean).slice(-2, -1)[0] ?? "model" : basename2(dirname2(resolve(source))),
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
  const dir = join2(cacheDir, "backbones", createHash("sha256").update(url).digest("hex").slice(0, 20));
  if (await stat(join2(dir, ".complete")).catch(() => null)) return dir;
  const temp = `${dir}.${process.pid}.${randomBytes2(4).toString("hex")}.tmp`;
  await rm2(temp, { recursive: true, force: true });
  await mkdir2(temp, { recursive: true });
  const modelJson = await fetchBytes(url, "model.json", url);
  let json;
  try {
    json = JSON.parse(modelJson.toString("utf8"));
  } catch {
    throw new InputError(`The backbone URL ${url} did not return a model.json (not JSON). Point to the model.json of a TF.js model.`, url);
  }
  await writeFile2(join2(temp, "model.json"), modelJson);
  for (const path of (json.weightsManifest ?? []).flatMap((g) => g.paths)) {
    if (path.includes("..") || path.startsWith("/")) throw new InputError(`Backbone model ${url} names an unsafe weight path "${path}"; refused.`, url);
    const data = await fetchBytes(new URL(path, url).href, `weights "${path}"`, url);
    await mkdir2(dirname2(join2(temp, path)), { recursive: true });
    await writeFile2(join2(temp, path), data);
  }
  await writeFile2(join2(temp, ".source"), url);
  await writeFile2(join2(temp, ".complete"), "");
  await mkdir2(dirname2(dir), { recursive: true });
  try {
    await rename2(temp, dir);
  } catch (error) {
    await rm2(temp, { recursive: true, force: true });
    if (await stat(join2(dir, ".complete")).catch(() => null)) return dir;
    if (attempt > 0) throw explainWriteError(error, dir);
    await rm2(dir, { recursive: true, force: true });
    return downloadModel(url, cacheDir, attempt + 1);
  }
  return dir;
}
var OFFLINE_HINT;
var init_source = __esm({
  "src/core/backbones/source.ts"() {
    "use strict";
    init_atomic();
    init_errors();
    OFFLINE_HINT = "Without network access, use a built-in backbone (mobilenet_v2, inception_v3, hog, small_cnn) or a local model.json path.";
  }
});

// src/core/backbones/zoo.ts
import * as tf5 from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import { dirname as dirname3, join as join3 } from "node:path";
function autoBackbones(nativeBackend, typicalSide) {
  const mobilenetSize = !typicalSide || typicalSide >= 192 ? 224 : typicalSide >= 112 ? 160 : 96;
  const cnnSize = typicalSide && typicalSide < SMALL_CNN_DEFAULT_SIZE ? Math.max(16, typicalSide) : SMALL_CNN_DEFAULT_SIZE;
  const hogSize = typicalSide ? Math.min(64, Math.max(16, typicalSide - typicalSide % HOG_CELL)) : HOG_DEFAULT_SIZE;
  const names = [`mobilenet_v2@${mobilenetSize}`, `${HOG}@${hogSize}`, `${SMALL_CNN}@${cnnSize}`];
  return nativeBackend ? [names[0], `inception_v3@${!typicalSide || typicalSide >= 192 ? 299 : 160}`, ...names.slice(1)] : names;
}
function validNamesHint() {
  return `Valid backbones: ${BACKBONE_NAMES.join(", ")}, auto, an https:// URL of a TF.js model.json, or a path to a local model.json (optionally with @<input size>, e.g. mobilenet_v2@160).`;
}
function parseBackboneSpec(text) {
  const trimmed = text.trim();
  let rest = trimmed;
  let range = [0, 1];
  const rangeMatch = /,range=(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(rest);
  if (rangeMatch) {
    range = [Number(rangeMatch[1]), Number(rangeMatch[2])];
    rest = rest.slice(0, rangeMatch.index);
    if (!(range[1] > range[0])) throw new InputError(`Backbone "${text}": range must be min:max with max above min, e.g. range=0:1 or range=-1:1.`, text);
  }
  let size3;
  const sizeMatch = /@(\d+)$/.exec(rest);
  if (sizeMatch) {
    size3 = Number(sizeMatch[1]);
    rest = rest.slice(0, sizeMatch.index);
  } else if (/@[^/]*$/.test(rest) && !/^https?:/.test(rest)) {
    throw new InputError(`Backbone "${text}": the part after @ must be an input size in pixels, e.g. mobilenet_v2@160.`, text);
  }
  const name = rest.toLowerCase();
  if (name === SMALL_CNN) {
    const inputSize = size3 ?? SMALL_CNN_DEFAULT_SIZE;
    if (inputSize < 8 || inputSize > 128) throw new InputError(`Backbone "${text}": small_cnn input size must be between 8 and 128 pixels.`, text);
    return { id: `${SMALL_CNN}@${inputSize}`, source: SMALL_CNN, builtin: true, inputSize, range: [0, 1] };
  }
  if (name === HOG) {
    const inputSize = size3 ?? HOG_DEFAULT_SIZE;
    if (inputSize < 8 || inputSize > 256) throw new InputError(`Backbone "${text}": hog input size must be between 8 and 256 pixels.`, text);
    return { id: `${HOG}@${inputSize}`, source: HOG, builtin: true, inputSize, range: [0, 1] };
  }
  const builtin = BUILTIN_BACKBONES[name];
  if (builtin) {
    const inputSize = size3 ?? builtin.defaultSize;
    if (inputSize < builtin.minSize || inputSize > 1024) {
      throw new InputError(`Backbone "${text}": ${name} needs an input size between ${builtin.minSize} and 1024 pixels.`, text);
    }
    return { id: `${name}@${inputSize}`, source: name, builtin: true, inputSize, range: [0, 1] };
  }
  const userModelSize = (example) => {
    if (size3 === void 0) throw new InputError(`Backbone "${text}": say the model's input size, e.g. ${example}@224 (and its value range if not 0\u20131, e.g. ${example}@224,range=-1:1).`, text);
    if (size3 < 8 || size3 > 1024) throw new InputError(`Backbone "${text}": the input size must be between 8 and 1024 pixels, got ${size3}.`, text);
    return size3;
  };
  const rangeSuffix = rangeMatch ? `,range=${range[0]}:${range[1]}` : "";
  if (/^[a-z][a-z0-9+.-]+:/i.test(rest)) {
    let url;
    try {
      url = new URL(rest);
    } catch {
      throw new InputError(`Backbone "${text}" is not a valid URL. ${validNamesHint()}`, text);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new InputError(`Backbone "${text}": only http:// and https:// URLs are supported. ${validNamesHint()}`, text);
    }
    if (!/^https?:\/\/[^/]/i.test(rest)) throw new InputError(`Backbone "${text}" is not a valid URL: write it as ${url.protocol}//host/path/model.json.`, text);
    if (url.username || url.password) throw new InputError(`Backbone URL "${url.protocol}//${url.host}${url.pathname}" contains credentials; they would end up in logs and reports. Use a URL that needs none, or download the model and give its local path.`, url.host);
    const inputSize = userModelSize(rest);
    return { id: `${url.href}@${inputSize}${rangeSuffix}`, source: url.href, builtin: false, inputSize, range };
  }
  if (rest.endsWith(".json") || rest.includes("/")) {
    const inputSize = userModelSize(rest);
    return { id: `${rest}@${inputSize}${rangeSuffix}`, source: rest, builtin: false, inputSize, range };
  }
  throw new InputError(`Unknown backbone "${text}". ${validNamesHint()}`, text);
}
function nsfwjsModelFiles(model5) {
  const distDir = join3(dirname3(require2.resolve("nsfwjs")), "..", "models", model5);
  const topology = require2(join3(distDir, "model.min.js"));
  const buffers = [];
  for (const path of topology.weightsManifest.flatMap((g) => g.paths)) {
    buffers.push(Buffer.from(require2(join3(distDir, `${path}.min.js`)), "base64"));
  }
  const all = Buffer.concat(buffers);
  return { topology, weights: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
}
async function layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey) {
  const model5 = await tf5.loadLayersModel(tf5.io.fromMemory({ modelTopology: topology, weightSpecs, weightData }), { strict: false });
  const outputRank = model5.outputs[0].shape.length;
  const functional = Boolean(topology.model_config?.config?.output_layers);
  if (outputRank === 4 && functional) {
    model5.dispose();
    appendLayer(topology, "GlobalAveragePooling2D", "backbone_pool", { data_format: "channels_last" });
    return layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey);
  }
  if (outputRank === 4) {
    const pooled = tf5.model({ inputs: model5.inputs, outputs: tf5.layers.globalAveragePooling2d({}).apply(model5.outputs[0]) });
    return fromLayersModel(spec, displayName, pooled, null, cacheKey);
  }
  if (outputRank !== 2) throw new InputError(`Backbone "${spec.id}" outputs rank-${outputRank} tensors; a feature vector (rank 2) or feature maps (rank 4) are needed.`, spec.id);
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
      return tf5.tidy(() => {
        const x = tf5.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
        return model5.predict(x).dataSync();
      });
    },
    dispose: () => model5.dispose()
  };
}
function fromGraphModel(spec, displayName, model5, cacheKey) {
  const [low, high] = spec.range;
  const probe = tf5.tidy(() => model5.predict(tf5.zeros([1, spec.inputSize, spec.inputSize, 3])));
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
      return tf5.tidy(() => {
        const x = tf5.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
        let y = model5.predict(x);
        if (pool) y = y.mean([1, 2]);
        return y.dataSync();
      });
    },
    dispose: () => model5.dispose()
  };
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
    const topology2 = cutTopology(files.topology.modelTopology, builtin.cutLayer, spec.inputSize);
    const specs = files.topology.weightsManifest.flatMap((g) => g.weights);
    return layersExtractor(spec, `${builtin.displayName} @${spec.inputSize}`, topology2, specs, files.weights, `nsfwjs-${builtin.nsfwjsModel}-v1|${spec.inputSize}|${spec.range.join(":")}|fill`);
  }
  const source = await loadModelSource(spec.source, context.cacheDir);
  const cacheKey = `${source.contentHash}|${spec.inputSize}|${spec.range.join(":")}|fill`;
  const displayName = `${source.displayName} @${spec.inputSize}`;
  if (source.kind === "graph") {
    const model5 = await tf5.loadGraphModel(tf5.io.fromMemory(source.artifacts));
    return { ...fromGraphModel(spec, displayName, model5, cacheKey), sourceDir: source.dir };
  }
  const topology = structuredClone(source.artifacts.modelTopology);
  const loose = topology;
  const inputLayer = (topology.model_config?.config?.layers ?? loose.config?.layers)?.[0];
  if (inputLayer?.config && Array.isArray(inputLayer.config.batch_input_shape)) {
    inputLayer.config.batch_input_shape = [null, spec.inputSize, spec.inputSize, 3];
  }
  const extractor = await layersExtractor(spec, displayName, topology, source.artifacts.weightSpecs ?? [], source.artifacts.weightData, cacheKey);
  return { ...extractor, sourceDir: source.dir };
}
var BUILTIN_BACKBONES, SMALL_CNN, SMALL_CNN_DEFAULT_SIZE, BACKBONE_NAMES, require2;
var init_zoo = __esm({
  "src/core/backbones/zoo.ts"() {
    "use strict";
    init_errors();
    init_hog();
    init_keras_topology();
    init_source();
    BUILTIN_BACKBONES = {
      mobilenet_v2: { displayName: "MobileNetV2", defaultSize: 224, minSize: 32, cutLayer: "out_relu", fineTuneCut: "block_15_add", nsfwjsModel: "mobilenet_v2" },
      inception_v3: { displayName: "InceptionV3", defaultSize: 299, minSize: 75, cutLayer: "mixed10", fineTuneCut: "mixed9", nsfwjsModel: "inception_v3" }
    };
    SMALL_CNN = "small_cnn";
    SMALL_CNN_DEFAULT_SIZE = 32;
    BACKBONE_NAMES = [...Object.keys(BUILTIN_BACKBONES), HOG, SMALL_CNN];
    require2 = createRequire(import.meta.url);
  }
});

// src/core/backbones/fine-tune-split.ts
import * as tf6 from "@tensorflow/tfjs";
function fineTuneUnsupported(extractor) {
  if (extractor.spec.source === HOG) return `${extractor.spec.id} has no learned weights to fine-tune`;
  if (!extractor.spec.builtin || !BUILTIN_BACKBONES[extractor.spec.source]) return `${extractor.spec.id} is not a built-in Keras backbone; only those can be fine-tuned`;
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
  const top2 = await tf6.models.modelFromJSON({ modelTopology: topJson });
  for (const layer of top2.layers) {
    const weights = layer.getWeights().length ? model5.getLayer(layer.name).getWeights() : [];
    if (weights.length) layer.setWeights(weights);
  }
  const baseModel = tf6.model({ inputs: model5.inputs, outputs: cutOutput });
  const base = fromLayersModel(extractor.spec, `${extractor.displayName} (up to ${cutLayer})`, baseModel, null, `${extractor.cacheKey}|activations:${cutLayer}`);
  base.dispose = () => {
  };
  base.featureDim = cutShape.reduce((a, b) => a * b, 1);
  return { cutLayer, cutShape, base, top: top2 };
}
var init_fine_tune_split = __esm({
  "src/core/backbones/fine-tune-split.ts"() {
    "use strict";
    init_keras_topology();
    init_hog();
    init_zoo();
  }
});

// src/core/dataset/image-sizes.ts
import sharp from "sharp";
async function typicalImageSide(paths, sampleSize = 200) {
  const step = Math.max(1, Math.floor(paths.length / sampleSize));
  const sides = [];
  for (let i = 0; i < paths.length && sides.length < sampleSize; i += step) {
    try {
      const { width, height, orientation } = await sharp(paths[i]).metadata();
      if (width && height) sides.push(orientation && orientation >= 5 ? Math.min(height, width) : Math.min(width, height));
    } catch {
    }
  }
  if (!sides.length) return null;
  sides.sort((a, b) => a - b);
  return sides[Math.floor(sides.length / 2)];
}
var init_image_sizes = __esm({
  "src/core/dataset/image-sizes.ts"() {
    "use strict";
  }
});

// src/core/dataset/decode.ts
import sharp2 from "sharp";
async function decodeToRgb(input3, size3, maxPixels) {
  const quirky = typeof input3 === "string" && tolerated.has(input3);
  try {
    return await gate.shared(() => decode(input3, size3, maxPixels, quirky ? "error" : "warning"));
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    return gate.alone(() => diagnose(input3, size3, maxPixels));
  }
}
async function decode(input3, size3, maxPixels, failOn) {
  const header = await sharp2(input3, { limitInputPixels: false, pages: 1 }).metadata();
  if (!SUPPORTED_FORMATS.has(header.format ?? "")) {
    throw new DecodeError(`the contents are ${String(header.format ?? "unknown").toUpperCase()}, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  }
  const { width = 0, height = 0 } = header;
  if (width * height > maxPixels) {
    throw new DecodeError(
      `image is larger than ${maxPixels.toLocaleString("en")} pixels (it declares ${width}\xD7${height} = ${(width * height).toLocaleString("en")}; possible decompression bomb); downscale it, or raise the pixel cap (max-pixels) if it is legitimate`
    );
  }
  const { data, info } = await decodePixels(input3, size3, maxPixels, failOn);
  return toRgb(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels);
}
async function diagnose(input3, size3, maxPixels) {
  try {
    return await decode(input3, size3, maxPixels, "warning");
  } catch (strict) {
    if (strict instanceof DecodeError) throw strict;
    if (DAMAGE_WARNINGS.test(messageOf(strict))) throw new DecodeError(explainDecodeFailure(strict, maxPixels));
    try {
      const pixels = await decode(input3, size3, maxPixels, "error");
      if (typeof input3 === "string") tolerated.add(input3);
      return pixels;
    } catch (error) {
      throw error instanceof DecodeError ? error : new DecodeError(explainDecodeFailure(error, maxPixels));
    }
  }
}
function decodePixels(input3, size3, maxPixels, failOn) {
  return sharp2(input3, { limitInputPixels: maxPixels, failOn, animated: false, pages: 1 }).rotate().flatten({ background: "#ffffff" }).toColourspace("srgb").resize(size3, size3, { fit: RESIZE_MODE, kernel: "lanczos3" }).raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
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
var RESIZE_MODE, DecodeError, SUPPORTED_FORMATS, SUPPORTED_LIST, tolerated, DecodeGate, gate, DAMAGE_WARNINGS;
var init_decode = __esm({
  "src/core/dataset/decode.ts"() {
    "use strict";
    RESIZE_MODE = "fill";
    DecodeError = class extends Error {
      name = "DecodeError";
    };
    sharp2.concurrency(0);
    SUPPORTED_FORMATS = /* @__PURE__ */ new Set(["jpeg", "png", "webp", "gif", "heif", "tiff"]);
    SUPPORTED_LIST = "JPEG, PNG, WebP, GIF, AVIF, TIFF";
    tolerated = /* @__PURE__ */ new Set();
    DecodeGate = class {
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
        this.closed = new Promise((resolve4) => open2 = resolve4);
        try {
          if (this.active > 0) await new Promise((resolve4) => this.onIdle.push(resolve4));
          return await work();
        } finally {
          this.closed = null;
          open2();
        }
      }
    };
    gate = new DecodeGate();
    DAMAGE_WARNINGS = /corrupt jpeg data: (bad huffman code|bad arithmetic code|premature end of data segment|found marker)|premature end of jpeg|inconsistent progression/i;
  }
});

// src/core/dataset/scan.ts
import { createHash as createHash2 } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open, readdir, realpath, stat as stat2 } from "node:fs/promises";
import { join as join4, relative, sep } from "node:path";
function extensionOf(name) {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}
function toPosix(path) {
  return sep === "/" ? path : path.split(sep).join("/");
}
async function scanDataset(root, limits = SCAN_LIMITS) {
  let rootReal;
  try {
    rootReal = await realpath(root);
    if (!(await stat2(rootReal)).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new InputError(`Dataset "${root}" was not found or is not a folder. Point to a folder of <label>/<image> files (or a .zip of one).`, root);
  }
  const skipped2 = [];
  const top2 = await readdir(rootReal, { withFileTypes: true }).catch((error) => {
    throw new InputError(`Dataset "${root}" cannot be read (${errorCode(error)}). Give the user running classifier-ci read access to it.`, root);
  });
  top2.sort((a, b) => a.name < b.name ? -1 : 1);
  const topDirs = top2.filter((e) => e.isDirectory() || e.isSymbolicLink());
  const splitDirs = topDirs.filter((e) => SPLIT_FOLDERS[e.name.toLowerCase()]);
  const explicitSplits2 = splitDirs.length >= 2 && splitDirs.length === topDirs.length;
  const records = [];
  const visitedDirs = /* @__PURE__ */ new Set([rootReal]);
  const walkContext = { rootReal, skipped: skipped2, records, visitedDirs, limits };
  for (const entry of top2) {
    const full = join4(rootReal, entry.name);
    const rel = entry.name;
    if (isHidden(entry.name)) {
      skipped2.push({ file: rel, reason: "hidden or system file" });
      continue;
    }
    const kind = await resolveEntry(full, rel, walkContext);
    if (kind === "file") {
      skipped2.push({ file: rel, reason: "file at the top level, outside any label folder: move it into dataset/<label>/" });
      continue;
    }
    if (kind !== "dir") continue;
    if (explicitSplits2) {
      const split = SPLIT_FOLDERS[entry.name.toLowerCase()];
      const labels = await listFolder(full, rel, walkContext);
      for (const labelEntry of labels ?? []) {
        const labelFull = join4(full, labelEntry.name);
        const labelRel = `${rel}/${labelEntry.name}`;
        if (isHidden(labelEntry.name)) {
          skipped2.push({ file: labelRel, reason: "hidden or system file" });
          continue;
        }
        const labelKind = await resolveEntry(labelFull, labelRel, walkContext);
        if (labelKind === "file") {
          skipped2.push({ file: labelRel, reason: `file directly in ${rel}/, outside any label folder: move it into ${rel}/<label>/` });
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
  skipped2.sort((a, b) => a.file < b.file ? -1 : 1);
  return { records, skipped: skipped2, explicitSplits: explicitSplits2 };
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
    target = await realpath(full);
  } catch {
    return skip("broken symbolic link");
  }
  const inside = relative(ctx.rootReal, target);
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
    real = await realpath(dir);
  } catch (error) {
    ctx.skipped.push({ file: `${rel}/`, reason: unreadable(error, "folder") });
    return;
  }
  if (ctx.visitedDirs.has(real) && real !== dir) return;
  ctx.visitedDirs.add(real);
  const entries = await listFolder(dir, rel, ctx);
  for (const entry of entries ?? []) {
    const full = join4(dir, entry.name);
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
        ctx.skipped.push({ file: entryRel, reason: `not an image file (${extensionOf(entry.name) || "no extension"}); supported: ${[...IMAGE_EXTENSIONS].join(" ")}` });
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
function size(bytes2) {
  return bytes2 >= 1024 ** 3 ? `${(bytes2 / 1024 ** 3).toFixed(1)} GiB` : `${(bytes2 / 1024 ** 2).toFixed(1)} MiB`;
}
async function hashImageFile(path, limits) {
  const tooBig = (bytes2) => ({
    reason: `file is ${size(bytes2)}, more than the limit of ${size(limits.maxFileBytes)} for one image; downscale or re-compress it, or remove it`
  });
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { reason: unreadable(error, "file") };
  }
  try {
    const info = await handle.stat();
    const special = specialFile(info);
    if (special) return { reason: special };
    if (info.size === 0) return { reason: "empty file (0 bytes)" };
    if (info.size > limits.maxFileBytes) return tooBig(info.size);
    const hash = createHash2("sha256");
    const buffer = Buffer.allocUnsafe(Math.min(info.size, HASH_CHUNK));
    let bytes2 = 0;
    for (; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes2 += bytesRead;
      if (bytes2 > limits.maxFileBytes) return tooBig(bytes2);
    }
    if (bytes2 === 0) return { reason: "empty file (0 bytes)" };
    return { sha256: hash.digest("hex"), bytes: bytes2 };
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
var SCAN_LIMITS, IMAGE_EXTENSIONS, SYSTEM_FILES, SPLIT_FOLDERS, HASH_CHUNK;
var init_scan = __esm({
  "src/core/dataset/scan.ts"() {
    "use strict";
    init_errors();
    SCAN_LIMITS = { maxFileBytes: 1024 ** 3 };
    IMAGE_EXTENSIONS = /* @__PURE__ */ new Set([".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff"]);
    SYSTEM_FILES = /* @__PURE__ */ new Set(["thumbs.db", "desktop.ini", "icon\r"]);
    SPLIT_FOLDERS = { train: "train", val: "val", valid: "val", validation: "val", test: "test" };
    HASH_CHUNK = 1024 ** 2;
  }
});

// src/core/dataset/split.ts
import { createHash as createHash3 } from "node:crypto";
function splitPoint(sha256, seed) {
  const digest = createHash3("sha256").update(`split:${seed}:${sha256}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
function assignSplits(records, ratios, seed) {
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
        `Label "${label}" has ${images.length} image${images.length === 1 ? "" : "s"}; each label needs at least ${MIN_IMAGES_PER_LABEL} (one each for train, validation and test), and 20 or more to train well. Add images to dataset/${label}/ or remove the folder.`,
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
  const counts2 = { train: 0, val: 0, test: 0 };
  for (const a of assigned) counts2[a.split]++;
  const low = wanted === "train" ? 0 : wanted === "val" ? ratios.train : ratios.train + ratios.val;
  const high = wanted === "train" ? ratios.train : wanted === "val" ? ratios.train + ratios.val : 1;
  const distance = (p) => p < low ? low - p : p >= high ? p - high : 0;
  const donors = assigned.filter((a) => counts2[a.split] > 1).sort((a, b) => distance(a.point) - distance(b.point));
  if (donors[0]) donors[0].split = wanted;
}
function explicitSplits(records) {
  const seen = /* @__PURE__ */ new Map();
  for (const r of records) {
    const set = seen.get(r.label) ?? /* @__PURE__ */ new Set();
    set.add(r.split);
    seen.set(r.label, set);
  }
  for (const [label, splits] of seen) {
    for (const needed of ["train", "val", "test"]) {
      if (!splits.has(needed)) {
        throw new InputError(`Label "${label}" has no images in ${needed}/. With an explicit train/ val/ test/ layout, every label needs images in all three.`, label);
      }
    }
  }
  return records.map((r) => ({ ...r, split: r.split }));
}
var MIN_IMAGES_PER_LABEL;
var init_split = __esm({
  "src/core/dataset/split.ts"() {
    "use strict";
    init_errors();
    MIN_IMAGES_PER_LABEL = 3;
  }
});

// src/core/dataset/zip.ts
import { createHash as createHash4, randomBytes as randomBytes3 } from "node:crypto";
import { mkdir as mkdir3, readdir as readdir2, readFile as readFile2, rename as rename3, rm as rm3, stat as stat3, writeFile as writeFile3 } from "node:fs/promises";
import { join as join5, posix } from "node:path";
import { inflateSync } from "fflate";
function crc32(bytes2) {
  let crc = 4294967295;
  for (let i = 0; i < bytes2.length; i++) crc = CRC_TABLE[(crc ^ bytes2[i]) & 255] ^ crc >>> 8;
  return (crc ^ 4294967295) >>> 0;
}
function size2(bytes2) {
  if (bytes2 >= 1024 ** 3) return `${(bytes2 / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes2 >= 1024 ** 2) return `${(bytes2 / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes2.toLocaleString("en")} bytes`;
}
function readCentralDirectory(zip, source) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (view.getUint32(i, true) === 101010256) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new InputError(`${source} is not a readable .zip archive (no central directory; damaged or not a zip). Re-create the archive.`, source);
  const count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (count === 65535 || offset === 4294967295 || eocd >= 20 && view.getUint32(eocd - 20, true) === 117853008) {
    throw new InputError(`${source} is a ZIP64 archive (over 65,535 entries or 4 GiB), which is not supported. Split it into smaller archives or unpack it into a folder.`, source);
  }
  const entries = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || view.getUint32(offset, true) !== 33639248) {
      throw new InputError(`${source} is damaged: its table of contents is cut short. Re-create the archive.`, source);
    }
    const flags = view.getUint16(offset + 8, true);
    const method = view.getUint16(offset + 10, true);
    const crc = view.getUint32(offset + 16, true);
    const compressedSize = view.getUint32(offset + 20, true);
    const size3 = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const localHeaderOffset = view.getUint32(offset + 42, true);
    const name = decoder.decode(zip.subarray(offset + 46, offset + 46 + nameLength));
    entries.push({ name, encrypted: (flags & 65) !== 0, method, crc, compressedSize, size: size3, localHeaderOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
function safeEntryPath(name) {
  const normal = name.replace(/\\/g, "/");
  if (normal.startsWith("/") || /^[a-zA-Z]:/.test(normal) || normal.includes("\0")) return null;
  const cleaned = posix.normalize(normal);
  if (cleaned === ".." || cleaned.startsWith("../") || cleaned.split("/").includes("..")) return null;
  return cleaned;
}
async function extractZipDataset(zipPath, workDir, limits = ZIP_LIMITS) {
  const zip = new Uint8Array(await readFile2(zipPath));
  const digest = createHash4("sha256").update(zip).digest("hex").slice(0, 16);
  const target = join5(workDir, "datasets", digest);
  if (await isComplete(target)) return contentRoot(target);
  const entries = readCentralDirectory(zip, zipPath);
  if (entries.length > limits.maxEntries) {
    throw new InputError(`${zipPath} has ${entries.length.toLocaleString("en")} entries, more than the limit of ${limits.maxEntries.toLocaleString("en")} (possible zip bomb). Split the dataset or unpack it into a folder.`, zipPath);
  }
  let total = 0;
  for (const entry of entries) {
    if (safeEntryPath(entry.name) === null) {
      throw new InputError(`${zipPath} contains an entry that points outside the archive ("${entry.name}"). Such archives are refused; re-create it with relative paths.`, zipPath);
    }
    if (entry.encrypted) throw new InputError(`${zipPath} is encrypted ("${entry.name}"). Password-protected archives are not supported; re-create it without a password.`, zipPath);
    if (entry.size > limits.maxEntryBytes) {
      throw new InputError(`${zipPath}: "${entry.name}" would unpack to ${size2(entry.size)}, more than the limit of ${size2(limits.maxEntryBytes)} for one file (possible zip bomb). Unpack it yourself if it is legitimate.`, zipPath);
    }
    total += entry.size;
  }
  if (total > limits.maxTotalBytes) {
    throw new InputError(`${zipPath} would unpack to ${size2(total)}, more than the limit of ${size2(limits.maxTotalBytes)} (possible zip bomb). Unpack it yourself if it is legitimate.`, zipPath);
  }
  checkNameClashes(entries, zipPath);
  const temp = `${target}.${process.pid}.${randomBytes3(4).toString("hex")}.tmp`;
  try {
    for (const entry of entries) {
      if (entry.name.endsWith("/")) continue;
      const data = readEntry(zip, entry, zipPath);
      const out = join5(temp, safeEntryPath(entry.name));
      await mkdir3(join5(out, ".."), { recursive: true }).then(() => writeFile3(out, data)).catch((error) => {
        if (error.code === "ENAMETOOLONG") {
          throw new InputError(`${zipPath}: "${entry.name}" has a name too long for this file system. Shorten it and re-create the archive.`, zipPath);
        }
        throw error;
      });
    }
    await mkdir3(temp, { recursive: true });
    await writeFile3(join5(temp, ".complete"), "");
    await mkdir3(join5(target, ".."), { recursive: true });
    await rename3(temp, target).catch(async (error) => {
      if (await isComplete(target)) return rm3(temp, { recursive: true, force: true });
      throw error;
    });
  } catch (error) {
    await rm3(temp, { recursive: true, force: true });
    throw explainWriteError(error, temp);
  }
  return contentRoot(target);
}
function checkNameClashes(entries, source) {
  const files = /* @__PURE__ */ new Set();
  const folders = /* @__PURE__ */ new Set();
  for (const entry of entries) {
    const path = safeEntryPath(entry.name).replace(/\/+$/, "");
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
    if (folders.has(path)) throw new InputError(`${source} has both a file and a folder named "${path}". Rename one of them and re-create the archive.`, source);
  }
}
async function isComplete(dir) {
  return Boolean(await stat3(join5(dir, ".complete")).catch(() => null));
}
function readEntry(zip, entry, source) {
  const damaged = (why) => new InputError(`${source} is damaged: "${entry.name}" ${why}. Re-create the archive.`, source);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || view.getUint32(at, true) !== 67324752) throw damaged("has no local header where the table of contents says");
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > zip.length) throw damaged("is cut short");
  const packed = zip.subarray(start, start + entry.compressedSize);
  let data;
  if (entry.method === 0) {
    data = packed;
  } else if (entry.method === 8) {
    try {
      data = inflateSync(packed, { out: new Uint8Array(entry.size) });
    } catch (error) {
      throw damaged(`cannot be inflated (${error.message})`);
    }
  } else {
    throw new InputError(`${source}: "${entry.name}" uses compression method ${entry.method}, which is not supported. Re-create the archive with standard (deflate) compression.`, source);
  }
  if (data.length !== entry.size) throw damaged(`unpacks to ${data.length} bytes, not the ${entry.size} its table of contents declares`);
  if (crc32(data) !== entry.crc) throw damaged("fails its CRC-32 check");
  return data;
}
async function contentRoot(target) {
  const visible = (await readdir2(target, { withFileTypes: true })).filter((e) => !e.name.startsWith(".") && e.name !== "__MACOSX");
  if (visible.length === 1 && visible[0].isDirectory()) {
    const inner = join5(target, visible[0].name);
    const innerEntries = (await readdir2(inner, { withFileTypes: true })).filter((e) => !e.name.startsWith("."));
    if (innerEntries.length > 0 && innerEntries.every((e) => e.isDirectory())) return inner;
  }
  return target;
}
var ZIP_LIMITS, CRC_TABLE;
var init_zip = __esm({
  "src/core/dataset/zip.ts"() {
    "use strict";
    init_atomic();
    init_errors();
    ZIP_LIMITS = { maxEntries: 2e5, maxTotalBytes: 8 * 1024 ** 3, maxEntryBytes: 1024 ** 3 };
    CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 3988292384 ^ c >>> 1 : c >>> 1;
      return c >>> 0;
    });
  }
});

// src/core/dataset/prepare.ts
import { createHash as createHash5 } from "node:crypto";
import { stat as stat4 } from "node:fs/promises";
import { extname } from "node:path";
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
      if (held) log.warn(`Skipped ${held.toLocaleString("en")} more file${held === 1 ? "" : "s"}, not shown one by one here: result.json (dataset.skipped) and report.html list every skipped file with its reason.`);
      held = 0;
    }
  };
}
async function prepareDataset(options, log) {
  let root = options.datasetPath;
  const info = await stat4(root).catch((error) => {
    if (error.code === "EACCES" || error.code === "EPERM") {
      throw new InputError(`Dataset "${root}" cannot be read (permission denied). Give the user running classifier-ci read access to it.`, root);
    }
    return null;
  });
  if (!info) throw new InputError(`Dataset "${root}" was not found. Point to a folder of <label>/<image> files (or a .zip of one).`, root);
  if (info.isFile()) {
    if (!root.toLowerCase().endsWith(".zip")) {
      throw new InputError(`Dataset "${root}" is a file, not a folder. Give a folder of <label>/<image> files or a .zip of one.`, root);
    }
    root = await extractZipDataset(root, options.workDir, options.zipLimits);
  }
  const scan = await scanDataset(root, options.scanLimits);
  const skipped2 = [...scan.skipped];
  const skips = skipLog(log);
  try {
    skips.report(scan.skipped);
    const decoded = await validateImages(scan.records, options.maxPixels, log);
    skips.report(decoded.skipped);
    skipped2.push(...decoded.skipped);
    const unique = dropDuplicates(decoded.records);
    skips.report(unique.skipped);
    skipped2.push(...unique.skipped);
    const labels = [...new Set(unique.records.map((r) => r.label))].sort();
    if (unique.records.length === 0) {
      const loose = scan.skipped.filter((s) => !s.file.includes("/") && IMAGE_EXTENSIONS.has(extname(s.file).toLowerCase()));
      if (loose.length > 0) {
        throw new InputError(
          `Dataset "${options.datasetPath}" has ${loose.length} image${loose.length === 1 ? "" : "s"} at the top level (e.g. ${loose[0].file}) but no label folders. Move each image into ${options.datasetPath}/<label>/, one folder per label, e.g. ${options.datasetPath}/cat/ and ${options.datasetPath}/dog/.`,
          options.datasetPath
        );
      }
      throw new InputError(`Dataset "${options.datasetPath}" has no usable images${skipped2.length ? ` (${skipped2.length} files skipped; see the list above)` : ""}. Put images in <dataset>/<label>/ folders, one folder per label.`, options.datasetPath);
    }
    if (labels.length < 2) {
      throw new InputError(`Dataset "${options.datasetPath}" has only one label ("${labels[0]}"). A classifier needs at least two: add a folder per label, e.g. ${options.datasetPath}/cat/ and ${options.datasetPath}/dog/.`, labels[0]);
    }
    const images = scan.explicitSplits ? explicitSplits(unique.records) : assignSplits(unique.records, options.split, options.seed);
    const summary = summarise(options, labels, images, skipped2, unique.warnings, scan.explicitSplits);
    return { images, labels, summary, thumbnails: decoded.thumbnails, root };
  } finally {
    skips.finish();
  }
}
async function validateImages(records, maxPixels, log) {
  const thumbnails = /* @__PURE__ */ new Map();
  const ok = [];
  const skipped2 = [];
  let done = 0;
  const queue = [...records];
  const worker = async () => {
    for (let record = queue.shift(); record; record = queue.shift()) {
      try {
        if (!thumbnails.has(record.sha256)) thumbnails.set(record.sha256, await decodeToRgb(record.path, THUMBNAIL_SIZE, maxPixels));
        ok.push(record);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        skipped2.push({ file: record.file, reason: error.message });
      }
      log.progress("Checking images", ++done, records.length);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  skipped2.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  ok.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return { records: ok, skipped: skipped2, thumbnails };
}
function dropDuplicates(records) {
  const bySha = /* @__PURE__ */ new Map();
  for (const r of records) bySha.set(r.sha256, [...bySha.get(r.sha256) ?? [], r]);
  const kept = [];
  const skipped2 = [];
  const warnings = [];
  let duplicateCount = 0;
  for (const copies of bySha.values()) {
    const labels = [...new Set(copies.map((c) => c.label))];
    if (labels.length > 1) {
      const where = copies.map((c) => c.file).join(", ");
      warnings.push(`The same image is labelled ${labels.map((l) => `"${l}"`).join(" and ")}: ${where}. All copies were left out; keep it under one label.`);
      for (const c of copies) {
        skipped2.push({ file: c.file, reason: `conflicting labels: identical to ${copies.filter((o) => o !== c).map((o) => o.file).join(", ")}` });
      }
      continue;
    }
    kept.push(copies[0]);
    for (const extra of copies.slice(1)) {
      duplicateCount++;
      skipped2.push({ file: extra.file, reason: `duplicate of ${copies[0].file} (counted once)` });
    }
  }
  if (duplicateCount) warnings.push(`${duplicateCount} exact duplicate image${duplicateCount === 1 ? " was" : "s were"} counted once.`);
  kept.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return { records: kept, skipped: skipped2, warnings };
}
function summarise(options, labels, images, skipped2, warnings, explicit) {
  const counts2 = labels.map((label) => {
    const mine = images.filter((i) => i.label === label);
    return {
      label,
      train: mine.filter((i) => i.split === "train").length,
      val: mine.filter((i) => i.split === "val").length,
      test: mine.filter((i) => i.split === "test").length,
      total: mine.length
    };
  });
  const totals = counts2.map((c) => c.total);
  const smallest = Math.min(...totals);
  const largest = Math.max(...totals);
  if (largest >= 3 * smallest) {
    const small = counts2.find((c) => c.total === smallest).label;
    const big = counts2.find((c) => c.total === largest).label;
    warnings.push(`Labels are imbalanced: "${big}" has ${largest} images, "${small}" only ${smallest}. Accuracy may favour the larger labels; watch per-label recall.`);
  }
  const tiny = counts2.filter((c) => c.total < 20).map((c) => c.label);
  if (tiny.length) warnings.push(`${tiny.length} label${tiny.length === 1 ? " has" : "s have"} fewer than 20 images (${tiny.slice(0, 5).map((l) => `"${l}"`).join(", ")}${tiny.length > 5 ? ", \u2026" : ""}); results for them are noisy.`);
  const fingerprint = createHash5("sha256");
  for (const image of [...images].sort((a, b) => a.sha256 + a.label < b.sha256 + b.label ? -1 : 1)) {
    fingerprint.update(`${image.label}\0${image.sha256}
`);
  }
  return {
    root: options.datasetPath,
    fingerprint: fingerprint.digest("hex"),
    labels,
    images: images.length,
    counts: counts2,
    splitMode: explicit ? "explicit" : "hash",
    split: options.split,
    skipped: skipped2,
    warnings
  };
}
var THUMBNAIL_SIZE, SKIP_LOG_LIMIT;
var init_prepare = __esm({
  "src/core/dataset/prepare.ts"() {
    "use strict";
    init_errors();
    init_decode();
    init_scan();
    init_split();
    init_zip();
    THUMBNAIL_SIZE = 32;
    SKIP_LOG_LIMIT = 100;
  }
});

// src/core/evaluate.ts
function topKFor(labelCount) {
  return labelCount > 5 ? 5 : labelCount > 2 ? 2 : null;
}
function evaluate(labels, examples, probabilities) {
  const n = labels.length;
  const confusion = labels.map(() => new Array(n).fill(0));
  const k = topKFor(n);
  let correct = 0;
  let topKHits = 0;
  const mistakes2 = [];
  examples.forEach((example, row) => {
    const p = probabilities.subarray(row * n, (row + 1) * n);
    let predicted = 0;
    for (let j = 1; j < n; j++) if (p[j] > p[predicted]) predicted = j;
    confusion[example.label][predicted]++;
    if (predicted === example.label) correct++;
    else mistakes2.push({ file: example.file, sha256: example.sha256, trueLabel: labels[example.label], predictedLabel: labels[predicted], confidence: p[predicted] });
    if (k) {
      let higher = 0;
      for (let j = 0; j < n; j++) if (p[j] > p[example.label]) higher++;
      if (higher < k) topKHits++;
    }
  });
  const perLabel2 = labels.map((label, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + row[i], 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? 2 * precision * recall / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const total = examples.length;
  mistakes2.sort((a, b) => b.confidence - a.confidence || (a.file < b.file ? -1 : 1));
  return {
    images: total,
    accuracy: total ? correct / total : 0,
    topK: k ? { k, accuracy: total ? topKHits / total : 0 } : null,
    macroF1: perLabel2.reduce((s, l) => s + l.f1, 0) / n,
    perLabel: perLabel2,
    confusion: { labels, matrix: confusion },
    mistakes: mistakes2.slice(0, MAX_MISTAKES)
  };
}
async function attachThumbnails(mistakes2, pathOf) {
  const sharp5 = (await import("sharp")).default;
  return Promise.all(
    mistakes2.map(async (mistake) => {
      const path = pathOf(mistake.file);
      if (!path) return mistake;
      try {
        const jpeg = await sharp5(path, { failOn: "none", animated: false }).rotate().flatten({ background: "#ffffff" }).resize(96, 96, { fit: "inside", withoutEnlargement: false }).jpeg({ quality: 80 }).toBuffer();
        return { ...mistake, thumbnail: `data:image/jpeg;base64,${jpeg.toString("base64")}` };
      } catch {
        return mistake;
      }
    })
  );
}
var MAX_MISTAKES;
var init_evaluate = __esm({
  "src/core/evaluate.ts"() {
    "use strict";
    MAX_MISTAKES = 24;
  }
});

// src/core/model/export.ts
import * as tf7 from "@tensorflow/tfjs";
import { createHash as createHash6 } from "node:crypto";
import { mkdir as mkdir4, readFile as readFile3 } from "node:fs/promises";
import { join as join6 } from "node:path";
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
  const model5 = await tf7.models.modelFromJSON({ modelTopology: topology });
  setDenseWeights(model5, dense);
  return model5;
}
function setDenseWeights(model5, dense) {
  dense.forEach((layer, i) => {
    const name = i === dense.length - 1 ? "head_output" : `head_dense_${i + 1}`;
    const kernel = tf7.tensor2d(layer.kernel, [layer.inDim, layer.outDim]);
    const bias = tf7.tensor1d(layer.bias);
    model5.getLayer(name).setWeights([kernel, bias]);
    tf7.dispose([kernel, bias]);
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
  const fused = await tf7.models.modelFromJSON({ modelTopology: topology });
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
  const fusable = isFusable(prepared, fitted);
  const model5 = fusable ? await buildFusedModel(prepared, fitted) : await buildHeadModel(fitted, prepared.featureDim);
  try {
    await mkdir4(input3.dir, { recursive: true });
    const written = {};
    if (!fusable) Object.assign(written, await backboneFiles(prepared.extractor.sourceDir));
    await model5.save(
      tf7.io.withSaveHandler(async (artifacts) => {
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
        return { modelArtifactsInfo: { dateSaved: /* @__PURE__ */ new Date(), modelTopologyType: "JSON" } };
      })
    );
    const preprocessing = {
      format: fusable ? MODEL_FORMAT : TWO_PART_FORMAT,
      inputSize: prepared.spec.inputSize,
      input: "rgb-bytes",
      resize: RESIZE_MODE,
      backbone: prepared.spec.id,
      ...fusable ? {} : { range: prepared.spec.range }
    };
    written["labels.json"] = new TextEncoder().encode(JSON.stringify(input3.labels, null, 2) + "\n");
    written["preprocessing.json"] = new TextEncoder().encode(JSON.stringify(preprocessing, null, 2) + "\n");
    written["metrics.json"] = new TextEncoder().encode(JSON.stringify(input3.metrics, null, 2) + "\n");
    for (const name of [...Object.keys(written).filter((n) => n !== "model.json"), "model.json"]) {
      await writeFileAtomic(join6(input3.dir, name), written[name]);
    }
    const summary = summariseLayers(model5);
    return {
      dir: input3.displayDir,
      backbone: prepared.spec.id,
      inputSize: prepared.spec.inputSize,
      files: Object.entries(written).map(([name, bytes2]) => ({ name, bytes: bytes2.length, sha256: createHash6("sha256").update(bytes2).digest("hex") })).sort((a, b) => a.name < b.name ? -1 : 1),
      layers: summary.layers,
      trainableParams: summary.trainable,
      nonTrainableParams: summary.nonTrainable
    };
  } finally {
    model5.dispose();
  }
}
async function backboneFiles(sourceDir) {
  const json = await readFile3(join6(sourceDir, "model.json"));
  const files = { "backbone/model.json": json };
  const manifest = JSON.parse(json.toString("utf8")).weightsManifest;
  for (const path of manifest.flatMap((g) => g.paths)) files[`backbone/${path}`] = await readFile3(join6(sourceDir, path));
  return files;
}
var MODEL_FORMAT, TWO_PART_FORMAT;
var init_export = __esm({
  "src/core/model/export.ts"() {
    "use strict";
    init_atomic();
    init_keras_topology();
    init_decode();
    MODEL_FORMAT = "classifier-ci/fused-layers-v1";
    TWO_PART_FORMAT = "classifier-ci/backbone-and-head-v1";
  }
});

// src/core/ports.ts
var systemClock;
var init_ports = __esm({
  "src/core/ports.ts"() {
    "use strict";
    systemClock = { now: () => performance.now() };
  }
});

// src/core/result.ts
import { z } from "zod";
function parseRunResult(json, source = "result.json") {
  const parsed = RunResult.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source} is not a classifier-ci result (schema v${SCHEMA_VERSION}): ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}
var SCHEMA_VERSION, EpochPoint, HeadConfig, SkippedFile, LabelCount, DatasetSummary, BackendInfo, Candidate, Trial, Tuning, PerLabelMetrics, Mistake, TestMetrics, LayerSummary, ModelInfo, StageTiming, RunConfig, RunResult;
var init_result = __esm({
  "src/core/result.ts"() {
    "use strict";
    SCHEMA_VERSION = 1;
    EpochPoint = z.object({
      epoch: z.number().int().min(1),
      trainLoss: z.number(),
      trainAccuracy: z.number().min(0).max(1),
      valLoss: z.number(),
      valAccuracy: z.number().min(0).max(1)
    });
    HeadConfig = z.object({
      learningRate: z.number().positive(),
      batchSize: z.number().int().positive(),
      /** Widths of hidden dense layers; [] is a linear softmax head. */
      hiddenUnits: z.array(z.number().int().positive()),
      dropout: z.number().min(0).max(0.95),
      weightDecay: z.number().min(0),
      labelSmoothing: z.number().min(0).max(0.5),
      /** Maximum epochs; early stopping on validation loss may stop sooner. */
      epochs: z.number().int().positive()
    });
    SkippedFile = z.object({
      /** Path relative to the dataset root, with forward slashes. */
      file: z.string(),
      reason: z.string()
    });
    LabelCount = z.object({
      label: z.string(),
      train: z.number().int().min(0),
      val: z.number().int().min(0),
      test: z.number().int().min(0),
      total: z.number().int().min(0)
    });
    DatasetSummary = z.object({
      /** The dataset path as the user gave it. */
      root: z.string(),
      /** SHA-256 over the sorted (label, image sha256) pairs: changes iff the labelled content changes. */
      fingerprint: z.string(),
      labels: z.array(z.string()),
      images: z.number().int().min(0),
      counts: z.array(LabelCount),
      /** 'hash': split by content hash; 'explicit': the dataset had train/ val/ test/ folders. */
      splitMode: z.enum(["hash", "explicit"]),
      split: z.object({ train: z.number(), val: z.number(), test: z.number() }),
      skipped: z.array(SkippedFile),
      /** Human-readable warnings about the data: imbalance, tiny labels, duplicates. */
      warnings: z.array(z.string()),
      /** Median shorter side of the images, in pixels; `auto` sizes the backbones from it. */
      typicalSide: z.number().int().positive().optional()
    });
    BackendInfo = z.object({
      /** tfjs backend name actually used: 'tensorflow' (tfjs-node / -gpu), 'wasm' or 'cpu'. */
      name: z.string(),
      /** The npm package that provided it. */
      package: z.string(),
      gpu: z.boolean(),
      threads: z.number().int().min(1),
      /** Backends tried before this one, and why each was not used. */
      skipped: z.array(z.object({ backend: z.string(), reason: z.string() }))
    });
    Candidate = z.object({
      /** Backbone id as the user names it, e.g. 'mobilenet_v2', 'small_cnn', or a URL. */
      backbone: z.string(),
      displayName: z.string(),
      /** 'frozen': pretrained base, head trained on cached embeddings; 'scratch': trained end to end. */
      kind: z.enum(["frozen", "scratch"]),
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
      error: z.string().optional()
    });
    Trial = z.object({
      index: z.number().int().min(0),
      config: HeadConfig,
      valAccuracy: z.number().min(0).max(1),
      valLoss: z.number(),
      epochs: z.number().int().min(0),
      seconds: z.number().min(0),
      /** Successive-halving rung the trial last ran in (0 = first). */
      rung: z.number().int().min(0),
      /** 'seed' is the rule-of-thumb first trial; 'pruned' trials were stopped by successive halving. */
      status: z.enum(["seed", "completed", "pruned"]),
      curve: z.array(EpochPoint)
    });
    Tuning = z.object({
      backbone: z.string(),
      strategy: z.string(),
      trials: z.array(Trial),
      /** Index of the chosen trial; -1 when no trial beat the bake-off head, which is then kept. */
      bestTrial: z.number().int().min(-1),
      /** The configuration of the model that was exported. */
      best: HeadConfig,
      /** Whether the top of the backbone was fine-tuned, and why or why not. */
      fineTune: z.object({ applied: z.boolean(), reason: z.string(), valAccuracy: z.number().optional() }),
      /**
       * The final fit: whether the chosen head was trained again on train + validation (for the
       * chosen number of epochs) before the test, and why or why not. Absent in older results.
       */
      refit: z.object({ applied: z.boolean(), reason: z.string(), images: z.number().int().optional(), epochs: z.number().int().optional() }).optional(),
      seconds: z.number().min(0)
    });
    PerLabelMetrics = z.object({
      label: z.string(),
      precision: z.number().min(0).max(1),
      recall: z.number().min(0).max(1),
      f1: z.number().min(0).max(1),
      support: z.number().int().min(0)
    });
    Mistake = z.object({
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
    TestMetrics = z.object({
      images: z.number().int().min(0),
      accuracy: z.number().min(0).max(1),
      /** Top-k accuracy for a k smaller than the number of labels; null with two labels. */
      topK: z.object({ k: z.number().int().min(2), accuracy: z.number().min(0).max(1) }).nullable(),
      macroF1: z.number().min(0).max(1),
      perLabel: z.array(PerLabelMetrics),
      /** confusion.matrix[i][j]: images of true label i predicted as label j. */
      confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int().min(0))) }),
      /** The most confident wrong predictions, worst first. */
      mistakes: z.array(Mistake)
    });
    LayerSummary = z.object({
      name: z.string(),
      className: z.string(),
      outputShape: z.string(),
      params: z.number().int().min(0),
      trainable: z.boolean()
    });
    ModelInfo = z.object({
      /** Directory of the exported model, as written (relative to the working directory when possible). */
      dir: z.string(),
      backbone: z.string(),
      inputSize: z.number().int().positive(),
      files: z.array(z.object({ name: z.string(), bytes: z.number().int().min(0), sha256: z.string() })),
      layers: z.array(LayerSummary),
      trainableParams: z.number().int().min(0),
      nonTrainableParams: z.number().int().min(0)
    });
    StageTiming = z.object({
      stage: z.enum(["scan", "decode", "embed", "bakeOff", "tuning", "fineTune", "refit", "evaluate", "export", "total"]),
      seconds: z.number().min(0)
    });
    RunConfig = z.object({
      backbones: z.array(z.string()),
      budgetSeconds: z.number().positive(),
      trials: z.number().int().min(1),
      epochs: z.number().int().min(1),
      fineTune: z.enum(["auto", "true", "false"]),
      split: z.object({ train: z.number(), val: z.number(), test: z.number() }),
      seed: z.number().int()
    });
    RunResult = z.object({
      schemaVersion: z.literal(SCHEMA_VERSION),
      startedAt: z.string(),
      finishedAt: z.string(),
      seed: z.number().int(),
      config: RunConfig,
      backend: BackendInfo,
      dataset: DatasetSummary,
      bakeOff: z.object({ candidates: z.array(Candidate), winner: z.string() }),
      tuning: Tuning,
      test: TestMetrics,
      model: ModelInfo,
      /** Whether the time budget cut any stage short, and which. */
      budget: z.object({ seconds: z.number(), usedSeconds: z.number(), exhausted: z.boolean() }),
      timings: z.array(StageTiming),
      versions: z.object({ classifierCi: z.string(), tfjs: z.string(), node: z.string(), sharp: z.string() })
    });
  }
});

// src/core/embeddings/cache.ts
import { createHash as createHash7 } from "node:crypto";
import { readFile as readFile4 } from "node:fs/promises";
import { join as join7 } from "node:path";
function checksum(bytes2) {
  let hash = 2166136261;
  for (let i = 0; i < bytes2.length; i++) hash = Math.imul(hash ^ bytes2[i], 16777619);
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
function decodeEmbedding(bytes2, expectedDim) {
  if (bytes2.length < HEADER_BYTES) return null;
  const view = new DataView(bytes2.buffer, bytes2.byteOffset, bytes2.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return null;
  const dim = view.getUint32(4, true);
  if (expectedDim !== void 0 && dim !== expectedDim) return null;
  if (bytes2.length !== HEADER_BYTES + dim * 4) return null;
  const payload = bytes2.slice(HEADER_BYTES);
  if (checksum(payload) !== view.getUint32(8, true)) return null;
  return new Float32Array(payload.buffer, payload.byteOffset, dim);
}
function openEmbeddingStore(cacheDir, backboneKey, dim) {
  const dir = join7(cacheDir, "embeddings", createHash7("sha256").update(backboneKey).digest("hex").slice(0, 16));
  const pathOf = (sha) => join7(dir, sha.slice(0, 2), `${sha}.emb`);
  let corrupt = 0;
  return {
    get corrupt() {
      return corrupt;
    },
    async get(sha) {
      let bytes2;
      try {
        bytes2 = await readFile4(pathOf(sha));
      } catch {
        return null;
      }
      const vector = decodeEmbedding(bytes2, dim);
      if (!vector) corrupt++;
      return vector;
    },
    async put(sha, vector) {
      await writeFileAtomic(pathOf(sha), encodeEmbedding(vector));
    }
  };
}
var MAGIC, HEADER_BYTES;
var init_cache = __esm({
  "src/core/embeddings/cache.ts"() {
    "use strict";
    init_atomic();
    MAGIC = 826622787;
    HEADER_BYTES = 12;
  }
});

// src/core/embeddings/parallel.ts
import * as tf8 from "@tensorflow/tfjs";
import { existsSync as existsSync2 } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
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
  if (tf8.getBackend() === "tensorflow") return false;
  if (!embedWorkerEntry()) {
    log.warn('The embedding worker (embed-worker.js) is missing next to the bundle, so embedding runs on one core. Rebuild with "npm run build:cli" / "npm run build:lib".');
    return false;
  }
  return true;
}
async function embedInWorkers(extractor, batches, options, onBatch) {
  const entry = embedWorkerEntry();
  if (!entry) throw new Error("The embedding worker script is missing; rebuild the package.");
  const { spec } = extractor;
  const decodeIn = options.decodeIn ?? "main";
  const workerCount = Math.max(1, Math.min(options.workers, batches.length));
  const init = { spec, cacheDir: options.cacheDir, maxPixels: options.maxPixels, backend: tf8.getBackend() };
  const slots = [];
  let settled = false;
  let nextToSend = 0;
  let nextToDeliver = 0;
  let stopped = false;
  const results = /* @__PURE__ */ new Map();
  const decoded = /* @__PURE__ */ new Map();
  let finish;
  let fail;
  const done = new Promise((resolve4, reject) => {
    finish = resolve4;
    fail = (error) => {
      settled = true;
      reject(error);
    };
  });
  const decodeAhead = (upTo) => {
    if (decodeIn !== "main") return;
    for (let b = nextToSend; b < Math.min(batches.length, upTo); b++) {
      if (decoded.has(b)) continue;
      const pixels = decodeBatch(batches[b], spec.inputSize, options.maxPixels);
      pixels.catch(() => {
      });
      decoded.set(b, pixels);
    }
  };
  const send = async (slot, index) => {
    const batch = batches[index];
    if (decodeIn === "worker") {
      slot.worker.postMessage({ index, count: batch.length, paths: batch.map((image) => image.path) });
      return;
    }
    decodeAhead(index + 1);
    const pixels = await decoded.get(index);
    decoded.delete(index);
    if (settled) return;
    slot.worker.postMessage({ index, count: batch.length, pixels }, [pixels.buffer]);
  };
  const checkStop = () => {
    if (!stopped && nextToSend < batches.length && options.shouldStop?.()) {
      stopped = true;
      deliver();
    }
    return stopped;
  };
  const dispatch = (slot) => {
    checkStop();
    while (!settled && !stopped && slot.ready && slot.inFlight < IN_FLIGHT_PER_WORKER && nextToSend < batches.length) {
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
  const anyReady = () => slots.some((slot) => slot.ready);
  const fillWhileStarting = async () => {
    while (!settled && !anyReady() && nextToSend < batches.length && !checkStop()) {
      const index = nextToSend++;
      const batch = batches[index];
      const pixels = await (decoded.get(index) ?? decodeBatch(batch, spec.inputSize, options.maxPixels));
      decoded.delete(index);
      if (settled) return;
      results.set(index, extractor.embed(pixels, batch.length));
      inMainThread++;
      deliver();
      decodeAhead(nextToSend + workerCount);
      await new Promise((resolve4) => setImmediate(resolve4));
    }
  };
  const onReply = (slot, reply) => {
    if (settled) return;
    if (reply.type === "ready") {
      if (reply.cacheKey !== extractor.cacheKey || reply.featureDim !== extractor.featureDim) {
        fail(new Error(`Embedding worker ${slot.id} loaded ${spec.id} differently (cache key ${reply.cacheKey}, ${reply.featureDim} features; expected ${extractor.cacheKey}, ${extractor.featureDim}).`));
        return;
      }
      slot.ready = true;
      dispatch(slot);
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
      fail(new WorkerLoadError(`Embedding worker ${slot.id} could not load ${spec.id}: ${reply.message}`));
    } else {
      fail(new Error(`Embedding worker ${slot.id} failed on batch ${reply.index}: ${reply.message}`));
    }
  };
  options.log.info(`Embedding ${batches.length} batches with ${extractor.displayName} in ${workerCount} worker threads (${init.backend})`);
  decodeAhead(workerCount * IN_FLIGHT_PER_WORKER);
  try {
    for (let id = 1; id <= workerCount; id++) {
      const worker = new Worker(entry.filename, { ...entry.options, execArgv: workerExecArgv(), workerData: init, resourceLimits: options.resourceLimits, stdout: false, stderr: false });
      const slot = { id, worker, ready: false, inFlight: 0 };
      slots.push(slot);
      worker.on("message", (reply) => onReply(slot, reply));
      worker.on("error", (error) => fail(new Error(`Embedding worker ${id} crashed: ${error.message}`)));
      worker.on("messageerror", (error) => fail(new Error(`Embedding worker ${id} sent an unreadable message: ${error.message}`)));
      worker.on("exit", (code) => {
        if (!settled) fail(new Error(`Embedding worker ${id} stopped unexpectedly (exit code ${code}).`));
      });
    }
    if (options.fillWhileStarting ?? true) fillWhileStarting().catch((error) => fail(error));
    await done;
    return { inMainThread };
  } catch (error) {
    if (error instanceof WorkerLoadError && !spec.builtin) {
      options.log.warn(`${extractor.displayName} cannot be loaded in a worker thread (${error.message}); embedding it on one core instead.`);
      return { inMainThread };
    }
    throw error;
  } finally {
    settled = true;
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
    await delivering;
  }
}
var IN_FLIGHT_PER_WORKER, WorkerLoadError;
var init_parallel = __esm({
  "src/core/embeddings/parallel.ts"() {
    "use strict";
    init_extract();
    IN_FLIGHT_PER_WORKER = 2;
    WorkerLoadError = class extends Error {
      name = "WorkerLoadError";
    };
  }
});

// src/core/embeddings/extract.ts
async function decodeBatch(images, size3, maxPixels) {
  const pixels = await Promise.all(images.map((image) => decodeToRgb(image.path, size3, maxPixels)));
  const batch = new Uint8Array(images.length * size3 * size3 * 3);
  pixels.forEach((p, i) => batch.set(p, i * p.length));
  return batch;
}
async function extractEmbeddings(extractor, images, options) {
  const start = options.now();
  let expired = false;
  const pastDeadline = () => expired ||= options.deadline !== void 0 && options.now() >= options.deadline;
  const store = openEmbeddingStore(options.cacheDir, extractor.cacheKey, extractor.featureDim);
  const vectors = /* @__PURE__ */ new Map();
  const unique = [...new Map(images.map((i) => [i.sha256, i])).values()];
  const missing = [];
  for (const image of unique) {
    const cached3 = await store.get(image.sha256);
    if (cached3) vectors.set(image.sha256, cached3);
    else missing.push(image);
  }
  const cached2 = vectors.size;
  if (store.corrupt) options.log.warn(`${store.corrupt} damaged cache entr${store.corrupt === 1 ? "y" : "ies"} for ${extractor.displayName} will be recomputed.`);
  const size3 = extractor.spec.inputSize;
  const batchSize = options.batchSize ?? 16;
  const batches = [];
  for (let i = 0; i < missing.length; i += batchSize) batches.push(missing.slice(i, i + batchSize));
  const dim = extractor.featureDim;
  let done = 0;
  const pending = new Set(batches.keys());
  const save = async (b, flat) => {
    const batch = batches[b];
    pending.delete(b);
    await Promise.all(
      batch.map((image, i) => {
        const vector = flat.slice(i * dim, (i + 1) * dim);
        vectors.set(image.sha256, vector);
        return store.put(image.sha256, vector);
      })
    );
    done += batch.length;
    options.log.progress(`Embedding with ${extractor.displayName}`, done, missing.length);
  };
  if (!pastDeadline() && useWorkers(options.workers, batches.length, options.log)) {
    await embedInWorkers(extractor, batches, { workers: options.workers, cacheDir: options.cacheDir, maxPixels: options.maxPixels, log: options.log, shouldStop: pastDeadline, fillWhileStarting: options.fillWhileStarting }, save);
  }
  const left2 = pastDeadline() ? [] : [...pending];
  let next = left2.length ? decodeBatch(batches[left2[0]], size3, options.maxPixels) : null;
  for (let k = 0; k < left2.length; k++) {
    if (pastDeadline()) {
      next.catch(() => {
      });
      break;
    }
    const b = left2[k];
    const pixels = await next;
    next = k + 1 < left2.length ? decodeBatch(batches[left2[k + 1]], size3, options.maxPixels) : null;
    await save(b, extractor.embed(pixels, batches[b].length));
  }
  const remaining = missing.length - done;
  if (remaining) options.log.warn(`Embedding with ${extractor.displayName} stopped at the deadline: ${done} of ${missing.length} computed (and cached; a later run resumes from there), ${remaining} left.`);
  return { vectors, computed: done, cached: cached2, corrupt: store.corrupt, remaining, complete: remaining === 0, seconds: (options.now() - start) / 1e3 };
}
var init_extract = __esm({
  "src/core/embeddings/extract.ts"() {
    "use strict";
    init_decode();
    init_cache();
    init_parallel();
  }
});

// src/core/random.ts
import { createHash as createHash8 } from "node:crypto";
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
  return createHash8("sha256").update(`${seed}:${purpose}`).digest().readUInt32LE(0);
}
function shuffleInPlace(items, rng) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
var init_random = __esm({
  "src/core/random.ts"() {
    "use strict";
  }
});

// src/core/training/head.ts
import * as tf9 from "@tensorflow/tfjs";
function standardisation(x, rows, dim) {
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
  const s = new Float32Array(dim);
  for (let c = 0; c < dim; c++) {
    m[c] = mean[c] / rows;
    const variance = Math.max(0, sq[c] / rows - m[c] * m[c]);
    s[c] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { mean: m, std: s };
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
      const keep = tf9.randomUniform(h.shape, 0, 1, "float32", dropoutSeed + i).greaterEqual(dropout);
      h = h.mul(keep.toFloat()).div(1 - dropout);
    }
    h = h.matMul(layer.kernel).add(layer.bias);
    if (i < layers4.length - 1) h = h.relu();
  });
  return h;
}
async function trainHead(train3, val, options) {
  const { config: config2, numClasses, trunk } = options;
  const rng = createRng(options.seed);
  const inputDim = trunk ? trunk.inputShape.reduce((a, b) => a * b, 1) : train3.x.length / train3.rows;
  const featureDim = trunk ? trunk.model.outputs[0].shape[1] : inputDim;
  const { mean, std } = trunk ? { mean: new Float32Array(featureDim), std: new Float32Array(featureDim).fill(1) } : standardisation(train3.x, train3.rows, inputDim);
  const standardise = (x) => {
    if (trunk) return x;
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = (x[i] - mean[i % inputDim]) / std[i % inputDim];
    return out;
  };
  const exampleShape = trunk ? trunk.inputShape : [inputDim];
  const xTrain = tf9.tensor(standardise(train3.x), [train3.rows, ...exampleShape]);
  const xVal = tf9.tensor(standardise(val.x), [val.rows, ...exampleShape]);
  const oneHot2 = (y) => tf9.tidy(() => tf9.oneHot(tf9.tensor1d(y, "int32"), numClasses).toFloat());
  const yTrain = oneHot2(train3.y);
  const yVal = oneHot2(val.y);
  const widths = [featureDim, ...config2.hiddenUnits, numClasses];
  if (options.initialDense && options.initialDense.map((d) => d.outDim).join() !== widths.slice(1).join()) {
    throw new Error("initialDense does not match the configured layer widths");
  }
  const layers4 = tf9.tidy(
    () => widths.slice(1).map((outDim, i) => ({
      kernel: tf9.variable(tf9.tensor2d(options.initialDense?.[i]?.kernel ?? glorotUniform(widths[i], outDim, rng), [widths[i], outDim])),
      bias: tf9.variable(options.initialDense ? tf9.tensor1d(options.initialDense[i].bias) : tf9.zeros([outDim]))
    }))
  );
  const headVariables = layers4.flatMap((l) => [l.kernel, l.bias]);
  const trunkVariables = trunk ? trunk.model.trainableWeights.map((w) => w.read()) : [];
  const optimizer = tf9.train.adam(config2.learningRate);
  const features = (x, training) => trunk ? trunk.model.apply(x, { training: training && (trunk.training ?? true) }) : x;
  const evaluate2 = (x, y, rows) => {
    let lossSum = 0;
    let correct = 0;
    const step = trunk ? 256 : 4096;
    for (let start = 0; start < rows; start += step) {
      const size3 = Math.min(step, rows - start);
      const [loss, hits] = tf9.tidy(() => {
        const xb = x.slice(start, size3);
        const yb = y.slice(start, size3);
        const logits = denseForward(features(xb, false), layers4, 0);
        const l = tf9.losses.softmaxCrossEntropy(yb, logits, void 0, 0, tf9.Reduction.SUM);
        const h = logits.argMax(1).equal(yb.argMax(1)).sum();
        return [l.dataSync()[0], h.dataSync()[0]];
      });
      lossSum += loss;
      correct += hits;
    }
    return { loss: lossSum / rows, accuracy: correct / rows };
  };
  const metricRows = Math.min(train3.rows, TRAIN_METRIC_ROWS);
  const [metricX, metricY] = metricRows === train3.rows ? [xTrain, yTrain] : tf9.tidy(() => {
    const idx = tf9.tensor1d(Array.from({ length: metricRows }, (_, i) => Math.floor(i * train3.rows / metricRows)), "int32");
    return [tf9.gather(xTrain, idx), tf9.gather(yTrain, idx)];
  });
  const curve = [];
  let best = { loss: Infinity, accuracy: 0, epoch: 0, weights: [], trunkWeights: [] };
  const patience = options.patience ?? 8;
  let stoppedByDeadline = false;
  const order = Array.from({ length: train3.rows }, (_, i) => i);
  for (let epoch = 1; epoch <= config2.epochs; epoch++) {
    shuffleInPlace(order, rng);
    for (let start = 0; start < train3.rows; start += config2.batchSize) {
      const batchIndices = order.slice(start, start + config2.batchSize);
      if (trunk && batchIndices.length < 2) continue;
      const dropoutSeed = Math.floor(rng() * 2 ** 31);
      tf9.tidy(() => {
        const idx = tf9.tensor1d(batchIndices, "int32");
        let xb = tf9.gather(xTrain, idx);
        if (trunk?.augment) {
          const data = xb.dataSync();
          const per = inputDim;
          const copy = new Float32Array(data);
          for (let i = 0; i < batchIndices.length; i++) trunk.augment(copy.subarray(i * per, (i + 1) * per), rng);
          xb = tf9.tensor(copy, xb.shape);
        }
        const yb = tf9.gather(yTrain, idx);
        optimizer.minimize(() => {
          const logits = denseForward(features(xb, true), layers4, config2.dropout, dropoutSeed);
          let loss = tf9.losses.softmaxCrossEntropy(yb, logits, void 0, config2.labelSmoothing);
          if (config2.weightDecay > 0) {
            const l2 = [...layers4.map((l) => l.kernel), ...trunk ? trunkKernels(trunk.model) : []].map((k) => k.square().sum()).reduce((a, b) => a.add(b));
            loss = loss.add(l2.mul(config2.weightDecay / 2));
          }
          return loss;
        }, false, [...headVariables, ...trunkVariables]);
      });
    }
    const trainMetrics = evaluate2(metricX, metricY, metricRows);
    const valMetrics = evaluate2(xVal, yVal, val.rows);
    const point = { epoch, trainLoss: trainMetrics.loss, trainAccuracy: trainMetrics.accuracy, valLoss: valMetrics.loss, valAccuracy: valMetrics.accuracy };
    curve.push(point);
    options.onEpoch?.(point);
    if (options.keepLastEpoch || valMetrics.loss < best.loss - 1e-6) {
      best.trunkWeights.forEach((t) => t.dispose());
      best = {
        loss: valMetrics.loss,
        accuracy: valMetrics.accuracy,
        epoch,
        weights: headVariables.map((v) => v.dataSync().slice()),
        trunkWeights: trunk ? trunk.model.getWeights().map((w) => w.clone()) : []
      };
    } else if (epoch - best.epoch >= patience) {
      break;
    }
    await new Promise((resolve4) => setImmediate(resolve4));
    if (options.now() > options.deadline && epoch < config2.epochs) {
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
  tf9.dispose([.../* @__PURE__ */ new Set([xTrain, xVal, yTrain, yVal, metricX, metricY]), ...headVariables]);
  optimizer.dispose();
  return { weights: { mean, std, dense }, curve, bestEpoch: best.epoch, valAccuracy: best.accuracy, valLoss: best.loss, stoppedByDeadline };
}
function trunkKernels(model5) {
  return model5.trainableWeights.filter((w) => w.originalName.endsWith("/kernel")).map((w) => w.read());
}
function predictHead(weights, x, rows) {
  const dim = weights.mean.length;
  return tf9.tidy(() => {
    const input3 = tf9.tensor2d(x, [rows, dim]).sub(tf9.tensor1d(weights.mean)).div(tf9.tensor1d(weights.std));
    const layers4 = weights.dense.map((d) => ({ kernel: tf9.tensor2d(d.kernel, [d.inDim, d.outDim]), bias: tf9.tensor1d(d.bias) }));
    return denseForward(input3, layers4, 0).softmax().dataSync();
  });
}
var TRAIN_METRIC_ROWS;
var init_head = __esm({
  "src/core/training/head.ts"() {
    "use strict";
    init_random();
    TRAIN_METRIC_ROWS = 512;
  }
});

// src/core/training/small-cnn.ts
import * as tf10 from "@tensorflow/tfjs";
function buildSmallCnn(inputSize, seed) {
  const input3 = tf10.input({ shape: [inputSize, inputSize, 3], name: "input" });
  let x = tf10.layers.rescaling({ scale: 1 / 255, offset: 0, name: "rescale" }).apply(input3);
  const blocks = inputSize >= 24 ? [16, 32, 64] : [16, 32];
  let layerSeed = seed;
  blocks.forEach((filters, b) => {
    for (let c = 1; c <= (b === 0 ? 1 : 2); c++) {
      const name = `block${b + 1}_conv${c}`;
      x = tf10.layers.conv2d({ filters, kernelSize: 3, padding: "same", useBias: false, kernelInitializer: tf10.initializers.heNormal({ seed: layerSeed++ }), name }).apply(x);
      x = tf10.layers.batchNormalization({ name: `${name}_bn` }).apply(x);
      x = tf10.layers.reLU({ name: `${name}_relu` }).apply(x);
    }
    x = tf10.layers.maxPooling2d({ poolSize: 2, name: `block${b + 1}_pool` }).apply(x);
  });
  x = tf10.layers.flatten({ name: "backbone_flatten" }).apply(x);
  return tf10.model({ inputs: input3, outputs: x, name: "small_cnn" });
}
function flipAndShift(size3) {
  return (example, rng) => {
    const flip = rng() < 0.5;
    const dx = Math.floor(rng() * 5) - 2;
    const dy = Math.floor(rng() * 5) - 2;
    if (!flip && dx === 0 && dy === 0) return;
    const source = example.slice();
    for (let y = 0; y < size3; y++) {
      const sy = y - dy;
      for (let x = 0; x < size3; x++) {
        let sx = x - dx;
        if (flip) sx = size3 - 1 - sx;
        const out = (y * size3 + x) * 3;
        if (sy < 0 || sy >= size3 || sx < 0 || sx >= size3) {
          const cy = Math.min(size3 - 1, Math.max(0, sy));
          const cx = Math.min(size3 - 1, Math.max(0, sx));
          const from = (cy * size3 + cx) * 3;
          example[out] = source[from];
          example[out + 1] = source[from + 1];
          example[out + 2] = source[from + 2];
        } else {
          const from = (sy * size3 + sx) * 3;
          example[out] = source[from];
          example[out + 1] = source[from + 1];
          example[out + 2] = source[from + 2];
        }
      }
    }
  };
}
var init_small_cnn = __esm({
  "src/core/training/small-cnn.ts"() {
    "use strict";
  }
});

// src/core/training/candidates.ts
import * as tf11 from "@tensorflow/tfjs";
function defaultConfig(kind, maxEpochs) {
  return kind === "frozen" ? { learningRate: 1e-3, batchSize: 32, hiddenUnits: [], dropout: 0.2, weightDecay: 1e-4, labelSmoothing: 0, epochs: maxEpochs } : { learningRate: 2e-3, batchSize: 32, hiddenUnits: [128], dropout: 0.3, weightDecay: 5e-4, labelSmoothing: 0, epochs: Math.min(maxEpochs, 40) };
}
async function fit(candidate, config2, context) {
  const start = context.now();
  const base = { numClasses: context.numClasses, config: config2, seed: context.seed, deadline: context.deadline, now: context.now };
  if (candidate.kind === "frozen") {
    return { head: await trainHead(candidate.train, candidate.val, base), config: config2, seconds: (context.now() - start) / 1e3 };
  }
  const size3 = candidate.spec.inputSize;
  const model5 = buildSmallCnn(size3, context.seed);
  const warm = context.warmStart;
  const warmHead = warm && warm.config.hiddenUnits.join() === config2.hiddenUnits.join() ? warm.head.weights.dense : void 0;
  if (warmHead) model5.setWeights(warm.trunk.getWeights());
  try {
    const head = await trainHead(candidate.train, candidate.val, { ...base, trunk: { model: model5, inputShape: [size3, size3, 3], augment: flipAndShift(size3) }, initialDense: warmHead, patience: 6 });
    return { head, trunk: model5, trunkRole: "whole", config: config2, seconds: (context.now() - start) / 1e3 };
  } catch (error) {
    model5.dispose();
    throw error;
  }
}
function predictProbabilities(fitted, examples) {
  if (!fitted.trunk) return predictHead(fitted.head.weights, examples.x, examples.rows);
  const exampleShape = fitted.trunk.inputs[0].shape.slice(1);
  const perExample = exampleShape.reduce((a, b) => a * b, 1);
  const features = tf11.tidy(() => {
    const parts = [];
    for (let start = 0; start < examples.rows; start += 256) {
      const rows = Math.min(256, examples.rows - start);
      const x = tf11.tensor(examples.x.subarray(start * perExample, (start + rows) * perExample), [rows, ...exampleShape]);
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
var init_candidates = __esm({
  "src/core/training/candidates.ts"() {
    "use strict";
    init_head();
    init_small_cnn();
  }
});

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
async function prepareFrozen(spec, ctx, deadline) {
  const extractor = await loadBackbone(spec, { cacheDir: ctx.cacheDir });
  try {
    const run = await extractEmbeddings(extractor, ctx.dataset.images, { cacheDir: ctx.cacheDir, maxPixels: ctx.maxPixels, workers: ctx.workers, log: ctx.log, now: ctx.now, deadline });
    if (!run.complete) throw new Error(`skipped: the bake-off ran out of budget while embedding (${run.remaining} images left; those done are cached, so a later run resumes)`);
    const { labels, images } = ctx.dataset;
    const vectorOf = (image) => run.vectors.get(image.sha256);
    return {
      spec,
      displayName: extractor.displayName,
      kind: "frozen",
      featureDim: extractor.featureDim,
      backboneParams: extractor.params,
      train: assemble(splitOf(images, "train"), labels, extractor.featureDim, vectorOf),
      val: assemble(splitOf(images, "val"), labels, extractor.featureDim, vectorOf),
      test: assemble(splitOf(images, "test"), labels, extractor.featureDim, vectorOf),
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
  const size3 = spec.inputSize;
  const pixels = /* @__PURE__ */ new Map();
  for (const image of ctx.dataset.images) {
    pixels.set(image.sha256, size3 === THUMBNAIL_SIZE ? ctx.dataset.thumbnails.get(image.sha256) : await decodeToRgb(image.path, size3, ctx.maxPixels));
  }
  const { labels, images } = ctx.dataset;
  const dim = size3 * size3 * 3;
  const vectorOf = (image) => pixels.get(image.sha256);
  return {
    spec,
    displayName: `Small CNN (from scratch) @${size3}`,
    kind: "scratch",
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
function rankCandidates(rows) {
  return [...rows].sort(
    (a, b) => Number(Boolean(a.error)) - Number(Boolean(b.error)) || b.valAccuracy - a.valAccuracy || a.backboneParams - b.backboneParams || a.valLoss - b.valLoss
  );
}
async function runBakeOff(specs, ctx) {
  const rows = [];
  let best = null;
  const numClasses = ctx.dataset.labels.length;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    if (best && ctx.now() >= ctx.deadline) {
      ctx.log.warn(`Skipped ${spec.id}: the bake-off's share of the budget is spent. Raise the budget to include it.`);
      rows.push(failedRow(spec, new Error("skipped: the bake-off ran out of budget before this candidate")));
      continue;
    }
    const share = Math.max(0, ctx.deadline - ctx.now()) / (specs.length - i);
    let prepared;
    try {
      prepared = spec.source === SMALL_CNN ? await prepareScratch(spec, ctx) : await prepareFrozen(spec, ctx, best ? ctx.deadline : void 0);
    } catch (error) {
      if (error instanceof InputError) throw error;
      ctx.log.warn(`${spec.id} could not be prepared: ${error.message}`);
      rows.push(failedRow(spec, error));
      continue;
    }
    if (prepared.kind === "frozen") ctx.log.info(`${prepared.displayName}: ${prepared.embeddingsComputed} embeddings computed, ${prepared.embeddingsCached} from cache`);
    let fitted;
    try {
      fitted = await fit(prepared, defaultConfig(prepared.kind, ctx.maxEpochs), { numClasses, seed: ctx.seed, deadline: ctx.now() + share, now: ctx.now });
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
      bestEpoch: fitted.head.bestEpoch,
      epochs: fitted.head.curve.length,
      embedSeconds: prepared.embedSeconds,
      trainSeconds: fitted.seconds,
      embeddingsComputed: prepared.embeddingsComputed,
      embeddingsCached: prepared.embeddingsCached,
      curve: fitted.head.curve
    };
    rows.push(row);
    ctx.log.info(`${prepared.displayName}: validation accuracy ${(row.valAccuracy * 100).toFixed(1)}% (best epoch ${row.bestEpoch} of ${row.epochs})`);
    if (!best || rankCandidates([best.row, row])[0] === row) {
      if (best) {
        disposeFitted(best.fitted);
        best.prepared.extractor?.dispose();
      }
      best = { row, prepared, fitted };
    } else {
      disposeFitted(fitted);
      prepared.extractor?.dispose();
    }
  }
  if (!best) throw new TrainingError(`No backbone could be trained: ${rows.map((r) => `${r.backbone}: ${r.error}`).join("; ")}`);
  return { rows, winner: { prepared: best.prepared, fitted: best.fitted } };
}
var init_bakeoff = __esm({
  "src/core/training/bakeoff.ts"() {
    "use strict";
    init_zoo();
    init_decode();
    init_prepare();
    init_extract();
    init_errors();
    init_candidates();
  }
});

// src/core/training/fine-tune.ts
async function fineTuneTop(prepared, tuned, ctx) {
  if (prepared.kind === "scratch") return { decision: { applied: false, reason: "the winner is the small CNN, already trained end to end" } };
  const extractor = prepared.extractor;
  const unsupported = fineTuneUnsupported(extractor);
  if (unsupported) return { decision: { applied: false, reason: unsupported } };
  const start = ctx.now();
  const split = await splitForFineTune(extractor);
  let kept = false;
  try {
    const run = await extractEmbeddings(split.base, ctx.dataset.images, { cacheDir: ctx.cacheDir, maxPixels: ctx.maxPixels, log: ctx.log, now: ctx.now, workers: 1 });
    const { labels, images } = ctx.dataset;
    const dim = split.base.featureDim;
    const vectorOf = (image) => run.vectors.get(image.sha256);
    const activations = {
      ...prepared,
      train: assemble(splitOf(images, "train"), labels, dim, vectorOf),
      val: assemble(splitOf(images, "val"), labels, dim, vectorOf),
      test: assemble(splitOf(images, "test"), labels, dim, vectorOf)
    };
    if (ctx.now() >= ctx.deadline) {
      return { decision: { applied: false, reason: `the budget ran out while caching activations at ${split.cutLayer}; the next run reuses them` } };
    }
    const config2 = { ...tuned.config, learningRate: tuned.config.learningRate * LR_FACTOR, epochs: Math.min(MAX_EPOCHS, tuned.config.epochs) };
    const head = await trainHead(activations.train, activations.val, {
      numClasses: labels.length,
      config: config2,
      seed: ctx.seed,
      deadline: ctx.deadline,
      now: ctx.now,
      patience: 4,
      trunk: { model: split.top, inputShape: split.cutShape, training: false },
      initialDense: foldStandardisation(tuned.head.weights)
    });
    const better2 = head.valAccuracy > tuned.head.valAccuracy || head.valAccuracy === tuned.head.valAccuracy && head.valLoss < tuned.head.valLoss;
    const seconds = (ctx.now() - start) / 1e3;
    ctx.log.info(`Fine-tuning from ${split.cutLayer}: validation accuracy ${(head.valAccuracy * 100).toFixed(1)}% (tuned head: ${(tuned.head.valAccuracy * 100).toFixed(1)}%) in ${seconds.toFixed(0)} s`);
    if (!better2) {
      return { decision: { applied: false, reason: `fine-tuning from ${split.cutLayer} did not beat the tuned head on validation (${pct(head.valAccuracy)} vs ${pct(tuned.head.valAccuracy)})`, valAccuracy: head.valAccuracy } };
    }
    kept = true;
    return {
      decision: { applied: true, reason: `top block from ${split.cutLayer} fine-tuned at learning rate ${config2.learningRate.toPrecision(2)} with batch norm frozen`, valAccuracy: head.valAccuracy },
      improved: { fitted: { head, trunk: split.top, trunkRole: "top", config: config2, seconds }, prepared: activations }
    };
  } finally {
    if (!kept) split.top.dispose();
  }
}
var MAX_EPOCHS, LR_FACTOR, pct;
var init_fine_tune = __esm({
  "src/core/training/fine-tune.ts"() {
    "use strict";
    init_fine_tune_split();
    init_extract();
    init_export();
    init_bakeoff();
    init_head();
    MAX_EPOCHS = 20;
    LR_FACTOR = 0.1;
    pct = (x) => `${(x * 100).toFixed(1)}%`;
  }
});

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
async function refitOnTrainAndVal(candidate, chosen2, ctx) {
  if (chosen2.trunk) {
    const what = chosen2.trunkRole === "top" ? "the fine-tuned top block" : "the small CNN";
    return { decision: { applied: false, reason: `${what} is trained end to end; training it again on train + validation would take a second full training` } };
  }
  if (candidate.val.rows === 0) return { decision: { applied: false, reason: "there is no validation split to add" } };
  const epochs = Math.max(1, chosen2.head.bestEpoch);
  const merged = mergeExamples(candidate.train, candidate.val);
  const trainedEpochs = Math.max(1, chosen2.head.curve.length);
  const estimateMs = chosen2.seconds * 1e3 * (epochs / trainedEpochs) * (merged.rows / Math.max(1, candidate.train.rows));
  if (ctx.now() + estimateMs > ctx.deadline) {
    return { decision: { applied: false, reason: `not enough of the budget left (about ${Math.ceil(estimateMs / 1e3)} s needed)` } };
  }
  const config2 = { ...chosen2.config, epochs };
  const start = ctx.now();
  const head = await trainHead(merged, candidate.val, {
    numClasses: ctx.numClasses,
    config: config2,
    seed: deriveSeed(ctx.seed, "refit"),
    deadline: ctx.deadline,
    now: ctx.now,
    keepLastEpoch: true
  });
  if (head.curve.length < epochs) {
    return { decision: { applied: false, reason: `the budget ran out after ${head.curve.length} of ${epochs} epochs; the chosen head was kept` } };
  }
  const refitted = { head, config: config2, seconds: (ctx.now() - start) / 1e3 };
  return { decision: { applied: true, reason: `retrained on train + validation (${merged.rows} images) for the chosen ${epochs} epoch${epochs === 1 ? "" : "s"}`, images: merged.rows, epochs }, refitted };
}
var init_refit = __esm({
  "src/core/training/refit.ts"() {
    "use strict";
    init_random();
    init_head();
  }
});

// src/core/training/tuning.ts
function seedRule(base) {
  return { ...base, learningRate: round3(base.learningRate / 2), batchSize: base.batchSize * 2 };
}
function proposeConfig(base, kind, rng) {
  return {
    learningRate: round3(logUniform(kind === "frozen" ? 1e-4 : 3e-4, kind === "frozen" ? 0.01 : 5e-3, rng)),
    batchSize: pick([16, 32, 64, 128], rng),
    hiddenUnits: pick(kind === "frozen" ? [[], [], [128], [256], [512], [256, 128]] : [[], [64], [128], [256]], rng),
    dropout: pick([0, 0.1, 0.2, 0.3, 0.5], rng),
    weightDecay: pick([0, 1e-5, 1e-4, 1e-3, 0.01], rng),
    labelSmoothing: pick([0, 0, 0.05, 0.1], rng),
    epochs: base.epochs
  };
}
function better(a, b) {
  return a.head.valAccuracy > b.head.valAccuracy || a.head.valAccuracy === b.head.valAccuracy && a.head.valLoss < b.head.valLoss;
}
async function runTuning(candidate, bakeOff, ctx) {
  const rng = createRng(deriveSeed(ctx.seed, "tuning"));
  const configs = [seedRule(bakeOff.config)];
  while (configs.length < ctx.maxTrials) configs.push(proposeConfig(bakeOff.config, candidate.kind, rng));
  const rung0Epochs = Math.max(5, Math.ceil(ctx.maxEpochs / 3));
  const trials2 = [];
  const fitted = [];
  let best = { fitted: bakeOff, trial: -1 };
  const consider = (model5, trial) => {
    if (better(model5, best.fitted)) {
      if (best.trial >= 0) disposeFitted(best.fitted);
      best = { fitted: model5, trial };
      return true;
    }
    return false;
  };
  const continues = candidate.kind === "scratch";
  const runTrial = async (index, config2, rung, status) => {
    const warmStart = continues && index === 0 ? bakeOff : void 0;
    const model5 = await fit(candidate, config2, { numClasses: ctx.numClasses, seed: deriveSeed(ctx.seed, `trial-${index}`), deadline: ctx.deadline, now: ctx.now, warmStart });
    trials2[index] = {
      index,
      config: config2,
      valAccuracy: model5.head.valAccuracy,
      valLoss: model5.head.valLoss,
      epochs: model5.head.curve.length,
      seconds: model5.seconds + (trials2[index]?.seconds ?? 0),
      rung,
      status,
      curve: model5.head.curve
    };
    ctx.log.info(`Trial ${index + 1}${rung ? ` (rung ${rung})` : ""}: validation accuracy ${(model5.head.valAccuracy * 100).toFixed(1)}% \u2014 lr ${config2.learningRate}, batch ${config2.batchSize}, hidden [${config2.hiddenUnits.join(",")}], dropout ${config2.dropout}`);
    return model5;
  };
  for (let i = 0; i < configs.length && ctx.now() < ctx.deadline; i++) {
    const epochs = continues && i === 0 ? configs[i].epochs : Math.min(rung0Epochs, configs[i].epochs);
    const model5 = await runTrial(i, { ...configs[i], epochs }, 0, i === 0 ? "seed" : "completed");
    fitted[i] = model5;
    ctx.log.progress("Hyperparameter round", i + 1, configs.length);
  }
  const ran = trials2.filter(Boolean);
  const survivors = [...ran].sort((a, b) => b.valAccuracy - a.valAccuracy || a.valLoss - b.valLoss).slice(0, Math.max(1, Math.ceil(ran.length / 3)));
  const promoted = new Set(survivors.map((t) => t.index));
  for (const trial of ran) {
    if (!promoted.has(trial.index) && trial.status !== "seed") trial.status = "pruned";
  }
  for (const trial of ran) {
    if (!consider(fitted[trial.index], trial.index)) disposeFitted(fitted[trial.index]);
  }
  if (rung0Epochs < ctx.maxEpochs) {
    for (const trial of survivors) {
      if (ctx.now() >= ctx.deadline) break;
      if (continues && trial.index === 0) continue;
      const model5 = await runTrial(trial.index, configs[trial.index], 1, trial.status);
      if (!consider(model5, trial.index)) disposeFitted(model5);
    }
  }
  return { trials: trials2.filter(Boolean), bestTrial: best.trial, best: best.fitted };
}
var pick, logUniform, round3;
var init_tuning = __esm({
  "src/core/training/tuning.ts"() {
    "use strict";
    init_random();
    init_candidates();
    pick = (items, rng) => items[Math.floor(rng() * items.length)];
    logUniform = (low, high, rng) => Math.exp(Math.log(low) + rng() * (Math.log(high) - Math.log(low)));
    round3 = (x) => Number(x.toPrecision(3));
  }
});

// src/core/pipeline.ts
import * as tf12 from "@tensorflow/tfjs";
import sharp3 from "sharp";
import { join as join8, relative as relative2, resolve as resolve2 } from "node:path";
function resolveBackbones(requested, nativeBackend, typicalSide) {
  const names = requested.flatMap((b) => b.trim().toLowerCase() === "auto" ? autoBackbones(nativeBackend, typicalSide) : [b]);
  const specs = names.map(parseBackboneSpec);
  const seen = /* @__PURE__ */ new Set();
  return specs.filter((s) => !seen.has(s.id) && seen.add(s.id));
}
async function train2(options, deps) {
  validateOptions(options);
  const { log } = deps;
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const date = deps.date ?? (() => /* @__PURE__ */ new Date());
  const startedAt = date().toISOString();
  const t0 = now();
  const deadline = t0 + options.budgetSeconds * 1e3;
  const timings2 = [];
  const timed = async (stage, title, work) => {
    const close = log.stage(title);
    const start = now();
    try {
      return await work();
    } finally {
      timings2.push({ stage, seconds: (now() - start) / 1e3 });
      close();
    }
  };
  const backend = await ensureBackend();
  log.info(`Compute backend: ${describeBackend(backend)}`);
  for (const spec of resolveBackbones(options.backbones, backend.name === "tensorflow")) {
    if (!spec.builtin) await loadModelSource(spec.source, options.cacheDir);
  }
  const dataset = await timed("scan", "Reading the dataset", async () => {
    const prepared2 = await prepareDataset({ datasetPath: options.datasetPath, split: options.split, seed: options.seed, maxPixels: options.maxPixels, workDir: options.cacheDir }, log);
    const s = prepared2.summary;
    log.info(`${s.images} images, ${s.labels.length} labels; split ${s.counts.reduce((n, c) => n + c.train, 0)} train / ${s.counts.reduce((n, c) => n + c.val, 0)} val / ${s.counts.reduce((n, c) => n + c.test, 0)} test${s.skipped.length ? `; ${s.skipped.length} files skipped` : ""}`);
    for (const warning of s.warnings) log.warn(warning);
    return prepared2;
  });
  const typicalSide = await typicalImageSide(dataset.images.map((i) => i.path));
  const specs = resolveBackbones(options.backbones, backend.name === "tensorflow", typicalSide);
  dataset.summary.typicalSide = typicalSide ?? void 0;
  const remaining = () => Math.max(0, deadline - now());
  const reserve = Math.max(3e3, remaining() * 0.1);
  const bakeOffDeadline = now() + (remaining() - reserve) * 0.5;
  const bakeOff = await timed(
    "bakeOff",
    `Bake-off: ${specs.map((s) => s.id).join(", ")}`,
    () => runBakeOff(specs, { dataset, cacheDir: options.cacheDir, maxPixels: options.maxPixels, workers: options.workers, maxEpochs: options.epochs, seed: options.seed, deadline: bakeOffDeadline, now, log })
  );
  const { prepared } = bakeOff.winner;
  const embedSeconds = bakeOff.rows.reduce((s, r) => s + r.embedSeconds, 0);
  timings2.push({ stage: "embed", seconds: embedSeconds });
  log.info(`Winner: ${prepared.displayName}`);
  try {
    const tuningStart = now();
    const fineTuneBlocker = options.fineTune === "false" ? "switched off (fine-tune: false)" : prepared.kind === "scratch" ? "the winner is the small CNN, already trained end to end" : fineTuneUnsupported(prepared.extractor);
    const mayFineTune = !fineTuneBlocker;
    const refitReserve = prepared.kind === "frozen" ? (deadline - reserve - now()) * REFIT_SHARE : 0;
    const fineTuneEnd = deadline - reserve - refitReserve;
    const tuningDeadline = mayFineTune ? now() + (fineTuneEnd - now()) * TUNING_SHARE_WITH_FINE_TUNE : fineTuneEnd;
    const tuning = await timed(
      "tuning",
      `Hyperparameter round on ${prepared.displayName}`,
      () => runTuning(prepared, bakeOff.winner.fitted, {
        numClasses: dataset.labels.length,
        maxTrials: options.trials,
        maxEpochs: options.epochs,
        seed: options.seed,
        deadline: tuningDeadline,
        now,
        log
      })
    );
    if (tuning.best !== bakeOff.winner.fitted) disposeFitted(bakeOff.winner.fitted);
    let best = tuning.best;
    let evaluated = prepared;
    let fineTune;
    const fineTuneLeft = fineTuneEnd - now();
    if (fineTuneBlocker) {
      fineTune = { applied: false, reason: fineTuneBlocker };
    } else if (options.fineTune === "auto" && fineTuneLeft < options.budgetSeconds * 1e3 * MIN_FINE_TUNE_SHARE) {
      fineTune = { applied: false, reason: `not enough of the budget left (${Math.max(0, fineTuneLeft / 1e3).toFixed(0)} s); raise the budget, or set fine-tune to true` };
    } else {
      const fineTuneDeadline = options.fineTune === "true" ? Math.max(fineTuneEnd, now() + Math.max(3e4, options.budgetSeconds * 250)) : fineTuneEnd;
      const outcome = await timed(
        "fineTune",
        "Fine-tuning the top block",
        () => fineTuneTop(prepared, best, { dataset, cacheDir: options.cacheDir, maxPixels: options.maxPixels, seed: options.seed, deadline: fineTuneDeadline, now, log })
      );
      fineTune = outcome.decision;
      if (outcome.improved) {
        disposeFitted(best);
        best = outcome.improved.fitted;
        evaluated = outcome.improved.prepared;
      }
    }
    if (!fineTune.applied) log.info(`Fine-tuning: skipped, ${fineTune.reason}`);
    const refit = await timed(
      "refit",
      "Final fit on train + validation",
      () => refitOnTrainAndVal(evaluated, best, { numClasses: dataset.labels.length, seed: options.seed, deadline: deadline - reserve, now })
    );
    log.info(`Final fit: ${refit.decision.applied ? "" : "skipped, "}${refit.decision.reason}`);
    if (refit.refitted) {
      disposeFitted(best);
      best = refit.refitted;
    }
    const tuningSeconds = (now() - tuningStart) / 1e3;
    const testImages = dataset.images.filter((i) => i.split === "test");
    const metrics = await timed("evaluate", "Evaluating on the test split", async () => {
      const probabilities = predictProbabilities(best, evaluated.test);
      const measured = evaluate(dataset.labels, testImages.map((i) => ({ file: i.file, sha256: i.sha256, label: dataset.labels.indexOf(i.label) })), probabilities);
      const pathOf = new Map(testImages.map((i) => [i.file, i.path]));
      return { ...measured, mistakes: await attachThumbnails(measured.mistakes, (file) => pathOf.get(file)) };
    });
    log.info(`Test accuracy: ${(metrics.accuracy * 100).toFixed(1)}% on ${metrics.images} images`);
    const modelDir = join8(options.outDir, "model");
    const model5 = await timed(
      "export",
      "Exporting the model",
      () => exportModel({ dir: modelDir, displayDir: displayPath(modelDir), prepared, fitted: best, labels: dataset.labels, metrics })
    );
    disposeFitted(best);
    const usedSeconds = (now() - t0) / 1e3;
    timings2.push({ stage: "total", seconds: usedSeconds });
    const result = {
      schemaVersion: SCHEMA_VERSION,
      startedAt,
      finishedAt: date().toISOString(),
      seed: options.seed,
      config: {
        backbones: specs.map((s) => s.id),
        budgetSeconds: options.budgetSeconds,
        trials: options.trials,
        epochs: options.epochs,
        fineTune: options.fineTune,
        split: options.split,
        seed: options.seed
      },
      backend,
      dataset: dataset.summary,
      bakeOff: { candidates: bakeOff.rows, winner: prepared.spec.id },
      tuning: {
        backbone: prepared.spec.id,
        strategy: `successive halving over ${tuning.trials.length} seeded random proposals (trial 1: seed rule)`,
        trials: tuning.trials,
        bestTrial: tuning.bestTrial,
        best: best.config,
        fineTune,
        refit: refit.decision,
        seconds: tuningSeconds
      },
      test: metrics,
      model: model5,
      budget: { seconds: options.budgetSeconds, usedSeconds, exhausted: usedSeconds >= options.budgetSeconds * 0.98 || tuning.trials.length < options.trials },
      timings: timings2,
      versions: { classifierCi: VERSION, tfjs: tf12.version.tfjs, node: process.versions.node, sharp: sharp3.versions.sharp ?? "unknown" }
    };
    RunResult.parse(result);
    await writeFileAtomic(join8(options.outDir, "result.json"), JSON.stringify(result, null, 2) + "\n");
    return result;
  } finally {
    prepared.extractor?.dispose();
  }
}
function displayPath(path) {
  const rel = relative2(process.cwd(), resolve2(path));
  return rel && !rel.startsWith("..") ? rel : resolve2(path);
}
var TUNING_SHARE_WITH_FINE_TUNE, REFIT_SHARE, MIN_FINE_TUNE_SHARE;
var init_pipeline = __esm({
  "src/core/pipeline.ts"() {
    "use strict";
    init_atomic();
    init_select();
    init_fine_tune_split();
    init_source();
    init_zoo();
    init_image_sizes();
    init_prepare();
    init_evaluate();
    init_export();
    init_options();
    init_ports();
    init_result();
    init_bakeoff();
    init_candidates();
    init_fine_tune();
    init_refit();
    init_tuning();
    init_version();
    TUNING_SHARE_WITH_FINE_TUNE = 0.6;
    REFIT_SHARE = 0.15;
    MIN_FINE_TUNE_SHARE = 0.05;
  }
});

// src/cli/terminal-logger.ts
function terminalLogger(stream = process.stderr, quiet = false) {
  const tty = Boolean(stream.isTTY);
  let barShown = false;
  const lastPlain = /* @__PURE__ */ new Map();
  const clearBar = () => {
    if (barShown) {
      stream.write("\r\x1B[K");
      barShown = false;
    }
  };
  const line = (text) => {
    clearBar();
    stream.write(`${text}
`);
  };
  return {
    info: (message) => !quiet && line(escapeLogLine(message)),
    warn: (message) => line(`warning: ${escapeLogLine(message)}`),
    stage(title) {
      if (!quiet) line(`
\u25B8 ${escapeLogLine(title)}`);
      return () => clearBar();
    },
    progress(rawTask, done, total) {
      if (quiet || total <= 0) return;
      const task = escapeLogLine(rawTask);
      if (tty) {
        const width = 24;
        const filled = Math.round(done / total * width);
        stream.write(`\r\x1B[K  ${task} [${"\u2588".repeat(filled)}${"\xB7".repeat(width - filled)}] ${done}/${total}`);
        barShown = true;
        if (done >= total) clearBar();
        return;
      }
      const quarter = Math.floor(done / total * 4);
      if (quarter > (lastPlain.get(task) ?? -1) || done === total) {
        if (done === total && lastPlain.get(task) === 4) return;
        lastPlain.set(task, done === total ? 4 : quarter);
        stream.write(`  ${task}: ${done}/${total}
`);
      }
    }
  };
}
var init_terminal_logger = __esm({
  "src/cli/terminal-logger.ts"() {
    "use strict";
    init_log_line();
  }
});

// src/core/report/browser-scripts.ts
import { readFile as readFile5 } from "node:fs/promises";
import { createRequire as createRequire2 } from "node:module";
import { dirname as dirname4, join as join9 } from "node:path";
function loadBrowserScripts() {
  cached ??= Promise.all(
    BUILDS.map(async ({ name, file }) => {
      let path;
      try {
        path = join9(dirname4(require3.resolve(name)), file);
        const source = await readFile5(path, "utf8");
        return { name, source: source.replace(/<\/(script)/gi, "<\\/$1") };
      } catch (error) {
        throw new Error(`The HTML report needs the npm package ${name} (its ${file}); install it with npm install ${name}. ${error.message}`);
      }
    })
  ).catch((error) => {
    cached = void 0;
    throw error;
  });
  return cached;
}
var require3, BUILDS, cached;
var init_browser_scripts = __esm({
  "src/core/report/browser-scripts.ts"() {
    "use strict";
    require3 = createRequire2(import.meta.url);
    BUILDS = [
      { name: "vega", file: "vega.min.js" },
      { name: "vega-lite", file: "vega-lite.min.js" },
      { name: "vega-embed", file: "vega-embed.min.js" }
    ];
  }
});

// src/core/report/format.ts
function percent(x, digits = 1) {
  return `${(x * 100).toFixed(digits)}%`;
}
function deltaPoints(delta, digits = 1) {
  const points = delta * 100;
  if (Math.abs(points) < 0.5 * 10 ** -digits) return `\xB1${0 .toFixed(digits)} pp`;
  return `${points > 0 ? "\u25B2" : "\u25BC"} ${Math.abs(points).toFixed(digits)} pp`;
}
function deltaCount(delta) {
  return delta === 0 ? "\xB10" : delta > 0 ? `+${delta}` : `\u2212${-delta}`;
}
function duration(seconds) {
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor(s % 3600 / 60);
  const rest = s % 60;
  return h ? `${h} h${m ? ` ${m} min` : ""}` : `${m} min${rest ? ` ${rest} s` : ""}`;
}
function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}
function integer(n) {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
function rate(x) {
  if (x === 0) return "0";
  if (x >= 0.01) return String(Number(x.toPrecision(3)));
  const [mantissa, exponent] = x.toExponential(1).split("e");
  return `${Number(mantissa)}e${exponent}`;
}
function hidden(units) {
  return units.length ? units.join(", ") : "none";
}
function describeConfigShort(c) {
  return `lr ${rate(c.learningRate)}, batch ${c.batchSize}, hidden ${hidden(c.hiddenUnits)}, dropout ${c.dropout}, weight decay ${rate(c.weightDecay)}, label smoothing ${c.labelSmoothing}`;
}
function shellWord(path) {
  return /^[\w./@:+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
function jsString(text) {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}
function trialNumber(index) {
  return index + 1;
}
var init_format = __esm({
  "src/core/report/format.ts"() {
    "use strict";
  }
});

// src/core/report/charts.ts
function chart(name, title, subtitle, body) {
  const spec = { $schema: SCHEMA, title: subtitle ? { text: title, subtitle } : title, config, ...body };
  return { name, title, spec };
}
function curvesChart(result) {
  const rows = result.bakeOff.candidates.flatMap(
    (c) => c.curve.flatMap((p) => [
      { candidate: c.displayName, epoch: p.epoch, metric: "loss", split: "training", value: p.trainLoss },
      { candidate: c.displayName, epoch: p.epoch, metric: "loss", split: "validation", value: p.valLoss },
      { candidate: c.displayName, epoch: p.epoch, metric: "accuracy", split: "training", value: p.trainAccuracy },
      { candidate: c.displayName, epoch: p.epoch, metric: "accuracy", split: "validation", value: p.valAccuracy }
    ])
  );
  if (rows.length === 0) return null;
  const layer = (metric) => ({
    width: 330,
    height: 220,
    transform: [{ filter: { field: "metric", equal: metric } }],
    mark: { type: "line", strokeWidth: 2, interpolate: "monotone" },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1, format: "d" } },
      y: {
        field: "value",
        type: "quantitative",
        title: metric === "loss" ? "loss (lower is better)" : "accuracy (higher is better)",
        scale: { zero: false },
        ...metric === "accuracy" ? { axis: { format: ".0%" } } : {}
      },
      color: { field: "candidate", type: "nominal", title: "backbone", sort: result.bakeOff.candidates.map((c) => c.displayName) },
      strokeDash: { field: "split", type: "nominal", title: "split", scale: { domain: ["training", "validation"], range: [[5, 3], [1, 0]] } },
      tooltip: [
        { field: "candidate", title: "backbone" },
        { field: "split" },
        { field: "epoch" },
        { field: "value", title: metric, format: metric === "loss" ? ".3f" : ".1%" }
      ]
    }
  });
  return chart("curves", "Bake-off: learning curves", "Solid: validation, dashed: training", {
    data: { values: rows },
    hconcat: [layer("loss"), layer("accuracy")],
    resolve: { scale: { color: "shared", strokeDash: "shared" } }
  });
}
function leaderboardChart(result) {
  const ranked = [...result.bakeOff.candidates].sort((a, b) => (b.error ? -1 : b.valAccuracy) - (a.error ? -1 : a.valAccuracy));
  const rows = ranked.map((c) => ({
    backbone: c.displayName,
    valAccuracy: c.error ? 0 : c.valAccuracy,
    winner: c.backbone === result.bakeOff.winner ? "winner" : "other",
    seconds: Math.round(c.embedSeconds + c.trainSeconds),
    note: c.error ? "failed" : `${(c.valAccuracy * 100).toFixed(1)}%`
  }));
  if (rows.length === 0) return null;
  const y = { field: "backbone", type: "nominal", title: null, sort: rows.map((r) => r.backbone) };
  return chart("leaderboard", "Bake-off: validation accuracy", "The winner is tuned next", {
    data: { values: rows },
    width: 420,
    height: { step: 30 },
    encoding: { y },
    layer: [
      {
        mark: { type: "bar", cornerRadiusEnd: 3, height: { band: 0.7 } },
        encoding: {
          x: { field: "valAccuracy", type: "quantitative", title: "validation accuracy", scale: { domain: [0, 1] }, axis: { format: ".0%" } },
          color: { field: "winner", type: "nominal", scale: { domain: ["winner", "other"], range: [WINNER, OTHER] }, legend: null },
          tooltip: [{ field: "backbone" }, { field: "note", title: "validation accuracy" }, { field: "seconds", title: "seconds" }]
        }
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 11, color: "#111827" },
        encoding: { x: { field: "valAccuracy", type: "quantitative" }, text: { field: "note" } }
      }
    ]
  });
}
function trialsChart(result) {
  const rows = result.tuning.trials.map((t) => ({
    trial: trialNumber(t.index),
    learningRate: t.config.learningRate,
    valAccuracy: t.valAccuracy,
    status: t.index === result.tuning.bestTrial ? "chosen" : t.status,
    config: describeConfigShort(t.config),
    epochs: t.epochs
  }));
  if (rows.length === 0) return null;
  return chart("trials", "Hyperparameter round: score by learning rate", `${rows.length} trial${rows.length === 1 ? "" : "s"} on ${result.tuning.backbone}`, {
    data: { values: rows },
    width: 420,
    height: 240,
    mark: { type: "point", filled: true, size: 80, opacity: 0.85 },
    encoding: {
      x: { field: "learningRate", type: "quantitative", title: "learning rate (log scale)", scale: { type: "log" }, axis: { format: ".0e", tickCount: 5 } },
      y: { field: "valAccuracy", type: "quantitative", title: "validation accuracy", scale: { zero: false }, axis: { format: ".0%" } },
      color: {
        field: "status",
        type: "nominal",
        title: "trial",
        scale: { domain: ["chosen", "seed", "completed", "pruned"], range: ["#16a34a", WINNER, "#60a5fa", OTHER] }
      },
      shape: { field: "status", type: "nominal", scale: { domain: ["chosen", "seed", "completed", "pruned"], range: ["diamond", "square", "circle", "cross"] } },
      size: { condition: { test: "datum.status === 'chosen'", value: 220 }, value: 80 },
      tooltip: [
        { field: "trial" },
        { field: "status" },
        { field: "valAccuracy", title: "validation accuracy", format: ".1%" },
        { field: "learningRate", title: "learning rate", format: ".2e" },
        { field: "config" },
        { field: "epochs" }
      ]
    }
  });
}
function confusionChart(result) {
  const { labels, matrix } = result.test.confusion;
  if (labels.length === 0) return null;
  const rows = labels.flatMap((trueLabel, i) => {
    const total = (matrix[i] ?? []).reduce((a, b) => a + b, 0);
    return labels.map((predicted, j) => {
      const count = matrix[i]?.[j] ?? 0;
      return { trueLabel, predicted, count, share: total ? count / total : 0, correct: i === j };
    });
  });
  const step = Math.max(MIN_STEP, Math.min(44, Math.floor(560 / labels.length)));
  const showCounts = step >= 22;
  const labelFontSize = Math.min(11, step - 1);
  return chart("confusion", "Test set: confusion matrix", "Rows: true label. Columns: predicted. Colour: share of the row", {
    // Empty cells are not drawn (a 60-label matrix is mostly zeros); the plot's fill shows through.
    data: { values: rows.filter((r) => r.count > 0) },
    width: { step },
    height: { step },
    view: { fill: "#f8fafc", stroke: "#e5e7eb" },
    encoding: {
      x: {
        field: "predicted",
        type: "nominal",
        title: "predicted label",
        scale: { domain: labels },
        axis: { orient: "top", labelAngle: labels.length > 12 ? -90 : -45, labelFontSize, labelLimit: 220 }
      },
      y: { field: "trueLabel", type: "nominal", title: "true label", scale: { domain: labels }, axis: { labelFontSize, labelLimit: 220 } }
    },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: step > 14 ? 1 : 0.5 },
        encoding: {
          color: { field: "share", type: "quantitative", title: "share of row", scale: { scheme: "blues", domain: [0, 1] }, legend: { format: ".0%", gradientLength: Math.min(200, step * labels.length) } },
          tooltip: [{ field: "trueLabel", title: "true" }, { field: "predicted" }, { field: "count" }, { field: "share", format: ".1%" }]
        }
      },
      ...showCounts ? [{
        mark: { type: "text", fontSize: step >= 32 ? 12 : 10 },
        encoding: {
          text: { field: "count", type: "quantitative" },
          color: { condition: { test: "datum.share > 0.5", value: "white" }, value: "#111827" }
        }
      }] : []
    ]
  });
}
function perLabelChart(result, baseline) {
  const before = new Map(baseline?.test.perLabel.map((p) => [p.label, p.f1]) ?? []);
  const rows = result.test.perLabel.map((p) => ({ label: p.label, f1: p.f1, precision: p.precision, recall: p.recall, support: p.support, baselineF1: before.get(p.label) ?? null }));
  if (rows.length === 0) return null;
  const step = Math.max(MIN_STEP + 3, Math.min(26, Math.floor(640 / rows.length)));
  const order = [...rows].sort((a, b) => a.f1 - b.f1 || a.label.localeCompare(b.label)).map((r) => r.label);
  const y = { field: "label", type: "nominal", title: null, sort: order };
  const x = { field: "f1", type: "quantitative", title: "F1 on the test set", scale: { domain: [0, 1] }, axis: { format: ".0%" } };
  const hasBaseline = rows.some((r) => r.baselineF1 !== null);
  return chart("per-label-f1", "Test set: F1 per label", hasBaseline ? "Worst first. Black tick: baseline F1" : "Worst first", {
    data: { values: rows },
    width: 420,
    height: { step },
    encoding: { y },
    layer: [
      {
        mark: { type: "bar", cornerRadiusEnd: 2, height: { band: 0.72 } },
        encoding: {
          x,
          color: { value: WINNER },
          tooltip: [
            { field: "label" },
            { field: "f1", title: "F1", format: ".1%" },
            { field: "precision", format: ".1%" },
            { field: "recall", format: ".1%" },
            { field: "support", title: "test images" },
            ...hasBaseline ? [{ field: "baselineF1", title: "baseline F1", format: ".1%" }] : []
          ]
        }
      },
      ...hasBaseline ? [{
        transform: [{ filter: "datum.baselineF1 != null" }],
        mark: { type: "tick", color: "#111827", thickness: 2, size: step * 0.8 },
        encoding: { x: { field: "baselineF1", type: "quantitative" } }
      }] : []
    ]
  });
}
function datasetChart(result) {
  const rows = result.dataset.counts.flatMap((c) => [
    { label: c.label, split: "train", images: c.train, order: 0 },
    { label: c.label, split: "validation", images: c.val, order: 1 },
    { label: c.label, split: "test", images: c.test, order: 2 }
  ]);
  if (rows.length === 0) return null;
  const step = Math.max(MIN_STEP + 3, Math.min(26, Math.floor(640 / result.dataset.counts.length)));
  return chart("dataset", "Dataset: images per label", `${result.dataset.images} images, ${result.dataset.labels.length} labels`, {
    data: { values: rows },
    width: 420,
    height: { step },
    mark: { type: "bar", height: { band: 0.72 } },
    encoding: {
      y: { field: "label", type: "nominal", title: null, sort: result.dataset.counts.map((c) => c.label) },
      x: { field: "images", type: "quantitative", title: "images", stack: "zero" },
      color: { field: "split", type: "nominal", title: "split", scale: { domain: ["train", "validation", "test"], range: [WINNER, "#f97316", "#16a34a"] } },
      order: { field: "order" },
      tooltip: [{ field: "label" }, { field: "split" }, { field: "images" }]
    }
  });
}
function buildCharts(result, baseline) {
  return [
    leaderboardChart(result),
    curvesChart(result),
    trialsChart(result),
    perLabelChart(result, baseline),
    confusionChart(result),
    datasetChart(result)
  ].filter((c) => c !== null);
}
var SCHEMA, FONT, WINNER, OTHER, PALETTE, MIN_STEP, config;
var init_charts = __esm({
  "src/core/report/charts.ts"() {
    "use strict";
    init_format();
    SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
    FONT = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, "DejaVu Sans", sans-serif';
    WINNER = "#2563eb";
    OTHER = "#9ca3af";
    PALETTE = ["#2563eb", "#f97316", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"];
    MIN_STEP = 11;
    config = {
      font: FONT,
      background: "white",
      padding: 12,
      view: { stroke: null },
      title: { fontSize: 15, fontWeight: 600, anchor: "start", color: "#111827", subtitleColor: "#4b5563", subtitleFontSize: 12, offset: 12 },
      axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelColor: "#374151", titleColor: "#374151", gridColor: "#e5e7eb", domainColor: "#9ca3af", tickColor: "#9ca3af", labelLimit: 260 },
      legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelLimit: 320 },
      range: { category: PALETTE }
    };
  }
});

// src/core/report/escape.ts
function flatten(text) {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ");
}
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
function escapeMarkdown(text) {
  return flatten(text).replace(/[\\`*_{}[\]#!|~]/g, (c) => `\\${c}`).replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]).replace(/@/g, "@\u200B").replace(/(\w)(:\/\/)/g, "$1&#58;//").replace(/\b(www)\./gi, "$1&#46;");
}
function markdownCode(text) {
  const flat = flatten(text).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
function mermaidString(text) {
  return `"${flatten(text).replace(/"/g, "'").replace(/[<>]/g, " ").replace(/[`]/g, "'")}"`;
}
function jsonForScript(value) {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
var init_escape = __esm({
  "src/core/report/escape.ts"() {
    "use strict";
  }
});

// src/core/report/verdict.ts
function labelDeltas(result, baseline) {
  const before = new Map(baseline.test.perLabel.map((p) => [p.label, p.f1]));
  return result.test.perLabel.map((p) => {
    const b = before.get(p.label);
    return { label: p.label, f1: p.f1, baselineF1: b ?? null, delta: b === void 0 ? null : p.f1 - b };
  }).sort((a, b) => Math.abs(b.delta ?? 0) - Math.abs(a.delta ?? 0) || a.label.localeCompare(b.label));
}
function clipLabel(label) {
  return label.length > 40 ? `${label.slice(0, 39)}\u2026` : label;
}
function verdict(result, baseline) {
  const acc = result.test.accuracy;
  if (!baseline) {
    const chance = result.dataset.labels.length ? 1 / result.dataset.labels.length : 0;
    const weakest = [...result.test.perLabel].sort((a, b) => a.f1 - b.f1)[0];
    const quality = acc >= 0.9 ? "Strong" : acc >= 0.75 ? "Usable" : acc > chance + 0.1 ? "Weak" : "Not learning";
    const parts2 = [`${quality}: ${percent(acc)} test accuracy on ${integer(result.test.images)} images (chance is ${percent(chance, 0)})`];
    if (weakest && result.test.perLabel.length > 1) parts2.push(`weakest label: ${clipLabel(weakest.label)} (F1 ${percent(weakest.f1)})`);
    if (result.test.images < 50) parts2.push("few test images, so treat these numbers as rough");
    return { tone: "standalone", text: `${parts2.join("; ")}.` };
  }
  const delta = acc - baseline.test.accuracy;
  const tone = delta >= SAME_THRESHOLD ? "better" : delta <= -SAME_THRESHOLD ? "worse" : "same";
  const head = { better: "Better than the baseline", worse: "Worse than the baseline", same: "About the same as the baseline" }[tone];
  const parts = [`${head}: test accuracy ${deltaPoints(delta)} (${percent(baseline.test.accuracy)} \u2192 ${percent(acc)})`];
  const moved = labelDeltas(result, baseline).filter((d) => d.delta !== null && Math.abs(d.delta) >= 0.02);
  const gain = moved.filter((d) => d.delta > 0).sort((a, b) => b.delta - a.delta)[0];
  const loss = moved.filter((d) => d.delta < 0).sort((a, b) => a.delta - b.delta)[0];
  if (gain) parts.push(`biggest gain ${clipLabel(gain.label)} (F1 ${deltaPoints(gain.delta)})`);
  if (loss) parts.push(`biggest drop ${clipLabel(loss.label)} (F1 ${deltaPoints(loss.delta)})`);
  if (baseline.dataset.fingerprint !== result.dataset.fingerprint) parts.push("the dataset changed, so the test sets differ");
  return { tone, text: `${parts.join("; ")}.` };
}
var SAME_THRESHOLD;
var init_verdict = __esm({
  "src/core/report/verdict.ts"() {
    "use strict";
    init_format();
    SAME_THRESHOLD = 5e-3;
  }
});

// src/core/report/tables.ts
function clip(text, max = MAX_CELL_CHARS) {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}\u2026` : text;
}
function limited(columns, rows, limit) {
  return { columns, rows: rows.slice(0, Math.max(0, limit)), total: rows.length };
}
function winnerOf(result) {
  return result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
}
function winnerName(result) {
  return clip(winnerOf(result)?.displayName ?? result.bakeOff.winner);
}
function totalSeconds(result) {
  return result.timings.find((t) => t.stage === "total")?.seconds ?? result.budget.usedSeconds;
}
function backendLine(result) {
  const b = result.backend;
  return `${b.name} (${b.package}, ${b.gpu ? "GPU" : "CPU"}, ${b.threads} thread${b.threads === 1 ? "" : "s"})`;
}
function topKText(result) {
  return result.test.topK ? `; top-${result.test.topK.k}: ${percent(result.test.topK.accuracy)}` : "";
}
function keyNumbers(result) {
  const d = result.dataset;
  const tuned = result.tuning.bestTrial >= 0 ? `, tuned (trial ${trialNumber(result.tuning.bestTrial)} of ${result.tuning.trials.length})` : ", bake-off head kept";
  const rows = [
    ["Winner", { text: `${winnerName(result)}${tuned}`, strong: true }],
    ["Test accuracy", { text: `${percent(result.test.accuracy)} on ${integer(result.test.images)} images${topKText(result)}`, strong: true }],
    ["Macro F1", percent(result.test.macroF1)],
    ["Dataset", `${integer(d.images)} images, ${d.labels.length} labels${d.skipped.length ? `, ${d.skipped.length} skipped` : ""}`],
    ["Backend", backendLine(result)],
    ["Time", `${duration(totalSeconds(result))} of a ${duration(result.budget.seconds)} budget${result.budget.exhausted ? " (budget ran out: some stages were cut short)" : ""}`]
  ];
  return limited([left(""), left("")], rows, rows.length);
}
function comparison(result, baseline) {
  const row = (name, now, before, strong = false) => [
    name,
    strong ? { text: percent(now), strong } : percent(now),
    percent(before),
    strong ? { text: deltaPoints(now - before), strong } : deltaPoints(now - before)
  ];
  const rows = [row("Test accuracy", result.test.accuracy, baseline.test.accuracy, true)];
  if (result.test.topK && baseline.test.topK && result.test.topK.k === baseline.test.topK.k) {
    rows.push(row(`Top-${result.test.topK.k} accuracy`, result.test.topK.accuracy, baseline.test.topK.accuracy));
  }
  rows.push(row("Macro F1", result.test.macroF1, baseline.test.macroF1));
  rows.push(["Images", integer(result.dataset.images), integer(baseline.dataset.images), deltaCount(result.dataset.images - baseline.dataset.images)]);
  rows.push(["Labels", String(result.dataset.labels.length), String(baseline.dataset.labels.length), deltaCount(result.dataset.labels.length - baseline.dataset.labels.length)]);
  rows.push(["Winner", winnerName(result), winnerName(baseline), result.bakeOff.winner === baseline.bakeOff.winner ? "same" : "changed"]);
  rows.push(["Backend", backendLine(result), backendLine(baseline), result.backend.name === baseline.backend.name ? "same" : "changed"]);
  const time = (r) => `${duration(totalSeconds(r))} of ${duration(r.budget.seconds)}${r.budget.exhausted ? " (ran out)" : ""}`;
  rows.push(["Time (of the budget)", time(result), time(baseline), ""]);
  return limited([left(""), right("This run"), right("Baseline"), right("Change")], rows, rows.length);
}
function labelChanges(result, baseline, limit) {
  const rows = labelDeltas(result, baseline).map((d) => [
    clip(d.label),
    d.baselineF1 === null ? "new" : percent(d.baselineF1),
    percent(d.f1),
    d.delta === null ? "" : deltaPoints(d.delta)
  ]);
  return limited([left("Label"), right("Baseline F1"), right("F1"), right("Change")], rows, limit);
}
function leaderboard(result, limit) {
  const ranked = [...result.bakeOff.candidates].sort((a, b) => Number(Boolean(a.error)) - Number(Boolean(b.error)) || b.valAccuracy - a.valAccuracy || a.valLoss - b.valLoss);
  const rows = ranked.map((c, i) => {
    const winner = c.backbone === result.bakeOff.winner;
    const name = `${clip(c.displayName)}${winner ? " (winner)" : ""}`;
    if (c.error) return [String(i + 1), name, String(c.inputSize), `failed: ${clip(c.error)}`, "", "", duration(c.embedSeconds + c.trainSeconds)];
    return [
      String(i + 1),
      winner ? { text: name, strong: true } : name,
      c.kind === "scratch" ? `${c.inputSize} (from scratch)` : String(c.inputSize),
      winner ? { text: percent(c.valAccuracy), strong: true } : percent(c.valAccuracy),
      c.valLoss.toFixed(3),
      `${c.bestEpoch} / ${c.epochs}`,
      c.embeddingsCached && !c.embeddingsComputed ? `${duration(c.trainSeconds)} (embeddings cached)` : duration(c.embedSeconds + c.trainSeconds)
    ];
  });
  return limited([right("Rank"), left("Backbone"), right("Input"), right("Val accuracy"), right("Val loss"), right("Best epoch / run"), right("Time")], rows, limit);
}
function trials(result, limit) {
  const sorted = [...result.tuning.trials].sort((a, b) => b.valAccuracy - a.valAccuracy || a.valLoss - b.valLoss || a.index - b.index);
  const rows = sorted.map((t) => {
    const chosen2 = t.index === result.tuning.bestTrial;
    const status = chosen2 ? "chosen" : t.status;
    return [
      chosen2 ? { text: String(trialNumber(t.index)), strong: true } : String(trialNumber(t.index)),
      chosen2 ? { text: percent(t.valAccuracy), strong: true } : percent(t.valAccuracy),
      t.valLoss.toFixed(3),
      rate(t.config.learningRate),
      String(t.config.batchSize),
      hidden(t.config.hiddenUnits),
      String(t.config.dropout),
      rate(t.config.weightDecay),
      String(t.config.labelSmoothing),
      String(t.epochs),
      duration(t.seconds),
      status
    ];
  });
  return limited(
    [right("Trial"), right("Val accuracy"), right("Val loss"), right("Learning rate"), right("Batch"), right("Hidden"), right("Dropout"), right("Weight decay"), right("Label smoothing"), right("Epochs"), right("Time"), left("Status")],
    rows,
    limit
  );
}
function perLabel(result, baseline, limit) {
  const before = new Map(baseline?.test.perLabel.map((p) => [p.label, p.f1]) ?? []);
  const all = result.test.perLabel;
  const ordered = all.length > limit ? [...all].sort((a, b) => a.f1 - b.f1 || a.label.localeCompare(b.label)) : all;
  const rows = ordered.map((p) => {
    const b = before.get(p.label);
    return [
      clip(p.label),
      percent(p.precision),
      percent(p.recall),
      percent(p.f1),
      ...baseline ? [b === void 0 ? "new" : deltaPoints(p.f1 - b)] : [],
      String(p.support)
    ];
  });
  const columns = [left("Label"), right("Precision"), right("Recall"), right("F1"), ...baseline ? [right("F1 change")] : [], right("Test images")];
  return limited(columns, rows, limit);
}
function confusionMatrix(result, maxLabelChars = 24) {
  const { labels, matrix } = result.test.confusion;
  const rows = labels.map((label, i) => [
    { text: clip(label, maxLabelChars), strong: true },
    ...labels.map((_, j) => {
      const n = matrix[i]?.[j] ?? 0;
      return i === j ? { text: String(n), strong: true } : n === 0 ? "\xB7" : String(n);
    })
  ]);
  return limited([left("True \u2193 / predicted \u2192"), ...labels.map((l) => right(clip(l, maxLabelChars)))], rows, rows.length);
}
function confusedPairs(result, limit) {
  const { labels, matrix } = result.test.confusion;
  const pairs = [];
  labels.forEach((_, i) => {
    const row = matrix[i] ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((n, j) => {
      if (i !== j && n > 0) pairs.push({ t: i, p: j, n, share: total ? n / total : 0 });
    });
  });
  pairs.sort((a, b) => b.n - a.n || b.share - a.share || a.t - b.t || a.p - b.p);
  const rows = pairs.map((x) => [clip(labels[x.t]), clip(labels[x.p]), String(x.n), percent(x.share)]);
  return limited([left("True label"), left("Predicted as"), right("Images"), right("Share of true label")], rows, limit);
}
function mistakes(result, limit, thumbnails) {
  const withPictures = Boolean(thumbnails?.size);
  const rows = result.test.mistakes.map((m) => {
    const url = thumbnails?.get(m.sha256);
    return [
      ...withPictures ? [url ? { image: url, alt: clip(m.file, 40) } : ""] : [],
      { text: clip(m.file), code: true },
      clip(m.trueLabel),
      clip(m.predictedLabel),
      percent(m.confidence, 0)
    ];
  });
  return limited([...withPictures ? [left("")] : [], left("File"), left("True label"), left("Predicted"), right("Confidence")], rows, limit);
}
function counts(result, baseline, limit) {
  const before = new Map(baseline?.dataset.counts.map((c) => [c.label, c.total]) ?? []);
  const rows = result.dataset.counts.map((c) => [
    clip(c.label),
    integer(c.train),
    integer(c.val),
    integer(c.test),
    integer(c.total),
    ...baseline ? [before.has(c.label) ? deltaCount(c.total - before.get(c.label)) : "new"] : []
  ]);
  const columns = [left("Label"), right("Train"), right("Val"), right("Test"), right("Total"), ...baseline ? [right("Change")] : []];
  return limited(columns, rows, limit);
}
function skipped(result, limit) {
  const rows = result.dataset.skipped.map((s) => [{ text: clip(s.file), code: true }, clip(s.reason, 160)]);
  return limited([left("File"), left("Reason")], rows, limit);
}
function modelFiles(result, limit) {
  const rows = result.model.files.map((f) => [{ text: clip(f.name), code: true }, bytes(f.bytes), { text: f.sha256.slice(0, 12), code: true }]);
  return limited([left("File"), right("Size"), left("SHA-256 (start)")], rows, limit);
}
function timings(result) {
  const rows = result.timings.map((t) => [STAGE_NAMES[t.stage] ?? t.stage, duration(t.seconds)]);
  return limited([left("Stage"), right("Time")], rows, rows.length);
}
function layerSummary(result, limit) {
  const m = result.model;
  const all = m.layers.map((l) => [clip(`${l.name} (${l.className})`, 60), clip(l.outputShape, 28), integer(l.params), l.trainable ? "" : "frozen"]);
  let shown = all;
  if (all.length > limit) {
    const head = Math.ceil((limit - 1) / 2);
    const tail = Math.max(0, limit - 1 - head);
    shown = [...all.slice(0, head), [`\u2026 ${all.length - head - tail} more layers \u2026`, "", "", ""], ...tail ? all.slice(-tail) : []];
  }
  const header = ["Layer (type)", "Output shape", "Params", ""];
  const widths = [0, 1, 2].map((i) => Math.max(header[i].length, ...shown.map((r) => r[i].length)));
  const line = (r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padStart(widths[2])}${r[3] ? `  ${r[3]}` : ""}`.trimEnd();
  const width = widths[0] + widths[1] + widths[2] + 4 + 8;
  const total = m.trainableParams + m.nonTrainableParams;
  return [
    line(header),
    "=".repeat(width),
    ...shown.map(line),
    "=".repeat(width),
    `Total params: ${integer(total)}`,
    `Trainable params: ${integer(m.trainableParams)}`,
    `Non-trainable params: ${integer(m.nonTrainableParams)}`
  ].join("\n");
}
var MAX_CELL_CHARS, STAGE_NAMES, left, right;
var init_tables = __esm({
  "src/core/report/tables.ts"() {
    "use strict";
    init_format();
    init_verdict();
    MAX_CELL_CHARS = 80;
    STAGE_NAMES = { scan: "reading the data", embed: "embeddings", bakeOff: "bake-off", tuning: "hyperparameter round", fineTune: "fine-tuning", refit: "final fit", evaluate: "evaluation", export: "export", total: "total" };
    left = (title) => ({ title, align: "left" });
    right = (title) => ({ title, align: "right" });
  }
});

// src/core/report/html.ts
import { createHash as createHash9 } from "node:crypto";
function safeDataImage(uri) {
  return uri && /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/.test(uri) ? uri : null;
}
function cell(c, header = false) {
  const tag = header ? "th" : "td";
  if (typeof c === "string") return `<${tag}>${escapeHtml(c)}</${tag}>`;
  if ("image" in c) return `<${tag}><img class="thumb" src="${escapeHtml(c.image)}" alt="${escapeHtml(c.alt)}"></${tag}>`;
  const text = escapeHtml(c.text);
  return `<${tag}>${c.code ? `<code>${text}</code>` : c.strong ? `<strong>${text}</strong>` : text}</${tag}>`;
}
function table(t, className = "") {
  const align = (i) => t.columns[i]?.align === "right" ? ' class="num"' : "";
  const head = t.columns.some((c) => c.title) ? `<thead><tr>${t.columns.map((c, i) => `<th${align(i)}>${escapeHtml(c.title)}</th>`).join("")}</tr></thead>` : "";
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => cell(c).replace(/^<td>/, `<td${align(i)}>`)).join("")}</tr>`).join("\n");
  return `<div class="table-wrap"><table${className ? ` class="${className}"` : ""}>${head}<tbody>
${rows}
</tbody></table></div>`;
}
function chart2(charts, name) {
  const c = charts.find((x) => x.name === name);
  if (!c) return "";
  return `<figure class="chart"><div class="vega" id="chart-${escapeHtml(c.name)}" data-chart="${escapeHtml(c.name)}" role="img" aria-label="${escapeHtml(c.title)}"></div></figure>`;
}
function section(id, title, body) {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>
${body}
</section>`;
}
function details(summary, body, open2 = false) {
  return `<details${open2 ? " open" : ""}><summary>${escapeHtml(summary)}</summary>
${body}
</details>`;
}
function card(label, value, note = "", text = false) {
  return `<div class="card"><div class="card-label">${escapeHtml(label)}</div><div class="card-value${text ? " text" : ""}">${escapeHtml(value)}</div>${note ? `<div class="card-note">${escapeHtml(note)}</div>` : ""}</div>`;
}
function renderHtml(result, options) {
  const { baseline, charts } = options;
  const v = verdict(result, baseline);
  const test = result.test;
  const d = result.dataset;
  const change = (now, before) => before === void 0 ? "" : `${deltaPoints(now - before)} vs baseline`;
  const cards = [
    card("Test accuracy", percent(test.accuracy), change(test.accuracy, baseline?.test.accuracy)),
    ...test.topK ? [card(`Top-${test.topK.k} accuracy`, percent(test.topK.accuracy), baseline?.test.topK?.k === test.topK.k ? change(test.topK.accuracy, baseline.test.topK.accuracy) : "")] : [],
    card("Macro F1", percent(test.macroF1), change(test.macroF1, baseline?.test.macroF1)),
    card("Winner", winnerName(result), result.tuning.bestTrial >= 0 ? `tuned: trial ${trialNumber(result.tuning.bestTrial)}` : "bake-off head kept", true),
    card("Data", `${integer(d.images)} images`, `${d.labels.length} labels${d.skipped.length ? `, ${d.skipped.length} skipped` : ""}`),
    card("Time", duration(totalSeconds(result)), `of ${duration(result.budget.seconds)} budget${result.budget.exhausted ? " (ran out)" : ""}`)
  ].join("\n");
  const headline2 = `<header>
<h1>classifier-ci report</h1>
<p class="verdict tone-${v.tone}">${escapeHtml(v.text)}</p>
<div class="cards">${cards}</div>
${baseline ? details("Compared with the baseline", table(comparison(result, baseline)) + table(labelChanges(result, baseline, ALL)), true) : ""}
</header>`;
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const chosen2 = result.tuning.trials.find((t) => t.index === result.tuning.bestTrial);
  const bakeOff = section("bake-off", "Bake-off", `<p>${result.bakeOff.candidates.length} backbones trained a head each on the same split; the best validation accuracy won.</p>
${table(leaderboard(result, ALL))}
<div class="charts">${chart2(charts, "leaderboard")}${chart2(charts, "curves")}</div>`);
  const ft = result.tuning.fineTune;
  const tuning = section("tuning", "Hyperparameter round", `<p>${escapeHtml(winnerName(result))}: ${result.tuning.trials.length} trials in ${escapeHtml(duration(result.tuning.seconds))} (${escapeHtml(result.tuning.strategy)}). ${chosen2 ? `Chosen: <strong>trial ${trialNumber(chosen2.index)}</strong>, ${percent(chosen2.valAccuracy)} validation accuracy${winner ? ` (bake-off head: ${percent(winner.valAccuracy)})` : ""}.` : `No trial beat the bake-off head${winner ? ` (${percent(winner.valAccuracy)})` : ""}, so it was kept.`}</p>
<p>Config: <code>${escapeHtml(describeConfigShort(result.tuning.best))}</code></p>
<p>Fine-tuning the top of the backbone: ${ft.applied ? `applied${ft.valAccuracy !== void 0 ? `, ${percent(ft.valAccuracy)} validation accuracy` : ""}` : "skipped"}; ${escapeHtml(ft.reason)}.</p>
${result.tuning.refit ? `<p>Final fit: ${result.tuning.refit.applied ? "" : "skipped; "}${escapeHtml(result.tuning.refit.reason)}.</p>
` : ""}<div class="charts">${chart2(charts, "trials")}</div>
${result.tuning.trials.length ? details(`All ${result.tuning.trials.length} trials, best first`, table(trials(result, ALL))) : ""}`);
  const labels = test.confusion.labels.length;
  const thumbnails = new Map(test.mistakes.flatMap((m2) => {
    const uri = safeDataImage(m2.thumbnail);
    return uri ? [[m2.sha256, uri]] : [];
  }));
  const testSection2 = section("test", "Test set", `<p>${integer(test.images)} images the model never saw while training or choosing: accuracy ${percent(test.accuracy)}${test.topK ? `, top-${test.topK.k} ${percent(test.topK.accuracy)}` : ""}, macro F1 ${percent(test.macroF1)}.</p>
<div class="charts">${chart2(charts, "per-label-f1")}${chart2(charts, "confusion")}</div>
${details(`Precision, recall and F1 for all ${test.perLabel.length} labels`, table(perLabel(result, baseline, ALL)), test.perLabel.length <= 20)}
${labels && labels <= 20 ? details("Confusion matrix as a table (rows: true label, columns: predicted)", table(confusionMatrix(result), "matrix")) : ""}
${labels > 20 ? details("Most confused label pairs", table(confusedPairs(result, ALL))) : ""}
${test.mistakes.length ? details(`The ${test.mistakes.length} most confident mistakes`, table(mistakes(result, ALL, thumbnails)), test.mistakes.length <= 10) : ""}`);
  const how = d.splitMode === "hash" ? "split by content hash (stable across runs)" : "split by its train/, val/ and test/ folders";
  const dataset = section("dataset", "Dataset", `<p><code>${escapeHtml(d.root)}</code>: ${integer(d.images)} images in ${d.labels.length} labels, ${how}: ${integer(d.split.train)} train, ${integer(d.split.val)} validation, ${integer(d.split.test)} test.</p>
${d.warnings.length ? `<div class="warnings"><strong>Warnings</strong><ul>${d.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul></div>` : ""}
<div class="charts">${chart2(charts, "dataset")}</div>
${details("Images per label and split", table(counts(result, baseline, ALL)))}
${d.skipped.length ? details(`${integer(d.skipped.length)} files skipped`, table(skipped(result, ALL)), d.skipped.length <= 10) : ""}`);
  const m = result.model;
  const modelBytes = m.files.reduce((n, f) => n + f.bytes, 0);
  const model5 = section("model", "Model", `<p><code>${escapeHtml(m.dir)}</code>: ${bytes(modelBytes)} in ${m.files.length} files, ${escapeHtml(winnerName(result))} with its trained head, input ${m.inputSize}\xD7${m.inputSize}.</p>
<p>Classify an image from the command line:</p>
<pre><code>npx classifier-ci predict ${escapeHtml(shellWord(m.dir))} image.jpg</code></pre>
<p>Or from code:</p>
<pre><code>import { loadClassifier } from 'classifier-ci';

const c = await loadClassifier(${escapeHtml(jsString(m.dir))});
await c.classify('image.jpg');</code></pre>
${details(`Layers (${m.layers.length})`, `<pre class="summary">${escapeHtml(layerSummary(result, ALL))}</pre>`)}
${details("Files", table(modelFiles(result, ALL)))}`);
  const b = result.backend;
  const run = section("run", "Run details", `<p>Backend: ${escapeHtml(backendLine(result))}.</p>
${b.skipped.length ? `<p>Not used:</p><ul>${b.skipped.map((s) => `<li><code>${escapeHtml(s.backend)}</code>: ${escapeHtml(s.reason)}</li>`).join("")}</ul>` : ""}
<p>Budget: ${duration(result.budget.usedSeconds)} used of ${duration(result.budget.seconds)}${result.budget.exhausted ? "; it ran out, so some stages stopped early" : ""}. Seed ${result.seed}. Started ${escapeHtml(result.startedAt)}, finished ${escapeHtml(result.finishedAt)}.</p>
<p>Versions: classifier-ci ${escapeHtml(result.versions.classifierCi)}, tfjs ${escapeHtml(result.versions.tfjs)}, Node ${escapeHtml(result.versions.node)}, sharp ${escapeHtml(result.versions.sharp)}.</p>
${table(timings(result))}`);
  const specs = Object.fromEntries(charts.map((c) => [c.name, c.spec]));
  const boot = `(function () {
  var specs = JSON.parse(document.getElementById('chart-specs').textContent);
  var pending = [];
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var spec = specs[el.getAttribute('data-chart')];
    if (!spec) return;
    pending.push(vegaEmbed(el, spec, { renderer: 'svg', actions: false }).catch(function (error) {
      el.textContent = 'This chart could not be drawn: ' + error.message;
      console.error(error);
    }));
  });
  Promise.all(pending).then(function () { document.body.setAttribute('data-charts', 'ready'); });
})();`;
  const scripts = [...options.scripts.map((s) => s.source), boot];
  const hashes = scripts.map((s) => `'sha256-${createHash9("sha256").update(s, "utf8").digest("base64")}'`);
  const csp = `default-src 'none'; script-src ${hashes.join(" ")} 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>classifier-ci: ${escapeHtml(percent(test.accuracy))} test accuracy with ${escapeHtml(winnerName(result))}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${headline2}
<nav><a href="#bake-off">Bake-off</a><a href="#tuning">Hyperparameter round</a><a href="#test">Test set</a><a href="#dataset">Dataset</a><a href="#model">Model</a><a href="#run">Run details</a></nav>
${bakeOff}
${tuning}
${testSection2}
${dataset}
${model5}
${run}
<footer>classifier-ci ${escapeHtml(result.versions.classifierCi)} \xB7 result.json schema v${result.schemaVersion}</footer>
</main>
<script type="application/json" id="chart-specs">${jsonForScript(specs)}</script>
${scripts.map((s) => `<script>${s}</script>`).join("\n")}
</body>
</html>
`;
}
var ALL, STYLE;
var init_html = __esm({
  "src/core/report/html.ts"() {
    "use strict";
    init_escape();
    init_format();
    init_tables();
    init_verdict();
    ALL = Number.MAX_SAFE_INTEGER;
    STYLE = `
:root { --fg: #111827; --muted: #4b5563; --line: #e5e7eb; --bg: #ffffff; --soft: #f8fafc; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--soft); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 24px 48px; }
header, section { background: var(--bg); border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; margin: 0 0 18px; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 0 0 10px; }
p { margin: 8px 0; }
nav { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0 0 18px; padding: 0 4px; }
nav a { color: var(--accent); text-decoration: none; font-weight: 500; }
.verdict { font-size: 16px; font-weight: 600; padding: 10px 14px; border-radius: 8px; border-left: 5px solid; background: var(--soft); }
.tone-better { border-color: #16a34a; } .tone-worse { border-color: #dc2626; } .tone-same { border-color: #9ca3af; } .tone-standalone { border-color: var(--accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin: 14px 0 6px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 0; }
.card-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card-value { font-size: 20px; font-weight: 650; overflow-wrap: break-word; line-height: 1.3; }
.card-value.text { font-size: 16px; }
.card-note { color: var(--muted); font-size: 13px; }
.table-wrap { overflow-x: auto; margin: 10px 0; }
table { border-collapse: collapse; font-size: 14px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; overflow-wrap: anywhere; }
th { font-weight: 600; background: var(--soft); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
table.matrix td, table.matrix th { text-align: right; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
code { background: var(--soft); padding: 1px 4px; border-radius: 4px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; overflow-x: auto; }
pre code { background: none; padding: 0; }
details { margin: 10px 0; }
summary { cursor: pointer; font-weight: 600; color: var(--fg); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; margin: 12px 0; }
figure.chart { margin: 0; max-width: 100%; overflow-x: auto; }
.thumb { width: 64px; height: 64px; object-fit: contain; image-rendering: auto; border-radius: 4px; background: var(--soft); }
.warnings { background: #fffbeb; border: 1px solid #fde68a; border-radius: 8px; padding: 8px 14px; margin: 10px 0; }
.warnings ul { margin: 4px 0; padding-left: 20px; }
footer { color: var(--muted); font-size: 13px; text-align: center; }
`;
  }
});

// src/core/report/markdown.ts
import { markdownTable } from "markdown-table";
function renderMarkdown(result, options = {}) {
  const maxChars = options.maxChars ?? COMMENT_MAX_CHARS;
  const levels = options.variant === "summary" ? SUMMARY_LEVELS : COMMENT_LEVELS;
  let sections = [];
  for (const limits of levels) {
    sections = renderSections(result, options, limits);
    const text2 = join10(sections);
    if (text2.length <= maxChars) return text2;
  }
  const note = `

_Some sections were left out to stay under GitHub's size limit. ${whereIsTheRest(options)}_
`;
  while (sections.length > 1 && join10(sections).length + note.length > maxChars) sections.pop();
  const text = join10(sections);
  return text.length + note.length <= maxChars ? text.trimEnd() + note : `${[...text].slice(0, maxChars - note.length - 2).join("")}\u2026${note}`;
}
function join10(sections) {
  return `${sections.filter(Boolean).join("\n\n")}
`;
}
function whereIsTheRest(options) {
  const url = safeUrl(options.fullReportUrl);
  return url ? `Everything is in the [full report](${url}).` : "Everything is in report.html and result.json.";
}
function safeUrl(url) {
  if (!url) return null;
  if (/^https:\/\/[^\s<>"'`()\\[\]]+$/i.test(url)) return url;
  if (/^[\w][\w./-]*$/.test(url) && !url.includes("..")) return url;
  return null;
}
function cellText(cell2) {
  if (typeof cell2 === "string") return escapeMarkdown(cell2);
  if ("image" in cell2) return `<img src="${cell2.image}" alt="${escapeHtml(cell2.alt)}" width="64">`;
  if (cell2.code) return markdownCode(cell2.text);
  return cell2.strong ? `**${escapeMarkdown(cell2.text)}**` : escapeMarkdown(cell2.text);
}
function table2(t) {
  const align = t.columns.map((c) => c.align === "right" ? "r" : c.align === "center" ? "c" : "l");
  const rows = [t.columns.map((c) => escapeMarkdown(c.title)), ...t.rows.map((r) => r.map(cellText))];
  return markdownTable(rows, { align, alignDelimiters: false });
}
function shortened(t, what, how, options) {
  if (t.rows.length >= t.total) return "";
  return `

_Showing ${t.rows.length} of ${integer(t.total)} ${what}${how ? ` (${how})` : ""}. ${whereIsTheRest(options)}_`;
}
function fold(summary, body, open2 = false) {
  return `<details${open2 ? " open" : ""}><summary>${summary}</summary>

${body}

</details>`;
}
function chart3(name, alt, options) {
  const url = safeUrl(options.chartUrls?.get(name));
  return url ? `![${alt}](${url})` : "";
}
function codeBlock(language, text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}
${text}
${fence}`;
}
function renderSections(result, options, limits) {
  return [
    headline(result, options, limits),
    bakeOffSection(result, options, limits),
    tuningSection(result, options, limits),
    testSection(result, options, limits),
    datasetSection(result, options, limits),
    modelSection(result, limits),
    runSection(result, limits),
    footer(result, options)
  ];
}
function headline(result, options, limits) {
  const { baseline } = options;
  const v = verdict(result, baseline);
  const icon = { better: "\u{1F7E2}", worse: "\u{1F534}", same: "\u26AA", standalone: "\u{1F535}" }[v.tone];
  const parts = [
    `## classifier-ci: ${percent(result.test.accuracy)} test accuracy with ${escapeMarkdown(winnerName(result))}`,
    `${icon} **${escapeMarkdown(v.text)}**`
  ];
  if (baseline) {
    parts.push(table2(comparison(result, baseline)));
    const changes = labelChanges(result, baseline, limits.labelChanges);
    if (changes.rows.length) {
      parts.push(fold(`F1 change per label (${changes.total < 2 ? "the label" : changes.rows.length < changes.total ? `the ${changes.rows.length} that moved most` : `all ${changes.total}`})`, table2(changes)));
    }
  } else {
    const t = keyNumbers(result);
    parts.push(markdownTable(t.rows.map((r) => r.map(cellText)), { align: ["l", "l"], alignDelimiters: false }));
  }
  return parts.join("\n\n");
}
function bakeOffSection(result, options, limits) {
  const n = result.bakeOff.candidates.length;
  const t = leaderboard(result, limits.leaderboard);
  const parts = [
    "### Bake-off",
    `${n} backbone${n === 1 ? "" : "s"} trained a head each on the same split; the best validation accuracy won.`,
    table2(t) + shortened(t, "backbones", "best first", options)
  ];
  const images = [chart3("leaderboard", "Bake-off: validation accuracy per backbone", options), chart3("curves", "Bake-off: learning curves", options)].filter(Boolean);
  if (images.length) parts.push(images.join("\n"));
  else if (limits.mermaid) {
    const curves = mermaidCurves(result);
    if (curves) parts.push(fold("Learning curve of the chosen model", curves));
  }
  return parts.join("\n\n");
}
function mermaidCurves(result) {
  const trial = result.tuning.trials.find((t) => t.index === result.tuning.bestTrial);
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const points = trial?.curve.length ? trial.curve : winner?.curve ?? [];
  if (points.length < 2) return null;
  const stride = Math.ceil(points.length / 60);
  const sampled = points.filter((_, i) => i % stride === 0 || i === points.length - 1);
  const pct2 = (x) => Number((x * 100).toFixed(1));
  const all = sampled.flatMap((p) => [pct2(p.trainAccuracy), pct2(p.valAccuracy)]);
  const low = Math.max(0, Math.floor(Math.min(...all) / 10) * 10);
  const lines = [
    "---",
    "config:",
    "  xyChart:",
    "    width: 720",
    "    height: 320",
    "  themeVariables:",
    "    xyChart:",
    '      plotColorPalette: "#2563eb, #f97316"',
    "---",
    "xychart-beta",
    `  title ${mermaidString(`${winnerName(result)}: accuracy per epoch (blue: validation, orange: training)`)}`,
    `  x-axis "epoch" ${sampled[0].epoch} --> ${sampled[sampled.length - 1].epoch}`,
    `  y-axis "accuracy (%)" ${low} --> 100`,
    `  line [${sampled.map((p) => pct2(p.valAccuracy)).join(", ")}]`,
    `  line [${sampled.map((p) => pct2(p.trainAccuracy)).join(", ")}]`
  ];
  return codeBlock("mermaid", lines.join("\n"));
}
function tuningSection(result, options, limits) {
  const tuning = result.tuning;
  const n = tuning.trials.length;
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const chosen2 = tuning.trials.find((t) => t.index === tuning.bestTrial);
  const parts = ["### Hyperparameter round"];
  const intro = `${escapeMarkdown(winnerName(result))}: ${n} trial${n === 1 ? "" : "s"} in ${duration(tuning.seconds)} (${escapeMarkdown(clip(tuning.strategy))}).`;
  const outcome = chosen2 ? `Chosen: **trial ${trialNumber(chosen2.index)}**, ${percent(chosen2.valAccuracy)} validation accuracy${winner ? ` (bake-off head: ${percent(winner.valAccuracy)})` : ""}.` : `No trial beat the bake-off head${winner ? ` (${percent(winner.valAccuracy)} validation accuracy)` : ""}, so it was kept.`;
  parts.push(`${intro} ${outcome}`);
  parts.push(`Config: ${markdownCode(describeConfigShort(tuning.best))}`);
  const ft = tuning.fineTune;
  parts.push(
    ft.applied ? `Fine-tuning the top of the backbone: applied${ft.valAccuracy !== void 0 ? `, ${percent(ft.valAccuracy)} validation accuracy` : ""}; ${escapeMarkdown(clip(ft.reason, 200))}.` : `Fine-tuning the top of the backbone: skipped; ${escapeMarkdown(clip(ft.reason, 200))}.`
  );
  const refit = tuning.refit;
  if (refit) parts.push(`Final fit: ${refit.applied ? "" : "skipped; "}${escapeMarkdown(clip(refit.reason, 200))}.`);
  const image = chart3("trials", "Hyperparameter round: score by learning rate", options);
  if (image) parts.push(image);
  if (n) {
    const t = trials(result, limits.trials);
    parts.push(fold(`${t.rows.length < t.total ? `Best ${t.rows.length} of ${n} trials` : `All ${n} trials`}, best first`, table2(t) + shortened(t, "trials", "best first", options)));
  }
  return parts.join("\n\n");
}
function testSection(result, options, limits) {
  const test = result.test;
  const parts = ["### Test set"];
  parts.push(`${integer(test.images)} images the model never saw while training or choosing: accuracy ${percent(test.accuracy)}${test.topK ? `, top-${test.topK.k} ${percent(test.topK.accuracy)}` : ""}, macro F1 ${percent(test.macroF1)}.`);
  const perLabel2 = perLabel(result, options.baseline, limits.perLabel);
  const perLabelText = table2(perLabel2) + shortened(perLabel2, "labels", "lowest F1 first", options);
  const f1Chart = chart3("per-label-f1", "Test set: F1 per label", options);
  if (perLabel2.total <= 10) parts.push(perLabelText);
  else parts.push(fold(`Precision, recall and F1 for ${perLabel2.rows.length < perLabel2.total ? `the ${perLabel2.rows.length} weakest of ${perLabel2.total} labels` : `all ${perLabel2.total} labels`}`, perLabelText));
  if (f1Chart) parts.push(f1Chart);
  const labels = test.confusion.labels.length;
  const confusionChart2 = chart3("confusion", "Test set: confusion matrix", options);
  if (labels > 0 && labels <= limits.confusionLabels) {
    parts.push(fold("Confusion matrix (rows: true label, columns: predicted)", table2(confusionMatrix(result)) + (confusionChart2 ? `

${confusionChart2}` : "")));
  } else if (labels > 0) {
    const pairs = confusedPairs(result, limits.confusedPairs);
    const body = pairs.total ? table2(pairs) + shortened(pairs, "confused pairs", "most images first", options) : "No confusions: every test image was classified correctly.";
    parts.push(fold(`Most confused label pairs (the full ${labels}\xD7${labels} matrix is in the ${confusionChart2 ? "chart and the " : ""}HTML report)`, body + (confusionChart2 ? `

${confusionChart2}` : "")));
  }
  if (test.mistakes.length) {
    const thumbnails = /* @__PURE__ */ new Map();
    for (const [sha, url] of options.thumbnailUrls ?? []) if (safeUrl(url)) thumbnails.set(sha, url);
    const t = mistakes(result, limits.mistakes, thumbnails);
    parts.push(fold(`The ${t.rows.length} most confident mistakes`, table2(t) + shortened(t, "mistakes", "most confident first", options)));
  }
  return parts.join("\n\n");
}
function datasetSection(result, options, limits) {
  const d = result.dataset;
  const parts = ["### Dataset"];
  const how = d.splitMode === "hash" ? "split by content hash (stable across runs)" : "split by its train/, val/ and test/ folders";
  parts.push(`${markdownCode(clip(d.root))}: ${integer(d.images)} images in ${d.labels.length} labels, ${how}: ${integer(d.split.train)} train, ${integer(d.split.val)} validation, ${integer(d.split.test)} test.`);
  if (d.warnings.length) {
    const shown = d.warnings.slice(0, limits.warnings);
    const more = d.warnings.length - shown.length;
    parts.push(`**Warnings**

${shown.map((w) => `- ${escapeMarkdown(clip(w, 300))}`).join("\n")}${more ? `
- _\u2026and ${more} more. ${whereIsTheRest(options)}_` : ""}`);
  }
  const t = counts(result, options.baseline, limits.counts);
  const image = chart3("dataset", "Dataset: images per label", options);
  parts.push(fold(`Images per label and split${t.rows.length < t.total ? ` (first ${t.rows.length} of ${t.total} labels)` : ""}`, table2(t) + shortened(t, "labels", "", options) + (image ? `

${image}` : "")));
  if (d.skipped.length) {
    const s = skipped(result, limits.skipped);
    parts.push(fold(`${integer(d.skipped.length)} file${d.skipped.length === 1 ? "" : "s"} skipped`, table2(s) + shortened(s, "skipped files", "", options)));
  }
  return parts.join("\n\n");
}
function modelSection(result, limits) {
  const m = result.model;
  const total = m.files.reduce((n, f) => n + f.bytes, 0);
  const dir = m.dir;
  const parts = ["### Model"];
  parts.push(`${markdownCode(clip(dir, 120))}: ${bytes(total)} in ${m.files.length} file${m.files.length === 1 ? "" : "s"}, ${escapeMarkdown(winnerName(result))} with its trained head, input ${m.inputSize}\xD7${m.inputSize}, ${integer(m.trainableParams + m.nonTrainableParams)} parameters.`);
  parts.push(`Classify an image from the command line:

${codeBlock("sh", `npx classifier-ci predict ${shellWord(dir)} image.jpg`)}`);
  parts.push(`Or from code:

${codeBlock("ts", `import { loadClassifier } from 'classifier-ci';

const c = await loadClassifier(${jsString(dir)});
await c.classify('image.jpg');`)}`);
  if (m.layers.length) parts.push(fold(`Layers (${m.layers.length})`, codeBlock("text", layerSummary(result, limits.layers))));
  if (m.files.length) {
    const t = modelFiles(result, limits.files);
    parts.push(fold("Files", table2(t) + (t.rows.length < t.total ? `

_\u2026and ${t.total - t.rows.length} more files._` : "")));
  }
  return parts.join("\n\n");
}
function runSection(result, limits) {
  const b = result.backend;
  const lines = [`Backend: ${escapeMarkdown(backendLine(result))}.`];
  if (b.skipped.length) {
    const shown = b.skipped.slice(0, limits.backendsSkipped);
    lines.push(`Not used: ${shown.map((s) => `${escapeMarkdown(clip(s.backend, 40))} (${escapeMarkdown(clip(s.reason, 200))})`).join("; ")}${b.skipped.length > shown.length ? `; and ${b.skipped.length - shown.length} more` : ""}.`);
  }
  lines.push(`Budget: ${duration(result.budget.usedSeconds)} used of ${duration(result.budget.seconds)}${result.budget.exhausted ? "; it ran out, so some stages stopped early" : ""}. Seed ${result.seed}.`);
  const v = result.versions;
  lines.push(`Versions: classifier-ci ${escapeMarkdown(v.classifierCi)}, tfjs ${escapeMarkdown(v.tfjs)}, Node ${escapeMarkdown(v.node)}, sharp ${escapeMarkdown(v.sharp)}.`);
  return fold("Run details", `${lines.join("\n")}

${table2(timings(result))}`);
}
function footer(result, options) {
  const url = safeUrl(options.fullReportUrl);
  const when = result.startedAt.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
  return `<sub>classifier-ci ${escapeMarkdown(result.versions.classifierCi)} \xB7 run started ${escapeMarkdown(when)}${url ? ` \xB7 [full report with interactive charts](${url})` : ""}</sub>`;
}
var COMMENT_MAX_CHARS, SUMMARY_MAX_CHARS, COMMENT_LEVELS, SUMMARY_LEVELS;
var init_markdown = __esm({
  "src/core/report/markdown.ts"() {
    "use strict";
    init_escape();
    init_format();
    init_tables();
    init_verdict();
    COMMENT_MAX_CHARS = 65e3;
    SUMMARY_MAX_CHARS = 1e6;
    COMMENT_LEVELS = [
      { labelChanges: 10, leaderboard: 20, trials: 50, perLabel: 100, confusionLabels: 12, confusedPairs: 20, mistakes: 10, counts: 100, skipped: 20, warnings: 20, layers: 40, files: 20, backendsSkipped: 10, mermaid: true },
      { labelChanges: 10, leaderboard: 12, trials: 20, perLabel: 40, confusionLabels: 10, confusedPairs: 10, mistakes: 8, counts: 40, skipped: 10, warnings: 10, layers: 24, files: 12, backendsSkipped: 5, mermaid: true },
      { labelChanges: 5, leaderboard: 8, trials: 10, perLabel: 15, confusionLabels: 8, confusedPairs: 5, mistakes: 5, counts: 15, skipped: 5, warnings: 5, layers: 12, files: 8, backendsSkipped: 3, mermaid: false }
    ];
    SUMMARY_LEVELS = [
      { labelChanges: 30, leaderboard: 50, trials: 500, perLabel: 2e3, confusionLabels: 20, confusedPairs: 50, mistakes: 25, counts: 2e3, skipped: 500, warnings: 100, layers: 400, files: 100, backendsSkipped: 10, mermaid: true },
      ...COMMENT_LEVELS
    ];
  }
});

// src/core/report/render-charts.ts
import sharp4 from "sharp";
import * as vega from "vega";
import { compile } from "vega-lite";
function compileSpec(spec, name = "chart", warnings = []) {
  const collect = (...args) => {
    warnings.push(args.map(String).join(" "));
    return logger;
  };
  const logger = { level: () => logger, warn: collect, error: collect, info: () => logger, debug: () => logger };
  try {
    return compile(spec, { logger }).spec;
  } catch (error) {
    throw new Error(`The ${name} chart spec does not compile: ${error.message}`);
  }
}
async function renderSvg(spec, name = "chart") {
  const view = new vega.View(vega.parse(compileSpec(spec, name)), { renderer: "none", logLevel: vega.Error });
  try {
    return (await view.toSVG()).replace(XML_INVALID, "\uFFFD");
  } finally {
    view.finalize();
  }
}
async function svgToPng(svg) {
  const png = await sharp4(Buffer.from(svg), { density: 72 * PNG_SCALE }).png({ compressionLevel: 9, palette: true, quality: 90 }).toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
async function renderChart(chart4) {
  const svg = await renderSvg(chart4.spec, chart4.name);
  const png = await svgToPng(svg);
  return { name: chart4.name, title: chart4.title, svg, png, spec: chart4.spec };
}
async function renderCharts(charts) {
  const rendered = [];
  for (const chart4 of charts) rendered.push(await renderChart(chart4));
  return rendered;
}
var PNG_SCALE, XML_INVALID;
var init_render_charts = __esm({
  "src/core/report/render-charts.ts"() {
    "use strict";
    PNG_SCALE = 2;
    XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
  }
});

// src/core/report/index.ts
import { join as join11 } from "node:path";
async function renderReport(result, options = {}) {
  const specs = buildCharts(result, options.baseline);
  const charts = await renderCharts(specs);
  const chartUrls = /* @__PURE__ */ new Map();
  const thumbnailUrls = /* @__PURE__ */ new Map();
  if (options.imageHost) {
    for (const chart4 of charts) {
      const url = await putQuietly(options.imageHost, `${chart4.name}.png`, chart4.png, "image/png");
      if (url) chartUrls.set(chart4.name, url);
    }
    for (const mistake of result.test.mistakes.slice(0, MAX_THUMBNAILS)) {
      const picture = decodeDataImage(mistake.thumbnail);
      if (!picture) continue;
      const url = await putQuietly(options.imageHost, `mistake-${mistake.sha256.slice(0, 16)}.${picture.extension}`, picture.bytes, picture.contentType);
      if (url) thumbnailUrls.set(mistake.sha256, url);
    }
  }
  const common = { baseline: options.baseline, chartUrls, thumbnailUrls, fullReportUrl: options.fullReportUrl };
  const markdown = renderMarkdown(result, { ...common, variant: "comment", maxChars: COMMENT_MAX_CHARS });
  const summary = renderMarkdown(result, { ...common, variant: "summary", maxChars: SUMMARY_MAX_CHARS });
  const html = renderHtml(result, { baseline: options.baseline, charts: specs, scripts: await loadBrowserScripts() });
  return { markdown, summary, html, charts: charts.map(({ name, svg, png, spec }) => ({ name, svg, png, spec })) };
}
async function writeReport(outDir, result, options = {}) {
  const report = await renderReport(result, options);
  const files = [
    ["report.md", report.markdown],
    ["summary.md", report.summary],
    ["report.html", report.html],
    ...report.charts.flatMap((c) => [
      [join11("charts", `${c.name}.svg`), c.svg],
      [join11("charts", `${c.name}.png`), c.png]
    ])
  ];
  const written = [];
  for (const [name, data] of files) {
    const path = join11(outDir, name);
    await writeFileAtomic(path, data);
    written.push(path);
  }
  return written;
}
async function putQuietly(host, name, bytes2, contentType) {
  try {
    return await host.put(name, bytes2, contentType);
  } catch {
    return null;
  }
}
function decodeDataImage(uri) {
  const safe = safeDataImage(uri);
  if (!safe) return null;
  const [head, data] = safe.split(",", 2);
  const contentType = head.slice("data:".length, head.indexOf(";"));
  const extension = contentType === "image/jpeg" ? "jpg" : contentType.split("/")[1];
  return { bytes: new Uint8Array(Buffer.from(data, "base64")), contentType, extension };
}
var MAX_THUMBNAILS;
var init_report = __esm({
  "src/core/report/index.ts"() {
    "use strict";
    init_atomic();
    init_browser_scripts();
    init_charts();
    init_html();
    init_markdown();
    init_render_charts();
    MAX_THUMBNAILS = 10;
  }
});

// src/cli/report-files.ts
async function writeReportSafely(outDir, result, log) {
  try {
    return await writeReport(outDir, result);
  } catch (error) {
    log.warn(`The report could not be written: ${error.message}. The model and result.json are saved.`);
    return [];
  }
}
var init_report_files = __esm({
  "src/cli/report-files.ts"() {
    "use strict";
    init_report();
  }
});

// src/cli/commands/train.ts
var train_exports = {};
__export(train_exports, {
  command: () => command
});
import { parseArgs } from "node:util";
import { basename as basename3, join as join12 } from "node:path";
import { availableParallelism } from "node:os";
function numberOption(value, name, fallback) {
  if (value === void 0) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new InputError(`--${name} must be a number, got "${value}".`, name);
  return n;
}
var usage, command;
var init_train = __esm({
  "src/cli/commands/train.ts"() {
    "use strict";
    init_errors();
    init_log_line();
    init_options();
    init_pipeline();
    init_terminal_logger();
    init_report_files();
    usage = `Usage: classifier-ci train <dataset> [options]

Trains an image classifier on <dataset>: a folder of <label>/<image> files (or a .zip).
Runs the backbone bake-off, the hyperparameter round, tests the winner and exports it.

Options:
  --out <dir>             where result.json, model/ and the report go (default: runs/<dataset name>)
  --backbones <list>      comma-separated: mobilenet_v2, inception_v3, hog, small_cnn, a model.json URL or path,
                          each optionally @<input size>; or auto (default: auto)
  --budget <seconds>      time budget for the whole run (default: ${DEFAULTS.budgetSeconds})
  --trials <n>            most trials in the hyperparameter round (default: ${DEFAULTS.trials})
  --epochs <n>            most epochs per training (default: ${DEFAULTS.epochs})
  --split <t,v,t>         train,val,test ratios (default: 0.7,0.15,0.15)
  --seed <n>              seed for splits, training and search (default: ${DEFAULTS.seed})
  --fine-tune <mode>      auto | true | false: fine-tune the winning backbone's top block (default: auto)
  --cache-dir <dir>       embedding and download cache (default: .cache/classifier-ci)
  --max-pixels <n>        refuse images above this many pixels (default: ${DEFAULTS.maxPixels})
  --workers <n>           threads for computing embeddings (default: one per core)
  --json                  print the result as JSON on stdout
  --quiet                 only warnings and the final summary
  -h, --help              show this help

Example:
  classifier-ci train sample-dataset --out runs/sample --budget 120`;
    command = {
      name: "train",
      summary: "train a classifier on a dataset folder (bake-off, tuning, test, export)",
      usage,
      async run(argv) {
        const { values, positionals } = parseArgs({
          args: argv,
          allowPositionals: true,
          options: {
            out: { type: "string" },
            backbones: { type: "string" },
            budget: { type: "string" },
            trials: { type: "string" },
            epochs: { type: "string" },
            split: { type: "string" },
            seed: { type: "string" },
            "fine-tune": { type: "string" },
            "cache-dir": { type: "string" },
            "max-pixels": { type: "string" },
            workers: { type: "string" },
            json: { type: "boolean" },
            quiet: { type: "boolean" }
          }
        });
        if (positionals.length !== 1) throw new InputError("Give exactly one dataset folder (or .zip), e.g. classifier-ci train sample-dataset.", "dataset");
        const datasetPath = positionals[0];
        const options = {
          datasetPath,
          outDir: values.out ?? join12("runs", basename3(datasetPath).replace(/\.zip$/i, "") || "dataset"),
          cacheDir: values["cache-dir"] ?? join12(".cache", "classifier-ci"),
          backbones: values.backbones ? values.backbones.split(",").map((b) => b.trim()).filter(Boolean) : DEFAULTS.backbones,
          budgetSeconds: numberOption(values.budget, "budget", DEFAULTS.budgetSeconds),
          trials: numberOption(values.trials, "trials", DEFAULTS.trials),
          epochs: numberOption(values.epochs, "epochs", DEFAULTS.epochs),
          split: values.split ? parseSplit(values.split) : DEFAULTS.split,
          seed: numberOption(values.seed, "seed", DEFAULTS.seed),
          fineTune: values["fine-tune"] ?? DEFAULTS.fineTune,
          workers: numberOption(values.workers, "workers", availableParallelism()),
          maxPixels: numberOption(values["max-pixels"], "max-pixels", DEFAULTS.maxPixels)
        };
        const log = terminalLogger(process.stderr, Boolean(values.quiet));
        const result = await train2(options, { log });
        const reportFiles = await writeReportSafely(options.outDir, result, log);
        if (values.json) {
          process.stdout.write(JSON.stringify(result, null, 2) + "\n");
          return 0;
        }
        const total = result.timings.find((t) => t.stage === "total")?.seconds ?? 0;
        const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
        const summary = [
          "",
          `Done in ${total.toFixed(0)} s.`,
          `  Winner:         ${winner?.displayName ?? result.bakeOff.winner}`,
          `  Test accuracy:  ${(result.test.accuracy * 100).toFixed(1)}% on ${result.test.images} images${result.test.topK ? ` (top-${result.test.topK.k}: ${(result.test.topK.accuracy * 100).toFixed(1)}%)` : ""}`,
          `  Model:          ${result.model.dir}`,
          `  Result:         ${join12(options.outDir, "result.json")}`,
          ...reportFiles.length ? [`  Report:         ${join12(options.outDir, "report.md")} (and report.html)`] : [],
          "",
          `Classify an image: npx classifier-ci predict ${result.model.dir} <image>`,
          ""
        ];
        process.stderr.write(summary.map(escapeLogLine).join("\n"));
        return 0;
      }
    };
  }
});

// src/core/model/classifier.ts
import * as tf13 from "@tensorflow/tfjs";
import { readFile as readFile6 } from "node:fs/promises";
import { join as join13 } from "node:path";
async function readModelFile(dir, name) {
  try {
    return await readFile6(join13(dir, name));
  } catch {
    throw new InputError(`${join13(dir, name)} is missing. Point to a model folder written by "classifier-ci train" (it holds model.json, weights.bin, labels.json and preprocessing.json).`, dir);
  }
}
async function loadClassifier(dir) {
  await ensureBackend();
  const preprocessing = JSON.parse((await readModelFile(dir, "preprocessing.json")).toString("utf8"));
  if (preprocessing.format !== MODEL_FORMAT && preprocessing.format !== TWO_PART_FORMAT) {
    throw new InputError(`${dir} holds a model of format "${preprocessing.format}"; this version of classifier-ci reads "${MODEL_FORMAT}" and "${TWO_PART_FORMAT}". Re-export it with this version.`, dir);
  }
  const labels = JSON.parse((await readModelFile(dir, "labels.json")).toString("utf8"));
  const modelJson = JSON.parse((await readModelFile(dir, "model.json")).toString("utf8"));
  const shards = [];
  for (const path of modelJson.weightsManifest.flatMap((g) => g.paths)) shards.push(await readModelFile(dir, path));
  const weights = Buffer.concat(shards);
  const model5 = await tf13.loadLayersModel(
    tf13.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength)
    })
  );
  const size3 = preprocessing.inputSize;
  const backbone = preprocessing.format === TWO_PART_FORMAT ? await loadBackbone({ id: preprocessing.backbone, source: join13(dir, "backbone", "model.json"), builtin: false, inputSize: size3, range: preprocessing.range ?? [0, 1] }, { cacheDir: dir }) : null;
  const classifyPixels = (pixels, n) => tf13.tidy(() => {
    const input3 = backbone ? tf13.tensor2d(backbone.embed(pixels, n), [n, backbone.featureDim]) : tf13.tensor4d(pixels, [n, size3, size3, 3], "int32").toFloat();
    return model5.predict(input3).dataSync();
  });
  return {
    labels,
    inputSize: size3,
    classifyPixels,
    async classify(image) {
      let pixels;
      try {
        pixels = await decodeToRgb(image, size3, DEFAULTS.maxPixels);
      } catch (error) {
        throw new InputError(`${typeof image === "string" ? image : "The image"}: ${error.message}.`, typeof image === "string" ? image : void 0);
      }
      const p = classifyPixels(pixels, 1);
      let best = 0;
      for (let i = 1; i < labels.length; i++) if (p[i] > p[best]) best = i;
      return {
        label: labels[best],
        confidence: p[best],
        probabilities: Object.fromEntries(labels.map((label, i) => [label, p[i]]))
      };
    },
    dispose: () => {
      model5.dispose();
      backbone?.dispose();
    }
  };
}
var init_classifier = __esm({
  "src/core/model/classifier.ts"() {
    "use strict";
    init_select();
    init_decode();
    init_errors();
    init_options();
    init_export();
    init_zoo();
  }
});

// src/cli/commands/predict.ts
var predict_exports = {};
__export(predict_exports, {
  command: () => command2,
  expandInputs: () => expandInputs,
  globToRegExp: () => globToRegExp
});
import { parseArgs as parseArgs2 } from "node:util";
import { readdir as readdir3, stat as stat5 } from "node:fs/promises";
import { join as join14, relative as relative3, resolve as resolve3, sep as sep2 } from "node:path";
function globToRegExp(pattern) {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      re += ".*";
      i++;
      if (pattern[i + 1] === "/") i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
async function walk(dir, out) {
  for (const entry of (await readdir3(dir, { withFileTypes: true })).sort((a, b) => a.name < b.name ? -1 : 1)) {
    if (entry.name.startsWith(".")) continue;
    const full = join14(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else if (IMAGE_EXTENSIONS.has(entry.name.slice(entry.name.lastIndexOf(".")).toLowerCase())) out.push(full);
  }
}
async function expandInputs(inputs) {
  const files = [];
  for (const input3 of inputs) {
    if (/[*?]/.test(input3)) {
      const base = input3.slice(0, input3.search(/[*?]/)).replace(/[^/]*$/, "") || ".";
      const all = [];
      await walk(base, all).catch(() => {
      });
      const re = globToRegExp(input3.split(sep2).join("/").replace(/^\.\//, ""));
      const matched = all.filter((f) => re.test(relative3(".", f).split(sep2).join("/")) || re.test(f.split(sep2).join("/")));
      if (!matched.length) throw new InputError(`No images match "${input3}".`, input3);
      files.push(...matched);
      continue;
    }
    const info = await stat5(input3).catch(() => null);
    if (!info) throw new InputError(`${input3} was not found. Give image files, folders or quoted globs.`, input3);
    if (info.isDirectory()) {
      const found = [];
      await walk(input3, found);
      if (!found.length) throw new InputError(`The folder ${input3} holds no images (${[...IMAGE_EXTENSIONS].join(" ")}).`, input3);
      files.push(...found);
    } else files.push(input3);
  }
  return [...new Set(files.map((f) => resolve3(f)))].map((f) => relative3(".", f) || f);
}
function top(result, k) {
  return Object.entries(result.probabilities).sort((a, b) => b[1] - a[1]).slice(0, k);
}
var usage2, command2;
var init_predict = __esm({
  "src/cli/commands/predict.ts"() {
    "use strict";
    init_errors();
    init_log_line();
    init_scan();
    init_classifier();
    usage2 = `Usage: classifier-ci predict <model dir> <image|folder|glob>... [--json] [--top <k>]

Classifies images with a model written by "classifier-ci train".
Folders are searched recursively; quote globs to let classifier-ci expand them ("photos/**/*.jpg").

Options:
  --json        one JSON object per image on stdout: file, label, confidence, probabilities
  --top <k>     show the k most likely labels per image (default: 1)
  -h, --help    show this help

Example:
  classifier-ci predict runs/sample/model sample-dataset/bag/train-00421.png`;
    command2 = {
      name: "predict",
      summary: "classify images with a trained model",
      usage: usage2,
      async run(argv) {
        const { values, positionals } = parseArgs2({ args: argv, allowPositionals: true, options: { json: { type: "boolean" }, top: { type: "string" } } });
        if (positionals.length < 2) throw new InputError("Give a model folder and at least one image, e.g. classifier-ci predict runs/sample/model photo.jpg.", "arguments");
        const k = values.top === void 0 ? 1 : Number(values.top);
        if (!Number.isInteger(k) || k < 1) throw new InputError(`--top must be a whole number of 1 or more, got "${values.top}".`, "top");
        const [modelDir, ...inputs] = positionals;
        const classifier = await loadClassifier(modelDir);
        const files = await expandInputs(inputs);
        let failures = 0;
        for (const file of files) {
          let result;
          try {
            result = await classifier.classify(file);
          } catch (error) {
            failures++;
            if (values.json) process.stdout.write(JSON.stringify({ file, error: error.message }) + "\n");
            else process.stderr.write(`warning: ${escapeLogLine(error.message)}
`);
            continue;
          }
          if (values.json) {
            process.stdout.write(JSON.stringify({ file, label: result.label, confidence: result.confidence, probabilities: result.probabilities }) + "\n");
          } else {
            const guesses = top(result, Math.min(k, classifier.labels.length)).map(([label, p]) => `${label} ${(p * 100).toFixed(1)}%`).join(", ");
            process.stdout.write(`${escapeLogLine(`${file}: ${guesses}`)}
`);
          }
        }
        classifier.dispose();
        return failures ? 2 : 0;
      }
    };
  }
});

// src/cli/commands/report.ts
var report_exports = {};
__export(report_exports, {
  command: () => command3
});
import { readFile as readFile7 } from "node:fs/promises";
import { dirname as dirname5 } from "node:path";
import { parseArgs as parseArgs3 } from "node:util";
async function readResult(path, what) {
  let text;
  try {
    text = await readFile7(path, "utf8");
  } catch (error) {
    const code = error.code;
    throw new InputError(code === "ENOENT" ? `${what} ${path} does not exist. Give the result.json a training run wrote.` : `Cannot read ${what} ${path}: ${error.message}`, path);
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} ${path} is not valid JSON: ${error.message}`, path);
  }
  try {
    return parseRunResult(json, path);
  } catch (error) {
    throw new InputError(error.message, path);
  }
}
var usage3, command3;
var init_report2 = __esm({
  "src/cli/commands/report.ts"() {
    "use strict";
    init_errors();
    init_log_line();
    init_report();
    init_result();
    usage3 = `Usage: classifier-ci report <result.json> [options]

Renders the report of a finished run again: report.md (for a PR comment), summary.md,
report.html (interactive charts, opens offline) and charts/*.svg|png.

Options:
  --baseline <result.json>  compare with this earlier run (\u25B2/\u25BC per metric and per label)
  --out <dir>               where the files go (default: the folder of <result.json>)
  --full-report-url <url>   https link to the full report, named where tables are shortened
  --json                    print the written paths as JSON on stdout
  -h, --help                show this help

Example:
  classifier-ci report runs/sample/result.json --baseline runs/main/result.json`;
    command3 = {
      name: "report",
      summary: "render the report (Markdown, HTML, charts) of a result.json again",
      usage: usage3,
      async run(argv) {
        const { values, positionals } = parseArgs3({
          args: argv,
          allowPositionals: true,
          options: {
            baseline: { type: "string" },
            out: { type: "string" },
            "full-report-url": { type: "string" },
            json: { type: "boolean" },
            help: { type: "boolean", short: "h" }
          }
        });
        if (values.help) {
          process.stdout.write(`${usage3}
`);
          return 0;
        }
        if (positionals.length !== 1) throw new InputError("Give exactly one result.json, e.g. classifier-ci report runs/sample/result.json.", "result.json");
        const resultPath = positionals[0];
        const fullReportUrl = values["full-report-url"];
        if (fullReportUrl !== void 0 && !/^https:\/\/\S+$/.test(fullReportUrl)) {
          throw new InputError(`--full-report-url must be an https:// URL, got "${fullReportUrl}".`, "full-report-url");
        }
        const result = await readResult(resultPath, "The result");
        const baseline = values.baseline === void 0 ? void 0 : await readResult(values.baseline, "The baseline");
        const outDir = values.out ?? dirname5(resultPath);
        const written = await writeReport(outDir, result, { baseline, fullReportUrl });
        if (values.json) process.stdout.write(`${JSON.stringify(written, null, 2)}
`);
        else process.stderr.write([`Wrote ${written.length} files to ${outDir}:`, ...written.map((p) => `  ${p}`)].map(escapeLogLine).join("\n") + "\n");
        return 0;
      }
    };
  }
});

// src/cli/main.ts
init_errors();
init_log_line();
init_version();
var COMMANDS = {
  train: () => Promise.resolve().then(() => (init_train(), train_exports)),
  predict: () => Promise.resolve().then(() => (init_predict(), predict_exports)),
  report: () => Promise.resolve().then(() => (init_report2(), report_exports))
};
var SUMMARIES = {
  train: "train a classifier on a dataset folder (bake-off, tuning, test, export)",
  predict: "classify images with a trained model",
  report: "re-render the report from a result.json"
};
function overview() {
  return [
    `classifier-ci ${VERSION}: from a folder of labelled images to a tuned image classifier.`,
    "",
    "Usage: classifier-ci <command> [options]",
    "",
    "Commands:",
    ...Object.keys(COMMANDS).map((name) => `  ${name.padEnd(10)}${SUMMARIES[name]}`),
    "",
    `Run "classifier-ci <command> --help" for a command's options.`
  ].join("\n");
}
async function main(argv) {
  const [name, ...rest] = argv;
  if (!name || name === "-h" || name === "--help" || name === "help") {
    process.stdout.write(overview() + "\n");
    return 0;
  }
  if (name === "--version" || name === "-v") {
    process.stdout.write(`${VERSION}
`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`Unknown command "${escapeLogLine(name)}". Commands: ${Object.keys(COMMANDS).join(", ")}. Run "classifier-ci --help".
`);
    return 2;
  }
  try {
    const { command: command4 } = await load();
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(command4.usage + "\n");
      return 0;
    }
    return await command4.run(rest);
  } catch (error) {
    if (isUserFacingError(error)) {
      process.stderr.write(`error: ${escapeLogLine(error.message)}
`);
      return error.exitCode;
    }
    const code = error.code;
    if (code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`error: ${escapeLogLine(error.message)}. Run "classifier-ci ${name} --help".
`);
      return 2;
    }
    const trace = (error.stack ?? String(error)).split("\n").map(escapeLogLine).join("\n");
    process.stderr.write(`classifier-ci hit an unexpected error; this is a bug, please report it with the lines below.
${trace}
`);
    return 1;
  }
}

// src/cli/index.ts
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]]) {
  process.once(signal, () => {
    process.stderr.write(`${process.stderr.isTTY ? "\n" : ""}classifier-ci: stopped by ${signal}. Finished work is kept in the cache; run the same command again to resume.
`);
    process.exit(code);
  });
}
process.exitCode = await main(process.argv.slice(2));
