/**
 * No absolute path of the runner or of --out reaches report.md, summary.md or the comment:
 * the dataset is named as the user gave it (repo-relative in the action), and the model as
 * the reader gets it (the artifact in the action, a path relative to the shell in the CLI).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { readInputs } from '../src/action/inputs.js';
import { readerView, repoRelative } from '../src/action/report.js';
import { renderReport } from '../src/core/report/index.js';
import { smallRunResult } from './fixtures/run-results.js';

/** Any absolute POSIX path in text: a slash at a word start followed by a name. */
const ABSOLUTE = /(?:^|[\s`'"(|:=])\/(?:home|tmp|runner|work|var|usr|opt|data|Users)\b[^\s`'")|]*/m;

describe('the action names nothing on the runner', () => {
  const workspace = '/home/runner/work/shop/shop';
  const saved = { ...process.env };
  before(() =>
    Object.assign(process.env, { GITHUB_REPOSITORY: 'octo/shop', GITHUB_RUN_ID: '4242', GITHUB_WORKSPACE: workspace, GITHUB_SERVER_URL: 'https://github.com' }),
  );
  after(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  test('repo-relative dataset, the model from the artifact, and no runner path anywhere', async () => {
    const inputs = readInputs(
      { outDir: '/home/runner/work/_temp/classifier-ci/output', cacheDir: '/home/runner/work/_temp/classifier-ci/cache', workspace },
      (name) => (name === 'dataset-path' ? 'data/photos' : ''),
    );
    // The engine ran on the absolute path the action gave it: the root and its messages name it.
    const result = smallRunResult();
    const root = inputs.train.datasetPath;
    assert.equal(root, `${workspace}/data/photos`);
    result.dataset.root = root;
    result.dataset.skipped = [{ file: 'stray.png', reason: `file at the top level, outside any label folder: move it into ${root}/<label>/` }];
    result.dataset.warnings = [...result.dataset.warnings, `Something about ${root}/bag/.`];
    const report = await renderReport(result, readerView(inputs));
    for (const [name, text] of Object.entries({ 'report.md': report.markdown, 'summary.md': report.summary, 'report.html': report.html })) {
      assert.doesNotMatch(text, ABSOLUTE, name);
      for (const path of [workspace, '/_temp/'])
        assert.ok(!text.includes(path), `${name} names ${path}: …${text.slice(text.indexOf(path) - 80, text.indexOf(path) + 80)}…`);
    }
    assert.match(report.markdown, /^`data\/photos`: \d+ images in \d+ labels/m);
    assert.match(report.markdown, /move it into data\/photos\/\S*label/, 'the skip reason names the repo-relative folder');
    assert.ok(report.markdown.includes('Get it from the artifact `classifier-ci-model` of [run 4242](https://github.com/octo/shop/actions/runs/4242)'));
    assert.ok(report.markdown.includes('gh run download 4242 -R octo/shop -n classifier-ci-model -D classifier-ci-run && cd classifier-ci-run'));
    assert.ok(report.markdown.includes('npx classifier-ci predict model/ image.jpg'));
    assert.ok(report.html.includes('gh run download 4242 -R octo/shop -n classifier-ci-model -D classifier-ci-run'));
  });

  test('a dataset outside the checkout keeps the name the workflow gave it', () => {
    assert.equal(repoRelative('/home/runner/work/shop/shop/data/photos', workspace, 'data/photos'), 'data/photos');
    assert.equal(repoRelative('/mnt/datasets/photos', workspace, '/mnt/datasets/photos'), '/mnt/datasets/photos');
    assert.equal(repoRelative(workspace, workspace, '.'), '.');
  });
});

describe('the CLI names paths from where it was started', () => {
  let out: string;
  let shell: string;
  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'report-out-'));
    shell = await mkdtemp(join(tmpdir(), 'report-shell-'));
    await writeFile(join(out, 'result.json'), JSON.stringify(smallRunResult(), null, 2));
  });
  after(async () => {
    await rm(out, { recursive: true, force: true });
    await rm(shell, { recursive: true, force: true });
  });

  test('report with an absolute --out: relative paths only, climbing out with ../', async () => {
    const entry = pathToFileURL(join(import.meta.dirname, '../src/cli/commands/report.ts')).href;
    const script = `const { command } = await import(${JSON.stringify(entry)}); process.exitCode = await command.run(JSON.parse(process.argv[1]));`;
    await promisify(execFile)(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script, JSON.stringify([join(out, 'result.json'), '--out', out])],
      { cwd: shell },
    );
    const expected = `../${basename(out)}/model`;
    for (const name of ['report.md', 'summary.md']) {
      const text = await readFile(join(out, name), 'utf8');
      assert.doesNotMatch(text, ABSOLUTE, name);
      assert.ok(!text.includes(out), name);
      assert.ok(text.includes(`npx classifier-ci predict ${expected} image.jpg`), `${name} names the model as ${expected}`);
      assert.match(text, /^`sample-dataset`: /m, 'the dataset as the user gave it');
    }
  });
});
