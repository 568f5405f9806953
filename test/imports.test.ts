/**
 * The import graph of src/ points one way: no circle, and no arrow back up from a lower layer.
 * Parsed from the sources (static imports and re-exports, `import type` included, since a
 * type-only circle still ties two modules together).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');

/** Relative imports of one source, resolved to repository-relative .ts paths. */
export function importsOf(file: string, text: string): string[] {
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+['"](\.[^'"]+)['"]/gms),
    ...text.matchAll(/^\s*import\s+['"](\.[^'"]+)['"]/gm),
  ].map((m) => m[1]);
  return specifiers.map((s) => {
    const target = resolve(dirname(file), s.replace(/\.js$/, '.ts'));
    const index = target.replace(/\.ts$/, '/index.ts');
    return relative(ROOT, !existsSync(target) && existsSync(index) ? index : target);
  });
}

export function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(SRC, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.ts'));
  for (const entry of files) {
    const file = join(entry.parentPath, entry.name);
    graph.set(relative(ROOT, file), importsOf(file, readFileSync(file, 'utf8')));
  }
  return graph;
}

/** Every cycle's modules, one list per strongly connected component of more than one module (or a self-import). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const graph = importGraph();
const arrows = [...graph].flatMap(([from, tos]) => tos.map((to) => ({ from, to })));

test('the parser sees the imports (checked against files known to import each other)', () => {
  assert.ok(graph.size > 50, `${graph.size} modules`);
  assert.ok(graph.get('src/core/pipeline.ts')!.includes('src/core/run/stages/index.ts'));
  assert.ok(graph.get('src/core/embeddings/extract.ts')!.includes('src/core/embeddings/parallel.ts'));
  // Multi-line import lists and type-only imports count.
  assert.deepEqual(importsOf(join(SRC, 'x.ts'), "import {\n  a,\n  b,\n} from './a.js';\nimport type { T } from '../t.js';\nexport { c } from './c.js';"), [
    'src/a.ts',
    't.ts',
    'src/c.ts',
  ]);
});

test('the cycle finder finds a circle (a fixture graph)', () => {
  const circle = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  assert.deepEqual(cycles(circle), [['a', 'b', 'c']]);
  assert.deepEqual(
    cycles(
      new Map([
        ['a', ['b']],
        ['b', []],
      ]),
    ),
    [],
  );
});

test('no import circle in src/', () => {
  assert.deepEqual(cycles(graph), []);
});

test('no arrow back up: model/ needs nothing from training/; extract.ts and parallel.ts do not import each other both ways', () => {
  const up = arrows.filter(({ from, to }) => from.startsWith('src/core/model/') && to.startsWith('src/core/training/'));
  assert.deepEqual(up, []);
  const back = arrows.filter(({ from, to }) => from === 'src/core/embeddings/parallel.ts' && to === 'src/core/embeddings/extract.ts');
  assert.deepEqual(back, []);
  const workerUp = arrows.filter(
    ({ from, to }) => from === 'src/core/embeddings/embed-worker.ts' && (to.endsWith('/extract.ts') || to.endsWith('/parallel.ts')),
  );
  assert.deepEqual(workerUp, [], 'the worker needs only what is below both');
  const fineTuneUp = arrows.filter(({ from, to }) => from.startsWith('src/core/training/') && to === 'src/core/model/export.ts');
  assert.deepEqual(fineTuneUp, []);
});

test('the engine does not reach into the adapters or the run from below', () => {
  const intoAdapters = arrows.filter(({ from, to }) => from.startsWith('src/core/') && (to.startsWith('src/action/') || to.startsWith('src/cli/')));
  assert.deepEqual(intoAdapters, []);
  const intoRun = arrows.filter(
    ({ from, to }) =>
      /^src\/core\/(training|embeddings|model|backbones|dataset)\//.test(from) && (to.startsWith('src/core/run/') || to === 'src/core/pipeline.ts'),
  );
  assert.deepEqual(intoRun, []);
});
