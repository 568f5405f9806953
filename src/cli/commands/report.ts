import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors.js';
import { escapeLogLine } from '../../core/log-line.js';
import { writeReport } from '../../core/report/index.js';
import { parseRunResult, type RunResult } from '../../core/result.js';
import type { Command } from '../command.js';
import { modelFolder } from '../report-files.js';

const usage = `Usage: classifier-ci report <result.json> [options]

Renders the report of a finished run again: report.md (for a PR comment), summary.md,
report.html (interactive charts, opens offline) and charts/*.svg|png.

Options:
  --baseline <result.json>  compare with this earlier run (▲/▼ per metric and per label)
  --out <dir>               where the files go (default: the folder of <result.json>)
  --full-report-url <url>   https link to the full report, named where tables are shortened
  --json                    print the written paths as JSON on stdout
  -h, --help                show this help

Example:
  classifier-ci report runs/sample/result.json --baseline runs/main/result.json`;

async function readResult(path: string, what: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${what} ${path} does not exist. Give the result.json a training run wrote.`
        : `Cannot read ${what} ${path}: ${(error as Error).message}`,
      path,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} ${path} is not valid JSON: ${(error as Error).message}`, path);
  }
  try {
    return parseRunResult(json, path);
  } catch (error) {
    throw new InputError((error as Error).message, path);
  }
}

export const command: Command = {
  name: 'report',
  summary: 'render the report (Markdown, HTML, charts) of a result.json again',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        baseline: { type: 'string' },
        out: { type: 'string' },
        'full-report-url': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new InputError('Give exactly one result.json, e.g. classifier-ci report runs/sample/result.json.', 'result.json');
    const resultPath = positionals[0];
    const fullReportUrl = values['full-report-url'];
    if (fullReportUrl !== undefined && !/^https:\/\/\S+$/.test(fullReportUrl)) {
      throw new InputError(`--full-report-url must be an https:// URL, got "${fullReportUrl}".`, 'full-report-url');
    }
    const result = await readResult(resultPath, 'The result');
    const baseline = values.baseline === undefined ? undefined : await readResult(values.baseline, 'The baseline');
    const outDir = values.out ?? dirname(resultPath);
    // The model lies next to result.json, wherever the report goes.
    const written = await writeReport(outDir, result, { baseline, fullReportUrl, model: modelFolder(dirname(resultPath), result) });
    if (values.json) process.stdout.write(`${JSON.stringify(written, null, 2)}\n`);
    else process.stderr.write([`Wrote ${written.length} files to ${outDir}:`, ...written.map((p) => `  ${p}`)].map(escapeLogLine).join('\n') + '\n');
    return 0;
  },
};
