import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  registerWasmGradientKernels
} from "./chunk-XNQQN2WO.js";
import {
  explainWriteError,
  writeFileAtomic
} from "./chunk-KTKKD3V5.js";
import {
  InputError
} from "./chunk-IR3KUOTZ.js";

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

// src/core/backbones/source.ts
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
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
import * as tf4 from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import { dirname as dirname2, join as join2 } from "node:path";

// src/core/backbones/hog.ts
import * as tf3 from "@tensorflow/tfjs";
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
function buildHogModel(size) {
  const input2 = tf3.input({ shape: [size, size, 3], name: "input" });
  const conv = tf3.layers.conv2d({ filters: HOG_DIRECTIONS, kernelSize: 3, padding: "same", useBias: false, trainable: false, name: "hog_gradients" });
  let edges = conv.apply(input2);
  edges = tf3.layers.reLU({ name: "hog_relu" }).apply(edges);
  const cells = tf3.layers.averagePooling2d({ poolSize: HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_cells" }).apply(edges);
  const padded = tf3.layers.zeroPadding2d({ padding: HOG_CELL / 2, name: "hog_block_pad" }).apply(edges);
  const blocks = tf3.layers.averagePooling2d({ poolSize: 2 * HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_blocks" }).apply(padded);
  let x = tf3.layers.concatenate({ name: "hog_scales" }).apply([cells, blocks]);
  x = tf3.layers.activation({ activation: "softsign", name: "hog_compress" }).apply(x);
  x = tf3.layers.flatten({ name: "hog_features" }).apply(x);
  const model3 = tf3.model({ inputs: input2, outputs: x, name: "hog" });
  tf3.tidy(() => conv.setWeights([tf3.tensor4d(hogKernel(), [3, 3, 3, HOG_DIRECTIONS])]));
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
        layers: [{ name: "input", class_name: "InputLayer", config: { batch_input_shape: shape, dtype: "float32", sparse: false, name: "input" }, inbound_nodes: [] }],
        input_layers: [["input", 0, 0]],
        output_layers: [["input", 0, 0]]
      }
    }
  };
}
function topTopology(topology, cutLayer, cutShape) {
  const copy = structuredClone(topology);
  const config = copy.model_config.config;
  const byName = new Map(config.layers.map((l) => [l.name, l]));
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
    { name: inputName, class_name: "InputLayer", config: { batch_input_shape: [null, ...cutShape], dtype: "float32", sparse: false, name: inputName }, inbound_nodes: [] },
    ...top
  ];
  config.input_layers = [[inputName, 0, 0]];
  config.name = `${config.name}_top`;
  return copy;
}
function topologyOf(model3) {
  const json = model3.toJSON(null, false);
  return { keras_version: json.keras_version, backend: json.backend, model_config: { class_name: json.class_name, config: json.config } };
}

// src/core/backbones/zoo.ts
var BUILTIN_BACKBONES = {
  mobilenet_v2: { displayName: "MobileNetV2", defaultSize: 224, minSize: 32, cutLayer: "out_relu", fineTuneCut: "block_15_add", nsfwjsModel: "mobilenet_v2" },
  inception_v3: { displayName: "InceptionV3", defaultSize: 299, minSize: 75, cutLayer: "mixed10", fineTuneCut: "mixed9", nsfwjsModel: "inception_v3" }
};
var SMALL_CNN = "small_cnn";
var SMALL_CNN_DEFAULT_SIZE = 32;
var BACKBONE_NAMES = [...Object.keys(BUILTIN_BACKBONES), HOG, SMALL_CNN];
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
  let size;
  const sizeMatch = /@(\d+)$/.exec(rest);
  if (sizeMatch) {
    size = Number(sizeMatch[1]);
    rest = rest.slice(0, sizeMatch.index);
  } else if (/@[^/]*$/.test(rest) && !/^https?:/.test(rest)) {
    throw new InputError(`Backbone "${text}": the part after @ must be an input size in pixels, e.g. mobilenet_v2@160.`, text);
  }
  const name = rest.toLowerCase();
  if (name === SMALL_CNN) {
    const inputSize = size ?? SMALL_CNN_DEFAULT_SIZE;
    if (inputSize < 8 || inputSize > 128) throw new InputError(`Backbone "${text}": small_cnn input size must be between 8 and 128 pixels.`, text);
    return { id: `${SMALL_CNN}@${inputSize}`, source: SMALL_CNN, builtin: true, inputSize, range: [0, 1] };
  }
  if (name === HOG) {
    const inputSize = size ?? HOG_DEFAULT_SIZE;
    if (inputSize < 8 || inputSize > 256) throw new InputError(`Backbone "${text}": hog input size must be between 8 and 256 pixels.`, text);
    return { id: `${HOG}@${inputSize}`, source: HOG, builtin: true, inputSize, range: [0, 1] };
  }
  const builtin = BUILTIN_BACKBONES[name];
  if (builtin) {
    const inputSize = size ?? builtin.defaultSize;
    if (inputSize < builtin.minSize || inputSize > 1024) {
      throw new InputError(`Backbone "${text}": ${name} needs an input size between ${builtin.minSize} and 1024 pixels.`, text);
    }
    return { id: `${name}@${inputSize}`, source: name, builtin: true, inputSize, range: [0, 1] };
  }
  const userModelSize = (example) => {
    if (size === void 0) throw new InputError(`Backbone "${text}": say the model's input size, e.g. ${example}@224 (and its value range if not 0\u20131, e.g. ${example}@224,range=-1:1).`, text);
    if (size < 8 || size > 1024) throw new InputError(`Backbone "${text}": the input size must be between 8 and 1024 pixels, got ${size}.`, text);
    return size;
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
  const model3 = await tf4.loadLayersModel(tf4.io.fromMemory({ modelTopology: topology, weightSpecs, weightData }), { strict: false });
  const outputRank = model3.outputs[0].shape.length;
  const functional = Boolean(topology.model_config?.config?.output_layers);
  if (outputRank === 4 && functional) {
    model3.dispose();
    appendLayer(topology, "GlobalAveragePooling2D", "backbone_pool", { data_format: "channels_last" });
    return layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey);
  }
  if (outputRank === 4) {
    const pooled = tf4.model({ inputs: model3.inputs, outputs: tf4.layers.globalAveragePooling2d({}).apply(model3.outputs[0]) });
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
      return tf4.tidy(() => {
        const x = tf4.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
        return model3.predict(x).dataSync();
      });
    },
    dispose: () => model3.dispose()
  };
}
function fromGraphModel(spec, displayName, model3, cacheKey) {
  const [low, high] = spec.range;
  const probe = tf4.tidy(() => model3.predict(tf4.zeros([1, spec.inputSize, spec.inputSize, 3])));
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
      return tf4.tidy(() => {
        const x = tf4.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
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
    const model3 = await tf4.loadGraphModel(tf4.io.fromMemory(source.artifacts));
    return { ...fromGraphModel(spec, displayName, model3, cacheKey), sourceDir: source.dir };
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

// src/core/embeddings/cache.ts
import { createHash as createHash2 } from "node:crypto";
import { readFile as readFile2 } from "node:fs/promises";
import { join as join3 } from "node:path";
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
function openEmbeddingStore(cacheDir, backboneKey, dim) {
  const dir = join3(cacheDir, "embeddings", createHash2("sha256").update(backboneKey).digest("hex").slice(0, 16));
  const pathOf = (sha) => join3(dir, sha.slice(0, 2), `${sha}.emb`);
  let corrupt = 0;
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
    }
  };
}

// src/core/embeddings/parallel.ts
import * as tf5 from "@tensorflow/tfjs";
import { existsSync as existsSync2 } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
var IN_FLIGHT_PER_WORKER = 2;
var WorkerLoadError = class extends Error {
  name = "WorkerLoadError";
};
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
  if (tf5.getBackend() === "tensorflow") return false;
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
  const init = { spec, cacheDir: options.cacheDir, maxPixels: options.maxPixels, backend: tf5.getBackend() };
  const slots = [];
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
      await new Promise((resolve2) => setImmediate(resolve2));
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

// src/core/embeddings/extract.ts
async function decodeBatch(images, size, maxPixels) {
  const pixels = await Promise.all(images.map((image) => decodeToRgb(image.path, size, maxPixels)));
  const batch = new Uint8Array(images.length * size * size * 3);
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
    const cached2 = await store.get(image.sha256);
    if (cached2) vectors.set(image.sha256, cached2);
    else missing.push(image);
  }
  const cached = vectors.size;
  if (store.corrupt) options.log.warn(`${store.corrupt} damaged cache entr${store.corrupt === 1 ? "y" : "ies"} for ${extractor.displayName} will be recomputed.`);
  const size = extractor.spec.inputSize;
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
  const left = pastDeadline() ? [] : [...pending];
  let next = left.length ? decodeBatch(batches[left[0]], size, options.maxPixels) : null;
  for (let k = 0; k < left.length; k++) {
    if (pastDeadline()) {
      next.catch(() => {
      });
      break;
    }
    const b = left[k];
    const pixels = await next;
    next = k + 1 < left.length ? decodeBatch(batches[left[k + 1]], size, options.maxPixels) : null;
    await save(b, extractor.embed(pixels, batches[b].length));
  }
  const remaining = missing.length - done;
  if (remaining) options.log.warn(`Embedding with ${extractor.displayName} stopped at the deadline: ${done} of ${missing.length} computed (and cached; a later run resumes from there), ${remaining} left.`);
  return { vectors, computed: done, cached, corrupt: store.corrupt, remaining, complete: remaining === 0, seconds: (options.now() - start) / 1e3 };
}

export {
  selectBackend,
  describeBackend,
  ensureBackend,
  appendLayer,
  insertAfterInput,
  inputTopology,
  topTopology,
  topologyOf,
  HOG,
  loadModelSource,
  BUILTIN_BACKBONES,
  SMALL_CNN,
  autoBackbones,
  parseBackboneSpec,
  fromLayersModel,
  loadBackbone,
  RESIZE_MODE,
  DecodeError,
  decodeToRgb,
  decodeBatch,
  extractEmbeddings
};
