/**
 * The sticky report comment: one per workflow and dataset, found again by a hidden marker
 * and edited in place on re-runs, so a pull request never collects a pile of reports.
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

/** Creates or updates the sticky comment on a pull request (or issue). */
export async function upsertPullRequestComment(octokit: GitHubClient, where: Repo & { issueNumber: number }, marker: string, body: string): Promise<PostedComment> {
  const existing = await octokit.paginate(octokit.rest.issues.listComments, { ...where, issue_number: where.issueNumber, per_page: 100 }, (response, done) => {
    const match = response.data.find((c) => c.body?.includes(marker));
    if (match) done();
    return match ? [match] : [];
  });
  const found = existing[0];
  if (found) {
    try {
      const { data } = await octokit.rest.issues.updateComment({ owner: where.owner, repo: where.repo, comment_id: found.id, body });
      return { id: data.id, url: data.html_url, updated: true };
    } catch (error) {
      // Someone else's comment that copied the marker cannot be edited: post our own instead.
      if (statusOf(error) !== 403 && statusOf(error) !== 404) throw error;
    }
  }
  const { data } = await octokit.rest.issues.createComment({ owner: where.owner, repo: where.repo, issue_number: where.issueNumber, body });
  return { id: data.id, url: data.html_url, updated: false };
}

/** Creates or updates the sticky comment on a commit (pushes with comment: always). */
export async function upsertCommitComment(octokit: GitHubClient, where: Repo & { sha: string }, marker: string, body: string): Promise<PostedComment> {
  const { data: comments } = await octokit.rest.repos.listCommentsForCommit({ owner: where.owner, repo: where.repo, commit_sha: where.sha, per_page: 100 });
  const found = comments.find((c) => c.body?.includes(marker));
  if (found) {
    const { data } = await octokit.rest.repos.updateCommitComment({ owner: where.owner, repo: where.repo, comment_id: found.id, body });
    return { id: data.id, url: data.html_url, updated: true };
  }
  const { data } = await octokit.rest.repos.createCommitComment({ owner: where.owner, repo: where.repo, commit_sha: where.sha, body });
  return { id: data.id, url: data.html_url, updated: false };
}
