/**
 * Every number the report states in prose equals the one in result.json and in the report's
 * own tables: images, labels, split counts, accuracy, trials, time. Checked on the committed
 * report of a real run (docs/example-report, kept current by report-docs.test.ts), in
 * report.md, summary.md and report.html alike. A sentence that prints the wrong field (as the
 * split line once printed the ratios) fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { deltaPoints, duration, integer, percent } from '../src/core/report/format.js';
import { clip, totalSeconds } from '../src/core/report/tables.js';
import { parseRunResult } from '../src/core/result.js';
import { EXAMPLE_REPORT } from './fixtures/run-results.js';

const read = (name: string) => readFileSync(join(EXAMPLE_REPORT, name), 'utf8');
const result = parseRunResult(JSON.parse(read('result.json')));
const baseline = parseRunResult(JSON.parse(read('baseline.json')));

/** report.html as text: tags dropped, entities decoded, one space between words. */
function htmlText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '')
    .replace(/<\/(p|tr|h\d|li|summary|div)>/g, '\n')
    .replace(/<\/t[dh]>/g, ' | ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\u2060/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n');
}

/** The first table after `marker`: its header and rows as trimmed cell texts. */
function tableAfter(text: string, marker: string): { header: string[]; rows: string[][] } {
  const from = text.indexOf(marker);
  assert.ok(from >= 0, `no "${marker}"`);
  const lines = text
    .slice(from + marker.length)
    .split('\n')
    .map((l) => l.trim());
  const start = lines.findIndex((l) => l.includes('|'));
  const block: string[] = [];
  for (const line of lines.slice(start)) {
    if (!line.includes('|')) break;
    if (/^\|?\s*:?-+:?\s*\|/.test(line)) continue; // Markdown's delimiter row
    block.push(line);
  }
  const cells = (line: string) =>
    line
      .replace(/^\|/, '')
      .replace(/\|\s*$/, '')
      .split('|')
      .map((c) => c.trim().replace(/\*\*/g, ''));
  const [header, ...rows] = block.map(cells);
  return { header: header, rows };
}

function column(table: { header: string[]; rows: string[][] }, title: string): string[] {
  const i = table.header.indexOf(title);
  assert.ok(i >= 0, `no column "${title}" in ${table.header.join(', ')}`);
  return table.rows.map((r) => r[i]);
}

const sum = (cells: string[]) => cells.reduce((n, c) => n + Number(c.replace(/,/g, '')), 0);

/** Markdown as read: no code marks, no word joiners (which keep @names from becoming mentions). */
const mdText = (md: string) => md.replace(/`|\*\*/g, '').replace(/\u2060/g, '');

const reports = {
  'report.md': mdText(read('report.md')),
  'summary.md': mdText(read('summary.md')),
  'report.html': htmlText(read('report.html')),
};

for (const [name, text] of Object.entries(reports)) {
  describe(name, () => {
    test('the dataset line: images, labels and split counts equal result.json and the per-label table', () => {
      const d = result.dataset;
      const line = text.match(/(\d[\d,]*) images in (\d+) labels, split [^:]+: (\d[\d,]*) train, (\d[\d,]*) validation, (\d[\d,]*) test\./);
      assert.ok(line, 'the dataset line');
      const [images, labels, train, val, testCount] = line.slice(1).map((n) => Number(n.replace(/,/g, '')));
      assert.deepEqual({ images, labels }, { images: d.images, labels: d.labels.length });
      assert.deepEqual({ train, val, test: testCount }, d.splitCounts);
      const counts = tableAfter(text, 'Images per label and split');
      assert.equal(counts.rows.length, d.labels.length, 'one row per label');
      assert.deepEqual({ train: sum(column(counts, 'Train')), val: sum(column(counts, 'Val')), test: sum(column(counts, 'Test')) }, d.splitCounts);
      assert.equal(sum(column(counts, 'Total')), d.images);
      assert.equal(train + val + testCount, d.images);
    });

    test('the test line: images and accuracy equal result.json, the split and the per-label table', () => {
      const t = result.test;
      const line = text.match(
        /(\d[\d,]*) images the model never saw while training or choosing: accuracy ([\d.]+%) \(95% interval ([\d.]+%)–([\d.]+%), Wilson\)(?:, top-(\d+) ([\d.]+%))?, macro F1 ([\d.]+%)\./,
      );
      assert.ok(line, 'the test line');
      assert.ok(t.accuracyInterval, 'the real run has the interval');
      assert.deepEqual(line.slice(3, 5), [percent(t.accuracyInterval.low), percent(t.accuracyInterval.high)], 'the interval');
      line.splice(3, 2);
      assert.equal(Number(line[1].replace(/,/g, '')), t.images);
      assert.equal(t.images, result.dataset.splitCounts.test, 'every test-split image is evaluated');
      assert.equal(line[2], percent(t.accuracy));
      assert.equal(line[5], percent(t.macroF1));
      if (t.topK) assert.deepEqual([Number(line[3]), line[4]], [t.topK.k, percent(t.topK.accuracy)]);
      assert.equal(sum(column(tableAfter(text, 'never saw while training'), 'Test images')), t.images);
      assert.ok(text.includes(`${percent(t.accuracy)} test accuracy`), 'the headline');
      const headline = `this run's 95% interval is ${percent(t.accuracyInterval.low)}–${percent(t.accuracyInterval.high)} on ${integer(t.images)} test images`;
      assert.ok(text.includes(headline), headline);
    });

    test('images from elsewhere: folder, images, accuracy, interval, gap and per-label images equal result.json', () => {
      const e = result.elsewhere;
      assert.ok(e, 'the example run scored a folder from elsewhere (scripts/fixtures.ts)');
      const line = text.match(
        /(\S+): (\d[\d,]*) labelled images the model did not train on[^:]*: accuracy ([\d.]+%) \(95% interval ([\d.]+%)–([\d.]+%), Wilson\)/,
      );
      assert.ok(line, 'the line on the folder from elsewhere');
      assert.deepEqual(line.slice(1), [
        e.dataset,
        integer(e.metrics.images),
        percent(e.metrics.accuracy),
        percent(e.metrics.accuracyInterval!.low),
        percent(e.metrics.accuracyInterval!.high),
      ]);
      const signed = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x * 100).toFixed(1)}`;
      const gap = `Test set: ${percent(result.test.accuracy)} of ${result.test.images}.`;
      assert.ok(text.includes(gap), gap);
      assert.ok(e.gap, 'the run had test images to compare with');
      assert.ok(text.includes(`95% interval of the gap: ${signed(e.gap.low)} to ${signed(e.gap.high)} points`), 'the gap interval');
      assert.equal(sum(column(tableAfter(text, 'labelled images the model did not train on'), 'Images')), e.metrics.images);
      // The headline's comparison row: the baseline scored no folder from elsewhere.
      assert.equal(baseline.elsewhere, undefined);
      const row = `Images from elsewhere | ${percent(e.metrics.accuracy)} | — | not scored before`;
      assert.ok(text.includes(row), row);
    });

    test('calibration: temperature, validation images, ECE before and after, bins equal result.json', () => {
      const c = result.test.calibration;
      // The engine fits no temperature on a small validation split; then the report says why and gives the error as it stands.
      if (!c) {
        const skipped = result.test.calibrationSkipped;
        assert.ok(skipped, 'result.json says why no temperature was fitted');
        assert.ok(!text.includes('Calibration: temperature'), 'no temperature line without a temperature');
        const line = `Calibration: none fitted, ${skipped.reason}. Expected calibration error on the test images: ${(skipped.ece * 100).toFixed(1)}% (${skipped.bins} bins).`;
        return assert.ok(text.includes(line), line);
      }
      const line = text.match(
        /Calibration: temperature ([\d.]+), fitted on (?:out-of-fold predictions for )?(\d+) (?:training and )?validation images?; expected calibration error on the test images ([\d.]+)% before, ([\d.]+)% after \((\d+) bins\)\./,
      );
      assert.ok(line, 'the calibration line');
      assert.deepEqual(line.slice(1).map(Number), [
        Number(c.temperature.toFixed(2)),
        c.fittedOn,
        Number((c.eceBefore * 100).toFixed(1)),
        Number((c.eceAfter * 100).toFixed(1)),
        c.bins,
      ]);
      const { train, val } = result.dataset.splitCounts;
      if (c.fittedWith === 'out-of-fold') assert.equal(c.fittedOn, train + val, 'fitted on out-of-fold predictions for train + validation');
      else assert.equal(c.fittedOn, val, 'fitted on the validation split');
      assert.ok(text.includes(c.fittedWith === 'out-of-fold' ? 'out-of-fold predictions for' : 'validation image'), 'the report says which');
    });

    test("the bake-off estimates: each candidate's cross-validated mean and interval, the rule and the runner-up", () => {
      const board = tableAfter(text, 'with a new head each');
      const estimates = column(board, 'Estimate (95% interval)');
      const names = column(board, 'Candidate');
      for (const c of result.bakeOff.candidates) {
        // A long name is clipped as every cell is (the full name is in result.json); not "MobileNetV2 @224, 3 depths" for "MobileNetV2 @224".
        const shown = clip(c.displayName);
        const row = names.findIndex((n) => n === shown || n.startsWith(`${shown} (`));
        assert.ok(row >= 0, c.displayName);
        const cv = c.cv!;
        assert.equal(estimates[row], `${percent(cv.mean)} (${percent(cv.low)}–${percent(cv.high)}), ${cv.folds ? `${cv.folds} folds` : 'validation only'}`);
      }
      assert.ok(names[0].includes('(winner)'), 'the winner first');
      const sel = result.bakeOff.selection!;
      assert.ok(text.includes(`Chosen by the rule “${sel.rule}”`), 'the rule');
      const runnerUp = result.bakeOff.candidates.find((c) => c.backbone === sel.runnerUp)!;
      // (The name may hold a comma: "MobileNetV2 @224, 3 depths".)
      const next = text.match(/Runner-up: (.+?), ([\d.]+%) \(([\d.]+%)–([\d.]+%)\)/);
      assert.ok(next, 'the runner-up');
      assert.deepEqual(next.slice(1), [runnerUp.displayName, percent(runnerUp.cv!.mean), percent(runnerUp.cv!.low), percent(runnerUp.cv!.high)]);
    });

    test('the dataset review: counts and the leak line equal result.json and the review tables', () => {
      const r = result.review!;
      const line = text.match(/(\d+) label suspects?, (\d+) near-duplicate pairs? \((\d+) across splits, (\d+) across labels\) and (\d+) outliers?/);
      assert.ok(line, 'the review line');
      const dup = r.nearDuplicates;
      assert.deepEqual(line.slice(1).map(Number), [
        r.labelSuspects.length,
        dup.length,
        dup.filter((d) => d.crossSplit).length,
        dup.filter((d) => d.crossLabel).length,
        r.outliers.length,
      ]);
      assert.equal(tableAfter(text, 'the given label may be wrong').rows.length, r.labelSuspects.length);
      assert.deepEqual(
        column(tableAfter(text, 'the given label may be wrong'), 'File'),
        r.labelSuspects.map((s) => s.file),
      );
      assert.equal(tableAfter(text, 'Near-duplicates (').rows.length, dup.length);
      const leak = r.leak!;
      if (leak.leakedTestImages === 0) assert.ok(text.includes('No test image has a near-duplicate in training or validation'));
      else
        assert.ok(
          text.includes(
            `${integer(leak.leakedTestImages)} of ${integer(leak.testImages)} test images ${leak.leakedTestImages === 1 ? 'has' : 'have'} a near-duplicate`,
          ),
        );
      assert.equal(leak.testImages, result.test.images);
    });

    test('what changed against the baseline: added, removed, relabelled equal the image lists and the per-label table', () => {
      const before = new Set(baseline.dataset.files!.map((f) => f.sha256));
      const now = new Set(result.dataset.files!.map((f) => f.sha256));
      const added = result.dataset.files!.filter((f) => !before.has(f.sha256)).length;
      const removed = baseline.dataset.files!.filter((f) => !now.has(f.sha256)).length;
      assert.ok(added > 0, 'the run added images');
      const line = text.match(/Against the baseline: (\d+) images added, (\d+) removed, (\d+) relabelled\./);
      assert.ok(line, 'the diff line');
      assert.deepEqual(line.slice(1, 3).map(Number), [added, removed]);
      const perLabel = tableAfter(text, 'Changes per label');
      assert.equal(sum(column(perLabel, 'Added').map((c) => (c === '·' ? '0' : c))), added);
      // The images added per label equal the growth of each label's total.
      for (const [i, label] of column(perLabel, 'Label').entries()) {
        const grew = result.dataset.counts.find((c) => c.label === label)!.total - baseline.dataset.counts.find((c) => c.label === label)!.total;
        assert.equal(Number(perLabel.rows[i][1].replace('·', '0')) - Number(perLabel.rows[i][2].replace('·', '0')), grew, label);
      }
    });

    test('the model section says whether model.onnx was written and what the checker said', () => {
      const onnx = result.model.onnx!;
      assert.ok(
        text.includes(
          onnx.written
            ? `model.onnx written; the ONNX checker ${onnx.checker === 'passed' ? 'passed it' : onnx.checker === 'failed' ? 'failed it' : 'was not available'}.`
            : `model.onnx not written: ${onnx.reason}`,
        ),
      );
    });

    test('the verdict and the comparison: accuracy, images and labels of both runs', () => {
      const change = `test accuracy ${deltaPoints(result.test.accuracy - baseline.test.accuracy)} (${percent(baseline.test.accuracy)} → ${percent(result.test.accuracy)})`;
      assert.ok(text.includes(change), change);
      const comparison = tableAfter(text, 'the baseline');
      const row = (label: string) => comparison.rows.find((r) => r[0] === label)!;
      assert.deepEqual(row('Images').slice(1, 3), [integer(result.dataset.images), integer(baseline.dataset.images)]);
      assert.deepEqual(row('Labels').slice(1, 3), [String(result.dataset.labels.length), String(baseline.dataset.labels.length)]);
      assert.deepEqual(row('Test accuracy').slice(1, 3), [percent(result.test.accuracy), percent(baseline.test.accuracy)]);
      // What computed the run: the engine that embedded (most of the work), not only the backend that trained heads.
      const inference = result.backend.inference!;
      assert.equal(inference.engine, 'onnxruntime', 'the example run embedded on ONNX Runtime');
      assert.equal(inference.trainsSmallCnn, true, 'and trained its small CNN there');
      const threads = `${result.backend.threads} thread${result.backend.threads === 1 ? '' : 's'}`;
      assert.equal(
        row('Compute')[1],
        `ONNX Runtime (CPU, ${inference.threads} threads) for pretrained backbones and the small CNN; ${result.backend.name} (CPU, ${threads}) for training`,
      );
    });

    test('how each head was fitted: L-BFGS iterations or Adam epochs, as result.json records the solver', () => {
      const board = tableAfter(text, 'with a new head each');
      const names = column(board, 'Candidate');
      const fits = column(board, 'Fit');
      const solvers = new Set(result.bakeOff.candidates.map((c) => c.solver));
      assert.ok(solvers.has('lbfgs') && solvers.has('adam'), 'the example run has both kinds of head');
      for (const c of result.bakeOff.candidates) {
        const row = names.findIndex((n) => n === clip(c.displayName) || n.startsWith(`${clip(c.displayName)} (`));
        assert.equal(fits[row], c.solver === 'lbfgs' ? `L-BFGS, ${c.epochs} iterations` : `best epoch ${c.bestEpoch} of ${c.epochs}`, c.displayName);
      }
    });

    test('bake-off and trials: counts equal result.json and the tables', () => {
      const candidates = result.bakeOff.candidates;
      const line = text.match(/(\d+) candidates: ([^;]+);/);
      assert.ok(line, 'the bake-off line');
      assert.equal(Number(line[1]), candidates.length);
      // Each kind counted as result.json has it: an ensemble or the from-scratch network is not "a backbone with a head".
      const counted = (kind: RegExp) => Number(line[2].match(kind)?.[1] ?? 0);
      const ensembles = candidates.filter((c) => c.ensemble).length;
      const scratch = candidates.filter((c) => !c.ensemble && c.kind === 'scratch').length;
      assert.ok(ensembles > 0 && scratch > 0, 'the example run has all three kinds, so each count is checked');
      assert.equal(counted(/(\d+) frozen backbones? with a new head each/), candidates.length - ensembles - scratch);
      assert.equal(counted(/(\d+) networks? trained from scratch/), scratch);
      assert.equal(counted(/(\d+) ensembles? with one head/), ensembles);
      assert.equal(tableAfter(text, 'with a new head each').rows.length, candidates.length);
      const trials = text.match(/: (\d+) trials in ([^(]+) \(/);
      assert.ok(trials, 'the hyperparameter round line');
      assert.equal(Number(trials[1]), result.tuning.trials.length);
      assert.equal(trials[2].trim(), duration(result.tuning.seconds));
      assert.equal(tableAfter(text, 'trials, best first').rows.length, result.tuning.trials.length);
    });

    test('time: the run and the budget equal result.json and the timings table', () => {
      const used = `${duration(totalSeconds(result))} of`;
      assert.ok(text.includes(used), used);
      assert.ok(text.includes(`Budget: ${duration(result.budget.usedSeconds)} used of ${duration(result.budget.seconds)}`));
      const timings = tableAfter(text, `Seed ${result.seed}`);
      const total = timings.rows.find((r) => r[0] === 'total');
      assert.equal(total?.[1], duration(result.timings.find((t) => t.stage === 'total')!.seconds));
    });
  });
}
