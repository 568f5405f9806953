#!/usr/bin/env node
/**
 * Builds the action's bundle, dist/action/, with esbuild from src/action/index.ts (ESM, split
 * into chunks so the engine loads only after the native modules are in place).
 *
 * Kept out of the bundle (STYLE.md 12): native modules (sharp, @tensorflow/tfjs-node[-gpu])
 * and packages that read files next to their own code at run time (nsfwjs's weights,
 * tfjs-backend-wasm's .wasm, the Vega browser builds inlined into report.html;
 * @tensorflow/tfjs and vega must then be shared with them). Their exact
 * versions go into dist/runtime-dependencies.json; src/action/runtime.ts installs them on the
 * runner. The output is deterministic, so CI can rebuild and fail on a diff.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// dist/ also holds the library and CLI bundles (package.json build:lib, build:cli); the action owns dist/action/.
const out = join(root, 'dist', 'action');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

const ALWAYS = ['sharp', 'nsfwjs', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'vega', 'vega-lite', 'vega-embed'];
const GPU = ['@tensorflow/tfjs-node-gpu'];
const CPU = ['@tensorflow/tfjs-node'];

/** The exact version the lockfile installs, so the runner gets what the tests ran with. */
function pinned(name) {
  const version = lock.packages?.[`node_modules/${name}`]?.version;
  if (version) return version;
  const range = pkg.dependencies?.[name] ?? pkg.optionalDependencies?.[name];
  if (!range) throw new Error(`${name} is neither in package-lock.json nor in package.json`);
  return range;
}
const versions = (names) => Object.fromEntries(names.map((n) => [n, pinned(n)]));

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
  external: [...ALWAYS, ...GPU, ...CPU, '@tensorflow/*', 'canvas'],
  // Bundled CommonJS code calls require() for Node built-ins; give ESM output a real one.
  banner: { js: "import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);" },
  legalComments: 'none',
  sourcemap: false,
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' },
});

writeFileSync(
  join(out, 'runtime-dependencies.json'),
  JSON.stringify({ classifierCi: pkg.version, always: versions(ALWAYS), gpu: versions(GPU), cpu: versions(CPU) }, null, 2) + '\n',
);
// The bundle is ESM whatever the folders above it say.
writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n');
