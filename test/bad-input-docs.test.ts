/**
 * docs/bad-input.md quotes the messages users see. This checks that each quoted message is
 * still in src/, so the page cannot drift from the code.
 *
 * A quote's own words (all but its `<placeholders>`, `…`, `N` and the example values listed
 * below) must be found in the source's string and template literals, in stretches of at least
 * 8 characters (or a whole short literal), with gaps of at most 4 letters (an example the code
 * fills in, such as "bag"; digits and punctuation are not counted, numbers are mostly computed). A
 * `${…}` whose value the file spells out (a constant, a choice between strings) is expanded
 * into each of its spellings, so messages built from pieces are found too. A word of five
 * letters or more changed on either side fails the check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');
const WILD = null;
type Piece = string | typeof WILD;

/** Values the page shows as examples of what the code fills in (user input, generated lists). */
const EXAMPLES = [
  '.jpg .jpeg .png .webp .gif .avif .tif .tiff',
  'https://exa mple.com/model.json@224',
  'resnet9000',
  '"ten"',
  '"yes"',
  '--colour',
  '"Bag" and "bag"',
  '"a" and "b"',
  'SIGINT',
  'train --help',
];
/** Words that are not ours: Node's parseArgs writes this part of the unknown-option message. */
const NOT_OURS = ["Unknown option '--colour'. "];

// ---------------------------------------------------------------------------------------
// The source side: every string and template literal, with its `${…}` expanded where possible.

const MAX_SPELLINGS = 64;

function sourceLiterals(): Piece[][] {
  const literals: Piece[][] = [];
  const files = readdirSync(join(ROOT, 'src'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(ROOT, 'src', file), 'utf8'), ts.ScriptTarget.Latest, true);
    const declarations = new Map<string, ts.Expression[]>();
    const collect = (node: ts.Node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        declarations.set(node.name.text, [...(declarations.get(node.name.text) ?? []), node.initializer]);
      }
      ts.forEachChild(node, collect);
    };
    collect(source);
    const visit = (node: ts.Node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node))
        literals.push(...spellings(node, declarations, 0));
      if (!ts.isTemplateExpression(node)) ts.forEachChild(node, visit);
      else for (const span of node.templateSpans) visit(span.expression);
    };
    visit(source);
  }
  return literals;
}

/** The texts an expression can have, as far as the file spells them out; WILD for the rest. */
function spellings(node: ts.Expression, declarations: Map<string, ts.Expression[]>, depth: number): Piece[][] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [[...node.text]];
  if (depth > 4) return [[WILD]];
  const inner = (e: ts.Expression) => spellings(e, declarations, depth + 1);
  if (ts.isParenthesizedExpression(node)) return inner(node.expression);
  if (ts.isConditionalExpression(node)) return [...inner(node.whenTrue), ...inner(node.whenFalse)];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.BarBarToken) return [...inner(node.left), ...inner(node.right)];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return inner(node.right);
  if (ts.isIdentifier(node) && declarations.has(node.text)) return declarations.get(node.text)!.flatMap(inner);
  if (ts.isTemplateExpression(node)) {
    let out: Piece[][] = [[...node.head.text]];
    for (const span of node.templateSpans) {
      const middle = inner(span.expression);
      const next = out.flatMap((before) => middle.map((m) => [...before, ...m, ...span.literal.text]));
      // Too many combinations: keep the span as a wildcard.
      out = next.length <= MAX_SPELLINGS ? next : out.map((before) => [...before, WILD, ...span.literal.text]);
    }
    return out;
  }
  return [[WILD]];
}

// ---------------------------------------------------------------------------------------
// The page side: the backtick quotes in the "reason" and "message" columns of its tables.

interface Quote {
  line: number;
  text: string;
}

function quotedMessages(markdown: string): Quote[] {
  const quotes: Quote[] = [];
  let columns: number[] | null = null;
  markdown.split('\n').forEach((line, index) => {
    if (!line.startsWith('|')) {
      columns = null;
      return;
    }
    const cells = line.split('|').slice(1, -1);
    if (cells.every((c) => /^\s*-+\s*$/.test(c))) return;
    if (!columns) {
      columns = cells.flatMap((c, i) => (/\b(reason|message)\b/.test(c) ? [i] : []));
      return;
    }
    for (const i of columns) {
      for (const match of (cells[i] ?? '').matchAll(/`([^`]+)`/g)) quotes.push({ line: index + 1, text: match[1] });
    }
  });
  return quotes;
}

/** What the code fills in, in a quote: ellipses, a count written N, and the listed examples. */
const FILLED_IN = new RegExp(`…|\\bN\\b|${[...NOT_OURS, ...EXAMPLES].map((e) => e.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}`, 'g');

/** The quote's own text, in runs between what the code fills in and placeholders like `<file>`. */
function ownRuns(text: string): string[] {
  return text
    .split(FILLED_IN)
    .flatMap((r) => r.split(/<[^>]+>/))
    .filter(Boolean);
}

// ---------------------------------------------------------------------------------------
// Matching.

/** Most letters in a row of the quote's own text allowed unfound: an example value the code fills in. */
const MAX_GAP = 4;
/** Shortest stretch that counts as found (shorter ones occur anywhere). */
const MIN_STRETCH = 8;

const letters = (text: string) => text.replace(/[^\p{L}]/gu, '').length;

/** Where the quote's own text is not found in the corpus: gaps longer than MAX_GAP, if any. */
function unfound(quote: string, corpus: string): string[] {
  const gaps: string[] = [];
  for (const run of ownRuns(quote)) {
    let gap = '';
    for (let at = 0; at < run.length;) {
      let length = 0;
      while (at + length < run.length && corpus.includes(run.slice(at, at + length + 1))) length++;
      // Too short to count, unless a whole literal of its own of 4 or more (a name passed to a message helper).
      if (length < Math.min(MIN_STRETCH, run.length - at)) {
        while (length >= 4 && !corpus.includes(`\0${run.slice(at, at + length)}\0`)) length--;
        if (length < 4) length = 0;
      }
      if (length > 0) {
        if (letters(gap) > MAX_GAP) gaps.push(gap);
        gap = '';
        at += length;
      } else {
        gap += run[at];
        at += 1;
      }
    }
    if (letters(gap) > MAX_GAP) gaps.push(gap);
  }
  return gaps;
}

/** Every spelling of every literal in src/, one after another, WILD as a separator. */
function sourceCorpus(): string {
  const literals = sourceLiterals().map((l) => l.map((p) => (p === WILD ? '\0' : p)).join(''));
  return `\0${literals.join('\0')}\0`;
}

// ---------------------------------------------------------------------------------------

const corpus = sourceCorpus();
const quotes = quotedMessages(readFileSync(join(ROOT, 'docs', 'bad-input.md'), 'utf8'));

test('every message docs/bad-input.md quotes is still in the source', () => {
  assert.ok(quotes.length >= 60, `found ${quotes.length} quoted messages; has the page's table layout changed?`);
  const missing = quotes.flatMap((q) => {
    const gaps = unfound(q.text, corpus);
    return gaps.length ? [`docs/bad-input.md:${q.line}: \`${q.text}\` (not found: ${gaps.map((g) => JSON.stringify(g)).join(', ')})`] : [];
  });
  assert.deepEqual(missing, [], `quoted messages no longer in src/:\n${missing.join('\n')}`);
});

test('the check fails a quote with one word changed', () => {
  // Every quote with a word of five letters or more, its longest word replaced: all must fail.
  const changed = quotes.flatMap((q) => {
    const words =
      ownRuns(q.text)
        .join(' ')
        .match(/[a-z]{5,}/gi) ?? [];
    if (!words.length) return [];
    const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
    return [q.text.replace(longest, 'zqxwvutsr'.repeat(3).slice(0, longest.length))];
  });
  assert.ok(changed.length >= 50, `${changed.length} quotes to change`);
  const passed = changed.filter((text) => unfound(text, corpus).length === 0);
  assert.deepEqual(passed, [], 'still accepted after a change');
});
