import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  escapeHtml,
  escapeMarkdown,
  jsonForScript,
  markdownCode,
  mermaidString
} from "./chunk-CXI3IYM5.js";
import {
  writeFileAtomic
} from "./chunk-KTKKD3V5.js";
import "./chunk-IR3KUOTZ.js";
import "./chunk-MS7UHTHQ.js";

// src/core/report/index.ts
import { join as join3 } from "node:path";

// src/core/report/browser-scripts.ts
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
var require2 = createRequire(import.meta.url);
var BUILDS = [
  { name: "vega", file: "vega.min.js" },
  { name: "vega-lite", file: "vega-lite.min.js" },
  { name: "vega-embed", file: "vega-embed.min.js" }
];
var cached;
function loadBrowserScripts() {
  cached ??= Promise.all(
    BUILDS.map(async ({ name, file }) => {
      let path;
      try {
        path = join(dirname(require2.resolve(name)), file);
        const source = await readFile(path, "utf8");
        return { name, source: source.replace(/<\/(script)/gi, "<\\/$1") };
      } catch (error) {
        throw new Error(`The HTML report needs the npm package ${name} (its ${file}); install it with npm install ${name}. ${error.message}`);
      }
    })
  ).catch((error) => {
    cached = void 0;
    throw error;
  });
  return cached;
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
function describeConfigShort(c) {
  return `lr ${rate(c.learningRate)}, batch ${c.batchSize}, hidden ${hidden(c.hiddenUnits)}, dropout ${c.dropout}, weight decay ${rate(c.weightDecay)}, label smoothing ${c.labelSmoothing}`;
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

// src/core/report/charts.ts
var SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
var FONT = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, "DejaVu Sans", sans-serif';
var WINNER = "#2563eb";
var OTHER = "#9ca3af";
var PALETTE = ["#2563eb", "#f97316", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"];
var MIN_STEP = 11;
var config = {
  font: FONT,
  background: "white",
  padding: 12,
  view: { stroke: null },
  title: { fontSize: 15, fontWeight: 600, anchor: "start", color: "#111827", subtitleColor: "#4b5563", subtitleFontSize: 12, offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelColor: "#374151", titleColor: "#374151", gridColor: "#e5e7eb", domainColor: "#9ca3af", tickColor: "#9ca3af", labelLimit: 260 },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelLimit: 320 },
  range: { category: PALETTE }
};
function chart(name, title, subtitle, body) {
  const spec = { $schema: SCHEMA, title: subtitle ? { text: title, subtitle } : title, config, ...body };
  return { name, title, spec };
}
function curvesChart(result) {
  const rows = result.bakeOff.candidates.flatMap(
    (c) => c.curve.flatMap((p) => [
      { candidate: c.displayName, epoch: p.epoch, metric: "loss", split: "training", value: p.trainLoss },
      { candidate: c.displayName, epoch: p.epoch, metric: "loss", split: "validation", value: p.valLoss },
      { candidate: c.displayName, epoch: p.epoch, metric: "accuracy", split: "training", value: p.trainAccuracy },
      { candidate: c.displayName, epoch: p.epoch, metric: "accuracy", split: "validation", value: p.valAccuracy }
    ])
  );
  if (rows.length === 0) return null;
  const layer = (metric) => ({
    width: 330,
    height: 220,
    transform: [{ filter: { field: "metric", equal: metric } }],
    mark: { type: "line", strokeWidth: 2, interpolate: "monotone" },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1, format: "d" } },
      y: {
        field: "value",
        type: "quantitative",
        title: metric === "loss" ? "loss (lower is better)" : "accuracy (higher is better)",
        scale: { zero: false },
        ...metric === "accuracy" ? { axis: { format: ".0%" } } : {}
      },
      color: { field: "candidate", type: "nominal", title: "backbone", sort: result.bakeOff.candidates.map((c) => c.displayName) },
      strokeDash: { field: "split", type: "nominal", title: "split", scale: { domain: ["training", "validation"], range: [[5, 3], [1, 0]] } },
      tooltip: [
        { field: "candidate", title: "backbone" },
        { field: "split" },
        { field: "epoch" },
        { field: "value", title: metric, format: metric === "loss" ? ".3f" : ".1%" }
      ]
    }
  });
  return chart("curves", "Bake-off: learning curves", "Solid: validation, dashed: training", {
    data: { values: rows },
    hconcat: [layer("loss"), layer("accuracy")],
    resolve: { scale: { color: "shared", strokeDash: "shared" } }
  });
}
function leaderboardChart(result) {
  const ranked = [...result.bakeOff.candidates].sort((a, b) => (b.error ? -1 : b.valAccuracy) - (a.error ? -1 : a.valAccuracy));
  const rows = ranked.map((c) => ({
    backbone: c.displayName,
    valAccuracy: c.error ? 0 : c.valAccuracy,
    winner: c.backbone === result.bakeOff.winner ? "winner" : "other",
    seconds: Math.round(c.embedSeconds + c.trainSeconds),
    note: c.error ? "failed" : `${(c.valAccuracy * 100).toFixed(1)}%`
  }));
  if (rows.length === 0) return null;
  const y = { field: "backbone", type: "nominal", title: null, sort: rows.map((r) => r.backbone) };
  return chart("leaderboard", "Bake-off: validation accuracy", "The winner is tuned next", {
    data: { values: rows },
    width: 420,
    height: { step: 30 },
    encoding: { y },
    layer: [
      {
        mark: { type: "bar", cornerRadiusEnd: 3, height: { band: 0.7 } },
        encoding: {
          x: { field: "valAccuracy", type: "quantitative", title: "validation accuracy", scale: { domain: [0, 1] }, axis: { format: ".0%" } },
          color: { field: "winner", type: "nominal", scale: { domain: ["winner", "other"], range: [WINNER, OTHER] }, legend: null },
          tooltip: [{ field: "backbone" }, { field: "note", title: "validation accuracy" }, { field: "seconds", title: "seconds" }]
        }
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 11, color: "#111827" },
        encoding: { x: { field: "valAccuracy", type: "quantitative" }, text: { field: "note" } }
      }
    ]
  });
}
function trialsChart(result) {
  const rows = result.tuning.trials.map((t) => ({
    trial: trialNumber(t.index),
    learningRate: t.config.learningRate,
    valAccuracy: t.valAccuracy,
    status: t.index === result.tuning.bestTrial ? "chosen" : t.status,
    config: describeConfigShort(t.config),
    epochs: t.epochs
  }));
  if (rows.length === 0) return null;
  return chart("trials", "Hyperparameter round: score by learning rate", `${rows.length} trial${rows.length === 1 ? "" : "s"} on ${result.tuning.backbone}`, {
    data: { values: rows },
    width: 420,
    height: 240,
    mark: { type: "point", filled: true, size: 80, opacity: 0.85 },
    encoding: {
      x: { field: "learningRate", type: "quantitative", title: "learning rate (log scale)", scale: { type: "log" }, axis: { format: ".0e", tickCount: 5 } },
      y: { field: "valAccuracy", type: "quantitative", title: "validation accuracy", scale: { zero: false }, axis: { format: ".0%" } },
      color: {
        field: "status",
        type: "nominal",
        title: "trial",
        scale: { domain: ["chosen", "seed", "completed", "pruned"], range: ["#16a34a", WINNER, "#60a5fa", OTHER] }
      },
      shape: { field: "status", type: "nominal", scale: { domain: ["chosen", "seed", "completed", "pruned"], range: ["diamond", "square", "circle", "cross"] } },
      size: { condition: { test: "datum.status === 'chosen'", value: 220 }, value: 80 },
      tooltip: [
        { field: "trial" },
        { field: "status" },
        { field: "valAccuracy", title: "validation accuracy", format: ".1%" },
        { field: "learningRate", title: "learning rate", format: ".2e" },
        { field: "config" },
        { field: "epochs" }
      ]
    }
  });
}
function confusionChart(result) {
  const { labels, matrix } = result.test.confusion;
  if (labels.length === 0) return null;
  const rows = labels.flatMap((trueLabel, i) => {
    const total = (matrix[i] ?? []).reduce((a, b) => a + b, 0);
    return labels.map((predicted, j) => {
      const count = matrix[i]?.[j] ?? 0;
      return { trueLabel, predicted, count, share: total ? count / total : 0, correct: i === j };
    });
  });
  const step = Math.max(MIN_STEP, Math.min(44, Math.floor(560 / labels.length)));
  const showCounts = step >= 22;
  const labelFontSize = Math.min(11, step - 1);
  return chart("confusion", "Test set: confusion matrix", "Rows: true label. Columns: predicted. Colour: share of the row", {
    // Empty cells are not drawn (a 60-label matrix is mostly zeros); the plot's fill shows through.
    data: { values: rows.filter((r) => r.count > 0) },
    width: { step },
    height: { step },
    view: { fill: "#f8fafc", stroke: "#e5e7eb" },
    encoding: {
      x: {
        field: "predicted",
        type: "nominal",
        title: "predicted label",
        scale: { domain: labels },
        axis: { orient: "top", labelAngle: labels.length > 12 ? -90 : -45, labelFontSize, labelLimit: 220 }
      },
      y: { field: "trueLabel", type: "nominal", title: "true label", scale: { domain: labels }, axis: { labelFontSize, labelLimit: 220 } }
    },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: step > 14 ? 1 : 0.5 },
        encoding: {
          color: { field: "share", type: "quantitative", title: "share of row", scale: { scheme: "blues", domain: [0, 1] }, legend: { format: ".0%", gradientLength: Math.min(200, step * labels.length) } },
          tooltip: [{ field: "trueLabel", title: "true" }, { field: "predicted" }, { field: "count" }, { field: "share", format: ".1%" }]
        }
      },
      ...showCounts ? [{
        mark: { type: "text", fontSize: step >= 32 ? 12 : 10 },
        encoding: {
          text: { field: "count", type: "quantitative" },
          color: { condition: { test: "datum.share > 0.5", value: "white" }, value: "#111827" }
        }
      }] : []
    ]
  });
}
function perLabelChart(result, baseline) {
  const before = new Map(baseline?.test.perLabel.map((p) => [p.label, p.f1]) ?? []);
  const rows = result.test.perLabel.map((p) => ({ label: p.label, f1: p.f1, precision: p.precision, recall: p.recall, support: p.support, baselineF1: before.get(p.label) ?? null }));
  if (rows.length === 0) return null;
  const step = Math.max(MIN_STEP + 3, Math.min(26, Math.floor(640 / rows.length)));
  const order = [...rows].sort((a, b) => a.f1 - b.f1 || a.label.localeCompare(b.label)).map((r) => r.label);
  const y = { field: "label", type: "nominal", title: null, sort: order };
  const x = { field: "f1", type: "quantitative", title: "F1 on the test set", scale: { domain: [0, 1] }, axis: { format: ".0%" } };
  const hasBaseline = rows.some((r) => r.baselineF1 !== null);
  return chart("per-label-f1", "Test set: F1 per label", hasBaseline ? "Worst first. Black tick: baseline F1" : "Worst first", {
    data: { values: rows },
    width: 420,
    height: { step },
    encoding: { y },
    layer: [
      {
        mark: { type: "bar", cornerRadiusEnd: 2, height: { band: 0.72 } },
        encoding: {
          x,
          color: { value: WINNER },
          tooltip: [
            { field: "label" },
            { field: "f1", title: "F1", format: ".1%" },
            { field: "precision", format: ".1%" },
            { field: "recall", format: ".1%" },
            { field: "support", title: "test images" },
            ...hasBaseline ? [{ field: "baselineF1", title: "baseline F1", format: ".1%" }] : []
          ]
        }
      },
      ...hasBaseline ? [{
        transform: [{ filter: "datum.baselineF1 != null" }],
        mark: { type: "tick", color: "#111827", thickness: 2, size: step * 0.8 },
        encoding: { x: { field: "baselineF1", type: "quantitative" } }
      }] : []
    ]
  });
}
function datasetChart(result) {
  const rows = result.dataset.counts.flatMap((c) => [
    { label: c.label, split: "train", images: c.train, order: 0 },
    { label: c.label, split: "validation", images: c.val, order: 1 },
    { label: c.label, split: "test", images: c.test, order: 2 }
  ]);
  if (rows.length === 0) return null;
  const step = Math.max(MIN_STEP + 3, Math.min(26, Math.floor(640 / result.dataset.counts.length)));
  return chart("dataset", "Dataset: images per label", `${result.dataset.images} images, ${result.dataset.labels.length} labels`, {
    data: { values: rows },
    width: 420,
    height: { step },
    mark: { type: "bar", height: { band: 0.72 } },
    encoding: {
      y: { field: "label", type: "nominal", title: null, sort: result.dataset.counts.map((c) => c.label) },
      x: { field: "images", type: "quantitative", title: "images", stack: "zero" },
      color: { field: "split", type: "nominal", title: "split", scale: { domain: ["train", "validation", "test"], range: [WINNER, "#f97316", "#16a34a"] } },
      order: { field: "order" },
      tooltip: [{ field: "label" }, { field: "split" }, { field: "images" }]
    }
  });
}
function buildCharts(result, baseline) {
  return [
    leaderboardChart(result),
    curvesChart(result),
    trialsChart(result),
    perLabelChart(result, baseline),
    confusionChart(result),
    datasetChart(result)
  ].filter((c) => c !== null);
}

// src/core/report/html.ts
import { createHash } from "node:crypto";

// src/core/report/verdict.ts
var SAME_THRESHOLD = 5e-3;
function labelDeltas(result, baseline) {
  const before = new Map(baseline.test.perLabel.map((p) => [p.label, p.f1]));
  return result.test.perLabel.map((p) => {
    const b = before.get(p.label);
    return { label: p.label, f1: p.f1, baselineF1: b ?? null, delta: b === void 0 ? null : p.f1 - b };
  }).sort((a, b) => Math.abs(b.delta ?? 0) - Math.abs(a.delta ?? 0) || a.label.localeCompare(b.label));
}
function clipLabel(label) {
  return label.length > 40 ? `${label.slice(0, 39)}\u2026` : label;
}
function verdict(result, baseline) {
  const acc = result.test.accuracy;
  if (!baseline) {
    const chance = result.dataset.labels.length ? 1 / result.dataset.labels.length : 0;
    const weakest = [...result.test.perLabel].sort((a, b) => a.f1 - b.f1)[0];
    const quality = acc >= 0.9 ? "Strong" : acc >= 0.75 ? "Usable" : acc > chance + 0.1 ? "Weak" : "Not learning";
    const parts2 = [`${quality}: ${percent(acc)} test accuracy on ${integer(result.test.images)} images (chance is ${percent(chance, 0)})`];
    if (weakest && result.test.perLabel.length > 1) parts2.push(`weakest label: ${clipLabel(weakest.label)} (F1 ${percent(weakest.f1)})`);
    if (result.test.images < 50) parts2.push("few test images, so treat these numbers as rough");
    return { tone: "standalone", text: `${parts2.join("; ")}.` };
  }
  const delta = acc - baseline.test.accuracy;
  const tone = delta >= SAME_THRESHOLD ? "better" : delta <= -SAME_THRESHOLD ? "worse" : "same";
  const head = { better: "Better than the baseline", worse: "Worse than the baseline", same: "About the same as the baseline" }[tone];
  const parts = [`${head}: test accuracy ${deltaPoints(delta)} (${percent(baseline.test.accuracy)} \u2192 ${percent(acc)})`];
  const moved = labelDeltas(result, baseline).filter((d) => d.delta !== null && Math.abs(d.delta) >= 0.02);
  const gain = moved.filter((d) => d.delta > 0).sort((a, b) => b.delta - a.delta)[0];
  const loss = moved.filter((d) => d.delta < 0).sort((a, b) => a.delta - b.delta)[0];
  if (gain) parts.push(`biggest gain ${clipLabel(gain.label)} (F1 ${deltaPoints(gain.delta)})`);
  if (loss) parts.push(`biggest drop ${clipLabel(loss.label)} (F1 ${deltaPoints(loss.delta)})`);
  if (baseline.dataset.fingerprint !== result.dataset.fingerprint) parts.push("the dataset changed, so the test sets differ");
  return { tone, text: `${parts.join("; ")}.` };
}

// src/core/report/tables.ts
var MAX_CELL_CHARS = 80;
var STAGE_NAMES = { scan: "reading the data", embed: "embeddings", bakeOff: "bake-off", tuning: "hyperparameter round", fineTune: "fine-tuning", refit: "final fit", evaluate: "evaluation", export: "export", total: "total" };
function clip(text, max = MAX_CELL_CHARS) {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}\u2026` : text;
}
function limited(columns, rows, limit) {
  return { columns, rows: rows.slice(0, Math.max(0, limit)), total: rows.length };
}
var left = (title) => ({ title, align: "left" });
var right = (title) => ({ title, align: "right" });
function winnerOf(result) {
  return result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
}
function winnerName(result) {
  return clip(winnerOf(result)?.displayName ?? result.bakeOff.winner);
}
function totalSeconds(result) {
  return result.timings.find((t) => t.stage === "total")?.seconds ?? result.budget.usedSeconds;
}
function backendLine(result) {
  const b = result.backend;
  return `${b.name} (${b.package}, ${b.gpu ? "GPU" : "CPU"}, ${b.threads} thread${b.threads === 1 ? "" : "s"})`;
}
function topKText(result) {
  return result.test.topK ? `; top-${result.test.topK.k}: ${percent(result.test.topK.accuracy)}` : "";
}
function keyNumbers(result) {
  const d = result.dataset;
  const tuned = result.tuning.bestTrial >= 0 ? `, tuned (trial ${trialNumber(result.tuning.bestTrial)} of ${result.tuning.trials.length})` : ", bake-off head kept";
  const rows = [
    ["Winner", { text: `${winnerName(result)}${tuned}`, strong: true }],
    ["Test accuracy", { text: `${percent(result.test.accuracy)} on ${integer(result.test.images)} images${topKText(result)}`, strong: true }],
    ["Macro F1", percent(result.test.macroF1)],
    ["Dataset", `${integer(d.images)} images, ${d.labels.length} labels${d.skipped.length ? `, ${d.skipped.length} skipped` : ""}`],
    ["Backend", backendLine(result)],
    ["Time", `${duration(totalSeconds(result))} of a ${duration(result.budget.seconds)} budget${result.budget.exhausted ? " (budget ran out: some stages were cut short)" : ""}`]
  ];
  return limited([left(""), left("")], rows, rows.length);
}
function comparison(result, baseline) {
  const row = (name, now, before, strong = false) => [
    name,
    strong ? { text: percent(now), strong } : percent(now),
    percent(before),
    strong ? { text: deltaPoints(now - before), strong } : deltaPoints(now - before)
  ];
  const rows = [row("Test accuracy", result.test.accuracy, baseline.test.accuracy, true)];
  if (result.test.topK && baseline.test.topK && result.test.topK.k === baseline.test.topK.k) {
    rows.push(row(`Top-${result.test.topK.k} accuracy`, result.test.topK.accuracy, baseline.test.topK.accuracy));
  }
  rows.push(row("Macro F1", result.test.macroF1, baseline.test.macroF1));
  rows.push(["Images", integer(result.dataset.images), integer(baseline.dataset.images), deltaCount(result.dataset.images - baseline.dataset.images)]);
  rows.push(["Labels", String(result.dataset.labels.length), String(baseline.dataset.labels.length), deltaCount(result.dataset.labels.length - baseline.dataset.labels.length)]);
  rows.push(["Winner", winnerName(result), winnerName(baseline), result.bakeOff.winner === baseline.bakeOff.winner ? "same" : "changed"]);
  rows.push(["Backend", backendLine(result), backendLine(baseline), result.backend.name === baseline.backend.name ? "same" : "changed"]);
  const time = (r) => `${duration(totalSeconds(r))} of ${duration(r.budget.seconds)}${r.budget.exhausted ? " (ran out)" : ""}`;
  rows.push(["Time (of the budget)", time(result), time(baseline), ""]);
  return limited([left(""), right("This run"), right("Baseline"), right("Change")], rows, rows.length);
}
function labelChanges(result, baseline, limit) {
  const rows = labelDeltas(result, baseline).map((d) => [
    clip(d.label),
    d.baselineF1 === null ? "new" : percent(d.baselineF1),
    percent(d.f1),
    d.delta === null ? "" : deltaPoints(d.delta)
  ]);
  return limited([left("Label"), right("Baseline F1"), right("F1"), right("Change")], rows, limit);
}
function leaderboard(result, limit) {
  const ranked = [...result.bakeOff.candidates].sort((a, b) => Number(Boolean(a.error)) - Number(Boolean(b.error)) || b.valAccuracy - a.valAccuracy || a.valLoss - b.valLoss);
  const rows = ranked.map((c, i) => {
    const winner = c.backbone === result.bakeOff.winner;
    const name = `${clip(c.displayName)}${winner ? " (winner)" : ""}`;
    if (c.error) return [String(i + 1), name, String(c.inputSize), `failed: ${clip(c.error)}`, "", "", duration(c.embedSeconds + c.trainSeconds)];
    return [
      String(i + 1),
      winner ? { text: name, strong: true } : name,
      c.kind === "scratch" ? `${c.inputSize} (from scratch)` : String(c.inputSize),
      winner ? { text: percent(c.valAccuracy), strong: true } : percent(c.valAccuracy),
      c.valLoss.toFixed(3),
      `${c.bestEpoch} / ${c.epochs}`,
      c.embeddingsCached && !c.embeddingsComputed ? `${duration(c.trainSeconds)} (embeddings cached)` : duration(c.embedSeconds + c.trainSeconds)
    ];
  });
  return limited([right("Rank"), left("Backbone"), right("Input"), right("Val accuracy"), right("Val loss"), right("Best epoch / run"), right("Time")], rows, limit);
}
function trials(result, limit) {
  const sorted = [...result.tuning.trials].sort((a, b) => b.valAccuracy - a.valAccuracy || a.valLoss - b.valLoss || a.index - b.index);
  const rows = sorted.map((t) => {
    const chosen = t.index === result.tuning.bestTrial;
    const status = chosen ? "chosen" : t.status;
    return [
      chosen ? { text: String(trialNumber(t.index)), strong: true } : String(trialNumber(t.index)),
      chosen ? { text: percent(t.valAccuracy), strong: true } : percent(t.valAccuracy),
      t.valLoss.toFixed(3),
      rate(t.config.learningRate),
      String(t.config.batchSize),
      hidden(t.config.hiddenUnits),
      String(t.config.dropout),
      rate(t.config.weightDecay),
      String(t.config.labelSmoothing),
      String(t.epochs),
      duration(t.seconds),
      status
    ];
  });
  return limited(
    [right("Trial"), right("Val accuracy"), right("Val loss"), right("Learning rate"), right("Batch"), right("Hidden"), right("Dropout"), right("Weight decay"), right("Label smoothing"), right("Epochs"), right("Time"), left("Status")],
    rows,
    limit
  );
}
function perLabel(result, baseline, limit) {
  const before = new Map(baseline?.test.perLabel.map((p) => [p.label, p.f1]) ?? []);
  const all = result.test.perLabel;
  const ordered = all.length > limit ? [...all].sort((a, b) => a.f1 - b.f1 || a.label.localeCompare(b.label)) : all;
  const rows = ordered.map((p) => {
    const b = before.get(p.label);
    return [
      clip(p.label),
      percent(p.precision),
      percent(p.recall),
      percent(p.f1),
      ...baseline ? [b === void 0 ? "new" : deltaPoints(p.f1 - b)] : [],
      String(p.support)
    ];
  });
  const columns = [left("Label"), right("Precision"), right("Recall"), right("F1"), ...baseline ? [right("F1 change")] : [], right("Test images")];
  return limited(columns, rows, limit);
}
function confusionMatrix(result, maxLabelChars = 24) {
  const { labels, matrix } = result.test.confusion;
  const rows = labels.map((label, i) => [
    { text: clip(label, maxLabelChars), strong: true },
    ...labels.map((_, j) => {
      const n = matrix[i]?.[j] ?? 0;
      return i === j ? { text: String(n), strong: true } : n === 0 ? "\xB7" : String(n);
    })
  ]);
  return limited([left("True \u2193 / predicted \u2192"), ...labels.map((l) => right(clip(l, maxLabelChars)))], rows, rows.length);
}
function confusedPairs(result, limit) {
  const { labels, matrix } = result.test.confusion;
  const pairs = [];
  labels.forEach((_, i) => {
    const row = matrix[i] ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((n, j) => {
      if (i !== j && n > 0) pairs.push({ t: i, p: j, n, share: total ? n / total : 0 });
    });
  });
  pairs.sort((a, b) => b.n - a.n || b.share - a.share || a.t - b.t || a.p - b.p);
  const rows = pairs.map((x) => [clip(labels[x.t]), clip(labels[x.p]), String(x.n), percent(x.share)]);
  return limited([left("True label"), left("Predicted as"), right("Images"), right("Share of true label")], rows, limit);
}
function mistakes(result, limit, thumbnails) {
  const withPictures = Boolean(thumbnails?.size);
  const rows = result.test.mistakes.map((m) => {
    const url = thumbnails?.get(m.sha256);
    return [
      ...withPictures ? [url ? { image: url, alt: clip(m.file, 40) } : ""] : [],
      { text: clip(m.file), code: true },
      clip(m.trueLabel),
      clip(m.predictedLabel),
      percent(m.confidence, 0)
    ];
  });
  return limited([...withPictures ? [left("")] : [], left("File"), left("True label"), left("Predicted"), right("Confidence")], rows, limit);
}
function counts(result, baseline, limit) {
  const before = new Map(baseline?.dataset.counts.map((c) => [c.label, c.total]) ?? []);
  const rows = result.dataset.counts.map((c) => [
    clip(c.label),
    integer(c.train),
    integer(c.val),
    integer(c.test),
    integer(c.total),
    ...baseline ? [before.has(c.label) ? deltaCount(c.total - before.get(c.label)) : "new"] : []
  ]);
  const columns = [left("Label"), right("Train"), right("Val"), right("Test"), right("Total"), ...baseline ? [right("Change")] : []];
  return limited(columns, rows, limit);
}
function skipped(result, limit) {
  const rows = result.dataset.skipped.map((s) => [{ text: clip(s.file), code: true }, clip(s.reason, 160)]);
  return limited([left("File"), left("Reason")], rows, limit);
}
function modelFiles(result, limit) {
  const rows = result.model.files.map((f) => [{ text: clip(f.name), code: true }, bytes(f.bytes), { text: f.sha256.slice(0, 12), code: true }]);
  return limited([left("File"), right("Size"), left("SHA-256 (start)")], rows, limit);
}
function timings(result) {
  const rows = result.timings.map((t) => [STAGE_NAMES[t.stage] ?? t.stage, duration(t.seconds)]);
  return limited([left("Stage"), right("Time")], rows, rows.length);
}
function layerSummary(result, limit) {
  const m = result.model;
  const all = m.layers.map((l) => [clip(`${l.name} (${l.className})`, 60), clip(l.outputShape, 28), integer(l.params), l.trainable ? "" : "frozen"]);
  let shown = all;
  if (all.length > limit) {
    const head = Math.ceil((limit - 1) / 2);
    const tail = Math.max(0, limit - 1 - head);
    shown = [...all.slice(0, head), [`\u2026 ${all.length - head - tail} more layers \u2026`, "", "", ""], ...tail ? all.slice(-tail) : []];
  }
  const header = ["Layer (type)", "Output shape", "Params", ""];
  const widths = [0, 1, 2].map((i) => Math.max(header[i].length, ...shown.map((r) => r[i].length)));
  const line = (r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padStart(widths[2])}${r[3] ? `  ${r[3]}` : ""}`.trimEnd();
  const width = widths[0] + widths[1] + widths[2] + 4 + 8;
  const total = m.trainableParams + m.nonTrainableParams;
  return [
    line(header),
    "=".repeat(width),
    ...shown.map(line),
    "=".repeat(width),
    `Total params: ${integer(total)}`,
    `Trainable params: ${integer(m.trainableParams)}`,
    `Non-trainable params: ${integer(m.nonTrainableParams)}`
  ].join("\n");
}

// src/core/report/html.ts
var ALL = Number.MAX_SAFE_INTEGER;
function safeDataImage(uri) {
  return uri && /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/.test(uri) ? uri : null;
}
function cell(c, header = false) {
  const tag = header ? "th" : "td";
  if (typeof c === "string") return `<${tag}>${escapeHtml(c)}</${tag}>`;
  if ("image" in c) return `<${tag}><img class="thumb" src="${escapeHtml(c.image)}" alt="${escapeHtml(c.alt)}"></${tag}>`;
  const text = escapeHtml(c.text);
  return `<${tag}>${c.code ? `<code>${text}</code>` : c.strong ? `<strong>${text}</strong>` : text}</${tag}>`;
}
function table(t, className = "") {
  const align = (i) => t.columns[i]?.align === "right" ? ' class="num"' : "";
  const head = t.columns.some((c) => c.title) ? `<thead><tr>${t.columns.map((c, i) => `<th${align(i)}>${escapeHtml(c.title)}</th>`).join("")}</tr></thead>` : "";
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => cell(c).replace(/^<td>/, `<td${align(i)}>`)).join("")}</tr>`).join("\n");
  return `<div class="table-wrap"><table${className ? ` class="${className}"` : ""}>${head}<tbody>
${rows}
</tbody></table></div>`;
}
function chart2(charts, name) {
  const c = charts.find((x) => x.name === name);
  if (!c) return "";
  return `<figure class="chart"><div class="vega" id="chart-${escapeHtml(c.name)}" data-chart="${escapeHtml(c.name)}" role="img" aria-label="${escapeHtml(c.title)}"></div></figure>`;
}
function section(id, title, body) {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>
${body}
</section>`;
}
function details(summary, body, open = false) {
  return `<details${open ? " open" : ""}><summary>${escapeHtml(summary)}</summary>
${body}
</details>`;
}
function card(label, value, note = "", text = false) {
  return `<div class="card"><div class="card-label">${escapeHtml(label)}</div><div class="card-value${text ? " text" : ""}">${escapeHtml(value)}</div>${note ? `<div class="card-note">${escapeHtml(note)}</div>` : ""}</div>`;
}
function renderHtml(result, options) {
  const { baseline, charts } = options;
  const v = verdict(result, baseline);
  const test = result.test;
  const d = result.dataset;
  const change = (now, before) => before === void 0 ? "" : `${deltaPoints(now - before)} vs baseline`;
  const cards = [
    card("Test accuracy", percent(test.accuracy), change(test.accuracy, baseline?.test.accuracy)),
    ...test.topK ? [card(`Top-${test.topK.k} accuracy`, percent(test.topK.accuracy), baseline?.test.topK?.k === test.topK.k ? change(test.topK.accuracy, baseline.test.topK.accuracy) : "")] : [],
    card("Macro F1", percent(test.macroF1), change(test.macroF1, baseline?.test.macroF1)),
    card("Winner", winnerName(result), result.tuning.bestTrial >= 0 ? `tuned: trial ${trialNumber(result.tuning.bestTrial)}` : "bake-off head kept", true),
    card("Data", `${integer(d.images)} images`, `${d.labels.length} labels${d.skipped.length ? `, ${d.skipped.length} skipped` : ""}`),
    card("Time", duration(totalSeconds(result)), `of ${duration(result.budget.seconds)} budget${result.budget.exhausted ? " (ran out)" : ""}`)
  ].join("\n");
  const headline2 = `<header>
<h1>classifier-ci report</h1>
<p class="verdict tone-${v.tone}">${escapeHtml(v.text)}</p>
<div class="cards">${cards}</div>
${baseline ? details("Compared with the baseline", table(comparison(result, baseline)) + table(labelChanges(result, baseline, ALL)), true) : ""}
</header>`;
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const chosen = result.tuning.trials.find((t) => t.index === result.tuning.bestTrial);
  const bakeOff = section("bake-off", "Bake-off", `<p>${result.bakeOff.candidates.length} backbones trained a head each on the same split; the best validation accuracy won.</p>
${table(leaderboard(result, ALL))}
<div class="charts">${chart2(charts, "leaderboard")}${chart2(charts, "curves")}</div>`);
  const ft = result.tuning.fineTune;
  const tuning = section("tuning", "Hyperparameter round", `<p>${escapeHtml(winnerName(result))}: ${result.tuning.trials.length} trials in ${escapeHtml(duration(result.tuning.seconds))} (${escapeHtml(result.tuning.strategy)}). ${chosen ? `Chosen: <strong>trial ${trialNumber(chosen.index)}</strong>, ${percent(chosen.valAccuracy)} validation accuracy${winner ? ` (bake-off head: ${percent(winner.valAccuracy)})` : ""}.` : `No trial beat the bake-off head${winner ? ` (${percent(winner.valAccuracy)})` : ""}, so it was kept.`}</p>
<p>Config: <code>${escapeHtml(describeConfigShort(result.tuning.best))}</code></p>
<p>Fine-tuning the top of the backbone: ${ft.applied ? `applied${ft.valAccuracy !== void 0 ? `, ${percent(ft.valAccuracy)} validation accuracy` : ""}` : "skipped"}; ${escapeHtml(ft.reason)}.</p>
${result.tuning.refit ? `<p>Final fit: ${result.tuning.refit.applied ? "" : "skipped; "}${escapeHtml(result.tuning.refit.reason)}.</p>
` : ""}<div class="charts">${chart2(charts, "trials")}</div>
${result.tuning.trials.length ? details(`All ${result.tuning.trials.length} trials, best first`, table(trials(result, ALL))) : ""}`);
  const labels = test.confusion.labels.length;
  const thumbnails = new Map(test.mistakes.flatMap((m2) => {
    const uri = safeDataImage(m2.thumbnail);
    return uri ? [[m2.sha256, uri]] : [];
  }));
  const testSection2 = section("test", "Test set", `<p>${integer(test.images)} images the model never saw while training or choosing: accuracy ${percent(test.accuracy)}${test.topK ? `, top-${test.topK.k} ${percent(test.topK.accuracy)}` : ""}, macro F1 ${percent(test.macroF1)}.</p>
<div class="charts">${chart2(charts, "per-label-f1")}${chart2(charts, "confusion")}</div>
${details(`Precision, recall and F1 for all ${test.perLabel.length} labels`, table(perLabel(result, baseline, ALL)), test.perLabel.length <= 20)}
${labels && labels <= 20 ? details("Confusion matrix as a table (rows: true label, columns: predicted)", table(confusionMatrix(result), "matrix")) : ""}
${labels > 20 ? details("Most confused label pairs", table(confusedPairs(result, ALL))) : ""}
${test.mistakes.length ? details(`The ${test.mistakes.length} most confident mistakes`, table(mistakes(result, ALL, thumbnails)), test.mistakes.length <= 10) : ""}`);
  const how = d.splitMode === "hash" ? "split by content hash (stable across runs)" : "split by its train/, val/ and test/ folders";
  const dataset = section("dataset", "Dataset", `<p><code>${escapeHtml(d.root)}</code>: ${integer(d.images)} images in ${d.labels.length} labels, ${how}: ${integer(d.split.train)} train, ${integer(d.split.val)} validation, ${integer(d.split.test)} test.</p>
${d.warnings.length ? `<div class="warnings"><strong>Warnings</strong><ul>${d.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul></div>` : ""}
<div class="charts">${chart2(charts, "dataset")}</div>
${details("Images per label and split", table(counts(result, baseline, ALL)))}
${d.skipped.length ? details(`${integer(d.skipped.length)} files skipped`, table(skipped(result, ALL)), d.skipped.length <= 10) : ""}`);
  const m = result.model;
  const modelBytes = m.files.reduce((n, f) => n + f.bytes, 0);
  const model = section("model", "Model", `<p><code>${escapeHtml(m.dir)}</code>: ${bytes(modelBytes)} in ${m.files.length} files, ${escapeHtml(winnerName(result))} with its trained head, input ${m.inputSize}\xD7${m.inputSize}.</p>
<p>Classify an image from the command line:</p>
<pre><code>npx classifier-ci predict ${escapeHtml(shellWord(m.dir))} image.jpg</code></pre>
<p>Or from code:</p>
<pre><code>import { loadClassifier } from 'classifier-ci';

const c = await loadClassifier(${escapeHtml(jsString(m.dir))});
await c.classify('image.jpg');</code></pre>
${details(`Layers (${m.layers.length})`, `<pre class="summary">${escapeHtml(layerSummary(result, ALL))}</pre>`)}
${details("Files", table(modelFiles(result, ALL)))}`);
  const b = result.backend;
  const run = section("run", "Run details", `<p>Backend: ${escapeHtml(backendLine(result))}.</p>
${b.skipped.length ? `<p>Not used:</p><ul>${b.skipped.map((s) => `<li><code>${escapeHtml(s.backend)}</code>: ${escapeHtml(s.reason)}</li>`).join("")}</ul>` : ""}
<p>Budget: ${duration(result.budget.usedSeconds)} used of ${duration(result.budget.seconds)}${result.budget.exhausted ? "; it ran out, so some stages stopped early" : ""}. Seed ${result.seed}. Started ${escapeHtml(result.startedAt)}, finished ${escapeHtml(result.finishedAt)}.</p>
<p>Versions: classifier-ci ${escapeHtml(result.versions.classifierCi)}, tfjs ${escapeHtml(result.versions.tfjs)}, Node ${escapeHtml(result.versions.node)}, sharp ${escapeHtml(result.versions.sharp)}.</p>
${table(timings(result))}`);
  const specs = Object.fromEntries(charts.map((c) => [c.name, c.spec]));
  const boot = `(function () {
  var specs = JSON.parse(document.getElementById('chart-specs').textContent);
  var pending = [];
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var spec = specs[el.getAttribute('data-chart')];
    if (!spec) return;
    pending.push(vegaEmbed(el, spec, { renderer: 'svg', actions: false }).catch(function (error) {
      el.textContent = 'This chart could not be drawn: ' + error.message;
      console.error(error);
    }));
  });
  Promise.all(pending).then(function () { document.body.setAttribute('data-charts', 'ready'); });
})();`;
  const scripts = [...options.scripts.map((s) => s.source), boot];
  const hashes = scripts.map((s) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`);
  const csp = `default-src 'none'; script-src ${hashes.join(" ")} 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>classifier-ci: ${escapeHtml(percent(test.accuracy))} test accuracy with ${escapeHtml(winnerName(result))}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${headline2}
<nav><a href="#bake-off">Bake-off</a><a href="#tuning">Hyperparameter round</a><a href="#test">Test set</a><a href="#dataset">Dataset</a><a href="#model">Model</a><a href="#run">Run details</a></nav>
${bakeOff}
${tuning}
${testSection2}
${dataset}
${model}
${run}
<footer>classifier-ci ${escapeHtml(result.versions.classifierCi)} \xB7 result.json schema v${result.schemaVersion}</footer>
</main>
<script type="application/json" id="chart-specs">${jsonForScript(specs)}</script>
${scripts.map((s) => `<script>${s}</script>`).join("\n")}
</body>
</html>
`;
}
var STYLE = `
:root { --fg: #111827; --muted: #4b5563; --line: #e5e7eb; --bg: #ffffff; --soft: #f8fafc; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--soft); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 24px 48px; }
header, section { background: var(--bg); border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; margin: 0 0 18px; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 0 0 10px; }
p { margin: 8px 0; }
nav { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0 0 18px; padding: 0 4px; }
nav a { color: var(--accent); text-decoration: none; font-weight: 500; }
.verdict { font-size: 16px; font-weight: 600; padding: 10px 14px; border-radius: 8px; border-left: 5px solid; background: var(--soft); }
.tone-better { border-color: #16a34a; } .tone-worse { border-color: #dc2626; } .tone-same { border-color: #9ca3af; } .tone-standalone { border-color: var(--accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin: 14px 0 6px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 0; }
.card-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card-value { font-size: 20px; font-weight: 650; overflow-wrap: break-word; line-height: 1.3; }
.card-value.text { font-size: 16px; }
.card-note { color: var(--muted); font-size: 13px; }
.table-wrap { overflow-x: auto; margin: 10px 0; }
table { border-collapse: collapse; font-size: 14px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; overflow-wrap: anywhere; }
th { font-weight: 600; background: var(--soft); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
table.matrix td, table.matrix th { text-align: right; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
code { background: var(--soft); padding: 1px 4px; border-radius: 4px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; overflow-x: auto; }
pre code { background: none; padding: 0; }
details { margin: 10px 0; }
summary { cursor: pointer; font-weight: 600; color: var(--fg); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; margin: 12px 0; }
figure.chart { margin: 0; max-width: 100%; overflow-x: auto; }
.thumb { width: 64px; height: 64px; object-fit: contain; image-rendering: auto; border-radius: 4px; background: var(--soft); }
.warnings { background: #fffbeb; border: 1px solid #fde68a; border-radius: 8px; padding: 8px 14px; margin: 10px 0; }
.warnings ul { margin: 4px 0; padding-left: 20px; }
footer { color: var(--muted); font-size: 13px; text-align: center; }
`;

// node_modules/markdown-table/index.js
function defaultStringLength(value) {
  return value.length;
}
function markdownTable(table3, options) {
  const settings = options || {};
  const align = (settings.align || []).concat();
  const stringLength = settings.stringLength || defaultStringLength;
  const alignments = [];
  const cellMatrix = [];
  const sizeMatrix = [];
  const longestCellByColumn = [];
  let mostCellsPerRow = 0;
  let rowIndex = -1;
  while (++rowIndex < table3.length) {
    const row2 = [];
    const sizes2 = [];
    let columnIndex2 = -1;
    if (table3[rowIndex].length > mostCellsPerRow) {
      mostCellsPerRow = table3[rowIndex].length;
    }
    while (++columnIndex2 < table3[rowIndex].length) {
      const cell2 = serialize(table3[rowIndex][columnIndex2]);
      if (settings.alignDelimiters !== false) {
        const size = stringLength(cell2);
        sizes2[columnIndex2] = size;
        if (longestCellByColumn[columnIndex2] === void 0 || size > longestCellByColumn[columnIndex2]) {
          longestCellByColumn[columnIndex2] = size;
        }
      }
      row2.push(cell2);
    }
    cellMatrix[rowIndex] = row2;
    sizeMatrix[rowIndex] = sizes2;
  }
  let columnIndex = -1;
  if (typeof align === "object" && "length" in align) {
    while (++columnIndex < mostCellsPerRow) {
      alignments[columnIndex] = toAlignment(align[columnIndex]);
    }
  } else {
    const code = toAlignment(align);
    while (++columnIndex < mostCellsPerRow) {
      alignments[columnIndex] = code;
    }
  }
  columnIndex = -1;
  const row = [];
  const sizes = [];
  while (++columnIndex < mostCellsPerRow) {
    const code = alignments[columnIndex];
    let before = "";
    let after = "";
    if (code === 99) {
      before = ":";
      after = ":";
    } else if (code === 108) {
      before = ":";
    } else if (code === 114) {
      after = ":";
    }
    let size = settings.alignDelimiters === false ? 1 : Math.max(
      1,
      longestCellByColumn[columnIndex] - before.length - after.length
    );
    const cell2 = before + "-".repeat(size) + after;
    if (settings.alignDelimiters !== false) {
      size = before.length + size + after.length;
      if (size > longestCellByColumn[columnIndex]) {
        longestCellByColumn[columnIndex] = size;
      }
      sizes[columnIndex] = size;
    }
    row[columnIndex] = cell2;
  }
  cellMatrix.splice(1, 0, row);
  sizeMatrix.splice(1, 0, sizes);
  rowIndex = -1;
  const lines = [];
  while (++rowIndex < cellMatrix.length) {
    const row2 = cellMatrix[rowIndex];
    const sizes2 = sizeMatrix[rowIndex];
    const cellsInRow = settings.fillRows === false ? Math.max(1, cellMatrix[rowIndex === 1 ? 0 : rowIndex].length) : mostCellsPerRow;
    columnIndex = -1;
    const line = [];
    while (++columnIndex < cellsInRow) {
      const cell2 = row2[columnIndex] || "";
      let before = "";
      let after = "";
      if (settings.alignDelimiters !== false) {
        const size = longestCellByColumn[columnIndex] - (sizes2[columnIndex] || 0);
        const code = alignments[columnIndex];
        if (code === 114) {
          before = " ".repeat(size);
        } else if (code === 99) {
          const half = size / 2;
          if (size % 2) {
            before = " ".repeat(half + 0.5);
            after = " ".repeat(half - 0.5);
          } else {
            before = " ".repeat(half);
            after = before;
          }
        } else {
          after = " ".repeat(size);
        }
      }
      if (settings.delimiterStart !== false && !columnIndex) {
        line.push("|");
      }
      if (settings.padding !== false && // Don’t add the opening space if we’re not aligning and the cell is
      // empty: there will be a closing space.
      !(settings.alignDelimiters === false && cell2 === "") && (settings.delimiterStart !== false || columnIndex)) {
        line.push(" ");
      }
      if (settings.alignDelimiters !== false) {
        line.push(before);
      }
      line.push(cell2);
      if (settings.alignDelimiters !== false) {
        line.push(after);
      }
      if (settings.padding !== false) {
        line.push(" ");
      }
      if (settings.delimiterEnd !== false || columnIndex !== cellsInRow - 1) {
        line.push("|");
      }
    }
    lines.push(
      settings.delimiterEnd === false ? line.join("").replace(/ +$/, "") : line.join("")
    );
  }
  return lines.join("\n");
}
function serialize(value) {
  return value === null || value === void 0 ? "" : String(value);
}
function toAlignment(value) {
  const code = typeof value === "string" ? value.codePointAt(0) : 0;
  return code === 67 || code === 99 ? 99 : code === 76 || code === 108 ? 108 : code === 82 || code === 114 ? 114 : 0;
}

// src/core/report/markdown.ts
var COMMENT_MAX_CHARS = 65e3;
var SUMMARY_MAX_CHARS = 1e6;
var COMMENT_LEVELS = [
  { labelChanges: 10, leaderboard: 20, trials: 50, perLabel: 100, confusionLabels: 12, confusedPairs: 20, mistakes: 10, counts: 100, skipped: 20, warnings: 20, layers: 40, files: 20, backendsSkipped: 10, mermaid: true },
  { labelChanges: 10, leaderboard: 12, trials: 20, perLabel: 40, confusionLabels: 10, confusedPairs: 10, mistakes: 8, counts: 40, skipped: 10, warnings: 10, layers: 24, files: 12, backendsSkipped: 5, mermaid: true },
  { labelChanges: 5, leaderboard: 8, trials: 10, perLabel: 15, confusionLabels: 8, confusedPairs: 5, mistakes: 5, counts: 15, skipped: 5, warnings: 5, layers: 12, files: 8, backendsSkipped: 3, mermaid: false }
];
var SUMMARY_LEVELS = [
  { labelChanges: 30, leaderboard: 50, trials: 500, perLabel: 2e3, confusionLabels: 20, confusedPairs: 50, mistakes: 25, counts: 2e3, skipped: 500, warnings: 100, layers: 400, files: 100, backendsSkipped: 10, mermaid: true },
  ...COMMENT_LEVELS
];
function renderMarkdown(result, options = {}) {
  const maxChars = options.maxChars ?? COMMENT_MAX_CHARS;
  const levels = options.variant === "summary" ? SUMMARY_LEVELS : COMMENT_LEVELS;
  let sections = [];
  for (const limits of levels) {
    sections = renderSections(result, options, limits);
    const text2 = join2(sections);
    if (text2.length <= maxChars) return text2;
  }
  const note = `

_Some sections were left out to stay under GitHub's size limit. ${whereIsTheRest(options)}_
`;
  while (sections.length > 1 && join2(sections).length + note.length > maxChars) sections.pop();
  const text = join2(sections);
  return text.length + note.length <= maxChars ? text.trimEnd() + note : `${[...text].slice(0, maxChars - note.length - 2).join("")}\u2026${note}`;
}
function join2(sections) {
  return `${sections.filter(Boolean).join("\n\n")}
`;
}
function whereIsTheRest(options) {
  const url = safeUrl(options.fullReportUrl);
  return url ? `Everything is in the [full report](${url}).` : "Everything is in report.html and result.json.";
}
function safeUrl(url) {
  if (!url) return null;
  if (/^https:\/\/[^\s<>"'`()\\[\]]+$/i.test(url)) return url;
  if (/^[\w][\w./-]*$/.test(url) && !url.includes("..")) return url;
  return null;
}
function cellText(cell2) {
  if (typeof cell2 === "string") return escapeMarkdown(cell2);
  if ("image" in cell2) return `<img src="${cell2.image}" alt="${escapeHtml(cell2.alt)}" width="64">`;
  if (cell2.code) return markdownCode(cell2.text);
  return cell2.strong ? `**${escapeMarkdown(cell2.text)}**` : escapeMarkdown(cell2.text);
}
function table2(t) {
  const align = t.columns.map((c) => c.align === "right" ? "r" : c.align === "center" ? "c" : "l");
  const rows = [t.columns.map((c) => escapeMarkdown(c.title)), ...t.rows.map((r) => r.map(cellText))];
  return markdownTable(rows, { align, alignDelimiters: false });
}
function shortened(t, what, how, options) {
  if (t.rows.length >= t.total) return "";
  return `

_Showing ${t.rows.length} of ${integer(t.total)} ${what}${how ? ` (${how})` : ""}. ${whereIsTheRest(options)}_`;
}
function fold(summary, body, open = false) {
  return `<details${open ? " open" : ""}><summary>${summary}</summary>

${body}

</details>`;
}
function chart3(name, alt, options) {
  const url = safeUrl(options.chartUrls?.get(name));
  return url ? `![${alt}](${url})` : "";
}
function codeBlock(language, text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}
${text}
${fence}`;
}
function renderSections(result, options, limits) {
  return [
    headline(result, options, limits),
    bakeOffSection(result, options, limits),
    tuningSection(result, options, limits),
    testSection(result, options, limits),
    datasetSection(result, options, limits),
    modelSection(result, limits),
    runSection(result, limits),
    footer(result, options)
  ];
}
function headline(result, options, limits) {
  const { baseline } = options;
  const v = verdict(result, baseline);
  const icon = { better: "\u{1F7E2}", worse: "\u{1F534}", same: "\u26AA", standalone: "\u{1F535}" }[v.tone];
  const parts = [
    `## classifier-ci: ${percent(result.test.accuracy)} test accuracy with ${escapeMarkdown(winnerName(result))}`,
    `${icon} **${escapeMarkdown(v.text)}**`
  ];
  if (baseline) {
    parts.push(table2(comparison(result, baseline)));
    const changes = labelChanges(result, baseline, limits.labelChanges);
    if (changes.rows.length) {
      parts.push(fold(`F1 change per label (${changes.total < 2 ? "the label" : changes.rows.length < changes.total ? `the ${changes.rows.length} that moved most` : `all ${changes.total}`})`, table2(changes)));
    }
  } else {
    const t = keyNumbers(result);
    parts.push(markdownTable(t.rows.map((r) => r.map(cellText)), { align: ["l", "l"], alignDelimiters: false }));
  }
  return parts.join("\n\n");
}
function bakeOffSection(result, options, limits) {
  const n = result.bakeOff.candidates.length;
  const t = leaderboard(result, limits.leaderboard);
  const parts = [
    "### Bake-off",
    `${n} backbone${n === 1 ? "" : "s"} trained a head each on the same split; the best validation accuracy won.`,
    table2(t) + shortened(t, "backbones", "best first", options)
  ];
  const images = [chart3("leaderboard", "Bake-off: validation accuracy per backbone", options), chart3("curves", "Bake-off: learning curves", options)].filter(Boolean);
  if (images.length) parts.push(images.join("\n"));
  else if (limits.mermaid) {
    const curves = mermaidCurves(result);
    if (curves) parts.push(fold("Learning curve of the chosen model", curves));
  }
  return parts.join("\n\n");
}
function mermaidCurves(result) {
  const trial = result.tuning.trials.find((t) => t.index === result.tuning.bestTrial);
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const points = trial?.curve.length ? trial.curve : winner?.curve ?? [];
  if (points.length < 2) return null;
  const stride = Math.ceil(points.length / 60);
  const sampled = points.filter((_, i) => i % stride === 0 || i === points.length - 1);
  const pct = (x) => Number((x * 100).toFixed(1));
  const all = sampled.flatMap((p) => [pct(p.trainAccuracy), pct(p.valAccuracy)]);
  const low = Math.max(0, Math.floor(Math.min(...all) / 10) * 10);
  const lines = [
    "---",
    "config:",
    "  xyChart:",
    "    width: 720",
    "    height: 320",
    "  themeVariables:",
    "    xyChart:",
    '      plotColorPalette: "#2563eb, #f97316"',
    "---",
    "xychart-beta",
    `  title ${mermaidString(`${winnerName(result)}: accuracy per epoch (blue: validation, orange: training)`)}`,
    `  x-axis "epoch" ${sampled[0].epoch} --> ${sampled[sampled.length - 1].epoch}`,
    `  y-axis "accuracy (%)" ${low} --> 100`,
    `  line [${sampled.map((p) => pct(p.valAccuracy)).join(", ")}]`,
    `  line [${sampled.map((p) => pct(p.trainAccuracy)).join(", ")}]`
  ];
  return codeBlock("mermaid", lines.join("\n"));
}
function tuningSection(result, options, limits) {
  const tuning = result.tuning;
  const n = tuning.trials.length;
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const chosen = tuning.trials.find((t) => t.index === tuning.bestTrial);
  const parts = ["### Hyperparameter round"];
  const intro = `${escapeMarkdown(winnerName(result))}: ${n} trial${n === 1 ? "" : "s"} in ${duration(tuning.seconds)} (${escapeMarkdown(clip(tuning.strategy))}).`;
  const outcome = chosen ? `Chosen: **trial ${trialNumber(chosen.index)}**, ${percent(chosen.valAccuracy)} validation accuracy${winner ? ` (bake-off head: ${percent(winner.valAccuracy)})` : ""}.` : `No trial beat the bake-off head${winner ? ` (${percent(winner.valAccuracy)} validation accuracy)` : ""}, so it was kept.`;
  parts.push(`${intro} ${outcome}`);
  parts.push(`Config: ${markdownCode(describeConfigShort(tuning.best))}`);
  const ft = tuning.fineTune;
  parts.push(
    ft.applied ? `Fine-tuning the top of the backbone: applied${ft.valAccuracy !== void 0 ? `, ${percent(ft.valAccuracy)} validation accuracy` : ""}; ${escapeMarkdown(clip(ft.reason, 200))}.` : `Fine-tuning the top of the backbone: skipped; ${escapeMarkdown(clip(ft.reason, 200))}.`
  );
  const refit = tuning.refit;
  if (refit) parts.push(`Final fit: ${refit.applied ? "" : "skipped; "}${escapeMarkdown(clip(refit.reason, 200))}.`);
  const image = chart3("trials", "Hyperparameter round: score by learning rate", options);
  if (image) parts.push(image);
  if (n) {
    const t = trials(result, limits.trials);
    parts.push(fold(`${t.rows.length < t.total ? `Best ${t.rows.length} of ${n} trials` : `All ${n} trials`}, best first`, table2(t) + shortened(t, "trials", "best first", options)));
  }
  return parts.join("\n\n");
}
function testSection(result, options, limits) {
  const test = result.test;
  const parts = ["### Test set"];
  parts.push(`${integer(test.images)} images the model never saw while training or choosing: accuracy ${percent(test.accuracy)}${test.topK ? `, top-${test.topK.k} ${percent(test.topK.accuracy)}` : ""}, macro F1 ${percent(test.macroF1)}.`);
  const perLabel2 = perLabel(result, options.baseline, limits.perLabel);
  const perLabelText = table2(perLabel2) + shortened(perLabel2, "labels", "lowest F1 first", options);
  const f1Chart = chart3("per-label-f1", "Test set: F1 per label", options);
  if (perLabel2.total <= 10) parts.push(perLabelText);
  else parts.push(fold(`Precision, recall and F1 for ${perLabel2.rows.length < perLabel2.total ? `the ${perLabel2.rows.length} weakest of ${perLabel2.total} labels` : `all ${perLabel2.total} labels`}`, perLabelText));
  if (f1Chart) parts.push(f1Chart);
  const labels = test.confusion.labels.length;
  const confusionChart2 = chart3("confusion", "Test set: confusion matrix", options);
  if (labels > 0 && labels <= limits.confusionLabels) {
    parts.push(fold("Confusion matrix (rows: true label, columns: predicted)", table2(confusionMatrix(result)) + (confusionChart2 ? `

${confusionChart2}` : "")));
  } else if (labels > 0) {
    const pairs = confusedPairs(result, limits.confusedPairs);
    const body = pairs.total ? table2(pairs) + shortened(pairs, "confused pairs", "most images first", options) : "No confusions: every test image was classified correctly.";
    parts.push(fold(`Most confused label pairs (the full ${labels}\xD7${labels} matrix is in the ${confusionChart2 ? "chart and the " : ""}HTML report)`, body + (confusionChart2 ? `

${confusionChart2}` : "")));
  }
  if (test.mistakes.length) {
    const thumbnails = /* @__PURE__ */ new Map();
    for (const [sha, url] of options.thumbnailUrls ?? []) if (safeUrl(url)) thumbnails.set(sha, url);
    const t = mistakes(result, limits.mistakes, thumbnails);
    parts.push(fold(`The ${t.rows.length} most confident mistakes`, table2(t) + shortened(t, "mistakes", "most confident first", options)));
  }
  return parts.join("\n\n");
}
function datasetSection(result, options, limits) {
  const d = result.dataset;
  const parts = ["### Dataset"];
  const how = d.splitMode === "hash" ? "split by content hash (stable across runs)" : "split by its train/, val/ and test/ folders";
  parts.push(`${markdownCode(clip(d.root))}: ${integer(d.images)} images in ${d.labels.length} labels, ${how}: ${integer(d.split.train)} train, ${integer(d.split.val)} validation, ${integer(d.split.test)} test.`);
  if (d.warnings.length) {
    const shown = d.warnings.slice(0, limits.warnings);
    const more = d.warnings.length - shown.length;
    parts.push(`**Warnings**

${shown.map((w) => `- ${escapeMarkdown(clip(w, 300))}`).join("\n")}${more ? `
- _\u2026and ${more} more. ${whereIsTheRest(options)}_` : ""}`);
  }
  const t = counts(result, options.baseline, limits.counts);
  const image = chart3("dataset", "Dataset: images per label", options);
  parts.push(fold(`Images per label and split${t.rows.length < t.total ? ` (first ${t.rows.length} of ${t.total} labels)` : ""}`, table2(t) + shortened(t, "labels", "", options) + (image ? `

${image}` : "")));
  if (d.skipped.length) {
    const s = skipped(result, limits.skipped);
    parts.push(fold(`${integer(d.skipped.length)} file${d.skipped.length === 1 ? "" : "s"} skipped`, table2(s) + shortened(s, "skipped files", "", options)));
  }
  return parts.join("\n\n");
}
function modelSection(result, limits) {
  const m = result.model;
  const total = m.files.reduce((n, f) => n + f.bytes, 0);
  const dir = m.dir;
  const parts = ["### Model"];
  parts.push(`${markdownCode(clip(dir, 120))}: ${bytes(total)} in ${m.files.length} file${m.files.length === 1 ? "" : "s"}, ${escapeMarkdown(winnerName(result))} with its trained head, input ${m.inputSize}\xD7${m.inputSize}, ${integer(m.trainableParams + m.nonTrainableParams)} parameters.`);
  parts.push(`Classify an image from the command line:

${codeBlock("sh", `npx classifier-ci predict ${shellWord(dir)} image.jpg`)}`);
  parts.push(`Or from code:

${codeBlock("ts", `import { loadClassifier } from 'classifier-ci';

const c = await loadClassifier(${jsString(dir)});
await c.classify('image.jpg');`)}`);
  if (m.layers.length) parts.push(fold(`Layers (${m.layers.length})`, codeBlock("text", layerSummary(result, limits.layers))));
  if (m.files.length) {
    const t = modelFiles(result, limits.files);
    parts.push(fold("Files", table2(t) + (t.rows.length < t.total ? `

_\u2026and ${t.total - t.rows.length} more files._` : "")));
  }
  return parts.join("\n\n");
}
function runSection(result, limits) {
  const b = result.backend;
  const lines = [`Backend: ${escapeMarkdown(backendLine(result))}.`];
  if (b.skipped.length) {
    const shown = b.skipped.slice(0, limits.backendsSkipped);
    lines.push(`Not used: ${shown.map((s) => `${escapeMarkdown(clip(s.backend, 40))} (${escapeMarkdown(clip(s.reason, 200))})`).join("; ")}${b.skipped.length > shown.length ? `; and ${b.skipped.length - shown.length} more` : ""}.`);
  }
  lines.push(`Budget: ${duration(result.budget.usedSeconds)} used of ${duration(result.budget.seconds)}${result.budget.exhausted ? "; it ran out, so some stages stopped early" : ""}. Seed ${result.seed}.`);
  const v = result.versions;
  lines.push(`Versions: classifier-ci ${escapeMarkdown(v.classifierCi)}, tfjs ${escapeMarkdown(v.tfjs)}, Node ${escapeMarkdown(v.node)}, sharp ${escapeMarkdown(v.sharp)}.`);
  return fold("Run details", `${lines.join("\n")}

${table2(timings(result))}`);
}
function footer(result, options) {
  const url = safeUrl(options.fullReportUrl);
  const when = result.startedAt.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
  return `<sub>classifier-ci ${escapeMarkdown(result.versions.classifierCi)} \xB7 run started ${escapeMarkdown(when)}${url ? ` \xB7 [full report with interactive charts](${url})` : ""}</sub>`;
}

// src/core/report/render-charts.ts
import sharp from "sharp";
import * as vega from "vega";
import { compile } from "vega-lite";
var PNG_SCALE = 2;
function compileSpec(spec, name = "chart", warnings = []) {
  const collect = (...args) => {
    warnings.push(args.map(String).join(" "));
    return logger;
  };
  const logger = { level: () => logger, warn: collect, error: collect, info: () => logger, debug: () => logger };
  try {
    return compile(spec, { logger }).spec;
  } catch (error) {
    throw new Error(`The ${name} chart spec does not compile: ${error.message}`);
  }
}
var XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
async function renderSvg(spec, name = "chart") {
  const view = new vega.View(vega.parse(compileSpec(spec, name)), { renderer: "none", logLevel: vega.Error });
  try {
    return (await view.toSVG()).replace(XML_INVALID, "\uFFFD");
  } finally {
    view.finalize();
  }
}
async function svgToPng(svg) {
  const png = await sharp(Buffer.from(svg), { density: 72 * PNG_SCALE }).png({ compressionLevel: 9, palette: true, quality: 90 }).toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
async function renderChart(chart4) {
  const svg = await renderSvg(chart4.spec, chart4.name);
  const png = await svgToPng(svg);
  return { name: chart4.name, title: chart4.title, svg, png, spec: chart4.spec };
}
async function renderCharts(charts) {
  const rendered = [];
  for (const chart4 of charts) rendered.push(await renderChart(chart4));
  return rendered;
}

// src/core/report/index.ts
var MAX_THUMBNAILS = 10;
async function renderReport(result, options = {}) {
  const specs = buildCharts(result, options.baseline);
  const charts = await renderCharts(specs);
  const chartUrls = /* @__PURE__ */ new Map();
  const thumbnailUrls = /* @__PURE__ */ new Map();
  if (options.imageHost) {
    for (const chart4 of charts) {
      const url = await putQuietly(options.imageHost, `${chart4.name}.png`, chart4.png, "image/png");
      if (url) chartUrls.set(chart4.name, url);
    }
    for (const mistake of result.test.mistakes.slice(0, MAX_THUMBNAILS)) {
      const picture = decodeDataImage(mistake.thumbnail);
      if (!picture) continue;
      const url = await putQuietly(options.imageHost, `mistake-${mistake.sha256.slice(0, 16)}.${picture.extension}`, picture.bytes, picture.contentType);
      if (url) thumbnailUrls.set(mistake.sha256, url);
    }
  }
  const common = { baseline: options.baseline, chartUrls, thumbnailUrls, fullReportUrl: options.fullReportUrl };
  const markdown = renderMarkdown(result, { ...common, variant: "comment", maxChars: COMMENT_MAX_CHARS });
  const summary = renderMarkdown(result, { ...common, variant: "summary", maxChars: SUMMARY_MAX_CHARS });
  const html = renderHtml(result, { baseline: options.baseline, charts: specs, scripts: await loadBrowserScripts() });
  return { markdown, summary, html, charts: charts.map(({ name, svg, png, spec }) => ({ name, svg, png, spec })) };
}
async function writeReport(outDir, result, options = {}) {
  const report = await renderReport(result, options);
  const files = [
    ["report.md", report.markdown],
    ["summary.md", report.summary],
    ["report.html", report.html],
    ...report.charts.flatMap((c) => [
      [join3("charts", `${c.name}.svg`), c.svg],
      [join3("charts", `${c.name}.png`), c.png]
    ])
  ];
  const written = [];
  for (const [name, data] of files) {
    const path = join3(outDir, name);
    await writeFileAtomic(path, data);
    written.push(path);
  }
  return written;
}
async function putQuietly(host, name, bytes2, contentType) {
  try {
    return await host.put(name, bytes2, contentType);
  } catch {
    return null;
  }
}
function decodeDataImage(uri) {
  const safe = safeDataImage(uri);
  if (!safe) return null;
  const [head, data] = safe.split(",", 2);
  const contentType = head.slice("data:".length, head.indexOf(";"));
  const extension = contentType === "image/jpeg" ? "jpg" : contentType.split("/")[1];
  return { bytes: new Uint8Array(Buffer.from(data, "base64")), contentType, extension };
}
export {
  COMMENT_MAX_CHARS,
  SUMMARY_MAX_CHARS,
  renderReport,
  writeReport
};
