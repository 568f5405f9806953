/**
 * The shard plan: which backbones the bake-off will try, and for each pretrained one how many
 * embed jobs its images are split into. Pure: counts and costs in, the plan out.
 *
 * The rule: a shard must carry at least `minShardSeconds` of estimated embedding (default 120 s),
 * because each extra job pays a runner start-up and an artifact round trip (about a minute
 * together, see docs/scale-out.md). So a backbone gets floor(estimate / minShardSeconds) shards,
 * at least 1 and at most its share of `maxJobs`. Small datasets therefore get one shard.
 *
 * One embed job per distinct backbone pass, not per candidate: on ONNX Runtime the pass of a
 * multi-depth candidate caches each tap under its own key and the plain cut beside them, so
 * `name@size` (and `name@size+mid`, beside `+taps`) get no job of their own when listed with
 * it (see coveringPass).
 */
import { estimateEmbedMs, ORT_COSTS, type BackboneCost } from '../engine/cost.js';
import { BUILTIN_BACKBONES, tapPooling, type BackboneSpec } from '../backbones/zoo.js';
import { formatShard, MAX_SHARDS } from './assign.js';

/** For backbones without a measured cost (HOG, user models): as dear as MobileNetV2 at 224 px, 10 ms per image. */
export const DEFAULT_MS_PER_IMAGE = 10;

export interface PlanRule {
  /** Least estimated embedding per shard, in seconds. Default 120. */
  minShardSeconds: number;
  /** Most embed jobs in the whole matrix (GitHub's free plan runs 20 at once). Default 20. */
  maxJobs: number;
}

export const DEFAULT_PLAN_RULE: PlanRule = { minShardSeconds: 120, maxJobs: 20 };

export interface BackbonePlan {
  backbone: string;
  /** Estimated seconds to embed every image on one runner. */
  embedSeconds: number;
  /** Embed jobs of its own: 0 when another candidate's pass caches its vectors (`embeddedBy`). */
  shards: number;
  /** The candidate whose embed jobs also cache this one's vectors, e.g. mobilenet_v2@224+taps for mobilenet_v2@224. */
  embeddedBy?: string;
}

export interface MatrixEntry {
  backbone: string;
  shard: string;
}

export interface ShardPlan {
  images: number;
  /** Every candidate of the bake-off, in its order (small_cnn included: it trains in the last job). */
  candidates: string[];
  backbones: BackbonePlan[];
  /** For `strategy.matrix` through fromJSON: one entry per embed job. */
  matrix: { include: MatrixEntry[] };
  rule: string;
}

function costOf(spec: BackboneSpec, costs: Record<string, BackboneCost>): BackboneCost {
  return costs[spec.source] ?? { size: spec.inputSize, msPerImage: DEFAULT_MS_PER_IMAGE, sizes: [spec.inputSize] };
}

/** Whether a candidate has frozen embeddings to shard (small_cnn trains end to end). */
export function embedsFrozen(spec: BackboneSpec): boolean {
  return !spec.id.startsWith('small_cnn');
}

/** The engine the embed jobs and the train job run frozen backbones on (engine/choose.ts). */
export type PlanEngine = 'onnxruntime' | 'tfjs';

/**
 * The candidate among `specs` whose embed pass already caches `spec`'s vectors, if any. On ONNX
 * Runtime a multi-depth pass stores each tap under its own key and the plain cut beside them,
 * and a pass of standard-deviation taps the grid tap too (engine/onnx-backbone.ts), so
 * `name@size+taps` covers `name@size+mid`, `name@size+grid` and `name@size`, and
 * `name@size+mid` covers `name@size+grid` and `name@size`, at the same size. On TF.js each
 * vector is cached whole, under a key of its own: every candidate needs its pass.
 */
export function coveringPass(spec: BackboneSpec, specs: BackboneSpec[], engine: PlanEngine): BackboneSpec | undefined {
  const builtin = spec.builtin ? BUILTIN_BACKBONES[spec.source] : undefined;
  if (engine !== 'onnxruntime' || !builtin) return undefined;
  const sameBackbone = (s: BackboneSpec) => s.taps && s.source === spec.source && s.inputSize === spec.inputSize;
  const ofStdTaps = (s: BackboneSpec) => sameBackbone(s) && tapPooling(s) === 'std';
  // The plain cut: any multi-depth pass. The grid: any pass of standard-deviation taps (engine/onnx-backbone.ts).
  if (!spec.taps) return specs.find(sameBackbone);
  if (tapPooling(spec) === 'grid') return specs.find(ofStdTaps);
  // A variant of such taps: a strict superset of them, so no two candidates cover each other.
  return specs.find((s) => ofStdTaps(s) && s.taps!.length > spec.taps!.length && spec.taps!.every((l) => s.taps!.includes(l)));
}

export interface PlanOptions {
  /** Per-image embedding costs by backbone source. Default: the ONNX Runtime figures (engine/cost.ts). */
  costs?: Record<string, BackboneCost>;
  /** Default 'tfjs', which shares no pass between candidates: every frozen candidate gets its jobs. */
  engine?: PlanEngine;
}

export function planShards(specs: BackboneSpec[], images: number, rule: PlanRule = DEFAULT_PLAN_RULE, options: PlanOptions = {}): ShardPlan {
  const costs = options.costs ?? ORT_COSTS;
  const frozen = specs.filter(embedsFrozen);
  const passes = frozen.filter((spec) => !coveringPass(spec, frozen, options.engine ?? 'tfjs'));
  const perBackboneCap = Math.max(1, Math.min(MAX_SHARDS, Math.floor(rule.maxJobs / Math.max(1, passes.length))));
  const backbones = frozen.map((spec): BackbonePlan => {
    const embedSeconds = estimateEmbedMs(costOf(spec, costs), spec.inputSize, images) / 1000;
    const by = coveringPass(spec, frozen, options.engine ?? 'tfjs');
    if (by) return { backbone: spec.id, embedSeconds: Math.round(embedSeconds), shards: 0, embeddedBy: by.id };
    const shards = Math.max(1, Math.min(perBackboneCap, Math.floor(embedSeconds / rule.minShardSeconds)));
    return { backbone: spec.id, embedSeconds: Math.round(embedSeconds), shards };
  });
  const include = backbones.flatMap((b) =>
    Array.from({ length: b.shards }, (_, i) => ({ backbone: b.backbone, shard: formatShard({ index: i + 1, count: b.shards }) })),
  );
  return {
    images,
    candidates: specs.map((s) => s.id),
    backbones,
    matrix: { include },
    rule: `one shard per ${rule.minShardSeconds} s of estimated embedding, at most ${perBackboneCap} per backbone (${rule.maxJobs} jobs in all)`,
  };
}
