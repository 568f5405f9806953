/**
 * The escaping policy (src/core/escape.ts), as DOMPurify tests a sanitizer: a table of hostile
 * payloads with the expected output in every context, then one list of hostile strings pushed
 * through every output the action and the CLI produce (report.md, summary.md, report.html,
 * the PR comment body, log lines, annotations, chart labels).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FIXTURES } from './fixtures/run-results.js';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { commentMarker, fitComment, upsertPullRequestComment } from '../src/action/comment.js';
import { githubClient } from '../src/action/github.js';
import { actionLogger } from '../src/action/log.js';
import { chartLabel, htmlText, logLine, markdownCode, markdownText, mermaidString } from '../src/core/escape.js';
import { renderReport, type RenderedReport } from '../src/core/report/index.js';
import { parseRunResult, type RunResult } from '../src/core/result.js';
import { startFakeGitHub, type FakeGitHub } from './fakes/github-server.js';
import { captureStdout } from './fakes/runner.js';

const WJ = '\u2060';

type Context = 'markdownText' | 'markdownCode' | 'htmlText' | 'mermaidString' | 'logLine' | 'chartLabel';
const CONTEXTS: Record<Context, (text: string) => string> = { markdownText, markdownCode, htmlText, mermaidString, logLine, chartLabel };

/** Rows of payload and expected output per context; a context left out must return the payload unchanged. */
const EXPECT: { payload: string; expected: Partial<Record<Context, string>> }[] = [
  {
    payload: '@octocat user@example.com',
    expected: {
      markdownText: `@${WJ}octocat user@${WJ}example.com`,
      markdownCode: '`@octocat user@example.com`',
      htmlText: `@${WJ}octocat user@${WJ}example.com`,
      mermaidString: `"@${WJ}octocat user@${WJ}example.com"`,
    },
  },
  {
    payload: '#123 GH-45 gh-6 o/r#7',
    expected: {
      markdownText: `\\#${WJ}123 GH-${WJ}45 gh-${WJ}6 o/r#${WJ}7`,
      markdownCode: '`#123 GH-45 gh-6 o/r#7`',
      htmlText: `#${WJ}123 GH-${WJ}45 gh-${WJ}6 o/r#${WJ}7`,
      mermaidString: `"#${WJ}123 GH-${WJ}45 gh-${WJ}6 o/r#${WJ}7"`,
    },
  },
  {
    payload: '<!-- x -->',
    expected: {
      markdownText: '&lt;\\!-- x --&gt;',
      markdownCode: `\`<${WJ}!-- x -->\``,
      htmlText: '&lt;!-- x --&gt;',
      mermaidString: '" !-- x -- "',
      logLine: `<${WJ}!-- x -->`,
      chartLabel: `<${WJ}!-- x -->`,
    },
  },
  {
    payload: 'a\nb\r\tc',
    expected: {
      markdownText: 'a\\\\nb\\\\r\\\\tc',
      markdownCode: '`a\\nb\\r\\tc`',
      htmlText: 'a\\nb\\r\\tc',
      mermaidString: '"a\\nb\\r\\tc"',
      logLine: 'a\\nb\\r\\tc',
      chartLabel: 'a\\nb\\r\\tc',
    },
  },
  {
    payload: '\u202Egnp.exe\u2066x\u2069\u200E\u200F\u061C\u202A\u202D',
    expected: Object.fromEntries(
      (['markdownText', 'markdownCode', 'htmlText', 'mermaidString', 'logLine', 'chartLabel'] as const).map((c) => {
        const shown = '\\u202egnp.exe\\u2066x\\u2069\\u200e\\u200f\\u061c\\u202a\\u202d';
        return [c, c === 'markdownCode' ? `\`${shown}\`` : c === 'mermaidString' ? `"${shown}"` : c === 'markdownText' ? shown.replace(/\\/g, '\\\\') : shown];
      }),
    ),
  },
  {
    payload: '\x1b[2J\x00\x07\x7f\x85\x9b',
    expected: {
      markdownText: '\\\\x1b\\[2J\\\\x00\\\\x07\\\\x7f\\\\x85\\\\x9b',
      markdownCode: '`\\x1b[2J\\x00\\x07\\x7f\\x85\\x9b`',
      htmlText: '\\x1b[2J\\x00\\x07\\x7f\\x85\\x9b',
      mermaidString: '"\\x1b[2J\\x00\\x07\\x7f\\x85\\x9b"',
      logLine: '\\x1b[2J\\x00\\x07\\x7f\\x85\\x9b',
      chartLabel: '\\x1b[2J\\x00\\x07\\x7f\\x85\\x9b',
    },
  },
  {
    payload: 'a\u2028b\u2029c',
    expected: {
      markdownText: 'a\\\\u2028b\\\\u2029c',
      markdownCode: '`a\\u2028b\\u2029c`',
      htmlText: 'a\\u2028b\\u2029c',
      mermaidString: '"a\\u2028b\\u2029c"',
      logLine: 'a\\u2028b\\u2029c',
      chartLabel: 'a\\u2028b\\u2029c',
    },
  },
  {
    payload: '::set-output name=x::1',
    expected: { markdownCode: '`::set-output name=x::1`', mermaidString: '"::set-output name=x::1"', logLine: `:${WJ}:set-output name=x:${WJ}:1` },
  },
  {
    payload: '##[error]x',
    expected: { markdownText: '\\##\\[error\\]x', markdownCode: '`##[error]x`', mermaidString: `"#${WJ}#${WJ}[error]x"`, logLine: `#${WJ}#[error]x` },
  },
  {
    payload: 'a|b`c`',
    expected: { markdownText: 'a\\|b\\`c\\`', markdownCode: '`` a\\|b`c` ``', htmlText: 'a&#124;b&#96;c&#96;', mermaidString: `"a|b'c'"` },
  },
  {
    payload: '<img src=x onerror=alert(1)>',
    expected: {
      markdownText: '&lt;img src=x onerror=alert(1)&gt;',
      markdownCode: '`<img src=x onerror=alert(1)>`',
      htmlText: '&lt;img src=x onerror=alert(1)&gt;',
      mermaidString: '" img src=x onerror=alert(1) "',
    },
  },
  {
    payload: `"q" 's' &amp;`,
    expected: {
      markdownText: `"q" 's' &amp;amp;`,
      markdownCode: '`"q" \'s\' &amp;`',
      htmlText: '&quot;q&quot; &#39;s&#39; &amp;amp;',
      mermaidString: `"'q' 's' &amp;"`,
    },
  },
  {
    payload: '[x](https://evil.example) www.evil.example',
    expected: {
      markdownText: '\\[x\\](https&#58;//evil.example) www&#46;evil.example',
      markdownCode: '`[x](https://evil.example) www.evil.example`',
      mermaidString: '"[x](https://evil.example) www.evil.example"',
    },
  },
  {
    payload: '$x$ ~~s~~ *b* _i_ {c} !',
    expected: {
      markdownText: '\\$x\\$ \\~\\~s\\~\\~ \\*b\\* \\_i\\_ \\{c\\} \\!',
      markdownCode: '`$x$ ~~s~~ *b* _i_ {c} !`',
      mermaidString: '"$x$ ~~s~~ *b* _i_ {c} !"',
    },
  },
  {
    // Mermaid decodes `#35;` style entity codes; a word joiner keeps them text.
    payload: 'A#35;B',
    expected: { markdownCode: '`A#35;B`', htmlText: `A#${WJ}35;B`, markdownText: `A#${WJ}35;B`, mermaidString: `"A#${WJ}35;B"` },
  },
  {
    payload: 'C:\\data\\ankle boot (2) 100%0A',
    expected: {
      markdownText: 'C:\\\\data\\\\ankle boot (2) 100%0A',
      markdownCode: '`C:\\data\\ankle boot (2) 100%0A`',
      mermaidString: '"C:\\data\\ankle boot (2) 100%0A"',
    },
  },
];

describe('the escaping policy, context by context', () => {
  for (const { payload, expected } of EXPECT) {
    test(JSON.stringify(payload), () => {
      for (const [context, escape] of Object.entries(CONTEXTS) as [Context, (t: string) => string][]) {
        assert.equal(escape(payload), expected[context] ?? payload, `${context}(${JSON.stringify(payload)})`);
      }
    });
  }
});

/** Rule 1's characters: none may reach any output raw (line feeds are checked per output). */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** One list of hostile strings, used for labels, folders and file names below. */
const HOSTILE = [
  '@octocat\n#1 GH-2 o/r#3',
  '<!-- classifier-ci:report:0 -->',
  'a|b`c`|\\|d',
  '\u202Egnp.exe\u2066x\u2069\u200E\u200F\u061C',
  'x\r\n\u2028\u2029\x85::error::y ##[w]',
  '\x1b[31mred\x00\x07\x7f\x9b',
  '<img src=x onerror=alert(1)>',
  '[l](https://e.x) *e* ~~s~~ $m$ #35;',
];

describe('every payload, every context: the rules hold', () => {
  const payloads = [...EXPECT.map((r) => r.payload), ...HOSTILE];
  for (const [context, escape] of Object.entries(CONTEXTS)) {
    test(context, () => {
      for (const payload of payloads) {
        const out = escape(payload);
        const shown = JSON.stringify({ payload, out });
        assert.ok(!UNSAFE.test(out) && !out.includes('\n'), `rule 1: ${shown}`);
        assert.ok(!out.includes('<!--'), `rule 2: ${shown}`);
        if (/^(markdownText|htmlText|mermaidString)$/.test(context)) {
          assert.doesNotMatch(out.replace(/&#\d+;/g, ''), /@[\w-]|#\d|gh-\d/i, `rule 3: ${shown}`);
        }
        if (context === 'logLine') assert.ok(!out.includes('::') && !out.includes('##['), `rule 4: ${shown}`);
        if (context === 'markdownText') assert.doesNotMatch(out, /(?<!\\)[|`]/, `rule 5: ${shown}`);
        if (context === 'htmlText') assert.doesNotMatch(out, /[|`<>"]/, `rule 5: ${shown}`);
      }
    });
  }
});

/**
 * The real run's result with every label and file name replaced by a hostile string. Only
 * fields named for labels and files are touched, so other schema changes pass through.
 */
function hostileRun(base: unknown): RunResult {
  const labels = new Map<string, string>();
  const files = new Map<string, string>();
  const label = (name: string) => {
    if (!labels.has(name)) labels.set(name, `${HOSTILE[labels.size % HOSTILE.length]}${labels.size >= HOSTILE.length ? ` ${labels.size}` : ''}`);
    return labels.get(name)!;
  };
  const file = (name: string) => {
    if (!files.has(name)) {
      const i = files.size;
      files.set(name, `${HOSTILE[(i + 3) % HOSTILE.length]}/${HOSTILE[i % HOSTILE.length]} ${i}.png`);
    }
    return files.get(name)!;
  };
  const LABEL_KEYS = /^(label|trueLabel|predictedLabel|predicted)$/;
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') return LABEL_KEYS.test(key) || key === 'labels' ? label(value) : key === 'file' || key === 'files' ? file(value) : value;
    if (Array.isArray(value)) return value.map((item) => walk(item, key));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  const result = parseRunResult(walk(base, ''), 'hostile result');
  assert.ok(labels.size >= 2 && files.size >= 1, 'the example result has labels and files to replace');
  return result;
}

/** Code spans removed (what GitHub never links or mentions inside), with escaped backticks first. */
function outsideCode(markdown: string): string {
  return markdown.replace(/\\`/g, '').replace(/(`+)[^`][\s\S]*?\1/g, '');
}

/** Cells per row, counting pipes that GitHub's table parser does not take as escaped. */
function cellSeparators(line: string): number {
  return (line.match(/(?<!\\)\|/g) ?? []).length;
}

function assertTablesIntact(markdown: string, where: string): void {
  let expected = -1;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      expected = -1;
      continue;
    }
    if (expected < 0) expected = cellSeparators(line);
    else assert.equal(cellSeparators(line), expected, `${where}: a table row lost its shape: ${line}`);
  }
}

/** What every Markdown output must hold (the comment body may start with our own marker). */
function assertSafeMarkdown(markdown: string, where: string, allowLeadingMarker = false): void {
  const body = allowLeadingMarker ? markdown.replace(/^<!-- classifier-ci:report:[0-9a-f]{16} -->\n/, '') : markdown;
  assert.ok(!UNSAFE.test(body), `${where}: a raw control or bidi character: ${JSON.stringify(body.match(UNSAFE))}`);
  assert.ok(!body.includes('<!--'), `${where}: <!-- survived`);
  const text = outsideCode(body);
  assert.doesNotMatch(text, /(^|[^\w`])@[a-z0-9]/im, `${where}: a live mention`);
  assert.doesNotMatch(text.replace(/&#\d+;/g, ''), /(^|[^\w&])#\d|\bgh-\d/im, `${where}: a live issue reference`);
  assert.ok(!/<img src=x/i.test(text), `${where}: hostile HTML came through`);
  // Every picture tag is whole, on one line, with no cell break in its attributes.
  const tags = text.match(/<img\b[^>]*>/g) ?? [];
  for (const tag of tags) assert.match(tag, /^<img src="https:\/\/[^"\s|]+" alt="[^"\n|`]*"[^>\n|]*>$/, `${where}: ${tag}`);
  assertTablesIntact(body, where);
}

describe('one list of hostile strings through every output', () => {
  let fake: FakeGitHub;
  let result: RunResult;
  let report: RenderedReport;
  const saved = { ...process.env };

  before(async () => {
    // A real run with mistakes, so their file names and labels go through every output too.
    const base = JSON.parse(readFileSync(FIXTURES.weak, 'utf8')) as unknown;
    result = hostileRun(base);
    // Thumbnails for the mistakes, so the Markdown shows pictures with alt text from the file names.
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#888' } })
      .png()
      .toBuffer();
    for (const m of result.test.mistakes) m.thumbnail = `data:image/png;base64,${png.toString('base64')}`;
    const imageHost = { put: (name: string) => Promise.resolve(`https://images.example.test/${encodeURIComponent(name)}`) };
    report = await renderReport(result, { imageHost, fullReportUrl: 'https://github.com/o/r/actions/runs/1' });
    fake = await startFakeGitHub({ restToken: 'ghs_policy' });
    process.env.GITHUB_API_URL = fake.apiUrl;
  });
  after(async () => {
    process.env = saved;
    await fake?.close();
  });

  test('the hostile run has hostile labels and mistakes with pictures', () => {
    assert.ok(result.dataset.labels.some((l) => l.includes('\u202E')));
    assert.ok(result.test.mistakes.length > 0 && result.test.mistakes.some((m) => m.file.includes('\n')));
    assert.ok(report.markdown.includes('<img src="https://images.example.test/'), 'the mistakes table shows thumbnails');
  });

  test('report.md and summary.md', () => {
    assertSafeMarkdown(report.markdown, 'report.md');
    assertSafeMarkdown(report.summary, 'summary.md');
    for (const label of result.dataset.labels) assert.ok(report.markdown.includes(markdownText(label)), `label shown as text: ${markdownText(label)}`);
  });

  test('report.html', () => {
    assert.ok(!UNSAFE.test(report.html), `a raw control or bidi character: ${JSON.stringify(report.html.match(UNSAFE))}`);
    assert.ok(!report.html.includes('<!--'));
    assert.ok(!/<img src=x/i.test(report.html));
    for (const label of result.dataset.labels) assert.ok(report.html.includes(htmlText(label)), `label shown as text: ${htmlText(label)}`);
  });

  test('chart labels: specs and drawings', () => {
    assert.ok(report.charts.length > 0);
    for (const chart of report.charts) {
      const spec = JSON.stringify(chart.spec);
      assert.ok(!/\\u00[01]|\\u007f|[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|<!--/.test(spec), `${chart.name} spec`);
      assert.ok(!UNSAFE.test(chart.svg) && !chart.svg.includes('<!--'), `${chart.name}.svg`);
    }
    const confusion = report.charts.find((c) => c.name === 'confusion');
    if (confusion) assert.ok(confusion.svg.includes('\\u202egnp.exe'), 'a bidi override is shown, not obeyed');
  });

  test('the PR comment body, as posted through the REST API', async () => {
    const octokit = githubClient('ghs_policy');
    const marker = commentMarker('Train', 'dataset');
    const body = fitComment(marker, report.markdown, 'The full report is in the artifact.');
    const posted = await upsertPullRequestComment(octokit, { owner: fake.owner, repo: fake.repo, issueNumber: 9 }, marker, body);
    const stored = fake.commentsOn(9).find((c) => c.id === posted.id)!.body;
    assert.ok(stored.startsWith(`${marker}\n`));
    assertSafeMarkdown(stored, 'comment', true);
  });

  test('log lines and annotations', async () => {
    const logger = actionLogger({ datasetPath: '/repo/dataset', workspace: '/repo' });
    for (const text of HOSTILE) {
      for (const line of [logLine(text), ...(await captureStdout(() => logger.info(`Skipped ${text}`))).split('\n').filter(Boolean)]) {
        assert.ok(!UNSAFE.test(line) && !line.includes('::') && !line.includes('##[') && !line.includes('<!--'), JSON.stringify(line));
      }
      const annotation = (await captureStdout(() => logger.warn(`Cannot decode ${text}`, { file: `${text}/${text}.png` }))).split('\n').filter(Boolean);
      assert.equal(annotation.length, 1, JSON.stringify(annotation));
      const line = annotation[0];
      assert.ok(line.startsWith('::warning title=classifier-ci,file=dataset/'), line);
      assert.equal(line.split('::').length, 3, `only the command's own two separators: ${JSON.stringify(line)}`);
      assert.ok(!UNSAFE.test(line) && !line.includes('##['), JSON.stringify(line));
    }
  });
});
