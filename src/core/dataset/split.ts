/**
 * Stable, stratified train/val/test split.
 *
 * Each image's split is decided by its own content hash and the seed alone (a point in
 * [0, 1) compared with the ratio thresholds), so adding images in a later commit never moves
 * an existing image to another split. The only exception is repair: when a label would
 * otherwise have no image in a split, the image whose point lies closest to that split's
 * range is moved there. That happens only for tiny labels.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import type { SplitRatios } from '../options.js';
import { labelFolder, type ImageRecord, type SplitName } from './scan.js';

/** A label needs at least one image in each split. */
export const MIN_IMAGES_PER_LABEL = 3;

export function splitPoint(sha256: string, seed: number): number {
  const digest = createHash('sha256').update(`split:${seed}:${sha256}`).digest();
  // 48 bits are plenty and stay exact in a double.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export interface SplitImage extends ImageRecord {
  split: SplitName;
}

/** `datasetPath` is the dataset as the user gave it, named in the messages. */
export function assignSplits(records: ImageRecord[], ratios: SplitRatios, seed: number, datasetPath: string): SplitImage[] {
  const byLabel = new Map<string, ImageRecord[]>();
  for (const record of records) {
    const list = byLabel.get(record.label) ?? [];
    list.push(record);
    byLabel.set(record.label, list);
  }
  const out: SplitImage[] = [];
  for (const [label, images] of byLabel) {
    if (images.length < MIN_IMAGES_PER_LABEL) {
      throw new InputError(
        `Label "${label}" has ${images.length} image${images.length === 1 ? '' : 's'}; each label needs at least ${MIN_IMAGES_PER_LABEL} (one each for train, validation and test), and 20 or more to train well. Add images to ${labelFolder(datasetPath, label)} or remove the folder.`,
        label,
      );
    }
    const scored = images.map((image) => ({ image, point: splitPoint(image.sha256, seed) }));
    const assigned = scored.map(({ image, point }): { image: ImageRecord; point: number; split: SplitName } => ({
      image,
      point,
      split: point < ratios.train ? 'train' : point < ratios.train + ratios.val ? 'val' : 'test',
    }));
    repairEmptySplit(assigned, 'test', ratios);
    repairEmptySplit(assigned, 'val', ratios);
    repairEmptySplit(assigned, 'train', ratios);
    for (const { image, split } of assigned) out.push({ ...image, split });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function repairEmptySplit(assigned: { point: number; split: SplitName }[], wanted: SplitName, ratios: SplitRatios): void {
  if (assigned.some((a) => a.split === wanted)) return;
  const counts = { train: 0, val: 0, test: 0 };
  for (const a of assigned) counts[a.split]++;
  // Move the image whose point lies closest to the wanted range, from a split that keeps at least one.
  const low = wanted === 'train' ? 0 : wanted === 'val' ? ratios.train : ratios.train + ratios.val;
  const high = wanted === 'train' ? ratios.train : wanted === 'val' ? ratios.train + ratios.val : 1;
  const distance = (p: number) => (p < low ? low - p : p >= high ? p - high : 0);
  const donors = assigned.filter((a) => counts[a.split] > 1).sort((a, b) => distance(a.point) - distance(b.point));
  if (donors[0]) donors[0].split = wanted;
}

/** Honours an explicit train/ val/ test/ layout; every label must appear in train and val. */
export function explicitSplits(records: ImageRecord[], datasetPath: string): SplitImage[] {
  const seen = new Map<string, Set<SplitName>>();
  for (const r of records) {
    const set = seen.get(r.label) ?? new Set();
    set.add(r.split!);
    seen.set(r.label, set);
  }
  for (const [label, splits] of seen) {
    for (const needed of ['train', 'val', 'test'] as const) {
      if (!splits.has(needed)) {
        throw new InputError(
          `Label "${label}" has no images in ${labelFolder(datasetPath, `${needed}/${label}`)}. With an explicit train/ val/ test/ layout, every label needs images in all three.`,
          label,
        );
      }
    }
  }
  return records.map((r) => ({ ...r, split: r.split! }));
}
