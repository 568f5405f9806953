/**
 * Embedding on several cores with a pool of worker threads.
 *
 * Why: tfjs switches WASM multithreading off in Node, so one backend uses one core. Each
 * worker runs its own backend (the main thread's, chosen through the same selectBackend) and
 * its own copy of the backbone, loaded from the spec exactly as the main thread loaded it (its
 * cache key is checked). Batches are handed out as workers become free, two in flight per
 * worker so none waits for the next; results come back by batch index and are passed on in
 * batch order, so the caller writes the cache exactly as the in-process loop does. The
 * batches themselves are the same as in-process, so the embeddings are too.
 *
 * One pool serves a whole run: starting a worker (its backend, WASM compile) takes seconds,
 * so it is paid once, and every candidate and stage that embeds (the bake-off, fine-tuning's
 * activations) borrows the same warm workers. A worker switches backbone when a call needs
 * another one (loading it on demand and keeping the last), and runs each backbone it loads
 * once on a blank batch, so its first real batch does not pay for setting up. Until the first
 * worker has this call's backbone loaded, the main thread, which has it already, embeds
 * batches itself, so loading is not dead time; then it stops, leaving the cores to the workers.
 *
 * Failure policy: a worker that reports an error, crashes or exits early fails the whole call
 * at once (the pool's workers are replaced by fresh ones; nothing hangs), and the caller makes
 * that the candidate's error. The one exception: a URL or local model that cannot be loaded
 * again inside a worker is embedded in-process instead, with a warning.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits, type WorkerOptions } from 'node:worker_threads';
import type { FeatureExtractor } from '../backbones/zoo.js';
import type { Logger } from '../ports.js';
import { decodeBatch, type EmbeddableImage } from './batches.js';
import { backboneId, type WorkerBackbone, type WorkerInit, type WorkerJob, type WorkerReply } from './protocol.js';

export type { WorkerBackbone, WorkerInit, WorkerJob, WorkerReply } from './protocol.js';

/** Where the images of a batch are decoded: in the main thread ahead of time, or in the worker that embeds them. */
export type DecodePlace = 'main' | 'worker';

export interface EmbeddingPoolOptions {
  /** Worker threads to start. */
  workers: number;
  /** Embedding and backbone download cache; workers load user backbones from it. */
  cacheDir: string;
  maxPixels: number;
  /** The tfjs backend the workers use. Default: this thread's. */
  backend?: string;
  /** Memory limits per worker (Node's), e.g. to keep a runaway model from taking the machine. */
  resourceLimits?: ResourceLimits;
}

export interface PoolEmbedOptions {
  log: Logger;
  /** How a worker loads the extractor. Default: from `extractor.spec`, the whole backbone. */
  backbone?: WorkerBackbone;
  /**
   * Default 'main': the main thread is otherwise idle, and decoding is cheap next to the network
   * (about 3 ms per image even for 3-megapixel JPEGs, thanks to sharp's shrink-on-load, against
   * about 60 ms of MobileNetV2 @224), so the two places measure the same within noise (BENCHMARKS.md).
   */
  decodeIn?: DecodePlace;
  /**
   * Asked before each batch is handed to a worker (e.g. "has the deadline passed?"). Once it
   * says true, no more batches are sent; those already sent are passed on, then the call
   * resolves without the rest. Default: never stop.
   */
  shouldStop?: () => boolean;
  /** Embed in the main thread until the first worker has the backbone loaded (default true). */
  fillWhileStarting?: boolean;
}

/** The options of a one-off call: a pool of `workers` started for it and stopped after it, unless `pool` is given. */
export interface ParallelEmbedOptions extends PoolEmbedOptions, Omit<EmbeddingPoolOptions, 'backend'> {
  pool?: EmbeddingPool;
}

export interface ParallelEmbedStats {
  /** Batches the main thread embedded while the workers were loading the backbone. */
  inMainThread: number;
}

/** Batches each worker holds at once: one running, one waiting, so it never idles between them. */
const IN_FLIGHT_PER_WORKER = 2;

/** A worker could not load the backbone at all (as opposed to failing while embedding). */
export class WorkerLoadError extends Error {
  override readonly name = 'WorkerLoadError';
}

interface Slot {
  id: number;
  worker: Worker;
  /** Its backend is up. */
  ready: boolean;
  /** The backbone it has loaded (by backboneId, with what it reported), and the one it is loading. */
  loaded: { id: string; cacheKey: string; featureDim: number } | null;
  loading: string | null;
  /** Running the warm-up batch of the backbone it loaded last (embed-worker.ts warmUp). */
  warming: boolean;
  inFlight: number;
  /** Terminated on purpose: its exit is no failure. */
  retired: boolean;
}

/** What the pool tells the call in progress. */
interface CallHandler {
  onReply(slot: Slot, reply: WorkerReply): void;
  onFailure(error: Error): void;
}

/**
 * Warm embedding workers for a run. Start it once, pass it to every extraction, dispose it at
 * the end. One call at a time (calls are awaited in turn by the stages).
 */
export class EmbeddingPool {
  private slots: Slot[] = [];
  private call: CallHandler | null = null;
  private nextId = 1;
  private disposed = false;
  /** Waiting for every worker's backend to be up (see whenReady). */
  private readyWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  /** The backbone asked for by preload, for workers that become ready later. */
  private wanted: WorkerBackbone | null = null;
  private loadWaiters: (() => void)[] = [];
  private warmUpsRun = 0;
  readonly backend: string;

  /** Starts the workers now (their backends warm up in the background); null when there is no worker script. */
  static start(options: EmbeddingPoolOptions): EmbeddingPool | null {
    const entry = embedWorkerEntry();
    return entry ? new EmbeddingPool(options, entry) : null;
  }

  private constructor(
    private readonly options: EmbeddingPoolOptions,
    private readonly entry: { filename: string | URL; options: WorkerOptions },
  ) {
    this.backend = options.backend ?? tf.getBackend();
    for (let i = 0; i < options.workers; i++) this.spawn();
  }

  get size(): number {
    return this.options.workers;
  }

  /**
   * Resolves once every worker has its backend up (warm: the next call only loads the
   * backbone); rejects when a worker fails to start. A run need not wait for it; a benchmark does.
   */
  whenReady(): Promise<void> {
    if (this.slots.length === this.options.workers && this.slots.every((slot) => slot.ready)) return Promise.resolve();
    // Referenced while waited for: an idle pool's workers do not keep the process alive.
    this.slots.forEach((slot) => slot.worker.ref());
    return new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject })).finally(() => {
      if (!this.call) this.slots.forEach((slot) => slot.worker.unref());
    });
  }

  private settleReadyWaiters(error?: Error): void {
    if (!error && !(this.slots.length === this.options.workers && this.slots.every((slot) => slot.ready))) return;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  /** Warm-up batches run over the pool's life: one per worker and backbone it loaded. */
  get warmUps(): number {
    return this.warmUpsRun;
  }

  /** Workers started over the pool's life: its size, unless a failure made it replace them. */
  get workersStarted(): number {
    return this.nextId - 1;
  }

  private spawn(): void {
    const init: WorkerInit = { cacheDir: this.options.cacheDir, maxPixels: this.options.maxPixels, backend: this.backend };
    const id = this.nextId++;
    const worker = new Worker(this.entry.filename, {
      ...this.entry.options,
      execArgv: workerExecArgv(),
      workerData: init,
      resourceLimits: this.options.resourceLimits,
      stdout: false,
      stderr: false,
    });
    // Idle workers do not keep the process alive; a call refs them while it needs them.
    if (!this.call) worker.unref();
    const slot: Slot = { id, worker, ready: false, loaded: null, loading: null, warming: false, inFlight: 0, retired: false };
    this.slots.push(slot);
    const failed = (error: Error) => {
      if (slot.retired) return;
      this.retire(slot);
      this.settleReadyWaiters(error);
      this.settleLoadWaiters();
      this.call?.onFailure(error);
    };
    worker.on('message', (reply: WorkerReply) => {
      if (slot.retired) return;
      if (reply.type === 'ready') {
        slot.ready = true;
        this.settleReadyWaiters();
        if (this.wanted && !this.call) this.load(slot, this.wanted);
      } else if (reply.type === 'loaded') {
        [slot.loaded, slot.loading, slot.warming] = [{ id: reply.id, cacheKey: reply.cacheKey, featureDim: reply.featureDim }, null, reply.warming];
      } else if (reply.type === 'warmed') {
        slot.warming = false;
        if (reply.ok) this.warmUpsRun++;
      } else if (reply.type === 'error' && reply.stage === 'load') [slot.loaded, slot.loading] = [null, null];
      else if (reply.type === 'error' && reply.stage === 'start')
        return failed(new Error(`Embedding worker ${id} could not start its ${this.backend} backend: ${reply.message}`));
      this.settleLoadWaiters();
      this.call?.onReply(slot, reply);
    });
    worker.on('error', (error) => failed(new Error(`Embedding worker ${id} crashed: ${error.message}`)));
    worker.on('messageerror', (error) => failed(new Error(`Embedding worker ${id} sent an unreadable message: ${error.message}`)));
    worker.on('exit', (code) => failed(new Error(`Embedding worker ${id} stopped unexpectedly (exit code ${code}).`)));
  }

  /**
   * Has every worker load `backbone` now, in the background, so a call for it finds them ready:
   * e.g. while the main thread loads its own copy, or trains on the previous candidate.
   * Resolves once every worker has loaded it and run its warm-up batch. A failure here is only
   * reported by the call that needs the backbone.
   */
  preload(backbone: WorkerBackbone): Promise<void> {
    if (this.disposed || this.call) return Promise.resolve();
    this.wanted = backbone;
    for (const slot of this.slots) if (slot.ready) this.load(slot, backbone);
    // Referenced while loading, so the process waits for a load it asked for.
    this.slots.forEach((slot) => slot.worker.ref());
    const settled = new Promise<void>((resolve) => this.loadWaiters.push(resolve));
    this.settleLoadWaiters();
    return settled;
  }

  /** Resolves preload's promises once no worker is starting, loading or warming up any more. */
  private settleLoadWaiters(): void {
    if (!this.disposed && !this.slots.every((slot) => slot.ready && slot.loading === null && !slot.warming)) return;
    const waiters = this.loadWaiters;
    this.loadWaiters = [];
    if (waiters.length && !this.call) this.slots.forEach((slot) => slot.worker.unref());
    waiters.forEach((resolve) => resolve());
  }

  /** Sends a load unless the worker has that backbone or is busy loading one (a load waits for the one before). */
  private load(slot: Slot, backbone: WorkerBackbone): void {
    const id = backboneId(backbone);
    if (slot.retired || slot.loading !== null || slot.loaded?.id === id) return;
    slot.loading = id;
    slot.worker.postMessage({ type: 'load', backbone, id } satisfies WorkerJob);
  }

  private retire(slot: Slot): void {
    slot.retired = true;
    this.slots = this.slots.filter((s) => s !== slot);
    void slot.worker.terminate();
  }

  /** After a failed call: fresh workers, so nothing of that call (a job in flight, a broken backbone) reaches the next. */
  private async renew(): Promise<void> {
    const old = this.slots;
    old.forEach((slot) => (slot.retired = true));
    this.slots = [];
    await Promise.all(old.map((slot) => slot.worker.terminate()));
    if (!this.disposed) while (this.slots.length < this.options.workers) this.spawn();
  }

  /** Stops every worker. The pool cannot be used afterwards. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.settleReadyWaiters(new Error('The embedding pool was stopped.'));
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
  async embed(
    extractor: FeatureExtractor,
    batches: Pick<EmbeddableImage, 'path'>[][],
    options: PoolEmbedOptions,
    onBatch: (index: number, embeddings: Float32Array) => Promise<void>,
  ): Promise<ParallelEmbedStats> {
    if (this.disposed) throw new Error('The embedding pool was already stopped.');
    if (this.call) throw new Error('The embedding pool is busy with another call.');
    while (this.slots.length < this.options.workers) this.spawn(); // workers lost outside a call
    const { spec } = extractor;
    const key = extractor.cacheKey;
    const backbone = options.backbone ?? { spec };
    const id = backboneId(backbone);
    this.wanted = null;
    const decodeIn = options.decodeIn ?? 'main';
    const workerCount = Math.min(this.slots.length, batches.length);

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
    const usable = (slot: Slot) => !slot.retired && slot.ready && slot.loading === null && slot.loaded?.id === id && slot.loaded.cacheKey === key;

    // Decoding ahead in the main thread: sharp works on libuv threads while the workers compute.
    const decodeAhead = (upTo: number) => {
      if (decodeIn !== 'main') return;
      for (let b = nextToSend; b < Math.min(batches.length, upTo); b++) {
        if (decoded.has(b)) continue;
        const pixels = decodeBatch(batches[b], spec.inputSize, this.options.maxPixels);
        pixels.catch(() => {}); // reported when it is sent
        decoded.set(b, pixels);
      }
    };

    const send = async (slot: Slot, index: number) => {
      const batch = batches[index];
      const job = { type: 'embed', index, count: batch.length, size: spec.inputSize } as const;
      if (decodeIn === 'worker') {
        slot.worker.postMessage({ ...job, paths: batch.map((image) => image.path) } satisfies WorkerJob);
        return;
      }
      decodeAhead(index + 1);
      const pixels = await decoded.get(index)!;
      decoded.delete(index);
      if (settled) return;
      slot.worker.postMessage({ ...job, pixels } satisfies WorkerJob, [pixels.buffer as ArrayBuffer]);
    };

    /** Stops handing out batches once shouldStop says so; true when stopped. */
    const checkStop = () => {
      if (!stopped && nextToSend < batches.length && options.shouldStop?.()) {
        stopped = true;
        deliver(); // finishes once the batches already sent are passed on (at once if none are out)
      }
      return stopped;
    };

    /** Gets the backbone into a worker that does not have it, or hands it batches when it does. */
    const dispatch = (slot: Slot) => {
      if (settled || slot.retired || !slot.ready || slot.loading !== null) return;
      if (slot.loaded?.id !== id) {
        if (nextToSend < batches.length && !checkStop()) this.load(slot, backbone);
        return;
      }
      if (slot.loaded.cacheKey !== key || slot.loaded.featureDim !== extractor.featureDim) {
        fail(
          new Error(
            `Embedding worker ${slot.id} loaded ${spec.id} differently (cache key ${slot.loaded.cacheKey}, ${slot.loaded.featureDim} features; expected ${key}, ${extractor.featureDim}).`,
          ),
        );
        return;
      }
      checkStop();
      while (!settled && !stopped && slot.inFlight < IN_FLIGHT_PER_WORKER && nextToSend < batches.length) {
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

    // Until a worker has the backbone: embed here, one batch at a time, yielding between
    // batches so a worker's "loaded" gets through.
    let inMainThread = 0;
    const fillWhileStarting = async () => {
      while (!settled && !this.slots.some(usable) && nextToSend < batches.length && !checkStop()) {
        const index = nextToSend++;
        const batch = batches[index];
        // Decoded ahead when decoding happens here (decodeAhead runs past nextToSend).
        const pixels = await (decoded.get(index) ?? decodeBatch(batch, spec.inputSize, this.options.maxPixels));
        decoded.delete(index);
        if (settled) return;
        results.set(index, extractor.embed(pixels, batch.length));
        inMainThread++;
        deliver();
        decodeAhead(nextToSend + workerCount);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };

    this.call = {
      onFailure: (error) => fail(error),
      onReply: (slot, reply) => {
        if (settled) return;
        if (reply.type === 'ready') {
          dispatch(slot);
        } else if (reply.type === 'loaded') {
          dispatch(slot); // checks it is this call's backbone, loaded alike, or asks for it
        } else if (reply.type === 'warmed') {
          // Nothing to do: batches sent after 'loaded' already wait behind the warm-up.
        } else if (reply.type === 'result') {
          const expected = batches[reply.index].length * extractor.featureDim;
          if (reply.embeddings.length !== expected) {
            fail(new Error(`Embedding worker ${slot.id} returned ${reply.embeddings.length} values for batch ${reply.index}; expected ${expected}.`));
            return;
          }
          slot.inFlight--;
          results.set(reply.index, reply.embeddings);
          deliver();
          dispatch(slot);
        } else if (reply.stage === 'load') {
          if (reply.id === id) fail(new WorkerLoadError(`Embedding worker ${slot.id} could not load ${spec.id}: ${reply.message}`));
          else dispatch(slot);
        } else {
          fail(new Error(`Embedding worker ${slot.id} failed on batch ${reply.index}: ${reply.message}`));
        }
      },
    };

    options.log.info(`Embedding ${batches.length} batches with ${extractor.displayName} in ${workerCount} worker threads (${this.backend})`);
    decodeAhead(workerCount * IN_FLIGHT_PER_WORKER);
    let failed = false;
    try {
      this.slots.forEach((slot) => slot.worker.ref());
      this.slots.forEach(dispatch);
      if (options.fillWhileStarting ?? true) fillWhileStarting().catch((error: Error) => fail(error));
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
      await delivering; // a batch being written when it stopped is finished first
    }
  }
}

/**
 * Embeds `batches` in worker threads: in `options.pool` when given (a run's warm pool), else
 * in a pool of `options.workers` started for this call and stopped after it.
 */
export async function embedInWorkers(
  extractor: FeatureExtractor,
  batches: Pick<EmbeddableImage, 'path'>[][],
  options: ParallelEmbedOptions,
  onBatch: (index: number, embeddings: Float32Array) => Promise<void>,
): Promise<ParallelEmbedStats> {
  if (options.pool) return options.pool.embed(extractor, batches, options, onBatch);
  const pool = EmbeddingPool.start({ ...options, workers: Math.max(1, Math.min(options.workers, batches.length)) });
  if (!pool) throw new Error('The embedding worker script is missing; rebuild the package.');
  try {
    return await pool.embed(extractor, batches, options, onBatch);
  } finally {
    await pool.dispose();
  }
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
    const arg = process.execArgv[i];
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
    log.warn(
      'The embedding worker (embed-worker.js) is missing next to the bundle, so embedding runs on one core. Rebuild with "npm run build:cli" / "npm run build:lib".',
    );
    return false;
  }
  return true;
}
