/**
 * The report's tables as plain data (text cells, no markup), shared by the Markdown and the
 * HTML renderers. Each builder takes a row limit and says how many rows there were, so the
 * renderer can say what it left out.
 */
import type { Candidate, DatasetReview, RunResult, StageTiming } from '../result.js';
import {
  adamSetting,
  bytes,
  deltaCount,
  deltaPoints,
  duration,
  hidden,
  integer,
  interval,
  percent,
  rate,
  SOLVER_NAMES,
  solverName,
  trialNumber,
} from './format.js';
import { labelDeltas } from './verdict.js';
import { compareScores } from '../training/score.js';

export type Cell =
  | string
  | { text: string; strong?: boolean; code?: boolean }
  /** A picture (a mistake's thumbnail); `url` is already checked to be safe. */
  | { image: string; alt: string };

export interface Column {
  title: string;
  align?: 'left' | 'right' | 'center';
}

export interface Table {
  columns: Column[];
  rows: Cell[][];
  /** Rows before the limit was applied. */
  total: number;
}

/** Longest user-controlled text in one cell, in characters; the full text is in result.json. */
export const MAX_CELL_CHARS = 80;

/** How stages are named for readers: every stage result.json can name. */
const STAGE_NAMES: Record<StageTiming['stage'], string> = {
  scan: 'reading the data',
  decode: 'decoding',
  embed: 'embeddings',
  bakeOff: 'bake-off',
  ensemble: 'ensembles',
  augment: 'augmentation',
  tuning: 'hyperparameter round',
  fineTune: 'fine-tuning',
  refit: 'final fit',
  evaluate: 'evaluation',
  export: 'export',
  elsewhere: 'scoring the images from elsewhere',
  review: 'dataset review',
  total: 'total',
};

export function clip(text: string, max = MAX_CELL_CHARS): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

function limited(columns: Column[], rows: Cell[][], limit: number): Table {
  return { columns, rows: rows.slice(0, Math.max(0, limit)), total: rows.length };
}

const left = (title: string): Column => ({ title, align: 'left' });
const right = (title: string): Column => ({ title, align: 'right' });

function winnerOf(result: RunResult) {
  return result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
}

export function winnerName(result: RunResult): string {
  return clip(winnerOf(result)?.displayName ?? result.bakeOff.winner);
}

export function totalSeconds(result: RunResult): number {
  return result.timings.find((t) => t.stage === 'total')?.seconds ?? result.budget.usedSeconds;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

interface ComputePart {
  name: string;
  where: string;
}

const shown = (part: ComputePart) => `${part.name} (${part.where})`;

/**
 * What computed the run: the engine chosen for the pretrained backbones (absent in results
 * written before it was recorded) and the backend that trained heads, the small CNN and
 * fine-tuning. The training backend alone would hide that ONNX Runtime does most of the work.
 */
function computeParts(result: RunResult): { pretrained: ComputePart | null; training: ComputePart } {
  const b = result.backend;
  const training = { name: b.name, where: `${b.gpu ? 'GPU' : 'CPU'}, ${count(b.threads, 'thread')}` };
  const i = b.inference;
  if (!i) return { pretrained: null, training };
  const pretrained =
    i.engine === 'onnxruntime'
      ? { name: 'ONNX Runtime', where: `${i.provider.toUpperCase()}, ${count(i.threads, 'thread')}` }
      : { name: i.provider, where: count(i.threads, 'worker thread') };
  return { pretrained, training };
}

/** The engine for pretrained backbones and where it ran, e.g. "ONNX Runtime (CPU, 2 threads)"; null in older results. */
export function pretrainedEngineLine(result: RunResult): string | null {
  const { pretrained } = computeParts(result);
  return pretrained && shown(pretrained);
}

/** The training backend with its package, for the run details, e.g. "wasm (@tensorflow/tfjs-backend-wasm, CPU, 1 thread)". */
export function backendLine(result: RunResult): string {
  const { training } = computeParts(result);
  return `${training.name} (${result.backend.package}, ${training.where})`;
}

/** One line for a table cell, e.g. "ONNX Runtime (CPU, 2 threads) for pretrained backbones and the small CNN; wasm (CPU, 1 thread) for training". */
export function computeLine(result: RunResult): string {
  const { pretrained, training } = computeParts(result);
  if (!pretrained) return shown(training);
  const engineDoes = result.backend.inference?.trainsSmallCnn ? 'pretrained backbones and the small CNN' : 'pretrained backbones';
  return `${shown(pretrained)} for ${engineDoes}; ${shown(training)} for training`;
}

/** For the summary's cards: the names, e.g. "ONNX Runtime + wasm", and where each ran. */
export function computeFact(result: RunResult): { value: string; note: string } {
  const { pretrained, training } = computeParts(result);
  if (!pretrained) return { value: training.name, note: training.where };
  return {
    value: pretrained.name === training.name ? training.name : `${pretrained.name} + ${training.name}`,
    note: `pretrained backbones${result.backend.inference?.trainsSmallCnn ? ' and the small CNN' : ''} on ${pretrained.where}; training on ${training.where}`,
  };
}

/** This run against the baseline, metric by metric. */
export function comparison(result: RunResult, baseline: RunResult): Table {
  const row = (name: string, now: number, before: number, strong = false): Cell[] => [
    name,
    strong ? { text: percent(now), strong } : percent(now),
    percent(before),
    strong ? { text: deltaPoints(now - before), strong } : deltaPoints(now - before),
  ];
  const rows: Cell[][] = [row('Test accuracy', result.test.accuracy, baseline.test.accuracy, true)];
  if (result.test.topK && baseline.test.topK && result.test.topK.k === baseline.test.topK.k) {
    rows.push(row(`Top-${result.test.topK.k} accuracy`, result.test.topK.accuracy, baseline.test.topK.accuracy));
  }
  rows.push(row('Macro F1', result.test.macroF1, baseline.test.macroF1));
  // The folder from elsewhere: compared only when the baseline scored a folder of the same name.
  const now = result.elsewhere;
  const before = baseline.elsewhere;
  if (now && before && before.dataset === now.dataset) rows.push(row('Images from elsewhere', now.metrics.accuracy, before.metrics.accuracy));
  else if (now) rows.push(['Images from elsewhere', percent(now.metrics.accuracy), '—', 'not scored before']);
  rows.push(['Images', integer(result.dataset.images), integer(baseline.dataset.images), deltaCount(result.dataset.images - baseline.dataset.images)]);
  rows.push([
    'Labels',
    String(result.dataset.labels.length),
    String(baseline.dataset.labels.length),
    deltaCount(result.dataset.labels.length - baseline.dataset.labels.length),
  ]);
  rows.push(['Winner', winnerName(result), winnerName(baseline), result.bakeOff.winner === baseline.bakeOff.winner ? 'same' : 'changed']);
  rows.push(['Compute', computeLine(result), computeLine(baseline), computeLine(result) === computeLine(baseline) ? 'same' : 'changed']);
  const time = (r: RunResult) => `${duration(totalSeconds(r))} of ${duration(r.budget.seconds)}${r.budget.exhausted ? ' (ran out)' : ''}`;
  rows.push(['Time (of the budget)', time(result), time(baseline), '']);
  return limited([left(''), right('This run'), right('Baseline'), right('Change')], rows, rows.length);
}

/** Per-label F1 changes against the baseline, biggest first. */
export function labelChanges(result: RunResult, baseline: RunResult, limit: number): Table {
  const rows: Cell[][] = labelDeltas(result, baseline).map((d) => [
    clip(d.label),
    d.baselineF1 === null ? 'new' : percent(d.baselineF1),
    percent(d.f1),
    d.delta === null ? '' : deltaPoints(d.delta),
  ]);
  return limited([left('Label'), right('Baseline F1'), right('F1'), right('Change')], rows, limit);
}

/** The figure a candidate was chosen by: its cross-validated estimate, else its validation accuracy (older results). */
export function estimateOf(c: RunResult['bakeOff']['candidates'][number]): number {
  return c.cv?.mean ?? c.valAccuracy;
}

/** "87.0% (79.0%–95.1%), 5 folds" or "84.2% (62.4%–94.5%), validation only". */
export function estimateText(cv: NonNullable<RunResult['bakeOff']['candidates'][number]['cv']>): string {
  return `${percent(cv.mean)} (${interval(cv.low, cv.high)}), ${cv.folds > 0 ? `${cv.folds} folds` : 'validation only'}`;
}

/** The winner first (the selection rule may prefer it over a higher estimate), then by estimate; failed candidates last. */
export function rankedCandidates(result: RunResult): RunResult['bakeOff']['candidates'] {
  const isWinner = (c: { backbone: string }) => c.backbone === result.bakeOff.winner;
  return [...result.bakeOff.candidates].sort(
    (a, b) =>
      Number(Boolean(a.error)) - Number(Boolean(b.error)) ||
      Number(isWinner(b)) - Number(isWinner(a)) ||
      estimateOf(b) - estimateOf(a) ||
      b.valAccuracy - a.valAccuracy ||
      a.valLoss - b.valLoss,
  );
}

export function leaderboard(result: RunResult, limit: number): Table {
  const isWinner = (c: { backbone: string }) => c.backbone === result.bakeOff.winner;
  const ranked = rankedCandidates(result);
  const withCv = result.bakeOff.candidates.some((c) => c.cv);
  const rows: Cell[][] = ranked.map((c, i) => {
    const winner = isWinner(c);
    const name = `${clip(c.displayName)}${winner ? ' (winner)' : ''}`;
    if (c.error)
      return [String(i + 1), name, String(c.inputSize), ...(withCv ? [''] : []), `failed: ${clip(c.error)}`, '', '', duration(c.embedSeconds + c.trainSeconds)];
    const estimate = c.cv ? estimateText(c.cv) : 'not cross-validated';
    return [
      String(i + 1),
      winner ? { text: name, strong: true } : name,
      c.kind === 'scratch' ? `${c.inputSize} (from scratch)` : String(c.inputSize),
      ...(withCv ? [winner ? { text: estimate, strong: true } : estimate] : []),
      !withCv && winner ? { text: percent(c.valAccuracy), strong: true } : percent(c.valAccuracy),
      c.valLoss.toFixed(3),
      fitText(c),
      c.embeddingsCached && !c.embeddingsComputed ? `${duration(c.trainSeconds)} (embeddings cached)` : duration(c.embedSeconds + c.trainSeconds),
    ];
  });
  return limited(
    [
      right('Rank'),
      left('Candidate'),
      right('Input'),
      ...(withCv ? [right('Estimate (95% interval)')] : []),
      right('Val accuracy'),
      right('Val loss'),
      right('Fit'),
      right('Time'),
    ],
    rows,
    limit,
  );
}

/** How a candidate's head was fitted, as the log says it: L-BFGS keeps its last iterate, Adam its best epoch. */
function fitText(c: Candidate): string {
  return c.solver === 'lbfgs' ? `L-BFGS, ${count(c.epochs, 'iteration')}` : `best epoch ${c.bestEpoch} of ${c.epochs}`;
}

/** Trials, best first on validation (the rule successive halving ranks by), with their cross-validated estimate when the choice made one. */
export function trials(result: RunResult, limit: number): Table {
  const sorted = [...result.tuning.trials].sort((a, b) => compareScores(a, b) || a.index - b.index);
  // The cross-validated estimate, for the trials the round's choice scored on folds.
  const withCv = sorted.some((t) => t.cv);
  const withScaling = sorted.some((t) => t.config.scaling === 'global');
  const rows: Cell[][] = sorted.map((t) => {
    const chosen = t.index === result.tuning.bestTrial;
    const status = chosen ? 'chosen' : t.status;
    return [
      chosen ? { text: String(trialNumber(t.index)), strong: true } : String(trialNumber(t.index)),
      chosen ? { text: percent(t.valAccuracy), strong: true } : percent(t.valAccuracy),
      ...(withCv ? [t.cv ? `${percent(t.cv.mean)} (${interval(t.cv.low, t.cv.high)})` : '—'] : []),
      t.valLoss.toFixed(3),
      SOLVER_NAMES[t.config.solver],
      adamSetting(t.config, rate(t.config.learningRate)),
      adamSetting(t.config, String(t.config.batchSize)),
      hidden(t.config.hiddenUnits),
      ...(withScaling ? [t.config.scaling === 'global' ? 'one for all' : 'per feature'] : []),
      adamSetting(t.config, String(t.config.dropout)),
      rate(t.config.weightDecay),
      String(t.config.labelSmoothing),
      String(t.epochs),
      duration(t.seconds),
      status,
    ];
  });
  return limited(
    [
      right('Trial'),
      right('Val accuracy'),
      ...(withCv ? [right('CV accuracy')] : []),
      right('Val loss'),
      left('Solver'),
      right('Learning rate'),
      right('Batch'),
      right('Hidden'),
      ...(withScaling ? [left('Scaling')] : []),
      right('Dropout'),
      right('Weight decay'),
      right('Label smoothing'),
      right('Epochs'),
      right('Time'),
      left('Status'),
    ],
    rows,
    limit,
  );
}

/** The chosen head configuration as name/value rows. */
export function chosenConfig(result: RunResult): Table {
  const c = result.tuning.best;
  const rows: Cell[][] = [
    ['Solver', solverName(c)],
    ['Learning rate', adamSetting(c, rate(c.learningRate))],
    ['Batch size', adamSetting(c, String(c.batchSize))],
    ['Hidden layers', hidden(c.hiddenUnits)],
    ['Dropout', adamSetting(c, String(c.dropout))],
    ['Weight decay', rate(c.weightDecay)],
    ['Label smoothing', String(c.labelSmoothing)],
    c.solver === 'lbfgs' ? ['Max iterations', String(c.epochs)] : ['Max epochs', String(c.epochs)],
  ];
  return limited([left('Setting'), right('Value')], rows, rows.length);
}

/**
 * Precision, recall, F1 and support per label. When all rows fit they keep the dataset's
 * order; when they do not, the weakest labels (lowest F1) are the ones shown.
 */
/** `imagesHeading` names the last column: the images each label has in the set scored. */
export function perLabel(result: RunResult, baseline: RunResult | undefined, limit: number, imagesHeading = 'Test images'): Table {
  const before = new Map(baseline?.test.perLabel.map((p) => [p.label, p.f1]) ?? []);
  const all = result.test.perLabel;
  const ordered = all.length > limit ? [...all].sort((a, b) => a.f1 - b.f1 || a.label.localeCompare(b.label)) : all;
  const rows: Cell[][] = ordered.map((p) => {
    const b = before.get(p.label);
    return [
      clip(p.label),
      percent(p.precision),
      percent(p.recall),
      percent(p.f1),
      ...(baseline ? [b === undefined ? 'new' : deltaPoints(p.f1 - b)] : []),
      String(p.support),
    ];
  });
  const columns = [left('Label'), right('Precision'), right('Recall'), right('F1'), ...(baseline ? [right('F1 change')] : []), right(imagesHeading)];
  return limited(columns, rows, limit);
}

/** The whole confusion matrix: rows are true labels, columns predictions; the diagonal in bold. */
export function confusionMatrix(result: RunResult, maxLabelChars = 24): Table {
  const { labels, matrix } = result.test.confusion;
  const rows: Cell[][] = labels.map((label, i) => [
    { text: clip(label, maxLabelChars), strong: true },
    ...labels.map((_, j) => {
      const n = matrix[i]?.[j] ?? 0;
      return i === j ? { text: String(n), strong: true } : n === 0 ? '·' : String(n);
    }),
  ]);
  return limited([left('True ↓ / predicted →'), ...labels.map((l) => right(clip(l, maxLabelChars)))], rows, rows.length);
}

/** The most frequent confusions (off-diagonal cells), largest first. */
export function confusedPairs(result: RunResult, limit: number): Table {
  const { labels, matrix } = result.test.confusion;
  const pairs: { t: number; p: number; n: number; share: number }[] = [];
  labels.forEach((_, i) => {
    const row = matrix[i] ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((n, j) => {
      if (i !== j && n > 0) pairs.push({ t: i, p: j, n, share: total ? n / total : 0 });
    });
  });
  pairs.sort((a, b) => b.n - a.n || b.share - a.share || a.t - b.t || a.p - b.p);
  const rows: Cell[][] = pairs.map((x) => [clip(labels[x.t]), clip(labels[x.p]), String(x.n), percent(x.share)]);
  return limited([left('True label'), left('Predicted as'), right('Images'), right('Share of true label')], rows, limit);
}

/** The most confident wrong predictions; `thumbnails` maps an image's sha256 to a safe URL. */
export function mistakes(result: RunResult, limit: number, thumbnails?: Map<string, string>): Table {
  const withPictures = Boolean(thumbnails?.size);
  const rows: Cell[][] = result.test.mistakes.map((m) => {
    const url = thumbnails?.get(m.sha256);
    return [
      ...(withPictures ? [url ? { image: url, alt: clip(m.file, 40) } : ''] : []),
      { text: clip(m.file), code: true },
      clip(m.trueLabel),
      clip(m.predictedLabel),
      percent(m.confidence, 0),
    ];
  });
  return limited([...(withPictures ? [left('')] : []), left('File'), left('True label'), left('Predicted'), right('Confidence')], rows, limit);
}

/** Images per label and split; with a baseline, the change in each label's total. */
export function counts(result: RunResult, baseline: RunResult | undefined, limit: number): Table {
  const before = new Map(baseline?.dataset.counts.map((c) => [c.label, c.total]) ?? []);
  const rows: Cell[][] = result.dataset.counts.map((c) => [
    clip(c.label),
    integer(c.train),
    integer(c.val),
    integer(c.test),
    integer(c.total),
    ...(baseline ? [before.has(c.label) ? deltaCount(c.total - before.get(c.label)!) : 'new'] : []),
  ]);
  const columns = [left('Label'), right('Train'), right('Val'), right('Test'), right('Total'), ...(baseline ? [right('Change')] : [])];
  return limited(columns, rows, limit);
}

export function skipped(result: RunResult, limit: number): Table {
  const rows: Cell[][] = result.dataset.skipped.map((s) => [{ text: clip(s.file), code: true }, clip(s.reason, 160)]);
  return limited([left('File'), left('Reason')], rows, limit);
}

export function modelFiles(result: RunResult, limit: number): Table {
  const rows: Cell[][] = result.model.files.map((f) => [{ text: clip(f.name), code: true }, bytes(f.bytes), { text: f.sha256.slice(0, 12), code: true }]);
  return limited([left('File'), right('Size'), left('SHA-256 (start)')], rows, limit);
}

export function timings(result: RunResult): Table {
  const rows: Cell[][] = result.timings.map((t) => [STAGE_NAMES[t.stage], duration(t.seconds)]);
  return limited([left('Stage'), right('Time')], rows, rows.length);
}

/**
 * The layer summary as fixed-width text, like Keras' `model.summary()`. `limit` keeps the
 * first and last layers and says how many were left out in between.
 */
export function layerSummary(result: RunResult, limit: number): string {
  const m = result.model;
  const all = m.layers.map((l) => [clip(`${l.name} (${l.className})`, 60), clip(l.outputShape, 28), integer(l.params), l.trainable ? '' : 'frozen']);
  let shown: string[][] = all;
  if (all.length > limit) {
    const head = Math.ceil((limit - 1) / 2);
    const tail = Math.max(0, limit - 1 - head);
    shown = [...all.slice(0, head), [`… ${all.length - head - tail} more layers …`, '', '', ''], ...(tail ? all.slice(-tail) : [])];
  }
  const header = ['Layer (type)', 'Output shape', 'Params', ''];
  const widths = [0, 1, 2].map((i) => Math.max(header[i].length, ...shown.map((r) => r[i].length)));
  const line = (r: string[]) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padStart(widths[2])}${r[3] ? `  ${r[3]}` : ''}`.trimEnd();
  const width = widths[0] + widths[1] + widths[2] + 4 + 8;
  const total = m.trainableParams + m.nonTrainableParams;
  return [
    line(header),
    '='.repeat(width),
    ...shown.map(line),
    '='.repeat(width),
    `Total params: ${integer(total)}`,
    `Trainable params: ${integer(m.trainableParams)}`,
    `Non-trainable params: ${integer(m.nonTrainableParams)}`,
  ].join('\n');
}

/** Label suspects, most suspicious first (the engine's order); `thumbnails` maps an image's sha256 to a safe URL. */
export function labelSuspects(review: DatasetReview, limit: number, thumbnails?: Map<string, string>): Table {
  const withPictures = review.labelSuspects.some((s) => s.sha256 && thumbnails?.has(s.sha256));
  const rows: Cell[][] = review.labelSuspects.map((s) => {
    const url = s.sha256 ? thumbnails?.get(s.sha256) : undefined;
    return [
      ...(withPictures ? [url ? { image: url, alt: clip(s.file, 40) } : ''] : []),
      { text: clip(s.file), code: true },
      clip(s.label),
      clip(s.suggested),
      percent(s.confidence, 0),
    ];
  });
  return limited([...(withPictures ? [left('')] : []), left('File'), left('Given label'), left('Suggested'), right('Confidence')], rows, limit);
}

/** What a near-duplicate pair means for the run: a leak across splits, a conflict across labels. */
export function duplicateFlags(pair: DatasetReview['nearDuplicates'][number]): string {
  const flags = [
    // Across splits is a leak only when a test image has its copy in training or validation.
    pair.crossSplit ? `${pair.splits?.includes('test') ? 'test leak' : 'across splits'}${pair.splits ? ` (${pair.splits.join(' / ')})` : ''}` : '',
    pair.crossLabel ? `label conflict${pair.labels ? ` (${pair.labels.map((l) => clip(l, 30)).join(' / ')})` : ''}` : '',
  ].filter(Boolean);
  return flags.join('; ');
}

/** Near-duplicate pairs, most similar first (the engine's order). */
export function nearDuplicates(review: DatasetReview, limit: number): Table {
  const rows: Cell[][] = review.nearDuplicates.map((d) => [
    { text: clip(d.files[0]), code: true },
    { text: clip(d.files[1]), code: true },
    d.similarity.toFixed(3),
    duplicateFlags(d),
  ]);
  return limited([left('File'), left('Near-duplicate of'), right('Similarity'), left('Flags')], rows, limit);
}

export function outliers(review: DatasetReview, limit: number): Table {
  const rows: Cell[][] = review.outliers.map((o) => [{ text: clip(o.file), code: true }, clip(o.label), o.score.toFixed(1)]);
  return limited([left('File'), left('Label'), right('Score')], rows, limit);
}

/** What changed against the baseline, per label: images added, removed, relabelled into and out of it. */
export function datasetDiff(diff: NonNullable<DatasetReview['diff']>, limit: number): Table {
  const per = new Map<string, [number, number, number, number]>();
  const bump = (label: string, i: number) => {
    const row = per.get(label) ?? [0, 0, 0, 0];
    row[i]++;
    per.set(label, row);
  };
  diff.added.forEach((a) => bump(a.label, 0));
  diff.removed.forEach((r) => bump(r.label, 1));
  diff.relabelled.forEach((r) => (bump(r.to, 2), bump(r.from, 3)));
  const rows: Cell[][] = [...per.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([label, n]) => [clip(label), ...n.map((x) => (x ? integer(x) : '·'))]);
  return limited([left('Label'), right('Added'), right('Removed'), right('Relabelled in'), right('Relabelled out')], rows, limit);
}

export function relabelled(diff: NonNullable<DatasetReview['diff']>, limit: number): Table {
  const rows: Cell[][] = diff.relabelled.map((r) => [{ text: clip(r.file), code: true }, clip(r.from), clip(r.to)]);
  return limited([left('File'), left('Was'), left('Now')], rows, limit);
}
