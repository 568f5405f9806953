/**
 * Cache trust (issue 11, item 7): the key family names the workflow file and job, so no other
 * workflow's entries are restored; runs of events that carry outside content never save; only
 * the embeddings folder goes into the cache. Against the loopback fake of the cache service.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CACHE_SAVING_EVENTS, cacheKeys, restoreEmbeddingCache, saveEmbeddingCache, type CacheScope } from '../src/action/cache.js';
import { runtimeJwt, startFakeGitHub, type FakeGitHub } from './fakes/github-server.js';
import { captureStdout } from './fakes/runner.js';

const MAIN: CacheScope = { workflow: '.github/workflows/train.yml', job: 'train' };
const FINGERPRINT = 'ab'.repeat(32);

describe('cache keys name the workflow file and job', () => {
  it('keeps every key, restore keys included, inside its own family', () => {
    const main = cacheKeys(['small_cnn'], MAIN, 'linux-x64');
    for (const other of [
      { workflow: '.github/workflows/pr-target.yml', job: 'train' },
      { workflow: '.github/workflows/train.yml', job: 'comment-bot' },
      // The file and the job are kept apart: no concatenation makes another scope's keys.
      { workflow: '.github/workflows/train.ym', job: 'ltrain' },
    ]) {
      const keys = cacheKeys(['small_cnn'], other, 'linux-x64');
      for (const prefix of main.restore)
        assert.ok(
          !keys.save(FINGERPRINT).startsWith(prefix),
          `${other.workflow}/${other.job} saves under ${keys.save(FINGERPRINT)}, which ${prefix} would restore`,
        );
    }
    assert.ok(main.save(FINGERPRINT).startsWith(main.restore.at(-1)!), 'the widest restore key still matches this family');
  });

  it("saves only from events whose content is the repository's own", () => {
    for (const event of ['pull_request_target', 'issue_comment', 'workflow_run', 'pull_request_review_comment', 'repository_dispatch'])
      assert.ok(!CACHE_SAVING_EVENTS.includes(event), event);
    for (const event of ['push', 'pull_request', 'workflow_dispatch']) assert.ok(CACHE_SAVING_EVENTS.includes(event), event);
  });
});

describe('against the fake cache service', () => {
  const saved = { ...process.env };
  let fake: FakeGitHub;
  let root: string;
  let runs = 0;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'classifier-ci-cache-trust-'));
    fake = await startFakeGitHub({ restToken: 'ghs_cache' });
  });
  after(async () => {
    process.env = saved;
    await fake.close();
    await rm(root, { recursive: true, force: true });
  });

  /**
   * The service variables of a new job and its cache folder, emptied. Always the same path, as
   * on a runner: the cache version hashes the paths, so another path would miss for that reason alone.
   */
  async function job(): Promise<string> {
    const id = ++runs;
    process.env = {
      ...saved,
      ACTIONS_RUNTIME_TOKEN: runtimeJwt(`f2000000-0000-4000-8000-00000000${1000 + id}`, `f2000000-0000-4000-8000-0000000${1000 + id}a`),
      ACTIONS_RESULTS_URL: `${fake.url}/`,
      ACTIONS_CACHE_SERVICE_V2: 'true',
      RUNNER_TEMP: join(root, `temp-${id}`),
    };
    const cacheDir = join(root, 'cache');
    await rm(cacheDir, { recursive: true, force: true });
    await mkdir(cacheDir, { recursive: true });
    return cacheDir;
  }

  async function leave(cacheDir: string, files: Record<string, string>): Promise<void> {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(cacheDir, path, '..'), { recursive: true });
      await writeFile(join(cacheDir, path), text);
    }
  }

  const list = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort() : []);

  it('a pull_request_target run restores but saves nothing', async () => {
    const dir = await job();
    const keys = cacheKeys(['small_cnn'], MAIN);
    const restored = await restoreEmbeddingCache(dir, keys);
    await leave(dir, { 'embeddings/aa/e.bin': 'poisoned' });
    const out = await captureStdout(async () => assert.equal(await saveEmbeddingCache(dir, keys, FINGERPRINT, restored, 'pull_request_target'), false));
    assert.match(out, /not saved from a pull_request_target run/);
    assert.equal(fake.cacheEntries.length, 0);
  });

  it("another workflow's entry is not restored; the same scope's is, with embeddings only", async () => {
    const otherDir = await job();
    const other = cacheKeys(['small_cnn'], { workflow: '.github/workflows/other.yml', job: 'train' });
    await leave(otherDir, { 'embeddings/bb/e.bin': 'from another workflow' });
    assert.equal(await saveEmbeddingCache(otherDir, other, FINGERPRINT, await restoreEmbeddingCache(otherDir, other), 'push'), true);

    const mainDir = await job();
    const keys = cacheKeys(['small_cnn'], MAIN);
    const first = await restoreEmbeddingCache(mainDir, keys);
    assert.equal(first.matchedKey, undefined, "another workflow's entry is not restored");
    assert.deepEqual(list(mainDir), []);
    await leave(mainDir, { 'embeddings/cc/e.bin': 'vectors', 'backbones/dd/model.json': '{}', 'backbones/dd/shard.bin': 'weights', 'zip/cat/a.png': 'png' });
    assert.equal(await saveEmbeddingCache(mainDir, keys, FINGERPRINT, first, 'push'), true);

    const nextDir = await job();
    const next = await restoreEmbeddingCache(nextDir, keys);
    assert.equal(next.matchedKey, keys.save(FINGERPRINT));
    assert.deepEqual(list(nextDir), ['embeddings', join('embeddings', 'cc'), join('embeddings', 'cc', 'e.bin')]);
  });

  it('a run that computed no embeddings saves nothing, quietly', async () => {
    const dir = await job();
    const keys = cacheKeys(['hog'], { ...MAIN, job: 'hog-only' });
    const before = fake.cacheEntries.length;
    const out = await captureStdout(async () =>
      assert.equal(await saveEmbeddingCache(dir, keys, FINGERPRINT, await restoreEmbeddingCache(dir, keys), 'push'), false),
    );
    assert.doesNotMatch(out, /::warning::/);
    assert.equal(fake.cacheEntries.length, before);
  });
});
