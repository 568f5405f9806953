/**
 * The dataset review as warning annotations: the action's whole flow (src/action/main.ts
 * `run`) with a stand-in for training that returns a RunResult, the real @actions/core writing
 * workflow commands to stdout, and the other clients talking to the loopback fake of GitHub.
 * The annotations are read back from stdout as the runner reads them.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../src/action/main.js';
import { reviewAnnotations } from '../src/core/report/annotations.js';
import type { DatasetReview, RunResult } from '../src/core/result.js';
import { runtimeJwt, startFakeGitHub, type FakeGitHub } from './fakes/github-server.js';
import { captureStdout } from './fakes/runner.js';
import { smallRunResult } from './fixtures/run-results.js';

const TOKEN = 'ghs_annotationsToken';

interface Annotation {
  properties: Record<string, string>;
  message: string;
}

/** `::warning k=v,k=v::message` lines, with @actions/core's escapes undone. */
function warnings(stdout: string): Annotation[] {
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  return stdout.split('\n').flatMap((line) => {
    const m = /^::warning( [^:]*)?::(.*)$/.exec(line);
    if (!m) return [];
    const properties = Object.fromEntries(
      (m[1] ?? '')
        .trim()
        .split(',')
        .filter(Boolean)
        .map((p) => {
          const [k, ...v] = p.split('=');
          return [k, unescape(v.join('='))];
        }),
    );
    return [{ properties, message: unescape(m[2]) }];
  });
}

/** A review with `n` of each kind, file names derived from the real run's labels. */
function largeReview(base: DatasetReview, n: number): DatasetReview {
  const file = (kind: string, i: number) => `bag/${kind}-${String(i).padStart(3, '0')}.png`;
  return {
    ...base,
    labelSuspects: Array.from({ length: n }, (_, i) => ({ file: file('suspect', i), label: 'bag', suggested: 't-shirt', confidence: 0.9 })),
    nearDuplicates: Array.from({ length: n }, (_, i) => ({
      files: [file('original', i), file('copy', i)] as [string, string],
      similarity: 0.97,
      crossSplit: true,
      crossLabel: false,
      splits: ['train', 'test'] as [string, string],
    })),
    outliers: Array.from({ length: n }, (_, i) => ({ file: file('outlier', i), label: 'bag', score: 5 })),
  };
}

describe('review annotations: the caps', () => {
  const base = smallRunResult().review!;
  it('at most 10 per kind and 30 in all, in the order label suspects, duplicates, outliers; one line says how many more', () => {
    const { annotations, left, overflow } = reviewAnnotations(largeReview(base, 12), (f) => `data/${f}`);
    assert.equal(annotations.length, 30);
    assert.deepEqual(
      ['label suspect', 'near-duplicate', 'outlier'].map((k) => annotations.filter((a) => a.title.endsWith(k)).length),
      [10, 10, 10],
    );
    assert.equal(left, 36 - 30);
    assert.match(overflow!, /^6 more suspect files are in the report's Dataset review/);
    for (const a of annotations) assert.ok(a.message.startsWith(`data/${a.file} `), a.message);
  });

  it('the total cap cuts the later kinds; same-label pairs within one split are not annotated', () => {
    const review = largeReview(base, 12);
    review.nearDuplicates[0] = { ...review.nearDuplicates[0], crossSplit: false, crossLabel: false };
    const { annotations, left } = reviewAnnotations(review, (f) => f, { perKind: 10, total: 15 });
    assert.equal(annotations.length, 15);
    assert.equal(annotations.filter((a) => a.title.endsWith('outlier')).length, 0);
    assert.equal(left, 12 + 11 + 12 - 15);
    assert.ok(!annotations.some((a) => a.file === 'bag/copy-000.png'), 'a pair in one split under one label is no suspect');
  });

  it('a review with nothing to flag gives no annotation and no overflow line', () => {
    const out = reviewAnnotations({ ...base, labelSuspects: [], nearDuplicates: [], outliers: [] }, (f) => f);
    assert.deepEqual(out, { annotations: [], left: 0 });
  });
});

describe('review annotations in the action', { timeout: 5 * 60_000 }, () => {
  const saved = { ...process.env };
  let root: string;
  let fake: FakeGitHub;
  let runs = 0;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'classifier-ci-annotations-'));
    await mkdir(join(root, 'repo', 'data', 'images', 'bag'), { recursive: true });
    fake = await startFakeGitHub({ restToken: TOKEN });
  });
  after(async () => {
    process.env = saved;
    await fake?.close();
    await rm(root, { recursive: true, force: true });
  });

  async function runAction(result: RunResult): Promise<string> {
    const id = ++runs;
    const dir = join(root, `run-${id}`);
    const runnerTemp = join(root, `runner-temp-${id}`);
    await mkdir(runnerTemp, { recursive: true });
    await mkdir(dir, { recursive: true });
    const eventPath = join(dir, 'event.json');
    await writeFile(eventPath, JSON.stringify({ ref: 'refs/heads/main', after: 'd'.repeat(40) }));
    await writeFile(join(dir, 'output'), '');
    await writeFile(join(dir, 'summary.md'), '');
    const inputs: Record<string, string> = {
      'dataset-path': 'data/images',
      backbones: 'small_cnn',
      comment: 'never',
      'image-host': 'none',
      cache: 'false',
      baseline: 'none',
      'github-token': TOKEN,
      'native-backend': 'none',
    };
    process.env = {
      ...saved,
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
      GITHUB_WORKSPACE: join(root, 'repo'),
      RUNNER_TEMP: runnerTemp,
      GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_SHA: 'd'.repeat(40),
      GITHUB_RUN_ID: String(5000 + id),
      GITHUB_WORKFLOW: 'Train',
      GITHUB_WORKFLOW_REF: `${fake.owner}/${fake.repo}/.github/workflows/train.yml@refs/heads/main`,
      GITHUB_JOB: 'train',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: fake.apiUrl,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      ACTIONS_RUNTIME_TOKEN: runtimeJwt(`f2000000-0000-4000-8000-0000000${5000 + id}`, `f2000000-0000-4000-8000-000000${5000 + id}a`),
      ACTIONS_RESULTS_URL: `${fake.url}/`,
      ACTIONS_CACHE_SERVICE_V2: 'true',
    };
    try {
      return await captureStdout(() =>
        run({
          train: async (options) => {
            await mkdir(join(options.outDir, 'model'), { recursive: true });
            await writeFile(join(options.outDir, 'model', 'model.json'), '{"format":"layers-model"}');
            await writeFile(join(options.outDir, 'result.json'), JSON.stringify(result));
            return result;
          },
        }),
      );
    } finally {
      process.exitCode = undefined;
      process.env = { ...saved };
    }
  }

  it('each suspect file of the real run gets a warning on its repository path, which the message names', async () => {
    const result = smallRunResult();
    const review = result.review!;
    const stdout = await runAction(result);
    const got = warnings(stdout).filter((w) => w.properties.title?.startsWith('classifier-ci: '));
    const expected = [
      ...review.labelSuspects.map((s) => s.file),
      ...review.nearDuplicates.filter((d) => d.crossSplit || d.crossLabel).map((d) => d.files[1]),
      ...review.outliers.map((o) => o.file),
    ];
    assert.ok(expected.length > 0, 'the real run has suspects');
    assert.deepEqual(
      got.map((w) => w.properties.file),
      expected.map((f) => `data/images/${f}`),
    );
    for (const w of got) assert.ok(w.message.startsWith(`${w.properties.file} `), w.message);
    const suspect = review.labelSuspects[0];
    assert.ok(got[0].message.includes(`labelled "${suspect.label}" but looks like "${suspect.suggested}"`), got[0].message);
    assert.ok(!got.some((w) => w.properties.title === 'classifier-ci: dataset review'), 'no overflow line when all fit');
  });

  it('capped at 30 with one line saying how many more; hostile file names cannot forge a command', async () => {
    const result = smallRunResult();
    const review = largeReview(result.review!, 15);
    review.labelSuspects[0] = { ...review.labelSuspects[0], file: 'bag/x\n::error::forged,%0A.png', suggested: 't-shirt\n::error::also' };
    result.review = review;
    const stdout = await runAction(result);
    const got = warnings(stdout).filter((w) => w.properties.title?.startsWith('classifier-ci: '));
    const annotated = got.filter((w) => w.properties.file);
    assert.equal(annotated.length, 30);
    const overflow = got.filter((w) => w.properties.title === 'classifier-ci: dataset review');
    assert.equal(overflow.length, 1);
    assert.match(overflow[0].message, /^15 more suspect files are in the report's Dataset review and in result\.json/);
    assert.ok(!stdout.split('\n').some((l) => l.startsWith('::error::')), 'no forged command line');
    const hostile = annotated[0];
    assert.ok(!hostile.message.includes('\n'), 'the message is one line');
    // The file property is percent-encoded by @actions/core, losslessly: the annotation still finds the file.
    assert.equal(hostile.properties.file, 'data/images/bag/x\n::error::forged,%0A.png');
  });
});
