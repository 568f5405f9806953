import { parseArgs } from 'node:util';
import { ensureBackend } from '../../core/backend/select.js';
import { typicalImageSide } from '../../core/dataset/image-sizes.js';
import { prepareDataset } from '../../core/dataset/prepare.js';
import { chooseInferenceEngine, type DeviceRequest, type EngineRequest } from '../../core/engine/choose.js';
import { InputError } from '../../core/errors.js';
import { choiceOption, numberOption } from '../options.js';
import { escapeLogLine } from '../../core/log-line.js';
import { DEFAULT_CACHE_DIR, DEFAULTS } from '../../core/options.js';
import { resolveBackbones } from '../../core/run/backbones.js';
import { DEFAULT_PLAN_RULE, planShards, type ShardPlan } from '../../core/shard/plan.js';
import type { Command } from '../command.js';
import { terminalLogger } from '../terminal-logger.js';

const usage = `Usage: classifier-ci plan <dataset> [options]

Plans a run over Actions matrix jobs: the candidates the bake-off will try, and for each
pretrained backbone how many embed jobs (shards, by image content hash) it is worth (none
for name@size, name@size+mid or name@size+grid when name@size+taps is listed: on ONNX
Runtime that pass caches them). A shard
must carry at least --min-shard-seconds of estimated embedding, so small datasets get one.
With --json, "matrix" goes to strategy.matrix through fromJSON, and "backboneList" to the train
job's --backbones (named, so train tries exactly what the embed jobs embedded).

Options:
  --backbones <list>      as for train (default: auto)
  --min-shard-seconds <n> least estimated embedding per shard (default: ${DEFAULT_PLAN_RULE.minShardSeconds})
  --max-jobs <n>          most embed jobs in the matrix (default: ${DEFAULT_PLAN_RULE.maxJobs})
  --engine <name>         auto | onnx | tfjs, as for train (default: auto)
  --device <name>         auto | cpu | gpu, as for train (default: auto)
  --cache-dir <dir>       model download cache (default: .cache/classifier-ci)
  --max-pixels <n>        refuse images above this many pixels (default: ${DEFAULTS.maxPixels})
  --json                  print the plan as JSON on stdout
  --quiet                 only warnings and the plan
  -h, --help              show this help

Example:
  classifier-ci plan dataset --json | jq -c .matrix`;

export function formatPlan(plan: ShardPlan & { backboneList: string }): string[] {
  return [
    `${plan.images} images; candidates: ${plan.candidates.join(', ')}`,
    ...plan.backbones.map((b) =>
      b.embeddedBy
        ? `  ${b.backbone}: no job of its own; the ${b.embeddedBy} jobs cache its vectors (one pass, every tap)`
        : `  ${b.backbone}: about ${b.embedSeconds} s of embedding on one runner → ${b.shards} shard${b.shards === 1 ? '' : 's'}`,
    ),
    `Rule: ${plan.rule}.`,
    `${plan.matrix.include.length} embed job${plan.matrix.include.length === 1 ? '' : 's'}; train with --backbones ${plan.backboneList}`,
  ];
}

export const command: Command = {
  name: 'plan',
  summary: 'plan embed jobs for an Actions matrix: candidates and shards',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        backbones: { type: 'string' },
        'min-shard-seconds': { type: 'string' },
        'max-jobs': { type: 'string' },
        engine: { type: 'string' },
        device: { type: 'string' },
        'cache-dir': { type: 'string' },
        'max-pixels': { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new InputError('Give exactly one dataset folder (or .zip), e.g. classifier-ci plan dataset --json.', 'dataset');
    const rule = {
      minShardSeconds: numberOption(values['min-shard-seconds'], 'min-shard-seconds', DEFAULT_PLAN_RULE.minShardSeconds, { whole: false, positive: true }),
      maxJobs: numberOption(values['max-jobs'], 'max-jobs', DEFAULT_PLAN_RULE.maxJobs, { whole: true, positive: true }),
    };
    const cacheDir = values['cache-dir'] ?? DEFAULT_CACHE_DIR;
    const maxPixels = numberOption(values['max-pixels'], 'max-pixels', DEFAULTS.maxPixels, { whole: true, positive: true });
    const requested = values.backbones
      ? values.backbones
          .split(',')
          .map((b) => b.trim())
          .filter(Boolean)
      : DEFAULTS.backbones;
    const log = terminalLogger(process.stderr, Boolean(values.quiet));

    const backend = await ensureBackend();
    const engine = await chooseInferenceEngine({
      engine: choiceOption<EngineRequest>(values.engine, 'engine', ['auto', 'onnx', 'tfjs']),
      device: choiceOption<DeviceRequest>(values.device, 'device', ['auto', 'cpu', 'gpu']),
      tfjs: backend,
      tfjsWorkers: 1,
      cacheDir,
    });
    const dataset = await prepareDataset({ datasetPath: positionals[0], split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels, workDir: cacheDir }, log);
    const typicalSide = await typicalImageSide(dataset.images.map((i) => i.path));
    const specs = resolveBackbones(requested, backend.name === 'tensorflow', typicalSide, engine.engine);
    // The engine decides which candidates share a pass (a multi-depth pass caches the plain cut, and +taps the +mid taps, on ONNX Runtime only).
    const plan = planShards(specs, new Set(dataset.images.map((i) => i.sha256)).size, rule, { engine: engine.engine });
    const printed = { ...plan, backboneList: plan.candidates.join(',') };
    if (values.json) process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
    else process.stdout.write(formatPlan(printed).map(escapeLogLine).join('\n') + '\n');
    return 0;
  },
};
