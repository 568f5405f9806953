/**
 * Test datasets made from the committed Fashion-MNIST sample (real images), copied into
 * temp folders so tests can add, break and remove files freely.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

export const SAMPLE = join(import.meta.dirname, '..', '..', 'sample-dataset');

export function tempDir(prefix = 'cci-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Copies the first `perLabel` images of each (or the given) sample label into a new dataset folder. */
export function sampleSubset(perLabel: number, labels?: string[], offset = 0): string {
  const root = join(tempDir(), 'dataset');
  for (const label of labels ?? readdirSync(SAMPLE).sort()) {
    mkdirSync(join(root, label), { recursive: true });
    for (const file of readdirSync(join(SAMPLE, label))
      .sort()
      .slice(offset, offset + perLabel)) {
      cpSync(join(SAMPLE, label, file), join(root, label, file));
    }
  }
  return root;
}

/** Adds sample images number [from, to) of each label to an existing dataset folder. */
export function addSampleImages(root: string, from: number, to: number): number {
  let added = 0;
  for (const label of readdirSync(root)) {
    for (const file of readdirSync(join(SAMPLE, label)).sort().slice(from, to)) {
      cpSync(join(SAMPLE, label, file), join(root, label, file));
      added++;
    }
  }
  return added;
}
