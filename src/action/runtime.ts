/**
 * Getting the native modules onto the runner. sharp (libvips), onnxruntime-node, tfjs-node(-gpu)
 * (libtensorflow), and the packages that load files from their own folder at run time (nsfwjs's
 * weights, tfjs-backend-wasm's .wasm, the Vega browser builds) cannot live inside the dist/
 * bundle.
 *
 * What is trusted, and why (docs/security.md):
 * - The build cuts a lockfile with integrity hashes for each runtime set out of the repository's
 *   own package-lock.json (scripts/runtime-lock.mjs) into dist/action/runtime/<set>/. The runner
 *   installs exactly that with `npm ci --ignore-scripts`, in an environment with nothing secret
 *   in it; the few install steps that are needed run explicitly (INSTALL_STEPS), in the same
 *   environment.
 * - An install lives in a fresh folder under the tool cache (kept between jobs on self-hosted
 *   runners). Right after it, every file's hash goes into a manifest; every run hashes the tree
 *   again and uses it only if it matches. A modified or planted folder is refused, removed and
 *   installed afresh. A failed install is removed.
 * - Packages resolve from the install folder only: a resolve hook (main thread and worker
 *   threads) sends the bundle's bare imports there and refuses anything found outside it, so a
 *   node_modules in an ancestor folder is never used. Nothing is written into the action's checkout.
 *
 * Running from source (tests, the CLI) there is no dist/action/runtime/ and nothing happens.
 */
import * as core from '@actions/core';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { access, copyFile, lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as nodeModule from 'node:module';
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { installerEnvironment, runnerTemp, runnerToolCache, runtimeDirOverride } from './env.js';
import type { NativeBackend } from './inputs.js';

/** The runtime sets the build writes to dist/action/runtime/<set>/ (scripts/runtime-lock.mjs). */
export type RuntimeSet = 'none' | 'cpu' | 'gpu';

/** Whether an NVIDIA driver is loaded: then auto means gpu. The engine checks CUDA itself. */
export function hasNvidiaDriver(): boolean {
  return existsSync('/proc/driver/nvidia/version');
}

export function runtimeSet(native: NativeBackend, gpuPresent = hasNvidiaDriver()): RuntimeSet {
  return native === 'auto' ? (gpuPresent ? 'gpu' : 'none') : native;
}

/** An install script run by hand after `npm ci --ignore-scripts`: the package, and node's arguments in its folder. */
export interface InstallStep {
  package: string;
  args: string[];
}

/**
 * The only install scripts that run. sharp needs none (its prebuilt @img packages carry
 * libvips); onnxruntime-node's only fetches the CUDA provider, so only for gpu; tfjs-node(-gpu)
 * downloads libtensorflow and its binding. Each is what the package's own "install" script says.
 */
export const INSTALL_STEPS: Record<RuntimeSet, InstallStep[]> = {
  none: [],
  cpu: [{ package: '@tensorflow/tfjs-node', args: ['scripts/install.js'] }],
  gpu: [
    { package: 'onnxruntime-node', args: ['script/install.js'] },
    { package: '@tensorflow/tfjs-node-gpu', args: ['scripts/install.js', 'gpu', 'download'] },
  ],
};

const MANIFEST = '.classifier-ci-manifest.json';
/** A folder without a manifest this old is a crashed install, not one under way in another job. */
const STALE_INSTALL_MS = 6 * 60 * 60 * 1000;

interface Manifest {
  /** sha256 of the package-lock.json installed. */
  lock: string;
  /** Path (with /) → `sha256:<hex>` (`:x` when executable) or `link:<target>`. */
  files: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// The tree manifest

/** Every file and symlink under `root` (not the manifest itself), hashed; symlinks must stay inside. */
export async function hashTree(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const key = relative(root, path).split(sep).join('/');
      if (key === MANIFEST) continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isSymbolicLink()) {
        const target = await readlink(path);
        const inside = relative(root, resolve(dirname(path), target));
        if (isAbsolute(target) || inside.startsWith('..') || isAbsolute(inside)) throw new Error(`${key} links outside the install (${target})`);
        files[key] = `link:${target}`;
      } else if (entry.isFile()) {
        const info = await stat(path);
        const hash = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
        files[key] = `sha256:${hash}${info.mode & 0o111 ? ':x' : ''}`;
      } else throw new Error(`${key} is neither a file, a folder nor a link`);
    }
  }
  await walk(root);
  return files;
}

/** Why the install at `dir` cannot be trusted for this lockfile, or null when every file matches its manifest. */
export async function verifyInstall(dir: string, lockDigest: string): Promise<string | null> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return 'it has no readable manifest';
  }
  if (manifest.lock !== lockDigest) return 'it was installed from another lockfile';
  let actual: Record<string, string>;
  try {
    actual = await hashTree(dir);
  } catch (error) {
    return (error as Error).message;
  }
  const expected = manifest.files ?? {};
  if (!expected['package-lock.json'] || actual['package-lock.json'] !== `sha256:${lockDigest}`) return 'its package-lock.json is not the one in dist/';
  const changed = Object.keys(expected).filter((path) => actual[path] !== expected[path]);
  const added = Object.keys(actual).filter((path) => !(path in expected));
  if (changed.length + added.length === 0) return null;
  const sample = [...changed.map((p) => `${p} ${p in actual ? 'changed' : 'missing'}`), ...added.map((p) => `${p} added`)].slice(0, 3).join(', ');
  return `${changed.length + added.length} file(s) differ from its manifest (${sample})`;
}

// ---------------------------------------------------------------------------------------------
// Installing

/** npm as the runner's PATH names it (what any other step would run), else the one shipped next to this Node. */
export function npmCommand(path = installerEnvironment().PATH ?? ''): { command: string; prefix: string[]; shell: boolean } {
  const windows = process.platform === 'win32';
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, windows ? 'npm.cmd' : 'npm');
    if (existsSync(candidate)) return { command: candidate, prefix: [], shell: windows };
  }
  const nodeDir = dirname(process.execPath);
  for (const cli of [join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), join(nodeDir, 'node_modules', 'npm', 'bin', 'npm-cli.js')]) {
    if (existsSync(cli)) return { command: process.execPath, prefix: [cli], shell: false };
  }
  throw new Error('npm was found neither on PATH nor next to Node; the native modules cannot be installed');
}

function runChild(what: string, command: string, args: string[], cwd: string, options: { shell?: boolean; binDir?: string } = {}): Promise<void> {
  // Nothing secret in the environment: no INPUT_*, ACTIONS_*, GITHUB_* (installerEnvironment).
  const env = installerEnvironment();
  // As npm runs lifecycle scripts: the installed packages' commands (node-pre-gyp) on PATH.
  if (options.binDir) env.PATH = [options.binDir, env.PATH].filter(Boolean).join(delimiter);
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'], shell: options.shell ?? false });
    child.on('error', fail);
    child.on('exit', (code, signal) => (code === 0 ? done() : fail(new Error(`${what} exited with ${signal ?? `code ${code}`}`))));
  });
}

/** Installs a runtime set into a fresh folder under `root`; the folder is removed if anything fails. */
async function install(root: string, lockDir: string, set: RuntimeSet, lockDigest: string): Promise<string> {
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(join(root, 'install-'));
  try {
    await copyFile(join(lockDir, 'package.json'), join(dir, 'package.json'));
    await copyFile(join(lockDir, 'package-lock.json'), join(dir, 'package-lock.json'));
    const npm = npmCommand();
    await runChild(
      'npm ci',
      npm.command,
      [...npm.prefix, 'ci', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'],
      dir,
      { shell: npm.shell },
    );
    for (const step of INSTALL_STEPS[set]) {
      const folder = join(dir, 'node_modules', ...step.package.split('/'));
      core.info(`Running ${step.package}'s install step: node ${step.args.join(' ')}`);
      await runChild(`${step.package}'s install step`, process.execPath, step.args, folder, { binDir: join(dir, 'node_modules', '.bin') });
    }
    const manifest: Manifest = { lock: lockDigest, files: await hashTree(dir) };
    await writeFile(join(dir, `${MANIFEST}.partial`), JSON.stringify(manifest));
    await rename(join(dir, `${MANIFEST}.partial`), join(dir, MANIFEST));
    return dir;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Installs under `root` that are not in use elsewhere: those with a manifest, and crashed ones. */
async function earlierInstalls(root: string): Promise<{ dir: string; complete: boolean; stale: boolean }[]> {
  const names = existsSync(root) ? (await readdir(root)).filter((n) => n.startsWith('install-')) : [];
  const now = Date.now();
  const found = await Promise.all(
    names.map(async (name) => {
      const dir = join(root, name);
      const info = await lstat(dir);
      return {
        dir,
        complete: existsSync(join(dir, MANIFEST)),
        stale: now - info.mtimeMs > STALE_INSTALL_MS,
        symlink: info.isSymbolicLink(),
        mtime: info.mtimeMs,
      };
    }),
  );
  // Newest first; a symlinked folder is never ours.
  return found.sort((a, b) => b.mtime - a.mtime).map(({ dir, complete, stale, symlink }) => ({ dir, complete: complete && !symlink, stale: stale || symlink }));
}

/**
 * A verified install of the runtime set whose lockfile is in `lockDir`, under `root`: an
 * earlier one whose every file still matches its manifest, else a fresh one.
 */
export async function provideRuntime(lockDir: string, root: string, set: RuntimeSet): Promise<string> {
  const lock = await readFile(join(lockDir, 'package-lock.json'));
  const lockDigest = createHash('sha256').update(lock).digest('hex');
  const home = join(root, `${set}-${lockDigest.slice(0, 16)}`);
  for (const earlier of await earlierInstalls(home)) {
    if (!earlier.complete) {
      if (earlier.stale) await rm(earlier.dir, { recursive: true, force: true }).catch(() => undefined);
      continue;
    }
    const problem = await verifyInstall(earlier.dir, lockDigest);
    if (problem === null) {
      core.info(`Using the native modules installed in ${earlier.dir} (every file checked against its manifest).`);
      return earlier.dir;
    }
    core.warning(`The native modules in ${earlier.dir} are not used: ${problem}. They are removed and installed again.`);
    await rm(earlier.dir, { recursive: true, force: true }).catch(() => undefined);
  }
  core.info(`Installing into a fresh folder under ${home}; later jobs on this runner reuse it after checking it.`);
  return install(home, lockDir, set, lockDigest);
}

// ---------------------------------------------------------------------------------------------
// Resolving from the install only

/**
 * A resolve hook for module.registerHooks. Stringified into the worker threads' `--import`, so
 * it takes everything it uses as arguments and closes over nothing else.
 */
export function makeResolveHook(
  installDir: string,
  deps: {
    createRequire: typeof nodeModule.createRequire;
    isBuiltin: (name: string) => boolean;
    pathToFileURL: typeof pathToFileURL;
    fileURLToPath: typeof fileURLToPath;
    sep: string;
  },
) {
  const modules = installDir + deps.sep + 'node_modules' + deps.sep;
  const base = deps.pathToFileURL(installDir + deps.sep + 'package.json').href;
  const requireFromInstall = deps.createRequire(base);
  const inside = (url: string) => url.startsWith('file:') && deps.fileURLToPath(url).startsWith(modules);
  let nested = false;
  type Next = (specifier: string, context?: { parentURL?: string; conditions?: readonly string[] }) => { url: string };
  return function resolve(specifier: string, context: { parentURL?: string; conditions?: readonly string[] }, nextResolve: Next) {
    // Relative, absolute and URL specifiers, and Node's own modules, resolve as usual.
    if (nested || deps.isBuiltin(specifier) || /^(\.|\/|\\|[a-zA-Z][a-zA-Z0-9+.-]*:)/.test(specifier)) return nextResolve(specifier, context);
    const fromInstall = context.parentURL !== undefined && inside(context.parentURL);
    let result: { url: string; shortCircuit?: boolean };
    if (fromInstall || !context.conditions?.includes('require')) {
      // import: resolve as if imported from the install folder.
      result = nextResolve(specifier, fromInstall ? context : { ...context, parentURL: base });
    } else {
      // require() looks in its caller's folders whatever the parent URL says: ask a require of the install's own.
      nested = true;
      try {
        result = { url: deps.pathToFileURL(requireFromInstall.resolve(specifier)).href, shortCircuit: true };
      } finally {
        nested = false;
      }
    }
    if (!inside(result.url)) {
      const error = new Error(`Cannot find package '${specifier}' in ${installDir}; ${result.url} is outside it and is not used`) as Error & { code: string };
      error.code = 'ERR_MODULE_NOT_FOUND';
      throw error;
    }
    return result;
  };
}

/** The module that registers the hook, as a data: URL: imported here and by every worker thread (`--import`). */
export function resolveHookModule(installDir: string): string {
  const source = [
    "import { createRequire, isBuiltin, registerHooks } from 'node:module';",
    "import { pathToFileURL, fileURLToPath } from 'node:url';",
    "import { sep } from 'node:path';",
    // Transpilers that keep function names (tsx) wrap them in __name(); the stringified hook needs it too.
    'const __name = (f) => f;',
    `const makeResolveHook = ${makeResolveHook.toString()};`,
    `registerHooks({ resolve: makeResolveHook(${JSON.stringify(installDir)}, { createRequire, isBuiltin, pathToFileURL, fileURLToPath, sep }) });`,
  ].join('\n');
  return `data:text/javascript,${encodeURIComponent(source)}`;
}

/** From now on the bundle's packages come from `installDir` only, here and in worker threads started later. */
export async function resolveFrom(installDir: string): Promise<void> {
  if (typeof (nodeModule as { registerHooks?: unknown }).registerHooks !== 'function') {
    throw new Error(
      `Node ${process.version} cannot load the native modules from their own folder; classifier-ci needs Node 22.15 or later (action.yml runs it on node24)`,
    );
  }
  const hook = resolveHookModule(await realpath(installDir));
  await import(hook);
  // Worker threads do not inherit hooks; they inherit the main thread's execArgv (core/embeddings/parallel.ts).
  process.execArgv.push(`--import=${hook}`);
}

/**
 * Makes the runtime packages available to the bundle in `distDir`: verified from an earlier
 * install on this runner, or installed now. With CLASSIFIER_CI_RUNTIME_DIR set (a folder whose
 * node_modules already holds them, e.g. this repository's checkout in its tests), that folder is
 * used as it is. Returns the folder the packages resolve from, or undefined when running from source.
 */
export async function ensureRuntime(native: NativeBackend, distDir = dirname(fileURLToPath(import.meta.url))): Promise<string | undefined> {
  const runtimeDir = join(distDir, 'runtime');
  if (!existsSync(runtimeDir)) return undefined;
  const given = runtimeDirOverride();
  if (given) {
    await access(join(given, 'node_modules'), constants.R_OK).catch(() => {
      throw new Error(`CLASSIFIER_CI_RUNTIME_DIR is ${given}, which has no node_modules folder; unset it or install the runtime there`);
    });
    core.info(`Using the native modules in ${given} (CLASSIFIER_CI_RUNTIME_DIR).`);
    await resolveFrom(given);
    return given;
  }
  let set = runtimeSet(native);
  const root = join(runnerToolCache() ?? runnerTemp(), 'classifier-ci', `${process.platform}-${process.arch}`);
  core.startGroup(`Native modules (${set === 'none' ? 'WebAssembly training' : `tfjs-node${set === 'gpu' ? '-gpu' : ''}`})`);
  try {
    let dir: string;
    try {
      dir = await provideRuntime(join(runtimeDir, set), root, set);
    } catch (error) {
      if (set === 'none') throw error;
      // libtensorflow comes from outside npm and may be blocked: train with WASM instead.
      core.warning(`tfjs-node${set === 'gpu' ? '-gpu' : ''} could not be installed (${(error as Error).message}); training uses the WASM backend instead.`);
      set = 'none';
      dir = await provideRuntime(join(runtimeDir, set), root, set);
    }
    await resolveFrom(dir);
    return dir;
  } finally {
    core.endGroup();
  }
}
