import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors.js';
import { escapeLogLine } from '../../core/log-line.js';
import { mergeChunks, type MergeReport } from '../../core/shard/merge.js';
import type { Command } from '../command.js';
import { terminalLogger } from '../terminal-logger.js';

const usage = `Usage: classifier-ci cache merge <chunk dir>… --into <dir> [options]

Merges the cache chunks that "classifier-ci embed" wrote into one embedding cache; then
"classifier-ci train --cache-dir <dir>" reads every embedding from it instead of computing it.
Refuses, before writing anything, chunks made by another backbone build, engine or
classifier-ci version, and two different embeddings of one image.

Options:
  --into <dir>            the cache to merge into (created if missing; may already hold a cache)
  --json                  print what was merged as JSON on stdout
  --quiet                 only warnings
  -h, --help              show this help

Example:
  classifier-ci cache merge chunks/* --into .cache/classifier-ci`;

function formatMerge(report: MergeReport): string[] {
  return [
    ...report.backbones.map(
      (b) =>
        `${b.backbone}: ${b.images} images from shard${b.shards.length === 1 ? '' : 's'} ${b.shards.join(', ')} (${b.copied} copied, ${b.alreadyPresent} already there)${b.missingShards.length ? `; missing ${b.missingShards.join(', ')}` : ''}`,
    ),
    `Merged in ${report.seconds.toFixed(1)} s.`,
  ];
}

export const command: Command = {
  name: 'cache',
  summary: 'merge the cache chunks of embed jobs into one cache',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { into: { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' } },
    });
    const [action, ...chunks] = positionals;
    if (action !== 'merge')
      throw new InputError(
        `${action === undefined ? 'Give a cache action' : `Unknown cache action "${action}"`}; there is one, merge: classifier-ci cache merge chunks/* --into merged.`,
        'cache',
      );
    if (!values.into) throw new InputError('Give the folder to merge into, e.g. --into .cache/classifier-ci.', 'into');
    const log = terminalLogger(process.stderr, Boolean(values.quiet));
    const report = await mergeChunks(chunks, values.into, { log, now: () => performance.now() });
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (!values.quiet) process.stderr.write(formatMerge(report).map(escapeLogLine).join('\n') + '\n');
    return 0;
  },
};
