/**
 * `classifier-ci report` and writeReport: files land atomically where asked, bad input is an
 * InputError that says what to fix.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { command } from '../src/cli/commands/report.js';
import { InputError } from '../src/core/errors.js';
import { escapeMarkdown } from '../src/core/report/escape.js';
import { percent } from '../src/core/report/format.js';
import { renderReport, writeReport, type ImageHost } from '../src/core/report/index.js';
import { verdict } from '../src/core/report/verdict.js';
import { baselineRunResult, smallRunResult, weakRunResult } from './fixtures/run-results.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-cli-'));
  await writeFile(join(dir, 'result.json'), JSON.stringify(smallRunResult(), null, 2));
  await writeFile(join(dir, 'baseline.json'), JSON.stringify(baselineRunResult(), null, 2));
});
after(() => rm(dir, { recursive: true, force: true }));

const CHARTS = ['confusion', 'curves', 'dataset', 'leaderboard', 'per-label-f1', 'trials'];

const execFileAsync = promisify(execFile);
const COMMAND = pathToFileURL(join(import.meta.dirname, '../src/cli/commands/report.ts')).href;

/** Runs the command in a child process (the dispatcher's job), capturing its output. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `const { command } = await import(${JSON.stringify(COMMAND)}); process.exitCode = await command.run(JSON.parse(process.argv[1]));`;
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify(argv)]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('classifier-ci report', () => {
  test('re-renders next to result.json, with the baseline', async () => {
    const { code, stdout } = await run([join(dir, 'result.json'), '--baseline', join(dir, 'baseline.json'), '--json']);
    assert.equal(code, 0);
    const written: string[] = JSON.parse(stdout);
    assert.equal(written.length, 3 + 2 * CHARTS.length);
    assert.deepEqual((await readdir(join(dir, 'charts'))).sort(), CHARTS.flatMap((c) => [`${c}.png`, `${c}.svg`]).sort());
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    assert.ok(md.includes(escapeMarkdown(verdict(smallRunResult(), baselineRunResult()).text)), 'the verdict against the baseline');
    assert.match(await readFile(join(dir, 'report.html'), 'utf8'), /^<!doctype html>/);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp files left behind',
    );
  });

  test('--out puts the files elsewhere', async () => {
    const out = join(dir, 'elsewhere');
    const { code, stderr } = await run([join(dir, 'result.json'), '--out', out]);
    assert.equal(code, 0);
    assert.match(stderr, /Wrote 15 files to/);
    assert.ok((await readFile(join(out, 'summary.md'), 'utf8')).startsWith(`## classifier-ci: ${percent(smallRunResult().test.accuracy)} test accuracy`));
  });

  test('--help prints the usage', async () => {
    const { code, stdout } = await run(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /Usage: classifier-ci report <result\.json>/);
  });

  test('bad input is an InputError that names the file', async () => {
    await writeFile(join(dir, 'broken.json'), '{"schemaVersion": 1}');
    await writeFile(join(dir, 'notjson.json'), 'nope');
    await assert.rejects(command.run([]), (e) => e instanceof InputError && /exactly one result\.json/.test(e.message));
    await assert.rejects(command.run([join(dir, 'missing.json')]), (e) => e instanceof InputError && /missing\.json does not exist/.test(e.message));
    await assert.rejects(command.run([join(dir, 'notjson.json')]), (e) => e instanceof InputError && /not valid JSON/.test(e.message));
    await assert.rejects(
      command.run([join(dir, 'broken.json')]),
      (e) => e instanceof InputError && /broken\.json is not a classifier-ci result/.test(e.message),
    );
    await assert.rejects(
      command.run([join(dir, 'result.json'), '--baseline', join(dir, 'broken.json')]),
      (e) => e instanceof InputError && /broken\.json/.test(e.message),
    );
    await assert.rejects(
      command.run([join(dir, 'result.json'), '--full-report-url', 'javascript:alert(1)']),
      (e) => e instanceof InputError && /https/.test(e.message),
    );
  });
});

describe('renderReport with an image host', () => {
  test('charts go to the host; a failing host only costs the pictures', async () => {
    const stored: string[] = [];
    const host: ImageHost = {
      async put(name, bytes, contentType) {
        assert.equal(contentType, 'image/png');
        assert.deepEqual([...bytes.slice(1, 4)], [0x50, 0x4e, 0x47], 'PNG signature');
        stored.push(name);
        if (name === 'trials.png') throw new Error('service down');
        return name === 'dataset.png' ? null : `https://img.example/${name}`;
      },
    };
    const report = await renderReport(smallRunResult(), { imageHost: host });
    assert.deepEqual(stored.sort(), CHARTS.map((c) => `${c}.png`).sort());
    assert.match(report.markdown, /!\[Bake-off: learning curves\]\(https:\/\/img\.example\/curves\.png\)/);
    assert.doesNotMatch(report.markdown, /trials\.png|dataset\.png/);
    assert.equal(report.charts.length, 6);
  });

  test('mistake thumbnails are uploaded when the result carries them', async () => {
    const r = weakRunResult();
    const jpeg = (await import('sharp')).default({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg();
    const [first] = r.test.mistakes;
    r.test.mistakes = [
      { ...first, thumbnail: `data:image/jpeg;base64,${(await jpeg.toBuffer()).toString('base64')}` },
      { ...first, sha256: 'f'.repeat(64), thumbnail: 'data:text/html;base64,PHNjcmlwdD4=' },
    ];
    const names: string[] = [];
    const report = await renderReport(r, { imageHost: { put: async (name) => (names.push(name), `https://img.example/${name}`) } });
    assert.deepEqual(
      names.filter((n) => n.startsWith('mistake-')),
      [`mistake-${r.test.mistakes[0].sha256.slice(0, 16)}.jpg`],
    );
    assert.ok(report.markdown.includes(`<img src="https://img.example/mistake-${first.sha256.slice(0, 16)}.jpg"`));
    assert.match(report.html, /<img class="thumb" src="data:image\/jpeg;base64,/);
    assert.doesNotMatch(report.html, /data:text\/html/);
  });

  test("the images from elsewhere show their mistakes' pictures, uploaded for the comment and inline in the HTML", async () => {
    const r = smallRunResult();
    const [mistake] = r.elsewhere!.metrics.mistakes;
    assert.match(mistake.thumbnail ?? '', /^data:image\/jpeg;base64,/, 'the real run attached the picture');
    const names: string[] = [];
    const report = await renderReport(r, { imageHost: { put: async (name) => (names.push(name), `https://img.example/${name}`) } });
    const name = `mistake-${mistake.sha256.slice(0, 16)}.jpg`;
    assert.ok(names.includes(name), `${name} uploaded`);
    const section = report.markdown.split('### Images from elsewhere')[1].split('\n### ')[0];
    assert.ok(section.includes(`<img src="https://img.example/${name}"`), 'the comment shows it in the section');
    const html = report.html.split('<section id="elsewhere">')[1].split('</section>')[0];
    assert.ok(html.includes(`src="${mistake.thumbnail}"`), 'the HTML shows it inline');
  });

  test('writeReport returns the paths it wrote', async () => {
    const out = join(dir, 'direct');
    const paths = await writeReport(out, smallRunResult());
    assert.deepEqual(
      paths.slice(0, 3),
      ['report.md', 'summary.md', 'report.html'].map((f) => join(out, f)),
    );
  });
});
