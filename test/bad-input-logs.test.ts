/**
 * Bad input, logs: file names and labels that try to break out of their log line (line breaks,
 * ANSI escapes, bidirectional overrides, `::` workflow commands) print as one harmless line in
 * the CLI's log, which also runs inside workflow steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { terminalLogger } from '../src/cli/terminal-logger.js';
import { escapeLogLine } from '../src/core/log-line.js';
import { SAMPLE, tempDir } from './helpers/datasets.js';
import { startCli, TINY_TRAIN } from './helpers/fixtures.js';

/** The word joiner that breaks `::` (src/core/escape.ts). */
const WJ = /\u2060/g;
/** What must never reach a log line raw. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = 'bag/evil\n::set-output name=accuracy::1.0\r\x1b[2J\x1b[31m\u202egnp.txt';

/** A stream that records what a logger writes. */
function recorder(isTTY = false) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (chunk: string) => chunks.push(chunk) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

test('escapeLogLine shows control characters as escapes and breaks every workflow-command marker', () => {
  assert.equal(escapeLogLine('Skipped bag/photo 1.png: fine, 100% (50/50)'), 'Skipped bag/photo 1.png: fine, 100% (50/50)');
  const line = escapeLogLine(HOSTILE);
  assert.equal(line.replace(WJ, ''), 'bag/evil\\n::set-output name=accuracy::1.0\\r\\x1b[2J\\x1b[31m\\u202egnp.txt');
  assert.ok(!line.includes('::') && !UNSAFE.test(line), line);
  assert.equal(escapeLogLine('tab\there, DEL\x7f, CSI\x9b, NEL\x85, LS\u2028'), 'tab\\there, DEL\\x7f, CSI\\x9b, NEL\\x85, LS\\u2028');
  assert.equal(escapeLogLine('%0A%0D stays literal'), '%0A%0D stays literal');
  // Runs of colons and the legacy form: no `::` or `##[` survives anywhere.
  for (const text of [':::x', '::::', '##[error]z', '###[x', 'a::b::c']) {
    const out = escapeLogLine(text);
    assert.ok(!out.includes('::') && !out.includes('##['), JSON.stringify(out));
    assert.equal(out.replace(WJ, ''), text, 'only word joiners are added');
  }
});

test('escapeLogLine holds its promises on any mix of risky characters', () => {
  const alphabet = [':', ':', '#', '#', '[', '\n', '\r', '\x1b', '\u202e', '\u2028', '\x85', '%', '0', 'A', 'a', ' ', '\\', '\u2060'];
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  for (let i = 0; i < 3000; i++) {
    const text = Array.from({ length: 1 + (next() % 24) }, () => alphabet[next() % alphabet.length]).join('');
    const out = escapeLogLine(text);
    assert.ok(!UNSAFE.test(out), JSON.stringify(out));
    assert.ok(!out.includes('::') && !out.includes('##['), JSON.stringify({ text, out }));
  }
});

test('the CLI logger prints each message as one line that never starts with ::', () => {
  const { stream, text } = recorder();
  const log = terminalLogger(stream);
  log.warn(`Skipped ${HOSTILE}: not an image file (.txt)`, { file: HOSTILE });
  log.info('::add-mask::nothing\n::stop-commands::x');
  log.stage(`Reading ${HOSTILE}`);
  log.progress(`Embedding ${HOSTILE}`, 1, 1);
  const lines = text().split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  // warn, info, the stage's blank spacer and title, progress.
  assert.equal(lines.length, 5, text());
  assert.match(lines[0], /^warning: Skipped bag\/evil\\n:\u2060:set-output/);
  assert.equal(lines[1].replace(WJ, ''), '::add-mask::nothing\\n::stop-commands::x');
  assert.equal(lines[2], '');
  assert.match(lines[3], /^▸ Reading bag\/evil\\n/);
  for (const l of lines) {
    assert.ok(!l.startsWith('::') && !l.includes('::') && !UNSAFE.test(l), JSON.stringify(l));
  }
});

test("on a terminal, the only escape sequences are the progress bar's own", () => {
  const { stream, text } = recorder(true);
  const log = terminalLogger(stream);
  log.progress(`Checking ${HOSTILE}`, 1, 2);
  log.warn(`Skipped ${HOSTILE}: empty file (0 bytes)`);
  log.progress(`Checking ${HOSTILE}`, 2, 2);
  const ours = text().replaceAll('\r\x1b[K', '');
  assert.ok(!ours.includes('\x1b'), JSON.stringify(ours));
  assert.ok(!ours.replaceAll('\n', '').match(UNSAFE), JSON.stringify(ours));
  assert.ok(ours.includes('Checking bag/evil\\n'), ours);
});

test('classifier-ci train on a dataset with hostile file names: every stderr line is harmless', async () => {
  const root = join(tempDir(), 'dataset');
  mkdirSync(join(root, 'bag'), { recursive: true });
  for (const file of readdirSync(join(SAMPLE, 'bag')).slice(0, 4)) writeFileSync(join(root, 'bag', file), readFileSync(join(SAMPLE, 'bag', file)));
  // Real files with these names: Linux allows every byte but "/" and NUL.
  writeFileSync(join(root, 'bag', 'evil\n::set-output name=accuracy::1.0\x1b[2J.txt'), 'x');
  writeFileSync(join(root, 'bag', '::error file=x::boom.png'), '');
  // One label: the run stops at the dataset check, right after listing the skips.
  const { code, err } = await startCli(['train', root, '--out', join(tempDir(), 'out'), '--cache-dir', join(tempDir(), 'cache')]).done;
  assert.equal(code, 2, err);
  assert.match(err, /^warning: Skipped bag\/evil\\n:\u2060:set-output name=accuracy:\u2060:1\.0\\x1b\[2J\.txt: not an image file \(\.txt\)/m);
  assert.match(err, /^warning: Skipped bag\/:\u2060:error file=x:\u2060:boom\.png: empty file \(0 bytes\)$/m);
  for (const line of err.split('\n')) assert.ok(!line.startsWith('::') && !line.includes('\x1b'), JSON.stringify(line));
});

/** Every line the CLI printed, on both streams: none can break out or start a workflow command. */
function assertHarmless(...streams: string[]) {
  for (const text of streams) {
    for (const line of text.split('\n')) assert.ok(!line.includes('::') && !line.includes('##[') && !UNSAFE.test(line), JSON.stringify(line));
  }
}

const EVIL_LABEL = 'evil\n::set-output name=label::x\x1b[31m';
/** EVIL_LABEL as escapeLogLine prints it. */
const EVIL_LABEL_SHOWN = 'evil\\n:\u2060:set-output name=label:\u2060:x\\x1b[31m';

test('the final error: line quotes hostile labels, arguments and option names escaped', async () => {
  const root = join(tempDir(), 'dataset');
  mkdirSync(join(root, EVIL_LABEL), { recursive: true });
  for (const file of readdirSync(join(SAMPLE, 'bag')).slice(0, 3)) copyFileSync(join(SAMPLE, 'bag', file), join(root, EVIL_LABEL, file));
  const refused = await startCli(['train', root, '--out', join(tempDir(), 'out'), '--cache-dir', join(tempDir(), 'cache')]).done;
  assert.equal(refused.code, 2, refused.err);
  assert.ok(refused.err.includes(`has only one label ("${EVIL_LABEL_SHOWN}")`), refused.err);
  assert.match(refused.err, /^error: Dataset /m);
  assertHarmless(refused.out, refused.err);

  const command = await startCli(['::warning::x\n::error::y']).done;
  assert.equal(command.code, 2);
  assert.equal(
    command.err.replace(WJ, ''),
    'Unknown command "::warning::x\\n::error::y". Commands: train, predict, evaluate, report, review, plan, embed, cache. Run "classifier-ci --help".\n',
  );
  assertHarmless(command.out, command.err);

  const option = await startCli(['train', root, '--x\n::add-mask::y']).done;
  assert.equal(option.code, 2);
  assert.match(option.err, /^error: Unknown option '--x\\n:\u2060:add-mask:\u2060:y'/m);
  assertHarmless(option.out, option.err);
});

test("train's summary and predict's lines print hostile paths, file names and labels escaped; --json stays raw", async () => {
  const root = join(tempDir(), 'dataset');
  for (const [from, to] of [
    ['bag', EVIL_LABEL],
    ['trouser', 'trouser'],
  ]) {
    mkdirSync(join(root, to), { recursive: true });
    for (const file of readdirSync(join(SAMPLE, from)).sort().slice(0, 6)) copyFileSync(join(SAMPLE, from, file), join(root, to, file));
  }
  const out = join(tempDir(), 'out\n::warning::x\x1b[2J');
  const trained = await startCli(['train', root, '--out', out, '--cache-dir', join(tempDir(), 'cache'), ...TINY_TRAIN]).done;
  assert.equal(trained.code, 0, trained.err);
  // The summary gives paths from the shell the CLI ran in (the child inherits this cwd).
  const outShown = escapeLogLine(relative(process.cwd(), out));
  assert.ok(trained.err.includes(`\n  Model:          ${outShown}/model\n`), trained.err);
  assert.ok(trained.err.includes(`\n  Result:         ${outShown}/result.json\n`), trained.err);
  assert.ok(trained.err.includes(`\nClassify an image: npx classifier-ci predict ${outShown}/model <image>\n`), trained.err);
  assertHarmless(trained.out, trained.err);

  // report re-renders into a hostile folder and lists what it wrote, escaped.
  const reportOut = join(tempDir(), 'report\n::error::y\x1b[2J');
  const reported = await startCli(['report', join(out, 'result.json'), '--out', reportOut]).done;
  assert.equal(reported.code, 0, reported.err);
  assert.ok(reported.err.includes(`files to ${escapeLogLine(reportOut)}:\n`), reported.err);
  assertHarmless(reported.out, reported.err);

  const image = join(tempDir(), 'photo\n::error file=x::boom\x1b[2J.png');
  copyFileSync(join(root, 'trouser', readdirSync(join(root, 'trouser'))[0]), image);
  const broken = join(tempDir(), '::stop-commands::t\nbroken.png');
  writeFileSync(broken, 'not a png');
  const predicted = await startCli(['predict', join(out, 'model'), image, broken, '--top', '2']).done;
  assert.equal(predicted.code, 2, predicted.err);
  const lines = predicted.out.split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 1, predicted.out);
  assert.match(lines[0], /photo\\n:\u2060:error file=x:\u2060:boom\\x1b\[2J\.png: /);
  assert.ok(lines[0].includes(`${EVIL_LABEL_SHOWN} `), lines[0]);
  assert.match(predicted.err, /^warning: .*:\u2060:stop-commands:\u2060:t\\nbroken\.png/m);
  assertHarmless(predicted.out, predicted.err);

  // JSON is already one safe line per object; its strings stay exactly as they are, for scripts.
  const json = await startCli(['predict', join(out, 'model'), image, '--json']).done;
  assert.equal(json.code, 0, json.err);
  const parsed = JSON.parse(json.out);
  assert.ok(parsed.file.endsWith('photo\n::error file=x::boom\x1b[2J.png'), parsed.file);
  assert.deepEqual(Object.keys(parsed.probabilities).sort(), [EVIL_LABEL, 'trouser'].sort());
});
