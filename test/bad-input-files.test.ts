/**
 * Bad input, images and folders: each case of issue 6 that test/dataset.test.ts does not
 * already cover, in-process, and one CLI run over a dataset holding every skippable file.
 * The messages asserted here are the ones docs/bad-input.md quotes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { DecodeError, decodeToRgb } from '../src/core/dataset/decode.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { SCAN_LIMITS, scanDataset } from '../src/core/dataset/scan.js';
import { InputError } from '../src/core/errors.js';
import { DEFAULTS, DEFAULT_SPLIT } from '../src/core/options.js';
import { silentLogger } from '../src/core/ports.js';
import { SAMPLE, sampleSubset, tempDir } from './helpers/datasets.js';
import {
  animated,
  bmpImage,
  cmykJpeg,
  crc32,
  damagedJpeg,
  damagedPng,
  greyAlphaPng,
  greyJpeg,
  largeJpeg,
  pngChunks,
  pngDeclaring,
  samsungStyleJpeg,
  startCli,
  svgImage,
  texturedJpeg,
  TINY_TRAIN,
} from './helpers/fixtures.js';

const prepare = (datasetPath: string, maxPixels = DEFAULTS.maxPixels) =>
  prepareDataset({ datasetPath, split: DEFAULT_SPLIT, seed: 1, maxPixels, workDir: tempDir() }, silentLogger);

const decodeFailure = async (input: Uint8Array, maxPixels = DEFAULTS.maxPixels) => {
  const error = await decodeToRgb(input, 8, maxPixels).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof DecodeError, `expected a DecodeError, got ${String(error)}`);
  return error.message;
};

test('the crafted bomb is a valid PNG: its chunk CRCs check out and sharp reads its header', async () => {
  const png = pngDeclaring(60_000, 60_000);
  assert.ok(png.length < 1024, `${png.length} bytes`);
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    assert.equal(png.readUInt32BE(at + 8 + length), crc32(png.subarray(at + 4, at + 8 + length)), `chunk ${png.toString('latin1', at + 4, at + 8)}`);
    at += 12 + length;
  }
  const meta = await sharp(png, { limitInputPixels: false }).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 60_000, 60_000]);
});

test('a decompression bomb (60000×60000 declared) is refused by the default cap, before decoding', async () => {
  const message = await decodeFailure(pngDeclaring(60_000, 60_000));
  assert.equal(
    message,
    'image is larger than 100,000,000 pixels (it declares 60000×60000 = 3,600,000,000; possible decompression bomb); downscale it, or raise the pixel cap (max-pixels) if it is legitimate',
  );
  // Under the cap the same header gets as far as decoding, and its missing rows are "damaged".
  assert.match(await decodeFailure(pngDeclaring(4000, 3000)), /^damaged image \(.+\); re-export or remove it$/);
});

test('a very large legitimate photo (6000×4000 JPEG) is decoded at reduced size, with bounded memory', async () => {
  const dir = tempDir();
  const file = join(dir, 'photo.jpg');
  writeFileSync(file, await largeJpeg(6000, 4000));
  // A child process of its own, so its peak RSS measures this decode alone. Decoding all
  // 24 megapixels would take 72 MB for the pixels alone; shrink-on-load needs a few.
  const probe = join(dir, 'probe.mts');
  const decodeUrl = new URL('../src/core/dataset/decode.ts', import.meta.url).href;
  writeFileSync(
    probe,
    `import sharp from ${JSON.stringify(import.meta.resolve('sharp'))};
import { decodeToRgb } from ${JSON.stringify(decodeUrl)};
const [file, size] = process.argv.slice(2);
await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
const before = process.resourceUsage().maxRSS;
const pixels = size === 'full' ? await sharp(file).raw().toBuffer() : await decodeToRgb(file, Number(size), ${DEFAULTS.maxPixels});
console.log(JSON.stringify({ grewKiB: process.resourceUsage().maxRSS - before, bytes: pixels.length }));
`,
  );
  const measure = (size: string) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', probe, file, size], { encoding: 'utf8', cwd: join(import.meta.dirname, '..') });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout) as { grewKiB: number; bytes: number };
  };
  for (const size of ['32', '224']) {
    const { grewKiB, bytes } = measure(size);
    assert.equal(bytes, Number(size) ** 2 * 3);
    assert.ok(grewKiB < 30 * 1024, `decoding at ${size} grew the peak RSS by ${(grewKiB / 1024).toFixed(1)} MiB`);
  }
  // The control: a full-size decode does cost the 72 MB, so the bound above means something.
  assert.ok(measure('full').grewKiB > 60 * 1024);
});

test('CMYK and greyscale JPEGs, grey+alpha PNGs become RGB with the right colours', async () => {
  const red = await decodeToRgb(await cmykJpeg('#ff0000'), 2, 1e6);
  assert.ok(red[0] > 200 && red[1] < 40 && red[2] < 40, `CMYK red decoded as ${[...red.slice(0, 3)]}`);
  const blue = await decodeToRgb(await cmykJpeg('#0000ff'), 2, 1e6);
  assert.ok(blue[2] > blue[0] + 60 && blue[2] > blue[1] + 60, `CMYK blue decoded as ${[...blue.slice(0, 3)]}`);
  const grey = await decodeToRgb(await greyJpeg('#808080'), 2, 1e6);
  assert.equal(grey.length, 12);
  assert.ok(grey[0] === grey[1] && grey[1] === grey[2] && Math.abs(grey[0] - 128) < 8, `grey JPEG decoded as ${[...grey.slice(0, 3)]}`);
  assert.deepEqual([...(await decodeToRgb(await greyAlphaPng(), 2, 1e6)).slice(0, 3)], [255, 255, 255], 'transparent grey flattens onto white');
});

test('animated WebP and GIF: the first frame is used', async () => {
  for (const format of ['webp', 'gif'] as const) {
    const redThenBlue = await animated(format, ['#ff0000', '#0000ff', '#00ff00']);
    assert.equal((await sharp(redThenBlue).metadata()).pages, 3, `${format} really is animated`);
    const px = await decodeToRgb(redThenBlue, 2, 1e6);
    assert.ok(px[0] > 240 && px[2] < 20, `${format}: first pixel ${[...px.slice(0, 3)]} should be red`);
    assert.equal(px.length, 12, `${format}: one frame, not a strip of three`);
    const blueThenRed = await decodeToRgb(await animated(format, ['#0000ff', '#ff0000']), 2, 1e6);
    assert.ok(blueThenRed[2] > 240 && blueThenRed[0] < 20, `${format}: the first frame, whatever its colour`);
  }
});

test('a JPEG damaged in the middle of its entropy-coded data is skipped, not trained on half grey', async () => {
  const damaged = await damagedJpeg();
  // The control: at failOn 'error' libjpeg only warns and paints the rest grey. That is the
  // hole this closes, so the fixture really is one the old policy let through.
  await sharp(damaged, { failOn: 'error' }).raw().toBuffer();
  assert.match(await decodeFailure(damaged), /^damaged image \(VipsJpeg: Corrupt JPEG data: bad Huffman code\); re-export or remove it$/);
});

test('a PNG with damaged IDAT data is skipped, whether its chunk CRC mismatches or only the zlib stream is broken', async () => {
  const crcMismatch = await damagedPng();
  const zlibOnly = await damagedPng({ fixCrc: true });
  const idat = (png: Buffer) => pngChunks(png).find((c) => c.type === 'IDAT')!;
  const crcOk = (png: Buffer) =>
    png.readUInt32BE(idat(png).data + idat(png).length) === crc32(png.subarray(idat(png).at + 4, idat(png).data + idat(png).length));
  assert.ok(!crcOk(crcMismatch), 'the first fixture fails its CRC');
  assert.ok(crcOk(zlibOnly), 'the second passes its CRC: only the compressed data is wrong');
  for (const png of [crcMismatch, zlibOnly]) assert.match(await decodeFailure(png), /^damaged image \(.+\); re-export or remove it$/);
});

test('damaged images in a dataset are listed with their reason; a Samsung-style JPEG (odd SOS header) is still used, pixel for pixel', async () => {
  const samsung = await samsungStyleJpeg();
  // The control: sharp's strictest level refuses it, so tolerating it is a decision, not luck.
  await assert.rejects(sharp(samsung, { failOn: 'warning' }).raw().toBuffer(), /Invalid SOS parameters for sequential JPEG/);
  assert.deepEqual(await decodeToRgb(samsung, 32, DEFAULTS.maxPixels), await decodeToRgb(await texturedJpeg(), 32, DEFAULTS.maxPixels));

  const root = sampleSubset(4, ['bag', 'trouser']);
  writeFileSync(join(root, 'bag', 'damaged.jpg'), await damagedJpeg());
  writeFileSync(join(root, 'bag', 'damaged.png'), await damagedPng({ fixCrc: true }));
  writeFileSync(join(root, 'trouser', 'samsung.jpg'), samsung);
  const warnings: string[] = [];
  const prepared = await prepareDataset(
    { datasetPath: root, split: DEFAULT_SPLIT, seed: 1, maxPixels: DEFAULTS.maxPixels, workDir: tempDir() },
    { ...silentLogger, warn: (m) => warnings.push(m) },
  );
  assert.deepEqual(
    prepared.summary.skipped.map((s) => s.file),
    ['bag/damaged.jpg', 'bag/damaged.png'],
  );
  for (const s of prepared.summary.skipped) assert.ok(warnings.includes(`Skipped ${s.file}: ${s.reason}`), `logged: ${s.file}`);
  assert.ok(prepared.images.some((i) => i.file === 'trouser/samsung.jpg'));
});

test('images that fail at the same moment each get their own reason (libvips shares one error buffer)', async () => {
  const dir = tempDir();
  const files: Record<string, Buffer | string> = {
    'a.jpg': await damagedJpeg(),
    'b.png': await damagedPng(),
    'c.jpg': 'not a jpeg',
    'd.jpg': await samsungStyleJpeg(),
  };
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  for (let round = 0; round < 3; round++) {
    const outcomes = await Promise.allSettled(Object.keys(files).map((name) => decodeToRgb(join(dir, name), 16, DEFAULTS.maxPixels)));
    const [jpeg, png, text, samsung] = outcomes.map((o) => (o.status === 'rejected' ? String((o.reason as Error).message) : 'decoded'));
    assert.match(jpeg, /^damaged image \(.*bad Huffman code\)/, `round ${round}`);
    assert.match(png, /^damaged image \(vipspng: /, `round ${round}`);
    assert.match(text, /^not a readable image/, `round ${round}`);
    assert.equal(samsung, 'decoded', `round ${round}`);
  }
});

test('formats sharp could read but the dataset must not use (SVG, BMP) are refused by content, not name', async () => {
  assert.equal(
    await decodeFailure(svgImage()),
    'the contents are SVG, which is not a supported format (JPEG, PNG, WebP, GIF, AVIF, TIFF); convert it or remove it',
  );
  assert.equal(await decodeFailure(bmpImage()), 'not a readable image: the contents are not a supported format (JPEG, PNG, WebP, GIF, AVIF, TIFF)');
});

test('images at the top level with no label folder: one error saying to make label folders', async () => {
  const root = join(tempDir(), 'flat');
  mkdirSync(root);
  for (const file of readdirSync(join(SAMPLE, 'bag')).slice(0, 3)) writeFileSync(join(root, file), readFileSync(join(SAMPLE, 'bag', file)));
  writeFileSync(join(root, 'README.txt'), 'not an image');
  const warnings: string[] = [];
  const prepareLogged = prepareDataset(
    { datasetPath: root, split: DEFAULT_SPLIT, seed: 1, maxPixels: DEFAULTS.maxPixels, workDir: tempDir() },
    { ...silentLogger, warn: (m) => warnings.push(m) },
  );
  await assert.rejects(prepareLogged, (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(
      e.message,
      new RegExp(
        `^Dataset ".*flat" has 3 images at the top level \\(e\\.g\\. train-\\d+\\.png\\) but no label folders\\. Move each image into .*flat/<label>/`,
      ),
    );
    return true;
  });
  // The error alone: not a "Skipped …, outside any label folder" warning per image before it.
  assert.deepEqual(warnings, []);
});

test('deeply nested folders: an image 40 folders below its label keeps that label', async () => {
  const root = sampleSubset(4, ['bag', 'trouser']);
  const deep = join(root, 'bag', ...Array.from({ length: 40 }, (_, i) => `level-${i}`));
  mkdirSync(deep, { recursive: true });
  const file = readdirSync(join(root, 'bag')).find((f) => f.endsWith('.png'))!;
  renameSync(join(root, 'bag', file), join(deep, file));
  // A label folder that only holds (deep) folders with nothing in them is no label.
  mkdirSync(join(root, 'empty-label', 'a', 'b', 'c'), { recursive: true });
  const prepared = await prepare(root);
  const nested = prepared.images.find((i) => i.file.endsWith(`/level-39/${file}`));
  assert.ok(nested, 'the deep image is used');
  assert.equal(nested.label, 'bag');
  assert.equal(nested.file.split('/').length, 42);
  assert.deepEqual(prepared.labels, ['bag', 'trouser']);
});

test('a dataset path that is a plain file, an explicit split missing a label, a broken symlink', async () => {
  const file = join(tempDir(), 'dataset.csv');
  writeFileSync(file, 'path,label\n');
  await assert.rejects(
    prepare(file),
    (e: unknown) =>
      e instanceof InputError &&
      /^Dataset ".*dataset\.csv" is a file, not a folder\. Give a folder of <label>\/<image> files or a \.zip of one\.$/.test(e.message),
  );

  const explicit = join(tempDir(), 'explicit');
  for (const split of ['train', 'val', 'test']) {
    for (const label of split === 'test' ? ['bag'] : ['bag', 'trouser']) {
      mkdirSync(join(explicit, split, label), { recursive: true });
      for (const f of readdirSync(join(SAMPLE, label)).slice(
        split === 'train' ? 0 : split === 'val' ? 4 : 6,
        split === 'train' ? 4 : split === 'val' ? 6 : 8,
      )) {
        writeFileSync(join(explicit, split, label, f), readFileSync(join(SAMPLE, label, f)));
      }
    }
  }
  // The message names the real folder to fill, so it can be pasted into a shell.
  await assert.rejects(
    prepare(explicit),
    (e: unknown) =>
      e instanceof InputError &&
      e.message ===
        `Label "trouser" has no images in ${explicit}/test/trouser/. With an explicit train/ val/ test/ layout, every label needs images in all three.`,
  );

  const root = sampleSubset(4, ['bag', 'trouser']);
  symlinkSync(join(root, 'bag', 'gone.png'), join(root, 'bag', 'dangling.png'));
  const prepared = await prepare(root);
  assert.deepEqual(prepared.summary.skipped, [{ file: 'bag/dangling.png', reason: 'broken symbolic link' }]);
});

/** A named pipe: opening one for reading would wait for a writer forever. */
function mkfifo(path: string): void {
  const run = spawnSync('mkfifo', [path], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
}

test('named pipes and sockets, and links to them, are listed as skipped, without reading them (no hang)', { timeout: 20_000 }, async () => {
  const root = sampleSubset(4, ['bag', 'trouser']);
  mkfifo(join(root, 'bag', 'pipe.png'));
  symlinkSync('pipe.png', join(root, 'bag', 'link-to-pipe.jpg'));
  mkfifo(join(root, 'stray-pipe'));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(root, 'trouser', 'socket.png'), resolve));
  try {
    const prepared = await prepare(root);
    const reasons = Object.fromEntries(prepared.summary.skipped.map((s) => [s.file, s.reason]));
    assert.deepEqual(reasons, {
      'bag/pipe.png': 'a named pipe (FIFO), not a regular file; remove it from the dataset folder',
      'bag/link-to-pipe.jpg': 'symbolic link to a named pipe (FIFO), not a regular file; remove it from the dataset folder',
      'stray-pipe': 'a named pipe (FIFO), not a regular file; remove it from the dataset folder',
      'trouser/socket.png': 'a socket, not a regular file; remove it from the dataset folder',
    });
    assert.equal(prepared.summary.images, 8);
  } finally {
    server.close();
  }
});

test('a file with an image name over the size cap (default 1 GiB) is skipped from its size alone; smaller ones are hashed in chunks', async () => {
  assert.equal(SCAN_LIMITS.maxFileBytes, 1024 ** 3, 'the documented default');
  const root = sampleSubset(4, ['bag', 'trouser']);
  // Sparse: 1.5 GiB on paper, a few bytes on disk.
  const huge = join(root, 'bag', 'huge.png');
  writeFileSync(huge, pngDeclaring(16, 16));
  truncateSync(huge, 1.5 * 1024 ** 3);
  const scan = await scanDataset(root);
  assert.deepEqual(scan.skipped, [
    { file: 'bag/huge.png', reason: 'file is 1.5 GiB, more than the limit of 1.0 GiB for one image; downscale or re-compress it, or remove it' },
  ]);

  // Under an injected cap, a 3 MiB file (three hashing chunks) is refused; under a larger one
  // it is hashed, to the same digest as hashing it whole.
  const big = join(root, 'trouser', 'big.png');
  const bytes = Buffer.concat([
    readFileSync(
      join(
        root,
        'bag',
        readdirSync(join(root, 'bag')).find((f) => f.startsWith('train-'))!,
      ),
    ),
    Buffer.alloc(3 * 1024 ** 2, 7),
  ]);
  writeFileSync(big, bytes);
  const capped = await scanDataset(root, { maxFileBytes: 2 * 1024 ** 2 });
  assert.match(capped.skipped.find((s) => s.file === 'trouser/big.png')!.reason, /^file is 3\.0 MiB, more than the limit of 2\.0 MiB for one image; /);
  const record = (await scanDataset(root, { maxFileBytes: 4 * 1024 ** 2 })).records.find((r) => r.file === 'trouser/big.png')!;
  assert.equal(record.bytes, bytes.length);
  assert.equal(record.sha256, createHash('sha256').update(bytes).digest('hex'));
});

/**
 * The probe for the permission test: prepares the dataset in a process of its own, reporting
 * who it runs as and what the kernel says when it opens the locked file directly.
 */
const PERMISSION_PROBE = `import { open } from 'node:fs/promises';
import { prepareDataset } from ${JSON.stringify(new URL('../src/core/dataset/prepare.ts', import.meta.url).href)};
const [root, locked, lockedRoot, workDir] = process.argv.slice(2);
const direct = await open(locked).then((h) => (h.close(), 'opened'), (e) => e.code);
const prepare = (datasetPath) => prepareDataset({ datasetPath, split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1, maxPixels: 1e8, workDir }, { info() {}, warn() {}, stage: () => () => {}, progress() {} });
const prepared = await prepare(root);
const rootError = await prepare(lockedRoot).then(() => null, (e) => ({ name: e.name, message: e.message }));
console.log(JSON.stringify({ uid: process.getuid(), direct, skipped: prepared.summary.skipped, images: prepared.summary.images, rootError }));
`;

interface PermissionOutcome {
  uid: number;
  /** What opening the locked file directly gave: 'EACCES' if the kernel enforces the mode. */
  direct: string;
  skipped: { file: string; reason: string }[];
  images: number;
  /** Preparing a dataset folder that cannot be listed at all. */
  rootError: { name: string; message: string } | null;
}

/**
 * Prepares the dataset as a user the mode bits apply to. Root reads everything whatever they
 * say, so as root the probe runs in a child process as "nobody": the permission checks are
 * then the kernel's own, not a fault injected into our code.
 */
async function prepareUnprivileged(root: string, locked: string, lockedRoot: string): Promise<PermissionOutcome> {
  if (process.getuid?.() !== 0) {
    const { open } = await import('node:fs/promises');
    const direct = await open(locked).then(
      (h) => (h.close(), 'opened'),
      (e: NodeJS.ErrnoException) => e.code!,
    );
    const prepared = await prepare(root);
    const rootError = await prepare(lockedRoot).then(
      () => null,
      (e: Error) => ({ name: e.name, message: e.message }),
    );
    return { uid: process.getuid?.() ?? -1, direct, skipped: prepared.summary.skipped, images: prepared.summary.images, rootError };
  }
  const dir = tempDir();
  const probe = join(dir, 'probe.mts');
  writeFileSync(probe, PERMISSION_PROBE);
  for (const path of [dir, dirname(root)]) chmodSync(path, 0o755);
  const run = spawnSync(process.execPath, ['--import', 'tsx', probe, root, locked, lockedRoot, join(dir, 'work')], {
    encoding: 'utf8',
    cwd: join(import.meta.dirname, '..'),
    uid: 65534,
    gid: 65534,
    env: { ...process.env, HOME: dir },
  });
  assert.equal(run.status, 0, run.stderr);
  const outcome = JSON.parse(run.stdout) as PermissionOutcome;
  assert.equal(outcome.uid, 65534);
  return outcome;
}

test('unreadable files and folders (real EACCES from the kernel) are listed with what to do', async () => {
  const root = sampleSubset(5, ['bag', 'trouser']);
  const sample = readFileSync(join(root, 'bag', readdirSync(join(root, 'bag'))[0]));
  const locked = join(root, 'bag', 'locked.png');
  writeFileSync(locked, sample);
  const lockedFolder = join(root, 'bag', 'locked-folder');
  mkdirSync(lockedFolder);
  writeFileSync(join(lockedFolder, 'inside.png'), sample);
  // Listable but not searchable: the folder's names can be read, the files in it cannot be opened.
  const noSearch = join(root, 'trouser', 'no-search');
  mkdirSync(noSearch);
  writeFileSync(join(noSearch, 'inside.png'), sample);
  mkdirSync(join(root, 'locked-label'));
  writeFileSync(join(root, 'locked-label', 'x.png'), sample);
  const lockedRoot = sampleSubset(3, ['bag', 'trouser']);
  const modes: [string, number][] = [
    [locked, 0o000],
    [lockedFolder, 0o000],
    [noSearch, 0o644],
    [join(root, 'locked-label'), 0o000],
    [lockedRoot, 0o000],
  ];
  for (const [path, mode] of modes) chmodSync(path, mode);

  let outcome: PermissionOutcome;
  try {
    outcome = await prepareUnprivileged(root, locked, lockedRoot);
  } finally {
    // Restored before the temp folder is removed, which for anyone but root needs them.
    for (const [path] of modes) chmodSync(path, 0o755);
  }
  assert.equal(outcome.direct, 'EACCES', 'the kernel really refuses to open the locked file');
  const permission = 'cannot be read (permission denied); give the user running classifier-ci read access, or remove it';
  assert.deepEqual(outcome.skipped, [
    { file: 'bag/locked-folder/', reason: `folder ${permission}` },
    { file: 'bag/locked.png', reason: permission },
    { file: 'locked-label/', reason: `folder ${permission}` },
    { file: 'trouser/no-search/inside.png', reason: permission },
  ]);
  assert.equal(outcome.images, 10);
  assert.deepEqual(outcome.rootError, {
    name: 'InputError',
    message: `Dataset "${lockedRoot}" cannot be read (permission denied). Give the user running classifier-ci read access to it.`,
  });
});

test('classifier-ci train on a dataset full of broken files: exit 0, every skip listed in result.json and the report', async () => {
  const root = sampleSubset(6, ['bag', 'trouser']);
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
  const broken: Record<string, Buffer | string> = {
    'bag/zero-bytes.png': '',
    'bag/truncated.jpg': jpeg.subarray(0, jpeg.length / 2),
    'bag/text-named.jpg': 'this is not a jpeg',
    'bag/bomb.png': pngDeclaring(60_000, 60_000),
    'bag/vector.png': svgImage(),
    'bag/bitmap.png': bmpImage(),
    'bag/notes.txt': 'hello',
    'bag/Thumbs.db': 'x',
    'bag/.gitkeep': '',
    '.DS_Store': 'x',
    'stray.png': readFileSync(join(root, 'bag', readdirSync(join(root, 'bag'))[0])),
  };
  for (const [file, data] of Object.entries(broken)) writeFileSync(join(root, file), data);
  // Not written as bytes: a named pipe, a damaged JPEG, and a sparse 1.5 GiB "image".
  mkfifo(join(root, 'bag', 'pipe.png'));
  writeFileSync(join(root, 'bag', 'damaged.jpg'), await damagedJpeg());
  writeFileSync(join(root, 'bag', 'huge.png'), pngDeclaring(16, 16));
  truncateSync(join(root, 'bag', 'huge.png'), 1.5 * 1024 ** 3);
  const special = ['bag/pipe.png', 'bag/damaged.jpg', 'bag/huge.png'];
  // Usable oddities: they must be trained on, not skipped.
  writeFileSync(join(root, 'trouser', 'cmyk.jpg'), await cmykJpeg('#224466'));
  writeFileSync(join(root, 'trouser', 'moving.webp'), await animated('webp', ['#aa8844', '#112233']));

  const out = join(tempDir(), 'run');
  const run = startCli(['train', root, '--out', out, '--cache-dir', join(tempDir(), 'cache'), ...TINY_TRAIN]);
  const { code, err } = await run.done;
  assert.equal(code, 0, err);
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
  const reasons: Record<string, string> = Object.fromEntries(result.dataset.skipped.map((s: { file: string; reason: string }) => [s.file, s.reason]));
  assert.deepEqual(Object.keys(reasons).sort(), [...Object.keys(broken), ...special].sort());
  assert.match(reasons['bag/zero-bytes.png'], /^empty file \(0 bytes\)$/);
  assert.match(reasons['bag/truncated.jpg'], /^damaged image/);
  assert.match(reasons['bag/text-named.jpg'], /^not a readable image/);
  assert.match(reasons['bag/bomb.png'], /^image is larger than 100,000,000 pixels \(it declares 60000×60000/);
  assert.match(reasons['bag/vector.png'], /^the contents are SVG/);
  assert.match(reasons['bag/bitmap.png'], /^not a readable image/);
  assert.match(reasons['bag/notes.txt'], /^not an image file \(\.txt\)/);
  assert.equal(reasons['stray.png'], `file at the top level, outside any label folder: move it into ${root}/<label>/`, 'names the dataset path as given');
  assert.match(reasons['bag/pipe.png'], /^a named pipe \(FIFO\), not a regular file/);
  assert.match(reasons['bag/damaged.jpg'], /^damaged image \(.*bad Huffman code\)/);
  assert.match(reasons['bag/huge.png'], /^file is 1\.5 GiB, more than the limit of 1\.0 GiB for one image/);
  assert.equal(result.dataset.images, 14, '6 + 6 sample images, the CMYK JPEG and the animated WebP');
  for (const file of [...Object.keys(broken), ...special])
    assert.match(err, new RegExp(`warning: Skipped ${file.replace(/\./g, '\\.')}: `), `the log names ${file}`);
  const report = readFileSync(join(out, 'report.md'), 'utf8');
  for (const file of ['zero-bytes.png', 'truncated.jpg', 'bomb.png', 'vector.png', 'stray.png']) assert.ok(report.includes(file), `report.md lists ${file}`);
});
