/**
 * Augmented views of an image, made with sharp, deterministically from (image sha256, view
 * index, seed): the same inputs give the same pixels, so each view is embedded once and cached
 * (embeddings/views.ts), and a run is reproducible.
 *
 * A training view: the image decoded as training decodes it (decode.ts, so the same checks
 * apply) at WORK_SCALE × the backbone's size, then a small rotation (the borders filled by
 * mirroring, not a colour), a random resized crop, a horizontal flip, colour jitter, and the
 * resize to the backbone's size. Each view draws all its random numbers in a fixed order
 * whatever the list of augmentations, so turning one off leaves the others as they were.
 *
 * Test-time views (TTA_VIEWS) work on the pixels as decoded for the model (size × size), so
 * `predict --tta` and the measurement on validation make exactly the same views.
 */
import sharp from 'sharp';
import { createRng, deriveSeed } from '../random.js';
import type { Augmentation } from './augment-policy.js';
import { decodeToRgb, RESIZE_MODE } from './decode.js';

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
  /** Bump when the rendering itself changes (not only a range). */
  version: 1,
} as const;

export interface ViewRecipe {
  /** Degrees, counter-clockwise positive as sharp takes them; 0 for none. */
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
  let pixels: Uint8Array = await decodeToRgb(path, work, maxPixels);
  let [width, height] = [work, work];
  // The part of the current image the crop fractions refer to (after a rotation: its middle work × work).
  let frame = { left: 0, top: 0, width: work, height: work };
  if (recipe.rotate) {
    // Mirrored borders first, so the rotated corners hold image, not a fill colour that would be learned.
    const pad = Math.ceil(work * 0.2);
    const padded = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'mirror' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const rotated = await sharp(padded.data, { raw: { width: padded.info.width, height: padded.info.height, channels: 3 } })
      .rotate(recipe.rotate, { background: '#808080' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    pixels = new Uint8Array(rotated.data.buffer, rotated.data.byteOffset, rotated.data.byteLength);
    [width, height] = [rotated.info.width, rotated.info.height];
    frame = { left: Math.floor((width - work) / 2), top: Math.floor((height - work) / 2), width: work, height: work };
  }
  const crop = recipe.crop ?? { left: 0, top: 0, width: 1, height: 1 };
  const region = {
    left: frame.left + Math.floor(crop.left * frame.width),
    top: frame.top + Math.floor(crop.top * frame.height),
    width: Math.max(1, Math.round(crop.width * frame.width)),
    height: Math.max(1, Math.round(crop.height * frame.height)),
  };
  region.width = Math.min(region.width, width - region.left);
  region.height = Math.min(region.height, height - region.top);
  let pipeline = sharp(pixels, { raw: { width, height, channels: 3 } })
    .extract(region)
    .resize(size, size, { fit: RESIZE_MODE, kernel: 'lanczos3' });
  if (recipe.flip) pipeline = pipeline.flop();
  if (recipe.brightness !== 1 || recipe.saturation !== 1) pipeline = pipeline.modulate({ brightness: recipe.brightness, saturation: recipe.saturation });
  // Contrast about mid-grey.
  if (recipe.contrast !== 1) pipeline = pipeline.linear(recipe.contrast, 128 * (1 - recipe.contrast));
  const out = await pipeline.removeAlpha().raw().toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

// ---------------------------------------------------------------------------------------------
// Test-time views

/** Test-time views, each made from the pixels as decoded for the model. */
export const TTA_VIEWS = ['flip', 'zoom'] as const;
export type TtaView = (typeof TTA_VIEWS)[number];

/** zoom: the middle of the image, this share of each side, resized back to the model's size. */
export const TTA_ZOOM = 0.875;

/** Which test-time view a run measures: the flip when the policy allows flips, else the zoom. */
export function ttaViewFor(flipAllowed: boolean): TtaView {
  return flipAllowed ? 'flip' : 'zoom';
}

/** One test-time view of decoded RGB bytes (size × size × 3). */
export async function ttaView(pixels: Uint8Array, size: number, view: TtaView): Promise<Uint8Array> {
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
  const out = await sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .extract({ left: offset, top: offset, width: side, height: side })
    .resize(size, size, { fit: RESIZE_MODE, kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** The average of the probabilities of the image as it is and its test-time views (each rows × classes). */
export function averageProbabilities(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts[0].length);
  for (const p of parts) for (let i = 0; i < out.length; i++) out[i] += p[i] / parts.length;
  return out;
}
