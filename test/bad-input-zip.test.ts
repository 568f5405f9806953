/**
 * Bad input, archives: encrypted, damaged, lying and oversized .zip datasets. Zip bombs are
 * crafted by declaring sizes (nothing large is written) or by injecting small caps; the
 * zip-slip and "not a zip" cases live in test/dataset.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Zip, ZipPassThrough, zipSync, type Zippable } from 'fflate';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { extractZipDataset, ZIP_LIMITS, type ZipLimits } from '../src/core/dataset/zip.js';
import { InputError } from '../src/core/errors.js';
import { DEFAULT_SPLIT } from '../src/core/options.js';
import { silentLogger } from '../src/core/ports.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';
import { startCli, withCorruptData, withDeclaredSize, withEncryptedFlag, withRenamedEntry } from './helpers/fixtures.js';

function sampleEntries(perLabel = 4): Record<string, Uint8Array> {
  const root = sampleSubset(perLabel, ['bag', 'trouser']);
  const entries: Record<string, Uint8Array> = {};
  for (const label of ['bag', 'trouser']) for (const f of readdirSync(join(root, label))) entries[`dataset/${label}/${f}`] = readFileSync(join(root, label, f));
  return entries;
}

function zipFile(bytes: Uint8Array, name = 'data.zip'): string {
  const file = join(tempDir(), name);
  writeFileSync(file, bytes);
  return file;
}

const prepare = (datasetPath: string, zipLimits?: ZipLimits, workDir = tempDir()) =>
  prepareDataset({ datasetPath, split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e8, workDir, zipLimits }, silentLogger);

/** Asserts an InputError whose message matches, and that nothing was extracted. */
async function refused(work: Promise<unknown>, message: RegExp, workDir?: string) {
  await assert.rejects(work, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
  if (workDir) assert.deepEqual(pngFilesUnder(workDir), [], 'nothing extracted');
}

function pngFilesUnder(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.png'))
    : [];
}

test('an encrypted entry (flag bit 0) is refused, naming the entry', async () => {
  const file = zipFile(withEncryptedFlag(zipSync(sampleEntries(3))));
  await refused(
    prepare(file),
    /data\.zip is encrypted \("dataset\/bag\/train-\d+\.png"\)\. Password-protected archives are not supported; re-create it without a password\.$/,
  );
});

test('damaged archives: flipped bytes, a cut-off file, a bad local header', async () => {
  const entries = sampleEntries(3);
  const stored = zipSync(entries, { level: 0 });
  await refused(
    prepare(zipFile(withCorruptData(stored))),
    /data\.zip is damaged: "dataset\/bag\/train-\d+\.png" fails its CRC-32 check\. Re-create the archive\.$/,
  );
  const deflated = zipSync(entries, { level: 6 });
  await refused(
    prepare(zipFile(withCorruptData(deflated))),
    /data\.zip is damaged: "dataset\/bag\/train-\d+\.png" (cannot be inflated|fails its CRC-32 check|unpacks to)/,
  );
  await refused(
    prepare(zipFile(deflated.subarray(0, Math.floor(deflated.length * 0.6)))),
    /data\.zip is not a readable \.zip archive \(no central directory; damaged or not a zip\)/,
  );
  // The table of contents intact, the data it points to gone: cut out the middle of the file.
  const eocdStart = deflated.length - 22;
  const centralSize = new DataView(deflated.buffer, deflated.byteOffset).getUint32(eocdStart + 12, true);
  const tail = deflated.subarray(deflated.length - 22 - centralSize);
  await refused(prepare(zipFile(Buffer.concat([deflated.subarray(0, 100), tail]))), /is damaged: |not a readable/);
});

test('zip bombs at the default caps: declared sizes over 8 GiB in total, or 1 GiB in one file, are refused before unpacking', async () => {
  const entries = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`dataset/${i < 5 ? 'a' : 'b'}/${i}.png`, new Uint8Array(64)]));
  const total = withDeclaredSize(zipSync(entries), () => 1_000_000_000);
  const workDir = tempDir();
  await refused(
    prepare(zipFile(total), undefined, workDir),
    /data\.zip would unpack to 8\.4 GiB, more than the limit of 8\.0 GiB \(possible zip bomb\)\. Unpack it yourself if it is legitimate\.$/,
    workDir,
  );
  const one = withDeclaredSize(zipSync({ 'dataset/a/huge.png': new Uint8Array(64) }), () => 0xfffffff0);
  await refused(
    prepare(zipFile(one)),
    /data\.zip: "dataset\/a\/huge\.png" would unpack to 4\.0 GiB, more than the limit of 1\.0 GiB for one file \(possible zip bomb\)/,
  );
  assert.deepEqual(ZIP_LIMITS, { maxEntries: 200_000, maxTotalBytes: 8 * 1024 ** 3, maxEntryBytes: 1024 ** 3 }, 'the documented defaults');
});

test('zip bombs with honest headers, caught by (injected) caps on total size and entry count', async () => {
  // 3 × 4 MiB of zeros packs into a few KiB: the classic bomb, scaled down with the caps.
  const zeros = Object.fromEntries(['a/1.png', 'a/2.png', 'b/1.png'].map((n) => [`dataset/${n}`, new Uint8Array(4 * 1024 ** 2)]));
  const packed = zipSync(zeros, { level: 9 });
  assert.ok(packed.length < 100_000);
  const workDir = tempDir();
  await refused(
    prepare(zipFile(packed), { ...ZIP_LIMITS, maxTotalBytes: 8 * 1024 ** 2 }, workDir),
    /data\.zip would unpack to 12\.0 MiB, more than the limit of 8\.0 MiB \(possible zip bomb\)/,
    workDir,
  );
  const many: Zippable = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`dataset/a/${i}.png`, new Uint8Array(1)]));
  await refused(
    prepare(zipFile(zipSync(many)), { ...ZIP_LIMITS, maxEntries: 5 }),
    /data\.zip has 8 entries, more than the limit of 5 \(possible zip bomb\)\. Split the dataset or unpack it into a folder\.$/,
  );
});

test('an archive that understates its sizes is caught while streaming, without inflating far past the declared size', async () => {
  const liar = withDeclaredSize(zipSync({ 'dataset/a/1.png': new Uint8Array(16 * 1024 ** 2) }, { level: 9 }), () => 1000);
  const before = process.memoryUsage().arrayBuffers;
  await refused(
    prepare(zipFile(liar)),
    /data\.zip is damaged: "dataset\/a\/1\.png" unpacks to more than the 1,000 bytes its table of contents declares\. Re-create the archive\.$/,
  );
  assert.ok(process.memoryUsage().arrayBuffers - before < 8 * 1024 ** 2, 'the 16 MiB were never inflated');
});

/** The same archive in ZIP64 form: a ZIP64 end record and locator, the classic end record saturated. */
function asZip64(zip: Uint8Array): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  const tail = new DataView(new ArrayBuffer(56 + 20 + 22));
  tail.setUint32(0, 0x06064b50, true);
  tail.setBigUint64(4, 44n, true);
  tail.setUint16(12, 45, true);
  tail.setUint16(14, 45, true);
  tail.setBigUint64(24, BigInt(count), true);
  tail.setBigUint64(32, BigInt(count), true);
  tail.setBigUint64(40, BigInt(cdSize), true);
  tail.setBigUint64(48, BigInt(cdOffset), true);
  tail.setUint32(56, 0x07064b50, true);
  tail.setBigUint64(64, BigInt(eocd), true);
  tail.setUint32(72, 1, true);
  tail.setUint32(76, 0x06054b50, true);
  tail.setUint16(84, 0xffff, true);
  tail.setUint16(86, 0xffff, true);
  tail.setUint32(88, 0xffffffff, true);
  tail.setUint32(92, 0xffffffff, true);
  return Buffer.concat([zip.subarray(0, eocd), new Uint8Array(tail.buffer)]);
}

test('ZIP64 archives (how zips over 4 GiB or 65,535 entries are written) are read; a broken ZIP64 record and unknown compression methods get their own message', async () => {
  const zip = zipSync(sampleEntries(3)).slice();
  const prepared = await prepare(zipFile(asZip64(zip)));
  assert.equal(prepared.summary.images, 6);
  // The classic record saying "see the ZIP64 one", and no ZIP64 record there.
  const view = new DataView(zip.buffer);
  const eocd = zip.length - 22;
  view.setUint16(eocd + 8, 0xffff, true);
  view.setUint16(eocd + 10, 0xffff, true);
  view.setUint32(eocd + 16, 0xffffffff, true);
  await refused(prepare(zipFile(zip)), /data\.zip is damaged: its (ZIP64 )?table of contents is (broken|cut short)\. Re-create the archive\.$/);

  const bzip = zipSync({ 'dataset/a/1.png': new Uint8Array(10) }).slice();
  const bview = new DataView(bzip.buffer);
  const central = bview.getUint32(bzip.length - 22 + 16, true);
  bview.setUint16(central + 10, 12, true); // method 12: bzip2
  bview.setUint16(8, 12, true);
  await refused(
    prepare(zipFile(bzip)),
    /"dataset\/a\/1\.png" uses compression method 12, which is not supported\. Re-create the archive with standard \(deflate\) compression\./,
  );
});

test('absolute entry paths are refused like ../ ones', async () => {
  await refused(
    prepare(zipFile(zipSync({ ...sampleEntries(3), '/etc/cron.d/evil.png': new Uint8Array(4) }))),
    /points outside the archive \("\/etc\/cron\.d\/evil\.png"\)/,
  );
});

test('a file and a folder of the same name, or one file twice, are refused before anything is written', async () => {
  const entries = sampleEntries(3);
  const first = Object.keys(entries)[0];
  const workDir = tempDir();
  await refused(
    prepare(zipFile(zipSync({ ...entries, [`${first}/hidden.png`]: entries[first] })), undefined, workDir),
    new RegExp(`data\\.zip has both a file and a folder named "${first.replace(/\./g, '\\.')}"\\. Rename one of them and re-create the archive\\.$`),
    workDir,
  );
  // The folder first, as an entry of its own, then a file of that name.
  await refused(
    prepare(zipFile(zipSync({ 'dataset/a/x/': new Uint8Array(0), 'dataset/a/x': new Uint8Array(4) }))),
    /has both a file and a folder named "dataset\/a\/x"/,
  );
  // The folder implied by a path below it, the file after it.
  await refused(
    prepare(zipFile(zipSync({ 'dataset/a/x/1.png': new Uint8Array(4), 'dataset/a/x': new Uint8Array(4) }))),
    /has both a file and a folder named "dataset\/a\/x"/,
  );
  // Twice the same name: zip tools allow it, and extracting would keep the last copy silently.
  const twice = withRenamedEntry(
    zipSync({ 'dataset/a/1.png': new Uint8Array([1]), 'dataset/a/2.png': new Uint8Array([2]) }),
    'dataset/a/2.png',
    'dataset/a/1.png',
  );
  await refused(prepare(zipFile(twice)), /data\.zip holds "dataset\/a\/1\.png" twice\. Remove one of the copies and re-create the archive\.$/);
  // Spelled differently, the same path once normalised.
  const dotted = withRenamedEntry(
    zipSync({ 'dataset/a/1.png': new Uint8Array([1]), 'dataset/a/2.pngxx': new Uint8Array([2]) }),
    'dataset/a/2.pngxx',
    'dataset/a/./1.png',
  );
  await refused(prepare(zipFile(dotted)), /holds "dataset\/a\/1\.png" twice/);
});

test('names that differ only in case (one path on macOS and Windows) are refused before anything is written', async () => {
  const entries = sampleEntries(3);
  const [first] = Object.keys(entries);
  const upper = first.replace('dataset/bag/', 'dataset/BAG/');
  const workDir = tempDir();
  await refused(
    prepare(zipFile(zipSync({ ...entries, [upper]: entries[first] })), undefined, workDir),
    /data\.zip holds "dataset\/BAG" and "dataset\/bag", names that differ only in case; they would overwrite each other on macOS and Windows\. Rename one and re-create the archive\.$/,
    workDir,
  );
  await refused(
    prepare(zipFile(zipSync({ 'dataset/a/x.png': new Uint8Array(4), 'dataset/a/X.png': new Uint8Array(4) }))),
    /holds "dataset\/a\/X\.png" and "dataset\/a\/x\.png", names that differ only in case/,
  );
});

test('a large archive is streamed: memory stays far below its size while it is hashed and extracted', async () => {
  // 96 entries of 1 MiB of incompressible bytes, stored: a 96 MiB archive, written in pieces.
  const file = join(tempDir(), 'large.zip');
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  const entry = new Uint8Array(1024 ** 2);
  for (let i = 0; i < 96; i++) {
    for (let j = 0; j < entry.length; j += 4) new DataView(entry.buffer).setUint32(j, Math.imul(i * 1_000_003 + j, 2_654_435_761) >>> 0);
    const stored = new ZipPassThrough(`dataset/${i % 2 ? 'a' : 'b'}/${i}.bin`);
    zip.add(stored);
    stored.push(entry, true);
    appendFileSync(file, Buffer.concat(chunks.splice(0)));
  }
  zip.end();
  appendFileSync(file, Buffer.concat(chunks.splice(0)));
  assert.ok(statSync(file).size > 96 * 1024 ** 2);
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 2);
  try {
    const root = await extractZipDataset(file, tempDir());
    assert.equal(readdirSync(join(root, 'a')).length, 48);
  } finally {
    clearInterval(sampler);
  }
  assert.ok(peak - before < 32 * 1024 ** 2, `peak ${((peak - before) / 1024 ** 2).toFixed(1)} MiB above the start for a 96 MiB archive`);
});

test('an entry name too long for the file system is refused by name, not with a stack trace', async () => {
  const long = `dataset/a/${'x'.repeat(300)}.png`;
  await refused(
    prepare(zipFile(zipSync({ ...sampleEntries(3), [long]: new Uint8Array(4) }))),
    new RegExp(`data\\.zip: "${long.replace(/\./g, '\\.')}" has a name too long for this file system\\. Shorten it and re-create the archive\\.$`),
  );
});

test('two runs extracting the same archive at once both get a whole copy, and leave no temp folders', async () => {
  const file = zipFile(zipSync(sampleEntries(4)));
  const workDir = tempDir();
  const roots = await Promise.all([extractZipDataset(file, workDir), extractZipDataset(file, workDir), extractZipDataset(file, workDir)]);
  assert.equal(new Set(roots).size, 1);
  const prepared = await prepare(file, undefined, workDir);
  assert.equal(prepared.summary.images, 8);
  assert.deepEqual(
    readdirSync(join(workDir, 'datasets')).filter((d) => d.endsWith('.tmp')),
    [],
  );
});

test('classifier-ci train on a zip bomb exits 2 with one line, before writing anything', async () => {
  const entries = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`dataset/${i < 5 ? 'a' : 'b'}/${i}.png`, new Uint8Array(64)]));
  const bomb = zipFile(
    withDeclaredSize(zipSync(entries), () => 1_000_000_000),
    'bomb.zip',
  );
  const cache = join(tempDir(), 'cache');
  const { code, err } = await startCli(['train', bomb, '--out', join(tempDir(), 'out'), '--cache-dir', cache]).done;
  assert.equal(code, 2, err);
  assert.match(
    err,
    /^error: .*bomb\.zip would unpack to 8\.4 GiB, more than the limit of 8\.0 GiB \(possible zip bomb\)\. Unpack it yourself if it is legitimate\.$/m,
  );
  assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
  assert.deepEqual(pngFilesUnder(cache), []);
});
