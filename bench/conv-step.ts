/**
 * One small-CNN training step (batch 32, 28×28×1, VGG-style with batch norm:
 * conv32-conv32-pool-conv64-conv64-pool-dense) on the tfjs cpu backend vs the
 * WASM backend with our gradient kernels. Not a test: it prints ms/step and
 * the speed-up. Run: `node --import tsx bench/conv-step.ts`.
 */
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from '../src/core/backend/wasm-grad-kernels.js';

export interface ConvStepBenchOptions {
  /** Images per step. Default 32. */
  batchSize?: number;
  /** Input side in pixels. Default 28. */
  side?: number;
  /** Input channels. Default 1. */
  channels?: number;
  /** Timed steps on cpu (slow: over a minute each on 2 cores; no warm-up step). Default 1. */
  cpuSteps?: number;
  /** Timed steps on wasm. Default 10. */
  wasmSteps?: number;
}

export interface ConvStepBenchResult {
  cpuMsPerStep: number;
  wasmMsPerStep: number;
}

function buildVggStyle(side: number, channels: number, classes: number): tf.Sequential {
  const convBlock = (filters: number, first = false): tf.layers.Layer[] => [
    tf.layers.conv2d({
      ...(first ? { inputShape: [side, side, channels] } : {}),
      filters,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
    }),
    tf.layers.batchNormalization(),
    tf.layers.reLU(),
  ];
  const model = tf.sequential({
    layers: [
      ...convBlock(32, true),
      ...convBlock(32),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      ...convBlock(64),
      ...convBlock(64),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

async function msPerStep(backend: 'cpu' | 'wasm', steps: number, batchSize: number, side: number, channels: number, warmUp: boolean): Promise<number> {
  await tf.setBackend(backend);
  await tf.ready();
  const classes = 10;
  const model = buildVggStyle(side, channels, classes);
  const xs = tf.randomUniform([batchSize, side, side, channels]);
  const ys = tf.oneHot(tf.randomUniform<tf.Rank.R1>([batchSize], 0, classes, 'int32'), classes);
  try {
    if (warmUp) await model.trainOnBatch(xs, ys); // kernel setup, XNNPACK operators, heap growth
    const start = performance.now();
    for (let i = 0; i < steps; ++i) await model.trainOnBatch(xs, ys);
    return (performance.now() - start) / steps;
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
}

export async function benchConvStep(options: ConvStepBenchOptions = {}): Promise<ConvStepBenchResult> {
  const { batchSize = 32, side = 28, channels = 1, cpuSteps = 1, wasmSteps = 10 } = options;
  registerWasmGradientKernels();
  const previous = tf.getBackend();
  try {
    const wasmMsPerStep = await msPerStep('wasm', wasmSteps, batchSize, side, channels, true);
    const cpuMsPerStep = await msPerStep('cpu', cpuSteps, batchSize, side, channels, false);
    return { cpuMsPerStep, wasmMsPerStep };
  } finally {
    if (previous != null && previous !== tf.getBackend()) await tf.setBackend(previous);
  }
}

if (process.argv[1] != null && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchConvStep();
  const machine = `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}, Node ${process.version}`;
  console.log(`conv training step, batch 32, 28×28×1, VGG-style + batch norm (${new Date().toISOString().slice(0, 10)}; ${machine})`);
  console.log(`  cpu : ${r.cpuMsPerStep.toFixed(0)} ms/step`);
  console.log(`  wasm: ${r.wasmMsPerStep.toFixed(0)} ms/step (SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, 1 thread)`);
  console.log(`  speed-up: ${(r.cpuMsPerStep / r.wasmMsPerStep).toFixed(1)}× (target ≥ 30×)`);
}
