/**
 * The cross-source dataset (issue 13): the ten digits drawn in two disjoint families of
 * Debian's fonts, so a model trained on one source is tested on a real change of style.
 * Source A is serif and slab type; source B is sans, monospace, script and handwriting-like
 * type. Colours, size, position and a small rotation vary in both. Seeded: the same seed
 * gives byte-identical files. Nothing it writes is committed.
 *
 *   node --import tsx scripts/cross-source.ts --out <dir> [--per-class N] [--seed S] [--size PX]
 *
 * writes <dir>/source-a/<label>/<image>.png, <dir>/source-b/… and <dir>/manifest.json (which
 * font drew each image). Fonts are checked first: a family fontconfig does not resolve to
 * itself is refused, with the Debian package that provides it, since a silent fallback to
 * another family would erase the very change of style the benchmark measures.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { InputError } from '../src/core/errors.js';
import { createRng, deriveSeed } from '../src/core/random.js';

/** The classes: one per digit, named so the report reads as words. */
export const DIGIT_LABELS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

export interface FontFamily {
  /** The fontconfig family name, as `fc-match` reports it. */
  family: string;
  style: 'serif' | 'slab' | 'sans' | 'monospace' | 'script' | 'handwriting';
  /** The Debian package that provides it. */
  package: string;
}

/** Source A: serif and slab-serif type (the Courier-like monospaced faces are slab serifs). */
export const SOURCE_A_FONTS: FontFamily[] = [
  { family: 'DejaVu Serif', style: 'serif', package: 'fonts-dejavu-core' },
  { family: 'Liberation Serif', style: 'serif', package: 'fonts-liberation2' },
  { family: 'FreeSerif', style: 'serif', package: 'fonts-freefont-ttf' },
  { family: 'Nimbus Roman', style: 'serif', package: 'fonts-urw-base35' },
  { family: 'C059', style: 'serif', package: 'fonts-urw-base35' },
  { family: 'P052', style: 'serif', package: 'fonts-urw-base35' },
  { family: 'URW Bookman', style: 'serif', package: 'fonts-urw-base35' },
  { family: 'Roboto Slab', style: 'slab', package: 'fonts-roboto-slab' },
  { family: 'Nimbus Mono PS', style: 'slab', package: 'fonts-urw-base35' },
  { family: 'FreeMono', style: 'slab', package: 'fonts-freefont-ttf' },
];

/** Source B: sans-serif, sans monospace, script and handwriting-like type. */
export const SOURCE_B_FONTS: FontFamily[] = [
  { family: 'DejaVu Sans', style: 'sans', package: 'fonts-dejavu-core' },
  { family: 'Liberation Sans', style: 'sans', package: 'fonts-liberation2' },
  { family: 'FreeSans', style: 'sans', package: 'fonts-freefont-ttf' },
  { family: 'Nimbus Sans', style: 'sans', package: 'fonts-urw-base35' },
  { family: 'URW Gothic', style: 'sans', package: 'fonts-urw-base35' },
  { family: 'DejaVu Sans Mono', style: 'monospace', package: 'fonts-dejavu-core' },
  { family: 'Z003', style: 'script', package: 'fonts-urw-base35' },
  { family: 'Dancing Script', style: 'script', package: 'fonts-dancingscript' },
  { family: 'Comic Neue', style: 'handwriting', package: 'fonts-comic-neue' },
  { family: 'Humor Sans', style: 'handwriting', package: 'fonts-humor-sans' },
];

export interface FontPlan {
  a: FontFamily[];
  b: FontFamily[];
}

export const FONT_PLAN: FontPlan = { a: SOURCE_A_FONTS, b: SOURCE_B_FONTS };

/** What fontconfig picks for a requested family: the family names of the face and its file. */
export interface ResolvedFont {
  families: string[];
  file: string;
}

/** Asks fontconfig which face it would use for `family`. */
export type FontResolver = (family: string) => ResolvedFont;

/** The system's answer, from `fc-match` (the same fontconfig librsvg asks when sharp renders SVG text). */
export const fcMatch: FontResolver = (family) => {
  const run = spawnSync('fc-match', ['-f', '%{family}\n%{file}', family], { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    throw new InputError(
      `Cannot ask fontconfig for fonts (fc-match: ${run.error?.message ?? run.stderr.trim()}). Install it with: apt-get install -y fontconfig`,
      'fc-match',
    );
  }
  const [names = '', file = ''] = run.stdout.split('\n');
  return { families: names.split(',').map((n) => n.trim()), file: file.trim() };
};

/**
 * Checks that fontconfig resolves every family to itself. Returns each family's font file;
 * throws an InputError naming the missing families and the packages to install.
 */
export function checkFonts(fonts: FontFamily[], resolve: FontResolver = fcMatch): Map<string, string> {
  const files = new Map<string, string>();
  const missing: { font: FontFamily; got: string }[] = [];
  for (const font of fonts) {
    const resolved = resolve(font.family);
    if (resolved.families.some((name) => name.toLowerCase() === font.family.toLowerCase())) files.set(font.family, resolved.file);
    else missing.push({ font, got: resolved.families[0] ?? 'nothing' });
  }
  if (missing.length) {
    const packages = [...new Set(missing.map((m) => m.font.package))].sort();
    const list = missing.map((m) => `"${m.font.family}" (fontconfig picks "${m.got}" instead)`).join(', ');
    throw new InputError(
      `The cross-source dataset needs fonts that are not installed: ${list}. Install them with: apt-get install -y ${packages.join(' ')}`,
      'fonts',
    );
  }
  return files;
}

/** Installs Debian packages with apt-get (directly as root, else through sudo -n); false if it failed. */
export function aptInstall(packages: string[]): boolean {
  const root = process.getuid?.() === 0;
  const apt = (...args: string[]) =>
    spawnSync(root ? 'apt-get' : 'sudo', [...(root ? [] : ['-n', 'apt-get']), ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  // A fresh machine may have no package lists yet: update once, then try again.
  return apt('install', '-y', '-q', ...packages) || (apt('update', '-q') && apt('install', '-y', '-q', ...packages));
}

/**
 * For the benchmark: checks the fonts and installs the packages of any that are missing,
 * as the benchmark does for Fashion-MNIST; then checks again and refuses what is still missing.
 */
export function ensureFonts(
  fonts: FontFamily[] = [...SOURCE_A_FONTS, ...SOURCE_B_FONTS],
  resolve: FontResolver = fcMatch,
  install: (packages: string[]) => boolean = aptInstall,
): Map<string, string> {
  try {
    return checkFonts(fonts, resolve);
  } catch (error) {
    if (!(error instanceof InputError) || error.subject !== 'fonts') throw error;
    const missing = fonts.filter((f) => !resolve(f.family).families.some((n) => n.toLowerCase() === f.family.toLowerCase()));
    install([...new Set(missing.map((f) => f.package))].sort());
    return checkFonts(fonts, resolve);
  }
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Drawing {
  text: string;
  family: string;
  size: number;
  /** Centre of the glyphs, in pixels. */
  x: number;
  y: number;
  /** Degrees, clockwise. */
  rotation: number;
  foreground: string;
  background: string;
}

/** One image as SVG text; librsvg (inside sharp) lays it out with fontconfig's fonts. */
function svgOf(d: Drawing, side: number): string {
  // Digits sit on the baseline and are about 0.72 em tall: a baseline 0.36 em below the centre centres them.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}"><rect width="${side}" height="${side}" fill="${d.background}"/><g transform="translate(${d.x.toFixed(2)} ${d.y.toFixed(2)}) rotate(${d.rotation.toFixed(2)})"><text x="0" y="${(0.36 * d.size).toFixed(2)}" font-family="'${escapeXml(d.family)}'" font-size="${d.size.toFixed(2)}" text-anchor="middle" fill="${d.foreground}">${escapeXml(d.text)}</text></g></svg>`;
}

async function renderPng(d: Drawing, side: number): Promise<Buffer> {
  return sharp(Buffer.from(svgOf(d, side)))
    .removeAlpha()
    .png()
    .toBuffer();
}

/**
 * The renderer's own check: each family must draw the digits differently from every other.
 * fontconfig inside sharp's libvips could see other fonts than `fc-match` does; a family it
 * cannot find falls back and draws exactly like the fallback family.
 */
export async function checkDistinctRendering(fonts: FontFamily[]): Promise<void> {
  const drawnBy = new Map<string, string>();
  for (const font of fonts) {
    const png = await renderPng({ text: '0123456789', family: font.family, size: 24, x: 80, y: 24, rotation: 0, foreground: '#000', background: '#fff' }, 160);
    const digest = createHash('sha256').update(png).digest('hex');
    const twin = drawnBy.get(digest);
    if (twin) {
      throw new InputError(
        `The fonts "${font.family}" and "${twin}" render identically, so the renderer (librsvg in sharp) falls back for one of them. Check that ${font.package} and the package of "${twin}" are installed, then run fc-cache -f.`,
        'fonts',
      );
    }
    drawnBy.set(digest, font.family);
  }
}

const hex = (rgb: number[]) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/** WCAG relative luminance of an sRGB colour. */
function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast a reader needs to make out large text (WCAG AA for large text). */
const MIN_CONTRAST = 3;

/** A random foreground and background pair with at least MIN_CONTRAST between them. */
function colours(rng: () => number): { foreground: string; background: string } {
  const colour = () => [0, 1, 2].map(() => Math.floor(rng() * 256));
  for (;;) {
    const fg = colour();
    const bg = colour();
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((p, q) => q - p) as [number, number];
    if ((hi + 0.05) / (lo + 0.05) >= MIN_CONTRAST) return { foreground: hex(fg), background: hex(bg) };
  }
}

export interface CrossSourceOptions {
  /** The folder to write source-a/, source-b/ and manifest.json into (those three are replaced). */
  out: string;
  /** Images per class on each side. Default 175. */
  perClass?: number;
  /** Seed for every random choice. Default 13. */
  seed?: number;
  /** Image side in pixels. Default 224, the native input of the pretrained backbones. */
  size?: number;
  /** Families per side. Default FONT_PLAN. */
  fonts?: FontPlan;
  /** How fonts are looked up. Default fc-match. */
  resolveFont?: FontResolver;
}

export interface ManifestImage {
  side: 'a' | 'b';
  label: string;
  /** Relative to the output folder. */
  file: string;
  font: string;
  fontFile: string;
  fontSize: number;
  rotation: number;
  foreground: string;
  background: string;
}

export interface Manifest {
  seed: number;
  perClass: number;
  size: number;
  labels: string[];
  fonts: { a: string[]; b: string[] };
  images: ManifestImage[];
}

export const DEFAULT_PER_CLASS = 175;
export const DEFAULT_SEED = 13;

/** Writes both sources and the manifest; returns the manifest. */
export async function generateCrossSource(options: CrossSourceOptions): Promise<Manifest> {
  const { out, perClass = DEFAULT_PER_CLASS, seed = DEFAULT_SEED, size = 224, fonts = FONT_PLAN, resolveFont = fcMatch } = options;
  if (!Number.isInteger(perClass) || perClass < 1)
    throw new InputError(`--per-class must be a whole number of images of at least 1, got ${perClass}.`, 'per-class');
  if (!Number.isInteger(seed)) throw new InputError(`--seed must be a whole number, got ${seed}.`, 'seed');
  if (!Number.isInteger(size) || size < 32 || size > 1024)
    throw new InputError(`--size must be a whole number of pixels from 32 to 1024, got ${size}.`, 'size');
  const shared = fonts.a.filter((f) => fonts.b.some((g) => g.family === f.family));
  if (shared.length) throw new InputError(`The two sources must use disjoint fonts; both list ${shared.map((f) => `"${f.family}"`).join(', ')}.`, 'fonts');

  const fontFiles = checkFonts([...fonts.a, ...fonts.b], resolveFont);
  await checkDistinctRendering([...fonts.a, ...fonts.b]);

  for (const name of ['source-a', 'source-b', 'manifest.json']) rmSync(join(out, name), { recursive: true, force: true });
  const jobs: { image: ManifestImage; drawing: Drawing }[] = [];
  for (const side of ['a', 'b'] as const) {
    const families = fonts[side];
    DIGIT_LABELS.forEach((label, digit) => {
      mkdirSync(join(out, `source-${side}`, label), { recursive: true });
      for (let index = 0; index < perClass; index++) {
        // One stream per image, so image i is the same whatever --per-class is.
        const rng = createRng(deriveSeed(seed, `${side}/${label}/${index}`));
        // Fonts in turn (offset by class) so every class sees every family about equally.
        const font = families[(index + digit) % families.length];
        const fontSize = size * (0.4 + 0.35 * rng());
        const drawing: Drawing = {
          text: String(digit),
          family: font.family,
          size: fontSize,
          x: size * (0.5 + 0.24 * (rng() - 0.5)),
          y: size * (0.5 + 0.24 * (rng() - 0.5)),
          rotation: 24 * (rng() - 0.5),
          ...colours(rng),
        };
        const file = `source-${side}/${label}/${label}-${String(index).padStart(4, '0')}.png`;
        jobs.push({
          drawing,
          image: {
            side,
            label,
            file,
            font: font.family,
            fontFile: fontFiles.get(font.family)!,
            fontSize: Number(fontSize.toFixed(2)),
            rotation: Number(drawing.rotation.toFixed(2)),
            foreground: drawing.foreground,
            background: drawing.background,
          },
        });
      }
    });
  }
  // A few renders in flight keep sharp's threads busy; each file depends only on its own drawing.
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < jobs.length) {
        const { drawing, image } = jobs[next++];
        writeFileSync(join(out, image.file), await renderPng(drawing, size));
      }
    }),
  );
  const manifest: Manifest = {
    seed,
    perClass,
    size,
    labels: DIGIT_LABELS,
    fonts: { a: fonts.a.map((f) => f.family), b: fonts.b.map((f) => f.family) },
    images: jobs.map((j) => j.image),
  };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'per-class': { type: 'string', default: String(DEFAULT_PER_CLASS) },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      size: { type: 'string', default: '224' },
    },
  });
  if (!values.out) throw new InputError('--out is required: the folder to write source-a/ and source-b/ into.', 'out');
  const whole = (name: string, text: string) => {
    if (!/^-?\d+$/.test(text.trim())) throw new InputError(`--${name} must be a whole number, got "${text}".`, name);
    return Number(text);
  };
  const manifest = await generateCrossSource({
    out: values.out,
    perClass: whole('per-class', values['per-class']),
    seed: whole('seed', values.seed),
    size: whole('size', values.size),
  });
  console.log(
    `Wrote ${manifest.images.length} images (${manifest.labels.length} classes × ${manifest.perClass} per side) to ${join(values.out, 'source-a')} and ${join(values.out, 'source-b')}; fonts per image in ${join(values.out, 'manifest.json')}`,
  );
}

if (process.argv[1] != null && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(`error: ${error.message}`);
    process.exitCode = 2;
  }
}
