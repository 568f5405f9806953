/**
 * Embedding on several cores with worker threads.
 *
 * Why: tfjs switches WASM multithreading off in Node, so one backend uses one core. Each
 * worker here runs its own backend (the main thread's, chosen through the same
 * selectBackend) and its own copy of the backbone, loaded from the spec exactly as the main
 * thread loaded it (its cache key is checked). Batches are handed out as workers become free,
 * two in flight per worker so none waits for the next; results come back by batch index and
 * are passed on in batch order, so the caller writes the cache exactly as the in-process loop
 * does. The batches themselves are the same as in-process, so the embeddings are too.
 *
 * Starting a worker (its backend, its copy of the weights) takes seconds. Until the first one
 * is ready, the main thread, which has the backbone loaded already, embeds batches itself, so
 * that start-up is not dead time; once a worker is ready it stops, leaving the cores to them.
 *
 * Failure policy: a worker that reports an error, crashes or exits early fails the whole
 * extraction at once (all workers are terminated; nothing hangs), and the caller makes that
 * the candidate's error. The one exception: a URL or local model that cannot be loaded again
 * inside a worker is embedded in-process instead, with a warning.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits, type WorkerOptions } from 'node:worker_threads';
import type { BackboneSpec, FeatureExtractor } from '../backbones/zoo.js';
import type { Logger } from '../ports.js';
import { decodeBatch, type EmbeddableImage } from './extract.js';

/** Where the images of a batch are decoded: in the main thread ahead of time, or in the worker that embeds them. */
export type DecodePlace = 'main' | 'worker';

/** What a worker is started with (its workerData). */
export interface WorkerInit {
  spec: BackboneSpec;
  cacheDir: string;
  maxPixels: number;
  /** The tfjs backend to use: the main thread's, so one cache never mixes backends. */
  backend?: string;
}

/** One batch for a worker: decoded pixels (n × size × size × 3), or the paths to decode. */
export interface WorkerJob {
  index: number;
  count: number;
  pixels?: Uint8Array;
  paths?: string[];
}

export type WorkerReply =
  | { type: 'ready'; backend: string; cacheKey: string; featureDim: number }
  | { type: 'result'; index: number; embeddings: Float32Array }
  | { type: 'error'; stage: 'load' | 'embed'; index?: number; name: string; message: string };

export interface ParallelEmbedOptions {
  /** Worker threads to start (at most one per batch). */
  workers: number;
  /** Embedding and backbone download cache; workers load user backbones from it. */
  cacheDir: string;
  maxPixels: number;
  log: Logger;
  /**
   * Default 'main': the main thread is otherwise idle, and decoding is cheap next to the network
   * (about 3 ms per image even for 3-megapixel JPEGs, thanks to sharp's shrink-on-load, against
   * about 60 ms of MobileNetV2 @224), so the two places measure the same within noise (BENCHMARKS.md).
   */
  decodeIn?: DecodePlace;
  /** Memory limits per worker (Node's), e.g. to keep a runaway model from taking the machine. */
  resourceLimits?: ResourceLimits;
  /**
   * Asked before each batch is handed to a worker (e.g. "has the deadline passed?"). Once it
   * says true, no more batches are sent; those already sent are passed on, then embedInWorkers
   * resolves without the rest. Default: never stop.
   */
  shouldStop?: () => boolean;
  /** Embed in the main thread until the first worker is ready (default true). */
  fillWhileStarting?: boolean;
}

export interface ParallelEmbedStats {
  /** Batches the main thread embedded while the workers were starting. */
  inMainThread: number;
}

/** Batches each worker holds at once: one running, one waiting, so it never idles between them. */
const IN_FLIGHT_PER_WORKER = 2;

/** A worker could not load the backbone at all (as opposed to failing while embedding). */
export class WorkerLoadError extends Error {
  override readonly name = 'WorkerLoadError';
}

/** How to start the worker: the bundled dist/embed-worker.js next to this code, or the TypeScript source under tsx. */
export function embedWorkerEntry(): { filename: string | URL; options: WorkerOptions } | null {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // From source (tests, bench): Node 20 does not carry tsx's loader hooks into worker
    // threads, so the worker registers tsx itself before importing the TypeScript entry.
    const entry = new URL('./embed-worker.ts', here).href;
    let tsx: string;
    try {
      tsx = import.meta.resolve('tsx/esm/api');
    } catch {
      return null; // TypeScript run some other way: embed in-process
    }
    const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
    return { filename: bootstrap, options: { eval: true } };
  }
  // Bundled: package.json's build scripts emit the worker as dist/embed-worker.js.
  const entry = new URL('./embed-worker.js', here);
  return existsSync(fileURLToPath(entry)) ? { filename: entry, options: {} } : null;
}

/** The main thread's Node options, less those that only make sense for it (`node --input-type=module -e <code>`). */
function workerExecArgv(): string[] {
  const withValue = new Set(['--input-type', '-e', '--eval', '-p', '--print']);
  const args: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i]!;
    if (withValue.has(arg)) i++;
    else if (!/^--(input-type|eval|print)=/.test(arg)) args.push(arg);
  }
  return args;
}

/**
 * Whether embedding `batchCount` batches should go to worker threads. Not for a single batch
 * (starting a worker costs more than it saves), and not on the native TensorFlow backend,
 * which already uses every core itself.
 */
export function useWorkers(workers: number | undefined, batchCount: number, log: Logger): boolean {
  if (!workers || workers < 2 || batchCount < 2) return false;
  if (tf.getBackend() === 'tensorflow') return false;
  if (!embedWorkerEntry()) {
    log.warn('The embedding worker (embed-worker.js) is missing next to the bundle, so embedding runs on one core. Rebuild with "npm run build:cli" / "npm run build:lib".');
    return false;
  }
  return true;
}

/**
 * Embeds `batches` with `extractor.spec` in worker threads and calls `onBatch(index, embeddings)`
 * once per batch, in batch order (n × featureDim values each), awaiting each call.
 * Resolves when all batches are passed on; early, with a warning, when a user backbone
 * cannot be loaded in a worker (the caller embeds what was not passed on in-process); or early
 * when `shouldStop` says so (after passing on the batches already sent).
 */
export async function embedInWorkers(
  extractor: FeatureExtractor,
  batches: Pick<EmbeddableImage, 'path'>[][],
  options: ParallelEmbedOptions,
  onBatch: (index: number, embeddings: Float32Array) => Promise<void>,
): Promise<ParallelEmbedStats> {
  const entry = embedWorkerEntry();
  if (!entry) throw new Error('The embedding worker script is missing; rebuild the package.');
  const { spec } = extractor;
  const decodeIn = options.decodeIn ?? 'main';
  const workerCount = Math.max(1, Math.min(options.workers, batches.length));
  const init: WorkerInit = { spec, cacheDir: options.cacheDir, maxPixels: options.maxPixels, backend: tf.getBackend() };

  interface Slot {
    id: number;
    worker: Worker;
    ready: boolean;
    inFlight: number;
  }
  const slots: Slot[] = [];
  let settled = false;
  let nextToSend = 0;
  let nextToDeliver = 0;
  let stopped = false;
  const results = new Map<number, Float32Array>();
  const decoded = new Map<number, Promise<Uint8Array>>();
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = (error) => {
      settled = true;
      reject(error);
    };
  });

  // Decoding ahead in the main thread: sharp works on libuv threads while the workers compute.
  const decodeAhead = (upTo: number) => {
    if (decodeIn !== 'main') return;
    for (let b = nextToSend; b < Math.min(batches.length, upTo); b++) {
      if (decoded.has(b)) continue;
      const pixels = decodeBatch(batches[b]!, spec.inputSize, options.maxPixels);
      pixels.catch(() => {}); // reported when it is sent
      decoded.set(b, pixels);
    }
  };

  const send = async (slot: Slot, index: number) => {
    const batch = batches[index]!;
    if (decodeIn === 'worker') {
      slot.worker.postMessage({ index, count: batch.length, paths: batch.map((image) => image.path) } satisfies WorkerJob);
      return;
    }
    decodeAhead(index + 1);
    const pixels = await decoded.get(index)!;
    decoded.delete(index);
    if (settled) return;
    slot.worker.postMessage({ index, count: batch.length, pixels } satisfies WorkerJob, [pixels.buffer as ArrayBuffer]);
  };

  /** Stops handing out batches once shouldStop says so; true when stopped. */
  const checkStop = () => {
    if (!stopped && nextToSend < batches.length && options.shouldStop?.()) {
      stopped = true;
      deliver(); // finishes once the batches already sent are passed on (at once if none are out)
    }
    return stopped;
  };

  const dispatch = (slot: Slot) => {
    checkStop();
    while (!settled && !stopped && slot.ready && slot.inFlight < IN_FLIGHT_PER_WORKER && nextToSend < batches.length) {
      const index = nextToSend++;
      slot.inFlight++;
      send(slot, index).catch((error: Error) => fail(error));
      decodeAhead(nextToSend + workerCount);
    }
  };

  let delivering = Promise.resolve();
  const deliver = () => {
    delivering = delivering
      .then(async () => {
        while (!settled && results.has(nextToDeliver)) {
          const embeddings = results.get(nextToDeliver)!;
          results.delete(nextToDeliver);
          await onBatch(nextToDeliver, embeddings);
          nextToDeliver++;
        }
        if (nextToDeliver === batches.length || (stopped && nextToDeliver === nextToSend)) finish();
      })
      .catch((error: Error) => fail(error));
  };

  // Until a worker is ready: embed here, one batch at a time, yielding between batches so a
  // worker's "ready" gets through.
  let inMainThread = 0;
  const anyReady = () => slots.some((slot) => slot.ready);
  const fillWhileStarting = async () => {
    while (!settled && !anyReady() && nextToSend < batches.length && !checkStop()) {
      const index = nextToSend++;
      const batch = batches[index]!;
      // Decoded ahead when decoding happens here (decodeAhead runs past nextToSend).
      const pixels = await (decoded.get(index) ?? decodeBatch(batch, spec.inputSize, options.maxPixels));
      decoded.delete(index);
      if (settled) return;
      results.set(index, extractor.embed(pixels, batch.length));
      inMainThread++;
      deliver();
      decodeAhead(nextToSend + workerCount);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const onReply = (slot: Slot, reply: WorkerReply) => {
    if (settled) return;
    if (reply.type === 'ready') {
      if (reply.cacheKey !== extractor.cacheKey || reply.featureDim !== extractor.featureDim) {
        fail(new Error(`Embedding worker ${slot.id} loaded ${spec.id} differently (cache key ${reply.cacheKey}, ${reply.featureDim} features; expected ${extractor.cacheKey}, ${extractor.featureDim}).`));
        return;
      }
      slot.ready = true;
      dispatch(slot);
    } else if (reply.type === 'result') {
      const expected = batches[reply.index]!.length * extractor.featureDim;
      if (reply.embeddings.length !== expected) {
        fail(new Error(`Embedding worker ${slot.id} returned ${reply.embeddings.length} values for batch ${reply.index}; expected ${expected}.`));
        return;
      }
      slot.inFlight--;
      results.set(reply.index, reply.embeddings);
      deliver();
      dispatch(slot);
    } else if (reply.stage === 'load') {
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
      const slot: Slot = { id, worker, ready: false, inFlight: 0 };
      slots.push(slot);
      worker.on('message', (reply: WorkerReply) => onReply(slot, reply));
      worker.on('error', (error) => fail(new Error(`Embedding worker ${id} crashed: ${error.message}`)));
      worker.on('messageerror', (error) => fail(new Error(`Embedding worker ${id} sent an unreadable message: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!settled) fail(new Error(`Embedding worker ${id} stopped unexpectedly (exit code ${code}).`));
      });
    }
    if (options.fillWhileStarting ?? true) fillWhileStarting().catch((error: Error) => fail(error));
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
    await delivering; // a batch being written when it stopped is finished first

  }
}
