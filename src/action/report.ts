/**
 * The report as the action publishes it: files for the artifact, and Markdown for the comment
 * and the job summary, with chart images from the image host. The report itself is a pure
 * function of the RunResult (src/core/report); this module only decides where images live
 * and what happens when rendering fails (a warning and a short fallback, never a lost model).
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { RunResult } from '../core/result.js';
// Types only: erased at build time, so the lazy load below still decides when sharp is needed.
import type { ImageHost, ModelAccess, RenderedReport, renderReport, writeReport } from '../core/report/index.js';
import * as env from './env.js';
import type { AssetFile, RepoImageHost } from './image-host.js';
import type { ActionInputs } from './inputs.js';

interface ReportModule {
  renderReport: typeof renderReport;
  writeReport: typeof writeReport;
}

// Loaded lazily: it pulls in sharp, which is installed on the runner only after start-up.
const loadReport = () => import('../core/report/index.js') as Promise<ReportModule>;

/** What the report says about where things are, as a reviewer of the pull request sees them. */
export interface ReaderView {
  /** The dataset relative to the repository (as the workflow names it when it lies outside). */
  datasetName: string;
  /** The folder from elsewhere (eval-dataset-path) relative to the repository, likewise. */
  elsewhereName?: string;
  /** The model is in the run's artifact, not on the runner. */
  model: ModelAccess;
}

export function readerView(inputs: ActionInputs): ReaderView {
  const { owner, repo } = env.githubRepository();
  const runId = env.githubRunId();
  return {
    datasetName: repoRelative(inputs.train.datasetPath, env.githubWorkspace(), inputs.datasetInput),
    ...(inputs.train.evalDataset && inputs.evalDatasetInput
      ? { elsewhereName: repoRelative(inputs.train.evalDataset, env.githubWorkspace(), inputs.evalDatasetInput) }
      : {}),
    model: {
      kind: 'artifact',
      artifact: inputs.artifactName,
      runId,
      runUrl: `${env.githubServerUrl()}/${owner}/${repo}/actions/runs/${runId}`,
      repository: `${owner}/${repo}`,
    },
  };
}

/** `path` relative to the checkout, with forward slashes; `given` when it lies outside. */
export function repoRelative(path: string, workspace: string, given: string): string {
  const rel = relative(workspace, path);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return given;
  return rel.split(sep).join('/');
}

/** Writes report.md, report.html and the charts next to result.json; returns the files written. */
export async function writeReportFiles(
  inputs: ActionInputs,
  result: RunResult,
  baseline: RunResult | undefined,
  warn: (message: string) => void,
): Promise<string[]> {
  try {
    const { writeReport } = await loadReport();
    return await writeReport(inputs.train.outDir, result, { baseline, ...readerView(inputs) });
  } catch (error) {
    warn(`The report files could not be written (${(error as Error).message}); the model and result.json are still uploaded.`);
    return [];
  }
}

/**
 * Renders the Markdown. With an image host, a first pass records every image the report asks
 * for, they are committed in one go, and the second pass links them.
 */
export async function renderForGitHub(
  result: RunResult,
  options: { baseline?: RunResult; host?: RepoImageHost; fullReportUrl?: string; view: ReaderView },
  warn: (message: string) => void,
): Promise<Pick<RenderedReport, 'markdown' | 'summary'>> {
  try {
    const { renderReport } = await loadReport();
    const { host } = options;
    if (host) {
      const wanted: AssetFile[] = [];
      const recorder: ImageHost = {
        put: (name, bytes, contentType) => {
          wanted.push({ name, bytes, contentType });
          return Promise.resolve(null);
        },
      };
      await renderReport(result, { baseline: options.baseline, fullReportUrl: options.fullReportUrl, ...options.view, imageHost: recorder });
      if (wanted.length) await host.publish(wanted);
    }
    const rendered = await renderReport(result, {
      baseline: options.baseline,
      fullReportUrl: options.fullReportUrl,
      ...options.view,
      imageHost: host?.enabled ? host : undefined,
    });
    return { markdown: rendered.markdown, summary: rendered.summary };
  } catch (error) {
    warn(`The report could not be rendered (${(error as Error).message}); a short summary is published instead.`);
    const markdown = fallbackMarkdown(result);
    return { markdown, summary: markdown };
  }
}

/** A few lines that need nothing but the RunResult. */
export function fallbackMarkdown(result: RunResult): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  return [
    '## classifier-ci',
    '',
    `Test accuracy **${pct(result.test.accuracy)}** on ${result.test.images} images.`,
    `Winner: ${(winner?.displayName ?? result.bakeOff.winner).replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`)}; ${result.dataset.images} images, ${result.dataset.labels.length} labels.`,
  ].join('\n');
}
