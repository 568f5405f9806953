import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_BACKENDS, describeBackend, selectBackend, type BackendCandidate } from '../src/core/backend/select.js';

const failing = (pkg: string, message: string): BackendCandidate => ({
  backend: 'tensorflow',
  package: pkg,
  load: async () => {
    throw new Error(message);
  },
});

test('backends fall through in order, and every skip keeps its reason', async () => {
  const wasm = DEFAULT_BACKENDS.find((b) => b.backend === 'wasm')!;
  const info = await selectBackend([
    failing('@tensorflow/tfjs-node-gpu', 'no NVIDIA driver found'),
    failing('@tensorflow/tfjs-node', "Cannot find package '@tensorflow/tfjs-node'"),
    wasm,
  ]);
  assert.equal(info.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(info.skipped, [
    { backend: '@tensorflow/tfjs-node-gpu', reason: 'no NVIDIA driver found' },
    { backend: '@tensorflow/tfjs-node', reason: 'not installed (optional dependency)' },
  ]);
  assert.match(describeBackend(info), /^wasm \(@tensorflow\/tfjs-backend-wasm\); skipped tfjs-node-gpu: no NVIDIA driver found/);
});

test('a backend whose binary loads but will not initialise falls through to the next', async () => {
  const broken: BackendCandidate = { backend: 'no-such-backend', package: 'fake-native', load: async () => ({ gpu: false }) };
  const cpu = DEFAULT_BACKENDS.find((b) => b.backend === 'cpu')!;
  const info = await selectBackend([broken, cpu]);
  assert.equal(info.name, 'cpu');
  assert.equal(info.skipped[0].backend, 'fake-native');
});

test('with nothing usable, the error lists every reason', async () => {
  await assert.rejects(selectBackend([failing('a', 'reason one'), failing('b', 'reason two')]), /a: reason one; b: reason two/);
});

test('the default order on this machine skips the native packages and picks wasm', async () => {
  const listeners = process.listeners('uncaughtException').length + process.listeners('unhandledRejection').length;
  const info = await selectBackend();
  assert.equal(
    process.listeners('uncaughtException').length + process.listeners('unhandledRejection').length,
    listeners,
    'the WASM runtime leaves no process-wide error handlers behind',
  );
  assert.equal(info.name, 'wasm');
  assert.deepEqual(
    info.skipped.map((s) => s.backend),
    ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
  );
});
