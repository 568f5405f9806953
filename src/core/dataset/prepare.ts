/**
 * From a dataset path to checked, de-duplicated, split images and the dataset part of the
 * RunResult. Every file that is not used is listed with its reason.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { InputError } from '../errors.js';
import type { SplitRatios } from '../options.js';
import type { Logger } from '../ports.js';
import type { DatasetSummary, SkippedFile } from '../result.js';
import { DecodeError, decodeToRgb } from './decode.js';
import { IMAGE_EXTENSIONS, labelFolder, scanDataset, type ImageRecord, type ScanLimits } from './scan.js';
import { assignSplits, explicitSplits, type SplitImage } from './split.js';
import { extractZipDataset, type ZipLimits } from './zip.js';

/** Size of the validation decode; these thumbnails feed the from-scratch CNN and the report. */
export const THUMBNAIL_SIZE = 32;

export interface PreparedDataset {
  images: SplitImage[];
  labels: string[];
  summary: DatasetSummary;
  /** RGB pixels at THUMBNAIL_SIZE, by image sha256. */
  thumbnails: Map<string, Uint8Array>;
  /** Folder the images are read from (the extracted copy for a zip). */
  root: string;
}

export interface PrepareOptions {
  datasetPath: string;
  split: SplitRatios;
  seed: number;
  maxPixels: number;
  /** Where a .zip dataset is extracted. */
  workDir: string;
  /** Caps for .zip datasets (zip bombs). Default ZIP_LIMITS. */
  zipLimits?: ZipLimits;
  /** Caps on the files read (size of one image). Default SCAN_LIMITS. */
  scanLimits?: ScanLimits;
  /**
   * Called with the image files found, before they are decoded and checked (the slow part), so
   * work that only needs the list can start meanwhile (the run preloads its first backbone).
   */
  onListed?: (paths: string[]) => void;
  /**
   * Which images to decode and check, by content hash (default: all). The others are listed
   * unchecked and get no thumbnail: an embed job of a matrix checks only its own shard's
   * images (the train job checks them all), so n jobs do not decode the dataset n times.
   */
  check?: (sha256: string) => boolean;
}

/**
 * Skipped files logged one line each, up to this many; the rest get one summary line. In the
 * Action every line is an annotation, and GitHub shows only the first few of those anyway.
 */
export const SKIP_LOG_LIMIT = 100;

/** Logs each skip as `Skipped <file>: <reason>` until the limit, then counts them. */
function skipLog(log: Logger) {
  let logged = 0;
  let held = 0;
  return {
    report(skips: SkippedFile[]) {
      for (const s of skips) {
        if (logged >= SKIP_LOG_LIMIT) {
          held++;
          continue;
        }
        logged++;
        log.warn(`Skipped ${s.file}: ${s.reason}`, { file: s.file });
      }
    },
    finish() {
      if (held)
        log.warn(
          `Skipped ${held.toLocaleString('en')} more file${held === 1 ? '' : 's'}, not shown one by one here: result.json (dataset.skipped) and report.html list every skipped file with its reason.`,
        );
      held = 0;
    },
  };
}

/**
 * The folder a dataset path names: the folder itself, or a .zip's extracted copy under
 * `workDir` (zip.ts). A path that is missing, unreadable, or a file other than a .zip gets an
 * error saying what to give instead. For training and for scoring images from elsewhere alike.
 */
export async function datasetFolder(datasetPath: string, workDir: string, zipLimits?: ZipLimits): Promise<string> {
  const info = await stat(datasetPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EACCES' || error.code === 'EPERM') {
      throw new InputError(`Dataset "${datasetPath}" cannot be read (permission denied). Give the user running classifier-ci read access to it.`, datasetPath);
    }
    return null;
  });
  if (!info) throw new InputError(`Dataset "${datasetPath}" was not found. Point to a folder of <label>/<image> files (or a .zip of one).`, datasetPath);
  if (!info.isFile()) return datasetPath;
  if (!datasetPath.toLowerCase().endsWith('.zip')) {
    throw new InputError(`Dataset "${datasetPath}" is a file, not a folder. Give a folder of <label>/<image> files or a .zip of one.`, datasetPath);
  }
  return extractZipDataset(datasetPath, workDir, zipLimits);
}

export async function prepareDataset(options: PrepareOptions, log: Logger): Promise<PreparedDataset> {
  const root = await datasetFolder(options.datasetPath, options.workDir, options.zipLimits);
  const scan = await scanDataset(root, options.scanLimits, options.datasetPath);
  // Images but no label folders: one error says what to do, not a warning per image before it.
  const loose = scan.skipped.filter((s) => !s.file.includes('/') && IMAGE_EXTENSIONS.has(extname(s.file).toLowerCase()));
  if (scan.records.length === 0 && loose.length > 0) {
    throw new InputError(
      `Dataset "${options.datasetPath}" has ${loose.length} image${loose.length === 1 ? '' : 's'} at the top level (e.g. ${loose[0].file}) but no label folders. Move each image into ${labelFolder(options.datasetPath, '<label>')}, one folder per label, e.g. ${labelFolder(options.datasetPath, 'cat')} and ${labelFolder(options.datasetPath, 'dog')}.`,
      options.datasetPath,
    );
  }
  const skipped: SkippedFile[] = [...scan.skipped];
  const skips = skipLog(log);
  try {
    skips.report(scan.skipped);

    options.onListed?.(scan.records.map((r) => r.path));
    const decoded = await validateImages(scan.records, options.maxPixels, log, options.check);
    skips.report(decoded.skipped);
    skipped.push(...decoded.skipped);

    const unique = dropDuplicates(decoded.records);
    skips.report(unique.skipped);
    skipped.push(...unique.skipped);

    const labels = [...new Set(unique.records.map((r) => r.label))].sort();
    if (unique.records.length === 0) {
      throw new InputError(
        `Dataset "${options.datasetPath}" has no usable images${skipped.length ? ` (${skipped.length} files skipped; see the list above)` : ''}. Put images in ${labelFolder(options.datasetPath, '<label>')}, one folder per label.`,
        options.datasetPath,
      );
    }
    if (labels.length < 2) {
      throw new InputError(
        `Dataset "${options.datasetPath}" has only one label ("${labels[0]}"). A classifier needs at least two: add a folder per label, e.g. ${labelFolder(options.datasetPath, 'cat')} and ${labelFolder(options.datasetPath, 'dog')}.`,
        labels[0],
      );
    }

    const images = scan.explicitSplits
      ? explicitSplits(unique.records, options.datasetPath)
      : assignSplits(unique.records, options.split, options.seed, options.datasetPath);
    const summary = summarise(options, labels, images, skipped, unique.warnings, scan.explicitSplits);
    return { images, labels, summary, thumbnails: decoded.thumbnails, root };
  } finally {
    skips.finish();
  }
}

async function validateImages(records: ImageRecord[], maxPixels: number, log: Logger, check: (sha256: string) => boolean = () => true) {
  const thumbnails = new Map<string, Uint8Array>();
  const ok: ImageRecord[] = records.filter((r) => !check(r.sha256));
  const skipped: SkippedFile[] = [];
  let done = 0;
  const queue = records.filter((r) => check(r.sha256));
  const total = queue.length;
  const worker = async () => {
    for (let record = queue.shift(); record; record = queue.shift()) {
      try {
        if (!thumbnails.has(record.sha256)) thumbnails.set(record.sha256, await decodeToRgb(record.path, THUMBNAIL_SIZE, maxPixels));
        ok.push(record);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        skipped.push({ file: record.file, reason: error.message });
      }
      log.progress('Checking images', ++done, total);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  // Workers finish in any order; the list (and the log) should not.
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  ok.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { records: ok, skipped, thumbnails };
}

/**
 * Exact duplicates within a label count once (so no copy straddles train and test).
 * The same bytes under two labels is a contradiction: every copy is excluded and listed.
 */
function dropDuplicates(records: ImageRecord[]) {
  const bySha = new Map<string, ImageRecord[]>();
  for (const r of records) bySha.set(r.sha256, [...(bySha.get(r.sha256) ?? []), r]);
  const kept: ImageRecord[] = [];
  const skipped: SkippedFile[] = [];
  const warnings: string[] = [];
  let duplicateCount = 0;
  for (const copies of bySha.values()) {
    const labels = [...new Set(copies.map((c) => c.label))];
    if (labels.length > 1) {
      const where = copies.map((c) => c.file).join(', ');
      warnings.push(`The same image is labelled ${labels.map((l) => `"${l}"`).join(' and ')}: ${where}. All copies were left out; keep it under one label.`);
      for (const c of copies) {
        skipped.push({
          file: c.file,
          reason: `conflicting labels: identical to ${copies
            .filter((o) => o !== c)
            .map((o) => o.file)
            .join(', ')}`,
        });
      }
      continue;
    }
    kept.push(copies[0]);
    for (const extra of copies.slice(1)) {
      duplicateCount++;
      skipped.push({ file: extra.file, reason: `duplicate of ${copies[0].file} (counted once)` });
    }
  }
  if (duplicateCount) warnings.push(`${duplicateCount} exact duplicate image${duplicateCount === 1 ? ' was' : 's were'} counted once.`);
  kept.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { records: kept, skipped, warnings };
}

function summarise(
  options: PrepareOptions,
  labels: string[],
  images: SplitImage[],
  skipped: SkippedFile[],
  warnings: string[],
  explicit: boolean,
): DatasetSummary {
  const counts = labels.map((label) => {
    const mine = images.filter((i) => i.label === label);
    return {
      label,
      train: mine.filter((i) => i.split === 'train').length,
      val: mine.filter((i) => i.split === 'val').length,
      test: mine.filter((i) => i.split === 'test').length,
      total: mine.length,
    };
  });
  const totals = counts.map((c) => c.total);
  const smallest = Math.min(...totals);
  const largest = Math.max(...totals);
  if (largest >= 3 * smallest) {
    const small = counts.find((c) => c.total === smallest)!.label;
    const big = counts.find((c) => c.total === largest)!.label;
    warnings.push(
      `Labels are imbalanced: "${big}" has ${largest} images, "${small}" only ${smallest}. Accuracy may favour the larger labels; watch per-label recall.`,
    );
  }
  const tiny = counts.filter((c) => c.total < 20).map((c) => c.label);
  if (tiny.length)
    warnings.push(
      `${tiny.length} label${tiny.length === 1 ? ' has' : 's have'} fewer than 20 images (${tiny
        .slice(0, 5)
        .map((l) => `"${l}"`)
        .join(', ')}${tiny.length > 5 ? ', …' : ''}); results for them are noisy.`,
    );

  const fingerprint = createHash('sha256');
  for (const image of [...images].sort((a, b) => (a.sha256 + a.label < b.sha256 + b.label ? -1 : 1))) {
    fingerprint.update(`${image.label}\0${image.sha256}\n`);
  }
  return {
    root: options.datasetPath,
    fingerprint: fingerprint.digest('hex'),
    labels,
    images: images.length,
    counts,
    splitMode: explicit ? 'explicit' : 'hash',
    splitCounts: {
      train: counts.reduce((n, c) => n + c.train, 0),
      val: counts.reduce((n, c) => n + c.val, 0),
      test: counts.reduce((n, c) => n + c.test, 0),
    },
    skipped,
    warnings,
  };
}
