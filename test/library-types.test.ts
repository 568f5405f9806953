/**
 * The library's types as a TypeScript user gets them: a project outside this repository that
 * has classifier-ci in its node_modules (a symlink to this checkout) and compiles strict code
 * against it with tsc. Its API must resolve to real types (dist/lib.d.ts, through package.json
 * "exports"), not to `any`: misusing a result must fail to compile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const USE = `import { DEFAULTS, evaluateFolder, loadClassifier, train, silentLogger, InputError, type Classification, type FolderEvaluation, type RunResult, type TrainOptions } from 'classifier-ci';

const classifier = await loadClassifier('model', { tta: false });
const result: Classification = await classifier.classify('photo.jpg');
const label: string = result.label;
const confidence: number = result.probabilities[label];
const elsewhere: FolderEvaluation = await evaluateFolder(classifier, 'model', 'other-photos');
const gap: number | undefined = elsewhere.gap?.mean;
await classifier.dispose();

const options: TrainOptions = { ...DEFAULTS, datasetPath: 'dataset', outDir: 'runs/a', cacheDir: '.cache', workers: 2, budgetSeconds: 90 };
const run: RunResult = await train(options, { log: silentLogger });
const accuracy: number = run.test.accuracy;
export const seen = [confidence, accuracy, gap, elsewhere.metrics.accuracy, new InputError('x', 'y').message];
`;

const MISUSE = `import { loadClassifier } from 'classifier-ci';
const classifier = await loadClassifier('model');
export const labels: number = classifier.labels;
await loadClassifier('model', { onnxOnly: true });
`;

async function compile(source: string): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-types-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'classifier-ci'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'use.ts'), source);
    const compilerOptions = {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      // Node's own types, from this checkout (the project has no node_modules of its own).
      typeRoots: [join(root, 'node_modules', '@types')],
      types: ['node'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['use.ts'] }));
    try {
      const { stdout } = await run(process.execPath, [tsc, '-p', dir]);
      return { ok: true, output: stdout };
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      return { ok: false, output: `${stdout}${stderr}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a TypeScript project compiles strict code against the library’s types, and misuses of them fail', async () => {
  const used = await compile(USE);
  assert.ok(used.ok, used.output);
  const misused = await compile(MISUSE);
  assert.equal(misused.ok, false, 'labels is a string[]: assigning it to a number must not compile');
  assert.match(misused.output, /use\.ts\(3,14\): error TS2322: Type 'string\[\]' is not assignable to type 'number'/);
  // What loadClassifier sets for itself is not part of the options a caller may pass.
  assert.match(misused.output, /use\.ts\(4,\d+\): error TS2353: Object literal may only specify known properties, and 'onnxOnly' does not exist/);
});
