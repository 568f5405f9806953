/**
 * Every input of action.yml, read and validated in one place into one typed object.
 * Problems are collected, so one run reports all of them, each with the valid values.
 */
import * as core from '@actions/core';
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../core/errors.js';
import { DEFAULTS, parseSplit, validateOptions, type TrainOptions } from '../core/options.js';
import { Inputs } from './constants.js';
import { parseAugment, type AugmentSetting } from '../core/dataset/augment-policy.js';

export type CommentMode = 'auto' | 'always' | 'never';
export type ImageHostMode = 'repo' | 'none';
export type BaselineMode = 'auto' | 'none';
export type NativeBackend = 'auto' | 'gpu' | 'cpu' | 'none';

export interface ActionInputs {
  /** Options for the engine; datasetPath is absolute. */
  train: TrainOptions;
  /** The dataset path as written in the workflow, for the comment marker and messages. */
  datasetInput: string;
  /** eval-dataset-path as written in the workflow, for the report; absent when not given. */
  evalDatasetInput?: string;
  /** Whether dataset-path may be a symbolic link or resolve outside the workspace. Default false. */
  allowDatasetSymlink: boolean;
  /** Absolute; relative paths in other inputs are resolved against it. Default: the workspace. */
  workingDirectory: string;
  /** auto: sticky comment on pull requests only; always: also a commit comment on pushes; never. Default auto. */
  comment: CommentMode;
  /** repo: chart images committed to the classifier-ci-assets branch; none: image-free report. Default repo. */
  imageHost: ImageHostMode;
  /** Name of the uploaded artifact (model/, result.json, report). Default classifier-ci-model. */
  artifactName: string;
  /** Artifact retention in days, 1-90; undefined keeps the repository's default. */
  retentionDays?: number;
  /** Restore and save the embedding cache with @actions/cache. Default true. */
  cache: boolean;
  /** Absolute folder of downloaded embed-job chunks to merge into the cache before training (matrix runs); undefined: none. */
  cacheChunks?: string;
  /** auto: compare with the last successful run on the pull request's base branch. Default auto. */
  baseline: BaselineMode;
  /** Token for comments, chart images and the baseline; empty disables those. Never printed. */
  githubToken: string;
  /** Native TensorFlow to install on the runner: auto picks gpu when a usable NVIDIA GPU is present. Default auto. */
  nativeBackend: NativeBackend;
}

/** Reads an input as the runner passes it (INPUT_<NAME>), trimmed; empty means "not given". */
export type InputReader = (name: string) => string;
const readFromRunner: InputReader = (name) => core.getInput(name);

function choice<T extends string>(problems: string[], name: string, raw: string, valid: readonly T[], fallback: T): T {
  if (raw === '') return fallback;
  const value = raw.toLowerCase() as T;
  if (valid.includes(value)) return value;
  problems.push(`${name}: "${raw}" is not valid; use one of: ${valid.join(', ')}.`);
  return fallback;
}

function numberInput(problems: string[], name: string, raw: string, fallback: number, integer: boolean): number {
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    problems.push(`${name}: "${raw}" is not a ${integer ? 'whole number' : 'number'}.`);
    return fallback;
  }
  return value;
}

/**
 * The decompression-bomb cap: a whole number of pixels above 0. Checked here in full, so every
 * bad value (0, -5, 1.5, "lots") gets the same message naming the input and what is valid.
 */
function maxPixelsInput(problems: string[], raw: string): number {
  if (raw === '') return DEFAULTS.maxPixels;
  const value = Number(raw);
  if (Number.isSafeInteger(value) && value > 0) return value;
  problems.push(`${Inputs.MaxPixels}: "${raw}" is not valid; use a whole number of pixels above 0 (default ${DEFAULTS.maxPixels}, 100 megapixels).`);
  return DEFAULTS.maxPixels;
}

/**
 * Why the dataset root may not be read, or null. A pull request can commit `dataset -> /`;
 * followed, the scan would read any image on the runner into thumbnails and the report. So
 * the root must be no symbolic link and resolve inside the workspace, unless the workflow
 * allows it. A missing dataset is left to the engine, which names it.
 */
function datasetRootProblem(datasetInput: string, datasetPath: string, workspace: string, input: string = Inputs.DatasetPath): string | null {
  let link: boolean;
  try {
    link = lstatSync(datasetPath).isSymbolicLink();
  } catch {
    return null;
  }
  const allow = `set ${Inputs.AllowDatasetSymlink}: true if the runner keeps it there on purpose`;
  if (link) {
    const target = readlinkSync(datasetPath);
    return `${input}: "${datasetInput}" is a symbolic link (to ${target}), which a pull request could point anywhere on the runner. Point ${input} at the folder itself, or ${allow}.`;
  }
  let real: string;
  let realWorkspace: string;
  try {
    real = realpathSync(datasetPath);
    realWorkspace = realpathSync(workspace);
  } catch {
    return null;
  }
  const inside = relative(realWorkspace, real);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return `${input}: "${datasetInput}" resolves to ${real}, outside the workspace (${realWorkspace}). Keep the dataset in the repository, or ${allow}.`;
  }
  return null;
}

/** Characters upload-artifact refuses in artifact names. */
const BAD_ARTIFACT_CHARS = /["":<>|*?\r\n\\/]/;

const DEVICE_FOR_NATIVE_BACKEND = { auto: 'auto', gpu: 'gpu', cpu: 'cpu', none: 'cpu' } as const satisfies Record<NativeBackend, TrainOptions['device']>;

export function readInputs(dirs: { outDir: string; cacheDir: string; workspace: string }, read: InputReader = readFromRunner): ActionInputs {
  const problems: string[] = [];
  const token = read(Inputs.GithubToken);
  // Mask first, so no later message can print it.
  if (token) core.setSecret(token);

  const workingDirectory = resolve(dirs.workspace, read(Inputs.WorkingDirectory) || '.');
  const datasetInput = read(Inputs.DatasetPath) || 'dataset';
  const datasetPath = isAbsolute(datasetInput) ? datasetInput : resolve(workingDirectory, datasetInput);
  const allowDatasetSymlink = choice(problems, Inputs.AllowDatasetSymlink, read(Inputs.AllowDatasetSymlink), ['true', 'false'] as const, 'false') === 'true';
  const rootProblem = allowDatasetSymlink ? null : datasetRootProblem(datasetInput, datasetPath, dirs.workspace);
  if (rootProblem) problems.push(rootProblem);
  // The folder from another source is read as the dataset is: the same rule for where it may be.
  const evalInput = read(Inputs.EvalDatasetPath);
  const evalPath = evalInput ? (isAbsolute(evalInput) ? evalInput : resolve(workingDirectory, evalInput)) : undefined;
  const evalProblem = evalInput && evalPath && !allowDatasetSymlink ? datasetRootProblem(evalInput, evalPath, dirs.workspace, Inputs.EvalDatasetPath) : null;
  if (evalProblem) problems.push(evalProblem);

  const backbonesRaw = read(Inputs.Backbones);
  const backbones = backbonesRaw
    ? backbonesRaw
        .split(/[,\n]/)
        .map((b) => b.trim())
        .filter(Boolean)
    : DEFAULTS.backbones;

  let split = DEFAULTS.split;
  const splitRaw = read(Inputs.Split);
  if (splitRaw) {
    try {
      split = parseSplit(splitRaw);
    } catch (error) {
      // parseSplit's message already names the input.
      problems.push((error as Error).message);
    }
  }

  let augment: AugmentSetting = 'off';
  const augmentRaw = read(Inputs.Augment);
  if (augmentRaw) {
    try {
      augment = parseAugment(augmentRaw, Inputs.Augment);
    } catch (error) {
      // parseAugment's message already names the input and the valid values.
      problems.push((error as Error).message);
    }
  }

  const nativeBackend = choice(problems, Inputs.NativeBackend, read(Inputs.NativeBackend), ['auto', 'gpu', 'cpu', 'none'] as const, 'auto');
  const train: TrainOptions = {
    datasetPath,
    outDir: dirs.outDir,
    cacheDir: dirs.cacheDir,
    backbones,
    budgetSeconds: numberInput(problems, Inputs.BudgetSeconds, read(Inputs.BudgetSeconds), DEFAULTS.budgetSeconds, false),
    trials: numberInput(problems, Inputs.Trials, read(Inputs.Trials), DEFAULTS.trials, true),
    epochs: numberInput(problems, Inputs.Epochs, read(Inputs.Epochs), DEFAULTS.epochs, true),
    fineTune: choice(problems, Inputs.FineTune, read(Inputs.FineTune), ['auto', 'true', 'false'] as const, DEFAULTS.fineTune),
    augment,
    split,
    seed: numberInput(problems, Inputs.Seed, read(Inputs.Seed), DEFAULTS.seed, true),
    workers: availableParallelism(),
    maxPixels: maxPixelsInput(problems, read(Inputs.MaxPixels)),
    // The runtime set installed for native-backend decides where ONNX Runtime may run:
    // only the gpu set carries its CUDA provider.
    device: DEVICE_FOR_NATIVE_BACKEND[nativeBackend],
    ...(evalPath ? { evalDataset: evalPath } : {}),
  };
  // Only range checks are left for validateOptions; parse errors were collected above.
  if (problems.length === 0) {
    try {
      validateOptions(train);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error.message);
    }
  }

  const artifactName = read(Inputs.ArtifactName) || 'classifier-ci-model';
  if (BAD_ARTIFACT_CHARS.test(artifactName)) {
    problems.push(`${Inputs.ArtifactName}: "${artifactName}" contains a character artifact names cannot have (" : < > | * ? \\ / or a line break).`);
  }

  let retentionDays: number | undefined;
  const retentionRaw = read(Inputs.RetentionDays);
  if (retentionRaw) {
    retentionDays = numberInput(problems, Inputs.RetentionDays, retentionRaw, 0, true);
    if (Number.isInteger(retentionDays) && (retentionDays < 1 || retentionDays > 90)) {
      problems.push(`${Inputs.RetentionDays}: ${retentionDays} is out of range; use 1 to 90, or leave it empty for the repository's default.`);
    }
  }

  const inputs: ActionInputs = {
    train,
    datasetInput,
    ...(evalInput ? { evalDatasetInput: evalInput } : {}),
    allowDatasetSymlink,
    workingDirectory,
    comment: choice(problems, Inputs.Comment, read(Inputs.Comment), ['auto', 'always', 'never'] as const, 'auto'),
    imageHost: choice(problems, Inputs.ImageHost, read(Inputs.ImageHost), ['repo', 'none'] as const, 'repo'),
    artifactName,
    retentionDays,
    cache: choice(problems, Inputs.Cache, read(Inputs.Cache), ['true', 'false'] as const, 'true') === 'true',
    ...(read(Inputs.CacheChunks) ? { cacheChunks: resolve(workingDirectory, read(Inputs.CacheChunks)) } : {}),
    baseline: choice(problems, Inputs.Baseline, read(Inputs.Baseline), ['auto', 'none'] as const, 'auto'),
    githubToken: token,
    nativeBackend,
  };

  if (problems.length === 1) throw new InputError(problems[0], 'inputs');
  if (problems.length > 1) throw new InputError(`${problems.length} inputs need fixing:\n${problems.map((p) => `- ${p}`).join('\n')}`, 'inputs');
  return inputs;
}
