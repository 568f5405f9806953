import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);

// src/core/training/score.ts
function compareHeads(a, b) {
  if (!a || !b) return 0;
  return a.hiddenUnits.length - b.hiddenUnits.length || b.weightDecay - a.weightDecay;
}
function compareScores(a, b) {
  return b.valAccuracy - a.valAccuracy || (a.backboneParams ?? 0) - (b.backboneParams ?? 0) || compareHeads(a.config, b.config) || a.valLoss - b.valLoss;
}
function isBetter(a, b) {
  return compareScores(a, b) < 0;
}
function scoreOf(fitted) {
  return { valAccuracy: fitted.head.valAccuracy, valLoss: fitted.head.valLoss, config: fitted.config };
}
var Z95 = 1.959964;
function wilsonInterval(successes, trials) {
  if (trials <= 0) return { mean: 0, low: 0, high: 1, method: "wilson" };
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = Z95 / denominator * Math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials));
  return { mean: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), method: "wilson" };
}
var T975 = [
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.16,
  2.145,
  2.131,
  2.12,
  2.11,
  2.101,
  2.093,
  2.086,
  2.08,
  2.074,
  2.069,
  2.064,
  2.06,
  2.056,
  2.052,
  2.048,
  2.045,
  2.042
];
function meanAndStandardError(scores) {
  const n = scores.length;
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const variance = scores.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, error: Math.sqrt(variance / n) };
}
function tInterval(scores) {
  const n = scores.length;
  if (n < 2) throw new Error("a t-interval needs at least two fold scores");
  const { mean, error } = meanAndStandardError(scores);
  const half = (T975[n - 2] ?? Z95) * error;
  return { mean, low: Math.max(0, mean - half), high: Math.min(1, mean + half), method: "t-interval" };
}

export {
  compareHeads,
  compareScores,
  isBetter,
  scoreOf,
  wilsonInterval,
  meanAndStandardError,
  tInterval
};
