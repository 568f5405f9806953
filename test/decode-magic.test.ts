/**
 * The image format comes from the file's first bytes, never from its extension: real files
 * of every supported format are recognised by their signature whatever they are called, and
 * anything else (SVG, libvips' own format, PDF, BMP, an MP4, text) is refused before sharp's
 * parsers see it, with a reason next to the file's name.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { decodeToRgb, DecodeError, formatFromSignature } from '../src/core/dataset/decode.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { DEFAULT_SPLIT } from '../src/core/options.js';
import { silentLogger } from '../src/core/ports.js';
import { tempDir } from './helpers/datasets.js';
import { bmpImage, svgImage } from './helpers/fixtures.js';

const UNSUPPORTED = /^not a readable image: the contents are not a supported format \(JPEG, PNG, WebP, GIF, AVIF, TIFF\)$/;

const picture = (colour: string) => sharp({ create: { width: 16, height: 12, channels: 3, background: colour } });

/** One real encoding of each supported format, as sharp (libvips) writes them. */
async function encodings(): Promise<Record<string, Buffer>> {
  return {
    jpeg: await picture('#c33').jpeg().toBuffer(),
    png: await picture('#3c3').png().toBuffer(),
    webp: await picture('#33c').webp().toBuffer(),
    gif: await picture('#cc3').gif().toBuffer(),
    avif: await picture('#3cc').avif({ chromaSubsampling: '4:4:4' }).toBuffer(),
    tiff: await picture('#c3c').tiff({ compression: 'lzw' }).toBuffer(),
    'tiff big-endian': bigEndianTiff(),
  };
}

/** A 1×1 grey TIFF in Motorola byte order (`MM\0*`), which sharp does not write. */
function bigEndianTiff(): Buffer {
  const entries: [number, number, number, number][] = [
    [256, 3, 1, 1], // width
    [257, 3, 1, 1], // height
    [258, 3, 1, 8], // bits per sample
    [259, 3, 1, 1], // no compression
    [262, 3, 1, 1], // black is zero
    [273, 4, 1, 8 + 2 + 8 * 12 + 4], // strip offset: the byte after the directory
    [277, 3, 1, 1], // samples per pixel
    [279, 4, 1, 1], // strip byte count
  ];
  const out = Buffer.alloc(8 + 2 + entries.length * 12 + 4 + 1);
  out.write('MM', 0, 'latin1');
  out.writeUInt16BE(42, 2);
  out.writeUInt32BE(8, 4);
  out.writeUInt16BE(entries.length, 8);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    out.writeUInt16BE(tag, at);
    out.writeUInt16BE(type, at + 2);
    out.writeUInt32BE(count, at + 4);
    if (type === 3) out.writeUInt16BE(value, at + 8);
    else out.writeUInt32BE(value, at + 8);
  });
  out[out.length - 1] = 0x80;
  return out;
}

/** An ISO media file (an MP4 video's ftyp box) with no HEIF brand. */
const mp4 = () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\x02\0isomiso2', 'latin1'), Buffer.alloc(40)]);

test('every supported format is told by its signature', async () => {
  const expected: Record<string, string> = { jpeg: 'jpeg', png: 'png', webp: 'webp', gif: 'gif', avif: 'heif', tiff: 'tiff', 'tiff big-endian': 'tiff' };
  for (const [name, bytes] of Object.entries(await encodings())) {
    assert.equal(formatFromSignature(bytes.subarray(0, 64)), expected[name], name);
    assert.equal((await sharp(bytes).metadata()).format, expected[name], `sharp agrees on ${name}`);
  }
  // HEIF still images name their brand among the compatible ones too (major brand mif1 here).
  const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmif1\0\0\0\0mif1heic', 'latin1')]);
  assert.equal(formatFromSignature(heic), 'heif');
});

test('near misses are not images', () => {
  for (const [what, head] of Object.entries({
    GIF88a: Buffer.from('GIF88a\x01\0\x01\0', 'latin1'),
    'RIFF WAVE': Buffer.from('RIFF\x24\0\0\0WAVEfmt ', 'latin1'),
    'PNG without its line-ending bytes': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x0a, 0x0a]),
    'two JPEG bytes': Buffer.from([0xff, 0xd8]),
    'an MP4': mp4(),
    'TIFF magic with a wrong version': Buffer.from([0x49, 0x49, 0x2c, 0x00]),
    empty: Buffer.alloc(0),
  })) {
    assert.equal(formatFromSignature(head), null, what);
  }
});

test('decodeToRgb refuses what the signature does not declare, from bytes and from files', async () => {
  const dir = tempDir();
  const vips = join(dir, 'native.v');
  await picture('#888').toFile(vips);
  const cases: [string, Uint8Array | string, RegExp][] = [
    ['SVG', svgImage(), /^the contents are SVG, which is not a supported format/],
    ['SVG with an XML declaration', Buffer.from(`\uFEFF<?xml version="1.0"?>\n${svgImage().toString('utf8')}`), /^the contents are SVG/],
    ['libvips format', vips, /^the contents are VIPS, which is not a supported format/],
    ['BMP', bmpImage(), UNSUPPORTED],
    ['PDF', Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), UNSUPPORTED],
    ['MP4', mp4(), UNSUPPORTED],
    ['text', Buffer.from('not an image at all\n'), UNSUPPORTED],
  ];
  for (const [what, input, reason] of cases) {
    await assert.rejects(decodeToRgb(input, 8, 1e6), (error: Error) => error instanceof DecodeError && reason.test(error.message), what);
  }
  await assert.rejects(
    decodeToRgb(join(dir, 'gone.png'), 8, 1e6),
    (error: Error) => error instanceof DecodeError && /^could not be read \(ENOENT/.test(error.message),
  );
});

test('in a dataset, extensions that lie: real images are trained on, the rest skipped with a reason next to the file', async () => {
  const root = tempDir();
  for (const label of ['red', 'green']) mkdirSync(join(root, label));
  const real = await encodings();
  // Real images under the wrong extension: kept.
  const kept: Record<string, Buffer> = {
    'red/png-named.jpg': real.png,
    'red/jpeg-named.webp': real.jpeg,
    'red/webp-named.gif': real.webp,
    'red/gif-named.png': real.gif,
    'green/avif-named.tiff': real.avif,
    'green/tiff-named.avif': real.tiff,
    'green/big-endian-tiff.png': real['tiff big-endian'],
    'green/plain.png': await picture('#6a6').png().toBuffer(),
  };
  // Not images of ours, whatever they are called: skipped.
  const vips = join(tempDir(), 'x.v');
  await picture('#444').toFile(vips);
  const skipped: Record<string, [Buffer, RegExp]> = {
    'red/vector.png': [svgImage(), /^the contents are SVG/],
    'red/native.jpg': [readFileSync(vips), /^the contents are VIPS/],
    'red/bitmap.jpg': [bmpImage(), UNSUPPORTED],
    'green/video.avif': [mp4(), UNSUPPORTED],
    'green/document.png': [Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n'), UNSUPPORTED],
    'green/notes.gif': [Buffer.from('GIF88a is not a GIF'), UNSUPPORTED],
  };
  for (const [file, bytes] of Object.entries(kept)) writeFileSync(join(root, file), bytes);
  for (const [file, [bytes]] of Object.entries(skipped)) writeFileSync(join(root, file), bytes);

  const prepared = await prepareDataset({ datasetPath: root, split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e6, workDir: tempDir() }, silentLogger);
  const reasons = Object.fromEntries(prepared.summary.skipped.map((s) => [s.file, s.reason]));
  assert.deepEqual(Object.keys(reasons).sort(), Object.keys(skipped).sort());
  for (const [file, [, reason]] of Object.entries(skipped)) assert.match(reasons[file], reason, file);
  assert.deepEqual(prepared.images.map((i) => i.file).sort(), Object.keys(kept).sort(), 'every real image was decoded and kept');
});
