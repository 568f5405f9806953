/**
 * Choosing the inference engine once per run, on stand-ins for other machines: no ORT, ORT
 * without CUDA, CUDA that starts, and the user forcing TF.js. The real ORT of this machine
 * (CPU only) answers the probe where no loader is injected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as ort from 'onnxruntime-node';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chooseInferenceEngine, describeInference, inferenceInfo, type EngineRequestOptions } from '../src/core/engine/choose.js';
import { loadOnnxRuntime, type SessionFactory } from '../src/core/onnx/session.js';
import type { BackendInfo } from '../src/core/result.js';
import { tempDir } from './helpers/datasets.js';

const wasm: BackendInfo = { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', gpu: false, threads: 1, skipped: [] };

function request(overrides: Partial<EngineRequestOptions> = {}): EngineRequestOptions {
  return { engine: 'auto', device: 'auto', tfjs: wasm, tfjsWorkers: 2, cacheDir: tempDir(), ...overrides };
}

/** A session factory that records the providers asked for and fails for those in `failing`. */
function fakeFactory(failing: Record<string, string> = {}) {
  const providers: string[][] = [];
  const factory: SessionFactory = async (_path, options) => {
    const list = (options.executionProviders ?? []).map(String);
    providers.push(list);
    if (failing[list[0]]) throw new Error(failing[list[0]]);
    return { inputNames: ['x'], outputNames: ['y'], run: () => Promise.reject(new Error('not used')), release: async () => {} };
  };
  return { providers, factory };
}

test('auto on a machine where ORT runs and there is no NVIDIA driver: ORT on the CPU with every thread given, TF.js passed over', async () => {
  const { providers, factory } = fakeFactory();
  const engine = await chooseInferenceEngine(request(), { createSession: factory, nvidiaDriver: () => false, threads: 3 });
  assert.equal(engine.engine, 'onnxruntime');
  assert.equal(engine.provider, 'cpu');
  assert.equal(engine.threads, 3);
  assert.deepEqual(engine.onnx, { device: 'cpu', threads: 3, createSession: factory });
  assert.deepEqual(providers, [], 'CUDA is not tried without a driver');
  assert.deepEqual(
    engine.skipped.map((s) => s.engine),
    ['onnxruntime (CUDA)', 'tfjs'],
  );
  assert.match(engine.skipped[0].reason, /no NVIDIA driver found/);
  assert.match(engine.skipped[1].reason, /^not needed: onnxruntime-node [\d.]+ runs here$/);
  assert.deepEqual(
    Object.keys(inferenceInfo(engine)).sort(),
    ['engine', 'provider', 'skipped', 'threads', 'trainsSmallCnn'],
    'result.json gets no session settings',
  );
  assert.equal(inferenceInfo(engine).trainsSmallCnn, true, 'ONNX Runtime trains the small CNN');
  assert.equal(
    describeInference(engine),
    `ONNX Runtime on the CPU, 3 threads; skipped onnxruntime (CUDA): ${engine.skipped[0].reason}; tfjs: ${engine.skipped[1].reason}`,
  );
});

test('a GPU asked for whose CUDA provider will not start: the CPU, with the reason', async () => {
  const { providers, factory } = fakeFactory({ cuda: 'libcudnn.so.9: cannot open shared object file\n  at native code' });
  const cacheDir = tempDir();
  const engine = await chooseInferenceEngine(request({ device: 'gpu', cacheDir }), { createSession: factory, nvidiaDriver: () => false, threads: 2 });
  assert.equal(engine.engine, 'onnxruntime');
  assert.equal(engine.provider, 'cpu');
  assert.equal(engine.onnx!.device, 'cpu');
  assert.deepEqual(providers, [['cuda'], ['cpu']]);
  assert.deepEqual(engine.skipped[0], {
    engine: 'onnxruntime (CUDA)',
    reason: "ONNX Runtime's CUDA execution provider did not start (libcudnn.so.9: cannot open shared object file); running on the CPU",
  });
  assert.ok(existsSync(join(cacheDir, 'onnx', 'cuda-check-identity.onnx')), 'the check opened a real model file');
});

test('CUDA that starts is used: asked for, or by auto when an NVIDIA driver is present', async () => {
  for (const [device, driver] of [
    ['gpu', false],
    ['auto', true],
  ] as const) {
    const { providers, factory } = fakeFactory();
    const engine = await chooseInferenceEngine(request({ device }), { createSession: factory, nvidiaDriver: () => driver, threads: 2 });
    assert.equal(engine.provider, 'cuda', device);
    assert.equal(engine.onnx!.device, 'cuda');
    assert.deepEqual(providers, [['cuda']]);
    assert.deepEqual(
      engine.skipped.map((s) => s.engine),
      ['tfjs'],
    );
    assert.match(describeInference(inferenceInfo(engine)), /^ONNX Runtime on the GPU \(CUDA\); skipped tfjs: /);
    assert.equal(inferenceInfo(engine).trainsSmallCnn, undefined, 'ORT on CUDA leaves the small CNN to the training backend');
  }
});

test('device cpu never tries CUDA, even with a driver', async () => {
  const { providers, factory } = fakeFactory();
  const engine = await chooseInferenceEngine(request({ device: 'cpu' }), { createSession: factory, nvidiaDriver: () => true });
  assert.equal(engine.provider, 'cpu');
  assert.deepEqual(providers, []);
  assert.deepEqual(
    engine.skipped.map((s) => s.engine),
    ['tfjs'],
  );
});

test('ORT that does not load, or loads but cannot run a model: TF.js with its workers, and why', async () => {
  const missing = await chooseInferenceEngine(request({ engine: 'onnx' }), {
    loadRuntime: () => Promise.reject(new Error('Cannot find module onnxruntime-node')),
  });
  assert.deepEqual(inferenceInfo(missing), {
    engine: 'tfjs',
    provider: 'wasm',
    threads: 2,
    skipped: [{ engine: 'onnxruntime', reason: 'onnxruntime-node did not load (Cannot find module onnxruntime-node); using TF.js WASM for the backbones' }],
  });
  assert.equal(missing.onnx, undefined);
  assert.equal(
    describeInference(missing),
    'TF.js (wasm) in 2 worker threads; skipped onnxruntime: onnxruntime-node did not load (Cannot find module onnxruntime-node); using TF.js WASM for the backbones',
  );

  const real = await loadOnnxRuntime();
  const broken = { ...real, InferenceSession: { create: () => Promise.reject(new Error('no kernel for Identity')) } } as unknown as typeof ort;
  const cannotRun = await chooseInferenceEngine(request(), { loadRuntime: async () => broken });
  assert.equal(cannotRun.engine, 'tfjs');
  assert.match(cannotRun.skipped[0].reason, /could not run a model \(no kernel for Identity\)/);
});

test('engine tfjs: ORT is not even probed', async () => {
  let probed = false;
  const engine = await chooseInferenceEngine(request({ engine: 'tfjs', tfjsWorkers: 1 }), {
    loadRuntime: () => {
      probed = true;
      return loadOnnxRuntime();
    },
  });
  assert.equal(probed, false);
  assert.deepEqual(inferenceInfo(engine), {
    engine: 'tfjs',
    provider: 'wasm',
    threads: 1,
    skipped: [{ engine: 'onnxruntime', reason: 'not asked for (engine: tfjs)' }],
  });
});

test('an engine or device the run does not know is bad input, named with the choices', async () => {
  const { validateOptions, DEFAULTS } = await import('../src/core/options.js');
  const { InputError } = await import('../src/core/errors.js');
  const base = { ...DEFAULTS, datasetPath: 'd', outDir: 'o', cacheDir: 'c', workers: 1 };
  assert.throws(
    () => validateOptions({ ...base, engine: 'cuda' as never }),
    (e: unknown) => e instanceof InputError && e.message === 'engine must be one of auto, onnx, tfjs; got "cuda".',
  );
  assert.throws(
    () => validateOptions({ ...base, device: 'tpu' as never }),
    (e: unknown) => e instanceof InputError && e.message === 'device must be one of auto, cpu, gpu; got "tpu".',
  );
  for (const engine of ['auto', 'onnx', 'tfjs'] as const) for (const device of ['auto', 'cpu', 'gpu'] as const) validateOptions({ ...base, engine, device });
});
