import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  decodeBatch,
  loadBackbone,
  selectBackend
} from "./chunk-7SVQEPHB.js";
import "./chunk-XNQQN2WO.js";
import "./chunk-KTKKD3V5.js";
import "./chunk-IR3KUOTZ.js";
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
