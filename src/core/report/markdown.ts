/**
 * The Markdown report: the PR comment (`report.md`, under GitHub's 65,536-character limit)
 * and the job summary (`summary.md`, under 1 MiB). Pure: RunResult (+ baseline) in, text out.
 *
 * Every user-controlled string goes through escape.ts. Tables shrink level by level until
 * the text fits, and each shortened table says what it left out and where the rest is.
 */
import { markdownTable } from 'markdown-table';
import type { RunResult } from '../result.js';
import { escapeHtml, escapeMarkdown, markdownCode, mermaidString } from './escape.js';
import { COMMENT_LIMIT, sizeIn, type SizeLimit } from './github-limits.js';
import { bytes, describeConfigShort, duration, integer, percent, trialNumber } from './format.js';
import { modelHowTo, type ModelHowTo } from './model-access.js';
import * as tables from './tables.js';
import type { Cell, Table } from './tables.js';
import { verdict } from './verdict.js';


export interface MarkdownOptions {
  baseline?: RunResult;
  /** Chart name → image URL, for the charts the image host stored. Missing: no picture. */
  chartUrls?: ReadonlyMap<string, string>;
  /** Mistake sha256 → thumbnail URL. */
  thumbnailUrls?: ReadonlyMap<string, string>;
  /** Where the complete HTML report can be seen (e.g. the workflow run's artifacts). */
  fullReportUrl?: string;
  /** Default: COMMENT_LIMIT (github-limits.ts). */
  limit?: SizeLimit;
  /** How the reader gets the model. Default: the folder result.model.dir. */
  model?: ModelHowTo;
  /** 'comment' (default) shows less and folds more; 'summary' shows more rows. */
  variant?: 'comment' | 'summary';
}

/** How many rows each table may show; the renderer steps down these levels until the text fits. */
interface Limits {
  labelChanges: number;
  leaderboard: number;
  trials: number;
  perLabel: number;
  /** Show the full confusion matrix up to this many labels; above, the most confused pairs. */
  confusionLabels: number;
  confusedPairs: number;
  mistakes: number;
  counts: number;
  skipped: number;
  warnings: number;
  layers: number;
  files: number;
  backendsSkipped: number;
  mermaid: boolean;
}

const COMMENT_LEVELS: Limits[] = [
  { labelChanges: 10, leaderboard: 20, trials: 50, perLabel: 100, confusionLabels: 12, confusedPairs: 20, mistakes: 10, counts: 100, skipped: 20, warnings: 20, layers: 40, files: 20, backendsSkipped: 10, mermaid: true },
  { labelChanges: 10, leaderboard: 12, trials: 20, perLabel: 40, confusionLabels: 10, confusedPairs: 10, mistakes: 8, counts: 40, skipped: 10, warnings: 10, layers: 24, files: 12, backendsSkipped: 5, mermaid: true },
  { labelChanges: 5, leaderboard: 8, trials: 10, perLabel: 15, confusionLabels: 8, confusedPairs: 5, mistakes: 5, counts: 15, skipped: 5, warnings: 5, layers: 12, files: 8, backendsSkipped: 3, mermaid: false },
];

const SUMMARY_LEVELS: Limits[] = [
  { labelChanges: 30, leaderboard: 50, trials: 500, perLabel: 2000, confusionLabels: 20, confusedPairs: 50, mistakes: 25, counts: 2000, skipped: 500, warnings: 100, layers: 400, files: 100, backendsSkipped: 10, mermaid: true },
  ...COMMENT_LEVELS,
];

export function renderMarkdown(result: RunResult, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? COMMENT_LIMIT;
  const size = (text: string) => sizeIn(limit, text);
  const levels = options.variant === 'summary' ? SUMMARY_LEVELS : COMMENT_LEVELS;
  let sections: string[] = [];
  for (const limits of levels) {
    sections = renderSections(result, options, limits);
    const text = join(sections);
    if (size(text) <= limit.max) return text;
  }
  // Still too long (absurd inputs only: every table is already short): drop whole sections
  // from the end, so no table, fold or code block is cut in half.
  const note = `\n\n_Some sections were left out to stay under GitHub's size limit. ${whereIsTheRest(options)}_\n`;
  while (sections.length > 1 && size(join(sections)) + size(note) > limit.max) sections.pop();
  const text = join(sections);
  if (size(text) + size(note) <= limit.max) return text.trimEnd() + note;
  // One section alone is too long: cut it by characters (4 bytes each at most) to what fits.
  const room = limit.max - size(note) - 4;
  return `${[...text].slice(0, limit.unit === 'bytes' ? Math.floor(room / 4) : room).join('')}…${note}`;
}

function join(sections: string[]): string {
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}

function whereIsTheRest(options: MarkdownOptions): string {
  const url = safeUrl(options.fullReportUrl);
  return url ? `Everything is in the [full report](${url}).` : 'Everything is in report.html and result.json.';
}

/** An https URL (or a plain relative path) that cannot break out of Markdown link syntax; else null. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  if (/^https:\/\/[^\s<>"'`()\\[\]]+$/i.test(url)) return url;
  if (/^[\w][\w./-]*$/.test(url) && !url.includes('..')) return url;
  return null;
}

function cellText(cell: Cell): string {
  if (typeof cell === 'string') return escapeMarkdown(cell);
  if ('image' in cell) return `<img src="${cell.image}" alt="${escapeHtml(cell.alt)}" width="64">`;
  if (cell.code) return markdownCode(cell.text);
  return cell.strong ? `**${escapeMarkdown(cell.text)}**` : escapeMarkdown(cell.text);
}

function table(t: Table): string {
  const align = t.columns.map((c) => (c.align === 'right' ? 'r' : c.align === 'center' ? 'c' : 'l'));
  const rows = [t.columns.map((c) => escapeMarkdown(c.title)), ...t.rows.map((r) => r.map(cellText))];
  return markdownTable(rows, { align, alignDelimiters: false });
}

/** "Showing 15 of 60 labels (lowest F1 first). …" when a table was shortened; '' otherwise. */
function shortened(t: Table, what: string, how: string, options: MarkdownOptions): string {
  if (t.rows.length >= t.total) return '';
  return `\n\n_Showing ${t.rows.length} of ${integer(t.total)} ${what}${how ? ` (${how})` : ''}. ${whereIsTheRest(options)}_`;
}

function fold(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function chart(name: string, alt: string, options: MarkdownOptions): string {
  const url = safeUrl(options.chartUrls?.get(name));
  return url ? `![${alt}](${url})` : '';
}

function codeBlock(language: string, text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

function renderSections(result: RunResult, options: MarkdownOptions, limits: Limits): string[] {
  return [
    headline(result, options, limits),
    bakeOffSection(result, options, limits),
    tuningSection(result, options, limits),
    testSection(result, options, limits),
    datasetSection(result, options, limits),
    modelSection(result, options.model ?? modelHowTo({ kind: 'folder', path: result.model.dir }), limits),
    runSection(result, limits),
    footer(result, options),
  ];
}

function headline(result: RunResult, options: MarkdownOptions, limits: Limits): string {
  const { baseline } = options;
  const v = verdict(result, baseline);
  const icon = { better: '🟢', worse: '🔴', same: '⚪', standalone: '🔵' }[v.tone];
  const parts = [
    `## classifier-ci: ${percent(result.test.accuracy)} test accuracy with ${escapeMarkdown(tables.winnerName(result))}`,
    `${icon} **${escapeMarkdown(v.text)}**`,
  ];
  if (baseline) {
    parts.push(table(tables.comparison(result, baseline)));
    const changes = tables.labelChanges(result, baseline, limits.labelChanges);
    if (changes.rows.length) {
      parts.push(fold(`F1 change per label (${changes.total < 2 ? 'the label' : changes.rows.length < changes.total ? `the ${changes.rows.length} that moved most` : `all ${changes.total}`})`, table(changes)));
    }
  } else {
    const t = tables.keyNumbers(result);
    // The first row (the winner) doubles as the header: a two-column fact table needs none.
    parts.push(markdownTable(t.rows.map((r) => r.map(cellText)), { align: ['l', 'l'], alignDelimiters: false }));
  }
  return parts.join('\n\n');
}

function bakeOffSection(result: RunResult, options: MarkdownOptions, limits: Limits): string {
  const n = result.bakeOff.candidates.length;
  const t = tables.leaderboard(result, limits.leaderboard);
  const parts = [
    '### Bake-off',
    `${n} backbone${n === 1 ? '' : 's'} trained a head each on the same split; the best validation accuracy won.`,
    table(t) + shortened(t, 'backbones', 'best first', options),
  ];
  const images = [chart('leaderboard', 'Bake-off: validation accuracy per backbone', options), chart('curves', 'Bake-off: learning curves', options)].filter(Boolean);
  if (images.length) parts.push(images.join('\n'));
  else if (limits.mermaid) {
    const curves = mermaidCurves(result);
    if (curves) parts.push(fold('Learning curve of the chosen model', curves));
  }
  return parts.join('\n\n');
}

/** The chosen model's accuracy per epoch as a Mermaid xychart (GitHub draws it; no image needed). */
export function mermaidCurves(result: RunResult): string | null {
  const trial = result.tuning.trials.find((t) => t.index === result.tuning.bestTrial);
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const points = trial?.curve.length ? trial.curve : winner?.curve ?? [];
  if (points.length < 2) return null;
  // Mermaid spreads the points evenly over the axis; keep at most 60 so the chart stays legible.
  const stride = Math.ceil(points.length / 60);
  const sampled = points.filter((_, i) => i % stride === 0 || i === points.length - 1);
  const pct = (x: number) => Number((x * 100).toFixed(1));
  const all = sampled.flatMap((p) => [pct(p.trainAccuracy), pct(p.valAccuracy)]);
  const low = Math.max(0, Math.floor(Math.min(...all) / 10) * 10);
  const lines = [
    '---',
    'config:',
    '  xyChart:',
    '    width: 720',
    '    height: 320',
    '  themeVariables:',
    '    xyChart:',
    '      plotColorPalette: "#2563eb, #f97316"',
    '---',
    'xychart-beta',
    `  title ${mermaidString(`${tables.winnerName(result)}: accuracy per epoch (blue: validation, orange: training)`)}`,
    `  x-axis "epoch" ${sampled[0]!.epoch} --> ${sampled[sampled.length - 1]!.epoch}`,
    `  y-axis "accuracy (%)" ${low} --> 100`,
    `  line [${sampled.map((p) => pct(p.valAccuracy)).join(', ')}]`,
    `  line [${sampled.map((p) => pct(p.trainAccuracy)).join(', ')}]`,
  ];
  return codeBlock('mermaid', lines.join('\n'));
}

function tuningSection(result: RunResult, options: MarkdownOptions, limits: Limits): string {
  const tuning = result.tuning;
  const n = tuning.trials.length;
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const chosen = tuning.trials.find((t) => t.index === tuning.bestTrial);
  const parts = ['### Hyperparameter round'];
  const intro = `${escapeMarkdown(tables.winnerName(result))}: ${n} trial${n === 1 ? '' : 's'} in ${duration(tuning.seconds)} (${escapeMarkdown(tables.clip(tuning.strategy))}).`;
  const outcome = chosen
    ? `Chosen: **trial ${trialNumber(chosen.index)}**, ${percent(chosen.valAccuracy)} validation accuracy${winner ? ` (bake-off head: ${percent(winner.valAccuracy)})` : ''}.`
    : `No trial beat the bake-off head${winner ? ` (${percent(winner.valAccuracy)} validation accuracy)` : ''}, so it was kept.`;
  parts.push(`${intro} ${outcome}`);
  parts.push(`Config: ${markdownCode(describeConfigShort(tuning.best))}`);
  const ft = tuning.fineTune;
  parts.push(
    ft.applied
      ? `Fine-tuning the top of the backbone: applied${ft.valAccuracy !== undefined ? `, ${percent(ft.valAccuracy)} validation accuracy` : ''}; ${escapeMarkdown(tables.clip(ft.reason, 200))}.`
      : `Fine-tuning the top of the backbone: skipped; ${escapeMarkdown(tables.clip(ft.reason, 200))}.`,
  );
  const refit = tuning.refit;
  if (refit) parts.push(`Final fit: ${refit.applied ? '' : 'skipped; '}${escapeMarkdown(tables.clip(refit.reason, 200))}.`);
  const image = chart('trials', 'Hyperparameter round: score by learning rate', options);
  if (image) parts.push(image);
  if (n) {
    const t = tables.trials(result, limits.trials);
    parts.push(fold(`${t.rows.length < t.total ? `Best ${t.rows.length} of ${n} trials` : `All ${n} trials`}, best first`, table(t) + shortened(t, 'trials', 'best first', options)));
  }
  return parts.join('\n\n');
}

function testSection(result: RunResult, options: MarkdownOptions, limits: Limits): string {
  const test = result.test;
  const parts = ['### Test set'];
  parts.push(`${integer(test.images)} images the model never saw while training or choosing: accuracy ${percent(test.accuracy)}${test.topK ? `, top-${test.topK.k} ${percent(test.topK.accuracy)}` : ''}, macro F1 ${percent(test.macroF1)}.`);
  const perLabel = tables.perLabel(result, options.baseline, limits.perLabel);
  const perLabelText = table(perLabel) + shortened(perLabel, 'labels', 'lowest F1 first', options);
  const f1Chart = chart('per-label-f1', 'Test set: F1 per label', options);
  if (perLabel.total <= 10) parts.push(perLabelText);
  else parts.push(fold(`Precision, recall and F1 for ${perLabel.rows.length < perLabel.total ? `the ${perLabel.rows.length} weakest of ${perLabel.total} labels` : `all ${perLabel.total} labels`}`, perLabelText));
  if (f1Chart) parts.push(f1Chart);

  const labels = test.confusion.labels.length;
  const confusionChart = chart('confusion', 'Test set: confusion matrix', options);
  if (labels > 0 && labels <= limits.confusionLabels) {
    parts.push(fold('Confusion matrix (rows: true label, columns: predicted)', table(tables.confusionMatrix(result)) + (confusionChart ? `\n\n${confusionChart}` : '')));
  } else if (labels > 0) {
    const pairs = tables.confusedPairs(result, limits.confusedPairs);
    const body = pairs.total ? table(pairs) + shortened(pairs, 'confused pairs', 'most images first', options) : 'No confusions: every test image was classified correctly.';
    parts.push(fold(`Most confused label pairs (the full ${labels}×${labels} matrix is in the ${confusionChart ? 'chart and the ' : ''}HTML report)`, body + (confusionChart ? `\n\n${confusionChart}` : '')));
  }

  if (test.mistakes.length) {
    const thumbnails = new Map<string, string>();
    for (const [sha, url] of options.thumbnailUrls ?? []) if (safeUrl(url)) thumbnails.set(sha, url);
    const t = tables.mistakes(result, limits.mistakes, thumbnails);
    parts.push(fold(`The ${t.rows.length} most confident mistakes`, table(t) + shortened(t, 'mistakes', 'most confident first', options)));
  }
  return parts.join('\n\n');
}

function datasetSection(result: RunResult, options: MarkdownOptions, limits: Limits): string {
  const d = result.dataset;
  const parts = ['### Dataset'];
  const how = d.splitMode === 'hash' ? 'split by content hash (stable across runs)' : 'split by its train/, val/ and test/ folders';
  parts.push(`${markdownCode(tables.clip(d.root))}: ${integer(d.images)} images in ${d.labels.length} labels, ${how}: ${integer(d.splitCounts.train)} train, ${integer(d.splitCounts.val)} validation, ${integer(d.splitCounts.test)} test.`);
  if (d.warnings.length) {
    const shown = d.warnings.slice(0, limits.warnings);
    const more = d.warnings.length - shown.length;
    parts.push(`**Warnings**\n\n${shown.map((w) => `- ${escapeMarkdown(tables.clip(w, 300))}`).join('\n')}${more ? `\n- _…and ${more} more. ${whereIsTheRest(options)}_` : ''}`);
  }
  const t = tables.counts(result, options.baseline, limits.counts);
  const image = chart('dataset', 'Dataset: images per label', options);
  parts.push(fold(`Images per label and split${t.rows.length < t.total ? ` (first ${t.rows.length} of ${t.total} labels)` : ''}`, table(t) + shortened(t, 'labels', '', options) + (image ? `\n\n${image}` : '')));
  if (d.skipped.length) {
    const s = tables.skipped(result, limits.skipped);
    parts.push(fold(`${integer(d.skipped.length)} file${d.skipped.length === 1 ? '' : 's'} skipped`, table(s) + shortened(s, 'skipped files', '', options)));
  }
  return parts.join('\n\n');
}

function modelSection(result: RunResult, howTo: ModelHowTo, limits: Limits): string {
  const m = result.model;
  const total = m.files.reduce((n, f) => n + f.bytes, 0);
  const parts = ['### Model'];
  parts.push(`${markdownCode(tables.clip(howTo.folder, 120))}: ${bytes(total)} in ${m.files.length} file${m.files.length === 1 ? '' : 's'}, ${escapeMarkdown(tables.winnerName(result))} with its trained head, input ${m.inputSize}×${m.inputSize}, ${integer(m.trainableParams + m.nonTrainableParams)} parameters.`);
  const d = howTo.download;
  if (d) {
    const run = safeUrl(d.runUrl);
    parts.push(`Get it from the artifact ${markdownCode(tables.clip(d.artifact, 120))} of ${run ? `[run ${d.runId}](${run})` : `run ${d.runId}`}, or with the GitHub CLI:\n\n${codeBlock('sh', d.command)}`);
  }
  parts.push(`Classify an image from the command line:\n\n${codeBlock('sh', howTo.predictCommand)}`);
  parts.push(`Or from code:\n\n${codeBlock('ts', howTo.code)}`);
  if (m.layers.length) parts.push(fold(`Layers (${m.layers.length})`, codeBlock('text', tables.layerSummary(result, limits.layers))));
  if (m.files.length) {
    const t = tables.modelFiles(result, limits.files);
    parts.push(fold('Files', table(t) + (t.rows.length < t.total ? `\n\n_…and ${t.total - t.rows.length} more files._` : '')));
  }
  return parts.join('\n\n');
}

function runSection(result: RunResult, limits: Limits): string {
  const b = result.backend;
  const lines = [`Backend: ${escapeMarkdown(tables.backendLine(result))}.`];
  if (b.skipped.length) {
    const shown = b.skipped.slice(0, limits.backendsSkipped);
    lines.push(`Not used: ${shown.map((s) => `${escapeMarkdown(tables.clip(s.backend, 40))} (${escapeMarkdown(tables.clip(s.reason, 200))})`).join('; ')}${b.skipped.length > shown.length ? `; and ${b.skipped.length - shown.length} more` : ''}.`);
  }
  lines.push(`Budget: ${duration(result.budget.usedSeconds)} used of ${duration(result.budget.seconds)}${result.budget.exhausted ? '; it ran out, so some stages stopped early' : ''}. Seed ${result.seed}.`);
  const v = result.versions;
  lines.push(`Versions: classifier-ci ${escapeMarkdown(v.classifierCi)}, tfjs ${escapeMarkdown(v.tfjs)}, Node ${escapeMarkdown(v.node)}, sharp ${escapeMarkdown(v.sharp)}.`);
  return fold('Run details', `${lines.join('\n')}\n\n${table(tables.timings(result))}`);
}

function footer(result: RunResult, options: MarkdownOptions): string {
  const url = safeUrl(options.fullReportUrl);
  const when = result.startedAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return `<sub>classifier-ci ${escapeMarkdown(result.versions.classifierCi)} · run started ${escapeMarkdown(when)}${url ? ` · [full report with interactive charts](${url})` : ''}</sub>`;
}
