/**
 * The baseline for a pull request: result.json of the latest successful run of the same
 * workflow for a push to the base branch, read from that run's artifact. The report shows
 * deltas against it; when there is none, the reason goes into the report instead.
 */
import { unzipSync } from 'fflate';
import { basename } from 'node:path';
import { escapeMarkdown, markdownCode } from '../core/report/escape.js';
import { parseRunResult, type RunResult } from '../core/result.js';
import { requestFailure, type GitHubClient } from './github.js';

/** `reason` is Markdown for the report, with the branch, artifact name and service message escaped. */
export type BaselineOutcome = { found: true; result: RunResult; runId: number; runUrl: string } | { found: false; reason: string };

export interface BaselineQuery {
  owner: string;
  repo: string;
  baseBranch: string;
  /** ".github/workflows/train.yml", from GITHUB_WORKFLOW_REF; when unknown, the current run's workflow id is looked up. */
  workflowPath?: string;
  currentRunId: number;
  artifactName: string;
}

/** ".github/workflows/x.yml" from "owner/repo/.github/workflows/x.yml@refs/heads/main". */
export function workflowPathFromRef(ref: string | undefined, owner: string, repo: string): string | undefined {
  if (!ref) return undefined;
  const withoutRef = ref.replace(/@.*$/, '');
  const prefix = `${owner}/${repo}/`;
  return withoutRef.startsWith(prefix) ? withoutRef.slice(prefix.length) : undefined;
}

/** How many recent successful runs to look through for one that still has its artifact. */
const RUNS_TO_TRY = 5;

/** The workflow to search: its file name (GitHub accepts it as the id), else the current run's workflow id. */
async function workflowIdOf(octokit: GitHubClient, query: BaselineQuery): Promise<string | number> {
  if (query.workflowPath) return basename(query.workflowPath);
  const { data } = await octokit.rest.actions.getWorkflowRun({ owner: query.owner, repo: query.repo, run_id: query.currentRunId });
  return data.workflow_id;
}

export async function findBaseline(octokit: GitHubClient, query: BaselineQuery): Promise<BaselineOutcome> {
  const { owner, repo } = query;
  const branch = markdownCode(query.baseBranch);
  try {
    // Only this workflow's own push runs: `branch` alone also matches pull requests whose head
    // branch has that name (a fork's `main`), and the runs of every other workflow.
    // The filters are the API's, so one page holds every run worth trying (plus this run).
    const { data } = await octokit.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: await workflowIdOf(octokit, query),
      branch: query.baseBranch,
      event: 'push',
      status: 'success',
      per_page: RUNS_TO_TRY + 1,
    });
    const runs = data.workflow_runs
      .filter((run) => run.id !== query.currentRunId && run.event === 'push' && run.head_branch === query.baseBranch && run.conclusion === 'success')
      .slice(0, RUNS_TO_TRY);
    if (runs.length === 0) return { found: false, reason: `no successful run of this workflow for a push to ${branch} yet` };
    for (const run of runs) {
      const { data: list } = await octokit.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: run.id, name: query.artifactName, per_page: 10 });
      const artifact = list.artifacts.find((a) => a.name === query.artifactName && !a.expired);
      if (!artifact) continue;
      const { data: zip } = await octokit.rest.actions.downloadArtifact({ owner, repo, artifact_id: artifact.id, archive_format: 'zip' });
      const files = unzipSync(new Uint8Array(zip as ArrayBuffer), { filter: (f) => f.name === 'result.json' });
      const bytes = files['result.json'];
      if (!bytes) continue;
      const result = parseRunResult(JSON.parse(Buffer.from(bytes).toString('utf8')), `result.json of run ${run.id}`);
      return { found: true, result, runId: run.id, runUrl: run.html_url };
    }
    return {
      found: false,
      reason: `the last successful runs on ${branch} have no ${markdownCode(query.artifactName)} artifact with a result.json (expired or renamed?)`,
    };
  } catch (error) {
    return { found: false, reason: `the baseline could not be read (${escapeMarkdown(requestFailure(error))})` };
  }
}
