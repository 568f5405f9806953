/**
 * User backbones from an https URL or a local path: a TF.js model.json with its weight files,
 * or one `.onnx` file. Both end up as files in one folder and are read by the same code; URL
 * downloads are kept in the cache (by URL), so a runner downloads each model once.
 *
 * Trust policy (a model.json is content a pull request or a model host controls):
 * - A weight path is a plain relative name (WEIGHT_PATH: letters, digits, `.`, `_`, `-`,
 *   folders with `/`; no `..`, no leading dot, no `%`), and locally it must still lie inside
 *   the model's folder after symlinks are resolved.
 * - Downloads: https only; redirects only within the same origin, at most DOWNLOAD_LIMITS.maxRedirects;
 *   shards from the model.json's own folder; byte caps per file and in total, enforced while
 *   streaming; a timeout per file.
 * - A `sha256=` pin covers model.json (whose manifest names the shards) or the .onnx file. At
 *   download the sha256 of every file is recorded next to it; a cache hit re-hashes every file
 *   and re-checks the pin, and a copy that changed is thrown away and downloaded again.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { explainWriteError } from '../atomic.js';
import { InputError } from '../errors.js';

export interface TfjsModelSource {
  kind: 'layers' | 'graph';
  artifacts: tf.io.ModelArtifacts;
  /** Hash of model.json and weights: embeddings are cached against the exact weights. */
  contentHash: string;
  /** sha256 of model.json: what a `sha256=` pin is compared with. */
  sha256: string;
  displayName: string;
  /** Folder holding model.json and its weight files. */
  dir: string;
}

export interface OnnxModelSource {
  kind: 'onnx';
  /** The verified .onnx file on disk (a download lives in the cache). */
  file: string;
  /** Hash of the file: embeddings are cached against the exact weights. */
  contentHash: string;
  /** sha256 of the .onnx file: what a `sha256=` pin is compared with. */
  sha256: string;
  displayName: string;
  dir: string;
}

export type ModelSource = TfjsModelSource | OnnxModelSource;

export interface DownloadLimits {
  /** Most bytes one downloaded file may have. */
  maxFileBytes: number;
  /** Most bytes one model (model.json and all shards) may have. */
  maxTotalBytes: number;
  /** Redirects followed per file, each within the same origin. */
  maxRedirects: number;
  /** Milliseconds one file may take, from request to last byte. */
  timeoutMs: number;
}

/** Large enough for ViT-B/CLIP-class encoders, small enough that a hostile host cannot fill the disk. */
export const DOWNLOAD_LIMITS: DownloadLimits = { maxFileBytes: 512 * 1024 ** 2, maxTotalBytes: 1024 ** 3, maxRedirects: 3, timeoutMs: 300_000 };

export interface SourceOptions {
  /** Lower-case hex sha256 the model.json or .onnx file must have (the spec's `sha256=`). */
  sha256?: string;
  /** Certificate authorities to trust for https downloads, in PEM, instead of Node's bundled ones (tests use a self-signed loopback server). */
  ca?: string | Buffer;
  limits?: Partial<DownloadLimits>;
}

interface ModelJson {
  format?: string;
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  signature?: unknown;
  userDefinedMetadata?: unknown;
  modelInitializer?: unknown;
}

/** What a cache entry records about its files at download, re-checked on every hit. */
interface FilesRecord {
  url: string;
  files: { path: string; sha256: string; bytes: number }[];
}

const OFFLINE_HINT = 'Without network access, use a built-in backbone (mobilenet_v2, inception_v3, hog, small_cnn) or a local model.json path.';
const FILES_RECORD = '.files.json';
/** One path segment of a weight file: no `..`, no hidden files, nothing to percent-decode. */
const WEIGHT_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;

export function isOnnxSource(source: string): boolean {
  const path = /^https:\/\//i.test(source) ? new URL(source).pathname : source;
  return /\.onnx$/i.test(path);
}

/** Whether a weightsManifest path is a plain relative name (see the policy above). */
export function isPlainWeightPath(path: unknown): path is string {
  return typeof path === 'string' && path.length <= 1024 && path.split('/').every((segment) => WEIGHT_SEGMENT.test(segment));
}

function unsafePathError(model: string, path: unknown): InputError {
  return new InputError(
    `${model} lists weight file ${JSON.stringify(path)}, which is not a plain relative name inside its folder (letters, digits, ".", "_", "-" and "/" only; no "..", no absolute paths). Refused.`,
    model,
  );
}

/**
 * The real path of weight file `path` of the model.json at `modelJson` (in folder `dir`), after
 * checking the name and that no symlink leads out of the folder. Used by the loader, the
 * export's copy and loadClassifier alike.
 */
export async function resolveWeightFile(dir: string, path: unknown, modelJson: string): Promise<string> {
  if (!isPlainWeightPath(path)) throw unsafePathError(modelJson, path);
  const [realDir, realFile] = await Promise.all([realpath(dir), realpath(join(dir, path))]).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new InputError(`${modelJson} lists weight file "${path}", which is missing next to it.`, modelJson);
    throw error;
  });
  const inside = relative(realDir, realFile);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw new InputError(
      `${modelJson} lists weight file "${path}", a symbolic link that leads out of the model's folder. Refused; copy the file into the folder instead.`,
      modelJson,
    );
  }
  return realFile;
}

/** The weight paths a model.json lists, in manifest order. */
export function weightPaths(json: { weightsManifest?: unknown } | null, model: string): unknown[] {
  const manifest = json?.weightsManifest;
  if (!Array.isArray(manifest) || manifest.some((g: { paths?: unknown } | null) => !g || !Array.isArray(g.paths))) {
    throw new InputError(`${model} is not a TF.js model.json (it needs modelTopology and weightsManifest).`, model);
  }
  return (manifest as { paths: unknown[] }[]).flatMap((g) => g.paths);
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function pinError(source: string, what: string, actual: string, pin: string): InputError {
  return new InputError(
    `Backbone ${source}: ${what} has sha256 ${actual}, not the pinned ${pin}. The file changed, or the pin is wrong; it was not used.`,
    source,
  );
}

export async function loadModelSource(source: string, cacheDir: string, options: SourceOptions = {}): Promise<ModelSource> {
  if (/^http:\/\//i.test(source))
    throw new InputError(`Backbone "${source}": plain http:// is refused (anyone on the way could swap the weights); use https://.`, source);
  const isUrl = /^https:\/\//i.test(source);
  const onnx = isOnnxSource(source);
  const dir = isUrl ? await downloadModel(source, cacheDir, options, onnx) : dirname(resolve(source));
  const mainFile = isUrl ? join(dir, onnx ? 'model.onnx' : 'model.json') : resolve(source);
  const displayName = isUrl
    ? onnx
      ? basename(new URL(source).pathname).replace(/\.onnx$/i, '')
      : (new URL(source).pathname.split('/').filter(Boolean).slice(-2, -1)[0] ?? 'model')
    : onnx
      ? basename(source).replace(/\.onnx$/i, '')
      : basename(dirname(resolve(source)));
  if (onnx) return onnxSource(source, mainFile, dir, displayName, options.sha256);
  return tfjsSource(source, mainFile, dir, displayName, options.sha256);
}

async function onnxSource(source: string, path: string, dir: string, displayName: string, pin?: string): Promise<OnnxModelSource> {
  const file = await realpath(path).catch(() => {
    throw new InputError(`Backbone model "${source}" was not found. Check the path to its .onnx file.`, source);
  });
  const sha256 = await sha256File(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`Backbone model "${source}" could not be read (${error.code ?? error.message}). Give the path to an .onnx file.`, source);
  });
  if (pin && sha256 !== pin) throw pinError(source, 'the .onnx file', sha256, pin);
  return { kind: 'onnx', file, contentHash: sha256.slice(0, 24), sha256, displayName, dir };
}

async function tfjsSource(source: string, jsonPath: string, dir: string, displayName: string, pin?: string): Promise<TfjsModelSource> {
  let bytes: Buffer;
  let json: ModelJson;
  try {
    bytes = await readFile(jsonPath);
    json = JSON.parse(bytes.toString('utf8')) as ModelJson;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `Backbone model "${source}" was not found. Check the path to its model.json.`
        : `Backbone model "${source}" is not valid JSON (${(error as Error).message}).`,
      source,
    );
  }
  const sha256 = sha256Hex(bytes);
  if (pin && sha256 !== pin) throw pinError(source, 'model.json', sha256, pin);
  if (!json || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new InputError(`Backbone model "${source}" is not a TF.js model.json (it needs modelTopology and weightsManifest).`, source);
  }
  const hash = createHash('sha256').update(JSON.stringify(json));
  const buffers: Buffer[] = [];
  for (const path of weightPaths(json, jsonPath)) {
    const data = await readFile(await resolveWeightFile(dir, path, jsonPath));
    hash.update(data);
    buffers.push(data);
  }
  const weights = Buffer.concat(buffers);
  return {
    kind: json.format === 'graph-model' ? 'graph' : 'layers',
    dir,
    contentHash: hash.digest('hex').slice(0, 24),
    sha256,
    displayName,
    artifacts: {
      modelTopology: json.modelTopology,
      format: json.format,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      signature: json.signature as object | undefined,
      userDefinedMetadata: json.userDefinedMetadata as { [key: string]: object } | undefined,
      modelInitializer: json.modelInitializer as object | undefined,
    },
  };
}

/** One model's download: where it may fetch from and how many bytes it has left. */
interface Download {
  modelUrl: string;
  origin: string;
  ca?: string | Buffer;
  limits: DownloadLimits;
  totalBytes: number;
}

function size(bytes: number): string {
  return bytes >= 1024 ** 2 ? `${Math.round(bytes / 1024 ** 2)} MiB` : `${bytes.toLocaleString('en')} bytes`;
}

function request(url: URL, download: Download, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolvePromise, reject) => {
    const req = httpsGet(url, { ca: download.ca, signal, headers: { 'user-agent': 'classifier-ci' } }, resolvePromise);
    req.on('error', reject);
  });
}

function downloadError(error: unknown, what: string, url: string, download: Download): unknown {
  if (error instanceof InputError) return error;
  const e = error as NodeJS.ErrnoException;
  const cause = e.name === 'AbortError' || e.code === 'ABORT_ERR' ? `no complete answer within ${download.limits.timeoutMs / 1000} s` : (e.code ?? e.message);
  return new InputError(`Could not download backbone ${what} from ${url} (${cause}). ${OFFLINE_HINT}`, download.modelUrl);
}

/** Streams one file to `dest` under the caps, following same-origin redirects only. Returns its sha256. */
async function downloadFile(url: URL, dest: string, what: string, download: Download): Promise<{ sha256: string; bytes: number; finalUrl: URL }> {
  const { limits, modelUrl } = download;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    let response: IncomingMessage;
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
          modelUrl,
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
    const fileTooBig = () =>
      new InputError(
        `Backbone ${what} at ${url.href} is larger than the ${size(limits.maxFileBytes)} allowed for one file. Download it yourself and give its local path.`,
        modelUrl,
      );
    const modelTooBig = () =>
      new InputError(
        `Backbone model ${modelUrl} is larger than the ${size(limits.maxTotalBytes)} allowed for one model. Download it yourself and give its local path.`,
        modelUrl,
      );
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && (declared > limits.maxFileBytes || download.totalBytes + declared > limits.maxTotalBytes)) {
      response.destroy();
      throw declared > limits.maxFileBytes ? fileTooBig() : modelTooBig();
    }
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      await pipeline(
        response,
        async function* (chunks: AsyncIterable<Buffer>) {
          // Counted as it streams: Content-Length may be missing or lie.
          for await (const chunk of chunks) {
            bytes += chunk.length;
            if (bytes > limits.maxFileBytes) throw fileTooBig();
            if (download.totalBytes + bytes > limits.maxTotalBytes) throw modelTooBig();
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(dest),
        { signal },
      );
    } catch (error) {
      throw downloadError(error, what, current.href, download);
    }
    download.totalBytes += bytes;
    return { sha256: hash.digest('hex'), bytes, finalUrl: current };
  }
}

/** A shard's URL: the manifest path, checked as a plain name, resolved inside the folder model.json came from (after redirects). */
function shardUrl(path: unknown, modelJsonUrl: URL, download: Download): URL {
  if (!isPlainWeightPath(path)) throw unsafePathError(download.modelUrl, path);
  const folder = new URL('.', modelJsonUrl);
  const url = new URL(path, folder);
  // Belt and braces: the allow-list above already makes this hold.
  if (url.origin !== download.origin || !decodeURIComponent(url.pathname).startsWith(decodeURIComponent(folder.pathname)))
    throw unsafePathError(download.modelUrl, path);
  return url;
}

/** Whether a cache entry still holds exactly what was downloaded (and what the pin says). */
async function cacheEntryIntact(dir: string, pin: string | undefined): Promise<boolean> {
  try {
    const record = JSON.parse(await readFile(join(dir, FILES_RECORD), 'utf8')) as FilesRecord;
    if (!Array.isArray(record.files) || record.files.length === 0) return false;
    if (pin && record.files[0].sha256 !== pin) return false;
    for (const file of record.files) {
      if (!isPlainWeightPath(file.path)) return false;
      if ((await sha256File(join(dir, file.path))) !== file.sha256) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Downloads model.json and its shards (or one .onnx file) into cacheDir/backbones/<url hash>, atomically. */
async function downloadModel(url: string, cacheDir: string, options: SourceOptions, onnx: boolean, attempt = 0): Promise<string> {
  const dir = join(cacheDir, 'backbones', createHash('sha256').update(url).digest('hex').slice(0, 20));
  if (await stat(join(dir, '.complete')).catch(() => null)) {
    if (await cacheEntryIntact(dir, options.sha256)) return dir;
    // Changed since it was downloaded (or pinned differently now): never use it, fetch again.
    await rm(dir, { recursive: true, force: true });
  }
  const download: Download = { modelUrl: url, origin: new URL(url).origin, ca: options.ca, limits: { ...DOWNLOAD_LIMITS, ...options.limits }, totalBytes: 0 };
  const temp = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await mkdir(temp, { recursive: true });
  try {
    const mainName = onnx ? 'model.onnx' : 'model.json';
    const main = await downloadFile(new URL(url), join(temp, mainName), mainName, download);
    if (options.sha256 && main.sha256 !== options.sha256) throw pinError(url, mainName, main.sha256, options.sha256);
    const record: FilesRecord = { url, files: [{ path: mainName, sha256: main.sha256, bytes: main.bytes }] };
    if (!onnx) {
      let json: ModelJson;
      try {
        json = JSON.parse(await readFile(join(temp, mainName), 'utf8')) as ModelJson;
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
    await writeFile(join(temp, '.complete'), '');
    await mkdir(dirname(dir), { recursive: true });
  } catch (error) {
    // A refused or broken download leaves nothing behind.
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  try {
    await rename(temp, dir);
  } catch (error) {
    // Another run finished the same download first: theirs is as good as ours, and it may be
    // reading it right now, so it is never deleted.
    await rm(temp, { recursive: true, force: true });
    if ((await stat(join(dir, '.complete')).catch(() => null)) && (await cacheEntryIntact(dir, options.sha256))) return dir;
    if (attempt > 0) throw explainWriteError(error, dir);
    // A leftover from an interrupted download: replace it.
    await rm(dir, { recursive: true, force: true });
    return downloadModel(url, cacheDir, options, onnx, attempt + 1);
  }
  return dir;
}
