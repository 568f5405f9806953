import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors.js';
import { escapeLogLine } from '../../core/log-line.js';
import { loadClassifier } from '../../core/model/classifier.js';
import { evaluateFolder, gapSentence, type FolderEvaluation } from '../../core/evaluate-folder.js';
import { CLASSIFIER_ENGINES, type ClassifierEngineChoice } from '../../core/model/onnx-classifier.js';
import { ttaNote } from '../../core/model/tta.js';
import { DEFAULT_CACHE_DIR } from '../../core/options.js';
import type { Command } from '../command.js';
import { choiceOption } from '../options.js';
import { parseMinConfidence } from './predict.js';
import { terminalLogger } from '../terminal-logger.js';

const usage = `Usage: classifier-ci evaluate <model dir> <dataset> [--json] [--min-confidence <p>] [--engine auto|onnx|tfjs] [--tta] [--cache-dir <dir>]

Scores a model written by "classifier-ci train" on a labelled folder (or a .zip of one) it did
not train on, laid out as for training (<label>/<image>), such as images from another camera, shop or
source. Prints the accuracy with its 95% interval beside the test split's at training, and
the gap between them; per-label recall and precision; the most frequent confusions; and the
most confident mistakes. Every label folder must be one of the model's labels.

Options:
  --json        print everything as one JSON object on stdout
  --min-confidence <p>
                also say how many images predict --min-confidence p would answer (the rest
                are "unknown") and how many of those answers are right
  --engine <e>  what runs the model, as for predict: onnx, tfjs or auto (default: auto)
  --tta         test-time augmentation, as for predict (needs a model trained with --augment)
  --cache-dir <dir>
                where a .zip is extracted, as for train (default: .cache/classifier-ci)
  -h, --help    show this help

Example:
  classifier-ci evaluate runs/sample/model photos-from-the-shop`;

/** Mistakes and confusions listed in the text output; --json has them all. */
const LISTED = 10;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Rows of text columns, left-aligned, two spaces apart. */
function columns(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join('  '));
}

/** The report for a person: every line passes the escaping policy (labels and file names are the user's). */
export function evaluationText(dataset: string, evaluation: FolderEvaluation): string[] {
  const m = evaluation.metrics;
  const interval = m.accuracyInterval ? ` (95% interval ${pct(m.accuracyInterval.low)}–${pct(m.accuracyInterval.high)})` : '';
  const lines = [`${dataset}: ${pct(m.accuracy)} right of ${m.images} images${interval}${m.topK ? `; top-${m.topK.k} ${pct(m.topK.accuracy)}` : ''}.`];
  const gap = gapSentence(evaluation);
  if (gap) lines.push(gap);
  lines.push(`Calibration here: expected calibration error ${pct(evaluation.ece)}.`);
  const at = evaluation.atMinConfidence;
  if (at) {
    const unknown = m.images - at.answered;
    lines.push(
      at.answered
        ? `At --min-confidence ${at.threshold}: ${at.answered} of ${m.images} images answered (${pct(at.answered / m.images)}), ${pct(at.right / at.answered)} of them right; ${unknown ? `the other ${unknown} answered "unknown"` : 'none "unknown"'}.`
        : `At --min-confidence ${at.threshold}: no image answered; all ${m.images} are "unknown" (no label reaches that probability).`,
    );
  }
  if (evaluation.seen.length) {
    const n = evaluation.seen.length;
    lines.push(
      `Left out ${n} image${n === 1 ? '' : 's'} the model trained on (its training or validation split, by content; e.g. ${evaluation.seen[0]}): a score on ${n === 1 ? 'it' : 'them'} says nothing of new images.`,
    );
  }
  if (evaluation.missingLabels.length) lines.push(`No images here for ${evaluation.missingLabels.map((l) => `"${l}"`).join(', ')}.`);

  lines.push('', 'Per label (recall: its images answered right; precision: answers of it that were right)');
  // Labels with images here, or that the model answered for some image here.
  const answered = (j: number) => m.confusion.matrix.some((row) => row[j] > 0);
  const scored = m.perLabel.filter((l, j) => l.support > 0 || answered(j));
  lines.push(
    ...columns([['label', 'images', 'recall', 'precision'], ...scored.map((l) => [l.label, String(l.support), pct(l.recall), pct(l.precision)])]).map(
      (l) => `  ${l}`,
    ),
  );

  const confusions = m.confusion.matrix
    .flatMap((row, i) => row.map((count, j) => ({ truth: m.confusion.labels[i], answer: m.confusion.labels[j], count, off: i !== j })))
    .filter((c) => c.off && c.count > 0)
    .sort((a, b) => b.count - a.count || (a.truth < b.truth ? -1 : 1))
    .slice(0, LISTED);
  if (confusions.length) {
    lines.push('', 'Most frequent confusions');
    for (const c of confusions) lines.push(`  ${c.truth} answered as ${c.answer}: ${c.count} image${c.count === 1 ? '' : 's'}`);
  }
  if (m.mistakes.length) {
    lines.push('', 'Most confident mistakes');
    for (const x of m.mistakes.slice(0, LISTED)) lines.push(`  ${x.file}: ${x.trueLabel}, answered ${x.predictedLabel} at ${pct(x.confidence)}`);
  }
  if (evaluation.unreadable.length) {
    lines.push('', `Left out, unreadable (${evaluation.unreadable.length})`);
    for (const u of evaluation.unreadable) lines.push(`  ${u.reason}`);
  }
  if (evaluation.skipped.length)
    lines.push(
      '',
      `Skipped ${evaluation.skipped.length} file${evaluation.skipped.length === 1 ? '' : 's'} that are not images in label folders (e.g. ${evaluation.skipped[0].file}: ${evaluation.skipped[0].reason}).`,
    );
  return lines.map(escapeLogLine);
}

export const command: Command = {
  name: 'evaluate',
  summary: 'score a trained model on a labelled folder from another source',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        engine: { type: 'string' },
        tta: { type: 'boolean' },
        'min-confidence': { type: 'string' },
        'cache-dir': { type: 'string' },
      },
    });
    if (positionals.length !== 2)
      throw new InputError(
        'Give a model folder and one labelled dataset folder (or .zip), e.g. classifier-ci evaluate runs/sample/model photos-from-the-shop.',
        'arguments',
      );
    const [modelDir, dataset] = positionals as [string, string];
    const minConfidence = parseMinConfidence(values['min-confidence']);
    const engine: ClassifierEngineChoice = choiceOption(values.engine, 'engine', CLASSIFIER_ENGINES);
    const classifier = await loadClassifier(modelDir, { engine, tta: Boolean(values.tta) });
    const log = terminalLogger();
    if (classifier.tta) log.info(ttaNote(classifier.tta));
    let evaluation: FolderEvaluation;
    try {
      evaluation = await evaluateFolder(classifier, modelDir, dataset, {
        minConfidence,
        workDir: values['cache-dir'] ?? DEFAULT_CACHE_DIR,
        onImage: (done, total) => log.progress('Scoring', done, total),
      });
    } finally {
      await classifier.dispose();
    }
    if (values.json) {
      const { metrics, ...rest } = evaluation;
      process.stdout.write(
        `${JSON.stringify({ dataset, model: modelDir, engine: classifier.engine, ...(classifier.tta ? { tta: classifier.tta.view } : {}), ...metrics, ...rest })}\n`,
      );
    } else {
      process.stdout.write(`${evaluationText(dataset, evaluation).join('\n')}\n`);
    }
    // Some images unreadable: exit 2 so scripts notice, as predict does, after scoring the rest.
    return evaluation.unreadable.length ? 2 : 0;
  },
};
