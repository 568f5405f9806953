/**
 * End to end: the BUILT action (dist/action/index.js) runs as a child process exactly as the runner
 * starts it (INPUT_*, GITHUB_*, RUNNER_*, a runtime JWT, the results and cache service URLs),
 * against a loopback fake of GitHub's services. The real @actions/* clients and Octokit do
 * all the talking.
 *
 * Run 1 trains from scratch and saves the cache; run 2, on a runner with an empty cache
 * folder, restores it and computes zero embeddings, updates the same comment and compares with
 * run 1 as its baseline; run 3 meets a failing comment endpoint and cache service and still
 * uploads its artifact.
 *
 * Needs a built dist/action/ (node scripts/build-dist.mjs).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { runtimeJwt, sha256, startFakeGitHub, type FakeArtifact, type FakeGitHub } from './fakes/github-server.js';
import { parseOutputFile } from './fakes/runner.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(repoRoot, 'dist', 'action', 'index.js');
const runtimeDir = repoRoot;
const PR_NUMBER = 7;
const WORKFLOW_PATH = '.github/workflows/train.yml';

interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

describe('the built action, run as the runner runs it', { timeout: 15 * 60_000 }, () => {
  let fake: FakeGitHub;
  let temp: string;
  /** A runtime token per run, scoped to that run's backend ids, as the runner issues them. */
  const tokenFor = (runId: number) => runtimeJwt(`c0ffee00-0000-4000-8000-00000000${runId}`, `c0ffee00-0000-4000-8000-0000000${runId}a`);
  const isRuntimeJwt = (bearer: string) => /Actions\.Results:[^: ]+:[^: ]+/.test(Buffer.from(bearer.split('.')[1] ?? '', 'base64url').toString('utf8'));
  const githubToken = 'ghs_e2eSecretToken0123456789';

  before(async () => {
    assert.ok(existsSync(entry), 'dist/action/index.js is missing: run node scripts/build-dist.mjs first');
    fake = await startFakeGitHub({ runtimeToken: isRuntimeJwt, restToken: githubToken });
    temp = await mkdtemp(join(tmpdir(), 'classifier-ci-e2e-'));
  });
  after(async () => {
    await fake.close();
    await rm(temp, { recursive: true, force: true });
  });

  async function runAction(runId: number, options: { freshCacheDir: boolean }): Promise<RunOutcome> {
    const runnerTemp = join(temp, 'runner-temp'); // the same path every run, as on a real runner
    if (options.freshCacheDir) await rm(join(runnerTemp, 'classifier-ci'), { recursive: true, force: true });
    await mkdir(runnerTemp, { recursive: true });
    const files = join(temp, `run-${runId}`);
    await mkdir(files, { recursive: true });
    const eventPath = join(files, 'event.json');
    await writeFile(
      eventPath,
      JSON.stringify({
        action: 'synchronize',
        number: PR_NUMBER,
        pull_request: { number: PR_NUMBER, head: { ref: 'more-bags', sha: 'b'.repeat(40) }, base: { ref: 'main', sha: 'a'.repeat(40) } },
        repository: { name: fake.repo, owner: { login: fake.owner }, full_name: `${fake.owner}/${fake.repo}` },
      }),
    );
    const outputFile = join(files, 'output');
    const summaryFile = join(files, 'summary.md');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? temp,
      'INPUT_DATASET-PATH': 'sample-dataset',
      // Scored after training; only its test-split images count, the rest were trained on.
      'INPUT_EVAL-DATASET-PATH': 'sample-dataset',
      INPUT_BACKBONES: 'mobilenet_v2@96',
      'INPUT_BUDGET-SECONDS': '60',
      INPUT_TRIALS: '2',
      INPUT_EPOCHS: '8',
      INPUT_SEED: '7',
      INPUT_COMMENT: 'auto',
      'INPUT_IMAGE-HOST': 'repo',
      'INPUT_ARTIFACT-NAME': 'classifier-ci-model',
      INPUT_CACHE: 'true',
      INPUT_BASELINE: 'auto',
      'INPUT_GITHUB-TOKEN': githubToken,
      'INPUT_WORKING-DIRECTORY': '.',
      'INPUT_NATIVE-BACKEND': 'none',
      'INPUT_FINE-TUNE': 'auto',
      INPUT_SPLIT: '0.7,0.15,0.15',
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_WORKSPACE: repoRoot,
      GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
      GITHUB_REPOSITORY_OWNER: fake.owner,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_SHA: 'c'.repeat(40),
      GITHUB_REF: `refs/pull/${PR_NUMBER}/merge`,
      GITHUB_HEAD_REF: 'more-bags',
      GITHUB_BASE_REF: 'main',
      GITHUB_RUN_ID: String(runId),
      GITHUB_RUN_NUMBER: String(runId - 2000),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'train',
      GITHUB_ACTION: 'classifier-ci',
      GITHUB_ACTOR: 'octocat',
      GITHUB_WORKFLOW: 'Train classifier',
      GITHUB_WORKFLOW_REF: `${fake.owner}/${fake.repo}/${WORKFLOW_PATH}@refs/pull/${PR_NUMBER}/merge`,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: fake.apiUrl,
      GITHUB_GRAPHQL_URL: `${fake.apiUrl}/graphql`,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_STATE: join(files, 'state'),
      GITHUB_ENV: join(files, 'env'),
      GITHUB_PATH: join(files, 'path'),
      RUNNER_TEMP: runnerTemp,
      RUNNER_TOOL_CACHE: join(temp, 'tool-cache'),
      // The checkout's node_modules holds the runtime set: resolved from there only, not installed.
      CLASSIFIER_CI_RUNTIME_DIR: runtimeDir,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'fake-runner',
      ACTIONS_RUNTIME_TOKEN: tokenFor(runId),
      ACTIONS_RESULTS_URL: `${fake.url}/`,
      ACTIONS_CACHE_URL: `${fake.url}/`,
      ACTIONS_CACHE_SERVICE_V2: 'true',
    };
    const child = spawn(process.execPath, [entry], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // Set CLASSIFIER_CI_E2E_LOGS=<dir> to keep each run's log for reading.
    const keep = process.env.CLASSIFIER_CI_E2E_LOGS;
    if (keep) {
      await mkdir(keep, { recursive: true });
      await writeFile(join(keep, `run-${runId}.log`), stdout + stderr);
      await writeFile(join(keep, `run-${runId}-summary.md`), await readFile(summaryFile, 'utf8'));
    }
    return { code, stdout, stderr, outputs: parseOutputFile(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8') };
  }

  function explain(run: RunOutcome): string {
    return `exit ${run.code}\n--- stdout (end) ---\n${run.stdout.slice(-6000)}\n--- stderr ---\n${run.stderr.slice(-3000)}`;
  }

  function finalizedArtifactOf(runId: number): FakeArtifact {
    const list = fake.artifacts.filter((a) => a.finalized);
    const artifact = list.find((a) => String(a.id) === runOutputs.get(runId)?.['artifact-id']);
    assert.ok(artifact, `no finalized artifact for run ${runId}`);
    return artifact;
  }

  function unzipArtifact(artifact: FakeArtifact): Record<string, Uint8Array> {
    const bytes = fake.blobBytes(artifact.blobPath);
    assert.ok(bytes, 'the artifact blob was not uploaded');
    return unzipSync(new Uint8Array(bytes));
  }

  function resultOf(files: Record<string, Uint8Array>) {
    assert.ok(files['result.json'], `result.json is not in the artifact: ${Object.keys(files).join(', ')}`);
    return JSON.parse(Buffer.from(files['result.json']).toString('utf8'));
  }

  const runOutputs = new Map<number, Record<string, string>>();
  let firstCommentId = 0;

  it('run 1: trains, saves the cache, uploads the artifact, posts one comment, writes outputs and summary', async () => {
    const run = await runAction(2001, { freshCacheDir: true });
    runOutputs.set(2001, run.outputs);
    assert.equal(run.code, 0, explain(run));
    // The one allowed appearance is the mask command, which the runner consumes and never shows.
    const shown =
      run.stdout
        .split('\n')
        .filter((line) => line !== `::add-mask::${githubToken}`)
        .join('\n') + run.stderr;
    assert.ok(run.stdout.includes(`::add-mask::${githubToken}`), 'the token is masked');
    assert.ok(!shown.includes(githubToken), `the token was printed:\n${explain(run).replaceAll(githubToken, '<TOKEN>')}`);

    // Outputs.
    for (const name of [
      'best-backbone',
      'test-accuracy',
      'val-accuracy',
      'artifact-id',
      'artifact-url',
      'report-path',
      'model-path',
      'result-path',
      'comment-url',
    ]) {
      assert.ok(run.outputs[name], `output ${name} is missing: ${JSON.stringify(run.outputs)}`);
    }
    assert.equal(run.outputs['best-backbone'], 'mobilenet_v2@96');
    assert.ok(Number(run.outputs['test-accuracy']) > 0.5, `test accuracy ${run.outputs['test-accuracy']}`);

    // Artifact: finalized, hash matches the bytes, and holds the model files named in result.json.
    const artifact = finalizedArtifactOf(2001);
    const bytes = fake.blobBytes(artifact.blobPath)!;
    assert.equal(artifact.hash, `sha256:${sha256(bytes)}`);
    const files = unzipArtifact(artifact);
    const result = resultOf(files);
    assert.ok(result.model.files.length > 0);
    for (const file of result.model.files as { name: string; sha256: string }[]) {
      const inZip = files[`model/${file.name}`];
      assert.ok(inZip, `model/${file.name} is not in the artifact`);
      assert.equal(createHash('sha256').update(inZip).digest('hex'), file.sha256, `sha256 of model/${file.name}`);
    }
    assert.ok(files['report.md'] && files['report.html'], 'report files are in the artifact');
    assert.ok(
      result.bakeOff.candidates.some((c: { embeddingsComputed: number }) => c.embeddingsComputed > 0),
      'run 1 computes embeddings',
    );

    // Cache saved.
    const entries = fake.cacheEntries.filter((e) => e.finalized);
    assert.equal(entries.length, 1, 'one cache entry saved');
    assert.match(entries[0].key, /^classifier-ci-v1-/);

    // One sticky comment with the marker and chart images from the assets branch.
    const comments = fake.commentsOn(PR_NUMBER);
    assert.equal(comments.length, 1);
    firstCommentId = comments[0].id;
    assert.match(comments[0].body, /^<!-- classifier-ci:report:[0-9a-f]{16} -->/);
    assert.ok(run.outputs['comment-url'].endsWith(`#issuecomment-${firstCommentId}`));
    assert.match(comments[0].body, /No baseline to compare with: no successful run of this workflow for a push to `main` yet/);
    const charts = fake.branchFiles('classifier-ci-assets');
    assert.ok(charts.size > 0, 'charts committed to the assets branch');
    for (const path of charts.keys()) assert.ok(comments[0].body.includes(`/raw/classifier-ci-assets/${path}`), `comment links ${path}`);

    // The folder from elsewhere: scored by the exported model, its trained-on images left out, in the comment.
    const { train, val, test } = result.dataset.splitCounts;
    assert.deepEqual(
      [result.elsewhere?.dataset, result.elsewhere?.seen, result.elsewhere?.metrics.images],
      [join(repoRoot, 'sample-dataset'), train + val, test],
    );
    // Named as the workflow names it, relative to the repository, not by the runner's absolute path.
    assert.match(comments[0].body, /### Images from elsewhere\n\n`sample-dataset`: \d+ labelled images the model did not train on/);

    assert.doesNotMatch(run.stdout, /::(warning|error)::/, 'a healthy run has no warnings');

    // Job summary.
    assert.ok(run.summary.length > 200, 'job summary written');
    assert.ok(run.stdout.includes('::group::'), 'stages are log groups');
  });

  it('run 2: restores the cache on an empty runner, computes zero embeddings, updates the same comment, compares with run 1', async () => {
    // Run 1's artifact becomes the base branch's last successful run.
    const first = finalizedArtifactOf(2001);
    fake.addRun({
      id: 1999,
      name: 'Train classifier',
      path: WORKFLOW_PATH,
      head_branch: 'main',
      conclusion: 'success',
      artifacts: [{ id: first.id, name: first.name, zip: fake.blobBytes(first.blobPath)! }],
    });

    const assetsHead = fake.gitRefs.get('refs/heads/classifier-ci-assets');
    const run = await runAction(2002, { freshCacheDir: true });
    runOutputs.set(2002, run.outputs);
    assert.equal(run.code, 0, explain(run));
    assert.doesNotMatch(run.stdout, /::(warning|error)::/, 'a healthy run has no warnings');
    // Restored by prefix (no exact key exists before training); the entry has this dataset's fingerprint.
    assert.match(run.stdout, /Cache hit for restore-key: classifier-ci-v1-/);
    assert.match(run.stdout, /The embedding cache is up to date \(classifier-ci-v1-/);

    const result = resultOf(unzipArtifact(finalizedArtifactOf(2002)));
    for (const candidate of result.bakeOff.candidates as { backbone: string; embeddingsComputed: number; embeddingsCached: number }[]) {
      assert.equal(candidate.embeddingsComputed, 0, `${candidate.backbone} computed embeddings after a cache restore`);
      assert.ok(candidate.embeddingsCached > 0);
    }
    assert.equal(fake.cacheEntries.length, 1, 'an exact cache hit is not saved again');

    const comments = fake.commentsOn(PR_NUMBER);
    assert.equal(comments.length, 1, 'still one comment');
    assert.equal(comments[0].id, firstCommentId);
    assert.equal(comments[0].updatedCount, 1, 'updated in place');
    assert.doesNotMatch(comments[0].body, /No baseline/);
    assert.match(comments[0].body, /baseline/i);
    // Every image the comment links is on the assets branch, which moved forward (never forced).
    const linked = [...comments[0].body.matchAll(/\/raw\/classifier-ci-assets\/(charts\/[0-9a-f]{32}\.png)/g)].map((m) => m[1]);
    assert.ok(linked.length > 0, 'the updated comment shows charts');
    const onBranch = fake.branchFiles('classifier-ci-assets');
    for (const path of linked) assert.ok(onBranch.has(path), `${path} is on the assets branch`);
    const head = fake.gitRefs.get('refs/heads/classifier-ci-assets')!;
    assert.ok(assetsHead && (head === assetsHead || fake.gitCommits.get(head)!.parents.includes(assetsHead)), 'the assets branch was extended, not replaced');
    assert.ok(
      fake.requests.some((r) => r.path.includes('/actions/artifacts/') && r.path.endsWith('/zip')),
      'the baseline artifact was downloaded',
    );
  });

  it('run 3: a 500 from the comment endpoint and the cache service gives warnings; the artifact is still uploaded', async () => {
    fake.faults = { comments: 500, cache: 500 };
    const before = fake.artifacts.filter((a) => a.finalized).length;
    const run = await runAction(2003, { freshCacheDir: false });
    runOutputs.set(2003, run.outputs);
    fake.faults = {};
    assert.equal(run.code, 0, explain(run));
    assert.match(run.stdout, /::warning::The report comment could not be posted \(500 /);
    assert.match(run.stdout, /::warning::.*(embedding cache|Failed to restore)/);
    assert.equal(fake.artifacts.filter((a) => a.finalized).length, before + 1, 'the artifact was uploaded');
    assert.ok(run.outputs['artifact-id'] && !run.outputs['comment-url']);
    assert.equal(fake.commentsOn(PR_NUMBER).length, 1);
    assert.ok(run.summary.length > 200, 'job summary still written');
  });
});
