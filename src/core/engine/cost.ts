/**
 * What `auto` can afford on ONNX Runtime: the default pretrained backbones run at their native
 * input size unless embedding every image with them would not fit the bake-off's time; then
 * each is shrunk step by step, or left out, and the plan says so for result.json and the report.
 * Pure: the image count and the bake-off's milliseconds in, the backbones and the plan out.
 *
 * The estimate ignores embeddings already cached (they cost nothing), so it errs on the safe side.
 * A backbone's plain and multi-depth (`+taps`, `+mid`, `+grid`) variants share one pass (every tap is
 * cached from it): the first one listed pays, and the others follow its size for free.
 */
import { atInputSize, type BackboneSpec } from '../backbones/zoo.js';

export interface BackboneCost {
  /** The size `msPerImage` was measured at; the cost scales with the input's area. */
  size: number;
  /** Milliseconds per image for the whole call (decode included). */
  msPerImage: number;
  /** Sizes to try, largest first, when the native one is too dear. */
  sizes: number[];
}

/**
 * ONNX Runtime, CPU provider, 2 intra-op threads, batch 32, measured on a 2-core AMD EPYC
 * (AVX-512) for issue 12: compute alone MobileNetV2@224 216–265 img/s, InceptionV3@299 29–31
 * img/s. Decoding with sharp overlaps the compute but shares the cores, so the whole call is
 * taken at the targets, 100 and 20 img/s. More cores or a GPU only make it cheaper.
 */
export const ORT_COSTS: Record<string, BackboneCost> = {
  mobilenet_v2: { size: 224, msPerImage: 10, sizes: [224, 160, 96] },
  inception_v3: { size: 299, msPerImage: 50, sizes: [299, 224, 160] },
};

/** Of the bake-off's time, what embedding may take: the heads of every candidate train in the rest. */
export const EMBED_SHARE = 0.6;

export interface PlanEntry {
  backbone: string;
  reason: string;
}

export interface AffordInput {
  /** The resolved backbones, in bake-off order. */
  specs: BackboneSpec[];
  /** Ids that came from `auto` (only those are shrunk or dropped; named backbones are the user's choice). */
  fromAuto: Set<string>;
  /** Distinct images to embed. */
  images: number;
  /** Milliseconds the bake-off has. */
  bakeOffMs: number;
  costs?: Record<string, BackboneCost>;
}

export function estimateEmbedMs(cost: BackboneCost, size: number, images: number): number {
  return images * cost.msPerImage * (size / cost.size) ** 2;
}

/** Whole seconds, or tenths under ten: rounding 1.4 s and 0.6 s both to "1 s" made a plan read as if it fitted. */
const seconds = (ms: number) => (ms < 9950 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

export function affordAutoBackbones(input: AffordInput): { specs: BackboneSpec[]; plan: PlanEntry[] } {
  const costs = input.costs ?? ORT_COSTS;
  const available = input.bakeOffMs * EMBED_SHARE;
  let left = available;
  let keptPretrained = false;
  const specs: BackboneSpec[] = [];
  const plan: PlanEntry[] = [];
  // Per built-in source decided so far: the size it runs at, or null when left out.
  const decided = new Map<string, number | null>();
  for (const spec of input.specs) {
    const cost = costs[spec.source];
    if (!cost || !spec.builtin || !input.fromAuto.has(spec.id)) {
      specs.push(spec);
      continue;
    }
    if (decided.has(spec.source)) {
      const size = decided.get(spec.source)!;
      if (size === null)
        plan.push({
          backbone: spec.id,
          reason: `left out: it shares one embedding pass with the other ${spec.source} variants, left out for the budget; raise the budget to include it`,
        });
      else if (size === spec.inputSize) specs.push(spec);
      else {
        specs.push(atInputSize(spec, size));
        plan.push({
          backbone: spec.id,
          reason: `shrunk to ${size} px: it shares one embedding pass with the other ${spec.source} variants, shrunk for the budget; raise the budget to run it at ${spec.inputSize} px`,
        });
      }
      continue;
    }
    const wanted = estimateEmbedMs(cost, spec.inputSize, input.images);
    const sizes = cost.sizes.filter((s) => s <= spec.inputSize);
    const size = sizes.find((s) => estimateEmbedMs(cost, s, input.images) <= left);
    const dearest = `embedding ${input.images} images at ${spec.inputSize} px would take about ${seconds(wanted)}, and the bake-off has about ${seconds(available)} for embedding`;
    if (size === spec.inputSize) {
      specs.push(spec);
      decided.set(spec.source, size);
    } else if (size !== undefined || !keptPretrained) {
      // The first pretrained backbone stays, at the smallest size if need be: a pretrained candidate beats none.
      const chosen = size ?? sizes[sizes.length - 1];
      specs.push(atInputSize(spec, chosen));
      decided.set(spec.source, chosen);
      plan.push({ backbone: spec.id, reason: `shrunk to ${chosen} px: ${dearest}; raise the budget to run it at ${spec.inputSize} px` });
    } else {
      plan.push({ backbone: spec.id, reason: `left out: ${dearest} (even at ${sizes[sizes.length - 1]} px it would not fit); raise the budget to include it` });
      decided.set(spec.source, null);
      continue;
    }
    keptPretrained = true;
    left -= estimateEmbedMs(cost, specs[specs.length - 1].inputSize, input.images);
  }
  return { specs, plan };
}
