/**
 * The action's dataset root: a pull request can commit `dataset -> /` (or a link to the
 * runner's home), and the scan would then read images from anywhere on the runner into
 * thumbnails and the report. readInputs refuses a symlinked root and a root outside the
 * workspace, unless the workflow sets allow-dataset-symlink: true.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInputs, type InputReader } from '../src/action/inputs.js';
import { InputError } from '../src/core/errors.js';
import { tempDir } from './helpers/datasets.js';

/** A workspace with a real dataset folder, a committed `linked -> /`, and a folder beside it. */
function workspace(): { root: string; outside: string } {
  const base = tempDir();
  const root = join(base, 'repo');
  mkdirSync(join(root, 'dataset', 'cat'), { recursive: true });
  writeFileSync(join(root, 'dataset', 'cat', 'a.png'), '');
  const outside = join(base, 'elsewhere');
  mkdirSync(join(outside, 'cat'), { recursive: true });
  return { root, outside };
}

const read = (root: string, inputs: Record<string, string>) => {
  const reader: InputReader = (name) => inputs[name] ?? '';
  return readInputs({ outDir: join(root, '..', 'out'), cacheDir: join(root, '..', 'cache'), workspace: root }, reader);
};

function refused(work: () => unknown, message: RegExp): void {
  assert.throws(work, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

test('a dataset root that is a symbolic link is refused, naming the input, the link and the way out', () => {
  const { root, outside } = workspace();
  symlinkSync('/', join(root, 'rootfs'));
  refused(
    () => read(root, { 'dataset-path': 'rootfs' }),
    /^dataset-path: "rootfs" is a symbolic link \(to \/\), which a pull request could point anywhere on the runner\. Point dataset-path at the folder itself, or set allow-dataset-symlink: true if the runner keeps it there on purpose\.$/,
  );
  // Also a link that stays inside the workspace, and a link to a .zip: the root itself may not be a link.
  symlinkSync('dataset', join(root, 'alias'));
  refused(() => read(root, { 'dataset-path': 'alias' }), /"alias" is a symbolic link \(to dataset\)/);
  writeFileSync(join(outside, 'data.zip'), '');
  symlinkSync(join(outside, 'data.zip'), join(root, 'data.zip'));
  refused(() => read(root, { 'dataset-path': 'data.zip' }), /"data\.zip" is a symbolic link/);
});

test('a dataset root outside the workspace is refused, however it gets there', () => {
  const { root, outside } = workspace();
  refused(
    () => read(root, { 'dataset-path': outside }),
    new RegExp(
      `^dataset-path: ".*elsewhere" resolves to .*elsewhere, outside the workspace \\(.*repo\\)\\. Keep the dataset in the repository, or set allow-dataset-symlink: true`,
    ),
  );
  refused(() => read(root, { 'dataset-path': '../elsewhere' }), /resolves to .*elsewhere, outside the workspace/);
  // Through a linked parent folder: the root is no link, but it resolves outside.
  symlinkSync(join(root, '..'), join(root, 'up'));
  refused(() => read(root, { 'dataset-path': 'up/elsewhere' }), /"up\/elsewhere" resolves to .*elsewhere, outside the workspace/);
  refused(() => read(root, { 'working-directory': '..', 'dataset-path': 'elsewhere' }), /outside the workspace/);
});

test('allow-dataset-symlink: true lets the workflow use a link or an outside folder; plain folders need nothing', () => {
  const { root, outside } = workspace();
  symlinkSync(outside, join(root, 'linked'));
  assert.equal(read(root, { 'dataset-path': 'linked', 'allow-dataset-symlink': 'true' }).train.datasetPath, join(root, 'linked'));
  assert.equal(read(root, { 'dataset-path': outside, 'allow-dataset-symlink': 'TRUE' }).allowDatasetSymlink, true);
  const plain = read(root, {});
  assert.deepEqual([plain.train.datasetPath, plain.allowDatasetSymlink], [join(root, 'dataset'), false]);
  // A missing dataset is the engine's to report (it names the path); the inputs let it through.
  assert.equal(read(root, { 'dataset-path': 'missing' }).train.datasetPath, join(root, 'missing'));
  refused(() => read(root, { 'allow-dataset-symlink': 'yes' }), /^allow-dataset-symlink: "yes" is not valid; use one of: true, false\.$/);
});

test('eval-dataset-path, the folder from another source, is held to the same rule and resolved like dataset-path', () => {
  const { root, outside } = workspace();
  mkdirSync(join(root, 'other', 'cat'), { recursive: true });
  assert.equal(read(root, { 'eval-dataset-path': 'other' }).train.evalDataset, join(root, 'other'));
  assert.equal(read(root, {}).train.evalDataset, undefined, 'none unless given');
  symlinkSync('/', join(root, 'rootfs'));
  refused(
    () => read(root, { 'eval-dataset-path': 'rootfs' }),
    /^eval-dataset-path: "rootfs" is a symbolic link \(to \/\)[^]*Point eval-dataset-path at the folder itself/,
  );
  refused(() => read(root, { 'eval-dataset-path': outside }), /^eval-dataset-path: ".*elsewhere" resolves to .*elsewhere, outside the workspace/);
  assert.equal(read(root, { 'eval-dataset-path': outside, 'allow-dataset-symlink': 'true' }).train.evalDataset, outside);
});
