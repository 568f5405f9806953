import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/core/backend/select.js';

await selectBackend(undefined, 'wasm');

test('the WASM Tile matches the cpu backend on a grid of shapes and reps, for floats and ints', async () => {
  const cases: [number[], number[]][] = [
    [[3], [4]],
    [
      [1, 1, 1, 5],
      [2, 3, 4, 1],
    ],
    [
      [2, 3],
      [1, 1],
    ],
    [
      [2, 3],
      [3, 2],
    ],
    [
      [2, 1, 3],
      [1, 4, 2],
    ],
    [
      [4, 2, 3, 2],
      [2, 1, 3, 2],
    ],
    [
      [1, 6],
      [7, 1],
    ],
  ];
  for (const [shape, reps] of cases) {
    for (const dtype of ['float32', 'int32'] as const) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: size }, (_, i) => i * 3 - 7);
      await tf.setBackend('wasm');
      const onWasm = tf.tile(tf.tensor(values, shape, dtype), reps);
      const wasmValues = Array.from(await onWasm.data());
      await tf.setBackend('cpu');
      const onCpu = tf.tile(tf.tensor(values, shape, dtype), reps);
      assert.deepEqual(wasmValues, Array.from(await onCpu.data()), `${dtype} ${shape} × ${reps}`);
      assert.deepEqual(onWasm.shape, onCpu.shape);
      tf.dispose([onWasm, onCpu]);
    }
  }
  await tf.setBackend('wasm');
});

test('batch-norm gradients (which tile) still match the cpu backend', async () => {
  const run = () => {
    const x = tf.tensor4d(
      Array.from({ length: 2 * 3 * 3 * 4 }, (_, i) => Math.sin(i)),
      [2, 3, 3, 4],
    );
    const mean = tf.tensor1d([0.1, -0.2, 0.3, 0]);
    const variance = tf.tensor1d([1, 2, 0.5, 1.5]);
    const g = tf.grad((input: tf.Tensor) =>
      tf
        .batchNorm4d(input as tf.Tensor4D, mean, variance, tf.zeros<tf.Rank.R1>([4]), tf.ones<tf.Rank.R1>([4]))
        .square()
        .sum(),
    )(x);
    return g.dataSync().slice();
  };
  await tf.setBackend('wasm');
  const wasm = run();
  await tf.setBackend('cpu');
  const cpu = run();
  await tf.setBackend('wasm');
  for (let i = 0; i < cpu.length; i++) assert.ok(Math.abs(cpu[i] - wasm[i]) < 1e-4);
});
