/**
 * Broken and hostile inputs, crafted byte by byte by the tests (nothing large is committed):
 * images whose headers lie, archives with flags and sizes patched in, and a preload module
 * that makes the disk look full. Checksums are computed here, independently of src/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { tempDir } from './datasets.js';

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as PNG chunks and zip entries use it. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/**
 * A decompression bomb in a few dozen bytes: a valid PNG header declaring width × height RGB
 * pixels (e.g. 60000 × 60000 = 3.6 gigapixels, ~10 GB decoded), followed by one row of data.
 */
export function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1 + width * 3))),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

const solid = (colour: string, width = 16, height = 16) => sharp({ create: { width, height, channels: 3, background: colour } });

/** A JPEG in the CMYK colour space (as print workflows and some scanners save them). */
export const cmykJpeg = (colour = '#ff0000') => solid(colour).toColourspace('cmyk').jpeg().toBuffer();

/** A single-channel greyscale JPEG. */
export const greyJpeg = (colour = '#808080') => solid(colour).greyscale().jpeg().toBuffer();

/** A greyscale PNG with an alpha channel, fully transparent. */
export const greyAlphaPng = () =>
  sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .greyscale()
    .png()
    .toBuffer();

/** An animated image whose frames are solid colours, first frame first. */
export async function animated(format: 'webp' | 'gif', colours: string[]): Promise<Buffer> {
  const frames = await Promise.all(colours.map((c) => solid(c, 8, 8).png().toBuffer()));
  const joined = sharp(frames, { join: { animated: true } });
  return format === 'webp' ? joined.webp({ loop: 0 }).toBuffer() : joined.gif({ loop: 0 }).toBuffer();
}

/** A large, legitimate photo-sized JPEG (cheap to make: one colour compresses to little). */
export const largeJpeg = (width: number, height: number) => solid('#3366cc', width, height).jpeg({ quality: 80 }).withMetadata({ orientation: 6 }).toBuffer();

/** An SVG (which sharp would render) under an image name. */
export const svgImage = () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="red"/></svg>');

/** A Windows BMP: a real image format, but not one classifier-ci reads. */
export function bmpImage(): Buffer {
  const width = 2;
  const height = 2;
  const row = 8; // 2 px × 3 bytes, padded to 4
  const out = Buffer.alloc(54 + row * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(row * height, 34);
  out.fill(0x80, 54);
  return out;
}

// ---------------------------------------------------------------------------------------
// Damaged images: real encodings with bytes broken in the middle of their pixel data.

/** A 96×96 image with texture, so its compressed data is long enough to damage in the middle. */
const textured = () => {
  const width = 96;
  const raw = Buffer.alloc(width * width * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (Math.sin(i / 50) * 120 + 128 + (i % 7) * 9) & 0xff;
  return sharp(raw, { raw: { width, height: width, channels: 3 } });
};

export const texturedJpeg = () => textured().jpeg({ quality: 90 }).toBuffer();
export const texturedPng = () => textured().png().toBuffer();

/** Where a baseline JPEG's start-of-scan segment and its entropy-coded data lie. */
export function jpegScan(jpeg: Uint8Array): { sos: number; data: number; end: number } {
  const view = Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  for (let at = 2; at + 4 <= view.length; at += 2 + view.readUInt16BE(at + 2)) {
    if (view[at] !== 0xff) throw new Error(`no JPEG marker at byte ${at}`);
    if (view[at + 1] === 0xda) return { sos: at, data: at + 2 + view.readUInt16BE(at + 2), end: view.length - 2 };
  }
  throw new Error('no start-of-scan segment');
}

/**
 * A JPEG with 16 bytes in the middle of its entropy-coded data overwritten with one-bits
 * (0xFF 0x00 is how the format stuffs a 0xFF data byte). No Huffman code is all ones, so the
 * decoder is sure to notice: libjpeg says "Corrupt JPEG data: bad Huffman code", a warning
 * after which it paints the rest grey. Random bit flips usually still decode (JPEG has no
 * checksum), which is why this fixture is deterministic instead.
 */
export async function damagedJpeg(): Promise<Buffer> {
  const jpeg = Buffer.from(await texturedJpeg());
  const { data, end } = jpegScan(jpeg);
  const middle = data + Math.floor((end - data) / 2);
  for (let i = 0; i < 16; i += 2) jpeg.set([0xff, 0x00], middle + i);
  return jpeg;
}

/**
 * A JPEG as some Samsung phone cameras write it: the start-of-scan header's spectral-end byte
 * is 0 instead of 63. libjpeg warns ("Invalid SOS parameters for sequential JPEG") but the
 * pixels are intact; photos like this must still be used.
 */
export async function samsungStyleJpeg(): Promise<Buffer> {
  const jpeg = Buffer.from(await texturedJpeg());
  const { sos, data } = jpegScan(jpeg);
  if (jpeg[data - 2] !== 63) throw new Error(`unexpected Se ${jpeg[data - 2]} at byte ${data - 2} (SOS at ${sos})`);
  jpeg[data - 2] = 0;
  return jpeg;
}

/** The chunks of a PNG: type, and where the data starts and how long it is. */
export function pngChunks(png: Uint8Array): { type: string; at: number; data: number; length: number }[] {
  const view = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const chunks = [];
  for (let at = 8; at + 12 <= view.length; at += 12 + view.readUInt32BE(at)) {
    chunks.push({ type: view.toString('latin1', at + 4, at + 8), at, data: at + 8, length: view.readUInt32BE(at) });
  }
  return chunks;
}

/**
 * A PNG with 16 bytes flipped in the middle of its IDAT (compressed pixel) data. By default the
 * chunk's CRC-32 no longer matches; with `fixCrc` the CRC is recomputed, so only the zlib
 * stream itself is broken (what a tool that rewrites chunks would leave behind).
 */
export async function damagedPng(options: { fixCrc?: boolean } = {}): Promise<Buffer> {
  const png = Buffer.from(await texturedPng());
  const idat = pngChunks(png).find((c) => c.type === 'IDAT')!;
  const middle = idat.data + Math.floor(idat.length / 2);
  for (let i = middle; i < middle + 16; i++) png[i] ^= 0x5a;
  if (options.fixCrc) png.writeUInt32BE(crc32(png.subarray(idat.at + 4, idat.data + idat.length)), idat.data + idat.length);
  return png;
}

// ---------------------------------------------------------------------------------------
// Zip archives: walk the central directory and patch fields in place.

interface ZipEntryOffsets {
  name: string;
  central: number;
  local: number;
}

function zipEntries(zip: Uint8Array): ZipEntryOffsets[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip');
  const entries: ZipEntryOffsets[] = [];
  let offset = view.getUint32(eocd + 16, true);
  for (let i = 0; i < view.getUint16(eocd + 10, true); i++) {
    const nameLength = view.getUint16(offset + 28, true);
    entries.push({
      name: Buffer.from(zip.subarray(offset + 46, offset + 46 + nameLength)).toString('utf8'),
      central: offset,
      local: view.getUint32(offset + 42, true),
    });
    offset += 46 + nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  return entries;
}

/** Sets the "encrypted" flag (bit 0) on every entry, in the local headers and the central directory. */
export function withEncryptedFlag(zip: Uint8Array): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (const e of zipEntries(out)) {
    view.setUint16(e.central + 8, view.getUint16(e.central + 8, true) | 1, true);
    view.setUint16(e.local + 6, view.getUint16(e.local + 6, true) | 1, true);
  }
  return out;
}

/** Rewrites every entry's declared uncompressed size (what a zip bomb lies about, either way). */
export function withDeclaredSize(zip: Uint8Array, size: (name: string, actual: number) => number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (const e of zipEntries(out)) {
    const declared = size(e.name, view.getUint32(e.central + 24, true));
    view.setUint32(e.central + 24, declared, true);
    view.setUint32(e.local + 22, declared, true);
  }
  return out;
}

/**
 * Renames one entry to a name of the same length, in its local header and the central
 * directory: the way to make an archive hold one name twice, which zip tools allow.
 */
export function withRenamedEntry(zip: Uint8Array, from: string, to: string): Uint8Array {
  if (Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error('same-length names only');
  const out = zip.slice();
  const e = zipEntries(out).find((x) => x.name === from);
  if (!e) throw new Error(`no entry ${from}`);
  out.set(Buffer.from(to), e.central + 46);
  out.set(Buffer.from(to), e.local + 30);
  return out;
}

/** Flips bytes in the middle of the first file entry's data: the table of contents stays intact. */
export function withCorruptData(zip: Uint8Array): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const e = zipEntries(out).find((x) => !x.name.endsWith('/'))!;
  const start = e.local + 30 + view.getUint16(e.local + 26, true) + view.getUint16(e.local + 28, true);
  const length = view.getUint32(e.central + 20, true);
  for (let i = start + Math.floor(length / 3); i < start + Math.floor(length / 3) + 8; i++) out[i] ^= 0xa5;
  return out;
}

// ---------------------------------------------------------------------------------------
// A full disk, without privileges: a preload module (node --import) that makes every write
// below a folder fail with ENOSPC, as the kernel would. It patches node:fs itself (not our
// code), so the error travels the same path a real full disk's would.

export function enospcPreload(): string {
  const file = join(tempDir(), 'enospc.mjs');
  writeFileSync(
    file,
    `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const under = process.env.CCI_TEST_FULL_DISK;
const full = (path) => under && String(path).startsWith(under);
const enospc = (path) => Object.assign(new Error(\`ENOSPC: no space left on device, write '\${path}'\`), { code: 'ENOSPC', errno: -28, syscall: 'write', path: String(path) });
for (const name of ['writeFile', 'appendFile']) {
  const original = fs.promises[name];
  fs.promises[name] = (path, ...rest) => (full(path) ? Promise.reject(enospc(path)) : original(path, ...rest));
  const originalSync = fs[name + 'Sync'];
  fs[name + 'Sync'] = (path, ...rest) => { if (full(path)) throw enospc(path); return originalSync(path, ...rest); };
}
syncBuiltinESMExports();
`,
  );
  return file;
}

// ---------------------------------------------------------------------------------------
// The CLI as a child process, with its stderr watched line by line.

export const CLI_ENTRY = join(import.meta.dirname, '..', '..', 'src', 'cli', 'index.ts');

export interface CliRun {
  child: ChildProcess;
  /** Resolves with the first stderr line matching, or rejects if the process ends first. */
  waitForLine(pattern: RegExp): Promise<string>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
}

export function startCli(args: string[], options: { preload?: string[]; env?: Record<string, string> } = {}): CliRun {
  const child = spawn(process.execPath, [...(options.preload ?? []).flatMap((p) => ['--import', p]), '--import', 'tsx', CLI_ENTRY, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0))
        w.reject(new Error(`the CLI ended (code ${code}, signal ${signal}) before printing a line matching ${w.pattern}:\n${err}`));
      resolve({ code, signal, out, err });
    });
  });
  return {
    child,
    done,
    waitForLine: (pattern) => new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject })),
  };
}

/** The smallest training run that still goes through every stage. */
export const TINY_TRAIN = ['--backbones', 'mobilenet_v2@48', '--trials', '1', '--epochs', '3', '--budget', '20', '--workers', '1'];
