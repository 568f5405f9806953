/**
 * docs/example-report/ is a rendered report committed for people to look at without running
 * anything. This test keeps it in step with the renderer: regenerate it with UPDATE_SNAPSHOTS=1.
 * The PNG/SVG charts are checked for presence only (their bytes depend on sharp and fonts).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic } from '../src/core/atomic.js';
import { renderReport, writeReport, type ImageHost, type ReportOptions } from '../src/core/report/index.js';
import { baselineRunResult, smallRunResult } from './fixtures/run-result.js';

const DIR = join(import.meta.dirname, '../docs/example-report');

/** For the committed example only: report.md links its charts by relative path, which GitHub shows next to the file. */
const relativeHost: ImageHost = { put: async (name) => `charts/${name}` };
const options: ReportOptions = { baseline: baselineRunResult(), imageHost: relativeHost };

test('docs/example-report is up to date', async () => {
  const result = smallRunResult();
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    await rm(DIR, { recursive: true, force: true });
    await writeReport(DIR, result, options);
    await writeFileAtomic(join(DIR, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    await writeFileAtomic(join(DIR, 'baseline.json'), `${JSON.stringify(options.baseline, null, 2)}\n`);
  }
  const report = await renderReport(result, options);
  assert.equal(await readFile(join(DIR, 'report.md'), 'utf8'), report.markdown, 'report.md is stale: run this test with UPDATE_SNAPSHOTS=1');
  assert.equal(await readFile(join(DIR, 'summary.md'), 'utf8'), report.summary, 'summary.md is stale: run this test with UPDATE_SNAPSHOTS=1');
  assert.equal(await readFile(join(DIR, 'report.html'), 'utf8'), report.html, 'report.html is stale: run this test with UPDATE_SNAPSHOTS=1');
  assert.deepEqual(JSON.parse(await readFile(join(DIR, 'result.json'), 'utf8')), result);
  for (const chart of report.charts) {
    assert.match(report.markdown, new RegExp(`\\]\\(charts/${chart.name}\\.png\\)`));
    for (const ext of ['png', 'svg']) assert.ok(existsSync(join(DIR, 'charts', `${chart.name}.${ext}`)), `charts/${chart.name}.${ext} is missing`);
  }
});
