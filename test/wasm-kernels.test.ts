import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from '../src/core/backend/wasm-grad-kernels.js';

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** Deterministic inputs: mulberry32 in [-1, 1). */
function seededValues(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; ++i) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Runs one kernel through the engine on `backend` and returns its values. */
async function runOn(
  backend: 'cpu' | 'wasm',
  kernel: string,
  inputs: Record<string, { shape: number[]; values: Float32Array }>,
  attrs: tf.NamedAttrMap,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const tensors: tf.NamedTensorMap = {};
    for (const [name, t] of Object.entries(inputs)) tensors[name] = tf.tensor(t.values, t.shape);
    const out = tf.engine().runKernel<tf.Tensor>(kernel, tensors, attrs);
    return out.dataSync() as Float32Array;
  });
}

const diffs: Record<string, number> = {};

function assertClose(name: string, actual: Float32Array, expected: Float32Array): void {
  assert.equal(actual.length, expected.length, `${name}: length`);
  let maxAbs = 0;
  let maxDiff = 0;
  for (let i = 0; i < expected.length; ++i) {
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
  }
  assert.ok(maxAbs > 0, `${name}: reference is all zeros, the case tests nothing`);
  const kernel = name.split(' ')[0];
  diffs[kernel] = Math.max(diffs[kernel] ?? 0, maxDiff);
  assert.ok(maxDiff <= 1e-4 * Math.max(1, maxAbs), `${name}: max abs diff ${maxDiff} (max |ref| ${maxAbs})`);
}

function outShapeOf(
  xShape: Shape4,
  filterShape: Shape4,
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: Pad,
  depthwise: boolean,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
  dataFormat: 'channelsLast' | 'channelsFirst' = 'channelsLast',
): Shape4 {
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, dimRoundingMode, depthwise, dataFormat).outShape;
}

/** A dilated filter as the equivalent zero-stuffed dense filter (for checks against cpu, which ignores dilations). */
function dilateFilter(w: Float32Array, shape: Shape4, d: number): { values: Float32Array; shape: Shape4 } {
  const [kh, kw, c, m] = shape;
  const eh = (kh - 1) * d + 1;
  const ew = (kw - 1) * d + 1;
  const out = new Float32Array(eh * ew * c * m);
  for (let i = 0; i < kh; ++i)
    for (let j = 0; j < kw; ++j) {
      out.set(w.subarray((i * kw + j) * c * m, (i * kw + j + 1) * c * m), (i * d * ew + j * d) * c * m);
    }
  return { values: out, shape: [eh, ew, c, m] };
}

function undilateGrad(g: Float32Array, shape: Shape4, d: number): Float32Array {
  const [kh, kw, c, m] = shape;
  const ew = (kw - 1) * d + 1;
  const out = new Float32Array(kh * kw * c * m);
  for (let i = 0; i < kh; ++i)
    for (let j = 0; j < kw; ++j) {
      out.set(g.subarray((i * d * ew + j * d) * c * m, (i * d * ew + j * d + 1) * c * m), (i * kw + j) * c * m);
    }
  return out;
}

const explicitPad: Pad = [
  [0, 0],
  [1, 2],
  [0, 1],
  [0, 0],
];

before(async () => {
  registerWasmGradientKernels(); // before the backend exists
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmGradientKernels(); // and again: idempotent
});

after(() => {
  registerWasmGradientKernels();
  console.log(`# max abs diff vs cpu: ${JSON.stringify(diffs)}`);
});

describe('Conv2DBackpropFilter on wasm matches cpu', () => {
  const cases: Array<{ x: Shape4; f: Shape4; strides: number | [number, number]; pad: Pad; round?: 'floor' | 'round' | 'ceil'; nchw?: boolean }> = [
    { x: [2, 7, 7, 3], f: [3, 3, 3, 4], strides: 1, pad: 'same' },
    { x: [2, 7, 7, 3], f: [3, 3, 3, 4], strides: 2, pad: 'same' },
    { x: [2, 8, 6, 2], f: [2, 3, 2, 5], strides: [2, 1], pad: 'valid' },
    { x: [1, 9, 9, 4], f: [1, 1, 4, 3], strides: 1, pad: 'valid' },
    { x: [3, 6, 7, 2], f: [3, 3, 2, 6], strides: 2, pad: 1, round: 'floor' },
    { x: [3, 6, 7, 2], f: [3, 3, 2, 6], strides: 3, pad: 1, round: 'ceil' },
    { x: [2, 6, 5, 3], f: [3, 2, 3, 4], strides: [1, 2], pad: explicitPad },
    { x: [2, 5, 5, 1], f: [5, 5, 1, 8], strides: 1, pad: 'same' },
    { x: [2, 3, 7, 6], f: [3, 3, 3, 4], strides: 1, pad: 'same', nchw: true }, // x is NCHW [2,3,7,6]
  ];
  for (const [i, c] of cases.entries()) {
    it(`case ${i}: x ${c.x} filter ${c.f} strides ${c.strides} pad ${JSON.stringify(c.pad)}${c.nchw ? ' NCHW' : ''}`, async () => {
      const dataFormat = c.nchw ? 'NCHW' : 'NHWC';
      const dy = outShapeOf(c.x, c.f, c.strides, 1, c.pad, false, c.round, c.nchw ? 'channelsFirst' : 'channelsLast');
      const inputs = { x: { shape: c.x, values: seededValues(size(c.x), 1 + i) }, dy: { shape: dy, values: seededValues(size(dy), 100 + i) } };
      const attrs = { strides: c.strides, pad: c.pad, dataFormat, dimRoundingMode: c.round, filterShape: c.f } as unknown as tf.NamedAttrMap;
      assertClose(
        `Conv2DBackpropFilter case ${i}`,
        await runOn('wasm', tf.Conv2DBackpropFilter, inputs, attrs),
        await runOn('cpu', tf.Conv2DBackpropFilter, inputs, attrs),
      );
    });
  }
  it('chunks a batch larger than the im2col budget and still matches', async () => {
    const x: Shape4 = [5, 6, 6, 3];
    const f: Shape4 = [3, 3, 3, 4];
    const dy = outShapeOf(x, f, 1, 1, 'same', false);
    const inputs = { x: { shape: x, values: seededValues(size(x), 7) }, dy: { shape: dy, values: seededValues(size(dy), 8) } };
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: f } as unknown as tf.NamedAttrMap;
    registerWasmGradientKernels({ im2colBudgetFloats: 2 * 27 * 36 }); // 2 images per chunk → 3 chunks
    try {
      assertClose(
        'Conv2DBackpropFilter chunked',
        await runOn('wasm', tf.Conv2DBackpropFilter, inputs, attrs),
        await runOn('cpu', tf.Conv2DBackpropFilter, inputs, attrs),
      );
    } finally {
      registerWasmGradientKernels();
    }
  });
});

describe('Conv2DBackpropInput on wasm (replaced for NHWC) matches cpu', () => {
  const cases: Array<{ x: Shape4; f: Shape4; strides: number | [number, number]; pad: Pad; round?: 'floor' | 'round' | 'ceil'; nchw?: boolean }> = [
    { x: [2, 7, 7, 3], f: [3, 3, 3, 4], strides: 1, pad: 'same' },
    { x: [2, 7, 7, 3], f: [3, 3, 3, 4], strides: 2, pad: 'same' },
    { x: [2, 8, 6, 2], f: [2, 3, 2, 5], strides: [2, 1], pad: 'valid' },
    { x: [1, 9, 9, 4], f: [1, 1, 4, 3], strides: 1, pad: 'valid' },
    { x: [3, 6, 7, 2], f: [3, 3, 2, 6], strides: 3, pad: 1, round: 'ceil' },
    { x: [2, 6, 5, 3], f: [3, 2, 3, 4], strides: [1, 2], pad: explicitPad },
    { x: [2, 3, 7, 6], f: [3, 3, 3, 4], strides: 1, pad: 'same', nchw: true }, // stock kernel path
  ];
  for (const [i, c] of cases.entries()) {
    it(`case ${i}: x ${c.x} filter ${c.f} strides ${c.strides} pad ${JSON.stringify(c.pad)}${c.nchw ? ' NCHW' : ''}`, async () => {
      const dy = outShapeOf(c.x, c.f, c.strides, 1, c.pad, false, c.round, c.nchw ? 'channelsFirst' : 'channelsLast');
      const inputs = { dy: { shape: dy, values: seededValues(size(dy), 500 + i) }, filter: { shape: c.f, values: seededValues(size(c.f), 600 + i) } };
      const attrs = {
        strides: c.strides,
        pad: c.pad,
        dataFormat: c.nchw ? 'NCHW' : 'NHWC',
        dimRoundingMode: c.round,
        inputShape: c.x,
      } as unknown as tf.NamedAttrMap;
      assertClose(
        `Conv2DBackpropInput case ${i}`,
        await runOn('wasm', tf.Conv2DBackpropInput, inputs, attrs),
        await runOn('cpu', tf.Conv2DBackpropInput, inputs, attrs),
      );
    });
  }
  it('chunks a batch larger than the im2col budget and still matches', async () => {
    const x: Shape4 = [5, 6, 6, 3];
    const f: Shape4 = [3, 3, 3, 4];
    const dy = outShapeOf(x, f, 1, 1, 'same', false);
    const inputs = { dy: { shape: dy, values: seededValues(size(dy), 9) }, filter: { shape: f, values: seededValues(size(f), 10) } };
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: x } as unknown as tf.NamedAttrMap;
    registerWasmGradientKernels({ im2colBudgetFloats: 2 * 27 * 36 });
    try {
      assertClose(
        'Conv2DBackpropInput chunked',
        await runOn('wasm', tf.Conv2DBackpropInput, inputs, attrs),
        await runOn('cpu', tf.Conv2DBackpropInput, inputs, attrs),
      );
    } finally {
      registerWasmGradientKernels();
    }
  });
});

const depthwiseCases: Array<{ x: Shape4; f: Shape4; strides: number | [number, number]; pad: Pad; dil?: number; round?: 'floor' | 'round' | 'ceil' }> = [
  { x: [2, 7, 7, 3], f: [3, 3, 3, 1], strides: 1, pad: 'same' },
  { x: [2, 7, 7, 3], f: [3, 3, 3, 2], strides: 2, pad: 'same' },
  { x: [2, 8, 6, 4], f: [2, 3, 4, 1], strides: [2, 1], pad: 'valid' },
  { x: [1, 9, 9, 5], f: [5, 5, 5, 3], strides: 2, pad: 2, round: 'floor' },
  { x: [2, 6, 5, 3], f: [3, 3, 3, 2], strides: [1, 2], pad: explicitPad },
  { x: [2, 9, 9, 3], f: [3, 3, 3, 1], strides: 1, pad: 'same', dil: 2 },
  { x: [1, 10, 8, 2], f: [3, 2, 2, 2], strides: 1, pad: 'valid', dil: 2 },
  { x: [2, 11, 11, 2], f: [3, 3, 2, 1], strides: 1, pad: 2, dil: 3 },
];

describe('DepthwiseConv2dNativeBackpropFilter on wasm matches cpu', () => {
  for (const [i, c] of depthwiseCases.entries()) {
    it(`case ${i}: x ${c.x} filter ${c.f} strides ${c.strides} pad ${JSON.stringify(c.pad)} dilation ${c.dil ?? 1}`, async () => {
      const d = c.dil ?? 1;
      const dy = outShapeOf(c.x, c.f, c.strides, d, c.pad, true, c.round);
      const inputs = { x: { shape: c.x, values: seededValues(size(c.x), 20 + i) }, dy: { shape: dy, values: seededValues(size(dy), 200 + i) } };
      const attrs = { strides: c.strides, dilations: d, pad: c.pad, dimRoundingMode: c.round, filterShape: c.f } as unknown as tf.NamedAttrMap;
      const actual = await runOn('wasm', tf.DepthwiseConv2dNativeBackpropFilter, inputs, attrs);
      // cpu ignores dilations: compare with the zero-stuffed filter at dilation 1.
      const dense = dilateFilter(new Float32Array(size(c.f)), c.f, d).shape;
      const expected = undilateGrad(await runOn('cpu', tf.DepthwiseConv2dNativeBackpropFilter, inputs, { ...attrs, dilations: 1, filterShape: dense }), c.f, d);
      assertClose(`DepthwiseConv2dNativeBackpropFilter case ${i}`, actual, expected);
    });
  }
});

describe('DepthwiseConv2dNativeBackpropInput on wasm matches cpu', () => {
  for (const [i, c] of depthwiseCases.entries()) {
    it(`case ${i}: x ${c.x} filter ${c.f} strides ${c.strides} pad ${JSON.stringify(c.pad)} dilation ${c.dil ?? 1}`, async () => {
      const d = c.dil ?? 1;
      const dy = outShapeOf(c.x, c.f, c.strides, d, c.pad, true, c.round);
      const w = seededValues(size(c.f), 40 + i);
      const inputs = { dy: { shape: dy, values: seededValues(size(dy), 300 + i) }, filter: { shape: c.f, values: w } };
      const attrs = { strides: c.strides, dilations: d, pad: c.pad, dimRoundingMode: c.round, inputShape: c.x } as unknown as tf.NamedAttrMap;
      const actual = await runOn('wasm', tf.DepthwiseConv2dNativeBackpropInput, inputs, attrs);
      const expected = await runOn(
        'cpu',
        tf.DepthwiseConv2dNativeBackpropInput,
        { dy: inputs.dy, filter: dilateFilter(w, c.f, d) },
        { ...attrs, dilations: 1 },
      );
      assertClose(`DepthwiseConv2dNativeBackpropInput case ${i}`, actual, expected);
    });
  }
});

describe('gradients through tf.grad on wasm', () => {
  it('leave no tensors and no WASM heap buffers behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(seededValues(2 * 12 * 12 * 4, 1), [2, 12, 12, 4]);
    const w = tf.tensor4d(seededValues(3 * 3 * 4 * 6, 2), [3, 3, 4, 6]);
    const dw = tf.tensor4d(seededValues(3 * 3 * 4 * 2, 3), [3, 3, 4, 2]);
    const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
    registerWasmGradientKernels({ im2colBudgetFloats: 36 * 144 }); // exercise the chunked path too
    try {
      const tensorsBefore = tf.memory().numTensors;
      const buffersBefore = backend.numDataIds();
      const sums = tf.tidy(() => {
        const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf
            .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')
            .square()
            .sum(),
        )([x, w]);
        const [gdx, gdw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf
            .depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')
            .square()
            .sum(),
        )([x, dw]);
        return [gx, gw, gdx, gdw].map((g) => g.abs().sum().dataSync()[0]);
      });
      for (const s of sums) assert.ok(Number.isFinite(s) && s > 0, `gradient sum ${s}`);
      assert.equal(tf.memory().numTensors, tensorsBefore, 'tensor count changed');
      assert.equal(backend.numDataIds(), buffersBefore, 'WASM heap buffers leaked');
    } finally {
      registerWasmGradientKernels();
      tf.dispose([x, w, dw]);
    }
  });
});

describe('training on wasm', () => {
  it('a tiny conv net with batch norm and a depthwise layer lowers its loss', async () => {
    await tf.setBackend('wasm');
    assert.equal(tf.getBackend(), 'wasm');
    // Two classes: a bright vertical bar vs a bright horizontal bar, on noise.
    const n = 32;
    const side = 12;
    const pixels = new Float32Array(n * side * side);
    const noise = seededValues(pixels.length, 99);
    const labels: number[] = [];
    for (let i = 0; i < n; ++i) {
      const vertical = i % 2 === 0;
      const at = 2 + (i % 7);
      for (let r = 0; r < side; ++r)
        for (let c = 0; c < side; ++c) {
          const on = vertical ? c === at : r === at;
          pixels[(i * side + r) * side + c] = (on ? 1 : 0) + 0.3 * noise[(i * side + r) * side + c];
        }
      labels.push(vertical ? 0 : 1);
    }
    const xs = tf.tensor4d(pixels, [n, side, side, 1]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [side, side, 1],
          filters: 8,
          kernelSize: 3,
          padding: 'same',
          useBias: false,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.batchNormalization(),
        tf.layers.reLU(),
        tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        tf.layers.batchNormalization(),
        tf.layers.reLU(),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const losses: number[] = [];
    for (let step = 0; step < 8; ++step) {
      losses.push((await model.trainOnBatch(xs, ys)) as number);
    }
    tf.dispose([xs, ys]);
    model.dispose();
    for (const l of losses) assert.ok(Number.isFinite(l), `loss ${l}`);
    assert.ok(losses[losses.length - 1] < 0.7 * losses[0], `loss did not go down: ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  });
});
