/**
 * Making text safe to print as (part of) one line of a log.
 *
 * File names, labels and archive entry names come from the dataset, which anyone who can open
 * a pull request can edit, and they reach logs that the CLI writes to a terminal or to a CI
 * job. Printed as they are, a line break could end the line and start another, an ANSI escape
 * could move the cursor or rewrite what was printed, a bidirectional override could make a
 * name read backwards, and a line starting with `::` (or the legacy `##[`) would be read by the
 * GitHub runner as a workflow command (`::set-output`, `::add-mask`, `::stop-commands`).
 *
 * Pure: no `@actions/*`, no process state, so the engine and both adapters can share it.
 */

/** A zero-width space: breaks a command marker without changing how the text reads. */
const ZWSP = '\u200b';

/**
 * C0 and C1 control characters (ESC and the one-byte CSI included), DEL, the Unicode line and
 * paragraph separators, and the bidirectional marks, embeddings, overrides and isolates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * One harmless line: unsafe characters are shown as escapes (`\n`, `\x1b`, `\u202e`), so a file
 * name can still be told apart and found; every `::` and `##[` is broken by a zero-width space,
 * so no part of the text can be read as a workflow command wherever a line ends up starting.
 * Backslashes are left alone (Windows paths stay readable), and percent escapes such as `%0A`
 * stay literal: the runner decodes them only inside a command, and nothing here can start one.
 */
export function escapeLogLine(text: string): string {
  return text
    .replace(UNSAFE, escaped)
    .replace(/:(?=:)/g, `:${ZWSP}`)
    .replace(/#(?=#\[)/g, `#${ZWSP}`);
}
