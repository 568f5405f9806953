/**
 * enlarge.ts promises sharp's own bytes: these tests hold it to that against sharp itself, on
 * raw pixels over many sizes, and through decodeToRgb on small images in every supported
 * encoding (grey, palette, transparency, EXIF rotation, CMYK, an ICC profile, 16 bits). If a
 * new sharp enlarges differently (libvips 8.19 moves the sampling grid), they fail: then
 * either follow it, with a new embedding cache key, or keep ours and say so in the README.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ttaView, TTA_ZOOM } from '../src/core/dataset/augment.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { enlarge } from '../src/core/dataset/enlarge.js';
import { createRng } from '../src/core/random.js';

const MAX_PIXELS = 100_000_000;

/** What sharp makes of `input` at size × size: decodeToRgb's pipeline with sharp doing the resizing. */
async function sharpDecode(input: Buffer, size: number): Promise<Uint8Array> {
  const { data } = await sharp(input, { animated: false, pages: 1 })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .resize(size, size, { fit: 'fill', kernel: 'lanczos3' })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

function noise(length: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length }, () => Math.floor(rng() * 256));
}

/** Where two byte arrays first differ, for a message that says where to look. */
function firstDifference(a: Uint8Array, b: Uint8Array): string {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  const at = a.findIndex((v, i) => v !== b[i]);
  return at < 0 ? 'none' : `byte ${at}: ${a[at]} against ${b[at]}`;
}

test('enlarge gives the bytes sharp gives, for any smaller width and height, one or three channels', async () => {
  const sides = [1, 2, 3, 7, 28, 50, 99, 111, 223];
  for (const size of [224, 299, 96]) {
    for (const width of [...sides, size].filter((s) => s <= size)) {
      for (const height of [...sides, size].filter((s) => s <= size)) {
        for (const channels of [1, 3] as const) {
          const pixels = noise(width * height * channels, width * 1000 + height * 10 + channels);
          const { data, info } = await sharp(pixels, { raw: { width, height, channels } })
            .resize(size, size, { fit: 'fill', kernel: 'lanczos3' })
            .raw()
            .toBuffer({ resolveWithObject: true });
          // sharp writes one-channel input as grey in every channel: keep the first.
          const expected = Uint8Array.from({ length: size * size * channels }, (_, i) =>
            channels === info.channels ? data[i] : data[Math.floor(i / channels) * info.channels],
          );
          const actual = enlarge(pixels, width, height, channels, size);
          assert.ok(Buffer.from(actual).equals(Buffer.from(expected)), `${width}×${height}×${channels} to ${size}: ${firstDifference(actual, expected)}`);
        }
      }
    }
  }
});

test('enlarge returns the pixels themselves at the target size, and refuses a bigger image', () => {
  const pixels = noise(8 * 8 * 3, 1);
  assert.equal(enlarge(pixels, 8, 8, 3, 8), pixels);
  assert.throws(() => enlarge(noise(9 * 4 * 3, 2), 9, 4, 3, 8), /9×4 is bigger than 8×8/);
});

/** Small images in each encoding decodeToRgb meets, made here with sharp; width and height differ so a swap shows. */
async function smallImages(): Promise<[string, Buffer][]> {
  const rgb = () => sharp(Buffer.from(noise(21 * 13 * 3, 3)), { raw: { width: 21, height: 13, channels: 3 } });
  const rgba = () => sharp(Buffer.from(noise(21 * 13 * 4, 4)), { raw: { width: 21, height: 13, channels: 4 } });
  const grey = () => sharp(Buffer.from(noise(21 * 13, 5)), { raw: { width: 21, height: 13, channels: 1 } }).toColourspace('b-w');
  return [
    ['RGB PNG', await rgb().png().toBuffer()],
    ['grey PNG', await grey().png().toBuffer()],
    ['grey JPEG', await grey().jpeg().toBuffer()],
    [
      'grey PNG with transparency',
      await grey()
        .joinChannel(Buffer.from(noise(21 * 13, 10)), { raw: { width: 21, height: 13, channels: 1 } })
        .png()
        .toBuffer(),
    ],
    ['RGBA PNG (flattened onto white)', await rgba().png().toBuffer()],
    ['palette PNG with transparency', await rgba().png({ palette: true, colours: 16 }).toBuffer()],
    ['JPEG rotated by EXIF (orientation 6)', await rgb().jpeg().withMetadata({ orientation: 6 }).toBuffer()],
    ['JPEG mirrored by EXIF (orientation 5)', await rgb().jpeg().withMetadata({ orientation: 5 }).toBuffer()],
    ['CMYK JPEG', await rgb().toColourspace('cmyk').jpeg().toBuffer()],
    ['JPEG with a Display P3 profile', await rgb().jpeg().withIccProfile('p3').toBuffer()],
    ['WebP', await rgb().webp({ lossless: true }).toBuffer()],
    ['GIF', await rgb().gif().toBuffer()],
    ['AVIF', await rgb().avif({ quality: 80 }).toBuffer()],
    ['TIFF', await rgb().tiff().toBuffer()],
    ['16-bit PNG (sharp enlarges it)', await rgb().toColourspace('rgb16').png().toBuffer()],
    [
      'as wide as the input, shorter',
      await sharp(Buffer.from(noise(64 * 20 * 3, 6)), { raw: { width: 64, height: 20, channels: 3 } })
        .png()
        .toBuffer(),
    ],
    [
      'wider than the input, shorter (sharp resizes it)',
      await sharp(Buffer.from(noise(90 * 20 * 3, 7)), { raw: { width: 90, height: 20, channels: 3 } })
        .png()
        .toBuffer(),
    ],
    [
      'exactly the input size',
      await sharp(Buffer.from(noise(64 * 64 * 3, 8)), { raw: { width: 64, height: 64, channels: 3 } })
        .png()
        .toBuffer(),
    ],
  ];
}

test('decodeToRgb enlarges small images of every kind to the bytes sharp gives', async () => {
  for (const [what, bytes] of await smallImages()) {
    const expected = await sharpDecode(bytes, 64);
    const actual = await decodeToRgb(new Uint8Array(bytes), 64, MAX_PIXELS);
    assert.ok(Buffer.from(actual).equals(Buffer.from(expected)), `${what}: ${firstDifference(actual, expected)}`);
  }
});

test('the zoom test-time view is the middle of the image enlarged as sharp enlarges it', async () => {
  const size = 64;
  const pixels = noise(size * size * 3, 9);
  const side = Math.round(size * TTA_ZOOM);
  const offset = Math.floor((size - side) / 2);
  const expected = await sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .extract({ left: offset, top: offset, width: side, height: side })
    .resize(size, size, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  const actual = ttaView(pixels, size, 'zoom');
  assert.ok(Buffer.from(actual).equals(expected), firstDifference(actual, expected));
});
