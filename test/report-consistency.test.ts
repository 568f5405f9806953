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
import { totalSeconds } from '../src/core/report/tables.js';
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
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n');
}

/** The first table after `marker`: its header and rows as trimmed cell texts. */
function tableAfter(text: string, marker: string): { header: string[]; rows: string[][] } {
  const from = text.indexOf(marker);
  assert.ok(from >= 0, `no "${marker}"`);
  const lines = text.slice(from + marker.length).split('\n').map((l) => l.trim());
  const start = lines.findIndex((l) => l.includes('|'));
  const block: string[] = [];
  for (const line of lines.slice(start)) {
    if (!line.includes('|')) break;
    if (/^\|?\s*:?-+:?\s*\|/.test(line)) continue; // Markdown's delimiter row
    block.push(line);
  }
  const cells = (line: string) => line.replace(/^\|/, '').replace(/\|\s*$/, '').split('|').map((c) => c.trim().replace(/\*\*/g, ''));
  const [header, ...rows] = block.map(cells);
  return { header: header, rows };
}

function column(table: { header: string[]; rows: string[][] }, title: string): string[] {
  const i = table.header.indexOf(title);
  assert.ok(i >= 0, `no column "${title}" in ${table.header.join(', ')}`);
  return table.rows.map((r) => r[i]);
}

const sum = (cells: string[]) => cells.reduce((n, c) => n + Number(c.replace(/,/g, '')), 0);

const reports = {
  'report.md': read('report.md'),
  'summary.md': read('summary.md'),
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
      const line = text.match(/(\d[\d,]*) images the model never saw while training or choosing: accuracy ([\d.]+%)(?:, top-(\d+) ([\d.]+%))?, macro F1 ([\d.]+%)\./);
      assert.ok(line, 'the test line');
      assert.equal(Number(line[1].replace(/,/g, '')), t.images);
      assert.equal(t.images, result.dataset.splitCounts.test, 'every test-split image is evaluated');
      assert.equal(line[2], percent(t.accuracy));
      assert.equal(line[5], percent(t.macroF1));
      if (t.topK) assert.deepEqual([Number(line[3]), line[4]], [t.topK.k, percent(t.topK.accuracy)]);
      assert.equal(sum(column(tableAfter(text, 'never saw while training'), 'Test images')), t.images);
      assert.ok(text.includes(`${percent(t.accuracy)} test accuracy`), 'the headline');
    });

    test('the verdict and the comparison: accuracy, images and labels of both runs', () => {
      const change = `test accuracy ${deltaPoints(result.test.accuracy - baseline.test.accuracy)} (${percent(baseline.test.accuracy)} → ${percent(result.test.accuracy)})`;
      assert.ok(text.includes(change), change);
      const comparison = tableAfter(text, 'the baseline');
      const row = (label: string) => comparison.rows.find((r) => r[0] === label)!;
      assert.deepEqual(row('Images').slice(1, 3), [integer(result.dataset.images), integer(baseline.dataset.images)]);
      assert.deepEqual(row('Labels').slice(1, 3), [String(result.dataset.labels.length), String(baseline.dataset.labels.length)]);
      assert.deepEqual(row('Test accuracy').slice(1, 3), [percent(result.test.accuracy), percent(baseline.test.accuracy)]);
    });

    test('bake-off and trials: counts equal result.json and the tables', () => {
      const n = result.bakeOff.candidates.length;
      assert.ok(text.includes(`${n} backbones trained a head each`));
      assert.equal(tableAfter(text, 'backbones trained a head each').rows.length, n);
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
