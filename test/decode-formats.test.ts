/**
 * AVIF and TIFF, the two formats the issue promises that no other test decodes: images made
 * here with sharp (nothing committed), decoded by decodeToRgb from bytes and from files, and
 * read by prepareDataset as a dataset of their own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeToRgb, WHOLE_FILE_BYTES } from '../src/core/dataset/decode.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { DEFAULT_SPLIT } from '../src/core/options.js';
import { silentLogger } from '../src/core/ports.js';
import { tempDir } from './helpers/datasets.js';

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const WHITE = [255, 255, 255];

/** 24 wide × 16 high: the left half red, the right half blue (so a size or orientation mix-up shows). */
function halves(channels: 3 | 4 = 3, alphaRight = 255) {
  const width = 24;
  const height = 16;
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = x < width / 2 ? RED : BLUE;
      const at = (y * width + x) * channels;
      data.set(colour, at);
      if (channels === 4) data[at + 3] = x < width / 2 ? 255 : alphaRight;
    }
  }
  return sharp(data, { raw: { width, height, channels } });
}

/** The RGB of pixel (x, y) of a size×size decode. */
const pixel = (rgb: Uint8Array, size: number, x: number, y: number) => [...rgb.subarray((y * size + x) * 3, (y * size + x) * 3 + 3)];

function assertColour(actual: number[], expected: number[], tolerance: number, what: string) {
  assert.ok(
    actual.every((v, i) => Math.abs(v - expected[i]) <= tolerance),
    `${what}: got [${actual}], expected [${expected}] within ${tolerance}`,
  );
}

/** Left column red, right column blue, at a size different from the source, with exactly size² RGB pixels. */
async function assertHalves(input: Uint8Array | string, tolerance: number, what: string) {
  const size = 8;
  const rgb = await decodeToRgb(input, size, 1e6);
  assert.equal(rgb.length, size * size * 3, `${what}: ${size}×${size} RGB`);
  for (const y of [0, size - 1]) {
    assertColour(pixel(rgb, size, 0, y), RED, tolerance, `${what}, left at row ${y}`);
    assertColour(pixel(rgb, size, size - 1, y), BLUE, tolerance, `${what}, right at row ${y}`);
  }
}

// sharp's tiff() compresses with JPEG unless told otherwise (lossy, and no alpha): each fixture names its compression.
const formats = {
  // AVIF is lossy by default; 4:4:4 keeps the colour sharp at the edge between the halves.
  'AVIF (lossy)': { ext: 'avif', tolerance: 24, make: () => halves().avif({ quality: 80, chromaSubsampling: '4:4:4' }).toBuffer() },
  'AVIF (lossless)': { ext: 'avif', tolerance: 2, make: () => halves().avif({ lossless: true }).toBuffer() },
  'TIFF (LZW)': { ext: 'tiff', tolerance: 0, make: () => halves().tiff({ compression: 'lzw' }).toBuffer() },
  'TIFF (16-bit, deflate)': { ext: 'tif', tolerance: 3, make: () => halves().toColourspace('rgb16').tiff({ compression: 'deflate' }).toBuffer() },
  'TIFF (JPEG-compressed)': { ext: 'tiff', tolerance: 24, make: () => halves().tiff({ compression: 'jpeg', quality: 90 }).toBuffer() },
} as const;

for (const [name, format] of Object.entries(formats)) {
  test(`${name} decodes to the right size and colours, from bytes and from a file`, async () => {
    const bytes = await format.make();
    const meta = await sharp(bytes).metadata();
    assert.equal(meta.format, format.ext === 'avif' ? 'heif' : 'tiff', 'the fixture really is this format');
    if (name.includes('16-bit')) assert.equal(meta.depth, 'ushort', 'the fixture really has 16 bits a channel');
    await assertHalves(bytes, format.tolerance, `${name} from bytes`);
    const file = join(tempDir(), `image.${format.ext}`);
    writeFileSync(file, bytes);
    await assertHalves(file, format.tolerance, `${name} from a file`);
  });
}

test('a file too big to read whole (an uncompressed TIFF) is decoded from its path, to the pixels its bytes give', async () => {
  const side = Math.ceil(Math.sqrt(WHOLE_FILE_BYTES / 3)) + 8;
  const data = Buffer.alloc(side * side * 3);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) data.set(x < side / 2 ? RED : BLUE, (y * side + x) * 3);
  const bytes = await sharp(data, { raw: { width: side, height: side, channels: 3 } })
    .tiff({ compression: 'none' })
    .toBuffer();
  assert.ok(bytes.length > WHOLE_FILE_BYTES, 'the file is over the size read whole');
  const file = join(tempDir(), 'big.tiff');
  writeFileSync(file, bytes);
  const fromFile = await decodeToRgb(file, 8, side * side);
  assert.deepEqual(fromFile, await decodeToRgb(bytes, 8, side * side));
  assertColour(pixel(fromFile, 8, 0, 4), RED, 0, 'left');
  assertColour(pixel(fromFile, 8, 7, 4), BLUE, 0, 'right');
});

test('AVIF and TIFF with alpha are flattened onto white', async () => {
  for (const [name, bytes] of [
    ['AVIF', await halves(4, 0).avif({ lossless: true }).toBuffer()],
    ['TIFF', await halves(4, 0).tiff({ compression: 'lzw' }).toBuffer()],
  ] as const) {
    const rgb = await decodeToRgb(bytes, 8, 1e6);
    assertColour(pixel(rgb, 8, 0, 0), RED, 2, `${name}: opaque half`);
    assertColour(pixel(rgb, 8, 7, 0), WHITE, 2, `${name}: transparent half`);
  }
});

test('a greyscale TIFF becomes RGB', async () => {
  const grey = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#404040' } })
    .toColourspace('b-w')
    .tiff({ compression: 'lzw' })
    .toBuffer();
  assert.equal((await sharp(grey).metadata()).channels, 1);
  const rgb = await decodeToRgb(grey, 4, 1e6);
  assert.equal(rgb.length, 4 * 4 * 3);
  for (let i = 0; i < 16; i++) assertColour(pixel(rgb, 4, i % 4, Math.floor(i / 4)), [64, 64, 64], 1, `pixel ${i}`);
});

test('EXIF orientation in a TIFF is applied (rotated 90°: the left half ends up on top)', async () => {
  const rotated = await halves().tiff({ compression: 'lzw' }).withMetadata({ orientation: 6 }).toBuffer();
  assert.equal((await sharp(rotated).metadata()).orientation, 6);
  const rgb = await decodeToRgb(rotated, 8, 1e6);
  assertColour(pixel(rgb, 8, 0, 0), RED, 0, 'top left');
  assertColour(pixel(rgb, 8, 7, 0), RED, 0, 'top right');
  assertColour(pixel(rgb, 8, 0, 7), BLUE, 0, 'bottom left');
});

test('a dataset of AVIF and TIFF files is read in full, nothing skipped', async () => {
  const root = join(tempDir(), 'dataset');
  const colours = { red: '#ff0000', blue: '#0000ff' };
  for (const [label, colour] of Object.entries(colours)) {
    mkdirSync(join(root, label), { recursive: true });
    for (let i = 0; i < 3; i++) {
      // Each image differs (its size), so none is dropped as a duplicate.
      const image = () => sharp({ create: { width: 8 + i, height: 8, channels: 3, background: colour } });
      writeFileSync(join(root, label, `a${i}.avif`), await image().avif({ lossless: true }).toBuffer());
      writeFileSync(join(root, label, `t${i}.tiff`), await image().tiff({ compression: 'lzw' }).toBuffer());
    }
  }
  const prepared = await prepareDataset({ datasetPath: root, split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e6, workDir: tempDir() }, silentLogger);
  assert.deepEqual(prepared.summary.skipped, []);
  assert.equal(prepared.images.length, 12);
  assert.deepEqual(prepared.labels, ['blue', 'red']);
  for (const image of prepared.images) {
    const thumbnail = prepared.thumbnails.get(image.sha256)!;
    assertColour([...thumbnail.subarray(0, 3)], image.label === 'red' ? RED : BLUE, 2, image.file);
  }
});
