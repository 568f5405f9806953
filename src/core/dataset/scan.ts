/**
 * Scanning a dataset folder: `<label>/<image>` (any depth below the label), or an explicit
 * `train/ val/ test/` layout with label folders inside each. Produces one ImageRecord per
 * usable file and a SkippedFile for everything else: nothing is dropped silently.
 */
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
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

/** Caps on what the scan reads, so a stray huge file cannot stall the run. */
export interface ScanLimits {
  /**
   * Largest file read as an image, in bytes. Default 1 GiB (the cap the .zip reader puts on one
   * entry): a 100-megapixel photo, the default pixel cap, is a few hundred MB even as an
   * uncompressed TIFF, so a bigger file under an image name is almost always something else
   * (a video or disk image renamed), and hashing it would take minutes.
   */
  maxFileBytes: number;
}

export const SCAN_LIMITS: ScanLimits = { maxFileBytes: 1024 ** 3 };

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.avif', '.tif', '.tiff']);
/** Files that operating systems and tools leave behind; skipped without fuss. */
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini', 'icon\r']);
const SPLIT_FOLDERS: Record<string, SplitName> = { train: 'train', val: 'val', valid: 'val', validation: 'val', test: 'test' };

/**
 * A label's folder as the user names the dataset, for messages: `/data/photos/cat/` for a
 * folder, `cat/ in photos.zip` for a zip (its extracted copy means nothing to the user).
 */
export function labelFolder(datasetPath: string, label: string): string {
  if (/\.zip$/i.test(datasetPath)) return `${label}/ in ${datasetPath}`;
  return `${datasetPath.replace(/[\\/]+$/, '')}/${label}/`;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** `datasetPath` is the dataset as the user gave it (a .zip's path when `root` is its extracted copy), for messages. */
export async function scanDataset(root: string, limits: ScanLimits = SCAN_LIMITS, datasetPath = root): Promise<ScanResult> {
  let rootReal: string;
  try {
    rootReal = await realpath(root);
    if (!(await stat(rootReal)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new InputError(`Dataset "${root}" was not found or is not a folder. Point to a folder of <label>/<image> files (or a .zip of one).`, root);
  }

  const skipped: SkippedFile[] = [];
  const top = await readdir(rootReal, { withFileTypes: true }).catch((error: unknown) => {
    throw new InputError(`Dataset "${root}" cannot be read (${errorCode(error)}). Give the user running classifier-ci read access to it.`, root);
  });
  top.sort((a, b) => (a.name < b.name ? -1 : 1));
  const topDirs = top.filter((e) => e.isDirectory() || e.isSymbolicLink());
  const splitDirs = topDirs.filter((e) => SPLIT_FOLDERS[e.name.toLowerCase()]);
  // Explicit layout only when every top-level folder is a split name: a label called "test"
  // next to real labels must stay a label.
  const explicitSplits = splitDirs.length >= 2 && splitDirs.length === topDirs.length;

  const records: ImageRecord[] = [];
  const visitedDirs = new Set<string>([rootReal]);
  const walkContext: WalkContext = { rootReal, skipped, records, visitedDirs, limits };

  for (const entry of top) {
    const full = join(rootReal, entry.name);
    const rel = entry.name;
    if (isHidden(entry.name)) {
      skipped.push({ file: rel, reason: 'hidden or system file' });
      continue;
    }
    const kind = await resolveEntry(full, rel, walkContext);
    if (kind === 'file') {
      skipped.push({ file: rel, reason: `file at the top level, outside any label folder: move it into ${labelFolder(datasetPath, '<label>')}` });
      continue;
    }
    if (kind !== 'dir') continue;
    if (explicitSplits) {
      const split = SPLIT_FOLDERS[entry.name.toLowerCase()];
      const labels = await listFolder(full, rel, walkContext);
      for (const labelEntry of labels ?? []) {
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
  limits: ScanLimits;
}

function isHidden(name: string): boolean {
  return name.startsWith('.') || SYSTEM_FILES.has(name.toLowerCase()) || name === '__MACOSX';
}

function errorCode(error: unknown): string {
  const { code, message } = (error ?? {}) as NodeJS.ErrnoException;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? String(message ?? error).split('\n')[0];
}

/** Why a file or folder that is there could not be read, and what to do about it. */
function unreadable(error: unknown, what: 'file' | 'folder'): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const subject = what === 'folder' ? 'folder cannot be read' : 'cannot be read';
  if (code === 'EACCES' || code === 'EPERM') return `${subject} (permission denied); give the user running classifier-ci read access, or remove it`;
  // Listed a moment ago, gone now: something is changing the dataset while it is read.
  if (code === 'ENOENT' || code === 'ENOTDIR') return `${what} disappeared while the dataset was being read; run again once nothing is changing it`;
  return `${subject} (${errorCode(error)}); check the disk, or remove it`;
}

/** Named pipes, sockets and devices: reading one could block forever or never end. */
function specialFile(info: Stats): string | null {
  const kind = info.isFIFO()
    ? 'a named pipe (FIFO)'
    : info.isSocket()
      ? 'a socket'
      : info.isBlockDevice()
        ? 'a block device'
        : info.isCharacterDevice()
          ? 'a character device'
          : null;
  return kind && `${kind}, not a regular file; remove it from the dataset folder`;
}

/** A folder's entries, sorted; null (and the folder listed as skipped) if it cannot be read. */
async function listFolder(dir: string, rel: string, ctx: WalkContext) {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch (error) {
    ctx.skipped.push({ file: `${rel}/`, reason: unreadable(error, 'folder') });
    return null;
  }
}

/**
 * Follows symlinks that stay inside the dataset; refuses ones that leave it (a dataset must
 * not read arbitrary files of the runner) and directory loops. Anything it does not return
 * as a file or folder is listed as skipped, with its reason.
 */
async function resolveEntry(full: string, rel: string, ctx: WalkContext): Promise<'file' | 'dir' | 'skip'> {
  const skip = (reason: string) => {
    ctx.skipped.push({ file: rel, reason });
    return 'skip' as const;
  };
  let info: Stats;
  try {
    info = await lstat(full);
  } catch (error) {
    return skip(unreadable(error, 'file'));
  }
  if (!info.isSymbolicLink()) {
    const special = specialFile(info);
    return special ? skip(special) : info.isDirectory() ? 'dir' : 'file';
  }
  let target: string;
  try {
    target = await realpath(full);
  } catch {
    return skip('broken symbolic link');
  }
  const inside = relative(ctx.rootReal, target);
  if (inside.startsWith('..') || /^([a-zA-Z]:|\/)/.test(inside)) return skip('symbolic link pointing outside the dataset folder (refused)');
  let targetInfo: Stats;
  try {
    targetInfo = await stat(target);
  } catch (error) {
    return skip(unreadable(error, 'file'));
  }
  if (targetInfo.isDirectory()) {
    if (ctx.visitedDirs.has(target)) return skip('symbolic link to a folder already scanned (loop or repeat)');
    return 'dir';
  }
  const special = specialFile(targetInfo);
  return special ? skip(`symbolic link to ${special}`) : 'file';
}

/** Walks one label's folder; a label folder with nothing in it is listed, not silently ignored. */
async function walkLabelFolder(dir: string, rel: string, label: string, split: SplitName | undefined, ctx: WalkContext): Promise<void> {
  const before = ctx.records.length + ctx.skipped.length;
  await walkLabel(dir, rel, label, split, ctx);
  if (ctx.records.length + ctx.skipped.length === before) ctx.skipped.push({ file: `${rel}/`, reason: 'empty folder: no files under this label' });
}

async function walkLabel(dir: string, rel: string, label: string, split: SplitName | undefined, ctx: WalkContext): Promise<void> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (error) {
    ctx.skipped.push({ file: `${rel}/`, reason: unreadable(error, 'folder') });
    return;
  }
  if (ctx.visitedDirs.has(real) && real !== dir) return;
  ctx.visitedDirs.add(real);
  const entries = await listFolder(dir, rel, ctx);
  for (const entry of entries ?? []) {
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
        ctx.skipped.push({
          file: entryRel,
          reason: `not an image file (${extensionOf(entry.name) || 'no extension'}); supported: ${[...IMAGE_EXTENSIONS].join(' ')}`,
        });
        continue;
      }
      const content = await hashImageFile(full, ctx.limits);
      if ('reason' in content) {
        ctx.skipped.push({ file: entryRel, reason: content.reason });
        continue;
      }
      ctx.records.push({ path: full, file: toPosix(entryRel), label, sha256: content.sha256, bytes: content.bytes, split });
    }
  }
}

function size(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** Read size of one hashing step: memory stays flat however big the file is. */
const HASH_CHUNK = 1024 ** 2;

/**
 * The file's sha256 and size, read a chunk at a time, or why it is skipped. Opened
 * non-blocking and checked again on the open handle: a file swapped for a named pipe after
 * the folder was listed must not hang the run.
 */
async function hashImageFile(path: string, limits: ScanLimits): Promise<{ sha256: string; bytes: number } | { reason: string }> {
  const tooBig = (bytes: number) => ({
    reason: `file is ${size(bytes)}, more than the limit of ${size(limits.maxFileBytes)} for one image; downscale or re-compress it, or remove it`,
  });
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { reason: unreadable(error, 'file') };
  }
  try {
    const info = await handle.stat();
    const special = specialFile(info);
    if (special) return { reason: special };
    if (info.size === 0) return { reason: 'empty file (0 bytes)' };
    if (info.size > limits.maxFileBytes) return tooBig(info.size);
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(Math.min(info.size, HASH_CHUNK));
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
      // A file that grows while it is read is held to the same cap.
      if (bytes > limits.maxFileBytes) return tooBig(bytes);
    }
    if (bytes === 0) return { reason: 'empty file (0 bytes)' };
    return { sha256: hash.digest('hex'), bytes };
  } catch (error) {
    return { reason: unreadable(error, 'file') };
  } finally {
    await handle.close();
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
