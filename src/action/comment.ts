/**
 * The sticky report comment: one per workflow and dataset, found again by a hidden marker
 * and edited in place on re-runs, so a pull request never collects a pile of reports. Only a
 * comment by the token's own identity that starts with the marker is ours (see isOurComment).
 */
import { createHash } from 'node:crypto';
import { GITHUB_COMMENT_MAX_CHARS as COMMENT_MAX_CHARS } from '../core/report/github-limits.js';
import { statusOf, type GitHubClient } from './github.js';

/**
 * The hidden marker. It carries a hash of the workflow and dataset rather than the names, so
 * nothing user-controlled lands inside the HTML comment.
 */
export function commentMarker(workflow: string, dataset: string): string {
  const id = createHash('sha256').update(`${workflow}\0${dataset}`).digest('hex').slice(0, 16);
  return `<!-- classifier-ci:report:${id} -->`;
}

/**
 * Fits a body into GitHub's comment limit: the marker stays, the end is cut at a line break
 * and replaced by `tail` (e.g. a link to the full report).
 */
export function fitComment(marker: string, markdown: string, tail: string, max = COMMENT_MAX_CHARS): string {
  const whole = `${marker}\n${markdown}`;
  if (whole.length <= max) return whole;
  const note = `\n\n…\n\n${tail}`;
  const room = max - marker.length - 1 - note.length;
  let cut = markdown.slice(0, Math.max(0, room));
  const lastBreak = cut.lastIndexOf('\n');
  if (lastBreak > room / 2) cut = cut.slice(0, lastBreak);
  return `${marker}\n${cut}${note}`;
}

export interface PostedComment {
  id: number;
  url: string;
  /** true when an existing comment was edited, false when a new one was created. */
  updated: boolean;
}

interface Repo {
  owner: string;
  repo: string;
}

/** The login comments made with the workflow's own GITHUB_TOKEN carry. */
export const ACTIONS_BOT = 'github-actions[bot]';

/**
 * Who the token acts as, so only our own comments are ever reused. A personal token answers
 * GET /user; a GitHub App installation token (GITHUB_TOKEN is one) is refused there, and
 * GraphQL's `viewer` names it (`<app-slug>[bot]`). If neither answers, GITHUB_TOKEN's bot.
 */
export async function tokenLogin(octokit: GitHubClient): Promise<string> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch {
    // An App token: ask GraphQL below.
  }
  try {
    return (await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }')).viewer.login;
  } catch {
    return ACTIONS_BOT;
  }
}

interface ListedComment {
  id: number;
  body?: string | null;
  user?: { login: string } | null;
}

/**
 * Ours: written by the token's identity and starting with the marker. Anyone can post a
 * comment that contains the marker (it is a hash of public names); such a comment is never
 * edited, and does not stop us from posting our own.
 */
export function isOurComment(comment: ListedComment, marker: string, login: string): boolean {
  return comment.user?.login.toLowerCase() === login.toLowerCase() && (comment.body ?? '').startsWith(marker);
}

/**
 * Edits our comment. A comment deleted since it was listed (404) is posted again; any other
 * refusal is passed on (posting a new comment on every run instead would pile them up).
 */
async function updateOrRecreate(
  update: () => Promise<{ data: { id: number; html_url: string } }>,
  create: () => Promise<{ data: { id: number; html_url: string } }>,
): Promise<PostedComment> {
  try {
    const { data } = await update();
    return { id: data.id, url: data.html_url, updated: true };
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  const { data } = await create();
  return { id: data.id, url: data.html_url, updated: false };
}

/**
 * Creates or updates the sticky comment on a pull request (or issue), reading past the first
 * 100 comments. `author` is the token's login (see tokenLogin), asked for when not given.
 */
export async function upsertPullRequestComment(
  octokit: GitHubClient,
  where: Repo & { issueNumber: number },
  marker: string,
  body: string,
  author?: string,
): Promise<PostedComment> {
  const login = author ?? (await tokenLogin(octokit));
  const { owner, repo, issueNumber } = where;
  const found = await firstMatch(
    octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 }),
    marker,
    login,
  );
  const create = () => octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  if (!found) {
    const { data } = await create();
    return { id: data.id, url: data.html_url, updated: false };
  }
  return updateOrRecreate(() => octokit.rest.issues.updateComment({ owner, repo, comment_id: found.id, body }), create);
}

/** Creates or updates the sticky comment on a commit (pushes with comment: always), reading past the first 100 comments. */
export async function upsertCommitComment(
  octokit: GitHubClient,
  where: Repo & { sha: string },
  marker: string,
  body: string,
  author?: string,
): Promise<PostedComment> {
  const login = author ?? (await tokenLogin(octokit));
  const { owner, repo, sha } = where;
  const found = await firstMatch(
    octokit.paginate.iterator(octokit.rest.repos.listCommentsForCommit, { owner, repo, commit_sha: sha, per_page: 100 }),
    marker,
    login,
  );
  const create = () => octokit.rest.repos.createCommitComment({ owner, repo, commit_sha: sha, body });
  if (!found) {
    const { data } = await create();
    return { id: data.id, url: data.html_url, updated: false };
  }
  return updateOrRecreate(() => octokit.rest.repos.updateCommitComment({ owner, repo, comment_id: found.id, body }), create);
}

/** Reads pages until our comment turns up; later pages are not fetched. */
async function firstMatch(pages: AsyncIterable<{ data: ListedComment[] }>, marker: string, login: string): Promise<ListedComment | undefined> {
  for await (const page of pages) {
    const match = page.data.find((comment) => isOurComment(comment, marker, login));
    if (match) return match;
  }
  return undefined;
}
