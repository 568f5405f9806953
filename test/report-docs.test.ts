/**
 * docs/example-report/ is a rendered report committed for people to look at without running
 * anything: the report of the real run in test/fixtures against its baseline. This test keeps
 * it in step with the renderer; `npm run fixtures -- --report-only` regenerates it.
 * The PNG/SVG charts are checked for presence only (their bytes depend on sharp and fonts).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderReport } from '../src/core/report/index.js';
import { EXAMPLE_REPORT as DIR, exampleReportOptions, smallRunResult } from './fixtures/run-results.js';

const STALE = 'is stale: run npm run fixtures -- --report-only';

test('docs/example-report is the current report of the committed real run', async () => {
  const result = smallRunResult();
  const options = exampleReportOptions();
  const report = await renderReport(result, options);
  assert.equal(await readFile(join(DIR, 'report.md'), 'utf8'), report.markdown, `report.md ${STALE}`);
  assert.equal(await readFile(join(DIR, 'summary.md'), 'utf8'), report.summary, `summary.md ${STALE}`);
  assert.equal(await readFile(join(DIR, 'report.html'), 'utf8'), report.html, `report.html ${STALE}`);
  assert.deepEqual(JSON.parse(await readFile(join(DIR, 'result.json'), 'utf8')), result, `result.json ${STALE}`);
  assert.deepEqual(JSON.parse(await readFile(join(DIR, 'baseline.json'), 'utf8')), options.baseline, `baseline.json ${STALE}`);
  for (const chart of report.charts) {
    assert.match(report.markdown, new RegExp(`\\]\\(charts/${chart.name}\\.png\\)`));
    for (const ext of ['png', 'svg']) assert.ok(existsSync(join(DIR, 'charts', `${chart.name}.${ext}`)), `charts/${chart.name}.${ext} is missing`);
  }
});
