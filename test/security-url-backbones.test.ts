/**
 * URL backbones against a hostile model host: a real HTTPS server on loopback with a
 * certificate made here by openssl, trusted through the loader's `ca` option. Redirects to
 * other origins, absolute and encoded shard paths, oversized bodies, wrong pins and a cache
 * entry changed after download are each refused or repaired, and nothing half-done is kept.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { DOWNLOAD_LIMITS, loadModelSource } from '../src/core/backbones/source.js';
import { loadBackbone, parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { InputError } from '../src/core/errors.js';
import { tempDir } from './helpers/datasets.js';
import { saveTinyConvModel } from './helpers/models.js';

await ensureBackend();

/** A self-signed certificate for 127.0.0.1, made fresh for this run. */
const certDir = tempDir();
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    join(certDir, 'key.pem'),
    '-out',
    join(certDir, 'cert.pem'),
  ],
  { stdio: 'ignore' },
);
const key = readFileSync(join(certDir, 'key.pem'));
const ca = readFileSync(join(certDir, 'cert.pem'));

type Route = (req: IncomingMessage, res: ServerResponse) => void;

interface Host {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  routes: Map<string, Route>;
}

function listen(
  server: ReturnType<typeof createServer> | ReturnType<typeof createHttpServer>,
  scheme: string,
  requests: string[],
  routes: Map<string, Route>,
): Promise<Host> {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url!, 'https://x').pathname;
    requests.push(req.url!);
    const route = routes.get(path);
    if (route) route(req, res);
    else res.writeHead(404).end('not found');
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, routes })),
  );
}

/** An HTTPS host with routes set per test; `serveBytes` adds a plain 200 route. */
function httpsHost(): Promise<Host> {
  return listen(createServer({ key, cert: ca }), 'https', [], new Map());
}

function serveBytes(host: Host, path: string, body: Buffer | string, headers: Record<string, string> = {}): void {
  host.routes.set(path, (_req, res) => res.writeHead(200, headers).end(body));
}

/** The tiny model's files, served from `folder` on the host. Returns model.json's bytes. */
async function serveTinyModel(
  host: Host,
  folder: string,
  edit?: (json: { weightsManifest: { paths: string[] }[] }) => void,
  dir = join(tempDir(), 'tiny'),
): Promise<Buffer> {
  if (!existsSync(join(dir, 'model.json'))) await saveTinyConvModel(dir);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  edit?.(json);
  const modelJson = Buffer.from(JSON.stringify(json));
  serveBytes(host, `${folder}/model.json`, modelJson);
  serveBytes(host, `${folder}/weights.bin`, readFileSync(join(dir, 'weights.bin')));
  return modelJson;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

async function refused(work: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(work, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

/** Nothing but finished entries in the download cache: no temp folders, no refused models. */
function cachedEntries(cacheDir: string): string[] {
  const dir = join(cacheDir, 'backbones');
  return existsSync(dir) ? readdirSync(dir) : [];
}

test('specs: https only, pins are 64 hex digits, ONNX options are parsed and named in the id', () => {
  assert.throws(
    () => parseBackboneSpec('http://h/m/model.json@224'),
    (e: unknown) => e instanceof InputError && /plain http:\/\/ is refused .*use https:\/\//.test(e.message),
  );
  assert.throws(() => parseBackboneSpec('https://h/m/model.json@224,sha256=abc'), /sha256 must be 64 hex digits/);
  const pin = 'A'.repeat(64);
  const tfjs = parseBackboneSpec(`https://h/m/model.json@224,range=-1:1,sha256=${pin}`);
  assert.deepEqual([tfjs.sha256, tfjs.range, tfjs.onnx, tfjs.id], ['a'.repeat(64), [-1, 1], undefined, 'https://h/m/model.json@224,range=-1:1']);
  const onnx = parseBackboneSpec(`https://h/m/encoder.onnx@224,layout=nhwc,mean=0.485:0.456:0.406,std=0.229:0.224:0.225,output=pooler_output,sha256=${pin}`);
  assert.deepEqual(onnx.onnx, { layout: 'nhwc', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], output: 'pooler_output' });
  assert.equal(onnx.id, 'https://h/m/encoder.onnx@224,layout=nhwc,mean=0.485:0.456:0.406,std=0.229:0.224:0.225,output=pooler_output');
  const local = parseBackboneSpec('./models/encoder.onnx@160');
  assert.deepEqual([local.source, local.inputSize, local.onnx], ['./models/encoder.onnx', 160, { layout: 'nchw', mean: [0, 0, 0], std: [1, 1, 1] }]);
  assert.throws(() => parseBackboneSpec('./e.onnx@224,layout=chw'), /layout must be nchw \(PyTorch exports\) or nhwc/);
  assert.throws(() => parseBackboneSpec('./e.onnx@224,mean=1:2'), /mean must be 3 numbers separated by ":"/);
  assert.throws(() => parseBackboneSpec('./e.onnx@224,std=1:0:1'), /every std value must be above 0/);
  assert.throws(() => parseBackboneSpec('./m/model.json@224,layout=nhwc'), /unknown option "layout="\. TF\.js models take range=, sha256=\./);
  assert.throws(() => parseBackboneSpec('mobilenet_v2@224,range=-1:1'), /options such as range= are for user models; mobilenet_v2 takes only @<input size>/);
  assert.throws(() => parseBackboneSpec('./e.onnx@224,range=0:1,range=0:2'), /range= is given twice/);
});

test('a model over HTTPS loads with the given CA like its local copy, is cached with its hashes, and an unknown CA or a 404 is refused', async () => {
  const host = await httpsHost();
  const localDir = join(tempDir(), 'tiny');
  await serveTinyModel(host, '/m', undefined, localDir);
  const cacheDir = tempDir();
  const spec = parseBackboneSpec(`${host.url}/m/model.json@16`);
  const backbone = await loadBackbone(spec, { cacheDir, ca });
  const local = await loadBackbone(parseBackboneSpec(`${join(localDir, 'model.json')}@16`), { cacheDir: tempDir() });
  assert.equal(backbone.cacheKey, local.cacheKey, 'same weights, same embedding cache key');
  const pixels = new Uint8Array(16 * 16 * 3).fill(200);
  assert.deepEqual([...backbone.embed(pixels, 1)], [...local.embed(pixels, 1)]);
  backbone.dispose();
  local.dispose();
  const served = host.requests.length;
  assert.equal(served, 2, 'model.json and weights.bin');
  const again = await loadBackbone(spec, { cacheDir, ca });
  assert.equal(host.requests.length, served, 'the second load comes from the cache');
  again.dispose();
  const [entry] = cachedEntries(cacheDir);
  const record = JSON.parse(readFileSync(join(cacheDir, 'backbones', entry, '.files.json'), 'utf8'));
  assert.deepEqual(
    record.files.map((f: { path: string }) => f.path),
    ['model.json', 'weights.bin'],
  );
  // Node's own roots do not know the self-signed certificate: the download fails by name.
  await refused(
    loadModelSource(`${host.url}/missing/model.json`, tempDir(), { ca }),
    /^Could not download backbone model\.json from https:\/\/127\.0\.0\.1:\d+\/missing\/model\.json: HTTP 404\. Without network access, use a built-in backbone/,
  );
  await refused(
    loadModelSource(`${host.url}/m/model.json`, tempDir()),
    /Could not download backbone model\.json from https:\/\/127\.0\.0\.1:\d+\/m\/model\.json \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|[A-Z_]*CERT[A-Z_]*)\)\. Without network access/,
  );
});

test('redirects: followed within the origin (at most 3), refused to another port or scheme, and the other host never hears of it', async () => {
  const host = await httpsHost();
  const other = await httpsHost();
  const plain = await listen(createHttpServer(), 'http', [], new Map());
  await serveTinyModel(host, '/real');
  await serveTinyModel(other, '/real');
  await serveTinyModel(plain, '/real');
  const redirect =
    (to: string): Route =>
    (_req, res) =>
      res.writeHead(302, { location: to }).end();
  host.routes.set('/moved/model.json', redirect('/real/model.json'));
  const source = await loadModelSource(`${host.url}/moved/model.json`, tempDir(), { ca });
  assert.equal(source.kind, 'layers', 'a same-origin redirect is followed');

  host.routes.set('/away/model.json', redirect(`${other.url}/real/model.json`));
  await refused(
    loadModelSource(`${host.url}/away/model.json`, tempDir(), { ca }),
    /redirects to https:\/\/127\.0\.0\.1:\d+, another host or scheme; only redirects within https:\/\/127\.0\.0\.1:\d+ are followed/,
  );
  host.routes.set('/down/model.json', redirect(`${plain.url}/real/model.json`));
  await refused(loadModelSource(`${host.url}/down/model.json`, tempDir(), { ca }), /redirects to http:\/\/127\.0\.0\.1:\d+, another host or scheme/);
  // The weights redirected away, model.json honest.
  await serveTinyModel(host, '/split');
  host.routes.set('/split/weights.bin', redirect(`${other.url}/real/weights.bin`));
  const cacheDir = tempDir();
  await refused(
    loadModelSource(`${host.url}/split/model.json`, cacheDir, { ca }),
    /weights "weights\.bin" at .* redirects to https:\/\/127\.0\.0\.1:\d+, another host/,
  );
  assert.deepEqual(other.requests, []);
  assert.deepEqual(plain.requests, []);
  assert.deepEqual(cachedEntries(cacheDir), [], 'a refused download leaves nothing in the cache');

  for (let i = 0; i < 4; i++) host.routes.set(`/loop${i}/model.json`, redirect(`/loop${i + 1}/model.json`));
  await serveTinyModel(host, '/loop4');
  await refused(loadModelSource(`${host.url}/loop0/model.json`, tempDir(), { ca }), /redirects more than 3 times\. Use the final URL\./);
  await serveTinyModel(host, '/loop3');
  assert.equal((await loadModelSource(`${host.url}/loop0/model.json`, tempDir(), { ca, limits: { maxRedirects: 4 } })).kind, 'layers');
  assert.equal(DOWNLOAD_LIMITS.maxRedirects, 3);
});

test('shard paths that are absolute URLs, rooted, encoded or climbing are refused before any request for them', async () => {
  const host = await httpsHost();
  const other = await httpsHost();
  serveBytes(other, '/secret.bin', Buffer.alloc(100));
  serveBytes(host, '/secret.bin', Buffer.alloc(100));
  const hostile = [
    `${other.url}/secret.bin`,
    '//127.0.0.1/secret.bin',
    '/secret.bin',
    '../secret.bin',
    '%2e%2e/secret.bin',
    '%2E%2E%2Fsecret.bin',
    '..%2fsecret.bin',
    'a/../../secret.bin',
    '.%2e/secret.bin',
    'a\\..\\secret.bin',
    '',
  ];
  for (const path of hostile) {
    const folder = `/m${hostile.indexOf(path)}`;
    await serveTinyModel(host, folder, (json) => (json.weightsManifest[0].paths = [path]));
    await refused(
      loadModelSource(`${host.url}${folder}/model.json`, tempDir(), { ca }),
      new RegExp(
        `model\\.json lists weight file ${JSON.stringify(path).replace(/[\\.*+?^${}()|[\]]/g, '\\$&')}, which is not a plain relative name inside its folder`,
      ),
    );
  }
  assert.deepEqual(other.requests, []);
  assert.ok(!host.requests.some((r) => r.includes('secret')), `requests: ${host.requests.join(' ')}`);
});

test('byte caps per file and per model hold while streaming, with or without Content-Length', async () => {
  const host = await httpsHost();
  const modelJson = await serveTinyModel(host, '/m');
  // No Content-Length (chunked), so only the streaming count can stop it.
  host.routes.set('/big/model.json', (_req, res) => {
    res.writeHead(200);
    for (let i = 0; i < 64; i++) res.write(Buffer.alloc(1024, 32));
    res.end('{}');
  });
  const cacheDir = tempDir();
  await refused(
    loadModelSource(`${host.url}/big/model.json`, cacheDir, { ca, limits: { maxFileBytes: 10_000 } }),
    /^Backbone model\.json at https:\/\/127\.0\.0\.1:\d+\/big\/model\.json is larger than the 10,000 bytes allowed for one file\. Download it yourself and give its local path\.$/,
  );
  serveBytes(host, '/declared/model.json', Buffer.alloc(20_000, 32), { 'content-length': '20000' });
  await refused(
    loadModelSource(`${host.url}/declared/model.json`, cacheDir, { ca, limits: { maxFileBytes: 10_000 } }),
    /is larger than the 10,000 bytes allowed for one file/,
  );
  // Each file under the per-file cap, the model over the total: model.json fits, its weights do not.
  const maxTotalBytes = modelJson.length + 100;
  await refused(
    loadModelSource(`${host.url}/m/model.json`, cacheDir, { ca, limits: { maxTotalBytes } }),
    new RegExp(
      `^Backbone model https://127\\.0\\.0\\.1:\\d+/m/model\\.json is larger than the ${maxTotalBytes.toLocaleString('en')} bytes allowed for one model\\.`,
    ),
  );
  // Two shards, each under the per-file cap (which is below the total, as by default), together over the total.
  serveBytes(host, '/two/model.json', JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['a.bin', 'b.bin'], weights: [] }] }));
  serveBytes(host, '/two/a.bin', Buffer.alloc(8_000));
  serveBytes(host, '/two/b.bin', Buffer.alloc(8_000));
  await refused(
    loadModelSource(`${host.url}/two/model.json`, cacheDir, { ca, limits: { maxFileBytes: 10_000, maxTotalBytes: 12_000 } }),
    /^Backbone model https:\/\/127\.0\.0\.1:\d+\/two\/model\.json is larger than the 12,000 bytes allowed for one model\./,
  );
  assert.deepEqual(cachedEntries(cacheDir), [], 'no partial download is kept');
  assert.equal((await loadModelSource(`${host.url}/m/model.json`, cacheDir, { ca })).kind, 'layers', 'the same model under the default caps');
  assert.deepEqual(
    DOWNLOAD_LIMITS,
    { maxFileBytes: 512 * 1024 ** 2, maxTotalBytes: 1024 ** 3, maxRedirects: 3, timeoutMs: 300_000 },
    'the documented defaults',
  );
});

test('a host that never finishes its answer runs into the timeout', async () => {
  const host = await httpsHost();
  const open: ServerResponse[] = [];
  host.routes.set('/slow/model.json', (_req, res) => {
    res.writeHead(200);
    res.write('{');
    open.push(res);
  });
  after(() => open.forEach((res) => res.destroy()));
  await refused(
    loadModelSource(`${host.url}/slow/model.json`, tempDir(), { ca, limits: { timeoutMs: 300 } }),
    /Could not download backbone model\.json from .*\/slow\/model\.json \(no complete answer within 0\.3 s\)/,
  );
});

test('a sha256 pin: the right one loads, a wrong one is refused on download and on a cache hit', async () => {
  const host = await httpsHost();
  const modelJson = await serveTinyModel(host, '/m');
  const right = sha256(modelJson);
  const wrong = sha256('something else');
  const cacheDir = tempDir();
  await refused(
    loadBackbone(parseBackboneSpec(`${host.url}/m/model.json@16,sha256=${wrong}`), { cacheDir, ca }),
    new RegExp(`model\\.json has sha256 ${right}, not the pinned ${wrong}\\. The file changed, or the pin is wrong; it was not used\\.`),
  );
  assert.deepEqual(cachedEntries(cacheDir), []);
  const pinned = await loadBackbone(parseBackboneSpec(`${host.url}/m/model.json@16,sha256=${right}`), { cacheDir, ca });
  pinned.dispose();
  // The host now serves other bytes; the cached copy still matches the pin, so it is used.
  const requests = host.requests.length;
  serveBytes(host, '/m/model.json', Buffer.from(modelJson.toString().replace('"img"', '"img2"')));
  (await loadBackbone(parseBackboneSpec(`${host.url}/m/model.json@16,sha256=${right}`), { cacheDir, ca })).dispose();
  assert.equal(host.requests.length, requests);
  // Pinned to something the cache does not hold: fetched again, and the new bytes refused.
  await refused(loadBackbone(parseBackboneSpec(`${host.url}/m/model.json@16,sha256=${wrong}`), { cacheDir, ca }), /not the pinned/);
  assert.ok(host.requests.length > requests);
});

test('a cache entry changed after download is never used: it is fetched again (and a pin catches a changed host)', async () => {
  const host = await httpsHost();
  const modelJson = await serveTinyModel(host, '/m');
  const cacheDir = tempDir();
  const spec = parseBackboneSpec(`${host.url}/m/model.json@16`);
  const first = await loadBackbone(spec, { cacheDir, ca });
  const pixels = new Uint8Array(16 * 16 * 3).fill(120);
  const expected = [...first.embed(pixels, 1)];
  first.dispose();
  const entry = join(cacheDir, 'backbones', cachedEntries(cacheDir)[0]);
  // Someone with write access to the cache (another workflow) swaps the weights.
  writeFileSync(join(entry, 'weights.bin'), Buffer.alloc(readFileSync(join(entry, 'weights.bin')).length, 0x7f));
  const requests = host.requests.length;
  const second = await loadBackbone(spec, { cacheDir, ca });
  assert.equal(host.requests.length, requests + 2, 'both files fetched again');
  assert.deepEqual([...second.embed(pixels, 1)], expected, 'the poisoned weights were not used');
  second.dispose();
  // The same with the record itself rewritten to match: a pinned model.json still holds.
  const poisoned = Buffer.from(modelJson.toString().replace('"relu"', '"linear"'));
  writeFileSync(join(entry, 'model.json'), poisoned);
  const record = JSON.parse(readFileSync(join(entry, '.files.json'), 'utf8'));
  record.files[0].sha256 = sha256(poisoned);
  writeFileSync(join(entry, '.files.json'), JSON.stringify(record));
  const pinned = await loadModelSource(spec.source, cacheDir, { ca, sha256: sha256(modelJson) });
  assert.equal(pinned.sha256, sha256(modelJson), 'the pin refused the rewritten entry and the download replaced it');
});

test('an .onnx URL or path: one verified file, pinned like model.json', async () => {
  const host = await httpsHost();
  const onnx = Buffer.from('not really a graph, but bytes to verify');
  serveBytes(host, '/enc/encoder.onnx', onnx);
  const cacheDir = tempDir();
  const source = await loadModelSource(`${host.url}/enc/encoder.onnx`, cacheDir, { ca, sha256: sha256(onnx) });
  assert.equal(source.kind, 'onnx');
  if (source.kind !== 'onnx') return;
  assert.deepEqual(readFileSync(source.file), onnx);
  assert.equal(source.displayName, 'encoder');
  assert.equal(source.contentHash, sha256(onnx).slice(0, 24));
  await refused(
    loadModelSource(`${host.url}/enc/encoder.onnx`, tempDir(), { ca, sha256: '0'.repeat(64) }),
    /the \.onnx file|model\.onnx has sha256 [0-9a-f]{64}, not the pinned 0{64}/,
  );
  // A local file: its real path, pinned the same way.
  const dir = tempDir();
  writeFileSync(join(dir, 'encoder.onnx'), onnx);
  const local = await loadModelSource(join(dir, 'encoder.onnx'), tempDir(), { sha256: sha256(onnx) });
  assert.equal(local.kind === 'onnx' && readFileSync(local.file).equals(onnx), true);
  await refused(
    loadModelSource(join(dir, 'encoder.onnx'), tempDir(), { sha256: '1'.repeat(64) }),
    /the \.onnx file has sha256 [0-9a-f]{64}, not the pinned 1{64}/,
  );
  await refused(loadModelSource(join(dir, 'missing.onnx'), tempDir()), /was not found\. Check the path to its \.onnx file\./);
});
