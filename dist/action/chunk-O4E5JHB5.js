import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  InputError,
  explainWriteError
} from "./chunk-U2O33TCJ.js";

// src/core/backbones/source.ts
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { get as httpsGet } from "node:https";
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from "node:path";
import { pipeline } from "node:stream/promises";
var DOWNLOAD_LIMITS = { maxFileBytes: 512 * 1024 ** 2, maxTotalBytes: 1024 ** 3, maxRedirects: 3, timeoutMs: 3e5 };
var OFFLINE_HINT = "Without network access, use a built-in backbone (mobilenet_v2, inception_v3, hog, small_cnn) or a local model.json path.";
var FILES_RECORD = ".files.json";
var WEIGHT_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;
function isOnnxSource(source) {
  const path = /^https:\/\//i.test(source) ? new URL(source).pathname : source;
  return /\.onnx$/i.test(path);
}
function isPlainWeightPath(path) {
  return typeof path === "string" && path.length <= 1024 && path.split("/").every((segment) => WEIGHT_SEGMENT.test(segment));
}
function unsafePathError(model3, path) {
  return new InputError(
    `${model3} lists weight file ${JSON.stringify(path)}, which is not a plain relative name inside its folder (letters, digits, ".", "_", "-" and "/" only; no "..", no absolute paths). Refused.`,
    model3
  );
}
async function resolveWeightFile(dir, path, modelJson) {
  if (!isPlainWeightPath(path)) throw unsafePathError(modelJson, path);
  const [realDir, realFile] = await Promise.all([realpath(dir), realpath(join(dir, path))]).catch((error) => {
    if (error.code === "ENOENT") throw new InputError(`${modelJson} lists weight file "${path}", which is missing next to it.`, modelJson);
    throw error;
  });
  const inside = relative(realDir, realFile);
  if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside)) {
    throw new InputError(
      `${modelJson} lists weight file "${path}", a symbolic link that leads out of the model's folder. Refused; copy the file into the folder instead.`,
      modelJson
    );
  }
  return realFile;
}
function weightPaths(json, model3) {
  const manifest = json?.weightsManifest;
  if (!Array.isArray(manifest) || manifest.some((g) => !g || !Array.isArray(g.paths))) {
    throw new InputError(`${model3} is not a TF.js model.json (it needs modelTopology and weightsManifest).`, model3);
  }
  return manifest.flatMap((g) => g.paths);
}
function sha256Hex(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}
async function sha256File(file) {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}
function pinError(source, what, actual, pin) {
  return new InputError(
    `Backbone ${source}: ${what} has sha256 ${actual}, not the pinned ${pin}. The file changed, or the pin is wrong; it was not used.`,
    source
  );
}
async function loadModelSource(source, cacheDir, options = {}) {
  if (/^http:\/\//i.test(source))
    throw new InputError(`Backbone "${source}": plain http:// is refused (anyone on the way could swap the weights); use https://.`, source);
  const isUrl = /^https:\/\//i.test(source);
  const onnx = isOnnxSource(source);
  const dir = isUrl ? await downloadModel(source, cacheDir, options, onnx) : dirname(resolve(source));
  const mainFile = isUrl ? join(dir, onnx ? "model.onnx" : "model.json") : resolve(source);
  const displayName = isUrl ? onnx ? basename(new URL(source).pathname).replace(/\.onnx$/i, "") : new URL(source).pathname.split("/").filter(Boolean).slice(-2, -1)[0] ?? "model" : onnx ? basename(source).replace(/\.onnx$/i, "") : basename(dirname(resolve(source)));
  if (onnx) return onnxSource(source, mainFile, dir, displayName, options.sha256);
  return tfjsSource(source, mainFile, dir, displayName, options.sha256);
}
async function onnxSource(source, path, dir, displayName, pin) {
  const file = await realpath(path).catch(() => {
    throw new InputError(`Backbone model "${source}" was not found. Check the path to its .onnx file.`, source);
  });
  const sha256 = await sha256File(file).catch((error) => {
    throw new InputError(`Backbone model "${source}" could not be read (${error.code ?? error.message}). Give the path to an .onnx file.`, source);
  });
  if (pin && sha256 !== pin) throw pinError(source, "the .onnx file", sha256, pin);
  return { kind: "onnx", file, contentHash: sha256.slice(0, 24), sha256, displayName, dir };
}
async function tfjsSource(source, jsonPath, dir, displayName, pin) {
  let bytes;
  let json;
  try {
    bytes = await readFile(jsonPath);
    json = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    const code = error.code;
    throw new InputError(
      code === "ENOENT" ? `Backbone model "${source}" was not found. Check the path to its model.json.` : `Backbone model "${source}" is not valid JSON (${error.message}).`,
      source
    );
  }
  const sha256 = sha256Hex(bytes);
  if (pin && sha256 !== pin) throw pinError(source, "model.json", sha256, pin);
  if (!json || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new InputError(`Backbone model "${source}" is not a TF.js model.json (it needs modelTopology and weightsManifest).`, source);
  }
  const hash = createHash("sha256").update(JSON.stringify(json));
  const buffers = [];
  for (const path of weightPaths(json, jsonPath)) {
    const data = await readFile(await resolveWeightFile(dir, path, jsonPath));
    hash.update(data);
    buffers.push(data);
  }
  const weights = Buffer.concat(buffers);
  return {
    kind: json.format === "graph-model" ? "graph" : "layers",
    dir,
    contentHash: hash.digest("hex").slice(0, 24),
    sha256,
    displayName,
    artifacts: {
      modelTopology: json.modelTopology,
      format: json.format,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      signature: json.signature,
      userDefinedMetadata: json.userDefinedMetadata,
      modelInitializer: json.modelInitializer
    }
  };
}
function size(bytes) {
  return bytes >= 1024 ** 2 ? `${Math.round(bytes / 1024 ** 2)} MiB` : `${bytes.toLocaleString("en")} bytes`;
}
function request(url, download, signal) {
  return new Promise((resolvePromise, reject) => {
    const req = httpsGet(url, { ca: download.ca, signal, headers: { "user-agent": "classifier-ci" } }, resolvePromise);
    req.on("error", reject);
  });
}
function downloadError(error, what, url, download) {
  if (error instanceof InputError) return error;
  const e = error;
  const cause = e.name === "AbortError" || e.code === "ABORT_ERR" ? `no complete answer within ${download.limits.timeoutMs / 1e3} s` : e.code ?? e.message;
  return new InputError(`Could not download backbone ${what} from ${url} (${cause}). ${OFFLINE_HINT}`, download.modelUrl);
}
async function downloadFile(url, dest, what, download) {
  const { limits, modelUrl } = download;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    let response;
    try {
      response = await request(current, download, signal);
    } catch (error) {
      throw downloadError(error, what, current.href, download);
    }
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      const next = new URL(response.headers.location, current);
      if (next.origin !== download.origin) {
        throw new InputError(
          `Backbone ${what} at ${current.href} redirects to ${next.origin}, another host or scheme; only redirects within ${download.origin} are followed. Use the final URL, or download the model and give its local path.`,
          modelUrl
        );
      }
      if (hop >= limits.maxRedirects)
        throw new InputError(`Backbone ${what} at ${url.href} redirects more than ${limits.maxRedirects} times. Use the final URL.`, modelUrl);
      current = next;
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new InputError(`Could not download backbone ${what} from ${current.href}: HTTP ${status}. ${OFFLINE_HINT}`, modelUrl);
    }
    const fileTooBig = () => new InputError(
      `Backbone ${what} at ${url.href} is larger than the ${size(limits.maxFileBytes)} allowed for one file. Download it yourself and give its local path.`,
      modelUrl
    );
    const modelTooBig = () => new InputError(
      `Backbone model ${modelUrl} is larger than the ${size(limits.maxTotalBytes)} allowed for one model. Download it yourself and give its local path.`,
      modelUrl
    );
    const declared = Number(response.headers["content-length"]);
    if (Number.isFinite(declared) && (declared > limits.maxFileBytes || download.totalBytes + declared > limits.maxTotalBytes)) {
      response.destroy();
      throw declared > limits.maxFileBytes ? fileTooBig() : modelTooBig();
    }
    const hash = createHash("sha256");
    let bytes = 0;
    try {
      await pipeline(
        response,
        async function* (chunks) {
          for await (const chunk of chunks) {
            bytes += chunk.length;
            if (bytes > limits.maxFileBytes) throw fileTooBig();
            if (download.totalBytes + bytes > limits.maxTotalBytes) throw modelTooBig();
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(dest),
        { signal }
      );
    } catch (error) {
      throw downloadError(error, what, current.href, download);
    }
    download.totalBytes += bytes;
    return { sha256: hash.digest("hex"), bytes, finalUrl: current };
  }
}
function shardUrl(path, modelJsonUrl, download) {
  if (!isPlainWeightPath(path)) throw unsafePathError(download.modelUrl, path);
  const folder = new URL(".", modelJsonUrl);
  const url = new URL(path, folder);
  if (url.origin !== download.origin || !decodeURIComponent(url.pathname).startsWith(decodeURIComponent(folder.pathname)))
    throw unsafePathError(download.modelUrl, path);
  return url;
}
async function cacheEntryIntact(dir, pin) {
  try {
    const record = JSON.parse(await readFile(join(dir, FILES_RECORD), "utf8"));
    if (!Array.isArray(record.files) || record.files.length === 0) return false;
    if (pin && record.files[0].sha256 !== pin) return false;
    for (const file of record.files) {
      if (!isPlainWeightPath(file.path)) return false;
      if (await sha256File(join(dir, file.path)) !== file.sha256) return false;
    }
    return true;
  } catch {
    return false;
  }
}
async function downloadModel(url, cacheDir, options, onnx, attempt = 0) {
  const dir = join(cacheDir, "backbones", createHash("sha256").update(url).digest("hex").slice(0, 20));
  if (await stat(join(dir, ".complete")).catch(() => null)) {
    if (await cacheEntryIntact(dir, options.sha256)) return dir;
    await rm(dir, { recursive: true, force: true });
  }
  const download = { modelUrl: url, origin: new URL(url).origin, ca: options.ca, limits: { ...DOWNLOAD_LIMITS, ...options.limits }, totalBytes: 0 };
  const temp = `${dir}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await mkdir(temp, { recursive: true });
  try {
    const mainName = onnx ? "model.onnx" : "model.json";
    const main = await downloadFile(new URL(url), join(temp, mainName), mainName, download);
    if (options.sha256 && main.sha256 !== options.sha256) throw pinError(url, mainName, main.sha256, options.sha256);
    const record = { url, files: [{ path: mainName, sha256: main.sha256, bytes: main.bytes }] };
    if (!onnx) {
      let json;
      try {
        json = JSON.parse(await readFile(join(temp, mainName), "utf8"));
      } catch {
        throw new InputError(`The backbone URL ${url} did not return a model.json (not JSON). Point to the model.json of a TF.js model.`, url);
      }
      for (const path of weightPaths(json, url)) {
        if (!isPlainWeightPath(path)) throw unsafePathError(url, path);
        const from = shardUrl(path, main.finalUrl, download);
        await mkdir(dirname(join(temp, path)), { recursive: true });
        const shard = await downloadFile(from, join(temp, path), `weights "${path}"`, download);
        record.files.push({ path, sha256: shard.sha256, bytes: shard.bytes });
      }
    }
    await writeFile(join(temp, FILES_RECORD), JSON.stringify(record, null, 2));
    await writeFile(join(temp, ".complete"), "");
    await mkdir(dirname(dir), { recursive: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  try {
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (await stat(join(dir, ".complete")).catch(() => null) && await cacheEntryIntact(dir, options.sha256)) return dir;
    if (attempt > 0) throw explainWriteError(error, dir);
    await rm(dir, { recursive: true, force: true });
    return downloadModel(url, cacheDir, options, onnx, attempt + 1);
  }
  return dir;
}

// src/core/backbones/zoo.ts
import * as tf2 from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import { dirname as dirname2, join as join2 } from "node:path";

// src/core/backbones/hog.ts
import * as tf from "@tensorflow/tfjs";

// src/core/dataset/decode.ts
import { open } from "node:fs/promises";
import sharp from "sharp";

// src/core/dataset/enlarge.ts
var SHIFT = 12;
var ONE = 1 << SHIFT;
var HALF = ONE >> 1;
var STEPS = 64;
var DISPLACEMENT = 0.5;
var WEIGHTS = Array.from({ length: STEPS + 1 }, (_, step) => {
  const t = Math.fround(step / STEPS);
  const cr1 = 1 - t;
  const cr2 = -0.5 * t;
  const cr3 = cr1 * cr2;
  const w0 = cr1 * cr3;
  const w3 = t * cr3;
  const cr4 = w3 - w0;
  const w1 = cr1 - w0 + cr4;
  const w2 = t - w3 - cr4;
  return Int32Array.from([w0, w1, w2, w3], (w) => Math.trunc(w * ONE));
});
function taps(inputLength, size2, inverse, accumulate) {
  const index = new Int32Array(size2 * 4);
  const weight = new Int32Array(size2 * 4);
  const padded = (scaled) => scaled - (DISPLACEMENT - 1) + 1;
  let position = padded(0);
  for (let o = 0; o < size2; o++) {
    const at = accumulate ? position : padded(inverse * o);
    const halfSteps = Math.trunc(at * STEPS * 2);
    const step = (halfSteps & STEPS * 2 - 1) + 1 >> 1;
    const first = Math.trunc(at) - 3;
    for (let k = 0; k < 4; k++) {
      index[o * 4 + k] = Math.min(inputLength - 1, Math.max(0, first + k));
      weight[o * 4 + k] = WEIGHTS[step][k];
    }
    if (accumulate) position += inverse;
  }
  return { index, weight };
}
function enlarge(pixels, width, height, channels, size2) {
  if (width > size2 || height > size2) throw new RangeError(`enlarge: ${width}\xD7${height} is bigger than ${size2}\xD7${size2}`);
  if (width === size2 && height === size2) return pixels;
  const across = 1 / (width / size2);
  const down = 1 / (height / size2);
  const inverseDeterminant = 1 / (across * down);
  const columns = taps(width, size2, inverseDeterminant * down, true);
  const rows = taps(height, size2, inverseDeterminant * across, false);
  const rowBytes = size2 * channels;
  const wide = new Int32Array(height * rowBytes);
  for (let y = 0; y < height; y++) {
    const from = y * width * channels;
    const to = y * rowBytes;
    for (let x = 0; x < size2; x++) {
      const t = x * 4;
      const a = from + columns.index[t] * channels;
      const b = from + columns.index[t + 1] * channels;
      const c = from + columns.index[t + 2] * channels;
      const d = from + columns.index[t + 3] * channels;
      const wa = columns.weight[t];
      const wb = columns.weight[t + 1];
      const wc = columns.weight[t + 2];
      const wd = columns.weight[t + 3];
      for (let ch = 0; ch < channels; ch++) {
        wide[to + x * channels + ch] = wa * pixels[a + ch] + wb * pixels[b + ch] + wc * pixels[c + ch] + wd * pixels[d + ch] + HALF >> SHIFT;
      }
    }
  }
  const out = new Uint8ClampedArray(size2 * rowBytes);
  for (let y = 0; y < size2; y++) {
    const t = y * 4;
    const a = rows.index[t] * rowBytes;
    const b = rows.index[t + 1] * rowBytes;
    const c = rows.index[t + 2] * rowBytes;
    const d = rows.index[t + 3] * rowBytes;
    const wa = rows.weight[t];
    const wb = rows.weight[t + 1];
    const wc = rows.weight[t + 2];
    const wd = rows.weight[t + 3];
    const to = y * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      out[to + i] = wa * wide[a + i] + wb * wide[b + i] + wc * wide[c + i] + wd * wide[d + i] + HALF >> SHIFT;
    }
  }
  return new Uint8Array(out.buffer);
}

// src/core/dataset/decode.ts
var RESIZE_MODE = "fill";
var DECODING_KEY = `${RESIZE_MODE}|libvips-${sharp.versions.vips}`;
var DecodeError = class extends Error {
  name = "DecodeError";
};
sharp.concurrency(0);
var SUPPORTED_FORMATS = /* @__PURE__ */ new Set(["jpeg", "png", "webp", "gif", "heif", "tiff"]);
var SUPPORTED_LIST = "JPEG, PNG, WebP, GIF, AVIF, TIFF";
async function decodeToRgb(input2, size2, maxPixels) {
  const { head, source } = await readInput(input2);
  const format = signatureFormat(head);
  const path = typeof input2 === "string" ? input2 : null;
  const quirky = path !== null && tolerated.has(path);
  try {
    return await gate.shared(() => decode(source, format, size2, maxPixels, quirky ? "error" : "warning"));
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    return gate.alone(() => diagnose(source, format, size2, maxPixels, path));
  }
}
var WHOLE_FILE_BYTES = 8 * 1024 * 1024;
async function readInput(input2) {
  if (typeof input2 !== "string") return { head: input2.subarray(0, SIGNATURE_BYTES), source: input2 };
  try {
    const file = await open(input2, "r");
    try {
      const { size: size2 } = await file.stat();
      if (size2 <= WHOLE_FILE_BYTES) {
        const bytes = await file.readFile();
        return { head: bytes.subarray(0, SIGNATURE_BYTES), source: bytes };
      }
      const head = new Uint8Array(SIGNATURE_BYTES);
      const { bytesRead } = await file.read(head, 0, SIGNATURE_BYTES, 0);
      return { head: head.subarray(0, bytesRead), source: input2 };
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new DecodeError(`could not be read (${messageOf(error).split("\n")[0]}); check the file or remove it`);
  }
}
var SIGNATURE_BYTES = 64;
var HEIF_BRANDS = /* @__PURE__ */ new Set(["avif", "avis", "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"]);
var ascii = (head, from, to) => String.fromCharCode(...head.subarray(from, to));
var startsWith = (head, bytes, at = 0) => bytes.every((b, i) => head[at + i] === b);
function formatFromSignature(head) {
  if (startsWith(head, [255, 216, 255])) return "jpeg";
  if (startsWith(head, [137, 80, 78, 71, 13, 10, 26, 10])) return "png";
  if (/^GIF8[79]a$/.test(ascii(head, 0, 6))) return "gif";
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 12) === "WEBP") return "webp";
  if ([
    [73, 73, 42, 0],
    [77, 77, 0, 42],
    [73, 73, 43, 0],
    [77, 77, 0, 43]
  ].some((sig) => startsWith(head, sig)))
    return "tiff";
  if (head.length >= 12 && ascii(head, 4, 8) === "ftyp") {
    const boxEnd = Math.min(head.length, new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0));
    const brands = [ascii(head, 8, 12)];
    for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(head, at, at + 4));
    if (brands.some((brand) => HEIF_BRANDS.has(brand))) return "heif";
  }
  return null;
}
function signatureFormat(head) {
  const format = formatFromSignature(head);
  if (format) return format;
  const start = ascii(head, 0, head.length).replace(/^(\u00ef\u00bb\u00bf)?\s*/, "");
  if (/^<(\?xml|svg|!DOCTYPE svg)/i.test(start))
    throw new DecodeError(`the contents are SVG, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  if (startsWith(head, [8, 242, 166, 182]) || startsWith(head, [182, 166, 242, 8])) {
    throw new DecodeError(`the contents are VIPS, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`);
  }
  throw new DecodeError(`not a readable image: the contents are not a supported format (${SUPPORTED_LIST})`);
}
async function decode(input2, format, size2, maxPixels, failOn) {
  const header = await sharp(input2, { limitInputPixels: false, pages: 1 }).metadata();
  if (!SUPPORTED_FORMATS.has(header.format ?? "")) {
    throw new DecodeError(
      `the contents are ${String(header.format ?? "unknown").toUpperCase()}, which is not a supported format (${SUPPORTED_LIST}); convert it or remove it`
    );
  }
  if (header.format !== format) {
    throw new DecodeError(`the file starts like ${format.toUpperCase()} but decodes as ${String(header.format).toUpperCase()}; re-export or remove it`);
  }
  const { width = 0, height = 0 } = header;
  if (width * height > maxPixels) {
    throw new DecodeError(
      `image is larger than ${maxPixels.toLocaleString("en")} pixels (it declares ${width}\xD7${height} = ${(width * height).toLocaleString("en")}; possible decompression bomb); downscale it, or raise the pixel cap (max-pixels) if it is legitimate`
    );
  }
  const enlarging = header.depth === "uchar" && (header.orientation ?? 1) === 1 && width <= size2 && height <= size2;
  const { data, info } = await decodePixels(input2, enlarging ? null : size2, maxPixels, failOn);
  const rgb = toRgb(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels);
  return enlarging ? enlarge(rgb, info.width, info.height, 3, size2) : rgb;
}
async function diagnose(input2, format, size2, maxPixels, path) {
  try {
    return await decode(input2, format, size2, maxPixels, "warning");
  } catch (strict) {
    if (strict instanceof DecodeError) throw strict;
    if (DAMAGE_WARNINGS.test(messageOf(strict))) throw new DecodeError(explainDecodeFailure(strict, maxPixels));
    try {
      const pixels = await decode(input2, format, size2, maxPixels, "error");
      if (path !== null) tolerated.add(path);
      return pixels;
    } catch (error) {
      throw error instanceof DecodeError ? error : new DecodeError(explainDecodeFailure(error, maxPixels));
    }
  }
}
var tolerated = /* @__PURE__ */ new Set();
var DecodeGate = class {
  active = 0;
  closed = null;
  onIdle = [];
  async shared(work) {
    while (this.closed) await this.closed;
    this.active++;
    try {
      return await work();
    } finally {
      if (--this.active === 0) for (const wake of this.onIdle.splice(0)) wake();
    }
  }
  async alone(work) {
    while (this.closed) await this.closed;
    let open2;
    this.closed = new Promise((resolve2) => open2 = resolve2);
    try {
      if (this.active > 0) await new Promise((resolve2) => this.onIdle.push(resolve2));
      return await work();
    } finally {
      this.closed = null;
      open2();
    }
  }
};
var gate = new DecodeGate();
var DAMAGE_WARNINGS = /corrupt jpeg data: (bad huffman code|bad arithmetic code|premature end of data segment|found marker)|premature end of jpeg|inconsistent progression/i;
function decodePixels(input2, size2, maxPixels, failOn) {
  const image = sharp(input2, { limitInputPixels: maxPixels, failOn, animated: false, pages: 1 }).rotate().flatten({ background: "#ffffff" }).toColourspace("srgb");
  if (size2 !== null) image.resize(size2, size2, { fit: RESIZE_MODE, kernel: "lanczos3" });
  return image.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
}
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
function toRgb(data, channels) {
  if (channels === 3) return data;
  const pixels = data.length / channels;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const grey = channels < 3;
    rgb[i * 3] = data[i * channels];
    rgb[i * 3 + 1] = data[i * channels + (grey ? 0 : 1)];
    rgb[i * 3 + 2] = data[i * channels + (grey ? 0 : 2)];
  }
  return rgb;
}
function explainDecodeFailure(error, maxPixels) {
  const message = messageOf(error);
  if (/pixel limit/i.test(message)) {
    return `image is larger than ${maxPixels.toLocaleString("en")} pixels (possible decompression bomb); downscale it, or raise the pixel cap (max-pixels) if it is legitimate`;
  }
  if (/unsupported image format/i.test(message)) return `not a readable image: the contents are not a supported format (${SUPPORTED_LIST})`;
  if (/premature end|truncated|corrupt|bad|invalid|incomplete|unexpected end|read error/i.test(message)) {
    return `damaged image (${message.split("\n")[0].trim()}); re-export or remove it`;
  }
  return `could not be decoded (${message.split("\n")[0].trim()}); re-export or remove it`;
}

// src/core/backbones/hog.ts
var HOG = "hog";
var HOG_DEFAULT_SIZE = 32;
var HOG_CELL = 4;
var HOG_DIRECTIONS = 8;
var EDGE_SCALE = 0.05;
var LUMA = [0.299, 0.587, 0.114];
function hogKernel() {
  const kernel = new Float32Array(3 * 3 * 3 * HOG_DIRECTIONS);
  const at = (row, col, channel, direction) => ((row * 3 + col) * 3 + channel) * HOG_DIRECTIONS + direction;
  for (let d = 0; d < HOG_DIRECTIONS; d++) {
    const angle = 2 * Math.PI * d / HOG_DIRECTIONS;
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    for (let c = 0; c < 3; c++) {
      const w = LUMA[c] / EDGE_SCALE;
      kernel[at(1, 2, c, d)] += cos * w;
      kernel[at(1, 0, c, d)] -= cos * w;
      kernel[at(2, 1, c, d)] += sin * w;
      kernel[at(0, 1, c, d)] -= sin * w;
    }
  }
  return kernel;
}
function buildHogModel(size2) {
  const input2 = tf.input({ shape: [size2, size2, 3], name: "input" });
  const conv = tf.layers.conv2d({ filters: HOG_DIRECTIONS, kernelSize: 3, padding: "same", useBias: false, trainable: false, name: "hog_gradients" });
  let edges = conv.apply(input2);
  edges = tf.layers.reLU({ name: "hog_relu" }).apply(edges);
  const cells = tf.layers.averagePooling2d({ poolSize: HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_cells" }).apply(edges);
  const padded = tf.layers.zeroPadding2d({ padding: HOG_CELL / 2, name: "hog_block_pad" }).apply(edges);
  const blocks = tf.layers.averagePooling2d({ poolSize: 2 * HOG_CELL, strides: HOG_CELL, padding: "valid", name: "hog_blocks" }).apply(padded);
  let x = tf.layers.concatenate({ name: "hog_scales" }).apply([cells, blocks]);
  x = tf.layers.activation({ activation: "softsign", name: "hog_compress" }).apply(x);
  x = tf.layers.flatten({ name: "hog_features" }).apply(x);
  const model3 = tf.model({ inputs: input2, outputs: x, name: "hog" });
  tf.tidy(() => conv.setWeights([tf.tensor4d(hogKernel(), [3, 3, 3, HOG_DIRECTIONS])]));
  return model3;
}
function hogCacheKey(size2) {
  return `hog-v2|${size2}|cell${HOG_CELL}|dir${HOG_DIRECTIONS}|scale${EDGE_SCALE}|${DECODING_KEY}`;
}
function hogDisplayName(size2) {
  const cells = Math.floor(size2 / HOG_CELL);
  return `HOG (${cells}\xD7${cells} cells) @${size2}`;
}

// src/core/backbones/keras-topology.ts
function inboundNames(layer) {
  const names = [];
  for (const node of layer.inbound_nodes) {
    for (const ref of node) names.push(ref[0]);
  }
  return names;
}
function ancestorsOf(layers3, layer) {
  const byName = new Map(layers3.map((l) => [l.name, l]));
  if (!byName.has(layer)) throw new Error(`layer "${layer}" is not in the model`);
  const found = /* @__PURE__ */ new Set();
  const stack = [layer];
  while (stack.length) {
    const name = stack.pop();
    if (found.has(name)) continue;
    found.add(name);
    stack.push(...inboundNames(byName.get(name)));
  }
  return found;
}
function cutTopology(topology, cutLayer, inputSize) {
  const copy = structuredClone(topology);
  const config = copy.model_config.config;
  const byName = new Map(config.layers.map((l) => [l.name, l]));
  const keep = ancestorsOf(config.layers, cutLayer);
  config.layers = config.layers.filter((l) => keep.has(l.name));
  config.output_layers = [[cutLayer, 0, 0]];
  const inputName = config.input_layers[0][0];
  const input2 = byName.get(inputName);
  input2.config.batch_input_shape = [null, inputSize, inputSize, 3];
  return copy;
}
var STD_POOL_EPSILON = 1e-6;
var stdPoolName = (tap) => `tap_std_${tap}`;
function stdPoolLayers(tap) {
  const normalised = `tap_std_norm_${tap}`;
  const product = `tap_std_product_${tap}`;
  const pooled = stdPoolName(tap);
  return [
    {
      name: normalised,
      class_name: "LayerNormalization",
      config: { name: normalised, trainable: false, axis: [1, 2], epsilon: STD_POOL_EPSILON, center: false, scale: false },
      inbound_nodes: [[[tap, 0, 0, {}]]]
    },
    {
      name: product,
      class_name: "Multiply",
      config: { name: product, trainable: false },
      inbound_nodes: [
        [
          [tap, 0, 0, {}],
          [normalised, 0, 0, {}]
        ]
      ]
    },
    {
      name: pooled,
      class_name: "GlobalAveragePooling2D",
      config: { name: pooled, trainable: false, data_format: "channels_last" },
      inbound_nodes: [[[product, 0, 0, {}]]]
    }
  ];
}
var GRID_POOL_SIDE = 2;
var gridPoolName = (tap) => `tap_grid_${tap}`;
function averagePoolingLayer(name, from, side, padding) {
  return {
    name,
    class_name: "AveragePooling2D",
    config: { name, trainable: false, pool_size: [side, side], strides: [side, side], padding, data_format: "channels_last" },
    inbound_nodes: [[[from, 0, 0, {}]]]
  };
}
function gridPoolLayers(tap) {
  const averaged = `tap_grid_average_${tap}`;
  const flat = gridPoolName(tap);
  return [
    // 'same': an odd side keeps its last row and column, averaged over what is there.
    averagePoolingLayer(averaged, tap, GRID_POOL_SIDE, "same"),
    {
      name: flat,
      class_name: "Flatten",
      config: { name: flat, trainable: false, data_format: "channels_last" },
      inbound_nodes: [[[averaged, 0, 0, {}]]]
    }
  ];
}
var pooledTapName = (tap, pooling) => pooling === "grid" ? gridPoolName(tap) : stdPoolName(tap);
var poolLayers = (tap, pooling) => pooling === "grid" ? gridPoolLayers(tap) : stdPoolLayers(tap);
function withPooledTaps(topology, taps2) {
  const copy = structuredClone(topology);
  copy.model_config.config.layers.push(...taps2.flatMap((tap) => poolLayers(tap.layer, tap.pooling)));
  return copy;
}
function tapsTopology(topology, taps2, inputSize, pooling) {
  const config = topology.model_config.config;
  const names = new Set(config.layers.map((l) => l.name));
  const missing = taps2.find((t) => !names.has(t));
  if (missing) throw new Error(`layer "${missing}" is not in the model`);
  const keep = new Set(taps2.flatMap((tap) => cutTopology(topology, tap, inputSize).model_config.config.layers.map((l) => l.name)));
  const copy = cutTopology(topology, taps2[taps2.length - 1], inputSize);
  const out = copy.model_config.config;
  out.layers = structuredClone(config.layers.filter((l) => keep.has(l.name)));
  const input2 = out.layers.find((l) => l.name === out.input_layers[0][0]);
  input2.config.batch_input_shape = [null, inputSize, inputSize, 3];
  out.layers.push(...taps2.flatMap((tap) => poolLayers(tap, pooling)));
  if (taps2.length === 1) {
    out.output_layers = [[pooledTapName(taps2[0], pooling), 0, 0]];
    return copy;
  }
  out.layers.push({
    name: "taps_concat",
    class_name: "Concatenate",
    config: { name: "taps_concat", trainable: true, axis: -1 },
    inbound_nodes: [taps2.map((tap) => [pooledTapName(tap, pooling), 0, 0, {}])]
  });
  out.output_layers = [["taps_concat", 0, 0]];
  return copy;
}
function appendLayer(topology, className, name, layerConfig) {
  const config = topology.model_config.config;
  const [from] = config.output_layers[0];
  config.layers.push({
    name,
    class_name: className,
    config: { name, trainable: true, ...layerConfig },
    inbound_nodes: [[[from, 0, 0, {}]]]
  });
  config.output_layers = [[name, 0, 0]];
  return topology;
}
function insertAfterInput(topology, className, name, layerConfig) {
  const config = topology.model_config.config;
  const inputName = config.input_layers[0][0];
  for (const layer of config.layers) {
    for (const node of layer.inbound_nodes) {
      for (const ref of node) if (ref[0] === inputName) ref[0] = name;
    }
  }
  const index = config.layers.findIndex((l) => l.name === inputName);
  config.layers.splice(index + 1, 0, {
    name,
    class_name: className,
    config: { name, trainable: false, ...layerConfig },
    inbound_nodes: [[[inputName, 0, 0, {}]]]
  });
  return topology;
}
function inputTopology(name, shape) {
  return {
    keras_version: "2.2.4",
    backend: "tensorflow",
    model_config: {
      class_name: "Model",
      config: {
        name,
        layers: [
          { name: "input", class_name: "InputLayer", config: { batch_input_shape: shape, dtype: "float32", sparse: false, name: "input" }, inbound_nodes: [] }
        ],
        input_layers: [["input", 0, 0]],
        output_layers: [["input", 0, 0]]
      }
    }
  };
}
function topTopology(topology, cutLayer, cutShape) {
  const copy = structuredClone(topology);
  const config = copy.model_config.config;
  if (!config.layers.some((l) => l.name === cutLayer)) return null;
  const below = ancestorsOf(config.layers, cutLayer);
  const inputName = "top_input";
  const top = config.layers.filter((l) => !below.has(l.name));
  for (const layer of top) {
    for (const node of layer.inbound_nodes) {
      for (const ref of node) {
        if (ref[0] === cutLayer) ref[0] = inputName;
        else if (below.has(ref[0])) return null;
      }
    }
  }
  config.layers = [
    {
      name: inputName,
      class_name: "InputLayer",
      config: { batch_input_shape: [null, ...cutShape], dtype: "float32", sparse: false, name: inputName },
      inbound_nodes: []
    },
    ...top
  ];
  config.input_layers = [[inputName, 0, 0]];
  config.name = `${config.name}_top`;
  return copy;
}
function topologyOf(model3) {
  const json = model3.toJSON(null, false);
  return { keras_version: json.keras_version, backend: json.backend, model_config: { class_name: json.class_name, config: json.config } };
}

// src/core/onnx/keras-weights.ts
var BYTES = { float32: 4, int32: 4, uint8: 1, uint16: 2 };
function storedByteLength(spec) {
  const stored = spec.quantization?.dtype ?? spec.dtype;
  if (!BYTES[stored]) throw new Error(`weight "${spec.name}" is stored as ${stored}, whose size is unknown here`);
  return spec.shape.reduce((a, b) => a * b, 1) * BYTES[stored];
}
var KerasWeights = class _KerasWeights {
  constructor(byName) {
    this.byName = byName;
  }
  byName;
  static decode(specs, data) {
    const byName = /* @__PURE__ */ new Map();
    let offset = 0;
    for (const spec of specs) {
      const stored = spec.quantization?.dtype ?? spec.dtype;
      if (!BYTES[stored] || spec.dtype !== "float32") {
        throw new InputError(
          `Cannot convert weight "${spec.name}" to ONNX: ${spec.dtype} weights stored as ${stored} are not supported (float32, or float32 quantised to uint8/uint16).`,
          spec.name
        );
      }
      const length = storedByteLength(spec);
      if (offset + length > data.byteLength)
        throw new InputError(
          `Weight "${spec.name}" runs past the end of the weight data (${data.byteLength} bytes): the weight files are incomplete.`,
          spec.name
        );
      const slice = data.slice(offset, offset + length);
      offset += length;
      let values;
      if (stored === "float32") values = new Float32Array(slice);
      else {
        const { scale = 1, min = 0 } = spec.quantization;
        const quantised = stored === "uint8" ? new Uint8Array(slice) : new Uint16Array(slice);
        values = Float32Array.from(quantised, (v) => v * scale + min);
      }
      byName.set(spec.name, { shape: spec.shape, values });
    }
    return new _KerasWeights(byName);
  }
  /** These weights with some replaced, by Keras name `layer/kind` (e.g. a fine-tuned top block's). */
  withReplacements(replacements) {
    const byName = new Map(this.byName);
    for (const [name, tensor] of replacements) {
      const old = byName.get(name);
      if (!old) throw new Error(`cannot replace weight ${name}: the model has no such weight`);
      if (old.shape.join("\xD7") !== tensor.shape.join("\xD7"))
        throw new Error(`cannot replace weight ${name}: shape ${tensor.shape.join("\xD7")} instead of ${old.shape.join("\xD7")}`);
      byName.set(name, tensor);
    }
    return new _KerasWeights(byName);
  }
  /** Weight `kind` (kernel, bias, gamma, …) of `layer`; Keras names them `layer/kind`. */
  get(layer, kind) {
    const weight = this.find(layer, kind);
    if (!weight) throw new InputError(`Cannot convert layer "${layer}" to ONNX: its weight "${layer}/${kind}" is missing from the weights manifest.`, layer);
    return weight;
  }
  find(layer, kind) {
    return this.byName.get(`${layer}/${kind}`) ?? this.byName.get(`${layer}/${kind}:0`);
  }
  /** Number of weights stored for `layer` (all kinds), for parameter counts. */
  countFor(layer) {
    let count = 0;
    for (const [name, tensor] of this.byName) if (name.startsWith(`${layer}/`)) count += tensor.values.length;
    return count;
  }
};

// src/core/backbones/half-scale.ts
var HALF_SCALE_PREFIX = "half_";
var halfScale = (layer) => `${HALF_SCALE_PREFIX}${layer}`;
var isHalfScale = (layer) => layer.startsWith(HALF_SCALE_PREFIX);
var POOLED_INPUT = `${HALF_SCALE_PREFIX}input_pooled`;
function copiedLayers(topology, upTo) {
  const config = topology.model_config.config;
  const copied = new Set(upTo.flatMap((layer) => [...ancestorsOf(config.layers, layer)]));
  copied.delete(config.input_layers[0][0]);
  return copied;
}
function withHalfScaleBranch(topology, upTo) {
  const copy = structuredClone(topology);
  const config = copy.model_config.config;
  const inputName = config.input_layers[0][0];
  const copied = copiedLayers(topology, upTo);
  config.layers.push(averagePoolingLayer(POOLED_INPUT, inputName, 2, "valid"));
  for (const layer of topology.model_config.config.layers) {
    if (!copied.has(layer.name)) continue;
    const twin = structuredClone(layer);
    twin.name = halfScale(layer.name);
    twin.config = { ...twin.config, name: twin.name };
    for (const node of twin.inbound_nodes) {
      for (const ref of node) ref[0] = ref[0] === inputName ? POOLED_INPUT : halfScale(ref[0]);
    }
    config.layers.push(twin);
  }
  return copy;
}
function withHalfScaleWeights(topology, upTo, specs, data) {
  const copied = copiedLayers(topology, upTo);
  const twins = [];
  const slices = [new Uint8Array(data)];
  let offset = 0;
  for (const spec of specs) {
    const length = storedByteLength(spec);
    const layer = spec.name.slice(0, spec.name.lastIndexOf("/"));
    if (copied.has(layer)) {
      twins.push({ ...spec, name: halfScale(spec.name) });
      slices.push(new Uint8Array(data, offset, length));
    }
    offset += length;
  }
  const all = Buffer.concat(slices);
  return { weightSpecs: [...specs, ...twins], weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
}
function withHalfScaleTaps(model3, taps2) {
  const upTo = taps2.filter(isHalfScale).map((tap) => tap.slice(HALF_SCALE_PREFIX.length));
  if (!upTo.length) return model3;
  return { topology: withHalfScaleBranch(model3.topology, upTo), ...withHalfScaleWeights(model3.topology, upTo, model3.weightSpecs, model3.weightData) };
}

// src/core/backbones/zoo.ts
var BUILTIN_BACKBONES = {
  mobilenet_v2: {
    displayName: "MobileNetV2",
    defaultSize: 224,
    minSize: 32,
    cutLayer: "out_relu",
    fineTuneCut: "block_15_add",
    nsfwjsModel: "mobilenet_v2",
    taps: ["block_13_expand_relu", "block_16_expand_relu", "out_relu"],
    // The output of block 9 (64 channels at 14 × 14 for 224 px): on Fashion-MNIST as good on the
    // grid as the wider layers around it (block_10_expand_relu, 384 channels: 87.4% against 87.2%)
    // at a sixth of the width, 3,136 features; the grid variant reads it at half scale too (1,024 more).
    gridTap: "block_9_add"
  },
  inception_v3: {
    displayName: "InceptionV3",
    defaultSize: 299,
    minSize: 75,
    cutLayer: "mixed10",
    fineTuneCut: "mixed9",
    nsfwjsModel: "inception_v3",
    taps: ["mixed7", "mixed9", "mixed10"],
    // Its middle layers are 288–768 channels on 35 × 35 to 17 × 17 maps: 80,000 features or more on a grid.
    gridTap: null
  }
};
var TAPS_SUFFIX = "+taps";
var MID_SUFFIX = "+mid";
var GRID_SUFFIX = "+grid";
var DEPTH_VARIANTS = {
  [TAPS_SUFFIX]: {
    words: "features from several depths, each pooled by its standard deviation over the image, the last block included",
    pooling: "std",
    taps: (builtin) => [...builtin.taps],
    depthWords: (count) => `${count} depths`
  },
  [MID_SUFFIX]: {
    words: "features from the middle depths, each pooled by its standard deviation over the image, without the last block",
    pooling: "std",
    taps: (builtin) => builtin.taps.filter((layer) => layer !== builtin.cutLayer),
    depthWords: (count) => `${count} middle depths`
  },
  [GRID_SUFFIX]: {
    words: "features from a middle depth kept on a grid over the image, so where each one is counts, at the image size and at half of it",
    pooling: "grid",
    taps: (builtin) => builtin.gridTap ? [builtin.gridTap, halfScale(builtin.gridTap)] : [],
    depthWords: () => "a middle depth on a grid at two scales"
  }
};
function tapPooling(spec) {
  return DEPTH_VARIANTS[spec.variant ?? TAPS_SUFFIX].pooling;
}
function atInputSize(spec, size2) {
  return parseBackboneSpec(`${spec.source}@${size2}${spec.variant ?? ""}`);
}
var SMALL_CNN = "small_cnn";
var SMALL_CNN_DEFAULT_SIZE = 32;
var BACKBONE_NAMES = [...Object.keys(BUILTIN_BACKBONES), HOG, SMALL_CNN];
function autoBackbones(nativeBackend, typicalSide, engine = "tfjs") {
  const mobilenetSize = !typicalSide || typicalSide >= 192 ? 224 : typicalSide >= 112 ? 160 : 96;
  const cnnSize = typicalSide && typicalSide < SMALL_CNN_DEFAULT_SIZE ? Math.max(16, typicalSide) : SMALL_CNN_DEFAULT_SIZE;
  const hogSize = typicalSide ? Math.min(64, Math.max(16, typicalSide - typicalSide % HOG_CELL)) : HOG_DEFAULT_SIZE;
  const names = [`mobilenet_v2@${mobilenetSize}`, `${HOG}@${hogSize}`, `${SMALL_CNN}@${cnnSize}`];
  if (engine === "onnxruntime") {
    const mobilenet = `mobilenet_v2@${BUILTIN_BACKBONES.mobilenet_v2.defaultSize}`;
    return [
      `${mobilenet}${TAPS_SUFFIX}`,
      `${mobilenet}${MID_SUFFIX}`,
      mobilenet,
      `${mobilenet}${GRID_SUFFIX}`,
      names[1],
      `inception_v3@${BUILTIN_BACKBONES.inception_v3.defaultSize}${MID_SUFFIX}`,
      names[2]
    ];
  }
  const mid = [`${names[0]}${MID_SUFFIX}`, ...names.slice(1)];
  return nativeBackend ? [mid[0], `inception_v3@${!typicalSide || typicalSide >= 192 ? 299 : 160}`, ...mid.slice(1)] : mid;
}
function validNamesHint() {
  return `Valid backbones: ${BACKBONE_NAMES.join(", ")}, auto, an https:// URL of a TF.js model.json or an .onnx file, or a local path to either (optionally with @<input size>, e.g. mobilenet_v2@160).`;
}
var TFJS_OPTIONS = ["range", "sha256"];
var ONNX_OPTIONS = ["range", "layout", "mean", "std", "output", "sha256"];
function splitOptions(text, rest) {
  const options = /* @__PURE__ */ new Map();
  for (let match = /,([a-z0-9_]+)=([^,]*)$/i.exec(rest); match; match = /,([a-z0-9_]+)=([^,]*)$/i.exec(rest)) {
    const key = match[1].toLowerCase();
    if (options.has(key)) throw new InputError(`Backbone "${text}": ${key}= is given twice.`, text);
    options.set(key, match[2].trim());
    rest = rest.slice(0, match.index);
  }
  return { rest, options };
}
function numberList(text, key, value, count, example) {
  const parts = value.split(":");
  const numbers = parts.map((p) => /^-?\d+(?:\.\d+)?$/.test(p.trim()) ? Number(p) : Number.NaN);
  if (parts.length !== count || numbers.some((n) => !Number.isFinite(n))) {
    throw new InputError(`Backbone "${text}": ${key} must be ${count} numbers separated by ":", e.g. ${key}=${example}.`, text);
  }
  return numbers;
}
function userModelOptions(text, options, onnx) {
  const allowed = onnx ? ONNX_OPTIONS : TFJS_OPTIONS;
  for (const key of options.keys()) {
    if (!allowed.includes(key)) {
      throw new InputError(
        `Backbone "${text}": unknown option "${key}=". ${onnx ? "ONNX models" : "TF.js models"} take ${allowed.map((k) => `${k}=`).join(", ")}.`,
        text
      );
    }
  }
  let range = [0, 1];
  const rangeText = options.get("range");
  if (rangeText !== void 0) {
    const [low, high] = numberList(text, "range", rangeText, 2, "-1:1");
    range = [low, high];
    if (!(range[1] > range[0])) throw new InputError(`Backbone "${text}": range must be min:max with max above min, e.g. range=0:1 or range=-1:1.`, text);
  }
  let sha256;
  const pin = options.get("sha256");
  if (pin !== void 0) {
    if (!/^[0-9a-f]{64}$/i.test(pin))
      throw new InputError(`Backbone "${text}": sha256 must be 64 hex digits (the output of "sha256sum ${onnx ? "model.onnx" : "model.json"}").`, text);
    sha256 = pin.toLowerCase();
  }
  let canonical = rangeText !== void 0 ? `,range=${range[0]}:${range[1]}` : "";
  if (!onnx) return { range, sha256, canonical };
  const layout = (options.get("layout") ?? "nchw").toLowerCase();
  if (layout !== "nchw" && layout !== "nhwc")
    throw new InputError(`Backbone "${text}": layout must be nchw (PyTorch exports) or nhwc (TensorFlow exports), got "${options.get("layout")}".`, text);
  const mean = options.has("mean") ? numberList(text, "mean", options.get("mean"), 3, "0.485:0.456:0.406") : [0, 0, 0];
  const std = options.has("std") ? numberList(text, "std", options.get("std"), 3, "0.229:0.224:0.225") : [1, 1, 1];
  if (std.some((s) => !(s > 0))) throw new InputError(`Backbone "${text}": every std value must be above 0, e.g. std=0.229:0.224:0.225.`, text);
  const output = options.get("output");
  if (output !== void 0 && !/^[^\s,]+$/.test(output))
    throw new InputError(`Backbone "${text}": output= must name one of the model's outputs, e.g. output=pooler_output.`, text);
  if (options.has("layout")) canonical += `,layout=${layout}`;
  if (options.has("mean")) canonical += `,mean=${mean.join(":")}`;
  if (options.has("std")) canonical += `,std=${std.join(":")}`;
  if (output !== void 0) canonical += `,output=${output}`;
  return { range, sha256, canonical, onnx: { layout, mean, std, ...output !== void 0 ? { output } : {} } };
}
function parseBackboneSpec(text) {
  const trimmed = text.trim();
  for (const variant of Object.keys(DEPTH_VARIANTS))
    if (trimmed.toLowerCase().endsWith(variant)) return depthVariant(text, variant, parseBackboneSpec(trimmed.slice(0, -variant.length)));
  const { rest: withSize, options } = splitOptions(text, trimmed);
  let rest = withSize;
  let size2;
  const sizeMatch = /@(\d+)$/.exec(rest);
  if (sizeMatch) {
    size2 = Number(sizeMatch[1]);
    rest = rest.slice(0, sizeMatch.index);
  } else if (/@[^/]*$/.test(rest) && !/^https?:/.test(rest)) {
    throw new InputError(`Backbone "${text}": the part after @ must be an input size in pixels, e.g. mobilenet_v2@160.`, text);
  }
  const name = rest.toLowerCase();
  const builtinNamed = name === SMALL_CNN || name === HOG || BUILTIN_BACKBONES[name];
  if (builtinNamed && options.size > 0) {
    throw new InputError(`Backbone "${text}": options such as ${[...options.keys()][0]}= are for user models; ${name} takes only @<input size>.`, text);
  }
  if (name === SMALL_CNN) {
    const inputSize = size2 ?? SMALL_CNN_DEFAULT_SIZE;
    if (inputSize < 8 || inputSize > 128) throw new InputError(`Backbone "${text}": small_cnn input size must be between 8 and 128 pixels.`, text);
    return { id: `${SMALL_CNN}@${inputSize}`, source: SMALL_CNN, builtin: true, inputSize, range: [0, 1] };
  }
  if (name === HOG) {
    const inputSize = size2 ?? HOG_DEFAULT_SIZE;
    if (inputSize < 8 || inputSize > 256) throw new InputError(`Backbone "${text}": hog input size must be between 8 and 256 pixels.`, text);
    return { id: `${HOG}@${inputSize}`, source: HOG, builtin: true, inputSize, range: [0, 1] };
  }
  const builtin = BUILTIN_BACKBONES[name];
  if (builtin) {
    const inputSize = size2 ?? builtin.defaultSize;
    if (inputSize < builtin.minSize || inputSize > 1024) {
      throw new InputError(`Backbone "${text}": ${name} needs an input size between ${builtin.minSize} and 1024 pixels.`, text);
    }
    return { id: `${name}@${inputSize}`, source: name, builtin: true, inputSize, range: [0, 1] };
  }
  const userModelSize = (example) => {
    if (size2 === void 0)
      throw new InputError(
        `Backbone "${text}": say the model's input size, e.g. ${example}@224 (and its value range if not 0\u20131, e.g. ${example}@224,range=-1:1).`,
        text
      );
    if (size2 < 8 || size2 > 1024) throw new InputError(`Backbone "${text}": the input size must be between 8 and 1024 pixels, got ${size2}.`, text);
    return size2;
  };
  const userModel = (source, onnx) => {
    const inputSize = userModelSize(rest);
    const parsed = userModelOptions(text, options, onnx);
    return {
      id: `${source}@${inputSize}${parsed.canonical}`,
      source,
      builtin: false,
      inputSize,
      range: parsed.range,
      ...parsed.sha256 ? { sha256: parsed.sha256 } : {},
      ...parsed.onnx ? { onnx: parsed.onnx } : {}
    };
  };
  if (/^[a-z][a-z0-9+.-]+:/i.test(rest)) {
    let url;
    try {
      url = new URL(rest);
    } catch {
      throw new InputError(`Backbone "${text}" is not a valid URL. ${validNamesHint()}`, text);
    }
    if (url.protocol === "http:")
      throw new InputError(`Backbone "${text}": plain http:// is refused (anyone on the way could swap the weights); use https://.`, text);
    if (url.protocol !== "https:") throw new InputError(`Backbone "${text}": only https:// URLs are supported. ${validNamesHint()}`, text);
    if (!/^https:\/\/[^/]/i.test(rest)) throw new InputError(`Backbone "${text}" is not a valid URL: write it as https://host/path/model.json.`, text);
    if (url.username || url.password)
      throw new InputError(
        `Backbone URL "${url.protocol}//${url.host}${url.pathname}" contains credentials; they would end up in logs and reports. Use a URL that needs none, or download the model and give its local path.`,
        url.host
      );
    return userModel(url.href, /\.onnx$/i.test(url.pathname));
  }
  if (/\.onnx$/i.test(rest)) return userModel(rest, true);
  if (rest.endsWith(".json") || rest.includes("/")) return userModel(rest, false);
  throw new InputError(`Unknown backbone "${text}". ${validNamesHint()}`, text);
}
function depthVariant(text, variant, base) {
  const builtin = BUILTIN_BACKBONES[base.source];
  const taps2 = builtin && !base.taps ? DEPTH_VARIANTS[variant].taps(builtin) : [];
  if (taps2.length === 0)
    throw new InputError(
      `Backbone "${text}": ${variant} (${DEPTH_VARIANTS[variant].words}) is for the pretrained built-ins: ${Object.keys(BUILTIN_BACKBONES).filter((n) => DEPTH_VARIANTS[variant].taps(BUILTIN_BACKBONES[n]).length > 0).map((n) => `${n}${variant}`).join(", ")}.`,
      text
    );
  return { ...base, id: `${base.id}${variant}`, taps: taps2, variant };
}
function embedderOf(extractor) {
  return extractor.ort ?? extractor;
}
var require2 = createRequire(import.meta.url);
function nsfwjsModelFiles(model3) {
  const distDir = join2(dirname2(require2.resolve("nsfwjs")), "..", "models", model3);
  const topology = require2(join2(distDir, "model.min.js"));
  const buffers = [];
  for (const path of topology.weightsManifest.flatMap((g) => g.paths)) {
    buffers.push(Buffer.from(require2(join2(distDir, `${path}.min.js`)), "base64"));
  }
  const all = Buffer.concat(buffers);
  return { topology, weights: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
}
async function layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey) {
  const model3 = await tf2.loadLayersModel(tf2.io.fromMemory({ modelTopology: topology, weightSpecs, weightData }), { strict: false });
  const outputRank = model3.outputs[0].shape.length;
  const functional = Boolean(topology.model_config?.config?.output_layers);
  if (outputRank === 4 && functional) {
    model3.dispose();
    appendLayer(topology, "GlobalAveragePooling2D", "backbone_pool", { data_format: "channels_last" });
    return layersExtractor(spec, displayName, topology, weightSpecs, weightData, cacheKey);
  }
  if (outputRank === 4) {
    const pooled = tf2.model({ inputs: model3.inputs, outputs: tf2.layers.globalAveragePooling2d({}).apply(model3.outputs[0]) });
    return fromLayersModel(spec, displayName, pooled, null, cacheKey);
  }
  if (outputRank !== 2)
    throw new InputError(`Backbone "${spec.id}" outputs rank-${outputRank} tensors; a feature vector (rank 2) or feature maps (rank 4) are needed.`, spec.id);
  return fromLayersModel(spec, displayName, model3, functional ? topology : null, cacheKey);
}
function fromLayersModel(spec, displayName, model3, topology, cacheKey) {
  const [low, high] = spec.range;
  const featureDim = model3.outputs[0].shape[1];
  return {
    spec,
    displayName,
    featureDim,
    params: model3.countParams(),
    cacheKey,
    layersModel: model3,
    topology,
    embed(pixels, n) {
      return tf2.tidy(() => {
        const x = tf2.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
        return model3.predict(x).dataSync();
      });
    },
    dispose: () => model3.dispose()
  };
}
function fromGraphModel(spec, displayName, model3, cacheKey) {
  const [low, high] = spec.range;
  const probe = tf2.tidy(() => model3.predict(tf2.zeros([1, spec.inputSize, spec.inputSize, 3])));
  const shape = probe.shape;
  probe.dispose();
  const pool = shape.length === 4;
  return {
    spec,
    displayName,
    featureDim: pool ? shape[3] : shape[1],
    params: Object.values(model3.weights).reduce((sum, list) => sum + list.reduce((s, t) => s + t.size, 0), 0),
    cacheKey,
    layersModel: null,
    topology: null,
    embed(pixels, n) {
      return tf2.tidy(() => {
        const x = tf2.tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], "int32").toFloat().mul((high - low) / 255).add(low);
        let y = model3.predict(x);
        if (pool) y = y.mean([1, 2]);
        return y.dataSync();
      });
    },
    dispose: () => model3.dispose()
  };
}
function depthWordsOf(spec) {
  return DEPTH_VARIANTS[spec.variant ?? TAPS_SUFFIX].depthWords(spec.taps?.length ?? 0);
}
function tapsDisplayName(name, spec) {
  return `${name} @${spec.inputSize}, ${depthWordsOf(spec)}`;
}
async function loadBackbone(spec, context) {
  if (spec.source === HOG) {
    const model3 = buildHogModel(spec.inputSize);
    return fromLayersModel(spec, hogDisplayName(spec.inputSize), model3, topologyOf(model3), hogCacheKey(spec.inputSize));
  }
  if (spec.builtin) {
    const builtin = BUILTIN_BACKBONES[spec.source];
    if (!builtin) throw new Error(`${spec.id} is not a pretrained backbone`);
    const files = nsfwjsModelFiles(builtin.nsfwjsModel);
    const specs = files.topology.weightsManifest.flatMap((g) => g.weights);
    const key = `nsfwjs-${builtin.nsfwjsModel}-v1|${spec.inputSize}|${spec.range.join(":")}|${DECODING_KEY}`;
    if (spec.taps) {
      const pooling = tapPooling(spec);
      const model3 = withHalfScaleTaps({ topology: files.topology.modelTopology, weightSpecs: specs, weightData: files.weights }, spec.taps);
      const topology3 = tapsTopology(model3.topology, spec.taps, spec.inputSize, pooling);
      const name = tapsDisplayName(builtin.displayName, spec);
      return layersExtractor(spec, name, topology3, model3.weightSpecs, model3.weightData, `${key}|${pooling}-taps:${spec.taps.join(",")}`);
    }
    const topology2 = cutTopology(files.topology.modelTopology, builtin.cutLayer, spec.inputSize);
    return layersExtractor(spec, `${builtin.displayName} @${spec.inputSize}`, topology2, specs, files.weights, key);
  }
  const source = await loadModelSource(spec.source, context.cacheDir, { sha256: spec.sha256, ca: context.ca });
  if (source.kind === "onnx") {
    throw new InputError(`Backbone "${spec.id}" is an ONNX model, which TF.js cannot run; it needs ONNX Runtime (engine auto or onnx).`, spec.id);
  }
  const cacheKey = `${source.contentHash}|${spec.inputSize}|${spec.range.join(":")}|${DECODING_KEY}`;
  const displayName = `${source.displayName} @${spec.inputSize}`;
  if (source.kind === "graph") {
    const model3 = await tf2.loadGraphModel(tf2.io.fromMemory(source.artifacts));
    return { ...fromGraphModel(spec, displayName, model3, cacheKey), sourceDir: source.dir };
  }
  const topology = structuredClone(source.artifacts.modelTopology);
  const loose = topology;
  const inputLayer = (topology.model_config?.config?.layers ?? loose.config?.layers)?.[0];
  if (inputLayer?.config && Array.isArray(inputLayer.config.batch_input_shape)) {
    inputLayer.config.batch_input_shape = [null, spec.inputSize, spec.inputSize, 3];
  }
  const extractor = await layersExtractor(
    spec,
    displayName,
    topology,
    source.artifacts.weightSpecs ?? [],
    source.artifacts.weightData,
    cacheKey
  );
  return { ...extractor, sourceDir: source.dir };
}

export {
  enlarge,
  RESIZE_MODE,
  DECODING_KEY,
  DecodeError,
  decodeToRgb,
  HOG,
  HOG_CELL,
  hogDisplayName,
  averagePoolingLayer,
  pooledTapName,
  withPooledTaps,
  appendLayer,
  insertAfterInput,
  inputTopology,
  topTopology,
  topologyOf,
  KerasWeights,
  withHalfScaleTaps,
  resolveWeightFile,
  weightPaths,
  loadModelSource,
  BUILTIN_BACKBONES,
  GRID_SUFFIX,
  DEPTH_VARIANTS,
  tapPooling,
  atInputSize,
  SMALL_CNN,
  autoBackbones,
  parseBackboneSpec,
  embedderOf,
  fromLayersModel,
  depthWordsOf,
  loadBackbone
};
