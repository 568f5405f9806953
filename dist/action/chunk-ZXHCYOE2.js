import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  registerWasmGradientKernels
} from "./chunk-ZO3YFCMU.js";
import {
  BUILTIN_BACKBONES,
  HOG,
  decodeToRgb,
  fromLayersModel,
  topTopology
} from "./chunk-O4E5JHB5.js";

// src/core/backend/select.ts
import * as tf2 from "@tensorflow/tfjs";
import { existsSync, readFileSync } from "node:fs";

// src/core/backend/wasm-tile.ts
import * as tf from "@tensorflow/tfjs";
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
  const current = tf.getKernel(tf.Tile, "wasm");
  if (current?.kernelFunc === tile) return;
  stockTile = current;
  if (current) tf.unregisterKernel(tf.Tile, "wasm");
  tf.registerKernel({ kernelName: tf.Tile, backendName: "wasm", kernelFunc: tile, setupFunc: current?.setupFunc });
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
      if (!await tf2.setBackend(candidate.backend)) throw new Error(`the ${candidate.backend} backend did not initialise`);
      await tf2.ready();
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

// src/core/embeddings/batches.ts
var TFJS_BATCH_PIXELS = 4 * 224 * 224;
function tfjsBatchSize(size) {
  return Math.min(16, Math.max(1, Math.floor(TFJS_BATCH_PIXELS / (size * size))));
}
async function decodeBatch(images, size, maxPixels) {
  const pixels = await Promise.all(images.map((image) => decodeToRgb(image.path, size, maxPixels)));
  const batch = new Uint8Array(images.length * size * size * 3);
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

// src/core/backbones/fine-tune-split.ts
import * as tf3 from "@tensorflow/tfjs";
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
  const model2 = extractor.layersModel;
  const cutLayer = BUILTIN_BACKBONES[extractor.spec.source].fineTuneCut;
  const cutOutput = model2.getLayer(cutLayer).output;
  const cutShape = cutOutput.shape.slice(1);
  const topJson = topTopology(extractor.topology, cutLayer, cutShape);
  if (!topJson) throw new Error(`${extractor.spec.id}: a connection skips across ${cutLayer}`);
  for (const layer of topJson.model_config.config.layers) {
    layer.config.trainable = layer.class_name !== "BatchNormalization";
  }
  const top = await tf3.models.modelFromJSON({ modelTopology: topJson });
  for (const layer of top.layers) {
    const weights = layer.getWeights().length ? model2.getLayer(layer.name).getWeights() : [];
    if (weights.length) layer.setWeights(weights);
  }
  const baseModel = tf3.model({ inputs: model2.inputs, outputs: cutOutput });
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

export {
  selectBackend,
  describeBackend,
  ensureBackend,
  tfjsBatchSize,
  decodeBatch,
  runPipelined,
  fineTuneUnsupported,
  splitForFineTune
};
