/**
 * The HTML report in a real browser: Debian's chromium, headless, loads report.html from
 * disk; no console errors, every chart drawn, no injected script runs. Screenshots land in
 * test-output/ for people to look at. Fails (never skips) when chromium is missing.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { renderReport } from '../src/core/report/index.js';
import type { RunResult } from '../src/core/result.js';
import { verdict } from '../src/core/report/verdict.js';
import { baselineRunResult, hostileRunResult, largeRunResult, smallRunResult } from './fixtures/run-results.js';

/** Debian's chromium (here and in .ci/run); GitHub's Ubuntu runners ship Google Chrome instead. */
const BROWSERS = ['/usr/bin/chromium', '/usr/bin/google-chrome'];
const CHROMIUM = BROWSERS.find((path) => existsSync(path));
const OUTPUT = resolve('test-output');

let browser: BrowserContext;
let userDataDir: string;

before(async () => {
  assert.ok(CHROMIUM, `No browser found (looked for ${BROWSERS.join(', ')}): the browser test needs Debian's chromium (apt-get install -y chromium).`);
  userDataDir = await mkdtemp(join(tmpdir(), 'report-chromium-'));
  // A fresh profile (--user-data-dir) per run: no state leaks between runs.
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
  });
  await mkdir(OUTPUT, { recursive: true });
});

after(async () => {
  await browser?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

interface PageCheck {
  errors: string[];
  dialogs: string[];
  requests: string[];
  charts: { name: string; width: number; height: number }[];
  text: string;
  /** Words of table headers and number cells that the layout broke across lines ("0.70" / "1"). */
  brokenWords: string[];
  /** The text of every code block (<pre>), folded or not. */
  code: string[];
}

async function open(name: string, result: RunResult, baseline?: RunResult): Promise<PageCheck> {
  const report = await renderReport(result, { baseline });
  const dir = await mkdtemp(join(tmpdir(), 'report-html-'));
  const file = join(dir, 'report.html');
  await writeFile(file, report.html);
  const page = await browser.newPage();
  const check: PageCheck = { errors: [], dialogs: [], requests: [], charts: [], text: '', brokenWords: [], code: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') check.errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => check.errors.push(`page error: ${e.message}`));
  page.on('dialog', async (d) => {
    check.dialogs.push(d.message());
    await d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) check.requests.push(r.url());
  });
  try {
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-charts="ready"]', { timeout: 30_000 });
    check.charts = await page.$$eval('[data-chart]', (els) =>
      els.map((el) => {
        const drawn = el.querySelector('svg, canvas');
        const box = drawn?.getBoundingClientRect();
        return { name: el.getAttribute('data-chart') ?? '', width: box?.width ?? 0, height: box?.height ?? 0 };
      }),
    );
    check.text = await page.innerText('body');
    check.code = await page.$$eval('pre', (blocks) => blocks.map((b) => b.textContent ?? ''));
    check.brokenWords = await page.$$eval('th, td.num', (cells) =>
      cells.flatMap((cell) => {
        const broken: string[] = [];
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          // A word, or half of a range like 89.9%–100.0%: a line may end after the dash.
          for (const word of (node.textContent ?? '').matchAll(/[^\s–]+/g)) {
            const range = document.createRange();
            range.setStart(node, word.index);
            range.setEnd(node, word.index + word[0].length);
            if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) broken.push(word[0]);
          }
        }
        return broken;
      }),
    );
    await page.screenshot({ path: join(OUTPUT, `report-${name}.png`), fullPage: true });
  } finally {
    await page.close();
    await rm(dir, { recursive: true, force: true });
  }
  return check;
}

describe('report.html in chromium', () => {
  test('the small run with a baseline: every chart drawn, no errors, no network', async () => {
    const page = await open('small', smallRunResult(), baselineRunResult());
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.requests, []);
    assert.deepEqual(
      page.charts.map((c) => c.name),
      ['leaderboard', 'curves', 'trials', 'per-label-f1', 'confusion', 'dataset'],
    );
    for (const c of page.charts) assert.ok(c.width > 100 && c.height > 50, `chart ${c.name} is ${c.width}×${c.height}`);
    assert.ok(page.text.includes(verdict(smallRunResult(), baselineRunResult()).text), 'the verdict');
    assert.ok(page.text.includes(`npx classifier-ci predict ${smallRunResult().model.dir} image.jpg`), 'the predict command');
    // Headers and numbers wrap between words only: not "Ra / nk" or a loss of "0.70 / 1".
    assert.deepEqual(page.brokenWords, []);
    // Code blocks keep their lines: the snippet and the layer table, not one line with "\n" in it.
    const snippet = page.code.find((c) => c.includes('loadClassifier'));
    assert.match(snippet ?? '', /^import \{ loadClassifier \} from 'classifier-ci';\n\nconst c = /, 'the snippet on lines of its own');
    const layers = page.code.find((c) => c.includes('Layer (type)'));
    assert.match(layers ?? '', /^Layer \(type\) +Output shape +Params\n=+\n/, 'the layer table on lines of its own');
    for (const c of page.code) assert.ok(!c.includes('\\n'), `a newline shown as \\n in: ${c.slice(0, 80)}`);
  });

  test('the large run (60 labels, 40 trials) renders completely', async () => {
    const page = await open('large', largeRunResult());
    assert.deepEqual(page.errors, []);
    assert.equal(page.charts.length, 6);
    for (const c of page.charts) assert.ok(c.width > 100 && c.height > 50, `chart ${c.name} is ${c.width}×${c.height}`);
    const r = largeRunResult();
    assert.ok(page.text.includes(r.dataset.labels.at(-1)!), 'the last of the copied labels');
  });

  test('hostile labels and file names show as text and run nothing', async () => {
    const page = await open('hostile', hostileRunResult());
    assert.deepEqual(page.dialogs, [], 'an injected script opened a dialog');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.requests, []);
    for (const text of ['<img src=x onerror=alert(1)>', '[click](http://evil)', 'a|b', '<svg onload=alert(4)>', '<script>alert("root")</script>']) {
      assert.ok(page.text.includes(text), `the page does not show ${text} as text`);
    }
    for (const c of page.charts) assert.ok(c.width > 100 && c.height > 50, `chart ${c.name} is ${c.width}×${c.height}`);
  });
});
