/**
 * Charts: every Vega-Lite spec compiles without warnings, renders to SVG in Node with the
 * labels as escaped text, and to a PNG whose text is actually drawn (a font is installed).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { buildCharts, confusionChart, perLabelChart, trialsChart } from '../src/core/report/charts.js';
import { compileSpec, renderChart, renderSvg, svgToPng } from '../src/core/report/render-charts.js';
import { baselineRunResult, hostileRunResult, largeRunResult, smallRunResult } from './fixtures/run-results.js';

const NAMES = ['leaderboard', 'curves', 'trials', 'per-label-f1', 'confusion', 'dataset'];

describe('chart specs', () => {
  for (const [name, result, baseline] of [
    ['small', smallRunResult(), baselineRunResult()],
    ['large', largeRunResult(), undefined],
    ['hostile', hostileRunResult(), undefined],
  ] as const) {
    test(`${name}: all six compile to Vega without warnings`, () => {
      const charts = buildCharts(result, baseline);
      assert.deepEqual(
        charts.map((c) => c.name),
        NAMES,
      );
      for (const chart of charts) {
        const warnings: string[] = [];
        const vg = compileSpec(chart.spec, chart.name, warnings);
        assert.deepEqual(warnings, [], `${chart.name}: ${warnings.join('; ')}`);
        assert.ok(Array.isArray(vg.marks) && vg.marks.length > 0, `${chart.name} has no marks`);
        assert.doesNotMatch(JSON.stringify(chart.spec), /"url"\s*:/, `${chart.name} must carry its data inline`);
      }
    });
  }

  test('an invalid spec fails with the chart name', () => {
    assert.throws(() => compileSpec({ mark: 'nonsense' } as never, 'broken'), /The broken chart spec does not compile/);
  });

  test('the per-label chart marks the baseline only when there is one', () => {
    assert.match(JSON.stringify(perLabelChart(smallRunResult(), baselineRunResult())!.spec), /"tick"/);
    assert.doesNotMatch(JSON.stringify(perLabelChart(smallRunResult())!.spec), /"tick"/);
  });

  test('the confusion matrix prints counts for few labels, not for 60', () => {
    assert.match(JSON.stringify(confusionChart(smallRunResult())!.spec), /"type":"text"/);
    assert.doesNotMatch(JSON.stringify(confusionChart(largeRunResult())!.spec), /"type":"text"/);
  });

  test('the trials chart plots the score that chose: cross-validated means and intervals where the round scored folds', () => {
    const result = smallRunResult();
    const folded = result.tuning.trials.filter((t) => t.cv);
    assert.ok(folded.length >= 2, 'the real run cross-validated its contenders');
    const spec = trialsChart(result)!.spec as unknown as {
      data: { values: { trial: number; score: number; low: number | null; high: number | null; measure: string }[] };
    };
    for (const t of result.tuning.trials) {
      const row = spec.data.values.find((r) => r.trial === t.index + 1)!;
      assert.deepEqual(
        [row.score, row.low, row.high, row.measure],
        t.cv ? [t.cv.mean, t.cv.low, t.cv.high, 'cross-validated'] : [t.valAccuracy, null, null, 'validation'],
        `trial ${t.index + 1}`,
      );
    }
    assert.match(JSON.stringify(spec), /cross-validated, with 95% intervals/);
  });

  test('the trials chart draws faint points only beside cross-validated ones', () => {
    const opacity = (r: ReturnType<typeof smallRunResult>) =>
      JSON.stringify((trialsChart(r)!.spec as unknown as { layer: { encoding: { opacity?: unknown } }[] }).layer[1].encoding.opacity);
    const result = smallRunResult();
    assert.doesNotMatch(opacity(result), /condition/, 'every trial cross-validated: one opacity');
    delete result.tuning.trials[0].cv;
    assert.match(opacity(result), /condition/, 'one not cross-validated: drawn faint');
    for (const t of result.tuning.trials) delete t.cv;
    assert.doesNotMatch(opacity(result), /condition/, 'none cross-validated (a small CNN): one opacity');
    // Its one trial on the labelled range 0 to 1e-1, not at the edge of a range of its own.
    result.tuning.trials = [result.tuning.trials[0]];
    const x = (trialsChart(result)!.spec as unknown as { encoding: { x: { scale: { domain: number[] } } } }).encoding.x;
    assert.deepEqual(x.scale.domain, [0, Math.max(0.1, result.tuning.trials[0].config.weightDecay)]);
  });

  test('a run without trials has no trials chart', () => {
    const r = smallRunResult();
    r.tuning.trials = [];
    assert.deepEqual(
      buildCharts(r).map((c) => c.name),
      NAMES.filter((n) => n !== 'trials'),
    );
  });
});

describe('rendering', () => {
  test('labels with control characters (invalid in XML) still render every chart to SVG and PNG', async () => {
    // Every "sneaker" (label, file names) gets an escape, a NUL and a form feed.
    const result = JSON.parse(JSON.stringify(smallRunResult()).replaceAll('sneaker', 'sne\\u001b[31mak\\u0000er\\f'));
    assert.ok(result.dataset.labels.includes('sne\u001b[31mak\u0000er\f'));
    for (const chart of buildCharts(result)) {
      const rendered = await renderChart(chart);
      assert.doesNotMatch(rendered.svg, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/, `${chart.name}: no XML-invalid characters`);
      const { width } = await sharp(rendered.png).metadata();
      assert.ok(width && width > 0, `${chart.name}: a PNG`);
    }
    const perLabel = buildCharts(result).find((c) => c.name === 'per-label-f1')!;
    assert.match(await renderSvg(perLabel.spec), /sne\\x1b\[31mak\\x00er\\x0c/, 'shown as escapes (src/core/escape.ts)');
  });

  test('SVG in Node: labels are escaped text, sizes are set', async () => {
    const [leaderboard] = buildCharts(hostileRunResult());
    const svg = await renderSvg(leaderboard.spec);
    assert.match(svg, /^<svg[^>]* width="\d+" height="\d+"/);
    assert.match(svg, /&lt;img src=x onerror=alert\(5\)&gt;/);
    assert.doesNotMatch(svg, /<img/);
    const plain = hostileRunResult().bakeOff.candidates[0].displayName;
    assert.ok(svg.includes(plain.replace(/&/g, '&amp;').replace(/</g, '&lt;')), plain);
  });

  test('PNG at twice the SVG size', async () => {
    const chart = await renderChart(buildCharts(smallRunResult())[0]);
    const [, w, h] = chart.svg.match(/width="(\d+)" height="(\d+)"/)!.map(Number);
    const meta = await sharp(chart.png).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, w * 2);
    assert.equal(meta.height, h * 2);
  });

  test('text is drawn in the PNG (a font is installed: fonts-dejavu-core on Debian)', async () => {
    // Same box, with and without text: if no font renders, the two PNGs are identical.
    const box = (text: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><rect width="300" height="60" fill="white"/><text x="10" y="40" font-size="28" font-family="system-ui, Helvetica, Arial, DejaVu Sans, sans-serif" fill="black">${text}</text></svg>`;
    const dark = async (svg: string) => {
      const { data } = await sharp(await svgToPng(svg))
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return data.reduce((n, v) => n + (v < 128 ? 1 : 0), 0);
    };
    assert.equal(await dark(box('')), 0);
    const inked = await dark(box('Validation accuracy 93%'));
    assert.ok(inked > 2000, `only ${inked} dark pixels: is a font installed? (apt-get install fonts-dejavu-core)`);
  });

  test('every chart of the large run renders', async () => {
    for (const chart of buildCharts(largeRunResult())) {
      const r = await renderChart(chart);
      assert.ok(r.svg.length > 1000, chart.name);
      const meta = await sharp(r.png).metadata();
      assert.ok(meta.width > 400 && meta.height > 200, `${chart.name}: ${meta.width}×${meta.height}`);
    }
  });
});
