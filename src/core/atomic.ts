/**
 * Atomic file writes: write to a unique temp file in the same directory, then rename.
 * A reader (or a second run sharing the cache) sees either the old file or the whole new
 * one, never a torn write; a run killed mid-write leaves at most a stray temp file.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, basename, join } from 'node:path';
import { InputError } from './errors.js';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw explainWriteError(error, path);
  }
}

/** Turns disk-full and permission errors into messages a user can act on. */
export function explainWriteError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC')
    return new InputError(
      `The disk is full: could not write ${path}. Free some space (or point --cache-dir/--out elsewhere) and run again; finished work in the cache is kept.`,
      path,
    );
  if (code === 'EACCES' || code === 'EPERM')
    return new InputError(`Permission denied writing ${path}. Choose a folder you can write to with --out or --cache-dir.`, path);
  if (code === 'EROFS') return new InputError(`${path} is on a read-only file system. Choose a writable folder with --out or --cache-dir.`, path);
  return error;
}
