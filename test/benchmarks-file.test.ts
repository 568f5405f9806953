import assert from 'node:assert/strict';
import { test } from 'node:test';
import { updateBenchmarks } from '../bench/benchmarks-file.js';

const stamp1 = { date: '2026-12-01 10:00 UTC', machine: 'AMD EPYC, 2 cores, load 0.1' };
const stamp2 = { date: '2026-12-02 16:00 UTC', machine: 'Intel Xeon, 2 cores, load 1.9' };

function currentRows(text: string): string[] {
  const table = text.split('## Current figures\n\n')[1].split('\n\n')[0];
  return table.split('\n').slice(2);
}

test('a file with dated sections only gains the current table on top and keeps its sections as history', () => {
  const old = '# Benchmarks\n\nOld intro.\n\n## 2026-11-22 08:24 UTC — Intel\n\n- figures\n';
  const text = updateBenchmarks(
    old,
    stamp1,
    [{ target: 'Warm predict < 15 ms', measured: '2.2 ms median', met: true }],
    '## 2026-12-01 10:00 UTC — AMD\n\n- new figures',
  );
  assert.deepEqual(currentRows(text), ['| Warm predict < 15 ms | 2.2 ms median | met | 2026-12-01 10:00 UTC | AMD EPYC, 2 cores, load 0.1 |']);
  const history = text.split('## History\n\n')[1];
  assert.ok(history.indexOf('## 2026-11-22') < history.indexOf('## 2026-12-01'), 'newest section last');
  assert.ok(!text.includes('Old intro.'));
});

test('a partial run updates only the rows it measured; the others keep their date and machine', () => {
  const first = updateBenchmarks(
    '',
    stamp1,
    [
      { target: 'Embedding 2 workers ≥ 1.8×', measured: '1.6×', met: false },
      { target: 'Warm predict < 15 ms', measured: '2.2 ms', met: true },
    ],
    '## run 1',
  );
  const second = updateBenchmarks(first, stamp2, [{ target: 'Embedding 2 workers ≥ 1.8×', measured: '1.9× | steady 2.0×', met: true }], '## run 2');
  assert.deepEqual(currentRows(second), [
    '| Embedding 2 workers ≥ 1.8× | 1.9× \\| steady 2.0× | met | 2026-12-02 16:00 UTC | Intel Xeon, 2 cores, load 1.9 |',
    '| Warm predict < 15 ms | 2.2 ms | met | 2026-12-01 10:00 UTC | AMD EPYC, 2 cores, load 0.1 |',
  ]);
  // Reading the table back keeps an escaped pipe inside its cell.
  const third = updateBenchmarks(second, stamp1, [{ target: 'New target', measured: 'x', met: null }], '## run 3');
  assert.equal(currentRows(third)[0], currentRows(second)[0]);
  assert.match(currentRows(third)[2], /\| New target \| x \| not measured \|/);
  assert.deepEqual(third.match(/^## run \d/gm), ['## run 1', '## run 2', '## run 3']);
});
