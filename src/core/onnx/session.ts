/**
 * ONNX Runtime sessions for frozen backbones, and the probe that says whether ORT can run
 * here at all (the engine falls back to TF.js WASM otherwise, naming the reason).
 *
 * CPU execution provider: one intra-op thread per core, graph optimisation 'all' ('basic'
 * measured 2.5–4× slower on MobileNetV2). CUDA is tried only when asked; when it cannot
 * start, the session runs on the CPU and the reason is kept for the log and the report.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { availableParallelism } from 'node:os';
import { OnnxGraph } from './graph.js';

/** The part of an InferenceSession the extractor uses. */
export type OrtSession = Pick<InferenceSession, 'inputNames' | 'outputNames' | 'run' | 'release'>;

/** Creates a session from a model file or its bytes (injected in tests to stand in for a missing CUDA). */
export type SessionFactory = (model: string | Uint8Array, options: InferenceSession.SessionOptions) => Promise<OrtSession>;

/** The onnxruntime-node module as loaded at run time (an import type: the library's bundled types keep it). */
export type OnnxRuntime = typeof import('onnxruntime-node');

export type ExecutionProvider = 'cpu' | 'cuda';

export interface OnnxEngine {
  executionProvider: ExecutionProvider;
  threads: number;
  /** Why the provider asked for is not the one running (CUDA that would not start), else null. */
  fallbackReason: string | null;
}

export interface OnnxSessionOptions {
  /** Intra-op threads. Default: the number of cores. */
  threads?: number;
  /** Ask for CUDA first (falls back to the CPU with a reason). Default 'cpu'. */
  device?: ExecutionProvider;
  createSession?: SessionFactory;
}

let runtime: Promise<OnnxRuntime> | null = null;
/** onnxruntime-node, loaded once, on first use (its native binding costs ~100 ms). */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  runtime ??= import('onnxruntime-node').then((module) => (module as unknown as { default?: OnnxRuntime }).default ?? module);
  return runtime;
}

/** The factory of a loaded onnxruntime-node: a path or bytes (its overloads take one or the other, hence the branch). */
export function sessionFactoryOf(runtimeModule: OnnxRuntime): SessionFactory {
  return (model, options) =>
    typeof model === 'string' ? runtimeModule.InferenceSession.create(model, options) : runtimeModule.InferenceSession.create(model, options);
}

const defaultFactory: SessionFactory = async (model, options) => sessionFactoryOf(await loadOnnxRuntime())(model, options);

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}

/** Opens `model` (a file's path, or a graph's bytes) with the options every session here uses. */
export async function openOnnxSession(model: string | Uint8Array, options: OnnxSessionOptions = {}): Promise<{ session: OrtSession; engine: OnnxEngine }> {
  const threads = options.threads ?? availableParallelism();
  const create = options.createSession ?? defaultFactory;
  const common: InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // ORT's threads otherwise spin between runs, burning the core that decodes the next batch.
    // Without spinning (alternated, 2 threads), a whole call of MobileNetV2 @224 from 28-px PNGs
    // ran 12–13% faster on 10–12 ms of CPU an image instead of 13–14, InceptionV3 @299's was
    // level, and compute alone on pixels in memory 4–7% slower: calls decode, so calls win.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  let fallbackReason: string | null = null;
  if (options.device === 'cuda') {
    try {
      const session = await create(model, { ...common, executionProviders: ['cuda'] });
      return { session, engine: { executionProvider: 'cuda', threads, fallbackReason: null } };
    } catch (error) {
      fallbackReason = `ONNX Runtime's CUDA execution provider did not start (${reasonOf(error)}); running on the CPU`;
    }
  }
  const session = await create(model, { ...common, executionProviders: ['cpu'] });
  return { session, engine: { executionProvider: 'cpu', threads, fallbackReason } };
}

export interface OnnxRuntimeProbe {
  available: boolean;
  /** Why ORT cannot be used (for the log line naming the fallback), or what was found. */
  reason: string;
}

/** A one-node model (Identity on a [1] float) to prove the native binding loads and runs. */
function probeModel(): Uint8Array {
  const graph = new OnnxGraph();
  graph.addInput('x', [1]);
  graph.addOutput(graph.addNode('Identity', ['x'], 'y'), [1]);
  return graph.serialize('probe', 'classifier-ci ONNX Runtime probe');
}

/** Whether onnxruntime-node loads and runs a model here. `load` is injectable for tests. */
export async function detectOnnxRuntime(load: () => Promise<OnnxRuntime> = loadOnnxRuntime): Promise<OnnxRuntimeProbe> {
  let runtimeModule: OnnxRuntime;
  try {
    runtimeModule = await load();
  } catch (error) {
    return { available: false, reason: `onnxruntime-node did not load (${reasonOf(error)}); using TF.js WASM for the backbones` };
  }
  try {
    const session = await runtimeModule.InferenceSession.create(probeModel(), { executionProviders: ['cpu'] });
    const output = await session.run({ x: new runtimeModule.Tensor('float32', Float32Array.of(7), [1]) });
    await session.release();
    if ((output.y?.data as Float32Array | undefined)?.[0] !== 7)
      return { available: false, reason: 'onnxruntime-node loaded but computed a wrong result on a one-node model; using TF.js WASM for the backbones' };
  } catch (error) {
    return { available: false, reason: `onnxruntime-node loaded but could not run a model (${reasonOf(error)}); using TF.js WASM for the backbones` };
  }
  return { available: true, reason: `onnxruntime-node ${runtimeModule.env?.versions?.common ?? ''} runs here`.replace('  ', ' ') };
}
