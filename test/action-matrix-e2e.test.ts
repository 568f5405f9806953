/**
 * A matrix run end to end, as .github/workflows/example-matrix.yml runs it, against the loopback
 * fake of GitHub's services (the real @actions/artifact client and the BUILT action do the talking):
 *
 *   plan job   `classifier-ci plan dataset --backbones … --json` (the published bin)
 *   embed jobs one per matrix entry (two backbones × two shards): `classifier-ci embed … --out chunk`,
 *              then upload-artifact's call: the files of chunk/ as the artifact chunk-<job-index>
 *   train job  download-artifact's calls (pattern chunk-*, path chunks: one folder per artifact),
 *              then the action with cache-chunks: chunks
 *
 * The train job must compute no embedding and post the same report as a one-job run of the action
 * on the same data and seed (example-train.yml): same winner, metrics and tables; only times,
 * links and the cache provenance may differ.
 *
 * Needs a built dist/ (node scripts/build-dist.mjs, npm run build:cli): the workflow runs the
 * published package.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DefaultArtifactClient } from '@actions/artifact';
import { unzipSync } from 'fflate';
import { runtimeJwt, startFakeGitHub, type FakeGitHub } from './fakes/github-server.js';
import { captureStdout, parseOutputFile } from './fakes/runner.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const actionEntry = join(repoRoot, 'dist', 'action', 'index.js');
const cliBin = join(repoRoot, 'bin', 'classifier-ci.js');
const githubToken = 'ghs_matrixSecretToken0123456789';
const BACKBONES = 'mobilenet_v2@96,hog@28';
const MATRIX_RUN = 4001;
const ONE_JOB_RUN = 4002;

interface Candidate {
  backbone: string;
  embeddingsComputed: number;
  embeddingsCached: number;
}

interface ActionRun {
  code: number | null;
  log: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Backend ids as the runner puts them in the runtime token: one per run, one per job. */
const runBackendId = (run: number) => `c0ffee00-0000-4000-8000-0000000${run}`;
const jobToken = (run: number, job: string) => runtimeJwt(runBackendId(run), `${runBackendId(run)}-${job}`);

/** Runs a shell step's command: the published CLI, in the job's workspace. */
async function runCli(cwd: string, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [cliBin, ...args], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, `classifier-ci ${args.join(' ')} failed:\n${err}`);
  return out;
}

/**
 * A JavaScript action step run in this process (upload-artifact, download-artifact): the
 * environment the runner gives it, and its workflow commands kept off the test's stdout.
 */
async function inStep<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    let result: T | undefined;
    await captureStdout(async () => (result = await work()));
    return result as T;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Every file under `dir`, hidden ones left out (upload-artifact's include-hidden-files: false). */
async function visibleFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await visibleFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** download-artifact's `pattern`: a glob in which `*` matches any run of characters. */
const globOf = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/**
 * A report with what may differ between two runs of the same training taken out: durations and
 * throughputs, links to the run, its artifact and chart images, the cache's provenance, and
 * the per-candidate embedding counts (computed by the one job, cached for the matrix run).
 */
function comparable(report: string): string {
  return report
    .replace(/<!-- classifier-ci:report:[0-9a-f]+ -->/g, '<!-- marker -->')
    .replace(/\/raw\/classifier-ci-assets\/charts\/[0-9a-f]+\.(png|jpg)/g, '<chart>')
    .replace(/\/actions\/runs\/\d+(\/artifacts\/\d+)?/g, '/actions/runs/<run>')
    .replace(/\brun (download )?\d+/g, 'run $1<run>')
    .replace(/run started \d{4}-\d\d-\d\d \d\d:\d\d UTC/g, 'run started <date>')
    .replace(/\d+(\.\d+)?\s?(ms|s|min|img\/s)\b/g, '<time>')
    .replace(/ \(embeddings cached\)/g, '');
}

/** A result section with its durations taken out (fields named seconds, …Seconds, …Ms). */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !/^seconds$|Seconds$|Ms$/.test(key))
      .map(([key, v]) => [key, withoutTimes(v)]),
  );
}

describe('a matrix run (example-matrix.yml): two backbones × two shards, then one train job', { timeout: 20 * 60_000 }, () => {
  let fake: FakeGitHub;
  let temp: string;
  let workspace: string;
  let plan: { matrix: { include: { backbone: string; shard: string }[] }; backboneList: string };

  before(async () => {
    assert.ok(existsSync(actionEntry), 'dist/action/index.js is missing: run node scripts/build-dist.mjs first');
    assert.ok(existsSync(join(repoRoot, 'dist', 'cli.js')), 'dist/cli.js is missing: run npm run build:cli first');
    fake = await startFakeGitHub({ runtimeToken: (bearer) => bearer.split('.').length === 3, restToken: githubToken });
    temp = await mkdtemp(join(tmpdir(), 'classifier-ci-matrix-'));
    // The checkout every job makes: the repository with its dataset folder.
    workspace = join(temp, 'checkout');
    await cp(join(repoRoot, 'sample-dataset'), join(workspace, 'dataset'), { recursive: true });
  });
  after(async () => {
    await fake.close();
    await rm(temp, { recursive: true, force: true });
  });

  /** The common runner environment of a job of `run`. */
  function jobEnv(run: number, job: string, files: string): Record<string, string> {
    return {
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
      GITHUB_REPOSITORY_OWNER: fake.owner,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: fake.apiUrl,
      GITHUB_RUN_ID: String(run),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: job,
      GITHUB_OUTPUT: join(files, 'output'),
      GITHUB_STEP_SUMMARY: join(files, 'summary.md'),
      GITHUB_STATE: join(files, 'state'),
      GITHUB_ENV: join(files, 'env'),
      GITHUB_PATH: join(files, 'path'),
      RUNNER_TEMP: join(files, 'runner-temp'),
      ACTIONS_RUNTIME_TOKEN: jobToken(run, job),
      ACTIONS_RESULTS_URL: `${fake.url}/`,
      ACTIONS_CACHE_URL: `${fake.url}/`,
      ACTIONS_CACHE_SERVICE_V2: 'true',
    };
  }

  /** The classifier-ci step of a train job: the built action, started as the runner starts it. */
  async function runAction(run: number, pr: number, workflow: string, inputs: Record<string, string>): Promise<ActionRun> {
    const files = join(temp, `run-${run}`);
    await mkdir(join(files, 'runner-temp'), { recursive: true });
    const eventPath = join(files, 'event.json');
    await writeFile(
      eventPath,
      JSON.stringify({
        action: 'synchronize',
        number: pr,
        pull_request: { number: pr, head: { ref: 'more-bags', sha: 'b'.repeat(40) }, base: { ref: 'main', sha: 'a'.repeat(40) } },
        repository: { name: fake.repo, owner: { login: fake.owner }, full_name: `${fake.owner}/${fake.repo}` },
      }),
    );
    const base = jobEnv(run, 'train', files);
    for (const file of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY']) await writeFile(base[file], '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: files,
      ...base,
      // The inputs the workflow gives, and action.yml's defaults for the rest.
      'INPUT_DATASET-PATH': 'dataset',
      'INPUT_BUDGET-SECONDS': '3600', // far from any stage's limit: both runs do the same work
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
      'INPUT_FINE-TUNE': 'false',
      INPUT_SPLIT: '0.7,0.15,0.15',
      'INPUT_CACHE-CHUNKS': '',
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_SHA: 'c'.repeat(40),
      GITHUB_REF: `refs/pull/${pr}/merge`,
      GITHUB_HEAD_REF: 'more-bags',
      GITHUB_BASE_REF: 'main',
      GITHUB_RUN_NUMBER: String(run - 4000),
      GITHUB_ACTION: 'classifier-ci',
      GITHUB_ACTOR: 'octocat',
      GITHUB_WORKFLOW: workflow,
      GITHUB_WORKFLOW_REF: `${fake.owner}/${fake.repo}/.github/workflows/${workflow}@refs/pull/${pr}/merge`,
      GITHUB_GRAPHQL_URL: `${fake.apiUrl}/graphql`,
      RUNNER_TOOL_CACHE: join(temp, 'tool-cache'),
      CLASSIFIER_CI_RUNTIME_DIR: repoRoot,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'fake-runner',
    };
    const child = spawn(process.execPath, [actionEntry], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const outputs = parseOutputFile(await readFile(base.GITHUB_OUTPUT, 'utf8'));
    const summary = await readFile(base.GITHUB_STEP_SUMMARY, 'utf8');
    // Set CLASSIFIER_CI_E2E_LOGS=<dir> to keep each run's log and summary for reading.
    const keep = process.env.CLASSIFIER_CI_E2E_LOGS;
    if (keep) {
      await mkdir(keep, { recursive: true });
      await writeFile(join(keep, `run-${run}.log`), log);
      await writeFile(join(keep, `run-${run}-summary.md`), summary);
    }
    return { code, log, outputs, summary };
  }

  const explain = (run: ActionRun) => `exit ${run.code}\n--- log (end) ---\n${run.log.slice(-8000)}`;

  function resultOf(run: ActionRun): { bakeOff: { winner: string; candidates: Candidate[] } } & Record<string, unknown> {
    const artifact = fake.artifacts.find((a) => a.finalized && String(a.id) === run.outputs['artifact-id']);
    assert.ok(artifact, `no model artifact for ${JSON.stringify(run.outputs)}`);
    const files = unzipSync(new Uint8Array(fake.blobBytes(artifact.blobPath)!));
    assert.ok(files['result.json'], 'result.json is in the model artifact');
    return JSON.parse(Buffer.from(files['result.json']).toString('utf8'));
  }

  const runs = new Map<number, ActionRun>();

  it('plan job: two backbones, two shards each, as a matrix', async () => {
    // The sample's 144 images are far below a shard's worth of embedding; the workflow's step
    // with a smaller minimum (and a job cap of 4) splits each backbone in two, as a large dataset would.
    plan = JSON.parse(
      await runCli(workspace, ['plan', 'dataset', '--backbones', BACKBONES, '--min-shard-seconds', '0.001', '--max-jobs', '4', '--json', '--quiet']),
    );
    assert.deepEqual(plan.matrix.include, [
      { backbone: 'mobilenet_v2@96', shard: '1/2' },
      { backbone: 'mobilenet_v2@96', shard: '2/2' },
      { backbone: 'hog@28', shard: '1/2' },
      { backbone: 'hog@28', shard: '2/2' },
    ]);
    assert.equal(plan.backboneList, BACKBONES);
  });

  it('embed jobs: each embeds its shard and uploads its chunk as the artifact chunk-<job-index>', async () => {
    for (const [index, entry] of plan.matrix.include.entries()) {
      // A fresh runner per job: its own checkout folder, model cache and chunk.
      const job = join(temp, `embed-${index}`);
      await cp(join(workspace, 'dataset'), join(job, 'dataset'), { recursive: true });
      await runCli(job, ['embed', 'dataset', '--backbone', entry.backbone, '--shard', entry.shard, '--out', 'chunk', '--quiet']);
      const files = await visibleFiles(join(job, 'chunk'));
      assert.ok(files.some((f) => f.endsWith('chunk.json')));
      const uploaded = await inStep({ ...jobEnv(MATRIX_RUN, `embed-${index}`, job), GITHUB_WORKSPACE: job }, () =>
        new DefaultArtifactClient().uploadArtifact(`chunk-${index}`, files, join(job, 'chunk'), { retentionDays: 1 }),
      );
      assert.ok(uploaded.id, `chunk-${index} was uploaded`);
    }
    const chunks = fake.artifacts.filter((a) => a.finalized && a.runBackendId === runBackendId(MATRIX_RUN));
    assert.deepEqual(chunks.map((a) => a.name).sort(), ['chunk-0', 'chunk-1', 'chunk-2', 'chunk-3']);
  });

  it('train job: downloads the four chunks, merges them, computes no embedding', async () => {
    // download-artifact with pattern: chunk-* and path: chunks: the run's latest artifacts by
    // name, matched by the pattern, each into chunks/<name>, checked against its digest.
    const trainFiles = join(temp, 'train-download');
    await mkdir(trainFiles, { recursive: true });
    const downloaded = await inStep(jobEnv(MATRIX_RUN, 'train', trainFiles), async () => {
      const client = new DefaultArtifactClient();
      const { artifacts } = await client.listArtifacts({ latest: true });
      const wanted = artifacts.filter((a) => globOf('chunk-*').test(a.name));
      return Promise.all(
        wanted.map(async (a) => ({
          name: a.name,
          ...(await client.downloadArtifact(a.id, { path: join(workspace, 'chunks', a.name), expectedHash: a.digest })),
        })),
      );
    });
    assert.deepEqual(downloaded.map((d) => [d.name, d.digestMismatch]).sort(), [
      ['chunk-0', false],
      ['chunk-1', false],
      ['chunk-2', false],
      ['chunk-3', false],
    ]);

    const run = await runAction(MATRIX_RUN, 11, 'train-matrix.yml', { backbones: plan.backboneList, 'cache-chunks': 'chunks' });
    runs.set(MATRIX_RUN, run);
    assert.equal(run.code, 0, explain(run));
    assert.doesNotMatch(run.log, /::(warning|error)::/, `a healthy run has no warnings:\n${explain(run)}`);
    assert.match(run.log, /Cache chunks: mobilenet_v2@96, 144 images from shards 1\/2, 2\/2 \(144 new in the cache\)\./);
    assert.match(run.log, /Cache chunks: hog@28, 144 images from shards 1\/2, 2\/2 \(144 new in the cache\)\./);
    // Nothing came from the cache service: every vector is from the chunks.
    assert.doesNotMatch(run.log, /Cache hit for/);
    const result = resultOf(run);
    assert.deepEqual(
      result.bakeOff.candidates.filter((c) => !c.backbone.startsWith('ensemble(')).map((c) => [c.backbone, c.embeddingsComputed, c.embeddingsCached]),
      [
        ['mobilenet_v2@96', 0, 144],
        ['hog@28', 0, 144],
      ],
    );
  });

  it('the report equals a one-job run on the same data and seed', async () => {
    const run = await runAction(ONE_JOB_RUN, 12, 'train.yml', { backbones: BACKBONES });
    runs.set(ONE_JOB_RUN, run);
    assert.equal(run.code, 0, explain(run));
    const oneJob = resultOf(run);
    const matrix = resultOf(runs.get(MATRIX_RUN)!);
    assert.deepEqual(
      oneJob.bakeOff.candidates.filter((c) => !c.backbone.startsWith('ensemble(')).map((c) => [c.backbone, c.embeddingsComputed]),
      [
        ['mobilenet_v2@96', 144],
        ['hog@28', 144],
      ],
      'the one job computed every embedding itself',
    );
    assert.equal(matrix.bakeOff.winner, oneJob.bakeOff.winner);
    // Everything the training decided and measured; the embedding counts and times aside.
    const decided = (result: typeof oneJob) => {
      const { bakeOff, dataset, tuning, test, review, model } = result;
      const candidates = bakeOff.candidates.map(({ embeddingsComputed: _c, embeddingsCached: _k, ...rest }) => rest);
      return withoutTimes({ bakeOff: { ...bakeOff, candidates }, dataset, tuning, test, review, model });
    };
    assert.deepEqual(decided(matrix), decided(oneJob));

    const [matrixComment] = fake.commentsOn(11);
    const [oneJobComment] = fake.commentsOn(12);
    assert.ok(matrixComment && oneJobComment, 'both runs commented');
    // The bake-off table says where each candidate's embeddings came from; nothing else may differ.
    assert.equal([...matrixComment.body.matchAll(/ \(embeddings cached\) \|\n/g)].length, 2, 'both candidates show cached embeddings');
    assert.doesNotMatch(oneJobComment.body, /embeddings cached/);
    assert.equal(comparable(matrixComment.body), comparable(oneJobComment.body));
    assert.equal(comparable(runs.get(MATRIX_RUN)!.summary), comparable(run.summary));
  });
});
