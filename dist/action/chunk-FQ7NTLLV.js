import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);

// src/core/report/github-limits.ts
var GITHUB_COMMENT_MAX_CHARS = 65536;
var GITHUB_SUMMARY_MAX_BYTES = 1024 * 1024;
var ACTION_ADDITIONS_MAX_CHARS = 1024;
var COMMENT_LIMIT = { max: GITHUB_COMMENT_MAX_CHARS - ACTION_ADDITIONS_MAX_CHARS, unit: "chars" };
var SUMMARY_LIMIT = { max: GITHUB_SUMMARY_MAX_BYTES - 4 * ACTION_ADDITIONS_MAX_CHARS, unit: "bytes" };
function sizeIn(limit, text) {
  return limit.unit === "bytes" ? Buffer.byteLength(text, "utf8") : text.length;
}

// src/core/report/format.ts
function percent(x, digits = 1) {
  return `${(x * 100).toFixed(digits)}%`;
}
function deltaPoints(delta, digits = 1) {
  const points = delta * 100;
  if (Math.abs(points) < 0.5 * 10 ** -digits) return `\xB1${0 .toFixed(digits)} pp`;
  return `${points > 0 ? "\u25B2" : "\u25BC"} ${Math.abs(points).toFixed(digits)} pp`;
}
function deltaCount(delta) {
  return delta === 0 ? "\xB10" : delta > 0 ? `+${delta}` : `\u2212${-delta}`;
}
function duration(seconds) {
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor(s % 3600 / 60);
  const rest = s % 60;
  return h ? `${h} h${m ? ` ${m} min` : ""}` : `${m} min${rest ? ` ${rest} s` : ""}`;
}
function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}
function integer(n) {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
function rate(x) {
  if (x === 0) return "0";
  if (x >= 0.01) return String(Number(x.toPrecision(3)));
  const [mantissa, exponent] = x.toExponential(1).split("e");
  return `${Number(mantissa)}e${exponent}`;
}
function hidden(units) {
  return units.length ? units.join(", ") : "none";
}
var SOLVER_NAMES = { lbfgs: "L-BFGS", adam: "Adam" };
function adamSetting(c, text) {
  return c.solver === "lbfgs" ? "\u2014" : text;
}
function shellWord(path) {
  return /^[\w./@:+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
function jsString(text) {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}
function trialNumber(index) {
  return index + 1;
}
function interval(low, high, digits = 1) {
  return `${percent(low, digits)}\u2013${percent(high, digits)}`;
}

// src/core/escape.ts
var WORD_JOINER = "\u2060";
var UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
var NAMED = { "\n": "\\n", "\r": "\\r", "	": "\\t" };
function visible(char) {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code < 256 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
}
function showUnsafe(text) {
  return text.replace(UNSAFE_CHARACTERS, visible);
}
function breakCommentOpeners(text) {
  return text.replace(/<!--/g, `<${WORD_JOINER}!--`);
}
function breakReferences(text) {
  return text.replace(/@/g, `@${WORD_JOINER}`).replace(/#(?=\d)/g, `#${WORD_JOINER}`).replace(/\b(gh-)(?=\d)/gi, `$1${WORD_JOINER}`);
}
var HTML_ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "|": "&#124;", "`": "&#96;" };
function htmlText(text) {
  return breakReferences(showUnsafe(text)).replace(/[&<>"'|`]/g, (c) => HTML_ENTITIES[c]);
}
function markdownText(text) {
  return breakReferences(showUnsafe(text)).replace(/[\\`*_{}[\]!|~$]/g, (c) => `\\${c}`).replace(/[&<>]/g, (c) => HTML_ENTITIES[c]).replace(/(\w)(:\/\/)/g, "$1&#58;//").replace(/\b(www)\./gi, "$1&#46;").replace(/^#/, "\\#");
}
function markdownCode(text) {
  const flat = breakCommentOpeners(showUnsafe(text)).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
function mermaidString(text) {
  const flat = showUnsafe(text).replace(/"/g, "'").replace(/[<>]/g, " ").replace(/`/g, "'");
  return `"${breakReferences(flat.replace(/#/g, `#${WORD_JOINER}`))}"`;
}
function chartLabel(text) {
  return breakCommentOpeners(showUnsafe(text));
}
function chartLabels(spec) {
  if (typeof spec === "string") return chartLabel(spec);
  if (Array.isArray(spec)) return spec.map(chartLabels);
  if (spec && typeof spec === "object") return Object.fromEntries(Object.entries(spec).map(([key, value]) => [key, chartLabels(value)]));
  return spec;
}
function logLine(text) {
  return breakCommentOpeners(showUnsafe(text)).replace(/:(?=:)/g, `:${WORD_JOINER}`).replace(/#(?=#\[)/g, `#${WORD_JOINER}`);
}
function jsonForScript(value) {
  return JSON.stringify(value).replace(
    /[<>&]|[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  );
}

export {
  percent,
  deltaPoints,
  deltaCount,
  duration,
  bytes,
  integer,
  rate,
  hidden,
  SOLVER_NAMES,
  adamSetting,
  shellWord,
  jsString,
  trialNumber,
  interval,
  WORD_JOINER,
  UNSAFE_CHARACTERS,
  showUnsafe,
  htmlText,
  markdownText,
  markdownCode,
  mermaidString,
  chartLabels,
  logLine,
  jsonForScript,
  GITHUB_COMMENT_MAX_CHARS,
  GITHUB_SUMMARY_MAX_BYTES,
  COMMENT_LIMIT,
  SUMMARY_LIMIT,
  sizeIn
};
