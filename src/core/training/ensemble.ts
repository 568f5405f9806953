/**
 * Ensemble candidates: the best two (then three) bake-off candidates' features concatenated
 * into one head, scored by the same cross-validation as every candidate and weighed by the
 * same selection rule (selection.ts). An ensemble counts as its least trusted member in the
 * prior and costs all its members' parameters, so it wins only when it is better than each
 * of them beyond noise, never on a tie.
 *
 * Members come from the bake-off's cached embeddings; one per backbone (the better of
 * `mobilenet_v2@224` and its `+taps` variant), built-in only (a user model may not fuse into
 * one graph). The ensemble's input is its largest member's; a HOG member gets its input
 * average-pooled in-graph by a whole factor (model/export-ensemble.ts), so its features are
 * embedded once more through that branch and cached under a key of their own. A pretrained
 * member at another size would need a second pass of the network: such an ensemble is not
 * offered, and the log says why. Augmented views (training/augmentation.ts) belong to one
 * member's embeddings; the ensemble's head trains on the images' own rows.
 */
import { BUILTIN_BACKBONES, loadBackbone, type BackboneSpec, type FeatureExtractor } from '../backbones/zoo.js';
import { HOG, HOG_CELL, hogDisplayName } from '../backbones/hog.js';
import type { PreparedDataset } from '../dataset/prepare.js';
import type { SplitImage } from '../dataset/split.js';
import { extractEmbeddings } from '../embeddings/extract.js';
import { branchExtractor, buildEnsembleExtractor, ENSEMBLE } from '../model/export-ensemble.js';
import type { Logger } from '../ports.js';
import type { Candidate } from '../result.js';
import { assemble, splitOf, type TrainedCandidate } from './bakeoff.js';
import { defaultConfig, fit, type FittedModel, type PreparedCandidate } from './candidates.js';
import type { Examples } from './head.js';
import { estimateOf, scoreCandidate, TRANSFER_PRIOR, type PriorTier, type SelectionEntry } from './selection.js';

export type { TrainedCandidate } from './bakeoff.js';

export interface EnsembleMember {
  candidate: TrainedCandidate;
  /** The ensemble's input is average-pooled by this factor before the member (1: none). */
  poolFactor: number;
  /** The member's spec in the ensemble: its own, or HOG at the pooled size. */
  spec: BackboneSpec;
}

export interface EnsemblePlan {
  spec: BackboneSpec;
  displayName: string;
  members: EnsembleMember[];
}

/**
 * The ensemble head's L2 (weight decay), above the default head's 1e-4: thousands of
 * concatenated features, some nearly constant (tiny spread, so standardising blows up their
 * rare values), let the default head fit the training images within two epochs. Measured on
 * Fashion-MNIST (100 per label, MobileNetV2 @224 3 depths + HOG @28): validation 79.5% at
 * 1e-4 (best epoch 2), 87.3% at 1e-2, 88.0% at 3e-2 and at 1e-1.
 */
export const ENSEMBLE_WEIGHT_DECAY = 3e-2;

/** Most members an ensemble takes. */
export const MAX_MEMBERS = 3;

/** Why a trained candidate cannot be a member, or null when it can. */
function memberBlocker(prepared: PreparedCandidate): string | null {
  if (prepared.kind !== 'frozen') return 'trained end to end on pixels, it has no fixed features to combine';
  if (prepared.spec.source !== HOG && !(prepared.spec.builtin && BUILTIN_BACKBONES[prepared.spec.source]))
    return 'user backbones are not combined: their graph may not fuse with another into one exported model';
  return null;
}

/** Whole factors k of `size` with size / k a HOG input (at least 2 cells), the one giving the size nearest `wanted`. */
export function hogPoolFactor(size: number, wanted: number): number | null {
  let best: number | null = null;
  for (let k = 1; k <= size; k++) {
    if (size % k !== 0 || size / k < 2 * HOG_CELL) continue;
    if (best === null || Math.abs(size / k - wanted) < Math.abs(size / best - wanted)) best = k;
  }
  return best;
}

/** `ensemble(mobilenet_v2@224+taps, hog@28)`: the members' ids, HOG at the size its branch pools to. */
export function ensembleId(members: readonly { spec: BackboneSpec }[]): string {
  return `${ENSEMBLE}(${members.map((m) => m.spec.id).join(', ')})`;
}

/** The plan for `members` (best first), or why they cannot be one ensemble. */
function planOf(members: readonly TrainedCandidate[]): EnsemblePlan | string {
  const pretrained = members.filter((m) => m.prepared.spec.source !== HOG);
  if (!pretrained.length) return 'no pretrained member';
  const size = Math.max(...pretrained.map((m) => m.prepared.spec.inputSize));
  const planned: EnsembleMember[] = [];
  for (const candidate of members) {
    const spec = candidate.prepared.spec;
    if (spec.source === HOG) {
      const k = hogPoolFactor(size, spec.inputSize)!;
      planned.push({ candidate, poolFactor: k, spec: { ...spec, id: `${HOG}@${size / k}`, inputSize: size / k } });
    } else if (spec.inputSize !== size) {
      return `${spec.id} takes ${spec.inputSize} px and ${pretrained.find((m) => m.prepared.spec.inputSize === size)!.prepared.spec.id} ${size} px: one input cannot feed both without a second pass of the network`;
    } else planned.push({ candidate, poolFactor: 1, spec });
  }
  const id = ensembleId(planned);
  // A pooled HOG member is named at the size its branch pools to (its cells change with it).
  const names = planned.map((m) => (m.poolFactor > 1 ? `${hogDisplayName(m.spec.inputSize)} (pooled from ${size})` : m.candidate.prepared.displayName));
  return { spec: { id, source: ENSEMBLE, builtin: false, inputSize: size, range: [0, 1] }, displayName: `ensemble: ${names.join(' + ')}`, members: planned };
}

/**
 * The ensembles worth trying, best first: the best two eligible candidates (one per
 * backbone, ranked by their estimates), then the best three. `left` says why a candidate or
 * an ensemble is not offered.
 */
export function planEnsembles(trained: readonly TrainedCandidate[]): { plans: EnsemblePlan[]; left: string[] } {
  const left: string[] = [];
  const mean = (t: TrainedCandidate) => estimateOf(t.entry.scores).mean;
  const ranked = [...trained].sort((a, b) => mean(b) - mean(a));
  const eligible: TrainedCandidate[] = [];
  for (const candidate of ranked) {
    const blocker = memberBlocker(candidate.prepared);
    const sibling = eligible.find((e) => e.prepared.spec.source === candidate.prepared.spec.source);
    if (blocker) left.push(`${candidate.entry.displayName}: ${blocker}`);
    else if (sibling) left.push(`${candidate.entry.displayName}: ${sibling.entry.displayName} is the better variant of the same backbone`);
    else eligible.push(candidate);
  }
  const plans: EnsemblePlan[] = [];
  for (let n = 2; n <= Math.min(MAX_MEMBERS, eligible.length); n++) {
    const plan = planOf(eligible.slice(0, n));
    if (typeof plan === 'string') left.push(`the ensemble of the best ${n}: ${plan}`);
    else plans.push(plan);
  }
  if (eligible.length < 2) left.push(`fewer than two candidates can be combined (${eligible.length})`);
  return { plans, left };
}

/** Rows of several candidates' examples side by side: the same images in the same order, features concatenated. */
export function concatExamples(parts: readonly Examples[]): Examples {
  const rows = parts[0].rows;
  const dims = parts.map((p) => p.x.length / Math.max(1, p.rows));
  if (parts.some((p) => p.rows !== rows || p.y.some((label, i) => label !== parts[0].y[i])))
    throw new Error('the members do not hold the same images in the same order');
  const dim = dims.reduce((a, b) => a + b, 0);
  const x = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let offset = r * dim;
    parts.forEach((p, i) => {
      x.set(p.x.subarray(r * dims[i], (r + 1) * dims[i]), offset);
      offset += dims[i];
    });
  }
  return { x, y: parts[0].y, rows };
}

export interface EnsembleContext {
  dataset: PreparedDataset;
  cacheDir: string;
  maxPixels: number;
  maxEpochs: number;
  seed: number;
  /** Clock value by which this ensemble (features, head and cross-validation) should be done. */
  deadline: number;
  now: () => number;
  log: Logger;
}

export interface TrainedEnsemble {
  plan: EnsemblePlan;
  /** The ensemble's examples; `extractor` is set only once it wins (stages/ensemble.ts builds it for the export). */
  prepared: PreparedCandidate;
  fitted: FittedModel;
  entry: SelectionEntry;
  row: Candidate;
}

/** A member's examples: the bake-off's, or (pooled members) embedded once through the ensemble's branch. */
interface MemberExamples {
  examples: Record<SplitImage['split'], Examples>;
  seconds: number;
  computed: number;
  cached: number;
}

async function memberExamples(member: EnsembleMember, inputSize: number, ctx: EnsembleContext): Promise<MemberExamples> {
  const { prepared } = member.candidate;
  if (member.poolFactor === 1) return { examples: { train: prepared.train, val: prepared.val, test: prepared.test }, seconds: 0, computed: 0, cached: 0 };
  const own = await loadBackbone(member.spec, { cacheDir: ctx.cacheDir });
  const branch = await branchExtractor({ extractor: own, poolFactor: member.poolFactor }, inputSize).finally(() => own.dispose());
  try {
    const run = await extractEmbeddings(branch, ctx.dataset.images, {
      cacheDir: ctx.cacheDir,
      maxPixels: ctx.maxPixels,
      workers: 1,
      log: ctx.log,
      now: ctx.now,
      deadline: ctx.deadline,
    });
    if (!run.complete) throw new Error(`ran out of its time while embedding ${branch.displayName} (${run.remaining} images left; those done are cached)`);
    const { images, labels } = ctx.dataset;
    const vectorOf = (image: SplitImage) => run.vectors.get(image.sha256)!;
    const part = (split: SplitImage['split']) => assemble(splitOf(images, split), labels, branch.featureDim, vectorOf);
    return { examples: { train: part('train'), val: part('val'), test: part('test') }, seconds: run.seconds, computed: run.computed, cached: run.cached };
  } finally {
    branch.dispose();
  }
}

/** The least trusted tier among the members'. */
function worstTier(tiers: PriorTier[]): PriorTier {
  return tiers.reduce((worst, t) => (TRANSFER_PRIOR.indexOf(t) > TRANSFER_PRIOR.indexOf(worst) ? t : worst));
}

/** Trains and scores one ensemble: a head on the members' concatenated features, cross-validated as any candidate. */
export async function trainEnsemble(plan: EnsemblePlan, ctx: EnsembleContext): Promise<TrainedEnsemble> {
  const inputSize = plan.spec.inputSize;
  const parts: MemberExamples[] = [];
  for (const member of plan.members) parts.push(await memberExamples(member, inputSize, ctx));
  const split = (name: SplitImage['split']) => concatExamples(parts.map((p) => p.examples[name]));
  const backboneParams = plan.members.reduce((sum, m) => sum + m.candidate.entry.cost, 0);
  const prepared: PreparedCandidate = {
    spec: plan.spec,
    displayName: plan.displayName,
    kind: 'frozen',
    featureDim: parts.reduce((sum, p) => sum + p.examples.train.x.length / Math.max(1, p.examples.train.rows), 0),
    backboneParams,
    train: split('train'),
    val: split('val'),
    test: split('test'),
    embedSeconds: parts.reduce((sum, p) => sum + p.seconds, 0),
    embeddingsComputed: parts.reduce((sum, p) => sum + p.computed, 0),
    embeddingsCached: parts.reduce((sum, p) => sum + p.cached, 0),
  };
  const numClasses = ctx.dataset.labels.length;
  const config = { ...defaultConfig('frozen', ctx.maxEpochs), weightDecay: ENSEMBLE_WEIGHT_DECAY };
  const fitted = await fit(prepared, config, { numClasses, seed: ctx.seed, deadline: ctx.deadline, now: ctx.now });
  const scored = await scoreCandidate(prepared, fitted, { numClasses, seed: ctx.seed, deadline: ctx.deadline, now: ctx.now });
  const row: Candidate = {
    backbone: plan.spec.id,
    displayName: plan.displayName,
    kind: 'frozen',
    inputSize,
    featureDim: prepared.featureDim,
    backboneParams,
    valAccuracy: fitted.head.valAccuracy,
    valLoss: fitted.head.valLoss,
    solver: fitted.config.solver,
    bestEpoch: fitted.head.bestEpoch,
    epochs: fitted.head.curve.length,
    embedSeconds: prepared.embedSeconds,
    trainSeconds: fitted.seconds,
    embeddingsComputed: prepared.embeddingsComputed,
    embeddingsCached: prepared.embeddingsCached,
    curve: fitted.head.curve,
    cv: scored.cv,
    ensemble: { members: plan.members.map((m) => m.spec.id) },
  };
  const entry: SelectionEntry = {
    id: plan.spec.id,
    displayName: plan.displayName,
    tier: worstTier(plan.members.map((m) => m.candidate.entry.tier)),
    cost: backboneParams,
    scores: scored.scores,
  };
  return { plan, prepared, fitted, entry, row };
}

/**
 * The winning ensemble's backbone for the export: each member loaded as TF.js (no embedding)
 * and joined into one graph (model/export-ensemble.ts); the members' own models are freed.
 */
export async function loadEnsembleBackbone(plan: EnsemblePlan, cacheDir: string): Promise<FeatureExtractor> {
  const members: FeatureExtractor[] = [];
  try {
    for (const member of plan.members) members.push(await loadBackbone(member.spec, { cacheDir }));
    return await buildEnsembleExtractor(
      plan.spec,
      plan.displayName,
      members.map((extractor, i) => ({ extractor, poolFactor: plan.members[i].poolFactor })),
    );
  } finally {
    members.forEach((m) => m.dispose());
  }
}
