/**
 * Getting the native modules onto the runner. sharp (libvips), tfjs-node(-gpu) (libtensorflow),
 * and the packages that load files from their own folder at run time (nsfwjs's weights,
 * tfjs-backend-wasm's .wasm) cannot live inside the dist/ bundle. The build pins their exact
 * versions in dist/runtime-dependencies.json; on the first run on a runner they are installed
 * with npm into the tool cache (kept between jobs on self-hosted runners), and dist/node_modules
 * is linked to that folder, so Node resolves them from the bundle as usual.
 *
 * When they already resolve from dist/ (a checkout with node_modules, as in this repository's
 * own CI and tests) nothing is installed.
 */
import * as core from '@actions/core';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, symlink, writeFile, lstat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerTemp, runnerToolCache } from './env.js';
import type { NativeBackend } from './inputs.js';

export interface RuntimeDependencies {
  classifierCi: string;
  /** Always installed: name → exact version. */
  always: Record<string, string>;
  /** Added for native-backend: gpu / cpu. */
  gpu: Record<string, string>;
  cpu: Record<string, string>;
}

/** Whether tfjs-node-gpu is worth installing: an NVIDIA driver is loaded. The engine checks CUDA itself. */
export function hasNvidiaDriver(): boolean {
  return existsSync('/proc/driver/nvidia/version');
}

export function wantedPackages(deps: RuntimeDependencies, native: NativeBackend): Record<string, string> {
  const choice = native === 'auto' ? (hasNvidiaDriver() ? 'gpu' : 'none') : native;
  return { ...deps.always, ...(choice === 'gpu' ? deps.gpu : choice === 'cpu' ? deps.cpu : {}) };
}

function resolvable(fromDir: string, name: string): boolean {
  try {
    createRequire(join(fromDir, 'index.js')).resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** npm that ships with the Node running this action, else the one on PATH. */
function npmCommand(): { command: string; prefix: string[] } {
  const nodeDir = dirname(process.execPath);
  for (const cli of [join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), join(nodeDir, 'node_modules', 'npm', 'bin', 'npm-cli.js')]) {
    if (existsSync(cli)) return { command: process.execPath, prefix: [cli] };
  }
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefix: [] };
}

function npmInstall(dir: string): Promise<void> {
  const { command, prefix } = npmCommand();
  const args = [...prefix, 'install', '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock', '--no-update-notifier', '--loglevel=error'];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm install exited with code ${code}`))));
  });
}

async function installInto(dir: string, packages: Record<string, string>): Promise<void> {
  const temp = `${dir}.partial-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  await writeFile(join(temp, 'package.json'), JSON.stringify({ name: 'classifier-ci-runtime', private: true, type: 'module', dependencies: packages }, null, 2));
  await npmInstall(temp);
  await writeFile(join(temp, '.complete'), '');
  // Another job on the same runner may have finished first; either copy is complete.
  await rename(temp, dir).catch(async () => rm(temp, { recursive: true, force: true }));
}

/** Makes the runtime packages resolvable from `distDir`, installing them once per runner if needed. */
export async function ensureRuntime(native: NativeBackend, distDir = dirname(fileURLToPath(import.meta.url))): Promise<void> {
  const manifest = join(distDir, 'runtime-dependencies.json');
  // Running from source (tests, the CLI): node_modules is already there.
  if (!existsSync(manifest)) return;
  const deps = JSON.parse(await readFile(manifest, 'utf8')) as RuntimeDependencies;
  let packages = wantedPackages(deps, native);
  const missing = Object.keys(packages).filter((name) => !resolvable(distDir, name));
  if (missing.length === 0) return;

  const root = join(runnerToolCache() ?? runnerTemp(), 'classifier-ci');
  const id = createHash('sha256').update(JSON.stringify(packages)).digest('hex').slice(0, 12);
  let dir = join(root, `${deps.classifierCi}-${id}`, `${process.platform}-${process.arch}`);
  core.startGroup(`Installing native modules (${Object.keys(packages).join(', ')})`);
  try {
    if (!existsSync(join(dir, '.complete'))) {
      core.info(`Installing into ${dir}; later jobs on this runner reuse it.`);
      try {
        await installInto(dir, packages);
      } catch (error) {
        const native = Object.keys(packages).filter((name) => name.startsWith('@tensorflow/tfjs-node'));
        if (native.length === 0) throw error;
        // libtensorflow is downloaded from outside npm and may be blocked: fall back to WASM.
        core.warning(`${native.join(', ')} could not be installed (${(error as Error).message}); training uses the WASM backend instead.`);
        packages = deps.always;
        const fallbackId = createHash('sha256').update(JSON.stringify(packages)).digest('hex').slice(0, 12);
        dir = join(root, `${deps.classifierCi}-${fallbackId}`, `${process.platform}-${process.arch}`);
        if (!existsSync(join(dir, '.complete'))) await installInto(dir, packages);
      }
    } else {
      core.info(`Using the native modules installed in ${dir}.`);
    }
    const link = join(distDir, 'node_modules');
    if (await lstat(link).catch(() => null)) await rm(link, { recursive: true, force: true });
    await symlink(join(dir, 'node_modules'), link, process.platform === 'win32' ? 'junction' : 'dir');
  } finally {
    core.endGroup();
  }
}
