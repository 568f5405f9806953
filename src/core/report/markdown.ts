/**
 * The Markdown report: the PR comment (`report.md`) and the job summary (`summary.md`), each
 * within its budget (github-limits.ts). A serializer of the report document (document.ts):
 * every sentence and table comes from there; this module decides only Markdown syntax,
 * which pictures it can link, and how far tables shrink to fit.
 *
 * Every string goes through escape.ts. Tables shrink level by level until the text fits, and
 * each shortened table says what it left out and where the rest is.
 */
import { markdownTable } from 'markdown-table';
import type { RunResult } from '../result.js';
import { buildDocument, whereIsTheRest, type Block, type Inline, type Limits, type ReportDocument } from './document.js';
import { escapeHtml, escapeMarkdown, markdownCode, mermaidString } from './escape.js';
import { COMMENT_LIMIT, sizeIn, type SizeLimit } from './github-limits.js';
import { modelHowTo, type ModelHowTo } from './model-access.js';
import * as tables from './tables.js';
import type { Cell, Table } from './tables.js';

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

const COMMENT_LEVELS: Limits[] = [
  {
    labelChanges: 10,
    leaderboard: 20,
    trials: 50,
    perLabel: 100,
    confusionLabels: 12,
    confusedPairs: 20,
    mistakes: 10,
    counts: 100,
    skipped: 20,
    warnings: 20,
    layers: 40,
    files: 20,
    backendsSkipped: 10,
    suspects: 20,
    duplicates: 20,
    outliers: 10,
    diffLabels: 40,
    relabelled: 20,
    mermaid: true,
  },
  {
    labelChanges: 10,
    leaderboard: 12,
    trials: 20,
    perLabel: 40,
    confusionLabels: 10,
    confusedPairs: 10,
    mistakes: 8,
    counts: 40,
    skipped: 10,
    warnings: 10,
    layers: 24,
    files: 12,
    backendsSkipped: 5,
    suspects: 10,
    duplicates: 10,
    outliers: 5,
    diffLabels: 20,
    relabelled: 10,
    mermaid: true,
  },
  {
    labelChanges: 5,
    leaderboard: 8,
    trials: 10,
    perLabel: 15,
    confusionLabels: 8,
    confusedPairs: 5,
    mistakes: 5,
    counts: 15,
    skipped: 5,
    warnings: 5,
    layers: 12,
    files: 8,
    backendsSkipped: 3,
    suspects: 5,
    duplicates: 5,
    outliers: 3,
    diffLabels: 10,
    relabelled: 5,
    mermaid: false,
  },
];

const SUMMARY_LEVELS: Limits[] = [
  {
    labelChanges: 30,
    leaderboard: 50,
    trials: 500,
    perLabel: 2000,
    confusionLabels: 20,
    confusedPairs: 50,
    mistakes: 25,
    counts: 2000,
    skipped: 500,
    warnings: 100,
    layers: 400,
    files: 100,
    backendsSkipped: 10,
    suspects: 100,
    duplicates: 100,
    outliers: 50,
    diffLabels: 500,
    relabelled: 100,
    mermaid: true,
  },
  ...COMMENT_LEVELS,
];

const TONE_ICONS = { better: '🟢', worse: '🔴', same: '⚪', standalone: '🔵' } as const;

export function renderMarkdown(result: RunResult, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? COMMENT_LIMIT;
  const size = (text: string) => sizeIn(limit, text);
  const levels = options.variant === 'summary' ? SUMMARY_LEVELS : COMMENT_LEVELS;
  const thumbnails = new Map<string, string>();
  for (const [sha, url] of options.thumbnailUrls ?? []) if (safeUrl(url)) thumbnails.set(sha, url);
  const model = options.model ?? modelHowTo({ kind: 'folder', path: result.model.dir });
  const curves = mermaidCurves(result);
  let parts: string[] = [];
  for (const limits of levels) {
    const doc = buildDocument(result, { baseline: options.baseline, model, limits, fullReportUrl: options.fullReportUrl, thumbnails, mermaidCurves: curves });
    parts = serialize(doc, options);
    const text = join(parts);
    if (size(text) <= limit.max) return text;
  }
  // Still too long (absurd inputs only: every table is already short): drop whole sections
  // from the end, so no table, fold or code block is cut in half.
  const note = `\n\n_Some sections were left out to stay under GitHub's size limit. ${inlines(whereIsTheRest(options.fullReportUrl))}_\n`;
  while (parts.length > 1 && size(join(parts)) + size(note) > limit.max) parts.pop();
  const text = join(parts);
  if (size(text) + size(note) <= limit.max) return text.trimEnd() + note;
  // One section alone is too long: cut it by characters (4 bytes each at most) to what fits.
  const room = limit.max - size(note) - 4;
  return `${[...text].slice(0, limit.unit === 'bytes' ? Math.floor(room / 4) : room).join('')}…${note}`;
}

function join(parts: string[]): string {
  return `${parts.filter(Boolean).join('\n\n')}\n`;
}

/** The document as Markdown parts: the headline, one per section, the footer. */
function serialize(doc: ReportDocument, options: MarkdownOptions): string[] {
  const blocks = (list: Block[]) =>
    list
      .map((b) => block(b, options))
      .filter(Boolean)
      .join('\n\n');
  const headline = [`## ${escapeMarkdown(doc.title)}`, `${TONE_ICONS[doc.verdict.tone]} **${escapeMarkdown(doc.verdict.text)}**`, blocks(doc.headline)].join(
    '\n\n',
  );
  const sections = doc.sections.map((s) =>
    s.folded ? fold(escapeMarkdown(s.title), blocks(s.blocks)) : `### ${escapeMarkdown(s.title)}\n\n${blocks(s.blocks)}`,
  );
  return [headline, ...sections, `<sub>${inlines(doc.footer)}</sub>`];
}

function block(b: Block, options: MarkdownOptions): string {
  switch (b.kind) {
    case 'paragraph':
      return b.aside ? `_${inlines(b.text)}_` : inlines(b.text);
    case 'table':
      return table(b.table);
    case 'facts':
      // The first row (the winner) doubles as the header: a two-column fact table needs none.
      return markdownTable(
        b.facts.map((f) => {
          const text = escapeMarkdown(f.note ? `${f.value}, ${f.note}` : f.value);
          return [escapeMarkdown(f.label), f.strong ? `**${text}**` : text];
        }),
        { align: ['l', 'l'], alignDelimiters: false },
      );
    case 'list':
      return `**${escapeMarkdown(b.title)}**\n\n${b.items.map((item) => `- ${inlines(item)}`).join('\n')}`;
    case 'code':
      return codeBlock(b.language, b.text);
    case 'fold': {
      const body = b.blocks
        .map((x) => block(x, options))
        .filter(Boolean)
        .join('\n\n');
      return body ? fold(escapeMarkdown(b.summary), body, b.open) : '';
    }
    case 'charts': {
      const images = b.charts.flatMap((c) => {
        const url = safeUrl(options.chartUrls?.get(c.name));
        return url ? [`![${c.alt}](${url})`] : [];
      });
      if (images.length) return images.join('\n');
      return b.fallback ? block(b.fallback, options) : '';
    }
  }
}

function inlines(text: Inline[]): string {
  return text
    .map((t) => {
      if (typeof t === 'string') return escapeMarkdown(t);
      if ('strong' in t) return `**${escapeMarkdown(t.strong)}**`;
      if ('code' in t) return markdownCode(t.code);
      const url = safeUrl(t.url);
      return url ? `[${escapeMarkdown(t.link)}](${url})` : escapeMarkdown(t.link);
    })
    .join('');
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

function fold(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function codeBlock(language: string, text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

/** The chosen model's accuracy per epoch as a Mermaid xychart (GitHub draws it; no image needed). */
export function mermaidCurves(result: RunResult): string | null {
  const trial = result.tuning.trials.find((t) => t.index === result.tuning.bestTrial);
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const fromTrial = trial?.curve.length ? trial : undefined;
  const points = fromTrial?.curve ?? winner?.curve ?? [];
  // An L-BFGS head's curve has a point per iteration (one full pass), not per epoch.
  const step = (fromTrial ? fromTrial.config.solver : winner?.solver) === 'lbfgs' ? 'iteration' : 'epoch';
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
    `  title ${mermaidString(`${tables.winnerName(result)}: accuracy per ${step} (blue: validation, orange: training)`)}`,
    `  x-axis "${step}" ${sampled[0].epoch} --> ${sampled[sampled.length - 1].epoch}`,
    `  y-axis "accuracy (%)" ${low} --> 100`,
    `  line [${sampled.map((p) => pct(p.valAccuracy)).join(', ')}]`,
    `  line [${sampled.map((p) => pct(p.trainAccuracy)).join(', ')}]`,
  ];
  return lines.join('\n');
}
