/**
 * The report's names for the escaping policy in src/core/escape.ts (read the policy there).
 * Every string that did not come from the renderers' own literals goes through one of these.
 */
export { htmlText as escapeHtml, markdownText as escapeMarkdown, chartLabel, chartLabels, jsonForScript, markdownCode, mermaidString } from '../escape.js';
