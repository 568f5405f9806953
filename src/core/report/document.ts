/**
 * The report as data: one function builds every section, sentence, table, fold and chart
 * reference from the RunResult (and the baseline, and how the reader gets the model).
 * markdown.ts and html.ts only serialize this document, so each sentence is written once.
 *
 * Text here is plain: serializers escape every string. Tables are shortened to the limits
 * given (the Markdown steps them down until the comment fits; the HTML shows everything).
 */
import { trainingRoles, type DatasetReview, type RunResult } from '../result.js';
import { headSettings } from '../training/head-settings.js';
import { chartTitle } from './charts.js';
import { gapBeyondNoise, gapSentence } from '../evaluate-folder.js';
import { withDatasetDiff } from '../review/diff.js';
import { bytes, deltaPoints, duration, integer, interval, percent, trialNumber } from './format.js';
import type { ModelHowTo } from './model-access.js';
import * as tables from './tables.js';
import type { Table } from './tables.js';
import { verdict, type Verdict } from './verdict.js';

/** A run of text: plain, bold, code, a link (its URL is checked by the serializer), or an aside. */
export type Inline = string | { strong: string } | { code: string } | { link: string; url: string };

export type Block =
  | { kind: 'paragraph'; text: Inline[]; aside?: boolean }
  /** A note about a shortened table or list: says what was left out and where the rest is. */
  | { kind: 'table'; table: Table; className?: string }
  /** Name/value rows with an optional note: a two-column table in Markdown, cards in HTML. */
  | { kind: 'facts'; facts: Fact[] }
  | { kind: 'list'; title: string; items: Inline[][] }
  | { kind: 'code'; language: string; text: string }
  /** `openInFullReport`: folded in the comment, open in the full (HTML) report, where room is not short. */
  | { kind: 'fold'; summary: string; open: boolean; openInFullReport?: boolean; blocks: Block[] }
  /**
   * Charts by name (charts.ts). `fallback` is shown where no chart picture can be (a
   * Markdown comment without an image host): a Mermaid chart GitHub draws itself.
   */
  | { kind: 'charts'; charts: { name: string; alt: string }[]; fallback?: Block };

export interface Fact {
  label: string;
  value: string;
  note?: string;
  strong?: boolean;
}

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
  /** Details few readers need: folded in the Markdown. */
  folded?: boolean;
}

export interface ReportDocument {
  /** "classifier-ci: 93.2% test accuracy with MobileNetV2". */
  title: string;
  verdict: Verdict;
  /** Before the first section: the key numbers, or the comparison with the baseline. */
  headline: Block[];
  sections: Section[];
  footer: Inline[];
}

/** How many rows each table may show. */
export interface Limits {
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
  /** Dataset review rows: label suspects, near-duplicate pairs, outliers, labels changed, relabelled files. */
  suspects: number;
  duplicates: number;
  outliers: number;
  diffLabels: number;
  relabelled: number;
  /** The learning curve as a Mermaid chart where no picture of it can be shown. */
  mermaid: boolean;
}

const ALL = Number.MAX_SAFE_INTEGER;

/** Every row of every table: the HTML report. */
export const NO_LIMITS: Limits = {
  labelChanges: ALL,
  leaderboard: ALL,
  trials: ALL,
  perLabel: ALL,
  confusionLabels: 20,
  confusedPairs: ALL,
  mistakes: ALL,
  counts: ALL,
  skipped: ALL,
  warnings: ALL,
  layers: ALL,
  files: ALL,
  backendsSkipped: ALL,
  suspects: ALL,
  duplicates: ALL,
  outliers: ALL,
  diffLabels: ALL,
  relabelled: ALL,
  mermaid: false,
};

export interface DocumentOptions {
  baseline?: RunResult;
  /** How the reader gets the model. */
  model: ModelHowTo;
  limits: Limits;
  /** Where the complete report is, named wherever something was left out. */
  fullReportUrl?: string;
  /** Mistake and label suspect sha256 → picture URL (already checked to be safe); none: no picture column. */
  thumbnails?: Map<string, string>;
  /** The Mermaid learning curve, when the serializer can draw it (see mermaid.ts). */
  mermaidCurves?: string | null;
}

export function buildDocument(result: RunResult, options: DocumentOptions): ReportDocument {
  const where = whereIsTheRest(options.fullReportUrl);
  return {
    title: `classifier-ci: ${percent(result.test.accuracy)} test accuracy with ${tables.winnerName(result)}`,
    verdict: verdict(result, options.baseline),
    headline: headline(result, options),
    sections: [
      bakeOffSection(result, options, where),
      tuningSection(result, options, where),
      testSection(result, options, where),
      ...elsewhereSection(result, options, where),
      ...reviewSection(result, options, where),
      datasetSection(result, options, where),
      modelSection(result, options),
      runSection(result, options),
    ],
    footer: footer(result, options.fullReportUrl),
  };
}

/** The sentence that says where the rest of a shortened report is. */
export function whereIsTheRest(fullReportUrl: string | undefined): Inline[] {
  return fullReportUrl ? ['Everything is in the ', { link: 'full report', url: fullReportUrl }, '.'] : ['Everything is in report.html and result.json.'];
}

/** The table, followed by "Showing 15 of 60 labels (lowest F1 first). …" when it was shortened. */
function shortenable(t: Table, what: string, how: string, where: Inline[], className?: string): Block[] {
  const blocks: Block[] = [{ kind: 'table', table: t, ...(className ? { className } : {}) }];
  if (t.rows.length < t.total)
    blocks.push({ kind: 'paragraph', aside: true, text: [`Showing ${t.rows.length} of ${integer(t.total)} ${what}${how ? ` (${how})` : ''}. `, ...where] });
  return blocks;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The mistakes fold's title: "The 10 most confident mistakes", or "The one mistake" when there is only one. */
const mistakesSummary = (t: Table, where = '') => (t.total === 1 ? `The one mistake${where}` : `The ${t.rows.length} most confident mistakes${where}`);

function headline(result: RunResult, options: DocumentOptions): Block[] {
  const { baseline } = options;
  if (!baseline) return [{ kind: 'facts', facts: keyFacts(result) }];
  const blocks: Block[] = [{ kind: 'table', table: tables.comparison(result, baseline) }];
  const changes = tables.labelChanges(result, baseline, options.limits.labelChanges);
  if (changes.rows.length) {
    const which = changes.total < 2 ? 'the label' : changes.rows.length < changes.total ? `the ${changes.rows.length} that moved most` : `all ${changes.total}`;
    blocks.push({ kind: 'fold', summary: `F1 change per label (${which})`, open: false, openInFullReport: true, blocks: [{ kind: 'table', table: changes }] });
  }
  return blocks;
}

/** The headline numbers of one run. */
function keyFacts(result: RunResult): Fact[] {
  const d = result.dataset;
  const t = result.test;
  const tuned = result.tuning.bestTrial >= 0 ? `tuned (trial ${trialNumber(result.tuning.bestTrial)} of ${result.tuning.trials.length})` : 'bake-off head kept';
  return [
    { label: 'Winner', value: tables.winnerName(result), note: tuned, strong: true },
    {
      label: 'Test accuracy',
      value: percent(t.accuracy),
      note: `on ${integer(t.images)} images${t.accuracyInterval ? ` (95% interval ${interval(t.accuracyInterval.low, t.accuracyInterval.high)})` : ''}${t.topK ? `; top-${t.topK.k}: ${percent(t.topK.accuracy)}` : ''}`,
      strong: true,
    },
    ...elsewhereFact(result),
    { label: 'Macro F1', value: percent(t.macroF1) },
    {
      label: 'Dataset',
      value: `${integer(d.images)} images`,
      note: `${plural(d.labels.length, 'label')}${d.skipped.length ? `, ${integer(d.skipped.length)} skipped` : ''}`,
    },
    { label: 'Compute', ...tables.computeFact(result) },
    {
      label: 'Time',
      value: duration(tables.totalSeconds(result)),
      note: `of a ${duration(result.budget.seconds)} budget${result.budget.exhausted ? ' (budget ran out: some stages were cut short)' : ''}`,
    },
  ];
}

/** The accuracy on the images from elsewhere, and whether its gap to the test set is beyond the noise. */
function elsewhereFact(result: RunResult): Fact[] {
  const other = result.elsewhere;
  if (!other) return [];
  const m = other.metrics;
  const gap = other.gap;
  const against = gap ? `; ${deltaPoints(gap.mean)} against the test set, ${gapBeyondNoise(gap) ? 'beyond' : 'within'} the noise` : '';
  return [
    {
      label: 'Images from elsewhere',
      value: percent(m.accuracy),
      note: `on ${integer(m.images)} images of ${other.dataset}${m.accuracyInterval ? ` (95% interval ${interval(m.accuracyInterval.low, m.accuracyInterval.high)})` : ''}${against}`,
    },
  ];
}

function bakeOffSection(result: RunResult, options: DocumentOptions, where: Inline[]): Section {
  const fallback: Block | undefined =
    options.limits.mermaid && options.mermaidCurves
      ? {
          kind: 'fold',
          summary: 'Learning curve of the chosen model',
          open: false,
          blocks: [{ kind: 'code', language: 'mermaid', text: options.mermaidCurves }],
        }
      : undefined;
  return {
    id: 'bake-off',
    title: 'Bake-off',
    blocks: [
      ...selection(result),
      ...shortenable(tables.leaderboard(result, options.limits.leaderboard), 'candidates', 'winner first, then by estimate', where),
      ...estimateNotes(result),
      ...budgetPlan(result),
      ...augmentation(result),
      {
        kind: 'charts',
        charts: [
          { name: 'leaderboard', alt: chartTitle('leaderboard', result) },
          { name: 'curves', alt: chartTitle('curves', result) },
        ],
        ...(fallback ? { fallback } : {}),
      },
    ],
  };
}

/**
 * What the bake-off compared, by kind ("8 candidates: 6 frozen backbones with a new head each, …"):
 * counting an ensemble or the from-scratch network as a backbone with a head would misstate both.
 */
function candidatesLine(result: RunResult): string {
  const all = result.bakeOff.candidates;
  const ensembles = all.filter((c) => c.ensemble).length;
  const scratch = all.filter((c) => !c.ensemble && c.kind === 'scratch').length;
  const frozen = all.length - ensembles - scratch;
  const parts = [
    frozen ? `${plural(frozen, 'frozen backbone')} with a new head each` : '',
    scratch ? `${plural(scratch, 'network')} trained from scratch` : '',
    ensembles ? `${plural(ensembles, 'ensemble')} with one head on ${ensembles === 1 ? 'its' : 'their'} members' features` : '',
  ].filter(Boolean);
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
  return `${plural(all.length, 'candidate')}${listed ? `: ${listed}` : ''}`;
}

/** How the winner was chosen and how sure that is: the rule, the reason, the runner-up. */
function selection(result: RunResult): Block[] {
  const sel = result.bakeOff.selection;
  if (!sel || !result.bakeOff.candidates.some((c) => c.cv)) {
    return [{ kind: 'paragraph', text: [`${candidatesLine(result)}, trained on the same split; the best validation accuracy won.`] }];
  }
  const runnerUp = sel.runnerUp ? result.bakeOff.candidates.find((c) => c.backbone === sel.runnerUp) : undefined;
  const next: Inline[] = sel.runnerUp
    ? [' Runner-up: ', { strong: tables.clip(runnerUp?.displayName ?? sel.runnerUp) }, runnerUp?.cv ? `, ${tables.estimateText(runnerUp.cv)}.` : '.']
    : [' No runner-up.'];
  return [
    {
      kind: 'paragraph',
      text: [
        `${candidatesLine(result)}; each is scored by cross-validation on the training and validation images (mean accuracy with its 95% interval), or by its validation accuracy where it could not be.`,
      ],
    },
    { kind: 'paragraph', text: [`Chosen by the rule “${tables.clip(sel.rule, 200)}”: ${tables.clip(sel.reason, 600)}`, ...next] },
  ];
}

/** Why a candidate has fewer folds than planned (or none). */
function estimateNotes(result: RunResult): Block[] {
  const notes = result.bakeOff.candidates.filter((c) => c.cv?.note);
  if (!notes.length) return [];
  return [
    { kind: 'list', title: 'Estimates', items: notes.map((c): Inline[] => [{ code: tables.clip(c.backbone, 60) }, `: ${tables.clip(c.cv!.note!, 200)}`]) },
  ];
}

/**
 * Which augmentations each head on embeddings tried, how many views, whether the head with
 * views was kept, and whether test-time augmentation paid on validation.
 */
function augmentation(result: RunResult): Block[] {
  const tried = result.bakeOff.candidates.filter((c) => c.augment);
  if (!tried.length) return [];
  return [
    {
      kind: 'list',
      title: `Augmentation (${tables.clip(tried[0].augment!.rule, 240)})`,
      items: tried.map((c): Inline[] => {
        const a = c.augment!;
        const used = a.augmentations.length ? `views by ${a.augmentations.join(', ')}; ` : '';
        const flip = a.flipCheck
          ? ` Flip ${a.flipCheck.allowed ? 'on' : 'off'}: flipped validation images scored ${percent(a.flipCheck.flippedAccuracy)} against ${percent(a.flipCheck.plainAccuracy)} as they are.`
          : '';
        const tta = c.tta
          ? ` Test-time ${c.tta.view}: validation ${percent(c.tta.ttaAccuracy)} against ${percent(c.tta.plainAccuracy)} without; ${c.tta.paid ? 'it pays (predict --tta uses it)' : 'it does not pay'}.`
          : '';
        return [{ code: tables.clip(c.backbone, 60) }, `: ${used}${tables.clip(a.note, 300)}.${flip}${tta}`];
      }),
    },
  ];
}

/** How `auto` fitted the backbones to the budget, when it changed any. */
function budgetPlan(result: RunResult): Block[] {
  const plan = result.bakeOff.plan ?? [];
  if (!plan.length) return [];
  return [
    {
      kind: 'list',
      title: 'Fitted to the budget',
      items: plan.map((p): Inline[] => [{ code: tables.clip(p.backbone, 60) }, `: ${tables.clip(p.reason, 200)}`]),
    },
  ];
}

function tuningSection(result: RunResult, options: DocumentOptions, where: Inline[]): Section {
  const tuning = result.tuning;
  const n = tuning.trials.length;
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const chosen = tuning.trials.find((t) => t.index === tuning.bestTrial);
  // With cross-validation's say, the bake-off head can be kept although a trial scored higher on validation.
  const byFolds = tuning.choice?.folds !== undefined;
  const outcome: Inline[] = chosen
    ? [
        ' Chosen: ',
        { strong: `trial ${trialNumber(chosen.index)}` },
        `, ${chosen.cv ? `${percent(chosen.cv.mean)} cross-validated, ` : ''}${percent(chosen.valAccuracy)} validation accuracy${winner ? ` (bake-off head: ${percent(winner.valAccuracy)})` : ''}.`,
      ]
    : byFolds
      ? [
          ' Chosen: ',
          { strong: 'the bake-off head' },
          `${tuning.choice?.bakeOffHead ? `, ${percent(tuning.choice.bakeOffHead.mean)} cross-validated` : ''}${winner ? `, ${percent(winner.valAccuracy)} validation accuracy` : ''}.`,
        ]
      : [` No trial beat the bake-off head${winner ? ` (${percent(winner.valAccuracy)} validation accuracy)` : ''}, so it was kept.`];
  const choice: Block[] = tuning.choice ? [{ kind: 'paragraph', text: [`How: ${tables.clip(tuning.choice.reason, 400)}.`] }] : [];
  const ft = tuning.fineTune;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: [`${tables.winnerName(result)}: ${plural(n, 'trial')} in ${duration(tuning.seconds)} (${tables.clip(tuning.strategy, 160)}).`, ...outcome],
    },
    ...choice,
    { kind: 'paragraph', text: ['Config: ', { code: headSettings(tuning.best) }] },
    {
      kind: 'paragraph',
      text: [
        `Fine-tuning the top of the backbone: ${ft.applied ? `applied${ft.valAccuracy !== undefined ? `, ${percent(ft.valAccuracy)} validation accuracy` : ''}` : 'skipped'}; ${tables.clip(ft.reason, 200)}.`,
      ],
    },
  ];
  const cw = tuning.classWeights;
  if (cw?.applied) {
    const imbalance =
      cw.ratio === null
        ? 'a label has no training images'
        : `the largest label has ${cw.ratio}× the training images of the smallest (more than ${cw.threshold}×)`;
    const weights = Object.entries(cw.weights ?? {})
      .map(([label, w]) => `${tables.clip(label, 40)} ${w.toFixed(2)}`)
      .join(', ');
    blocks.push({
      kind: 'paragraph',
      text: [`Class weights: ${imbalance}, so the loss weighted each label by its inverse frequency${weights ? ` (${weights})` : ''}.`],
    });
  }
  if (tuning.refit)
    blocks.push({ kind: 'paragraph', text: [`Final fit: ${tuning.refit.applied ? '' : 'skipped; '}${tables.clip(tuning.refit.reason, 200)}.`] });
  blocks.push({ kind: 'charts', charts: [{ name: 'trials', alt: chartTitle('trials', result) }] });
  if (n) {
    const t = tables.trials(result, options.limits.trials);
    blocks.push({
      kind: 'fold',
      summary: `${t.rows.length < t.total ? `Best ${t.rows.length} of ${n} trials` : `All ${n} trials`}, best first`,
      open: false,
      blocks: shortenable(t, 'trials', 'best first', where),
    });
  }
  return { id: 'tuning', title: 'Hyperparameter round', blocks };
}

function testSection(result: RunResult, options: DocumentOptions, where: Inline[]): Section {
  const test = result.test;
  const { limits } = options;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: [
        `${integer(test.images)} images the model never saw while training or choosing: accuracy ${percent(test.accuracy)}${test.accuracyInterval ? ` (95% interval ${interval(test.accuracyInterval.low, test.accuracyInterval.high)}, Wilson)` : ''}${test.topK ? `, top-${test.topK.k} ${percent(test.topK.accuracy)}` : ''}, macro F1 ${percent(test.macroF1)}.`,
      ],
    },
  ];
  const cal = test.calibration;
  if (cal) {
    blocks.push({
      kind: 'paragraph',
      text: [
        `Calibration: temperature ${cal.temperature.toFixed(2)}, fitted on ${cal.fittedWith === 'out-of-fold' ? `out-of-fold predictions for ${plural(cal.fittedOn, 'training and validation image')}` : plural(cal.fittedOn, 'validation image')}; expected calibration error on the test images ${percent(cal.eceBefore)} before, ${percent(cal.eceAfter)} after (${cal.bins} bins).`,
      ],
    });
  }
  const uncalibrated = test.calibrationSkipped;
  if (uncalibrated) {
    blocks.push({
      kind: 'paragraph',
      text: [
        `Calibration: none fitted, ${uncalibrated.reason}. Expected calibration error on the test images: ${percent(uncalibrated.ece)} (${uncalibrated.bins} bins).`,
      ],
    });
  }
  const perLabel = tables.perLabel(result, options.baseline, limits.perLabel);
  const perLabelBlocks = shortenable(perLabel, 'labels', 'lowest F1 first', where);
  // A handful of labels reads best in the open; more go into a fold.
  if (perLabel.total <= 10) blocks.push(...perLabelBlocks);
  else {
    const summary = `Precision, recall and F1 for ${perLabel.rows.length < perLabel.total ? `the ${perLabel.rows.length} weakest of ${perLabel.total} labels` : `all ${perLabel.total} labels`}`;
    blocks.push({ kind: 'fold', summary, open: false, openInFullReport: perLabel.total <= 20, blocks: perLabelBlocks });
  }
  blocks.push({ kind: 'charts', charts: [{ name: 'per-label-f1', alt: chartTitle('per-label-f1', result) }] });

  const labels = test.confusion.labels.length;
  const confusionChart: Block = { kind: 'charts', charts: [{ name: 'confusion', alt: chartTitle('confusion', result) }] };
  if (labels > 0 && labels <= limits.confusionLabels) {
    blocks.push({
      kind: 'fold',
      summary: 'Confusion matrix (rows: true label, columns: predicted)',
      open: false,
      blocks: [{ kind: 'table', table: tables.confusionMatrix(result), className: 'matrix' }, confusionChart],
    });
  } else if (labels > 0) {
    const pairs = tables.confusedPairs(result, limits.confusedPairs);
    const body: Block[] = pairs.total
      ? shortenable(pairs, 'confused pairs', 'most images first', where)
      : [{ kind: 'paragraph', text: ['No confusions: every test image was classified correctly.'] }];
    blocks.push({
      kind: 'fold',
      summary: `Most confused label pairs (the full ${labels}×${labels} matrix is in the chart and the HTML report)`,
      open: false,
      blocks: [...body, confusionChart],
    });
  }

  if (test.mistakes.length) {
    const t = tables.mistakes(result, limits.mistakes, options.thumbnails);
    blocks.push({
      kind: 'fold',
      summary: mistakesSummary(t),
      open: false,
      openInFullReport: t.total <= 10,
      blocks: shortenable(t, 'mistakes', 'most confident first', where),
    });
  }
  return { id: 'test', title: 'Test set', blocks };
}

/**
 * The model on a folder of images from elsewhere (train --eval): the same figures as the test set's,
 * beside them the gap to the test split, and the labels and pairs that went wrong there.
 */
function elsewhereSection(result: RunResult, options: DocumentOptions, where: Inline[]): Section[] {
  const other = result.elsewhere;
  if (!other) return [];
  const m = other.metrics;
  // The tables read `result.test`: the same tables, over the other folder's metrics.
  const there: RunResult = { ...result, test: m };
  const left = [
    other.seen ? `${plural(other.seen, 'image')} the model trained on (by content)` : '',
    other.unreadable.length ? `${plural(other.unreadable.length, 'unreadable image')}` : '',
  ].filter(Boolean);
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: [
        { code: other.dataset },
        `: ${integer(m.images)} labelled images the model did not train on, from the folder given to evaluate on, scored with the exported model as predict answers them: accuracy ${percent(m.accuracy)}${m.accuracyInterval ? ` (95% interval ${interval(m.accuracyInterval.low, m.accuracyInterval.high)}, Wilson)` : ''}${m.topK ? `, top-${m.topK.k} ${percent(m.topK.accuracy)}` : ''}, macro F1 ${percent(m.macroF1)}; expected calibration error ${percent(other.ece)}.${left.length ? ` Left out: ${left.join(' and ')}.` : ''}${other.missingLabels.length ? ` No images there for ${other.missingLabels.map((l) => tables.clip(l)).join(', ')}.` : ''}`,
      ],
    },
  ];
  const gap = gapSentence({ atTraining: { images: result.test.images, accuracy: result.test.accuracy }, gap: other.gap }, 'Test set');
  if (gap) blocks.push({ kind: 'paragraph', text: [gap] });
  blocks.push(...shortenable(tables.perLabel(there, undefined, options.limits.perLabel, 'Images'), 'labels', 'lowest F1 first', where));
  const pairs = tables.confusedPairs(there, options.limits.confusedPairs);
  if (pairs.total)
    blocks.push({
      kind: 'fold',
      summary: 'Most confused label pairs there',
      open: false,
      blocks: shortenable(pairs, 'confused pairs', 'most images first', where),
    });
  if (m.mistakes.length) {
    const t = tables.mistakes(there, options.limits.mistakes, options.thumbnails);
    blocks.push({
      kind: 'fold',
      summary: mistakesSummary(t, ' there'),
      open: false,
      blocks: shortenable(t, 'mistakes', 'most confident first', where),
    });
  }
  return [{ id: 'elsewhere', title: 'Images from elsewhere', blocks }];
}

/** The review with its diff against the baseline, worked out here when the engine had no baseline to diff against. */
function reviewOf(result: RunResult, baseline: RunResult | undefined): DatasetReview | undefined {
  if (!result.review || result.review.diff || !baseline) return result.review;
  return withDatasetDiff(result, baseline).review;
}

/** The dataset review: label suspects, near-duplicates (and what a leak does to the test figure), outliers, what changed. */
function reviewSection(result: RunResult, options: DocumentOptions, where: Inline[]): Section[] {
  const review = reviewOf(result, options.baseline);
  if (!review) return [];
  const { limits } = options;
  const leaks = review.nearDuplicates.filter((d) => d.crossSplit).length;
  const conflicts = review.nearDuplicates.filter((d) => d.crossLabel).length;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: [
        `${plural(review.labelSuspects.length, 'label suspect')}, ${plural(review.nearDuplicates.length, 'near-duplicate pair')} (${leaks} across splits, ${conflicts} across labels) and ${plural(review.outliers.length, 'outlier')}, found with the embeddings of `,
        { code: tables.clip(review.backbone, 60) },
        '.',
      ],
    },
  ];
  const leak = review.leak;
  if (leak) {
    const text =
      leak.leakedTestImages === 0
        ? `No test image has a near-duplicate in training or validation, so the test accuracy is not inflated by copies.`
        : `${integer(leak.leakedTestImages)} of ${integer(leak.testImages)} test images ${leak.leakedTestImages === 1 ? 'has' : 'have'} a near-duplicate in training or validation: test accuracy ${percent(leak.accuracy)} with them, ${leak.accuracyWithoutLeaks === null ? 'none left without them' : `${percent(leak.accuracyWithoutLeaks)} without`}.`;
    blocks.push({ kind: 'paragraph', text: [text] });
  }
  const list = (summary: string, t: tables.Table, what: string, how: string): Block => ({
    kind: 'fold',
    summary,
    open: false,
    openInFullReport: t.total <= 10,
    blocks: shortenable(t, what, how, where),
  });
  if (review.labelSuspects.length) {
    blocks.push(
      list(
        `Label suspects (${integer(review.labelSuspects.length)}): the given label may be wrong`,
        tables.labelSuspects(review, limits.suspects, options.thumbnails),
        'label suspects',
        'most suspicious first',
      ),
    );
  }
  if (review.nearDuplicates.length)
    blocks.push(
      list(
        `Near-duplicates (${integer(review.nearDuplicates.length)} pairs)`,
        tables.nearDuplicates(review, limits.duplicates),
        'near-duplicate pairs',
        'most similar first',
      ),
    );
  if (review.outliers.length)
    blocks.push(
      list(`Outliers (${integer(review.outliers.length)}): far from every label`, tables.outliers(review, limits.outliers), 'outliers', 'farthest first'),
    );
  const diff = review.diff;
  if (diff) {
    const changed = diff.added.length + diff.removed.length + diff.relabelled.length;
    blocks.push({
      kind: 'paragraph',
      text: [
        changed
          ? `Against the baseline: ${integer(diff.added.length)} images added, ${integer(diff.removed.length)} removed, ${integer(diff.relabelled.length)} relabelled.`
          : 'Against the baseline: no image added, removed or relabelled.',
      ],
    });
    if (changed) blocks.push(list('Changes per label', tables.datasetDiff(diff, limits.diffLabels), 'labels', ''));
    if (diff.relabelled.length)
      blocks.push(list(`Relabelled images (${integer(diff.relabelled.length)})`, tables.relabelled(diff, limits.relabelled), 'relabelled images', ''));
  }
  blocks.push({ kind: 'paragraph', aside: true, text: [`Method: ${tables.clip(review.method, 600)}`] });
  return [{ id: 'review', title: 'Dataset review', blocks }];
}

function datasetSection(result: RunResult, options: DocumentOptions, where: Inline[]): Section {
  const d = result.dataset;
  const { limits } = options;
  const how = d.splitMode === 'hash' ? 'split by content hash (stable across runs)' : 'split by its train/, val/ and test/ folders';
  const s = d.splitCounts;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: [
        { code: tables.clip(d.root) },
        `: ${integer(d.images)} images in ${plural(d.labels.length, 'label')}, ${how}: ${integer(s.train)} train, ${integer(s.val)} validation, ${integer(s.test)} test.`,
      ],
    },
  ];
  if (d.warnings.length) {
    const shown = d.warnings.slice(0, limits.warnings);
    const more = d.warnings.length - shown.length;
    blocks.push({
      kind: 'list',
      title: 'Warnings',
      items: [...shown.map((w): Inline[] => [tables.clip(w, 300)]), ...(more ? [[`…and ${more} more. `, ...where]] : [])],
    });
  }
  const t = tables.counts(result, options.baseline, limits.counts);
  blocks.push({
    kind: 'fold',
    summary: `Images per label and split${t.rows.length < t.total ? ` (first ${t.rows.length} of ${t.total} labels)` : ''}`,
    open: false,
    blocks: [...shortenable(t, 'labels', '', where), { kind: 'charts', charts: [{ name: 'dataset', alt: chartTitle('dataset', result) }] }],
  });
  if (d.skipped.length) {
    const skipped = tables.skipped(result, limits.skipped);
    blocks.push({
      kind: 'fold',
      summary: `${integer(d.skipped.length)} ${d.skipped.length === 1 ? 'file' : 'files'} skipped`,
      open: false,
      openInFullReport: d.skipped.length <= 10,
      blocks: shortenable(skipped, 'skipped files', '', where),
    });
  }
  return { id: 'dataset', title: 'Dataset', blocks };
}

function modelSection(result: RunResult, options: DocumentOptions): Section {
  const m = result.model;
  const howTo = options.model;
  const total = m.files.reduce((n, f) => n + f.bytes, 0);
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: [
        { code: tables.clip(howTo.folder, 120) },
        `: ${bytes(total)} in ${plural(m.files.length, 'file')}, ${tables.winnerName(result)} with its trained head, input ${m.inputSize}×${m.inputSize}, ${integer(m.trainableParams + m.nonTrainableParams)} parameters.`,
      ],
    },
  ];
  if (m.onnx) {
    const checker = { passed: 'the ONNX checker passed it', failed: 'the ONNX checker failed it', unavailable: 'the ONNX checker was not available' }[
      m.onnx.checker
    ];
    const opset = m.onnx.opset ? ` (opset ${m.onnx.opset.version}, ${tables.clip(m.onnx.opset.why, 200)})` : '';
    blocks.push({
      kind: 'paragraph',
      text: m.onnx.only
        ? [
            { code: 'model.onnx' },
            ` is the model: the ONNX backbone with its preprocessing, the head and the softmax in one graph${opset}; ${checker}. There is no TF.js model (TF.js cannot run the backbone's graph), so `,
            { code: 'predict' },
            ' and ',
            { code: 'loadClassifier' },
            ' run it on ONNX Runtime (engine auto or onnx).',
          ]
        : m.onnx.written
          ? [{ code: 'model.onnx' }, ` written${opset}; ${checker}.`]
          : [
              { code: 'model.onnx' },
              ` not written: ${tables.clip(m.onnx.reason ?? 'no reason given', 300)}${m.onnx.checker === 'failed' ? ` (${checker})` : ''}.`,
            ],
    });
  }
  const d = howTo.download;
  if (d) {
    blocks.push({
      kind: 'paragraph',
      text: [
        'Get it from the artifact ',
        { code: tables.clip(d.artifact, 120) },
        ' of ',
        { link: `run ${d.runId}`, url: d.runUrl },
        ', or with the GitHub CLI:',
      ],
    });
    blocks.push({ kind: 'code', language: 'sh', text: d.command });
  }
  blocks.push({ kind: 'paragraph', text: ['Classify an image from the command line:'] }, { kind: 'code', language: 'sh', text: howTo.predictCommand });
  blocks.push({ kind: 'paragraph', text: ['Or from code:'] }, { kind: 'code', language: 'ts', text: howTo.code });
  if (m.layers.length)
    blocks.push({
      kind: 'fold',
      summary: `Layers (${m.layers.length})`,
      open: false,
      blocks: [{ kind: 'code', language: 'text', text: tables.layerSummary(result, options.limits.layers) }],
    });
  if (m.files.length) {
    const t = tables.modelFiles(result, options.limits.files);
    const more: Block[] = t.rows.length < t.total ? [{ kind: 'paragraph', aside: true, text: [`…and ${t.total - t.rows.length} more files.`] }] : [];
    blocks.push({ kind: 'fold', summary: 'Files', open: false, blocks: [{ kind: 'table', table: t }, ...more] });
  }
  return { id: 'model', title: 'Model', blocks };
}

function runSection(result: RunResult, options: DocumentOptions): Section {
  const b = result.backend;
  const v = result.versions;
  const inference = b.inference;
  const blocks: Block[] = [
    { kind: 'paragraph', text: [`Training backend (${trainingRoles(Boolean(inference?.trainsSmallCnn))}): ${tables.backendLine(result)}.`] },
  ];
  const engine = tables.pretrainedEngineLine(result);
  if (inference && engine) {
    const passed = inference.skipped.map((s) => `${tables.clip(s.engine, 40)} (${tables.clip(s.reason, 200)})`).join('; ');
    const roles = inference.trainsSmallCnn ? 'Embeddings of the frozen backbones and training of the small CNN' : 'Embeddings of the frozen backbones';
    blocks.push({ kind: 'paragraph', text: [`${roles}: ${engine}${passed ? `; passed over: ${passed}` : ''}.`] });
  }
  if (b.skipped.length) {
    const shown = b.skipped.slice(0, options.limits.backendsSkipped);
    const more = b.skipped.length - shown.length;
    blocks.push({
      kind: 'paragraph',
      text: [`Not used: ${shown.map((s) => `${tables.clip(s.backend, 40)} (${tables.clip(s.reason, 200)})`).join('; ')}${more ? `; and ${more} more` : ''}.`],
    });
  }
  blocks.push({
    kind: 'paragraph',
    text: [
      `Budget: ${duration(result.budget.usedSeconds)} used of ${duration(result.budget.seconds)}${result.budget.exhausted ? '; it ran out, so some stages stopped early' : ''}. Seed ${result.seed}.`,
    ],
  });
  blocks.push({ kind: 'paragraph', text: [`Versions: classifier-ci ${v.classifierCi}, tfjs ${v.tfjs}, Node ${v.node}, sharp ${v.sharp}.`] });
  blocks.push({ kind: 'table', table: tables.timings(result) });
  return { id: 'run', title: 'Run details', blocks, folded: true };
}

function footer(result: RunResult, fullReportUrl: string | undefined): Inline[] {
  const when = result.startedAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return [
    `classifier-ci ${result.versions.classifierCi} · run started ${when} · result.json schema v${result.schemaVersion}`,
    ...(fullReportUrl ? [' · ', { link: 'full report with interactive charts', url: fullReportUrl }] : []),
  ];
}
