/**
 * classifier-ci's command line: dispatches to one command per file, and is the one place
 * where errors become messages and exit codes (see core/errors.ts for the policy).
 *
 * Messages quote file names, labels and arguments, and the CLI runs inside workflow steps: each
 * line goes through escapeLogLine, so a hostile name cannot break it or start a workflow command.
 */
import { isUserFacingError } from '../core/errors.js';
import { escapeLogLine } from '../core/log-line.js';
import { VERSION } from '../core/version.js';
import type { Command } from './command.js';

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  train: () => import('./commands/train.js'),
  predict: () => import('./commands/predict.js'),
  evaluate: () => import('./commands/evaluate.js'),
  report: () => import('./commands/report.js'),
  review: () => import('./commands/review.js'),
  plan: () => import('./commands/plan.js'),
  embed: () => import('./commands/embed.js'),
  cache: () => import('./commands/cache.js'),
};

const SUMMARIES: Record<string, string> = {
  train: 'train a classifier on a dataset folder (bake-off, tuning, test, export)',
  predict: 'classify images with a trained model',
  evaluate: 'score a trained model on a labelled folder from another source',
  report: 're-render the report from a result.json',
  review: 'review a dataset: label suspects, near-duplicates and leaks, outliers, what changed',
  plan: 'plan embed jobs for an Actions matrix: candidates and shards',
  embed: 'embed one shard of a dataset with one backbone into a cache chunk',
  cache: 'cache merge: join the chunks of embed jobs into one cache',
};

function overview(): string {
  return [
    `classifier-ci ${VERSION}: from a folder of labelled images to a tuned image classifier.`,
    '',
    'Usage: classifier-ci <command> [options]',
    '',
    'Commands:',
    ...Object.keys(COMMANDS).map((name) => `  ${name.padEnd(10)}${SUMMARIES[name]}`),
    '',
    'Run "classifier-ci <command> --help" for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(overview() + '\n');
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`Unknown command "${escapeLogLine(name)}". Commands: ${Object.keys(COMMANDS).join(', ')}. Run "classifier-ci --help".\n`);
    return 2;
  }
  try {
    const { command } = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(command.usage + '\n');
      return 0;
    }
    return await command.run(rest);
  } catch (error) {
    if (isUserFacingError(error)) {
      process.stderr.write(`error: ${escapeLogLine(error.message)}\n`);
      return error.exitCode;
    }
    // parseArgs reports unknown or malformed options with this code.
    const code = (error as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${escapeLogLine((error as Error).message)}. Run "classifier-ci ${name} --help".\n`);
      return 2;
    }
    // A stack trace is many lines by design: each is escaped on its own.
    const trace = ((error as Error).stack ?? String(error)).split('\n').map(escapeLogLine).join('\n');
    process.stderr.write(`classifier-ci hit an unexpected error; this is a bug, please report it with the lines below.\n${trace}\n`);
    return 1;
  }
}
