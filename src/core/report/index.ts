/**
 * The report: a pure function of a RunResult (and, where there is one, the baseline it is
 * compared with). Charts are Vega-Lite specs rendered to SVG and PNG in Node; the Markdown
 * links them through an optional image host and reads well without one.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic.js';
import type { RunResult } from '../result.js';
import { loadBrowserScripts } from './browser-scripts.js';
import { buildCharts } from './charts.js';
import { renderHtml, safeDataImage } from './html.js';
import { COMMENT_LIMIT, SUMMARY_LIMIT } from './github-limits.js';
import { renderMarkdown } from './markdown.js';
import { modelHowTo, type ModelAccess } from './model-access.js';
import { renderCharts } from './render-charts.js';

export type { ModelAccess };

/** Where the report's pictures (charts, mistake thumbnails) are stored so Markdown can link them. */
export interface ImageHost {
  /** Stores a chart file, returns an https URL for Markdown, or null if it cannot. */
  put(name: string, bytes: Uint8Array, contentType: string): Promise<string | null>;
}

export interface ReportOptions {
  /** The run to compare with (e.g. the last run on the base branch): adds ▲/▼ deltas and a verdict. */
  baseline?: RunResult;
  /** Where chart PNGs (and mistake thumbnails) go so the Markdown can show them. Default: none, no pictures. */
  imageHost?: ImageHost;
  /** Link to the complete report (e.g. the run's artifact page); named wherever a table is shortened. */
  fullReportUrl?: string;
  /**
   * The dataset as the reader knows it (as the user gave it; repo-relative in the action).
   * Default: result.dataset.root. Replaces the root wherever the dataset's messages name it.
   */
  datasetName?: string;
  /** The folder from elsewhere (train --eval) as the reader knows it, likewise. Default: result.elsewhere.dataset. */
  elsewhereName?: string;
  /** How the reader gets the model. Default: the folder result.model.dir, as written. */
  model?: ModelAccess;
}

export interface RenderedReport {
  /** PR comment, within COMMENT_LIMIT. */
  markdown: string;
  /** Job summary, within SUMMARY_LIMIT. */
  summary: string;
  html: string;
  charts: { name: string; svg: string; png: Uint8Array; spec: object }[];
}

export { COMMENT_LIMIT, SUMMARY_LIMIT };

/** At most this many mistake thumbnails per scored set (the test set, the images from elsewhere), and as many label suspect thumbnails, are uploaded: the comment shows no more. */
const MAX_THUMBNAILS = 10;

export async function renderReport(run: RunResult, options: ReportOptions = {}): Promise<RenderedReport> {
  const renamed = options.datasetName === undefined ? run : renameDataset(run, options.datasetName);
  const result = options.elsewhereName === undefined ? renamed : renameElsewhere(renamed, options.elsewhereName);
  const model = modelHowTo(options.model ?? { kind: 'folder', path: result.model.dir });
  const specs = buildCharts(result, options.baseline);
  const charts = await renderCharts(specs);
  const chartUrls = new Map<string, string>();
  const thumbnailUrls = new Map<string, string>();
  if (options.imageHost) {
    for (const chart of charts) {
      const url = await putQuietly(options.imageHost, `${chart.name}.png`, chart.png, 'image/png');
      if (url) chartUrls.set(chart.name, url);
    }
    for (const mistake of [...result.test.mistakes.slice(0, MAX_THUMBNAILS), ...(result.elsewhere?.metrics.mistakes.slice(0, MAX_THUMBNAILS) ?? [])]) {
      const picture = decodeDataImage(mistake.thumbnail);
      if (!picture || thumbnailUrls.has(mistake.sha256)) continue;
      const url = await putQuietly(options.imageHost, `mistake-${mistake.sha256.slice(0, 16)}.${picture.extension}`, picture.bytes, picture.contentType);
      if (url) thumbnailUrls.set(mistake.sha256, url);
    }
    for (const suspect of result.review?.labelSuspects.slice(0, MAX_THUMBNAILS) ?? []) {
      const picture = decodeDataImage(suspect.thumbnail);
      if (!picture || !suspect.sha256 || thumbnailUrls.has(suspect.sha256)) continue;
      const url = await putQuietly(options.imageHost, `suspect-${suspect.sha256.slice(0, 16)}.${picture.extension}`, picture.bytes, picture.contentType);
      if (url) thumbnailUrls.set(suspect.sha256, url);
    }
  }
  const common = { baseline: options.baseline, chartUrls, thumbnailUrls, fullReportUrl: options.fullReportUrl, model };
  const markdown = renderMarkdown(result, { ...common, variant: 'comment', limit: COMMENT_LIMIT });
  const summary = renderMarkdown(result, { ...common, variant: 'summary', limit: SUMMARY_LIMIT });
  const html = renderHtml(result, { baseline: options.baseline, model, charts: specs, scripts: await loadBrowserScripts() });
  return { markdown, summary, html, charts: charts.map(({ name, svg, png, spec }) => ({ name, svg, png, spec })) };
}

/**
 * Writes report.md, summary.md, report.html and charts/<name>.svg|png into `outDir`, each
 * atomically (temp file + rename); returns the paths written.
 */
export async function writeReport(outDir: string, result: RunResult, options: ReportOptions = {}): Promise<string[]> {
  const report = await renderReport(result, options);
  const files: [string, string | Uint8Array][] = [
    ['report.md', report.markdown],
    ['summary.md', report.summary],
    ['report.html', report.html],
    ...report.charts.flatMap((c): [string, string | Uint8Array][] => [
      [join('charts', `${c.name}.svg`), c.svg],
      [join('charts', `${c.name}.png`), c.png],
    ]),
  ];
  const written: string[] = [];
  for (const [name, data] of files) {
    const path = join(outDir, name);
    await writeFileAtomic(path, data);
    written.push(path);
  }
  return written;
}

/**
 * The run with its dataset named as the reader knows it. The engine names the folder it read
 * (an absolute path in the action) in the root and in messages about files and labels.
 */
export function renameDataset(result: RunResult, name: string): RunResult {
  const root = result.dataset.root;
  if (root === name) return result;
  const rename = (text: string) => (root ? text.split(root).join(name) : text);
  return {
    ...result,
    dataset: {
      ...result.dataset,
      root: name,
      skipped: result.dataset.skipped.map((s) => ({ ...s, reason: rename(s.reason) })),
      warnings: result.dataset.warnings.map(rename),
    },
  };
}

/** The same for the folder from elsewhere: its name, and wherever its messages name it. */
export function renameElsewhere(result: RunResult, name: string): RunResult {
  const other = result.elsewhere;
  if (!other || other.dataset === name) return result;
  const rename = (text: string) => text.split(other.dataset).join(name);
  return { ...result, elsewhere: { ...other, dataset: name, unreadable: other.unreadable.map((u) => ({ ...u, reason: rename(u.reason) })) } };
}

/** An image host is a service: if it throws, the report goes on without that picture. */
async function putQuietly(host: ImageHost, name: string, bytes: Uint8Array, contentType: string): Promise<string | null> {
  try {
    return await host.put(name, bytes, contentType);
  } catch {
    return null;
  }
}

function decodeDataImage(uri: string | undefined): { bytes: Uint8Array; contentType: string; extension: string } | null {
  const safe = safeDataImage(uri);
  if (!safe) return null;
  const [head, data] = safe.split(',', 2) as [string, string];
  const contentType = head.slice('data:'.length, head.indexOf(';'));
  const extension = contentType === 'image/jpeg' ? 'jpg' : contentType.split('/')[1];
  return { bytes: new Uint8Array(Buffer.from(data, 'base64')), contentType, extension };
}
