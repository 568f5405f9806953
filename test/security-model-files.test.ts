/**
 * Model folders a pull request (or a downloaded artifact) controls: a weightsManifest path
 * must be a plain relative name that stays inside the model's folder after symlinks. One
 * table of hostile manifests, run against every reader of those paths: the bake-off's loader,
 * the export's copy of a user backbone, and loadClassifier (head and backbone/).
 */
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { loadModelSource } from '../src/core/backbones/source.js';
import { loadBackbone, parseBackboneSpec, type FeatureExtractor } from '../src/core/backbones/zoo.js';
import { InputError } from '../src/core/errors.js';
import { loadClassifier } from '../src/core/model/classifier.js';
import { exportModel } from '../src/core/model/export.js';
import type { FittedModel, PreparedCandidate } from '../src/core/model/fitted.js';
import type { TestMetrics } from '../src/core/result.js';
import { tempDir } from './helpers/datasets.js';
import { saveTinyConvModel } from './helpers/models.js';

await ensureBackend();

const SECRET = 'url = https://x-access-token:ghs_secret@github.com/o/r\n';

interface Hostile {
  name: string;
  /** Turns a saved tiny model folder into a hostile one; returns the manifest path to list. */
  plant(modelDir: string, repoRoot: string): string;
  message: RegExp;
}

const notPlain =
  /lists weight file .*, which is not a plain relative name inside its folder \(letters, digits, "\.", "_", "-" and "\/" only; no "\.\.", no absolute paths\)\. Refused\.$/;
const leavesFolder = /lists weight file ".*", a symbolic link that leads out of the model's folder\. Refused; copy the file into the folder instead\.$/;

/** The attacks: each would read `.git/config` (with a token in it) or a runner file. */
const HOSTILE: Hostile[] = [
  { name: 'climbing to .git/config', plant: () => '../../.git/config', message: notPlain },
  { name: 'an absolute path', plant: () => '/etc/passwd', message: notPlain },
  { name: 'percent-encoded dots', plant: () => '%2e%2e/%2e%2e/.git/config', message: notPlain },
  { name: 'a backslash climb', plant: () => '..\\..\\.git\\config', message: notPlain },
  { name: 'a dot folder', plant: () => './weights.bin', message: notPlain },
  {
    name: 'a committed symlink to /etc/passwd',
    plant: (dir) => {
      symlinkSync('/etc/passwd', join(dir, 'passwd.bin'));
      return 'passwd.bin';
    },
    message: leavesFolder,
  },
  {
    name: 'a file in a symlinked folder that points at the repository',
    plant: (dir, root) => {
      symlinkSync(join(root, '.git'), join(dir, 'shards'));
      return 'shards/config';
    },
    message: leavesFolder,
  },
];

/** A repository with a secret in .git/config and the tiny model under models/tiny/. */
async function repoWithModel(): Promise<{ root: string; modelDir: string }> {
  const root = tempDir();
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.git', 'config'), SECRET);
  const modelDir = join(root, 'models', 'tiny');
  await saveTinyConvModel(modelDir);
  return { root, modelDir };
}

/** Rewrites model.json in `dir` so its manifest lists `path` (after the real weights). */
function listPath(modelJson: string, path: string): void {
  const json = JSON.parse(readFileSync(modelJson, 'utf8'));
  json.weightsManifest[0].paths.push(path);
  writeFileSync(modelJson, JSON.stringify(json));
}

async function refused(work: Promise<unknown>, message: RegExp, name: string): Promise<void> {
  await assert.rejects(work, (e: unknown) => {
    assert.ok(e instanceof InputError, `${name}: expected an InputError, got ${String(e)}`);
    assert.match(e.message, message, name);
    assert.ok(!e.message.includes('ghs_secret'), `${name}: the secret is not echoed`);
    return true;
  });
}

/** Every file under `dir`, read: none may hold the secret or a passwd line. */
function leaked(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => {
      try {
        const text = readFileSync(join(dir, f), 'utf8');
        return text.includes('ghs_secret') || text.includes('root:x:0');
      } catch {
        return false;
      }
    });
}

test('the loader refuses every hostile weight path, naming model.json and the path', async () => {
  for (const hostile of HOSTILE) {
    const { root, modelDir } = await repoWithModel();
    const path = hostile.plant(modelDir, root);
    listPath(join(modelDir, 'model.json'), path);
    const message = new RegExp(`^${join(modelDir, 'model.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${hostile.message.source}`);
    await refused(loadModelSource(join(modelDir, 'model.json'), tempDir()), message, hostile.name);
    await refused(loadBackbone(parseBackboneSpec(`${join(modelDir, 'model.json')}@16`), { cacheDir: tempDir() }), hostile.message, hostile.name);
  }
});

test('plain names in subfolders, and symlinks that stay inside the folder, still load', async () => {
  const { modelDir } = await repoWithModel();
  mkdirSync(join(modelDir, 'shards'));
  writeFileSync(join(modelDir, 'shards', 'group1-shard1of1.bin'), readFileSync(join(modelDir, 'weights.bin')));
  symlinkSync('shards/group1-shard1of1.bin', join(modelDir, 'linked.bin'));
  const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
  for (const path of ['shards/group1-shard1of1.bin', 'linked.bin']) {
    json.weightsManifest[0].paths = [path];
    writeFileSync(join(modelDir, 'model.json'), JSON.stringify(json));
    const source = await loadModelSource(join(modelDir, 'model.json'), tempDir());
    assert.equal(source.kind, 'layers', path);
  }
});

test('a local model.json can be pinned with sha256= like a downloaded one', async () => {
  const { modelDir } = await repoWithModel();
  const json = join(modelDir, 'model.json');
  const right = createHash('sha256').update(readFileSync(json)).digest('hex');
  const pinned = await loadBackbone(parseBackboneSpec(`${json}@16,sha256=${right}`), { cacheDir: tempDir() });
  pinned.dispose();
  const wrong = 'f'.repeat(64);
  await refused(
    loadBackbone(parseBackboneSpec(`${json}@16,sha256=${wrong}`), { cacheDir: tempDir() }),
    new RegExp(`model\\.json has sha256 ${right}, not the pinned ${wrong}\\.`),
    'wrong pin',
  );
});

/** A fitted linear head on the tiny backbone's 4 pooled features, 2 labels. */
function fittedHead(): FittedModel {
  return {
    head: {
      weights: {
        mean: new Float32Array(4),
        std: new Float32Array(4).fill(1),
        dense: [{ kernel: Float32Array.from([1, -1, 0.5, -0.5, 0.2, 0.1, -0.3, 0.3]), bias: new Float32Array(2), inDim: 4, outDim: 2 }],
      },
      curve: [],
      bestEpoch: 0,
      valAccuracy: 1,
      valLoss: 0,
      stoppedByDeadline: false,
    },
    config: { solver: 'adam', learningRate: 0.01, batchSize: 8, hiddenUnits: [], dropout: 0, weightDecay: 0, labelSmoothing: 0, epochs: 1 },
    seconds: 0,
  };
}

function candidate(extractor: FeatureExtractor, sourceDir: string): PreparedCandidate {
  const none = { x: new Float32Array(0), y: new Int32Array(0), rows: 0 };
  return {
    spec: extractor.spec,
    displayName: extractor.displayName,
    kind: 'frozen',
    featureDim: 4,
    backboneParams: extractor.params,
    train: none,
    val: none,
    test: none,
    // The tiny model is not a Keras functional graph: the export copies its files as backbone/.
    extractor: { ...extractor, topology: null, sourceDir },
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
  };
}

const exportTo = (dir: string, prepared: PreparedCandidate) =>
  exportModel({ dir, displayDir: dir, prepared, fitted: fittedHead(), labels: ['a', 'b'], metrics: {} as TestMetrics });

test('the export copies no hostile weight path into the artifact, and writes nothing outside model/', async () => {
  for (const hostile of HOSTILE) {
    const { root, modelDir } = await repoWithModel();
    const extractor = await loadBackbone(parseBackboneSpec(`${join(modelDir, 'model.json')}@16`), { cacheDir: tempDir() });
    try {
      // Changed after the bake-off read it: the export checks again rather than trusting the first look.
      listPath(join(modelDir, 'model.json'), hostile.plant(modelDir, root));
      const out = join(tempDir(), 'run');
      await refused(exportTo(join(out, 'model'), candidate(extractor, modelDir)), hostile.message, hostile.name);
      assert.deepEqual(leaked(out), [], `${hostile.name}: nothing secret in the output`);
      assert.ok(!existsSync(join(out, 'model', 'model.json')), `${hostile.name}: no model was written`);
    } finally {
      extractor.dispose();
    }
  }
});

test('loadClassifier on a model folder from elsewhere: a hostile head manifest or backbone/ manifest is refused', async () => {
  const { modelDir } = await repoWithModel();
  const extractor = await loadBackbone(parseBackboneSpec(`${join(modelDir, 'model.json')}@16`), { cacheDir: tempDir() });
  const model = join(tempDir(), 'model');
  await exportTo(model, candidate(extractor, modelDir));
  extractor.dispose();
  // The honest folder loads and classifies.
  const honest = await loadClassifier(model);
  assert.equal((await honest.classifyPixels(new Uint8Array(16 * 16 * 3).fill(90), 1)).length, 2);
  await honest.dispose();

  for (const hostile of HOSTILE) {
    for (const json of [join(model, 'model.json'), join(model, 'backbone', 'model.json')]) {
      const original = readFileSync(json);
      const folder = join(json, '..');
      const root = tempDir();
      mkdirSync(join(root, '.git'), { recursive: true });
      writeFileSync(join(root, '.git', 'config'), SECRET);
      const path = hostile.plant(folder, root);
      listPath(json, path);
      try {
        await refused(loadClassifier(model), hostile.message, `${hostile.name} in ${json}`);
      } finally {
        writeFileSync(json, original);
        for (const planted of ['passwd.bin', 'shards']) rmSync(join(folder, planted), { force: true });
      }
    }
  }
});
