/**
 * The HTML report: one self-contained file with every table in full and the interactive
 * charts (Vega, Vega-Lite and vega-embed inlined; no network). A Content-Security-Policy
 * allows only the page's own scripts (by hash) and data: images, as a second line of
 * defence behind the escaping.
 */
import { createHash } from 'node:crypto';
import type { RunResult } from '../result.js';
import type { BrowserScript } from './browser-scripts.js';
import type { ChartSpec } from './charts.js';
import { escapeHtml, jsonForScript } from './escape.js';
import { bytes, deltaPoints, describeConfigShort, duration, integer, percent, trialNumber } from './format.js';
import type { ModelHowTo } from './model-access.js';
import * as tables from './tables.js';
import type { Cell, Table } from './tables.js';
import { verdict } from './verdict.js';

export interface HtmlOptions {
  baseline?: RunResult;
  /** How the reader gets the model. */
  model: ModelHowTo;
  charts: ChartSpec[];
  scripts: BrowserScript[];
}

const ALL = Number.MAX_SAFE_INTEGER;

/** Only small inline pictures: nothing that could load from elsewhere. */
export function safeDataImage(uri: string | undefined): string | null {
  return uri && /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/.test(uri) ? uri : null;
}

function cell(c: Cell, header = false): string {
  const tag = header ? 'th' : 'td';
  if (typeof c === 'string') return `<${tag}>${escapeHtml(c)}</${tag}>`;
  if ('image' in c) return `<${tag}><img class="thumb" src="${escapeHtml(c.image)}" alt="${escapeHtml(c.alt)}"></${tag}>`;
  const text = escapeHtml(c.text);
  return `<${tag}>${c.code ? `<code>${text}</code>` : c.strong ? `<strong>${text}</strong>` : text}</${tag}>`;
}

function table(t: Table, className = ''): string {
  const align = (i: number) => (t.columns[i]?.align === 'right' ? ' class="num"' : '');
  const head = t.columns.some((c) => c.title) ? `<thead><tr>${t.columns.map((c, i) => `<th${align(i)}>${escapeHtml(c.title)}</th>`).join('')}</tr></thead>` : '';
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => cell(c).replace(/^<td>/, `<td${align(i)}>`)).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table${className ? ` class="${className}"` : ''}>${head}<tbody>\n${rows}\n</tbody></table></div>`;
}

function chart(charts: ChartSpec[], name: string): string {
  const c = charts.find((x) => x.name === name);
  if (!c) return '';
  return `<figure class="chart"><div class="vega" id="chart-${escapeHtml(c.name)}" data-chart="${escapeHtml(c.name)}" role="img" aria-label="${escapeHtml(c.title)}"></div></figure>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

function details(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${escapeHtml(summary)}</summary>\n${body}\n</details>`;
}

function card(label: string, value: string, note = '', text = false): string {
  return `<div class="card"><div class="card-label">${escapeHtml(label)}</div><div class="card-value${text ? ' text' : ''}">${escapeHtml(value)}</div>${note ? `<div class="card-note">${escapeHtml(note)}</div>` : ''}</div>`;
}

export function renderHtml(result: RunResult, options: HtmlOptions): string {
  const { baseline, charts } = options;
  const v = verdict(result, baseline);
  const test = result.test;
  const d = result.dataset;
  const change = (now: number, before: number | undefined) => (before === undefined ? '' : `${deltaPoints(now - before)} vs baseline`);

  const cards = [
    card('Test accuracy', percent(test.accuracy), change(test.accuracy, baseline?.test.accuracy)),
    ...(test.topK ? [card(`Top-${test.topK.k} accuracy`, percent(test.topK.accuracy), baseline?.test.topK?.k === test.topK.k ? change(test.topK.accuracy, baseline.test.topK.accuracy) : '')] : []),
    card('Macro F1', percent(test.macroF1), change(test.macroF1, baseline?.test.macroF1)),
    card('Winner', tables.winnerName(result), result.tuning.bestTrial >= 0 ? `tuned: trial ${trialNumber(result.tuning.bestTrial)}` : 'bake-off head kept', true),
    card('Data', `${integer(d.images)} images`, `${d.labels.length} labels${d.skipped.length ? `, ${d.skipped.length} skipped` : ''}`),
    card('Time', duration(tables.totalSeconds(result)), `of ${duration(result.budget.seconds)} budget${result.budget.exhausted ? ' (ran out)' : ''}`),
  ].join('\n');

  const headline = `<header>
<h1>classifier-ci report</h1>
<p class="verdict tone-${v.tone}">${escapeHtml(v.text)}</p>
<div class="cards">${cards}</div>
${baseline ? details('Compared with the baseline', table(tables.comparison(result, baseline)) + table(tables.labelChanges(result, baseline, ALL)), true) : ''}
</header>`;

  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const chosen = result.tuning.trials.find((t) => t.index === result.tuning.bestTrial);
  const bakeOff = section('bake-off', 'Bake-off', `<p>${result.bakeOff.candidates.length} backbones trained a head each on the same split; the best validation accuracy won.</p>
${table(tables.leaderboard(result, ALL))}
<div class="charts">${chart(charts, 'leaderboard')}${chart(charts, 'curves')}</div>`);

  const ft = result.tuning.fineTune;
  const tuning = section('tuning', 'Hyperparameter round', `<p>${escapeHtml(tables.winnerName(result))}: ${result.tuning.trials.length} trials in ${escapeHtml(duration(result.tuning.seconds))} (${escapeHtml(result.tuning.strategy)}). ${
    chosen
      ? `Chosen: <strong>trial ${trialNumber(chosen.index)}</strong>, ${percent(chosen.valAccuracy)} validation accuracy${winner ? ` (bake-off head: ${percent(winner.valAccuracy)})` : ''}.`
      : `No trial beat the bake-off head${winner ? ` (${percent(winner.valAccuracy)})` : ''}, so it was kept.`
  }</p>
<p>Config: <code>${escapeHtml(describeConfigShort(result.tuning.best))}</code></p>
<p>Fine-tuning the top of the backbone: ${ft.applied ? `applied${ft.valAccuracy !== undefined ? `, ${percent(ft.valAccuracy)} validation accuracy` : ''}` : 'skipped'}; ${escapeHtml(ft.reason)}.</p>
${result.tuning.refit ? `<p>Final fit: ${result.tuning.refit.applied ? '' : 'skipped; '}${escapeHtml(result.tuning.refit.reason)}.</p>
` : ''}<div class="charts">${chart(charts, 'trials')}</div>
${result.tuning.trials.length ? details(`All ${result.tuning.trials.length} trials, best first`, table(tables.trials(result, ALL))) : ''}`);

  const labels = test.confusion.labels.length;
  const thumbnails = new Map(test.mistakes.flatMap((m) => {
    const uri = safeDataImage(m.thumbnail);
    return uri ? [[m.sha256, uri] as const] : [];
  }));
  const testSection = section('test', 'Test set', `<p>${integer(test.images)} images the model never saw while training or choosing: accuracy ${percent(test.accuracy)}${test.topK ? `, top-${test.topK.k} ${percent(test.topK.accuracy)}` : ''}, macro F1 ${percent(test.macroF1)}.</p>
<div class="charts">${chart(charts, 'per-label-f1')}${chart(charts, 'confusion')}</div>
${details(`Precision, recall and F1 for all ${test.perLabel.length} labels`, table(tables.perLabel(result, baseline, ALL)), test.perLabel.length <= 20)}
${labels && labels <= 20 ? details('Confusion matrix as a table (rows: true label, columns: predicted)', table(tables.confusionMatrix(result), 'matrix')) : ''}
${labels > 20 ? details('Most confused label pairs', table(tables.confusedPairs(result, ALL))) : ''}
${test.mistakes.length ? details(`The ${test.mistakes.length} most confident mistakes`, table(tables.mistakes(result, ALL, thumbnails)), test.mistakes.length <= 10) : ''}`);

  const how = d.splitMode === 'hash' ? 'split by content hash (stable across runs)' : 'split by its train/, val/ and test/ folders';
  const dataset = section('dataset', 'Dataset', `<p><code>${escapeHtml(d.root)}</code>: ${integer(d.images)} images in ${d.labels.length} labels, ${how}: ${integer(d.splitCounts.train)} train, ${integer(d.splitCounts.val)} validation, ${integer(d.splitCounts.test)} test.</p>
${d.warnings.length ? `<div class="warnings"><strong>Warnings</strong><ul>${d.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></div>` : ''}
<div class="charts">${chart(charts, 'dataset')}</div>
${details('Images per label and split', table(tables.counts(result, baseline, ALL)))}
${d.skipped.length ? details(`${integer(d.skipped.length)} files skipped`, table(tables.skipped(result, ALL)), d.skipped.length <= 10) : ''}`);

  const m = result.model;
  const modelBytes = m.files.reduce((n, f) => n + f.bytes, 0);
  const howTo = options.model;
  const download = howTo.download;
  const runLink = download && /^https:\/\//.test(download.runUrl) ? `<a href="${escapeHtml(download.runUrl)}">run ${download.runId}</a>` : `run ${download?.runId}`;
  const model = section('model', 'Model', `<p><code>${escapeHtml(howTo.folder)}</code>: ${bytes(modelBytes)} in ${m.files.length} files, ${escapeHtml(tables.winnerName(result))} with its trained head, input ${m.inputSize}×${m.inputSize}.</p>
${download ? `<p>Get it from the artifact <code>${escapeHtml(download.artifact)}</code> of ${runLink}, or with the GitHub CLI:</p>
<pre><code>${escapeHtml(download.command)}</code></pre>
` : ''}<p>Classify an image from the command line:</p>
<pre><code>${escapeHtml(howTo.predictCommand)}</code></pre>
<p>Or from code:</p>
<pre><code>${escapeHtml(howTo.code)}</code></pre>
${details(`Layers (${m.layers.length})`, `<pre class="summary">${escapeHtml(tables.layerSummary(result, ALL))}</pre>`)}
${details('Files', table(tables.modelFiles(result, ALL)))}`);

  const b = result.backend;
  const run = section('run', 'Run details', `<p>Backend: ${escapeHtml(tables.backendLine(result))}.</p>
${b.skipped.length ? `<p>Not used:</p><ul>${b.skipped.map((s) => `<li><code>${escapeHtml(s.backend)}</code>: ${escapeHtml(s.reason)}</li>`).join('')}</ul>` : ''}
<p>Budget: ${duration(result.budget.usedSeconds)} used of ${duration(result.budget.seconds)}${result.budget.exhausted ? '; it ran out, so some stages stopped early' : ''}. Seed ${result.seed}. Started ${escapeHtml(result.startedAt)}, finished ${escapeHtml(result.finishedAt)}.</p>
<p>Versions: classifier-ci ${escapeHtml(result.versions.classifierCi)}, tfjs ${escapeHtml(result.versions.tfjs)}, Node ${escapeHtml(result.versions.node)}, sharp ${escapeHtml(result.versions.sharp)}.</p>
${table(tables.timings(result))}`);

  const specs = Object.fromEntries(charts.map((c) => [c.name, c.spec]));
  const boot = `(function () {
  var specs = JSON.parse(document.getElementById('chart-specs').textContent);
  var pending = [];
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var spec = specs[el.getAttribute('data-chart')];
    if (!spec) return;
    pending.push(vegaEmbed(el, spec, { renderer: 'svg', actions: false }).catch(function (error) {
      el.textContent = 'This chart could not be drawn: ' + error.message;
      console.error(error);
    }));
  });
  Promise.all(pending).then(function () { document.body.setAttribute('data-charts', 'ready'); });
})();`;
  const scripts = [...options.scripts.map((s) => s.source), boot];
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
  // Vega compiles chart expressions with Function(), hence 'unsafe-eval'; everything else is locked down.
  const csp = `default-src 'none'; script-src ${hashes.join(' ')} 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>classifier-ci: ${escapeHtml(percent(test.accuracy))} test accuracy with ${escapeHtml(tables.winnerName(result))}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${headline}
<nav><a href="#bake-off">Bake-off</a><a href="#tuning">Hyperparameter round</a><a href="#test">Test set</a><a href="#dataset">Dataset</a><a href="#model">Model</a><a href="#run">Run details</a></nav>
${bakeOff}
${tuning}
${testSection}
${dataset}
${model}
${run}
<footer>classifier-ci ${escapeHtml(result.versions.classifierCi)} · result.json schema v${result.schemaVersion}</footer>
</main>
<script type="application/json" id="chart-specs">${jsonForScript(specs)}</script>
${scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body>
</html>
`;
}

const STYLE = `
:root { --fg: #111827; --muted: #4b5563; --line: #e5e7eb; --bg: #ffffff; --soft: #f8fafc; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--soft); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 24px 48px; }
header, section { background: var(--bg); border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; margin: 0 0 18px; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 0 0 10px; }
p { margin: 8px 0; }
nav { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0 0 18px; padding: 0 4px; }
nav a { color: var(--accent); text-decoration: none; font-weight: 500; }
.verdict { font-size: 16px; font-weight: 600; padding: 10px 14px; border-radius: 8px; border-left: 5px solid; background: var(--soft); }
.tone-better { border-color: #16a34a; } .tone-worse { border-color: #dc2626; } .tone-same { border-color: #9ca3af; } .tone-standalone { border-color: var(--accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin: 14px 0 6px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 0; }
.card-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card-value { font-size: 20px; font-weight: 650; overflow-wrap: break-word; line-height: 1.3; }
.card-value.text { font-size: 16px; }
.card-note { color: var(--muted); font-size: 13px; }
.table-wrap { overflow-x: auto; margin: 10px 0; }
table { border-collapse: collapse; font-size: 14px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; overflow-wrap: anywhere; }
th { font-weight: 600; background: var(--soft); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
table.matrix td, table.matrix th { text-align: right; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
code { background: var(--soft); padding: 1px 4px; border-radius: 4px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; overflow-x: auto; }
pre code { background: none; padding: 0; }
details { margin: 10px 0; }
summary { cursor: pointer; font-weight: 600; color: var(--fg); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; margin: 12px 0; }
figure.chart { margin: 0; max-width: 100%; overflow-x: auto; }
.thumb { width: 64px; height: 64px; object-fit: contain; image-rendering: auto; border-radius: 4px; background: var(--soft); }
.warnings { background: #fffbeb; border: 1px solid #fde68a; border-radius: 8px; padding: 8px 14px; margin: 10px 0; }
.warnings ul { margin: 4px 0; padding-left: 20px; }
footer { color: var(--muted); font-size: 13px; text-align: center; }
`;
