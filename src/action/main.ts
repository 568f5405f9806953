/**
 * The action: inputs → cache restore → train → cache save → report → artifact →
 * comment and job summary → outputs, inside one try/catch.
 *
 * Failure policy (core/errors.ts): bad input or failed training fails the step with the
 * engine's message. Every service (cache, image host, baseline, comment) only warns. A failed
 * artifact upload fails the step too, but only after the report is published, and says so.
 */
import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isUserFacingError } from '../core/errors.js';
import type { TrainOptions } from '../core/options.js';
import type { PipelineDeps } from '../core/pipeline.js';
import { reviewAnnotations } from '../core/report/annotations.js';
import { mergeChunkFolder } from '../core/shard/chunk-folder.js';
import type { RunResult } from '../core/result.js';
import { uploadRunArtifact } from './artifact.js';
import { findBaseline, workflowPathFromRef, type BaselineOutcome } from './baseline.js';
import { cacheKeys, restoreEmbeddingCache, saveEmbeddingCache, type CacheKeys, type CacheScope, type RestoreOutcome } from './cache.js';
import { Inputs } from './constants.js';
import * as env from './env.js';
import { githubClient, type GitHubClient } from './github.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { actionLogger, annotationPath, neutralise, withGroup, type ActionLoggerOptions } from './log.js';
import { setOutputs } from './outputs.js';
import { publish, wherePublished } from './publish.js';
import { writeReportFiles } from './report.js';
import { ensureRuntime } from './runtime.js';

const warn = (message: string) => core.warning(neutralise(message));

export interface RunDependencies {
  /** The training pipeline. Default: the engine's, loaded only when needed, as it needs the native modules. */
  train?: (options: TrainOptions, deps: PipelineDeps) => Promise<RunResult>;
}

export async function run(deps: RunDependencies = {}): Promise<void> {
  try {
    const workspace = env.githubWorkspace();
    const temp = join(env.runnerTemp(), 'classifier-ci');
    const inputs = readInputs({ outDir: join(temp, 'output'), cacheDir: join(temp, 'cache'), workspace });
    await ensureRuntime(inputs.nativeBackend);
    const where: ActionLoggerOptions = { datasetPath: inputs.train.datasetPath, workspace, datasetIsZip: /\.zip$/i.test(inputs.train.datasetPath) };
    const log = actionLogger(where);

    // 1. Cache restore: embeddings from earlier runs.
    let cached: { keys: CacheKeys; restored: RestoreOutcome } | undefined;
    if (inputs.cache && existsSync(inputs.train.datasetPath)) {
      const keys = cacheKeys(inputs.train.backbones, cacheScope());
      cached = { keys, restored: await withGroup('Restoring the embedding cache', () => restoreEmbeddingCache(inputs.train.cacheDir, keys)) };
    }

    // Matrix runs: the embed jobs' chunks join the restored cache, so training finds their embeddings.
    if (inputs.cacheChunks) {
      const chunks = inputs.cacheChunks;
      await withGroup("Merging the embed jobs' cache chunks", () =>
        mergeChunkFolder(chunks, inputs.train.cacheDir, { input: Inputs.CacheChunks, log, now: () => performance.now() }),
      );
    }

    // 2. Train. The engine is loaded only now: it needs the native modules.
    const train = deps.train ?? (await import('../core/pipeline.js')).train;
    const result = await train(inputs.train, { log });

    // Saved before anything else can fail: the embeddings are the expensive part. The key
    // comes from the engine's content fingerprint of the dataset.
    if (cached) {
      const { keys, restored } = cached;
      await withGroup('Saving the embedding cache', () =>
        saveEmbeddingCache(inputs.train.cacheDir, keys, result.dataset.fingerprint, restored, env.githubEventName()),
      );
    }

    annotateReview(result, where);

    // 3. Report files and the artifact.
    const octokit = inputs.githubToken ? githubClient(inputs.githubToken) : undefined;
    const pullRequest = env.githubEvent().pull_request as { number: number; base: { ref: string } } | undefined;
    const baseline =
      pullRequest && inputs.baseline === 'auto' && octokit
        ? await withGroup('Looking for a baseline', () => readBaseline(octokit, inputs, pullRequest.base.ref))
        : undefined;
    if (baseline) core.info(neutralise(baseline.found ? `Baseline: run ${baseline.runId} on ${pullRequest!.base.ref}` : `No baseline: ${baseline.reason}`));
    const baselineResult = baseline?.found ? baseline.result : undefined;

    const reportFiles = await writeReportFiles(inputs, result, baselineResult, warn);
    const upload = await withGroup(`Uploading the artifact ${neutralise(inputs.artifactName)}`, () =>
      uploadRunArtifact(inputs.artifactName, inputs.train.outDir, inputs.retentionDays),
    );
    if (upload.ok) core.info(`Artifact ${neutralise(inputs.artifactName)}: ${upload.artifact.url}`);

    // 4. Publish: comment and job summary, also (and first) when the upload failed.
    const published = await publish(inputs, result, { octokit, pullRequestNumber: pullRequest?.number, baseline, upload, warn });

    // 5. Outputs.
    setOutputs(inputs.train.outDir, result, { reportFiles, upload, comment: published.comment });

    // Only now, with the report out: the model is the product, so a run without it fails.
    if (!upload.ok) {
      core.setFailed(
        `The model artifact could not be uploaded: ${neutralise(upload.reason)}. ${wherePublished(published)}, but the model is not: it is still on the runner at ${join(inputs.train.outDir, 'model')}, for later steps of this job. Re-run the job to upload it.`,
      );
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

/** The dataset review's suspect files as warning annotations on those files, capped (report/annotations.ts). */
function annotateReview(result: RunResult, where: ActionLoggerOptions): void {
  if (!result.review) return;
  // In a .zip the annotation can only point at the archive; the message names the file inside.
  const pathOf = (file: string) => (where.datasetIsZip ? `${annotationPath(where, file)} › ${file}` : annotationPath(where, file));
  const { annotations, overflow } = reviewAnnotations(result.review, pathOf);
  for (const a of annotations) core.warning(neutralise(a.message), { title: a.title, file: annotationPath(where, a.file) });
  if (overflow) core.warning(neutralise(overflow), { title: 'classifier-ci: dataset review' });
}

/** This workflow file and job: the only runs whose cache entries this one restores. */
function cacheScope(): CacheScope {
  const { owner, repo } = env.githubRepository();
  return { workflow: workflowPathFromRef(env.githubWorkflowRef(), owner, repo) ?? env.githubWorkflow(), job: env.githubJob() };
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
