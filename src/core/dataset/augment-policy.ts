/**
 * Which augmentations a run may use, and how many augmented views it can afford: the policy,
 * stated once here and logged by the bake-off (training/augmentation.ts) for every candidate.
 *
 * - `--augment off`: no views, no test-time augmentation.
 * - `--augment crop,colour,...`: exactly the listed augmentations, as asked (no check).
 * - `--augment auto`: crop, colour and rotate always; horizontal flip only when
 *   the data allows it. The tool cannot know whether a flipped image is still the same class
 *   (a mirrored shoe is a shoe, a mirrored "2" or "R" is not), so it asks the data: the head
 *   trained without views scores the validation images flipped, and flips are off when that
 *   accuracy falls below the 95% (Wilson) interval of its accuracy on the images as they are:
 *   a loss beyond the noise of the validation split (flipRule).
 *
 * Views are for training images only; validation and test images are never augmented (except
 * the test-time views, which are measured on validation and written to preprocessing.json).
 */
import { InputError } from '../errors.js';
import { wilsonInterval } from '../training/score.js';

export const AUGMENTATIONS = ['crop', 'flip', 'colour', 'rotate'] as const;
export type Augmentation = (typeof AUGMENTATIONS)[number];

export type AugmentSetting = 'auto' | 'off' | Augmentation[];

export const AUGMENT_POLICY = {
  /** Augmented views per training image, at most (each costs one embedding per image). */
  maxViews: 2,
  /**
   * The winner's views are made after the bake-off (run/stages/augment.ts). Of the time then
   * left before the reserve: what rendering and embedding them may take, and what training the
   * head with them may take after that; tuning and the final fit share the rest.
   */
  share: 0.4,
  fitShare: 0.15,
  /** Milliseconds per view assumed when this run has not measured its backbone (every embedding came from the cache). */
  unknownMsPerImage: 50,
  /**
   * A training view costs this × a measured embedding: it is decoded at 1.25× the size (1.56×
   * the pixels) and then drawn (dataset/augment.ts drawView). Views alone, on ONNX Runtime,
   * 2 cores, MobileNetV2 @224 2 middle depths, 400 cross-source images: 1.24–1.68× in four
   * runs. In a run (the cross-source bench's augmented run, 150 s) the time planned at 1.3×
   * embedded 1,088 of 1,238 views, about 1.48×.
   */
  renderCost: 1.5,
  /**
   * A view is started when at least this share of it fits in the time for views; the images
   * it reaches by then get it (training/augmentation.ts), so a view cut short still pays.
   */
  minViewShare: 0.25,
} as const;

/**
 * Parses `auto`, `off`, or a comma-separated list of augmentations (e.g. `crop,colour`).
 * `name` is how the user gave it: the CLI flag, or the action's input.
 */
export function parseAugment(text: string, name = '--augment'): AugmentSetting {
  const value = text.trim().toLowerCase();
  if (value === 'auto' || value === 'off') return value;
  const names = value.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !(AUGMENTATIONS as readonly string[]).includes(n));
  if (!names.length || unknown.length) {
    throw new InputError(
      `${name} must be auto, off, or a comma-separated list of ${AUGMENTATIONS.join(', ')}; got "${text}"${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}.`,
      'augment',
    );
  }
  return [...new Set(names)] as Augmentation[];
}

export interface AugmentPlan {
  /** Augmentations the views may use, before the flip check. */
  augmentations: Augmentation[];
  /** True when flip is in the list only if the data allows it (auto). */
  checkFlip: boolean;
  /** The rule in words, for the log and the report. */
  rule: string;
}

export function planAugmentations(setting: AugmentSetting = 'auto'): AugmentPlan {
  if (setting === 'off') return { augmentations: [], checkFlip: false, rule: 'augmentation off (--augment off)' };
  if (setting === 'auto')
    return {
      augmentations: [...AUGMENTATIONS],
      checkFlip: true,
      rule: 'auto: crop, colour and rotate; flip only when the head scores flipped validation images within the 95% interval of its accuracy on them as they are',
    };
  return { augmentations: setting, checkFlip: false, rule: `as asked (--augment ${setting.join(',')})` };
}

export interface FlipCheck {
  allowed: boolean;
  /** The head's validation accuracy on the images as they are, and flipped. */
  plainAccuracy: number;
  flippedAccuracy: number;
  reason: string;
}

/**
 * The flip rule of `auto`: flips stay on unless the accuracy on the flipped validation images
 * falls below the 95% Wilson interval of the accuracy on the `images` as they are.
 */
export function flipRule(plainAccuracy: number, flippedAccuracy: number, images: number): FlipCheck {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const low = wilsonInterval(Math.round(plainAccuracy * images), images).low;
  const allowed = flippedAccuracy >= low;
  const scores = `flipped validation images score ${pct(flippedAccuracy)} against ${pct(plainAccuracy)} as they are (95% interval from ${pct(low)})`;
  return {
    allowed,
    plainAccuracy,
    flippedAccuracy,
    reason: allowed ? `flip on: ${scores}` : `flip off: ${scores}, so a mirror image is not the same class here (text, digits or asymmetric things)`,
  };
}
