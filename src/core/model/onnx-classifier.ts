/**
 * The ONNX engine of an exported model: model.onnx (RGB bytes in, probabilities out) run by
 * ONNX Runtime. loadClassifier chooses it once per model folder: `onnx` insists on it, `auto`
 * takes it when the folder has model.onnx and onnxruntime-node loads, else TF.js. A model that
 * is model.onnx alone (a user ONNX backbone won) has no TF.js form: ONNX is its only engine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { CLASSIFIER_INPUT, CLASSIFIER_OUTPUT } from '../onnx/export-classifier.js';
import { loadOnnxRuntime, openOnnxSession, sessionFactoryOf, type OnnxRuntime } from '../onnx/session.js';

export const CLASSIFIER_ENGINES = ['auto', 'onnx', 'tfjs'] as const;
export type ClassifierEngineChoice = (typeof CLASSIFIER_ENGINES)[number];
/** The engine a loaded classifier runs on. */
export type ClassifierEngine = Exclude<ClassifierEngineChoice, 'auto'>;

export const ONNX_MODEL_FILE = 'model.onnx';

export interface ClassifierEngineOptions {
  /** Default 'auto': ONNX when the folder has model.onnx and onnxruntime-node loads, else TF.js. */
  engine?: ClassifierEngineChoice;
  /** Loads onnxruntime-node (injected in tests to stand in for a runtime that does not load). */
  loadRuntime?: () => Promise<OnnxRuntime>;
  /** ONNX Runtime intra-op threads. Default: the number of cores. */
  threads?: number;
}

/** What loadClassifier adds for opening a model: not the caller's to set. */
interface OpenOptions extends ClassifierEngineOptions {
  /** A model that is model.onnx alone: there is no TF.js model to suggest instead. */
  onnxOnly?: boolean;
}

/** Probabilities from model.onnx: n images of size × size × 3 bytes → n × classes. */
export interface OnnxProbabilities {
  run(pixels: Uint8Array, n: number): Promise<Float32Array>;
  release(): Promise<void>;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
}

/** Throws an InputError with a fix when `onnx` was asked for (or is the only engine); returns null (TF.js) on `auto`. */
function unavailable(choice: ClassifierEngineChoice, message: string, input: string, onnxOnly = false): null {
  if (onnxOnly)
    throw new InputError(`${message} This model is model.onnx alone (its backbone is an ONNX graph, which TF.js cannot run): it needs ONNX Runtime.`, input);
  if (choice === 'onnx') throw new InputError(`${message} Use --engine tfjs (or auto) to run the TF.js model instead.`, input);
  return null;
}

/**
 * The ONNX engine for the model in `dir`, or null when TF.js is to be used (asked for, or
 * `auto` without model.onnx or a working onnxruntime-node).
 */
export async function openOnnxClassifier(dir: string, inputSize: number, classes: number, options: OpenOptions = {}): Promise<OnnxProbabilities | null> {
  const choice = options.engine ?? 'auto';
  if (!CLASSIFIER_ENGINES.includes(choice)) throw new InputError(`Unknown engine "${String(choice)}": use ${CLASSIFIER_ENGINES.join(', ')}.`, 'engine');
  if (choice === 'tfjs') return null;
  const path = join(dir, ONNX_MODEL_FILE);
  if (!existsSync(path)) {
    return unavailable(
      choice,
      `${path} is missing: this model was exported without ONNX (result.json's model.onnx.reason says why) or by an older classifier-ci.`,
      path,
      options.onnxOnly,
    );
  }
  let runtime: OnnxRuntime;
  try {
    runtime = await (options.loadRuntime ?? loadOnnxRuntime)();
  } catch (error) {
    return unavailable(choice, `onnxruntime-node did not load (${firstLine(error)}).`, 'onnxruntime-node', options.onnxOnly);
  }
  let session: Awaited<ReturnType<typeof openOnnxSession>>['session'];
  try {
    ({ session } = await openOnnxSession(path, {
      threads: options.threads,
      createSession: sessionFactoryOf(runtime),
    }));
  } catch (error) {
    return unavailable(
      choice,
      `ONNX Runtime could not open ${path} (${firstLine(error)}); re-export the model with "classifier-ci train".`,
      path,
      options.onnxOnly,
    );
  }
  if (!session.inputNames.includes(CLASSIFIER_INPUT) || !session.outputNames.includes(CLASSIFIER_OUTPUT)) {
    await session.release();
    return unavailable(
      choice,
      `${path} is not a classifier-ci model: it needs the input "${CLASSIFIER_INPUT}" and the output "${CLASSIFIER_OUTPUT}".`,
      path,
      options.onnxOnly,
    );
  }
  return {
    async run(pixels, n) {
      const output = await session.run({ [CLASSIFIER_INPUT]: new runtime.Tensor('uint8', pixels, [n, inputSize, inputSize, 3]) });
      const probabilities = output[CLASSIFIER_OUTPUT].data as Float32Array;
      if (probabilities.length !== n * classes) {
        throw new InputError(
          `${path} gives ${probabilities.length / n} probabilities per image, but labels.json has ${classes} labels: the files come from different models. Re-export the model.`,
          path,
        );
      }
      return probabilities;
    },
    release: () => session.release(),
  };
}
