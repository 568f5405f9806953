/**
 * Choosing the compute backend, once, at start: tfjs-node-gpu (only when a GPU is really
 * there), tfjs-node, WASM (SIMD), then the plain JavaScript cpu backend. The native packages
 * are optional dependencies: one that failed to install or whose binary will not load falls
 * through to the next, and the reason is kept for the log and the report.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import type { BackendInfo } from '../result.js';
import { registerWasmGradientKernels } from './wasm-grad-kernels.js';
import { registerWasmTile } from './wasm-tile.js';

export interface BackendCandidate {
  /** tfjs backend name it registers. */
  backend: string;
  /** npm package that provides it. */
  package: string;
  /** Loads the package and returns whether a GPU will be used; throws with a reason otherwise. */
  load(): Promise<{ gpu: boolean }>;
}

const importOptional = (name: string) => import(name);

/** Why tfjs-node-gpu would fall back to the CPU here, or null when a usable GPU is present. */
export function gpuProblem(): string | null {
  if (!existsSync('/proc/driver/nvidia/version')) return 'no NVIDIA driver found (/proc/driver/nvidia/version is missing)';
  try {
    const version = (JSON.parse(readFileSync('/usr/local/cuda/version.json', 'utf8')) as { cuda?: { version?: string } } | null)?.cuda?.version;
    // tfjs-node-gpu 4.x is built against CUDA 11.2 / cuDNN 8.1; with other CUDA majors it silently runs on the CPU.
    if (version && !version.startsWith('11.'))
      return `CUDA ${version} found, but tfjs-node-gpu 4.x needs CUDA 11.x (11.2) with cuDNN 8.1; it would run on the CPU`;
  } catch {
    // No version file: assume a matching toolkit from the system packages.
  }
  return null;
}

export const DEFAULT_BACKENDS: BackendCandidate[] = [
  {
    backend: 'tensorflow',
    package: '@tensorflow/tfjs-node-gpu',
    async load() {
      const problem = gpuProblem();
      if (problem) throw new Error(problem);
      await importOptional('@tensorflow/tfjs-node-gpu');
      return { gpu: true };
    },
  },
  {
    backend: 'tensorflow',
    package: '@tensorflow/tfjs-node',
    async load() {
      await importOptional('@tensorflow/tfjs-node');
      return { gpu: false };
    },
  },
  {
    backend: 'wasm',
    package: '@tensorflow/tfjs-backend-wasm',
    async load() {
      await importOptional('@tensorflow/tfjs-backend-wasm');
      // The gradient kernels WASM lacks (and a faster Tile), for conv training.
      registerWasmGradientKernels();
      registerWasmTile();
      return { gpu: false };
    },
  },
  {
    backend: 'cpu',
    package: '@tensorflow/tfjs-backend-cpu',
    load() {
      return Promise.resolve({ gpu: false });
    },
  },
];

function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(message)) return 'not installed (optional dependency)';
  return message.split('\n')[0].slice(0, 200);
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
const PROCESS_EVENTS: ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];

type Listener = (...args: unknown[]) => void;

function listenersOf(event: ProcessEvent): Listener[] {
  return (process.listeners as (event: string) => Listener[])(event);
}

function processListeners(): Map<ProcessEvent, Listener[]> {
  return new Map(PROCESS_EVENTS.map((event) => [event, listenersOf(event)]));
}

/**
 * The WASM backend's Emscripten runtime installs process-wide handlers that rethrow every
 * uncaught error from inside its minified source, so Node prints a 30 kB line instead of
 * the real problem. Our adapters own error handling; take those handlers away again.
 */
function removeListenersAddedSince(before: Map<ProcessEvent, Listener[]>): void {
  for (const event of PROCESS_EVENTS) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
  }
}

/**
 * Tries each candidate in order and makes the first that works the tfjs backend.
 * `only` forces one backend name (e.g. 'cpu' for comparisons).
 */
export async function selectBackend(candidates: BackendCandidate[] = DEFAULT_BACKENDS, only?: string): Promise<BackendInfo> {
  const skipped: BackendInfo['skipped'] = [];
  for (const candidate of candidates) {
    if (only && candidate.backend !== only) continue;
    const listenersBefore = processListeners();
    try {
      const { gpu } = await candidate.load();
      if (!(await tf.setBackend(candidate.backend))) throw new Error(`the ${candidate.backend} backend did not initialise`);
      await tf.ready();
      return { name: candidate.backend, package: candidate.package, gpu, threads: 1, skipped };
    } catch (error) {
      skipped.push({ backend: candidate.package, reason: shortReason(error) });
    } finally {
      removeListenersAddedSince(listenersBefore);
    }
  }
  throw new Error(`No compute backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

/** One line for the log: "wasm (@tensorflow/tfjs-backend-wasm); skipped tfjs-node: not installed". */
export function describeBackend(info: BackendInfo): string {
  const skipped = info.skipped.map((s) => `${s.backend.replace('@tensorflow/', '')}: ${s.reason}`).join('; ');
  return `${info.name}${info.gpu ? ' on GPU' : ''} (${info.package})${skipped ? `; skipped ${skipped}` : ''}`;
}

let chosen: Promise<BackendInfo> | null = null;

/** Selects the backend on first use and returns the same choice afterwards. */
export function ensureBackend(): Promise<BackendInfo> {
  chosen ??= selectBackend().catch((error) => {
    chosen = null;
    throw error;
  });
  return chosen;
}
