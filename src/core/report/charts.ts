/**
 * The report's charts as Vega-Lite specs: pure data → spec, no rendering here.
 * Every spec carries its data inline (no URLs), so it renders in Node and offline in the
 * HTML report alike. Labels are data, never markup: Vega escapes them when it draws.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunResult } from '../result.js';
import { headSettings } from '../training/head-settings.js';
import { chartLabels } from './escape.js';
import { trialNumber } from './format.js';
import { estimateOf, estimateText, rankedCandidates } from './tables.js';

export interface ChartSpec {
  /** File name stem: `charts/<name>.svg` and `.png`. */
  name: string;
  /** One line for alt text and the HTML heading. */
  title: string;
  spec: TopLevelSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const FONT = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, "DejaVu Sans", sans-serif';
const WINNER = '#2563eb';
const OTHER = '#9ca3af';
const PALETTE = ['#2563eb', '#f97316', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];
/** Confusion cells and per-label bars shrink with many labels, down to this many pixels. */
const MIN_STEP = 11;

const config = {
  font: FONT,
  background: 'white',
  padding: 12,
  view: { stroke: null },
  title: { fontSize: 15, fontWeight: 600, anchor: 'start', color: '#111827', subtitleColor: '#4b5563', subtitleFontSize: 12, offset: 12 },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 500,
    labelColor: '#374151',
    titleColor: '#374151',
    gridColor: '#e5e7eb',
    domainColor: '#9ca3af',
    tickColor: '#9ca3af',
    labelLimit: 260,
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelLimit: 320 },
  range: { category: PALETTE },
} as const;

function chart(name: string, title: string, subtitle: string | undefined, body: Record<string, unknown>): ChartSpec {
  const spec = { $schema: SCHEMA, title: subtitle ? { text: title, subtitle } : title, config, ...body } as TopLevelSpec;
  return { name, title, spec };
}

/** What the leaderboard measures: the cross-validated estimate when there is one. */
const leaderboardMeasure = (result: RunResult) => (result.bakeOff.candidates.some((c) => c.cv) ? 'estimated accuracy (95% interval)' : 'validation accuracy');

/**
 * Each chart's title, stated once: the chart draws it, and the report uses it as the image's
 * alt text. The leaderboard's depends on whether the candidates were cross-validated.
 */
export function chartTitle(name: 'leaderboard' | 'curves' | 'trials' | 'confusion' | 'per-label-f1' | 'dataset', result: RunResult): string {
  switch (name) {
    case 'leaderboard':
      return `Bake-off: ${leaderboardMeasure(result)}`;
    case 'curves':
      return 'Bake-off: learning curves';
    case 'trials':
      return 'Hyperparameter round: score by weight decay';
    case 'confusion':
      return 'Test set: confusion matrix';
    case 'per-label-f1':
      return 'Test set: F1 per label';
    case 'dataset':
      return 'Dataset: images per label';
  }
}

/** Training and validation loss and accuracy per epoch, one colour per bake-off candidate. */
export function curvesChart(result: RunResult): ChartSpec | null {
  const rows = result.bakeOff.candidates.flatMap((c) =>
    c.curve.flatMap((p) => [
      { candidate: c.displayName, epoch: p.epoch, metric: 'loss', split: 'training', value: p.trainLoss },
      { candidate: c.displayName, epoch: p.epoch, metric: 'loss', split: 'validation', value: p.valLoss },
      { candidate: c.displayName, epoch: p.epoch, metric: 'accuracy', split: 'training', value: p.trainAccuracy },
      { candidate: c.displayName, epoch: p.epoch, metric: 'accuracy', split: 'validation', value: p.valAccuracy },
    ]),
  );
  if (rows.length === 0) return null;
  // A point per epoch, or per iteration (one full pass) for a head fitted by L-BFGS.
  const solvers = new Set(result.bakeOff.candidates.filter((c) => c.curve.length).map((c) => c.solver));
  const stepTitle = solvers.has('lbfgs') ? (solvers.size === 1 ? 'iteration (L-BFGS)' : 'epoch, or iteration for L-BFGS heads') : 'epoch';
  const layer = (metric: 'loss' | 'accuracy') => ({
    width: 330,
    height: 220,
    transform: [{ filter: { field: 'metric', equal: metric } }],
    mark: { type: 'line', strokeWidth: 2, interpolate: 'monotone' },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: stepTitle, axis: { tickMinStep: 1, format: 'd' } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: metric === 'loss' ? 'loss (lower is better)' : 'accuracy (higher is better)',
        scale: { zero: false },
        ...(metric === 'accuracy' ? { axis: { format: '.0%' } } : {}),
      },
      color: { field: 'candidate', type: 'nominal', title: 'candidate', sort: result.bakeOff.candidates.map((c) => c.displayName) },
      strokeDash: {
        field: 'split',
        type: 'nominal',
        title: 'split',
        scale: {
          domain: ['training', 'validation'],
          range: [
            [5, 3],
            [1, 0],
          ],
        },
      },
      tooltip: [{ field: 'candidate' }, { field: 'split' }, { field: 'epoch' }, { field: 'value', title: metric, format: metric === 'loss' ? '.3f' : '.1%' }],
    },
  });
  return chart('curves', chartTitle('curves', result), 'Solid: validation, dashed: training', {
    data: { values: rows },
    hconcat: [layer('loss'), layer('accuracy')],
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
  });
}

/**
 * The candidates' estimates (cross-validated mean, or validation accuracy) with their 95%
 * intervals as whiskers, in the order of the leaderboard table: the winner first.
 */
export function leaderboardChart(result: RunResult): ChartSpec | null {
  const ranked = rankedCandidates(result);
  const rows = ranked.map((c) => {
    const estimate = c.error ? 0 : estimateOf(c);
    return {
      candidate: c.displayName,
      estimate,
      low: c.error ? 0 : (c.cv?.low ?? estimate),
      high: c.error ? 0 : (c.cv?.high ?? estimate),
      winner: c.backbone === result.bakeOff.winner ? 'winner' : 'other',
      seconds: Math.round(c.embedSeconds + c.trainSeconds),
      note: c.error ? 'failed' : c.cv ? estimateText(c.cv) : `${(c.valAccuracy * 100).toFixed(1)}% validation`,
    };
  });
  if (rows.length === 0) return null;
  const withCv = result.bakeOff.candidates.some((c) => c.cv);
  const title = leaderboardMeasure(result);
  const y = { field: 'candidate', type: 'nominal', title: null, sort: rows.map((r) => r.candidate) };
  return chart(
    'leaderboard',
    chartTitle('leaderboard', result),
    withCv ? 'Cross-validated on train + validation; the winner is tuned next' : 'The winner is tuned next',
    {
      data: { values: rows },
      width: 420,
      height: { step: 30 },
      encoding: { y },
      layer: [
        {
          mark: { type: 'bar', cornerRadiusEnd: 3, height: { band: 0.7 } },
          encoding: {
            x: { field: 'estimate', type: 'quantitative', title, scale: { domain: [0, 1] }, axis: { format: '.0%' } },
            color: { field: 'winner', type: 'nominal', scale: { domain: ['winner', 'other'], range: [WINNER, OTHER] }, legend: null },
            tooltip: [{ field: 'candidate' }, { field: 'note', title }, { field: 'seconds', title: 'seconds' }],
          },
        },
        {
          mark: { type: 'rule', color: '#111827', strokeWidth: 1.5 },
          encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4, dy: -8, fontSize: 10, color: '#111827' },
          encoding: { x: { field: 'high', type: 'quantitative' }, text: { field: 'estimateLabel' } },
        },
      ],
      transform: [{ calculate: "format(datum.estimate, '.1%')", as: 'estimateLabel' }],
    },
  );
}

/**
 * Each trial's score against its weight decay, the one setting every solver has: shows whether
 * the search found a plateau or an edge (weight decay can be 0, hence the symmetric log scale).
 * The score is the cross-validated mean with its 95% interval where the round's choice scored
 * the trial on folds (that is what chose), else its validation accuracy, drawn faint beside
 * them: on a few hundred images validation accuracy alone is often the same for every trial.
 */
export function trialsChart(result: RunResult): ChartSpec | null {
  const rows = result.tuning.trials.map((t) => ({
    trial: trialNumber(t.index),
    weightDecay: t.config.weightDecay,
    score: t.cv?.mean ?? t.valAccuracy,
    low: t.cv?.low ?? null,
    high: t.cv?.high ?? null,
    measure: t.cv ? 'cross-validated' : 'validation',
    valAccuracy: t.valAccuracy,
    status: t.index === result.tuning.bestTrial ? 'chosen' : t.status,
    config: headSettings(t.config),
    epochs: t.epochs,
  }));
  if (rows.length === 0) return null;
  const folded = rows.filter((r) => r.measure === 'cross-validated').length;
  // Faint only beside cross-validated trials: where all or none were, the one measure needs no contrast.
  const mixed = folded > 0 && folded < rows.length;
  const subtitle = [
    `${rows.length} trial${rows.length === 1 ? '' : 's'} on ${result.tuning.backbone}`,
    folded ? 'cross-validated, with 95% intervals' : '',
    mixed ? 'faint: validation only' : '',
  ]
    .filter(Boolean)
    .join('; ');
  const scoreTitle = folded === rows.length ? 'cross-validated accuracy' : folded ? 'accuracy (cross-validated where scored)' : 'validation accuracy';
  const x = {
    field: 'weightDecay',
    type: 'quantitative',
    title: 'weight decay (symmetric log scale)',
    // The whole labelled range, so a single trial (the small CNN's) does not sit unlabelled at the edge.
    scale: { type: 'symlog', constant: 1e-5, domain: [0, Math.max(0.1, ...rows.map((r) => r.weightDecay))] },
    axis: { values: [0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1], labelExpr: "datum.value === 0 ? '0' : format(datum.value, '.0e')" },
  };
  const statuses = { domain: ['chosen', 'seed', 'completed', 'pruned'] };
  const colour = { field: 'status', type: 'nominal', title: 'trial', scale: { ...statuses, range: ['#16a34a', WINNER, '#60a5fa', OTHER] } };
  return chart('trials', chartTitle('trials', result), subtitle, {
    data: { values: rows },
    width: 420,
    height: 240,
    encoding: { x },
    layer: [
      {
        transform: [{ filter: 'datum.low !== null' }],
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: {
          y: { field: 'low', type: 'quantitative' },
          y2: { field: 'high' },
          color: colour,
        },
      },
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          y: {
            field: 'score',
            type: 'quantitative',
            title: scoreTitle,
            scale: { zero: false },
            axis: { format: '.0%' },
          },
          color: colour,
          shape: { field: 'status', type: 'nominal', scale: { ...statuses, range: ['diamond', 'square', 'circle', 'cross'] } },
          opacity: mixed ? { condition: { test: "datum.measure === 'validation'", value: 0.35 }, value: 0.9 } : { value: 0.9 },
          size: { condition: { test: "datum.status === 'chosen'", value: 220 }, value: 80 },
          tooltip: [
            { field: 'trial' },
            { field: 'status' },
            { field: 'measure' },
            { field: 'score', title: 'accuracy', format: '.1%' },
            { field: 'valAccuracy', title: 'validation accuracy', format: '.1%' },
            { field: 'weightDecay', title: 'weight decay', format: '.0e' },
            { field: 'config' },
            { field: 'epochs' },
          ],
        },
      },
    ],
  });
}

/** Confusion matrix: colour is the share of the true label's images, the text the count. */
export function confusionChart(result: RunResult): ChartSpec | null {
  const { labels, matrix } = result.test.confusion;
  if (labels.length === 0) return null;
  const rows = labels.flatMap((trueLabel, i) => {
    const total = (matrix[i] ?? []).reduce((a, b) => a + b, 0);
    return labels.map((predicted, j) => {
      const count = matrix[i]?.[j] ?? 0;
      return { trueLabel, predicted, count, share: total ? count / total : 0, correct: i === j };
    });
  });
  const step = Math.max(MIN_STEP, Math.min(44, Math.floor(560 / labels.length)));
  const showCounts = step >= 22;
  const labelFontSize = Math.min(11, step - 1);
  return chart('confusion', chartTitle('confusion', result), 'Rows: true label. Columns: predicted. Colour: share of the row', {
    // Empty cells are not drawn (a 60-label matrix is mostly zeros); the plot's fill shows through.
    data: { values: rows.filter((r) => r.count > 0) },
    width: { step },
    height: { step },
    view: { fill: '#f8fafc', stroke: '#e5e7eb' },
    encoding: {
      x: {
        field: 'predicted',
        type: 'nominal',
        title: 'predicted label',
        scale: { domain: labels },
        axis: { orient: 'top', labelAngle: labels.length > 12 ? -90 : -45, labelFontSize, labelLimit: 220 },
      },
      y: { field: 'trueLabel', type: 'nominal', title: 'true label', scale: { domain: labels }, axis: { labelFontSize, labelLimit: 220 } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: step > 14 ? 1 : 0.5 },
        encoding: {
          color: {
            field: 'share',
            type: 'quantitative',
            title: 'share of row',
            scale: { scheme: 'blues', domain: [0, 1] },
            legend: { format: '.0%', gradientLength: Math.min(200, step * labels.length) },
          },
          tooltip: [{ field: 'trueLabel', title: 'true' }, { field: 'predicted' }, { field: 'count' }, { field: 'share', format: '.1%' }],
        },
      },
      ...(showCounts
        ? [
            {
              mark: { type: 'text', fontSize: step >= 32 ? 12 : 10 },
              encoding: {
                text: { field: 'count', type: 'quantitative' },
                color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: '#111827' },
              },
            },
          ]
        : []),
    ],
  });
}

/** Per-label F1 on the test set, worst first; with a baseline, its F1 as a tick. */
export function perLabelChart(result: RunResult, baseline?: RunResult): ChartSpec | null {
  const before = new Map(baseline?.test.perLabel.map((p) => [p.label, p.f1]) ?? []);
  const rows = result.test.perLabel.map((p) => ({
    label: p.label,
    f1: p.f1,
    precision: p.precision,
    recall: p.recall,
    support: p.support,
    baselineF1: before.get(p.label) ?? null,
  }));
  if (rows.length === 0) return null;
  const step = Math.max(MIN_STEP + 3, Math.min(26, Math.floor(640 / rows.length)));
  // An explicit order: a layered chart cannot sort a shared axis by a field.
  const order = [...rows].sort((a, b) => a.f1 - b.f1 || a.label.localeCompare(b.label)).map((r) => r.label);
  const y = { field: 'label', type: 'nominal', title: null, sort: order };
  const x = { field: 'f1', type: 'quantitative', title: 'F1 on the test set', scale: { domain: [0, 1] }, axis: { format: '.0%' } } as const;
  const hasBaseline = rows.some((r) => r.baselineF1 !== null);
  return chart('per-label-f1', chartTitle('per-label-f1', result), hasBaseline ? 'Worst first. Black tick: baseline F1' : 'Worst first', {
    data: { values: rows },
    width: 420,
    height: { step },
    encoding: { y },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2, height: { band: 0.72 } },
        encoding: {
          x,
          color: { value: WINNER },
          tooltip: [
            { field: 'label' },
            { field: 'f1', title: 'F1', format: '.1%' },
            { field: 'precision', format: '.1%' },
            { field: 'recall', format: '.1%' },
            { field: 'support', title: 'test images' },
            ...(hasBaseline ? [{ field: 'baselineF1', title: 'baseline F1', format: '.1%' }] : []),
          ],
        },
      },
      ...(hasBaseline
        ? [
            {
              transform: [{ filter: 'datum.baselineF1 != null' }],
              mark: { type: 'tick', color: '#111827', thickness: 2, size: step * 0.8 },
              encoding: { x: { field: 'baselineF1', type: 'quantitative' } },
            },
          ]
        : []),
    ],
  });
}

/** Images per label and split: shows imbalance and tiny labels at a glance. */
export function datasetChart(result: RunResult): ChartSpec | null {
  const rows = result.dataset.counts.flatMap((c) => [
    { label: c.label, split: 'train', images: c.train, order: 0 },
    { label: c.label, split: 'validation', images: c.val, order: 1 },
    { label: c.label, split: 'test', images: c.test, order: 2 },
  ]);
  if (rows.length === 0) return null;
  const step = Math.max(MIN_STEP + 3, Math.min(26, Math.floor(640 / result.dataset.counts.length)));
  return chart('dataset', chartTitle('dataset', result), `${result.dataset.images} images, ${result.dataset.labels.length} labels`, {
    data: { values: rows },
    width: 420,
    height: { step },
    mark: { type: 'bar', height: { band: 0.72 } },
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: result.dataset.counts.map((c) => c.label) },
      x: { field: 'images', type: 'quantitative', title: 'images', stack: 'zero' },
      color: { field: 'split', type: 'nominal', title: 'split', scale: { domain: ['train', 'validation', 'test'], range: [WINNER, '#f97316', '#16a34a'] } },
      order: { field: 'order' },
      tooltip: [{ field: 'label' }, { field: 'split' }, { field: 'images' }],
    },
  });
}

/** All charts for a run, in report order; charts without data are left out. */
export function buildCharts(result: RunResult, baseline?: RunResult): ChartSpec[] {
  return (
    [leaderboardChart(result), curvesChart(result), trialsChart(result), perLabelChart(result, baseline), confusionChart(result), datasetChart(result)]
      .filter((c): c is ChartSpec => c !== null)
      // Vega draws controls and bidi overrides as they are: labels follow the escaping policy.
      .map((c) => ({ ...c, spec: chartLabels(c.spec) }))
  );
}
