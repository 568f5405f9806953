/**
 * The report is built once as a document (document.ts); Markdown and HTML only serialize it.
 * These tests hold that shape: every sentence of the document reaches both outputs, and no
 * serializer writes sentences of its own.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildCharts } from '../src/core/report/charts.js';
import { buildDocument, NO_LIMITS, type Block, type Inline } from '../src/core/report/document.js';
import { renderReport } from '../src/core/report/index.js';
import { modelHowTo } from '../src/core/report/model-access.js';
import { baselineRunResult, smallRunResult } from './fixtures/run-results.js';

const plain = (text: Inline[]) => text.map((t) => (typeof t === 'string' ? t : 'strong' in t ? t.strong : 'code' in t ? t.code : t.link)).join('');

function paragraphs(blocks: Block[]): string[] {
  return blocks.flatMap((b) => (b.kind === 'paragraph' ? [plain(b.text)] : b.kind === 'fold' ? paragraphs(b.blocks) : []));
}

/** Markdown as the reader sees it: no emphasis, code or link syntax, no backslash escapes. */
function markdownAsText(md: string): string {
  return (
    md
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\*\*|`/g, '')
      .replace(/\\(.)/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/^_|_$/gm, '')
      // The word joiner that keeps @names from becoming mentions.
      .replace(/\u2060/g, '')
  );
}

function htmlAsText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\u2060/g, '');
}

describe('one document, two serializers', () => {
  test('every sentence of the document is in report.md, summary.md and report.html', async () => {
    const result = smallRunResult();
    const baseline = baselineRunResult();
    const doc = buildDocument(result, { baseline, model: modelHowTo({ kind: 'folder', path: result.model.dir }), limits: NO_LIMITS });
    const sentences = [doc.title, doc.verdict.text, ...paragraphs(doc.headline), ...doc.sections.flatMap((s) => paragraphs(s.blocks))];
    assert.ok(sentences.length > 12, `${sentences.length} sentences`);
    const report = await renderReport(result, { baseline });
    const outputs = { 'report.md': markdownAsText(report.markdown), 'summary.md': markdownAsText(report.summary), 'report.html': htmlAsText(report.html) };
    for (const sentence of sentences) {
      for (const [name, text] of Object.entries(outputs)) assert.ok(text.includes(sentence), `${name} lacks: ${sentence}`);
    }
  });

  test('the engines and the budget plan are named in both outputs', async () => {
    const result = smallRunResult();
    assert.ok(result.backend.inference, 'the real run names its inference engine');
    result.bakeOff.plan = [{ backbone: 'inception_v3@299', reason: 'left out: embedding 144 images would take 40% of the budget' }];
    const report = await renderReport(result);
    // Named as the summary and the log name it, not by its id ("onnxruntime (cpu, …").
    assert.equal(result.backend.inference.engine, 'onnxruntime');
    assert.equal(result.backend.inference.trainsSmallCnn, true);
    const engine = `Embeddings of the frozen backbones and training of the small CNN: ONNX Runtime (CPU, ${result.backend.inference.threads} threads); passed over:`;
    for (const text of [markdownAsText(report.markdown), htmlAsText(report.html)]) {
      assert.ok(text.includes(engine), engine);
      assert.ok(text.includes('Training backend (heads, fine-tuning): '), 'the training backend without the small CNN');
      assert.ok(text.includes('inception_v3@299: left out: embedding 144 images would take 40% of the budget'), 'the plan');
    }
    // Variant: a result from before ONNX Runtime trained the small CNN.
    delete result.backend.inference.trainsSmallCnn;
    const before = markdownAsText((await renderReport(result)).markdown);
    assert.ok(before.includes(`Embeddings of the frozen backbones: ONNX Runtime (CPU, ${result.backend.inference.threads} threads); passed over:`));
    assert.ok(before.includes('Training backend (heads, small CNN, fine-tuning): '));
  });

  test('the summary names what computed the run: the engine for pretrained backbones and the training backend', async () => {
    const result = smallRunResult();
    const threads = `${result.backend.threads} thread${result.backend.threads === 1 ? '' : 's'}`;
    const training = `training on CPU, ${threads}`;
    const compute = async () => markdownAsText((await renderReport(result)).markdown).match(/^\| Compute \| (.+) \|$/m)?.[1];
    // The real run embedded on ONNX Runtime; its training backend alone would hide that.
    assert.equal(
      await compute(),
      `ONNX Runtime + ${result.backend.name}, pretrained backbones and the small CNN on CPU, ${result.backend.inference!.threads} threads; ${training}`,
    );
    // Variant: a result from before ONNX Runtime trained the small CNN.
    delete result.backend.inference!.trainsSmallCnn;
    assert.equal(
      await compute(),
      `ONNX Runtime + ${result.backend.name}, pretrained backbones on CPU, ${result.backend.inference!.threads} threads; ${training}`,
    );
    // Variant: the same run on the WASM path, which embeds in worker threads.
    result.backend.inference = { engine: 'tfjs', provider: 'wasm', threads: 2, skipped: [] };
    assert.equal(await compute(), `wasm, pretrained backbones on 2 worker threads; ${training}`);
    // Variant: a result from before the engine was recorded.
    delete result.backend.inference;
    assert.equal(await compute(), `${result.backend.name}, CPU, ${threads}`);
  });

  test('calibration, class weights, a leak, relabelled images and a missing model.onnx are stated in both outputs', async () => {
    const result = smallRunResult();
    const baseline = baselineRunResult();
    // The variants below are what the real run did not meet: each is a field the engine writes.
    result.test.calibration = { temperature: 1.734, fittedOn: 60, fittedWith: 'validation', eceBefore: 0.1234, eceAfter: 0.0456, bins: 10 };
    result.tuning.classWeights = { applied: true, ratio: 2.5, threshold: 1.5, weights: { bag: 1.6, sneaker: 0.8 } };
    result.model.onnx = { written: false, reason: 'layer Foo has no converter', checker: 'unavailable' };
    result.review!.leak = { testImages: 21, leakedTestImages: 3, accuracy: 0.857, accuracyWithoutLeaks: 0.778 };
    // One image the baseline had under trouser: relabelled in this run.
    const moved = result.dataset.files!.find((f) => f.label !== 'trouser')!;
    const files = [...baseline.dataset.files!.filter((f) => f.sha256 !== moved.sha256), { ...moved, label: 'trouser' }];
    const before = { ...baseline, dataset: { ...baseline.dataset, files } };
    const report = await renderReport(result, { baseline: before });
    const sentences = [
      'Calibration: temperature 1.73, fitted on 60 validation images; expected calibration error on the test images 12.3% before, 4.6% after (10 bins).',
      'Class weights: the largest label has 2.5× the training images of the smallest (more than 1.5×), so the loss weighted each label by its inverse frequency (bag 1.60, sneaker 0.80).',
      'model.onnx not written: layer Foo has no converter.',
      '3 of 21 test images have a near-duplicate in training or validation: test accuracy 85.7% with them, 77.8% without.',
      `1 relabelled.`,
      `${moved.file} | trouser | ${moved.label}`,
    ];
    const tables = (text: string) => text.replace(/ ?\| ?/g, ' | ');
    const outputs = { 'report.md': tables(markdownAsText(report.markdown)), 'report.html': htmlAsText(report.html.replace(/<\/td><td[^>]*>/g, ' | ')) };
    for (const sentence of sentences) {
      for (const [name, text] of Object.entries(outputs)) assert.ok(text.includes(sentence), `${name} lacks: ${sentence}`);
    }
    result.review!.leak = { testImages: 21, leakedTestImages: 1, accuracy: 0.857, accuracyWithoutLeaks: 0.85 };
    const one = markdownAsText((await renderReport(result)).markdown);
    assert.ok(one.includes('1 of 21 test images has a near-duplicate in training or validation'), 'one leaked image reads in the singular');
  });

  test('images from elsewhere without a test split to compare with: the figures, and no gap', async () => {
    const result = smallRunResult();
    assert.ok(result.elsewhere?.gap, 'the real run compares with its test split');
    const { gap: _gap, ...noGap } = result.elsewhere;
    const variant = { ...result, elsewhere: noGap };
    for (const text of [markdownAsText((await renderReport(result)).markdown), htmlAsText((await renderReport(result)).html)])
      assert.match(text, /95% interval of the gap|against the test set/);
    const report = await renderReport(variant);
    for (const text of [markdownAsText(report.markdown), htmlAsText(report.html)]) {
      assert.match(text, /labelled images the model did not train on/);
      assert.doesNotMatch(text, /95% interval of the gap|against the test set/);
    }
  });

  test('the serializers write no sentences of their own', () => {
    const source = (file: string) => readFileSync(join(import.meta.dirname, '../src/core/report', file), 'utf8');
    const document = source('document.ts');
    for (const phrase of [
      'never saw while training',
      'Calibration: temperature',
      'label suspect',
      'Against the baseline',
      'Runner-up',
      'with a new head each',
      'Classify an image',
      'Budget: ',
      'split by content hash',
      'Fine-tuning the top',
      'Get it from the artifact',
      'Showing ',
    ]) {
      assert.ok(document.includes(phrase), `document.ts says "${phrase}"`);
      for (const serializer of ['markdown.ts', 'html.ts']) assert.ok(!source(serializer).includes(phrase), `${serializer} writes "${phrase}" itself`);
    }
  });
});

describe('chart titles, stated once', () => {
  test('each chart’s alt text in the document is the title the chart draws', () => {
    for (const [result, baseline] of [
      [smallRunResult(), baselineRunResult()],
      [baselineRunResult(), undefined],
    ] as const) {
      const doc = buildDocument(result, {
        ...(baseline ? { baseline } : {}),
        model: modelHowTo({ kind: 'folder', path: result.model.dir }),
        limits: NO_LIMITS,
      });
      const charts = (blocks: Block[]): { name: string; alt: string }[] =>
        blocks.flatMap((b) => (b.kind === 'charts' ? [...b.charts, ...(b.fallback ? charts([b.fallback]) : [])] : b.kind === 'fold' ? charts(b.blocks) : []));
      const alts = doc.sections.flatMap((s) => charts(s.blocks));
      const titles = new Map(buildCharts(result, baseline).map((c) => [c.name, c.title]));
      assert.deepEqual(alts.map((a) => a.name).sort(), [...titles.keys()].sort(), 'every chart has its place in the document');
      for (const { name, alt } of alts) assert.equal(alt, titles.get(name), name);
    }
  });
});
