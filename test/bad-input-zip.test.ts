/**
 * Bad input, archives: encrypted, damaged, lying and oversized .zip datasets. Zip bombs are
 * crafted by declaring sizes (nothing large is written) or by injecting small caps; the
 * zip-slip and "not a zip" cases live in test/dataset.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
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
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.png')) : [];
}

test('an encrypted entry (flag bit 0) is refused, naming the entry', async () => {
  const file = zipFile(withEncryptedFlag(zipSync(sampleEntries(3))));
  await refused(prepare(file), /data\.zip is encrypted \("dataset\/bag\/train-\d+\.png"\)\. Password-protected archives are not supported; re-create it without a password\.$/);
});

test('damaged archives: flipped bytes, a cut-off file, a bad local header', async () => {
  const entries = sampleEntries(3);
  const stored = zipSync(entries, { level: 0 });
  await refused(prepare(zipFile(withCorruptData(stored))), /data\.zip is damaged: "dataset\/bag\/train-\d+\.png" fails its CRC-32 check\. Re-create the archive\.$/);
  const deflated = zipSync(entries, { level: 6 });
  await refused(prepare(zipFile(withCorruptData(deflated))), /data\.zip is damaged: "dataset\/bag\/train-\d+\.png" (cannot be inflated|fails its CRC-32 check|unpacks to)/);
  await refused(prepare(zipFile(deflated.subarray(0, Math.floor(deflated.length * 0.6)))), /data\.zip is not a readable \.zip archive \(no central directory; damaged or not a zip\)/);
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
  await refused(prepare(zipFile(total), undefined, workDir), /data\.zip would unpack to 8\.4 GiB, more than the limit of 8\.0 GiB \(possible zip bomb\)\. Unpack it yourself if it is legitimate\.$/, workDir);
  const one = withDeclaredSize(zipSync({ 'dataset/a/huge.png': new Uint8Array(64) }), () => 0xfffffff0);
  await refused(prepare(zipFile(one)), /data\.zip: "dataset\/a\/huge\.png" would unpack to 4\.0 GiB, more than the limit of 1\.0 GiB for one file \(possible zip bomb\)/);
  assert.deepEqual(ZIP_LIMITS, { maxEntries: 200_000, maxTotalBytes: 8 * 1024 ** 3, maxEntryBytes: 1024 ** 3 }, 'the documented defaults');
});

test('zip bombs with honest headers, caught by (injected) caps on total size and entry count', async () => {
  // 3 × 4 MiB of zeros packs into a few KiB: the classic bomb, scaled down with the caps.
  const zeros = Object.fromEntries(['a/1.png', 'a/2.png', 'b/1.png'].map((n) => [`dataset/${n}`, new Uint8Array(4 * 1024 ** 2)]));
  const packed = zipSync(zeros, { level: 9 });
  assert.ok(packed.length < 100_000);
  const workDir = tempDir();
  await refused(prepare(zipFile(packed), { ...ZIP_LIMITS, maxTotalBytes: 8 * 1024 ** 2 }, workDir), /data\.zip would unpack to 12\.0 MiB, more than the limit of 8\.0 MiB \(possible zip bomb\)/, workDir);
  const many: Zippable = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`dataset/a/${i}.png`, new Uint8Array(1)]));
  await refused(prepare(zipFile(zipSync(many)), { ...ZIP_LIMITS, maxEntries: 5 }), /data\.zip has 8 entries, more than the limit of 5 \(possible zip bomb\)\. Split the dataset or unpack it into a folder\.$/);
});

test('an archive that understates its sizes is caught by its checksum, without inflating past the declared size', async () => {
  const liar = withDeclaredSize(zipSync({ 'dataset/a/1.png': new Uint8Array(16 * 1024 ** 2) }, { level: 9 }), () => 1000);
  const before = process.memoryUsage().arrayBuffers;
  await refused(prepare(zipFile(liar)), /is damaged: "dataset\/a\/1\.png" fails its CRC-32 check/);
  assert.ok(process.memoryUsage().arrayBuffers - before < 8 * 1024 ** 2, 'the 16 MiB were never inflated');
});

test('ZIP64 archives and unknown compression methods get their own message', async () => {
  const zip = zipSync(sampleEntries(3)).slice();
  const view = new DataView(zip.buffer);
  const eocd = zip.length - 22;
  view.setUint16(eocd + 8, 0xffff, true);
  view.setUint16(eocd + 10, 0xffff, true);
  await refused(prepare(zipFile(zip)), /data\.zip is a ZIP64 archive \(over 65,535 entries or 4 GiB\), which is not supported\. Split it into smaller archives or unpack it into a folder\./);

  const bzip = zipSync({ 'dataset/a/1.png': new Uint8Array(10) }).slice();
  const bview = new DataView(bzip.buffer);
  const central = bview.getUint32(bzip.length - 22 + 16, true);
  bview.setUint16(central + 10, 12, true); // method 12: bzip2
  bview.setUint16(8, 12, true);
  await refused(prepare(zipFile(bzip)), /"dataset\/a\/1\.png" uses compression method 12, which is not supported\. Re-create the archive with standard \(deflate\) compression\./);
});

test('absolute entry paths are refused like ../ ones', async () => {
  await refused(prepare(zipFile(zipSync({ ...sampleEntries(3), '/etc/cron.d/evil.png': new Uint8Array(4) }))), /points outside the archive \("\/etc\/cron\.d\/evil\.png"\)/);
});

test('a file and a folder of the same name, or one file twice, are refused before anything is written', async () => {
  const entries = sampleEntries(3);
  const first = Object.keys(entries)[0]!;
  const workDir = tempDir();
  await refused(
    prepare(zipFile(zipSync({ ...entries, [`${first}/hidden.png`]: entries[first]! })), undefined, workDir),
    new RegExp(`data\\.zip has both a file and a folder named "${first.replace(/\./g, '\\.')}"\\. Rename one of them and re-create the archive\\.$`),
    workDir,
  );
  // The folder first, as an entry of its own, then a file of that name.
  await refused(prepare(zipFile(zipSync({ 'dataset/a/x/': new Uint8Array(0), 'dataset/a/x': new Uint8Array(4) }))), /has both a file and a folder named "dataset\/a\/x"/);
  // The folder implied by a path below it, the file after it.
  await refused(prepare(zipFile(zipSync({ 'dataset/a/x/1.png': new Uint8Array(4), 'dataset/a/x': new Uint8Array(4) }))), /has both a file and a folder named "dataset\/a\/x"/);
  // Twice the same name: zip tools allow it, and extracting would keep the last copy silently.
  const twice = withRenamedEntry(zipSync({ 'dataset/a/1.png': new Uint8Array([1]), 'dataset/a/2.png': new Uint8Array([2]) }), 'dataset/a/2.png', 'dataset/a/1.png');
  await refused(prepare(zipFile(twice)), /data\.zip holds "dataset\/a\/1\.png" twice\. Remove one of the copies and re-create the archive\.$/);
  // Spelled differently, the same path once normalised.
  const dotted = withRenamedEntry(zipSync({ 'dataset/a/1.png': new Uint8Array([1]), 'dataset/a/2.pngxx': new Uint8Array([2]) }), 'dataset/a/2.pngxx', 'dataset/a/./1.png');
  await refused(prepare(zipFile(dotted)), /holds "dataset\/a\/1\.png" twice/);
});

test('an entry name too long for the file system is refused by name, not with a stack trace', async () => {
  const long = `dataset/a/${'x'.repeat(300)}.png`;
  await refused(prepare(zipFile(zipSync({ ...sampleEntries(3), [long]: new Uint8Array(4) }))), new RegExp(`data\\.zip: "${long.replace(/\./g, '\\.')}" has a name too long for this file system\\. Shorten it and re-create the archive\\.$`));
});

test('two runs extracting the same archive at once both get a whole copy, and leave no temp folders', async () => {
  const file = zipFile(zipSync(sampleEntries(4)));
  const workDir = tempDir();
  const roots = await Promise.all([extractZipDataset(file, workDir), extractZipDataset(file, workDir), extractZipDataset(file, workDir)]);
  assert.equal(new Set(roots).size, 1);
  const prepared = await prepare(file, undefined, workDir);
  assert.equal(prepared.summary.images, 8);
  assert.deepEqual(readdirSync(join(workDir, 'datasets')).filter((d) => d.endsWith('.tmp')), []);
});

test('classifier-ci train on a zip bomb exits 2 with one line, before writing anything', async () => {
  const entries = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`dataset/${i < 5 ? 'a' : 'b'}/${i}.png`, new Uint8Array(64)]));
  const bomb = zipFile(withDeclaredSize(zipSync(entries), () => 1_000_000_000), 'bomb.zip');
  const cache = join(tempDir(), 'cache');
  const { code, err } = await startCli(['train', bomb, '--out', join(tempDir(), 'out'), '--cache-dir', cache]).done;
  assert.equal(code, 2, err);
  assert.match(err, /^error: .*bomb\.zip would unpack to 8\.4 GiB, more than the limit of 8\.0 GiB \(possible zip bomb\)\. Unpack it yourself if it is legitimate\.$/m);
  assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
  assert.deepEqual(pngFilesUnder(cache), []);
});
