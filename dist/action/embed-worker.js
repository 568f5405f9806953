import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  decodeBatch,
  selectBackend,
  splitForFineTune,
  tfjsBatchSize
} from "./chunk-ZXHCYOE2.js";
import "./chunk-ZO3YFCMU.js";
import {
  loadBackbone
} from "./chunk-O4E5JHB5.js";
import "./chunk-U2O33TCJ.js";
import "./chunk-MS7UHTHQ.js";

// src/core/embeddings/embed-worker.ts
import { parentPort, workerData } from "node:worker_threads";
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
  const size = extractor.spec.inputSize;
  const count = tfjsBatchSize(size);
  try {
    extractor.embed(new Uint8Array(count * size * size * 3), count);
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
