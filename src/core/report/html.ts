/**
 * The HTML report: one self-contained file with every table in full and the interactive
 * charts (Vega, Vega-Lite and vega-embed inlined; no network). A serializer of the report
 * document (document.ts), built with no limits: every sentence and table comes from there.
 * A Content-Security-Policy allows only the page's own scripts (by hash) and data: images, as
 * a second line of defence behind the escaping.
 */
import { createHash } from 'node:crypto';
import type { RunResult } from '../result.js';
import type { BrowserScript } from './browser-scripts.js';
import type { ChartSpec } from './charts.js';
import { buildDocument, NO_LIMITS, type Block, type Fact, type Inline } from './document.js';
import { escapeHtml, jsonForScript } from './escape.js';
import type { ModelHowTo } from './model-access.js';
import type { Cell, Table } from './tables.js';

export interface HtmlOptions {
  baseline?: RunResult;
  /** How the reader gets the model. */
  model: ModelHowTo;
  charts: ChartSpec[];
  scripts: BrowserScript[];
}

/** Only small inline pictures: nothing that could load from elsewhere. */
export function safeDataImage(uri: string | undefined): string | null {
  return uri && /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/.test(uri) ? uri : null;
}

function cell(c: Cell, align: string): string {
  if (typeof c === 'string') return `<td${align}>${escapeHtml(c)}</td>`;
  if ('image' in c) return `<td${align}><img class="thumb" src="${escapeHtml(c.image)}" alt="${escapeHtml(c.alt)}"></td>`;
  const text = escapeHtml(c.text);
  return `<td${align}>${c.code ? `<code>${text}</code>` : c.strong ? `<strong>${text}</strong>` : text}</td>`;
}

function table(t: Table, className = ''): string {
  const align = (i: number) => (t.columns[i]?.align === 'right' ? ' class="num"' : '');
  const head = t.columns.some((c) => c.title)
    ? `<thead><tr>${t.columns.map((c, i) => `<th${align(i)}>${escapeHtml(c.title)}</th>`).join('')}</tr></thead>`
    : '';
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => cell(c, align(i))).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table${className ? ` class="${className}"` : ''}>${head}<tbody>\n${rows}\n</tbody></table></div>`;
}

function card(f: Fact): string {
  return `<div class="card"><div class="card-label">${escapeHtml(f.label)}</div><div class="card-value${f.value.length > 12 ? ' text' : ''}">${escapeHtml(f.value)}</div>${f.note ? `<div class="card-note">${escapeHtml(f.note)}</div>` : ''}</div>`;
}

function inlines(text: Inline[]): string {
  return text
    .map((t) => {
      if (typeof t === 'string') return escapeHtml(t);
      if ('strong' in t) return `<strong>${escapeHtml(t.strong)}</strong>`;
      if ('code' in t) return `<code>${escapeHtml(t.code)}</code>`;
      return /^https:\/\/\S+$/.test(t.url) ? `<a href="${escapeHtml(t.url)}">${escapeHtml(t.link)}</a>` : escapeHtml(t.link);
    })
    .join('');
}

function block(b: Block, charts: ChartSpec[]): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p${b.aside ? ' class="aside"' : ''}>${inlines(b.text)}</p>`;
    case 'table':
      return table(b.table, b.className);
    case 'facts':
      return `<div class="cards">${b.facts.map(card).join('\n')}</div>`;
    case 'list':
      return `<div class="warnings"><strong>${escapeHtml(b.title)}</strong><ul>${b.items.map((item) => `<li>${inlines(item)}</li>`).join('')}</ul></div>`;
    case 'code':
      // Line by line: the block's own line breaks stay (the policy would show them as \n); each line still goes through it.
      return `<pre${b.language === 'text' ? ' class="summary"' : ''}><code>${b.text.split('\n').map(escapeHtml).join('\n')}</code></pre>`;
    case 'fold':
      return `<details${b.open || b.openInFullReport ? ' open' : ''}><summary>${escapeHtml(b.summary)}</summary>\n${b.blocks.map((x) => block(x, charts)).join('\n')}\n</details>`;
    case 'charts': {
      // The interactive charts stand in for any fallback picture.
      const figures = b.charts.flatMap(({ name }) => {
        const c = charts.find((x) => x.name === name);
        return c
          ? [
              `<figure class="chart"><div class="vega" id="chart-${escapeHtml(c.name)}" data-chart="${escapeHtml(c.name)}" role="img" aria-label="${escapeHtml(c.title)}"></div></figure>`,
            ]
          : [];
      });
      return figures.length ? `<div class="charts">${figures.join('')}</div>` : '';
    }
  }
}

export function renderHtml(result: RunResult, options: HtmlOptions): string {
  const { charts } = options;
  const thumbnails = new Map(
    [...result.test.mistakes, ...(result.elsewhere?.metrics.mistakes ?? []), ...(result.review?.labelSuspects ?? [])].flatMap((m) => {
      const uri = safeDataImage(m.thumbnail);
      return uri && m.sha256 ? [[m.sha256, uri] as const] : [];
    }),
  );
  const doc = buildDocument(result, { baseline: options.baseline, model: options.model, limits: NO_LIMITS, thumbnails });
  const blocks = (list: Block[]) =>
    list
      .map((b) => block(b, charts))
      .filter(Boolean)
      .join('\n');
  const headline = `<header>
<h1>${escapeHtml(doc.title)}</h1>
<p class="verdict tone-${doc.verdict.tone}">${escapeHtml(doc.verdict.text)}</p>
${blocks(doc.headline)}
</header>`;
  const nav = `<nav>${doc.sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('')}</nav>`;
  const sections = doc.sections.map((s) => `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>\n${blocks(s.blocks)}\n</section>`).join('\n');

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
<title>${escapeHtml(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${headline}
${nav}
${sections}
<footer>${inlines(doc.footer)}</footer>
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
/* Headers and numbers break between words only ("anywhere" let a narrow column split "0.701"); long names and paths in text cells still wrap. */
th, td.num { overflow-wrap: normal; }
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
.aside { color: var(--muted); font-style: italic; }
`;
