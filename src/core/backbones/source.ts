/**
 * User backbones from a URL (TF Hub / Kaggle TF.js exports, any http(s) host) or a local
 * model.json. Both end up as files in one folder and are read by the same code; URL
 * downloads are kept in the cache (by URL), so a runner downloads each model once.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { explainWriteError } from '../atomic.js';
import { InputError } from '../errors.js';

export interface ModelSource {
  kind: 'layers' | 'graph';
  artifacts: tf.io.ModelArtifacts;
  /** Hash of model.json and weights: embeddings are cached against the exact weights. */
  contentHash: string;
  displayName: string;
  /** Folder holding model.json and its weight files. */
  dir: string;
}

interface ModelJson {
  format?: string;
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  signature?: unknown;
  userDefinedMetadata?: unknown;
  modelInitializer?: unknown;
}

const OFFLINE_HINT = 'Without network access, use a built-in backbone (mobilenet_v2, inception_v3, hog, small_cnn) or a local model.json path.';

export async function loadModelSource(source: string, cacheDir: string): Promise<ModelSource> {
  const isUrl = /^https?:\/\//i.test(source);
  const dir = isUrl ? await downloadModel(source, cacheDir) : dirname(resolve(source));
  const jsonPath = isUrl ? join(dir, 'model.json') : resolve(source);
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? `Backbone model "${source}" was not found. Check the path to its model.json.` : `Backbone model "${source}" is not valid JSON (${(error as Error).message}).`,
      source,
    );
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new InputError(`Backbone model "${source}" is not a TF.js model.json (it needs modelTopology and weightsManifest).`, source);
  }
  const hash = createHash('sha256').update(JSON.stringify(json));
  const buffers: Buffer[] = [];
  for (const path of json.weightsManifest.flatMap((g) => g.paths)) {
    const file = join(dir, path);
    const data = await readFile(file).catch(() => {
      throw new InputError(`Backbone model "${source}" lists weight file "${path}", which is missing next to model.json.`, source);
    });
    hash.update(data);
    buffers.push(data);
  }
  const weights = Buffer.concat(buffers);
  const kind = json.format === 'graph-model' ? 'graph' : 'layers';
  return {
    kind,
    dir,
    contentHash: hash.digest('hex').slice(0, 24),
    displayName: isUrl ? new URL(source).pathname.split('/').filter(Boolean).slice(-2, -1)[0] ?? 'model' : basename(dirname(resolve(source))),
    artifacts: {
      modelTopology: json.modelTopology as object,
      format: json.format,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
      signature: json.signature as object | undefined,
      userDefinedMetadata: json.userDefinedMetadata as { [key: string]: {} } | undefined,
      modelInitializer: json.modelInitializer as object | undefined,
    },
  };
}

async function fetchBytes(url: string, what: string, modelUrl: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new InputError(`Could not download backbone ${what} from ${url} (${cause}). ${OFFLINE_HINT}`, modelUrl);
  }
  if (!response.ok) throw new InputError(`Could not download backbone ${what} from ${url}: HTTP ${response.status}. ${OFFLINE_HINT}`, modelUrl);
  return Buffer.from(await response.arrayBuffer());
}

/** Downloads model.json and its shards into cacheDir/backbones/<url hash>, atomically. */
async function downloadModel(url: string, cacheDir: string, attempt = 0): Promise<string> {
  const dir = join(cacheDir, 'backbones', createHash('sha256').update(url).digest('hex').slice(0, 20));
  if (await stat(join(dir, '.complete')).catch(() => null)) return dir;
  const temp = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  const modelJson = await fetchBytes(url, 'model.json', url);
  let json: ModelJson;
  try {
    json = JSON.parse(modelJson.toString('utf8'));
  } catch {
    throw new InputError(`The backbone URL ${url} did not return a model.json (not JSON). Point to the model.json of a TF.js model.`, url);
  }
  await writeFile(join(temp, 'model.json'), modelJson);
  for (const path of (json.weightsManifest ?? []).flatMap((g) => g.paths)) {
    if (path.includes('..') || path.startsWith('/')) throw new InputError(`Backbone model ${url} names an unsafe weight path "${path}"; refused.`, url);
    const data = await fetchBytes(new URL(path, url).href, `weights "${path}"`, url);
    await mkdir(dirname(join(temp, path)), { recursive: true });
    await writeFile(join(temp, path), data);
  }
  await writeFile(join(temp, '.source'), url);
  await writeFile(join(temp, '.complete'), '');
  await mkdir(dirname(dir), { recursive: true });
  try {
    await rename(temp, dir);
  } catch (error) {
    // Another run finished the same download first: theirs is as good as ours, and it may be
    // reading it right now, so it is never deleted.
    await rm(temp, { recursive: true, force: true });
    if (await stat(join(dir, '.complete')).catch(() => null)) return dir;
    if (attempt > 0) throw explainWriteError(error, dir);
    // A leftover from an interrupted download: replace it.
    await rm(dir, { recursive: true, force: true });
    return downloadModel(url, cacheDir, attempt + 1);
  }
  return dir;
}
