import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  COMMENT_LIMIT,
  SOLVER_NAMES,
  SUMMARY_LIMIT,
  adamSetting,
  bytes,
  chartLabels,
  deltaCount,
  deltaPoints,
  duration,
  hidden,
  htmlText,
  integer,
  interval,
  jsString,
  jsonForScript,
  markdownCode,
  markdownText,
  mermaidString,
  percent,
  rate,
  shellWord,
  sizeIn,
  trialNumber
} from "./chunk-FQ7NTLLV.js";
import {
  gapBeyondNoise,
  gapSentence,
  headSettings
} from "./chunk-SVB2Z3KU.js";
import {
  compareScores,
  trainingRoles
} from "./chunk-7BFTRFSG.js";
import "./chunk-O4E5JHB5.js";
import {
  writeFileAtomic
} from "./chunk-U2O33TCJ.js";
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
        throw new Error(`The HTML report needs the npm package ${name} (its ${file}); install it with npm install ${name}. ${error.message}`, {
          cause: error
        });
      }
    })
  ).catch((error) => {
    cached = void 0;
    throw error;
  });
  return cached;
}

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
    const sure = result.test.accuracyInterval ? `95% interval ${interval(result.test.accuracyInterval.low, result.test.accuracyInterval.high)}; ` : "";
    const parts2 = [`${quality}: ${percent(acc)} test accuracy on ${integer(result.test.images)} images (${sure}chance is ${percent(chance, 0)})`];
    if (weakest && result.test.perLabel.length > 1) parts2.push(`weakest label: ${clipLabel(weakest.label)} (F1 ${percent(weakest.f1)})`);
    if (result.test.images < 50) parts2.push("few test images, so treat these numbers as rough");
    return { tone: "standalone", text: `${parts2.join("; ")}.` };
  }
  const delta = acc - baseline.test.accuracy;
  const tone = delta >= SAME_THRESHOLD ? "better" : delta <= -SAME_THRESHOLD ? "worse" : "same";
  const head = { better: "Better than the baseline", worse: "Worse than the baseline", same: "About the same as the baseline" }[tone];
  const parts = [`${head}: test accuracy ${deltaPoints(delta)} (${percent(baseline.test.accuracy)} \u2192 ${percent(acc)})`];
  const ci = result.test.accuracyInterval;
  if (ci) parts.push(`this run's 95% interval is ${interval(ci.low, ci.high)} on ${integer(result.test.images)} test images`);
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
var STAGE_NAMES = {
  scan: "reading the data",
  decode: "decoding",
  embed: "embeddings",
  bakeOff: "bake-off",
  ensemble: "ensembles",
  augment: "augmentation",
  tuning: "hyperparameter round",
  fineTune: "fine-tuning",
  refit: "final fit",
  evaluate: "evaluation",
  export: "export",
  elsewhere: "scoring the images from elsewhere",
  review: "dataset review",
  total: "total"
};
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
var count = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;
var shown = (part) => `${part.name} (${part.where})`;
function computeParts(result) {
  const b = result.backend;
  const training = { name: b.name, where: `${b.gpu ? "GPU" : "CPU"}, ${count(b.threads, "thread")}` };
  const i = b.inference;
  if (!i) return { pretrained: null, training };
  const pretrained = i.engine === "onnxruntime" ? { name: "ONNX Runtime", where: `${i.provider.toUpperCase()}, ${count(i.threads, "thread")}` } : { name: i.provider, where: count(i.threads, "worker thread") };
  return { pretrained, training };
}
function pretrainedEngineLine(result) {
  const { pretrained } = computeParts(result);
  return pretrained && shown(pretrained);
}
function backendLine(result) {
  const { training } = computeParts(result);
  return `${training.name} (${result.backend.package}, ${training.where})`;
}
function computeLine(result) {
  const { pretrained, training } = computeParts(result);
  if (!pretrained) return shown(training);
  const engineDoes = result.backend.inference?.trainsSmallCnn ? "pretrained backbones and the small CNN" : "pretrained backbones";
  return `${shown(pretrained)} for ${engineDoes}; ${shown(training)} for training`;
}
function computeFact(result) {
  const { pretrained, training } = computeParts(result);
  if (!pretrained) return { value: training.name, note: training.where };
  return {
    value: pretrained.name === training.name ? training.name : `${pretrained.name} + ${training.name}`,
    note: `pretrained backbones${result.backend.inference?.trainsSmallCnn ? " and the small CNN" : ""} on ${pretrained.where}; training on ${training.where}`
  };
}
function comparison(result, baseline) {
  const row = (name, now2, before2, strong = false) => [
    name,
    strong ? { text: percent(now2), strong } : percent(now2),
    percent(before2),
    strong ? { text: deltaPoints(now2 - before2), strong } : deltaPoints(now2 - before2)
  ];
  const rows = [row("Test accuracy", result.test.accuracy, baseline.test.accuracy, true)];
  if (result.test.topK && baseline.test.topK && result.test.topK.k === baseline.test.topK.k) {
    rows.push(row(`Top-${result.test.topK.k} accuracy`, result.test.topK.accuracy, baseline.test.topK.accuracy));
  }
  rows.push(row("Macro F1", result.test.macroF1, baseline.test.macroF1));
  const now = result.elsewhere;
  const before = baseline.elsewhere;
  if (now && before && before.dataset === now.dataset) rows.push(row("Images from elsewhere", now.metrics.accuracy, before.metrics.accuracy));
  else if (now) rows.push(["Images from elsewhere", percent(now.metrics.accuracy), "\u2014", "not scored before"]);
  rows.push(["Images", integer(result.dataset.images), integer(baseline.dataset.images), deltaCount(result.dataset.images - baseline.dataset.images)]);
  rows.push([
    "Labels",
    String(result.dataset.labels.length),
    String(baseline.dataset.labels.length),
    deltaCount(result.dataset.labels.length - baseline.dataset.labels.length)
  ]);
  rows.push(["Winner", winnerName(result), winnerName(baseline), result.bakeOff.winner === baseline.bakeOff.winner ? "same" : "changed"]);
  rows.push(["Compute", computeLine(result), computeLine(baseline), computeLine(result) === computeLine(baseline) ? "same" : "changed"]);
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
function estimateOf(c) {
  return c.cv?.mean ?? c.valAccuracy;
}
function estimateText(cv) {
  return `${percent(cv.mean)} (${interval(cv.low, cv.high)}), ${cv.folds > 0 ? `${cv.folds} folds` : "validation only"}`;
}
function rankedCandidates(result) {
  const isWinner = (c) => c.backbone === result.bakeOff.winner;
  return [...result.bakeOff.candidates].sort(
    (a, b) => Number(Boolean(a.error)) - Number(Boolean(b.error)) || Number(isWinner(b)) - Number(isWinner(a)) || estimateOf(b) - estimateOf(a) || b.valAccuracy - a.valAccuracy || a.valLoss - b.valLoss
  );
}
function leaderboard(result, limit) {
  const isWinner = (c) => c.backbone === result.bakeOff.winner;
  const ranked = rankedCandidates(result);
  const withCv = result.bakeOff.candidates.some((c) => c.cv);
  const rows = ranked.map((c, i) => {
    const winner = isWinner(c);
    const name = `${clip(c.displayName)}${winner ? " (winner)" : ""}`;
    if (c.error)
      return [String(i + 1), name, String(c.inputSize), ...withCv ? [""] : [], `failed: ${clip(c.error)}`, "", "", duration(c.embedSeconds + c.trainSeconds)];
    const estimate = c.cv ? estimateText(c.cv) : "not cross-validated";
    return [
      String(i + 1),
      winner ? { text: name, strong: true } : name,
      c.kind === "scratch" ? `${c.inputSize} (from scratch)` : String(c.inputSize),
      ...withCv ? [winner ? { text: estimate, strong: true } : estimate] : [],
      !withCv && winner ? { text: percent(c.valAccuracy), strong: true } : percent(c.valAccuracy),
      c.valLoss.toFixed(3),
      fitText(c),
      c.embeddingsCached && !c.embeddingsComputed ? `${duration(c.trainSeconds)} (embeddings cached)` : duration(c.embedSeconds + c.trainSeconds)
    ];
  });
  return limited(
    [
      right("Rank"),
      left("Candidate"),
      right("Input"),
      ...withCv ? [right("Estimate (95% interval)")] : [],
      right("Val accuracy"),
      right("Val loss"),
      right("Fit"),
      right("Time")
    ],
    rows,
    limit
  );
}
function fitText(c) {
  return c.solver === "lbfgs" ? `L-BFGS, ${count(c.epochs, "iteration")}` : `best epoch ${c.bestEpoch} of ${c.epochs}`;
}
function trials(result, limit) {
  const sorted = [...result.tuning.trials].sort((a, b) => compareScores(a, b) || a.index - b.index);
  const withCv = sorted.some((t) => t.cv);
  const withScaling = sorted.some((t) => t.config.scaling === "global");
  const rows = sorted.map((t) => {
    const chosen = t.index === result.tuning.bestTrial;
    const status = chosen ? "chosen" : t.status;
    return [
      chosen ? { text: String(trialNumber(t.index)), strong: true } : String(trialNumber(t.index)),
      chosen ? { text: percent(t.valAccuracy), strong: true } : percent(t.valAccuracy),
      ...withCv ? [t.cv ? `${percent(t.cv.mean)} (${interval(t.cv.low, t.cv.high)})` : "\u2014"] : [],
      t.valLoss.toFixed(3),
      SOLVER_NAMES[t.config.solver],
      adamSetting(t.config, rate(t.config.learningRate)),
      adamSetting(t.config, String(t.config.batchSize)),
      hidden(t.config.hiddenUnits),
      ...withScaling ? [t.config.scaling === "global" ? "one for all" : "per feature"] : [],
      adamSetting(t.config, String(t.config.dropout)),
      rate(t.config.weightDecay),
      String(t.config.labelSmoothing),
      String(t.epochs),
      duration(t.seconds),
      status
    ];
  });
  return limited(
    [
      right("Trial"),
      right("Val accuracy"),
      ...withCv ? [right("CV accuracy")] : [],
      right("Val loss"),
      left("Solver"),
      right("Learning rate"),
      right("Batch"),
      right("Hidden"),
      ...withScaling ? [left("Scaling")] : [],
      right("Dropout"),
      right("Weight decay"),
      right("Label smoothing"),
      right("Epochs"),
      right("Time"),
      left("Status")
    ],
    rows,
    limit
  );
}
function perLabel(result, baseline, limit, imagesHeading = "Test images") {
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
  const columns = [left("Label"), right("Precision"), right("Recall"), right("F1"), ...baseline ? [right("F1 change")] : [], right(imagesHeading)];
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
  const rows = result.timings.map((t) => [STAGE_NAMES[t.stage], duration(t.seconds)]);
  return limited([left("Stage"), right("Time")], rows, rows.length);
}
function layerSummary(result, limit) {
  const m = result.model;
  const all = m.layers.map((l) => [clip(`${l.name} (${l.className})`, 60), clip(l.outputShape, 28), integer(l.params), l.trainable ? "" : "frozen"]);
  let shown2 = all;
  if (all.length > limit) {
    const head = Math.ceil((limit - 1) / 2);
    const tail = Math.max(0, limit - 1 - head);
    shown2 = [...all.slice(0, head), [`\u2026 ${all.length - head - tail} more layers \u2026`, "", "", ""], ...tail ? all.slice(-tail) : []];
  }
  const header = ["Layer (type)", "Output shape", "Params", ""];
  const widths = [0, 1, 2].map((i) => Math.max(header[i].length, ...shown2.map((r) => r[i].length)));
  const line = (r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padStart(widths[2])}${r[3] ? `  ${r[3]}` : ""}`.trimEnd();
  const width = widths[0] + widths[1] + widths[2] + 4 + 8;
  const total = m.trainableParams + m.nonTrainableParams;
  return [
    line(header),
    "=".repeat(width),
    ...shown2.map(line),
    "=".repeat(width),
    `Total params: ${integer(total)}`,
    `Trainable params: ${integer(m.trainableParams)}`,
    `Non-trainable params: ${integer(m.nonTrainableParams)}`
  ].join("\n");
}
function labelSuspects(review, limit, thumbnails) {
  const withPictures = review.labelSuspects.some((s) => s.sha256 && thumbnails?.has(s.sha256));
  const rows = review.labelSuspects.map((s) => {
    const url = s.sha256 ? thumbnails?.get(s.sha256) : void 0;
    return [
      ...withPictures ? [url ? { image: url, alt: clip(s.file, 40) } : ""] : [],
      { text: clip(s.file), code: true },
      clip(s.label),
      clip(s.suggested),
      percent(s.confidence, 0)
    ];
  });
  return limited([...withPictures ? [left("")] : [], left("File"), left("Given label"), left("Suggested"), right("Confidence")], rows, limit);
}
function duplicateFlags(pair) {
  const flags = [
    // Across splits is a leak only when a test image has its copy in training or validation.
    pair.crossSplit ? `${pair.splits?.includes("test") ? "test leak" : "across splits"}${pair.splits ? ` (${pair.splits.join(" / ")})` : ""}` : "",
    pair.crossLabel ? `label conflict${pair.labels ? ` (${pair.labels.map((l) => clip(l, 30)).join(" / ")})` : ""}` : ""
  ].filter(Boolean);
  return flags.join("; ");
}
function nearDuplicates(review, limit) {
  const rows = review.nearDuplicates.map((d) => [
    { text: clip(d.files[0]), code: true },
    { text: clip(d.files[1]), code: true },
    d.similarity.toFixed(3),
    duplicateFlags(d)
  ]);
  return limited([left("File"), left("Near-duplicate of"), right("Similarity"), left("Flags")], rows, limit);
}
function outliers(review, limit) {
  const rows = review.outliers.map((o) => [{ text: clip(o.file), code: true }, clip(o.label), o.score.toFixed(1)]);
  return limited([left("File"), left("Label"), right("Score")], rows, limit);
}
function datasetDiff(diff, limit) {
  const per = /* @__PURE__ */ new Map();
  const bump = (label, i) => {
    const row = per.get(label) ?? [0, 0, 0, 0];
    row[i]++;
    per.set(label, row);
  };
  diff.added.forEach((a) => bump(a.label, 0));
  diff.removed.forEach((r) => bump(r.label, 1));
  diff.relabelled.forEach((r) => (bump(r.to, 2), bump(r.from, 3)));
  const rows = [...per.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([label, n]) => [clip(label), ...n.map((x) => x ? integer(x) : "\xB7")]);
  return limited([left("Label"), right("Added"), right("Removed"), right("Relabelled in"), right("Relabelled out")], rows, limit);
}
function relabelled(diff, limit) {
  const rows = diff.relabelled.map((r) => [{ text: clip(r.file), code: true }, clip(r.from), clip(r.to)]);
  return limited([left("File"), left("Was"), left("Now")], rows, limit);
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
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 500,
    labelColor: "#374151",
    titleColor: "#374151",
    gridColor: "#e5e7eb",
    domainColor: "#9ca3af",
    tickColor: "#9ca3af",
    labelLimit: 260
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelLimit: 320 },
  range: { category: PALETTE }
};
function chart(name, title, subtitle, body) {
  const spec = { $schema: SCHEMA, title: subtitle ? { text: title, subtitle } : title, config, ...body };
  return { name, title, spec };
}
var leaderboardMeasure = (result) => result.bakeOff.candidates.some((c) => c.cv) ? "estimated accuracy (95% interval)" : "validation accuracy";
function chartTitle(name, result) {
  switch (name) {
    case "leaderboard":
      return `Bake-off: ${leaderboardMeasure(result)}`;
    case "curves":
      return "Bake-off: learning curves";
    case "trials":
      return "Hyperparameter round: score by weight decay";
    case "confusion":
      return "Test set: confusion matrix";
    case "per-label-f1":
      return "Test set: F1 per label";
    case "dataset":
      return "Dataset: images per label";
  }
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
  const solvers = new Set(result.bakeOff.candidates.filter((c) => c.curve.length).map((c) => c.solver));
  const stepTitle = solvers.has("lbfgs") ? solvers.size === 1 ? "iteration (L-BFGS)" : "epoch, or iteration for L-BFGS heads" : "epoch";
  const layer = (metric) => ({
    width: 330,
    height: 220,
    transform: [{ filter: { field: "metric", equal: metric } }],
    mark: { type: "line", strokeWidth: 2, interpolate: "monotone" },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: stepTitle, axis: { tickMinStep: 1, format: "d" } },
      y: {
        field: "value",
        type: "quantitative",
        title: metric === "loss" ? "loss (lower is better)" : "accuracy (higher is better)",
        scale: { zero: false },
        ...metric === "accuracy" ? { axis: { format: ".0%" } } : {}
      },
      color: { field: "candidate", type: "nominal", title: "candidate", sort: result.bakeOff.candidates.map((c) => c.displayName) },
      strokeDash: {
        field: "split",
        type: "nominal",
        title: "split",
        scale: {
          domain: ["training", "validation"],
          range: [
            [5, 3],
            [1, 0]
          ]
        }
      },
      tooltip: [{ field: "candidate" }, { field: "split" }, { field: "epoch" }, { field: "value", title: metric, format: metric === "loss" ? ".3f" : ".1%" }]
    }
  });
  return chart("curves", chartTitle("curves", result), "Solid: validation, dashed: training", {
    data: { values: rows },
    hconcat: [layer("loss"), layer("accuracy")],
    resolve: { scale: { color: "shared", strokeDash: "shared" } }
  });
}
function leaderboardChart(result) {
  const ranked = rankedCandidates(result);
  const rows = ranked.map((c) => {
    const estimate = c.error ? 0 : estimateOf(c);
    return {
      candidate: c.displayName,
      estimate,
      low: c.error ? 0 : c.cv?.low ?? estimate,
      high: c.error ? 0 : c.cv?.high ?? estimate,
      winner: c.backbone === result.bakeOff.winner ? "winner" : "other",
      seconds: Math.round(c.embedSeconds + c.trainSeconds),
      note: c.error ? "failed" : c.cv ? estimateText(c.cv) : `${(c.valAccuracy * 100).toFixed(1)}% validation`
    };
  });
  if (rows.length === 0) return null;
  const withCv = result.bakeOff.candidates.some((c) => c.cv);
  const title = leaderboardMeasure(result);
  const y = { field: "candidate", type: "nominal", title: null, sort: rows.map((r) => r.candidate) };
  return chart(
    "leaderboard",
    chartTitle("leaderboard", result),
    withCv ? "Cross-validated on train + validation; the winner is tuned next" : "The winner is tuned next",
    {
      data: { values: rows },
      width: 420,
      height: { step: 30 },
      encoding: { y },
      layer: [
        {
          mark: { type: "bar", cornerRadiusEnd: 3, height: { band: 0.7 } },
          encoding: {
            x: { field: "estimate", type: "quantitative", title, scale: { domain: [0, 1] }, axis: { format: ".0%" } },
            color: { field: "winner", type: "nominal", scale: { domain: ["winner", "other"], range: [WINNER, OTHER] }, legend: null },
            tooltip: [{ field: "candidate" }, { field: "note", title }, { field: "seconds", title: "seconds" }]
          }
        },
        {
          mark: { type: "rule", color: "#111827", strokeWidth: 1.5 },
          encoding: { x: { field: "low", type: "quantitative" }, x2: { field: "high" } }
        },
        {
          mark: { type: "text", align: "left", dx: 4, dy: -8, fontSize: 10, color: "#111827" },
          encoding: { x: { field: "high", type: "quantitative" }, text: { field: "estimateLabel" } }
        }
      ],
      transform: [{ calculate: "format(datum.estimate, '.1%')", as: "estimateLabel" }]
    }
  );
}
function trialsChart(result) {
  const rows = result.tuning.trials.map((t) => ({
    trial: trialNumber(t.index),
    weightDecay: t.config.weightDecay,
    score: t.cv?.mean ?? t.valAccuracy,
    low: t.cv?.low ?? null,
    high: t.cv?.high ?? null,
    measure: t.cv ? "cross-validated" : "validation",
    valAccuracy: t.valAccuracy,
    status: t.index === result.tuning.bestTrial ? "chosen" : t.status,
    config: headSettings(t.config),
    epochs: t.epochs
  }));
  if (rows.length === 0) return null;
  const folded = rows.filter((r) => r.measure === "cross-validated").length;
  const mixed = folded > 0 && folded < rows.length;
  const subtitle = [
    `${rows.length} trial${rows.length === 1 ? "" : "s"} on ${result.tuning.backbone}`,
    folded ? "cross-validated, with 95% intervals" : "",
    mixed ? "faint: validation only" : ""
  ].filter(Boolean).join("; ");
  const scoreTitle = folded === rows.length ? "cross-validated accuracy" : folded ? "accuracy (cross-validated where scored)" : "validation accuracy";
  const x = {
    field: "weightDecay",
    type: "quantitative",
    title: "weight decay (symmetric log scale)",
    // The whole labelled range, so a single trial (the small CNN's) does not sit unlabelled at the edge.
    scale: { type: "symlog", constant: 1e-5, domain: [0, Math.max(0.1, ...rows.map((r) => r.weightDecay))] },
    axis: { values: [0, 1e-5, 1e-4, 1e-3, 0.01, 0.1], labelExpr: "datum.value === 0 ? '0' : format(datum.value, '.0e')" }
  };
  const statuses = { domain: ["chosen", "seed", "completed", "pruned"] };
  const colour = { field: "status", type: "nominal", title: "trial", scale: { ...statuses, range: ["#16a34a", WINNER, "#60a5fa", OTHER] } };
  return chart("trials", chartTitle("trials", result), subtitle, {
    data: { values: rows },
    width: 420,
    height: 240,
    encoding: { x },
    layer: [
      {
        transform: [{ filter: "datum.low !== null" }],
        mark: { type: "rule", strokeWidth: 1.5 },
        encoding: {
          y: { field: "low", type: "quantitative" },
          y2: { field: "high" },
          color: colour
        }
      },
      {
        mark: { type: "point", filled: true, size: 80 },
        encoding: {
          y: {
            field: "score",
            type: "quantitative",
            title: scoreTitle,
            scale: { zero: false },
            axis: { format: ".0%" }
          },
          color: colour,
          shape: { field: "status", type: "nominal", scale: { ...statuses, range: ["diamond", "square", "circle", "cross"] } },
          opacity: mixed ? { condition: { test: "datum.measure === 'validation'", value: 0.35 }, value: 0.9 } : { value: 0.9 },
          size: { condition: { test: "datum.status === 'chosen'", value: 220 }, value: 80 },
          tooltip: [
            { field: "trial" },
            { field: "status" },
            { field: "measure" },
            { field: "score", title: "accuracy", format: ".1%" },
            { field: "valAccuracy", title: "validation accuracy", format: ".1%" },
            { field: "weightDecay", title: "weight decay", format: ".0e" },
            { field: "config" },
            { field: "epochs" }
          ]
        }
      }
    ]
  });
}
function confusionChart(result) {
  const { labels, matrix } = result.test.confusion;
  if (labels.length === 0) return null;
  const rows = labels.flatMap((trueLabel, i) => {
    const total = (matrix[i] ?? []).reduce((a, b) => a + b, 0);
    return labels.map((predicted, j) => {
      const count2 = matrix[i]?.[j] ?? 0;
      return { trueLabel, predicted, count: count2, share: total ? count2 / total : 0, correct: i === j };
    });
  });
  const step = Math.max(MIN_STEP, Math.min(44, Math.floor(560 / labels.length)));
  const showCounts = step >= 22;
  const labelFontSize = Math.min(11, step - 1);
  return chart("confusion", chartTitle("confusion", result), "Rows: true label. Columns: predicted. Colour: share of the row", {
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
          color: {
            field: "share",
            type: "quantitative",
            title: "share of row",
            scale: { scheme: "blues", domain: [0, 1] },
            legend: { format: ".0%", gradientLength: Math.min(200, step * labels.length) }
          },
          tooltip: [{ field: "trueLabel", title: "true" }, { field: "predicted" }, { field: "count" }, { field: "share", format: ".1%" }]
        }
      },
      ...showCounts ? [
        {
          mark: { type: "text", fontSize: step >= 32 ? 12 : 10 },
          encoding: {
            text: { field: "count", type: "quantitative" },
            color: { condition: { test: "datum.share > 0.5", value: "white" }, value: "#111827" }
          }
        }
      ] : []
    ]
  });
}
function perLabelChart(result, baseline) {
  const before = new Map(baseline?.test.perLabel.map((p) => [p.label, p.f1]) ?? []);
  const rows = result.test.perLabel.map((p) => ({
    label: p.label,
    f1: p.f1,
    precision: p.precision,
    recall: p.recall,
    support: p.support,
    baselineF1: before.get(p.label) ?? null
  }));
  if (rows.length === 0) return null;
  const step = Math.max(MIN_STEP + 3, Math.min(26, Math.floor(640 / rows.length)));
  const order = [...rows].sort((a, b) => a.f1 - b.f1 || a.label.localeCompare(b.label)).map((r) => r.label);
  const y = { field: "label", type: "nominal", title: null, sort: order };
  const x = { field: "f1", type: "quantitative", title: "F1 on the test set", scale: { domain: [0, 1] }, axis: { format: ".0%" } };
  const hasBaseline = rows.some((r) => r.baselineF1 !== null);
  return chart("per-label-f1", chartTitle("per-label-f1", result), hasBaseline ? "Worst first. Black tick: baseline F1" : "Worst first", {
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
      ...hasBaseline ? [
        {
          transform: [{ filter: "datum.baselineF1 != null" }],
          mark: { type: "tick", color: "#111827", thickness: 2, size: step * 0.8 },
          encoding: { x: { field: "baselineF1", type: "quantitative" } }
        }
      ] : []
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
  return chart("dataset", chartTitle("dataset", result), `${result.dataset.images} images, ${result.dataset.labels.length} labels`, {
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
  return [leaderboardChart(result), curvesChart(result), trialsChart(result), perLabelChart(result, baseline), confusionChart(result), datasetChart(result)].filter((c) => c !== null).map((c) => ({ ...c, spec: chartLabels(c.spec) }));
}

// src/core/report/html.ts
import { createHash } from "node:crypto";

// src/core/review/diff.ts
function diffDatasets(current, baseline) {
  const labelsOf = (images) => {
    const bySha = /* @__PURE__ */ new Map();
    for (const image of images) bySha.set(image.sha256, [...bySha.get(image.sha256) ?? [], image]);
    return bySha;
  };
  const now = labelsOf(current);
  const before = labelsOf(baseline);
  const byFile = (a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
  const added = current.filter((i) => !before.has(i.sha256)).map(({ file, label }) => ({ file, label }));
  const removed = baseline.filter((i) => !now.has(i.sha256)).map(({ file, label }) => ({ file, label }));
  const relabelled2 = current.flatMap((i) => {
    const old = before.get(i.sha256);
    return old && !old.some((o) => o.label === i.label) ? [{ file: i.file, from: old[0].label, to: i.label }] : [];
  });
  return { added: added.sort(byFile), removed: removed.sort(byFile), relabelled: relabelled2.sort(byFile) };
}
function withDatasetDiff(result, baseline) {
  if (!result.review || !result.dataset.files || !baseline.dataset.files) return result;
  return { ...result, review: { ...result.review, diff: diffDatasets(result.dataset.files, baseline.dataset.files) } };
}

// src/core/report/document.ts
var ALL = Number.MAX_SAFE_INTEGER;
var NO_LIMITS = {
  labelChanges: ALL,
  leaderboard: ALL,
  trials: ALL,
  perLabel: ALL,
  confusionLabels: 20,
  confusedPairs: ALL,
  mistakes: ALL,
  counts: ALL,
  skipped: ALL,
  warnings: ALL,
  layers: ALL,
  files: ALL,
  backendsSkipped: ALL,
  suspects: ALL,
  duplicates: ALL,
  outliers: ALL,
  diffLabels: ALL,
  relabelled: ALL,
  mermaid: false
};
function buildDocument(result, options) {
  const where = whereIsTheRest(options.fullReportUrl);
  return {
    title: `classifier-ci: ${percent(result.test.accuracy)} test accuracy with ${winnerName(result)}`,
    verdict: verdict(result, options.baseline),
    headline: headline(result, options),
    sections: [
      bakeOffSection(result, options, where),
      tuningSection(result, options, where),
      testSection(result, options, where),
      ...elsewhereSection(result, options, where),
      ...reviewSection(result, options, where),
      datasetSection(result, options, where),
      modelSection(result, options),
      runSection(result, options)
    ],
    footer: footer(result, options.fullReportUrl)
  };
}
function whereIsTheRest(fullReportUrl) {
  return fullReportUrl ? ["Everything is in the ", { link: "full report", url: fullReportUrl }, "."] : ["Everything is in report.html and result.json."];
}
function shortenable(t, what, how, where, className) {
  const blocks = [{ kind: "table", table: t, ...className ? { className } : {} }];
  if (t.rows.length < t.total)
    blocks.push({ kind: "paragraph", aside: true, text: [`Showing ${t.rows.length} of ${integer(t.total)} ${what}${how ? ` (${how})` : ""}. `, ...where] });
  return blocks;
}
var plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
var mistakesSummary = (t, where = "") => t.total === 1 ? `The one mistake${where}` : `The ${t.rows.length} most confident mistakes${where}`;
function headline(result, options) {
  const { baseline } = options;
  if (!baseline) return [{ kind: "facts", facts: keyFacts(result) }];
  const blocks = [{ kind: "table", table: comparison(result, baseline) }];
  const changes = labelChanges(result, baseline, options.limits.labelChanges);
  if (changes.rows.length) {
    const which = changes.total < 2 ? "the label" : changes.rows.length < changes.total ? `the ${changes.rows.length} that moved most` : `all ${changes.total}`;
    blocks.push({ kind: "fold", summary: `F1 change per label (${which})`, open: false, openInFullReport: true, blocks: [{ kind: "table", table: changes }] });
  }
  return blocks;
}
function keyFacts(result) {
  const d = result.dataset;
  const t = result.test;
  const tuned = result.tuning.bestTrial >= 0 ? `tuned (trial ${trialNumber(result.tuning.bestTrial)} of ${result.tuning.trials.length})` : "bake-off head kept";
  return [
    { label: "Winner", value: winnerName(result), note: tuned, strong: true },
    {
      label: "Test accuracy",
      value: percent(t.accuracy),
      note: `on ${integer(t.images)} images${t.accuracyInterval ? ` (95% interval ${interval(t.accuracyInterval.low, t.accuracyInterval.high)})` : ""}${t.topK ? `; top-${t.topK.k}: ${percent(t.topK.accuracy)}` : ""}`,
      strong: true
    },
    ...elsewhereFact(result),
    { label: "Macro F1", value: percent(t.macroF1) },
    {
      label: "Dataset",
      value: `${integer(d.images)} images`,
      note: `${plural(d.labels.length, "label")}${d.skipped.length ? `, ${integer(d.skipped.length)} skipped` : ""}`
    },
    { label: "Compute", ...computeFact(result) },
    {
      label: "Time",
      value: duration(totalSeconds(result)),
      note: `of a ${duration(result.budget.seconds)} budget${result.budget.exhausted ? " (budget ran out: some stages were cut short)" : ""}`
    }
  ];
}
function elsewhereFact(result) {
  const other = result.elsewhere;
  if (!other) return [];
  const m = other.metrics;
  const gap = other.gap;
  const against = gap ? `; ${deltaPoints(gap.mean)} against the test set, ${gapBeyondNoise(gap) ? "beyond" : "within"} the noise` : "";
  return [
    {
      label: "Images from elsewhere",
      value: percent(m.accuracy),
      note: `on ${integer(m.images)} images of ${other.dataset}${m.accuracyInterval ? ` (95% interval ${interval(m.accuracyInterval.low, m.accuracyInterval.high)})` : ""}${against}`
    }
  ];
}
function bakeOffSection(result, options, where) {
  const fallback = options.limits.mermaid && options.mermaidCurves ? {
    kind: "fold",
    summary: "Learning curve of the chosen model",
    open: false,
    blocks: [{ kind: "code", language: "mermaid", text: options.mermaidCurves }]
  } : void 0;
  return {
    id: "bake-off",
    title: "Bake-off",
    blocks: [
      ...selection(result),
      ...shortenable(leaderboard(result, options.limits.leaderboard), "candidates", "winner first, then by estimate", where),
      ...estimateNotes(result),
      ...budgetPlan(result),
      ...augmentation(result),
      {
        kind: "charts",
        charts: [
          { name: "leaderboard", alt: chartTitle("leaderboard", result) },
          { name: "curves", alt: chartTitle("curves", result) }
        ],
        ...fallback ? { fallback } : {}
      }
    ]
  };
}
function candidatesLine(result) {
  const all = result.bakeOff.candidates;
  const ensembles = all.filter((c) => c.ensemble).length;
  const scratch = all.filter((c) => !c.ensemble && c.kind === "scratch").length;
  const frozen = all.length - ensembles - scratch;
  const parts = [
    frozen ? `${plural(frozen, "frozen backbone")} with a new head each` : "",
    scratch ? `${plural(scratch, "network")} trained from scratch` : "",
    ensembles ? `${plural(ensembles, "ensemble")} with one head on ${ensembles === 1 ? "its" : "their"} members' features` : ""
  ].filter(Boolean);
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : parts[0];
  return `${plural(all.length, "candidate")}${listed ? `: ${listed}` : ""}`;
}
function selection(result) {
  const sel = result.bakeOff.selection;
  if (!sel || !result.bakeOff.candidates.some((c) => c.cv)) {
    return [{ kind: "paragraph", text: [`${candidatesLine(result)}, trained on the same split; the best validation accuracy won.`] }];
  }
  const runnerUp = sel.runnerUp ? result.bakeOff.candidates.find((c) => c.backbone === sel.runnerUp) : void 0;
  const next = sel.runnerUp ? [" Runner-up: ", { strong: clip(runnerUp?.displayName ?? sel.runnerUp) }, runnerUp?.cv ? `, ${estimateText(runnerUp.cv)}.` : "."] : [" No runner-up."];
  return [
    {
      kind: "paragraph",
      text: [
        `${candidatesLine(result)}; each is scored by cross-validation on the training and validation images (mean accuracy with its 95% interval), or by its validation accuracy where it could not be.`
      ]
    },
    { kind: "paragraph", text: [`Chosen by the rule \u201C${clip(sel.rule, 200)}\u201D: ${clip(sel.reason, 600)}`, ...next] }
  ];
}
function estimateNotes(result) {
  const notes = result.bakeOff.candidates.filter((c) => c.cv?.note);
  if (!notes.length) return [];
  return [
    { kind: "list", title: "Estimates", items: notes.map((c) => [{ code: clip(c.backbone, 60) }, `: ${clip(c.cv.note, 200)}`]) }
  ];
}
function augmentation(result) {
  const tried = result.bakeOff.candidates.filter((c) => c.augment);
  if (!tried.length) return [];
  return [
    {
      kind: "list",
      title: `Augmentation (${clip(tried[0].augment.rule, 240)})`,
      items: tried.map((c) => {
        const a = c.augment;
        const used = a.augmentations.length ? `views by ${a.augmentations.join(", ")}; ` : "";
        const flip = a.flipCheck ? ` Flip ${a.flipCheck.allowed ? "on" : "off"}: flipped validation images scored ${percent(a.flipCheck.flippedAccuracy)} against ${percent(a.flipCheck.plainAccuracy)} as they are.` : "";
        const tta = c.tta ? ` Test-time ${c.tta.view}: validation ${percent(c.tta.ttaAccuracy)} against ${percent(c.tta.plainAccuracy)} without; ${c.tta.paid ? "it pays (predict --tta uses it)" : "it does not pay"}.` : "";
        return [{ code: clip(c.backbone, 60) }, `: ${used}${clip(a.note, 300)}.${flip}${tta}`];
      })
    }
  ];
}
function budgetPlan(result) {
  const plan = result.bakeOff.plan ?? [];
  if (!plan.length) return [];
  return [
    {
      kind: "list",
      title: "Fitted to the budget",
      items: plan.map((p) => [{ code: clip(p.backbone, 60) }, `: ${clip(p.reason, 200)}`])
    }
  ];
}
function tuningSection(result, options, where) {
  const tuning = result.tuning;
  const n = tuning.trials.length;
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const chosen = tuning.trials.find((t) => t.index === tuning.bestTrial);
  const byFolds = tuning.choice?.folds !== void 0;
  const outcome = chosen ? [
    " Chosen: ",
    { strong: `trial ${trialNumber(chosen.index)}` },
    `, ${chosen.cv ? `${percent(chosen.cv.mean)} cross-validated, ` : ""}${percent(chosen.valAccuracy)} validation accuracy${winner ? ` (bake-off head: ${percent(winner.valAccuracy)})` : ""}.`
  ] : byFolds ? [
    " Chosen: ",
    { strong: "the bake-off head" },
    `${tuning.choice?.bakeOffHead ? `, ${percent(tuning.choice.bakeOffHead.mean)} cross-validated` : ""}${winner ? `, ${percent(winner.valAccuracy)} validation accuracy` : ""}.`
  ] : [` No trial beat the bake-off head${winner ? ` (${percent(winner.valAccuracy)} validation accuracy)` : ""}, so it was kept.`];
  const choice = tuning.choice ? [{ kind: "paragraph", text: [`How: ${clip(tuning.choice.reason, 400)}.`] }] : [];
  const ft = tuning.fineTune;
  const blocks = [
    {
      kind: "paragraph",
      text: [`${winnerName(result)}: ${plural(n, "trial")} in ${duration(tuning.seconds)} (${clip(tuning.strategy, 160)}).`, ...outcome]
    },
    ...choice,
    { kind: "paragraph", text: ["Config: ", { code: headSettings(tuning.best) }] },
    {
      kind: "paragraph",
      text: [
        `Fine-tuning the top of the backbone: ${ft.applied ? `applied${ft.valAccuracy !== void 0 ? `, ${percent(ft.valAccuracy)} validation accuracy` : ""}` : "skipped"}; ${clip(ft.reason, 200)}.`
      ]
    }
  ];
  const cw = tuning.classWeights;
  if (cw?.applied) {
    const imbalance = cw.ratio === null ? "a label has no training images" : `the largest label has ${cw.ratio}\xD7 the training images of the smallest (more than ${cw.threshold}\xD7)`;
    const weights = Object.entries(cw.weights ?? {}).map(([label, w]) => `${clip(label, 40)} ${w.toFixed(2)}`).join(", ");
    blocks.push({
      kind: "paragraph",
      text: [`Class weights: ${imbalance}, so the loss weighted each label by its inverse frequency${weights ? ` (${weights})` : ""}.`]
    });
  }
  if (tuning.refit)
    blocks.push({ kind: "paragraph", text: [`Final fit: ${tuning.refit.applied ? "" : "skipped; "}${clip(tuning.refit.reason, 200)}.`] });
  blocks.push({ kind: "charts", charts: [{ name: "trials", alt: chartTitle("trials", result) }] });
  if (n) {
    const t = trials(result, options.limits.trials);
    blocks.push({
      kind: "fold",
      summary: `${t.rows.length < t.total ? `Best ${t.rows.length} of ${n} trials` : `All ${n} trials`}, best first`,
      open: false,
      blocks: shortenable(t, "trials", "best first", where)
    });
  }
  return { id: "tuning", title: "Hyperparameter round", blocks };
}
function testSection(result, options, where) {
  const test = result.test;
  const { limits } = options;
  const blocks = [
    {
      kind: "paragraph",
      text: [
        `${integer(test.images)} images the model never saw while training or choosing: accuracy ${percent(test.accuracy)}${test.accuracyInterval ? ` (95% interval ${interval(test.accuracyInterval.low, test.accuracyInterval.high)}, Wilson)` : ""}${test.topK ? `, top-${test.topK.k} ${percent(test.topK.accuracy)}` : ""}, macro F1 ${percent(test.macroF1)}.`
      ]
    }
  ];
  const cal = test.calibration;
  if (cal) {
    blocks.push({
      kind: "paragraph",
      text: [
        `Calibration: temperature ${cal.temperature.toFixed(2)}, fitted on ${cal.fittedWith === "out-of-fold" ? `out-of-fold predictions for ${plural(cal.fittedOn, "training and validation image")}` : plural(cal.fittedOn, "validation image")}; expected calibration error on the test images ${percent(cal.eceBefore)} before, ${percent(cal.eceAfter)} after (${cal.bins} bins).`
      ]
    });
  }
  const uncalibrated = test.calibrationSkipped;
  if (uncalibrated) {
    blocks.push({
      kind: "paragraph",
      text: [
        `Calibration: none fitted, ${uncalibrated.reason}. Expected calibration error on the test images: ${percent(uncalibrated.ece)} (${uncalibrated.bins} bins).`
      ]
    });
  }
  const perLabel2 = perLabel(result, options.baseline, limits.perLabel);
  const perLabelBlocks = shortenable(perLabel2, "labels", "lowest F1 first", where);
  if (perLabel2.total <= 10) blocks.push(...perLabelBlocks);
  else {
    const summary = `Precision, recall and F1 for ${perLabel2.rows.length < perLabel2.total ? `the ${perLabel2.rows.length} weakest of ${perLabel2.total} labels` : `all ${perLabel2.total} labels`}`;
    blocks.push({ kind: "fold", summary, open: false, openInFullReport: perLabel2.total <= 20, blocks: perLabelBlocks });
  }
  blocks.push({ kind: "charts", charts: [{ name: "per-label-f1", alt: chartTitle("per-label-f1", result) }] });
  const labels = test.confusion.labels.length;
  const confusionChart2 = { kind: "charts", charts: [{ name: "confusion", alt: chartTitle("confusion", result) }] };
  if (labels > 0 && labels <= limits.confusionLabels) {
    blocks.push({
      kind: "fold",
      summary: "Confusion matrix (rows: true label, columns: predicted)",
      open: false,
      blocks: [{ kind: "table", table: confusionMatrix(result), className: "matrix" }, confusionChart2]
    });
  } else if (labels > 0) {
    const pairs = confusedPairs(result, limits.confusedPairs);
    const body = pairs.total ? shortenable(pairs, "confused pairs", "most images first", where) : [{ kind: "paragraph", text: ["No confusions: every test image was classified correctly."] }];
    blocks.push({
      kind: "fold",
      summary: `Most confused label pairs (the full ${labels}\xD7${labels} matrix is in the chart and the HTML report)`,
      open: false,
      blocks: [...body, confusionChart2]
    });
  }
  if (test.mistakes.length) {
    const t = mistakes(result, limits.mistakes, options.thumbnails);
    blocks.push({
      kind: "fold",
      summary: mistakesSummary(t),
      open: false,
      openInFullReport: t.total <= 10,
      blocks: shortenable(t, "mistakes", "most confident first", where)
    });
  }
  return { id: "test", title: "Test set", blocks };
}
function elsewhereSection(result, options, where) {
  const other = result.elsewhere;
  if (!other) return [];
  const m = other.metrics;
  const there = { ...result, test: m };
  const left2 = [
    other.seen ? `${plural(other.seen, "image")} the model trained on (by content)` : "",
    other.unreadable.length ? `${plural(other.unreadable.length, "unreadable image")}` : ""
  ].filter(Boolean);
  const blocks = [
    {
      kind: "paragraph",
      text: [
        { code: other.dataset },
        `: ${integer(m.images)} labelled images the model did not train on, from the folder given to evaluate on, scored with the exported model as predict answers them: accuracy ${percent(m.accuracy)}${m.accuracyInterval ? ` (95% interval ${interval(m.accuracyInterval.low, m.accuracyInterval.high)}, Wilson)` : ""}${m.topK ? `, top-${m.topK.k} ${percent(m.topK.accuracy)}` : ""}, macro F1 ${percent(m.macroF1)}; expected calibration error ${percent(other.ece)}.${left2.length ? ` Left out: ${left2.join(" and ")}.` : ""}${other.missingLabels.length ? ` No images there for ${other.missingLabels.map((l) => clip(l)).join(", ")}.` : ""}`
      ]
    }
  ];
  const gap = gapSentence({ atTraining: { images: result.test.images, accuracy: result.test.accuracy }, gap: other.gap }, "Test set");
  if (gap) blocks.push({ kind: "paragraph", text: [gap] });
  blocks.push(...shortenable(perLabel(there, void 0, options.limits.perLabel, "Images"), "labels", "lowest F1 first", where));
  const pairs = confusedPairs(there, options.limits.confusedPairs);
  if (pairs.total)
    blocks.push({
      kind: "fold",
      summary: "Most confused label pairs there",
      open: false,
      blocks: shortenable(pairs, "confused pairs", "most images first", where)
    });
  if (m.mistakes.length) {
    const t = mistakes(there, options.limits.mistakes, options.thumbnails);
    blocks.push({
      kind: "fold",
      summary: mistakesSummary(t, " there"),
      open: false,
      blocks: shortenable(t, "mistakes", "most confident first", where)
    });
  }
  return [{ id: "elsewhere", title: "Images from elsewhere", blocks }];
}
function reviewOf(result, baseline) {
  if (!result.review || result.review.diff || !baseline) return result.review;
  return withDatasetDiff(result, baseline).review;
}
function reviewSection(result, options, where) {
  const review = reviewOf(result, options.baseline);
  if (!review) return [];
  const { limits } = options;
  const leaks = review.nearDuplicates.filter((d) => d.crossSplit).length;
  const conflicts = review.nearDuplicates.filter((d) => d.crossLabel).length;
  const blocks = [
    {
      kind: "paragraph",
      text: [
        `${plural(review.labelSuspects.length, "label suspect")}, ${plural(review.nearDuplicates.length, "near-duplicate pair")} (${leaks} across splits, ${conflicts} across labels) and ${plural(review.outliers.length, "outlier")}, found with the embeddings of `,
        { code: clip(review.backbone, 60) },
        "."
      ]
    }
  ];
  const leak = review.leak;
  if (leak) {
    const text = leak.leakedTestImages === 0 ? `No test image has a near-duplicate in training or validation, so the test accuracy is not inflated by copies.` : `${integer(leak.leakedTestImages)} of ${integer(leak.testImages)} test images ${leak.leakedTestImages === 1 ? "has" : "have"} a near-duplicate in training or validation: test accuracy ${percent(leak.accuracy)} with them, ${leak.accuracyWithoutLeaks === null ? "none left without them" : `${percent(leak.accuracyWithoutLeaks)} without`}.`;
    blocks.push({ kind: "paragraph", text: [text] });
  }
  const list = (summary, t, what, how) => ({
    kind: "fold",
    summary,
    open: false,
    openInFullReport: t.total <= 10,
    blocks: shortenable(t, what, how, where)
  });
  if (review.labelSuspects.length) {
    blocks.push(
      list(
        `Label suspects (${integer(review.labelSuspects.length)}): the given label may be wrong`,
        labelSuspects(review, limits.suspects, options.thumbnails),
        "label suspects",
        "most suspicious first"
      )
    );
  }
  if (review.nearDuplicates.length)
    blocks.push(
      list(
        `Near-duplicates (${integer(review.nearDuplicates.length)} pairs)`,
        nearDuplicates(review, limits.duplicates),
        "near-duplicate pairs",
        "most similar first"
      )
    );
  if (review.outliers.length)
    blocks.push(
      list(`Outliers (${integer(review.outliers.length)}): far from every label`, outliers(review, limits.outliers), "outliers", "farthest first")
    );
  const diff = review.diff;
  if (diff) {
    const changed = diff.added.length + diff.removed.length + diff.relabelled.length;
    blocks.push({
      kind: "paragraph",
      text: [
        changed ? `Against the baseline: ${integer(diff.added.length)} images added, ${integer(diff.removed.length)} removed, ${integer(diff.relabelled.length)} relabelled.` : "Against the baseline: no image added, removed or relabelled."
      ]
    });
    if (changed) blocks.push(list("Changes per label", datasetDiff(diff, limits.diffLabels), "labels", ""));
    if (diff.relabelled.length)
      blocks.push(list(`Relabelled images (${integer(diff.relabelled.length)})`, relabelled(diff, limits.relabelled), "relabelled images", ""));
  }
  blocks.push({ kind: "paragraph", aside: true, text: [`Method: ${clip(review.method, 600)}`] });
  return [{ id: "review", title: "Dataset review", blocks }];
}
function datasetSection(result, options, where) {
  const d = result.dataset;
  const { limits } = options;
  const how = d.splitMode === "hash" ? "split by content hash (stable across runs)" : "split by its train/, val/ and test/ folders";
  const s = d.splitCounts;
  const blocks = [
    {
      kind: "paragraph",
      text: [
        { code: clip(d.root) },
        `: ${integer(d.images)} images in ${plural(d.labels.length, "label")}, ${how}: ${integer(s.train)} train, ${integer(s.val)} validation, ${integer(s.test)} test.`
      ]
    }
  ];
  if (d.warnings.length) {
    const shown2 = d.warnings.slice(0, limits.warnings);
    const more = d.warnings.length - shown2.length;
    blocks.push({
      kind: "list",
      title: "Warnings",
      items: [...shown2.map((w) => [clip(w, 300)]), ...more ? [[`\u2026and ${more} more. `, ...where]] : []]
    });
  }
  const t = counts(result, options.baseline, limits.counts);
  blocks.push({
    kind: "fold",
    summary: `Images per label and split${t.rows.length < t.total ? ` (first ${t.rows.length} of ${t.total} labels)` : ""}`,
    open: false,
    blocks: [...shortenable(t, "labels", "", where), { kind: "charts", charts: [{ name: "dataset", alt: chartTitle("dataset", result) }] }]
  });
  if (d.skipped.length) {
    const skipped2 = skipped(result, limits.skipped);
    blocks.push({
      kind: "fold",
      summary: `${integer(d.skipped.length)} ${d.skipped.length === 1 ? "file" : "files"} skipped`,
      open: false,
      openInFullReport: d.skipped.length <= 10,
      blocks: shortenable(skipped2, "skipped files", "", where)
    });
  }
  return { id: "dataset", title: "Dataset", blocks };
}
function modelSection(result, options) {
  const m = result.model;
  const howTo = options.model;
  const total = m.files.reduce((n, f) => n + f.bytes, 0);
  const blocks = [
    {
      kind: "paragraph",
      text: [
        { code: clip(howTo.folder, 120) },
        `: ${bytes(total)} in ${plural(m.files.length, "file")}, ${winnerName(result)} with its trained head, input ${m.inputSize}\xD7${m.inputSize}, ${integer(m.trainableParams + m.nonTrainableParams)} parameters.`
      ]
    }
  ];
  if (m.onnx) {
    const checker = { passed: "the ONNX checker passed it", failed: "the ONNX checker failed it", unavailable: "the ONNX checker was not available" }[m.onnx.checker];
    const opset = m.onnx.opset ? ` (opset ${m.onnx.opset.version}, ${clip(m.onnx.opset.why, 200)})` : "";
    blocks.push({
      kind: "paragraph",
      text: m.onnx.only ? [
        { code: "model.onnx" },
        ` is the model: the ONNX backbone with its preprocessing, the head and the softmax in one graph${opset}; ${checker}. There is no TF.js model (TF.js cannot run the backbone's graph), so `,
        { code: "predict" },
        " and ",
        { code: "loadClassifier" },
        " run it on ONNX Runtime (engine auto or onnx)."
      ] : m.onnx.written ? [{ code: "model.onnx" }, ` written${opset}; ${checker}.`] : [
        { code: "model.onnx" },
        ` not written: ${clip(m.onnx.reason ?? "no reason given", 300)}${m.onnx.checker === "failed" ? ` (${checker})` : ""}.`
      ]
    });
  }
  const d = howTo.download;
  if (d) {
    blocks.push({
      kind: "paragraph",
      text: [
        "Get it from the artifact ",
        { code: clip(d.artifact, 120) },
        " of ",
        { link: `run ${d.runId}`, url: d.runUrl },
        ", or with the GitHub CLI:"
      ]
    });
    blocks.push({ kind: "code", language: "sh", text: d.command });
  }
  blocks.push({ kind: "paragraph", text: ["Classify an image from the command line:"] }, { kind: "code", language: "sh", text: howTo.predictCommand });
  blocks.push({ kind: "paragraph", text: ["Or from code:"] }, { kind: "code", language: "ts", text: howTo.code });
  if (m.layers.length)
    blocks.push({
      kind: "fold",
      summary: `Layers (${m.layers.length})`,
      open: false,
      blocks: [{ kind: "code", language: "text", text: layerSummary(result, options.limits.layers) }]
    });
  if (m.files.length) {
    const t = modelFiles(result, options.limits.files);
    const more = t.rows.length < t.total ? [{ kind: "paragraph", aside: true, text: [`\u2026and ${t.total - t.rows.length} more files.`] }] : [];
    blocks.push({ kind: "fold", summary: "Files", open: false, blocks: [{ kind: "table", table: t }, ...more] });
  }
  return { id: "model", title: "Model", blocks };
}
function runSection(result, options) {
  const b = result.backend;
  const v = result.versions;
  const inference = b.inference;
  const blocks = [
    { kind: "paragraph", text: [`Training backend (${trainingRoles(Boolean(inference?.trainsSmallCnn))}): ${backendLine(result)}.`] }
  ];
  const engine = pretrainedEngineLine(result);
  if (inference && engine) {
    const passed = inference.skipped.map((s) => `${clip(s.engine, 40)} (${clip(s.reason, 200)})`).join("; ");
    const roles = inference.trainsSmallCnn ? "Embeddings of the frozen backbones and training of the small CNN" : "Embeddings of the frozen backbones";
    blocks.push({ kind: "paragraph", text: [`${roles}: ${engine}${passed ? `; passed over: ${passed}` : ""}.`] });
  }
  if (b.skipped.length) {
    const shown2 = b.skipped.slice(0, options.limits.backendsSkipped);
    const more = b.skipped.length - shown2.length;
    blocks.push({
      kind: "paragraph",
      text: [`Not used: ${shown2.map((s) => `${clip(s.backend, 40)} (${clip(s.reason, 200)})`).join("; ")}${more ? `; and ${more} more` : ""}.`]
    });
  }
  blocks.push({
    kind: "paragraph",
    text: [
      `Budget: ${duration(result.budget.usedSeconds)} used of ${duration(result.budget.seconds)}${result.budget.exhausted ? "; it ran out, so some stages stopped early" : ""}. Seed ${result.seed}.`
    ]
  });
  blocks.push({ kind: "paragraph", text: [`Versions: classifier-ci ${v.classifierCi}, tfjs ${v.tfjs}, Node ${v.node}, sharp ${v.sharp}.`] });
  blocks.push({ kind: "table", table: timings(result) });
  return { id: "run", title: "Run details", blocks, folded: true };
}
function footer(result, fullReportUrl) {
  const when = result.startedAt.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
  return [
    `classifier-ci ${result.versions.classifierCi} \xB7 run started ${when} \xB7 result.json schema v${result.schemaVersion}`,
    ...fullReportUrl ? [" \xB7 ", { link: "full report with interactive charts", url: fullReportUrl }] : []
  ];
}

// src/core/report/html.ts
function safeDataImage(uri) {
  return uri && /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/.test(uri) ? uri : null;
}
function cell(c, align) {
  if (typeof c === "string") return `<td${align}>${htmlText(c)}</td>`;
  if ("image" in c) return `<td${align}><img class="thumb" src="${htmlText(c.image)}" alt="${htmlText(c.alt)}"></td>`;
  const text = htmlText(c.text);
  return `<td${align}>${c.code ? `<code>${text}</code>` : c.strong ? `<strong>${text}</strong>` : text}</td>`;
}
function table(t, className = "") {
  const align = (i) => t.columns[i]?.align === "right" ? ' class="num"' : "";
  const head = t.columns.some((c) => c.title) ? `<thead><tr>${t.columns.map((c, i) => `<th${align(i)}>${htmlText(c.title)}</th>`).join("")}</tr></thead>` : "";
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => cell(c, align(i))).join("")}</tr>`).join("\n");
  return `<div class="table-wrap"><table${className ? ` class="${className}"` : ""}>${head}<tbody>
${rows}
</tbody></table></div>`;
}
function card(f) {
  return `<div class="card"><div class="card-label">${htmlText(f.label)}</div><div class="card-value${f.value.length > 12 ? " text" : ""}">${htmlText(f.value)}</div>${f.note ? `<div class="card-note">${htmlText(f.note)}</div>` : ""}</div>`;
}
function inlines(text) {
  return text.map((t) => {
    if (typeof t === "string") return htmlText(t);
    if ("strong" in t) return `<strong>${htmlText(t.strong)}</strong>`;
    if ("code" in t) return `<code>${htmlText(t.code)}</code>`;
    return /^https:\/\/\S+$/.test(t.url) ? `<a href="${htmlText(t.url)}">${htmlText(t.link)}</a>` : htmlText(t.link);
  }).join("");
}
function block(b, charts) {
  switch (b.kind) {
    case "paragraph":
      return `<p${b.aside ? ' class="aside"' : ""}>${inlines(b.text)}</p>`;
    case "table":
      return table(b.table, b.className);
    case "facts":
      return `<div class="cards">${b.facts.map(card).join("\n")}</div>`;
    case "list":
      return `<div class="warnings"><strong>${htmlText(b.title)}</strong><ul>${b.items.map((item) => `<li>${inlines(item)}</li>`).join("")}</ul></div>`;
    case "code":
      return `<pre${b.language === "text" ? ' class="summary"' : ""}><code>${b.text.split("\n").map(htmlText).join("\n")}</code></pre>`;
    case "fold":
      return `<details${b.open || b.openInFullReport ? " open" : ""}><summary>${htmlText(b.summary)}</summary>
${b.blocks.map((x) => block(x, charts)).join("\n")}
</details>`;
    case "charts": {
      const figures = b.charts.flatMap(({ name }) => {
        const c = charts.find((x) => x.name === name);
        return c ? [
          `<figure class="chart"><div class="vega" id="chart-${htmlText(c.name)}" data-chart="${htmlText(c.name)}" role="img" aria-label="${htmlText(c.title)}"></div></figure>`
        ] : [];
      });
      return figures.length ? `<div class="charts">${figures.join("")}</div>` : "";
    }
  }
}
function renderHtml(result, options) {
  const { charts } = options;
  const thumbnails = new Map(
    [...result.test.mistakes, ...result.elsewhere?.metrics.mistakes ?? [], ...result.review?.labelSuspects ?? []].flatMap((m) => {
      const uri = safeDataImage(m.thumbnail);
      return uri && m.sha256 ? [[m.sha256, uri]] : [];
    })
  );
  const doc = buildDocument(result, { baseline: options.baseline, model: options.model, limits: NO_LIMITS, thumbnails });
  const blocks = (list) => list.map((b) => block(b, charts)).filter(Boolean).join("\n");
  const headline2 = `<header>
<h1>${htmlText(doc.title)}</h1>
<p class="verdict tone-${doc.verdict.tone}">${htmlText(doc.verdict.text)}</p>
${blocks(doc.headline)}
</header>`;
  const nav = `<nav>${doc.sections.map((s) => `<a href="#${s.id}">${htmlText(s.title)}</a>`).join("")}</nav>`;
  const sections = doc.sections.map((s) => `<section id="${s.id}"><h2>${htmlText(s.title)}</h2>
${blocks(s.blocks)}
</section>`).join("\n");
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
<title>${htmlText(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${headline2}
${nav}
${sections}
<footer>${inlines(doc.footer)}</footer>
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
/* Headers and numbers break between words only ("anywhere" let a narrow column split "0.701"); long names and paths in text cells still wrap. */
th, td.num { overflow-wrap: normal; }
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
.aside { color: var(--muted); font-style: italic; }
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

// src/core/report/model-access.ts
var DOWNLOAD_DIR = "classifier-ci-run";
function modelHowTo(access) {
  const folder = access.kind === "folder" ? access.path : "model/";
  const download = access.kind === "artifact" ? {
    artifact: access.artifact,
    runId: access.runId,
    runUrl: access.runUrl,
    command: `gh run download ${access.runId} -R ${shellWord(access.repository)} -n ${shellWord(access.artifact)} -D ${DOWNLOAD_DIR} && cd ${DOWNLOAD_DIR}`
  } : null;
  return {
    folder,
    download,
    predictCommand: `npx classifier-ci predict ${shellWord(folder)} image.jpg`,
    code: `import { loadClassifier } from 'classifier-ci';

const c = await loadClassifier(${jsString(folder)});
await c.classify('image.jpg');`
  };
}

// src/core/report/markdown.ts
var COMMENT_LEVELS = [
  {
    labelChanges: 10,
    leaderboard: 20,
    trials: 50,
    perLabel: 100,
    confusionLabels: 12,
    confusedPairs: 20,
    mistakes: 10,
    counts: 100,
    skipped: 20,
    warnings: 20,
    layers: 40,
    files: 20,
    backendsSkipped: 10,
    suspects: 20,
    duplicates: 20,
    outliers: 10,
    diffLabels: 40,
    relabelled: 20,
    mermaid: true
  },
  {
    labelChanges: 10,
    leaderboard: 12,
    trials: 20,
    perLabel: 40,
    confusionLabels: 10,
    confusedPairs: 10,
    mistakes: 8,
    counts: 40,
    skipped: 10,
    warnings: 10,
    layers: 24,
    files: 12,
    backendsSkipped: 5,
    suspects: 10,
    duplicates: 10,
    outliers: 5,
    diffLabels: 20,
    relabelled: 10,
    mermaid: true
  },
  {
    labelChanges: 5,
    leaderboard: 8,
    trials: 10,
    perLabel: 15,
    confusionLabels: 8,
    confusedPairs: 5,
    mistakes: 5,
    counts: 15,
    skipped: 5,
    warnings: 5,
    layers: 12,
    files: 8,
    backendsSkipped: 3,
    suspects: 5,
    duplicates: 5,
    outliers: 3,
    diffLabels: 10,
    relabelled: 5,
    mermaid: false
  }
];
var SUMMARY_LEVELS = [
  {
    labelChanges: 30,
    leaderboard: 50,
    trials: 500,
    perLabel: 2e3,
    confusionLabels: 20,
    confusedPairs: 50,
    mistakes: 25,
    counts: 2e3,
    skipped: 500,
    warnings: 100,
    layers: 400,
    files: 100,
    backendsSkipped: 10,
    suspects: 100,
    duplicates: 100,
    outliers: 50,
    diffLabels: 500,
    relabelled: 100,
    mermaid: true
  },
  ...COMMENT_LEVELS
];
var TONE_ICONS = { better: "\u{1F7E2}", worse: "\u{1F534}", same: "\u26AA", standalone: "\u{1F535}" };
function renderMarkdown(result, options = {}) {
  const limit = options.limit ?? COMMENT_LIMIT;
  const size = (text2) => sizeIn(limit, text2);
  const levels = options.variant === "summary" ? SUMMARY_LEVELS : COMMENT_LEVELS;
  const thumbnails = /* @__PURE__ */ new Map();
  for (const [sha, url] of options.thumbnailUrls ?? []) if (safeUrl(url)) thumbnails.set(sha, url);
  const model = options.model ?? modelHowTo({ kind: "folder", path: result.model.dir });
  const curves = mermaidCurves(result);
  let parts = [];
  for (const limits of levels) {
    const doc = buildDocument(result, { baseline: options.baseline, model, limits, fullReportUrl: options.fullReportUrl, thumbnails, mermaidCurves: curves });
    parts = serialize2(doc, options);
    const text2 = join2(parts);
    if (size(text2) <= limit.max) return text2;
  }
  const note = `

_Some sections were left out to stay under GitHub's size limit. ${inlines2(whereIsTheRest(options.fullReportUrl))}_
`;
  while (parts.length > 1 && size(join2(parts)) + size(note) > limit.max) parts.pop();
  const text = join2(parts);
  if (size(text) + size(note) <= limit.max) return text.trimEnd() + note;
  const room = limit.max - size(note) - 4;
  return `${[...text].slice(0, limit.unit === "bytes" ? Math.floor(room / 4) : room).join("")}\u2026${note}`;
}
function join2(parts) {
  return `${parts.filter(Boolean).join("\n\n")}
`;
}
function serialize2(doc, options) {
  const blocks = (list) => list.map((b) => block2(b, options)).filter(Boolean).join("\n\n");
  const headline2 = [`## ${markdownText(doc.title)}`, `${TONE_ICONS[doc.verdict.tone]} **${markdownText(doc.verdict.text)}**`, blocks(doc.headline)].join(
    "\n\n"
  );
  const sections = doc.sections.map(
    (s) => s.folded ? fold(markdownText(s.title), blocks(s.blocks)) : `### ${markdownText(s.title)}

${blocks(s.blocks)}`
  );
  return [headline2, ...sections, `<sub>${inlines2(doc.footer)}</sub>`];
}
function block2(b, options) {
  switch (b.kind) {
    case "paragraph":
      return b.aside ? `_${inlines2(b.text)}_` : inlines2(b.text);
    case "table":
      return table2(b.table);
    case "facts":
      return markdownTable(
        b.facts.map((f) => {
          const text = markdownText(f.note ? `${f.value}, ${f.note}` : f.value);
          return [markdownText(f.label), f.strong ? `**${text}**` : text];
        }),
        { align: ["l", "l"], alignDelimiters: false }
      );
    case "list":
      return `**${markdownText(b.title)}**

${b.items.map((item) => `- ${inlines2(item)}`).join("\n")}`;
    case "code":
      return codeBlock(b.language, b.text);
    case "fold": {
      const body = b.blocks.map((x) => block2(x, options)).filter(Boolean).join("\n\n");
      return body ? fold(markdownText(b.summary), body, b.open) : "";
    }
    case "charts": {
      const images = b.charts.flatMap((c) => {
        const url = safeUrl(options.chartUrls?.get(c.name));
        return url ? [`![${c.alt}](${url})`] : [];
      });
      if (images.length) return images.join("\n");
      return b.fallback ? block2(b.fallback, options) : "";
    }
  }
}
function inlines2(text) {
  return text.map((t) => {
    if (typeof t === "string") return markdownText(t);
    if ("strong" in t) return `**${markdownText(t.strong)}**`;
    if ("code" in t) return markdownCode(t.code);
    const url = safeUrl(t.url);
    return url ? `[${markdownText(t.link)}](${url})` : markdownText(t.link);
  }).join("");
}
function safeUrl(url) {
  if (!url) return null;
  if (/^https:\/\/[^\s<>"'`()\\[\]]+$/i.test(url)) return url;
  if (/^[\w][\w./-]*$/.test(url) && !url.includes("..")) return url;
  return null;
}
function cellText(cell2) {
  if (typeof cell2 === "string") return markdownText(cell2);
  if ("image" in cell2) return `<img src="${cell2.image}" alt="${htmlText(cell2.alt)}" width="64">`;
  if (cell2.code) return markdownCode(cell2.text);
  return cell2.strong ? `**${markdownText(cell2.text)}**` : markdownText(cell2.text);
}
function table2(t) {
  const align = t.columns.map((c) => c.align === "right" ? "r" : c.align === "center" ? "c" : "l");
  const rows = [t.columns.map((c) => markdownText(c.title)), ...t.rows.map((r) => r.map(cellText))];
  return markdownTable(rows, { align, alignDelimiters: false });
}
function fold(summary, body, open = false) {
  return `<details${open ? " open" : ""}><summary>${summary}</summary>

${body}

</details>`;
}
function codeBlock(language, text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}
${text}
${fence}`;
}
function mermaidCurves(result) {
  const trial = result.tuning.trials.find((t) => t.index === result.tuning.bestTrial);
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner);
  const fromTrial = trial?.curve.length ? trial : void 0;
  const points = fromTrial?.curve ?? winner?.curve ?? [];
  const step = (fromTrial ? fromTrial.config.solver : winner?.solver) === "lbfgs" ? "iteration" : "epoch";
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
    `  title ${mermaidString(`${winnerName(result)}: accuracy per ${step} (blue: validation, orange: training)`)}`,
    `  x-axis "${step}" ${sampled[0].epoch} --> ${sampled[sampled.length - 1].epoch}`,
    `  y-axis "accuracy (%)" ${low} --> 100`,
    `  line [${sampled.map((p) => pct(p.valAccuracy)).join(", ")}]`,
    `  line [${sampled.map((p) => pct(p.trainAccuracy)).join(", ")}]`
  ];
  return lines.join("\n");
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
    throw new Error(`The ${name} chart spec does not compile: ${error.message}`, { cause: error });
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
async function renderChart(chart2) {
  const svg = await renderSvg(chart2.spec, chart2.name);
  const png = await svgToPng(svg);
  return { name: chart2.name, title: chart2.title, svg, png, spec: chart2.spec };
}
async function renderCharts(charts) {
  const rendered = [];
  for (const chart2 of charts) rendered.push(await renderChart(chart2));
  return rendered;
}

// src/core/report/index.ts
var MAX_THUMBNAILS = 10;
async function renderReport(run, options = {}) {
  const renamed = options.datasetName === void 0 ? run : renameDataset(run, options.datasetName);
  const result = options.elsewhereName === void 0 ? renamed : renameElsewhere(renamed, options.elsewhereName);
  const model = modelHowTo(options.model ?? { kind: "folder", path: result.model.dir });
  const specs = buildCharts(result, options.baseline);
  const charts = await renderCharts(specs);
  const chartUrls = /* @__PURE__ */ new Map();
  const thumbnailUrls = /* @__PURE__ */ new Map();
  if (options.imageHost) {
    for (const chart2 of charts) {
      const url = await putQuietly(options.imageHost, `${chart2.name}.png`, chart2.png, "image/png");
      if (url) chartUrls.set(chart2.name, url);
    }
    for (const mistake of [...result.test.mistakes.slice(0, MAX_THUMBNAILS), ...result.elsewhere?.metrics.mistakes.slice(0, MAX_THUMBNAILS) ?? []]) {
      const picture = decodeDataImage(mistake.thumbnail);
      if (!picture || thumbnailUrls.has(mistake.sha256)) continue;
      const url = await putQuietly(options.imageHost, `mistake-${mistake.sha256.slice(0, 16)}.${picture.extension}`, picture.bytes, picture.contentType);
      if (url) thumbnailUrls.set(mistake.sha256, url);
    }
    for (const suspect of result.review?.labelSuspects.slice(0, MAX_THUMBNAILS) ?? []) {
      const picture = decodeDataImage(suspect.thumbnail);
      if (!picture || !suspect.sha256 || thumbnailUrls.has(suspect.sha256)) continue;
      const url = await putQuietly(options.imageHost, `suspect-${suspect.sha256.slice(0, 16)}.${picture.extension}`, picture.bytes, picture.contentType);
      if (url) thumbnailUrls.set(suspect.sha256, url);
    }
  }
  const common = { baseline: options.baseline, chartUrls, thumbnailUrls, fullReportUrl: options.fullReportUrl, model };
  const markdown = renderMarkdown(result, { ...common, variant: "comment", limit: COMMENT_LIMIT });
  const summary = renderMarkdown(result, { ...common, variant: "summary", limit: SUMMARY_LIMIT });
  const html = renderHtml(result, { baseline: options.baseline, model, charts: specs, scripts: await loadBrowserScripts() });
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
function renameDataset(result, name) {
  const root = result.dataset.root;
  if (root === name) return result;
  const rename = (text) => root ? text.split(root).join(name) : text;
  return {
    ...result,
    dataset: {
      ...result.dataset,
      root: name,
      skipped: result.dataset.skipped.map((s) => ({ ...s, reason: rename(s.reason) })),
      warnings: result.dataset.warnings.map(rename)
    }
  };
}
function renameElsewhere(result, name) {
  const other = result.elsewhere;
  if (!other || other.dataset === name) return result;
  const rename = (text) => text.split(other.dataset).join(name);
  return { ...result, elsewhere: { ...other, dataset: name, unreadable: other.unreadable.map((u) => ({ ...u, reason: rename(u.reason) })) } };
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
  COMMENT_LIMIT,
  SUMMARY_LIMIT,
  renameDataset,
  renameElsewhere,
  renderReport,
  writeReport
};
