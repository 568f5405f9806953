import { parseArgs } from 'node:util';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { InputError } from '../../core/errors.js';
import { escapeLogLine } from '../../core/log-line.js';
import { IMAGE_EXTENSIONS } from '../../core/dataset/scan.js';
import { loadClassifier, type Classification } from '../../core/model/classifier.js';
import { CLASSIFIER_ENGINES, type ClassifierEngineChoice } from '../../core/model/onnx-classifier.js';
import { ttaNote } from '../../core/model/tta.js';
import type { Command } from '../command.js';

const usage = `Usage: classifier-ci predict <model dir> <image|folder|glob>... [--json] [--top <k>] [--min-confidence <p>] [--engine auto|onnx|tfjs] [--tta]

Classifies images with a model written by "classifier-ci train".
Folders are searched recursively; quote globs to let classifier-ci expand them ("photos/**/*.jpg").

Options:
  --json        one JSON object per image on stdout: file, label, confidence, probabilities, engine
  --top <k>     show the k most likely labels per image (default: 1)
  --min-confidence <p>
                answer "unknown" when the most likely label's (calibrated) probability
                is below p, a number from 0 to 1 (default: 0, always a label)
  --engine <e>  what runs the model: onnx (model.onnx in ONNX Runtime), tfjs (model.json),
                or auto (default: onnx when the folder has model.onnx and ONNX Runtime loads;
                a model on an .onnx backbone is model.onnx alone, so onnx is its only engine)
  --tta         test-time augmentation: average each image's probabilities with those of
                its flip (or, where training turned flips off, its middle zoomed), as the
                model's preprocessing.json says; twice the work per image. Needs a model
                trained with --augment (auto or a list), which measures the recipe
  -h, --help    show this help

Example:
  classifier-ci predict runs/sample/model sample-dataset/bag/train-00421.png`;

/** A minimal glob: * and ? within a path segment, ** across segments. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else if (IMAGE_EXTENSIONS.has(entry.name.slice(entry.name.lastIndexOf('.')).toLowerCase())) out.push(full);
  }
}

export async function expandInputs(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if (/[*?]/.test(input)) {
      const base = input.slice(0, input.search(/[*?]/)).replace(/[^/]*$/, '') || '.';
      const all: string[] = [];
      await walk(base, all).catch(() => {});
      const re = globToRegExp(input.split(sep).join('/').replace(/^\.\//, ''));
      const matched = all.filter((f) => re.test(relative('.', f).split(sep).join('/')) || re.test(f.split(sep).join('/')));
      if (!matched.length) throw new InputError(`No images match "${input}".`, input);
      files.push(...matched);
      continue;
    }
    const info = await stat(input).catch(() => null);
    if (!info) throw new InputError(`${input} was not found. Give image files, folders or quoted globs.`, input);
    if (info.isDirectory()) {
      const found: string[] = [];
      await walk(input, found);
      if (!found.length) throw new InputError(`The folder ${input} holds no images (${[...IMAGE_EXTENSIONS].join(' ')}).`, input);
      files.push(...found);
    } else files.push(input);
  }
  return [...new Set(files.map((f) => resolve(f)))].map((f) => relative('.', f) || f);
}

/** The --min-confidence threshold: a probability from 0 to 1. */
export function parseMinConfidence(text: string | undefined): number {
  if (text === undefined) return 0;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InputError(`--min-confidence must be a probability from 0 to 1, e.g. 0.6; got "${text}".`, 'min-confidence');
  }
  return value;
}

/** What a script reads for one image; `label` is "unknown" (and `unknown` true) below the threshold. */
export function predictionRecord(file: string, result: Classification, minConfidence: number): Record<string, unknown> {
  const unknown = result.confidence < minConfidence;
  return unknown
    ? { file, label: 'unknown', unknown: true, bestGuess: result.label, confidence: result.confidence, probabilities: result.probabilities }
    : { file, label: result.label, confidence: result.confidence, probabilities: result.probabilities };
}

function top(result: Classification, k: number): [string, number][] {
  return Object.entries(result.probabilities)
    .sort((a, b) => b[1] - a[1])
    .slice(0, k);
}

export const command: Command = {
  name: 'predict',
  summary: 'classify images with a trained model',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        top: { type: 'string' },
        'min-confidence': { type: 'string' },
        engine: { type: 'string' },
        tta: { type: 'boolean' },
      },
    });
    if (positionals.length < 2)
      throw new InputError('Give a model folder and at least one image, e.g. classifier-ci predict runs/sample/model photo.jpg.', 'arguments');
    const k = values.top === undefined ? 1 : Number(values.top);
    if (!Number.isInteger(k) || k < 1) throw new InputError(`--top must be a whole number of 1 or more, got "${values.top}".`, 'top');
    const minConfidence = parseMinConfidence(values['min-confidence']);
    const [modelDir, ...inputs] = positionals as [string, ...string[]];
    const engine = values.engine ?? 'auto';
    if (!(CLASSIFIER_ENGINES as readonly string[]).includes(engine))
      throw new InputError(`--engine must be one of ${CLASSIFIER_ENGINES.join(', ')}; got "${engine}".`, 'engine');
    const classifier = await loadClassifier(modelDir, { engine: engine as ClassifierEngineChoice, tta: Boolean(values.tta) });
    // On stderr, so stdout stays one line per image; and said, since it is used even where it did not pay.
    if (classifier.tta && !values.json) process.stderr.write(`${ttaNote(classifier.tta)}\n`);
    const files = await expandInputs(inputs);
    let failures = 0;
    for (const file of files) {
      let result: Classification;
      try {
        result = await classifier.classify(file);
      } catch (error) {
        failures++;
        if (values.json) process.stdout.write(JSON.stringify({ file, error: (error as Error).message }) + '\n');
        else process.stderr.write(`warning: ${escapeLogLine((error as Error).message)}\n`);
        continue;
      }
      if (values.json) {
        process.stdout.write(
          JSON.stringify({
            ...predictionRecord(file, result, minConfidence),
            engine: classifier.engine,
            ...(classifier.tta ? { tta: classifier.tta.view } : {}),
          }) + '\n',
        );
      } else if (result.confidence < minConfidence) {
        process.stdout.write(
          `${escapeLogLine(`${file}: unknown (best guess ${result.label} ${(result.confidence * 100).toFixed(1)}%, below ${Number((minConfidence * 100).toFixed(1))}%)`)}\n`,
        );
      } else {
        const guesses = top(result, Math.min(k, classifier.labels.length))
          .map(([label, p]) => `${label} ${(p * 100).toFixed(1)}%`)
          .join(', ');
        // File names and labels come from the user: one safe line per image (--json stays raw).
        process.stdout.write(`${escapeLogLine(`${file}: ${guesses}`)}\n`);
      }
    }
    await classifier.dispose();
    // Some images unreadable: exit 2 so scripts notice, after classifying the rest.
    return failures ? 2 : 0;
  },
};
