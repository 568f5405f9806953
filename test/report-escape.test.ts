import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, escapeMarkdown, jsonForScript, markdownCode, mermaidString } from '../src/core/report/escape.js';
import { deltaPoints, duration, jsString, rate, shellWord } from '../src/core/report/format.js';

test('escapeHtml', () => {
  assert.equal(escapeHtml(`<img src=x onerror="alert('1')">&`), '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  assert.equal(escapeHtml('a|b `c`\n@x'), 'a&#124;b &#96;c&#96;\\n@\u2060x', 'one line, no cell break, no mention');
});

test('escapeMarkdown keeps text, breaks markup', () => {
  assert.equal(escapeMarkdown('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
  assert.equal(escapeMarkdown('[click](http://evil)'), '\\[click\\](http&#58;//evil)');
  assert.equal(escapeMarkdown('a|b'), 'a\\|b');
  assert.equal(escapeMarkdown('a\\|b'), 'a\\\\\\|b', 'a backslash cannot un-escape the pipe');
  assert.equal(escapeMarkdown('*bold* _it_ `code` ~~s~~ ![i]'), '\\*bold\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\!\\[i\\]');
  assert.equal(escapeMarkdown('@team'), '@\u2060team');
  assert.equal(escapeMarkdown('see www.evil.example'), 'see www&#46;evil.example');
  assert.equal(escapeMarkdown('line\nbreak\r\ttab'), 'line\\\\nbreak\\\\r\\\\ttab', 'shown as \\n, \\r, \\t');
  assert.equal(escapeMarkdown('&lt;'), '&amp;lt;', 'entities show as typed');
  assert.equal(escapeMarkdown('ankle boot (2)'), 'ankle boot (2)');
});

test('markdownCode fences around backticks and escapes pipes', () => {
  assert.equal(markdownCode('a/b.jpg'), '`a/b.jpg`');
  assert.equal(markdownCode('a`b'), '``a`b``');
  assert.equal(markdownCode('`x'), '`` `x ``');
  assert.equal(markdownCode('x|y\nz'), '`x\\|y\\nz`');
});

test('mermaidString cannot close its quotes or open a tag', () => {
  assert.equal(mermaidString('a "b" <c> `d`'), `"a 'b'  c  'd'"`);
});

test('jsonForScript cannot end the script element', () => {
  const out = jsonForScript({ label: '</script><script>alert(1)</script>', sep: '\u2028' });
  assert.doesNotMatch(out, /<\/script/i);
  assert.doesNotMatch(out, /\u2028/);
  assert.deepEqual(JSON.parse(out), { label: '</script><script>alert(1)</script>', sep: '\u2028' });
});

test('code samples quote paths safely', () => {
  assert.equal(shellWord('runs/a/model'), 'runs/a/model');
  assert.equal(shellWord("my runs/it's"), `'my runs/it'\\''s'`);
  assert.equal(jsString("a'b\\c"), `'a\\'b\\\\c'`);
});

test('number formats', () => {
  assert.equal(deltaPoints(0.0253), '▲ 2.5 pp');
  assert.equal(deltaPoints(-0.0015), '▼ 0.1 pp');
  assert.equal(deltaPoints(0.0004), '±0.0 pp');
  assert.equal(duration(218), '3 min 38 s');
  assert.equal(duration(600), '10 min');
  assert.equal(duration(7260), '2 h 1 min');
  assert.equal(duration(2.04), '2 s');
  assert.equal(duration(2.25), '2.3 s');
  assert.equal(rate(0.0021), '2.1e-3');
  assert.equal(rate(0.03), '0.03');
  assert.equal(rate(0), '0');
});
