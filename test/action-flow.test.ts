/**
 * The action's whole flow (src/action/main.ts `run`) in the test process, with a stand-in for
 * training that returns a fixture RunResult, so no model is trained. Everything after training
 * is real: inputs from INPUT_*, the report, and the @actions/cache, @actions/artifact and
 * Octokit clients talking to the loopback fake of GitHub (test/fakes/github-server.ts).
 * test/action-e2e.test.ts runs the built bundle with real training.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NO_PERMISSION_NOTE } from '../src/action/image-host.js';
import { run } from '../src/action/main.js';
import { exportedValAccuracy } from '../src/action/outputs.js';
import type { TrainOptions } from '../src/core/options.js';
import type { RunResult } from '../src/core/result.js';
import { baselineRunResult, smallRunResult } from './fixtures/run-results.js';
import { runtimeJwt, startFakeGitHub, type FakeGitHub } from './fakes/github-server.js';
import { captureStdout, parseOutputFile } from './fakes/runner.js';

const PR_NUMBER = 7;
const SHA = 'c'.repeat(40);
const TOKEN = 'ghs_flowToken';
/** Anything that would show a picture in GitHub's Markdown. */
const IMAGE = /!\[|<img|\/raw\/classifier-ci-assets\//i;

type EventName = 'pull_request' | 'push' | 'workflow_dispatch' | 'pull_request_target';

interface FlowRun {
  exitCode: number;
  stdout: string;
  /** The workflow commands and log lines, one per entry. */
  lines: string[];
  outputs: Record<string, string>;
  summary: string;
  outDir: string;
}

/** What training leaves behind: model/ and result.json in outDir. */
async function standInTrain(options: TrainOptions, result: RunResult): Promise<RunResult> {
  await mkdir(join(options.outDir, 'model'), { recursive: true });
  await writeFile(join(options.outDir, 'model', 'model.json'), '{"format":"layers-model"}');
  await writeFile(join(options.outDir, 'result.json'), JSON.stringify(result));
  return result;
}

describe("the action's flow, with a stand-in for training", { timeout: 5 * 60_000 }, () => {
  const saved = { ...process.env };
  let root: string;
  let fake: FakeGitHub;
  let runs = 0;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'classifier-ci-flow-'));
    await mkdir(join(root, 'repo', 'dataset', 'cat'), { recursive: true });
  });
  after(async () => {
    process.env = saved;
    await fake?.close();
    await rm(root, { recursive: true, force: true });
  });

  /** A fresh fake GitHub for each test, so counts are the test's own. */
  async function freshFake(): Promise<FakeGitHub> {
    await fake?.close();
    fake = await startFakeGitHub({ restToken: TOKEN });
    return fake;
  }

  async function runFlow(options: {
    event: EventName;
    inputs?: Record<string, string>;
    result?: RunResult;
    train?: (options: TrainOptions) => Promise<RunResult>;
    /** The workflow file under .github/workflows/ and the job id; default train.yml, train. */
    workflowFile?: string;
    job?: string;
  }): Promise<FlowRun> {
    const id = ++runs;
    const dir = join(root, `run-${id}`);
    // The same runner temp every run, emptied, as on a fresh runner: cache paths must match.
    const runnerTemp = join(root, 'runner-temp');
    await rm(runnerTemp, { recursive: true, force: true });
    await mkdir(runnerTemp, { recursive: true });
    await mkdir(dir, { recursive: true });
    const eventPath = join(dir, 'event.json');
    const payload = options.event.startsWith('pull_request')
      ? { number: PR_NUMBER, pull_request: { number: PR_NUMBER, base: { ref: 'main' }, head: { ref: 'more-bags' } } }
      : { ref: 'refs/heads/main', after: SHA };
    await writeFile(eventPath, JSON.stringify(payload));
    await writeFile(join(dir, 'output'), '');
    // core.summary keeps the first GITHUB_STEP_SUMMARY it sees: one file for all runs, emptied.
    const summaryFile = join(root, 'summary.md');
    await writeFile(summaryFile, '');
    const inputs: Record<string, string> = {
      'dataset-path': 'dataset',
      backbones: 'small_cnn',
      comment: 'auto',
      'image-host': 'repo',
      cache: 'false',
      baseline: 'none',
      'github-token': TOKEN,
      'native-backend': 'none',
      ...options.inputs,
    };
    process.env = {
      ...saved,
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
      GITHUB_WORKSPACE: join(root, 'repo'),
      RUNNER_TEMP: runnerTemp,
      GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
      GITHUB_EVENT_NAME: options.event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_SHA: SHA,
      GITHUB_RUN_ID: String(3000 + id),
      GITHUB_WORKFLOW: 'Train',
      GITHUB_WORKFLOW_REF: `${fake.owner}/${fake.repo}/.github/workflows/${options.workflowFile ?? 'train.yml'}@refs/heads/main`,
      GITHUB_JOB: options.job ?? 'train',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: fake.apiUrl,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: summaryFile,
      ACTIONS_RUNTIME_TOKEN: runtimeJwt(`f1000000-0000-4000-8000-0000000${3000 + id}`, `f1000000-0000-4000-8000-000000${3000 + id}a`),
      ACTIONS_RESULTS_URL: `${fake.url}/`,
      ACTIONS_CACHE_SERVICE_V2: 'true',
    };
    const result = options.result ?? smallRunResult();
    let exitCode: number;
    let stdout: string;
    try {
      stdout = await captureStdout(() => run({ train: options.train ?? ((o) => standInTrain(o, result)) }));
    } finally {
      // core.setFailed sets the exit code of this, the test, process.
      exitCode = Number(process.exitCode ?? 0);
      process.exitCode = undefined;
      process.env = { ...saved };
    }
    return {
      exitCode,
      stdout,
      lines: stdout.split('\n'),
      outputs: parseOutputFile(await readFile(join(dir, 'output'), 'utf8')),
      summary: await readFile(summaryFile, 'utf8'),
      outDir: join(runnerTemp, 'classifier-ci', 'output'),
    };
  }

  const explain = (run: FlowRun) => `exit ${run.exitCode}\n${run.stdout.slice(-4000)}`;

  it('a failed artifact upload fails the step only after the report is published, saying why and where the model is', async () => {
    await freshFake();
    fake.faults = { artifact: 403 };
    const run = await runFlow({ event: 'pull_request' });
    assert.equal(run.exitCode, 1, explain(run));

    const [comment] = fake.commentsOn(PR_NUMBER);
    assert.ok(comment, 'the comment was posted');
    assert.equal(fake.commentsOn(PR_NUMBER).length, 1);
    const footer = 'The model artifact could not be uploaded; see the job log.';
    assert.ok(comment.body.includes(footer), comment.body.slice(-500));
    assert.ok(run.summary.length > 200 && run.summary.includes(footer), 'the job summary was written, with the same note');

    const posted = run.lines.findIndex((l) => l.startsWith('Posted the report comment: '));
    const failed = run.lines.findIndex((l) => l.startsWith('::error::'));
    assert.ok(posted >= 0 && failed > posted, `the step fails after the comment is posted:\n${explain(run)}`);
    assert.equal(run.lines.filter((l) => l.startsWith('::error::')).length, 1);
    const message = run.lines[failed].slice('::error::'.length);
    const modelDir = join(run.outDir, 'model');
    assert.match(message, /^The model artifact could not be uploaded: .*403.*artifact is failing/, 'why the upload failed, from the service');
    const commentUrl = `https://github.com/${fake.owner}/${fake.repo}/pull/${PR_NUMBER}#issuecomment-${comment.id}`;
    assert.ok(message.includes(`The report is published (${commentUrl} and the job summary), but the model is not`), message);
    assert.ok(message.endsWith(`it is still on the runner at ${modelDir}, for later steps of this job. Re-run the job to upload it.`), message);
    assert.ok(existsSync(join(modelDir, 'model.json')), 'the model is where the message says');

    assert.equal(run.outputs['artifact-id'], undefined);
    assert.equal(run.outputs['comment-url'], commentUrl);
    assert.equal(run.outputs['model-path'], modelDir);
  });

  it('on push and workflow_dispatch: the job summary is written and no comment is posted', async () => {
    for (const event of ['push', 'workflow_dispatch'] as const) {
      await freshFake();
      const run = await runFlow({ event, inputs: { 'image-host': 'none' } });
      assert.equal(run.exitCode, 0, explain(run));
      assert.match(run.summary, /^#+ .*classifier-ci|Test accuracy/m, `${event}: the summary holds the report`);
      assert.ok(run.summary.length > 200, `${event}: the summary holds the report`);
      assert.equal(fake.comments.size, 0, `${event}: no comment of any kind`);
      assert.ok(!fake.requests.some((r) => r.path.includes('/comments')), `${event}: the comment endpoints are not even asked`);
      assert.equal(run.outputs['comment-url'], undefined);
      assert.ok(run.outputs['artifact-id'], `${event}: the artifact is uploaded`);
      assert.doesNotMatch(run.stdout, /::(warning|error)::/);
    }
  });

  it('comment: always on a push comments on the commit, once, and re-runs edit that comment', async () => {
    await freshFake();
    // Fine-tuning was applied: the exported model is the fine-tuned one, not trial 3's head.
    const result = smallRunResult();
    result.tuning.fineTune = { applied: true, reason: 'top block fine-tuned', valAccuracy: 0.9561 };
    const first = await runFlow({ event: 'push', inputs: { comment: 'always' }, result });
    assert.equal(first.exitCode, 0, explain(first));
    const comments = fake.commentsOn(SHA);
    assert.equal(comments.length, 1);
    assert.equal(fake.comments.size, 1, 'no pull request comment');
    assert.match(comments[0].body, /^<!-- classifier-ci:report:[0-9a-f]{16} -->\n/);
    assert.match(comments[0].body, IMAGE, 'with contents: write, the report shows its charts');
    assert.equal(first.outputs['comment-url'], `https://github.com/${fake.owner}/${fake.repo}/commit/${SHA}#commitcomment-${comments[0].id}`);
    assert.ok(first.summary.length > 200, 'the summary is written as well');
    assert.equal(first.outputs['val-accuracy'], '0.9561', "val-accuracy is the exported (fine-tuned) model's");

    const again = await runFlow({ event: 'push', inputs: { comment: 'always' }, result });
    assert.equal(again.exitCode, 0, explain(again));
    assert.equal(fake.commentsOn(SHA).length, 1);
    assert.equal(fake.commentsOn(SHA)[0].updatedCount, 1, 'updated in place');
  });

  it('without contents: write, the report is image-free and says how to turn images on', async () => {
    await freshFake();
    fake.faults = { git: 403 };
    const run = await runFlow({ event: 'pull_request' });
    assert.equal(run.exitCode, 0, explain(run));
    assert.ok(
      fake.requests.some((r) => r.path.includes('/git/') && r.status === 403),
      'the image host tried',
    );
    const [comment] = fake.commentsOn(PR_NUMBER);
    assert.ok(comment);
    for (const [where, text] of [
      ['comment', comment.body],
      ['summary', run.summary],
    ] as const) {
      assert.ok(text.includes(`> ${NO_PERMISSION_NOTE}`), `${where} has the note`);
      assert.doesNotMatch(text, IMAGE, `${where} has no images`);
    }
    assert.doesNotMatch(run.stdout, /::warning::/, 'a missing permission is a note in the report, not a warning');
  });

  it('image-host: none gives an image-free report with no note, and never calls the git API', async () => {
    await freshFake();
    const run = await runFlow({ event: 'pull_request', inputs: { 'image-host': 'none' } });
    assert.equal(run.exitCode, 0, explain(run));
    const [comment] = fake.commentsOn(PR_NUMBER);
    assert.ok(comment);
    for (const [where, text] of [
      ['comment', comment.body],
      ['summary', run.summary],
    ] as const) {
      assert.doesNotMatch(text, IMAGE, `${where} has no images`);
      assert.ok(!text.includes('contents: write'), `${where} has no note`);
    }
    assert.ok(!fake.requests.some((r) => r.path.includes('/git/')));
  });

  it("saves the cache under the dataset's content fingerprint: an edit that keeps file sizes is saved again", async () => {
    await freshFake();
    const seen: string[][] = [];
    const trainWith = (fingerprint: string) => async (options: TrainOptions) => {
      // What a restore brought back, then this run's embedding, named by its content.
      const embeddings = join(options.cacheDir, 'embeddings');
      seen.push(existsSync(embeddings) ? readdirSync(embeddings).sort() : []);
      await mkdir(embeddings, { recursive: true });
      await writeFile(join(embeddings, `${fingerprint.slice(0, 4)}.emb`), fingerprint);
      const result = smallRunResult();
      result.dataset.fingerprint = fingerprint;
      return standInTrain(options, result);
    };
    const before = 'a'.repeat(64);
    const edited = 'b'.repeat(64); // same files, same sizes, one image's pixels changed
    const inputs = { cache: 'true', comment: 'never', 'image-host': 'none' };
    const saved = () => fake.cacheEntries.filter((e) => e.finalized).map((e) => e.key.slice(-16));

    const first = await runFlow({ event: 'push', inputs, train: trainWith(before) });
    assert.equal(first.exitCode, 0, explain(first));
    assert.deepEqual(saved(), ['a'.repeat(16)]);

    const second = await runFlow({ event: 'push', inputs, train: trainWith(edited) });
    assert.equal(second.exitCode, 0, explain(second));
    assert.deepEqual(seen[1], ['aaaa.emb'], 'the earlier snapshot is restored');
    assert.deepEqual(saved(), ['a'.repeat(16), 'b'.repeat(16)], 'the new content is saved under its own key');

    const third = await runFlow({ event: 'push', inputs, train: trainWith(edited) });
    assert.equal(third.exitCode, 0, explain(third));
    assert.deepEqual(seen[2], ['aaaa.emb', 'bbbb.emb'], 'the newest snapshot is restored');
    assert.deepEqual(saved(), ['a'.repeat(16), 'b'.repeat(16)], 'unchanged content is not saved again');
    assert.match(third.stdout, /The embedding cache is up to date \(classifier-ci-v1-.*b{16}\); not saved again\./);
    assert.doesNotMatch(first.stdout + second.stdout + third.stdout, /::(warning|error)::/);
  });

  it('a weaker workflow cannot seed what main trains on, and only embeddings are cached', async () => {
    await freshFake();
    /** What each run found in its cache folder when training started, then what it leaves there. */
    const seen: string[][] = [];
    const list = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort() : []);
    const trainLeaving = (files: Record<string, string>, fingerprint: string) => async (options: TrainOptions) => {
      seen.push(list(options.cacheDir));
      for (const [path, text] of Object.entries(files)) {
        await mkdir(join(options.cacheDir, path, '..'), { recursive: true });
        await writeFile(join(options.cacheDir, path), text);
      }
      const result = smallRunResult();
      result.dataset.fingerprint = fingerprint;
      return standInTrain(options, result);
    };
    const inputs = { cache: 'true', comment: 'never', 'image-host': 'none' };
    const poisoned = { 'embeddings/0123/e.bin': 'poisoned vectors', 'backbones/abc/model.json': '{"evil":true}' };

    // A pull_request_target run restores but never saves, whatever its workflow.
    const target = await runFlow({ event: 'pull_request_target', inputs, workflowFile: 'train.yml', train: trainLeaving(poisoned, 'e'.repeat(64)) });
    assert.equal(target.exitCode, 0, explain(target));
    assert.match(target.stdout, /The embedding cache is not saved from a pull_request_target run: such runs can carry content from outside the repository\./);
    assert.equal(fake.cacheEntries.length, 0);

    // Another workflow file (or another job) saves into its own family only.
    const other = await runFlow({ event: 'push', inputs, workflowFile: 'label-bot.yml', train: trainLeaving(poisoned, 'e'.repeat(64)) });
    assert.equal(other.exitCode, 0, explain(other));
    const otherJob = await runFlow({ event: 'push', inputs, job: 'poke', train: trainLeaving(poisoned, 'f'.repeat(64)) });
    assert.equal(otherJob.exitCode, 0, explain(otherJob));
    assert.equal(fake.cacheEntries.filter((e) => e.finalized).length, 2);

    // main's own workflow and job restores neither.
    const main = await runFlow({
      event: 'push',
      inputs,
      train: trainLeaving(
        {
          'embeddings/4567/e.bin': 'vectors',
          'backbones/def/model.json': '{}',
          'backbones/def/group1-shard1of1.bin': 'weights',
          'dataset-zip/cat/a.png': 'png',
        },
        'a'.repeat(64),
      ),
    });
    assert.equal(main.exitCode, 0, explain(main));
    assert.deepEqual(seen[3], [], 'nothing from other workflows or jobs is restored');
    assert.match(main.stdout, /No embedding cache restored/);

    // Its next run gets back its embeddings, and nothing else (weights and zips are fetched and checked again).
    const next = await runFlow({ event: 'push', inputs, train: trainLeaving({}, 'a'.repeat(64)) });
    assert.equal(next.exitCode, 0, explain(next));
    assert.deepEqual(seen[4], ['embeddings', join('embeddings', '4567'), join('embeddings', '4567', 'e.bin')]);
  });
});

describe('val-accuracy output', () => {
  it("is the exported model's: fine-tuned if applied, else the chosen trial, else the bake-off head", () => {
    // The real runs in test/fixtures: one where a trial beat the bake-off head.
    // When in neither a trial won (the one rule kept the bake-off head), the small run with its top trial marked chosen.
    const tuned = () => {
      const real = [smallRunResult(), baselineRunResult()].find((r) => r.tuning.bestTrial >= 0);
      if (real) return real;
      const r = smallRunResult();
      r.tuning.bestTrial = r.tuning.trials.reduce((best, t) => (t.valAccuracy > best.valAccuracy ? t : best)).index;
      return r;
    };
    const result = tuned();
    const chosen = result.tuning.trials.find((t) => t.index === result.tuning.bestTrial)!.valAccuracy;
    assert.equal(exportedValAccuracy(result), chosen, 'the chosen trial');
    result.tuning.fineTune = { applied: false, reason: 'did not beat the tuned head', valAccuracy: chosen / 2 };
    assert.equal(exportedValAccuracy(result), chosen, 'a fine-tune that lost was not exported');
    result.tuning.fineTune = { applied: true, reason: 'fine-tuned', valAccuracy: 0.9561 };
    assert.equal(exportedValAccuracy(result), 0.9561);
    const kept = tuned();
    kept.tuning.bestTrial = -1;
    assert.equal(exportedValAccuracy(kept), kept.bakeOff.candidates.find((c) => c.backbone === kept.bakeOff.winner)!.valAccuracy, 'bake-off head kept');
    // Trials are found by their index, not their position in the list.
    const reordered = tuned();
    reordered.tuning.trials.reverse();
    assert.equal(exportedValAccuracy(reordered), chosen);
  });
});
