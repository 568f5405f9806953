import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ensureBackend } from '../../core/backend/select.js';
import { prepareDataset } from '../../core/dataset/prepare.js';
import { chooseInferenceEngine, type DeviceRequest, type EngineRequest } from '../../core/engine/choose.js';
import { InputError } from '../../core/errors.js';
import { choiceOption, numberOption } from '../options.js';
import { DEFAULT_CACHE_DIR, DEFAULTS } from '../../core/options.js';
import { resolveBackbones } from '../../core/run/backbones.js';
import { inShard, parseShard } from '../../core/shard/assign.js';
import { embedShard } from '../../core/shard/embed.js';
import { embedsFrozen } from '../../core/shard/plan.js';
import type { Command } from '../command.js';
import { terminalLogger } from '../terminal-logger.js';

const usage = `Usage: classifier-ci embed <dataset> --backbone <spec> --shard <i/n> --out <chunk dir> [options]

Embeds one shard of the dataset (images split by content hash) with one backbone and writes a
cache chunk: the embeddings and a chunk.json saying what made them. One embed job per matrix
entry of "classifier-ci plan"; "classifier-ci cache merge" joins the chunks for the train job.

Options:
  --backbone <spec>       the backbone, as the plan names it (e.g. mobilenet_v2@224)
  --shard <i/n>           this job's shard, e.g. 1/2 (default: 1/1, every image)
  --out <dir>             the chunk folder to write (upload it as an artifact)
  --cache-dir <dir>       model download cache (default: .cache/classifier-ci)
  --max-pixels <n>        refuse images above this many pixels (default: ${DEFAULTS.maxPixels})
  --workers <n>           TF.js threads for embedding (default: one per core)
  --engine <name>         auto | onnx | tfjs, as for train: use the same in every job (default: auto)
  --device <name>         auto | cpu | gpu, as for train (default: auto)
  --json                  print the chunk's manifest on stdout
  --quiet                 only warnings
  -h, --help              show this help

Example:
  classifier-ci embed dataset --backbone mobilenet_v2@224 --shard 1/2 --out chunks/mobilenet-1`;

export const command: Command = {
  name: 'embed',
  summary: 'embed one shard of a dataset with one backbone into a cache chunk (matrix jobs)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        backbone: { type: 'string' },
        shard: { type: 'string' },
        out: { type: 'string' },
        'cache-dir': { type: 'string' },
        'max-pixels': { type: 'string' },
        workers: { type: 'string' },
        engine: { type: 'string' },
        device: { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
      },
    });
    if (positionals.length !== 1)
      throw new InputError('Give exactly one dataset folder (or .zip), e.g. classifier-ci embed dataset --backbone hog --shard 1/2 --out chunk.', 'dataset');
    if (!values.backbone) throw new InputError("Give the backbone to embed with, e.g. --backbone mobilenet_v2@224 (the plan's matrix names it).", 'backbone');
    if (!values.out) throw new InputError('Give the chunk folder to write, e.g. --out chunks/1.', 'out');
    const shard = parseShard(values.shard ?? '1/1');
    const cacheDir = values['cache-dir'] ?? DEFAULT_CACHE_DIR;
    const maxPixels = numberOption(values['max-pixels'], 'max-pixels', DEFAULTS.maxPixels, { whole: true, positive: true });
    const workers = numberOption(values.workers, 'workers', availableParallelism(), { whole: true, positive: true });
    const engineRequest = choiceOption<EngineRequest>(values.engine, 'engine', ['auto', 'onnx', 'tfjs']);
    const device = choiceOption<DeviceRequest>(values.device, 'device', ['auto', 'cpu', 'gpu']);
    const log = terminalLogger(process.stderr, Boolean(values.quiet));

    const backend = await ensureBackend();
    const engine = await chooseInferenceEngine({ engine: engineRequest, device, tfjs: backend, tfjsWorkers: workers, cacheDir });
    const named = values.backbone.trim();
    const [spec] =
      named.toLowerCase() === 'auto' || named.includes(',') ? [] : resolveBackbones([named], backend.name === 'tensorflow', undefined, engine.engine);
    if (!spec || !embedsFrozen(spec))
      throw new InputError(
        `--backbone ${values.backbone}: give one pretrained backbone (small_cnn trains in the train job and has nothing to embed).`,
        'backbone',
      );
    // The split does not matter for embedding; the dataset is scanned as train scans it, and
    // only this shard's images are decoded and checked (the train job checks them all).
    const dataset = await prepareDataset(
      { datasetPath: positionals[0], split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels, workDir: cacheDir, check: (sha256) => inShard(sha256, shard) },
      log,
    );
    const { part } = await embedShard({
      spec,
      images: dataset.images,
      shard,
      engine,
      chunkDir: values.out,
      modelCacheDir: cacheDir,
      maxPixels,
      workers,
      log,
      now: () => performance.now(),
    });
    if (values.json) process.stdout.write(`${JSON.stringify(part, null, 2)}\n`);
    return 0;
  },
};
