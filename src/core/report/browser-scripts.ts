/**
 * The browser builds of Vega, Vega-Lite and vega-embed, read from their npm packages so the
 * HTML report can inline them (one file, no network). A bundle that inlines this module must
 * keep these three packages installed next to it (they are read at run time, not imported).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface BrowserScript {
  name: string;
  source: string;
}

const require = createRequire(import.meta.url);

/** Each package's browser build sits next to the entry point its "exports" names. */
const BUILDS = [
  { name: 'vega', file: 'vega.min.js' },
  { name: 'vega-lite', file: 'vega-lite.min.js' },
  { name: 'vega-embed', file: 'vega-embed.min.js' },
];

let cached: Promise<BrowserScript[]> | undefined;

export function loadBrowserScripts(): Promise<BrowserScript[]> {
  cached ??= Promise.all(
    BUILDS.map(async ({ name, file }) => {
      let path: string;
      try {
        path = join(dirname(require.resolve(name)), file);
        const source = await readFile(path, 'utf8');
        // A literal `</script` would end the inline <script> element early.
        return { name, source: source.replace(/<\/(script)/gi, '<\\/$1') };
      } catch (error) {
        throw new Error(`The HTML report needs the npm package ${name} (its ${file}); install it with npm install ${name}. ${(error as Error).message}`, {
          cause: error,
        });
      }
    }),
  ).catch((error) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
