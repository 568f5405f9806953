/**
 * Ensemble candidates (training/ensemble.ts, run/stages/ensemble.ts, model/export-ensemble.ts):
 * which bake-off candidates are combined and why others are not; a run tries the ensemble,
 * lists it in the bake-off table and the report, and exports it only when the selection rule
 * picks it; an ensemble that wins is exported as ONE model whose model.json and model.onnx
 * give the probabilities the run computed (real images, real MobileNetV2 and HOG).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeBatch } from '../src/core/embeddings/batches.js';
import { chooseInferenceEngine } from '../src/core/engine/choose.js';
import { loadClassifier } from '../src/core/model/classifier.js';
import { applyTemperature } from '../src/core/model/temperature.js';
import type { PreparedCandidate } from '../src/core/model/fitted.js';
import { DEFAULTS, validateOptions, type TrainOptions } from '../src/core/options.js';
import { silentLogger } from '../src/core/ports.js';
import { renderMarkdown } from '../src/core/report/markdown.js';
import { RunResult } from '../src/core/result.js';
import { planBudget } from '../src/core/run/budget.js';
import { createRunContext, type RunContext } from '../src/core/run/context.js';
import { LiveModels } from '../src/core/run/models.js';
import { buildRunResult } from '../src/core/run/result.js';
import { STAGES } from '../src/core/run/stages/index.js';
import { predictProbabilities } from '../src/core/training/candidates.js';
import { concatExamples, hogPoolFactor, planEnsembles, type TrainedCandidate } from '../src/core/training/ensemble.js';
import { priorTierOf } from '../src/core/training/selection.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';

const tfjsBackend = await ensureBackend();
const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);

/** A trained candidate as the bake-off hands it on: a spec, its kind and fold scores (no examples needed to plan). */
function trained(specText: string, folds: number[], kind: 'frozen' | 'scratch' = 'frozen'): TrainedCandidate {
  const spec = parseBackboneSpec(specText);
  const empty = { x: new Float32Array(0), y: new Int32Array(0), rows: 0 };
  const prepared: PreparedCandidate = {
    spec,
    displayName: spec.id,
    kind,
    featureDim: 1,
    backboneParams: 1,
    train: empty,
    val: empty,
    test: empty,
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
  };
  return { entry: { id: spec.id, displayName: spec.id, tier: priorTierOf(spec), cost: 1, scores: { folds } }, prepared };
}

test('planning: the best candidates by estimate, one per backbone, built-ins only; HOG pooled from the input by a whole factor', () => {
  assert.equal(hogPoolFactor(224, 28), 8);
  assert.equal(hogPoolFactor(224, 64), 4, '224 / 4 = 56 is the whole fraction of 224 nearest 64');
  assert.equal(hogPoolFactor(64, 32), 2);
  const { plans, left } = planEnsembles([
    trained('mobilenet_v2@224', [0.8, 0.82, 0.81]),
    trained('hog@28', [0.86, 0.87, 0.85]),
    trained('mobilenet_v2@224+taps', [0.84, 0.83, 0.85]),
    trained('small_cnn@28', [0.9, 0.9, 0.9], 'scratch'),
    trained('./my/model.json@224', [0.88, 0.87, 0.89]),
    trained('inception_v3@299', [0.7, 0.72, 0.71]),
  ]);
  assert.deepEqual(
    plans.map((p) => p.spec.id),
    ['ensemble(hog@28, mobilenet_v2@224+taps)'],
  );
  const [pair] = plans;
  assert.equal(pair.spec.inputSize, 224);
  assert.deepEqual(
    pair.members.map((m) => m.poolFactor),
    [8, 1],
  );
  assert.equal(pair.displayName, 'ensemble: HOG (7×7 cells) @28 (pooled from 224) + mobilenet_v2@224+taps');
  const why = left.join('\n');
  assert.match(why, /small_cnn@28: trained end to end on pixels/);
  assert.match(why, /\.\/my\/model\.json@224: user backbones are not combined/);
  assert.match(why, /mobilenet_v2@224: mobilenet_v2@224\+taps is the better variant of the same backbone/);
  assert.match(why, /the ensemble of the best 3: mobilenet_v2@224\+taps takes 224 px and inception_v3@299 299 px: one input cannot feed both/);
});

test('concatenated examples: the same images in the same order, features side by side; a mismatch is refused', () => {
  const a = { x: Float32Array.of(1, 2, 3, 4), y: Int32Array.of(0, 1), rows: 2 };
  const b = { x: Float32Array.of(5, 6), y: Int32Array.of(0, 1), rows: 2 };
  assert.deepEqual(Array.from(concatExamples([a, b]).x), [1, 2, 5, 3, 4, 6]);
  assert.throws(() => concatExamples([a, { ...b, y: Int32Array.of(1, 0) }]), /the members do not hold the same images in the same order/);
});

function options(datasetPath: string): TrainOptions {
  const out = tempDir();
  return validateOptions({
    ...DEFAULTS,
    datasetPath,
    outDir: join(out, 'run'),
    cacheDir: join(out, 'cache'),
    backbones: ['mobilenet_v2@64+taps', 'hog@32'],
    budgetSeconds: 40,
    trials: 2,
    epochs: 12,
    fineTune: 'false',
    split: { train: 0.6, val: 0.2, test: 0.2 },
    workers: 1,
    engine: 'onnx',
    review: false,
    augment: 'off',
  });
}

/**
 * train()'s stages over one run context, as pipeline.ts runs them; `beforeEnsembles` may
 * change what the bake-off found before the ensemble stage reads it. Returns the result and
 * the winner's in-run test probabilities (temperature applied), read before the run frees it.
 */
async function runStages(
  opts: TrainOptions,
  beforeEnsembles?: (run: RunContext) => void,
): Promise<{ result: RunResult; inRun: Float32Array; tests: string[] }> {
  const now = () => performance.now();
  const engine = await chooseInferenceEngine({ engine: 'onnx', device: 'cpu', tfjs: tfjsBackend, tfjsWorkers: 1, cacheDir: opts.cacheDir });
  const run = createRunContext({
    options: opts,
    log: silentLogger,
    now,
    budget: planBudget(now(), opts.budgetSeconds),
    backend: tfjsBackend,
    engine,
    models: new LiveModels(null),
  });
  try {
    for (const stage of STAGES) {
      if (stage.name === 'ensemble') beforeEnsembles?.(run);
      await stage.run(run);
    }
    const { prepared, fitted } = run.models.winner;
    const labels = run.found.dataset!.labels;
    const inRun = applyTemperature(predictProbabilities(fitted, prepared.test), labels.length, run.found.calibration?.temperature ?? 1);
    const tests = run.found.dataset!.images.filter((i) => i.split === 'test').map((i) => i.path);
    run.timings.push({ stage: 'total', seconds: 1 });
    const result = RunResult.parse(buildRunResult(run, { startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), usedSeconds: 1 }));
    return { result, inRun, tests };
  } finally {
    await run.models.dispose();
  }
}

test('a run tries the ensemble: a row of the bake-off table and the report; exported only when the rule picks it', async () => {
  const opts = options(sampleSubset(10, ['bag', 'sneaker', 'trouser']));
  const { result } = await runStages(opts);
  const row = result.bakeOff.candidates.find((c) => c.ensemble);
  assert.ok(row, 'the ensemble is a row of the bake-off table');
  assert.deepEqual([...row.ensemble!.members].sort(), ['hog@32', 'mobilenet_v2@64+taps'], 'HOG is pooled from 64 to 32 (one whole factor)');
  assert.equal(row.backbone, `ensemble(${row.ensemble!.members.join(', ')})`);
  assert.equal(row.featureDim, 576 + 960 + 1280 + 8 * 8 * 16);
  assert.ok(row.cv && row.cv.folds >= 2, `cross-validated as any candidate: ${JSON.stringify(row.cv)}`);
  assert.ok(result.timings.some((t) => t.stage === 'ensemble'));
  // The rule: the ensemble counts as its least trusted member and costs both, so it wins only clear of every other estimate.
  const others = result.bakeOff.candidates.filter((c) => c !== row && c.cv);
  const clear = others.every((c) => c.cv!.mean < row.cv!.low) && others.every((c) => c.cv!.mean < row.cv!.mean);
  assert.equal(result.bakeOff.winner === row.backbone, clear, `winner ${result.bakeOff.winner}: ${result.bakeOff.selection?.reason}`);
  const preprocessing = JSON.parse(readFileSync(join(opts.outDir, 'model', 'preprocessing.json'), 'utf8')) as { backbone: string; inputSize: number };
  assert.equal(preprocessing.backbone, result.bakeOff.winner, 'the exported model is the winner');
  assert.equal(
    result.model.layers.some((l) => l.name === 'ensemble_features'),
    clear,
    'the ensemble graph is exported only when it wins',
  );
  assert.match(row.displayName, /^ensemble: (MobileNetV2 @64, 3 depths|HOG \(8×8 cells\) @32 \(pooled from 64\)) \+ /);
  // The report keeps @ from becoming a mention with a word joiner after it.
  assert.ok(
    renderMarkdown(result).includes(`| ${row.displayName.replaceAll('@', '@\u2060')} | 64 | ${(row.cv.mean * 100).toFixed(1)}%`),
    'the report lists the ensemble with its estimate',
  );
});

test('an ensemble that wins is exported as one model: model.json and model.onnx give the probabilities the run computed', async () => {
  const opts = options(sampleSubset(10, ['bag', 'sneaker', 'trouser']));
  // The members' estimates lowered: the real ensemble (real features, real head, real folds) then clears them by the rule.
  const { result, inRun, tests } = await runStages(opts, (run) => {
    for (const t of run.found.trained!) t.entry = { ...t.entry, scores: { folds: [0.3, 0.32, 0.31] } };
  });
  const row = result.bakeOff.candidates.find((c) => c.ensemble)!;
  assert.equal(result.bakeOff.winner, row.backbone, result.bakeOff.selection?.reason);
  assert.ok(result.bakeOff.selection!.reason.startsWith(`${row.displayName} has the best estimate`), result.bakeOff.selection!.reason);
  assert.equal(result.model.inputSize, 64);
  assert.equal(result.model.onnx?.written, true, JSON.stringify(result.model.onnx));
  const layer = (name: string) => result.model.layers.find((l) => l.name === name)?.className;
  const hog = row.ensemble!.members.indexOf('hog@32') + 1;
  assert.equal(layer(`e${hog}_resize`), 'AveragePooling2D', 'HOG reads the input pooled by 2, in the graph');
  assert.equal(layer(`e${3 - hog}_taps_concat`), 'Concatenate');
  assert.equal(layer('ensemble_features'), 'Concatenate');
  const dir = join(opts.outDir, 'model');
  const pixels = await decodeBatch(
    tests.map((path) => ({ path })),
    64,
    DEFAULTS.maxPixels,
  );
  for (const engine of ['tfjs', 'onnx'] as const) {
    const classifier = await loadClassifier(dir, { engine });
    try {
      assert.equal(classifier.inputSize, 64);
      const got = await classifier.classifyPixels(pixels, tests.length);
      assert.equal(got.length, inRun.length);
      assert.ok(maxDifference(got, inRun) <= 1e-3, `${engine}: probabilities differ by ${maxDifference(got, inRun)}`);
    } finally {
      await classifier.dispose();
    }
  }
});

test('when the bake-off’s pick stands, its reason and runner-up weigh the ensemble too', async () => {
  const opts = options(sampleSubset(10, ['bag', 'sneaker', 'trouser']));
  let pick = '';
  // The pick scores perfectly on every fold, so no ensemble can clear it; the other candidate scores far below anything.
  const { result } = await runStages(opts, (run) => {
    pick = run.models.winner.prepared.spec.id;
    for (const t of run.found.trained!) t.entry = { ...t.entry, scores: { folds: t.entry.id === pick ? [1, 1, 1, 1, 1] : [0.1, 0.1, 0.1] } };
  });
  const row = result.bakeOff.candidates.find((c) => c.ensemble && c.cv)!;
  assert.ok(row, 'the ensemble was tried');
  assert.equal(result.bakeOff.winner, pick);
  assert.equal(result.bakeOff.selection!.runnerUp, row.backbone, 'the ensemble, which the table ranks second, is the runner-up');
});

test('when the ensembles move the noise band, the candidate the rule then prefers becomes the winner, reloaded and exported', async () => {
  const opts = options(sampleSubset(10, ['bag', 'sneaker', 'trouser']));
  let bakeOffPick = '';
  let preferred = '';
  // The bake-off's pick is made to score far below the other candidate, which scores perfectly: the rule over everything prefers the other.
  const { result, inRun, tests } = await runStages(opts, (run) => {
    bakeOffPick = run.models.winner.prepared.spec.id;
    for (const t of run.found.trained!) {
      const mine = t.entry.id === bakeOffPick;
      if (!mine) preferred = t.entry.id;
      t.entry = { ...t.entry, scores: { folds: mine ? [0.3, 0.32, 0.31] : [1, 1, 1, 1, 1] } };
    }
  });
  assert.ok(preferred && preferred !== bakeOffPick);
  assert.equal(result.bakeOff.winner, preferred, result.bakeOff.selection?.reason);
  assert.equal(result.tuning.backbone, preferred);
  assert.match(result.bakeOff.selection!.reason, /^(HOG|MobileNetV2)/);
  const dir = join(opts.outDir, 'model');
  const preprocessing = JSON.parse(readFileSync(join(dir, 'preprocessing.json'), 'utf8')) as { backbone: string };
  assert.equal(preprocessing.backbone, preferred, 'the exported model is the one the rule preferred');
  // Its backbone was loaded again: the exported model gives the probabilities the run computed with it.
  const classifier = await loadClassifier(dir, { engine: 'tfjs' });
  try {
    const pixels = await decodeBatch(
      tests.map((path) => ({ path })),
      classifier.inputSize,
      DEFAULTS.maxPixels,
    );
    const got = await classifier.classifyPixels(pixels, tests.length);
    assert.ok(maxDifference(got, inRun) <= 1e-3, `probabilities differ by ${maxDifference(got, inRun)}`);
  } finally {
    await classifier.dispose();
  }
});
