/**
 * `.zip` datasets, read through yauzl: its central directory is read entry by entry and each
 * entry's data is streamed, so an archive of many gigabytes never sits in memory. Everything
 * is checked before anything is written (zip-slip paths, encrypted entries, compression
 * methods, entry count and size caps against zip bombs, names that would land on one path),
 * then the archive is extracted once into the work directory under its content hash, so a
 * second run reuses the extraction. While streaming, yauzl holds each entry to its declared
 * size and we check its CRC-32, so an archive that lies about its sizes is caught, not trusted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import yauzl from 'yauzl';
import { explainWriteError } from '../atomic.js';
import { InputError } from '../errors.js';

export interface ZipLimits {
  /** Most entries (files and folders) an archive may hold. */
  maxEntries: number;
  /** Most bytes all entries may unpack to, together. */
  maxTotalBytes: number;
  /** Most bytes one entry may unpack to. */
  maxEntryBytes: number;
}

export const ZIP_LIMITS: ZipLimits = { maxEntries: 200_000, maxTotalBytes: 8 * 1024 ** 3, maxEntryBytes: 1024 ** 3 };

interface ArchiveEntry {
  name: string;
  /** Where it lands, relative to the extraction folder. */
  path: string;
  size: number;
  crc: number;
  entry: yauzl.Entry;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 of `bytes`, continuing from `crc` (0 to start); zlib's native one where Node has it (20.15+). */
const crc32: (bytes: Uint8Array, crc: number) => number =
  typeof zlib.crc32 === 'function'
    ? (bytes, crc) => zlib.crc32(bytes, crc)
    : (bytes, crc) => {
        let c = ~crc >>> 0;
        for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
        return ~c >>> 0;
      };

function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes.toLocaleString('en')} bytes`;
}

/** yauzl's own complaints about the archive as a whole, in our words. */
function archiveError(error: Error, source: string): Error {
  const message = error.message;
  const outside = /^(?:absolute path|invalid relative path|invalid characters in fileName): (.*)$/s.exec(message);
  if (outside)
    return new InputError(
      `${source} contains an entry that points outside the archive ("${outside[1]}"). Such archives are refused; re-create it with relative paths.`,
      source,
    );
  if (/^End of central directory record signature not found/.test(message))
    return new InputError(`${source} is not a readable .zip archive (no central directory; damaged or not a zip). Re-create the archive.`, source);
  if (/strong encryption/.test(message))
    return new InputError(
      `${source} is encrypted (strong encryption). Password-protected archives are not supported; re-create it without a password.`,
      source,
    );
  if (/zip64/i.test(message)) return new InputError(`${source} is damaged: its ZIP64 table of contents is broken. Re-create the archive.`, source);
  if (/multi-disk/.test(message))
    return new InputError(`${source} is one part of a split (multi-disk) archive, which is not supported. Re-create it as one file.`, source);
  if (/central directory|unexpected EOF|Invalid comment length|extra field/i.test(message))
    return new InputError(`${source} is damaged: its table of contents is cut short. Re-create the archive.`, source);
  return error;
}

function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (error, zip) =>
      error ? reject(archiveError(error, zipPath)) : resolve(zip),
    ),
  );
}

/** The archive's table of contents, one entry at a time, checked against the limits as it is read. */
function readEntries(zip: yauzl.ZipFile, source: string, limits: ZipLimits): Promise<ArchiveEntry[]> {
  if (zip.entryCount > limits.maxEntries) {
    return Promise.reject(
      new InputError(
        `${source} has ${zip.entryCount.toLocaleString('en')} entries, more than the limit of ${limits.maxEntries.toLocaleString('en')} (possible zip bomb). Split the dataset or unpack it into a folder.`,
        source,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const entries: ArchiveEntry[] = [];
    zip.on('error', (error: Error) => reject(archiveError(error, source)));
    zip.on('end', () => resolve(entries));
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        const name = entry.fileName;
        const path = safeEntryPath(name);
        if (path === null)
          throw new InputError(
            `${source} contains an entry that points outside the archive ("${name}"). Such archives are refused; re-create it with relative paths.`,
            source,
          );
        // Bit 0: encrypted (bit 6, "strong" encryption, yauzl refuses itself).
        if (entry.generalPurposeBitFlag & 0x1)
          throw new InputError(`${source} is encrypted ("${name}"). Password-protected archives are not supported; re-create it without a password.`, source);
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
          throw new InputError(
            `${source}: "${name}" uses compression method ${entry.compressionMethod}, which is not supported. Re-create the archive with standard (deflate) compression.`,
            source,
          );
        }
        if (entry.uncompressedSize > limits.maxEntryBytes) {
          throw new InputError(
            `${source}: "${name}" would unpack to ${size(entry.uncompressedSize)}, more than the limit of ${size(limits.maxEntryBytes)} for one file (possible zip bomb). Unpack it yourself if it is legitimate.`,
            source,
          );
        }
        entries.push({ name, path, size: entry.uncompressedSize, crc: entry.crc32, entry });
        zip.readEntry();
      } catch (error) {
        // The checks above throw InputErrors; anything else is a bug and passes through as it is.
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    zip.readEntry();
  }).then((entries) => {
    const total = (entries as ArchiveEntry[]).reduce((sum, e) => sum + e.size, 0);
    if (total > limits.maxTotalBytes) {
      throw new InputError(
        `${source} would unpack to ${size(total)}, more than the limit of ${size(limits.maxTotalBytes)} (possible zip bomb). Unpack it yourself if it is legitimate.`,
        source,
      );
    }
    return entries as ArchiveEntry[];
  });
}

/** A safe relative path inside the extraction folder, or null for a refused one. */
export function safeEntryPath(name: string): string | null {
  const normal = name.replace(/\\/g, '/');
  if (normal.startsWith('/') || /^[a-zA-Z]:/.test(normal) || normal.includes('\0')) return null;
  const cleaned = posix.normalize(normal);
  if (cleaned === '..' || cleaned.startsWith('../') || cleaned.split('/').includes('..')) return null;
  return cleaned;
}

/** The archive's content hash, read as a stream: the key its extraction is kept under. */
async function archiveDigest(zipPath: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(zipPath), hash);
  return hash.digest('hex').slice(0, 16);
}

export async function extractZipDataset(zipPath: string, workDir: string, limits: ZipLimits = ZIP_LIMITS): Promise<string> {
  const target = join(workDir, 'datasets', await archiveDigest(zipPath));
  if (await isComplete(target)) return contentRoot(target);

  const zip = await openZip(zipPath);
  // Extract into a temp folder of our own and rename it into place, so an interrupted
  // extraction is never reused and two runs extracting the same archive do not collide.
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const entries = await readEntries(zip, zipPath, limits);
    checkNameClashes(entries, zipPath);
    try {
      for (const entry of entries) {
        if (entry.name.endsWith('/')) continue;
        await extractEntry(zip, entry, join(temp, entry.path), zipPath);
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
  } finally {
    zip.close();
  }
  return contentRoot(target);
}

/**
 * Two entries that would land on one path: a file and a folder of the same name, one file
 * twice (also as "a/./b" and "a/b"), or names that differ only in case (one path on macOS and
 * Windows file systems). Extracting would fail half-way, or keep whichever copy came last.
 */
function checkNameClashes(entries: ArchiveEntry[], source: string): void {
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const entry of entries) {
    const path = entry.path.replace(/\/+$/, '');
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
    if (folders.has(path))
      throw new InputError(`${source} has both a file and a folder named "${path}". Rename one of them and re-create the archive.`, source);
  }
  const byFoldedCase = new Map<string, string>();
  for (const path of [...folders, ...files].sort()) {
    const folded = path.toLowerCase();
    const other = byFoldedCase.get(folded);
    if (other !== undefined && other !== path) {
      throw new InputError(
        `${source} holds "${other}" and "${path}", names that differ only in case; they would overwrite each other on macOS and Windows. Rename one and re-create the archive.`,
        source,
      );
    }
    byFoldedCase.set(folded, path);
  }
}

async function isComplete(dir: string): Promise<boolean> {
  return Boolean(await stat(join(dir, '.complete')).catch(() => null));
}

/** Streams one entry to `out`: yauzl holds it to its declared size, and its CRC-32 is checked on the way. */
async function extractEntry(zip: yauzl.ZipFile, entry: ArchiveEntry, out: string, source: string): Promise<void> {
  const damaged = (why: string) => new InputError(`${source} is damaged: "${entry.name}" ${why}. Re-create the archive.`, source);
  let crc = 0;
  try {
    await mkdir(join(out, '..'), { recursive: true });
    const stream = await zip.openReadStreamPromise(entry.entry);
    await pipeline(
      stream,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          crc = crc32(chunk, crc);
          yield chunk;
        }
      },
      createWriteStream(out),
    );
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    // A name the archive allows but this file system does not (a part over 255 bytes).
    if (e.code === 'ENAMETOOLONG')
      throw new InputError(`${source}: "${entry.name}" has a name too long for this file system. Shorten it and re-create the archive.`, source);
    const message = e.message ?? String(error);
    if (e.code?.startsWith('Z_')) throw damaged(`cannot be inflated (${message})`);
    if (/^too many bytes in the stream/.test(message))
      throw damaged(`unpacks to more than the ${entry.size.toLocaleString('en')} bytes its table of contents declares`);
    const short = /^not enough bytes in the stream\. expected \d+\. got only (\d+)/.exec(message);
    if (short) throw damaged(`unpacks to ${short[1]} bytes, not the ${entry.size} its table of contents declares`);
    if (/local file header/.test(message)) throw damaged('has no local header where the table of contents says');
    if (/overflows file bounds|unexpected EOF/.test(message)) throw damaged('is cut short');
    throw error;
  }
  if (crc !== entry.crc) throw damaged('fails its CRC-32 check');
}

/** A zip of "dataset/<label>/…" has one wrapping folder; look through it. */
async function contentRoot(target: string): Promise<string> {
  const visible = (await readdir(target, { withFileTypes: true })).filter((e) => !e.name.startsWith('.') && e.name !== '__MACOSX');
  if (visible.length === 1 && visible[0].isDirectory()) {
    const inner = join(target, visible[0].name);
    const innerEntries = (await readdir(inner, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
    // Only unwrap when the single folder itself holds folders (labels), not images.
    if (innerEntries.length > 0 && innerEntries.every((e) => e.isDirectory())) return inner;
  }
  return target;
}
