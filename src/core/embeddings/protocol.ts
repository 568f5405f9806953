/**
 * The messages between the embedding pool (parallel.ts) and its workers (embed-worker.ts).
 * A worker starts with a backend and no backbone; it loads one on request and keeps the last,
 * so a run's candidates and stages share warm workers.
 */
import type { BackboneSpec } from '../backbones/zoo.js';

/** What a worker is started with (its workerData). */
export interface WorkerInit {
  cacheDir: string;
  maxPixels: number;
  /** The tfjs backend to use: the main thread's, so one cache never mixes backends. */
  backend?: string;
}

/** A backbone as a worker loads it: the spec, and whether only its frozen base (up to the fine-tune cut) is wanted. */
export interface WorkerBackbone {
  spec: BackboneSpec;
  fineTuneBase?: boolean;
}

/** Names a WorkerBackbone: a worker keeps the one it loaded last under this name, and reloads only for another. */
export function backboneId(backbone: WorkerBackbone): string {
  return JSON.stringify([backbone.spec, backbone.fineTuneBase ?? false]);
}

export type WorkerJob =
  /** Load this backbone, unless it is the one loaded; `id` is its backboneId. */
  | { type: 'load'; backbone: WorkerBackbone; id: string }
  /** One batch for the loaded backbone: decoded pixels (count × size × size × 3), or the paths to decode. */
  | { type: 'embed'; index: number; count: number; size: number; pixels?: Uint8Array; paths?: string[] };

export type WorkerReply =
  | { type: 'ready'; backend: string }
  /** `warming`: the backbone is new to this worker, and a 'warmed' reply follows its warm-up batch. */
  | { type: 'loaded'; id: string; cacheKey: string; featureDim: number; warming: boolean }
  /** The warm-up batch after a load has run (`ok`), or failed (the first real batch will say why). */
  | { type: 'warmed'; id: string; ok: boolean }
  | { type: 'result'; index: number; embeddings: Float32Array }
  | { type: 'error'; stage: 'start' | 'load' | 'embed'; id?: string; index?: number; name: string; message: string };
