/**
 * `.zip` datasets: checked before anything is written (zip-slip paths, encrypted entries,
 * entry count and total size caps against zip bombs), then extracted once into the work
 * directory under the archive's content hash, so a second run reuses the extraction.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { unzipSync } from 'fflate';
import { InputError } from '../errors.js';

export const ZIP_LIMITS = { maxEntries: 200_000, maxTotalBytes: 8 * 1024 ** 3 };

interface CentralEntry {
  name: string;
  encrypted: boolean;
  compressedSize: number;
  size: number;
}

/** Reads the central directory: the archive's own table of contents. */
function readCentralDirectory(zip: Uint8Array, source: string): CentralEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end-of-central-directory record sits in the last 65,557 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new InputError(`${source} is not a readable .zip archive (no central directory; damaged or not a zip). Re-create the archive.`, source);
  const count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const entries: CentralEntry[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || view.getUint32(offset, true) !== 0x02014b50) {
      throw new InputError(`${source} is damaged: its table of contents is cut short. Re-create the archive.`, source);
    }
    const flags = view.getUint16(offset + 8, true);
    const compressedSize = view.getUint32(offset + 20, true);
    const size = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const name = decoder.decode(zip.subarray(offset + 46, offset + 46 + nameLength));
    entries.push({ name, encrypted: (flags & 1) === 1, compressedSize, size });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** A safe relative path inside the extraction folder, or null for a refused one. */
export function safeEntryPath(name: string): string | null {
  const normal = name.replace(/\\/g, '/');
  if (normal.startsWith('/') || /^[a-zA-Z]:/.test(normal) || normal.includes('\0')) return null;
  const cleaned = posix.normalize(normal);
  if (cleaned === '..' || cleaned.startsWith('../') || cleaned.split('/').includes('..')) return null;
  return cleaned;
}

export async function extractZipDataset(zipPath: string, workDir: string, limits = ZIP_LIMITS): Promise<string> {
  const zip = new Uint8Array(await readFile(zipPath));
  const digest = createHash('sha256').update(zip).digest('hex').slice(0, 16);
  const target = join(workDir, 'datasets', digest);
  if (await stat(join(target, '.complete')).catch(() => null)) return contentRoot(target);

  const entries = readCentralDirectory(zip, zipPath);
  if (entries.length > limits.maxEntries) {
    throw new InputError(`${zipPath} has ${entries.length} entries, more than the limit of ${limits.maxEntries}. Split the dataset or unpack it into a folder.`, zipPath);
  }
  let total = 0;
  for (const entry of entries) {
    if (safeEntryPath(entry.name) === null) {
      throw new InputError(`${zipPath} contains an entry that points outside the archive ("${entry.name}"). Such archives are refused; re-create it with relative paths.`, zipPath);
    }
    if (entry.encrypted) throw new InputError(`${zipPath} is encrypted ("${entry.name}"). Password-protected archives are not supported; re-create it without a password.`, zipPath);
    total += entry.size;
  }
  if (total > limits.maxTotalBytes) {
    throw new InputError(`${zipPath} would unpack to ${(total / 1024 ** 3).toFixed(1)} GiB, more than the limit of ${(limits.maxTotalBytes / 1024 ** 3).toFixed(1)} GiB (possible zip bomb). Unpack it yourself if it is legitimate.`, zipPath);
  }

  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (error) {
    throw new InputError(`${zipPath} could not be unpacked (${(error as Error).message}). The archive is damaged; re-create it.`, zipPath);
  }
  let written = 0;
  // Extract into a temp folder and rename it into place, so an interrupted extraction is never reused.
  const temp = `${target}.${process.pid}.tmp`;
  await rm(temp, { recursive: true, force: true });
  for (const [name, data] of Object.entries(files)) {
    const rel = safeEntryPath(name)!;
    if (name.endsWith('/')) continue;
    written += data.length;
    if (written > limits.maxTotalBytes) throw new InputError(`${zipPath} unpacks to more than its declared size (possible zip bomb); refused.`, zipPath);
    const out = join(temp, rel);
    await mkdir(join(out, '..'), { recursive: true });
    await writeFile(out, data);
  }
  await writeFile(join(temp, '.complete'), '');
  await mkdir(join(target, '..'), { recursive: true });
  await rm(target, { recursive: true, force: true });
  await rename(temp, target);
  return contentRoot(target);
}

/** A zip of "dataset/<label>/…" has one wrapping folder; look through it. */
async function contentRoot(target: string): Promise<string> {
  const visible = (await readdir(target, { withFileTypes: true })).filter((e) => !e.name.startsWith('.') && e.name !== '__MACOSX');
  if (visible.length === 1 && visible[0]!.isDirectory()) {
    const inner = join(target, visible[0]!.name);
    const innerEntries = (await readdir(inner, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
    // Only unwrap when the single folder itself holds folders (labels), not images.
    if (innerEntries.length > 0 && innerEntries.every((e) => e.isDirectory())) return inner;
  }
  return target;
}
