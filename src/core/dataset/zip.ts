/**
 * `.zip` datasets: checked before anything is written (zip-slip paths, encrypted entries,
 * entry count and total size caps against zip bombs), then extracted once into the work
 * directory under the archive's content hash, so a second run reuses the extraction.
 * Entries are inflated one at a time into a buffer of their declared size and checked
 * against their CRC-32, so an archive that lies about its sizes is caught, not trusted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { inflateSync } from 'fflate';
import { explainWriteError } from '../atomic.js';
import { InputError } from '../errors.js';

export interface ZipLimits {
  /** Most entries (files and folders) an archive may hold. */
  maxEntries: number;
  /** Most bytes all entries may unpack to, together. */
  maxTotalBytes: number;
  /** Most bytes one entry may unpack to (it is held in memory while it is checked). */
  maxEntryBytes: number;
}

export const ZIP_LIMITS: ZipLimits = { maxEntries: 200_000, maxTotalBytes: 8 * 1024 ** 3, maxEntryBytes: 1024 ** 3 };

interface CentralEntry {
  name: string;
  encrypted: boolean;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes.toLocaleString('en')} bytes`;
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
  if (count === 0xffff || offset === 0xffffffff || (eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50)) {
    throw new InputError(`${source} is a ZIP64 archive (over 65,535 entries or 4 GiB), which is not supported. Split it into smaller archives or unpack it into a folder.`, source);
  }
  const entries: CentralEntry[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || view.getUint32(offset, true) !== 0x02014b50) {
      throw new InputError(`${source} is damaged: its table of contents is cut short. Re-create the archive.`, source);
    }
    const flags = view.getUint16(offset + 8, true);
    const method = view.getUint16(offset + 10, true);
    const crc = view.getUint32(offset + 16, true);
    const compressedSize = view.getUint32(offset + 20, true);
    const size = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const localHeaderOffset = view.getUint32(offset + 42, true);
    const name = decoder.decode(zip.subarray(offset + 46, offset + 46 + nameLength));
    // Bit 0: encrypted; bit 6: "strong" encryption.
    entries.push({ name, encrypted: (flags & 0x41) !== 0, method, crc, compressedSize, size, localHeaderOffset });
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

export async function extractZipDataset(zipPath: string, workDir: string, limits: ZipLimits = ZIP_LIMITS): Promise<string> {
  const zip = new Uint8Array(await readFile(zipPath));
  const digest = createHash('sha256').update(zip).digest('hex').slice(0, 16);
  const target = join(workDir, 'datasets', digest);
  if (await isComplete(target)) return contentRoot(target);

  const entries = readCentralDirectory(zip, zipPath);
  if (entries.length > limits.maxEntries) {
    throw new InputError(`${zipPath} has ${entries.length.toLocaleString('en')} entries, more than the limit of ${limits.maxEntries.toLocaleString('en')} (possible zip bomb). Split the dataset or unpack it into a folder.`, zipPath);
  }
  let total = 0;
  for (const entry of entries) {
    if (safeEntryPath(entry.name) === null) {
      throw new InputError(`${zipPath} contains an entry that points outside the archive ("${entry.name}"). Such archives are refused; re-create it with relative paths.`, zipPath);
    }
    if (entry.encrypted) throw new InputError(`${zipPath} is encrypted ("${entry.name}"). Password-protected archives are not supported; re-create it without a password.`, zipPath);
    if (entry.size > limits.maxEntryBytes) {
      throw new InputError(`${zipPath}: "${entry.name}" would unpack to ${size(entry.size)}, more than the limit of ${size(limits.maxEntryBytes)} for one file (possible zip bomb). Unpack it yourself if it is legitimate.`, zipPath);
    }
    total += entry.size;
  }
  if (total > limits.maxTotalBytes) {
    throw new InputError(`${zipPath} would unpack to ${size(total)}, more than the limit of ${size(limits.maxTotalBytes)} (possible zip bomb). Unpack it yourself if it is legitimate.`, zipPath);
  }
  checkNameClashes(entries, zipPath);

  // Extract into a temp folder of our own and rename it into place, so an interrupted
  // extraction is never reused and two runs extracting the same archive do not collide.
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    for (const entry of entries) {
      if (entry.name.endsWith('/')) continue;
      const data = readEntry(zip, entry, zipPath);
      const out = join(temp, safeEntryPath(entry.name)!);
      await mkdir(join(out, '..'), { recursive: true })
        .then(() => writeFile(out, data))
        .catch((error: NodeJS.ErrnoException) => {
          // A name the archive allows but this file system does not (a part over 255 bytes).
          if (error.code === 'ENAMETOOLONG') {
            throw new InputError(`${zipPath}: "${entry.name}" has a name too long for this file system. Shorten it and re-create the archive.`, zipPath);
          }
          throw error;
        });
    }
    await mkdir(temp, { recursive: true });
    await writeFile(join(temp, '.complete'), '');
    await mkdir(join(target, '..'), { recursive: true });
    await rename(temp, target).catch(async (error: NodeJS.ErrnoException) => {
      // Another run finished the same extraction first: its copy is as good as ours.
      if (await isComplete(target)) return rm(temp, { recursive: true, force: true });
      throw error;
    });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw explainWriteError(error, temp);
  }
  return contentRoot(target);
}

/**
 * Two entries that would land on one path: a file and a folder of the same name, or one file
 * twice (also as "a/./b" and "a/b"). Extracting would fail half-way, or keep whichever copy
 * came last without a word.
 */
function checkNameClashes(entries: CentralEntry[], source: string): void {
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const entry of entries) {
    const path = safeEntryPath(entry.name)!.replace(/\/+$/, '');
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    if (entry.name.endsWith('/')) {
      folders.add(path);
    } else if (files.has(path)) {
      throw new InputError(`${source} holds "${path}" twice. Remove one of the copies and re-create the archive.`, source);
    } else {
      files.add(path);
    }
  }
  for (const path of files) {
    if (folders.has(path)) throw new InputError(`${source} has both a file and a folder named "${path}". Rename one of them and re-create the archive.`, source);
  }
}

async function isComplete(dir: string): Promise<boolean> {
  return Boolean(await stat(join(dir, '.complete')).catch(() => null));
}

/** One entry's bytes, inflated into exactly its declared size and checked against its CRC-32. */
function readEntry(zip: Uint8Array, entry: CentralEntry, source: string): Uint8Array {
  const damaged = (why: string) => new InputError(`${source} is damaged: "${entry.name}" ${why}. Re-create the archive.`, source);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || view.getUint32(at, true) !== 0x04034b50) throw damaged('has no local header where the table of contents says');
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > zip.length) throw damaged('is cut short');
  const packed = zip.subarray(start, start + entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) {
    data = packed;
  } else if (entry.method === 8) {
    try {
      data = inflateSync(packed, { out: new Uint8Array(entry.size) });
    } catch (error) {
      throw damaged(`cannot be inflated (${(error as Error).message})`);
    }
  } else {
    throw new InputError(`${source}: "${entry.name}" uses compression method ${entry.method}, which is not supported. Re-create the archive with standard (deflate) compression.`, source);
  }
  if (data.length !== entry.size) throw damaged(`unpacks to ${data.length} bytes, not the ${entry.size} its table of contents declares`);
  if (crc32(data) !== entry.crc) throw damaged('fails its CRC-32 check');
  return data;
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
