/**
 * Decoding any supported image into the RGB pixels a network wants, with sharp, once its
 * first bytes have shown it is one of the supported formats (whatever its extension says):
 * EXIF orientation applied, first frame of animations, alpha flattened onto white,
 * grayscale/CMYK/16-bit converted to 8-bit sRGB, resized (stretched) to size×size: reduced
 * with a Lanczos-3 filter, enlarged with Catmull-Rom bicubic interpolation (what sharp does
 * for any kernel; enlarge.ts). sharp's shrink-on-load keeps big photos from being decoded at
 * full size.
 * Policy for damaged files: whatever the decoder reports as damaged pixel data (a bad
 * Huffman code, a failed PNG checksum, data cut short) is a DecodeError, so the file is
 * skipped and listed; other decoder warnings are tolerated (see DAMAGE_WARNINGS).
 */
import { open } from 'node:fs/promises';
import sharp from 'sharp';
import { enlarge } from './enlarge.js';

/** How images are resized to the network's input; recorded in preprocessing.json. */
export const RESIZE_MODE = 'fill';

/**
 * What an embedding's pixels depend on besides the backbone, for every embedding cache key:
 * the resize mode and the libvips that decodes and reduces. enlarge.ts pins enlarging, but a
 * new libvips may still decode or reduce an image a level differently here and there, so a
 * cache made with one is not mixed into a run with another.
 */
export const DECODING_KEY = `${RESIZE_MODE}|libvips-${sharp.versions.vips}`;

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
  const { head, source } = await readInput(input);
  // The first bytes decide which parser may see the file at all: libvips has loaders for many
  // more formats (SVG, PDF, its own) than a dataset needs, each one more parser to attack.
  const format = signatureFormat(head);
  const path = typeof input === 'string' ? input : null;
  const quirky = path !== null && tolerated.has(path);
  try {
    return await gate.shared(() => decode(source, format, size, maxPixels, quirky ? 'error' : 'warning'));
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    // The decoder's words may be another image's (see DecodeGate): run it again alone, where
    // they are its own, and only then tell damage from a quirk that can be tolerated.
    return gate.alone(() => diagnose(source, format, size, maxPixels, path));
  }
}

/**
 * Files up to this size are read once, whole, and decoded from memory; bigger ones by path,
 * so libvips streams them (a 1 GiB TIFF is not held in memory once per decode in flight).
 * Reading once saves two opens of the file (for the header, then the pixels): 0.15–0.2 ms of
 * CPU per 28-px PNG (alternated in one process, when its decode to 224 px took 3.7–3.9 ms).
 */
export const WHOLE_FILE_BYTES = 8 * 1024 * 1024;

/** The first bytes of `input`, and what to decode: the bytes themselves, or the path of a big file. */
async function readInput(input: Uint8Array | string): Promise<{ head: Uint8Array; source: Uint8Array | string }> {
  if (typeof input !== 'string') return { head: input.subarray(0, SIGNATURE_BYTES), source: input };
  try {
    const file = await open(input, 'r');
    try {
      const { size } = await file.stat();
      if (size <= WHOLE_FILE_BYTES) {
        const bytes = await file.readFile();
        return { head: bytes.subarray(0, SIGNATURE_BYTES), source: bytes };
      }
      const head = new Uint8Array(SIGNATURE_BYTES);
      const { bytesRead } = await file.read(head, 0, SIGNATURE_BYTES, 0);
      return { head: head.subarray(0, bytesRead), source: input };
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new DecodeError(`could not be read (${messageOf(error).split('\n')[0]}); check the file or remove it`);
  }
}

/** How many leading bytes the signatures need (an ftyp box lists its brands within these). */
const SIGNATURE_BYTES = 64;

/**
 * HEIF brands libheif reads (AVIF among them); an ftyp box with none of them is some other
 * ISO media file, such as an MP4 video.
 */
const HEIF_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

const ascii = (head: Uint8Array, from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
const startsWith = (head: Uint8Array, bytes: number[], at = 0) => bytes.every((b, i) => head[at + i] === b);

/**
 * The format the first bytes declare, by the name sharp reports for it; null for anything
 * else. JPEG FF D8 FF; PNG's 8-byte signature; GIF87a/89a; RIFF….WEBP; TIFF and BigTIFF in
 * either byte order; an ISO `ftyp` box with a HEIF or AVIF brand.
 */
export function formatFromSignature(head: Uint8Array): string | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (/^GIF8[79]a$/.test(ascii(head, 0, 6))) return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (
    [
      [0x49, 0x49, 0x2a, 0x00],
      [0x4d, 0x4d, 0x00, 0x2a],
      [0x49, 0x49, 0x2b, 0x00],
      [0x4d, 0x4d, 0x00, 0x2b],
    ].some((sig) => startsWith(head, sig))
  )
    return 'tiff';
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
    const boxEnd = Math.min(head.length, new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0));
    // The major brand, then the compatible brands after the minor version.
    const brands = [ascii(head, 8, 12)];
    for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(head, at, at + 4));
    if (brands.some((brand) => HEIF_BRANDS.has(brand))) return 'heif';
  }
  return null;
}

/** The format the first bytes declare, or a DecodeError that says what the file is instead (when we can tell). */
function signatureFormat(head: Uint8Array): string {
  const format = formatFromSignature(head);
  if (format) return format;
  // SVG and libvips' own format are what sharp would otherwise read; the rest is unreadable.
  // (Bytes as Latin-1: a UTF-8 byte-order mark reads as ï»¿.)
  const start = ascii(head, 0, head.length).replace(/^(\u00ef\u00bb\u00bf)?\s*/, '');
  if (/^<(\?xml|svg|!DOCTYPE svg)/i.test(start))
    throw new DecodeError(`the contents are SVG, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  if (startsWith(head, [0x08, 0xf2, 0xa6, 0xb6]) || startsWith(head, [0xb6, 0xa6, 0xf2, 0x08])) {
    throw new DecodeError(`the contents are VIPS, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  }
  throw new DecodeError(`not a readable image: the contents are not a supported format (${SUPPORTED_LIST})`);
}

/**
 * One attempt on a file whose signature declared `format`. DecodeErrors come from the
 * header's own numbers; sharp's errors are passed on.
 */
async function decode(input: Uint8Array | string, format: string, size: number, maxPixels: number, failOn: 'warning' | 'error'): Promise<Uint8Array> {
  // The header alone names the format and the declared size: refuse before decoding anything
  // (read without the pixel limit, which would refuse the header without saying its size).
  const header = await sharp(input, { limitInputPixels: false, pages: 1 }).metadata();
  if (!SUPPORTED_FORMATS.has(header.format ?? '')) {
    throw new DecodeError(
      `the contents are ${String(header.format ?? 'unknown').toUpperCase()}, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`,
    );
  }
  if (header.format !== format) {
    throw new DecodeError(`the file starts like ${format.toUpperCase()} but decodes as ${String(header.format).toUpperCase()}; re-export or remove it`);
  }
  const { width = 0, height = 0 } = header;
  if (width * height > maxPixels) {
    throw new DecodeError(
      `image is larger than ${maxPixels.toLocaleString('en')} pixels (it declares ${width}×${height} = ${(width * height).toLocaleString('en')}; possible decompression bomb); downscale it, or raise the pixel cap (max-pixels) if it is legitimate`,
    );
  }
  // An image no bigger than the input on either side is decoded as it is and enlarged by
  // enlarge.ts: the same bytes sharp would give, in a third of the time. Not for 16-bit
  // images, which sharp enlarges before reducing them to 8 bits, nor for images EXIF turns,
  // which sharp enlarges before turning them.
  const enlarging = header.depth === 'uchar' && (header.orientation ?? 1) === 1 && width <= size && height <= size;
  const { data, info } = await decodePixels(input, enlarging ? null : size, maxPixels, failOn);
  const rgb = toRgb(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels);
  return enlarging ? enlarge(rgb, info.width, info.height, 3, size) : rgb;
}

/**
 * A failed decode, run again with nothing else decoding: damaged, unreadable, or a tolerable
 * quirk. `path`: the file's, so later decodes of a tolerated one skip straight to the tolerant level.
 */
async function diagnose(input: Uint8Array | string, format: string, size: number, maxPixels: number, path: string | null): Promise<Uint8Array> {
  try {
    return await decode(input, format, size, maxPixels, 'warning');
  } catch (strict) {
    if (strict instanceof DecodeError) throw strict;
    if (DAMAGE_WARNINGS.test(messageOf(strict))) throw new DecodeError(explainDecodeFailure(strict, maxPixels));
    // Some other complaint, such as the "Invalid SOS parameters" of Samsung phone cameras:
    // the pixels are intact, so decode again without failing on warnings.
    try {
      const pixels = await decode(input, format, size, maxPixels, 'error');
      if (path !== null) tolerated.add(path);
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
const DAMAGE_WARNINGS =
  /corrupt jpeg data: (bad huffman code|bad arithmetic code|premature end of data segment|found marker)|premature end of jpeg|inconsistent progression/i;

/** `size`: the side to resize to, or null to keep the image's own size. */
function decodePixels(input: Uint8Array | string, size: number | null, maxPixels: number, failOn: 'warning' | 'error') {
  const image = sharp(input, { limitInputPixels: maxPixels, failOn, animated: false, pages: 1 })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb');
  if (size !== null) image.resize(size, size, { fit: RESIZE_MODE, kernel: 'lanczos3' });
  return image.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
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
    return `damaged image (${message.split('\n')[0].trim()}); re-export or remove it`;
  }
  return `could not be decoded (${message.split('\n')[0].trim()}); re-export or remove it`;
}
