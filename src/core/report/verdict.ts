/**
 * The one-line verdict and the numbers behind it: how this run compares with its baseline
 * (or, without one, how good it is on its own).
 */
import type { RunResult } from '../result.js';
import { deltaPoints, integer, interval, percent } from './format.js';

/** Changes smaller than this (half a percentage point) are "about the same". */
export const SAME_THRESHOLD = 0.005;

export type Tone = 'better' | 'worse' | 'same' | 'standalone';

export interface Verdict {
  tone: Tone;
  /** One sentence, plain text. */
  text: string;
}

export interface LabelDelta {
  label: string;
  f1: number;
  /** null when the label is new in this run. */
  baselineF1: number | null;
  delta: number | null;
}

/** Per-label F1 changes, biggest change first; labels only in the baseline are left out. */
export function labelDeltas(result: RunResult, baseline: RunResult): LabelDelta[] {
  const before = new Map(baseline.test.perLabel.map((p) => [p.label, p.f1]));
  return result.test.perLabel
    .map((p) => {
      const b = before.get(p.label);
      return { label: p.label, f1: p.f1, baselineF1: b ?? null, delta: b === undefined ? null : p.f1 - b };
    })
    .sort((a, b) => Math.abs(b.delta ?? 0) - Math.abs(a.delta ?? 0) || a.label.localeCompare(b.label));
}

export function removedLabels(result: RunResult, baseline: RunResult): string[] {
  const now = new Set(result.dataset.labels);
  return baseline.dataset.labels.filter((l) => !now.has(l));
}

function clipLabel(label: string): string {
  return label.length > 40 ? `${label.slice(0, 39)}…` : label;
}

export function verdict(result: RunResult, baseline?: RunResult): Verdict {
  const acc = result.test.accuracy;
  if (!baseline) {
    const chance = result.dataset.labels.length ? 1 / result.dataset.labels.length : 0;
    const weakest = [...result.test.perLabel].sort((a, b) => a.f1 - b.f1)[0];
    const quality = acc >= 0.9 ? 'Strong' : acc >= 0.75 ? 'Usable' : acc > chance + 0.1 ? 'Weak' : 'Not learning';
    const sure = result.test.accuracyInterval ? `95% interval ${interval(result.test.accuracyInterval.low, result.test.accuracyInterval.high)}; ` : '';
    const parts = [`${quality}: ${percent(acc)} test accuracy on ${integer(result.test.images)} images (${sure}chance is ${percent(chance, 0)})`];
    if (weakest && result.test.perLabel.length > 1) parts.push(`weakest label: ${clipLabel(weakest.label)} (F1 ${percent(weakest.f1)})`);
    if (result.test.images < 50) parts.push('few test images, so treat these numbers as rough');
    return { tone: 'standalone', text: `${parts.join('; ')}.` };
  }
  const delta = acc - baseline.test.accuracy;
  const tone: Tone = delta >= SAME_THRESHOLD ? 'better' : delta <= -SAME_THRESHOLD ? 'worse' : 'same';
  const head = { better: 'Better than the baseline', worse: 'Worse than the baseline', same: 'About the same as the baseline' }[tone];
  const parts = [`${head}: test accuracy ${deltaPoints(delta)} (${percent(baseline.test.accuracy)} → ${percent(acc)})`];
  // How sure: a change smaller than this run's interval may be noise of a small test set.
  const ci = result.test.accuracyInterval;
  if (ci) parts.push(`this run's 95% interval is ${interval(ci.low, ci.high)} on ${integer(result.test.images)} test images`);
  const moved = labelDeltas(result, baseline).filter((d) => d.delta !== null && Math.abs(d.delta) >= 0.02);
  const gain = moved.filter((d) => d.delta! > 0).sort((a, b) => b.delta! - a.delta!)[0];
  const loss = moved.filter((d) => d.delta! < 0).sort((a, b) => a.delta! - b.delta!)[0];
  if (gain) parts.push(`biggest gain ${clipLabel(gain.label)} (F1 ${deltaPoints(gain.delta!)})`);
  if (loss) parts.push(`biggest drop ${clipLabel(loss.label)} (F1 ${deltaPoints(loss.delta!)})`);
  if (baseline.dataset.fingerprint !== result.dataset.fingerprint) parts.push('the dataset changed, so the test sets differ');
  return { tone, text: `${parts.join('; ')}.` };
}
