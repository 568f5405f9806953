/**
 * One embedding worker thread (see parallel.ts): its own tfjs backend and its own copy of the
 * backbone, loaded from the spec exactly as the main thread loads it. Jobs are batches, given
 * as decoded pixels or as file paths to decode here; results go back by batch index.
 *
 * Jobs are worked through one at a time, in arrival order. Decoding a job's images (sharp, on
 * libuv threads) starts as soon as it arrives, so it overlaps with the network running the
 * job before it. Nothing is written here: the main thread owns the embedding cache.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../backend/select.js';
import { loadBackbone, type FeatureExtractor } from '../backbones/zoo.js';
import { decodeBatch } from './extract.js';
import type { WorkerInit, WorkerReply, WorkerJob } from './parallel.js';

const port = parentPort!;
const init = workerData as WorkerInit;

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function describe(error: unknown): { message: string; name: string } {
  return error instanceof Error ? { message: error.message, name: error.name } : { message: String(error), name: 'Error' };
}

async function start(): Promise<FeatureExtractor | null> {
  try {
    const backend = await selectBackend(undefined, init.backend);
    const extractor = await loadBackbone(init.spec, { cacheDir: init.cacheDir });
    reply({ type: 'ready', backend: backend.name, cacheKey: extractor.cacheKey, featureDim: extractor.featureDim });
    return extractor;
  } catch (error) {
    // The main thread decides what this means (an error, or embedding in-process instead).
    reply({ type: 'error', stage: 'load', ...describe(error) });
    return null;
  }
}

const extractor = await start();
if (extractor) {
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (job: WorkerJob) => {
    const pixels = job.pixels ? Promise.resolve(job.pixels) : decodeBatch(job.paths!.map((path) => ({ path })), init.spec.inputSize, init.maxPixels);
    pixels.catch(() => {}); // reported below, in job order
    queue = queue.then(async () => {
      try {
        const flat = extractor.embed(await pixels, job.count);
        // Hand the buffer over rather than copy it; only when it is not shared with anything else.
        const own = flat.byteOffset === 0 && flat.byteLength === flat.buffer.byteLength ? flat : flat.slice();
        reply({ type: 'result', index: job.index, embeddings: own }, [own.buffer as ArrayBuffer]);
      } catch (error) {
        reply({ type: 'error', stage: 'embed', index: job.index, ...describe(error) });
      }
    });
  });
}
