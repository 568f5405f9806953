/**
 * One embedding worker thread (see parallel.ts): its own tfjs backend, started once, and the
 * backbone of the current job, loaded from its spec exactly as the main thread loads it and
 * kept until a job asks for another. Jobs are batches, given as decoded pixels or as file
 * paths to decode here; results go back by batch index.
 *
 * Messages are worked through one at a time, in arrival order. Decoding a job's images (sharp,
 * on libuv threads) starts as soon as it arrives, so it overlaps with the network running the
 * job before it. Nothing is written here: the main thread owns the embedding cache.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../backend/select.js';
import { splitForFineTune } from '../backbones/fine-tune-split.js';
import { loadBackbone, type FeatureExtractor } from '../backbones/zoo.js';
import { decodeBatch, tfjsBatchSize } from './batches.js';
import type { WorkerBackbone, WorkerInit, WorkerJob, WorkerReply } from './protocol.js';

const port = parentPort!;
const init = workerData as WorkerInit;

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function describe(error: unknown): { message: string; name: string } {
  return error instanceof Error ? { message: error.message, name: error.name } : { message: String(error), name: 'Error' };
}

/** The backbone loaded last: what embeds, and what frees it (a fine-tune base shares the full model's layers). */
let current: { id: string; extractor: FeatureExtractor; release: () => void } | null = null;

async function load(backbone: WorkerBackbone, id: string): Promise<FeatureExtractor> {
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

/**
 * Runs a freshly loaded backbone once on a blank batch of the size calls use. A thread's first
 * batch grows its WASM heap and sets up the network's operators (about 1 s of MobileNetV2
 * @224's first batch of 4, against 0.2 s for each later one); done here, right after a
 * preload, that happens while the main thread is still scanning or training the previous
 * head, instead of in the call's first batch.
 */
function warmUp(extractor: FeatureExtractor): boolean {
  const size = extractor.spec.inputSize;
  const count = tfjsBatchSize(size);
  try {
    extractor.embed(new Uint8Array(count * size * size * 3), count);
    return true;
  } catch {
    return false; // the same failure reaches the call with its first real batch, which reports it
  }
}

async function start(): Promise<boolean> {
  try {
    const backend = await selectBackend(undefined, init.backend);
    reply({ type: 'ready', backend: backend.name });
    return true;
  } catch (error) {
    reply({ type: 'error', stage: 'start', ...describe(error) });
    return false;
  }
}

if (await start()) {
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (job: WorkerJob) => {
    if (job.type === 'load') {
      queue = queue.then(async () => {
        try {
          const fresh = current?.id !== job.id;
          const extractor = await load(job.backbone, job.id);
          reply({ type: 'loaded', id: job.id, cacheKey: extractor.cacheKey, featureDim: extractor.featureDim, warming: fresh });
          // After 'loaded', so a call can already send batches: they queue behind the warm-up.
          if (fresh) reply({ type: 'warmed', id: job.id, ok: warmUp(extractor) });
        } catch (error) {
          // The main thread decides what this means (an error, or embedding in-process instead).
          reply({ type: 'error', stage: 'load', id: job.id, ...describe(error) });
        }
      });
      return;
    }
    const pixels = job.pixels
      ? Promise.resolve(job.pixels)
      : decodeBatch(
          job.paths!.map((path) => ({ path })),
          job.size,
          init.maxPixels,
        );
    pixels.catch(() => {}); // reported below, in job order
    queue = queue.then(async () => {
      try {
        if (!current) throw new Error('no backbone loaded');
        const flat = current.extractor.embed(await pixels, job.count);
        // Hand the buffer over rather than copy it; only when it is not shared with anything else.
        const own = flat.byteOffset === 0 && flat.byteLength === flat.buffer.byteLength ? flat : flat.slice();
        reply({ type: 'result', index: job.index, embeddings: own }, [own.buffer as ArrayBuffer]);
      } catch (error) {
        reply({ type: 'error', stage: 'embed', index: job.index, ...describe(error) });
      }
    });
  });
}
