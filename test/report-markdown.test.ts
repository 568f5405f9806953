/**
 * The Markdown report: snapshots for fixed RunResults, GitHub's size limits for any size,
 * escaping of user-controlled text, and images only through the image host.
 * Regenerate the snapshots with UPDATE_SNAPSHOTS=1 after an intended change, and read the diff.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { COMMENT_LIMIT, GITHUB_COMMENT_MAX_CHARS, GITHUB_SUMMARY_MAX_BYTES, SUMMARY_LIMIT } from '../src/core/report/github-limits.js';
import { escapeMarkdown } from '../src/core/report/escape.js';
import { deltaPoints, percent } from '../src/core/report/format.js';
import { mermaidCurves, renderMarkdown, safeUrl } from '../src/core/report/markdown.js';
import { RunResult } from '../src/core/result.js';
import { baselineRunResult, hostileLabels, hostileRunResult, largeRunResult, smallRunResult, weakRunResult } from './fixtures/run-results.js';

const SNAPSHOTS = join(import.meta.dirname, 'snapshots');

function matchSnapshot(name: string, actual: string): void {
  const file = join(SNAPSHOTS, name);
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(file)) {
    if (process.env.UPDATE_SNAPSHOTS !== '1' && process.env.CI) assert.fail(`snapshot ${name} is missing; run with UPDATE_SNAPSHOTS=1 and commit it`);
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} changed; if intended, run with UPDATE_SNAPSHOTS=1 and review the diff`);
}

/** `|` characters that end a table cell: those not escaped by an odd run of backslashes. */
function cellSeparators(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== '|') continue;
    let slashes = 0;
    for (let j = i - 1; j >= 0 && line[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 0) n++;
  }
  return n;
}

/** Every table row has as many cells as its header; returns the number of tables checked. */
function assertTablesIntact(markdown: string): number {
  let tables = 0;
  let expected = -1;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      expected = -1;
      continue;
    }
    const n = cellSeparators(line);
    if (expected < 0) {
      expected = n;
      tables++;
    } else assert.equal(n, expected, `table row has ${n - 1} cells, header has ${expected - 1}: ${line}`);
  }
  return tables;
}

describe('Markdown snapshots', () => {
  test('fixtures are valid RunResults', () => {
    for (const r of [smallRunResult(), baselineRunResult(), hostileRunResult(), largeRunResult()]) RunResult.parse(r);
  });

  test('small run, no baseline', () => {
    const md = renderMarkdown(smallRunResult());
    matchSnapshot('report-small.md', md);
    assert.ok(assertTablesIntact(md) >= 8);
  });

  test('small run against its baseline', () => {
    const md = renderMarkdown(smallRunResult(), { baseline: baselineRunResult() });
    matchSnapshot('report-small-baseline.md', md);
    const r = smallRunResult();
    const b = baselineRunResult();
    const line = `${percent(b.test.accuracy)} → ${percent(r.test.accuracy)}`;
    assert.ok(md.includes(`the baseline: test accuracy ${deltaPoints(r.test.accuracy - b.test.accuracy)} (${line})`), line);
    const before = new Map(b.test.perLabel.map((p) => [p.label, p.f1]));
    for (const p of r.test.perLabel) {
      assert.ok(
        md.includes(`| ${escapeMarkdown(p.label)} | ${percent(before.get(p.label)!)} | ${percent(p.f1)} | ${deltaPoints(p.f1 - before.get(p.label)!)} |`),
        `F1 change of ${p.label}`,
      );
    }
  });

  test('large run (60 labels, 40 trials) as a PR comment', () => {
    const md = renderMarkdown(largeRunResult(), { fullReportUrl: 'https://github.com/o/r/actions/runs/1' });
    matchSnapshot('report-large.md', md);
    assert.ok(md.length < COMMENT_LIMIT.max);
    assertTablesIntact(md);
    assert.match(md, /_Showing \d+ of 300 skipped files\. Everything is in the \[full report\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1\)\._/);
    assert.match(md, /Most confused label pairs/);
    assert.doesNotMatch(md, /True ↓ \/ predicted →/, 'a 60×60 matrix does not belong in a comment');
  });
});

describe('the final fit', () => {
  test('is reported after fine-tuning when the result has one, applied or skipped, and says nothing for older results', () => {
    const applied = smallRunResult();
    applied.tuning.refit = { applied: true, reason: 'retrained on train + validation (950 images) for the chosen 22 epochs', images: 950, epochs: 22 };
    const skipped = smallRunResult();
    skipped.tuning.refit = {
      applied: false,
      reason: 'the small CNN is trained end to end; training it again on train + validation would take a second full training',
    };
    const md = renderMarkdown(applied);
    assert.match(md, /Fine-tuning the top of the backbone: [^\n]*\n\nFinal fit: retrained on train \+ validation \(950 images\) for the chosen 22 epochs\./);
    assert.match(renderMarkdown(skipped), /Final fit: skipped; the small CNN is trained end to end/);
    const older = smallRunResult();
    delete older.tuning.refit;
    assert.doesNotMatch(renderMarkdown(older), /Final fit/);
  });
});

function withTopTrialChosen(r: RunResult): RunResult {
  const top = r.tuning.trials.reduce((best, t, i, all) => (t.valAccuracy > all[best].valAccuracy ? i : best), 0);
  return { ...r, tuning: { ...r.tuning, bestTrial: top } };
}

describe('the learning curve without chart images', () => {
  test("counts the chosen head's own steps: iterations for L-BFGS, epochs for Adam", () => {
    const result = smallRunResult();
    const chosen = result.tuning.trials.find((t) => t.index === result.tuning.bestTrial)!;
    assert.equal(chosen.config.solver, 'lbfgs', 'the real run chose an L-BFGS head');
    assert.match(mermaidCurves(result)!, /accuracy per iteration .*\n[\s\S]*x-axis "iteration"/);
    // Variant: the same curve from a head trained by Adam.
    chosen.config = { ...chosen.config, solver: 'adam' };
    assert.match(mermaidCurves(result)!, /accuracy per epoch .*\n[\s\S]*x-axis "epoch"/);
  });
});

describe('trial numbers', () => {
  test('count from 1, as the log does: the chosen trial, the headline and the trials table agree', () => {
    // Of the two real runs, the one where a trial beat the bake-off head; when in neither did
    // (the one rule kept the bake-off's head), the small run with its top trial marked chosen.
    const r = [smallRunResult(), baselineRunResult()].find((x) => x.tuning.bestTrial >= 0) ?? withTopTrialChosen(smallRunResult());
    assert.ok(r.tuning.trials.length > 1, 'a fixture has trials');
    const chosen = r.tuning.bestTrial;
    const md = renderMarkdown(r);
    assert.match(md, new RegExp(`tuned \\(trial ${chosen + 1} of ${r.tuning.trials.length}\\)`));
    assert.match(md, new RegExp(`Chosen: \\*\\*trial ${chosen + 1}\\*\\*`));
    assert.match(md, new RegExp(`^\\| \\*\\*${chosen + 1}\\*\\* \\|`, 'm'), 'the chosen row of the trials table');
  });
});

describe('size limits', () => {
  test('the comment stays under 65,536 characters and the summary under 1 MiB, whatever the size', () => {
    const cases = [largeRunResult(), largeRunResult({ labels: 400, trials: 300, epochs: 500, skipped: 5000, mistakes: 500, review: 5000 })];
    const huge = largeRunResult({ labels: 1000, trials: 1000, skipped: 20000, review: 20000 });
    huge.test.perLabel = huge.test.perLabel.map((p, i) => ({ ...p, label: `${'<&|'.repeat(200)}${i}` }));
    huge.dataset.warnings = Array.from({ length: 2000 }, () => '<'.repeat(5000));
    cases.push(huge);
    for (const r of cases) {
      const comment = renderMarkdown(r);
      const summary = renderMarkdown(r, { variant: 'summary', limit: SUMMARY_LIMIT });
      // Within the report's budget, which leaves the action room under GitHub's own limit.
      assert.ok(comment.length <= COMMENT_LIMIT.max && COMMENT_LIMIT.max < GITHUB_COMMENT_MAX_CHARS, `comment is ${comment.length} characters`);
      assert.ok(
        Buffer.byteLength(summary) <= SUMMARY_LIMIT.max && SUMMARY_LIMIT.max < GITHUB_SUMMARY_MAX_BYTES,
        `summary is ${Buffer.byteLength(summary)} bytes`,
      );
      assertTablesIntact(comment);
      assertTablesIntact(summary);
      assert.match(comment, /Everything is in report\.html and result\.json\./, 'a shortened table says where the rest is');
    }
  });

  test('the dataset review is capped in the comment, says how many more and where, and is complete in the summary', () => {
    const r = largeRunResult({ review: 300 });
    const comment = renderMarkdown(r);
    for (const what of ['label suspects', 'near-duplicate pairs', 'outliers', 'relabelled images']) {
      const shown = new RegExp(`_Showing (\\d+) of 300 ${what}[^_]*Everything is in report\\.html and result\\.json\\._`).exec(comment);
      assert.ok(shown, `the comment says how many ${what} it left out`);
      assert.ok(Number(shown[1]) <= 20, `${shown[1]} ${what} in the comment`);
    }
    assert.match(comment, /<details><summary>Label suspects \(300\): the given label may be wrong<\/summary>/, 'folded');
    const summary = renderMarkdown(r, { variant: 'summary', limit: SUMMARY_LIMIT });
    assert.match(summary, /_Showing 100 of 300 label suspects/);
  });

  test('a small run is never shortened', () => {
    const md = renderMarkdown(smallRunResult());
    assert.doesNotMatch(md, /Showing \d+ of/);
    assert.doesNotMatch(md, /left out/);
  });

  test('the summary shows more than the comment', () => {
    const r = largeRunResult();
    const comment = renderMarkdown(r);
    const summary = renderMarkdown(r, { variant: 'summary', limit: SUMMARY_LIMIT });
    assert.ok(summary.length > comment.length);
    assert.match(summary, /All 40 trials/);
  });

  test('when even the shortest tables do not fit, whole sections are dropped and the reader is told', () => {
    const md = renderMarkdown(largeRunResult(), { limit: { max: 6000, unit: 'chars' } });
    assert.ok(md.length <= 6000, `${md.length} characters`);
    assert.match(md, /Some sections were left out to stay under GitHub's size limit/);
    assert.equal((md.match(/<details/g) ?? []).length, (md.match(/<\/details>/g) ?? []).length, 'no fold is cut in half');
    assert.equal((md.match(/^```/gm) ?? []).length % 2, 0, 'no code block is cut in half');
  });
});

/** The Markdown with code spans and fenced blocks removed: what GitHub would interpret. */
function outsideCode(markdown: string): string {
  return markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '').replace(/(?<![\\`])(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
}

describe('escaping user-controlled text', () => {
  const md = renderMarkdown(hostileRunResult());

  test('no raw HTML, links or mentions come from labels or file names', () => {
    const live = outsideCode(md);
    assert.match(md, /<svg onload/, 'the file name is in the report (in a code span)');
    assert.doesNotMatch(live, /<img/);
    assert.doesNotMatch(live, /<svg/);
    assert.doesNotMatch(live, /<script/);
    assert.doesNotMatch(live, /<b>/);
    assert.doesNotMatch(live, /\[click\]\(http/);
    assert.doesNotMatch(live, /http:\/\/evil/);
    assert.doesNotMatch(live, /@team/);
    assert.match(md, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(md, /\\\[click\\\]\(http&#58;\/\/evil\)/);
    assert.match(md, /\| a\\\|b \|/);
  });

  test('every table keeps its shape', () => {
    assert.ok(assertTablesIntact(md) >= 8);
  });

  test('file names are shown verbatim in code spans', () => {
    assert.match(md, /`<img src=x onerror=alert\(2\)>\/x\\\|y\.jpg`/);
  });

  test('hostile labels are all present, as text', () => {
    for (const label of hostileLabels) assert.ok(hostileRunResult().dataset.labels.includes(label), label);
    assert.match(md, /\\`code\\` \\\*star\\\* @\u2060team/);
  });
});

describe('pictures', () => {
  const charts = new Map([
    ['leaderboard', 'https://raw.githubusercontent.com/o/r/report-images/1/leaderboard.png'],
    ['curves', 'https://raw.githubusercontent.com/o/r/report-images/1/curves.png'],
    ['confusion', 'javascript:alert(1)'],
    ['trials', 'https://x/y)![z](https://evil'],
  ]);

  test('without an image host there are no images, and the curves come as a Mermaid chart', () => {
    const md = renderMarkdown(smallRunResult());
    assert.doesNotMatch(md, /!\[/);
    assert.doesNotMatch(md, /<img/);
    assert.match(md, /```mermaid\n[\s\S]*xychart-beta[\s\S]*line \[/);
  });

  test('charts the host stored are linked; unsafe URLs are dropped', () => {
    const md = renderMarkdown(smallRunResult(), { chartUrls: charts });
    assert.match(md, /!\[Bake-off: estimated accuracy \(95% interval\)\]\(https:\/\/raw\.githubusercontent\.com\/o\/r\/report-images\/1\/leaderboard\.png\)/);
    assert.match(md, /!\[Bake-off: learning curves\]\(https:\/\/raw\.githubusercontent\.com\/o\/r\/report-images\/1\/curves\.png\)/);
    assert.doesNotMatch(md, /javascript:/);
    assert.doesNotMatch(md, /evil/);
    assert.doesNotMatch(md, /```mermaid/, 'the curves picture replaces the Mermaid chart');
  });

  test('mistake thumbnails appear when the host stored them', () => {
    const r = weakRunResult();
    const { sha256, file } = r.test.mistakes[0];
    const md = renderMarkdown(r, { thumbnailUrls: new Map([[sha256, 'https://img.example/m.jpg']]) });
    assert.ok(md.includes(`<img src="https://img.example/m.jpg" alt="${file}" width="64">`));
  });

  test('safeUrl accepts https and plain relative paths only', () => {
    assert.equal(safeUrl('https://a.example/b.png'), 'https://a.example/b.png');
    assert.equal(safeUrl('charts/curves.png'), 'charts/curves.png');
    for (const bad of [
      'http://a.example/b.png',
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      '../secret.png',
      'https://a.example/b c.png',
      'https://a/b)c',
      '',
    ]) {
      assert.equal(safeUrl(bad), null, bad);
    }
  });
});
