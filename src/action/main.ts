/**
 * The action: inputs → cache restore → train → cache save → report → artifact →
 * comment and job summary → outputs, inside one try/catch.
 *
 * Failure policy (core/errors.ts): bad input or failed training fails the step with the
 * engine's message. Every service (cache, image host, baseline, comment) only warns. A failed
 * artifact upload fails the step too, but only after the report is published, and says so.
 */
import * as core from '@actions/core';
import { context } from '@actions/github';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isUserFacingError } from '../core/errors.js';
import type { RunResult } from '../core/result.js';
import { uploadRunArtifact, type UploadOutcome } from './artifact.js';
import { findBaseline, workflowPathFromRef, type BaselineOutcome } from './baseline.js';
import { cacheKeys, restoreEmbeddingCache, saveEmbeddingCache, type CacheKeys, type RestoreOutcome } from './cache.js';
import { commentMarker, fitComment, upsertCommitComment, upsertPullRequestComment, type PostedComment } from './comment.js';
import { Outputs, SUMMARY_MAX_BYTES } from './constants.js';
import * as env from './env.js';
import { githubClient, requestFailure, type GitHubClient } from './github.js';
import { RepoImageHost } from './image-host.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { actionLogger, neutralise } from './log.js';
import { renderForGitHub, writeReportFiles } from './report.js';
import { ensureRuntime } from './runtime.js';

const warn = (message: string) => core.warning(neutralise(message));

async function withGroup<T>(title: string, work: () => Promise<T>): Promise<T> {
  core.startGroup(title);
  try {
    return await work();
  } finally {
    core.endGroup();
  }
}

export async function run(): Promise<void> {
  try {
    const workspace = env.githubWorkspace();
    const temp = join(env.runnerTemp(), 'classifier-ci');
    const inputs = readInputs({ outDir: join(temp, 'output'), cacheDir: join(temp, 'cache'), workspace });
    await ensureRuntime(inputs.nativeBackend);
    const log = actionLogger({ datasetPath: inputs.train.datasetPath, workspace, datasetIsZip: /\.zip$/i.test(inputs.train.datasetPath) });

    // 1. Cache restore: embeddings from earlier runs.
    let cached: { keys: CacheKeys; restored: RestoreOutcome } | undefined;
    if (inputs.cache && existsSync(inputs.train.datasetPath)) {
      const keys = cacheKeys(inputs.train.backbones);
      cached = { keys, restored: await withGroup('Restoring the embedding cache', () => restoreEmbeddingCache(inputs.train.cacheDir, keys)) };
    }

    // 2. Train. The engine is loaded only now: it needs the native modules.
    const { train } = await import('../core/pipeline.js');
    const result = await train(inputs.train, { log });

    // Saved before anything else can fail: the embeddings are the expensive part. The key
    // comes from the engine's content fingerprint of the dataset.
    if (cached) {
      const { keys, restored } = cached;
      await withGroup('Saving the embedding cache', () => saveEmbeddingCache(inputs.train.cacheDir, keys, result.dataset.fingerprint, restored));
    }

    // 3. Report files and the artifact.
    const octokit = inputs.githubToken ? githubClient(inputs.githubToken) : undefined;
    const pullRequest = context.payload.pull_request as { number: number; base: { ref: string } } | undefined;
    const baseline = pullRequest && inputs.baseline === 'auto' && octokit ? await withGroup('Looking for a baseline', () => readBaseline(octokit, inputs, pullRequest.base.ref)) : undefined;
    if (baseline) core.info(neutralise(baseline.found ? `Baseline: run ${baseline.runId} on ${pullRequest!.base.ref}` : `No baseline: ${baseline.reason}`));
    const baselineResult = baseline?.found ? baseline.result : undefined;

    const reportFiles = await writeReportFiles(inputs.train.outDir, result, baselineResult, warn);
    const upload = await withGroup(`Uploading the artifact ${inputs.artifactName}`, () => uploadRunArtifact(inputs.artifactName, inputs.train.outDir, inputs.retentionDays));
    if (upload.ok) core.info(`Artifact ${inputs.artifactName}: ${upload.artifact.url}`);

    // 4. Publish: comment and job summary.
    const posted = await publish(inputs, result, { octokit, pullRequestNumber: pullRequest?.number, baseline, upload });

    // 5. Outputs.
    const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
    const bestTrial = result.tuning.bestTrial >= 0 ? result.tuning.trials[result.tuning.bestTrial] : undefined;
    core.setOutput(Outputs.BestBackbone, result.bakeOff.winner);
    core.setOutput(Outputs.TestAccuracy, result.test.accuracy.toFixed(4));
    core.setOutput(Outputs.ValAccuracy, (bestTrial?.valAccuracy ?? winner?.valAccuracy ?? 0).toFixed(4));
    core.setOutput(Outputs.ModelPath, join(inputs.train.outDir, 'model'));
    core.setOutput(Outputs.ResultPath, join(inputs.train.outDir, 'result.json'));
    const reportPath = reportFiles.find((f) => basename(f) === 'report.md') ?? join(inputs.train.outDir, 'report.md');
    if (existsSync(reportPath)) core.setOutput(Outputs.ReportPath, reportPath);
    if (upload.ok) {
      core.setOutput(Outputs.ArtifactId, String(upload.artifact.id));
      core.setOutput(Outputs.ArtifactUrl, upload.artifact.url);
    }
    if (posted) core.setOutput(Outputs.CommentUrl, posted.url);

    if (!upload.ok) {
      core.setFailed(`The model artifact could not be uploaded (${neutralise(upload.reason)}). The report was published${posted ? ` (${posted.url})` : ' in the job summary'}, and the model is at ${join(inputs.train.outDir, 'model')} for later steps of this job; re-run the job to upload it.`);
    }
  } catch (error) {
    if (isUserFacingError(error)) {
      core.setFailed(error.message);
      return;
    }
    const e = error as Error;
    core.info(neutralise(e.stack ?? String(e)));
    core.setFailed(`classifier-ci stopped unexpectedly: ${e.message}. This is a bug; please report it with the log above.`);
  }
}

async function readBaseline(octokit: GitHubClient, inputs: ActionInputs, baseBranch: string): Promise<BaselineOutcome> {
  const { owner, repo } = env.githubRepository();
  return findBaseline(octokit, {
    owner,
    repo,
    baseBranch,
    workflowPath: workflowPathFromRef(env.githubWorkflowRef(), owner, repo),
    currentRunId: env.githubRunId(),
    artifactName: inputs.artifactName,
  });
}

interface PublishContext {
  octokit?: GitHubClient;
  pullRequestNumber?: number;
  baseline?: BaselineOutcome;
  upload: UploadOutcome;
}

/** Posts the sticky comment (when the event and `comment` ask for one) and always writes the job summary. */
async function publish(inputs: ActionInputs, result: RunResult, ctx: PublishContext): Promise<PostedComment | undefined> {
  const { owner, repo } = env.githubRepository();
  const host = ctx.octokit && inputs.imageHost === 'repo' ? new RepoImageHost(ctx.octokit, { owner, repo, serverUrl: env.githubServerUrl() }) : undefined;
  const fullReportUrl = ctx.upload.ok ? ctx.upload.artifact.url : undefined;
  const rendered = await withGroup('Rendering the report', () => renderForGitHub(result, { baseline: ctx.baseline?.found ? ctx.baseline.result : undefined, host, fullReportUrl }, warn));
  if (host?.problem) warn(`Charts are not shown: ${host.problem}.`);

  const footer = [
    host?.note ? `> ${host.note}` : '',
    ctx.baseline && !ctx.baseline.found ? `_No baseline to compare with: ${ctx.baseline.reason}._` : '',
    ctx.upload.ok
      ? `<sub>Model, result.json and the full report: artifact [${inputs.artifactName}](${ctx.upload.artifact.url}).</sub>`
      : `<sub>The model artifact could not be uploaded; see the job log.</sub>`,
  ].filter(Boolean);
  const withFooter = (markdown: string) => [markdown.trimEnd(), '', ...footer].join('\n');

  const summary = withFooter(rendered.summary || rendered.markdown);
  try {
    await core.summary.addRaw(fitBytes(summary, SUMMARY_MAX_BYTES - 1024), true).write();
  } catch (error) {
    warn(`The job summary could not be written (${(error as Error).message}).`);
  }

  const onPullRequest = ctx.pullRequestNumber !== undefined;
  const wantComment = inputs.comment === 'always' || (inputs.comment === 'auto' && onPullRequest);
  if (!wantComment) return undefined;
  if (!ctx.octokit) {
    warn('No comment was posted: github-token is empty.');
    return undefined;
  }
  const marker = commentMarker(env.githubWorkflow(), inputs.datasetInput);
  const tail = fullReportUrl ? `The report was cut to fit a comment; the full report is in the artifact [${inputs.artifactName}](${fullReportUrl}).` : 'The report was cut to fit a comment; the full report is in the job summary.';
  const body = fitComment(marker, withFooter(rendered.markdown), tail);
  try {
    const posted = onPullRequest
      ? await upsertPullRequestComment(ctx.octokit, { owner, repo, issueNumber: ctx.pullRequestNumber! }, marker, body)
      : await upsertCommitComment(ctx.octokit, { owner, repo, sha: env.githubSha() }, marker, body);
    core.info(`${posted.updated ? 'Updated' : 'Posted'} the report comment: ${posted.url}`);
    return posted;
  } catch (error) {
    const forbidden = (error as { status?: number }).status === 403;
    warn(
      `The report comment could not be posted (${requestFailure(error)}).${forbidden ? ` The token needs \`${onPullRequest ? 'pull-requests' : 'contents'}: write\`; pull requests from forks get a read-only token.` : ''} The report is in the job summary.`,
    );
    return undefined;
  }
}

/** Cuts text to at most `max` UTF-8 bytes at a line break. */
function fitBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let cut = Buffer.from(text).subarray(0, max).toString('utf8');
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
  return `${cut}\n\n…(cut to fit the job summary; the full report is in the artifact)`;
}
