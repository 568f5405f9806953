/**
 * The runtime set's own package.json and package-lock.json, cut out of the repository's
 * committed package-lock.json: offline, and byte-identical on every build (CI rebuilds dist/
 * and fails on a diff). The runner installs them with `npm ci --ignore-scripts`, so every
 * transitive package is the version the tests ran with, checked against its integrity hash.
 *
 * The cut keeps the root lockfile's folder layout: each dependency edge of a kept package
 * resolves, as Node and npm resolve it, to the nearest `node_modules/<name>` above it, and that
 * entry is kept too. A subset of a valid tree closed under its edges is a valid tree.
 */

/** The lockfile folder a dependency `name` of the package at `from` resolves to, or undefined. */
function resolveEdge(packages, from, name) {
  let at = from;
  for (;;) {
    const candidate = at ? `${at}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!at) return undefined;
    const cut = at.lastIndexOf('/node_modules/');
    at = cut === -1 ? '' : at.slice(0, cut);
  }
}

/** Every edge of a lockfile entry: [name, optional]. Optional peers count only where the lockfile has them. */
function edgesOf(entry) {
  const optionalPeers = entry.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(entry.dependencies ?? {}).map((n) => [n, false]),
    ...Object.keys(entry.optionalDependencies ?? {}).map((n) => [n, true]),
    ...Object.keys(entry.peerDependencies ?? {}).map((n) => [n, Boolean(optionalPeers[n]?.optional)]),
  ];
}

/** Lockfile fields copied for each kept package; npm's dev/optional/peer flags are recomputed for the cut. */
const KEPT_FIELDS = [
  'version',
  'resolved',
  'integrity',
  'license',
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bin',
  'engines',
  'os',
  'cpu',
  'libc',
  'hasInstallScript',
  'funding',
  'deprecated',
];

/**
 * @param {object} rootLock the repository's package-lock.json (lockfileVersion 3)
 * @param {string[]} names the runtime packages, each a direct dependency in rootLock
 * @param {string} version classifier-ci's version, for the runtime package's name
 * @returns {{ packageJson: string, packageLock: string }} the two files' text
 */
export function runtimeLock(rootLock, names, version) {
  if (rootLock.lockfileVersion !== 3 || !rootLock.packages)
    throw new Error('package-lock.json must be lockfileVersion 3 (npm 9 or later); run npm install to update it');
  const packages = rootLock.packages;
  const dependencies = {};
  for (const name of [...names].sort()) {
    const entry = packages[`node_modules/${name}`];
    if (!entry?.version) throw new Error(`${name} is not in package-lock.json; add it to package.json and run npm install`);
    dependencies[name] = entry.version;
  }

  // Reachable through required edges, then through any edge: the rest of the kept set is optional.
  const walk = (requiredOnly) => {
    const seen = new Set();
    const queue = Object.keys(dependencies).map((n) => `node_modules/${n}`);
    while (queue.length > 0) {
      const at = queue.shift();
      if (seen.has(at)) continue;
      seen.add(at);
      for (const [name, optional] of edgesOf(packages[at])) {
        if (requiredOnly && optional) continue;
        const target = resolveEdge(packages, at, name);
        if (target) queue.push(target);
        else if (!optional) throw new Error(`package-lock.json is incomplete: ${at} needs ${name}, which it does not hold; run npm install`);
      }
    }
    return seen;
  };
  const required = walk(true);
  const kept = walk(false);

  const name = 'classifier-ci-runtime';
  const lockPackages = { '': { name, version, dependencies } };
  for (const path of [...kept].sort()) {
    const entry = packages[path];
    const copy = {};
    for (const field of KEPT_FIELDS) if (entry[field] !== undefined) copy[field] = entry[field];
    // No `resolved` here (this repository's lockfile omits the registry): npm ci fetches name@version from the runner's registry and checks it against this hash.
    if (!copy.integrity) throw new Error(`${path} has no integrity hash in package-lock.json; run npm install to add it`);
    if (!required.has(path)) copy.optional = true;
    lockPackages[path] = copy;
  }
  const packageJson = {
    name,
    version,
    private: true,
    description: 'The native and file-reading packages classifier-ci installs on the runner (dist/action/runtime).',
    dependencies,
  };
  const packageLock = { name, version, lockfileVersion: 3, requires: true, packages: lockPackages };
  return { packageJson: JSON.stringify(packageJson, null, 2) + '\n', packageLock: JSON.stringify(packageLock, null, 2) + '\n' };
}

/** The runtime sets by native backend, shared by the build and the tests. */
export const RUNTIME_SETS = {
  always: ['sharp', 'onnxruntime-node', 'nsfwjs', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'vega', 'vega-lite', 'vega-embed'],
  none: [],
  cpu: ['@tensorflow/tfjs-node'],
  gpu: ['@tensorflow/tfjs-node-gpu'],
};

/** The three lockfiles dist/action/runtime/<none|cpu|gpu>/ holds. */
export function runtimeLocks(rootLock, version) {
  return Object.fromEntries(
    ['none', 'cpu', 'gpu'].map((choice) => [choice, runtimeLock(rootLock, [...RUNTIME_SETS.always, ...RUNTIME_SETS[choice]], version)]),
  );
}
