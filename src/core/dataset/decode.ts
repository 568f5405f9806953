/**
 * Decoding any supported image into the RGB pixels a network wants, with sharp:
 * EXIF orientation applied, first frame of animations, alpha flattened onto white,
 * grayscale/CMYK/16-bit converted to 8-bit sRGB, resized (stretched) to size×size.
 * sharp's shrink-on-load keeps big photos from being decoded at full size.
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
  // The header alone names the format and the declared size: refuse before decoding anything
  // (read without the pixel limit, which would refuse the header without saying its size).
  const header = await sharp(input, { limitInputPixels: false, pages: 1 }).metadata().catch((error: unknown) => {
    throw new DecodeError(explainDecodeFailure(error, maxPixels));
  });
  if (!SUPPORTED_FORMATS.has(header.format ?? '')) {
    throw new DecodeError(`the contents are ${String(header.format ?? 'unknown').toUpperCase()}, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  }
  const { width = 0, height = 0 } = header;
  if (width * height > maxPixels) {
    throw new DecodeError(
      `image is larger than ${maxPixels.toLocaleString('en')} pixels (it declares ${width}×${height} = ${(width * height).toLocaleString('en')}; possible decompression bomb); downscale it, or raise --max-pixels if it is legitimate`,
    );
  }
  try {
    const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: 'error', animated: false, pages: 1 })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .resize(size, size, { fit: RESIZE_MODE, kernel: 'lanczos3' })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return toRgb(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels);
  } catch (error) {
    throw new DecodeError(explainDecodeFailure(error, maxPixels));
  }
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
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return `image is larger than ${maxPixels.toLocaleString('en')} pixels (possible decompression bomb); downscale it, or raise --max-pixels if it is legitimate`;
  }
  if (/unsupported image format/i.test(message)) return `not a readable image: the contents are not a supported format (${SUPPORTED_LIST})`;
  if (/premature end|truncated|corrupt|bad|invalid|incomplete|unexpected end|read error/i.test(message)) {
    return `damaged image (${message.split('\n')[0]!.trim()}); re-export or remove it`;
  }
  return `could not be decoded (${message.split('\n')[0]!.trim()}); re-export or remove it`;
}
