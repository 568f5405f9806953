import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);

// src/core/report/escape.ts
function flatten(text) {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ");
}
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
function escapeMarkdown(text) {
  return flatten(text).replace(/[\\`*_{}[\]#!|~]/g, (c) => `\\${c}`).replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]).replace(/@/g, "@\u200B").replace(/(\w)(:\/\/)/g, "$1&#58;//").replace(/\b(www)\./gi, "$1&#46;");
}
function markdownCode(text) {
  const flat = flatten(text).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
function mermaidString(text) {
  return `"${flatten(text).replace(/"/g, "'").replace(/[<>]/g, " ").replace(/[`]/g, "'")}"`;
}
function jsonForScript(value) {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export {
  escapeHtml,
  escapeMarkdown,
  markdownCode,
  mermaidString,
  jsonForScript
};
