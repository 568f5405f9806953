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

/** The batch's images decoded and laid end to end: n × size × size × 3 bytes. */
export async function decodeBatch(images: Pick<EmbeddableImage, 'path'>[], size: number, maxPixels: number): Promise<Uint8Array> {
  const pixels = await Promise.all(images.map((image) => decodeToRgb(image.path, size, maxPixels)));
  const batch = new Uint8Array(images.length * size * size * 3);
  pixels.forEach((p, i) => batch.set(p, i * p.length));
  return batch;
}
