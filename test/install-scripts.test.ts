/**
 * Install scripts of dependencies are opt-in from npm 12 (npm 11.16 and later warn about
 * each one not reviewed): package.json's allowScripts must decide on every package in the
 * lockfile that has one, and keep onnxruntime-node's off (it only downloads CUDA libraries,
 * from a host `npm ci` must not need; its CPU binaries are in the package).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const readJson = <T>(name: string) => JSON.parse(readFileSync(join(repoRoot, name), 'utf8')) as T;

it('allowScripts decides on every locked package that has an install script', () => {
  const lock = readJson<{ packages: Record<string, { hasInstallScript?: boolean }> }>('package-lock.json');
  const { allowScripts = {} } = readJson<{ allowScripts?: Record<string, boolean> }>('package.json');
  const withScripts = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  assert.ok(withScripts.includes('onnxruntime-node'), 'the lockfile should mark onnxruntime-node as having an install script');
  assert.deepEqual(
    withScripts.filter((name) => typeof allowScripts[name] !== 'boolean'),
    [],
  );
  assert.equal(allowScripts['onnxruntime-node'], false);
});
