/**
 * Choosing the inference engine for frozen backbones, once, at the start of a run:
 * onnxruntime-node when it loads and runs a model here (CUDA when a GPU is asked for and its
 * execution provider starts, else the CPU with one intra-op thread per core), else TF.js in
 * worker threads (the training backend, WASM on machines without tfjs-node). Every engine or
 * provider passed over is kept with its reason, for the log and result.json.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic.js';
import { OnnxGraph } from '../onnx/graph.js';
import { detectOnnxRuntime, loadOnnxRuntime, openOnnxSession, type ExecutionProvider, type OnnxRuntime, type SessionFactory } from '../onnx/session.js';
import type { BackendInfo } from '../result.js';

export type EngineRequest = 'auto' | 'onnx' | 'tfjs';
export type DeviceRequest = 'auto' | 'cpu' | 'gpu';

export type InferenceInfo = NonNullable<BackendInfo['inference']>;

export interface InferenceEngine extends InferenceInfo {
  /** ONNX Runtime's session settings for every backbone of the run (absent on TF.js). */
  onnx?: { device: ExecutionProvider; threads: number; createSession?: SessionFactory };
}

/** What the choice looks at; each part is injectable so tests can stand in for a machine without ORT or CUDA. */
export interface EngineProbes {
  /** Loads onnxruntime-node. Default: the real package. */
  loadRuntime?: () => Promise<OnnxRuntime>;
  /** Creates ORT sessions (the CUDA check and every backbone). Default: onnxruntime-node's. */
  createSession?: SessionFactory;
  /** Whether an NVIDIA driver is present (device 'auto' tries CUDA only then). Default: /proc/driver/nvidia/version exists. */
  nvidiaDriver?: () => boolean;
  /** Intra-op threads for the CPU provider. Default: the number of cores. */
  threads?: number;
}

export interface EngineRequestOptions {
  engine: EngineRequest;
  device: DeviceRequest;
  /** The TF.js backend the run trains with; it embeds when ORT does not. */
  tfjs: BackendInfo;
  /** TF.js worker threads for embedding (the run's `workers`). */
  tfjsWorkers: number;
  /** Where the one-node CUDA check model is written. */
  cacheDir: string;
}

const hasNvidiaDriver = () => existsSync('/proc/driver/nvidia/version');

/** A one-node model (Identity on a [1] float): opening it with CUDA proves the provider starts. */
async function cudaCheckModel(cacheDir: string): Promise<string> {
  const path = join(cacheDir, 'onnx', 'cuda-check-identity.onnx');
  if (!existsSync(path)) {
    const graph = new OnnxGraph();
    graph.addInput('x', [1]);
    graph.addOutput(graph.addNode('Identity', ['x'], 'y'), [1]);
    await writeFileAtomic(path, graph.serialize('cuda_check', 'classifier-ci CUDA check'));
  }
  return path;
}

export async function chooseInferenceEngine(request: EngineRequestOptions, probes: EngineProbes = {}): Promise<InferenceEngine> {
  const tfjs = (skipped: InferenceInfo['skipped']): InferenceEngine => ({
    engine: 'tfjs',
    provider: request.tfjs.name,
    threads: Math.max(1, request.tfjsWorkers),
    skipped,
  });
  if (request.engine === 'tfjs') return tfjs([{ engine: 'onnxruntime', reason: 'not asked for (engine: tfjs)' }]);

  const probe = await detectOnnxRuntime(probes.loadRuntime ?? loadOnnxRuntime);
  if (!probe.available) return tfjs([{ engine: 'onnxruntime', reason: probe.reason }]);

  const threads = probes.threads ?? availableParallelism();
  const skipped: InferenceInfo['skipped'] = [];
  const wantsGpu = request.device === 'gpu' || (request.device === 'auto' && (probes.nvidiaDriver ?? hasNvidiaDriver)());
  let device: ExecutionProvider = 'cpu';
  if (wantsGpu) {
    try {
      const { session, engine } = await openOnnxSession(await cudaCheckModel(request.cacheDir), {
        device: 'cuda',
        threads,
        createSession: probes.createSession,
      });
      await session.release();
      device = engine.executionProvider;
      if (engine.fallbackReason) skipped.push({ engine: 'onnxruntime (CUDA)', reason: engine.fallbackReason });
    } catch (error) {
      return tfjs([{ engine: 'onnxruntime', reason: `onnxruntime-node could not open a model (${(error as Error).message.split('\n')[0]})` }]);
    }
  } else if (request.device === 'auto') {
    skipped.push({ engine: 'onnxruntime (CUDA)', reason: 'no NVIDIA driver found (/proc/driver/nvidia/version is missing)' });
  }
  skipped.push({ engine: 'tfjs', reason: `not needed: ${probe.reason}` });
  return { engine: 'onnxruntime', provider: device, threads, skipped, onnx: { device, threads, createSession: probes.createSession } };
}

/** One line for the log: which engine embeds, and why the others do not. */
export function describeInference(engine: InferenceInfo): string {
  const what =
    engine.engine === 'onnxruntime'
      ? `ONNX Runtime on the ${engine.provider === 'cuda' ? 'GPU (CUDA)' : `CPU, ${engine.threads} thread${engine.threads === 1 ? '' : 's'}`}${engine.trainsSmallCnn ? ' (it trains the small CNN too)' : ''}`
      : `TF.js (${engine.provider}) in ${engine.threads} worker thread${engine.threads === 1 ? '' : 's'}`;
  const skipped = engine.skipped.map((s) => `${s.engine}: ${s.reason}`).join('; ');
  return `${what}${skipped ? `; skipped ${skipped}` : ''}`;
}

/**
 * Whether the small CNN trains on this engine rather than on the training backend: on ONNX
 * Runtime's CPU provider it does (training/small-cnn-ort.ts), about three times as fast as
 * TF.js on WASM. Where ORT runs on CUDA the training backend keeps it (a GPU one, if it
 * loads), rather than ORT training on the CPU while the report names the GPU.
 */
export function trainsSmallCnn(engine: Pick<InferenceEngine, 'onnx' | 'provider'> | undefined): boolean {
  return Boolean(engine?.onnx) && engine!.provider === 'cpu';
}

/** The result.json part of an engine choice (without the session settings). */
export function inferenceInfo(engine: InferenceEngine): InferenceInfo {
  return {
    engine: engine.engine,
    provider: engine.provider,
    threads: engine.threads,
    skipped: engine.skipped,
    ...(trainsSmallCnn(engine) ? { trainsSmallCnn: true } : {}),
  };
}
