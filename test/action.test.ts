/**
 * Unit tests of the action's parts: inputs, log escaping (workflow-command injection), cache
 * keys, the sticky comment, the image host and the baseline. The REST parts run the real
 * Octokit client against the loopback fake of GitHub (test/fakes/github-server.ts).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { zipSync } from 'fflate';
import { findBaseline, workflowPathFromRef } from '../src/action/baseline.js';
import { cacheKeys, restoreEmbeddingCache, saveEmbeddingCache } from '../src/action/cache.js';
import { Inputs, Outputs } from '../src/action/constants.js';
import { commentMarker, fitComment, upsertCommitComment, upsertPullRequestComment } from '../src/action/comment.js';
import { githubClient } from '../src/action/github.js';
import { assetPath, NO_PERMISSION_NOTE, RepoImageHost } from '../src/action/image-host.js';
import { readInputs } from '../src/action/inputs.js';
import { actionLogger, annotationPath, neutralise } from '../src/action/log.js';
import { ensureRuntime } from '../src/action/runtime.js';
import { readdirSync } from 'node:fs';
import { InputError } from '../src/core/errors.js';
import { baselineRunResult } from './fixtures/run-results.js';
import { startFakeGitHub, type FakeGitHub } from './fakes/github-server.js';
import { captureStdout as captureStdoutAsync } from './fakes/runner.js';

/** Runs `work` and returns what it wrote to stdout (where @actions/core writes commands). */
function captureStdout(work: () => void): string {
  const original = process.stdout.write;
  let out = '';
  process.stdout.write = (chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  try {
    work();
  } finally {
    process.stdout.write = original;
  }
  return out;
}

const dirs = { outDir: '/tmp/out', cacheDir: '/tmp/cache', workspace: '/repo' };
const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('inputs', () => {
  it('fills defaults and resolves paths against the working directory', () => {
    const inputs = readInputs(dirs, reader({ 'working-directory': 'ml' }));
    assert.equal(inputs.train.datasetPath, '/repo/ml/dataset');
    assert.equal(inputs.datasetInput, 'dataset');
    assert.deepEqual(inputs.train.backbones, ['auto']);
    assert.equal(inputs.train.budgetSeconds, 600);
    assert.equal(inputs.train.augment, 'off');
    assert.deepEqual(inputs.train.split, { train: 0.7, val: 0.15, test: 0.15 });
    assert.equal(inputs.comment, 'auto');
    assert.equal(inputs.imageHost, 'repo');
    assert.equal(inputs.cache, true);
    assert.equal(inputs.baseline, 'auto');
    assert.equal(inputs.artifactName, 'classifier-ci-model');
    assert.equal(inputs.retentionDays, undefined);
    assert.equal(inputs.nativeBackend, 'auto');
    assert.equal(inputs.train.device, 'auto');
  });

  it('parses lists, numbers, splits and choices', () => {
    const inputs = readInputs(
      dirs,
      reader({
        'dataset-path': 'data/pets.zip',
        backbones: 'mobilenet_v2@160,\nsmall_cnn',
        'budget-seconds': '90',
        trials: '4',
        epochs: '10',
        split: '80/10/10',
        seed: '3',
        comment: 'ALWAYS',
        'image-host': 'none',
        cache: 'false',
        baseline: 'none',
        'retention-days': '7',
        'fine-tune': 'false',
        augment: 'crop, colour',
        'native-backend': 'cpu',
      }),
    );
    assert.equal(inputs.train.datasetPath, '/repo/data/pets.zip');
    assert.deepEqual(inputs.train.backbones, ['mobilenet_v2@160', 'small_cnn']);
    assert.equal(inputs.train.budgetSeconds, 90);
    assert.equal(inputs.train.trials, 4);
    assert.equal(inputs.train.epochs, 10);
    assert.deepEqual(inputs.train.split, { train: 0.8, val: 0.1, test: 0.1 });
    assert.equal(inputs.train.seed, 3);
    assert.equal(inputs.train.fineTune, 'false');
    assert.deepEqual(inputs.train.augment, ['crop', 'colour']);
    assert.equal(inputs.comment, 'always');
    assert.equal(inputs.imageHost, 'none');
    assert.equal(inputs.cache, false);
    assert.equal(inputs.baseline, 'none');
    assert.equal(inputs.retentionDays, 7);
    assert.equal(inputs.nativeBackend, 'cpu');
    assert.equal(inputs.train.device, 'cpu', 'no CUDA provider in the cpu runtime set');
  });

  it('reports every bad input at once, each with the valid values', () => {
    let error: unknown;
    try {
      readInputs(
        dirs,
        reader({
          comment: 'sometimes',
          'image-host': 'imgur',
          cache: 'maybe',
          'budget-seconds': 'ten',
          split: '1,2,3',
          'retention-days': '400',
          'artifact-name': 'a/b',
          augment: 'mirror',
        }),
      );
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof InputError);
    const message = error.message;
    assert.match(message, /^8 inputs need fixing:/);
    assert.match(message, /augment must be auto, off, or a comma-separated list of crop, flip, colour, rotate; got "mirror" \(unknown: mirror\)/);
    assert.match(message, /comment: "sometimes" is not valid; use one of: auto, always, never\./);
    assert.match(message, /image-host: "imgur" is not valid; use one of: repo, none\./);
    assert.match(message, /cache: "maybe" is not valid; use one of: true, false\./);
    assert.match(message, /budget-seconds: "ten" is not a number\./);
    assert.match(message, /\n- Split "1,2,3" sums to 6/);
    assert.match(message, /retention-days: 400 is out of range; use 1 to 90/);
    assert.match(message, /artifact-name: "a\/b" contains a character/);
  });

  it('passes range checks to the engine validation', () => {
    assert.throws(() => readInputs(dirs, reader({ trials: '0' })), { name: 'InputError', message: 'trials must be a positive whole number, got 0.' });
    assert.throws(() => readInputs(dirs, reader({ epochs: '2.5' })), { name: 'InputError', message: 'epochs: "2.5" is not a whole number.' });
  });

  it('passes max-pixels into the training options', () => {
    assert.equal(readInputs(dirs, reader({})).train.maxPixels, 100_000_000);
    assert.equal(readInputs(dirs, reader({ 'max-pixels': '25000000' })).train.maxPixels, 25_000_000);
    assert.equal(readInputs(dirs, reader({ 'max-pixels': '1e9' })).train.maxPixels, 1_000_000_000);
  });

  it('refuses a max-pixels that is not a whole number above 0, with one message naming the input', () => {
    for (const bad of ['0', '-5', '1.5', 'lots', 'Infinity', '1e400']) {
      assert.throws(() => readInputs(dirs, reader({ 'max-pixels': bad })), {
        name: 'InputError',
        message: `max-pixels: "${bad}" is not valid; use a whole number of pixels above 0 (default 100000000, 100 megapixels).`,
      });
    }
  });

  it('masks the token before anything else', () => {
    const out = captureStdout(() => readInputs(dirs, reader({ 'github-token': 'ghs_secret123' })));
    assert.equal(out, '::add-mask::ghs_secret123\n');
  });
});

describe('log: no workflow-command injection from file names or messages', () => {
  const options = { datasetPath: '/repo/data', workspace: '/repo' };

  it('neutralise breaks command markers and line breaks, keeping the text readable', () => {
    assert.equal(neutralise('plain text: fine'), 'plain text: fine');
    const text = neutralise('::set-output name=x::1\n::add-mask::y\r\n##[error]z %0A%0D');
    assert.ok(!text.includes('::'), text);
    assert.ok(!text.includes('##['), text);
    assert.ok(!/[\r\n]/.test(text), text);
    assert.ok(text.includes('%0A%0D'), 'percent escapes stay literal');
    assert.equal(text.replace(/\u2060/g, ''), '::set-output name=x::1\\n::add-mask::y\\r\\n##[error]z %0A%0D');
  });

  it('info with a hostile file name prints one harmless line', () => {
    const out = captureStdout(() => actionLogger(options).info('Skipped bag/evil.png\n::set-output name=accuracy::1.0'));
    assert.equal(out.split('\n').length, 2, out);
    assert.ok(!out.startsWith('::') && !out.includes('\n::'), out);
    const leading = captureStdout(() => actionLogger(options).info('::set-output name=accuracy::1.0'));
    assert.ok(!leading.startsWith('::'), leading);
  });

  it('a warning about a hostile file is one annotation on the right file, with the name escaped', () => {
    const file = 'bag/x::set-output name=a::b%0A\n::error::boom.png';
    const out = captureStdout(() => actionLogger(options).warn('Cannot decode bag/x.png\n::error::boom', { file }));
    const lines = out.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, out);
    const line = lines[0];
    assert.ok(line.startsWith('::warning title=classifier-ci,file=data/bag/x'), line);
    // Inside the command, `:` `%` and line breaks in the file property are percent-encoded by @actions/core,
    // so the only `::` are the command's own two separators.
    assert.equal(line.match(/::/g)!.length, 2, line);
    assert.ok(line.includes('x%3A%3Aset-output name=a%3A%3Ab%250A%0A%3A%3Aerror%3A%3Aboom.png'), line);
  });

  it('stage groups do not nest and progress is throttled', () => {
    const log = actionLogger(options);
    const out = captureStdout(() => {
      log.stage('one');
      const close = log.stage('two');
      for (let i = 0; i <= 100; i++) log.progress('Embedding', i, 100);
      close();
      close();
    });
    assert.deepEqual(out.trim().split('\n'), [
      '::group::one',
      '::endgroup::',
      '::group::two',
      '  Embedding: 0/100',
      '  Embedding: 25/100',
      '  Embedding: 50/100',
      '  Embedding: 75/100',
      '  Embedding: 100/100',
      '::endgroup::',
    ]);
  });

  it('annotation paths are relative to the repository', () => {
    assert.equal(annotationPath(options, 'bag/a.png'), 'data/bag/a.png');
    assert.equal(annotationPath({ ...options, datasetPath: '/repo' }, 'bag/a.png'), 'bag/a.png');
    assert.equal(annotationPath({ datasetPath: '/repo/d.zip', workspace: '/repo', datasetIsZip: true }, 'bag/a.png'), 'd.zip');
  });
});

describe('cache keys', () => {
  const SCOPE = { workflow: '.github/workflows/train.yml', job: 'train' };
  it("are saved under the dataset's content fingerprint and restored by prefix", () => {
    const keys = cacheKeys(['mobilenet_v2', 'small_cnn'], SCOPE, 'linux-x64');
    const saved = keys.save('ab'.repeat(32));
    assert.match(saved, /^classifier-ci-v1-linux-x64-[0-9a-f]{12}-[0-9a-f]{12}-abababababababab$/);
    for (const prefix of keys.restore) assert.ok(saved.startsWith(prefix));
    // An edit that keeps every file's size still changes the content fingerprint, so the key.
    assert.notEqual(keys.save('cd'.repeat(32)), saved);
    assert.equal(cacheKeys(['small_cnn', 'mobilenet_v2'], SCOPE, 'linux-x64').save('ab'.repeat(32)), saved, 'backbone order does not matter');
    assert.notEqual(cacheKeys(['inception_v3'], SCOPE, 'linux-x64').restore[0], keys.restore[0]);
    assert.equal(cacheKeys(['inception_v3'], SCOPE, 'linux-x64').restore[1], keys.restore[1], 'any backbones: the last fallback');
  });

  it('a missing cache service is a warning that says why, and nothing is saved', async () => {
    const saved = { ...process.env };
    process.env.ACTIONS_CACHE_SERVICE_V2 = 'true';
    delete process.env.ACTIONS_RESULTS_URL;
    try {
      const keys = cacheKeys(['small_cnn'], SCOPE, 'linux-x64');
      let restored: Awaited<ReturnType<typeof restoreEmbeddingCache>> | undefined;
      const out = await captureStdoutAsync(async () => {
        restored = await restoreEmbeddingCache('/tmp/no-such-cache', keys);
      });
      assert.equal(
        out,
        '::warning::The embedding cache is off: this job has no Actions cache service (ACTIONS_RESULTS_URL is not set). Training goes on and computes every embedding.\n',
      );
      assert.deepEqual(restored, { available: false });
      const again = await captureStdoutAsync(async () => assert.equal(await saveEmbeddingCache('/tmp/no-such-cache', keys, 'ab'.repeat(32), restored!), false));
      assert.equal(again, '', 'one warning per run is enough');
    } finally {
      process.env = saved;
    }
  });
});

describe('against the fake GitHub', () => {
  let fake: FakeGitHub;
  const saved = { ...process.env };
  before(async () => {
    fake = await startFakeGitHub({ restToken: 'ghs_unit' });
    process.env.GITHUB_API_URL = fake.apiUrl;
  });
  after(async () => {
    process.env = saved;
    await fake.close();
  });
  const repo = () => ({ owner: fake.owner, repo: fake.repo });

  describe('sticky comment', () => {
    it('is created once and then updated in place, one per workflow and dataset', async () => {
      const octokit = githubClient('ghs_unit');
      const marker = commentMarker('Train', 'dataset');
      assert.match(marker, /^<!-- classifier-ci:report:[0-9a-f]{16} -->$/);
      await octokit.rest.issues.createComment({ ...repo(), issue_number: 3, body: 'an unrelated comment' });
      const first = await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 3 }, marker, `${marker}\nfirst`);
      const second = await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 3 }, marker, `${marker}\nsecond`);
      assert.equal(first.updated, false);
      assert.equal(second.updated, true);
      assert.equal(second.id, first.id);
      const other = await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 3 }, commentMarker('Train', 'other-dataset'), 'other');
      assert.notEqual(other.id, first.id);
      const bodies = fake.commentsOn(3).map((c) => c.body);
      assert.deepEqual(bodies, ['an unrelated comment', `${marker}\nsecond`, 'other']);
    });

    it('finds its comment beyond the first page', async () => {
      const octokit = githubClient('ghs_unit');
      const marker = commentMarker('Train', 'paged');
      await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 4 }, marker, `${marker}\nv1`);
      for (let i = 0; i < 120; i++) await octokit.rest.issues.createComment({ ...repo(), issue_number: 4, body: `chatter ${i}` });
      const again = await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 4 }, marker, `${marker}\nv2`);
      assert.equal(again.updated, true);
      assert.equal(fake.commentsOn(4).filter((c) => c.body.includes(marker)).length, 1);
    });

    it('works on commits too', async () => {
      const octokit = githubClient('ghs_unit');
      const marker = commentMarker('Train', 'dataset');
      const sha = 'd'.repeat(40);
      const a = await upsertCommitComment(octokit, { ...repo(), sha }, marker, `${marker}\na`);
      const b = await upsertCommitComment(octokit, { ...repo(), sha }, marker, `${marker}\nb`);
      assert.equal(b.id, a.id);
      assert.equal(fake.commentsOn(sha).length, 1);
    });

    it("fits GitHub's 65,536-character limit, keeping the marker and ending with the link", () => {
      const marker = commentMarker('Train', 'dataset');
      const long = Array.from({ length: 5000 }, (_, i) => `| row ${i} | ${'x'.repeat(20)} |`).join('\n');
      const body = fitComment(marker, long, 'Full report: [artifact](https://example.test/a)');
      assert.ok(body.length <= 65_536, String(body.length));
      assert.ok(body.startsWith(`${marker}\n| row 0 |`));
      assert.ok(body.endsWith('Full report: [artifact](https://example.test/a)'));
      assert.match(body, /\|\n\n…\n\nFull report/, 'cut at a line break');
      assert.equal(fitComment(marker, 'short', 'tail'), `${marker}\nshort`);
    });
  });

  describe('image host', () => {
    const png = (text: string) => ({ name: `${text}.png`, bytes: new TextEncoder().encode(`PNG ${text}`), contentType: 'image/png' });

    it('commits all charts of a run to an orphan branch in one commit, content-addressed', async () => {
      const host = new RepoImageHost(githubClient('ghs_unit'), { ...repo(), serverUrl: 'https://github.com' });
      const urls = await host.publish([png('leaderboard'), png('confusion')]);
      assert.equal(urls.size, 2);
      const head = fake.gitRefs.get('refs/heads/classifier-ci-assets')!;
      assert.deepEqual(fake.gitCommits.get(head)!.parents, [], 'orphan: no parents');
      const files = fake.branchFiles('classifier-ci-assets');
      assert.equal(files.size, 2);
      for (const file of [png('leaderboard'), png('confusion')]) {
        const path = assetPath(file);
        assert.match(path, /^charts\/[0-9a-f]{32}\.png$/);
        assert.deepEqual(new Uint8Array(files.get(path)!), file.bytes);
        assert.equal(urls.get(file.name), `https://github.com/${fake.owner}/${fake.repo}/raw/classifier-ci-assets/${path}`);
      }
      assert.equal(host.note, undefined);
    });

    it('adds nothing for a chart already stored, and extends the branch for a new one', async () => {
      const before = fake.gitRefs.get('refs/heads/classifier-ci-assets')!;
      const commits = fake.gitCommits.size;
      const host = new RepoImageHost(githubClient('ghs_unit'), { ...repo(), serverUrl: 'https://github.com' });
      const url = await host.put('leaderboard.png', png('leaderboard').bytes, 'image/png');
      assert.ok(url?.endsWith(assetPath(png('leaderboard'))));
      assert.equal(fake.gitRefs.get('refs/heads/classifier-ci-assets'), before, 'same content, no new commit');
      assert.equal(fake.gitCommits.size, commits);
      await host.put('curves.png', png('curves').bytes, 'image/png');
      const after = fake.gitRefs.get('refs/heads/classifier-ci-assets')!;
      assert.deepEqual(fake.gitCommits.get(after)!.parents, [before]);
      assert.equal(fake.branchFiles('classifier-ci-assets').size, 3);
    });

    it('without contents: write returns null and a note on how to enable images', async () => {
      fake.faults = { git: 403 };
      try {
        const host = new RepoImageHost(githubClient('ghs_unit'), { ...repo(), serverUrl: 'https://github.com' });
        assert.equal(await host.put('new.png', png('new').bytes, 'image/png'), null);
        assert.equal(host.note, NO_PERMISSION_NOTE);
        assert.match(host.note, /permissions: contents: write/);
        assert.equal(host.enabled, false);
      } finally {
        fake.faults = {};
      }
    });

    it('a failing service is a problem for a warning, not an exception', async () => {
      fake.faults = { git: 500 };
      try {
        const host = new RepoImageHost(githubClient('ghs_unit'), { ...repo(), serverUrl: 'https://github.com' });
        assert.equal(await host.put('new.png', png('new').bytes, 'image/png'), null);
        assert.equal(host.note, undefined);
        assert.match(host.problem!, /^chart images could not be stored on the classifier-ci-assets branch \(500 /);
      } finally {
        fake.faults = {};
      }
    });
  });

  describe('baseline', () => {
    const query = () => ({
      ...repo(),
      baseBranch: 'main',
      workflowPath: '.github/workflows/train.yml',
      workflowName: 'Train',
      currentRunId: 50,
      artifactName: 'classifier-ci-model',
    });

    it('says so when the base branch has no successful run', async () => {
      const outcome = await findBaseline(githubClient('ghs_unit'), query());
      assert.deepEqual(outcome, { found: false, reason: 'no successful run of this workflow for a push to `main` yet' });
    });

    it('reads result.json from the latest successful run of the same workflow that has the artifact', async () => {
      const result = baselineRunResult();
      const zip = zipSync({ 'result.json': new TextEncoder().encode(JSON.stringify(result)), 'model/model.json': new TextEncoder().encode('{}') });
      fake.addRun({
        id: 10,
        name: 'Train',
        path: '.github/workflows/train.yml',
        head_branch: 'main',
        conclusion: 'success',
        artifacts: [{ id: 900, name: 'classifier-ci-model', zip }],
      });
      fake.addRun({ id: 11, name: 'Other', path: '.github/workflows/other.yml', head_branch: 'main', conclusion: 'success', artifacts: [] });
      fake.addRun({
        id: 12,
        name: 'Train',
        path: '.github/workflows/train.yml',
        head_branch: 'main',
        conclusion: 'success',
        artifacts: [{ id: 901, name: 'classifier-ci-model', zip, expired: true }],
      });
      const outcome = await findBaseline(githubClient('ghs_unit'), query());
      assert.ok(outcome.found, JSON.stringify(outcome));
      assert.equal(outcome.runId, 10);
      assert.deepEqual(outcome.result, result);
    });

    const zipOf = (accuracy: number) => {
      const result = baselineRunResult();
      result.test.accuracy = accuracy;
      return zipSync({ 'result.json': new TextEncoder().encode(JSON.stringify(result)) });
    };

    it("never takes a pull request run from a branch named like the base, nor another workflow's run", async () => {
      // Newer than run 10 above, successful, with a result.json: each would win if it were eligible.
      fake.addRun({
        id: 20,
        name: 'Train',
        path: '.github/workflows/train.yml',
        head_branch: 'main',
        event: 'pull_request',
        conclusion: 'success',
        artifacts: [{ id: 902, name: 'classifier-ci-model', zip: zipOf(0.11) }],
      });
      fake.addRun({
        id: 21,
        name: 'Train',
        path: '.github/workflows/other.yml',
        head_branch: 'main',
        conclusion: 'success',
        artifacts: [{ id: 903, name: 'classifier-ci-model', zip: zipOf(0.22) }],
      });
      const outcome = await findBaseline(githubClient('ghs_unit'), query());
      assert.ok(outcome.found, JSON.stringify(outcome));
      assert.equal(outcome.runId, 10);
      const listed = fake.requests.filter((r) => r.path.includes('/runs?')).at(-1)!;
      assert.match(listed.path, /\/actions\/workflows\/train\.yml\/runs\?/);
      assert.match(listed.path, /[?&]event=push(&|$)/);
      assert.match(listed.path, /[?&]status=success(&|$)/);
    });

    it("without GITHUB_WORKFLOW_REF, searches the current run's workflow by its id", async () => {
      // This run, still going: its workflow id is the only link to train.yml.
      fake.addRun({
        id: 50,
        name: 'Train',
        path: '.github/workflows/train.yml',
        head_branch: 'feature',
        event: 'pull_request',
        status: 'in_progress',
        conclusion: null,
        artifacts: [],
      });
      const outcome = await findBaseline(githubClient('ghs_unit'), { ...query(), workflowPath: undefined });
      assert.ok(outcome.found, JSON.stringify(outcome));
      assert.equal(outcome.runId, 10, 'not run 21, a workflow with the same name in another file');
      assert.ok(fake.requests.some((r) => r.path.includes(`/actions/workflows/${fake.workflowIdOf('.github/workflows/train.yml')}/runs?`)));
    });

    it('a failing API is a reason, not an exception', async () => {
      fake.faults = { runs: 502 };
      try {
        const outcome = await findBaseline(githubClient('ghs_unit'), query());
        assert.equal(outcome.found, false);
        assert.match((outcome as { reason: string }).reason, /^the baseline could not be read \(502 /);
      } finally {
        fake.faults = {};
      }
    });

    it('takes the workflow path from GITHUB_WORKFLOW_REF', () => {
      assert.equal(workflowPathFromRef('o/r/.github/workflows/train.yml@refs/pull/7/merge', 'o', 'r'), '.github/workflows/train.yml');
      assert.equal(workflowPathFromRef(undefined, 'o', 'r'), undefined);
    });
  });
});

describe('runtime install', () => {
  it('does nothing when running from source (no dist/action/runtime/ next to the code)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'classifier-ci-runtime-'));
    try {
      assert.equal(await ensureRuntime('none', join(dir, 'no-runtime')), undefined);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  // The install itself: test/runtime-install.test.ts.
});

describe('action.yml', () => {
  /** The keys of a top-level section, each with whether it has a description. */
  function section(yml: string, name: string): Map<string, boolean> {
    const lines = yml.split('\n');
    const start = lines.indexOf(`${name}:`);
    assert.ok(start >= 0, `action.yml has no ${name}: section`);
    const keys = new Map<string, boolean>();
    let current: string | undefined;
    for (const line of lines.slice(start + 1)) {
      if (/^\S/.test(line)) break; // the next top-level key
      const key = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
      if (key) keys.set((current = key[1]!), false);
      else if (current && /^ {4}description: \S/.test(line)) keys.set(current, true);
    }
    return keys;
  }

  it('declares exactly the inputs and outputs named in constants.ts, each described', async () => {
    const yml = await readFile(join(dirname(fileURLToPath(import.meta.url)), '..', 'action.yml'), 'utf8');
    for (const [name, names] of [
      ['inputs', Inputs],
      ['outputs', Outputs],
    ] as const) {
      const declared = section(yml, name);
      assert.deepEqual([...declared.keys()].sort(), Object.values(names).sort(), `${name} of action.yml and constants.ts differ`);
      for (const [key, described] of declared) assert.ok(described, `${name}.${key} has no description`);
    }
  });
});
