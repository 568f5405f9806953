/**
 * The action's Logger: stages as collapsible groups, dataset problems as warning annotations
 * on the offending files, throttled progress.
 *
 * The runner reads workflow commands from every line of the log: a line starting with `::`
 * (`::set-output`, `::add-mask`, `::stop-commands`) or containing the legacy `##[` form. File
 * names, labels and URLs come from the repository and may be written by anyone who can open a
 * pull request, so every string that reaches the log goes through `neutralise` first.
 */
import * as core from '@actions/core';
import { posix, relative, sep } from 'node:path';
import { logLine, showUnsafe, UNSAFE_CHARACTERS, WORD_JOINER } from '../core/escape.js';
import type { Location, Logger } from '../core/ports.js';

/**
 * Makes text safe to print as (part of) one log line or annotation message: the `logLine`
 * context of the escaping policy (src/core/escape.ts). Line breaks and other controls show as
 * `\n`, `\x1b`…, and `::` and `##[` are broken so no part of it can be read as a command.
 */
export const neutralise = logLine;

/** Runs `work` inside a collapsible log group. */
export async function withGroup<T>(title: string, work: () => Promise<T>): Promise<T> {
  core.startGroup(neutralise(title));
  try {
    return await work();
  } finally {
    core.endGroup();
  }
}

export interface ActionLoggerOptions {
  /** Absolute dataset path, to turn dataset-relative files into repository-relative annotation paths. */
  datasetPath: string;
  /** Absolute repository root (GITHUB_WORKSPACE). */
  workspace: string;
  /** Whether the dataset is a .zip: annotations then point at the archive itself. */
  datasetIsZip?: boolean;
}

/**
 * The path of a dataset file relative to the repository, with forward slashes, as annotations
 * want it. @actions/core percent-encodes `%`, line breaks, `:` and `,` in it (losslessly, so
 * the annotation still finds the file); the other characters of the escaping policy's rule 1
 * are shown escaped and `##[` is broken, as in any log line.
 */
export function annotationPath(options: ActionLoggerOptions, file: string): string {
  const base = relative(options.workspace, options.datasetPath).split(sep).join('/');
  const path = options.datasetIsZip ? base : base ? posix.join(base, file) : file;
  return path.replace(UNSAFE_CHARACTERS, (c) => (c === '\n' || c === '\r' ? c : showUnsafe(c))).replace(/#(?=#\[)/g, `#${WORD_JOINER}`);
}

export function actionLogger(options: ActionLoggerOptions): Logger & { warnings: number } {
  let openGroup = false;
  const lastQuarter = new Map<string, number>();
  const logger = {
    warnings: 0,
    info(message: string) {
      core.info(neutralise(message));
    },
    warn(message: string, where?: Location) {
      logger.warnings++;
      // core.warning escapes the message and the file property (%, line breaks, `:` and `,`),
      // so they cannot end the command early; neutralise keeps it one readable line.
      if (where?.file) core.warning(neutralise(message), { title: 'classifier-ci', file: annotationPath(options, where.file) });
      else core.warning(neutralise(message));
    },
    stage(title: string) {
      // The log cannot nest groups: close any open one first.
      if (openGroup) core.endGroup();
      core.startGroup(neutralise(title));
      openGroup = true;
      return () => {
        if (openGroup) core.endGroup();
        openGroup = false;
      };
    },
    progress(task: string, done: number, total: number) {
      if (total <= 0) return;
      // One line per quarter keeps the log short.
      const quarter = done >= total ? 4 : Math.floor((done / total) * 4);
      if (quarter <= (lastQuarter.get(task) ?? -1)) return;
      lastQuarter.set(task, quarter);
      core.info(neutralise(`  ${task}: ${done}/${total}`));
    },
  };
  return logger;
}
