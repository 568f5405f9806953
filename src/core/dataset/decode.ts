/**
 * Decoding any supported image into the RGB pixels a network wants, with sharp:
 * EXIF orientation applied, first frame of animations, alpha flattened onto white,
 * grayscale/CMYK/16-bit converted to 8-bit sRGB, resized (stretched) to size×size.
 * sharp's shrink-on-load keeps big photos from being decoded at full size.
 * Policy for damaged files: whatever the decoder reports as damaged pixel data (a bad
 * Huffman code, a failed PNG checksum, data cut short) is a DecodeError, so the file is
 * skipped and listed; other decoder warnings are tolerated (see DAMAGE_WARNINGS).
 */
import sharp from 'sharp';

/** How images are resized to the network's input; recorded in preprocessing.json. */
export const RESIZE_MODE = 'fill';

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

// Decoding many images at once is what sharp's thread pool is for; keep our own
// concurrency modest so memory stays flat on big datasets.
sharp.concurrency(0);

/**
 * What sharp reports for the formats the README promises (AVIF is 'heif'). sharp also reads
 * SVG (rendered by librsvg) and libvips' own format; a dataset has no business feeding
 * those to the runner, so they are refused even when renamed to .png.
 */
const SUPPORTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'heif', 'tiff']);
const SUPPORTED_LIST = 'JPEG, PNG, WebP, GIF, AVIF, TIFF';

export async function decodeToRgb(input: Uint8Array | string, size: number, maxPixels: number): Promise<Uint8Array> {
  const quirky = typeof input === 'string' && tolerated.has(input);
  try {
    return await gate.shared(() => decode(input, size, maxPixels, quirky ? 'error' : 'warning'));
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    // The decoder's words may be another image's (see DecodeGate): run it again alone, where
    // they are its own, and only then tell damage from a quirk that can be tolerated.
    return gate.alone(() => diagnose(input, size, maxPixels));
  }
}

/** One attempt. DecodeErrors come from the header's own numbers; sharp's errors are passed on. */
async function decode(input: Uint8Array | string, size: number, maxPixels: number, failOn: 'warning' | 'error'): Promise<Uint8Array> {
  // The header alone names the format and the declared size: refuse before decoding anything
  // (read without the pixel limit, which would refuse the header without saying its size).
  const header = await sharp(input, { limitInputPixels: false, pages: 1 }).metadata();
  if (!SUPPORTED_FORMATS.has(header.format ?? '')) {
    throw new DecodeError(`the contents are ${String(header.format ?? 'unknown').toUpperCase()}, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  }
  const { width = 0, height = 0 } = header;
  if (width * height > maxPixels) {
    throw new DecodeError(
      `image is larger than ${maxPixels.toLocaleString('en')} pixels (it declares ${width}×${height} = ${(width * height).toLocaleString('en')}; possible decompression bomb); downscale it, or raise the pixel cap (max-pixels) if it is legitimate`,
    );
  }
  const { data, info } = await decodePixels(input, size, maxPixels, failOn);
  return toRgb(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels);
}

/** A failed decode, run again with nothing else decoding: damaged, unreadable, or a tolerable quirk. */
async function diagnose(input: Uint8Array | string, size: number, maxPixels: number): Promise<Uint8Array> {
  try {
    return await decode(input, size, maxPixels, 'warning');
  } catch (strict) {
    if (strict instanceof DecodeError) throw strict;
    if (DAMAGE_WARNINGS.test(messageOf(strict))) throw new DecodeError(explainDecodeFailure(strict, maxPixels));
    // Some other complaint, such as the "Invalid SOS parameters" of Samsung phone cameras:
    // the pixels are intact, so decode again without failing on warnings.
    try {
      const pixels = await decode(input, size, maxPixels, 'error');
      if (typeof input === 'string') tolerated.add(input);
      return pixels;
    } catch (error) {
      throw error instanceof DecodeError ? error : new DecodeError(explainDecodeFailure(error, maxPixels));
    }
  }
}

/** Files already diagnosed as quirky but intact: later decodes (other sizes) go straight to the tolerant level. */
const tolerated = new Set<string>();

/**
 * libvips keeps one error buffer for the whole process, and sharp one queue of warnings: when
 * two decodes fail at once, each may report the other's words (a damaged JPEG then reads as a
 * PNG error and slips through as a quirk). Decodes share the gate; a failed one is diagnosed
 * alone, once those in flight have finished and before new ones start. Worker threads (for
 * embeddings) have a gate each; by the time they decode, validation has left out the damaged
 * files, so words mixed up between threads can only be those of other tolerable quirks.
 */
class DecodeGate {
  private active = 0;
  private closed: Promise<void> | null = null;
  private onIdle: (() => void)[] = [];

  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed;
    this.active++;
    try {
      return await work();
    } finally {
      if (--this.active === 0) for (const wake of this.onIdle.splice(0)) wake();
    }
  }

  async alone<T>(work: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed;
    let open!: () => void;
    this.closed = new Promise((resolve) => (open = resolve));
    try {
      if (this.active > 0) await new Promise<void>((resolve) => this.onIdle.push(resolve));
      return await work();
    } finally {
      this.closed = null;
      open();
    }
  }
}

const gate = new DecodeGate();

/**
 * Decoder warnings that mean the compressed pixel data itself is damaged. libjpeg only warns
 * about these and fills the rest of the image with grey, so at failOn 'error' a bit-flipped
 * JPEG would be trained on; at 'warning' (what sharp recommends for untrusted input) they
 * fail. JPEG has no checksum, so damage the decoder does not notice cannot be caught at all;
 * PNG's chunk CRCs and zlib's checksum make libpng fail with an error.
 */
const DAMAGE_WARNINGS = /corrupt jpeg data: (bad huffman code|bad arithmetic code|premature end of data segment|found marker)|premature end of jpeg|inconsistent progression/i;

function decodePixels(input: Uint8Array | string, size: number, maxPixels: number, failOn: 'warning' | 'error') {
  return sharp(input, { limitInputPixels: maxPixels, failOn, animated: false, pages: 1 })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .resize(size, size, { fit: RESIZE_MODE, kernel: 'lanczos3' })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toRgb(data: Uint8Array, channels: number): Uint8Array {
  if (channels === 3) return data;
  const pixels = data.length / channels;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const grey = channels < 3;
    rgb[i * 3] = data[i * channels]!;
    rgb[i * 3 + 1] = data[i * channels + (grey ? 0 : 1)]!;
    rgb[i * 3 + 2] = data[i * channels + (grey ? 0 : 2)]!;
  }
  return rgb;
}

function explainDecodeFailure(error: unknown, maxPixels: number): string {
  const message = messageOf(error);
  if (/pixel limit/i.test(message)) {
    return `image is larger than ${maxPixels.toLocaleString('en')} pixels (possible decompression bomb); downscale it, or raise the pixel cap (max-pixels) if it is legitimate`;
  }
  if (/unsupported image format/i.test(message)) return `not a readable image: the contents are not a supported format (${SUPPORTED_LIST})`;
  if (/premature end|truncated|corrupt|bad|invalid|incomplete|unexpected end|read error/i.test(message)) {
    return `damaged image (${message.split('\n')[0]!.trim()}); re-export or remove it`;
  }
  return `could not be decoded (${message.split('\n')[0]!.trim()}); re-export or remove it`;
}
