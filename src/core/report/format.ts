/** Number formatting shared by the Markdown and HTML reports: one place, one style. */
import type { HeadConfig } from '../result.js';

/** 0.93241 → "93.2%". */
export function percent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** A change in percentage points with ▲/▼: +0.0253 → "▲ 2.5 pp"; "±0.0 pp" when it rounds to zero. */
export function deltaPoints(delta: number, digits = 1): string {
  const points = delta * 100;
  if (Math.abs(points) < 0.5 * 10 ** -digits) return `±${(0).toFixed(digits)} pp`;
  return `${points > 0 ? '▲' : '▼'} ${Math.abs(points).toFixed(digits)} pp`;
}

/** A signed count change: 120 → "+120", -3 → "−3". */
export function deltaCount(delta: number): string {
  return delta === 0 ? '±0' : delta > 0 ? `+${delta}` : `−${-delta}`;
}

/** 218 → "3 min 38 s", 41.2 → "41 s", 0.4 → "0.4 s". */
export function duration(seconds: number): string {
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h ? `${h} h${m ? ` ${m} min` : ''}` : `${m} min${rest ? ` ${rest} s` : ''}`;
}

/** 10_150_754 → "9.7 MiB". */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** 2257984 → "2,257,984" (fixed locale so snapshots do not depend on the machine). */
export function integer(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Learning rates and weight decays: 0.0021 → "2.1e-3", 0.03 → "0.03", 0 → "0". */
export function rate(x: number): string {
  if (x === 0) return '0';
  if (x >= 0.01) return String(Number(x.toPrecision(3)));
  const [mantissa, exponent] = x.toExponential(1).split('e');
  return `${Number(mantissa)}e${exponent}`;
}

/** Hidden layer widths: [] → "none", [512, 128] → "512, 128". */
export function hidden(units: number[]): string {
  return units.length ? units.join(', ') : 'none';
}

/** Each solver's name in the report. */
export const SOLVER_NAMES: Record<HeadConfig['solver'], string> = { lbfgs: 'L-BFGS', adam: 'Adam' };

/** How a head was trained, in words. */
export function solverName(c: HeadConfig): string {
  return c.solver === 'lbfgs' ? `${SOLVER_NAMES.lbfgs}, to convergence` : SOLVER_NAMES.adam;
}

/** A setting only Adam uses (learning rate, batch, dropout) reads "—" for an L-BFGS head. */
export function adamSetting(c: HeadConfig, text: string): string {
  return c.solver === 'lbfgs' ? '—' : text;
}

/** A path as one POSIX shell word: as is when safe, else single-quoted. */
export function shellWord(path: string): string {
  return /^[\w./@:+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** A single-quoted JavaScript string literal, for code samples. */
export function jsString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** Trials as people count them (result.json keeps 0-based indices; logs and reports say trial 1 first). */
export function trialNumber(index: number): number {
  return index + 1;
}

/** A 95% interval of a rate: (0.654, 0.95) → "65.4%–95.0%". */
export function interval(low: number, high: number, digits = 1): string {
  return `${percent(low, digits)}–${percent(high, digits)}`;
}
