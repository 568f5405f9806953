/**
 * The sticky report comment cannot be hijacked: only a comment by the token's own identity
 * that starts with the marker is reused, however many comments come before it. The real
 * @actions/github client talks to the loopback fake of the REST and GraphQL APIs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACTIONS_BOT, commentMarker, isOurComment, tokenLogin, upsertCommitComment, upsertPullRequestComment } from '../src/action/comment.js';
import { githubClient } from '../src/action/github.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from './fakes/github-server.js';

const TOKEN = 'ghs_sticky';
const saved = { ...process.env };

/** A fake GitHub for one describe block, with GITHUB_API_URL pointing at it. */
function withFake(options: FakeGitHubOptions = {}): () => FakeGitHub {
  let fake: FakeGitHub;
  before(async () => {
    fake = await startFakeGitHub({ restToken: TOKEN, ...options });
    process.env.GITHUB_API_URL = fake.apiUrl;
  });
  after(async () => {
    process.env = { ...saved };
    await fake.close();
  });
  return () => fake;
}

describe('isOurComment', () => {
  const marker = commentMarker('Train', 'dataset');
  test('our login, body starting with the marker', () => {
    assert.equal(isOurComment({ id: 1, body: `${marker}\nreport`, user: { login: 'github-actions[bot]' } }, marker, ACTIONS_BOT), true);
    assert.equal(
      isOurComment({ id: 1, body: `${marker}\nreport`, user: { login: 'GitHub-Actions[bot]' } }, marker, ACTIONS_BOT),
      true,
      'logins compare without case',
    );
  });
  test('another author, a marker further down, or no author at all are not ours', () => {
    assert.equal(isOurComment({ id: 1, body: `${marker}\nforged`, user: { login: 'mallory' } }, marker, ACTIONS_BOT), false);
    assert.equal(isOurComment({ id: 1, body: `quoting:\n${marker}`, user: { login: 'github-actions[bot]' } }, marker, ACTIONS_BOT), false);
    assert.equal(isOurComment({ id: 1, body: `${marker}\nghost`, user: null }, marker, ACTIONS_BOT), false);
    assert.equal(isOurComment({ id: 1, body: null, user: { login: 'github-actions[bot]' } }, marker, ACTIONS_BOT), false);
  });
});

describe('with GITHUB_TOKEN (an App installation token: GET /user is refused)', () => {
  const fake = withFake();
  const repo = () => ({ owner: fake().owner, repo: fake().repo });

  test('the token is github-actions[bot], found through GraphQL', async () => {
    assert.equal(await tokenLogin(githubClient(TOKEN)), 'github-actions[bot]');
    assert.ok(
      fake().requests.some((r) => r.path === '/api/user' && r.status === 403),
      'GET /user was tried first',
    );
  });

  test('a forged marker comment by another author is ignored, never edited', async () => {
    const octokit = githubClient(TOKEN);
    const marker = commentMarker('Train', 'dataset');
    const forged = fake().addComment(21, `${marker}\nI wrote this first`, 'mallory');
    const first = await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 21 }, marker, `${marker}\nreport v1`);
    assert.equal(first.updated, false);
    assert.notEqual(first.id, forged.id);
    const second = await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 21 }, marker, `${marker}\nreport v2`);
    assert.deepEqual([second.updated, second.id], [true, first.id]);
    assert.equal(forged.updatedCount, 0);
    assert.equal(forged.body, `${marker}\nI wrote this first`);
    assert.deepEqual(
      fake()
        .commentsOn(21)
        .map((c) => [c.author, c.body]),
      [
        ['mallory', `${marker}\nI wrote this first`],
        ['github-actions[bot]', `${marker}\nreport v2`],
      ],
    );
  });

  test('our own comment that merely quotes the marker is not the report', async () => {
    const octokit = githubClient(TOKEN);
    const marker = commentMarker('Train', 'quoted');
    const quoting = fake().addComment(22, `See the report below.\n${marker}`, 'github-actions[bot]');
    const posted = await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 22 }, marker, `${marker}\nreport`);
    assert.equal(posted.updated, false);
    assert.equal(quoting.updatedCount, 0);
  });

  test('finds ours on page 2 of 150 pull request comments', async () => {
    const octokit = githubClient(TOKEN);
    const marker = commentMarker('Train', 'busy');
    for (let i = 0; i < 120; i++) fake().addComment(23, i % 10 === 0 ? `${marker}\nforged ${i}` : `chatter ${i}`, `user${i}`);
    const ours = fake().addComment(23, `${marker}\nold report`, 'github-actions[bot]');
    for (let i = 0; i < 29; i++) fake().addComment(23, `more chatter ${i}`, `user${i}`);
    assert.equal(fake().commentsOn(23).length, 150);
    const posted = await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 23 }, marker, `${marker}\nnew report`, ACTIONS_BOT);
    assert.deepEqual([posted.updated, posted.id], [true, ours.id]);
    assert.equal(ours.body, `${marker}\nnew report`);
    assert.equal(fake().commentsOn(23).length, 150, 'nothing new was posted');
    assert.ok(
      fake()
        .commentsOn(23)
        .filter((c) => c.author !== 'github-actions[bot]')
        .every((c) => c.updatedCount === 0),
    );
    assert.ok(
      fake().requests.some((r) => /\/issues\/23\/comments\?.*page=2/.test(r.path)),
      'the second page was read',
    );
  });

  test('finds ours on page 2 of 150 commit comments, past a forged one', async () => {
    const octokit = githubClient(TOKEN);
    const marker = commentMarker('Train', 'dataset');
    const sha = 'c'.repeat(40);
    const forged = fake().addComment(sha, `${marker}\nforged`, 'mallory');
    for (let i = 0; i < 119; i++) fake().addComment(sha, `chatter ${i}`, `user${i}`);
    const ours = fake().addComment(sha, `${marker}\nold`, 'github-actions[bot]');
    for (let i = 0; i < 29; i++) fake().addComment(sha, `more ${i}`, `user${i}`);
    const posted = await upsertCommitComment(octokit, { ...repo(), sha }, marker, `${marker}\nnew`);
    assert.deepEqual([posted.updated, posted.id], [true, ours.id]);
    assert.equal(forged.updatedCount, 0);
    assert.equal(fake().commentsOn(sha).length, 150);
  });

  test('a forged commit comment alone gets a comment of our own beside it', async () => {
    const octokit = githubClient(TOKEN);
    const marker = commentMarker('Train', 'dataset');
    const sha = 'e'.repeat(40);
    const forged = fake().addComment(sha, `${marker}\nforged`, 'mallory');
    const posted = await upsertCommitComment(octokit, { ...repo(), sha }, marker, `${marker}\nours`);
    assert.equal(posted.updated, false);
    assert.equal(forged.updatedCount, 0);
    assert.equal(fake().commentsOn(sha).length, 2);
  });

  test('a 403 on update is passed on, and no second report is posted', async () => {
    const octokit = githubClient(TOKEN);
    const marker = commentMarker('Train', 'locked');
    await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 24 }, marker, `${marker}\nv1`);
    fake().faults['comment-update'] = 403;
    try {
      await assert.rejects(
        upsertPullRequestComment(octokit, { ...repo(), issueNumber: 24 }, marker, `${marker}\nv2`),
        (error: { status?: number }) => error.status === 403,
      );
    } finally {
      delete fake().faults['comment-update'];
    }
    assert.deepEqual(
      fake()
        .commentsOn(24)
        .map((c) => c.body),
      [`${marker}\nv1`],
    );
  });

  test('our comment deleted between listing and update is posted again', async () => {
    const octokit = githubClient(TOKEN);
    const marker = commentMarker('Train', 'deleted');
    await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 25 }, marker, `${marker}\nv1`);
    fake().faults['comment-update'] = 404;
    try {
      const posted = await upsertPullRequestComment(octokit, { ...repo(), issueNumber: 25 }, marker, `${marker}\nv2`);
      assert.equal(posted.updated, false);
    } finally {
      delete fake().faults['comment-update'];
    }
  });
});

describe('with a personal access token', () => {
  const fake = withFake({ identity: { login: 'octo-user', app: false } });

  test("GET /user names the token, and the bot's marker comment is not ours", async () => {
    const octokit = githubClient(TOKEN);
    assert.equal(await tokenLogin(octokit), 'octo-user');
    const marker = commentMarker('Train', 'dataset');
    const bots = fake().addComment(31, `${marker}\nby another workflow`, 'github-actions[bot]');
    const first = await upsertPullRequestComment(octokit, { owner: fake().owner, repo: fake().repo, issueNumber: 31 }, marker, `${marker}\nmine`);
    const again = await upsertPullRequestComment(octokit, { owner: fake().owner, repo: fake().repo, issueNumber: 31 }, marker, `${marker}\nmine again`);
    assert.equal(first.updated, false);
    assert.deepEqual([again.updated, again.id], [true, first.id]);
    assert.equal(bots.updatedCount, 0);
  });
});

describe("with another GitHub App's installation token", () => {
  const fake = withFake({ identity: { login: 'report-app[bot]', app: true } });

  test("GraphQL names the app's bot", async () => {
    assert.equal(await tokenLogin(githubClient(TOKEN)), 'report-app[bot]');
    assert.ok(fake().requests.some((r) => r.path === '/api/graphql' && r.status === 200));
  });
});

describe('when neither GET /user nor GraphQL answers', () => {
  const fake = withFake({ identity: { login: 'github-actions[bot]', app: true } });

  test("the token is taken for GITHUB_TOKEN's bot", async () => {
    fake().faults.identity = 502;
    assert.equal(await tokenLogin(githubClient(TOKEN)), ACTIONS_BOT);
  });
});
