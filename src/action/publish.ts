/**
 * Publishing the report: the job summary on every event, and the sticky comment where the
 * event and the `comment` input ask for one (a pull request comment, or a commit comment on
 * pushes with `comment: always`). Every failure here is a warning; what was published is
 * returned so the caller can say where the report went.
 */
import * as core from '@actions/core';
import { escapeMarkdown } from '../core/report/escape.js';
import { GITHUB_SUMMARY_MAX_BYTES } from '../core/report/github-limits.js';
import type { RunResult } from '../core/result.js';
import type { BaselineOutcome } from './baseline.js';
import type { UploadOutcome } from './artifact.js';
import { commentMarker, fitComment, upsertCommitComment, upsertPullRequestComment, type PostedComment } from './comment.js';
import * as env from './env.js';
import { requestFailure, type GitHubClient } from './github.js';
import { RepoImageHost } from './image-host.js';
import type { ActionInputs } from './inputs.js';
import { withGroup } from './log.js';
import { readerView, renderForGitHub } from './report.js';

export interface PublishContext {
  octokit?: GitHubClient;
  pullRequestNumber?: number;
  baseline?: BaselineOutcome;
  upload: UploadOutcome;
  warn: (message: string) => void;
}

export interface Published {
  /** Whether the job summary was written. */
  summary: boolean;
  /** The comment, when one was posted or updated. */
  comment?: PostedComment;
}

export async function publish(inputs: ActionInputs, result: RunResult, ctx: PublishContext): Promise<Published> {
  const { owner, repo } = env.githubRepository();
  const { warn } = ctx;
  const host = ctx.octokit && inputs.imageHost === 'repo' ? new RepoImageHost(ctx.octokit, { owner, repo, serverUrl: env.githubServerUrl() }) : undefined;
  const fullReportUrl = ctx.upload.ok ? ctx.upload.artifact.url : undefined;
  const artifactName = escapeMarkdown(inputs.artifactName);
  const rendered = await withGroup('Rendering the report', () =>
    renderForGitHub(result, { baseline: ctx.baseline?.found ? ctx.baseline.result : undefined, host, fullReportUrl, view: readerView(inputs) }, warn),
  );
  if (host?.problem) warn(`Charts are not shown: ${host.problem}.`);

  const footer = [
    host?.note ? `> ${host.note}` : '',
    // The reason is Markdown with its user-controlled parts escaped (baseline.ts).
    ctx.baseline && !ctx.baseline.found ? `_No baseline to compare with: ${ctx.baseline.reason}._` : '',
    ctx.upload.ok
      ? `<sub>Model, result.json and the full report: artifact [${artifactName}](${ctx.upload.artifact.url}).</sub>`
      : `<sub>The model artifact could not be uploaded; see the job log.</sub>`,
  ].filter(Boolean);
  const withFooter = (markdown: string) => [markdown.trimEnd(), '', ...footer].join('\n');

  const published: Published = { summary: false };
  try {
    await core.summary.addRaw(fitBytes(withFooter(rendered.summary || rendered.markdown), GITHUB_SUMMARY_MAX_BYTES), true).write();
    published.summary = true;
  } catch (error) {
    warn(`The job summary could not be written (${(error as Error).message}).`);
  }

  const onPullRequest = ctx.pullRequestNumber !== undefined;
  const wantComment = inputs.comment === 'always' || (inputs.comment === 'auto' && onPullRequest);
  if (!wantComment) return published;
  if (!ctx.octokit) {
    warn('No comment was posted: github-token is empty.');
    return published;
  }
  const marker = commentMarker(env.githubWorkflow(), inputs.datasetInput);
  const tail = fullReportUrl
    ? `The report was cut to fit a comment; the full report is in the artifact [${artifactName}](${fullReportUrl}).`
    : 'The report was cut to fit a comment; the full report is in the job summary.';
  const body = fitComment(marker, withFooter(rendered.markdown), tail);
  try {
    published.comment = onPullRequest
      ? await upsertPullRequestComment(ctx.octokit, { owner, repo, issueNumber: ctx.pullRequestNumber! }, marker, body)
      : await upsertCommitComment(ctx.octokit, { owner, repo, sha: env.githubSha() }, marker, body);
    core.info(`${published.comment.updated ? 'Updated' : 'Posted'} the report comment: ${published.comment.url}`);
  } catch (error) {
    const forbidden = (error as { status?: number }).status === 403;
    warn(
      `The report comment could not be posted (${requestFailure(error)}).${forbidden ? ` The token needs \`${onPullRequest ? 'pull-requests' : 'contents'}: write\`; pull requests from forks get a read-only token.` : ''} The report is in the job summary.`,
    );
  }
  return published;
}

/** Where the report went, for the message that fails the step after a failed upload. */
export function wherePublished(published: Published): string {
  if (published.comment && published.summary) return `The report is published (${published.comment.url} and the job summary)`;
  if (published.comment) return `The report is published (${published.comment.url})`;
  if (published.summary) return 'The report is published in the job summary';
  return 'The report could not be published either (see the warnings above)';
}

/** Cuts text to at most `max` UTF-8 bytes at a line break, the note saying so included. */
function fitBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  const note = '\n\n…(cut to fit the job summary; the full report is in the artifact)';
  let cut = Buffer.from(text)
    .subarray(0, max - Buffer.byteLength(note))
    .toString('utf8');
  // A character split by the byte cut decodes as U+FFFD; the cut at the last line break drops it.
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
  return `${cut}${note}`;
}
