/**
 * Augmented views of an image, made deterministically from (image sha256, view index, seed):
 * the same inputs give the same pixels, so each view is embedded once and cached
 * (embeddings/views.ts), and a run is reproducible.
 *
 * A training view: the image decoded as training decodes it (decode.ts, so the same checks
 * apply) at `workScale` × the backbone's size, then one pass over the output pixels (drawView)
 * that applies a small rotation (the borders filled by mirroring, not a colour), a random
 * resized crop, a horizontal flip and colour jitter, sampling the decoded image bilinearly.
 * One pass in JavaScript, not four sharp pipelines: a view of a 28-px image at 224 px took
 * 24 ms of CPU that way (the rotation alone 12 ms, libvips' affine over the padded image),
 * three times the embedding it was made for; this pass takes about 2 ms of it. Each view
 * draws all its random numbers in a fixed order whatever the list of augmentations, so
 * turning one off leaves the others as they were.
 *
 * Test-time views (TTA_VIEWS) work on the pixels as decoded for the model (size × size), so
 * `predict --tta` and the measurement on validation make exactly the same views.
 */
import { createRng, deriveSeed } from '../random.js';
import type { Augmentation } from './augment-policy.js';
import { decodeToRgb } from './decode.js';
import { enlarge } from './enlarge.js';

/** The ranges views are drawn from. Part of every view's cache key: changing one never reuses old entries. */
export const VIEW_RANGES = {
  /** Decode at this × the backbone's size before cropping, so a crop is not an upscale of an upscale. */
  workScale: 1.25,
  /** Random resized crop: share of the area kept, and aspect ratio (log-uniform). */
  cropArea: [0.6, 1],
  cropRatio: [3 / 4, 4 / 3],
  /** Rotation in degrees, either way. */
  rotateDegrees: 10,
  /** Colour jitter: brightness, saturation and contrast factors. */
  brightness: [0.8, 1.2],
  saturation: [0.8, 1.2],
  contrast: [0.8, 1.2],
  /** Bump when the rendering itself changes (not only a range). 2: one JavaScript pass (drawView) instead of sharp's. */
  version: 2,
} as const;

export interface ViewRecipe {
  /** Degrees, clockwise positive; 0 for none. */
  rotate: number;
  /** The crop as fractions of the (rotated) image: left, top, width, height; null for the whole image. */
  crop: { left: number; top: number; width: number; height: number } | null;
  flip: boolean;
  /** Colour factors, 1 for none. */
  brightness: number;
  saturation: number;
  contrast: number;
}

const uniform = (rng: () => number, [low, high]: readonly [number, number]) => low + rng() * (high - low);

/** The recipe of view `index` (1, 2, …) of an image: a pure function of its inputs. */
export function viewRecipe(imageSha: string, index: number, seed: number, augmentations: readonly Augmentation[]): ViewRecipe {
  const rng = createRng(deriveSeed(seed, `view:${imageSha}:${index}`));
  const on = (a: Augmentation) => augmentations.includes(a);
  // Drawn in a fixed order whatever is on, so the list does not shift the other draws.
  const rotate = (rng() * 2 - 1) * VIEW_RANGES.rotateDegrees;
  const area = uniform(rng, VIEW_RANGES.cropArea);
  const ratio = Math.exp(uniform(rng, [Math.log(VIEW_RANGES.cropRatio[0]), Math.log(VIEW_RANGES.cropRatio[1])]));
  const [x, y] = [rng(), rng()];
  const flip = rng() < 0.5;
  const brightness = uniform(rng, VIEW_RANGES.brightness);
  const saturation = uniform(rng, VIEW_RANGES.saturation);
  const contrast = uniform(rng, VIEW_RANGES.contrast);
  const width = Math.min(1, Math.sqrt(area * ratio));
  const height = Math.min(1, Math.sqrt(area / ratio));
  return {
    rotate: on('rotate') ? Number(rotate.toFixed(3)) : 0,
    crop: on('crop') ? { left: x * (1 - width), top: y * (1 - height), width, height } : null,
    flip: on('flip') && flip,
    brightness: on('colour') ? brightness : 1,
    saturation: on('colour') ? saturation : 1,
    contrast: on('colour') ? contrast : 1,
  };
}

/** Identifies how views are made from (image, index): the augmentations, the seed and the ranges. Part of the cache key. */
export function viewRecipeKey(augmentations: readonly Augmentation[], seed: number): string {
  return `views:${[...augmentations].sort().join('+')}:seed=${seed}:${JSON.stringify(VIEW_RANGES)}`;
}

/** One training view of the image at `path`, as RGB bytes (size × size × 3). */
export async function renderView(path: string, size: number, maxPixels: number, recipe: ViewRecipe): Promise<Uint8Array> {
  const work = Math.round(size * VIEW_RANGES.workScale);
  return drawView(await decodeToRgb(path, work, maxPixels), work, size, recipe);
}

/** Index `i` reflected into [0, n) the way a mirror extends an image: … 1 0 | 0 1 … n−1 | n−1 n−2 … */
function mirrorIndex(i: number, n: number): number {
  if (i >= 0 && i < n) return i;
  const period = 2 * n;
  const m = ((i % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

/**
 * The view of `pixels` (work × work RGB) as size × size RGB bytes. Each output pixel's centre
 * is placed in the crop (fractions of the rotated image's middle work × work, which is the
 * decoded frame), mirrored left to right when the recipe flips, rotated back about the
 * frame's centre, and sampled bilinearly, the border continuing as its mirror image. Then the
 * colour: brightness scales, saturation moves away from or towards the pixel's grey (Rec. 601
 * luma), contrast stretches about mid-grey.
 */
export function drawView(pixels: Uint8Array, work: number, size: number, recipe: ViewRecipe): Uint8Array {
  const crop = recipe.crop ?? { left: 0, top: 0, width: 1, height: 1 };
  const theta = (recipe.rotate * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const centre = work / 2;
  const stepX = (crop.width * work) / size;
  const stepY = (crop.height * work) / size;
  const { brightness, saturation, contrast } = recipe;
  // Clamped bytes: a value stored is rounded and held within 0…255.
  const out = new Uint8ClampedArray(size * size * 3);
  for (let v = 0; v < size; v++) {
    // The frame point of the output pixel's centre, relative to the frame's centre.
    const fy = crop.top * work + (v + 0.5) * stepY - centre;
    for (let u = 0; u < size; u++) {
      const fx = crop.left * work + ((recipe.flip ? size - 1 - u : u) + 0.5) * stepX - centre;
      // The frame shows the image turned clockwise by theta (y points down): turn the point back.
      const sx = centre + cos * fx + sin * fy - 0.5;
      const sy = centre - sin * fx + cos * fy - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const ax = sx - x0;
      const ay = sy - y0;
      const xa = mirrorIndex(x0, work) * 3;
      const xb = mirrorIndex(x0 + 1, work) * 3;
      const ya = mirrorIndex(y0, work) * work * 3;
      const yb = mirrorIndex(y0 + 1, work) * work * 3;
      // Bilinear, channel by channel (written out: a closure here costs five times the loop).
      let top = pixels[ya + xa] + (pixels[ya + xb] - pixels[ya + xa]) * ax;
      let bottom = pixels[yb + xa] + (pixels[yb + xb] - pixels[yb + xa]) * ax;
      const r = (top + (bottom - top) * ay) * brightness;
      top = pixels[ya + xa + 1] + (pixels[ya + xb + 1] - pixels[ya + xa + 1]) * ax;
      bottom = pixels[yb + xa + 1] + (pixels[yb + xb + 1] - pixels[yb + xa + 1]) * ax;
      const g = (top + (bottom - top) * ay) * brightness;
      top = pixels[ya + xa + 2] + (pixels[ya + xb + 2] - pixels[ya + xa + 2]) * ax;
      bottom = pixels[yb + xa + 2] + (pixels[yb + xb + 2] - pixels[yb + xa + 2]) * ax;
      const b = (top + (bottom - top) * ay) * brightness;
      const grey = 0.299 * r + 0.587 * g + 0.114 * b;
      const at = (v * size + u) * 3;
      out[at] = (grey + (r - grey) * saturation - 128) * contrast + 128;
      out[at + 1] = (grey + (g - grey) * saturation - 128) * contrast + 128;
      out[at + 2] = (grey + (b - grey) * saturation - 128) * contrast + 128;
    }
  }
  return new Uint8Array(out.buffer);
}

// ---------------------------------------------------------------------------------------------
// Test-time views

/** Test-time views, each made from the pixels as decoded for the model. */
export const TTA_VIEWS = ['flip', 'zoom'] as const;
export type TtaView = (typeof TTA_VIEWS)[number];

/** zoom: the middle of the image, this share of each side, enlarged back to the model's size (as sharp would). */
export const TTA_ZOOM = 0.875;

/** Which test-time view a run measures: the flip when the policy allows flips, else the zoom. */
export function ttaViewFor(flipAllowed: boolean): TtaView {
  return flipAllowed ? 'flip' : 'zoom';
}

/** One test-time view of decoded RGB bytes (size × size × 3). */
export function ttaView(pixels: Uint8Array, size: number, view: TtaView): Uint8Array {
  if (view === 'flip') {
    const out = new Uint8Array(pixels.length);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const from = (y * size + x) * 3;
        const to = (y * size + (size - 1 - x)) * 3;
        out[to] = pixels[from];
        out[to + 1] = pixels[from + 1];
        out[to + 2] = pixels[from + 2];
      }
    }
    return out;
  }
  const side = Math.max(1, Math.round(size * TTA_ZOOM));
  const offset = Math.floor((size - side) / 2);
  const middle = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) middle.set(pixels.subarray(((offset + y) * size + offset) * 3, ((offset + y) * size + offset + side) * 3), y * side * 3);
  return enlarge(middle, side, side, 3, size);
}

/** The average of the probabilities of the image as it is and its test-time views (each rows × classes). */
export function averageProbabilities(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts[0].length);
  for (const p of parts) for (let i = 0; i < out.length; i++) out[i] += p[i] / parts.length;
  return out;
}
