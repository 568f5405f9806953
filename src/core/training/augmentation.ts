/**
 * Augmentation for a candidate with a head on frozen embeddings (the bake-off's winner, in
 * run/stages/augment.ts), once its head has trained on the training images as they are:
 *
 * 1. The policy (dataset/augment-policy.ts) says which augmentations may be used; under
 *    `auto`, the head scores the validation images flipped, and flips are off when that hurts.
 * 2. As many views per training image as the time allows (at most the policy's
 *    maximum) are rendered (dataset/augment.ts) and embedded through the cache by image and
 *    view (embeddings/views.ts). Rows are view-major: all training images' view 1, then view
 *    2, …, each view's images in the order of their sha256, which mixes the labels. When the
 *    time for views runs out, every view embedded by then is used, so a view cut short still
 *    covers every label about evenly.
 * 3. A head with the same config trains on the images and their views; it is kept only when
 *    it is better on validation by the one rule (score.ts). Both scores are recorded.
 * 4. Test-time augmentation: the kept head's probabilities on each validation image and on
 *    its test-time view (the flip where flips are allowed, else the zoom) are averaged; it
 *    pays when that is better by the same rule.
 *
 * Validation and test images are never augmented for training. Cross-validation (selection.ts)
 * scores the candidate's head recipe on the images as they are: a view of a held-out image
 * among the training rows would leak it.
 */
import { embedderOf, type Embedder } from '../backbones/zoo.js';
import { AUGMENT_POLICY, flipRule, planAugmentations, type AugmentSetting, type FlipCheck } from '../dataset/augment-policy.js';
import { averageProbabilities, renderView, ttaView, ttaViewFor, TTA_ZOOM, viewRecipe, viewRecipeKey, type TtaView } from '../dataset/augment.js';
import { decodeToRgb } from '../dataset/decode.js';
import type { PreparedDataset } from '../dataset/prepare.js';
import type { SplitImage } from '../dataset/split.js';
import { countCachedViews, embedViews, type ViewSource } from '../embeddings/views.js';
import type { Logger } from '../ports.js';
import type { Candidate } from '../result.js';
import { negativeLogLikelihood } from './calibration.js';
import { fit, predictProbabilities, type FittedModel, type PreparedCandidate } from './candidates.js';
import type { Examples } from './head.js';
import { isBetter, scoreOf, type Score } from './score.js';

export interface AugmentContext {
  dataset: PreparedDataset;
  setting: AugmentSetting;
  cacheDir: string;
  maxPixels: number;
  seed: number;
  /** Clock value by which the views must be rendered and embedded (the policy's share of the candidate's time). */
  viewsDeadline: number;
  /** Clock value by which the head with views must have trained. */
  deadline: number;
  now: () => number;
  log: Logger;
}

export interface AugmentOutcome {
  /** The kept head: trained with the views when they paid, else the one given. */
  fitted: FittedModel;
  /** The views' rows, when they paid (heads of this candidate train on train + views). */
  views?: Examples;
  augment: NonNullable<Candidate['augment']>;
  tta?: NonNullable<Candidate['tta']>;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Accuracy and mean log loss of class probabilities (rows × classes). */
export function scoreProbabilities(probabilities: Float32Array, labels: Int32Array, classes: number): Score {
  let right = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[r * classes + c] > probabilities[r * classes + best]) best = c;
    if (best === labels[r]) right++;
  }
  return { valAccuracy: labels.length ? right / labels.length : 0, valLoss: negativeLogLikelihood(probabilities, labels, classes) };
}

/** Rows of `vectors` for `ids`, labelled like `labels` (one per id). */
function rowsOf(ids: string[], labels: Int32Array, vectors: Map<string, Float32Array>, dim: number): Examples {
  const x = new Float32Array(ids.length * dim);
  ids.forEach((id, i) => x.set(vectors.get(id)!, i * dim));
  return { x, y: labels, rows: ids.length };
}

/** The test-time view of each image, embedded through the cache, until `deadline`. */
async function embedTtaView(embedder: Embedder, images: SplitImage[], view: TtaView, ctx: AugmentContext, deadline: number) {
  const sources: ViewSource[] = images.map((image) => ({
    id: image.sha256,
    path: image.path,
    render: async (s, maxPixels) => ttaView(await decodeToRgb(image.path, s, maxPixels), s, view),
  }));
  return embedViews(embedder, sources, `tta:${view}${view === 'zoom' ? `=${TTA_ZOOM}` : ''}`, {
    cacheDir: ctx.cacheDir,
    maxPixels: ctx.maxPixels,
    log: ctx.log,
    now: ctx.now,
    deadline,
  });
}

export async function augmentCandidate(prepared: PreparedCandidate, fitted: FittedModel, ctx: AugmentContext): Promise<AugmentOutcome> {
  const plan = planAugmentations(ctx.setting);
  const without = scoreOf(fitted);
  const base = {
    rule: plan.rule,
    views: 0,
    kept: false,
    without: { valAccuracy: without.valAccuracy, valLoss: without.valLoss },
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
  };
  if (!plan.augmentations.length || !prepared.extractor) return { fitted, augment: { ...base, augmentations: [], note: 'augmentation is off' } };
  const classes = ctx.dataset.labels.length;
  const embedder = embedderOf(prepared.extractor);
  const valImages = ctx.dataset.images.filter((i) => i.split === 'val');
  const trainImages = ctx.dataset.images.filter((i) => i.split === 'train');
  const cost = { seconds: 0, computed: 0, cached: 0 };
  const count = (run: { seconds: number; computed: number; cached: number }) => {
    cost.seconds += run.seconds;
    cost.computed += run.computed;
    cost.cached += run.cached;
  };

  // 1. The flip check (auto): the validation images flipped, scored by the head without views.
  let augmentations = plan.augmentations;
  let flipCheck: FlipCheck | undefined;
  const ttaRows = new Map<TtaView, Examples>();
  // The validation images in a test-time view, or null when `deadline` came first (those done are cached).
  const ttaRowsOf = async (view: TtaView, deadline: number): Promise<Examples | null> => {
    if (!ttaRows.has(view)) {
      const run = await embedTtaView(embedder, valImages, view, ctx, deadline);
      count(run);
      if (run.remaining > 0) return null;
      ttaRows.set(
        view,
        rowsOf(
          valImages.map((i) => i.sha256),
          prepared.val.y,
          run.vectors,
          prepared.featureDim,
        ),
      );
    }
    return ttaRows.get(view)!;
  };
  const outOfTime = 'the time ran out while embedding the validation images in it (those done are cached, so a later run resumes)';
  if (plan.checkFlip && valImages.length) {
    const flippedRows = await ttaRowsOf('flip', ctx.viewsDeadline);
    if (flippedRows) {
      const flipped = scoreProbabilities(predictProbabilities(fitted, flippedRows), prepared.val.y, classes);
      const plain = scoreProbabilities(predictProbabilities(fitted, prepared.val), prepared.val.y, classes);
      flipCheck = flipRule(plain.valAccuracy, flipped.valAccuracy, prepared.val.rows);
      ctx.log.info(`${prepared.displayName}: ${flipCheck.reason}`);
      if (!flipCheck.allowed) augmentations = augmentations.filter((a) => a !== 'flip');
    } else {
      // Unchecked, a mirror image may be another class: flips stay off.
      ctx.log.info(`${prepared.displayName}: flip off, not checked: ${outOfTime}`);
      augmentations = augmentations.filter((a) => a !== 'flip');
    }
  }
  const flipAllowed = augmentations.includes('flip');
  const record = (fields: { views?: number; viewRows?: number; kept?: boolean; with?: Score; note: string }) => ({
    ...base,
    augmentations,
    ...(flipCheck ? { flipCheck: { allowed: flipCheck.allowed, plainAccuracy: flipCheck.plainAccuracy, flippedAccuracy: flipCheck.flippedAccuracy } } : {}),
    views: fields.views ?? 0,
    ...(fields.viewRows !== undefined ? { viewRows: fields.viewRows } : {}),
    kept: fields.kept ?? false,
    ...(fields.with ? { with: { valAccuracy: fields.with.valAccuracy, valLoss: fields.with.valLoss } } : {}),
    embedSeconds: cost.seconds,
    embeddingsComputed: cost.computed,
    embeddingsCached: cost.cached,
    note: fields.note,
  });

  // 2. How many views the time allows: each view's missing entries at what one embedding cost here, times the policy's rendering cost.
  const recipeKey = viewRecipeKey(augmentations, ctx.seed);
  const measured = cost.computed
    ? (cost.seconds * 1000) / cost.computed
    : prepared.embeddingsComputed
      ? (prepared.embedSeconds * 1000) / prepared.embeddingsComputed
      : 0;
  const msPerImage = (measured || AUGMENT_POLICY.unknownMsPerImage) * AUGMENT_POLICY.renderCost;
  const availableMs = ctx.viewsDeadline - ctx.now();
  let views = 0;
  let plannedMs = 0;
  let firstViewMs = 0;
  for (let v = 1; v <= AUGMENT_POLICY.maxViews && trainImages.length; v++) {
    const ids = trainImages.map((image) => `${image.sha256}-v${v}`);
    const viewMs = (ids.length - (await countCachedViews(embedder, ids, recipeKey, ctx.cacheDir))) * msPerImage;
    if (v === 1) firstViewMs = viewMs;
    // A view is started when a fair part of it fits: what is embedded by the deadline is used.
    if (availableMs - plannedMs < viewMs * AUGMENT_POLICY.minViewShare) break;
    plannedMs += viewMs;
    views = v;
  }
  let kept = fitted;
  let viewRows: Examples | undefined;
  let outcome: ReturnType<typeof record>;
  if (!trainImages.length) outcome = record({ note: 'no training images to augment' });
  else if (views === 0)
    outcome = record({
      note: `no views: one view of the ${trainImages.length} training images would take about ${Math.ceil(firstViewMs / 1000)} s to render and embed, and the budget leaves ${Math.max(0, Math.floor(availableMs / 1000))} s for views, less than ${Math.round(AUGMENT_POLICY.minViewShare * 100)}% of it; raise the budget to use them`,
    });
  else {
    // Training rows are in file order, which groups them by label; each view goes in sha256 order instead.
    const order = trainImages.map((_, row) => row).sort((a, b) => (trainImages[a].sha256 < trainImages[b].sha256 ? -1 : 1));
    const sources: (ViewSource & { row: number })[] = [];
    for (let v = 1; v <= views; v++)
      for (const row of order) {
        const image = trainImages[row];
        const recipe = viewRecipe(image.sha256, v, ctx.seed, augmentations);
        sources.push({ id: `${image.sha256}-v${v}`, path: image.path, row, render: (s, maxPixels) => renderView(image.path, s, maxPixels, recipe) });
      }
    const run = await embedViews(embedder, sources, recipeKey, {
      cacheDir: ctx.cacheDir,
      maxPixels: ctx.maxPixels,
      log: ctx.log,
      now: ctx.now,
      deadline: ctx.viewsDeadline,
    });
    count(run);
    // Every view embedded by the deadline is used, whole views or not.
    const used = sources.filter((s) => run.vectors.has(s.id));
    const n = trainImages.length;
    const perImage = new Array<number>(n).fill(0);
    for (const s of used) perImage[s.row]++;
    const most = perImage.reduce((a, b) => Math.max(a, b), 0);
    const least = perImage.reduce((a, b) => Math.min(a, b), most);
    const cut =
      used.length < sources.length
        ? ` (the time for views ran out with ${sources.length - used.length} of ${sources.length} left; those done are cached, so a later run resumes)`
        : '';
    const plural = (k: number) => `${k} view${k === 1 ? '' : 's'}`;
    const rest = perImage.every((k) => k === most || k === least) ? (least ? String(least) : 'none') : 'fewer';
    const viewWords =
      least === most
        ? `${plural(most)} per training image`
        : `${plural(most)} for ${perImage.filter((k) => k === most).length} of the ${n} training images, ${rest} for the rest`;
    if (!used.length) {
      outcome = record({ views: 0, note: `views not used${cut}` });
    } else {
      viewRows = rowsOf(
        used.map((s) => s.id),
        Int32Array.from(used, (s) => prepared.train.y[s.row]),
        run.vectors,
        prepared.featureDim,
      );
      // 3. The same head recipe on the images and their views; kept only when better by the one rule.
      const withViews = await fit({ ...prepared, views: viewRows }, fitted.config, {
        numClasses: classes,
        seed: ctx.seed,
        deadline: ctx.deadline,
        now: ctx.now,
      });
      const paid = isBetter(scoreOf(withViews), without);
      if (paid) kept = withViews;
      else viewRows = undefined;
      // The same head either way, so a tie in accuracy went to the lower loss (score.ts).
      const verdict = !paid
        ? 'not kept (not better by the rule)'
        : withViews.head.valAccuracy === without.valAccuracy
          ? 'kept (the same accuracy at a lower loss)'
          : 'kept';
      outcome = record({
        views: most,
        viewRows: used.length,
        kept: paid,
        with: scoreOf(withViews),
        note: `${viewWords}${cut}: validation ${pct(withViews.head.valAccuracy)} with them, ${pct(without.valAccuracy)} without; ${verdict}`,
      });
    }
  }
  ctx.log.info(`${prepared.displayName}: augmentation (${augmentations.join(', ')}): ${outcome.note}`);

  // 4. Test-time augmentation, measured with the kept head.
  let tta: AugmentOutcome['tta'];
  if (valImages.length) {
    const view = ttaViewFor(flipAllowed);
    const valInView = await ttaRowsOf(view, ctx.deadline);
    outcome = { ...outcome, embedSeconds: cost.seconds, embeddingsComputed: cost.computed, embeddingsCached: cost.cached };
    if (valInView) {
      const plainP = predictProbabilities(kept, prepared.val);
      const plain = scoreProbabilities(plainP, prepared.val.y, classes);
      const averaged = scoreProbabilities(averageProbabilities([plainP, predictProbabilities(kept, valInView)]), prepared.val.y, classes);
      const paid = isBetter(averaged, plain);
      tta = { view, plainAccuracy: plain.valAccuracy, ttaAccuracy: averaged.valAccuracy, paid };
      ctx.log.info(
        `${prepared.displayName}: test-time augmentation (the image and its ${view}): validation ${pct(averaged.valAccuracy)} against ${pct(plain.valAccuracy)}; ${paid ? 'it pays' : 'it does not pay'}`,
      );
    } else ctx.log.info(`${prepared.displayName}: test-time augmentation (the image and its ${view}) not measured: ${outOfTime}`);
  }
  return { fitted: kept, ...(viewRows ? { views: viewRows } : {}), augment: outcome, ...(tta ? { tta } : {}) };
}
