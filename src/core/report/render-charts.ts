/**
 * Vega-Lite spec → Vega → SVG string (in Node, no canvas, no browser) → PNG with sharp.
 * sharp's SVG renderer (librsvg) draws text with the system's fonts through fontconfig;
 * the specs ask for common sans-serif families and fall back to DejaVu Sans, so the runner
 * needs one such font installed (Debian: fonts-dejavu-core).
 */
import sharp from 'sharp';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './charts.js';

export interface RenderedChart {
  name: string;
  title: string;
  svg: string;
  png: Uint8Array;
  /** The Vega-Lite spec, for the HTML report and for people who want to restyle a chart. */
  spec: object;
}

/** PNG pixels per SVG pixel: 2 keeps text sharp on high-density screens. */
const PNG_SCALE = 2;

/**
 * Compiles a Vega-Lite spec to Vega; throws with the chart's name when the spec is invalid.
 * Vega-Lite's warnings (a dropped sort, an ignored channel) go to `warnings` instead of the console.
 */
export function compileSpec(spec: TopLevelSpec, name = 'chart', warnings: string[] = []): vega.Spec {
  const collect = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
    return logger;
  };
  const logger = { level: () => logger, warn: collect, error: collect, info: () => logger, debug: () => logger } as unknown as vega.LoggerInterface;
  try {
    return compile(spec, { logger }).spec;
  } catch (error) {
    throw new Error(`The ${name} chart spec does not compile: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * XML 1.0 forbids most C0 control characters, even as character references, and vega copies
 * label text into the SVG as it is: a label with an escape character would make the SVG
 * unreadable (and the PNG impossible). Such characters are shown as U+FFFD.
 */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export async function renderSvg(spec: TopLevelSpec, name = 'chart'): Promise<string> {
  const view = new vega.View(vega.parse(compileSpec(spec, name)), { renderer: 'none', logLevel: vega.Error });
  try {
    return (await view.toSVG()).replace(XML_INVALID, '\uFFFD');
  } finally {
    view.finalize();
  }
}

export async function svgToPng(svg: string): Promise<Uint8Array> {
  const png = await sharp(Buffer.from(svg), { density: 72 * PNG_SCALE })
    .png({ compressionLevel: 9, palette: true, quality: 90 })
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

export async function renderChart(chart: ChartSpec): Promise<RenderedChart> {
  const svg = await renderSvg(chart.spec, chart.name);
  const png = await svgToPng(svg);
  return { name: chart.name, title: chart.title, svg, png, spec: chart.spec };
}

/** Renders one after the other: vega and sharp each use the CPU fully, and runners are small. */
export async function renderCharts(charts: ChartSpec[]): Promise<RenderedChart[]> {
  const rendered: RenderedChart[] = [];
  for (const chart of charts) rendered.push(await renderChart(chart));
  return rendered;
}
