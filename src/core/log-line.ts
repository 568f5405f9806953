/**
 * Making text safe to print as (part of) one line of a log: the `logLine` context of the
 * escaping policy in escape.ts (read the policy there).
 *
 * File names, labels and archive entry names come from the dataset, which anyone who can open
 * a pull request can edit, and they reach logs that the CLI writes to a terminal or to a CI
 * job: a line break could start another line, an ANSI escape rewrite what was printed, a
 * bidirectional override make a name read backwards, and a line starting with `::` would be
 * read by the GitHub runner as a workflow command (`::set-output`, `::add-mask`).
 */
export { logLine as escapeLogLine } from './escape.js';
