import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  wilsonInterval
} from "./chunk-7BFTRFSG.js";
import {
  InputError,
  explainWriteError,
  writeFileAtomic
} from "./chunk-U2O33TCJ.js";

// src/core/dataset/augment-policy.ts
var AUGMENTATIONS = ["crop", "flip", "colour", "rotate"];
var AUGMENT_POLICY = {
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
  minViewShare: 0.25
};
function parseAugment(text, name = "--augment") {
  const value = text.trim().toLowerCase();
  if (value === "auto" || value === "off") return value;
  const names = value.split(",").map((n) => n.trim());
  const unknown = names.filter((n) => !AUGMENTATIONS.includes(n));
  if (!names.length || unknown.length) {
    throw new InputError(
      `${name} must be auto, off, or a comma-separated list of ${AUGMENTATIONS.join(", ")}; got "${text}"${unknown.length ? ` (unknown: ${unknown.join(", ")})` : ""}.`,
      "augment"
    );
  }
  return [...new Set(names)];
}
function planAugmentations(setting = "auto") {
  if (setting === "off") return { augmentations: [], checkFlip: false, rule: "augmentation off (--augment off)" };
  if (setting === "auto")
    return {
      augmentations: [...AUGMENTATIONS],
      checkFlip: true,
      rule: "auto: crop, colour and rotate; flip only when the head scores flipped validation images within the 95% interval of its accuracy on them as they are"
    };
  return { augmentations: setting, checkFlip: false, rule: `as asked (--augment ${setting.join(",")})` };
}
function flipRule(plainAccuracy, flippedAccuracy, images) {
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const low = wilsonInterval(Math.round(plainAccuracy * images), images).low;
  const allowed = flippedAccuracy >= low;
  const scores = `flipped validation images score ${pct(flippedAccuracy)} against ${pct(plainAccuracy)} as they are (95% interval from ${pct(low)})`;
  return {
    allowed,
    plainAccuracy,
    flippedAccuracy,
    reason: allowed ? `flip on: ${scores}` : `flip off: ${scores}, so a mirror image is not the same class here (text, digits or asymmetric things)`
  };
}

// src/core/embeddings/cache.ts
import { createHash, randomBytes } from "node:crypto";
import { copyFile, link, mkdir, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
var MAGIC = 826622787;
var HEADER_BYTES = 12;
function checksum(bytes) {
  let hash = 2166136261;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 16777619);
  return hash >>> 0;
}
function encodeEmbedding(vector) {
  const payload = new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, vector.length, true);
  view.setUint32(8, checksum(payload), true);
  out.set(payload, HEADER_BYTES);
  return out;
}
function decodeEmbedding(bytes, expectedDim) {
  if (bytes.length < HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return null;
  const dim = view.getUint32(4, true);
  if (expectedDim !== void 0 && dim !== expectedDim) return null;
  if (bytes.length !== HEADER_BYTES + dim * 4) return null;
  const payload = bytes.slice(HEADER_BYTES);
  if (checksum(payload) !== view.getUint32(8, true)) return null;
  return new Float32Array(payload.buffer, payload.byteOffset, dim);
}
async function adoptFile(source, path, madeDirs) {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    if (!madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      madeDirs.add(dir);
    }
    await link(source, temp).catch(() => copyFile(source, temp));
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw explainWriteError(error, path);
  }
}
function openEmbeddingStore(cacheDir, backboneKey, dim) {
  const dir = join(cacheDir, "embeddings", createHash("sha256").update(backboneKey).digest("hex").slice(0, 16));
  const pathOf = (sha) => join(dir, sha.slice(0, 2), `${sha}.emb`);
  let corrupt = 0;
  const madeDirs = /* @__PURE__ */ new Set();
  return {
    get corrupt() {
      return corrupt;
    },
    async get(sha) {
      let bytes;
      try {
        bytes = await readFile(pathOf(sha));
      } catch {
        return null;
      }
      const vector = decodeEmbedding(bytes, dim);
      if (!vector) corrupt++;
      return vector;
    },
    async put(sha, vector) {
      await writeFileAtomic(pathOf(sha), encodeEmbedding(vector));
    },
    files: (sha) => [pathOf(sha)],
    adopt(sha, files) {
      if (files.length !== 1) throw new Error(`Cannot adopt an entry of ${files.length} files into a store of one.`);
      return adoptFile(files[0], pathOf(sha), madeDirs);
    }
  };
}
function openPartedStore(cacheDir, parts) {
  const stores = parts.map((p) => ({ store: openEmbeddingStore(cacheDir, p.cacheKey, p.dim), dim: p.dim }));
  const total = parts.reduce((sum, p) => sum + p.dim, 0);
  return {
    get corrupt() {
      return stores.reduce((sum, s) => sum + s.store.corrupt, 0);
    },
    async get(sha) {
      const vector = new Float32Array(total);
      let offset = 0;
      for (const { store, dim } of stores) {
        const part = await store.get(sha);
        if (!part) return null;
        vector.set(part, offset);
        offset += dim;
      }
      return vector;
    },
    async put(sha, vector) {
      let offset = 0;
      for (const { store, dim } of stores) {
        await store.put(sha, vector.slice(offset, offset + dim));
        offset += dim;
      }
    },
    files: (sha) => stores.flatMap(({ store }) => store.files(sha)),
    async adopt(sha, files) {
      if (files.length !== stores.length) throw new Error(`Cannot adopt an entry of ${files.length} files into a store of ${stores.length}.`);
      for (let i = 0; i < stores.length; i++) await stores[i].store.adopt(sha, [files[i]]);
    }
  };
}

export {
  openEmbeddingStore,
  openPartedStore,
  AUGMENT_POLICY,
  parseAugment,
  planAugmentations,
  flipRule
};
