/**
 * The unit embedding works in: a batch of images, decoded to RGB bytes at the backbone's
 * input size. Shared by the in-process loop (extract.ts), the worker pool (parallel.ts) and
 * the worker itself, so all three decode exactly alike.
 */
import { decodeToRgb } from '../dataset/decode.js';

export interface EmbeddableImage {
  path: string;
  sha256: string;
}

/**
 * Pixels per batch on TF.js (about 4 images at 224 px). A batch's activations are what the
 * WASM heap grows to, and a thread pays for each new page of it once, on its first batch:
 * MobileNetV2 @224 in one thread took 0.65 s for its first batch of 4 against 2.4 s for its
 * first batch of 16 (heap 158 against 471 MB), while every later image cost the same 53–55 ms
 * at 4, 8 or 16 (67 ms at 32). Smaller batches start sooner, in each worker, and hold less memory.
 * Small images keep batches of 16 (at 96 px, 21 measured no faster).
 */
export const TFJS_BATCH_PIXELS = 4 * 224 * 224;

/** Images per batch on TF.js at `size` px: TFJS_BATCH_PIXELS' worth, from 1 to 16. */
export function tfjsBatchSize(size: number): number {
  return Math.min(16, Math.max(1, Math.floor(TFJS_BATCH_PIXELS / (size * size))));
}

/** The batch's images decoded and laid end to end: n × size × size × 3 bytes. */
export async function decodeBatch(images: Pick<EmbeddableImage, 'path'>[], size: number, maxPixels: number): Promise<Uint8Array> {
  const pixels = await Promise.all(images.map((image) => decodeToRgb(image.path, size, maxPixels)));
  const batch = new Uint8Array(images.length * size * size * 3);
  pixels.forEach((p, i) => batch.set(p, i * p.length));
  return batch;
}

/** The three steps of embedding one batch in this thread, for runPipelined. */
export interface BatchSteps<T> {
  /** Decodes batch k (sharp, on libuv's threads). */
  decode(k: number): Promise<Uint8Array>;
  /** Runs the network on it: TF.js here, or ONNX Runtime on its own threads. */
  embed(k: number, pixels: Uint8Array): Promise<T> | T;
  /** Writes batch k's vectors (the cache: a few small files per image). */
  save(k: number, result: T): Promise<void>;
  /** Asked before each batch: once true, no more batches start; those finished are still saved. */
  shouldStop(): boolean;
}

/**
 * Batches 0…count−1 in order, with the network kept busy: batch k+1 is decoded while batch k
 * runs, and batch k is written while batch k+1 runs (ONNX Runtime runs asynchronously, so the
 * writes no longer leave it idle: ~0.1 s a batch of 32 InceptionV3 vectors, BENCHMARKS.md).
 * Saves happen one at a time, in batch order; a failed save or embed stops the loop (after the
 * save in progress settles) and is thrown. An interrupted run loses at most the batch being written.
 */
export async function runPipelined<T>(count: number, steps: BatchSteps<T>): Promise<void> {
  // Both promises are awaited later than they may fail: marked handled now, their errors still reach the awaits.
  const ahead = <P extends Promise<unknown>>(promise: P): P => {
    promise.catch(() => {});
    return promise;
  };
  let saving: Promise<void> = Promise.resolve();
  let next = count > 0 && !steps.shouldStop() ? ahead(steps.decode(0)) : null;
  try {
    for (let k = 0; k < count && next; k++) {
      const pixels = await next;
      next = k + 1 < count ? ahead(steps.decode(k + 1)) : null;
      const result = await steps.embed(k, pixels);
      await saving; // the previous batch is written before this one (in order; its error stops here)
      saving = ahead(steps.save(k, result));
      if (steps.shouldStop()) next = null; // decoded ahead for a batch that will not run
    }
    await saving;
  } catch (error) {
    await saving.catch(() => {}); // a write in progress finishes (or fails) before the caller moves on
    throw error;
  }
}
