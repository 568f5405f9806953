import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import { zipSync } from 'fflate';
import { prepareDataset, SKIP_LOG_LIMIT } from '../src/core/dataset/prepare.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { safeEntryPath } from '../src/core/dataset/zip.js';
import { InputError } from '../src/core/errors.js';
import { DEFAULT_SPLIT } from '../src/core/options.js';
import { silentLogger, type Logger } from '../src/core/ports.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';

const prepare = (datasetPath: string, maxPixels = 1e8, log: Logger = silentLogger) =>
  prepareDataset({ datasetPath, split: DEFAULT_SPLIT, seed: 1, maxPixels, workDir: tempDir() }, log);

/** A logger that keeps its warnings, with the file each is about. */
function warningLog() {
  const warnings: { message: string; file?: string }[] = [];
  return { log: { ...silentLogger, warn: (message: string, where?: { file?: string }) => warnings.push({ message, file: where?.file }) } as Logger, warnings };
}

test('junk is skipped and listed with a reason; good images are used', async () => {
  const root = sampleSubset(6, ['bag', 'trouser']);
  writeFileSync(join(root, '.DS_Store'), 'x');
  writeFileSync(join(root, 'bag', 'Thumbs.db'), 'x');
  writeFileSync(join(root, 'bag', '.gitkeep'), '');
  writeFileSync(join(root, 'bag', 'notes.txt'), 'hello');
  writeFileSync(
    join(root, 'stray.png'),
    readFileSync(
      join(
        root,
        'bag',
        (await import('node:fs')).readdirSync(join(root, 'bag')).find((f) => f.endsWith('.png'))!,
      ),
    ),
  );
  writeFileSync(join(root, 'trouser', 'empty.png'), '');
  writeFileSync(join(root, 'trouser', 'text.jpg'), 'this is not a jpeg');
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
  writeFileSync(join(root, 'trouser', 'truncated.jpg'), jpeg.subarray(0, jpeg.length / 2));
  const prepared = await prepare(root);
  const reasons = Object.fromEntries(prepared.summary.skipped.map((s) => [s.file, s.reason]));
  assert.match(reasons['.DS_Store'], /hidden/);
  assert.match(reasons['bag/Thumbs.db'], /system/);
  assert.match(reasons['bag/notes.txt'], /not an image/);
  assert.match(reasons['stray.png'], /outside any label folder/);
  // The real dataset folder, not a generic "dataset/".
  assert.ok(reasons['stray.png'].endsWith(`move it into ${root}/<label>/`), reasons['stray.png']);
  assert.match(reasons['trouser/empty.png'], /empty file/);
  assert.match(reasons['trouser/text.jpg'], /not a readable image|could not be decoded/);
  assert.match(reasons['trouser/truncated.jpg'], /damaged|could not be decoded/);
  assert.equal(prepared.summary.images, 12);
  assert.deepEqual(prepared.labels, ['bag', 'trouser']);
});

test('check: only the chosen images are decoded; the others are listed unchecked, without a thumbnail (an embed job checks its shard)', async () => {
  const root = sampleSubset(6, ['bag', 'trouser']);
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
  const damaged = jpeg.subarray(0, jpeg.length / 2);
  writeFileSync(join(root, 'trouser', 'truncated.jpg'), damaged);
  const damagedSha = createHash('sha256').update(damaged).digest('hex');
  const all = await prepare(root);
  const theirs = (sha256: string) => sha256 !== damagedSha && all.images.findIndex((i) => i.sha256 === sha256) % 2 === 0;

  const { log, warnings } = warningLog();
  const part = await prepareDataset({ datasetPath: root, split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e8, workDir: tempDir(), check: theirs }, log);
  assert.deepEqual(warnings, [], "the damaged image is not this job's to check");
  assert.ok(
    part.images.some((i) => i.file === 'trouser/truncated.jpg'),
    'listed unchecked',
  );
  const checked = part.images.filter((i) => theirs(i.sha256));
  assert.ok(checked.length > 0 && checked.length < part.images.length);
  assert.deepEqual([...part.thumbnails.keys()].sort(), checked.map((i) => i.sha256).sort(), 'thumbnails of the checked images only');

  const mine = await prepareDataset(
    { datasetPath: root, split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e8, workDir: tempDir(), check: (sha256) => sha256 === damagedSha },
    silentLogger,
  );
  assert.deepEqual(
    mine.summary.skipped.map((s) => s.file),
    ['trouser/truncated.jpg'],
    "checked when it is this job's",
  );
});

test('exact duplicates count once; the same image under two labels is left out and reported', async () => {
  const root = sampleSubset(6, ['bag', 'trouser']);
  const { readdirSync } = await import('node:fs');
  const bagFile = readdirSync(join(root, 'bag'))[0];
  cpSync(join(root, 'bag', bagFile), join(root, 'bag', 'copy-of-first.png'));
  const trouserFile = readdirSync(join(root, 'trouser'))[0];
  cpSync(join(root, 'trouser', trouserFile), join(root, 'bag', 'mislabelled.png'));
  const prepared = await prepare(root);
  const files = prepared.images.map((i) => i.file);
  assert.equal([files.includes('bag/copy-of-first.png'), files.includes(`bag/${bagFile}`)].filter(Boolean).length, 1, 'one of two identical copies is kept');
  assert.ok(!files.includes('bag/mislabelled.png'));
  assert.ok(!files.includes(`trouser/${trouserFile}`), 'both copies of a conflicting image are excluded');
  assert.ok(prepared.summary.warnings.some((w) => /labelled "bag" and "trouser"/.test(w)));
  assert.ok(prepared.summary.skipped.some((s) => /^bag\/(copy-of-first|train-)/.test(s.file) && /duplicate of/.test(s.reason)));
  assert.equal(new Set(prepared.images.map((i) => i.sha256)).size, prepared.images.length);
});

test('empty dataset, one label, missing folder and case-twin labels give clear errors', async () => {
  const empty = tempDir();
  await assert.rejects(prepare(empty), (e: unknown) => e instanceof InputError && /no usable images/.test(e.message));
  await assert.rejects(prepare(sampleSubset(5, ['bag'])), (e: unknown) => e instanceof InputError && /only one label \("bag"\)/.test(e.message));
  await assert.rejects(prepare(join(empty, 'nope')), (e: unknown) => e instanceof InputError && /was not found/.test(e.message));
  const twins = sampleSubset(4, ['bag', 'trouser']);
  cpSync(join(twins, 'bag'), join(twins, 'Bag'), { recursive: true });
  await assert.rejects(prepare(twins), (e: unknown) => e instanceof InputError && /differ only in upper\/lower case/.test(e.message));
});

test('nested folders below a label, unicode names, and symlinks are handled safely', async () => {
  const root = sampleSubset(5, ['bag', 'trouser']);
  const { readdirSync, renameSync } = await import('node:fs');
  mkdirSync(join(root, 'bag', 'deep', 'deeper'), { recursive: true });
  const one = readdirSync(join(root, 'bag')).find((f) => f.endsWith('.png'))!;
  renameSync(join(root, 'bag', one), join(root, 'bag', 'deep', 'deeper', 'sac à main 👜.png'));
  renameSync(join(root, 'trouser'), join(root, 'pantalón largo'));
  const outside = tempDir();
  writeFileSync(join(outside, 'secret.png'), readFileSync(join(root, 'bag', 'deep', 'deeper', 'sac à main 👜.png')));
  symlinkSync(join(outside, 'secret.png'), join(root, 'bag', 'escape.png'));
  symlinkSync(join(root, 'bag'), join(root, 'bag', 'deep', 'loop'));
  const prepared = await prepare(root);
  assert.ok(prepared.images.some((i) => i.file === 'bag/deep/deeper/sac à main 👜.png' && i.label === 'bag'));
  assert.ok(prepared.labels.includes('pantalón largo'));
  assert.ok(prepared.summary.skipped.some((s) => s.file === 'bag/escape.png' && /outside the dataset/.test(s.reason)));
  assert.ok(prepared.summary.skipped.some((s) => s.file === 'bag/deep/loop' && /already scanned/.test(s.reason)));
});

test('images above the pixel cap are refused with the limit in the message', async () => {
  const root = sampleSubset(4, ['bag', 'trouser']);
  const big = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
  writeFileSync(join(root, 'bag', 'big.png'), big);
  const prepared = await prepare(root, 1000);
  const reason = prepared.summary.skipped.find((s) => s.file === 'bag/big.png')?.reason ?? '';
  assert.match(reason, /larger than 1,000 pixels/);
  assert.match(reason, /raise the pixel cap \(max-pixels\)/);
});

test('decoding: EXIF orientation, alpha, grayscale, 16-bit, palette and animated images become RGB', async () => {
  // Left half red, right half blue, tagged "rotate 90° clockwise": after decoding, red is on top.
  const halves = Buffer.alloc(4 * 2 * 3);
  for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) halves.set(x < 2 ? [255, 0, 0] : [0, 0, 255], (y * 4 + x) * 3);
  const rotated = await sharp(halves, { raw: { width: 4, height: 2, channels: 3 } })
    .jpeg({ quality: 100 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  const px = await decodeToRgb(rotated, 4, 1e6);
  assert.ok(px[0 * 3 + 3 * 3] > 150 && px[3 * 3 + 2] < 100, 'top-right pixel is red once orientation is applied');

  const transparent = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .png()
    .toBuffer();
  assert.deepEqual([...(await decodeToRgb(transparent, 2, 1e6)).slice(0, 3)], [255, 255, 255], 'alpha is flattened onto white');

  const grey = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
    .greyscale()
    .png()
    .toBuffer();
  const g = await decodeToRgb(grey, 2, 1e6);
  assert.equal(g.length, 12);
  assert.equal(g[0], g[1]);

  const sixteen = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } })
    .toColourspace('rgb16')
    .png()
    .toBuffer();
  assert.equal((await decodeToRgb(sixteen, 2, 1e6))[0], 255);

  const palette = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00ff00' } })
    .png({ palette: true })
    .toBuffer();
  assert.ok((await decodeToRgb(palette, 2, 1e6))[1] > 240);

  const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0000ff' } })
    .gif()
    .toBuffer();
  assert.ok((await decodeToRgb(gif, 2, 1e6))[2] > 240);

  const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#123456' } })
    .png()
    .toBuffer();
  assert.equal((await decodeToRgb(tiny, 3, 1e6)).length, 27);
});

test('zip datasets are extracted once; zip-slip entries are refused', async () => {
  const root = sampleSubset(4, ['bag', 'trouser']);
  const { readdirSync } = await import('node:fs');
  const entries: Record<string, Uint8Array> = {};
  for (const label of ['bag', 'trouser']) for (const f of readdirSync(join(root, label))) entries[`dataset/${label}/${f}`] = readFileSync(join(root, label, f));
  const dir = tempDir();
  writeFileSync(join(dir, 'data.zip'), zipSync(entries));
  const prepared = await prepare(join(dir, 'data.zip'));
  assert.deepEqual(prepared.labels, ['bag', 'trouser']);
  assert.equal(prepared.summary.images, 8);

  writeFileSync(join(dir, 'evil.zip'), zipSync({ ...entries, '../../escape.png': entries[Object.keys(entries)[0]] }));
  await assert.rejects(prepare(join(dir, 'evil.zip')), (e: unknown) => e instanceof InputError && /points outside the archive/.test(e.message));
  writeFileSync(join(dir, 'broken.zip'), 'PK not really');
  await assert.rejects(prepare(join(dir, 'broken.zip')), (e: unknown) => e instanceof InputError && /not a readable \.zip/.test(e.message));
  assert.equal(safeEntryPath('/etc/passwd'), null);
  assert.equal(safeEntryPath('a/../../b'), null);
  assert.equal(safeEntryPath('C:\\x'), null);
  assert.equal(safeEntryPath('a/b.png'), 'a/b.png');
});

test('an empty label folder is listed, not silently ignored', async () => {
  const root = sampleSubset(4, ['bag', 'trouser']);
  mkdirSync(join(root, 'sandal'));
  const prepared = await prepare(root);
  assert.deepEqual(prepared.labels, ['bag', 'trouser']);
  assert.ok(prepared.summary.skipped.some((s) => s.file === 'sandal/' && /empty folder/.test(s.reason)));
});

test('every skip is logged as "Skipped <file>: <reason>", duplicates and conflicting labels included', async () => {
  const root = sampleSubset(6, ['bag', 'trouser']);
  const bagFile = readdirSync(join(root, 'bag')).sort()[0];
  cpSync(join(root, 'bag', bagFile), join(root, 'bag', 'zz-copy.png'));
  const trouserFile = readdirSync(join(root, 'trouser')).sort()[0];
  cpSync(join(root, 'trouser', trouserFile), join(root, 'bag', 'zz-mislabelled.png'));
  writeFileSync(join(root, 'bag', 'notes.txt'), 'x');
  const { log, warnings } = warningLog();
  const prepared = await prepare(root, 1e8, log);
  assert.equal(prepared.summary.skipped.length, 4);
  for (const s of prepared.summary.skipped) {
    assert.ok(
      warnings.some((w) => w.message === `Skipped ${s.file}: ${s.reason}` && w.file === s.file),
      `logged, with its file for the annotation: ${s.file}`,
    );
  }
  const reasons = Object.fromEntries(prepared.summary.skipped.map((s) => [s.file, s.reason]));
  assert.equal(reasons['bag/zz-copy.png'], `duplicate of bag/${bagFile} (counted once)`);
  assert.equal(reasons['bag/zz-mislabelled.png'], `conflicting labels: identical to trouser/${trouserFile}`);
  assert.equal(reasons[`trouser/${trouserFile}`], 'conflicting labels: identical to bag/zz-mislabelled.png');
  assert.ok(!warnings.some((w) => w.message.startsWith('Left out')));
});

test(`past ${SKIP_LOG_LIMIT} skips, the rest are summarised in one line (and all of them listed in the result)`, async () => {
  const root = sampleSubset(4, ['bag', 'trouser']);
  for (let i = 0; i < SKIP_LOG_LIMIT + 30; i++) writeFileSync(join(root, 'bag', `note-${String(i).padStart(3, '0')}.txt`), 'x');
  const { log, warnings } = warningLog();
  const prepared = await prepare(root, 1e8, log);
  assert.equal(prepared.summary.skipped.length, SKIP_LOG_LIMIT + 30);
  const skipLines = warnings.filter((w) => /^Skipped bag\/note-\d+\.txt: /.test(w.message));
  assert.equal(skipLines.length, SKIP_LOG_LIMIT);
  assert.deepEqual(
    warnings.filter((w) => !skipLines.includes(w)).map((w) => w.message),
    ['Skipped 30 more files, not shown one by one here: result.json (dataset.skipped) and report.html list every skipped file with its reason.'],
  );
});

test('emoji, spaces and accents in label names (not only file names) go through the scan and the split', async () => {
  const root = sampleSubset(8, ['bag', 'trouser']);
  const { renameSync } = await import('node:fs');
  renameSync(join(root, 'bag'), join(root, '👜 sac à main'));
  // Decomposed, as macOS writes names: "e" followed by a combining acute accent.
  const decomposed = 'pantalon cafe\u0301 🩳';
  renameSync(join(root, 'trouser'), join(root, decomposed));
  const prepared = await prepare(root);
  // Labels are NFC-normalised; file names are kept as they are on disk, so annotations find them.
  assert.deepEqual(prepared.labels, ['pantalon café 🩳', '👜 sac à main'].sort());
  assert.deepEqual(prepared.summary.labels, prepared.labels);
  for (const count of prepared.summary.counts) {
    assert.equal(count.total, 8, count.label);
    assert.ok(count.train > 0 && count.val > 0 && count.test > 0, `${count.label} is in every split`);
  }
  const trouser = prepared.images.filter((i) => i.label === 'pantalon café 🩳');
  assert.equal(trouser.length, 8);
  assert.ok(
    trouser.every((i) => i.file.startsWith(`${decomposed}/`)),
    'the file keeps its on-disk spelling',
  );
  assert.ok(prepared.images.filter((i) => i.label === '👜 sac à main').every((i) => i.file.startsWith('👜 sac à main/') && i.path.includes('👜 sac à main')));
  // The split is decided by content, so renaming the folders moves no image between splits.
  const plain = await prepare(sampleSubset(8, ['bag', 'trouser']));
  const splitOf = (images: typeof prepared.images) => images.map((i) => `${i.sha256}:${i.split}`).sort();
  assert.deepEqual(splitOf(prepared.images), splitOf(plain.images));
});
