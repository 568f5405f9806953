/**
 * ONNX Runtime sessions: the options every backbone session gets, CUDA falling back to the
 * CPU with a reason (a fake session factory stands in for a machine without CUDA), and the
 * probe that tells the engine whether ORT runs here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';
import { detectOnnxRuntime, openOnnxSession, type OrtSession, type SessionFactory } from '../src/core/onnx/session.js';

/** A factory that records what it was asked for and fails for the providers in `failing`. */
function fakeFactory(failing: Record<string, string>) {
  const calls: { path: string; options: ort.InferenceSession.SessionOptions }[] = [];
  const factory: SessionFactory = (model, options) => {
    calls.push({ path: String(model), options });
    const provider = options.executionProviders?.[0] as string;
    if (failing[provider]) return Promise.reject(new Error(failing[provider]));
    const session = { inputNames: ['input'], outputNames: ['out'], run: () => Promise.reject(new Error('not used')), release: () => Promise.resolve() };
    return Promise.resolve(session as unknown as OrtSession);
  };
  return { calls, factory };
}

test('a backbone session runs on the CPU with every core and full graph optimisation', async () => {
  const { calls, factory } = fakeFactory({});
  const { engine } = await openOnnxSession('/models/m.onnx', { createSession: factory });
  assert.deepEqual(engine, { executionProvider: 'cpu', threads: availableParallelism(), fallbackReason: null });
  assert.equal(calls.length, 1);
  assert.equal(calls[0].path, '/models/m.onnx');
  assert.deepEqual(calls[0].options.executionProviders, ['cpu']);
  assert.equal(calls[0].options.graphOptimizationLevel, 'all', "'basic' is 2.5–4× slower");
  assert.equal(calls[0].options.intraOpNumThreads, availableParallelism());
  assert.deepEqual(calls[0].options.extra, { session: { intra_op: { allow_spinning: '0' } } }, 'spinning threads take the core decoding needs');
});

test('CUDA, when asked for and it starts, is used', async () => {
  const { calls, factory } = fakeFactory({});
  const { engine } = await openOnnxSession('m.onnx', { device: 'cuda', threads: 3, createSession: factory });
  assert.deepEqual(engine, { executionProvider: 'cuda', threads: 3, fallbackReason: null });
  assert.deepEqual(
    calls.map((c) => c.options.executionProviders),
    [['cuda']],
  );
});

test('CUDA that does not start falls back to the CPU and says why', async () => {
  const { calls, factory } = fakeFactory({ cuda: 'libcudnn.so.9: cannot open shared object file: No such file or directory\n  at native code' });
  const { engine } = await openOnnxSession('m.onnx', { device: 'cuda', threads: 2, createSession: factory });
  assert.equal(engine.executionProvider, 'cpu');
  assert.equal(
    engine.fallbackReason,
    "ONNX Runtime's CUDA execution provider did not start (libcudnn.so.9: cannot open shared object file: No such file or directory); running on the CPU",
  );
  assert.deepEqual(
    calls.map((c) => c.options.executionProviders),
    [['cuda'], ['cpu']],
  );
});

test('a CPU session that cannot be created is an error, not a silent fallback', async () => {
  const { factory } = fakeFactory({ cpu: 'file is not an ONNX model' });
  await assert.rejects(openOnnxSession('m.onnx', { createSession: factory }), /not an ONNX model/);
});

test('the probe finds the installed onnxruntime-node and runs a model with it', async () => {
  const probe = await detectOnnxRuntime();
  assert.equal(probe.available, true, probe.reason);
  assert.match(probe.reason, /^onnxruntime-node 1\.30\.0 runs here$/);
});

test('the probe says why when onnxruntime-node does not load or cannot run', async () => {
  const missing = await detectOnnxRuntime(() => Promise.reject(new Error("Cannot find module 'onnxruntime-node'")));
  assert.deepEqual(missing, {
    available: false,
    reason: "onnxruntime-node did not load (Cannot find module 'onnxruntime-node'); using TF.js WASM for the backbones",
  });
  const broken = { InferenceSession: { create: () => Promise.reject(new Error('GLIBC_2.38 not found')) } } as unknown as typeof ort;
  const cannotRun = await detectOnnxRuntime(() => Promise.resolve(broken));
  assert.deepEqual(cannotRun, {
    available: false,
    reason: 'onnxruntime-node loaded but could not run a model (GLIBC_2.38 not found); using TF.js WASM for the backbones',
  });
});
