/**
 * Scanning a dataset folder: `<label>/<image>` (any depth below the label), or an explicit
 * `train/ val/ test/` layout with label folders inside each. Produces one ImageRecord per
 * usable file and a SkippedFile for everything else: nothing is dropped silently.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { InputError } from '../errors.js';
import type { SkippedFile } from '../result.js';

export type SplitName = 'train' | 'val' | 'test';

export interface ImageRecord {
  /** Absolute path on disk. */
  path: string;
  /** Path relative to the dataset root, with forward slashes (what users see). */
  file: string;
  label: string;
  sha256: string;
  bytes: number;
  /** Set when the dataset uses an explicit train/ val/ test/ layout. */
  split?: SplitName;
}

export interface ScanResult {
  records: ImageRecord[];
  skipped: SkippedFile[];
  explicitSplits: boolean;
}

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.avif', '.tif', '.tiff']);
/** Files that operating systems and tools leave behind; skipped without fuss. */
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini', 'icon\r']);
const SPLIT_FOLDERS: Record<string, SplitName> = { train: 'train', val: 'val', valid: 'val', validation: 'val', test: 'test' };

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

export async function scanDataset(root: string): Promise<ScanResult> {
  let rootReal: string;
  try {
    rootReal = await realpath(root);
    if (!(await stat(rootReal)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new InputError(`Dataset "${root}" was not found or is not a folder. Point to a folder of <label>/<image> files (or a .zip of one).`, root);
  }

  const skipped: SkippedFile[] = [];
  const top = (await readdir(rootReal, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const topDirs = top.filter((e) => e.isDirectory() || e.isSymbolicLink());
  const splitDirs = topDirs.filter((e) => SPLIT_FOLDERS[e.name.toLowerCase()]);
  // Explicit layout only when every top-level folder is a split name: a label called "test"
  // next to real labels must stay a label.
  const explicitSplits = splitDirs.length >= 2 && splitDirs.length === topDirs.length;

  const records: ImageRecord[] = [];
  const visitedDirs = new Set<string>([rootReal]);
  const walkContext = { rootReal, skipped, records, visitedDirs };

  for (const entry of top) {
    const full = join(rootReal, entry.name);
    const rel = entry.name;
    if (isHidden(entry.name)) {
      skipped.push({ file: rel, reason: 'hidden or system file' });
      continue;
    }
    const kind = await resolveEntry(full, rel, walkContext);
    if (kind === 'file') {
      skipped.push({ file: rel, reason: 'file at the top level, outside any label folder: move it into dataset/<label>/' });
      continue;
    }
    if (kind !== 'dir') continue;
    if (explicitSplits) {
      const split = SPLIT_FOLDERS[entry.name.toLowerCase()]!;
      const labels = (await readdir(full, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const labelEntry of labels) {
        const labelFull = join(full, labelEntry.name);
        const labelRel = `${rel}/${labelEntry.name}`;
        if (isHidden(labelEntry.name)) {
          skipped.push({ file: labelRel, reason: 'hidden or system file' });
          continue;
        }
        const labelKind = await resolveEntry(labelFull, labelRel, walkContext);
        if (labelKind === 'file') {
          skipped.push({ file: labelRel, reason: `file directly in ${rel}/, outside any label folder: move it into ${rel}/<label>/` });
        } else if (labelKind === 'dir') {
          await walkLabelFolder(labelFull, labelRel, labelEntry.name.normalize('NFC'), split, walkContext);
        }
      }
    } else {
      await walkLabelFolder(full, rel, entry.name.normalize('NFC'), undefined, walkContext);
    }
  }

  checkLabelNames(records);
  records.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  skipped.sort((a, b) => (a.file < b.file ? -1 : 1));
  return { records, skipped, explicitSplits };
}

interface WalkContext {
  rootReal: string;
  skipped: SkippedFile[];
  records: ImageRecord[];
  visitedDirs: Set<string>;
}

function isHidden(name: string): boolean {
  return name.startsWith('.') || SYSTEM_FILES.has(name.toLowerCase()) || name === '__MACOSX';
}

/**
 * Follows symlinks that stay inside the dataset; refuses ones that leave it (a dataset must
 * not read arbitrary files of the runner) and directory loops.
 */
async function resolveEntry(full: string, rel: string, ctx: WalkContext): Promise<'file' | 'dir' | 'skip'> {
  const info = await lstat(full);
  if (!info.isSymbolicLink()) return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'skip';
  let target: string;
  try {
    target = await realpath(full);
  } catch {
    ctx.skipped.push({ file: rel, reason: 'broken symbolic link' });
    return 'skip';
  }
  const inside = relative(ctx.rootReal, target);
  if (inside.startsWith('..') || /^([a-zA-Z]:|\/)/.test(inside)) {
    ctx.skipped.push({ file: rel, reason: 'symbolic link pointing outside the dataset folder (refused)' });
    return 'skip';
  }
  const targetInfo = await stat(target);
  if (targetInfo.isDirectory()) {
    if (ctx.visitedDirs.has(target)) {
      ctx.skipped.push({ file: rel, reason: 'symbolic link to a folder already scanned (loop or repeat)' });
      return 'skip';
    }
    return 'dir';
  }
  return targetInfo.isFile() ? 'file' : 'skip';
}

/** Walks one label's folder; a label folder with nothing in it is listed, not silently ignored. */
async function walkLabelFolder(dir: string, rel: string, label: string, split: SplitName | undefined, ctx: WalkContext): Promise<void> {
  const before = ctx.records.length + ctx.skipped.length;
  await walkLabel(dir, rel, label, split, ctx);
  if (ctx.records.length + ctx.skipped.length === before) ctx.skipped.push({ file: `${rel}/`, reason: 'empty folder: no files under this label' });
}

async function walkLabel(dir: string, rel: string, label: string, split: SplitName | undefined, ctx: WalkContext): Promise<void> {
  const real = await realpath(dir);
  if (ctx.visitedDirs.has(real) && real !== dir) return;
  ctx.visitedDirs.add(real);
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const entryRel = `${rel}/${entry.name}`;
    if (isHidden(entry.name)) {
      ctx.skipped.push({ file: entryRel, reason: 'hidden or system file' });
      continue;
    }
    const kind = await resolveEntry(full, entryRel, ctx);
    if (kind === 'dir') {
      await walkLabel(full, entryRel, label, split, ctx);
    } else if (kind === 'file') {
      if (!IMAGE_EXTENSIONS.has(extensionOf(entry.name))) {
        ctx.skipped.push({ file: entryRel, reason: `not an image file (${extensionOf(entry.name) || 'no extension'}); supported: ${[...IMAGE_EXTENSIONS].join(' ')}` });
        continue;
      }
      const data = await readFile(full);
      if (data.length === 0) {
        ctx.skipped.push({ file: entryRel, reason: 'empty file (0 bytes)' });
        continue;
      }
      ctx.records.push({
        path: full,
        file: toPosix(entryRel),
        label,
        sha256: createHash('sha256').update(data).digest('hex'),
        bytes: data.length,
        split,
      });
    }
  }
}

/** Labels that differ only in case collide on macOS and Windows checkouts: almost always a mistake. */
function checkLabelNames(records: ImageRecord[]): void {
  const byFolded = new Map<string, string>();
  for (const { label } of records) {
    const folded = label.toLocaleLowerCase('en');
    const seen = byFolded.get(folded);
    if (seen !== undefined && seen !== label) {
      throw new InputError(`Labels "${seen}" and "${label}" differ only in upper/lower case. Merge or rename one of the two folders.`, label);
    }
    byFolded.set(folded, label);
  }
}
