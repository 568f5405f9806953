/**
 * classifier-ci as a library: train from code, or load an exported model and classify.
 */
export { train, type PipelineDeps } from './core/pipeline.js';
export { loadClassifier, type Classifier, type Classification } from './core/model/classifier.js';
export { evaluateFolder, type FolderEvaluation } from './core/evaluate-folder.js';
export { DEFAULTS, parseSplit, type TrainOptions } from './core/options.js';
export { silentLogger, type Logger } from './core/ports.js';
export { InputError, TrainingError } from './core/errors.js';
export { RunResult, parseRunResult, SCHEMA_VERSION } from './core/result.js';
