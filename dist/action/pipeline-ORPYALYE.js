import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  RunResult,
  SCHEMA_VERSION,
  inflateSync,
  validateOptions
} from "./chunk-5YRW4XVL.js";
import {
  BUILTIN_BACKBONES,
  DecodeError,
  HOG,
  RESIZE_MODE,
  SMALL_CNN,
  appendLayer,
  autoBackbones,
  decodeToRgb,
  describeBackend,
  ensureBackend,
  extractEmbeddings,
  fromLayersModel,
  inputTopology,
  insertAfterInput,
  loadBackbone,
  loadModelSource,
  parseBackboneSpec,
  topTopology,
  topologyOf
} from "./chunk-7SVQEPHB.js";
import "./chunk-XNQQN2WO.js";
import {
  explainWriteError,
  writeFileAtomic
} from "./chunk-KTKKD3V5.js";
import {
  InputError,
  TrainingError
} from "./chunk-IR3KUOTZ.js";
import "./chunk-MS7UHTHQ.js";

// src/core/pipeline.ts
import * as tf6 from "@tensorflow/tfjs";
import sharp2 from "sharp";
import { join as join4, relative as relative2, resolve } from "node:path";

// src/core/backbones/fine-tune-split.ts
import * as tf from "@tensorflow/tfjs";
function fineTuneUnsupported(extractor) {
  if (extractor.spec.source === HOG) return `${extractor.spec.id} has no learned weights to fine-tune`;
  if (!extractor.spec.builtin || !BUILTIN_BACKBONES[extractor.spec.source]) return `${extractor.spec.id} is not a built-in Keras backbone; only those can be fine-tuned`;
  if (!extractor.layersModel || !extractor.topology) return `${extractor.spec.id} has no Keras topology to split`;
  return null;
}
async function splitForFineTune(extractor) {
  const problem = fineTuneUnsupported(extractor);
  if (problem) throw new Error(problem);
  const model3 = extractor.layersModel;
  const cutLayer = BUILTIN_BACKBONES[extractor.spec.source].fineTuneCut;
  const cutOutput = model3.getLayer(cutLayer).output;
  const cutShape = cutOutput.shape.slice(1);
  const topJson = topTopology(extractor.topology, cutLayer, cutShape);
  if (!topJson) throw new Error(`${extractor.spec.id}: a connection skips across ${cutLayer}`);
  for (const layer of topJson.model_config.config.layers) {
    layer.config.trainable = layer.class_name !== "BatchNormalization";
  }
  const top = await tf.models.modelFromJSON({ modelTopology: topJson });
  for (const layer of top.layers) {
    const weights = layer.getWeights().length ? model3.getLayer(layer.name).getWeights() : [];
    if (weights.length) layer.setWeights(weights);
  }
  const baseModel = tf.model({ inputs: model3.inputs, outputs: cutOutput });
  const base = fromLayersModel(extractor.spec, `${extractor.displayName} (up to ${cutLayer})`, baseModel, null, `${extractor.cacheKey}|activations:${cutLayer}`);
  base.dispose = () => {
  };
  base.featureDim = cutShape.reduce((a, b) => a * b, 1);
  return { cutLayer, cutShape, base, top };
}

// src/core/dataset/image-sizes.ts
import sharp from "sharp";
async function typicalImageSide(paths, sampleSize = 200) {
  const step = Math.max(1, Math.floor(paths.length / sampleSize));
  const sides = [];
  for (let i = 0; i < paths.length && sides.length < sampleSize; i += step) {
    try {
      const { width, height, orientation } = await sharp(paths[i]).metadata();
      if (width && height) sides.push(orientation && orientation >= 5 ? Math.min(height, width) : Math.min(width, height));
    } catch {
    }
  }
  if (!sides.length) return null;
  sides.sort((a, b) => a - b);
  return sides[Math.floor(sides.length / 2)];
}

// src/core/dataset/prepare.ts
import { createHash as createHash4 } from "node:crypto";
import { stat as stat3 } from "node:fs/promises";
import { extname } from "node:path";

// src/core/dataset/scan.ts
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
var SCAN_LIMITS = { maxFileBytes: 1024 ** 3 };
var IMAGE_EXTENSIONS = /* @__PURE__ */ new Set([".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff"]);
var SYSTEM_FILES = /* @__PURE__ */ new Set(["thumbs.db", "desktop.ini", "icon\r"]);
var SPLIT_FOLDERS = { train: "train", val: "val", valid: "val", validation: "val", test: "test" };
function extensionOf(name) {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}
function toPosix(path) {
  return sep === "/" ? path : path.split(sep).join("/");
}
async function scanDataset(root, limits = SCAN_LIMITS) {
  let rootReal;
  try {
    rootReal = await realpath(root);
    if (!(await stat(rootReal)).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new InputError(`Dataset "${root}" was not found or is not a folder. Point to a folder of <label>/<image> files (or a .zip of one).`, root);
  }
  const skipped = [];
  const top = await readdir(rootReal, { withFileTypes: true }).catch((error) => {
    throw new InputError(`Dataset "${root}" cannot be read (${errorCode(error)}). Give the user running classifier-ci read access to it.`, root);
  });
  top.sort((a, b) => a.name < b.name ? -1 : 1);
  const topDirs = top.filter((e) => e.isDirectory() || e.isSymbolicLink());
  const splitDirs = topDirs.filter((e) => SPLIT_FOLDERS[e.name.toLowerCase()]);
  const explicitSplits2 = splitDirs.length >= 2 && splitDirs.length === topDirs.length;
  const records = [];
  const visitedDirs = /* @__PURE__ */ new Set([rootReal]);
  const walkContext = { rootReal, skipped, records, visitedDirs, limits };
  for (const entry of top) {
    const full = join(rootReal, entry.name);
    const rel = entry.name;
    if (isHidden(entry.name)) {
      skipped.push({ file: rel, reason: "hidden or system file" });
      continue;
    }
    const kind = await resolveEntry(full, rel, walkContext);
    if (kind === "file") {
      skipped.push({ file: rel, reason: "file at the top level, outside any label folder: move it into dataset/<label>/" });
      continue;
    }
    if (kind !== "dir") continue;
    if (explicitSplits2) {
      const split = SPLIT_FOLDERS[entry.name.toLowerCase()];
      const labels = await listFolder(full, rel, walkContext);
      for (const labelEntry of labels ?? []) {
        const labelFull = join(full, labelEntry.name);
        const labelRel = `${rel}/${labelEntry.name}`;
        if (isHidden(labelEntry.name)) {
          skipped.push({ file: labelRel, reason: "hidden or system file" });
          continue;
        }
        const labelKind = await resolveEntry(labelFull, labelRel, walkContext);
        if (labelKind === "file") {
          skipped.push({ file: labelRel, reason: `file directly in ${rel}/, outside any label folder: move it into ${rel}/<label>/` });
        } else if (labelKind === "dir") {
          await walkLabelFolder(labelFull, labelRel, labelEntry.name.normalize("NFC"), split, walkContext);
        }
      }
    } else {
      await walkLabelFolder(full, rel, entry.name.normalize("NFC"), void 0, walkContext);
    }
  }
  checkLabelNames(records);
  records.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  skipped.sort((a, b) => a.file < b.file ? -1 : 1);
  return { records, skipped, explicitSplits: explicitSplits2 };
}
function isHidden(name) {
  return name.startsWith(".") || SYSTEM_FILES.has(name.toLowerCase()) || name === "__MACOSX";
}
function errorCode(error) {
  const { code, message } = error ?? {};
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return code ?? String(message ?? error).split("\n")[0];
}
function unreadable(error, what) {
  const code = error?.code;
  const subject = what === "folder" ? "folder cannot be read" : "cannot be read";
  if (code === "EACCES" || code === "EPERM") return `${subject} (permission denied); give the user running classifier-ci read access, or remove it`;
  if (code === "ENOENT" || code === "ENOTDIR") return `${what} disappeared while the dataset was being read; run again once nothing is changing it`;
  return `${subject} (${errorCode(error)}); check the disk, or remove it`;
}
function specialFile(info) {
  const kind = info.isFIFO() ? "a named pipe (FIFO)" : info.isSocket() ? "a socket" : info.isBlockDevice() ? "a block device" : info.isCharacterDevice() ? "a character device" : null;
  return kind && `${kind}, not a regular file; remove it from the dataset folder`;
}
async function listFolder(dir, rel, ctx) {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name < b.name ? -1 : 1);
  } catch (error) {
    ctx.skipped.push({ file: `${rel}/`, reason: unreadable(error, "folder") });
    return null;
  }
}
async function resolveEntry(full, rel, ctx) {
  const skip = (reason) => {
    ctx.skipped.push({ file: rel, reason });
    return "skip";
  };
  let info;
  try {
    info = await lstat(full);
  } catch (error) {
    return skip(unreadable(error, "file"));
  }
  if (!info.isSymbolicLink()) {
    const special2 = specialFile(info);
    return special2 ? skip(special2) : info.isDirectory() ? "dir" : "file";
  }
  let target;
  try {
    target = await realpath(full);
  } catch {
    return skip("broken symbolic link");
  }
  const inside = relative(ctx.rootReal, target);
  if (inside.startsWith("..") || /^([a-zA-Z]:|\/)/.test(inside)) return skip("symbolic link pointing outside the dataset folder (refused)");
  let targetInfo;
  try {
    targetInfo = await stat(target);
  } catch (error) {
    return skip(unreadable(error, "file"));
  }
  if (targetInfo.isDirectory()) {
    if (ctx.visitedDirs.has(target)) return skip("symbolic link to a folder already scanned (loop or repeat)");
    return "dir";
  }
  const special = specialFile(targetInfo);
  return special ? skip(`symbolic link to ${special}`) : "file";
}
async function walkLabelFolder(dir, rel, label, split, ctx) {
  const before = ctx.records.length + ctx.skipped.length;
  await walkLabel(dir, rel, label, split, ctx);
  if (ctx.records.length + ctx.skipped.length === before) ctx.skipped.push({ file: `${rel}/`, reason: "empty folder: no files under this label" });
}
async function walkLabel(dir, rel, label, split, ctx) {
  let real;
  try {
    real = await realpath(dir);
  } catch (error) {
    ctx.skipped.push({ file: `${rel}/`, reason: unreadable(error, "folder") });
    return;
  }
  if (ctx.visitedDirs.has(real) && real !== dir) return;
  ctx.visitedDirs.add(real);
  const entries = await listFolder(dir, rel, ctx);
  for (const entry of entries ?? []) {
    const full = join(dir, entry.name);
    const entryRel = `${rel}/${entry.name}`;
    if (isHidden(entry.name)) {
      ctx.skipped.push({ file: entryRel, reason: "hidden or system file" });
      continue;
    }
    const kind = await resolveEntry(full, entryRel, ctx);
    if (kind === "dir") {
      await walkLabel(full, entryRel, label, split, ctx);
    } else if (kind === "file") {
      if (!IMAGE_EXTENSIONS.has(extensionOf(entry.name))) {
        ctx.skipped.push({ file: entryRel, reason: `not an image file (${extensionOf(entry.name) || "no extension"}); supported: ${[...IMAGE_EXTENSIONS].join(" ")}` });
        continue;
      }
      const content = await hashImageFile(full, ctx.limits);
      if ("reason" in content) {
        ctx.skipped.push({ file: entryRel, reason: content.reason });
        continue;
      }
      ctx.records.push({ path: full, file: toPosix(entryRel), label, sha256: content.sha256, bytes: content.bytes, split });
    }
  }
}
function size(bytes) {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
var HASH_CHUNK = 1024 ** 2;
async function hashImageFile(path, limits) {
  const tooBig = (bytes) => ({
    reason: `file is ${size(bytes)}, more than the limit of ${size(limits.maxFileBytes)} for one image; downscale or re-compress it, or remove it`
  });
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { reason: unreadable(error, "file") };
  }
  try {
    const info = await handle.stat();
    const special = specialFile(info);
    if (special) return { reason: special };
    if (info.size === 0) return { reason: "empty file (0 bytes)" };
    if (info.size > limits.maxFileBytes) return tooBig(info.size);
    const hash = createHash("sha256");
    const buffer = Buffer.allocUnsafe(Math.min(info.size, HASH_CHUNK));
    let bytes = 0;
    for (; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
      if (bytes > limits.maxFileBytes) return tooBig(bytes);
    }
    if (bytes === 0) return { reason: "empty file (0 bytes)" };
    return { sha256: hash.digest("hex"), bytes };
  } catch (error) {
    return { reason: unreadable(error, "file") };
  } finally {
    await handle.close();
  }
}
function checkLabelNames(records) {
  const byFolded = /* @__PURE__ */ new Map();
  for (const { label } of records) {
    const folded = label.toLocaleLowerCase("en");
    const seen = byFolded.get(folded);
    if (seen !== void 0 && seen !== label) {
      throw new InputError(`Labels "${seen}" and "${label}" differ only in upper/lower case. Merge or rename one of the two folders.`, label);
    }
    byFolded.set(folded, label);
  }
}

// src/core/dataset/split.ts
import { createHash as createHash2 } from "node:crypto";
var MIN_IMAGES_PER_LABEL = 3;
function splitPoint(sha256, seed) {
  const digest = createHash2("sha256").update(`split:${seed}:${sha256}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
function assignSplits(records, ratios, seed) {
  const byLabel = /* @__PURE__ */ new Map();
  for (const record of records) {
    const list = byLabel.get(record.label) ?? [];
    list.push(record);
    byLabel.set(record.label, list);
  }
  const out = [];
  for (const [label, images] of byLabel) {
    if (images.length < MIN_IMAGES_PER_LABEL) {
      throw new InputError(
        `Label "${label}" has ${images.length} image${images.length === 1 ? "" : "s"}; each label needs at least ${MIN_IMAGES_PER_LABEL} (one each for train, validation and test), and 20 or more to train well. Add images to dataset/${label}/ or remove the folder.`,
        label
      );
    }
    const scored = images.map((image) => ({ image, point: splitPoint(image.sha256, seed) }));
    const assigned = scored.map(({ image, point }) => ({
      image,
      point,
      split: point < ratios.train ? "train" : point < ratios.train + ratios.val ? "val" : "test"
    }));
    repairEmptySplit(assigned, "test", ratios);
    repairEmptySplit(assigned, "val", ratios);
    repairEmptySplit(assigned, "train", ratios);
    for (const { image, split } of assigned) out.push({ ...image, split });
  }
  return out.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
}
function repairEmptySplit(assigned, wanted, ratios) {
  if (assigned.some((a) => a.split === wanted)) return;
  const counts = { train: 0, val: 0, test: 0 };
  for (const a of assigned) counts[a.split]++;
  const low = wanted === "train" ? 0 : wanted === "val" ? ratios.train : ratios.train + ratios.val;
  const high = wanted === "train" ? ratios.train : wanted === "val" ? ratios.train + ratios.val : 1;
  const distance = (p) => p < low ? low - p : p >= high ? p - high : 0;
  const donors = assigned.filter((a) => counts[a.split] > 1).sort((a, b) => distance(a.point) - distance(b.point));
  if (donors[0]) donors[0].split = wanted;
}
function explicitSplits(records) {
  const seen = /* @__PURE__ */ new Map();
  for (const r of records) {
    const set = seen.get(r.label) ?? /* @__PURE__ */ new Set();
    set.add(r.split);
    seen.set(r.label, set);
  }
  for (const [label, splits] of seen) {
    for (const needed of ["train", "val", "test"]) {
      if (!splits.has(needed)) {
        throw new InputError(`Label "${label}" has no images in ${needed}/. With an explicit train/ val/ test/ layout, every label needs images in all three.`, label);
      }
    }
  }
  return records.map((r) => ({ ...r, split: r.split }));
}

// src/core/dataset/zip.ts
import { createHash as createHash3, randomBytes } from "node:crypto";
import { mkdir, readdir as readdir2, readFile, rename, rm, stat as stat2, writeFile } from "node:fs/promises";
import { join as join2, posix } from "node:path";
var ZIP_LIMITS = { maxEntries: 2e5, maxTotalBytes: 8 * 1024 ** 3, maxEntryBytes: 1024 ** 3 };
var CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 3988292384 ^ c >>> 1 : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let crc = 4294967295;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 255] ^ crc >>> 8;
  return (crc ^ 4294967295) >>> 0;
}
function size2(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes.toLocaleString("en")} bytes`;
}
function readCentralDirectory(zip, source) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (view.getUint32(i, true) === 101010256) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new InputError(`${source} is not a readable .zip archive (no central directory; damaged or not a zip). Re-create the archive.`, source);
  const count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (count === 65535 || offset === 4294967295 || eocd >= 20 && view.getUint32(eocd - 20, true) === 117853008) {
    throw new InputError(`${source} is a ZIP64 archive (over 65,535 entries or 4 GiB), which is not supported. Split it into smaller archives or unpack it into a folder.`, source);
  }
  const entries = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || view.getUint32(offset, true) !== 33639248) {
      throw new InputError(`${source} is damaged: its table of contents is cut short. Re-create the archive.`, source);
    }
    const flags = view.getUint16(offset + 8, true);
    const method = view.getUint16(offset + 10, true);
    const crc = view.getUint32(offset + 16, true);
    const compressedSize = view.getUint32(offset + 20, true);
    const size3 = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const localHeaderOffset = view.getUint32(offset + 42, true);
    const name = decoder.decode(zip.subarray(offset + 46, offset + 46 + nameLength));
    entries.push({ name, encrypted: (flags & 65) !== 0, method, crc, compressedSize, size: size3, localHeaderOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
function safeEntryPath(name) {
  const normal = name.replace(/\\/g, "/");
  if (normal.startsWith("/") || /^[a-zA-Z]:/.test(normal) || normal.includes("\0")) return null;
  const cleaned = posix.normalize(normal);
  if (cleaned === ".." || cleaned.startsWith("../") || cleaned.split("/").includes("..")) return null;
  return cleaned;
}
async function extractZipDataset(zipPath, workDir, limits = ZIP_LIMITS) {
  const zip = new Uint8Array(await readFile(zipPath));
  const digest = createHash3("sha256").update(zip).digest("hex").slice(0, 16);
  const target = join2(workDir, "datasets", digest);
  if (await isComplete(target)) return contentRoot(target);
  const entries = readCentralDirectory(zip, zipPath);
  if (entries.length > limits.maxEntries) {
    throw new InputError(`${zipPath} has ${entries.length.toLocaleString("en")} entries, more than the limit of ${limits.maxEntries.toLocaleString("en")} (possible zip bomb). Split the dataset or unpack it into a folder.`, zipPath);
  }
  let total = 0;
  for (const entry of entries) {
    if (safeEntryPath(entry.name) === null) {
      throw new InputError(`${zipPath} contains an entry that points outside the archive ("${entry.name}"). Such archives are refused; re-create it with relative paths.`, zipPath);
    }
    if (entry.encrypted) throw new InputError(`${zipPath} is encrypted ("${entry.name}"). Password-protected archives are not supported; re-create it without a password.`, zipPath);
    if (entry.size > limits.maxEntryBytes) {
      throw new InputError(`${zipPath}: "${entry.name}" would unpack to ${size2(entry.size)}, more than the limit of ${size2(limits.maxEntryBytes)} for one file (possible zip bomb). Unpack it yourself if it is legitimate.`, zipPath);
    }
    total += entry.size;
  }
  if (total > limits.maxTotalBytes) {
    throw new InputError(`${zipPath} would unpack to ${size2(total)}, more than the limit of ${size2(limits.maxTotalBytes)} (possible zip bomb). Unpack it yourself if it is legitimate.`, zipPath);
  }
  checkNameClashes(entries, zipPath);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    for (const entry of entries) {
      if (entry.name.endsWith("/")) continue;
      const data = readEntry(zip, entry, zipPath);
      const out = join2(temp, safeEntryPath(entry.name));
      await mkdir(join2(out, ".."), { recursive: true }).then(() => writeFile(out, data)).catch((error) => {
        if (error.code === "ENAMETOOLONG") {
          throw new InputError(`${zipPath}: "${entry.name}" has a name too long for this file system. Shorten it and re-create the archive.`, zipPath);
        }
        throw error;
      });
    }
    await mkdir(temp, { recursive: true });
    await writeFile(join2(temp, ".complete"), "");
    await mkdir(join2(target, ".."), { recursive: true });
    await rename(temp, target).catch(async (error) => {
      if (await isComplete(target)) return rm(temp, { recursive: true, force: true });
      throw error;
    });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw explainWriteError(error, temp);
  }
  return contentRoot(target);
}
function checkNameClashes(entries, source) {
  const files = /* @__PURE__ */ new Set();
  const folders = /* @__PURE__ */ new Set();
  for (const entry of entries) {
    const path = safeEntryPath(entry.name).replace(/\/+$/, "");
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
    if (entry.name.endsWith("/")) {
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
async function isComplete(dir) {
  return Boolean(await stat2(join2(dir, ".complete")).catch(() => null));
}
function readEntry(zip, entry, source) {
  const damaged = (why) => new InputError(`${source} is damaged: "${entry.name}" ${why}. Re-create the archive.`, source);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || view.getUint32(at, true) !== 67324752) throw damaged("has no local header where the table of contents says");
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > zip.length) throw damaged("is cut short");
  const packed = zip.subarray(start, start + entry.compressedSize);
  let data;
  if (entry.method === 0) {
    data = packed;
  } else if (entry.method === 8) {
    try {
      data = inflateSync(packed, { out: new Uint8Array(entry.size) });
    } catch (error) {
      throw damaged(`cannot be inflated (${error.message})`);
    }
  } else {
    throw new InputError(`${source}: "${entry.name}" uses compression method ${entry.method}, which is not supported. Re-create the archive with standard (deflate) compression.`, source);
  }
  if (data.length !== entry.size) throw damaged(`unpacks to ${data.length} bytes, not the ${entry.size} its table of contents declares`);
  if (crc32(data) !== entry.crc) throw damaged("fails its CRC-32 check");
  return data;
}
async function contentRoot(target) {
  const visible = (await readdir2(target, { withFileTypes: true })).filter((e) => !e.name.startsWith(".") && e.name !== "__MACOSX");
  if (visible.length === 1 && visible[0].isDirectory()) {
    const inner = join2(target, visible[0].name);
    const innerEntries = (await readdir2(inner, { withFileTypes: true })).filter((e) => !e.name.startsWith("."));
    if (innerEntries.length > 0 && innerEntries.every((e) => e.isDirectory())) return inner;
  }
  return target;
}

// src/core/dataset/prepare.ts
var THUMBNAIL_SIZE = 32;
var SKIP_LOG_LIMIT = 100;
function skipLog(log) {
  let logged = 0;
  let held = 0;
  return {
    report(skips) {
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
      if (held) log.warn(`Skipped ${held.toLocaleString("en")} more file${held === 1 ? "" : "s"}, not shown one by one here: result.json (dataset.skipped) and report.html list every skipped file with its reason.`);
      held = 0;
    }
  };
}
async function prepareDataset(options, log) {
  let root = options.datasetPath;
  const info = await stat3(root).catch((error) => {
    if (error.code === "EACCES" || error.code === "EPERM") {
      throw new InputError(`Dataset "${root}" cannot be read (permission denied). Give the user running classifier-ci read access to it.`, root);
    }
    return null;
  });
  if (!info) throw new InputError(`Dataset "${root}" was not found. Point to a folder of <label>/<image> files (or a .zip of one).`, root);
  if (info.isFile()) {
    if (!root.toLowerCase().endsWith(".zip")) {
      throw new InputError(`Dataset "${root}" is a file, not a folder. Give a folder of <label>/<image> files or a .zip of one.`, root);
    }
    root = await extractZipDataset(root, options.workDir, options.zipLimits);
  }
  const scan = await scanDataset(root, options.scanLimits);
  const skipped = [...scan.skipped];
  const skips = skipLog(log);
  try {
    skips.report(scan.skipped);
    const decoded = await validateImages(scan.records, options.maxPixels, log);
    skips.report(decoded.skipped);
    skipped.push(...decoded.skipped);
    const unique = dropDuplicates(decoded.records);
    skips.report(unique.skipped);
    skipped.push(...unique.skipped);
    const labels = [...new Set(unique.records.map((r) => r.label))].sort();
    if (unique.records.length === 0) {
      const loose = scan.skipped.filter((s) => !s.file.includes("/") && IMAGE_EXTENSIONS.has(extname(s.file).toLowerCase()));
      if (loose.length > 0) {
        throw new InputError(
          `Dataset "${options.datasetPath}" has ${loose.length} image${loose.length === 1 ? "" : "s"} at the top level (e.g. ${loose[0].file}) but no label folders. Move each image into ${options.datasetPath}/<label>/, one folder per label, e.g. ${options.datasetPath}/cat/ and ${options.datasetPath}/dog/.`,
          options.datasetPath
        );
      }
      throw new InputError(`Dataset "${options.datasetPath}" has no usable images${skipped.length ? ` (${skipped.length} files skipped; see the list above)` : ""}. Put images in <dataset>/<label>/ folders, one folder per label.`, options.datasetPath);
    }
    if (labels.length < 2) {
      throw new InputError(`Dataset "${options.datasetPath}" has only one label ("${labels[0]}"). A classifier needs at least two: add a folder per label, e.g. ${options.datasetPath}/cat/ and ${options.datasetPath}/dog/.`, labels[0]);
    }
    const images = scan.explicitSplits ? explicitSplits(unique.records) : assignSplits(unique.records, options.split, options.seed);
    const summary = summarise(options, labels, images, skipped, unique.warnings, scan.explicitSplits);
    return { images, labels, summary, thumbnails: decoded.thumbnails, root };
  } finally {
    skips.finish();
  }
}
async function validateImages(records, maxPixels, log) {
  const thumbnails = /* @__PURE__ */ new Map();
  const ok = [];
  const skipped = [];
  let done = 0;
  const queue = [...records];
  const worker = async () => {
    for (let record = queue.shift(); record; record = queue.shift()) {
      try {
        if (!thumbnails.has(record.sha256)) thumbnails.set(record.sha256, await decodeToRgb(record.path, THUMBNAIL_SIZE, maxPixels));
        ok.push(record);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        skipped.push({ file: record.file, reason: error.message });
      }
      log.progress("Checking images", ++done, records.length);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  skipped.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  ok.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return { records: ok, skipped, thumbnails };
}
function dropDuplicates(records) {
  const bySha = /* @__PURE__ */ new Map();
  for (const r of records) bySha.set(r.sha256, [...bySha.get(r.sha256) ?? [], r]);
  const kept = [];
  const skipped = [];
  const warnings = [];
  let duplicateCount = 0;
  for (const copies of bySha.values()) {
    const labels = [...new Set(copies.map((c) => c.label))];
    if (labels.length > 1) {
      const where = copies.map((c) => c.file).join(", ");
      warnings.push(`The same image is labelled ${labels.map((l) => `"${l}"`).join(" and ")}: ${where}. All copies were left out; keep it under one label.`);
      for (const c of copies) {
        skipped.push({ file: c.file, reason: `conflicting labels: identical to ${copies.filter((o) => o !== c).map((o) => o.file).join(", ")}` });
      }
      continue;
    }
    kept.push(copies[0]);
    for (const extra of copies.slice(1)) {
      duplicateCount++;
      skipped.push({ file: extra.file, reason: `duplicate of ${copies[0].file} (counted once)` });
    }
  }
  if (duplicateCount) warnings.push(`${duplicateCount} exact duplicate image${duplicateCount === 1 ? " was" : "s were"} counted once.`);
  kept.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return { records: kept, skipped, warnings };
}
function summarise(options, labels, images, skipped, warnings, explicit) {
  const counts = labels.map((label) => {
    const mine = images.filter((i) => i.label === label);
    return {
      label,
      train: mine.filter((i) => i.split === "train").length,
      val: mine.filter((i) => i.split === "val").length,
      test: mine.filter((i) => i.split === "test").length,
      total: mine.length
    };
  });
  const totals = counts.map((c) => c.total);
  const smallest = Math.min(...totals);
  const largest = Math.max(...totals);
  if (largest >= 3 * smallest) {
    const small = counts.find((c) => c.total === smallest).label;
    const big = counts.find((c) => c.total === largest).label;
    warnings.push(`Labels are imbalanced: "${big}" has ${largest} images, "${small}" only ${smallest}. Accuracy may favour the larger labels; watch per-label recall.`);
  }
  const tiny = counts.filter((c) => c.total < 20).map((c) => c.label);
  if (tiny.length) warnings.push(`${tiny.length} label${tiny.length === 1 ? " has" : "s have"} fewer than 20 images (${tiny.slice(0, 5).map((l) => `"${l}"`).join(", ")}${tiny.length > 5 ? ", \u2026" : ""}); results for them are noisy.`);
  const fingerprint = createHash4("sha256");
  for (const image of [...images].sort((a, b) => a.sha256 + a.label < b.sha256 + b.label ? -1 : 1)) {
    fingerprint.update(`${image.label}\0${image.sha256}
`);
  }
  return {
    root: options.datasetPath,
    fingerprint: fingerprint.digest("hex"),
    labels,
    images: images.length,
    counts,
    splitMode: explicit ? "explicit" : "hash",
    split: options.split,
    skipped,
    warnings
  };
}

// src/core/evaluate.ts
var MAX_MISTAKES = 24;
function topKFor(labelCount) {
  return labelCount > 5 ? 5 : labelCount > 2 ? 2 : null;
}
function evaluate(labels, examples, probabilities) {
  const n = labels.length;
  const confusion = labels.map(() => new Array(n).fill(0));
  const k = topKFor(n);
  let correct = 0;
  let topKHits = 0;
  const mistakes = [];
  examples.forEach((example, row) => {
    const p = probabilities.subarray(row * n, (row + 1) * n);
    let predicted = 0;
    for (let j = 1; j < n; j++) if (p[j] > p[predicted]) predicted = j;
    confusion[example.label][predicted]++;
    if (predicted === example.label) correct++;
    else mistakes.push({ file: example.file, sha256: example.sha256, trueLabel: labels[example.label], predictedLabel: labels[predicted], confidence: p[predicted] });
    if (k) {
      let higher = 0;
      for (let j = 0; j < n; j++) if (p[j] > p[example.label]) higher++;
      if (higher < k) topKHits++;
    }
  });
  const perLabel = labels.map((label, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + row[i], 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? 2 * precision * recall / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const total = examples.length;
  mistakes.sort((a, b) => b.confidence - a.confidence || (a.file < b.file ? -1 : 1));
  return {
    images: total,
    accuracy: total ? correct / total : 0,
    topK: k ? { k, accuracy: total ? topKHits / total : 0 } : null,
    macroF1: perLabel.reduce((s, l) => s + l.f1, 0) / n,
    perLabel,
    confusion: { labels, matrix: confusion },
    mistakes: mistakes.slice(0, MAX_MISTAKES)
  };
}
async function attachThumbnails(mistakes, pathOf) {
  const sharp3 = (await import("sharp")).default;
  return Promise.all(
    mistakes.map(async (mistake) => {
      const path = pathOf(mistake.file);
      if (!path) return mistake;
      try {
        const jpeg = await sharp3(path, { failOn: "none", animated: false }).rotate().flatten({ background: "#ffffff" }).resize(96, 96, { fit: "inside", withoutEnlargement: false }).jpeg({ quality: 80 }).toBuffer();
        return { ...mistake, thumbnail: `data:image/jpeg;base64,${jpeg.toString("base64")}` };
      } catch {
        return mistake;
      }
    })
  );
}

// src/core/model/export.ts
import * as tf2 from "@tensorflow/tfjs";
import { createHash as createHash5 } from "node:crypto";
import { mkdir as mkdir2, readFile as readFile2 } from "node:fs/promises";
import { join as join3 } from "node:path";
var MODEL_FORMAT = "classifier-ci/fused-layers-v1";
var TWO_PART_FORMAT = "classifier-ci/backbone-and-head-v1";
function foldStandardisation(head) {
  const [first, ...rest] = head.dense;
  if (!first) return [];
  const kernel = new Float32Array(first.kernel.length);
  const bias = Float32Array.from(first.bias);
  for (let i = 0; i < first.inDim; i++) {
    const s = head.std[i];
    const m = head.mean[i];
    for (let j = 0; j < first.outDim; j++) {
      const w = first.kernel[i * first.outDim + j];
      kernel[i * first.outDim + j] = w / s;
      bias[j] -= m / s * w;
    }
  }
  return [{ ...first, kernel, bias }, ...rest];
}
function denseConfig(units, activation) {
  return {
    units,
    activation,
    use_bias: true,
    kernel_initializer: { class_name: "Zeros", config: {} },
    bias_initializer: { class_name: "Zeros", config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null
  };
}
function isFusable(prepared, fitted) {
  if (fitted.trunk && fitted.trunkRole !== "top") return true;
  return Boolean(prepared.extractor?.topology && prepared.extractor.layersModel);
}
async function buildHeadModel(fitted, featureDim) {
  const topology = inputTopology("head", [null, featureDim]);
  const dense = foldStandardisation(fitted.head.weights);
  dense.forEach((layer, i) => {
    const last = i === dense.length - 1;
    appendLayer(topology, "Dense", last ? "head_output" : `head_dense_${i + 1}`, denseConfig(layer.outDim, last ? "softmax" : "relu"));
  });
  const model3 = await tf2.models.modelFromJSON({ modelTopology: topology });
  setDenseWeights(model3, dense);
  return model3;
}
function setDenseWeights(model3, dense) {
  dense.forEach((layer, i) => {
    const name = i === dense.length - 1 ? "head_output" : `head_dense_${i + 1}`;
    const kernel = tf2.tensor2d(layer.kernel, [layer.inDim, layer.outDim]);
    const bias = tf2.tensor1d(layer.bias);
    model3.getLayer(name).setWeights([kernel, bias]);
    tf2.dispose([kernel, bias]);
  });
}
async function buildFusedModel(prepared, fitted) {
  let topology;
  let source;
  if (fitted.trunk && fitted.trunkRole !== "top") {
    source = fitted.trunk;
    topology = topologyOf(fitted.trunk);
  } else {
    const extractor = prepared.extractor;
    if (!isFusable(prepared, fitted)) throw new Error(`${prepared.spec.id} cannot be fused; export it in two parts`);
    source = extractor.layersModel;
    topology = structuredClone(extractor.topology);
    const [low, high] = prepared.spec.range;
    insertAfterInput(topology, "Rescaling", "rescale", { scale: (high - low) / 255, offset: low });
  }
  const dense = foldStandardisation(fitted.head.weights);
  dense.forEach((layer, i) => {
    const last = i === dense.length - 1;
    appendLayer(topology, "Dense", last ? "head_output" : `head_dense_${i + 1}`, denseConfig(layer.outDim, last ? "softmax" : "relu"));
  });
  const fused = await tf2.models.modelFromJSON({ modelTopology: topology });
  const sources = fitted.trunkRole === "top" ? [source, fitted.trunk] : [source];
  for (const model3 of sources) {
    for (const layer of model3.layers) {
      const weights = layer.getWeights();
      if (weights.length && layer.getClassName() !== "InputLayer") fused.getLayer(layer.name).setWeights(weights);
    }
  }
  setDenseWeights(fused, dense);
  return fused;
}
function summariseLayers(model3) {
  const layers2 = model3.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: JSON.stringify(layer.outputShape).replace(/null/g, "None"),
    params: layer.countParams(),
    trainable: layer.trainable
  }));
  const count = (weights) => weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * (b ?? 1), 1), 0);
  return { layers: layers2, trainable: count(model3.trainableWeights), nonTrainable: count(model3.nonTrainableWeights) };
}
async function exportModel(input2) {
  const { prepared, fitted } = input2;
  const fusable = isFusable(prepared, fitted);
  const model3 = fusable ? await buildFusedModel(prepared, fitted) : await buildHeadModel(fitted, prepared.featureDim);
  try {
    await mkdir2(input2.dir, { recursive: true });
    const written = {};
    if (!fusable) Object.assign(written, await backboneFiles(prepared.extractor.sourceDir));
    await model3.save(
      tf2.io.withSaveHandler(async (artifacts) => {
        const weights = new Uint8Array(artifacts.weightData);
        const modelJson = {
          format: "layers-model",
          generatedBy: "classifier-ci",
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }]
        };
        written["weights.bin"] = weights;
        written["model.json"] = new TextEncoder().encode(JSON.stringify(modelJson));
        return { modelArtifactsInfo: { dateSaved: /* @__PURE__ */ new Date(), modelTopologyType: "JSON" } };
      })
    );
    const preprocessing = {
      format: fusable ? MODEL_FORMAT : TWO_PART_FORMAT,
      inputSize: prepared.spec.inputSize,
      input: "rgb-bytes",
      resize: RESIZE_MODE,
      backbone: prepared.spec.id,
      ...fusable ? {} : { range: prepared.spec.range }
    };
    written["labels.json"] = new TextEncoder().encode(JSON.stringify(input2.labels, null, 2) + "\n");
    written["preprocessing.json"] = new TextEncoder().encode(JSON.stringify(preprocessing, null, 2) + "\n");
    written["metrics.json"] = new TextEncoder().encode(JSON.stringify(input2.metrics, null, 2) + "\n");
    for (const name of [...Object.keys(written).filter((n) => n !== "model.json"), "model.json"]) {
      await writeFileAtomic(join3(input2.dir, name), written[name]);
    }
    const summary = summariseLayers(model3);
    return {
      dir: input2.displayDir,
      backbone: prepared.spec.id,
      inputSize: prepared.spec.inputSize,
      files: Object.entries(written).map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: createHash5("sha256").update(bytes).digest("hex") })).sort((a, b) => a.name < b.name ? -1 : 1),
      layers: summary.layers,
      trainableParams: summary.trainable,
      nonTrainableParams: summary.nonTrainable
    };
  } finally {
    model3.dispose();
  }
}
async function backboneFiles(sourceDir) {
  const json = await readFile2(join3(sourceDir, "model.json"));
  const files = { "backbone/model.json": json };
  const manifest = JSON.parse(json.toString("utf8")).weightsManifest;
  for (const path of manifest.flatMap((g) => g.paths)) files[`backbone/${path}`] = await readFile2(join3(sourceDir, path));
  return files;
}

// src/core/ports.ts
var systemClock = { now: () => performance.now() };

// src/core/training/candidates.ts
import * as tf5 from "@tensorflow/tfjs";

// src/core/training/head.ts
import * as tf3 from "@tensorflow/tfjs";

// src/core/random.ts
import { createHash as createHash6 } from "node:crypto";
function createRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function deriveSeed(seed, purpose) {
  return createHash6("sha256").update(`${seed}:${purpose}`).digest().readUInt32LE(0);
}
function shuffleInPlace(items, rng) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

// src/core/training/head.ts
var TRAIN_METRIC_ROWS = 512;
function standardisation(x, rows, dim) {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < dim; c++) {
      const v = x[r * dim + c];
      mean[c] += v;
      sq[c] += v * v;
    }
  }
  const m = new Float32Array(dim);
  const s = new Float32Array(dim);
  for (let c = 0; c < dim; c++) {
    m[c] = mean[c] / rows;
    const variance = Math.max(0, sq[c] / rows - m[c] * m[c]);
    s[c] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { mean: m, std: s };
}
function glorotUniform(inDim, outDim, rng) {
  const limit = Math.sqrt(6 / (inDim + outDim));
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = (rng() * 2 - 1) * limit;
  return w;
}
function denseForward(input2, layers2, dropout, dropoutSeed) {
  let h = input2;
  layers2.forEach((layer, i) => {
    if (dropoutSeed !== void 0 && dropout > 0) {
      const keep = tf3.randomUniform(h.shape, 0, 1, "float32", dropoutSeed + i).greaterEqual(dropout);
      h = h.mul(keep.toFloat()).div(1 - dropout);
    }
    h = h.matMul(layer.kernel).add(layer.bias);
    if (i < layers2.length - 1) h = h.relu();
  });
  return h;
}
async function trainHead(train3, val, options) {
  const { config, numClasses, trunk } = options;
  const rng = createRng(options.seed);
  const inputDim = trunk ? trunk.inputShape.reduce((a, b) => a * b, 1) : train3.x.length / train3.rows;
  const featureDim = trunk ? trunk.model.outputs[0].shape[1] : inputDim;
  const { mean, std } = trunk ? { mean: new Float32Array(featureDim), std: new Float32Array(featureDim).fill(1) } : standardisation(train3.x, train3.rows, inputDim);
  const standardise = (x) => {
    if (trunk) return x;
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = (x[i] - mean[i % inputDim]) / std[i % inputDim];
    return out;
  };
  const exampleShape = trunk ? trunk.inputShape : [inputDim];
  const xTrain = tf3.tensor(standardise(train3.x), [train3.rows, ...exampleShape]);
  const xVal = tf3.tensor(standardise(val.x), [val.rows, ...exampleShape]);
  const oneHot2 = (y) => tf3.tidy(() => tf3.oneHot(tf3.tensor1d(y, "int32"), numClasses).toFloat());
  const yTrain = oneHot2(train3.y);
  const yVal = oneHot2(val.y);
  const widths = [featureDim, ...config.hiddenUnits, numClasses];
  if (options.initialDense && options.initialDense.map((d) => d.outDim).join() !== widths.slice(1).join()) {
    throw new Error("initialDense does not match the configured layer widths");
  }
  const layers2 = tf3.tidy(
    () => widths.slice(1).map((outDim, i) => ({
      kernel: tf3.variable(tf3.tensor2d(options.initialDense?.[i]?.kernel ?? glorotUniform(widths[i], outDim, rng), [widths[i], outDim])),
      bias: tf3.variable(options.initialDense ? tf3.tensor1d(options.initialDense[i].bias) : tf3.zeros([outDim]))
    }))
  );
  const headVariables = layers2.flatMap((l) => [l.kernel, l.bias]);
  const trunkVariables = trunk ? trunk.model.trainableWeights.map((w) => w.read()) : [];
  const optimizer = tf3.train.adam(config.learningRate);
  const features = (x, training) => trunk ? trunk.model.apply(x, { training: training && (trunk.training ?? true) }) : x;
  const evaluate2 = (x, y, rows) => {
    let lossSum = 0;
    let correct = 0;
    const step = trunk ? 256 : 4096;
    for (let start = 0; start < rows; start += step) {
      const size3 = Math.min(step, rows - start);
      const [loss, hits] = tf3.tidy(() => {
        const xb = x.slice(start, size3);
        const yb = y.slice(start, size3);
        const logits = denseForward(features(xb, false), layers2, 0);
        const l = tf3.losses.softmaxCrossEntropy(yb, logits, void 0, 0, tf3.Reduction.SUM);
        const h = logits.argMax(1).equal(yb.argMax(1)).sum();
        return [l.dataSync()[0], h.dataSync()[0]];
      });
      lossSum += loss;
      correct += hits;
    }
    return { loss: lossSum / rows, accuracy: correct / rows };
  };
  const metricRows = Math.min(train3.rows, TRAIN_METRIC_ROWS);
  const [metricX, metricY] = metricRows === train3.rows ? [xTrain, yTrain] : tf3.tidy(() => {
    const idx = tf3.tensor1d(Array.from({ length: metricRows }, (_, i) => Math.floor(i * train3.rows / metricRows)), "int32");
    return [tf3.gather(xTrain, idx), tf3.gather(yTrain, idx)];
  });
  const curve = [];
  let best = { loss: Infinity, accuracy: 0, epoch: 0, weights: [], trunkWeights: [] };
  const patience = options.patience ?? 8;
  let stoppedByDeadline = false;
  const order = Array.from({ length: train3.rows }, (_, i) => i);
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    shuffleInPlace(order, rng);
    for (let start = 0; start < train3.rows; start += config.batchSize) {
      const batchIndices = order.slice(start, start + config.batchSize);
      if (trunk && batchIndices.length < 2) continue;
      const dropoutSeed = Math.floor(rng() * 2 ** 31);
      tf3.tidy(() => {
        const idx = tf3.tensor1d(batchIndices, "int32");
        let xb = tf3.gather(xTrain, idx);
        if (trunk?.augment) {
          const data = xb.dataSync();
          const per = inputDim;
          const copy = new Float32Array(data);
          for (let i = 0; i < batchIndices.length; i++) trunk.augment(copy.subarray(i * per, (i + 1) * per), rng);
          xb = tf3.tensor(copy, xb.shape);
        }
        const yb = tf3.gather(yTrain, idx);
        optimizer.minimize(() => {
          const logits = denseForward(features(xb, true), layers2, config.dropout, dropoutSeed);
          let loss = tf3.losses.softmaxCrossEntropy(yb, logits, void 0, config.labelSmoothing);
          if (config.weightDecay > 0) {
            const l2 = [...layers2.map((l) => l.kernel), ...trunk ? trunkKernels(trunk.model) : []].map((k) => k.square().sum()).reduce((a, b) => a.add(b));
            loss = loss.add(l2.mul(config.weightDecay / 2));
          }
          return loss;
        }, false, [...headVariables, ...trunkVariables]);
      });
    }
    const trainMetrics = evaluate2(metricX, metricY, metricRows);
    const valMetrics = evaluate2(xVal, yVal, val.rows);
    const point = { epoch, trainLoss: trainMetrics.loss, trainAccuracy: trainMetrics.accuracy, valLoss: valMetrics.loss, valAccuracy: valMetrics.accuracy };
    curve.push(point);
    options.onEpoch?.(point);
    if (options.keepLastEpoch || valMetrics.loss < best.loss - 1e-6) {
      best.trunkWeights.forEach((t) => t.dispose());
      best = {
        loss: valMetrics.loss,
        accuracy: valMetrics.accuracy,
        epoch,
        weights: headVariables.map((v) => v.dataSync().slice()),
        trunkWeights: trunk ? trunk.model.getWeights().map((w) => w.clone()) : []
      };
    } else if (epoch - best.epoch >= patience) {
      break;
    }
    await new Promise((resolve2) => setImmediate(resolve2));
    if (options.now() > options.deadline && epoch < config.epochs) {
      stoppedByDeadline = true;
      break;
    }
  }
  if (trunk) trunk.model.setWeights(best.trunkWeights);
  best.trunkWeights.forEach((t) => t.dispose());
  const dense = layers2.map((_, i) => ({
    kernel: best.weights[i * 2],
    bias: best.weights[i * 2 + 1],
    inDim: widths[i],
    outDim: widths[i + 1]
  }));
  tf3.dispose([.../* @__PURE__ */ new Set([xTrain, xVal, yTrain, yVal, metricX, metricY]), ...headVariables]);
  optimizer.dispose();
  return { weights: { mean, std, dense }, curve, bestEpoch: best.epoch, valAccuracy: best.accuracy, valLoss: best.loss, stoppedByDeadline };
}
function trunkKernels(model3) {
  return model3.trainableWeights.filter((w) => w.originalName.endsWith("/kernel")).map((w) => w.read());
}
function predictHead(weights, x, rows) {
  const dim = weights.mean.length;
  return tf3.tidy(() => {
    const input2 = tf3.tensor2d(x, [rows, dim]).sub(tf3.tensor1d(weights.mean)).div(tf3.tensor1d(weights.std));
    const layers2 = weights.dense.map((d) => ({ kernel: tf3.tensor2d(d.kernel, [d.inDim, d.outDim]), bias: tf3.tensor1d(d.bias) }));
    return denseForward(input2, layers2, 0).softmax().dataSync();
  });
}

// src/core/training/small-cnn.ts
import * as tf4 from "@tensorflow/tfjs";
function buildSmallCnn(inputSize, seed) {
  const input2 = tf4.input({ shape: [inputSize, inputSize, 3], name: "input" });
  let x = tf4.layers.rescaling({ scale: 1 / 255, offset: 0, name: "rescale" }).apply(input2);
  const blocks = inputSize >= 24 ? [16, 32, 64] : [16, 32];
  let layerSeed = seed;
  blocks.forEach((filters, b) => {
    for (let c = 1; c <= (b === 0 ? 1 : 2); c++) {
      const name = `block${b + 1}_conv${c}`;
      x = tf4.layers.conv2d({ filters, kernelSize: 3, padding: "same", useBias: false, kernelInitializer: tf4.initializers.heNormal({ seed: layerSeed++ }), name }).apply(x);
      x = tf4.layers.batchNormalization({ name: `${name}_bn` }).apply(x);
      x = tf4.layers.reLU({ name: `${name}_relu` }).apply(x);
    }
    x = tf4.layers.maxPooling2d({ poolSize: 2, name: `block${b + 1}_pool` }).apply(x);
  });
  x = tf4.layers.flatten({ name: "backbone_flatten" }).apply(x);
  return tf4.model({ inputs: input2, outputs: x, name: "small_cnn" });
}
function flipAndShift(size3) {
  return (example, rng) => {
    const flip = rng() < 0.5;
    const dx = Math.floor(rng() * 5) - 2;
    const dy = Math.floor(rng() * 5) - 2;
    if (!flip && dx === 0 && dy === 0) return;
    const source = example.slice();
    for (let y = 0; y < size3; y++) {
      const sy = y - dy;
      for (let x = 0; x < size3; x++) {
        let sx = x - dx;
        if (flip) sx = size3 - 1 - sx;
        const out = (y * size3 + x) * 3;
        if (sy < 0 || sy >= size3 || sx < 0 || sx >= size3) {
          const cy = Math.min(size3 - 1, Math.max(0, sy));
          const cx = Math.min(size3 - 1, Math.max(0, sx));
          const from = (cy * size3 + cx) * 3;
          example[out] = source[from];
          example[out + 1] = source[from + 1];
          example[out + 2] = source[from + 2];
        } else {
          const from = (sy * size3 + sx) * 3;
          example[out] = source[from];
          example[out + 1] = source[from + 1];
          example[out + 2] = source[from + 2];
        }
      }
    }
  };
}

// src/core/training/candidates.ts
function defaultConfig(kind, maxEpochs) {
  return kind === "frozen" ? { learningRate: 1e-3, batchSize: 32, hiddenUnits: [], dropout: 0.2, weightDecay: 1e-4, labelSmoothing: 0, epochs: maxEpochs } : { learningRate: 2e-3, batchSize: 32, hiddenUnits: [128], dropout: 0.3, weightDecay: 5e-4, labelSmoothing: 0, epochs: Math.min(maxEpochs, 40) };
}
async function fit(candidate, config, context) {
  const start = context.now();
  const base = { numClasses: context.numClasses, config, seed: context.seed, deadline: context.deadline, now: context.now };
  if (candidate.kind === "frozen") {
    return { head: await trainHead(candidate.train, candidate.val, base), config, seconds: (context.now() - start) / 1e3 };
  }
  const size3 = candidate.spec.inputSize;
  const model3 = buildSmallCnn(size3, context.seed);
  const warm = context.warmStart;
  const warmHead = warm && warm.config.hiddenUnits.join() === config.hiddenUnits.join() ? warm.head.weights.dense : void 0;
  if (warmHead) model3.setWeights(warm.trunk.getWeights());
  try {
    const head = await trainHead(candidate.train, candidate.val, { ...base, trunk: { model: model3, inputShape: [size3, size3, 3], augment: flipAndShift(size3) }, initialDense: warmHead, patience: 6 });
    return { head, trunk: model3, trunkRole: "whole", config, seconds: (context.now() - start) / 1e3 };
  } catch (error) {
    model3.dispose();
    throw error;
  }
}
function predictProbabilities(fitted, examples) {
  if (!fitted.trunk) return predictHead(fitted.head.weights, examples.x, examples.rows);
  const exampleShape = fitted.trunk.inputs[0].shape.slice(1);
  const perExample = exampleShape.reduce((a, b) => a * b, 1);
  const features = tf5.tidy(() => {
    const parts = [];
    for (let start = 0; start < examples.rows; start += 256) {
      const rows = Math.min(256, examples.rows - start);
      const x = tf5.tensor(examples.x.subarray(start * perExample, (start + rows) * perExample), [rows, ...exampleShape]);
      parts.push(fitted.trunk.predict(x).dataSync());
    }
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  });
  return predictHead(fitted.head.weights, features, examples.rows);
}
function disposeFitted(fitted) {
  fitted?.trunk?.dispose();
}

// src/core/training/bakeoff.ts
function splitOf(images, split) {
  return images.filter((i) => i.split === split);
}
function assemble(images, labels, dim, vectorOf) {
  const x = new Float32Array(images.length * dim);
  const y = new Int32Array(images.length);
  images.forEach((image, i) => {
    x.set(vectorOf(image), i * dim);
    y[i] = labels.indexOf(image.label);
  });
  return { x, y, rows: images.length };
}
async function prepareFrozen(spec, ctx, deadline) {
  const extractor = await loadBackbone(spec, { cacheDir: ctx.cacheDir });
  try {
    const run = await extractEmbeddings(extractor, ctx.dataset.images, { cacheDir: ctx.cacheDir, maxPixels: ctx.maxPixels, workers: ctx.workers, log: ctx.log, now: ctx.now, deadline });
    if (!run.complete) throw new Error(`skipped: the bake-off ran out of budget while embedding (${run.remaining} images left; those done are cached, so a later run resumes)`);
    const { labels, images } = ctx.dataset;
    const vectorOf = (image) => run.vectors.get(image.sha256);
    return {
      spec,
      displayName: extractor.displayName,
      kind: "frozen",
      featureDim: extractor.featureDim,
      backboneParams: extractor.params,
      train: assemble(splitOf(images, "train"), labels, extractor.featureDim, vectorOf),
      val: assemble(splitOf(images, "val"), labels, extractor.featureDim, vectorOf),
      test: assemble(splitOf(images, "test"), labels, extractor.featureDim, vectorOf),
      extractor,
      embedSeconds: run.seconds,
      embeddingsComputed: run.computed,
      embeddingsCached: run.cached
    };
  } catch (error) {
    extractor.dispose();
    throw error;
  }
}
async function prepareScratch(spec, ctx) {
  const size3 = spec.inputSize;
  const pixels = /* @__PURE__ */ new Map();
  for (const image of ctx.dataset.images) {
    pixels.set(image.sha256, size3 === THUMBNAIL_SIZE ? ctx.dataset.thumbnails.get(image.sha256) : await decodeToRgb(image.path, size3, ctx.maxPixels));
  }
  const { labels, images } = ctx.dataset;
  const dim = size3 * size3 * 3;
  const vectorOf = (image) => pixels.get(image.sha256);
  return {
    spec,
    displayName: `Small CNN (from scratch) @${size3}`,
    kind: "scratch",
    featureDim: 0,
    backboneParams: 0,
    train: assemble(splitOf(images, "train"), labels, dim, vectorOf),
    val: assemble(splitOf(images, "val"), labels, dim, vectorOf),
    test: assemble(splitOf(images, "test"), labels, dim, vectorOf),
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0
  };
}
function failedRow(spec, error) {
  return {
    backbone: spec.id,
    displayName: spec.id,
    kind: spec.source === SMALL_CNN ? "scratch" : "frozen",
    inputSize: spec.inputSize,
    featureDim: 0,
    backboneParams: 0,
    valAccuracy: 0,
    valLoss: Number.MAX_VALUE,
    bestEpoch: 0,
    epochs: 0,
    embedSeconds: 0,
    trainSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
    curve: [],
    error: error instanceof Error ? error.message : String(error)
  };
}
function rankCandidates(rows) {
  return [...rows].sort(
    (a, b) => Number(Boolean(a.error)) - Number(Boolean(b.error)) || b.valAccuracy - a.valAccuracy || a.backboneParams - b.backboneParams || a.valLoss - b.valLoss
  );
}
async function runBakeOff(specs, ctx) {
  const rows = [];
  let best = null;
  const numClasses = ctx.dataset.labels.length;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    if (best && ctx.now() >= ctx.deadline) {
      ctx.log.warn(`Skipped ${spec.id}: the bake-off's share of the budget is spent. Raise the budget to include it.`);
      rows.push(failedRow(spec, new Error("skipped: the bake-off ran out of budget before this candidate")));
      continue;
    }
    const share = Math.max(0, ctx.deadline - ctx.now()) / (specs.length - i);
    let prepared;
    try {
      prepared = spec.source === SMALL_CNN ? await prepareScratch(spec, ctx) : await prepareFrozen(spec, ctx, best ? ctx.deadline : void 0);
    } catch (error) {
      if (error instanceof InputError) throw error;
      ctx.log.warn(`${spec.id} could not be prepared: ${error.message}`);
      rows.push(failedRow(spec, error));
      continue;
    }
    if (prepared.kind === "frozen") ctx.log.info(`${prepared.displayName}: ${prepared.embeddingsComputed} embeddings computed, ${prepared.embeddingsCached} from cache`);
    let fitted;
    try {
      fitted = await fit(prepared, defaultConfig(prepared.kind, ctx.maxEpochs), { numClasses, seed: ctx.seed, deadline: ctx.now() + share, now: ctx.now });
    } catch (error) {
      ctx.log.warn(`${prepared.displayName} failed to train: ${error.message}`);
      rows.push({ ...failedRow(spec, error), displayName: prepared.displayName });
      prepared.extractor?.dispose();
      continue;
    }
    const row = {
      backbone: spec.id,
      displayName: prepared.displayName,
      kind: prepared.kind,
      inputSize: spec.inputSize,
      featureDim: prepared.featureDim || fitted.trunk.outputs[0].shape[1],
      backboneParams: prepared.backboneParams || fitted.trunk.countParams(),
      valAccuracy: fitted.head.valAccuracy,
      valLoss: fitted.head.valLoss,
      bestEpoch: fitted.head.bestEpoch,
      epochs: fitted.head.curve.length,
      embedSeconds: prepared.embedSeconds,
      trainSeconds: fitted.seconds,
      embeddingsComputed: prepared.embeddingsComputed,
      embeddingsCached: prepared.embeddingsCached,
      curve: fitted.head.curve
    };
    rows.push(row);
    ctx.log.info(`${prepared.displayName}: validation accuracy ${(row.valAccuracy * 100).toFixed(1)}% (best epoch ${row.bestEpoch} of ${row.epochs})`);
    if (!best || rankCandidates([best.row, row])[0] === row) {
      if (best) {
        disposeFitted(best.fitted);
        best.prepared.extractor?.dispose();
      }
      best = { row, prepared, fitted };
    } else {
      disposeFitted(fitted);
      prepared.extractor?.dispose();
    }
  }
  if (!best) throw new TrainingError(`No backbone could be trained: ${rows.map((r) => `${r.backbone}: ${r.error}`).join("; ")}`);
  return { rows, winner: { prepared: best.prepared, fitted: best.fitted } };
}

// src/core/training/fine-tune.ts
var MAX_EPOCHS = 20;
var LR_FACTOR = 0.1;
async function fineTuneTop(prepared, tuned, ctx) {
  if (prepared.kind === "scratch") return { decision: { applied: false, reason: "the winner is the small CNN, already trained end to end" } };
  const extractor = prepared.extractor;
  const unsupported = fineTuneUnsupported(extractor);
  if (unsupported) return { decision: { applied: false, reason: unsupported } };
  const start = ctx.now();
  const split = await splitForFineTune(extractor);
  let kept = false;
  try {
    const run = await extractEmbeddings(split.base, ctx.dataset.images, { cacheDir: ctx.cacheDir, maxPixels: ctx.maxPixels, log: ctx.log, now: ctx.now, workers: 1 });
    const { labels, images } = ctx.dataset;
    const dim = split.base.featureDim;
    const vectorOf = (image) => run.vectors.get(image.sha256);
    const activations = {
      ...prepared,
      train: assemble(splitOf(images, "train"), labels, dim, vectorOf),
      val: assemble(splitOf(images, "val"), labels, dim, vectorOf),
      test: assemble(splitOf(images, "test"), labels, dim, vectorOf)
    };
    if (ctx.now() >= ctx.deadline) {
      return { decision: { applied: false, reason: `the budget ran out while caching activations at ${split.cutLayer}; the next run reuses them` } };
    }
    const config = { ...tuned.config, learningRate: tuned.config.learningRate * LR_FACTOR, epochs: Math.min(MAX_EPOCHS, tuned.config.epochs) };
    const head = await trainHead(activations.train, activations.val, {
      numClasses: labels.length,
      config,
      seed: ctx.seed,
      deadline: ctx.deadline,
      now: ctx.now,
      patience: 4,
      trunk: { model: split.top, inputShape: split.cutShape, training: false },
      initialDense: foldStandardisation(tuned.head.weights)
    });
    const better2 = head.valAccuracy > tuned.head.valAccuracy || head.valAccuracy === tuned.head.valAccuracy && head.valLoss < tuned.head.valLoss;
    const seconds = (ctx.now() - start) / 1e3;
    ctx.log.info(`Fine-tuning from ${split.cutLayer}: validation accuracy ${(head.valAccuracy * 100).toFixed(1)}% (tuned head: ${(tuned.head.valAccuracy * 100).toFixed(1)}%) in ${seconds.toFixed(0)} s`);
    if (!better2) {
      return { decision: { applied: false, reason: `fine-tuning from ${split.cutLayer} did not beat the tuned head on validation (${pct(head.valAccuracy)} vs ${pct(tuned.head.valAccuracy)})`, valAccuracy: head.valAccuracy } };
    }
    kept = true;
    return {
      decision: { applied: true, reason: `top block from ${split.cutLayer} fine-tuned at learning rate ${config.learningRate.toPrecision(2)} with batch norm frozen`, valAccuracy: head.valAccuracy },
      improved: { fitted: { head, trunk: split.top, trunkRole: "top", config, seconds }, prepared: activations }
    };
  } finally {
    if (!kept) split.top.dispose();
  }
}
var pct = (x) => `${(x * 100).toFixed(1)}%`;

// src/core/training/refit.ts
function mergeExamples(a, b) {
  const x = new Float32Array(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  const y = new Int32Array(a.rows + b.rows);
  y.set(a.y);
  y.set(b.y, a.rows);
  return { x, y, rows: a.rows + b.rows };
}
async function refitOnTrainAndVal(candidate, chosen, ctx) {
  if (chosen.trunk) {
    const what = chosen.trunkRole === "top" ? "the fine-tuned top block" : "the small CNN";
    return { decision: { applied: false, reason: `${what} is trained end to end; training it again on train + validation would take a second full training` } };
  }
  if (candidate.val.rows === 0) return { decision: { applied: false, reason: "there is no validation split to add" } };
  const epochs = Math.max(1, chosen.head.bestEpoch);
  const merged = mergeExamples(candidate.train, candidate.val);
  const trainedEpochs = Math.max(1, chosen.head.curve.length);
  const estimateMs = chosen.seconds * 1e3 * (epochs / trainedEpochs) * (merged.rows / Math.max(1, candidate.train.rows));
  if (ctx.now() + estimateMs > ctx.deadline) {
    return { decision: { applied: false, reason: `not enough of the budget left (about ${Math.ceil(estimateMs / 1e3)} s needed)` } };
  }
  const config = { ...chosen.config, epochs };
  const start = ctx.now();
  const head = await trainHead(merged, candidate.val, {
    numClasses: ctx.numClasses,
    config,
    seed: deriveSeed(ctx.seed, "refit"),
    deadline: ctx.deadline,
    now: ctx.now,
    keepLastEpoch: true
  });
  if (head.curve.length < epochs) {
    return { decision: { applied: false, reason: `the budget ran out after ${head.curve.length} of ${epochs} epochs; the chosen head was kept` } };
  }
  const refitted = { head, config, seconds: (ctx.now() - start) / 1e3 };
  return { decision: { applied: true, reason: `retrained on train + validation (${merged.rows} images) for the chosen ${epochs} epoch${epochs === 1 ? "" : "s"}`, images: merged.rows, epochs }, refitted };
}

// src/core/training/tuning.ts
var pick = (items, rng) => items[Math.floor(rng() * items.length)];
var logUniform = (low, high, rng) => Math.exp(Math.log(low) + rng() * (Math.log(high) - Math.log(low)));
var round3 = (x) => Number(x.toPrecision(3));
function seedRule(base) {
  return { ...base, learningRate: round3(base.learningRate / 2), batchSize: base.batchSize * 2 };
}
function proposeConfig(base, kind, rng) {
  return {
    learningRate: round3(logUniform(kind === "frozen" ? 1e-4 : 3e-4, kind === "frozen" ? 0.01 : 5e-3, rng)),
    batchSize: pick([16, 32, 64, 128], rng),
    hiddenUnits: pick(kind === "frozen" ? [[], [], [128], [256], [512], [256, 128]] : [[], [64], [128], [256]], rng),
    dropout: pick([0, 0.1, 0.2, 0.3, 0.5], rng),
    weightDecay: pick([0, 1e-5, 1e-4, 1e-3, 0.01], rng),
    labelSmoothing: pick([0, 0, 0.05, 0.1], rng),
    epochs: base.epochs
  };
}
function better(a, b) {
  return a.head.valAccuracy > b.head.valAccuracy || a.head.valAccuracy === b.head.valAccuracy && a.head.valLoss < b.head.valLoss;
}
async function runTuning(candidate, bakeOff, ctx) {
  const rng = createRng(deriveSeed(ctx.seed, "tuning"));
  const configs = [seedRule(bakeOff.config)];
  while (configs.length < ctx.maxTrials) configs.push(proposeConfig(bakeOff.config, candidate.kind, rng));
  const rung0Epochs = Math.max(5, Math.ceil(ctx.maxEpochs / 3));
  const trials = [];
  const fitted = [];
  let best = { fitted: bakeOff, trial: -1 };
  const consider = (model3, trial) => {
    if (better(model3, best.fitted)) {
      if (best.trial >= 0) disposeFitted(best.fitted);
      best = { fitted: model3, trial };
      return true;
    }
    return false;
  };
  const continues = candidate.kind === "scratch";
  const runTrial = async (index, config, rung, status) => {
    const warmStart = continues && index === 0 ? bakeOff : void 0;
    const model3 = await fit(candidate, config, { numClasses: ctx.numClasses, seed: deriveSeed(ctx.seed, `trial-${index}`), deadline: ctx.deadline, now: ctx.now, warmStart });
    trials[index] = {
      index,
      config,
      valAccuracy: model3.head.valAccuracy,
      valLoss: model3.head.valLoss,
      epochs: model3.head.curve.length,
      seconds: model3.seconds + (trials[index]?.seconds ?? 0),
      rung,
      status,
      curve: model3.head.curve
    };
    ctx.log.info(`Trial ${index + 1}${rung ? ` (rung ${rung})` : ""}: validation accuracy ${(model3.head.valAccuracy * 100).toFixed(1)}% \u2014 lr ${config.learningRate}, batch ${config.batchSize}, hidden [${config.hiddenUnits.join(",")}], dropout ${config.dropout}`);
    return model3;
  };
  for (let i = 0; i < configs.length && ctx.now() < ctx.deadline; i++) {
    const epochs = continues && i === 0 ? configs[i].epochs : Math.min(rung0Epochs, configs[i].epochs);
    const model3 = await runTrial(i, { ...configs[i], epochs }, 0, i === 0 ? "seed" : "completed");
    fitted[i] = model3;
    ctx.log.progress("Hyperparameter round", i + 1, configs.length);
  }
  const ran = trials.filter(Boolean);
  const survivors = [...ran].sort((a, b) => b.valAccuracy - a.valAccuracy || a.valLoss - b.valLoss).slice(0, Math.max(1, Math.ceil(ran.length / 3)));
  const promoted = new Set(survivors.map((t) => t.index));
  for (const trial of ran) {
    if (!promoted.has(trial.index) && trial.status !== "seed") trial.status = "pruned";
  }
  for (const trial of ran) {
    if (!consider(fitted[trial.index], trial.index)) disposeFitted(fitted[trial.index]);
  }
  if (rung0Epochs < ctx.maxEpochs) {
    for (const trial of survivors) {
      if (ctx.now() >= ctx.deadline) break;
      if (continues && trial.index === 0) continue;
      const model3 = await runTrial(trial.index, configs[trial.index], 1, trial.status);
      if (!consider(model3, trial.index)) disposeFitted(model3);
    }
  }
  return { trials: trials.filter(Boolean), bestTrial: best.trial, best: best.fitted };
}

// package.json
var package_default = {
  name: "classifier-ci",
  version: "0.1.0",
  description: "Turn a folder of labelled images into a tuned image classifier, in CI or on a laptop.",
  type: "module",
  license: "MIT",
  bin: {
    "classifier-ci": "bin/classifier-ci.js"
  },
  engines: {
    node: ">=20"
  },
  scripts: {
    build: "tsc -p tsconfig.json",
    typecheck: "tsc -p tsconfig.json --noEmit",
    test: "node --import tsx --test --test-concurrency=1 test/*.test.ts",
    bench: "node --import tsx bench/run.ts",
    "build:cli": "esbuild cli=src/cli/index.ts embed-worker=src/core/embeddings/embed-worker.ts --bundle --platform=node --format=esm --target=node20 --packages=external --legal-comments=none --log-level=warning --outdir=dist",
    "build:lib": "esbuild lib=src/index.ts embed-worker=src/core/embeddings/embed-worker.ts --bundle --platform=node --format=esm --target=node20 --packages=external --legal-comments=none --log-level=warning --outdir=dist",
    "build:action": "node scripts/build-dist.mjs",
    "build:dist": "npm run build:action && npm run build:lib && npm run build:cli",
    lint: "tsc -p tsconfig.json --noEmit --noUnusedLocals --noUnusedParameters"
  },
  dependencies: {
    "@actions/artifact": "^6.2.1",
    "@actions/cache": "^6.3.0",
    "@actions/core": "^3.0.1",
    "@actions/github": "^9.1.1",
    "@tensorflow/tfjs": "^4.22.0",
    "@tensorflow/tfjs-backend-wasm": "^4.22.0",
    buffer: "^6.0.3",
    fflate: "^0.8.3",
    "markdown-table": "^3.1.0",
    nsfwjs: "^4.4.0",
    "playwright-core": "^1.65.1",
    sharp: "^0.35.5",
    vega: "^6.4.0",
    "vega-embed": "^7.3.0",
    "vega-lite": "^6.4.3",
    zod: "^4.6.7"
  },
  devDependencies: {
    "@types/node": "^20.19.43",
    esbuild: "^0.28.2",
    tsx: "^4.23.15",
    typescript: "5.9"
  },
  optionalDependencies: {
    "@tensorflow/tfjs-node": "^4.22.0",
    "@tensorflow/tfjs-node-gpu": "^4.22.0"
  },
  exports: {
    ".": "./dist/lib.js"
  }
};

// src/core/version.ts
var VERSION = package_default.version;

// src/core/pipeline.ts
var TUNING_SHARE_WITH_FINE_TUNE = 0.6;
var REFIT_SHARE = 0.15;
var MIN_FINE_TUNE_SHARE = 0.05;
function resolveBackbones(requested, nativeBackend, typicalSide) {
  const names = requested.flatMap((b) => b.trim().toLowerCase() === "auto" ? autoBackbones(nativeBackend, typicalSide) : [b]);
  const specs = names.map(parseBackboneSpec);
  const seen = /* @__PURE__ */ new Set();
  return specs.filter((s) => !seen.has(s.id) && seen.add(s.id));
}
async function train2(options, deps) {
  validateOptions(options);
  const { log } = deps;
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const date = deps.date ?? (() => /* @__PURE__ */ new Date());
  const startedAt = date().toISOString();
  const t0 = now();
  const deadline = t0 + options.budgetSeconds * 1e3;
  const timings = [];
  const timed = async (stage, title, work) => {
    const close = log.stage(title);
    const start = now();
    try {
      return await work();
    } finally {
      timings.push({ stage, seconds: (now() - start) / 1e3 });
      close();
    }
  };
  const backend = await ensureBackend();
  log.info(`Compute backend: ${describeBackend(backend)}`);
  for (const spec of resolveBackbones(options.backbones, backend.name === "tensorflow")) {
    if (!spec.builtin) await loadModelSource(spec.source, options.cacheDir);
  }
  const dataset = await timed("scan", "Reading the dataset", async () => {
    const prepared2 = await prepareDataset({ datasetPath: options.datasetPath, split: options.split, seed: options.seed, maxPixels: options.maxPixels, workDir: options.cacheDir }, log);
    const s = prepared2.summary;
    log.info(`${s.images} images, ${s.labels.length} labels; split ${s.counts.reduce((n, c) => n + c.train, 0)} train / ${s.counts.reduce((n, c) => n + c.val, 0)} val / ${s.counts.reduce((n, c) => n + c.test, 0)} test${s.skipped.length ? `; ${s.skipped.length} files skipped` : ""}`);
    for (const warning of s.warnings) log.warn(warning);
    return prepared2;
  });
  const typicalSide = await typicalImageSide(dataset.images.map((i) => i.path));
  const specs = resolveBackbones(options.backbones, backend.name === "tensorflow", typicalSide);
  dataset.summary.typicalSide = typicalSide ?? void 0;
  const remaining = () => Math.max(0, deadline - now());
  const reserve = Math.max(3e3, remaining() * 0.1);
  const bakeOffDeadline = now() + (remaining() - reserve) * 0.5;
  const bakeOff = await timed(
    "bakeOff",
    `Bake-off: ${specs.map((s) => s.id).join(", ")}`,
    () => runBakeOff(specs, { dataset, cacheDir: options.cacheDir, maxPixels: options.maxPixels, workers: options.workers, maxEpochs: options.epochs, seed: options.seed, deadline: bakeOffDeadline, now, log })
  );
  const { prepared } = bakeOff.winner;
  const embedSeconds = bakeOff.rows.reduce((s, r) => s + r.embedSeconds, 0);
  timings.push({ stage: "embed", seconds: embedSeconds });
  log.info(`Winner: ${prepared.displayName}`);
  try {
    const tuningStart = now();
    const fineTuneBlocker = options.fineTune === "false" ? "switched off (fine-tune: false)" : prepared.kind === "scratch" ? "the winner is the small CNN, already trained end to end" : fineTuneUnsupported(prepared.extractor);
    const mayFineTune = !fineTuneBlocker;
    const refitReserve = prepared.kind === "frozen" ? (deadline - reserve - now()) * REFIT_SHARE : 0;
    const fineTuneEnd = deadline - reserve - refitReserve;
    const tuningDeadline = mayFineTune ? now() + (fineTuneEnd - now()) * TUNING_SHARE_WITH_FINE_TUNE : fineTuneEnd;
    const tuning = await timed(
      "tuning",
      `Hyperparameter round on ${prepared.displayName}`,
      () => runTuning(prepared, bakeOff.winner.fitted, {
        numClasses: dataset.labels.length,
        maxTrials: options.trials,
        maxEpochs: options.epochs,
        seed: options.seed,
        deadline: tuningDeadline,
        now,
        log
      })
    );
    if (tuning.best !== bakeOff.winner.fitted) disposeFitted(bakeOff.winner.fitted);
    let best = tuning.best;
    let evaluated = prepared;
    let fineTune;
    const fineTuneLeft = fineTuneEnd - now();
    if (fineTuneBlocker) {
      fineTune = { applied: false, reason: fineTuneBlocker };
    } else if (options.fineTune === "auto" && fineTuneLeft < options.budgetSeconds * 1e3 * MIN_FINE_TUNE_SHARE) {
      fineTune = { applied: false, reason: `not enough of the budget left (${Math.max(0, fineTuneLeft / 1e3).toFixed(0)} s); raise the budget, or set fine-tune to true` };
    } else {
      const fineTuneDeadline = options.fineTune === "true" ? Math.max(fineTuneEnd, now() + Math.max(3e4, options.budgetSeconds * 250)) : fineTuneEnd;
      const outcome = await timed(
        "fineTune",
        "Fine-tuning the top block",
        () => fineTuneTop(prepared, best, { dataset, cacheDir: options.cacheDir, maxPixels: options.maxPixels, seed: options.seed, deadline: fineTuneDeadline, now, log })
      );
      fineTune = outcome.decision;
      if (outcome.improved) {
        disposeFitted(best);
        best = outcome.improved.fitted;
        evaluated = outcome.improved.prepared;
      }
    }
    if (!fineTune.applied) log.info(`Fine-tuning: skipped, ${fineTune.reason}`);
    const refit = await timed(
      "refit",
      "Final fit on train + validation",
      () => refitOnTrainAndVal(evaluated, best, { numClasses: dataset.labels.length, seed: options.seed, deadline: deadline - reserve, now })
    );
    log.info(`Final fit: ${refit.decision.applied ? "" : "skipped, "}${refit.decision.reason}`);
    if (refit.refitted) {
      disposeFitted(best);
      best = refit.refitted;
    }
    const tuningSeconds = (now() - tuningStart) / 1e3;
    const testImages = dataset.images.filter((i) => i.split === "test");
    const metrics = await timed("evaluate", "Evaluating on the test split", async () => {
      const probabilities = predictProbabilities(best, evaluated.test);
      const measured = evaluate(dataset.labels, testImages.map((i) => ({ file: i.file, sha256: i.sha256, label: dataset.labels.indexOf(i.label) })), probabilities);
      const pathOf = new Map(testImages.map((i) => [i.file, i.path]));
      return { ...measured, mistakes: await attachThumbnails(measured.mistakes, (file) => pathOf.get(file)) };
    });
    log.info(`Test accuracy: ${(metrics.accuracy * 100).toFixed(1)}% on ${metrics.images} images`);
    const modelDir = join4(options.outDir, "model");
    const model3 = await timed(
      "export",
      "Exporting the model",
      () => exportModel({ dir: modelDir, displayDir: displayPath(modelDir), prepared, fitted: best, labels: dataset.labels, metrics })
    );
    disposeFitted(best);
    const usedSeconds = (now() - t0) / 1e3;
    timings.push({ stage: "total", seconds: usedSeconds });
    const result = {
      schemaVersion: SCHEMA_VERSION,
      startedAt,
      finishedAt: date().toISOString(),
      seed: options.seed,
      config: {
        backbones: specs.map((s) => s.id),
        budgetSeconds: options.budgetSeconds,
        trials: options.trials,
        epochs: options.epochs,
        fineTune: options.fineTune,
        split: options.split,
        seed: options.seed
      },
      backend,
      dataset: dataset.summary,
      bakeOff: { candidates: bakeOff.rows, winner: prepared.spec.id },
      tuning: {
        backbone: prepared.spec.id,
        strategy: `successive halving over ${tuning.trials.length} seeded random proposals (trial 1: seed rule)`,
        trials: tuning.trials,
        bestTrial: tuning.bestTrial,
        best: best.config,
        fineTune,
        refit: refit.decision,
        seconds: tuningSeconds
      },
      test: metrics,
      model: model3,
      budget: { seconds: options.budgetSeconds, usedSeconds, exhausted: usedSeconds >= options.budgetSeconds * 0.98 || tuning.trials.length < options.trials },
      timings,
      versions: { classifierCi: VERSION, tfjs: tf6.version.tfjs, node: process.versions.node, sharp: sharp2.versions.sharp ?? "unknown" }
    };
    RunResult.parse(result);
    await writeFileAtomic(join4(options.outDir, "result.json"), JSON.stringify(result, null, 2) + "\n");
    return result;
  } finally {
    prepared.extractor?.dispose();
  }
}
function displayPath(path) {
  const rel = relative2(process.cwd(), resolve(path));
  return rel && !rel.startsWith("..") ? rel : resolve(path);
}
export {
  resolveBackbones,
  train2 as train
};
