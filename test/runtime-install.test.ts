/**
 * The runtime install (issue 11, item 1): the lockfile the build ships, npm ci with no secrets
 * in its environment, the install steps run by hand, the tree manifest checked on every run (a
 * planted or modified folder is refused), failed installs removed, and packages resolved from
 * the install folder only.
 *
 * npm is a fake on PATH that records its arguments and environment and lays out the tree a real
 * `npm ci` would; one test runs the real npm on a one-package cut, offline, from the npm cache
 * this repository's own `npm ci` filled. The resolution tests run in a child process (Node 24,
 * as the action): the hooks they register would otherwise redirect this process's own imports.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { INSTALLER_VARIABLES } from '../src/action/env.js';
import { INSTALL_STEPS, provideRuntime, runtimeSet, verifyInstall } from '../src/action/runtime.js';
import { runtimeLock, runtimeLocks, RUNTIME_SETS } from '../scripts/runtime-lock.mjs';
import { captureStdout } from './fakes/runner.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
interface LockEntry {
  version: string;
  integrity?: string;
  optional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const rootLock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const packageVersion = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
interface Recorded {
  who: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}
const SECRETS = {
  'INPUT_GITHUB-TOKEN': 'ghs_inputSecret',
  ACTIONS_RUNTIME_TOKEN: 'runtime.jwt.secret',
  ACTIONS_RESULTS_URL: 'https://results.example/',
  GITHUB_TOKEN: 'ghs_envSecret',
  NPM_TOKEN: 'npm_secret',
};

/** A fake `npm`: records {args, cwd, env}, then writes package.json and index.js for every lockfile entry (and the install scripts INSTALL_STEPS run, which record themselves too). */
const FAKE_NPM = `
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const [record, failMarker, ...args] = process.argv.slice(2);
appendFileSync(record, JSON.stringify({ who: 'npm', args, cwd: process.cwd(), env: process.env }) + '\\n');
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const scripts = { 'onnxruntime-node': 'script/install.js', '@tensorflow/tfjs-node-gpu': 'scripts/install.js', '@tensorflow/tfjs-node': 'scripts/install.js' };
for (const [path, entry] of Object.entries(lock.packages)) {
  if (!path) continue;
  const name = path.slice(path.lastIndexOf('node_modules/') + 13);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'package.json'), JSON.stringify({ name, version: entry.version, main: 'index.js' }));
  writeFileSync(join(path, 'index.js'), "let outsider; try { outsider = require('outsider'); } catch (e) { outsider = e.code; } module.exports = { id: " + JSON.stringify(name + '@' + entry.version) + ", outsider };");
  if (scripts[name]) {
    mkdirSync(join(path, scripts[name], '..'), { recursive: true });
    writeFileSync(join(path, scripts[name]), "require('node:fs').appendFileSync(" + JSON.stringify(record) + ", JSON.stringify({ who: " + JSON.stringify(name) + ", args: process.argv.slice(2), cwd: process.cwd(), env: process.env }) + '\\\\n');");
  }
  if (existsSync(failMarker)) process.exit(1); // after a first package: a partial tree
}
`;

/** A lockfile directory as dist/action/runtime/<set>/ holds one (hand-made: the fake npm only reads names and versions). */
async function writeLockDir(dir: string, packages: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const dependencies = Object.fromEntries(Object.entries(packages).sort());
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'classifier-ci-runtime', version: '0.0.0', private: true, dependencies }));
  const entries = Object.fromEntries(
    Object.entries(dependencies).map(([name, version]) => [`node_modules/${name}`, { version, integrity: `sha512-${Buffer.from(name).toString('base64')}` }]),
  );
  await writeFile(
    join(dir, 'package-lock.json'),
    JSON.stringify({
      name: 'classifier-ci-runtime',
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: 'classifier-ci-runtime', dependencies }, ...entries },
    }),
  );
}

const digestOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const installsIn = (home: string) => (existsSync(home) ? readdirSync(home).filter((n) => n.startsWith('install-')) : []);

describe('the runtime install', () => {
  const saved = { ...process.env };
  let temp: string;
  let record: string;
  let failMarker: string;
  let fakeBin: string;
  let lockDir: string;
  let root: string;

  before(async () => {
    temp = await mkdtemp(join(tmpdir(), 'classifier-ci-runtime-'));
    record = join(temp, 'record.jsonl');
    failMarker = join(temp, 'fail');
    fakeBin = join(temp, 'bin');
    await mkdir(fakeBin, { recursive: true });
    await writeFile(join(temp, 'fake-npm.mjs'), FAKE_NPM);
    await writeFile(join(fakeBin, 'npm'), `#!/bin/sh\nexec '${process.execPath}' '${join(temp, 'fake-npm.mjs')}' '${record}' '${failMarker}' "$@"\n`);
    await chmod(join(fakeBin, 'npm'), 0o755);
    lockDir = join(temp, 'dist', 'action', 'runtime', 'gpu');
    await writeLockDir(lockDir, { 'tiny-pkg': '1.0.0', 'onnxruntime-node': '1.30.0', '@tensorflow/tfjs-node-gpu': '4.22.0' });
  });
  beforeEach(async () => {
    process.env = { ...saved, ...SECRETS, PATH: `${fakeBin}${delimiter}${saved.PATH ?? ''}` };
    root = join(temp, `tool-cache-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    await rm(record, { force: true });
    await rm(failMarker, { force: true });
  });
  after(async () => {
    process.env = saved;
    await rm(temp, { recursive: true, force: true });
  });

  const records = (): Recorded[] =>
    existsSync(record)
      ? readFileSync(record, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Recorded)
      : [];

  it('auto means gpu only where an NVIDIA driver is loaded', () => {
    assert.equal(runtimeSet('auto', true), 'gpu');
    assert.equal(runtimeSet('auto', false), 'none');
    assert.equal(runtimeSet('cpu', true), 'cpu');
  });

  it('runs npm ci --ignore-scripts, then only the needed install steps, none of them seeing a secret', async () => {
    let dir = '';
    await captureStdout(async () => (dir = await provideRuntime(lockDir, root, 'gpu')));
    const seen = records();
    assert.deepEqual(
      seen.map((r) => r.who),
      ['npm', 'onnxruntime-node', '@tensorflow/tfjs-node-gpu'],
    );
    assert.deepEqual(seen[0].args.slice(0, 2), ['ci', '--ignore-scripts']);
    assert.equal(seen[0].cwd, dir);
    assert.deepEqual(seen[1].args, INSTALL_STEPS.gpu[0].args.slice(1));
    assert.equal(seen[1].cwd, join(dir, 'node_modules', 'onnxruntime-node'));
    assert.deepEqual(seen[2].args, ['gpu', 'download']);
    for (const { who, env } of seen) {
      for (const name of Object.keys(env)) {
        // The fake's /bin/sh wrapper adds PWD, SHLVL and _; nothing else comes from outside the allow-list.
        assert.ok(INSTALLER_VARIABLES.includes(name) || ['PWD', 'SHLVL', '_'].includes(name), `${who} saw ${name}`);
      }
      const text = JSON.stringify(env);
      for (const [name, value] of Object.entries(SECRETS)) assert.ok(!text.includes(value), `${who} saw ${name}`);
      // Install steps also get the installed packages' commands first on PATH, as npm gives lifecycle scripts.
      assert.ok(env.PATH?.startsWith(who === 'npm' ? fakeBin : `${join(dir, 'node_modules', '.bin')}${delimiter}${fakeBin}`), `${who} keeps PATH: ${env.PATH}`);
    }
    assert.equal(await verifyInstall(dir, digestOf(join(lockDir, 'package-lock.json'))), null);
  });

  it('sharp and the rest need no install step: the none set runs npm ci alone', async () => {
    const none = join(temp, 'dist-none');
    await writeLockDir(none, { 'tiny-pkg': '1.0.0', 'onnxruntime-node': '1.30.0' });
    await captureStdout(() => provideRuntime(none, root, 'none'));
    assert.deepEqual(
      records().map((r) => r.who),
      ['npm'],
    );
  });

  it('reuses an install only after checking every file; a planted or modified folder is refused and removed', async () => {
    let first = '';
    await captureStdout(async () => (first = await provideRuntime(lockDir, root, 'gpu')));
    const home = dirname(first);
    assert.equal(records().filter((r) => r.who === 'npm').length, 1);

    // Planted by another job: a copy with a changed file, its old manifest and a .complete marker, newer than the real one.
    const planted = join(home, 'install-planted');
    await cp(first, planted, { recursive: true });
    await writeFile(join(planted, '.complete'), '');
    await writeFile(join(planted, 'node_modules', 'tiny-pkg', 'index.js'), 'module.exports = "evil";');
    // An old-style folder: .complete and no manifest. Never used, and left alone while it may be another job's install under way.
    const oldStyle = join(home, 'install-old-style');
    await cp(first, oldStyle, { recursive: true });
    await rm(join(oldStyle, '.classifier-ci-manifest.json'));
    await writeFile(join(oldStyle, '.complete'), '');

    let again = '';
    const out = await captureStdout(async () => (again = await provideRuntime(lockDir, root, 'gpu')));
    assert.equal(again, first);
    assert.match(
      out,
      /::warning::The native modules in .*install-planted are not used: 2 file\(s\) differ from its manifest \(node_modules\/tiny-pkg\/index\.js changed, \.complete added\)\. They are removed and installed again\./,
    );
    assert.equal(existsSync(planted), false, 'the planted folder is removed');
    assert.equal(records().filter((r) => r.who === 'npm').length, 1, 'the verified install is reused');

    // The install itself modified: refused, and a fresh folder installed.
    await writeFile(join(first, 'node_modules', 'onnxruntime-node', 'index.js'), 'module.exports = "evil";');
    let fresh = '';
    const out2 = await captureStdout(async () => (fresh = await provideRuntime(lockDir, root, 'gpu')));
    assert.match(out2, /node_modules\/onnxruntime-node\/index\.js changed/);
    assert.notEqual(fresh, first);
    assert.notEqual(fresh, oldStyle);
    assert.equal(existsSync(first), false);
    assert.equal(records().filter((r) => r.who === 'npm').length, 2);
    assert.deepEqual(installsIn(home).sort(), [fresh.slice(home.length + 1), 'install-old-style'].sort());
  });

  it('refuses a tree with a link out of it, a manifest for another lockfile, or no manifest', async () => {
    let dir = '';
    await captureStdout(async () => (dir = await provideRuntime(lockDir, root, 'gpu')));
    const digest = digestOf(join(lockDir, 'package-lock.json'));
    assert.equal(await verifyInstall(dir, 'f'.repeat(64)), 'it was installed from another lockfile');
    await symlink('/etc', join(dir, 'node_modules', 'tiny-pkg', 'etc'));
    assert.equal(await verifyInstall(dir, digest), 'node_modules/tiny-pkg/etc links outside the install (/etc)');
    await rm(join(dir, '.classifier-ci-manifest.json'));
    assert.equal(await verifyInstall(dir, digest), 'it has no readable manifest');
  });

  it('removes a failed install, partial tree and all', async () => {
    await writeFile(failMarker, '');
    const out = await captureStdout(() => assert.rejects(provideRuntime(lockDir, root, 'gpu'), /^Error: npm ci exited with code 1$/));
    assert.match(out, /Installing into a fresh folder/);
    const homes = existsSync(root) ? readdirSync(root) : [];
    assert.equal(homes.length, 1);
    assert.deepEqual(installsIn(join(root, homes[0] ?? '')), []);
  });

  it('installs a real cut with the real npm (offline, from the npm cache) and verifies it', async () => {
    const real = join(temp, 'dist-real');
    await mkdir(real, { recursive: true });
    const files = runtimeLock(rootLock, ['detect-libc'], '0.0.0');
    await writeFile(join(real, 'package.json'), files.packageJson);
    await writeFile(join(real, 'package-lock.json'), files.packageLock);
    process.env = { ...saved, ...SECRETS, npm_config_offline: 'true' };
    let dir = '';
    await captureStdout(async () => (dir = await provideRuntime(real, root, 'none')));
    assert.equal(await verifyInstall(dir, digestOf(join(real, 'package-lock.json'))), null, 'npm ci leaves package-lock.json as it was');
    assert.equal(packageVersion(join(dir, 'node_modules', 'detect-libc')), rootLock.packages['node_modules/detect-libc']?.version);
    const detectLibc = createRequire(join(dir, 'package.json'))('detect-libc') as { family: unknown };
    assert.equal(typeof detectLibc.family, 'function');
  });
});

describe('the runtime lockfile', () => {
  it('in dist/action/runtime/ is what the build derives from package-lock.json', () => {
    const derived = runtimeLocks(rootLock, packageVersion(repoRoot));
    for (const [set, files] of Object.entries(derived)) {
      const dir = join(repoRoot, 'dist', 'action', 'runtime', set);
      assert.equal(
        readFileSync(join(dir, 'package-lock.json'), 'utf8'),
        files.packageLock,
        `dist/action/runtime/${set}/package-lock.json is stale: run node scripts/build-dist.mjs`,
      );
      assert.equal(
        readFileSync(join(dir, 'package.json'), 'utf8'),
        files.packageJson,
        `dist/action/runtime/${set}/package.json is stale: run node scripts/build-dist.mjs`,
      );
    }
  });

  it('is the same bytes every time, pins every package with its integrity hash, and is closed under its dependencies', () => {
    const first = runtimeLocks(rootLock, '1.2.3');
    assert.deepEqual(runtimeLocks(structuredClone(rootLock), '1.2.3'), first);
    for (const [set, files] of Object.entries(first)) {
      const lock = JSON.parse(files.packageLock) as { packages: Record<string, LockEntry> };
      const wanted = [...RUNTIME_SETS.always, ...RUNTIME_SETS[set as 'none' | 'cpu' | 'gpu']];
      assert.deepEqual(Object.keys((JSON.parse(files.packageJson) as { dependencies: object }).dependencies).sort(), [...wanted].sort());
      for (const [path, entry] of Object.entries(lock.packages)) {
        if (!path) continue;
        assert.match(entry.integrity ?? '', /^sha512-/, `${set}: ${path} has no integrity hash`);
        assert.equal(entry.version, rootLock.packages[path]?.version, `${set}: ${path} is the version the tests ran with`);
        for (const [name, optional] of [
          ...Object.keys(entry.dependencies ?? {}).map((n) => [n, false] as const),
          ...Object.keys(entry.optionalDependencies ?? {}).map((n) => [n, true] as const),
        ]) {
          // The nearest node_modules/<name> above the package, as Node resolves it.
          const candidates: string[] = [];
          for (let at = path; ; at = at.slice(0, Math.max(0, at.lastIndexOf('/node_modules/')))) {
            candidates.push(`${at}/node_modules/${name}`);
            if (!at.includes('/node_modules/')) break;
          }
          candidates.push(`node_modules/${name}`);
          const target = candidates.find((c) => rootLock.packages[c]);
          if (target) assert.ok(lock.packages[target], `${set}: ${path} needs ${target}, which the cut lacks`);
          else assert.ok(optional, `${set}: ${path} needs ${name}`);
        }
      }
      // Platform builds are optional (npm skips the others); the repository's dev tools are not there.
      assert.equal(lock.packages['node_modules/@img/sharp-darwin-arm64']?.optional, true);
      assert.equal(lock.packages['node_modules/sharp']?.optional, undefined);
      for (const dev of ['typescript', 'esbuild', 'playwright-core', 'tsx', '@actions/core'])
        assert.equal(lock.packages[`node_modules/${dev}`], undefined, `${set} holds ${dev}`);
    }
    for (const files of Object.values(first))
      assert.ok(
        (JSON.parse(files.packageJson) as { dependencies: Record<string, string> }).dependencies['onnxruntime-node'],
        'onnxruntime-node is in every set',
      );
  });
});

describe('resolving from the install folder only', () => {
  let temp: string;
  before(async () => {
    temp = await mkdtemp(join(tmpdir(), 'classifier-ci-resolve-'));
  });
  after(async () => rm(temp, { recursive: true, force: true }));

  it("finds the bundle's packages in the install, refuses an ancestor node_modules, in worker threads too, and writes nothing into dist/", async () => {
    // A package planted above both the action's checkout and the tool cache.
    await mkdir(join(temp, 'node_modules', 'outsider'), { recursive: true });
    await writeFile(join(temp, 'node_modules', 'outsider', 'package.json'), JSON.stringify({ name: 'outsider', version: '6.6.6', main: 'index.js' }));
    await writeFile(join(temp, 'node_modules', 'outsider', 'index.js'), 'module.exports = "planted";');
    // The action's checkout: a bundle importing a runtime package, and the lockfile.
    const dist = join(temp, 'checkout', 'dist', 'action');
    await writeLockDir(join(dist, 'runtime', 'none'), { 'tiny-pkg': '1.0.0' });
    const bundle = [
      "import { createRequire } from 'node:module';",
      "import { Worker } from 'node:worker_threads';",
      "const tiny = (await import('tiny-pkg')).default;",
      "const viaRequire = createRequire(import.meta.url)('tiny-pkg');",
      "let outsider; try { await import('outsider'); outsider = 'found'; } catch (e) { outsider = e.code; }",
      "let outsiderRequired; try { createRequire(import.meta.url)('outsider'); outsiderRequired = 'found'; } catch (e) { outsiderRequired = e.code; }",
      'const inWorker = await new Promise((done, fail) => {',
      // As core/embeddings/parallel.ts starts its workers: with the main thread's execArgv.
      "  const w = new Worker(new URL('./worker.mjs', import.meta.url), { execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')) });",
      "  w.once('message', (m) => { done(m); w.terminate(); }); w.once('error', fail);",
      '});',
      'export default { tiny, viaRequire, outsider, outsiderRequired, inWorker };',
    ].join('\n');
    await writeFile(join(dist, 'bundle.mjs'), bundle);
    await writeFile(
      join(dist, 'worker.mjs'),
      "import { parentPort } from 'node:worker_threads';\nimport('tiny-pkg').then((m) => parentPort.postMessage(m.default.id), (e) => parentPort.postMessage(e.code));\n",
    );
    const before = readdirSync(join(temp, 'checkout'), { recursive: true, encoding: 'utf8' }).sort();

    const fakeBin = join(temp, 'bin');
    await mkdir(fakeBin, { recursive: true });
    await writeFile(join(temp, 'fake-npm.mjs'), FAKE_NPM);
    await writeFile(
      join(fakeBin, 'npm'),
      `#!/bin/sh\nexec '${process.execPath}' '${join(temp, 'fake-npm.mjs')}' '${join(temp, 'record.jsonl')}' '${join(temp, 'no-fail')}' "$@"\n`,
    );
    await chmod(join(fakeBin, 'npm'), 0o755);

    const script = [
      `import { ensureRuntime } from ${JSON.stringify(join(repoRoot, 'src', 'action', 'runtime.ts'))};`,
      `const dir = await ensureRuntime('none', ${JSON.stringify(dist)});`,
      `const result = (await import(${JSON.stringify(join(dist, 'bundle.mjs'))})).default;`,
      "process.stderr.write('RESULT ' + JSON.stringify({ dir, ...result }) + '\\n');",
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PATH: `${fakeBin}${delimiter}${process.env.PATH ?? ''}`,
        RUNNER_TOOL_CACHE: join(temp, 'tool-cache'),
        RUNNER_TEMP: join(temp, 'runner-temp'),
        CLASSIFIER_CI_RUNTIME_DIR: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    const line = /^RESULT (.*)$/m.exec(stderr);
    assert.ok(line, `exit ${code}\n${stderr}`);
    const result = JSON.parse(line[1] ?? '') as {
      dir: string;
      tiny: unknown;
      viaRequire: unknown;
      outsider: string;
      outsiderRequired: string;
      inWorker: string;
    };
    assert.ok(result.dir.startsWith(join(temp, 'tool-cache')), result.dir);
    assert.deepEqual(
      result.tiny,
      { id: 'tiny-pkg@1.0.0', outsider: 'ERR_MODULE_NOT_FOUND' },
      'found in the install; its own require of an ancestor package refused',
    );
    assert.deepEqual(result.viaRequire, result.tiny);
    assert.equal(result.outsider, 'ERR_MODULE_NOT_FOUND');
    assert.equal(result.outsiderRequired, 'ERR_MODULE_NOT_FOUND');
    assert.equal(result.inWorker, 'tiny-pkg@1.0.0');
    assert.deepEqual(readdirSync(join(temp, 'checkout'), { recursive: true, encoding: 'utf8' }).sort(), before, 'nothing written into the checkout');
  });
});
