/**
 * BENCHMARKS.md: a "Current figures" table on top (one row per target, the latest measurement
 * of each), then the dated sections of every run, newest last. A run that measures only some
 * targets (`--only`) updates only their rows; the others keep the date they were measured.
 */

/** One target as a run measured it. */
export interface TargetFigure {
  /** The target as stated in its issue; also the row's key. */
  target: string;
  measured: string;
  /** null: measured, but not against the target (e.g. a part was skipped). */
  met: boolean | null;
}

export interface RunStamp {
  /** "2026-12-02 16:10 UTC" */
  date: string;
  /** CPU, cores and load at the start, e.g. "AMD EPYC, 2 cores, load 0.4". */
  machine: string;
}

const TITLE = '# Benchmarks';
const CURRENT = '## Current figures';
const HISTORY = '## History';
const INTRO =
  'Written by `npm run bench` (bench/run.ts). The table holds the latest figure of each target and when and where it was measured; every run also adds a dated section under History with its machine, load and details. Figures depend on the machine and on what else runs on it: compare only figures measured in the same run.';
const HEADER = ['target', 'figure', 'status', 'date', 'machine'];

export function status(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : '**missed**';
}

/** Returns the new BENCHMARKS.md: current rows updated with this run's targets, its section added to the history. */
export function updateBenchmarks(previous: string, stamp: RunStamp, figures: TargetFigure[], section: string): string {
  const { rows, history } = parse(previous);
  for (const figure of figures) {
    const row = [figure.target, figure.measured, status(figure.met), stamp.date, stamp.machine].map(cell);
    const at = rows.findIndex((r) => r[0] === row[0]);
    if (at >= 0) rows[at] = row;
    else rows.push(row);
  }
  const table = [HEADER, HEADER.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  const sections = [history.trim(), section.trim()].filter(Boolean).join('\n\n');
  return `${TITLE}\n\n${INTRO}\n\n${CURRENT}\n\n${table}\n\n${HISTORY}\n\n${sections}\n`;
}

/** Reads the current rows and the dated sections; a file from before the table had only sections. */
function parse(text: string): { rows: string[][]; history: string } {
  const currentAt = text.indexOf(`\n${CURRENT}\n`);
  const historyAt = text.indexOf(`\n${HISTORY}\n`);
  if (currentAt < 0 || historyAt < 0) {
    const firstSection = text.search(/^## /m);
    return { rows: [], history: firstSection >= 0 ? text.slice(firstSection) : '' };
  }
  const rows = text
    .slice(currentAt + CURRENT.length + 2, historyAt)
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .slice(2)
    .map((line) =>
      line
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((c) => c.trim()),
    );
  return { rows, history: text.slice(historyAt + HISTORY.length + 2) };
}

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/(?<!\\)\|/g, '\\|');
}
