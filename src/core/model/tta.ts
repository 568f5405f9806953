/**
 * Test-time augmentation for a loaded model: each image is classified as it is and as its
 * test-time view (preprocessing.json → tta: the flip where training allowed flips, else the
 * zoom), and the two probabilities are averaged. The view is made from the decoded pixels
 * exactly as training measured it on validation (dataset/augment.ts), at twice the model's
 * work per image. Training wrote whether it paid there (`paid`); asked for, it is used either way.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { averageProbabilities, ttaView, TTA_VIEWS, type TtaView } from '../dataset/augment.js';
import { decodeToRgb } from '../dataset/decode.js';
import { InputError } from '../errors.js';
import { DEFAULTS } from '../options.js';

/** preprocessing.json → tta: the view, and what it scored on validation when the model was trained. */
export interface TtaRecipe {
  view: TtaView;
  paid: boolean;
  plainAccuracy: number;
  ttaAccuracy: number;
}

/** The model folder's test-time recipe; an InputError that says what to do when it has none. */
export async function readTtaRecipe(dir: string): Promise<TtaRecipe> {
  const file = join(dir, 'preprocessing.json');
  const tta = (JSON.parse(await readFile(file, 'utf8')) as { tta?: Partial<TtaRecipe> }).tta;
  if (!tta || !(TTA_VIEWS as readonly string[]).includes(tta.view as string)) {
    throw new InputError(
      `${file} has no test-time augmentation recipe (tta), so --tta cannot be used with this model. Training measures one only with augmentation on (--augment auto, or the action's augment: auto; the default is off) and a winner that trains a head on embeddings (not the small CNN). Train again with --augment auto, or leave out --tta.`,
      dir,
    );
  }
  return tta as TtaRecipe;
}

/** One line for whoever asked for it: what each image is averaged with, and what that did on validation when the model was trained. */
export function ttaNote(recipe: TtaRecipe): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const measured = `on validation it scored ${pct(recipe.ttaAccuracy)} against ${pct(recipe.plainAccuracy)} without`;
  return `Test-time augmentation: each image averaged with its ${recipe.view}; ${measured}${recipe.paid ? '' : ', so it did not pay there (used as asked)'}.`;
}

/** What the wrapper needs of a loaded classifier (classifier.ts's Classifier, without importing it back). */
interface PixelClassifier {
  labels: string[];
  inputSize: number;
  classifyPixels(pixels: Uint8Array, n: number): Promise<Float32Array>;
  classify(image: string | Uint8Array): Promise<{ label: string; confidence: number; probabilities: Record<string, number> }>;
  dispose(): void;
}

/** `classifier` with every image classified as it is and as its test-time view, the probabilities averaged. */
export function withTta<C extends PixelClassifier>(classifier: C, recipe: TtaRecipe): C & { tta: TtaRecipe } {
  const size = classifier.inputSize;
  const classes = classifier.labels.length;
  const classifyPixels = async (pixels: Uint8Array, n: number) => {
    const perImage = size * size * 3;
    const both = new Uint8Array(2 * n * perImage);
    both.set(pixels.subarray(0, n * perImage));
    for (let i = 0; i < n; i++) both.set(ttaView(pixels.subarray(i * perImage, (i + 1) * perImage), size, recipe.view), (n + i) * perImage);
    const p = await classifier.classifyPixels(both, 2 * n);
    return averageProbabilities([p.subarray(0, n * classes), p.subarray(n * classes)]);
  };
  return {
    ...classifier,
    tta: recipe,
    classifyPixels,
    async classify(image: string | Uint8Array) {
      let pixels: Uint8Array;
      try {
        pixels = await decodeToRgb(image, size, DEFAULTS.maxPixels);
      } catch (error) {
        throw new InputError(`${typeof image === 'string' ? image : 'The image'}: ${(error as Error).message}.`, typeof image === 'string' ? image : undefined);
      }
      const p = await classifyPixels(pixels, 1);
      let best = 0;
      for (let i = 1; i < classes; i++) if (p[i] > p[best]) best = i;
      return {
        label: classifier.labels[best],
        confidence: p[best],
        probabilities: Object.fromEntries(classifier.labels.map((label, i) => [label, p[i]])),
      };
    },
    dispose: () => classifier.dispose(),
  };
}
