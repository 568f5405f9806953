/**
 * Escaping for user-controlled text (labels, file names, backbone URLs, warnings) on its way
 * into Markdown, HTML, Mermaid and inline <script> JSON. Every string that did not come from
 * this module's callers' own literals goes through one of these.
 */

/** Control characters and line breaks would end a table row or a heading; show them as spaces. */
function flatten(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/** Text for an HTML element body or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Text for Markdown (GitHub flavoured), safe inside a table cell: it renders as the same
 * characters and can start no link, image, HTML tag, emphasis or code span (it is never put at
 * the start of a line, so `-`, `+` and `1.` need no escape), cannot end the table cell (`|`), and does not @-mention anyone.
 */
export function escapeMarkdown(text: string): string {
  return flatten(text)
    // `(` and `)` need no escape: no `[` survives to start a link before them.
    .replace(/[\\`*_{}[\]#!|~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)
    // A zero-width space after @ stops GitHub turning `@team` into a mention that pings people.
    .replace(/@/g, '@\u200b')
    // Bare URLs are auto-linked by GitHub; break the scheme so they stay text.
    .replace(/(\w)(:\/\/)/g, '$1&#58;//')
    .replace(/\b(www)\./gi, '$1&#46;');
}

/** A Markdown code span that shows `text` verbatim (also inside table cells). */
export function markdownCode(text: string): string {
  const flat = flatten(text).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A double-quoted string for Mermaid (xychart-beta titles and category names). */
export function mermaidString(text: string): string {
  return `"${flatten(text).replace(/"/g, "'").replace(/[<>]/g, ' ').replace(/[`]/g, "'")}"`;
}

/** JSON that is safe inside an HTML <script> element (no `</script>`, no `<!--`, no U+2028). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
