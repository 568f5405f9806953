#!/usr/bin/env node
/**
 * Builds the action's bundle, dist/action/, with esbuild from src/action/index.ts (ESM, split
 * into chunks so the engine loads only after the native modules are in place).
 *
 * Kept out of the bundle (STYLE.md 12): native modules (sharp, onnxruntime-node,
 * @tensorflow/tfjs-node[-gpu]) and packages that read files next to their own code at run time
 * (nsfwjs's weights, tfjs-backend-wasm's .wasm, the Vega browser builds inlined into
 * report.html; @tensorflow/tfjs and vega must then be shared with them). For each runtime set
 * (none, cpu, gpu) a package.json and a package-lock.json with integrity hashes, cut offline out
 * of the committed package-lock.json (scripts/runtime-lock.mjs), go into dist/action/runtime/<set>/;
 * src/action/runtime.ts installs them on the runner with npm ci. The output is deterministic, so
 * CI can rebuild and fail on a diff.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { argv } from 'node:process';
import { fileURLToPath } from 'node:url';
import { RUNTIME_SETS, runtimeLocks } from './runtime-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// dist/ also holds the library and CLI bundles (package.json build:lib, build:cli); the action owns dist/action/.
// `--out <dir>` builds elsewhere (to try a build without touching the committed dist/).
const outFlag = argv.indexOf('--out');
const out = outFlag > 0 ? argv[outFlag + 1] : join(root, 'dist', 'action');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });

const entryPoints = { index: join(root, 'src/action/index.ts') };
// The engine loads these by file name next to its own code (a computed import, a worker
// thread's entry), so each is its own entry point in the same folder as the chunks.
const sideEntries = {
  'wasm-grad-kernels': 'src/core/backend/wasm-grad-kernels.ts',
  'embed-worker': 'src/core/embeddings/embed-worker.ts',
};
for (const [name, path] of Object.entries(sideEntries)) {
  if (existsSync(join(root, path))) entryPoints[name] = join(root, path);
}

await build({
  entryPoints,
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '[name]-[hash]',
  external: [...RUNTIME_SETS.always, ...RUNTIME_SETS.cpu, ...RUNTIME_SETS.gpu, '@tensorflow/*', 'canvas'],
  // Bundled CommonJS code calls require() for Node built-ins; give ESM output a real one.
  banner: { js: "import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);" },
  legalComments: 'none',
  sourcemap: false,
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' },
});

for (const [set, files] of Object.entries(runtimeLocks(lock, pkg.version))) {
  mkdirSync(join(out, 'runtime', set), { recursive: true });
  writeFileSync(join(out, 'runtime', set, 'package.json'), files.packageJson);
  writeFileSync(join(out, 'runtime', set, 'package-lock.json'), files.packageLock);
}
// The bundle is ESM whatever the folders above it say.
writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n');
