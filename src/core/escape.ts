/**
 * The escaping policy: how text from outside reaches each output.
 *
 * "Text from outside" is every string that is not one of our own literals: label and file
 * names, archive entry names, URLs, error messages, anything a pull request can write. It
 * reaches the PR comment and the job summary (GitHub Markdown), report.html, Mermaid charts
 * inside the Markdown, Vega chart labels, log lines and annotations. Every such string goes
 * through exactly one function below, chosen by where it lands:
 *
 *   markdownText   Markdown prose and table cells       renders as the same characters
 *   markdownCode   a Markdown code span                  shown verbatim, fenced
 *   htmlText       HTML text and double-quoted attribute values (also HTML inside Markdown)
 *   mermaidString  a double-quoted Mermaid string
 *   chartLabel     a label that Vega draws
 *   logLine        one log line; also annotation messages (@actions/core percent-encodes
 *                  annotation properties, so a file name cannot end the command)
 *   jsonForScript  JSON inside an HTML <script> element
 *
 * The rules:
 *  1. Invisible and line-breaking characters are made visible, as `\n` `\r` `\t`, `\xNN` and
 *     `\uNNNN`: C0 controls, DEL, C1 controls, U+2028/U+2029, and the bidirectional marks
 *     (LRM, RLM, ALM), embeddings and overrides (U+202A–202E) and isolates (U+2066–2069). So
 *     nothing can end a line, a table row or an attribute's line, draw on a terminal, or make
 *     a name read backwards, and a strange name can still be told apart and found.
 *  2. `<!--` never survives: `<` becomes an entity (Markdown, HTML), a space (Mermaid), or
 *     gets a word joiner after it where text stays raw (code spans, logs, chart labels). A
 *     hidden comment could otherwise hide the rest of the report or copy our comment marker.
 *  3. In Markdown, HTML and Mermaid, `@name`, `#123` and `GH-123` can neither ping nor link: a word
 *     joiner (U+2060, invisible, not a break) goes after `@`, and after `#` and `GH-` before
 *     a digit. A backslash would not do: GitHub links `\#123` all the same. (Code spans and
 *     logs are never linked; there the text stays as it is.)
 *  4. In logs, no `::` and no `##[` survive anywhere (a word joiner between), so no line can
 *     start a workflow command wherever the runner or a later prefix splits it.
 *  5. In Markdown, `|` and backticks cannot end a table cell or open a code span, also inside
 *     an HTML attribute in a table row (GitHub splits rows before it reads HTML).
 *
 * Pure: no `@actions/*`, no process state, so the engine and both adapters share it.
 */

/** U+2060 WORD JOINER: invisible, and no line may break at it. */
export const WORD_JOINER = '\u2060';

/** Characters rule 1 makes visible (global: for `replace`, not `test`). */
export const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** Rule 1: every unsafe character as a visible escape. */
export function showUnsafe(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, visible);
}

/** Rule 2, where `<` stays a raw character. */
function breakCommentOpeners(text: string): string {
  return text.replace(/<!--/g, `<${WORD_JOINER}!--`);
}

/** Rule 3: mentions and issue references stay plain text. */
function breakReferences(text: string): string {
  return text
    .replace(/@/g, `@${WORD_JOINER}`)
    .replace(/#(?=\d)/g, `#${WORD_JOINER}`)
    .replace(/\b(gh-)(?=\d)/gi, `$1${WORD_JOINER}`);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '|': '&#124;', '`': '&#96;' };

/**
 * HTML text, or a double-quoted attribute value (`alt`, `title`). `|` and backticks are
 * entities too, so an attribute inside a Markdown table row cannot end the cell.
 */
export function htmlText(text: string): string {
  // References first: the entities' own `#` must stay whole.
  return breakReferences(showUnsafe(text)).replace(/[&<>"'|`]/g, (c) => HTML_ENTITIES[c]);
}

/**
 * Markdown (GitHub flavoured) that renders as the same characters, also in a table cell: it
 * starts no link, image, HTML, emphasis, strike-through or code span, cannot end the cell,
 * and autolinks nothing (bare URLs, `www.`, mentions, references).
 */
export function markdownText(text: string): string {
  // References first: the character references below have a `#` of their own.
  return (
    breakReferences(showUnsafe(text))
      // `(` and `)` need no escape: no `[` survives to start a link before them. `$` would start math.
      .replace(/[\\`*_{}[\]!|~$]/g, (c) => `\\${c}`)
      .replace(/[&<>]/g, (c) => HTML_ENTITIES[c])
      // GitHub autolinks bare URLs; a character reference breaks the scheme and stays text.
      .replace(/(\w)(:\/\/)/g, '$1&#58;//')
      .replace(/\b(www)\./gi, '$1&#46;')
      // Only a leading `#` could start a heading (in a list item); elsewhere it is plain.
      .replace(/^#/, '\\#')
  );
}

/**
 * A code span that shows `text` verbatim, inside a table cell too (GitHub reads `\|` as a
 * pipe there; outside tables it shows the backslash, which no other escape avoids).
 */
export function markdownCode(text: string): string {
  const flat = breakCommentOpeners(showUnsafe(text)).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * A double-quoted Mermaid string (xychart-beta titles and category names): no `"` to close
 * it, no `<` or `>` for its HTML labels, and no `#…;` entity code (a word joiner after `#`).
 */
export function mermaidString(text: string): string {
  const flat = showUnsafe(text).replace(/"/g, "'").replace(/[<>]/g, ' ').replace(/`/g, "'");
  return `"${breakReferences(flat.replace(/#/g, `#${WORD_JOINER}`))}"`;
}

/** A label Vega draws (it escapes XML itself, but draws controls and bidi overrides as they are). */
export function chartLabel(text: string): string {
  return breakCommentOpeners(showUnsafe(text));
}

/**
 * A chart spec with every string in it made a chart label: data rows, scale domains, sort
 * orders and titles alike, so a label matches itself wherever it appears. Our own literals
 * (field names, colours, fonts) contain nothing the rule changes.
 */
export function chartLabels<T>(spec: T): T {
  if (typeof spec === 'string') return chartLabel(spec) as T;
  if (Array.isArray(spec)) return spec.map(chartLabels) as T;
  if (spec && typeof spec === 'object') return Object.fromEntries(Object.entries(spec).map(([key, value]) => [key, chartLabels(value)])) as T;
  return spec;
}

/**
 * One harmless log line: unsafe characters are shown as escapes (`\n`, `\x1b`, `\u202e`), every
 * `::` and `##[` is broken by a word joiner. Backslashes stay (Windows paths stay readable),
 * and percent escapes such as `%0A` stay literal: the runner decodes them only inside a
 * command, and nothing here can start one.
 */
export function logLine(text: string): string {
  return breakCommentOpeners(showUnsafe(text))
    .replace(/:(?=:)/g, `:${WORD_JOINER}`)
    .replace(/#(?=#\[)/g, `#${WORD_JOINER}`);
}

/**
 * JSON that is safe inside an HTML <script> element: no `</script>`, no `<!--`, and none of
 * rule 1's characters raw in the page source (as `\uNNNN` escapes the parsed value is the same).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&]|[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
