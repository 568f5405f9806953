/** The RunResult of a finished run, from what its stages found. */
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { inferenceInfo } from '../engine/choose.js';
import { RunResult, SCHEMA_VERSION } from '../result.js';
import { classBalanceOf } from '../training/head.js';
import { VERSION } from '../version.js';
import { need, type RunContext } from './context.js';

export function buildRunResult(run: RunContext, times: { startedAt: string; finishedAt: string; usedSeconds: number }): RunResult {
  const { options } = run;
  const { prepared, fitted } = run.models.winner;
  const trials = need(run, 'trials');
  return {
    schemaVersion: SCHEMA_VERSION,
    startedAt: times.startedAt,
    finishedAt: times.finishedAt,
    seed: options.seed,
    config: {
      backbones: need(run, 'specs').map((s) => s.id),
      budgetSeconds: options.budgetSeconds,
      trials: options.trials,
      epochs: options.epochs,
      fineTune: options.fineTune,
      split: options.split,
      seed: options.seed,
    },
    backend: { ...run.backend, inference: inferenceInfo(run.engine) },
    dataset: need(run, 'dataset').summary,
    bakeOff: {
      candidates: need(run, 'bakeOff'),
      winner: prepared.spec.id,
      ...(run.found.backbonePlan?.length ? { plan: run.found.backbonePlan } : {}),
      ...(run.found.selection ? { selection: run.found.selection } : {}),
    },
    tuning: {
      backbone: prepared.spec.id,
      strategy: need(run, 'tuningStrategy'),
      trials,
      bestTrial: run.found.bestTrial ?? -1,
      best: fitted.config,
      ...(run.found.tuningChoice ? { choice: run.found.tuningChoice } : {}),
      fineTune: need(run, 'fineTune'),
      refit: need(run, 'refit'),
      classWeights: classBalanceOf(prepared.train.y, need(run, 'dataset').labels),
      seconds: need(run, 'roundSeconds'),
    },
    test: need(run, 'metrics'),
    model: need(run, 'model'),
    budget: {
      seconds: options.budgetSeconds,
      usedSeconds: times.usedSeconds,
      exhausted: times.usedSeconds >= options.budgetSeconds * 0.98 || trials.length < options.trials,
    },
    timings: run.timings,
    ...(run.found.review ? { review: run.found.review } : {}),
    ...(run.found.elsewhere ? { elsewhere: run.found.elsewhere } : {}),
    versions: { classifierCi: VERSION, tfjs: tf.version.tfjs, node: process.versions.node, sharp: sharp.versions.sharp ?? 'unknown' },
  };
}
